"""Plotting smoke tests on the Agg backend: Axes returned, expected artists and labels, no show()."""

from __future__ import annotations

import dataclasses

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.errors import UnknownIdError, ValidationError  # noqa: E402
from supplychain.model import Commodity, Normal, Scenario  # noqa: E402
from supplychain.plotting.results import flow_matrix, plot_flows, plot_timeseries  # noqa: E402

from .conftest import diamond_network  # noqa: E402


@pytest.fixture(scope="module")
def res():
    """The diamond with noisy demand, 4 runs over 20 days."""
    net = diamond_network()
    net = dataclasses.replace(net, demands=tuple(dataclasses.replace(d, noise=Normal(1.0, 0.3, low=0.0))
                                                 for d in net.demands))
    return simulate(Scenario(net, horizon_days=20, name="diamond"), n_runs=4, seed=2)


@pytest.fixture(autouse=True)
def no_show_and_close(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("plotting functions must never call plt.show()")
    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


# plot_timeseries -------------------------------------------------------------------------------
def test_timeseries_mean_line_and_band_per_item(res):
    ax = plot_timeseries(res, "delivered")
    assert isinstance(ax, Axes)
    assert [line.get_label() for line in ax.lines] == ["JP.metal delivered", "KR.metal delivered"]
    assert len(ax.collections) == 2  # one percentile band per line
    np.testing.assert_allclose(ax.lines[0].get_ydata(), res.series("delivered", "JP.metal").mean(axis=0))
    assert ax.get_ylabel() == "delivered (t/day)"
    assert ax.get_title() == "diamond: delivered (mean of 4 runs, 5-95th percentiles)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["JP.metal delivered", "KR.metal delivered"]


def test_timeseries_band_is_the_requested_percentiles(res):
    ax = plot_timeseries(res, "demand", "KR.metal", band=(10, 90))
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    series = res.series("demand", "KR.metal")
    low, high = np.percentile(series, [10, 90], axis=0)
    assert np.isclose(band.min(), low.min()) and np.isclose(band.max(), high.max())


def test_timeseries_single_run_or_no_band(res):
    ax = plot_timeseries(res, "inventory", ["JP.refinery:ore"], run=1)
    assert len(ax.lines) == 1 and not ax.collections
    np.testing.assert_allclose(ax.lines[0].get_ydata(), res.series("inventory", "JP.refinery:ore")[1])
    assert ax.get_ylabel() == "inventory (t)"  # a level, not a rate
    assert ax.get_title().endswith("(run 1)")
    ax = plot_timeseries(res, "flow", "CN.mine>JP.refinery", band=None)
    assert not ax.collections


def test_timeseries_draws_on_the_given_axes_and_overlays(res):
    fig, ax = plt.subplots()
    assert plot_timeseries(res, "demand", "JP.metal", ax=ax, linestyle="--", color="0.5") is ax
    assert plot_timeseries(res, "delivered", "JP.metal", ax=ax) is ax
    assert [line.get_label() for line in ax.lines] == ["JP.metal demand", "JP.metal delivered"]
    assert ax.lines[0].get_linestyle() == "--"
    assert len(fig.axes) == 1


def test_timeseries_grouped_in_usd(res):
    ax = plot_timeseries(res, "delivered", "KR", by="region", usd=True)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 100.0 * res.series("delivered", "KR.metal").mean(axis=0))
    assert ax.get_ylabel() == "delivered (USD/day at reference prices)"


def test_timeseries_refuses_to_add_units(res):
    net = res.scenario.network
    mixed = dataclasses.replace(net, commodities=(Commodity("ore", "kg", 10.0), net.commodities[1]))
    other = dataclasses.replace(res, scenario=dataclasses.replace(res.scenario, network=mixed))
    plot_timeseries(other, "production", by="region_commodity")  # one commodity per group: fine
    with pytest.raises(ValidationError, match=r"usd must be True when by='region' adds commodities of "
                                              r"different units; got False for plot_timeseries\."):
        plot_timeseries(other, "inventory", by="region", usd=False)  # JP holds ore (kg) and metal (t)
    assert plot_timeseries(other, "inventory", by="region", usd=True).get_ylabel() == "inventory (USD at reference prices)"
    # Left to itself it values what cannot be added in one unit.
    assert plot_timeseries(other, "inventory", by="region").get_ylabel() == "inventory (USD at reference prices)"


def test_timeseries_unknown_names_suggest(res):
    with pytest.raises(UnknownIdError, match=r"variable 'delivred' .* Did you mean 'delivered'"):
        plot_timeseries(res, "delivred")
    with pytest.raises(UnknownIdError, match=r"id 'JP.metl' .* Did you mean 'JP.metal'"):
        plot_timeseries(res, "delivered", "JP.metl")
    with pytest.raises(ValidationError, match=r"run must be <= 3; got 4"):
        plot_timeseries(res, "delivered", run=4)


# plot_flows ------------------------------------------------------------------------------------
def test_flow_matrix_by_hand(res):
    regions, m = flow_matrix(res, "ore")
    assert regions == ("CN", "ROW", "JP", "KR")
    cn_jp = res.series("flow", "CN.mine>JP.refinery").sum(axis=1).mean()
    row_jp = res.series("flow", "ROW.mine>JP.refinery").sum(axis=1).mean()
    expected = np.zeros((4, 4))
    expected[0, 2], expected[1, 2] = cn_jp, row_jp
    np.testing.assert_allclose(m, expected)
    _, metal = flow_matrix(res, "metal", usd=True)
    assert metal[2, 2] == pytest.approx(100.0 * res.series("flow", "JP.refinery>JP.metal").sum(axis=1).mean())


