"""The compile layer of shocks: order-independent composition, tariff timing, in-force shocks, set-kinds,
quota anchoring, one lead-day rule, a drift-free random-lead baseline, common random numbers for
licences and warnings for shocks past the horizon (issue 8; the rules are in docs/model.md)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplychain.compile.compiler import compile_scenario
from supplychain.datasets.baseline import load_baseline
from supplychain.engines import kernel
from supplychain.engines.draws import draw_run
from supplychain.errors import SimulationWarning
from supplychain.model import (
    CapacityInvestment,
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    DemandShock,
    ExportControl,
    Facility,
    Fixed,
    Lane,
    LogisticsShock,
    Network,
    RandomOutage,
    Region,
    SafetyStockChange,
    Scenario,
    StockpileRelease,
    Tariff,
    Triangular,
    Uniform,
)
from supplychain.run import simulate

from .conftest import chain_network

FIELDS = ("capacity_factor", "demand_factor", "lane_allow", "lead_factor", "lead_extra", "tariff", "share",
          "order_factor", "target_extra")


def two_suppliers(*, sigma: float = 4.0) -> Network:
    """Identical refineries in CN and KR, each with half of US demand of 10 t/day."""
    return Network(
        regions=(Region("CN"), Region("KR"), Region("US")),
        commodities=(Commodity("metal", "t", 100.0, elasticity=sigma, chain="minerals"),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 100.0),
                    Facility("KR.ref", "KR", "refinery", "metal", 100.0)),
        lanes=(Lane("CN.ref", "US.metal", "metal", lead_time=5, share=0.5),
               Lane("KR.ref", "US.metal", "metal", lead_time=5, share=0.5)),
        demands=(Demand("US.metal", "US", "metal", 10.0),),
    )


def star_network(n_buyers: int) -> Network:
    """One CN refinery selling 1 t/day to each of ``n_buyers`` US demands over 3-day lanes."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("metal", "t", 100.0),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 10.0 * n_buyers),),
        lanes=tuple(Lane("CN.ref", f"US.d{i}", "metal", lead_time=3) for i in range(n_buyers)),
        demands=tuple(Demand(f"US.d{i}", "US", "metal", 1.0) for i in range(n_buyers)),
    )


def plain(value):
    """Specs, lists and dicts as nested plain data, so that two compilations compare with ==."""
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.tolist())
    if hasattr(value, "toarray"):  # a scipy sparse matrix (the price markets' sums)
        return ("sparse", value.shape, value.toarray().tolist())
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__") and not hasattr(value, "to_dict"):
        return (type(value).__name__, {k: plain(getattr(value, k)) for k in value.__dataclass_fields__})
    return value


def assert_same_schedules(a, b) -> None:
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert plain(a.extras) == plain(b.extras)
    assert a.needs_random == b.needs_random


# 1. Composition does not depend on the order of the shocks (DECISIONS 1) ----------------------------

@pytest.mark.parametrize("reverse", [False, True])
def test_capacity_investment_then_loss_whatever_the_order(reverse):
    # The refinery makes 10 t/day; +10 t/day of investment, then half of everything is lost: 10 t/day.
    shocks = [CapacityShock(facility="CN.refinery", fraction_lost=0.5, start=5),
              CapacityInvestment(region="CN", facility="CN.refinery", added_capacity=10.0, start=5)]
    s = Scenario(chain_network(), horizon_days=20).with_shocks(*(shocks[::-1] if reverse else shocks))
    c = compile_scenario(s)
    capacity = c.capacity[1] * c.schedules.capacity_factor[:, 1]
    assert capacity[:5] == pytest.approx(10.0)
    assert capacity[5:] == pytest.approx(10.0)


MIXED = [
    Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=3, switching_lag_days=10,
           demand_elasticity=0.3),
    Tariff(importer="US", commodity="*", rate=0.1, start=-5, end=20),
    ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=0.6,
                  processing_delay=Uniform(3, 8), start=10, end=30, announced=4),
    ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=0.9, start=12),
    ExportControl(exporter="CN", commodity="metal", mode="quota", quota_per_period=40.0, period_days=7, start=-3),
    ExportControl(exporter="CN", commodity="ore", leakage=0.2, leakage_extra_days=5, leakage_extra_cost=0.5,
                  start=15),
    CapacityShock(stage="refinery", region="CN", fraction_lost=0.5, destroy_inventory=0.3, start=3, end=20,
                  recovery="exponential", recovery_days=10),
    CapacityShock(facility="CN.refinery", fraction_lost=0.3, start=8),
    CapacityInvestment(region="CN", facility="CN.refinery", added_capacity=5.0, build_lag_days=2, ramp_days=6),
    CapacityInvestment(region="CN", commodity="metal", added_capacity=3.0, start=4),
    LogisticsShock(through="CN", lead_time_multiplier=1.5, start=0, end=30),
    LogisticsShock(origin_region="CN", commodity="ore", lead_time_multiplier=1.3, start=6),
    DemandShock(region="US", commodity="metal", factor=1.2, start=5),
    DemandShock(region="US", commodity="metal", factor=0.7, start=9, end=25),
    StockpileRelease(region="US", commodity="metal", reserve=50.0, release_below_cover_days=20,
                     max_release_per_day=4.0),
    StockpileRelease(region="US", commodity="metal", reserve=20.0, release_below_cover_days=10, start=7),
    SafetyStockChange(region="US", commodity="metal", cover_days=45, start=15),
    SafetyStockChange(region="US", commodity="metal", cover_days=60, start=15),
    SafetyStockChange(region="US", commodity="metal", cover_days=20, start=22),
    RandomOutage(facility="CN.mine", rate_per_year=20.0, duration=Uniform(1, 4)),
    RandomOutage(region="CN", rate_per_year=5.0, duration=3.0, group="quake"),
]


@pytest.mark.filterwarnings("ignore::supplychain.errors.SimulationWarning")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subset=st.lists(st.sampled_from(MIXED), min_size=2, max_size=10), data=st.data())
def test_any_permutation_of_the_shocks_gives_identical_schedules(subset, data):
    order = data.draw(st.permutations(subset))
    one = compile_scenario(Scenario(chain_network(), tuple(subset), horizon_days=40))
    two = compile_scenario(Scenario(chain_network(), tuple(order), horizon_days=40))
    assert_same_schedules(one.schedules, two.schedules)
    seq = np.random.SeedSequence(5)
    for name in ("outage", "licence_approved", "licence_delay"):
        np.testing.assert_array_equal(getattr(draw_run(one, seq), name), getattr(draw_run(two, seq), name))


def test_all_mixed_shocks_reversed_give_identical_schedules():
    with pytest.warns(SimulationWarning):   # the ore leakage matches no foreign lane
        one = compile_scenario(Scenario(chain_network(), tuple(MIXED), horizon_days=40))
    with pytest.warns(SimulationWarning):
        two = compile_scenario(Scenario(chain_network(), tuple(MIXED[::-1]), horizon_days=40))
    assert_same_schedules(one.schedules, two.schedules)


# 2. A tariff starting on day 0 moves sourcing like on any other day (DECISIONS 2) -------------------

@pytest.mark.parametrize("start", [0, 1, 7])
def test_tariff_moves_sourcing_from_its_start_day_including_day_0(start):
    rate, sigma, lag, horizon = 0.25, 4.0, 20, 40
    s = Scenario(two_suppliers(sigma=sigma), horizon_days=horizon).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=rate, start=start, switching_lag_days=lag))
    share = compile_scenario(s).schedules.share[:, 0]
    target = (1 + rate) ** -sigma / (1 + (1 + rate) ** -sigma)           # 0.2906 with sigma = 4
    days_in = np.arange(horizon) - start + 1                             # 1 on the start day
    expected = 0.5 + (target - 0.5) * np.clip(days_in / lag, 0.0, 1.0)
    np.testing.assert_allclose(share, expected, rtol=1e-12)


# 3. Safety-stock changes set the cover, they do not add (DECISIONS 3) --------------------------------

def _targets(*shocks):
    s = Scenario(chain_network(), horizon_days=40).with_shocks(*shocks)
    c = compile_scenario(s)
    return c.schedules.target_extra[:, -1]          # the US consumer stock is the last buyer


def test_the_latest_safety_stock_change_sets_the_cover():
    early = SafetyStockChange(region="US", commodity="metal", cover_days=60, start=5)
    late = SafetyStockChange(region="US", commodity="metal", cover_days=45, start=10)
    both = _targets(early, late)
    assert both[:5] == pytest.approx(0.0)
    assert both[5:10] == pytest.approx(_targets(early)[5:10])
    assert both[10:] == pytest.approx(_targets(late)[10:])
    # usage 5 t/day, baseline cover 30 days: 45 days of cover is 75 t more on hand, never 60 + 45.
    assert both[10:] == pytest.approx((45 - 30) * 5.0)
    assert both.tolist() == _targets(late, early).tolist()


