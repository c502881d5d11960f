"""Whole landing days looked up in a table of uniforms are the days worked out through the square root, bit for bit.

`supplychain.engines._jit_kernels.triangular_table` finds, for each triangular lead time, the uniforms
of NumPy's grid (m / 2**53) at which the landing day steps up; `triangular_days` then counts the
thresholds below a uniform instead of inverting the CDF and rounding. Checked here: at every threshold
and the grid point after it (where a rounding could differ), on random uniforms, on awkward parameters
(a mode at an end, whole-day bounds, spans longer than the horizon), and on whole runs of the random-lead
baseline and of a scenario with a lead-time shock on some lanes (those keep the square root).
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from supplychain import load_baseline
from supplychain.compile.compiler import compile_scenario
from supplychain.compile.leadtime import LEAD_DAYS_TOLERANCE
from supplychain.engines import _jit_kernels, jit
from supplychain.engines.draws import _samplers, run_seed_sequences
from supplychain.engines.stacked import ItemSampler
from supplychain.engines.vector import draw_batch
from supplychain.model import LogisticsShock, Triangular

PLAIN = SimpleNamespace(triangular_days=_jit_kernels.triangular_days,
                        triangular_table=_jit_kernels.triangular_table, table_days=_jit_kernels.table_days)


@pytest.fixture(params=["plain", "compiled"])
def kernels(request):
    if request.param == "plain":
        return PLAIN
    pytest.importorskip("numba")
    assert jit.available()
    return jit._kernels()


AWKWARD = [Triangular(2.0, 3.0, 5.0), Triangular(20.0, 35.0, 50.0), Triangular(1.0, 1.0, 4.0),
           Triangular(0.5, 3.0, 3.0), Triangular(0.1, 0.2, 0.3), Triangular(3.0, 3.5, 4.0),
           Triangular(1e-9, 2.0, 7.0 + 1e-9), Triangular(6.999999999, 7.0, 7.000000001),
           Triangular(10.0, 200.0, 400.0), Triangular(0.0, 0.1 * 3 * 10, 9.0), Triangular(4.5, 4.5, 4.5 + 2**-30)]


def _sqrt_days(kernels, sampler: ItemSampler, u: np.ndarray, horizon: float) -> np.ndarray:
    """Days of uniforms ``u`` (k, n) the square-root way (no table), (n, k)."""
    k, n = u.shape
    out = np.zeros((n, k), dtype=np.int16)
    ones = np.ones((n, k))
    bad = kernels.triangular_days(u, np.arange(k, dtype=np.intp), *sampler._flat_params(), ones, ones * 0.0, False,
                                  LEAD_DAYS_TOLERANCE, horizon, out)
    assert bad == 0
    return out


def _table_days(kernels, sampler: ItemSampler, u: np.ndarray, horizon: float) -> np.ndarray:
    k, n = u.shape
    out = np.full((n, k), -1, dtype=np.int16)
    first, count, thresholds, ok = sampler.day_table(kernels, LEAD_DAYS_TOLERANCE, horizon)
    kernels.table_days(u, np.arange(k, dtype=np.intp), first, count, thresholds, ok, out)
    return out


@pytest.mark.parametrize("horizon", [365.0, 30.0, 2.0])
def test_table_days_are_the_square_roots_days_at_every_step(kernels, horizon):
    sampler = ItemSampler(AWKWARD)
    first, count, thresholds, ok = sampler.day_table(kernels, LEAD_DAYS_TOLERANCE, horizon)
    assert ok.all()
    step = _jit_kernels.UNIFORM_STEP
    # Every threshold, the grid points either side of it, and both ends of the grid, for every item at once.
    points = [0.0, step, 0.5, 1.0 - step]
    for i in range(len(AWKWARD)):
        for th in thresholds[i, :count[i]]:
            points += [th - step, th, th + step]
    u = np.clip(np.array(points), 0.0, 1.0 - step)
    u = np.ascontiguousarray(np.broadcast_to(u, (len(AWKWARD), len(u))))
    want = _sqrt_days(kernels, sampler, u, horizon)
    got = _table_days(kernels, sampler, u, horizon)
    assert np.array_equal(got, want)
    # Each threshold is where the day steps up by exactly one.
    for i in range(len(AWKWARD)):
        for j, th in enumerate(thresholds[i, :count[i]]):
            pair = np.array([[th, th + step]])
            d = _sqrt_days(kernels, ItemSampler([AWKWARD[i]]), pair, horizon)[:, 0]
            assert d.tolist() == [first[i] + j, first[i] + j + 1]


def test_table_days_are_the_square_roots_days_on_random_uniforms(kernels):
    rng = np.random.default_rng(11)
    lows = rng.uniform(0.0, 30.0, 40)
    items = [Triangular(float(a), float(a + b * m), float(a + b)) for a, b, m in
             zip(lows, rng.uniform(0.01, 40.0, 40), rng.random(40))]
    sampler = ItemSampler(items)
    u = rng.random((len(items), 2000))
    assert np.array_equal(_table_days(kernels, sampler, u, 365.0), _sqrt_days(kernels, sampler, u, 365.0))


def test_runs_draw_the_same_days_with_and_without_tables(monkeypatch):
    """The random-lead baseline, and a detour on China's lanes (they keep the square root): every day of every run."""
    pytest.importorskip("numba")
    kernels = jit._kernels()
    base = load_baseline(random_lead_times=True, horizon_days=120)
    detour = base.with_shocks(LogisticsShock(start=20, end=70, lead_time_multiplier=1.4, origin_region="CN"))
    table = ItemSampler.day_table

    def no_table(self, *args):  # type: ignore[no-untyped-def]
        first, count, thresholds, ok = table(self, *args)
        return first, count, thresholds, np.zeros_like(ok)  # every item through the square root
    for scenario in (base, detour):
        c = compile_scenario(scenario)
        assert _samplers(c)[1].day_table(kernels, LEAD_DAYS_TOLERANCE, float(c.n_days))[3].all()
        seqs = run_seed_sequences(7, 5)
        with_tables = draw_batch(c, seqs, arrival_days=True, kernels=kernels).arrival_days.copy()
        monkeypatch.setattr(ItemSampler, "day_table", no_table)
        without = draw_batch(c, seqs, arrival_days=True, kernels=kernels).arrival_days
        monkeypatch.setattr(ItemSampler, "day_table", table)
        assert np.array_equal(with_tables, without)


