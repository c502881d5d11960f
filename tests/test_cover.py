"""Stock cover (supplychain.metrics.cover): hand-computed oracles, conservation, agreement and errors."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain import CapacityShock, LogisticsShock, simulate
from supplychain.analytics._toy import toy_network, toy_scenario
from supplychain.compile.compiler import compile_scenario
from supplychain.errors import UnknownIdError, ValidationError
from supplychain.metrics import (
    COVER_MEASURES,
    cover_margin_days,
    days_to_restock,
    share_left_at_trough,
    stock_cover,
    stock_drawn,
    stock_groups,
    trough_cover_days,
)
from supplychain.metrics._cover_toy import stop_scenario
from supplychain.model import Scenario


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_hand_computed_stop(engine: str) -> None:
    """Mine stops on days 5-9: its one day of stock ships on day 5, nothing lands in the US on days 7-10.

    US stock (10 days x 10 t) falls 10 t/day from day 7 to 60 t on day 10 (last day at 100: day 6),
    then the mine ships 20 t/day and the stock is back to 100 t (>= 95) on day 14.
    """
    table = stock_cover(simulate(stop_scenario(stop_days=5), engine=engine), by="stock").set_index("stock")
    us, mine = table.loc["US.ore:ore"], table.loc["CN.mine:ore"]
    assert us[["normal_stock", "normal_use_per_day", "normal_cover_days"]].tolist() == [100.0, 10.0, 10.0]
    assert us[["trough_day", "trough_stock", "stock_drawn", "stock_drawn_usd"]].tolist() == [10, 60.0, 40.0, 4000.0]
    assert us[["share_left", "trough_cover_days", "draw_start_day", "draw_rate_per_day"]].tolist() == [0.6, 6.0, 7, 10.0]
    assert us[["margin_days", "restocked_day", "days_to_restock"]].tolist() == [6.0, 14.0, 4.0]
    assert str(us["trough_date"].date()) == "2025-01-11" and us["unit"] == "t"
    # The mine's one day of finished ore goes on day 5 and is rebuilt once the backlog is cleared.
    assert mine[["trough_day", "stock_drawn", "share_left", "margin_days", "restocked_day"]].tolist() == [5, 10.0, 0.0, 0.0, 15.0]


def test_margin_is_the_extra_stop_the_stock_absorbs() -> None:
    """A stop longer by the margin is still served in full; one day more leaves orders unfilled."""
    margin = int(cover_margin_days(simulate(stop_scenario(stop_days=5)), by="demand").iloc[0, 0])
    assert margin == 6

    def short(days: int) -> float:
        res = simulate(stop_scenario(stop_days=days))
        return float((res.demand - res.delivered).sum())

    assert short(5 + margin) == 0.0
    assert short(5 + margin + 1) == pytest.approx(10.0)


def test_wide_functions_agree_with_the_table() -> None:
    res = simulate(stop_scenario(stop_days=8, horizon_days=30))
    table = stock_cover(res, by="demand", restocked=0.7)
    assert table.columns.tolist() == ["run", "demand", *COVER_MEASURES]
    assert stock_drawn(res, by="demand").iloc[0, 0] == 70.0 == table["stock_drawn"].iloc[0]
    assert stock_drawn(res, usd=True, by="demand").iloc[0, 0] == 7000.0
    assert trough_cover_days(res, by="demand").iloc[0, 0] == 3.0
    assert share_left_at_trough(res, by="demand").iloc[0, 0] == pytest.approx(0.3)
    assert days_to_restock(res, by="demand", restocked=0.7).iloc[0, 0] == table["days_to_restock"].iloc[0] == 4.0
    assert days_to_restock(res, by="demand", restocked=0.0).iloc[0, 0] == 0.0
    assert cover_margin_days(res, by="demand").iloc[0, 0] == pytest.approx(3.0)
    assert stock_drawn(res, usd=True, by="region").columns.tolist() == ["CN", "US"]


def test_not_restocked_within_the_horizon_is_nan() -> None:
    table = stock_cover(simulate(stop_scenario(stop_days=5, horizon_days=12)), by="demand")
    assert np.isnan(table["restocked_day"].iloc[0]) and np.isnan(table["days_to_restock"].iloc[0])


def test_unshocked_steady_state_draws_nothing() -> None:
    table = stock_cover(simulate(toy_scenario(40), engine="vector"), by="stock")
    held = table[table["normal_stock"] > 0]
    assert (held["stock_drawn"] == 0).all() and (held["share_left"] == 1).all()
    assert np.isinf(held["margin_days"]).all() and (held["days_to_restock"] == 0).all()
    assert held["draw_start_day"].isna().all()


def _shocked_toy() -> Scenario:
    return Scenario(toy_network(), horizon_days=60, shocks=(
        CapacityShock(facility="CN.mine", fraction_lost=1.0, start=5, end=25),
        LogisticsShock(origin_region="KR", destination_region="US", closed=True, start=10, end=20)))


def test_stock_drawn_is_conserved() -> None:
    """Each stock's draw to its trough equals what left it less what came in, from the recorded flows."""
    res = simulate(_shocked_toy(), engine="vector")
    c = compile_scenario(res.scenario)
    inflow = res.arrivals @ c.m_lane_to_stock.toarray() + res.production @ c.m_production.toarray()
    outflow = np.zeros_like(inflow)
    outflow[:, :, c.out_stock] = res.flow @ c.m_lane_to_origin.toarray()
    outflow[:, :, c.demand_stock] += res.delivered
    net_out = np.cumsum(outflow - inflow, axis=1)[0]                  # (T, S)
    table = stock_cover(res, by="stock")
    day = table["trough_day"].to_numpy().astype(int)
    drawn_from_flows = net_out[day, np.arange(c.n_stocks)]
    assert np.allclose(np.maximum(drawn_from_flows, 0.0), table["stock_drawn"], atol=1e-9)
    assert table["stock_drawn"].max() > 0
    # A region's value drawn is its value series' fall to its own trough: at most the sum of its stocks' draws.
    by_region = stock_cover(res, by="region").set_index("region")
    price = {"ore": 100.0, "cell": 1000.0}
    value = np.array([price[s.split(":")[1]] for s in table["stock"]]) * table["stock_drawn"].to_numpy()
    regions = np.array(res.coords.region["stock"])
    for region, row in by_region.iterrows():
        assert row["stock_drawn_usd"] <= value[regions == region].sum() + 1e-6
        assert np.isnan(row["stock_drawn"]) and row["unit"] == "USD"


