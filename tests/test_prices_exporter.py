"""An exporter's own price under its own export control (docs/model.md §5.9, lost sales): a price-cutting
seller idles its spare capacity before it cuts its price."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain import simulate
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.errors import ValidationError
from supplychain.model import ExportControl, Fixed, Scenario
from supplychain.model.prices import RESTOCKING_DAYS, price_params, sales_band
from tests.conftest import assert_engines_agree


def _index(res, commodity: str, region: str) -> np.ndarray:
    """The price index (price / reference) of one market, (days,), run 0."""
    coords = res.coords
    stocks = [i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))
              if r == region and k == commodity]
    ref = {c.id: c.price_usd for c in res.scenario.network.commodities}[commodity]
    return res.arrays["price"][0, :, stocks[0]] / ref


def _banned_mine(capacity: float, horizon: int) -> Scenario:
    """The single mine (normal rate 10 t/day, no output stock) loses its only buyer from day 0."""
    return Scenario(single_source_network(capacity_per_day=capacity), horizon_days=horizon,
                    shocks=(ExportControl(exporter="CN", commodity="ore", mode="ban", start=0),))


def test_the_band_is_the_output_stock_over_the_year_plus_the_spare_capacity() -> None:
    assert sales_band(10.0, 14.0, 36.5) == pytest.approx(36.5 / RESTOCKING_DAYS + 4.0, rel=1e-15)
    assert sales_band(10.0, 10.0, 0.0) == 0.0
    assert sales_band(10.0, 8.0, 0.0) == 0.0  # a seller above its capacity has none to idle
    with pytest.raises(ValidationError, match="capacity must be >= 0; got -1.0 for sales_band"):
        sales_band(10.0, -1.0, 0.0)


def test_a_seller_with_spare_capacity_idles_it_before_it_cuts_its_price() -> None:
    # Capacity 14 t/day against a normal rate of 10: the mine idles 4 t/day at the reference price. A ban
    # cancels its backlog, so its throughput read on day t is 10 (29/30)^t (30-day moving average, §5.7) and its
    # lost sales, a share of the CN market's normal flow of 10 t/day (no CN buyers), are
    # v(t) = (min(10, 14) - 10 (29/30)^t - 4)^+ / 10: nothing until day 16 ((29/30)^t < 0.6 from t = 16).
    p = price_params("minerals")
    pi, expected = 1.0, []
    for t in range(40):
        lost = max(1.0 - (29.0 / 30.0) ** t - 0.4, 0.0)
        target = 1.0 if lost <= 1e-9 else max(p.floor, (1.0 - lost) ** (1.0 / p.exponent))
        pi += (target - pi) / p.adjustment_days
        expected.append(pi)
    assert expected[15] == 1.0 and expected[16] < 1.0
    paths = [_index(simulate(_banned_mine(14.0, 40), engine=e), "ore", "CN") for e in ("vector", "des")]
    np.testing.assert_allclose(paths[0], expected, rtol=1e-12)
    np.testing.assert_array_equal(paths[0], paths[1])


def test_a_seller_whose_idle_capacity_covers_every_lost_sale_keeps_its_price() -> None:
    # Capacity 20 t/day, twice the normal rate: the whole lost flow is idled at the reference price, under a ban
    # and under licensing (applications are no orders while pending): "not up", and not down either.
    licensed = dataclasses.replace(_banned_mine(20.0, 40), shocks=(
        ExportControl(exporter="CN", commodity="ore", mode="licence", start=0, processing_delay=Fixed(30.0)),))
    for sc in (_banned_mine(20.0, 40), licensed):
        for engine in ("vector", "des"):
            assert np.array_equal(_index(simulate(sc, engine=engine), "ore", "CN"), np.ones(40))
    # The same licensing of a mine at capacity (10 t/day) loses sales it cannot idle: its price falls.
    at_capacity = dataclasses.replace(licensed, network=single_source_network(capacity_per_day=10.0))
    assert _index(simulate(at_capacity, engine="vector"), "ore", "CN").min() < 0.9


def test_at_capacity_the_old_cut_remains() -> None:
    # Capacity equal to the normal rate: no spare capacity, so the cut follows the supply curve from day 1.
    p = price_params("minerals")
    path = _index(simulate(_banned_mine(10.0, 20), engine="vector"), "ore", "CN")
    lost = 1.0 - 29.0 / 30.0
    assert path[1] == pytest.approx(1.0 + ((1.0 - lost) ** (1.0 / p.exponent) - 1.0) / p.adjustment_days, rel=1e-12)


def test_engines_agree_on_an_exporters_price_and_spare_capacity_softens_its_fall() -> None:
    # The toy's CN mine (normal 7 t/day) loses its only buyer: at capacity, with 1 t/day spare and with its
    # built-in 5 t/day. It loses all 7 t/day, so its price falls beyond what it idles, and less the more it idles.
    lows = []
    for capacity in (7.0, 8.0, 12.0):
        net = toy_network()
        mine = dataclasses.replace(net.facilities[0], capacity_per_day=capacity)
        net = dataclasses.replace(net, facilities=(mine, *net.facilities[1:]))
        sc = Scenario(net, horizon_days=90, name="toy", price_feedback=True,
                      shocks=(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10),))
        vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
        assert_engines_agree(vector, des)
        lows.append(_index(vector, "ore", "CN").min())
    assert lows[0] < lows[1] < lows[2] < 0.99


def test_chinas_gallium_sellers_idle_their_cited_spare_capacity() -> None:
    # China's crude gallium capacity is 1,600 t/yr against 891 t produced (USGS MCS 2026): the band of its
    # sellers is its idle capacity (plus its output stock over the year), some 44 % of its capacity.
    from supplychain import load_baseline
    from supplychain.compile.compiler import compile_scenario
    sc = load_baseline()
    spec = compile_scenario(sc).schedules.extras["prices"]
    ids = [f.id for f in sc.network.facilities]
    f = ids.index("CN.mine.gallium_crude")
    capacity = sc.network.facilities[f].capacity_per_day
    assert capacity == pytest.approx(1_600_000 / 365, rel=1e-3)
    assert spec.sales_band[f] >= capacity - spec.normal_seller[f] > 0.4 * capacity


def test_chinas_own_germanium_price_under_its_2023_licensing_moves_only_by_its_concentrates_cost_share() -> None:
    # The trace of docs/model.md §5.9 (lost sales, "an exporter's own price"): under the shipped 2023 licensing
    # China's refiners lose their export sales (pending applications are no orders), but what they lose stays
    # within their idle capacity plus their output stock over the year, so their market has no lost sales; they
    # make no unsold output (production follows orders), so China's buyers hold their normal stock and the gap
    # is 0. Its scarcity factor is exactly 1 every day, and the price moves only by cost pass-through of its
    # concentrate (whose mine, with less idle capacity, does lose sales): a recurrence computed by hand,
    # pi(t) = pi(t-1) + (1 + kappa (pi_conc(t-1) - 1) - pi(t-1)) / tau, kappa = 1 kg x 2,050 / 4,100 USD = 0.5.
    from supplychain import load_example
    from supplychain.compile.compiler import compile_scenario
    sc = load_example("gallium_germanium_2023").with_horizon(220)
    res = simulate(sc, engine="vector", seed=2023)
    prices = {c.id: c.price_usd for c in sc.network.commodities}
    refinery = next(f for f in sc.network.facilities if f.id == "CN.refinery.germanium")
    kappa = dict(refinery.recipe)["germanium_conc"] * prices["germanium_conc"] / prices["germanium"]
    assert kappa == 0.5
    spec = compile_scenario(sc).schedules.extras["prices"]
    m = spec.labels.index(("germanium", "CN"))
    row = spec.pass_through.tocsr()
    assert [spec.labels[j] for j in row.indices[row.indptr[m]:row.indptr[m + 1]]] == [("germanium_conc", "CN")]
    tau = price_params("minerals").adjustment_days
    ge, conc = _index(res, "germanium", "CN"), _index(res, "germanium_conc", "CN")
    expected = [1.0]
    for t in range(1, len(ge)):
        target = 1.0 + kappa * (conc[t - 1] - 1.0)
        expected.append(expected[-1] + (target - expected[-1]) / tau)
    np.testing.assert_allclose(ge, expected, rtol=1e-12, atol=1e-14)
    # Not exactly 1 (the concentrate's fall passes on), but within a few per cent: China's germanium ingot price
    # held within about 3 % of its July 2023 level to April 2024 (SMM via Reuters, 20 Sep 2023 and 20 Apr 2024).
    assert conc.min() < 0.97 and 0.97 < ge.min() < 0.99
