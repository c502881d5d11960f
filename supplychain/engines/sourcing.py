"""Buyers' sourcing rules: patience, planning with the quote, re-sourcing, allocation classes.

Pure array functions on the engine state (leading runs axis ``R``), called by
:func:`supplychain.engines.kernel.place_orders` and
:func:`supplychain.engines.kernel.ship`, so both engines apply them alike.
The parameters come from :class:`supplychain.compile.rules.sourcing.SourcingSpec`.

- :func:`cancel_late` (patience, ``docs/model.md`` §5.6.5): a buyer cancels the
  part of a lane's backlog its supplier would not ship within the buyer's
  patience at its quoted rate; a lane whose supplier's wait reaches the
  patience is *late*, unavailable for re-sourcing.
- :func:`planned_extra` (§5.6.5): buyers plan their pipeline with the quoted
  lead time, scaled by ``1 + panic``.
- :func:`split_orders` (§5.6.6): the one place where the day's target shares
  (the CES schedule of tariffs) meet lane availability; diverted orders go to
  qualified available lanes in proportion to their supplier's spare capacity
  and return over the switching lag.
- :func:`ship_classes` (§5.7): the two service classes of each supplier's
  allocation rule.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.sourcing import ALLOCATION_CODE, SourcingSpec
from .sums import sum_into

State = Any  # supplychain.engines.kernel.State (kernel imports this module)

__all__ = ["spec", "supplier_wait", "cancel_late", "planned_extra", "split_orders", "ship_classes",
           "LATE_TOLERANCE"]

#: Relative tolerance of the patience test: a backlog cut to exactly the patience stays late.
LATE_TOLERANCE = 1e-9


def spec(c: Compiled) -> SourcingSpec:
    """The scenario's sourcing parameters."""
    sp: SourcingSpec = c.schedules.extras["sourcing"]
    return sp


def _sum(c: Compiled, values: np.ndarray, by: str) -> np.ndarray:
    if by == "origin":
        return sum_into(values, c.lane_origin, c.n_facilities, c.sum_by_origin)
    return sum_into(values, c.lane_buyer, c.n_buyers, c.sum_by_buyer)


def supplier_wait(c: Compiled, s: State) -> np.ndarray:
    """Days each lane's supplier needs to clear its backlog at its quoted rate, (R, L) (§5.7).

    The quoted rate is the supplier's recent throughput (moving average of
    its shipments) or its steady flow scaled by the share of its nameplate
    capacity it has today, whichever is larger: a supplier in an outage
    quotes from what it can make (its force majeure is public), one catching
    up from what it ships. Infinite only if it owes goods and can neither
    ship nor make anything.
    """
    assert s.owed is not None and s.throughput is not None and s.normal_rate is not None
    owed = _sum(c, s.owed, "origin")
    rate = s.normal_rate
    if s.capacity_today is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(c.capacity > 0, np.minimum(s.capacity_today / c.capacity, 1.0), 1.0)
        rate = s.normal_rate * share
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        wait = np.where(owed > 0, owed / np.maximum(s.throughput, rate), 0.0)
    out: np.ndarray = wait[:, c.lane_origin]
    return out


def cancel_late(c: Compiled, s: State, sp: SourcingSpec) -> tuple[np.ndarray, np.ndarray]:
    """Cancel backlog beyond each lane's patience; returns (wait after cancelling, late), both (R, L).

    A lane is late when its supplier's wait, before today's cancellations,
    is positive and at least the lane's patience: the buyer then cancels the part of its
    backlog beyond ``patience / wait`` (what the supplier would not ship
    within the patience, lanes served in proportion to what they are owed).
    """
    assert s.owed is not None
    wait = supplier_wait(c, s)
    late = (wait > 0) & (wait >= sp.patience * (1.0 - LATE_TOLERANCE))
    over = wait > sp.patience
    if over.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            s.owed *= np.where(over, sp.patience / wait, 1.0)
        wait = supplier_wait(c, s)
    return wait, late


def planned_extra(c: Compiled, s: State, sp: SourcingSpec, wait: np.ndarray | None) -> np.ndarray | None:
    """Extra pipeline each buyer plans for quotes above the normal lead time, (R, B), or None.

    ``(1 + panic_b) F_b sum_l v_l (shift_l(t) + wait_l)^+`` with ``F_b`` the
    buyer's steady inflow, ``v_l`` the lane's applied share of the day before
    normalised over the buyer's lanes (the target shares when none was applied)
    and ``shift_l(t)`` the scheduled change
    of its transport time. ``None`` when no quote differs from normal.
    """
    shift = None if sp.lead_shift is None else sp.lead_shift[min(s.day, len(sp.lead_shift) - 1)]
    if wait is None and shift is None:
        return None
    excess = wait if shift is None else (shift if wait is None else wait + shift)
    target = c.schedules.day("share", min(max(s.day - 1, 0), c.n_days - 1))
    used = np.broadcast_to(target, (s.stock.shape[0], c.n_lanes)) if s.share_applied is None else s.share_applied
    # Weights: applied shares normalised per buyer; the target shares on a day nothing was applied.
    total = _sum(c, used, "buyer")[:, c.lane_buyer]
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(total > 0, used / total, target)
    extra: np.ndarray = _sum(c, np.maximum(excess, 0.0) * weight, "buyer") * (sp.buyer_flow * (1.0 + sp.panic))
    return extra


