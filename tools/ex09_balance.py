"""Example 09's 2021: chips demanded against chips the fabs can make, month by month, and the lead time it implies.

Runs `supplychain.datasets.chip_shortage_2021.shortage_2021()` (example 09's scenario, vector engine, seed 2021) and
prints, for each chip class (foundry-made mature chips, IDM-made mature chips, advanced logic, memory) and each
month from July 2020 to December 2021, world totals in wafer-equivalents a day:

- demand: the final buyers' use (what they would take from their stock);
- short: the share of it not served (lost sales);
- fab made / capacity: the fabs' output of the class's wafers over their capacity (2021's network);
- balance: (fab capacity - demand) over demand, the room the fabs leave, < 0 when the world cannot make its use;
- stock: every stock of the class's wafers and chips (fabs, packagers, users), in days of the month's demand;
- owed: the orders the chain's suppliers owe on its lanes (the lane backlogs), in days of the month's demand;
- lead: the chip lead time the owed orders imply by Little's law, 12.5 weeks (Susquehanna's pre-pandemic midpoint,
  `CHIP_LEAD_WEEKS_NORMAL`) plus the owed days over 7, against Susquehanna's series (`SUSQUEHANNA`).

Then by region of the buyer, each quarter of 2021: the mature chips short (both classes), the users' stock on hand by
segment (against the RFI's median under 5 days in 2021), and by region of the fab its output over capacity. ``--patience P`` runs every automotive chip buyer backordered with a patience of ``P`` days
(``shortage_2021(automotive_patience=P)``, docs/model.md §5.5); ``--restock`` runs `shortage_2021(restock=True)`: buyers
aim at their 2019 covers again from 2021.

Run: ``PYTHONPATH=$PWD python tools/ex09_balance.py [--patience 90] [--restock]`` (about 15 s).
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

import supplychain as sc
from supplychain.datasets.chip_shortage_2021 import CHIPS, shortage_2021

SEED = 2021
CLASSES = ("mature_chip", "mature_idm_chip", "logic_chip", "memory_chip")
#: Pre-pandemic chip lead time, weeks: 10 to 15 (Susquehanna Financial Group via SemiMedia, 20 Jan 2023), the midpoint.
LEAD_NORMAL = 12.5
#: Susquehanna Financial Group's average chip lead time, weeks, by month: fall 2020 13.9 (report of 5 Apr 2022, The
#: Register, 14 Apr 2022); Feb 2021 "above 14", the "danger zone" (C. Rolland, MarketWatch, 24 Feb 2021); Sep 2021 21.7
#: (Bloomberg, 12 Oct 2021); Oct 2021 21.9 (Bloomberg, 10 Nov 2021); Dec 2021 25.8 (Bloomberg, 7 Jan 2022).
SUSQUEHANNA = {(2020, 10): 13.9, (2021, 2): 14.0, (2021, 9): 21.7, (2021, 10): 21.9, (2021, 12): 25.8}


def months(day0: dt.date, n: int, first: tuple[int, int] = (2020, 7)) -> list[tuple[str, slice, tuple[int, int]]]:
    """(label, day slice, (year, month)) of each month from ``first`` within ``n`` days from ``day0``."""
    out, (y, m) = [], first
    while (a := dt.date(y, m, 1)) < day0 + dt.timedelta(days=n):
        b = dt.date(y + m // 12, m % 12 + 1, 1)
        out.append((f"{a:%b %Y}", slice((a - day0).days, min((b - day0).days, n)), (y, m)))
        y, m = b.year, b.month
    return out


def balance(res: sc.Results) -> None:
    """Print the month-by-month balance of every chip class, the regions' quarters, of a run of the scenario."""
    net = res.scenario.network
    stocks = res.coords.stock
    node, com = [s.split(":")[0] for s in stocks], [s.split(":")[1] for s in stocks]
    inv, a = res.arrays["inventory"][0], res.arrays
    per = months(res.scenario.start_date, res.n_days)
    print(f"{'':10}" + "".join(f"{h:>10}" for h in ("demand", "short", "fab made", "capacity", "balance", "stock d",
                                                     "owed d", "lead wk", "Susq. wk")))
    for chip in CLASSES:
        wafer = chip.replace("chip", "wafer")
        dem = [i for i, d in enumerate(net.demands) if d.commodity == chip]
        fabs = [j for j, f in enumerate(net.facilities) if f.output == wafer]
        cap = sum(net.facilities[j].capacity_per_day for j in fabs)   # fabs and new fabs (fab_new)
        held = [k for k in range(len(stocks)) if com[k] in (chip, wafer)]
        lanes = [j for j, ln in enumerate(net.lanes) if ln.commodity in (chip, wafer)]
        print(f"{chip} (wafer-equivalents a day; stock and owed in days of demand)")
        for label, sel, ym in per:
            d = res.demand[0, sel][:, dem].sum(1).mean()
            short = 1 - res.delivered[0, sel][:, dem].sum() / res.demand[0, sel][:, dem].sum()
            made = res.production[0, sel][:, fabs].sum(1).mean()
            owed = a["backlog"][0, sel][:, lanes].sum(1).mean() / d
            sus = f"{SUSQUEHANNA[ym]:10.1f}" if ym in SUSQUEHANNA else f"{'':10}"
            print(f"  {label:8}{d:10,.0f}{short:10.1%}{made:10,.0f}{made / cap:10.1%}{cap / d - 1:+10.1%}"
                  f"{inv[sel][:, held].sum(1).mean() / d:10.1f}{owed:10.1f}{LEAD_NORMAL + owed / 7:10.1f}{sus}")
    regions = [r.id for r in net.regions]
    quarters = [(f"Q{q + 1} 2021", slice(*(((dt.date(2021, 3 * q + 1, 1) - res.scenario.start_date).days, min(
        (dt.date(2021 + (q == 3), (3 * q + 3) % 12 + 1, 1) - res.scenario.start_date).days, res.n_days)))))
        for q in range(4) if (dt.date(2021, 3 * q + 1, 1) - res.scenario.start_date).days < res.n_days]
    print("\nMature chips (both classes) short by region of the buyer, and by segment, share of demand:")
    print(f"  {'':24}" + "".join(f"{q:>10}" for q, _ in quarters))
    groups = {**{r: lambda d, r=r: d.region == r for r in regions},
              **{g: lambda d, g=g: d.segment == g for g in ("automotive", "industrial", "electronics")}}
    for name, pick in groups.items():
        k = [i for i, d in enumerate(net.demands) if d.commodity in CHIPS and pick(d)]
        row = [1 - res.delivered[0, s][:, k].sum() / res.demand[0, s][:, k].sum() for _, s in quarters]
        print(f"  {name:24}" + "".join(f"{x:10.1%}" for x in row))
    print("Users' mature chips on hand (both classes), days of their own demand (RFI: a median under 5 in 2021):")
    for g in ("automotive", "industrial", "electronics"):
        k = [i for i, d in enumerate(net.demands) if d.commodity in CHIPS and d.segment == g]
        held = [stocks.index(f"{net.demands[i].id}:{net.demands[i].commodity}") for i in k]
        print(f"  {g:24}" + "".join(f"{inv[s][:, held].sum(1).mean() / res.demand[0, s][:, k].sum(1).mean():10.1f}"
                                    for _, s in quarters))
    print("Mature fabs' output over capacity by region of the fab (both classes):")
    for r in regions:
        fabs = [j for j, f in enumerate(net.facilities) if f.output in ("mature_wafer", "mature_idm_wafer")
                and f.region == r]
        if fabs:
            cap = sum(net.facilities[j].capacity_per_day for j in fabs)
            print(f"  {r:24}" + "".join(f"{res.production[0, s][:, fabs].sum(1).mean() / cap:10.1%}" for _, s in quarters))


def main(patience: float | None, restock: bool) -> None:
    """Run the scenario (automotive chip buyers backordered if ``patience``) and print its balance."""
    scenario = shortage_2021(restock=restock, automotive_patience=patience)
    print(f"Example 09{' with restocking' if restock else ''}"
          f"{f', automotive chip buyers backordered (patience {patience:g} d)' if patience is not None else ''}, "
          f"vector engine, seed {SEED}")
    balance(sc.simulate(scenario, engine="vector", seed=SEED))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--patience", type=float, default=None, help="backorder automotive chip buyers for P days")
    parser.add_argument("--restock", action="store_true", help="buyers rebuild their 2019 covers (shortage_2021(restock=True))")
    args = parser.parse_args()
    main(args.patience, args.restock)
