"""The Simchi-Levi TTS/TTR LPs (Simchi-Levi et al. 2015, Interfaces 45(5)) against hand-computed answers."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from supplychain.analytics import (
    build_lp,
    performance_impact_lp,
    risk_exposure,
    time_to_survive_lp,
)
from supplychain.analytics._lp_local import local_solve
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.analytics.lp import _local_tts, _tts_days
from supplychain.analytics.stress import disruption_scenarios
from supplychain.compile.compiler import compile_scenario
from supplychain.compile.steady import steady_state
from supplychain.datasets.synthetic import synthetic_network
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


# --- The local solver: the knockout's LP solved on the part of the network it touches ---------------------

def _same(local: pd.DataFrame, full: pd.DataFrame) -> None:
    """Equal to the solver's tolerance, including the infinite TTS of knockouts the network outlasts."""
    assert local.index.tolist() == full.index.tolist()
    for col in ("tts_days", "pi_usd", "rei"):
        a, b = local[col].to_numpy(float), full[col].to_numpy(float)
        assert ((np.isinf(a) & np.isinf(b)) | np.isclose(a, b, rtol=1e-6, atol=1e-6)).all(), col
    assert (local["vulnerable"] == full["vulnerable"]).all()


def reroute_network(*, ore_capacity: float) -> Network:
    """US demand of 10/day is served by an assembler fed with parts by P1 (no inputs) and P2 (ore from one mine).

    Knocking out P1 leaves P2, whose extra output needs extra ore: whether the network survives depends on
    the mine's capacity, three rows away from P1 in the LP.
    """
    no_stock = {"default_cover_days": 0.0}
    return Network(
        regions=(Region("CN"), Region("KR"), Region("US")),
        commodities=(Commodity("ore", "t", 10.0), Commodity("part", "t", 50.0), Commodity("good", "t", 200.0)),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", ore_capacity, **no_stock),
                    Facility("KR.p1", "KR", "parts", "part", 20.0, **no_stock),
                    Facility("KR.p2", "KR", "parts", "part", 20.0, recipe={"ore": 1.0}, **no_stock),
                    Facility("KR.assembly", "KR", "assembly", "good", 20.0, recipe={"part": 1.0}, **no_stock)),
        lanes=(Lane("CN.mine", "KR.p2", "ore"), Lane("KR.p1", "KR.assembly", "part", share=0.5),
               Lane("KR.p2", "KR.assembly", "part", share=0.5), Lane("KR.assembly", "US.good", "good")),
        demands=(Demand("US.good", "US", "good", 10.0, initial_inventory=200.0),),
    )


@pytest.mark.parametrize(("ore", "survives"), [(8.0, False), (10.0, True), (12.0, True)])
def test_local_solver_grows_to_the_supplier_a_reallocation_needs(ore: float, survives: bool) -> None:
    lp = build_lp(reroute_network(ore_capacity=ore))
    full = time_to_survive_lp(lp, ["KR.p1"])
    tts = _local_tts(lp)
    result = local_solve(tts, [lp.node_ids.index("KR.p1")])
    # The first region (P1 and its rows) cannot raise P2's output: the optimality test must pull in P2 and the mine.
    assert result.n_solves >= 2
    assert math.isinf(full) == survives
    assert _tts_days(result.t, lp.max_days) == pytest.approx(full, rel=1e-9)
    if not survives:   # P2 makes at most 8 of the 10 a day: the stocks cover a gap of 2 a day
        assert full == pytest.approx(time_to_survive_lp(build_lp(reroute_network(ore_capacity=0.0)), ["KR.p1"])
                                     * 10.0 / 2.0)


def _weak(net: Network, factor: float) -> Network:
    """``net`` with every facility's capacity cut to ``factor`` of its steady production."""
    production = steady_state(net).production
    return dataclasses.replace(net, facilities=tuple(
        dataclasses.replace(f, capacity_per_day=factor * production[f.id]) if production.get(f.id, 0.0) > 0 else f
        for f in net.facilities))


@pytest.mark.parametrize(("size", "seed", "cover"), [(30, 1, 5.0), (40, 2, 10.0), (40, 3, 30.0)])
def test_local_solver_equals_the_full_lp_for_every_knockout(size: int, seed: int, cover: float) -> None:
    net = synthetic_network(size, seed=seed, cover_days=cover)
    scenarios = dict(disruption_scenarios(net)["facilities"])
    lp = build_lp(net)
    ttr = {name: [15.0, 60.0, 200.0][k % 3] for k, name in enumerate(scenarios)}
    local = risk_exposure(lp, scenarios, ttr)
    _same(local, risk_exposure(lp, scenarios, ttr, solver="full"))
    assert np.isfinite(local["tts_days"]).any() and (local["pi_usd"] > 0).any()
    # Knockouts inside a region-stage that lasts indefinitely were answered without an LP (and correctly).
    skipped = local.index[local["tts_ms"] == 0.0]
    assert len(skipped) > 0 and np.isinf(local.loc[skipped, "tts_days"]).all()


def test_local_solver_equals_the_full_lp_when_the_network_itself_cannot_last() -> None:
    # One facility below its steady production: the undisrupted TTS is finite, so the base point is the LP's own
    # optimum (not the steady state), and a TTR beyond it has losses even without a knockout.
    net = _weak(synthetic_network(30, seed=4, cover_days=10.0), 0.9)
    lp = build_lp(net)
    assert time_to_survive_lp(lp, []) < 400.0 and performance_impact_lp(lp, [], 400.0) > 0
    scenarios = dict(disruption_scenarios(net)["facilities"])
    for ttr in (5.0, 400.0):
        _same(risk_exposure(lp, scenarios, ttr), risk_exposure(lp, scenarios, ttr, solver="full"))


def test_worker_processes_give_the_same_table() -> None:
    net = synthetic_network(30, seed=1, cover_days=5.0)
    lp = build_lp(net)
    scenarios = dict(disruption_scenarios(net)["facilities"])
    alone = risk_exposure(lp, scenarios, 60.0, processes=False)
    shared = risk_exposure(lp, scenarios, 60.0, processes=True)
    pd.testing.assert_frame_equal(alone.drop(columns=["tts_ms", "pi_ms"]), shared.drop(columns=["tts_ms", "pi_ms"]))


def test_risk_exposure_checks_its_solver() -> None:
    with pytest.raises(ValidationError, match="solver must be 'local' or 'full'; got 'fast'"):
        risk_exposure(build_lp(toy_network()), {"cn": ["CN.mine"]}, 10.0, solver="fast")  # type: ignore[arg-type]
