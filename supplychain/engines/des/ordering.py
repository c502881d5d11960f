"""A buyer's daily review: patience, planning with the quote, its order and where it sends it.

Phase 5 of the day (docs/model.md §5.6). First every lane's backlog loses
what the day's allowance does not let through, and every supplier's wait
(its backlog at its quoted rate) is read; a buyer cancels what its supplier
would not ship within its patience (:func:`cancel_late`). Then each buyer
reviews its inventory position and orders up to its level (:func:`review`),
the level raised by the pipeline it plans for quoted lead times, and splits
the order over its lanes by the day's target shares, diverting what
unavailable lanes cannot take to qualified alternates in proportion to their
suppliers' spare capacity.

Implements docs/model.md §5.6 (ordering), §5.6.5 (patience) and §5.6.6 (resourcing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Run

__all__ = ["supplier_waits", "cancel_late", "review", "LATE_TOLERANCE"]

#: Relative tolerance of the patience test: a backlog cut to exactly the patience stays late.
LATE_TOLERANCE = 1e-9
_INF = float("inf")


def supplier_waits(run: Run) -> list[float]:
    """Days each supplier needs to clear what it owes at its quoted rate (docs/model.md §5.7).

    The quoted rate is the larger of its recent throughput and its normal
    rate scaled by the share of its nameplate capacity it has today.
    """
    lay, owed, cap = run.layout, run.owed, run.capacity_today
    waits = []
    for f, lanes in enumerate(lay.out_lanes):
        due = sum([owed[l] for l in lanes])
        if due > 0.0:
            nameplate = lay.capacity[f]
            rate = lay.normal_rate[f] * (min(cap[f] / nameplate, 1.0) if nameplate > 0 else 1.0)
            quoted = max(run.throughput[f], rate)
            waits.append(due / quoted if quoted > 0 else _INF)
        else:
            waits.append(0.0)
    return waits


def cancel_late(run: Run) -> tuple[list[float], list[bool]]:
    """Cancel what suppliers would not ship within each buyer's patience (§5.6.5).

    Returns each supplier's wait after the cancellations and, per lane,
    whether it was late (its supplier's wait, before cancelling, at least the
    lane's patience).
    """
    lay, owed = run.layout, run.owed
    waits = supplier_waits(run)
    patience = lay.patience
    late = [False] * lay.n_lanes
    cut = False
    for l, f in enumerate(lay.lane_origin):
        wait = waits[f]
        if wait > 0.0 and wait >= patience[l] * (1.0 - LATE_TOLERANCE):
            late[l] = True
            if wait > patience[l]:
                owed[l] *= patience[l] / wait
                cut = True
    return (supplier_waits(run) if cut else waits), late


def review(run: Run, b: int, t: int, waits: list[float] | None, late: list[bool] | None,
           share: list[float], allow: list[float], extra: float, factor: float) -> None:
    """Buyer ``b``'s review on day ``t``: writes its orders into ``run.orders`` (§5.6).

    ``waits`` are the suppliers' waits after cancelling (``None`` when no
    supplier owes anything), ``late`` the lanes past patience, ``share`` the
    day's target shares, ``allow`` the allowances, ``extra`` the scheduled
    shift of the buyer's levels and ``factor`` its order multiplier.
    """
    lay = run.layout
    lanes = lay.buyer_lanes[b]
    owed, transit = run.owed, run.transit
    position = run.stock[lay.buyer_stock[b]] + sum([transit[l] for l in lanes]) + sum([owed[l] for l in lanes])
    if run.awaiting is not None:
        position += sum([run.awaiting[l] for l in lanes])
    d = lay.buyer_demand[b]
    if d >= 0:
        position -= run.backlog[d]
    planned = _planned_pipeline(run, b, t, lanes, waits)
    if planned is not None:
        extra = extra + planned
    if position <= lay.reorder[b] + extra:
        order = max(lay.order_up_to[b] + extra - position, 0.0) * factor
    else:
        order = 0.0
    _split(run, b, t, lanes, order, share, allow, late)


def _planned_pipeline(run: Run, b: int, t: int, lanes: list[int], waits: list[float] | None) -> float | None:
    """Extra pipeline for quoted lead times above normal, ``(1 + panic) F_b sum_l v_l (shift + wait)^+``."""
    lay = run.layout
    shift = lay.lead_shift
    if waits is None and shift is None:
        return None
    row = None if shift is None else shift[min(t, len(shift) - 1)]
    used, target = run.applied, run.share_yesterday
    total = sum([used[l] for l in lanes])
    origin = lay.lane_origin
    planned = 0.0
    for l in lanes:
        excess = (0.0 if waits is None else waits[origin[l]]) if row is None else \
            (row[l] if waits is None else waits[origin[l]] + row[l])
        weight = used[l] / total if total > 0 else target[l]
        planned += max(excess, 0.0) * weight
    return planned * (lay.buyer_flow[b] * (1.0 + lay.panic[b]))


def _split(run: Run, b: int, t: int, lanes: list[int], order: float, share: list[float],
           allow: list[float], late: list[bool] | None) -> None:
    """Split ``order`` over the buyer's lanes by target share and availability (§5.6.6)."""
    lay, orders, applied, diverted = run.layout, run.orders, run.applied, run.diverted
    ok = run.licence_ok
    cap = lay.lane_cap
    # Availability h = allowance x expected licence approval x not late.
    avail = {}
    clean = True
    for l in lanes:
        h = 0.0 if late is not None and late[l] else allow[l]
        if ok is not None:
            h *= ok[l]
        avail[l] = h
        if h < 1.0 or diverted[l] > 0.0:
            clean = False
    if clean:
        for l in lanes:
            wanted = order * share[l]
            orders[l] = wanted if wanted <= cap[l] else cap[l]
            applied[l] = share[l]
        return
    # Diverted fraction: jumps to the unavailable part, returns over the switching lag.
    base, keep = {}, {}
    moved_out = 0.0
    seeking = False
    for l in lanes:
        m = max(max(1.0 - avail[l], diverted[l] - lay.step[l]), min(diverted[l], lay.lasting[l]))
        m = max(m, 0.0)
        diverted[l] = m
        base[l] = order * share[l]
        keep[l] = base[l] * (1.0 - m)
        moved_out += base[l] - keep[l]
        seeking = seeking or (lay.incumbent[l] and m > 0)
    if seeking:
        run.seek_day[b] = min(run.seek_day[b], t)
    spare, weight = {}, {}
    for l in lanes:
        f = lay.lane_origin[l]
        spare[l] = max(run.capacity_today[f] - run.throughput[f], 0.0)
        qualified = lay.incumbent[l] or t >= run.seek_day[b] + lay.qualify_days[l]
        weight[l] = spare[l] if qualified and avail[l] >= 1.0 and diverted[l] <= 0.0 else 0.0
    total = sum([weight[l] for l in lanes])
    alt = {}
    for l in lanes:
        a = moved_out * weight[l] / total if total > 0 else 0.0
        alt[l] = min(a, spare[l], max(cap[l] - keep[l], 0.0))
    rest = max(moved_out - sum([alt[l] for l in lanes]), 0.0)
    # A returning supplier takes back what was diverted from it; a partly available lane only when
    # the buyer has no alternate with spare capacity.
    back_w = {l: (base[l] - keep[l]) if avail[l] >= 1.0 or (avail[l] > 0.0 and total <= 0.0) else 0.0
              for l in lanes}
    back_total = sum([back_w[l] for l in lanes])
    for l in lanes:
        back = rest * back_w[l] / back_total if back_total > 0 else 0.0
        placed = keep[l] + alt[l] + back
        moved = (alt[l] + back) / order if order > 0 else 0.0
        applied[l] = share[l] * (1.0 - diverted[l]) + moved
        orders[l] = min(placed, cap[l])
