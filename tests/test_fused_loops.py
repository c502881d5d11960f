"""Fused loops of the vector engine (branch speed6) give the NumPy code's bits, signed zeros and NaNs included."""

from types import SimpleNamespace

import numpy as np
import pytest

from supplychain import load_baseline
from supplychain.compile.compiler import compile_scenario
from supplychain.engines import _jit_kernels, jit, kernel, sourcing
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.sums import sum_into
from supplychain.engines.vector import (_lane_order_sums, _OrderLoops, _ProduceLoops, _Ring, _runs_last, _ShipLoops,
                                        run_vector)
from supplychain.model import RandomOutage, Triangular

NAMES = ("ring_add", "ring_take", "ship_head", "ship_tail", "split_plain", "recipe_cover", "start_add", "position")


@pytest.fixture(params=["plain", "compiled"])
def kernels(request):
    if request.param == "plain":
        return SimpleNamespace(**{n: getattr(_jit_kernels, n) for n in NAMES})
    pytest.importorskip("numba")
    assert jit.available()
    return jit._kernels()


def _bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()


def _state(c, rng, n_runs, *, owing: bool):
    s = kernel.initial_state(c, n_runs)
    for name in ("stock", "transit_lane", "transit_buyer", "owed", "throughput", "diverted", "seek_day"):
        setattr(s, name, _runs_last(getattr(s, name)))
    s.stock[:, :-1] *= rng.uniform(0.0, 1.5, size=(n_runs, c.n_stocks))
    if owing:
        owed = rng.random((n_runs, c.n_lanes)) * (rng.random((n_runs, c.n_lanes)) < 0.3)
        owed[0, :5] = -0.0
        s.owed[...] = owed
    return s


@pytest.mark.parametrize("owing", [False, True])
def test_fused_ship_is_the_numpy_ship(kernels, owing):
    # The random-lead baseline's lanes (several per origin and per buyer), 4 runs: orders above and at lane
    # capacity, zeros of both signs; with nothing owed every supplier ships all (the fast path), with backlogs
    # the rationing classes run. Both states, the shipments and the rings must agree to the bit.
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=20))
    assert _lane_order_sums(c) and _lane_order_sums(c, "origin")
    rng = np.random.default_rng(8)
    n = 4
    states = [_state(c, np.random.default_rng(3), n, owing=owing) for _ in range(2)]
    rings = [_Ring(c, n, 9, kernels), _Ring(c, n, 9, kernels)]
    loops = _ShipLoops(c, kernels, rings[0])
    cap = np.where(np.isfinite(c.lane_capacity), c.lane_capacity, 1e3)
    for t in range(3):
        orders = np.asfortranarray(rng.random((n, c.n_lanes)) * 2.0 * np.maximum(cap, 1e-3))
        orders[1, :10] = cap[:10]
        orders[2, :10] = -0.0
        orders[3, :10] = 0.0
        days = rng.integers(1, 9, size=(n, c.n_lanes)).astype(np.int16)
        for r in rings:
            r.take(t)
        loops.days, loops.t, loops.put = days, t, False
        fast = kernel.ship(c, states[0], orders.copy(order="F"), loops)
        assert loops.put
        slow = kernel.ship(c, states[1], orders.copy(order="F"))
        rings[1].put(t, slow, days, fits=True)
        assert _bits(fast, slow)
        for name in ("stock", "owed", "transit_lane", "transit_buyer", "throughput"):
            assert _bits(getattr(states[0], name), getattr(states[1], name)), name
        assert _bits(rings[0].buf, rings[1].buf)


def test_fused_ship_head_without_a_day_for_the_ring_leaves_the_put_to_the_caller(kernels):
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=5))
    s = _state(c, np.random.default_rng(1), 3, owing=False)
    loops = _ShipLoops(c, kernels, _Ring(c, 3, 4, kernels))
    loops.days = None
    kernel.ship(c, s, np.asfortranarray(np.ones((3, c.n_lanes))), loops)
    assert not loops.put


