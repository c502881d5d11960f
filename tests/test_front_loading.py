"""Front-loading between a control's announcement and its start (docs/model.md §6.5.4).

Oracle by hand: a buyer of 5 t/day on one lane, told on day 10 of a control starting on day 20 with 30
days of front-loading, orders its 5 t plus the whole 150 t on day 10 (its target rises at once), then
its usage until the start, then nothing until it has drawn the extra down.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain import simulate
from supplychain.compile import compile_scenario
from supplychain.model import Commodity, Demand, ExportControl, Facility, Lane, Network, Region, Scenario
from tests.conftest import assert_engines_agree

ANNOUNCED, START, DAYS, RATE = 10, 20, 30.0, 5.0


def one_lane() -> Network:
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("metal", "t", 100.0),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 1000.0),),
        lanes=(Lane("CN.ref", "US.d", "metal", lead_time=2.0),),
        demands=(Demand("US.d", "US", "metal", RATE),),
    )


def scenario(**kw: object) -> Scenario:
    control = ExportControl(exporter="CN", commodity="metal", mode="ban", start=START, announced=ANNOUNCED,
                            front_load_days=DAYS, **kw)  # type: ignore[arg-type]
    return Scenario(one_lane(), horizon_days=60, shocks=(control,))


def test_the_target_rises_by_the_whole_extra_on_the_announcement_day() -> None:
    extra = compile_scenario(scenario()).schedules.target_extra[:, 0]
    t = np.arange(60)
    np.testing.assert_array_equal(extra, np.where((t >= ANNOUNCED) & (t < START), DAYS * RATE, 0.0))


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_the_buyer_orders_the_extra_at_once(engine: str) -> None:
    flow = simulate(scenario(), engine=engine, seed=0).flow[0, :, 0]
    assert flow[ANNOUNCED] == pytest.approx(RATE + DAYS * RATE)
    assert flow[ANNOUNCED + 1:START] == pytest.approx(np.full(START - ANNOUNCED - 1, RATE))
    assert flow[START:].sum() == 0.0


def test_engines_agree_on_front_loading_with_prices() -> None:
    s = scenario().replace(price_feedback=True)
    a, b = (simulate(s, engine=e, seed=1) for e in ("des", "vector"))
    assert_engines_agree(a, b)
