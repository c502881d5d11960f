"""The compiled loops of the design-specific stocks (`supplychain.engines._jit_designs`) give NumPy's bits.

Each loop is checked as plain Python (its logic, with or without Numba) and compiled against the NumPy
code of `supplychain.engines.designs` it stands for, on random accounts with the values the rule meets
(zeros of both signs, exact ties, infinities, NaN); then whole runs with and without the loops where the
accounts bind (a 30-day stop of Taiwan's fabs, random lead times).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pytest

import supplychain as sc
from supplychain.compile.compiler import compile_scenario
from supplychain.engines import _jit_designs, designs, jit
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import run_vector

PLAIN = SimpleNamespace(**{"design_" + name: getattr(_jit_designs, name)
                           for name in ("credit", "usable", "debit", "settle", "shares")})


@pytest.fixture(params=["plain", "compiled"])
def loops(request):
    if request.param == "plain":
        return PLAIN
    pytest.importorskip("numba")
    assert jit.available()
    return jit._kernels()


@pytest.fixture(scope="module")
def spec():
    ds = designs.design_spec(compile_scenario(sc.load_baseline()))
    assert ds is not None and len(ds.lanes) > 100
    return ds


def _bits(a: np.ndarray) -> bytes:
    """The values' bits, every NaN made one NaN.

    Which NaN an operation on two NaNs returns depends on its operands' order, which compilers (C's for
    NumPy's scalars, LLVM's) may swap in a commutative operation; a run stops at any NaN
    (`supplychain.engines.finite`), so its sign is never a result. Zeros' signs are compared.
    """
    x = np.array(a, dtype=np.float64, order="C")
    x[np.isnan(x)] = np.nan
    return x.tobytes()


def _values(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 10.0, order: str = "C") -> np.ndarray:
    """Random non-negative values sprinkled with the values a rule must pass through."""
    x = rng.random(shape) * scale
    specials = np.array([0.0, -0.0, 1.0, scale / 2, np.inf, np.nan, 1e-300])
    pick = rng.random(shape) < 0.15
    x[pick] = rng.choice(specials, size=int(pick.sum()))
    return np.asarray(x, order=order)  # type: ignore[call-overload]


def _both(monkeypatch, loops, call):  # type: ignore[no-untyped-def]
    """``call()`` with the NumPy code, then with ``loops``."""
    monkeypatch.setattr(designs, "_loops", lambda: None)
    with np.errstate(all="ignore"):
        want = call()
    monkeypatch.setattr(designs, "_loops", lambda: loops)
    with np.errstate(all="ignore"):
        got = call()
    return want, got


@pytest.mark.parametrize("seed, order, side", [(0, "F", "C"), (1, "F", "F"), (2, "C", "C")])
def test_account_loops_are_numpys(monkeypatch, loops, spec, seed, order, side):
    # The engine keeps the accounts and the buyers' (R, m) arrays runs-last ("F": the loops' own compiled version
    # for that layout); any other layout, or a mix, takes the general version: the same numbers either way.
    rng = np.random.default_rng(seed)
    n_runs, n, m = 7, len(spec.lanes), len(spec.buyers)
    n_lanes = int(spec.lanes.max()) + 5
    accounts, cap = _values(rng, (n_runs, n), order=order), _values(rng, (n_runs, n), order=order)
    cap[:, ::5] = accounts[:, ::5]  # ties
    cl = _values(rng, (n_runs, n), 0.2, order=order)
    arrived = _values(rng, (n_runs, n_lanes), 3.0, order="F")  # runs-last, as the ring hands it over
    stock, wanted = _values(rng, (n_runs, m), 40.0, order=side), _values(rng, (n_runs, m), 30.0, order=side)
    wanted[:, ::3] = stock[:, ::3]

    def credit():  # type: ignore[no-untyped-def]
        a = accounts.copy()
        designs.credit(spec, a, cap, arrived)
        return a
    want, got = _both(monkeypatch, loops, credit)
    assert _bits(got) == _bits(want)

    def usable():  # type: ignore[no-untyped-def]
        return designs.usable(spec, accounts, cl, stock, wanted)
    (want_can, want_take), (got_can, got_take) = _both(monkeypatch, loops, usable)
    assert _bits(got_can) == _bits(want_can) and _bits(got_take) == _bits(want_take)

    take = _values(rng, (n_runs, n), 12.0, order=order)
    scale = _values(rng, (n_runs, m), 1.0, order=side)
    for s in (None, scale):
        def debit():  # type: ignore[no-untyped-def]
            a = accounts.copy()
            designs.debit(spec, a, take, s)
            return a
        want, got = _both(monkeypatch, loops, debit)
        assert _bits(got) == _bits(want)

    extra = (rng.random(int(spec.buyers.max()) + 3) - 0.5) * 50.0

    def settle():  # type: ignore[no-untyped-def]
        a = accounts.copy()
        return a, designs.settle(spec, a, cl, extra)
    (want_a, want_cap), (got_a, got_cap) = _both(monkeypatch, loops, settle)
    assert _bits(got_a) == _bits(want_a) and _bits(got_cap) == _bits(want_cap)

    seek = np.where(rng.random((n_runs, int(spec.lane_buyer.max()) + 2)) < 0.5, np.inf,
                    rng.integers(0, 40, (n_runs, int(spec.lane_buyer.max()) + 2)).astype(float))
    for share in (_values(rng, (n_runs, n_lanes), 1.0, order="F"), _values(rng, (n_lanes,), 1.0)):
        def shares():  # type: ignore[no-untyped-def]
            return designs.shares(None, spec, share, seek, 20)  # type: ignore[arg-type]
        want, got = _both(monkeypatch, loops, shares)
        assert got.shape == want.shape == (n_runs, n)
        assert _bits(got) == _bits(want)


def test_runs_with_and_without_the_loops_are_identical(monkeypatch):
    """A 30-day stop of Taiwan's fabs with random lead times: accounts run short and bind; every number equal."""
    pytest.importorskip("numba")
    from tools.tw_fab_outage import outage

    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    c = compile_scenario(outage(sc.load_baseline(random_lead_times=True, horizon_days=120), 30, start=10))
    seqs = run_seed_sequences(5, 6)
    out = {}
    for name, fn in (("numpy", lambda: None), ("loops", jit._kernels)):
        monkeypatch.setattr(designs, "_loops", fn)
        out[name] = run_vector(c, seqs, keep="series")
    assert out["numpy"].keys() == out["loops"].keys()
    for key in out["numpy"]:
        assert _bits(out["loops"][key]) == _bits(out["numpy"][key]), key