def test_undiverted_split_is_the_numpy_split(kernels):
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=5))
    rng = np.random.default_rng(2)
    q = np.asfortranarray(rng.random((5, c.n_buyers)) * 1e4)
    q[0, :] = -0.0
    q[1, :3] = np.nan
    share = rng.random(c.n_lanes)
    share[:4] = 0.0
    # Exactly at capacity: NumPy's minimum returns its second argument.
    share[4] = c.lane_capacity[4] / q[2, c.lane_buyer[4]]
    with np.errstate(invalid="ignore"):
        got = _OrderLoops(c, kernels, 5).split(q, share)
        want = q[:, c.lane_buyer] * share
        np.minimum(want, c.lane_capacity, out=want)
    assert got is not None and got.flags.f_contiguous and _bits(got, want)
    assert _OrderLoops(c, kernels, 5).split(q, np.broadcast_to(share, (5, c.n_lanes))) is None


def test_flag_of_diverted_shares_follows_them(monkeypatch):
    # Outages make buyers divert and return; the flag the fast path reads is the scan it replaces, every day.
    base = load_baseline(random_lead_times=True, horizon_days=90)
    c = compile_scenario(base.with_shocks(RandomOutage(rate_per_year=8.0, duration=Triangular(3.0, 8.0, 20.0),
                                                       stage="refinery")))
    seen = []
    real = sourcing.split_orders

    def checked(c_, s, *args, **kwargs):
        seen.append(s.diverted_any)
        assert s.diverted_any == bool(s.diverted.any())
        return real(c_, s, *args, **kwargs)

    monkeypatch.setattr(sourcing, "split_orders", checked)
    run_vector(c, run_seed_sequences(4, 3), keep="summary")
    assert any(seen) and not all(seen)


def test_fused_production_is_the_numpy_production(kernels):
    # The baseline's recipes (up to seven inputs, padded), stocks scattered over six orders of magnitude with
    # zeros of both signs, a day's capacity per run: the cover, the starts and every stock to the bit.
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=10))
    assert c.recipe_stock.shape[1] > 1
    rng = np.random.default_rng(6)
    n = 5
    states = []
    for _ in range(2):
        s = kernel.initial_state(c, n)
        for name in ("stock", "wip_ring", "wip", "stalled", "throughput"):
            if getattr(s, name) is not None:
                setattr(s, name, _runs_last(getattr(s, name)))
        states.append(s)
    stock = rng.random((n, c.n_stocks)) * 10.0 ** rng.integers(-2, 4, size=(n, c.n_stocks))
    stock[0, :20] = 0.0
    stock[1, :20] = -0.0
    capacity = c.capacity * rng.uniform(0.0, 1.2, size=(n, c.n_facilities))
    for s in states:
        s.stock[:, :-1] = stock
    loops = _ProduceLoops(c, kernels, n)
    assert loops.distinct
    fast = kernel.produce(c, states[0], capacity, loops)
    slow = kernel.produce(c, states[1], capacity)
    assert _bits(fast, slow)
    for name in ("stock", "wip_ring", "wip"):
        if getattr(states[0], name) is not None:
            assert _bits(getattr(states[0], name), getattr(states[1], name)), name


def test_fused_position_is_the_numpy_position(kernels):
    # Buyers with many lanes, backlogs of both signs of zero, backorders on the consumer stocks: the order
    # placed from the fused position is the NumPy one to the bit (and so is the state).
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=10))
    n = 4
    states = [_state(c, np.random.default_rng(5), n, owing=True) for _ in range(2)]
    for s in states:
        s.backlog = np.asfortranarray(np.random.default_rng(7).random((n, c.n_demands)) * 50.0)
        s.backlog[0] = -0.0
    loops = _OrderLoops(c, kernels, n)
    assert loops.positions
    got = loops.position(states[0].stock, states[0].transit_buyer, states[0].owed, states[0].backlog)
    want = states[1].stock[:, c.buyer_stock] + states[1].transit_buyer
    want += sum_into(states[1].owed, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
    want[:, kernel._demand_buyer(c)] -= states[1].backlog
    assert got is not None and _bits(got, want)
    share = c.schedules.day("share", 0)
    allow = c.schedules.day("lane_allow", 0)
    factor = c.schedules.day("order_factor", 0)
    fast = kernel.place_orders(c, states[0], share, allow, factor, loops)
    slow = kernel.place_orders(c, states[1], share, allow, factor)
    assert _bits(fast, slow)
    assert _bits(states[0].owed, states[1].owed)
