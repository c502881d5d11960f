"""Advanced logic's content caps the C26 output that needs it (docs/model.md §8.3, *Advanced logic*)."""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain.impact.loss import InputMap
from supplychain.impact.table import load_io_table
from tools.impact.build import CONTENT, LOGIC_DEVICES, LOGIC_ELECTRONICS, LOGIC_SALES


@pytest.fixture(scope="module")
def mapped():
    net = sc.load_baseline(horizon_days=5).network
    table = load_io_table()
    return net, table, InputMap.build(net, table)


def test_the_content_is_electronics_makers_logic_over_the_devices_that_carry_it():
    # 0.8643 x 212.6 bn over 441.4 (phones) + 183.9 (PCs) + 235.7 (servers) = 861.0 bn
    assert LOGIC_ELECTRONICS == pytest.approx(0.8643, abs=1e-4)
    assert sum(v for v, _ in LOGIC_DEVICES.values()) == pytest.approx(861.0)
    assert CONTENT[("logic_chip", "C26")][0] == pytest.approx(round(0.8643 * LOGIC_SALES / 861.0, 3)) == 0.213


def test_a_region_s_c26_output_that_needs_logic_is_its_logic_over_the_content(mapped):
    net, table, imap = mapped
    r, n_s = table.regions.index("CN"), len(table.sectors)
    k = imap.columns.index(("CN", "logic_chip", "electronics"))
    price = {c.id: c.price_usd for c in net.commodities}["logic_chip"]
    supply = 365.0 * price * sum(d.rate_per_day for d in net.demands if d.region == "CN"
                                 and d.commodity == "logic_chip" and d.segment == "electronics")
    w = supply / (0.213 * table.output[r][0])   # USD a year over USD a year: about 77 bn / (0.213 x 2,288 bn)
    assert imap.dependence[k, r * n_s] == pytest.approx(w) and 0.1 < w < 0.3
    # a tenth of China's electronics logic short, nothing else: C26 there keeps 1 - w / 10 of its capacity
    short = np.zeros((1, len(imap.columns)))
    short[0, k] = 0.1
    cap = imap.capacity_at(short)[0]
    assert cap[r * n_s] == pytest.approx(1.0 - 0.1 * imap.dependence[k, r * n_s])
    assert np.delete(cap, r * n_s) == pytest.approx(1.0)
