"""Ordering ahead at a queued supplier (docs/model.md §5.6.5, routing): the pipeline a buyer plans for a
supplier's wait goes to alternates with spare capacity first, and what they cannot take is booked ahead
in the queue (the lead-time syndrome), where it used to be dropped.

Hand-built network: one buyer US.w with two incumbent suppliers, CN.plant and KR.plant (shares 0.5).
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines import _jit_sourcing, jit, kernel, sourcing
from supplychain.metrics import material_balance
from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    DemandShock,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate

CN, KR = "CN.plant>US.w", "KR.plant>US.w"


def network(kr_capacity: float = 40.0, *, patience: float = 90.0, cn_capacity: float = 5.0) -> Network:
    """CN.plant and KR.plant (each half of the buyer's 10/day) -> US.w, lead 2, DaysOfCover(10)."""
    facilities = (Facility("CN.plant", "CN", "plant", "w", cn_capacity, policies={"w": BaseStock(cn_capacity + 5.0)}),
                  Facility("KR.plant", "KR", "plant", "w", kr_capacity, policies={"w": BaseStock(kr_capacity + 5.0)}))
    lanes = (Lane("CN.plant", "US.w", "w", lead_time=2.0, share=0.5, patience_days=patience),
             Lane("KR.plant", "US.w", "w", lead_time=2.0, share=0.5, patience_days=patience))
    return Network(regions=(Region("CN"), Region("KR"), Region("US")),
                   commodities=(Commodity("w", "unit", 1.0, chain="other"),),
                   facilities=facilities, lanes=lanes,
                   demands=(Demand("US.w", "US", "w", 10.0, policy=DaysOfCover(10)),))


class _Loops(sourcing.OrderLoops):
    def __init__(self, kernels):
        self.kernels = kernels


def _splitters():
    yield "numpy", None
    yield "loops", _Loops(SimpleNamespace(split_diverted=_jit_sourcing.split_diverted))
    if jit.available():
        yield "compiled", _Loops(jit._kernels())


def _one_day(kr_spare: float, splitter, cn_capacity: float = 8.0):
    """One day's split with CN owing a queue: order 20, plain order 12, KR with ``kr_spare`` spare.

    CN's steady flow is 5: with ``cn_capacity`` above it, it can make more (bookable).
    """
    c = compile_scenario(Scenario(network(cn_capacity=cn_capacity), horizon_days=10))
    s = kernel.initial_state(c, 1)
    s.capacity_today = np.broadcast_to(c.capacity, (1, c.n_facilities))
    cn, kr = (list(c.lane_ids).index(x) for x in (CN, KR))
    s.owed[0, cn] = 7.0                                  # CN owes a queue; KR owes nothing
    f_kr = list(c.facility_ids).index("KR.plant")
    s.throughput[0, f_kr] = 40.0 - kr_spare              # spare = capacity 40 - throughput
    sp = sourcing.spec(c)
    q, plain = np.array([[20.0]]), np.array([[12.0]])
    share = np.array([0.5, 0.5])
    allow = np.ones((1, c.n_lanes))
    state = copy.deepcopy(s)
    placed = sourcing.split_orders(c, state, sp, q, share, allow, None, None, None, plain, splitter)
    return placed[0, cn], placed[0, kr], state.share_applied[0, cn], state.share_applied[0, kr]


@pytest.mark.parametrize("name,splitter", list(_splitters()))
def test_an_alternate_takes_the_planned_part_it_has_room_for_and_the_rest_is_booked_ahead(name, splitter):
    # Hand-computed: the split gives each lane 10; CN's planned part is 10 (1 - 12/20) = 4. KR has 1.5
    # spare: it takes 1.5, so 1.5/4 = 0.375 of CN's planned part leaves CN: CN 10 - 1.5 = 8.5, KR 11.5.
    # (The rule before: CN 6, KR 11.5, and 2.5 not placed.) Applied shares: CN 0.5 - 1.5/20 = 0.425,
    # KR 0.5 + 1.5/20 = 0.575.
    cn, kr, share_cn, share_kr = _one_day(1.5, splitter)
    assert (cn, kr) == pytest.approx((8.5, 11.5), abs=1e-12)
    assert (share_cn, share_kr) == pytest.approx((0.425, 0.575), abs=1e-12)


@pytest.mark.parametrize("name,splitter", list(_splitters()))
def test_without_room_elsewhere_the_whole_planned_part_joins_the_queue(name, splitter):
    # KR has no spare: the whole order is placed as split, 10 and 10 (before: CN 6, 4 not placed).
    cn, kr, share_cn, share_kr = _one_day(0.0, splitter)
    assert (cn, kr) == pytest.approx((10.0, 10.0), abs=1e-12)
    assert (share_cn, share_kr) == pytest.approx((0.5, 0.5), abs=1e-12)


@pytest.mark.parametrize("name,splitter", list(_splitters()))
def test_a_supplier_that_can_make_no_more_than_its_steady_flow_gets_no_booking(name, splitter):
    # CN's capacity is its steady flow, 5: what is booked ahead there would not ship sooner (§5.6.5):
    # the planned part leaves it, KR takes the 1.5 it has room for and the rest, 2.5, is not placed:
    # CN 6, KR 11.5, as before the rule.
    cn, kr, share_cn, share_kr = _one_day(1.5, splitter, cn_capacity=5.0)
    assert (cn, kr) == pytest.approx((6.0, 11.5), abs=1e-12)
    assert (share_cn, share_kr) == pytest.approx((0.3, 0.575), abs=1e-12)


@pytest.mark.parametrize("name,splitter", list(_splitters()))
def test_an_alternate_with_room_for_everything_takes_the_whole_planned_part(name, splitter):
    # KR has 10 spare, more than CN's planned part of 4: CN keeps its plain part, 6; KR 14.
    cn, kr, _, _ = _one_day(10.0, splitter)
    assert (cn, kr) == pytest.approx((6.0, 14.0), abs=1e-12)


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_queue_grows_to_the_buyers_patience_at_a_supplier_with_some_spare_capacity(engine):
    # From day 5 demand is 12 a day against 6 + 5 = 11 the two can make: CN (capacity 6, steady flow 5)
    # can make more than its steady flow, KR (capacity 5) cannot. The buyer's stock runs out and stays
    # out (lost sales), so its gap G, about its target, never closes. It plans pipeline for CN's wait and
    # books it there: each unit queued raises the pipeline planned by 5/6 (the loop gain, §5.6.5), so the
    # queue heads for G / (1 - 5/6) = 6 G, far beyond the patience, 20 days: on a day CN's wait reaches
    # it, CN is cut to 20 days at its rate 6, 120, gets no new order (late) and ships 6, ending the day
    # owing 114; on the other days it takes the day's order again. KR, which can make no more, is only
    # owed what the buyer's plain orders leave, within its patience; the buyer loses about 1 a day.
    sc = Scenario(network(5.0, patience=20.0, cn_capacity=6.0), horizon_days=200).with_shocks(
        DemandShock(region="US", commodity="w", factor=1.2, start=5))
    res = simulate(sc, engine=engine, seed=0)
    owed = res.series("backlog", CN)[0]
    assert owed[160:].min() == pytest.approx(20.0 * 6.0 - 6.0, abs=1e-6)
    assert owed[160:].max() < 20.0 * 6.0 + 12.0 * 5.0
    assert res.series("backlog", KR)[0][160:].max() < 20.0 * 5.0
    assert res.series("flow", CN)[0][150:].mean() == pytest.approx(6.0, abs=1e-6)
    assert res.series("unmet", "US.w")[0][150:].mean() == pytest.approx(1.0, abs=0.05)
    assert material_balance(res).max_relative_error < 1e-9


def test_the_engines_agree_on_booking_ahead():
    sc = Scenario(network(5.0, patience=20.0, cn_capacity=6.0), horizon_days=120).with_shocks(
        DemandShock(region="US", commodity="w", factor=1.2, start=5, end=70),
        CapacityShock(facility="CN.plant", fraction_lost=0.2, start=30, end=60, recovery_days=10))
    a, b = simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0)
    for name in ("flow", "backlog", "inventory", "quoted_lead_time", "unmet", "share"):
        np.testing.assert_allclose(a.values(name), b.values(name), rtol=1e-9, atol=1e-9, err_msg=name)
