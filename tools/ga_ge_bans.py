"""China's gallium and germanium bans side by side, next to USGS OFR 2024-1057.

For a ban from day 0 that stays in force (vector engine, seed 42, price feedback off unless ``--feedback``),
of gallium only (refined and crude, and China's GaAs/GaN wafers: `GALLIUM_ITEMS`), germanium only, and both,
prints:

1. the gallium and germanium price index of every region: mean over the year and peak;
2. the value added lost over the year, the US and the world (net of the unshocked run, same seed);
3. with ``--steady``, the settled run rate (`supplychain.analytics.impact.steady_loss`): what the ban keeps
   costing a year once stocks, restarts of idle capacity and substitution have played out (minutes).

``--usgs-exponents`` prices gallium and germanium with the clearing exponents the USGS model's price rises imply
(`usgs_exponents`) instead of the minerals chain's, and ``--licensing`` runs the shipped 2023 licensing
(`gallium_germanium_2023`, price feedback on) and prints each region's index on 9 Aug and 1 Dec 2023 and its peak,
against the published prices outside China: gallium doubled by Dec 2023 (Fastmarkets, Rotterdam 500-600 USD/kg on
15 Dec 2023 against 250-265 on 30 Jun), germanium rose from about 1,000 USD/kg early in 2023 to 2,600 in Oct 2024
(Project Blue, 8 Oct 2024).

Published (Nassar, N. T., Shojaeddini, E., Alonso, E., Jaskula, B. & Tolcin, A. (2024), Quantifying potential
effects of China's gallium and germanium export restrictions on the U.S. economy, USGS Open-File Report
2024-1057; USGS news release, 19 Nov 2024): a complete restriction of China's net exports moves the gallium
price by more than +150 % and the germanium price by +26 %, and costs US GDP 3.1 bn USD (gallium, range
1.7-8.2), 0.4 bn (germanium, 0.01-1.1) and 3.4 bn (both, 1.7-9.0).

Run: ``PYTHONPATH=$PWD python tools/ga_ge_bans.py [--steady] [--feedback] [--usgs-exponents] [--licensing]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math

import supplychain.model.prices as mp
from supplychain import ExportControl, load_baseline, load_example, simulate
from supplychain.analytics import gdp_at_risk
from supplychain.analytics.impact import steady_loss
from supplychain.plotting.prices import market_prices

SEED = 42
#: a complete gallium ban as China's controls list the items (MOFCOM and GAC Announcement No. 23 of 2023): the
#: metal of any purity and gallium arsenide and nitride in their wafer and epitaxial-wafer forms (compound devices
#: are not listed)
GALLIUM_ITEMS = ("gallium", "gallium_crude", "compound_wafer")
CASES = {"Ga only": GALLIUM_ITEMS, "Ge only": ("germanium",), "Ga + Ge": (*GALLIUM_ITEMS, "germanium")}
PUBLISHED = {"Ga only": 3.1, "Ge only": 0.4, "Ga + Ge": 3.4}
REGIONS = ("US", "JP", "KR", "TW", "ROW", "CN")


def usgs_exponent(exports_kg: float, spare_kg: float, world_kg: float, price_rise: float) -> float:
    """Clearing exponent at which losing ``(exports - spare) / world`` of a year's supply moves the price by
    ``price_rise``: ``(1 - s) ** (-1 / eta) = 1 + price_rise``, the form of docs/model.md §5.9 and of the USGS model.

    Examples
    --------
    >>> round(usgs_exponent(94_000.0, 7_000.0, 900_000.0, 1.50), 3)
    0.111
    """
    share = (exports_kg - spare_kg) / world_kg
    return -math.log(1.0 - share) / math.log(1.0 + price_rise)


def usgs_exponents() -> dict[str, float]:
    """The exponents of gallium and germanium that give USGS's rises at the share of world supply China's exports make.

    Gallium: China's 2022 exports 94,000 kg (China customs via Reuters, 4 Jul 2023) less Japan's 7,000 kg/yr of spare
    primary capacity (10,000 capacity, 3,000 output; the idle capacity elsewhere restarts only after a year) over world
    primary output 900,000 kg (USGS Mineral Commodity Summaries 2026, gallium), > +150 % (Nassar et al. 2024, USGS OFR
    2024-1057): 0.111, an upper bound. Germanium: 43,700 kg (same source) less the 3,750 kg/yr of concentrate the
    refiners outside China can add (tools/baseline/minerals.py) over world refined output 85,000 / 0.80 kg, +26 %: 2.04.
    The model's spare capacity serves orders at the reference price on its own, so it is netted out here.
    """
    return {"gallium": usgs_exponent(94_000.0, 7_000.0, 900_000.0, 1.50),
            "germanium": usgs_exponent(43_700.0, 3_750.0, 85_000.0 / 0.80, 0.26)}


def use_usgs_exponents() -> None:
    """Set `supplychain.model.prices.PRICE_BY_COMMODITY` to the minerals chain's parameters with `usgs_exponents`
    (split between demand and supply as the chain's 0.15 : 0.10), for every traded form of each metal."""
    chain = mp.PRICE_DEFAULTS["minerals"]
    for metal, eta in usgs_exponents().items():
        params = mp.PriceParams(demand_elasticity=chain.demand_elasticity / chain.exponent * eta,
                                supply_elasticity=chain.supply_elasticity / chain.exponent * eta,
                                adjustment_days=chain.adjustment_days, floor=chain.floor, cap=chain.cap,
                                sheds_output=chain.sheds_output)
        for form in (metal, {"gallium": "gallium_crude", "germanium": "germanium_conc"}[metal]):
            mp.PRICE_BY_COMMODITY[form] = params


def licensing() -> None:
    """The shipped 2023 licensing, price feedback on: each region's index on 9 Aug and 1 Dec 2023, and its peak."""
    sc = load_example("gallium_germanium_2023").replace(price_feedback=True)
    res = simulate(sc, engine="vector", seed=SEED)
    start = dt.date.fromisoformat(str(sc.start_date))
    days = [(dt.date(2023, 8, 9) - start).days, (dt.date(2023, 12, 1) - start).days]
    print("\ngallium_germanium_2023 (price feedback on): index on 9 Aug 2023 / 1 Dec 2023 / peak")
    for metal in ("gallium", "germanium"):
        regions, values = market_prices(res, metal)
        idx = values.mean(axis=0)
        row = "  ".join(f"{r} {idx[days[0], i]:.2f}/{idx[days[1], i]:.2f}/{idx[:, i].max():.2f}"
                        for i, r in enumerate(regions))
        print(f"  {metal:<10} {row}")


def _ban(scenario, commodities):  # type: ignore[no-untyped-def]
    return scenario.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=0)
                                  for k in commodities))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--steady", action="store_true", help="also the settled run rate (minutes)")
    parser.add_argument("--feedback", action="store_true", help="price feedback on")
    parser.add_argument("--usgs-exponents", action="store_true", help="gallium and germanium at usgs_exponents()")
    parser.add_argument("--licensing", action="store_true", help="also the shipped 2023 licensing")
    args = parser.parse_args()
    if args.usgs_exponents:
        use_usgs_exponents()
        print("gallium and germanium at the USGS-implied exponents: "
              + ", ".join(f"{k} {v:.3f}" for k, v in usgs_exponents().items()))
    sc = load_baseline().with_horizon(365).replace(price_feedback=args.feedback)
    base = simulate(sc, engine="vector", seed=SEED)
    print(f"China's bans from day 0 (vector engine, seed {SEED}, price feedback {'on' if args.feedback else 'off'})")
    for name, commodities in CASES.items():
        res = simulate(_ban(sc, commodities), engine="vector", seed=SEED)
        print(f"\n{name}:")
        for metal in ("gallium", "germanium"):
            regions, values = market_prices(res, metal)
            idx = values.mean(axis=0)
            row = "  ".join(f"{r} {idx[:, regions.index(r)].mean():.2f}/{idx[:, regions.index(r)].max():.2f}"
                            for r in REGIONS if r in regions)
            print(f"  {metal:<10} index mean/peak: {row}")
        va = gdp_at_risk(res, baseline=base)["loss_mean_usd"] / 1e9
        world = float(va.sum()) if "ALL" not in va.index else float(va["ALL"])
        print(f"  value added lost over the year: US {float(va['US']):.3f} bn USD, world {world:.3f} bn "
              f"(USGS OFR 2024-1057, US GDP: {PUBLISHED[name]} bn)")
        if args.steady:
            st = steady_loss(_ban(sc, commodities), engine="vector", seed=SEED) / 1e9
            print(f"  settled run rate (horizon {st.attrs.get('horizon_days', '?')} days): US "
                  f"{st.loc['US', 'run_rate_usd_per_year']:.3f} bn USD/yr, world {st.loc['ALL', 'run_rate_usd_per_year']:.3f}; "
                  f"peak US {st.loc['US', 'peak_run_rate_usd_per_year']:.3f}, world "
                  f"{st.loc['ALL', 'peak_run_rate_usd_per_year']:.3f}")
    if args.licensing:
        licensing()


if __name__ == "__main__":
    main()
