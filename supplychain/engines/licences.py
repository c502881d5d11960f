"""Licence applications and leakage routes: the step between ordering and shipping.

`apply` runs once a day in both engines, after
`place_orders` and before
`ship`:

1. **Leakage routes** (a ban with a route through third countries): what a
   supplier owes on the route's lanes is cut, pro rata, to the route's
   daily capacity, and today's orders on those lanes to the capacity left,
   so at most ``capacity`` units a day are ordered and shipped through the
   route; what is cut is not placed (the buyer's position falls and it
   re-orders).
2. **Applications**: today's order on a lane covered by a licence regime,
   without a valid approval, becomes an application. It is no longer an
   order to the supplier: it waits, on order for the buyer (counted in its
   inventory position) but not shipped, until its decision day, drawn per
   application (`draw_licences`).
3. **Decisions** due today: an approved volume joins today's orders (so
   the supplier's order book) and may open a validity period on its lane;
   a denied volume is dropped, so the buyer's position falls by it and it
   re-orders on the next day.

Applications wait in two rings of decision days (approved and denied
volumes, the outcome being drawn in advance with the application), slot
``d % W`` holding what is decided on day ``d``.

Implements docs/model.md §6.5.1 (ban) and §6.5.2 (licence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.trade import LeakageSpec, LicenceSpec
from .draws import approval_table, decision_days, fixed_delays

__all__ = ["LicenceState", "Licensed", "apply", "initial_licences", "outlook"]


@dataclass(eq=False)
class LicenceState:
    """Applications awaiting a decision and validity of approvals, for ``R`` runs."""

    covered: np.ndarray        # (T, L) bool: an order on the lane that day needs a licence
    validity: np.ndarray       # (L,) days an approval covers later orders (0: its own volume only)
    p_fixed: np.ndarray | None  # (T, L) approval probability when no regime switches
    delay_fixed: np.ndarray | None  # (T, L) processing days when every delay is fixed
    yes: np.ndarray            # (R, W, L) approved volume by decision day (slot d % W)
    no: np.ndarray             # (R, W, L) denied volume by decision day
    awaiting: np.ndarray       # (R, L) volume awaiting a decision
    valid_until: np.ndarray    # (R, L) orders on days before this need no application
    routes: list[LeakageSpec]

    @property
    def width(self) -> int:
        return int(self.yes.shape[1])


class Licensed(Protocol):
    """The part of the engines' state (`State`) these steps use."""

    day: int
    owed: np.ndarray | None
    licence: LicenceState | None
    licence_ok: np.ndarray | None


def initial_licences(c: Compiled, n_runs: int) -> LicenceState | None:
    """Empty application queues for ``c``, or ``None`` when it has no licence regime or leakage route."""
    specs: list[LicenceSpec] = c.schedules.extras.get("licences", [])
    routes: list[LeakageSpec] = c.schedules.extras.get("leakage", [])
    if not specs and not routes:
        return None
    covered = np.zeros((c.n_days, c.n_lanes), dtype=bool)
    validity = np.zeros(c.n_lanes)
    width = 1
    for spec in specs:
        covered[spec.first:spec.stop, spec.lanes] = True
        validity[spec.lanes] = np.maximum(validity[spec.lanes], spec.validity_days)
        if spec.delay.is_deterministic:
            width = max(width, int(decision_days(np.array([spec.delay.mean]))[0]) + 1)
    switching = any(spec.switches for spec in specs)
    random_delay = any(not spec.delay.is_deterministic for spec in specs)
    shape = (n_runs, width, c.n_lanes)
    return LicenceState(covered=covered, validity=validity,
                        p_fixed=None if switching or not specs else approval_table(c, None),
                        delay_fixed=None if random_delay or not specs else fixed_delays(c),
                        yes=np.zeros(shape), no=np.zeros(shape), awaiting=np.zeros((n_runs, c.n_lanes)),
                        valid_until=np.full((n_runs, c.n_lanes), -np.inf), routes=routes)


def outlook(c: Compiled, s: Licensed) -> tuple[np.ndarray | None, np.ndarray | None]:
    """What the buyers expect of licensing on the day's ordering (docs/model.md §6.5.2).

    Returns ``(doubt, licensed)``: the volume of each buyer's pending
    applications it expects to be denied, ``sum_l (1 - licence_ok_l) W_l``
    (R, B), and the lanes where today's order would be an application with a
    processing delay (R, L) bool; each ``None`` when there is none.
    """
    q, ok, t = s.licence, s.licence_ok, s.day
    assert q is not None and ok is not None
    denied = q.awaiting * (1.0 - ok)
    doubt = None
    if denied.any():
        doubt = np.zeros((denied.shape[0], c.n_buyers))
        np.add.at(doubt.T, c.lane_buyer, denied.T)
    day = min(t, c.n_days - 1)
    delayed = q.covered[day] if q.delay_fixed is None else q.covered[day] & (q.delay_fixed[day] > 0)
    licensed = delayed & (q.valid_until <= t)
    return doubt, (licensed if licensed.any() else None)


