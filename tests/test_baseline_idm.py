"""Integrated device makers' own fabs keep running when foundry wafers stop.

IDMs have about 15 % of their chips made at foundries (MIC, May 2021). Those chips are foundry-made
(``mature_chip``: the design is locked to its foundry, as a fabless firm's is) and are packaged in the IDMs'
own back-end plants (``<region>.packaging.mature_chip.idm_backend.<fab region>``, one part per region of the fab
behind its wafers); the IDMs' own chips (``mature_idm_chip``) take only their own fabs' wafers. So a stop of
Taiwan's fabs cuts the foundry-made part and leaves the own fabs' output alone (docs/assumptions.md, "Classes").
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import supplychain as sc
from supplychain import CapacityShock
from tools.baseline.semiconductors import IDM_FOUNDRY


@pytest.fixture(scope="module")
def network():
    return sc.load_baseline().network


def test_idm_chips_take_only_their_own_fabs_wafers(network):
    plants = [f for f in network.facilities if f.output == "mature_idm_chip"]
    assert plants and all(dict(f.recipe) == {"mature_idm_wafer": 1.0} for f in plants)
    backend = [f for f in network.facilities if ".idm_backend" in f.id]
    assert {f.region for f in backend} == {f.region for f in plants}
    assert all(f.output == "mature_chip" and dict(f.recipe) == {"mature_wafer": 1.0} for f in backend)


def test_idms_have_the_cited_share_of_their_chips_made_at_foundries(network):
    """IDMs' foundry-made chips (their back-end plants' mature_chip) / all IDM chips = the MIC share."""
    made = {f.id: f.capacity_per_day for f in network.facilities}  # baseline plants share one utilisation
    # the IDMs' own chips: their packagers, split by the region of the fab behind their wafers
    own = sum(f.capacity_per_day for f in network.facilities if f.stage == "packaging" and f.output == "mature_idm_chip")
    bought = sum(v for i, v in made.items() if ".idm_backend" in i)
    assert bought / (own + bought) == pytest.approx(IDM_FOUNDRY.value, rel=1e-3)


def test_a_taiwan_fab_stop_leaves_idms_own_fabs_running():
    """180 days without Taiwan's fabs: the IDMs' own chips are made as every day before, day by day; the
    chips IDMs have made at foundries fall with every other foundry customer's."""
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = sc.load_baseline(horizon_days=365)
    shocked = base.with_shocks(*(CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=30, end=210)
                                 for s in ("fab", "fab_new")))
    ref = sc.simulate(base, engine="vector", seed=1)
    res = sc.simulate(shocked, engine="vector", seed=1)
    ids = [f.id for f in base.network.facilities]
    own = [k for k, f in enumerate(base.network.facilities) if f.stage == "packaging" and f.output == "mature_idm_chip"]
    assert len(own) > 6   # the IDMs' packagers, split by the region of the fab behind their wafers
    bought = [k for k, i in enumerate(ids) if ".idm_backend" in i]
    p, p0 = np.asarray(res.production, float)[0], np.asarray(ref.production, float)[0]
    np.testing.assert_allclose(p[:, own], p0[:, own], rtol=1e-9, atol=1e-9)
    window = slice(120, 210)
    assert p[window][:, bought].sum() < 0.75 * p0[window][:, bought].sum()
    short = {d.commodity for d, y, y0 in zip(base.network.demands, np.asarray(res.delivered)[0].sum(axis=0),
                                              np.asarray(ref.delivered)[0].sum(axis=0)) if y < y0 * (1 - 1e-9)}
    assert "mature_idm_chip" not in short


def test_japans_idm_designs_are_made_only_of_japanese_idm_wafers():
    """Every Japanese IDM fab stopped from day 1: the parts that package Japan's IDM designs (``<packager>.JP``,
    in every region) make no more than the Japanese IDM wafers there were on day 0 (finished at the fabs, in the
    parts' die bank, on the way to them) and then stop, while the other regions' IDM fabs run with capacity to
    spare (their chips are other designs, docs/model.md §6.6); the users of IDM chips go short."""
    base = sc.load_baseline(horizon_days=150)
    net = base.network
    fabs = [f.id for f in net.facilities if f.region == "JP" and f.output == "mature_idm_wafer"]
    shocked = base.with_shocks(*(CapacityShock(facility=i, fraction_lost=1.0, start=1) for i in fabs))
    res, ref = sc.simulate(shocked, engine="vector", seed=1), sc.simulate(base, engine="vector", seed=1)
    ids = [f.id for f in net.facilities]
    parts = [i for i in ids if i.split(".")[1:3] == ["packaging", "mature_idm_chip"] and i.endswith(".JP")]
    assert len(parts) == 6   # one in every region
    lanes = [lane for lane in net.lanes if lane.destination in parts and lane.commodity == "mature_idm_wafer"]
    assert lanes and {net.facility(lane.origin).region for lane in lanes} == {"JP"}
    stocks = list(res.coords.stock)
    held = [stocks.index(f"{i}:mature_idm_wafer") for i in fabs + parts]
    moving = [list(res.coords.lane).index(f"{lane.origin}>{lane.destination}") for lane in lanes]
    day0 = np.asarray(res.inventory)[0, 0, held].sum() + np.asarray(res.in_transit)[0, 0, moving].sum()
    made = np.asarray(res.production, float)[0]
    k = [ids.index(i) for i in parts]
    assert made[1:, [ids.index(i) for i in fabs]].sum() == 0.0
    assert 0.9 * day0 < made[1:, k].sum() <= day0 * (1 + 1e-9)   # conservation: all of it, and no more
    assert made[-10:, k].sum() < 1e-9 * made[0, k].sum()   # dry (geometric tail of the last wafers)
    gap = (np.asarray(ref.delivered) - np.asarray(res.delivered))[0].sum(axis=0)
    idm = [j for j, d in enumerate(net.demands) if d.commodity == "mature_idm_chip"]
    assert gap[idm].sum() > 0.05 * sum(net.demands[j].rate_per_day for j in idm) * 150 * 0.2
