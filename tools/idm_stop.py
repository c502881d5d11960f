"""Why a stop of every Japanese IDM fab (or Korea's memory fabs) costs little: stocks, slack, pooling; the Naka fire.

Part 1 (``--stop``): every fab of one region making one wafer (``mature_idm_wafer`` of Japan, ``memory_wafer`` of
Korea) loses all its capacity for ``--days`` from day 30 and comes back linearly over ``--ramp`` days (vector engine,
365 days, deterministic baseline). Printed: the chain shortfall and world value added lost against the unshocked run,
each fab region's output of that wafer (share of the unshocked run) on a few days, and the stocks of the wafer and its
chip by location (the stopped region's fabs, the other fabs, the packagers' die bank and finished chips, the users),
and the days of use the buyers of that chip lose. The baseline splits the IDMs' packagers by the region of the fab
behind their wafers (``tools/baseline/packagers.py``); ``--pooled`` measures the network before that split (each
region's IDM packager one part again, ``pooled_idm``), as docs/model.md §6.6 reports.

Part 2 (``--naka``): the Renesas Naka fire inside example 09's 2021 shortage (lean stocks, fabs at full): vehicles
lost (C29 reading and buyers' chips reading, ``vehicles_lost``) with every disruption against the same without the
fire (with ``--pooled``, also before the split).

Usage: ``python -m tools.idm_stop [--stop JP:mature_idm_wafer] [--days 30] [--ramp 60] [--naka] [--pooled]``.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import warnings

import numpy as np

import supplychain as sc
from supplychain import CapacityShock
from supplychain.analytics import chain_shortfall_usd

START = 30
SEED = 2021   # example 09's seed


def pooled_idm(out: str) -> str:
    """Write to ``out`` the baseline with the IDMs' packagers pooled (one part per packager), as before their split."""
    packagers = importlib.import_module("tools.baseline.packagers")
    build = importlib.import_module("tools.baseline.build")
    kept = packagers.SPLIT_CLASSES
    packagers.SPLIT_CLASSES = tuple(c for c in kept if c != "mature_idm")
    try:
        build.write(out)
    finally:
        packagers.SPLIT_CLASSES = kept
    return out


def stop(base: sc.Scenario, region: str, wafer: str, days: int, ramp: int) -> sc.Scenario:
    """``base`` with every fab of ``region`` making ``wafer`` out for ``days`` from `START`, back over ``ramp``."""
    fabs = [f.id for f in base.network.facilities if f.region == region and f.output == wafer]
    return base.with_shocks(*(CapacityShock(facility=i, fraction_lost=1.0, start=START, end=START + days,
                                            recovery_days=ramp) for i in fabs))


def _cost(res: sc.Results, ref: sc.Results) -> tuple[float, float]:
    short = float(chain_shortfall_usd(res)[0] - chain_shortfall_usd(ref)[0])
    return short, float(res.value_added_loss().total.sum() - ref.value_added_loss().total.sum())


