"""The compiled loops of allocation by class (value tiers) give the NumPy passes' bits.

`._jit_sourcing.class_ahead` (what a supplier owes ahead of a new order, `sourcing._ahead`) and
`._jit_sourcing.ship_tiers` (each supplier serving its service classes in turn, `kernel.ship`) replace
NumPy passes over every lane for every value tier, and without them NumPy passes each tier over the
suppliers that have it; `split_diverted` now also takes the locked volume owed out of reach (``hold``). Checked as plain Python (the same source) and compiled, on states of the
README's gallium ban with price feedback on (allocation by value, bids spread to up to 13 tiers a supplier).
"""

import copy
import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain import ExportControl, load_baseline, simulate
from supplychain.compile.compiler import compile_scenario
from supplychain.compile.rules import sourcing as rules_sourcing
from supplychain.compile.rules.allocation import lane_values
from supplychain.engines import _jit_sourcing, jit, kernel, sourcing
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.sums import sum_into
from supplychain.engines.vector import run_vector


def _ban(horizon_days=None, feedback=True):
    shocks = [ExportControl(exporter="CN", commodity=k, mode="ban", start="2025-03-01")
              for k in ("gallium", "gallium_crude")]
    kwargs = {} if horizon_days is None else {"horizon_days": horizon_days}
    return load_baseline(random_lead_times=True, **kwargs).with_shocks(*shocks).replace(price_feedback=feedback)


@pytest.fixture(params=["plain", "compiled"])
def kernels(request):
    if request.param == "plain":
        return SimpleNamespace(class_ahead=_jit_sourcing.class_ahead, ship_tiers=_jit_sourcing.ship_tiers,
                               split_diverted=_jit_sourcing.split_diverted)
    pytest.importorskip("numba")
    assert jit.available()
    return jit._kernels()


@pytest.fixture(scope="module")
def days():
    """States before shipping and before cancelling on some days of 3 runs of the ban (NumPy engine).

    The shipped bids give a supplier at most two tiers; to load the class loops, every lane's bid is
    spread over 13 levels (tiers that only the loops see, not the rule's)."""
    mp = pytest.MonkeyPatch()
    mp.setattr(rules_sourcing, "lane_values",
               lambda net: lane_values(net, capped=False) * (1.0 + np.arange(len(net.lanes)) % 13))
    try:
        c = compile_scenario(_ban())
    finally:
        mp.undo()
    ships, cancels, splits = [], [], []
    real_ship, real_cancel, real_split = kernel.ship, sourcing.cancel_late, sourcing.split_orders

    def ship(c_, s, orders, fused=None):
        if s.day % 19 == 7 and s.owed.any():
            ships.append(copy.deepcopy((s, orders)))
        return real_ship(c_, s, orders, fused)

    def cancel(c_, s, sp, fused=None):
        if s.day % 17 == 5:
            cancels.append(copy.deepcopy(s))
        return real_cancel(c_, s, sp, fused)

    def split(c_, s, sp, q, share, allow, late, filed=None, licensed=None, plain=None, fused=None, hold=None):
        if hold is not None and len(splits) < 6:
            splits.append(copy.deepcopy((s, sp, q, share, allow, late, filed, licensed, plain, hold)))
        return real_split(c_, s, sp, q, share, allow, late, filed, licensed, plain, None, hold)

    mp = pytest.MonkeyPatch()
    mp.setattr(kernel, "ship", ship)
    mp.setattr(kernel._sourcing, "cancel_late", cancel)
    mp.setattr(kernel._sourcing, "split_orders", split)
    mp.setenv("SUPPLYCHAIN_JIT", "off")
    try:
        run_vector(c, run_seed_sequences(5, 3), keep="summary")
    finally:
        mp.undo()
    assert len(ships) >= 5 and len(cancels) >= 5 and splits
    return c, ships, cancels, splits


