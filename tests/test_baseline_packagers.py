"""Foundry-chip packagers split by the region of the fab behind their wafers (tools/baseline/packagers.py).

Oracle: the draft built up to the split (every chain, covers, segments) is split by hand, ``w_r`` = the
packager's wafer shares from region ``r``'s fabs over all its wafer shares, and the split draft must hold
exactly those parts; its steady state must carry every flow of the pooled draft (the parts of a packager
together make what it made, and every user gets from them what it got from it).
"""

from __future__ import annotations

import importlib
from collections import defaultdict

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
    chips = {"logic_chip": "logic_wafer", "mature_chip": "mature_wafer"}
    packs = [i for i, f in pooled.facilities.items() if f["stage"] == "packaging" and f["output"] in chips]
    assert len(packs) == 16 and not any(i in split.facilities for i in packs)
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


def test_the_split_carries_every_flow_of_the_pooled_network(drafts):
    pooled, split = drafts
    before, after = _flows(pooled), _flows(split)
    def pooled_id(node: str) -> str:
        return node if node in pooled.facilities or node in pooled.demands else node.rsplit(".", 1)[0]

    merged: dict[tuple[str, str], float] = defaultdict(float)
    for (o, d), x in after.items():
        merged[(pooled_id(o), pooled_id(d))] += x
    assert set(merged) == set(before)
    for key, x in before.items():
        # shares are written to 4 significant digits
        assert merged[key] == pytest.approx(x, rel=2e-3, abs=1e-9), key
