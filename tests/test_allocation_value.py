"""Allocation by value (price rationing) and the quoted wait per value tier (docs/model.md §5.7).

A short supplier allocating by value serves its buyers in tiers of what a unit is worth to them,
highest first (a fab: the value of its marginal product, capped at the input's price cap; an alloy
plant whose output is worth less than its input: the input's price; a final demand: the cap), each
tier by history; ``"auto"``, the default, is this rule with price feedback on and
allocation by history without. A new order on a lane waits for what the supplier owes the lanes
of its own and higher tiers.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.compile.rules.allocation import ALLOCATION_CODE
from supplychain.engines import kernel
from supplychain.engines import sourcing as _sourcing
from supplychain.engines.des.layout import Layout
from supplychain.engines.des.shipping import offer
from supplychain.metrics.balance import material_balance
from supplychain.model import CapacityShock, Commodity, Demand, Facility, Lane, Network, Region, Scenario
from supplychain.run import simulate

from .conftest import assert_engines_agree


def fab_and_use(rule: str = "auto") -> Network:
    """CN.ref sells gallium to US.fab (2/day: 0.02 per chip, 100 chips/day) and to JP.alloy (8/day: 1 per kg of
    an alloy worth 400 USD/kg, less than its gallium, so it bids gallium's price, 500 USD/kg)."""
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("ga", "kg", 500.0), Commodity("chip", "kUSD", 1000.0),
                     Commodity("alloy", "kg", 400.0)),
        facilities=(Facility("CN.ref", "CN", "refinery", "ga", 20.0, allocation=rule, default_cover_days=5.0),
                    Facility("US.fab", "US", "fab", "chip", 150.0, recipe={"ga": 0.02}, default_cover_days=5.0),
                    Facility("JP.alloy", "JP", "smelter", "alloy", 12.0, recipe={"ga": 1.0}, default_cover_days=5.0)),
        lanes=(Lane("CN.ref", "US.fab", "ga", lead_time=2.0, share=1.0),
               Lane("CN.ref", "JP.alloy", "ga", lead_time=2.0, share=1.0),
               Lane("US.fab", "US.chips", "chip", lead_time=1.0, share=1.0),
               Lane("JP.alloy", "JP.use", "alloy", lead_time=1.0, share=1.0)),
        demands=(Demand("JP.use", "JP", "alloy", 8.0), Demand("US.chips", "US", "chip", 100.0)),
    )


USE_LANE = "CN.ref>JP.alloy"


def _book(rule: str, feedback: bool = False):  # type: ignore[no-untyped-def]
    c = compile_scenario(Scenario(fab_and_use(rule), horizon_days=5, price_feedback=feedback))
    return c, c.lane_ids.index("CN.ref>US.fab"), c.lane_ids.index(USE_LANE)


# CN.ref holds 9. Owed: fab 3, use 4. Today's orders: fab 5, use 10. Steady flows: fab 2, use 8.
#   value: tier 0 (fab, 1,000 / 0.02 = 50,000 USD/kg, bids the cap 5 x 500): normal min(8, 2) = 2, older (3 - 2) = 1, rest 5: 8 shipped;
#          tier 1 (alloy plant, 500 USD/kg): normal min(14, 8) = 8 against 1 left -> 1.     fab 8, use 1.
#   history: class 1 fab 2, use 8 = 10 > 9, fill 0.9 -> 1.8, 7.2; nothing left.   fab 1.8, use 7.2.
CASES = [("value", False, (8.0, 1.0)), ("auto", True, (8.0, 1.0)), ("history", True, (1.8, 7.2)),
         ("auto", False, (1.8, 7.2))]


