"""What ``supplychain run`` says and writes about value added lost beyond the chain (docs/model.md §8.3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from .._format import format_columns, format_percent, format_usd
from ..analytics.impact import sector_name, value_added_loss_table
from ..impact.kernel import ArioParameters
from ..impact.run_rate import RISING_FLOOR_USD_PER_YEAR
from ..impact.table import REST_OF_ECONOMY, IOTable, input_kind, load_io_table, value_added_by_region
from ..model import Scenario
from ..results import EnsembleResults, Results
from .unvalued_text import OUTSIDE_USES, format_unvalued, unvalued_shortfall

__all__ = ["chain_using_sectors", "format_run_rate", "shocks_ended", "tariff_cost_note",
           "format_value_added", "save_value_added", "value_added_lost", "NOTHING_LOST",
           "RATIO_CAVEAT", "ratio_caveat", "mapped_inputs", "SCOPE_NOTE", "scope_note", "unvalued_shortfall",
           "format_unvalued", "OUTSIDE_USES"]

#: A region's loss below this many USD counts as none (floating-point noise of a net-of-baseline sum).
_NONE_USD = 0.5

#: How lost output comes back (docs/model.md §8.3, make-up; ARIO steps 2b and 4b), closing the ratio's caveat.
_MAKEUP = (f"output that waited for a missing input is made up later only from inputs delivered beyond use, at most "
           f"{100 * ArioParameters.makeup_max:g} % of normal output a day (make-up, docs/model.md §8.3); the rest is a lost sale.")


def ratio_caveat(table: IOTable | None = None) -> str:
    """The line under a loss given shortfall above 1: what drives the ratio, so that it is read as what it is.

    The substitution it names is the table's (``[[substitution]]``: a share of an input's use that
    redesign and thrifting replace, reached linearly over some days, docs/model.md §8.3), read from
    ``table`` (default: `load_io_table`), so the line cannot say "no substitution" while some applies.
    `RATIO_CAVEAT` is this line for the built-in table.

    Examples
    --------
    >>> print(ratio_caveat())  # doctest: +NORMALIZE_WHITESPACE
    Why many times the shortfall: a missing low-cost input (a magnet, a chip) stops the much larger product that
    needs it (a motor, a car), and the input-output model passes that on in fixed proportions, except that
    redesign and thrifting replace up to 10 % of the use of mature_chip, compound_chip, ndfeb_magnet,
    mature_idm_chip, germanium and gallium, reached over 180 days from the first short day or an export control upstream, if earlier; output that waited for a missing input is made up later only from inputs delivered beyond use, at most 14 % of normal output a day (make-up, docs/model.md §8.3); the rest is a lost sale.
    """
    table = load_io_table() if table is None else table
    head = ("Why many times the shortfall: a missing low-cost input (a magnet, a chip) stops the much larger "
            "product that needs it (a motor, a car), and the input-output model passes that on in fixed proportions")
    groups: dict[tuple[float, float], list[str]] = {}
    for commodity, (share, days) in table.substitution.items():
        if share > 0:
            groups.setdefault((share, days), []).append(commodity)
    if not groups:
        return f"{head}, with no substitution; {_MAKEUP}"
    def listed(names: list[str]) -> str:
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    parts = [f"up to {100 * share:g} % of the use of {listed(names)}, reached over {days:g} days"
             for (share, days), names in groups.items()]
    return (f"{head}, except that redesign and thrifting replace {'; '.join(parts)} from the first short day "
            f"or an export control upstream, if earlier; {_MAKEUP}")


def __getattr__(name: str) -> str:
    # RATIO_CAVEAT and SCOPE_NOTE read the built-in table, so they are made when first asked for, not on import.
    if name == "RATIO_CAVEAT":
        return ratio_caveat()
    if name == "SCOPE_NOTE":
        return scope_note()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def mapped_inputs(table: IOTable | None = None) -> list[str]:
    """The inputs the table's industries depend on, in words: a kind for chips, cells and magnets, else the id.

    Read from the table's dependence mapping (``[[dependence]]``, docs/model.md §8.3; default
    `load_io_table`), so the lines that say what value added lost counts name every input it counts:
    gallium and germanium are mapped too, not only chips, cells and magnets.

    Examples
    --------
    >>> mapped_inputs()
    ['chips', 'cells', 'magnets', 'germanium', 'gallium']
    """
    table = load_io_table() if table is None else table
    words: list[str] = []
    for commodity in table.dependence:
        word = input_kind(commodity)
        if word not in words:
            words.append(word)
    return words


def _listed(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def scope_note(table: IOTable | None = None) -> str:
    """The line under the total: what the figure counts, so that a blockade's chain-only loss is not read as
    its whole cost.

    The inputs it names are the ones the table maps (`mapped_inputs`); `SCOPE_NOTE` is this line for the
    built-in table.

    Examples
    --------
    >>> print(scope_note())  # doctest: +NORMALIZE_WHITESPACE
    Scope: only the output that the chips, cells, magnets, germanium and gallium not delivered stop; a
    blockade's or war's other losses (the rest of its trade, energy, shipping, finance) are not in it, so for
    such shocks this is a lower bound.
    """
    return (f"Scope: only the output that the {_listed(mapped_inputs(table))} not delivered stop; a blockade's or "
            "war's other losses (the rest of its trade, energy, shipping, finance) are not in it, so for such "
            "shocks this is a lower bound.")

#: What the list of written files says when no value added was lost and so no chart was drawn.
NOTHING_LOST = "no value added lost, so no value_added_loss.png"


def value_added_lost(frame: pd.DataFrame) -> bool:
    """Whether any region of a `value_added_loss_table` lost (or gained) value added.

    Examples
    --------
    >>> value_added_lost(pd.DataFrame({"region": ["JP", "KR"], "value_added_loss_usd": [0.0, 1e-7]}))
    False
    >>> value_added_lost(pd.DataFrame({"region": ["JP", "JP"], "value_added_loss_usd": [2e9, 1e9]}))
    True
    """
    totals = frame.groupby("region", sort=False)["value_added_loss_usd"].sum()
    return bool((totals.abs() >= _NONE_USD).any())


def chain_using_sectors(table: IOTable) -> tuple[str, ...]:
    """Industries of ``table`` that use an input it maps (`mapped_inputs`: a dependence above 0 in some region).

    The rest of the economy (``OTH``, every other industry together) is never one of them, even where
    a small use is mapped to it (germanium's catalysts): it keeps its own column, as an aggregate of
    most of the economy would otherwise be "the largest user" by construction.

    Examples
    --------
    >>> chain_using_sectors(load_io_table())
    ('C26', 'C27', 'C28', 'C29')
    """
    uses = np.zeros(len(table.sectors), dtype=bool)
    for weights in table.dependence.values():
        uses |= (np.asarray(weights) > 0).any(axis=0)
    return tuple(s for s, used in zip(table.sectors, uses) if used and s != REST_OF_ECONOMY)


def format_value_added(frame: pd.DataFrame, ended: dt.date | None = None,
                       unvalued: dict[str, dict[str, float]] | None = None) -> str:
    """The block ``run`` prints: value added lost per region, where it falls, and its share of GDP.

    The industries that use the inputs the table maps (`mapped_inputs`; C26-C29 in the shipped table:
    those with a dependence on them) come first, with the largest of them named; the rest of the economy (OTH,
    every other industry together, which their losses propagate into) has its own column rather than
    being named "the largest industry": an aggregate of most of the economy is largest by construction.
    ``frame`` is a `value_added_loss_table`; its ``attrs`` say
    whether it is a mean over several runs and net of a baseline, and the total line says so.
    ``ended`` is the day every shock had ended by (`shocks_ended`), None when one was still in force at the
    end: the lines on the run rate (`format_run_rate`) say which. ``unvalued`` (`unvalued_shortfall`) is the
    shortfall of demands the channel does not value: a line names it (`format_unvalued`), and with no value
    added lost the block says "No value added counted", not "lost", so that a cobalt cut's shortfall never
    reads as costing nothing.

    Examples
    --------
    >>> frame = pd.DataFrame({"region": ["JP", "JP"], "sector": ["C26", "OTH"],
    ...                       "value_added_loss_usd": [2e9, 1e9]})
    >>> frame.attrs.update(n_runs=200, net_of_baseline=True)
    >>> print(format_value_added(frame))  # doctest: +NORMALIZE_WHITESPACE
    Value added lost beyond the chain (input-output model, docs/model.md §8.3): in the industries that use chips, cells, magnets, germanium or gallium, and in the rest of the economy (every other industry)
    region  value added lost  share of GDP  in the industries using them         largest user  rest of economy
    ------  ----------------  ------------  ----------------------------  -------------------  ---------------
    JP               $3.00bn        0.061%                       $2.00bn  electronics $2.00bn          $1.00bn
    Total value added lost: $3.00bn (mean over runs, against the unshocked baseline).
    Scope: only the output that the chips, cells, magnets, germanium and gallium not delivered stop; a blockade's or war's other losses (the rest of its trade, energy, shipping, finance) are not in it, so for such shocks this is a lower bound.
    """
    table = load_io_table()
    gdp = dict(zip(table.regions, value_added_by_region(table)))
    users = chain_using_sectors(table)
    by_region = frame.groupby("region", sort=False)["value_added_loss_usd"]
    rows = []
    for region, values in by_region:
        total = float(values.sum())
        if abs(total) < _NONE_USD:
            continue
        using = frame.loc[values.index, "sector"].isin(users).to_numpy()
        chain = values[using]
        at = chain.abs().idxmax() if len(chain) else None
        chain_top = (f"{sector_name(str(frame.loc[at, 'sector']))} {format_usd(float(chain.loc[at]))}"
                     if at is not None else "")
        share = total / gdp[region] if region in gdp else float("nan")
        # Three decimals of a per cent, or two significant figures below 0.01 % (a mineral ban's share of a
        # large economy's GDP read 0.000 %).
        digits = 3 if abs(100 * share) >= 0.01 or not np.isfinite(share) or share == 0 else \
            1 - int(np.floor(np.log10(abs(100 * share))))
        pct = f"{100 * share:.{digits}f}%"
        rows.append([str(region), format_usd(total), pct, format_usd(float(chain.sum())),
                     chain_top, format_usd(float(values[~using].sum()))])
    inputs = mapped_inputs(table)
    head = ("Value added lost beyond the chain (input-output model, docs/model.md §8.3): in the industries that use "
            f"{_listed(inputs, 'or')}, and in the rest of the economy (every other industry)")
    outside = format_unvalued(unvalued or {}, mapped_inputs(table))
    if not rows:  # one line, not a table of nothing and a total of $0
        short = "shorter than in the unshocked baseline" if frame.attrs.get("net_of_baseline") else "short"
        word = "counted" if outside else "lost"
        return (f"{head}\nNo value added {word}: no demand for {_listed(inputs, 'or')} was {short}."
                + (f"\n{outside}" if outside else ""))
    body = format_columns(["region", "value added lost", "share of GDP", "in the industries using them",
                           "largest user", "rest of economy"], rows, 1)
    total = float(frame["value_added_loss_usd"].sum())
    how = ["mean over runs"] if frame.attrs.get("n_runs", 1) > 1 else []
    how += ["against the unshocked baseline"] if frame.attrs.get("net_of_baseline") else []
    lines = [head, *body, f"Total value added lost: {format_usd(total)}" + (f" ({', '.join(how)})." if how else "."),
             *format_run_rate(frame.attrs.get("run_rate"), ended), scope_note(table), *([outside] if outside else [])]
    short = float(frame.attrs.get("shortfall_usd", 0.0))
    given = frame.attrs.get("given_up_usd")
    given = float(given) if given is not None and given > 0.5 else 0.0
    if short + given > 0.5:
        # Value added lost counts demand given up to prices as not delivered (docs/model.md §8.3), so the
        # divisor holds it too: without it a small shortfall under high prices gave thousands of USD per USD.
        what, parts = shortfall_products(frame.attrs.get("shortfall_by_commodity"), short, table)
        gone = (f"not delivered or given up to higher prices ({format_usd(short)} not delivered{parts}, "
                f"{format_usd(given)} given up)" if given else f"not delivered ({format_usd(short)}{parts})")
        lines.append(f"Loss given shortfall: {total / (short + given):.1f} USD of value added per USD of "
                     f"{what} {gone}.")
        lines += format_by_input(frame.attrs.get("by_input"))
        if total > short + given:
            lines.append(ratio_caveat())
    return "\n".join(lines)


def format_by_input(by_input: dict[str, tuple[float, float]] | None) -> list[str]:
    """The line on each kind of input's loss alone (`supplychain.analytics.impact.value_added_by_input`), or none.

    Examples
    --------
    >>> print(format_by_input({"chips": (127.4e9, 8.9e9), "magnets": (127.2e9, 0.263e9)})[0])
    Through each input alone (the others delivered; paths overlap, so these need not add up): chips $127bn (14.3 USD per USD short), magnets $127bn (484 USD per USD short).
    >>> format_by_input(None)
    []
    """
    if not by_input:
        return []
    parts = [f"{kind} {format_usd(loss)} ({loss / short:.{1 if loss / short < 100 else 0}f} USD per USD short)"
             for kind, (loss, short) in by_input.items()]
    return ["Through each input alone (the others delivered; paths overlap, so these need not add up): "
            + ", ".join(parts) + "."]


def shortfall_products(by_commodity: dict[str, float] | None, total: float,
                       table: IOTable | None = None) -> tuple[str, str]:
    """What the loss given shortfall divides by, named: the products and, when several, their USD.

    The divisor counts every input the input-output table's industries buy (`mapped_inputs` of ``table``,
    default `load_io_table`: chips, cells and magnets, and gallium and germanium too), so a mineral ban's
    ratio is per USD of the minerals, not of chips. Products under 1 % of the shortfall are left out of
    the words; with no breakdown (archives written before it) or more than three products, the words
    are the mapped inputs.

    Examples
    --------
    >>> shortfall_products({"gallium": 3.0e6, "germanium": 1.44e6}, 4.44e6)
    ('gallium and germanium', ': gallium $3.00M, germanium $1.44M')
    >>> shortfall_products({"mature_chip": 5e9, "gallium": 1.0}, 5e9)
    ('mature_chip', '')
    >>> shortfall_products({"logic_chip": 4e9, "mature_chip": 2e9, "ndfeb_magnet": 1e9, "cell": 5e8}, 7.5e9)
    ('the chips, cells, magnets, germanium and gallium the industries buy', ': logic_chip $4.00bn, mature_chip $2.00bn, ndfeb_magnet $1.00bn and 1 more')
    >>> shortfall_products(None, 1e6)
    ('the chips, cells, magnets, germanium and gallium the industries buy', '')
    """
    generic = f"the {_listed(mapped_inputs(table))} the industries buy"
    shown = [(c, v) for c, v in (by_commodity or {}).items() if v > 0.01 * max(total, 0.0)]
    if not shown:
        return generic, ""
    names = [c for c, _ in shown]
    if len(names) > 3:  # a blockade's dozen chip lines: the kind in words, the largest three in USD
        more = f" and {len(shown) - 3} more"
        return generic, ": " + ", ".join(f"{c} {format_usd(v)}" for c, v in shown[:3]) + more
    what = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    parts = "" if len(shown) == 1 else ": " + ", ".join(f"{c} {format_usd(v)}" for c, v in shown)
    return what, parts


def tariff_cost_note(scenario: Scenario) -> str:
    """The line under "No value added lost" when tariffs act on prices but on no quantity, else "".

    Without a `Tariff` ``demand_elasticity`` or price feedback, buyers re-source and keep buying what they
    need: a tariff's cost is the duty and the dearer sourcing, not output lost, and "No value added lost"
    alone read as "this tariff costs nothing".

    Examples
    --------
    >>> from supplychain import Tariff, load_baseline
    >>> duty = Tariff(importer="US", exporter="CN", commodity="aam", rate=1.185)
    >>> tariff_cost_note(load_baseline(horizon_days=30).with_shocks(duty))[:40]
    "The tariffs' cost is the duty paid and t"
    >>> tariff_cost_note(load_baseline(horizon_days=30))
    ''
    """
    from ..model.shocks.trade import Tariff

    tariffs = [s for s in scenario.shocks if isinstance(s, Tariff)]
    if not tariffs or scenario.price_feedback or any(t.demand_elasticity > 0 for t in tariffs):
        return ""
    return ("The tariffs' cost is the duty paid and the dearer sourcing in the tables above, not output lost: "
            "buyers re-source and keep buying what they need. A Tariff's demand_elasticity, or --price-feedback, "
            "lets demand fall with the higher landed price, and the output that costs counts here "
            "(docs/model.md §8.3).")


def shocks_ended(scenario: Scenario) -> dt.date | None:
    """The date by which every shock of ``scenario`` had ended, or None when one was in force on its last day.

    Shocks in force on day 0 are standing conditions, in the unshocked baseline too (`Scenario.without_shocks`),
    and responses (stockpile releases, investment) cost nothing themselves: neither counts. None too when
    the scenario has no other shock.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock
    >>> quake = CapacityShock(region="CN", fraction_lost=0.6, start=10, end=40)
    >>> shocks_ended(toy_scenario(100).with_shocks(quake))
    datetime.date(2025, 2, 10)
    >>> shocks_ended(toy_scenario(30).with_shocks(quake)) is None     # still in force on day 29
    True
    """
    n_days = scenario.horizon_days
    stops = [s.span(scenario.start_date, n_days)[1] for s in scenario.shocks if not s.in_force(scenario.start_date)]
    if not stops or max(stops) >= n_days:
        return None
    return scenario.date_of(max(stops))


def format_run_rate(rate: pd.DataFrame | None, ended: dt.date | None = None) -> list[str]:
    """The lines on the loss still being lost when the run ended (`supplychain.metrics.loss_run_rate`).

    One line gives the run rate (the mean daily loss of the last days x 365, world and the region losing
    most) and the share of the total lost in those days; a second says when the total understates the
    shock: the loss was still rising, or still running at more than 5 % of the total a year. It says what
    keeps costing: a shock still in force, or, when every shock had ended by ``ended`` (`shocks_ended`), the
    shortages it left (the first deliveries after it still on their way, stocks being rebuilt). Nothing for
    per-run summaries (``None``: they keep no daily loss) or when nothing was lost.

    Examples
    --------
    >>> rate = pd.DataFrame({"loss_usd": [4.9e9, 2.3e10], "run_rate_usd_per_year": [2.7e10, 1.3e11],
    ...                      "previous_run_rate_usd_per_year": [2.8e10, 1.3e11], "last_days_share": [0.41, 0.42],
    ...                      "rising": [False, False]}, index=pd.Index(["US", "ALL"], name="region"))
    >>> rate.attrs.update(days=30, horizon_days=365)
    >>> for line in format_run_rate(rate):
    ...     print(line)
    Run rate at the end: $130bn a year (mean daily loss of the last 30 days x 365; US $27.0bn); 42.0% of the total was lost in those 30 days.
    Still losing when the run ended: the total covers 365 days of a shock that was costing $130bn a year at the end; a shock still in force keeps costing beyond the horizon (supplychain.analytics.impact.steady_loss runs it until the loss settles).
    >>> print(format_run_rate(rate, ended=dt.date(2025, 5, 2))[1])
    Still losing when the run ended: the shocks had ended on 2025-05-02, but the shortages they left (the first deliveries after them still on their way, stocks being rebuilt) were costing $130bn a year at the end; the total covers 365 days and stops before they do (a longer --horizon, or supplychain.analytics.impact.steady_loss, runs until the loss settles).

    After the shock, output above the baseline's (making up what was lost) is not read as a negative loss:

    >>> rate.loc[:, "run_rate_usd_per_year"] = [-2.6e8, -6.8e8]
    >>> print(format_run_rate(rate)[0])
    Run rate at the end: value added $680M a year above the baseline's (mean of the last 30 days x 365; US $260M): industries were making up output they had lost (bounded overproduction, docs/model.md §8.3); the total already counts it against the loss.
    """
    if rate is None or "ALL" not in rate.index:
        return []
    total, end = float(rate.loc["ALL", "loss_usd"]), float(rate.loc["ALL", "run_rate_usd_per_year"])
    if abs(total) < _NONE_USD and abs(end) < _NONE_USD:
        return []
    days, horizon = int(rate.attrs.get("days", 30)), int(rate.attrs.get("horizon_days", 0))
    regions = rate.drop(index="ALL")
    top = regions["run_rate_usd_per_year"].abs().idxmax() if len(regions) else None
    where = f"; {top} {format_usd(float(regions.loc[top, 'run_rate_usd_per_year']))}" if top is not None else ""
    share = float(rate.loc["ALL", "last_days_share"])
    lost = (f"; {format_percent(share)} of the total was lost in those {days} days" if np.isfinite(share) else "")
    if abs(end) < RISING_FLOOR_USD_PER_YEAR:
        return [f"Run rate at the end: under {format_usd(RISING_FLOOR_USD_PER_YEAR)} a year over the last {days} "
                "days: the loss had ended within the horizon."]
    if end < 0:   # output above the baseline's: industries making up what they lost, not a saving
        where = f"; {top} {format_usd(-float(regions.loc[top, 'run_rate_usd_per_year']))}" if top is not None else ""
        return [f"Run rate at the end: value added {format_usd(-end)} a year above the baseline's (mean of the last "
                f"{days} days x 365{where}): industries were making up output they had lost (bounded overproduction, "
                "docs/model.md §8.3); the total already counts it against the loss."]
    lines = [f"Run rate at the end: {format_usd(end)} a year (mean daily loss of the last {days} days x 365{where})"
             f"{lost}."]
    rising = [str(r) for r in regions.index[regions["rising"].to_numpy(dtype=bool)]]
    up = f", still rising in {', '.join(rising)}" if rising else ""
    if ended is None:
        helper = "supplychain.analytics.impact.steady_loss runs it until the loss settles"
        if end > 0.05 * abs(total) and end > _NONE_USD:
            lines.append(f"Still losing when the run ended: the total covers {horizon} days of a shock that was "
                         f"costing {format_usd(end)} a year at the end{up}; a shock still in force keeps costing "
                         f"beyond the horizon ({helper}).")
        elif rising:
            lines.append(f"Loss still rising when the run ended ({', '.join(rising)}): the total stops at day "
                         f"{horizon} while the shock keeps costing more; {helper}.")
        return lines
    # Every shock had ended: what still costs is the shortage it left, which a longer run sees end.
    left = (f"the shocks had ended on {ended.isoformat()}, but the shortages they left (the first deliveries after "
            "them still on their way, stocks being rebuilt)")
    helper = "a longer --horizon, or supplychain.analytics.impact.steady_loss, runs until the loss settles"
    if end > 0.05 * abs(total) and end > _NONE_USD:
        lines.append(f"Still losing when the run ended: {left} were costing {format_usd(end)} a year at the "
                     f"end{up}; the total covers {horizon} days and stops before they do ({helper}).")
    elif rising:
        lines.append(f"Loss still rising when the run ended ({', '.join(rising)}): {left} were costing more; the "
                     f"total stops at day {horizon} ({helper}).")
    return lines


def save_value_added(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None,
                     folder: Path) -> list[str]:
    """Write ``value_added_loss.csv`` and ``value_added_loss.png`` into ``folder``; return their names.

    The chart is left out when no region lost value added (`value_added_lost`): a figure of
    empty bars says less than the one line the caller prints instead (`NOTHING_LOST`).
    """
    from matplotlib.figure import Figure

    from ..plotting.impact import plot_value_added_loss

    frame = value_added_loss_table(results, baseline)
    frame.to_csv(folder / "value_added_loss.csv", index=False)
    if not value_added_lost(frame):
        return ["value_added_loss.csv"]
    table = load_io_table()
    arr = frame["value_added_loss_usd"].to_numpy().reshape(1, len(table.regions), len(table.sectors))
    ax = plot_value_added_loss(arr, regions=table.regions, sectors=table.sectors,
                               ax=Figure(figsize=(9, 3.6), layout="constrained").subplots())
    how = ([f"mean of {frame.attrs['n_runs']} runs"] if frame.attrs["n_runs"] > 1 else []) + (
        ["against the unshocked baseline"] if frame.attrs["net_of_baseline"] else [])
    ax.set_xlabel("value added lost (bn USD" + "".join(f", {h}" for h in how) + ")")
    ax.figure.savefig(folder / "value_added_loss.png", dpi=110)
    return ["value_added_loss.csv", "value_added_loss.png"]
