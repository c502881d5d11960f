"""The impact layer (docs/model.md §8.3): input-output kernels on hand-computed systems, the cited
table and its derivation, and value added lost in Results, ensembles, archives, plots and the CLI."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import numpy as np
import pytest

import supplychain as sc
from supplychain.analytics import gdp_at_risk
from supplychain.impact import Ario, ArioParameters, ario, diim, leontief_inverse, load_io_table
from supplychain.impact.loss import InputMap, Shortfalls, value_added_loss
from supplychain.impact.table import value_added_by_region
from supplychain.io.scenario import save_scenario

ROOT = Path(__file__).resolve().parent.parent
TABLE_FILE = ROOT / "supplychain" / "data" / "impact" / "io_table.toml"


# Kernels on hand-computed systems ------------------------------------------------------------
def test_leontief_inverse_of_a_two_sector_economy():
    a = np.array([[0.2, 0.3], [0.4, 0.1]])
    # det(I - A) = 0.8 * 0.9 - 0.3 * 0.4 = 0.6; inverse = [[0.9, 0.3], [0.4, 0.8]] / 0.6
    assert np.allclose(leontief_inverse(a), np.array([[1.5, 0.5], [2 / 3, 4 / 3]]))
    with pytest.raises(ValueError, match="not productive"):
        leontief_inverse(np.array([[0.6, 0.5], [0.5, 0.6]]))


def test_diim_reaches_the_static_iim_and_recovers_at_its_rate():
    a_star = np.array([[0.2, 0.3], [0.1, 0.0]])
    k = np.array([0.2, 0.3])
    c = np.zeros((600, 2))
    c[:300, 0] = 0.1
    q = diim(a_star, k, c)
    assert np.allclose(q[299], leontief_inverse(a_star) @ np.array([0.1, 0.0]), atol=1e-10)
    # one sector alone decays by 1 - k (1 - a*_ii) a day once the perturbation ends
    one = diim(np.array([[0.25]]), np.array([0.2]), np.r_[np.full((50, 1), 0.2), np.zeros((50, 1))])
    assert np.allclose(one[51:, 0] / one[50:-1, 0], 1 - 0.2 * 0.75)
    assert q[-1].max() < 1e-12


def test_ario_without_a_shock_loses_nothing_on_the_shipped_table():
    t = load_io_table()
    out = ario(t.a, t.daily_output, t.sector_of_node, t.params, np.ones((2, 40, t.a.shape[0])))
    assert np.allclose(out, t.daily_output, rtol=1e-12)


def test_ario_one_sector_without_overproduction_loses_exactly_the_capacity_cut():
    cap = np.ones((1, 30, 1))
    cap[0, 10:20] = 0.25
    out = ario(np.zeros((1, 1)), np.array([8.0]), np.array([0]),
               ArioParameters(np.array([30.0]), alpha_max=1.0), cap)
    assert out.sum() == pytest.approx(8.0 * 30 - 10 * 0.75 * 8.0)


def test_ario_client_draws_its_inventory_before_cutting_output():
    # supplier 0 sells a = 0.5 per unit to client 1; the client holds 30 days of it
    a = np.array([[0.0, 0.5], [0.0, 0.0]])
    x0 = np.array([10.0, 20.0])
    p = ArioParameters(np.array([30.0, 30.0]), psi=0.8, alpha_max=1.0)
    cap = np.ones((1, 40, 2))
    cap[0, :, 0] = 0.0                                        # the supplier stops on day 0
    out = ario(a, x0, np.array([0, 1]), p, cap)
    # stock 30 x 10 = 300 falls by 10 a day; output holds until stock < 0.8 x 300 = 240, i.e. for 6 days
    assert np.allclose(out[0, :7, 1], 20.0)
    assert out[0, 7, 1] == pytest.approx(20.0 * 230 / 240)   # stock 230 of the 240 it needs
    assert (np.diff(out[0, 7:, 1]) < 0).all()
    assert np.allclose(out[0, :, 0], 0.0)


def test_ario_overproduction_makes_up_for_lost_output():
    cap = np.ones((1, 400, 2))
    cap[0, 10:40, 0] = 0.5
    a = np.array([[0.0, 0.5], [0.0, 0.0]])
    x0 = np.array([10.0, 20.0])
    kernel_out = ario(a, x0, np.array([0, 1]), ArioParameters(np.array([30.0, 30.0]), tau_alpha=30.0), cap)
    late = kernel_out[0, 40:, 0]
    assert late.max() > 10.0 + 1e-6                         # the supplier overproduces to refill stocks
    assert late.max() <= 1.25 * 10.0 + 1e-9                  # within alpha_max


def test_ario_rows_share_state_and_match_the_batch():
    t = load_io_table()
    cap = np.ones((3, 20, t.a.shape[0]))
    cap[1, 5:, :4] = 0.7
    batch = Ario(t.a, t.daily_output, t.sector_of_node, t.params, 3)
    single = Ario(t.a, t.daily_output, t.sector_of_node, t.params, 3)
    rows = [single.row(r) for r in range(3)]
    for day in range(20):
        out = batch.step(cap[:, day])
        for r in range(3):
            assert np.array_equal(rows[r].step(cap[r: r + 1, day])[0], out[r])


# The table and its derivation ----------------------------------------------------------------
def test_table_file_is_re_created_byte_for_byte_and_cites_every_number():
    from tools.impact.build import render
    assert render().encode("utf-8") == TABLE_FILE.read_bytes()
    data = tomllib.loads(TABLE_FILE.read_text(encoding="utf-8"))

    def values(node):
        if isinstance(node, dict):
            if "value" in node and not isinstance(node["value"], dict):
                yield node
            for v in node.values():
                yield from values(v)
        elif isinstance(node, list):
            for v in node:
                yield from values(v)
    entries = list(values(data))
    assert len(entries) > 80
    assert all(isinstance(e.get("source"), str) and len(e["source"]) > 10 for e in entries)


def test_table_reproduces_gdp_and_is_productive():
    t = load_io_table()
    gdp = value_added_by_region(t)
    assert gdp[t.regions.index("US")] == pytest.approx(23315.1e9, rel=1e-4)   # IMF WEO Oct 2022, 2021
    assert gdp.sum() == pytest.approx(96527.0e9, rel=1e-4)
    x = t.output.reshape(-1)
    assert (x - t.a @ x > 0).all()                              # final demand positive everywhere
    assert (leontief_inverse(t.a) >= 0).all()
    assert np.allclose(t.value_added, 1 - t.a.sum(axis=0))


# From shortfalls to losses -------------------------------------------------------------------
def test_a_regional_chip_shortfall_caps_the_dependent_industries_of_that_region():
    net = sc.load_baseline(horizon_days=5).network
    # one pooled buyer per region and chip class (segments map to their own sectors: tests/test_segments_demand.py)
    net = dataclasses.replace(net, demands=tuple(dataclasses.replace(d, segment=None) for d in net.demands))
    t = load_io_table()
    imap = InputMap.build(net, t, rationing="pro_rata")
    demand = np.ones((1, len(net.demands)))
    delivered = demand.copy()
    jp = [i for i, d in enumerate(net.demands) if (d.region, d.commodity) == ("JP", "mature_chip")]
    delivered[0, jp] = 0.6
    cap = imap.capacity(demand, delivered).reshape(len(t.regions), len(t.sectors))
    # every C27 and C29 product needs mature chips; in C26 and C28 only what Japan's chips serve at their content
    w26, _, w28, _ = imap.dependence[imap.columns.index(("JP", "mature_chip", None)), 5 * t.regions.index("JP"):][:4]
    assert 0.5 < w26 < 0.7 and 0.5 < w28 < 0.8
    assert np.allclose(cap[t.regions.index("JP"), :4], [1.0 - 0.4 * w26, 0.6, 1.0 - 0.4 * w28, 0.6])
    # Priority: vehicles (26.37 % of use) go short first, then C27 and C28 (23.44 %), electronics last: the 40 % short
    # stops all of C29 and (0.4 - 0.2637) / 0.2344 of C27's and C28's use
    cap_p = InputMap.build(net, t).capacity(demand, delivered).reshape(len(t.regions), len(t.sectors))
    s = (0.4 - 0.2637) / 0.2344
    assert np.allclose(cap_p[t.regions.index("JP"), :4], [1.0, 1.0 - s, 1.0 - s * w28, 0.0])
    assert cap[t.regions.index("JP"), 4] == 1.0 and np.all(np.delete(cap, t.regions.index("JP"), 0) == 1.0)
    cells = [i for i, d in enumerate(net.demands) if (d.region, d.commodity) == ("CN", "li_ion_cell")]
    delivered = demand.copy()
    delivered[0, cells] = 0.5
    cap = InputMap.build(net, t).capacity(demand, delivered).reshape(len(t.regions), len(t.sectors))
    assert cap[t.regions.index("CN"), 3] == pytest.approx(1 - 0.5 * 0.38)   # China's EV share of vehicles


def test_vehicles_last_for_mature_chips_cites_how_foundries_allocated_in_2021():
    rows = [r for r in tomllib.loads(TABLE_FILE.read_text())["priority"] if r["commodity"] == "mature_chip"]
    rank = {r["sector"]: r["value"]["value"] for r in rows}
    assert min(rank, key=rank.get) == "C29" and sorted(rank.values()).count(rank["C29"]) == 1
    source = rows[0]["value"]["source"]
    # The basis is named (allocation by foundries, automakers' 2020 cancellations, their small share of
    # foundry revenue), and so is the judgement it leaves for other shocks.
    for basis in ("E.O. 14017", "Request for Information", "TSMC, 2020 Annual Report", "cancelled orders",
                  "rationing='pro_rata' is the neutral option"):
        assert basis in source
    assert all(r["value"]["source"] == source for r in rows)


@pytest.mark.parametrize("method", ["ario", "diim"])
def test_value_added_lost_is_v_times_output_lost_and_zero_without_shortfall(method):
    net = sc.load_baseline(horizon_days=5).network
    demand = np.ones((2, 60, len(net.demands)))
    delivered = demand.copy()
    assert np.abs(value_added_loss(demand, delivered, net, method=method).daily).max() == 0.0
    us = [i for i, d in enumerate(net.demands) if (d.region, d.commodity) == ("US", "logic_chip")]
    delivered[1, 10:30, us] = 0.0
    loss = value_added_loss(demand, delivered, net, method=method)
    assert np.abs(loss.total[0]).max() == 0.0 and loss.total[1].sum() > 0
    r = loss.regions.index("US")
    assert loss.total[1, r].sum() == loss.total[1].sum(axis=1).max()
    frame = loss.to_dataframe()
    assert len(frame) == 2 * 6 * 5 and frame.value_added_loss_usd.sum() == pytest.approx(loss.total.sum())


@pytest.fixture(scope="module")
def shortage():
    """README's flagship on 130 days: the chip and magnet shortfalls are under way (~$50bn value added lost)."""
    return sc.load_example("taiwan_blockade_magnets").with_horizon(130)


