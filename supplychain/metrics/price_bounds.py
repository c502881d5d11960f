"""Markets whose scarcity price sat at its cap or floor (docs/model.md §5.9, §8.2).

The price index of a market is a constant-elasticity reduced form of the
clearing of its flow gap, bounded by a floor and a cap (docs/model.md §5.9).
While it sits at a bound it no longer measures the scarcity: a market at the
5x cap prices any gap beyond the one that reaches it (a third of a year's
flow for minerals) at five times the reference price, so every figure derived
from prices there (buyer cost, scarcity rents, demand given up) is a bound,
not an estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import fail
from ..compile.compiler import compile_scenario
from ..results.daily import require_daily
from ..results.series import Results

__all__ = ["BOUND_TOLERANCE", "PINNED_DAYS", "format_prices_at_bounds", "prices_at_bounds"]

#: Relative distance from the cap or floor within which a price index counts as at the bound: the index
#: closes a fixed part of the gap to its (bounded) target each day, so it only approaches the bound.
BOUND_TOLERANCE = 0.01

#: Days at a bound above which `who_pays` and ``supplychain run`` warn.
PINNED_DAYS = 5.0


def prices_at_bounds(results: Results, *, tolerance: float = BOUND_TOLERANCE) -> pd.DataFrame:
    """Markets whose price index sat at its cap or floor, with the days it sat there (mean over runs).

    Parameters
    ----------
    results : Results
        Daily results (their ``price``).
    tolerance : float
        Relative distance from a bound within which the index counts as at
        it (default `BOUND_TOLERANCE`): the index is at the cap when
        ``index >= cap * (1 - tolerance)``, at the floor when
        ``index <= floor * (1 + tolerance)``.

    Returns
    -------
    DataFrame
        One row per market and bound reached, sorted by days at the bound
        (most first). Columns ``commodity``, ``region``, ``bound`` (``"cap"``
        or ``"floor"``), ``bound_index`` (the cap or floor), ``days_at_bound``
        (mean over runs), ``first_day`` (first day at the bound in any run)
        and ``extreme_index`` (the highest index for the cap, the lowest for
        the floor). Empty when no price reached a bound.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.model import CapacityShock, Scenario
    >>> stop = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")   # the only mine, for good
    >>> net = single_source_network(stock=2000.0)                                # 200 days of stock
    >>> t = prices_at_bounds(simulate(Scenario(net, horizon_days=200, shocks=(stop,))))
    >>> t[["commodity", "region", "bound", "days_at_bound"]].values.tolist()
    [['ore', 'US', 'cap', 40.0]]
    >>> len(prices_at_bounds(simulate(Scenario(net, horizon_days=60))))
    0
    """
    require_daily(results, "prices_at_bounds", 'e.band("price_index", region)')
    if not (0.0 <= tolerance < 1.0):
        raise fail("tolerance", "in [0, 1)", tolerance, "prices_at_bounds")
    spec = compile_scenario(results.scenario).schedules.extras["prices"]
    price = np.asarray(results.values("price"), dtype=float)                 # (R, T, S)
    first_stock = np.array([np.flatnonzero(spec.stock_market == m)[0] for m in range(spec.n_markets)],
                           dtype=np.intp)
    index = price[:, :, first_stock] / spec.stock_price[first_stock]          # (R, T, M)
    rows = []
    for bound, level, at in (("cap", spec.cap, index >= spec.cap * (1.0 - tolerance)),
                             ("floor", spec.floor, index <= spec.floor * (1.0 + tolerance))):
        days = at.sum(axis=1).mean(axis=0)                                    # (M,)
        for m in np.flatnonzero(days > 0):
            commodity, region = spec.labels[m]
            hit = np.flatnonzero(at[:, :, m].any(axis=0))
            extreme = index[:, :, m].max() if bound == "cap" else index[:, :, m].min()
            rows.append((commodity, region, bound, float(level[m]), float(days[m]), int(hit[0]), float(extreme)))
    frame = pd.DataFrame(rows, columns=["commodity", "region", "bound", "bound_index", "days_at_bound",
                                        "first_day", "extreme_index"])
    return frame.sort_values("days_at_bound", ascending=False, kind="stable").reset_index(drop=True)


def format_prices_at_bounds(table: pd.DataFrame, *, min_days: float = PINNED_DAYS, top: int = 4) -> str:
    """One line naming the markets pinned at a bound for more than ``min_days`` days ('' if none).

    Examples
    --------
    >>> t = pd.DataFrame({"commodity": ["chip"], "region": ["US"], "bound": ["cap"], "bound_index": [5.0],
    ...                   "days_at_bound": [120.0], "first_day": [30], "extreme_index": [5.0]})
    >>> print(format_prices_at_bounds(t))
    Prices pinned at a bound (docs/model.md §5.9): chip in US at the 5x cap for 120 days. Price-derived figures (buyer cost, scarcity rents, demand given up) there are bounds of a saturated reduced form, not estimates.
    """
    pinned = table[table["days_at_bound"] > min_days]
    if pinned.empty:
        return ""
    parts = [f"{r.commodity} in {r.region} at the {r.bound_index:g}x {r.bound} for {r.days_at_bound:,.0f} days"
             for r in pinned.head(top).itertuples()]
    more = f" and {len(pinned) - top} more" if len(pinned) > top else ""
    return (f"Prices pinned at a bound (docs/model.md §5.9): {'; '.join(parts)}{more}. Price-derived figures "
            "(buyer cost, scarcity rents, demand given up) there are bounds of a saturated reduced form, "
            "not estimates.")
