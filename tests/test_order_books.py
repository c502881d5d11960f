"""Order books and quoted lead times (issue 9 item 2; docs/model.md §5.6, §5.7).

An order a supplier cannot fill stays in the lane's backlog (owed by the supplier) and is served on
later days, before new orders; a buyer's inventory position counts what it is owed, so it does not
re-order it. Every expected value below is worked out by hand in the comments, day by day, from the
rules of docs/model.md §5 (never from the simulator).
"""

from __future__ import annotations

import numpy as np
import pytest

import supplychain
from supplychain.metrics.balance import material_balance
from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    Demand,
    DemandShock,
    ExportControl,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate

from .conftest import assert_engines_agree

ENGINES = ("vector", "des")


def one_buyer() -> Network:
    """CN.plant (capacity 40, output target 20) -> US.w (BaseStock(20), demand 10/day, lead 1 day).

    Steady state: the plant starts each day with 10, makes 10 (up to its target 20), ships 10.
    The buyer starts each day with 10 on hand plus 10 landing, serves 10, orders 10. It plans with
    the normal lead time (``panic=-1``: quotes do not move its target, docs/model.md §5.6.5), so the
    order books are seen alone; planning with the quote is tested in tests/test_patience.py.
    """
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, policies={"w": BaseStock(20.0)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0),),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(20.0), unmet="backorder",
                        panic=-1.0),),
    )


def two_buyers() -> Network:
    """CN.plant (capacity 40, output target 40) -> US.w and JP.w (each BaseStock(20), 10/day, lead 1).

    Steady state: the plant starts each day with 20, makes 20 (up to 40), ships 10 + 10. Buyers plan
    with the normal lead time (``panic=-1``), as in :func:`one_buyer`.
    """
    return Network(
        regions=(Region("CN"), Region("US"), Region("JP")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, policies={"w": BaseStock(40.0)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0), Lane("CN.plant", "JP.w", "w", lead_time=1.0)),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(20.0), unmet="backorder",
                        panic=-1.0),
                 Demand("JP.w", "JP", "w", 10.0, policy=BaseStock(20.0), unmet="backorder",
                        panic=-1.0)),
    )


