"""The ``supplychain`` command: run scenarios and show the built-in data.

Each subcommand is a pair of functions, ``configure_<name>(parser)`` adding
its arguments and ``cmd_<name>(args) -> int`` doing the work, registered in
`COMMANDS`. To add one, write the pair in a module of its own and append a `Command`.
The modules, one job each: `.parser` (the argument parser: one-line usage
errors, "did you mean", ``--version``), `.run_command` (``run`` and the text it
prints), `.out_folder` (what ``run --out`` writes; `.figures` its plots,
`.archive_size` its archives' sizes), `.listing_commands` (``scenarios``,
``data``), `.analytics_commands` (``stress-test``, ``benchmark``),
`.experiment_command`; this module holds the list and the entry point.
Usage errors (an unknown option, a bad value, options that contradict each
other) print one line naming the subcommand, ``supplychain run: error:
<message> (see 'supplychain run --help')``, and exit with status 2. Other
errors the user can fix (any `SupplyChainError`
and file errors) print one line, ``supplychain: error: <message>``, and exit
with status 2; errors found while simulating a scenario file name the file
(see `about_scenario`). Ctrl-C prints
``supplychain: interrupted`` and exits with 130, SIGTERM ``supplychain:
terminated`` and 143; output folders are written all or nothing
(`supplychain.cli.output`).

Examples
--------
>>> main(["--version"])  # doctest: +ELLIPSIS
supplychain ...
0
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from .._progress import step_lines
from ..errors import SupplyChainError
from ..results.text import format_summary
from ..run.chunks import reuse_workers
from . import analytics_commands as _analytics
from . import experiment_command as _experiment
from . import listing_commands as _listing
from . import run_command as _run
from .archive_size import archive_bytes
from .arguments import UsageError, resolve_scenario
from .figures import cover_commodities
from .out_folder import describe_files, planned_files, write_outputs, write_summary
from .output import Terminated, sigterm_raises
from .parser import Command, make_parser, version_text
from .run_command import SERIES_RUN_LIMIT, format_shortfall_distribution, has_shocks, series_bytes

__all__ = ["main", "build_parser", "Command", "COMMANDS", "resolve_scenario", "format_summary",
           "has_shocks", "write_outputs", "write_summary", "planned_files", "describe_files",
           "format_shortfall_distribution", "series_bytes", "SERIES_RUN_LIMIT", "archive_bytes", "cover_commodities",
           "version_text"]

#: Subcommands in the order ``--help`` lists them.
COMMANDS: list[Command] = [
    Command("run", "simulate a scenario and print what its shocks change (or, without shocks, its summary)",
            _run.configure_run, _run.cmd_run),
    Command("scenarios", "list the shock scenarios shipped with the package, with one line each",
            _listing.configure_scenarios, _listing.cmd_scenarios),
    Command("data", "show where the built-in baseline figures come from", _listing.configure_data,
            _listing.cmd_data),
    Command("stress-test", "knock out each facility, region-stage and exporter in turn and rank them",
            _analytics.configure_stress_test, _analytics.cmd_stress_test),
    Command("benchmark", "run the catalogue of standard policy shocks and print a resilience scorecard",
            _analytics.configure_benchmark, _analytics.cmd_benchmark),
    Command("experiment", "run policies across uncertain futures: robustness table, Pareto plot, PRIM boxes",
            _experiment.configure_experiment, _experiment.cmd_experiment),
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand (`COMMANDS`).

    Examples
    --------
    >>> build_parser().parse_args(["run", "baseline", "--runs", "2"]).runs
    2
    """
    return make_parser(COMMANDS)


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


def _warning_printer() -> Any:
    """A ``warnings.showwarning`` that prints each distinct warning once per command.

    A command compiles its scenario more than once (the shocked run, its baseline, the comparison),
    so one shock past the horizon would otherwise warn once per compilation.
    """
    seen: set[str] = set()

    def show(message: Any, category: type[Warning], filename: str, lineno: int,
             file: Any = None, line: str | None = None) -> None:
        text = f"supplychain: warning: {_one_line(Exception(str(message)))}"
        if text not in seen:
            seen.add(text)
            print(text, file=sys.stderr)
    return show


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
        warnings.showwarning = _warning_printer()
        try:
            # One worker pool for every ensemble of the command, and progress a log can show.
            with sigterm_raises(), step_lines(), reuse_workers():
                return int(args.handler(args))
        except BrokenPipeError:
            # The reader went away (``supplychain data | head``): not an error worth a message.
            _silence_stdout()
            return 141
        except UsageError as exc:
            prog = f"supplychain {args.command}"
            print(f"{prog}: error: {_one_line(exc)} (see '{prog} --help')", file=sys.stderr)
            return 2
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
