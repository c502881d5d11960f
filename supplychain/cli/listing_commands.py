"""The ``scenarios`` and ``data`` subcommands: what is shipped, and where the built-in figures come from.

Pairs ``configure_<name>(parser)`` / ``cmd_<name>(args) -> int``, registered in `supplychain.cli.app`.
"""

from __future__ import annotations

import argparse

from ..errors import SupplyChainError

__all__ = ["configure_scenarios", "cmd_scenarios", "configure_data", "cmd_data"]


def configure_scenarios(parser: argparse.ArgumentParser) -> None:
    """No arguments: the list covers every shipped scenario."""


def cmd_scenarios(args: argparse.Namespace) -> int:
    from ..datasets.scenarios import SCENARIO_DIR, scenarios
    listed = scenarios()
    width = max(map(len, listed), default=0)
    print("Scenarios shipped with supplychain (run one with 'supplychain run NAME'):")
    for name, description in listed.items():
        print(f"  {name.ljust(width)}  {description}")
    print(f"Files in {SCENARIO_DIR}; 'baseline' is the unshocked network.")
    return 0


def configure_data(parser: argparse.ArgumentParser) -> None:
    """The table covers the whole built-in dataset; ``--check`` prints the calibration table instead."""
    parser.add_argument("--check", action="store_true",
                        help="compare the baseline with the published figures it must reproduce (calibration "
                             "table: figure, model, published, tolerance, verdict, source); exit 1 if any fails")


def cmd_data(args: argparse.Namespace) -> int:
    try:
        from ..datasets.baseline import baseline_provenance, format_provenance
        if args.check:
            from ..datasets.calibration import calibration_table, format_calibration
    except ImportError as exc:
        raise SupplyChainError(f"the built-in baseline dataset is not available ({exc}).") from None
    if args.check:
        rows = calibration_table()
        print(format_calibration(rows))
        return 0 if all(r.passed for r in rows) else 1
    print(format_provenance(baseline_provenance()))
    return 0

