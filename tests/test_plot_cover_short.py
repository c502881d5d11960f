"""cover.png draws the stock a buyer holds and marks the days it went short holding stock of other designs,
rather than dropping the line to 0 as if the store were empty (docs/model.md §5.6.6, design-specific stocks)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.metrics import days_of_cover  # noqa: E402
from supplychain.metrics._cover_toy import locked_scenario, stop_scenario  # noqa: E402
from supplychain.plotting.cover import SHORT_DAYS_LABEL, plot_cover  # noqa: E402


@pytest.fixture(scope="module")
def locked():
    """US chip buyers short of CN's locked designs from day 16 while holding 60 chips of JP's."""
    yield simulate(locked_scenario(), engine="vector")
    plt.close("all")


def test_the_line_is_the_stock_held_and_short_days_are_ticks(locked):
    ax = plot_cover(locked, "chip")
    line, ticks = ax.get_lines()[0], ax.get_lines()[1]
    held = locked.inventory[0, :, -1] / 10.0    # 10 chips a day of normal use
    np.testing.assert_allclose(line.get_ydata(), held)
    assert line.get_ydata()[16:].min() == pytest.approx(6.0)     # never drawn at 0: it holds 60 chips
    # One tick on the axis for each day short holding stock: days 16-29, the days usable cover is 0.
    usable = days_of_cover(locked, by="region_commodity", held_by="final_buyers")["US:chip"].to_numpy()
    short_days = np.flatnonzero(usable < held - 1e-9)
    assert short_days.tolist() == list(range(16, 30))
    assert len(ticks.get_xdata()) == len(short_days) and set(ticks.get_ydata()) == {0.0}
    assert ticks.get_marker() == "|" and ticks.get_color() == line.get_color()
    # The trough is the metric's (0 days of usable cover on day 16), and the legend says what the ticks are.
    assert [t.get_text() for t in ax.texts] == ["0% (0.0 d)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == SHORT_DAYS_LABEL
    assert ax.get_ylabel() == "days of cover (stock held / normal daily use)"


def test_a_buyer_never_short_holding_stock_has_no_ticks_and_no_legend_entry():
    ax = plot_cover(simulate(stop_scenario(stop_days=5)), "ore")
    assert all(line.get_marker() != "|" for line in ax.get_lines())
    assert SHORT_DAYS_LABEL not in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close("all")
