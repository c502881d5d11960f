"""Daily schedules: what shocks do to capacities, lanes, demand and sourcing.

Shocks are turned into arrays indexed by day, once, before any engine runs, so
that engines only read numbers. An array whose first axis has length 1 is
constant over the horizon (this keeps big networks with no shock small).

A shock type is applied by a function registered with :func:`register`; the
function receives the shock and a :class:`ScheduleBuilder` and edits the
arrays it needs (the builder materialises a full ``(T, n)`` copy on first
write).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import SupplyChainError
from ..model.scenario import Scenario
from ..model.shocks import Shock

__all__ = ["Schedules", "ScheduleBuilder", "build_schedules", "register", "DAILY_FIELDS"]

#: name -> (axis the second dimension runs over, neutral value)
DAILY_FIELDS: dict[str, tuple[str, float]] = {
    "capacity_factor": ("facility", 1.0),   # multiplier on capacity
    "demand_factor": ("demand", 1.0),       # multiplier on demand
    "lane_allow": ("lane", 1.0),            # fraction of ordered volume allowed to ship
    "lead_factor": ("lane", 1.0),           # multiplier on lead time
    "lead_extra": ("lane", 0.0),            # extra days added to lead time
    "tariff": ("lane", 0.0),                # ad-valorem tariff rate on the lane
    "share": ("lane", 1.0),                 # normalised sourcing share (set in build)
    "order_factor": ("buyer", 1.0),         # multiplier on orders
    "target_extra": ("buyer", 0.0),         # units added to order-up-to level and reorder point
}


@dataclass(frozen=True, eq=False)
class Schedules:
    """Arrays of shape ``(T, n)`` or ``(1, n)`` (constant), one per field in :data:`DAILY_FIELDS`.

    ``extras`` holds state that dynamic shock mechanisms need (quota sizes,
    stockpiles, licence parameters); engines that know a key use it.
    """

    capacity_factor: np.ndarray
    demand_factor: np.ndarray
    lane_allow: np.ndarray
    lead_factor: np.ndarray
    lead_extra: np.ndarray
    tariff: np.ndarray
    share: np.ndarray
    order_factor: np.ndarray
    target_extra: np.ndarray
    extras: dict[str, Any] = field(default_factory=dict)
    needs_random: bool = False

    def day(self, name: str, t: int) -> np.ndarray:
        """Row ``t`` of schedule ``name`` (row 0 when the schedule is constant)."""
        arr: np.ndarray = getattr(self, name)
        return arr[t] if arr.shape[0] > 1 else arr[0]


class ScheduleBuilder:
    """Mutable workspace in which shock rules write their effects."""

    def __init__(self, scenario: Scenario, core: dict[str, Any], sizes: dict[str, int]) -> None:
        self.scenario = scenario
        self.core = core
        self.n_days = scenario.horizon_days
        self._sizes = sizes
        self.arrays: dict[str, np.ndarray] = {
            name: np.full((1, sizes[axis]), neutral) for name, (axis, neutral) in DAILY_FIELDS.items()}
        self.extras: dict[str, Any] = {}
        self.needs_random = False
        #: Called once after every shock rule (e.g. to turn summed tariffs into sourcing shares).
        self.finalizers: dict[str, Callable[[ScheduleBuilder], None]] = {}

    def full(self, name: str) -> np.ndarray:
        """The ``(T, n)`` array for ``name``, ready to edit in place."""
        arr = self.arrays[name]
        if arr.shape[0] == 1 and self.n_days > 1:
            arr = np.repeat(arr, self.n_days, axis=0)
            self.arrays[name] = arr
        return arr

    def window(self, shock: Shock) -> tuple[int, int]:
        """Active days ``[first, stop)`` of ``shock`` within the horizon."""
        return shock.window(self.scenario.start_date, self.n_days)

    def build(self) -> Schedules:
        """Freeze the arrays."""
        return Schedules(**self.arrays, extras=self.extras, needs_random=self.needs_random)


_RULES: dict[type, Callable[[Any, ScheduleBuilder], None]] = {}


def register(shock_type: type) -> Callable[[Callable[[Any, ScheduleBuilder], None]],
                                           Callable[[Any, ScheduleBuilder], None]]:
    """Decorator registering the function that applies ``shock_type`` to schedules."""
    def deco(fn: Callable[[Any, ScheduleBuilder], None]) -> Callable[[Any, ScheduleBuilder], None]:
        _RULES[shock_type] = fn
        return fn
    return deco


def _normalise_shares(share: np.ndarray, lane_buyer: np.ndarray, n_buyers: int) -> np.ndarray:
    totals = np.zeros((share.shape[0], n_buyers))
    for t in range(share.shape[0]):
        totals[t] = np.bincount(lane_buyer, weights=share[t], minlength=n_buyers)
    denom = totals[:, lane_buyer]
    counts = np.bincount(lane_buyer, minlength=n_buyers)[lane_buyer]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, share / np.where(denom > 0, denom, 1.0), 1.0 / np.maximum(counts, 1))
    return out


def build_schedules(scenario: Scenario, core: dict[str, Any], *, base_share: np.ndarray) -> Schedules:
    """Apply every shock of ``scenario`` in order and return the schedules."""
    from . import (
        outages,  # noqa: F401  (registers the RandomOutage rule)
        shock_rules,  # noqa: F401  (registers the rules of the built-in shocks)
    )

    sizes = {"facility": len(core["facility_ids"]), "demand": len(core["demand_ids"]),
             "lane": len(core["lane_ids"]), "buyer": len(core["buyer_stock"])}
    builder = ScheduleBuilder(scenario, core, sizes)
    builder.arrays["share"] = base_share[None, :].astype(float).copy()
    for i, shock in enumerate(scenario.all_shocks):
        rule = _RULES.get(type(shock))
        if rule is None:
            raise TypeError(f"no schedule rule is registered for shock type {type(shock).__name__}")
        try:
            rule(shock, builder)
        except SupplyChainError as exc:
            # Say which shock of a long list is wrong (numbered from 1, like [[shocks]] entries).
            raise type(exc)(f"shocks entry {i + 1}: {exc}") from None
    for finish in builder.finalizers.values():
        finish(builder)
    builder.arrays["share"] = _normalise_shares(builder.arrays["share"], core["lane_buyer"], sizes["buyer"])
    return builder.build()
