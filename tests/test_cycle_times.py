"""Production cycle times (work in progress), docs/model.md §5.4: hand-computed oracles and both engines.

The chain used here: a mine (capacity 20/day) ships ore over a one-day lane to
a fab (capacity 20/day, 2 ore per chip, cycle time ``k`` days), which ships
chips over a one-day lane to a consumer demanding 10/day. Every stock holds
zero days of cover, so the consumer gets exactly what the fab output the day
before: any gap in the fab's output shows at the consumer one day later.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.errors import ValidationError
from supplychain.io.scenario import dumps_scenario, loads_scenario
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
    Normal,
    Region,
    Scenario,
    Triangular,
)
from supplychain.run import simulate

RATE = 10.0


def chain(k: int, *, consumer_cover: float = 0.0, lead: object = None, noise: object = None) -> Network:
    lead_time = lead if lead is not None else Fixed(1.0)
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("chip", "u", 5.0)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", 20.0, policies={"ore": DaysOfCover(0.0)}),
            Facility("CN.fab", "CN", "fab", "chip", 20.0, recipe={"ore": 2.0}, cycle_time_days=k,
                     policies={"chip": DaysOfCover(0.0), "ore": DaysOfCover(0.0)}),
        ),
        lanes=(Lane("CN.mine", "CN.fab", "ore", lead_time=lead_time),
               Lane("CN.fab", "US.chip", "chip", lead_time=lead_time)),
        demands=(Demand("US.chip", "US", "chip", RATE, policy=DaysOfCover(consumer_cover), noise=noise),),
    )


def outage(k: int, start: int = 5, end: int = 7, horizon: int = 30) -> Scenario:
    return Scenario(chain(k), horizon_days=horizon).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=1.0, start=start, end=end))


@pytest.mark.parametrize("k", [0, 1, 3, 7])
def test_unshocked_chain_with_work_in_progress_stays_in_steady_state(k):
    res = simulate(Scenario(chain(k), horizon_days=25), engine="vector", seed=0)
    assert np.allclose(res.delivered, RATE) and np.allclose(res.production[..., 1], RATE)
    fab_out = res.coords.stock.index("CN.fab:chip")
    assert np.allclose(res.inventory[..., fab_out], 0.0)
    if k:
        # Little's law: work in progress = cycle time x throughput, every day.
        assert np.allclose(res.series("wip", "CN.fab"), k * RATE)
    else:
        assert "wip" not in res.arrays


@pytest.mark.parametrize("engine", ["vector", "des"])
@pytest.mark.parametrize("k", [0, 1, 3, 7])
def test_fab_outage_stops_output_at_once_and_stalled_work_fills_the_gap_later(k, engine):
    """The fab is down on days 5 and 6: it starts nothing, and the work due on those days stalls in
    the line (docs/model.md §5.4), so output stops at once whatever the cycle time; the consumer
    (one-day lane, no cover) misses days 6 and 7. The stalled work completes by days 5 + k and 6 + k,
    or earlier with the fab's spare capacity, so no later gap appears."""
    res = simulate(outage(k), engine=engine, seed=0)
    expected = np.full(30, RATE)
    expected[[6, 7]] = 0.0
    # Rounding only: after the outage the consumer plans a sliver of extra pipeline for the fab's
    # smoothed quote (docs/model.md §5.6.5), which moves its orders in the 16th digit.
    np.testing.assert_allclose(res.delivered[0, :, 0], expected, rtol=0, atol=1e-9)
    starts = np.full(30, RATE)
    starts[[5, 6]] = 0.0
    # Capacity limits starts, on the outage days (up to the same rounding).
    np.testing.assert_allclose(res.production[0, :, 1], starts, rtol=0, atol=1e-9)
    if k:
        # By hand from §5.4: capacity 20 (0 on days 5-6), RATE started daily except on the outage days;
        # the line completes at most its capacity, due work first, then stalled work.
        cap = np.where(np.isin(np.arange(30), [5, 6]), 0.0, 20.0)
        started, stalled, wip, hand = {}, 0.0, k * RATE, []
        for day in range(30):
            due = started.get(day - k, RATE)
            done = min(due, cap[day])
            stalled += due - done
            release = min(stalled, cap[day] - done)
            stalled -= release
            wip -= done + release
            started[day] = starts[day]
            wip += starts[day]
            hand.append(wip)
        assert np.allclose(res.series("wip", "CN.fab")[0], hand, atol=1e-12)
        assert max(hand) == k * RATE and hand[-1] == k * RATE


