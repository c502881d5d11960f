"""2,000 runs of a Taiwan earthquake of uncertain duration: the 95 % band of the US shortfall.

Covers:
- a shock parameter given as a distribution: ``Scenario.with_uncertainty(path, distribution)``
- ``simulate(..., n_runs=2000, keep="summary")``: each run draws its own duration from its own
  seed stream (common random numbers: a second scenario run with the same seed sees the same quakes)
- per-run shortfall in USD by region (``ens.shortfall_usd_by_run``), its percentiles, and the daily 5-95 % band
- each run's drawn duration (``ens.parameters``, as the run used it: whole days) against its shortfall

Scenario:
  On 1 Mar 2025 an earthquake takes out 80 % of Taiwan's fab capacity, recovering linearly over
  30 days once the outage ends. How long the outage lasts is uncertain: a triangular distribution
  from 2 weeks to 6 months, most likely 6 weeks (assumption; the 1999 Chi-Chi earthquake stopped
  Hsinchu fabs for about two weeks, and 2021-22 showed how long chip shortages can last).
"""

import argparse
from pathlib import Path

import matplotlib
import numpy as np

import supplychain as sc

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 1999
HORIZON_DAYS = 365
N_RUNS = 2000


def main(horizon, out, n_runs):
    quake = sc.CapacityShock(id="quake", region="TW", stage="fab", fraction_lost=0.8, start=59, end=101,
                             recovery_days=30)
    scenario = (sc.load_baseline(horizon_days=horizon).with_shocks(quake)
                .with_uncertainty("shocks.quake.duration_days", sc.Triangular(14, 42, 182)))
    ens = sc.simulate(scenario, engine="vector", n_runs=n_runs, seed=SEED, keep="summary")
    us = ens.shortfall_usd_by_run("region")["US"].to_numpy()      # one row per run, USD at reference prices
    days = ens.parameters["shocks.quake.duration_days"].to_numpy()  # each run's outage, whole days
    low, mid, high = np.percentile(us, [2.5, 50, 97.5])
    print(f"{n_runs} runs: US shortfall median ${mid / 1e9:.2f}bn, 95 % band ${low / 1e9:.2f}bn "
          f"to ${high / 1e9:.2f}bn; P(any shortfall) {np.mean(us > 0):.0%}")
    band = ens.band("shortfall_usd", "US")          # percentiles (5, 25, 50, 75, 95) of the running total
    dates = np.array(ens.dates, dtype="datetime64[D]")
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(16, 4))
    ax1.hist(us / 1e9, bins=40, color="C0")
    ax1.axvspan(low / 1e9, high / 1e9, color="C1", alpha=0.2, label="95 % band")
    ax1.set(xlabel="US shortfall over the year ($bn)", ylabel="runs", title="US shortfall per run (shaded: 95 % band)")
    ax2.fill_between(dates, band[0] / 1e9, band[-1] / 1e9, alpha=0.3, label="5-95 % of runs")
    ax2.plot(dates, band[2] / 1e9, label="median run")
    ax2.axvspan(*dates[59:59 + 182][[0, -1]], color="0.5", alpha=0.15, label="outage: 2 weeks to 6 months")
    ax2.set(xlabel="date", ylabel="$bn", title="US shortfall to date, across runs")
    ax2.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(ax2.xaxis.get_major_locator()))
    ax2.legend()
    ax3.scatter(days, us / 1e9, s=6, alpha=0.5)
    ax3.set(xlabel="outage drawn for the run (days)", ylabel="US shortfall ($bn)", title="Shortfall against outage length")
    Path(out).mkdir(parents=True, exist_ok=True)
    path = Path(out) / "taiwan_earthquake_uncertain.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the plot")
    parser.add_argument("--runs", type=int, default=None,
                        help=f"runs in the ensemble (default {N_RUNS}; 100 for a horizon under a year, a quick check)")
    args = parser.parse_args()
    main(args.horizon, args.out, args.runs or (N_RUNS if args.horizon >= HORIZON_DAYS else 100))
