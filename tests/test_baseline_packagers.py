"""Foundry-chip packagers split by the region of the fab behind their wafers (tools/baseline/packagers.py).

Oracle: the draft built up to the split (every chain, covers, segments) is split by hand, ``w_r`` = the
packager's wafer shares from region ``r``'s fabs over all its wafer shares, and the split draft must hold
exactly those parts; its steady state must carry every flow of the pooled draft (the parts of a packager
together make what it made, and every user region gets as many of each fab region's designs as the
proportional copy gave it, from fewer packagers: the trade in each region's designs is refitted without
its links below ``packagers.PRUNE`` of their user's use, worked by hand on a small matrix below).
"""

from __future__ import annotations

import importlib
from collections import defaultdict

import numpy as np
import pytest

from tools.baseline import packagers
from tools.baseline.sources import REGIONS

build_mod = importlib.import_module("tools.baseline.build")  # the package exports a function of that name


@pytest.fixture(scope="module")
def drafts():
    """(pooled draft, split draft), the pooled one built with the split left out."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(packagers, "split", lambda net: {})
        pooled = build_mod.build()
    return pooled, build_mod.build()


def _flows(net) -> dict[tuple[str, str], float]:
    """Steady flow on every (origin, destination) of a draft, from its shares and its buyers' use."""
    use: dict[str, float] = {}
    for i, f in net.facilities.items():
        for c, v in f["recipe"].items():
            use[(i, c)] = f["production"] * v.value
    for i, d in net.demands.items():
        use[(i, d["commodity"])] = d["rate_per_day"].value
    total: dict[tuple[str, str], float] = defaultdict(float)
    for lane in net.lanes:
        total[(lane["destination"], lane["commodity"])] += lane["share"].value
    flows: dict[tuple[str, str], float] = defaultdict(float)
    for lane in net.lanes:
        key = (lane["destination"], lane["commodity"])
        if lane["share"].value > 0:
            flows[(lane["origin"], lane["destination"])] += use[key] * lane["share"].value / total[key]
    return flows


def test_each_part_has_its_fab_region_s_share_of_the_packager(drafts):
    pooled, split = drafts
    chips = {"logic_chip": "logic_wafer", "mature_chip": "mature_wafer", "mature_idm_chip": "mature_idm_wafer"}
    packs = [i for i, f in pooled.facilities.items() if f["stage"] == "packaging" and f["output"] in chips]
    assert len(packs) == 22 and not any(i in split.facilities for i in packs)
    for p in packs:
        f = pooled.facilities[p]
        by: dict[str, float] = defaultdict(float)
        for lane in pooled.lanes:
            if lane["destination"] == p and lane["commodity"] == chips[f["output"]]:
                by[pooled.facilities[lane["origin"]]["region"]] += lane["share"].value
        w = {r: v / sum(by.values()) for r, v in by.items()}
        parts = packagers.parts(split.facilities, p)
        assert parts == [f"{p}.{r}" for r in REGIONS if r in w]
        for j in parts:
            r = j.rsplit(".", 1)[1]
            g = split.facilities[j]
            assert (g["region"], g["stage"], g["output"]) == (f["region"], f["stage"], f["output"])
            assert g["capacity_per_day"].value == pytest.approx(f["capacity_per_day"].value * w[r], rel=1e-5)
            assert g["production"] == pytest.approx(f["production"] * w[r], rel=1e-12)
            sources = {split.facilities[lane["origin"]]["region"] for lane in split.lanes
                       if lane["destination"] == j and lane["share"].value > 0}
            assert sources == {r}


def _pooled_id(pooled, node: str) -> str:
    return node if node in pooled.facilities or node in pooled.demands else node.rsplit(".", 1)[0]


