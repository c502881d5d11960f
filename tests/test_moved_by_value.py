"""Which commodities' prices a run's plots show: by the index's move or by the value that moved."""

from __future__ import annotations

import pytest

import supplychain as sc
from supplychain.errors import ValidationError
from supplychain.plotting.prices import moved_commodities


@pytest.fixture(scope="module")
def blockade():
    """The flagship's first 150 days (the 60-day closure of Taiwan's lanes and the magnet ban)."""
    return sc.simulate(sc.load_example("taiwan_blockade_magnets").with_horizon(150), engine="vector", seed=1)


def test_by_value_ranks_the_chips_whose_small_rise_costs_most(blockade):
    by_index, by_value = moved_commodities(blockade, 3), moved_commodities(blockade, 3, by="value")
    # Chips rise by about a tenth, a small ore market or magnets by far more in index terms.
    assert "logic_chip" not in by_index and by_value[0] == "logic_chip"


def test_value_score_is_the_index_days_times_what_buyers_receive(blockade):
    """Hand sum for one commodity: only logic chips and wafers can outrank each other by what they are worth."""
    import numpy as np
    c = blockade.coords
    ref = {k.id: k.price_usd for k in blockade.scenario.network.commodities}
    price = blockade.values("price")
    score = {}
    for k in ("logic_chip", "logic_wafer"):
        total = 0.0
        for region in {r for r, kk in zip(c.region["stock"], c.commodity["stock"]) if kk == k}:
            i = next(j for j, (r, kk) in enumerate(zip(c.region["stock"], c.commodity["stock"])) if (r, kk) == (region, k))
            received = sum(float(x) * ref[k] for x, kk, lr in zip(blockade.values("arrivals").mean(axis=(0, 1)),
                                                                c.commodity["lane"], c.region["lane"])
                           if kk == k and lr.split(">")[-1] == region)
            total += float(np.abs(price[0, :, i] / ref[k] - 1.0).sum()) * received
        score[k] = total
    ranked = moved_commodities(blockade, 40, by="value")
    assert (ranked.index("logic_chip") < ranked.index("logic_wafer")) == (score["logic_chip"] > score["logic_wafer"])


def test_by_must_be_index_or_value(blockade):
    with pytest.raises(ValidationError, match=r"by must be 'index' or 'value' \(did you mean 'value'\?\)"):
        moved_commodities(blockade, by="val")
