"""Mature-node chips by maker type: foundry-made and IDM-made are separate goods (tools/baseline/semiconductors.py).

A fabless firm's chip is made at a foundry and can move only to another foundry; an integrated device
maker's fabs make its own chips. So the baseline carries two mature-node classes, and capacity of one
never serves buyers of the other.
"""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain import CapacityShock
from supplychain.datasets.baseline import load_baseline

FOUNDRY, IDM = ("mature_wafer", "mature_chip"), ("mature_idm_wafer", "mature_idm_chip")


@pytest.fixture(scope="module")
def network():
    return load_baseline().network


def test_each_class_is_made_only_from_its_own_wafers(network):
    for f in network.facilities:
        recipe = dict(f.recipe)
        if f.output in (FOUNDRY[1], IDM[1]):
            wafer = FOUNDRY[0] if f.output == FOUNDRY[1] else IDM[0]
            assert wafer in recipe and not ({FOUNDRY[0], IDM[0]} - {wafer}) & set(recipe), f.id
    for lane in network.lanes:
        if lane.commodity in FOUNDRY + IDM:
            dest = next(f.output for f in network.facilities if f.id == lane.destination) \
                if lane.destination in {f.id for f in network.facilities} else None
            if lane.commodity == FOUNDRY[0]:
                assert dest == FOUNDRY[1], lane.id
            if lane.commodity == IDM[0]:
                assert dest == IDM[1], lane.id


def test_taiwan_has_no_idm_fab_and_holds_half_the_foundry_capacity(network):
    cap = {(f.region, f.output): 0.0 for f in network.facilities}
    for f in network.facilities:
        cap[(f.region, f.output)] += f.capacity_per_day
    world = sum(v for (r, o), v in cap.items() if o == FOUNDRY[0])
    assert ("TW", IDM[0]) not in cap
    assert cap[("TW", FOUNDRY[0])] / world == pytest.approx(0.49, abs=1e-3)   # TrendForce, 19 Oct 2023


@pytest.mark.filterwarnings("ignore:CapacityShock with stage=")
def test_a_taiwan_fab_outage_leaves_the_idm_class_untouched():
    # IDM fabs serve only IDM packagers, whose demand does not change: they neither pick up the
    # foundry customers' lost volume nor lose any of their own (inputs are not short: Taiwan buys less).
    base = load_baseline(horizon_days=70)
    shocks = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=5, end=65) for s in ("fab", "fab_new")]
    res = sc.simulate(base.with_shocks(*shocks), engine="vector", seed=1)
    ref = sc.simulate(base, engine="vector", seed=1)
    idm = [i for i, f in enumerate(base.network.facilities) if f.output in IDM]
    foundry = [i for i, f in enumerate(base.network.facilities) if f.output == FOUNDRY[0] and f.region != "TW"]
    np.testing.assert_allclose(res.production[..., idm], ref.production[..., idm], rtol=1e-9)
    # The foundries elsewhere take part of the second-sourced fifth of Taiwan's volume (§5.6.6) as their idle
    # capacity restarts (§5.4.1).
    assert res.production[0, 20:65][:, foundry].sum() > 1.03 * ref.production[0, 20:65][:, foundry].sum()
