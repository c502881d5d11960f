"""Approval by destination: one licensing control as regimes per group of destinations (docs/model.md §6.5.2).

Oracles by hand: an exporter denies every application to one destination and approves every one to
another after a fixed delay; the denied buyer's lane ships nothing from the start, its buyer turns to
its other supplier, the approved lane ships its first approved order on the day of its decision. The
shipped 2023 gallium scenario decides US applications at 0 (China customs recorded no gallium or
germanium exports to the US in 2024), so the US buys less of its gallium from China, not more.
"""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain import simulate
from supplychain.analytics.compare import compare
from supplychain.model import Commodity, Demand, ExportControl, Facility, Fixed, Lane, Network, Region, Scenario, Uniform
from tests.conftest import assert_engines_agree

START, DELAY, LEAD = 5, 10, 3.0


def two_destinations() -> Network:
    """A CN refinery selling 1 t/day to a US and a JP demand; the US demand also buys half from a JP refinery."""
    return Network(
        regions=(Region("CN"), Region("US"), Region("JP")),
        commodities=(Commodity("metal", "t", 100.0),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 20.0),
                    Facility("JP.ref", "JP", "refinery", "metal", 20.0)),
        lanes=(Lane("CN.ref", "US.d", "metal", lead_time=LEAD, share=0.5),
               Lane("JP.ref", "US.d", "metal", lead_time=LEAD, share=0.5),
               Lane("CN.ref", "JP.d", "metal", lead_time=LEAD)),
        demands=(Demand("US.d", "US", "metal", 1.0), Demand("JP.d", "JP", "metal", 1.0)),
    )


def by_destination(p_us: float, p_rest: float, delay: object) -> tuple[ExportControl, ExportControl]:
    common = dict(exporter="CN", commodity="metal", mode="licence", start=START, processing_delay=delay)
    return (ExportControl(destinations=("US",), approval_probability=p_us, **common),  # type: ignore[arg-type]
            ExportControl(except_destinations=("US",), approval_probability=p_rest, **common))  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_each_destination_is_decided_at_its_own_probability(engine: str) -> None:
    net = two_destinations()
    s = Scenario(net, horizon_days=60).with_shocks(*by_destination(0.0, 1.0, Fixed(DELAY)))
    r = simulate(s, engine=engine, seed=0)
    cn_us, jp_us, cn_jp = (r.coords.index("lane", lane.id) for lane in net.lanes)
    flow = r.flow[0]
    # US applications are all denied: the lane ships nothing from the start of the control.
    assert flow[START:, cn_us].sum() == 0.0
    # JP applications wait DELAY days, then each day's order ships on its decision day.
    assert flow[START:START + DELAY, cn_jp].sum() == 0.0
    assert flow[START + DELAY, cn_jp] == pytest.approx(1.0)
    # The US buyer expects nothing from China and turns to Japan: once the pipeline has landed it
    # receives its whole 1 t/day from the JP refinery.
    late = slice(START + DELAY + int(LEAD) + 5, r.n_days)
    assert r.arrivals[0, late, cn_us].sum() == 0.0
    assert r.arrivals[0, late, jp_us] == pytest.approx(np.ones(r.n_days - late.start))


def test_engines_agree_with_regimes_by_destination() -> None:
    s = Scenario(two_destinations(), horizon_days=80).with_shocks(*by_destination(0.1, 0.6, Uniform(5.0, 15.0)))
    a, b = (simulate(s, engine=e, seed=7) for e in ("des", "vector"))
    assert_engines_agree(a, b)


def test_the_2023_controls_lower_the_us_share_of_gallium_from_china() -> None:
    """With one approval rate for every destination the US share rose (its alternates run on Chinese crude
    under the same licences while its Chinese lane kept half its approvals); US destinations at 0 lower it."""
    scen = sc.load_example("gallium_germanium_2023")
    us = {s.commodity: s.approval_probability for s in scen.shocks if s.destinations == ("US",)}
    assert us == {"gallium": 0.0, "germanium": 0.0}
    scen = scen.with_horizon(240)
    shocked, base = (simulate(x, engine="vector", seed=2023) for x in (scen, scen.replace(shocks=())))
    table = compare(shocked, baseline=base)
    share = table[(table.metric == "import_share") & (table.partner == "CN") & (table.region == "US")
                  & table.commodity.isin(["gallium", "germanium"])]
    assert len(share) == 2
    for row in share.itertuples():
        assert row.shocked < row.baseline, (row.commodity, row.baseline, row.shocked)
