"""Buyers' sourcing rules: patience, planning with the quote, re-sourcing, allocation classes.

Pure array functions on the engine state (leading runs axis ``R``), called by
`supplychain.engines.kernel.place_orders` and
`supplychain.engines.kernel.ship`, so both engines apply them alike.
The parameters come from `supplychain.compile.rules.sourcing.SourcingSpec`.

- `cancel_late` (patience, ``docs/model.md`` §5.6.5): a buyer cancels the
  part of a lane's backlog its supplier would not ship within the buyer's
  patience at its quoted rate; a lane whose supplier's wait reaches the
  patience is *late*, unavailable for re-sourcing.
- `out_of_reach` (§5.6.5): a lane whose supplier has no capacity and
  restarts too late for its goods to land within the buyer's cover horizon,
  or has no input to make anything from, counts no backlog in the buyer's
  position and takes no new order.
- `expect_wait`, `planned_extra` (§5.6.5): buyers plan their
  pipeline with a smoothed quoted wait, scaled by ``1 + panic``.
- `queued` (§5.6.5): suppliers that owe a queue; `split_orders`
  sends the pipeline a buyer plans beyond its plain order to alternates with
  spare capacity instead of such a supplier, and keeps the locked part of that
  pipeline off the buyer's lanes that owe no queue (design lock-in).
- `split_orders` (§5.6.6): the one place where the day's target shares
  (the CES schedule of tariffs) meet lane availability; diverted orders go to
  qualified available lanes in proportion to their supplier's spare capacity
  and return over the switching lag; under design lock-in only a lane's
  second-sourced part moves before its porting time, and the locked rest is
  carried (``State.locked``) until its own supplier takes orders again.
- `cancel_allowance`, `lock_cancelled`, `locked_owed` (§5.6.6, owed locked volume):
  the locked part of a cancelled backlog joins the lane's carry, and of a backlog out of reach is
  held out of the share split, so it reaches no other supplier through a larger order.
- `ship_classes` (§5.7): the service classes of each supplier's
  allocation rule (by default its lanes' history first); `record_recent`
  moves each lane's record of recent shipments (allocation ``"recent"``).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from ..compile.compiler import Compiled
from ..compile.rules.sourcing import ALLOCATION_CODE, SourcingSpec
from . import _jit_sourcing
from . import restart as _restart
from .sums import sum_into

State = Any  # supplychain.engines.kernel.State (kernel imports this module)

__all__ = ["spec", "input_rate", "material_reference", "supplier_wait", "cancel_late", "cancel_allowance",
           "lock_cancelled", "locked_owed", "out_of_reach", "expect_wait", "queued", "planned_extra", "split_orders",
           "OrderLoops", "ship_classes", "ship_by_class", "record_recent", "LATE_TOLERANCE", "REACH_TOLERANCE",
           "INPUT_REF_TOLERANCE", "ORDER_TOLERANCE", "CLASS_TOLERANCE",
           "EXPECTED_WAIT_DAYS"]

#: Relative tolerance of the patience test: a backlog cut to exactly the patience stays late.
LATE_TOLERANCE = 1e-9

#: Relative tolerance of the reach test (docs/model.md §5.6.5): a restart landing exactly at the horizon
#: is in reach, and a supplier's stock counts as free only beyond what it owes by this part of its normal rate.
REACH_TOLERANCE = 1e-9

#: Relative tolerance of the service-class test of a quote (docs/model.md §5.7): a lane's backlog within this
#: part of its history counts as at it (not below), so that a rounding residue of a backlog that equals its
#: history (a buyer ordering exactly its steady share) does not decide between the first class and the last.
CLASS_TOLERANCE = 1e-9

#: Relative tolerance of the input-supported rate (docs/model.md §5.7): an input whose steady material at the
#: review is at most this part of its buyer's steady inflow sets no limit.
INPUT_REF_TOLERANCE = 1e-9

#: An order of at most this part of the buyer's steady inflow is none (docs/model.md §5.6): with the
#: position at its order-up-to level the order is a difference of near-equal sums, a rounding residue
#: whose sign and size depend on the order of summation, and the applied share divides by it (§5.6.6).
#: A position at most this part above the reorder point is at it: an (s, S) buyer's position can land
#: exactly on s, where the residue would decide between an order of S - s and none.
ORDER_TOLERANCE = 1e-9

#: Adjustment time, in days, of the wait buyers plan with (first-order smoothing of the quoted
#: wait, docs/model.md §5.6.5; an assumption listed in docs/assumptions.md).
EXPECTED_WAIT_DAYS = 30.0


def spec(c: Compiled) -> SourcingSpec:
    """The scenario's sourcing parameters."""
    sp: SourcingSpec = c.schedules.extras["sourcing"]
    return sp


def _sum(c: Compiled, values: np.ndarray, by: str) -> np.ndarray:
    if by == "origin":
        return sum_into(values, c.lane_origin, c.n_facilities, c.sum_by_origin)
    return sum_into(values, c.lane_buyer, c.n_buyers, c.sum_by_buyer)


def material_reference(c: Compiled) -> np.ndarray:
    """Each stock's steady material at the review, ``I0_s + G0_b - F_b``, (S,) (docs/model.md §5.7).

    The initial stock plus the pre-filled pipeline into it, less one day of
    its buyer's steady inflow (the day's arrival, landed and used before the
    review in steady state); a stock no lane fills keeps its initial stock.
    A reference at most ``INPUT_REF_TOLERANCE`` of the buyer's steady inflow
    is 0: that input sets no limit (`input_rate`).
    """
    sp = spec(c)
    ref = np.array(c.initial_stock, dtype=float)
    if c.n_lanes:
        pipeline = np.bincount(c.lane_buyer, weights=c.initial_arrivals.sum(axis=0), minlength=c.n_buyers)
        mine = (ref[c.buyer_stock] + pipeline) - sp.buyer_flow
        ref[c.buyer_stock] = np.where(mine > INPUT_REF_TOLERANCE * sp.buyer_flow, mine, 0.0)
    return ref


def input_rate(c: Compiled, s: State) -> np.ndarray:
    """Input-supported rate of each facility, ``K_f min_k m_k / m0_k``, (R, F); inf without an input limit.

    ``m_k`` is what the facility has of input ``k``, its stock plus what is in
    transit to it, and ``m0_k`` the same in steady state at the review
    (`material_reference`): the facility can keep its nameplate
    capacity ``K_f`` running for the window its steady material of ``k`` would
    last at that capacity, ``m0_k / (a_k K_f)`` days, only with that material,
    so ``m_k / (a_k W_k) = K_f m_k / m0_k`` (docs/model.md §5.7). An input
    whose reference is at most ``1e-9`` of its buyer's steady inflow sets no limit.

    A day's rules ask for it up to five times, mostly on the same stock and
    goods in transit (ordering asks three times between production and
    shipping): the last result is kept with copies of both (and of the
    reference) and returned again, read-only, while they are the same to the bit.
    """
    assert s.material_ref is not None
    memo = s.input_memo
    if (memo is not None and memo[1] is c and _same_bits(memo[2], s.material_ref)
            and _same_bits(memo[3], s.stock) and _same_bits(memo[4], s.transit_lane)):
        return memo[0]
    out = _input_rate(c, s)
    out.flags.writeable = False
    s.input_memo = (out, c, s.material_ref.copy(), s.stock.copy(order="K"), s.transit_lane.copy(order="K"))
    return out


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two float64 arrays hold the same bits (a zero's sign and NaNs included)."""
    return a.shape == b.shape and bool(np.array_equal(a.view(np.uint64), b.view(np.uint64)))


def _input_rate(c: Compiled, s: State) -> np.ndarray:
    """`input_rate`, worked out."""
    assert s.material_ref is not None
    material = s.stock.copy()
    # Summed from the lanes in lane order (not the running per-buyer total), the bits the SimPy engine has.
    material[:, c.buyer_stock] += _sum(c, s.transit_lane, "buyer")
    ref = s.material_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ref > 0, material / ref, np.inf)  # the padding column (reference 0) sets no limit
    least = ratio[:, c.recipe_stock].min(axis=2)
    out: np.ndarray = np.where(np.isinf(least), np.inf, c.capacity * least)
    return out


