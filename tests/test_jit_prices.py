"""The compiled loops of the price update (`supplychain.engines._jit_prices`) give NumPy's bits.

Each loop is checked as plain Python (its logic, with or without Numba) and compiled against the NumPy
code it stands for, on random values with the edge cases the rule meets (gaps at and past 1, signed zeros,
infinities and NaN); then whole runs with and without the loops: the baseline and shocked scenarios with
price feedback, where every branch of the update is taken. Where NumPy's array power is not the C
library's ``pow`` (AVX-512 CPUs), the loops with a power are not loaded: the plain-Python loops are then
checked to within two units in the last place (their powers are the C library's), and whole runs are the
same bits because the engine keeps NumPy's code for the premium and NumPy's powers for the target
(``price_target_powers``, checked to the bit on every machine).
"""

import copy
import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain import ExportControl, load_baseline, load_example
from supplychain.compile.compiler import compile_scenario
from supplychain.compile.rules.prices import NEUTRAL_TOLERANCE
from supplychain.engines import _jit_prices, jit, prices
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import _initial_state, run_vector

PLAIN = SimpleNamespace(stock_deficit=_jit_prices.stock_deficit,
                        utilisation_premium=_jit_prices.utilisation_premium,
                        price_target=_jit_prices.price_target,
                        price_target_powers=_jit_prices.price_target_powers)


#: Whether NumPy's array power is the loops' (the C library's) on this machine.
SAME_POWER = _jit_prices.numpy_power_is_c_pow()


@pytest.fixture(params=["plain", "compiled"])
def loops(request):
    if request.param == "plain":
        return PLAIN
    pytest.importorskip("numba")
    assert jit.available()
    return jit._kernels()


