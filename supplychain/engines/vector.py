"""The vectorised NumPy engine: many runs advanced together, one day at a time.

State is held as arrays with a leading runs axis ``R`` (a chunk of runs):
stocks ``(R, S + 1)``, goods in transit ``(R, L)``, and a ring buffer
``(R, W, L)`` whose slot ``d % W`` holds what lands on day ``d``. Each day
applies the same rules as the SimPy engine (`.kernel`), with ``R`` runs
instead of one, so the loop is over days, never over runs.

Agreement with the SimPy engine
-------------------------------
Both engines draw each run's random inputs from that run's own seed
sequence (`.draws.draw_run`) and feed the rules the same day inputs
(`.day.day_inputs`), so they agree run by run, not only in
distribution. A shipment sent on day ``t`` with realised lead time ``x``
lands on day ``t + arrival_days(x)`` in both: the SimPy engine schedules it at
its continuous time, kept inside that day, and records it there; here it
goes into that day's ring slot. Arrivals within a day therefore reach the
same review. The one remaining difference is floating-point summation order:
SimPy applies each arrival event on its own (``stock += a; stock += b``)
where this engine applies a day's arrivals at once (``stock += a + b``). That
changes results by a few units in the last place (well within ``1e-9``), and
could only flip a decision if an inventory position fell within rounding of
an (s, S) reorder point.

Chunks and memory layout
------------------------
Runs never interact, and every rule is elementwise across runs or sums each
run's items in a fixed order, so a run's results are bit-identical whatever
chunk it is simulated in. The arrays are logically ``(R, n)`` but stored
runs-last (Fortran order): gathering or scattering an item then moves a
contiguous block of runs, and lane sums become sparse products over
contiguous rows. Chunks of about 60,000 lane-runs (128 runs of the
baseline) keep the working set in cache (see ``benchmarks/README.md``).

`run_vector` runs one chunk of runs and returns its daily series or
its summary; cutting an ensemble into chunks and choosing where they run is
the job of `supplychain.run`. The kernel (`simulate_runs`) hands
each day's values to a sink; it stops with a clear error on a non-finite
input, draw or state (`.finite`), checked once per chunk.

Implements docs/model.md §10 (conformance): the vector engine.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import weakref
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Literal, overload

import numpy as np

from ..compile.compiler import Compiled
from ..compile.leadtime import LEAD_DAYS_TOLERANCE
from . import jit, licences, prices
from . import kernel as rules
from .day import DrawBatch, day_inputs
from .draws import RunDraws, draw_landing_days, draw_run, fused_landing_days
from .finite import check_draws, check_inputs, check_state
from .record import Recorder, Sink
from .sourcing import OrderLoops
from .summary import SummaryPart, SummarySink

__all__ = ["run_vector", "simulate_runs", "draw_batch", "release_buffers"]


class _Kept(threading.local):
    """Per thread, the largest arrays of the last chunk, which the next chunk of the same shape reuses.

    A fresh array of tens of MB costs a page fault per page on first touch
    (and, where the kernel backs NumPy's large arrays with huge pages,
    sometimes a compaction stall): measured at up to a fifth of a chunk's
    time on the 100-facility peer network. An array is taken out while a
    chunk uses it, so no two chunks ever share one.
    """

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}


_KEPT = _Kept()


def _reused(name: str, shape: tuple[int, ...], dtype: type = float) -> np.ndarray:
    """An uninitialised array of ``shape``: the one kept under ``name`` if it fits, else a new one."""
    old = _KEPT.arrays.pop(name, None)
    if old is not None and old.shape == shape and old.dtype == np.dtype(dtype):
        return old
    return np.empty(shape, dtype=dtype)


def _keep(name: str, array: np.ndarray) -> None:
    """Keep ``array`` (no longer used) for the next chunk of this thread."""
    _KEPT.arrays[name] = array


def release_buffers() -> None:
    """Free the arrays this thread keeps for its next chunk (an ensemble calls it when done)."""
    _KEPT.arrays.clear()


class _Ring:
    """Goods in transit by landing day: slot ``d % W`` holds what lands on day ``d``.

    Logically ``(R, W, L)``; stored as ``buf[lane, slot, run]``. With random
    lead times each (lane, run) of a day's shipments goes to its own slot: in
    this layout a lane's writes stay within its own ``W x R`` block (a few
    hundred KB) instead of striding over the whole ring, which keeps the
    scatter in cache. A day's slot is read once, as a runs-last ``(R, L)``
    copy.

    The pre-filled pipeline (``Compiled.initial_arrivals``) is written into a
    slot when the slot starts holding that day (at the start, and each time
    `take` hands it to day ``t + W``), so the ring needs to be only as
    wide as the longest lead time, and every slot holds exactly what it
    would in a ring as wide as the pipeline: the pipeline first, then each
    shipment added in order (the same bits).

    Goods due on or after the last simulated day never land inside the run: they
    stay in transit (the state counts them) and go to one spare slot (``W``) that
    is never read, so the ring is never wider than the horizon however long a
    lead time is, and the scatter needs no test for them: a table maps each
    landing day to its slot.
    """

    def __init__(self, c: Compiled, n_runs: int, width: int, kernels: SimpleNamespace | None = None) -> None:
        # Read-only like the compiled scenario's arrays (the compiled loops take one type of row).
        self.initial = np.ascontiguousarray(c.initial_arrivals[: c.n_days], dtype=float)
        self.initial.flags.writeable = False
        self.no_fill = np.zeros(c.n_lanes)
        self.no_fill.flags.writeable = False
        self.horizon = c.n_days
        self.width = min(max(width, 1), c.n_days + 1)
        self.n_runs = n_runs
        self.kernels = kernels
        self.buf = _reused("ring", (c.n_lanes, self.width + 1, n_runs))
        filled = min(self.width, len(self.initial))
        self.buf[:, :filled, :] = self.initial[:filled].T[:, :, None]
        self.buf[:, filled:, :] = 0.0
        self.lanes = np.arange(c.n_lanes)
        self._index()

    def _index(self) -> None:
        """Offsets of the scatter for the current width."""
        w, r = self.width, self.n_runs
        # Landing day (up to twice the horizon) -> offset of its slot within a lane's block; the spare slot
        # for days on or after the horizon.
        day = np.arange(2 * self.horizon + 2)
        self.slot = np.where(day < self.horizon, day % w, w).astype(np.intp)
        self.slot_offset = self.slot * r
        # Offset of (lane, run) at slot 0, lane-major: the order of a runs-last (R, L) array's memory.
        self.offset = (np.arange(self.buf.shape[0]) * ((w + 1) * r))[:, None] + np.arange(r)

    def take(self, t: int) -> np.ndarray:
        """Remove and return what lands on day ``t`` (a runs-last (R, L) copy); the slot passes to day ``t + W``.

        The ring then holds days ``t + 1`` to ``t + W``: shipments of day ``t``
        land on one of those (lead times are at least one day).
        """
        slot = t % self.width
        d = t + self.width
        if self.kernels is not None:
            # The same copies, one compiled pass over the slot (jit.py).
            landed = np.empty((self.n_runs, self.buf.shape[0]), order="F")
            fill = self.initial[d] if d < len(self.initial) else self.no_fill
            self.kernels.ring_take(self.buf, slot, fill, landed.T)
            return landed
        landed = self.buf[:, slot, :].T.copy(order="F")
        self.buf[:, slot, :] = self.initial[d][:, None] if d < len(self.initial) else 0.0
        return landed

    def take_arriving(self, t: int, transit_lane: np.ndarray, lane_buyer: np.ndarray,
                      n_buyers: int) -> tuple[np.ndarray, np.ndarray]:
        """`take`, and in the same compiled pass take the goods out of ``transit_lane`` and sum them per buyer.

        Returns what lands (R, L) and its sum per buyer (R, B), both runs-last;
        ``transit_lane`` (R, L), runs-last, is updated in place. Needs the
        compiled loops, and buyers' sums in lane order (`_lane_order_sums`).
        """
        assert self.kernels is not None
        slot = t % self.width
        d = t + self.width
        landed = np.empty((self.n_runs, self.buf.shape[0]), order="F")
        by_buyer = np.zeros((n_buyers, self.n_runs))
        fill = self.initial[d] if d < len(self.initial) else self.no_fill
        self.kernels.ring_arrive(self.buf, slot, fill, lane_buyer, landed.T, transit_lane.T, by_buyer)
        return landed, by_buyer.T

    def put(self, t: int, shipped: np.ndarray, days: np.ndarray, *, fits: bool = False) -> None:
        """Add ``shipped`` (R, L), landing ``days`` (L,) or (R, L) after day ``t``.

        ``fits``: every day is at most the horizon and the ring is wide enough
        for it (lead times pre-computed as whole days, `_arrival_days`),
        so neither is checked.
        """
        if days.ndim == 1:
            late = t + days >= self.horizon
            if late.any():  # lands after the run ends: stays in transit, needs no slot
                shipped = np.where(late, 0.0, shipped)
                days = np.where(late, 1, days)
            if int(days.max(initial=0)) > self.width:
                self._grow(t, min(int(days.max()) + 1, self.horizon + 1))
            # One landing day per lane: add whole contiguous rows of runs.
            self.buf[self.lanes, np.add(days, t, dtype=np.intp) % self.width] += shipped.T
            return
        if not fits:
            days = np.minimum(days, self.horizon)
            # Only goods landing before the horizon need a slot.
            longest = min(int(days.max(initial=0)), self.horizon - 1 - t)
            if longest > self.width:
                self._grow(t, longest + 1)
        if self.kernels is not None and fits:
            # The same additions, one compiled loop (jit.py).
            self.kernels.ring_add(self.buf, self.slot[t:], days, shipped)
            return
        # Each (lane, run) appears once, so a plain indexed add is exact (no repeated index), in
        # lane-major order: through each lane's block in turn.
        # (Indexing the table is several times faster than np.take with small-integer indices, and take,
        # add, put faster than an indexed +=.)
        flat = self.slot_offset[t:][days.T]
        flat += self.offset
        target = self.buf.reshape(-1)
        landing = target.take(flat)
        landing += shipped.T
        target.put(flat, landing)

    def _grow(self, t: int, width: int) -> None:
        """Widen the ring (a lead time longer than foreseen) after day ``t``'s `take`, keeping pending days."""
        old, w = self.buf, self.width
        days = np.arange(t + 1, t + w + 1)
        self.buf = np.zeros((old.shape[0], width + 1, old.shape[2]))
        self.buf[:, days % width] = old[:, days % w]
        # Days newly in reach start with their pre-filled pipeline, as every slot does.
        for d in range(t + w + 1, min(t + width + 1, len(self.initial))):
            self.buf[:, d % width, :] = self.initial[d][:, None]
        self.width = width
        self._index()


