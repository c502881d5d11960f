"""Axis labels name a unit a reader can decode: compound_wafer's code "kUSD-dev" is shown by its meaning."""

from __future__ import annotations

import dataclasses

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.model import CapacityShock, Scenario  # noqa: E402
from supplychain.plotting.change import plot_flow_delta  # noqa: E402
from supplychain.plotting.results import plot_flows  # noqa: E402

from .conftest import diamond_network  # noqa: E402


@pytest.fixture(scope="module")
def pair():
    """The diamond with its metal counted in compound_wafer's unit; a refinery outage moves its trade."""
    net = diamond_network()
    net = dataclasses.replace(net, commodities=tuple(
        dataclasses.replace(c, unit="kUSD-dev") if c.id == "metal" else c for c in net.commodities))
    base = Scenario(net, horizon_days=20, name="diamond")
    shocked = base.with_shocks(CapacityShock(fraction_lost=0.5, facility="JP.refinery", start=2, end=10))
    yield simulate(base, seed=0), simulate(shocked, seed=0)
    plt.close("all")


def test_flow_delta_title_reads_the_unit(pair):
    base, shocked = pair
    title = plot_flow_delta(base, shocked, "metal").get_title()
    assert "kUSD-dev" not in title
    assert title.endswith("(wafers for 1,000 USD of devices)")


def test_flows_title_reads_the_unit_and_plain_units_stay(pair):
    base, _ = pair
    assert "(wafers for 1,000 USD of devices)" in plot_flows(base, "metal").get_title()
    assert "(t)" in plot_flows(base, "ore").get_title()
