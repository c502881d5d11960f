"""Bidding ahead (docs/model.md §5.9): of the orders a chip seller owes beyond what its buyers lack beyond their
buffers, the bid weight counts as scarcity. Calibrated on the foundries' 2021 queue (lead times from 12.5 to 21.7
weeks while contract prices rose about 20 %); other chains keep weight 0 and their prices are unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain import simulate
from supplychain.compile.compiler import compile_scenario
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
    CHIP_BID_WEIGHT,
    CHIP_LEAD_WEEKS_2021,
    CHIP_LEAD_WEEKS_NORMAL,
    CHIP_PRICE_RISE_2021,
    RESTOCKING_DAYS,
    PriceParams,
    price_params,
)

from .conftest import assert_engines_agree


def _market(chain: str = "semiconductors") -> Network:
    """A TW fab (capacity 10 a day, no output stock) sells all it makes to a US buyer holding 40 days."""
    return Network(
        regions=(Region("TW"), Region("US")),
        commodities=(Commodity("chip", "unit", 10.0, chain=chain),),
        facilities=(Facility("TW.fab", "TW", "fab", "chip", 10.0, policies={"chip": DaysOfCover(0.0)}),),
        lanes=(Lane("TW.fab", "US.chip", "chip", lead_time=Fixed(1.0)),),
        demands=(Demand("US.chip", "US", "chip", 10.0, initial_inventory=400.0, policy=DaysOfCover(40.0)),),
    )


def test_the_weight_is_the_2021_calibration() -> None:
    # A queue of the 64.4 days lead times stretched in 2021, in a market of sellers alone, clears at +20 %.
    p = price_params("semiconductors")
    days = (CHIP_LEAD_WEEKS_2021 - CHIP_LEAD_WEEKS_NORMAL) * 7.0
    assert days == pytest.approx(64.4)
    gap = CHIP_BID_WEIGHT * days / RESTOCKING_DAYS
    assert (1.0 - gap) ** (-1.0 / p.exponent) == pytest.approx(1.0 + CHIP_PRICE_RISE_2021)
    assert p.bid_weight == CHIP_BID_WEIGHT and round(CHIP_BID_WEIGHT, 3) == 0.102
    assert all(price_params(c).bid_weight == 0.0 for c in ("minerals", "batteries", "toys"))
    with pytest.raises(ValueError, match="bid_weight must be in \\[0, 1\\]; got -0.1"):
        PriceParams(-0.1, 0.1, 30.0, 0.5, 5.0, bid_weight=-0.1)


def test_every_chip_lane_carries_the_weight_and_no_other() -> None:
    from supplychain import load_baseline
    base = load_baseline().with_horizon(5)
    c = compile_scenario(base)
    spec = c.schedules.extras["prices"]
    chain = {k.id: k.chain for k in base.network.commodities}
    assert spec.lane_bid is not None and len(spec.lane_bid) == c.n_lanes
    commodity = [spec.labels[m][0] for m in spec.lane_dest_market]
    assert spec.lane_bid.tolist() == [CHIP_BID_WEIGHT if chain[k] == "semiconductors" else 0.0 for k in commodity]
    assert compile_scenario(Scenario(_market("batteries"), horizon_days=5)).schedules.extras["prices"].lane_bid is None


def test_the_orders_counted_are_the_shortfall_plus_the_weight_of_the_rest() -> None:
    # Hand-computed, both engines' rule alone: a buyer owed 100 on its one lane that lacks 20 beyond its buffer
    # counts 20 + b x 80; one that lacks 150 (more than it is owed) counts all 100; one within its buffer b x 100.
    from types import SimpleNamespace

    from supplychain.engines import prices as vector_prices
    from supplychain.engines.des.prices import Prices
    c = compile_scenario(Scenario(_market(), horizon_days=5))
    b = CHIP_BID_WEIGHT
    expected = [20.0 + b * 80.0, 100.0, b * 100.0]
    for short, want in zip((20.0, 150.0, 0.0), expected):
        s = SimpleNamespace(owed=np.asfortranarray([[100.0]]))
        got = vector_prices._owed_short(c, s, np.array([[short]]))
        assert got[0, 0] == pytest.approx(want, rel=1e-15)
        des = Prices(c.schedules.extras["prices"], c.n_lanes)
        run = SimpleNamespace(layout=SimpleNamespace(lane_buyer=[0]), owed=[100.0])
        assert des._owed_short(run, [short])[0] == got[0, 0]


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_queue_within_the_buyers_buffer_raises_the_sellers_price(engine) -> None:
    # The fab loses half its capacity for good on day 0 while its buyer (40 days) keeps ordering 10 a day: the
    # buyer draws its buffer for weeks, so without the bid weight its queue priced nothing beyond the rate loss;
    # with it the queue adds b x owed / 365 to the fab's asked rate and the TW price rises above the weight-0 run.
    import supplychain.model.prices as mp
    sc = Scenario(_market(), horizon_days=40, shocks=(CapacityShock(start=0, fraction_lost=0.5, facility="TW.fab"),))
    res = simulate(sc, engine=engine)
    params = mp.PRICE_DEFAULTS["semiconductors"]
    try:
        mp.PRICE_DEFAULTS["semiconductors"] = PriceParams(**{**params.__dict__, "bid_weight": 0.0})
        res0 = simulate(sc, engine=engine)
    finally:
        mp.PRICE_DEFAULTS["semiconductors"] = params
    coords = res.coords
    col = {(r, k): i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))}
    tw = res.arrays["price"][0, :, col[("TW", "chip")]] / 10.0
    tw0 = res0.arrays["price"][0, :, col[("TW", "chip")]] / 10.0
    assert (tw >= tw0).all() and tw[-1] > tw0[-1]
    np.testing.assert_array_equal(res.arrays["delivered"], res0.arrays["delivered"])  # prices move no goods


def test_engines_agree_with_the_bid_weight() -> None:
    sc = Scenario(_market(), horizon_days=90, price_feedback=True,
                  shocks=(CapacityShock(start=5, end=45, fraction_lost=0.5, facility="TW.fab"),))
    vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    assert_engines_agree(vector, des)
    np.testing.assert_array_equal(vector.arrays["price"], des.arrays["price"])
