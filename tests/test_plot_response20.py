"""Plot labels a new user tripped on (4 Dec 2026): a stock's unit, an open-ended shock's shading, plot_cover's top."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import supplychain as sc  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.model import CapacityShock, StockpileRelease, Tariff  # noqa: E402
from supplychain.plotting import plot_change, plot_cover  # noqa: E402
from supplychain.plotting.cover import TROUGH_DOT_GID, TROUGH_GID  # noqa: E402

BASE = toy_scenario(40)
STOP = CapacityShock(facility="KR.cells", fraction_lost=1.0, start=5, end=12)


def test_a_stock_change_is_labelled_in_usd_not_usd_per_day():
    base, shocked = sc.simulate(BASE, seed=1), sc.simulate(BASE.with_shocks(STOP), seed=1)
    ax = plot_change(shocked, baseline=base, variable="inventory", ax=Figure().subplots())
    assert ax.get_ylabel() == "change in inventory (USD held at the end of each day)"
    assert plot_change(shocked, baseline=base, ax=Figure().subplots()).get_ylabel() == "change in delivered (USD/day)"


def test_a_shock_with_no_end_says_it_is_in_force_to_the_end():
    base = sc.simulate(BASE, seed=1)
    tariff = Tariff(importer="US", exporter="KR", commodity="cell", rate=0.25, start=5)
    ax = plot_change(sc.simulate(BASE.with_shocks(tariff), seed=1), baseline=base, ax=Figure().subplots())
    assert "shock window (no end date: in force to the end)" in ax.get_legend_handles_labels()[1]
    ended = Tariff(importer="US", exporter="KR", commodity="cell", rate=0.25, start=5, end=20)
    ax = plot_change(sc.simulate(BASE.with_shocks(STOP, ended), seed=1), baseline=base, ax=Figure().subplots())
    assert "shock window" in ax.get_legend_handles_labels()[1]


def test_cover_lines_stay_inside_a_shared_y_axis_and_shallow_troughs_have_no_label():
    # The second panel's reserve (trigger 30 days, above the US buyer's normal 20) lifts its stock to 30 days:
    # with the y axis shared with the first panel (top 24 = 1.2 x 20), its line ran out of the frame.
    base, shocked = sc.simulate(BASE, seed=1), sc.simulate(BASE.with_shocks(STOP), seed=1)
    pile = StockpileRelease(region="US", commodity="cell", reserve=1000.0, release_below_cover_days=30.0, start=20)
    helped = sc.simulate(BASE.with_shocks(STOP, pile), seed=1)
    fig = Figure(figsize=(8, 3))
    left, right = fig.subplots(1, 2, sharey=True)
    plot_cover(shocked, "cell", baseline=base, ax=left, separate_labels=False)
    plot_cover(helped, "cell", baseline=base, ax=right, separate_labels=False)
    highest = max(float(np.nanmax(line.get_ydata())) for ax in (left, right) for line in ax.get_lines()
                  if line.get_gid() != TROUGH_DOT_GID and len(line.get_ydata()) > 2)
    assert highest > 29.0 and right.get_ylim()[1] >= highest and left.get_ylim() == right.get_ylim()
    # Every labelled trough drew at least 1.5 % of the normal stock; dots stay for the rest.
    for ax in (left, right):
        for text in (t.get_text() for t in ax.texts if t.get_gid() == TROUGH_GID):
            assert int(text.split("%")[0]) <= 98
