"""What buyers bid under allocation by value, and the tiers it gives (docs/model.md §5.7).

A facility bids the value of its marginal product net of its recipe's other inputs, at least the
input's reference price and at most the highest price the input's market can reach (its price cap
times its reference price); a final demand bids the good's price. Hand-computed on a supplier with
three plant buyers and a final use, then shipped by both engines.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.compile.rules.allocation import lane_values, value_ranks
from supplychain.engines import kernel
from supplychain.engines import sourcing as _sourcing
from supplychain.engines.des.layout import Layout
from supplychain.engines.des.shipping import offer
from supplychain.metrics.balance import material_balance
from supplychain.model import CapacityShock, Commodity, Demand, Facility, Lane, Network, Region, Scenario
from supplychain.model.prices import price_params
from supplychain.run import simulate

from .conftest import assert_engines_agree


def three_buyers() -> Network:
    """CN.src sells x (100 USD, cap 5 x 100) to plants A, B, C and to a final use; CN.y sells y (100 USD).

    Recipes (x, y per unit of output) and output prices:
      KR.a  {x: 2, y: 1} at 1,000: (1,000 - 1 x 100) / 2 = 450, under the cap       -> bids 450
      US.b  {x: 1, y: 4} at 1,000: (1,000 - 4 x 100) / 1 = 600, over the cap of 500  -> bids 500
      JP.c  {x: 1, y: 3} at   300: (300 - 3 x 100) / 1 = 0, below x's price of 100   -> bids 100
      JP.use, final demand of x: the highest price x's market can reach              -> bids 500
    Before the net and the cap (output price over coefficient; a final use its price) they were 500,
    1,000, 300 and 100.
    """
    return Network(
        regions=(Region("CN"), Region("JP"), Region("KR"), Region("US")),
        commodities=(Commodity("x", "t", 100.0), Commodity("y", "t", 100.0), Commodity("a", "t", 1000.0),
                     Commodity("b", "t", 1000.0), Commodity("c", "t", 300.0)),
        facilities=(Facility("CN.src", "CN", "refinery", "x", 20.0, allocation="value", default_cover_days=5.0),
                    Facility("CN.y", "CN", "refinery", "y", 50.0, default_cover_days=5.0),
                    Facility("KR.a", "KR", "plant", "a", 5.0, recipe={"x": 2.0, "y": 1.0}, default_cover_days=5.0),
                    Facility("US.b", "US", "plant", "b", 5.0, recipe={"x": 1.0, "y": 4.0}, default_cover_days=5.0),
                    Facility("JP.c", "JP", "plant", "c", 5.0, recipe={"x": 1.0, "y": 3.0}, default_cover_days=5.0)),
        lanes=(Lane("CN.src", "KR.a", "x", lead_time=2.0, share=1.0),
               Lane("CN.src", "US.b", "x", lead_time=2.0, share=1.0),
               Lane("CN.src", "JP.c", "x", lead_time=2.0, share=1.0),
               Lane("CN.src", "JP.use", "x", lead_time=2.0, share=1.0),
               Lane("CN.y", "KR.a", "y", lead_time=2.0, share=1.0),
               Lane("CN.y", "US.b", "y", lead_time=2.0, share=1.0),
               Lane("CN.y", "JP.c", "y", lead_time=2.0, share=1.0),
               Lane("KR.a", "KR.use_a", "a", lead_time=1.0, share=1.0),
               Lane("US.b", "US.use_b", "b", lead_time=1.0, share=1.0),
               Lane("JP.c", "JP.use_c", "c", lead_time=1.0, share=1.0)),
        demands=(Demand("JP.use", "JP", "x", 2.0), Demand("KR.use_a", "KR", "a", 1.0),
                 Demand("US.use_b", "US", "b", 1.0), Demand("JP.use_c", "JP", "c", 1.0)),
    )


X_LANES = ("CN.src>KR.a", "CN.src>US.b", "CN.src>JP.c", "CN.src>JP.use")


def test_bids_are_the_hand_computed_values_net_floored_and_capped():
    net = three_buyers()
    assert price_params("").cap == 5.0                      # x's chain is the default one: its cap is 5
    ids = [f"{lane.origin}>{lane.destination}" for lane in net.lanes]
    at = [ids.index(k) for k in X_LANES]
    np.testing.assert_allclose(lane_values(net)[at], [450.0, 500.0, 100.0, 500.0], rtol=1e-15)
    np.testing.assert_allclose(lane_values(net, capped=False)[at], [450.0, 600.0, 100.0, 500.0], rtol=1e-15)
    origin = np.array([0 if lane.origin == "CN.src" else 1 for lane in net.lanes])
    ranks = value_ranks(lane_values(net), origin, origin == 0)
    assert ranks[at].tolist() == [1, 0, 2, 0]               # B with the final use, then A, then C


def test_plants_above_the_cap_share_a_tier_whatever_their_recipe_split():
    """Two cell makers using 420 and 152 t of one anode material per GWh (of 971 t in both): one tier."""
    net = Network(
        regions=(Region("CN"), Region("KR")),
        commodities=(Commodity("nat", "t", 4000.0), Commodity("syn", "t", 4000.0),
                     Commodity("cell", "GWh", 75e6)),
        facilities=(Facility("CN.nat", "CN", "material", "nat", 1e4, allocation="value"),
                    Facility("CN.syn", "CN", "material", "syn", 1e4),
                    Facility("KR.cell", "KR", "cell_plant", "cell", 10.0, recipe={"nat": 419.72, "syn": 551.63}),
                    Facility("CN.cell", "CN", "cell_plant", "cell", 10.0, recipe={"nat": 151.53, "syn": 819.82})),
        lanes=(Lane("CN.nat", "KR.cell", "nat", share=1.0), Lane("CN.nat", "CN.cell", "nat", share=1.0),
               Lane("CN.syn", "KR.cell", "syn", share=1.0), Lane("CN.syn", "CN.cell", "syn", share=1.0),
               Lane("KR.cell", "KR.use", "cell", share=1.0), Lane("CN.cell", "CN.use", "cell", share=1.0)),
        demands=(Demand("KR.use", "KR", "cell", 1.0), Demand("CN.use", "CN", "cell", 1.0)),
    )
    raw = lane_values(net, capped=False)
    # (75e6 - 551.63 x 4000) / 419.72 = 173,432 against (75e6 - 819.82 x 4000) / 151.53 = 473,317 USD/t.
    np.testing.assert_allclose(raw[:2], [(75e6 - 551.63 * 4000) / 419.72, (75e6 - 819.82 * 4000) / 151.53])
    assert raw[0] < raw[1] / 2                                  # alone, the net leaves Korea far behind
    np.testing.assert_allclose(lane_values(net)[:4], 20000.0)   # both over the cap, 5 x 4,000
    origin = np.array([0, 0, 1, 1, 2, 3])
    assert value_ranks(lane_values(net), origin, np.ones(6, bool))[:2].tolist() == [0, 0]


# CN.src holds 4.5 and owes nothing; today's orders are the steady flows: A 2, B 1, C 1, the final use 2.
#   tier 0 (B and the final use, 500): 1 + 2 = 3 -> B 1, use 2, 1.5 left;
#   tier 1 (A, 450): 2 against 1.5 -> A 1.5, nothing left;  tier 2 (C, 100): 0.
# Ranked by output price over coefficient (before): B 1, A 2, C 1 (300), then the use 0.5.
@pytest.mark.parametrize(("feedback", "rule"), [(False, "value"), (True, "auto")])
def test_both_engines_ship_the_hand_computed_split(feedback, rule):
    net = three_buyers()
    net = dataclasses.replace(net, facilities=(dataclasses.replace(net.facilities[0], allocation=rule),
                                               *net.facilities[1:]))
    c = compile_scenario(Scenario(net, horizon_days=5, price_feedback=feedback))
    lanes = [c.lane_ids.index(k) for k in X_LANES]
    f = c.facility_ids.index("CN.src")
    assert _sourcing.spec(c).n_tiers == 3
    s = kernel.initial_state(c, 1)
    s.stock[0, c.out_stock[f]] = 4.5
    s.owed[0, :] = 0.0
    orders = np.zeros((1, c.n_lanes))
    orders[0, lanes] = [2.0, 1.0, 1.0, 2.0]
    shipped = kernel.ship(c, s, orders)
    np.testing.assert_allclose(shipped[0, lanes], [1.5, 1.0, 0.0, 2.0], rtol=0, atol=1e-12)
    lay = Layout(c)
    stock = [0.0] * lay.n_stocks
    stock[lay.out_stock[f]] = 4.5
    owed, asked, out = [0.0] * c.n_lanes, [0.0] * c.n_lanes, [0.0] * c.n_lanes
    for lane, q in zip(lanes, (2.0, 1.0, 1.0, 2.0)):
        asked[lane] = q
    offer(SimpleNamespace(layout=lay, owed=owed, orders=asked, stock=stock), f, out)  # type: ignore[arg-type]
    assert [out[k] for k in lanes] == shipped[0, lanes].tolist()   # the same bits


def test_engines_agree_on_a_shortage_with_feedback_and_the_top_tier_keeps_its_output():
    scenario = Scenario(three_buyers(), horizon_days=60, price_feedback=True).with_shocks(
        CapacityShock(facility="CN.src", fraction_lost=0.85, start=5, end=35, recovery_days=0))
    a, b = simulate(scenario, engine="vector", seed=3), simulate(scenario, engine="des", seed=3)
    assert_engines_agree(a, b)
    assert material_balance(a).max_relative_error < 1e-9
    made = {k: a.production[0, :, a.coords.index("facility", k)] for k in ("US.b", "KR.a", "JP.c")}
    # 3 a day is made against 6 wanted: B and the final use (tier 0) keep their 1 + 2 a day; A (tier 1)
    # gets only what the final use gives up to the price (under 1 % of its need) and C (tier 2) nothing,
    # once their stocks are drawn; both catch up after the shock.
    np.testing.assert_allclose(made["US.b"], 1.0, rtol=1e-9)
    assert made["KR.a"][25:35].max() < 0.01
    assert made["JP.c"][25:35].max() < 1e-12
    use = a.coords.index("demand", "JP.use")
    np.testing.assert_allclose(a.delivered[0, :, use], a.demand[0, :, use], rtol=1e-9)


def test_the_plants_of_one_industry_bid_as_one_at_their_highest_value():
    """A region's installed fab and its new capacity, charged with the year's tools, make one good: one bid."""
    net = Network(
        regions=(Region("JP"), Region("KR")),
        commodities=(Commodity("resist", "kUSD", 1000.0), Commodity("tool", "kUSD", 1000.0),
                     Commodity("wafer", "wafer", 5000.0)),
        facilities=(Facility("JP.chem", "JP", "chemical", "resist", 10.0, allocation="value"),
                    Facility("JP.tools", "JP", "equipment", "tool", 100.0),
                    Facility("KR.fab", "KR", "fab", "wafer", 100.0, recipe={"resist": 0.03}),
                    Facility("KR.fab_new", "KR", "fab_new", "wafer", 10.0, recipe={"resist": 0.03, "tool": 10.0})),
        lanes=(Lane("JP.chem", "KR.fab", "resist", share=1.0), Lane("JP.chem", "KR.fab_new", "resist", share=1.0),
               Lane("JP.tools", "KR.fab_new", "tool", share=1.0), Lane("KR.fab", "KR.use", "wafer", share=1.0),
               Lane("KR.fab_new", "KR.use", "wafer", share=1.0)),
        demands=(Demand("KR.use", "KR", "wafer", 50.0),),
    )
    # Alone: the fab 5,000 / 0.03 = 166,667; the new capacity (5,000 - 10 x 1,000) / 0.03 < 0, so the price,
    # 1,000. As one industry both bid 166,667, capped at 5 x 1,000. Tools: (5,000 - 30) / 10 = 497 -> 1,000.
    np.testing.assert_allclose(lane_values(net, capped=False)[:3], [5000.0 / 0.03, 5000.0 / 0.03, 1000.0])
    np.testing.assert_allclose(lane_values(net)[:3], [5000.0, 5000.0, 1000.0])
