"""Random inputs of one run, drawn in blocks from that run's own streams.

Run ``r`` of a simulation seeded with ``seed`` uses
``SeedSequence(seed).spawn(n_runs)[r]``, which is spawned again into one
stream per kind of randomness. So a run's draws depend only on the seed and
the run number, never on chunk size, process count or engine, and two
scenarios run with one seed see the same demand noise, lead-time noise,
outages and licence draws (common random numbers).

Implements docs/model.md §7.2 (seeds) and §7.3 (streams).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.trade import LicenceSpec
from .outages import draw_outages
from .stacked import sample_items

__all__ = ["RunDraws", "run_seed_sequences", "draw_run", "draw_licences", "STREAMS"]

#: Stream order within a run; append new kinds at the end so old ones do not shift.
STREAMS = ("demand", "lead_time", "outage", "licence", "licence_delay")


@dataclass(frozen=True, eq=False)
class RunDraws:
    """One run's random inputs; ``None`` means "use the deterministic value"."""

    demand_noise: np.ndarray | None    # (T, D) multiplicative factors
    lead_time: np.ndarray | None       # (T, L) base lead time in days per shipment day
    outage: np.ndarray | None          # (T, F) capacity multiplier from random outages
    licence_approved: np.ndarray | None  # (T, L) 1.0 approved / 0.0 denied, licence decisions
    licence_delay: np.ndarray | None = None  # (T, L) random licence processing days (added to lead time)


def run_seed_sequences(seed: int | None, n_runs: int) -> list[np.random.SeedSequence]:
    """The per-run seed sequences of a simulation."""
    return np.random.SeedSequence(seed).spawn(n_runs)


def _children(seq: np.random.SeedSequence, n: int) -> list[np.random.SeedSequence]:
    """The first ``n`` children ``seq.spawn(n)`` would give, without advancing ``seq``.

    ``spawn`` counts the children it has made, so a second call would give
    other streams; deriving them from the spawn key keeps ``draw_run`` pure
    (one run drawn twice, e.g. by both engines, gets the same numbers).
    """
    return [np.random.SeedSequence(seq.entropy, spawn_key=seq.spawn_key + (i,), pool_size=seq.pool_size)
            for i in range(n)]


def draw_run(c: Compiled, seq: np.random.SeedSequence) -> RunDraws:
    """Draw every random input of one run from its seed sequence."""
    gens = {name: np.random.default_rng(child) for name, child in zip(STREAMS, _children(seq, len(STREAMS)))}
    net = c.scenario.network
    t = c.n_days
    noise = None
    # sample_items draws item after item, exactly like one sample() call per item, only faster.
    if c.demand_noisy.any():
        noise = np.ones((t, c.n_demands))
        noisy = np.flatnonzero(c.demand_noisy)
        noise[:, noisy] = sample_items([net.demands[j].noise for j in noisy], gens["demand"], t)  # type: ignore[misc]
        # A count distribution gives units: divided by its mean it is a factor of mean 1 (docs/model.md §7.1).
        for j in noisy:
            dist = net.demands[j].noise
            if dist is not None and dist.counts:
                noise[:, j] /= dist.mean
    lead = None
    if c.lane_lead_random.any():
        lead = np.repeat(c.lane_lead_mean[None, :], t, axis=0)
        random = np.flatnonzero(c.lane_lead_random)
        lead[:, random] = sample_items([net.lanes[j].lead_time for j in random], gens["lead_time"], t)
    approved, delay = draw_licences(c, gens["licence"], gens["licence_delay"])
    return RunDraws(demand_noise=noise, lead_time=lead,
                    outage=draw_outages(c, gens["outage"]),
                    licence_approved=approved, licence_delay=delay)


def draw_licences(c: Compiled, approvals: np.random.Generator,
                  delays: np.random.Generator) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Licence approvals and random processing delays of one run, each (T, L) or ``None``.

    Approvals use one uniform ``u`` per lane and day from ``approvals``: an
    order is approved when ``u < approval_probability`` (where licence
    regimes overlap on a lane, the strictest decides). Processing delays come
    from their own stream, ``delays``, one draw per lane-day of each regime
    with a random delay. Neither depends on the other's parameters, so two
    scenarios run with one seed see the same decisions wherever they have the
    same probability and the same delays whatever the probabilities (common
    random numbers: ``p = 1`` and ``p = 0.999`` delay approved shipments
    alike). Regimes that are certain (probability 1, fixed delay) draw
    nothing: their delay is already in the ``lead_extra`` schedule.

    Examples
    --------
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.model import ExportControl
    >>> s = synthetic_scenario(6, horizon_days=20)
    >>> exporter = s.network.facilities[0].region
    >>> c = compile_scenario(s.with_shocks(ExportControl(exporter=exporter, commodity="*", mode="licence",
    ...                                                  approval_probability=0.5)))
    >>> ok, delay = draw_licences(c, np.random.default_rng(0), np.random.default_rng(1))
    >>> ok.shape == (c.n_days, c.n_lanes), delay is None
    (True, True)
    """
    specs: list[LicenceSpec] = c.schedules.extras.get("licences", [])
    if not specs:
        return None, None
    approved = delay = None
    if any(spec.approval_probability < 1.0 for spec in specs):
        u = approvals.random((c.n_days, c.n_lanes))
        approved = np.ones((c.n_days, c.n_lanes))
        for spec in specs:
            rows = slice(spec.first, spec.stop)
            approved[rows, spec.lanes] *= u[rows, spec.lanes] < spec.approval_probability
    for spec in specs:
        if spec.delay is not None:
            if delay is None:
                delay = np.zeros((c.n_days, c.n_lanes))
            delay[spec.first:spec.stop, spec.lanes] += spec.delay.sample(
                delays, (spec.stop - spec.first, len(spec.lanes)))
    return approved, delay