def test_safety_stock_changes_starting_together_take_the_larger_cover():
    a = SafetyStockChange(region="US", commodity="metal", cover_days=60, start=5)
    b = SafetyStockChange(region="US", commodity="metal", cover_days=45, start=5)
    assert _targets(a, b).tolist() == _targets(b, a).tolist() == _targets(a).tolist()


def test_a_safety_stock_change_of_one_segment_moves_only_that_segments_stock():
    # two US buyers of metal, 6 and 4 t/day, holding 30 and 10 days: hand computation, 40 days for the
    # "industrial" buyer is (40 - 10) x 4 = 120 t more on hand, the "automotive" buyer unmoved
    import dataclasses

    net = two_suppliers()
    net = dataclasses.replace(net, lanes=tuple(Lane(f"{r}.ref", f"US.metal.{g}", "metal", lead_time=5, share=0.5)
                                               for r in ("CN", "KR") for g in ("automotive", "industrial")), demands=(
        Demand("US.metal.automotive", "US", "metal", 6.0, policy=DaysOfCover(30.0), segment="automotive"),
        Demand("US.metal.industrial", "US", "metal", 4.0, policy=DaysOfCover(10.0), segment="industrial")))
    shock = SafetyStockChange(region="US", commodity="metal", cover_days=40, segment="industrial", start=5)
    c = compile_scenario(Scenario(net, horizon_days=20).with_shocks(shock))
    stocks = [c.stock_node[b] for b in c.buyer_stock]
    extra = c.schedules.target_extra
    auto, ind = stocks.index("US.metal.automotive"), stocks.index("US.metal.industrial")
    assert extra[:5].max() == 0.0 and extra[5:, ind] == pytest.approx(120.0) and np.all(extra[:, auto] == 0.0)
    every = compile_scenario(Scenario(net, horizon_days=20).with_shocks(dataclasses.replace(shock, segment=None)))
    assert every.schedules.target_extra[5:, auto] == pytest.approx((40 - 30) * 6.0)
    with pytest.raises(Exception, match="segment"):
        compile_scenario(Scenario(net, horizon_days=20).with_shocks(dataclasses.replace(shock, segment="devices")))


# 4. Shocks in force before day 0 are standing conditions (DECISIONS 4) ------------------------------

def test_tariff_in_force_is_charged_but_a_new_one_on_day_0_moves_sourcing():
    def compiled(start):
        return compile_scenario(Scenario(two_suppliers(), horizon_days=200).with_shocks(
            Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=start)))
    in_force, new = compiled(-30), compiled(0)
    assert in_force.schedules.tariff[:, 0] == pytest.approx(0.25)
    assert new.schedules.tariff[:, 0] == pytest.approx(0.25)
    assert in_force.schedules.share[:, 0] == pytest.approx(0.5)
    assert new.schedules.share[-1, 0] < 0.3


def test_in_force_tariff_that_ends_moves_sourcing_back_towards_the_exporter():
    s = Scenario(two_suppliers(), horizon_days=200).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=-30, end=10))
    share = compile_scenario(s).schedules.share[:, 0]
    assert share[:10] == pytest.approx(0.5)
    assert share[-1] > 0.5          # cheaper than the baseline that included the tariff


@pytest.mark.parametrize("shock", [
    CapacityShock(facility="CN.refinery", fraction_lost=0.5, start=-10, end=20),
    LogisticsShock(through="CN", lead_time_multiplier=1.5, start=-10, end=20),
    DemandShock(region="US", commodity="metal", factor=1.3, start=-10, end=20),
    ExportControl(exporter="CN", commodity="metal", leakage=0.3, start=-10, end=20, announced=-40),
    SafetyStockChange(region="US", commodity="metal", cover_days=45, start=-10, end=20),
])
def test_in_force_shocks_apply_from_day_0_like_a_shock_starting_on_day_0(shock):
    import dataclasses

    from_zero = dataclasses.replace(shock, start=0, announced=None)
    a = compile_scenario(Scenario(chain_network(), (shock,), horizon_days=30))
    b = compile_scenario(Scenario(chain_network(), (from_zero,), horizon_days=30))
    assert_same_schedules(a.schedules, b.schedules)


# 6. Quota periods run from the control's real start (DECISIONS 8) -----------------------------------

def test_quota_periods_are_anchored_on_the_controls_start_before_day_0():
    quota, period, start = 30.0, 10, -5          # 3 t/day of quota for 4 t/day of demand
    s = Scenario(star_network(4), horizon_days=45).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="quota", quota_per_period=quota,
                      period_days=period, start=start))
    flow = simulate(s, engine="des", seed=0).flow[0].sum(axis=1)
    # The period running on day 0 began on day -5: half of it (15 t) is left for days 0-4.
    assert flow[:5].sum() == pytest.approx(quota / 2)
    per_period = flow[5:45].reshape(-1, period).sum(axis=1)
    assert per_period == pytest.approx(quota)


