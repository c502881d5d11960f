"""The vector engine: chunking, executors, summaries, random outages and common random numbers."""

from __future__ import annotations

import dataclasses
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.datasets.synthetic import synthetic_network, synthetic_scenario
from supplychain.engines.draws import draw_run, run_seed_sequences
from supplychain.engines.outages import draw_outages, outage_cover
from supplychain.engines.stacked import sample_items
from supplychain.engines.summary import BandAccumulator
from supplychain.engines.vector import _Ring, run_vector
from supplychain.errors import UnknownIdError, ValidationError
from supplychain.metrics import material_balance
from supplychain.model import (
    DaysOfCover,
    Empirical,
    Fixed,
    LogisticsShock,
    LogNormal,
    Normal,
    RandomOutage,
    Scenario,
    Triangular,
    Uniform,
    shock_from_dict,
)
from supplychain.results.ensemble import EnsembleResults
from supplychain.run import chunks as _chunks
from supplychain.run import simulate

from .conftest import chain_network


def stressed(n_facilities: int = 25, horizon_days: int = 120) -> Scenario:
    """A stochastic synthetic scenario whose assembly-plant outages cause shortages."""
    return synthetic_scenario(n_facilities, seed=4, horizon_days=horizon_days, stochastic=True,
                              cover_days=4.0).with_shocks(
        RandomOutage(stage="assembly", rate_per_year=6.0, duration=LogNormal(40.0, 10.0)),
        RandomOutage(stage="mine", rate_per_year=3.0, duration=Fixed(30.0), group="quake"))


# Chunks, executors and the default pool -----------------------------------------------------------

def test_runs_do_not_depend_on_chunk_size():
    c = compile_scenario(stressed())
    seqs = run_seed_sequences(11, 9)
    whole = run_vector(c, seqs)
    for size in (1, 4):
        parts = _chunks.run_ensemble(c, seqs, engine="vector", keep="series", chunk_size=size)
        for name, arr in whole.items():
            assert np.array_equal(parts[name], arr), name
    assert whole["unmet"].sum() > 0, "the scenario should cause shortages"


def test_deterministic_scenario_gives_identical_runs():
    res = simulate(Scenario(chain_network(), horizon_days=60), engine="vector", n_runs=3, seed=0)
    assert np.array_equal(res.flow[0], res.flow[2])
    assert res.arrays.keys() == simulate(res.scenario, engine="des", seed=0).arrays.keys()


@pytest.mark.parametrize("make", [lambda: ThreadPoolExecutor(2), lambda: ProcessPoolExecutor(2)],
                         ids=["threads", "processes"])
def test_executors_give_bit_identical_results(make):
    scenario = stressed(horizon_days=60)
    ref = simulate(scenario, engine="vector", n_runs=10, seed=5)
    with make() as pool:
        res = simulate(scenario, engine="vector", n_runs=10, seed=5, executor=pool, chunk_size=3)
    for name, arr in ref.arrays.items():
        assert np.array_equal(res.arrays[name], arr), name


def test_default_pool_for_large_ensembles(monkeypatch):
    scenario = stressed(horizon_days=40)
    ref = simulate(scenario, engine="vector", n_runs=12, seed=2, keep="summary")
    monkeypatch.setattr(_chunks, "_PROCESS_THRESHOLD_S", 0.0)
    assert _chunks.uses_processes(compile_scenario(scenario), 12, "vector")
    res = simulate(scenario, engine="vector", n_runs=12, seed=2, keep="summary")
    assert np.array_equal(res.delivered, ref.delivered)
    assert all(np.array_equal(res.bands[k], ref.bands[k]) for k in ref.bands)


