"""Patience and planning with the quoted lead time (issue 9 item 2; docs/model.md §5.6.5).

Oracles: the backlog cap P x rate follows from the rule (a buyer keeps only what its supplier would
ship within its patience at its quoted rate); the bullwhip ratio is measured on common random numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.engines.kernel import THROUGHPUT_DAYS
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


def _assert_capped(backlog: np.ndarray, quoted: np.ndarray, patience: float) -> int:
    """Once the lane is late its backlog is what the plant, down and shipping nothing, would ship in the
    buyer's patience at its quoted rate: its moving average of shipments, which falls by 29/30 a day
    (docs/model.md §5.7). So from the first cancellation on, the backlog falls by 29/30 a day and the
    end-of-day quote is transport + P x 30/29. Returns the first day at the cap."""
    decay = 1 - 1 / THROUGHPUT_DAYS
    first = int(np.argmax(np.diff(backlog) < 0)) + 1           # the day of the first cancellation
    assert first > 1
    np.testing.assert_allclose(backlog[first + 1:] / backlog[first:-1], decay, rtol=1e-9)
    np.testing.assert_allclose(quoted[first:], 1.0 + patience / decay, rtol=1e-9)
    return first


@pytest.mark.parametrize("engine", ENGINES)
def test_patience_caps_the_backlog_at_patience_times_rate(engine):
    # With patience P = 10 days the buyer keeps at most what the plant would ship in 10 days at the
    # rate it quotes; the plant is down, so that rate and the backlog decay together.
    res = simulate(Scenario(one_buyer(patience=10.0), horizon_days=80).with_shocks(OUTAGE),
                   engine=engine, seed=0)
    backlog = res.series("backlog", LANE)[0]
    at_cap = _assert_capped(backlog, res.series("quoted_lead_time", LANE)[0], 10.0)
    assert backlog[-1] < 0.15 * backlog[at_cap]        # the buyer has cancelled most of it
    # Once the lane is late nothing more is ordered on it.
    ordered = res.series("flow", LANE)[0] + np.diff(backlog, prepend=0.0)
    assert np.all(ordered[at_cap + 1:] <= 1e-9)


def test_default_patience_keeps_an_outage_from_producing_unbounded_orders():
    # Default patience of the minerals chain; a permanent outage; 300 days. Orders stay bounded:
    # the backlog is capped at P x the plant's (decaying) rate, the total ever placed stays below the
    # total demand plus P x the steady rate, and once the lane is late nothing more is ordered.
    p = PATIENCE_DAYS["minerals"]
    res = simulate(Scenario(one_buyer(), horizon_days=300).with_shocks(OUTAGE), engine="vector", seed=0)
    backlog = res.series("backlog", LANE)[0]
    _assert_capped(backlog, res.series("quoted_lead_time", LANE)[0], p)
    assert backlog.max() <= p * 10.0 * (1 + 1e-9)
    ordered = res.series("flow", LANE)[0] + np.diff(backlog, prepend=0.0)
    # Cancelled orders show as negative "ordered" here; the orders placed are the positive part.
    assert np.maximum(ordered, 0.0).sum() < 10.0 * 300 + p * 10.0
    assert np.maximum(ordered[-100:], 0.0).sum() <= 1e-9


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
    # (it ships 20 of the 30 ordered). Its throughput is then 10 + (20 - 10)/30 = 31/3 a day, so the
    # quoted wait on day 6 is 10 / (31/3) = 30/31 days and a rational buyer (panic 0) raises its
    # target by 10 x 30/31: it orders 10 (consumption) + 300/31. With panic = -1 it ignores the
    # quote and orders 10.
    from supplychain.model import DemandShock
    spike = DemandShock(region="US", commodity="w", factor=3.0, start=5, end=6)
    orders = {}
    for panic in (0.0, -1.0, 1.0):
        res = simulate(Scenario(one_buyer(panic=panic), horizon_days=10).with_shocks(spike), engine="vector",
                       seed=0)
        backlog = res.series("backlog", LANE)[0]
        orders[panic] = res.series("flow", LANE)[0] + np.diff(backlog, prepend=0.0)
    assert orders[0.0][5] == pytest.approx(30.0) and orders[0.0][6] == pytest.approx(10.0 + 300 / 31)
    assert orders[-1.0][6] == pytest.approx(10.0)
    # panic = 1 doubles the planned extra.
    assert orders[1.0][6] == pytest.approx(10.0 + 600 / 31)


def test_panic_amplifies_orders_upstream():
    # Noisy demand (sd 20 %) and a 90 % outage of the plant over days 20-60 (capacity 4 < demand
    # 10): the bullwhip ratio var(orders placed) / var(demand) over the horizon, on common random
    # numbers (same seed). Ignoring quotes (panic -1) the buyer only replaces what it consumes
    # (ratio 1); planning with the quote amplifies; panic 2 amplifies more.
    shock = CapacityShock(facility="CN.plant", fraction_lost=0.9, start=20, end=60)
    ratio = {}
    for panic in (-1.0, 0.0, 2.0):
        sc = Scenario(one_buyer(panic=panic, noise=True, patience=60.0), horizon_days=150).with_shocks(shock)
        res = simulate(sc, engine="vector", n_runs=4, seed=5)
        backlog = res.values("backlog")[:, :, 0]
        ordered = res.values("flow")[:, :, 0] + np.diff(backlog, axis=1, prepend=0.0)
        ratio[panic] = float(np.mean(ordered.var(axis=1) / res.demand[:, :, 0].var(axis=1)))
    assert ratio[-1.0] == pytest.approx(1.0)
    assert ratio[0.0] > 1.0
    assert ratio[2.0] > 1.5 * ratio[0.0]
