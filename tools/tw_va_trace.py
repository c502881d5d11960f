"""Where the value added lost to a Taiwan fab stop or blockade comes from: region, industry, path and day.

Runs the shock of ``tools.tw_stop_vs_blockade`` (a stop of every Taiwanese fab, or a blockade, of ``D`` days from
1 March) against the unshocked baseline and splits the world value added lost (``docs/model.md`` §8.3, ARIO
kernel) five ways:

* by region and industry (C26-C29 and the rest of the economy, OTH, which loses through the orders the chip users
  no longer place: the backward linkage of the input-output table);
* by **path**: each chip class and end-use segment alone (every other demand delivered in full), with its chips
  short (USD at reference prices) and value added lost per USD short; paths overlap where one industry needs
  several short inputs (its capacity is ``1 - max`` over them), so they do not add up to the total;
* by 30-day window from the start, with the chips short in the window;
* gross output lost by industry (value added / the industry's value-added ratio): C26's is the revenue of the
  electronics makers, the measure of a device maker's "revenue hit".

Usage: ``python -m tools.tw_va_trace [--days 90] [--shock stop|blockade] [--horizon 730] [--engine vector]``.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable

import numpy as np

import supplychain as sc
from supplychain.impact.loss import InputMap, value_added_loss
from supplychain.impact.table import load_io_table
from tools.tw_fab_outage import outage
from tools.tw_stop_vs_blockade import START, blockade

WINDOW = 30


def _arrays(res: sc.Results) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(res.demand, float)[0], np.asarray(res.delivered, float)[0]


def trace(base: sc.Scenario, days: int, shock: str = "stop", engine: str = "vector",
          start: int = START) -> dict[str, object]:
    """The decomposition of one shock's value added lost, net of the unshocked run (USD).

    Returns a dict: ``total``; ``by_node`` (regions x sectors); ``paths`` {(commodity, segment): (short, value
    added lost alone)}; ``windows`` [(first day after the start, chips short, value added lost)]; ``gross``
    {sector: gross output lost}; ``short`` (chips not delivered); ``regions``, ``sectors``.

    Examples
    --------
    >>> base = sc.load_baseline(horizon_days=120)
    >>> out = trace(base, 10)
    >>> sorted(out)[:3], out["total"] >= 0.0
    (['by_node', 'gross', 'paths'], True)
    """
    scen = outage(base, days, start=start) if shock == "stop" else blockade(base, days, start)
    d0, y0 = _arrays(sc.simulate(base, engine=engine, seed=1))
    d1, y1 = _arrays(sc.simulate(scen, engine=engine, seed=1))
    net, table = base.network, load_io_table()
    price = np.array([{c.id: c.price_usd for c in net.commodities}[d.commodity] for d in net.demands])
    chip = np.array(["chip" in d.commodity for d in net.demands])
    gap = (np.maximum(d1 - y1, 0.0) - np.maximum(d0 - y0, 0.0)) * price * chip     # (days, demands)

    def lost(d: np.ndarray, y: np.ndarray) -> np.ndarray:
        return value_added_loss(d[None], y[None], net, table=table).daily[0]   # (days, regions, sectors)

    ref = lost(d0, y0)
    daily = lost(d1, y1) - ref
    imap = InputMap.build(net, table)
    paths: dict[tuple[str, str | None], tuple[float, float]] = {}
    for key in sorted({(c, g) for _, c, g in imap.columns}, key=str):
        ks = [k for k, (_, c, g) in enumerate(imap.columns) if (c, g) == key]
        mask = np.asarray(imap.summing[ks].sum(axis=0)).ravel() > 0
        short = float(gap[:, mask].sum())
        if short > 1e6:
            paths[key] = (short, float((lost(d1, np.where(mask, y1, d1)) - ref).sum()))
    windows = [(t - start, float(gap[t:t + WINDOW].sum()), float(daily[t:t + WINDOW].sum()))
               for t in range(start, daily.shape[0], WINDOW)]
    v = table.value_added.reshape(len(table.regions), len(table.sectors))
    by_node = daily.sum(axis=0)
    return {"total": float(by_node.sum()), "by_node": by_node, "paths": paths, "windows": windows,
            "gross": dict(zip(table.sectors, (by_node / v).sum(axis=0))), "short": float(gap.sum()),
            "regions": table.regions, "sectors": table.sectors}


def report(out: dict, say: Callable[[str], None] = print) -> None:
    """Print `trace`'s decomposition, bn USD."""
    bn = 1e9
    say(f"chips short {out['short'] / bn:.2f} bn, world value added lost {out['total'] / bn:.1f} bn "
        f"({out['total'] / max(out['short'], 1.0):.1f} USD per USD short)")
    say(f"{'':6}" + "".join(f"{s:>8}" for s in out["sectors"]) + f"{'all':>8}")
    for r, row in zip(out["regions"], out["by_node"]):
        say(f"{r:6}" + "".join(f"{x / bn:8.1f}" for x in row) + f"{row.sum() / bn:8.1f}")
    say("gross output lost, bn: " + ", ".join(f"{s} {x / bn:.0f}" for s, x in out["gross"].items()))
    say("paths alone (chips short / value added lost / per USD short):")
    for (c, g), (s, va) in sorted(out["paths"].items(), key=lambda kv: -kv[1][1]):
        say(f"  {c:15} {str(g or 'pooled'):12} {s / bn:7.2f} {va / bn:8.1f} {va / s:8.1f}")
    say("by 30-day window after the start (chips short / value added lost):")
    say("  " + "; ".join(f"{t}: {s / bn:.2f} / {va / bn:.1f}" for t, s, va in out["windows"]
                         if abs(va) > 1e8 or s > 1e7))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--shock", choices=("stop", "blockade"), default="stop")
    ap.add_argument("--horizon", type=int, default=730)
    ap.add_argument("--engine", default="vector")
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = sc.load_baseline(horizon_days=a.horizon)
    print(f"{a.days}-day {'fab stop' if a.shock == 'stop' else 'blockade'} from day {START}, {a.engine}, "
          f"{a.horizon} days")
    report(trace(base, a.days, a.shock, a.engine))


if __name__ == "__main__":
    main()
