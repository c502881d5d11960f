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

import weakref
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.trade import LicenceSpec
from .outages import draw_outages
from .stacked import ItemSampler

__all__ = ["RunDraws", "run_seed_sequences", "draw_run", "draw_landing_days", "fused_landing_days", "draw_licences", "approval_table", "regime_path",
           "decision_days", "fixed_delays", "STREAMS"]

#: Stream order within a run; append new kinds at the end so old ones do not shift.
STREAMS = ("demand", "lead_time", "outage", "licence", "licence_delay", "licence_regime")


@dataclass(frozen=True, eq=False)
class RunDraws:
    """One run's random inputs; ``None`` means "use the deterministic value"."""

    demand_noise: np.ndarray | None    # (T, D) multiplicative factors
    lead_time: np.ndarray | None       # (T, L) base lead time in days per shipment day
    outage: np.ndarray | None          # (T, F) capacity multiplier from random outages
    licence_approved: np.ndarray | None  # (T, L) 1.0 / 0.0: decision on the application filed that day
    licence_delay: np.ndarray | None = None  # (T, L) processing days of the application filed that day
    licence_p: np.ndarray | None = None      # (T, L) approval probability of the regimes' state that day


def run_seed_sequences(seed: int | None, n_runs: int) -> list[np.random.SeedSequence]:
    """The per-run seed sequences of a simulation."""
    return np.random.SeedSequence(seed).spawn(n_runs)


def _child(seq: np.random.SeedSequence, i: int) -> np.random.SeedSequence:
    """Child ``i`` of ``seq``, as ``seq.spawn(i + 1)[i]`` would give, without advancing ``seq``.

    ``spawn`` counts the children it has made, so a second call would give
    other streams; deriving them from the spawn key keeps ``draw_run`` pure
    (one run drawn twice, e.g. by both engines, gets the same numbers).
    """
    return np.random.SeedSequence(seq.entropy, spawn_key=seq.spawn_key + (i,), pool_size=seq.pool_size)


#: Each compiled scenario's samplers of demand noise and lead times (built on its first run).
_SAMPLERS: weakref.WeakKeyDictionary[Compiled, tuple[ItemSampler | None, ItemSampler | None]] = (
    weakref.WeakKeyDictionary())


def _samplers(c: Compiled) -> tuple[ItemSampler | None, ItemSampler | None]:
    """Samplers of the noisy demands' noise and of the random lanes' lead times (``None``: nothing random)."""
    if c not in _SAMPLERS:
        net = c.scenario.network
        noisy, random = np.flatnonzero(c.demand_noisy), np.flatnonzero(c.lane_lead_random)
        _SAMPLERS[c] = (ItemSampler([net.demands[j].noise for j in noisy]) if len(noisy) else None,  # type: ignore[misc]
                        ItemSampler([net.lanes[j].lead_time for j in random]) if len(random) else None)
    return _SAMPLERS[c]


class _Streams:
    """A run's generators by stream name (`STREAMS`), each made when first asked for.

    Stream ``i`` is always child ``i`` of the run's seed sequence, so making
    only the streams a scenario uses changes no number; making a generator
    costs tens of microseconds, and most scenarios use two of the six.
    """

    def __init__(self, seq: np.random.SeedSequence) -> None:
        self.seq = seq
        self.made: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self.made:
            self.made[name] = np.random.default_rng(_child(self.seq, STREAMS.index(name)))
        return self.made[name]


def draw_run(c: Compiled, seq: np.random.SeedSequence, kernels: SimpleNamespace | None = None, *,
             lead: bool = True) -> RunDraws:
    """Draw every random input of one run from its seed sequence.

    ``kernels``: the compiled loops of `.jit` to transform uniforms with
    (the same numbers), else NumPy. ``lead=False``: no lead times
    (``lead_time`` is ``None``; `draw_landing_days` draws them as whole days).
    Each kind of input has its own stream, so leaving one out changes no other.
    """
    gens = _Streams(seq)
    net = c.scenario.network
    t = c.n_days
    noise = None
    demand_sampler, lead_sampler = _samplers(c)
    # The samplers draw item after item, exactly like one sample() call per item, only faster.
    if demand_sampler is not None:
        noise = np.ones((t, c.n_demands))
        noisy = np.flatnonzero(c.demand_noisy)
        noise[:, noisy] = demand_sampler.sample(gens["demand"], t, kernels)
        # A count distribution gives units: divided by its mean it is a factor of mean 1 (docs/model.md §7.1).
        for j in noisy:
            dist = net.demands[j].noise
            if dist is not None and dist.counts:
                noise[:, j] /= dist.mean
    lead_draws, lead = lead, None
    if not lead_draws:
        pass
    elif lead_sampler is not None and c.lane_lead_random.all():
        # Every lane random: the sampled block is the whole table (a (T, L) view, lane-major in memory).
        lead = lead_sampler.sample(gens["lead_time"], t, kernels)
    elif lead_sampler is not None:
        lead = np.repeat(c.lane_lead_mean[None, :], t, axis=0)
        lead[:, np.flatnonzero(c.lane_lead_random)] = lead_sampler.sample(gens["lead_time"], t, kernels)
    approved = delay = p = outage = None
    # Both return None without licence regimes or outages; only then are their streams made.
    if c.schedules.extras.get("licences"):
        approved, delay, p = draw_licences(c, gens["licence"], gens["licence_delay"], gens["licence_regime"])
    if c.schedules.extras.get("outages"):
        outage = draw_outages(c, gens["outage"])
    return RunDraws(demand_noise=noise, lead_time=lead, outage=outage,
                    licence_approved=approved, licence_delay=delay, licence_p=p)