def _grow(q: LicenceState, t: int, width: int) -> None:
    """Widen the rings (a delay longer than foreseen), keeping every pending decision day."""
    w = q.width
    days = np.arange(t, t + w)
    for name in ("yes", "no"):
        old = getattr(q, name)
        new = np.zeros((old.shape[0], width, old.shape[2]))
        new[:, days % width] = old[:, days % w]
        setattr(q, name, new)


def _route(owed: np.ndarray, orders: np.ndarray, spec: LeakageSpec) -> None:
    """Cut what is owed, then today's orders, on the route's lanes to its daily capacity (pro rata)."""
    lanes = spec.lanes
    held = owed[:, lanes].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.where(held > spec.capacity, spec.capacity / held, 1.0)
    owed[:, lanes] *= keep[:, None]
    room = np.maximum(spec.capacity - np.minimum(held, spec.capacity), 0.0)
    wanted = orders[:, lanes].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        fill = np.where(wanted > room, room / wanted, 1.0)
    orders[:, lanes] *= fill[:, None]


def apply(c: Compiled, s: Licensed, orders: np.ndarray, approved: np.ndarray | None,
          delay: np.ndarray | None, p: np.ndarray | None) -> np.ndarray:
    """Turn today's orders on licensed lanes into applications and release today's decisions.

    Parameters
    ----------
    c : Compiled
        The compiled scenario.
    s : State
        The engines' state (`State`);
        ``s.licence`` and ``s.licence_ok`` are updated, ``s.owed`` cut on
        leakage routes.
    orders : ndarray
        Today's orders (R, L) from ``place_orders``.
    approved, delay, p : ndarray or None
        Today's row (R, L) of the run's licence draws
        (`draw_licences`); ``None`` where
        they are not random (fixed delays and probabilities come from the
        compiled regimes).

    Returns
    -------
    ndarray
        The orders that reach the suppliers' books today (R, L).

    Examples
    --------
    A regime approving everything after 2 days: day 0's order is held, then
    joins day 2's orders.

    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.engines.kernel import initial_state
    >>> from supplychain.model import ExportControl
    >>> sc = synthetic_scenario(6, horizon_days=5)
    >>> c = compile_scenario(sc.with_shocks(ExportControl(
    ...     exporter=sc.network.facilities[0].region, commodity="*", mode="licence", processing_delay=2)))
    >>> s = initial_state(c, 1)
    >>> lane = int(np.flatnonzero(s.licence.covered[0])[0])
    >>> order = np.zeros((1, c.n_lanes)); order[0, lane] = 5.0
    >>> float(apply(c, s, order.copy(), None, None, None)[0, lane]), float(s.licence.awaiting[0, lane])
    (0.0, 5.0)
    >>> s.day = 2
    >>> float(apply(c, s, np.zeros((1, c.n_lanes)), None, None, None)[0, lane])
    5.0
    """
    q, ok, t = s.licence, s.licence_ok, s.day
    if q is None:
        return orders
    assert ok is not None and s.owed is not None
    ok[...] = 1.0
    for spec in q.routes:
        if spec.first <= t < spec.stop:
            _route(s.owed, orders, spec)
            ok[:, spec.lanes] = spec.share
    if delay is None:
        if q.delay_fixed is None:
            return orders
        delay = q.delay_fixed[t][None, :]
    covered = q.covered[t]
    needs = covered & (q.valid_until <= t)
    filed = np.where(needs, orders, 0.0)
    rows, lanes = np.nonzero(filed > 0)
    if len(rows):
        wait = decision_days(np.broadcast_to(delay, filed.shape)[rows, lanes])
        if wait.max() >= q.width:
            _grow(q, t, int(max(wait.max() + 1, 2 * q.width)))
        slots = (t + wait) % q.width
        units = filed[rows, lanes]
        yes = units if approved is None else units * approved[rows, lanes]
        q.yes[rows, slots, lanes] += yes
        q.no[rows, slots, lanes] += units - yes
        q.awaiting += filed
        orders = orders - filed
    slot = t % q.width
    granted, denied = q.yes[:, slot], q.no[:, slot]
    if granted.any() or denied.any():
        orders = orders + granted
        q.awaiting -= granted + denied
        np.maximum(q.awaiting, 0.0, out=q.awaiting)
        if q.validity.any():
            opened = np.where(granted > 0, t + q.validity, -np.inf)
            np.maximum(q.valid_until, opened, out=q.valid_until)
        granted[...] = 0.0
        denied[...] = 0.0
    today = p if p is not None else q.p_fixed[t] if q.p_fixed is not None else 1.0
    ok *= np.where(q.valid_until > t, 1.0, np.where(covered, today, 1.0))
    return orders
