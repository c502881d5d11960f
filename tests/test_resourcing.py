"""Re-sourcing with qualification and supplier allocation (issue 9 items 2-3; docs/model.md §5.6.6, §5.7).

Every expected value is worked out by hand in the comments from the rules of docs/model.md, never
from the simulator.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines import kernel
from supplychain.metrics.balance import material_balance
from supplychain.model import (
    BaseStock,
    CapacityShock,
    Commodity,
    Demand,
    ExportControl,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
    Tariff,
)
from supplychain.model.shocks import SWITCHING_LAG_DAYS
from supplychain.run import simulate

from .conftest import assert_engines_agree

ENGINES = ("vector", "des")


def two_suppliers(*, alt_share: float = 0.5, alt_capacity: float = 100.0, qualification: float | None = None,
                  chain: str = "minerals") -> Network:
    """CN.plant and JP.plant -> US.w (demand 10/day, BaseStock(20), lead 1 day).

    With ``alt_share = 0.5`` each plant ships 5/day in steady state; with 0 the JP lane is a
    potential alternate (no baseline flow). JP.plant holds a large output stock (BaseStock(200)),
    so it can ship whatever it is asked within its capacity.
    """
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0, chain=chain),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, policies={"w": BaseStock(20.0)}),
                    Facility("JP.plant", "JP", "plant", "w", alt_capacity, policies={"w": BaseStock(200.0)})),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0, share=1.0 - alt_share),
               Lane("JP.plant", "US.w", "w", lead_time=1.0, share=alt_share, qualification_days=qualification)),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(20.0)),),
    )


BAN = ExportControl(exporter="CN", commodity="w", mode="ban", start=5)


@pytest.mark.parametrize("engine", ENGINES)
def test_ban_moves_the_whole_order_to_the_other_qualified_supplier_the_same_day(engine):
    # Steady: the buyer orders 10 a day, 5 per lane. Day 5: CN is banned (h = 0, m = 1), so its 5 are
    # diverted; JP's spare capacity is 100 - 5 = 95 >= 5, so JP takes them: JP ships 10 that day.
    res = simulate(Scenario(two_suppliers(), horizon_days=12).with_shocks(BAN), engine=engine, seed=0)
    jp, cn = "JP.plant>US.w", "CN.plant>US.w"
    np.testing.assert_allclose(res.series("flow", jp)[0], [5.0] * 5 + [10.0] * 7)
    np.testing.assert_allclose(res.series("flow", cn)[0], [5.0] * 5 + [0.0] * 7)
    np.testing.assert_allclose(res.series("share", jp)[0], [0.5] * 5 + [1.0] * 7)
    np.testing.assert_allclose(res.series("share", cn)[0], [0.5] * 5 + [0.0] * 7)
    assert res.unmet.sum() == 0.0


@pytest.mark.parametrize("engine", ENGINES)
def test_diverted_order_is_capped_by_the_alternates_spare_capacity(engine):
    # JP capacity 7, throughput 5: spare 2. Day 5: the buyer orders 10; JP keeps its 5 and takes 2 of
    # CN's diverted 5 (its spare); the other 3 are not placed. JP ships 7.
    res = simulate(Scenario(two_suppliers(alt_capacity=7.0), horizon_days=7).with_shocks(BAN),
                   engine=engine, seed=0)
    flow = res.series("flow", "JP.plant>US.w")[0]
    np.testing.assert_allclose(flow[:6], [5.0] * 5 + [7.0])
    np.testing.assert_allclose(res.series("share", "JP.plant>US.w")[0][5], 0.7)


@pytest.mark.parametrize("engine", ENGINES)
def test_unqualified_alternate_takes_nothing_before_its_qualification_day(engine):
    # CN is the only incumbent (share 1); JP is a potential alternate with 10 days of qualification.
    # The buyer seeks alternates from day 5 (the ban), so JP qualifies on day 15. Before, nothing is
    # placed (the buyer's stock runs out: on hand 10 + 10 landing on day 5, then nothing lands from
    # day 6). On day 15 its position is 0 (on hand 0, nothing in transit or owed, lost sales), so it
    # orders 20; JP (no baseline customer: throughput 0, spare = capacity 100) takes all 20.
    # The buyer's stock: day 5 starts with 10 + 10 landing, serves 10; day 6 serves its last 10; days
    # 7-15 nothing is on hand (9 days x 10 lost); JP's 20 land on day 16.
    net = two_suppliers(alt_share=0.0, qualification=10.0)
    res = simulate(Scenario(net, horizon_days=20).with_shocks(BAN), engine=engine, seed=0)
    flow = res.series("flow", "JP.plant>US.w")[0]
    np.testing.assert_allclose(flow[:15], 0.0)
    assert flow[15] == pytest.approx(20.0)
    np.testing.assert_allclose(flow[16:], 10.0)
    share = res.series("share", "JP.plant>US.w")[0]
    np.testing.assert_allclose(share[:5], 0.0)
    np.testing.assert_allclose(share[15:], 1.0)
    np.testing.assert_allclose(res.unmet[0, :, 0], [0.0] * 7 + [10.0] * 9 + [0.0] * 4)


@pytest.mark.parametrize("engine", ENGINES)
def test_shares_return_linearly_over_the_switching_lag(engine):
    # Ban on CN over days 5..9 (end=10). From day 10 the lane is available again and its diverted
    # fraction falls by 1/lag a day from 1: m(t) = 1 - (t - 9)/lag, so CN's share is
    # 0.5 (t - 9)/lag until day 9 + lag, then 0.5; JP (ample spare) takes the rest.
    lag = SWITCHING_LAG_DAYS["minerals"]
    ban = ExportControl(exporter="CN", commodity="w", mode="ban", start=5, end=10)
    res = simulate(Scenario(two_suppliers(), horizon_days=10 + lag + 5).with_shocks(ban), engine=engine, seed=0)
    share = res.series("share", "CN.plant>US.w")[0]
    t = np.arange(10, 10 + lag + 5)
    expected = 0.5 * np.minimum((t - 9) / lag, 1.0)
    np.testing.assert_allclose(share[10:], expected, atol=1e-12)
    np.testing.assert_allclose(share[:5], 0.5)
    np.testing.assert_allclose(share[5:10], 0.0)
    np.testing.assert_allclose(res.series("share", "JP.plant>US.w")[0][10:], 1.0 - expected, atol=1e-12)


def test_lasting_diversion_keeps_part_of_the_share_with_the_alternate():
    # lasting_diversion 0.4 on CN's lane: the diverted fraction falls from 1 to 0.4 and stays, so CN's
    # share ends at 0.5 x 0.6 = 0.3 and JP's at 0.7.
    net = two_suppliers()
    lanes = (Lane("CN.plant", "US.w", "w", lead_time=1.0, share=0.5, lasting_diversion=0.4), net.lanes[1])
    net = Network(regions=net.regions, commodities=net.commodities, facilities=net.facilities, lanes=lanes,
                  demands=net.demands)
    ban = ExportControl(exporter="CN", commodity="w", mode="ban", start=5, end=10)
    res = simulate(Scenario(net, horizon_days=100).with_shocks(ban), engine="vector", seed=0)
    np.testing.assert_allclose(res.series("share", "CN.plant>US.w")[0][-20:], 0.3)
    np.testing.assert_allclose(res.series("share", "JP.plant>US.w")[0][-20:], 0.7)


@pytest.mark.parametrize("engine", ENGINES)
def test_tariff_and_ban_combine_in_one_share(engine):
    # A tariff in CES moves the target share; a ban then diverts the (tariffed) target of CN to JP.
    # With the tariff alone shares move over the lag; with both, CN's applied share is 0 while banned.
    tariff = Tariff(importer="US", exporter="CN", commodity="w", rate=0.5, start=0)
    res = simulate(Scenario(two_suppliers(), horizon_days=20).with_shocks(tariff, BAN), engine=engine, seed=0)
    share = res.series("share", "CN.plant>US.w")[0]
    assert 0.0 < share[4] < 0.5          # the CES target falls over the lag
    np.testing.assert_allclose(share[5:], 0.0)
    np.testing.assert_allclose(res.series("share", "JP.plant>US.w")[0][5:], 1.0)


# Allocation rules ------------------------------------------------------------------------------

def allocation_network(rule: str) -> Network:
    """CN.plant (rule under test) supplies X (its incumbent, share 1) and Y (an alternate, share 0;
    Y's incumbent is JP.plant)."""
    return Network(
        regions=(Region("CN"), Region("JP"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 40.0, allocation=rule),
                    Facility("JP.plant", "JP", "plant", "w", 40.0)),
        lanes=(Lane("CN.plant", "X.w", "w", share=1.0), Lane("CN.plant", "Y.w", "w", share=0.0),
               Lane("JP.plant", "Y.w", "w", share=1.0)),
        demands=(Demand("X.w", "US", "w", 10.0), Demand("Y.w", "US", "w", 10.0)),
    )


@pytest.mark.parametrize(("rule", "expected"), [
    # CN holds 30. Owed: X 20, Y 10. Today's orders: X 10, Y 20.
    ("fcfs", (20.0, 10.0)),       # backlog first (30, all of it), nothing left for today's orders
    ("pro_rata", (15.0, 15.0)),   # one class: X asks 30, Y asks 30 -> half each
    ("incumbent", (30.0, 0.0)),   # X (incumbent) asks 30 and gets it all first
])
def test_allocation_rules_give_the_hand_computed_split(rule, expected):
    c = compile_scenario(Scenario(allocation_network(rule), horizon_days=5))
    s = kernel.initial_state(c, 1)
    x, y = c.lane_ids.index("CN.plant>X.w"), c.lane_ids.index("CN.plant>Y.w")
    s.stock[0, c.out_stock[c.facility_ids.index("CN.plant")]] = 30.0
    s.owed[0, [x, y]] = [20.0, 10.0]
    orders = np.zeros((1, c.n_lanes))
    orders[0, [x, y]] = [10.0, 20.0]
    shipped = kernel.ship(c, s, orders)
    np.testing.assert_allclose(shipped[0, [x, y]], expected)
    # What is not shipped stays owed: owed + orders - shipped.
    np.testing.assert_allclose(s.owed[0, [x, y]], [30.0 - expected[0], 30.0 - expected[1]])


def test_unknown_allocation_rule_is_a_clear_error():
    with pytest.raises(Exception, match="allocation must be one of 'history', 'fcfs', 'pro_rata', 'incumbent'"):
        Facility("CN.plant", "CN", "plant", "w", 40.0, allocation="fifo")  # type: ignore[arg-type]


# Engines, conservation, chunks ------------------------------------------------------------------

def busy_scenario() -> Scenario:
    """Ban + outage + alternates + allocation + panic on a small two-stage network."""
    net = Network(
        regions=(Region("CN"), Region("JP"), Region("US"), Region("KR")),
        commodities=(Commodity("ore", "t", 1.0, chain="minerals"), Commodity("w", "unit", 5.0, chain="batteries")),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", 100.0, default_cover_days=5.0),
                    Facility("KR.mine", "KR", "mine", "ore", 30.0, restart_days=0.0, restart_ramp_days=0.0),
                    Facility("CN.plant", "CN", "plant", "w", 40.0, recipe={"ore": 1.0}, allocation="incumbent"),
                    Facility("JP.plant", "JP", "plant", "w", 30.0, recipe={"ore": 1.0}, allocation="pro_rata")),
        lanes=(Lane("CN.mine", "CN.plant", "ore", lead_time=2.0, patience_days=5.0),
               Lane("CN.mine", "JP.plant", "ore", lead_time=3.0, share=0.8),
               Lane("KR.mine", "JP.plant", "ore", lead_time=2.0, share=0.2),
               Lane("KR.mine", "CN.plant", "ore", lead_time=2.0, share=0.0, qualification_days=20.0),
               Lane("CN.plant", "US.w", "w", lead_time=4.0, share=0.7, patience_days=15.0),
               Lane("JP.plant", "US.w", "w", lead_time=2.0, share=0.3),
               Lane("JP.plant", "KR.w", "w", lead_time=1.0)),
        demands=(Demand("US.w", "US", "w", 20.0, policy=BaseStock(150.0), unmet="backorder", panic=0.5),
                 Demand("KR.w", "KR", "w", 5.0)),
    )
    return Scenario(net, horizon_days=120).with_shocks(
        ExportControl(exporter="CN", commodity="ore", mode="ban", start=10, end=40),
        CapacityShock(facility="CN.mine", fraction_lost=0.97, start=10, end=60),
        CapacityShock(facility="CN.plant", fraction_lost=0.8, start=30, end=70, recovery_days=10))


