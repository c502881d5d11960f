"""The fabs' utilisation term (docs/model.md §5.9, utilisation): a market whose fabs run above their normal
utilisation prices their output at ``(u / u_ref) ** nu``; calibrated on 2021 (2019's 88.5 % to full, +20 %).
Below the normal utilisation the term is 1, and markets without fabs (or whose fabs ran full at the start)
are unchanged."""

from __future__ import annotations

import math

import numpy as np
import pytest

from supplychain import simulate
from supplychain.compile.compiler import compile_scenario
from supplychain.model import (
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    DemandShock,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.model.prices import (
    CHIP_PRICE_RISE_2021,
    CHIP_UTILISATION_2019,
    CHIP_UTILISATION_EXPONENT,
    UTILISATION_STAGES,
    PriceParams,
    price_params,
    utilisation_premium,
)

from .conftest import assert_engines_agree


def _market(capacity: float = 100.0, stage: str = "fab", chain: str = "semiconductors") -> Network:
    """A TW fab (normal flow 80 a day, 2 days of output stock) sells all it makes to a US buyer holding 40
    days: TW's chip market has the fab alone, so its gap is 0 while the fab makes what it is asked."""
    return Network(
        regions=(Region("TW"), Region("US")),
        commodities=(Commodity("chip", "unit", 10.0, chain=chain),),
        facilities=(Facility("TW.fab", "TW", stage, "chip", capacity, policies={"chip": DaysOfCover(2.0)}),),
        lanes=(Lane("TW.fab", "US.chip", "chip", lead_time=Fixed(1.0)),),
        demands=(Demand("US.chip", "US", "chip", 80.0, initial_inventory=3200.0, policy=DaysOfCover(40.0)),),
    )


def _tw(res) -> np.ndarray:  # type: ignore[no-untyped-def]
    coords = res.coords
    col = {(r, k): i for i, (r, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"]))}
    out: np.ndarray = res.arrays["price"][0, :, col[("TW", "chip")]] / 10.0
    return out


def test_the_exponent_is_the_2021_calibration() -> None:
    # 2019's utilisation (UMC, 88.5 %) to full while mature foundry prices rose 20 %.
    p = price_params("semiconductors")
    assert p.utilisation_exponent == CHIP_UTILISATION_EXPONENT
    assert (1.0 / CHIP_UTILISATION_2019) ** CHIP_UTILISATION_EXPONENT == pytest.approx(1.0 + CHIP_PRICE_RISE_2021)
    assert round(CHIP_UTILISATION_EXPONENT, 2) == 1.49
    assert all(price_params(c).utilisation_exponent == 0.0 for c in ("minerals", "batteries", "toys"))
    assert UTILISATION_STAGES == {"fab", "fab_new"}
    assert utilisation_premium(0.5, 0.8, 1.5) == 1.0 and utilisation_premium(0.8, 0.8, 1.5) == 1.0
    with pytest.raises(ValueError, match="utilisation_exponent must be in \\[0, 100\\]; got -1"):
        PriceParams(-0.1, 0.1, 30.0, 0.5, 5.0, utilisation_exponent=-1.0)


def test_the_compiled_normal_utilisation() -> None:
    spec = compile_scenario(Scenario(_market(), horizon_days=5)).schedules.extras["prices"]
    m = spec.labels.index(("chip", "TW"))
    assert spec.util_seller.tolist() == [True]
    # The fab's own normal is 80 / 100 = 0.80, idler than 2019's fabs, whose prices were the reference: 0.885.
    assert spec.util_ref[m] == CHIP_UTILISATION_2019 and spec.util_exponent[m] == CHIP_UTILISATION_EXPONENT
    # A fab whose normal is fuller than 2019's keeps its own: 80 / 85.
    full = compile_scenario(Scenario(_market(capacity=85.0), horizon_days=5)).schedules.extras["prices"]
    assert full.util_ref[m] == pytest.approx(80.0 / 85.0)
    # A stage that does not price by utilisation, or another chain, compiles no term.
    for net in (_market(stage="packaging"), _market(chain="minerals")):
        assert compile_scenario(Scenario(net, horizon_days=5)).schedules.extras["prices"].util_seller is None


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_fab_running_fuller_prices_along_its_supply(engine) -> None:
    # Demand +20 % for good: the fab ships 96 a day of its 100, utilisation 0.96 over its reference 0.885
    # (2019's; its own normal, 0.80, is idler). Its own market (the fab alone, never asked beyond capacity)
    # has no gap, so the target is the utilisation term alone, (0.96 / 0.885) ** nu, and the price closes
    # 1/60 of its distance to it each day.
    sc = Scenario(_market(), horizon_days=700,
                  shocks=(DemandShock(region="US", commodity="chip", factor=1.2, start=0),))
    tw = _tw(simulate(sc, engine=engine))
    target = (0.96 / CHIP_UTILISATION_2019) ** CHIP_UTILISATION_EXPONENT
    assert tw[-1] == pytest.approx(target, abs=1e-4)
    assert (tw <= target + 1e-9).all()
    # Once the throughput is steady (88 a day within 1e-6) the gap to the target shrinks by 59/60 a day.
    gap = target - tw[500:]
    np.testing.assert_allclose(gap[1:] / gap[:-1], 1.0 - 1.0 / 60.0, rtol=1e-3)


@pytest.mark.parametrize("engine", ["vector", "des"])
@pytest.mark.parametrize("factor", [0.8, 1.1])
def test_running_below_the_reference_does_not_move_the_price(engine, factor) -> None:
    # 0.8: below the fab's own normal; 1.1: 0.88, above its normal 0.80 but below 2019's 0.885.
    sc = Scenario(_market(), horizon_days=200,
                  shocks=(DemandShock(region="US", commodity="chip", factor=factor, start=0),))
    assert (_tw(simulate(sc, engine=engine)) == 1.0).all()


def test_a_fab_full_at_the_start_has_no_term() -> None:
    # Capacity = normal flow: the utilisation cannot rise above normal, the price is what the other terms give.
    import supplychain.model.prices as mp
    sc = Scenario(_market(capacity=80.0), horizon_days=90,
                  shocks=(DemandShock(region="US", commodity="chip", factor=1.1, start=0),))
    params = mp.PRICE_DEFAULTS["semiconductors"]
    res = simulate(sc, engine="vector")
    try:
        mp.PRICE_DEFAULTS["semiconductors"] = PriceParams(**{**params.__dict__, "utilisation_exponent": 0.0})
        res0 = simulate(sc, engine="vector")
    finally:
        mp.PRICE_DEFAULTS["semiconductors"] = params
    np.testing.assert_array_equal(res.arrays["price"], res0.arrays["price"])


def test_a_stopped_fab_has_no_utilisation() -> None:
    # No capacity today: no utilisation to read (the rate shortfall prices the stop).
    import supplychain.model.prices as mp
    sc = Scenario(_market(), horizon_days=60,
                  shocks=(CapacityShock(start=10, end=30, fraction_lost=1.0, facility="TW.fab", recovery_days=0),))
    params = mp.PRICE_DEFAULTS["semiconductors"]
    res = simulate(sc, engine="vector")
    try:
        mp.PRICE_DEFAULTS["semiconductors"] = PriceParams(**{**params.__dict__, "utilisation_exponent": 0.0})
        res0 = simulate(sc, engine="vector")
    finally:
        mp.PRICE_DEFAULTS["semiconductors"] = params
    tw, tw0 = _tw(res), _tw(res0)
    np.testing.assert_array_equal(tw[:31], tw0[:31])
    assert tw.max() >= tw0.max()
    np.testing.assert_array_equal(res.arrays["delivered"], res0.arrays["delivered"])  # prices move no goods


def test_engines_agree_with_the_utilisation_term() -> None:
    # Demand rises, then half the fab goes for 40 days: utilisation from normal to full (throughput above
    # the day's capacity counts as full), price feedback on.
    sc = Scenario(_market(), horizon_days=150, price_feedback=True,
                  shocks=(DemandShock(region="US", commodity="chip", factor=1.15, start=0),
                          CapacityShock(start=60, end=100, fraction_lost=0.5, facility="TW.fab")))
    vector, des = simulate(sc, engine="vector"), simulate(sc, engine="des")
    assert_engines_agree(vector, des)
    assert _tw(vector).max() > 1.1 ** (CHIP_UTILISATION_EXPONENT / 2)
    assert math.isfinite(_tw(des).max())