def fused_landing_days(c: Compiled) -> bool:
    """Whether `draw_landing_days` can draw ``c``'s lead times: some lane is random, and every random one triangular."""
    lead_sampler = _samplers(c)[1]
    return lead_sampler is not None and lead_sampler.triangular_only


def draw_landing_days(c: Compiled, seq: np.random.SeedSequence, kernels: SimpleNamespace, fixed: np.ndarray,
                      factor: np.ndarray, extra: np.ndarray, shocked: bool, tolerance: float,
                      out: np.ndarray) -> bool:
    """One run's lead times (from the stream `draw_run` reads them from), written as whole landing days into ``out``.

    The days `draw_run`'s lead times give through
    `._jit_kernels.landing_days` (capped at the horizon), the same bits, drawn
    and rounded in one compiled pass (`.stacked.ItemSampler.landing_days`: a
    lane no shock touches looks its days up in a table of uniforms, the same days);
    lanes with a fixed lead time take their column of ``fixed`` (T, L), the
    days of the lanes' mean lead times. Needs `fused_landing_days`.

    Returns ``False`` when some lead time was not finite (``out`` is then
    meaningless; `draw_run` and `.finite.check_draws` name it).
    """
    lead_sampler = _samplers(c)[1]
    assert lead_sampler is not None
    gen = np.random.default_rng(_child(seq, STREAMS.index("lead_time")))
    random = _random_lanes(c)
    if len(random) < c.n_lanes:
        fixed_lanes = np.flatnonzero(~c.lane_lead_random)
        out[:, fixed_lanes] = fixed[:, fixed_lanes]
    bad = lead_sampler.landing_days(gen, c.n_days, kernels, random, factor, extra, shocked, tolerance,
                                    float(c.n_days), out, _plain_lanes(c)[random] if shocked else None)
    return bad == 0


#: Each compiled scenario's lanes that no shock's lead-time factor or extra touches on any day.
_PLAIN_LANES: weakref.WeakKeyDictionary[Compiled, np.ndarray] = weakref.WeakKeyDictionary()


def _plain_lanes(c: Compiled) -> np.ndarray:
    """(L,) whether lane ``l``'s lead-time factor is 1 and its extra 0 on every day (its days then need no shock)."""
    if c not in _PLAIN_LANES:
        sch = c.schedules
        plain = (np.all(np.asarray(sch.lead_factor) == 1.0, axis=0) & np.all(np.asarray(sch.lead_extra) == 0.0, axis=0))
        _PLAIN_LANES[c] = np.broadcast_to(plain, (c.n_lanes,)).copy()
    return _PLAIN_LANES[c]


#: Each compiled scenario's random lanes, as the compiled loops take them.
_RANDOM_LANES: weakref.WeakKeyDictionary[Compiled, np.ndarray] = weakref.WeakKeyDictionary()


def _random_lanes(c: Compiled) -> np.ndarray:
    if c not in _RANDOM_LANES:
        _RANDOM_LANES[c] = np.flatnonzero(c.lane_lead_random).astype(np.intp)
    return _RANDOM_LANES[c]


def decision_days(delay: np.ndarray) -> np.ndarray:
    """Whole days from filing to decision of applications with processing ``delay`` days.

    ``ceil(delay - 1e-9)``: a delay of 0 is decided the day it is filed, 10
    ten days later (docs/model.md §6.5.2).

    Examples
    --------
    >>> decision_days(np.array([0.0, 0.5, 10.0])).tolist()
    [0, 1, 10]
    """
    out: np.ndarray = np.maximum(np.ceil(delay - 1e-9), 0.0).astype(np.int64)
    return out