@pytest.mark.parametrize(("rule", "feedback", "expected"), CASES)
def test_value_allocation_gives_the_hand_computed_split_in_both_engines(rule, feedback, expected):
    c, fab, use = _book(rule, feedback)
    f = c.facility_ids.index("CN.ref")
    s = kernel.initial_state(c, 1)
    s.stock[0, c.out_stock[f]] = 9.0
    s.owed[0, [fab, use]] = [3.0, 4.0]
    orders = np.zeros((1, c.n_lanes))
    orders[0, [fab, use]] = [5.0, 10.0]
    shipped = kernel.ship(c, s, orders)
    np.testing.assert_allclose(shipped[0, [fab, use]], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(s.owed[0, [fab, use]], [8.0 - expected[0], 14.0 - expected[1]], rtol=0, atol=1e-12)
    lay = Layout(c)
    stock = [0.0] * lay.n_stocks
    stock[lay.out_stock[f]] = 9.0
    owed, asked = [0.0] * c.n_lanes, [0.0] * c.n_lanes
    owed[fab], owed[use], asked[fab], asked[use] = 3.0, 4.0, 5.0, 10.0
    out = [0.0] * c.n_lanes
    offer(SimpleNamespace(layout=lay, owed=owed, orders=asked, stock=stock), f, out)  # type: ignore[arg-type]
    assert (out[fab], out[use]) == (shipped[0, fab], shipped[0, use])   # the same bits


def test_auto_resolves_by_price_feedback_and_tiers_follow_value_per_unit():
    c, fab, use = _book("auto", feedback=True)
    sp = _sourcing.spec(c)
    assert sp.allocation is not None and sp.allocation[fab] == ALLOCATION_CODE["value"]
    assert sp.value_rank is not None and (sp.value_rank[fab], sp.value_rank[use]) == (0, 1) and sp.n_tiers == 2
    off = _sourcing.spec(_book("auto", feedback=False)[0])
    assert off.allocation is None and off.value_rank is None          # every supplier by history
    # A chip buyer's lane has one buyer: one tier; equal values within 1e-9 share a tier.
    assert sp.value_rank[c.lane_ids.index("US.fab>US.chips")] == 0
    with pytest.raises(Exception, match="allocation must be one of .*'value', 'auto'"):
        Facility("CN.x", "CN", "plant", "ga", 1.0, allocation="price")  # type: ignore[arg-type]


# Owed: fab 3 (beyond its normal flow 2), alloy plant 4 (within its normal flow 8). What a new order waits for:
#   value:   fab (tier 0) everything owed to tier 0 = 3; use (tier 1) tier 0's 3 + its tier's first class min(4, 8) = 7.
#   history: fab (at or beyond its flow) everything = 7; use (within) every lane's first class min(3, 2) + min(4, 8) = 6.
#   fcfs:    everything, 7 and 7.
@pytest.mark.parametrize(("rule", "due"), [("value", (3.0, 7.0)), ("history", (7.0, 6.0)), ("fcfs", (7.0, 7.0))])
def test_a_new_order_waits_for_the_classes_served_before_or_with_it(rule, due):
    c, fab, use = _book(rule)
    s = kernel.initial_state(c, 1)
    s.owed[0, [fab, use]] = [3.0, 4.0]
    wait, restart = _sourcing.supplier_wait(c, s)
    rate = s.throughput[0, c.facility_ids.index("CN.ref")]       # steady: the quoted rate is the normal rate
    np.testing.assert_allclose(wait[0, [fab, use]] * rate, due, rtol=1e-12)
    assert restart[0, fab] == restart[0, use] == 0.0


def shortage(rule: str) -> Scenario:
    """CN.ref loses 70 % of its capacity for 40 days (price feedback on)."""
    return Scenario(fab_and_use(rule), horizon_days=90, price_feedback=True).with_shocks(
        CapacityShock(facility="CN.ref", fraction_lost=0.7, start=5, end=45, recovery_days=0))


def test_engines_agree_exactly_and_the_fab_is_served_before_the_alloy_plant():
    a = simulate(shortage("auto"), engine="vector", seed=1)
    b = simulate(shortage("auto"), engine="des", seed=1)
    assert_engines_agree(a, b)
    assert material_balance(a).max_relative_error < 1e-9
    h = simulate(shortage("history"), engine="vector", seed=1)
    fab = a.coords.index("facility", "US.fab")
    lane_fab, lane_use = a.coords.index("lane", "CN.ref>US.fab"), a.coords.index("lane", USE_LANE)
    # 6 a day is made: by value the fab's 2 come first and it never slows; by history it shares the cut.
    np.testing.assert_allclose(a.production[0, :, fab], 100.0, rtol=1e-9)
    assert h.production[0, :, fab].min() < 61.0
    assert a.flow[0, 5:45, lane_fab].sum() > h.flow[0, 5:45, lane_fab].sum() + 20.0
    assert a.flow[0, 5:45, lane_use].sum() < h.flow[0, 5:45, lane_use].sum() - 20.0
    q = a.values("quoted_lead_time")[0]
    assert (q[:, lane_fab] <= q[:, lane_use] + 1e-12).all() and (q[:, lane_fab] < q[:, lane_use] - 1.0).any()


def test_values_put_a_second_fab_of_the_same_recipe_in_the_same_tier():
    net = fab_and_use("value")
    fab2 = dataclasses.replace(net.facilities[1], id="JP.fab", region="JP")
    net = dataclasses.replace(net, facilities=(*net.facilities, fab2),
                              lanes=(*net.lanes, Lane("CN.ref", "JP.fab", "ga", share=1.0),
                                     Lane("JP.fab", "JP.chips", "chip", share=1.0)),
                              demands=(*net.demands, Demand("JP.chips", "JP", "chip", 50.0)))
    c = compile_scenario(Scenario(net, horizon_days=5))
    rank = _sourcing.spec(c).value_rank
    assert rank is not None
    assert rank[c.lane_ids.index("CN.ref>US.fab")] == rank[c.lane_ids.index("CN.ref>JP.fab")] == 0
    assert rank[c.lane_ids.index(USE_LANE)] == 1
