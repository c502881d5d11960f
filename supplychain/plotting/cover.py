"""Plot of stock cover: the days of normal use each region's stock of one commodity would last, over time.

What belongs here: ``plot_cover(..., ax=None) -> Axes`` for :mod:`supplychain.metrics.cover`.
matplotlib is imported only when the function runs, and nothing here calls ``plt.show()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._validation import check_known
from ..metrics.cover import Holder, days_of_cover, stock_cover
from .results import _date_axis, _new_axes, shade_shocks

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results.series import Results

__all__ = ["plot_cover"]

_HOLDER_TEXT = {"all": "all", "buyers": "buyers'", "final_buyers": "final buyers'", "producers": "producers'"}


def plot_cover(results: Results, commodity: str, *, held_by: Holder = "final_buyers",
               baseline: Results | None = None, ax: Axes | None = None) -> Axes:
    """Days of cover of one commodity's stocks per region over calendar dates, with each trough marked.

    Days of cover is the stock on hand over its normal daily use (docs/model.md §8.2, *stock cover*):
    40 means the stock would last 40 days at the normal rate of use. Each region's line is the mean
    over runs; a dot marks its trough, labelled with the share of normal stock left and the days of
    cover then. A thin dotted line at each region's normal cover shows where the stock started, and
    the shock windows are shaded.

    Parameters
    ----------
    results : Results
        Daily results (their ``inventory``).
    commodity : str
        The commodity whose stocks are drawn (e.g. ``"logic_chip"``).
    held_by : {"final_buyers", "buyers", "producers", "all"}
        Which stocks (:func:`supplychain.metrics.stock_groups`); by default the consumer stocks of final demand.
    baseline : Results, optional
        The unshocked runs, drawn dashed in the same colours.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if None.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    UnknownIdError
        If no stock of ``held_by`` holds ``commodity`` (close matches listed).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> ax = plot_cover(simulate(stop_scenario(stop_days=5)), "ore")
    >>> [line.get_label() for line in ax.get_lines()][:1], ax.texts[0].get_text()
    (['US'], '60% (6.0 d)')
    """
    cover = days_of_cover(results, by="region_commodity", held_by=held_by)
    commodities = sorted({label.split(":", 1)[1] for label in cover.columns})
    check_known(commodity, commodities, "commodity", "plot_cover")
    columns = [label for label in cover.columns if label.split(":", 1)[1] == commodity]
    table = stock_cover(results, by="region_commodity", held_by=held_by)
    table = table[table["region_commodity"].isin(columns)].groupby("region_commodity").mean(numeric_only=True)
    base = days_of_cover(baseline, by="region_commodity", held_by=held_by) if baseline is not None else None
    ax = _new_axes(ax)
    dates = np.array(results.dates, dtype="datetime64[D]")
    troughs: list[tuple[float, int, str, str]] = []   # (cover, day, text, colour) of each trough to label
    for label in columns:
        mean = cover[label].to_numpy().reshape(results.n_runs, -1).mean(axis=0)
        (line,) = ax.plot(dates, mean, label=label.split(":", 1)[0])
        colour = line.get_color()
        row = table.loc[label]
        ax.axhline(row["normal_cover_days"], color=colour, linewidth=0.6, linestyle=":")
        if row["stock_drawn_usd"] > 0:
            day = round(row["trough_day"])
            ax.plot(dates[day], mean[day], "o", color=colour)
            troughs.append((float(mean[day]), day, f"{row['share_left']:.0%} ({row['trough_cover_days']:.1f} d)",
                            colour))
        if base is not None and label in base.columns:
            ax.plot(dates, base[label].to_numpy().reshape(baseline.n_runs, -1).mean(axis=0),  # type: ignore[union-attr]
                    color=colour, linestyle="--", linewidth=0.8)
    normal = table["normal_cover_days"].to_numpy(dtype=float)
    _label_troughs(ax, troughs, dates, top=float(np.nanmax(normal)) if np.isfinite(normal).any() else 1.0)
    shade_shocks(ax, results.scenario, results.n_days)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("days of cover (stock / normal daily use)")
    ax.set_title(f"{commodity}: {_HOLDER_TEXT[held_by]} stocks" + (" (dashed: baseline)" if base is not None else ""))
    _date_axis(ax)
    ax.legend(fontsize=8, ncols=2)
    return ax


def _label_troughs(ax: Axes, troughs: list[tuple[float, int, str, str]], dates: np.ndarray, *, top: float) -> None:
    """Label each trough to the right of its dot, lowest first, each at least a line (of a ``top``-high axis) above."""
    gap, last = 0.045 * max([top, *(y for y, *_ in troughs), 1.0]), -np.inf
    for y, day, text, colour in sorted(troughs):
        last = max(y, last + gap)
        ax.annotate(text, (dates[day], last), textcoords="offset points", xytext=(6, -3), fontsize=8, color=colour)
