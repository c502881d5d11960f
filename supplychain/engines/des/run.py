"""One replication as a SimPy simulation: the state, the events and the day's reviews.

Time is SimPy's clock, in days. Three kinds of event move the state between
reviews:

* **Arrivals.** Every shipment is a tuple ``(lane, units)`` in the arrival
  event of the day it lands (one SimPy event per landing day, created when
  the first shipment for that day leaves, urgent so it fires before that
  day's review). At the event the goods leave the pipeline and join the
  buyer's stock: they are usable from that day's review on (docs/model.md
  §4.2, §5.2).
* **Shocks.** What shocks do to capacities, demand, allowances, lead times,
  shares and targets is compiled into daily schedules; each day on which
  one of them changes is an event that sets the new values (a shock starts,
  ramps or ends).
* **The daily review** (one process, waking every day at normal priority):
  every item acts in the order of docs/model.md §5.1: stock events, each
  facility's production, each demand, each buyer's review and orders, the
  licence office, each supplier's shipments, quotas, then the day's record.
  Within a phase every item reads the values left by the previous phases,
  so the items of one phase act simultaneously.

Work in progress is a queue of the lots of each facility's line
(`.production`); licence applications wait in a calendar of decision
days (`.trade`).

Implements docs/model.md §5 (day) and §10 (conformance): the SimPy engine.
"""

from __future__ import annotations

from collections import deque
from itertools import chain
from typing import Any

import numpy as np
import simpy
from simpy.core import URGENT

from ...compile.compiler import Compiled
from ...compile.leadtime import lead_days
from ..draws import RunDraws
from .layout import Layout
from .designs import Designs
from .ordering import (any_restart, cancel_allowance, cancel_late, expect_waits, out_of_reach, outlook, review,
                       supplier_waits)
from .prices import Prices
from .production import produce
from .scrap import Scrap
from .shipping import offer, settle
from .stock_events import stock_events
from .trade import LicenceOffice, apply_quotas

__all__ = ["Run", "SCHEDULED"]

#: Compiled daily schedules an event may change (docs/model.md §4.6).
SCHEDULED = ("capacity_factor", "demand_factor", "lane_allow", "lead_factor", "lead_extra", "share",
             "order_factor", "target_extra", "tariff")


