"""Allocation by history and the receivers' input-supported spare capacity (docs/model.md §5.7, §5.6.6).

A short supplier serves every lane up to its steady daily flow first, then the rest of the
backlogs, then the rest of the day's orders; orders a buyer diverted to it are beyond that
history and come after every lane's normal flow. A receiver of diverted orders offers only
the spare output its inputs support, ``min(X_f, M_f) - h_f``.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines import kernel
from supplychain.engines import sourcing as _sourcing
from supplychain.engines.des.layout import Layout
from supplychain.engines.des.shipping import offer
from supplychain.metrics.balance import material_balance
from supplychain.model import (
    CapacityShock,
    Commodity,
    Demand,
    ExportControl,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate

from .conftest import assert_engines_agree


def two_buyers(rule: str = "history") -> Network:
    """CN.plant serves X (its incumbent, steady flow 10) and Y (an alternate, steady flow 0)."""
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, allocation=rule),
                    Facility("JP.plant", "JP", "plant", "w", 40.0)),
        lanes=(Lane("CN.plant", "X.w", "w", share=1.0), Lane("CN.plant", "Y.w", "w", share=0.0),
               Lane("JP.plant", "Y.w", "w", share=1.0)),
        demands=(Demand("X.w", "US", "w", 10.0), Demand("Y.w", "US", "w", 10.0)),
    )


# CN holds 30. Owed: X 5, Y 10. Today's orders: X 10, Y 20.
#   history: class 1 (up to the steady flow): X min(15, 10) = 10, Y min(30, 0) = 0 -> 10 shipped, 20 left;
#            class 2 (rest of the backlog): X (5 - 10)+ = 0, Y 10 -> 10 shipped, 10 left;
#            class 3 (rest of the orders): X 15 - 10 - 0 = 5, Y 30 - 0 - 10 = 20: 25 > 10, fill 0.4 -> 2, 8.
#            X 12, Y 18.
#   fcfs:    backlog 15 in full, then orders X 10, Y 20 against 15: fill 0.5 -> X 5 + 5, Y 10 + 10.
CASES = [("history", (12.0, 18.0)), ("fcfs", (10.0, 20.0))]


def _book(rule: str):  # type: ignore[no-untyped-def]
    c = compile_scenario(Scenario(two_buyers(rule), horizon_days=5))
    x, y = c.lane_ids.index("CN.plant>X.w"), c.lane_ids.index("CN.plant>Y.w")
    return c, x, y


@pytest.mark.parametrize(("rule", "expected"), CASES)
def test_history_allocation_gives_the_hand_computed_split_in_the_vector_kernel(rule, expected):
    c, x, y = _book(rule)
    s = kernel.initial_state(c, 1)
    s.stock[0, c.out_stock[c.facility_ids.index("CN.plant")]] = 30.0
    s.owed[0, [x, y]] = [5.0, 10.0]
    orders = np.zeros((1, c.n_lanes))
    orders[0, [x, y]] = [10.0, 20.0]
    shipped = kernel.ship(c, s, orders)
    np.testing.assert_allclose(shipped[0, [x, y]], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(s.owed[0, [x, y]], [15.0 - expected[0], 30.0 - expected[1]], rtol=0, atol=1e-12)


@pytest.mark.parametrize(("rule", "expected"), CASES)
def test_history_allocation_gives_the_hand_computed_split_in_the_simpy_engine(rule, expected):
    c, x, y = _book(rule)
    lay = Layout(c)
    f = c.facility_ids.index("CN.plant")
    stock = [0.0] * lay.n_stocks
    stock[lay.out_stock[f]] = 30.0
    owed, orders = [0.0] * c.n_lanes, [0.0] * c.n_lanes
    owed[x], owed[y], orders[x], orders[y] = 5.0, 10.0, 10.0, 20.0
    run = SimpleNamespace(layout=lay, owed=owed, orders=orders, stock=stock)
    shipped = [0.0] * c.n_lanes
    offer(run, f, shipped)  # type: ignore[arg-type]
    assert shipped[x] == pytest.approx(expected[0], abs=1e-12)
    assert shipped[y] == pytest.approx(expected[1], abs=1e-12)


def test_history_protects_each_lane_up_to_its_steady_flow_and_caps_it_at_lane_capacity():
    """With stock for every lane's history, each gets min(asks, history) before any excess is served."""
    net = two_buyers()
    net = dataclasses.replace(net, lanes=(dataclasses.replace(net.lanes[0], capacity_per_day=11.0),
                                          *net.lanes[1:]))
    c = compile_scenario(Scenario(net, horizon_days=5))
    x, y = c.lane_ids.index("CN.plant>X.w"), c.lane_ids.index("CN.plant>Y.w")
    s = kernel.initial_state(c, 1)
    s.stock[0, c.out_stock[c.facility_ids.index("CN.plant")]] = 13.0
    s.owed[0, [x, y]] = [0.0, 40.0]
    orders = np.zeros((1, c.n_lanes))
    orders[0, [x, y]] = [30.0, 5.0]
    shipped = kernel.ship(c, s, orders)[0]
    # Class 1: X min(30, 10) = 10 (Y's history is 0); 3 left. Class 2: Y's backlog 40 -> 3. Class 3: X's
    # excess 20 against its remaining lane room 11 - 10 = 1, but no stock is left.
    np.testing.assert_allclose(shipped[[x, y]], [10.0, 3.0], rtol=0, atol=1e-12)


