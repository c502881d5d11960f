"""Random facility outages of one run, drawn from that run's ``outage`` stream.

`RandomOutage` shocks are compiled into
`OutageSpec` records in
``schedules.extras["outages"]``. `draw_outages` draws one run's
outages from them. Both engines call it through
`draw_run`, so they see the same outages,
and so do two scenarios run with one seed when their outage specs are the
same (common random numbers).

Draw order is fixed (processes in the compiled order of the shocks, which
does not depend on the order of the scenario's list; for each process its
arrival gaps, then each member's durations), so a run's outages depend only
on its seed sequence.

Implements docs/model.md §6.9 (random-outage) and §7.3 (streams).
"""

from __future__ import annotations

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.outages import OutageSpec

__all__ = ["draw_outages", "outage_cover"]


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


def outage_cover(starts: np.ndarray, ends: np.ndarray, n_days: int,
                 ramp: np.ndarray | float = 0.0) -> np.ndarray:
    """Lost fraction of each day ``[t, t + 1)`` for outages ``[starts, ends)``, shape (T, n).

    Each outage loses all of the day while down, then ``1 - (x - end) / ramp``
    at time ``x`` of its linear recovery ``[end, end + ramp)``; the day's value
    is the integral over the day (docs/model.md §6.9).

    Examples
    --------
    >>> outage_cover(np.array([1.5]), np.array([3.0]), 4)[:, 0]
    array([0. , 0.5, 1. , 0. ])
    >>> outage_cover(np.array([0.0]), np.array([1.0]), 4, ramp=2.0)[:, 0]
    array([1.  , 0.75, 0.25, 0.  ])
    """
    edges = np.arange(n_days + 1, dtype=float)[:, None]
    covered = np.clip(edges - starts[None, :], 0.0, np.maximum(ends - starts, 0.0)[None, :])
    ramp = np.broadcast_to(np.asarray(ramp, dtype=float), np.shape(starts))
    if ramp.any():
        # Area under the recovery ramp up to each edge: v - v^2 / (2 ramp) for v = time into it.
        r = np.where(ramp > 0, ramp, 1.0)[None, :]
        v = np.clip(edges - ends[None, :], 0.0, ramp[None, :])
        covered = covered + (v - v * v / (2.0 * r))
    return np.diff(covered, axis=0)


def draw_outages(c: Compiled, rng: np.random.Generator) -> np.ndarray | None:
    """Capacity multipliers (T, F) from random outages, or ``None`` when there are none.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.model import RandomOutage
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
    # Recovery ramps are fixed, so they change no draw (common random numbers).
    if spec.group is None:
        ramp = np.repeat(spec.recovery_days, sizes)
        cover = outage_cover(starts, starts + durations, n_days, ramp) * inside
        owner = np.repeat(spec.facilities, sizes)
        np.add.at(lost, owner, spec.capacity_lost * cover.T)
    else:
        for days in np.unique(spec.recovery_days):
            members = spec.facilities[spec.recovery_days == days]
            cover = outage_cover(starts, starts + durations, n_days, days) * inside
            lost[members] += spec.capacity_lost * cover.sum(axis=1)