def _quote(c: Compiled, s: State, sp: SourcingSpec, day: int) -> tuple[np.ndarray, np.ndarray]:
    """Each supplier's quoted rate and restart wait, (R, F) each (docs/model.md §5.7).

    A supplier with capacity today quotes at its recent throughput or, if
    larger, the largest of its usable capacity (after the restart limit of
    §5.4.1) and its steady flow scaled by the nameplate share its scheduled
    recovery gives back within its ramp, capped by its input-supported rate
    (`input_rate`), and has no restart wait. A supplier without any capacity today quotes its
    announced restart: the end of its scheduled total loss, or the mean
    duration of its random outages, plus the days of full output its cold
    restart will withhold if its stop is then long enough (§5.4.2), and from
    then on its normal rate. A line back from a cold stop whose ramp is not
    over quotes the days of full output its restart still withholds, then its
    normal rate.
    """
    assert s.throughput is not None and s.normal_rate is not None
    n_runs = s.throughput.shape[0]
    if s.capacity_today is None:
        return np.maximum(s.throughput, s.normal_rate), np.zeros((n_runs, c.n_facilities))
    usable = s.capacity_today if s.usable is None else s.usable
    live = s.capacity_today > 0
    rate = usable
    if sp.quote_share is not None:
        # A supplier recovering from a loss quotes from the capacity its ramp gives back, times the
        # share a random outage leaves it today.
        t = min(day, c.n_days - 1)
        scheduled = c.capacity * c.schedules.day("capacity_factor", t)
        with np.errstate(divide="ignore", invalid="ignore"):
            outage = np.where(scheduled > 0, s.capacity_today / scheduled, 1.0)
        rate = np.maximum(rate, s.normal_rate * np.minimum(sp.quote_share[t] * outage, 1.0))
    # What it can make is also limited by the inputs it has and has coming (§5.7); its recent rate stands.
    rate = np.maximum(s.throughput, np.minimum(rate, input_rate(c, s)))
    restart = np.zeros((n_runs, c.n_facilities))
    cold = None if s.cold is None else _restart.cold_withheld(s.cold, day)
    if live.all() and (cold is None or not cold.any()):
        return rate, restart
    known = np.zeros(c.n_facilities) if sp.restart_in is None else sp.restart_in[min(day, c.n_days - 1)]
    drawn = np.zeros(c.n_facilities) if sp.outage_days is None else sp.outage_days
    restart = np.where(live, 0.0, np.where(known > 0, known, drawn))
    if cold is not None:
        f = s.cold.facilities
        # Down today: a stop that will have lasted the cold-stop length by its announced restart adds
        # the whole cold restart (``down`` already counts today). Back: what its ramp still withholds.
        will = ~live[:, f] & (s.cold.down - 1.0 + restart[:, f] >= s.cold.stop_days)
        restart[:, f] = np.where(live[:, f], cold, restart[:, f] + np.where(will, s.cold.withheld[:, 0], 0.0))
        live = live & ~_restarting(s, day)
    rate = np.where(live, rate, s.normal_rate)
    return rate, restart


def _restarting(s: State, day: int) -> np.ndarray:
    """Suppliers with capacity whose cold restart is not over on ``day``, (R, F) bool (§5.7)."""
    out = np.zeros(s.capacity_today.shape, dtype=bool)
    if s.cold is not None:
        out[:, s.cold.facilities] = (s.capacity_today[:, s.cold.facilities] > 0) \
            & (_restart.cold_fraction(s.cold, day) < 1.0)
    return out


def _quiet(s: State, day: int) -> np.ndarray:
    """Suppliers that quote an announced restart on ``day``: no capacity, or a cold restart not over (§5.7)."""
    assert s.capacity_today is not None
    out: np.ndarray = ~(s.capacity_today > 0) | _restarting(s, day)
    return out


def supplier_wait(c: Compiled, s: State, day: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Days each lane's supplier needs before a new order ships, and its restart part, (R, L) each.

    The wait is the supplier's restart wait (0 unless it has no capacity on
    ``day``, default today) plus its backlog over its quoted rate (§5.7): a
    supplier in an outage quotes its announced restart and then its normal
    rate, one with capacity its usable capacity or its recent throughput,
    whichever is larger. Infinite only if it owes goods and has neither a
    rate nor a restart in view.
    """
    assert s.owed is not None
    sp = spec(c)
    return _wait(c, s, sp, *_quote(c, s, sp, s.day if day is None else day))


def _wait(c: Compiled, s: State, sp: SourcingSpec, rate: np.ndarray,
          restart: np.ndarray, kernels: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """`supplier_wait` with the suppliers' quote (`_quote`) given: it does not depend on the backlog."""
    owed = _ahead(c, s, sp, kernels)
    rate_l = rate[:, c.lane_origin]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        queue = np.where(owed > 0, owed / rate_l, 0.0)
    wait: np.ndarray = restart[:, c.lane_origin] + queue
    return wait, restart[:, c.lane_origin]


