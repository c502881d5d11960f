"""The shock day (DECISIONS 5) and shocks in force on day 0 (DECISIONS 4).

Responses, random outages and shocks that started before the start date never
move the day from which time-to-survive, time-to-recover, resilience loss and
the trade windows are measured; historical files replay on their own calendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import warnings

import matplotlib
import numpy as np
import pytest

from supplychain import load_baseline, simulate
from supplychain.analytics import (
    normalised_resilience,
    resilience_loss,
    time_to_recover,
    time_to_survive,
)
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.scorecard import (
    _entries,
    historical_shocks,
    scorecard,
    shock_window,
    standard_catalogue,
)
from supplychain.analytics.trade import peak_cost_increase
from supplychain.compile import compile_scenario
from supplychain.datasets.scenarios import SCENARIO_DIR
from supplychain.errors import SimulationWarning, ValidationError
from supplychain.io.scenario import scenario_from_dict, scenario_to_dict
from supplychain.model import (
    CapacityInvestment,
    ExportControl,
    RandomOutage,
    Response,
    SafetyStockChange,
    StockpileRelease,
    Tariff,
)
from supplychain.plotting.resilience import plot_resilience_curve

matplotlib.use("Agg")

EXAMPLES = SCENARIO_DIR   # the scenarios shipped with the package
BAN = ExportControl(exporter="CN", commodity="ore", start=60, end=240)
#: Responses and shocks that change nothing: a reserve never released, an outage that never happens,
#: a tariff of 0 in force since long before the start.
NO_OPS = (StockpileRelease(region="US", commodity="cell", reserve=1.0, release_below_cover_days=0.0, start=0),
          RandomOutage(facility="ROW.mine", rate_per_year=0.0, duration=5.0),
          Tariff(importer="KR", exporter="ROW", commodity="ore", rate=0.0, start=-400))


def _metrics(sc):
    res, base = simulate(sc, seed=0), simulate(sc.without_shocks(keep_in_force=False), seed=0)
    return (time_to_survive(res, baseline=base, by="demand"), time_to_recover(res, baseline=base, by="demand"),
            resilience_loss(res, baseline=base, by="demand"), normalised_resilience(res, baseline=base, by="demand"))


def test_a_response_that_changes_nothing_leaves_time_to_survive_unchanged() -> None:
    sc = toy_scenario(300).with_shocks(BAN)
    shocked = sc.with_shocks(*NO_OPS)
    assert sc.shock_day == shocked.shock_day == 60
    before, after = _metrics(sc), _metrics(shocked)
    assert np.isfinite(before[0]).any()          # the ban bites, so TTS is measured
    # The other ore supplier restarts its idle capacity after the minerals chain's restart delay
    # and ramp (docs/model.md §5.4.1), so the buyers run short from day 78 and 67 of the ban.
    np.testing.assert_array_equal(before[0], [[78.0, 67.0]])
    for a, b in zip(before, after):
        np.testing.assert_allclose(a, b, rtol=1e-12)   # a 0 % tariff adds float rounding to the loss only


def test_responses_are_kept_apart_from_disruptions() -> None:
    release, = NO_OPS[:1]
    sc = toy_scenario(100).with_shocks(BAN, release)
    assert sc.shocks == (BAN,) and sc.responses == (release,)
    assert sc.all_shocks == (BAN, release)
    assert isinstance(release, Response) and release.is_response and not BAN.is_response
    assert sc.with_responses(release).responses == (release, release)
    with pytest.raises(ValidationError, match="responses must be a list of responses"):
        sc.with_responses(BAN)
    # Scenario(shocks=...) routes responses too, so files and older code keep working.
    assert dataclasses.replace(sc, shocks=(BAN, release), responses=()).responses == (release,)


def test_shock_day_is_derived_from_new_disruptions_inside_the_horizon() -> None:
    sc = toy_scenario(100)
    assert sc.shock_day is None
    assert sc.with_shocks(*NO_OPS).shock_day is None
    assert sc.with_shocks(ExportControl(exporter="CN", commodity="ore", start=150)).shock_day is None
    later = sc.with_shocks(BAN)
    assert later.shock_day == 60
    # A copy re-derives it: no stale value survives a change of shocks or horizon.
    assert later.with_horizon(50).shock_day is None
    assert later.with_shocks(ExportControl(exporter="CN", commodity="ore", start=20)).shock_day == 20
    assert later.without_shocks().shock_day is None


def test_an_explicit_shock_day_wins_and_is_checked() -> None:
    sc = toy_scenario(100).with_shocks(BAN).replace(shock_day=10)
    assert sc.shock_day == 10 and sc.shock_day_given
    assert sc.with_shocks(ExportControl(exporter="CN", commodity="ore", start=5)).shock_day == 10
    res = simulate(sc, seed=0)
    base = simulate(sc.without_shocks(), seed=0)
    np.testing.assert_array_equal(time_to_survive(res, baseline=base, by="demand"),
                                  time_to_survive(res, baseline=base, by="demand", shock_day=10))
    with pytest.raises(ValidationError, match=r"shock_day must be a whole day in \[0, 100\) or None"):
        sc.replace(shock_day=100)


def test_shock_day_and_responses_round_trip_through_files_and_pickle() -> None:
    sc = toy_scenario(100).with_shocks(BAN, *NO_OPS)
    back = scenario_from_dict(scenario_to_dict(sc))
    assert back.shocks == sc.shocks and back.responses == sc.responses and back.shock_day == 60
    assert not back.shock_day_given
    explicit = sc.replace(shock_day=7)
    again = scenario_from_dict(scenario_to_dict(explicit))
    assert again.shock_day == 7 and again.shock_day_given
    assert pickle.loads(pickle.dumps(sc)) == sc and not pickle.loads(pickle.dumps(sc)).shock_day_given


def test_trade_windows_and_the_resilience_curve_start_on_the_shock_day() -> None:
    tariff = Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.5, start=40)
    sc = toy_scenario(120).with_shocks(tariff, *NO_OPS)
    res = simulate(sc, seed=0)
    # The landed cost only rises from day 40: a window from day 0 and one from the shock day agree.
    np.testing.assert_allclose(peak_cost_increase(res), peak_cost_increase(res, start=40))
    banned = simulate(toy_scenario(120).with_shocks(BAN, *NO_OPS), seed=0)
    ax = plot_resilience_curve(banned, by="demand")
    marks = {t.get_text().strip(): t.get_position()[0] for t in ax.texts}
    assert marks["shock"] == np.datetime64(banned.scenario.date_of(60))   # calendar dates on the x axis
    quiet = plot_resilience_curve(simulate(toy_scenario(30).with_shocks(*NO_OPS), seed=0), by="demand")
    assert "shock" not in {t.get_text().strip() for t in quiet.texts}


def test_in_force_shocks_are_standing_conditions() -> None:
    start = dt.date(2024, 7, 1)
    old = Tariff(importer="US", exporter="CN", commodity="logic_chip", rate=0.25, start=dt.date(2018, 7, 6))
    assert old.in_force(start) and old.start_day(start) == -2187
    assert old.span(start, 100) == (-2187, 100) and old.window(start, 100) == (0, 100)
    assert not Tariff(importer="US", exporter="CN", commodity="logic_chip", rate=0.25, start=start).in_force(start)
    sc = load_baseline().replace(start_date=start).with_shocks(old)
    assert sc.in_force() == (old,) and sc.shock_day is None
    assert sc.without_shocks().shocks == (old,)
    assert sc.without_shocks(keep_in_force=False).shocks == ()


def test_benchmark_replays_the_section301_file_with_tariffs_in_force() -> None:
    # The code path of `supplychain benchmark`: the baseline without shocks, the standard catalogue
    # with the shipped historical files, the scorecard.
    base = load_baseline().without_shocks()
    catalogue = standard_catalogue(base.network, scenario_dir=EXAMPLES)
    shocks = catalogue["Section 301 review 2024-2026"]
    # Days from the file's own start date (2024-07-01): 2018 tariffs in force, the increases on
    # 27 Sep 2024, 1 Jan 2025 and 1 Jan 2026 (not anchored on day 30, not pushed past the horizon).
    assert sorted(s.start for s in shocks) == [-2187] * 5 + [88, 184, 184, 184, 184, 549]
    scenario = base.with_shocks(*shocks)
    assert scenario.shock_day == 88
    assert shock_window(scenario, shocks) == (88, base.horizon_days)
    standing = [s for s in shocks if s.in_force(base.start_date)]
    card = scorecard({"301": shocks, "in force only": standing}, baseline=base.with_horizon(200), n_runs=1)
    # Standing tariffs are part of that entry's baseline: alone they change nothing.
    assert (card.loc["in force only", ["peak_cost_increase", "diversion", "hhi_change", "shortfall_usd"]]
            == 0).all()
    # The 2024-25 increases do raise costs and divert trade, by at most the largest step in a
    # rate (0 -> 25 %) relative to the cost with the old rate.
    assert 0 < card.loc["301", "peak_cost_increase"] <= 0.25 + 1e-9
    assert card.loc["301", "diversion"] > 0


def test_a_replay_runs_on_its_files_calendar_and_horizon() -> None:
    # The benchmark ran the Section 301 file on the baseline's calendar and 365 days, so its 2026
    # tranche fell past the horizon (with a warning dated 2026-07-04, a date the file never names).
    base = load_baseline().without_shocks().with_horizon(100)
    replay = historical_shocks(EXAMPLES)["Section 301 review 2024-2026"]
    assert replay.start_date == dt.date(2024, 7, 1)
    assert max(s.start for s in replay) < replay.horizon_days
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        ((scenario, reference, _),) = _entries({"301": replay}, base).values()
        compile_scenario(scenario)
    assert (scenario.start_date, scenario.horizon_days) == (replay.start_date, replay.horizon_days)
    assert reference.all_shocks == tuple(s for s in replay if s.start < 0)


def test_responses_of_every_kind_are_marked() -> None:
    for cls in (StockpileRelease, CapacityInvestment, SafetyStockChange):
        assert issubclass(cls, Response)
    for cls in (Tariff, ExportControl, RandomOutage):
        assert not issubclass(cls, Response) and not cls.is_response
