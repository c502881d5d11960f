"""Plot value added lost beyond the chain by region and industry (docs/model.md §8.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..impact.loss import ValueAddedLoss
    from ..results import EnsembleResults, Results

__all__ = ["plot_value_added_loss"]

#: Sector colours (electronics, electrical, machinery, vehicles, rest of the economy).
_COLOURS = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#bbbbbb")


def plot_value_added_loss(loss: ValueAddedLoss | np.ndarray | Results | EnsembleResults, *,
                          baseline: Results | EnsembleResults | None = None, regions: tuple[str, ...] | None = None,
                          sectors: tuple[str, ...] | None = None, ax: Axes | None = None) -> Axes:
    """Horizontal bars of value added lost per region, stacked by industry (mean of the runs given).

    Like every measure and plot of a shock, it takes the shocked runs first and the baseline by keyword:
    ``plot_value_added_loss(shocked, baseline=base)`` draws the loss net of the paired unshocked runs, run
    by run (the table ``value_added_loss_table(shocked, baseline=base)`` gives); without ``baseline``
    the losses are gross.

    Parameters
    ----------
    loss : ValueAddedLoss, ndarray, Results or EnsembleResults
        From `Results.value_added_loss`, or per-run totals ``(n_runs, regions, sectors)``
        such as `EnsembleResults.value_added_loss` (then give ``regions`` and ``sectors``,
        or the shipped table's labels are used). Daily results are passed through
        `Results.value_added_loss` (default kernel); a summary ensemble gives its
        per-run totals (the shipped table's labels).
    baseline : Results or EnsembleResults, optional
        Paired unshocked runs (same seed and number of runs); ``loss`` must then be results too.
        A pair given the wrong way round warns (`supplychain.metrics.pairing.warn_if_reversed`).
    regions, sectors : tuple of str, optional
        Labels of an array's last two axes.
    ax : Axes, optional
        Where to draw; by default a new figure with constrained layout, so a plain
        ``fig.savefig`` keeps the legend beside the bars inside the image.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_value_added_loss(np.ones((2, 6, 5)) * 1e9)
    >>> len(ax.patches), ax.get_xlabel()
    (30, 'value added lost (USD, mean of 2 runs)')
    >>> ax.figure.canvas.draw()
    >>> [t.get_text() for t in ax.get_xticklabels()][:3]
    ['$0', '$1bn', '$2bn']
    >>> plot_value_added_loss(np.ones((1, 6, 5)) * 1e9).get_xlabel()
    'value added lost (USD)'
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=20)
    >>> surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0)
    >>> shocked = sc.simulate(base.with_shocks(surge), engine="vector", seed=1)
    >>> ax = plot_value_added_loss(shocked, baseline=sc.simulate(base, engine="vector", seed=1))
    >>> ax.get_xlabel(), ax.get_title()
    ('value added lost against the baseline (USD)', 'US demand for logic_chip x10 from 2025-01-01: value added lost beyond the chain')
    """
    import matplotlib.pyplot as plt

    from ..analytics.impact import sector_name
    from .results import usd_axis
    from ..results import EnsembleResults, Results
    # The scenario's title (its name, or its shocks in words when the name was derived), as every plot of results.
    title = loss.scenario.title if isinstance(loss, (Results, EnsembleResults)) else None
    if baseline is not None:
        from ..analytics.impact import _net_of, value_added_loss_totals
        from ..metrics.pairing import warn_if_reversed
        if not isinstance(loss, (Results, EnsembleResults)) or not isinstance(baseline, (Results, EnsembleResults)):
            raise TypeError("plot_value_added_loss(shocked, baseline=base) takes results (Results or "
                            f"EnsembleResults) for both; got {type(loss).__name__} and {type(baseline).__name__}")
        warn_if_reversed(loss, baseline, "plot_value_added_loss")
        loss = _net_of(baseline, value_added_loss_totals(loss), value_added_loss_totals(baseline))
    if isinstance(loss, Results):
        loss = loss.value_added_loss()
    elif isinstance(loss, EnsembleResults):
        if loss.value_added_loss is None:
            raise ValueError("plot_value_added_loss: this ensemble was saved before value added lost was kept; "
                             "simulate it again to plot it")
        loss = np.asarray(loss.value_added_loss, dtype=float)
    if isinstance(loss, np.ndarray):
        totals = np.asarray(loss, dtype=float)
        if totals.ndim != 3:
            raise ValueError(f"loss must be (n_runs, regions, sectors), got shape {totals.shape}")
        if regions is None or sectors is None:
            from ..impact.table import load_io_table
            table = load_io_table()
            regions, sectors = regions or table.regions, sectors or table.sectors
    else:
        totals, regions, sectors = loss.total, loss.regions, loss.sectors
    mean = totals.mean(axis=0)                                 # (R, S), USD
    if ax is None:  # constrained layout keeps the legend beside the bars inside the saved figure
        _, ax = plt.subplots(figsize=(9, 3.6), layout="constrained")
    y = np.arange(len(regions))
    left_pos = np.zeros(len(regions))
    left_neg = np.zeros(len(regions))
    for j, sector in enumerate(sectors):
        v = mean[:, j]
        left = np.where(v >= 0, left_pos, left_neg)
        label = sector_name(sector)
        ax.barh(y, v, left=left, color=_COLOURS[j % len(_COLOURS)], height=0.7,
                label=label if label == sector else f"{label} ({sector})")
        left_pos += np.maximum(v, 0)
        left_neg += np.minimum(v, 0)
    ax.set_yticks(y, labels=list(regions))
    ax.invert_yaxis()
    ax.axvline(0.0, color="black", linewidth=0.6)
    n_runs = totals.shape[0]
    ax.set_xlabel("value added lost" + (" against the baseline" if baseline is not None else "") + " (USD"
                  + (f", mean of {n_runs} runs)" if n_runs > 1 else ")"))
    usd_axis(ax, "x")  # the one money format of every plot (format_usd_ticks)
    ax.set_title(f"{title}: value added lost beyond the chain" if title else
                 "Value added lost beyond the chain, by region and industry", fontsize="medium")
    # Beside the bars, not over them: the longest bars reach the right edge.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax
