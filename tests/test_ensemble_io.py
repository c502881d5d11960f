"""Ensembles are first-class: saved and loaded, compared with paired intervals, plotted and summarised.

Before, a memory-light ensemble (``keep="summary"``) failed in each of these with an internal
IndexError or AttributeError; every such call is exercised here.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile

import numpy as np
import pytest
from scipy import stats

from supplychain import load_ensemble, load_results
from supplychain.analytics.compare import STOCK_END_METRIC, compare, compare_to_unshocked, lane_costs, paired_interval
from supplychain.errors import ScenarioFileError, ValidationError
from supplychain.model import ExportControl, Normal, Scenario, Tariff, Triangular
from supplychain.plotting import plot_fan
from supplychain.plotting.ensemble import plot_ensemble_fan
from supplychain.results import EnsembleResults, Results
from supplychain.run import simulate

from .conftest import chain_network
from .test_shocks import two_suppliers

RUNS = 40


def noisy_chain(horizon_days: int = 90) -> Scenario:
    """The chain with noisy demand: a ban on its only supplier leaves a shortfall that varies by run."""
    net = chain_network(cover=15.0)
    demand = dataclasses.replace(net.demands[0], noise=Normal(1.0, 0.3, low=0.0))
    return Scenario(dataclasses.replace(net, demands=(demand,)), horizon_days=horizon_days, name="noisy chain")


BAN = ExportControl(exporter="CN", commodity="metal", start=20, end=50)


@pytest.fixture(scope="module")
def pair() -> tuple[EnsembleResults, EnsembleResults]:
    base = noisy_chain()
    return (simulate(base, engine="vector", n_runs=RUNS, seed=5, keep="summary"),
            simulate(base.with_shocks(BAN), engine="vector", n_runs=RUNS, seed=5, keep="summary"))


# Save and load -----------------------------------------------------------------------------------
def test_summary_ensemble_round_trip_is_exact(pair, tmp_path):
    _, ens = pair
    back = load_ensemble(ens.save(tmp_path / "ens.npz"))
    assert isinstance(back, EnsembleResults)
    assert (back.engine, back.seed, back.n_runs, back.n_days) == (ens.engine, ens.seed, ens.n_runs, ens.n_days)
    assert back.scenario == ens.scenario and back.coords.demand == ens.coords.demand
    for name in ("demand", "delivered", "served_on_day", "stockout_days"):
        np.testing.assert_array_equal(getattr(back, name), getattr(ens, name))
    assert back.bands.keys() == ens.bands.keys()
    for name in ens.bands:
        np.testing.assert_array_equal(back.bands[name], ens.bands[name])
    assert (back.band_groups, back.quantiles, back.bands_exact) == (ens.band_groups, ens.quantiles, ens.bands_exact)
    assert back.summary().equals(ens.summary())


def test_full_ensemble_round_trip_is_exact(tmp_path):
    res = simulate(noisy_chain(40).with_shocks(BAN), engine="vector", n_runs=5, seed=2)
    back = load_results(res.save(tmp_path / "full.npz"))
    assert isinstance(back, Results) and back.n_runs == 5
    for name, arr in res.arrays.items():
        np.testing.assert_array_equal(back.arrays[name], arr)


def test_each_loader_names_the_other_for_the_other_kind_of_archive(pair, tmp_path):
    _, ens = pair
    path = ens.save(tmp_path / "ens.npz")
    with pytest.raises(ScenarioFileError, match=r"ensemble summary archive: read it with supplychain.load_ensemble"):
        load_results(path)
    full = simulate(noisy_chain(10), seed=1).save(tmp_path / "full.npz")
    with pytest.raises(ScenarioFileError, match=r"daily results archive: read it with supplychain.load_results"):
        load_ensemble(full)


def _tamper(src, dst, member, change):
    """Copy archive ``src`` to ``dst`` with ``member`` (a .npy name) replaced by ``change(array)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                import io
                arr = np.lib.format.read_array(io.BytesIO(data))
                buf = io.BytesIO()
                np.lib.format.write_array(buf, change(arr))
                data = buf.getvalue()
            zout.writestr(info.filename, data)
    return dst


def _meta(change):
    def edit(arr):
        meta = json.loads(str(arr))
        change(meta)
        return np.array(json.dumps(meta))
    return edit


@pytest.mark.parametrize("member, change, message", [
    ("totals__delivered.npy", lambda a: a * 2.0, "totals 'delivered' exceed the demand"),
    ("totals__demand.npy", lambda a: -a, "totals 'demand' hold negative values"),
    ("totals__stockout_days.npy", lambda a: a + 0.5, "whole numbers of days within the horizon"),
    ("totals__served_on_day.npy", lambda a: a[:, :0], r"has shape \(40, 0\); expected \(40, 1\)"),
    ("band__shortfall_usd.npy", lambda a: a[::-1], "percentiles out of order"),
    ("lanes__lane_flow.npy", lambda a: -a - 1.0, "'lane_flow' holds negative values"),
    ("lanes__lane_tariff_units.npy", lambda a: a[:, :1], r"has shape \(40, 1\); expected \(40, 2\)"),
    ("band__service_level.npy", lambda a: a + 2.0, r"outside \[0, 1\]"),
    ("band__service_level.npy", lambda a: np.where(a > 0.5, np.nan, a), "NaN or infinite"),
    ("band__shortfall_usd.npy", lambda a: a.astype(np.int64), "expected floating-point"),
    ("metadata.npy", _meta(lambda m: m.update(quantiles=[50, 5, 25, 75, 95])), "quantiles must be increasing"),
    ("metadata.npy", _meta(lambda m: m.update(band_groups=["US", "XX"])), "band_groups must be the regions"),
    ("metadata.npy", _meta(lambda m: m.update(n_runs=0)), "n_runs must be a whole number >= 1"),
    ("metadata.npy", _meta(lambda m: m.update(n_days=10)), r"expected \(5, 10, 2\) from the metadata"),
    ("metadata.npy", _meta(lambda m: m.update(bands_exact="yes")), "bands_exact must be true or false"),
    ("metadata.npy", _meta(lambda m: m.update(format_version=9)), "newer than this library reads"),
    ("metadata.npy", _meta(lambda m: m.update(band_series=["service_level"])), "band_series must be"),
])
def test_a_damaged_ensemble_archive_is_refused_with_the_problem_named(pair, tmp_path, member, change, message):
    _, ens = pair
    good = ens.save(tmp_path / "good.npz")
    bad = _tamper(good, tmp_path / "bad.npz", member, change)
    with pytest.raises(ScenarioFileError, match=message) as info:
        load_ensemble(bad)
    assert str(info.value).startswith(str(bad))


def test_a_missing_member_is_named(pair, tmp_path):
    _, ens = pair
    good = ens.save(tmp_path / "good.npz")
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(tmp_path / "bad.npz", "w") as zout:
        for info in zin.infolist():
            if info.filename != "band__service_level.npy":
                zout.writestr(info.filename, zin.read(info))
    with pytest.raises(ScenarioFileError, match="it has no 'band__service_level' member"):
        load_ensemble(tmp_path / "bad.npz")


# Compare -------------------------------------------------------------------------------------------
def test_paired_interval_is_the_t_interval_of_the_per_run_differences(pair):
    base, shocked = pair
    table = compare(base, shocked)
    hit = table[(table.metric == "shortfall_usd") & (table.region == "US")].iloc[0]
    # By hand: the shortfall in USD per run, its run-by-run change, and the Student-t interval of the mean.
    price = 1000.0
    d = (np.maximum(shocked.demand - shocked.delivered, 0.0) - np.maximum(base.demand - base.delivered, 0.0))[:, 0]
    d = d * price
    se = d.std(ddof=1) / np.sqrt(RUNS)
    half = stats.t.ppf(0.975, RUNS - 1) * se
    assert hit.change == pytest.approx(d.mean(), rel=1e-12)
    assert hit.change_se == pytest.approx(se, rel=1e-12)
    assert (hit.change_lo, hit.change_hi) == pytest.approx((d.mean() - half, d.mean() + half), rel=1e-12)
    assert 0 < hit.change_lo < hit.change < hit.change_hi and se > 0   # the ban costs something in every run


def test_common_random_numbers_make_the_paired_interval_narrower_than_an_unpaired_one(pair):
    base, shocked = pair
    b = np.maximum(base.demand - base.delivered, 0.0)[:, 0]
    a = np.maximum(shocked.demand - shocked.delivered, 0.0)[:, 0]
    se, _, _ = paired_interval(b, a)
    unpaired = np.sqrt(a.var(ddof=1) / RUNS + b.var(ddof=1) / RUNS)
    assert se < unpaired


def test_summary_and_series_ensembles_compare_alike_on_every_metric():
    base = noisy_chain(60)
    kw = {"engine": "vector", "n_runs": 6, "seed": 3}
    series = compare(simulate(base, **kw), simulate(base.with_shocks(BAN), **kw))
    summary = compare(simulate(base, keep="summary", **kw), simulate(base.with_shocks(BAN), keep="summary", **kw))
    # The stock held on the last day needs the daily series (compare's docstring), so only series carry it.
    assert STOCK_END_METRIC in set(series.metric) and STOCK_END_METRIC not in set(summary.metric)
    series = series[series.metric != STOCK_END_METRIC]
    assert set(summary.metric) == set(series.metric) and "import_share" in set(summary.metric)
    merged = summary.merge(series, on=["region", "commodity", "metric", "partner"], suffixes=("", "_series"))
    assert len(merged) == len(summary) == len(series)
    for col in ("baseline", "shocked", "change", "change_lo", "change_hi"):
        np.testing.assert_allclose(merged[col], merged[f"{col}_series"], rtol=1e-9, atol=1e-9)