@pytest.mark.parametrize("k", [0, 4])
def test_inputs_are_consumed_when_production_starts(k):
    """The fab's ore stock is drawn on the day production starts, whatever the cycle time: the
    mine's orders (and so its output) dip on the outage days, not k days later."""
    res = simulate(outage(k), engine="vector", seed=0)
    ore_flow = res.series("flow", "CN.mine>CN.fab")[0]
    # The fab consumed no ore on days 5 and 6, so its ore buyer (cover 0) ordered none on those days.
    assert ore_flow[5] == 0.0 and ore_flow[6] == 0.0 and np.all(ore_flow[:5] == 2 * RATE)


@pytest.mark.parametrize("k", [0, 2, 9])
def test_engines_agree_exactly_with_work_in_progress(k):
    s = outage(k, start=3, end=11, horizon=40)
    a, b = simulate(s, engine="vector", seed=1), simulate(s, engine="des", seed=1)
    for name in a.arrays:
        # Agreement to the engines' contract, 1e-9 (the two sum a buyer's lanes in different orders).
        np.testing.assert_allclose(a.arrays[name], b.arrays[name], rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_material_balance_counts_work_in_progress(engine):
    """Random lead times, demand noise and a partial outage with a recovery ramp: every unit is
    on hand, in transit or in progress."""
    net = chain(6, consumer_cover=3.0, lead=Triangular(1.0, 2.0, 4.0), noise=Normal(1.0, 0.3, low=0.0))
    s = Scenario(net, horizon_days=60).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=0.7, start=10, end=25, recovery_days=10,
                      destroy_inventory=0.5))
    res = simulate(s, engine=engine, n_runs=4, seed=3)
    assert material_balance(res).max_relative_error < 1e-9
    wip = res.arrays["wip"]
    assert wip.shape == (4, 60, 2) and np.all(wip[..., 0] == 0.0) and np.all(wip >= 0.0)


def test_compiled_ring_and_levels():
    """k slots per facility, filled with the steady starts; the production target adds the steady
    work in progress to (cover + 1) days of usage (§4.4)."""
    c = compile_scenario(Scenario(chain(5), horizon_days=3))
    assert c.cycle_time.tolist() == [0, 5]
    assert c.wip_facility.tolist() == [1] and c.wip_slot0.tolist() == [0] and c.wip_fill.tolist() == [RATE]
    assert c.initial_wip.tolist() == [0.0, 5 * RATE]
    assert c.prod_target[1] == pytest.approx(RATE + 5 * RATE)


def test_cycle_time_limits_and_round_trip():
    with pytest.raises(ValidationError, match="cycle_time_days must be <= 3650 days"):
        Facility("a", "CN", "fab", "x", 1.0, cycle_time_days=3651)
    with pytest.raises(ValidationError, match="whole number"):
        Facility("a", "CN", "fab", "x", 1.0, cycle_time_days=2.5)
    with pytest.raises(ValidationError, match="cycle_time_days"):
        Facility("a", "CN", "fab", "x", 1.0, cycle_time_days=-1)
    assert Facility("a", "CN", "fab", "x", 1.0, cycle_time_days=40.0).cycle_time_days == 40
    s = Scenario(chain(12), horizon_days=5)
    assert loads_scenario(dumps_scenario(s)).network.facility("CN.fab").cycle_time_days == 12


