"""Why a stop of every Japanese IDM fab (or Korea's memory fabs) costs little: stocks, slack, pooling; the Naka fire.

Part 1 (``--stop``): every fab of one region making one wafer (``mature_idm_wafer`` of Japan, ``memory_wafer`` of
Korea) loses all its capacity for ``--days`` from day 30 and comes back linearly over ``--ramp`` days (vector engine,
365 days, deterministic baseline). Printed: the chain shortfall and world value added lost against the unshocked run,
each fab region's output of that wafer (share of the unshocked run) on a few days, and the stocks of the wafer and its
chip by location (the stopped region's fabs, the other fabs, the packagers' die bank and finished chips, the users),
pooled as shipped and, with the IDMs' packagers split by the region of the fab behind their wafers as the foundry
classes' are (``tools.tw_stop_vs_blockade.split_packagers``; an IDM's chip is its own design, qualified in its own
fabs), the days of use the buyers of that chip lose.

Part 2 (``--naka``): the Renesas Naka fire inside example 09's 2021 shortage (lean stocks, fabs at full): vehicles
lost (C29 reading and buyers' chips reading, ``vehicles_lost``) with every disruption against the same without the
fire, pooled as shipped and with the IDMs' packagers split.

Usage: ``python -m tools.idm_stop [--stop JP:mature_idm_wafer] [--days 30] [--ramp 60] [--naka]``.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np

import supplychain as sc
from supplychain import CapacityShock
from supplychain.analytics import chain_shortfall_usd

START = 30
IDM = (("mature_idm_wafer", "mature_idm_chip"),)


def split_idm(base: sc.Scenario) -> sc.Scenario:
    """``base`` with every packager of IDM-made chips split by the region of the fab behind its wafers."""
    from tools.tw_stop_vs_blockade import split_packagers
    return split_packagers(base, IDM)


def stop(base: sc.Scenario, region: str, wafer: str, days: int, ramp: int) -> sc.Scenario:
    """``base`` with every fab of ``region`` making ``wafer`` out for ``days`` from `START`, back over ``ramp``."""
    fabs = [f.id for f in base.network.facilities if f.region == region and f.output == wafer]
    return base.with_shocks(*(CapacityShock(facility=i, fraction_lost=1.0, start=START, end=START + days,
                                            recovery_days=ramp) for i in fabs))


def _cost(res: sc.Results, ref: sc.Results) -> tuple[float, float]:
    short = float(chain_shortfall_usd(res)[0] - chain_shortfall_usd(ref)[0])
    return short, float(res.value_added_loss().total.sum() - ref.value_added_loss().total.sum())


def trace(region: str, wafer: str, days: int, ramp: int, horizon: int = 365) -> None:
    """Print part 1 (see the module's docstring)."""
    chip = wafer.replace("wafer", "chip")
    for label, base in (("pooled (shipped)", sc.load_baseline(horizon_days=horizon)),
                        ("IDM packagers split by fab region", None)):
        if base is None:
            if wafer != "mature_idm_wafer":
                continue
            base = split_idm(sc.load_baseline(horizon_days=horizon))
        net = base.network
        ref = sc.simulate(base, engine="vector", seed=1)
        res = sc.simulate(stop(base, region, wafer, days, ramp), engine="vector", seed=1)
        short, va = _cost(res, ref)
        print(f"\n{region} {wafer} fabs out {days} days from day {START}, back over {ramp}; {label}: chain shortfall "
              f"{short / 1e9:.2f} bn USD, world value added lost {va / 1e9:.2f} bn USD")
        unmet = np.asarray(res.unmet)[0] - np.asarray(ref.unmet)[0]
        lost = [(d.id, unmet[:, k].sum() / d.rate_per_day) for k, d in enumerate(net.demands) if d.commodity == chip]
        print("  days of use lost: " + (", ".join(f"{i} {x:.1f}" for i, x in lost if x > 0.05) or "none"))
        if label.startswith("IDM"):
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


def naka(horizon: int = 365) -> None:
    """Print part 2 (see the module's docstring)."""
    from supplychain.datasets import chip_shortage_2021 as cs
    from supplychain.impact import load_io_table
    table = load_io_table()
    shipped = cs.load_baseline
    for label, loader in (("pooled (shipped)", shipped),
                          ("IDM packagers split", lambda **kw: split_idm(shipped(**kw)))):
        cs.load_baseline = loader
        try:
            scen = cs.shortage_2021(horizon)
        finally:
            cs.load_baseline = shipped
        fire = [s for s in scen.shocks if isinstance(s, CapacityShock) and s.facility == "JP.fab.mature_idm_wafer"]
        no_fire = scen.without_shocks().with_shocks(*(s for s in scen.shocks if s not in fire))
        base = sc.simulate(scen.without_shocks(), engine="vector", seed=cs_seed())
        runs = {k: sc.simulate(s, engine="vector", seed=cs_seed()) for k, s in (("all", scen), ("no fire", no_fire))}
        got = {k: cs.vehicles_lost(r, base, table, cs.LEAD_IN) for k, r in runs.items()}
        c29 = got["all"][0].sum() - got["no fire"][0].sum()
        chips = got["all"][2].sum() - got["no fire"][2].sum()
        short = {k: float(chain_shortfall_usd(r)[0] - chain_shortfall_usd(base)[0]) for k, r in runs.items()}
        print(f"\nNaka fire in 2021 ({fire[0].fraction_lost:.4g} of JP.fab.mature_idm_wafer, {fire[0].start}-"
              f"{fire[0].end}, back over {fire[0].recovery_days:g} days), {label}: vehicles lost by the fire "
              f"{c29 / 1e6:.2f} M (C29) / {chips / 1e6:.2f} M (buyers' chips); with every disruption "
              f"{got['all'][0].sum() / 1e6:.2f} M / {got['all'][2].sum() / 1e6:.2f} M; chain shortfall by the fire "
              f"{(short['all'] - short['no fire']) / 1e9:.2f} bn USD")


def cs_seed() -> int:
    return 2021


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--stop", default="JP:mature_idm_wafer", help="REGION:WAFER, or 'none'")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--ramp", type=int, default=60)
    ap.add_argument("--naka", action="store_true")
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore", message="CapacityShock")
    if a.stop != "none":
        region, wafer = a.stop.split(":")
        trace(region, wafer, a.days, a.ramp)
    if a.naka:
        naka()


if __name__ == "__main__":
    main()
