"""Service and loss metrics: pure functions of `Results`.

What belongs here: free functions ``metric(results, *, ...) -> DataFrame`` whose
definitions are the standard service measures (type-2 fill rate, cycle
service level, unmet demand; e.g.
Axsäter, 2015, *Inventory Control*, 3rd ed., Springer, ch. 5). Each metric
returns one value per run and group as a labelled `pandas.DataFrame`:
one row per run (index ``run``) and one column per group (columns named after
``by``), so ``fill_rate(res, by="region_commodity")["US:logic_chip"]`` is
that group's fill rate in every run and ``.mean()`` the mean over runs.
``.to_numpy()`` gives the ``(n_runs, n_groups)`` array that these functions
returned before version 0.2 (positional indexing such as ``[0, 1]`` now needs
``.to_numpy()[0, 1]`` or ``.iloc[0, 1]``). The groups are chosen with ``by``:

``"demand"``
    each final demand (the default), in results order;
``"commodity"``, ``"region_commodity"``
    demands summed per commodity, or per region and commodity (label ``"US:chip"``);
``"region"``
    demands summed per region. Units of different commodities cannot be
    added, so region totals are valued at each commodity's reference price.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from .._validation import check_known, check_probability, fail
from ..results.series import Results

if TYPE_CHECKING:
    import pandas as pd

    from ..results.ensemble import EnsembleResults

__all__ = ["Grouping", "group_labels", "fill_rate", "delivery_rate", "cycle_service_level",
           "cumulative_shortfall", "days_below_service", "metric_frame"]

Grouping = Literal["demand", "region", "commodity", "region_commodity"]
_GROUPINGS: tuple[str, ...] = get_args(Grouping)


def _item_keys(results: Results, axis: str, by: str) -> list[str]:
    coords = results.coords
    if by == "region":
        return list(coords.region[axis])
    if by == "commodity":
        return list(coords.commodity[axis])
    if by == "region_commodity":
        return [f"{r}:{c}" for r, c in zip(coords.region[axis], coords.commodity[axis])]
    return list(coords.labels(axis))


def _grouping(results: Results, by: str, *, axis: str = "demand") -> tuple[tuple[str, ...], np.ndarray]:
    """Group labels and the 0/1 matrix ``(n_items, n_groups)`` that sums items into groups."""
    check_known(by, _GROUPINGS, "by", "metric")
    keys = _item_keys(results, axis, by)
    labels = tuple(keys) if by == "demand" else tuple(sorted(set(keys)))
    matrix = np.zeros((len(keys), len(labels)))
    matrix[np.arange(len(keys)), [labels.index(k) for k in keys]] = 1.0
    return labels, matrix


def _prices(results: Results, axis: str = "demand") -> np.ndarray:
    """Reference price (USD per unit) of each item's commodity along ``axis``."""
    price = {c.id: c.price_usd for c in results.scenario.network.commodities}
    return np.array([price[c] for c in results.coords.commodity[axis]], dtype=float)


def _mixes_units(results: Results, by: str, axis: str = "demand") -> bool:
    units = {c.id: c.unit for c in results.scenario.network.commodities}
    labels, matrix = _grouping(results, by, axis=axis)
    item_units = [units[c] for c in results.coords.commodity[axis]]
    return any(len({u for u, m in zip(item_units, matrix[:, g]) if m}) > 1 for g in range(len(labels)))


def _grouped(results: Results, variable: str, by: str, *, usd: bool = False) -> np.ndarray:
    """``variable`` summed into groups, ``(runs, days, groups)``; in USD if asked."""
    _, matrix = _grouping(results, by)
    values = results.arrays[variable]
    if usd:
        values = values * _prices(results)
    return np.asarray(values @ matrix)


def _totals(results: Results | EnsembleResults, variable: str, by: str, *, usd: bool = False) -> np.ndarray:
    """``variable`` (demand or delivered) summed over the horizon into groups, ``(runs, groups)``.

    Works on daily series and on ensemble summaries, which keep exactly these per-run totals.
    """
    if isinstance(results, Results):
        return _grouped(results, variable, by, usd=usd).sum(axis=1)
    _, matrix = _grouping(results, by)  # type: ignore[arg-type]
    values = getattr(results, variable)
    if usd:
        values = values * _prices(results)  # type: ignore[arg-type]
    return np.asarray(values @ matrix)


def group_labels(results: Results, *, by: Grouping = "demand") -> tuple[str, ...]:
    """Labels of the last axis of a metric computed with the same ``by``.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> labels = group_labels(res, by="region")
    >>> labels == tuple(sorted(set(res.coords.region["demand"])))
    True
    """
    return _grouping(results, by)[0]