def test_engines_agree_exactly_with_resourcing_patience_and_allocation():
    a = simulate(busy_scenario(), engine="vector", seed=3)
    b = simulate(busy_scenario(), engine="des", seed=3)
    assert_engines_agree(a, b, rtol=1e-12)
    # The mechanisms were exercised: CN.plant's mine went late (patience 5 days) and sought
    # alternates, and the KR alternate shipped only after its 20 days of qualification.
    kr = a.series("flow", "KR.mine>CN.plant")[0]
    assert kr[:25].sum() == 0 and kr[25:60].sum() > 0
    assert a.arrays["backlog"].max() > 0


def test_material_is_conserved_with_resourcing():
    res = simulate(busy_scenario(), engine="vector", seed=3)
    assert material_balance(res).max_relative_error < 1e-9


def test_same_seed_same_results_across_chunk_sizes():
    from supplychain.model import Triangular
    sc = busy_scenario()
    net = sc.network
    lanes = tuple(Lane(l.origin, l.destination, l.commodity, lead_time=Triangular(1.0, 2.0, 5.0), share=l.share,
                       qualification_days=l.qualification_days, patience_days=l.patience_days)
                  for l in net.lanes)
    sc = Scenario(Network(regions=net.regions, commodities=net.commodities, facilities=net.facilities,
                          lanes=lanes, demands=net.demands), horizon_days=80).with_shocks(*sc.shocks)
    one = simulate(sc, engine="vector", n_runs=4, seed=11, chunk_size=1)
    four = simulate(sc, engine="vector", n_runs=4, seed=11, chunk_size=4)
    for name in one.arrays:
        np.testing.assert_array_equal(one.arrays[name], four.arrays[name], err_msg=name)


