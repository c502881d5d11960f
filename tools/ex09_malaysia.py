"""Example 09 with and without Malaysia's lockdown of ROW's IDM back-end plant: why the hit lowers the loss.

Runs `supplychain.datasets.chip_shortage_2021.shortage_2021()` (the example's scenario) twice, with the
lockdown of ``ROW.packaging.mature_chip.idm_backend`` and without it (every other shock kept), against
the same unshocked run (vector engine, seed 2021), and prints the figures of docs/assumptions.md's
diagnosis "Malaysia's lockdown on the IDMs' back-end plant lowers the loss":

1. vehicles lost (C29 and automotive buyers), world value added lost, chain shortfall;
2. the 2021 shortfall of foundry-made mature chips by buyer segment;
3. what the plant and the other packagers ship to each segment from June to September (wafer-equivalents
   a day);
4. by month of 2021, C29's value added lost and the automakers' mature-chip short share;
5. value added lost in 2021 by sector.

Run: ``PYTHONPATH=$PWD python tools/ex09_malaysia.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import datetime as dt

import supplychain as sc
from supplychain.analytics import chain_shortfall_usd, gdp_at_risk
from supplychain.datasets.chip_shortage_2021 import CHIPS, LEAD_IN, shortage_2021, vehicles_lost
from supplychain.impact import load_io_table

SEED = 2021
PLANT = "ROW.packaging.mature_chip.idm_backend"
SEGMENTS = ("automotive", "electronics", "industrial")
JUN_SEP = (LEAD_IN + 151, LEAD_IN + 273)   # 1 Jun to 30 Sep 2021


def _plant(facility: str) -> bool:
    """Whether ``facility`` is a part of the plant (one per region of the fab behind its wafers)."""
    return facility.startswith(PLANT + ".")


def main() -> None:
    argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0]).parse_args()
    full = shortage_2021()
    without = full.replace(shocks=tuple(s for s in full.shocks if not _plant(getattr(s, "facility", None) or "")))
    base = sc.simulate(full.without_shocks(), engine="vector", seed=SEED)
    runs = {k: sc.simulate(s, engine="vector", seed=SEED) for k, s in (("with", full), ("without", without))}
    net, table = full.network, load_io_table()
    price = {c.id: c.price_usd for c in net.commodities}
    gap = {k: ((r.demand - r.delivered) - (base.demand - base.delivered))[0] for k, r in runs.items()}

    print(f"Example 09 with and without the lockdown of {PLANT} (1 Jun-30 Sep 2021), 2021 only:")
    for name, res in runs.items():
        units, _, by_chips, _ = vehicles_lost(res, base, table, LEAD_IN)
        short = float((chain_shortfall_usd(res) - chain_shortfall_usd(base)).mean())
        va = float(gdp_at_risk(res, baseline=base).loc["ALL", "loss_mean_usd"])
        seg = {g: sum(gap[name][LEAD_IN:, i].sum() * price[d.commodity] for i, d in enumerate(net.demands)
                      if d.commodity == "mature_chip" and d.segment == g) for g in SEGMENTS}
        print(f"  {name:8} vehicles {units.sum() / 1e6:.2f} M (C29), {by_chips.sum() / 1e6:.2f} M (automotive buyers); "
              f"world value added {va / 1e9:.0f} bn USD (2020-21); chain shortfall {short / 1e9:.2f} bn USD; "
              "foundry-made chips short, bn USD: " + ", ".join(f"{g} {x / 1e9:.2f}" for g, x in seg.items()))

    print("\nShipped to each segment, June-September 2021, wafer-equivalents a day (with / without the lockdown):")
    days = JUN_SEP[1] - JUN_SEP[0]
    for g in SEGMENTS:
        for label, pick in (("the plant", _plant), ("other packagers", lambda o: not _plant(o))):
            idx = [k for k, lane in enumerate(net.lanes) if lane.commodity == "mature_chip"
                   and lane.destination.endswith("." + g) and pick(lane.origin)]
            w, wo = (runs[k].arrays["flow"][0][slice(*JUN_SEP), idx].sum() / days for k in ("with", "without"))
            print(f"  {g:12} from {label:16} {w:9.0f} / {wo:9.0f}  change {w - wo:+7.0f} ({w / wo - 1:+.1%})")

    print("\nBy month of 2021: C29 value added lost, bn USD, and the automakers' mature chips short, % of demand:")
    j = table.sectors.index("C29")
    dates = [full.start_date + dt.timedelta(days=i) for i in range(base.demand.shape[1])]
    auto = [i for i, d in enumerate(net.demands) if d.commodity in CHIPS and d.segment == "automotive"]
    print("  " + " " * 18 + "".join(f"{dt.date(2021, m, 1):%b}".rjust(7) for m in range(1, 13)))
    for name, res in runs.items():
        loss = vehicles_lost(res, base, table, 0)[3].daily[0][:, :, j].sum(axis=1)
        months = [[i for i, x in enumerate(dates) if (x.year, x.month) == (2021, m)] for m in range(1, 13)]
        share = [gap[name][m][:, auto].sum() / res.demand[0][m][:, auto].sum() for m in months]
        print(f"  {name:8} C29 VA   " + "".join(f"{loss[m].sum() / 1e9:7.1f}" for m in months))
        print(f"  {name:8} short    " + "".join(f"{x:7.1%}" for x in share))

    print("\nValue added lost in 2021 by sector, bn USD:")
    for name, res in runs.items():
        daily = vehicles_lost(res, base, table, LEAD_IN)[3].daily[0]
        print(f"  {name:8} " + ", ".join(f"{s} {daily[:, :, i].sum() / 1e9:.1f}" for i, s in enumerate(table.sectors)))


if __name__ == "__main__":
    main()