def trade_pair() -> tuple[Scenario, Scenario]:
    """Two suppliers, one lane with a random lead time and noisy demand; shocked: a tariff and a leaky ban."""
    net = two_suppliers(freight=7.0)
    lanes = (dataclasses.replace(net.lanes[0], lead_time=Triangular(3.0, 5.0, 9.0)), net.lanes[1])
    demand = dataclasses.replace(net.demands[0], noise=Normal(1.0, 0.2, low=0.0))
    base = Scenario(dataclasses.replace(net, lanes=lanes, demands=(demand,)), horizon_days=60, name="two suppliers")
    shocked = base.with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=5),
        ExportControl(exporter="KR", commodity="metal", leakage=0.5, leakage_extra_days=3,
                      leakage_extra_cost=0.2, start=30))
    return base, shocked


@pytest.mark.parametrize("engine, runs", [("vector", 6), ("des", 3)])
def test_summary_and_series_ensembles_give_the_same_trade_rows(engine, runs, tmp_path):
    base, shocked = trade_pair()
    kw = {"engine": engine, "n_runs": runs, "seed": 11}
    series = compare(simulate(base, **kw), simulate(shocked, **kw))
    b, a = simulate(base, keep="summary", **kw), simulate(shocked, keep="summary", **kw)
    summary = compare(b, a)
    series = series[series.metric != STOCK_END_METRIC]   # a series-only measure (compare's docstring)
    trade = {"imports", "import_cost_usd", "landed_cost_usd_per_unit", "tariff_paid_usd", "import_share",
             "source_share"}
    assert trade <= set(summary.metric) and set(summary.metric) == set(series.metric)
    assert len(summary) == len(series)
    merged = summary.merge(series, on=["region", "commodity", "metric", "partner"], suffixes=("", "_series"))
    assert len(merged) == len(series)
    for col in ("baseline", "shocked", "change", "change_se", "change_lo", "change_hi"):
        np.testing.assert_allclose(merged[col], merged[f"{col}_series"], rtol=1e-9, atol=1e-9)
    moved = merged[merged.metric.isin(["tariff_paid_usd", "import_share", "import_cost_usd"])]
    assert (moved["change"].abs() > 1e-6).sum() >= 3 and moved["change_se"].notna().all()
    # the round trip keeps the lane totals, so a loaded ensemble compares alike
    back_b, back_a = load_ensemble(b.save(tmp_path / "b.npz")), load_ensemble(a.save(tmp_path / "a.npz"))
    for name in ("lane_flow", "lane_tariff_units", "lane_extra_usd"):
        np.testing.assert_array_equal(getattr(back_a, name), getattr(a, name))
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(compare(back_b, back_a), summary)


def test_lane_costs_of_a_summary_are_those_of_the_daily_series():
    _, shocked = trade_pair()
    kw = {"engine": "vector", "n_runs": 4, "seed": 2}
    daily, summary = lane_costs(simulate(shocked, **kw)), lane_costs(simulate(shocked, keep="summary", **kw))
    assert daily.keys() == summary.keys() and summary["extra"].any() and summary["tariff"].any()
    for name in daily:
        np.testing.assert_allclose(summary[name], daily[name], rtol=1e-12)


def test_an_ensemble_archive_without_lane_totals_still_loads_with_demand_metrics(pair, tmp_path):
    base, shocked = pair
    paths = []
    for ens, name in ((base, "b"), (shocked, "a")):
        good = ens.save(tmp_path / f"{name}.npz")
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(tmp_path / f"old_{name}.npz", "w") as zout:
            for info in zin.infolist():
                if not info.filename.startswith("lanes__"):
                    zout.writestr(info.filename, zin.read(info))
        paths.append(tmp_path / f"old_{name}.npz")
    old_b, old_a = (load_ensemble(p) for p in paths)
    assert old_a.lane_flow is None
    table = compare(old_b, old_a)
    assert set(table.metric) == {"demand", "delivered", "shortfall", "shortfall_usd", "fill_rate", "delivery_rate"}
    with pytest.raises(ValidationError, match="keeps no lane totals"):
        lane_costs(old_a)


def test_an_archive_with_some_lane_totals_only_is_refused(pair, tmp_path):
    _, ens = pair
    good = ens.save(tmp_path / "good.npz")
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(tmp_path / "bad.npz", "w") as zout:
        for info in zin.infolist():
            if info.filename != "lanes__lane_extra_usd.npy":
                zout.writestr(info.filename, zin.read(info))
    with pytest.raises(ScenarioFileError, match="lane totals but not lane_extra_usd"):
        load_ensemble(tmp_path / "bad.npz")


