"""Grouping of result items and pairing of shocked runs with baseline runs.

Private helpers shared by the metric modules: which demands make up a region,
which lanes make up an importer's supply of a commodity, and how a baseline
with one run or as many runs as the shocked results is lined up with it.
"""

from __future__ import annotations

import numpy as np

from .._validation import fail
from ..metrics.service import Grouping, _grouping, _prices
from ..results.series import Results

__all__ = ["demand_weights", "lane_groups", "trade_labels", "paired", "shock_day_of", "window"]


def demand_weights(results: Results, by: Grouping) -> np.ndarray:
    """Weight matrix ``(n_demands, n_groups)`` that adds demands into the groups of ``by``.

    Demands are added by value (reference price), because tonnes of ore and
    wafers cannot be added; within one demand or one commodity the price
    cancels in every ratio. Columns follow `supplychain.metrics.group_labels`.
    """
    _, matrix = _grouping(results, by)
    return matrix * _prices(results)[:, None]


def lane_groups(results: Results, *, include_domestic: bool = True
                ) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """Importer-commodity groups of lanes.

    Returns
    -------
    groups : list of (importer, commodity)
        Sorted.
    group : ndarray of int, shape (n_lanes,)
        Group index of each lane, ``-1`` for lanes left out.
    exporter : ndarray of str, shape (n_lanes,)
        Exporting region of each lane.
    """
    pairs = [r.split(">", 1) for r in results.coords.region["lane"]]
    exporter = np.array([p[0] for p in pairs], dtype=object)
    importer = [p[1] for p in pairs]
    commodity = results.coords.commodity["lane"]
    keep = [include_domestic or e != i for e, i in zip(exporter, importer)]
    groups = sorted({(i, c) for i, c, k in zip(importer, commodity, keep) if k})
    index = {g: n for n, g in enumerate(groups)}
    group = np.array([index[(i, c)] if k else -1 for i, c, k in zip(importer, commodity, keep)],
                     dtype=np.intp)
    return groups, group, exporter


def trade_labels(results: Results, *, include_domestic: bool = True) -> tuple[str, ...]:
    """Labels ``"importer:commodity"`` of the last axis of the trade metrics.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> trade_labels(simulate(toy_scenario(5), seed=0))
    ('JP:cell', 'KR:ore', 'US:cell')
    """
    groups = lane_groups(results, include_domestic=include_domestic)[0]
    return tuple(f"{i}:{c}" for i, c in groups)


def paired(values: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Line up baseline values with shocked values run by run (common random numbers).

    A baseline with as many runs is paired run by run; a single-run baseline is
    broadcast; otherwise the baseline mean over runs is used.
    """
    if base.shape[1:] != values.shape[1:]:
        raise fail("baseline", f"results with the same days and items {values.shape[1:]}",
                   base.shape[1:], "metric")
    if base.shape[0] in (1, values.shape[0]):
        return base
    return base.mean(axis=0, keepdims=True)


def shock_day_of(results: Results) -> int:
    """The scenario's shock day (`Scenario.shock_day`), 0 when it has none.

    Responses, random outages and shocks in force on day 0 never set it.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import ExportControl, StockpileRelease
    >>> from supplychain import simulate
    >>> sc = toy_scenario(20).with_shocks(
    ...     StockpileRelease(region="US", commodity="cell", reserve=1.0, release_below_cover_days=1.0, start=2),
    ...     ExportControl(exporter="CN", commodity="ore", start=-5),
    ...     ExportControl(exporter="CN", commodity="ore", start=7))
    >>> shock_day_of(simulate(sc, seed=0))
    7
    """
    day = results.scenario.shock_day
    return 0 if day is None else int(day)


def window(results: Results, start: int | None, end: int | None) -> tuple[int, int]:
    """Validated day window ``[start, end)``; ``start`` defaults to the shock day."""
    t0 = shock_day_of(results) if start is None else int(start)
    t1 = results.n_days if end is None else int(end)
    if not 0 <= t0 < t1 <= results.n_days:
        raise fail("start, end", f"0 <= start < end <= {results.n_days}", (t0, t1), "metric")
    return t0, t1
