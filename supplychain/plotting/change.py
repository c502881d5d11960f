"""What a shock changed, drawn against its baseline: the change, not the totals.

`plot_change` draws, for the region-commodity groups a shock moved the
most, the daily (or cumulative) change of a series between a shocked run set
and its baseline (same seed: paired runs), over calendar dates with the shock
window shaded. `plot_flow_delta` draws the change in region-to-region
trade of one commodity. Both are the default figures of ``supplychain run``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .._validation import check_known, check_number, fail
from ..metrics.pairing import warn_if_reversed as _warn_if_reversed
from ..metrics.service import Grouping
from .results import (
    _compact,
    _date_axis,
    _new_axes,
    _series,
    _unit_label,
    flow_matrix,
    shade_shocks,
    usd_axis,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results.series import Results

__all__ = ["plot_change", "plot_flow_delta", "change_by_group", "most_changed", "warn_if_reversed", "NO_CHANGE",
           "change_label"]

#: Text drawn on an Axes when nothing changed, instead of an empty plot.
NO_CHANGE = "no change against the baseline"


def warn_if_reversed(shocked: Results, baseline: Results, call: str, *, stacklevel: int = 3) -> None:
    """Warn when ``baseline`` is in fact the shocked runs and ``shocked`` their baseline (the pair swapped).

    The functions that set shocked runs against their baseline take them in different positional
    orders, kept for existing scripts: ``compare(before, after)`` (which warns), ``plot_change(shocked, baseline)``,
    ``plot_flow_delta(before, after, commodity)``. The keyword form ``f(shocked, baseline=base)`` reads
    the same everywhere. A pair given the wrong way round is drawn as given (every change reversed) and
    said, never silently swapped: the check is `supplychain.metrics.pairing.warn_if_reversed`, the one
    every such function makes. Runs of unrelated scenarios are not checked.

    Examples
    --------
    >>> import warnings
    >>> from supplychain import simulate, CapacityShock
    >>> from supplychain.analytics._toy import toy_scenario
    >>> base = toy_scenario(20)
    >>> shocked = simulate(base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9)))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_if_reversed(simulate(base), shocked, "plot_change")
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    plot_change(unshocked, shocked): ... call plot_change(shocked, baseline=base).
    """
    order = {"plot_flow_delta": "before then after"}.get(call)
    right = {"plot_flow_delta": "plot_flow_delta(base, shocked, commodity)"}.get(call)
    _warn_if_reversed(shocked, baseline, call, order=order, right=right, stacklevel=stacklevel + 1)


def change_by_group(results: Results, baseline: Results, *, variable: str = "delivered",
                    by: Grouping = "region_commodity", usd: bool = True) -> tuple[tuple[str, ...], np.ndarray]:
    """Group labels and the mean daily change ``results - baseline`` per group, ``(n_days, n_groups)``.

    ``results`` are the shocked runs and ``baseline`` the unshocked ones (a reversed pair warns:
    `warn_if_reversed`).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> base = load_baseline().with_horizon(10)
    >>> labels, delta = change_by_group(simulate(base, seed=0), simulate(base, seed=0))
    >>> delta.shape == (10, len(labels)), float(abs(delta).max())
    (True, 0.0)
    """
    return _change(results, baseline, variable, by, usd, "change_by_group")


def _change(results: Results, baseline: Results, variable: str, by: Grouping, usd: bool,
            call: str) -> tuple[tuple[str, ...], np.ndarray]:
    """`change_by_group` for ``call``, which it names in its errors and warnings."""
    if baseline.n_days != results.n_days:
        raise fail("baseline.n_days", f"the results' horizon ({results.n_days})", baseline.n_days, call)
    warn_if_reversed(results, baseline, call, stacklevel=4)
    labels, shocked, _ = _series(results, variable, by, usd)
    base_labels, base, _ = _series(baseline, variable, by, usd)
    if base_labels != labels:
        raise fail("baseline", "results of the same network", "a different network", call)
    return labels, shocked.mean(axis=0) - base.mean(axis=0)


def most_changed(results: Results, baseline: Results, *, variable: str = "delivered",
                 by: Grouping = "region_commodity", usd: bool = True, top: int = 6) -> list[str]:
    """The ``top`` groups with the largest total absolute daily change against the baseline, largest first.

    Groups that did not change are left out. `plot_change` draws these by default.

    Examples
    --------
    >>> from supplychain import simulate, CapacityShock
    >>> from supplychain.analytics._toy import toy_scenario
    >>> base = toy_scenario(100)
    >>> outage = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=10, end=60))
    >>> most_changed(simulate(outage, seed=0), simulate(base, seed=0), top=2)
    ['US:cell', 'JP:cell']
    """
    check_number(top, "top", "most_changed", low=1)
    labels, delta = _change(results, baseline, variable, by, usd, "most_changed")
    size = np.abs(delta).sum(axis=0)
    return [labels[g] for g in np.argsort(-size, kind="stable") if size[g] > 0][: int(top)]


def plot_change(results: Results, baseline: Results, *, variable: str = "delivered",
                ids: str | Sequence[str] | None = None, by: Grouping = "region_commodity", usd: bool = True,
                top: int = 6, cumulative: bool = False, colors: Mapping[str, str] | None = None,
                ax: Axes | None = None) -> Axes:
    """The change of a series against the baseline for the groups the shock moved most.

    Parameters
    ----------
    results, baseline : Results
        Shocked runs and the same scenario without its shocks (same seed and runs), in this
        order, as every measure takes them: ``plot_change(shocked, baseline=base)`` reads like
        ``compare(shocked, baseline=base)`` and ``who_pays(shocked, baseline=base)``.
        ``compare`` keeps its positional order, before then after, for existing scripts; the
        keyword form is the same everywhere, and a pair given the wrong way round (the first
        the second's scenario without its shocks) draws as given, every change reversed, and
        warns (`warn_if_reversed`).
    variable : str
        A recorded series (default ``delivered``: deliveries to final demand).
    ids : str or sequence of str, optional
        Groups to draw; default the ``top`` groups with the largest total change.
    by : {"region_commodity", "region", "commodity", "demand"}
        How items are grouped (``region_commodity`` labels read ``US:logic_chip``).
    usd : bool
        Value quantities at reference prices (needed to add commodities).
    top : int
        Most groups drawn by default.
    cumulative : bool
        Draw the running total of the change instead of the change per day.
    colors : mapping of str to str, optional
        A matplotlib colour per group, so that several panels colour a group
        alike; groups not in it take ``C0``, ``C1`` ... in the order drawn.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        One line per group, a zero line, the shock window shaded; when nothing
        changed, the text `NO_CHANGE` instead of lines.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import simulate, CapacityShock
    >>> from supplychain.analytics._toy import toy_scenario
    >>> base = toy_scenario(100)
    >>> outage = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=10, end=60))
    >>> ax = plot_change(simulate(outage, seed=0), simulate(base, seed=0))
    >>> ax.get_ylabel(), [line.get_label() for line in ax.get_lines()[1:3]]
    ('change in delivered (USD/day)', ['US:cell', 'JP:cell'])
    """
    check_number(top, "top", "plot_change", low=1)
    labels, delta = _change(results, baseline, variable, by, usd, "plot_change")
    if cumulative:
        delta = np.cumsum(delta, axis=0)
    size = np.abs(delta).sum(axis=0)
    if ids is None:
        order = [g for g in np.argsort(-size, kind="stable") if size[g] > 0][: int(top)]
        wanted = [labels[g] for g in order]
    else:
        wanted = [ids] if isinstance(ids, str) else list(ids)
        for ident in wanted:
            check_known(ident, labels, "id", "plot_change")
    ax = _new_axes(ax)
    dates = np.array(results.dates, dtype="datetime64[D]")
    ax.axhline(0.0, color="0.2", linewidth=0.8)
    colors = {} if colors is None else dict(colors)
    for k, ident in enumerate(wanted):
        ax.plot(dates, delta[:, labels.index(ident)], label=ident, color=colors.get(ident, f"C{k % 10}"))
    shade_shocks(ax, results.scenario, results.n_days)
    if not wanted or not size[[labels.index(i) for i in wanted]].any():
        ax.text(0.5, 0.5, NO_CHANGE, transform=ax.transAxes, ha="center", va="center", color="0.3")
    ax.set_ylabel(change_label(variable, usd=usd, cumulative=cumulative))
    ax.set_xlabel("date")
    _date_axis(ax)
    if usd:
        usd_axis(ax)
    runs = f", mean of {results.n_runs} paired runs" if results.n_runs > 1 else ""
    ax.set_title(f"{results.scenario.title}: {variable} against the baseline{runs}", fontsize="medium")
    if wanted:   # no group moved: no lines, so no legend (matplotlib warns on an empty one)
        ax.legend(fontsize="small", loc="lower left")
    return ax


def change_label(variable: str, *, usd: bool = True, cumulative: bool = False) -> str:
    """The y label of `plot_change`: a rate per day (``delivered``), a level held at the end of each day
    (``inventory``: USD, not USD/day), or their running totals (USD; USD x days for a level).

    Examples
    --------
    >>> change_label("delivered"), change_label("inventory"), change_label("inventory", usd=False)
    ('change in delivered (USD/day)', 'change in inventory (USD held at the end of each day)', 'change in inventory (units held at the end of each day)')
    >>> change_label("delivered", cumulative=True), change_label("inventory", cumulative=True)
    ('cumulative change in delivered (USD)', 'cumulative change in inventory (USD x days)')
    """
    from ..engines.variables import VARIABLES

    level = variable in VARIABLES and VARIABLES[variable].kind == "level"
    unit = "days" if variable == "quoted_lead_time" else "USD" if usd else "units"
    if cumulative:
        return f"cumulative change in {variable} ({unit}{' x days' if level else ''})"
    if not level:
        return f"change in {variable} ({unit}/day)"
    return f"change in {variable} ({unit}{'' if unit == 'days' else ' held at the end of each day'})"


def plot_flow_delta(before: Results, after: Results, commodity: str, *, usd: bool = False,
                    ax: Axes | None = None) -> Axes:
    """Heatmap of the change in one commodity's region-to-region trade (red: less, blue: more).

    ``before`` and ``after`` are in `supplychain.analytics.compare`'s positional order: the baseline,
    then the shocked runs. Given the other way round (``after`` the scenario of ``before`` without its
    shocks) it draws the reversed change and warns (`warn_if_reversed`).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> res = simulate(toy_scenario(10), seed=0)
    >>> plot_flow_delta(res, res, "ore").get_title()
    'change in ore shipped over 10 days (t)'
    """
    warn_if_reversed(after, before, "plot_flow_delta")
    regions, m0 = flow_matrix(before, commodity, usd=usd)
    _, m1 = flow_matrix(after, commodity, usd=usd)
    delta = m1 - m0
    top = float(np.abs(delta).max()) or 1.0
    ax = _new_axes(ax)
    ax.imshow(delta, cmap="RdBu", vmin=-top, vmax=top)
    noise = 1e-9 * float(np.abs(m0).max())   # rounding left by summing the same flows in another order
    for (i, j), value in np.ndenumerate(delta):
        if abs(value) > noise:
            ax.text(j, i, _compact(value, usd), ha="center", va="center", fontsize="small",
                    color="white" if abs(value) > 0.6 * top else "black")
    ax.set_xticks(range(len(regions)), regions)
    ax.set_yticks(range(len(regions)), regions)
    ax.set_xlabel("to (importing region)")
    ax.set_ylabel("from (exporting region)")
    ax.set_title(f"change in {commodity} shipped over {after.n_days} days ({_unit_label(after, [commodity], usd)})",
                 fontsize="small")
    return ax
