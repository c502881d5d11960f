"""The optional compiled loops (Numba, ``supplychain[fast]``) give the same bits as the NumPy code.

The comparisons run only where Numba imports; the mode switch and its errors run everywhere.
"""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain import load_baseline, simulate
from supplychain.compile.compiler import compile_scenario
from supplychain.compile.leadtime import LEAD_DAYS_TOLERANCE
from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.engines import _jit_kernels, jit, stacked
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import _arrival_days, _Ring, run_vector
from supplychain.errors import ValidationError
from supplychain.model import LogisticsShock, RandomOutage, Scenario, Triangular
from supplychain.model.dists import LogNormal

from .conftest import chain_network


#: The loops as plain Python (what Numba compiles): their logic is checked with or without Numba.
PLAIN = SimpleNamespace(ring_add=_jit_kernels.ring_add, ring_take=_jit_kernels.ring_take,
                        triangular=_jit_kernels.triangular, landing_days=_jit_kernels.landing_days,
                        triangular_days=_jit_kernels.triangular_days, triangular_table=_jit_kernels.triangular_table,
                        table_days=_jit_kernels.table_days)


@pytest.fixture(params=["plain", "compiled"])
def kernels(request):
    if request.param == "plain":
        return PLAIN
    pytest.importorskip("numba")
    assert jit.available()
    return jit._kernels()


@pytest.fixture
def compiled():
    pytest.importorskip("numba")
    assert jit.available()


def _scenario() -> Scenario:
    # Triangular lead times, a lead-time shock (the shocked landing-day path), outages, 60 days.
    base = load_baseline(random_lead_times=True, horizon_days=60)
    return base.with_shocks(
        LogisticsShock(start=10, end=40, origin_region="CN", lead_time_multiplier=1.7),
        RandomOutage(rate_per_year=6.0, duration=Triangular(2.0, 5.0, 15.0), stage="refinery"))


def _arrays(part):
    if isinstance(part, dict):
        return part
    return {f.name: getattr(part, f.name) for f in dataclasses.fields(part)}


def _same(a, b):
    a, b = _arrays(a), _arrays(b)
    assert a.keys() == b.keys()
    for name in a:
        assert np.array_equal(a[name], b[name], equal_nan=True), name


@pytest.mark.parametrize("keep", ["summary", "series"])
def test_compiled_and_numpy_paths_give_the_same_bits(compiled, monkeypatch, keep):
    c = compile_scenario(_scenario())
    seqs = run_seed_sequences(11, 9)
    monkeypatch.setenv(jit.ENV, "off")
    plain = [run_vector(c, seqs[i:i + 4], keep=keep) for i in range(0, 9, 4)]
    monkeypatch.setenv(jit.ENV, "on")
    # Other chunk sizes too: the compiled path keeps a run's bits whatever chunk it is in.
    fast = [run_vector(c, seqs[i:i + 4], keep=keep) for i in range(0, 9, 4)]
    whole = run_vector(c, seqs, keep=keep)
    for p, f in zip(plain, fast):
        _same(p, f)
    for name, value in _arrays(whole).items():
        if name == "value_added_loss" or value.ndim < 2:
            continue
        assert np.array_equal(value, np.concatenate([_arrays(p)[name] for p in plain]), equal_nan=True), name


def test_ensembles_agree_across_paths_and_processes(compiled, monkeypatch):
    # Lognormal lead times and demand noise (the peer benchmark's network), in one process and in two.
    s = synthetic_scenario(30, seed=2, stochastic=True, horizon_days=40)
    monkeypatch.setenv(jit.ENV, "off")
    plain = simulate(s, engine="vector", n_runs=12, seed=3, keep="summary", chunk_size=5)
    monkeypatch.setenv(jit.ENV, "on")
    fast = simulate(s, engine="vector", n_runs=12, seed=3, keep="summary", chunk_size=3)
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(2) as pool:
        spread = simulate(s, engine="vector", n_runs=12, seed=3, keep="summary", chunk_size=4, executor=pool)
    for res in (fast, spread):
        for name in ("demand", "delivered", "lane_flow", "stockout_days"):
            assert np.array_equal(getattr(plain, name), getattr(res, name)), name


@pytest.mark.parametrize("width", [41, 7])
def test_ring_loop_adds_like_numpy(kernels, width):
    # Width 7 is shorter than the 20-day pre-filled pipeline: each taken slot is refilled with a later day of it.
    c = compile_scenario(Scenario(chain_network(), horizon_days=40))
    rng = np.random.default_rng(5)
    fast, slow = _Ring(c, 6, width, kernels), _Ring(c, 6, width)
    for t in range(40):
        assert np.array_equal(fast.take(t), slow.take(t))
        goods = np.asfortranarray(rng.random((6, c.n_lanes)) * 10.0 ** rng.integers(-3, 6, size=(6, c.n_lanes)))
        days = np.minimum(rng.integers(1, 45, size=(6, c.n_lanes)), min(width, 40)).astype(np.int16)
        fast.put(t, goods, days, fits=True)
        slow.put(t, goods, days, fits=True)
    assert np.array_equal(fast.buf, slow.buf)


