"""The run line giving each end-use segment's shortfall (supplychain/cli/segment_text.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from supplychain import CapacityShock, load_baseline, simulate
from supplychain.analytics._toy import toy_scenario
from supplychain.cli.segment_text import format_segment_shortfall
from supplychain.metrics.service import cumulative_shortfall


@pytest.fixture(scope="module")
def runs():
    base = load_baseline().with_horizon(100)
    out = [CapacityShock(region="TW", stage=s, fraction_lost=1.0, start=0, end=50) for s in ("fab", "fab_new", "packaging")]
    return simulate(base.with_shocks(*out), engine="vector"), simulate(base, engine="vector")


def _usd(text: str) -> float:
    sign, number, unit = re.fullmatch(r"([+-]?)\$([\d.]+)(k|M|bn)?", text).groups()
    return (-1.0 if sign == "-" else 1.0) * float(number) * {None: 1.0, "k": 1e3, "M": 1e6, "bn": 1e9}[unit]


def test_segments_add_up_to_the_segmented_demands_shortfall_change(runs):
    shocked, base = runs
    line = format_segment_shortfall(shocked, base)
    totals = {m.group(1): _usd(m.group(2)) for m in re.finditer(r"(automotive|industrial|electronics) ([+-]?\$[\d.]+\w*)",
                                                               line)}
    change = (cumulative_shortfall(shocked, usd=True, by="demand")
              - cumulative_shortfall(base, usd=True, by="demand")).iloc[0]
    segment = {d.id: d.segment for d in shocked.scenario.network.demands}
    for name, shown in totals.items():
        expected = sum(v for d, v in change.items() if segment[d] == name)
        assert shown == pytest.approx(expected, rel=5e-3, abs=1.0), (name, line)
    # The largest loss leads the line; the lean automotive buyers run short too.
    assert list(totals) == sorted(totals, key=totals.get, reverse=True) and totals["automotive"] > 0


def test_no_line_without_segments_or_without_change(runs):
    shocked, base = runs
    assert format_segment_shortfall(base, base) == ""
    assert format_segment_shortfall(simulate(toy_scenario(10))) == ""


def test_plot_cover_draws_one_segments_own_stocks_and_cover_png_picks_segments(runs):
    import matplotlib
    matplotlib.use("Agg")
    from supplychain.cli.app import cover_commodities
    from supplychain.metrics import days_of_cover
    from supplychain.plotting import plot_cover

    shocked, base = runs
    ax = plot_cover(shocked, "logic_chip", segment="automotive", baseline=base)
    assert ax.get_title().startswith("logic_chip: automotive buyers' stocks")
    demands = [d for d in shocked.scenario.network.demands if d.commodity == "logic_chip" and d.segment == "automotive"]
    cover = days_of_cover(shocked, by="demand", held_by="final_buyers")
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-" and len(line.get_xdata()) > 1]
    assert sorted(line.get_label() for line in solid) == sorted(d.region for d in demands)
    for line in solid:   # each region's line is that region's automotive buyers' own stock, in days of cover
        demand = next(d for d in demands if d.region == line.get_label())
        held, usable = np.asarray(line.get_ydata()), cover[demand.id].to_numpy()
        # the usable cover is the stock held except on short days (0: other designs), which the line draws held
        assert np.array_equal(held[usable > 0], usable[usable > 0]) and (held >= 0).all()
    with pytest.raises(Exception, match="Did you mean 'automotive'"):
        plot_cover(shocked, "logic_chip", segment="automotiv")
    picked = cover_commodities(shocked, base)
    # Most stock drawn first: the 40-day electronics buyers, the headline buyer of the console's buffer lines.
    assert picked[0] == ("logic_chip", "electronics") and all(isinstance(c, str) for c, _ in picked)