class Run:
    """The state of one run and the SimPy processes that advance it (docs/model.md §3)."""

    def __init__(self, c: Compiled, layout: Layout, draws: RunDraws, only: tuple[str, ...] | None = None) -> None:
        self.c, self.layout, self.draws = c, layout, draws
        self.only = only  # the recorded variables kept (None: all)
        lay = layout
        extras = c.schedules.extras
        T = c.n_days
        self.env = simpy.Environment()
        # Stocks, pipeline and order books.
        self.stock: list[float] = c.initial_stock.tolist()
        self.transit: list[float] = c.initial_arrivals.sum(axis=0).tolist() if lay.n_lanes else []
        self.owed = [0.0] * lay.n_lanes
        self.orders = [0.0] * lay.n_lanes
        self.backlog = [0.0] * lay.n_demands
        # Backorders with a patience (§5.5): cumulative demand, and its values on the last P days (oldest first).
        self.cum_demand = [0.0] * lay.n_demands
        self.past_cum = [deque(maxlen=p) if p else None for p in lay.backorder_days]
        self.arrived = [0.0] * lay.n_lanes
        # Facilities: work in progress (a queue of lots, the first due today), throughput, restarts.
        self.wip = [deque([lay.wip_fill[f]] * k) for f, k in enumerate(lay.cycle)]
        self.wip_total = c.initial_wip.astype(float).tolist()
        self.stalled = [0.0] * lay.n_facilities
        self.asked = [float("inf")] * lay.n_facilities
        self.down = [0.0] * lay.n_facilities           # days in a row without capacity (§5.4.2)
        self.back = [float("-inf")] * lay.n_facilities  # first day back from the last cold stop
        self.throughput = list(lay.normal_rate)
        self.recent = list(lay.lane_flow)       # each lane's record of recent shipments (allocation "recent", §5.7)
        self.capacity_today = [0.0] * lay.n_facilities
        self.usable = [0.0] * lay.n_facilities   # the day's capacity after the restart limit (§5.4.1)
        self.expected = [0.0] * lay.n_lanes      # smoothed quoted wait buyers plan with (§5.6.5)
        # Sourcing: diverted fractions, applied shares, first day each buyer sought alternates.
        self.diverted = [0.0] * lay.n_lanes
        self.applied: list[float] = []
        self.seek_day = [float("inf")] * lay.n_buyers
        self.locked = [0.0] * lay.n_lanes        # locked volume left unplaced the day before (§5.6.6)
        self.designs = Designs.of(c)             # design-specific stocks of locked lanes (§5.6.6), if any
        self.scrap = Scrap.of(c)                 # facilities that recover more new scrap when short (§5.4.3), if any
        # Dynamic shock mechanisms.
        self.quotas: list[Any] = extras.get("quotas", [])
        self.quota_left = [0.0] * len(self.quotas)
        self.stockpiles: list[Any] = extras.get("stockpiles", [])
        self.reserve_left = [float(p.reserve) for p in self.stockpiles]
        self.released = [0.0] * lay.n_stocks if self.stockpiles else None
        self.destroy_specs: list[Any] = extras.get("destroy", [])
        self.destroyed = [0.0] * lay.n_stocks if self.destroy_specs else None
        office = None
        if extras.get("licences") or extras.get("leakage"):
            office = LicenceOffice(c, draws.licence_approved, draws.licence_delay, draws.licence_p)
        self.office = office
        self.licence_ok = [1.0] * lay.n_lanes if office is not None else None
        self.prices = Prices(extras["prices"], lay.n_lanes) if extras.get("prices") is not None else None
        self.awaiting = [0.0] * lay.n_lanes if office is not None else None
        # Today's values of the schedules, set by shock events.
        self.now: dict[str, np.ndarray] = {}
        self.restricted: list[int] = []   # lanes whose allowance is below 1 today
        self.records: dict[str, list[list[float]]] = {}
        self._landings: dict[int, list[tuple[int, float]]] = {}
        for day, goods in enumerate(c.initial_arrivals[:T]):
            for l in np.flatnonzero(goods).tolist():
                self._ship(day, l, float(goods[l]))
        for day in self._schedule_changes():
            self._at(day, self._set_schedules)
        self.env.process(self._days())

    # --- events -------------------------------------------------------------------------------

    def _at(self, day: int, action: Any) -> simpy.events.Event:
        """An urgent event at the start of ``day`` (before its review) that calls ``action(event)``."""
        event = simpy.events.Event(self.env)
        event._ok = True
        event._value = day
        event.callbacks.append(action)
        self.env.schedule(event, URGENT, day - self.env.now)
        return event

    def _ship(self, day: int, lane: int, units: float) -> None:
        """Goods on ``lane`` that land on ``day``: a tuple in that day's arrival event."""
        goods = self._landings.get(day)
        if goods is None:
            goods = self._landings[day] = []
            self._at(day, self._land)
        goods.append((lane, units))

    def _dispatch(self, shipped: list[float], landing: list[int], T: int) -> None:
        """The day's shipments enter the pipeline: each joins the arrival event of its landing day.

        Inlines `_ship` (one call per lane and day is most of its cost); goods due after the horizon
        stay in transit.
        """
        landings = self._landings
        for l, units in enumerate(shipped):
            if units > 0:
                day = landing[l]
                if day < T:
                    goods = landings.get(day)
                    if goods is None:
                        goods = landings[day] = []
                        self._at(day, self._land)
                    goods.append((l, units))

    def _land(self, event: simpy.events.Event) -> None:
        """Arrival event: the day's shipments leave the pipeline and join their buyers' stocks."""
        goods = self._landings.pop(event.value)
        dst, stock, transit, arrived = self.layout.lane_dst, self.stock, self.transit, self.arrived
        for lane, units in goods:
            stock[dst[lane]] += units
            transit[lane] -= units
            arrived[lane] += units
        if self.designs is not None:
            self.designs.land(goods)

    def _schedule_changes(self) -> list[int]:
        """Days on which some schedule differs from the day before (day 0 always)."""
        days = {0}
        for name in SCHEDULED:
            arr = getattr(self.c.schedules, name)
            if arr.shape[0] > 1:
                days.update((np.flatnonzero((arr[1:] != arr[:-1]).any(axis=1)) + 1).tolist())
        return sorted(days)

    def _set_schedules(self, event: simpy.events.Event) -> None:
        """Shock event: the schedules' values from its day on (docs/model.md §4.6)."""
        day = event.value
        sch, c = self.c.schedules, self.c
        now = self.now
        for name in SCHEDULED:
            now[name] = sch.day(name, day)
        now["capacity"] = c.capacity * now["capacity_factor"]
        now["demand"] = c.demand_rate * now["demand_factor"]
        self.share_today = now["share"].tolist()
        self.allow_today = now["lane_allow"].tolist()
        self.restricted = [l for l, a in enumerate(self.allow_today) if a != 1.0]
        self.order_factor_today = now["order_factor"].tolist()
        self.target_extra_today = now["target_extra"].tolist()
        self.tariff_today = sch.day("tariff", day).tolist()

    # --- the day ------------------------------------------------------------------------------

    def _days(self):  # type: ignore[no-untyped-def]
        """The daily review: the phases of docs/model.md §5.1 in order, then wait for the next day."""
        c, lay, draws = self.c, self.layout, self.draws
        T = c.n_days
        self.applied = list(self.share_today)
        shipped = [0.0] * lay.n_lanes
        no_arrivals = [0.0] * lay.n_lanes
        for t in range(T):
            # The day's inputs: capacity after shocks and outages, demand, transport lead times.
            capacity = self.now["capacity"] if draws.outage is None else self.now["capacity"] * draws.outage[t]
            self.capacity_today = capacity = capacity.tolist()
            demand = self.now["demand"] if draws.demand_noise is None else self.now["demand"] * draws.demand_noise[t]
            demand = demand.tolist()
            base = c.lane_lead_mean if draws.lead_time is None else draws.lead_time[t]
            lead_array = base * self.now["lead_factor"] + self.now["lead_extra"]
            lead = lead_array.tolist()
            landing = (t + lead_days(lead_array)).tolist() if lay.n_lanes else []
            # 1. Arrivals have joined the stocks (events before this review).  1a. Prices.
            share = self.share_today
            if self.prices is not None:
                self.prices.update(self, t, self.tariff_today, demand)
                if self.prices.feedback:
                    demand, share = self.prices.demand(demand), self.prices.share(self, share)
            # 2. Stock events (stock destroyed takes the same fraction of its design-specific stocks).
            designs = self.designs
            if designs is not None:
                designs.today(self, share, t)
            before = list(self.stock) if designs is not None and self.destroy_specs else None
            stock_events(self, t)
            if designs is not None and before is not None:
                designs.scale(before, self.stock)
            if designs is not None and self.released is not None:
                designs.release(self.released)   # a reserve is of the buyers' designs (§6.10)
            # 3. Production.
            production = [produce(self, f, t, capacity[f]) for f in range(lay.n_facilities)]
            # 4. Demand.
            delivered, unmet, served = self._serve(demand)
            # 5. Ordering: the allowance cancels backlog, patience cancels more, then buyers review.
            owed = self.owed
            if designs is not None:
                designs.settle(self.target_extra_today)
            cancel_allowance(self, t)
            waits = late = None
            if any(owed) or any_restart(self, t):
                waits, late = cancel_late(self, t)
            expected = expect_waits(self, waits)
            doubt, licensed = outlook(self, t)
            allow = self.allow_today
            extra, factor = self.target_extra_today, self.order_factor_today
            # A supplier restarting beyond a buyer's horizon: no cover, no new order (§5.6.5, reach).
            far = out_of_reach(self, t, extra)
            if far is not None:
                late = far if late is None else [a or z for a, z in zip(late, far)]
            for b in range(lay.n_buyers):
                review(self, b, t, expected, late, share, allow, extra[b], factor[b], doubt, licensed, far)
            if self.office is not None:
                self.office.act(self, t)
            # 6. Shipping, then quotas, then the books.
            for f in range(lay.n_facilities):
                offer(self, f, shipped)
            if self.quotas:
                apply_quotas(self, t, shipped)
            for f in range(lay.n_facilities):
                settle(self, f, shipped)
            # 7. End of day: shipments enter the pipeline; the day is recorded.
            self._dispatch(shipped, landing, T)
            self._record(t, production, shipped, delivered, unmet, served, demand, lead)
            self.arrived[:] = no_arrivals  # in place: the same list the arrival events add to
            if t + 1 < T:  # the process ends with the last day, so nothing refers to the run after it
                yield self.env.timeout(1)

    def _serve(self, demand: list[float]) -> tuple[list[float], list[float], list[float]]:
        """Phase 4: each consumer stock serves its backlog, then the day's demand (docs/model.md §5.5)."""
        lay, stock, backlog = self.layout, self.stock, self.backlog
        delivered, unmet, served = [], [], []
        for d, s in enumerate(lay.demand_stock):
            wanted = demand[d] + backlog[d]
            have = stock[s]
            give = min(have, wanted)
            if self.designs is not None:
                give = self.designs.serve(s, have, wanted, give)
            served.append(max(give - backlog[d], 0.0))
            stock[s] = have - give
            short = wanted - give
            backlog[d] = short if lay.backorder[d] else 0.0
            past = self.past_cum[d]
            if past is not None:
                # Served oldest first, what is still owed is the latest demand: at most the last P days'.
                self.cum_demand[d] += demand[d]
                oldest = past[0] if len(past) == past.maxlen else 0.0   # A(t - P), 0 before day 0
                past.append(self.cum_demand[d])
                backlog[d] = min(short, self.cum_demand[d] - oldest)
            delivered.append(give)
            unmet.append(short)
        return delivered, unmet, served

    def _record(self, t: int, production: list[float], shipped: list[float], delivered: list[float],
                unmet: list[float], served: list[float], demand: list[float], lead: list[float]) -> None:
        """Append the day's values of every recorded variable kept (docs/model.md §8.1).

        A variable not kept (``only``) is not computed: a summary needs five of them, and the quoted
        lead times and the buyers' stock on order are the costly ones.
        """
        lay, only = self.layout, self.only
        day: dict[str, list[float]] = {}

        def keep(name: str) -> bool:
            return only is None or name in only

        if keep("production"):
            day["production"] = production
        if keep("inventory"):
            day["inventory"] = list(self.stock)
        if keep("flow"):
            day["flow"] = list(shipped)
        if keep("arrivals"):
            day["arrivals"] = list(self.arrived)
        if keep("in_transit"):
            day["in_transit"] = list(self.transit)
        if keep("demand"):
            day["demand"] = demand
        if keep("delivered"):
            day["delivered"] = delivered
        if keep("unmet"):
            day["unmet"] = unmet
        if keep("served_on_day"):
            day["served_on_day"] = served
        if keep("backlog"):
            day["backlog"] = list(self.owed)
        if keep("quoted_lead_time"):
            waits = supplier_waits(self, t)[0]
            # A wait beyond the horizon (no restart in view) is recorded as the horizon: min(w, horizon).
            horizon = float(self.c.n_days)
            day["quoted_lead_time"] = [a + (horizon if horizon < w else w) for a, w in zip(lead, waits)]
        if keep("share"):
            day["share"] = list(self.applied)
        if keep("on_order"):
            on_order = [0.0] * lay.n_stocks
            for b, lanes in enumerate(lay.buyer_lanes):
                value = sum(map(self.transit.__getitem__, lanes)) + sum(map(self.owed.__getitem__, lanes))
                if self.awaiting is not None:
                    value += sum(map(self.awaiting.__getitem__, lanes))
                on_order[lay.buyer_stock[b]] = value
            day["on_order"] = on_order
        if self.prices is not None and keep("price"):
            day["price"] = self.prices.stock_prices()
        if self.released is not None and keep("released"):
            day["released"] = list(self.released)
        if self.destroyed is not None and keep("destroyed"):
            day["destroyed"] = list(self.destroyed)
        if any(lay.cycle) and keep("wip"):
            day["wip"] = list(self.wip_total)
        if self.awaiting is not None and keep("awaiting_licence"):
            day["awaiting_licence"] = list(self.awaiting)
        if self.scrap is not None and keep("recovered"):
            day["recovered"] = list(self.scrap.recovered)
        records = self.records
        for name, values in day.items():
            records.setdefault(name, []).append(values)

    def run(self) -> dict[str, np.ndarray]:
        """Simulate the horizon; returns each recorded variable as a ``(T, n)`` array."""
        T = self.c.n_days
        self.env.run(until=T)
        # Events still pending (goods landing after the horizon) and the environment refer to this run:
        # drop them now rather than at the next garbage collection.
        self._landings.clear()
        self.env._queue.clear()  # the pending events, the day process among them, refer back to the run
        self.env = None  # type: ignore[assignment]
        # A flat iterator of the rows' floats fills the array in half the time np.array takes to
        # discover the nested lists' shape.
        return {name: np.fromiter(chain.from_iterable(rows), dtype=float, count=T * len(rows[0]))
                .reshape(T, len(rows[0])) for name, rows in self.records.items()}