def test_plot_flows_heatmap_with_labels(res):
    ax = plot_flows(res, "metal")
    assert isinstance(ax, Axes)
    _, m = flow_matrix(res, "metal")
    np.testing.assert_allclose(ax.images[0].get_array(), m)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["CN", "ROW", "JP", "KR"]
    assert ax.get_xlabel() == "to (importing region)" and ax.get_ylabel() == "from (exporting region)"
    assert len(ax.texts) == 2  # JP>JP and JP>KR, the only non-zero cells
    assert ax.get_title() == "metal shipped over 20 days\n(t, mean of 4 runs)"


def test_plot_flows_on_given_axes_and_unknown_commodity(res):
    fig, ax = plt.subplots()
    assert plot_flows(res, "ore", ax=ax, usd=True) is ax
    assert "USD" in ax.get_title()
    with pytest.raises(UnknownIdError, match=r"commodity 'mteal' .* Did you mean 'metal'\?"):
        plot_flows(res, "mteal")


def test_a_fan_with_no_shortfall_says_so_instead_of_drawing_a_scale():
    from supplychain.analytics._toy import toy_network
    from supplychain.analytics.stress import knockout_scenario
    from supplychain.plotting.ensemble import plot_ensemble_fan
    cut = knockout_scenario(toy_network(), ["KR.cells"], duration_days=50, horizon_days=60)
    calm = simulate(cut.without_shocks(), engine="vector", seed=0, keep="summary")
    assert not calm.band("shortfall_usd", "ALL").any()
    ax = plot_ensemble_fan(calm, calm)
    plt.gcf().canvas.draw()
    assert ax.get_yticks().tolist() == [0.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["$0"]
    assert [t.get_text() for t in ax.texts] == ["no shortfall in any run"]
    plt.close("all")
    # A shortfall keeps its scale and gets no note.
    short = simulate(cut, engine="vector", seed=0, keep="summary")
    assert short.band("shortfall_usd", "ALL").any()
    ax = plot_ensemble_fan(short, calm)
    assert len(ax.get_yticks()) > 1 and not ax.texts


def test_value_added_legend_names_industries_beside_their_codes():
    from supplychain.plotting.impact import plot_value_added_loss
    ax = plot_value_added_loss(np.ones((2, 6, 5)) * 1e9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "electronics (C26)", "electrical equipment (C27)", "machinery (C28)", "motor vehicles (C29)",
        "rest of the economy (OTH)"]


def test_flow_change_heatmap_names_its_unit_and_keeps_three_figures():
    from supplychain.analytics._toy import toy_scenario
    from supplychain.model import ExportControl
    from supplychain.plotting.change import plot_flow_delta
    from supplychain.plotting.results import _compact
    base = toy_scenario(20)
    before = simulate(base, seed=0)
    after = simulate(base.with_shocks(ExportControl(exporter="CN", commodity="ore", start=2)), seed=0)
    ax = plot_flow_delta(before, after, "ore")
    assert ax.get_title() == "change in ore shipped over 20 days (t)"
    assert plot_flow_delta(before, after, "ore", usd=True).get_title().endswith("(USD)")
    assert [_compact(v) for v in (1.3e6, -1.52e6, 396.0, -0.27)] == ["1.30M", "-1.52M", "396", "-0.270"]


def _drawn_outside(fig):
    """Labels, titles, tick labels and legends a plain ``fig.savefig`` would cut off (pixels beyond the edge)."""
    import io
    fig.savefig(io.BytesIO(), format="png")
    renderer = fig.canvas.get_renderer()
    edge = fig.bbox
    out = []
    for ax in fig.axes:
        box = ax.get_tightbbox(renderer)  # every drawn text of the axes, its legend included
        if box.x0 < edge.x0 - 1 or box.y0 < edge.y0 - 1 or box.x1 > edge.x1 + 1 or box.y1 > edge.y1 + 1:
            out.append((ax.get_title(), box.extents.round().tolist(), edge.extents.tolist()))
    return out


def test_who_pays_and_value_added_plots_keep_their_labels_inside_the_saved_figure():
    from supplychain.analytics._toy import toy_scenario
    from supplychain.model import Tariff
    from supplychain.plotting import plot_value_added_loss, plot_who_pays
    shocked = toy_scenario(60).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25))
    who = plot_who_pays(simulate(shocked))
    assert who.get_ylabel() == "USD over the horizon"  # one run: no mean to speak of
    assert _drawn_outside(who.figure) == []
    # The legend sits beside the bars, right of the axes: it must still be in the image.
    bars = plot_value_added_loss(np.ones((2, 6, 5)) * 1e9)
    assert bars.get_legend() is not None and bars.get_xlabel() == "value added lost (USD, mean of 2 runs)"
    assert _drawn_outside(bars.figure) == []


def test_every_new_figure_keeps_its_labels_and_a_wrong_keyword_names_the_way_to_choose_items(res):
    ax = plot_timeseries(res, "delivered", by="region", usd=True)
    assert _drawn_outside(ax.figure) == []
    with pytest.raises(TypeError, match=r"plot_timeseries: 'commodity' is neither one of its arguments nor a line "
                                        r"property; choose items with ids=\.\.\."):
        plot_timeseries(res, "inventory", commodity="metal")
    assert plot_timeseries(res, "delivered", ls="--", lw=2).get_lines()[0].get_linestyle() == "--"
