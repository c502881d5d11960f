"""run --out of a single run: the baseline archive and the cover plot; sizes measured from the compressed
archive; trough labels of plot_cover that never overlap."""

from __future__ import annotations

import itertools
import re

import matplotlib
import numpy as np
import pytest

from supplychain import load_results, simulate
from supplychain.analytics._toy import toy_network
from supplychain.cli.app import archive_bytes, main
from supplychain.io.scenario import save_scenario
from supplychain.model import CapacityShock, LogisticsShock, Scenario

matplotlib.use("Agg")


def _shocked_toy(days: int = 60) -> Scenario:
    return Scenario(toy_network(), horizon_days=days, shocks=(
        CapacityShock(facility="CN.mine", fraction_lost=1.0, start=5, end=25),
        LogisticsShock(origin_region="KR", destination_region="US", closed=True, start=10, end=20)))


def _bytes(text: str) -> float:
    number, unit = text.split()
    return float(number.replace(",", "")) * {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[unit]


def test_a_single_run_writes_its_baseline_archive_and_a_cover_plot_and_says_their_size(tmp_path, capsys):
    path = save_scenario(_shocked_toy(), tmp_path / "toy.toml")
    out = tmp_path / "out"
    assert main(["run", str(path), "--engine", "vector", "--seed", "4", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    said = re.search(r"results\.npz \(daily series of 1 run, at most ([\d.,]+ [kMG]?B)\), baseline\.npz \(the "
                     r"baseline's, at most ([\d.,]+ [kMG]?B)\)", err)
    assert said, err
    names = {p.name for p in out.iterdir()}
    assert {"results.npz", "baseline.npz", "cover.png", "compare.csv"} <= names
    base = load_results(out / "baseline.npz")
    assert base.seed == load_results(out / "results.npz").seed == 4 and not base.scenario.shocks
    for name, size in (("results.npz", said.group(1)), ("baseline.npz", said.group(2))):
        actual = (out / name).stat().st_size
        # An upper bound from compressing what is written (three figures), not the uncompressed arrays.
        assert actual <= _bytes(size) * 1.005 and _bytes(size) < 1.25 * actual + 20_000, (name, actual, size)


def test_archive_size_of_large_arrays_is_estimated_from_samples_within_a_fifth(tmp_path, monkeypatch):
    from supplychain import load_baseline
    from supplychain.cli import archive_size as app
    res = simulate(load_baseline(random_lead_times=True).with_horizon(120), engine="vector", seed=1)
    written = res.save(tmp_path / "r.npz").stat().st_size
    assert written <= archive_bytes(res) < 1.05 * written + 20_000   # every array compressed whole: a bound
    monkeypatch.setattr(app, "EXACT_ARRAY_BYTES", 100_000)             # the largest arrays sampled
    monkeypatch.setattr(app, "_SAMPLE_BYTES", 64_000)
    assert not app.archive_is_exact(res)
    assert abs(archive_bytes(res) - written) < 0.2 * written
    assert sum(a.nbytes for a in res.arrays.values()) > 2.5 * written   # the old estimate: the raw arrays


def _overlaps(ax, renderer):
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    legend = ax.get_legend().get_window_extent(renderer)
    pairs = [(a, b) for (a, x), (b, y) in itertools.combinations(boxes, 2) if x.overlaps(y)]
    return pairs, [a for a, x in boxes if x.overlaps(legend)]


@pytest.mark.parametrize("size", [(3.2, 2.4), (6.4, 4.0)])
def test_trough_labels_do_not_overlap_each_other_or_the_legend_in_a_rendered_figure(size):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from supplychain.plotting.cover import _label_troughs, separate_trough_labels

    fig = Figure(figsize=size, layout="constrained")
    ax = fig.subplots()
    dates = np.arange("2025-01-01", "2025-04-11", dtype="datetime64[D]")
    for k in range(6):
        ax.plot(dates, np.linspace(40, 0, len(dates)) + k, label=f"R{k}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    # Six troughs on nearly the same day and level (as when every region's buyers run out together),
    # and one on the last day, whose label must turn left to stay inside the axes.
    troughs = [(0.1 * k, 40 + k, f"{k}% ({0.1 * k:.1f} d)", f"C{k}") for k in range(6)] + [(5.0, 99, "late", "C7")]
    _label_troughs(ax, troughs, dates)
    separate_trough_labels(ax)
    for dpi in (100, 110, 200):
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        assert _overlaps(ax, canvas.get_renderer()) == ([], []), dpi
    late = next(t for t in ax.texts if t.get_text() == "late")
    assert late.get_window_extent(canvas.get_renderer()).x1 <= ax.get_window_extent(canvas.get_renderer()).x1


def test_plot_cover_labels_are_apart_on_a_real_shock():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from supplychain.plotting import plot_cover
    shocked = simulate(_shocked_toy(), engine="vector")
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = plot_cover(shocked, "cell", baseline=simulate(_shocked_toy().without_shocks(), engine="vector"),
                    ax=fig.subplots())
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    assert ax.texts and _overlaps(ax, canvas.get_renderer()) == ([], [])


def test_one_layout_separates_the_labels_of_every_panel_as_one_layout_each_would():
    # The CLI's cover.png draws every panel unseparated, then lays the figure out once for all their labels.
    from matplotlib.figure import Figure

    from supplychain.plotting.cover import _label_troughs, separate_trough_labels
    dates = np.arange("2025-01-01", "2025-04-11", dtype="datetime64[D]")

    def offsets(one_call: bool):
        fig = Figure(figsize=(6.4, 3.0), layout="constrained")
        axes = fig.subplots(1, 2)
        for n, ax in enumerate(axes, start=4):   # four and five troughs on nearly the same day and level
            for k in range(n):
                ax.plot(dates, np.linspace(40, 0, len(dates)) + k, label=f"R{k}")
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
            _label_troughs(ax, [(0.1 * k, 40 + k, f"{k}% ({0.1 * k:.1f} d)", f"C{k}") for k in range(n)], dates)
            if not one_call:
                separate_trough_labels(ax)
        if one_call:
            separate_trough_labels(*axes)
        else:   # the layout changed as the second panel came: each panel again, one layout each
            for ax in axes:
                separate_trough_labels(ax)
        return [[t.xyann for t in ax.texts] for ax in axes]

    once = offsets(True)
    apart = offsets(False)
    assert all(np.allclose(a, b, rtol=0, atol=1e-9) for a, b in zip(once, apart))
    assert len({round(y, 6) for _, y in once[1]}) == 5   # five labels, five heights
    with pytest.raises(ValueError, match="every axes must belong to the figure"):
        separate_trough_labels(Figure().subplots(), Figure().subplots())


def test_scorecard_estimates_its_duration_before_the_entries_run_and_keeps_per_run_metrics_only():
    from supplychain.analytics._toy import toy_scenario
    from supplychain.analytics.scorecard import BLOCK_RUNS, _blocks, scorecard
    from supplychain.cli.analytics_commands import estimate_line
    from supplychain.model import ExportControl
    said = []
    catalogue = {"licence": [ExportControl(exporter="CN", commodity="ore", mode="licence", approval_probability=0.3,
                                           processing_delay=5.0, start=20, end=150)],
                 "ban": [ExportControl(exporter="CN", commodity="ore", start=20, end=150)]}
    card = scorecard(catalogue, baseline=toy_scenario(180), n_runs=None, progress=True,
                     on_estimate=lambda seconds, what: said.append((seconds, what)))
    assert len(said) == 1 and said[0][0] > 0 and "1 then 3 runs of each of the 1 random entries" in said[0][1]
    assert estimate_line(2, said[0][0], said[0][1]).startswith("benchmark: 2 shocks, about ")
    assert card.attrs["n_runs"]["licence"] > BLOCK_RUNS        # run in blocks: the interval still holds
    assert card.loc["licence", "diversion_lo"] < card.loc["licence", "diversion"] < card.loc["licence", "diversion_hi"]
    assert sum(n for n, _ in _blocks(card.attrs["n_runs"]["licence"], 0)) == card.attrs["n_runs"]["licence"]


def test_benchmark_legend_spells_out_tts_and_ttr():
    import pandas as pd

    from supplychain.cli.analytics_commands import scorecard_text
    card = pd.DataFrame({"fill_rate": [0.9], "shortfall_usd": [1e6], "tts_days": [12.0], "ttr_days": [80.0]},
                        index=["x"])
    legend = scorecard_text(card, 90).splitlines()[-2]
    assert "TTS: time to survive, days from the shock" in legend and "TTR: time to recover" in legend