def _lane_order_sums(c: Compiled, by: Literal["buyer", "origin"] = "buyer") -> bool:
    """Whether `.sums.sum_into` sums each buyer's (or origin's) lanes in increasing lane order, each times 1.0.

    Then a loop over lanes that adds each into its buyer's total gives the
    same bits (`_Ring.take_arriving`, `_ShipLoops`). It holds for every compiled
    scenario (one entry per lane, rows sorted); the check keeps the loop
    honest should the matrix ever be built otherwise.
    """
    m, index, n = ((c.sum_by_buyer, c.lane_buyer, c.n_buyers) if by == "buyer"
                   else (c.sum_by_origin, c.lane_origin, c.n_facilities))
    return bool(m.has_sorted_indices and (m.data == 1.0).all()
                and np.array_equal(np.diff(m.indptr), np.bincount(index, minlength=n))
                and np.array_equal(m.indices, np.argsort(index, kind="stable")))


class _ProduceLoops(rules.ProduceLoops):
    """`.kernel.produce`'s inputs' cover and starts, one compiled loop each
    (`._jit_kernels.recipe_cover`, ``start_add``); needs runs-last stocks, and starts on distinct stocks."""

    def __init__(self, c: Compiled, kernels: SimpleNamespace, n_runs: int) -> None:
        self.kernels, self.n_runs, self.n_facilities, self.pad = kernels, n_runs, c.n_facilities, c.n_stocks
        self.recipe = np.array(c.recipe_stock, dtype=np.intp, order="C")
        self.ratio = np.array(c.recipe_ratio, dtype=float, order="C")
        facility, stock, units = c.start_pattern
        self.facility, self.index = np.array(facility, dtype=np.intp), np.array(stock, dtype=np.intp)
        self.units = np.array(units, dtype=float)
        for a in (self.recipe, self.ratio, self.units):
            a.flags.writeable = False
        # NumPy's indexed update adds once per distinct stock (a repeated one would keep its last value only).
        self.distinct = len(np.unique(self.index)) == len(self.index)

    def cover(self, stock: np.ndarray) -> np.ndarray | None:
        if not stock.flags.f_contiguous or stock.shape[0] != self.n_runs:
            return None
        out = np.empty((self.n_runs, self.n_facilities), order="F")
        self.kernels.recipe_cover(stock.T, self.recipe, self.ratio, self.pad, out.T)
        return out

    def start(self, stock: np.ndarray, p: np.ndarray) -> bool:
        if not (self.distinct and stock.flags.f_contiguous and p.ndim == 2 and p.shape == (self.n_runs,
                                                                                              self.n_facilities)):
            return False
        self.kernels.start_add(stock.T, p.T, self.facility, self.index, self.units)
        return True


