"""Every example script runs on a short horizon (once: tests/conftest.py, ``run_example``); every example
scenario file loads, runs and round-trips."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from supplychain.analytics.compare import compare_to_unshocked
from supplychain.datasets.scenarios import SCENARIO_DIR
from supplychain.io.scenario import dumps_scenario, load_scenario, loads_scenario
from supplychain.run import simulate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
SCENARIOS = sorted(SCENARIO_DIR.glob("*.toml"))   # shipped with the package
HORIZON_DAYS = 120   # long enough for every example's first shock to start


def test_there_are_examples():
    assert len(SCRIPTS) >= 5 and len(SCENARIOS) >= 5


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example_follows_the_house_style(script):
    text = script.read_text()
    doc = ast.get_docstring(ast.parse(text))
    assert doc and "Covers:" in doc and "Scenario:" in doc
    assert "\nSEED = " in text
    assert len(text.splitlines()) <= 100


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_example_runs_and_saves_a_plot(script, run_example):
    # One process per script (tests/conftest.py); tests/test_gallery_examples.py reads the same run's answers.
    done = run_example(script.stem)
    assert done.returncode == 0, done.stderr
    assert "saved" in done.stdout
    assert list(done.out.glob("*.png"))
    # Every run of an ensemble means something (identical ones only where they pair random shocked runs),
    # and a gain is never printed as a negative loss.
    assert "runs are identical" not in done.stderr
    assert not re.search(r"\b(?:lost|loss|losses|given up)\b[^\n]*?[:\s]-\$?\d", done.stdout), done.stdout


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_file_loads_runs_and_round_trips(path):
    scenario = load_scenario(path)
    assert scenario.shocks
    assert loads_scenario(dumps_scenario(scenario)).shocks == scenario.shocks
    res = simulate(scenario.with_horizon(HORIZON_DAYS), engine="vector", seed=0)
    table = compare_to_unshocked(res)
    assert table["change"].abs().sum() > 0     # every file's shocks start within the short horizon


@pytest.mark.parametrize("shock, message", [
    ('kind = "tariff"\nimporter = "US"\ncommodity = "ndfeb_magnet"\nrate = -0.25\n',
     r"\[\[shocks\]\] entry 1, line \d+: rate must be >= 0; got -0.25 for Tariff\."),
    ('kind = "tariff"\nimporter = "USA"\ncommodity = "ndfeb_magnet"\nrate = 0.25\n',
     r"\[\[shocks\]\] entry 1, line \d+: importer 'USA' for Tariff is not a known id\. Did you mean 'US'\?"),
    (('kind = "demand_shock"\nregion = "US"\ncommodity = "logic_chip"\nfactor = 1.1\n'
      'start = 2025-05-01\nend = 2025-03-01\n'), r"end must be after start \(2025-05-01\)"),
    ('kind = "export_control"\nexporter = "CN"\ncommodity = "galium"\n', r"Did you mean 'gallium'"),
    ('kind = "export_control"\nexporter = "CN"\ncommodity = "gallium"\nmode = "embargo"\n',
     r"mode must be one of 'ban', 'licence', 'quota'; got 'embargo'"),
    ('kind = "tarif"\n', r"kind must be a known shock kind \(did you mean 'tariff'\?\)"),
    ('kind = "tariff"\nimporter = [\n', r"invalid TOML"),
])
def test_bad_scenario_files_fail_with_one_line_and_exit_2(shock, message, tmp_path, capsys):
    from supplychain.cli.app import main
    path = tmp_path / "bad.toml"
    path.write_text(f'[scenario]\nbase = "baseline"\n\n[[shocks]]\n{shock}')
    assert main(["run", str(path), "--horizon", "10", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("supplychain: error: ")
    assert re.search(message, err), err
