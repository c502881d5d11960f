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


def plot_value_added_loss(loss: ValueAddedLoss | np.ndarray | Results | EnsembleResults, *, regions: tuple[str, ...] | None = None,
                          sectors: tuple[str, ...] | None = None, ax: Axes | None = None) -> Axes:
    """Horizontal bars of value added lost per region, stacked by industry (mean of the runs given).

    Parameters
    ----------
    loss : ValueAddedLoss, ndarray, Results or EnsembleResults
        From `Results.value_added_loss`, or per-run totals ``(n_runs, regions, sectors)``
        such as `EnsembleResults.value_added_loss` (then give ``regions`` and ``sectors``,
        or the shipped table's labels are used). Daily results are passed through
        `Results.value_added_loss` (default kernel); a summary ensemble gives its
        per-run totals (the shipped table's labels).
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
    (30, 'value added lost (bn USD, mean of 2 runs)')
    >>> plot_value_added_loss(np.ones((1, 6, 5)) * 1e9).get_xlabel()
    'value added lost (bn USD)'
    """
    import matplotlib.pyplot as plt

    from ..analytics.impact import sector_name
    from ..results import EnsembleResults, Results
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
    mean = totals.mean(axis=0) / 1e9                           # (R, S), bn USD
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
    ax.set_xlabel("value added lost (bn USD" + (f", mean of {n_runs} runs)" if n_runs > 1 else ")"))
    ax.set_title("Value added lost beyond the chain, by region and industry")
    # Beside the bars, not over them: the longest bars reach the right edge.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax
