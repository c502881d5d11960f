"""How prices and who pays are shown: plot_prices' arguments, gains named as gains, rents in the CLI."""

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
from supplychain.metrics.incidence import WHO_PAYS_MEASURES
from supplychain.model import ExportControl

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


def _table(destroyed, rent):
    table = pd.DataFrame(0.0, index=pd.Index(["CN", "TW", "US"], name="region"), columns=list(WHO_PAYS_MEASURES))
    table["demand_destroyed_usd"], table["scarcity_rent_usd"] = destroyed, rent
    return table


def test_waterfall_names_demand_added_by_lower_prices_as_a_gain(ban, monkeypatch):
    from supplychain.plotting import prices
    table = _table([5e6, -3.2e6, 1e6], [0.0, 0.0, 0.0])
    monkeypatch.setattr(prices, "who_pays", lambda results, **kw: table)
    ax = prices.plot_who_pays(ban)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    heights = dict(zip(labels, (p.get_height() for p in ax.patches)))
    # 6 M USD given up where prices rose; 3.2 M USD more bought where they fell, a gain that lowers the net.
    assert heights["demand given up to higher prices"] == pytest.approx(6e6)
    assert heights["demand added by lower prices"] == pytest.approx(-3.2e6)
    assert heights["net cost"] == pytest.approx(2.8e6)
    assert "demand given up to prices" not in labels


def test_cli_lines_never_print_a_negative_destruction_and_name_the_rents():
    lines = _who_pays_lines(_table([2e9, -3.2e6, 0.0], [5e9, 1e9, -2e6]))
    assert lines[0].startswith("Demand given up to higher prices: $2.00bn; demand added by lower prices: $3.20M, "
                               "in TW (")
    assert "-$3" not in lines[0]
    assert lines[1].startswith("Scarcity rents to producers") and "most to CN $5.00bn, TW $1.00bn; US -$2.00M" in lines[1]
    calm = _who_pays_lines(_table([0.0, 0.0, 0.0], [0.0, 0.0, 0.0]))
    assert calm == ["Demand given up to higher prices: $0 (at reference prices, mean over runs)."]


def test_cli_run_prints_the_rents_of_who_pays(tmp_path, capsys):
    from supplychain.cli.app import main
    from supplychain.io.scenario import save_scenario
    from supplychain.metrics import who_pays
    scen = toy_scenario(120).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10))
    scen = scen.replace(price_feedback=True)
    assert main(["run", str(save_scenario(scen, tmp_path / "ban.toml")), "--quiet", "--engine", "vector"]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Scarcity rents")]
    with warnings.catch_warnings():  # a price pinned at its bound is named by the CLI already
        warnings.simplefilter("ignore")
        rent = who_pays(simulate(scen, engine="vector"))["scarcity_rent_usd"]
    assert np.abs(rent).max() >= 0.5
    assert len(out) == 1 and out[0].split(": ")[1].startswith(format_usd(float(rent.sum())))
