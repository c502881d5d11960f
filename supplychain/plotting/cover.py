"""Plot of stock cover: the days of normal use each region's stock of one commodity would last, over time.

What belongs here: ``plot_cover(..., ax=None) -> Axes`` for `supplychain.metrics.cover`.
matplotlib is imported only when the function runs, and nothing here calls ``plt.show()``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import check_known
from ..metrics.cover import Holder, _normal_use, days_of_cover, stock_cover, stock_groups
from .results import _date_axis, _new_axes, shade_shocks

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results.series import Results

__all__ = ["plot_cover", "separate_trough_labels", "TROUGH_GID", "TROUGH_DOT_GID", "FLAT_NOTE", "SHORT_DAYS_LABEL",
           "BASELINE_GID", "BASELINE_ZORDER"]

_HOLDER_TEXT = {"all": "all", "buyers": "buyers'", "final_buyers": "final buyers'", "producers": "producers'"}


def plot_cover(results: Results, commodity: str, *, held_by: Holder = "final_buyers",
               baseline: Results | None = None, segment: str | None = None, separate_labels: bool = True,
               ax: Axes | None = None) -> Axes:
    """Days of cover of one commodity's stocks per region over calendar dates, with each trough marked.

    Days of cover is the stock on hand over its normal daily use (docs/model.md §8.2, *stock cover*):
    40 means the stock would last 40 days at the normal rate of use. Each region's line is the stock it
    holds, the mean over runs. A final buyer that holds stock can still go short: what it holds is of
    other designs than those that ran out (design-specific stocks, §5.6.6), so its cover for what it
    wants is none (`supplychain.metrics.usable_stock`). Such days are not drawn as a fall of the line to
    0, which would read as an empty store: each is a tick on the axis in the line's colour (legend
    `SHORT_DAYS_LABEL`). A dot marks each line's trough as `supplychain.metrics.stock_cover` measures it
    (the usable stock: on a short day that is 0, the dot then sits on the ticks), labelled with the
    share of normal stock left and the days of cover then, as the console prints them; a trough that drew
    less than `LABEL_BELOW` (1.5 %) of the normal stock (it would read "99%" or "100%") keeps its dot but no label,
    which only crowded the labels that matter. A thin dotted
    line at each region's normal cover shows where the stock started, and the shock windows are shaded.
    The y axis reaches a fifth above the highest normal cover, so that lines at their normal cover stay
    clear of the frame, and above the highest line drawn (a stock rebuilt above its normal cover, on this
    panel and on every panel sharing its y axis); a panel where no stock fell says so (`FLAT_NOTE`).

    Parameters
    ----------
    results : Results
        Daily results (their ``inventory``).
    commodity : str
        The commodity whose stocks are drawn (e.g. ``"logic_chip"``).
    held_by : {"final_buyers", "buyers", "producers", "all"}
        Which stocks (`supplychain.metrics.stock_groups`); by default the consumer stocks of final demand.
    baseline : Results, optional
        The unshocked runs, drawn dashed in the same colours.
    segment : str, optional
        One end-use segment's buyers (``Demand.segment``, e.g. ``"automotive"``): their own stocks, one
        line per region, instead of each region's stocks of every segment together.
    separate_labels : bool
        Move the trough labels apart now (`separate_trough_labels`, which lays the whole figure out
        once). A figure of several panels passes False for each and separates every panel's labels in
        one call once all are drawn: one layout instead of one per panel.
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

    A buyer short of one design's chips from day 16 holds 60 chips of another's: its line stays at 6 days,
    its short days are ticks, and its trough is 0 days of usable cover.

    >>> from supplychain.metrics._cover_toy import locked_scenario
    >>> ax = plot_cover(simulate(locked_scenario()), "chip")
    >>> float(ax.get_lines()[0].get_ydata()[20]), ax.texts[0].get_text(), ax.get_legend().get_texts()[-1].get_text()
    (6.0, '0% (0.0 d)', 'short days (stock held is\\nof other designs)')
    """
    by = "region_commodity" if segment is None else "demand"
    cover = days_of_cover(results, by=by, held_by=held_by)
    if segment is None:
        region_of = {label: label.split(":", 1)[0] for label in cover.columns}
        commodity_of = {label: label.split(":", 1)[1] for label in cover.columns}
    else:
        demands = {d.id: d for d in results.scenario.network.demands}
        segments = sorted({d.segment for d in demands.values() if d.segment and d.commodity == commodity})
        check_known(segment, segments, "segment", "plot_cover")
        kept = [label for label in cover.columns if demands[label].segment == segment]
        region_of = {label: demands[label].region for label in kept}
        commodity_of = {label: demands[label].commodity for label in kept}
    check_known(commodity, sorted(set(commodity_of.values())), "commodity", "plot_cover")
    columns = [label for label, c in commodity_of.items() if c == commodity]
    table = stock_cover(results, by=by, held_by=held_by)
    table = table[table[by].isin(columns)].groupby(by).mean(numeric_only=True)
    base = days_of_cover(baseline, by=by, held_by=held_by) if baseline is not None else None
    ax = _new_axes(ax)
    dates = np.array(results.dates, dtype="datetime64[D]")
    troughs: list[tuple[float, int, str, str]] = []   # (cover, day, text, colour) of each trough to label
    any_trough = False
    held = _held_cover(results, by, held_by)
    any_short = False
    highest = 0.0   # the top of every line drawn, so that none runs out of the frame
    for label in columns:
        usable = cover[label].to_numpy().reshape(results.n_runs, -1)
        have = held[label].reshape(results.n_runs, -1)
        mean = usable.mean(axis=0)
        (line,) = ax.plot(dates, have.mean(axis=0), label=region_of[label])
        highest = max(highest, float(np.nanmax(line.get_ydata(), initial=0.0)))
        colour = line.get_color()
        # Days some final buyer of the line went short while holding stock of other designs (in any run).
        short = (usable < have * (1.0 - 1e-12) - 1e-12).any(axis=0)
        if short.any():
            any_short = True
            ax.plot(dates[short], np.zeros(int(short.sum())), "|", color=colour, markersize=7, clip_on=False,
                    label="_short days")
        row = table.loc[label]
        ax.axhline(row["normal_cover_days"], color=colour, linewidth=0.6, linestyle=":")
        if row["stock_drawn_usd"] > 0:
            day = round(row["trough_day"])
            ax.plot(dates[day], mean[day], "o", color=colour, clip_on=False, gid=TROUGH_DOT_GID)
            # Days rounded down, as the console prints them: 5.75 days left reads 5.7 in both.
            days = math.floor(row["trough_cover_days"] * 10 + 1e-9) / 10
            if row["share_left"] <= 1.0 - LABEL_BELOW:
                troughs.append((float(mean[day]), day, f"{row['share_left']:.0%} ({days:.1f} d)", colour))
            any_trough = True
        if base is not None and label in base.columns:
            # Above every region's solid line (zorder 2), thinner: a baseline that matches the shocked line
            # (before the shock, or a region the shock never reached) was hidden under the regions drawn after.
            (dashed,) = ax.plot(dates, base[label].to_numpy().reshape(baseline.n_runs, -1).mean(axis=0),  # type: ignore[union-attr]
                                color=colour, linestyle="--", linewidth=0.7, zorder=BASELINE_ZORDER, gid=BASELINE_GID)
            highest = max(highest, float(np.nanmax(dashed.get_ydata(), initial=0.0)))
    # Only the shocks that reach this commodity's chain: a chip panel is not shaded for a magnet ban.
    shade_shocks(ax, results.scenario, results.n_days, commodity=commodity)
    # Room above the normal covers: a line at its normal cover otherwise runs along the top frame, and a panel
    # whose stocks never moved looked empty.
    normal = float(table["normal_cover_days"].max()) if len(table) else 0.0
    # The current top too: a panel sharing its y axis with one drawn before keeps that panel's lines in.
    ax.set_ylim(0.0, max(ax.get_ylim()[1], _HEADROOM * normal, 1.05 * highest, 1.0))
    if not any_trough:
        note = ax.text(0.5, 0.5 / _HEADROOM, FLAT_NOTE, transform=ax.transAxes, ha="center", va="top",
                       fontsize=8, color="0.3", wrap=True)
        note.set_in_layout(False)   # a note must not squeeze the axes of a figure laid out around it
    ax.set_ylabel("days of cover (stock held / normal daily use)")
    whose = f"{segment} buyers'" if segment is not None else _HOLDER_TEXT[held_by]
    ax.set_title(f"{commodity}: {whose} stocks" + (" (dashed: baseline)" if base is not None else ""))
    _date_axis(ax)
    # Beside the axes, not over the lines or the trough labels.
    handles, names = ax.get_legend_handles_labels()
    if any_short:
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], marker="|", linestyle="none", color="0.3", markersize=7))
        names.append(SHORT_DAYS_LABEL)
    ax.legend(handles, names, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    _label_troughs(ax, troughs, dates)
    if separate_labels:
        separate_trough_labels(ax)
    return ax


def _held_cover(results: Results, by: str, held_by: Holder) -> dict[str, np.ndarray]:
    """Days of normal use the stock held would last, ``(runs * days,)`` per group (`days_of_cover` counts a
    short final buyer's stock 0; this counts what it holds)."""
    labels, matrix = stock_groups(results, by=by, held_by=held_by)  # type: ignore[arg-type]
    level = np.asarray(results.inventory, dtype=float) @ matrix
    use = _normal_use(results) @ matrix
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(use > 0, level / np.where(use > 0, use, 1.0), np.nan)
    return {label: cover[:, :, g].reshape(-1) for g, label in enumerate(labels)}


def _label_troughs(ax: Axes, troughs: list[tuple[float, int, str, str]], dates: np.ndarray) -> None:
    """Label each trough beside its dot (where `separate_trough_labels` starts them); the axes' label placer
    (`_placer_class`) moves them apart again at every draw."""
    placer = _label_placer()
    if troughs and not any(isinstance(a, placer) for a in ax.get_children()):
        ax.add_artist(placer())
    for y, day, text, colour in sorted(troughs):
        # A light backing keeps a label legible where a line crosses it.
        label = ax.annotate(text, (dates[day], y), textcoords="offset points", xytext=_START, fontsize=8,
                            color=colour, gid=TROUGH_GID, bbox={"boxstyle": "square,pad=0.05", "facecolor": "white",
                                                                "edgecolor": "none", "alpha": 0.7})
        # Out of the layout: moving a label then cannot move the axes, so one layout serves every panel.
        label.set_in_layout(False)


#: Legend entry of the ticks `plot_cover` draws on days a final buyer went short while holding stock.
SHORT_DAYS_LABEL = "short days (stock held is\nof other designs)"
#: What `plot_cover` writes on a panel where no region's stock fell (its lines lie on their normal covers).
FLAT_NOTE = "no stock drawn:\nstocks stayed at their normal cover"
#: A trough that drew less than this share of the normal stock is marked by its dot alone (no label).
LABEL_BELOW = 0.015
#: The top of the y axis as a multiple of the highest normal cover, at least.
_HEADROOM = 1.2

#: ``gid`` of the trough labels of `plot_cover` (so that a caller can find and move them again).
TROUGH_GID = "cover-trough"
#: ``gid`` of the trough dots of `plot_cover`: a label is kept off every dot but its own.
TROUGH_DOT_GID = "cover-trough-dot"
#: gid and zorder of the dashed baseline lines: drawn above every region's solid line (Line2D zorder 2).
BASELINE_GID = "cover-baseline"
BASELINE_ZORDER = 2.5
#: Where a trough label starts, in points from its dot: just right of it and a little below.
_START = (6.0, -3.0)


def _trough_labels(ax: Axes) -> list:
    """The trough labels of ``ax``, lowest dot first."""
    return sorted((t for t in ax.texts if t.get_gid() == TROUGH_GID), key=lambda t: t.xy[1])


def _restart(labels: list) -> None:
    for label in labels:
        label.xyann = _START
        label.set_horizontalalignment("left")


def _placer_class() -> type:
    from matplotlib.artist import Artist

    class LabelPlacer(Artist):
        """Moves its axes' trough labels apart at every draw, before they are drawn.

        The labels' offsets are in points from their dots, and whether two labels overlap depends on how far
        apart their dots are on screen: on the figure's size, its layout and its DPI when it is drawn. Placed
        once, labels that were apart collided when the figure was then drawn at another size (a notebook's
        window, ``set_size_inches``, ``tight_layout`` or another panel added): placed at every draw, with the
        draw's own renderer, after the layout engine has run, they are apart in whatever is drawn.
        """

        zorder = -1e9          # drawn before every other artist of the axes, the labels included

        def __init__(self) -> None:
            super().__init__()
            self.set_in_layout(False)   # it has no extent: a layout or a tight bounding box ignores it

        def draw(self, renderer: Any) -> None:
            ax = self.axes
            labels = _trough_labels(ax) if ax is not None else []
            if labels and self.get_visible():
                _restart(labels)
                _separate(ax, labels, 1.0 / renderer.points_to_pixels(1.0), renderer)
            self.stale = False

    return LabelPlacer


_PLACER: list[type] = []


def _label_placer() -> type:
    """The class of `_placer_class`, made once (matplotlib is imported only when a plot is drawn)."""
    if not _PLACER:
        _PLACER.append(_placer_class())
    return _PLACER[0]


def separate_trough_labels(ax: Axes, *more: Axes) -> None:
    """Move the trough labels of ``ax`` (and of each axes in ``more``) apart so that no two overlap.

    `plot_cover` also adds to its axes an artist that moves the labels apart again every time the figure is
    drawn, at the size, layout and DPI of that draw, so the labels stay apart in a figure resized or laid out
    again afterwards; this function places them now, for code that reads their offsets before any draw.

    Each label starts just right of its dot (left of it when it would leave the axes). The figure is
    laid out once (``draw_without_rendering``: the axes' final size at the figure's size), then in each
    axes the labels are taken lowest dot first and each is moved up, in points, above every label
    placed before it and every other trough's dot (``gid`` `TROUGH_DOT_GID`) that it would overlap. Offsets are in points, so the labels stay apart at any DPI.
    The labels are outside the layout, so moving them moves no axes: pass every panel of a figure in one
    call (one layout).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.figure import Figure
    >>> ax = Figure(figsize=(3, 2)).subplots()
    >>> _ = ax.plot([0, 10], [0, 10])
    >>> for k in range(3):
    ...     _ = ax.annotate(f"trough {k}", (5, 5), textcoords="offset points", xytext=_START, gid=TROUGH_GID)
    >>> separate_trough_labels(ax)
    >>> [round(t.xyann[1]) > -3 for t in ax.texts]
    [False, True, True]
    """
    panels = [(a, _trough_labels(a)) for a in (ax, *more)]
    fig = ax.get_figure()
    if any(a.get_figure() is not fig for a, _ in panels):
        raise ValueError("separate_trough_labels: every axes must belong to the figure of the first (ax)")
    panels = [(a, labels) for a, labels in panels if labels]
    if not panels or fig is None:
        return
    for _, labels in panels:
        _restart(labels)
    fig.draw_without_rendering()   # type: ignore[union-attr]
    for a, labels in panels:
        _separate(a, labels, 72.0 / fig.dpi)   # type: ignore[union-attr]


def _separate(ax: Axes, labels: list, to_points: float, renderer: Any = None) -> None:
    """Place ``labels`` (lowest dot first) on a laid-out ``ax``: each above the ones before it overlaps, or below
    them where going up would leave the axes (over the title); never outside the axes when either way fits."""
    inside = ax.get_window_extent(renderer)
    placed: list = []
    dots = [line.get_window_extent(renderer) for line in ax.get_lines() if line.get_gid() == TROUGH_DOT_GID]
    for label in labels:
        # Other troughs' dots are in the way as the labels placed before are; a label's own dot is where it starts.
        anchor = ax.transData.transform((ax.convert_xunits(label.xy[0]), ax.convert_yunits(label.xy[1])))
        others = [dot for dot in dots if not dot.contains(*anchor)]
        box = label.get_window_extent(renderer)
        if box.x1 > inside.x1:                       # a late trough: the label goes left of its dot
            label.set_horizontalalignment("right")
            label.xyann = (-_START[0], _START[1])
            box = label.get_window_extent(renderer)
        if box.y0 < inside.y0:                       # a trough at 0: the label starts inside the frame, not under it
            label.xyann = (label.xyann[0], label.xyann[1] + (inside.y0 - box.y0 + 2.0) * to_points)
        start = label.xyann
        up = _stack(label, placed + others, to_points, +1, renderer)
        if up.y1 > inside.y1:                        # up runs into the title: try below the labels in the way
            label.xyann = start
            down = _stack(label, placed + others, to_points, -1, renderer)
            if down.y0 >= inside.y0 or inside.y0 - down.y0 < up.y1 - inside.y1:
                box = down
            else:
                label.xyann = start
                box = _stack(label, placed + others, to_points, +1, renderer)
        else:
            box = up
        placed.append(box)


def _stack(label: Any, placed: list, to_points: float, direction: int, renderer: Any = None) -> Any:
    """Move ``label`` up (``direction`` +1) or down (-1) past every placed box it overlaps; return its box."""
    box = label.get_window_extent(renderer)
    for _ in range(len(placed) + 1):
        hits = [other for other in placed if box.overlaps(other)]
        if not hits:
            break
        if direction > 0:
            shift = max(other.y1 for other in hits) - box.y0 + 2.0      # pixels, two spare
        else:
            shift = min(other.y0 for other in hits) - box.y1 - 2.0
        label.xyann = (label.xyann[0], label.xyann[1] + shift * to_points)
        box = label.get_window_extent(renderer)
    return box
