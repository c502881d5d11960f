"""Scarcity prices (docs/model.md §5.9): a hand-computed update, the direction of every shock type,
demand destruction, the CES tilt of sourcing shares and agreement of the engines."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain import simulate
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.compile.compiler import compile_scenario
from supplychain.metrics import landed_cost_increase_usd
from supplychain.model import (
    CapacityShock,
    DemandShock,
    ExportControl,
    Fixed,
    LogisticsShock,
    SafetyStockChange,
    Scenario,
    StockpileRelease,
    Tariff,
)
from supplychain.model.prices import PRICE_DEFAULTS, price_params

from .price_oracle import cut_off_price_path


def _toy(*shocks, horizon: int = 120) -> Scenario:
    return Scenario(toy_network(), horizon_days=horizon, name="toy", shocks=tuple(shocks), price_feedback=True)


def _toy_at_capacity(*shocks, horizon: int = 120) -> Scenario:
    """The toy with the CN mine at capacity (7 t/day, its normal rate): no spare capacity to idle, so the sales
    it loses lower its price (docs/model.md §5.9, lost sales)."""
    net = toy_network()
    mine = dataclasses.replace(net.facilities[0], capacity_per_day=7.0)
    net = dataclasses.replace(net, facilities=(mine, *net.facilities[1:]))
    return Scenario(net, horizon_days=horizon, name="toy", shocks=tuple(shocks), price_feedback=True)


def _index(res, commodity: str, region: str) -> np.ndarray:
    """The price index (price / reference) of one market, (days,), run 0."""
    coords = res.coords
    stocks = [i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))
              if r == region and k == commodity]
    assert stocks, (commodity, region)
    ref = {c.id: c.price_usd for c in res.scenario.network.commodities}[commodity]
    return res.arrays["price"][0, :, stocks[0]] / ref


def test_unshocked_prices_stay_at_the_reference_exactly() -> None:
    res = simulate(_toy(), engine="vector")
    ref = np.array([{c.id: c.price_usd for c in toy_network().commodities}[k] for k in res.coords.commodity["stock"]])
    assert np.array_equal(res.arrays["price"][0], np.broadcast_to(ref, res.arrays["price"][0].shape))


def test_one_day_update_matches_the_hand_computed_clearing_price() -> None:
    # One mine (no output stock) feeds a consumer holding 100 t; demand 10 t/day; the pipeline lands
    # 10 t on day 0. The mine stops on day 0. Day 0: stock after arrivals 110 = normal, price 1.
    # Day 1: nothing lands, stock 100: a deficit of 10 t, spread over 365 days, against the US market's
    # normal flow of 10 t/day (no US seller): gap g = 1 / 365. Target (1 - g) ** (-1 / 0.25) (minerals:
    # supply 0.10, demand -0.15), and the price closes 1/14 of the gap.
    net = single_source_network()
    sc = Scenario(net, horizon_days=3, shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="CN.mine"),),
                  price_feedback=True)
    res = simulate(sc, engine="vector")
    p = price_params("minerals")
    index = _index(res, "ore", "US")
    assert index[0] == 1.0
    expected = 1.0 + ((1.0 - 1.0 / 365.0) ** (-1.0 / p.exponent) - 1.0) / p.adjustment_days
    assert index[1] == pytest.approx(expected, rel=1e-12)
    # The mine's own market (CN) is asked its throughput with no capacity from day 0: a gap of the whole
    # flow, so its target is the cap on days 0 and 1.
    cn = _index(res, "ore", "CN")
    assert cn[0] == pytest.approx(1.0 + (p.cap - 1.0) / p.adjustment_days, rel=1e-12)
    assert cn[1] == pytest.approx(cn[0] + (p.cap - cn[0]) / p.adjustment_days, rel=1e-12)
    # Demand destruction: the day's new demand is 10 x price index ** demand elasticity.
    assert res.arrays["demand"][0, 1, 0] == pytest.approx(10.0 * expected ** p.demand_elasticity, rel=1e-12)
    assert res.arrays["demand"][0, 0, 0] == 10.0


def test_the_price_path_of_a_known_gap_matches_the_hand_computed_recursion() -> None:
    # Without feedback the consumer keeps using 10 t/day: on day t <= 11 it holds 110 - 10 t after
    # arrivals, a deficit of 10 t t-days' flow. From day 11 it holds nothing and cannot serve the day's
    # 10 t: its unmet demand joins the market's account, which keeps 1 - 1/14 of itself a day (§5.9).
    # gap g(t) = (deficit + account) / 365 / 10; pi(t) = pi(t-1) + (target - pi(t-1)) / 14.
    sc = Scenario(single_source_network(), horizon_days=16,
                  shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="CN.mine"),))
    p = price_params("minerals")
    expected = cut_off_price_path(p.exponent, p.adjustment_days)
    assert expected[11] - expected[10] > 1.15 * (expected[10] - expected[9])  # unmet demand adds to the gap
    for engine in ("vector", "des"):
        np.testing.assert_allclose(_index(simulate(sc, engine=engine), "ore", "US"), expected, rtol=1e-12)


@pytest.mark.parametrize("cover", [0.0, 36.5])
def test_lost_sales_lower_the_exporters_price_by_the_hand_computed_recursion(cover) -> None:
    # A ban on the mine's only lane from day 0: it ships nothing and owes nothing (a ban cancels the
    # backlog), so its throughput read on day t is 10 (29/30)^t (a 30-day moving average, §5.7). The CN
    # market has no buyers: normal flow 10 t/day. The mine runs at capacity (no spare capacity to idle) and
    # stocks what it cannot sell up to its normal output
    # stock over the restocking year (10 x cover / 365 t/day: 0, or 1 with 36.5 days of cover), so its lost
    # sales are v(t) = (min(10, 10) - 10 (29/30)^t - 10 cover / 365)^+ / 10, and the demand it faces clears at
    # ((1 - v) ** (1 / 0.25)), within the floor (docs/model.md §5.9).
    from supplychain.model import DaysOfCover
    net = single_source_network(capacity_per_day=10.0)
    net = dataclasses.replace(net, facilities=(dataclasses.replace(net.facilities[0],
                                                                   policies={"ore": DaysOfCover(cover)}),))
    sc = Scenario(net, horizon_days=16, shocks=(ExportControl(exporter="CN", commodity="ore", mode="ban", start=0),))
    p = price_params("minerals")
    pi, expected = 1.0, []
    for t in range(16):
        lost = max(1.0 - (29.0 / 30.0) ** t - cover / 365.0, 0.0)
        target = 1.0 if lost <= 1e-9 else max(p.floor, (1.0 - lost) ** (1.0 / p.exponent))
        pi += (target - pi) / p.adjustment_days
        expected.append(pi)
    assert expected[-1] < 0.75
    if cover:
        assert expected[3] == 1.0 and expected[4] < 1.0  # the first 10 % of lost sales go into stock
    paths = [_index(simulate(sc, engine=engine), "ore", "CN") for engine in ("vector", "des")]
    np.testing.assert_allclose(paths[0], expected, rtol=1e-12)
    np.testing.assert_array_equal(paths[0], paths[1])


def test_a_seller_that_sheds_output_keeps_its_price_when_it_loses_sales() -> None:
    # The same ban on a minerals-chain good made to order (stage "magnet", like sintered NdFeB magnets): what
    # the seller is decides, not its chain; it sheds output at the reference price. A chain's own setting
    # decides only for a stage the table does not list.
    from supplychain.model.prices import SHEDS_OUTPUT_BY_STAGE, sheds_output
    net = single_source_network()
    net = dataclasses.replace(net, facilities=(dataclasses.replace(net.facilities[0], stage="magnet"),))
    sc = Scenario(net, horizon_days=16, shocks=(ExportControl(exporter="CN", commodity="ore", mode="ban", start=0),))
    assert SHEDS_OUTPUT_BY_STAGE["magnet"] and not SHEDS_OUTPUT_BY_STAGE["mine"]
    assert sheds_output("minerals", "magnet") and not sheds_output("batteries", "refinery")
    assert sheds_output("batteries", "smelter") and not sheds_output("minerals", "smelter")
    assert np.array_equal(_index(simulate(sc, engine="vector"), "ore", "CN"), np.ones(16))
    assert np.array_equal(_index(simulate(sc, engine="des"), "ore", "CN"), np.ones(16))


def test_built_in_magnet_makers_shed_output_and_mines_and_refineries_cut_their_price() -> None:
    from supplychain import load_baseline
    sc = load_baseline().with_horizon(2)
    spec = compile_scenario(sc).schedules.extras["prices"]
    cuts = {f.stage for f, on in zip(sc.network.facilities, spec.sales_seller) if on}
    assert cuts == {"mine", "refinery", "recycling"}
    magnets = [i for i, f in enumerate(sc.network.facilities) if f.output == "ndfeb_magnet"]
    assert magnets and not spec.sales_seller[magnets].any()


def test_the_price_rises_with_the_gap_and_a_small_gap_moves_it_little() -> None:
    peaks = []
    # The CN mine (capacity 12 t/day, normal 7) loses part of its capacity for two months.
    for lost in (0.3, 0.5, 0.7, 0.9):
        res = simulate(_toy(CapacityShock(start=10, end=70, fraction_lost=lost, facility="CN.mine")), engine="vector")
        peaks.append(_index(res, "ore", "KR").max())
    assert peaks[0] == 1.0  # spare capacity absorbs the loss: no gap, no rise
    assert 1.0 < peaks[1] < peaks[2] < peaks[3]
    assert peaks[1] < 1.05  # a small gap: a small rise


def test_a_ban_raises_the_importers_price_and_lowers_the_exporters() -> None:
    # The CN mine loses its only buyer: a mineral's sellers cut their price along their short-run supply.
    res = simulate(_toy_at_capacity(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10)),
                   engine="vector")
    kr, cn = _index(res, "ore", "KR"), _index(res, "ore", "CN")
    assert kr[:10].tolist() == [1.0] * 10
    assert kr[40:].max() > 1.05
    assert cn[:11].tolist() == [1.0] * 11  # day 10 reads the throughput of day 9
    assert (np.diff(cn[10:60]) < 0).all() and cn.min() >= price_params("minerals").floor
    # Downstream, scarce cells cost more where they are consumed.
    assert _index(res, "cell", "US")[60:].max() > 1.0


def test_input_prices_pass_into_output_prices_by_cost_share() -> None:
    # KR cells use 1 t of ore (100 USD) per GWh (1,000 USD): cost share 0.1. The cell plant has spare
    # capacity and no buyers' stock in KR, so while its ore supports its throughput the cell market in KR
    # moves by pass-through alone: pi(t) = pi(t-1) + (1 + 0.1 (pi_ore(t-1) - 1) - pi(t-1)) / 30.
    res = simulate(_toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10)), engine="vector")
    spec = compile_scenario(res.scenario).schedules.extras["prices"]
    assert spec.pass_through[spec.labels.index(("cell", "KR")), spec.labels.index(("ore", "KR"))] == \
        pytest.approx(0.1)
    ore, cell = _index(res, "ore", "KR"), _index(res, "cell", "KR")
    tau = price_params("batteries").adjustment_days
    expected = cell[:-1] + (1.0 + 0.1 * (ore[:-1] - 1.0) - cell[:-1]) / tau
    np.testing.assert_allclose(cell[1:46], expected[:45], rtol=1e-12)
    assert cell[:46].max() > 1.003
    # From day 46 the plant's ore no longer supports its throughput, so it cannot serve what it owes from
    # its spare capacity; what it owes counts as its US buyer's stock falls below normal (day 48, no buffer
    # for batteries): a seller gap on top of the pass-through.
    np.testing.assert_allclose(cell[46:48], expected[45:47], rtol=1e-12)
    assert (cell[48:] > expected[47:] + 1e-12).all()


def test_a_duty_on_an_input_passes_into_the_output_price_by_cost_share() -> None:
    # A 20 % KR duty on CN ore from day 10. KR cells use 1 t of ore (100 USD) per GWh (1,000 USD): cost share
    # 0.1. The plant's input lanes carry 7 t/day from CN (freight 5) and 3 from ROW (freight 9): their landed
    # cost at the start is 7 x 105 + 3 x 109 = 1,062 USD a day, and the duty adds 7 x 100 x 0.2 = 140 (duty
    # factor 1 + 140 / 1,062). The KR cell plant has spare capacity and no buyer in KR, so the KR cell
    # market moves by pass-through alone (the KR ore price moves a little as orders shift to the longer
    # ROW route): pi(t) = pi(t-1) + (1 + 0.1 (pi_ore(t-1) x factor - 1) - pi(t-1))
    # / 30 (docs/model.md §5.9), the same bits in both engines.
    sc = Scenario(toy_network(), horizon_days=40,
                  shocks=(Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.2, start=10),))
    vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    # The CN mine's lost sales read its throughput, which the engines sum in different orders (an ulp apart).
    np.testing.assert_allclose(vector.arrays["price"], des.arrays["price"], rtol=1e-12)
    ore, cell = _index(vector, "ore", "KR"), _index(vector, "cell", "KR")
    assert cell[:10].tolist() == [1.0] * 10
    factor = 1.0 + 140.0 / 1062.0
    tau = price_params("batteries").adjustment_days
    expected, pi = [], 1.0
    for t in range(10, 40):
        pi += (1.0 + 0.1 * (ore[t - 1] * factor - 1.0) - pi) / tau
        expected.append(pi)
    np.testing.assert_allclose(cell[10:], expected, rtol=1e-12)
    # Downstream, US and JP consumers pay the duty on the input in the cell price; net rents plus the
    # tariffs collected still equal what final buyers paid.
    from supplychain.metrics import who_pays
    t = who_pays(vector)
    tariffs = (t["buyer_cost_increase_usd"] - t["scarcity_rent_usd"]).sum()
    assert t["final_buyer_cost_increase_usd"].sum() > 0 and tariffs > 0
    assert (t["scarcity_rent_net_of_inputs_usd"].sum() + tariffs
            == pytest.approx(t["final_buyer_cost_increase_usd"].sum(), rel=1e-12))


def test_a_seller_short_of_inputs_shows_what_it_owes_as_a_gap() -> None:
    # Hand oracle of the seller term with the input-supported rate (docs/model.md §5.9 and §5.7). The KR
    # cell plant (capacity 15, throughput 10 GWh/day) keeps a quarter of its steady ore and owes 730 GWh
    # to the US buyer, whose normal stock is 126 GWh (no buffer for batteries) and who holds 53: what is
    # owed counts only up to the buyer's shortfall, 73, so it is asked 10 + 73 / 365 = 10.2 a day. Its ore
    # supports 15 x 1/4 = 3.75 a day, below its throughput, so it makes its throughput, 10: 0.2 GWh a day
    # it cannot serve, although its capacity could (the capacity alone gives no gap). KR has no buyer of
    # cells, so the market's normal flow is the plant's 10 a day: gap 0.02, target 0.98 ** (-1 / 0.3), and
    # the price closes 1/30 of the way.
    from supplychain.engines import prices
    from supplychain.engines.day import day_inputs, stack_draws
    from supplychain.engines.draws import draw_run, run_seed_sequences
    from supplychain.engines.kernel import arrive, initial_state
    from supplychain.engines.sourcing import input_rate

    c = compile_scenario(_toy(horizon=5))
    spec = prices.price_spec(c)
    kr = spec.labels.index(("cell", "KR"))
    plant = c.facility_ids.index("KR.cells")
    ore = int(c.recipe_stock[plant][0])
    into = np.flatnonzero(c.lane_buyer == list(c.buyer_stock).index(ore))
    lane = list(c.lane_ids).index("KR.cells>US.cells")
    us = int(c.buyer_stock[c.lane_buyer[lane]])
    assert spec.buyer_normal[c.lane_buyer[lane]] == pytest.approx(126.0)
    inp = day_inputs(c, stack_draws([draw_run(c, run_seed_sequences(0, 1)[0])]), 0)
    p = price_params("batteries")

    def state(us_stock: float | None, starved: bool):  # type: ignore[no-untyped-def]
        s = initial_state(c, 1)
        arrive(c, s, c.initial_arrivals[:1].copy())
        if starved:
            s.stock[0, ore] = 0.25 * s.material_ref[ore]
            s.transit_lane[0, into] = 0.0
        if us_stock is not None:
            s.stock[0, us] = us_stock
        s.owed[0, lane] = 730.0
        return s

    s = state(53.0, starved=True)
    assert s.throughput[0, plant] == pytest.approx(10.0)
    assert input_rate(c, s)[0, plant] == pytest.approx(3.75)
    prices.apply(c, s, inp)
    target = (1.0 - 0.2 / 10.0) ** (-1.0 / p.exponent)
    assert s.prices.index[0, kr] == pytest.approx(1.0 + (target - 1.0) / p.adjustment_days, rel=1e-12)
    # The same order owed to a buyer back at its normal stock is a refill, no scarcity: no gap.
    s1 = state(None, starved=True)
    prices.apply(c, s1, inp)
    assert s1.prices.index[0, kr] == 1.0
    # With its ore at the steady level the same plant serves what it owes from its spare capacity: no gap.
    s2 = state(53.0, starved=False)
    prices.apply(c, s2, inp)
    assert s2.prices.index[0, kr] == 1.0


def test_a_stop_the_buyers_buffer_covers_raises_the_price_only_by_what_it_does_not_cover() -> None:
    # The TW fab (normal rate 10) stops for 10 days, then runs at half its capacity, its normal flow: the US
    # consumer holds 410 just after arrivals, a buffer of 0.875 x 410 = 358.75. On day 0 the fab announces
    # its restart in 10 days, and the stop then will have lasted the 7-day cold stop, so its cold restart
    # withholds 14 + 29/2 = 28.5 days more (§5.4.2, §5.7): a loss of 10 x 38.5 = 385, of which the buffer
    # covers 358.75. The TW market's gap is (385 - 358.75) / 365 / 10 (normal flow 10), not the whole flow.
    # From day 3 the consumer's remaining cover exceeds the remaining loss and nothing owed counts (the
    # consumer is never short beyond its buffer): without the bid weight the price falls back at 1 / tau; with it
    # the queue the fab owes after its restart counts by the weight and holds the price above that path
    # (bidding ahead, docs/model.md §5.9).
    import supplychain.model.prices as mp
    from supplychain.model import Commodity, DaysOfCover, Demand, Facility, Lane, Network, Region
    net = Network(
        regions=(Region("TW"), Region("US")),
        commodities=(Commodity("chip", "unit", 10.0, chain="semiconductors"),),
        facilities=(Facility("TW.fab", "TW", "fab", "chip", 20.0, policies={"chip": DaysOfCover(0.0)}),),
        lanes=(Lane("TW.fab", "US.chip", "chip", lead_time=Fixed(1.0)),),
        demands=(Demand("US.chip", "US", "chip", 10.0, initial_inventory=400.0),),
    )
    sc = Scenario(net, horizon_days=40, shocks=(
        CapacityShock(start=0, end=10, fraction_lost=1.0, facility="TW.fab"),
        CapacityShock(start=10, end=40, fraction_lost=0.5, facility="TW.fab")))
    p = price_params("semiconductors")
    # From day 10 the fab runs its half capacity full, above 2019's utilisation (its own normal is idler): the utilisation term
    # (docs/model.md §5.9) prices that; the buffer's cover is read without it, then with it.
    try:
        mp.PRICE_DEFAULTS["semiconductors"] = dataclasses.replace(p, utilisation_exponent=0.0)
        vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    finally:
        mp.PRICE_DEFAULTS["semiconductors"] = p
    np.testing.assert_array_equal(vector.arrays["price"], des.arrays["price"])
    tw = _index(vector, "chip", "TW")
    target = (1.0 - (10.0 * (10.0 + 28.5) - 0.875 * 410.0) / 365.0 / 10.0) ** (-1.0 / p.exponent)
    assert tw[0] == pytest.approx(1.0 + (target - 1.0) / p.adjustment_days, rel=1e-12)
    assert tw.max() < 1.01
    try:
        mp.PRICE_DEFAULTS["semiconductors"] = dataclasses.replace(p, bid_weight=0.0, utilisation_exponent=0.0)
        unbid = _index(simulate(sc, engine="vector"), "chip", "TW")
    finally:
        mp.PRICE_DEFAULTS["semiconductors"] = p
    assert unbid[0] == tw[0]
    np.testing.assert_allclose(unbid[4:] - 1.0, (unbid[3:-1] - 1.0) * (1.0 - 1.0 / p.adjustment_days), rtol=1e-12)
    assert (tw >= unbid).all() and (tw[4:] > unbid[4:]).any()
    full = _index(simulate(sc, engine="vector"), "chip", "TW")
    np.testing.assert_array_equal(full[:10], tw[:10])  # stopped: no utilisation to read
    # Full against 2019's 0.885 targets 1.20, closed at 1/60 a day over the 30 days.
    assert (full >= tw).all() and full.max() > tw.max() + 0.01


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_sellers_shortfall_counts_for_as_long_as_it_is_expected_to_last(engine) -> None:
    # The CN mine ships 10 t/day; its market (CN ore) has no buyer, so its normal flow is 10. The US consumer
    # holds its normal stock on day 0 and, minerals having no buffer, covers nothing. On day 0 the mine's
    # rate shortfall u counts for the D days it is expected to last: gap = u D / 365 / 10 (docs/model.md §5.9).
    from supplychain.analytics._toy import single_source_network
    p = price_params("minerals")

    def day0(shock) -> float:  # type: ignore[no-untyped-def]
        res = simulate(Scenario(single_source_network(), horizon_days=22, shocks=(shock,)), engine=engine)
        return float(_index(res, "ore", "CN")[0])

    def expected(u: float, days: float) -> float:
        g = u * days / 365.0 / 10.0
        target = p.cap if g >= 1.0 else min(p.cap, (1.0 - g) ** (-1.0 / p.exponent))
        return 1.0 + (target - 1.0) / p.adjustment_days

    stop = CapacityShock(start=0, end=20, fraction_lost=1.0, facility="CN.mine", recovery_days=0)
    assert day0(stop) == pytest.approx(expected(10.0, 20.0), rel=1e-12)        # its announced restart
    # Three quarters lost for 20 days: capacity 5 of the 10 asked, for the 20 days its schedule stays below 10
    # (the schedule is read up to the horizon, so the horizon reaches past the end).
    part = CapacityShock(start=0, end=20, fraction_lost=0.75, facility="CN.mine", recovery_days=0)
    assert day0(part) == pytest.approx(expected(5.0, 20.0), rel=1e-12)
    # A permanent loss is a full year: the whole flow, the cap at once.
    gone = CapacityShock(start=0, fraction_lost=1.0, facility="CN.mine")
    assert day0(gone) == pytest.approx(expected(10.0, 365.0), rel=1e-12)


def _chip_network():  # type: ignore[no-untyped-def]
    from supplychain.model import Commodity, DaysOfCover, Demand, Facility, Lane, Network, Region
    return Network(
        regions=(Region("TW"), Region("US")),
        commodities=(Commodity("chip", "unit", 10.0, chain="semiconductors"),),
        facilities=(Facility("TW.fab", "TW", "fab", "chip", 20.0, policies={"chip": DaysOfCover(0.0)}),),
        lanes=(Lane("TW.fab", "US.chip", "chip", lead_time=Fixed(1.0)),),
        demands=(Demand("US.chip", "US", "chip", 10.0, initial_inventory=100.0),),
    )


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_chip_buyers_buffer_draw_counts_by_the_buffer_weight(engine) -> None:
    # The US consumer's normal stock just after arrivals is 100 + 10 landing = 110 chips, 11 days of its inflow of
    # 10 a day. Its buffer is its stock above the 5 working days chip buyers keep, at most the buffer share
    # 1 - 5/40 of its normal stock (U.S. Commerce 2022 RFI: 40 days in 2019, under 5 in 2021):
    # min(0.875 * 110, 110 - 5 * 10) = 60. The fab stops on day 0: on day t the consumer holds 110 - 10 t (0
    # from day 11). The draw beyond the buffer counts in full, the draw of the buffer by the buffer weight w
    # (buyers bid to restore it; w = (1 - 1.2 ** -0.1) * 365 / 35, the 2021 calibration): the gap is
    # (w min(10 t, 60) + max(10 t - 60, 0)) / 365 / 10, plus, from day 11, the account of final demand it cannot
    # serve (10 a day, kept 1 - 1/60 a day): the buffer covers the stock drawn, never the demand lost.
    from supplychain.model.prices import CHIP_BUFFER_SHARE, CHIP_BUFFER_WEIGHT, CHIP_WORKING_DAYS
    assert (CHIP_BUFFER_SHARE, CHIP_WORKING_DAYS) == (0.875, 5.0)
    w = (1.0 - 1.2 ** -0.1) * 365.0 / 35.0
    assert CHIP_BUFFER_WEIGHT == pytest.approx(w, rel=1e-12) and round(w, 3) == 0.188
    sc = Scenario(_chip_network(), horizon_days=16,
                  shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="TW.fab"),))
    p = price_params("semiconductors")
    pi, account, expected = 1.0, 0.0, [1.0]
    for t in range(1, 16):
        account = account * (1.0 - 1.0 / p.adjustment_days) + (10.0 if t >= 11 else 0.0)
        drawn = min(10.0 * t, 110.0)
        counted = w * min(drawn, 60.0) + max(drawn - 60.0, 0.0) + account
        target = (1.0 - counted / 365.0 / 10.0) ** (-1.0 / p.exponent)
        pi += (target - pi) / p.adjustment_days
        expected.append(pi)
    index = _index(simulate(sc, engine=engine), "chip", "US")
    np.testing.assert_allclose(index, expected, rtol=1e-12)
    # Day 1 by hand: a draw of 10 counts w * 10 = 1.884 units, a gap of 1.884 / 3650 = 0.000516;
    # the target (1 - 0.000516) ** -10 = 1.00518 and the price closes 1/60 of the way: 1.0000863.
    assert index[1] == pytest.approx(1.0 + ((1.0 - w * 10.0 / 3650.0) ** -10.0 - 1.0) / 60.0, rel=1e-12)
    assert index[1] == pytest.approx(1.0000863, abs=1e-7)


def test_stock_above_normal_within_the_buffer_lowers_a_chip_price_by_the_buffer_weight() -> None:
    # Demand halves while 60 days of chips are in transit: the US consumer gains about 5 chips a day above its
    # normal 110. Stock above normal up to the buffer (min(0.875 * 110, 110 - 5 * 10) = 60) refills buffers and
    # counts as a glut only by the buffer weight, as the draw below normal counts as scarcity only by it: the
    # price falls slowly for 12 days (60 chips, a gap of at most -0.188 * 60 / 3650 = -0.0031: the target stays
    # above 0.969 and the price within 0.5 % of the reference), then faster.
    import dataclasses

    from supplychain.model.prices import CHIP_BUFFER_WEIGHT
    net = _chip_network()
    net = dataclasses.replace(net, lanes=(dataclasses.replace(net.lanes[0], lead_time=Fixed(60.0)),))
    sc = Scenario(net, horizon_days=60, shocks=(DemandShock(start=0, region="US", commodity="chip", factor=0.5),))
    vec, des = (_index(simulate(sc, engine=e), "chip", "US") for e in ("vector", "des"))
    np.testing.assert_array_equal(vec, des)
    assert vec[0] == 1.0 and (np.diff(vec[:13]) < 0).all() and 1.0 - vec[12] < 0.005
    assert 1.0 - (1.0 + CHIP_BUFFER_WEIGHT * 60 / 3650) ** -10 < 0.031
    assert vec[-1] < 0.95 and (np.diff(vec[20:]) < 0).all()


def test_a_tariff_passes_completely_into_the_landed_price_and_moves_trade_through_the_ces() -> None:
    sc = _toy_at_capacity(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25, start=10))
    res = simulate(sc, engine="vector")
    cn_lane = res.coords.lane.index("CN.mine>KR.cells")
    # The CN mine loses orders: a mineral's sellers cut their price along their short-run supply, so the
    # exporter bears part of the duty (as US soybean and foreign steel exporters did in 2018); the ROW mine
    # takes the orders from spare capacity at the reference price.
    cn = _index(res, "ore", "CN")
    assert cn[:11].tolist() == [1.0] * 11 and 0.5 < cn[-1] < 0.95
    assert np.array_equal(_index(res, "ore", "ROW"), np.ones(120))
    assert res.arrays["share"][0, 20:60, cn_lane].max() < 0.7
    # KR's cell plant pays the duty on its ore, and passes the duty on its input basket into the cell price by
    # cost share (docs/model.md §5.9), split between US and JP buyers by their cell flows, 6 : 4. The CN price
    # cut lowers KR's landed cost but not the cell price (the pass-through reads KR's own ore market and the
    # duty factor, not the origin's price), so US and JP pay more than KR's net landed-cost rise.
    kr, us, jp = (landed_cost_increase_usd(res, importer=r) for r in ("KR", "US", "JP"))
    assert 0.5 * kr < us + jp < 2.0 * kr
    assert us / jp == pytest.approx(1.5, rel=0.02)


def test_final_demand_responds_to_the_landed_price_under_a_tariff() -> None:
    # A 10 % US tariff on cells from KR: the US consumer's basket (one lane, 1,000 USD + 20 USD freight)
    # costs (1,100 + 20) / 1,020 of its cost at the start; demand = 6 (pi x that) ** -0.10 each day.
    from supplychain.metrics import who_pays
    sc = _toy(Tariff(importer="US", commodity="cell", exporter="KR", rate=0.1, start=10), horizon=40)
    res = simulate(sc, engine="vector")
    landed = 1120.0 / 1020.0
    pi = _index(res, "cell", "US")
    beta = price_params("batteries").demand_elasticity
    np.testing.assert_allclose(res.arrays["demand"][0, 10:, 0], 6.0 * (pi[10:] * landed) ** beta, rtol=1e-12)
    assert res.arrays["demand"][0, :10, 0].tolist() == [6.0] * 10
    assert who_pays(res).loc["US", "demand_destroyed_usd"] > 0


def test_a_licence_regime_that_approves_everything_leaves_the_price_at_the_reference() -> None:
    # Applications wait 15 days and are all approved: the buyer's position covers them, its stock on
    # hand does not fall, so nothing is short and the price stays exactly 1 (both engines).
    sc = Scenario(single_source_network(), horizon_days=120, price_feedback=True,
                  shocks=(ExportControl(exporter="CN", commodity="ore", mode="licence", start=10,
                                        processing_delay=Fixed(15.0)),))
    for engine in ("vector", "des"):
        res = simulate(sc, engine=engine)
        assert res.arrays["awaiting_licence"][0].max() > 0
        assert np.array_equal(_index(res, "ore", "US"), np.ones(120))
    half = simulate(sc.replace(shocks=(ExportControl(exporter="CN", commodity="ore", mode="licence", start=10,
                                                    processing_delay=Fixed(15.0), approval_probability=0.5),)),
                    engine="vector")
    assert _index(half, "ore", "US").max() > 1.0


def test_capacity_loss_raises_the_price() -> None:
    res = simulate(_toy(CapacityShock(start=10, end=70, fraction_lost=0.8, facility="CN.mine")), engine="vector")
    assert _index(res, "ore", "KR")[30:70].max() > 1.05


def test_stockpile_release_lowers_the_price() -> None:
    rel = StockpileRelease(start=10, region="KR", commodity="ore", reserve=200.0, release_below_cover_days=40.0)
    res = simulate(_toy(rel), engine="vector")
    kr = _index(res, "ore", "KR")
    assert res.arrays["released"][0].sum() > 0
    assert kr[:10].tolist() == [1.0] * 10 and kr[10:40].min() < 0.99


def test_demand_increase_raises_and_decrease_lowers_the_price() -> None:
    up = simulate(_toy(DemandShock(start=10, region="US", commodity="cell", factor=1.5)), engine="vector")
    down = simulate(_toy(DemandShock(start=10, region="US", commodity="cell", factor=0.5)), engine="vector")
    assert _index(up, "cell", "US").max() > 1.05
    assert _index(down, "cell", "US").min() < 0.95


def test_a_longer_route_raises_the_price_while_stocks_wait_at_sea() -> None:
    res = simulate(_toy(LogisticsShock(start=10, end=60, origin_region="CN", destination_region="KR",
                                       lead_time_multiplier=3.0)), engine="vector")
    assert _index(res, "ore", "KR")[15:60].max() > 1.0


def test_prices_stay_within_the_floor_and_cap() -> None:
    res = simulate(_toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=5),
                        CapacityShock(start=5, fraction_lost=1.0, facility="ROW.mine"), horizon=200),
                   engine="vector")
    p = PRICE_DEFAULTS["minerals"]
    row = _index(res, "ore", "ROW")
    assert row.max() <= p.cap + 1e-12 and row.max() > 4.0  # a mine asked for ore it cannot make: the cap binds
    stockpile = simulate(_toy(StockpileRelease(start=10, region="KR", commodity="ore", reserve=5000.0,
                                               release_below_cover_days=400.0), horizon=200), engine="vector")
    assert _index(stockpile, "ore", "KR").min() >= p.floor - 1e-12


def test_the_price_tilt_moves_shares_away_from_a_dear_origin() -> None:
    # A capacity loss at CN makes CN ore dear; the KR buyer's share of the CN lane falls below its
    # baseline 0.7 through the CES tilt, even with no tariff.
    res = simulate(_toy(CapacityShock(start=10, fraction_lost=0.5, facility="CN.mine")), engine="vector")
    cn_lane = res.coords.lane.index("CN.mine>KR.cells")
    if _index(res, "ore", "CN")[60:].max() > 1.0:
        assert res.arrays["share"][0, 60:, cn_lane].min() < 0.7


def test_engines_agree_on_prices() -> None:
    sc = _toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10),
              Tariff(importer="US", commodity="cell", rate=0.1, start=20), horizon=80)
    a = simulate(sc, engine="vector")
    b = simulate(sc, engine="des")
    np.testing.assert_allclose(a.arrays["price"], b.arrays["price"], rtol=1e-9)
    np.testing.assert_allclose(a.arrays["demand"], b.arrays["demand"], rtol=1e-9)


def test_price_is_public_in_results_and_dataframes() -> None:
    res = simulate(_toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10), horizon=30),
                   engine="vector")
    df = res.to_dataframe(["price"])
    assert set(df["variable"]) == {"price"} and len(df) == 30 * res.arrays["price"].shape[2]
    compiled = compile_scenario(res.scenario)
    assert compiled.schedules.extras["prices"].n_markets == len(
        {(k, r) for k, r in zip(res.coords.commodity["stock"], res.coords.region["stock"])})


def test_who_pays_matches_the_hand_computed_tariff_split() -> None:
    # One mine feeds one buyer at 10 t/day and 100 USD/t, in steady state (the buyer holds its 30 days of
    # cover); a 10 % tariff for 10 days changes no share (one lane) and no price (the mine is asked the
    # same): 100 t x 100 USD x 0.1 = 1,000 USD of tariff, all
    # a cost increase to the US buyer. With the source's own import demand elasticity -0.15 (the only
    # source: the minerals' demand elasticity) and export supply 0.15, GSIM splits it half and half.
    from supplychain.metrics import who_pays
    net = single_source_network(stock=300.0)
    sc = Scenario(net, horizon_days=10, shocks=(Tariff(importer="US", commodity="ore", rate=0.1, start=0),))
    res = simulate(sc, engine="vector")
    assert np.all(res.arrays["price"] == 100.0)
    table = who_pays(res)
    assert table.loc["US", "tariff_paid_usd"] == pytest.approx(1000.0)
    assert table.loc["US", "buyer_cost_increase_usd"] == pytest.approx(1000.0)
    assert table.loc["US", "tariff_paid_by_importer_usd"] == pytest.approx(1000.0)
    assert table.loc["CN", "tariff_paid_by_exporter_usd"] == 0.0
    split = who_pays(res, export_supply_elasticity=0.15)
    assert split.loc["US", "tariff_paid_by_importer_usd"] == pytest.approx(500.0)
    assert split.loc["CN", "tariff_paid_by_exporter_usd"] == pytest.approx(500.0)
    assert split["scarcity_rent_usd"].abs().sum() == 0.0


def test_who_pays_names_the_exporters_lost_rent_when_its_price_falls() -> None:
    # A tariff on the CN mine's ore: KR's plant buys less from it, the CN price falls (lost sales), and the
    # CN mine's rent on what it still sells is negative. Hand oracle from the recorded flows and prices: the
    # lost rent is sum over CN's lane of flow x reference price x (1 - origin index)^+.
    from supplychain.metrics import who_pays
    res = simulate(_toy_at_capacity(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25, start=10),
                                    horizon=60), engine="vector")
    table = who_pays(res)
    lane = res.coords.lane.index("CN.mine>KR.cells")
    stock = list(res.coords.stock).index("CN.mine:ore")
    index = res.arrays["price"][0, :, stock] / 100.0
    lost = float((res.arrays["flow"][0, :, lane] * 100.0 * np.maximum(1.0 - index, 0.0)).sum())
    assert lost > 0.0
    assert table.loc["CN", "exporter_rent_lost_usd"] == pytest.approx(lost, rel=1e-12)
    assert table.loc["CN", "scarcity_rent_usd"] == pytest.approx(-lost, rel=1e-12)
    assert (table.drop(index="CN")["exporter_rent_lost_usd"] == 0.0).all()


def test_who_pays_reports_final_buyers_cost_apart_from_intermediate_buyers() -> None:
    # CN ore loses 70 % of its capacity: the ore price rises (KR's cell plant pays more for ore: an
    # intermediate cost) and passes into the cell price (US and JP consumers pay more: the final cost).
    # Hand oracle from the recorded flows and prices: final = sum over the lanes into consumer stocks of
    # flow x reference price x (origin index - 1); intermediate = the same over the lane into the plant.
    # Summed over regions, rents net of input rises equal the final cost (no tariff: a pure transfer).
    from supplychain.metrics import who_pays
    res = simulate(_toy(CapacityShock(start=10, end=60, fraction_lost=0.7, facility="CN.mine")), engine="vector")
    table = who_pays(res)
    lanes = res.coords.lane
    flow, price = res.arrays["flow"][0], res.arrays["price"][0]
    c = compile_scenario(res.scenario)

    def extra(lane: str) -> float:
        l = lanes.index(lane)
        src = c.lane_src_stock[l]
        return float((flow[:, l] * (price[:, src] - c.lane_price[l])).sum())

    us, jp = extra("KR.cells>US.cells"), extra("KR.cells>JP.cells")
    ore = extra("CN.mine>KR.cells") + extra("ROW.mine>KR.cells")
    assert us > 0 and jp > 0 and ore > 0
    assert table.loc["US", "final_buyer_cost_increase_usd"] == pytest.approx(us, rel=1e-12)
    assert table.loc["JP", "final_buyer_cost_increase_usd"] == pytest.approx(jp, rel=1e-12)
    assert table.loc["KR", "intermediate_buyer_cost_increase_usd"] == pytest.approx(ore, rel=1e-12)
    assert table.loc["KR", "final_buyer_cost_increase_usd"] == 0.0
    both = table["final_buyer_cost_increase_usd"] + table["intermediate_buyer_cost_increase_usd"]
    np.testing.assert_allclose(both, table["buyer_cost_increase_usd"], rtol=1e-12)
    assert table["scarcity_rent_net_of_inputs_usd"].sum() == pytest.approx(us + jp, rel=1e-9)
    assert table.loc["KR", "scarcity_rent_net_of_inputs_usd"] == pytest.approx(
        table.loc["KR", "scarcity_rent_usd"] - ore, rel=1e-12)


def test_net_rents_and_tariffs_add_up_to_the_final_buyers_cost_with_a_duty_on_an_input() -> None:
    # A duty on KR's ore imports is a cost KR's cell plant bears (cell prices pass on ore prices, not the
    # duty): KR's net rent takes it off, so net rents plus the tariffs collected are the final buyers' cost.
    from supplychain.metrics import who_pays
    from supplychain.model import Tariff
    res = simulate(_toy(CapacityShock(start=10, end=60, fraction_lost=0.7, facility="CN.mine"),
                        Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.2, start=5)), engine="vector")
    t = who_pays(res)
    tariffs = (t["buyer_cost_increase_usd"] - t["scarcity_rent_usd"]).sum()
    assert tariffs > 0
    assert (t["scarcity_rent_net_of_inputs_usd"].sum() + tariffs
            == pytest.approx(t["final_buyer_cost_increase_usd"].sum(), rel=1e-9))
    assert t.loc["KR", "scarcity_rent_net_of_inputs_usd"] == pytest.approx(
        t.loc["KR", "scarcity_rent_usd"] - t.loc["KR", "intermediate_buyer_cost_increase_usd"], rel=1e-12)


def test_who_pays_and_compare_report_one_tariff_paid() -> None:
    # Both value the duty on the reference price (docs/model.md §6.4.2), whatever the origin's price does.
    from supplychain.analytics.compare import tariff_paid
    from supplychain.metrics import who_pays
    res = simulate(_toy(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25, start=10),
                        CapacityShock(start=10, fraction_lost=0.7, facility="CN.mine")), engine="vector")
    assert _index(res, "ore", "CN").max() > 1.1
    assert who_pays(res)["tariff_paid_usd"].sum() == pytest.approx(float(tariff_paid(res).sum()), rel=1e-12)


def test_lost_deliveries_and_destroyed_demand_are_reported_apart_from_spending() -> None:
    # The mine stops: deliveries end once the consumer's stock is gone, and the scarcity price destroys
    # part of the demand. Value not delivered = (demand - delivered) x price; demand destroyed =
    # (10 t/day - recorded demand) x price, both at the 100 USD reference price.
    from supplychain.metrics import who_pays
    sc = Scenario(single_source_network(), horizon_days=40,
                  shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="CN.mine"),), price_feedback=True)
    res = simulate(sc, engine="vector")
    table = who_pays(res)
    demand, delivered = res.demand[0, :, 0], res.delivered[0, :, 0]
    assert table.loc["US", "deliveries_lost_usd"] == pytest.approx(100.0 * (demand.sum() - delivered.sum()))
    assert table.loc["US", "demand_destroyed_usd"] == pytest.approx(100.0 * (10.0 * 40 - demand.sum()))
    assert table.loc["US", "deliveries_lost_usd"] > 0 and table.loc["US", "demand_destroyed_usd"] > 0
    # Nothing was shipped after day 0, so buyers paid no price increase: the loss is not a saving.
    assert table.loc["US", "buyer_cost_increase_usd"] == 0.0


def test_memory_light_ensembles_keep_a_price_index_band_per_region() -> None:
    sc = _toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10), horizon=60)
    daily = simulate(sc, engine="vector", n_runs=2, seed=3)
    ens = simulate(sc, engine="vector", n_runs=2, seed=3, keep="summary")
    # US demand only: its band is the US cells' price index, the same in every run.
    us = _index(daily, "cell", "US")
    np.testing.assert_allclose(ens.band("price_index", "US")[2], us, rtol=1e-6)
    assert ens.band("price_index", "US")[:, :10].tolist() == [[1.0] * 10] * 5


def test_results_archives_keep_prices(tmp_path) -> None:
    from supplychain.results import load_results
    res = simulate(_toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=5), horizon=30),
                   engine="vector")
    back = load_results(res.save(tmp_path / "r.npz"))
    assert np.array_equal(back.arrays["price"], res.arrays["price"])


def test_without_feedback_prices_are_recorded_and_quantities_do_not_change() -> None:
    shocks = (ExportControl(exporter="CN", commodity="ore", mode="ban", start=10),
              Tariff(importer="US", commodity="cell", rate=0.2, start=5))
    quiet = simulate(Scenario(toy_network(), horizon_days=80, shocks=shocks), engine="vector")
    moved = simulate(_toy(*shocks, horizon=80), engine="vector")
    # Prices are the same state either way until feedback changes quantities; without it every
    # quantity is what the rules give with fixed prices.
    assert _index(quiet, "ore", "KR")[40:].min() > 1.0
    assert not np.array_equal(quiet.arrays["demand"], moved.arrays["demand"])
    assert np.all(quiet.arrays["demand"] == np.broadcast_to([6.0, 4.0], quiet.arrays["demand"].shape))
    from supplychain.metrics import who_pays
    assert who_pays(quiet)["demand_destroyed_usd"].abs().sum() == 0.0
    assert who_pays(moved)["demand_destroyed_usd"].sum() > 0.0


def test_price_feedback_round_trips_through_scenario_files(tmp_path) -> None:
    from supplychain.io import load_scenario, save_scenario
    sc = _toy(horizon=10)
    assert load_scenario(save_scenario(sc, tmp_path / "s.toml")).price_feedback is True
    assert load_scenario(save_scenario(sc.replace(price_feedback=False), tmp_path / "t.toml")).price_feedback is False


def test_a_runs_prices_do_not_depend_on_the_other_runs_of_its_chunk() -> None:
    from supplychain.datasets.synthetic import synthetic_scenario
    from supplychain.engines.draws import run_seed_sequences
    from supplychain.engines.vector import run_vector
    sc = synthetic_scenario(10, seed=2, horizon_days=80, stochastic=True).replace(price_feedback=True)
    c = compile_scenario(sc)
    seqs = run_seed_sequences(6, 3)
    batch = run_vector(c, seqs)
    assert (batch["price"] != batch["price"][:, :1]).any()   # prices move in these runs
    for r, seq in enumerate(seqs):
        one = run_vector(c, [seq])
        for name in ("price", "demand", "flow", "share"):
            assert np.array_equal(one[name][0], batch[name][r]), name


def test_banning_crude_too_does_not_lower_the_importers_refined_price() -> None:
    # Japan refines Chinese crude gallium. Banning China's crude as well as its refined gallium starves
    # Japan's refiners: what they owe and cannot make is a gap in Japan's refined market (docs/model.md
    # §5.9, the input-supported rate), so the wider ban cannot leave Japan's refined price lower than the
    # refined-only ban (it did when the sellers' gap read their idle capacity).
    from supplychain import load_baseline
    from supplychain.plotting.prices import market_prices
    base = load_baseline().with_horizon(240)
    means = []
    for banned in (("gallium",), ("gallium", "gallium_crude")):
        sc = base.with_shocks(*[ExportControl(exporter="CN", commodity=k, mode="ban", start=30) for k in banned])
        regions, values = market_prices(simulate(sc, engine="vector"), "gallium")
        means.append(values[0, 30:, regions.index("JP")].mean())
    assert means[0] > 1.2
    assert means[1] >= means[0]


def test_producers_sales_lost_add_up_and_a_stopped_producer_loses_though_its_rent_rises() -> None:
    # KR's cell plant, the only seller of cells, stops for 20 days: its price rises and it earns a rent on what it
    # still ships, but it ships 20 days' steady flow less (lanes KR>US and KR>JP carry 6 + 4 a day, §4.1), net of
    # the ore it did not buy. Summed over regions the net sales lost are the final buyers' purchases lost.
    from supplychain.metrics import who_pays
    calm = who_pays(simulate(_toy(horizon=60), engine="vector"))
    assert np.abs(calm[["sales_lost_usd", "sales_lost_net_of_inputs_usd", "producer_margin_change_usd"]].to_numpy()).max() < 1e-6
    res = simulate(_toy(CapacityShock(facility="KR.cells", fraction_lost=1.0, start=10, end=30), horizon=60),
                   engine="vector")
    t = who_pays(res)
    c = compile_scenario(res.scenario)
    steady = np.array([c.steady.flow[lane] for lane in c.lane_ids])
    lost = (steady * 60 - res.flow[0].sum(axis=0)) * c.lane_price
    final = [lane.startswith("KR.cells>") for lane in c.lane_ids]
    assert t["sales_lost_net_of_inputs_usd"].sum() == pytest.approx(lost[final].sum(), rel=1e-9)
    assert t.loc["KR", "sales_lost_usd"] == pytest.approx(lost[final].sum(), rel=1e-9) and lost[final].sum() > 0
    assert t.loc["KR", "scarcity_rent_usd"] > 0 > t.loc["KR", "producer_margin_change_usd"]
    # The margin counts the stocks drawn: KR's plant ends with its output stock (10 days of its 10 cells a day,
    # $1,000 each) empty, not yet rebuilt on day 60.
    assert t.loc["KR", "producer_stock_drawn_usd"] == pytest.approx(100_000.0)
    np.testing.assert_allclose(t["producer_margin_change_usd"],
                               t["scarcity_rent_net_of_inputs_usd"] - t["sales_lost_net_of_inputs_usd"]
                               - t["producer_stock_drawn_usd"], rtol=1e-12)


def test_front_loaded_stock_counts_as_planned_until_it_has_landed_and_been_drawn() -> None:
    # The US consumer front-loads 10 days of its one CN lane (10 t/day, lead 1 day): its target rises by
    # 100 t from the announcement (day 5) to the start (day 15), then falls back to 0 for
    # ordering (§6.5.4). The price counts the 100 t as planned from the start until it has landed (1 lead
    # day) and over the 10 days it covers: 100 x clip(1 - (t - 15 - 1) / 10, 0, 1) (§5.9, normal levels).
    control = ExportControl(exporter="CN", commodity="ore", mode="licence", approval_probability=1.0,
                            processing_delay=Fixed(20.0), announced=5, start=15, front_load_days=10.0)
    sc = Scenario(single_source_network(), horizon_days=40, shocks=(control,), price_feedback=True)
    spec = compile_scenario(sc).schedules.extras["prices"]
    planned = spec.buyer_extra[:, 0]
    t = np.arange(40)
    expected = np.where(t < 5, 0.0, np.where(t < 15, 100.0,
                                             100.0 * np.clip(1.0 - (t - 16) / 10.0, 0.0, 1.0)))
    np.testing.assert_allclose(planned, expected, rtol=1e-12, atol=1e-12)
    # Without this the importer's price turned down on the start day (the front-loaded stock read as a glut,
    # 1.037 on day 14, 1.034 on day 15); now it keeps rising while the stock lands and the licences are pending.
    for engine in ("vector", "des"):
        index = _index(simulate(sc, engine=engine), "ore", "US")
        assert index[14] > index[13] > 1.0
        assert np.all(np.diff(index[14:19]) > 0.0)
        assert index[15:35].min() > 1.0


def test_a_raised_target_filled_by_pending_licences_is_not_bid_for() -> None:
    # CN licenses its metal to the US (every application approved after 20 days) and US buyers raise their cover
    # from 30 to 50 days (100 t at 5 t/day) on the same day. Their pending applications fill the raised target: from
    # day ~52 they hold their normal 150 t on hand, 100 t in transit and 100 t awaiting licences, so the planned
    # extra they bid for is E - min(A, E^o) = 100 - min(100, 100) = 0 (docs/model.md §5.9, normal levels) and,
    # with nothing else short, the target price is exactly 1: the index decays by 1 - 1/tau = 29/30 a day (metal's
    # 30 adjustment days). Counting the extra from the first unit held a gap of 100 / 365 / 5 for ever and a target
    # of (1 - 0.0548)^(-1 / 0.4) = 1.151.
    from .conftest import chain_network
    control = ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=1.0,
                            processing_delay=Fixed(20.0), start=10)
    build = SafetyStockChange(region="US", commodity="metal", cover_days=50.0, start=10)
    sc = Scenario(chain_network(cover=30), horizon_days=90, shocks=(control, build))
    keep = 1.0 - 1.0 / price_params("default", "metal").adjustment_days
    for engine in ("vector", "des"):
        res = simulate(sc, engine=engine)
        stock = res.series("inventory", "US.metal:metal")[0]
        assert stock[55:] == pytest.approx(150.0)
        assert res.arrays["awaiting_licence"][0, 55:].sum(axis=1) == pytest.approx(100.0)
        excess = _index(res, "metal", "US")[55:] - 1.0
        assert excess[0] > 0.02   # the draw while the pipeline emptied (days 32-51) was a real deficit
        np.testing.assert_allclose(excess[1:], excess[:-1] * keep, rtol=1e-9)


@pytest.mark.parametrize(("shock", "market", "sign"), [
    (ExportControl(exporter="CN", commodity="ore", mode="ban", start=10), ("ore", "KR"), +1),
    (ExportControl(exporter="CN", commodity="ore", mode="ban", start=10), ("ore", "CN"), -1),
    (ExportControl(exporter="CN", commodity="ore", mode="licence", start=10, processing_delay=Fixed(30.0)),
     ("ore", "CN"), -1),
    (ExportControl(exporter="CN", commodity="ore", mode="quota", start=10, quota_per_period=30.0, period_days=30),
     ("ore", "KR"), +1),
    (ExportControl(exporter="CN", commodity="ore", mode="quota", start=10, quota_per_period=30.0, period_days=30),
     ("ore", "CN"), -1),
    (Tariff(importer="US", commodity="cell", exporter="KR", rate=0.25, start=10), ("cell", "KR"), 0),
    (CapacityShock(start=10, fraction_lost=0.9, facility="CN.mine"), ("ore", "CN"), +1),
    (DemandShock(start=10, region="US", commodity="cell", factor=0.5), ("cell", "US"), -1),
])
def test_every_shock_type_moves_the_price_in_the_expected_direction(shock, market, sign) -> None:
    # Issue 12's direction check on the toy chain: an importer's price rises and a mineral exporter's falls
    # under an export control of any mode; a maker of cells keeps its price when a tariff moves its sales.
    x = _index(simulate(_toy_at_capacity(shock, horizon=90), engine="vector"), *market)
    assert x[:10].tolist() == [1.0] * 10
    if sign == 0:
        assert np.abs(x - 1.0).max() <= 0.01
    else:
        assert (x[10:].max() > 1.01) if sign > 0 else (x[10:].min() < 0.99)


def test_both_engines_price_lost_sales_under_a_quota_and_a_licence_alike() -> None:
    # What the CN mine owes on its quota lane is no sales it can make; licence applications are no orders.
    for shock in (ExportControl(exporter="CN", commodity="ore", mode="quota", start=5, quota_per_period=30.0,
                                period_days=30),
                  ExportControl(exporter="CN", commodity="ore", mode="licence", start=5,
                                processing_delay=Fixed(20.0))):
        sc = _toy_at_capacity(shock, horizon=50)
        vector, des = (_index(simulate(sc, engine=e), "ore", "CN") for e in ("vector", "des"))
        assert vector.min() < 0.99
        np.testing.assert_allclose(vector, des, rtol=1e-12)


def test_an_unshocked_noisy_baseline_leaves_the_price_cutting_markets_unbiased() -> None:
    # 10 % daily noise on every final demand and lead times uniform within 30 % of their mean, 12 runs of 120
    # days, no shock: every market whose sellers cut their price below normal output must average its
    # reference. Orders to a seller fluctuate about its normal rate; counting only the falls (the kink at
    # normal output) averaged these markets up to 2 % below the reference (1 % over all of them); lost sales
    # within the seller's normal output stock over the restocking year go into stock (docs/model.md §5.9,
    # lost sales), which noise rarely exceeds: each market within 0.25 % (0.1 % on average) with the stock.
    from supplychain import load_baseline
    from supplychain.model import Normal, Uniform
    base = load_baseline().with_horizon(120)
    net = base.network
    net = dataclasses.replace(
        net, demands=tuple(dataclasses.replace(d, noise=Normal(1.0, 0.1, low=0.0)) for d in net.demands),
        lanes=tuple(dataclasses.replace(lane, lead_time=Uniform(0.7 * lane.lead_time.value, 1.3 * lane.lead_time.value))
                    for lane in net.lanes))
    sc = base.replace(network=net)
    res = simulate(sc, engine="vector", seed=3, n_runs=12)
    spec = compile_scenario(sc).schedules.extras["prices"]
    markets = np.unique(spec.seller_market[spec.sales_seller])
    stocks = np.array([np.flatnonzero(spec.stock_market == m)[0] for m in markets])
    means = (res.arrays["price"][:, 30:, stocks] / spec.stock_price[stocks]).mean(axis=(0, 1))
    assert len(markets) > 30
    assert abs(means.mean() - 1.0) < 1e-3
    assert np.abs(means - 1.0).max() < 5e-3
