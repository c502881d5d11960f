"""The ensemble's shortfall text: one figure when the runs agree, a range when they do not, and what is random."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from supplychain import simulate
from supplychain.analytics._toy import single_source_network, toy_scenario
from supplychain.analytics.stress import knockout_scenario
from supplychain.cli.run_command import format_shortfall_distribution, random_inputs
from supplychain.model import CapacityShock, Normal, RandomOutage, Triangular


def _knockout(network=None):
    return knockout_scenario(network or single_source_network(), ["CN.mine"], duration_days=30, horizon_days=60)


@pytest.mark.filterwarnings("ignore:nothing in this scenario is random")
def test_identical_runs_print_one_figure_and_say_nothing_is_random() -> None:
    # One mine, a 100 t stock, 10 t a day at $100/t over a one-day lane: the stock and the day in transit last
    # 11 days (days 0-10); the mine is back on day 30 and its first shipment lands on day 31, so days 11-30 are
    # short: 20 days x 10 t x $100 = $20,000, in every run.
    ens = simulate(_knockout(), engine="vector", n_runs=4, seed=3, keep="summary")
    text = format_shortfall_distribution(ens)
    assert "total $20.0k in every run (runs identical)." in text
    assert "90% of runs between" not in text
    assert text.splitlines()[-1].startswith("Nothing in the scenario is random")


def _noisy(sd: float):
    net = single_source_network()
    return dataclasses.replace(net, demands=tuple(dataclasses.replace(d, noise=Normal(1.0, sd, low=0.0))
                                                  for d in net.demands))


def test_runs_within_one_percent_print_one_figure() -> None:
    ens = simulate(_knockout(_noisy(0.001)), engine="vector", n_runs=20, seed=3, keep="summary")
    per_run = ens.shortfall @ np.array([100.0])
    assert 0 < per_run.max() - per_run.min() < 0.01 * per_run.mean()
    text = format_shortfall_distribution(ens)
    spread = f"{(per_run.max() - per_run.min()) / per_run.mean() * 100:.2g}%"
    assert f"total $20.0k in every run (runs differ by < 1%: {spread} from least to greatest)." in text, text


def test_a_real_spread_keeps_the_range_and_names_the_draws() -> None:
    ens = simulate(_knockout(_noisy(0.5)), engine="vector", n_runs=40, seed=3, keep="summary")
    text = format_shortfall_distribution(ens)
    prices = np.array([100.0])
    per_run = ens.shortfall @ prices
    assert per_run.max() - per_run.min() > 0.01 * per_run.mean()     # not collapsed: the range is printed
    lo, hi = (f"${v / 1e3:.1f}k" for v in np.percentile(per_run, [5, 95]))
    assert re.search(rf"90% of runs between \{lo} and \{hi}\.", text), text
    assert "Random in each run: demand noise on 1 of 1 demands." in text
    assert "without these draws is another scenario" in text


def test_random_inputs_lists_each_kind_of_draw() -> None:
    base = toy_scenario(60)
    assert random_inputs(base) == []
    net = base.network
    lanes = (dataclasses.replace(net.lanes[0], lead_time=Triangular(4.0, 5.0, 8.0)),) + net.lanes[1:]
    drawn = random_inputs(dataclasses.replace(base, network=dataclasses.replace(net, lanes=lanes))
                          .with_shocks(RandomOutage(rate_per_year=2.0, duration=10.0, facility="CN.mine"),
                                       CapacityShock(id="quake", region="CN", fraction_lost=0.5, start=5, end=20))
                          .with_uncertainty("shocks.quake.fraction_lost", Triangular(0.2, 0.5, 0.8)))
    assert drawn == [f"lead times on 1 of {len(lanes)} lanes (triangular over their documented low-high range)",
                     "1 random outage process (when, where and how long)",
                     "1 uncertain parameter (shocks.quake.fraction_lost)"]
