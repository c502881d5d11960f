"""How prices and who pays are shown: plot_prices' arguments, gains named as gains, final buyers' cost split."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from supplychain import simulate
from supplychain._format import format_usd
from supplychain.analytics._toy import toy_scenario
from supplychain.cli.price_text import _who_pays_lines
from supplychain.errors import UnknownIdError, ValidationError
from supplychain.metrics import who_pays
from supplychain.metrics.incidence import WHO_PAYS_MEASURES
from supplychain.model import ExportControl, Tariff

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def ban():
    return simulate(toy_scenario(60).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban",
                                                               start=10)), engine="vector", seed=0)


@pytest.mark.parametrize("band, why", [((95, 5), r"\(95, 5\)"), ((5, 150), r"\(5, 150\)"), ((5,), r"\(5,\)"),
                                       ("wide", "'wide'")])
def test_plot_prices_refuses_a_reversed_or_bad_band_naming_the_argument(ban, band, why):
    from supplychain.plotting import plot_prices
    with pytest.raises(ValidationError, match=rf"^band must be .*e\.g\. \(5, 95\); got {why} for plot_prices\."):
        plot_prices(ban, "ore", band=band)


def test_plot_prices_names_itself_not_an_internal_helper_for_unknown_ids(ban):
    from supplychain.plotting import plot_prices
    with pytest.raises(UnknownIdError, match=r"commodity 'oer' for plot_prices is not a known id\. Did you mean 'ore'"):
        plot_prices(ban, "oer")
    with pytest.raises(UnknownIdError, match=r"region 'XX' for plot_prices .* Known: CN, KR, ROW\."):
        plot_prices(ban, "ore", regions="XX")


def _table(destroyed, rent, final=(0.0, 0.0, 0.0), intermediate=(0.0, 0.0, 0.0), every=None):
    table = pd.DataFrame(0.0, index=pd.Index(["CN", "TW", "US"], name="region"), columns=list(WHO_PAYS_MEASURES))
    table["demand_destroyed_usd"], table["scarcity_rent_usd"] = destroyed, rent
    table["final_buyer_cost_increase_usd"], table["intermediate_buyer_cost_increase_usd"] = final, intermediate
    table["buyer_cost_increase_usd"] = np.add(final, intermediate) if every is None else every
    return table


def _bars(ax):
    labels = [t.get_text() for t in ax.get_xticklabels()]
    return labels, [p.get_height() for p in ax.patches]


def test_waterfall_names_demand_added_by_lower_prices_as_a_gain(ban, monkeypatch):
    from supplychain.plotting import prices
    table = _table([5e6, -3.2e6, 1e6], [0.0, 0.0, 0.0])
    monkeypatch.setattr(prices, "who_pays_for", lambda call, results, *args: table)
    labels, heights = _bars(prices.plot_who_pays(ban))
    heights = dict(zip(labels, heights))
    # 6 M USD given up where prices rose; 3.2 M USD more bought where they fell, a gain that lowers the total.
    assert heights["demand given up to higher prices"] == pytest.approx(6e6)
    assert heights["demand added by lower prices"] == pytest.approx(-3.2e6)
    assert heights["final buyers' total"] == pytest.approx(2.8e6)
    assert "demand given up to prices" not in labels


def test_waterfall_splits_final_buyers_cost_by_hand_counting_no_input_twice(ban, monkeypatch):
    # CN mines sell ore to TW fabs for 3 M more (intermediate); TW sells chips to US buyers for 10 M more, of
    # which 4 M is the added duty on the chips at US customs. Gross rents CN 3, TW 6: TW keeps 6 - 3 = 3.
    from supplychain.plotting import prices
    table = _table([0.0, 0.0, 0.0], [3e6, 6e6, 0.0], final=[0.0, 0.0, 10e6], intermediate=[0.0, 3e6, 0.0])
    monkeypatch.setattr(prices, "who_pays_for", lambda call, results, *args: table)
    labels, heights = _bars(prices.plot_who_pays(ban))
    assert labels[:4] == ["CN rents net of inputs", "TW rents net of inputs",
                          "tariffs collected (100% borne by importers, GSIM)", "paid by final buyers"]
    assert heights[:4] == pytest.approx([3e6, 3e6, 4e6, 10e6])   # not the every-lane 13 M, nor gross rents 9 M


def _flagship(*tariffs):
    """120 days of the shipped Taiwan blockade with scarcity prices, one run: input prices move along the chain."""
    from supplychain.cli.arguments import resolve_scenario
    sc = resolve_scenario("taiwan_blockade_magnets").replace(price_feedback=True, horizon_days=120)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = simulate(sc.with_shocks(*tariffs) if tariffs else sc, engine="vector", seed=0)
        return results, who_pays(results)


@pytest.fixture(scope="module")
def tariffed():
    """US duties on Chinese wafers (an input of US fabs) and on Taiwanese chips (to final buyers)."""
    return _flagship(Tariff(importer="US", commodity="mature_wafer", exporter="CN", rate=0.5, start=5),
                     Tariff(importer="US", commodity="mature_chip", exporter="TW", rate=0.25, start=5))


def test_waterfall_bars_add_up_to_final_buyers_cost_and_total_with_tariffs(tariffed):
    from supplychain.plotting import plot_who_pays
    results, who = tariffed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels, heights = _bars(plot_who_pays(results))
    paid = labels.index("paid by final buyers")
    final = float(who["final_buyer_cost_increase_usd"].sum())
    # The case is not trivial: US producers paid more for inputs (the duty on Chinese wafers), and customs
    # collected duty on both lanes. (Elsewhere prices fell where Taiwan's blockade and China's magnet ban left
    # mineral sellers without buyers, so final buyers over all regions pay less.)
    assert who.loc["US", "intermediate_buyer_cost_increase_usd"] > 0.01 * abs(final) > 0
    assert who.loc["US", "tariff_paid_usd"] > 1e6
    assert any(label.startswith("tariffs collected") for label in labels[:paid])
    assert sum(heights[:paid]) == pytest.approx(final, rel=1e-9)
    assert heights[paid] == pytest.approx(final, rel=1e-9)
    assert final != pytest.approx(float(who["buyer_cost_increase_usd"].sum()), rel=1e-3)
    total = final + float(who["deliveries_lost_usd"].sum() + who["demand_destroyed_usd"].sum())
    assert labels[-1] == "final buyers' total" and heights[-1] == pytest.approx(total, rel=1e-9)
    assert sum(heights[:paid]) + sum(heights[paid + 1:-1]) == pytest.approx(total, rel=1e-9)


def test_without_tariffs_regions_keep_their_rents_net_of_inputs():
    from supplychain.plotting.prices import final_buyer_steps
    _, who = _flagship()
    steps, tariffs = final_buyer_steps(who)
    net = who["scarcity_rent_net_of_inputs_usd"]
    assert abs(who["intermediate_buyer_cost_increase_usd"].sum()) > 5e6   # prices moved upstream
    assert tariffs == pytest.approx(0.0, abs=1e-3) and len(steps) >= 2
    assert dict(steps) == pytest.approx({r: float(v) for r, v in net.items() if abs(v) >= 0.5}, rel=1e-9)


def test_cli_lines_never_print_a_negative_destruction_and_say_who_gets_what_final_buyers_paid():
    lines = _who_pays_lines(_table([2e9, -3.2e6, 0.0], [5e9, 4e9, -2e6], final=[0.0, 1e9, 5e9],
                                   intermediate=[0.0, 3e9, 0.0]))
    assert lines[0].startswith("Demand given up to higher prices: $2.00bn; demand added by lower prices: $3.20M, "
                               "in TW (")
    assert "-$3" not in lines[0]
    # Final buyers paid 6 bn: CN 5, TW 4 - 3 = 1, US -0.002, and the rest (2 M) is duty.
    assert lines[1] == ("Paid by final buyers above reference prices (who_pays): $6.00bn, going to producers' rents "
                        "net of input costs (most to CN $5.00bn, TW $1.00bn; US -$2.00M) and duty added $2.00M (rates above "
                        "those in force at the start, on what was shipped); "
                        "producers' extra input costs ($3.00bn) were passed along the chain within it, not on top.")
    calm = _who_pays_lines(_table([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]))
    assert calm == ["Demand given up to higher prices: $0 (at reference prices)."]


def test_cli_run_prints_what_final_buyers_paid(tmp_path, capsys):
    from supplychain.cli.app import main
    from supplychain.io.scenario import save_scenario
    scen = toy_scenario(120).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10))
    scen = scen.replace(price_feedback=True)
    assert main(["run", str(save_scenario(scen, tmp_path / "ban.toml")), "--quiet", "--engine", "vector"]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Paid by final buyers")]
    with warnings.catch_warnings():  # a price pinned at its bound is named by the CLI already
        warnings.simplefilter("ignore")
        who = who_pays(simulate(scen, engine="vector"))
    paid, passed = (float(who[m].sum()) for m in ("final_buyer_cost_increase_usd",
                                                  "intermediate_buyer_cost_increase_usd"))
    assert paid >= 0.5
    assert len(out) == 1 and out[0].split(": ")[1].startswith(format_usd(paid) + ", going to producers' rents")
    assert f"input costs ({format_usd(passed)}) were passed along the chain" in out[0]
