"""The 2021 chip-shortage scenario of examples/09_chip_shortage_2021.py: what its set-up promises."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import supplychain as sc
from supplychain.analytics import chain_shortfall_usd

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "09_chip_shortage_2021.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("example_09", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runs(example):
    """One year with and without the Texas storm, the Renesas fire and Malaysia's lockdown."""
    return {flag: sc.simulate(example.shortage_2021(365, disruptions=flag), engine="vector", seed=1)
            for flag in (True, False)}


def test_without_the_three_disruptions_fabs_deliver_the_whole_demand_growth(runs):
    # +17 % demand on fabs able to deliver 17 % more: nothing is short, and the disruptions are what makes a shortfall
    assert chain_shortfall_usd(runs[False])[0] == 0.0
    assert chain_shortfall_usd(runs[True])[0] > 5e8


def test_the_storm_and_the_fire_remove_the_hand_computed_fab_output(runs):
    net = runs[True].scenario.network
    ids = [f.id for f in net.facilities]
    lost = (runs[False].production - runs[True].production)[0]
    left = 1.0 - 0.1225   # capacity left after holding fabs at 2021 output (0.75 x 1.17 of the 2025 capacity)
    us, jp = (net.facilities[ids.index(f"{r}.fab.mature_wafer")].capacity_per_day * left for r in ("US", "JP"))
    # Texas: 30 % from 15 Feb (day 45) to 31 Mar (day 89, excluded), 44 days, back at once
    assert lost[:, ids.index("US.fab.mature_wafer")].sum() == pytest.approx(0.3 * 44 * us, rel=1e-9)
    assert np.all(lost[45:89, ids.index("US.fab.mature_wafer")] == pytest.approx(0.3 * us, rel=1e-9))
    # Renesas: 10 % from 19 Mar (day 77) to 9 Apr (day 98, excluded), 21 days, then back linearly over 90 days,
    # recovery starts on the end day: d / 90 of the loss is back on its d-th day (docs/model.md §6.6)
    ramp = 0.1 * sum(1.0 - k / 90 for k in range(1, 90))
    assert lost[:, ids.index("JP.fab.mature_wafer")].sum() == pytest.approx((0.1 * 21 + ramp) * jp, rel=1e-9)