def test_share_and_on_order_are_public_series():
    res = simulate(busy_scenario(), engine="vector", seed=3)
    df = res.to_dataframe(["share", "on_order"])
    assert set(df["variable"].unique()) == {"share", "on_order"}
    # Applied shares of a buyer sum to 1 on days it orders with every lane open.
    us = [res.series("share", l)[0] for l in ("CN.plant>US.w", "JP.plant>US.w")]
    np.testing.assert_allclose((us[0] + us[1])[:10], 1.0)
    # on_order = in transit + owed, per buyer stock.
    lanes = ("CN.plant>US.w", "JP.plant>US.w")
    expected = sum(res.series("in_transit", l)[0] + res.series("backlog", l)[0] for l in lanes)
    np.testing.assert_allclose(res.series("on_order", "US.w:w")[0], expected)


def test_archives_written_before_resourcing_read_share_and_on_order():
    # Without re-sourcing the applied share is the target share and on order is in transit + backlog:
    # rebuilt from an archive's other series, they equal what the engines record when nothing diverts.
    from supplychain.results.series import sourcing_series_from
    tariff = Tariff(importer="US", exporter="CN", commodity="w", rate=0.5, start=3)
    res = simulate(Scenario(two_suppliers(), horizon_days=15).with_shocks(tariff), engine="vector", seed=0)
    rebuilt = sourcing_series_from(res.scenario, res.arrays)
    np.testing.assert_allclose(rebuilt["share"], res.arrays["share"], atol=1e-12)
    np.testing.assert_allclose(rebuilt["on_order"], res.arrays["on_order"], atol=1e-9)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Lane("A", "B", "w", patience_days=-1.0), r"patience_days must be >= 0"),
    (lambda: Lane("A", "B", "w", qualification_days=4000.0), r"qualification_days must be <= 3650"),
    (lambda: Lane("A", "B", "w", lasting_diversion=1.5), r"lasting_diversion must be <= 1"),
    (lambda: Demand("US.w", "US", "w", 1.0, panic=-2.0), r"panic must be >= -1"),
])
def test_sourcing_fields_are_validated(make, message):
    with pytest.raises(Exception, match=message):
        make()


def test_sourcing_fields_round_trip_through_a_scenario_file(tmp_path):
    from supplychain.io.scenario import load_scenario, save_scenario
    sc = busy_scenario()
    path = save_scenario(sc, tmp_path / "busy.toml")
    back = load_scenario(path)
    assert back.network == sc.network
    assert back.network.facilities[2].allocation == "incumbent" and back.network.demands[0].panic == 0.5