def test_engines_agree_exactly() -> None:
    tables = [stock_cover(simulate(_shocked_toy(), engine=e), by="region_commodity", held_by="buyers")
              for e in ("des", "vector")]
    numbers = [t.select_dtypes("number").to_numpy(dtype=float) for t in tables]
    assert np.allclose(numbers[0], numbers[1], atol=1e-9, equal_nan=True)


def test_holders_and_groups() -> None:
    res = simulate(toy_scenario(5))
    assert stock_groups(res, by="region_commodity", held_by="producers")[0] == ("CN:ore", "KR:cell", "ROW:ore")
    assert stock_groups(res, by="region_commodity", held_by="buyers")[0] == ("JP:cell", "KR:ore", "US:cell")
    assert stock_groups(res, by="demand", held_by="all")[0] == ("US.cells", "JP.cells")
    labels, matrix = stock_groups(res, by="commodity")
    assert labels == ("cell", "ore") and matrix.sum() == res.inventory.shape[2]


def test_series_ensemble_gives_one_row_per_run() -> None:
    from dataclasses import replace

    from supplychain.model import Triangular
    base = stop_scenario(stop_days=5, horizon_days=30)
    lanes = tuple(replace(lane, lead_time=Triangular(1.0, 2.0, 4.0)) for lane in base.network.lanes)
    res = simulate(base.replace(network=replace(base.network, lanes=lanes)), engine="vector", n_runs=3, seed=1)
    table = stock_cover(res, by="demand")
    assert table["run"].tolist() == [0, 1, 2]
    assert (table["stock_drawn"] > 0).all() and table["trough_date"].nunique() >= 1


