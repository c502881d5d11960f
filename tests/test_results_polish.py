"""Small API polish of results: one variable as a string; clear errors for summary ensembles."""

from __future__ import annotations

import re

import pytest

import supplychain as sc
from supplychain.analytics._toy import toy_scenario


@pytest.fixture(scope="module")
def toy():
    return sc.simulate(toy_scenario(10), seed=0)


def test_one_variable_as_a_string_is_one_variable(toy):
    one = toy.to_dataframe("price")
    assert one.equals(toy.to_dataframe(["price"]))
    assert set(one["variable"]) == {"price"} and len(one) == 10 * len(toy.coords.stock)
    with pytest.raises(sc.UnknownIdError, match="'prize'"):
        toy.to_dataframe("prize")
    pytest.importorskip("xarray")
    assert list(toy.to_xarray("inventory").data_vars) == ["inventory"]


@pytest.fixture(scope="module")
def summary():
    from supplychain.model import ExportControl
    scen = toy_scenario(30).with_shocks(ExportControl(exporter="CN", commodity="ore", start=5))
    return sc.simulate(scen, engine="vector", n_runs=1, seed=0, keep="summary")


@pytest.mark.parametrize("name", ["who_pays", "landed_cost_increase_usd", "prices_at_bounds", "plot_prices",
                                  "plot_who_pays", "market_prices", "moved_commodities"])
def test_daily_only_functions_name_themselves_and_the_alternative_on_a_summary_ensemble(summary, name):
    import matplotlib
    matplotlib.use("Agg")
    from supplychain import metrics
    from supplychain.plotting import prices
    fn = getattr(metrics, name, None) or getattr(prices, name)
    args = {"plot_prices": ("ore",), "market_prices": ("ore",)}.get(name, ())
    kwargs = {"landed_cost_increase_usd": {"importer": "KR"}}.get(name, {})
    with pytest.raises(TypeError, match=rf'^{name} needs daily results \(simulate\(\.\.\., keep="series"\)\), got '
                                        r'EnsembleResults; a summary ensemble .*use e\.band\("price_index", region\)'):
        fn(summary, *args, **kwargs)
    assert summary.band("price_index", "US").shape[-1] == 30  # and the alternative named works


def test_plot_value_added_loss_takes_results_and_summary_ensembles(summary):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from supplychain.impact import load_io_table
    from supplychain.plotting.impact import plot_value_added_loss
    table = load_io_table()
    ax = plot_value_added_loss(summary)
    assert len(ax.patches) == len(table.regions) * len(table.sectors)
    assert summary.value_added_loss.shape == (1, len(table.regions), len(table.sectors))
    plt.close(ax.figure)
    from supplychain import load_baseline
    from supplychain.model import ExportControl
    daily = sc.simulate(load_baseline().with_horizon(40).with_shocks(
        ExportControl(exporter="TW", commodity="logic_chip", start=1)), engine="vector", seed=0)
    ax = plot_value_added_loss(daily)
    widths = np.array([p.get_width() for p in ax.patches])
    assert widths.sum() == pytest.approx(daily.value_added_loss().total.sum(), rel=1e-9)   # bars in USD
    plt.close(ax.figure)


def test_value_added_loss_repr_is_one_short_line():
    import numpy as np

    from supplychain._format import format_usd
    from supplychain.impact.loss import ValueAddedLoss
    daily = np.zeros((3, 100, 2, 5))
    daily[:, :, 1, 0] = 2e7          # US electronics loses $2bn over 100 days
    daily[:, :, 0, 4] = -1e6         # JP rest of the economy gains a little
    text = repr(ValueAddedLoss(daily, ("JP", "US"), ("C26", "C27", "C28", "C29", "OTH"), "diim"))
    assert "\n" not in text and len(text) < 200 and "array" not in text
    assert text == (f"ValueAddedLoss(diim: 3 runs x 100 days x 2 regions x 5 industries; total "
                    f"{format_usd(1.9e9)} (mean over runs); largest region US $2.00bn, largest user electronics (C26) "
                    f"$2.00bn, rest of the economy (OTH) -$100M)")


