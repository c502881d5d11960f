"""The SimPy discrete-event engine: the readable reference.

Time advances by SimPy events. A daily review process (normal priority)
applies the rules of :mod:`._rules` at each whole day; every shipment is an
event scheduled at its continuous arrival time (urgent priority, so goods due
at a whole day land before that day's review). Goods that land between two
reviews wait at the buyer's dock and join its stock at the next review, the
first moment anyone can use them. Shipments due at the same instant share one
event. Runs are independent and use their own seed
sequence, so run ``r`` is identical whether simulated alone or in a batch.
"""

from __future__ import annotations

import numpy as np
import simpy
from simpy.core import URGENT

from ..compile.compiler import Compiled
from . import kernel as rules
from .day import Recorder, day_inputs, stack_draws
from .draws import draw_run

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
    """One replication: SimPy environment, state and records."""

    def __init__(self, c: Compiled, seq: np.random.SeedSequence) -> None:
        self.c = c
        self.env = simpy.Environment()
        self.state = rules.initial_state(c, 1)
        self.draws = stack_draws([draw_run(c, seq)])
        self.rec = Recorder(c, 1)
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
            self.rec.arrays["arrivals"][:, t] = self.dock
            self.dock[:] = 0.0
            inp = day_inputs(c, self.draws, t)
            production = rules.produce(c, s, inp.capacity)
            delivered, unmet = rules.serve_demand(c, s, inp.demand.reshape(1, c.n_demands))
            orders = rules.place_orders(c, s, inp.share, inp.allow, inp.order_factor)
            shipped = rules.ship(c, s, orders)
            self._dispatch(t, shipped[0], inp.lead_time.reshape(c.n_lanes))
            self.rec.put(t, production=production, inventory=s.stock[:, :-1], flow=shipped,
                         in_transit=s.transit_lane, demand=inp.demand, delivered=delivered, unmet=unmet,
                         **rules.records(s))
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

    def run(self) -> dict[str, np.ndarray]:
        self.env.run(until=self.c.n_days)
        return self.rec.arrays


def run_des(c: Compiled, seqs: list[np.random.SeedSequence]) -> dict[str, np.ndarray]:
    """Run one SimPy replication per seed sequence; returns arrays (R, T, n) per variable."""
    runs = [_Run(c, seq).run() for seq in seqs]
    return {name: np.concatenate([r[name] for r in runs]) for name in runs[0]}