# A banned supplier's customer diverts to a supplier that then loses half its capacity -------------

def diverted_scenario(rule: str) -> Scenario:
    """Y (US) buys from JP.plant; a JP ban sends Y to CN.plant, whose incumbent is X (CN, domestic).
    CN.plant then loses 60 % of its capacity: the orders Y diverted compete with X's."""
    net = Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain="batteries"),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 20.0, allocation=rule, default_cover_days=5.0),
                    Facility("JP.plant", "JP", "plant", "w", 20.0)),
        lanes=(Lane("CN.plant", "X.w", "w", lead_time=2.0, share=1.0),
               Lane("CN.plant", "Y.w", "w", lead_time=3.0, share=0.0, qualification_days=0.0),
               Lane("JP.plant", "Y.w", "w", lead_time=3.0, share=1.0)),
        demands=(Demand("X.w", "CN", "w", 10.0, unmet="backorder"), Demand("Y.w", "US", "w", 8.0)),
    )
    return Scenario(net, horizon_days=120).with_shocks(
        ExportControl(exporter="JP", commodity="w", mode="ban", start=5, end=60),
        CapacityShock(facility="CN.plant", fraction_lost=0.6, start=20, end=50, recovery_days=0))


@pytest.mark.parametrize("rule", ["history", "fcfs", "pro_rata"])
def test_engines_agree_exactly_when_diverted_orders_meet_a_short_supplier(rule):
    a = simulate(diverted_scenario(rule), engine="vector", seed=1)
    b = simulate(diverted_scenario(rule), engine="des", seed=1)
    assert_engines_agree(a, b)
    assert material_balance(a).max_relative_error < 1e-9


def test_history_keeps_the_incumbent_whole_where_first_come_first_served_shares_its_shortage():
    res = {rule: simulate(diverted_scenario(rule), engine="vector", seed=1) for rule in ("history", "fcfs")}
    x = res["history"].coords.index("lane", "CN.plant>X.w")
    y = res["history"].coords.index("lane", "CN.plant>Y.w")
    flow = {rule: r.flow[0] for rule, r in res.items()}
    # Y's diverted orders reach CN.plant: the mechanism is exercised.
    assert flow["fcfs"][5:60, y].sum() > 20.0
    # While CN.plant makes 8 a day against X's history of 10, X gets all of it under history ...
    short = slice(30, 50)
    np.testing.assert_allclose(flow["history"][short, x], 8.0, rtol=1e-9)
    assert flow["history"][short, y].max() < 1e-9
    # ... and less under first come, first served, which serves Y's older diverted orders first.
    assert flow["fcfs"][20:50, x].sum() < flow["history"][20:50, x].sum() - 5.0


# Receivers' spare capacity is what their inputs support (§5.6.6) ------------------------------