def test_summary_ensembles_carry_the_same_losses_as_daily_results_on_every_engine(shortage):
    series = sc.simulate(shortage, engine="vector", seed=3).value_added_loss().total
    assert series.sum() > 1e9
    vector = sc.simulate(shortage, engine="vector", seed=3, keep="summary").value_added_loss
    des = sc.simulate(shortage, engine="des", seed=3, keep="summary").value_added_loss
    assert np.allclose(vector, series, rtol=1e-9) and np.allclose(des, series, rtol=1e-9)


def test_summary_losses_do_not_depend_on_chunk_size_and_survive_the_archive(shortage, tmp_path):
    from supplychain.datasets.baseline import with_random_lead_times
    from supplychain.results.ensemble import load_ensemble
    noisy = with_random_lead_times(shortage)
    one = sc.simulate(noisy, engine="vector", seed=5, n_runs=3, keep="summary", chunk_size=1)
    three = sc.simulate(noisy, engine="vector", seed=5, n_runs=3, keep="summary", chunk_size=3)
    assert np.array_equal(one.value_added_loss, three.value_added_loss)
    back = load_ensemble(one.save(tmp_path / "ens.npz"))
    assert np.array_equal(back.value_added_loss, one.value_added_loss)
    assert np.allclose(back.value_added_loss_total(), one.value_added_loss.sum(axis=(1, 2)))


