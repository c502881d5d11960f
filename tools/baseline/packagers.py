"""Foundry- and IDM-chip packagers split by the region of the fab behind their wafers: design identity down to the user.

A chip is designed for one foundry's process and qualified there; moving it to another foundry means new
masks and a requalification of months (``supplychain.model.sourcing.SECOND_SOURCE_SHARE``). So the chips a
packager makes from Taiwanese wafers and those it makes from Korean wafers are different products: a buyer
short of one cannot use the other. ``semiconductors.build`` gives each region one packager per chip class,
whose output is one good; this module, run after the fab split into installed base and new capacity
(``equipment.build``) and the end-use segments (``segments.apply``), replaces every packager of the foundry
classes (advanced logic and foundry-made mature-node chips, the IDMs' back-end plants of the latter
included) and of the IDMs' own chips (``mature_idm_chip``) by one packager per fab region it buys from,
``<packager id>.<fab region>``:

* its capacity and steady output are the packager's times ``w_r``, the share of its wafers that come from
  region ``r``'s fabs (installed base and new capacity) in the balanced fab -> packaging trade, so every
  flow of the chain stays as it was;
* its wafer lanes are the packager's lanes from region ``r``'s fabs, their shares renormalised over them;
* its chip lanes are copies of the packager's, each with ``w_r`` of the lane's share, so each user buys
  every fab region's designs from every packager in the proportion it did; then the trade in each fab
  region's designs is refitted without the links below ``PRUNE`` of their user's use (`_balance_designs`):
  every part still makes what it made and every user region gets as many of each region's designs, from
  fewer of their packagers (1,410 copied chip lanes -> 1,149: the foundry classes' 1,050 -> 789, the IDMs'
  360, none below the threshold).

An IDM's chip is its own design made in its own fabs and qualified there by its customer (a carmaker
qualifies Renesas's microcontroller from Renesas's line; another maker's part is another design), so the IDMs'
chips are split as the foundries' are (no microcontroller is a drop-in replacement for another vendor's: Semico
Research, "Omedeto Renesas", July 2011, on the 2011 earthquake): the chips packaged from Japanese IDM wafers are Japan's IDMs' designs
(Renesas, Toshiba, Rohm, Sony...), those from US wafers the US IDMs' (TI, Microchip, ON...), and so on; the
IDMs of one region stay pooled among themselves as one region's foundries do. Memory (JEDEC-standard parts,
interchangeable once qualified) is left pooled. Stocks follow from the commodity covers and the steady flows, so
each part holds ``w_r`` of the packager's die bank, work in progress and finished chips.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import linprog

from .network import Draft, _ras_fit
from .semiconductors import SEG_CHIP, SEG_WAFER
from .sources import REGIONS, V, fmt, sig

#: chip classes whose packagers are split: a foundry's designs are locked to it, an IDM's to its own fabs
#: (second-sourced share 0.2, ``supplychain.model.sourcing.SECOND_SOURCE_SHARE``)
SPLIT_CLASSES = ("logic", "mature", "mature_idm")
#: A part's chip lane carrying less than this share of its user region's use of the chip is dropped (and the
#: trade in that fab region's designs refitted): half a percentage point, the rounding of the whole-percent
#: shares every such flow is derived from (back-end capacity by country, CSET/ETO Chip Explorer from SIA/BCG
#: May 2024: 30, 28, 9, 6, 3, 3, 20 %; advanced packaging 60/20/10/10 %; chip use by region, IC Insights 2020
#: and the assumptions in ``semiconductors``: 35.2, 12, 7.5, 4 %), so the data cannot tell such a flow from 0.
PRUNE = 0.005
WHY = ("definition: the chips of designs made at {r}'s fabs, a good of their own from the fab to the user (a chip "
       "is qualified in one fab's process, a foundry's or an integrated device maker's own; porting it to another fab means new masks and a requalification of "
       "at least six months on a line already qualified for automotive, 2-3 years otherwise: SemiMedia, 8 Dec 2022, "
       "citing automotive supply-chain sources; an IDM's chip is its own design, and no microcontroller is a drop-in "
       "replacement for another vendor's: Semico Research, 'Omedeto Renesas', Jul 2011)")


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
    for chip in {facilities[j]["output"] for js in done.values() for j in js}:
        for r in REGIONS:
            _balance_designs(net, [j for js in done.values() for j in js
                                   if j.rsplit(".", 1)[1] == r and facilities[j]["output"] == chip], chip, r)
    return done


def _balance_designs(net: Draft, parts_r: list[str], chip: str, r: str) -> None:
    """Balance the trade in the chips of ``r``'s designs like every other good's: RAS, small links pruned.

    The copies of the packagers' chip lanes give every user a lane from every part, however small (a
    packager buying 0.9 % of its wafers from Japan's fabs sells every user 0.9 % of what it sold it). The
    chips of one fab region's designs are a good of their own, so their trade matrix (rows: the parts
    packaging ``r``'s designs, their output fixed; columns: each user region's use of those designs, fixed)
    is refitted (`_prune`) without the links below ``PRUNE`` of their user region's use of the chip (all
    designs), the copied flows as the prior and links within a region kept, as in every trade matrix of the
    baseline (``network.ras``). So every part makes what it made and every user region gets as many of
    ``r``'s designs as before; what moves is only which of the packagers of those designs ships them. The
    end-use segments of a region keep identical shares (``segments.apply``): the columns are regions, and
    each segment takes its region's shares.
    """
    if not parts_r:
        return
    lanes = [lane for lane in net.lanes if lane["origin"] in parts_r and lane["commodity"] == chip]
    rate = {b: d["rate_per_day"].value for b, d in net.demands.items()}
    assert all(lane["destination"] in rate for lane in lanes), "chips of split packagers go to final demands only"
    buyers: dict[str, list[str]] = defaultdict(list)  # user region -> its segments' demand ids
    for b in dict.fromkeys(lane["destination"] for lane in lanes):
        buyers[net.demands[b]["region"]].append(b)
    regions = list(buyers)
    row = {j: k for k, j in enumerate(parts_r)}
    col = {g: k for k, g in enumerate(regions)}
    seg_share: dict[tuple[str, str], float] = {}  # (part, segment) -> share, identical across a region's segments
    prior = np.zeros((len(parts_r), len(regions)))
    for lane in lanes:
        g = net.demands[lane["destination"]]["region"]
        seg_share.setdefault((lane["origin"], g), lane["share"].value)
        assert seg_share[(lane["origin"], g)] == lane["share"].value, ("segments' shares differ", lane)
    use = {g: sum(rate[b] for b in bs) for g, bs in buyers.items()}  # the region's use of the chip (all designs)
    for (j, g), sh in seg_share.items():
        prior[row[j], col[g]] = sh * use[g]
    keep = np.array([[net.facilities[j]["region"] == g for g in regions] for j in parts_r])
    x = _prune(prior, np.array([use[g] for g in regions]), keep)
    src = {id(lane): lane["share"].source for lane in lanes}
    out: list[dict] = []
    for lane in net.lanes:
        if lane["origin"] not in row or lane["commodity"] != chip:
            out.append(lane)
            continue
        g = net.demands[lane["destination"]]["region"]
        flow = x[row[lane["origin"]], col[g]]
        if flow <= 0:
            continue
        out.append({**lane, "share": V(sig(flow / use[g], 4), (
            f"derived: RAS-balanced trade in the chips of {r}'s designs (a good of their own): the parts packaging "
            f"them keep their output and each user region its use of them; links within a region kept, others "
            f"below {PRUNE:.1%} of their user region's use dropped (the rounding of the whole-percent shares they "
            f"derive from: tools/baseline/packagers.py PRUNE); flow {fmt(flow)} of the region's {fmt(use[g])} "
            f"{net.unit(chip)}/day; prior the packager's lane: {src[id(lane)]}"))})
    net.lanes[:] = out


def _prune(prior: np.ndarray, use: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``prior`` (rows: parts, columns: user regions) refitted without its links under ``PRUNE`` of the user's use.

    Links are dropped smallest first (as shares of their user's use in ``prior``) unless within a region
    (``keep``) or unless no fit with every remaining link positive would be left (a part with nowhere
    else to sell its output); then the rows and columns of ``prior`` are fitted on what remains.
    """
    rows, cols = prior.sum(axis=1), prior.sum(axis=0)
    support = prior > 0
    share = prior / use[None, :]
    for k in sorted(zip(*np.nonzero(support & ~keep & (share < PRUNE))), key=lambda k: (share[k], k)):
        support[k] = False
        if not _fits(support, rows, cols):
            support[k] = True
    x = _ras_fit(np.where(support, prior, 0.0), rows, cols)
    assert x is not None, (prior, support)
    return x


def _fits(support: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> bool:
    """Whether some matrix with these row and column totals is positive on ``support`` and 0 elsewhere.

    A linear programme: the largest ``t`` such that a flow on the support meets the totals with every link
    at least ``t``; ``t > 0`` is what the RAS fit needs to converge on that support.
    """
    links = list(zip(*np.nonzero(support)))
    n = len(links)
    a_eq = np.zeros((len(rows) + len(cols), n + 1))
    for e, (i, j) in enumerate(links):
        a_eq[i, e] = a_eq[len(rows) + j, e] = 1.0
    a_ub = np.hstack([-np.eye(n), np.ones((n, 1))])  # t - x_e <= 0
    scale = rows.sum()
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq,
                  b_eq=np.r_[rows, cols] / scale, bounds=[(0, None)] * (n + 1), method="highs")
    return bool(res.status == 0 and -res.fun > 1e-9)
