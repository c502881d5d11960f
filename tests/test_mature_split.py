"""Mature-node chips by maker type: foundry-made and IDM-made are separate goods (tools/baseline/semiconductors.py).

A chip made at a foundry can move only to another foundry, whether a fabless firm or an integrated device
maker (IDM) sells it; an IDM's own fabs make its other chips and serve nobody else. So the baseline carries
two mature-node classes: foundry-made chips (``mature_chip``: the fabless firms', packaged by outsourced
houses, and the cited share IDMs have made at foundries, packaged in the IDMs' own back-end plants,
``.idm_backend.<fab region>``) and the IDMs' own chips (``mature_idm_chip``, their own fabs' wafers only).
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


def test_foundry_wafers_make_foundry_made_chips_and_idm_wafers_idm_chips(network, production):
    # Every foundry-made chip, the fabless firms' and the 15 % of IDM chips IDMs have made at foundries (MIC,
    # 25 May 2021), is made of foundry wafers; the IDMs' own chips of their own wafers.
    for f in network.facilities:
        if f.output == FOUNDRY[1]:
            assert dict(f.recipe) == {FOUNDRY[0]: 1.0}, f.id
        if f.output == IDM[1]:
            assert dict(f.recipe) == {IDM[0]: 1.0}, f.id
    by_id = {f.id: f for f in network.facilities}
    for lane in network.lanes:
        if lane.commodity in (FOUNDRY[0], IDM[0]):
            assert lane.commodity in dict(by_id[lane.destination].recipe), lane.id
    # No surplus: what the foundries make goes to the packagers of foundry-made chips, the IDMs' included.
    made = sum(production[f.id] for f in network.facilities if f.output == FOUNDRY[0])
    used = sum(production[f.id] for f in network.facilities if f.output == FOUNDRY[1])
    assert used == pytest.approx(made, rel=1e-9)
    idm = sum(production[f.id] for f in network.facilities if ".idm_backend" in f.id)
    own = sum(production[f.id] for f in network.facilities if f.output == IDM[1])
    assert idm / (idm + own) == pytest.approx(0.15, rel=1e-4)  # capacities rounded to significant digits


def test_taiwan_has_no_idm_fab_and_holds_half_the_foundry_capacity(network):
    cap = {(f.region, f.output): 0.0 for f in network.facilities}
    for f in network.facilities:
        cap[(f.region, f.output)] += f.capacity_per_day
    world = sum(v for (r, o), v in cap.items() if o == FOUNDRY[0])
    assert ("TW", IDM[0]) not in cap
    assert cap[("TW", FOUNDRY[0])] / world == pytest.approx(0.49, abs=1e-3)   # TrendForce, 19 Oct 2023


@pytest.mark.filterwarnings("ignore:CapacityShock with stage=")
def test_a_taiwan_fab_outage_reaches_the_chips_idms_have_made_at_foundries_not_their_own():
    # The IDMs' back-end plants lose the chips made of foundry wafers as the fabless packagers of their region
    # do once the die banks run down; the IDMs' own chips are made as before, and their fabs do not pick up
    # the lost volume (a design made at a foundry has no process in an IDM fab).
    base = load_baseline(horizon_days=70)
    shocks = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=5, end=65) for s in ("fab", "fab_new")]
    res = sc.simulate(base.with_shocks(*shocks), engine="vector", seed=1)
    ref = sc.simulate(base, engine="vector", seed=1)
    facs = base.network.facilities
    tw = lambda f: f.region == "TW"
    pick = {"idm_fab": lambda f: f.output == IDM[0], "idm": lambda f: f.output == IDM[1],
            "idm_backend": lambda f: tw(f) and ".idm_backend" in f.id,
            "fabless": lambda f: tw(f) and f.output == FOUNDRY[1] and ".idm_backend" not in f.id,
            "foundry": lambda f: f.output == FOUNDRY[0] and not tw(f)}
    ix = {k: [i for i, f in enumerate(facs) if p(f)] for k, p in pick.items()}
    made = lambda r, k, a, b: r.production[0, a:b][:, ix[k]].sum()
    assert made(res, "idm_fab", 0, 70) <= made(ref, "idm_fab", 0, 70) * (1 + 1e-9)
    assert made(res, "idm", 0, 70) == pytest.approx(made(ref, "idm", 0, 70), rel=1e-9)
    cut = {k: made(res, k, 50, 70) / made(ref, k, 50, 70) for k in ("idm_backend", "fabless")}
    assert cut["idm_backend"] < 0.95 and cut["idm_backend"] == pytest.approx(cut["fabless"], abs=0.02)
    # The packagers are split by the region of the fab behind their wafers (tools/baseline/packagers.py): a
    # part packaging Taiwan's designs buys Taiwanese wafers only, so the second-sourced fifth of its volume
    # (§5.6.6) has no other foundry to move to at the packager, and its users keep waiting for it within
    # their patience: the foundries elsewhere make what they made (pooled, they made 3 % more; O-15).
    assert made(res, "foundry", 20, 65) == pytest.approx(made(ref, "foundry", 20, 65), rel=1e-9)
