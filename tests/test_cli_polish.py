"""Small things the CLI prints: each warning once, shares as percentages (review findings, item 4)."""

from __future__ import annotations

import re

from supplychain import io
from supplychain.cli.app import main
from supplychain.model import Scenario

from .conftest import chain_network


def test_a_shock_past_the_horizon_warns_once(tmp_path, capsys, monkeypatch):
    # `run` compiles the scenario for the shocked run, its baseline and the comparison; the warning
    # about a shock that starts after the horizon is printed once, not once per compilation.
    monkeypatch.setitem(io.BASES, "baseline", lambda: Scenario(chain_network(), horizon_days=40, name="baseline"))
    path = tmp_path / "late.toml"
    path.write_text('[scenario]\nbase = "baseline"\n\n[[shocks]]\nkind = "demand_shock"\nregion = "US"\n'
                    'commodity = "metal"\nfactor = 2.0\nstart = 10\n\n[[shocks]]\nkind = "tariff"\n'
                    'importer = "US"\nexporter = "CN"\ncommodity = "metal"\nrate = 0.1\nstart = 500\n')
    assert main(["run", str(path), "--horizon", "30", "--quiet"]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if line.startswith("supplychain: warning:")]
    late = [line for line in warned if "on or after the end of the 30-day horizon" in line]
    assert len(late) == 1, warned


