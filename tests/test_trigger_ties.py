"""Reorder points and production triggers met exactly (docs/model.md §5.4 starts, §5.6 ordering).

An (s, S) level is tested "at or below": a position that lands exactly on s orders (or starts) S - s.
Summed in floating point, "exactly" can come out a rounding residue above s, and the two engines sum in
different orders, so the residue's sign decided between S - s and nothing and split them. A position at
most 1e-9 of the level's scale above s counts as at s (ORDER_TOLERANCE, TRIGGER_TOLERANCE). The cases
below are the ones an engine-agreement sweep over small variants of the routing network found
(report routefix).
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Lane,
    MinMax,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate
from tests.conftest import assert_engines_agree

ENGINES = ("vector", "des")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_minmax_output_stock_that_lands_on_its_trigger_starts_up_to_its_target(engine):
    # CN.plant keeps MinMax(0.3, 0.7) on its output and ships the buyer's 0.1 a day (lead 1). It starts
    # with 0.7 less one day's use, 0.6, and produces before the day's shipments (§5.4): end-of-day stock
    # 0.5, 0.4, 0.3; on day 3 its position, 0.3, is at the trigger, so it starts 0.7 - 0.3 = 0.4 and
    # ends the day at 0.6: a four-day cycle. In floating point 0.6 - 0.1 - 0.1 - 0.1 is
    # 0.30000000000000004; read exactly, that is above 0.3 and the plant waited a day (a five-day cycle).
    net = Network(
        regions=(Region("CN"), Region("US")), commodities=(Commodity("w", "unit", 1.0, chain="other"),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 1.0, policies={"w": MinMax(0.3, 0.7)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0),),
        demands=(Demand("US.w", "US", "w", 0.1, policy=BaseStock(0.5)),))
    res = simulate(Scenario(net, horizon_days=20), engine=engine, seed=0)
    made = res.arrays["production"][0, :, 0]
    np.testing.assert_allclose(made, [0.0, 0.0, 0.0, 0.4] * 5, atol=1e-12)
    np.testing.assert_allclose(res.series("inventory", "CN.plant:w")[0], [0.5, 0.4, 0.3, 0.6] * 5, atol=1e-12)


def _sweep_network(suppliers: list[dict], *, rate: float, cover: float, unmet: str, panic: float,
                   chain: str, mine: tuple[float, float, float]) -> Network:
    """A mine JP.mine (capacity, BaseStock target, lead) feeding plants that supply one buyer US.w."""
    mine_capacity, mine_target, mine_lead = mine
    facilities = [Facility("JP.mine", "JP", "mine", "ore", mine_capacity, policies={"ore": BaseStock(mine_target)})]
    lanes = []
    for s in suppliers:
        plant = f"{s['region']}.plant"
        facilities.append(Facility(plant, s["region"], "plant", "w", s["capacity"], recipe={"ore": s["ratio"]},
                                   policies={"w": s["policy"]}, cycle_time_days=s["cycle"]))
        lanes.append(Lane("JP.mine", plant, "ore", lead_time=mine_lead))
        lanes.append(Lane(plant, "US.w", "w", lead_time=s["lead"], share=s["share"], patience_days=s["patience"],
                          qualification_days=s["qualification"]))
    return Network(
        regions=(Region("CN"), Region("KR"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain=chain), Commodity("ore", "t", 0.5, chain=chain)),
        facilities=tuple(facilities), lanes=tuple(lanes),
        demands=(Demand("US.w", "US", "w", rate, policy=DaysOfCover(cover), unmet=unmet, panic=panic),))


def _plant(region, share, capacity, policy, lead, patience, qualification, cycle, ratio):  # type: ignore[no-untyped-def]
    return dict(region=region, share=share, capacity=capacity, policy=policy, lead=lead, patience=patience,
                qualification=qualification, cycle=cycle, ratio=ratio)


def test_the_engines_agree_when_a_plant_with_work_in_progress_lands_on_its_trigger():
    # KR.plant (MinMax(15, 35), a 3-day cycle) reaches a production position of 15 on day 15: the vector
    # engine read it a residue below 15 and started 4 (its capacity), the SimPy engine a residue above
    # and started nothing, and again about every 15 days.
    net = _sweep_network([
        _plant("CN", 0.3889, 2.91675, DaysOfCover(5), 2.0, 15.0, None, 0, 2.0),
        _plant("KR", 0.5, 4.0, MinMax(15.0, 35.0), 2.5, 90.0, 10.0, 3, 1.0),
        _plant("JP", 0.1111, 1.6665, BaseStock(41.0), 2.0, None, 30.0, 0, 2.0)],
        rate=7.5, cover=10, unmet="backorder", panic=0.0, chain="other", mine=(20.0, 20.0, 3.0))
    sc = Scenario(net, horizon_days=100).with_shocks(
        CapacityShock(facility="JP.mine", fraction_lost=0.3, start=3, end=13, recovery_days=0))
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))


def test_the_engines_agree_when_a_plant_lands_on_its_trigger_on_the_first_day_of_a_cut():
    # CN.plant (MinMax(8.333, 28.333)) is at its trigger on day 5, when KR loses everything and CN 30 %:
    # one engine started 3.33, the other nothing, and the mine's shipments differed from day 6 on.
    third = 0.3333
    net = _sweep_network([
        _plant("CN", third, 6.666, MinMax(8.333, 28.333), 2.5, 60.0, 30.0, 0, 1.0),
        _plant("KR", third, 6.666, DaysOfCover(0), 5.0, 120.0, None, 3, 1.0),
        _plant("JP", third, 10.0, MinMax(20.0, 25.0), 2.5, 15.0, 10.0, 0, 1.0)],
        rate=10.0, cover=10, unmet="lost", panic=0.5, chain="semiconductors", mine=(40.0, 10.0, 1.0))
    sc = Scenario(net, horizon_days=60).with_shocks(
        CapacityShock(facility="KR.plant", fraction_lost=1.0, start=5, end=10, recovery_days=5),
        CapacityShock(facility="CN.plant", fraction_lost=0.3, start=5, end=35, recovery_days=10))
    assert_engines_agree(simulate(sc, engine="vector", seed=0), simulate(sc, engine="des", seed=0))
