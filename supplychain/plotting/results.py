"""Plots of results: each function draws on an Axes and returns it.

What belongs here: ``plot_*(results, ..., ax=None) -> Axes`` functions.
matplotlib is imported only when a function runs, so importing supplychain
stays fast and works without a display; nothing here calls ``plt.show()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._format import format_usd, format_usd_ticks
from .._validation import check_known, check_number, fail
from ..engines.variables import VARIABLES
from ..metrics.service import Grouping, _grouping, _prices
from ..results.series import VARIABLE_AXES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..model.scenario import Scenario
    from ..results.series import Results

__all__ = ["plot_timeseries", "plot_flows", "flow_matrix", "shock_windows", "announcement_days", "shade_shocks"]

def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    # Constrained layout: a plain ``fig.savefig`` keeps tick labels, titles and legends inside the image.
    return plt.subplots(layout="constrained")[1]


def _check_line_kw(line_kw: dict[str, Any], caller: str) -> None:
    """Refuse a keyword that is no line property, naming how to choose items (``commodity=`` is a common guess)."""
    from matplotlib.lines import Line2D
    for key in line_kw:
        if not hasattr(Line2D, f"set_{key}"):
            raise TypeError(f"{caller}: {key!r} is neither one of its arguments nor a line property; choose items "
                            "with ids=... (facility, lane, stock or demand ids) or group them with by='region', "
                            "'commodity', 'region_commodity' or 'demand'.")


def _compact(x: float, usd: bool = False) -> str:
    """Short label for a cell: money as `format_usd`, else 3 significant figures."""
    if usd:
        return format_usd(x)
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return _three_figures(x / size) + suffix
    return _three_figures(x)


def _three_figures(x: float) -> str:
    """Three significant figures, trailing zeros kept (``1.30``, not ``1.3``), as money is shown.

    Examples
    --------
    >>> _three_figures(1.3), _three_figures(396.0), _three_figures(-0.27), _three_figures(4.87)
    ('1.30', '396', '-0.270', '4.87')
    """
    text = f"{x:#.3g}"
    return f"{x:.3g}" if "e" in text else text.rstrip(".")


def supply_chain_of(network: Any, commodity: str) -> set[str]:
    """``commodity`` and every commodity that goes into it, through the facilities' recipes, at any depth.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> chain = supply_chain_of(load_baseline().network, "compound_chip")
    >>> "gallium" in chain, "ndfeb_magnet" in chain
    (True, False)
    """
    inputs: dict[str, set[str]] = {}
    for f in network.facilities:
        inputs.setdefault(f.output, set()).update(c for c, _ in (f.recipe or ()))
    chain, todo = {commodity}, [commodity]
    while todo:
        for c in inputs.get(todo.pop(), ()):
            if c not in chain:
                chain.add(c)
                todo.append(c)
    return chain


def touches(shock: Any, network: Any, chain: set[str]) -> bool:
    """Whether ``shock`` can move a commodity of ``chain`` (`supply_chain_of`): its commodity is in it, or the
    facilities it names make one; a shock of no commodity and no facility (a blockade) touches every chain."""
    commodity = getattr(shock, "commodity", None)
    if isinstance(commodity, str) and commodity != "*":
        return commodity in chain
    facility, stage = getattr(shock, "facility", None), getattr(shock, "stage", None)
    if facility is None and stage is None:
        return True
    region = getattr(shock, "region", None)
    return any(f.output in chain for f in network.facilities
               if (facility is None or f.id == facility) and (stage is None or f.stage == stage)
               and (region in (None, "*") or f.region == region))


def shock_windows(scenario: Scenario, n_days: int | None = None, *,
                  commodity: str | None = None) -> list[tuple[int, int]]:
    """Days ``[first, stop)`` within the horizon when a new disruption is active, overlapping windows merged.

    Disruptions in force on day 0 (standing conditions) and random outages
    (no window) are left out, as for `Scenario.shock_day`.

    Examples
    --------
    >>> from supplychain import load_baseline, DemandShock
    >>> s = load_baseline().with_horizon(100).with_shocks(
    ...     DemandShock(region="US", commodity="logic_chip", factor=2.0, start=10, end=30),
    ...     DemandShock(region="JP", commodity="logic_chip", factor=2.0, start=20, end=50))
    >>> shock_windows(s)
    [(10, 50)]

    With ``commodity``, only the shocks that touch its supply chain (`touches`): a magnet ban's window
    is not shaded on a chip's panel.
    """
    from ..model.shocks import RandomOutage
    n = scenario.horizon_days if n_days is None else n_days
    chain = None if commodity is None else supply_chain_of(scenario.network, commodity)
    spans = sorted(s.window(scenario.start_date, n) for s in scenario.shocks
                   if not isinstance(s, RandomOutage) and not s.in_force(scenario.start_date)
                   and (chain is None or touches(s, scenario.network, chain)))
    merged: list[tuple[int, int]] = []
    for first, stop in spans:
        if stop <= first:
            continue
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((first, stop))
    return merged


def _open_ended(scenario: Scenario, n_days: int, commodity: str | None = None) -> bool:
    """Whether a shaded disruption (`shock_windows`) has no end date and starts within the run.

    Examples
    --------
    >>> from supplychain import load_baseline, Tariff
    >>> s = load_baseline().with_horizon(60)
    >>> tariff = Tariff(importer="US", exporter="KR", commodity="li_ion_cell", rate=0.25, start=10)
    >>> ended = Tariff(importer="US", exporter="KR", commodity="li_ion_cell", rate=0.25, start=10, end=30)
    >>> _open_ended(s.with_shocks(tariff), 60), _open_ended(s.with_shocks(ended), 60)
    (True, False)
    """
    from ..model.shocks import RandomOutage
    chain = None if commodity is None else supply_chain_of(scenario.network, commodity)
    return any(getattr(s, "end", None) is None and s.window(scenario.start_date, n_days)[0] < n_days
               for s in scenario.shocks
               if not isinstance(s, RandomOutage) and not s.in_force(scenario.start_date)
               and (chain is None or touches(s, scenario.network, chain)))


def announcement_days(scenario: Scenario, n_days: int | None = None, *, commodity: str | None = None) -> list[int]:
    """Days within the horizon on which a shock was announced before it started and buyers stocked up.

    An export control announced before its start has buyers front-load (``front_load_days`` of their
    flow ordered on the announcement day, docs/model.md §6.5.4): their stocks and prices move before the
    shock window. With ``commodity``, only the shocks that touch its supply chain (`touches`).

    Examples
    --------
    >>> import datetime as dt
    >>> from supplychain import load_baseline, ExportControl
    >>> s = load_baseline().with_horizon(100).with_shocks(ExportControl(
    ...     exporter="CN", commodity="gallium", mode="ban", announced=dt.date(2025, 1, 11), start=dt.date(2025, 2, 10)))
    >>> announcement_days(s), announcement_days(s, commodity="logic_chip")
    ([10], [])
    """
    n = scenario.horizon_days if n_days is None else n_days
    chain = None if commodity is None else supply_chain_of(scenario.network, commodity)
    days = set()
    for shock in scenario.shocks:
        day = shock.announcement(scenario.start_date)
        if (day is None or not 0 <= day < min(n, shock.start_day(scenario.start_date))
                or not getattr(shock, "front_load_days", 0) > 0):
            continue
        if chain is None or touches(shock, scenario.network, chain):
            days.add(day)
    return sorted(days)


def shade_shocks(ax: Axes, scenario: Scenario, n_days: int | None = None, *, commodity: str | None = None) -> Axes:
    """Shade the shock windows of ``scenario`` on a calendar-date x axis and mark its shock day.

    With ``commodity``, only the windows of the shocks that touch its supply chain (`shock_windows`).
    An announcement that had buyers stock up before a shock started (`announcement_days`) is marked
    too, so that stocks and prices moving before the window read as what they are.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import load_baseline, DemandShock
    >>> s = load_baseline().with_horizon(60).with_shocks(
    ...     DemandShock(region="US", commodity="logic_chip", factor=2.0, start=10, end=30))
    >>> ax = shade_shocks(_new_axes(None), s)
    >>> ax.get_legend_handles_labels()[1]
    ['shock window', 'shock day']
    """
    n = scenario.horizon_days if n_days is None else n_days
    windows = shock_windows(scenario, n, commodity=commodity)
    # A shock with no end date (a standing tariff) is in force to the run's last day: the shading then
    # marks no window that closes, and the legend says so rather than imply one.
    label = "shock window (no end date: in force to the end)" if (
        windows and windows[-1][1] >= n and _open_ended(scenario, n, commodity)) else "shock window"
    for k, (first, stop) in enumerate(windows):
        ax.axvspan(np.datetime64(scenario.date_of(first)), np.datetime64(scenario.date_of(stop)), color="0.5",
                   alpha=0.15, linewidth=0, label=label if k == 0 else None, zorder=0)
    if scenario.shock_day is not None:
        ax.axvline(np.datetime64(scenario.date_of(scenario.shock_day)), color="0.3", linewidth=0.8,
                   linestyle=":", label="shock day")
    for k, day in enumerate(announcement_days(scenario, n, commodity=commodity)):
        ax.axvline(np.datetime64(scenario.date_of(day)), color="0.45", linewidth=0.8, linestyle="--",
                   label="announced: buyers stock up" if k == 0 else None)
    return ax


#: Units whose code a reader cannot decode, by the name an axis shows (the data keep the short code).
#: A compound-wafer unit is the substrates and epiwafers that go into 1,000 USD of GaAs/GaN devices
#: (supplychain/data/baseline/commodities.toml, compound_wafer).
_READABLE_UNITS = {"kUSD-dev": "wafers for 1,000 USD of devices"}


def _unit_label(results: Results, commodities: Sequence[str], usd: bool) -> str:
    if usd:
        return "USD"
    units = {c.id: c.unit for c in results.scenario.network.commodities}
    found = {units[c] for c in commodities}
    if len(found) != 1:
        return "units"
    unit = found.pop()
    return _READABLE_UNITS.get(unit, unit)


def _mixed_units(results: Results, axis: str, by: Grouping | None, ids: str | Sequence[str] | None) -> bool:
    """Whether the items (or groups) ``ids`` of ``axis`` count commodities of more than one unit."""
    commodities = list(results.coords.commodity[axis])
    units = {c.id: c.unit for c in results.scenario.network.commodities}
    if by is None:
        labels = results.coords.labels(axis)
        chosen = labels if ids is None else [ids] if isinstance(ids, str) else list(ids)
        members = [commodities[labels.index(i)] for i in chosen if i in labels]
        return len({units[c] for c in members}) > 1
    labels, matrix = _grouping(results, by, axis=axis)
    chosen = list(labels) if ids is None else [ids] if isinstance(ids, str) else list(ids)
    members = [c for g, name in enumerate(labels) if name in chosen for c, m in zip(commodities, matrix[:, g]) if m]
    return len({units[c] for c in members}) > 1


def _series(results: Results, variable: str, by: Grouping | None,
            usd: bool) -> tuple[tuple[str, ...], np.ndarray, list[str]]:
    """Labels, values ``(runs, days, items)`` and each item's commodity for a variable."""
    check_known(variable, VARIABLE_AXES, "variable", "plot_timeseries")
    axis = VARIABLE_AXES[variable]
    values = results.values(variable)
    if usd:
        values = values * _prices(results, axis)
    commodities = list(results.coords.commodity[axis])
    if by is None:
        return results.coords.labels(axis), values, commodities
    labels, matrix = _grouping(results, by, axis=axis)
    members = [[c for c, m in zip(commodities, matrix[:, g]) if m] for g in range(len(labels))]
    if not usd and any(_unit_label(results, m, False) == "units" for m in members):
        raise fail("usd", f"True when by={by!r} adds commodities of different units", usd, "plot_timeseries")
    return labels, values @ matrix, [m[0] for m in members]


