"""Mature-node chips' content caps the C26, C27 and C28 output that needs them (docs/model.md §8.3)."""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain.impact.loss import InputMap
from supplychain.impact.table import load_io_table
from tools.impact.build import (APPLIANCE_CHIPS, APPLIANCE_PRICE, CONTENT, ELECTRONICS_CHIPS, INDUSTRIAL_CHIPS,
                                SYSTEMS_CONTENT)


@pytest.fixture(scope="module")
def mapped():
    net = sc.load_baseline(horizon_days=5).network
    table = load_io_table()
    return net, table, InputMap.build(net, table)


def _purchases(net, region: str | None, commodity: str, segment: str = "industrial") -> float:
    """USD a year of ``commodity`` bought by ``segment`` (of ``region``, or the world)."""
    price = {c.id: c.price_usd for c in net.commodities}[commodity]
    return 365.0 * price * sum(d.rate_per_day for d in net.demands if d.commodity == commodity
                               and d.segment == segment and region in (None, d.region))


def test_the_content_is_the_teardown_s_chips_over_its_price_shared_by_class():
    # 13.84 / 749 = 0.018478 of all chips; the classes' shares of 87.868 bn: 18.236 and 40.346 bn
    assert APPLIANCE_CHIPS / APPLIANCE_PRICE == pytest.approx(0.018478, abs=1e-6)
    assert sum(INDUSTRIAL_CHIPS.values()) == pytest.approx(87.868)
    for c, want in (("mature_chip", 0.00383), ("mature_idm_chip", 0.00848)):
        assert CONTENT[(c, "C27")][0] == CONTENT[(c, "C28")][0] == want
        assert want == round(0.018478 * INDUSTRIAL_CHIPS[c] / 87.868, 5)
    assert ("mature_chip", "C29") not in CONTENT


def test_the_c26_content_is_the_chips_share_of_systems_net_of_c26_s_own_components():
    # 0.332 x (1 - 0.30 x 0.5) = 0.2822 of all chips; the classes' shares of 451.859 bn: 39.048 and 86.39 bn
    assert sum(ELECTRONICS_CHIPS.values()) == pytest.approx(451.859)
    for c, want in (("mature_chip", 0.02439), ("mature_idm_chip", 0.05395)):
        assert CONTENT[(c, "C26")][0] == want == round(SYSTEMS_CONTENT * 0.85 * ELECTRONICS_CHIPS[c] / 451.859, 5)


def test_the_segments_purchases_are_the_baseline_s(mapped):
    net, _, _ = mapped
    for segment, chips in (("industrial", INDUSTRIAL_CHIPS), ("electronics", ELECTRONICS_CHIPS)):
        for c, bn in chips.items():
            assert _purchases(net, None, c, segment) / 1e9 == pytest.approx(bn, abs=0.001)


def test_a_region_s_c27_c28_output_that_needs_mature_chips_is_its_chips_over_the_content(mapped):
    net, table, imap = mapped
    r, n_s = table.regions.index("CN"), len(table.sectors)
    c27, c28 = table.sectors.index("C27"), table.sectors.index("C28")
    deps = {}
    for c in ("mature_chip", "mature_idm_chip"):
        k = imap.columns.index(("CN", c, "industrial"))
        theta = CONTENT[(c, "C27")][0]
        supply = _purchases(net, "CN", c)
        # the industrial segment's chips go 0.4 to C27 and 0.6 to C28 (the table's [[segment]] rows)
        w27 = min(1.0, 0.4 * supply / (theta * table.output[r][c27]))
        w28 = min(1.0, 0.6 * supply / (theta * table.output[r][c28]))
        assert imap.dependence[k, r * n_s + c27] == pytest.approx(w27)
        assert imap.dependence[k, r * n_s + c28] == pytest.approx(w28)
        deps[c] = (w27, w28)
        # a tenth of China's industrial chips of the class short, nothing else: C28 keeps 1 - w28 / 10
        short = np.zeros((1, len(imap.columns)))
        short[0, k] = 0.1
        cap = imap.capacity_at(short)[0]
        assert cap[r * n_s + c28] == pytest.approx(1.0 - 0.1 * w28)
        assert np.delete(cap, [r * n_s + c27, r * n_s + c28]) == pytest.approx(1.0)
    # both classes serve the same products: the same output needs them (to the content's rounding)
    assert deps["mature_chip"] == pytest.approx(deps["mature_idm_chip"], rel=2e-3)
    assert 0.5 < deps["mature_chip"][0] < 0.7 and 0.9 < deps["mature_chip"][1] < 1.0


def test_a_region_s_c26_output_that_needs_mature_chips_is_its_electronics_chips_over_the_content(mapped):
    net, table, imap = mapped
    r, n_s = table.regions.index("US"), len(table.sectors)
    for c in ("mature_chip", "mature_idm_chip"):
        k = imap.columns.index(("US", c, "electronics"))
        w = _purchases(net, "US", c, "electronics") / (CONTENT[(c, "C26")][0] * table.output[r][0])
        assert imap.dependence[k, r * n_s] == pytest.approx(w) and 0.3 < w < 0.5
        assert np.count_nonzero(imap.dependence[k]) == 1   # the electronics segment's chips go to C26 alone