def _ahead(c: Compiled, s: State, sp: SourcingSpec, kernels: Any = None) -> np.ndarray:
    """What each lane's supplier owes in the classes it serves before or with a new order on it, (R, L) (§5.7).

    Everything it owes, except where a new order on the lane falls in an
    earlier service class: within the lane's normal flow (its backlog below
    its history, allocation by history, recent purchases or value), it waits
    only for every lane's backlog up to its history; at an ``incumbent`` supplier, an
    incumbent lane waits for the incumbents' backlog. Allocating by value, a
    lane also waits for everything owed to higher tiers and nothing owed to
    lower ones.

    ``kernels``: the compiled loops (`.jit`); with them one loop
    (`._jit_sourcing.class_ahead`, the same bits) does every tier at once.
    """
    owed = s.owed
    fast = _ahead_compiled(c, s, sp, kernels)
    if fast is not None:
        return fast
    code = np.int8(ALLOCATION_CODE["history"]) if sp.allocation is None else sp.allocation
    by_history = ((code == ALLOCATION_CODE["history"]) | (code == ALLOCATION_CODE["value"])
                  | (code == ALLOCATION_CODE["recent"]))
    flow = sp.lane_flow if s.recent is None else s.recent  # each lane's history: steady, or its recent record
    # A backlog within CLASS_TOLERANCE of its history is at it: not in the first class.
    within = np.where(by_history, owed < flow * (1.0 - CLASS_TOLERANCE),
                      (code == ALLOCATION_CODE["incumbent"]) & sp.incumbent)
    if sp.value_rank is None:
        # One tier, every lane in it: the loop below without its selections of a tier's lanes (the same values).
        ahead = _sum(c, owed, "origin")[:, c.lane_origin]
        if within.any():
            part = (np.minimum(owed, flow) if by_history is True or (np.ndim(by_history) == 0 and by_history)
                    else np.where(by_history, np.minimum(owed, flow), np.where(sp.incumbent, owed, 0.0)))
            ahead = np.where(within, _sum(c, part, "origin")[:, c.lane_origin], ahead)
        return ahead
    lay = _class_layout(c, sp)
    if lay is not None:
        return _ahead_by_tier(c, lay, owed, flow, by_history, within, sp.incumbent)
    rank = sp.value_rank
    ahead = np.zeros_like(owed)
    for tier in range(sp.n_tiers):
        mine = rank == tier
        everything = np.where(rank <= tier, owed, 0.0)
        ahead = np.where(mine, _sum(c, everything, "origin")[:, c.lane_origin], ahead)
        first = within & mine
        if first.any():
            part = np.where(by_history, np.where(rank < tier, owed, np.where(mine, np.minimum(owed, flow), 0.0)),
                            np.where(sp.incumbent, owed, 0.0))
            ahead = np.where(first, _sum(c, part, "origin")[:, c.lane_origin], ahead)
    return ahead


def _ahead_by_tier(c: Compiled, lay: _ClassLayout, owed: np.ndarray, flow: np.ndarray, by_history: np.ndarray,
                   within: np.ndarray, incumbent: np.ndarray) -> np.ndarray:
    """`_ahead`'s value tiers in NumPy, each tier's passes over the suppliers that have it (the same bits)."""
    ahead = np.empty_like(owed)
    for tier, tl in enumerate(lay.by_tier):
        sub = tl.lanes
        o = owed[:, sub]
        if not o.any():
            # Nothing owed (zeros of either sign) on these suppliers' lanes: every sum below is +0.0.
            ahead[:, tl.mine] = 0.0
            continue
        everything = np.where(tl.rank <= tier, o, 0.0)
        origin = tl.origin[tl.at]
        ahead[:, tl.mine] = sum_into(everything, tl.origin, c.n_facilities, tl.sums)[:, origin]
        first = within[:, tl.mine]
        if first.any():
            h = flow[..., sub]
            part = np.where(by_history[sub], np.where(tl.rank < tier, o,
                                                      np.where(tl.rank == tier, np.minimum(o, h), 0.0)),
                            np.where(incumbent[sub], o, 0.0))
            ahead[:, tl.mine] = np.where(first, sum_into(part, tl.origin, c.n_facilities, tl.sums)[:, origin],
                                         ahead[:, tl.mine])
    return ahead


@dataclass(frozen=True)
class _ClassLayout:
    """What the compiled loops of allocation classes read about the lanes (`._jit_sourcing.class_ahead`)."""

    rank: np.ndarray            # (L,) intp value tier (0 for every lane of a supplier not allocating by value)
    by_history: np.ndarray      # (L,) bool: the supplier's rule is history, recent or value
    incumbent: np.ndarray       # (L,) bool: baseline share > 0
    incumbent_rule: np.ndarray  # (L,) bool: the supplier's rule is "incumbent"
    capacity: np.ndarray        # (L,) lane capacity
    indptr: np.ndarray          # (F + 1,) intp: supplier f's lanes, in lane order, lanes[indptr[f]:indptr[f + 1]]
    lanes: np.ndarray           # (L,) intp
    tiers: np.ndarray           # (F,) intp: each supplier's number of value tiers
    by_tier: tuple[_Tier, ...]  # NumPy's passes per value tier, over the suppliers that have it


@dataclass(frozen=True)
class _Tier:
    """The lanes of the suppliers with a given value tier, for NumPy's passes over that tier only.

    Every lane of such a supplier is in ``lanes``, in lane order, so a sum per supplier over them
    (``sums``) adds the same numbers in the same order as over all lanes, where the others are 0.
    """

    lanes: np.ndarray   # (n,) intp, increasing
    origin: np.ndarray  # (n,) intp: each one's supplier
    rank: np.ndarray    # (n,) intp: each one's value tier
    sums: Any           # scipy.sparse.csr_matrix (F, n): sums per supplier, in lane order
    mine: np.ndarray    # (k,) intp: the lanes of this tier (increasing)
    at: np.ndarray      # (k,) intp: their positions in ``lanes``


_LAYOUTS: weakref.WeakKeyDictionary[Compiled, _ClassLayout | None] = weakref.WeakKeyDictionary()


def _class_layout(c: Compiled, sp: SourcingSpec) -> _ClassLayout | None:
    """The lanes' class layout of ``c``, worked out once; ``None`` if its sums per supplier are not in lane order."""
    if c in _LAYOUTS:
        return _LAYOUTS[c]
    lay = None
    m = c.sum_by_origin
    if c.n_lanes and _jit_sourcing.lane_order_sums(m, c.lane_origin, c.n_facilities):
        code = (np.full(c.n_lanes, ALLOCATION_CODE["history"], dtype=np.int8) if sp.allocation is None
                else np.asarray(sp.allocation))
        rank = np.zeros(c.n_lanes, dtype=np.intp) if sp.value_rank is None else sp.value_rank.astype(np.intp)
        origin = _intp(np.asarray(c.lane_origin))
        tiers = np.zeros(c.n_facilities, dtype=np.intp)
        np.maximum.at(tiers, origin, rank + 1)
        by_tier = []
        for t in range(int(tiers.max(initial=0))):
            lanes = np.flatnonzero(tiers[origin] > t)
            n = len(lanes)
            sums = sparse.csr_matrix((np.ones(n), (origin[lanes], np.arange(n))), shape=(c.n_facilities, n))
            sums.sort_indices()
            at = np.flatnonzero(rank[lanes] == t)
            by_tier.append(_Tier(lanes=_ro(lanes), origin=_ro(origin[lanes]), rank=_ro(rank[lanes]), sums=sums,
                                 mine=_ro(lanes[at]), at=_ro(at)))
        lay = _ClassLayout(
            rank=_ro(rank), by_history=_ro((code == ALLOCATION_CODE["history"]) | (code == ALLOCATION_CODE["value"])
                                           | (code == ALLOCATION_CODE["recent"])),
            incumbent=_ro(np.asarray(sp.incumbent, dtype=bool)),
            incumbent_rule=_ro(code == ALLOCATION_CODE["incumbent"]),
            capacity=_ro(np.asarray(c.lane_capacity, dtype=float)), indptr=_ro(_intp(m.indptr)),
            lanes=_ro(_intp(m.indices)), tiers=_ro(tiers), by_tier=tuple(by_tier))
    _LAYOUTS[c] = lay
    return lay