#: Most lines `plot_timeseries` draws (and labels in a legend) before it sums items per region.
MAX_LINES = 20


def plot_timeseries(results: Results, variable: str = "delivered", ids: str | Sequence[str] | None = None, *,
                    ax: Axes | None = None, run: int | None = None,
                    band: tuple[float, float] | None = (5, 95), by: Grouping | None = None,
                    usd: bool | None = None, **line_kw: Any) -> Axes:
    """Daily series of one variable: the mean over runs with a percentile band.

    Called with the results alone it draws what final buyers received: ``delivered`` per region,
    in USD per day at reference prices.

    Parameters
    ----------
    results : Results
        Simulation output.
    variable : str
        One of ``production, inventory, flow, arrivals, in_transit, demand,
        delivered, unmet`` (default ``delivered``: what final demand received).
    ids : str or sequence of str, optional
        Items to draw (facility, lane, stock or demand ids; region or commodity
        ids with ``by``). Default: all; more than `MAX_LINES` items with
        no ``by`` are summed per region (``by="region"``), so that every line
        can be told apart in the legend.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    run : int, optional
        Draw this run only, instead of the mean over runs.
    band : (float, float) or None
        Percentiles of the shaded band drawn around the mean when there are
        several runs; ``None`` for no band.
    by : {"region", "commodity", "region_commodity", "demand"}, optional
        Sum items per group first (see `supplychain.metrics`).
    usd : bool, optional
        Value quantities at each commodity's reference price. Default: when the
        items drawn are counted in different units (tonnes and wafers cannot
        share an axis), else each commodity's own unit.
    **line_kw
        Passed to ``Axes.plot`` (e.g. ``linestyle="--"`` to overlay two variables).

    Returns
    -------
    matplotlib.axes.Axes
        Its y label names the variable and its unit, per day for a flow
        (``delivered (USD/day at reference prices)``, ``inventory (t)``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), n_runs=3, seed=0)
    >>> ax = plot_timeseries(res)
    >>> ax.get_ylabel(), len(ax.lines)
    ('delivered (USD/day at reference prices)', 6)
    """
    _check_line_kw(line_kw, "plot_timeseries")
    check_known(variable, VARIABLE_AXES, "variable", "plot_timeseries")
    axis = VARIABLE_AXES[variable]
    if ids is None and by is None and len(results.coords.labels(axis)) > MAX_LINES:
        by = "region"
    if usd is None:
        usd = _mixed_units(results, axis, by, ids)
    labels, values, commodities = _series(results, variable, by, usd)
    wanted = list(labels) if ids is None else [ids] if isinstance(ids, str) else list(ids)
    if run is not None:
        check_number(run, "run", "plot_timeseries", low=0, high=results.n_runs - 1)
        values = values[int(run):int(run) + 1]
    ax = _new_axes(ax)
    dates = np.array(results.dates, dtype="datetime64[D]")
    for ident in wanted:
        check_known(ident, labels, "id", "plot_timeseries")
        series = values[:, :, labels.index(ident)]
        (line,) = ax.plot(dates, series.mean(axis=0), label=f"{ident} {variable}", **line_kw)
        if band is not None and series.shape[0] > 1:
            low, high = np.percentile(series, band, axis=0)
            ax.fill_between(dates, low, high, color=line.get_color(), alpha=0.2, linewidth=0)
    unit = _unit_label(results, [commodities[labels.index(i)] for i in wanted], usd)
    per_day = "/day" if VARIABLES[variable].kind == "rate" else ""
    unit = (f"USD{per_day} at reference prices" if usd else
            f"mixed units{per_day}: usd=True adds them" if unit == "units" else f"{unit}{per_day}")
    ax.set_ylabel(f"{variable} ({unit})")
    if usd:  # dollars on the ticks ($1.2bn), not a "1e9" offset above the axis
        usd_axis(ax)
    ax.set_xlabel("date")
    _date_axis(ax)
    n_runs = values.shape[0]
    note = (f"run {run}" if run is not None else "" if n_runs == 1
            else f"mean of {n_runs} runs" + (f", {band[0]:g}-{band[1]:g}th percentiles" if band else ""))
    ax.set_title(f"{results.scenario.title}: {variable}" + (f" ({note})" if note else ""))
    if 0 < len(wanted) <= 20:
        ax.legend(fontsize="small")
    return ax


