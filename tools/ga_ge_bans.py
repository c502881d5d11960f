"""China's gallium and germanium bans side by side, next to USGS OFR 2024-1057.

For a ban from day 0 that stays in force (vector engine, seed 42, price feedback off unless ``--feedback``),
of gallium only (refined and crude), germanium only, and both, prints:

1. the gallium and germanium price index of every region: mean over the year and peak;
2. the value added lost over the year, the US and the world (net of the unshocked run, same seed);
3. with ``--steady``, the settled run rate (`supplychain.analytics.impact.steady_loss`): what the ban keeps
   costing a year once stocks, restarts of idle capacity and substitution have played out (minutes).

Published (Nassar, N. T., Shojaeddini, E., Alonso, E., Jaskula, B. & Tolcin, A. (2024), Quantifying potential
effects of China's gallium and germanium export restrictions on the U.S. economy, USGS Open-File Report
2024-1057; USGS news release, 19 Nov 2024): a complete restriction of China's net exports moves the gallium
price by more than +150 % and the germanium price by +26 %, and costs US GDP 3.1 bn USD (gallium, range
1.7-8.2), 0.4 bn (germanium, 0.01-1.1) and 3.4 bn (both, 1.7-9.0).

Run: ``PYTHONPATH=$PWD python tools/ga_ge_bans.py [--steady] [--feedback]``.
"""

from __future__ import annotations

import argparse

from supplychain import ExportControl, load_baseline, simulate
from supplychain.analytics import gdp_at_risk
from supplychain.analytics.impact import steady_loss
from supplychain.plotting.prices import market_prices

SEED = 42
CASES = {"Ga only": ("gallium", "gallium_crude"), "Ge only": ("germanium",),
         "Ga + Ge": ("gallium", "gallium_crude", "germanium")}
PUBLISHED = {"Ga only": 3.1, "Ge only": 0.4, "Ga + Ge": 3.4}
REGIONS = ("US", "JP", "KR", "TW", "ROW", "CN")


def _ban(scenario, commodities):  # type: ignore[no-untyped-def]
    return scenario.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=0)
                                  for k in commodities))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steady", action="store_true", help="also the settled run rate (minutes)")
    parser.add_argument("--feedback", action="store_true", help="price feedback on")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
