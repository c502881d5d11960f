"""Random facility outages: the process is compiled here, its events are drawn per run.

A `RandomOutage` becomes an `OutageSpec`
kept in ``schedules.extras["outages"]``;
`supplychain.engines.outages.draw_outages` draws one run's outages from
it, so both engines see the same outages for a given seed.

Implements docs/model.md §6.9 (random-outage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..._validation import check_known, fail
from ...model import RandomOutage
from ...model.dists import Distribution
from ...model.network import Network
from ...model.shocks import DAYS_PER_YEAR
from ...model.shocks.disruptions import recovery_days_for
from ..schedules import ScheduleBuilder
from ..select import shock_targets, warn_twins
from .disruptions import facility_chains

__all__ = ["OutageSpec", "random_outage"]


@dataclass(frozen=True, eq=False)
class OutageSpec:
    """One `RandomOutage` with its facilities resolved to indices.

    ``group`` is ``None`` for independent per-facility processes;
    ``recovery_days`` is each facility's linear recovery ramp (chain default resolved).
    """

    facilities: np.ndarray   # (n,) facility indices
    rate_per_day: float
    duration: Distribution
    capacity_lost: float
    first: int               # window [first, stop) in day indices
    stop: int
    group: str | None
    recovery_days: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) linear ramp per facility


def _targets(shock: RandomOutage, network: Network, shocks: tuple = ()) -> np.ndarray:
    """Indices of the facilities ``shock`` selects (validated against the network), as a `CapacityShock`'s
    (`shock_targets`, docs/model.md §6.6); ``shocks`` the scenario's."""
    ids = [f.id for f in network.facilities]
    if shock.facility is not None:
        check_known(shock.facility, ids, "facility", "RandomOutage")
        warn_twins(network.facilities, shocks, shock, "RandomOutage", stacklevel=6)
    hits = np.flatnonzero(shock_targets(network.facilities, shocks, shock, "RandomOutage"))
    if not len(hits):
        raise fail("region/stage", "a selection matching at least one facility",
                   shock.target, "RandomOutage")
    return np.array(hits, dtype=np.intp)


def random_outage(shock: RandomOutage, builder: ScheduleBuilder) -> None:
    """Record the outage process; its effect is drawn per run."""
    first, stop = builder.window(shock)
    facilities = _targets(shock, builder.scenario.network, builder.scenario.shocks)
    chains = facility_chains(builder)
    recovery = np.array([recovery_days_for(shock.recovery_days, chains[f]) for f in facilities])
    spec = OutageSpec(facilities=facilities,
                      rate_per_day=shock.rate_per_year / DAYS_PER_YEAR, duration=shock.duration,
                      capacity_lost=shock.capacity_lost, first=first, stop=stop, group=shock.group,
                      recovery_days=recovery)
    specs: list[OutageSpec] = builder.extras.setdefault("outages", [])
    for other in specs:
        if spec.group is not None and other.group == spec.group and other.rate_per_day != spec.rate_per_day:
            raise fail("rate_per_year", f"the same for every member of group {spec.group!r} "
                       f"({other.rate_per_day * DAYS_PER_YEAR:g})", shock.rate_per_year, "RandomOutage")
    specs.append(spec)
    builder.needs_random = True
