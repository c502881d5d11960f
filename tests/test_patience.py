"""Patience and planning with the quoted lead time (issue 9 item 2; docs/model.md §5.6.5).

Oracles: the backlog cap (P - restart) x rate follows from the rule (a buyer keeps only what its
supplier would ship within its patience after its announced restart, at its quoted rate); the
bullwhip ratio is measured on common random numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    Demand,
    Facility,
    Lane,
    Network,
    Normal,
    Region,
    Scenario,
)
from supplychain.model.sourcing import PATIENCE_DAYS
from supplychain.run import simulate

ENGINES = ("vector", "des")
LANE = "CN.plant>US.w"


def one_buyer(*, patience: float | None = None, panic: float = 0.0, noise: bool = False,
              chain: str = "minerals") -> Network:
    """CN.plant (capacity 40, output BaseStock(20)) -> US.w (demand 10/day, BaseStock(20), lead 1 day)."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain=chain),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, policies={"w": BaseStock(20.0)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0, patience_days=patience),),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(20.0), unmet="backorder", panic=panic,
                        noise=Normal(1.0, 0.2, low=0.0) if noise else None),),
    )


OUTAGE = CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5)


@pytest.mark.parametrize("engine", ENGINES)
def test_patience_keeps_what_the_supplier_would_ship_within_it_and_reach_stops_reordering(engine):
    # The plant (steady 10/day, output target 20) has no capacity on days 5-24 and restarts on day 25
    # (recovery 0); patience P = 15 days. It quotes its restart, 25 - t days away, then its backlog at
    # its steady 10/day (docs/model.md §5.7). The buyer's cover horizon is its order-up-to level in days
    # of its steady inflow, 20 / 10 = 2 days (§5.6.5, reach).
    # Day 5: the restart is P or more away, but the plant still holds 10 units, more than it owes (0):
    # a new order ships from that stock at once, so the lane is not late (§5.6.5); the buyer orders its
    # day's use, 10, and the plant ships it. Before this rule the lane was late from day 5 and the plant
    # sat on its stock until day 11.
    # Days 6-10: no stock, the restart at least P away: late with nothing owed, no order is placed (the
    # buyer has no alternate), quote 1 + (25 - t).
    # Days 11-23: 14 days < P, but the plant has no stock and its restart plus transport, 25 - t + 1, is
    # beyond the buyer's 2-day horizon: out of reach, nothing is placed, quote 1 + (25 - t).
    # Day 24: restart 1 day away, 1 + 1 <= 2: in reach; 170 backordered: the buyer orders 20 + 170,
    # owed 190: quote 1 + 1 + 19 = 21.
    outage = CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=25, recovery_days=0)
    res = simulate(Scenario(one_buyer(patience=15.0, chain="other"), horizon_days=60).with_shocks(outage),
                   engine=engine, seed=0)
    backlog = res.series("backlog", LANE)[0]
    quoted = res.series("quoted_lead_time", LANE)[0]
    flow = res.series("flow", LANE)[0]
    np.testing.assert_allclose(backlog[5:24], 0.0)
    assert flow[5] == pytest.approx(10.0) and res.series("inventory", "CN.plant:w")[0][5] == pytest.approx(0.0)
    np.testing.assert_allclose(flow[6:25], 0.0)
    np.testing.assert_allclose(quoted[5:24], 26.0 - np.arange(5, 24))
    assert res.series("unmet", "US.w")[0][24] == pytest.approx(170.0)
    assert backlog[24] == pytest.approx(190.0) and quoted[24] == pytest.approx(21.0)
    # After the restart the backlog clears within the horizon.
    assert backlog[-1] == 0.0


def test_a_permanent_loss_is_late_at_once_and_draws_no_order():
    # Default patience of the minerals chain; a total loss without an end from day 5; 300 days. The plant
    # announces no restart: its wait is infinite (recorded as the horizon, 300 days, plus transport). On
    # day 5 it still holds 10 units, beyond what it owes, so the buyer's order of 10 ships from them;
    # from day 6 the lane is late and the buyer, with no alternate, places nothing on it: nothing is owed.
    res = simulate(Scenario(one_buyer(), horizon_days=300).with_shocks(OUTAGE), engine="vector", seed=0)
    backlog = res.series("backlog", LANE)[0]
    np.testing.assert_allclose(backlog, 0.0)
    assert res.series("flow", LANE)[0][5] == pytest.approx(10.0)
    np.testing.assert_allclose(res.series("flow", LANE)[0][6:], 0.0)
    np.testing.assert_allclose(res.series("quoted_lead_time", LANE)[0][5:], 1.0 + 300)
    assert np.isfinite(res.arrays["quoted_lead_time"]).all()


