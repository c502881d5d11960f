"""Properties that hold on any network: conservation, non-negativity, reproducibility."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplychain.metrics.balance import material_balance
from supplychain.model import Scenario
from supplychain.run import simulate

from .strategies import networks

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(net=networks(), seed=st.integers(0, 2**32 - 1))
def test_material_is_conserved_per_stock_and_lane(net, seed):
    res = simulate(Scenario(net, horizon_days=40), seed=seed)
    bal = material_balance(res)
    assert bal.max_relative_error < 1e-9


@SETTINGS
@given(net=networks(), seed=st.integers(0, 2**32 - 1))
def test_quantities_are_never_negative_and_delivery_never_exceeds_want(net, seed):
    res = simulate(Scenario(net, horizon_days=40), seed=seed)
    for name in ("production", "inventory", "flow", "arrivals", "in_transit", "delivered", "unmet"):
        assert (res.arrays[name] >= -1e-9).all(), name
    cap = np.array([f.capacity_per_day for f in net.facilities])
    assert (res.production <= cap + 1e-9).all()
    lost = np.array([d.unmet == "lost" for d in net.demands])
    np.testing.assert_allclose((res.delivered + res.unmet)[..., lost], res.demand[..., lost], atol=1e-9)


@settings(max_examples=10, deadline=None)
@given(net=networks(), seed=st.integers(0, 2**32 - 1))
def test_same_seed_gives_identical_results(net, seed):
    a = simulate(Scenario(net, horizon_days=30), seed=seed, n_runs=2)
    b = simulate(Scenario(net, horizon_days=30), seed=seed, n_runs=2)
    for name in a.arrays:
        np.testing.assert_array_equal(a.arrays[name], b.arrays[name])


def test_run_r_does_not_depend_on_the_number_of_runs():
    from supplychain.model import Demand, Normal

    from .conftest import chain_network
    net = chain_network()
    d = Demand("US.metal", "US", "metal", 5.0, noise=Normal(1.0, 0.3, low=0.0))
    net = net.__class__(net.regions, net.commodities, net.facilities, net.lanes, (d,))
    three = simulate(Scenario(net, horizon_days=30), seed=11, n_runs=3)
    one = simulate(Scenario(net, horizon_days=30), seed=11, n_runs=1)
    np.testing.assert_array_equal(three.demand[:1], one.demand)
    assert not np.array_equal(three.demand[0], three.demand[1])
    other = simulate(Scenario(net, horizon_days=30), seed=12, n_runs=1)
    assert not np.array_equal(other.demand, one.demand)
