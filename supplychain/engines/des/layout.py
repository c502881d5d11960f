"""The network of one compiled scenario as plain Python lists: who supplies whom, recipes, levels.

The discrete-event engine works on one run at a time with scalar arithmetic, so it reads the
compiled arrays once into lists (indexing a list is much cheaper than indexing a NumPy array
element by element) and groups lanes by buyer and by supplier.

Implements docs/model.md §2 (network) and §4 (compile): the parameters the rules read.
"""

from __future__ import annotations

import math

import numpy as np

from ...compile.compiler import Compiled
from ...compile.rules.sourcing import ALLOCATION_CODE
from ...model.network import COLD_STOP_DAYS

__all__ = ["Layout", "INPUT_REF_TOLERANCE"]

#: An input whose steady material at the review is at most this part of its buyer's steady inflow sets
#: no limit on the input-supported rate (docs/model.md §5.7).
INPUT_REF_TOLERANCE = 1e-9


class Layout:
    """Static structure of a compiled scenario, shared by every run of a chunk.

    Attributes are lists indexed by facility ``f``, lane ``l``, buyer ``b``,
    demand ``d`` or stock ``s`` (the compiled numbering, docs/model.md §2).
    """

    def __init__(self, c: Compiled) -> None:
        net = c.scenario.network
        self.n_days = c.n_days
        self.n_facilities, self.n_lanes, self.n_buyers = c.n_facilities, c.n_lanes, c.n_buyers
        self.n_demands, self.n_stocks = c.n_demands, c.n_stocks
        # Facilities.
        self.capacity = c.capacity.tolist()
        self.out_stock = c.out_stock.tolist()
        self.target = c.prod_target.tolist()
        self.trigger = c.prod_trigger.tolist()
        self.cycle = c.cycle_time.tolist()
        self.recipe = [[(int(s), float(a)) for s, a in zip(stocks, ratios) if s < c.n_stocks]
                       for stocks, ratios in zip(c.recipe_stock, c.recipe_ratio)]
        self.stocks_of = [sorted({s for s, _ in self.recipe[f]} | {self.out_stock[f]})
                          for f in range(self.n_facilities)]
        steady_prod = [c.steady.production.get(i, 0.0) for i in c.facility_ids]
        self.wip_fill = steady_prod
        chains = {k.id: k.chain for k in net.commodities}
        # Restart of idle capacity (§5.4.1): (steady output, delay, ramp) or None without delay and ramp.
        self.restart: list[tuple[float, float, float] | None] = []
        for f, fac in enumerate(net.facilities):
            delay, ramp = fac.restart(chains.get(fac.output, ""))
            self.restart.append((steady_prod[f], float(delay), max(float(ramp), 1.0))
                                if delay > 0 or ramp > 0 else None)
        # Cold restart after a long stop (§5.4.2): (shortest cold stop, delay, ramp) or None.
        self.cold: list[tuple[float, float, float] | None] = []
        for f, fac in enumerate(net.facilities):
            stop = COLD_STOP_DAYS.get(chains.get(fac.output, ""))
            delay, ramp = fac.restart(chains.get(fac.output, ""))
            self.cold.append((float(stop), float(delay), max(float(ramp), 1.0))
                             if stop is not None and (delay > 0 or ramp > 0) and self.capacity[f] > 0 else None)
        # Days of full output a cold restart withholds from its j-th day back on (§5.7), summed from the end.
        self.withheld: list[list[float]] = []
        for cold in self.cold:
            table: list[float] = []
            if cold is not None:
                _, delay, ramp = cold
                total = 0.0
                for k in range(max(math.ceil(delay + ramp - 1.0), 0), -1, -1):
                    total += 1.0 - min(1.0, max((k - delay + 1.0) / ramp, 0.0))
                    table.append(total)
                table.reverse()
            self.withheld.append(table)
        # Lanes.
        self.lane_origin = c.lane_origin.tolist()
        self.lane_buyer = c.lane_buyer.tolist()
        self.lane_dst = c.lane_dst_stock.tolist()
        self.lane_cap = c.lane_capacity.tolist()
        self.out_lanes: list[list[int]] = [[] for _ in range(self.n_facilities)]
        self.buyer_lanes: list[list[int]] = [[] for _ in range(self.n_buyers)]
        for l, (f, b) in enumerate(zip(self.lane_origin, self.lane_buyer)):
            self.out_lanes[f].append(l)
            self.buyer_lanes[b].append(l)
        steady_flow = [c.steady.flow.get(i, 0.0) for i in c.lane_ids]
        # A supplier's normal rate: its steady flow out (its throughput before day 0, §3).
        self.normal_rate = np.bincount(c.lane_origin, weights=steady_flow, minlength=self.n_facilities).tolist() \
            if self.n_lanes else [0.0] * self.n_facilities
        # Buyers.
        self.buyer_stock = c.buyer_stock.tolist()
        self.reorder = c.reorder_point.tolist()
        self.order_up_to = c.order_up_to.tolist()
        buyer_of_stock = {s: b for b, s in enumerate(self.buyer_stock)}
        self.buyer_demand = [-1] * self.n_buyers
        # Demands.
        self.demand_stock = c.demand_stock.tolist()
        self.backorder = c.demand_backorder.tolist()
        # Days a backorder stays on order (0: until delivered; §5.5).
        self.backorder_days = [int(p) if b else 0 for p, b in zip(c.demand_patience.tolist(), self.backorder)]
        for d, s in enumerate(self.demand_stock):
            self.buyer_demand[buyer_of_stock[s]] = d
        # Sourcing parameters (docs/model.md §5.6.5, §5.6.6, §5.7).
        sp = c.schedules.extras["sourcing"]
        self.incumbent = sp.incumbent.tolist()
        self.qualify_days = sp.qualify_days.tolist()
        self.patience = sp.patience.tolist()
        self.lasting = sp.lasting.tolist()
        self.step = sp.step.tolist()
        # Design lock-in (§5.6.6): locked share of each lane's diverted volume and its porting time.
        self.lock = None if sp.lock is None else sp.lock.tolist()
        self.port_days = None if sp.port_days is None else sp.port_days.tolist()
        self.panic = sp.panic.tolist()
        self.buyer_flow = sp.buyer_flow.tolist()
        self.lead_shift = None if sp.lead_shift is None else sp.lead_shift.tolist()
        self.lead_mean = c.lane_lead_mean.tolist()  # mean transport days, for the reach test (§5.6.5)
        # Input-supported rate (§5.7): each input stock's buyer and steady material at the review,
        # initial stock + pre-filled pipeline - one day of steady inflow (0: the input sets no limit).
        pipeline = c.initial_arrivals.sum(axis=0).tolist() if self.n_lanes else []
        stock0 = c.initial_stock.tolist()
        self.material_ref = [0.0] * self.n_stocks
        for b, s in enumerate(self.buyer_stock):
            into = 0.0
            for l in self.buyer_lanes[b]:
                into += pipeline[l]
            mine = (stock0[s] + into) - self.buyer_flow[b]
            self.material_ref[s] = mine if mine > INPUT_REF_TOLERANCE * self.buyer_flow[b] else 0.0
        self.stock_buyer = [-1] * self.n_stocks
        for b, s in enumerate(self.buyer_stock):
            self.stock_buyer[s] = b
        # Quotes (§5.7): days to the end of a scheduled total loss, the nameplate share a recovering
        # supplier quotes from, the mean duration of random outages; None where the scenario has none.
        self.restart_in = None if sp.restart_in is None else sp.restart_in.tolist()
        self.quote_share = None if sp.quote_share is None else sp.quote_share.tolist()
        self.outage_days = None if sp.outage_days is None else sp.outage_days.tolist()
        names = {code: name for name, code in ALLOCATION_CODE.items()}
        codes = [ALLOCATION_CODE["history"]] * self.n_lanes if sp.allocation is None else sp.allocation.tolist()
        self.allocation = [names[k] for k in codes]
        self.lane_flow = sp.lane_flow.tolist()  # each lane's history in allocation (§5.7)
        # Mean age of each lane's record of recent shipments (allocation "recent"); None: no such lane.
        self.recent_days = None if sp.recent_days is None else sp.recent_days.tolist()
        # Value tier of each lane among its supplier's lanes (0: highest; all 0 without allocation by value).
        self.value_rank = [0] * self.n_lanes if sp.value_rank is None else sp.value_rank.tolist()
        self.n_tiers = sp.n_tiers
        self.by_value = sp.value_rank is not None
        # Each supplier's own number of value tiers: the classes of lower tiers ask it nothing.
        self.out_tiers = [max([self.value_rank[l] for l in lanes]) + 1 if lanes else 0 for lanes in self.out_lanes]
