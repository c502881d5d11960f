"""A new user's leftovers (session 19's reviewer, 4 Dec 2026): each output says what it lacks and reads in words."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import supplychain as sc  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.analytics.compare import STOCK_END_METRIC, STOCK_END_SERIES_ONLY, compare, format_changes  # noqa: E402
from supplychain.io.scenario import loads_scenario  # noqa: E402
from supplychain.metrics.incidence import WHO_PAYS_MEASURES  # noqa: E402
from supplychain.model import CapacityShock, ExportControl, LogisticsShock  # noqa: E402

STOP = CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9)


def test_summary_ensembles_say_the_stock_on_the_last_day_needs_series():
    base = toy_scenario(20)
    kw = {"engine": "vector", "seed": 1, "n_runs": 1}
    summary = compare(sc.simulate(base.with_shocks(STOP), keep="summary", **kw),
                      baseline=sc.simulate(base, keep="summary", **kw))
    assert not (summary["metric"] == STOCK_END_METRIC).any()
    assert STOCK_END_SERIES_ONLY in format_changes(summary).splitlines()
    assert "keep='series'" in STOCK_END_SERIES_ONLY
    series = compare(sc.simulate(base.with_shocks(STOP), **kw), baseline=sc.simulate(base, **kw))
    assert (series["metric"] == STOCK_END_METRIC).any()
    assert STOCK_END_SERIES_ONLY not in format_changes(series)


SHOCK_FILE = """[scenario]
base = "baseline"
horizon_days = 20

[[shocks]]
kind = "logistics_shock"
through = "TW"
closed = true
start = 2
end = 10
"""


def test_a_scenario_file_without_a_name_is_named_by_its_file(tmp_path):
    path = tmp_path / "my_blockade.toml"
    path.write_text(SHOCK_FILE)
    assert sc.load_scenario(path).name == "my_blockade"                       # what the user typed, not 'baseline'
    named = tmp_path / "other.toml"
    named.write_text(SHOCK_FILE.replace("[scenario]\n", '[scenario]\nname = "Taiwan closed"\n'))
    assert sc.load_scenario(named).name == "Taiwan closed"                    # a name given wins
    text = loads_scenario(SHOCK_FILE)                                          # no file: counted, told in words
    assert text.name == "baseline + 1 shock"
    assert text.title == "all lanes through TW closed from 2025-01-03, 8 days"


@pytest.mark.parametrize("shock, words", [
    (LogisticsShock(through="TW", closed=True), "all lanes through TW closed"),
    (LogisticsShock(origin_region="CN", destination_region="US", commodity="gallium", lead_time_multiplier=1.5),
     "lanes of gallium from CN to US, lead times x1.5"),
    (LogisticsShock(destination_region="JP", closed=True), "lanes into JP closed"),
])
def test_titles_tell_lanes_in_words_not_patterns(shock, words):
    title = sc.load_baseline(horizon_days=20).with_shocks(shock).title
    assert title.startswith(words + " from 2025-01-01") and "*" not in title and ">" not in title


def _who(rents, lost):
    table = pd.DataFrame(0.0, index=pd.Index(["CN", "TW", "US"], name="region"), columns=list(WHO_PAYS_MEASURES))
    table["scarcity_rent_usd"] = table["final_buyer_cost_increase_usd"] = table["buyer_cost_increase_usd"] = rents
    table["deliveries_lost_usd"] = lost
    return table


@pytest.mark.parametrize("rents, inset", [([2e6, 5e6, 0.0], True), ([2e9, 5e9, 0.0], False)])
def test_who_pays_draws_small_rents_again_at_their_own_scale(monkeypatch, rents, inset):
    from supplychain.plotting import prices
    ban = sc.simulate(toy_scenario(30).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban",
                                                                 start=5)), engine="vector", seed=0)
    monkeypatch.setattr(prices, "who_pays_for", lambda call, results, *args: _who(rents, [0.0, 0.0, 8e9]))
    ax = prices.plot_who_pays(ban)
    assert ax.get_title().count("\n") == 1                                    # the scenario, then what it shows
    panels = ax.child_axes
    assert len(panels) == int(inset)
    if inset:   # the same bars, largest first, from zero, on an axis of their own (5 M of 15 bn tall)
        (panel,) = panels
        assert [t.get_text() for t in panel.get_xticklabels()] == ["TW", "CN"]
        assert [p.get_height() for p in panel.patches] == [5e6, 2e6]
        assert panel.get_ylim()[1] < 1e7 < ax.get_ylim()[1]


def test_an_upstream_gap_says_what_the_change_tables_net_stock_measure_gives():
    from supplychain.cli.cover_text import _net_end_clause
    from supplychain.metrics._cover_toy import chain_stop_scenario
    scenario = chain_stop_scenario(stop_days=20, horizon_days=60)
    shocked, base = sc.simulate(scenario, seed=1), sc.simulate(scenario.without_shocks(), seed=1)
    table = compare(shocked, baseline=base)
    stock = table[(table["metric"] == STOCK_END_METRIC) & table["commodity"].isin(["chip", "wafer"])]
    net = float(stock["change"].sum())
    assert net < 0
    clause = _net_end_clause(shocked, base, "chip")
    assert f"${-net:,.0f} below the baseline's" in clause and "every stock of chip and wafer" in clause
    assert _net_end_clause(shocked, None, "chip") == ""


def test_who_pays_plot_says_when_prices_moved_no_quantity():
    from supplychain.analytics._toy import toy_scenario
    from supplychain.model import Tariff
    from supplychain.plotting import plot_who_pays
    from supplychain.plotting.prices import FEEDBACK_OFF_FOOTNOTE
    scenario = toy_scenario(40).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25))
    off = plot_who_pays(sc.simulate(scenario, seed=1))
    on = plot_who_pays(sc.simulate(scenario.replace(price_feedback=True), seed=1))
    assert FEEDBACK_OFF_FOOTNOTE in off.get_xlabel() and "importers bear" in off.get_xlabel()
    assert FEEDBACK_OFF_FOOTNOTE not in on.get_xlabel() and "importers bear" in on.get_xlabel()