# 7. One lead-day rule for compile and both engines (DECISIONS 6) ------------------------------------

def test_one_lead_day_rule_keeps_a_near_whole_lead_time_in_steady_state():
    # 3 days plus 5e-10 is 3 days for the engines; the pre-filled pipeline must hold 3 days too.
    net = chain_network(lead_refinery=3.0 + 5e-10)
    s = Scenario(net, horizon_days=30)
    c = compile_scenario(s)
    assert c.initial_arrivals[:, 1].tolist() == [5.0, 5.0, 5.0]
    for engine in ("des", "vector"):
        res = simulate(s, engine=engine, seed=0)
        np.testing.assert_allclose(res.inventory[0], np.broadcast_to(res.initial_inventory, res.inventory[0].shape),
                                   rtol=1e-12, atol=1e-9)
    assert kernel.arrival_days([3.0 + 5e-10, 3.0 + 2e-9]).tolist() == [3, 4]


# 5. A random-lead baseline does not drift (DECISIONS 7) ----------------------------------------------

def cover_network(target_days: float = 10.0) -> Network:
    """A CN mine ships 10 t/day to US consumers holding 10 days of cover (100 t) over a random lane."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 100.0),),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", 1000.0, default_cover_days=5.0),),
        lanes=(Lane("CN.mine", "US.ore", "ore", lead_time=Triangular(2.0, 3.0, 7.0)),),
        demands=(Demand("US.ore", "US", "ore", 10.0, policy=DaysOfCover(target_days)),),
    )


def test_days_of_cover_holds_its_target_on_average_with_random_lead_times():
    n_runs, horizon = 400, 120
    res = simulate(Scenario(cover_network(), horizon_days=horizon), engine="vector", seed=7, n_runs=n_runs)
    stock = res.series("inventory", "US.ore:ore")                    # (R, T), target 100 t
    per_run = stock.mean(axis=1)
    se = per_run.std(ddof=1) / np.sqrt(n_runs)
    assert abs(per_run.mean() - 100.0) < 4 * se
    # Goods in transit match the pre-filled pipeline, 10 t/day times E[lead days] = 10 * 4.5.
    assert res.initial_in_transit.sum() == pytest.approx(45.0, rel=1e-6)


class _MeanStock:
    """A sink that keeps only each run's running total of stock (series of 200 runs would take 4 GB)."""

    records = False

    def __init__(self, n_runs: int, n_stocks: int) -> None:
        self.total = np.zeros((n_runs, n_stocks))

    def put(self, t: int, *, inventory: np.ndarray, **_: np.ndarray) -> None:
        self.total += inventory


def test_unshocked_random_lead_baseline_stays_in_steady_state():
    from supplychain.engines.draws import run_seed_sequences
    from supplychain.engines.vector import draw_batch, simulate_runs
    # 100 runs: 5 standard errors are at most 0.45 % of any stock (median 0.04 %; 200 runs: 0.33 %, 0.03 %).
    n_runs, chunk = 100, 50
    c = compile_scenario(load_baseline(random_lead_times=True, horizon_days=365))
    seqs = run_seed_sequences(3, n_runs)
    parts = []
    for i in range(0, n_runs, chunk):
        sink = _MeanStock(chunk, c.n_stocks)
        simulate_runs(c, draw_batch(c, seqs[i:i + chunk], arrival_days=True), chunk, sink)
        parts.append(sink.total / c.n_days)
    per_run = np.concatenate(parts)                                # (R, S): each run's mean stock
    start = c.initial_stock
    se = per_run.std(axis=0, ddof=1) / np.sqrt(n_runs)
    gap = np.abs(per_run.mean(axis=0) - start)
    # Five standard errors per stock: over about 280 stocks a drift-free model fails with probability
    # below 2e-4 (Bonferroni); 1e-9 of the stock allows for rounding in stocks that never move.
    assert (gap <= 5 * se + 1e-9 * np.maximum(start, 1.0)).all(), np.max(gap / (se + 1e-12))


# 8. Licences use common random numbers (DECISIONS 9) -----------------------------------------------

