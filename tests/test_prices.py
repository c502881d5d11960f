"""Scarcity prices (docs/model.md §5.9): a hand-computed update, the direction of every shock type,
demand destruction, the CES tilt of sourcing shares and agreement of the engines."""

from __future__ import annotations

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
    LogisticsShock,
    Scenario,
    StockpileRelease,
    Tariff,
)
from supplychain.model.prices import PRICE_DEFAULTS, price_params


def _toy(*shocks, horizon: int = 120) -> Scenario:
    return Scenario(toy_network(), horizon_days=horizon, name="toy", shocks=tuple(shocks), price_feedback=True)


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
    # Day 1: nothing lands, stock 100 (cover 100/110); the mine's throughput fell to 10 - 10/30 and it
    # owes the day-0 order of 10 t, so its load (h + B/30) / 10 = 1. Excess demand e = 1.1, target
    # 1.1 ** (1 / 0.25) (minerals: supply 0.10, demand -0.15), and the price closes 1/14 of the gap.
    net = single_source_network()
    sc = Scenario(net, horizon_days=3, shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="CN.mine"),),
                  price_feedback=True)
    res = simulate(sc, engine="vector")
    p = price_params("minerals")
    index = _index(res, "ore", "US")
    assert index[0] == 1.0
    expected = 1.0 + (1.1 ** (1.0 / p.exponent) - 1.0) / p.adjustment_days
    assert index[1] == pytest.approx(expected, rel=1e-12)
    # Demand destruction: the day's new demand is 10 x price index ** demand elasticity.
    assert res.arrays["demand"][0, 1, 0] == pytest.approx(10.0 * expected ** p.demand_elasticity, rel=1e-12)
    assert res.arrays["demand"][0, 0, 0] == 10.0


def test_a_ban_raises_the_importers_price_and_lowers_the_exporters() -> None:
    res = simulate(_toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10)), engine="vector")
    kr, cn = _index(res, "ore", "KR"), _index(res, "ore", "CN")
    assert kr[:10].tolist() == [1.0] * 10 and cn[:10].tolist() == [1.0] * 10
    assert kr[40:].min() > 1.05
    assert cn[40:].max() < 0.95
    # Downstream, scarce cells cost more where they are consumed.
    assert _index(res, "cell", "US")[60:].max() > 1.0


def test_a_tariff_raises_landed_cost_in_the_importer_and_moves_trade_through_the_ces() -> None:
    sc = _toy(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25, start=10))
    res = simulate(sc, engine="vector")
    cn_lane = res.coords.lane.index("CN.mine>KR.cells")
    # The CN mine loses orders: its price falls (it absorbs part of the tariff). The ROW mine takes
    # them from spare capacity (6 t/day against 3): its price does not move.
    assert _index(res, "ore", "CN")[40:80].max() < 0.99
    assert np.array_equal(_index(res, "ore", "ROW"), np.ones(120))
    assert res.arrays["share"][0, 20:60, cn_lane].max() < 0.7
    assert landed_cost_increase_usd(res, importer="KR") > 0
    assert landed_cost_increase_usd(res, importer="US") == 0.0


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
    assert _index(up, "cell", "US")[20:60].max() > 1.05
    assert _index(down, "cell", "US")[20:60].min() < 0.95


def test_a_longer_route_raises_the_price_while_stocks_wait_at_sea() -> None:
    res = simulate(_toy(LogisticsShock(start=10, end=60, origin_region="CN", destination_region="KR",
                                       lead_time_multiplier=3.0)), engine="vector")
    assert _index(res, "ore", "KR")[15:60].max() > 1.0


def test_prices_stay_within_the_floor_and_cap() -> None:
    res = simulate(_toy(ExportControl(exporter="CN", commodity="ore", mode="ban", start=5),
                        CapacityShock(start=5, fraction_lost=1.0, facility="ROW.mine"), horizon=200),
                   engine="vector")
    p = PRICE_DEFAULTS["minerals"]
    kr = _index(res, "ore", "KR")
    assert kr.max() <= p.cap + 1e-12 and kr.max() > 4.0  # every supplier gone: the cap binds
    assert _index(res, "ore", "CN").min() >= p.floor - 1e-12


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
    sc = Scenario(net, horizon_days=10, shocks=(Tariff(importer="US", commodity="ore", rate=0.1, start=0),),
                  price_feedback=True)
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
