"""Shocks and responses: validation, scenario-file round trips, hand-computed oracles, conservation."""

from __future__ import annotations

import datetime as dt
import tomllib

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplychain.compile.compiler import compile_scenario
from supplychain.errors import SimulationWarning, UnknownIdError, ValidationError
from supplychain.metrics.balance import material_balance
from supplychain.model import (
    CapacityInvestment,
    CapacityShock,
    Commodity,
    Demand,
    DemandShock,
    ExportControl,
    Facility,
    Fixed,
    Lane,
    LogisticsShock,
    Network,
    Region,
    SafetyStockChange,
    Scenario,
    StockpileRelease,
    Tariff,
    Uniform,
    shock_from_dict,
)
from supplychain.run import simulate

from .conftest import chain_network
from .strategies import networks

ALL_SHOCKS = [
    Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=dt.date(2025, 2, 1),
           switching_lag_days=30, demand_elasticity=0.3),
    ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=0.6,
                  processing_delay=Uniform(30, 60), start=10, end=50, announced=2, destinations=["US"]),
    ExportControl(exporter="CN", commodity="metal", mode="quota", quota_per_period=40.0, period_days=10,
                  except_destinations=("JP",), start=5),
    ExportControl(exporter="CN", commodity="*", leakage=0.2, leakage_extra_days=20, leakage_extra_cost=0.5),
    CapacityShock(stage="refinery", region="CN", fraction_lost=0.5, destroy_inventory=0.3, start=3, end=20,
                  recovery="exponential", recovery_days=10),
    LogisticsShock(through="CN", lead_time_multiplier=1.5, start=0, end=30),
    DemandShock(region="US", commodity="metal", factor=1.2, start=5),
    StockpileRelease(region="US", commodity="metal", reserve=50.0, release_below_cover_days=20,
                     max_release_per_day=4.0),
    CapacityInvestment(region="CN", facility="CN.refinery", added_capacity=5.0, build_lag_days=5, ramp_days=10),
    SafetyStockChange(region="US", commodity="metal", cover_days=45, start=15),
]


def two_suppliers(*, sigma: float = 4.0, freight: float = 0.0, chain: str = "minerals") -> Network:
    """Identical refineries in CN and KR, each with half of US demand of 10 t/day."""
    return Network(
        regions=(Region("CN"), Region("KR"), Region("US")),
        commodities=(Commodity("metal", "t", 100.0, elasticity=sigma, chain=chain),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 100.0),
                    Facility("KR.ref", "KR", "refinery", "metal", 100.0)),
        lanes=(Lane("CN.ref", "US.metal", "metal", lead_time=5, share=0.5, freight_usd_per_unit=freight),
               Lane("KR.ref", "US.metal", "metal", lead_time=5, share=0.5, freight_usd_per_unit=freight)),
        demands=(Demand("US.metal", "US", "metal", 10.0),),
    )


