"""Steady-state flows of a network with no shock.

Final demand is propagated upstream: a buyer's daily usage of a commodity is
split over its incoming lanes by normalised share, a facility produces the sum
of its outgoing flows, and its input usage is production times the recipe.
These flows size the days-of-cover targets and pre-fill the pipeline so that a
baseline run starts (and stays) in steady state.

Implements docs/model.md §4.1 (steady-state).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model.network import Network

__all__ = ["SteadyState", "steady_state"]


@dataclass(frozen=True, slots=True)
class SteadyState:
    """Baseline daily rates keyed by id."""

    production: dict[str, float]                 # facility -> units/day
    usage: dict[tuple[str, str], float]          # (node, commodity) -> units/day drawn from stock
    flow: dict[str, float]                       # lane id -> units/day


def _topological_buyers(network: Network) -> list[str]:
    """Facilities ordered from most downstream to most upstream."""
    succ: dict[str, list[str]] = defaultdict(list)
    for lane in network.lanes:
        succ[lane.origin].append(lane.destination)
    order: list[str] = []
    seen: set[str] = set()

    def visit(node: str) -> None:
        stack = [(node, iter(succ.get(node, ())))]
        seen.add(node)
        while stack:
            current, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                order.append(current)
                stack.pop()
            elif nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, iter(succ.get(nxt, ()))))

    for f in network.facilities:
        if f.id not in seen:
            visit(f.id)
    # Post-order puts a node after everything downstream of it.
    facility_ids = {f.id for f in network.facilities}
    return [n for n in order if n in facility_ids]


def steady_state(network: Network) -> SteadyState:
    """Compute the baseline production, stock usage and lane flows.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> ss = steady_state(load_baseline().network)
    >>> all(v >= 0 for v in ss.flow.values())
    True
    """
    incoming: dict[tuple[str, str], list] = defaultdict(list)
    outgoing: dict[str, list] = defaultdict(list)
    for lane in network.lanes:
        incoming[(lane.destination, lane.commodity)].append(lane)
        outgoing[lane.origin].append(lane)
    usage: dict[tuple[str, str], float] = {}
    flow: dict[str, float] = {}
    production: dict[str, float] = {}

    def split(node: str, commodity: str, rate: float) -> None:
        usage[(node, commodity)] = rate
        lanes = incoming.get((node, commodity), [])
        total = sum(l.share for l in lanes)
        for lane in lanes:
            w = lane.share / total if total > 0 else 1.0 / len(lanes)
            flow[lane.id] = rate * w

    for d in network.demands:
        split(d.id, d.commodity, d.rate_per_day)
    facilities = {f.id: f for f in network.facilities}
    for fid in _topological_buyers(network):
        f = facilities[fid]
        rate = sum(flow.get(l.id, 0.0) for l in outgoing.get(fid, []))
        production[fid] = rate
        usage[(fid, f.output)] = rate
        for commodity, ratio in f.recipe:
            split(fid, commodity, rate * ratio)
    return SteadyState(production=production, usage=usage, flow=flow)
