"""Random facility outages and licence decisions drawn for one run.

:class:`~supplychain.model.shocks.outages.RandomOutage` shocks are resolved at
compile time (by the schedule rule below) into :class:`OutageSpec` records
kept in ``schedules.extras["outages"]``. :func:`draw_outages` then draws one
run's outages from that run's ``outage`` stream. Both engines call it
through :func:`~supplychain.engines.draws.draw_run`, so they see the same
outages, and so do two scenarios run with one seed when their outage specs
are the same (common random numbers).

Draw order is fixed (processes in scenario order; for each process its
arrival gaps, then each member's durations), so a run's outages depend only
on its seed sequence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_known, fail
from ..model.dists import Distribution
from ..model.network import Network
from ..model.shocks.outages import DAYS_PER_YEAR, RandomOutage
from .compiler import Compiled
from .schedules import ScheduleBuilder, register

__all__ = ["OutageSpec", "draw_outages", "draw_licences", "outage_cover"]


@dataclass(frozen=True, eq=False)
class OutageSpec:
    """One :class:`RandomOutage` with its facilities resolved to indices.

    ``group`` is ``None`` for independent per-facility processes.
    """

    facilities: np.ndarray   # (n,) facility indices
    rate_per_day: float
    duration: Distribution
    capacity_lost: float
    first: int               # window [first, stop) in day indices
    stop: int
    group: str | None


def _targets(shock: RandomOutage, network: Network) -> np.ndarray:
    """Indices of the facilities ``shock`` selects (validated against the network)."""
    ids = [f.id for f in network.facilities]
    if shock.facility is not None:
        check_known(shock.facility, ids, "facility", "RandomOutage")
        return np.array([ids.index(shock.facility)], dtype=np.intp)
    hits = [i for i, f in enumerate(network.facilities)
            if shock.region in (None, f.region) and shock.stage in (None, f.stage)]
    if not hits:
        raise fail("region/stage", "a selection matching at least one facility",
                   shock.target, "RandomOutage")
    return np.array(hits, dtype=np.intp)


@register(RandomOutage)
def _apply_random_outage(shock: RandomOutage, builder: ScheduleBuilder) -> None:
    """Record the outage process; its effect is drawn per run by :func:`draw_outages`."""
    first, stop = builder.window(shock)
    spec = OutageSpec(facilities=_targets(shock, builder.scenario.network),
                      rate_per_day=shock.rate_per_year / DAYS_PER_YEAR, duration=shock.duration,
                      capacity_lost=shock.capacity_lost, first=first, stop=stop, group=shock.group)
    specs: list[OutageSpec] = builder.extras.setdefault("outages", [])
    for other in specs:
        if spec.group is not None and other.group == spec.group and other.rate_per_day != spec.rate_per_day:
            raise fail("rate_per_year", f"the same for every member of group {spec.group!r} "
                       f"({other.rate_per_day * DAYS_PER_YEAR:g})", shock.rate_per_year, "RandomOutage")
    specs.append(spec)
    builder.needs_random = True


def _processes(specs: list[OutageSpec]) -> list[list[OutageSpec]]:
    """Specs grouped into Poisson processes, in the order they first appear."""
    out: list[list[OutageSpec]] = []
    groups: dict[str, list[OutageSpec]] = {}
    for spec in specs:
        if spec.group is None:
            out.append([spec])
        elif spec.group in groups:
            groups[spec.group].append(spec)
        else:
            groups[spec.group] = [spec]
            out.append(groups[spec.group])
    return out


def _arrivals(rng: np.random.Generator, rate: float, first: int, stop: int, n: int) -> list[np.ndarray]:
    """Event times in ``[first, stop)`` of ``n`` independent Poisson processes (exponential gaps)."""
    if rate <= 0 or stop <= first:
        return [np.empty(0) for _ in range(n)]
    span = stop - first
    expected = rate * span
    # Enough gaps for nearly every process in one draw; the rare rest draw more.
    k = int(expected + 6.0 * np.sqrt(expected) + 6)
    times = first + np.cumsum(rng.exponential(1.0 / rate, size=(n, k)), axis=1)
    rows = [times[i] for i in range(n)]
    for i in range(n):
        while rows[i][-1] < stop:
            more = rows[i][-1] + np.cumsum(rng.exponential(1.0 / rate, size=k))
            rows[i] = np.concatenate([rows[i], more])
    return [row[row < stop] for row in rows]


def outage_cover(starts: np.ndarray, ends: np.ndarray, n_days: int) -> np.ndarray:
    """Fraction of each day ``[t, t + 1)`` covered by intervals ``[starts, ends)``, summed, shape (T, n).

    Examples
    --------
    >>> outage_cover(np.array([1.5]), np.array([3.0]), 4)[:, 0]
    array([0. , 0.5, 1. , 0. ])
    """
    edges = np.arange(n_days + 1, dtype=float)[:, None]
    covered = np.clip(edges - starts[None, :], 0.0, np.maximum(ends - starts, 0.0)[None, :])
    return np.diff(covered, axis=0)


def draw_outages(c: Compiled, rng: np.random.Generator) -> np.ndarray | None:
    """Capacity multipliers (T, F) from random outages, or ``None`` when there are none.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> s = synthetic_scenario(10, horizon_days=30).with_shocks(
    ...     RandomOutage(stage="mine", rate_per_year=20, duration=5, group="quake"))
    >>> m = draw_outages(compile_scenario(s), np.random.default_rng(0))
    >>> m.shape, bool(((m >= 0) & (m <= 1)).all())
    ((30, 10), True)
    """
    specs: list[OutageSpec] | None = c.schedules.extras.get("outages")
    if not specs:
        return None
    lost = np.zeros((c.n_facilities, c.n_days))
    for members in _processes(specs):
        first = min(s.first for s in members)
        stop = max(s.stop for s in members)
        n = len(members[0].facilities) if members[0].group is None else 1
        events = _arrivals(rng, members[0].rate_per_day, first, stop, n)
        for spec in members:
            _add_losses(lost, spec, events, rng, c.n_days)
    return np.maximum(1.0 - lost.T, 0.0)


def _add_losses(lost: np.ndarray, spec: OutageSpec, events: list[np.ndarray],
                rng: np.random.Generator, n_days: int) -> None:
    """Add ``spec``'s lost capacity per facility and day into ``lost`` (F, T)."""
    sizes = [len(e) for e in events]
    starts = np.concatenate(events)
    durations = spec.duration.sample(rng, len(starts))
    inside = (starts >= spec.first) & (starts < spec.stop)
    # The window bounds when outages start; one that starts inside it runs its full length.
    cover = outage_cover(starts, starts + durations, n_days) * inside
    if spec.group is None:
        owner = np.repeat(spec.facilities, sizes)
        np.add.at(lost, owner, spec.capacity_lost * cover.T)
    else:
        lost[spec.facilities] += spec.capacity_lost * cover.sum(axis=1)


def draw_licences(c: Compiled, rng: np.random.Generator) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Licence approvals and random processing delays of one run, each (T, L) or ``None``.

    Each licence regime with ``approval_probability < 1`` approves each
    lane's order on each day of its window independently (Bernoulli, one
    uniform per lane-day from the run's licence stream); a regime with a
    random ``processing_delay`` draws one delay per lane-day. Regimes that are
    certain (probability 1, fixed delay) draw nothing: their delay is already
    in the ``lead_extra`` schedule.
    """
    specs = c.schedules.extras.get("licences", [])
    if not specs:
        return None, None
    approved = delay = None
    for spec in specs:
        n_days, n = spec.stop - spec.first, len(spec.lanes)
        rows = slice(spec.first, spec.stop)
        if spec.approval_probability < 1.0:
            if approved is None:
                approved = np.ones((c.n_days, c.n_lanes))
            ok = rng.random((n_days, n)) < spec.approval_probability
            approved[rows, spec.lanes] *= ok
        if spec.delay is not None:
            if delay is None:
                delay = np.zeros((c.n_days, c.n_lanes))
            delay[rows, spec.lanes] += spec.delay.sample(rng, (n_days, n))
    return approved, delay
