"""Per-day inputs shared by both engines.

`day_inputs` combines the schedules (what shocks do on day ``t``) with
a batch of runs' random draws, so that both engines feed the rules of
`.kernel` the same numbers.

Implements docs/model.md §5.1 (order-of-events): the day's inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import Compiled
from .draws import RunDraws

__all__ = ["DrawBatch", "stack_draws", "DayInputs", "day_inputs"]


@dataclass(frozen=True, eq=False)
class DrawBatch:
    """Random draws of ``R`` runs stacked on a leading axis (``None`` when not drawn).

    ``arrival_days``, when given, replaces ``lead_time`` (which is then
    ``None``): the whole days until each day's shipments land,
    ``lead_days(lead_time * lead_factor + lead_extra)`` capped at the horizon
    (a shipment that lands on or after the last day stays in transit either
    way). Small integers copy four to eight times faster than lead times; a
    sink that records no lead time (``keep="summary"``) needs nothing else.
    """

    demand_noise: np.ndarray | None      # (R, T, D)
    lead_time: np.ndarray | None         # (R, T, L)
    outage: np.ndarray | None            # (R, T, F)
    licence_approved: np.ndarray | None  # (R, T, L)
    licence_delay: np.ndarray | None = None  # (R, T, L)
    licence_p: np.ndarray | None = None      # (R, T, L)
    arrival_days: np.ndarray | None = None   # (R, T, L) integers


def stack_draws(draws: list[RunDraws]) -> DrawBatch:
    """Stack per-run draws into a batch."""
    def stack(name: str) -> np.ndarray | None:
        values = [getattr(d, name) for d in draws]
        return None if values[0] is None else np.stack(values)
    return DrawBatch(*(stack(n) for n in ("demand_noise", "lead_time", "outage", "licence_approved",
                                          "licence_delay", "licence_p")))


@dataclass(frozen=True, eq=False)
class DayInputs:
    """Everything the rules need for one day, broadcastable to (R, n)."""

    capacity: np.ndarray
    demand: np.ndarray
    share: np.ndarray
    allow: np.ndarray
    order_factor: np.ndarray
    lead_time: np.ndarray
    licence_approved: np.ndarray | None = None  # (R, L) decision of an application filed today
    licence_delay: np.ndarray | None = None     # (R, L) its processing days
    licence_p: np.ndarray | None = None         # (R, L) approval probability of the regimes' state today
    arrival_days: np.ndarray | None = None      # (R, L) days until today's shipments land, if pre-computed


def day_inputs(c: Compiled, draws: DrawBatch, t: int) -> DayInputs:
    """Combine schedules and draws for day ``t``."""
    sch = c.schedules
    capacity = c.capacity * sch.day("capacity_factor", t)
    if draws.outage is not None:
        capacity = capacity * draws.outage[:, t]
    demand = c.demand_rate * sch.day("demand_factor", t)
    if draws.demand_noise is not None:
        demand = demand * draws.demand_noise[:, t]
    base_lead = c.lane_lead_mean if draws.lead_time is None else draws.lead_time[:, t]
    lead = base_lead * sch.day("lead_factor", t) + sch.day("lead_extra", t)

    def today(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[:, t]
    return DayInputs(capacity=capacity, demand=demand, share=sch.day("share", t), allow=sch.day("lane_allow", t),
                     order_factor=sch.day("order_factor", t), lead_time=lead,
                     licence_approved=today(draws.licence_approved), licence_delay=today(draws.licence_delay),
                     licence_p=today(draws.licence_p), arrival_days=today(draws.arrival_days))
