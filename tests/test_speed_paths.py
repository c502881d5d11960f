"""The vector engine's fast paths give the same bits as the plain arithmetic they replace."""

import dataclasses

import numpy as np
import pytest
from scipy import sparse

from supplychain import load_baseline
from supplychain.compile.compiler import compile_scenario
from supplychain.engines.draws import draw_run, run_seed_sequences
from supplychain.engines.kernel import arrival_days
from supplychain.engines.stacked import ItemSampler, sample_items
from supplychain.engines.sums import csr_times
from supplychain.engines.vector import _Ring, draw_batch
from supplychain.impact.loss import InputMap, Shortfalls, load_io_table
from supplychain.model import Scenario
from supplychain.model.dists import LogNormal, Normal, Triangular, Uniform

from .conftest import chain_network


@pytest.mark.parametrize("order", ["C", "F"])
def test_csr_times_is_the_sparse_product_bit_for_bit(order):
    rng = np.random.default_rng(0)
    m = sparse.random(30, 50, density=0.2, random_state=1, format="csr")
    x = np.asarray(rng.normal(size=(50, 17)) * 10.0 ** rng.integers(-8, 8, size=(50, 17)), order=order)
    assert np.array_equal(csr_times(m, x), m @ x)
    assert np.array_equal(csr_times(m, x[:, ::2]), m @ x[:, ::2])  # a strided view


def test_sampler_reused_across_runs_draws_like_one_call_per_item():
    items = [Triangular(1.0, 2.0, 4.0), Triangular(2.0, 2.0, 9.0), LogNormal(5.0, 1.0), LogNormal(3.0, 0.5),
             Uniform(0.0, 3.0), Normal(1.0, 0.1, low=0.0), Normal(2.0, 0.3), Normal(0.0, 1.0, low=0.5, high=3.0)]
    sampler = ItemSampler(items)
    for seed in range(3):
        rng = np.random.default_rng(seed)
        expected = np.column_stack([d.sample(rng, 40) for d in items])
        assert np.array_equal(sampler.sample(np.random.default_rng(seed), 40), expected)
        assert np.array_equal(sample_items(items, np.random.default_rng(seed), 40), expected)


def test_ring_table_path_equals_the_checked_path():
    # Landing days pre-computed (capped at the horizon, ring wide enough) against the path that checks them.
    c = compile_scenario(Scenario(chain_network(), horizon_days=40))
    rng = np.random.default_rng(3)
    days = rng.integers(1, 60, size=(40, 5, c.n_lanes))
    capped = np.minimum(days, 40).astype(np.int16)
    fast, slow = _Ring(c, 5, width=41), _Ring(c, 5, width=2)
    for t in range(40):
        assert np.array_equal(fast.take(t), slow.take(t))
        goods = np.asfortranarray(rng.random((5, c.n_lanes)))
        fast.put(t, goods, np.ascontiguousarray(capped[t]), fits=True)
        slow.put(t, goods, np.asfortranarray(days[t]))


def test_landing_days_are_the_lead_times_rounded_up():
    net = chain_network()
    lanes = tuple(dataclasses.replace(l, lead_time=Triangular(0.5, 3.0, 80.0)) for l in net.lanes)
    c = compile_scenario(Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=50))
    seqs = run_seed_sequences(4, 3)
    batch = draw_batch(c, seqs, arrival_days=True)
    for r, seq in enumerate(seqs):
        lead = draw_run(c, seq).lead_time
        assert np.array_equal(batch.arrival_days[r], np.minimum(arrival_days(lead), 50))


def test_shortfalls_without_any_short_day_give_factors_of_one():
    net = load_baseline(horizon_days=5).network
    imap = InputMap.build(net, load_io_table())
    demand = np.tile([d.rate_per_day for d in net.demands], (3, 1))
    quick = Shortfalls(imap, 3).capacity(demand, demand.copy())
    full = imap.capacity(demand, demand.copy(), np.zeros((3, len(imap.columns))))
    assert np.array_equal(quick, full) and quick.shape == full.shape
    short = demand.copy()
    short[1] *= 0.5
    s = Shortfalls(imap, 3)
    np.testing.assert_array_equal(s.capacity(demand, short), imap.capacity(demand, short, s.age))
    assert (s.capacity(demand, short)[1] < 1).any()


def test_chunk_budget_counts_landing_days_in_two_bytes_and_stays_within_it():
    # keep="summary" holds random lead times as landing days of at most two bytes (uint8 for the baseline's: an
    # eighth of float64 lead times): the
    # budget counts them so, and the draws of a chunk of the default size fit the chunk budget.
    from supplychain.run.chunks import (
        CHUNK_BUDGET_BYTES,
        _bytes_per_run,
        default_chunk_size,
    )
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=40))
    assert _bytes_per_run(c, "summary") >= 2 * c.n_days * c.n_lanes
    size = default_chunk_size(c, 10_000, "vector", "summary")
    batch = draw_batch(c, run_seed_sequences(0, 3), arrival_days=True)
    assert batch.arrival_days.dtype == np.uint8
    assert size * batch.arrival_days[0].nbytes <= CHUNK_BUDGET_BYTES


