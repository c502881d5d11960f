"""The local pool sends a :class:`~supplychain.run.pool.Once` argument to each worker once, and results do not change."""

import multiprocessing

import numpy as np
import pytest

from supplychain import load_baseline
from supplychain.compile.compiler import compile_scenario
from supplychain.engines.draws import run_seed_sequences
from supplychain.run import chunks
from supplychain.run.chunks import run_ensemble
from supplychain.run.pool import Once, _Kept, _resolve, local_pool

PICKLED = []


class Counted:
    """A value that records each time the parent pickles it."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __getstate__(self):
        PICKLED.append(self.n)
        return {"n": self.n}


def _plus(value: Counted, k: int) -> int:
    return value.n + k


def test_a_once_argument_is_pickled_once_per_worker_and_a_new_one_again():
    PICKLED.clear()
    first, second = Once(Counted(10)), Once(Counted(20))
    with local_pool(2, multiprocessing.get_context("fork")) as submit:
        tasks = [submit(_plus, first, k) for k in range(8)]
        assert [t.result() for t in tasks] == [10 + k for k in range(8)]
        assert PICKLED == [10, 10]  # one copy to each of the two workers
        tasks = [submit(_plus, second, k) for k in range(4)] + [submit(_plus, first, 100)]
        assert [t.result() for t in tasks] == [20, 21, 22, 23, 110]
    # the second value once per worker, then the first again to the worker that held the second
    assert PICKLED.count(20) == 2 and PICKLED.count(10) == 3


def test_a_worker_asked_for_a_value_it_does_not_hold_fails_loudly():
    held = [None, None]
    assert _resolve((Once("a"), 1), held) == ("a", 1)
    assert _resolve((_Kept(held[0]), 2), held) == ("a", 2)
    with pytest.raises(RuntimeError, match="does not hold"):
        _resolve((_Kept(held[0] + 1),), held)


def test_an_ensemble_on_worker_processes_sends_its_scenario_once_per_worker_with_the_same_bits(monkeypatch):
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=30))
    seqs = run_seed_sequences(5, 12)
    inline = run_ensemble(c, seqs, engine="vector", keep="summary", chunk_size=3)
    sent = []
    original = chunks.Once

    def counting(value):
        sent.append(value)
        return original(value)
    monkeypatch.setattr(chunks, "uses_processes", lambda *a: True)
    monkeypatch.setattr(chunks, "Once", counting)
    pooled = run_ensemble(c, seqs, engine="vector", keep="summary", chunk_size=3)
    assert sent == [c]  # one Once for the four chunks
    for name in ("demand", "delivered", "lane_flow", "value_added_loss"):
        assert np.array_equal(getattr(inline, name), getattr(pooled, name)), name
    for name, band in inline.bands.items():
        assert np.array_equal(band, pooled.bands[name]), name


def test_the_next_task_is_sent_as_soon_as_a_result_arrives():
    # A worker never waits for the caller to use the result it just returned.
    from supplychain.run.pool import LocalPool
    pool = LocalPool(1, multiprocessing.get_context("fork"))
    try:
        first, second = pool.submit(pow, 2, 3), pool.submit(pow, 2, 4)
        assert first.result() == 8
        assert pool.workers[0].task is second and not pool.queue
        assert second.result() == 16
    finally:
        pool.close()


def test_default_chunks_on_workers_are_near_equal_and_a_multiple_of_the_workers(monkeypatch):
    from supplychain.run.chunks import _even_bounds
    for n_runs, size in [(10_000, 108), (1_000, 113), (7, 2), (3, 100), (1, 5)]:
        bounds = _even_bounds(n_runs, size, 2)
        sizes = [hi - lo for lo, hi in bounds]
        assert bounds[0][0] == 0 and bounds[-1][1] == n_runs
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
        assert max(sizes) <= size and max(sizes) - min(sizes) <= 1
        assert len(bounds) % 2 == 0 or len(bounds) == n_runs
    # Same bits as in-process chunks of another size.
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=20))
    seqs = run_seed_sequences(2, 9)
    inline = run_ensemble(c, seqs, engine="vector", keep="summary", chunk_size=4)
    monkeypatch.setattr(chunks, "uses_processes", lambda *a: True)
    pooled = run_ensemble(c, seqs, engine="vector", keep="summary")
    for name in ("demand", "delivered", "lane_flow", "value_added_loss"):
        assert np.array_equal(getattr(inline, name), getattr(pooled, name)), name
