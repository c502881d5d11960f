"""The ``supplychain`` command, in-process through ``main(argv)`` and once as a real subprocess."""

from __future__ import annotations

import io as stdio
import re
import subprocess
import sys
import types

import numpy as np
import pandas as pd
import pytest

from supplychain import __version__, io
from supplychain._format import format_percent as _pct
from supplychain._format import format_units as _qty
from supplychain._format import format_usd as _usd
from supplychain.cli.app import COMMANDS, build_parser, main
from supplychain.io.scenario import save_scenario
from supplychain.model import Scenario
from supplychain.results import load_results

from .conftest import chain_network


@pytest.fixture
def scenario_file(tmp_path):
    """A chain whose refinery makes 3 t/day for 5 t/day of demand: a visible shortfall."""
    net = chain_network(refinery_capacity=3.0, cover=2.0, lead_refinery=2.0)
    return save_scenario(Scenario(net, horizon_days=40, name="short chain"), tmp_path / "chain.toml")


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("supplychain: error: ")
    assert "Traceback" not in err
    return lines[0]


# run -------------------------------------------------------------------------------------------
def test_run_prints_the_summary_table(scenario_file, capsys):
    assert main(["run", str(scenario_file), "--seed", "4", "--horizon", "30", "--quiet"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == ("Scenario 'short chain': des engine, 1 run, seed 4, 30 days from 2025-01-01, "
                        "price feedback: off (--price-feedback turns it on)")
    # No demand of this chain has an end-use segment: the column is there, blank.
    assert lines[2].split() == ["region", "commodity", "segment", "unit", "demand", "delivered", "fill", "rate",
                                "delivery", "rate", "cycle", "service", "level", "shortfall", "shortfall",
                                "USD"]
    row = lines[4].split()
    assert row[:3] == ["US", "metal", "t"] and row[3] == "150" and row[5].endswith("%")
    assert float(row[5].rstrip("%")) < 100
    assert lines[-3].startswith("Total shortfall: $")
    assert lines[-1].startswith("No shock in this scenario, so nothing to compare.")   # and none is run
    assert err == ""


def test_run_writes_all_outputs_and_nothing_else(scenario_file, tmp_path, capsys):
    out_dir = tmp_path / "results" / "run1"
    assert main(["run", str(scenario_file), "--runs", "2", "--seed", "1", "--out", str(out_dir)]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["flows.png", "prices.png", "results.npz", "summary.csv",
                                                         "timeseries.png"]
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["run1"]  # no temp folder left
    res = load_results(out_dir / "results.npz")
    assert (res.n_runs, res.seed, res.scenario.name) == (2, 1, "short chain")
    table = pd.read_csv(out_dir / "summary.csv", keep_default_na=False)  # an empty segment stays ""
    pd.testing.assert_frame_equal(table, res.summary(), check_dtype=False)
    assert (out_dir / "timeseries.png").read_bytes()[:4] == b"\x89PNG"
    assert "Wrote results.npz, summary.csv, timeseries.png, flows.png, prices.png" in capsys.readouterr().err


def test_run_into_an_existing_folder_replaces_only_its_files(scenario_file, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("keep me")
    (out_dir / "summary.csv").write_text("old")
    assert main(["run", str(scenario_file), "--seed", "1", "--out", str(out_dir), "--quiet"]) == 0
    assert (out_dir / "notes.txt").read_text() == "keep me"
    assert (out_dir / "summary.csv").read_text().startswith("region,commodity")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml", "out"]


def test_same_seed_same_results(scenario_file, tmp_path):
    for name in ("a", "b"):
        assert main(["run", str(scenario_file), "--seed", "7", "--out", str(tmp_path / name), "--quiet"]) == 0
    a, b = load_results(tmp_path / "a" / "results.npz"), load_results(tmp_path / "b" / "results.npz")
    np.testing.assert_array_equal(a.delivered, b.delivered)


def test_run_builtin_by_name(monkeypatch, capsys):
    monkeypatch.setitem(io.BASES, "baseline", lambda: Scenario(chain_network(), horizon_days=365,
                                                              name="baseline"))
    assert main(["run", "baseline", "--horizon", "10", "--seed", "0", "--quiet"]) == 0
    assert capsys.readouterr().out.startswith("Scenario 'baseline': des engine, 1 run, seed 0, 10 days")


def test_vector_engine_option(scenario_file, capsys):
    pytest.importorskip("supplychain.engines.vector")
    assert main(["run", str(scenario_file), "--engine", "vector", "--runs", "3", "--seed", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    # The head says whether the vector engine ran compiled loops (Numba) or NumPy alone.
    assert "vector engine (NumPy), 3 runs" in out or "vector engine (compiled loops), 3 runs" in out


# Errors: one line on stderr, status 2, nothing written --------------------------------------------
def test_missing_file_is_one_line_and_creates_nothing(tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert main(["run", str(tmp_path / "nope.toml"), "--out", str(out_dir)]) == 2
    out, err = capsys.readouterr()
    assert one_error_line(err) == f"supplychain: error: {tmp_path / 'nope.toml'}: no such scenario file."
    assert out == "" and not out_dir.exists()
    assert list(tmp_path.iterdir()) == []


def test_invalid_scenario_names_file_field_and_value(scenario_file, tmp_path, capsys):
    scenario_file.write_text(scenario_file.read_text().replace("rate_per_day = 5.0", "rate_per_day = -1.0"))
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "out")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert re.search(r"chain\.toml, \[\[demands\]\] entry 1, line \d+: rate_per_day must be >= 0; got -1\.0 for "
                     r"Demand 'US\.metal'\.", line)
    assert not (tmp_path / "out").exists()


def test_unknown_builtin_suggests(capsys):
    assert main(["run", "basline"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        "supplychain: error: scenario 'basline' is neither a file nor a built-in scenario (baseline, "
        "taiwan_blockade_magnets, gallium_germanium_2023, china_graphite_2023, japan_korea_2019, section301_2024, "
        "equipment_controls_china). "
        "Did you mean 'baseline'?")


def test_out_that_is_a_file(scenario_file, tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("x")
    assert main(["run", str(scenario_file), "--out", str(target)]) == 2
    assert one_error_line(capsys.readouterr().err).endswith("taken: it is a file, not a folder.")
    assert target.read_text() == "x"


def test_failure_while_writing_leaves_no_half_written_folder(scenario_file, tmp_path, monkeypatch, capsys):
    def broken(results, folder, baseline=None):
        (folder / "timeseries.png").write_bytes(b"half")
        raise OSError(28, "No space left on device", str(folder / "flows.png"))
    monkeypatch.setattr("supplychain.cli.figures.save_figures", broken)
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert one_error_line(capsys.readouterr().err).endswith("flows.png: No space left on device")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml"]


@pytest.mark.parametrize("argv, message", [
    (["run", "x.toml", "--runs", "0"], "argument --runs: must be >= 1; got 0"),
    (["run", "x.toml", "--engine", "mc"], "argument --engine: invalid choice: 'mc'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    ([], "the following arguments are required: COMMAND"),
])
def test_usage_errors_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.splitlines()) == 1 and "--help" in err   # one line, no usage block


# Other commands and the parser -----------------------------------------------------------------
def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"supplychain {__version__}"
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "run" in out and "data" in out
    assert main(["run", "--help"]) == 0
    assert "--horizon DAYS" in capsys.readouterr().out


def test_data_all_prints_the_provenance_table(monkeypatch, capsys):
    fake = types.ModuleType("supplychain.datasets.baseline")
    fake.baseline_provenance = lambda: [("lithium", "USGS MCS 2024")]
    fake.format_provenance = lambda rows: "\n".join(f"{a}: {b}" for a, b in rows)
    monkeypatch.setitem(sys.modules, "supplychain.datasets.baseline", fake)
    assert main(["data", "--all"]) == 0
    assert capsys.readouterr().out == "lithium: USGS MCS 2024\n"


def test_data_check_prints_the_calibration_table_and_fails_on_a_miss(monkeypatch, capsys):
    assert main(["data", "--check"]) == 0
    out = capsys.readouterr().out
    assert out.split()[:6] == ["figure", "model", "published", "tolerance", "verdict", "source"]
    assert "US net import reliance, cobalt" in out and "FAIL" not in out
    from supplychain.datasets import calibration
    missed = calibration.CalibrationRow("a figure", 0.5, 0.9, 0.01, "abs", "Org 2025")
    monkeypatch.setattr(calibration, "calibration_table", lambda: [missed])
    assert main(["data", "--check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and out.rstrip().endswith("0 of 1 checks pass.")


def test_data_without_the_dataset_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "supplychain.datasets.baseline", None)  # makes the import fail
    assert main(["data"]) == 2
    assert "baseline dataset is not available" in one_error_line(capsys.readouterr().err)


def test_registry_builds_one_subparser_per_command():
    names = [c.name for c in COMMANDS]
    assert names[:3] == ["run", "scenarios", "data"]
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert list(sub.choices) == names


def test_number_formats():
    assert _pct(0.99999) == "99.9%" and _pct(1.0) == "100.0%" and _pct(0.5) == "50.0%"
    assert _usd(1_234_567) == "$1.23M" and _usd(950) == "$950" and _usd(0) == "$0" and _usd(6.018e9) == "$6.02bn"
    assert _qty(0) == "0" and _qty(12_345.6) == "12,346" and _qty(0.01234) == "0.0123"


def test_progress_bar_goes_to_stderr_when_it_is_a_terminal(scenario_file, monkeypatch, capsys):
    class Terminal(stdio.StringIO):
        def isatty(self):
            return True
    fake = Terminal()
    monkeypatch.setattr(sys, "stderr", fake)
    assert main(["run", str(scenario_file), "--seed", "0"]) == 0
    assert "simulating 1 run on des" in fake.getvalue()
    assert "simulating" not in capsys.readouterr().out
    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["run", str(scenario_file), "--seed", "0", "--quiet"]) == 0
    assert quiet.getvalue() == ""


# As a real process -----------------------------------------------------------------------------
def test_subprocess_success_and_error(scenario_file, tmp_path):
    cmd = [sys.executable, "-m", "supplychain.cli", "run"]
    ok = subprocess.run(cmd + [str(scenario_file), "--seed", "3", "--horizon", "10"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Scenario 'short chain': des engine, 1 run, seed 3, 10 days")
    bad = subprocess.run(cmd + [str(tmp_path / "missing.toml"), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert one_error_line(bad.stderr).endswith("missing.toml: no such scenario file.")
    assert not (tmp_path / "o").exists()


def test_large_ensembles_keep_summaries_and_bands_not_daily_series(scenario_file, tmp_path, capsys):
    out_dir = tmp_path / "many"
    argv = ["run", str(scenario_file), "--engine", "vector", "--runs", "60", "--seed", "2", "--out",
            str(out_dir), "--quiet"]
    assert main(argv) == 0
    out, _ = capsys.readouterr()
    assert "60 runs (means over runs)" in out
    assert sorted(p.name for p in out_dir.iterdir()) == ["bands.csv", "fan.png", "prices.png", "results.npz",
                                                         "shortfall.csv", "summary.csv"]
    assert "Kept per-run totals and daily percentile bands, not daily series (more than 3 runs" in out
    summary = pd.read_csv(out_dir / "summary.csv")
    # The refinery makes 3 t/day of the 5 demanded: the fill rate settles well below 1.
    assert summary["fill_rate"].iloc[0] < 0.9
    bands = pd.read_csv(out_dir / "bands.csv")
    assert set(bands["quantile"]) == {5.0, 25.0, 50.0, 75.0, 95.0}


# Hostile input and interrupts (issue 8, fuzzing findings) ---------------------------------------
BASE_HEAD = '[scenario]\nbase = "baseline"\n'


@pytest.fixture
def small_baseline(monkeypatch):
    """``base = "baseline"`` resolves to the small chain, so these tests stay fast."""
    monkeypatch.setitem(io.BASES, "baseline", lambda: Scenario(chain_network(), horizon_days=40,
                                                              name="baseline"))


def test_far_start_date_with_out_is_one_line_naming_the_file(tmp_path, capsys):
    path = tmp_path / "date.toml"
    path.write_text(BASE_HEAD + "start_date = 9999-12-01\n")
    out_dir = tmp_path / "out"
    assert main(["run", str(path), "--horizon", "60", "--out", str(out_dir), "--quiet"]) == 2
    line = one_error_line(capsys.readouterr().err)
    # The model bounds start_date (a ValidationError); without that bound the date overflows while
    # plotting, which the CLI still reports as one line naming the file.
    assert line.startswith(f"supplychain: error: {path}")
    assert "start_date" in line or "OverflowError" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["date.toml"]


def test_errors_found_while_simulating_name_the_file(tmp_path, capsys, small_baseline):
    path = tmp_path / "unknown.toml"
    path.write_text(BASE_HEAD + '[[shocks]]\nkind = "tariff"\nimporter = "US"\ncommodity = "nonexist"\n'
                                'rate = 0.1\n')
    assert main(["run", str(path), "--horizon", "20", "--quiet"]) == 2
    line = one_error_line(capsys.readouterr().err)
    # Caught when the file's scenario is built (docs/model.md §6): the line names the file and the entry.
    assert line.startswith(f"supplychain: error: {path}") and "[[shocks]] entry 1" in line and "'nonexist'" in line


def test_nested_and_unhashable_values_are_one_line(tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text(BASE_HEAD + "x = " + "[" * 1000 + "]" * 1000 + "\n")
    base = tmp_path / "base.toml"
    base.write_text('[scenario]\nbase = ["baseline"]\n')
    for path in (deep, base):
        assert main(["run", str(path), "--horizon", "60"]) == 2
        assert one_error_line(capsys.readouterr().err).startswith(f"supplychain: error: {path}")


def test_a_huge_value_gives_a_short_line(tmp_path, capsys):
    path = tmp_path / "kind.toml"
    path.write_text(BASE_HEAD + '[[shocks]]\nkind = "' + "k" * 200_000 + '"\n')
    assert main(["run", str(path), "--horizon", "60"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert len(line) < 600 and "k" * 79 + "..." in line


def test_out_below_a_file_says_which_part_is_a_file(scenario_file, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["run", str(scenario_file), "--out", str(tmp_path / "afile" / "sub")]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"supplychain: error: --out {tmp_path / 'afile' / 'sub'}: {tmp_path / 'afile'} is a file, not a folder.")


@pytest.mark.parametrize("exc", [MemoryError(), OverflowError("cannot convert float infinity to integer"),
                                 ValueError("lam value too large"), RecursionError(), TypeError("bad operand")])
def test_foreign_errors_while_simulating_user_input_are_one_line(scenario_file, monkeypatch, capsys, exc):
    def explode(*args, **kwargs):
        raise exc
    monkeypatch.setattr(sys.modules["supplychain.run.simulate"], "simulate", explode)
    assert main(["run", str(scenario_file), "--quiet"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"supplychain: error: {scenario_file}: cannot simulate this scenario "
                           f"({type(exc).__name__}")


def test_programming_errors_keep_their_traceback(scenario_file, monkeypatch):
    def explode(*args, **kwargs):
        raise KeyError("a bug, not bad input")
    monkeypatch.setattr(sys.modules["supplychain.run.simulate"], "simulate", explode)
    with pytest.raises(KeyError, match="a bug"):
        main(["run", str(scenario_file), "--quiet"])


def test_compare_csv_is_written_with_the_rest(scenario_file, tmp_path):
    out_dir = tmp_path / "cmp"
    assert main(["run", str(scenario_file), "--seed", "1", "--compare", "baseline", "--out", str(out_dir),
                 "--quiet"]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["baseline.npz", "compare.csv", "cover.png", "flows.png",
                                                         "prices.png", "results.npz", "summary.csv", "timeseries.png"]


def test_ctrl_c_during_compare_writes_nothing(scenario_file, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("supplychain.analytics.compare.compare", interrupted)
    out_dir = tmp_path / "out"
    assert main(["run", str(scenario_file), "--compare", "baseline", "--out", str(out_dir), "--quiet"]) == 130
    assert capsys.readouterr().err == "supplychain: interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml"]


#: A driver that runs the CLI with one step replaced by ``HOOK`` (code run with ``signal``, ``os``,
#: ``time`` and ``Path`` available), so a signal arrives at a known point of the real process.
DRIVER = """
import os, signal, sys, time
from pathlib import Path
import supplychain.analytics.compare as compare
import supplychain.cli.app as app
import supplychain.cli.figures as figures
target, name, hook = sys.argv[1], sys.argv[2], sys.argv[3]
original = getattr(compare if name in ("compare", "compare_to_unshocked") else figures, name)
def patched(*args, **kwargs):
    if name == "save_figures":
        (args[1] / "timeseries.png").write_bytes(b"half")
    exec(hook)
    return original(*args, **kwargs)
setattr(compare if name in ("compare", "compare_to_unshocked") else figures, name, patched)
raise SystemExit(app.main(sys.argv[4:]))
"""


def run_driver(tmp_path, name, hook, argv, *, wait_for=None, send=None):
    """Start the driver; optionally send ``send`` once the file ``wait_for`` exists. Bounded in time."""
    import os
    import signal
    import time
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(tmp_path), name, hook, *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        if wait_for is not None:
            deadline = time.monotonic() + 120
            while not wait_for.exists():
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the driver never reached the hook"
                time.sleep(0.05)
            proc.send_signal(send or signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def test_real_ctrl_c_during_compare_leaves_no_output(scenario_file, tmp_path):
    out_dir = tmp_path / "out"
    code, _, err = run_driver(tmp_path, "compare", "os.kill(os.getpid(), signal.SIGINT); time.sleep(30)",
                                ["run", str(scenario_file), "--compare", "baseline", "--out", str(out_dir), "--quiet"])
    assert (code, err) == (130, "supplychain: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml"]


def test_sigterm_while_writing_removes_the_temporary_folder(scenario_file, tmp_path):
    out_dir = tmp_path / "sub" / "out"
    ready = tmp_path / "ready"
    code, _, err = run_driver(tmp_path, "save_figures", f"Path({str(ready)!r}).touch(); time.sleep(60)",
                                ["run", str(scenario_file), "--out", str(out_dir), "--quiet"],
                                wait_for=ready)
    assert (code, err) == (143, "supplychain: terminated\n")
    # Neither the output, nor its temporary folder, nor the parent folder made for it is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml", "ready"]


def test_sigterm_keeps_an_existing_folder_as_it_was(scenario_file, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "summary.csv").write_text("old")
    ready = tmp_path / "ready"
    code, _, err = run_driver(tmp_path, "save_figures", f"Path({str(ready)!r}).touch(); time.sleep(60)",
                              ["run", str(scenario_file), "--out", str(out_dir), "--quiet"], wait_for=ready)
    assert (code, err) == (143, "supplychain: terminated\n")
    assert [(p.name, p.read_text()) for p in out_dir.iterdir()] == [("summary.csv", "old")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml", "out", "ready"]


def test_a_signal_during_the_final_moves_waits_until_the_folder_is_complete(scenario_file, tmp_path, monkeypatch,
                                                                            capsys):
    import os
    import signal
    real_replace = os.replace
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("keep me")

    def replace_then_signal(src, dst):
        if os.path.dirname(dst) == str(out_dir):  # one of the final moves into the target folder
            os.kill(os.getpid(), signal.SIGTERM)
        return real_replace(src, dst)
    monkeypatch.setattr(os, "replace", replace_then_signal)
    assert main(["run", str(scenario_file), "--seed", "1", "--out", str(out_dir), "--quiet"]) == 143
    assert capsys.readouterr().err == "supplychain: terminated\n"
    # The signal was held until every file was in place: the folder is complete, nothing is left over.
    assert sorted(p.name for p in out_dir.iterdir()) == ["flows.png", "notes.txt", "prices.png", "results.npz",
                                                         "summary.csv", "timeseries.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.toml", "out"]


def test_results_with_nan_are_refused_not_printed(scenario_file, tmp_path, monkeypatch, capsys):
    from supplychain.run.simulate import simulate as real_simulate

    def nan_results(*args, **kwargs):
        res = real_simulate(*args, **kwargs)
        inventory = res.arrays["inventory"].copy()
        inventory[0, -1, 0] = np.nan
        return type(res)(**{**res.__dict__, "arrays": {**res.arrays, "inventory": inventory}})
    monkeypatch.setattr(sys.modules["supplychain.run.simulate"], "simulate", nan_results)
    out_dir = tmp_path / "out"
    assert main(["run", str(scenario_file), "--seed", "1", "--out", str(out_dir), "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert one_error_line(err) == (f"supplychain: error: {scenario_file}: the results hold NaN or infinite values "
                                   "(in inventory); a value in the scenario is beyond what the model supports.")
    assert out == "" and not out_dir.exists()


def test_results_that_lose_material_are_refused(scenario_file, monkeypatch, capsys):
    from supplychain.run.simulate import simulate as real_simulate

    def leaky(*args, **kwargs):
        res = real_simulate(*args, **kwargs)
        arrivals = res.arrays["arrivals"] * 0.5  # half of what was shipped never lands nor stays in transit
        return type(res)(**{**res.__dict__, "arrays": {**res.arrays, "arrivals": arrivals}})
    monkeypatch.setattr(sys.modules["supplychain.run.simulate"], "simulate", leaky)
    assert main(["run", str(scenario_file), "--seed", "1", "--quiet"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"supplychain: error: {scenario_file}: the results do not conserve material "
                           "(relative error ")