def _ahead_compiled(c: Compiled, s: State, sp: SourcingSpec, kernels: Any) -> np.ndarray | None:
    """`_ahead` as one compiled loop (`._jit_sourcing.class_ahead`), or ``None`` (then NumPy does it)."""
    fn = getattr(kernels, "class_ahead", None)
    owed = s.owed
    if fn is None or owed.ndim != 2 or not owed.flags.f_contiguous:
        return None
    lay = _class_layout(c, sp)
    if lay is None:
        return None
    n_runs = owed.shape[0]
    if s.recent is None:
        flow = np.broadcast_to(np.asarray(sp.lane_flow, dtype=float)[:, None], (c.n_lanes, n_runs))
    else:
        flow = _runs_last(s.recent)
    out = np.empty((n_runs, c.n_lanes), order="F")
    fn(_ro(owed.T), flow, lay.rank, lay.by_history, lay.incumbent, lay.incumbent_rule, lay.indptr, lay.lanes,
       lay.tiers, out.T)
    return out


def _stocked(c: Compiled, s: State) -> np.ndarray:
    """(R, F) whether each supplier holds stock beyond what it owes on all its lanes (§5.6.5, the stock test).

    Beyond a rounding-size part of its normal rate (``REACH_TOLERANCE``), so that both engines take the same side.
    """
    assert s.owed is not None and s.normal_rate is not None
    spare: np.ndarray = s.stock[:, c.out_stock] - _sum(c, s.owed, "origin") > REACH_TOLERANCE * s.normal_rate
    return spare


