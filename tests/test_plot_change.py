"""plot_change and the figures of ``supplychain run --out``: one colour per group across panels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from supplychain import load_example, simulate  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.cli import figures  # noqa: E402
from supplychain.model import CapacityShock, DemandShock  # noqa: E402
from supplychain.plotting.change import most_changed, plot_change  # noqa: E402


def _pair():
    base = toy_scenario(100)
    # A short outage that hits JP hard for a while and a lasting US demand rise: the daily and
    # cumulative rankings of the groups differ.
    shocked = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=10, end=60),
                               DemandShock(region="US", commodity="cell", factor=1.3, start=5))
    return simulate(shocked, seed=0), simulate(base, seed=0)


def _colours(ax):
    """Colour of each group's line (not the zero line or the shock-day marker)."""
    return {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines()
            if ":" in line.get_label()}


def test_timeseries_png_colours_each_group_alike_in_both_panels(tmp_path, monkeypatch):
    # The flagship scenario: the daily and cumulative rankings of the groups differ (ROW magnets
    # lead per day, Taiwanese cells cumulatively), which once gave one group two colours.
    scenario = load_example("taiwan_blockade_magnets")
    shocked = simulate(scenario, engine="vector", seed=2025)
    base = simulate(scenario.without_shocks(), engine="vector", seed=2025)
    saved = []
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: saved.append(self))
    figures.save_figures(shocked, tmp_path, base)
    daily, cumulative = [ax for ax in saved[0].axes if ax.get_visible()][:2]
    left, right = _colours(daily), _colours(cumulative)
    assert len(left) >= 2 and left == right
    assert len(set(left.values())) == len(left)  # one colour per group
    assert list(left) == most_changed(shocked, base)


def test_plot_change_takes_colours_per_group():
    shocked, base = _pair()
    ids = most_changed(shocked, base, top=2)
    ax = plot_change(shocked, base, ids=ids[::-1], colors={ids[0]: "#123456"})
    colours = _colours(ax)
    assert colours[ids[0]] == "#123456" and colours[ids[1]] == to_hex("C0")
