"""Results that can be computed by hand or from a conservation law."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.model import Lane, Scenario, Uniform
from supplychain.run import simulate

from .conftest import chain_network


def test_chain_stays_in_hand_computed_steady_state(chain):
    res = simulate(chain, seed=0)
    # Refinery makes the 5 t/day demanded; the mine makes 2 t of ore per t of metal.
    np.testing.assert_allclose(res.series("production", "CN.refinery"), 5.0)
    np.testing.assert_allclose(res.series("production", "CN.mine"), 10.0)
    np.testing.assert_allclose(res.series("flow", "CN.mine>CN.refinery"), 10.0)
    np.testing.assert_allclose(res.series("delivered", "US.metal"), 5.0)
    # Every stock holds 30 days of cover at the end of each day.
    np.testing.assert_allclose(res.series("inventory", "US.metal:metal"), 150.0)
    np.testing.assert_allclose(res.series("inventory", "CN.refinery:ore"), 300.0)
    np.testing.assert_allclose(res.series("inventory", "CN.refinery:metal"), 150.0)


def test_in_transit_equals_flow_times_lead_time_in_steady_state(chain):
    """Little's law with whole-day lead times: pipeline = flow x lead time, exactly."""
    res = simulate(chain, seed=0)
    np.testing.assert_allclose(res.series("in_transit", "CN.refinery>US.metal"), 5.0 * 20)
    np.testing.assert_allclose(res.series("in_transit", "CN.mine>CN.refinery"), 10.0 * 3)


def test_littles_law_with_random_lead_times():
    """Mean pipeline = mean flow x mean time in transit (whole days after rounding up)."""
    net = chain_network(lead_refinery=1.0)
    lane = Lane("CN.refinery", "US.metal", "metal", lead_time=Uniform(10.0, 20.0))
    net = net.__class__(net.regions, net.commodities, net.facilities, (net.lanes[0], lane), net.demands)
    res = simulate(Scenario(net, horizon_days=720), seed=3)
    warm = slice(100, None)
    flow = res.series("flow", lane.id)[0, warm].mean()
    pipeline = res.series("in_transit", lane.id)[0, warm].mean()
    # ceil(U(10, 20)) is 11..20 with equal probability: 15.5 days on average.
    assert pipeline == pytest.approx(flow * 15.5, rel=0.03)


def test_dead_supplier_starves_buyer_on_the_day_cover_predicts():
    """No supplier output and no capacity: the consumer lives on 30 days of cover plus the 20-day pipeline."""
    net = chain_network(refinery_capacity=0.0, refinery_output_cover=0.0)
    res = simulate(Scenario(net, horizon_days=80), seed=0)
    unmet = res.series("unmet", "US.metal")[0]
    first_short = int(np.flatnonzero(unmet > 1e-9)[0])
    assert first_short == 20 + 150 // 5  # lead time + cover/demand
    np.testing.assert_allclose(unmet[first_short:], 5.0)
    np.testing.assert_allclose(res.series("delivered", "US.metal")[0, :first_short], 5.0)


def test_capacity_below_demand_delivers_capacity_in_the_long_run():
    net = chain_network(refinery_capacity=4.0)
    res = simulate(Scenario(net, horizon_days=500), seed=0)
    delivered = res.series("delivered", "US.metal")[0]
    np.testing.assert_allclose(delivered[-100:], 4.0)
    # A 1 t/day deficit first drains the refinery's 150 t of output stock, then, 20 days of
    # transit later, the consumers' 150 t: demand is met in full for 150 + 150 + 20 days.
    np.testing.assert_allclose(delivered[:320], 5.0)
    assert delivered[320] < 5.0


def test_backorders_are_served_later():
    net = chain_network(refinery_capacity=0.0, refinery_output_cover=0.0)
    d = net.demands[0].__class__("US.metal", "US", "metal", 5.0, unmet="backorder")
    net = net.__class__(net.regions, net.commodities, net.facilities, net.lanes, (d,))
    res = simulate(Scenario(net, horizon_days=60), seed=0)
    unmet = res.series("unmet", "US.metal")[0]
    # The backlog grows by one day of demand each day once stock is gone.
    first = int(np.flatnonzero(unmet > 1e-9)[0])
    np.testing.assert_allclose(unmet[first:first + 5], 5.0 * np.arange(1, 6))


def test_proportional_rationing_between_two_customers(diamond):
    """A supplier short of stock gives every lane the same fraction of its order."""
    net = diamond.network
    fac = [f if f.id != "JP.refinery" else f.__class__(f.id, f.region, f.stage, f.output, 5.0,
                                                        recipe=dict(f.recipe)) for f in net.facilities]
    res = simulate(Scenario(net.__class__(net.regions, net.commodities, tuple(fac), net.lanes, net.demands),
                            horizon_days=200), seed=0)
    jp = res.series("flow", "JP.refinery>JP.metal")[0, -50:]
    kr = res.series("flow", "JP.refinery>KR.metal")[0, -50:]
    np.testing.assert_allclose(jp + kr, 5.0)
    # Orders restore each buyer's position, so each lane gets about its buyer's share of demand.
    assert jp.sum() / (jp + kr).sum() == pytest.approx(0.6, rel=0.02)


def test_ship_rations_every_lane_by_the_same_fraction(diamond):
    from supplychain.compile.compiler import compile_scenario
    from supplychain.engines import kernel as _rules

    c = compile_scenario(diamond)
    state = _rules.initial_state(c, 2)
    refinery = c.facility_ids.index("JP.refinery")
    state.stock[:, c.out_stock[refinery]] = [5.0, 20.0]
    orders = np.zeros((2, c.n_lanes))
    jp, kr = c.lane_ids.index("JP.refinery>JP.metal"), c.lane_ids.index("JP.refinery>KR.metal")
    orders[:, jp], orders[:, kr] = 6.0, 4.0
    shipped = _rules.ship(c, state, orders)
    np.testing.assert_allclose(shipped[0, [jp, kr]], [3.0, 2.0])   # 5 of 10 ordered: half each
    np.testing.assert_allclose(shipped[1, [jp, kr]], [6.0, 4.0])   # enough stock: orders in full
    np.testing.assert_allclose(state.stock[:, c.out_stock[refinery]], [0.0, 10.0])


def test_sourcing_is_split_by_share(diamond):
    res = simulate(diamond, seed=0)
    cn = res.series("flow", "CN.mine>JP.refinery")[0]
    row = res.series("flow", "ROW.mine>JP.refinery")[0]
    np.testing.assert_allclose(cn / (cn + row), 0.7)
    np.testing.assert_allclose(cn + row, 1.5 * 10.0)
