"""Foundry-chip packagers split by the region of the fab behind their wafers: design identity down to the user.

A chip is designed for one foundry's process and qualified there; moving it to another foundry means new
masks and a requalification of months (``supplychain.model.sourcing.SECOND_SOURCE_SHARE``). So the chips a
packager makes from Taiwanese wafers and those it makes from Korean wafers are different products: a buyer
short of one cannot use the other. ``semiconductors.build`` gives each region one packager per chip class,
whose output is one good; this module, run after the fab split into installed base and new capacity
(``equipment.build``) and the end-use segments (``segments.apply``), replaces every packager of the foundry
classes (advanced logic and foundry-made mature-node chips, the IDMs' back-end plants of the latter
included) by one packager per fab region it buys from, ``<packager id>.<fab region>``:

* its capacity and steady output are the packager's times ``w_r``, the share of its wafers that come from
  region ``r``'s fabs (installed base and new capacity) in the balanced fab -> packaging trade, so every
  flow of the chain stays as it was;
* its wafer lanes are the packager's lanes from region ``r``'s fabs, their shares renormalised over them;
* its chip lanes are copies of the packager's, each with ``w_r`` of the lane's share, so each user buys
  every fab region's designs from every packager in the proportion it did.

Memory (JEDEC-standard parts, no design lock-in) and the IDMs' own chips (``mature_idm_chip``: one maker's
fabs, one region) are left pooled. Stocks follow from the commodity covers and the steady flows, so each
part holds ``w_r`` of the packager's die bank, work in progress and finished chips.
"""

from __future__ import annotations

from .network import Draft
from .semiconductors import SEG_CHIP, SEG_WAFER
from .sources import REGIONS, V, fmt, sig

#: chip classes whose packagers are split: a foundry's designs are locked to it (second-sourced share 0.2)
SPLIT_CLASSES = ("logic", "mature")
WHY = ("definition: the chips of designs made at {r}'s fabs, a good of their own from the fab to the user (a chip "
       "is qualified in one foundry's process; porting it to another fab means new masks and a requalification of "
       "at least six months on a line already qualified for automotive, 2-3 years otherwise: SemiMedia, 8 Dec 2022, "
       "citing automotive supply-chain sources)")


def part_id(packager: str, region: str) -> str:
    """Id of the part of ``packager`` that packages the wafers of ``region``'s fabs."""
    return f"{packager}.{region}"


def parts(ids, packager: str) -> list[str]:
    """The ids among ``ids`` that are parts of ``packager`` (``packager.<region>``), in region order."""
    have = set(ids)
    return [part_id(packager, r) for r in REGIONS if part_id(packager, r) in have]


def _wafer_shares(net: Draft, packager: str, wafer: str) -> dict[str, list[dict]]:
    """The packager's wafer lanes grouped by the region of their fab, in region order."""
    by: dict[str, list[dict]] = {}
    for lane in net.lanes:
        if lane["destination"] == packager and lane["commodity"] == wafer:
            by.setdefault(net.facilities[lane["origin"]]["region"], []).append(lane)
    return {r: by[r] for r in REGIONS if r in by}


def split(net: Draft) -> dict[str, list[str]]:
    """Split every foundry-chip packager by the region of the fab behind its wafers; returns packager -> parts."""
    done: dict[str, list[str]] = {}
    facilities: dict[str, dict] = {}
    new_lanes: dict[int, list[dict]] = {}  # index of a replaced lane -> its replacements
    for i, f in net.facilities.items():
        cls = next((c for c in SPLIT_CLASSES if f["stage"] == "packaging" and f["output"] == SEG_CHIP[c]), None)
        if cls is None:
            facilities[i] = f
            continue
        wafer = SEG_WAFER[cls]
        groups = _wafer_shares(net, i, wafer)
        total = sum(lane["share"].value for lanes in groups.values() for lane in lanes)
        cap = f["capacity_per_day"]
        done[i] = []
        file = net.file_of.pop(i)
        for r, lanes in groups.items():
            w = sum(lane["share"].value for lane in lanes) / total
            j = part_id(i, r)
            fabs = "; ".join(f"{lane['origin']} share {lane['share'].value:.4g}" for lane in lanes)
            facilities[j] = dict(
                id=j, region=f["region"], stage=f["stage"], output=f["output"], production=f["production"] * w,
                recipe=dict(f["recipe"]),
                capacity_per_day=V(sig(cap.value * w), (
                    f"derived: {w:.2%} of {i}'s capacity {fmt(cap.value)}/day, the share of its wafers from {r}'s "
                    f"fabs in the balanced fab -> packaging trade ({fabs} of {total:.4g}; see those lanes' sources); "
                    f"{WHY.format(r=r)}; the packager's capacity: {cap.source}")))
            net.file_of[j] = file
            done[i].append(j)
            r_total = sum(lane["share"].value for lane in lanes)
            for lane in lanes:
                s = lane["share"]
                new_lanes[id(lane)] = [{**lane, "destination": j, "share": V(sig(s.value / r_total, 4), (
                    f"{s.source}; {s.value:.4g} of the {r_total:.4g} the packager buys from {r}'s fabs, "
                    f"renormalised over them (the part that packages {r}'s designs)"))}]
    for i, js in done.items():
        w = {j: facilities[j]["production"] / sum(facilities[k]["production"] for k in js) for j in js}
        for lane in net.lanes:
            if lane["origin"] != i:
                continue
            s = lane["share"]
            new_lanes[id(lane)] = [{**lane, "origin": j, "share": V(sig(s.value * w[j], 4), (
                f"{s.source}; x {w[j]:.4g}, the share of the packager's wafers from {j.rsplit('.', 1)[1]}'s fabs "
                f"(the part that packages those designs)"))} for j in js]
    net.facilities.clear()
    net.facilities.update(facilities)
    net.lanes[:] = [new for lane in net.lanes for new in new_lanes.get(id(lane), [lane])]
    return done
