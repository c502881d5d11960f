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
