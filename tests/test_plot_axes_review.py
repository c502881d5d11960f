"""Axes a new user read wrongly: dollars not "1e9" on time series, waterfall bars inside the frame."""

from __future__ import annotations

import matplotlib
import pandas as pd

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.metrics.incidence import WHO_PAYS_MEASURES  # noqa: E402
from supplychain.model import ExportControl  # noqa: E402


def test_a_usd_time_series_ticks_in_dollars_without_an_offset():
    from supplychain.plotting import plot_timeseries
    res = simulate(toy_scenario(20), engine="vector", seed=0)
    ax = plot_timeseries(res, "delivered", "US", by="region", usd=True, ax=Figure().subplots())
    ax.figure.canvas.draw()
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert any(t.get_text().startswith("$") for t in ax.get_yticklabels())


def test_the_who_pays_waterfall_leaves_room_above_its_tallest_bar(monkeypatch):
    # Steps of 0 after the largest (no demand given up) drew zero-height bars at the top, pinning the axis.
    from supplychain.plotting import prices
    ban = simulate(toy_scenario(30).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=5)),
                   engine="vector", seed=0)
    table = pd.DataFrame(0.0, index=pd.Index(["CN", "TW", "US"], name="region"), columns=list(WHO_PAYS_MEASURES))
    table["scarcity_rent_usd"] = table["final_buyer_cost_increase_usd"] = [4e9, 0.0, 0.0]
    table["buyer_cost_increase_usd"] = table["final_buyer_cost_increase_usd"]
    table["deliveries_lost_usd"] = [0.0, 0.0, 8.5e9]
    monkeypatch.setattr(prices, "who_pays_for", lambda call, results, *args: table)
    ax = prices.plot_who_pays(ban)
    top = max(p.get_y() + p.get_height() for p in ax.patches)
    assert top == 12.5e9 and ax.get_ylim()[1] > top * 1.02