def test_errors_name_the_field() -> None:
    res = simulate(stop_scenario(stop_days=5, horizon_days=15))
    with pytest.raises(ValidationError, match="usd must be True when by='region'"):
        stock_drawn(res, by="region")
    with pytest.raises(UnknownIdError, match="'region_comodity'.*Did you mean 'region_commodity'"):
        stock_cover(res, by="region_comodity")  # type: ignore[arg-type]
    with pytest.raises(UnknownIdError, match="held_by"):
        stock_cover(res, held_by="users")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="restocked must be"):
        stock_cover(res, restocked=1.5)
    summary = simulate(stop_scenario(stop_days=5, horizon_days=15), engine="vector", n_runs=1, seed=1,
                       keep="summary")
    with pytest.raises(TypeError, match="stock_cover needs daily results"):
        stock_cover(summary)  # type: ignore[arg-type]


def test_plot_cover_marks_each_trough() -> None:
    import matplotlib
    matplotlib.use("Agg")
    from supplychain.plotting import plot_cover

    shocked = simulate(_shocked_toy(), engine="vector")
    ax = plot_cover(shocked, "cell", baseline=simulate(toy_scenario(60), engine="vector"))
    regions = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert regions[:2] == ["JP", "US"] and "dashed: baseline" in ax.get_title()
    table = stock_cover(shocked, by="region_commodity", held_by="final_buyers").set_index("region_commodity")
    assert table.loc["JP:cell", "stock_drawn"] == 0 < table.loc["US:cell", "stock_drawn"]   # one trough marked
    mark = f"{table.loc['US:cell', 'share_left']:.0%} ({table.loc['US:cell', 'trough_cover_days']:.1f} d)"
    assert [t.get_text() for t in ax.texts] == [mark]
    with pytest.raises(UnknownIdError, match="Did you mean 'cell'"):
        plot_cover(shocked, "cel")
    import matplotlib.pyplot as plt
    plt.close("all")


def test_cover_notes_give_the_margin_where_nothing_ran_short_and_the_empty_day_where_it_did() -> None:
    from supplychain.cli.cover_text import format_cover_notes

    drawn = simulate(stop_scenario(stop_days=8))
    text = format_cover_notes(drawn, simulate(stop_scenario(stop_days=8).without_shocks()))
    assert "No final demand for ore went short, but buyers' stocks fell to 30.0% of normal in US (3.0 of 10 days of cover) on " \
           "2025-01-14, 3 days from running out" in text
    assert format_cover_notes(drawn, drawn) == ""                       # no worse than the baseline: no line
    # Stopped 12 days on 10 days of cover: the stock, 100 t - 10 t a day from day 7, is empty on day 16
    # (2025-01-17), all 100 t at $100 drawn; its line says it ran short, the shortfall table gives how much.
    short = format_cover_notes(simulate(stop_scenario(stop_days=12))).splitlines()
    assert short[1].startswith("ore ran short (in the shortfall table): buyers' usable stock gave out in US on "
                               "2025-01-17; $10.0k drawn in all regions;") and len(short) == 2
    summary = simulate(stop_scenario(stop_days=5, horizon_days=15), engine="vector", keep="summary")
    assert "not known from per-run summaries" in format_cover_notes(summary)


