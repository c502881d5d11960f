"""Per-commodity price parameters (docs/model.md §5.9, parameters) and germanium's losses beyond the chain
(docs/model.md §8.3): the exponents the USGS model's price rises imply for gallium and germanium, a hand-computed
price path with a commodity's own exponent on both engines, the baseline's compiled exponents, and a germanium
shortfall mapped to the industries that use it."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import supplychain.model.prices as mp
from supplychain import simulate
from supplychain.model import (
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.model.prices import PRICE_BY_COMMODITY, PRICE_DEFAULTS, price_params
from tools.ga_ge_bans import usgs_exponents

from .conftest import assert_engines_agree
from .price_oracle import cut_off_price_path


def test_the_usgs_exponents_give_the_published_rises_at_the_share_of_supply_lost() -> None:
    # Gallium: China's 2022 exports 94 t less Japan's 7 t of spare capacity, of 900 t world primary output;
    # USGS OFR 2024-1057: > +150 %. Germanium: 43.7 t less 3.75 t of spare concentrate, of 85 / 0.8 t; +26 %.
    eta = usgs_exponents()
    assert eta["gallium"] == pytest.approx(-math.log(1.0 - 87.0 / 900.0) / math.log(2.5), rel=1e-12)
    assert eta["germanium"] == pytest.approx(-math.log(1.0 - 39.95 / 106.25) / math.log(1.26), rel=1e-12)
    assert round(eta["gallium"], 3) == 0.111 and round(eta["germanium"], 2) == 2.04
    assert (1.0 - 87.0 / 900.0) ** (-1.0 / eta["gallium"]) == pytest.approx(2.5, rel=1e-12)
    assert (1.0 - 39.95 / 106.25) ** (-1.0 / eta["germanium"]) == pytest.approx(1.26, rel=1e-12)


def test_every_commodity_takes_its_chains_parameters_unless_listed() -> None:
    # None is listed today: gallium and germanium keep the minerals chain's (the USGS-implied exponents fail the
    # 2023 licensing, docs/model.md §5.9).
    assert PRICE_BY_COMMODITY == {}
    for commodity in ("gallium", "germanium", "lithium", None):
        assert price_params("minerals", commodity) is PRICE_DEFAULTS["minerals"]
    assert price_params("toys", "germanium") is PRICE_DEFAULTS["default"]


@pytest.fixture
def germanium_listed():  # type: ignore[no-untyped-def]
    """Germanium priced with exponent 2.0 (demand -1.2, supply 0.8) for the length of a test."""
    chain = PRICE_DEFAULTS["minerals"]
    mp.PRICE_BY_COMMODITY["germanium"] = dataclasses.replace(chain, demand_elasticity=-1.2, supply_elasticity=0.8)
    try:
        yield mp.PRICE_BY_COMMODITY["germanium"]
    finally:
        mp.PRICE_BY_COMMODITY.pop("germanium")


def test_a_listed_commodity_takes_its_own_parameters(germanium_listed) -> None:
    assert price_params("minerals", "germanium") is germanium_listed
    assert germanium_listed.exponent == pytest.approx(2.0)
    assert price_params("minerals", "gallium") is PRICE_DEFAULTS["minerals"]


def _single(commodity: str) -> Scenario:
    """One mine in CN feeds a US consumer holding 100 units (demand 10 a day); the mine stops on day 0."""
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity(commodity, "kg", 100.0, chain="minerals"),),
        facilities=(Facility("CN.mine", "CN", "mine", commodity, 20.0, policies={commodity: DaysOfCover(0.0)}),),
        lanes=(Lane("CN.mine", f"US.{commodity}", commodity, lead_time=Fixed(1.0)),),
        demands=(Demand(f"US.{commodity}", "US", commodity, 10.0, initial_inventory=100.0),),
    )
    return Scenario(net, horizon_days=16, shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="CN.mine"),))


@pytest.mark.parametrize("commodity", ["germanium", "gallium"])
def test_the_price_path_follows_the_commoditys_own_exponent(germanium_listed, commodity) -> None:
    # As tests/test_prices.py's recursion: on day t <= 11 the consumer holds 110 - 10 t after arrivals; from day 11
    # its unmet demand joins the market's account. gap = (deficit + account) / 365 / 10, and the target
    # (1 - gap) ** (-1 / eta) with the commodity's own eta (2.0 for germanium here, the chain's 0.25 for gallium);
    # the price closes 1/14 of the way a day. Demand destruction reads the commodity's own demand elasticity.
    p = price_params("minerals", commodity)
    expected = cut_off_price_path(p.exponent, p.adjustment_days)
    sc = _single(commodity)
    vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    np.testing.assert_allclose(vector.arrays["price"][0, :, 1] / 100.0, expected, rtol=1e-12)  # the US consumer
    assert_engines_agree(vector, des)
    fed = simulate(sc.replace(price_feedback=True), engine="vector")
    index = fed.arrays["price"][0, 1, 1] / 100.0
    assert fed.arrays["demand"][0, 1, 0] == pytest.approx(10.0 * index ** p.demand_elasticity, rel=1e-12)
    assert_engines_agree(fed, simulate(sc.replace(price_feedback=True), engine="des"))
    if commodity == "germanium":
        assert expected[-1] < 1.03
    else:
        assert expected[-1] > 1.05


def test_the_baseline_compiles_a_listed_commoditys_exponent_into_its_markets(germanium_listed) -> None:
    from supplychain import load_baseline
    from supplychain.compile import compile_scenario
    spec = compile_scenario(load_baseline().with_horizon(30)).schedules.extras["prices"]
    seen = set()
    for (commodity, region), eta in zip(spec.labels, spec.exponent):
        if commodity == "germanium":
            assert eta == pytest.approx(2.0, rel=1e-12), region
            seen.add(region)
        elif commodity in ("gallium", "germanium_conc", "lithium"):
            assert eta == pytest.approx(PRICE_DEFAULTS["minerals"].exponent, rel=1e-12), (commodity, region)
    assert {"US", "CN", "JP"} <= seen


def test_a_germanium_shortfall_costs_value_added_in_the_industries_that_use_it() -> None:
    # Germanium's demands are the makers of fibre cable (C27), infrared optics, detectors and solar cells (C26) and
    # PET resin (OTH): half of the US germanium missing for 60 days loses value added in those sectors, most in the
    # US, and nothing is lost when everything is delivered (docs/model.md §8.3).
    from supplychain import load_baseline
    from supplychain.impact.loss import value_added_loss
    from supplychain.impact.table import load_io_table
    net = load_baseline(horizon_days=120).network
    table = load_io_table()
    assert float(table.use["germanium"].sum()) == pytest.approx(1.0)
    demand = np.ones((1, 120, len(net.demands)))
    delivered = demand.copy()
    us_ge = [i for i, d in enumerate(net.demands) if d.region == "US" and d.commodity == "germanium"]
    assert len(us_ge) == 1
    delivered[0, 30:90, us_ge] = 0.5
    loss = value_added_loss(demand, delivered, net).total[0]  # (regions, sectors), USD
    us = table.regions.index("US")
    assert loss[us].sum() > 0.0 and int(loss.sum(axis=1).argmax()) == us
    for sector in ("C26", "C27", "OTH"):
        assert loss[us, table.sectors.index(sector)] > 0.0, sector
    assert float(np.abs(value_added_loss(demand, demand, net).total).max()) == 0.0
