"""A compound shock: a 60-day blockade of Taiwan plus a Chinese ban on NdFeB magnet exports.

Covers:
- composing shocks: ``LogisticsShock(through="TW", closed=True)`` and ``ExportControl(mode="ban")``
- responses: ``StockpileRelease`` of Japanese and Korean magnet reserves
- ``compare`` of each variant against one paired baseline

Scenario:
  From 1 Mar 2025 every international lane to or from Taiwan closes for 60
  days. At the same time China stops exporting NdFeB magnets for
  BAN_DAYS, as it restricted rare-earth magnets in April 2025 (MOFCOM/GACC
  Announcement 18/2025). Japan keeps a national stockpile of about 60 days of
  consumption (JOGMEC rare-metal stockpiling target); we give Korea the same
  (assumption).
  Reserves are released when a buyer's cover falls below RELEASE_BELOW_DAYS.
"""

import argparse
import datetime as dt
from pathlib import Path

import matplotlib

import supplychain as sc
from supplychain.analytics.compare import compare, format_usd
from supplychain.model import ExportControl, LogisticsShock, StockpileRelease
from supplychain.plotting import plot_timeseries, shade_shocks

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 2025
START = dt.date(2025, 1, 1)
HORIZON_DAYS = 365
SHOCK = dt.date(2025, 3, 1)
BLOCKADE_DAYS = 60
BAN_DAYS = 180
RESERVE_DAYS = 60                        # days of each region's magnet demand held in reserve
RELEASE_BELOW_DAYS = 30                  # release when cover falls below this
GROUPS = ("car_parts", "motors", "devices")   # magnet users' groups (Demand.segment), each with its own stock


def reserves(network):
    out = []
    for region in ("JP", "KR"):
        # the region's magnet users of every group (car_parts, motors, devices) draw on one reserve
        rate = sum(d.rate_per_day for d in network.demands if d.region == region and d.commodity == "ndfeb_magnet")
        out.append(StockpileRelease(region=region, commodity="ndfeb_magnet", reserve=RESERVE_DAYS * rate,
                                    release_below_cover_days=RELEASE_BELOW_DAYS, max_release_per_day=rate,
                                    start=SHOCK))
    return out


def main(horizon, out):
    base = sc.load_baseline(horizon_days=horizon, start_date=START)
    shocks = [LogisticsShock(through="TW", closed=True, start=SHOCK, end=SHOCK + dt.timedelta(BLOCKADE_DAYS)),
              ExportControl(exporter="CN", commodity="ndfeb_magnet", mode="ban", start=SHOCK,
                            end=SHOCK + dt.timedelta(BAN_DAYS))]
    variants = {"blockade + magnet ban": base.with_shocks(*shocks, name="compound"),
                "... + JP/KR stockpile release": base.with_shocks(*shocks, *reserves(base.network),
                                                                  name="compound + stockpiles")}
    b = sc.simulate(base, engine="vector", seed=SEED)
    fig, ax = plt.subplots(figsize=(9, 4))
    for name, scenario in variants.items():
        res = sc.simulate(scenario, engine="vector", seed=SEED)
        table = compare(res, baseline=b)
        print(f"[{name}]")
        short = table[table.metric == "shortfall_usd"].groupby("commodity")["change"].sum()
        for commodity, usd in short[short > 0].sort_values(ascending=False).head(5).items():
            print(f"  shortfall {commodity:16s} {format_usd(usd):>8}")
        magnets = table[(table.commodity == "ndfeb_magnet") & (table.metric == "fill_rate")]
        fill = magnets.set_index(["region", "segment"])["shocked"]   # a row per region and group of users
        print(f"  magnet fill rate ({' / '.join(GROUPS)}): " + "; ".join(
            f"{region} " + " / ".join(f"{fill[region, g]:.0%}" for g in GROUPS)
            for region in dict.fromkeys(magnets.region)))
        if "released" in res.arrays:
            print(f"  reserve released: {res.arrays['released'].sum() / res.n_runs:,.0f} t of "
                  f"{sum(s.reserve for s in reserves(base.network)):,.0f} t")
        plot_timeseries(res, "delivered", ["JP:ndfeb_magnet", "KR:ndfeb_magnet"], by="region_commodity", ax=ax,
                        linestyle="-" if "stockpile" in name else "--")
        for line, region in zip(ax.lines[-2:], ("JP", "KR")):
            line.set_label(f"{region} magnets, {name}")
    shade_shocks(ax, res.scenario).legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3)
    ax.set_title("Magnets delivered in Japan and Korea (the level before March is the baseline's)")
    Path(out).mkdir(parents=True, exist_ok=True)
    path = Path(out) / "05_taiwan_blockade_magnets.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the plot")
    args = parser.parse_args()
    main(args.horizon, args.out)
