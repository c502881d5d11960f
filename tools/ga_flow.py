"""Where China's gallium ban loses value added: by industry, by path and over time, to the settled rate.

For a ban of gallium, crude gallium and China's GaAs/GaN wafers (`GALLIUM_ITEMS`) from ``--start`` (day 0 by
default) that stays in force, run over ``--days`` (1,085 by default: the horizon at which
`supplychain.analytics.impact.steady_loss` finds the loss settled) on the vector engine (seed 42, price feedback
off), prints:

1. the chain's shortfall by commodity (USD at reference prices) in each year;
2. the value added lost, world and US, in each year and the run rate (30 days x 365) at the end of each
   year and of the horizon, by industry;
3. the same split by path: the compound-device shortfall alone, the gallium additive of NdFeB magnets alone
   (the gallium column's C27 users) and CIGS solar cells alone (its C26 users), each measured with every
   other column's shortfall set to 0 (the kernel is not additive, so the paths need not sum to the whole);
4. with ``--sensitivity``, what each suspect of the loss's size moves (ban from day 0 over 730 days): the magnet
   grades' dependence on gallium set to 0, compound devices' substitutable share at the 0.2 its source tested,
   the idle primary capacity outside China restarting on the minerals chain's default delay (60 + 90 days)
   instead of a year, a leakage route through third countries of a quarter of the banned lanes' flow, Korea's
   and Taiwan's wafer makers running a new-scrap loop as large as the measured ones from day 0, and
   a ban on exports to the US alone (as China's of December 2024);
   with the baseline's Chinese gallium exports (refined and crude) beside China customs' 94 t of 2022.

Run: ``PYTHONPATH=$PWD python tools/ga_flow.py [--start DAY] [--days N] [--feedback] [--sensitivity]``.
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np

from supplychain import ExportControl, load_baseline, simulate
from supplychain.impact.given_up import given_up_series
from supplychain.impact.loss import value_added_loss
from supplychain.impact.table import load_io_table
from supplychain.model.substitution import substitute

SEED = 42
WINDOW = 30
#: a complete gallium ban as China's controls list the items (MOFCOM and GAC Announcement No. 23 of 2023): the
#: metal of any purity and gallium arsenide and nitride in their wafer and epitaxial-wafer forms (compound devices
#: are not listed)
GALLIUM_ITEMS = ("gallium", "gallium_crude", "compound_wafer")


def _ban(scenario, start: int):  # type: ignore[no-untyped-def]
    return scenario.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=start)
                                  for k in GALLIUM_ITEMS))


def _paths(table):  # type: ignore[no-untyped-def]
    """Tables that keep one path of the loss: (name, table, commodities whose shortfall counts)."""
    def only(commodity: str, sectors: tuple[str, ...]):  # type: ignore[no-untyped-def]
        keep = np.array([s in sectors for s in table.sectors])
        dep = dict(table.dependence)
        dep[commodity] = np.where(keep[None, :], dep[commodity], 0.0)
        return dataclasses.replace(table, dependence=dep)
    return [("all paths", table, None),
            ("compound devices", table, ("compound_chip",)),
            ("Ga in NdFeB magnets (C27)", only("gallium", ("C27",)), ("gallium",)),
            ("Ga in CIGS cells (C26)", only("gallium", ("C26",)), ("gallium",))]


def _yearly(res, base, table, us: int) -> str:  # type: ignore[no-untyped-def]
    """World/US value added lost in years 1 and 2 and the run rate at the end of each, bn USD."""
    daily = res.value_added_loss(table=table).daily[0] - base.value_added_loss(table=table).daily[0]
    rate = WINDOW / 365 * 1e9
    out = []
    for a, b in ((0, 365), (365, 730)):
        out.append(f"{daily[a:b].sum() / 1e9:6.1f}/{daily[a:b, us].sum() / 1e9:5.2f}  "
                   f"{daily[b - WINDOW:b].sum() / rate:6.1f}/{daily[b - WINDOW:b, us].sum() / rate:5.2f}")
    return "   ".join(out)


def china_exports_t(res) -> float:  # type: ignore[no-untyped-def]
    """China's gallium exports (refined and crude) in a run's first 30 days, t a year."""
    co = res.coords
    lanes = [i for i, lab in enumerate(co.labels("lane")) if co.commodity["lane"][i] in ("gallium", "gallium_crude")
             and lab.startswith("CN.") and not lab.split(">")[1].startswith("CN.")]
    return float(res.arrays["flow"][0][:30, lanes].sum(axis=1).mean() * 365 / 1000)


def _scrap_loop(sc):  # type: ignore[no-untyped-def]
    """``sc`` with Korea's and Taiwan's wafer makers buying gallium net of a loop as large as the measured ones.

    In the baseline only Japan's, the US's and ROW's makers run one (GA_LOOPS, tools/baseline/minerals.py); Korea's
    and Taiwan's build one once short (docs/model.md §5.4.3). Here they run it from day 0 and so have no rule left.
    """
    net = sc.network
    facs = tuple(dataclasses.replace(f, recipe={**dict(f.recipe), "gallium": dict(f.recipe)["gallium"]
                                                * (1 - f.scrap_recovery)}, scrap_input=None, scrap_recovery=0.0)
                 if f.output == "compound_wafer" and f.region in ("KR", "TW") else f for f in net.facilities)
    return sc.replace(network=dataclasses.replace(net, facilities=facs))


def sensitivity(feedback: bool) -> None:
    """What each suspect of the ban's loss moves: one change at a time, ban from day 0, 730 days."""
    sc = load_baseline().with_horizon(730).replace(price_feedback=feedback)
    base = simulate(sc, engine="vector", seed=SEED)
    loop = _scrap_loop(sc)
    loop_base = simulate(loop, engine="vector", seed=SEED)
    print(f"\nChina's gallium exports in the baseline: {china_exports_t(base):.0f} t a year (with loops in Korea "
          f"and Taiwan too: {china_exports_t(loop_base):.0f}); China customs, 2022: 94 t (via Reuters, 4 Jul 2023)")
    table = load_io_table()
    us = table.regions.index("US")
    dep = dict(table.dependence)
    dep["gallium"] = np.where(np.array([s == "C27" for s in table.sectors])[None, :], 0.0, dep["gallium"])
    sub = dict(table.substitution)
    sub["compound_chip"] = (0.2, sub["compound_chip"][1])
    fast = substitute(sc, {"network.facilities.ROW.mine.gallium_crude.restart_days": 60,
                           "network.facilities.ROW.mine.gallium_crude.restart_ramp_days": 90})
    leak = sc.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=0, leakage=0.25)
                            for k in GALLIUM_ITEMS))
    us_only = sc.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=0, destinations=["US"])
                               for k in ("gallium", "compound_wafer")))    # China's crude goes to no US buyer
    cases = [("as shipped", _ban(sc, 0), table),
             ("magnets need no gallium (C27 w = 0)", _ban(sc, 0), dataclasses.replace(table, dependence=dep)),
             ("compound devices substitutable 0.2", _ban(sc, 0), dataclasses.replace(table, substitution=sub)),
             ("idle Ga capacity restarts 60+90 d", _ban(fast, 0), table),
             ("leakage route, 25 % of the flow", leak, table),
             ("KR, TW run a loop in the baseline too", _ban(loop, 0), table),
             ("ban on exports to the US only", us_only, table)]
    print("\nSensitivity (ban from day 0, 730 days), bn USD, world/US: year 1, run rate at day 365;"
          " year 2, run rate at day 730")
    for name, scenario, tab in cases:
        res = simulate(scenario, engine="vector", seed=SEED)
        paired = loop_base if scenario.network is loop.network else base
        print(f"  {name:<38} {_yearly(res, paired, tab, us)}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--start", type=int, default=0, help="first day of the ban")
    parser.add_argument("--days", type=int, default=1085, help="horizon, days")
    parser.add_argument("--feedback", action="store_true", help="price feedback on")
    parser.add_argument("--sensitivity", action="store_true", help="also what each suspect moves")
    args = parser.parse_args()
    sc = load_baseline().with_horizon(args.days).replace(price_feedback=args.feedback)
    res = simulate(_ban(sc, args.start), engine="vector", seed=SEED)
    base = simulate(sc, engine="vector", seed=SEED)
    net = sc.network
    com = np.array([d.commodity for d in net.demands])
    price = {c.id: c.price_usd for c in net.commodities}
    p = np.array([price.get(c, 0.0) for c in com])
    years = [(y * 365, min((y + 1) * 365, args.days)) for y in range((args.days + 364) // 365)]
    print(f"China bans gallium, crude gallium and GaAs/GaN wafers from day {args.start} (vector, seed {SEED}, "
          f"price feedback {'on' if args.feedback else 'off'}, {args.days} days)")
    short = (np.maximum(res.demand - res.delivered, 0) - np.maximum(base.demand - base.delivered, 0))[0] * p
    print("\nChain shortfall, bn USD at reference prices, by year:")
    for c in sorted(set(com)):
        cols = com == c
        vals = [short[a:b, cols].sum() / 1e9 for a, b in years]
        if max(abs(v) for v in vals) > 1e-4:
            print(f"  {c:<18}" + "".join(f"{v:10.3f}" for v in vals))
    table = load_io_table()
    regions, sectors = table.regions, table.sectors
    us = regions.index("US")
    marks = sorted({b for _, b in years} | {args.days})
    print(f"\nValue added lost, bn USD: per year (world / US); run rate at day {', '.join(map(str, marks))} "
          "(world / US, bn USD a year)")
    for name, tab, commodities in _paths(table):
        delivered = res.delivered.copy()
        if commodities is not None:
            other = ~np.isin(com, commodities)
            delivered[:, :, other] = res.demand[:, :, other]
        given = given_up_series(res.scenario, res.demand, res.arrays.get("price"))
        if given is not None and commodities is not None:
            given = np.where(np.isin(com, commodities)[None, None, :], given, 0.0)
        shocked = value_added_loss(res.demand, delivered, net, table=tab, given_up=given,
                                   scenario=res.scenario).daily[0]
        unshocked = base.value_added_loss(table=tab).daily[0]
        daily = shocked - unshocked                                        # (days, regions, sectors)
        per_year = "  ".join(f"{daily[a:b].sum() / 1e9:6.1f}/{daily[a:b, us].sum() / 1e9:5.2f}" for a, b in years)
        rates = "  ".join(f"{daily[t - WINDOW:t].sum() * 365 / WINDOW / 1e9:6.1f}/"
                          f"{daily[t - WINDOW:t, us].sum() * 365 / WINDOW / 1e9:5.2f}" for t in marks)
        print(f"  {name:<28} years {per_year}   rates {rates}")
        if commodities is None:
            world, usa = daily.sum(axis=1), daily[:, us]
            for label, t in (("year 1", 365), ("end", args.days)):
                lo = max(0, t - WINDOW)
                print(f"    by industry, run rate at {label} (day {t}), world / US:  " + "  ".join(
                    f"{s} {world[lo:t, j].sum() * 365 / WINDOW / 1e9:.1f}/{usa[lo:t, j].sum() * 365 / WINDOW / 1e9:.2f}"
                    for j, s in enumerate(sectors)))
            peak = np.convolve(world.sum(axis=1), np.ones(WINDOW), "valid") * 365 / WINDOW
            print(f"    peak 30-day run rate, world: {peak.max() / 1e9:.1f} bn USD a year, window ending day "
                  f"{int(peak.argmax()) + WINDOW}")
    if args.sensitivity:
        sensitivity(args.feedback)


if __name__ == "__main__":
    main()