def cancel_late(c: Compiled, s: State, sp: SourcingSpec,
                fused: OrderLoops | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Cancel backlog beyond each lane's patience; returns (wait after cancelling, late), (R, L) each.

    A lane is late when its supplier's wait, before today's cancellations,
    is positive and at least the lane's patience: the buyer then keeps the
    part of its backlog the supplier would ship within the patience,
    ``(patience - restart)^+ / (wait - restart)`` (lanes served in
    proportion to what they are owed). A supplier holding stock beyond what
    it owes on all its lanes (more than ``REACH_TOLERANCE`` of its normal
    rate) ships a new order from it at once: its lanes are neither late nor
    cut, whatever its wait. Both ``None`` when nothing is owed and every
    supplier has capacity. ``fused``: the engine's compiled loops, if any (the same bits).
    """
    assert s.owed is not None and s.normal_rate is not None
    kernels = None if fused is None else fused.kernels
    dead = s.capacity_today is not None and _quiet(s, s.day).any()
    if not dead and not s.owed.any():
        return None, None
    quote = _quote(c, s, sp, s.day)
    wait, restart = _wait(c, s, sp, *quote, kernels)
    bare = ~_stocked(c, s)[:, c.lane_origin]
    late = (wait > 0) & (wait >= sp.patience * (1.0 - LATE_TOLERANCE)) & bare
    over = (wait > sp.patience) & bare
    if over.any():
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            keep = np.nan_to_num((sp.patience - restart) / (wait - restart), nan=0.0, posinf=1.0, neginf=0.0)
        # One path for every cancellation: the locked part of what is cut joins the carry (§5.6.6).
        cancel_allowance(c, s, sp, np.where(over, np.clip(keep, 0.0, 1.0), 1.0))
        wait, _ = _wait(c, s, sp, *quote, kernels)  # the quote is the same: cancelling changes only what is owed
    return wait, late


def _unported(c: Compiled, s: State, sp: SourcingSpec, lanes: np.ndarray | None = None) -> np.ndarray:
    """(R, L) whether each lane's designs are not yet ported, by the buyer's first search before today (§5.6.6).

    Only the lanes ``lanes`` (R, len(lanes)) when given.
    """
    assert s.seek_day is not None and sp.port_days is not None
    if lanes is None:
        unported: np.ndarray = s.day < s.seek_day[:, c.lane_buyer] + sp.port_days
        return unported
    some: np.ndarray = s.day < s.seek_day[:, np.asarray(c.lane_buyer)[lanes]] + sp.port_days[lanes]
    return some


def cancel_allowance(c: Compiled, s: State, sp: SourcingSpec, allow: np.ndarray) -> None:
    """Cancel the part of each lane's backlog the day's allowance ``allow`` (L,) or (R, L) does not let through (§5.6).

    Under design lock-in the locked part of what is cancelled on a lane not yet ported joins the
    lane's locked carry (`lock_cancelled`): the buyer still wants it, from that supplier only.
    """
    assert s.owed is not None
    if sp.lock is not None:
        # Only locked lanes the allowance cuts (a ban on gallium touches none): the rest costs nothing.
        lanes = np.flatnonzero(sp.lock > 0.0)
        cut_allow = np.asarray(allow)[..., lanes]
        if (cut_allow < 1.0).any():
            owed = s.owed[:, lanes]
            lock_cancelled(c, s, sp, lanes, owed - owed * cut_allow)
    s.owed *= allow


def lock_cancelled(c: Compiled, s: State, sp: SourcingSpec, lanes: np.ndarray, cut: np.ndarray) -> None:
    """Add the locked part of a cancelled backlog ``cut`` (R, len(lanes)) of lanes ``lanes`` to their locked carry.

    A cancelled order of a design qualified only at the lane's supplier leaves the buyer's
    position, but no other supplier can make it before it is ported: like the locked volume the
    buyer could not place, it is held out of the share split and goes back to its own lane when
    that lane takes orders again (docs/model.md §5.6.6, owed locked volume). ``(1 - sigma_l) cut_l``
    on lanes not yet ported (the buyer's first search before today), nothing once ported.
    """
    assert sp.lock is not None
    if not cut.any():
        return
    add = np.where(_unported(c, s, sp, lanes), cut * sp.lock[lanes], 0.0)
    if not add.any():
        return
    if s.locked is None:
        s.locked = np.zeros((cut.shape[0], c.n_lanes), order="F")
    s.locked[:, lanes] += add


def locked_owed(c: Compiled, s: State, sp: SourcingSpec, far: np.ndarray | None) -> np.ndarray | None:
    """The locked part of what lanes out of reach owe, (R, L), or None (§5.6.6, design lock-in).

    A lane out of reach counts nothing owed in its buyer's position (§5.6.5), but the locked part of
    its backlog, ``(1 - sigma_l) B_l`` on a lane not yet ported, can come from no other supplier:
    it is held out of the day's share split with the locked carry, and stays owed.
    """
    if far is None or sp.lock is None:
        return None
    assert s.owed is not None
    lanes = np.flatnonzero(far.any(axis=0) & (sp.lock > 0.0))
    if not lanes.size:
        return None
    some = np.where(far[:, lanes] & _unported(c, s, sp, lanes), s.owed[:, lanes] * sp.lock[lanes], 0.0)
    if not some.any():
        return None
    hold = np.zeros_like(s.owed)
    hold[:, lanes] = some
    return hold


def out_of_reach(c: Compiled, s: State, sp: SourcingSpec, extra: np.ndarray) -> np.ndarray | None:
    """Lanes whose owed goods cannot land within the buyer's cover horizon, (R, L) bool, or None.

    The buyer's cover horizon is its day's order-up-to level in days of its
    steady inflow, ``H_b = (S_b + extra_b) / F_b`` (infinite for a buyer
    without steady inflow); a lane is out of reach when its supplier has no
    capacity today, no stock beyond what it already owes, and
    ``restart + mean transport > H_b`` (docs/model.md §5.6.5, "Reach"). A
    supplier with capacity but starved of an input (nothing of it on hand or
    in transit, no work in progress) has no restart in view: ``restart = inf``.
    ``None`` when every supplier has capacity and inputs today.
    """
    assert s.owed is not None
    if s.capacity_today is None:
        return None
    starved = _starved(c, s)
    quiet = _quiet(s, s.day)
    if not quiet.any() and starved is None:
        return None
    _, restart = _quote(c, s, sp, s.day)
    # Only a supplier without capacity or restarting cold has an announced restart to test.
    restart = np.where(quiet, restart, 0.0)
    if starved is not None:
        # No material of an input, none in transit, nothing in the line: no restart in view.
        restart = np.where(starved, np.inf, restart)
    # A supplier in force majeure still ships from its stock: it is in reach until that is spoken for
    # (up to a rounding-size part of its normal rate, so that both engines take the same side).
    restart = np.where(_stocked(c, s), 0.0, restart)
    with np.errstate(divide="ignore", invalid="ignore"):
        horizon = np.where(sp.buyer_flow > 0, (c.order_up_to + extra) / sp.buyer_flow, np.inf)
    ahead = restart[:, c.lane_origin] + c.lane_lead_mean
    far: np.ndarray = (restart[:, c.lane_origin] > 0) & (ahead > horizon[..., c.lane_buyer] * (1.0 + REACH_TOLERANCE))
    return far if far.any() else None


def _starved(c: Compiled, s: State) -> np.ndarray | None:
    """Facilities with no input to make anything from, (R, F) bool, or None (§5.6.5, reach).

    Its input-supported rate is at most ``REACH_TOLERANCE`` of its nameplate capacity (an input with
    nothing on hand and nothing in transit) and it has no work in progress.
    """
    assert s.capacity_today is not None
    assert s.material_ref is not None
    inputs = c.recipe_stock[c.recipe_stock < c.n_stocks]
    # A nil input-supported rate needs some input at most the tolerance of its reference on hand, so this
    # skips no starved facility; an exact zero here would let a rounding residue of 1e-14 decide.
    if not (s.stock[:, inputs] <= REACH_TOLERANCE * s.material_ref[inputs]).any():
        return None
    # With capacity today or not: a line down, or restarting cold, without any input has no restart in view.
    starved = input_rate(c, s) <= REACH_TOLERANCE * c.capacity
    if s.wip is not None:
        # Work in progress under a rounding-size part of a day's capacity is none (its residues, of either sign, differ between engines).
        starved &= ~(s.wip > REACH_TOLERANCE * c.capacity)
    return starved if starved.any() else None


def expect_wait(s: State, sp: SourcingSpec, wait: np.ndarray | None) -> np.ndarray | None:
    """Update the wait buyers plan with, ``e += (min(wait, patience) - e) / EXPECTED_WAIT_DAYS``; (R, L) or None.

    First-order smoothing of the supplier's quoted wait (the expected
    delivery delay of Sterman 2000, ch. 17-18): buyers adjust the pipeline
    they plan to a quote over an adjustment time, not to each day's quote. A
    wait beyond the patience (a supplier that will not restart in time)
    counts as the patience: the lane is late and gets no order anyway.
    """
    assert s.expected_wait is not None
    if wait is None:
        if not s.expected_wait.any():
            return None
        wait = np.zeros_like(s.expected_wait)
    s.expected_wait += (np.minimum(wait, sp.patience) - s.expected_wait) / EXPECTED_WAIT_DAYS
    # Far below a unit of any flow: clear it so the fast path of an undisturbed day comes back.
    s.expected_wait[s.expected_wait < 1e-9] = 0.0
    return s.expected_wait


def queued(c: Compiled, s: State) -> np.ndarray | None:
    """Lanes whose supplier owes more than a rounding-size part of its normal rate after the day's
    cancellations, (R, L) bool, or None if none.

    A new order to such a supplier joins the end of its queue (docs/model.md
    §5.6.5, "Routing at a queued supplier").
    """
    assert s.owed is not None and s.normal_rate is not None
    # A rounding-size backlog is no queue, so that both engines take the same side.
    owes = _sum(c, s.owed, "origin") > REACH_TOLERANCE * s.normal_rate
    if not owes.any():
        return None
    out: np.ndarray = owes[:, c.lane_origin]
    return out


def planned_extra(c: Compiled, s: State, sp: SourcingSpec, expected: np.ndarray | None, share: np.ndarray,
                  allow: np.ndarray, late: np.ndarray | None) -> np.ndarray | None:
    """Extra pipeline each buyer plans for quotes above the normal lead time, (R, B), or None.

    ``(1 + panic_b) F_b sum_l v_l (shift_l(t) + e_l)^+`` with ``F_b`` the
    buyer's steady inflow, ``v_l = w_l h_l / sum_b w h`` the day's target
    share ``share`` of each lane times its availability ``h`` for the day's
    orders (``allow``, not ``late``, the licence expectation), normalised over
    the buyer's lanes (0 when none is available), ``shift_l(t)`` the scheduled
    change of its transport time and ``e_l`` the expected wait (`expect_wait`;
    0 while the supplier has no capacity): the pipeline a flow ``F_b`` needs
    over the longer lead time (Little's law). The weights are the buyer's plan,
    not the shares its orders were applied with, which routing sets from the
    planned pipeline itself (a loop, docs/model.md §5.6.5). What a queued
    supplier cannot ship of the orders this raises goes to the buyer's
    alternates with spare capacity, never to a supplier that owes a queue
    (`split_orders`). ``None`` when no quote differs from normal.

    Examples
    --------
    A buyer of 10 a day with target shares 0.5/0.5 whose second lane's transport
    takes 4 days longer plans ``10 * 0.5 * 4 = 20`` units, however routing splits
    its order; with its first lane out of reach, ``10 * 1.0 * 4 = 40``
    (``tests/test_routing.py``).
    """
    shift = None if sp.lead_shift is None else sp.lead_shift[min(s.day, len(sp.lead_shift) - 1)]
    if expected is None and shift is None:
        return None
    quiet = None if expected is None or s.capacity_today is None else _quiet(s, s.day)
    if quiet is not None and quiet.any():
        # A supplier without capacity, or restarting cold, ships nothing more however much it is owed
        # beyond its announced restart: no pipeline is planned for its wait (reach decides, §5.6.5).
        expected = np.where(quiet[:, c.lane_origin], 0.0, expected)
    excess = expected if shift is None else (shift if expected is None else expected + shift)
    # The share of its order the buyer plans to place on each lane: the day's target share (after the
    # price tilt, §5.9) times the lane's availability, as the split applies them (§5.6.6).
    h = allow if late is None else np.where(late, 0.0, allow)
    if s.licence_ok is not None:
        h = h * s.licence_ok
    planned = np.broadcast_to(share, (s.stock.shape[0], c.n_lanes)) * h
    total = _sum(c, planned, "buyer")
    waited = _sum(c, np.maximum(excess, 0.0) * planned, "buyer")
    with np.errstate(divide="ignore", invalid="ignore"):
        # A buyer none of whose lanes is available orders only from alternates it plans no wait for.
        mean = np.where(total > 0.0, waited / total, 0.0)
    extra: np.ndarray = mean * (sp.buyer_flow * (1.0 + sp.panic))
    return extra


def split_orders(c: Compiled, s: State, sp: SourcingSpec, q: np.ndarray, share: np.ndarray,
                 allow: np.ndarray, late: np.ndarray | None, filed: np.ndarray | None = None,
                 licensed: np.ndarray | None = None, plain: np.ndarray | None = None,
                 fused: OrderLoops | None = None, hold: np.ndarray | None = None) -> np.ndarray:
    """Split each buyer's order ``q`` (R, B) across its lanes; returns orders (R, L) (§5.6.6).

    Then a lane whose supplier owes a queue (`queued`) places only its
    part of ``plain`` (R, B), the order without the planned pipeline (``None``:
    no pipeline planned); the rest goes to the buyer's alternates with spare
    capacity left that owe no queue, and what they cannot take is not placed
    (§5.6.5). Under design lock-in a buyer's lanes that owe no queue then keep
    off the locked part ``1 - p_l`` of their share ``1 - plain / q`` of the
    planned pipeline (not placed), on a day the buyer routed some away.

    ``filed`` (R, B), if given, caps what a partly available lane (a licence
    regime) receives at its target share of it: the buyer orders ``q``
    counting only the approvals it expects of its pending applications, but
    applies on a licensed lane for no more than it would counting them all
    (§6.5.2).

    Availability ``h = allow * (not late) * licence_ok`` (the last when the
    licence rules keep one, docs/model.md §5.6.6). The diverted fraction of each
    lane, ``m = max(1 - h, m_prev - 1/lag, min(m_prev, lasting))``, leaves at
    once and returns linearly over the switching lag. The diverted volume goes
    to the buyer's qualified, fully available, undiverted lanes in proportion
    to their supplier's spare capacity (the day's capacity, at most its
    input-supported rate, minus throughput), each
    taking at most that spare capacity and its lane capacity; what they cannot
    take goes back to the lanes it was diverted from that are fully available
    again (a returning supplier) or, when the buyer has no alternate with spare
    capacity, partly available (a licensed lane with nowhere better to go: the
    buyer still applies), in proportion to what each diverts; the rest is not
    placed (the buyer orders again the next day).

    ``hold`` (R, L), if given, is the locked part of what lanes out of reach owe
    (`locked_owed`): held out of the split with the locked carry, and not placed.

    ``fused``: compiled loops (`OrderLoops`, the same bits) for the day
    nothing is diverted and, without licence rules in play, for the days some
    lane is (`OrderLoops.diverted`); else NumPy.
    """
    assert s.diverted is not None and s.seek_day is not None and s.throughput is not None
    h = allow if late is None else np.where(late, 0.0, allow)
    # The buyer's expectation that an order on the lane is licensed (set by the licence rules, if any).
    if s.licence_ok is not None:
        h = h * s.licence_ok
    # A lane where an order waits for a licence decision delivers later than an alternate could: its
    # order is offered to alternates with spare capacity first, the rest is filed (back below).
    wait_lic = None if licensed is None else licensed & (h > 0.0)
    if wait_lic is not None and wait_lic.any():
        h_div = np.where(wait_lic, 0.0, h)
    else:
        wait_lic, h_div = None, h
    prev = s.diverted
    owes = None if plain is None else queued(c, s)
    if owes is not None and not (owes & (plain < q)[:, c.lane_buyer]).any():
        owes = None
    held = (s.locked is not None and bool(s.locked.any())) or hold is not None
    # ``s.diverted_any`` is ``prev.any()``, kept as the one line below writes ``s.diverted`` (no scan a day).
    if (late is None and filed is None and wait_lic is None and owes is None and not s.diverted_any
            and (h >= 1.0).all() and not held):
        s.share_applied = None
        orders = None if fused is None else fused.split(q, share)
        if orders is None:
            orders = q[:, c.lane_buyer] * share
            np.minimum(orders, c.lane_capacity, out=orders)
        return orders
    if fused is not None and filed is None and wait_lic is None:
        placed = fused.diverted(c, s, sp, q, share, h, owes, plain, held, hold)
        if placed is not None:
            return placed
    m = np.maximum(np.maximum(1.0 - h_div, prev - sp.step), np.minimum(prev, sp.lasting))
    np.maximum(m, 0.0, out=m)
    s.diverted[...] = m
    s.diverted_any = bool(m.any())
    carry = None
    free_q = q
    if held:
        if s.locked is None:
            s.locked = np.zeros_like(s.diverted)
        # Design lock-in (§5.6.6): the locked volume left unplaced yesterday, or cancelled, is still
        # wanted (the position stays low by it), and so is the locked part of what a lane out of reach
        # owes; all of it is held out of the share split, at most the day's order.
        # The free order is at least the buyer's steady inflow: the designs of its open lanes are still
        # replaced at their normal rate while the locked ones are short (a fungible stock would
        # otherwise spend them on the locked parts' demand and order less and less).
        zb = _sum(c, s.locked if hold is None else s.locked + hold, "buyer")
        free_q = np.maximum(np.maximum(q - np.minimum(zb, q), 0.0), np.minimum(q, sp.buyer_flow))
        held_q = q - free_q
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(zb > held_q, held_q / zb, 1.0)
        carry = s.locked * scale[:, c.lane_buyer]
    base = free_q[:, c.lane_buyer] * share
    keep = base * (1.0 - m)
    diverted = _sum(c, base - keep, "buyer")
    t = s.day
    seeking = _sum(c, (sp.incumbent & (m > 0)).astype(float), "buyer") > 0
    s.seek_day[...] = np.where(seeking, np.minimum(s.seek_day, t), s.seek_day)
    # Design lock-in: only the portable part of what each lane diverts (and of its locked volume,
    # once ported) is offered to receivers; the rest can go back only to the lane itself (§5.6.6).
    free_l = base - keep
    locked_l = None
    portable = None
    if sp.lock is not None:
        assert sp.port_days is not None
        ported = t >= s.seek_day[:, c.lane_buyer] + sp.port_days
        portable = np.where(ported, 1.0, 1.0 - sp.lock)
        locked_l = free_l * (1.0 - portable)
        free_l = free_l * portable
        if carry is not None:
            free_l = free_l + np.where(ported, carry, 0.0)
            locked_l = locked_l + np.where(ported, 0.0, carry)
        diverted = _sum(c, free_l, "buyer")
    qualified = sp.incumbent | (t >= s.seek_day[:, c.lane_buyer] + sp.qualify_days)
    full = h >= 1.0
    spare = _spare(c, s)[:, c.lane_origin]
    weight = np.where(qualified & full & (m <= 0.0), spare, 0.0)
    total = _sum(c, weight, "buyer")[:, c.lane_buyer]
    with np.errstate(divide="ignore", invalid="ignore"):
        alt = np.where(total > 0, diverted[:, c.lane_buyer] * weight / total, 0.0)
    alt = np.minimum(np.minimum(alt, spare), np.maximum(c.lane_capacity - keep, 0.0))
    rest = np.maximum(diverted - _sum(c, alt, "buyer"), 0.0)
    # A returning supplier takes back what it diverted; a partly available lane (a licence regime, a
    # leakage route) only when the buyer has no qualified alternate with spare capacity to turn to.
    back_ok = (h >= 1.0) | ((h > 0.0) & (total <= 0.0))
    if wait_lic is not None:
        back_ok |= wait_lic
    back_w = np.where(back_ok, free_l, 0.0)
    back_total = _sum(c, back_w, "buyer")[:, c.lane_buyer]
    with np.errstate(divide="ignore", invalid="ignore"):
        back = np.where(back_total > 0, rest[:, c.lane_buyer] * back_w / back_total, 0.0)
    if locked_l is not None:
        # Locked volume goes back to its own lane whenever that lane takes orders at all; else it
        # stays unplaced, and wanted, for the next day.
        mine = h > 0.0
        back = back + np.where(mine, locked_l, 0.0)
        if s.locked is None:
            s.locked = np.zeros_like(s.diverted)
        s.locked[...] = np.where(mine, 0.0, locked_l)
    if filed is not None:
        partial = (h > 0.0) & ((h < 1.0) if wait_lic is None else ((h < 1.0) | wait_lic))
        limit = share * filed[:, c.lane_buyer]
        keep = np.where(partial, np.minimum(keep, limit), keep)
        back = np.where(partial, np.minimum(back, np.maximum(limit - keep, 0.0)), back)
    placed = keep + alt + back
    qb = q[:, c.lane_buyer]
    # Written so that an undiverted lane's applied share is exactly its target share w (w * 1 + 0).
    with np.errstate(divide="ignore", invalid="ignore"):
        moved = np.where(qb > 0, (alt + back) / qb, 0.0)
    if filed is None and carry is None:
        s.share_applied = share * (1.0 - m) + moved
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            s.share_applied = np.where(qb > 0, keep / qb, share * (1.0 - m)) + moved
    placed = np.minimum(placed, c.lane_capacity)
    if owes is None:
        return placed
    assert plain is not None
    # At a queued supplier a lane places only its part of the plain order (the order without the
    # planned pipeline); the planned part goes to alternates with spare capacity left that owe no
    # queue, at most that spare capacity, and what they cannot take is not placed (§5.6.5, routing).
    fits = (h >= 1.0) if wait_lic is None else ((h >= 1.0) & ~wait_lic)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(qb > 0, plain[:, c.lane_buyer] / qb, 1.0)
    over = np.where(fits & owes, placed * (1.0 - ratio), 0.0)
    if not over.any():
        return placed
    # Design lock-in: a lane that owes no queue, of a buyer that routed planned pipeline, keeps off the
    # locked part of its share of that pipeline; it was planned for another lane's wait, and the
    # designs locked to this lane do not wait (§5.6.5, routing). What it keeps off is not placed.
    off = over
    if portable is not None:
        routed = _sum(c, (over > 0.0).astype(float), "buyer")[:, c.lane_buyer] > 0.0
        off = np.where(owes, over, np.where(routed, placed * (1.0 - ratio) * (1.0 - portable), 0.0))
    placed = placed - off
    overflow = _sum(c, over, "buyer") if portable is None else _sum(c, over * portable, "buyer")
    left = np.maximum(spare - alt, 0.0)
    weight2 = np.where(qualified & full & (m <= 0.0) & ~owes, left, 0.0)
    total2 = _sum(c, weight2, "buyer")[:, c.lane_buyer]
    with np.errstate(divide="ignore", invalid="ignore"):
        alt2 = np.where(total2 > 0, overflow[:, c.lane_buyer] * weight2 / total2, 0.0)
    alt2 = np.minimum(np.minimum(alt2, left), np.maximum(c.lane_capacity - placed, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        s.share_applied = s.share_applied + np.where(qb > 0, (alt2 - off) / qb, 0.0)
    return placed + alt2


def _spare(c: Compiled, s: State) -> np.ndarray:
    """Each supplier's spare capacity today, (R, F): what it can make less its throughput, at least 0 (§5.6.6)."""
    capacity = c.capacity if s.capacity_today is None else s.capacity_today
    if s.cold is not None:
        # Capacity still cold is not spare: only the part its restart ramp gives back today (§5.4.2).
        capacity = capacity.copy()
        capacity[:, s.cold.facilities] *= _restart.cold_fraction(s.cold, s.day)
    # What a supplier can make today is also limited by the inputs it has and has coming (§5.7).
    spare: np.ndarray = np.maximum(np.minimum(capacity, input_rate(c, s)) - s.throughput, 0.0)
    return spare


class OrderLoops:
    """Fused passes of ordering (an interface): the inventory position, and the day's orders when nothing is diverted.

    `split` returns ``np.minimum(q[:, c.lane_buyer] * share, c.lane_capacity)``
    to the bit, or ``None`` (then NumPy does it).
    """

    def split(self, q: np.ndarray, share: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    def position(self, stock: np.ndarray, transit: np.ndarray, owed: np.ndarray,
                 backlog: np.ndarray) -> np.ndarray | None:
        """Each buyer's position (R, B) as `.kernel.place_orders` works it out before licences, or ``None``."""
        raise NotImplementedError

    #: The compiled loops (`.jit`), set by the engine; `diverted` uses their ``split_diverted``.
    kernels: Any = None
    _diverted_ok: bool | None = None  # whether the scenario's buyer sums suit the loop (checked once)

    def diverted(self, c: Compiled, s: State, sp: SourcingSpec, q: np.ndarray, share: np.ndarray, h: np.ndarray,
                 owes: np.ndarray | None, plain: np.ndarray | None, held: bool,
                 hold: np.ndarray | None = None) -> np.ndarray | None:
        """`split_orders` on a day some lane is diverted, without licence rules in play, as one compiled
        loop (`._jit_sourcing.split_diverted`, the same bits), or ``None`` (then NumPy does it).

        Writes ``s.diverted``, ``s.diverted_any``, ``s.seek_day``, ``s.locked`` and
        ``s.share_applied`` as the NumPy path does; returns the orders (R, L).
        """
        fn = getattr(self.kernels, "split_diverted", None)
        if fn is None:
            return None
        ok = self._diverted_ok
        if ok is None:
            ok = self._diverted_ok = _jit_sourcing.lane_order_sums(c.sum_by_buyer, c.lane_buyer, c.n_buyers)
        n_runs = q.shape[0] if q.ndim == 2 else 0
        if not ok or n_runs == 0 or s.diverted.shape != (n_runs, c.n_lanes) or s.seek_day.dtype != np.float64:
            return None
        if sp.lock is not None and s.locked is None:
            s.locked = np.zeros((n_runs, c.n_lanes), order="F")
        placed = np.empty((n_runs, c.n_lanes), order="F")
        applied = np.empty((n_runs, c.n_lanes), order="F")
        lock = sp.lock is not None
        none_l, none_2 = np.zeros(0), np.zeros((0, 0))
        shape = (n_runs, c.n_lanes)
        if not (s.diverted.flags.f_contiguous and s.seek_day.flags.f_contiguous
                and (s.locked is None or s.locked.flags.f_contiguous)):
            return None
        any_diverted = fn(
            _runs_last(q), _ro(np.broadcast_to(share, shape).T), _runs_last(np.broadcast_to(h, shape)),
            s.diverted.T, _ro(sp.step), _ro(sp.lasting), _ro(_intp(c.lane_buyer)), _ro(_intp(c.lane_origin)),
            c.n_buyers, held, s.locked.T if s.locked is not None else none_2, _ro(sp.buyer_flow),
            lock, _ro(sp.lock if lock else none_l), _ro(sp.port_days if lock else none_l), _ro(sp.incumbent),
            _ro(sp.qualify_days), s.seek_day.T, float(s.day), _runs_last(_spare(c, s)),
            _ro(np.asarray(c.lane_capacity, float)), owes is not None,
            _runs_last(owes if owes is not None else np.zeros((0, 0), dtype=bool)),
            _runs_last(plain if plain is not None else none_2), placed.T, applied.T,
            hold is not None, _runs_last(hold) if hold is not None else none_2)
        s.diverted_any = bool(any_diverted)
        s.share_applied = applied
        return placed


def _ro(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (the compiled loop takes one type of each input)."""
    v = a.view()
    v.flags.writeable = False
    return v


def _runs_last(a: np.ndarray) -> np.ndarray:
    """``a`` (R, n) as a read-only C-contiguous (n, R) view: its transpose, copied to runs-last memory if need be."""
    return _ro(np.asfortranarray(a).T)


def _intp(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == np.intp else a.astype(np.intp)


def ship_classes(c: Compiled, sp: SourcingSpec, owed: np.ndarray,
                 orders: np.ndarray, recent: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """What each lane asks in the service classes of its supplier, (R, L) each (docs/model.md §5.7).

    ``history``: up to the lane's steady daily flow, then the rest of its
    backlog, then the rest of the day's orders; ``recent``: the same with the
    lane's record of recent shipments ``recent`` (R, L) in place of its
    steady flow (``State.recent``; the steady flow on other rules' lanes); ``value``: the history
    classes of the highest value tier, then those of the next tier, ...
    (``3 * n_tiers`` classes; other rules ask nothing beyond their own);
    ``fcfs``: backlog, then the day's orders; ``pro_rata``: everything in one
    class; ``incumbent``: incumbent lanes (baseline share > 0), then the others.
    """
    first, second, third = _history_classes(c, sp, owed, orders, recent)
    if sp.value_rank is None:
        return first, second, third
    # Value: each tier's history classes in turn, the highest tier first (tier 0 holds every other rule's lanes).
    out: list[np.ndarray] = []
    for tier in range(sp.n_tiers):
        mine = sp.value_rank == tier
        out.extend(np.where(mine, part, 0.0) for part in (first, second, third))
    return tuple(out)


def _history_classes(c: Compiled, sp: SourcingSpec, owed: np.ndarray, orders: np.ndarray,
                     recent: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What each lane asks in the three classes of its own tier, (R, L) each (`ship_classes` before the tiers)."""
    both = owed + orders
    if sp.allocation is None:
        code = np.full(c.n_lanes, ALLOCATION_CODE["history"], dtype=np.int8)
    else:
        code = sp.allocation
    history = ((code == ALLOCATION_CODE["history"]) | (code == ALLOCATION_CODE["value"])
               | (code == ALLOCATION_CODE["recent"]))
    flow = sp.lane_flow if recent is None else recent
    # History: the lane's normal flow first (older orders first within it), then older orders, then new.
    normal = np.minimum(both, flow)
    older = np.maximum(owed - flow, 0.0)
    first = np.where(history, normal,
                     np.where(code == ALLOCATION_CODE["fcfs"], owed,
                              np.where((code == ALLOCATION_CODE["pro_rata"]) | sp.incumbent, both, 0.0)))
    second = np.where(history, older, both - first)
    third = np.where(history, np.maximum((both - first) - second, 0.0), 0.0)
    return first, second, third


def ship_by_class(c: Compiled, sp: SourcingSpec, owed: np.ndarray, orders: np.ndarray, recent: np.ndarray | None,
                  on_hand: np.ndarray, fits: np.ndarray, wanted: np.ndarray, kernels: Any) -> np.ndarray | None:
    """What each lane ships, (R, L), each supplier serving its service classes in turn (`ship_classes`), as
    one compiled loop over each supplier's own tiers (`._jit_sourcing.ship_tiers`); ``None`` without it.

    The same bits as `.kernel.ship`'s NumPy passes: each class asks at most
    the lane's room (capacity less what it shipped), is rationed in
    proportion against what the supplier has left, and what is left falls by
    what it shipped; a supplier that ``fits`` (R, F) ships ``wanted``.
    ``on_hand`` (R, F) is each supplier's output stock.
    """
    fn = getattr(kernels, "ship_tiers", None)
    if fn is None or orders.ndim != 2 or not (orders.flags.f_contiguous and owed.flags.f_contiguous):
        return None if sp.value_rank is None else _ship_by_tier(c, sp, owed, orders, recent, on_hand, fits, wanted)
    lay = _class_layout(c, sp)
    if lay is None:
        return None
    first, second, third = _history_classes(c, sp, owed, orders, recent)
    shipped = np.empty(orders.shape, order="F")
    fn(_runs_last(first), _runs_last(second), _runs_last(third), lay.rank, lay.capacity, lay.indptr, lay.lanes,
       lay.tiers, _runs_last(on_hand), _runs_last(fits), _runs_last(wanted), shipped.T)
    return shipped


def _ship_by_tier(c: Compiled, sp: SourcingSpec, owed: np.ndarray, orders: np.ndarray, recent: np.ndarray | None,
                  on_hand: np.ndarray, fits: np.ndarray, wanted: np.ndarray) -> np.ndarray | None:
    """`ship_by_class` in NumPy, each value tier's classes served over the suppliers that have it.

    The same bits as serving every class over every lane: a lane of a supplier without the tier
    asks +0.0 in its classes, which changes neither its supplier's stock nor its room or shipments.
    """
    lay = _class_layout(c, sp)
    if lay is None:
        return None
    classes = _history_classes(c, sp, owed, orders, recent)
    shipped = np.zeros_like(orders)
    room = np.broadcast_to(np.asarray(c.lane_capacity, dtype=float), orders.shape).copy()
    left = on_hand
    short = ~fits.all(axis=0)  # suppliers that ration in some run; the others ship ``wanted`` (below)
    for tier, tl in enumerate(lay.by_tier):
        if not short[tl.origin].any():
            continue  # every supplier with this tier ships what it was asked, whatever its classes give
        sub = tl.lanes
        mine = tl.rank == tier
        for part in classes:
            x = np.minimum(np.where(mine, part[:, sub], 0.0), room[:, sub])
            requested = sum_into(x, tl.origin, c.n_facilities, tl.sums)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                fill = np.where(requested > left, left / requested, 1.0)
            got = x * fill[:, tl.origin]
            left = np.maximum(left - sum_into(got, tl.origin, c.n_facilities, tl.sums), 0.0)
            room[:, sub] = room[:, sub] - got
            shipped[:, sub] = shipped[:, sub] + got
    out: np.ndarray = np.where(fits[:, c.lane_origin], wanted, shipped)
    return out


def record_recent(sp: SourcingSpec, recent: np.ndarray, shipped: np.ndarray) -> None:
    """Move each lane's record of recent shipments (R, L) by the day's ``shipped``, in place (§5.7).

    ``y += (x - y) / tau`` with ``tau`` the mean age of the record of the
    lane's supplier; ``tau = inf`` (a supplier with another rule) leaves the
    lane's steady flow unchanged.
    """
    assert sp.recent_days is not None
    recent += (shipped - recent) / sp.recent_days
