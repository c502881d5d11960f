"""The gallery's examples: at most 25 lines of public API each, and headlines that point the right way.

tests/test_examples.py runs every script as a process (short horizon, figure saved); here the printed
answers of three of those same runs (tests/conftest.py, ``run_example``: 06 on 150 days, 07 on 120, 10 on
200) are checked for direction.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import EXAMPLE_HORIZON_DAYS, EXAMPLE_HORIZONS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GALLERY = ("06_graphite_ban_stockpile", "07_magnet_tariff", "08_critical_node_logic_chips", "10_custom_network")


@pytest.mark.parametrize("name", GALLERY)
def test_example_answers_in_at_most_25_lines(name):
    tree = ast.parse((EXAMPLES / f"{name}.py").read_text())
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    lines = (EXAMPLES / f"{name}.py").read_text().splitlines()[main.body[0].lineno - 1: main.end_lineno]
    assert len([line for line in lines if line.strip()]) <= 25
    assert "plt.show" not in (EXAMPLES / f"{name}.py").read_text()


def _run(name, horizon, run_example):
    done = run_example(name)   # the run of tests/test_examples.py, on the horizon set in tests/conftest.py
    assert EXAMPLE_HORIZONS.get(name, EXAMPLE_HORIZON_DAYS) == horizon
    assert done.returncode == 0, done.stderr
    assert (done.out / f"{name}.png").is_file()
    return done.stdout


def test_graphite_ban_costs_korean_cells_and_the_stockpile_saves_some(run_example):
    out = _run("06_graphite_ban_stockpile", 150, run_example)
    ban, kept = (float(x) for x in re.findall(r"output ([+-][\d.]+)%", out))
    assert ban < -1.0 and ban < kept <= 0.0


def test_magnet_tariff_is_paid_and_diverts_us_imports_from_china(run_example):
    out = _run("07_magnet_tariff", 120, run_example)
    paid = float(re.search(r"Tariff paid by US importers: \$([\d,.]+)M", out).group(1).replace(",", ""))
    before, after = (float(x.replace(",", "")) for x in re.search(r"\$([\d,]+) -> \$([\d,]+)", out).groups())
    shares = dict(re.findall(r"US imports from (\w+)\s*:.*\(([+-][\d.]+) pp\)", out))
    assert paid > 0 and after > before
    assert float(shares["CN"]) < 0 < float(shares["JP"])


def test_custom_network_outage_cuts_the_us_fill_rate(run_example):
    out = _run("10_custom_network", 200, run_example)
    base, hit = (float(x) for x in re.search(r"baseline ([\d.]+)%, outage ([\d.]+)%", out).groups())
    assert base == 100.0 and hit < 95.0