def test_data_check_prints_shares_as_percentages(capsys):
    assert main(["data", "--check"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("China's share of world lithium mining"))
    assert re.search(r"\s\d+\.\d%\s+\d+\.\d%\s+±\d+\.\d pp\s+pass", line), line
    # A quantity keeps its unit: no percentage.
    use = next(x for x in out.splitlines() if x.startswith("US cobalt consumption, t Co/yr"))
    assert "%" not in use.split("±")[0]


def test_data_check_shows_each_published_share_as_its_cited_figures_give_it(capsys):
    # A share whose source cites "A of B" is printed as 100 A / B rounds: 2,000 of 310,000 t cobalt is 0.645 %,
    # printed 0.6 %, not 0.7 % (the published value once stored as 0.0065 was rounded a second time on display).
    from supplychain.datasets.calibration import load_checks
    assert main(["data", "--check"]) == 0
    lines = {line.split("  ")[0]: line for line in capsys.readouterr().out.splitlines()}
    cited = 0
    for check in load_checks():
        found = re.search(r"([\d,.]+) of ([\d,.]+)", check["source"])
        if not check["measure"].endswith("share") or found is None:
            continue
        part, whole = (float(x.replace(",", "")) for x in found.groups())
        published = lines[check["figure"]].split()[len(check["figure"].split()) + 1]
        assert published == f"{100 * part / whole:.1f}%", (check["figure"], published)
        cited += 1
    assert cited >= 10 and "0.6%" in lines["China's share of world cobalt mining"]


def test_run_says_the_price_lines_for_ensembles_as_for_single_runs(tmp_path, capsys):
    # The only mine stops for good and the importer's stock runs down until its price sits at the cap: a
    # run of daily series (one or several) names the market and the demand given up; a summary ensemble
    # keeps no daily prices and says so on the same line.
    from supplychain.analytics._toy import single_source_network, toy_network
    from supplychain.model import CapacityShock
    stop = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")
    path = io.save_scenario(Scenario(single_source_network(stock=2000.0), horizon_days=200, name="toy stop",
                                     shocks=(stop,), price_feedback=True), tmp_path / "stop.toml")

    def price_lines(*extra: str) -> list[str]:
        assert main(["run", str(path), "--quiet", "--engine", "vector", *extra]) == 0
        return [line for line in capsys.readouterr().out.splitlines()
                if line.startswith(("Prices pinned at a bound", "Demand given up"))]

    single, several = price_lines(), price_lines("--runs", "3")
    assert [line.split(":")[0] for line in single] == [line.split(":")[0] for line in several] == [
        "Prices pinned at a bound (docs/model.md §5.9)", "Demand given up to higher prices"]
    summary = price_lines("--runs", "3", "--keep", "summary")
    assert summary == ["Prices pinned at a bound and demand given up to higher prices: not known from per-run "
                       "summaries, which keep no daily prices (--keep series keeps them)."]
    calm = io.save_scenario(Scenario(toy_network(), horizon_days=30, name="calm"), tmp_path / "calm.toml")
    assert main(["run", str(calm), "--quiet", "--engine", "vector", "--runs", "3", "--keep", "summary"]) == 0
    assert "Prices pinned" not in capsys.readouterr().out   # no price left its reference: nothing to say


def test_a_horizon_beyond_the_limit_is_blamed_on_the_flag(capsys):
    # The bad value came from --horizon, not from the scenario file: the message names the flag.
    assert main(["run", "taiwan_blockade_magnets", "--horizon", "99999", "--quiet"]) == 2
    assert "argument --horizon: must be <= 3650; got 99999" in capsys.readouterr().err


def test_imports_that_fall_because_fewer_goods_arrive_are_not_titled_a_cost(tmp_path, capsys):
    # A ban cuts what KR receives from CN: the landed value of its imports falls, which is a loss of
    # supply; the table must not call it a (lower) cost.
    from supplychain.analytics._toy import toy_scenario
    from supplychain.io import save_scenario
    from supplychain.model import ExportControl
    path = save_scenario(toy_scenario(40).with_shocks(ExportControl(exporter="CN", commodity="ore", start=5)),
                         tmp_path / "ban.toml")
    assert main(["run", str(path), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("Imports received"))
    assert lines[title] == ("Imports received, landed at reference prices with duty (from other regions; a fall means fewer "
                            "goods arrived, not a saving; a rise under a tariff is mostly the duty, not more goods)")
    assert lines[title + 2].split()[:2] == ["KR", "ore"] and lines[title + 2].split()[4].startswith("-$")
    assert not any("import cost" in line.lower() for line in lines)


def test_python_dash_m_supplychain_is_the_command(monkeypatch, capsys):
    import runpy
    import sys

    import pytest
    monkeypatch.setattr(sys, "argv", ["supplychain", "--version"])
    with pytest.raises(SystemExit) as done:  # what `python -m supplychain --version` runs, in this process
        runpy.run_module("supplychain", run_name="__main__")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("supplychain ") and "compiled loops" in out


SURGE = ('[scenario]\nbase = "baseline"\nname = "surge"\nhorizon_days = 20\n\n[[shocks]]\nkind = "demand_shock"\n'
         'region = "US"\ncommodity = "logic_chip"\nfactor = 10.0\n')


def test_run_prints_the_value_added_loss_python_computes_with_value_added_loss_table(tmp_path, capsys):
    # One mechanism: `run` prints value_added_loss_table(shocked, baseline=unshocked), the public function.
    from supplychain import load_scenario, simulate
    from supplychain._format import format_usd
    from supplychain.analytics import value_added_loss_table
    path = tmp_path / "surge.toml"
    path.write_text(SURGE)
    assert main(["run", str(path), "--engine", "vector", "--seed", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    scenario = load_scenario(path)
    table = value_added_loss_table(simulate(scenario, engine="vector", seed=1),
                                   baseline=simulate(scenario.without_shocks(), engine="vector", seed=1))
    total = float(table["value_added_loss_usd"].sum())
    assert total > 1e9 and table.attrs["net_of_baseline"]
    # A single run is no mean over runs; the comparison is against the unshocked baseline.
    assert f"Total value added lost: {format_usd(total)} (against the unshocked baseline)." in out
    assert "mean over runs" not in out


def test_stress_test_with_a_target_keeps_the_lp_columns_and_out_says_what_it_writes(tmp_path, capsys):
    import csv

    from supplychain.cli.app import build_parser
    from supplychain.io.scenario import save_scenario
    helps = {a.dest: a.help for a in build_parser()._subparsers._group_actions[0].choices["stress-test"]._actions}
    assert "stress_test.csv" in helps["out"] and "scorecard" not in helps["out"]
    path = save_scenario(Scenario(chain_network(cover=2.0), horizon_days=60, name="chain"), tmp_path / "c.toml")
    assert main(["stress-test", str(path), "--target", "US:metal", "--duration", "20", "--quiet",
                 "--out", str(tmp_path / "out")]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert "(LP)" in header and "target" in header          # the LP's "lost (LP)" beside the target's columns
    with open(tmp_path / "out" / "stress_test.csv", newline="") as handle:
        columns = next(csv.reader(handle))
    assert {"pi_usd", "tts_days", "target_shortfall_usd", "target_tts_days"} <= set(columns)
    assert main(["stress-test", str(path), "--target", "US:metal", "--method", "lp", "--quiet"]) == 2
    assert "--method lp cannot rank by --target 'US:metal'" in capsys.readouterr().err


def test_an_export_control_from_korea_is_refused_where_the_network_is_first_known(tmp_path, capsys):
    # ExportControl alone knows no network (region ids are the network's), so the check fires where a
    # scenario joins them: with_shocks / Scenario(...) in Python, loading in a file, and both say field,
    # value and the close match.
    import pytest

    import supplychain as sc
    shock = sc.ExportControl(exporter="Korea", commodity="gallium", mode="ban")
    assert shock.exporter == "Korea"
    message = "exporter 'Korea' for ExportControl is not a known id. Did you mean 'KR'?"
    with pytest.raises(sc.UnknownIdError) as info:
        sc.load_baseline(horizon_days=5).with_shocks(shock)
    assert str(info.value) == f"shocks entry 1: {message}"
    path = tmp_path / "korea.toml"
    path.write_text('[scenario]\nbase = "baseline"\n\n[[shocks]]\nkind = "export_control"\nexporter = "Korea"\n'
                    'commodity = "gallium"\nmode = "ban"\n')
    with pytest.raises(sc.UnknownIdError) as info:
        sc.load_scenario(path)
    assert str(info.value) == f"{path}, [[shocks]] entry 1, line 6: {message}"
    assert main(["run", str(path), "--quiet"]) == 2
    assert capsys.readouterr().err == f"supplychain: error: {path}, [[shocks]] entry 1, line 6: {message}\n"


CALM = ('[scenario]\nbase = "baseline"\nname = "calm"\nhorizon_days = 10\n\n[[shocks]]\nkind = "demand_shock"\n'
        'region = "US"\ncommodity = "logic_chip"\nfactor = 0.5\n')


def test_run_draws_no_value_added_chart_when_nothing_is_lost_and_says_so(tmp_path, capsys):
    # Halving US chip demand leaves every buyer served: a chart of empty bars would say nothing, so
    # none is written, the plan line says the chart is conditional and the list of written files says why.
    import pandas as pd
    path = tmp_path / "calm.toml"
    path.write_text(CALM)
    out = tmp_path / "out"
    assert main(["run", str(path), "--engine", "vector", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "No value added lost" in captured.out
    assert sorted(p.name for p in out.iterdir()) == ["baseline.npz", "compare.csv", "cover.png", "flows.png",
                                                    "prices.png", "results.npz", "summary.csv", "timeseries.png",
                                                    "value_added_loss.csv"]
    assert pd.read_csv(out / "value_added_loss.csv")["value_added_loss_usd"].abs().max() < 0.5
    assert "value_added_loss.png (if any value added is lost)" in captured.err
    assert captured.err.rstrip().endswith("value_added_loss.csv, compare.csv to "
                                          f"{out} (no value added lost, so no value_added_loss.png)")


def test_an_error_found_when_compiling_a_file_names_its_shocks_entry_like_loading_does(tmp_path, capsys):
    # The response first in the file is not among the scenario's disruptions: the file's own number counts.
    path = tmp_path / "litho.toml"
    path.write_text('[scenario]\nbase = "baseline"\nhorizon_days = 5\n\n[[shocks]]\nkind = "safety_stock_change"\n'
                    'region = "US"\ncommodity = "logic_chip"\ncover_days = 40.0\n\n[[shocks]]\nkind = "demand_shock"\n'
                    'region = "US"\ncommodity = "litho_tool"\nfactor = 2.0\n')
    assert main(["run", str(path), "--quiet"]) == 2
    assert capsys.readouterr().err.startswith(
        f"supplychain: error: {path}, [[shocks]] entry 2: commodity must have final demand in some region; got "
        "'litho_tool' for DemandShock: no region has final demand for it (facilities buy it as an input); final "
        "demand exists for 'cobalt_refined', ")
