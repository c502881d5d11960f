"""The ``run`` subcommand: simulate a scenario, compare it with its unshocked baseline and say what changed.

A pair ``configure_run(parser)`` / ``cmd_run(args) -> int`` (registered in `supplychain.cli.app`), and the
text it prints: the change table or the summary, an ensemble's shortfall spread, the notes on prices,
segments, stock cover, the cover band and value added.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from .._format import format_bytes
from .._progress import PhaseBar
from .._validation import MAX_DAYS
from ..errors import SimulationWarning
from ..results.text import format_summary, run_head
from ..run.simulate import ENGINES
from .arguments import resolve_scenario, whole_number
from .ensemble_text import (COLLAPSED_SPREAD, WHEN_THRESHOLD, format_shortfall_distribution, format_when,
                            random_inputs, share_of_runs)
from .formats import add_format_argument, render
from .inputs import about_scenario, check_results
from .out_folder import describe_files, planned_files, write_outputs, write_summary
from .output import check_out_dir

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario
    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["configure_run", "cmd_run", "change_rows", "has_shocks", "series_bytes", "format_shortfall_distribution",
           "format_when", "share_of_runs", "WHEN_THRESHOLD", "random_inputs", "COLLAPSED_SPREAD", "SERIES_RUN_LIMIT",
           "IDENTICAL_RUNS_CLI"]

#: Above this many runs, ``run`` keeps per-run summaries and percentile bands, not daily series: one run
#: of the baseline year records about 25 MB of daily series (before compression), which ``--out`` writes.
SERIES_RUN_LIMIT = 3


def has_shocks(scenario: Scenario) -> bool:
    """Whether ``scenario`` has a disruption or response beyond the standing conditions in force on day 0.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> has_shocks(load_baseline())
    False
    """
    return bool(scenario.responses) or len(scenario.shocks) > len(scenario.in_force())



def configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="'baseline', a shipped scenario by name (listed by 'supplychain "
                                         "scenarios', e.g. taiwan_blockade_magnets) or a scenario TOML file")
    parser.add_argument("--engine", choices=ENGINES, default="des",
                        help="des: SimPy discrete-event engine; vector: NumPy Monte Carlo (default: des)")
    parser.add_argument("--runs", type=whole_number(1), default=1, metavar="N", help="number of runs (default: 1)")
    parser.add_argument("--seed", type=whole_number(0), default=None, metavar="S",
                        help="root seed (default: the scenario's, else fresh and printed)")
    parser.add_argument("--horizon", type=whole_number(1, int(MAX_DAYS)), default=None, metavar="DAYS",
                        help="simulate this many days instead of the scenario's horizon")
    parser.add_argument("--random-lead-times", action="store_true",
                        help="draw each lane's lead time per shipment over its documented low/mode/high range "
                             "(triangular), as load_baseline(random_lead_times=True); for scenarios on the "
                             "baseline network. Without it (or licences, noise, outages, uncertain parameters) "
                             "every run is the same")
    parser.add_argument("--keep", choices=("series", "summary"), default=None,
                        help="series: every daily series of every run (about 25 MB per run of the baseline year "
                             "in results.npz before compression); summary: per-run totals and daily percentile "
                             f"bands, a few MB whatever the runs (default: series up to {SERIES_RUN_LIMIT} runs, "
                             "else summary; the output says which)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="write the results archive, CSV tables and plots into DIR (says what and how large "
                             "before writing: daily series of up to "
                             f"{SERIES_RUN_LIMIT} runs, else summaries; --keep series for every series)")
    parser.add_argument("--all", action="store_true",
                        help="also print the full summary table, every region and commodity")
    # Two flags of one setting: given together they contradict each other, so argparse refuses the pair
    # (a BooleanOptionalAction would let the last one win silently). Both default to None, not True:
    # argparse counts an option as given only when its value differs from its default.
    band = parser.add_mutually_exclusive_group()
    band.add_argument("--cover-band", dest="cover_band", action="store_const", const=True, default=None,
                      help="when the shock moves chip buyers, rerun the scenario and its baseline with every "
                           "end-use segment's days of cover at the low and at the high end of its cited range "
                           "(vector engine, deterministic scenarios) and print the shortfall and value added "
                           "lost across them (supplychain.analytics.cover_band; with --out also cover_band.csv; "
                           "on by default, about a fifth more CPU time on the flagship)")
    band.add_argument("--no-cover-band", dest="cover_band", action="store_const", const=False, default=None,
                      help="skip the cover band's reruns")
    feedback = parser.add_mutually_exclusive_group()
    feedback.add_argument("--price-feedback", dest="price_feedback", action="store_const", const=True,
                          default=None, help="scarcity prices act on demand, sourcing and a short supplier's "
                                             "rationing (Scenario.price_feedback; default: the scenario's, off "
                                             "unless its file sets price_feedback = true)")
    feedback.add_argument("--no-price-feedback", dest="price_feedback", action="store_const", const=False,
                          default=None, help="keep every quantity as with fixed prices, whatever the scenario says")
    parser.add_argument("--compare", nargs="?", const="baseline", choices=["baseline"], default=None,
                        help="run the scenario without its shocks too (same seed: paired runs) and print what "
                             "changed, with 95%% intervals over several runs; the default for a scenario with "
                             "shocks; with --out, write compare.csv")
    add_format_argument(parser, table_help="the change against the baseline (or the summary), for people",
                        rows_help="every row of the change table with a value in either run, changed or "
                                  "not (what compare.csv holds: each demand, import and share, in thousands "
                                  "of rows for the baseline network)")


def _keep(args: argparse.Namespace) -> str:
    if args.keep is not None:
        return str(args.keep)
    # Daily series of every run grow with runs x days x items; big ensembles keep summaries.
    return "summary" if args.runs > SERIES_RUN_LIMIT else "series"


def series_bytes(results: Results | EnsembleResults, n_runs: int | None = None) -> int:
    """At most how many bytes the daily series of ``n_runs`` runs (default: all) of these results take.

    Every recorded variable of every item on every day, in 8-byte floats, before compression:
    what ``--keep series`` puts into ``results.npz``.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> series_bytes(res) >= sum(a.nbytes for a in res.arrays.values())
    True
    """
    from ..results.series import VARIABLE_AXES
    items = sum(len(results.coords.labels(axis)) for axis in VARIABLE_AXES.values())
    return 8 * results.n_days * items * (results.n_runs if n_runs is None else n_runs)


def _mode_line(keep: str, args: argparse.Namespace, results: Results | EnsembleResults) -> str:
    if keep == "series":
        return ""
    why = "--keep summary" if args.keep == "summary" else f"more than {SERIES_RUN_LIMIT} runs"
    return (f"Kept per-run totals and daily percentile bands, not daily series ({why}; --keep series keeps "
            f"every daily series: up to {format_bytes(series_bytes(results))} for {'this run' if results.n_runs == 1 else f'these {results.n_runs:,} runs'}).")


#: What ``run --runs N`` says of a scenario in which nothing is random.
#: The command line's word on a random scenario run without a seed (the library's, `FRESH_SEED_MESSAGE`, names Python).
FRESH_SEED_CLI = ("no seed given (neither --seed nor seed under [scenario]) and the scenario has random parts: this "
                  "run drew seed {seed} from fresh entropy, so another run prints other numbers; --seed {seed} "
                  "(or seed = {seed} under [scenario] in the file) repeats it")

IDENTICAL_RUNS_CLI = ("nothing in this scenario is random; the {n} runs are identical: use --runs 1, or "
                      "--random-lead-times (or a scenario with demand noise, RandomOutage or uncertain parameters)")


def cmd_run(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..impact.loss import feeds_impact
    from ..run.simulate import identical_runs_expected, simulate
    if args.out is not None:
        check_out_dir(args.out)  # before the work, not after it
    keep = _keep(args)
    phases = ["loading scenario", f"simulating {args.runs} run{'' if args.runs == 1 else 's'} on {args.engine}",
              "simulating the unshocked baseline", "comparing", "cover band"]
    phases += ["writing outputs"] if args.out is not None else []
    table = baseline = by_segment = band = None
    with about_scenario(args.scenario), PhaseBar(phases, enabled=not args.quiet) as bar, ExitStack() as stack:
        bar.step(phases[0])
        scenario = resolve_scenario(args.scenario)
        if args.horizon is not None:
            scenario = scenario.with_horizon(args.horizon)
        if args.price_feedback is not None:
            scenario = scenario.replace(price_feedback=args.price_feedback)
        if args.random_lead_times:
            from ..datasets.baseline import with_random_lead_times
            scenario = with_random_lead_times(scenario)
        shocked = has_shocks(scenario)
        do_compare = args.compare == "baseline" or shocked
        if args.runs > 1:
            from ..analytics._engine import is_deterministic
            if is_deterministic(scenario):
                warnings.warn(IDENTICAL_RUNS_CLI.format(n=args.runs), SimulationWarning, stacklevel=1)
        # The library's own warning names Python arguments; the command line said what to type instead.
        stack.enter_context(identical_runs_expected())
        bar.step(phases[1])
        with warnings.catch_warnings():  # the library's message names Python; the line below says what to type
            warnings.filterwarnings("ignore", message="no seed given", category=SimulationWarning)
            results = simulate(scenario, engine=args.engine, n_runs=args.runs, seed=args.seed, keep=keep,
                               progress=not args.quiet and args.runs > 1)
        from ..analytics._engine import is_deterministic as _deterministic
        if args.seed is None and scenario.seed is None and not _deterministic(scenario):
            warnings.warn(FRESH_SEED_CLI.format(seed=results.seed), SimulationWarning, stacklevel=1)
        check_results(results)  # an extreme value the model let through must not end in a silent NaN
        if do_compare:
            from ..analytics.compare import compare
            bar.step(phases[2])
            base = scenario.without_shocks(name=f"{scenario.name} without shocks")
            baseline = simulate(base, engine=args.engine, n_runs=results.n_runs, seed=results.seed, keep=keep,
                                progress=not args.quiet and args.runs > 1)
            check_results(baseline)
            bar.step(phases[3])
            # Every table names each demand as summary.csv does: chip buyers by their end-use segment,
            # so the printed change table, compare.csv and the segment line count the same demands.
            table = by_segment = compare(results, baseline=baseline, segments=True)
            table.attrs["unshocked"] = True  # the baseline is this scenario without its shocks
            band = _cover_band(args, scenario, results, baseline, bar)
        text = _run_text(args, keep, results, table, shocked, by_segment, band)
        if args.cover_band and table is None and args.format == "table":
            text += ("\n\nAcross cited chip buyers' covers: no band, a scenario without shocks has no change to "
                     "bound (--compare baseline runs the pair).")
        if args.format == "table":
            from .price_text import format_price_notes
            notes = format_price_notes(results, baseline)
            text += "\n\n" + notes if notes else ""
            if args.all and scenario.price_feedback and keep == "series":
                from .price_text import who_pays_table
                text += "\n\n" + who_pays_table(results, baseline)  # type: ignore[arg-type]
            elif args.all and scenario.price_feedback:
                text += ("\n\nWho pays (supplychain.metrics.who_pays): not known from per-run summaries, which keep "
                         "no daily prices (--keep series keeps them).")
        if table is not None and args.format == "table":
            from .segment_text import format_segment_shortfall
            segments = format_segment_shortfall(results, baseline)
            text += "\n\n" + segments if segments else ""
            from .cover_band_text import format_cover_band
            line = format_cover_band(band) if isinstance(band, pd.DataFrame) else band or ""
            text += ("\n" if segments else "\n\n") + line if line else ""
            from .cover_text import format_cover_notes
            cover = format_cover_notes(results, baseline)
            text += "\n\n" + cover if cover else ""
            from .cover_text import format_upstream_notes
            upstream = format_upstream_notes(results, baseline)
            text += ("\n" if cover else "\n\n") + upstream if upstream else ""
        if table is not None and args.format == "table" and feeds_impact(scenario.network):
            from ..analytics.impact import value_added_loss_table
            from .impact_text import (format_value_added, shocks_ended, tariff_cost_note, unvalued_shortfall,
                                      value_added_lost)
            frame = value_added_loss_table(results, baseline, by_input=True)
            block = format_value_added(frame, shocks_ended(scenario), unvalued_shortfall(table))
            note = tariff_cost_note(scenario) if not value_added_lost(frame) else ""
            text += "\n\n" + block + ("\n" + note if note else "")
        if args.out is not None:
            banded = isinstance(band, pd.DataFrame)
            files = planned_files(results, compared=table is not None, baseline=baseline, cover_band=banded)
            if not args.quiet:
                print(describe_files(files, args.out, results), file=sys.stderr)
            bar.step(phases[-1])
            # Everything, compare.csv included, lands in one step: an interrupt leaves nothing.
            write = write_outputs if keep == "series" else write_summary
            changes = None if by_segment is None else change_rows(by_segment, band)
            names = write(results, args.out, compare=changes, baseline=baseline,  # type: ignore[operator]
                          cover_band=band if banded else None)  # type: ignore[arg-type]
    print(text)
    if args.out is not None and not args.quiet:
        from .impact_text import NOTHING_LOST
        skipped = "value_added_loss.csv" in names and "value_added_loss.png" not in names
        print(f"Wrote {', '.join(names)} to {args.out}" + (f" ({NOTHING_LOST})" if skipped else ""),
              file=sys.stderr)
    return 0


def _cover_band(args: argparse.Namespace, scenario: Scenario, results: Results | EnsembleResults,
                baseline: Results | EnsembleResults, bar: PhaseBar) -> pd.DataFrame | str | None:
    """The answer across chip buyers' cited covers: the band's table (deterministic scenarios), the line
    saying why there is none (random ones), or None (``--no-cover-band``, or no chip buyer moved).

    The reruns are a progress step of their own ("cover band"), not part of "comparing": on the flagship
    they take about a fifth of the time of the run and its baseline before them.
    """
    from .cover_text import touches_chip_buyers
    if args.cover_band is False:
        return None
    if not touches_chip_buyers(results, baseline):
        # Asked for by name, a band that is not computed is said, not skipped in silence.
        return ("Across cited chip buyers' covers: no band, the shock moved no chip buyer's shortfall or stock."
                if args.cover_band else None)
    from ..analytics._engine import is_deterministic
    if not is_deterministic(scenario):
        return ("Across cited chip buyers' covers: no band, this scenario is random (random lead times, demand "
                "noise, outages, licence draws or uncertain parameters) and the band's reruns bound only a "
                "scenario that runs the same every time; in Python, supplychain.analytics.cover_band(scenario, "
                "seed=N) gives the band of one seed's draw.")
    from ..analytics.cover_band import cover_band
    from ..results.series import Results
    bar.step("cover band")
    central = (results, baseline) if isinstance(results, Results) and isinstance(baseline, Results) else (None, None)
    return cover_band(scenario, seed=results.seed, results=central[0], baseline=central[1])


def change_rows(table: pd.DataFrame, band: pd.DataFrame | str | None = None) -> pd.DataFrame:
    """The one change table of ``run``: what ``--format csv|json|markdown`` prints and ``compare.csv`` holds.

    ``table`` (a `compare` table) with a ``case`` column, empty on its rows, then the cover band's
    rows when ``band`` is its table (`cover_band_rows`): the same columns whether or not a band was
    computed, so that the file and the printed table are one table. Rows with no value in either run
    are left out: a measure undefined in both (the landed cost per unit and the import shares of an
    importer that imports none of a commodity in either run, such as Japan's compound wafers from
    China's alternate maker, a lane of share 0) would be a row of empty cells; a row defined in one
    run only is kept, with an empty change.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["US"], "metric": ["shortfall_usd"], "change": [5.0]})
    >>> change_rows(t).columns.tolist(), change_rows(t, "no band").equals(change_rows(t))
    (['region', 'metric', 'change', 'case'], True)
    >>> t = pd.DataFrame({"region": ["JP", "JP", "US"], "metric": ["landed_cost_usd_per_unit", "imports", "imports"],
    ...                   "baseline": [float("nan"), 0.0, float("nan")], "shocked": [float("nan"), 0.0, 3.0]})
    >>> change_rows(t)[["region", "metric"]].values.tolist()
    [['JP', 'imports'], ['US', 'imports']]
    """
    import pandas as pd
    if {"baseline", "shocked"} <= set(table.columns):
        table = table[table["baseline"].notna() | table["shocked"].notna()].reset_index(drop=True)
    if isinstance(band, pd.DataFrame):
        from .cover_band_text import cover_band_rows
        return cover_band_rows(band, table)
    return table.assign(case="")


def _run_text(args: argparse.Namespace, keep: str, results: Results | EnsembleResults,
              table: pd.DataFrame | None, shocked: bool, by_segment: pd.DataFrame | None = None,
              band: pd.DataFrame | str | None = None) -> str:
    """What ``run`` prints: the change against the baseline (or the summary), in the chosen format.

    ``table`` and ``by_segment`` are the ``compare(..., segments=True)`` table (demand rows per end-use
    segment), printed as the change table or, with ``--format csv|json|markdown``, as it is, so that each
    row names one group of buyers; a cover band's table adds its rows there
    (`cover_band_rows`).
    """
    import pandas as pd

    from ..analytics.compare import format_changes
    if args.format != "table":
        changes = by_segment if by_segment is not None else table
        shown = change_rows(changes, band) if changes is not None else results.summary()
        return render(shown, args.format).rstrip("\n")
    mode = _mode_line(keep, args, results)
    head = run_head(results) + ("\n" + mode if mode else "")
    spread = ""
    if keep == "summary":
        spread = "\n\n" + format_shortfall_distribution(results)  # type: ignore[arg-type]
        when = format_when(results)  # type: ignore[arg-type]
        spread += "\n\n" + when if when else ""
    if table is not None:
        if args.all:
            text = format_summary(results) + ("\n" + mode if mode else "") + "\n\n" + format_changes(table, demands_shown=None) + spread
        else:
            # The hint belongs to the change table it ends, not to the ensemble's spread and timing after it.
            text = (head + "\n\n" + format_changes(table) + "\nThe full summary of every region and commodity: --all."
                    + spread)
        return _with_scenario_said(_with_feedback_said(text, results), results)
    text = format_summary(results) + ("\n" + mode if mode else "") + spread
    if not shocked:
        text += ("\n\nNo shock in this scenario, so nothing to compare. Run a shipped shock scenario, "
                 "e.g. 'supplychain run taiwan_blockade_magnets'; 'supplychain scenarios' lists them.")
    return _with_scenario_said(_with_feedback_said(text, results), results)


def _with_scenario_said(text: str, results: Results | EnsembleResults) -> str:
    """``text`` with the scenario's shocks, in words and dates, and its known misfit to the record under its header.

    The header names the scenario; the line after it says what the scenario does (``Shocks:``, the shocks and
    responses told as plot titles tell them, `supplychain.model.Scenario.title`), and a shipped scenario that
    re-plays a real episode and is known to get part of it wrong says so next (``Scenario.against_record``),
    before any number is read.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> from supplychain.model import CapacityShock
    >>> s = load_baseline().with_horizon(5).with_shocks(CapacityShock(region="CN", stage="mine", fraction_lost=0.5,
    ...                                                              start=1, end=3))
    >>> res = simulate(s.replace(against_record="Prices fell (Source, 2024)."), engine="vector", seed=0)
    >>> print(_with_scenario_said("head\\nbody", res))
    head
    Shocks: CN mine capacity -50% from 2025-01-02, 2 days
    Against the record: Prices fell (Source, 2024).
    body
    """
    from ..model._display import shocks_title
    scenario = results.scenario
    said = []
    if scenario.all_shocks:
        said.append("Shocks: " + shocks_title(scenario.all_shocks, scenario.start_date, most=SHOCKS_SAID))
    if scenario.against_record:
        said.append("Against the record: " + scenario.against_record)
    if not said:
        return text
    first, _, rest = text.partition("\n")
    return "\n".join([first, *said]) + ("\n" + rest if rest else "")


#: How many shocks (told once per group that differs only in commodity) the ``Shocks:`` line names before "+ N more".
SHOCKS_SAID = 6


#: What the header of ``run`` adds when prices do not act on quantities (the default).
FEEDBACK_OFF = ", price feedback: off (--price-feedback turns it on)"


def _with_feedback_said(text: str, results: Results | EnsembleResults) -> str:
    """``text`` with its header line saying that price feedback is off, when it is.

    The run header (`run_head`) says ", price feedback: on" when prices act on demand, sourcing and
    rationing and nothing otherwise; on the command line, where the default (off) decides every number
    printed, the header says it either way, and how to turn it on.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(5), seed=0)
    >>> _with_feedback_said(run_head(res), res)
    "Scenario 'baseline': des engine, 1 run, seed 0, 5 days from 2025-01-01, price feedback: off (--price-feedback turns it on)"
    """
    if results.scenario.price_feedback:
        return text
    first, _, rest = text.partition("\n")
    return first + FEEDBACK_OFF + ("\n" + rest if rest else "") if first == run_head(results) else text