def test_baseline_fabs_and_cell_plants_hold_steady_work_in_progress():
    """The cited cycle times reach the baseline, and its work in progress stays at cycle time x
    steady production every day (Little's law), so the unshocked baseline stays in steady state."""
    from supplychain import load_baseline
    base = load_baseline(horizon_days=120)
    cycle = {f.id: f.cycle_time_days for f in base.network.facilities}
    assert cycle["TW.fab.logic_wafer"] == 80 and cycle["CN.fab.mature_wafer"] == 40
    assert cycle["TW.fab_new.logic_wafer"] == 80 and cycle["KR.fab_new.memory_wafer"] == 60  # same process
    assert cycle["KR.cell_plant.li_ion_cell"] == 35 and cycle["CN.refinery.gallium"] == 10
    assert cycle["TW.packaging.logic_chip.TW"] == 10 and cycle["CN.mine.graphite_ore"] == 0
    c = compile_scenario(base)
    res = simulate(base, engine="vector", seed=0)
    wip = res.arrays["wip"][0]
    expected = np.array([cycle[f] * c.steady.production.get(f, 0.0) for f in c.facility_ids])
    assert np.allclose(wip, expected[None, :], rtol=1e-9, atol=1e-6)
    assert np.allclose(res.production[0], res.production[0, :1], rtol=1e-9, atol=1e-6)
    assert material_balance(res).max_relative_error < 1e-9


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_destroyed_inventory_scraps_work_in_progress(engine):
    """An outage on days 5-6 that scraps every lot in a 4-day line: the fab outputs nothing on days
    5-8 (scrapped lots) and 9-10 (nothing started), so the consumer is short on days 6-11; the
    scrapped 40 units are recorded on the fab's output stock and the balance closes."""
    s = Scenario(chain(4), horizon_days=20).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=1.0, start=5, end=7, destroy_inventory=1.0))
    res = simulate(s, engine=engine, seed=0)
    expected = np.full(20, RATE)
    expected[6:12] = 0.0
    assert np.array_equal(res.delivered[0, :, 0], expected)
    assert res.series("destroyed", "CN.fab:chip")[0].tolist() == [0.0] * 5 + [4 * RATE] + [0.0] * 14
    assert res.series("wip", "CN.fab")[0, 5] == 0.0
    assert material_balance(res).max_relative_error < 1e-9


def test_work_in_progress_is_the_same_whatever_the_chunk_and_engine():
    """Random lead times and noise, a partial outage that scraps half the line: run r is identical
    whether simulated in chunks of 1 or 5, and in the SimPy engine (same draws, same kernel)."""
    net = chain(5, consumer_cover=2.0, lead=Triangular(1.0, 2.0, 4.0), noise=Normal(1.0, 0.2, low=0.0))
    s = Scenario(net, horizon_days=40).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=0.6, start=8, end=20, recovery_days=5,
                      destroy_inventory=0.5))
    a = simulate(s, engine="vector", n_runs=5, seed=7, chunk_size=1)
    b = simulate(s, engine="vector", n_runs=5, seed=7, chunk_size=5)
    d = simulate(s, engine="des", n_runs=5, seed=7)
    for name in a.arrays:
        # Agreement to the engines' contract, 1e-9 (the two sum a buyer's lanes in different orders).
        np.testing.assert_allclose(a.arrays[name], b.arrays[name], rtol=1e-9, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(a.arrays[name], d.arrays[name], rtol=1e-12, atol=1e-9, err_msg=name)


def test_stalled_work_is_scrapped_by_a_disaster_conserved_and_the_same_in_both_engines():
    """Capacity at 6 (30 % of 20) from day 5 stalls 4 of the 10 due each day; a disaster on day 9
    destroys 40 % of the fab's stocks and work in progress, stalled work included; the balance closes
    and both engines agree."""
    s = Scenario(chain(4), horizon_days=40).with_shocks(
        CapacityShock(facility="CN.fab", fraction_lost=0.7, start=5, end=20, recovery_days=0),
        CapacityShock(facility="CN.fab", fraction_lost=0.5, start=9, end=10, recovery_days=0,
                      destroy_inventory=0.4))
    a, b = simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0)
    for name in a.arrays:
        np.testing.assert_allclose(a.arrays[name], b.arrays[name], rtol=0, atol=1e-12, err_msg=name)
    wip = a.series("wip", "CN.fab")[0]
    # Days 5-8: 10 due (started before day 5), 6 complete, 4 stall; 6 start each day. By the end of
    # day 8 the ring holds 4 x 6 = 24 and 16 has stalled: work in progress stays at 40.
    assert wip[8] == pytest.approx(40.0) and np.allclose(wip[:9], 40.0)
    destroyed = a.series("destroyed", "CN.fab:chip")[0]
    assert destroyed[9] >= 0.4 * 16.0 - 1e-9        # at least 40 % of the stalled work
    assert material_balance(a).max_relative_error < 1e-9
