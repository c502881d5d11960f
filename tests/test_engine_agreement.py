"""The SimPy and vector engines agree: exactly on deterministic scenarios, run by run on random ones.

Why they agree run by run, and what differences could still arise:

* Same inputs. Run ``r`` draws every random input (demand noise, lead times,
  outages, licence decisions) from ``SeedSequence(seed).spawn(n_runs)[r]``
  in both engines (:func:`supplychain.engines.draws.draw_run`), and both
  combine them with the shock schedules through the same ``day_inputs``.
* Same arithmetic. Both call the daily rules of ``engines/kernel.py``, the
  SimPy engine with one run, the vector engine with a chunk of runs; every
  rule is elementwise across runs or sums each run's items in the same
  order, whatever the chunk size or memory layout.
* Same days. A shipment sent on day ``t`` with a realised lead time ``x``
  counts from day ``t + arrival_days(x)``. The SimPy engine lands it at its
  continuous time, kept inside that day, and records it under that day; the
  vector engine puts it in that day's ring slot. Continuous time within a
  day never moves goods to another day's review.

The one difference left is the order of floating-point additions: SimPy
adds each arrival event to stock on its own, the vector engine adds a day's
arrivals at once. That changes values in the last bits (hence ``atol=1e-9``
and ``rtol=1e-12`` below, not exact equality); it could only change a
decision if an inventory position fell within rounding of an (s, S) reorder
point, which these scenarios do not hit.

The distributional checks use independent seeds for the two engines, so
they test agreement in law without leaning on common random numbers.
"""

from __future__ import annotations

import dataclasses
import pathlib

import numpy as np
import pytest
from scipy import stats

from supplychain.datasets.scenarios import SCENARIO_DIR
from supplychain.model import (
    BaseStock,
    DaysOfCover,
    Demand,
    LogNormal,
    MinMax,
    Network,
    Normal,
    RandomOutage,
    Scenario,
    Triangular,
    Uniform,
)
from supplychain.run import simulate

from .conftest import chain_network, diamond_network

EXAMPLES = sorted(str(p) for p in SCENARIO_DIR.glob("*.toml"))   # the shipped scenarios


#: Agreement of two implementations: relative to each value, and to the series' scale for values near 0
#: (a difference of summation order in a large sum leaves a residue of that sum's rounding).
RTOL = 1e-9


def assert_same_series(a, b) -> None:
    """The same daily series up to summation order: ``RTOL`` relative (to the value or the series' scale)."""
    assert a.arrays.keys() == b.arrays.keys()
    for name in a.arrays:
        x, y = a.arrays[name], b.arrays[name]
        finite = np.isfinite(y)
        scale = float(np.abs(y[finite]).max(initial=0.0))
        np.testing.assert_allclose(x, y, rtol=RTOL, atol=RTOL * scale, err_msg=name)


def both(scenario: Scenario, *, n_runs: int = 1, seed: int = 0):
    return (simulate(scenario, engine="des", n_runs=n_runs, seed=seed),
            simulate(scenario, engine="vector", n_runs=n_runs, seed=seed))


def tight_chain() -> Network:
    """A chain short of refinery capacity, backordering, with (s, S) and base-stock policies."""
    net = chain_network(refinery_capacity=4.2, cover=6.0, lead_refinery=7.5)
    refinery = dataclasses.replace(net.facilities[1], policies={"ore": MinMax(20.0, 60.0)})
    demand = Demand("US.metal", "US", "metal", 5.0, policy=BaseStock(60.0), unmet="backorder")
    return dataclasses.replace(net, facilities=(net.facilities[0], refinery), demands=(demand,))


@pytest.mark.parametrize("network", [chain_network, diamond_network, tight_chain])
def test_hand_built_networks_agree_exactly(network):
    des, vec = both(Scenario(network(), horizon_days=120))
    assert_same_series(des, vec)


def test_shortages_agree_exactly():
    des, vec = both(Scenario(tight_chain(), horizon_days=200))
    assert des.unmet.sum() > 0
    assert_same_series(des, vec)


def test_baseline_agrees_exactly():
    pytest.importorskip("supplychain.datasets")
    from supplychain import load_baseline
    des, vec = both(load_baseline())
    assert_same_series(des, vec)


@pytest.mark.skipif(not EXAMPLES, reason="no example scenarios yet")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: pathlib.Path(p).stem)
def test_example_scenarios_agree(path):
    from supplychain.io.scenario import load_scenario
    des, vec = both(load_scenario(path), n_runs=2, seed=3)
    assert_same_series(des, vec)


def noisy_chain(horizon_days: int = 150) -> Scenario:
    """Demand noise, random lead times of several kinds and random refinery outages."""
    net = tight_chain()
    lanes = (dataclasses.replace(net.lanes[0], lead_time=Uniform(1.0, 5.5)),
             dataclasses.replace(net.lanes[1], lead_time=LogNormal(7.5, 2.5)))
    demand = dataclasses.replace(net.demands[0], noise=Normal(1.0, 0.3, low=0.0))
    mine = dataclasses.replace(net.facilities[0], policies={"ore": DaysOfCover(4.0)})
    net = dataclasses.replace(net, facilities=(mine, net.facilities[1]), lanes=lanes, demands=(demand,))
    return Scenario(net, horizon_days=horizon_days).with_shocks(
        RandomOutage(facility="CN.refinery", rate_per_year=5.0, duration=Triangular(3.0, 8.0, 20.0)))


def test_random_scenario_agrees_run_by_run():
    des, vec = both(noisy_chain(), n_runs=6, seed=21)
    assert len({float(x) for x in des.delivered.sum(axis=(1, 2))}) == 6, "runs should differ"
    assert des.unmet.sum() > 0
    assert_same_series(des, vec)


def test_random_outages_agree_on_a_larger_network():
    from supplychain.datasets.synthetic import synthetic_scenario
    scenario = synthetic_scenario(25, seed=6, horizon_days=90, stochastic=True, cover_days=5.0).with_shocks(
        RandomOutage(region="CN", rate_per_year=4.0, duration=15.0, group="flood"),
        RandomOutage(stage="assembly", rate_per_year=3.0, duration=LogNormal(20.0, 5.0)))
    des, vec = both(scenario, n_runs=2, seed=4)
    assert_same_series(des, vec)


def per_run_outputs(res) -> dict[str, np.ndarray]:
    delivered = res.delivered.sum(axis=(1, 2))
    return {"delivered": delivered, "demand": res.demand.sum(axis=(1, 2)),
            "fill_rate": delivered / res.demand.sum(axis=(1, 2)), "production": res.production.sum(axis=(1, 2)),
            "end_inventory": res.inventory[:, -1].sum(axis=1)}


def test_random_scenario_agrees_in_distribution():
    """Independent seeds: means within 4 standard errors, and two-sample KS tests pass."""
    scenario = noisy_chain(horizon_days=120)
    des = per_run_outputs(simulate(scenario, engine="des", n_runs=60, seed=1))
    vec = per_run_outputs(simulate(scenario, engine="vector", n_runs=400, seed=2))
    for name in des:
        a, b = des[name], vec[name]
        se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
        assert abs(a.mean() - b.mean()) < 4 * se + 1e-9, name
        # Five outputs tested at 0.001 each: the chance of any false alarm stays under 1 %.
        assert stats.ks_2samp(a, b).pvalue > 1e-3, name