class _OrderLoops(OrderLoops):
    """`.sourcing.split_orders`'s orders on a day nothing is diverted, one compiled loop
    (`._jit_kernels.split_plain`)."""

    def __init__(self, c: Compiled, kernels: SimpleNamespace, n_runs: int) -> None:
        self.kernels, self.n_runs, self.n_lanes, self.n_buyers = kernels, n_runs, c.n_lanes, c.n_buyers
        self.buyer = np.array(c.lane_buyer, dtype=np.intp)
        self.capacity = np.array(c.lane_capacity, dtype=float)
        self.capacity.flags.writeable = False
        self.buyer_stock = np.array(c.buyer_stock, dtype=np.intp)
        self.demand_buyer = np.array(np.searchsorted(c.buyer_stock, c.demand_stock), dtype=np.intp)
        m = c.sum_by_buyer
        self.indptr, self.lanes = np.array(m.indptr, dtype=np.intp), np.array(m.indices, dtype=np.intp)
        # The loop sums each buyer's lanes in lane order (as sum_into does, checked) and subtracts each demand's
        # backorders once (NumPy's indexed update with distinct buyers).
        self.positions = _lane_order_sums(c) and len(np.unique(self.demand_buyer)) == len(self.demand_buyer)

    def position(self, stock: np.ndarray, transit: np.ndarray, owed: np.ndarray,
                 backlog: np.ndarray) -> np.ndarray | None:
        if not (self.positions and stock.flags.f_contiguous and transit.flags.f_contiguous
                and owed.flags.f_contiguous and backlog.ndim == 2 and stock.shape[0] == self.n_runs):
            return None
        out = np.empty((self.n_runs, self.n_buyers), order="F")
        self.kernels.position(stock.T, self.buyer_stock, transit.T, owed.T, self.indptr, self.lanes,
                              self.demand_buyer, backlog.T, out.T)
        return out

    def split(self, q: np.ndarray, share: np.ndarray) -> np.ndarray | None:
        if (q.ndim != 2 or q.shape[0] != self.n_runs or not q.flags.f_contiguous or np.ndim(share) != 1
                or share.dtype != np.float64):
            return None
        out = np.empty((self.n_runs, self.n_lanes), order="F")
        row = share.view()
        row.flags.writeable = False  # the compiled loop takes one type of row
        self.kernels.split_plain(q.T, self.buyer, row, self.capacity, out.T)
        return out


