"""A supplier's order book: what it ships from its output stock, by its allocation rule.

Phase 6 of the day (docs/model.md §5.7). Supplier ``f`` owes each of its
lanes a backlog (orders of earlier days) and receives the day's orders. It
serves up to three classes in turn: ``history`` each lane up
to its steady daily flow, then the rest of the backlog, then the rest of the
day's orders; ``recent`` the same up to the lane's record of recent shipments
(``Run.recent``, moved by `settle`); ``value`` those three classes for each tier of buyers' value
per unit in turn, the highest first; ``fcfs`` the backlog, then the day's orders; ``pro_rata``
everything in one class; ``incumbent`` its baseline customers' lanes, then
the others. Within a class every lane gets the same fraction of
its request when the stock is short (proportional rationing), and no lane
ships more than its capacity in a day. Quotas may then cut the shipments
(`apply_quotas`); `settle` books them.

Implements docs/model.md §5.7 (shipping).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Run

__all__ = ["offer", "settle", "THROUGHPUT_DAYS"]

#: Mean age in days of the moving average of a supplier's shipments, its throughput (§5.7).
THROUGHPUT_DAYS = 30.0


def offer(run: Run, f: int, shipped: list[float]) -> None:
    """What supplier ``f`` would ship today on each of its lanes, written into ``shipped``."""
    lay = run.layout
    lanes = lay.out_lanes[f]
    if not lanes:
        return
    owed, orders, cap = run.owed, run.orders, lay.lane_cap
    on_hand = run.stock[lay.out_stock[f]]
    wanted = [orders[l] if orders[l] <= cap[l] else cap[l] for l in lanes]
    if not sum(map(owed.__getitem__, lanes)) > 0.0 and sum(wanted) <= on_hand:
        # Nothing owed and stock for every order: each class is served in full (the steady state).
        for l, w in zip(lanes, wanted):
            shipped[l] = w
        return
    recent = lay.lane_flow if lay.recent_days is None else run.recent  # the records move only under "recent"
    tiers = lay.out_tiers[f] if lay.by_value else 1
    classes = [_classes(lay, l, owed[l], orders[l], recent[l], tiers) for l in lanes]
    left = on_hand
    room = {l: cap[l] for l in lanes}
    for l in lanes:
        shipped[l] = 0.0
    for k in range(3 * tiers):
        part = _ration({l: min(asked[k], room[l]) for l, asked in zip(lanes, classes)}, left)
        left = max(left - sum(part.values()), 0.0)
        for l in lanes:
            room[l] = room[l] - part[l]
            shipped[l] = shipped[l] + part[l]


def _classes(lay, l: int, owed: float, order: float, recent: float,  # type: ignore[no-untyped-def]
             tiers: int) -> list[float]:
    """What lane ``l`` asks in its supplier's service classes (§5.7): three, or three per value tier.

    ``recent`` is the lane's record of recent shipments, its history under ``"recent"``; ``tiers``
    the supplier's own number of value tiers (the classes of lower tiers, asking nothing of
    anyone, leave its stock and shipments as they are, so they are not served).
    """
    rule = lay.allocation[l]
    both = owed + order
    if rule == "history" or rule == "value" or rule == "recent":
        # Its history first (older orders first within it), then older orders, then new ones.
        flow = recent if rule == "recent" else lay.lane_flow[l]
        normal = min(both, flow)
        older = max(owed - flow, 0.0)
        asked = [normal, older, max((both - normal) - older, 0.0)]
    else:
        head = owed if rule == "fcfs" else both if rule == "pro_rata" or lay.incumbent[l] else 0.0
        asked = [head, both - head, 0.0]
    if not lay.by_value:
        return asked
    # By value: the history classes of the lane's own tier; every other tier's classes ask nothing.
    out = [0.0] * (3 * tiers)
    out[3 * lay.value_rank[l]:3 * lay.value_rank[l] + 3] = asked
    return out


def _ration(wanted: dict[int, float], on_hand: float) -> dict[int, float]:
    """Proportional rationing: every request gets the same fraction when they exceed ``on_hand``."""
    requested = sum(wanted.values())
    if requested > on_hand:
        fill = on_hand / requested
        return {l: w * fill for l, w in wanted.items()}
    return wanted


def settle(run: Run, f: int, shipped: list[float]) -> float:
    """Book supplier ``f``'s shipments: stock, order book, throughput and records; returns units sent."""
    lay = run.layout
    lanes = lay.out_lanes[f]
    owed, orders, transit = run.owed, run.orders, run.transit
    sent = sum(map(shipped.__getitem__, lanes))
    out = lay.out_stock[f]
    run.stock[out] = max(run.stock[out] - sent, 0.0)
    for l in lanes:
        units = shipped[l]
        left = (owed[l] + orders[l]) - units
        owed[l] = 0.0 if left < 0.0 else left  # max(left, 0.0) without the call, for every lane every day
        transit[l] += units
    run.throughput[f] += (sent - run.throughput[f]) / THROUGHPUT_DAYS
    if lay.recent_days is not None:
        # Turn-and-earn (§5.7): each lane's record of recent shipments moves towards the day's shipment.
        recent, days = run.recent, lay.recent_days
        for l in lanes:
            recent[l] += (shipped[l] - recent[l]) / days[l]
    return sent
