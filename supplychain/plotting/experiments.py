"""Plots of policy experiments: the Pareto view of cost against outcome, and PRIM's trajectory.

Each function draws on an Axes (a new one when ``ax`` is None) and returns it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._validation import check_known
from .results import usd_axis

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ..analytics.experiments.prim import PrimResult

__all__ = ["pareto_front", "plot_pareto", "plot_prim_trajectory"]


def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt
    return plt.subplots(figsize=(7, 4.5))[1]


def pareto_front(cost: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """True for the points no other point beats on both (lower cost and lower outcome, one strictly).

    Examples
    --------
    >>> pareto_front([0, 1, 2, 3], [10, 5, 6, 1]).tolist()
    [True, True, False, True]
    """
    c, o = np.asarray(cost, dtype=float), np.asarray(outcome, dtype=float)
    dominated = ((c[None, :] <= c[:, None]) & (o[None, :] <= o[:, None])
                 & ((c[None, :] < c[:, None]) | (o[None, :] < o[:, None]))).any(axis=1)
    return np.asarray(~dominated)


def plot_pareto(table: pd.DataFrame, *, cost: str = "cost_mean", outcome: str = "mean",
                low: str | None = "p5", high: str | None = "p95", outcome_label: str = "outcome",
                ax: Axes | None = None) -> Axes:
    """Each policy's cost against its outcome, the non-dominated policies joined by a line.

    Parameters
    ----------
    table : pandas.DataFrame
        A robustness table (`robustness_table`
        with ``cost=``): one row per policy.
    cost, outcome : str
        Columns on the x and y axes.
    low, high : str, optional
        Columns drawn as the vertical bar (the spread over futures).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"cost_mean": [0, 2e8], "mean": [5e9, 1e9], "p5": [0, 0], "p95": [9e9, 3e9]},
    ...                  index=pd.Index(["none", "stockpile"], name="policy"))
    >>> ax = plot_pareto(t, outcome_label="US shortfall")
    >>> [t.get_text() for t in ax.texts]
    ['none', 'stockpile']
    """
    for col in [cost, outcome] + [c for c in (low, high) if c is not None]:
        check_known(col, list(table.columns), "column", "plot_pareto")
    ax = _new_axes(ax)
    x = table[cost].to_numpy(dtype=float)
    y = table[outcome].to_numpy(dtype=float)
    front = pareto_front(x, y)
    if low is not None and high is not None:
        err = np.vstack([y - table[low].to_numpy(dtype=float), table[high].to_numpy(dtype=float) - y])
        ax.errorbar(x, y, yerr=np.clip(err, 0, None), fmt="none", ecolor="0.6", capsize=4, zorder=1,
                    label=f"{low}-{high} over futures")
    ax.scatter(x[~front], y[~front], s=60, color="0.55", zorder=2, label="dominated")
    ax.scatter(x[front], y[front], s=70, color="C3", zorder=3, label="Pareto-efficient")
    order = np.argsort(x[front])
    ax.plot(x[front][order], y[front][order], color="C3", lw=1, zorder=2)
    for name, xi, yi in zip(table.index, x, y):
        ax.annotate(str(name), (xi, yi), textcoords="offset points", xytext=(6, 6), fontsize=9)
    ax.set_xlabel("policy cost over the horizon (USD)")
    ax.set_ylabel(f"{outcome_label} ({outcome})")
    usd_axis(ax, "x")   # one money format per axis, as every plot's
    usd_axis(ax, "y")
    ax.set_title("Policies: cost against outcome (lower left is better)")
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_prim_trajectory(result: PrimResult, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """PRIM's peeling trajectory: density against coverage, coloured by restricted dimensions.

    The chosen box is circled.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from supplychain.analytics.experiments import prim
    >>> x = pd.DataFrame(np.random.default_rng(0).random((200, 2)), columns=["a", "b"])
    >>> ax = plot_prim_trajectory(prim(x, (x.a > 0.5).to_numpy()))
    >>> ax.get_xlabel()
    'coverage'
    """
    ax = _new_axes(ax)
    t = result.trajectory
    points = ax.scatter(t["coverage"], t["density"], c=t["n_restricted"], cmap="viridis", s=25, zorder=2)
    ax.plot(t["coverage"], t["density"], color="0.7", lw=0.8, zorder=1)
    chosen = t.loc[result.chosen]
    ax.scatter([chosen["coverage"]], [chosen["density"]], s=160, facecolors="none", edgecolors="C3", lw=1.5,
               zorder=3, label=f"chosen box (step {result.chosen})")
    ax.figure.colorbar(points, ax=ax, label="restricted dimensions")
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(title or "PRIM peeling trajectory")
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    return ax
