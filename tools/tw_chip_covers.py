"""Days of chips between a Taiwanese fab and the chip users, stage by stage, against a fab stop.

For each foundry chip class (advanced logic, foundry-made mature-node), the steady cover of every
stock and pipeline downstream of Taiwan's fabs on the built-in baseline, in days of its own steady
use (flow-weighted over the lanes that carry Taiwan's wafers and the packagers' chips): finished
wafers at the fab, wafers in transit, the packagers' die bank, packaging work in progress, finished
chips, chips in transit and each end-use segment's stock. Each figure comes from the baseline's data,
where its source is (``supplychain data``): the fab and vendor covers from IHS's days of inventory
(``tools/baseline/inventories.py``), the cycle times from Leachman's days per mask layer
(``tools/baseline/cycle_times.py``), the users' covers from the US Department of Commerce's 2022 RFI
results (``tools/baseline/segments.py``). It prints the output a fab stop of D days withholds,
``D + restart delay + ramp / 2`` days (the cold restart of ``docs/model.md`` §5.4.2), next to the chain's
cover for each segment: a segment runs short when the first exceeds the second, by the difference times
the stopped supplier's share of its designs (design-specific stocks, §5.6.6). For a blockade of Taiwan of
D days it prints the share of Taiwan's wafers packaged in Taiwan and the days of stock held there for them
(finished wafers, die bank, finished chips), cut off with everything else: those chips' users have only their own
stock against the D days (``docs/model.md`` §6.6, a stop of a region's fabs against a blockade;
``python -m tools.tw_stop_vs_blockade`` runs both).

Usage: ``python -m tools.tw_chip_covers [--days 30,60,180]``.
"""

from __future__ import annotations

import argparse

import numpy as np

import supplychain as sc
from supplychain.compile.compiler import compile_scenario
from supplychain.model.network import RESTART_DAYS

CLASSES = {"logic_wafer": "logic_chip", "mature_wafer": "mature_chip"}


def covers(c, net) -> dict[str, list[tuple[str, float]]]:
    """Stage covers in days (flow-weighted over Taiwan's part of each stage) per chip class."""
    sp = c.schedules.extras["sourcing"]
    flow = np.array([c.steady.flow.get(i, 0.0) for i in c.lane_ids])
    lead = c.initial_arrivals.sum(axis=0) / np.where(flow > 0, flow, 1.0)  # mean whole lead days
    fac = net.facilities
    out: dict[str, list[tuple[str, float]]] = {}
    for wafer, chip in CLASSES.items():
        tw_fabs = [k for k, f in enumerate(fac) if f.region == "TW" and f.output == wafer]
        made = {k: flow[np.asarray(c.lane_origin) == k].sum() for k in tw_fabs}
        fab_days = sum(c.initial_stock[c.out_stock[k]] for k in tw_fabs) / sum(made.values())
        wafer_lanes = [l for l in range(c.n_lanes) if c.lane_origin[l] in tw_fabs and flow[l] > 0]
        w = flow[wafer_lanes] / flow[wafer_lanes].sum()
        transit_w = float(w @ lead[wafer_lanes])
        buyers = [c.lane_buyer[l] for l in wafer_lanes]
        die_bank = float(w @ np.array([c.initial_stock[c.buyer_stock[b]] / sp.buyer_flow[b] for b in buyers]))
        pkgs = sorted({int(c.lane_dst_stock[l]) for l in wafer_lanes})
        pkg_fac = [k for k, f in enumerate(fac) if f.output == chip and any(s in pkgs for s in c.recipe_stock[k])]
        cyc = float(np.mean([c.cycle_time[k] for k in pkg_fac]))
        chip_lanes = [l for l in range(c.n_lanes) if c.lane_origin[l] in pkg_fac and flow[l] > 0]
        wc = flow[chip_lanes] / flow[chip_lanes].sum()
        finished = float(np.sum([c.initial_stock[c.out_stock[k]] for k in pkg_fac])
                         / np.sum([flow[np.asarray(c.lane_origin) == k].sum() for k in pkg_fac]))
        transit_c = float(wc @ lead[chip_lanes])
        chain = [("finished wafers at the fab", fab_days), ("wafers in transit", transit_w),
                 ("packagers' die bank", die_bank), ("packaging work in progress", cyc),
                 ("finished chips at the packager", finished), ("chips in transit", transit_c)]
        for seg in ("automotive", "industrial", "electronics"):
            ds = [d for d in range(c.n_demands) if net.demands[d].commodity == chip and net.demands[d].segment == seg]
            days = np.mean([c.initial_stock[c.demand_stock[d]] / net.demands[d].rate_per_day for d in ds])
            chain.append((f"users' stock, {seg}", float(days)))
        out[chip] = chain
    return out


