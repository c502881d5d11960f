"""Physical disruptions: lost capacity (and destroyed stock), slower or closed lanes, demand swings.

Capacity losses multiply (after capacity additions, see
`supplychain.compile.schedules`), lead-time multipliers multiply,
closures set a lane's allowance to 0 and demand factors multiply, so the
order of the shocks does not matter.

Implements docs/model.md §6.6 (capacity-shock), §6.7 (logistics-shock) and §6.8 (demand-shock).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...model import CapacityShock, DemandShock, LogisticsShock
from ...model.shocks import to_day
from ...model.shocks.disruptions import recovery_days_for
from ..schedules import ScheduleBuilder
from ..select import (
    check_commodity,
    check_region,
    commodity_mask,
    index,
    select_demands,
    select_facilities,
    warn_if_empty,
)

__all__ = ["DestroySpec", "capacity_shock", "logistics_shock", "demand_shock", "loss_profile"]


@dataclass(frozen=True, eq=False)
class DestroySpec:
    """On ``day``, ``fraction`` of ``stocks`` is destroyed, and of the work in progress in ring
    slots ``wip_slots`` (owned by facilities ``wip_owner``; recorded on their output stocks)."""

    stocks: np.ndarray
    day: int
    fraction: float
    wip_slots: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    wip_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))


def loss_profile(shock: CapacityShock, builder: ScheduleBuilder, recovery_days: float | None = None) -> np.ndarray:
    """Fraction of capacity lost on each day, shape (T,).

    ``recovery_days`` (resolved for one chain) replaces ``shock.recovery_days``;
    a ``None`` in both recovers at once.
    """
    rec = shock.recovery_days if recovery_days is None else recovery_days
    t = np.arange(builder.n_days)
    start = builder.start_day(shock)
    loss = np.where(t >= start, shock.fraction_lost, 0.0)
    if shock.end is not None:
        d = t - to_day(shock.end, builder.scenario.start_date) + 1   # day of recovery, from 1
        if rec is None or rec <= 0:
            back = np.ones_like(d, dtype=float)
        elif shock.recovery == "linear":
            back = np.clip(d / rec, 0.0, 1.0)
        else:
            back = 1.0 - np.exp(-np.maximum(d, 0) / rec)
        loss = np.where(d >= 1, shock.fraction_lost * (1.0 - back), loss)
    return loss


def facility_chains(builder: ScheduleBuilder) -> list[str]:
    """Value chain of each facility's output (``""`` when the commodity has none)."""
    net = builder.scenario.network
    chains = {c.id: c.chain for c in net.commodities}
    return [chains.get(f.output, "") for f in net.facilities]


def capacity_shock(shock: CapacityShock, builder: ScheduleBuilder) -> None:
    """Multiply capacity by ``1 - loss(t)``; destroy stock on the start day when it is inside the horizon.

    Without ``recovery_days`` each facility recovers over its chain's default
    (`RECOVERY_DAYS`).
    """
    facs = select_facilities(builder, shock, "CapacityShock")
    builder.window(shock)  # validates end after start on the calendar
    chains = facility_chains(builder)
    by_days: dict[float, list[int]] = {}
    for f in np.atleast_1d(facs).tolist():
        by_days.setdefault(recovery_days_for(shock.recovery_days, chains[f]), []).append(int(f))
    factor = builder.full("capacity_factor")
    window: dict[int, float] = builder.extras.setdefault("recovery_window", {})
    for rec, members in sorted(by_days.items()):
        factor[:, members] *= (1.0 - loss_profile(shock, builder, rec))[:, None]
        for f in members:
            # How far ahead a supplier quotes from the capacity its recovery will give back (§5.7).
            window[f] = max(window.get(f, 0.0), float(rec))
    day = builder.start_day(shock)
    if shock.fraction_lost >= 1.0:
        # The window of no capacity at all, kept whole (its end may lie past the horizon): the
        # facilities' announced restart, which they quote while down (docs/model.md §5.7).
        end = np.inf if shock.end is None else float(to_day(shock.end, builder.scenario.start_date))
        builder.extras.setdefault("full_loss", []).append((np.atleast_1d(facs).astype(np.intp), day, end))
    # A shock in force before day 0 is a standing condition: its destruction is already past.
    if shock.destroy_inventory > 0 and 0 <= day < builder.n_days:
        ids = {builder.core["facility_ids"][f] for f in facs}
        stocks = np.array([s for s, n in enumerate(builder.core["stock_node"]) if n in ids])
        # Work in progress of the selected facilities with a cycle time is scrapped the same way.
        core = builder.core
        slots, owner = [], []
        hit = set(np.atleast_1d(facs).tolist())
        for i, f in enumerate(core["wip_facility"]):
            if int(f) in hit:
                k = int(core["cycle_time"][f])
                slots.extend(range(int(core["wip_slot0"][i]), int(core["wip_slot0"][i]) + k))
                owner.extend([int(f)] * k)
        builder.extras.setdefault("destroy", []).append(
            DestroySpec(stocks=stocks, day=day, fraction=shock.destroy_inventory,
                        wip_slots=np.array(slots, dtype=np.intp), wip_owner=np.array(owner, dtype=np.intp)))


def logistics_shock(shock: LogisticsShock, builder: ScheduleBuilder) -> None:
    """Close the matching lanes, or multiply their lead time, over the shock's window."""
    idx = index(builder)
    for name in ("origin_region", "destination_region", "through"):
        check_region(idx, getattr(shock, name), name, "LogisticsShock")
    check_commodity(idx, shock.commodity, "commodity", "LogisticsShock")
    mask = commodity_mask(idx.lane_commodity, shock.commodity)
    if shock.origin_region is not None:
        mask &= idx.lane_from == shock.origin_region
    if shock.destination_region is not None:
        mask &= idx.lane_to == shock.destination_region
    if shock.through is not None:
        mask &= ((idx.lane_from == shock.through) | (idx.lane_to == shock.through)) & (idx.lane_from != idx.lane_to)
    if warn_if_empty(mask, shock, "lane"):
        return
    first, stop = builder.window(shock)
    if shock.closed:
        builder.full("lane_allow")[first:stop, mask] *= 0.0
    else:
        builder.full("lead_factor")[first:stop, mask] *= shock.lead_time_multiplier


def demand_shock(shock: DemandShock, builder: ScheduleBuilder) -> None:
    """Multiply final demand of the commodity in the region (of one segment if given) by ``factor`` over the window."""
    demands = select_demands(builder, shock.region, shock.commodity, "DemandShock", segment=shock.segment)
    first, stop = builder.window(shock)
    builder.full("demand_factor")[first:stop, demands] *= shock.factor
