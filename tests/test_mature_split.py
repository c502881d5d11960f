"""Mature-node chips by maker type: foundry-made and IDM-made are separate goods (tools/baseline/semiconductors.py).

A fabless firm's chip is made at a foundry and can move only to another foundry; an integrated device
maker's chips come from its own fabs and, for a cited share, from foundries. So the baseline carries two
mature-node classes; IDM fabs never serve fabless buyers, and IDM packaging takes both kinds of wafer in
one recipe (complements, as in the devices that use both).
"""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain import CapacityShock
from supplychain.datasets.baseline import load_baseline, steady_state_production

FOUNDRY, IDM = ("mature_wafer", "mature_chip"), ("mature_idm_wafer", "mature_idm_chip")


@pytest.fixture(scope="module")
def network():
    return load_baseline().network


@pytest.fixture(scope="module")
def production(network):
    return steady_state_production(network)


def test_idm_chips_take_the_cited_share_of_their_wafers_from_foundries(network, production):
    # Fabless chips are made of foundry wafers; IDM chips of their own wafers and, for 15 % (MIC, 25 May 2021),
    # of foundry wafers, both in one recipe (complements: a device needs its foundry-made microcontroller too).
    for f in network.facilities:
        if f.output == FOUNDRY[1]:
            assert dict(f.recipe) == {FOUNDRY[0]: 1.0}, f.id
        if f.output == IDM[1]:
            assert dict(f.recipe) == {IDM[0]: 0.85, FOUNDRY[0]: 0.15}, f.id
    by_id = {f.id: f for f in network.facilities}
    for lane in network.lanes:
        if lane.commodity in (FOUNDRY[0], IDM[0]):
            assert lane.commodity in dict(by_id[lane.destination].recipe), lane.id
    # No surplus: what the foundries make goes to fabless and IDM packaging by the recipes.
    made = sum(production[f.id] for f in network.facilities if f.output == FOUNDRY[0])
    to_idm = sum(production[f.id] * 0.15 for f in network.facilities if f.output == IDM[1])
    to_fabless = sum(production[f.id] for f in network.facilities if f.output == FOUNDRY[1])
    assert to_idm + to_fabless == pytest.approx(made, rel=1e-9)


def test_taiwan_has_no_idm_fab_and_holds_half_the_foundry_capacity(network):
    cap = {(f.region, f.output): 0.0 for f in network.facilities}
    for f in network.facilities:
        cap[(f.region, f.output)] += f.capacity_per_day
    world = sum(v for (r, o), v in cap.items() if o == FOUNDRY[0])
    assert ("TW", IDM[0]) not in cap
    assert cap[("TW", FOUNDRY[0])] / world == pytest.approx(0.49, abs=1e-3)   # TrendForce, 19 Oct 2023


@pytest.mark.filterwarnings("ignore:CapacityShock with stage=")
def test_a_taiwan_fab_outage_reaches_idm_chips_through_their_foundry_wafers():
    # IDM packaging loses output as its foundry wafers run short, the same part as fabless packaging in its
    # region once the die banks run down; IDM fabs do not pick up the lost volume (their wafers pile up).
    base = load_baseline(horizon_days=70)
    shocks = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=5, end=65) for s in ("fab", "fab_new")]
    res = sc.simulate(base.with_shocks(*shocks), engine="vector", seed=1)
    ref = sc.simulate(base, engine="vector", seed=1)
    facs = base.network.facilities
    ix = {k: [i for i, f in enumerate(facs) if f.output == out and (k == "idm_fab" or f.region == "TW")]
          for k, out in (("idm_fab", IDM[0]), ("idm", IDM[1]), ("fabless", FOUNDRY[1]))}
    ix["foundry"] = [i for i, f in enumerate(facs) if f.output == FOUNDRY[0] and f.region != "TW"]
    made = lambda r, k, a, b: r.production[0, a:b][:, ix[k]].sum()
    assert made(res, "idm_fab", 0, 70) <= made(ref, "idm_fab", 0, 70) * (1 + 1e-9)
    cut = {k: made(res, k, 50, 70) / made(ref, k, 50, 70) for k in ("idm", "fabless")}
    assert cut["idm"] < 0.95 and cut["idm"] == pytest.approx(cut["fabless"], abs=0.01)
    # The foundries elsewhere take part of the second-sourced fifth of Taiwan's volume (§5.6.6) as their idle
    # capacity restarts (§5.4.1).
    assert made(res, "foundry", 20, 65) > 1.03 * made(ref, "foundry", 20, 65)