def test_progress_bar_goes_to_stderr_on_a_terminal_only(capsys, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    simulate(Scenario(chain_network(), horizon_days=10), engine="vector", n_runs=4, seed=0, progress=True)
    assert "vector runs" in terminal.getvalue() and "4/4" in terminal.getvalue()
    log = io.StringIO()            # a log file: no bar
    monkeypatch.setattr(sys, "stderr", log)
    simulate(Scenario(chain_network(), horizon_days=10), engine="vector", n_runs=4, seed=0, progress=True)
    assert log.getvalue() == "" and capsys.readouterr().out == ""


@pytest.mark.parametrize("kwargs, match", [
    ({"keep": "all"}, "keep must be 'series' or 'summary'; got 'all' for simulate."),
    ({"chunk_size": 0}, "chunk_size must be a positive integer or None; got 0 for simulate."),
    ({"executor": "dask"}, "executor must be a concurrent.futures.Executor, a dask.distributed Client or None"),
    ({"progress": "yes"}, "progress must be True or False; got 'yes' for simulate."),
])
def test_ensemble_arguments_are_validated(kwargs, match):
    with pytest.raises(ValidationError, match=match):
        simulate(Scenario(chain_network(), horizon_days=5), engine="vector", **kwargs)


def test_ring_grows_without_losing_goods():
    c = compile_scenario(Scenario(chain_network(), horizon_days=50))
    ring = _Ring(c, 2, width=1)
    width = ring.width
    for t in range(3):
        np.testing.assert_array_equal(ring.take(t), np.tile(c.initial_arrivals[t], (2, 1)))
    goods = np.ones((2, c.n_lanes), order="F")
    ring.put(2, goods, np.array([1, 2]))
    ring.put(2, 5 * goods, np.full((2, c.n_lanes), width + 10))
    assert ring.width > width
    expected = np.zeros((width + 20, c.n_lanes))
    expected[: len(c.initial_arrivals)] = c.initial_arrivals
    expected[3, 0] += 1.0
    expected[4, 1] += 1.0
    expected[2 + width + 10] += 5.0
    for t in range(3, width + 20):
        np.testing.assert_array_equal(ring.take(t), np.tile(expected[t], (2, 1)))


def test_stacked_draws_equal_one_call_per_item():
    """Drawing items in one call per family gives exactly the numbers of one call per item."""
    rng = np.random.default_rng(0)
    for _ in range(50):
        items = []
        for _ in range(int(rng.integers(1, 10))):
            a = float(rng.uniform(0.5, 10.0))
            items.append([Triangular(a, a + 1.0, a + 1.5), Uniform(a, 2 * a), Normal(a, 0.5), LogNormal(a, 0.3 * a),
                          Normal(1.0, 0.2, low=0.0), Empirical((a, 2 * a), (1.0, 3.0))][int(rng.integers(6))])
        seed, days = int(rng.integers(2**31)), int(rng.integers(1, 40))
        one = np.random.default_rng(seed)
        expected = np.column_stack([d.sample(one, days) for d in items])
        assert np.array_equal(sample_items(items, np.random.default_rng(seed), days), expected)


# Summaries ---------------------------------------------------------------------------------------

def test_summary_matches_series_and_ignores_chunking():
    scenario = stressed()
    series = simulate(scenario, engine="vector", n_runs=12, seed=3)
    summary = simulate(scenario, engine="vector", n_runs=12, seed=3, keep="summary", chunk_size=5)
    again = simulate(scenario, engine="vector", n_runs=12, seed=3, keep="summary", chunk_size=12)
    assert isinstance(summary, EnsembleResults) and summary.bands_exact
    np.testing.assert_allclose(summary.delivered, series.delivered.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(summary.demand, series.demand.sum(axis=1), rtol=1e-12)
    table, ref = summary.summary(), series.summary()
    for col in ref.columns:
        if ref[col].dtype.kind == "f":
            np.testing.assert_allclose(table[col], ref[col], rtol=1e-10, atol=1e-9)
        else:
            assert table[col].tolist() == ref[col].tolist()
    assert (table["fill_rate_p5"] <= table["fill_rate_p95"]).all()
    assert np.array_equal(summary.delivered, again.delivered)
    assert all(np.array_equal(summary.bands[k], again.bands[k]) for k in summary.bands)


def test_summary_lands_shipments_on_the_days_the_series_path_does():
    """keep="summary" turns lead times into whole landing days when drawn; keep="series" each day.

    Both must give the same flows and deliveries bit for bit, also under a shock that
    stretches some lanes' lead times mid-run and with shipments still at sea at the end.
    """
    scenario = synthetic_scenario(30, seed=6, horizon_days=90, stochastic=True, cover_days=6.0).with_shocks(
        LogisticsShock(through="CN", lead_time_multiplier=2.5, start=20, end=50))
    c = compile_scenario(scenario)
    seqs = run_seed_sequences(5, 4)
    series = run_vector(c, seqs)
    summary = run_vector(c, seqs, keep="summary")
    assert np.array_equal(summary.lane_flow, np.cumsum(series["flow"], axis=1)[:, -1])
    assert np.array_equal(summary.delivered, np.cumsum(series["delivered"], axis=1)[:, -1])
    assert series["in_transit"][:, -1].sum() > 0  # some shipments land after the horizon


def test_bands_are_exact_percentiles_of_daily_values():
    scenario = stressed()
    series = simulate(scenario, engine="vector", n_runs=15, seed=8)
    summary = simulate(scenario, engine="vector", n_runs=15, seed=8, keep="summary")
    price = np.array([{c.id: c.price_usd for c in scenario.network.commodities}[k]
                      for k in series.coords.commodity["demand"]])
    demand_usd = (series.demand * price).sum(axis=2)
    delivered_usd = (series.delivered * price).sum(axis=2)
    service = np.where(demand_usd > 0, delivered_usd / demand_usd, 1.0)
    shortfall = np.maximum(np.cumsum(demand_usd - delivered_usd, axis=1), 0.0)
    np.testing.assert_allclose(summary.band("service_level"),
                               np.percentile(service.astype(np.float32), summary.quantiles, axis=0), rtol=1e-6)
    np.testing.assert_allclose(summary.band("shortfall_usd"),
                               np.percentile(shortfall.astype(np.float32), summary.quantiles, axis=0),
                               rtol=1e-5, atol=1e-3)
    q = summary.band("shortfall_usd")
    assert (np.diff(q, axis=0) >= 0).all() and q[-1].max() > 0
    frame = summary.bands_dataframe()
    assert len(frame) == len(summary.bands) * len(summary.quantiles) * summary.n_days * len(summary.band_groups)


def test_band_blocks_average_block_percentiles():
    values = np.random.default_rng(0).random((10, 3, 2)).astype(np.float32)
    acc = BandAccumulator(10, 3, 2, budget=4 * 3 * 2 * 4)  # four runs per block: 4, 3, 3
    acc.add(values[:7])
    acc.add(values[7:])
    bands, exact = acc.result()
    blocks = [values[:4], values[4:7], values[7:]]
    expected = sum(np.percentile(b, acc.quantiles, axis=0) * len(b) for b in blocks) / 10
    assert not exact and acc.sizes == [4, 3, 3]
    np.testing.assert_allclose(bands, expected, rtol=1e-12)


def test_summary_with_the_des_engine():
    scenario = Scenario(chain_network(refinery_capacity=4.0, cover=5.0), horizon_days=150)
    res = simulate(scenario, engine="des", n_runs=2, seed=1, keep="summary")
    ref = simulate(scenario, engine="vector", n_runs=2, seed=1, keep="summary")
    assert res.engine == "des" and res.summary()["fill_rate"].iloc[0] < 1.0
    np.testing.assert_allclose(res.delivered, ref.delivered, rtol=1e-12)


# Random outages -----------------------------------------------------------------------------------

def outage_scenario(*outages: RandomOutage, horizon_days: int = 365) -> Scenario:
    return Scenario(synthetic_network(30, seed=2), horizon_days=horizon_days).with_shocks(*outages)


def test_random_outage_validation():
    with pytest.raises(ValidationError, match="facility must be None when region or stage selects"):
        RandomOutage(facility="CN.mine", region="CN", rate_per_year=1, duration=5)
    with pytest.raises(ValidationError, match=r"capacity_lost must be <= 1; got 1.5 for RandomOutage."):
        RandomOutage(stage="fab", rate_per_year=1, duration=5, capacity_lost=1.5)
    with pytest.raises(ValidationError, match="rate_per_year must be >= 0; got -1 for RandomOutage."):
        RandomOutage(stage="fab", rate_per_year=-1, duration=5)
    with pytest.raises(ValidationError, match="duration must be a distribution of non-negative days"):
        RandomOutage(stage="fab", rate_per_year=1, duration=Normal(5.0, 1.0))
    with pytest.raises(UnknownIdError, match=r"facility 'CN\.mine\.0_99' .*Did you mean"):
        compile_scenario(outage_scenario(RandomOutage(facility="CN.mine.0_99", rate_per_year=1, duration=5)))
    with pytest.raises(UnknownIdError, match="region 'XX' for RandomOutage is not a known id"):
        compile_scenario(outage_scenario(RandomOutage(region="XX", rate_per_year=1, duration=5)))
    with pytest.raises(ValidationError, match="rate_per_year must be the same for every member of group 'q'"):
        compile_scenario(outage_scenario(RandomOutage(stage="mine", rate_per_year=1, duration=5, group="q"),
                                         RandomOutage(stage="refinery", rate_per_year=2, duration=5, group="q")))


def test_random_outage_round_trips_through_dict():
    outage = RandomOutage(region="TW", stage="fab", rate_per_year=0.2, duration=LogNormal(30.0, 10.0),
                          capacity_lost=0.8, group="tw_quake", start=10, end=200)
    data = outage.to_dict()
    assert data["kind"] == "random_outage" and data["duration"]["kind"] == "lognormal"
    assert shock_from_dict(data) == outage


def test_outage_cover_counts_fractions_of_days():
    cover = outage_cover(np.array([0.5, 2.0]), np.array([1.25, 9.0]), 4)
    np.testing.assert_allclose(cover, [[0.5, 0.0], [0.25, 0.0], [0.0, 1.0], [0.0, 1.0]])


def test_outage_frequency_and_duration_match_the_process():
    """Lost capacity-days per facility-year: rate x duration (small overlap correction)."""
    rate, days = 4.0, 5.0
    c = compile_scenario(outage_scenario(RandomOutage(stage="mine", rate_per_year=rate, duration=days)))
    rng = np.random.default_rng(0)
    lost = np.mean([(1.0 - draw_outages(c, rng)).sum(axis=0) for _ in range(300)], axis=0)
    mines = [i for i, f in enumerate(c.scenario.network.facilities) if f.stage == "mine"]
    others = [i for i in range(c.n_facilities) if i not in mines]
    assert np.allclose(lost[others], 0.0)
    # Each facility-year: Poisson(4) outages of 5 days; sd of the mean over 300 years ~ 0.6 day.
    assert abs(lost[mines].mean() - rate * days) < 1.5


def test_common_cause_group_hits_members_together_and_respects_window():
    c = compile_scenario(outage_scenario(
        RandomOutage(stage="mine", rate_per_year=6, duration=10, group="quake", start=100, end=200),
        RandomOutage(stage="refinery", rate_per_year=6, duration=10, group="quake", start=100, end=200,
                     capacity_lost=0.5)))
    stages = np.array([f.stage for f in c.scenario.network.facilities])
    seen = 0
    for seed in range(20):
        m = draw_outages(c, np.random.default_rng(seed))
        assert (m[:100] == 1.0).all() and (m[:, stages == "market"] == 1.0).all()
        mine, refinery = m[:, stages == "mine"], m[:, stages == "refinery"]
        assert (mine == mine[:, :1]).all() and (refinery == refinery[:, :1]).all()
        # Same events and fixed duration: the refinery loses half of what the mine loses.
        alone = mine[:, 0] > 0
        np.testing.assert_allclose(1 - refinery[alone, 0], 0.5 * (1 - mine[alone, 0]), atol=1e-12)
        seen += int((mine < 1).any())
    assert seen > 10


def test_same_seed_gives_same_outages_and_demand_across_policies():
    """Common random numbers: two policies, one seed, the same outages and demand."""
    base = outage_scenario(RandomOutage(stage="refinery", rate_per_year=8, duration=20.0), horizon_days=120)

    def with_cover(days: float) -> Scenario:
        demands = tuple(dataclasses.replace(d, noise=Normal(1.0, 0.2, low=0.0), policy=DaysOfCover(days))
                        for d in base.network.demands)
        return base.replace(network=dataclasses.replace(base.network, demands=demands))

    lean, fat = with_cover(3.0), with_cover(60.0)
    seq = run_seed_sequences(9, 3)[2]
    a, b = draw_run(compile_scenario(lean), seq), draw_run(compile_scenario(fat), seq)
    assert np.array_equal(a.outage, b.outage) and np.array_equal(a.demand_noise, b.demand_noise)
    ra = simulate(lean, engine="vector", n_runs=4, seed=9, keep="summary")
    rb = simulate(fat, engine="vector", n_runs=4, seed=9, keep="summary")
    assert np.array_equal(ra.demand, rb.demand)
    assert rb.fill_rate.mean() > ra.fill_rate.mean()


def test_ring_is_never_wider_than_the_horizon():
    # A 3,000-day lane on a 30-day run: goods shipped stay in transit past the horizon and take
    # no ring slot, so memory is set by the horizon, not by the longest lead time (issue 8 fuzzing).
    net = chain_network(lead_refinery=3000.0, cover=3000.0)
    c = compile_scenario(Scenario(net, horizon_days=30))
    ring = _Ring(c, 2, width=10_000)
    assert ring.width <= 31
    ring.put(5, np.ones((2, c.n_lanes), order="F"), np.full(c.n_lanes, 2_000))
    assert ring.width <= 31
    landed = sum(ring.take(t).sum() for t in range(6, 30))
    assert landed == pytest.approx(2 * c.initial_arrivals[6:30].sum())
    res = simulate(Scenario(net, horizon_days=30), engine="vector", n_runs=2, seed=1)
    des = simulate(Scenario(net, horizon_days=30), engine="des", seed=1)
    np.testing.assert_allclose(res.in_transit[0], des.in_transit[0])
    assert material_balance(res).max_relative_error < 1e-9


def test_a_stage_stops_the_new_capacity_named_after_it():
    # Stopping Taiwan's "fab" stage stops the capacity added in the year ("fab_new") too (docs/model.md §6.6).
    from supplychain import load_baseline
    from supplychain.compile import compile_scenario
    from supplychain.model import CapacityShock
    scen = load_baseline(horizon_days=20).with_shocks(
        CapacityShock(region="TW", stage="fab", fraction_lost=1.0, start=2, end=10))
    c = compile_scenario(scen)
    ids = [f.id for f in scen.network.facilities]
    day5 = np.asarray(c.schedules.capacity_factor)[5]
    hit = {i for i, x in zip(ids, day5) if x == 0.0}
    assert hit == {f.id for f in scen.network.facilities if f.region == "TW" and f.stage in ("fab", "fab_new")}
