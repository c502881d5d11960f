"""A fab stop against a blockade of the fab's region (docs/model.md §6.6): hand-computed oracles, both engines.

A fab in TW (capacity 10/day = its steady output, cold restart: delay ``DELAY``, ramp ``RAMP``) ships
wafers to a packager in TW that ships chips to a user in the US demanding 10/day (lost sales). Every stage
holds days of cover: the fab's finished wafers ``F``, the packager's die bank ``B`` and finished chips ``P``,
the user ``U``; the chips take ``LEAD`` days to the US. Nothing has spare capacity, so what a shock
withholds is never made up and every stock it draws down stays drawn (the pipelines refill as they
drain, so they cover nothing in the end):

* a fab stop of ``D`` days withholds ``D + DELAY + (RAMP - 1) / 2`` days of the fab's output and every
  stock downstream covers it: the user goes short by ``max(0, D + DELAY + (RAMP - 1)/2 - (F + B + P + U))``
  days of demand;
* a blockade of ``D`` days (every lane to or from TW closed) stops all the chips leaving TW for ``D``
  days and only the user's own stock covers it: short by ``max(0, D - U)`` days. What piled up in TW
  ships when the lanes reopen.

So at equal length the blockade costs more whenever the stocks held in the region (``F + B + P``) exceed
what the cold restart withholds (``DELAY + (RAMP - 1)/2``).

A second network splits the fabs' wafers between TW and KR (share ``W`` each) into one packager in the US:
with the packager's chips one good (pooled), the KR fab's designs cover the TW fab's at the packager and
at the user; with one packager per fab region (`tools.tw_stop_vs_blockade.split_packagers`, the designs
of each fab a good of their own down to the user, as in the shipped baseline) the user goes short by
``W * max(0, D + DELAY + (RAMP - 1)/2 - (F + B + P + U))`` days of its demand.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.metrics.balance import material_balance
from supplychain.model import (
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Fixed,
    Lane,
    LogisticsShock,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate
from tools.tw_stop_vs_blockade import split_packagers

from .conftest import assert_engines_agree

RATE, START, HORIZON = 10.0, 20, 400
F, B, P, U, LEAD = 5.0, 14.0, 14.0, 20.0, 5.0
DELAY, RAMP = 14.0, 5.0
W = 0.5
CHIPS = (Commodity("wafer", "u", 1.0, chain="semiconductors"), Commodity("chip", "u", 10.0, chain="semiconductors"))


def fab(region: str, share: float = 1.0) -> Facility:
    return Facility(f"{region}.fab", region, "fab", "wafer", RATE * share, restart_days=DELAY,
                    restart_ramp_days=RAMP, policies={"wafer": DaysOfCover(F)})


def packager(ident: str, region: str) -> Facility:
    return Facility(ident, region, "packaging", "chip", RATE, recipe={"wafer": 1.0},
                    policies={"chip": DaysOfCover(P), "wafer": DaysOfCover(B)})


def user() -> Demand:
    return Demand("US.chip", "US", "chip", RATE, policy=DaysOfCover(U))


def one_fab() -> Network:
    return Network(regions=(Region("TW"), Region("US")), commodities=CHIPS,
                   facilities=(fab("TW"), packager("TW.pkg", "TW")),
                   lanes=(Lane("TW.fab", "TW.pkg", "wafer", lead_time=Fixed(1.0)),
                          Lane("TW.pkg", "US.chip", "chip", lead_time=Fixed(LEAD))),
                   demands=(user(),))


def two_fabs() -> Network:
    return Network(regions=(Region("TW"), Region("KR"), Region("US")), commodities=CHIPS,
                   facilities=(fab("TW", W), fab("KR", 1 - W), packager("US.pkg", "US")),
                   lanes=(Lane("TW.fab", "US.pkg", "wafer", lead_time=Fixed(1.0), share=W, second_source_share=0.0),
                          Lane("KR.fab", "US.pkg", "wafer", lead_time=Fixed(1.0), share=1 - W,
                               second_source_share=0.0),
                          Lane("US.pkg", "US.chip", "chip", lead_time=Fixed(LEAD), second_source_share=0.0)),
                   demands=(user(),))


def fab_stop(net: Network, days: int, horizon: int = HORIZON) -> Scenario:
    return Scenario(net, horizon_days=horizon).with_shocks(
        CapacityShock(facility="TW.fab", fraction_lost=1.0, start=START, end=START + days, recovery_days=0))


def blockade(net: Network, days: int) -> Scenario:
    return Scenario(net, horizon_days=HORIZON).with_shocks(
        LogisticsShock(through="TW", closed=True, start=START, end=START + days))


def short_days(res) -> float:
    """Demand not delivered over the horizon, in days of demand."""
    return float((res.demand[0, :, 0] - res.delivered[0, :, 0]).sum() / RATE)


WITHHELD_BY_RESTART = DELAY + (RAMP - 1.0) / 2.0


@pytest.mark.parametrize("engine", ["vector", "des"])
@pytest.mark.parametrize("days", [20, 30, 40, 60])
def test_a_fab_stop_is_covered_by_every_stock_downstream_a_blockade_only_by_the_stocks_abroad(engine, days):
    stop = simulate(fab_stop(one_fab(), days), engine=engine, seed=0)
    closed = simulate(blockade(one_fab(), days), engine=engine, seed=0)
    assert short_days(stop) == pytest.approx(max(0.0, days + WITHHELD_BY_RESTART - (F + B + P + U)), abs=1e-9)
    assert short_days(closed) == pytest.approx(max(0.0, days - U), abs=1e-9)
    assert material_balance(stop).max_relative_error < 1e-9
    assert material_balance(closed).max_relative_error < 1e-9


def test_at_equal_length_the_blockade_costs_more_when_the_region_holds_more_than_the_restart_withholds():
    # F + B + P = 33 days held in TW against 16 withheld by the restart: 17 days' more shortfall.
    days = 60
    stop = short_days(simulate(fab_stop(one_fab(), days), engine="vector", seed=0))
    closed = short_days(simulate(blockade(one_fab(), days), engine="vector", seed=0))
    assert closed - stop == pytest.approx((F + B + P) - WITHHELD_BY_RESTART, abs=1e-9)


@pytest.mark.parametrize("shock", [fab_stop, blockade])
def test_engines_agree_on_a_fab_stop_and_a_blockade(shock):
    s = shock(one_fab(), 45)
    assert_engines_agree(simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0))


@pytest.mark.parametrize("engine", ["vector", "des"])
@pytest.mark.parametrize("days", [30, 60, 90])
def test_with_one_packager_per_fab_region_the_other_fab_s_designs_cover_nothing(engine, days):
    # 250 days: the stopped fab's designs are not yet ported (§5.6.6), which would end the lock.
    split = split_packagers(Scenario(two_fabs(), horizon_days=250), [("wafer", "chip")])
    assert sorted(f.id for f in split.network.facilities if f.stage == "packaging") == ["US.pkg.KR", "US.pkg.TW"]
    assert short_days(simulate(split, engine=engine, seed=0)) == pytest.approx(0.0, abs=1e-9)
    shocked = fab_stop(split.network, days, 250)
    expected = W * max(0.0, days + WITHHELD_BY_RESTART - (F + B + P + U))
    assert short_days(simulate(shocked, engine=engine, seed=0)) == pytest.approx(expected, abs=1e-9)
    pooled = short_days(simulate(fab_stop(two_fabs(), days, 250), engine=engine, seed=0))
    assert pooled <= expected + 1e-9
    if expected > 0:
        assert pooled < expected  # a pooled packager's other designs cover the stopped fab's


def test_on_the_baseline_a_blockade_piles_up_taiwan_s_chips_and_a_fab_stop_ships_them():
    """Thirty days from day 20 on the cited baseline: under the blockade Taiwan's logic packagers hold their
    finished chips (more than their 14 days), under the stop they ship them and Taiwan's fabs' finished wafers
    run out; the stop withholds nothing from users abroad in its first 30 days, the blockade does."""
    import supplychain as sc
    from supplychain.compile.compiler import compile_scenario
    from tools.tw_fab_outage import outage
    from tools.tw_stop_vs_blockade import blockade as close, stage_days

    base = sc.load_baseline(horizon_days=60)
    names = ("inventory", "wip", "in_transit", "flow")
    run = {k: {n: np.asarray(simulate(s, engine="vector", seed=1).arrays[n])[0] for n in names}
           for k, s in (("ref", base), ("stop", outage(base, 30, start=20)), ("closed", close(base, 30, 20)))}
    c = compile_scenario(base)
    stop, closed = (stage_days(c, run[k], run["ref"], "logic_wafer", "logic_chip") for k in ("stop", "closed"))
    assert run["ref"]["inventory"].shape[0] == 60
    assert stop["finished chips, packagers TW"][19] == pytest.approx(14.0)
    assert closed["finished chips, packagers TW"][49] > 20.0
    assert stop["TW fabs' finished wafers"][49] == pytest.approx(0.0, abs=1e-6)
    assert abs(stop["withheld from users abroad"][49]) < 0.5 < closed["withheld from users abroad"][49]


def test_the_shipped_baseline_is_split_and_split_packagers_leaves_it_as_it_is():
    """The baseline packages each foundry's designs as a good of their own (tools/baseline/packagers.py)."""
    import supplychain as sc

    base = sc.load_baseline(horizon_days=40)
    ids = [f.id for f in base.network.facilities]
    assert [i for i in ids if i.startswith("TW.packaging.logic_chip")] == ["TW.packaging.logic_chip.KR",
                                                                          "TW.packaging.logic_chip.TW"]
    assert "TW.packaging.logic_chip" not in ids and "TW.packaging.memory_chip" in ids
    assert split_packagers(base).network == base.network
