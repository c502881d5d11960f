"""Synthetic supply networks of any size, for benchmarks, scaling studies and tests.

The generated networks look like the built-in baseline (six regions, tiers
from mines to final markets, several suppliers per input) but are random
and can have from a handful to thousands of facilities. They are valid
`Network` objects, so every engine runs them.
"""

from __future__ import annotations

import numpy as np

from ..model.dists import Distribution, Fixed, LogNormal, Normal
from ..model.network import Commodity, Demand, Facility, Lane, Network, Region
from ..model.policies import DaysOfCover
from ..model.scenario import Scenario

__all__ = ["synthetic_network", "synthetic_scenario", "REGIONS", "TIERS"]

REGIONS = ("JP", "KR", "US", "CN", "TW", "ROW")
#: Stage of each tier, upstream first; the last tier sells to final demand.
TIERS = ("mine", "refinery", "material", "component", "assembly")


def _tier_sizes(n_facilities: int) -> list[int]:
    """Facilities per tier: roughly equal, at least one each."""
    n_tiers = len(TIERS)
    base = [max(1, n_facilities // n_tiers)] * n_tiers
    for i in range(max(0, n_facilities - sum(base))):
        base[i % n_tiers] += 1
    while sum(base) > n_facilities and max(base) > 1:
        base[base.index(max(base))] -= 1
    return base


def _lead_time(rng: np.random.Generator, origin: str, dest: str, stochastic: bool) -> Distribution:
    days = float(rng.integers(1, 4) if origin == dest else rng.integers(5, 40))
    return LogNormal(days, 0.25 * days) if stochastic else Fixed(days)


def synthetic_network(n_facilities: int, seed: int = 0, *, stochastic: bool = False,
                      cover_days: float = 30.0) -> Network:
    """A random tiered network with ``n_facilities`` facilities.

    Parameters
    ----------
    n_facilities : int
        Number of facilities (at least 5: one per tier).
    seed : int
        Seed of the generator; the same seed gives the same network.
    stochastic : bool
        If true, lead times are log-normal and demand has normal noise;
        otherwise everything is deterministic.
    cover_days : float
        Days of cover every stock holds (small values make shocks bite).

    Returns
    -------
    Network
        Five tiers of about ``n_facilities / 5`` facilities, a commodity per
        four facilities of a tier, up to three suppliers per input, and one
        demand per region and final commodity.

    Examples
    --------
    >>> net = synthetic_network(20, seed=1)
    >>> len(net.facilities), len(net.regions)
    (20, 6)
    """
    rng = np.random.default_rng(seed)
    sizes = _tier_sizes(max(int(n_facilities), len(TIERS)))
    # Commodities per tier grow slowly with size, so each has several producers.
    goods = [[f"{stage}{k}" for k in range(max(1, n // 4))] for stage, n in zip(TIERS, sizes)]
    facilities: list[Facility] = []
    by_output: dict[str, list[Facility]] = {}
    for tier, (stage, n) in enumerate(zip(TIERS, sizes)):
        for i in range(n):
            output = goods[tier][i % len(goods[tier])]
            recipe = {} if tier == 0 else {
                c: float(rng.uniform(0.5, 2.0))
                for c in rng.choice(goods[tier - 1], size=min(2, len(goods[tier - 1])), replace=False)}
            region = REGIONS[int(rng.integers(len(REGIONS)))]
            f = Facility(f"{region}.{stage}.{tier}_{i}", region=region, stage=stage, output=output,
                         capacity_per_day=1.0, recipe=recipe)
            facilities.append(f)
            by_output.setdefault(output, []).append(f)
    lanes = _lanes(rng, facilities, by_output, stochastic)
    demands = _demands(rng, goods[-1], stochastic, cover_days)
    lanes += _market_lanes(rng, demands, by_output, stochastic)
    facilities = _size_capacities(facilities, lanes, demands, cover_days)
    return Network(regions=tuple(Region(r) for r in REGIONS),
                   commodities=tuple(Commodity(c, "t", float(rng.uniform(10, 1000)))
                                     for tier in goods for c in tier),
                   facilities=tuple(facilities), lanes=tuple(lanes), demands=tuple(demands))


def _lanes(rng: np.random.Generator, facilities: list[Facility], by_output: dict[str, list[Facility]],
           stochastic: bool) -> list[Lane]:
    lanes: dict[str, Lane] = {}
    for f in facilities:
        for c in f.inputs:
            sellers = by_output[c]
            for s in rng.choice(len(sellers), size=min(3, len(sellers)), replace=False):
                o = sellers[int(s)]
                lanes[f"{o.id}>{f.id}"] = Lane(o.id, f.id, c, _lead_time(rng, o.region, f.region, stochastic),
                                              share=float(rng.uniform(0.2, 1.0)))
    return list(lanes.values())


def _demands(rng: np.random.Generator, finals: list[str], stochastic: bool, cover_days: float) -> list[Demand]:
    noise = Normal(1.0, 0.1, low=0.0) if stochastic else None
    return [Demand(f"{r}.{c}", region=r, commodity=c, rate_per_day=float(rng.uniform(10, 100)), noise=noise,
                   policy=DaysOfCover(cover_days)) for r in REGIONS for c in finals]


def _market_lanes(rng: np.random.Generator, demands: list[Demand], by_output: dict[str, list[Facility]],
                  stochastic: bool) -> list[Lane]:
    lanes = []
    for d in demands:
        sellers = by_output[d.commodity]
        for s in rng.choice(len(sellers), size=min(2, len(sellers)), replace=False):
            o = sellers[int(s)]
            lanes.append(Lane(o.id, d.id, d.commodity, _lead_time(rng, o.region, d.region, stochastic),
                              share=float(rng.uniform(0.2, 1.0))))
    return lanes


def _size_capacities(facilities: list[Facility], lanes: list[Lane], demands: list[Demand],
                     cover_days: float) -> list[Facility]:
    """Give each facility 20 % headroom over its steady production (1 if it sells nothing)."""
    from ..compile.steady import steady_state
    net = Network(regions=tuple(Region(r) for r in REGIONS),
                  commodities=tuple(Commodity(c, "t", 1.0) for c in
                                    {f.output for f in facilities} | {c for f in facilities for c in f.inputs}),
                  facilities=tuple(facilities), lanes=tuple(lanes), demands=tuple(demands))
    production = steady_state(net).production
    return [Facility(f.id, f.region, f.stage, f.output, capacity_per_day=1.2 * production.get(f.id, 0.0) or 1.0,
                     recipe=dict(f.recipe), default_cover_days=cover_days) for f in facilities]


def synthetic_scenario(n_facilities: int, seed: int = 0, *, horizon_days: int = 365,
                       stochastic: bool = False, cover_days: float = 30.0) -> Scenario:
    """A `Scenario` on `synthetic_network` with no shock.

    Examples
    --------
    >>> synthetic_scenario(10, horizon_days=30).horizon_days
    30
    """
    return Scenario(synthetic_network(n_facilities, seed, stochastic=stochastic, cover_days=cover_days),
                    horizon_days=horizon_days, name=f"synthetic_{n_facilities}")
