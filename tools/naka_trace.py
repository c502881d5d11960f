"""Where the Renesas Naka fire's lost output goes inside example 09's 2021 shortage (docs/model.md §6.6, idm-split).

Runs example 09's scenario (vector engine, its seed) with and without the fire (every other disruption kept) and prints,
from the fire's start: the wafers Japan's IDM fabs did not make, what the packagers of Japan's IDM designs did not
make, the stocks of those designs at the year's end, and the chips not delivered to final users by segment and region,
by month for the automakers, the vehicles lost by the fire (``vehicles_lost``, C29 and buyers' chips readings) and
the most any split of Japan's IDM designs (a maker-level one, Renesas's own) could add: every chip the fire left
unmade lost to automakers (docs/model.md §6.6, idm-split).

Usage: ``python -m tools.naka_trace``.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np

import supplychain as sc
from supplychain import CapacityShock
from supplychain.datasets import chip_shortage_2021 as cs

SEED = 2021


def main() -> None:
    warnings.filterwarnings("ignore", message="CapacityShock")
    scen = cs.shortage_2021(365)
    net = scen.network
    fire = [s for s in scen.shocks if isinstance(s, CapacityShock) and s.facility == "JP.fab.mature_idm_wafer"]
    no_fire = scen.without_shocks().with_shocks(*(s for s in scen.shocks if s not in fire))
    a, b = (sc.simulate(s, engine="vector", seed=SEED) for s in (scen, no_fire))
    t0 = (fire[0].start - scen.start_date).days
    price = {c.id: c.price_usd for c in net.commodities}
    fac = [f.id for f in net.facilities]
    made = (np.asarray(b.production)[0, t0:] - np.asarray(a.production)[0, t0:]).sum(axis=0)
    wafers = made[fac.index("JP.fab.mature_idm_wafer")]
    print(f"fire: {fire[0].fraction_lost:.4g} of JP.fab.mature_idm_wafer "
          f"({net.facility('JP.fab.mature_idm_wafer').capacity_per_day:,.0f}/day), {fire[0].start}-{fire[0].end}, "
          f"back over {fire[0].recovery_days:g} days")
    print(f"  wafers not made by Japan's IDM fabs from the fire on: {wafers:,.0f} "
          f"({wafers / net.facility('JP.fab.mature_idm_wafer').capacity_per_day:.1f} days of the fab)")
    jp_parts = [k for k, f in enumerate(net.facilities) if f.output == "mature_idm_chip" and f.id.endswith(".JP")]
    other_idm = [k for k, f in enumerate(net.facilities) if f.output == "mature_idm_chip" and not f.id.endswith(".JP")]
    print(f"  chips not made by the {len(jp_parts)} parts packaging Japan's IDM designs: {made[jp_parts].sum():,.0f} "
          f"({made[jp_parts].sum() * price['mature_idm_chip'] / 1e9:.2f} bn USD); the other IDM parts made "
          f"{-made[other_idm].sum():,.0f} more")
    inv = np.asarray(a.inventory)[0] - np.asarray(b.inventory)[0]
    stocks = a.coords.stock
    for key in ("JP.fab.mature_idm_wafer:mature_idm_wafer",):
        ks = [stocks.index(key)]
        print(f"  {key} (finished wafers), fire - no fire: lowest {inv[t0:, ks].sum(axis=1).min():,.0f}, end {inv[-1, ks].sum():,.0f}")
    pk = [k for k, s in enumerate(stocks) if any(s.startswith(net.facilities[j].id + ":") or s == net.facilities[j].id
                                                 for j in jp_parts)]
    print(f"  stocks at the parts packaging Japan's designs: lowest {inv[t0:, pk].sum(axis=1).min():,.0f}, end {inv[-1, pk].sum():,.0f}")
    us = [k for k, s in enumerate(stocks) if ".demand." in s and s.endswith(":mature_idm_chip")]
    print(f"  users' stocks of IDM chips (every design): lowest {inv[t0:, us].sum(axis=1).min():,.0f}, end {inv[-1, us].sum():,.0f}")
    auto = [k for k, d in enumerate(net.demands) if d.segment == "automotive" and d.commodity in cs.CHIPS]
    gap = ((a.demand - a.delivered) - (b.demand - b.delivered))[0, t0:]
    rows: dict[tuple[str, str], float] = {}
    for k, d in enumerate(net.demands):
        if d.commodity in cs.CHIPS:
            rows[(d.segment, d.commodity)] = rows.get((d.segment, d.commodity), 0.0) + gap[:, k].sum() * price[d.commodity]
    total = sum(rows.values())
    print(f"  chips not delivered to final users because of the fire: {total / 1e9:.3f} bn USD")
    for (g, c), x in sorted(rows.items(), key=lambda kv: -abs(kv[1])):
        print(f"    {g:12} {c:16} {x / 1e9:7.3f} bn USD ({x / total:.0%})")
    use = sum(a.demand[0, t0:, k].sum() * price[net.demands[k].commodity] for k in auto)
    days = [scen.start_date + dt.timedelta(days=t) for t in range(t0, len(a.dates))]
    # Each demand at its own commodity's price, as the rows above: the months add up to the automakers' rows.
    auto_price = np.array([price[net.demands[k].commodity] for k in auto])
    by_month: dict[str, float] = {}
    for i, x in enumerate(days):
        by_month[f"{x:%b}"] = by_month.get(f"{x:%b}", 0.0) + float(gap[i, auto] @ auto_price)
    auto_total = sum(x for (g, _), x in rows.items() if g == "automotive")
    print("  automakers' chips short by the fire, by month, M USD: " + ", ".join(f"{m} {v / 1e6:.0f}" for m, v in by_month.items())
          + f"; in all {sum(by_month.values()) / 1e9:.3f} bn USD (the automotive rows above: {auto_total / 1e9:.3f}), net of "
          "the months in which the run with the fire left automakers less short than the run without it (negative)")
    print(f"  automotive users' mature chips demanded from the fire to the year's end: {use / 1e9:.1f} bn USD")
    from supplychain.impact import load_io_table
    table, ref = load_io_table(), sc.simulate(scen.without_shocks(), engine="vector", seed=SEED)
    got = [cs.vehicles_lost(r, ref, table, cs.LEAD_IN) for r in (a, b)]
    c29, chips = (got[0][k].sum() - got[1][k].sum() for k in (0, 2))
    print(f"  vehicles lost by the fire: {c29 / 1e6:.2f} M (C29) / {chips / 1e6:.2f} M (buyers' chips); "
          f"automakers' chips short per vehicle: {rows.get(('automotive', 'mature_idm_chip'), 0.0) / max(c29, 1.0):,.0f} USD (C29) / "
          f"{rows.get(('automotive', 'mature_idm_chip'), 0.0) / max(chips, 1.0):,.0f} USD (buyers' chips)")
    made_usd = made[jp_parts].sum() * price["mature_idm_chip"]
    bound = max(made_usd / max(rows.get(("automotive", "mature_idm_chip"), 1.0), 1.0), 1.0)
    print(f"  upper bound of any split of Japan's IDM designs (every chip not made lost to automakers): x{bound:.2f}, "
          f"{c29 * bound / 1e6:.2f} M (C29) / {chips * bound / 1e6:.2f} M (buyers' chips)")


if __name__ == "__main__":
    main()