def packaged_in_taiwan(c, net) -> dict[str, tuple[float, float]]:
    """Per chip class: share of Taiwan's fabs' wafers packaged in Taiwan, and the days of stock held in Taiwan
    for them (the fabs' finished wafers, the Taiwanese packagers' die bank and finished chips)."""
    sp = c.schedules.extras["sourcing"]
    flow = np.array([c.steady.flow.get(i, 0.0) for i in c.lane_ids])
    fac = net.facilities
    out: dict[str, tuple[float, float]] = {}
    for wafer, chip in CLASSES.items():
        tw_fabs = [k for k, f in enumerate(fac) if f.region == "TW" and f.output == wafer]
        lanes = [l for l in range(c.n_lanes) if c.lane_origin[l] in tw_fabs and flow[l] > 0]
        region = {f.id: f.region for f in fac}
        home = [l for l in lanes if region[c.stock_node[c.lane_dst_stock[l]]] == "TW"]
        share = float(flow[home].sum() / flow[lanes].sum())
        fab_days = sum(c.initial_stock[c.out_stock[k]] for k in tw_fabs) / flow[lanes].sum()
        buyers = sorted({int(c.lane_buyer[l]) for l in home})
        die_bank = sum(c.initial_stock[c.buyer_stock[b]] for b in buyers) / sum(sp.buyer_flow[b] for b in buyers)
        pkgs = [k for k, f in enumerate(fac) if f.region == "TW" and f.output == chip and f.stage == "packaging"
                and any(c.buyer_stock[b] in c.recipe_stock[k] for b in buyers)]
        made = sum(flow[np.asarray(c.lane_origin) == k].sum() for k in pkgs)
        finished = sum(c.initial_stock[c.out_stock[k]] for k in pkgs) / made
        out[chip] = (share, float(fab_days + die_bank + finished))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--days", default="30,60,180")
    a = ap.parse_args(argv)
    base = sc.load_baseline(horizon_days=365)
    c = compile_scenario(base)
    delay, ramp = RESTART_DAYS["semiconductors"]
    for chip, chain in covers(c, base.network).items():
        print(f"{chip}: days of steady use downstream of Taiwan's fabs")
        for name, days in chain:
            print(f"  {name:34s} {days:6.1f}")
        common = sum(d for n, d in chain if not n.startswith("users'"))
        for name, days in chain:
            if name.startswith("users'"):
                print(f"  chain to {name[14:]:>11s} users: {common + days:6.1f} days")
    for d in (int(x) for x in a.days.split(",")):
        print(f"a {d}-day stop withholds about {d + delay + ramp / 2:.0f} days of output "
              f"(cold restart: {delay:g}-day delay, {ramp:g}-day ramp)")
    for chip, (share, held) in packaged_in_taiwan(c, base.network).items():
        print(f"{chip}: {100 * share:.0f} % of Taiwan's wafers packaged in Taiwan, {held:.1f} days of stock held "
              f"there for them; a D-day blockade withholds D days of them against the users' stock alone")


if __name__ == "__main__":
    main()
