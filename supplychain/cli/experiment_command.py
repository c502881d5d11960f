"""The ``experiment`` subcommand: run an experiment file and report which policies hold up, and where they fail.

A pair ``configure_experiment(parser)`` / ``cmd_experiment(args) -> int``,
registered in `supplychain.cli.app`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .._format import format_units, format_usd
from .arguments import whole_number
from .output import check_out_dir, write_folder

__all__ = ["configure_experiment", "cmd_experiment"]


def configure_experiment(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``supplychain experiment``."""
    parser.add_argument("file", help="an experiment TOML file, or a shipped one by name (e.g. trilateral_policies)")
    parser.add_argument("--futures", type=whole_number(1), default=None, metavar="N",
                        help="number of futures (default: the file's n_futures)")
    parser.add_argument("--seed", type=whole_number(0), default=None, metavar="S",
                        help="root seed of the futures and runs (default: the file's)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write experiments.csv, robustness.csv, prim_boxes.csv, pareto.png and "
                             "prim_<policy>.png into DIR (all or nothing)")


def cmd_experiment(args: argparse.Namespace) -> int:
    """Run the experiment, print the robustness table and PRIM boxes, and write the outputs if asked."""
    import dataclasses

    from ..analytics.experiments.report import experiment_report, format_robustness
    from ..analytics.experiments.runner import run_experiment
    from ..io.experiment import load_experiment

    if args.out is not None:
        check_out_dir(args.out)
    exp = load_experiment(args.file)
    changes: dict[str, int] = {}
    if args.futures is not None:
        changes["n_futures"] = args.futures
    if args.seed is not None:
        changes["seed"] = args.seed
    exp = dataclasses.replace(exp, **changes) if changes else exp
    n_policies = len(exp.strategies) or None
    if not args.quiet:
        print(f"Experiment {exp.name!r}: {n_policies or 'lever-design'} policies x {exp.n_futures} futures x "
              f"{exp.replications} replication(s), {exp.scenario.horizon_days} days, {exp.engine} engine, "
              f"seed {exp.seed}", file=sys.stderr)
    t0 = time.perf_counter()
    res = run_experiment(exp, progress=not args.quiet and sys.stderr.isatty())
    seconds = time.perf_counter() - t0
    report = experiment_report(res)
    primary = str(exp.primary)
    usd = exp.outcome(primary).kind in ("shortfall_usd", "policy_cost")
    print(f"{exp.name}: {len(res.strategies)} policies x {exp.n_futures} futures ({res.values.shape[0] * exp.n_futures * exp.replications} runs) in {seconds:.0f} s")
    print()
    print(f"Robustness of each policy on {primary!r} over the same futures (lower is better):")
    print(format_robustness(report.robustness, usd=usd))
    if exp.threshold is not None:
        print()
        limit = format_usd(exp.threshold) if usd else format_units(exp.threshold)
        print(f"Where each policy fails ({primary} above {limit}), PRIM boxes over the uncertainties:")
        for name in res.policy_names:
            share = report.failure_share[name]
            box = report.boxes[name]
            print(f"- {name}: fails in {share:.0%} of futures" + ("" if box is not None else " (no box)"))
            if box is not None:
                print("  " + box.describe(exp.scenario.start_date).replace("\n", "\n  "))
    if args.out is not None:
        names = write_folder(args.out, lambda tmp: _write(tmp, res, report))
        print()
        print(f"Wrote {', '.join(names)} to {args.out}")
    return 0


def _write(folder: Path, res: object, report: object) -> list[str]:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from ..analytics.experiments.robust import robustness_table
    from ..plotting.experiments import plot_pareto, plot_prim_trajectory

    exp = res.experiment  # type: ignore[attr-defined]
    res.table().to_csv(folder / "experiments.csv", index=False)  # type: ignore[attr-defined]
    tables = [robustness_table(res, o, cost=exp.cost).assign(outcome=o).reset_index()  # type: ignore[arg-type]
              for o in res.outcome_names]  # type: ignore[attr-defined]
    pd.concat(tables, ignore_index=True).to_csv(folder / "robustness.csv", index=False)
    names = ["experiments.csv", "robustness.csv"]
    boxes = [b.limits.assign(policy=name, coverage=b.coverage, density=b.density, mass=b.mass).reset_index()
             for name, b in report.boxes.items() if b is not None]  # type: ignore[attr-defined]
    if boxes:
        pd.concat(boxes, ignore_index=True).to_csv(folder / "prim_boxes.csv", index=False)
        names.append("prim_boxes.csv")
    if exp.cost is not None:
        ax = plot_pareto(report.robustness, outcome_label=str(exp.primary))  # type: ignore[attr-defined]
        ax.figure.tight_layout()
        ax.figure.savefig(folder / "pareto.png", dpi=110)
        plt.close(ax.figure)
        names.append("pareto.png")
    for name, result in report.prim.items():  # type: ignore[attr-defined]
        if result is not None:
            ax = plot_prim_trajectory(result, title=f"Where '{name}' fails: PRIM peeling trajectory")
            ax.figure.tight_layout()
            ax.figure.savefig(folder / f"prim_{name}.png", dpi=110)
            plt.close(ax.figure)
            names.append(f"prim_{name}.png")
    return names