def test_gdp_at_risk_weights_by_probability_and_nets_out_the_paired_baseline(shortage):
    shocked = sc.simulate(shortage, engine="vector", seed=3, keep="summary")
    base = sc.simulate(shortage.without_shocks(), engine="vector", seed=3, keep="summary")
    full = gdp_at_risk(shocked, baseline=base)
    tenth = gdp_at_risk(shocked, 0.1, baseline=base)
    assert full.loc["ALL", "gdp_at_risk_usd"] == pytest.approx(shocked.value_added_loss.sum())
    assert tenth.loc["ALL", "gdp_at_risk_usd"] == pytest.approx(0.1 * full.loc["ALL", "gdp_at_risk_usd"])
    assert full.loc["ALL", "gdp_usd"] == pytest.approx(96527.0e9, rel=1e-4)
    with pytest.raises(ValueError, match="probability"):
        gdp_at_risk(shocked, 1.5)


def test_losses_plot_stacks_industries_per_region_on_given_axes():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from supplychain.plotting import plot_value_added_loss
    _, ax = plt.subplots()
    arr = np.zeros((1, 6, 5))
    arr[0, 2, 3] = 4e9
    assert plot_value_added_loss(arr, ax=ax) is ax
    widths = [p.get_width() for p in ax.patches]
    # bars in USD, on the shared money ticks ($4bn)
    assert max(widths) == pytest.approx(4e9) and sum(widths) == pytest.approx(4e9)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(load_io_table().regions)
    plt.close("all")