def test_scarcest_input_cover_is_the_min_over_the_recipe():
    # produce() takes the least cover one recipe column at a time; the oracle is the min over the gathered block.
    from supplychain.engines import kernel
    c = compile_scenario(load_baseline(horizon_days=3))
    rng = np.random.default_rng(2)
    state = kernel.initial_state(c, 4)
    state.stock = np.asfortranarray(rng.random(state.stock.shape) * 10.0 ** rng.integers(-3, 4, size=state.stock.shape))
    state.stock[:, -1] = np.inf  # the padding stock
    expected = np.minimum(np.minimum(c.capacity, (state.stock[:, c.recipe_stock] / c.recipe_ratio).min(axis=2)),
                          np.where(state.stock[:, c.out_stock] <= c.prod_trigger,
                                   c.prod_target - state.stock[:, c.out_stock], 0.0))
    state.restart = state.cold = state.dyn = state.wip_ring = state.design = None  # random stocks, no design accounts
    assert c.recipe_stock.shape[1] > 1
    np.testing.assert_array_equal(kernel.produce(c, state, c.capacity), np.maximum(expected, 0.0))


@pytest.mark.parametrize("loops", ["plain", "compiled"])
def test_ring_emptied_with_transit_and_buyer_sums_is_take_then_arrive(loops):
    # The fused arrival (compiled loops) against take() and the rule's own sums, on the random-lead baseline's
    # lanes (many lanes per buyer), 5 runs, a ring narrower than the pre-filled pipeline.
    from types import SimpleNamespace

    from supplychain.engines import _jit_kernels, jit
    from supplychain.engines.kernel import arrive, initial_state
    from supplychain.engines.vector import _lane_order_sums, _runs_last
    if loops == "compiled":
        pytest.importorskip("numba")
        kernels = jit._kernels()
    else:
        kernels = SimpleNamespace(**{n: getattr(_jit_kernels, n) for n in ("ring_add", "ring_take", "ring_arrive")})
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=12))
    assert _lane_order_sums(c)
    rng = np.random.default_rng(4)
    states = []
    for _ in range(2):
        s = initial_state(c, 5)
        s.stock, s.transit_lane, s.transit_buyer = (_runs_last(a) for a in (s.stock, s.transit_lane, s.transit_buyer))
        states.append(s)
    fused, plain = _Ring(c, 5, 4, kernels), _Ring(c, 5, 4)
    buyer = np.array(c.lane_buyer, dtype=np.intp)
    for t in range(8):
        landed, by_buyer = fused.take_arriving(t, states[0].transit_lane, buyer, c.n_buyers)
        arrive(c, states[0], landed, by_buyer)
        expected = plain.take(t)
        arrive(c, states[1], expected)
        assert np.array_equal(landed, expected)
        for name in ("stock", "transit_lane", "transit_buyer"):
            assert np.array_equal(getattr(states[0], name), getattr(states[1], name)), name
        goods = np.asfortranarray(rng.random((5, c.n_lanes)) * 10.0 ** rng.integers(-3, 6, size=(5, c.n_lanes)))
        days = rng.integers(1, 5, size=(5, c.n_lanes)).astype(np.int16)
        fused.put(t, goods, days, fits=True)
        plain.put(t, goods, days, fits=True)


def test_landing_days_take_the_narrowest_integers_that_hold_them():
    # uint8 while no landing day can pass 255 (the horizon, or the longest lead time times its shocks); else int16.
    from supplychain.engines.vector import _days_dtype
    from supplychain.model import LogisticsShock
    net = chain_network()

    def dtype(lead, days, *shocks):
        lanes = tuple(dataclasses.replace(l, lead_time=lead) for l in net.lanes)
        s = Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=days).with_shocks(*shocks)
        return _days_dtype(compile_scenario(s))
    assert dtype(Triangular(1.0, 5.0, 400.0), 200) is np.uint8        # capped at the horizon
    assert dtype(Triangular(1.0, 5.0, 200.0), 700) is np.uint8        # the longest lead time fits
    assert dtype(Triangular(1.0, 5.0, 254.5), 700) is np.uint8        # ceil(254.5) = 255
    assert dtype(Triangular(1.0, 5.0, 255.5), 700) is np.int16
    assert dtype(Triangular(1.0, 5.0, 200.0), 700, LogisticsShock(start=3, end=50, lead_time_multiplier=1.3)) is np.int16
    assert dtype(LogNormal(6.0, 3.0), 700) is np.int16                 # no longest lead time
