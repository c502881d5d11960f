"""The vectorised NumPy engine: many runs advanced together, one day at a time.

State is held as arrays with a leading runs axis ``R`` (a chunk of runs):
stocks ``(R, S + 1)``, goods in transit ``(R, L)``, and a ring buffer
``(R, W, L)`` whose slot ``d % W`` holds what lands on day ``d``. Each day
applies the same rules as the SimPy engine (:mod:`._rules`), with ``R`` runs
instead of one, so the loop is over days, never over runs.

Agreement with the SimPy engine
-------------------------------
Both engines draw each run's random inputs from that run's own seed
sequence (:func:`._random.draw_run`) and feed the rules the same day inputs
(:func:`._day.day_inputs`), so they agree run by run, not only in
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

The kernel (:func:`simulate_runs`) is private and pure in spirit: arrays in,
daily values handed to a sink; it validates nothing (that happens in
:func:`supplychain.simulate` and at compile time).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..compile.compiler import Compiled
from . import kernel as rules
from .day import DrawBatch, Recorder, day_inputs, stack_draws
from .draws import draw_run

__all__ = ["run_vector", "simulate_runs", "Sink", "draw_batch"]


class Sink(Protocol):
    """Where the kernel hands each day's values (a :class:`._day.Recorder` or a summary)."""

    def put(self, t: int, **values: np.ndarray) -> None: ...


class _Ring:
    """Goods in transit by landing day: slot ``d % W`` holds what lands on day ``d``.

    Logically ``(R, W, L)``; stored as ``buf[slot, lane, run]`` so that one
    day's slot is a runs-last ``(R, L)`` block (see :func:`_runs_last`).
    """

    def __init__(self, c: Compiled, n_runs: int, width: int) -> None:
        initial = c.initial_arrivals
        self.width = max(width, initial.shape[0] + 1)
        self.buf = np.zeros((self.width, c.n_lanes, n_runs))
        self.buf[: initial.shape[0]] = initial[:, :, None]
        # Flat offset of (run r, lane l) within a slot, laid out like a runs-last (R, L) array.
        self.offset = np.asfortranarray(np.arange(c.n_lanes) * n_runs + np.arange(n_runs)[:, None])
        self.lanes = np.arange(c.n_lanes)

    def landing(self, t: int) -> np.ndarray:
        """What lands on day ``t``, a runs-last (R, L) view; :meth:`clear` it when the day is done.

        No shipment of day ``t`` lands on day ``t`` (lead times are at least
        one day), so the view is not written to before it is cleared.
        """
        return self.buf[t % self.width].T

    def clear(self, t: int) -> None:
        """Empty day ``t``'s slot for reuse by day ``t + W``."""
        self.buf[t % self.width] = 0.0

    def take(self, t: int) -> np.ndarray:
        """Remove and return what lands on day ``t`` (a copy), runs-last (R, L)."""
        landed = self.landing(t).copy(order="F")
        self.clear(t)
        return landed

    def put(self, t: int, shipped: np.ndarray, days: np.ndarray) -> None:
        """Add ``shipped`` (R, L), landing ``days`` (L,) or (R, L) after day ``t``."""
        longest = int(days.max(initial=0))
        if longest >= self.width:
            self._grow(t, longest + 1)
        slots = (t + days) % self.width
        if slots.ndim == 1:
            # One landing day per lane: add whole contiguous rows of runs.
            self.buf[slots, self.lanes] += shipped.T
            return
        flat = self.offset + slots * (self.buf.shape[1] * self.buf.shape[2])
        # ufunc.at is several times faster than fancy-index += (NumPy >= 2); Fortran
        # order walks runs fastest, i.e. through memory in order.
        np.add.at(self.buf.reshape(-1), flat.ravel(order="F"), shipped.ravel(order="F"))

    def _grow(self, t: int, width: int) -> None:
        """Widen the ring (a lead time longer than foreseen), keeping every pending day."""
        old, w = self.buf, self.width
        days = np.arange(t + 1, t + w)
        self.buf = np.zeros((width,) + old.shape[1:])
        self.buf[days % width] = old[days % w]
        self.width = width


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
    sch = c.schedules
    base = c.lane_lead_mean if draws.lead_time is None else draws.lead_time.max(axis=(0, 1))
    longest = base * sch.lead_factor.max(axis=0) + sch.lead_extra.max(axis=0)
    if draws.licence_delay is not None:
        longest = longest + draws.licence_delay.max(axis=(0, 1))
    return int(rules.arrival_days(np.atleast_1d(longest.max())).max()) + 1


def draw_batch(c: Compiled, seqs: Sequence[np.random.SeedSequence]) -> DrawBatch:
    """Every random input of a chunk of runs (one seed sequence per run), stored runs-last."""
    draws = stack_draws([draw_run(c, seq) for seq in seqs])
    arrays = {f.name: _runs_last(getattr(draws, f.name)) for f in dataclasses.fields(draws)
              if isinstance(getattr(draws, f.name), np.ndarray)}
    return dataclasses.replace(draws, **arrays)


def _initial_state(c: Compiled, n_runs: int) -> rules.State:
    state = rules.initial_state(c, n_runs)
    for name in ("stock", "transit_lane", "transit_buyer", "backlog"):
        setattr(state, name, _runs_last(getattr(state, name)))
    return state


def simulate_runs(c: Compiled, draws: DrawBatch, n_runs: int, sink: Sink) -> None:
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
        delivered=(R, D), unmet=(R, D))`` once per day; the arrays are reused,
        so a sink copies what it keeps.
    """
    state = _initial_state(c, n_runs)
    ring = _Ring(c, n_runs, _ring_width(c, draws))
    demand_shape = (n_runs, c.n_demands)
    for t in range(c.n_days):
        arrived = ring.landing(t)
        rules.arrive(c, state, arrived)
        inp = day_inputs(c, draws, t)
        production = rules.produce(c, state, inp.capacity)
        delivered, unmet = rules.serve_demand(c, state, np.broadcast_to(inp.demand, demand_shape))
        orders = rules.place_orders(c, state, inp.share, inp.allow, inp.order_factor)
        shipped = rules.ship(c, state, orders)
        ring.put(t, shipped, rules.arrival_days(inp.lead_time))
        sink.put(t, production=production, inventory=state.stock[:, :-1], flow=shipped, arrivals=arrived,
                 in_transit=state.transit_lane, demand=inp.demand, delivered=delivered, unmet=unmet,
                 **rules.records(state))
        ring.clear(t)


def run_vector(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
               chunk_size: int | None = None) -> dict[str, np.ndarray]:
    """Run one replication per seed sequence in-process; arrays ``(R, T, n)`` per variable.

    Runs are simulated ``chunk_size`` at a time (default: sized for speed);
    the result does not depend on the chunk size. :func:`supplychain.simulate` adds summaries, parallel
    executors and progress on top of this.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.engines.draws import run_seed_sequences
    >>> c = compile_scenario(synthetic_scenario(10, horizon_days=20))
    >>> out = run_vector(c, run_seed_sequences(0, 3))
    >>> out["production"].shape
    (3, 20, 10)
    """
    from ..run.chunks import default_chunk_size
    chunk_size = chunk_size or default_chunk_size(c, len(seqs), "vector", "series")
    parts = []
    for lo in range(0, len(seqs), chunk_size):
        chunk = seqs[lo: lo + chunk_size]
        rec = Recorder(c, len(chunk))
        simulate_runs(c, draw_batch(c, chunk), len(chunk), rec)
        parts.append(rec.arrays)
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
