"""Chip shortfall and value added lost when every Taiwanese fab stops, by outage length.

Runs the scorecard's "TW fab outage" (every ``TW`` facility of stages ``fab`` and ``fab_new`` loses
all capacity from day 30) for several durations on the deterministic baseline and prints, against
the unshocked baseline, the chain shortfall (chips, cells and magnets not delivered, USD at reference
prices) by chip class, end-use segment and region and the world value added lost (ARIO kernel, ``docs/model.md`` §8.3),
and the output of the chips whose makers are not in Taiwan: integrated device makers' chips packaged outside
Taiwan (made in their own fabs, ``mature_idm_chip``, and made for them at foundries, the ``mature_chip`` of their
back-end plants, id suffix ``idm_backend``) and memory (wafers started, packaged chips), each as the lowest
30-day mean from the outage's start to a year after its end, in percent of the unshocked run.

Usage: ``python -m tools.tw_fab_outage [--engine vector|des] [--horizon 730] [--days 30,90,120,180]
[--destroy 0.0] [--second-source 0.2]``. ``--second-source`` sets the second-source share of every
design-locked chip commodity (``supplychain.model.sourcing.SECOND_SOURCE_SHARE``; 1 turns design lock-in
off), for the sensitivity in docs/assumptions.md.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np

import supplychain as sc
from supplychain import CapacityShock
from supplychain.analytics import chain_shortfall_usd
from supplychain.model import sourcing

START = 30


def outage(base: sc.Scenario, days: int, destroy: float = 0.0, start: int = START) -> sc.Scenario:
    """``base`` with every Taiwanese fab (stages ``fab`` and ``fab_new``) out for ``days`` from ``start``."""
    stages = sorted({f.stage for f in base.network.facilities if f.region == "TW" and f.stage in ("fab", "fab_new")})
    return base.with_shocks(*(CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=start,
                                            end=start + days, destroy_inventory=destroy) for s in stages))


def by_class(res: sc.Results, ref: sc.Results, key: str = "commodity") -> dict[str, float]:
    """Shortfall change in USD by chip commodity (final demand only), or by ``key`` "segment" or "region"."""
    net = res.scenario.network
    price = {c.id: c.price_usd for c in net.commodities}
    short = lambda r: np.maximum(np.asarray(r.demand, float) - np.asarray(r.delivered, float), 0.0).sum(axis=1)[0]
    d = short(res) - short(ref)
    out: dict[str, float] = {}
    for i, dem in enumerate(net.demands):
        if "chip" in dem.commodity:
            label = str(getattr(dem, key) or "pooled")
            out[label] = out.get(label, 0.0) + d[i] * price[dem.commodity]
    return out


def idm_chips(fac) -> bool:
    """A plant packaging an integrated device maker's chips: its own fabs' or those made for it at foundries."""
    return fac.output == "mature_idm_chip" or ".idm_backend" in fac.id


def output_dip(res: sc.Results, ref: sc.Results, pick, start: int = START, days: int = 0,
               window: int = 30) -> float:
    """Lowest ``window``-day mean output of the facilities ``pick`` selects, in % of the unshocked run, from
    ``start`` to a year after the outage's end."""
    idx = [k for k, f in enumerate(res.scenario.network.facilities) if pick(f)]
    made = np.asarray(res.production, float)[0][:, idx].sum(axis=1)
    base = np.asarray(ref.production, float)[0][:, idx].sum(axis=1)
    end = min(start + days + 365, len(made))
    ratios = [made[t:t + window].sum() / base[t:t + window].sum() for t in range(start, end - window + 1)]
    return 100.0 * min(ratios)


def _row(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v / 1e9:.2f}bn" for k, v in sorted(values.items()) if abs(v) > 1e6) or "none"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="vector")
    ap.add_argument("--horizon", type=int, default=730)
    ap.add_argument("--days", default="30,90,120,180")
    ap.add_argument("--destroy", type=float, default=0.0)
    ap.add_argument("--second-source", type=float, default=None)
    a = ap.parse_args(argv)
    if a.second_source is not None:
        # The table is read at compile time: every locked commodity takes the value given.
        for k, v in list(sourcing.SECOND_SOURCE_SHARE.items()):
            if k != "default" and v < 1.0:
                sourcing.SECOND_SOURCE_SHARE[k] = a.second_source
    # Each stage's shock notes that it leaves the other stage untouched; both are shocked here.
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = sc.load_baseline(horizon_days=a.horizon)
    ref = sc.simulate(base, engine=a.engine, seed=1)
    ref_short = float(chain_shortfall_usd(ref)[0])
    ref_va = float(ref.value_added_loss().total.sum())
    share = a.second_source if a.second_source is not None else "table"
    print(f"engine {a.engine}, {a.horizon} days, outage from day {START}, destroy_inventory={a.destroy}, "
          f"second-source share {share}")
    print(f"{'days':>5} {'chain shortfall':>16} {'world VA lost':>14}  by class")
    for days in (int(x) for x in a.days.split(",")):
        res = sc.simulate(outage(base, days, a.destroy), engine=a.engine, seed=1)
        short = float(chain_shortfall_usd(res)[0]) - ref_short
        va = float(res.value_added_loss().total.sum()) - ref_va
        print(f"{days:>5} {short / 1e9:>14.2f}bn {va / 1e9:>12.2f}bn  {_row(by_class(res, ref))}")
        print(f"{'':>38}by segment: {_row(by_class(res, ref, 'segment'))}")
        print(f"{'':>38}by region: {_row(by_class(res, ref, 'region'))}")
        idm = output_dip(res, ref, lambda f: idm_chips(f) and f.region != "TW", days=days)
        idm_own = output_dip(res, ref, lambda f: f.output == "mature_idm_chip" and f.region != "TW", days=days)
        mem_fab = output_dip(res, ref, lambda f: f.output == "memory_wafer", days=days)
        mem_pkg = output_dip(res, ref, lambda f: f.output == "memory_chip", days=days)
        print(f"{'':>38}lowest 30-day output, % of unshocked: IDM chips outside TW {idm:.1f} (own fabs' "
              f"{idm_own:.1f}), memory wafers {mem_fab:.1f}, memory chips {mem_pkg:.1f}")


if __name__ == "__main__":
    main()