class _ShipLoops(rules.ShipLoops):
    """`.kernel.ship`'s passes as two compiled loops (`._jit_kernels.ship_head`, ``ship_tail``).

    The tail also puts the day's shipments into the ring (what `_Ring.put`
    does with whole landing days that fit), when the day has them: set
    `days` and `t` before `.kernel.ship`; `put` says
    whether it did. Needs the compiled loops and lane-order sums per buyer and
    per origin (`_lane_order_sums`).
    """

    def __init__(self, c: Compiled, kernels: SimpleNamespace, ring: _Ring) -> None:
        self.kernels, self.ring = kernels, ring
        self.n_runs, self.n_lanes, self.n_facilities, self.n_buyers = ring.n_runs, c.n_lanes, c.n_facilities, c.n_buyers
        # Writable copies of the indices and a read-only capacity: the compiled loops take one array type each.
        self.origin = np.array(c.lane_origin, dtype=np.intp)
        self.buyer = np.array(c.lane_buyer, dtype=np.intp)
        self.capacity = np.array(c.lane_capacity, dtype=float)
        self.capacity.flags.writeable = False
        self.days: np.ndarray | None = None
        self.t = 0
        self.put = False

    def head(self, orders: np.ndarray, owed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        wanted = np.empty((self.n_runs, self.n_lanes), order="F")
        owed_sum = np.zeros((self.n_facilities, self.n_runs))
        wanted_sum = np.zeros((self.n_facilities, self.n_runs))
        self.kernels.ship_head(orders.T, self.capacity, owed.T, self.origin, wanted.T, owed_sum, wanted_sum)
        return wanted, owed_sum.T, wanted_sum.T

    def tail(self, s: rules.State, orders: np.ndarray, shipped: np.ndarray) -> np.ndarray | None:
        assert s.owed is not None
        if self.days is None or not (s.owed.flags.f_contiguous and s.transit_lane.flags.f_contiguous):
            return None
        by_buyer = np.zeros((self.n_buyers, self.n_runs))
        ring = self.ring
        self.kernels.ship_tail(s.owed.T, orders.T, shipped.T, s.transit_lane.T, self.buyer, by_buyer, ring.buf,
                               ring.slot[self.t:], self.days)
        self.put = True
        return by_buyer.T


def _runs_last(a: np.ndarray) -> np.ndarray:
    """``a`` with its leading runs axis stored last in memory (Fortran order for 2-D).

    The rules gather and scatter whole items (columns); with the runs of an
    item contiguous those become row copies and sparse products over
    contiguous rows, several times faster for large ``R``. Values are
    unchanged: only the memory order differs.
    """
    if a.ndim == 2:
        return np.asfortranarray(a)
    out: np.ndarray = np.ascontiguousarray(np.moveaxis(a, 0, -1))
    return out.transpose((a.ndim - 1,) + tuple(range(a.ndim - 1)))


def _ring_width(c: Compiled, draws: DrawBatch) -> int:
    """Ring slots needed for the longest lead time this chunk can produce (grown later if short)."""
    if c.n_lanes == 0:
        return 1
    if draws.arrival_days is not None:
        return int(draws.arrival_days.max(initial=0)) + 1
    sch = c.schedules
    base = c.lane_lead_mean if draws.lead_time is None else draws.lead_time.max(axis=(0, 1))
    longest = base * sch.lead_factor.max(axis=0) + sch.lead_extra.max(axis=0)
    return int(rules.arrival_days(np.atleast_1d(longest.max())).max()) + 1


_DRAW_FIELDS = tuple(f.name for f in dataclasses.fields(RunDraws))


def _arrival_days(c: Compiled, lead: np.ndarray, out: np.ndarray, kernels: SimpleNamespace | None = None) -> None:
    """Write one run's ``(T, L)`` lead times into ``out`` as whole days until landing, capped at the horizon.

    The same arithmetic as the day loop (`.day.day_inputs`, then
    `.kernel.arrival_days`), a whole run at once and in place (``lead``
    is overwritten). Capping at ``T`` changes nothing: a shipment of day ``t``
    due ``T`` or more days later lands after the last day, exactly as with its
    true lead time. ``out`` holds small integers. ``kernels``: the compiled
    loops of `.jit` (one pass, the same bits), else NumPy.
    """
    sch = c.schedules
    # x * 1 + 0 is x: skip the shocks' factors on a scenario without any (lead times are finite and >= 0).
    shocked = bool((sch.lead_factor != 1.0).any() or (sch.lead_extra != 0.0).any())
    if kernels is not None:
        kernels.landing_days(lead, np.broadcast_to(sch.lead_factor, lead.shape),
                             np.broadcast_to(sch.lead_extra, lead.shape), shocked, LEAD_DAYS_TOLERANCE,
                             float(c.n_days), out)
        return
    if shocked:
        lead *= sch.lead_factor
        lead += sch.lead_extra
    # kernel.arrival_days (compile.leadtime.lead_days), step by step in place: max(1, ceil(x - tolerance)).
    lead -= LEAD_DAYS_TOLERANCE
    np.ceil(lead, out=lead)
    np.clip(lead, 1.0, float(c.n_days), out=lead)
    # Casting into a strided row of the chunk's block is several times slower than into new memory.
    out[...] = lead.astype(out.dtype)


def compiled_loops_for(c: Compiled, work: int) -> SimpleNamespace | None:
    """The compiled loops `run_vector` uses for ``c`` and ``work`` lane-run-days, or ``None`` (NumPy).

    The loops take uint8 or int16 landing days, so a horizon too long for them runs on NumPy (`.jit`).
    """
    return jit.kernels_for(work) if _days_dtype(c) in (np.uint8, np.int16) else None


#: Each compiled scenario's dtype of whole landing days (`_days_dtype`).
_DAYS_DTYPE: weakref.WeakKeyDictionary[Compiled, type] = weakref.WeakKeyDictionary()


def _days_dtype(c: Compiled) -> type:
    """The narrowest integers that hold every whole landing day of ``c`` (days until landing, capped at the horizon).

    uint8 when no landing day can exceed 255: the horizon is at most 255 days,
    or every lane's longest lead time (`Distribution.maximum`) times the
    largest lead-time factor, plus the largest extra, is at most 255 days (a
    log-normal lead time has no longest); else int16 while the slot table
    (twice the horizon) fits it; else int32. The baseline's days fit in a byte:
    a chunk's block of days is half the size and a day's read of it half the lines.
    """
    if c not in _DAYS_DTYPE:
        top = np.iinfo(np.uint8).max
        if c.n_days <= top:
            dtype: type = np.uint8
        else:
            longest = np.array([getattr(lane.lead_time, "maximum", np.inf) for lane in c.scenario.network.lanes],
                               dtype=float)
            sch = c.schedules
            with np.errstate(invalid="ignore", over="ignore"):
                bound = (longest * sch.lead_factor + sch.lead_extra).max(initial=0.0)
            if np.isfinite(bound) and math.ceil(bound) <= top:
                dtype = np.uint8
            else:
                dtype = np.int16 if 2 * c.n_days + 2 < np.iinfo(np.int16).max else np.int32
        _DAYS_DTYPE[c] = dtype
    return _DAYS_DTYPE[c]


def _landing_inputs(c: Compiled, kernels: SimpleNamespace) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """What `.draws.draw_landing_days` takes besides the run: the fixed lanes' days (T, L), the shocks' lead-time
    factors and extras (T, L) and whether they change anything, as `_arrival_days` works them out."""
    sch = c.schedules
    shape = (c.n_days, c.n_lanes)
    fixed = np.zeros(shape, dtype=_days_dtype(c))
    if not c.lane_lead_random.all():
        _arrival_days(c, np.repeat(c.lane_lead_mean[None, :], c.n_days, axis=0), fixed, kernels)
    shocked = bool((sch.lead_factor != 1.0).any() or (sch.lead_extra != 0.0).any())
    return fixed, np.broadcast_to(sch.lead_factor, shape), np.broadcast_to(sch.lead_extra, shape), shocked


def draw_batch(c: Compiled, seqs: Sequence[np.random.SeedSequence], *, arrival_days: bool = False,
               kernels: SimpleNamespace | None = None) -> DrawBatch:
    """Every random input of a chunk of runs (one seed sequence per run), stored runs-last.

    Each run's draws are checked (`.finite.check_draws`) and written into
    its slot of the runs-last arrays as soon as they are drawn, so the chunk
    never holds its draws twice. With ``arrival_days`` the lead times are
    stored as whole days until landing (`.day.DrawBatch.arrival_days`),
    day-major (``(T, R, L)`` in memory): a run writes whole rows of lanes, and
    a day reads one contiguous ``(R, L)`` block. ``kernels``: the compiled
    loops of `.jit` (the same numbers), else NumPy.

    Raises
    ------
    SupplyChainError
        If a draw is not finite (`.finite`), naming its run and day.
    """
    arrays: dict[str, np.ndarray | None] = dict.fromkeys(_DRAW_FIELDS + ("arrival_days",))
    n = len(seqs)
    # Triangular lead times straight to whole days, one compiled pass and no lead-time array (the same bits).
    fused = arrival_days and kernels is not None and fused_landing_days(c)
    if fused:
        block = _reused("days", (c.n_days, n, c.n_lanes), _days_dtype(c))
        arrays["arrival_days"] = block.transpose(1, 0, 2)
        fixed, factor, extra, shocked = _landing_inputs(c, kernels)
    for r, seq in enumerate(seqs):
        if fused:
            one = draw_run(c, seq, kernels, lead=False)
            if not draw_landing_days(c, seq, kernels, fixed, factor, extra, shocked, LEAD_DAYS_TOLERANCE,
                                     arrays["arrival_days"][r]):  # type: ignore[index]
                one = draw_run(c, seq, kernels)  # a lead time is not finite: check_draws names it
        else:
            one = draw_run(c, seq) if kernels is None else draw_run(c, seq, kernels)
        # A run's draws seen as a batch of one (no copy).
        check_draws(c, DrawBatch(*(None if getattr(one, f) is None else getattr(one, f)[None] for f in _DRAW_FIELDS)),
                    [seq])
        for name in _DRAW_FIELDS:
            value = getattr(one, name)
            if value is None:
                continue
            if name == "lead_time" and arrival_days:
                if arrays["arrival_days"] is None:
                    # (T, R, L) in memory, seen as (R, T, L).
                    block = _reused("days", (c.n_days, n, c.n_lanes), _days_dtype(c))
                    arrays["arrival_days"] = block.transpose(1, 0, 2)
                _arrival_days(c, value, arrays["arrival_days"][r], kernels)  # type: ignore[index]
                continue
            if arrays[name] is None:
                # (T, n, R) in memory, seen as (R, T, n): the layout of _runs_last.
                arrays[name] = np.empty(value.shape + (n,), dtype=value.dtype).transpose(2, 0, 1)
            arrays[name][r] = value  # type: ignore[index]
    return DrawBatch(**arrays)


def _initial_state(c: Compiled, n_runs: int) -> rules.State:
    state = rules.initial_state(c, n_runs)
    for name in ("stock", "transit_lane", "transit_buyer", "backlog", "wip_ring", "wip", "owed", "throughput",
                 "diverted", "seek_day"):
        if getattr(state, name) is not None:
            setattr(state, name, _runs_last(getattr(state, name)))
    return state


def simulate_runs(c: Compiled, draws: DrawBatch, n_runs: int, sink: Sink,
                  kernels: SimpleNamespace | None = None) -> rules.State:
    """Advance ``n_runs`` runs over the horizon, handing each day's values to ``sink``.

    Parameters
    ----------
    c : Compiled
        The compiled scenario.
    draws : DrawBatch
        The runs' random inputs, arrays ``(R, T, n)`` or ``None``.
    n_runs : int
        ``R``, the number of runs in this chunk.
    sink : Sink
        Receives ``put(t, production=(R, F), inventory=(R, S), flow=(R, L),
        arrivals=(R, L), in_transit=(R, L), demand=(R, D) or (D,),
        delivered=(R, D), unmet=(R, D), served_on_day=(R, D))`` once per day; the arrays are reused,
        so a sink copies what it keeps.
    kernels : module, optional
        The compiled loops of `.jit` for the ring of goods in transit
        (the same bits); ``None``: NumPy.

    Returns
    -------
    State
        The state at the end of the horizon.
    """
    state = _initial_state(c, n_runs)
    ring = _Ring(c, n_runs, _ring_width(c, draws), kernels)
    demand_shape = (n_runs, c.n_demands)
    # With the compiled loops, emptying the day's slot also takes the goods out of transit and sums them per
    # buyer (the same bits as rules.arrive does them, one pass instead of three).
    fused = kernels is not None and state.transit_lane.flags.f_contiguous and _lane_order_sums(c)
    lane_buyer = np.array(c.lane_buyer, dtype=np.intp)  # a writable copy: the compiled loop takes one array type
    # With the compiled loops, shipping's passes over the lanes are fused, and its last one also puts the day's
    # shipments into the ring (the same bits).
    loops = _ShipLoops(c, kernels, ring) if fused and _lane_order_sums(c, "origin") else None
    split = None if kernels is None else _OrderLoops(c, kernels, n_runs)
    making = None if kernels is None else _ProduceLoops(c, kernels, n_runs)
    for t in range(c.n_days):
        if fused:
            arrived, by_buyer = ring.take_arriving(t, state.transit_lane, lane_buyer, c.n_buyers)
            rules.arrive(c, state, arrived, by_buyer)
        else:
            arrived = ring.take(t)
            rules.arrive(c, state, arrived)
        inp = prices.apply(c, state, day_inputs(c, draws, t), kernels)
        production = rules.produce(c, state, inp.capacity, making, inp.share)
        delivered, unmet, served = rules.serve_demand(c, state, np.broadcast_to(inp.demand, demand_shape))
        orders = rules.place_orders(c, state, inp.share, inp.allow, inp.order_factor, split)
        orders = licences.apply(c, state, orders, inp.licence_approved, inp.licence_delay, inp.licence_p)
        if loops is not None:
            loops.days, loops.t, loops.put = inp.arrival_days, t, False
        shipped = rules.ship(c, state, orders, loops)
        if loops is not None and loops.put:
            pass  # put in transit by the fused loop
        elif inp.arrival_days is None:
            ring.put(t, shipped, rules.arrival_days(inp.lead_time))
        else:  # whole days capped at the horizon, and the ring is as wide as their longest (_ring_width)
            ring.put(t, shipped, inp.arrival_days, fits=True)
        # Order books, quoted lead times and the like only for sinks that keep them (not summaries).
        extra = rules.records(c, state, inp.lead_time) if sink.records else {}
        if not sink.records and state.prices is not None:
            # Summaries keep the price index band (the price series only, not the order books).
            extra = {"price": prices.stock_prices(c, state.prices)}
        sink.put(t, production=production, inventory=state.stock[:, :-1], flow=shipped, arrivals=arrived,
                 in_transit=state.transit_lane, demand=inp.demand, delivered=delivered, unmet=unmet,
                 served_on_day=served, **extra)
    _keep("ring", ring.buf)
    return state


@overload
def run_vector(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
               keep: Literal["series"] = ..., work: int | None = ...) -> dict[str, np.ndarray]: ...


@overload
def run_vector(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
               keep: Literal["summary"], work: int | None = ...) -> SummaryPart: ...


def run_vector(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
               keep: Literal["series", "summary"] = "series",
               work: int | None = None) -> dict[str, np.ndarray] | SummaryPart:
    """Run one chunk of runs together, one replication per seed sequence.

    Parameters
    ----------
    c : Compiled
        The compiled scenario.
    seqs : sequence of SeedSequence
        One per run (`run_seed_sequences`).
    keep : {"series", "summary"}
        ``"series"``: daily series ``{name: (R, T, n)}``. ``"summary"``: a
        `SummaryPart`, accumulated day by
        day (no daily series is held).
    work : int, optional
        Lane-run-days (lanes x runs x days) of the whole ensemble this chunk
        belongs to, which decides whether to load the optional compiled loops
        (`.jit`); default: this chunk's. Results are the same bits either way.

    Raises
    ------
    SupplyChainError
        If an input, a draw or the state is not finite (`.finite`).

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.engines.draws import run_seed_sequences
    >>> c = compile_scenario(synthetic_scenario(10, horizon_days=20))
    >>> run_vector(c, run_seed_sequences(0, 3))["production"].shape
    (3, 20, 10)
    >>> run_vector(c, run_seed_sequences(0, 3), keep="summary").demand.shape == (3, c.n_demands)
    True
    """
    check_inputs(c)
    sink: Recorder | SummarySink = Recorder(c, len(seqs)) if keep == "series" else SummarySink(c, len(seqs))
    # The compiled loops take uint8 or int16 landing days (every horizon the scenario checks allows).
    if work is None:
        work = len(seqs) * c.n_days * c.n_lanes
    kernels = compiled_loops_for(c, work)
    draws = draw_batch(c, seqs, arrival_days=not sink.records, kernels=kernels)
    check_state(c, simulate_runs(c, draws, len(seqs), sink, kernels), seqs)
    if draws.arrival_days is not None:
        _keep("days", draws.arrival_days.base if draws.arrival_days.base is not None else draws.arrival_days)
    return sink.result()
