"""Demand given up to prices counts in value added lost (docs/model.md §8.3, #given-up).

With price feedback a final demand is its demand at the reference price times its response,
``D = D0 Psi F``; the users hold their inputs in near-fixed proportions, so the demand they give up,
``G = D (1 / (Psi F) - 1)``, is output they do not make but for the share ``1 - phi`` they thrift, which
they need no more: ``s = 1 - min(1, Y / (D + phi G))``. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import supplychain as sc
from supplychain.compile.compiler import compile_scenario
from supplychain.impact import load_io_table
from supplychain.impact.given_up import PriceResponse, given_up_series
from supplychain.impact.loss import InputMap, Shortfalls, value_added_loss

from .test_impact import _toy


@pytest.mark.parametrize("phi, delivered, expected", [
    # D = 8 asked at the higher price, G = 2 given up (Psi = 0.8), need 10 at the reference price.
    # phi = 1, all 8 delivered: s = 1 - 8 / 10 = 0.2; Y and Z (rank 1, use 0.3 + 0.2 = 0.5) absorb it,
    # each short 0.2 / 0.5 = 0.4: kappa_Y = 1 - 0.5 x 0.4 = 0.8, kappa_Z = 1 - 1 x 0.4 = 0.6, X (rank 3) whole.
    (1.0, 8.0, [1.0, 0.8, 0.6]),
    # phi = 0.5: half of G is thrifted and needed no more, s = 1 - 8 / 9 = 1 / 9, Y and Z short 2 / 9:
    # kappa_Y = 1 - 0.5 x 2 / 9 = 8 / 9, kappa_Z = 7 / 9.
    (0.5, 8.0, [1.0, 8.0 / 9.0, 7.0 / 9.0]),
    # phi = 0: all of G thrifted, s = 1 - 8 / 8 = 0: nothing lost.
    (0.0, 8.0, [1.0, 1.0, 1.0]),
    # phi = 1 and only 6 of the 8 delivered: s = 1 - 6 / 10 = 0.4, Y and Z short 0.8: 0.6 and 0.2.
    (1.0, 6.0, [1.0, 0.6, 0.2]),
])
def test_demand_given_up_counts_like_a_shortfall_of_its_output_share(phi, delivered, expected):
    net, table = _toy()
    imap = InputMap.build(net, dataclasses.replace(table, price_output_share=phi))
    short = Shortfalls(imap, n_runs=1)
    cap = short.capacity(np.array([[8.0, 1.0]]), np.array([[delivered, 1.0]]), np.array([[2.0, 5.0]]))
    assert np.allclose(cap[0], expected)


def test_nothing_given_up_is_the_shortfall_of_demand_and_delivered_bit_for_bit():
    net, table = _toy()
    imap = InputMap.build(net, table)
    d, y = np.array([[10.0 / 3.0, 1.0]]), np.array([[2.0 / 7.0, 1.0]])
    a, b = Shortfalls(imap, 1, window=3), Shortfalls(imap, 1, window=3)
    for _ in range(4):
        assert np.array_equal(a.capacity(d, y), b.capacity(d, y, np.zeros((1, 2))))


def test_the_shipped_table_counts_all_of_it_and_refuses_a_share_outside_0_1():
    import tomllib

    from supplychain.impact.table import parse_io_table

    from .test_impact import TABLE_FILE
    data = tomllib.loads(TABLE_FILE.read_text())
    assert parse_io_table(data).price_output_share == 1.0
    assert "Open-File Report 2024-1057" in data["parameters"]["price_output_share"]["source"]
    data["parameters"]["price_output_share"] = {"value": 1.5, "source": "test"}
    with pytest.raises(ValueError, match=r"price_output_share: expected a share in \[0, 1\], got 1.5"):
        parse_io_table(data)


def test_the_price_response_is_the_engines_demand_destruction():
    # A market at twice its reference price: its demands ask for D = D0 2 ** beta (beta = -0.05 for chips,
    # -0.15 for minerals), so they gave up G = D (2 ** -beta - 1). A market below its reference gives up nothing.
    scenario = sc.load_baseline(horizon_days=5).replace(price_feedback=True)
    c = compile_scenario(scenario)
    pr = PriceResponse(c)
    net = scenario.network
    chip = next(i for i, d in enumerate(net.demands) if d.commodity == "logic_chip")
    mineral = next(i for i, d in enumerate(net.demands) if d.commodity == "gallium")
    price = np.array([pr.stock_price.copy()])
    price[0, pr.demand_stock[chip]] *= 2.0
    price[0, pr.demand_stock[mineral]] *= 0.5
    demand = np.full((1, len(net.demands)), 3.0)
    given = pr.given_up(0, demand, price)
    assert given[0, chip] == pytest.approx(3.0 * (2.0 ** 0.05 - 1.0), rel=1e-12)
    assert given[0, mineral] == 0.0
    others = np.ones(len(net.demands), dtype=bool)
    others[[chip] + [i for i in range(len(net.demands)) if pr.demand_stock[i] == pr.demand_stock[chip]]] = False
    assert np.abs(given[0, others]).max() == 0.0
    assert PriceResponse(compile_scenario(scenario.replace(price_feedback=False))).given_up(0, demand, price) is None


def test_demand_given_up_to_a_tariff_is_read_from_its_own_schedule():
    # Tariff.demand_elasticity (docs/model.md §6.4.4) scales demand by F = P ** -eps without price feedback;
    # the schedule keeps F apart from demand shocks, and G = D (1 / F - 1).
    base = sc.load_baseline(horizon_days=5)
    tariff = sc.Tariff(importer="US", exporter="CN", commodity="ndfeb_magnet", rate=1.0, start=0,
                       demand_elasticity=0.5)
    c0, c1 = compile_scenario(base), compile_scenario(base.with_shocks(tariff))
    f = c1.schedules.extras["tariff_demand"]
    ratio = np.asarray(c1.schedules.demand_factor) / np.asarray(c0.schedules.demand_factor)
    assert np.allclose(f[-1], ratio[-1], rtol=1e-12) and f.min() < 1.0
    demand = np.ones((1, c1.n_demands))
    given = PriceResponse(c1).given_up(4, demand, None)
    assert np.allclose(given[0], 1.0 / f[-1] - 1.0, rtol=1e-12)
    assert PriceResponse(c0).given_up(4, demand, None) is None


@pytest.fixture(scope="module")
def flagship_feedback():
    """README's flagship on 130 days with price feedback: chips and magnets short and dearer."""
    return sc.load_example("taiwan_blockade_magnets").with_horizon(130).replace(price_feedback=True)