def test_a_day_that_falls_at_the_cut_gets_no_table(kernels):
    # Were the two branches to disagree by a rounding at the cut, the days would not rise with u: no table.
    sampler = ItemSampler([Triangular(1.0, 2.0, 3.0)])
    params = [p.copy() for p in sampler._flat_params()]
    params[1][0] = 1.0  # high below the mode: the falling branch starts below the rising one's end
    first, count = np.empty(1), np.empty(1, dtype=np.intp)
    thresholds, ok = np.zeros((1, 8)), np.ones(1, dtype=bool)
    kernels.triangular_table(*params, LEAD_DAYS_TOLERANCE, 365.0, first, count, thresholds, ok)
    assert not ok[0]
    # Non-finite parameters: no table either.
    params[0][0] = np.nan
    kernels.triangular_table(*params, LEAD_DAYS_TOLERANCE, 365.0, first, count, thresholds, ok)
    assert not ok[0]


def test_the_table_is_made_once_per_sampler(kernels):
    sampler = ItemSampler(AWKWARD[:3])
    assert sampler.day_table(kernels, LEAD_DAYS_TOLERANCE, 365.0) is sampler.day_table(
        kernels, LEAD_DAYS_TOLERANCE, 365.0)
    assert dataclasses.is_dataclass(Triangular)