def test_cli_run_prints_value_added_lost(shortage, tmp_path, capsys):
    from supplychain.cli.app import main
    path = save_scenario(shortage, tmp_path / "shortage.toml")
    # On the vector engine: the text and files are the engines' common path; the DES's run of the flagship
    # command prints the same section (tests/test_shipped_scenarios.py, README's flagship block).
    assert main(["run", str(path), "--quiet", "--engine", "vector", "--no-cover-band", "--horizon", "90",
                 "--out", str(tmp_path / "o")]) == 0
    text = capsys.readouterr().out
    assert "Value added lost beyond the chain" in text and "Total value added lost: $" in text
    assert (tmp_path / "o" / "value_added_loss.csv").exists() and (tmp_path / "o" / "value_added_loss.png").exists()


# Rationing and substitution (docs/model.md §8.3) on a hand-built one-region table --------------
def _toy(rank=(3.0, 1.0, 1.0), substitution=None):
    from types import SimpleNamespace

    from supplychain.impact.kernel import ArioParameters
    from supplychain.impact.table import IOTable

    table = IOTable(regions=("A",), sectors=("X", "Y", "Z"), output=np.ones((1, 3)), a=np.zeros((3, 3)),
                    value_added=np.ones(3), dependence={"c": np.array([[1.0, 0.5, 1.0]])},
                    params=ArioParameters(np.full(3, 30.0)), use={"c": np.array([0.5, 0.3, 0.2])},
                    priority={"c": np.array(rank)}, substitution=substitution or {})
    net = SimpleNamespace(demands=[SimpleNamespace(region="A", commodity="c"),
                                   SimpleNamespace(region="A", commodity="other")])
    return net, table


