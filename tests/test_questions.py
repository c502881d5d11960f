"""Questions without loops: a stress test aimed at one demand, stockpiles in days of cover, warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import supplychain as sc
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.analytics.stress import (
    knockout_scenario,
    stress_test,
    target_demands,
    upstream_facilities,
)
from supplychain.compile.compiler import compile_scenario
from supplychain.errors import SimulationWarning, UnknownIdError, ValidationError
from supplychain.io.scenario import dumps_scenario, loads_scenario
from supplychain.model import SafetyStockChange, StockpileRelease

from .conftest import chain_network


# Stress test aimed at one demand -----------------------------------------------------------------
def test_target_ranks_knockouts_by_the_targets_hand_computed_shortfall():
    # US holds 100 t and 10 t in transit at 10 t/day: served on days 0-10, then nothing until the mine,
    # back on day 30, lands its first shipment on day 31: 20 days x 10 t lost of 40 x 10 t demanded.
    df = stress_test(single_source_network(), duration_days=30, recovery_days=10, method="simulation",
                     target="US:ore")
    row = df.loc["CN.mine"]
    assert row["rank"] == 1
    assert row["target_shortfall"] == pytest.approx(200.0)
    assert row["target_shortfall_usd"] == pytest.approx(200.0 * 100.0)
    assert row["target_fill_rate"] == pytest.approx(0.5)
    assert row["target_tts_days"] == 11.0


def test_target_shortfall_is_the_knockouts_own_shortfall_beyond_the_baseline():
    net = toy_network()
    df = stress_test(net, duration_days=60, method="simulation", target="US.cells", seed=4)
    assert list(df["rank"]) == [1, 2, 2] and df.index[0] == "KR.cells"   # CN and ROW mines lose it nothing: tied
    assert (np.diff(df["target_shortfall_usd"]) <= 0).all()
    hit = sc.simulate(knockout_scenario(net, ["CN.mine"], duration_days=60, horizon_days=120), seed=4)
    base = sc.simulate(sc.Scenario(net, horizon_days=120), seed=4)
    us = hit.coords.index("demand", "US.cells")
    lost = (hit.demand - hit.delivered)[0, :, us].sum() - (base.demand - base.delivered)[0, :, us].sum()
    assert df.loc["CN.mine", "target_shortfall"] == pytest.approx(lost)


def test_target_tries_only_facilities_upstream_of_it():
    net = sc.load_baseline().network
    demands = target_demands(net, "US:logic_chip")
    assert demands == tuple(f"US.demand.logic_chip.{g}" for g in ("automotive", "industrial", "electronics"))
    upstream = upstream_facilities(net, demands)
    assert "TW.fab.logic_wafer" in upstream and "JP.chemical.photoresist" in upstream
    assert not any(f.startswith(("CN.mine", "KR.cell_plant")) for f in upstream)   # batteries and minerals


def test_unknown_target_lists_close_matches_and_lp_alone_refuses_a_target():
    with pytest.raises(UnknownIdError, match=r"target 'US:cells' for stress_test is not a known id\. "
                                             r"Did you mean 'US:cell'"):
        stress_test(toy_network(), method="simulation", target="US:cells")
    with pytest.raises(ValidationError, match="method must be 'simulation' or 'both' with a target"):
        stress_test(toy_network(), method="lp", target="US:cell")


def test_a_target_no_knockout_reaches_warns():
    with pytest.warns(SimulationWarning, match="no knockout of 2 days reduces what 'US:cell' receives"):
        df = stress_test(toy_network(), duration_days=2, method="simulation", target="US:cell")
    assert (df["target_shortfall_usd"] == 0).all()


# Stockpiles in days of cover -------------------------------------------------------------------
def _reserves(scenario):
    return [p.reserve for p in compile_scenario(scenario).schedules.extras["stockpiles"]]


def test_days_of_cover_is_converted_with_baseline_usage_by_hand():
    # chain_network: US consumers use 5 t of metal a day; the refinery uses 2 t ore per t, 10 t ore a day.
    scen = sc.Scenario(chain_network(), horizon_days=30).with_shocks(
        StockpileRelease(region="US", commodity="metal", days_of_cover=90, release_below_cover_days=10),
        StockpileRelease(region="CN", commodity="ore", days_of_cover=15, release_below_cover_days=10))
    assert _reserves(scen) == [pytest.approx(90 * 5.0), pytest.approx(15 * 10.0)]


def test_days_of_cover_runs_exactly_as_the_same_reserve_in_units():
    net = chain_network(refinery_capacity=3.0, cover=5.0, lead_refinery=2.0)
    base = sc.Scenario(net, horizon_days=60)
    by_days = sc.simulate(base.with_shocks(StockpileRelease(region="US", commodity="metal", days_of_cover=4,
                                                            release_below_cover_days=3, start=5)), seed=1)
    in_units = sc.simulate(base.with_shocks(StockpileRelease(region="US", commodity="metal", reserve=20.0,
                                                             release_below_cover_days=3, start=5)), seed=1)
    assert by_days.released.sum() == pytest.approx(20.0)       # a shortage large enough to draw it all
    for name in by_days.variables:
        np.testing.assert_array_equal(by_days.values(name), in_units.values(name))


def test_stockpile_needs_exactly_one_size_and_round_trips_through_toml():
    with pytest.raises(ValidationError, match="reserve or days_of_cover must be given"):
        StockpileRelease(region="US", commodity="metal", release_below_cover_days=3)
    with pytest.raises(ValidationError, match="reserve and days_of_cover were both given .*: give one, not both"):
        StockpileRelease(region="US", commodity="metal", reserve=1.0, days_of_cover=2, release_below_cover_days=3)
    with pytest.raises(ValidationError, match="days_of_cover"):
        StockpileRelease(region="US", commodity="metal", days_of_cover=-1, release_below_cover_days=3)
    scen = sc.load_baseline(horizon_days=30).with_shocks(
        StockpileRelease(region="KR", commodity="aam", days_of_cover=90, release_below_cover_days=30))
    again = loads_scenario(dumps_scenario(scen))
    assert again.responses == scen.responses and again.responses[0].reserve is None


# Warnings for implausible values -----------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: StockpileRelease(region="US", commodity="metal", days_of_cover=1200, release_below_cover_days=3),
    lambda: StockpileRelease(region="US", commodity="metal", reserve=5.0, release_below_cover_days=2000),
    lambda: SafetyStockChange(region="US", commodity="metal", cover_days=1500),
])
def test_cover_beyond_three_years_warns(make):
    with pytest.warns(SimulationWarning, match="three years"):
        make()


def test_plausible_cover_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        StockpileRelease(region="US", commodity="metal", days_of_cover=1095, release_below_cover_days=30)
        SafetyStockChange(region="US", commodity="metal", cover_days=90)
