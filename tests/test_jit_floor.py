"""The compiled minimal kernel of ``benchmarks/floor_compiled.py`` (a floor, not a model) runs in both loop orders.

On a deterministic network the two orders simulate the same days, so their fill rates agree (to the order
in which served and wanted units are summed).
"""

import os
import sys

import pytest

from supplychain.datasets.synthetic import synthetic_scenario

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks"))


def test_both_loop_orders_give_the_same_fill_rate():
    pytest.importorskip("numba")
    from floor_compiled import floor_runs, network_arrays
    arrays = network_arrays(synthetic_scenario(10, seed=1, stochastic=False, horizon_days=60))
    inner = floor_runs(arrays, 3, "runs-inner", chunk=2)
    outer = floor_runs(arrays, 3, "runs-outer")
    assert 0.0 < inner <= 1.0
    assert inner == pytest.approx(outer, rel=1e-9)
