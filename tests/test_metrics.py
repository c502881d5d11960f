"""Metrics on hand-built results whose answers are computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.errors import UnknownIdError, ValidationError
from supplychain.metrics.service import (
    cumulative_shortfall,
    cycle_service_level,
    days_below_service,
    delivery_rate,
    fill_rate,
    group_labels,
    metric_frame,
)
from supplychain.model import Commodity, Demand, Network, Region, Scenario
from supplychain.results.series import Coords, Results
from supplychain.run import simulate

from .conftest import chain_network

DEMAND_IDS = ("US.chip", "JP.chip", "US.ore")

# (runs=2, days=4, demands=3): US.chip, JP.chip, US.ore
DEMAND = np.array([
    [[10, 5, 0], [10, 5, 0], [10, 5, 0], [10, 5, 0]],
    [[10, 5, 4], [10, 5, 4], [10, 5, 0], [10, 5, 0]],
], dtype=float)
DELIVERED = np.array([
    [[10, 5, 0], [8, 5, 0], [6, 5, 0], [10, 5, 0]],
    [[10, 5, 4], [10, 0, 2], [10, 5, 0], [10, 5, 0]],
], dtype=float)


def hand_results(demand: np.ndarray = DEMAND, delivered: np.ndarray = DELIVERED,
                 unmet: np.ndarray | None = None) -> Results:
    """Results built directly from arrays: chips cost 10 USD/wafer, ore 2 USD/t."""
    net = Network(
        regions=(Region("US"), Region("JP")),
        commodities=(Commodity("chip", "wafer", 10.0), Commodity("ore", "t", 2.0)),
        facilities=(), lanes=(),
        demands=(Demand("US.chip", "US", "chip", 10.0), Demand("JP.chip", "JP", "chip", 5.0),
                 Demand("US.ore", "US", "ore", 2.0)),
    )
    coords = Coords(facility=(), lane=(), demand=DEMAND_IDS, stock=(),
                    region={"facility": (), "lane": (), "stock": (), "demand": ("US", "JP", "US")},
                    commodity={"facility": (), "lane": (), "stock": (), "demand": ("chip", "chip", "ore")})
    runs, days, _ = demand.shape
    empty = np.zeros((runs, days, 0))
    arrays = {"production": empty, "inventory": empty, "flow": empty, "arrivals": empty,
              "in_transit": empty, "demand": demand, "delivered": delivered,
              "unmet": np.maximum(demand - delivered, 0.0) if unmet is None else unmet,
              # Lost sales, or a backlog served first: today's demand served today is at most today's demand.
              "served_on_day": np.minimum(delivered, demand)}
    return Results(engine="des", seed=0, scenario=Scenario(net, horizon_days=days), coords=coords,
                   arrays=arrays, initial_inventory=np.zeros(0), initial_in_transit=np.zeros(0))


@pytest.fixture
def res() -> Results:
    return hand_results()


# Labels ----------------------------------------------------------------------------------------
def test_group_labels(res):
    assert group_labels(res) == DEMAND_IDS
    assert group_labels(res, by="region") == ("JP", "US")
    assert group_labels(res, by="commodity") == ("chip", "ore")
    assert group_labels(res, by="region_commodity") == ("JP:chip", "US:chip", "US:ore")


def test_unknown_grouping_suggests(res):
    with pytest.raises(UnknownIdError, match=r"by 'regoin' .* Did you mean 'region'\?"):
        fill_rate(res, by="regoin")


# Fill rate -------------------------------------------------------------------------------------
def test_fill_rate_by_demand(res):
    # US.chip run 0: 34 of 40; US.ore run 0 has no demand -> 1; JP.chip run 1: 15 of 20; US.ore run 1: 6 of 8.
    np.testing.assert_allclose(fill_rate(res), [[34 / 40, 1.0, 1.0], [1.0, 15 / 20, 6 / 8]])


def test_fill_rate_by_commodity_and_region_commodity(res):
    np.testing.assert_allclose(fill_rate(res, by="commodity"), [[54 / 60, 1.0], [55 / 60, 6 / 8]])
    np.testing.assert_allclose(fill_rate(res, by="region_commodity"),
                               [[1.0, 34 / 40, 1.0], [15 / 20, 1.0, 6 / 8]])


def test_fill_rate_by_region_is_value_weighted(res):
    # US run 1: chips 400 of 400 USD, ore 12 of 16 USD -> 412 / 416 (not 46 / 48 in mixed units).
    np.testing.assert_allclose(fill_rate(res, by="region"), [[1.0, 340 / 400], [15 / 20, 412 / 416]])


def test_fill_rate_matches_summary_on_a_simulated_shortage():
    scen = Scenario(chain_network(refinery_capacity=3.0, cover=2.0, lead_refinery=2.0), horizon_days=40)
    sim = simulate(scen, seed=0)
    table = sim.summary()
    assert table["fill_rate"].iloc[0] < 0.9  # 3 t/day made for 5 t/day demanded: a real shortage
    np.testing.assert_allclose(fill_rate(sim, by="region_commodity").iloc[0], table["fill_rate"])
    np.testing.assert_allclose(cumulative_shortfall(sim, usd=True, by="region_commodity").iloc[0],
                               table["shortfall_usd"])


def test_fill_rate_counts_only_demand_served_on_its_day_and_delivery_rate_counts_late_deliveries():
    demand = np.zeros((1, 3, 3))
    delivered = np.zeros((1, 3, 3))
    demand[0, :, 0] = [5, 5, 5]
    delivered[0, :, 0] = [5, 0, 10]  # day 1's demand is served on day 2
    unmet = np.zeros((1, 3, 3))
    unmet[0, :, 0] = [0, 5, 0]  # the backlog after each day
    res = hand_results(demand, delivered, unmet)
    assert fill_rate(res).iloc[0, 0] == pytest.approx(10 / 15)
    assert delivery_rate(res).iloc[0, 0] == pytest.approx(1.0)
    assert cycle_service_level(res).iloc[0, 0] == pytest.approx(2 / 3)


def test_cycle_service_level_counts_days_without_stockout(res):
    # US.chip run 0 is short on days 1 and 2; JP.chip run 1 and US.ore run 1 on day 1.
    np.testing.assert_allclose(cycle_service_level(res), [[0.5, 1.0, 1.0], [1.0, 0.75, 0.75]])
    # A region is short on a day when any of its demands is.
    np.testing.assert_allclose(cycle_service_level(res, by="region"), [[1.0, 0.5], [0.75, 0.75]])


def test_ensemble_fill_rates_equal_the_series_ones():
    scen = Scenario(chain_network(refinery_capacity=3.0, cover=2.0, lead_refinery=2.0), horizon_days=40)
    series = simulate(scen, engine="vector", n_runs=3, seed=1)
    summary = simulate(scen, engine="vector", n_runs=3, seed=1, keep="summary")
    for metric in (fill_rate, delivery_rate, cycle_service_level):
        np.testing.assert_allclose(metric(summary), metric(series), rtol=1e-12)


# Cumulative shortfall --------------------------------------------------------------------------
def test_cumulative_shortfall_units_and_usd(res):
    np.testing.assert_allclose(cumulative_shortfall(res), [[6, 0, 0], [0, 5, 2]])
    np.testing.assert_allclose(cumulative_shortfall(res, usd=True), [[60, 0, 0], [0, 50, 4]])
    np.testing.assert_allclose(cumulative_shortfall(res, usd=True, by="region"), [[0, 60], [50, 4]])
    np.testing.assert_allclose(cumulative_shortfall(res, by="commodity"), [[6, 0], [5, 2]])


def test_cumulative_shortfall_over_time(res):
    running = cumulative_shortfall(res, over_time=True).to_numpy().reshape(2, 4, 3)   # rows: (run, date)
    np.testing.assert_allclose(running[0, :, 0], [0, 2, 6, 6])
    np.testing.assert_allclose(running[1, :, 1], [0, 5, 5, 5])


def test_cumulative_shortfall_refuses_to_add_units(res):
    with pytest.raises(ValidationError, match=r"usd must be True when by='region' groups commodities of "
                                              r"different units; got False for cumulative_shortfall\."):
        cumulative_shortfall(res, by="region")


def test_backorders_served_late_cancel_the_shortfall():
    demand = np.zeros((1, 3, 3))
    delivered = np.zeros((1, 3, 3))
    demand[0, :, 0] = [5, 5, 5]
    delivered[0, :, 0] = [5, 0, 10]  # day 1's demand is served on day 2
    res = hand_results(demand, delivered)
    np.testing.assert_allclose(cumulative_shortfall(res, over_time=True).loc[0].iloc[:, 0], [0, 5, 0])
    assert cumulative_shortfall(res).iloc[0, 0] == 0.0
    assert days_below_service(res).iloc[0, 0] == 1


# Days below service ----------------------------------------------------------------------------
def test_days_below_service(res):
    # US.chip run 0 daily service: 1, .8, .6, 1; US.ore run 1: 1, .5, (no demand), (no demand).
    np.testing.assert_array_equal(days_below_service(res), [[2, 0, 0], [0, 1, 1]])
    np.testing.assert_array_equal(days_below_service(res, threshold=0.7), [[1, 0, 0], [0, 1, 1]])
    np.testing.assert_array_equal(days_below_service(res, threshold=0.8), [[1, 0, 0], [0, 1, 1]])  # strict
    np.testing.assert_array_equal(days_below_service(res, threshold=0.0), [[0, 0, 0], [0, 0, 0]])
    assert (days_below_service(res).dtypes == np.int64).all()


def test_days_below_service_by_region(res):
    # US run 1, day 1: chips 100 of 100 USD, ore 4 of 8 USD -> 104 / 108 > 0.95.
    np.testing.assert_array_equal(days_below_service(res, by="region"), [[0, 2], [1, 0]])


def test_threshold_must_be_a_probability(res):
    with pytest.raises(ValidationError, match=r"threshold must be <= 1; got 1\.5 for days_below_service\."):
        days_below_service(res, threshold=1.5)


# Labelled tables -------------------------------------------------------------------------------
def test_metric_frame_long_table(res):
    table = metric_frame(fill_rate(res), res, name="fill_rate")
    assert list(table.columns) == ["run", "demand", "fill_rate"]
    assert table["run"].tolist() == [0, 0, 0, 1, 1, 1]
    assert table["demand"].tolist() == list(DEMAND_IDS) * 2
    np.testing.assert_allclose(table["fill_rate"], fill_rate(res).to_numpy().ravel())


def test_metric_frame_over_time(res):
    table = metric_frame(cumulative_shortfall(res, usd=True, by="region", over_time=True), res, by="region")
    assert list(table.columns) == ["run", "day", "region", "value"]
    assert len(table) == 2 * 4 * 2
    row = table[(table.run == 0) & (table.day == 2) & (table.region == "US")]
    assert row["value"].item() == 60.0


def test_metric_frame_checks_shape(res):
    with pytest.raises(ValidationError, match=r"values must be an array shaped \(n_runs, \[n_days,\] 2\) "
                                              r"for by='region'; got \(2, 3\)"):
        metric_frame(fill_rate(res), res, by="region")


def test_fill_rate_and_shortfall_agree_between_series_and_ensemble_summaries():
    """The per-run totals an ensemble keeps give the same metrics as the daily series."""
    from supplychain import ValidationError
    from supplychain.metrics.service import cumulative_shortfall, fill_rate
    from supplychain.model import DaysOfCover, Demand, Normal, Scenario
    from supplychain.run import simulate

    from .conftest import chain_network
    net = chain_network(refinery_capacity=4.0, cover=3.0, lead_refinery=2.0)
    d = Demand("US.metal", "US", "metal", 5.0, noise=Normal(1.0, 0.3, low=0.0), policy=DaysOfCover(3.0))
    scenario = Scenario(net.__class__(net.regions, net.commodities, net.facilities, net.lanes, (d,)),
                        horizon_days=60)
    series = simulate(scenario, engine="vector", n_runs=30, seed=5)
    summary = simulate(scenario, engine="vector", n_runs=30, seed=5, keep="summary")
    np.testing.assert_allclose(fill_rate(summary), fill_rate(series), rtol=1e-12)
    np.testing.assert_allclose(fill_rate(summary, by="region"), fill_rate(series, by="region"), rtol=1e-12)
    np.testing.assert_allclose(cumulative_shortfall(summary, usd=True), cumulative_shortfall(series, usd=True),
                               rtol=1e-12)
    fr = fill_rate(series)  # the refinery makes 4 t/day of the 5 demanded
    assert fr.mean(axis=None) < 0.95 and (fr < 1.0).all(axis=None)
    with pytest.raises(ValidationError, match="over_time must be False for ensemble summaries"):
        cumulative_shortfall(summary, over_time=True)
