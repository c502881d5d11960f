"""The two prices a user reads (docs/user-guide.md, "Two prices"): the scarcity price index of a region's
market, and the landed cost its buyers pay, at the exporters' prices (the export offer on a controlled lane)
plus duty and freight; who_pays charges and credits the same price (docs/model.md §5.9, §8.2).

Oracles are hand-computed on the toy network with a price series set by hand: ore's reference price is 100,
freight 5 (CN) and 9 (ROW) a tonne, cells 1,000.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from supplychain import simulate
from supplychain.analytics import landed_cost, trade_labels
from supplychain.analytics._toy import toy_scenario
from supplychain.cli import format_who_pays
from supplychain.errors import ValidationError
from supplychain.metrics import who_pays
from supplychain.metrics.incidence import paid_price_index
from supplychain.model import ExportControl, Tariff

#: Stocks of the toy: CN.mine:ore, ROW.mine:ore, KR.cells:ore, KR.cells:cell, US.cells:cell, JP.cells:cell.
REFERENCE = np.array([100.0, 100.0, 100.0, 1000.0, 1000.0, 1000.0])
INDEX = np.array([0.8, 1.5, 1.2, 1.1, 1.0, 1.0])      # CN's ore cheap, ROW's dear, Korea's cells up 10 %
START = 5           # CN's export quota from day 5, 50 t per 10 days (it ships 7 t a day: the quota binds); a 10 % KR duty


@pytest.fixture(scope="module")
def res():
    scenario = toy_scenario(20).with_shocks(
        ExportControl(exporter="CN", commodity="ore", mode="quota", quota_per_period=50.0, period_days=10,
                      start=START),
        Tariff(importer="KR", exporter="ROW", commodity="ore", rate=0.1, start=0))
    r = simulate(scenario, engine="vector", seed=0)
    assert r.coords.stock == ("CN.mine:ore", "ROW.mine:ore", "KR.cells:ore", "KR.cells:cell", "US.cells:cell",
                              "JP.cells:cell")
    price = np.broadcast_to(REFERENCE * INDEX, r.values("price").shape).copy()
    return dataclasses.replace(r, arrays={**r.arrays, "price": price})


def test_the_price_paid_is_the_origins_or_on_a_controlled_lane_the_export_offer(res):
    paid = paid_price_index(res)[0]                         # lanes: CN>KR ore, ROW>KR ore, KR>US, KR>JP cells
    np.testing.assert_allclose(paid[:START, 0], 0.8)        # before the control: CN's own price
    np.testing.assert_allclose(paid[START:, 0], 1.2)        # under it, filled: the higher of CN's and Korea's
    assert np.allclose([res.flow[0, a:a + 10, 0].sum() for a in (START, START + 10)], 50.0)   # both periods filled
    np.testing.assert_allclose(paid[:, 1], 1.5)
    np.testing.assert_allclose(paid[:, 2:], 1.1)


def test_landed_cost_is_the_price_paid_plus_duty_and_freight_weighted_by_flow(res):
    x_cn, x_row = res.flow[0, :, 0], res.flow[0, :, 1]
    days = (x_cn + x_row) > 0
    cn = np.where(np.arange(res.n_days) < START, 100 * 0.8 + 5, 100 * 1.2 + 5)   # 85, then 125
    row = 100 * 1.5 * 1.1 + 9                                                       # 174: duty on the price paid
    expected = (x_cn * cn + x_row * row) / np.where(days, x_cn + x_row, 1.0)
    g = trade_labels(res).index("KR:ore")
    np.testing.assert_allclose(landed_cost(res)[0, days, g], expected[days])
    at_reference = (x_cn * 105 + x_row * (100 * 1.1 + 9)) / np.where(days, x_cn + x_row, 1.0)
    np.testing.assert_allclose(landed_cost(res, prices="reference")[0, days, g], at_reference[days])
    with pytest.raises(ValidationError, match="prices"):
        landed_cost(res, prices="scarcity")


def test_who_pays_charges_buyers_and_credits_exporters_the_price_paid(res):
    t = who_pays(res)
    x = res.flow[0]
    before, after = x[:START, 0].sum(), x[START:, 0].sum()
    assert before > 0 and after > 0                         # the licensed lane carried ore on both sides
    # CN sells at its own 0.8, then under the quota at the export offer 1.2 to Korea: the quota holders' rent.
    assert t.loc["CN", "scarcity_rent_usd"] == pytest.approx(100 * (-0.2 * before + 0.2 * after))
    assert t.loc["CN", "exporter_rent_lost_usd"] == pytest.approx(100 * 0.2 * before)
    assert t.loc["ROW", "scarcity_rent_usd"] == pytest.approx(100 * 0.5 * x[:, 1].sum())
    korea_inputs = 100 * (-0.2 * before + 0.2 * after) + 100 * (1.5 * 1.1 - 1.0) * x[:, 1].sum()
    assert t.loc["KR", "intermediate_buyer_cost_increase_usd"] == pytest.approx(korea_inputs)
    final = 1000 * 0.1 * x[:, 2:].sum()                     # cells at 1.1 to the US and Japan
    assert t["final_buyer_cost_increase_usd"].sum() == pytest.approx(final)
    duty_added = 100 * 1.5 * 0.1 * x[:, 1].sum()            # the rate on what was shipped, at the price paid
    assert t["scarcity_rent_net_of_inputs_usd"].sum() + duty_added == pytest.approx(final)


def test_the_who_pays_table_adds_nothing_twice_and_says_what_rent_net_of_inputs_is(res):
    t = who_pays(res)
    text = format_who_pays(t)
    assert "paid above ref." not in text                    # final buyers + producers' inputs counted inputs twice
    header = next(line for line in text.splitlines() if line.startswith("region  final buyers"))
    assert re.split(r"\s{2,}", header)[1:] == ["final buyers", "producers' inputs", "tariff (importer)",
                                               "demand given up"]
    note = text.split("\n\n")[-1]
    assert note.startswith("Final buyers is what the shock cost buyers, nothing counted twice")
    inputs = t.loc["KR", "scarcity_rent_usd"] - t.loc["KR", "scarcity_rent_net_of_inputs_usd"]
    assert inputs == pytest.approx(t.loc["KR", "intermediate_buyer_cost_increase_usd"])
    assert "KR producers earned" in note and "so their rent net of inputs is" in note
