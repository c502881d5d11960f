"""What ``supplychain run`` says and writes about value added lost beyond the chain (docs/model.md §8.3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._format import format_columns, format_usd
from ..analytics.impact import value_added_loss_totals
from ..impact.table import load_io_table, value_added_by_region
from ..results import EnsembleResults, Results

__all__ = ["value_added_table", "format_value_added", "save_value_added"]


def value_added_table(results: Results | EnsembleResults,
                      baseline: Results | EnsembleResults | None = None) -> pd.DataFrame:
    """Mean value added lost over runs per region and industry (USD), net of the paired baseline.

    Columns ``region``, ``sector``, ``value_added_loss_usd``.
    """
    loss = value_added_loss_totals(results)
    if baseline is not None:
        loss = loss - value_added_loss_totals(baseline)
    table = load_io_table()
    mean = loss.mean(axis=0)
    n_s = len(table.sectors)
    return pd.DataFrame({"region": np.repeat(np.array(table.regions, dtype=object), n_s),
                         "sector": np.tile(np.array(table.sectors, dtype=object), len(table.regions)),
                         "value_added_loss_usd": mean.reshape(-1)})


def format_value_added(frame: pd.DataFrame) -> str:
    """The block ``run`` prints: value added lost per region, its largest industry and share of GDP.

    Examples
    --------
    >>> frame = pd.DataFrame({"region": ["JP", "JP"], "sector": ["C26", "OTH"],
    ...                       "value_added_loss_usd": [2e9, 1e9]})
    >>> print(format_value_added(frame).splitlines()[-1])
    Total value added lost: $3.00bn (mean over runs, against the unshocked baseline).
    """
    table = load_io_table()
    gdp = dict(zip(table.regions, value_added_by_region(table)))
    by_region = frame.groupby("region", sort=False)["value_added_loss_usd"]
    rows = []
    for region, values in by_region:
        total = float(values.sum())
        if abs(total) < 0.5:
            continue
        top = frame.loc[values.abs().idxmax(), "sector"] if len(values) else ""
        share = total / gdp[region] if region in gdp else float("nan")
        rows.append([str(region), format_usd(total), str(top), f"{100 * share:.3f}%"])
    head = ("Value added lost beyond the chain (input-output model, docs/model.md §8.3; C26 electronics, "
            "C27 electrical, C28 machinery, C29 vehicles, OTH rest of the economy)")
    if not rows:
        body = ["No value added lost: no chip, cell or magnet demand was short."]
    else:
        body = format_columns(["region", "value added lost", "largest industry", "share of GDP"], rows, 1)
    total = float(frame["value_added_loss_usd"].sum())
    return "\n".join([head, *body,
                      f"Total value added lost: {format_usd(total)} (mean over runs, against the unshocked baseline)."])


def save_value_added(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None,
                     folder: Path) -> list[str]:
    """Write ``value_added_loss.csv`` and ``value_added_loss.png`` into ``folder``; return their names."""
    import matplotlib.pyplot as plt

    from ..plotting.impact import plot_value_added_loss

    frame = value_added_table(results, baseline)
    frame.to_csv(folder / "value_added_loss.csv", index=False)
    table = load_io_table()
    arr = frame["value_added_loss_usd"].to_numpy().reshape(1, len(table.regions), len(table.sectors))
    ax = plot_value_added_loss(arr, regions=table.regions, sectors=table.sectors)
    ax.figure.tight_layout()
    ax.figure.savefig(folder / "value_added_loss.png", dpi=110)
    plt.close(ax.figure)
    return ["value_added_loss.csv", "value_added_loss.png"]
