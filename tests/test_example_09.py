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


def test_the_demand_gap_alone_shorts_chips_and_keeps_fabs_flat_out(example, runs):
    # demand +17 % on fabs able to deliver +13 %: chips are short without any disruption, the disruptions add to it,
    # and once the lean start's ramp is over every mature fab makes its whole capacity left every day
    assert 0.0 < chain_shortfall_usd(runs[False])[0] < chain_shortfall_usd(runs[True])[0]
    net = runs[False].scenario.network
    fab = [f.output in example.WAFERS for f in net.facilities]   # foundry- and IDM-made
    left = 1.0 - round(1.0 - example.RUN * example.SUPPLY, 4)   # 2025 capacity x 0.75 (2019 output) x 1/0.885
    assert example.SUPPLY == pytest.approx(1.13, abs=1e-3) and left == pytest.approx(0.8474, abs=1e-12)
    capacity = left * np.array([f.capacity_per_day for f in net.facilities])[fab]
    made = runs[False].production[0][:, fab]
    assert np.allclose(made[60:], capacity, rtol=1e-9) and np.all(made <= capacity * (1 + 1e-9))


def test_the_storm_and_the_fire_remove_the_hand_computed_fab_output(example, runs):
    net = runs[True].scenario.network
    ids = [f.id for f in net.facilities]
    lost = (runs[False].production - runs[True].production)[0]
    left = 1.0 - round(1.0 - example.RUN * example.SUPPLY, 4)   # capacity left after holding fabs at 2021 output
    cap = {i: net.facilities[ids.index(i)].capacity_per_day * left for r in ("US", "JP")
           for i in (f"{r}.fab.mature_wafer", f"{r}.fab.mature_idm_wafer")}
    # Texas: 30 % of both kinds of US fab from 15 Feb (day 45) to 31 Mar (day 89, excluded), 44 days, back at once
    for fab in ("US.fab.mature_wafer", "US.fab.mature_idm_wafer"):
        assert lost[:, ids.index(fab)].sum() == pytest.approx(0.3 * 44 * cap[fab], rel=1e-9)
        assert np.all(lost[45:89, ids.index(fab)] == pytest.approx(0.3 * cap[fab], rel=1e-9))
    # Renesas (an IDM): 10 % of Japan's mature capacity, all on its IDM fab, from 19 Mar (day 77) to 17 Apr (day 106,
    # excluded), 29 days, then back linearly over 68 days (to 24 Jun), recovery starting on the end day: d / 68 of the
    # loss is back on its d-th day (docs/model.md §6.6); Japan's foundry fab loses nothing
    idm = ids.index("JP.fab.mature_idm_wafer")
    x = round(0.1 * (cap["JP.fab.mature_wafer"] + cap["JP.fab.mature_idm_wafer"]) / cap["JP.fab.mature_idm_wafer"], 4)
    jp, ramp = x * cap["JP.fab.mature_idm_wafer"], sum(1.0 - k / 68 for k in range(1, 68))
    assert 0.1 < x < 1.0 and lost[:, idm].sum() == pytest.approx((29 + ramp) * jp, rel=1e-9)
    assert np.all(lost[77:106, idm] == pytest.approx(jp, rel=1e-9)) and lost[106 + 68:, idm].max() == 0.0
    assert not lost[:, ids.index("JP.fab.mature_wafer")].any()


def test_the_vehicles_by_region_add_up_and_every_car_making_region_loses(example, runs):
    # Motor vehicles lost by region sum to the world's; with demand beyond what fabs deliver every region that makes
    # cars loses some, not ROW alone (Malaysia's back end); the disruptions add to what the demand gap loses
    from supplychain.impact import load_io_table
    table = load_io_table()
    loss = runs[True].value_added_loss()
    units, revenue = example.auto_losses(loss, table)
    j = table.sectors.index("C29")
    gross = (loss.total[0, :, j] / table.value_added.reshape(len(table.regions), -1)[:, j]).sum()
    assert units.sum() == pytest.approx(gross / table.output[:, j].sum() * example.WORLD_VEHICLES_2019, rel=1e-12)
    assert revenue == pytest.approx(gross * (1.0 - 0.35), rel=1e-12)   # net of the parts C29 buys from C29
    assert all(units[table.regions.index(r)] > 0.02 * units.sum() for r in ("JP", "US", "CN", "ROW"))
    alone = example.auto_losses(runs[False].value_added_loss(), table)[0]
    assert 0.0 < alone.sum() < units.sum()


def test_the_mature_chip_price_rises_where_chips_are_short(runs):
    from supplychain.plotting import market_prices
    regions, index = market_prices(runs[True], "mature_chip")
    assert index[0, 0].tolist() == [1.0] * len(regions)   # the reference on the first day
    assert index[0, :, regions.index("ROW")].max() > 1.0 and index.min() >= 1.0 - 1e-12


def test_turn_and_earn_is_an_option_on_the_mature_chip_makers_only(example, runs):
    # allocation by recent purchases (docs/model.md §5.7) is offered on every mature fab and packager and nothing
    # else; the example keeps the default: with no 2020 in the scenario the records follow what each buyer is
    # shipped, so the lean automotive buyers, shipped less once short, fall further behind: the year's vehicle
    # loss moves by about 15 %, not by the 2x that serving automakers last in 2021 would need
    from supplychain.impact import load_io_table
    table, recent = load_io_table(), sc.simulate(example.shortage_2021(365, allocation="recent"), engine="vector", seed=1)
    units = [example.auto_losses(r.value_added_loss(), table)[0].sum() for r in (runs[True], recent)]
    assert units[1] == pytest.approx(units[0], rel=0.25) and units[1] != units[0]
    nets = {rule: example.shortage_2021(30, allocation=rule).network for rule in ("auto", "recent")}
    ruled = {f.id: f.allocation for f in nets["recent"].facilities}
    mature = {f.id for f in nets["auto"].facilities if f.output in example.MATURE}
    assert len(mature) >= 10 and all(ruled[i] == "recent" for i in mature)
    assert all(f.allocation == "auto" for f in nets["auto"].facilities)
    assert all(ruled[f.id] == f.allocation for f in nets["auto"].facilities if f.id not in mature)
