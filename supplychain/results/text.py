"""Results as plain text for people: the summary table in the one number format of `supplychain._format`.

The command line prints the same text (``supplychain run``), so Python and
the terminal show one format: money as ``$92.4M``, shares in percent,
quantities with thousands separators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._format import format_columns, format_percent, format_units, format_usd
from .labelled import engine_words

if TYPE_CHECKING:
    from .ensemble import EnsembleResults
    from .series import Results

__all__ = ["format_summary", "run_head"]


def run_head(results: Results | EnsembleResults) -> str:
    """One line naming the scenario, engine, runs, seed and horizon of ``results``.

    The vector engine says whether it ran compiled loops or NumPy alone (`.labelled.engine_words`).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> print(run_head(simulate(load_baseline().with_horizon(10), seed=0)))
    Scenario 'baseline': des engine, 1 run, seed 0, 10 days from 2025-01-01
    """
    s = results.scenario
    runs = f"{results.n_runs} run" + ("s (means over runs)" if results.n_runs > 1 else "")
    feedback = ", price feedback: on" if s.price_feedback else ""
    return (f"Scenario '{s.name}': {engine_words(results)}, {runs}, seed {results.seed}, "
            f"{s.horizon_days} days from {s.start_date.isoformat()}{feedback}")


def format_summary(results: Results | EnsembleResults) -> str:
    """The summary table of ``results`` (``results.summary()``) as plain text, as ``supplychain run`` prints it.

    One row per region, commodity and end-use segment (blank for demands
    without one; chip buyers are split into automotive, industrial and
    electronics): demand, delivered, fill rate, delivery
    rate, cycle service level, shortfall in units and in US dollars, in the one
    number format of every table (no scientific notation), ending with the
    total shortfall.

    Parameters
    ----------
    results : Results or EnsembleResults
        A simulation's results (for an ensemble, the means over runs).

    Returns
    -------
    str
        The text, lines separated by newlines, to ``print``.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> text = format_summary(simulate(load_baseline().with_horizon(10), seed=0))
    >>> print(text.splitlines()[0])
    Scenario 'baseline': des engine, 1 run, seed 0, 10 days from 2025-01-01
    >>> text.splitlines()[-1]
    'Total shortfall: $0'
    """
    table = results.summary()
    headers = ["region", "commodity", "segment", "unit", "demand", "delivered", "fill rate", "delivery rate",
               "cycle service level", "shortfall", "shortfall USD"]
    rows = [[str(r["region"]), str(r["commodity"]), str(r["segment"]), str(r["unit"]), format_units(r["demand"]),
             format_units(r["delivered"]), format_percent(r["fill_rate"]), format_percent(r["delivery_rate"]),
             format_percent(r["cycle_service_level"]), format_units(r["shortfall"]), format_usd(r["shortfall_usd"])]
            for r in table.to_dict("records")]
    legend = ("fill rate: demand served from stock on the day it arose; delivery rate: delivered by the "
              "horizon, late backorders included; cycle service level (cycle_service_level in summary.csv): "
              "share of days without a stockout, a day on which all that was wanted, backlog included, was served.")
    total = f"Total shortfall: {format_usd(float(table['shortfall_usd'].sum()))}"
    lost = _value_added_line(results)
    return "\n".join([run_head(results), ""] + format_columns(headers, rows, n_left=4) + ["", legend, total]
                     + ([lost] if lost else []))


def _value_added_line(results: Results | EnsembleResults) -> str:
    """One line on the value added lost beyond the chain (docs/model.md §8.3), gross of any baseline, with the
    run rate at the end for daily results; empty when the network feeds no industry or nothing was lost.
    """
    from ..impact.loss import feeds_impact
    from ..impact.run_rate import run_rate

    network = results.scenario.network
    if not feeds_impact(network):
        return ""
    if hasattr(results, "bands"):   # per-run summaries: the totals and the daily loss of the last days
        totals, recent = getattr(results, "value_added_loss", None), getattr(results, "value_added_loss_recent", None)
        total = float(totals.sum(axis=(1, 2)).mean()) if totals is not None else 0.0
        if abs(total) < 0.5:
            return ""
        if recent is None:
            return f"Value added lost beyond the chain: {format_usd(total)} (gross: no baseline subtracted)"
        rate = run_rate(recent.sum(axis=2)[:, :, None], total=np.array([total]))
    else:
        rate = run_rate(results.value_added_loss().daily.sum(axis=(2, 3))[:, :, None])
    total, end = float(rate.total[0]), float(rate.rate[0])
    if abs(total) < 0.5:
        return ""
    still = "; still rising when the run ended" if bool(rate.rising[0]) else ""
    return (f"Value added lost beyond the chain: {format_usd(total)} (gross: no baseline subtracted); run rate at "
            f"the end {format_usd(end)} a year (last {rate.days} days){still}")
