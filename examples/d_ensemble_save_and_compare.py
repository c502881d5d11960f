"""Thousands of runs, kept light: an ensemble saved, loaded back, compared on paired runs and drawn as fans.

Covers:
- ``simulate(..., keep="summary")``: per-run totals and daily percentile bands, not daily series
- ``EnsembleResults.save`` and ``supplychain.load_ensemble``
- paired runs (common random numbers): the mean change with its paired 95 % interval (``paired_interval``)
- ``EnsembleResults.shortfall``: per-run totals by region and by commodity, their spread over runs;
  ``compare`` and ``shortfall_summary`` of every group saved as CSV; ``plot_fan``

Scenario:
  The flagship scenario shipped with the package (``taiwan_blockade_magnets``:
  Taiwan's lanes closed for 60 days from 1 March 2025, a 180-day Chinese
  NdFeB magnet ban, Japanese and Korean reserves released) on the baseline
  with random lead times, so each of the runs (RUNS by default) differs; run i of the shocked
  and of the unshocked ensemble share their draws (common random numbers).
"""

import argparse
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

import supplychain as sc
from supplychain.analytics.compare import format_percent, format_usd, paired_interval
from supplychain.plotting import plot_fan

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 7
RUNS = 1000


def between(low, middle, high):
    """The spread over runs, in as many digits as it takes to tell its ends apart."""
    if high - low < 1.0:
        return f"{format_usd(middle)} in every run"
    if format_usd(low) != format_usd(high) or middle == 0:
        return f"{format_usd(low)} to {format_usd(high)}"
    # Random lead times move each shipment by days; the shocks withhold months, so the runs hardly differ.
    return f"{format_usd(middle)} +/- {50 * (high - low) / middle:.2g}%"


def table(before, after, key):
    """Per group whose shortfall moved, largest change first: mean change, paired 95 % interval, spread, runs short."""
    price = {c.id: c.price_usd for c in before.scenario.network.commodities}
    unit = np.array([price[c] for c in before.coords.commodity["demand"]])   # each run's shortfall in USD, by group:
    b, a = (pd.DataFrame(e.shortfall * unit, columns=list(key)).T.groupby(level=0).sum().T for e in (before, after))
    b["all regions"], a["all regions"] = b.sum(axis=1), a.sum(axis=1)
    change = (a - b).mean().sort_values(ascending=False)
    rows = {}
    for group in change.index[change.abs() >= 1.0]:
        _, lo, hi = paired_interval(b[group].to_numpy(), a[group].to_numpy())
        rows[group] = {"shortfall change": format_usd(change[group], sign=True),
                       "paired 95% interval": f"{format_usd(lo)} to {format_usd(hi)}",
                       "shocked, 90% of runs": between(*np.percentile(a[group], [5, 50, 95])),
                       "runs short": format_percent(float((a[group] > 1.0).mean()), floor=False)}
    return pd.DataFrame(rows).T


def main(horizon, out, runs):
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    flagship = sc.load_example("taiwan_blockade_magnets")
    base = sc.load_baseline(horizon_days=horizon, start_date=flagship.start_date, random_lead_times=True)
    shocked = base.with_shocks(*flagship.shocks, *flagship.responses, name=f"{flagship.name}, random lead times")
    for name, scenario in (("baseline", base), ("shocked", shocked)):
        ens = sc.simulate(scenario, engine="vector", n_runs=runs, seed=SEED, keep="summary")
        print(f"saved {ens.save(folder / f'{name}.npz')} ({ens.nbytes() / 1e6:.1f} MB of arrays)")
    before, after = sc.load_ensemble(folder / "baseline.npz"), sc.load_ensemble(folder / "shocked.npz")
    print(f"{after.scenario.name}: {runs:,} paired runs of {horizon} days, shortfall at reference prices")
    print(table(before, after, before.coords.region["demand"]).to_string() + "\n")
    print(table(before, after, before.coords.commodity["demand"]).drop(index="all regions").to_string())
    lost = after.value_added_loss_total() - before.value_added_loss_total()
    print(f"Value added lost beyond the chain: {format_usd(lost.mean())} on average; over runs (5-95%): "
          f"{between(*np.percentile(lost, [5, 50, 95]))}")

    # Every region, commodity and end-use group (chip buyers and magnet users by segment) to files:
    changes = sc.compare(after, baseline=before)
    changes.to_csv(folder / "compare.csv", index=False)
    after.shortfall_summary().to_csv(folder / "shortfall_summary.csv", index=False)
    print(f"saved {folder / 'compare.csv'} ({len(changes):,} rows: every metric of every group, paired intervals) "
          f"and {folder / 'shortfall_summary.csv'} (spread over runs per region, commodity and end-use group)")
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
    plot_fan(after, before, ident="ALL", ax=axes[0])
    plot_fan(after, before, variable="service_level", ident="KR", ax=axes[1])
    fig.savefig(folder / "d_ensemble_save_and_compare.png", dpi=100)
    print(f"saved {folder / 'd_ensemble_save_and_compare.png'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the archives, the tables and the plot")
    parser.add_argument("--runs", type=int, default=None,
                        help=f"runs per ensemble (default {RUNS}; 100 for a horizon under a year, a quick check)")
    args = parser.parse_args()
    main(args.horizon, args.out, args.runs or (RUNS if args.horizon >= 365 else 100))