def test_triangular_loop_is_numpys_sampler(kernels):
    items = [Triangular(1.0, 2.0, 4.0), Triangular(0.5, 0.5, 9.0), Triangular(3.0, 7.0, 7.0),
             Triangular(2.0, 2.0, 2.0 + 1e-12)]
    params = stacked._triangular_params(items)
    a, b = np.empty((4, 500)), np.empty((4, 500))
    stacked._triangular(np.random.default_rng(8), params, a, None)
    stacked._triangular(np.random.default_rng(8), params, b, kernels)
    assert np.array_equal(a, b)
    rng = np.random.default_rng(8)
    assert np.array_equal(a, np.vstack([rng.triangular(d.low, d.mode, d.high, 500) for d in items]))


@pytest.mark.parametrize("days", [60, 400])
def test_landing_day_loop_is_the_numpy_rounding(kernels, days):
    net = chain_network()
    lanes = tuple(dataclasses.replace(l, lead_time=LogNormal(6.0, 3.0)) for l in net.lanes)
    scenario = Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=days)
    shocked = scenario.with_shocks(LogisticsShock(start=3, end=50, lead_time_multiplier=1.3))
    for c in (compile_scenario(scenario), compile_scenario(shocked)):
        rng = np.random.default_rng(2)
        lead = rng.lognormal(1.5, 1.0, size=(days, c.n_lanes))
        edges = [LEAD_DAYS_TOLERANCE, 1.0 + LEAD_DAYS_TOLERANCE / 2, 0.0, 1e6, 3.0]  # edges of the rounding
        lead[:5] = np.array(edges)[:, None]
        a = np.empty((days, c.n_lanes), np.int16)
        _arrival_days(c, lead.copy(), a)
        # C order (the general compiled version) and lane-major memory, as the samplers return lead times (the
        # version compiled for Fortran-ordered lead times).
        for order in ("C", "F"):
            b = np.empty((days, c.n_lanes), np.int16)
            _arrival_days(c, lead.copy(order=order), b, kernels)
            assert np.array_equal(a, b)


def test_mode_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(jit.ENV, "off")
    assert jit.kernels_for(10**12) is None
    monkeypatch.delenv(jit.ENV)
    assert jit.mode() == "auto"
    monkeypatch.setenv(jit.ENV, "fast")
    with pytest.raises(ValidationError, match="SUPPLYCHAIN_JIT must be one of auto, on, off; got 'fast'"):
        jit.kernels_for(1)


@pytest.mark.parametrize("fixed_every", [0, 3])
def test_fused_landing_days_are_the_drawn_lead_times_rounded(kernels, fixed_every):
    # Triangular lead times drawn and rounded in one compiled pass (no lead-time array) give the days of
    # draw_run's lead times through the NumPy rounding, bit for bit, with shocks and with some fixed lanes.
    from supplychain.engines.draws import fused_landing_days
    from supplychain.engines.vector import draw_batch
    net = chain_network()
    lanes = tuple(dataclasses.replace(l, lead_time=Triangular(0.5 + i, 3.0 + i, 80.0))
                  if not fixed_every or i % fixed_every else l for i, l in enumerate(net.lanes))
    scenario = Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=60)
    shocked = scenario.with_shocks(LogisticsShock(start=3, end=50, lead_time_multiplier=1.3))
    for c in (compile_scenario(scenario), compile_scenario(shocked)):
        assert fused_landing_days(c)
        seqs = run_seed_sequences(4, 5)
        fast = draw_batch(c, seqs, arrival_days=True, kernels=kernels).arrival_days.copy()
        slow = draw_batch(c, seqs, arrival_days=True).arrival_days
        assert np.array_equal(fast, slow) and fast.dtype == slow.dtype


def test_fused_landing_days_redraw_a_run_with_a_non_finite_lead_time(kernels):
    # Parameters are bounded (1e6), so a triangular lead time is always finite; should the pass ever count one
    # that is not, the run is drawn again the slow way, where check_draws names it (or, finite, it is used).
    from supplychain.engines.vector import draw_batch
    net = chain_network()
    lanes = tuple(dataclasses.replace(l, lead_time=Triangular(1.0, 2.0, 9.0)) for l in net.lanes)
    c = compile_scenario(Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=20))
    seqs = run_seed_sequences(4, 2)

    def flagged(*args):
        kernels.triangular_days(*args)
        return 1
    fast = draw_batch(c, seqs, arrival_days=True, kernels=SimpleNamespace(**{**vars(kernels), "triangular_days": flagged}))
    assert np.array_equal(fast.arrival_days, draw_batch(c, seqs, arrival_days=True).arrival_days)
