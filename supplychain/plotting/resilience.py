"""Plots of resilience analytics: fans, resilience curves, flow changes, tornado, scorecard.

What belongs here: ``plot_*(..., ax=None) -> Axes`` functions for the
outputs of `supplychain.analytics`. matplotlib is imported only when a
function runs, and nothing here calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import _LIST_AT_MOST, check_known, close_matches, fail, shown
from ..errors import UnknownIdError
from ..analytics._groups import shock_day_of
from ..analytics.resilience import (
    performance,
    resilience_loss,
    time_to_recover,
    time_to_survive,
)
from ..metrics.pairing import checks_pair
from ..metrics.service import Grouping, group_labels
from .change import plot_flow_delta
from .results import _compact, _date_axis, _new_axes, _series, plot_flows, shade_shocks

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["plot_fan", "plot_resilience_curve", "plot_flow_change", "plot_tornado", "plot_scorecard"]

#: Scorecard columns where a lower value is worse (all others: higher is worse).
_LOWER_IS_WORSE = frozenset({"fill_rate", "tts_days"})


def _fan(ax: Axes, days: np.ndarray, series: np.ndarray, percentiles: Sequence[float], label: str,
         color: str) -> None:
    """Median line and nested percentile bands of ``series`` (runs, days)."""
    ax.plot(days, np.median(series, axis=0), color=color, label=label)
    if series.shape[0] < 2:
        return
    pairs = list(zip(percentiles[: len(percentiles) // 2], percentiles[::-1]))
    for k, (lo, hi) in enumerate(pairs):
        low, high = np.percentile(series, [lo, hi], axis=0)
        ax.fill_between(days, low, high, color=color, alpha=0.15 + 0.1 * k, linewidth=0)


def _check_argument(value: object, available: Sequence[str] | dict[str, Any], arg: str, where: str) -> None:
    """Raise `UnknownIdError` naming ``plot_fan``'s ``arg`` and what is available.

    Examples
    --------
    >>> _check_argument("delivered", ["service_level", "shortfall_usd"], "variable", "an ensemble")
    Traceback (most recent call last):
    ...
    supplychain.errors.UnknownIdError: plot_fan: variable='delivered' is not available for an ensemble; available: service_level, shortfall_usd.
    """
    names = [str(a) for a in available]
    if isinstance(value, str) and value in names:
        return
    listed = ", ".join(names[:_LIST_AT_MOST]) + (f" ... ({len(names)} in all)" if len(names) > _LIST_AT_MOST else "")
    hits = close_matches(value, names) if isinstance(value, str) else []
    hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
    raise UnknownIdError(f"plot_fan: {arg}={shown(value)} is not available for {where}; available: {listed}.{hint}")


@checks_pair
def plot_fan(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None = None, *,
             variable: str | None = None, ident: str | None = None, by: Grouping | None = "region",
             usd: bool = True, percentiles: Sequence[float] = (5, 25, 75, 95), ax: Axes | None = None) -> Axes:
    """Median and percentile fan bands of one series over calendar dates, shocked against baseline.

    Parameters
    ----------
    results, baseline : Results or EnsembleResults
        Shocked runs and (optionally) baseline runs with the same seed. For
        memory-light ensembles (``keep="summary"``) the fan is drawn from the
        stored bands by `plot_ensemble_fan`.
    variable : str, optional
        A recorded variable (``delivered``, ``inventory``, ``flow`` ...; default
        ``delivered``); for an ensemble a stored band (``shortfall_usd``, the
        default, or ``service_level``). Why a cumulative shortfall can rise
        again long after an outage ends: `plot_ensemble_fan`, *Notes*.
    ident : str, optional
        Item or group to draw; default: the sum of all (``"ALL"`` for an ensemble).
    by : {"region", "commodity", "region_commodity", "demand"} or None
        Grouping of items (``None``: raw items).
    usd : bool
        Value quantities at reference prices (needed to add commodities).
    percentiles : sequence of float
        Symmetric band edges, e.g. ``(5, 25, 75, 95)`` for 5-95 and 25-75 bands.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> ax = plot_fan(simulate(toy_scenario(20), seed=0), ident="US")
    >>> ax.get_xlabel()
    'date'
    """
    from ..results.ensemble import EnsembleResults
    from ..results.series import VARIABLE_AXES
    from .ensemble import plot_ensemble_fan
    if isinstance(results, EnsembleResults):
        if baseline is not None and not isinstance(baseline, EnsembleResults):
            raise fail("baseline", "an EnsembleResults like results", type(baseline).__name__, "plot_fan")
        memory_light = ("a memory-light ensemble (keep=\"summary\"), which keeps daily percentile bands "
                        "of these series only")
        _check_argument(variable or "shortfall_usd", results.bands, "variable", memory_light)
        _check_argument(ident or "ALL", results.band_groups, "ident",
                        "a memory-light ensemble, whose bands are per region and 'ALL'")
        return plot_ensemble_fan(results, baseline, series=variable or "shortfall_usd", group=ident or "ALL",
                                 band=(percentiles[0], percentiles[-1]), ax=ax)
    if isinstance(baseline, EnsembleResults):
        raise fail("baseline", "Results like results", type(baseline).__name__, "plot_fan")
    variable = variable or "delivered"
    _check_argument(variable, VARIABLE_AXES, "variable", "these results")
    ax = _new_axes(ax)
    for res, label, color in ((baseline, "baseline", "0.45"), (results, results.scenario.title, "C3")):
        if res is None:
            continue
        labels, values, _ = _series(res, variable, by, usd)
        if ident is not None:
            _check_argument(ident, labels, "ident", f"these results grouped by={by!r}")
            series = values[:, :, labels.index(ident)]
        else:
            series = values.sum(axis=2)
        _fan(ax, np.array(res.dates, dtype="datetime64[D]"), series, percentiles, label, color)
    shade_shocks(ax, results.scenario, results.n_days)
    ax.set_xlabel("date")
    _date_axis(ax)
    ax.set_ylabel(f"{variable}{' (USD/day)' if usd else ''}")
    runs = [r.n_runs for r in (results, baseline) if r is not None]
    # _fan draws no band for a single run, so the title must not promise percentiles.
    shown = ("one run, no percentile band" if max(runs) == 1 else
             f"median, {percentiles[0]:g}-{percentiles[-1]:g}th percentiles of {results.n_runs:,} runs")
    ax.set_title(f"{variable}: {ident or 'all'} ({shown})")
    ax.legend(fontsize="small")
    return ax


@checks_pair
def plot_resilience_curve(results: Results, baseline: Results | None = None, *, group: str | None = None,
                          by: Grouping = "region", fail_below: float = 0.95, recover_at: float = 0.99,
                          sustain_days: int = 14, ax: Axes | None = None) -> Axes:
    """Performance P(t) relative to baseline, with the loss area, TTS and TTR marked.

    The shaded area is the resilience loss, the "resilience triangle" of
    Bruneau et al., 2003, *Earthquake Spectra* 19(4):733-752; the dotted lines are the scenario's shock day
    (`Scenario.shock_day`, drawn with the shaded
    shock window only when the scenario has one), ``t_fail`` (shock + mean TTS) and ``t_rec`` (shock +
    mean TTR), after Simchi-Levi, Schmidt & Wei, 2014, *Harvard Business Review* 92(1/2):96-101. ``group`` defaults to the group with the
    largest loss.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.analytics.stress import knockout_scenario
    >>> from supplychain import simulate
    >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=15, horizon_days=60)
    >>> ax = plot_resilience_curve(simulate(sc, seed=0), by="demand", sustain_days=7)
    >>> ax.get_title()
    'US.ore: TTS 11 d, TTR 16 d, loss 5 d'
    """
    labels = group_labels(results, by=by)
    loss = resilience_loss(results, baseline=baseline, by=by)
    g = int(np.argmax(loss.mean(axis=0))) if group is None else labels.index(check_known(group, labels, "group",
                                                                                        "plot_resilience_curve"))
    p = performance(results, baseline=baseline, by=by)[:, :, g]
    t0 = shock_day_of(results)
    tts = float(np.mean(time_to_survive(results, baseline=baseline, by=by, threshold=fail_below)[:, g]))
    ttr = float(np.mean(time_to_recover(results, baseline=baseline, by=by, fail_below=fail_below,
                                        recover_at=recover_at, sustain_days=sustain_days)[:, g]))
    ax = _new_axes(ax)
    days = np.arange(results.n_days)
    dates = np.array(results.dates, dtype="datetime64[D]")
    mean = p.mean(axis=0)
    _fan(ax, dates, p, (5, 95), "performance", "C0")
    after = days >= t0
    ax.fill_between(dates, np.minimum(mean, 1.0), 1.0, where=after & (mean < 1.0), color="C3", alpha=0.3,
                    label="resilience loss")
    ax.axhline(fail_below, color="0.5", linewidth=0.8, linestyle="--")
    shade_shocks(ax, results.scenario, results.n_days)
    marks = [(t0 + tts, "t_fail"), (t0 + ttr, "t_rec")]
    if results.scenario.shock_day is not None:  # shade_shocks drew its line; name it
        marks.insert(0, (t0, "shock"))
    for day, text in marks:
        if np.isfinite(day):
            when = dates[0] + np.timedelta64(int(round(day * 24)), "h")
            if text != "shock":
                ax.axvline(when, color="0.3", linewidth=0.8, linestyle=":")
            ax.text(when, 0.02, f" {text}", transform=ax.get_xaxis_transform(), fontsize="small")
    ax.set_ylim(bottom=min(0.0, float(mean.min()) - 0.05))
    ax.set_xlabel("date")
    _date_axis(ax)
    ax.set_ylabel("performance (1 = baseline)")
    ax.set_title(f"{labels[g]}: TTS {tts:.0f} d, TTR {ttr:.0f} d, loss {float(loss[:, g].mean()):.3g} d")
    ax.legend(fontsize="small", loc="lower right")
    return ax


def plot_flow_change(before: Results, after: Results, commodity: str, *, usd: bool = False,
                     axes: Sequence[Axes] | None = None) -> list[Axes]:
    """Region-to-region flows of ``commodity`` before and after a shock, and their change.

    The first two panels are `supplychain.plotting.plot_flows`; the
    third shows ``after - before`` (red: less trade, blue: more).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> res = simulate(toy_scenario(10), seed=0)
    >>> len(plot_flow_change(res, res, "ore"))
    3
    """
    if axes is None:
        from matplotlib.figure import Figure
        axes = list(Figure(figsize=(14, 4.2), layout="constrained").subplots(1, 3))
    if len(axes) != 3:
        raise fail("axes", "three Axes", len(axes), "plot_flow_change")
    plot_flows(before, commodity, ax=axes[0], usd=usd)
    plot_flows(after, commodity, ax=axes[1], usd=usd)
    axes[0].set_title(f"before: {axes[0].get_title()}", fontsize="small")
    axes[1].set_title(f"after: {axes[1].get_title()}", fontsize="small")
    plot_flow_delta(before, after, commodity, usd=usd, ax=axes[2])
    return list(axes)


def plot_tornado(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Tornado chart of sensitivities, most influential input on top.

    ``table`` is `one_at_a_time`
    (bars from the base value to the metric at each end of the range) or
    `sensitivity` (bars of ``ST``
    with ``S1`` marked, or of the signed ``SRC``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"low": [3.0, 9.0], "high": [12.0, 11.0], "base": [10.0, 10.0]}, index=["a", "b"])
    >>> [x.get_text() for x in plot_tornado(t).get_yticklabels()]
    ['b', 'a']
    """
    ax = _new_axes(ax)
    rows = list(table.index)[::-1]
    y = np.arange(len(rows))
    if {"low", "high", "base"} <= set(table.columns):
        t = table.loc[rows]
        base = float(t["base"].iloc[0])
        ax.barh(y, t["low"] - base, left=base, color="C0", label="input at low end")
        ax.barh(y, t["high"] - base, left=base, color="C3", label="input at high end")
        ax.axvline(base, color="0.2", linewidth=0.8)
        ax.set_xlabel("metric")
    elif "ST" in table.columns:
        ax.barh(y, table.loc[rows, "ST"], color="C0", label="total order (ST)")
        ax.scatter(table.loc[rows, "S1"], y, color="C3", zorder=3, label="first order (S1)")
        ax.set_xlabel("Sobol index")
    elif "SRC" in table.columns:
        ax.barh(y, table.loc[rows, "SRC"], color=np.where(table.loc[rows, "SRC"] < 0, "C0", "C3"))
        ax.axvline(0.0, color="0.2", linewidth=0.8)
        ax.set_xlabel("standardized regression coefficient")
    else:
        raise fail("table", "a one_at_a_time or sensitivity table", list(table.columns), "plot_tornado")
    ax.set_yticks(y, [str(r) for r in rows])
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small")
    ax.set_title("sensitivity")
    return ax


