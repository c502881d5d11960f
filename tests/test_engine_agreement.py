"""The SimPy and vector engines agree: exactly on deterministic scenarios, run by run on random ones.

The two engines are independent implementations of ``docs/model.md``: the
vector engine applies the array rules of ``engines/kernel.py`` and its
helpers to a chunk of runs; the SimPy engine (``engines/des/``) applies its
own scalar rules, item by item, with arrivals, licence decisions and shocks
as events (an import-linter contract forbids it the vector engine's rule
modules). They share only the compiled scenario and each run's random draws
(``engines/draws.py``), so they agree run by run, not only in distribution.

What "agree" means. The engines add numbers in different orders, so values
differ in the last bits; the check is ``RTOL`` relative to each value or to
its series' scale. In a few shipped scenarios buyers' orders oscillate
(planning with the quoted lead time under a licence regime amplifies a
day's difference), so rounding-size differences grow: there the engines must
agree as closely as the vector engine agrees with itself when an input moves
by a rounding error (:func:`conditioning`). The recorded ``share`` divides by
the day's order, so on a day when a buyer's order is within rounding of 0 one
engine may record the target share (no order) and the other a ratio of two
rounding errors: such entries are set aside (:func:`share_mismatch_is_rounding`).

The seeded-defect tests show that these checks catch a defect in either
engine: a swapped same-day order in the SimPy engine, a quota period off by
one day in the vector engine.

The distributional checks use independent seeds for the two engines, so
they test agreement in law without leaning on common random numbers.
"""

from __future__ import annotations

import dataclasses
import pathlib

import numpy as np
import pytest
from scipy import stats

from supplychain.compile import compile_scenario
from supplychain.datasets.scenarios import SCENARIO_DIR
from supplychain.model import (
    BaseStock,
    DaysOfCover,
    Demand,
    LogNormal,
    MinMax,
    Network,
    Normal,
    RandomOutage,
    Scenario,
    Triangular,
    Uniform,
)
from supplychain.run import simulate

from .conftest import chain_network, diamond_network

EXAMPLES = sorted(str(p) for p in SCENARIO_DIR.glob("*.toml"))   # the shipped scenarios


#: Agreement of two implementations: relative to each value, and to the series' scale for values near 0
#: (a difference of summation order in a large sum leaves a residue of that sum's rounding).
RTOL = 1e-9
#: How much more than the vector engine's own sensitivity to a rounding-size change the engines may differ.
CONDITIONING_FACTOR = 10.0


def share_mismatch_is_rounding(scenario: Scenario, des, vec, bad: np.ndarray) -> bool:
    """Whether every mismatched ``share`` entry is a day on which one engine recorded the target share,
    the lane's order is within rounding of 0 in both engines, or both engines placed the same order and
    the shares differ by at most 1e-7.

    That is the signature of an order within rounding of 0: the applied share
    is the target share (less any diverted part) without an order, a ratio of
    rounding errors with one (docs/model.md §10).
    """
    target = np.broadcast_to(compile_scenario(scenario).schedules.share, des.arrays["share"].shape[1:])
    runs, days, lanes = np.nonzero(bad)
    at_target = (des.arrays["share"][runs, days, lanes] == target[days, lanes]) | \
                (vec.arrays["share"][runs, days, lanes] == target[days, lanes])

    def order(res):  # the day's order on each lane: shipped plus the change of what is owed
        owed = res.arrays["backlog"]
        return res.arrays["flow"] + owed - np.concatenate([np.zeros_like(owed[:, :1]), owed[:, :-1]], axis=1)

    tiny = 1e-9 * float(np.abs(vec.arrays["flow"]).max(initial=1.0))
    od, ov = order(des)[runs, days, lanes], order(vec)[runs, days, lanes]
    rounding = (np.abs(od) <= tiny) & (np.abs(ov) <= tiny)
    # The same order in both engines (to RTOL) with shares a few 1e-9 apart: the share is a ratio whose
    # denominator (the buyer's whole order, routed and unplaced parts included) carries the rounding.
    same_order = (np.abs(od - ov) <= RTOL * (np.abs(ov) + tiny)) & \
        (np.abs(des.arrays["share"][runs, days, lanes] - vec.arrays["share"][runs, days, lanes]) <= 1e-7)
    rounding |= same_order
    # One tiny order of a buyer moves the share of each of its lanes: count buyer-days, not entries.
    c = compile_scenario(scenario)
    events = len(set(zip(runs.tolist(), days.tolist(), c.lane_buyer[lanes].tolist())))
    return bool((at_target | rounding).all()) and events < 1e-3 * bad.shape[0] * bad.shape[1] * c.n_buyers


