"""Thousands of runs, kept light: an ensemble saved, loaded back, compared on paired runs and drawn as fans.

Covers:
- ``simulate(..., keep="summary")``: per-run totals and daily percentile bands, not daily series
- ``EnsembleResults.save`` and ``supplychain.load_ensemble``
- ``compare`` of two ensembles on common random numbers: mean change with a paired 95 % interval
- ``EnsembleResults.shortfall_summary`` (shortfall percentiles, chance of any shortfall) and ``plot_fan``

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

import supplychain as sc
from supplychain.analytics.compare import format_percent, format_usd
from supplychain.plotting import plot_fan

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 7
RUNS = 1000


def between(low, middle, high):
    """Where 90 % of runs fall, in as many digits as it takes to tell the ends apart."""
    if format_usd(low) != format_usd(high) or middle == 0:
        return f"90% of runs between {format_usd(low)} and {format_usd(high)}"
    # The lead times drawn move each shipment by days; the shortfall is set by the months of supply the
    # blockade and the ban withhold, so the runs hardly differ.
    return (f"90% of runs within {100 * (high - low) / middle:.2g}% of {format_usd(middle)} "
            f"({low:,.0f} to {high:,.0f} USD: random lead times move shipments by days, the shocks withhold months)")


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
    table = sc.compare(before, after)
    moved = table[(table.metric == "shortfall_usd") & (table.change.abs() > 0)]
    for r in moved.itertuples():   # chip buyers and magnet users: a row per end-use group, as below
        segment = f" ({r.segment} buyers)" if r.segment else ""
        print(f"{r.region} {r.commodity}{segment} shortfall: {format_usd(r.change, sign=True)} on average "
              f"(paired 95% interval {format_usd(r.change_lo)} to {format_usd(r.change_hi)})")
    spread = after.shortfall_summary()
    for r in spread[spread.p_shortfall > 0].itertuples():
        segment = f" ({r.segment} buyers)" if r.segment not in ("", "ALL") else ""   # a stock per end-use group
        print(f"{r.region} {r.commodity}{segment}: short in {format_percent(r.p_shortfall, floor=False)} of runs, "
              + between(r.shortfall_usd_p5, r.shortfall_usd_p50, r.shortfall_usd_p95))
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
    plot_fan(after, before, ident="ALL", ax=axes[0])
    plot_fan(after, before, variable="service_level", ident="KR", ax=axes[1])
    path = folder / "d_ensemble_save_and_compare.png"
    fig.savefig(path, dpi=100)
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the archives and the plot")
    parser.add_argument("--runs", type=int, default=None,
                        help=f"runs per ensemble (default {RUNS}; 100 for a horizon under a year, a quick check)")
    args = parser.parse_args()
    main(args.horizon, args.out, args.runs or (RUNS if args.horizon >= 365 else 100))