def plot_scorecard(card: pd.DataFrame, *, metrics: Sequence[str] | None = None, ax: Axes | None = None,
                   **imshow_kw: Any) -> Axes:
    """Heatmap of a scorecard: one row per shock, one column per metric, red = worse.

    Colours rank each column from best (0) to worst (1) among the shocks;
    cells show the mean values.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> card = pd.DataFrame({"fill_rate": [0.9, 1.0], "tts_days": [12.0, float("inf")]}, index=["a", "b"])
    >>> plot_scorecard(card).get_xticklabels()[1].get_text()
    'tts_days'
    """
    cols = [c for c in card.columns if not c.endswith(("_lo", "_hi"))] if metrics is None else list(metrics)
    values = card[cols].to_numpy(dtype=float)
    finite = np.where(np.isfinite(values), values, np.nan)
    # An unbounded TTS is the best possible; other infinities the worst.
    filled = np.where(np.isposinf(values), np.nanmax(np.abs(finite), axis=0, initial=0.0) * 2 + 1, values)
    span = np.nanmax(filled, axis=0) - np.nanmin(filled, axis=0)
    badness = (filled - np.nanmin(filled, axis=0)) / np.where(span > 0, span, 1.0)
    flip = np.array([c in _LOWER_IS_WORSE for c in cols])
    badness[:, flip] = 1.0 - badness[:, flip]
    badness[:, ~(span > 0)] = 0.0   # a column where every shock scores the same ranks none worse
    ax = _new_axes(ax)
    ax.imshow(np.nan_to_num(badness), cmap=imshow_kw.pop("cmap", "Reds"), vmin=0.0, vmax=1.0, aspect="auto",
              **imshow_kw)
    for (i, j), value in np.ndenumerate(values):
        ax.text(j, i, "inf" if np.isinf(value) else _compact(value), ha="center", va="center", fontsize="x-small",
                color="white" if badness[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(cols)), cols, rotation=40, ha="right")
    ax.set_yticks(range(len(card)), [str(i) for i in card.index])
    ax.set_title("scorecard (red = worse, ranked per column)")
    return ax