def usd_axis(ax: Axes, axis: str = "y") -> None:
    """Label an axis (``"y"``, ``"x"``) in the one money format, one scale and decimals for all its ticks.

    The ticks are `supplychain._format.format_usd_ticks` (``$50M``, ``$100M``, never ``$50.0M`` beside
    ``$100M``), not an offset exponent; a single value (the cursor's) is `format_usd`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().subplots()
    >>> _ = ax.bar([0, 1], [1e8, 4e8])
    >>> usd_axis(ax)
    >>> ax.figure.canvas.draw()
    >>> [t.get_text() for t in ax.get_yticklabels()][:3]
    ['$0', '$50M', '$100M']
    """
    from matplotlib.ticker import Formatter

    class _UsdTicks(Formatter):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return format_usd(x)

        def format_ticks(self, values: Any) -> list[str]:
            return format_usd_ticks(values)

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(_UsdTicks())


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def flow_matrix(results: Results, commodity: str, *, usd: bool = False) -> tuple[tuple[str, ...], np.ndarray]:
    """Total flow of ``commodity`` from region to region over the horizon (mean over runs).

    Returns the region ids (network order) and a matrix ``(exporter, importer)``
    of units shipped (or USD at the reference price).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> regions, m = flow_matrix(res, res.coords.commodity["lane"][0])
    >>> m.shape == (len(regions), len(regions))
    True
    """
    net = results.scenario.network
    check_known(commodity, [c.id for c in net.commodities], "commodity", "plot_flows")
    regions = tuple(r.id for r in net.regions)
    totals = results.flow.sum(axis=1).mean(axis=0)
    if usd:
        totals = totals * _prices(results, "lane")
    matrix = np.zeros((len(regions), len(regions)))
    for pair, carried, total in zip(results.coords.region["lane"], results.coords.commodity["lane"], totals):
        if carried == commodity:
            origin, destination = pair.split(">")
            matrix[regions.index(origin), regions.index(destination)] += total
    return regions, matrix