def _labelled(values: np.ndarray, results: Results | EnsembleResults, by: str) -> pd.DataFrame:
    """A metric's ``(runs, groups)`` or ``(runs, days, groups)`` array as a DataFrame labelled by run (and date)."""
    import pandas as pd

    columns = pd.Index(_grouping(results, by)[0], name=by)  # type: ignore[arg-type]
    if values.ndim == 2:
        return pd.DataFrame(values, index=pd.RangeIndex(values.shape[0], name="run"), columns=columns)
    n_runs, n_days, n_groups = values.shape
    dates = np.array([results.scenario.date_of(t) for t in range(n_days)], dtype="datetime64[ns]")
    index = pd.MultiIndex.from_product([np.arange(n_runs), dates], names=["run", "date"])
    return pd.DataFrame(values.reshape(n_runs * n_days, n_groups), index=index, columns=columns)


def fill_rate(results: Results | EnsembleResults, *, by: Grouping = "demand") -> pd.DataFrame:
    """Type-2 fill rate (beta service level) per run and group: the share of demand served from stock.

    The fill rate of Axsäter (2015, *Inventory Control*, 3rd ed., Springer,
    ch. 5) and Zipkin (2000, *Foundations of Inventory Management*, ch. 6):
    units served from stock on the day they are demanded over units demanded,
    ``sum_t served_on_day_t / sum_t D_t``. A backorder delivered on a later
    day does not count (see `delivery_rate`). A group with no demand
    has a fill rate of 1 (nothing was asked, nothing was missed).
    ``by="region"`` weights each commodity by its reference price (a value
    fill rate).

    Parameters
    ----------
    results : Results or EnsembleResults
        Simulation output (daily series, or the per-run totals of ``keep="summary"``).
    by : {"demand", "region", "commodity", "region_commodity"}
        How demands are grouped (see the module docstring).

    Returns
    -------
    DataFrame
        One row per run (index ``run``), one column per group (named after
        ``by``), values in [0, 1]; ``.to_numpy()`` is the
        ``(n_runs, n_groups)`` array.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), n_runs=2, seed=0)
    >>> fr = fill_rate(res)
    >>> fr.shape == (2, len(res.coords.demand))
    True
    >>> bool(((fr >= 0) & (fr <= 1 + 1e-12)).all(axis=None))
    True
    >>> float(fill_rate(res, by="region_commodity")["US:logic_chip"].mean())
    1.0
    """
    return _labelled(_ratio(results, "served_on_day", by), results, by)


def delivery_rate(results: Results | EnsembleResults, *, by: Grouping = "demand") -> pd.DataFrame:
    """Eventual delivery rate per run and group: delivered within the horizon over demanded.

    ``sum_t delivered_t / sum_t D_t``, where ``delivered`` includes backorders
    served late. It equals `fill_rate` under lost sales and exceeds it
    when backlogs are cleared later; 1 minus it is the share of demand never
    delivered by the horizon. Arguments and shape as `fill_rate`.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), seed=0)
    >>> bool((delivery_rate(res) >= fill_rate(res) - 1e-12).all(axis=None))
    True
    """
    return _labelled(_ratio(results, "delivered", by), results, by)


def _ratio(results: Results | EnsembleResults, variable: str, by: str) -> np.ndarray:
    usd = by == "region"
    demand = _totals(results, "demand", by, usd=usd)
    served = _totals(results, variable, by, usd=usd)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(demand > 0, served / demand, 1.0))


def cycle_service_level(results: Results | EnsembleResults, *, by: Grouping = "demand") -> pd.DataFrame:
    """Cycle service level (alpha, type-1) per run and group: the share of days without a stockout.

    A review period is one day. A demand has a stockout on a day when some of
    what it wanted (the day's demand plus backlog) was not served from stock
    (`supplychain.engines.summary.stockouts`); a group has one when any
    of its demands has. Ensemble summaries keep stockout days per demand
    only, so they need ``by="demand"``.

    Returns
    -------
    DataFrame
        One row per run, one column per group, values in [0, 1].

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), seed=0)
    >>> float(cycle_service_level(res, by="region").min(axis=None))
    1.0
    """
    from ..engines.summary import stockouts

    if not isinstance(results, Results):
        if by != "demand":
            raise fail("by", "'demand' for ensemble summaries (they keep stockout days per demand)", by,
                       "cycle_service_level")
        return _labelled(np.asarray(results.cycle_service_level), results, by)
    _, matrix = _grouping(results, by)
    out = stockouts(results.delivered, results.arrays["unmet"]) @ matrix > 0
    return _labelled(np.asarray(1.0 - out.mean(axis=1)), results, by)