def split_orders(c: Compiled, s: State, sp: SourcingSpec, q: np.ndarray, share: np.ndarray,
                 allow: np.ndarray, late: np.ndarray | None) -> np.ndarray:
    """Split each buyer's order ``q`` (R, B) across its lanes; returns orders (R, L) (§5.6.6).

    Availability ``h = allow * (not late) * licence_ok`` (the last when the
    licence rules keep one, docs/model.md §5.6.6). The diverted fraction of each
    lane, ``m = max(1 - h, m_prev - 1/lag, min(m_prev, lasting))``, leaves at
    once and returns linearly over the switching lag. The diverted volume goes
    to the buyer's qualified, fully available, undiverted lanes in proportion
    to their supplier's spare capacity (the day's capacity minus throughput), each
    taking at most that spare capacity and its lane capacity; what they cannot
    take goes back to the lanes it was diverted from that are fully available
    again (a returning supplier) or, when the buyer has no alternate with spare
    capacity, partly available (a licensed lane with nowhere better to go: the
    buyer still applies), in proportion to what each diverts; the rest is not
    placed (the buyer orders again the next day).
    """
    assert s.diverted is not None and s.seek_day is not None and s.throughput is not None
    h = allow if late is None else np.where(late, 0.0, allow)
    # The buyer's expectation that an order on the lane is licensed (set by the licence rules, if any).
    if s.licence_ok is not None:
        h = h * s.licence_ok
    prev = s.diverted
    if late is None and not prev.any() and (h >= 1.0).all():
        s.share_applied = None
        orders = q[:, c.lane_buyer] * share
        np.minimum(orders, c.lane_capacity, out=orders)
        return orders
    m = np.maximum(np.maximum(1.0 - h, prev - sp.step), np.minimum(prev, sp.lasting))
    np.maximum(m, 0.0, out=m)
    s.diverted[...] = m
    base = q[:, c.lane_buyer] * share
    keep = base * (1.0 - m)
    diverted = _sum(c, base - keep, "buyer")
    t = s.day
    seeking = _sum(c, (sp.incumbent & (m > 0)).astype(float), "buyer") > 0
    s.seek_day[...] = np.where(seeking, np.minimum(s.seek_day, t), s.seek_day)
    qualified = sp.incumbent | (t >= s.seek_day[:, c.lane_buyer] + sp.qualify_days)
    full = h >= 1.0
    capacity = c.capacity if s.capacity_today is None else s.capacity_today
    spare = np.maximum(capacity - s.throughput, 0.0)[:, c.lane_origin]
    weight = np.where(qualified & full & (m <= 0.0), spare, 0.0)
    total = _sum(c, weight, "buyer")[:, c.lane_buyer]
    with np.errstate(divide="ignore", invalid="ignore"):
        alt = np.where(total > 0, diverted[:, c.lane_buyer] * weight / total, 0.0)
    alt = np.minimum(np.minimum(alt, spare), np.maximum(c.lane_capacity - keep, 0.0))
    rest = np.maximum(diverted - _sum(c, alt, "buyer"), 0.0)
    # A returning supplier takes back what it diverted; a partly available lane (a licence regime, a
    # leakage route) only when the buyer has no qualified alternate with spare capacity to turn to.
    back_w = np.where((h >= 1.0) | ((h > 0.0) & (total <= 0.0)), base - keep, 0.0)
    back_total = _sum(c, back_w, "buyer")[:, c.lane_buyer]
    with np.errstate(divide="ignore", invalid="ignore"):
        back = np.where(back_total > 0, rest[:, c.lane_buyer] * back_w / back_total, 0.0)
    placed = keep + alt + back
    qb = q[:, c.lane_buyer]
    # Written so that an undiverted lane's applied share is exactly its target share w (w * 1 + 0).
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = np.where(qb > 0, (alt + back) / qb, 0.0)
    s.share_applied = share * (1.0 - m) + moved
    return np.minimum(placed, c.lane_capacity)


def ship_classes(c: Compiled, sp: SourcingSpec, owed: np.ndarray,
                 orders: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What each lane asks in the first and in the second service class of its supplier, (R, L) each.

    ``fcfs``: backlog, then the day's orders; ``pro_rata``: everything in one
    class; ``incumbent``: incumbent lanes (baseline share > 0), then the others.
    """
    assert sp.allocation is not None
    code = sp.allocation
    both = owed + orders
    first = np.where(code == ALLOCATION_CODE["fcfs"], owed,
                     np.where((code == ALLOCATION_CODE["pro_rata"]) | sp.incumbent, both, 0.0))
    return first, both - first