def receivers_network() -> Network:
    """Y buys from JP.plant; KR.plant and TW.plant (capacity 20, steady output 10 for their own
    buyers, ore from their own mines) are qualified alternates of Y."""
    return Network(
        regions=(Region("JP"), Region("KR"), Region("TW"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0, chain="minerals"), Commodity("w", "unit", 1.0)),
        facilities=(Facility("KR.mine", "KR", "mine", "ore", 20.0), Facility("TW.mine", "TW", "mine", "ore", 20.0),
                    Facility("JP.plant", "JP", "plant", "w", 20.0),
                    Facility("KR.plant", "KR", "plant", "w", 20.0, recipe={"ore": 1.0}),
                    Facility("TW.plant", "TW", "plant", "w", 20.0, recipe={"ore": 1.0})),
        lanes=(Lane("KR.mine", "KR.plant", "ore", lead_time=2.0), Lane("TW.mine", "TW.plant", "ore", lead_time=2.0),
               Lane("JP.plant", "Y.w", "w", lead_time=3.0, share=1.0),
               Lane("KR.plant", "Y.w", "w", lead_time=3.0, share=0.0, qualification_days=0.0),
               Lane("TW.plant", "Y.w", "w", lead_time=3.0, share=0.0, qualification_days=0.0),
               Lane("KR.plant", "K.w", "w", lead_time=1.0), Lane("TW.plant", "T.w", "w", lead_time=1.0)),
        demands=(Demand("Y.w", "US", "w", 10.0), Demand("K.w", "KR", "w", 10.0), Demand("T.w", "TW", "w", 10.0)),
    )


def test_a_receiver_offers_only_the_spare_output_its_inputs_support():
    c = compile_scenario(Scenario(receivers_network(), horizon_days=10))
    s = kernel.initial_state(c, 1)
    f = {name: c.facility_ids.index(name) for name in ("KR.plant", "TW.plant", "JP.plant")}
    s.capacity_today = np.broadcast_to(c.capacity, (1, c.n_facilities)).copy()
    # KR.plant has 60 % of its steady ore (stock + in transit): M = 20 x 0.6 = 12, spare 12 - 10 = 2;
    # TW.plant has all of it: M = 20, spare 20 - 10 = 10.
    stocks = list(zip(c.stock_node, c.stock_commodity))
    ore_kr = stocks.index(("KR.plant", "ore"))
    into_kr = c.lane_ids.index("KR.mine>KR.plant")
    s.stock[0, ore_kr] = 0.6 * s.material_ref[ore_kr]
    s.transit_lane[0, into_kr] = 0.0
    assert _sourcing.input_rate(c, s)[0, f["KR.plant"]] == pytest.approx(12.0, rel=1e-12)
    b = list(c.buyer_stock).index(stocks.index(("Y.w", "w")))
    q = np.zeros((1, c.n_buyers))
    q[0, b] = 8.0
    share = c.schedules.day("share", 0)
    allow = np.ones((1, c.n_lanes))
    allow[0, c.lane_ids.index("JP.plant>Y.w")] = 0.0  # Y's incumbent is banned: its 8 are diverted
    orders = _sourcing.split_orders(c, s, _sourcing.spec(c), q, share, allow, None)[0]
    # In proportion to spare 2 : 10 (without the input limit it would be 10 : 10, 4 each).
    assert orders[c.lane_ids.index("KR.plant>Y.w")] == pytest.approx(8.0 * 2 / 12, rel=1e-12)
    assert orders[c.lane_ids.index("TW.plant>Y.w")] == pytest.approx(8.0 * 10 / 12, rel=1e-12)
    assert orders[c.lane_ids.index("JP.plant>Y.w")] == 0.0


def receivers_scenario() -> Scenario:
    """KR.plant's mine stops at day 2; Y's JP supplier is banned from day 15."""
    return Scenario(receivers_network(), horizon_days=90).with_shocks(
        CapacityShock(facility="KR.mine", fraction_lost=1.0, start=2, end=80, recovery_days=0),
        ExportControl(exporter="JP", commodity="w", mode="ban", start=15, end=70))


def test_engines_agree_exactly_and_diverted_orders_avoid_a_receiver_losing_its_input():
    a = simulate(receivers_scenario(), engine="vector", seed=2)
    b = simulate(receivers_scenario(), engine="des", seed=2)
    assert_engines_agree(a, b)
    kr = a.coords.index("lane", "KR.plant>Y.w")
    tw = a.coords.index("lane", "TW.plant>Y.w")
    # KR.mine, stopped, still ships its 300 t of stock (a supplier with stock is not late, §5.6.5), so
    # KR.plant has ore until about day 30. Once it runs out, KR.plant gets a small part of Y's diverted
    # orders, TW.plant the rest.
    assert a.flow[0, 36:70, kr].sum() < 0.2 * a.flow[0, 36:70, tw].sum()
    assert a.flow[0, 36:70, tw].sum() > 100.0