def cumulative_shortfall(results: Results | EnsembleResults, *, usd: bool = False, by: Grouping = "demand",
                         over_time: bool = False) -> pd.DataFrame:
    """Demand not delivered, summed over days, per run and group.

    The cumulative unmet-demand loss (the performance loss reported by
    disruption models such as BoARIO, Hallegatte, 2008, *Risk Analysis*
    28(3):779-799): ``sum_t (D_t - delivered_t)``.
    Under backordering a day can deliver more than its own demand, so the
    running sum is the backlog; it is clipped at 0 against rounding.

    Parameters
    ----------
    results : Results or EnsembleResults
        Simulation output (ensemble summaries give totals only, not ``over_time``).
    usd : bool
        Value the shortfall at each commodity's reference price (USD) instead
        of in the commodity's own unit.
    by : {"demand", "region", "commodity", "region_commodity"}
        How demands are grouped. Groups that mix units need ``usd=True``. By end-use segment, and
        clipped demand by demand as `EnsembleResults.shortfall_summary` is:
        ``results.shortfall_usd_by_run(by=("region", "segment"))``.
    over_time : bool
        Return the running total for every day, ``(n_runs, n_days, n_groups)``,
        instead of the total over the horizon.

    Returns
    -------
    DataFrame
        One row per run and one column per group; with ``over_time``, one
        row per run and date (index ``run, date``).

    Raises
    ------
    ValidationError
        If a group mixes units and ``usd`` is False.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), seed=0)
    >>> short = cumulative_shortfall(res, usd=True, by="region")
    >>> short.shape == (1, len(group_labels(res, by="region")))
    True
    >>> list(short.columns[:3]), bool((short >= 0).all(axis=None))
    (['CN', 'JP', 'KR'], True)
    """
    if not usd and _mixes_units(results, by):
        raise fail("usd", f"True when by={by!r} groups commodities of different units", usd,
                   "cumulative_shortfall")
    if not over_time:
        return _labelled(np.maximum(_totals(results, "demand", by, usd=usd)
                                    - _totals(results, "delivered", by, usd=usd), 0.0), results, by)
    if not isinstance(results, Results):
        raise fail("over_time", "False for ensemble summaries (they keep no daily series; simulate with "
                   "keep='series')", over_time, "cumulative_shortfall")
    gap = _grouped(results, "demand", by, usd=usd) - _grouped(results, "delivered", by, usd=usd)
    return _labelled(np.asarray(np.maximum(np.cumsum(gap, axis=1), 0.0)), results, by)


def days_below_service(results: Results, *, threshold: float = 0.95,
                       by: Grouping = "demand") -> pd.DataFrame:
    """Number of days on which the daily service level falls below ``threshold``.

    The daily service level is the fill rate (beta service level) taken
    over one day, ``delivered_t / D_t``; days without demand count as served.
    ``by="region"`` weights commodities by reference price.

    Parameters
    ----------
    results : Results
        Simulation output.
    threshold : float
        Service level in [0, 1] below which a day counts.
    by : {"demand", "region", "commodity", "region_commodity"}
        How demands are grouped.

    Returns
    -------
    DataFrame of int
        One row per run, one column per group.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), seed=0)
    >>> days = days_below_service(res, threshold=0.9)
    >>> days.to_numpy().dtype.kind, bool((days <= res.n_days).all(axis=None))
    ('i', True)
    """
    threshold = check_probability(threshold, "threshold", "days_below_service")
    usd = by == "region"
    demand = _grouped(results, "demand", by, usd=usd)
    delivered = _grouped(results, "delivered", by, usd=usd)
    # Compare delivered < threshold * demand rather than dividing: no 0/0 on idle days.
    below = (demand > 0) & (delivered < threshold * demand)
    return _labelled(np.asarray(below.sum(axis=1), dtype=np.int64), results, by)


def metric_frame(values: np.ndarray | pd.DataFrame, results: Results, *, by: Grouping = "demand",
                 name: str = "value") -> pd.DataFrame:
    """A metric as a long table with columns ``run, [day,] <by>, <name>``.

    ``values`` is a metric's DataFrame (or its array).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=0)
    >>> table = metric_frame(fill_rate(res, by="region"), res, by="region", name="fill_rate")
    >>> list(table.columns)
    ['run', 'region', 'fill_rate']
    """
    import pandas as pd

    labels = group_labels(results, by=by)
    if isinstance(values, pd.DataFrame):
        daily = isinstance(values.index, pd.MultiIndex)   # over_time: rows are (run, date)
        values = values.to_numpy().reshape(results.n_runs, -1, values.shape[1]) if daily else values.to_numpy()
    values = np.asarray(values)
    if values.ndim not in (2, 3) or values.shape[0] != results.n_runs or values.shape[-1] != len(labels):
        raise fail("values", f"an array shaped (n_runs, [n_days,] {len(labels)}) for by={by!r}",
                   values.shape, "metric_frame")
    index = {"run": np.arange(values.shape[0])}
    if values.ndim == 3:
        index["day"] = np.arange(values.shape[1])
    grid = pd.MultiIndex.from_product([*index.values(), list(labels)], names=[*index, by])
    return pd.DataFrame({name: values.reshape(-1)}, index=grid).reset_index()
