"""Routing at a queued supplier (docs/model.md §5.6.5): the planned pipeline and the gap a full
supplier leaves go where there is spare capacity, and the quote-to-order loop stays bounded.

Hand-built networks: one buyer US.w (demand 10/day, lost sales) with two incumbent suppliers.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain.metrics import material_balance
from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Lane,
    LogisticsShock,
    MinMax,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate
from tests.conftest import assert_engines_agree

ENGINES = ("vector", "des")
CN, KR = "CN.plant>US.w", "KR.plant>US.w"


def network(kr_capacity: float, *, patience: float = 90.0, cn_capacity: float = 10.0, cn_target: float = 5.0) -> Network:
    """CN.plant and KR.plant (each half of the buyer's 10/day) -> US.w, lead 2, DaysOfCover(10).

    Chain "other": no idle capacity to restart. CN keeps an output target of ``cn_target``, KR one of
    its capacity plus its flow (a plant produces only to refill its output stock, so its target bounds
    what it can ship in a day).
    """
    facilities = (Facility("CN.plant", "CN", "plant", "w", cn_capacity, policies={"w": BaseStock(cn_target)}),
                  Facility("KR.plant", "KR", "plant", "w", kr_capacity, policies={"w": BaseStock(kr_capacity + 5.0)}))
    lanes = (Lane("CN.plant", "US.w", "w", lead_time=2.0, share=0.5, patience_days=patience),
             Lane("KR.plant", "US.w", "w", lead_time=2.0, share=0.5, patience_days=patience))
    return Network(
        regions=(Region("CN"), Region("KR"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain="other"),),
        facilities=facilities, lanes=lanes,
        demands=(Demand("US.w", "US", "w", 10.0, policy=DaysOfCover(10)),))


def cut(start: int = 5, fraction: float = 0.3) -> CapacityShock:
    return CapacityShock(facility="CN.plant", fraction_lost=fraction, start=start, recovery_days=0)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_buyer_orders_a_full_suppliers_gap_from_one_with_spare_capacity(engine):
    # From day 5 CN (capacity 5, its steady flow) loses 30 % for good: it makes 3.5 a day against the 5
    # the buyer asks of it, and owes from then on. The buyer plans pipeline for CN's whole wait
    # (docs/model.md §5.6.5); at CN, which owes a queue, it places only its plain order (its share of
    # what it uses), so CN's backlog grows by at most 1.5 a day and never by the planned pipeline, which
    # goes to KR (capacity 40, 35 spare). The planned pipeline grows with CN's wait and the buyer never
    # runs dry: no demand is lost, CN's backlog stays bounded (it falls whenever the buyer's position is
    # high enough that its plain order is small), and KR ships the gap, 1.5 a day on average.
    sc = Scenario(network(40.0, cn_capacity=5.0), horizon_days=200).with_shocks(cut())
    res = simulate(sc, engine=engine, seed=0)
    np.testing.assert_allclose(res.series("unmet", "US.w")[0], 0.0, atol=1e-9)
    owed = res.series("backlog", CN)[0]
    assert owed[5] > 0 and np.diff(owed).max() <= 1.5 + 1e-9
    assert owed.max() < 20.0 and owed[100:].max() < 10.0
    # CN ships what it makes, 3.5 a day on average (from stock when its queue is briefly empty).
    assert res.series("flow", CN)[0][6:].mean() == pytest.approx(3.5, abs=0.02)
    assert res.series("flow", KR)[0][100:].mean() == pytest.approx(6.5, abs=0.02)
    assert material_balance(res).max_relative_error < 1e-9


def test_without_spare_capacity_elsewhere_the_buyer_gets_what_the_suppliers_can_make():
    # The same cut with KR also full (capacity 5 = its flow): nobody can ship the gap. The buyer keeps
    # its plain order with CN (its queue grows by what the buyer uses beyond CN's 3.5) and loses 1.5 a
    # day on average once its stock is gone; the planned pipeline adds nothing at the queued suppliers.
    sc = Scenario(network(5.0, cn_capacity=5.0), horizon_days=200).with_shocks(cut())
    res = simulate(sc, engine="vector", seed=0)
    lost = res.series("unmet", "US.w")[0]
    # Each time KR's queue clears the loss of one day moves to the next (1.88 then 1.12): a window may
    # cut such a pair, which moves its 50-day mean by at most 0.4 / 50.
    assert lost[150:].mean() == pytest.approx(1.5, abs=0.01)
    assert res.series("flow", KR)[0][40:].mean() == pytest.approx(5.0, abs=0.02)
    assert res.series("flow", CN)[0][40:].mean() == pytest.approx(3.5, abs=0.02)


@pytest.mark.parametrize("days", [10, 30, 90])
def test_the_quote_of_an_outage_stays_its_length_not_the_patience(days):
    # CN (capacity 10, normal 5) loses everything for 10/30/90 days; KR has 35 spare. Patience 120 days,
    # so only the loop could take the quote there. The peak quote is on CN's first day down: transport
    # 2, its restart wait and at most the day's order of 5 at its normal 5 a day (none when its restart
    # is out of the buyer's reach, §5.6.5). After that the buyer's orders
    # go to KR (CN owes a queue and has no capacity: room 0), so the quote never grows by the loop, the
    # order books are empty by the end and no demand is lost.
    sc = Scenario(network(40.0, patience=120.0, cn_target=15.0), horizon_days=days + 150).with_shocks(
        CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=5 + days, recovery_days=0))
    res = simulate(sc, engine="vector", seed=0)
    quoted = res.series("quoted_lead_time", CN)[0]
    assert 2.0 + days <= quoted.max() <= 2.0 + days + 1.0
    assert quoted[6:].max() <= 2.0 + days
    assert res.series("backlog", CN)[0][-1] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(res.series("unmet", "US.w")[0], 0.0, atol=1e-9)


@pytest.mark.parametrize("scenario", ["gap", "outage"])
def test_the_engines_agree_on_routing(scenario):
    if scenario == "gap":
        sc = Scenario(network(40.0, cn_capacity=5.0), horizon_days=80).with_shocks(cut())
    else:
        sc = Scenario(network(40.0, patience=120.0, cn_target=15.0), horizon_days=80).with_shocks(
            CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=35, recovery_days=0))
    a, b = simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0)
    for name in ("flow", "backlog", "inventory", "quoted_lead_time", "unmet", "share"):
        np.testing.assert_allclose(a.values(name), b.values(name), rtol=1e-9, atol=1e-9, err_msg=name)


def both_cut(cn_capacity: float, horizon: int = 120) -> Scenario:
    """Both suppliers lose 30 % for good from day 5 (KR 5 -> 3.5, CN ``cn_capacity`` -> 70 % of it) and
    owe queues; the buyer orders by MinMax(80, 100) with shares 0.3/0.7."""
    net = network(5.0, cn_capacity=cn_capacity)
    net = dataclasses.replace(
        net, lanes=(dataclasses.replace(net.lanes[0], share=0.3), dataclasses.replace(net.lanes[1], share=0.7)),
        demands=(dataclasses.replace(net.demands[0], policy=MinMax(80.0, 100.0)),))
    return Scenario(net, horizon_days=horizon).with_shocks(
        cut(), CapacityShock(facility="KR.plant", fraction_lost=0.3, start=5, recovery_days=0))


def test_a_buyer_whose_whole_order_was_routed_away_plans_with_the_target_shares():
    # Both suppliers lose 30 % for good and owe queues; the buyer (MinMax 80/100, shares 0.3/0.7) often
    # has a plain order of 0 while it plans pipeline, so routing places none of its order and its
    # applied shares sum to a rounding residue (1e-16, of either sign). The pipeline it plans is
    # weighted by its planned shares (target times availability, docs/model.md §5.6.5), never by that
    # residue, so the engines agree to the contract.
    sc = both_cut(5.0)
    a, b = simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0)
    assert (np.abs(a.values("share")).sum(axis=-1) < 1e-9).any()   # days on which none of its order was placed
    for name in ("flow", "backlog", "inventory", "quoted_lead_time", "unmet", "share"):
        np.testing.assert_allclose(a.values(name), b.values(name), rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_s_s_buyer_whose_position_lands_on_its_reorder_point_orders(engine):
    # CN 4 -> 2.8 and KR 5 -> 3.5 a day, both queued from day 5. From day 12 to day 24 the buyer's
    # stock serves all its demand (10 a day) and both suppliers owe queues, so it places exactly its
    # plain order (the planned pipeline goes nowhere, §5.6.5): after each order its position is S = 100,
    # the next day 90, the day after exactly s = 80, and it orders S - s = 20 (§5.6.2). The engines sum
    # the position in different orders, so "exactly 80" is 80 in one and 80 + 1.4e-14 in the other on
    # day 24: a position within 1e-9 of a day's inflow above s is at s (§5.6, ORDER_TOLERANCE).
    res = simulate(both_cut(4.0, horizon=30), engine=engine, seed=0)
    on_order, arrived = res.arrays["on_order"][0, :, 2], res.arrays["arrivals"][0].sum(axis=-1)
    position = res.arrays["inventory"][0, :, 2] + on_order
    placed = np.diff(on_order) + arrived[1:]                     # placed[t - 1]: the order of day t
    np.testing.assert_allclose(position[12:25], [100.0, 90.0] * 6 + [100.0], atol=1e-9)
    np.testing.assert_allclose(placed[12:24], [0.0, 20.0] * 6, atol=1e-9)   # days 13-24
    np.testing.assert_allclose(res.series("unmet", "US.w")[0][:25], 0.0, atol=1e-9)


@pytest.mark.parametrize("cn_capacity", [2.0, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0])
def test_the_engines_agree_when_both_suppliers_are_queued(cn_capacity):
    # At 3.5 and 4.0 the buyer's position landed on its reorder point with residues of opposite sign in
    # the two engines (day 59 and day 24), one ordered 20 and the other nothing, and they parted for good.
    sc = both_cut(cn_capacity, horizon=150)
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))


def test_the_engines_agree_while_routing_flips_a_buyers_shares_day_to_day():
    # KR (capacity 2.4, below its steady 3 a day: half the buyer's 6) loses 70 % more on days 10-100 and
    # owes a queue; CN (capacity 10) has spare. Weighting the pipeline it plans by yesterday's applied
    # shares, which routing sets from that pipeline, closed a loop with a gain above one: the applied
    # shares flipped between 0.5/0.5 and about 0.7/0 from day 53 and a rounding residue of 1e-14 (the
    # engines sum in different orders) grew about 1.5-fold a day, parting the engines by 1e-8 on day 48.
    # The planned shares (target times availability, docs/model.md §5.6.5) close no loop.
    net = _flipping_network()
    sc = Scenario(net, horizon_days=150).with_shocks(
        CapacityShock(facility="KR.plant", fraction_lost=0.7, start=10, end=100, recovery_days=0))
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))


def test_the_flipping_buyer_amplifies_no_perturbation():
    # The buyer of the flipping case above with its demand changed by 1e-13: the runs stay within 1e-9
    # (with the applied shares as weights the vector engine alone grew such a change 1.5-fold a day).
    net = _flipping_network()
    sc = Scenario(net, horizon_days=150).with_shocks(
        CapacityShock(facility="KR.plant", fraction_lost=0.7, start=10, end=100, recovery_days=0))
    moved = dataclasses.replace(net, demands=(dataclasses.replace(net.demands[0], rate_per_day=6.0 + 1e-13),))
    a = simulate(sc, engine="vector", seed=0)
    b = simulate(Scenario(moved, horizon_days=150).with_shocks(*sc.shocks), engine="vector", seed=0)
    for name in ("flow", "backlog", "inventory", "share"):
        np.testing.assert_allclose(a.values(name), b.values(name), rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("days", [8, 60])
def test_the_planned_pipeline_follows_the_planned_shares_not_the_routed_ones(engine, days):
    # From day 5 KR's transport takes 6 days instead of 2 (a 3x logistics shock, shift +4) and CN (target
    # share 0.5, 15 in stock) stops for ``days``. CN owes what it could not ship and is queued, so routing
    # sends the buyer's whole order to KR (applied shares 0/1 from day 6). By hand (§5.6.5, Little's law),
    # the buyer plans F * sum_l v_l * shift_l with F = 10 a day and v the target shares times availability,
    # normalised (CN's own wait is not planned: it has no capacity):
    # * an 8-day stop: CN's restart (day 13) lands within the buyer's 12-day horizon, so CN is available,
    #   v = 0.5/0.5 and E = 10 * 0.5 * 4 = 20 on days 5-12 (the applied shares would give 40);
    # * a 60-day stop: from day 6 (its stock shipped) CN is out of reach, v = 0/1 and E = 10 * 1 * 4 = 40.
    # KR has 35 a day to spare and ships from stock, so every order is placed and the buyer's position
    # after its review is its order-up-to level S (its position on days 0-4) plus E; the position leaves
    # out a backlog out of reach, the record of what is on order does not.
    sc = Scenario(network(40.0, patience=120.0, cn_target=15.0), horizon_days=30).with_shocks(
        CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=5 + days, recovery_days=0),
        LogisticsShock(origin_region="KR", lead_time_multiplier=3.0, start=5))
    res = simulate(sc, engine=engine, seed=0)
    recorded = res.arrays["inventory"][0, :, 2] + res.arrays["on_order"][0, :, 2]
    planned = recorded - recorded[0]
    if days == 60:
        planned[6:] -= res.series("backlog", CN)[0][6:]   # owed out of reach from day 6
    np.testing.assert_allclose(planned[:5], 0.0, atol=1e-9)
    np.testing.assert_allclose(res.values("share")[0, 6:13], [[0.0, 1.0]] * 7, atol=1e-12)
    if days == 8:
        np.testing.assert_allclose(planned[5:13], 20.0, atol=1e-9)
    else:
        assert planned[5] == pytest.approx(20.0, abs=1e-9)   # CN still ships from stock: in reach
        np.testing.assert_allclose(planned[6:30], 40.0, atol=1e-9)
    np.testing.assert_allclose(res.series("unmet", "US.w")[0], 0.0, atol=1e-9)


def _flipping_network() -> Network:
    """CN (capacity 10, spare) and KR (capacity 2.4, below its steady 3) serving a buyer of 6 a day, shares 0.5/0.5."""
    return Network(
        regions=(Region("CN"), Region("KR"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain="other"),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 10.0, policies={"w": MinMax(41.0, 46.0)}),
                    Facility("KR.plant", "KR", "plant", "w", 2.4, policies={"w": MinMax(15.0, 25.0)},
                             cycle_time_days=7)),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=2.0, share=0.5, patience_days=15.0, qualification_days=30.0),
               Lane("KR.plant", "US.w", "w", lead_time=3.0, share=0.5, patience_days=60.0)),
        demands=(Demand("US.w", "US", "w", 6.0, policy=DaysOfCover(30)),))


def _locked_network(tw_second: float, kr_second: float) -> Network:
    """TW.plant (capacity 5, its steady flow) and KR.plant (capacity 40) -> US.w (10 a day, BaseStock(40),
    shares 0.5/0.5, lead 2), both lanes design-locked but for ``*_second`` (porting in 300 days)."""
    return Network(
        regions=(Region("TW"), Region("KR"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain="other"),),
        facilities=(Facility("TW.plant", "TW", "plant", "w", 5.0, policies={"w": BaseStock(5.0)}),
                    Facility("KR.plant", "KR", "plant", "w", 40.0, policies={"w": BaseStock(45.0)})),
        lanes=(Lane("TW.plant", "US.w", "w", lead_time=2.0, share=0.5, second_source_share=tw_second,
                    qualification_days=300.0),
               Lane("KR.plant", "US.w", "w", lead_time=2.0, share=0.5, second_source_share=kr_second,
                    qualification_days=300.0)),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(40.0)),))


TW_CUT = CapacityShock(facility="TW.plant", fraction_lost=0.3, start=5, recovery_days=0)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kr_second", [0.0, 0.2, 1.0])
def test_a_lane_that_owes_no_queue_keeps_the_locked_part_of_the_planned_pipeline_off(engine, kr_second):
    # From day 5 TW makes 3.5 a day of the 5 the buyer asks of it and owes a queue; KR owes nothing. The
    # buyer plans E = F v_TW w^e = 10 x 0.5 x w^e more on order for TW's wait (§5.6.5), w^e moving a
    # thirtieth of the way to the wait TW quoted the day before (its quote less the transport 2 days).
    # Its order Q = Q0 + E (BaseStock: Q0 = 40 - position). The split gives each lane 0.5 Q. TW is queued:
    # it keeps 0.5 Q0, and the portable part of its 0.5 E is 0 (second-source share 0), so nothing is
    # routed. KR owes no queue: it keeps off the locked part (1 - p_KR) of its share of the planned
    # pipeline, 0.5 Q (1 - Q0 / Q) = 0.5 E, and orders 0.5 Q0 + 0.5 p_KR E (p_KR its second-source share,
    # before porting). So the buyer places Q0 + 0.5 p_KR E and its position after review is 40 + 0.5 p_KR E:
    # exactly 40 with KR's designs all locked (they do not wait: no pipeline is planned for them), and
    # 40 + 0.5 E with none locked (the rule before design lock-in).
    res = simulate(Scenario(_locked_network(0.0, kr_second), horizon_days=30).with_shocks(TW_CUT),
                   engine=engine, seed=0)
    i = res.coords.stock.index("US.w:w")
    position = res.arrays["inventory"][0, :, i] + res.arrays["on_order"][0, :, i]
    quoted = res.series("quoted_lead_time", "TW.plant>US.w")[0]
    expected_wait, planned = 0.0, np.zeros(30)
    for t in range(1, 30):
        expected_wait += (min(quoted[t - 1] - 2.0, 90.0) - expected_wait) / 30.0
        planned[t] = 10.0 * 0.5 * expected_wait
    assert planned[6] > 0.05 and planned[29] > 1.0 and (res.series("backlog", "TW.plant>US.w")[0][5:] > 1.0).all()
    np.testing.assert_allclose(position, 40.0 + 0.5 * kr_second * planned, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.series("flow", "TW.plant>US.w")[0][5:], 3.5, atol=1e-9)


def test_the_engines_agree_when_both_lanes_are_locked_and_one_is_queued():
    # TW's second-sourced fifth of its planned pipeline routes to KR, whose own locked part stays off.
    sc = Scenario(_locked_network(0.2, 0.2), horizon_days=120).with_shocks(TW_CUT)
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))


def _class_tie_scenario(demand: float = 10.0) -> Scenario:
    """A mine (capacity 12) feeding CN.plant (2 t a unit, capacity 2.5) and KR.plant (1 t, capacity 12.5, down on
    days 5-9) that serve US.w (10 a day, MinMax(40, 70), backorders, panic 0.5) at shares 1/6 and 5/6, every
    lane to US.w design-locked. A case of an agreement sweep (seed 991, case 657)."""
    ore, w = Commodity("ore", "t", 0.5, chain="batteries"), Commodity("w", "unit", 1.0, chain="batteries")
    facilities = (Facility("JP.mine", "JP", "mine", "ore", 12.0, policies={"ore": BaseStock(20.0)}),
                  Facility("CN.plant", "CN", "plant", "w", 2.5005, recipe={"ore": 2.0},
                           policies={"w": BaseStock(15.0)}),
                  Facility("KR.plant", "KR", "plant", "w", 12.4995, recipe={"ore": 1.0},
                           policies={"w": BaseStock(41.0)}))
    lanes = (Lane("JP.mine", "CN.plant", "ore", lead_time=1.0),
             Lane("CN.plant", "US.w", "w", lead_time=5.0, share=0.1667, patience_days=60.0, qualification_days=30.0,
                  second_source_share=0.0),
             Lane("JP.mine", "KR.plant", "ore", lead_time=1.0),
             Lane("KR.plant", "US.w", "w", lead_time=2.0, share=0.8333, patience_days=30.0, qualification_days=30.0,
                  second_source_share=0.0))
    net = Network(regions=(Region("CN"), Region("KR"), Region("JP"), Region("US")), commodities=(ore, w),
                  facilities=facilities, lanes=lanes,
                  demands=(Demand("US.w", "US", "w", demand, policy=MinMax(40.0, 70.0), unmet="backorder", panic=0.5),))
    return Scenario(net, horizon_days=200).with_shocks(
        CapacityShock(facility="KR.plant", fraction_lost=1.0, start=5, end=10, recovery_days=5))


def test_a_backlog_equal_to_its_history_takes_one_class_in_both_engines():
    # CN.plant orders exactly its steady 2 x 1.667 t of ore on some days, so the mine owes it a backlog equal to
    # its history: in the first class of the mine's quote or the last by a rounding residue (§5.7). Without the
    # class tolerance the two engines, and the vector engine with demand changed by 1e-13, parted by 2.5 days
    # of quote on day 115 and by 0.07 units of flow from day 194.
    sc = _class_tie_scenario()
    a = simulate(sc, engine="vector", seed=0)
    assert_engines_agree(a, simulate(sc, engine="des", seed=0))
    moved = simulate(_class_tie_scenario(10.0 + 1e-13), engine="vector", seed=0)
    for name in ("quoted_lead_time", "flow", "backlog"):
        np.testing.assert_allclose(moved.values(name), a.values(name), rtol=1e-9, atol=1e-9, err_msg=name)