def trace(region: str, wafer: str, days: int, ramp: int, networks, horizon: int = 365) -> None:
    """Print part 1 (see the module's docstring)."""
    chip = wafer.replace("wafer", "chip")
    for label, data_dir in networks:
        base = sc.load_baseline(horizon_days=horizon, data_dir=data_dir)
        net = base.network
        ref = sc.simulate(base, engine="vector", seed=1)
        res = sc.simulate(stop(base, region, wafer, days, ramp), engine="vector", seed=1)
        short, va = _cost(res, ref)
        print(f"\n{region} {wafer} fabs out {days} days from day {START}, back over {ramp}; {label}: chain shortfall "
              f"{short / 1e9:.2f} bn USD, world value added lost {va / 1e9:.2f} bn USD")
        unmet = np.asarray(res.unmet)[0] - np.asarray(ref.unmet)[0]
        lost = [(d.id, unmet[:, k].sum() / d.rate_per_day) for k, d in enumerate(net.demands) if d.commodity == chip]
        print("  days of use lost: " + (", ".join(f"{i} {x:.1f}" for i, x in lost if x > 0.05) or "none"))
        if data_dir is not None:
            continue
        made, made0 = np.asarray(res.production)[0], np.asarray(ref.production)[0]
        fabs: dict[str, list[int]] = {}
        for k, f in enumerate(net.facilities):
            if f.output == wafer:
                fabs.setdefault(f.region, []).append(k)
        cap = {r: sum(net.facilities[k].capacity_per_day for k in ks) for r, ks in fabs.items()}
        out = {r: made0[START - 1, ks].sum() for r, ks in fabs.items()}
        print("  capacity / unshocked output per day: " + ", ".join(f"{r} {cap[r]:,.0f}/{out[r]:,.0f}" for r in fabs))
        print("  output over the unshocked run, by fab region:")
        for t in (START + 1, START + days // 2, START + days + ramp // 4, START + days + ramp // 2,
                  START + days + ramp, START + days + ramp + 30, START + days + ramp + 60):
            print(f"    day {t:>3}: " + "  ".join(f"{r} {made[t, ks].sum() / made0[t, ks].sum():.2f}"
                                               for r, ks in fabs.items()))
        inv, inv0 = np.asarray(res.inventory)[0], np.asarray(ref.inventory)[0]
        world = sum(d.rate_per_day for d in net.demands if d.commodity == chip)
        groups: dict[str, list[int]] = {}
        for i, s in enumerate(res.coords.stock):
            loc, com = s.rsplit(":", 1)
            if com in (wafer, chip):
                parts = loc.split(".")
                who = region if parts[0] == region and parts[1].startswith("fab") else "others"
                key = {"fab": f"fabs' finished wafers ({who})", "fab_new": f"fabs' finished wafers ({who})",
                       "packaging": "packagers' die bank" if com == wafer else "packagers' finished chips",
                       "demand": "users' stock"}[parts[1]]
                groups.setdefault(key, []).append(i)
        print(f"  stocks, days of world use ({world:,.0f}/day) at day {START - 1} -> lowest (day):")
        for key, ix in groups.items():
            s, s0 = inv[:, ix].sum(axis=1), inv0[:, ix].sum(axis=1)
            t = int(np.argmin(s[START:] - s0[START:])) + START
            print(f"    {key:36} {s0[START - 1] / world:5.1f} -> {s[t] / world:5.1f} (day {t})")


def naka(networks, horizon: int = 365) -> None:
    """Print part 2 (see the module's docstring)."""
    from supplychain.datasets import chip_shortage_2021 as cs
    from supplychain.impact import load_io_table
    table = load_io_table()
    shipped = cs.load_baseline
    for label, data_dir in networks:
        cs.load_baseline = lambda **kw: shipped(data_dir=data_dir, **kw)
        try:
            scen = cs.shortage_2021(horizon)
        finally:
            cs.load_baseline = shipped
        fire = [s for s in scen.shocks if isinstance(s, CapacityShock) and s.facility == "JP.fab.mature_idm_wafer"]
        no_fire = scen.without_shocks().with_shocks(*(s for s in scen.shocks if s not in fire))
        base = sc.simulate(scen.without_shocks(), engine="vector", seed=SEED)
        runs = {k: sc.simulate(s, engine="vector", seed=SEED) for k, s in (("all", scen), ("no fire", no_fire))}
        got = {k: cs.vehicles_lost(r, base, table, cs.LEAD_IN) for k, r in runs.items()}
        c29 = got["all"][0].sum() - got["no fire"][0].sum()
        chips = got["all"][2].sum() - got["no fire"][2].sum()
        short = {k: float(chain_shortfall_usd(r)[0] - chain_shortfall_usd(base)[0]) for k, r in runs.items()}
        print(f"\nNaka fire in 2021 ({fire[0].fraction_lost:.4g} of JP.fab.mature_idm_wafer, {fire[0].start}-"
              f"{fire[0].end}, back over {fire[0].recovery_days:g} days), {label}: vehicles lost by the fire "
              f"{c29 / 1e6:.2f} M (C29) / {chips / 1e6:.2f} M (buyers' chips); with every disruption "
              f"{got['all'][0].sum() / 1e6:.2f} M / {got['all'][2].sum() / 1e6:.2f} M; chain shortfall by the fire "
              f"{(short['all'] - short['no fire']) / 1e9:.2f} bn USD")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--stop", default="JP:mature_idm_wafer", help="REGION:WAFER, or 'none'")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--ramp", type=int, default=60)
    ap.add_argument("--naka", action="store_true")
    ap.add_argument("--pooled", action="store_true", help="also measure with the IDMs' packagers pooled")
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore", message="CapacityShock")
    with tempfile.TemporaryDirectory() as tmp:
        networks = [("as shipped (IDM packagers split by fab region)", None)]
        if a.pooled:
            networks.append(("IDM packagers pooled (before the split)", pooled_idm(tmp)))
        if a.stop != "none":
            region, wafer = a.stop.split(":")
            trace(region, wafer, a.days, a.ramp, networks)
        if a.naka:
            naka(networks)


if __name__ == "__main__":
    main()
