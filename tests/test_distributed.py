"""Chunks of runs on a real dask.distributed cluster: same results, and lost workers retried.

The cluster is a LocalCluster of two worker processes (with nannies, so a
killed worker is restarted); every wait is bounded so a broken cluster fails
the test instead of hanging it.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import Future
from typing import Any

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.model import LogNormal, RandomOutage
from supplychain.run import simulate

TIMEOUT_S = 120


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        c.wait_for_workers(2, timeout=TIMEOUT_S)
        yield c


@pytest.fixture(scope="module")
def scenario():
    return synthetic_scenario(20, seed=3, horizon_days=60, stochastic=True, cover_days=5.0).with_shocks(
        RandomOutage(stage="assembly", rate_per_year=6.0, duration=LogNormal(20.0, 5.0)))


def same(a, b) -> bool:
    return all(np.array_equal(a.arrays[k], b.arrays[k]) for k in a.arrays)


def test_client_gives_the_in_process_results(client, scenario):
    ref = simulate(scenario, engine="vector", n_runs=9, seed=7)
    assert same(simulate(scenario, engine="vector", n_runs=9, seed=7, executor=client, chunk_size=2), ref)
    with client.get_executor() as pool:
        assert same(simulate(scenario, engine="vector", n_runs=9, seed=7, executor=pool, chunk_size=4), ref)


def test_summary_on_the_cluster(client, scenario):
    ref = simulate(scenario, engine="vector", n_runs=20, seed=1, keep="summary")
    res = simulate(scenario, engine="vector", n_runs=20, seed=1, keep="summary", executor=client, chunk_size=3)
    assert np.array_equal(res.delivered, ref.delivered)
    assert all(np.array_equal(res.bands[k], ref.bands[k]) for k in ref.bands)


def kill_worker_once(marker: str, fn: Any, *args: Any) -> Any:
    """Run ``fn`` unless this is the first attempt of any task: then kill the worker process."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return fn(*args)
    os._exit(1)  # the worker dies mid-task, as on a crashed or pre-empted node


class _Bounded:
    """A dask future whose ``result`` waits at most ``TIMEOUT_S``."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def result(self) -> Any:
        return self.future.result(timeout=TIMEOUT_S)


class KillingExecutor:
    """Submits every chunk wrapped so that the first one to start kills its worker."""

    def __init__(self, client: Any, marker: str) -> None:
        self.client, self.marker = client, marker

    def submit(self, fn: Any, *args: Any) -> Future:
        return _Bounded(self.client.submit(kill_worker_once, self.marker, fn, *args, pure=False, retries=2))


def test_killed_worker_is_retried_without_changing_results(client, scenario, tmp_path):
    import cloudpickle
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import the tests
    try:
        marker = str(tmp_path / "killed")
        ref = simulate(scenario, engine="vector", n_runs=8, seed=5)
        res = simulate(scenario, engine="vector", n_runs=8, seed=5, executor=KillingExecutor(client, marker),
                       chunk_size=2)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert os.path.exists(marker), "a worker should have been killed"
    assert same(res, ref)
    client.wait_for_workers(2, timeout=TIMEOUT_S)
