"""The SimPy discrete-event engine: the readable reference.

Time advances by SimPy events. A daily review process (normal priority)
applies the rules of :mod:`.kernel` at each whole day; every shipment is an
event scheduled at its continuous arrival time (urgent priority, so goods due
at a whole day land before that day's review). Goods that land between two
reviews wait at the buyer's dock and join its stock at the next review, the
first moment anyone can use them. Shipments due at the same instant share one
event. Runs are independent and use their own seed
sequence, so run ``r`` is identical whether simulated alone or in a batch.

:func:`run_des` runs one chunk of runs, one after the other. With
``keep="series"`` each run records into its row of the chunk's series; with
``keep="summary"`` a run keeps only its own demand and delivered and is
summarised when it ends, so no ``(runs, days, items)`` series is ever held.

Implements docs/model.md §10 (conformance): the SimPy engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

import numpy as np
import simpy
from simpy.core import URGENT

from ..compile.compiler import Compiled
from . import kernel as rules
from . import licences, prices
from .day import day_inputs, stack_draws
from .draws import draw_run
from .finite import check_draws, check_inputs, check_state
from .record import Recorder, Sink
from .summary import SummaryPart, SummarySink

__all__ = ["run_des"]


class _Arrival(simpy.events.Event):
    """Goods landing at a buyer: an already-succeeded event fired at ``delay`` with urgent priority."""

    def __init__(self, env: simpy.Environment, delay: float) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        self.parts: list[tuple[np.ndarray, np.ndarray]] = []  # (lane indices, units), lanes unique per part
        self.key = 0.0
        env.schedule(self, URGENT, delay)


class _Run:
    """One replication: SimPy environment and state, handing each day to ``sink`` (one run)."""

    def __init__(self, c: Compiled, seq: np.random.SeedSequence, sink: Sink) -> None:
        self.c = c
        self.seq = seq
        self.env = simpy.Environment()
        self.state = rules.initial_state(c, 1)
        self.draws = stack_draws([draw_run(c, seq)])
        check_draws(c, self.draws, [seq])
        self.sink = sink
        self.pending: dict[float, _Arrival] = {}
        self.dock = np.zeros((1, c.n_lanes))  # landed since the last review, per lane
        for day, goods in enumerate(c.initial_arrivals):
            lanes = np.flatnonzero(goods)
            if len(lanes):
                self._schedule(float(day), lanes, goods[lanes].copy())
        self.env.process(self._review())

    def _schedule(self, at: float, lanes: np.ndarray, units: np.ndarray) -> None:
        event = self.pending.get(at)
        if event is None:
            event = _Arrival(self.env, at - self.env.now)
            event.key = at
            event.callbacks.append(self._land)
            self.pending[at] = event
        event.parts.append((lanes, units))

    def _land(self, event: simpy.events.Event) -> None:
        assert isinstance(event, _Arrival)
        del self.pending[event.key]
        dock = self.dock[0]
        for lanes, units in event.parts:
            if len(lanes) == 1:  # the common case with random lead times; scalar indexing is much cheaper
                dock[lanes[0]] += units[0]
            else:
                dock[lanes] += units

    def _review(self):  # type: ignore[no-untyped-def]
        c, s = self.c, self.state
        for t in range(c.n_days):
            rules.arrive(c, s, self.dock)
            inp = prices.apply(c, s, day_inputs(c, self.draws, t))
            production = rules.produce(c, s, inp.capacity)
            delivered, unmet, served = rules.serve_demand(c, s, inp.demand.reshape(1, c.n_demands))
            orders = rules.place_orders(c, s, inp.share, inp.allow, inp.order_factor)
            orders = licences.apply(c, s, orders, inp.licence_approved, inp.licence_delay, inp.licence_p)
            shipped = rules.ship(c, s, orders)
            self._dispatch(t, shipped[0], inp.lead_time.reshape(c.n_lanes))
            self.sink.put(t, production=production, inventory=s.stock[:, :-1], flow=shipped,
                          arrivals=self.dock, in_transit=s.transit_lane, demand=inp.demand,
                          delivered=delivered, unmet=unmet, served_on_day=served,
                          **rules.records(c, s, inp.lead_time))
            # Goods landing before the next review wait at the dock (no event fires within a review).
            self.dock[:] = 0.0
            yield self.env.timeout(1)

    def _dispatch(self, t: int, shipped: np.ndarray, lead: np.ndarray) -> None:
        moving = np.flatnonzero(shipped > 0)
        if not len(moving):
            return
        days = t + rules.arrival_days(lead[moving])
        # The event time is the continuous arrival, kept inside the day the goods count for.
        times = np.minimum(np.maximum(t + lead[moving], days - 1 + 1e-6), days)
        order = np.argsort(times, kind="stable")
        times, moving, days = times[order], moving[order], days[order]
        cuts = (np.flatnonzero(times[1:] != times[:-1]) + 1).tolist()
        bounds = [0, *cuts, len(times)]
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            sel = moving[lo:hi]
            self._schedule(float(times[lo]), sel, shipped[sel])

    def run(self) -> None:
        self.env.run(until=self.c.n_days)
        # Goods still in transit at the horizon never land. Events and the environment refer to
        # each other, so drop their goods and callbacks now rather than at the next garbage collection.
        for event in self.pending.values():
            event.parts.clear()
            event.callbacks.clear()
        self.pending.clear()
        check_state(self.c, self.state, [self.seq])


@overload
def run_des(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
            keep: Literal["series"] = ...) -> dict[str, np.ndarray]: ...


@overload
def run_des(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
            keep: Literal["summary"]) -> SummaryPart: ...


def run_des(c: Compiled, seqs: Sequence[np.random.SeedSequence], *,
            keep: Literal["series", "summary"] = "series") -> dict[str, np.ndarray] | SummaryPart:
    """Run one chunk of SimPy replications, one per seed sequence, one after the other.

    Parameters
    ----------
    c : Compiled
        The compiled scenario.
    seqs : sequence of SeedSequence
        One per run (:func:`~supplychain.engines.draws.run_seed_sequences`).
    keep : {"series", "summary"}
        ``"series"``: daily series ``{name: (R, T, n)}``. ``"summary"``: a
        :class:`~supplychain.engines.summary.SummaryPart`, accumulated day by
        day (no daily series is held).

    Raises
    ------
    SupplyChainError
        If an input, a draw or the state is not finite (:mod:`.finite`).

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.engines.draws import run_seed_sequences
    >>> c = compile_scenario(synthetic_scenario(10, horizon_days=20))
    >>> run_des(c, run_seed_sequences(0, 2))["flow"].shape == (2, 20, c.n_lanes)
    True
    """
    check_inputs(c)
    if keep == "series":
        series = Recorder(c, len(seqs))
        for r, seq in enumerate(seqs):
            _Run(c, seq, series.row(r)).run()
        return series.result()
    summary = SummarySink(c, len(seqs))
    for r, seq in enumerate(seqs):
        # One run's demand and delivered, (1, T, D), summarised when the run ends.
        days = Recorder(c, 1, only=("demand", "delivered", "unmet", "served_on_day", "flow", "price"))
        _Run(c, seq, days).run()
        summary.row(r).put_horizon(days.arrays["demand"], days.arrays["delivered"], days.arrays["unmet"],
                                   days.arrays["served_on_day"], days.arrays["flow"], days.arrays["price"])
    return summary.result()