def _bits(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


def _assert_numpys(got: np.ndarray, want: np.ndarray, loops) -> None:
    """``got`` has NumPy's bits; or, where a power of the loops is the C library's and NumPy's is not, the same
    non-finite values and finite ones within two units in the last place."""
    assert got.shape == want.shape
    if SAME_POWER or loops is not PLAIN:
        assert _bits(got) == _bits(want)
        return
    finite = np.isfinite(want)
    assert np.array_equal(np.isfinite(got), finite)
    assert _bits(got[~finite]) == _bits(want[~finite])
    np.testing.assert_array_max_ulp(got[finite], want[finite], maxulp=2)


def test_loops_with_a_power_are_loaded_only_where_numpys_power_is_the_c_librarys():
    pytest.importorskip("numba")
    loaded = jit._kernels()
    assert loaded.stock_deficit is not None
    assert (loaded.price_target is not None) == (loaded.utilisation_premium is not None) == SAME_POWER
    assert (loaded.price_target_powers is None) == SAME_POWER


def _specials(rng: np.random.Generator, shape: tuple[int, int], scale: float) -> np.ndarray:
    """Random values (runs-last, as the engine keeps them) sprinkled with the values a rule must pass through."""
    x = (rng.random(shape) - 0.5) * scale
    specials = np.array([0.0, -0.0, 1.0, 1.0 + 1e-12, 2.0, -1.0, np.inf, -np.inf, np.nan, NEUTRAL_TOLERANCE,
                         -NEUTRAL_TOLERANCE, 1e-300])
    pick = rng.random(shape) < 0.2
    x[pick] = rng.choice(specials, size=int(pick.sum()))
    return np.asfortranarray(x)


def _target_inputs(seed: int):
    rng = np.random.default_rng(seed)
    n_runs, n_markets = 7, 23
    spec = SimpleNamespace(exponent=rng.choice([0.0, 0.3, 1.2, 4.0], n_markets),
                           floor=rng.choice([0.2, 0.5, 1.0], n_markets), cap=rng.choice([1.5, 3.0, np.inf], n_markets))
    spec.priced = spec.exponent > 0
    gap = _specials(rng, (n_runs, n_markets), 3.0)
    lost = _specials(rng, (n_runs, n_markets), 2.5)
    shape = (n_runs, n_markets)
    premium = np.asfortranarray(np.where(rng.random(shape) < 0.5, 1.0, 1.0 + rng.random(shape)))
    passed = _specials(rng, (n_runs, n_markets), 0.4)
    off = np.asfortranarray(rng.random((n_runs, n_markets)) < 0.8)
    live = np.flatnonzero(rng.random(n_markets) < 0.7)
    return spec, gap, off, lost, premium, passed, live


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_target_loop_is_numpys_target(loops, seed):
    if loops.price_target is None:
        pytest.skip("price_target is not compiled here: NumPy's power is not the C library's")
    spec, gap, off, lost, premium, passed, live = _target_inputs(seed)
    for flags in [(1, 1, 1), (0, 0, 0), (1, 0, 1), (0, 1, 0)]:
        args = [x if f else None for x, f in zip((lost, premium, passed), flags)]
        with np.errstate(all="ignore"):
            want = prices._target(spec, gap, off, *args, live)
        with np.errstate(all="ignore"):  # the plain-Python loop meets the same infinities
            got = prices._target_loop(loops, spec, gap, off, *args, live)
        _assert_numpys(got, want, loops)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_target_with_numpys_powers_is_numpys_target_to_the_bit(loops, seed):
    """The loop that takes NumPy's powers (used where NumPy's power is not the C library's) is `_target` to the
    bit on every machine, plain and compiled (compiled here only where it is loaded)."""
    if loops.price_target_powers is None:
        pytest.skip("price_target_powers is loaded only where NumPy's power is not the C library's")
    spec, gap, off, lost, premium, passed, live = _target_inputs(seed)
    for flags in [(1, 1, 1), (0, 0, 0), (1, 0, 1), (0, 1, 0), (1, 1, 0)]:
        args = [x if f else None for x, f in zip((lost, premium, passed), flags)]
        with np.errstate(all="ignore"):
            want = prices._target(spec, gap, off, *args, live)
            got = prices._target_powers_loop(loops, spec, gap, off, *args, live)
        assert _bits(got) == _bits(want)


def _capacity(c) -> np.ndarray:
    return np.asarray(c.capacity * c.schedules.day("capacity_factor", 0), dtype=float)


def _mid_run_state(c, n_runs: int, seed: int):
    """A state with random stocks, throughputs and capacities about their normal values (some zero)."""
    rng = np.random.default_rng(seed)
    s = _initial_state(c, n_runs)
    shape = s.stock[:, :-1].shape
    s.stock[:, :-1] *= rng.choice([0.0, 0.5, 1.0, 1.3], size=shape) * rng.random(shape) * 2
    s.throughput *= rng.random(s.throughput.shape) * 1.5
    capacity = _capacity(c)
    capacity = np.asfortranarray(np.broadcast_to(capacity, s.throughput.shape)
                                 * rng.choice([0.0, 0.7, 1.0, 1.2], size=s.throughput.shape))
    return s, capacity


@pytest.mark.parametrize("per_run_capacity", [False, True])
def test_update_with_loops_moves_prices_to_the_same_bits(loops, per_run_capacity):
    c = compile_scenario(load_baseline(horizon_days=30))
    spec = prices.price_spec(c)
    assert spec.buffers and spec.util_seller is not None and spec.counts_sales  # every compiled step is taken
    s, capacity = _mid_run_state(c, 9, 4)
    if not per_run_capacity:
        capacity = _capacity(c)
    for day in range(3):  # the price moves off 1, then the pass-through and the live markets change
        s.day = day
        numpy_state = copy.deepcopy(s.prices)
        s_numpy = dataclasses.replace(s, prices=numpy_state)
        moved = prices._update(c, spec, s_numpy.prices, s_numpy, capacity)
        moved_loops = prices._update(c, spec, s.prices, s, capacity, loops)
        assert np.array_equal(moved, moved_loops)
        _assert_numpys(s.prices.index, numpy_state.index, loops)
        assert np.array_equal(s.prices.off, numpy_state.off)
        premium_numpy = prices._utilisation_premium(spec, s, capacity)
        _assert_numpys(prices._utilisation_premium(spec, s, capacity, loops), premium_numpy, loops)
        s.stock[:, :-1] *= 0.9


def _summaries(c, seqs, monkeypatch, with_loops: bool):
    monkeypatch.setenv(jit.ENV, "on")
    if not with_loops:
        apply = prices.apply
        monkeypatch.setattr(prices, "apply", lambda c, s, inp, loops=None: apply(c, s, inp, None))
    part = run_vector(c, seqs, keep="summary")
    monkeypatch.undo()
    return {f.name: getattr(part, f.name) for f in dataclasses.fields(part)}


def _scenarios():
    ban = [ExportControl(exporter="CN", commodity=k, mode="ban", start=20) for k in ("gallium", "gallium_crude")]
    return {
        "baseline, random lead times": load_baseline(random_lead_times=True, horizon_days=60),
        "gallium ban with feedback": dataclasses.replace(
            load_baseline(random_lead_times=True, horizon_days=90).with_shocks(*ban), price_feedback=True),
        "flagship with feedback": dataclasses.replace(load_example("taiwan_blockade_magnets").with_horizon(120),
                                                      price_feedback=True),
    }


@pytest.mark.parametrize("name", list(_scenarios()))
def test_runs_with_and_without_the_price_loops_are_identical(name, monkeypatch):
    pytest.importorskip("numba")
    c = compile_scenario(_scenarios()[name])
    seqs = run_seed_sequences(5, 6)
    plain = _summaries(c, seqs, monkeypatch, with_loops=False)
    fast = _summaries(c, seqs, monkeypatch, with_loops=True)
    assert plain.keys() == fast.keys()
    for key, value in plain.items():
        if isinstance(value, np.ndarray):
            assert value.shape == fast[key].shape and value.tobytes() == fast[key].tobytes(), key
