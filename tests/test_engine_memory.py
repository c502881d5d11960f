"""keep="summary" holds no daily series: peak memory stays far below what the series would take."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.engines.des import run_des
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.summary import LANE_TOTALS, SummarySink
from supplychain.engines.vector import run_vector
from supplychain.run import chunks as _chunks

N_RUNS = 8


@pytest.fixture(scope="module")
def scenario():
    # Deterministic, so no random draws (which a chunk must hold) blur what the recording takes.
    return synthetic_scenario(10, seed=2, horizon_days=180, cover_days=5.0)


def series_bytes(scenario, n_runs: int = N_RUNS) -> int:
    """What ``keep="series"`` records for ``n_runs`` runs: (runs, days, items) floats per variable."""
    c = compile_scenario(scenario)
    items = c.n_facilities + c.n_stocks + 3 * c.n_lanes + 3 * c.n_demands
    return 8 * n_runs * c.n_days * items


def peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_summary_peak_memory_is_a_fraction_of_the_series(engine, scenario):
    # What each extra run costs (the fixed cost of one run's state and the summary arrays cancels):
    # the old DES held every run's full series, i.e. about the series' own growth; percentile bands
    # keep each run's daily totals per group, a small fraction of that.
    c = compile_scenario(scenario)
    # The DES under tracemalloc is slow (minutes for 40 runs): fewer runs show the same growth per run.
    few = 2 if engine == "des" else N_RUNS
    kept = {n: peak_bytes(lambda n=n: _chunks._run_chunk(c, run_seed_sequences(1, n), engine, "summary"))
            for n in (few, 4 * few)}
    growth = series_bytes(scenario, 4 * few) - series_bytes(scenario, few)
    assert kept[4 * few] - kept[few] < growth / 4, (kept, growth)


def test_series_take_what_the_test_assumes(scenario):
    c = compile_scenario(scenario)
    assert peak_bytes(lambda: _chunks._run_chunk(c, run_seed_sequences(1, N_RUNS), "vector", "series")) \
        > series_bytes(scenario)


def test_des_summary_of_a_chunk_equals_its_runs_one_by_one():
    c = compile_scenario(synthetic_scenario(10, seed=2, horizon_days=120, stochastic=True))
    seqs = run_seed_sequences(4, 3)
    batch = run_des(c, seqs, keep="summary")
    for r, seq in enumerate(seqs):
        one = run_des(c, [seq], keep="summary")
        assert np.array_equal(one.delivered[0], batch.delivered[r])
        assert np.array_equal(one.daily[0], batch.daily[r])
    # Summarising a whole run at once gives the bits of the day-by-day sink the vector engine uses.
    series = run_des(c, seqs)
    daily = SummarySink(c, len(seqs))
    for t in range(c.n_days):
        daily.put(t, **{name: series[name][:, t] for name in ("demand", "delivered", "unmet", "served_on_day",
                                                              "flow", "price")})
    for name in ("demand", "delivered", "served_on_day", "stockout_days", "daily", *LANE_TOTALS):
        assert np.array_equal(getattr(daily.result(), name), getattr(batch, name)), name
    vec = run_vector(c, seqs, keep="summary")
    np.testing.assert_allclose(vec.delivered, batch.delivered, rtol=1e-12)
    np.testing.assert_allclose(vec.lane_flow, series["flow"].sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(batch.lane_flow, series["flow"].sum(axis=1), rtol=1e-12)