def test_value_added_block_names_industries_and_keeps_the_rest_of_the_economy_apart():
    import pandas as pd

    from supplychain.cli.impact_text import format_value_added
    frame = pd.DataFrame({"region": ["JP"] * 5 + ["US"] * 5, "sector": ["C26", "C27", "C28", "C29", "OTH"] * 2,
                          "value_added_loss_usd": [1e8, 2e8, 0.0, 7e8, 3e9, 5e8, 0.0, 0.0, 1e8, 2e9]})
    lines = format_value_added(frame).splitlines()
    assert re.split(r"\s{2,}", lines[1]) == ["region", "value added lost", "share of GDP", "in the industries using them",
                                             "largest user", "rest of economy"]
    cells = {line[:2]: re.split(r"\s{2,}", line) for line in lines[3:5]}
    # JP: C26 + C27 + C29 = $1.00bn in the users, motor vehicles the largest; OTH's $3bn is its own column,
    # not "the largest industry".
    assert cells["JP"][1] == "$4.00bn" and cells["JP"][3:] == ["$1.00bn", "motor vehicles $700M", "$3.00bn"]
    assert cells["US"][1] == "$2.60bn" and cells["US"][3:] == ["$600M", "electronics $500M", "$2.00bn"]
    assert "OTH" not in "\n".join(lines) and "C2" not in "\n".join(lines[1:])


@pytest.mark.parametrize("keep", ["series", "summary"])
def test_reprs_say_price_feedback_is_on_in_the_run_headers_words(keep):
    on = toy_scenario(10).replace(price_feedback=True)
    kind = "Results" if keep == "series" else "EnsembleResults"
    res = sc.simulate(on, engine="vector", n_runs=1, seed=0, keep=keep)
    assert repr(res).replace(" (NumPy)", "").replace(" (compiled loops)", "").startswith(
        f"{kind}('toy': vector engine, 1 run, seed 0, 10 days from 2025-01-01, "
                                "price feedback: on")
    assert "price feedback: on" in res._repr_html_()
    off = sc.simulate(on.replace(price_feedback=False), engine="vector", n_runs=1, seed=0, keep=keep)
    assert "price feedback" not in repr(off)


@pytest.mark.parametrize("keep", ["series", "summary"])
def test_results_say_whether_the_vector_engine_ran_compiled_loops(monkeypatch, keep):
    monkeypatch.setenv("SUPPLYCHAIN_JIT", "off")
    kind = "Results" if keep == "series" else "EnsembleResults"
    numpy_only = sc.simulate(toy_scenario(10), engine="vector", seed=0, keep=keep)
    assert numpy_only.compiled_loops is False
    assert repr(numpy_only).startswith(f"{kind}('toy': vector engine (NumPy), 1 run")
    assert sc.format_summary(numpy_only).startswith("Scenario 'toy': vector engine (NumPy), 1 run")
    des = sc.simulate(toy_scenario(10), engine="des", seed=0)
    assert des.compiled_loops is False and repr(des).startswith("Results('toy': des engine, 1 run")
    pytest.importorskip("numba")
    monkeypatch.setenv("SUPPLYCHAIN_JIT", "on")
    compiled = sc.simulate(toy_scenario(10), engine="vector", seed=0, keep=keep)
    assert compiled.compiled_loops is True
    assert repr(compiled).startswith(f"{kind}('toy': vector engine (compiled loops), 1 run")
    assert compiled.summary().equals(numpy_only.summary())  # the same numbers either way


