"""The ``supplychain`` command: run scenarios and show the built-in data.

Each subcommand is a pair of functions, ``_configure_<name>(parser)`` adding
its arguments and ``_cmd_<name>(args) -> int`` doing the work, registered in
:data:`COMMANDS`. To add one, write the pair and append a :class:`Command`.
Errors the user can fix (any :class:`~supplychain.errors.SupplyChainError`
and file errors) print one line, ``supplychain: error: <message>``, and exit
with status 2; errors found while simulating a scenario file name the file
(see :func:`~supplychain.cli.inputs.about_scenario`). Ctrl-C prints
``supplychain: interrupted`` and exits with 130, SIGTERM ``supplychain:
terminated`` and 143; output folders are written all or nothing
(:mod:`supplychain.cli.output`).

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
supplychain ...
0
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._progress import PhaseBar
from .._version import __version__
from ..analytics.compare import format_percent, format_usd
from ..errors import SupplyChainError
from ..run.simulate import ENGINES
from . import analytics_commands as _analytics
from . import experiment_command as _experiment
from .arguments import resolve_scenario, whole_number
from .inputs import about_scenario, check_results
from .output import Terminated, check_out_dir, sigterm_raises, write_folder

#: Above this many runs, ``run`` keeps per-run summaries and percentile bands, not daily series.
SERIES_RUN_LIMIT = 50

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario
    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["main", "build_parser", "Command", "COMMANDS", "resolve_scenario", "format_summary",
           "has_shocks", "write_outputs", "write_summary"]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, argument set-up and handler."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


# Shared helpers -------------------------------------------------------------------------------
def _qty(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.1f}" if abs(x) >= 10 else f"{x:.3g}"


# Money and shares in the one format of every table (supplychain.analytics.compare).
_usd = format_usd
_pct = format_percent


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], n_left: int) -> list[str]:
    """Plain-text columns: the first ``n_left`` left-aligned, the rest right-aligned."""
    widths = [max(len(str(v)) for v in col) for col in zip(headers, *rows)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i < n_left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]


def _run_head(results: Results | EnsembleResults) -> str:
    s = results.scenario
    runs = f"{results.n_runs} run" + ("s (means over runs)" if results.n_runs > 1 else "")
    return (f"Scenario '{s.name}': {results.engine} engine, {runs}, seed {results.seed}, "
            f"{s.horizon_days} days from {s.start_date.isoformat()}")


def has_shocks(scenario: Scenario) -> bool:
    """Whether ``scenario`` has a disruption or response beyond the standing conditions in force on day 0.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> has_shocks(load_baseline())
    False
    """
    return bool(scenario.responses) or len(scenario.shocks) > len(scenario.in_force())


def format_summary(results: Results | EnsembleResults) -> str:
    """The run's summary table, formatted for a terminal.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> print(format_summary(res).splitlines()[0])  # doctest: +ELLIPSIS
    Scenario 'baseline': des engine, 1 run, seed 0, 10 days from ...
    """
    table = results.summary()
    head = _run_head(results)
    headers = ["region", "commodity", "unit", "demand", "delivered", "fill rate", "delivery rate",
               "days in stock", "shortfall", "shortfall USD"]
    rows = [[str(r["region"]), str(r["commodity"]), str(r["unit"]), _qty(r["demand"]), _qty(r["delivered"]),
             _pct(r["fill_rate"]), _pct(r["delivery_rate"]), _pct(r["cycle_service_level"]),
             _qty(r["shortfall"]), _usd(r["shortfall_usd"])]
            for r in table.to_dict("records")]
    legend = ("fill rate: demand served from stock on the day it arose; delivery rate: delivered by the "
              "horizon, late backorders included; days in stock: share of days without a stockout.")
    total = f"Total shortfall: {_usd(float(table['shortfall_usd'].sum()))}"
    return "\n".join([head, ""] + _table(headers, rows, n_left=3) + ["", legend, total])


# Output folder --------------------------------------------------------------------------------
def _grid(n_panels: int, ncols: int, size: tuple[float, float]) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure
    ncols = min(ncols, max(1, n_panels))
    nrows = math.ceil(n_panels / ncols) or 1
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    return fig, list(fig.subplots(nrows, ncols, squeeze=False).flat)


def _headline_commodities(results: Results, n: int = 4) -> list[str]:
    """The ``n`` commodities most worth a flow plot: largest shortfall, then largest cross-border trade."""
    import numpy as np
    short = results.summary().groupby("commodity")["shortfall_usd"].sum()
    price = {c.id: c.price_usd for c in results.scenario.network.commodities}
    cross = np.array([a != b for a, b in (p.split(">") for p in results.coords.region["lane"])])
    shipped = results.flow.sum(axis=1).mean(axis=0) * cross
    trade: dict[str, float] = {}
    for commodity, value in zip(results.coords.commodity["lane"], shipped):
        trade[commodity] = trade.get(commodity, 0.0) + float(value) * price[commodity]
    return sorted(trade, key=lambda c: (-short.get(c, 0.0), -trade[c], c))[:n]


def _save_figures(results: Results, folder: Path) -> list[str]:
    """``timeseries.png`` (delivered vs demand per region) and ``flows.png`` (headline commodities)."""
    from ..plotting.results import plot_flows, plot_timeseries
    regions = sorted(set(results.coords.region["demand"]))
    fig, axes = _grid(len(regions), 3, (5.0, 3.2))
    for ax, region in zip(axes, regions):
        plot_timeseries(results, "demand", region, ax=ax, by="region", usd=True, color="0.5",
                        linestyle="--", band=None)
        plot_timeseries(results, "delivered", region, ax=ax, by="region", usd=True, color="C0")
        ax.set_title(f"{region}: delivered vs demand", fontsize="medium")
        ax.set_ylabel("USD/day at reference prices")
        ax.set_ylim(bottom=0.0)  # a drop reads as a share of demand, not as a wiggle
    fig.savefig(folder / "timeseries.png", dpi=110)
    commodities = _headline_commodities(results)
    fig, axes = _grid(len(commodities), 2, (4.6, 4.0))
    for ax, commodity in zip(axes, commodities):
        plot_flows(results, commodity, ax=ax)
    fig.savefig(folder / "flows.png", dpi=110)
    return ["timeseries.png", "flows.png"]


def write_outputs(results: Results, out: Path, *, compare: pd.DataFrame | None = None) -> list[str]:
    """Write ``results.npz``, ``summary.csv``, PNG plots and ``compare.csv`` into ``out``, all or nothing.

    ``compare`` is the table of :func:`~supplychain.analytics.compare.compare_to_unshocked`, if any.
    """
    def write(tmp: Path) -> list[str]:
        results.save(tmp / "results.npz")
        results.summary().to_csv(tmp / "summary.csv", index=False)
        names = ["results.npz", "summary.csv", *_save_figures(results, tmp)]
        if compare is not None:
            compare.to_csv(tmp / "compare.csv", index=False)
            names.append("compare.csv")
        return names
    return write_folder(out, write)


def write_summary(results: EnsembleResults, out: Path) -> list[str]:
    """Write ``summary.csv`` and ``bands.csv`` (daily percentile bands) of an ensemble, all or nothing."""
    import numpy as np
    import pandas as pd

    def write(tmp: Path) -> list[str]:
        results.summary().to_csv(tmp / "summary.csv", index=False)
        bands = [pd.DataFrame({"series": name, "group": group, "quantile": q,
                               "day": np.arange(results.n_days), "value": results.band(name, group)[k]})
                 for name in results.bands for group in results.band_groups
                 for k, q in enumerate(results.quantiles)]
        pd.concat(bands, ignore_index=True).to_csv(tmp / "bands.csv", index=False)
        return ["summary.csv", "bands.csv"]
    return write_folder(out, write)


# Subcommands ----------------------------------------------------------------------------------
def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="'baseline', a shipped scenario by name (listed by 'supplychain "
                                         "scenarios', e.g. taiwan_blockade_magnets) or a scenario TOML file")
    parser.add_argument("--engine", choices=ENGINES, default="des",
                        help="des: SimPy discrete-event engine; vector: NumPy Monte Carlo (default: des)")
    parser.add_argument("--runs", type=whole_number(1), default=1, metavar="N", help="number of runs (default: 1)")
    parser.add_argument("--seed", type=whole_number(0), default=None, metavar="S",
                        help="root seed (default: the scenario's, else fresh and printed)")
    parser.add_argument("--horizon", type=whole_number(1), default=None, metavar="DAYS",
                        help="simulate this many days instead of the scenario's horizon")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write results.npz, summary.csv and plots into DIR")
    parser.add_argument("--all", action="store_true",
                        help="also print the full summary table, every region and commodity")
    parser.add_argument("--compare", choices=["baseline"], default=None,
                        help="run the scenario without its shocks too (same seed: paired runs) and print what "
                             "changed; the default for a scenario with shocks and at most "
                             f"{SERIES_RUN_LIMIT} runs; with --out, write compare.csv")


def _cmd_run(args: argparse.Namespace) -> int:
    from ..run.simulate import simulate
    if args.out is not None:
        check_out_dir(args.out)  # before the work, not after it
    phases = ["loading scenario", f"simulating {args.runs} run(s) on {args.engine}"]
    # A scenario with shocks is compared with its unshocked baseline unless the ensemble is too big
    # for daily series (then only when asked with --compare, and the note below says so).
    may_compare = args.compare == "baseline" or args.runs <= SERIES_RUN_LIMIT
    phases += ["comparing with the unshocked scenario"] if may_compare else []
    phases += ["writing outputs"] if args.out is not None else []
    table = None
    with about_scenario(args.scenario), PhaseBar(phases, enabled=not args.quiet) as bar:
        bar.step(phases[0])
        scenario = resolve_scenario(args.scenario)
        if args.horizon is not None:
            scenario = scenario.with_horizon(args.horizon)
        shocked = has_shocks(scenario)
        do_compare = args.compare == "baseline" or (shocked and may_compare)
        bar.step(phases[1])
        # Daily series of every run grow with runs x days x items; big ensembles keep summaries only.
        keep = "summary" if args.runs > SERIES_RUN_LIMIT and not do_compare else "series"
        results = simulate(scenario, engine=args.engine, n_runs=args.runs, seed=args.seed, keep=keep,
                           progress=not args.quiet and args.runs > 1)
        check_results(results)  # an extreme value the model let through must not end in a silent NaN
        if do_compare:
            from ..analytics.compare import compare_to_unshocked, format_changes
            bar.step(phases[2])
            table = compare_to_unshocked(results)
            if args.all:
                text = format_summary(results) + "\n\n" + format_changes(table)
            else:
                text = (_run_head(results) + "\n\n" + format_changes(table)
                        + "\nThe full summary of every region and commodity: --all.")
        else:
            text = format_summary(results)
            if not shocked:
                text += ("\n\nNo shock in this scenario, so nothing to compare. Run a shipped shock scenario, "
                         "e.g. 'supplychain run taiwan_blockade_magnets'; 'supplychain scenarios' lists them.")
            else:
                text += (f"\n\nNot compared with the unshocked baseline: more than {SERIES_RUN_LIMIT} runs keep "
                         "summaries only. Add --compare baseline to compare (it keeps daily series).")
        if args.out is not None:
            bar.step(phases[-1])
            # Everything, compare.csv included, lands in one step: an interrupt leaves nothing.
            names = (write_outputs(results, args.out, compare=table) if keep == "series"
                     else write_summary(results, args.out))
    print(text)
    if args.out is not None and not args.quiet:
        print(f"Wrote {', '.join(names)} to {args.out}", file=sys.stderr)
    return 0


def _configure_scenarios(parser: argparse.ArgumentParser) -> None:
    """No arguments: the list covers every shipped scenario."""


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from ..datasets.scenarios import SCENARIO_DIR, scenarios
    listed = scenarios()
    width = max(map(len, listed), default=0)
    print("Scenarios shipped with supplychain (run one with 'supplychain run NAME'):")
    for name, description in listed.items():
        print(f"  {name.ljust(width)}  {description}")
    print(f"Files in {SCENARIO_DIR}; 'baseline' is the unshocked network.")
    return 0


def _configure_data(parser: argparse.ArgumentParser) -> None:
    """No arguments: the table covers the whole built-in dataset."""


def _cmd_data(args: argparse.Namespace) -> int:
    try:
        from ..datasets.baseline import baseline_provenance, format_provenance
    except ImportError as exc:
        raise SupplyChainError(f"the built-in baseline dataset is not available ({exc}).") from None
    print(format_provenance(baseline_provenance()))
    return 0


#: Subcommands in the order ``--help`` lists them.
COMMANDS: list[Command] = [
    Command("run", "simulate a scenario and print what its shocks change (or, without shocks, its summary)",
            _configure_run, _cmd_run),
    Command("scenarios", "list the shock scenarios shipped with the package, with one line each",
            _configure_scenarios, _cmd_scenarios),
    Command("data", "show where the built-in baseline figures come from", _configure_data, _cmd_data),
    Command("stress-test", "knock out each facility, region-stage and exporter in turn and rank them",
            _analytics.configure_stress_test, _analytics.cmd_stress_test),
    Command("benchmark", "run the catalogue of standard policy shocks and print a resilience scorecard",
            _analytics.configure_benchmark, _analytics.cmd_benchmark),
    Command("experiment", "run policies across uncertain futures: robustness table, Pareto plot, PRIM boxes",
            _experiment.configure_experiment, _experiment.cmd_experiment),
]


# Entry point ----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="supplychain",
        description="Simulate critical-mineral, battery and semiconductor flows among JP, KR, US, CN, "
                    "TW and ROW under tariffs, export controls and disruptions.")
    parser.add_argument("--version", action="version", version=f"supplychain {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--quiet", action="store_true", help="no progress bar or status messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        child = sub.add_parser(command.name, help=command.help, description=command.help, parents=[common])
        command.configure(child)
        child.set_defaults(handler=command.handler)
    return parser


#: Longest error line printed; messages bound the values they quote, this bounds everything else.
_MAX_LINE = 1000


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = " ".join(str(exc).split())
    return text if len(text) <= _MAX_LINE else text[:_MAX_LINE] + "..."


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced by a non-file (tests, notebooks)
        pass


def _show_warning(message: Any, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    print(f"supplychain: warning: {_one_line(Exception(str(message)))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``supplychain`` command and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 on a usage, scenario or file error, 130 after Ctrl-C,
        143 after SIGTERM (which, while ``main`` runs, raises instead of killing
        the process at once, so that partial output is removed).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: return the status, do not exit
        return exc.code if isinstance(exc.code, int) else 2
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            with sigterm_raises():
                return int(args.handler(args))
        except BrokenPipeError:
            # The reader went away (``supplychain data | head``): not an error worth a message.
            _silence_stdout()
            return 141
        except (SupplyChainError, OSError) as exc:
            print(f"supplychain: error: {_one_line(exc)}", file=sys.stderr)
            return 2
        except Terminated:
            print("supplychain: terminated", file=sys.stderr)
            return 143
        except KeyboardInterrupt:
            print("supplychain: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    raise SystemExit(main())
