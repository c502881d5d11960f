"""Cold restart after a long stop, docs/model.md §5.4.2: hand-computed oracles and both engines.

A mine ships ore to a fab (capacity 10/day = its steady output, 2 ore per chip, 1,600 ore on hand so
inputs never bind) that ships chips to a consumer demanding 10/day. A ``CapacityShock`` stops the
fab (``fraction_lost=1``, no recovery ramp) from day 5. The chips belong to the ``semiconductors``
chain, whose lines restart cold after a stop of at least ``COLD_STOP_DAYS["semiconductors"]`` (7)
days; the fab's restart delay is 3 days and its ramp 4.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines.kernel import initial_state
from supplychain.metrics.balance import material_balance
from supplychain.model import (
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.model.network import COLD_STOP_DAYS
from supplychain.run import simulate

RATE = 10.0
START = 5


def chain(*, chip_chain: str = "semiconductors", cycle: int = 0, delay: float = 3.0,
          ramp: float = 4.0) -> Network:
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("chip", "u", 5.0, chain=chip_chain)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", 20.0, policies={"ore": DaysOfCover(0.0)}),
            Facility("CN.fab", "CN", "fab", "chip", RATE, recipe={"ore": 2.0},
                     initial_inventory={"ore": 1600.0}, restart_days=delay, restart_ramp_days=ramp,
                     cycle_time_days=cycle, policies={"chip": DaysOfCover(30.0), "ore": DaysOfCover(0.0)}),
        ),
        lanes=(Lane("CN.mine", "CN.fab", "ore", lead_time=Fixed(1.0)),
               Lane("CN.fab", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", RATE, policy=DaysOfCover(0.0)),),
    )


def stopped(days: int, horizon: int = 40, **kw: object) -> Scenario:
    shock = CapacityShock(facility="CN.fab", fraction_lost=1.0, start=START, end=START + days, recovery_days=0)
    return Scenario(chain(**kw), horizon_days=horizon).with_shocks(shock)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_line_stopped_ten_days_waits_its_restart_delay_then_ramps(engine):
    """Stopped on days 5-14, capacity back on day 15: nothing on days 15-17 (delay 3), then
    10 x (t - 15 - 3 + 1) / 4 on days 18-20 and full capacity (10, refilling stock) from day 21."""
    res = simulate(stopped(10), engine=engine, seed=0)
    made = np.full(40, RATE)
    made[START:18] = 0.0
    made[18:21] = RATE * np.array([1.0, 2.0, 3.0]) / 4.0
    assert np.allclose(res.production[0, :, 1], made, rtol=0, atol=1e-9)
    assert material_balance(res).max_relative_error < 1e-9


def test_a_stop_shorter_than_the_cold_stop_length_comes_back_at_once():
    days = int(COLD_STOP_DAYS["semiconductors"]) - 1
    res = simulate(stopped(days), engine="vector", seed=0)
    made = np.full(40, RATE)
    made[START:START + days] = 0.0
    assert np.allclose(res.production[0, :, 1], made, rtol=0, atol=1e-9)


def test_chains_without_a_cold_stop_length_never_restart_cold():
    res = simulate(stopped(10, chip_chain="batteries"), engine="vector", seed=0)
    assert "batteries" not in COLD_STOP_DAYS
    assert np.allclose(res.production[0, 15:, 1], RATE)
    assert initial_state(compile_scenario(stopped(10, chip_chain="batteries")), 1).cold is None
    assert initial_state(compile_scenario(Scenario(chain(), horizon_days=10)), 1).cold is None


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_stalled_work_in_progress_completes_only_with_the_cold_capacity(engine):
    """Cycle time 4: the 40 units in the line on day 4 stall; nothing completes or starts until the
    cold ramp's first day (18), when 2.5 of the stalled work completes and 2.5 starts."""
    res = simulate(stopped(10, cycle=4), engine=engine, seed=0)
    wip, made = res.arrays["wip"][0, :, 1], res.production[0, :, 1]
    assert np.allclose(wip[START - 1:18], 4 * RATE, rtol=0, atol=1e-9)
    assert np.allclose(made[START:18], 0.0, atol=1e-9) and np.isclose(made[18], RATE / 4)
    out = res.inventory[0, :, list(res.coords.stock).index("CN.fab:chip")]
    arrived = out[17] - res.flow[0, 18, 1]
    assert np.isclose(out[18], arrived + RATE / 4)  # the stalled work's first 2.5 join the stock
    assert material_balance(res).max_relative_error < 1e-9


