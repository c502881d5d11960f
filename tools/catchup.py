"""Make-up of lost output (docs/model.md §8.3, ARIO step 2b): the 2025 magnet episode and a 180-day magnet ban
with magnet users' unmet demand lost (the baseline) or kept on order (``unmet="backorder"``, a what-if).

The make-up rule acts only on inputs delivered above demand, which lost-sales demands never receive, so the
shipped runs are unchanged; with backorders the chain delivers the magnets of the lost output late and the
kernel makes up the lost output within 180 days and 0.14 above normal output.

``--patience P`` cancels a backorder not delivered within ``P`` days (``Demand.patience_days``, docs/model.md §5.5).

Run: ``PYTHONPATH=$PWD python tools/catchup.py [--seeds N] [--check-2021] [--patience P]``
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from magnet_path import (MAGNET, SEED, _day, air_freight_2025, control_2025,  # noqa: E402
                         va_through_magnets)

from supplychain import ExportControl, load_example, simulate  # noqa: E402
from supplychain.datasets.chip_shortage_2021 import LEAD_IN, shortage_2021, vehicles_lost  # noqa: E402
from supplychain.impact import load_io_table  # noqa: E402
from supplychain.impact.loss import InputMap, Shortfalls, _Stepper  # noqa: E402


def backordered(sc, keep=lambda d: d.commodity == MAGNET, patience=None):  # type: ignore[no-untyped-def]
    """``sc`` with the unmet demand of the demands ``keep`` selects (every magnet user by default) kept on order.

    ``patience``: days a backorder stays on order (``Demand.patience_days``, docs/model.md §5.5); None: until delivered.
    """
    net = sc.network
    demands = tuple(dataclasses.replace(d, unmet="backorder", patience_days=patience) if keep(d) else d
                    for d in net.demands)
    return sc.replace(network=dataclasses.replace(net, demands=demands))


def check_2021(table, patience=None) -> None:  # type: ignore[no-untyped-def]
    """Example 09's 2021 run (seed 2021) with automotive chip buyers' unmet demand lost or kept on order."""
    auto = lambda d: d.segment == "automotive"  # noqa: E731
    kept = f"automotive chips backordered ({'no patience' if patience is None else f'patience {patience} d'})"
    for how, scen in (("lost sales (shipped)", shortage_2021()), (kept, backordered(shortage_2021(), auto,
                                                                                   patience))):
        shocked = simulate(scen, engine="vector", seed=2021)
        base = simulate(scen.without_shocks(), engine="vector", seed=2021)
        for rule, tab in (("make-up", table), ("no make-up", no_makeup(table))):
            units, revenue, _, loss = vehicles_lost(shocked, base, tab, LEAD_IN)
            print(f"2021 (example 09, seed 2021), {how}, {rule}: {units.sum() / 1e6:.2f} million vehicles, C29 net "
                  f"of own parts {revenue / 1e9:.1f} bn USD, world value added {loss.total.sum() / 1e9:.1f} bn",
                  flush=True)


def refill_loss(res, net, table, only=MAGNET):  # type: ignore[no-untyped-def]
    """Value added lost (USD, world) through ``only`` if the users spent the covers' refill on make-up (a what-if).

    The room of step 2b is taken from the arrivals into each user's stock above its demand over the window, instead
    of the deliveries above demand (which lost-sales users never get): the reading docs/model.md §8.3 rejects
    because the chain still counts those arrivals in the users' covers.
    """
    import numpy as np
    com = np.array([d.commodity for d in net.demands])
    delivered = res.delivered.copy()
    delivered[:, :, com != only] = res.demand[:, :, com != only]
    index = {d.id: i for i, d in enumerate(net.demands)}
    into = np.zeros((len(net.lanes), len(net.demands)))
    for k, ln in enumerate(net.lanes):
        if ln.destination in index and net.demands[index[ln.destination]].commodity == only:
            into[k, index[ln.destination]] = 1.0
    arrivals = res.arrivals @ into                                        # (R, T, D)
    imap = InputMap.build(net, table)
    n_runs, n_days, _ = delivered.shape
    short = Shortfalls(imap, n_runs, table.working_stock_days)
    stepper = _Stepper(table, n_runs, imap.dependent_share, makeup=True)
    w = table.working_stock_days
    got, want = np.zeros((n_runs, w, len(imap.columns))), np.zeros((n_runs, w, len(imap.columns)))
    total = 0.0
    magnet_col = np.array([c[1] == only for c in imap.columns])
    for t in range(n_days):
        cap = short.capacity(res.demand[:, t], delivered[:, t])
        got[:, t % w], want[:, t % w] = imap.summed(arrivals[:, t]), imap.summed(res.demand[:, t])
        a, d = got.sum(axis=1), want.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            surplus = np.where((d > 0) & magnet_col, np.maximum(a / d - 1.0, 0.0), 0.0)
        total += float(stepper.step(cap, imap.room_at(surplus)).sum())
    return total


def no_makeup(table):  # type: ignore[no-untyped-def]
    """``table`` with no patience: nothing lost is made up (the kernel before the make-up rule)."""
    return dataclasses.replace(table, params=dataclasses.replace(table.params, patience=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--seeds", type=int, default=1, help="seeds from 2020 (default: the tool's seed alone)")
    parser.add_argument("--check-2021", action="store_true", help="only example 09's 2021 run, lost vs backordered")
    parser.add_argument("--patience", type=int, default=None,
                        help="days the backorders stay on order (Demand.patience_days; default: until delivered)")
    parser.add_argument("--refill", action="store_true",
                        help="only the what-if of users spending their covers' refill on make-up (rejected reading)")
    args = parser.parse_args()
    table = load_io_table()
    if args.check_2021:
        check_2021(table, args.patience)
        return
    if args.refill:
        seeds = [SEED] if args.seeds <= 1 else list(range(2020, 2020 + args.seeds))
        base_sc0 = load_example("taiwan_blockade_magnets").replace(shocks=())
        start0 = _day(dt.date(2025, 3, 1))
        for label, sh in (("2025 episode", (control_2025(), *air_freight_2025(base_sc0.network))),
                          ("magnet ban 180 d", (ExportControl(exporter="CN", commodity=MAGNET, mode="ban",
                                                              start=start0, end=start0 + 179),))):
            vals = []
            for s in seeds:
                base = simulate(base_sc0, engine="vector", seed=s)
                res = simulate(base_sc0.with_shocks(*sh), engine="vector", seed=s)
                vals.append(refill_loss(res, base_sc0.network, table) - refill_loss(base, base_sc0.network, table))
            print(f"{label}, covers' refill spent on make-up (what-if), seeds {seeds[0]}-{seeds[-1]}: through "
                  f"magnets {sum(vals) / len(vals) / 1e9:.2f} bn USD", flush=True)
        return
    base_sc = load_example("taiwan_blockade_magnets").replace(shocks=())
    start = _day(dt.date(2025, 3, 1))
    shocks = {
        "2025 episode (licensing 4 Apr - 11 Jun, flown)": (control_2025(), *air_freight_2025(base_sc.network)),
        "magnet ban 180 d from 1 March": (ExportControl(exporter="CN", commodity=MAGNET, mode="ban", start=start,
                                                        end=start + 179),),
    }
    seeds = [SEED] if args.seeds <= 1 else list(range(2020, 2020 + args.seeds))
    for label, sh in shocks.items():
        kept = "backordered" + ("" if args.patience is None else f", patience {args.patience} d")
        for how, sc in (("lost sales (shipped)", base_sc), (kept, backordered(base_sc, patience=args.patience))):
            runs = [(simulate(sc, engine="vector", seed=s), simulate(sc.with_shocks(*sh), engine="vector", seed=s))
                    for s in seeds]
            for rule, tab in (("make-up", table), ("no make-up", no_makeup(table))):
                vals = [va_through_magnets(res, base, sc.network, tab)[0].sum(axis=1) for base, res in runs]
                mean = sum(vals) / len(vals)
                print(f"{label}, {how}, {rule}, seeds {seeds[0]}-{seeds[-1]}: through magnets {mean.sum() / 1e9:.2f} "
                      "bn USD (" + ", ".join(f"{r} {v / 1e9:.2f}" for r, v in zip(table.regions, mean)) + ")",
                      flush=True)


if __name__ == "__main__":
    main()
