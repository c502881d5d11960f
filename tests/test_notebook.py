"""Notebook-friendly results: short and HTML reprs, xarray views, labelled metrics, progress display."""

from __future__ import annotations

import io
import sys
import types

import numpy as np
import pandas as pd
import pytest

import supplychain as sc
from supplychain import _progress
from supplychain.analytics._toy import toy_scenario
from supplychain.metrics import (
    cumulative_shortfall,
    cycle_service_level,
    days_below_service,
    fill_rate,
)
from supplychain.model import CapacityShock, Tariff

from .conftest import chain_network


@pytest.fixture(scope="module")
def short():
    """A refinery that makes 3 t/day of the 5 demanded: a real shortage, two runs."""
    scen = sc.Scenario(chain_network(refinery_capacity=3.0, cover=2.0, lead_refinery=2.0), horizon_days=20,
                       name="short <chain>")
    return sc.simulate(scen, n_runs=2, seed=0)


# Reprs -----------------------------------------------------------------------------------------
def test_baseline_scenario_repr_is_a_few_lines_not_145000_characters():
    scenario = sc.load_baseline()
    net = scenario.network
    text = repr(scenario)
    assert len(text) < 300 and len(text.splitlines()) == 2
    assert f"6 regions, {len(net.commodities)} commodities" in text and "365 days from 2025-01-01" in text


def test_scenario_repr_lists_each_shock_briefly_and_counts_the_rest():
    shocks = [Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.1 * (i + 1), start=i + 1)
              for i in range(7)]
    text = repr(toy_scenario(50).with_shocks(*shocks))
    lines = text.splitlines()
    assert lines[0] == "Scenario('toy', 50 days from 2025-01-01, shock day 1;"
    assert lines[2] == "  shock: Tariff(importer='KR', commodity='ore', rate=0.1, exporter='CN', start=1)"
    assert lines[-1] == "  and 2 more shocks)" and len(lines) == 8


def test_shipped_scenario_repr_shows_dates_as_iso_strings():
    text = repr(sc.load_example("taiwan_blockade_magnets"))
    assert "start='2025-03-01'" in text and "datetime.date" not in text and len(text) < 1000


def test_network_and_results_reprs_are_one_line(short):
    net = sc.load_baseline().network
    assert repr(net).startswith(f"Network(6 regions, {len(net.commodities)} commodities, "
                                f"{len(net.facilities)} facilities, {len(net.lanes)} lanes")
    assert repr(short) == "Results('short <chain>': des engine, 2 runs, seed 0, 20 days from 2025-01-01)"
    assert "\n" not in repr(short.scenario.network)


def test_html_reprs_escape_names_and_show_the_largest_shortfalls(short):
    html = short._repr_html_()
    assert "short &lt;chain&gt;" in html and "<chain>" not in html
    assert "Largest shortfalls" in html and "<td>US</td>" in html and "metal" in html
    scen_html = short.scenario._repr_html_()
    assert scen_html.startswith("<div>") and "short &#x27;" not in scen_html and "1 region" not in scen_html
    assert "2 regions, 2 commodities, 2 facilities, 2 lanes, 1 demand" in short.scenario.network._repr_html_()


def test_ensemble_repr_and_html():
    ens = sc.simulate(sc.Scenario(chain_network(refinery_capacity=3.0, cover=2.0, lead_refinery=2.0),
                                  horizon_days=15), engine="vector", n_runs=5, seed=1, keep="summary")
    assert repr(ens).replace(" (NumPy)", "").replace(" (compiled loops)", "") == ("EnsembleResults('scenario': vector engine, 5 runs, seed 1, 15 days from 2025-01-01, "
                         "bands exact)")
    assert "Largest shortfalls" in ens._repr_html_()


