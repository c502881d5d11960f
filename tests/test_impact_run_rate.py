"""The loss beyond the horizon: overproduction under missing parts, the run rate and the steady loss
(docs/model.md §8.3, #run-rate)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import supplychain as sc
from supplychain.analytics.impact import STEADY_COLUMNS, steady_loss, value_added_loss_table
from supplychain.cli.impact_text import format_run_rate
from supplychain.errors import SimulationWarning
from supplychain.impact.kernel import Ario, ArioParameters, ario
from supplychain.impact.run_rate import RISING_FLOOR_USD_PER_YEAR, run_rate
from supplychain.metrics import RUN_RATE_COLUMNS, loss_run_rate

from .conftest import assert_engines_agree


# Overproduction lifts only what needs no rationed input (oracle, hand-computed) -----------------------
def _one_sector(dependent: float, days: int = 800) -> np.ndarray:
    """A one-sector economy (x0 = 10 a day, no intermediate inputs) whose parts allow 80 % for good."""
    cap = np.full((1, days, 1), 0.8)
    p = ArioParameters(np.array([30.0]), alpha_max=1.25, tau_alpha=30.0)
    kernel = Ario(np.zeros((1, 1)), np.array([10.0]), np.array([0]), p, 1, dependent=np.array([dependent]))
    return np.stack([kernel.step(cap[:, t]) for t in range(days)], axis=1)[0, :, 0]


def test_missing_parts_are_not_made_up_by_overproduction():
    # Every unit of output needs the rationed input: output stays at 8 however long scarcity lasts.
    assert np.allclose(_one_sector(1.0), 8.0)


def test_output_that_needs_no_rationed_input_still_overproduces():
    # Hallegatte's overproduction on the whole capacity (dependent 0): alpha rises while scarcity lasts, towards
    # 1.25 x 0.8 x 10 = 10, slowing as the scarcity it feeds on vanishes.
    whole = _one_sector(0.0)
    assert 9.5 < whole[-1] < 10.0 and (np.diff(whole) >= -1e-12).all()
    # Half the output needs the input: (1 + 0.25 x 0.5) x 0.8 x 10 = 9 once alpha has reached 1.25.
    assert _one_sector(0.5, days=6000)[-1] == pytest.approx(9.0, rel=1e-6)


def test_default_kernel_keeps_the_whole_capacity_overproduction():
    cap = np.full((1, 800, 1), 0.8)
    out = ario(np.zeros((1, 1)), np.array([10.0]), np.array([0]),
               ArioParameters(np.array([30.0]), tau_alpha=30.0), cap)
    assert np.array_equal(out[0, :, 0], _one_sector(0.0))


def test_dependent_share_is_checked():
    with pytest.raises(ValueError, match="dependent"):
        Ario(np.zeros((1, 1)), np.array([10.0]), np.array([0]), ArioParameters(np.array([30.0])), 1,
             dependent=np.array([1.5]))


# The run rate (hand-computed) --------------------------------------------------------------------------
def test_run_rate_of_a_constant_loss_is_the_daily_loss_times_365_and_not_rising():
    loss = np.full((2, 100, 1), 2e6)
    r = run_rate(loss, days=30)
    assert r.rate[0] == pytest.approx(365 * 2e6) and r.previous[0] == pytest.approx(365 * 2e6)
    assert r.total[0] == pytest.approx(2e8) and r.last_share[0] == pytest.approx(0.3)
    assert not r.rising[0]


def test_a_loss_that_starts_late_is_rising_and_a_falling_one_is_not():
    late = np.zeros((1, 100, 2))
    late[0, 85:, 0] = 1e6                 # starts in the last window
    late[0, 40:, 1] = np.linspace(5e6, 1e6, 60)   # falls
    r = run_rate(late, days=30)
    assert r.rising.tolist() == [True, False]
    assert r.rate[0] == pytest.approx(365 * 15e6 / 30) and r.previous[0] == 0.0
    assert r.last_share[0] == pytest.approx(1.0)


def test_run_rate_below_the_floor_is_noise_and_a_short_horizon_has_no_previous_window():
    tiny = np.zeros((1, 100, 1))
    tiny[0, 90:, 0] = 1.0                 # 365 USD a year: under the floor
    assert not run_rate(tiny, days=30).rising[0]
    assert 365.0 < RISING_FLOOR_USD_PER_YEAR
    short = run_rate(np.full((1, 40, 1), 1e6), days=30)
    assert np.isnan(short.previous[0]) and short.rising[0]
    with pytest.raises(ValueError, match="days"):
        run_rate(np.zeros((1, 10, 1)), days=0)


def test_runs_are_averaged_before_the_rate():
    loss = np.zeros((2, 60, 1))
    loss[0, 30:, 0], loss[1, 30:, 0] = 1e6, 3e6
    assert run_rate(loss, days=30).rate[0] == pytest.approx(365 * 2e6)


# On results --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def surge_pair():
    base = sc.load_baseline(horizon_days=60)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=30)
    return (sc.simulate(base.with_shocks(surge), engine="vector", seed=1),
            sc.simulate(base, engine="vector", seed=1))


def test_loss_run_rate_is_the_mean_daily_loss_of_the_last_days_net_of_the_baseline(surge_pair):
    shocked, base = surge_pair
    frame = loss_run_rate(shocked, base, days=15)
    assert tuple(frame.columns) == RUN_RATE_COLUMNS and frame.index[-1] == "ALL"
    net = shocked.value_added_loss().daily - base.value_added_loss().daily
    us = net[:, :, list(frame.index).index("US")].sum(axis=2).mean(axis=0)
    assert frame.loc["US", "run_rate_usd_per_year"] == pytest.approx(365 * us[-15:].mean())
    assert frame.loc["US", "loss_usd"] == pytest.approx(us.sum())
    assert frame.loc["ALL", "loss_usd"] == pytest.approx(frame.drop(index="ALL")["loss_usd"].sum())
    assert bool(frame.loc["US", "rising"]) and frame.attrs == {"days": 15, "horizon_days": 60}


def test_value_added_loss_table_carries_the_run_rate(surge_pair):
    shocked, base = surge_pair
    table = value_added_loss_table(shocked, base)
    rate = table.attrs["run_rate"]
    assert rate.loc["ALL", "loss_usd"] == pytest.approx(table["value_added_loss_usd"].sum())
    pd.testing.assert_frame_equal(rate, loss_run_rate(shocked, base))
    text = "\n".join(format_run_rate(rate))
    assert text.startswith("Run rate at the end: $") and "steady_loss" in text


def test_format_summary_gives_the_gross_loss_and_its_run_rate(surge_pair):
    shocked, base = surge_pair
    last = sc.format_summary(shocked).splitlines()[-1]
    assert last.startswith("Value added lost beyond the chain: $") and "still rising when the run ended" in last
    assert sc.format_summary(base).splitlines()[-1] == "Total shortfall: $0"


def test_a_loss_that_ended_says_so_in_one_line():
    rate = pd.DataFrame({"loss_usd": [6e10], "run_rate_usd_per_year": [1e-4], "previous_run_rate_usd_per_year": [0.0],
                         "last_days_share": [0.0], "rising": [False]}, index=pd.Index(["ALL"], name="region"))
    rate.attrs.update(days=30, horizon_days=365)
    assert format_run_rate(rate) == ["Run rate at the end: under $1.00M a year over the last 30 days: the loss had "
                                     "ended within the horizon."]


def test_summaries_keep_the_last_days_and_give_the_daily_results_run_rate(tmp_path):
    from supplychain.results.ensemble import load_ensemble
    base = sc.load_baseline(horizon_days=80, random_lead_times=True)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=40)
    kw = {"engine": "vector", "seed": 2, "n_runs": 3}
    pairs = {keep: (sc.simulate(base.with_shocks(surge), keep=keep, chunk_size=2, **kw),
                    sc.simulate(base, keep=keep, chunk_size=2, **kw)) for keep in ("series", "summary")}
    ens = pairs["summary"][0]
    assert ens.value_added_loss_recent.shape == (3, 60, 6)
    daily = loss_run_rate(*pairs["series"])
    pd.testing.assert_frame_equal(loss_run_rate(*pairs["summary"]), daily, rtol=1e-9)
    pd.testing.assert_frame_equal(value_added_loss_table(*pairs["summary"]).attrs["run_rate"], daily, rtol=1e-9)
    assert sc.format_summary(ens).splitlines()[-1] == sc.format_summary(pairs["series"][0]).splitlines()[-1]
    again = load_ensemble(ens.save(tmp_path / "ens.npz"))
    assert np.array_equal(again.value_added_loss_recent, ens.value_added_loss_recent)
    with pytest.raises(ValueError, match="at most 30"):
        loss_run_rate(ens, days=31)
    with pytest.raises(ValueError, match="both"):
        loss_run_rate(ens, pairs["series"][1])
    assert format_run_rate(None) == []


def test_an_ensemble_archive_without_the_last_days_has_no_run_rate():
    import dataclasses
    base = sc.load_baseline(horizon_days=10, random_lead_times=True)
    ens = dataclasses.replace(sc.simulate(base, engine="vector", seed=1, n_runs=2, keep="summary"),
                              value_added_loss_recent=None)
    with pytest.raises(ValueError, match="re-run it"):
        loss_run_rate(ens)
    assert value_added_loss_table(ens).attrs["run_rate"] is None


def test_the_run_rate_is_the_same_on_both_engines():
    base = sc.load_baseline(horizon_days=40)
    surge = sc.DemandShock(region="JP", commodity="mature_chip", factor=8.0, start=15)
    runs = {e: (sc.simulate(base.with_shocks(surge), engine=e, seed=3), sc.simulate(base, engine=e, seed=3))
            for e in ("des", "vector")}
    assert_engines_agree(runs["des"][0], runs["vector"][0])
    pd.testing.assert_frame_equal(loss_run_rate(*runs["des"], days=10), loss_run_rate(*runs["vector"], days=10),
                                  rtol=1e-7)


# Steady loss -------------------------------------------------------------------------------------------
def test_steady_loss_of_a_shock_that_ends_counts_its_tail_beyond_the_horizon():
    base = sc.load_baseline(horizon_days=60)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=30, end=45)
    steady = steady_loss(base.with_shocks(surge), seed=1, step_days=60, max_days=240)
    assert tuple(steady.columns) == STEADY_COLUMNS and steady.attrs["settled"]
    assert steady.attrs["horizon_days"] in (120, 180, 240)
    us = steady.loc["US"]
    # the tail beyond the first horizon is counted: the shock over, overproduction makes up a little (-0.2 %)
    assert us["horizon_loss_usd"] > 0 and us["loss_usd"] != us["horizon_loss_usd"]
    assert us["loss_usd"] == pytest.approx(us["horizon_loss_usd"], rel=0.01)
    assert abs(us["run_rate_usd_per_year"]) < 0.05 * us["peak_run_rate_usd_per_year"]   # back to about nothing


def test_steady_loss_warns_when_the_loss_has_not_settled():
    base = sc.load_baseline(horizon_days=40)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=25)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        steady = steady_loss(base.with_shocks(surge), seed=1, step_days=20, max_days=40)
    assert not steady.attrs["settled"] and steady.attrs["horizon_days"] == 40
    assert any(issubclass(w.category, SimulationWarning) and "not settled" in str(w.message) for w in caught)
    with pytest.raises(ValueError, match="max_days"):
        steady_loss(base, max_days=10)
