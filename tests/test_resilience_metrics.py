"""Resilience and trade metrics on hand-made results, checked against hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from supplychain.analytics import (
    concentration,
    cvar,
    dependency,
    excess_shortfall,
    expected_shortfall,
    landed_cost,
    mean_ci,
    normalised_resilience,
    peak_cost_increase,
    performance,
    resilience_loss,
    summarize,
    time_to_recover,
    time_to_survive,
    trade_diversion,
    trade_labels,
    trade_shares,
)
from supplychain.errors import ValidationError
from supplychain.metrics.service import group_labels
from supplychain.model import (
    CapacityShock,
    Commodity,
    Demand,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.plotting.resilience import plot_fan, plot_resilience_curve
from supplychain.results.series import Coords, Results

# Lanes: CN.mine>US.fab, ROW.mine>US.fab (ore), US.fab>US.chip, US.fab>JP.chip (chips).
NETWORK = Network(
    regions=(Region("US"), Region("JP"), Region("CN"), Region("ROW")),
    commodities=(Commodity("chip", "wafer", 10.0), Commodity("ore", "t", 2.0)),
    facilities=(Facility("CN.mine", "CN", "mine", "ore", 100.0), Facility("ROW.mine", "ROW", "mine", "ore", 100.0),
                Facility("US.fab", "US", "fab", "chip", 100.0, recipe={"ore": 1.0})),
    lanes=(Lane("CN.mine", "US.fab", "ore", share=0.7, freight_usd_per_unit=1.0),
           Lane("ROW.mine", "US.fab", "ore", share=0.3, freight_usd_per_unit=3.0),
           Lane("US.fab", "US.chip", "chip"), Lane("US.fab", "JP.chip", "chip")),
    demands=(Demand("US.chip", "US", "chip", 10.0), Demand("JP.chip", "JP", "chip", 5.0)),
)


def hand_results(delivered: np.ndarray, demand: np.ndarray | None = None, *, flow: np.ndarray | None = None,
                 shock_day: int | None = None) -> Results:
    """Results whose arrays are given directly, shaped (runs, days, items)."""
    runs, days, _ = delivered.shape
    if demand is None:
        demand = np.broadcast_to(np.array([10.0, 5.0]), delivered.shape).copy()
    if flow is None:
        flow = np.broadcast_to(np.array([7.0, 3.0, 10.0, 5.0]), (runs, days, 4)).copy()
    shocks = () if shock_day is None else (CapacityShock(facility="CN.mine", fraction_lost=1.0, start=shock_day),)
    scenario = Scenario(NETWORK, shocks=shocks, horizon_days=days, name="hand")
    zeros = {"facility": np.zeros((runs, days, 3)), "lane": np.zeros((runs, days, 4))}
    arrays = {"production": zeros["facility"], "inventory": np.zeros((runs, days, 0)), "flow": flow,
              "arrivals": zeros["lane"].copy(), "in_transit": zeros["lane"].copy(), "demand": demand,
              "delivered": delivered, "unmet": demand - delivered}
    return Results(engine="hand", seed=0, scenario=scenario, coords=Coords.from_scenario(scenario, (), ()),
                   arrays=arrays, initial_inventory=np.zeros(0), initial_in_transit=np.zeros(4))


def with_us_performance(p: list[float], runs: int = 1, **kw: object) -> Results:
    """US.chip delivers ``p`` x its demand of 10 each day; JP.chip is fully served."""
    us = 10.0 * np.array(p)
    delivered = np.stack([us, np.full(len(p), 5.0)], axis=1)
    return hand_results(np.repeat(delivered[None], runs, axis=0), **kw)  # type: ignore[arg-type]


# Performance -----------------------------------------------------------------------------------
def test_performance_is_delivered_over_demand_and_weights_regions_by_value() -> None:
    delivered = np.array([[[10.0, 5.0], [5.0, 5.0], [0.0, 0.0]]])
    demand = np.array([[[10.0, 5.0], [10.0, 5.0], [0.0, 0.0]]])
    res = hand_results(delivered, demand)
    np.testing.assert_allclose(performance(res, by="demand")[0], [[1, 1], [0.5, 1], [1, 1]])
    # chips in US and JP at the same price: (5 + 5) * 10 / ((10 + 5) * 10)
    np.testing.assert_allclose(performance(res, by="commodity")[0, :, 0], [1, 10 / 15, 1])
    assert group_labels(res, by="region") == ("JP", "US")


def test_performance_relative_to_a_paired_or_single_run_baseline() -> None:
    shocked = with_us_performance([0.5, 0.4], runs=2)
    base = with_us_performance([0.5, 0.8], runs=1)
    rel = performance(shocked, baseline=base, by="demand")
    np.testing.assert_allclose(rel[:, :, 0], [[1.0, 0.5], [1.0, 0.5]])
    with pytest.raises(ValidationError, match="baseline must be results with the same days"):
        performance(shocked, baseline=with_us_performance([1.0, 1.0, 1.0]))


# Time-to-survive and time-to-recover ---------------------------------------------------------------
def test_time_to_survive_counts_days_from_the_shock_to_the_first_failure() -> None:
    res = with_us_performance([1, 1, 1, 0.9, 0.5, 1], shock_day=1)
    assert time_to_survive(res, by="demand").tolist() == [[2.0, math.inf]]
    assert time_to_survive(res, by="demand", threshold=0.6, shock_day=0).tolist() == [[4.0, math.inf]]


def test_time_to_recover_uses_hysteresis_and_a_sustain_window() -> None:
    # fails on day 1; 0.97 on day 2 is above fail_below but below recover_at (no recovery);
    # day 4 starts three days at >= 0.99
    res = with_us_performance([1, 0.5, 0.97, 0.5, 1, 1, 1, 1])
    ttr = time_to_recover(res, by="demand", fail_below=0.95, recover_at=0.99, sustain_days=3, shock_day=0)
    assert ttr.tolist() == [[4.0, 0.0]]          # JP never failed: 0


def test_time_to_recover_ignores_a_blip_shorter_than_the_window_and_censors_at_the_horizon() -> None:
    res = with_us_performance([1, 0.5, 1, 0.5, 1, 1, 1])
    assert time_to_recover(res, by="demand", sustain_days=3, shock_day=0)[0, 0] == 4.0
    assert time_to_recover(res, by="demand", sustain_days=4, shock_day=0)[0, 0] == math.inf


def test_time_to_recover_rejects_thresholds_without_hysteresis() -> None:
    res = with_us_performance([1, 0.5, 1])
    with pytest.raises(ValidationError, match=r"recover_at must be > fail_below \(0.95\) for hysteresis"):
        time_to_recover(res, fail_below=0.95, recover_at=0.95)
    with pytest.raises(ValidationError, match="sustain_days must be a positive whole number"):
        time_to_recover(res, sustain_days=0)


# Loss ------------------------------------------------------------------------------------------
def test_resilience_loss_is_the_area_below_baseline_from_the_shock_on() -> None:
    res = with_us_performance([0.2, 1, 0.5, 0.97, 0.5, 1, 1.2], shock_day=1)
    # days 1..6: 0 + 0.5 + 0.03 + 0.5 + 0 + 0 (catch-up above 1 does not offset)
    assert resilience_loss(res, by="demand")[0, 0] == pytest.approx(1.03)
    assert normalised_resilience(res, by="demand")[0, 0] == pytest.approx((1 + 0.5 + 0.97 + 0.5 + 1 + 1) / 6)
    assert resilience_loss(res, by="demand", start=0, end=1)[0, 0] == pytest.approx(0.8)


def test_resilience_loss_checks_its_window() -> None:
    with pytest.raises(ValidationError, match=r"start, end must be 0 <= start < end <= 3"):
        resilience_loss(with_us_performance([1, 1, 1]), start=2, end=2)


def test_excess_shortfall_subtracts_the_paired_baseline_in_usd() -> None:
    shocked = with_us_performance([1, 0.5, 0.0], runs=2)
    base = with_us_performance([1, 1, 0.9], runs=2)
    # US shortfall: 15 vs 1 wafer at 10 USD
    np.testing.assert_allclose(excess_shortfall(shocked, baseline=base, by="region"), [[0, 140], [0, 140]])
    np.testing.assert_allclose(excess_shortfall(shocked, by="demand", usd=False), [[15, 0], [15, 0]])


def test_expected_shortfall_is_the_tail_mean_over_runs() -> None:
    runs = np.arange(1.0, 21.0)
    assert float(cvar(runs, level=0.95)) == 20.0
    assert float(cvar(runs, level=0.9)) == 19.5
    assert float(cvar(runs, level=0.875)) == pytest.approx((20 + 19 + 0.5 * 18) / 2.5)
    assert float(cvar(np.array([3.0, 1.0]), level=0.95)) == 3.0
    delivered = np.stack([np.full((3, 2), v) for v in (10.0, 8.0, 5.0, 9.0)])   # 4 runs, both demands
    res = hand_results(delivered)
    # the worst run (5 of 10 delivered to US, 5 of 5 to JP on each of 3 days) is short 15 wafers
    assert expected_shortfall(res, by="demand", usd=False, level=0.75).tolist() == [15.0, 0.0]


# Summaries -------------------------------------------------------------------------------------
def test_mean_ci_is_the_student_t_interval() -> None:
    x = np.array([1.0, 2.0, 4.0, 7.0])
    mean, lo, hi = mean_ci(x)
    half = stats.t.ppf(0.975, 3) * x.std(ddof=1) / 2
    assert (mean, lo, hi) == pytest.approx((3.5, 3.5 - half, 3.5 + half))
    assert mean_ci([2.0, math.inf]) == (math.inf, math.inf, math.inf)
    m, lo, hi = mean_ci([2.0])
    assert m == 2.0 and math.isnan(lo) and math.isnan(hi)
    with pytest.raises(ValidationError, match="level must be > 0"):
        mean_ci(x, level=0.0)


def test_summarize_labels_each_group() -> None:
    table = summarize(np.array([[1.0, 5.0], [3.0, 5.0]]), ["US", "JP"])
    assert list(table.index) == ["US", "JP"]
    assert table.loc["JP"].tolist() == [5.0, 5.0, 5.0]


# Trade -----------------------------------------------------------------------------------------
def _diverted_flows(days: int = 4, switch: int = 2) -> np.ndarray:
    """CN 7 + ROW 3 ore a day, then ROW ships all 10 from day ``switch``."""
    flow = np.broadcast_to(np.array([7.0, 3.0, 10.0, 5.0]), (1, days, 4)).copy()
    flow[0, switch:, 0], flow[0, switch:, 1] = 0.0, 10.0
    return flow


def test_concentration_dependency_and_shares_by_exporter() -> None:
    res = hand_results(np.full((1, 4, 2), 5.0), flow=_diverted_flows())
    assert trade_labels(res) == ("JP:chip", "US:chip", "US:ore")
    g = trade_labels(res).index("US:ore")
    assert concentration(res, start=0, end=2)[0, g] == pytest.approx(0.7**2 + 0.3**2)
    assert concentration(res, start=2)[0, g] == pytest.approx(1.0)
    assert concentration(res, start=0, end=2)[0, 1] == 1.0          # US chips come from the US only
    assert dependency(res, exporter="CN", start=0, end=2)[0, g] == pytest.approx(0.7)
    assert dependency(res, exporter="JP")[0].tolist() == [0.0, 0.0, 0.0]
    shares = trade_shares(res, start=0, end=2, include_domestic=False)
    assert shares[["importer", "commodity", "exporter", "volume", "share"]].values.tolist() == [
        ["JP", "chip", "US", 10.0, 1.0], ["US", "ore", "CN", 14.0, 0.7], ["US", "ore", "ROW", 6.0, 0.3]]


def test_trade_diversion_is_half_the_sum_of_share_changes() -> None:
    base = hand_results(np.full((1, 4, 2), 5.0))
    res = hand_results(np.full((1, 4, 2), 5.0), flow=_diverted_flows())
    g = trade_labels(res).index("US:ore")
    assert trade_diversion(res, baseline=base, start=2)[0, g] == pytest.approx(0.7)
    assert trade_diversion(res, baseline=base, start=0, end=2)[0, g] == pytest.approx(0.0)


def test_landed_cost_and_its_peak_increase_weight_lanes_by_flow() -> None:
    base = hand_results(np.full((1, 4, 2), 5.0))
    res = hand_results(np.full((1, 4, 2), 5.0), flow=_diverted_flows())
    g = trade_labels(res).index("US:ore")
    # price 2 plus freight 1 (CN) or 3 (ROW): 0.7 x 3 + 0.3 x 5 = 3.6, then 5 when ROW ships all
    np.testing.assert_allclose(landed_cost(res)[0, :, g], [3.6, 3.6, 5.0, 5.0])
    assert peak_cost_increase(res, baseline=base)[0, g] == pytest.approx(5.0 / 3.6 - 1)
    assert peak_cost_increase(res)[0, g] == pytest.approx(5.0 / 3.6 - 1)        # vs steady state


# Plots -----------------------------------------------------------------------------------------
def test_resilience_plots_return_axes_annotated_with_the_metrics() -> None:
    res = with_us_performance([1, 0.5, 0.5, 1, 1, 1, 1], runs=3, shock_day=0)
    ax = plot_resilience_curve(res, by="demand", sustain_days=3)
    assert ax.get_title() == "US.chip: TTS 1 d, TTR 3 d, loss 1 d"
    ax = plot_fan(res, with_us_performance([1] * 7, runs=3), ident="US")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["baseline", "hand", "shock window (no end date: in force to the end)", "shock day"]