def test_the_split_carries_every_flow_of_the_pooled_network(drafts):
    pooled, split = drafts
    before, after = _flows(pooled), _flows(split)
    # Every flow but the parts' chips is the pooled one (the wafer lanes of a packager go to its parts).
    merged: dict[tuple[str, str], float] = defaultdict(float)
    for (o, d), x in after.items():
        if o not in split.facilities or o in pooled.facilities:
            merged[(_pooled_id(pooled, o), _pooled_id(pooled, d))] += x
    chips = {k for k in before if k[0] not in split.facilities and k[0] in pooled.facilities}
    assert set(merged) == set(before) - chips
    for key, x in merged.items():
        # shares are written to 4 significant digits
        assert x == pytest.approx(before[key], rel=2e-3, abs=1e-9), key
    # Each part sells what it makes, and each user gets from a fab region's parts what the copies gave it: the
    # pooled flow from each packager times the packager's share of that region's wafers.
    w = {j: split.facilities[j]["production"] / pooled.facilities[j.rsplit(".", 1)[0]]["production"]
         for j in split.facilities if j not in pooled.facilities}
    sold: dict[str, float] = defaultdict(float)
    got: dict[tuple[str, str], float] = defaultdict(float)
    for (o, d), x in after.items():
        if o in w:
            sold[o] += x
            got[(o.rsplit(".", 1)[1], d)] += x
    want: dict[tuple[str, str], float] = defaultdict(float)
    for j, wj in w.items():
        assert sold[j] == pytest.approx(split.facilities[j]["production"], rel=2e-3), j
        for (o, d), x in before.items():
            if o == j.rsplit(".", 1)[0]:
                want[(j.rsplit(".", 1)[1], d)] += wj * x
    assert set(got) == set(want)
    for key, x in want.items():
        assert got[key] == pytest.approx(x, rel=2e-3, abs=1e-9), key


def test_small_copied_lanes_are_dropped_and_a_region_s_segments_keep_one_set_of_shares(drafts):
    pooled, split = drafts
    parts = {j for j in split.facilities if j not in pooled.facilities}
    chip = [lane for lane in split.lanes if lane["origin"] in parts and lane["share"].value > 0]
    # 22 packagers' 300 chip lanes were copied to their 106 parts as 1,410 lanes; 1,149 are left: the foundry
    # classes' 16 packagers (80 parts) 789, the IDMs' 6 packagers (26 parts) 360.
    assert len(chip) == 1149
    shares: dict[tuple[str, str, str], set[float]] = defaultdict(set)
    for lane in chip:
        d = split.demands[lane["destination"]]
        shares[(lane["origin"], d["region"], lane["commodity"])].add(lane["share"].value)
    assert all(len(v) == 1 for v in shares.values())
    # Of the 270 links between regions 96 were below the threshold in the copies: 2 stay, their part having nowhere
    # else to sell, and the refit brought 15 others below it (the foundry classes; the IDMs' parts keep none).
    small = [(o, g) for (o, g, _), v in shares.items()
             if v.pop() < packagers.PRUNE and split.facilities[o]["region"] != g]
    assert len(small) == 17, small


def test_pruning_a_design_region_s_trade_by_hand(monkeypatch):
    """Two parts (homes X and Y) selling to users in X, Y and Z, each region using 100 a day of the chip.

    Part A's 0.2 to Y and part B's 0.3 to Z are below 1 %: without them Y takes its 30.2 from B alone and Z
    its 10.3 from A alone, so A sells X 60.2 - 10.3 = 49.9 and B the rest of X's 55, 5.1.
    """
    monkeypatch.setattr(packagers, "PRUNE", 0.01)
    prior = np.array([[50.0, 0.2, 10.0], [5.0, 30.0, 0.3]])
    keep = np.array([[True, False, False], [False, True, False]])
    x = packagers._prune(prior, np.full(3, 100.0), keep)
    assert x == pytest.approx(np.array([[49.9, 0.0, 10.3], [5.1, 30.2, 0.0]]), abs=1e-7)


def test_a_small_link_stays_where_its_part_has_nowhere_else_to_sell(monkeypatch):
    """Part A (home X) sells 1 to X, 0.3 to Y, 0.2 to Z; X uses only A's 1 of these designs.

    Dropping A -> Z (the smallest) leaves A's 1.5 to X and Y: X 1, Y 0.5, and B sells Y the other 49.8 and
    Z all 20.2. Dropping A -> Y too would leave A's 1.5 with X's 1 of room: it stays.
    """
    monkeypatch.setattr(packagers, "PRUNE", 0.01)
    prior = np.array([[1.0, 0.3, 0.2], [0.0, 50.0, 20.0]])
    keep = np.array([[True, False, False], [False, True, False]])
    x = packagers._prune(prior, np.full(3, 100.0), keep)
    assert x == pytest.approx(np.array([[1.0, 0.5, 0.0], [0.0, 49.8, 20.2]]), abs=1e-7)
