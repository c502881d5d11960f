"""Synthetic networks shared by the benchmarks (peer comparison, LP stress test, scaling).

Everything is built on :func:`supplychain.datasets.synthetic.synthetic_scenario`
(five tiers from mines to final assembly, six regions, up to three suppliers per
input, one final demand per region and final commodity), so the library's
engines, the minimal (s, S) kernel and SupplyNetPy all run the same network:

* :func:`peer_scenario`: the stochastic version the peer benchmark uses: normal
  demand noise (mean 1, sd 0.1, truncated at 0) and log-normal lead times
  (mean 1-3 days inside a region, 5-39 days between regions; sd 25 % of the mean).
* :func:`plain_network`: the same network reduced to flat arrays (the compiled
  stocks, policies, lanes and demands), which the contenders outside the
  library (:mod:`bench_peers`) build from.

Import from a benchmark script (``benchmarks/`` is on ``sys.path`` when a script
in it runs) or with ``sys.path.insert(0, "benchmarks")``::

    from synthetic import peer_scenario, plain_network
    scenario = peer_scenario(1000)            # 1,000 facilities, 365 days, seed 1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from supplychain.compile.compiler import Compiled, compile_scenario
from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.model import Scenario
from supplychain.model.dists import LogNormal, Normal

__all__ = ["SIZES", "peer_scenario", "PlainNetwork", "plain_network"]

#: Facilities of the peer benchmark's networks.
SIZES = (10, 100, 1000)


def peer_scenario(n_facilities: int, seed: int = 1, horizon_days: int = 365) -> Scenario:
    """The random-demand, random-lead-time synthetic network of ``n_facilities`` facilities, no shock."""
    return synthetic_scenario(n_facilities, seed, horizon_days=horizon_days, stochastic=True)


@dataclass(frozen=True)
class PlainNetwork:
    """A compiled synthetic network as flat arrays (indices are 0-based positions).

    Stocks: every facility has one output stock and one stock per input;
    every final demand has a consumer stock. A *buyer* is a stock that
    orders (facilities' input stocks and consumer stocks); each lane carries
    one commodity from a facility's output stock to a buyer.
    """

    n_days: int
    facility_ids: tuple[str, ...]
    capacity: np.ndarray        # (F,) units/day
    prod_trigger: np.ndarray    # (F,) produce when output stock <= this
    prod_target: np.ndarray     # (F,) ... up to this
    recipe_buyer: np.ndarray    # (F, K) buyer index of each input, -1 padding
    recipe_ratio: np.ndarray    # (F, K) input units per output unit (1 for padding)
    output_initial: np.ndarray  # (F,) initial output stock
    buyer_ids: tuple[str, ...]  # "<node>/<commodity>"
    buyer_initial: np.ndarray   # (B,) initial stock
    reorder_point: np.ndarray   # (B,) s
    order_up_to: np.ndarray     # (B,) S
    lane_origin: np.ndarray     # (L,) facility
    lane_buyer: np.ndarray      # (L,) buyer
    lane_share: np.ndarray      # (L,) share of the buyer's orders (sums to 1 per buyer)
    lane_lead_mean: np.ndarray  # (L,) days
    lane_lead_sd: np.ndarray    # (L,) days (log-normal; 0: fixed)
    lane_initial_transit: np.ndarray  # (W, L) pipeline landing on days 0..W-1
    demand_buyer: np.ndarray    # (D,) consumer stock (a buyer)
    demand_rate: np.ndarray     # (D,) units/day
    demand_sd: np.ndarray       # (D,) sd of the multiplicative normal noise (truncated at 0)


def plain_network(scenario: Scenario, c: Compiled | None = None) -> PlainNetwork:
    """Flatten ``scenario`` (compiled as the library compiles it) for engines outside the library."""
    c = compile_scenario(scenario) if c is None else c
    net = scenario.network
    buyer_of_stock = {int(s): b for b, s in enumerate(c.buyer_stock)}
    recipe_buyer = np.array([[buyer_of_stock.get(int(s), -1) for s in row] for row in c.recipe_stock])
    share = np.array([lane.share for lane in net.lanes], dtype=float)
    total = np.bincount(c.lane_buyer, weights=share, minlength=len(c.buyer_stock))
    lead_sd = np.array([lane.lead_time.sd if isinstance(lane.lead_time, LogNormal) else 0.0
                        for lane in net.lanes])
    demand_sd = np.array([d.noise.sd if isinstance(d.noise, Normal) else 0.0 for d in net.demands])
    return PlainNetwork(
        n_days=c.n_days, facility_ids=c.facility_ids, capacity=c.capacity.copy(),
        prod_trigger=c.prod_trigger.copy(), prod_target=c.prod_target.copy(),
        recipe_buyer=recipe_buyer, recipe_ratio=c.recipe_ratio.copy(),
        output_initial=c.initial_stock[c.out_stock].copy(),
        buyer_ids=tuple(f"{c.stock_node[s]}/{c.stock_commodity[s]}" for s in c.buyer_stock),
        buyer_initial=c.initial_stock[c.buyer_stock].copy(),
        reorder_point=np.asarray(c.reorder_point, dtype=float).copy(),
        order_up_to=np.asarray(c.order_up_to, dtype=float).copy(),
        lane_origin=c.lane_origin.copy(), lane_buyer=c.lane_buyer.copy(),
        lane_share=share / total[c.lane_buyer], lane_lead_mean=c.lane_lead_mean.copy(), lane_lead_sd=lead_sd,
        lane_initial_transit=c.initial_arrivals.copy(),
        demand_buyer=np.searchsorted(c.buyer_stock, c.demand_stock), demand_rate=c.demand_rate.copy(),
        demand_sd=demand_sd)
