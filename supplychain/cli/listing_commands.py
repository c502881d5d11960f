"""The ``scenarios`` and ``data`` subcommands: what is shipped, and where the built-in figures come from.

Pairs ``configure_<name>(parser)`` / ``cmd_<name>(args) -> int``, registered in `supplychain.cli.app`.
"""

from __future__ import annotations

import argparse

from ..errors import SupplyChainError
from .arguments import UsageError

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
    """A summary of the sourced numbers by default; filters pick rows; ``--all`` every row; ``--check`` calibration."""
    parser.add_argument("--check", action="store_true",
                        help="compare the baseline with the published figures it must reproduce (calibration "
                             "table: figure, model, published, tolerance, verdict, source); exit 1 if any fails")
    parser.add_argument("--all", action="store_true",
                        help="print every sourced number (thousands of rows: every lane's share, lead time and "
                             "freight) instead of the summary")
    pick = parser.add_argument_group("pick rows (each option takes a comma-separated list of alternatives or is "
                                     "repeated; a row must meet every option given)")
    pick.add_argument("--region", action="append", metavar="REGION",
                      help="numbers of facilities and demands in it and of lanes from or to it (CN or China)")
    pick.add_argument("--commodity", action="append", metavar="COMMODITY",
                      help="its own figures, the facilities making or using it, its demands and the lanes "
                           "carrying it (e.g. gallium)")
    pick.add_argument("--stage", action="append", metavar="STAGE",
                      help="facilities of that stage (mine, refinery, fab, packaging, ...; demand for final "
                           "demand) and lanes from or to them")
    pick.add_argument("--field", action="append", metavar="FIELD",
                      help="one field, e.g. capacity_per_day, share, lead_time_days, recipe, cover_days")
    pick.add_argument("--search", action="append", metavar="TEXT",
                      help="text in the item, field or source, case aside (e.g. USGS or 'Chip Explorer')")


def cmd_data(args: argparse.Namespace) -> int:
    try:
        from ..datasets.baseline import baseline_provenance, format_provenance
        if args.check:
            from ..datasets.calibration import calibration_table, format_calibration
    except ImportError as exc:
        raise SupplyChainError(f"the built-in baseline dataset is not available ({exc}).") from None
    picked = [option for option in ("region", "commodity", "stage", "field", "search") if getattr(args, option)]
    if args.check:
        if picked or args.all:
            given = ", ".join(f"--{o}" for o in picked + (["all"] if args.all else []))
            raise UsageError(f"--check prints the calibration table whole; leave out {given}.")
        rows = calibration_table()
        print(format_calibration(rows))
        return 0 if all(r.passed for r in rows) else 1
    rows = baseline_provenance()
    if args.all and not picked:
        print(format_provenance(rows))
        return 0
    from ..datasets.baseline import load_baseline
    from .data_text import filter_rows, parse_filter, row_keys, summary_text
    network = load_baseline().network
    if not picked:
        print(summary_text(rows, network))
        return 0
    wanted = parse_filter(args, rows, network)
    shown = filter_rows(rows, row_keys(rows, network), wanted)
    if not shown:
        print(f"No number of the built-in baseline matches {wanted.describe()} (each option given must hold; "
              "'supplychain data' alone lists what there is).")
        return 0
    text = format_provenance(shown).rsplit("\n", 1)[0]   # its count line says "N numbers": say "of how many"
    print(f"{text}\n{len(shown):,} of the {len(rows):,} numbers ({wanted.describe()}), each with its source.")
    return 0
