"""Chip users' buffer draws count as scarcity by the buffer weight (docs/model.md §5.9): calibrated on 2021
(chip users drew 35 of their 40 days while foundry contract prices rose about 20 %), applied to the part of a
market's buffer its final buyers hold; intermediate buyers' draws stay no scarcity."""

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
from supplychain.model.prices import CHIP_BUFFER_WEIGHT, CHIP_PRICE_RISE_2021, PriceParams, price_params

from .conftest import assert_engines_agree


def _chain(user_stock: float = 390.0, wafer_stock: float = 150.0) -> Network:
    """A TW fab's wafers packaged in the US (wafer stock 15 days) for a US chip user (40 days), 10 a day."""
    return Network(
        regions=(Region("TW"), Region("US")),
        commodities=(Commodity("wafer", "unit", 5.0, chain="semiconductors"),
                     Commodity("chip", "unit", 10.0, chain="semiconductors")),
        facilities=(Facility("TW.fab", "TW", "fab", "wafer", 20.0, policies={"wafer": DaysOfCover(0.0)}),
                    Facility("US.pkg", "US", "packaging", "chip", 20.0, recipe={"wafer": 1.0},
                             initial_inventory={"wafer": wafer_stock},
                             policies={"wafer": DaysOfCover(15.0), "chip": DaysOfCover(0.0)})),
        lanes=(Lane("TW.fab", "US.pkg", "wafer", lead_time=Fixed(1.0)),
               Lane("US.pkg", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", 10.0, initial_inventory=user_stock,
                        policy=DaysOfCover(40.0)),),
    )


def test_the_weight_is_the_2021_calibration() -> None:
    # A draw of the users' 35 days of buffer in a market of final buyers alone clears at +20 % (TSMC, Aug 2021).
    p = price_params("semiconductors")
    assert (1.0 - CHIP_BUFFER_WEIGHT * 35.0 / 365.0) ** (-1.0 / p.exponent) == pytest.approx(1.0 + CHIP_PRICE_RISE_2021)
    assert p.buffer_weight == CHIP_BUFFER_WEIGHT and round(CHIP_BUFFER_WEIGHT, 3) == 0.188
    assert all(price_params(c).buffer_weight == 0.0 for c in ("minerals", "batteries", "toys"))
    with pytest.raises(ValueError, match="buffer_weight must be in \\[0, 1\\]; got 1.5"):
        PriceParams(-0.1, 0.1, 30.0, 0.5, 5.0, buffer_share=0.5, buffer_weight=1.5)


def test_the_weight_applies_to_the_final_buyers_part_of_a_markets_buffer() -> None:
    # The chip market's buffer is the user's alone: 1 - w of its draw is no gap. The wafer market's is the
    # packager's (an intermediate buyer): its draw stays no scarcity (keep 1). On the baseline the same holds for
    # every chip and wafer market, and every market of another chain keeps 1.
    spec = compile_scenario(Scenario(_chain(), horizon_days=5)).schedules.extras["prices"]
    keep = dict(zip(spec.labels, spec.buffer_keep.tolist()))
    assert keep == {("wafer", "TW"): 1.0, ("wafer", "US"): 1.0, ("chip", "US"): 1.0 - CHIP_BUFFER_WEIGHT}

    from supplychain import load_baseline
    base = load_baseline().with_horizon(5)
    c = compile_scenario(base)
    spec = c.schedules.extras["prices"]
    chain = {k.id: k.chain for k in base.network.commodities}
    final = np.isin(c.buyer_stock, c.demand_stock)
    for m, (commodity, _) in enumerate(spec.labels):
        mine = spec.buyer_market == m
        held = spec.buyer_buffer[mine & final].sum()
        if chain[commodity] != "semiconductors" or held == 0.0:
            assert spec.buffer_keep[m] == 1.0, commodity
        else:
            share = held / spec.buyer_buffer[mine].sum()
            assert spec.buffer_keep[m] == pytest.approx(1.0 - CHIP_BUFFER_WEIGHT * share, rel=1e-12), commodity
    assert any(spec.buffer_keep[spec.labels.index((k, r))] == 1.0 for k, r in spec.labels if k == "logic_wafer")


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_users_draw_counts_by_the_weight_and_a_packagers_not(engine) -> None:
    # The fab stops on day 0 for good. The packager (normal wafer stock 150 + 10 landing = 160, buffer
    # 0.875 x 160 = 140) draws 10 wafers a day: within its buffer until day 14, no gap, so the wafer price in the
    # US stays exactly at the reference through day 13 (the fab's own market reads its lasting loss). The user
    # (400 chips, buffer min(0.875 x 400, 400 - 5 x 10) = 350) is served by the packager until its wafers run
    # out, then draws 10 chips a day within its buffer: from then on its market counts w of each day's draw, so
    # the chip price rises every day, by the hand-computed step on the first day (a gap of w x 10 / 365 / 10,
    # the chip market's normal flow being the user's inflow 10 plus the packager's outflow 10: / 20 then).
    # The bid weight (a queue within the buffer counts by it, tests/test_prices_bid_weight.py) is set to 0: the
    # packager's queue of the user's orders would price the chip market from day 9.
    import dataclasses

    import supplychain.model.prices as mp
    params = mp.PRICE_DEFAULTS["semiconductors"]
    try:
        mp.PRICE_DEFAULTS["semiconductors"] = dataclasses.replace(params, bid_weight=0.0)
        res = simulate(Scenario(_chain(), horizon_days=24,
                                shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="TW.fab"),)), engine=engine)
    finally:
        mp.PRICE_DEFAULTS["semiconductors"] = params
    coords = res.coords
    col = {(r, k): i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))}
    wafer_us = res.arrays["price"][0, :, col[("US", "wafer")]] / 5.0
    assert wafer_us[:14].tolist() == [1.0] * 14
    chip_us = res.arrays["price"][0, :, col[("US", "chip")]] / 10.0
    first = int(np.flatnonzero(chip_us > 1.0)[0])
    assert 14 <= first <= 17 and chip_us[:first].tolist() == [1.0] * first
    assert (np.diff(chip_us[first:]) > 0).all() and chip_us[-1] < 1.01
    p = price_params("semiconductors")
    step = ((1.0 - CHIP_BUFFER_WEIGHT * 10.0 / 365.0 / 20.0) ** (-1.0 / p.exponent) - 1.0) / p.adjustment_days
    assert chip_us[first] - 1.0 <= step * (1.0 + 1e-9)


def test_engines_agree_with_the_buffer_weight() -> None:
    sc = Scenario(_chain(), horizon_days=90, price_feedback=True,
                  shocks=(CapacityShock(start=5, end=45, fraction_lost=0.8, facility="TW.fab"),))
    vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    assert_engines_agree(vector, des)
    np.testing.assert_array_equal(vector.arrays["price"], des.arrays["price"])
