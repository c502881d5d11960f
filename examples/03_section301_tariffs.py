"""US Section 301 tariff increases on Chinese goods, 2024-2026: costs and trade diversion.

Covers:
- ``Tariff`` with rates stacked on tariffs already in force, in three tranches
- CES sourcing shifts with the value chain's switching lag, limited by capacity
- ``compare``: tariff paid, landed cost, import shares by partner

Scenario:
  USTR's four-year review (final rule 13 Sep 2024, 89 FR 76581) raised
  tariffs on Li-ion EV batteries (7.5 -> 25 %) and critical minerals
  (0 -> 25 %) from 27 Sep 2024, semiconductors (25 -> 50 %) from 1 Jan 2025,
  and permanent magnets (0 -> 25 %) from 1 Jan 2026. The rates in force
  before (7.5 % on batteries, 25 % on chips) count in costs, but the
  baseline shares already reflect them. One Li-ion commodity takes the EV
  date. Natural graphite (25 % from 2026) has no US import lane in the
  baseline.
"""

import argparse
import datetime as dt
from pathlib import Path

import matplotlib

import supplychain as sc
from supplychain.analytics.compare import compare, format_usd
from supplychain.model import Tariff

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 301
START = dt.date(2024, 7, 1)
HORIZON_DAYS = 913                       # to the end of 2026
BEFORE = dt.date(2018, 7, 6)             # List 1 tariffs in force long before the scenario
# No US lane brings Chinese memory wafers (the shipped section301_2024 taxes chips by their wafers' origin instead).
CHIPS = ("memory_chip", "logic_chip", "mature_chip", "mature_idm_chip", "mature_wafer", "mature_idm_wafer")
# (commodities, rate in force before, increase, effective date) -- USTR, 89 FR 76581
TRANCHES = [
    (("li_ion_cell", "cam", "aam", "aam_synthetic"), 0.075, 0.175, dt.date(2024, 9, 27)),
    (("gallium", "germanium"), 0.0, 0.25, dt.date(2024, 9, 27)),
    (CHIPS, 0.25, 0.25, dt.date(2025, 1, 1)),
    (("ndfeb_magnet",), 0.0, 0.25, dt.date(2026, 1, 1)),
]


def section301():
    shocks = []
    for commodities, before, increase, effective in TRANCHES:
        for c in commodities:
            if before:
                shocks.append(Tariff(importer="US", exporter="CN", commodity=c, rate=before, start=BEFORE))
            shocks.append(Tariff(importer="US", exporter="CN", commodity=c, rate=increase, start=effective))
    return shocks


def main(horizon, out):
    base = sc.load_baseline(horizon_days=horizon, start_date=START)
    # The tariffs already in force belong to both runs, so the difference is the 2024 review alone.
    in_force = [s for s in section301() if s.start == BEFORE]
    before = sc.simulate(base.with_shocks(*in_force, name="tariffs in force"), engine="vector", seed=SEED)
    after = sc.simulate(base.with_shocks(*section301(), name="Section 301 review"), engine="vector", seed=SEED)
    table = compare(after, baseline=before)
    us = table[table.region == "US"]
    paid = us[us.metric == "tariff_paid_usd"].set_index("commodity")
    years = horizon / 365.25
    print(f"US tariff paid on Chinese goods: {format_usd(paid.baseline.sum() / years)} -> "
          f"{format_usd(paid.shocked.sum() / years)} a year")
    print("US imports from China (share of imports) and landed cost per unit:")
    for c in [c for group in TRANCHES for c in group[0]]:
        share = us[(us.metric == "import_share") & (us.commodity == c) & (us.partner == "CN")]
        cost = us[(us.metric == "landed_cost_usd_per_unit") & (us.commodity == c)]
        if len(share) and len(cost):
            s, k = share.iloc[0], cost.iloc[0]
            print(f"  {c:16s} CN share {s.baseline:6.1%} -> {s.shocked:6.1%}   landed cost "
                  f"{k.change / k.baseline:+6.1%}")
    gains = us[(us.metric == "import_share") & (us.partner != "CN")].groupby("partner")["change"].sum()
    print("Trade diversion, sum of import-share changes by partner:",
          ", ".join(f"{p} {v:+.2f}" for p, v in gains.sort_values().items()))
    short = table[table.metric == "shortfall_usd"]["change"].sum()
    print(f"Change in final-demand shortfall (alternative suppliers' capacity): {format_usd(short, sign=True)}")
    fig, ax = plt.subplots(figsize=(8, 5))
    tariffed = {c: f"{c} (from {day:%b %Y})" for group, _, _, day in TRANCHES for c in group}
    shares = us[(us.metric == "import_share") & (us.partner == "CN") & us.commodity.isin(list(tariffed))]
    shares.set_index(shares.commodity.map(tariffed))[["baseline", "shocked"]].rename(
        columns={"baseline": "tariffs in force before", "shocked": "with the 2024 review"}).plot.barh(ax=ax)
    ax.invert_yaxis()
    ax.set(xlabel=f"US import share from China, mean {START:%b %Y} to {base.date_of(horizon - 1):%b %Y}", ylabel="")
    ax.set_title("Section 301 review: the US buys less from China")
    Path(out).mkdir(parents=True, exist_ok=True)
    path = Path(out) / "03_section301_tariffs.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the plot")
    main(**vars(parser.parse_args()))