def _bits(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()


class _Ship(kernel.ShipLoops):
    """Shipping's head in NumPy, no tail: only the class loop comes from ``kernels``."""

    def __init__(self, c, kernels):
        self.c, self.kernels = c, kernels

    def head(self, orders, owed):
        c = self.c
        wanted = np.minimum(orders, c.lane_capacity)
        return (wanted, sum_into(owed, c.lane_origin, c.n_facilities, c.sum_by_origin),
                sum_into(wanted, c.lane_origin, c.n_facilities, c.sum_by_origin))

    def tail(self, s, orders, shipped):
        return None


def _odd(c, s, rng):
    """The state with odd values the runs rarely make: backlogs of zero of both signs, exactly at the
    lane's history, empty suppliers."""
    sp = sourcing.spec(c)
    owed = s.owed
    owed[0, :40] = -0.0
    owed[1, :40] = 0.0
    pick = rng.random(c.n_lanes) < 0.1
    owed[:, pick] = sp.lane_flow[pick]
    s.stock[:, c.out_stock[::5]] = 0.0


def test_value_rank_has_many_tiers(days):
    c = days[0]
    assert sourcing.spec(c).n_tiers >= 10  # the ban with feedback on exercises allocation by value


def _every_lane(monkeypatch):
    """NumPy's passes over every lane for every tier (no class layout), the reference."""
    monkeypatch.setattr(sourcing, "_class_layout", lambda c, sp: None)


@pytest.mark.parametrize("odd", [False, True])
def test_ahead_is_the_numpy_ahead(days, kernels, odd, monkeypatch):
    c, _, cancels, _ = days
    sp = sourcing.spec(c)
    rng = np.random.default_rng(3)
    states = []
    for s in cancels:
        s = copy.deepcopy(s)
        if odd:
            _odd(c, s, rng)
        states.append(s)
    calls = []
    counted = SimpleNamespace(class_ahead=lambda *a: calls.append(kernels.class_ahead(*a)))
    got = [sourcing._ahead(c, s, sp, counted) for s in states]
    assert len(calls) == len(states)
    by_tier = [sourcing._ahead(c, s, sp) for s in states]  # NumPy, each tier over the suppliers that have it
    with monkeypatch.context() as m:
        _every_lane(m)
        want = [sourcing._ahead(c, s, sp) for s in states]
    for g, t, w in zip(got, by_tier, want):
        assert _bits(g, w)
        assert _bits(t, w)


def test_ahead_with_a_record_of_recent_shipments(days, kernels):
    # Under "recent" each lane's history is its moving record (R, L), not the steady flow.
    c, _, cancels, _ = days
    sp = sourcing.spec(c)
    rng = np.random.default_rng(5)
    for s in cancels[::3]:
        s = copy.deepcopy(s)
        s.recent = np.asfortranarray(sp.lane_flow * rng.uniform(0.0, 2.0, size=s.owed.shape))
        assert _bits(sourcing._ahead(c, s, sp, kernels), sourcing._ahead(c, s, sp))


@pytest.mark.parametrize("odd", [False, True])
def test_ship_by_class_is_the_numpy_loop(days, kernels, odd, monkeypatch):
    c, ships, _, _ = days
    rng = np.random.default_rng(7)
    short = 0
    for s, orders in ships:
        slow, tiered, fast = copy.deepcopy(s), copy.deepcopy(s), copy.deepcopy(s)
        if odd:
            for state in (slow, tiered, fast):
                _odd(c, state, np.random.default_rng(short))
            orders = np.asfortranarray(orders * rng.uniform(0.0, 3.0, size=orders.shape))
        with monkeypatch.context() as m:
            _every_lane(m)
            want = kernel.ship(c, slow, orders, None)
        by_tier = kernel.ship(c, tiered, orders, None)  # NumPy, each tier over the suppliers that have it
        calls = []
        counted = SimpleNamespace(ship_tiers=lambda *a: calls.append(kernels.ship_tiers(*a)))
        got = kernel.ship(c, fast, orders, _Ship(c, counted))
        assert calls  # some supplier rationed: the loop ran
        assert _bits(got, want)
        assert _bits(by_tier, want)
        for name in ("stock", "owed", "throughput", "transit_lane", "transit_buyer"):
            assert _bits(getattr(fast, name), getattr(slow, name)), name
            assert _bits(getattr(tiered, name), getattr(slow, name)), name
        short += 1
    assert short >= 5


def test_split_with_locked_volume_owed_out_of_reach(days, kernels):
    # A lane out of reach owes locked volume (`locked_owed`): it is held out with the carry, compiled too.
    c, _, _, splits = days

    class Loops(sourcing.OrderLoops):
        pass

    loops = Loops()
    loops.kernels = kernels
    for s, sp, q, share, allow, late, filed, licensed, plain, hold in splits:
        slow, fast = copy.deepcopy(s), copy.deepcopy(s)
        want = sourcing.split_orders(c, slow, sp, q, share, allow, late, filed, licensed, plain, None, hold)
        used = []
        real = loops.diverted

        def spy(*a, **k):
            out = real(*a, **k)
            used.append(out is not None)
            return out

        loops.diverted = spy
        got = sourcing.split_orders(c, fast, sp, q, share, allow, late, filed, licensed, plain, loops, hold)
        del loops.diverted
        assert used == [True]
        assert _bits(got, want)
        for name in ("diverted", "seek_day", "locked", "share_applied"):
            assert _bits(getattr(fast, name), getattr(slow, name)), name


def test_ban_with_feedback_has_the_same_bits_with_and_without_compiled_loops(monkeypatch):
    pytest.importorskip("numba")
    scenario = _ban(horizon_days=150)
    out = {}
    for mode in ("off", "on"):
        monkeypatch.setenv("SUPPLYCHAIN_JIT", mode)
        out[mode] = simulate(scenario, engine="vector", n_runs=3, seed=42, keep="series", executor=None)
    compared = 0
    for f in dataclasses.fields(out["off"]):
        a, b = getattr(out["off"], f.name), getattr(out["on"], f.name)
        pairs = [(f"{f.name}.{k}", a[k], b[k]) for k in a] if isinstance(a, dict) else [(f.name, a, b)]
        for name, x, y in pairs:
            if isinstance(x, np.ndarray):
                assert _bits(x, y), name
                compared += 1
    assert compared >= 5