def test_engines_agree_exactly_with_a_cold_restart_and_work_in_progress():
    s = stopped(12, horizon=60, cycle=4, delay=5.0, ramp=7.0)
    a, b = simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0)
    for name in ("production", "delivered", "inventory", "flow"):
        assert np.allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-9), name
    assert np.allclose(a.arrays["wip"], b.arrays["wip"], rtol=0, atol=1e-9)


def test_taiwan_fab_outage_on_the_baseline_engines_agree_and_fabs_restart_cold():
    """The scorecard's Taiwan fab outage (both fab stages, 30 days from day 10) on the cited baseline.

    The shock's 7-day recovery ramp gives capacity back from day 40, so Taiwan's logic fab starts
    nothing until day 54 (the 14-day restart delay), 1/30 of its capacity on day 54 (the 30-day ramp);
    the two engines agree to 1e-9.
    """
    from supplychain.datasets import load_baseline
    from tools.tw_fab_outage import outage

    base = load_baseline(horizon_days=120)
    s = outage(base, 30, start=10)
    a, b = simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0)
    for name in ("production", "delivered", "inventory", "flow"):
        # To 1e-9 of each series' own scale: a stock emptied to zero is a difference of large numbers, and
        # the engines add a day's lanes in different orders (1e-9 units apart on a stock of 10^4).
        x, y = getattr(a, name), getattr(b, name)
        scale = np.maximum(np.abs(x).max(axis=1, keepdims=True), 1.0)
        assert (np.abs(x - y) <= 1e-9 * scale + 1e-9 * np.abs(y)).all(), name
    fab = list(a.coords.facility).index("TW.fab.logic_wafer")
    cap = base.network.facility("TW.fab.logic_wafer").capacity_per_day
    made = a.production[0, :, fab]
    assert np.allclose(made[10:54], 0.0)
    assert np.isclose(made[54], cap / 30)
    assert material_balance(a).max_relative_error < 1e-9


def test_random_outages_restart_cold_the_same_way_in_both_engines():
    """Random stops of 5-20 days (some shorter than the cold-stop length, some longer) over a year,
    three runs: the two engines see the same outages and agree to 1e-9, and the long stops add days
    without starts (the restart delay) to those of the same outages in a chain that never restarts
    cold."""
    from supplychain.model import RandomOutage, Triangular

    def run(chip_chain: str, engine: str):
        s = Scenario(chain(cycle=4, chip_chain=chip_chain), horizon_days=365).with_shocks(
            RandomOutage(facility="CN.fab", rate_per_year=8.0, duration=Triangular(5.0, 10.0, 20.0),
                         recovery_days=0))
        return simulate(s, engine=engine, n_runs=3, seed=3)

    a, b = run("semiconductors", "vector"), run("semiconductors", "des")
    for name in ("production", "delivered", "inventory", "flow"):
        assert np.allclose(getattr(a, name), getattr(b, name), rtol=0, atol=1e-9), name
    warm = run("", "vector")
    stopped = warm.production[:, :, 1] <= 0
    for r in range(3):
        starts = np.flatnonzero(stopped[r])
        spans = np.split(starts, np.flatnonzero(np.diff(starts) > 1) + 1)
        assert any(len(x) >= 7 for x in spans)  # the outages include long stops
        # Each long stop adds days without starts (its delay), and nothing else changes the outages.
        assert (a.production[r, :, 1] <= 0).sum() > stopped[r].sum()
    assert material_balance(a).max_relative_error < 1e-9
