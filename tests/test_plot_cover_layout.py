"""cover.png's layout: trough labels stay inside their panel (never over the title), and a flat panel says so."""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.plotting import plot_cover  # noqa: E402
from supplychain.plotting.cover import FLAT_NOTE, TROUGH_GID, _label_troughs, separate_trough_labels  # noqa: E402

DATES = np.arange("2025-01-01", "2025-04-11", dtype="datetime64[D]")


def _labelled_panel(size: tuple[float, float], levels: list[float], top: float = 48.0):
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.subplots()
    for k, level in enumerate(levels):
        ax.plot(DATES, np.full(len(DATES), 40.0), label=f"R{k}")
        ax.axhline(40.0, linestyle=":")
    ax.set_ylim(0, top)
    ax.set_title("logic_chip: electronics buyers' stocks (dashed: baseline)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _label_troughs(ax, [(level, 40 + k, f"{95 - k}% ({level:.1f} d)", f"C{k}") for k, level in enumerate(levels)],
                   DATES)
    separate_trough_labels(ax)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return ax, canvas.get_renderer()


@pytest.mark.parametrize("size", [(3.2, 2.4), (6.4, 4.0)])
def test_labels_of_troughs_near_the_top_stay_inside_the_axes_and_off_the_title(size):
    # Five shallow troughs just under a 40-day normal cover (the flagship's mature_idm_chip panel): stacked
    # upwards, the labels rose over the frame into the title.
    ax, renderer = _labelled_panel(size, [37.9, 37.9, 38.2, 38.5, 39.0])
    inside = ax.get_window_extent(renderer)
    title = ax.title.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_gid() == TROUGH_GID]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(box.y1 <= inside.y1 + 0.5 and box.y0 >= inside.y0 - 0.5 for box in boxes)
    assert not any(box.overlaps(title) for box in boxes)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_a_panel_whose_stocks_never_moved_says_so_and_keeps_its_lines_off_the_frame():
    from supplychain.metrics._cover_toy import stop_scenario
    flat = simulate(stop_scenario(stop_days=5).without_shocks())
    ax = plot_cover(flat, "ore", ax=Figure().subplots())
    assert FLAT_NOTE in [t.get_text() for t in ax.texts]
    highest = max(float(np.nanmax(line.get_ydata())) for line in ax.get_lines())
    assert ax.get_ylim()[1] >= 1.15 * highest        # room between the lines and the top of the frame
    shocked = plot_cover(simulate(stop_scenario(stop_days=5)), "ore", ax=Figure().subplots())
    assert FLAT_NOTE not in [t.get_text() for t in shocked.texts]


def test_the_flat_panels_note_does_not_squeeze_its_axes():
    from supplychain.metrics._cover_toy import stop_scenario
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    flat, moved = fig.subplots(1, 2)
    plot_cover(simulate(stop_scenario(stop_days=5).without_shocks()), "ore", ax=flat)
    plot_cover(simulate(stop_scenario(stop_days=5)), "ore", ax=moved)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    # Laid out with the note inside, both columns shrank to a sliver (about 5 % of the figure's width each).
    width = fig.get_window_extent(canvas.get_renderer()).width
    assert all(ax.get_window_extent(canvas.get_renderer()).width > 0.25 * width for ax in (flat, moved))


@pytest.mark.parametrize("size", [(3.2, 2.4), (6.4, 4.0)])
def test_labels_of_troughs_at_zero_start_inside_the_frame_and_do_not_overlap(size):
    # Stocks run out in several regions (a gallium ban): "0% (0.0 d)" labels sat under the frame, over each other.
    ax, renderer = _labelled_panel(size, [0.0, 0.0, 0.0, 0.3])
    inside = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == TROUGH_GID]
    assert all(box.y0 >= inside.y0 - 0.5 for box in boxes)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def _label_boxes(ax, renderer):
    return [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == TROUGH_GID]


@pytest.mark.parametrize("resize", [(6.4, 2.2), (4.0, 1.8)])
def test_labels_placed_for_one_size_stay_apart_when_the_figure_is_drawn_at_another(resize):
    # Troughs 3 days of cover apart on a 40-day axis: on a 5-inch-tall panel their dots are about 20 px apart and
    # the labels (about 11 px tall) sit side by side unmoved; drawn again 2 inches tall (a notebook's window, a
    # set_size_inches or tight_layout after plot_cover) the dots came within a label's height and the labels,
    # placed once for the first size, overlapped (the flagship's magnet panel did at 5 x 2.5 inches).
    fig = Figure(figsize=(6.4, 5.0), layout="constrained")
    ax = fig.subplots()
    ax.plot(DATES, np.full(len(DATES), 40.0), label="R0")
    ax.set_ylim(0, 48)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _label_troughs(ax, [(10.0 + 3.0 * k, 50, f"{20 + k}% ({10.0 + 3.0 * k:.1f} d)", f"C{k}") for k in range(4)],
                   DATES)
    separate_trough_labels(ax)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    first = [t.xyann for t in ax.texts if t.get_gid() == TROUGH_GID]
    assert len(set(first)) == 1                 # at the first size no label had to move
    fig.set_size_inches(*resize)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = _label_boxes(ax, renderer)
    inside = ax.get_window_extent(renderer)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    assert all(box.y0 >= inside.y0 - 0.5 and box.y1 <= inside.y1 + 0.5 for box in boxes)
    # Back at the first size, the labels return to where they were (placed afresh at every draw, not stacked up).
    fig.set_size_inches(6.4, 5.0)
    canvas.draw()
    assert [t.xyann for t in ax.texts if t.get_gid() == TROUGH_GID] == first


def test_the_label_placer_is_out_of_the_layout_and_added_once_per_axes():
    from supplychain.plotting.cover import _label_placer
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.subplots()
    ax.plot(DATES, np.full(len(DATES), 40.0))
    _label_troughs(ax, [(10.0, 50, "a", "C0")], DATES)
    _label_troughs(ax, [(12.0, 60, "b", "C1")], DATES)
    placers = [a for a in ax.get_children() if isinstance(a, _label_placer())]
    assert len(placers) == 1 and not placers[0].get_in_layout()
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    # An artist without extent inside the layout would pull the tight bounding box to the figure's corner.
    assert ax.get_tightbbox(canvas.get_renderer()).x0 > 1.0


def test_a_label_keeps_off_the_dots_of_other_troughs():
    # Two regions' troughs at the same level four days apart (the flagship's magnet buyers ran out within days
    # of each other): the first label, right of its dot, covered the second trough's dot.
    from supplychain.plotting.cover import TROUGH_DOT_GID
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.subplots()
    ax.plot(DATES, np.full(len(DATES), 40.0))
    ax.set_ylim(0, 48)
    for k, day in enumerate((40, 44)):
        ax.plot(DATES[day], 20.0, "o", color=f"C{k}", gid=TROUGH_DOT_GID)
    _label_troughs(ax, [(20.0, 40, "0% (0.0 d)", "C0"), (20.0, 44, "1% (0.2 d)", "C1")], DATES)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    first, second = (next(t for t in ax.texts if t.get_text() == text).get_window_extent(renderer)
                     for text in ("0% (0.0 d)", "1% (0.2 d)"))
    dot = [line for line in ax.get_lines() if line.get_gid() == TROUGH_DOT_GID][1].get_window_extent(renderer)
    assert not first.overlaps(dot) and not first.overlaps(second)
    assert second.x0 > dot.x0                  # the second label still starts at its own dot
