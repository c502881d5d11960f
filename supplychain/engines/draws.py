"""Random inputs of one run, drawn in blocks from that run's own streams.

Run ``r`` of a simulation seeded with ``seed`` uses
``SeedSequence(seed).spawn(n_runs)[r]``, which is spawned again into one
stream per kind of randomness. So a run's draws depend only on the seed and
the run number, never on chunk size, process count or engine, and two
scenarios run with one seed see the same demand noise, lead-time noise and
outages (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import Compiled
from .stacked import sample_items

__all__ = ["RunDraws", "run_seed_sequences", "draw_run", "STREAMS"]

#: Stream order within a run; append new kinds at the end so old ones do not shift.
STREAMS = ("demand", "lead_time", "outage", "licence")


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
    lead = None
    if c.lane_lead_random.any():
        lead = np.repeat(c.lane_lead_mean[None, :], t, axis=0)
        random = np.flatnonzero(c.lane_lead_random)
        lead[:, random] = sample_items([net.lanes[j].lead_time for j in random], gens["lead_time"], t)
    from ..compile.outages import draw_licences, draw_outages
    approved, delay = draw_licences(c, gens["licence"])
    return RunDraws(demand_noise=noise, lead_time=lead,
                    outage=draw_outages(c, gens["outage"]),
                    licence_approved=approved, licence_delay=delay)
