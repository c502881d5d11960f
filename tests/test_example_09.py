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
    # Renesas: 10 % from 19 Mar (day 77) to 17 Apr (day 106, excluded), 29 days, then back linearly over 68 days
    # (to 24 Jun), recovery starts on the end day: d / 68 of the loss is back on its d-th day (docs/model.md §6.6)
    ramp = 0.1 * sum(1.0 - k / 68 for k in range(1, 68))
    assert lost[:, ids.index("JP.fab.mature_wafer")].sum() == pytest.approx((0.1 * 29 + ramp) * jp, rel=1e-9)
    assert np.all(lost[77:106, ids.index("JP.fab.mature_wafer")] == pytest.approx(0.1 * jp, rel=1e-9))
    assert lost[106 + 68:, ids.index("JP.fab.mature_wafer")].max() == 0.0


def test_the_vehicles_by_region_add_up_and_stay_under_the_ceiling_of_the_stopped_wafers(example, runs):
    # Motor vehicles lost by region sum to the world's; the loss is ROW's (Malaysia's back end is where the
    # users run dry); and it stays below what the wafers stopped could have cost had every one been a car's chip
    from supplychain.impact import load_io_table
    table = load_io_table()
    loss = runs[True].value_added_loss()
    units, revenue, cars = example.auto_losses(runs[True], loss, table)
    j = table.sectors.index("C29")
    gross = (loss.total[0, :, j] / table.value_added.reshape(len(table.regions), -1)[:, j]).sum()
    assert units.sum() == pytest.approx(gross / table.output[:, j].sum() * example.WORLD_VEHICLES_2019, rel=1e-12)
    assert revenue == pytest.approx(gross * (1.0 - 0.35), rel=1e-12)   # net of the parts C29 buys from C29
    assert units[table.regions.index("ROW")] > 0.8 * units.sum() and units.min() >= 0.0
    net = runs[True].scenario.network
    fab = [f.output == "mature_wafer" for f in net.facilities]
    stopped = (runs[False].production - runs[True].production)[..., fab].sum() * net.commodity("mature_chip").price_usd
    assert 0.3e6 < units.sum() < stopped / cars * example.WORLD_VEHICLES_2019 < 3.5e6
    # cars' chips: C29's quarter of a year's mature-chip demand at reference prices, the demand 17 % up
    base = sum(d.rate_per_day for d in net.demands if d.commodity == "mature_chip")
    assert cars == pytest.approx(0.25 * 365 * 1.17 * base * net.commodity("mature_chip").price_usd, rel=1e-9)
