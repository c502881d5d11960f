"""Allocation by recent purchases, turn-and-earn (docs/model.md §5.7).

A short supplier allocating by ``"recent"`` serves each lane first up to a moving record of what
the lane was recently shipped, ``y += (x - y) / tau`` from its steady flow, instead of the steady
flow itself: a buyer that ordered less loses its place, one that bought more earns it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines import kernel
from supplychain.engines import sourcing as _sourcing
from supplychain.engines.des.layout import Layout
from supplychain.engines.des.shipping import offer, settle
from supplychain.errors import ValidationError
from supplychain.metrics.balance import material_balance
from supplychain.model import (
    CapacityShock,
    Commodity,
    Demand,
    DemandShock,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate

from .conftest import assert_engines_agree


def book(rule: str) -> Network:
    """CN.plant serves X and Y, each with a steady flow of 10; a record of mean age 2 days."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, allocation=rule, recent_days=2.0),),
        lanes=(Lane("CN.plant", "X.w", "w", share=1.0), Lane("CN.plant", "Y.w", "w", share=1.0)),
        demands=(Demand("X.w", "US", "w", 10.0), Demand("Y.w", "US", "w", 10.0)),
    )


# Three days at CN.plant (stock set each morning; X cut its orders on day 0, Y bought more):
#   day 0: stock 20, orders X 4, Y 16: nothing owed and stock for all -> X 4, Y 16.
#          records: X 10 + (4 - 10) / 2 = 7, Y 10 + (16 - 10) / 2 = 13.
#   day 1: stock 20, orders X 10, Y 16. Class 1 (up to the record): X min(10, 7) = 7, Y min(16, 13) = 13
#          -> 20 shipped, nothing left. X 7, Y 13; owed X 3, Y 3; records unchanged (7, 13).
#   day 2: stock 24, orders X 10, Y 10 (asks X 13, Y 13). Class 1: X 7, Y 13 -> 4 left; class 2 (backlog
#          beyond the record): X (3 - 7)+ = 0, Y (3 - 13)+ = 0; class 3: X 13 - 7 = 6, Y 0 -> X 4.
#          X 11, Y 13; owed X 2, Y 0; records X 7 + (11 - 7) / 2 = 9, Y 13.
#   By history (steady flow 10 each) instead: day 1 X 10, Y 10 (owed 0, 6); day 2 class 1 X 10, Y 10,
#          class 3 Y 6 against 4 left -> X 10, Y 14; owed X 0, Y 2.
STOCK = (20.0, 20.0, 24.0)
ORDERS = ((4.0, 16.0), (10.0, 16.0), (10.0, 10.0))
SHIPPED = {"recent": ((4.0, 16.0), (7.0, 13.0), (11.0, 13.0)), "history": ((4.0, 16.0), (10.0, 10.0), (10.0, 14.0))}
OWED = {"recent": (2.0, 0.0), "history": (0.0, 2.0)}
RECORD = (9.0, 13.0)


def _compiled(rule: str):  # type: ignore[no-untyped-def]
    c = compile_scenario(Scenario(book(rule), horizon_days=5))
    return c, c.lane_ids.index("CN.plant>X.w"), c.lane_ids.index("CN.plant>Y.w"), c.facility_ids.index("CN.plant")


@pytest.mark.parametrize("rule", ["recent", "history"])
def test_recent_purchases_give_the_hand_computed_days_in_the_vector_kernel(rule):
    c, x, y, f = _compiled(rule)
    s = kernel.initial_state(c, 1)
    assert (s.recent is None) == (rule == "history")
    for stock, order, expected in zip(STOCK, ORDERS, SHIPPED[rule]):
        s.stock[0, c.out_stock[f]] = stock
        orders = np.zeros((1, c.n_lanes))
        orders[0, [x, y]] = order
        shipped = kernel.ship(c, s, orders)
        assert shipped[0, [x, y]].tolist() == list(expected)
    assert s.owed[0, [x, y]].tolist() == list(OWED[rule])
    if rule == "recent":
        assert s.recent[0, [x, y]].tolist() == list(RECORD)


def test_recent_purchases_give_the_hand_computed_days_in_the_simpy_engine():
    c, x, y, f = _compiled("recent")
    lay = Layout(c)
    run = SimpleNamespace(layout=lay, owed=[0.0] * c.n_lanes, orders=[0.0] * c.n_lanes, stock=[0.0] * lay.n_stocks,
                          transit=[0.0] * c.n_lanes, throughput=list(lay.normal_rate), recent=list(lay.lane_flow))
    for stock, order, expected in zip(STOCK, ORDERS, SHIPPED["recent"]):
        run.stock[lay.out_stock[f]] = stock
        run.orders[x], run.orders[y] = order
        shipped = [0.0] * c.n_lanes
        offer(run, f, shipped)  # type: ignore[arg-type]
        settle(run, f, shipped)  # type: ignore[arg-type]
        assert [shipped[x], shipped[y]] == list(expected)
    assert [run.owed[x], run.owed[y]] == list(OWED["recent"]) and [run.recent[x], run.recent[y]] == list(RECORD)