def regime_path(spec: LicenceSpec, gen: np.random.Generator | None) -> np.ndarray:
    """Restrictive (True) or open (False) state of ``spec`` on each day of its window, (stop - first,).

    Sojourns are geometric (a daily two-state Markov chain) with the
    spec's mean durations in days; a state with an infinite mean lasts to
    the end. ``initial_state="stationary"`` draws the first state with the
    chain's stationary probability ``m_r / (m_o + m_r)``. A regime that
    cannot switch draws nothing (``gen`` may be ``None``).

    Examples
    --------
    >>> from supplychain.compile.rules.trade import LicenceSpec
    >>> from supplychain.model import Fixed
    >>> spec = LicenceSpec(lanes=np.array([0]), first=0, stop=5, p_open=1.0, delay=Fixed(0.0),
    ...                    p_restrictive=0.0, initial_state="restrictive")
    >>> regime_path(spec, None).tolist()
    [True, True, True, True, True]
    """
    n = max(spec.stop - spec.first, 0)
    out = np.zeros(n, dtype=bool)
    means = (spec.mean_open_days, spec.mean_restrictive_days)
    if spec.initial_state == "stationary":
        assert gen is not None
        state = bool(gen.random() < means[1] / (means[0] + means[1]))
    else:
        state = spec.initial_state == "restrictive"
    pos = 0
    while pos < n:
        mean = means[state]
        if not np.isfinite(mean):
            length = n - pos
        else:
            assert gen is not None
            length = int(gen.geometric(min(1.0, 1.0 / mean)))
        out[pos:pos + length] = state
        pos += length
        state = not state
    return out


def approval_table(c: Compiled, regimes: np.random.Generator | None) -> np.ndarray:
    """Approval probability on each day and lane, (T, L): 1 outside every licence regime.

    Where regimes overlap on a lane the smallest probability applies (the
    strictest decides). Paths of switching regimes are drawn from
    ``regimes`` in canonical order (`regime_path`).
    """
    p = np.ones((c.n_days, c.n_lanes))
    for spec in c.schedules.extras.get("licences", []):
        path = regime_path(spec, regimes if spec.switches else None)
        value = np.where(path, spec.p_restrictive, spec.p_open)
        rows = slice(spec.first, spec.stop)
        p[rows, spec.lanes] = np.minimum(p[rows, spec.lanes], value[:, None])
    return p


def draw_licences(c: Compiled, approvals: np.random.Generator, delays: np.random.Generator,
                  regimes: np.random.Generator) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Decisions, processing delays and approval probabilities of one run's applications, each (T, L).

    Returns ``(approved, delay, p)``: ``approved[t, l]`` is 1.0 when an
    application filed on day ``t`` on lane ``l`` would be approved, else
    0.0 (``None``: every application is approved); ``delay[t, l]`` its
    processing days, the sum over the regimes covering the lane (``None``
    when every delay is fixed: it is then `fixed_delays`); ``p`` the
    approval probability of the day's regime state (``None`` unless some
    regime switches: it is then `approval_table` without draws).

    An application filed on day ``t`` is decided on day
    ``t + decision_days(delay[t, l])`` and approved when its uniform
    ``u[t, l]`` is below the approval probability on that day. ``u`` is one
    ``T x L`` block from ``approvals``, drawn when some application may be
    denied; delays come from ``delays``, one per (day, lane) of each regime
    with a random delay; regime paths from ``regimes``. None depends on the
    others' parameters, so two scenarios run with one seed see the same
    delays whatever the probabilities and nested decisions (an application
    approved under ``p`` is approved under any larger ``p``): common random
    numbers.

    Examples
    --------
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.model import ExportControl
    >>> s = synthetic_scenario(6, horizon_days=20)
    >>> exporter = s.network.facilities[0].region
    >>> c = compile_scenario(s.with_shocks(ExportControl(exporter=exporter, commodity="*", mode="licence",
    ...                                                  approval_probability=0.5)))
    >>> rngs = [np.random.default_rng(i) for i in range(3)]
    >>> ok, delay, p = draw_licences(c, *rngs)
    >>> ok.shape == (c.n_days, c.n_lanes), delay is None, p is None
    (True, True, True)
    """
    specs: list[LicenceSpec] = c.schedules.extras.get("licences", [])
    if not specs:
        return None, None, None
    delay = fixed_delays(c)
    for spec in specs:
        if not spec.delay.is_deterministic:
            rows = slice(spec.first, spec.stop)
            delay[rows, spec.lanes] += spec.delay.sample(delays, (spec.stop - spec.first, len(spec.lanes)))
    random_delay = any(not spec.delay.is_deterministic for spec in specs)
    switching = any(spec.switches for spec in specs)
    p = approval_table(c, regimes if switching else None)
    approved = None
    if any(spec.uncertain for spec in specs):
        u = approvals.random((c.n_days, c.n_lanes))
        decided = np.minimum(np.arange(c.n_days)[:, None] + decision_days(delay), c.n_days - 1)
        approved = (u < np.take_along_axis(p, decided, axis=0)).astype(float)
    return approved, delay if random_delay else None, p if switching else None


def fixed_delays(c: Compiled) -> np.ndarray:
    """Processing days of the fixed delays of every licence regime, summed per day and lane, (T, L)."""
    delay = np.zeros((c.n_days, c.n_lanes))
    for spec in c.schedules.extras.get("licences", []):
        if spec.delay.is_deterministic:
            delay[spec.first:spec.stop, spec.lanes] += spec.delay.mean
    return delay
