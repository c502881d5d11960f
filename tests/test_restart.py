"""Restarting idle capacity, docs/model.md §5.4.1: hand-computed oracles and both engines.

A mine ships ore to a fab (capacity 20/day, steady output 10/day, 2 ore per chip) that ships chips to
a consumer demanding 10/day. The fab starts with no chips on hand but a target of 31 days of use, so
from day 0 it wants to make far more than its steady output, and it holds ore for 40 days at full
capacity, so inputs never bind.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines.kernel import initial_state
from supplychain.errors import ValidationError
from supplychain.metrics.balance import material_balance
from supplychain.model import (
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
from supplychain.model.network import RESTART_DAYS
from supplychain.run import simulate

RATE = 10.0


def chain(delay: float | None, ramp: float | None, *, chip_chain: str = "", start_empty: bool = True) -> Network:
    stock = {"chip": 0.0, "ore": 1600.0} if start_empty else {}
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("chip", "u", 5.0, chain=chip_chain)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", 20.0, policies={"ore": DaysOfCover(0.0)}),
            Facility("CN.fab", "CN", "fab", "chip", 20.0, recipe={"ore": 2.0}, initial_inventory=stock,
                     restart_days=delay, restart_ramp_days=ramp,
                     policies={"chip": DaysOfCover(30.0), "ore": DaysOfCover(0.0)}),
        ),
        lanes=(Lane("CN.mine", "CN.fab", "ore", lead_time=Fixed(1.0)),
               Lane("CN.fab", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", RATE, policy=DaysOfCover(0.0)),),
    )


def scenario(delay: float | None = 5.0, ramp: float | None = 10.0, **kw: object) -> Scenario:
    return Scenario(chain(delay, ramp, **kw), horizon_days=20)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_facility_asked_for_more_makes_its_steady_output_until_the_delay_passes_then_ramps(engine):
    """Asked on day 0; delay 5, ramp 10: 10/day on days 0-4, 10 + (j + 1) on day 5 + j, 20 from day 14."""
    res = simulate(scenario(), engine=engine, seed=0)
    made = np.full(20, 20.0)
    made[:5] = RATE
    made[5:15] = RATE + np.arange(1.0, 11.0)
    assert np.allclose(res.production[0, :, 1], made, rtol=0, atol=1e-9)
    assert material_balance(res).max_relative_error < 1e-9


def test_without_a_restart_delay_idle_capacity_is_there_at_once():
    res = simulate(scenario(0.0, 0.0), engine="vector", seed=0)
    assert np.allclose(res.production[0, :, 1], 20.0)


def test_a_delay_alone_frees_all_idle_capacity_on_the_day_it_passes():
    res = simulate(scenario(3.0, 0.0), engine="vector", seed=0)
    assert np.allclose(res.production[0, :, 1], [RATE] * 3 + [20.0] * 17)


def test_engines_agree_exactly_with_a_restart():
    s = scenario(4.0, 7.0)
    a, b = simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0)
    for name in ("production", "delivered", "inventory", "flow"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_chain_default_and_no_state_without_idle_capacity_to_restart():
    """None takes the chain's RESTART_DAYS; a facility never asked for more, or a network without
    restart delays, keeps the steady state and allocates no restart state."""
    delay, ramp = RESTART_DAYS["semiconductors"]
    res = simulate(scenario(None, None, chip_chain="semiconductors"), engine="vector", seed=0)
    assert np.allclose(res.production[0, :int(delay), 1], RATE)
    assert np.isclose(res.production[0, int(delay), 1], RATE + RATE / ramp)
    steady = simulate(scenario(start_empty=False), engine="vector", seed=0)
    assert np.allclose(steady.production[0, :, 1], RATE)
    assert initial_state(compile_scenario(scenario(0.0, 0.0)), 1).restart is None


def test_restart_fields_are_checked():
    with pytest.raises(ValidationError, match="restart_days"):
        Facility("X.f", "X", "fab", "chip", 1.0, restart_days=-1)
    with pytest.raises(ValidationError, match="restart_ramp_days"):
        Facility("X.f", "X", "fab", "chip", 1.0, restart_ramp_days=1e5)


def test_restart_and_recovery_fields_round_trip_through_scenario_files():
    from supplychain.io.scenario import dumps_scenario, loads_scenario
    from supplychain.model import CapacityShock, RandomOutage
    s = scenario(4.0, None).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=0.5, start=2, end=5),
        RandomOutage(facility="CN.mine", rate_per_year=1.0, duration=3.0, recovery_days=6.0))
    back = loads_scenario(dumps_scenario(s))
    fab = back.network.facility("CN.fab")
    assert (fab.restart_days, fab.restart_ramp_days) == (4.0, None)
    assert back.shocks == s.shocks and back.shocks[0].recovery_days is None
