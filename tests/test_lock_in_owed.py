"""Design lock-in of what a failed supplier owes (docs/model.md §5.6.6, "Owed locked volume").

A buyer's position falls when a locked lane's backlog is cancelled (an allowance, patience) or stops
counting as cover (out of reach, §5.6.5). That volume is made to a design qualified only at the lane's
supplier: it must not reach the buyer's other suppliers through the share split of a larger order.
Expected values are worked out by hand in the comments from the rules of docs/model.md; both engines
must give them.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.model import BaseStock, CapacityShock, Commodity, Demand, ExportControl, Facility, Lane, Network
from supplychain.model import Region, Scenario
from supplychain.run import simulate
from tests.conftest import assert_engines_agree

ENGINES = ("vector", "des")
JP, CN = "JP.plant>US.w", "CN.plant>US.w"


def owed_pair(second: float = 0.2, patience: float | None = None) -> Network:
    """CN.plant and JP.plant (shares 0.5 each) -> US.w (demand 10/day, BaseStock(20), lead 1 day).

    CN.plant holds 27 units after making and 22 after shipping (BaseStock(27)), so that, once it stops making
    anything on day 5, it
    ships 5 a day for four days, 2 of the 5 ordered on day 9 and owes 3. The CN lane is locked but
    for ``second`` and ported 100 days after the buyer first seeks alternates. JP.plant (BaseStock(200),
    capacity 100) ships whatever it is asked.
    """
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain="minerals"),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, policies={"w": BaseStock(27.0)}),
                    Facility("JP.plant", "JP", "plant", "w", 100.0, policies={"w": BaseStock(200.0)})),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0, share=0.5, second_source_share=second,
                    qualification_days=100.0, patience_days=patience),
               Lane("JP.plant", "US.w", "w", lead_time=1.0, share=0.5)),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(20.0)),),
    )


def stop(end: int) -> CapacityShock:
    return CapacityShock(facility="CN.plant", fraction_lost=1.0, start=5, end=end, recovery_days=0)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_locked_part_of_a_backlog_out_of_reach_is_ordered_from_no_one_else(engine):
    # Days 5-8: CN has no capacity but stock beyond what it owes: it ships 5 a day (22 -> 2), in reach.
    # Day 9: it ships 2 of 5 and owes 3. Day 10: stock after demand 10 + 7 - 10 = 7; CN is bare and
    # restarts on day 30: its wait 20 days plus the queue is within the patience (30 days), but 20 + 1
    # days > the buyer's horizon 20/10 = 2: out of reach, its 3 owed (still owed) are no
    # cover, position 7, Q = 13. The locked part of the 3, 0.8 x 3 = 2.4, is held out of the split:
    # free order max(13 - 2.4, min(13, 10)) = 10.6, 5.3 a lane; CN is unavailable (mu = 1): its free
    # part 5.3 x 0.2 = 1.06 goes to JP, the locked 4.24 is carried. JP ships 5.3 + 1.06 = 6.36
    # (without the hold: 6.5 + 1.3 = 7.8, 1.8 of the 3 owed moving to JP, which cannot make 80 % of it).
    res = simulate(Scenario(owed_pair(), horizon_days=11).with_shocks(stop(end=30)), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", CN)[0][5:], [5.0] * 4 + [2.0, 0.0])
    np.testing.assert_allclose(res.series("flow", JP)[0][5:], [5.0] * 5 + [6.36])
    np.testing.assert_allclose(res.series("backlog", CN)[0][9:], [3.0, 3.0])


@pytest.mark.parametrize("engine", ENGINES)
def test_the_locked_part_of_a_cancelled_backlog_is_carried_for_its_own_supplier(engine):
    # As above to day 9 (CN owes 3). Day 10: a ban cancels the 3 (allowance 0): the position falls to 7,
    # Q = 13; the locked part 2.4 of what was cancelled joins CN's carry: free order 10.6 and JP ships
    # 6.36 again, and CN's carry is 4.24 + 2.4 = 6.64. Day 11: stock 7 + 6.36 - 10 = 3.36, Q = 16.64,
    # free order max(16.64 - 6.64, 10) = 10: JP ships 5 + 1 = 6 (without the carry of the cancelled
    # part, day 10: Q = 13 split 6.5/6.5, JP ships 6.5 + 1.3 = 7.8).
    ban = ExportControl(exporter="CN", commodity="w", mode="ban", start=10)
    res = simulate(Scenario(owed_pair(), horizon_days=12).with_shocks(stop(end=30), ban), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0][9:], [5.0, 6.36, 6.0])
    np.testing.assert_allclose(res.series("backlog", CN)[0][9:], [3.0, 0.0, 0.0])


@pytest.mark.parametrize("engine", ENGINES)
def test_without_lock_in_what_is_owed_moves_at_once(engine):
    # second_source_share 1: nothing is held; day 10 Q = 13 split 6.5/6.5, CN's 6.5 all to JP: 13.
    res = simulate(Scenario(owed_pair(second=1.0), horizon_days=11).with_shocks(stop(end=30)), engine=engine,
                   seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0][9:], [5.0, 13.0])


def test_engines_agree_on_owed_locked_volume_cancelled_by_patience_and_a_ban():
    # Patience 5 days: CN's wait (restart 25 days away plus its queue) cuts its backlog each day it is
    # owed, a ban later cancels the rest, and the lane is out of reach meanwhile: every path that moves
    # owed locked volume into the carry or holds it, then CN's return takes the carry back.
    ban = ExportControl(exporter="CN", commodity="w", mode="ban", start=20, end=26)
    scenario = Scenario(owed_pair(patience=5.0), horizon_days=60).with_shocks(stop(end=30), ban)
    assert_engines_agree(simulate(scenario, engine="vector", seed=3), simulate(scenario, engine="des", seed=3))


def test_during_a_stop_taiwans_designs_get_no_other_foundrys_wafers_and_the_other_parts_keep_theirs():
    # Every Taiwanese fab stops for 90 days from day 10 (tools/tw_fab_outage.py). The baseline splits each
    # mature-node packager by the region of the fab behind its wafers (docs/model.md §6.6, design identity
    # through the packager): the part packaging Taiwan's designs buys only Taiwanese wafers (its Korean
    # alternate is not qualified within the run), so it draws nothing from other foundries once Taiwan's
    # finished wafers are shipped (what the split loses: second sourcing at the packager); every other part
    # keeps at least its steady inflow (its users move orders to it, they do not take its wafers away).
    import warnings

    from supplychain import load_baseline
    from tools.tw_fab_outage import outage

    base = load_baseline(horizon_days=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = simulate(outage(base, 90, start=10), engine="vector", seed=1)
    lanes = base.network.lanes
    flow = res.flow[0]
    buyers = sorted({l.destination for l in lanes if l.commodity == "mature_wafer"})
    assert any(b.endswith(".TW") for b in buyers) and any(not b.endswith(".TW") for b in buyers)
    for buyer in buyers:
        idx = [i for i, l in enumerate(lanes) if l.commodity == "mature_wafer" and l.destination == buyer]
        others = [i for i in idx if not lanes[i].origin.startswith("TW.")]
        steady = flow[5, idx].sum()
        drawn = flow[45:100, others].sum(axis=1)
        if buyer.endswith(".TW"):
            assert flow[5, others].sum() == 0.0 and np.all(drawn == 0.0), buyer
        else:
            assert np.all(drawn >= steady * (1 - 1e-9)), buyer
