"""A buyer's daily review: patience, planning with the quote, its order and where it sends it.

Phase 5 of the day (docs/model.md §5.6). First every lane's backlog loses
what the day's allowance does not let through, and every supplier's wait is
read: its restart wait (a supplier without capacity quotes its announced
restart) plus what it owes at its quoted rate (`supplier_waits`). A
buyer keeps what its supplier would ship within its patience
(`cancel_late`), and the wait it plans with moves a thirtieth of the
way to the day's wait (`expect_waits`). A supplier without capacity
whose restart lands its goods beyond a buyer's cover horizon is out of reach
(`out_of_reach`): its backlog is no cover and it gets no new order. Then each buyer reviews its
inventory position and orders up to its level (`review`), the level
raised by the pipeline it plans for the expected wait of its suppliers with
capacity, and splits the order over its lanes by the day's target shares,
diverting what unavailable lanes cannot take to qualified alternates in
proportion to their suppliers' spare capacity (under design lock-in only a lane's
second-sourced part before its porting time; the locked rest waits for its own supplier,
``run.locked``, as does the locked part of a cancelled backlog, and that of a backlog out of
reach is held out of the split); a lane whose supplier owes a
queue takes only its part of the order without the planned pipeline, and the
planned part goes to alternates with spare capacity left (`_route`; under design lock-in the lanes that
owe no queue keep the locked part of their share of it off). Under a licence regime the buyer orders as
if only the approvals it expects were pending (`outlook`), files no more than counting them
all, and offers a lane's order that would wait for a licence to alternates
first.

Implements docs/model.md §5.6 (ordering), §5.6.5 (patience, planning),
§5.6.6 (resourcing), §5.7 (quotes) and §6.5.2 (ordering under licences).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Run

__all__ = ["input_rate", "any_restart", "supplier_waits", "cancel_late", "cancel_allowance", "out_of_reach",
           "expect_waits", "outlook", "review",
           "LATE_TOLERANCE", "REACH_TOLERANCE", "ORDER_TOLERANCE", "CLASS_TOLERANCE",
           "EXPECTED_WAIT_DAYS"]

#: Relative tolerance of the patience test: a backlog cut to exactly the patience stays late.
LATE_TOLERANCE = 1e-9
#: Relative tolerance of the reach test (§5.6.5): a restart landing exactly at the horizon is in reach,
#: and a supplier's stock is free only beyond what it owes by this part of its normal rate.
REACH_TOLERANCE = 1e-9
#: An order of at most this part of the buyer's steady inflow is none (§5.6): at the order-up-to level
#: the order is a rounding residue of the position's sum, and the applied share divides by it (§5.6.6).
#: A position at most this part above the reorder point is at it (an (s, S) position can land on s).
ORDER_TOLERANCE = 1e-9
#: A backlog within this part of its lane's history is at it, not below (§5.7, the classes of a quote).
CLASS_TOLERANCE = 1e-9
#: Adjustment time, in days, of the smoothed quoted wait buyers plan with (§5.6.5).
EXPECTED_WAIT_DAYS = 30.0
_INF = float("inf")


def input_rate(run: Run, f: int) -> float:
    """Input-supported rate of facility ``f``, ``K_f min_k m_k / m0_k`` (docs/model.md §5.7); inf without a limit.

    ``m_k`` is the facility's stock of input ``k`` plus what is in transit to
    it, ``m0_k`` the same in steady state at the review: the nameplate
    capacity runs for the window the steady material lasts at it only with
    that material. An input with reference 0 sets no limit.
    """
    lay, stock, transit = run.layout, run.stock, run.transit
    ref = lay.material_ref
    least = _INF
    for s, _ in lay.recipe[f]:
        if ref[s] > 0:
            material = stock[s]
            b = lay.stock_buyer[s]
            if b >= 0:
                into = 0.0
                for l in lay.buyer_lanes[b]:
                    into += transit[l]
                material = material + into
            least = min(least, material / ref[s])
    return least if least == _INF else lay.capacity[f] * least


def _quote(run: Run, f: int, t: int) -> tuple[float, float]:
    """Supplier ``f``'s quoted rate and restart wait on day ``t`` (docs/model.md §5.7).

    With capacity today: its throughput, or if larger the largest of its
    usable capacity and its normal rate times the nameplate share its
    scheduled recovery gives back (times the share a random outage leaves
    it), capped by its input-supported rate (`input_rate`); no restart wait.
    Without: its normal rate after its announced restart (the end of a
    scheduled total loss, else the mean duration of its random outages),
    plus the days of full output its cold restart will withhold if its stop is
    then long enough (§5.4.2). A line back from a cold stop whose ramp is not
    over: its normal rate after the days of full output its ramp still withholds.
    """
    lay = run.layout
    cap = run.capacity_today[f]
    cold = lay.cold[f]
    if cap > 0 and cold is not None and _restarting(run, f, t):
        table = lay.withheld[f]
        return lay.normal_rate[f], table[min(int(t - run.back[f]), len(table) - 1)]
    if cap > 0:
        rate = run.usable[f]
        if lay.quote_share is not None:
            day = min(t, lay.n_days - 1)
            scheduled = lay.capacity[f] * run.now["capacity_factor"][f]
            share = cap / scheduled if scheduled > 0 else 1.0
            rate = max(rate, lay.normal_rate[f] * min(lay.quote_share[day][f] * share, 1.0))
        # Limited by the inputs it has and has coming; its recent rate stands (§5.7).
        return max(run.throughput[f], min(rate, input_rate(run, f))), 0.0
    known = 0.0 if lay.restart_in is None else lay.restart_in[min(t, lay.n_days - 1)][f]
    drawn = 0.0 if lay.outage_days is None else lay.outage_days[f]
    restart = known if known > 0 else drawn
    # A stop that will have lasted the cold-stop length by then adds the whole cold restart
    # (``down`` already counts today).
    if cold is not None and run.down[f] - 1.0 + restart >= cold[0]:
        restart = restart + lay.withheld[f][0]
    return lay.normal_rate[f], restart


def _restarting(run: Run, f: int, t: int) -> bool:
    """Whether line ``f``, back from a cold stop, has not finished its ramp on day ``t`` (§5.4.2)."""
    cold = run.layout.cold[f]
    if cold is None:
        return False
    return _cold_fraction(run, f, t) < 1.0


def _cold_fraction(run: Run, f: int, t: int) -> float:
    """Share of its capacity line ``f`` may use on day ``t`` along its cold restart; 1 if none (§5.4.2)."""
    cold = run.layout.cold[f]
    if cold is None:
        return 1.0
    _, delay, ramp = cold
    return min(1.0, max((t - run.back[f] - delay + 1.0) / ramp, 0.0))


def _quiet(run: Run, f: int, t: int) -> bool:
    """Whether supplier ``f`` quotes an announced restart on day ``t``: no capacity or a cold restart (§5.7)."""
    return not run.capacity_today[f] > 0 or _restarting(run, f, t)


def any_restart(run: Run, t: int) -> bool:
    """Whether some supplier quotes an announced restart on day ``t`` (no capacity, or restarting cold)."""
    return any([_quiet(run, f, t) for f in range(run.layout.n_facilities)])


def supplier_waits(run: Run, t: int) -> tuple[list[float], list[float]]:
    """Days before each lane's supplier ships a new order on it, and the restart part, per lane (§5.7).

    The wait is the restart wait plus what the supplier owes in the classes
    it serves before or with a new order on the lane, at its quoted rate
    (infinite if that is positive and it quotes no rate): everything it owes,
    or, for a lane whose new order falls within its history (history,
    recent, value) or among incumbents (``incumbent``), every lane's backlog up
    to its history (the incumbents' backlog); by value, only for the lane's own
    tier and higher tiers. The history is the lane's steady flow, or under
    ``"recent"`` its record of recent shipments.
    """
    lay, owed, rank = run.layout, run.owed, run.layout.value_rank
    flow, incumbent, recent = lay.lane_flow, lay.incumbent, run.recent
    waits, restarts = [0.0] * lay.n_lanes, [0.0] * lay.n_lanes
    for f, lanes in enumerate(lay.out_lanes):
        if not lanes:
            continue
        rate, restart = _quote(run, f, t)
        if not any([owed[l] > 0.0 for l in lanes]):
            # Owing nothing, every sum below is at most 0: no queue on any of its lanes.
            for l in lanes:
                waits[l] = restart + 0.0
                restarts[l] = restart
            continue
        rule = lay.allocation[lanes[0]]
        by_history = rule == "history" or rule == "value" or rule == "recent"
        # Each lane's history: its steady flow, or under "recent" its record of recent shipments.
        hist = recent if rule == "recent" else flow
        tiered = lay.by_value and lay.out_tiers[f] > 1
        upto: dict[int, float] = {}
        first: dict[int, float] = {}
        for l in lanes:
            j = rank[l]
            # A backlog within CLASS_TOLERANCE of its history is at it: not in the first class.
            below = owed[l] < hist[l] * (1.0 - CLASS_TOLERANCE)
            if below if by_history else (rule == "incumbent" and incumbent[l]):
                if j not in first:
                    if not tiered:  # one tier: every lane is in it
                        first[j] = sum([min(owed[k], hist[k]) if by_history else (owed[k] if incumbent[k] else 0.0)
                                        for k in lanes])
                    else:
                        first[j] = sum([(owed[k] if rank[k] < j else min(owed[k], hist[k]) if rank[k] == j
                                         else 0.0) if by_history else (owed[k] if incumbent[k] else 0.0)
                                        for k in lanes])
                due = first[j]
            else:
                if j not in upto:
                    # What it owes the lane's tier and the tiers above, summed in lane order (the vector
                    # engine's bits).
                    upto[j] = (sum([owed[k] for k in lanes if rank[k] <= j]) if tiered
                               else sum(map(owed.__getitem__, lanes)))
                due = upto[j]
            queue = (due / rate if rate > 0 else _INF) if due > 0.0 else 0.0
            waits[l] = restart + queue
            restarts[l] = restart
    return waits, restarts


def _stocked(run: Run, f: int) -> bool:
    """Whether supplier ``f`` holds stock beyond what it owes on all its lanes (§5.6.5, the stock test).

    Beyond a rounding-size part of its normal rate (``REACH_TOLERANCE``), so that both engines take the same side.
    """
    lay = run.layout
    free = run.stock[lay.out_stock[f]] - sum(map(run.owed.__getitem__, lay.out_lanes[f]))
    return bool(free > REACH_TOLERANCE * lay.normal_rate[f])


def cancel_late(run: Run, t: int) -> tuple[list[float], list[bool]]:
    """Cancel what suppliers would not ship within each buyer's patience (§5.6.5).

    Returns each lane's wait after the cancellations and, per lane,
    whether it was late (its supplier's wait, before cancelling, at least the
    lane's patience). A late lane keeps ``(patience - restart)^+ / (wait - restart)``
    of its backlog. A supplier holding stock beyond what it owes on all its
    lanes ships a new order from it at once: its lanes are neither late nor cut.
    """
    lay, owed = run.layout, run.owed
    waits, restarts = supplier_waits(run, t)
    patience = lay.patience
    stocked = [_stocked(run, f) for f in range(lay.n_facilities)]
    late = [False] * lay.n_lanes
    cut = False
    for l in range(lay.n_lanes):
        wait = waits[l]
        if wait > 0.0 and wait >= patience[l] * (1.0 - LATE_TOLERANCE) and not stocked[lay.lane_origin[l]]:
            late[l] = True
            if wait > patience[l]:
                # A supplier that never restarts keeps nothing (inf - inf would warn and give the same 0).
                kept = 0.0 if restarts[l] == _INF else owed[l] * _keep(patience[l] - restarts[l], wait - restarts[l])
                _lock_cancelled(run, l, t, owed[l] - kept)
                owed[l] = kept
                cut = True
    return (supplier_waits(run, t)[0] if cut else waits), late


def _unported(run: Run, l: int, t: int) -> bool:
    """Whether lane ``l``'s designs are not yet ported, by its buyer's first search before today (§5.6.6)."""
    lay = run.layout
    assert lay.port_days is not None
    return t < run.seek_day[lay.lane_buyer[l]] + lay.port_days[l]


def _lock_cancelled(run: Run, l: int, t: int, cut: float) -> None:
    """Add the locked part of ``cut``, a cancelled backlog of lane ``l``, to its locked carry (§5.6.6).

    No other supplier can make a design qualified only at the lane's supplier before it is ported:
    the buyer still wants it, from that lane only.
    """
    lock = run.layout.lock
    if lock is not None and cut > 0.0 and _unported(run, l, t):
        run.locked[l] += cut * lock[l]


def cancel_allowance(run: Run, t: int) -> None:
    """Cancel the part of each restricted lane's backlog the day's allowance does not let through (§5.6).

    Under design lock-in the locked part of what is cancelled on a lane not yet ported joins the
    lane's locked carry (§5.6.6).
    """
    owed, allow = run.owed, run.allow_today
    for l in run.restricted:
        kept = owed[l] * allow[l]
        _lock_cancelled(run, l, t, owed[l] - kept)
        owed[l] = kept


def out_of_reach(run: Run, t: int, extra: list[float]) -> list[bool] | None:
    """Per lane, whether its owed goods cannot land within the buyer's cover horizon (§5.6.5, reach).

    A buyer's cover horizon is its order-up-to level, shifted by ``extra``, in
    days of its steady inflow (unbounded without one); a lane is out of reach
    when its supplier has no capacity on day ``t`` and its announced restart
    plus the lane's mean transport time exceeds that horizon, or has capacity
    but no input to make anything from (no restart in view), unless it still
    holds stock beyond what it owes on all its lanes. ``None`` when every
    supplier has capacity and inputs.
    """
    lay = run.layout
    starved = _starved(run)
    quiet = [_quiet(run, f, t) for f in range(lay.n_facilities)]
    if not any(quiet) and not starved:
        return None
    restart = [0.0] * lay.n_facilities
    for f in range(lay.n_facilities):
        if not quiet[f] and f not in starved:
            continue
        if not _stocked(run, f):
            restart[f] = _INF if f in starved else _quote(run, f, t)[1]
    far = [False] * lay.n_lanes
    for l, f in enumerate(lay.lane_origin):
        if restart[f] > 0:
            b = lay.lane_buyer[l]
            flow = lay.buyer_flow[b]
            horizon = (lay.order_up_to[b] + extra[b]) / flow if flow > 0 else _INF
            far[l] = restart[f] + lay.lead_mean[l] > horizon * (1.0 + REACH_TOLERANCE)
    return far if any(far) else None


def _starved(run: Run) -> set[int]:
    """Facilities with nothing to make anything from, with capacity today or not (§5.6.5, reach).

    An input with nothing on hand and nothing in transit (input-supported rate
    at most ``REACH_TOLERANCE`` of the nameplate capacity) and no work in progress.
    """
    lay, stock = run.layout, run.stock
    out = set()
    for f in range(lay.n_facilities):
        # With capacity today or not: a line down, or restarting cold, without any input has no restart in view.
        # A nil input-supported rate needs an input at most the tolerance of its reference on hand: a cheap
        # first test that skips no starved facility (an exact zero would let a residue of 1e-14 decide).
        if any([stock[s] <= REACH_TOLERANCE * lay.material_ref[s] for s, _ in lay.recipe[f]]) \
                and not (lay.cycle[f] and run.wip_total[f] > REACH_TOLERANCE * lay.capacity[f]) \
                and input_rate(run, f) <= REACH_TOLERANCE * lay.capacity[f]:
            out.add(f)
    return out


def _keep(num: float, den: float) -> float:
    """``num / den`` clipped to [0, 1], with an undefined ratio 0 and a positive one over 0 as 1."""
    if den == 0.0:
        return 1.0 if num > 0 else 0.0
    ratio = num / den
    if math.isnan(ratio):  # inf / inf
        return 0.0
    return min(max(ratio, 0.0), 1.0)


def expect_waits(run: Run, waits: list[float] | None) -> list[float] | None:
    """Update the smoothed wait of each lane, ``e += (min(wait, patience) - e) / 30``; None while all 0 (§5.6.5)."""
    e = run.expected
    if waits is None and not any(e):
        return None
    lay = run.layout
    patience = lay.patience
    for l in range(lay.n_lanes):
        w = 0.0 if waits is None else waits[l]
        v = e[l] + (min(w, patience[l]) - e[l]) / EXPECTED_WAIT_DAYS
        e[l] = v if v >= 1e-9 else 0.0
    return e


def _queued(run: Run, lanes: list[int]) -> dict[int, bool] | None:
    """Per lane of ``lanes``, whether its supplier owes anything after the day's cancellations (§5.6.5);
    ``None`` when none of them does."""
    lay, owed = run.layout, run.owed
    # A rounding-size backlog is no queue (the reach tolerance of its normal rate).
    out = {l: sum(map(owed.__getitem__, lay.out_lanes[lay.lane_origin[l]]))
           > REACH_TOLERANCE * lay.normal_rate[lay.lane_origin[l]] for l in lanes}
    return out if any(out.values()) else None


def outlook(run: Run, t: int) -> tuple[list[float] | None, set[int]]:
    """The buyers' licence outlook (§6.5.2): the volume of each buyer's applications it expects
    denied (``None`` when there is none) and the lanes where today's order would wait for a decision."""
    office, ok, awaiting = run.office, run.licence_ok, run.awaiting
    if office is None or not office.regimes:
        return None, set()
    lay = run.layout
    doubt = None
    for l in range(lay.n_lanes):
        denied = awaiting[l] * (1.0 - ok[l])
        if denied != 0.0:
            if doubt is None:
                doubt = [0.0] * lay.n_buyers
            doubt[lay.lane_buyer[l]] += denied
    fixed, valid = office.delay_fixed, office.valid_until
    licensed = {l for l in office.covered[t] if valid[l] <= t and (fixed is None or fixed[t][l] > 0)}
    return doubt, licensed


def review(run: Run, b: int, t: int, expected: list[float] | None, late: list[bool] | None,
           share: list[float], allow: list[float], extra: float, factor: float,
           doubt: list[float] | None, licensed: set[int], far: list[bool] | None = None) -> None:
    """Buyer ``b``'s review on day ``t``: writes its orders into ``run.orders`` (§5.6).

    ``expected`` are the lanes' smoothed waits (``None`` while all are 0),
    ``late`` the lanes past patience, ``share`` the day's target shares,
    ``allow`` the allowances, ``extra`` the scheduled shift of the buyer's
    levels, ``factor`` its order multiplier, ``doubt`` the buyers' pending
    applications expected denied (``None``: none in the run),
    ``licensed`` the lanes where an order waits for a licence (§6.5.2) and
    ``far`` the lanes out of reach (`out_of_reach`), whose backlog
    the position leaves out (the caller counts them as late).
    """
    lay = run.layout
    lanes = lay.buyer_lanes[b]
    owed, transit = run.owed, run.transit
    if far is None:
        due = sum(map(owed.__getitem__, lanes))
    else:
        due = sum([0.0 if far[l] else owed[l] for l in lanes])
    position = run.stock[lay.buyer_stock[b]] + sum(map(transit.__getitem__, lanes)) + due
    d = lay.buyer_demand[b]
    if d >= 0:
        position -= run.backlog[d]
    if run.awaiting is not None:
        position += sum(map(run.awaiting.__getitem__, lanes))
    planned = _planned_pipeline(run, b, t, lanes, expected, share, allow, late)
    # The order without the planned pipeline: what a queued supplier keeps beyond its room (§5.6.5).
    plain = None
    if planned is not None:
        plain = _order_up_to(lay, b, position if doubt is None else position - doubt[b], extra, factor)
        extra = extra + planned
    order = _order_up_to(lay, b, position, extra, factor)
    # Design lock-in (§5.6.6): the locked part of what a lane out of reach owes comes from no one else.
    hold = None
    if far is not None and lay.lock is not None:
        hold = {l: owed[l] * lay.lock[l] for l in lanes if far[l] and _unported(run, l, t)}
    if doubt is None:
        _split(run, b, t, lanes, order, share, allow, late, None, licensed, plain, hold)
    else:
        # Order as if only the expected approvals were on order; file no more than counting them all.
        expected_order = _order_up_to(lay, b, position - doubt[b], extra, factor)
        _split(run, b, t, lanes, expected_order, share, allow, late, order, licensed, plain, hold)


def _order_up_to(lay, b: int, position: float, extra: float, factor: float) -> float:  # type: ignore[no-untyped-def]
    """The buyer's order at ``position`` with its levels shifted by ``extra`` (§5.6)."""
    # A position a rounding residue above the reorder point is at it (an (s, S) buyer's position can
    # land exactly on s), and a rounding residue of the level less the position is no order (§5.6).
    tolerance = ORDER_TOLERANCE * lay.buyer_flow[b]
    if position <= lay.reorder[b] + extra + tolerance:
        order = max(lay.order_up_to[b] + extra - position, 0.0) * factor
        return order if order > tolerance else 0.0
    return 0.0


def _planned_pipeline(run: Run, b: int, t: int, lanes: list[int], expected: list[float] | None,
                      share: list[float], allow: list[float], late: list[bool] | None) -> float | None:
    """Extra pipeline for quotes above normal, ``(1 + panic) F_b sum_l v_l (shift + e)^+`` (Little's law).

    ``v_l`` is the day's target share of the lane times its availability (allowance, not late, the
    expected licence approval), normalised over the buyer's lanes: the plan, not the applied shares,
    which routing sets from this pipeline (§5.6.5).
    """
    lay = run.layout
    shift = lay.lead_shift
    if expected is None and shift is None:
        return None
    row = None if shift is None else shift[min(t, len(shift) - 1)]
    ok = run.licence_ok
    total = waited = 0.0
    for l in lanes:
        # The share of its order the buyer plans to place on the lane, as the split applies it (§5.6.6).
        h = 0.0 if late is not None and late[l] else allow[l]
        if ok is not None:
            h *= ok[l]
        planned = share[l] * h
        # A supplier without capacity today, or restarting cold: no pipeline planned for its wait (§5.6.5).
        queue = 0.0 if expected is None or _quiet(run, lay.lane_origin[l], t) else expected[l]
        excess = queue if row is None else (row[l] if expected is None else queue + row[l])
        total += planned
        waited += max(excess, 0.0) * planned
    # A buyer none of whose lanes is available orders only from alternates it plans no wait for.
    mean = waited / total if total > 0.0 else 0.0
    return mean * (lay.buyer_flow[b] * (1.0 + lay.panic[b]))


def _split(run: Run, b: int, t: int, lanes: list[int], order: float, share: list[float],
           allow: list[float], late: list[bool] | None, filed: float | None, licensed: set[int],
           plain: float | None = None, hold: dict[int, float] | None = None) -> None:
    """Split ``order`` over the buyer's lanes by target share and availability (§5.6.6).

    ``filed``, if given, caps what a partly available lane (a licence regime)
    receives at its target share of it (§6.5.2). A lane in ``licensed``
    offers its order to alternates with spare capacity first; the rest is
    filed there. Then a lane whose supplier owes a queue places only its
    part of ``plain``, the order without the planned pipeline (``None``: no
    pipeline planned); the rest goes to alternates with spare capacity left
    that owe no queue, and what they cannot take is not placed (§5.6.5).
    ``hold``: the locked part of what lanes out of reach owe, held out of the
    split with the locked carry and not placed (§5.6.6).
    """
    lay, orders, applied, diverted = run.layout, run.orders, run.applied, run.diverted
    ok = run.licence_ok
    cap = lay.lane_cap
    # Availability h = allowance x expected licence approval x not late.
    avail, waiting = {}, {}
    clean = filed is None
    for l in lanes:
        h = 0.0 if late is not None and late[l] else allow[l]
        if ok is not None:
            h *= ok[l]
        avail[l] = h
        waiting[l] = l in licensed and h > 0.0
        if h < 1.0 or diverted[l] > 0.0 or waiting[l]:
            clean = False
    owes = None if plain is None else _queued(run, lanes)
    if owes is not None and not (plain < order and any([owes[l] for l in lanes])):
        owes = None
    if owes is not None:
        clean = False
    locked = run.locked
    if hold is not None and not any([v > 0.0 for v in hold.values()]):
        hold = None
    held = hold is not None or any([locked[l] > 0.0 for l in lanes])
    if held:
        clean = False
    if clean:
        for l in lanes:
            wanted = order * share[l]
            orders[l] = wanted if wanted <= cap[l] else cap[l]
            applied[l] = share[l]
        return
    # Design lock-in (§5.6.6): the locked volume left unplaced yesterday, or cancelled, is still wanted
    # (the position stays low by it), and so is the locked part of what a lane out of reach owes; all
    # of it is held out of the share split, at most the day's order.
    carry: dict[int, float] | None = None
    free_order = order
    if held:
        # The free order is at least the steady inflow: the open lanes' designs are still replaced.
        zb = sum([locked[l] + (0.0 if hold is None else hold.get(l, 0.0)) for l in lanes])
        free_order = max(max(order - min(zb, order), 0.0), min(order, lay.buyer_flow[b]))
        held_order = order - free_order
        scale = held_order / zb if zb > held_order else 1.0
        carry = {l: locked[l] * scale for l in lanes}
    # Diverted fraction: jumps to the unavailable part, returns over the switching lag.
    base, keep = {}, {}
    moved_out = 0.0
    seeking = False
    for l in lanes:
        h_div = 0.0 if waiting[l] else avail[l]
        m = max(max(1.0 - h_div, diverted[l] - lay.step[l]), min(diverted[l], lay.lasting[l]))
        m = max(m, 0.0)
        diverted[l] = m
        base[l] = free_order * share[l]
        keep[l] = base[l] * (1.0 - m)
        moved_out += base[l] - keep[l]
        seeking = seeking or (lay.incumbent[l] and m > 0)
    if seeking:
        run.seek_day[b] = min(run.seek_day[b], t)
    # Design lock-in: only the portable part of what each lane diverts (and of its locked volume,
    # once ported) is offered to receivers; the rest can go back only to the lane itself (§5.6.6).
    free = {l: base[l] - keep[l] for l in lanes}
    lock_of: dict[int, float] | None = None
    portable: dict[int, float] | None = None
    if lay.lock is not None:
        portable, lock_of = {}, {}
        moved_out = 0.0
        for l in lanes:
            ported = t >= run.seek_day[b] + lay.port_days[l]
            p = 1.0 if ported else 1.0 - lay.lock[l]
            portable[l] = p
            lock_of[l] = free[l] * (1.0 - p)
            free[l] = free[l] * p
            if carry is not None:
                if ported:
                    free[l] = free[l] + carry[l]
                else:
                    lock_of[l] = lock_of[l] + carry[l]
            moved_out += free[l]
    spare, weight = {}, {}
    makeable: dict[int, float] = {}
    for l in lanes:
        f = lay.lane_origin[l]
        if f not in makeable:
            # The day's capacity, at most what its inputs support (§5.7).
            # Capacity still cold is not spare: only the part its restart ramp gives back (§5.4.2).
            makeable[f] = min(run.capacity_today[f] * _cold_fraction(run, f, t), input_rate(run, f))
        spare[l] = max(makeable[f] - run.throughput[f], 0.0)
        qualified = lay.incumbent[l] or t >= run.seek_day[b] + lay.qualify_days[l]
        weight[l] = spare[l] if qualified and avail[l] >= 1.0 and diverted[l] <= 0.0 else 0.0
    total = sum(map(weight.__getitem__, lanes))
    alt = {}
    for l in lanes:
        a = moved_out * weight[l] / total if total > 0 else 0.0
        alt[l] = min(a, spare[l], max(cap[l] - keep[l], 0.0))
    rest = max(moved_out - sum(map(alt.__getitem__, lanes)), 0.0)
    # A returning supplier takes back what was diverted from it; a partly available lane only when
    # the buyer has no alternate with spare capacity; a lane waiting for a licence the rest.
    back_w = {l: free[l] if avail[l] >= 1.0 or (avail[l] > 0.0 and total <= 0.0) or waiting[l]
              else 0.0 for l in lanes}
    back_total = sum(map(back_w.__getitem__, lanes))
    for l in lanes:
        back = rest * back_w[l] / back_total if back_total > 0 else 0.0
        if lock_of is not None:
            # Locked volume goes back to its own lane whenever that lane takes orders at all; else it
            # stays unplaced, and wanted, for the next day.
            if avail[l] > 0.0:
                back = back + lock_of[l]
                locked[l] = 0.0
            else:
                locked[l] = lock_of[l]
        kept = keep[l]
        if filed is not None and avail[l] > 0.0 and (avail[l] < 1.0 or waiting[l]):
            limit = share[l] * filed
            kept = min(kept, limit)
            back = min(back, max(limit - kept, 0.0))
        placed = kept + alt[l] + back
        moved = (alt[l] + back) / order if order > 0 else 0.0
        if filed is None and carry is None:
            applied[l] = share[l] * (1.0 - diverted[l]) + moved
        else:
            applied[l] = (kept / order if order > 0 else share[l] * (1.0 - diverted[l])) + moved
        orders[l] = min(placed, cap[l])
    if owes is not None:
        _route(run, lanes, order, plain, owes, avail, waiting, spare, alt, weight, portable)


def _route(run: Run, lanes: list[int], order: float, plain: float | None, owes: dict[int, bool],
           avail: dict[int, float], waiting: dict[int, bool], spare: dict[int, float], alt: dict[int, float],
           weight: dict[int, float], portable: dict[int, float] | None = None) -> None:
    """At a queued supplier a lane places only its part of the plain order (§5.6.5, routing).

    The planned part goes to the buyer's receivers (``weight > 0`` in the
    split) that owe no queue, in proportion to the spare capacity they have
    left, at most that and the lane capacity; what they cannot take is not
    placed. Under design lock-in (``portable`` given) the lanes that owe no
    queue keep off the locked part of their share of the planned part, not
    placed either.
    """
    assert plain is not None
    lay, orders, applied = run.layout, run.orders, run.applied
    cap = lay.lane_cap
    ratio = plain / order if order > 0 else 1.0
    over = {l: orders[l] * (1.0 - ratio) if avail[l] >= 1.0 and not waiting[l] and owes[l] else 0.0 for l in lanes}
    if not any([over[l] != 0.0 for l in lanes]):
        return
    # Design lock-in: a lane that owes no queue keeps off the locked part of its share of the planned
    # pipeline, which was planned for another lane's wait; what it keeps off is not placed.
    off = dict(over)
    if portable is not None and any([over[l] > 0.0 for l in lanes]):
        for l in lanes:
            if not owes[l]:
                off[l] = orders[l] * (1.0 - ratio) * (1.0 - portable[l])
    for l in lanes:
        orders[l] -= off[l]
    # Only the portable part of the planned volume can go to other suppliers (design lock-in, §5.6.6).
    overflow = sum([over[l] if portable is None else over[l] * portable[l] for l in lanes])
    left = {l: max(spare[l] - alt[l], 0.0) for l in lanes}
    w2 = {l: left[l] if weight[l] > 0.0 and not owes[l] else 0.0 for l in lanes}
    total = sum([w2[l] for l in lanes])
    for l in lanes:
        a = overflow * w2[l] / total if total > 0 else 0.0
        a = min(min(a, left[l]), max(cap[l] - orders[l], 0.0))
        if order > 0:
            applied[l] += (a - off[l]) / order
        orders[l] = orders[l] + a