def test_value_added_lost_counts_the_demand_given_up(flagship_feedback):
    res = sc.simulate(flagship_feedback, engine="vector", seed=3)
    given = given_up_series(res.scenario, res.demand, res.arrays["price"])
    assert given is not None and given.sum() > 0
    counted = res.value_added_loss().total.sum()
    unpriced = value_added_loss(res.demand, res.delivered, res.scenario.network, scenario=res.scenario).total.sum()
    assert counted > unpriced > 1e9
    # phi = 0 (all thrifted, needed no more) gives back the loss of demand and delivered alone.
    thrifted = dataclasses.replace(load_io_table(), price_output_share=0.0)
    assert res.value_added_loss(table=thrifted).total.sum() == pytest.approx(unpriced, rel=1e-9)


def test_summaries_of_both_engines_count_it_as_the_daily_results_do(flagship_feedback):
    series = sc.simulate(flagship_feedback, engine="vector", seed=3).value_added_loss().total
    vector = sc.simulate(flagship_feedback, engine="vector", seed=3, keep="summary").value_added_loss
    des = sc.simulate(flagship_feedback, engine="des", seed=3, keep="summary").value_added_loss
    assert np.allclose(vector, series, rtol=1e-9) and np.allclose(des, series, rtol=1e-9)
    daily_des = sc.simulate(flagship_feedback, engine="des", seed=3).value_added_loss().total
    assert np.allclose(daily_des, series, rtol=1e-9)


def test_a_tariff_that_makes_users_give_up_chips_costs_value_added_without_price_feedback():
    # A 100 % duty on China's mature-node chips into the US with demand_elasticity 0.5 (§6.4.4): US buyers
    # give up chips to the duty, so the US industries that need them make less; without the demand response
    # the duty moves sourcing only and nothing is short.
    base = sc.load_baseline(horizon_days=60)
    duty = dict(importer="US", exporter="CN", commodity="mature_chip", rate=1.0, start=0)
    b = sc.simulate(base, engine="vector", seed=1)
    given = sc.simulate(base.with_shocks(sc.Tariff(**duty, demand_elasticity=0.5)), engine="vector", seed=1)
    kept = sc.simulate(base.with_shocks(sc.Tariff(**duty)), engine="vector", seed=1)
    lost = given.value_added_loss().total[0] - b.value_added_loss().total[0]
    us = given.value_added_loss().regions.index("US")
    # They give up a tenth of their mature-node chips (the duty-inclusive CES index of their lanes, ** -0.5):
    # the US loses most; its suppliers abroad lose the inputs it no longer buys.
    assert lost[us].sum() > 0.8 * lost.sum() > 1e9
    assert float(np.abs(kept.value_added_loss().total).max()) == 0.0


def test_loss_given_shortfall_divides_by_what_was_given_up_too():
    """With feedback on, value added lost counts demand given up, so the ratio's divisor holds it as well."""
    import pandas as pd

    from supplychain.cli.impact_text import format_value_added

    frame = pd.DataFrame({"region": ["JP", "JP"], "sector": ["C26", "OTH"], "value_added_loss_usd": [1.5e8, 2.2e7]})
    frame.attrs.update(shortfall_usd=1.37e5, given_up_usd=1.53e7, net_of_baseline=True)
    text = format_value_added(frame)
    assert f"{1.72e8 / (1.37e5 + 1.53e7):.1f} USD of value added per USD" in text
    assert "($137k not delivered, $15.3M given up)" in text
    frame.attrs.update(given_up_usd=None)
    assert (f"{1.72e8 / 1.37e5:.1f} USD of value added per USD of the chips, cells, magnets, germanium and "
            "gallium the industries buy not delivered ($137k)") in format_value_added(frame)
    frame.attrs.update(shortfall_by_commodity={"gallium": 1.0e5, "germanium": 3.7e4})
    assert "per USD of gallium and germanium not delivered ($137k: gallium $100k, germanium $37.0k)" \
        in format_value_added(frame)
