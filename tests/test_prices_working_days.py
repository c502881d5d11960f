"""A chip user's buffer is its stock above the working days it keeps (docs/model.md §5.9): the median chip
consumer drew its inventory from 40 days (2019) to under 5 (2021) (U.S. Commerce 2022 RFI), so a buyer that
normally holds 40 days draws 35 before the draw counts as scarcity and one that holds 5, as in 2021, none."""

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
from supplychain.model.prices import CHIP_BUFFER_SHARE, CHIP_WORKING_DAYS, PriceParams, price_params

from .conftest import assert_engines_agree


def _two_buyers(lean_stock: float = 40.0, ample_stock: float = 390.0) -> Network:
    """A TW fab serving a lean US buyer and an ample JP buyer, 10 chips a day each over one-day lanes."""
    return Network(
        regions=(Region("TW"), Region("US"), Region("JP")),
        commodities=(Commodity("chip", "unit", 10.0, chain="semiconductors"),),
        facilities=(Facility("TW.fab", "TW", "fab", "chip", 40.0, policies={"chip": DaysOfCover(0.0)}),),
        lanes=(Lane("TW.fab", "US.chip", "chip", lead_time=Fixed(1.0)),
               Lane("TW.fab", "JP.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", 10.0, initial_inventory=lean_stock),
                 Demand("JP.chip", "JP", "chip", 10.0, initial_inventory=ample_stock)),
    )


def _stop(horizon: int = 30) -> Scenario:
    return Scenario(_two_buyers(), horizon_days=horizon,
                    shocks=(CapacityShock(start=0, fraction_lost=1.0, facility="TW.fab"),))


def _index(res, region: str) -> np.ndarray:
    coords = res.coords
    stock = [i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))
             if r == region and k == "chip"][0]
    return res.arrays["price"][0, :, stock] / 10.0


def test_a_buyers_buffer_is_its_stock_above_its_working_days_at_most_the_buffer_share() -> None:
    # Normal stock just after arrivals: US 40 + 10 landing = 50 chips (5 days of its inflow of 10 a day), JP 390 +
    # 10 = 400 (40 days). Buffers: US min(0.875 * 50, 50 - 5 * 10) = 0; JP min(0.875 * 400, 400 - 50) = 350.
    spec = compile_scenario(_stop()).schedules.extras["prices"]
    us, jp = (spec.labels.index(("chip", r)) for r in ("US", "JP"))
    buffers = {spec.labels[m][1]: b for m, b in zip(spec.buyer_market, spec.buyer_buffer)}
    assert buffers == {"US": 0.0, "JP": 350.0}
    np.testing.assert_array_equal(spec.buffer[[us, jp]], [0.0, 350.0])
    assert (CHIP_BUFFER_SHARE, CHIP_WORKING_DAYS) == (0.875, 5.0)
    assert price_params("semiconductors").working_days == CHIP_WORKING_DAYS
    assert PriceParams(-0.1, 0.1, 30.0, 0.5, 5.0).working_days == 0.0  # other chains: the buffer share alone


def test_intermediate_buyers_keep_the_buffer_share_and_final_buyers_at_most_their_stock_above_working_days() -> None:
    # The finding is about chip users: a packager's wafer stock keeps the share of its normal stock (15 days, a
    # buffer of 13.1). Final buyers keep min(share * normal, normal - 5 days of inflow): the baseline's chip
    # users (40 days and the day's landing, 0.875 * 41 < 41 - 5) keep the share bit for bit; Korea's display
    # makers, holding 31 days of fluorinated polyimide, 26 days instead of 27.1. Markets where no buyer's
    # buffer is lowered keep share * normal stock bit for bit.
    from supplychain import load_baseline

    sc = load_baseline().with_horizon(5)
    c = compile_scenario(sc)
    spec = c.schedules.extras["prices"]
    final = np.isin(c.buyer_stock, c.demand_stock)
    share = np.where(spec.buyer_buffer > 0, CHIP_BUFFER_SHARE, 0.0) * spec.buyer_normal
    inflow = np.bincount(c.lane_buyer, weights=[c.steady.flow.get(lane.id, 0.0) for lane in sc.network.lanes],
                         minlength=c.n_buyers)
    expected = np.where(final & (share > 0), np.minimum(share, np.maximum(spec.buyer_normal - 5.0 * inflow, 0.0)),
                        share)
    np.testing.assert_array_equal(spec.buyer_buffer, expected)
    lowered = expected < share
    # and the automotive chip buyers (14 days of cover, 0.875 * 15 > 15 - 5): the only chip buyers lowered.
    lowered_markets = {spec.labels[m] for m in spec.buyer_market[lowered]}
    assert ("fluorinated_polyimide", "KR") in lowered_markets
    chip_markets = lowered_markets - {("fluorinated_polyimide", "KR")}
    assert chip_markets and all(commodity.endswith("_chip") for commodity, _ in chip_markets)
    automotive = {(d.commodity, d.region) for d in sc.network.demands if d.segment == "automotive"}
    assert chip_markets <= automotive
    untouched = ~np.isin(np.arange(len(spec.labels)), spec.buyer_market[lowered])
    np.testing.assert_array_equal(spec.buffer[untouched], (np.where(spec.buffer > 0, CHIP_BUFFER_SHARE, 0.0)
                                                           * spec.normal_stock)[untouched])


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_lean_buyers_draw_counts_from_the_first_unit_and_an_ample_buyers_by_the_buffer_weight(engine) -> None:
    # The fab stops on day 0. The lean US buyer holds 50 - 10 t on day t (0 from day 5): with no buffer every unit
    # drawn is scarcity, gap (10 t) / 365 / 10, plus from day 5 the account of the demand it cannot serve (10 a
    # day, kept 1 - 1/60 a day). The JP buyer draws 10 t of its 400, all within its buffer of 350 until day 35:
    # that draw counts by the buffer weight w only, gap w 10 t / 365 / 10 (what the buyers are owed counts only
    # beyond their buffer).
    from supplychain.model.prices import CHIP_BUFFER_WEIGHT as w
    p = price_params("semiconductors")
    res = simulate(_stop(), engine=engine)
    pi, jp, account, expected, expected_jp = 1.0, 1.0, 0.0, [1.0], [1.0]
    for t in range(1, 30):
        account = account * (1.0 - 1.0 / p.adjustment_days) + (10.0 if t >= 5 else 0.0)
        counted = min(10.0 * t, 50.0) + account
        pi += ((1.0 - counted / 365.0 / 10.0) ** (-1.0 / p.exponent) - pi) / p.adjustment_days
        jp += ((1.0 - w * 10.0 * t / 365.0 / 10.0) ** (-1.0 / p.exponent) - jp) / p.adjustment_days
        expected.append(pi)
        expected_jp.append(jp)
    np.testing.assert_allclose(_index(res, "US"), expected, rtol=1e-12)
    np.testing.assert_allclose(_index(res, "JP"), expected_jp, rtol=1e-12)
    assert _index(res, "JP").max() < _index(res, "US").max()


def test_engines_agree_with_working_days() -> None:
    sc = Scenario(_two_buyers(), horizon_days=60, price_feedback=True,
                  shocks=(CapacityShock(start=5, end=25, fraction_lost=0.6, facility="TW.fab"),))
    assert_engines_agree(simulate(sc, engine="vector"), simulate(sc, engine="des"))