@pytest.mark.parametrize("s, expected", [(0.3, [1.0, 0.7, 0.4]), (0.7, [0.6, 0.5, 0.0]), (1.0, [0.0, 0.5, 0.0])])
def test_priority_rationing_shorts_the_lowest_rank_first_and_ties_pro_rata(s, expected):
    net, table = _toy()
    imap = InputMap.build(net, table)
    cap = imap.capacity(np.array([[10.0, 1.0]]), np.array([[10.0 * (1 - s), 0.0]]))
    # Y and Z (rank 1, 50 % of use) share the shortfall pro rata; X (rank 3) only past 50 %.
    assert np.allclose(cap[0], expected)
    pro = InputMap.build(net, table, rationing="pro_rata").capacity(np.array([[10.0, 1.0]]),
                                                                      np.array([[10.0 * (1 - s), 1.0]]))
    assert np.allclose(pro[0], 1.0 - np.array([1.0, 0.5, 1.0]) * s)


def test_priority_rationing_conserves_the_shortfall():
    net, table = _toy(rank=(1.0, 2.0, 3.0))
    for s in np.linspace(0.0, 1.0, 11):
        args = (np.array([[1.0, 1.0]]), np.array([[1.0 - s, 1.0]]))
        prio, pro = InputMap.build(net, table).capacity(*args), \
            InputMap.build(net, table, rationing="pro_rata").capacity(*args)
        # Shortfall is conserved: use-weighted shares short equal s under both rules.
        imap = InputMap.build(net, table)
        each = np.clip((s - imap.later) / imap.group, 0, 1)
        assert float((each * imap.use).sum()) == pytest.approx(s)
        assert prio.shape == pro.shape == (1, 3)


def test_substitution_ramps_linearly_from_the_first_short_day_and_persists():
    net, table = _toy(rank=(1.0, 1.0, 1.0), substitution={"c": (0.2, 4.0)})
    short = Shortfalls(InputMap.build(net, table), n_runs=1)
    days = [1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5]          # delivered share of demand
    got = [short.capacity(np.array([[1.0, 1.0]]), np.array([[y, 1.0]]))[0, 0] for y in days]
    # s_eff = max(0, s - 0.2 min(1, age / 4)); age counts from the first short day (day 1).
    assert np.allclose(got, [1.0, 0.55, 0.6, 0.65, 0.7, 0.7, 1.0, 0.7])
    assert short.age[0].tolist() == [8.0 - 1.0]


def test_shortfall_is_measured_over_the_users_working_stock():
    net, table = _toy()
    short = Shortfalls(InputMap.build(net, table), n_runs=2, window=3)
    days = [1.0, 0.0, 1.0, 1.0, 1.0, 0.4, 1.5]                 # delivered share of demand (run 0)
    got = [short.short(np.array([[1.0, 1.0], [2.0, 1.0]]), np.array([[y, 1.0], [2.0, 1.0]]))[:, 0] for y in days]
    # 1 - min(1, sum of the last 3 days delivered / demanded); a late surplus fills the window's gap.
    assert np.allclose([g[0] for g in got], [0.0, 0.5, 1 / 3, 1 / 3, 0.0, 0.2, 1 / 30])
    assert [g[1] for g in got] == [0.0] * len(days)              # run 1 is never short
    one = Shortfalls(InputMap.build(net, table), n_runs=2, window=3)
    for y in days:                                               # a run fed alone through its view
        alone = one.row(0).short(np.array([[1.0, 1.0]]), np.array([[y, 1.0]]))
    assert alone[0, 0] == got[-1][0] and one.day.tolist() == [len(days), 0]
    with pytest.raises(ValueError, match="window must be a whole number of days >= 1, got 0"):
        Shortfalls(InputMap.build(net, table), n_runs=1, window=0)


