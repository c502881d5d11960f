"""End-use buyer segments of final demand (docs/model.md §5.5, §8.3): validation, the baseline's split,
the impact layer's mapping of each segment to its own industry, and engine agreement."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import supplychain as sc
from supplychain.errors import ValidationError
from supplychain.impact import load_io_table
from supplychain.impact.loss import InputMap
from supplychain.model import CapacityShock, Commodity, DaysOfCover, Demand, Facility, Fixed, Lane, Network, Region
from tests.conftest import assert_engines_agree


def _toy(cover_auto: float = 3.0, cover_elec: float = 20.0, segments: tuple = ("automotive", "electronics")) -> Network:
    """One fab serves two buyers of one chip in the US, each with its own cover."""
    demands = (Demand("US.chip.a", "US", "chip", 4.0, policy=DaysOfCover(cover_auto), segment=segments[0]),
               Demand("US.chip.e", "US", "chip", 6.0, policy=DaysOfCover(cover_elec), segment=segments[1]))
    return Network(regions=(Region("TW"), Region("US")), commodities=(Commodity("chip", "u", 10.0),),
                   facilities=(Facility("TW.fab", "TW", "fab", "chip", 12.0, default_cover_days=2.0),),
                   lanes=(Lane("TW.fab", "US.chip.a", "chip", lead_time=Fixed(3.0)),
                          Lane("TW.fab", "US.chip.e", "chip", lead_time=Fixed(3.0))),
                   demands=demands)


def test_segment_is_unique_per_region_and_commodity():
    _toy()   # two segments: fine
    Network(**{**{f.name: getattr(_toy(), f.name) for f in dataclasses.fields(Network)},
               "demands": tuple(dataclasses.replace(d, segment=None) for d in _toy().demands)})  # two pooled: fine
    with pytest.raises(ValidationError, match="segment must be unique among the demands of 'chip' in 'US'"):
        _toy(segments=("automotive", "automotive"))
    with pytest.raises(ValidationError, match="segment"):
        Demand("US.x", "US", "chip", 1.0, segment=" auto")


def test_lean_segment_runs_short_first_and_engines_agree():
    """A 10-day stop: the 3-day buyer runs short, the 20-day buyer does not (hand count of stock days)."""
    s = sc.Scenario(_toy(), horizon_days=40).with_shocks(
        CapacityShock(facility="TW.fab", fraction_lost=1.0, start=5, end=15))
    vec, des = (sc.simulate(s, engine=e, seed=1) for e in ("vector", "des"))
    assert_engines_agree(vec, des)
    short = (np.asarray(vec.demand) - np.asarray(vec.delivered))[0].sum(axis=0)
    assert short[0] > 0 and short[1] == pytest.approx(0.0, abs=1e-9)
    # the lean buyer held 3 days + 3 days in transit + its part of 2 days at the fab: it is short several days
    assert 4.0 * 2 < short[0] < 4.0 * 10


@pytest.fixture(scope="module")
def baseline():
    return sc.load_baseline(horizon_days=30).network


def test_baseline_segments_keep_each_regions_class_total(baseline):
    from tools.baseline import batteries, equipment, minerals, segments, semiconductors
    from tools.baseline.network import Draft

    net = Draft()
    for step in (minerals.add_commodities, batteries.add_commodities, semiconductors.add_commodities,
                 equipment.add_commodities, semiconductors.build, semiconductors.build_compound):
        step(net)
    pooled = {i: d["rate_per_day"].value for i, d in net.demands.items()}
    lanes = [dict(l) for l in net.lanes]
    segments.apply(net)
    chips = [i for i in pooled if i.split(".")[-1] in ("memory_chip", "logic_chip", "mature_chip", "mature_idm_chip")]
    assert len(chips) == 24
    for i in chips:
        parts = [d for j, d in net.demands.items() if j.startswith(i + ".")]
        assert [d["segment"] for d in parts] == list(segments.SEGMENTS)
        assert sum(d["rate_per_day"].value for d in parts) == pytest.approx(pooled[i], rel=1e-10)
        before = sorted((l["origin"], l["share"].value) for l in lanes if l["destination"] == i)
        for d in parts:
            assert sorted((l["origin"], l["share"].value) for l in net.lanes if l["destination"] == d["id"]) == before
    # the shipped files hold the same split, with the segments' covers
    covers = {d.segment: d.policy.days for d in baseline.demands if d.segment and d.commodity.endswith("_chip")}
    assert covers == {g: segments.COVER[g].value for g in segments.SEGMENTS}
    # ... and each cover's cited range, the central value inside it
    from supplychain.analytics.cover_band import cited_covers
    assert {g: v for g, v in cited_covers().items() if g in segments.SEGMENTS} == {
        g: (segments.COVER[g].extra["low"], segments.COVER[g].value, segments.COVER[g].extra["high"])
        for g in segments.SEGMENTS}
    assert all(low <= central <= high for low, central, high in cited_covers().values())


def test_segment_shortfall_reaches_its_own_industry(baseline):
    """Hand computation: US automotive mature chips half delivered -> US C29 at 1 - 1.0 x 0.5, C26 untouched."""
    table = load_io_table()
    imap = InputMap.build(baseline, table)
    d = np.array([[dem.rate_per_day for dem in baseline.demands]])
    y = d.copy()
    y[0, [k for k, dem in enumerate(baseline.demands) if (dem.region, dem.commodity, dem.segment)
          == ("US", "mature_chip", "automotive")]] *= 0.5
    cap = imap.capacity(d, y).reshape(len(table.regions), len(table.sectors))
    us = table.regions.index("US")
    expected = np.ones_like(cap)
    expected[us, table.sectors.index("C29")] = 0.5
    np.testing.assert_allclose(cap, expected, atol=1e-12)


def test_equal_segment_shortfalls_equal_the_pooled_pro_rata_mapping(baseline):
    """Value added stays consistent: with every segment of a region short alike, the segmented mapping gives
    the capacity factors of one pooled buyer rationed pro rata with the world use shares (mature chips)."""
    # without contents: a content caps a segment's sectors by the region's own segment purchases and the pooled
    # buyer's by the world use shares, which differ where a region's segment mix is not the world's (§8.3)
    table = load_io_table()
    table = dataclasses.replace(table, content={c: v for c, v in table.content.items() if not c.startswith("mature")})
    pooled = dataclasses.replace(baseline, demands=tuple(dataclasses.replace(d, segment=None) for d in baseline.demands))
    pick = [k for k, dem in enumerate(baseline.demands) if dem.commodity in ("mature_chip", "mature_idm_chip")]
    d = np.array([[dem.rate_per_day for dem in baseline.demands]])
    y = d.copy()
    y[0, pick] *= 0.7
    seg = InputMap.build(baseline, table).capacity(d, y)
    one = InputMap.build(pooled, table, rationing="pro_rata").capacity(d, y)
    np.testing.assert_allclose(seg, one, atol=1e-12)
