"""What a new user reviewing the library found: progress in logs, one worker pool, --out sizes, single-run
labels, compare tolerances, who_pays formatting, demand shocks counted, missing files, plot defaults, the
value-added caveat."""

from __future__ import annotations

import io as stdio
import re
import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest

from supplychain import DemandShock, load_baseline, load_ensemble, simulate
from supplychain import _progress
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.compare import TOLERANCE_NOTE, compare, format_changes
from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.cli import format_who_pays
from supplychain.cli.analytics_commands import stress_text
from supplychain.cli.app import main
from supplychain.cli.arguments import missing_file_hint
from supplychain.cli.impact_text import RATIO_CAVEAT, format_value_added
from supplychain.io import save_scenario
from supplychain.metrics import who_pays
from supplychain.model import ExportControl
from supplychain.plotting.ensemble import plot_ensemble_fan
from supplychain.plotting.resilience import plot_fan
from supplychain.plotting.results import plot_timeseries
from supplychain.run import chunks, reuse_workers

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


# 1. Progress in a log, and one worker pool per command ----------------------------------------------
def test_steps_print_one_line_each_when_stderr_is_a_log(monkeypatch):
    log = stdio.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    with _progress.step_lines():
        assert list(_progress.iterate(["a", "b"], desc="scorecard", unit="shock", label=str)) == ["a", "b"]
        with _progress.PhaseBar(["load", "simulate"]) as bar:
            bar.step("load")
            bar.step("simulate")
    lines = log.getvalue().splitlines()
    assert [line.split(" [")[0] for line in lines] == [
        "scorecard: 1/2 shocks done: a", "scorecard: 2/2 shocks done: b", "done: load", "done: simulate"]
    assert "\r" not in log.getvalue() and all(line.endswith(" s]") for line in lines)


def test_stress_test_into_a_log_says_each_knockout_and_quiet_says_nothing(tmp_path, monkeypatch, capsys):
    path = save_scenario(toy_scenario(40), tmp_path / "toy.toml")
    log = stdio.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    assert main(["stress-test", str(path), "--duration", "20", "--method", "simulation"]) == 0
    done = [line for line in log.getvalue().splitlines() if line.startswith("stress test:")]
    assert len(done) == 3 and done[0].startswith("stress test: 1/3 scenarios done: ")
    quiet = stdio.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["stress-test", str(path), "--duration", "20", "--method", "simulation", "--quiet"]) == 0
    assert quiet.getvalue() == ""


def test_ensembles_inside_reuse_workers_share_one_pool_and_give_the_same_bits(monkeypatch):
    monkeypatch.setattr(chunks, "_PROCESS_THRESHOLD_S", 0.0)   # every ensemble on local worker processes
    scenario = synthetic_scenario(20, horizon_days=15, stochastic=True)
    alone = simulate(scenario, engine="vector", n_runs=4, seed=5, chunk_size=1, executor=None)
    with reuse_workers() as shared:
        first = simulate(scenario, engine="vector", n_runs=4, seed=5, chunk_size=2)
        second = simulate(scenario, engine="vector", n_runs=4, seed=5, chunk_size=3)
        pool = shared.pool
    assert shared.started == 1 and pool is not None and shared.pool is None     # one pool, closed at the end
    for res in (first, second):
        assert all(np.array_equal(res.arrays[k], alone.arrays[k]) for k in alone.arrays)


def test_the_command_line_runs_every_ensemble_of_a_command_on_one_pool(tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "_PROCESS_THRESHOLD_S", 0.0)
    started = []
    real = chunks.LocalPool

    def counted(*args, **kwargs):
        started.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(chunks, "LocalPool", counted)
    path = save_scenario(toy_scenario(20).with_shocks(DemandShock(region="US", commodity="cell", factor=0.5,
                                                                  start=5)), tmp_path / "toy.toml")
    assert main(["run", str(path), "--engine", "vector", "--runs", "2", "--quiet"]) == 0   # shocked + baseline
    assert len(started) == 1