def test_compare_to_unshocked_keeps_an_ensemble_a_summary(pair):
    _, shocked = pair
    table = compare_to_unshocked(shocked)
    assert table.loc[table.metric == "shortfall_usd", "change"].iloc[0] > 0


def test_one_run_has_no_interval():
    s = noisy_chain(30)
    table = compare(simulate(s, seed=1), simulate(s.with_shocks(BAN), seed=1))
    assert table[["change_se", "change_lo", "change_hi"]].isna().all().all()


# Plot ----------------------------------------------------------------------------------------------
def test_fan_chart_draws_the_stored_band_over_calendar_dates(pair):
    import matplotlib.dates as mdates
    base, shocked = pair
    ax = plot_fan(shocked, base)
    band = shocked.band("shortfall_usd", "ALL")
    q = list(shocked.quantiles)
    outer = ax.collections[1]          # baseline band first, then the ensemble's 5-95 band
    path = outer.get_paths()[0].vertices
    upper = path[1: shocked.n_days + 1, 1]
    np.testing.assert_allclose(upper, band[q.index(5.0)], rtol=1e-12)   # fill_between traces the low edge first
    top = path[shocked.n_days + 2: 2 * shocked.n_days + 2, 1][::-1]
    np.testing.assert_allclose(top, band[q.index(95.0)], rtol=1e-12)
    median = [line for line in ax.get_lines() if line.get_label() == "median"][0]
    np.testing.assert_allclose(median.get_ydata(), band[q.index(50.0)])
    first = mdates.num2date(median.get_xdata(orig=False)[0]).date()
    assert first == shocked.scenario.start_date
    assert "shock window" in ax.get_legend_handles_labels()[1]


def test_fan_chart_of_service_level_for_one_region(pair):
    _, shocked = pair
    ax = plot_ensemble_fan(shocked, series="service_level", group="US")
    assert ax.get_ylabel() == "delivered / demanded that day" and len(ax.collections) >= 2


def test_fan_chart_refuses_mixed_kinds(pair):
    _, shocked = pair
    from supplychain.errors import ValidationError
    with pytest.raises(ValidationError, match="baseline must be an EnsembleResults"):
        plot_fan(shocked, simulate(noisy_chain(), seed=5))


# Summarise -----------------------------------------------------------------------------------------
def test_shortfall_summary_by_hand(pair):
    _, shocked = pair
    table = shocked.shortfall_summary()
    short = np.maximum(shocked.demand - shocked.delivered, 0.0)[:, 0]
    us = table[table.region == "US"].iloc[0]
    assert us.runs == RUNS and us.unit == "t"
    assert us.p_shortfall == pytest.approx(np.mean(short > 1e-9 * shocked.demand[:, 0]))
    assert us.shortfall == pytest.approx(short.mean())
    assert us.shortfall_usd_p95 == pytest.approx(np.percentile(short * 1000.0, 95))
    assert us.shortfall_p5 <= us.shortfall_p50 <= us.shortfall_p95
    total = table[table.region == "ALL"].iloc[0]
    assert total.shortfall_usd == pytest.approx(us.shortfall_usd) and total.p_shortfall == us.p_shortfall


def test_no_shock_no_shortfall(pair):
    base, _ = pair
    table = base.shortfall_summary()
    assert (table.p_shortfall == 0).all() and (table.shortfall_usd_p95 == 0).all()


def test_plot_fan_errors_name_plot_fan_its_arguments_and_what_is_available(pair):
    from supplychain.errors import UnknownIdError
    base, shocked = pair
    with pytest.raises(UnknownIdError, match=r"^plot_fan: variable='delivered' is not available for a memory-light "
                                             r"ensemble .*; available: service_level, shortfall_usd, price_index\.$"):
        plot_fan(shocked, base, variable="delivered")
    with pytest.raises(UnknownIdError, match=r"^plot_fan: ident='XX' .*; available: .*\bALL\b"):
        plot_fan(shocked, ident="XX")
    series = simulate(noisy_chain(), seed=5)
    with pytest.raises(UnknownIdError, match=r"^plot_fan: variable='deliverd' .*available: .*\bdelivered\b.*"
                                             r"Did you mean 'delivered'"):
        plot_fan(series, variable="deliverd")
    with pytest.raises(UnknownIdError, match=r"^plot_fan: ident='XX' .*by='region'; available: US\.$"):
        plot_fan(series, ident="XX")
    for bad in ({"variable": "delivered"}, {"ident": "XX"}):
        with pytest.raises(UnknownIdError) as info:
            plot_fan(shocked, **bad)
        assert "plot_ensemble_fan" not in str(info.value) and "series '" not in str(info.value)
        assert "group '" not in str(info.value)