def star_network(n_buyers: int, *, lead: float = 3.0) -> Network:
    """One CN refinery selling 1 t/day to each of ``n_buyers`` US demands."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("metal", "t", 100.0),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 10.0 * n_buyers),),
        lanes=tuple(Lane("CN.ref", f"US.d{i}", "metal", lead_time=lead) for i in range(n_buyers)),
        demands=tuple(Demand(f"US.d{i}", "US", "metal", 1.0) for i in range(n_buyers)),
    )


# Validation -------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda: Tariff(importer="US", commodity="g", rate=-0.1), r"rate must be >= 0; got -0.1 for Tariff\."),
    (lambda: Tariff(importer="US", exporter="US", commodity="g", rate=0.1), r"exporter must be a region other"),
    (lambda: DemandShock(region="US", commodity="g", factor=1, start=10, end=5),
     r"end must be after start \(10\); got 5 for DemandShock\."),
    (lambda: ExportControl(exporter="CN", commodity="g", start=5, announced=9), r"announced must be on or before"),
    (lambda: ExportControl(exporter="CN", commodity="g", mode="quota"), r"quota_per_period must be given when mode is .quota.: the most units .*; missing \(None\)"),
    (lambda: ExportControl(exporter="CN", commodity="g", approval_probability=1.5),
     r"approval_probability must be <= 1; got 1.5"),
    (lambda: ExportControl(exporter="CN", commodity="g", mode="licence", leakage=0.1),
     r"leakage must be 0 unless mode is 'ban'"),
    (lambda: CapacityShock(facility="x", fraction_lost=0.0), r"fraction_lost must be > 0; got 0.0"),
    (lambda: CapacityShock(facility="x", region="CN", fraction_lost=0.5), r"stage and region must be None"),
    (lambda: CapacityShock(facility="x", fraction_lost=0.5, recovery="instant"), r"recovery must be 'linear'"),
    (lambda: LogisticsShock(through="TW"), r"lead_time_multiplier must be different from 1 unless closed"),
    (lambda: StockpileRelease(region="JP", commodity="g", reserve=-1, release_below_cover_days=5),
     r"reserve must be >= 0; got -1"),
    (lambda: CapacityInvestment(region="US", added_capacity=5), r"facility or commodity must be given"),
    (lambda: SafetyStockChange(region="JP", commodity="g", cover_days=-3), r"cover_days must be >= 0"),
    (lambda: Tariff(importer="US", commodity="g", rate=0.1, start="2023-13-01"),
     r"start must be a whole day number or a date"),
])
def test_invalid_shocks_name_field_value_and_kind(make, message):
    with pytest.raises(ValidationError, match=message):
        make()


@pytest.mark.parametrize("data, message", [
    ({"kind": "tarif", "importer": "US"}, r"kind must be a known shock kind \(did you mean 'tariff'"),
    ({"kind": "tariff", "importer": "US", "commodity": "g", "rte": 0.1}, r"field 'rte' .* Did you mean 'rate'"),
    ({"kind": "tariff", "importer": "US", "commodity": "g"}, r"rate must be given for Tariff"),
    ({"kind": "demand_shock", "region": "US", "commodity": "g", "factor": 1, "start": "2023-02-30"},
     r"start must be a whole day number or a date"),
    (["tariff"], r"shock must be a table with a 'kind' key"),
])
def test_shock_from_dict_errors(data, message):
    with pytest.raises(ValidationError, match=message):
        shock_from_dict(data)


@pytest.mark.parametrize("shock, message", [
    (Tariff(importer="USA", commodity="metal", rate=0.1), r"importer 'USA' .* Did you mean 'US'"),
    (ExportControl(exporter="CN", commodity="metl"), r"commodity 'metl' .* Did you mean 'metal'"),
    (CapacityShock(facility="CN.refinry", fraction_lost=0.5), r"Did you mean 'CN.refinery'"),
    (CapacityShock(stage="refining", fraction_lost=0.5), r"stage 'refining' .* Did you mean 'refinery'"),
])
def test_unknown_ids_fail_at_compile_with_close_matches(shock, message):
    with pytest.raises(UnknownIdError, match=message):
        compile_scenario(Scenario(chain_network(), (shock,), horizon_days=10))


def test_selection_errors_say_where_the_commodity_is():
    s = Scenario(chain_network(), (DemandShock(region="CN", commodity="metal", factor=2),), horizon_days=10)
    with pytest.raises(ValidationError, match=r"region must have final demand for 'metal'; got 'CN'.*exists in US\)"):
        compile_scenario(s)
    s = s.replace(shocks=(CapacityInvestment(region="US", commodity="metal", added_capacity=1.0),))
    with pytest.raises(ValidationError, match=r"region must have a facility producing 'metal'.*"
                       r"\(facilities producing it are in CN; to expand elsewhere"):
        compile_scenario(s)
    s = s.replace(shocks=(DemandShock(region="US", commodity="metal", factor=1, start=dt.date(2025, 3, 1),
                                      end=10),), start_date=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match=r"end must be after start"):
        compile_scenario(s)


def test_empty_selection_warns():
    s = Scenario(chain_network(), (ExportControl(exporter="US", commodity="metal"),), horizon_days=10)
    with pytest.warns(SimulationWarning, match="matches no lane"):
        compile_scenario(s)


@pytest.mark.parametrize("shock", ALL_SHOCKS, ids=lambda s: s.kind)
def test_to_dict_round_trips_through_toml(shock):
    assert shock_from_dict(shock.to_dict()) == shock
    text = tomli_w.dumps({"shocks": [shock.to_dict()]})
    assert shock_from_dict(tomllib.loads(text)["shocks"][0]) == shock


# Oracles (SimPy engine) ------------------------------------------------------------------------

def test_ban_on_only_supplier_starves_buyer_the_day_its_cover_runs_out():
    # Shipments sent before the ban (day 10) land until day 10 + 20 - 1; the buyer then holds its
    # 30 days of cover (150 t at 5 t/day) and serves from it through day 59: first unmet day is 60.
    s = Scenario(chain_network(lead_refinery=20, cover=30), horizon_days=90).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="ban", start=10))
    res = simulate(s, engine="des", seed=0)
    unmet = res.series("unmet", "US.metal")[0]
    assert np.flatnonzero(unmet > 1e-9)[0] == 10 + 20 + 30
    assert unmet[60:] == pytest.approx(5.0)
    assert res.series("flow", "CN.refinery>US.metal")[0, 10:].sum() == 0.0


def test_tariff_shifts_share_by_the_ces_rule_after_the_lag():
    rate, sigma, lag, start = 0.25, 4.0, 60, 10
    s = Scenario(two_suppliers(sigma=sigma), horizon_days=start + lag + 30).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=rate, start=start))
    flow = simulate(s, engine="des", seed=0).flow[0]
    share_cn = flow[:, 0] / flow.sum(axis=1)
    expected = (1 + rate) ** -sigma / (1 + (1 + rate) ** -sigma)
    assert share_cn[:start] == pytest.approx(0.5)
    assert share_cn[start + lag - 1:] == pytest.approx(expected, rel=1e-12)
    # Linear in between: half-way through the lag, half of the move.
    mid = start + lag // 2 - 1
    assert share_cn[mid] == pytest.approx(0.5 + (expected - 0.5) * (lag // 2) / lag, rel=1e-12)


def test_tariff_ces_uses_landed_cost_with_freight():
    rate, sigma, price, freight = 0.5, 2.0, 100.0, 50.0
    s = Scenario(two_suppliers(sigma=sigma, freight=freight), horizon_days=40).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=rate, switching_lag_days=1, start=1))
    share = compile_scenario(s).schedules.share[-1]
    w = ((price * (1 + rate) + freight) / (price + freight)) ** -sigma
    assert share[0] == pytest.approx(w / (1 + w))


def test_tariff_demand_response_uses_ces_price_index():
    s = Scenario(two_suppliers(sigma=2.0), horizon_days=20).with_shocks(
        Tariff(importer="US", commodity="metal", rate=0.2, demand_elasticity=0.5, start=1))
    factor = compile_scenario(s).schedules.demand_factor
    assert factor[-1, 0] == pytest.approx(1.2 ** -0.5)   # every source taxed: P = 1.2


def test_tariff_in_force_on_day_0_is_paid_but_moves_no_share():
    s = Scenario(two_suppliers(), horizon_days=30).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=-100))
    c = compile_scenario(s)
    assert c.schedules.tariff[:, 0] == pytest.approx(0.25)
    assert c.schedules.share[:, 0] == pytest.approx(0.5)


def test_licence_applications_are_decided_after_the_delay_with_probability_p():
    p, delay, lead, start, n_buyers, n_runs = 0.3, 15, 3, 5, 40, 25
    s = Scenario(star_network(n_buyers, lead=lead), horizon_days=start + 30).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=p,
                      processing_delay=Fixed(delay), start=start))
    res = simulate(s, engine="des", seed=11, n_runs=n_runs)
    flow, waiting = res.flow, res.arrays["awaiting_licence"]
    # Day `start`: every buyer's 1 t order is an application; nothing ships until its decision.
    assert flow[:, start:start + delay].sum() == 0.0
    assert waiting[:, start] == pytest.approx(1.0)
    # On day start + delay a share p of the day-`start` applications is approved and ships whole.
    first = flow[:, start + delay].ravel()
    assert set(np.round(first, 12)) <= {0.0, 1.0}
    se = np.sqrt(p * (1 - p) / first.size)
    assert abs(first.mean() - p) < 4 * se
    # What ships lands `lead` days later (the wait is not transit).
    assert np.allclose(res.arrivals[:, start + delay + lead], flow[:, start + delay])
    assert res.in_transit[:, start:start + delay].max() <= res.in_transit[:, start - 1].max() + 1e-12


def test_certain_licence_is_a_deterministic_application_delay():
    s = Scenario(chain_network(), horizon_days=60).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="licence", processing_delay=10, start=5))
    c = compile_scenario(s)
    assert c.is_deterministic and not c.schedules.lead_extra.any()
    (spec,) = c.schedules.extras["licences"]
    assert spec.lanes.tolist() == [1] and spec.delay.mean == 10.0 and not spec.uncertain


def test_quota_caps_volume_per_period():
    quota, period, start = 30.0, 10, 5
    s = Scenario(star_network(4), horizon_days=45).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="quota", quota_per_period=quota,
                      period_days=period, start=start))
    flow = simulate(s, engine="des", seed=0).flow[0].sum(axis=1)
    per_period = flow[start:].reshape(-1, period).sum(axis=1)
    assert per_period == pytest.approx(quota)        # demand (4 t/day) exceeds 3 t/day of quota


def test_front_loading_raises_orders_up_to_the_cap_before_start():
    announced, start, days = 10, 20, 30
    s = Scenario(chain_network(demand=5.0), horizon_days=40).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="ban", start=start, announced=announced,
                      front_load_days=days))
    flow = simulate(s, engine="des", seed=0).series("flow", "CN.refinery>US.metal")[0]
    # Over the window the buyer orders its usage plus the cap (days x 5 t/day), the cap from the announcement.
    assert flow[announced:start].sum() == pytest.approx(10 * 5.0 + days * 5.0)
    assert flow[start:].sum() == 0.0


def test_capacity_shock_profile_and_destroyed_stock():
    s = Scenario(chain_network(), horizon_days=40).with_shocks(
        CapacityShock(facility="CN.mine", fraction_lost=0.8, start=5, end=10, recovery_days=4,
                      destroy_inventory=0.25))
    c = compile_scenario(s)
    cf = c.schedules.capacity_factor[:, 0]
    assert cf[[4, 5, 9, 10, 11, 12, 13, 14]] == pytest.approx([1, 0.2, 0.2, 0.4, 0.6, 0.8, 1.0, 1.0])
    res = simulate(s, engine="des", seed=0)
    mine_stock = res.coords.index("stock", "CN.mine:ore")
    assert res.arrays["destroyed"][0, 5, mine_stock] == pytest.approx(0.25 * res.inventory[0, 4, mine_stock])


def test_logistics_closure_and_slowdown():
    closed = Scenario(chain_network(), horizon_days=30).with_shocks(
        LogisticsShock(origin_region="CN", destination_region="US", closed=True, start=3, end=8))
    flow = simulate(closed, engine="des", seed=0).series("flow", "CN.refinery>US.metal")[0]
    assert flow[3:8].sum() == 0.0 and flow[8] > 5.0          # re-orders the gap when it reopens
    slow = compile_scenario(closed.replace(shocks=(LogisticsShock(through="US", lead_time_multiplier=2.0),)))
    assert slow.schedules.lead_factor[0].tolist() == [1.0, 2.0]   # the domestic ore lane is untouched


def test_demand_shock_scales_demand():
    s = Scenario(chain_network(), horizon_days=20).with_shocks(
        DemandShock(region="US", commodity="metal", factor=1.5, start=5, end=10))
    demand = simulate(s, engine="des", seed=0).demand[0, :, 0]
    assert demand[[4, 5, 9, 10]] == pytest.approx([5.0, 7.5, 7.5, 5.0])


def test_stockpile_release_tops_cover_up_within_limits():
    reserve, floor, per_day = 60.0, 10.0, 4.0
    s = Scenario(chain_network(cover=30), horizon_days=100).with_shocks(
        ExportControl(exporter="CN", commodity="metal", start=0),
        StockpileRelease(region="US", commodity="metal", reserve=reserve, release_below_cover_days=floor,
                         max_release_per_day=per_day))
    res = simulate(s, engine="des", seed=0)
    released = res.arrays["released"][0].sum(axis=1)
    assert released.sum() == pytest.approx(reserve)
    assert released.max() <= per_day + 1e-12
    # Hand count: arrivals stop after day 19, so the 150 t of cover ends day 20 + k at 145 - 5k t and
    # day 40 at 45 t. Day 41 opens below 10 days (50 t), so the reserve gives min(gap 5, 4) = 4 t a
    # day from day 41 until the 60 t are gone: days 41-55.
    assert np.flatnonzero(released > 0).tolist() == list(range(41, 56))
    assert released[41:56] == pytest.approx(per_day)


def test_capacity_investment_ramps_capacity():
    s = Scenario(chain_network(refinery_capacity=10.0), horizon_days=30).with_shocks(
        CapacityInvestment(region="CN", commodity="metal", added_capacity=5.0, start=2, build_lag_days=3,
                           ramp_days=5))
    cf = compile_scenario(s).schedules.capacity_factor[:, 1]
    assert cf[[4, 5, 6, 9, 20]] == pytest.approx([1.0, 1.1, 1.2, 1.5, 1.5])


def test_safety_stock_change_builds_stock():
    s = Scenario(chain_network(cover=30), horizon_days=120).with_shocks(
        SafetyStockChange(region="US", commodity="metal", cover_days=60, start=10))
    stock = simulate(s, engine="des", seed=0).series("inventory", "US.metal:metal")[0]
    assert stock[5] == pytest.approx(150.0) and stock[-1] == pytest.approx(300.0)


# Conservation under every shock type -----------------------------------------------------------

def balance_residuals(res) -> tuple[np.ndarray, np.ndarray]:
    """Per stock and per lane: initial + inflows - outflows - final (zero when material is conserved)."""
    c = compile_scenario(res.scenario)
    zero = np.zeros((res.n_runs, c.n_stocks))
    arrivals = np.asarray(res.arrivals.sum(axis=1) @ c.m_lane_to_stock)
    made = np.asarray(res.production.sum(axis=1) @ c.m_production)
    shipped = zero.copy()
    shipped[:, c.out_stock] = np.asarray(res.flow.sum(axis=1) @ c.m_lane_to_origin)
    delivered = zero.copy()
    np.add.at(delivered, (slice(None), c.demand_stock), res.delivered.sum(axis=1))
    released = res.arrays.get("released", zero[:, None]).sum(axis=1)
    destroyed = res.arrays.get("destroyed", zero[:, None]).sum(axis=1)
    stock = (res.initial_inventory + arrivals + made + released - destroyed - shipped - delivered
             - res.inventory[:, -1])
    lanes = res.initial_in_transit + res.flow.sum(axis=1) - res.arrivals.sum(axis=1) - res.in_transit[:, -1]
    return stock, lanes


@st.composite
def shocks_for(draw, net: Network):
    """One shock of a random kind whose ids exist in ``net``."""
    fac = draw(st.sampled_from(net.facilities))
    dem = draw(st.sampled_from(net.demands))
    start = draw(st.integers(0, 15))
    end = draw(st.one_of(st.none(), st.integers(start + 1, 40)))
    window = {"start": start, "end": end}
    options = [
        Tariff(importer=dem.region, commodity="metal", rate=draw(st.floats(0, 2)),
               switching_lag_days=draw(st.integers(1, 20)), demand_elasticity=draw(st.floats(0, 1)), **window),
        ExportControl(exporter=fac.region, commodity=fac.output, mode="ban", leakage=draw(st.floats(0, 1)),
                      announced=max(start - 5, 0), **window),
        ExportControl(exporter=fac.region, commodity=fac.output, mode="licence",
                      approval_probability=draw(st.floats(0, 1)), processing_delay=Uniform(1, 10), **window),
        ExportControl(exporter=fac.region, commodity=fac.output, mode="quota",
                      quota_per_period=draw(st.floats(0, 50)), period_days=draw(st.integers(1, 10)), **window),
        CapacityShock(facility=fac.id, fraction_lost=draw(st.floats(0.1, 1)),
                      destroy_inventory=draw(st.floats(0, 1)), recovery_days=draw(st.floats(0, 10)), **window),
        LogisticsShock(through=fac.region, closed=draw(st.booleans()), lead_time_multiplier=2.0, **window),
        DemandShock(region=dem.region, commodity="metal", factor=draw(st.floats(0, 3)), **window),
        StockpileRelease(region=dem.region, commodity="metal", reserve=draw(st.floats(0, 100)),
                         release_below_cover_days=draw(st.floats(0, 30)), **window),
        SafetyStockChange(region=dem.region, commodity="metal", cover_days=draw(st.floats(0, 60)), **window),
    ]
    if fac.capacity_per_day > 1e-3:
        options.append(CapacityInvestment(region=fac.region, facility=fac.id, added_capacity=5.0,
                                          build_lag_days=3, ramp_days=4, **window))
    return draw(st.sampled_from(options))


@pytest.mark.filterwarnings("ignore::supplychain.errors.SimulationWarning")   # shocks that match nothing
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_material_is_conserved_under_every_shock_type(data):
    net = data.draw(networks())
    shocks = data.draw(st.lists(shocks_for(net), min_size=1, max_size=3))
    s = Scenario(net, tuple(shocks), horizon_days=40)
    res = simulate(s, engine="des", seed=data.draw(st.integers(0, 2**16)))
    stock, lanes = balance_residuals(res)
    scale = max(1.0, float(np.abs(res.initial_inventory).max()), float(res.flow.sum(axis=1).max(initial=0)),
                float(res.arrays.get("released", np.zeros(1)).sum()))
    assert np.abs(stock).max(initial=0) <= 1e-9 * scale
    assert np.abs(lanes).max(initial=0) <= 1e-9 * scale
    assert (res.inventory >= -1e-9).all()
    assert material_balance(res).max_relative_error < 1e-9
    # Globally: nothing appears from or vanishes into nowhere, per commodity.
    assert abs(stock.sum() + lanes.sum()) <= 1e-9 * scale * stock.size


def test_both_engines_run_the_dynamic_mechanisms_identically():
    # Quotas, random licences, releases and destroyed stock live in the shared rules, so the
    # vector engine reproduces the SimPy engine run by run.
    net = chain_network()
    s = Scenario(net, horizon_days=90).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=0.5,
                      processing_delay=Uniform(5, 15), start=10, end=40, announced=3),
        ExportControl(exporter="CN", commodity="metal", mode="quota", quota_per_period=60.0, period_days=15,
                      start=40),
        CapacityShock(facility="CN.mine", fraction_lost=0.6, destroy_inventory=0.5, start=20, end=30,
                      recovery_days=10),
        StockpileRelease(region="US", commodity="metal", reserve=80.0, release_below_cover_days=29),
        SafetyStockChange(region="US", commodity="metal", cover_days=40, start=60))
    des = simulate(s, engine="des", seed=5, n_runs=3)
    vec = simulate(s, engine="vector", seed=5, n_runs=3)
    assert set(des.arrays) == set(vec.arrays) >= {"released", "destroyed"}
    for name in des.arrays:
        np.testing.assert_allclose(vec.arrays[name], des.arrays[name], rtol=1e-9, atol=1e-9, err_msg=name)
    assert des.arrays["released"].sum() > 0 and des.arrays["destroyed"].sum() > 0


def test_shock_dates_may_be_given_as_iso_text():
    import datetime as dt

    from supplychain import ValidationError
    from supplychain.model.shocks import ExportControl
    ban = ExportControl(exporter="CN", commodity="gallium", mode="ban", start="2025-03-01", end="2025-04-01")
    assert ban.start == dt.date(2025, 3, 1) and ban.end == dt.date(2025, 4, 1)
    with pytest.raises(ValidationError, match=r"start must be a whole day number or a date \(YYYY-MM-DD, a day that exists, e.g. 2025-03-01\); got '1 March'"):
        ExportControl(exporter="CN", commodity="gallium", mode="ban", start="1 March")


def test_a_tariff_on_goods_not_traded_names_the_goods_that_are():
    # A user's "tariff on Chinese graphite" on a good the importer does not buy from the exporter: the
    # warning is short (fields that differ from their defaults, dates in ISO form) and names what it buys.
    from supplychain import load_baseline
    from supplychain.model import Tariff
    shock = Tariff(importer="US", exporter="CN", commodity="graphite_spherical", rate=0.5,
                   start=dt.date(2025, 2, 1))
    with pytest.warns(SimulationWarning) as said:
        compile_scenario(load_baseline(horizon_days=60).with_shocks(shock))
    text = str(said[0].message)
    assert "start=2025-02-01" in text and "datetime" not in text and "end=" not in text
    assert "US buys from CN: aam, aam_synthetic," in text


def test_a_share_given_in_percent_says_how_to_write_it():
    from supplychain.model import CapacityShock
    with pytest.raises(ValidationError, match=r"fraction_lost must be <= 1 \(a fraction: 0.5 means 50 %\); got 50"):
        CapacityShock(region="TW", stage="fab", fraction_lost=50, start=1, end=10)