def test_the_quote_waits_for_the_backlogs_up_to_the_records():
    # Owed X 8, Y 1; records X 7, Y 13. X's backlog is at or beyond its record: a new order on X waits for
    # everything owed, 9. Y's is below: it waits for every backlog up to its record, min(8, 7) + min(1, 13) = 8.
    # By history (steady flows 10) both backlogs are below: 8 + 1 = 9 for both.
    waits = {}
    for rule in ("recent", "history"):
        c, x, y, _ = _compiled(rule)
        s = kernel.initial_state(c, 1)
        s.owed[0, [x, y]] = [8.0, 1.0]
        if rule == "recent":
            s.recent[0, [x, y]] = [7.0, 13.0]
        waits[rule] = _sourcing._ahead(c, s, _sourcing.spec(c))[0, [x, y]].tolist()
    assert waits == {"recent": [9.0, 8.0], "history": [9.0, 9.0]}


def dip_then_short(rule: str) -> Scenario:
    """X (US, a carmaker) halves its orders for 55 days while Y (JP, electronics) buys 30 % more; then
    CN.fab loses 30 % of its capacity for 60 days, below what both ask."""
    net = Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("chip", "unit", 1.0, chain="semiconductors"),),
        facilities=(Facility("CN.fab", "CN", "fab", "chip", 30.0, allocation=rule, default_cover_days=5.0),),
        lanes=(Lane("CN.fab", "X.chip", "chip", lead_time=2.0, share=1.0),
               Lane("CN.fab", "Y.chip", "chip", lead_time=3.0, share=1.0)),
        demands=(Demand("X.chip", "US", "chip", 10.0, unmet="backorder"), Demand("Y.chip", "JP", "chip", 10.0)),
    )
    return Scenario(net, horizon_days=140).with_shocks(
        DemandShock(region="US", commodity="chip", factor=0.5, start=5, end=60),
        DemandShock(region="JP", commodity="chip", factor=1.3, start=5),
        CapacityShock(facility="CN.fab", fraction_lost=0.3, start=60, end=120, recovery_days=0))


@pytest.mark.parametrize("rule", ["recent", "history"])
def test_engines_agree_exactly_under_recent_purchases(rule):
    a = simulate(dip_then_short(rule), engine="vector", seed=1)
    b = simulate(dip_then_short(rule), engine="des", seed=1)
    assert_engines_agree(a, b)
    assert material_balance(a).max_relative_error < 1e-9


def test_the_buyer_that_cut_its_orders_loses_its_place_when_the_supplier_is_short():
    res = {rule: simulate(dip_then_short(rule), engine="vector", seed=1) for rule in ("recent", "history")}
    x = res["history"].coords.index("lane", "CN.fab>X.chip")
    y = res["history"].coords.index("lane", "CN.fab>Y.chip")
    short = slice(70, 120)   # CN.fab makes 21 a day against 10 + 13 asked
    got = {rule: (r.flow[0][short, x].sum(), r.flow[0][short, y].sum()) for rule, r in res.items()}
    # The same chips are shipped; by history X keeps its steady 10 first, by recent purchases it does not
    assert sum(got["recent"]) == pytest.approx(sum(got["history"]), rel=1e-9)
    np.testing.assert_allclose(res["history"].flow[0][short, x], 10.0, rtol=1e-9)
    # (X's record fell towards its halved orders for 55 days: about 7.7 when the shortage starts)
    assert got["recent"][0] < 0.97 * got["history"][0] and got["recent"][1] > got["history"][1] + 0.03 * got["history"][0]


def test_without_a_shock_recent_purchases_leave_the_steady_state_unchanged():
    runs = [simulate(dip_then_short(rule).without_shocks(), engine="vector", seed=1) for rule in ("recent", "history")]
    for name in runs[0].arrays:
        np.testing.assert_array_equal(runs[0].arrays[name], runs[1].arrays[name], err_msg=name)


def test_a_record_shorter_than_a_day_is_refused_by_name():
    with pytest.raises(ValidationError, match="recent_days"):
        Facility("CN.fab", "CN", "fab", "chip", 30.0, allocation="recent", recent_days=0.5)
    with pytest.raises(ValidationError, match="'recent'"):
        Facility("CN.fab", "CN", "fab", "chip", 30.0, allocation="turn")
    assert Facility("CN.fab", "CN", "fab", "chip", 30.0).allocation == "auto"
