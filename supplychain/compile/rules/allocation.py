"""Allocation rules of the suppliers: the rule each lane's supplier applies and its buyers' value tiers.

A supplier short of stock serves its lanes by its ``Facility.allocation``
rule (``docs/model.md`` §5.7). ``"auto"`` resolves here, once per scenario:
price rationing (``"value"``) when the scenario's price feedback is on, by
history otherwise. Under ``"recent"`` (turn-and-earn) a lane's history is a
moving record of its recent shipments: `recent_days` gives each lane
the mean age of its supplier's record. Under ``"value"`` a supplier serves its buyers in tiers of
what they bid for a unit, highest first: `lane_values` gives each lane its
buyer's bid (the value of its marginal product with a fixed recipe, net of
the other inputs, Leontief 1941; at least the input's price; at most the
price its market can reach, beyond which buyers are rationed by history as at
a binding price ceiling, Tobin 1952) and `value_ranks` its tier among its
supplier's lanes. The tiers are compiled once and both engines read them.

Implements docs/model.md §5.7 (allocation by value).
"""

from __future__ import annotations

import math

import numpy as np

from ...model.network import ALLOCATIONS, Network
from ...model.prices import price_params

__all__ = ["ALLOCATION_CODE", "VALUE_TOLERANCE", "resolved_rules", "recent_days", "lane_values", "value_ranks"]

#: Integer code of each allocation rule (``SourcingSpec.allocation``).
ALLOCATION_CODE = {name: i for i, name in enumerate(ALLOCATIONS)}

#: Relative tolerance within which two buyers' values per unit are one tier (docs/model.md §5.7).
VALUE_TOLERANCE = 1e-9


def resolved_rules(net: Network, price_feedback: bool) -> np.ndarray:
    """Each facility's allocation code, ``"auto"`` resolved by the scenario's price feedback, (F,) int8.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> net = toy_scenario(3).network
    >>> names = {v: k for k, v in ALLOCATION_CODE.items()}
    >>> [names[int(k)] for k in resolved_rules(net, True)][:1], [names[int(k)] for k in resolved_rules(net, False)][:1]
    (['value'], ['history'])
    """
    auto = ALLOCATION_CODE["value" if price_feedback else "history"]
    return np.array([auto if f.allocation == "auto" else ALLOCATION_CODE[f.allocation] for f in net.facilities],
                    dtype=np.int8)


def recent_days(net: Network, codes: np.ndarray, origin: np.ndarray) -> np.ndarray | None:
    """Mean age in days of each lane's record of recent shipments, (L,); ``inf`` where the rule is not ``"recent"``.

    ``codes`` are the facilities' resolved rules (`resolved_rules`) and
    ``origin`` each lane's supplier. ``None`` when no supplier allocates by
    ``"recent"``: every lane's history is then its steady flow (§5.7).

    Examples
    --------
    >>> from supplychain.model import Commodity, Demand, Facility, Lane, Network, Region
    >>> net = Network(regions=(Region("JP"),), commodities=(Commodity("chip", "kUSD", 1000.0),),
    ...               facilities=(Facility("JP.fab", "JP", "fab", "chip", 10.0, allocation="recent", recent_days=30),),
    ...               lanes=(Lane("JP.fab", "JP.use", "chip", share=1.0),),
    ...               demands=(Demand("JP.use", "JP", "chip", 1.0),))
    >>> recent_days(net, resolved_rules(net, False), np.array([0])).tolist()
    [30.0]
    >>> recent_days(net, np.zeros(1, dtype=np.int8), np.array([0])) is None
    True
    """
    recent = codes == ALLOCATION_CODE["recent"]
    if not recent.any():
        return None
    days = np.array([f.recent_days if r else np.inf for f, r in zip(net.facilities, recent)], dtype=float)
    out: np.ndarray = days[origin] if len(origin) else np.zeros(0)
    return out


