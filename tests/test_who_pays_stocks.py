"""Who pays (docs/model.md §8.2): producers' margins count the inputs used, not bought, and an export control
earns a licence rent only while it holds exports back."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

from supplychain import simulate
from supplychain.analytics._toy import toy_scenario
from supplychain.cli.price_text import FEEDBACK_OFF_NOTE, PRODUCERS_NOTE, format_who_pays
from supplychain.compile.compiler import compile_scenario
from supplychain.errors import SimulationWarning, UnknownIdError
from supplychain.metrics import who_pays
from supplychain.metrics.incidence import binding_controls, paid_price_index
from supplychain.model import CapacityShock, ExportControl, Fixed


def _quiet(sc, engine="vector"):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SimulationWarning)
        return simulate(sc, engine=engine, seed=0)


def _output_net_of_inputs(res) -> pd.Series:  # type: ignore[no-untyped-def]
    """Per region, USD: production x (output's reference price - recipe x inputs' reference prices), summed."""
    c = compile_scenario(res.scenario)
    price = {k.id: k.price_usd for k in res.scenario.network.commodities}
    stock_price = np.array([price[k] for k in res.coords.commodity["stock"]] + [0.0])   # the padding stock: 0
    inputs = (c.recipe_ratio * stock_price[np.minimum(c.recipe_stock, len(stock_price) - 1)]).sum(axis=1)
    unit = stock_price[c.out_stock] - inputs
    made = res.production[0].sum(axis=0)
    return pd.Series(made * unit, index=list(res.coords.region["facility"])).groupby(level=0).sum()


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_plant_that_draws_its_input_stock_saves_nothing(engine: str) -> None:
    # CN's mine (70 % of KR's ore) stops on days 5-14 of 40. KR's cell plant draws its ore stock and makes and
    # sells every cell: it buys 77.8 t of ore ($100/t) less and ends with 77.8 t less ore, so its output net of
    # the inputs it used does not move. Counted on inputs bought (before 4 Dec 2026) the $7,780 not spent was a
    # gain; now the stock it drew pays for it. ROW's mine sold 15 t more from its output stock, made no more.
    sc = toy_scenario(40)
    base = _quiet(sc, engine)
    res = _quiet(sc.with_shocks(CapacityShock(facility="CN.mine", fraction_lost=1.0, start=5, end=15)), engine)
    t = who_pays(res, baseline=base)
    kr = t.loc["KR"]
    assert kr["sales_lost_usd"] == pytest.approx(0.0, abs=1e-6)
    bought_less = (base.flow[0, :, :2].sum() - res.flow[0, :, :2].sum()) * 100.0      # the two ore lanes into KR
    held_less = (base.inventory[0, -1, 2] - res.inventory[0, -1, 2]) * 100.0           # KR.cells:ore on hand
    assert bought_less == pytest.approx(7780.0) and held_less == pytest.approx(7780.0)
    assert kr["sales_lost_net_of_inputs_usd"] == pytest.approx(-bought_less)
    assert kr["producer_stock_drawn_usd"] == pytest.approx(held_less)
    assert kr["output_lost_net_of_inputs_used_usd"] == pytest.approx(0.0, abs=1e-6)
    assert kr["producer_margin_change_usd"] == pytest.approx(kr["scarcity_rent_net_of_inputs_usd"], abs=1e-6)
    assert t.loc["ROW", "sales_lost_usd"] == pytest.approx(-1500.0)
    assert t.loc["ROW", "output_lost_net_of_inputs_used_usd"] == pytest.approx(0.0, abs=1e-6)
    # Oracle for every region: the output lost net of inputs used is the fall in production x unit margin at
    # reference prices (CN: 127.8 t of ore not mined, $100 each, no inputs).
    lost = _output_net_of_inputs(base) - _output_net_of_inputs(res)
    assert lost["CN"] == pytest.approx(12780.0)
    np.testing.assert_allclose(t["output_lost_net_of_inputs_used_usd"], lost.reindex(t.index, fill_value=0.0),
                               atol=1e-6)
    np.testing.assert_allclose(t["producer_margin_change_usd"],
                               t["scarcity_rent_net_of_inputs_usd"] - t["output_lost_net_of_inputs_used_usd"])
    text = format_who_pays(t)
    assert "stock change" in text and PRODUCERS_NOTE in text and FEEDBACK_OFF_NOTE in text


def _licence(approval: float, **extra: object):  # type: ignore[no-untyped-def]
    return ExportControl(exporter="CN", commodity="ore", mode="licence", approval_probability=approval, start=5,
                         processing_delay=Fixed(10.0), **extra)


def test_a_licence_everyone_gets_earns_no_rent_and_one_that_denies_does() -> None:
    # With every application approved the licence only delays: buyers pay the exporter's own index and CN's rent
    # is its price change on what it sold, sum x p (pi_CN - 1). Denying half holds volume back: the lane then
    # charges the export offer, max(pi_CN, pi_KR), from day 5.
    sc = dataclasses.replace(toy_scenario(60), price_feedback=True)
    for approval, binds in ((1.0, False), (0.5, True)):
        res = _quiet(sc.with_shocks(_licence(approval)))
        c = compile_scenario(res.scenario)
        index = res.values("price")[0] / np.asarray(c.schedules.extras["prices"].stock_price)
        origin, buyer = index[:, c.lane_src_stock[0]], index[:, 2]                     # CN.mine:ore, KR.cells:ore
        assert bool(binding_controls(res)[0, 5:, 0].all()) is binds and not binding_controls(res)[0, :5].any()
        expected = np.maximum(origin, buyer) if binds else origin
        expected[:5] = origin[:5]
        np.testing.assert_allclose(paid_price_index(res)[0, :, 0], expected)
        rent = (res.flow[0, :, 0] * 100.0 * (expected - 1.0)).sum()
        assert who_pays(res).loc["CN", "scarcity_rent_usd"] == pytest.approx(rent)
        assert (buyer[20:] > origin[20:] + 1e-3).any()                                 # a wedge to be earned


def test_a_quota_earns_a_rent_only_in_the_periods_it_fills() -> None:
    # CN ships 7 t a day to KR normally (70 t per 10 days). A quota of 50 t per 10 days fills every period (the last,
    # days 35-39, too: buyers' orders wait for it); one of 1,000 t none.
    sc = toy_scenario(40)
    quota = dict(exporter="CN", commodity="ore", mode="quota", start=5, period_days=10)
    tight = binding_controls(_quiet(sc.with_shocks(ExportControl(quota_per_period=50.0, **quota))))
    loose = binding_controls(_quiet(sc.with_shocks(ExportControl(quota_per_period=1000.0, **quota))))
    assert tight[0, 5:, 0].all() and not tight[0, :5].any() and not tight[0, :, 1:].any()
    assert not loose.any()


def test_who_pays_carries_the_record_and_plot_prices_names_a_region_without_a_market() -> None:
    from supplychain.plotting import plot_prices
    sc = toy_scenario(10).replace(against_record="Prices fell (Source, 2024).")
    res = _quiet(sc)
    t = who_pays(res)
    assert t.attrs["price_feedback"] is False and t.attrs["against_record"] == "Prices fell (Source, 2024)."
    assert format_who_pays(t).endswith("Against the record: Prices fell (Source, 2024).")
    assert FEEDBACK_OFF_NOTE not in format_who_pays(who_pays(_quiet(sc.replace(price_feedback=True))))
    with pytest.raises(UnknownIdError, match=r"region 'US' has no market for ore .* CN, KR, ROW\."):
        plot_prices(res, "ore", regions=["US"])
    with pytest.raises(UnknownIdError, match="not a known id"):
        plot_prices(res, "ore", regions=["XX"])
