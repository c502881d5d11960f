"""Gallium and germanium priced as two metals (docs/model.md §5.9, parameters) and germanium's losses beyond the
chain (docs/model.md §8.3): the derived exponents, a hand-computed price path on each metal, the engines' agreement,
the compiled parameters of the baseline, and a germanium shortfall mapped to the industries that use it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from .conftest import assert_engines_agree
from supplychain import ExportControl, simulate
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
from supplychain.model.prices import (
    GALLIUM_EXPONENT,
    GERMANIUM_EXPONENT,
    PRICE_BY_COMMODITY,
    PRICE_DEFAULTS,
    price_params,
)


def test_the_exponents_are_the_usgs_price_rises_at_the_share_of_supply_lost() -> None:
    # Gallium: China's 2022 exports 94 t less Japan's 7 t of spare capacity, of 900 t world primary output;
    # USGS OFR 2024-1057: +150 %. Germanium: 43.7 t less 3.75 t of spare concentrate, of 85 / 0.8 t; +26 %.
    ga = -math.log(1.0 - 87.0 / 900.0) / math.log(2.5)
    ge = -math.log(1.0 - 39.95 / 106.25) / math.log(1.26)
    assert GALLIUM_EXPONENT == pytest.approx(ga, rel=1e-12) and round(ga, 3) == 0.111
    assert GERMANIUM_EXPONENT == pytest.approx(ge, rel=1e-12) and round(ge, 2) == 2.04
    # The USGS clearing reproduces the published rises exactly.
    assert (1.0 - 87.0 / 900.0) ** (-1.0 / GALLIUM_EXPONENT) == pytest.approx(2.5, rel=1e-12)
    assert (1.0 - 39.95 / 106.25) ** (-1.0 / GERMANIUM_EXPONENT) == pytest.approx(1.26, rel=1e-12)


@pytest.mark.parametrize("commodity", ["gallium", "gallium_crude", "germanium", "germanium_conc"])
def test_each_metal_keeps_the_minerals_chain_but_for_its_exponent(commodity) -> None:
    p, chain = price_params("minerals", commodity), PRICE_DEFAULTS["minerals"]
    eta = GALLIUM_EXPONENT if commodity.startswith("gallium") else GERMANIUM_EXPONENT
    assert p.exponent == pytest.approx(eta, rel=1e-12)
    assert p.demand_elasticity / p.exponent == pytest.approx(chain.demand_elasticity / chain.exponent, rel=1e-12)
    assert (p.adjustment_days, p.floor, p.cap, p.sheds_output) == (chain.adjustment_days, chain.floor, chain.cap,
                                                                   chain.sheds_output)
    assert PRICE_BY_COMMODITY[commodity] is p


def test_other_commodities_keep_their_chains_parameters() -> None:
    assert price_params("minerals", "lithium") is PRICE_DEFAULTS["minerals"]
    assert price_params("minerals") is PRICE_DEFAULTS["minerals"]
    assert price_params("toys", "germanium") is PRICE_BY_COMMODITY["germanium"]


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


@pytest.mark.parametrize("commodity", ["gallium", "germanium", "ore"])
def test_the_price_path_follows_the_metals_own_exponent(commodity) -> None:
    # As tests/test_prices.py's recursion: on day t <= 11 the consumer holds 110 - 10 t after arrivals; from day 11
    # its unmet demand joins the market's account. gap = (deficit + account) / 365 / 10, and the target
    # (1 - gap) ** (-1 / eta) with the metal's own eta; the price closes 1/14 of the way a day.
    p = price_params("minerals", commodity)
    pi, account, expected = 1.0, 0.0, [1.0]
    for t in range(1, 16):
        held = max(110.0 - 10.0 * t, 0.0)
        account = account * (1.0 - 1.0 / p.adjustment_days) + max(10.0 - held, 0.0)
        gap = (110.0 - held + account) / 365.0 / 10.0
        pi += ((1.0 - gap) ** (-1.0 / p.exponent) - pi) / p.adjustment_days
        expected.append(pi)
    sc = _single(commodity)
    vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    got = vector.arrays["price"][0, :, 1] / 100.0  # stock 1: the US consumer
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert_engines_agree(vector, des)
    # Same gap, different metals: germanium's price moves least, gallium's most.
    if commodity == "germanium":
        assert expected[-1] < 1.02
    elif commodity == "gallium":
        assert expected[-1] > 1.15


def test_the_baseline_compiles_each_metals_exponent_into_its_markets() -> None:
    from supplychain import load_baseline
    from supplychain.compile import compile_scenario
    c = compile_scenario(load_baseline().with_horizon(30))
    spec = c.schedules.extras["prices"]
    for (commodity, region), eta in zip(spec.labels, spec.exponent):
        if commodity in ("gallium", "gallium_crude"):
            assert eta == pytest.approx(GALLIUM_EXPONENT, rel=1e-12), (commodity, region)
        elif commodity in ("germanium", "germanium_conc"):
            assert eta == pytest.approx(GERMANIUM_EXPONENT, rel=1e-12), (commodity, region)
        elif commodity in ("lithium", "cobalt", "rare_earth_ore"):
            assert eta == pytest.approx(PRICE_DEFAULTS["minerals"].exponent, rel=1e-12), (commodity, region)


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