def test_licence_delays_do_not_depend_on_the_approval_probability():
    def draws(p):
        s = Scenario(star_network(6), horizon_days=60).with_shocks(
            ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=p,
                          processing_delay=Uniform(10.0, 30.0), start=5))
        return draw_run(compile_scenario(s), np.random.SeedSequence(42))
    certain, almost, half = draws(1.0), draws(0.999), draws(0.5)
    approved = np.ones_like(certain.licence_delay) if certain.licence_approved is None else certain.licence_approved
    np.testing.assert_array_equal(certain.licence_delay, almost.licence_delay)
    np.testing.assert_array_equal(certain.licence_delay, half.licence_delay)
    assert approved.all()
    # One uniform per lane-day: what p = 0.5 approves, p = 0.999 approves too.
    assert (half.licence_approved <= almost.licence_approved).all()
    assert 0.4 < half.licence_approved[5:].mean() < 0.6


# 9. A shock past the horizon warns, naming it (DECISIONS 11) ----------------------------------------

def test_shock_starting_on_or_after_the_horizon_warns_with_its_name():
    s = Scenario(two_suppliers(), horizon_days=30).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=30))
    with pytest.warns(SimulationWarning, match=r"Tariff\(importer='US', exporter='CN', commodity='metal', "
                                               r"rate=0.25\) starts on day 30 \(2025-01-31\), on or after"):
        compile_scenario(s)


def test_shock_inside_the_horizon_does_not_warn():
    import warnings
    s = Scenario(two_suppliers(), horizon_days=30).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=29))
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        compile_scenario(s)


def test_fixed_lead_times_fill_the_pipeline_with_whole_days():
    c = compile_scenario(Scenario(chain_network(lead_mine=Fixed(2.5), lead_refinery=Fixed(1.0)), horizon_days=5))
    assert c.initial_arrivals[:, 0].tolist() == [10.0, 10.0, 10.0]
    assert c.initial_arrivals[:, 1].tolist() == [5.0, 0.0, 0.0]


def test_the_first_wrong_entry_of_the_list_is_reported():
    from supplychain.errors import SupplyChainError
    # Two entries with known ids that select nothing: compiling reports the first of the list.
    wrong = [DemandShock(region="CN", commodity="metal", factor=2.0),
             CapacityShock(region="US", stage="mine", fraction_lost=0.5)]
    for shocks, entry in ((wrong, "shocks entry 1: region must"), (wrong[::-1], "shocks entry 1: stage and region")):
        with pytest.raises(SupplyChainError, match=entry):
            compile_scenario(Scenario(chain_network(), tuple(shocks), horizon_days=10))
    # A misspelt id is reported when the scenario is built, naming its entry.
    typo = Tariff(importer="US", exporter="CN", commodity="metl", rate=0.1)
    with pytest.raises(SupplyChainError, match="shocks entry 2: commodity 'metl' for Tariff is not a known id"):
        Scenario(chain_network(), (wrong[0], typo), horizon_days=10)


def test_a_shock_on_a_commodity_nobody_demands_or_buys_says_so_and_names_what_would_match():
    import dataclasses

    from supplychain.errors import SupplyChainError, UnknownIdError

    def error(shock, network=None):
        with pytest.raises(SupplyChainError) as info:
            compile_scenario(Scenario(network or chain_network(), (shock,), horizon_days=10))
        return str(info.value)

    # Ore is an input of the refinery, never a final good: no region to list, so the error says none has it.
    assert error(DemandShock(region="US", commodity="ore", factor=2.0)) == (
        "shocks entry 1: commodity must have final demand in some region; got 'ore' for DemandShock: no region "
        "has final demand for it (facilities buy it as an input); final demand exists for 'metal'.")
    # A region without it names the regions that have it.
    assert error(DemandShock(region="CN", commodity="metal", factor=2.0)).endswith(
        "got 'CN' for DemandShock (demand for 'metal' exists in US).")
    # A misspelt id suggests close ids where the scenario is built.
    with pytest.raises(UnknownIdError, match="commodity 'metl' for DemandShock is not a known id. Did you mean 'metal'"):
        Scenario(chain_network(), (DemandShock(region="US", commodity="metl", factor=2.0),), horizon_days=10)
    # A commodity in the list that no stock buys: a stockpile of it has nobody to release to.
    net = chain_network()
    net = dataclasses.replace(net, commodities=net.commodities + (Commodity("slag", "t", 1.0),))
    assert error(StockpileRelease(region="US", commodity="slag", reserve=5.0, release_below_cover_days=5),
                 net) == ("responses entry 1: commodity must be bought by a stock in some region; got 'slag' for "
                          "StockpileRelease: no facility or consumer buys it; stocks buy 'metal', 'ore'.")