def test_the_working_stock_is_read_from_the_table_and_checked():
    from supplychain.impact.table import parse_io_table
    data = tomllib.loads(TABLE_FILE.read_text())
    assert parse_io_table(data).working_stock_days == 5
    del data["parameters"]["working_stock_days"]
    assert parse_io_table(data).working_stock_days == 1        # a table without one measures each day alone
    data["parameters"]["working_stock_days"] = {"value": 2.5, "source": "test"}
    with pytest.raises(ValueError, match="working_stock_days: expected a whole number of days >= 1, got 2.5"):
        parse_io_table(data)


def test_lumpy_deliveries_lose_what_smooth_ones_of_the_same_volume_do():
    """A day without an arrival, made up within the users' working stock, destroys no value added.

    20 % of Japan's GaAs/GaN devices short every day, or delivered four days in five at the full rate:
    the same volume. Measured day by day, the lumpy series lost 14 times as much, since priority
    rationing is convex in the day's shortfall (a day with none short every user, however ranked).
    """
    import dataclasses

    net = sc.load_baseline(horizon_days=10).network
    n_days = 150
    cols = [i for i, d in enumerate(net.demands) if d.commodity == "compound_chip" and d.region == "JP"]
    demand = np.ones((1, n_days, len(net.demands)))
    smooth, lumpy = demand.copy(), demand.copy()
    smooth[:, 20:, cols] = 0.8
    lumpy[:, 20:, cols] = np.tile([1.0, 1.0, 1.0, 1.0, 0.0], n_days // 5)[:n_days - 20][None, :, None]
    table = load_io_table()
    assert table.working_stock_days == 5
    even, uneven = (float(value_added_loss(demand, y, net).total.sum()) for y in (smooth, lumpy))
    assert even > 1e8 and uneven == pytest.approx(even, rel=0.01)
    daily = dataclasses.replace(table, working_stock_days=1)      # the day-by-day measure inflates the loss
    assert float(value_added_loss(demand, lumpy, net, table=daily).total.sum()) > 5 * even


def test_a_bad_rationing_or_use_table_is_refused():
    net, table = _toy()
    with pytest.raises(ValueError, match="rationing must be 'priority' or 'pro_rata'"):
        InputMap.build(net, table, rationing="fair")


def test_content_caps_the_dependence_at_what_the_input_supply_can_serve():
    from types import SimpleNamespace

    net, table = _toy()
    table = type(table)(**{**table.__dict__, "output": np.array([[3650.0, 1.0, 1.0]]),
                           "content": {"c": np.array([0.1, 0.0, 0.0])}})
    net = SimpleNamespace(commodities=[SimpleNamespace(id="c", price_usd=2.0)],
                          demands=[SimpleNamespace(region="A", commodity="c", rate_per_day=0.4)])
    # X: use 0.5 x 365 x 2 x 0.4 USD a year at a content of 0.1 serves 1,460 of 3,650 USD: w = 0.4.
    imap = InputMap.build(net, table)
    assert np.allclose(imap.dependence[0], [0.4, 0.5, 1.0])


def test_the_cli_block_prints_the_loss_given_shortfall():
    import pandas as pd

    from supplychain.cli.impact_text import format_value_added

    frame = pd.DataFrame({"region": ["JP", "JP"], "sector": ["C26", "OTH"], "value_added_loss_usd": [2e9, 1e9]})
    frame.attrs["shortfall_usd"] = 0.5e9
    assert format_value_added(frame).splitlines()[-2].startswith("Loss given shortfall: 6.0 USD of value added")
    frame.attrs["shortfall_usd"] = 0.0                       # nothing short: no ratio
    assert "Loss given" not in format_value_added(frame)
