"""Design lock-in of re-sourcing (docs/model.md §5.6.6, "Design lock-in").

A buyer whose supplier fails can move at once only the second-sourced part of what that supplier made
for it; the rest waits (a carry of unplaced locked volume) for the supplier's return or for the
porting time. Every expected value is worked out by hand in the comments from the rules of
docs/model.md, never from the simulator; both engines must give it.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.errors import ValidationError
from supplychain.model import (
    BaseStock,
    Commodity,
    Demand,
    ExportControl,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.model.shocks import SWITCHING_LAG_DAYS
from supplychain.model.sourcing import SECOND_SOURCE_SHARE
from supplychain.run import simulate

ENGINES = ("vector", "des")
JP, CN = "JP.plant>US.w", "CN.plant>US.w"


def locked_pair(second: float | None = 0.2, port: float | None = 10.0, commodity: str = "w") -> Network:
    """CN.plant and JP.plant (shares 0.5 each) -> US.w (demand 10/day, BaseStock(20), lead 1 day).

    The CN lane is second-sourced in part ``second`` and ported ``port`` days after the buyer first
    seeks alternates. JP.plant holds 200 units of output stock and capacity 100: it ships whatever
    it is asked.
    """
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity(commodity, "unit", 1.0, chain="minerals"),),
        facilities=(Facility("CN.plant", "CN", "plant", commodity, 40.0, policies={commodity: BaseStock(20.0)}),
                    Facility("JP.plant", "JP", "plant", commodity, 100.0, policies={commodity: BaseStock(200.0)})),
        lanes=(Lane("CN.plant", "US.w", commodity, lead_time=1.0, share=0.5, second_source_share=second,
                    qualification_days=port),
               Lane("JP.plant", "US.w", commodity, lead_time=1.0, share=0.5)),
        demands=(Demand("US.w", "US", commodity, 10.0, policy=BaseStock(20.0)),),
    )


def ban(end: int | None = None) -> ExportControl:
    return ExportControl(exporter="CN", commodity="w", mode="ban", start=5, end=end)


@pytest.mark.parametrize("engine", ENGINES)
def test_only_the_second_sourced_part_moves_until_ported_then_the_carry_follows(engine):
    # Lost sales (the default). Day 5: Q = 10, no carry: O~ = 5 per lane. CN is banned (h = 0,
    # mu = 1): its free part 5 x 0.2 = 1 goes to JP (spare 95), the locked 4 is not placed: Z = 4.
    # JP ships 5 + 1 = 6. Days 6-7: the stock still covers demand; the position after day t-1's order
    # is 20 - Z(t-1), so Q = 10 + Z(t-1), free order max(Q - Z, min(Q, 10)) = 10, carry Z(t-1):
    # JP gets 5 + 1 again and Z grows by 4 (8, 12). Day 8: the stock runs out (6 arrive, 10 wanted,
    # 2 lost): position 0, Q = 20, free order max(20 - 12, 10) = 10, carry 10, Z = 14; from then on
    # Q = 20 and Z = 14 each day, JP still ships 6.
    # Day 15 = seek day 5 + porting 10: ported, the carry is free: Q = 20, free order 10, carry 10:
    # JP keeps 5 and receives CN's 5 + 10 = 15: it ships 20. Day 16: the position is back at 20,
    # Q = 10, all of it to JP (CN still banned, everything ported): 10 a day.
    res = simulate(Scenario(locked_pair(), horizon_days=18).with_shocks(ban()), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0], [5.0] * 5 + [6.0] * 10 + [20.0] + [10.0] * 2)
    np.testing.assert_allclose(res.series("flow", CN)[0], [5.0] * 5 + [0.0] * 13)
    np.testing.assert_allclose(res.series("inventory", "US.w:w")[0][5:9], [10.0, 6.0, 2.0, 0.0])


@pytest.mark.parametrize("engine", ENGINES)
def test_without_lock_in_the_whole_diverted_volume_moves_at_once(engine):
    # second_source_share = 1: the split of §5.6.6 before lock-in: JP takes CN's 5 on day 5.
    res = simulate(Scenario(locked_pair(second=1.0), horizon_days=8).with_shocks(ban()), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0], [5.0] * 5 + [10.0] * 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_locked_volume_goes_back_to_its_supplier_when_it_returns(engine):
    # Ban days 5-9: as above Z(9) = 14 with Q = 20. Day 10: CN is available again (h = 1); its
    # diverted fraction returns over the switching lag: mu = 1 - 1/lag. Q = 20, free order
    # max(20 - 14, 10) = 10, carry 10. JP gets its 5 plus CN's free part 5 mu 0.2; CN gets its kept
    # 5 (1 - mu), its locked part 5 mu 0.8 and the carry 10: 15 - mu. CN holds 20 in stock
    # (BaseStock(20), idle during the ban): it ships all of it that day.
    lag = SWITCHING_LAG_DAYS["minerals"]
    mu = 1.0 - 1.0 / lag
    res = simulate(Scenario(locked_pair(port=100.0), horizon_days=11).with_shocks(ban(end=10)),
                   engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0][5:], [6.0] * 5 + [5.0 + 5.0 * mu * 0.2])
    np.testing.assert_allclose(res.series("flow", CN)[0][5:], [0.0] * 5 + [15.0 - mu])


@pytest.mark.parametrize("engine", ENGINES)
def test_a_locked_buyer_orders_no_more_than_the_lock_lets_through(engine):
    # Over days 5..14, before porting, what reaches the buyer is JP's 6 a day: 60 units against 100 of
    # demand; the 4 a day locked to CN are not placed anywhere.
    res = simulate(Scenario(locked_pair(port=50.0), horizon_days=15).with_shocks(ban()), engine=engine, seed=0)
    assert res.series("flow", JP)[0][5:].sum() == pytest.approx(60.0)


def test_defaults_lock_chip_lanes_and_leave_others_free():
    # The table: processed mature-node wafers carry 1 - 0.2 locked; a commodity not listed carries none
    # (no lock array at all when no lane is locked).
    assert SECOND_SOURCE_SHARE["mature_wafer"] == 0.2
    # Compound (GaAs/GaN) epiwafers are grown to one device maker's recipe: locked like silicon wafers.
    assert SECOND_SOURCE_SHARE["compound_wafer"] == 0.2
    sp = compile_scenario(Scenario(locked_pair(second=None, commodity="mature_wafer"),
                                   horizon_days=3)).schedules.extras["sourcing"]
    np.testing.assert_allclose(sp.lock, [0.8, 0.8])
    sp = compile_scenario(Scenario(locked_pair(second=None), horizon_days=3)).schedules.extras["sourcing"]
    assert sp.lock is None


def test_second_source_share_outside_zero_one_is_refused_naming_the_field():
    with pytest.raises(ValidationError, match="second_source_share"):
        Lane("CN.plant", "US.w", "w", second_source_share=1.5)
