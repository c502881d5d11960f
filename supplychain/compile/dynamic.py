"""State-dependent shock mechanisms: export quotas, stockpile releases, destroyed stock.

Most shocks are fixed daily schedules. These three depend on the state of
each run (how much quota is left, how low a stock is), so they are kernels
called from the daily rules of :mod:`._rules`, with a leading runs axis
``R`` like every other rule: both engines get them by calling those rules.

Their parameters are compiled into the ``extras`` of
:class:`~._schedules.Schedules` as the specs below, under the keys
``"quotas"``, ``"stockpiles"``, ``"destroy"`` and ``"licences"`` (drawn per
run by :func:`._outages.draw_licences`); ``"extra_cost_usd"`` (T, L) holds the
rerouting cost of leaked banned goods. A scenario with none of them
allocates nothing and the kernels return at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..model.dists import Distribution

if TYPE_CHECKING:
    from .compiler import Compiled

__all__ = [
    "DestroySpec",
    "DynamicState",
    "LicenceSpec",
    "QuotaSpec",
    "StockpileSpec",
    "apply_quotas",
    "initial_dynamic",
    "records",
    "stock_events",
]


@dataclass(frozen=True, eq=False)
class LicenceSpec:
    """A licence regime whose decisions or delays are random (drawn per run)."""

    lanes: np.ndarray          # (n,) lane indices
    first: int
    stop: int
    approval_probability: float
    delay: Distribution | None  # None: the (fixed) delay is already in lead_extra


@dataclass(frozen=True, eq=False)
class QuotaSpec:
    """``amount`` units per ``period`` days shared by ``lanes`` over ``[first, stop)``."""

    lanes: np.ndarray
    first: int
    stop: int
    amount: float
    period: int


@dataclass(frozen=True, eq=False)
class StockpileSpec:
    """A reserve topping ``stocks`` up to ``cover_days`` of ``usage`` over ``[first, stop)``."""

    stocks: np.ndarray         # (n,) stock indices
    usage: np.ndarray          # (n,) baseline units/day drawn from each stock
    cover_days: float
    reserve: float
    max_per_day: float
    first: int
    stop: int


@dataclass(frozen=True, eq=False)
class DestroySpec:
    """On ``day``, ``fraction`` of ``stocks`` is destroyed."""

    stocks: np.ndarray
    day: int
    fraction: float


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


def stock_events(c: Compiled, stock: np.ndarray, dyn: DynamicState, t: int) -> None:
    """Destroy stock hit by a disaster on day ``t``, then release reserves into low stocks.

    ``stock`` (R, S + 1) is edited in place; today's amounts go to
    ``dyn.destroyed`` and ``dyn.released`` (R, S).
    """
    ex = c.schedules.extras
    if dyn.destroyed is not None:
        dyn.destroyed[:] = 0.0
        for spec in ex["destroy"]:
            if spec.day == t:
                lost = stock[:, spec.stocks] * spec.fraction
                stock[:, spec.stocks] -= lost
                dyn.destroyed[:, spec.stocks] += lost
    if dyn.released is None or dyn.reserve_left is None:
        return
    dyn.released[:] = 0.0
    for p, spec in enumerate(ex["stockpiles"]):
        if not spec.first <= t < spec.stop:
            continue
        gap = np.maximum(spec.cover_days * spec.usage - stock[:, spec.stocks], 0.0)   # (R, n)
        total = gap.sum(axis=1)
        amount = np.minimum(np.minimum(total, spec.max_per_day), dyn.reserve_left[:, p])
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, amount / total, 0.0)
        given = gap * share[:, None]
        stock[:, spec.stocks] += given
        dyn.released[:, spec.stocks] += given
        dyn.reserve_left[:, p] -= given.sum(axis=1)


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
        if (t - spec.first) % spec.period == 0:
            dyn.quota_left[:, q] = spec.amount          # unused quota lapses
        want = shipped[:, spec.lanes].sum(axis=1)
        left = dyn.quota_left[:, q]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(want > left, left / want, 1.0)
        shipped[:, spec.lanes] *= frac[:, None]
        dyn.quota_left[:, q] = np.maximum(left - shipped[:, spec.lanes].sum(axis=1), 0.0)


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
