"""Design-specific stocks of design-locked lanes (docs/model.md §5.6.6, "Design-specific stocks"; O-15).

A buyer's stock of a locked supplier's designs serves only those designs: once it is empty, the
buyer makes (or serves) only the rest. Expected values are worked out by hand in the comments from
the rules of docs/model.md; both engines must give them.
"""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest

import supplychain as sc
from supplychain.metrics import material_balance
from supplychain.model import BaseStock, Commodity, Demand, ExportControl, Facility, Lane, Network, Region, Scenario
from supplychain.model.dists import Triangular
from supplychain.run import simulate
from tests.conftest import assert_engines_agree

ENGINES = ("vector", "des")


def packager(second: float = 0.2) -> Network:
    """CN.fab and JP.fab (shares 0.5 each, lead 1) -> US.pkg (1 wafer a chip, BaseStock(20) on both its
    stocks) -> US.chip (demand 10/day, lead 1). CN's lane is second-sourced in part ``second``; JP.fab
    holds 200 wafers and capacity 100."""
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain="minerals"), Commodity("chip", "unit", 1.0, chain="minerals")),
        facilities=(Facility("CN.fab", "CN", "fab", "w", 40.0, policies={"w": BaseStock(20.0)}),
                    Facility("JP.fab", "JP", "fab", "w", 100.0, policies={"w": BaseStock(200.0)}),
                    Facility("US.pkg", "US", "pkg", "chip", 100.0, recipe={"w": 1.0},
                             restart_days=0, restart_ramp_days=0,
                             policies={"w": BaseStock(20.0), "chip": BaseStock(20.0)})),
        lanes=(Lane("CN.fab", "US.pkg", "w", lead_time=1.0, share=0.5, second_source_share=second,
                    qualification_days=100.0),
               Lane("JP.fab", "US.pkg", "w", lead_time=1.0, share=0.5),
               Lane("US.pkg", "US.chip", "chip", lead_time=1.0)),
        demands=(Demand("US.chip", "US", "chip", 10.0),),
    )


def ban() -> ExportControl:
    return ExportControl(exporter="CN", commodity="w", mode="ban", start=5)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_packager_makes_only_what_its_stock_of_the_lost_designs_allows(engine):
    # US.pkg's wafer stock starts at 20 - 10 in transit = 10; CN's locked designs are c = 0.5 x 0.8 = 0.4
    # of its use, J(0) = 4 (cap 0.4 x (10 + 10) = 8). Its chip stock starts at 20 - 10 = 10, so each day
    # it wants 10 starts. Steady days: 10 wafers land (J 4 + 0.8 x 5 = 8), 10 are used (4 from J).
    # Day 5 (CN banned): 10 land from day 4, J = 8; 10 starts (J = 4), wafers 10. The buyer orders 10:
    # JP gets 5 + CN's portable 1, the locked 4 is carried (§5.6.6).
    # Day 6: JP's 6 land (wafers 16, J = 4): 10 starts use J's last 4 and 6 free wafers; wafers 6.
    # Day 7: 6 land (wafers 12, J = 0, free 12): of 10 wanted starts CN's designs' 4 cannot be made: 6.
    # Chips 10 + 6 - 10 shipped = 6; wafers 6. Day 8: 6 land (wafers 12): the chip stock is 6, so
    # 14 starts are wanted, at most the 12 wafers; CN's designs' part 0.4 x 12 = 4.8 cannot be made,
    # the free part 7.2 can: 7.2 starts, wafers 4.8.
    res = simulate(Scenario(packager(), horizon_days=9).with_shocks(ban()), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("production", "US.pkg")[0], [10.0] * 7 + [6.0, 7.2])
    np.testing.assert_allclose(res.series("inventory", "US.pkg:w")[0][5:], [10.0, 6.0, 6.0, 4.8])


@pytest.mark.parametrize("engine", ENGINES)
def test_without_lock_in_the_pooled_stock_serves_every_design(engine):
    # second_source_share = 1: no account; CN's 5 move to JP at once and the stock is one good.
    res = simulate(Scenario(packager(second=1.0), horizon_days=9).with_shocks(ban()), engine=engine, seed=0)
    np.testing.assert_allclose(res.series("production", "US.pkg")[0], [10.0] * 9)


@pytest.mark.parametrize("engine", ENGINES)
def test_design_stocks_keep_the_material_balance(engine):
    res = simulate(Scenario(packager(), horizon_days=40).with_shocks(ban()), engine=engine, seed=0)
    assert material_balance(res).max_relative_error < 1e-9


def test_engines_agree_with_design_stocks_on_a_packager_with_noise():
    net = packager()
    lanes = tuple(replace(l, lead_time=Triangular(0.5, 2.0, 5.0)) for l in net.lanes)
    scen = Scenario(replace(net, lanes=lanes), horizon_days=60).with_shocks(ban())
    assert_engines_agree(simulate(scen, engine="vector", seed=3), simulate(scen, engine="des", seed=3))


def test_engines_agree_with_design_stocks_when_taiwans_fabs_stop():
    from tools.tw_fab_outage import outage

    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    scen = outage(sc.load_baseline(horizon_days=80), 30, start=10)
    # atol 1e-8: TW.fab's mature-wafer stock (666,000 wafers at the start) shipped out to a residue of
    # 1e-9 wafers, which the engines round differently (2e-15 of the stock).
    assert_engines_agree(simulate(scen, engine="vector", seed=1), simulate(scen, engine="des", seed=1), atol=1e-8)