@pytest.mark.parametrize("engine", ENGINES)
def test_buyer_plans_with_the_quoted_lead_time(engine):
    # A 50 % outage from day 5: the plant makes 20 a day against orders of more than 10... no: its
    # capacity 20 still covers demand 10, so no backlog forms and the quote stays at the transport
    # time; planning adds nothing and orders stay at 10 a day.
    half = CapacityShock(facility="CN.plant", fraction_lost=0.5, start=5)
    res = simulate(Scenario(one_buyer(), horizon_days=30).with_shocks(half), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("quoted_lead_time", LANE)[0], 1.0)
    np.testing.assert_allclose(res.series("flow", LANE)[0], 10.0)


def test_panic_scales_the_planned_extra_and_minus_one_ignores_quotes():
    # One day of backlog: day 5 demand 30 (a spike) leaves the plant owing 10 at the end of day 5
    # (it ships 20 of the 30 ordered). On day 6 it quotes that backlog at its capacity, 40/day (no idle
    # capacity to restart in the "other" chain): wait 10/40 = 1/4 day. The buyer's expected wait moves
    # 1/30 of the way from 0: 1/120 day, and a rational buyer (panic 0) raises its target by 10 x 1/120
    # = 1/12. But the plant owes a queue on day 6, so the buyer places there only its plain order, 10
    # (docs/model.md §5.6.5, routing; it has no alternate). The plant ships 40 on day 6 and owes
    # nothing on day 7: the expected wait decays to 1/120 x 29/30, and the buyer orders 10 plus the
    # pipeline it now plans, 10 x 29/3600. With panic = -1 it ignores the quote and orders 10; panic = 1
    # doubles the extra.
    from supplychain.model import DemandShock
    spike = DemandShock(region="US", commodity="w", factor=3.0, start=5, end=6)
    orders = {}
    for panic in (0.0, -1.0, 1.0):
        res = simulate(Scenario(one_buyer(panic=panic, chain="other"), horizon_days=10).with_shocks(spike),
                       engine="vector", seed=0)
        backlog = res.series("backlog", LANE)[0]
        orders[panic] = res.series("flow", LANE)[0] + np.diff(backlog, prepend=0.0)
    extra = 10.0 * 29.0 / 3600.0
    assert orders[0.0][5] == pytest.approx(30.0) and orders[0.0][6] == pytest.approx(10.0)
    assert orders[0.0][7] == pytest.approx(10.0 + extra)
    assert orders[-1.0][7] == pytest.approx(10.0)
    assert orders[1.0][7] == pytest.approx(10.0 + 2 * extra)


def test_a_full_supplier_draws_no_planned_extra():
    # Minerals chain: the plant's idle capacity (40 against a steady 10) needs a 60-day restart, so on
    # day 6 its usable capacity is its steady 10/day and its spare fraction 0: a longer queue at a
    # supplier that cannot ship more is no reason to order more. The buyer orders its consumption.
    from supplychain.model import DemandShock
    spike = DemandShock(region="US", commodity="w", factor=3.0, start=5, end=6)
    res = simulate(Scenario(one_buyer(), horizon_days=10).with_shocks(spike), engine="vector", seed=0)
    backlog = res.series("backlog", LANE)[0]
    orders = res.series("flow", LANE)[0] + np.diff(backlog, prepend=0.0)
    np.testing.assert_allclose(orders[6:], 10.0)


def test_panic_amplifies_orders_upstream():
    # Noisy demand (sd 20 %) and a 90 % outage of the plant over days 20-60 (capacity 4 < demand
    # 10): the bullwhip ratio var(orders placed) / var(demand) over the horizon, on common random
    # numbers (same seed). Ignoring quotes (panic -1) the buyer only replaces what it consumes
    # (ratio 1); planning with the quote amplifies; panic 2 amplifies more.
    shock = CapacityShock(facility="CN.plant", fraction_lost=0.9, start=20, end=60)
    ratio = {}
    for panic in (-1.0, 0.0, 2.0):
        sc = Scenario(one_buyer(panic=panic, noise=True, patience=60.0, chain="other"),
                      horizon_days=150).with_shocks(shock)
        res = simulate(sc, engine="vector", n_runs=4, seed=5)
        backlog = res.values("backlog")[:, :, 0]
        ordered = res.values("flow")[:, :, 0] + np.diff(backlog, axis=1, prepend=0.0)
        ratio[panic] = float(np.mean(ordered.var(axis=1) / res.demand[:, :, 0].var(axis=1)))
    assert ratio[-1.0] == pytest.approx(1.0)
    assert ratio[0.0] > 1.0
    assert ratio[2.0] > 1.5 * ratio[0.0]