def test_version_says_whether_compiled_loops_are_used(monkeypatch, capsys):
    from supplychain.cli import main
    monkeypatch.setenv("SUPPLYCHAIN_JIT", "off")
    assert main(["--version"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("supplychain ") and "runs NumPy alone" in lines[1]
    monkeypatch.setenv("SUPPLYCHAIN_JIT", "sometimes")
    assert main(["--version"]) == 0
    assert "SUPPLYCHAIN_JIT must be one of auto, on, off; got 'sometimes'" in capsys.readouterr().out


@pytest.mark.parametrize("name, region", [("Korea", "KR"), ("South Korea", "KR"), ("Taiwan", "TW"), ("USA", "US"),
                                          ("U.S.", "US"), ("China", "CN"), ("Japan", "JP"),
                                          ("rest of the world", "ROW")])
def test_a_country_name_where_a_region_id_belongs_hints_the_id(name, region):
    from supplychain._validation import check_known
    with pytest.raises(sc.UnknownIdError, match=rf"region {name!r} for DemandShock is not a known id\. "
                                                rf"Did you mean {region!r}\?$"):
        check_known(name, ["JP", "KR", "US", "CN", "TW", "ROW"], "region", "DemandShock")


def test_a_shock_naming_korea_is_told_kr_and_an_unknown_country_gets_the_list():
    from supplychain.model import DemandShock
    base = sc.load_baseline(horizon_days=5)
    with pytest.raises(sc.UnknownIdError, match=r"region 'Korea' for DemandShock is not a known id\. Did you mean 'KR'\?"):
        sc.simulate(base.with_shocks(DemandShock(region="Korea", commodity="logic_chip", factor=2.0)))
    with pytest.raises(sc.UnknownIdError, match=r"'Germany' .* Known: CN, JP, KR, ROW, TW, US\."):
        sc.simulate(base.with_shocks(DemandShock(region="Germany", commodity="logic_chip", factor=2.0)))
    # A country name only maps to an id the network has: elsewhere it is an ordinary unknown id.
    from supplychain._validation import close_matches
    assert close_matches("Korea", ["north", "south"]) == []


def test_one_run_is_never_called_a_mean_over_runs():
    import numpy as np
    import pandas as pd

    from supplychain.cli.impact_text import format_value_added
    from supplychain.cli.price_text import format_price_notes
    from supplychain.impact.loss import ValueAddedLoss
    on = toy_scenario(10).replace(price_feedback=True)
    one, two = (sc.simulate(on, engine="vector", n_runs=n, seed=0) for n in (1, 2))
    assert "mean over runs" not in format_price_notes(one) and "mean over runs" in format_price_notes(two)
    assert "mean over runs" not in one._repr_html_() and "mean over runs" in two._repr_html_()
    loss = np.ones((1, 3, 1, 1))
    assert "mean over runs" not in repr(ValueAddedLoss(loss, ("JP",), ("C26",), "ario"))
    assert "mean over runs" in repr(ValueAddedLoss(np.ones((2, 3, 1, 1)), ("JP",), ("C26",), "ario"))
    frame = pd.DataFrame({"region": ["JP"], "sector": ["C26"], "value_added_loss_usd": [1e9]})
    frame.attrs.update(n_runs=1, net_of_baseline=True)
    assert format_value_added(frame).splitlines()[-2] == ("Total value added lost: $1.00bn (against the unshocked "
                                                          "baseline).")
    frame.attrs.update(n_runs=5)
    assert "(mean over runs, against the unshocked baseline)" in format_value_added(frame)


def test_no_value_added_lost_is_one_line_without_a_zero_total():
    import pandas as pd

    from supplychain.cli.impact_text import format_value_added
    frame = pd.DataFrame({"region": ["JP", "US"], "sector": ["C26", "OTH"], "value_added_loss_usd": [0.0, 0.0]})
    frame.attrs.update(n_runs=1, net_of_baseline=True)
    lines = format_value_added(frame).splitlines()
    assert lines[1:] == ["No value added lost: no demand for chips, cells, magnets, germanium or gallium was "
                         "shorter than in the unshocked baseline."]


def test_the_scope_line_names_every_input_the_mapping_counts():
    # The value added lost counts what the impact mapping's inputs not delivered stop: gallium and germanium
    # are mapped too, so the line must not say "chips, cells and magnets" alone; it follows the mapping.
    import dataclasses

    import pandas as pd

    from supplychain.cli.impact_text import format_value_added, mapped_inputs, scope_note
    from supplychain.impact.table import load_io_table
    table = load_io_table()
    assert {"gallium", "germanium"} <= set(table.dependence)
    frame = pd.DataFrame({"region": ["JP", "JP"], "sector": ["C26", "OTH"], "value_added_loss_usd": [1e9, 1e8]})
    scope = [line for line in format_value_added(frame).splitlines() if line.startswith("Scope:")]
    assert scope == [scope_note()]
    assert scope[0].startswith("Scope: only the output that the chips, cells, magnets, germanium and gallium not "
                               "delivered stop;")
    chips_only = dataclasses.replace(table, dependence={k: v for k, v in table.dependence.items() if k.endswith("_chip")})
    assert mapped_inputs(chips_only) == ["chips"]
    assert scope_note(chips_only).startswith("Scope: only the output that the chips not delivered stop;")
