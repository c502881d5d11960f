"""State-dependent shock mechanisms run day by day: export quotas, stockpile releases, destroyed stock.

Most shocks are fixed daily schedules. These three depend on the state of
each run (how much quota is left, how low a stock is), so they are kernels
called from the daily phases of `.kernel`, with a leading runs axis
``R`` like every other phase: both engines get them by calling those phases.

Their parameters are compiled into ``schedules.extras`` under ``"quotas"``
(`QuotaSpec`), ``"stockpiles"``
(`StockpileSpec`) and
``"destroy"`` (`DestroySpec`).
A scenario with none of them allocates nothing and the kernels return at once.

Implements docs/model.md §5.3 (stock-events), §6.5.3 (quota) and §6.10 (stockpile-release).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.disruptions import DestroySpec
from ..compile.rules.responses import StockpileSpec
from ..compile.rules.trade import QuotaSpec

__all__ = ["DynamicState", "apply_quotas", "quota_used_up", "initial_dynamic", "records", "stock_events"]


@dataclass(eq=False)
class DynamicState:
    """Per-run state of the dynamic mechanisms (``None`` when the scenario has none)."""

    quota_left: np.ndarray | None     # (R, Q) units of quota left this period
    reserve_left: np.ndarray | None   # (R, P) units left in each reserve
    released: np.ndarray | None       # (R, S) released into each stock today
    destroyed: np.ndarray | None      # (R, S) destroyed in each stock today


def initial_dynamic(c: Compiled, n_runs: int) -> DynamicState:
    """State at day 0: full reserves, no quota used, nothing released or destroyed yet."""
    ex = c.schedules.extras
    quotas: list[QuotaSpec] = ex.get("quotas", [])
    piles: list[StockpileSpec] = ex.get("stockpiles", [])
    return DynamicState(
        quota_left=np.zeros((n_runs, len(quotas))) if quotas else None,
        reserve_left=np.tile([p.reserve for p in piles], (n_runs, 1)) if piles else None,
        released=np.zeros((n_runs, c.n_stocks)) if piles else None,
        destroyed=np.zeros((n_runs, c.n_stocks)) if ex.get("destroy") else None,
    )


def stock_events(c: Compiled, stock: np.ndarray, dyn: DynamicState, t: int,
                 wip_ring: np.ndarray | None = None, wip: np.ndarray | None = None,
                 stalled: np.ndarray | None = None) -> None:
    """Destroy stock hit by a disaster on day ``t``, then release reserves into low stocks.

    ``stock`` (R, S + 1) is edited in place; today's amounts go to
    ``dyn.destroyed`` and ``dyn.released`` (R, S). Work in progress of the hit
    facilities (``wip_ring``, ``wip`` and the work ``stalled`` in a stopped
    line, edited in place) is destroyed by the same fraction and recorded on
    their output stocks.
    """
    ex = c.schedules.extras
    if dyn.destroyed is not None:
        dyn.destroyed[:] = 0.0
        spec: DestroySpec
        for spec in ex["destroy"]:
            if spec.day == t:
                lost = stock[:, spec.stocks] * spec.fraction
                stock[:, spec.stocks] -= lost
                dyn.destroyed[:, spec.stocks] += lost
                if len(spec.wip_slots) and wip_ring is not None and wip is not None:
                    scrapped = wip_ring[:, spec.wip_slots] * spec.fraction
                    wip_ring[:, spec.wip_slots] -= scrapped
                    by_facility = np.zeros((stock.shape[0], c.n_facilities))
                    np.add.at(by_facility, (slice(None), spec.wip_owner), scrapped)
                    if stalled is not None:
                        # Work stalled in a stopped line (kernel §5.4) is scrapped by the same fraction.
                        hit = np.isin(c.wip_facility, spec.wip_owner)
                        lost_stalled = stalled[:, hit] * spec.fraction
                        stalled[:, hit] -= lost_stalled
                        by_facility[:, c.wip_facility[hit]] += lost_stalled
                    wip -= by_facility
                    dyn.destroyed[:, c.out_stock] += by_facility
    if dyn.released is None or dyn.reserve_left is None:
        return
    dyn.released[:] = 0.0
    for p, pile in enumerate(ex["stockpiles"]):
        if not pile.first <= t < pile.stop:
            continue
        gap = np.maximum(pile.cover_days * pile.usage - stock[:, pile.stocks], 0.0)   # (R, n)
        total = gap.sum(axis=1)
        amount = np.minimum(np.minimum(total, pile.max_per_day), dyn.reserve_left[:, p])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, amount / total, 0.0)
        given = gap * share[:, None]
        stock[:, pile.stocks] += given
        dyn.released[:, pile.stocks] += given
        dyn.reserve_left[:, p] -= given.sum(axis=1)


def quota_for_day(spec: QuotaSpec, t: int) -> float | None:
    """Quota that becomes available on day ``t`` (``None``: the current period goes on).

    A period begins on each day ``anchor + k * period``. On the first active
    day of a quota in force since before day 0 (or the window) the period
    is already under way: the part of the quota for the days left in it is
    available, as if the quota had been used evenly so far.

    Examples
    --------
    >>> from supplychain.compile.rules.trade import QuotaSpec
    >>> q = QuotaSpec(lanes=np.array([0]), first=0, stop=90, amount=30.0, period=30, anchor=-10)
    >>> quota_for_day(q, 0), quota_for_day(q, 5), quota_for_day(q, 20)
    (20.0, None, 30.0)
    """
    into = (t - spec.anchor) % spec.period
    if into == 0:
        return spec.amount
    if t == spec.first:
        return spec.amount * (spec.period - into) / spec.period
    return None


def apply_quotas(c: Compiled, shipped: np.ndarray, dyn: DynamicState, t: int) -> None:
    """Cut ``shipped`` (R, L) in place so no quota is exceeded on day ``t``.

    When a quota group's shipments exceed what is left of its quota, every
    lane of the group gets the same fraction (as in stock rationing).
    """
    if dyn.quota_left is None:
        return
    for q, spec in enumerate(c.schedules.extras["quotas"]):
        if not spec.first <= t < spec.stop:
            continue
        fresh = quota_for_day(spec, t)
        if fresh is not None:
            dyn.quota_left[:, q] = fresh          # unused quota lapses
        want = shipped[:, spec.lanes].sum(axis=1)
        left = dyn.quota_left[:, q]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(want > left, left / want, 1.0)
        shipped[:, spec.lanes] *= frac[:, None]
        dyn.quota_left[:, q] = np.maximum(left - shipped[:, spec.lanes].sum(axis=1), 0.0)


#: Quota left, as a share of the period's quota, below which the quota is used up (shipments cut pro rata leave
#: rounding residue).
USED_UP = 1e-9


def quota_used_up(c: Compiled, dyn: DynamicState | None, t: int) -> np.ndarray | None:
    """(R, L) bool: lanes of a quota whose period's quota was used up before day ``t``; ``None`` when none is.

    Read by the sourcing tilt before the day's shipping: the quota left at the end of day ``t - 1``, on a day
    that opens no new period (docs/model.md §5.9, the set B(t) of controls that bind).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from supplychain.compile.rules.trade import QuotaSpec
    >>> q = QuotaSpec(lanes=np.array([1]), first=0, stop=90, amount=30.0, period=30, anchor=0)
    >>> c = SimpleNamespace(n_lanes=3, schedules=SimpleNamespace(extras={"quotas": [q]}))
    >>> dyn = SimpleNamespace(quota_left=np.array([[0.0], [5.0]]))
    >>> quota_used_up(c, dyn, 10).tolist(), quota_used_up(c, dyn, 30)     # day 30 opens a new period
    ([[False, True, False], [False, False, False]], None)
    """
    if dyn is None or dyn.quota_left is None:
        return None
    out = None
    for q, spec in enumerate(c.schedules.extras["quotas"]):
        if not spec.first <= t < spec.stop or quota_for_day(spec, t) is not None:
            continue
        full = dyn.quota_left[:, q] <= USED_UP * spec.amount
        if full.any():
            if out is None:
                out = np.zeros((len(full), c.n_lanes), dtype=bool)
            out[np.ix_(full, spec.lanes)] = True
    return out


def records(dyn: DynamicState | None) -> dict[str, np.ndarray]:
    """Today's extra series to record: ``released`` and ``destroyed`` when the scenario has them."""
    if dyn is None:
        return {}
    out = {}
    if dyn.released is not None:
        out["released"] = dyn.released
    if dyn.destroyed is not None:
        out["destroyed"] = dyn.destroyed
    return out