def conditioning(scenario: Scenario, vec, *, n_runs: int, seed: int) -> dict[str, float]:
    """Per series, the largest change of the vector engine's results when demand moves by 4e-16.

    A rounding-size change of an input: a well-conditioned scenario moves by
    rounding errors, one whose orders oscillate by much more.
    """
    net = scenario.network
    nudged = dataclasses.replace(net, demands=tuple(dataclasses.replace(d, rate_per_day=d.rate_per_day * (1 + 4e-16))
                                                    for d in net.demands))
    other = simulate(dataclasses.replace(scenario, network=nudged), engine="vector", n_runs=n_runs, seed=seed)
    return {name: float(np.nan_to_num(np.abs(vec.arrays[name] - other.arrays[name]), posinf=0.0).max(initial=0.0))
            for name in vec.arrays}


def assert_same_series(a, b, *, scenario: Scenario | None = None, n_runs: int = 1, seed: int = 0) -> None:
    """The same daily series up to summation order: ``RTOL`` relative (to the value or the series' scale).

    With ``scenario`` given, a series that misses ``RTOL`` may still differ by up to
    ``CONDITIONING_FACTOR`` times the vector engine's own sensitivity (:func:`conditioning`).
    """
    assert a.arrays.keys() == b.arrays.keys()
    loose = None
    for name in a.arrays:
        x, y = a.arrays[name], b.arrays[name]
        finite = np.isfinite(y)
        scale = float(np.abs(y[finite]).max(initial=0.0))
        both_inf = (x == y) & ~finite
        bad = ~both_inf & ~(np.abs(x - y) <= RTOL * (np.abs(y) + scale))
        if not bad.any():
            continue
        if name == "share" and scenario is not None and share_mismatch_is_rounding(scenario, a, b, bad):
            continue
        assert scenario is not None, f"{name}: {int(bad.sum())} values differ (first at {np.argwhere(bad)[0]})"
        if loose is None:
            loose = conditioning(scenario, b, n_runs=n_runs, seed=seed)
        worst = float(np.abs(x - y)[bad].max())
        assert worst <= CONDITIONING_FACTOR * loose[name], (name, worst, loose[name])


def both(scenario: Scenario, *, n_runs: int = 1, seed: int = 0):
    return (simulate(scenario, engine="des", n_runs=n_runs, seed=seed),
            simulate(scenario, engine="vector", n_runs=n_runs, seed=seed))


def tight_chain() -> Network:
    """A chain short of refinery capacity, backordering, with (s, S) and base-stock policies."""
    net = chain_network(refinery_capacity=3.0, cover=6.0, lead_refinery=7.5)
    refinery = dataclasses.replace(net.facilities[1], policies={"ore": MinMax(20.0, 60.0)})
    demand = Demand("US.metal", "US", "metal", 5.0, policy=BaseStock(60.0), unmet="backorder")
    return dataclasses.replace(net, facilities=(net.facilities[0], refinery), demands=(demand,))


@pytest.mark.parametrize("network", [chain_network, diamond_network, tight_chain])
def test_hand_built_networks_agree_exactly(network):
    des, vec = both(Scenario(network(), horizon_days=120))
    assert_same_series(des, vec)


def test_shortages_agree_exactly():
    des, vec = both(Scenario(tight_chain(), horizon_days=200))
    assert des.unmet.sum() > 0
    assert_same_series(des, vec)


def test_backorder_patience_agrees_exactly():
    """Backorders that expire after 9 days (§5.5), with random demand: the engines agree day by day."""
    net = tight_chain()
    demand = dataclasses.replace(net.demands[0], patience_days=9, noise=Normal(1.0, 0.3, low=0.0))
    des, vec = both(Scenario(dataclasses.replace(net, demands=(demand,)), horizon_days=200), n_runs=2, seed=3)
    assert (des.demand - des.delivered).sum() > 0
    assert_same_series(des, vec)


def test_baseline_agrees_exactly(baseline_year_des):
    pytest.importorskip("supplychain.datasets")
    from supplychain import load_baseline
    scenario = load_baseline()
    assert baseline_year_des.scenario == scenario and baseline_year_des.seed == 0    # both(scenario)'s DES run
    assert_same_series(baseline_year_des, simulate(scenario, engine="vector", n_runs=1, seed=0))


def _example(path: str):  # type: ignore[no-untyped-def]
    stem = pathlib.Path(path).stem
    return pytest.param(path, id=stem)


#: Days the agreement check of a shipped scenario simulates after its last shock event (a start or an
#: end): the longest licence processing delay in the files (90 days) and a month for what it releases.
AFTER_LAST_EVENT_DAYS = 120


