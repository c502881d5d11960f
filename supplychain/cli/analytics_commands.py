"""The ``stress-test`` and ``benchmark`` subcommands (registered in `supplychain.cli`).

Each is a pair ``configure_<name>(parser)`` / ``cmd_<name>(args) -> int``,
following the convention of `supplychain.cli`.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any
from pathlib import Path

import pandas as pd

from .._format import format_percent, format_units, format_usd
from ..analytics.stress import DEFAULT_DURATION_DAYS, LP_ONLY_NOTE, no_shortfall
from ..datasets.scenarios import SCENARIO_DIR
from ..errors import SimulationWarning
from .._validation import MAX_DAYS
from .arguments import UsageError, resolve_scenario, whole_number
from .formats import add_format_argument, render
from .inputs import about_scenario
from .output import check_out_dir, write_folder

__all__ = ["configure_stress_test", "cmd_stress_test", "configure_benchmark", "cmd_benchmark", "stress_text",
           "estimate_line", "card_legend", "CARD_LEGEND",
           "scorecard_text", "STRESS_DURATION_DAYS", "BENCHMARK_DURATION_DAYS"]

#: Default knockout of ``stress-test``: the Python default (a quarter, longer than most stocks' cover).
STRESS_DURATION_DAYS = DEFAULT_DURATION_DAYS
#: Default duration of the standard shocks of ``benchmark``: half a year, beyond the strategic cover of most chains.
BENCHMARK_DURATION_DAYS = 180
#: Heading of the stress table's first column: each row is one knockout, named by what it knocks out (a
#: facility, a region's stage or an exporter's commodity), not a scenario file.
KNOCKOUT_COLUMN = "knockout"


def _common(parser: argparse.ArgumentParser, writes: str) -> None:
    parser.add_argument("scenario", nargs="?", default="baseline",
                        help="'baseline' (default), a shipped scenario by name (listed by 'supplychain "
                             "scenarios') or a scenario TOML file: its network is used, not its shocks")
    parser.add_argument("--runs", type=whole_number(1), default=None, metavar="N",
                        help="runs per scenario (default: 1 if nothing is random, else many)")
    parser.add_argument("--seed", type=whole_number(0), default=0, metavar="S",
                        help="root seed shared by every scenario (default: 0)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help=f"also write {writes} into DIR")


def configure_stress_test(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``supplychain stress-test``."""
    _common(parser, "stress_test.csv (every row and column of the ranking, the LP and simulation columns "
                    "alike)")
    parser.add_argument("--duration", type=whole_number(1), default=STRESS_DURATION_DAYS, metavar="DAYS",
                        help=f"how long each knockout lasts (default: {STRESS_DURATION_DAYS})")
    parser.add_argument("--ttr", type=float, default=None, metavar="DAYS",
                        help="time-to-recover given to the LP (default: --duration)")
    parser.add_argument("--method", choices=("both", "lp", "simulation"), default="both",
                        help="Simchi-Levi LPs, simulation, or both (default); with --target, simulation or both. "
                             "The LP alone re-routes stock optimally and at once, so it can score $0 where the "
                             "simulation loses much (Taiwan's fabs on the built-in network)")
    parser.add_argument("--rank-by", choices=("simulation", "lp"), default=None,
                        help="rank by the simulated shortfall (default whenever the simulation runs) or by the "
                             "LP's REI, then TTS (default and only choice with --method lp)")
    parser.add_argument("--target", default=None, metavar="REGION:COMMODITY",
                        help="rank knockouts by their simulated effect on one demand, e.g. US:logic_chip; with "
                             "--method both the LP columns (whole network) stay beside")
    parser.add_argument("--top", type=whole_number(1), default=20, metavar="K", help="rows to print (default: 20)")
    add_format_argument(parser, table_help="the ranking in aligned columns, money in $")


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]], n_left: int) -> list[str]:
    widths = [max(len(v) for v in col) for col in zip(headers, *rows)]
    return ["  ".join(c.ljust(w) if i < n_left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
            for cells in [headers, *rows]]


def _days(x: float) -> str:
    return "never" if x == math.inf else format_units(float(x))


#: Columns of the stress-test table: (column, header, formatter, what the footer says the column is).
_STRESS_COLUMNS: list[tuple[str, str, Callable[[float], str], str]] = [
    ("rank", "rank", str, ""),
    ("kind", "kind", str, "kind: a facility, every facility of a region-stage, or an exporter's commodity"),
    ("tts_days", "TTS days", _days, "TTS days: days the network serves all demand without the node (LP: every "
     "stock and spare capacity re-routed at once and optimally, so it can say $0 lost where the simulation, "
     "which follows the model's ordering, lead times and design lock-in, finds a shortfall)"),
    ("ttr_days", "TTR days", _days, "TTR days: days the node takes to recover"),
    ("pi_usd", "lost (LP)", format_usd, "lost (LP): demand lost over the TTR, in USD (Simchi-Levi et al. 2014)"),
    ("rei", "REI", lambda x: f"{x:.3f}", "REI: lost (LP) / the largest lost (LP)"),
    ("vulnerable", "TTS<TTR", lambda x: "yes" if x else "no", "TTS<TTR: the network runs short before the node "
     "recovers"),
    ("tts_sim_days", "TTS sim", _days, "TTS sim: simulated days until some demand first falls below 99% of its "
     "baseline"),
    ("shortfall_sim_usd", "shortfall (sim)", format_usd, "shortfall (sim): simulated shortfall beyond the "
     "baseline, in USD"),
    ("cvar95_shortfall_usd", "worst 5%", format_usd, "worst 5%: that shortfall averaged over the worst 5% of runs"),
    ("target_shortfall_usd", "target lost", format_usd, "target lost: the --target demand's simulated shortfall "
     "beyond the baseline, in USD"),
    ("target_fill_rate", "target fill", format_percent, "target fill: its fill rate"),
    ("target_tts_days", "target TTS", _days, "target TTS: simulated days until it first falls below 99% of its "
     "baseline"),
]

#: The yes/no column as the LP computes it (``stress_test``'s ``vulnerable``) and as the simulation does.
_FLAG_LP = ("vulnerable", "TTS<TTR (LP)", lambda x: "yes" if x else "no", "TTS<TTR (LP): by the LP's TTS days, "
            "the network runs short before the node recovers")
_FLAG_SIM = ("vulnerable", "TTS sim<TTR", lambda x: "yes" if x else "no", "TTS sim<TTR: by the simulated TTS (the "
             "method that ranks the rows), the network runs short before the node recovers")

_MONEY = ["pi_usd", "shortfall_sim_usd", "cvar95_shortfall_usd", "target_shortfall_usd"]


def _all_zero(table: pd.DataFrame, columns: Sequence[str]) -> bool:
    present = [c for c in columns if c in table]
    return bool(present) and bool((table[present].fillna(0.0) == 0).all().all())


def _no_effect(table: pd.DataFrame) -> pd.Series:
    """Rows whose knockout moves nothing at all: no loss and demand served throughout (no finite TTS)."""
    days = ["target_tts_days"] if "target_shortfall_usd" in table else ["tts_days", "tts_sim_days"]
    none = no_shortfall(table)
    for c in (c for c in days if c in table):
        none &= table[c] == math.inf
    return none


def stress_text(table: pd.DataFrame, top: int, duration: int, target: str | None = None,
                n_runs: int | None = None) -> str:
    """The stress-test ranking for a terminal: one row per knockout scenario, money in $, worst first.

    Says so plainly when no knockout costs anything (every row zero), instead of a table of zeros.
    Only knockouts that lose something are ranked. Those that lose nothing tie at no shortfall: the
    ones with a finite time-to-survive (stocks run low but outlast the knockout) follow under their own
    heading, shortest time-to-survive first, with no rank; the ones that move nothing at all are
    counted under the table. The footer explains exactly the columns shown. With one simulated run
    (``n_runs``, default ``table.attrs["n_runs"]``) there is no worst 5% of runs: that column is left
    out and the footer says the figures come from one run.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"rank": [1], "kind": ["facility"], "tts_days": [40.0], "ttr_days": [30.0],
    ...                   "pi_usd": [0.0], "rei": [0.0], "vulnerable": [False]}, index=["CN.mine"])
    >>> print(stress_text(t, 10, 30))  # doctest: +NORMALIZE_WHITESPACE
    No knockout of 30 days costs any demand anything: every node's time-to-survive exceeds its time-to-recover
    (stocks cover the outage), so all 1 rows are zero and none ranks above another. Try a longer --duration.
    >>> inf = float("inf")
    >>> t = pd.DataFrame({"rank": [1, 2], "kind": ["facility"] * 2, "tts_sim_days": [inf, inf],
    ...                   "shortfall_sim_usd": [5e6, 0.0], "target_shortfall_usd": [0.0, 0.0],
    ...                   "target_tts_days": [inf, inf]}, index=["CN.mine", "KR.mine"])
    >>> print(stress_text(t, 10, 30, "US:logic_chip"))  # doctest: +NORMALIZE_WHITESPACE
    No knockout of 30 days moves what 'US:logic_chip' receives: its stocks and other suppliers cover every one
    of the 2 knockouts tried, so none ranks above another. Try a longer --duration, or leave out --target to
    rank knockouts by the whole network's shortfall.
    >>> t = pd.DataFrame({"rank": [1, 2, 2], "kind": ["facility"] * 3, "tts_days": [20.0, 75.0, inf],
    ...                   "ttr_days": [30.0] * 3, "pi_usd": [4e6, 0.0, 0.0]}, index=["KR.cells", "CN.mine", "US.mine"])
    >>> print(stress_text(t, 10, 30).split(chr(10) + chr(10))[0])
    knockout  rank  kind      TTS days  TTR days  lost (LP)
    KR.cells  1     facility        20        30     $4.00M
    No shortfall in a 30-day knockout, but a finite time-to-survive: demand would run short in a longer one (tied, not ranked; shortest time-to-survive first):
    CN.mine   -     facility        75        30         $0
    1 more knockout does not move any demand at all in a 30-day knockout: no shortfall and no finite time-to-survive (demand never ran low): not ranked.
    LP only (--method lp): the LP re-routes every stock and all spare capacity at once and optimally, with no lead times, ordering rules or design lock-in, so a node whose stocks would outlast the knockout under that re-routing scores $0 even where the simulation loses much; --method both (the default) ranks by the simulated shortfall, the LP's columns beside.
    """
    none = _no_effect(table)
    if target is not None and "target_shortfall_usd" in table and bool(none.all()):
        return (f"No knockout of {duration} days moves what {target!r} receives: its stocks and other suppliers cover "
                f"every one\nof the {len(table)} knockouts tried, so none ranks above another. Try a longer "
                "--duration, or leave out --target to\nrank knockouts by the whole network's shortfall.")
    if _all_zero(table, _MONEY):
        return (f"No knockout of {duration} days costs any demand anything: every node's time-to-survive exceeds its "
                f"time-to-recover\n(stocks cover the outage), so all {len(table)} rows are zero and none ranks above "
                "another. Try a longer --duration.")
    by_lp = _ranked_by_lp(table, target)
    flag = _FLAG_LP
    if not by_lp and {"vulnerable", "tts_sim_days", "ttr_days"} <= set(table.columns):
        # The yes/no follows the method that ranks the rows: the LP's TTS said "no" (115 days > 90) beside a
        # simulated TTS of 30 days and the largest shortfall of the table.
        table = table.assign(vulnerable=table["tts_sim_days"] < table["ttr_days"])
        flag = _FLAG_SIM
    tied = no_shortfall(table)
    ranked, covered = table[~tied], table[tied & ~none]
    n_runs = table.attrs.get("n_runs") if n_runs is None else n_runs
    single = n_runs == 1
    cols = [flag if c == "vulnerable" else (c, h, f, d) for c, h, f, d in _STRESS_COLUMNS if c in table
            and not (single and c == "cvar95_shortfall_usd")]
    rows = [[str(name), str(rank)] + [f(row[c]) for c, _, f, _ in cols[1:]]
            for rank, (name, row) in enumerate(ranked.head(top).iterrows(), start=1)]
    room = max(top - len(rows), 0)
    also = [[str(name), "-"] + [f(row[c]) for c, _, f, _ in cols[1:]] for name, row in covered.head(room).iterrows()]
    lines = _columns([KNOCKOUT_COLUMN] + [h for _, h, _, _ in cols], rows + also, n_left=3)
    more = [f"{len(ranked) - top} more ranked rows: --top, or --out for all."] if len(ranked) > top else []
    if by_lp and "shortfall_sim_usd" in table:
        more += _simulation_leaders(ranked, top)
    # Two kinds of knockout lose nothing: those with a finite time-to-survive (demand would run short in a
    # longer knockout: listed, tied) and those with none (demand never ran low: counted). Each line says which.
    if also:
        lines.insert(len(rows) + 1, f"No shortfall in a {duration}-day knockout, but a finite time-to-survive: demand "
                                    "would run short in a longer one (tied, not ranked; shortest time-to-survive "
                                    "first):")
    if len(covered) > len(also):
        k = len(covered) - len(also)
        more.append(f"{k} more knockout{'' if k == 1 else 's'} with no shortfall in a {duration}-day knockout but a "
                    "finite time-to-survive (tied): --top, or --out for all.")
    if none.any():
        what = f"{target!r}" if target is not None and "target_shortfall_usd" in table else "any demand"
        k = int(none.sum())
        more.append(f"{k} more knockout{' does' if k == 1 else 's do'} not move {what} at all in a {duration}-day "
                    "knockout: no shortfall and no finite time-to-survive (demand never ran low): not ranked.")
    if by_lp and "shortfall_sim_usd" not in table:
        more.append(f"LP only (--method lp): {LP_ONLY_NOTE}; --method both (the default) ranks by the simulated "
                    "shortfall, the LP's columns beside.")
    head = f"Each scenario knocks a node out for {duration} days"
    if single and "shortfall_sim_usd" in table:
        head += " and is simulated once (one run: no spread over runs, so no worst 5%)"
    if "rei" in table and "shortfall_sim_usd" in table and target is None:
        head += ("; ranked by the LP's REI, then TTS (--rank-by lp)" if by_lp else
                 "; ranked by simulated shortfall (--rank-by lp: by the LP's REI, then TTS)")
    legend = "; ".join([head] + [d for _, _, _, d in cols if d])
    return "\n".join(lines + more + ["", legend + "."])


def _ranked_by_lp(table: pd.DataFrame, target: str | None) -> bool:
    """Whether the table's rows are in the LP's order (REI, then TTS): `stress_test`'s ``attrs["rank_by"]``, or,
    for a table without it, the LP's columns present and no target."""
    if target is not None and "target_shortfall_usd" in table:
        return False
    return table.attrs.get("rank_by", "lp" if "pi_usd" in table else "simulation") == "lp"


def _simulation_leaders(ranked: pd.DataFrame, top: int) -> list[str]:
    """A line naming the knockouts the simulation finds worst that the LP's ranking leaves below the top rows.

    The LP scores a node by how long its stocks last against how long it takes to recover; the simulation
    counts what is lost. They can disagree (a node whose stocks outlast the LP's threshold scores $0 there
    but may still lose much in the simulation), and a reader of the top rows must not miss that.

    Examples
    --------
    >>> t = pd.DataFrame({"rei": [1.0, 0.5, 0.0], "shortfall_sim_usd": [1e6, 2e6, 9e9]},
    ...                  index=["a", "b", "c"])
    >>> _simulation_leaders(t, 2)
    ['Ranked by the LP (REI, then TTS); by simulated shortfall the worst below the top 2 is c ($9.00bn, rank 3).']
    """
    worst = ranked["shortfall_sim_usd"].nlargest(3)
    position = {name: i for i, name in enumerate(ranked.index, start=1)}
    hidden = [f"{name} ({format_usd(value)}, rank {position[name]})" for name, value in worst.items()
              if position[name] > top and value > 0.5]
    if not hidden:
        return []
    verb = "is" if len(hidden) == 1 else "are"
    return [f"Ranked by the LP (REI, then TTS); by simulated shortfall the worst below the top {top} {verb} "
            + ", ".join(hidden) + "."]


def stress_estimate(network: Any, duration: int, n_runs: int | None, seed: int) -> str:
    """A line saying how long the simulated stress test will take here, from one timed run of the baseline.

    Every knockout is one simulation of the same network over the same horizon (twice ``duration``), so one
    knockout, timed, times the number of knockouts gives the wait before the table (its metrics and the
    LP add about a fifth). The timed knockout costs what one of the test's own does (about 1/240 of the
    built-in test); other work on the machine lengthens every one alike.
    """
    import time

    from ..analytics._engine import is_deterministic, pick_engine
    from ..analytics.stress import disruption_scenarios, knockout_scenario
    from ..model import Scenario
    from ..run.simulate import simulate
    horizon = 2 * duration
    engine, runs = pick_engine(is_deterministic(Scenario(network, horizon_days=horizon)), n_runs)
    table = disruption_scenarios(network)
    started = time.perf_counter()
    simulate(knockout_scenario(network, table["facilities"].iloc[0], duration_days=duration, horizon_days=horizon,
                               name=str(table.index[0])), engine=engine, n_runs=runs, seed=seed)
    each = 1.2 * (time.perf_counter() - started)
    total = each * len(table)
    said = f"{total / 60:.0f} min" if total >= 90 else f"{total:.0f} s"
    return (f"About {said} for {len(table)} knockouts, each simulated {runs} time{'' if runs == 1 else 's'} over "
            f"{horizon} days ({engine} engine, about {each:.1f} s a knockout on this machine now; longer while other "
            "work runs; --method lp alone: seconds).")


def cmd_stress_test(args: argparse.Namespace) -> int:
    """Run the stress test and print the most exposed nodes."""
    from ..analytics.stress import stress_test, target_demands
    if args.target is not None and args.method == "lp":
        raise UsageError(f"--method lp cannot rank by --target {args.target!r}: the LPs score the whole "
                              "network; use --method both (the default) or --method simulation.")
    if (args.rank_by, args.method) in (("simulation", "lp"), ("lp", "simulation")):
        raise UsageError(f"--rank-by {args.rank_by} needs the {args.rank_by} columns, which --method {args.method} "
                         "does not compute; use --method both (the default) for both.")
    if args.target is not None and args.rank_by is not None:
        raise UsageError(f"--rank-by {args.rank_by} and --target {args.target!r} together: a target ranks by its "
                         "own simulated shortfall; leave out --rank-by.")
    if args.out is not None:
        check_out_dir(args.out)
    with about_scenario(args.scenario):
        network = resolve_scenario(args.scenario).network
        if args.target is not None:
            target_demands(network, args.target)    # a bad target fails before the timed knockout
        if not args.quiet and args.method != "lp":
            print(stress_estimate(network, args.duration, args.runs, args.seed), file=sys.stderr)
        with warnings.catch_warnings(record=True) as caught:
            table = stress_test(network, duration_days=args.duration, ttr_days=args.ttr, method=args.method,
                                n_runs=args.runs, seed=args.seed, progress=not args.quiet, target=args.target,
                                rank_by=args.rank_by)
        # The Python argument is duration_days; on the command line it is --duration.
        said = dict.fromkeys((str(w.message).replace("duration_days", "--duration"), w.category, w.filename, w.lineno)
                             for w in caught)
        for message, category, filename, lineno in said:
            warnings.warn_explicit(message, category, filename, lineno)
    if args.format == "table":
        print(stress_text(table, args.top, args.duration, args.target, table.attrs.get("n_runs")))
    else:
        shown = table.drop(columns=["facilities", "aliases", "tts_ms", "pi_ms", "sim_ms"], errors="ignore")
        print(render(shown.head(args.top).rename_axis(KNOCKOUT_COLUMN).reset_index(), args.format).rstrip("\n"))
    if args.out is not None:
        def write(tmp: Path) -> list[str]:
            table.assign(facilities=table["facilities"].map(" ".join)).to_csv(tmp / "stress_test.csv",
                                                                              index_label=KNOCKOUT_COLUMN)
            return ["stress_test.csv"]
        write_folder(args.out, write)
        if not args.quiet:
            print(f"Wrote stress_test.csv to {args.out}", file=sys.stderr)
    return 0


def configure_benchmark(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``supplychain benchmark``."""
    _common(parser, "scorecard.csv, scorecard.md and scorecard.png (the heatmap)")
    parser.add_argument("--shock-day", type=whole_number(0), default=30, metavar="DAY",
                        help="day every standard catalogue shock starts; historical files keep their own dates (default: 30)")
    parser.add_argument("--duration", type=whole_number(1), default=BENCHMARK_DURATION_DAYS, metavar="DAYS",
                        help=f"how long the standard shocks last (default: {BENCHMARK_DURATION_DAYS})")
    parser.add_argument("--horizon", type=whole_number(1, int(MAX_DAYS)), default=None, metavar="DAYS",
                        help="simulated days of the standard shocks (default: the scenario's horizon; a shorter "
                             "one cuts shocks that last longer); historical files keep their own calendar")
    parser.add_argument("--scenarios", type=Path, default=SCENARIO_DIR, metavar="DIR",
                        help="folder of historical scenario files to add (default: the scenarios shipped with "
                             "the package, listed by 'supplychain scenarios')")
    add_format_argument(parser, table_help="the scorecard, worst shortfall first, money in $ with 95%% intervals")


#: Columns of the benchmark table: (column, header, formatter).
_CARD_COLUMNS: list[tuple[str, str, Callable[[float], str]]] = [
    ("fill_rate", "fill rate", format_percent), ("shortfall_usd", "shortfall", format_usd),
    ("cvar95_shortfall_usd", "worst 5%", format_usd), ("tts_days", "TTS days", _days),
    ("ttr_days", "TTR days", _days), ("loss_days", "loss days", lambda x: f"{x:.3g}"),
    ("peak_cost_increase", "peak cost", lambda x: format_percent(x, floor=False)),
    ("diversion", "diversion", lambda x: format_percent(x, floor=False)),
    ("hhi_change", "HHI change", lambda x: f"{x:+.3f}"),
]


#: What each scorecard column means, for the legend under the table (supplychain.analytics.scorecard.METRICS).
CARD_LEGEND: dict[str, str] = {
    "fill_rate": "fill rate: demand served from stock on the day, all demand by value",
    "shortfall_usd": "shortfall: value not delivered beyond the baseline's",
    "cvar95_shortfall_usd": "worst 5%: mean shortfall of the worst 5% of runs",
    "tts_days": ("TTS: time to survive, days from the shock until a region's deliveries first fall below 95% of "
                 "the baseline's (the first region; never: none did: a whole region's deliveries, all its demands "
                 "by value, can stay above 95% while one demand runs short)"),
    "ttr_days": ("TTR: time to recover, days from the shock until they are back at 99% for 14 days (the last "
                 "region; 0: no region's deliveries fell below 95%, though single demands may have run short; "
                 "never: not within the horizon)"),
    "loss_days": "loss days: days of full deliveries lost, the worst region (Bruneau)",
    "peak_cost_increase": ("peak cost: largest rise of an importer's landed cost per unit (at the prices paid, duty "
                           "included) on a day of the shock"),
    "diversion": "diversion: largest share of an importer's supply that changed source",
    "hhi_change": "HHI change: largest change of an importer's source concentration (Herfindahl)",
}


def card_legend(columns: list[str]) -> str:
    """The legend of the scorecard columns shown, one sentence each (TTS and TTR spelt out).

    Examples
    --------
    >>> print(card_legend(["fill_rate", "tts_days"]))
    Columns: fill rate: demand served from stock on the day, all demand by value; TTS: time to survive, days from the shock until a region's deliveries first fall below 95% of the baseline's (the first region; never: none did: a whole region's deliveries, all its demands by value, can stay above 95% while one demand runs short).
    """
    parts = [CARD_LEGEND[c] for c in columns if CARD_LEGEND.get(c)]
    return "Columns: " + "; ".join(parts) + "." if parts else ""


def ranked_scorecard(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard worst first: by shortfall, then resilience loss, then peak cost increase, then diversion."""
    keys = [c for c in ("shortfall_usd", "loss_days", "peak_cost_increase", "diversion") if c in card]
    return card.sort_values(keys, ascending=False, kind="stable") if keys else card


def scorecard_text(card: pd.DataFrame, duration: int) -> str:
    """The benchmark scorecard for a terminal, worst first, with a plain message when no shock causes a shortfall.

    Examples
    --------
    >>> import pandas as pd
    >>> card = pd.DataFrame({"fill_rate": [1.0, 0.97], "shortfall_usd": [0.0, 2.5e7],
    ...                      "shortfall_usd_lo": [0.0, 2.0e7], "shortfall_usd_hi": [0.0, 3.0e7]}, index=["a", "b"])
    >>> print(scorecard_text(card, 90))
    shock  fill rate  shortfall               (95%)
    b          97.0%     $25.0M  ($20.0M to $30.0M)
    a         100.0%         $0
    <BLANKLINE>
    Columns: fill rate: demand served from stock on the day, all demand by value; shortfall: value not delivered beyond the baseline's.
    Each standard shock lasts 90 days; historical scenarios keep their own dates. Worst shortfall first.
    """
    runs = card.attrs.get("n_runs", {})
    card = ranked_scorecard(card)
    once = {name for name in card.index if runs.get(name) == 1}
    # One run has no worst 5% of runs: a blank cell, or no column at all when every entry ran once.
    cols = [(c, h, f) for c, h, f in _CARD_COLUMNS if c in card
            and not (c == "cvar95_shortfall_usd" and once and once == set(card.index))]
    spread = "shortfall_usd_lo" in card and not (once and once == set(card.index))
    headers = ["shock"]
    for c, h, _ in cols:
        headers += [h] + (["(95%)"] if c == "shortfall_usd" and spread else [])
    rows = []
    for name, row in card.iterrows():
        cells = [str(name)]
        for c, _, f in cols:
            cells.append("" if c == "cvar95_shortfall_usd" and name in once else f(row[c]))
            if c == "shortfall_usd" and spread:
                lo, hi = row["shortfall_usd_lo"], row["shortfall_usd_hi"]
                cells.append(f"({format_usd(lo)} to {format_usd(hi)})" if lo == lo and hi == hi and lo != hi else "")
        rows.append(cells)
    legend = card_legend([c for c, _, _ in cols])
    lines = _columns(headers, rows, n_left=1) + [""] + ([legend] if legend else [])
    note = (f"Each standard shock lasts {duration} days; historical scenarios keep their own dates. "
            "Worst shortfall first.")
    if once:
        which = "every shock" if once == set(card.index) else "the shocks with a blank worst 5%"
        note += f" One run of {which}: no spread over runs, so no interval or worst 5%."
    if _all_zero(card, ["shortfall_usd"]):
        note = (f"No shock in the catalogue causes a shortfall: stocks and other suppliers cover every shock of "
                f"{duration} days, so the rows rank by cost and diversion only. Try a longer --duration.")
    return "\n".join(lines + [note])


def estimate_line(n_shocks: int, seconds: float, what: str) -> str:
    """What ``benchmark`` says before it starts: how long it will take, roughly, and what was timed.

    Examples
    --------
    >>> print(estimate_line(42, 400.0, "the baseline run and 4 runs of 'Ga/Ge export licensing 2023'"))
    benchmark: 42 shocks, about 7 min on this machine now (timed on the baseline run and 4 runs of 'Ga/Ge export licensing 2023'; a rough estimate). --runs, --horizon or --scenarios cut it; Ctrl-C stops.
    >>> estimate_line(3, 20.0, "the baseline run").split(", ")[1]
    'about 20 s on this machine now (timed on the baseline run; a rough estimate). --runs'
    """
    when = f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
    return (f"benchmark: {n_shocks} shocks, about {when} on this machine now (timed on {what}; a rough estimate). "
            "--runs, --horizon or --scenarios cut it; Ctrl-C stops.")


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
                         horizon_days=args.horizon, progress=not args.quiet,
                         on_estimate=lambda seconds, what: print(estimate_line(len(catalogue), seconds, what),
                                                                 file=sys.stderr, flush=True))
    text = scorecard_markdown(card)
    if args.format == "table":
        print(scorecard_text(card, args.duration))
    else:
        print(render(ranked_scorecard(card).rename_axis("shock").reset_index(), args.format).rstrip("\n"))
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
