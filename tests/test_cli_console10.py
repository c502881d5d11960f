"""What `supplychain run` says of prices, of shortfalls the value-added channel does not value, and of who pays.

(a) the largest price peaks, by default, and whether prices fed back; (b) a shortfall outside the value-added
channel never reads as no cost; (c) one sign convention a block in the who-pays table, directions in words.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from supplychain import io, simulate
from supplychain.analytics._toy import single_source_network, toy_scenario
from supplychain.cli.app import main
from supplychain.cli.impact_text import format_value_added, unvalued_shortfall
from supplychain.cli.price_text import format_price_notes, format_who_pays, price_peaks
from supplychain.compile import compile_scenario
from supplychain.metrics.incidence import who_pays
from supplychain.model import CapacityShock, ExportControl, Scenario


def _stop(horizon: int = 120) -> Scenario:
    """The only mine of `single_source_network` (10 days of stock at the buyer) stops from day 5 to day 40."""
    shock = CapacityShock(start=5, end=40, fraction_lost=1.0, facility="CN.mine", recovery_days=0)
    return Scenario(single_source_network(), horizon_days=horizon, name="stop", shocks=(shock,))


@pytest.fixture(scope="module")
def stopped():
    scenario = _stop()
    shocked = simulate(scenario, engine="vector", seed=0)
    base = simulate(scenario.without_shocks(name="calm"), engine="vector", seed=0)
    return scenario, shocked, base


def test_the_peaks_are_the_daily_index_at_its_highest_against_an_unmoved_baseline(stopped):
    scenario, shocked, base = stopped
    table = price_peaks(shocked, base)
    spec = compile_scenario(scenario).schedules.extras["prices"]
    # Oracle: the index is each market's price over its reference; the unshocked run never leaves 1, so the
    # rise against it is the peak less 1, and no market of the unshocked run moved at all.
    price = np.asarray(shocked.values("price"), dtype=float)[0]
    for row in table.itertuples():
        m = spec.labels.index((row.commodity, row.region))
        stock = int(np.flatnonzero(spec.stock_market == m)[0])
        index = price[:, stock] / spec.stock_price[stock]
        assert row.peak == pytest.approx(index.max()) and row.trough == pytest.approx(index.min())
        assert index[row.peak_day] >= index.max() - 0.005 and (index[:row.peak_day] < index.max() - 0.005).all()
        assert row.moved_up == pytest.approx(max(index.max() - 1.0, 0.0)) and row.baseline_peak == 1.0
    assert (price_peaks(base, base)[["moved_up", "moved_down"]] == 0).all().all()
    assert (table["moved_up"] > 0.05).all()                            # the stop raised both ore markets


def test_run_prints_the_largest_peaks_by_default_and_says_whether_prices_fed_back(stopped, tmp_path, capsys):
    scenario, shocked, base = stopped
    path = io.save_scenario(scenario, tmp_path / "stop.toml")
    assert main(["run", str(path), "--engine", "vector", "--quiet", "--no-cover-band"]) == 0
    out = capsys.readouterr().out
    peak = price_peaks(shocked, base).sort_values("peak").iloc[-1]
    day = scenario.date_of(int(peak["peak_day"]))
    assert (f"): {peak['commodity']} rose most, to {peak['peak']:.2f}x its reference price in {peak['region']} "
            f"on {day}") in out
    assert "Computed, not fed back: with price feedback off these prices changed no quantity in this run" in out
    assert main(["run", str(path), "--engine", "vector", "--quiet", "--no-cover-band", "--price-feedback"]) == 0
    out = capsys.readouterr().out
    assert "Fed back: these prices cut final demand and moved sourcing and rationing in this run" in out
    assert "Computed, not fed back" not in out
    # A run without a shock has nothing to compare: no line on prices that did not move.
    assert format_price_notes(base) == ""


def test_a_shock_that_moves_no_price_says_so_against_the_baseline(stopped):
    _, _, base = stopped
    text = format_price_notes(base, base)
    assert text == ("Prices (scarcity price index, 1 = the reference price, docs/model.md §5.9): none moved more "
                    "than 5% from the unshocked baseline's.")


def _changes(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"region": r, "commodity": c, "segment": s, "metric": "shortfall_usd", "change": v}
                         for r, c, s, v in rows])


def test_a_shortfall_outside_the_value_added_channel_never_reads_as_no_cost():
    # A cobalt cut (ROW mining -75 %, Feb-Oct) shorts cobalt_refined demand by $776M and no chip, cell or magnet:
    # the channel values none of it, and the block must say so, not "No value added lost".
    changes = _changes([("ROW", "cobalt_refined", "", 3.77e8), ("CN", "cobalt_refined", "", 3.39e8),
                        ("JP", "cobalt_refined", "", 3.64e7), ("US", "cobalt_refined", "", 2.41e7),
                        ("US", "logic_chip", "electronics", 0.0), ("KR", "nickel_refined", "", 0.3)])
    unvalued = unvalued_shortfall(changes)
    assert list(unvalued) == ["cobalt_refined"] and sum(unvalued["cobalt_refined"].values()) == pytest.approx(7.765e8)
    frame = pd.DataFrame({"region": ["JP", "US"], "sector": ["C26", "OTH"], "value_added_loss_usd": [0.0, 0.0]})
    frame.attrs.update(n_runs=1, net_of_baseline=True)
    text = format_value_added(frame, unvalued=unvalued)
    assert "No value added lost" not in text
    assert "\nNo value added counted: no demand for chips, cells, magnets, germanium or gallium was shorter" in text
    assert text.splitlines()[-1].startswith(
        "Not valued: cobalt_refined demand ran $776M shorter (ROW $377M, CN $339M, JP $36.4M, US $24.1M), outside the "
        "value-added channel")
    assert "superalloys, chemicals and cemented carbides (hardmetals)" in text
    # With value added lost from chips, the unvalued shortfall still gets its line, after the scope.
    frame.loc[0, "value_added_loss_usd"] = 2e9
    lines = format_value_added(frame, unvalued=unvalued).splitlines()
    assert lines[-2].startswith("Scope:") and lines[-1].startswith("Not valued: cobalt_refined")
    # Nothing unvalued short: the old line, unchanged.
    frame.loc[0, "value_added_loss_usd"] = 0.0
    assert format_value_added(frame, unvalued=unvalued_shortfall(changes.iloc[4:])).splitlines()[-1].startswith(
        "No value added lost: ")


@pytest.fixture(scope="module")
def ban():
    scenario = toy_scenario(40).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10))
    scenario = scenario.replace(price_feedback=True)
    shocked = simulate(scenario, engine="vector", seed=0)
    base = simulate(scenario.without_shocks(name="calm"), engine="vector", seed=0)
    return shocked, base


def _cells(text: str, block: str, column: str) -> dict[str, str]:
    """The cells of ``column`` by region in the block of the who-pays table whose title starts with ``block``."""
    part = next(b for b in text.split("\n\n") if b.startswith(block)).splitlines()
    headers = re.split(r"\s{2,}", part[1].strip())
    at = headers.index(column)
    return {cells[0]: cells[at] for cells in (re.split(r"\s{2,}", line.strip()) for line in part[3:])}


def test_the_who_pays_table_has_one_sign_convention_a_block(ban):
    shocked, base = ban
    table = who_pays(shocked, baseline=base)
    text = format_who_pays(table)
    assert "Producers (USD over the horizon; + = producers earned or sold more, - = earned or sold less)" in text
    assert "sales lost" not in text
    # Sales are printed as what producers sold more: who_pays' sales_lost_usd with its sign turned, row by row.
    sales = _cells(text, "Producers", "sales")
    lost = table["sales_lost_usd"]
    assert lost.abs().max() > 1.0                                      # the ban moved some region's sales
    for region, usd in lost.items():
        expected = "$0" if abs(usd) < 0.5 else ("-" if usd > 0 else "+") + sales[region].lstrip("+-")
        assert sales[region] == expected, (region, usd, sales[region])
    assert _cells(text, "Producers", "margin")["all"].startswith("+" if table["producer_margin_change_usd"].sum() > 0
                                                                   else "-")


def test_the_margin_line_says_the_sales_direction_in_words(ban):
    shocked, base = ban
    table = who_pays(shocked, baseline=base)
    line = next(x for x in format_price_notes(shocked, base).splitlines() if x.startswith("Producers' margin"))
    for region, usd in table["sales_lost_usd"].items():
        if abs(table.loc[region, "producer_margin_change_usd"]) >= 0.5 and abs(usd) >= 0.5:
            word = "less" if usd > 0 else "more"
            assert re.search(rf"{region} [^,;()]+ \(sold \$[^ ]+ {word}\)", line), (region, line)
    assert "-$" not in line


def test_a_summary_ensemble_gives_each_regions_final_demand_index_and_says_it_is_not_by_commodity():
    scenario = _stop()
    shocked = simulate(scenario, engine="vector", seed=0, keep="summary")
    base = simulate(scenario.without_shocks(name="calm"), engine="vector", seed=0, keep="summary")
    text = format_price_notes(shocked, base)
    # Oracle: the median band of the buyers' region (US, the only region with final demand) at its highest.
    band = shocked.band("price_index", "US")[shocked.quantiles.index(50)]
    day = int(np.argmax(band >= band.max() - 0.005))
    assert text.startswith("Prices of each region's final demands (scarcity price index weighted by the value of the "
                           "demand, 1 = reference prices, median over runs; docs/model.md §5.9): highest US "
                           f"{band.max():.2f}x on {scenario.date_of(day)}; by commodity, not kept in per-run "
                           "summaries (--keep series keeps them).\nComputed, not fed back:")
    # Nothing moved against the baseline: said, with the reminder that the index is not a commodity's price.
    assert ("none moved more than 5% from the unshocked baseline's (highest US 1.00x on 2025-01-01); one commodity's "
            "price can move far more inside an index that chips dominate") in format_price_notes(base, base)
