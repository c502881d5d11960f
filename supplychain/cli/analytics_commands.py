"""The ``stress-test`` and ``benchmark`` subcommands (registered in :mod:`supplychain.cli`).

Each is a pair ``configure_<name>(parser)`` / ``cmd_<name>(args) -> int``,
following the convention of :mod:`supplychain.cli`.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

from ..datasets.scenarios import SCENARIO_DIR
from ..errors import SimulationWarning
from .arguments import resolve_scenario, whole_number
from .inputs import about_scenario
from .output import check_out_dir, write_folder

__all__ = ["configure_stress_test", "cmd_stress_test", "configure_benchmark", "cmd_benchmark"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="baseline",
                        help="'baseline' (default) or a scenario TOML file whose network is used")
    parser.add_argument("--runs", type=whole_number(1), default=None, metavar="N",
                        help="runs per scenario (default: 1 if nothing is random, else many)")
    parser.add_argument("--seed", type=whole_number(0), default=0, metavar="S",
                        help="root seed shared by every scenario (default: 0)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="also write the table (benchmark: CSV, Markdown and heatmap) into DIR")


def configure_stress_test(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``supplychain stress-test``."""
    _common(parser)
    parser.add_argument("--duration", type=whole_number(1), default=30, metavar="DAYS",
                        help="how long each knockout lasts (default: 30)")
    parser.add_argument("--ttr", type=float, default=None, metavar="DAYS",
                        help="time-to-recover given to the LP (default: --duration)")
    parser.add_argument("--method", choices=("both", "lp", "simulation"), default="both",
                        help="Simchi-Levi LPs, simulation, or both (default)")
    parser.add_argument("--top", type=whole_number(1), default=20, metavar="K", help="rows to print (default: 20)")


def _print_table(df: pd.DataFrame) -> None:
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:,.4g}".format):
        print(df.to_string())


def cmd_stress_test(args: argparse.Namespace) -> int:
    """Run the stress test and print the most exposed nodes."""
    from ..analytics.stress import stress_test
    if args.out is not None:
        check_out_dir(args.out)
    with about_scenario(args.scenario):
        network = resolve_scenario(args.scenario).network
        table = stress_test(network, duration_days=args.duration, ttr_days=args.ttr, method=args.method,
                            n_runs=args.runs, seed=args.seed, progress=not args.quiet)
    shown = table.drop(columns=["facilities", "aliases", "tts_ms", "pi_ms", "sim_ms"], errors="ignore")
    _print_table(shown.head(args.top))
    if args.out is not None:
        def write(tmp: Path) -> list[str]:
            table.assign(facilities=table["facilities"].map(" ".join)).to_csv(tmp / "stress_test.csv",
                                                                              index_label="scenario")
            return ["stress_test.csv"]
        write_folder(args.out, write)
        if not args.quiet:
            print(f"Wrote stress_test.csv to {args.out}", file=sys.stderr)
    return 0


def configure_benchmark(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``supplychain benchmark``."""
    _common(parser)
    parser.add_argument("--shock-day", type=whole_number(0), default=30, metavar="DAY",
                        help="day every standard catalogue shock starts; historical files keep their own dates (default: 30)")
    parser.add_argument("--duration", type=whole_number(1), default=90, metavar="DAYS",
                        help="how long the standard shocks last (default: 90)")
    parser.add_argument("--horizon", type=whole_number(1), default=None, metavar="DAYS",
                        help="simulated days (default: the scenario's horizon)")
    parser.add_argument("--scenarios", type=Path, default=SCENARIO_DIR, metavar="DIR",
                        help="folder of historical scenario files to add (default: the scenarios shipped with "
                             "the package, listed by 'supplychain scenarios')")


def cmd_benchmark(args: argparse.Namespace) -> int:
    """Run the policy-shock catalogue and print the scorecard as Markdown."""
    from ..analytics.scorecard import scorecard, scorecard_markdown, standard_catalogue
    if args.out is not None:
        check_out_dir(args.out)
    if not args.scenarios.is_dir():
        warnings.warn(f"--scenarios {args.scenarios}: no such folder; no historical scenarios added",
                      SimulationWarning, stacklevel=1)
    with about_scenario(args.scenario):
        base = resolve_scenario(args.scenario).without_shocks()
        catalogue = standard_catalogue(base.network, start=args.shock_day, duration_days=args.duration,
                                       scenario_dir=args.scenarios)
        card = scorecard(catalogue, baseline=base, n_runs=args.runs, seed=args.seed,
                         horizon_days=args.horizon, progress=not args.quiet)
    text = scorecard_markdown(card)
    print(text)
    if args.out is not None:
        write_folder(args.out, lambda tmp: _write_benchmark(card, text, tmp))
        if not args.quiet:
            print(f"Wrote scorecard.csv, scorecard.md, scorecard.png to {args.out}", file=sys.stderr)
    return 0


def _write_benchmark(card: pd.DataFrame, markdown: str, out: Path) -> list[str]:
    from matplotlib.figure import Figure

    from ..plotting.resilience import plot_scorecard
    card.to_csv(out / "scorecard.csv", index_label="shock")
    (out / "scorecard.md").write_text(markdown + "\n", encoding="utf-8")
    fig = Figure(figsize=(11, 1.5 + 0.32 * len(card)), layout="constrained")
    plot_scorecard(card, ax=fig.subplots())
    fig.savefig(out / "scorecard.png", dpi=110)
    return ["scorecard.csv", "scorecard.md", "scorecard.png"]
