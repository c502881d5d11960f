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
    # Lost sales (the default). Initial stock 20 - 10 in transit = 10. US.w keeps a design-specific
    # stock of CN's locked designs (§5.6.6): c = 0.5 x 0.8 = 0.4 of its use, J(0) = 0.4 x 10 = 4, cap
    # 0.4 x (10 + 10) = 8. Each steady day 10 arrive (J 4 + 0.8 x 5 = 8), 10 are served (4 from J).
    # Day 5: CN is banned (h = 0, mu = 1): Q = 10, O~ = 5 per lane; CN's free part 5 x 0.2 = 1 goes to JP
    # (spare 95), the locked 4 is not placed: Z = 4. JP ships 5 + 1 = 6; stock 20 - 10 = 10, J = 4.
    # Day 6: 6 arrive from JP (I = 16, J = 4): CN's designs take J's last 4, 10 served, I = 6. Position 6,
    # Q = 14, free order max(14 - 4, min(14, 10)) = 10 with the carry 4: JP gets 5 + 1, Z = 4 + 4 = 8.
    # Days 7-14: 6 arrive (I = 12, J = 0): CN's 4 a day of designs cannot be served, only 6; I = 6 again,
    # Q = 14, free order max(14 - 8, 10) = 10, carry used 8 x 4/8 = 4, Z = 8: JP ships 6 a day.
    # Day 15 = seek day 5 + porting 10: ported, so no design account binds: 12 on hand, 10 served, I = 2;
    # Q = 18, free order max(18 - 8, 10) = 10, the carry 8 is free: JP keeps 5 and receives CN's 5 + 8:
    # it ships 18. Day 16: 18 arrive, I = 10 after demand, Q = 10, all to JP: 10 a day.
    res = simulate(Scenario(locked_pair(), horizon_days=18).with_shocks(ban()), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0], [5.0] * 5 + [6.0] * 10 + [18.0] + [10.0] * 2)
    np.testing.assert_allclose(res.series("flow", CN)[0], [5.0] * 5 + [0.0] * 13)
    np.testing.assert_allclose(res.series("inventory", "US.w:w")[0][5:9], [10.0, 6.0, 6.0, 6.0])
    np.testing.assert_allclose(res.series("delivered", "US.w")[0], [10.0] * 7 + [6.0] * 8 + [10.0] * 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_without_lock_in_the_whole_diverted_volume_moves_at_once(engine):
    # second_source_share = 1: the split of §5.6.6 before lock-in: JP takes CN's 5 on day 5.
    res = simulate(Scenario(locked_pair(second=1.0), horizon_days=8).with_shocks(ban()), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0], [5.0] * 5 + [10.0] * 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_locked_volume_goes_back_to_its_supplier_when_it_returns(engine):
    # Ban days 5-9: as above Z(9) = 8, and US.w ends each day with 6 (its stock of CN's designs empty).
    # Day 10: CN is available again (h = 1); its diverted fraction returns over the switching lag:
    # mu = 1 - 1/lag. 6 arrive, 6 served: I = 6, Q = 14, free order max(14 - 8, 10) = 10, carry used
    # 8 x 4/8 = 4. JP gets its 5 plus CN's free part 5 mu 0.2; CN gets its kept 5 (1 - mu), its locked
    # part 5 mu 0.8 and the carry 4: 9 - mu. CN holds 20 in stock (BaseStock(20), idle during the
    # ban): it ships all of it that day.
    lag = SWITCHING_LAG_DAYS["minerals"]
    mu = 1.0 - 1.0 / lag
    res = simulate(Scenario(locked_pair(port=100.0), horizon_days=11).with_shocks(ban(end=10)),
                   engine=engine, seed=0)
    np.testing.assert_allclose(res.series("flow", JP)[0][5:], [6.0] * 5 + [5.0 + 5.0 * mu * 0.2])
    np.testing.assert_allclose(res.series("flow", CN)[0][5:], [0.0] * 5 + [9.0 - mu])


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
