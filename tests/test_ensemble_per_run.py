"""Ensembles with uncertain parameters: one compile per distinct value as the model holds it, each run's values
and shortfall in USD, intervals of identical runs, value added lost with totals.

Oracles: each run equals the substituted scenario run alone (compiled on its own); the values the model
holds are the drawn ones rounded to whole days (Python's round); per-run shortfall in USD by hand
(units short x reference price) and its mean equal to `shortfall_summary`'s; totals that are sums of rows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from supplychain import Scenario, simulate
from supplychain.analytics._toy import single_source_network, toy_scenario
from supplychain.analytics.compare import compare, format_changes
from supplychain.analytics.impact import _with_totals
from supplychain.compile.compiler import compile_scenario
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import run_vector
from supplychain.errors import ValidationError
from supplychain.model import CapacityShock, Uniform
from supplychain.model.substitution import applied_values, substitute
from supplychain.results.ensemble import load_ensemble
from supplychain.run.uncertain import compile_runs, run_values


def outage(horizon: int = 60):
    return toy_scenario(horizon).with_shocks(
        CapacityShock(id="quake", region="CN", fraction_lost=0.9, start=10, end=20)).with_uncertainty(
        "shocks.quake.duration_days", Uniform(5, 9))


def test_days_are_rounded_before_grouping_and_every_run_equals_its_scenario_compiled_alone():
    sc = outage()
    seqs = run_seed_sequences(5, 16)
    drawn = [v["shocks.quake.duration_days"] for v in run_values(sc, seqs)]
    compiled = compile_runs(sc, seqs)
    # One compiled scenario per whole number of days drawn (5..9), not one per run.
    assert len({id(c) for c in compiled}) == len({round(d) for d in drawn}) <= 5 < len(set(drawn))
    ens = simulate(sc, engine="vector", n_runs=16, seed=5)
    for r in (0, 7, 15):
        alone = run_vector(compile_scenario(substitute(sc, {"shocks.quake.duration_days": drawn[r]})), [seqs[r]])
        assert np.array_equal(alone["delivered"][0], ens.delivered[r])
    assert ens.parameters["shocks.quake.duration_days"].tolist() == [round(d) for d in drawn]


def test_applied_values_round_half_to_even_and_leave_fractions_alone():
    sc = outage()
    assert applied_values(sc, {"shocks.quake.duration_days": 6.5, "shocks.quake.fraction_lost": 0.33}) == {
        "shocks.quake.duration_days": 6, "shocks.quake.fraction_lost": 0.33}
    with pytest.raises(ValidationError):
        applied_values(sc, {"shocks.quake.duration_days": float("nan")})


def test_parameters_and_shortfall_by_run_survive_the_archive(tmp_path):
    one_mine = Scenario(single_source_network(), horizon_days=40, name="one mine").with_shocks(
        CapacityShock(id="quake", region="CN", fraction_lost=1.0, start=5, end=10))
    ens = simulate(one_mine.with_uncertainty("shocks.quake.duration_days", Uniform(6, 18)), engine="vector",
                   n_runs=12, seed=2, keep="summary")
    back = load_ensemble(ens.save(tmp_path / "e.npz"))
    pd.testing.assert_frame_equal(back.parameters, ens.parameters)
    drawn = ens.drawn_parameters["shocks.quake.duration_days"]
    assert (ens.parameters["shocks.quake.duration_days"] - drawn).abs().max() <= 0.5
    table = ens.shortfall_usd_by_run(("region", "commodity"))
    price = {c.id: c.price_usd for c in ens.scenario.network.commodities}
    short = np.maximum(ens.demand - ens.delivered, 0.0)
    by_hand = short @ np.array([price[c] for c in ens.coords.commodity["demand"]])
    assert np.allclose(table[("ALL", "ALL")], by_hand)
    assert np.allclose(table.drop(columns=[("ALL", "ALL")]).sum(axis=1), by_hand)
    summary = ens.shortfall_summary()
    assert np.isclose(table[("ALL", "ALL")].mean(), summary.iloc[-1]["shortfall_usd"])
    pd.testing.assert_frame_equal(back.shortfall_usd_by_run("region"), ens.shortfall_usd_by_run("region"))
    # One mine, one buyer: each day the outage lasts beyond the buyer's stock loses a day's demand
    # (10 t at $100/t), so the shortfall against the duration the run used has slope $1,000 a day.
    joined = pd.concat([ens.parameters, table[("ALL", "ALL")].rename("usd")], axis=1)
    means = joined.groupby("shocks.quake.duration_days")["usd"].mean()
    assert len(means) > 4 and np.allclose(np.diff(means.to_numpy()) / np.diff(means.index.to_numpy()), 1000.0)
    with pytest.raises(ValidationError):
        ens.shortfall_usd_by_run("country")


def test_identical_runs_print_one_value_and_say_so():
    sc = toy_scenario(40).with_shocks(CapacityShock(id="q", region="CN", fraction_lost=0.9, start=5, end=25))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = simulate(sc, engine="vector", n_runs=3, seed=1, keep="summary")
        b = simulate(sc.without_shocks(), engine="vector", n_runs=3, seed=1, keep="summary")
    table = compare(a, baseline=b)
    assert table.attrs["identical_runs"] and table.attrs["n_runs"] == 3
    text = format_changes(table)
    assert "the 3 runs are identical" in text.splitlines()[0]
    assert "interval" not in "\n".join(text.splitlines()[1:]) and " to +$" not in text
    # A row without spread in a table that prints intervals reads as one value.
    table.attrs["identical_runs"] = False
    assert "in every run" in format_changes(table)


def test_value_added_totals_are_the_sums_of_their_rows():
    frame = pd.DataFrame({"region": ["JP", "JP", "US"], "sector": ["C26", "C29", "C26"],
                          "industry": ["electronics", "motor vehicles", "electronics"],
                          "value_added_loss_usd": [1.0, 2.0, 4.0]})
    out = _with_totals(frame)
    assert out[["region", "sector", "value_added_loss_usd"]].values.tolist() == [
        ["JP", "C26", 1.0], ["JP", "C29", 2.0], ["JP", "ALL", 3.0], ["US", "C26", 4.0], ["US", "ALL", 4.0],
        ["ALL", "ALL", 7.0]]
