"""The compiled loop of split_orders on diverted days (branch speed8) gives the NumPy path's bits."""

import copy
import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain import ExportControl, load_baseline, simulate
from supplychain.compile.compiler import compile_scenario
from supplychain.engines import _jit_sourcing, jit, kernel, sourcing
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import run_vector


def _ban(horizon_days=None):
    # README's quick start: CN bans exports of gallium and crude gallium from 2025-03-01.
    shocks = [ExportControl(exporter="CN", commodity=k, mode="ban", start="2025-03-01") for k in ("gallium", "gallium_crude")]
    kwargs = {} if horizon_days is None else {"horizon_days": horizon_days}
    return load_baseline(random_lead_times=True, **kwargs).with_shocks(*shocks)


class _Loops(sourcing.OrderLoops):
    def __init__(self, kernels):
        self.kernels = kernels


@pytest.fixture(params=["plain", "compiled"])
def loops(request):
    if request.param == "plain":
        return _Loops(SimpleNamespace(split_diverted=_jit_sourcing.split_diverted))
    pytest.importorskip("numba")
    assert jit.available()
    return _Loops(jit._kernels())


@pytest.fixture(scope="module")
def calls():
    """Arguments of split_orders on some diverted days of 3 runs of the quick-start ban (NumPy engine)."""
    c = compile_scenario(_ban())
    saved = []
    real = sourcing.split_orders

    def spy(c_, s, sp, q, share, allow, late, filed=None, licensed=None, plain=None, fused=None, hold=None):
        if s.diverted_any and s.day % 23 == 0:
            saved.append(copy.deepcopy((s, sp, q, share, allow, late, filed, licensed, plain)))
        return real(c_, s, sp, q, share, allow, late, filed, licensed, plain, None, hold)

    mp = pytest.MonkeyPatch()
    mp.setattr(kernel._sourcing, "split_orders", spy)
    mp.setenv("SUPPLYCHAIN_JIT", "off")
    try:
        run_vector(c, run_seed_sequences(5, 3), keep="series")
    finally:
        mp.undo()
    assert len(saved) >= 5
    return c, saved


def _bits(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()


def _agree(c, args, loops):
    s, sp, q, share, allow, late, filed, licensed, plain = args
    slow, fast = copy.deepcopy(s), copy.deepcopy(s)
    used = []
    real = loops.diverted

    def diverted(*a):
        out = real(*a)
        used.append(out is not None)
        return out

    loops.diverted = diverted
    want = sourcing.split_orders(c, slow, sp, q, share, allow, late, filed, licensed, plain, None)
    got = sourcing.split_orders(c, fast, sp, q, share, allow, late, filed, licensed, plain, loops)
    assert used == [True]
    assert _bits(got, want)
    assert fast.diverted_any == slow.diverted_any
    for name in ("diverted", "seek_day", "locked", "share_applied"):
        assert _bits(getattr(fast, name), getattr(slow, name)), name


def test_diverted_split_is_the_numpy_split(calls, loops):
    # Days of the ban with lanes late, diverted, locked (design lock-in) and queued suppliers, as they occur.
    c, saved = calls
    held = owes = 0
    for args in saved:
        s, plain = args[0], args[8]
        held += bool(s.locked is not None and s.locked.any())
        owes += plain is not None and sourcing.queued(c, s) is not None
        _agree(c, args, loops)
    assert held and owes  # both branches were exercised


def test_diverted_split_keeps_the_bits_of_odd_values(calls, loops):
    # Orders of zero of both signs and at lane capacity, lanes partly available (a leakage route) or closed,
    # buyers with a planned pipeline all queued: every branch of the rules, with values the run never makes.
    c, saved = calls
    rng = np.random.default_rng(11)
    for args in saved[::2]:
        s, sp, q, share, allow, late, filed, licensed, plain = copy.deepcopy(args)
        q = np.asfortranarray(q * rng.uniform(0.0, 2.0, size=q.shape))
        q[0, :7] = -0.0
        q[1, :7] = 0.0
        allow = np.asfortranarray(rng.choice([0.0, 0.5, 1.0, 1.0, 1.0], size=(q.shape[0], c.n_lanes)))
        if plain is not None:
            plain = np.asfortranarray(np.minimum(plain, q * 0.5))
        s.diverted[:, :11] = -0.0
        _agree(c, (s, sp, q, share, allow, late, filed, licensed, plain), loops)


def test_quick_start_ban_has_the_same_bits_with_and_without_compiled_loops(monkeypatch):
    pytest.importorskip("numba")
    scenario = _ban(horizon_days=120)
    out = {}
    for mode in ("off", "on"):
        monkeypatch.setenv("SUPPLYCHAIN_JIT", mode)
        out[mode] = simulate(scenario, engine="vector", n_runs=3, seed=42, keep="series", executor=None)
    assert jit.loaded()
    compared = 0
    for f in dataclasses.fields(out["off"]):
        a, b = getattr(out["off"], f.name), getattr(out["on"], f.name)
        if isinstance(a, dict):
            assert a.keys() == b.keys()
            pairs = [(f"{f.name}.{k}", a[k], b[k]) for k in a]
        else:
            pairs = [(f.name, a, b)]
        for name, x, y in pairs:
            if isinstance(x, np.ndarray):
                assert _bits(x, y), name
                compared += 1
    assert compared >= 5
