"""Prices pinned at their cap or floor are flagged (docs/model.md §5.9): metrics, who_pays and the CLI."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from supplychain import simulate
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.errors import SimulationWarning
from supplychain.metrics import prices_at_bounds, who_pays
from supplychain.model import CapacityShock, Scenario, StockpileRelease

# The only mine stops for good; the US buyer's 200 days of stock run down, and once it lacks a third of a
# year's flow (day 5 + 1/3 x 365) the minerals' clearing price passes the 5x cap.
BAN = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")
NETWORK = single_source_network(stock=2000.0)
# A reserve of 500 days of the Korean plant's flow released into its stock: a glut, the index at its floor.
GLUT = StockpileRelease(start=5, region="KR", commodity="ore", reserve=5000.0, release_below_cover_days=400.0)


@pytest.fixture(scope="module")
def saturated():
    return simulate(Scenario(NETWORK, horizon_days=200, name="toy ban", shocks=(BAN,)), engine="vector")


@pytest.fixture(scope="module")
def glut():
    return simulate(Scenario(toy_network(), horizon_days=200, name="toy glut", shocks=(GLUT,)), engine="vector")


def _index(res, commodity, region):
    stocks = [i for i, (k, n) in enumerate(zip(res.coords.commodity["stock"], res.coords.region["stock"]))
              if k == commodity and n == region]
    ref = {c.id: c.price_usd for c in res.scenario.network.commodities}[commodity]
    return res.arrays["price"][0, :, stocks[0]] / ref


def test_days_at_the_bound_count_the_days_the_index_sat_there(saturated, glut):
    table = prices_at_bounds(saturated).set_index(["commodity", "region", "bound"])
    us = _index(saturated, "ore", "US")
    # The importer's price runs into the 5x cap; a glut of released stock sends Korea's to the 0.5 floor.
    assert table.loc[("ore", "US", "cap"), "days_at_bound"] == np.sum(us >= 5.0 * 0.99) > 30
    assert table.loc[("ore", "US", "cap"), "first_day"] == np.flatnonzero(us >= 4.95)[0]
    floor = prices_at_bounds(glut).set_index(["commodity", "region", "bound"])
    kr = _index(glut, "ore", "KR")
    assert floor.loc[("ore", "KR", "floor"), "days_at_bound"] == np.sum(kr <= 0.5 * 1.01) > 100
    assert floor.loc[("ore", "KR", "floor"), "extreme_index"] == pytest.approx(0.5)
    assert us.max() <= 5.0 and kr.min() >= 0.5


def test_the_two_engines_agree_on_the_days_at_bound(saturated, glut):
    for res in (saturated, glut):
        assert prices_at_bounds(simulate(res.scenario, engine="des")).equals(prices_at_bounds(res))


def test_no_bound_without_a_saturating_shock():
    assert prices_at_bounds(simulate(Scenario(toy_network(), horizon_days=60), engine="vector")).empty
    with pytest.raises(ValueError, match="tolerance"):
        prices_at_bounds(simulate(Scenario(toy_network(), horizon_days=5)), tolerance=1.5)


def test_who_pays_warns_that_price_figures_are_bounds(saturated):
    with pytest.warns(SimulationWarning, match=r"who_pays: .*ore in US at the 5x cap for 40 days.*bounds of a "
                                               r"saturated reduced form"):
        who_pays(saturated)
    short = simulate(Scenario(NETWORK, horizon_days=60, shocks=(BAN,)), engine="vector")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        who_pays(short)  # not yet at a bound: no warning


def test_cli_run_names_pinned_prices_feedback_and_demand_given_up(tmp_path, capsys):
    from supplychain.cli.app import main
    from supplychain.io.scenario import save_scenario
    sc = Scenario(NETWORK, horizon_days=200, name="toy ban", shocks=(BAN,), price_feedback=True)
    assert "price feedback on" in repr(sc) and "price feedback" not in repr(sc.replace(price_feedback=False))
    path = save_scenario(sc, tmp_path / "ban.toml")
    assert main(["run", str(path), "--quiet", "--engine", "vector"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("200 days from 2025-01-01, price feedback: on")
    pinned = [line for line in out.splitlines() if line.startswith("Prices pinned at a bound")]
    assert len(pinned) == 1 and "ore in US at the 5x cap" in pinned[0]
    res = simulate(sc, engine="vector")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SimulationWarning)
        given_up = who_pays(res)["demand_destroyed_usd"].sum()
        # run prints the change against its unshocked baseline (here the toy's stock runs down with or
        # without the mine's loss, so the baseline gives up as much)
        change = who_pays(res, baseline=simulate(sc.without_shocks(), engine="vector"))["demand_destroyed_usd"].sum()
    assert given_up > 0 and change == 0.0
    from supplychain._format import format_usd
    assert f"Demand given up to higher prices: {format_usd(change)} (at reference prices" in out
    path = save_scenario(sc.replace(price_feedback=False, horizon_days=30), tmp_path / "calm.toml")
    assert main(["run", str(path), "--quiet", "--engine", "vector"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("price feedback: off (--price-feedback turns it on)")
    assert "Demand given up" not in out and "Prices pinned" not in out


def test_cli_run_out_says_it_once_not_again_as_a_warning(tmp_path, capsys):
    from supplychain.cli.app import main
    from supplychain.io.scenario import save_scenario
    path = save_scenario(Scenario(NETWORK, horizon_days=200, name="toy ban", shocks=(BAN,)), tmp_path / "b.toml")
    assert main(["run", str(path), "--quiet", "--engine", "vector", "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert out.count("Prices pinned at a bound") == 1 and "who_pays" not in err
    assert (tmp_path / "out" / "prices.png").exists()