def agreement_horizon(scenario: Scenario) -> int:
    """The scenario's horizon, cut to ``AFTER_LAST_EVENT_DAYS`` after its last shock or response event.

    Every event of the file is inside it, and the engines' state then follows the same rules to the end.
    """
    days = [0]
    for shock in (*scenario.shocks, *scenario.responses):
        first, stop = shock.span(scenario.start_date, scenario.horizon_days)
        days += [first] + ([stop] if shock.end is not None else [])
    return min(scenario.horizon_days, max(days) + AFTER_LAST_EVENT_DAYS)


@pytest.mark.skipif(not EXAMPLES, reason="no example scenarios yet")
@pytest.mark.parametrize("path", [_example(p) for p in EXAMPLES])
def test_example_scenarios_agree(path):
    from supplychain.io.scenario import load_scenario
    scenario = load_scenario(path)
    scenario = scenario.with_horizon(agreement_horizon(scenario))
    # One run each: the DES takes seconds per run on these; several runs of one scenario are compared
    # run by run in test_random_scenario_agrees_run_by_run.
    des, vec = both(scenario, n_runs=1, seed=3)
    assert_same_series(des, vec, scenario=scenario, n_runs=1, seed=3)


def noisy_chain(horizon_days: int = 150) -> Scenario:
    """Demand noise, random lead times of several kinds and random refinery outages."""
    net = tight_chain()
    lanes = (dataclasses.replace(net.lanes[0], lead_time=Uniform(1.0, 5.5)),
             dataclasses.replace(net.lanes[1], lead_time=LogNormal(7.5, 2.5)))
    demand = dataclasses.replace(net.demands[0], noise=Normal(1.0, 0.3, low=0.0))
    mine = dataclasses.replace(net.facilities[0], policies={"ore": DaysOfCover(4.0)})
    net = dataclasses.replace(net, facilities=(mine, net.facilities[1]), lanes=lanes, demands=(demand,))
    return Scenario(net, horizon_days=horizon_days).with_shocks(
        RandomOutage(facility="CN.refinery", rate_per_year=5.0, duration=Triangular(3.0, 8.0, 20.0)))


def test_random_scenario_agrees_run_by_run():
    des, vec = both(noisy_chain(), n_runs=6, seed=21)
    assert len({float(x) for x in des.delivered.sum(axis=(1, 2))}) == 6, "runs should differ"
    assert des.unmet.sum() > 0
    assert_same_series(des, vec)


def test_random_outages_agree_on_a_larger_network():
    from supplychain.datasets.synthetic import synthetic_scenario
    scenario = synthetic_scenario(25, seed=6, horizon_days=90, stochastic=True, cover_days=5.0).with_shocks(
        RandomOutage(region="CN", rate_per_year=4.0, duration=15.0, group="flood"),
        RandomOutage(stage="assembly", rate_per_year=3.0, duration=LogNormal(20.0, 5.0)))
    des, vec = both(scenario, n_runs=2, seed=4)
    assert_same_series(des, vec, scenario=scenario, n_runs=2, seed=4)


def per_run_outputs(res) -> dict[str, np.ndarray]:
    delivered = res.delivered.sum(axis=(1, 2))
    return {"delivered": delivered, "demand": res.demand.sum(axis=(1, 2)),
            "fill_rate": delivered / res.demand.sum(axis=(1, 2)), "production": res.production.sum(axis=(1, 2)),
            "end_inventory": res.inventory[:, -1].sum(axis=1)}


def test_random_scenario_agrees_in_distribution():
    """Independent seeds: means within 4 standard errors, and two-sample KS tests pass."""
    scenario = noisy_chain(horizon_days=120)
    des = per_run_outputs(simulate(scenario, engine="des", n_runs=60, seed=1))
    vec = per_run_outputs(simulate(scenario, engine="vector", n_runs=400, seed=2))
    for name in des:
        a, b = des[name], vec[name]
        se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
        assert abs(a.mean() - b.mean()) < 4 * se + 1e-9, name
        # Five outputs tested at 0.001 each: the chance of any false alarm stays under 1 %.
        assert stats.ks_2samp(a, b).pvalue > 1e-3, name


