"""Recovery ramps after outages, docs/model.md §6.6 and §6.9: hand-computed oracles and both engines.

The chain: a mine ships ore over a one-day lane to a fab (capacity 20/day, 2 ore per chip, no cycle
time), which ships chips over a one-day lane to a consumer demanding 10/day. Every stock holds zero
days of cover, so the fab makes at most one day of use (10) a day and the consumer gets what the fab
made the day before.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines.outages import draw_outages, outage_cover
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
    RandomOutage,
    Region,
    Scenario,
)
from supplychain.model.shocks.disruptions import RECOVERY_DAYS
from supplychain.run import simulate

RATE = 10.0


def chain(chip_chain: str = "") -> Network:
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("chip", "u", 5.0, chain=chip_chain)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", 20.0, policies={"ore": DaysOfCover(0.0)}),
            Facility("CN.fab", "CN", "fab", "chip", 20.0, recipe={"ore": 2.0}, restart_days=0, restart_ramp_days=0,
                     policies={"chip": DaysOfCover(0.0), "ore": DaysOfCover(0.0)}),
        ),
        lanes=(Lane("CN.mine", "CN.fab", "ore", lead_time=Fixed(1.0)),
               Lane("CN.fab", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", RATE, policy=DaysOfCover(0.0)),),
    )


def ramp_scenario(recovery_days: float | None = 20.0, chip_chain: str = "") -> Scenario:
    return Scenario(chain(chip_chain), horizon_days=45).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=1.0, start=5, end=15, recovery_days=recovery_days))


def test_ten_day_outage_with_twenty_day_linear_ramp_gives_the_hand_computed_capacity_path():
    """Capacity 20/day: 0 on days 5-14, then 20 (j + 1) / 20 = j + 1 on day 15 + j, full from day 34."""
    c = compile_scenario(ramp_scenario())
    expected = np.full(45, 20.0)
    expected[5:15] = 0.0
    expected[15:34] = np.arange(1.0, 20.0)
    assert np.allclose(c.capacity[1] * c.schedules.capacity_factor[:, 1], expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_output_follows_the_ramp_until_it_reaches_the_days_need(engine):
    """The fab makes min(capacity, 10): 0 on days 5-14, j + 1 on day 15 + j (j < 9), 10 from day 24;
    the consumer receives it one day later."""
    res = simulate(ramp_scenario(), engine=engine, seed=0)
    made = np.full(45, RATE)
    made[5:15] = 0.0
    made[15:24] = np.arange(1.0, 10.0)
    assert np.allclose(res.production[0, :, 1], made, rtol=0, atol=1e-9)
    assert np.allclose(res.arrivals[0, 1:, 1], made[:-1], rtol=0, atol=1e-9)
    assert material_balance(res).max_relative_error < 1e-9


def test_engines_agree_exactly_with_a_ramp():
    s = ramp_scenario()
    a, b = simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0)
    for name in ("production", "delivered", "inventory", "flow"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_recovery_days_default_comes_from_the_chain():
    """No recovery_days: a semiconductor facility ramps over RECOVERY_DAYS['semiconductors'], a
    facility of an unknown chain recovers at once."""
    n = RECOVERY_DAYS["semiconductors"]
    semi = compile_scenario(ramp_scenario(None, "semiconductors")).schedules.capacity_factor[:, 1]
    assert np.allclose(semi[15:15 + int(n)], np.arange(1.0, n + 1) / n)
    other = compile_scenario(ramp_scenario(None, "")).schedules.capacity_factor[:, 1]
    assert np.array_equal(other[15:], np.ones(30))


def test_outage_cover_integrates_the_ramp_exactly():
    """Down on [0.5, 2), back linearly over 3 days: lost 0.5 and 1 on days 0 and 1, then on days
    2, 3, 4 the day's mean of the ramp 1 - v/3 (v = time since the end): 5/6, 1/2, 1/6."""
    cov = outage_cover(np.array([0.5]), np.array([2.0]), 6, ramp=3.0)[:, 0]
    ramp_days = [1 - 0.5 / 3, 1 - 1.5 / 3, 1 - 2.5 / 3]  # mean of 1 - v/3 over each day
    assert np.allclose(cov, [0.5, 1.0] + ramp_days + [0.0])
    assert np.isclose(cov.sum(), 1.5 + 3.0 / 2)


def _random(recovery_days: float) -> Scenario:
    return Scenario(chain(), horizon_days=400).with_shocks(
        RandomOutage(facility="CN.fab", rate_per_year=6.0, duration=5.0, recovery_days=recovery_days, end=300,
                     capacity_lost=0.1))


def test_random_outage_ramps_keep_common_random_numbers():
    """Same seed, same outages: the ramp adds exactly recovery_days / 2 days of the loss per outage
    (10 % lost, so overlapping outages never reach the cap at 100 %)."""
    flat = draw_outages(compile_scenario(_random(0.0)), np.random.default_rng(11))
    ramped = draw_outages(compile_scenario(_random(8.0)), np.random.default_rng(11))
    assert flat is not None and ramped is not None
    lost_flat, lost_ramp = 1 - flat[:, 1], 1 - ramped[:, 1]
    n_outages = lost_flat.sum() / (0.1 * 5.0)
    assert n_outages >= 5 and np.isclose(n_outages, round(n_outages))
    assert (lost_ramp >= lost_flat - 1e-12).all()
    assert np.isclose(lost_ramp.sum() - lost_flat.sum(), 0.1 * n_outages * 8.0 / 2, atol=1e-9)


def test_random_outage_with_ramps_is_the_same_whatever_the_chunk_and_engine():
    s = _random(8.0)
    a = simulate(s, engine="vector", n_runs=4, seed=3, chunk_size=1)
    b = simulate(s, engine="vector", n_runs=4, seed=3, chunk_size=4)
    d = simulate(s, engine="des", n_runs=2, seed=3)
    assert np.array_equal(a.production, b.production) and np.array_equal(a.delivered, b.delivered)
    assert np.array_equal(a.production[:2], d.production)
    assert material_balance(a).max_relative_error < 1e-9
