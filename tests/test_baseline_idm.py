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
    own = sum(v for i, v in made.items() if i.endswith("packaging.mature_idm_chip"))
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
    own = [k for k, i in enumerate(ids) if i.endswith("packaging.mature_idm_chip")]
    bought = [k for k, i in enumerate(ids) if ".idm_backend" in i]
    p, p0 = np.asarray(res.production, float)[0], np.asarray(ref.production, float)[0]
    np.testing.assert_allclose(p[:, own], p0[:, own], rtol=1e-9, atol=1e-9)
    window = slice(120, 210)
    assert p[window][:, bought].sum() < 0.75 * p0[window][:, bought].sum()
    short = {d.commodity for d, y, y0 in zip(base.network.demands, np.asarray(res.delivered)[0].sum(axis=0),
                                              np.asarray(ref.delivered)[0].sum(axis=0)) if y < y0 * (1 - 1e-9)}
    assert "mature_idm_chip" not in short