def lane_values(net: Network, *, capped: bool = True) -> np.ndarray:
    """What each lane's buyer bids for a unit carried on it, USD, (L,).

    A facility buying input ``k`` with a fixed recipe (Leontief) is willing
    to pay what the unit lets it make net of the other inputs that output
    needs, at reference prices: the value of the marginal product
    ``(p_out - sum_{j != k} a_j p_j) / a_k``. It bids at least the input's
    reference price ``p_k``, which it pays in the steady state (revealed
    preference: a recipe whose inputs cost more than its output at reference
    prices, as the built-in network's new fab capacity charged with the
    year's tools, still buys them at those prices), so never below zero. A
    final demand bids the highest price its market can reach: what is left
    of it after demand destruction at the day's price is, by its demand
    curve, willing to pay that price, and its users are industries whose
    products are worth tens of times the input (a chip, gallium or a magnet
    is a few per cent of a device's or motor's value, docs/model.md §8.3), so
    under a capped price they are rationed with the other buyers over the
    cap, not served last. The plants of one region that make one good are one
    industry and bid as one, the highest of their values: the industry puts
    a unit where it makes most (the built-in network splits a region's fabs
    into the installed base and the year's new capacity, which also uses the
    year's tools). With ``capped`` (the default) a bid is at most the highest
    price the input's market can reach, its price index cap times its
    reference price (`supplychain.model.prices.price_params`): a buyer
    willing to pay more than that is never priced out, so all such buyers
    bid the cap and share one tier (docs/model.md §5.7).

    Examples
    --------
    >>> from supplychain.model import Commodity, Demand, Facility, Lane, Network, Region
    >>> net = Network(regions=(Region("JP"),),
    ...               commodities=(Commodity("ga", "kg", 500.0), Commodity("chip", "kUSD", 1000.0)),
    ...               facilities=(Facility("JP.ref", "JP", "refinery", "ga", 10.0),
    ...                           Facility("JP.fab", "JP", "fab", "chip", 100.0, recipe={"ga": 0.02})),
    ...               lanes=(Lane("JP.ref", "JP.fab", "ga", share=1.0), Lane("JP.ref", "JP.use", "ga", share=1.0),
    ...                      Lane("JP.fab", "JP.chips", "chip", share=1.0)),
    ...               demands=(Demand("JP.use", "JP", "ga", 1.0), Demand("JP.chips", "JP", "chip", 1.0)))
    >>> lane_values(net, capped=False).tolist()   # final uses bid their market's cap, 5 x the price
    [50000.0, 2500.0, 5000.0]
    >>> lane_values(net).tolist()   # the fab would pay 50,000 USD/kg: more than gallium's cap, 5 x 500
    [2500.0, 2500.0, 5000.0]
    """
    price = {c.id: c.price_usd for c in net.commodities}
    cap = {c.id: price_params(c.chain, c.id).cap * c.price_usd for c in net.commodities}
    industry: dict[tuple[str, str, str], float] = {}   # (region, output, input) -> its plants' highest value
    for f in net.facilities:
        recipe = dict(f.recipe)
        for k, a in recipe.items():
            others = math.fsum(b * price[j] for j, b in recipe.items() if j != k)
            value = max(price[k], (price[f.output] - others) / a)
            key = (f.region, f.output, k)
            industry[key] = max(industry.get(key, 0.0), value)
    facilities = {f.id: f for f in net.facilities}
    out = np.empty(len(net.lanes))
    for i, lane in enumerate(net.lanes):
        buyer = facilities.get(lane.destination)
        value = cap[lane.commodity] if buyer is None else industry[(buyer.region, buyer.output, lane.commodity)]
        out[i] = min(value, cap[lane.commodity]) if capped else value
    return out


def value_ranks(values: np.ndarray, origin: np.ndarray, value_rule: np.ndarray) -> np.ndarray:
    """Each lane's value tier among its supplier's lanes, 0 the highest, (L,) int.

    Lanes of one supplier whose values differ by at most ``VALUE_TOLERANCE``
    of the larger share a tier; lanes of a supplier whose rule is not
    ``"value"`` (``value_rule`` False) are all in tier 0.

    Examples
    --------
    >>> value_ranks(np.array([5.0, 50.0, 5.0, 7.0]), np.array([0, 0, 0, 1]), np.array([True, True, True, True])).tolist()
    [1, 0, 1, 0]
    """
    ranks = np.zeros(len(values), dtype=np.int64)
    for f in np.unique(origin):
        lanes = np.flatnonzero((origin == f) & value_rule)
        if not lanes.size:
            continue
        tier, top = -1, np.inf
        for l in lanes[np.argsort(-values[lanes], kind="stable")]:
            if values[l] < top * (1.0 - VALUE_TOLERANCE) or tier < 0:
                tier, top = tier + 1, values[l]
            ranks[l] = tier
    return ranks
