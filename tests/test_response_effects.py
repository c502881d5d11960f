"""What each policy response did, told by compare (docs/model.md §6.10-§6.12): hand oracles on the toy network.

The toy: KR.cells (15 GWh/day) serves US (6/day) and JP (4/day); the US buyer holds 20 days of cover (120 GWh).
"""

import warnings

import pytest

import supplychain as sc
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.compare import compare, format_changes
from supplychain.errors import SimulationWarning
from supplychain.metrics.responses import response_effects
from supplychain.model import CapacityInvestment, CapacityShock, SafetyStockChange, StockpileRelease

BASE = toy_scenario(30)


def test_reserve_that_never_fires_says_how_close_its_stocks_came():
    pile = StockpileRelease(region="US", commodity="cell", reserve=100.0, release_below_cover_days=1.0, id="us_cells")
    without, with_it = sc.simulate(BASE, seed=1), sc.simulate(BASE.with_shocks(pile), seed=1)
    row = response_effects(with_it).iloc[0]
    # Steady state: the US buyer holds 120 GWh against 6 GWh/day every day, 20 days, far above the 1-day trigger.
    assert (row.available, row.used, row.active_days, row.lowest_cover_days, row.trigger_days) == (100, 0, 0, 20, 1)
    text = format_changes(compare(with_it, baseline=without))
    assert "US cell stockpile release: released nothing of 100 GWh: its stocks' cover fell to 20.0 days" in text
    assert "never below its trigger of 1 days" in text and "Nothing changed: 2 of 2 demands unchanged." in text


def test_reserve_above_normal_cover_is_spent_whole():
    # Trigger 25 days > the normal 20: on day 0 the gap is at least 25 x 6 - 120 = 30 GWh, the whole reserve.
    pile = StockpileRelease(region="US", commodity="cell", reserve=30.0, release_below_cover_days=25.0)
    res = sc.simulate(BASE.with_shocks(pile))
    row = response_effects(res).iloc[0]
    assert row.used == pytest.approx(30.0) and row.used_share == pytest.approx(1.0)
    assert row.used == pytest.approx(float(res.released.sum()))          # the engine's own record
    assert row.effect.startswith("released 30 of 30 GWh (100%)")


def test_capacity_investment_counts_output_above_the_capacity_without_it():
    # A 60 % loss for the whole run: 15 -> 6 GWh/day, with 5 added from day 10 -> (15 + 5) x 0.4 = 8 (additions
    # apply before losses, §6.11). Demand is 10/day, so the plant runs flat out: 2 GWh/day used on days 10-29.
    loss = CapacityShock(facility="KR.cells", fraction_lost=0.6, start=0, end=30)
    invest = CapacityInvestment(region="KR", commodity="cell", added_capacity=5.0, start=10)
    row = response_effects(sc.simulate(BASE.with_shocks(loss, invest))).iloc[0]
    assert (row.available, row.active_days) == (pytest.approx(40.0), 20)
    assert row.used == pytest.approx(40.0)
    idle = response_effects(sc.simulate(BASE.with_shocks(invest))).iloc[0]
    assert idle.available == pytest.approx(100.0) and idle.used == pytest.approx(0.0)   # 15 > 10: never needed


def test_safety_stock_change_reports_cover_against_target():
    build = SafetyStockChange(region="US", commodity="cell", cover_days=30, start=5)
    row = response_effects(sc.simulate(BASE.with_shocks(build))).iloc[0]
    assert row.trigger_days == 30 and row.active_days == 25
    assert "their cover was 20.0 days then, 30.0 at highest" in row.effect


def test_equal_names_are_told_apart():
    stop = BASE.with_shocks(CapacityShock(facility="KR.cells", fraction_lost=1.0, start=2, end=9))
    pile = StockpileRelease(region="US", commodity="cell", reserve=10.0, release_below_cover_days=5.0)
    a, b = sc.simulate(stop, seed=1), sc.simulate(stop.with_shocks(pile), seed=1)
    with pytest.warns(SimulationWarning, match=r"'toy' \(1 shock, no response\) as the baseline, "
                                               r"'toy' \(1 shock \+ 1 response\) as the shocked runs"):
        compare(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        text = format_changes(compare(b, baseline=a))
    assert text.startswith("Change from 'toy' (1 shock, no response) to 'toy' (1 shock + 1 response)")


@pytest.mark.filterwarnings("ignore:nothing in this scenario is random")
def test_summary_ensemble_says_the_response_is_not_measured():
    pile = StockpileRelease(region="US", commodity="cell", reserve=10.0, release_below_cover_days=5.0)
    a = sc.simulate(BASE, engine="vector", n_runs=2, seed=1, keep="summary")
    b = sc.simulate(BASE.with_shocks(pile), engine="vector", n_runs=2, seed=1, keep="summary")
    assert "stockpile release: not measured: a keep='summary' ensemble keeps no stocks" in format_changes(
        compare(b, baseline=a))
