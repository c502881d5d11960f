"""Export controls acting on orders and shipments: leakage routes, licence applications, quotas.

* A **leakage route** (a ban with a route through third countries) caps what
  is owed, then the day's orders, on its lanes at its daily capacity, pro
  rata (docs/model.md §6.5.1).
* A **licence office** turns the day's order on a covered lane into an
  application, unless an approval is still valid there. The application
  waits on the buyer's books (on order, not shipped) until its decision
  day, a calendar entry ``(lane, approved units, denied units)``; on that
  day the approved volume joins the lane's orders and the denied volume is
  dropped (§6.5.2).
* An **export quota** cuts the shipments of its lanes, pro rata, to the
  quota left in its period; a new period resets it (§6.5.3).

Implements docs/model.md §6.5.1 (ban), §6.5.2 (licence) and §6.5.3 (quota).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...compile.compiler import Compiled
from ...compile.leadtime import LEAD_DAYS_TOLERANCE
from ..draws import approval_table, fixed_delays

if TYPE_CHECKING:
    from .run import Run

__all__ = ["LicenceOffice", "quota_reset", "apply_quotas"]


def _decision_days(delay: float) -> int:
    """Whole days from filing to decision: ``ceil(delay - 1e-9)``, at least 0 (§6.5.2)."""
    return max(int(np.ceil(delay - LEAD_DAYS_TOLERANCE)), 0)


class LicenceOffice:
    """Leakage routes and licence regimes of a scenario, with one run's draws and calendar.

    ``approved[t][l]`` (1/0, or ``None``: all approved), ``delay[t][l]``
    (processing days) and ``p[t][l]`` (approval probability of the day's
    regime state) are the run's draws (`draw_run`)
    or, where nothing is random, the compiled fixed values.
    """

    def __init__(self, c: Compiled, approved: np.ndarray | None, delay: np.ndarray | None,
                 p: np.ndarray | None) -> None:
        extras = c.schedules.extras
        self.routes: list[Any] = extras.get("leakage", [])
        specs: list[Any] = extras.get("licences", [])
        self.regimes = bool(specs)
        covered = np.zeros((c.n_days, c.n_lanes), dtype=bool)
        validity = np.zeros(c.n_lanes)
        for spec in specs:
            covered[spec.first:spec.stop, spec.lanes] = True
            validity[spec.lanes] = np.maximum(validity[spec.lanes], spec.validity_days)
        self.covered = [np.flatnonzero(row).tolist() for row in covered]
        self.covered_set = [set(row) for row in self.covered]
        self.validity = validity.tolist()
        self.approved = None if approved is None else approved.tolist()
        self.delay = (delay if delay is not None else fixed_delays(c)).tolist() if specs else None
        self.p = (p if p is not None else approval_table(c, None)).tolist() if specs else None
        # Processing days when every delay is fixed (None: some are random), for the buyers' outlook.
        random_delay = any(not spec.delay.is_deterministic for spec in specs)
        self.delay_fixed = None if random_delay or not specs else fixed_delays(c).tolist()
        self.calendar: dict[int, list[tuple[int, float, float]]] = {}
        self.valid_until = [-np.inf] * c.n_lanes

    def act(self, run: Run, t: int) -> None:
        """Routes, applications and decisions of day ``t``, on ``run.orders`` and ``run.owed``."""
        ok, orders, owed = run.licence_ok, run.orders, run.owed
        assert ok is not None and run.awaiting is not None
        for l in range(len(ok)):
            ok[l] = 1.0
        for route in self.routes:
            if route.first <= t < route.stop:
                _route(route, owed, orders)
                for l in route.lanes.tolist():
                    ok[l] = route.share
        if not self.regimes:
            return
        awaiting, valid = run.awaiting, self.valid_until
        for l in self.covered[t]:
            units = orders[l]
            if units > 0 and valid[l] <= t:
                # An application: it leaves the supplier's book and waits for its decision.
                yes = units if self.approved is None else units * self.approved[t][l]
                day = t + _decision_days(self.delay[t][l])
                self.calendar.setdefault(day, []).append((l, yes, units - yes))
                awaiting[l] += units
                orders[l] -= units
        for l, yes, no in self.calendar.pop(t, ()):
            orders[l] += yes
            awaiting[l] = max(awaiting[l] - (yes + no), 0.0)
            if yes > 0 and self.validity[l] > 0:
                valid[l] = max(valid[l], t + self.validity[l])
        covered, p = self.covered_set[t], self.p[t]
        for l in range(len(ok)):
            if valid[l] <= t and l in covered:
                ok[l] *= p[l]


def _route(route: Any, owed: list[float], orders: list[float]) -> None:
    """Cut what is owed, then the day's orders, on the route's lanes to its capacity (pro rata)."""
    lanes = route.lanes.tolist()
    held = sum(map(owed.__getitem__, lanes))
    if held > route.capacity:
        keep = route.capacity / held
        for l in lanes:
            owed[l] *= keep
    room = max(route.capacity - min(held, route.capacity), 0.0)
    wanted = sum(map(orders.__getitem__, lanes))
    if wanted > room:
        fill = room / wanted
        for l in lanes:
            orders[l] *= fill


def quota_reset(spec: Any, t: int) -> float | None:
    """Quota made available on day ``t`` (``None``: the period goes on), periods anchored on the start.

    On the first day of a control in force since before the window, the
    part of the quota for the days left in the current period.
    """
    into = (t - spec.anchor) % spec.period
    if into == 0:
        return float(spec.amount)
    if t == spec.first:
        return float(spec.amount) * (spec.period - into) / spec.period
    return None


def apply_quotas(run: Run, t: int, shipped: list[float]) -> None:
    """Cut ``shipped`` so no quota regime active on day ``t`` ships more than it has left."""
    for q, spec in enumerate(run.quotas):
        if not spec.first <= t < spec.stop:
            continue
        fresh = quota_reset(spec, t)
        if fresh is not None:
            run.quota_left[q] = fresh  # unused quota lapses
        lanes = spec.lanes.tolist()
        want = sum(map(shipped.__getitem__, lanes))
        left = run.quota_left[q]
        if want > left:
            frac = left / want
            for l in lanes:
                shipped[l] *= frac
        run.quota_left[q] = max(left - sum(map(shipped.__getitem__, lanes)), 0.0)
