"""The loop from quoted lead time to planned orders (docs/model.md §5.6.5, §5.7).

A review found that, at panic 0, the planned pipeline raised the buyers' targets by as much as their
own orders lengthened the quote (a loop gain of 1): a 10-day fab outage gave quotes of 67-79 days and
a backlog that lasted to the patience cap, and a dead supplier's quote grew without bound. The oracles
below are worked out by hand from the rules, day by day, on one supplier and one buyer.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile import compile_scenario
from supplychain.engines.sourcing import EXPECTED_WAIT_DAYS
from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    Demand,
    Facility,
    Fixed,
    Lane,
    Network,
    RandomOutage,
    Region,
    Scenario,
)
from supplychain.run import simulate

ENGINES = ("vector", "des")
LANE = "CN.plant>US.w"


def plant(capacity: float = 15.0, *, alternate: bool = False) -> Network:
    """CN.plant (capacity ``capacity``, output BaseStock(20)) -> US.w (demand 10/day, BaseStock(20), lead 1).

    Chain "other": no idle capacity to restart and a restart at full capacity when an outage ends, so
    the plant ships up to its capacity the day it is back. Patience 60 days. With ``alternate``, a
    second supplier KR.plant (capacity 40) holds a tenth of the buyer's share.
    """
    facilities = [Facility("CN.plant", "CN", "plant", "w", capacity, policies={"w": BaseStock(20.0)})]
    lanes = [Lane("CN.plant", "US.w", "w", lead_time=1.0, patience_days=60.0, share=0.9 if alternate else 1.0)]
    if alternate:
        facilities.append(Facility("KR.plant", "KR", "plant", "w", 40.0, policies={"w": BaseStock(20.0)}))
        lanes.append(Lane("KR.plant", "US.w", "w", lead_time=1.0, patience_days=60.0, share=0.1))
    return Network(
        regions=(Region("CN"), Region("US"), Region("KR")),
        commodities=(Commodity("w", "unit", 1.0, chain="other"),),
        facilities=tuple(facilities), lanes=tuple(lanes),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(20.0), unmet="backorder"),),
    )


def outage(days: int, start: int = 5) -> CapacityShock:
    return CapacityShock(facility="CN.plant", fraction_lost=1.0, start=start, end=start + days, recovery_days=0)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_short_outage_quotes_its_length_and_its_backlog_clears(engine):
    # Capacity 15, steady 10/day: 5/day of spare capacity. No capacity on days 5-14.
    # During the outage the plant quotes its restart (day 15, 15 - t days away) plus its backlog at its
    # steady 10/day. Day 5 it ships the 10 left in its stock: owes 0, quote 1 + 10. Days 6-13 it has
    # no stock and its restart plus transport, 15 - t + 1, exceeds the buyer's cover horizon (its
    # order-up-to level in days of inflow, 20 / 10 = 2): the lane is out of reach (docs/model.md
    # §5.6.5), the buyer orders nothing, quote 1 + (15 - t). Day 14: 1 + 1 <= 2, in reach; the buyer,
    # 70 backordered, orders 20 + 70 = 90, all owed: quote 1 + 1 + 90/10 = 11, the outage's length
    # plus transport.
    res = simulate(Scenario(plant(), horizon_days=80).with_shocks(outage(10)), engine=engine, seed=0)
    backlog = res.series("backlog", LANE)[0]
    quoted = res.series("quoted_lead_time", LANE)[0]
    assert quoted[5] == pytest.approx(11.0)
    np.testing.assert_allclose(quoted[6:14], 1.0 + 15 - np.arange(6, 14))
    np.testing.assert_allclose(backlog[5:14], 0.0)
    assert backlog[14] == pytest.approx(90.0) and quoted[14] == pytest.approx(11.0)
    # Day 15: back at capacity 15, quoting at it. The waits buyers saw in the ordering phase (before
    # the day's order joins the queue) were 10 on day 5, 15 - t on days 6-13 and 1 on day 14; the
    # expected wait moves 1/30 of the way to each, then 1/30 of the way to day 15's wait 90/15 = 6.
    # The buyer raises its target by its inflow 10 x the expected wait (the whole wait, docs/model.md
    # §5.6.5) and wants 10 + 10 x expected. But the plant owes a queue, so the buyer places there only
    # its plain order, 10, the order without the planned pipeline: the planned part does not join the
    # queue (and there is no alternate to take it).
    a = 1.0 / EXPECTED_WAIT_DAYS
    expected = 0.0
    for wait in [10.0, *(15.0 - t for t in range(6, 14)), 1.0, 6.0]:
        expected += (wait - expected) * a
    ordered = res.series("flow", LANE)[0] + np.diff(backlog, prepend=0.0)
    assert 10.0 * expected > 1.0
    assert ordered[15] == pytest.approx(10.0)
    assert res.series("flow", LANE)[0][15] == pytest.approx(15.0)
    # The backlog clears after the outage: 90 + 10 - 15 = 85 owed after day 15, cleared at the spare
    # 5/day by day 15 + 17 = 32 (while the plant owes, the planned pipeline does not join its queue);
    # by day 51 at the latest it is gone. Once nothing is owed, the pipeline still planned for the wait of
    # the past days is placed with the shares and starts short queues (less than two days of the
    # buyer's flow), which the plant's spare capacity clears, and then nothing is owed again.
    cleared = int(np.argmax(backlog[15:] <= 1e-9)) + 15
    assert 32 <= cleared <= 51
    assert backlog[cleared:].max() < 20.0
    np.testing.assert_allclose(backlog[-20:], 0.0, atol=1e-9)
    # The quote never exceeds the outage's length plus transport.
    assert quoted.max() == pytest.approx(11.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_supplier_on_its_recovery_ramp_quotes_from_what_the_ramp_gives_back(engine):
    # The same 10-day outage with a 4-day linear recovery: on day 15 the plant has a quarter of its
    # capacity, 3.75, below its steady 10/day; it makes and ships 3.75 (its target asks for more).
    # The buyer orders its 10 (spare fraction 0: no capacity above the steady flow today), so the plant
    # owes 90 + 10 - 3.75 = 96.25. Its ramp gives back full capacity within 4 days, so it quotes at
    # its steady 10/day (not at 3.75, nor at its moving average, run down by the outage):
    # 1 + 96.25 / 10.
    shock = CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=15, recovery_days=4)
    res = simulate(Scenario(plant(), horizon_days=40).with_shocks(shock), engine=engine, seed=0)
    backlog = res.series("backlog", LANE)[0]
    assert res.series("flow", LANE)[0][15] == pytest.approx(3.75)
    assert backlog[15] == pytest.approx(96.25)
    assert res.series("quoted_lead_time", LANE)[0][15] == pytest.approx(1 + 96.25 / 10)


def test_quotes_and_backlogs_scale_with_the_outage_not_with_the_loop():
    # Outages of 10, 20 and 40 days (all within the 60-day patience): the peak quote is the outage's
    # length plus transport, and the backlog clears after each.
    for days in (10, 20, 40):
        res = simulate(Scenario(plant(), horizon_days=260).with_shocks(outage(days)), engine="vector", seed=0)
        quoted = res.series("quoted_lead_time", LANE)[0]
        backlog = res.series("backlog", LANE)[0]
        assert quoted.max() == pytest.approx(1.0 + days)
        # What the outage leaves owed, 10 (days - 1), plus at most half as much planned extra.
        assert 10.0 * (days - 1) * (1 - 1e-12) <= backlog.max() <= 1.5 * 10.0 * days
        assert backlog[-1] == 0.0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_restart_beyond_patience_re_sources_at_once(engine):
    # A 90-day loss (days 5-94) against 60 days of patience: the plant's quote, 90 days on its first
    # day down, is past the patience, but it still holds stock beyond what it owes, so it is not late
    # (§5.6.5) and ships what it holds on days 5-6. On day 7 it has nothing beyond what it owes: the
    # lane is late, the buyer cancels and turns to its alternate that day; with no stock the plant's
    # restart then lies beyond the buyer's horizon (out of reach), so it owes nothing and gets no new
    # order until the restart comes within reach.
    res = simulate(Scenario(plant(alternate=True), horizon_days=120).with_shocks(outage(90)), engine=engine, seed=0)
    backlog = res.series("backlog", LANE)[0]
    cn = res.series("flow", LANE)[0]
    assert cn[5] > 0 and cn[6] > 0
    np.testing.assert_allclose(backlog[7:90], 0.0)
    np.testing.assert_allclose(cn[7:90], 0.0)
    kr = res.series("flow", "KR.plant>US.w")[0]
    assert kr[7] > 1.0 + kr[4]           # the alternate takes the diverted order once the stock is spoken for
    assert res.series("quoted_lead_time", LANE)[0][5] == pytest.approx(1.0 + 90)


def test_a_random_outage_quotes_its_mean_duration():
    # One outage of exactly 7 days (Fixed duration) hits the plant; on a day with no capacity left it
    # quotes its mean duration, 7 days, plus its backlog at its steady rate (it does not know when its
    # drawn outage will end).
    shock = RandomOutage(facility="CN.plant", rate_per_year=365.0 / 20, duration=Fixed(7.0), recovery_days=0,
                         start=0, end=60)
    res = simulate(Scenario(plant(), horizon_days=60).with_shocks(shock), engine="vector", seed=1)
    capacity_zero = np.flatnonzero(res.production[0, :, 0] == 0)
    assert len(capacity_zero)
    quoted = res.series("quoted_lead_time", LANE)[0]
    backlog = res.series("backlog", LANE)[0]
    full = [t for t in capacity_zero if 0 < t and res.production[0, t - 1, 0] == 0]
    assert full
    for t in full:
        assert quoted[t] == pytest.approx(1.0 + 7.0 + backlog[t] / 10.0)


def test_restart_windows_merge_and_may_end_past_the_horizon():
    # Two total losses that touch ([5, 10) and [10, 20)) restart on day 20; one without an end never.
    sc = Scenario(plant(alternate=True), horizon_days=30).with_shocks(
        outage(5), outage(10, start=10),
        CapacityShock(facility="KR.plant", fraction_lost=1.0, start=25, end=40))
    restart = compile_scenario(sc).schedules.extras["sourcing"].restart_in
    np.testing.assert_allclose(restart[:, 0], [0] * 5 + list(range(15, 0, -1)) + [0] * 10)
    np.testing.assert_allclose(restart[25:, 1], [15, 14, 13, 12, 11])
    forever = Scenario(plant(), horizon_days=10).with_shocks(
        CapacityShock(facility="CN.plant", fraction_lost=1.0, start=3))
    assert np.isinf(compile_scenario(forever).schedules.extras["sourcing"].restart_in[3:, 0]).all()
    # A partial loss is no total loss: the plant still quotes from what it makes.
    half = Scenario(plant(), horizon_days=10).with_shocks(
        CapacityShock(facility="CN.plant", fraction_lost=0.5, start=3))
    assert compile_scenario(half).schedules.extras["sourcing"].restart_in is None
