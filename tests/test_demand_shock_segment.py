"""``DemandShock(segment=...)``: one end-use segment's demand moves, the others stay (docs/model.md §6.8)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import supplychain as sc
from supplychain.errors import SupplyChainError
from supplychain.io.scenario import dumps_scenario, loads_scenario


@pytest.fixture(scope="module")
def base():
    return sc.load_baseline(horizon_days=60, start_date=dt.date(2020, 1, 1))


def _segments(net, region, commodity):
    return {d.segment: k for k, d in enumerate(net.demands) if (d.region, d.commodity) == (region, commodity)}


def test_a_segment_shock_multiplies_that_segment_only_and_none_every_segment(base):
    # hand computation: the compiled demand factor is 0.3 on the US automotive buyers of mature chips over
    # [10, 40), 1 elsewhere; without a segment every segment of US mature chips gets it (as before)
    from supplychain.compile import compile_scenario
    seg = _segments(base.network, "US", "mature_chip")
    assert {"automotive", "industrial", "electronics"} <= set(seg)
    one = sc.DemandShock(region="US", commodity="mature_chip", factor=0.3, segment="automotive", start=10, end=40)
    every = sc.DemandShock(region="US", commodity="mature_chip", factor=0.3, start=10, end=40)
    f1 = compile_scenario(base.with_shocks(one)).schedules.demand_factor
    fa = compile_scenario(base.with_shocks(every)).schedules.demand_factor
    expect = np.ones_like(f1)
    expect[10:40, seg["automotive"]] = 0.3
    assert np.array_equal(f1, expect)
    expect[10:40, list(seg.values())] = 0.3
    assert np.array_equal(fa, expect)


def test_segment_shocks_multiply_with_each_other_and_with_a_regionwide_one(base):
    from supplychain.compile import compile_scenario
    seg = _segments(base.network, "CN", "mature_chip")
    shocks = (sc.DemandShock(region="CN", commodity="mature_chip", factor=0.5, segment="automotive", start=0, end=20),
              sc.DemandShock(region="CN", commodity="mature_chip", factor=1.2, segment="electronics", start=5),
              sc.DemandShock(region="CN", commodity="mature_chip", factor=1.1, start=10, end=30))
    f = compile_scenario(base.with_shocks(*shocks)).schedules.demand_factor
    assert f[0, seg["automotive"]] == 0.5 and f[15, seg["automotive"]] == pytest.approx(0.55, abs=1e-15)
    assert f[15, seg["electronics"]] == pytest.approx(1.32, abs=1e-15) and f[40, seg["electronics"]] == 1.2
    assert f[15, seg["industrial"]] == 1.1 and f[40, seg["industrial"]] == 1.0


def test_unknown_segment_names_close_matches(base):
    shock = sc.DemandShock(region="US", commodity="mature_chip", factor=0.5, segment="automotiv")
    with pytest.raises(SupplyChainError, match=r"segment 'automotiv'.*Did you mean 'automotive'"):
        base.with_shocks(shock)


def test_a_segment_absent_from_the_region_and_commodity_names_the_segments_there():
    from supplychain.analytics._toy import toy_scenario
    from supplychain.compile import compile_scenario
    scenario = toy_scenario(10)
    with pytest.raises(SupplyChainError, match="no demand of this network has a segment"):
        compile_scenario(scenario.with_shocks(sc.DemandShock(region="US", commodity="cell", factor=2.0,
                                                             segment="automotive")))


def test_segment_is_an_id():
    with pytest.raises(SupplyChainError, match="segment"):
        sc.DemandShock(region="US", commodity="mature_chip", factor=0.5, segment=3)


def test_toml_round_trip_keeps_the_segment(base):
    shocks = (sc.DemandShock(region="US", commodity="mature_chip", factor=0.3, segment="automotive",
                             start=dt.date(2020, 4, 1), end=dt.date(2020, 7, 1)),
              sc.DemandShock(region="US", commodity="mature_chip", factor=1.1))
    back = loads_scenario(dumps_scenario(base.with_shocks(*shocks)))
    assert back.shocks == base.with_shocks(*shocks).shocks
    assert back.shocks[0].segment == "automotive" and back.shocks[1].segment is None


def _two_segment_scenario(allocation: str) -> sc.Scenario:
    """One fab serving a region's automotive and electronics buyers; automakers cut orders, then both want more."""
    from supplychain.model import Commodity, Demand, Facility, Lane, Network, Region, Scenario
    net = Network(
        regions=(Region("TW"), Region("US")),
        commodities=(Commodity("chip", "unit", 1.0, chain="semiconductors"),),
        facilities=(Facility("TW.fab", "TW", "fab", "chip", 12.0, allocation=allocation, default_cover_days=5.0,
                             recent_days=20),),
        lanes=(Lane("TW.fab", "US.auto", "chip", lead_time=3.0), Lane("TW.fab", "US.elec", "chip", lead_time=3.0)),
        demands=(Demand("US.auto", "US", "chip", 4.0, policy=sc.DaysOfCover(5.0), segment="automotive"),
                 Demand("US.elec", "US", "chip", 6.0, policy=sc.DaysOfCover(5.0), segment="electronics")),
    )
    return Scenario(net, horizon_days=120).with_shocks(
        sc.DemandShock(region="US", commodity="chip", factor=0.3, segment="automotive", start=10, end=40),
        sc.DemandShock(region="US", commodity="chip", factor=1.4, segment="electronics", start=10),
        sc.DemandShock(region="US", commodity="chip", factor=1.2, start=60))


@pytest.mark.parametrize("allocation", ["history", "recent"])
def test_engines_agree_on_segment_shocks_and_the_recent_record_serves_electronics_first(allocation):
    from supplychain.metrics import material_balance
    from tests.conftest import assert_engines_agree
    a = sc.simulate(_two_segment_scenario(allocation), engine="vector", seed=1)
    b = sc.simulate(_two_segment_scenario(allocation), engine="des", seed=1)
    assert_engines_agree(a, b)
    assert material_balance(a).max_relative_error < 1e-9
    # demand as scheduled: automotive 4 x 0.3 then 4 x 1.2 from day 60; electronics 6 x 1.4 then x 1.2
    demand = a.demand[0]
    assert demand[20].tolist() == pytest.approx([1.2, 8.4], abs=1e-12)
    assert demand[80].tolist() == pytest.approx([4.8, 10.08], abs=1e-12)
    # from day 60 the fab (12 a day) is short of 14.88: by history each lane is served up to its steady flow
    # (4 and 6) first, so the automakers' 4.8 is met but for 0.8 and electronics' extra waits; by recent purchases
    # the automakers' record fell to about 1.2 during their cut and electronics' rose to about 8.4, so the
    # automakers are served last (docs/model.md §5.7)
    short = (a.demand - a.delivered)[0, 60:].sum(axis=0)
    if allocation == "history":
        assert short[0] < 0.05 * short[1]
    else:
        assert short[0] > 0.4 * short[1] > 0.0
