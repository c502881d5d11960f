"""plot_prices shades only the shocks that touch the plotted commodity's supply chain, as cover.png does."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.model import CapacityShock, ExportControl  # noqa: E402
from supplychain.plotting import plot_prices  # noqa: E402


def _shaded_days(ax, scenario):
    """The [first, stop) day of each shaded window on the axis."""
    day0 = matplotlib.dates.date2num(np.datetime64(scenario.start_date))
    return sorted((round(p.get_x() - day0), round(p.get_x() + p.get_width() - day0)) for p in ax.patches)


def test_an_ore_price_panel_is_not_shaded_for_a_cell_plant_outage():
    # The ore ban (days 10-30) reaches ore; the cell plant's outage (days 40-50) is downstream of ore, not in
    # its supply chain: before, both windows were shaded on ore's prices.
    scenario = toy_scenario(60).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10, end=30),
                                            CapacityShock(fraction_lost=1.0, facility="KR.cells", start=40, end=50))
    results = simulate(scenario)
    assert _shaded_days(plot_prices(results, "ore", ax=Figure().subplots()), scenario) == [(10, 30)]
    assert _shaded_days(plot_prices(results, "cell", ax=Figure().subplots()), scenario) == [(10, 30), (40, 50)]


def test_an_announcement_that_had_buyers_stock_up_is_marked():
    import datetime as dt

    from supplychain import load_baseline
    from supplychain.plotting.results import announcement_days, shade_shocks

    # gallium_germanium_2023's controls: announced 3 July 2023, in force 1 August, buyers front-load 30 days
    # in between; stocks and prices rise before the window, so the plot says why.
    control = ExportControl(exporter="CN", commodity="gallium", mode="ban", announced=dt.date(2025, 1, 11),
                            start=dt.date(2025, 2, 10))
    s = load_baseline(horizon_days=60).with_shocks(control)
    assert announcement_days(s) == [10] and announcement_days(s, commodity="compound_chip") == [10]
    assert announcement_days(s, commodity="logic_chip") == []
    ax = shade_shocks(Figure().subplots(), s, commodity="gallium")
    # the control has no end, so its window runs to the plot's end and the legend says so
    assert ax.get_legend_handles_labels()[1] == ["shock window (no end date: in force to the end)", "shock day",
                                                 "announced: buyers stock up"]
    assert [np.datetime64("2025-01-11")] == [np.datetime64(line.get_xdata()[0], "D") for line in ax.get_lines()
                                             if line.get_label().startswith("announced")]
    # No front-loading, or no announcement: nothing to mark.
    import dataclasses
    quiet = load_baseline(horizon_days=60).with_shocks(dataclasses.replace(control, front_load_days=0.0))
    unannounced = load_baseline(horizon_days=60).with_shocks(dataclasses.replace(control, announced=None))
    assert announcement_days(quiet) == [] and announcement_days(unannounced) == []