def plot_flows(results: Results, commodity: str, *, ax: Axes | None = None, usd: bool = False) -> Axes:
    """Heatmap of one commodity's total flow from exporting to importing region.

    Rows are exporters, columns importers (the diagonal is domestic trade);
    each non-zero cell is labelled with its value. Flows are totals over the
    horizon, averaged over runs.

    Parameters
    ----------
    results : Results
        Simulation output.
    commodity : str
        Commodity id.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    usd : bool
        Value flows at the commodity's reference price.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> ax = plot_flows(res, res.coords.commodity["lane"][0])
    >>> ax.get_ylabel()
    'from (exporting region)'
    """
    regions, matrix = flow_matrix(results, commodity, usd=usd)
    ax = _new_axes(ax)
    top = float(matrix.max())
    ax.imshow(matrix, cmap="Blues", vmin=0.0, vmax=top if top > 0 else 1.0)
    for (i, j), value in np.ndenumerate(matrix):
        if value > 0:
            ax.text(j, i, _compact(value), ha="center", va="center", fontsize="small",
                    color="white" if value > 0.6 * top else "black")
    ax.set_xticks(range(len(regions)), regions)
    ax.set_yticks(range(len(regions)), regions)
    ax.set_xlabel("to (importing region)")
    ax.set_ylabel("from (exporting region)")
    unit = _unit_label(results, [commodity], usd)
    runs = f", mean of {results.n_runs} runs" if results.n_runs > 1 else ""
    ax.set_title(f"{commodity} shipped over {results.n_days} days\n({unit}{runs})", fontsize="medium")
    return ax