# 2. --out: summaries beyond a few runs, sizes said --------------------------------------------------
def test_out_keeps_summaries_beyond_three_runs_and_says_how_large_series_would_be(tmp_path, capsys):
    path = save_scenario(toy_scenario(20), tmp_path / "toy.toml")
    out = tmp_path / "out"
    assert main(["run", str(path), "--engine", "vector", "--runs", "4", "--seed", "1", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "(more than 3 runs; --keep series keeps every daily series: up to " in captured.out
    assert "ensemble summary: per-run totals and daily percentile bands, at most" in captured.err
    assert load_ensemble(out / "results.npz").n_runs == 4
    from supplychain.cli.run_command import _keep
    assert [_keep(type("A", (), {"keep": k, "runs": n})) for k, n in ((None, 3), (None, 4), ("series", 60))] == [
        "series", "summary", "series"]                               # --keep series still asks for every series


def test_run_help_states_the_series_size(capsys):
    assert main(["run", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "about 25 MB per run of the baseline year" in text and "daily series of up to 3 runs" in text


# 3. One run: no percentile band, no worst 5% --------------------------------------------------------
def test_plot_fan_of_one_run_promises_no_percentiles():
    one = simulate(toy_scenario(20), seed=0)
    ax = plot_fan(one, one, ident="US")
    assert ax.get_title() == "delivered: US (one run, no percentile band)" and not ax.collections
    ens = simulate(toy_scenario(20), engine="vector", n_runs=1, seed=0, keep="summary")
    ax = plot_ensemble_fan(ens, ens)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["baseline", "the run"] and "one run, no percentile band" in ax.get_title()
    several = simulate(toy_scenario(20), engine="vector", n_runs=3, seed=0, keep="summary")
    assert "5-95% of runs" in [t.get_text() for t in plot_ensemble_fan(several).get_legend().get_texts()]


def test_stress_table_of_one_run_has_no_worst_five_percent_column():
    t = pd.DataFrame({"rank": [1], "kind": ["facility"], "tts_sim_days": [30.0], "shortfall_sim_usd": [3e5],
                      "cvar95_shortfall_usd": [3e5]}, index=["KR.cells"])
    t.attrs["n_runs"] = 1
    one = stress_text(t, 10, 60)
    assert "worst 5%  " not in one.splitlines()[0] and "simulated once (one run: no spread over runs" in one
    t.attrs["n_runs"] = 200
    assert "worst 5%" in stress_text(t, 10, 60).splitlines()[0]


def test_benchmark_table_leaves_out_the_spread_of_entries_run_once():
    from supplychain.cli.analytics_commands import scorecard_text
    card = pd.DataFrame({"fill_rate": [0.97, 0.99], "shortfall_usd": [2.5e7, 1e6], "shortfall_usd_lo": [2.5e7, 5e5],
                         "shortfall_usd_hi": [2.5e7, 1.5e6], "cvar95_shortfall_usd": [2.5e7, 3e6]}, index=["a", "b"])
    card.attrs["n_runs"] = {"a": 1, "b": 200}
    lines = scorecard_text(card, 90).splitlines()
    assert lines[0].split()[:6] == ["shock", "fill", "rate", "shortfall", "(95%)", "worst"]
    assert lines[1].split() == ["a", "97.0%", "$25.0M"] and lines[2].split()[-1] == "$3.00M"
    assert "One run of the shocks with a blank worst 5%" in lines[-1]
    card.attrs["n_runs"] = {"a": 1, "b": 1}
    assert "worst 5%" not in scorecard_text(card, 90).splitlines()[0] and "(95%)" not in scorecard_text(card, 90)


# 4. compare: differences under the tolerance are unchanged ------------------------------------------
def _rows(rows):
    t = pd.DataFrame(rows, columns=["region", "commodity", "metric", "partner", "baseline", "shocked"])
    return t.assign(change=t["shocked"] - t["baseline"])


def test_sub_dollar_differences_count_as_unchanged_and_the_tolerance_is_said():
    t = _rows([("US", "chip", "shortfall_usd", "", 1e6, 1e6 + 0.7), ("US", "chip", "fill_rate", "", 0.9, 0.9),
               ("CN", "nickel", "import_cost_usd", "", 7.72e9, 7.72e9 + 0.6)])
    text = format_changes(t)
    assert "Imports received" not in text and "US      chip" not in text
    assert text.endswith(TOLERANCE_NOTE + "\nNothing changed: 1 of 1 demands unchanged.")
    t = _rows([("US", "chip", "shortfall_usd", "", 1e6, 1e6 + 2.0), ("US", "chip", "fill_rate", "", 0.9, 0.9)])
    assert format_changes(t).endswith("0 of 1 demands unchanged.")       # $2 is a change


# 5. who_pays as a table of money --------------------------------------------------------------------
def test_who_pays_prints_money_like_every_other_table():
    res = simulate(toy_scenario(40).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10))
                   .replace(price_feedback=True), engine="vector", seed=0)
    text = format_who_pays(who_pays(res))
    assert text.startswith("Buyers (USD over the horizon") and "Producers (USD over the horizon" in text
    assert "e+" not in text and not re.search(r"\d\.\d{4}", text)      # no raw floats
    rows = [line.split() for line in text.splitlines() if line[:3] in ("CN ", "US ", "all")]
    assert rows and all(cell.startswith(("$", "+$", "-$")) for row in rows for cell in row[1:])


# 6. A demand shock changes demand -------------------------------------------------------------------
def test_a_halved_demand_is_not_counted_as_unchanged():
    base = toy_scenario(40)
    shocked = base.with_shocks(DemandShock(region="US", commodity="cell", factor=0.5, start=10))
    text = format_changes(compare(simulate(base, seed=1), simulate(shocked, seed=1)))
    assert "Demands whose quantity changed (a demand shock" in text
    assert any(line.split()[:2] == ["US", "cell"] and "%" in line for line in text.splitlines())
    assert text.endswith("1 of 2 demands unchanged.")


# 7. A scenario file that is not there ---------------------------------------------------------------
def test_a_missing_file_suggests_the_name_or_the_path(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    save_scenario(toy_scenario(5), tmp_path / "scenarios" / "mine.toml")
    assert main(["run", "taiwan_blockade_magnets.toml", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == ("supplychain: error: taiwan_blockade_magnets.toml: no such scenario file. 'taiwan_blockade_magnets' "
                   "is a shipped scenario: run it by name, without .toml ('supplychain run taiwan_blockade_magnets').\n")
    assert main(["run", "mine.toml", "--quiet"]) == 2
    assert capsys.readouterr().err.endswith("A file of that name is at 'scenarios/mine.toml': give that path.\n")
    assert missing_file_hint(tmp_path / "nowhere.toml") == ""


# 8. plot_timeseries defaults ------------------------------------------------------------------------
def test_plot_timeseries_defaults_to_deliveries_per_region_in_usd_with_units():
    res = simulate(load_baseline().with_horizon(5), seed=0)
    ax = plot_timeseries(res)
    regions = sorted(set(res.coords.region["demand"]))
    assert ax.get_ylabel() == "delivered (USD/day at reference prices)"
    assert sorted(line.get_label().split()[0] for line in ax.lines) == regions
    ax = plot_timeseries(res, "inventory", res.coords.labels("stock")[0])
    assert "USD" not in ax.get_ylabel() and "/day" not in ax.get_ylabel()    # one commodity: its own unit, a level


# 9. The value-added ratio comes with what drives it -------------------------------------------------
def test_the_loss_given_shortfall_line_is_followed_by_its_caveat():
    frame = pd.DataFrame({"region": ["US", "US"], "sector": ["C29", "OTH"], "value_added_loss_usd": [4e9, 2e9]})
    frame.attrs.update(shortfall_usd=1e8, net_of_baseline=True)
    lines = format_value_added(frame).splitlines()
    assert lines[-2].startswith("Loss given shortfall: 60.0 USD of value added per USD") and lines[-1] == RATIO_CAVEAT
    frame.attrs["shortfall_usd"] = 1e10                  # less lost than short: nothing to explain
    assert RATIO_CAVEAT not in format_value_added(frame)
