"""The Simchi-Levi TTS/TTR LPs (Simchi-Levi et al. 2015, Interfaces 45(5)) against hand-computed answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from supplychain.analytics import (
    build_lp,
    performance_impact_lp,
    risk_exposure,
    time_to_survive_lp,
)
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.compile.compiler import compile_scenario
from supplychain.errors import UnknownIdError, ValidationError
from supplychain.model import (
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)

from .conftest import chain_network


def two_mines(*, alt_capacity: float, lane_capacity: float = math.inf, stock: float = 100.0) -> Network:
    """CN (20 t/day) and ROW mines, no stock of their own, feed one demand of 10 t/day."""
    return Network(
        regions=(Region("CN"), Region("ROW"), Region("US")),
        commodities=(Commodity("ore", "t", 50.0),),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", 20.0, default_cover_days=0.0),
                    Facility("ROW.mine", "ROW", "mine", "ore", alt_capacity, default_cover_days=0.0)),
        lanes=(Lane("CN.mine", "US.ore", "ore", share=0.5),
               Lane("ROW.mine", "US.ore", "ore", share=0.5, capacity_per_day=lane_capacity)),
        demands=(Demand("US.ore", "US", "ore", 10.0, initial_inventory=stock),),
    )


@pytest.mark.parametrize(("stock", "rate"), [(100.0, 10.0), (105.0, 10.0), (37.0, 4.0), (0.0, 3.0)])
def test_tts_of_a_single_source_is_stock_over_demand(stock: float, rate: float) -> None:
    lp = build_lp(single_source_network(stock=stock, rate_per_day=rate))
    s = stock + rate            # on hand plus one day of goods in transit
    assert time_to_survive_lp(lp, ["CN.mine"]) == pytest.approx(s / rate)


def test_tts_counts_every_upstream_buffer_through_the_bill_of_materials() -> None:
    net = chain_network(cover=10.0)        # refinery needs 2 t ore per t metal; demand 5 t/day
    c = compile_scenario(Scenario(net, horizon_days=1))
    # on hand plus in transit, per (node, commodity)
    stock = c.initial_stock + np.bincount(c.lane_dst_stock, weights=c.initial_arrivals.sum(axis=0),
                                          minlength=c.n_stocks)
    by = {(n, k): v for n, k, v in zip(c.stock_node, c.stock_commodity, stock)}
    metal = by[("US.metal", "metal")] + by[("CN.refinery", "metal")]
    ore = by[("CN.refinery", "ore")] + by[("CN.mine", "ore")]
    assert metal > 0 and ore > 0
    assert time_to_survive_lp(build_lp(net), ["CN.mine"]) == pytest.approx((metal + ore / 2) / 5.0)


@pytest.mark.parametrize("alt", [4.0, 7.5])
def test_tts_with_a_capacity_limited_alternative_is_stock_over_the_gap(alt: float) -> None:
    lp = build_lp(two_mines(alt_capacity=alt))
    s = 100.0 + 10.0            # consumer stock plus a day in transit on the two lanes
    assert time_to_survive_lp(lp, ["CN.mine"]) == pytest.approx(s / (10.0 - alt))


def test_lane_capacity_limits_the_alternative_too() -> None:
    lp = build_lp(two_mines(alt_capacity=100.0, lane_capacity=6.0))
    assert time_to_survive_lp(lp, ["CN.mine"]) == pytest.approx(110.0 / 4.0)


def test_tts_is_infinite_when_the_network_can_reroute_all_demand() -> None:
    lp = build_lp(two_mines(alt_capacity=10.0))
    assert time_to_survive_lp(lp, ["CN.mine"]) == math.inf
    assert time_to_survive_lp(lp, []) == math.inf


def test_performance_impact_is_the_value_of_lost_sales_over_ttr() -> None:
    lp = build_lp(single_source_network(stock=100.0, rate_per_day=10.0))
    # 10 t/day for 20 days, 110 t available: 90 t lost at 100 USD/t
    assert performance_impact_lp(lp, ["CN.mine"], 20.0) == pytest.approx(9000.0)
    assert performance_impact_lp(lp, ["CN.mine"], 5.0) == 0.0
    assert performance_impact_lp(lp, [], 20.0) == 0.0


def test_rei_of_the_worst_node_is_one_and_vulnerabilities_are_flagged() -> None:
    lp = build_lp(two_mines(alt_capacity=4.0))
    df = risk_exposure(lp, {"cn": ["CN.mine"], "row": ["ROW.mine"], "both": ["CN.mine", "ROW.mine"]},
                       ttr_days={"cn": 10.0, "row": 10.0, "both": 30.0})
    assert df["rei"].max() == 1.0
    assert df["rei"].idxmax() == "both"
    # both down for 30 days: 300 t asked, 110 t held -> 190 t lost
    assert df.loc["both", "pi_usd"] == pytest.approx(190 * 50.0)
    assert df.loc["both", "tts_days"] == pytest.approx(11.0)
    assert df["vulnerable"].tolist() == [False, False, True]
    assert df.loc["both", "exposure_days"] == pytest.approx(19.0)
    assert ((df["rei"] >= 0) & (df["rei"] <= 1)).all()


def test_rei_is_zero_everywhere_when_nothing_is_lost() -> None:
    df = risk_exposure(build_lp(toy_network()), {"cn": ["CN.mine"]}, ttr_days=10.0)
    assert df.loc["cn", "rei"] == 0.0 and not df.loc["cn", "vulnerable"]


def test_scenarios_change_only_bounds_of_one_matrix() -> None:
    lp = build_lp(toy_network())
    before = lp.a_ub.copy(), lp.b_ub.copy()
    risk_exposure(lp, {"cn": ["CN.mine"], "kr": ["KR.cells"]}, ttr_days=30.0)
    assert (lp.a_ub != before[0]).nnz == 0
    np.testing.assert_array_equal(lp.b_ub, before[1])


def test_unknown_disrupted_node_lists_close_matches() -> None:
    lp = build_lp(toy_network())
    with pytest.raises(UnknownIdError, match="disrupted node 'CN.mines'.*Did you mean 'CN.mine'"):
        time_to_survive_lp(lp, ["CN.mines"])
    with pytest.raises(ValidationError, match="max_days must be > 0"):
        build_lp(toy_network(), max_days=0)


def test_demand_nodes_use_the_consumer_policy_stock() -> None:
    net = single_source_network()
    net = Network(regions=net.regions, commodities=net.commodities, facilities=net.facilities, lanes=net.lanes,
                  demands=(Demand("US.ore", "US", "ore", 10.0, policy=DaysOfCover(7.0)),))
    assert time_to_survive_lp(build_lp(net), ["CN.mine"]) == pytest.approx((70.0 + 10.0) / 10.0)
