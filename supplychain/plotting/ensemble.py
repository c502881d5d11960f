"""Fan charts of memory-light ensembles, drawn from the percentile bands they keep.

An `EnsembleResults` holds, per day and region
(and ``"ALL"``), the 5th, 25th, 50th, 75th and 95th percentiles over runs of
two series: ``shortfall_usd`` (cumulative shortfall at reference prices) and
``service_level`` (delivered / demanded that day). `plot_ensemble_fan`
draws the median and the bands over calendar dates with the shock window
shaded, and the baseline's median and 5-95 % band beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._format import format_usd as usd_label
from .._validation import check_known, fail
from ..metrics.pairing import checks_pair
from .results import _date_axis, _new_axes, shade_shocks, usd_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results.ensemble import EnsembleResults

__all__ = ["plot_ensemble_fan", "SERIES_LABELS", "BASELINE_COLOUR"]

#: Colour of the baseline's median and band: apart from the shocked runs' red and the shock window's grey.
BASELINE_COLOUR = "C0"

#: Axis label of each band series.
SERIES_LABELS = {"shortfall_usd": "cumulative shortfall (USD at reference prices)",
                 "service_level": "delivered / demanded that day",
                 "price_index": "price index of final demand (1 = reference prices)"}


def _edges(quantiles: tuple[float, ...], low: float, high: float) -> tuple[int, int]:
    if low not in quantiles or high not in quantiles:
        raise fail("band", f"two of the stored percentiles {list(quantiles)}", (low, high), "plot_ensemble_fan")
    return quantiles.index(low), quantiles.index(high)


def _say_flat(ax: Axes, value: float, series: str) -> None:
    """A series equal to one value on every day of every run: say so, with one tick, not a made-up scale."""
    ax.set_ylim(value - 1.0, value + 1.0)
    ax.set_yticks([value])
    if series == "shortfall_usd" and value == 0.0:
        text = "no shortfall in any run"
    else:
        shown = usd_label(value) if series == "shortfall_usd" else f"{value:g}"
        text = f"{shown} on every day of every run"
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="bottom", color="0.3")


@checks_pair
def plot_ensemble_fan(results: EnsembleResults, baseline: EnsembleResults | None = None, *,
                      series: str = "shortfall_usd", group: str = "ALL", band: tuple[float, float] = (5, 95),
                      ax: Axes | None = None) -> Axes:
    """Median and percentile band over runs of one stored series, over calendar dates.

    Parameters
    ----------
    results : EnsembleResults
        The (shocked) ensemble, from ``simulate(..., keep="summary")`` or
        `load_ensemble`.
    baseline : EnsembleResults, optional
        The same scenario without its shocks (same seed and runs): its median
        is drawn dashed, with its band, in blue (the shock window is grey).
    series : {"shortfall_usd", "service_level"}
        Which stored band.
    group : str
        A region with demand, or ``"ALL"`` (every region).
    band : (float, float)
        Percentiles of the outer band; the 25-75 band is drawn darker when stored.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        With one ``PolyCollection`` per band drawn and the shock window shaded.
        A series that is one value on every day of every run (no shortfall
        at all) gets that value as its only tick and a note saying so, not a
        scale around it.

    Notes
    -----
    A cumulative shortfall can climb again months after an outage has ended. Traced on a 45-day outage of
    Taiwan's installed fabs from 1 March 2025 (``CapacityShock(region="TW", stage="fab", family=False,
    fraction_lost=1.0)``: the new capacity, stage ``fab_new``, running; fixed lead times, vector engine;
    docs/model.md §6.6, §7.4): the fab's work in progress stalls in the line over the
    outage and the fab restarts cold (docs/model.md §5.4.2), so it starts few wafers until late May; a logic
    fab's cycle time is 80 days, so those missing starts leave the line as missing output in August and
    September. By then the fab runs at its full capacity (about 5 % above the baseline's output) with an empty output store, and
    buyers' stocks are still well below their targets (ROW automotive logic-chip buyers hold about 4,300 of
    their normal 7,000 wafers), so the dip reaches final demand: those buyers run short again from 21 August
    to 5 September ($16M). The second rise is this echo of the restart, not a new shock.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> ens = simulate(synthetic_scenario(8, horizon_days=30), engine="vector", n_runs=40, seed=2,
    ...                keep="summary")
    >>> ax = plot_ensemble_fan(ens)
    >>> ax.get_ylabel(), len(ax.collections) >= 1
    ('cumulative shortfall (USD at reference prices)', True)
    """
    check_known(series, results.bands, "series", "plot_ensemble_fan")
    check_known(group, results.band_groups, "group", "plot_ensemble_fan")
    q = tuple(float(x) for x in results.quantiles)
    lo, hi = _edges(q, float(band[0]), float(band[1]))
    mid = q.index(50.0) if 50.0 in q else len(q) // 2
    ax = _new_axes(ax)
    dates = np.array(results.dates, dtype="datetime64[D]")
    if baseline is not None:
        if baseline.n_days != results.n_days:
            raise fail("baseline.n_days", f"the ensemble's horizon ({results.n_days})", baseline.n_days,
                       "plot_ensemble_fan")
        b = baseline.band(series, group)
        if baseline.n_runs > 1:
            blo, bhi = _edges(tuple(float(x) for x in baseline.quantiles), float(band[0]), float(band[1]))
            # Blue, not grey: a grey band read as the grey shock window beside it in the legend.
            ax.fill_between(dates, b[blo], b[bhi], color=BASELINE_COLOUR, alpha=0.2, linewidth=0,
                            label=f"baseline {band[0]:g}-{band[1]:g}%")
        ax.plot(dates, b[mid], color=BASELINE_COLOUR, linestyle="--",
                label="baseline median" if baseline.n_runs > 1 else "baseline")
    values = results.band(series, group)
    # One run has no spread: every percentile is that run, so no band and no percentile in the legend.
    if results.n_runs > 1:
        ax.fill_between(dates, values[lo], values[hi], color="C3", alpha=0.2, linewidth=0,
                        label=f"{band[0]:g}-{band[1]:g}% of runs")
        if 25.0 in q and 75.0 in q and lo < q.index(25.0) < q.index(75.0) < hi:
            ax.fill_between(dates, values[q.index(25.0)], values[q.index(75.0)], color="C3", alpha=0.3,
                            linewidth=0, label="25-75% of runs")
    ax.plot(dates, values[mid], color="C3", label="median" if results.n_runs > 1 else "the run")
    shade_shocks(ax, results.scenario, results.n_days)
    ax.set_ylabel(SERIES_LABELS.get(series, series))
    ax.set_xlabel("date")
    _date_axis(ax)
    if series == "shortfall_usd":
        usd_axis(ax)
    drawn = [values] if baseline is None else [values, baseline.band(series, group)]
    if all(np.array_equal(v, np.full_like(v, values.flat[0])) for v in drawn):
        _say_flat(ax, float(values.flat[0]), series)
    where = "all regions" if group == "ALL" else group
    runs = "one run, no percentile band" if results.n_runs == 1 else f"{results.n_runs:,} runs"
    ax.set_title(f"{results.scenario.title}: {where}, {runs}", fontsize="medium")
    ax.legend(fontsize="small", loc="upper left" if series == "shortfall_usd" else "best")
    return ax
