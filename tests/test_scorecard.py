"""The policy-shock catalogue, the scorecard and the ``benchmark`` / ``stress-test`` commands."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.scorecard import (
    historical_shocks,
    scorecard,
    scorecard_markdown,
    standard_catalogue,
)
from supplychain.cli.app import main
from supplychain.errors import SimulationWarning
from supplychain.io.scenario import save_scenario
from supplychain.model import (
    CapacityShock,
    Commodity,
    Demand,
    DemandShock,
    ExportControl,
    Facility,
    Lane,
    Network,
    Normal,
    Region,
    Scenario,
    Tariff,
)
from supplychain.plotting.resilience import plot_scorecard


def chip_network() -> Network:
    """CN gallium feeds a Taiwanese logic fab and a Korean memory fab that serve the US."""
    return Network(
        regions=(Region("CN"), Region("TW"), Region("KR"), Region("US")),
        commodities=(Commodity("gallium", "kg", 500.0, chain="minerals"),
                     Commodity("logic_wafer", "wafer", 9000.0, chain="semiconductors"),
                     Commodity("memory_wafer", "wafer", 3000.0, chain="semiconductors")),
        facilities=(Facility("CN.gallium", "CN", "refinery", "gallium", 10.0),
                    Facility("TW.fab.logic", "TW", "fab", "logic_wafer", 10.0, recipe={"gallium": 0.5}),
                    Facility("KR.fab.memory", "KR", "fab", "memory_wafer", 10.0, recipe={"gallium": 0.1})),
        lanes=(Lane("CN.gallium", "TW.fab.logic", "gallium", lead_time=7), Lane("CN.gallium", "KR.fab.memory",
                                                                                 "gallium", lead_time=5),
               Lane("TW.fab.logic", "US.logic", "logic_wafer", lead_time=20),
               Lane("KR.fab.memory", "US.memory", "memory_wafer", lead_time=20)),
        demands=(Demand("US.logic", "US", "logic_wafer", 4.0), Demand("US.memory", "US", "memory_wafer", 6.0)),
    )


def noisy_toy(horizon_days: int = 200) -> Scenario:
    """The toy scenario with 20 % daily demand noise, so runs differ."""
    sc = toy_scenario(horizon_days)
    demands = tuple(dataclasses.replace(d, noise=Normal(1.0, 0.2, low=0.0)) for d in sc.network.demands)
    return sc.replace(network=dataclasses.replace(sc.network, demands=demands))


def test_standard_catalogue_has_every_standard_shock_the_network_supports() -> None:
    cat = standard_catalogue(chip_network(), start=10, duration_days=20, scenario_dir=None)
    assert list(cat) == ["CN cuts gallium", "TW fab outage", "KR memory outage", "Pacific shipping disruption"]
    assert cat["CN cuts gallium"] == [ExportControl(exporter="CN", commodity="gallium", mode="ban", start=10, end=30)]
    assert cat["TW fab outage"][0].region == "TW" and cat["TW fab outage"][0].stage == "fab"
    assert [s.facility for s in cat["KR memory outage"]] == ["KR.fab.memory"]
    assert {(s.origin_region, s.destination_region) for s in cat["Pacific shipping disruption"]} == {
        ("KR", "US"), ("TW", "US")}


def test_scorecard_with_common_random_numbers_scores_a_no_op_shock_as_zero() -> None:
    catalogue = {"nothing": [DemandShock(region="US", commodity="cell", factor=1.0, start=30)],
                 "CN ban": [ExportControl(exporter="CN", commodity="ore", start=30, end=180)]}
    card = scorecard(catalogue, baseline=noisy_toy(), n_runs=6, seed=3)
    nothing = card.loc["nothing"]
    assert nothing["shortfall_usd"] == 0.0 and nothing["loss_days"] == 0.0
    assert nothing["tts_days"] == math.inf and nothing["diversion"] == 0.0
    ban = card.loc["CN ban"]
    assert ban["shortfall_usd_lo"] < ban["shortfall_usd"] < ban["shortfall_usd_hi"]
    assert ban["cvar95_shortfall_usd"] >= ban["shortfall_usd"]
    assert ban["diversion"] == pytest.approx(0.7)
    assert 0 < ban["fill_rate"] < 1 and ban["tts_days"] < math.inf


def test_user_entries_that_do_not_fit_the_network_are_dropped_with_a_warning() -> None:
    catalogue = {"typo": [CapacityShock(facility="XX.mine", fraction_lost=1.0, start=5)]}
    with pytest.warns(SimulationWarning, match="shock 'typo' skipped"):
        card = scorecard(catalogue, baseline=toy_scenario(40))
    assert card.empty


def test_scorecard_markdown_shows_mean_and_interval() -> None:
    card = pd.DataFrame({"tts_days": [12.0, math.inf], "tts_days_lo": [10.0, math.inf],
                         "tts_days_hi": [14.0, math.inf], "fill_rate": [0.5, 1.0]}, index=["a", "b"])
    assert scorecard_markdown(card).splitlines() == [
        "| shock | tts_days | fill_rate |", "|---|---|---|", "| a | 12 [10, 14] | 0.5 |", "| b | inf | 1 |"]


def test_historical_shocks_are_replayed_on_the_files_own_calendar(tmp_path) -> None:
    shock = ExportControl(exporter="CN", commodity="ore", start=dt.date(2023, 8, 1), end=dt.date(2023, 12, 1),
                          announced=dt.date(2023, 7, 3))
    standing = Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.1, start=dt.date(2018, 7, 6))
    save_scenario(Scenario(toy_scenario().network, shocks=(standing, shock), start_date=dt.date(2023, 1, 1),
                           name="gallium 2023"), tmp_path / "hist.toml")
    (tmp_path / "broken.toml").write_text("[scenario\n")
    with pytest.warns(SimulationWarning, match="broken.toml skipped"):
        cat = historical_shocks(tmp_path)
    in_force, replayed = cat["gallium 2023"]
    # Days from the file's start date (2023-01-01): the 2018 tariff stays in force, not a new event.
    assert in_force.start == -1640 and in_force.in_force(dt.date(2023, 1, 1))
    assert (replayed.announced, replayed.start, replayed.end) == (183, 212, 334)


def test_plot_scorecard_ranks_each_column() -> None:
    card = pd.DataFrame({"fill_rate": [0.9, 1.0], "tts_days": [12.0, math.inf], "loss_days": [3.0, 3.0]},
                        index=["a", "b"])
    ax = plot_scorecard(card)
    cells = ax.get_images()[0].get_array()
    np.testing.assert_allclose(cells, [[1, 1, 0], [0, 0, 0]])


def test_benchmark_command_prints_and_writes_the_scorecard(tmp_path, capsys) -> None:
    path = save_scenario(toy_scenario(200), tmp_path / "toy.toml")
    out = tmp_path / "bench"
    args = ["benchmark", str(path), "--duration", "120", "--scenarios", str(tmp_path / "none"), "--out", str(out),
            "--quiet"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["shock", "fill", "rate", "shortfall"]
    rows = [line.split("  ")[0] for line in lines[1:4]]
    # Worst shortfall first; the two shocks without a shortfall follow in either order.
    assert rows[0] == "CN cuts ore" and set(rows[1:]) == {"ROW cuts ore", "Pacific shipping disruption"}
    assert lines[-1].startswith("Each standard shock lasts 120 days")
    assert sorted(p.name for p in out.iterdir()) == ["scorecard.csv", "scorecard.md", "scorecard.png"]
    assert pd.read_csv(out / "scorecard.csv", index_col="shock").index[0] == "CN cuts ore"


def test_stress_test_command_prints_the_ranking(tmp_path, capsys) -> None:
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--method", "lp", "--duration", "60", "--quiet", "--top", "2",
                 "--out", str(tmp_path / "st")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["knockout", "rank", "kind"] and lines[1].startswith("KR.cells")
    assert lines[2].startswith("No shortfall in a 60-day knockout") and lines[3].split()[:2] == ["CN.mine", "-"]  # tied
    assert lines[4] == ("1 more knockout does not move any demand at all in a 60-day knockout: no shortfall and no "
                        "finite time-to-survive (demand never ran low): not ranked.")
    table = pd.read_csv(tmp_path / "st" / "stress_test.csv", index_col="knockout")
    assert table.loc["KR.cells", "facilities"] == "KR.cells"


def test_random_entries_get_many_runs_against_a_single_run_deterministic_baseline() -> None:
    catalogue = {"licence": [ExportControl(exporter="CN", commodity="ore", mode="licence", approval_probability=0.3,
                                           processing_delay=5.0, start=20, end=150)],
                 "ban": [ExportControl(exporter="CN", commodity="ore", start=20, end=150)]}
    card = scorecard(catalogue, baseline=toy_scenario(180))
    assert card.loc["licence", "diversion_lo"] < card.loc["licence", "diversion"] < card.loc["licence", "diversion_hi"]
    assert math.isnan(card.loc["ban", "diversion_lo"])          # one run: exact, no interval
    # n_runs asks for runs of the random entries: a deterministic one stays one run, with no warning that
    # its runs are identical (benchmark --runs 5 said so while its replays varied).
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        card = scorecard(catalogue, baseline=toy_scenario(180), n_runs=4)
    assert card.attrs["n_runs"] == {"licence": 4, "ban": 1}


def test_stress_test_command_ranks_by_a_target_demand(tmp_path, capsys) -> None:
    # The Korean cell plant is the only node upstream of US cells whose loss reaches them
    # (tests/test_questions.py checks the figures by hand); --target runs the simulation alone.
    path = save_scenario(toy_scenario(200), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--duration", "60", "--target", "US:cell", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "target lost" in lines[0] and lines[1].startswith("KR.cells")
    assert main(["stress-test", str(path), "--target", "US:cel", "--quiet"]) == 2
    assert "Did you mean 'US:cell'" in capsys.readouterr().err