def test_cover_notes_say_a_fall_cut_short_by_the_horizon_is_no_trough() -> None:
    # The US stock falls by 10 t a day from day 7 until day 13: a run of 13 days ends on day 12, still falling.
    from supplychain.cli.cover_text import format_cover_notes
    cut = stop_scenario(stop_days=8, horizon_days=13)
    text = format_cover_notes(simulate(cut), simulate(cut.without_shocks()))
    assert "buyers' stocks were still falling when it ended: 40.0% of normal in US (4.0 of 10 days of cover) on " \
           "2025-01-13" in text and "fell to" not in text


def test_run_headline_shows_the_flagship_logic_buffers(capsys: pytest.CaptureFixture[str]) -> None:
    """The blockade leaves every segment's buyers short of logic chips: each holds its own stock of Taiwan's
    designs (docs/model.md §5.6.6, design-specific stocks), so no buffer line names logic chips; the shortfall
    is given per end-use segment, not for the region's pooled stock."""
    from supplychain.cli.app import main

    assert main(["run", "taiwan_blockade_magnets", "--horizon", "140", "--engine", "vector", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert not any(l.startswith("No final demand for logic_chip") for l in out.splitlines())
    line = next(l for l in out.splitlines() if l.startswith("Shortfall by end-use segment"))
    assert all(f"{g} +$" in line for g in ("electronics", "automotive", "industrial"))


def test_a_cover_line_says_stocks_ran_out_when_the_trough_is_empty() -> None:
    """An empty stock fed a plant's own use, not final demand: the line says it ran out, with no margin."""
    from supplychain.cli.cover_text import _line

    res = simulate(stop_scenario(stop_days=8))
    rows = stock_cover(res, by="region_commodity", held_by="buyers").set_index("region_commodity")
    rows = rows[rows["normal_stock"] > 0].copy()
    rows["share_left"] = 0.0
    line = _line(res, "ore", rows)
    assert line.startswith("No final demand for ore went short, but the input stocks of plants using it ran out in "
                           "US (normal cover 10 days) on 2025-01-14: their production went short;")
    assert "days from running out" not in line


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_a_buyer_short_of_locked_designs_has_no_cover_left(engine: str) -> None:
    """CN's locked designs (40 of the buyer's 100 chips) run out after day 15; from day 16 the buyer serves 6 of
    10 while holding 60 chips of JP's designs, which cannot serve CN's (docs/model.md §5.6.6).

    Its cover for what it wants is then none: trough on day 16 (the first short day), nothing left, no
    margin, not restocked; the stock drawn is what left its shelves, 40 chips at $2 (by day 15).
    """
    from supplychain.metrics import days_of_cover
    from supplychain.metrics._cover_toy import locked_scenario

    res = simulate(locked_scenario(), engine=engine)
    row = stock_cover(res, by="demand").iloc[0]
    assert row[["trough_day", "trough_stock", "share_left", "trough_cover_days", "margin_days"]].tolist() == [
        16.0, 0.0, 0.0, 0.0, 0.0]
    assert row[["stock_drawn", "stock_drawn_usd", "draw_start_day"]].tolist() == [40.0, 80.0, 6.0]
    assert np.isnan(row["restocked_day"])
    cover = days_of_cover(res, by="demand")["US.chip"].to_numpy()
    np.testing.assert_allclose(cover[13:18], [6.8, 6.4, 6.0, 0.0, 0.0])
    # Pooled with the producers' stocks, the buyer's 60 chips still count for nothing.
    pooled = stock_cover(res, by="region", held_by="all").set_index("region").loc["US"]
    assert pooled["trough_cover_days"] == 0.0


def test_region_commodity_groups_can_be_selected_by_commodity_and_region() -> None:
    table = stock_cover(simulate(stop_scenario(stop_days=5)), by="region_commodity")
    assert table.columns.tolist()[:5] == ["run", "region_commodity", "region", "commodity", "unit"]
    us = table[(table["commodity"] == "ore") & (table["region"] == "US")]
    assert us["region_commodity"].tolist() == ["US:ore"] and us["trough_cover_days"].tolist() == [6.0]