def orders_from(res, lane: str) -> np.ndarray:
    """Orders placed per day, rebuilt as shipped + change in backlog (no lane is ever cancelled here)."""
    backlog = res.series("backlog", lane)[0]
    return res.series("flow", lane)[0] + np.diff(backlog, prepend=0.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_one_buyer_spike_is_owed_then_served_and_ordered_once(engine):
    # Day 5 demand 30. Buyer: 10 + 10 landing = 20 on hand, serves 20, backorders 10, position
    # 0 + 0 + 0 - 10 = -10, orders 30. Plant: 10 + 10 made = 20, ships 20, owes 10.
    # Day 6: 20 lands, serves 10 + backlog 10; position = 0 + 0 + owed 10 = 10, orders 10. Plant makes 20
    # (its target), ships the backlog 10 first, then the new 10: owes 0. Day 7: 20 lands, serves 10,
    # position 10, orders 10; the plant makes 20 and ships 10 (ends with 10). Day 8 on: steady.
    spike = DemandShock(region="US", commodity="w", factor=3.0, start=5, end=6)
    res = simulate(Scenario(one_buyer(), horizon_days=14).with_shocks(spike), engine=engine, seed=0)
    lane = "CN.plant>US.w"
    flow = res.series("flow", lane)[0]
    backlog = res.series("backlog", lane)[0]
    np.testing.assert_allclose(flow, [10] * 5 + [20, 20] + [10] * 7)
    np.testing.assert_allclose(backlog, [0] * 5 + [10] + [0] * 8)
    np.testing.assert_allclose(res.series("unmet", "US.w")[0], [0] * 5 + [10] + [0] * 8)
    # Orders over days 5-7: 30 + 10 + 10 = 50, consumption plus the spike's extra 20 once. Without
    # order books the unshipped 10 would be forgotten on day 5 and ordered again on day 6 (30 + 20 + 10).
    orders = orders_from(res, lane)
    np.testing.assert_allclose(orders, [10] * 5 + [30, 10] + [10] * 7)
    # Quoted lead time: transport 1 day plus backlog / rate, the rate being the larger of the plant's
    # usable capacity (40/day, no idle capacity to restart in the "other" chain) and the moving average of
    # its shipments (10 + (20 - 10) / 30 after day 5): 1 + 10 / 40.
    quoted = res.series("quoted_lead_time", lane)[0]
    assert quoted[5] == pytest.approx(1 + 10 / 40)
    np.testing.assert_allclose(np.delete(quoted, 5), 1.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_two_buyers_outage_backlog_first_come_first_served(engine):
    # The plant makes nothing on days 5-7. Day 5: it starts with 20 and ships the day's 10 + 10.
    # Day 6: no stock left and a restart (day 8) 2 days away; with transport 1 day that is beyond each
    # buyer's cover horizon, its order-up-to level in days of inflow, 20 / 10 = 2 days: the lane is out
    # of reach (docs/model.md §5.6.5), the buyers order nothing on it and count nothing owed.
    # Day 7: restart 1 day away, 1 + 1 <= 2: in reach. Each buyer ran out (on hand 0 after demand),
    # position 0, orders 20; the plant owes 20 per lane.
    # Day 8: capacity back; nothing lands, so each
    # backorders 10 (US) while JP's demand is 30 (a spike): JP backorders 30, position 0 + 20 - 30 = -10,
    # orders 30; US position 0 + 20 - 10 = 10, orders 10. The plant makes 40 and serves the backlog
    # first: 20 + 20 (the older orders), nothing left for today's 10 + 30. Owed: US 10, JP 30.
    # (Proportional rationing of everything, 30 : 50, would ship 15 and 25.)
    # Day 9: 20 lands at each. US serves 10 + 10, position 0 + 10 = 10, orders 10. JP serves 20 of 40,
    # backorders 20, position 0 + 30 - 20 = 10, orders 10. The plant makes 40; backlog 10 + 30 = 40
    # first: ships US 10, JP 30; today's orders stay owed (10 each).
    # Day 10: US gets 10, serves 10; JP gets 30, serves 30 (backlog cleared). Each orders 10. The plant
    # makes 40, ships the backlog 10 + 10 then today's 10 + 10. Day 11: the plant makes 40, ships 20,
    # keeps 20; day 12 on: steady.
    outage = CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=8)
    spike = DemandShock(region="JP", commodity="w", factor=3.0, start=8, end=9)
    res = simulate(Scenario(two_buyers(), horizon_days=16).with_shocks(outage, spike), engine=engine, seed=0)
    us, jp = "CN.plant>US.w", "CN.plant>JP.w"
    np.testing.assert_allclose(res.series("flow", us)[0], [10] * 6 + [0, 0, 20, 10, 20] + [10] * 5)
    np.testing.assert_allclose(res.series("flow", jp)[0], [10] * 6 + [0, 0, 20, 30, 20] + [10] * 5)
    np.testing.assert_allclose(res.series("backlog", us)[0], [0] * 7 + [20, 10, 10] + [0] * 6)
    np.testing.assert_allclose(res.series("backlog", jp)[0], [0] * 7 + [20, 30, 10] + [0] * 6)
    np.testing.assert_allclose(res.series("unmet", "US.w")[0], [0] * 8 + [10] + [0] * 7)
    np.testing.assert_allclose(res.series("unmet", "JP.w")[0], [0] * 8 + [30, 20] + [0] * 6)
    # Total ordered over the shortage (days 5-10) is what each buyer consumed (6 x 10), plus JP's
    # extra 20 of the spike: the true gap, not the gap re-ordered every day.
    assert orders_from(res, us)[5:11].sum() == pytest.approx(60.0)
    assert orders_from(res, jp)[5:11].sum() == pytest.approx(80.0)
    # Quoted lead time (docs/model.md §5.7): on days 5-7 the plant has no capacity, so it quotes its
    # announced restart (day 8: 3, 2, 1 days away) and then its backlog at its steady 20/day:
    # day 5 owes 0 -> 1 + 3; day 6 owes 0 -> 1 + 2; day 7 owes 40 -> 1 + 1 + 2 (a new order
    # ships on day 10 whatever the day it is placed). Day 8: capacity back, it quotes at its capacity
    # 40/day (above its moving average): owes 10 + 30 = 40 -> 1 + 1. Day 9: owes 10 + 10 -> 1 + 0.5.
    # Day 10: owes 0.
    for lane in (us, jp):
        np.testing.assert_allclose(res.series("quoted_lead_time", lane)[0, 5:11], [4, 3, 4, 2, 1.5, 1])
    assert material_balance(res).max_relative_error < 1e-9


def test_engines_agree_exactly_with_backlogs():
    outage = CapacityShock(facility="CN.plant", fraction_lost=0.8, start=5, end=30, recovery_days=10)
    spike = DemandShock(region="JP", commodity="w", factor=2.5, start=8, end=12)
    scenario = Scenario(two_buyers(), horizon_days=60).with_shocks(outage, spike)
    a, b = (simulate(scenario, engine=e, seed=0) for e in ENGINES)
    assert a.arrays["backlog"].max() > 50
    assert_engines_agree(a, b, rtol=0)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_ban_cancels_the_backlog_so_the_buyer_reorders(engine):
    # From day 5 the plant keeps a quarter of its capacity, 10/day against orders of 20/day: once its
    # stock of 20 is gone (day 6) it ships 5 per lane and owes the other 5 each day (the buyers wait:
    # the plant has capacity, so its backlog is within reach and counts). From day 10 a ban on CN's
    # exports closes the lane: what the plant owes on it is cancelled on day 10, so the buyer's
    # position falls by it and nothing stays owed.
    outage = CapacityShock(facility="CN.plant", fraction_lost=0.75, start=5, end=40)
    ban = ExportControl(exporter="CN", commodity="w", mode="ban", start=10)
    res = simulate(Scenario(two_buyers(), horizon_days=20).with_shocks(outage, ban), engine=engine, seed=0)
    backlog = res.series("backlog", "CN.plant>US.w")[0]
    np.testing.assert_allclose(backlog[6:10], [0.0, 5.0, 10.0, 15.0])   # days 7-9 owed, 5 a day
    np.testing.assert_allclose(backlog[10:], 0.0)
    assert material_balance(res).max_relative_error < 1e-9


def test_ample_supply_keeps_no_backlog_and_the_baseline_steady():
    res = simulate(supplychain.load_baseline().with_horizon(60), engine="vector", seed=0)
    assert res.arrays["backlog"].max() < 1e-6
    c_lead = res.arrays["quoted_lead_time"][0]
    np.testing.assert_allclose(c_lead, c_lead[:1].repeat(len(c_lead), axis=0))


def test_material_balance_closes_with_backlogs_in_the_baseline_under_a_fab_outage():
    base = supplychain.load_baseline().with_horizon(120)
    shocked = base.with_shocks(CapacityShock(region="TW", stage="fab", fraction_lost=1.0, start=30, end=60))
    res = simulate(shocked, engine="vector", seed=0)
    assert res.arrays["backlog"].max() > 0
    assert np.isfinite(res.arrays["quoted_lead_time"]).all()
    assert material_balance(res).max_relative_error < 1e-9


@pytest.mark.parametrize("engine", ENGINES)
def test_orders_cut_by_a_quota_stay_owed_and_ship_first_in_the_next_period(engine):
    # 50 units per 10-day period from day 0: days 0-4 ship the daily 10, days 5-9 nothing. What the
    # quota holds back stays owed (10 a day), and the buyer, counting it, orders only its daily 10.
    quota = ExportControl(exporter="CN", commodity="w", mode="quota", quota_per_period=50.0, period_days=10,
                          start=0)
    res = simulate(Scenario(one_buyer(), horizon_days=14).with_shocks(quota), engine=engine, seed=0)
    lane = "CN.plant>US.w"
    flow, backlog = res.series("flow", lane)[0], res.series("backlog", lane)[0]
    np.testing.assert_allclose(flow[:10], [10] * 5 + [0] * 5)
    np.testing.assert_allclose(backlog[:10], [0] * 5 + [10, 20, 30, 40, 50])
    np.testing.assert_allclose(orders_from(res, lane)[:10], 10.0)
    assert flow[10] > 0 and backlog[10] < 50 + 10
    assert material_balance(res).max_relative_error < 1e-9
