"""Japan, Korea and the US choose joint responses to Chinese export controls: which holds up, and where it fails.

Covers:
- an experiment file shipped with the package (``supplychain/data/experiments/trilateral_policies.toml``),
  also run by ``supplychain experiment trilateral_policies --out DIR``
- ``run_experiment``: four policies on the same Latin-hypercube sample of futures, common random numbers
- ``robustness_table`` (mean, percentiles, worst 5 %, regret, satisficing, paired intervals), the Pareto
  plot of policy cost against shortfall, and PRIM boxes of the futures in which each policy fails

Scenario:
  Policies: (a) no joint action, (b) a joint 90-day stockpile of gallium, germanium and graphite,
  (c) friend-shored refining capacity with its feedstock after an uncertain build lag, (d) both.
  Uncertainties: the start, duration, leakage and scope (germanium, graphite) of Chinese export
  controls, and whether, when, how long and how hard Taiwan's plants are disrupted. Two years.
"""

import argparse
import dataclasses
from pathlib import Path

import matplotlib

from supplychain.analytics.experiments import run_experiment
from supplychain.analytics.experiments.report import experiment_report, format_robustness
from supplychain.io.experiment import load_experiment
from supplychain.plotting.experiments import plot_pareto, plot_prim_trajectory

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 2026
HORIZON_DAYS = 730


def main(horizon, out, n_futures):
    exp = load_experiment("trilateral_policies")
    exp = dataclasses.replace(exp, seed=SEED, scenario=exp.scenario.with_horizon(horizon),
                              n_futures=n_futures or exp.n_futures)
    results = run_experiment(exp, progress=True)
    report = experiment_report(results)
    print(f"{len(results.strategies)} policies x {exp.n_futures} futures, {horizon} days")
    print(format_robustness(report.robustness[["mean", "p50", "p95", "worst5%_mean", "max_regret",
                                               "satisficing", "diff_vs_no_joint_action", "diff_low",
                                               "diff_high", "cost_mean"]]))
    for name, box in report.boxes.items():
        print(f"\n{name} fails in {report.failure_share[name]:.0%} of futures"
              + (":\n" + box.describe() if box is not None else ""))
    Path(out).mkdir(parents=True, exist_ok=True)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.5))
    plot_pareto(report.robustness, outcome_label="JP/KR/US critical shortfall", ax=ax1)
    failing = next((n for n in ("joint_stockpile", "both") if report.prim[n] is not None), None)
    if failing is not None:
        plot_prim_trajectory(report.prim[failing], ax=ax2, title=f"Where '{failing}' fails")
    results.table().to_csv(Path(out) / "trilateral_experiments.csv", index=False)
    path = Path(out) / "trilateral_policies.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the plot and the table")
    parser.add_argument("--futures", type=int, default=None,
                        help="futures (default: the file's 200; 12 for a horizon under a year, a quick check)")
    args = parser.parse_args()
    main(args.horizon, args.out, args.futures or (None if args.horizon >= 365 else 12))