def _mechanisms() -> dict[str, Scenario]:
    """Small scenarios, each exercising mechanisms of docs/model.md §5-§6 that the baseline may not."""
    from supplychain.model import (
        CapacityInvestment,
        CapacityShock,
        ExportControl,
        LogisticsShock,
        SafetyStockChange,
        StockpileRelease,
        Tariff,
    )
    chain = chain_network(refinery_capacity=6.0, cover=10.0)
    cycle = dataclasses.replace(chain, facilities=(
        chain.facilities[0], dataclasses.replace(chain.facilities[1], cycle_time_days=4, restart_days=3,
                                                 restart_ramp_days=5, allocation="pro_rata")))
    diamond = diamond_network()
    return {
        "quota": Scenario(chain, horizon_days=90).with_shocks(
            ExportControl(exporter="CN", commodity="metal", mode="quota", quota_per_period=25.0, period_days=7,
                          start=10, end=70)),
        "stockpile_and_destruction": Scenario(cycle, horizon_days=90).with_shocks(
            CapacityShock(facility="CN.mine", fraction_lost=0.8, destroy_inventory=0.5, start=5, end=40),
            StockpileRelease(region="CN", commodity="ore", reserve=300.0, release_below_cover_days=8.0, start=5)),
        "licence_with_validity": Scenario(chain, horizon_days=120).with_shocks(
            ExportControl(exporter="CN", commodity="metal", mode="licence", processing_delay=12.0,
                          licence_validity_days=20, start=5, end=80)),
        "ban_with_leakage_route": Scenario(diamond, horizon_days=120).with_shocks(
            ExportControl(exporter="CN", commodity="ore", mode="ban", leakage=0.3, start=10, end=60)),
        "closure_resourcing_tariff": Scenario(diamond, horizon_days=150).with_shocks(
            LogisticsShock(origin_region="CN", closed=True, start=15, end=50),
            Tariff(importer="JP", commodity="ore", exporter="ROW", rate=0.5, start=20),
            CapacityInvestment(region="ROW", added_capacity=10.0, commodity="ore", start=10, ramp_days=5),
            SafetyStockChange(region="JP", commodity="metal", cover_days=40.0, start=30)),
        "cycle_time_restart_outage": Scenario(cycle, horizon_days=120).with_shocks(
            CapacityShock(facility="CN.refinery", fraction_lost=1.0, start=10, end=25, recovery_days=6),
            LogisticsShock(destination_region="US", lead_time_multiplier=2.0, start=30, end=60)),
    }


MECHANISMS = _mechanisms()


@pytest.mark.parametrize("name", sorted(MECHANISMS))
def test_each_mechanism_agrees_exactly(name):
    des, vec = both(MECHANISMS[name])
    assert_same_series(des, vec)


def test_random_licences_agree_run_by_run():
    from supplychain.model import ExportControl
    scenario = noisy_chain(150).with_shocks(ExportControl(
        exporter="CN", commodity="metal", mode="licence", approval_probability=0.7, processing_delay=Uniform(5, 20),
        restrictive_approval_probability=0.2, mean_open_months=1.0, mean_restrictive_months=1.0, start=10))
    des, vec = both(scenario, n_runs=3, seed=8)
    assert_same_series(des, vec)


def _defect_catches(scenario: Scenario, monkeypatch, defects: dict) -> None:
    """The engines agree on ``scenario``, and no longer do with ``defects`` ({target: replacement}) in place."""
    des, vec = both(scenario)
    assert_same_series(des, vec)  # sound engines agree
    with monkeypatch.context() as m:
        for target, replacement in defects.items():
            m.setattr(target, replacement)
        des, vec = both(scenario)
    with pytest.raises(AssertionError):
        assert_same_series(des, vec)


def test_a_swapped_same_day_order_in_the_simpy_engine_is_caught(monkeypatch):
    """Stock events (reserves released into low stocks) after production instead of before it (§5.1)."""
    from supplychain.engines.des import run as des_run
    events, produce = des_run.stock_events, des_run.produce

    def produce_then_release(run, f, t, capacity):
        started = produce(run, f, t, capacity)
        if f == run.layout.n_facilities - 1:
            events(run, t)
        return started

    _defect_catches(MECHANISMS["stockpile_and_destruction"], monkeypatch, {
        "supplychain.engines.des.run.produce": produce_then_release,
        "supplychain.engines.des.run.stock_events": lambda run, t: None})


def test_a_quota_period_off_by_one_in_the_vector_engine_is_caught(monkeypatch):
    """Quota periods after the first starting one day late in the vector engine (§6.5.3)."""
    from supplychain.engines import dynamic
    original = dynamic.quota_for_day

    def late_period(spec, t):
        return original(dataclasses.replace(spec, anchor=spec.anchor + 1), t) if t > spec.first else original(spec, t)

    _defect_catches(MECHANISMS["quota"], monkeypatch, {"supplychain.engines.dynamic.quota_for_day": late_period})