# xarray ----------------------------------------------------------------------------------------
def test_to_xarray_holds_the_same_numbers_labelled(short):
    ds = short.to_xarray()
    assert set(ds.data_vars) == set(short.variables)
    assert ds["delivered"].dims == ("run", "date", "demand_id")
    np.testing.assert_array_equal(ds["flow"].to_numpy(), short.flow)
    assert str(ds["date"].to_numpy()[0])[:10] == "2025-01-01" and int(ds["day"][-1]) == 19
    # Totals by region and commodity from the labels equal the summary table.
    by_group = ds["delivered"].sum(("run", "date")).groupby("demand_commodity").sum() / short.n_runs
    assert float(by_group.sel(demand_commodity="metal")) == pytest.approx(short.summary()["delivered"].item())
    assert list(ds["lane_region"].to_numpy()) == ["CN>CN", "CN>US"]
    assert ds.attrs["scenario"] == "short <chain>" and ds.attrs["seed"] == 0


def test_to_xarray_of_some_variables_and_an_unknown_one(short):
    assert list(short.to_xarray(["inventory"]).data_vars) == ["inventory"]
    with pytest.raises(sc.UnknownIdError, match="Did you mean 'inventory'"):
        short.to_xarray(["inventroy"])


def test_ensemble_to_xarray_matches_its_arrays():
    ens = sc.simulate(sc.Scenario(chain_network(refinery_capacity=3.0, cover=2.0), horizon_days=15),
                      engine="vector", n_runs=5, seed=1, keep="summary")
    ds = ens.to_xarray()
    np.testing.assert_array_equal(ds["fill_rate"].to_numpy(), ens.fill_rate)
    np.testing.assert_array_equal(ds["band_service_level"].sel(group="ALL").to_numpy(),
                                  ens.band("service_level", "ALL"))
    assert list(ds["quantile"].to_numpy()) == list(ens.quantiles)


def test_to_xarray_without_xarray_names_the_extra(short, monkeypatch):
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(ImportError, match=r'pip install "supplychain\[xarray\]"'):
        short.to_xarray()


# Labelled metrics ------------------------------------------------------------------------------
def test_metrics_are_dataframes_labelled_by_run_and_group(short):
    fr = fill_rate(short, by="region_commodity")
    assert isinstance(fr, pd.DataFrame) and fr.index.name == "run" and fr.columns.name == "region_commodity"
    assert list(fr.columns) == ["US:metal"] and list(fr.index) == [0, 1]
    np.testing.assert_allclose(fr["US:metal"], short.summary()["fill_rate"].item())
    assert list(cycle_service_level(short, by="region").columns) == ["US"]
    assert (days_below_service(short).dtypes == np.int64).all()


def test_shortfall_over_time_is_indexed_by_run_and_date(short):
    running = cumulative_shortfall(short, over_time=True)
    assert running.index.names == ["run", "date"] and running.shape == (2 * 20, 1)
    last = running.xs(pd.Timestamp("2025-01-20"), level="date")
    np.testing.assert_allclose(last.to_numpy(), cumulative_shortfall(short).to_numpy())


# Progress ----------------------------------------------------------------------------------------
def test_no_progress_bar_into_a_log_file(monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    assert not _progress.interactive()
    with _progress.PhaseBar(["a", "b"]) as bar:
        bar.step("a")
        bar.step("b")
    assert list(_progress.iterate(range(3), desc="x", unit="y")) == [0, 1, 2]
    assert log.getvalue() == ""


def test_a_notebook_counts_as_interactive_even_without_a_terminal(monkeypatch):
    shell = types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert _progress.in_notebook() and _progress.interactive()
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    assert not _progress.in_notebook()        # IPython imported in a terminal shell: not a notebook


def test_progress_on_a_terminal_draws_a_bar(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(_progress.iterate([1, 2], desc="stress test", unit="scenario")) == [1, 2]
    assert "stress test:" in terminal.getvalue() and "/2 [" in terminal.getvalue()


def test_capacity_shock_results_repr_counts_runs():
    res = sc.simulate(toy_scenario(10).with_shocks(CapacityShock(facility="CN.mine", fraction_lost=0.5,
                                                                  start=2)), seed=3)
    assert repr(res) == "Results('toy': des engine, 1 run, seed 3, 10 days from 2025-01-01)"
