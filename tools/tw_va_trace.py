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
  electronics makers, the measure of a device maker's "revenue hit";
* with ``--factors``, each path's value added per USD short as a product of factors (`factors`): the share the
  substitution term leaves, the output its users stop per USD effectively short (the share of their output that
  needs the class over the class's chips per USD of that output), the kernel's gross output lost per USD stopped and the world value added per USD of gross output;
  and the output lost net of the sector's own parts per USD of all the segment's chips it would have carried
  (the measure of AlixPartners' 2021 revenue per USD of the chips in the vehicles not built).

With ``--own-share`` the same runs are read with each mature-node class going into its own share of the products
only (`own_share`, a what-if of docs/model.md §8.3 *Industry*); ``--check-2021`` prints the gross output the 2021 chip
shortage (example 09) loses by sector under both readings.

Usage: ``python -m tools.tw_va_trace [--days 90] [--shock stop|blockade] [--horizon 730] [--engine vector]
[--factors] [--own-share] [--check-2021]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import warnings
from collections.abc import Callable

import numpy as np

import supplychain as sc
from supplychain.impact.loss import InputMap, Shortfalls, value_added_loss
from supplychain.impact.table import IOTable, load_io_table
from supplychain.datasets.chip_shortage_2021 import LEAD_IN, shortage_2021
from supplychain.model.network import Network
from tools.impact.build import APPLIANCE_CHIPS, APPLIANCE_PRICE
from tools.tw_fab_outage import outage
from tools.tw_stop_vs_blockade import START, blockade

WINDOW = 30


def _arrays(res: sc.Results) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(res.demand, float)[0], np.asarray(res.delivered, float)[0]


def trace(base: sc.Scenario, days: int, shock: str = "stop", engine: str = "vector",
          start: int = START, with_factors: bool = False, table: IOTable | None = None) -> dict[str, object]:
    """The decomposition of one shock's value added lost, net of the unshocked run (USD).

    Returns a dict: ``total``; ``by_node`` (regions x sectors); ``paths`` {(commodity, segment): (short, value
    added lost alone)}; ``windows`` [(first day after the start, chips short, value added lost)]; ``gross``
    {sector: gross output lost}; ``short`` (chips not delivered); ``regions``, ``sectors``; with ``with_factors``,
    ``factors`` {(commodity, segment): `factors` of the path} for the paths of a segment. ``table`` is the impact
    table (the shipped one by default; `own_share` gives the other reading of the mature-node contents).

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
    net, table = base.network, table or load_io_table()
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
    out = {"total": float(by_node.sum()), "by_node": by_node, "paths": paths, "windows": windows,
           "gross": dict(zip(table.sectors, (by_node / v).sum(axis=0))), "short": float(gap.sum()),
           "regions": table.regions, "sectors": table.sectors}
    if with_factors:
        out["factors"] = {key: factors(net, table, (d0, y0), (d1, y1), *key) for key in paths if key[1] is not None}
    return out


def _effective(imap: InputMap, table: IOTable, d: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each day's capacity factors (days, N) and each column's shortfall after the substitution term (days, K)."""
    sh = Shortfalls(imap, 1, table.working_stock_days)
    cap, eff = [], []
    for t in range(d.shape[0]):
        cap.append(sh.capacity(d[None, t], y[None, t])[0])
        ramp = np.minimum(sh.age[0] / imap.substitution_days, 1.0)
        eff.append(np.maximum(sh.undelivered[0] - imap.substitutable * ramp, 0.0))
    return np.array(cap), np.array(eff)


def factors(net: Network, table: IOTable, base: tuple[np.ndarray, np.ndarray], shocked: tuple[np.ndarray, np.ndarray],
            commodity: str, segment: str) -> dict[str, object]:
    """One path's value added lost per USD short as a product of factors (docs/model.md §8.3), USD.

    ``base`` and ``shocked`` are the (demand, delivered) arrays (days, demands) of the unshocked and shocked
    runs; only the path's demands (``commodity`` bought by ``segment``) are short in the shocked arrays it reads
    (every other demand delivered). Returns ``short`` (not delivered, at reference prices), ``effective``
    (what the users' working stock and the substitution term leave: ``sum_t (s~1 - s~0) D p``), ``stopped``
    (the output of the segment's sectors the capacity factors stop, ``sum_t (kappa0 - kappa1) x0``), ``gross``
    (the kernel's gross output lost in those sectors; ``gross_region`` by region), ``gross_all`` (in every
    sector), ``va`` (world value added lost), ``va_own`` (in the segment's sectors), ``own_parts`` (the share of
    the sectors' output they sell to themselves, every origin: the table's coefficient), ``dependence`` (the share
    of their output that needs the class, weighted by output), ``content_all`` (the segment's chips of every class
    per USD of its sectors' output) and ``content`` (this class's). The product
    ``effective/short x stopped/effective x gross/stopped x va/gross`` is ``va/short``.

    Examples
    --------
    >>> net, table = sc.load_baseline(horizon_days=20).network, load_io_table()
    >>> d = np.stack([np.array([x.rate_per_day for x in net.demands])] * 20)
    >>> y = d.copy(); k = [i for i, x in enumerate(net.demands)
    ...                    if (x.commodity, x.segment, x.region) == ("mature_chip", "automotive", "JP")]
    >>> y[5:10, k] *= 0.5                                   # Japan's carmakers get half their foundry chips
    >>> f = factors(net, table, (d, d), (d, y), "mature_chip", "automotive")
    >>> round(f["stopped"] / f["effective"]), round(1 / f["content"])      # C29 output per USD short
    (253, 253)
    >>> round(float(f["gross_region"][0] / f["stopped"]), 2)   # Japan's C29 loses what its chips stop, once
    1.01
    >>> round(f["gross"] / f["stopped"], 2)               # and the others' parts makers its orders, for a time
    1.14
    """
    price = np.array([{c.id: c.price_usd for c in net.commodities}[x.commodity] for x in net.demands])
    mask = np.array([(x.commodity, x.segment) == (commodity, segment) for x in net.demands])
    (d0, y0), (d1, y1) = base, shocked
    y1 = np.where(mask, y1, d1)
    imap = InputMap.build(net, table)
    cols = [k for k, (_, c, g) in enumerate(imap.columns) if (c, g) == (commodity, segment)]
    n_r, n_s = len(table.regions), len(table.sectors)
    sectors = [int(j) for j in np.flatnonzero(table.segment_use[segment] > 0)] if segment in table.segment_use \
        else list(range(n_s))
    nodes = [r * n_s + j for r in range(n_r) for j in sectors]
    cap0, eff0 = _effective(imap, table, d0, y0)
    cap1, eff1 = _effective(imap, table, d1, y1)
    wanted = np.asarray(imap.summed(d1 * price))                        # (days, K) USD demanded per column
    lost = value_added_loss(d1[None], y1[None], net, table=table).daily[0] \
        - value_added_loss(d0[None], y0[None], net, table=table).daily[0]      # (days, R, S)
    v = table.value_added.reshape(n_r, n_s)
    gross = (lost / v).sum(axis=0)
    seg = np.array([x.segment == segment and "chip" in x.commodity for x in net.demands])
    chips_all = 365.0 * float((np.array([x.rate_per_day for x in net.demands]) * price * seg).sum())
    chips = 365.0 * float((np.array([x.rate_per_day for x in net.demands]) * price * mask).sum())
    output = float(table.output[:, sectors].sum())
    weights = table.output.reshape(-1)[nodes]
    dep = float(np.average(imap.dependence[cols][:, nodes].max(axis=0), weights=weights)) if cols else 0.0
    a = table.a.reshape(n_r, n_s, n_r, n_s)
    own = float(np.mean([a[:, j, r, j].sum() for r in range(n_r) for j in sectors]))
    short = ((np.maximum(d1 - y1, 0.0) - np.maximum(d0 - y0, 0.0)) * price * mask).sum(axis=0)   # (demands,)
    col_region = np.array([table.regions.index(imap.columns[k][0]) for k in cols], dtype=int)
    by_node = {  # region x sector splits: what each region's column leaves, stops and loses, sector by sector
        "short": np.array([short[[i for i, x in enumerate(net.demands) if mask[i] and x.region == r]].sum()
                           for r in table.regions]),
        "effective": np.bincount(col_region, ((eff1 - eff0) * wanted)[:, cols].sum(axis=0), minlength=n_r),
        "stopped": ((cap0 - cap1) * table.daily_output).sum(axis=0).reshape(n_r, n_s)[:, sectors],
        "gross": gross[:, sectors], "va": lost.sum(axis=0)[:, sectors], "va_region": lost.sum(axis=(0, 2)),
        "dependence": np.array([imap.dependence[cols][:, [r * n_s + j for j in sectors]].max(axis=0)
                                for r in range(n_r)]),
        "use": imap.use[cols][:, [j for j in sectors]].max(axis=0) if cols else np.zeros(len(sectors)),
        "sectors": tuple(table.sectors[j] for j in sectors), "regions": table.regions}
    return {"short": float(short.sum()), "by_node": by_node,
            "effective": float(((eff1 - eff0) * wanted)[:, cols].sum()),
            "stopped": float(((cap0 - cap1) * table.daily_output)[:, nodes].sum()),
            "gross": float(gross[:, sectors].sum()),
            "gross_region": gross[:, sectors].sum(axis=1), "gross_all": float(gross.sum()),
            "va": float(lost.sum()), "va_own": float(lost[:, :, sectors].sum()), "own_parts": own,
            "content_all": chips_all / output, "content": chips / output, "dependence": dep}


MATURE = ("mature_chip", "mature_idm_chip")


def own_share(table: IOTable, net: Network) -> IOTable:
    """The table with each mature-node class going into its own share of the chip-carrying products only (a what-if).

    The shipped contents make a product need each class (Leontief per class: a class's content is the segment's chips
    per USD of the products that carry them times the class's share of the segment's chips, docs/model.md §8.3). Here
    a class's content is the segment's whole: 13.84 / 749 in C27 and C28 (the washer teardown, `tools.impact.build`)
    and the automotive buyers' chips of every class per USD of world C29 output in C29, so a USD of one class short
    stops the output all the segment's chips serve per USD, whatever the other classes.

    >>> net, t = sc.load_baseline(horizon_days=5).network, load_io_table()
    >>> o = own_share(t, net); j = t.sectors.index
    >>> round(float(o.content["mature_chip"][j("C28")]), 4), round(float(o.content["mature_idm_chip"][j("C29")]), 4)
    (0.0185, 0.0179)
    >>> float(o.content["mature_chip"][j("C26")]) == float(t.content["mature_chip"][j("C26")])   # electronics kept
    True
    """
    price = {c.id: c.price_usd for c in net.commodities}
    cars = 365.0 * sum(price[d.commodity] * d.rate_per_day for d in net.demands
                       if d.segment == "automotive" and "chip" in d.commodity)
    j = table.sectors.index
    content = {c: v.copy() for c, v in table.content.items()}
    for c in MATURE:
        content.setdefault(c, np.zeros(len(table.sectors)))
        content[c][[j("C27"), j("C28")]] = APPLIANCE_CHIPS / APPLIANCE_PRICE
        content[c][j("C29")] = cars / float(table.output[:, j("C29")].sum())
    return dataclasses.replace(table, content=content)


def check_2021(table: IOTable) -> dict[str, float]:
    """Gross output lost in 2021 by sector (USD) in the 2021 chip shortage (example 09's scenario and seed)."""
    scen = shortage_2021(365)
    d1, y1 = _arrays(sc.simulate(scen, engine="vector", seed=2021))
    d0, y0 = _arrays(sc.simulate(scen.without_shocks(), engine="vector", seed=2021))
    net = scen.network
    lost = (value_added_loss(d1[None], y1[None], net, table=table).daily[0]
            - value_added_loss(d0[None], y0[None], net, table=table).daily[0])[LEAD_IN:]
    v = table.value_added.reshape(len(table.regions), len(table.sectors))
    return dict(zip(table.sectors, (lost / v).sum(axis=(0, 1)).tolist()))


def report_factors(key: tuple[str, str], f: dict, say: Callable[[str], None] = print) -> None:
    """Print `factors` of one path."""
    bn = 1e9
    net = f["gross"] * (1.0 - f["own_parts"])
    content = f["content_all"] / f["dependence"] if f["dependence"] > 0 else 0.0   # per USD of dependent output
    say(f"  {key[0]} {key[1]}: {f['va'] / f['short']:.1f} USD of value added per USD short = "
        f"{f['effective'] / f['short']:.3f} (left by working stock and substitution: {f['short'] / bn:.3f} -> "
        f"{f['effective'] / bn:.3f} bn) x {f['stopped'] / f['effective']:.0f} (output stopped per USD effectively "
        f"short; dependence / the class's chips per USD of output {f['dependence']:.2f} / {f['content']:.5f} = "
        f"{f['dependence'] / f['content']:.0f}, the chips {f['content_all']:.4f} of all the segment's per USD of "
        f"output x this class's share {f['content'] / f['content_all']:.3f}) x {f['gross'] / f['stopped']:.3f} "
        f"(kernel's gross output lost per USD stopped) x {f['va'] / f['gross']:.3f} (world value added per USD of "
        f"gross output; {f['va_own'] / f['va']:.0%} in the sector itself)")
    report_nodes(f, say)
    say(f"    gross output lost {f['gross'] / bn:.1f} bn, net of the sector's own parts ({f['own_parts']:.2f}) "
        f"{net / bn:.1f} bn: {f['va'] / net:.3f} of value added per USD; the segment's chips (every class) in it "
        f"{net * content / (1 - f['own_parts']) / bn:.2f} bn ({content:.4f} per USD of the output that needs them), "
        f"{(1 - f['own_parts']) / content:.1f} USD of output net of own parts per USD of them")


def report_nodes(f: dict, say: Callable[[str], None] = print) -> None:
    """Print `factors`' region x sector split of one path: per region its chips short, what the working stock
    and substitution leave, and per sector the dependence, the output stopped per USD of the chips the sector
    takes (its use share of the effective shortfall: ``1 / content`` where the content caps the dependence, less
    where it does not), the kernel's gross output lost per USD stopped and the value added lost in the sector."""
    b = f["by_node"]
    if len(b["sectors"]) < 2 and b["short"].max() <= 0:
        return
    say("    by region: short -> effective (bn); per sector: dependence, output stopped per USD of its chips, gross "
        "lost per USD stopped, value added lost in it (bn); value added lost in the region, every sector (bn)")
    for r, reg in enumerate(b["regions"]):
        if b["short"][r] <= 1e6:
            continue
        cells = []
        for j, sec in enumerate(b["sectors"]):
            took = b["use"][j] * b["effective"][r]
            per = b["stopped"][r, j] / took if took > 0 else float("nan")
            rate = b["gross"][r, j] / b["stopped"][r, j] if b["stopped"][r, j] > 0 else float("nan")
            cells.append(f"{sec} w {b['dependence'][r, j]:.2f}, {per:.0f}, {rate:.2f}, {b['va'][r, j] / 1e9:.1f}")
        say(f"      {reg:4} {b['short'][r] / 1e9:.3f} -> {b['effective'][r] / 1e9:.3f}; " + "; ".join(cells)
            + f"; region {b['va_region'][r] / 1e9:.1f}")


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
    if "factors" in out:
        say("paths' value added per USD short, factor by factor:")
        for key, f in sorted(out["factors"].items(), key=lambda kv: -kv[1]["va"]):
            report_factors(key, f, say)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--shock", choices=("stop", "blockade"), default="stop")
    ap.add_argument("--horizon", type=int, default=730)
    ap.add_argument("--engine", default="vector")
    ap.add_argument("--factors", action="store_true", help="each segment's path as a product of factors")
    ap.add_argument("--own-share", action="store_true",
                    help="what-if: each mature-node class goes into its own share of the products only (own_share)")
    ap.add_argument("--check-2021", action="store_true",
                    help="gross output lost in 2021 by sector, shipped contents and own_share (example 09's run)")
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = sc.load_baseline(horizon_days=a.horizon)
    table = own_share(load_io_table(), base.network) if a.own_share else load_io_table()
    if a.check_2021:
        for name, t in (("shipped", load_io_table()), ("own share", own_share(load_io_table(), base.network))):
            print(f"2021, gross output lost by sector ({name}), bn USD: "
                  + ", ".join(f"{k} {v / 1e9:.1f}" for k, v in check_2021(t).items()))
        return
    print(f"{a.days}-day {'fab stop' if a.shock == 'stop' else 'blockade'} from day {START}, {a.engine}, "
          f"{a.horizon} days{', own share (what-if)' if a.own_share else ''}")
    report(trace(base, a.days, a.shock, a.engine, with_factors=a.factors, table=table))


if __name__ == "__main__":
    main()
