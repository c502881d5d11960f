"""Mature-node chips by maker type: foundry-made and IDM-made are separate goods (tools/baseline/semiconductors.py).

A fabless firm's chip is made at a foundry and can move only to another foundry; an integrated device
maker's chips come from its own fabs and, for a cited share, from foundries. So the baseline carries two
mature-node classes; IDM fabs never serve fabless buyers, and IDM chips made from foundry wafers are
packaged by a plant of their own, so that a foundry outage stops only those.
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


def _kind(f) -> str:
    """Which wafers a packaging plant of mature-node chips uses: 'foundry' or 'idm'."""
    (wafer,) = dict(f.recipe)
    return "foundry" if wafer == FOUNDRY[0] else "idm"


def test_idm_chips_take_the_cited_share_of_their_wafers_from_foundries(network, production):
    # A packaging plant uses one kind of wafer: fabless chips foundry wafers; IDM chips their own wafers or,
    # in a second plant of the region, foundry wafers (MIC, 25 May 2021: IDMs outsource about 15%).
    idm_from = {"foundry": 0.0, "idm": 0.0}
    for f in network.facilities:
        if f.output == FOUNDRY[1]:
            assert dict(f.recipe) == {FOUNDRY[0]: 1.0}, f.id
        if f.output == IDM[1]:
            assert set(dict(f.recipe)) in ({FOUNDRY[0]}, {IDM[0]}), f.id
            assert f.id.endswith(".foundry_wafers") == (_kind(f) == "foundry"), f.id
            idm_from[_kind(f)] += production[f.id]
    assert idm_from["foundry"] / sum(idm_from.values()) == pytest.approx(0.15, rel=1e-3)   # rates rounded to 4 digits
    by_id = {f.id: f for f in network.facilities}
    for lane in network.lanes:
        dest = by_id.get(lane.destination)
        if lane.commodity == IDM[0]:
            assert dest.output == IDM[1] and _kind(dest) == "idm", lane.id
        if lane.commodity == FOUNDRY[0]:
            assert dest.output in (FOUNDRY[1], IDM[1]) and _kind(dest) == "foundry", lane.id


def test_taiwan_has_no_idm_fab_and_holds_half_the_foundry_capacity(network):
    cap = {(f.region, f.output): 0.0 for f in network.facilities}
    for f in network.facilities:
        cap[(f.region, f.output)] += f.capacity_per_day
    world = sum(v for (r, o), v in cap.items() if o == FOUNDRY[0])
    assert ("TW", IDM[0]) not in cap
    assert cap[("TW", FOUNDRY[0])] / world == pytest.approx(0.49, abs=1e-3)   # TrendForce, 19 Oct 2023


@pytest.mark.filterwarnings("ignore:CapacityShock with stage=")
def test_a_taiwan_fab_outage_reaches_idm_chips_only_through_their_foundry_wafers():
    # IDM fabs and the plants packaging their wafers neither lose volume nor pick up the lost foundry volume
    # within the outage; the IDM plants packaging foundry wafers lose it as the foundries' other buyers do.
    base = load_baseline(horizon_days=70)
    shocks = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=5, end=65) for s in ("fab", "fab_new")]
    res = sc.simulate(base.with_shocks(*shocks), engine="vector", seed=1)
    ref = sc.simulate(base, engine="vector", seed=1)
    facs = base.network.facilities
    own = [i for i, f in enumerate(facs) if f.output == IDM[0] or f.output == IDM[1] and _kind(f) == "idm"]
    bought = [i for i, f in enumerate(facs) if f.output == IDM[1] and _kind(f) == "foundry"]
    fabless = [i for i, f in enumerate(facs) if f.output == FOUNDRY[1]]
    foundry = [i for i, f in enumerate(facs) if f.output == FOUNDRY[0] and f.region != "TW"]
    np.testing.assert_allclose(res.production[..., own], ref.production[..., own], rtol=1e-9)
    # Once the die banks run down, both lose the same part of their wafers.
    cut = {k: res.production[0, 50:70][:, ix].sum() / ref.production[0, 50:70][:, ix].sum()
           for k, ix in (("bought", bought), ("fabless", fabless))}
    assert cut["bought"] < 0.9 and cut["bought"] == pytest.approx(cut["fabless"], abs=1e-3)
    # The foundries elsewhere take part of the second-sourced fifth of Taiwan's volume (§5.6.6) as their idle
    # capacity restarts (§5.4.1).
    assert res.production[0, 20:65][:, foundry].sum() > 1.03 * ref.production[0, 20:65][:, foundry].sum()
