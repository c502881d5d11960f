"""Experiments: parameter paths and substitution, uncertain parameters in ensembles, designs, robustness, PRIM.

Oracles: hand-computed regret, satisficing and expected-worst values; a planted
box that PRIM must recover; run-by-run equality of an uncertain ensemble with
the substituted scenario run alone; identical tables across chunk sizes and
executors.
"""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from supplychain import simulate
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.experiments import (
    expected_worst,
    prim,
    regret,
    robustness_table,
    run_experiment,
    satisficing,
)
from supplychain.analytics.experiments._demo import demo_experiment
from supplychain.analytics.experiments.outcomes import evaluate
from supplychain.analytics.experiments.report import experiment_report
from supplychain.analytics.experiments.robust import paired_interval
from supplychain.cli.app import main
from supplychain.compile.compiler import compile_scenario
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.vector import run_vector
from supplychain.errors import ScenarioFileError, UnknownIdError, ValidationError
from supplychain.io.experiment import load_experiment, loads_experiment
from supplychain.io.scenario import save_scenario
from supplychain.model import CapacityShock, StockpileRelease, Triangular, Uniform
from supplychain.model.experiment import Experiment, Outcome, PolicyCosts, Strategy
from supplychain.model.substitution import substitute
from supplychain.model.uncertainty import Uncertainty
from supplychain.run.uncertain import region_usage, run_values

from .conftest import chain_network


def quake_scenario(horizon: int = 120):
    return toy_scenario(horizon).with_shocks(
        CapacityShock(id="quake:cn", region="CN", fraction_lost=0.8, start=20, end=50, announced=10),
        CapacityShock(id="quake:row", region="ROW", fraction_lost=0.2, start=20, end=50),
        StockpileRelease(id="reserve", region="KR", commodity="ore", reserve=0.0, release_below_cover_days=5))


# Substitution ----------------------------------------------------------------------------------
def test_substitute_moves_windows_sets_groups_and_members_and_leaves_the_template_alone():
    sc = quake_scenario()
    new = substitute(sc, {"shocks.quake.start": 40, "shocks.quake.duration_days": 10.4,
                          "shocks.quake:row.fraction_lost": 0.5, "shocks.quake.fraction_lost": 0.9})
    cn, row = new.shocks
    assert (cn.start, cn.end, cn.announced) == (40, 50, 30)     # window moved, warning time kept
    assert (row.start, row.end) == (40, 50)
    assert cn.fraction_lost == 0.9 and row.fraction_lost == 0.5  # the member's own value wins
    assert sc.shocks[0].start == 20 and sc.shocks[0].fraction_lost == 0.8
    assert substitute(sc, {"shocks.quake:cn.enabled": False}).shocks == (sc.shocks[1],)


def test_reserve_days_uses_the_regions_baseline_usage():
    sc = quake_scenario()
    usage = region_usage(sc.network)
    new = substitute(sc, {"responses.reserve.reserve_days": 30}, usage=usage)
    assert new.responses[0].reserve == pytest.approx(30 * usage("KR", "ore"))
    assert usage("KR", "ore") == pytest.approx(15.0 * 10.0 / 15.0 * 1.0)  # cells 10/day x 1 t ore each
    with pytest.raises(ValidationError, match="reserve_days needs the baseline usage"):
        substitute(sc, {"responses.reserve.reserve_days": 30})


def test_network_paths_and_errors_name_the_path():
    sc = quake_scenario()
    new = substitute(sc, {"network.facilities.CN.mine.capacity_per_day": 6})
    assert new.network.facility("CN.mine").capacity_per_day == 6.0
    with pytest.raises(UnknownIdError, match="did you mean 'quake'"):
        substitute(sc, {"shocks.quak.start": 3})
    with pytest.raises(ValidationError, match="fraction_lost must be"):
        substitute(sc, {"shocks.quake.fraction_lost": 1.5})
    with pytest.raises(ValidationError, match="did you mean 'shocks'"):
        substitute(sc, {"shock.quake.start": 3})


# Uncertain parameters in ordinary ensembles ------------------------------------------------------
def test_uncertain_parameter_runs_equal_the_substituted_scenario_run_alone_whatever_the_chunks():
    sc = quake_scenario(90).with_uncertainty("shocks.quake.duration_days", Triangular(5, 20, 60))
    a = simulate(sc, engine="vector", n_runs=9, seed=11)
    b = simulate(sc, engine="vector", n_runs=9, seed=11, chunk_size=2)
    assert np.array_equal(a.delivered, b.delivered) and np.array_equal(a.inventory, b.inventory)
    seqs = run_seed_sequences(11, 9)
    values = run_values(sc, seqs)
    assert values[4:] == run_values(sc, seqs[4:])     # a run's draw depends on its own stream only
    assert len({v["shocks.quake.duration_days"] for v in values}) > 3
    for r in (0, 4, 8):
        alone = run_vector(compile_scenario(substitute(sc, values[r])), [seqs[r]])
        assert np.array_equal(alone["delivered"][0], a.delivered[r])
    summary = simulate(sc, engine="vector", n_runs=9, seed=11, keep="summary", chunk_size=4)
    assert np.allclose(summary.delivered, a.delivered.sum(axis=1))


def test_two_policies_see_the_same_uncertain_draws():
    sc = quake_scenario(90).with_uncertainty("shocks.quake.start", Uniform(10, 40))
    other = substitute(sc, {"responses.reserve.reserve": 200.0})
    seqs = run_seed_sequences(3, 6)
    assert run_values(sc, seqs) == run_values(other, seqs)
    assert other.uncertainties == sc.uncertainties


def test_scenario_rejects_an_uncertainty_on_a_missing_shock():
    with pytest.raises(UnknownIdError, match="no shock has id"):
        toy_scenario(30).with_uncertainty("shocks.nothing.start", Uniform(1, 2))


# Robustness measures against hand computation --------------------------------------------------
X = np.array([[10.0, 4.0, 7.0, 1.0],
              [8.0, 6.0, 7.0, 3.0],
              [12.0, 2.0, 5.0, 2.0]])


def test_regret_satisficing_and_expected_worst_match_hand_computation():
    # Best per future: 8, 2, 5, 1.
    assert regret(X).tolist() == [[2, 2, 2, 0], [0, 4, 2, 2], [4, 0, 0, 1]]
    assert regret(X).max(axis=1).tolist() == [2, 4, 4]
    assert regret(X, sense="max").tolist() == [[2, 2, 0, 2], [4, 0, 0, 0], [0, 4, 2, 1]]
    assert satisficing(X, 6.0).tolist() == [0.5, 0.5, 0.75]
    assert satisficing(X, 6.0, sense="max").tolist() == [0.5, 0.75, 0.25]
    assert expected_worst(X, tail=0.5).tolist() == [8.5, 7.5, 8.5]
    assert expected_worst(X, tail=0.05).tolist() == [10, 8, 12]


def test_paired_interval_is_the_paired_t_interval():
    rng = np.random.default_rng(0)
    a, b = rng.normal(5, 1, 30), rng.normal(4, 1, 30)
    mean, low, high = paired_interval(a, b)
    ref = stats.ttest_rel(a, b).confidence_interval(0.95)
    assert mean == pytest.approx(float(np.mean(a - b)))
    assert (low, high) == pytest.approx((ref.low, ref.high))


# PRIM ------------------------------------------------------------------------------------------
def test_prim_recovers_a_planted_box_with_a_categorical_dimension():
    rng = np.random.default_rng(1)
    n = 2000
    x = pd.DataFrame({"a": rng.random(n), "b": rng.uniform(0, 100, n), "c": rng.random(n),
                      "scope": rng.choice(["narrow", "wide"], n)})
    inside = (x.a > 0.5) & (x.b < 40) & (x.scope == "wide")
    y = (inside & (rng.random(n) < 0.95)) | (~inside & (rng.random(n) < 0.03))
    result = prim(x, y.to_numpy(), threshold=0.85)
    box = result.box()
    assert set(box.limits.index) == {"a", "b", "scope"}
    assert box.limits.loc["a", "low"] == pytest.approx(0.5, abs=0.05)
    assert box.limits.loc["b", "high"] == pytest.approx(40, abs=5)
    assert box.limits.loc["scope", "values"] == ("wide",)
    assert box.density >= 0.85 and box.coverage >= 0.75
    assert (box.limits["qp"] < 1e-6).all()
    traj = result.trajectory
    assert traj["coverage"].iloc[0] == 1.0 and np.all(np.diff(traj["mass"]) < 0)
    pasted = result.box(paste=True)
    assert pasted.density >= box.density - 1e-12


def test_prim_quasi_p_value_is_large_for_a_useless_restriction():
    rng = np.random.default_rng(2)
    x = pd.DataFrame({"a": rng.random(600), "noise": rng.random(600)})
    y = (x.a > 0.7).to_numpy()
    box = prim(x, y, threshold=1.0).box(len(prim(x, y).trajectory) - 1)
    if "noise" in box.limits.index:
        assert box.limits.loc["noise", "qp"] > box.limits.loc["a", "qp"]


# Running experiments ---------------------------------------------------------------------------
def test_same_seed_same_table_across_chunk_sizes_and_executors():
    exp = demo_experiment(n_futures=5)
    base = run_experiment(exp).table()
    assert run_experiment(exp, chunk_size=3).table().equals(base)
    with ThreadPoolExecutor(2) as pool:
        assert run_experiment(exp, executor=pool, chunk_size=2).table().equals(base)
    from supplychain.run.chunks import _mp_context
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(2, mp_context=_mp_context()) as pool:
        assert run_experiment(exp, executor=pool).table().equals(base)
    assert not run_experiment(dataclasses.replace(exp, seed=1)).table().equals(base)


def test_policies_share_futures_and_outcomes_behave():
    res = run_experiment(demo_experiment(n_futures=8))
    table = res.table()
    assert len(table) == 2 * 8
    futures = table.pivot(index="future", columns="policy", values="shocks.quake.duration_days")
    assert (futures["none"] == futures["reserve"]).all()              # the same futures for both
    short = res.outcome("shortfall")
    assert (short["reserve"] <= short["none"] + 1e-6).all()            # a reserve never hurts here
    assert (short["none"] > 0).any()
    cost = res.outcome("cost")
    usage = region_usage(demo_experiment().scenario.network)("KR", "ore")
    assert cost["none"].eq(0).all()
    assert cost["reserve"].iloc[0] == pytest.approx(30 * usage * 100.0 * 0.08 * 150 / 365)
    t = robustness_table(res, "shortfall", threshold=1.0, cost="cost")
    assert t.loc["none", "diff_vs_none"] == 0 and t.loc["reserve", "cost_mean"] > 0
    assert t.loc["reserve", "max_regret"] <= t.loc["none", "max_regret"]


def test_time_to_recover_and_landed_cost_by_hand():
    sc = toy_scenario(20).with_shocks(CapacityShock(region="CN", fraction_lost=0.5, start=3, end=6))
    c = compile_scenario(sc)
    demand = np.ones((1, 20, 2))
    delivered = demand.copy()
    delivered[0, 5:9, 0] = 0.5                       # US short on days 5-8: recovered at the end of day 8
    arrays = {"demand": demand, "delivered": delivered, "flow": np.ones((1, 20, 4))}
    outcomes = (Outcome("ttr", "time_to_recover", regions=("US",)), Outcome("ttr_jp", "time_to_recover",
                regions=("JP",)), Outcome("lc", "landed_cost_increase", regions=("KR",)),
                Outcome("s", "shortfall_units", regions=("US",)))
    out = evaluate(c, arrays, outcomes, PolicyCosts())
    assert out[0].tolist()[:2] == [9 - 3, 0.0]
    # KR imports ore on two lanes at one unit a day each: landed/value = (105 + 109) / 200 against the
    # steady 0.7 x 105 + 0.3 x 109 over 100.
    assert out[0, 2] == pytest.approx((214 / 200) / (0.7 * 105 + 0.3 * 109) * 100 - 1)
    assert out[0, 3] == pytest.approx(2.0)


def test_experiment_validation_names_what_is_wrong():
    sc = quake_scenario()
    unc = (Uncertainty("shocks.quake.start", Uniform(10, 30)),)
    outs = (Outcome("s", "shortfall_usd"),)
    with pytest.raises(ValidationError, match="is an uncertainty, not a lever"):
        Experiment(sc, uncertainties=unc, outcomes=outs, strategies=(Strategy("x", {"shocks.quake.start": 3}),))
    with pytest.raises(ValidationError, match="at least one outcome"):
        Experiment(sc, uncertainties=unc)
    with pytest.raises(ValidationError, match="design must be one of"):
        Experiment(sc, uncertainties=unc, outcomes=outs, design="grid")
    from supplychain import load_baseline
    from supplychain.analytics.experiments.outcomes import check_outcomes
    with pytest.raises(ValidationError, match="adds different units"):
        check_outcomes(load_baseline().network, [Outcome("s", "shortfall_units", regions=("US",))])
    with pytest.raises(ValidationError, match="no final demand matches"):
        check_outcomes(sc.network, [Outcome("s", "shortfall_usd", regions=("CN",))])


def test_report_boxes_only_for_policies_that_fail():
    exp = dataclasses.replace(demo_experiment(n_futures=12), threshold=1.0)
    rep = experiment_report(run_experiment(exp))
    assert rep.failure_share["none"] > 0
    assert (rep.boxes["none"] is None) == (rep.failure_share["none"] == 0)
    assert math.isclose(rep.robustness.loc["none", "satisficing"], 1 - rep.failure_share["none"])


# Files and the command line --------------------------------------------------------------------
EXTRA = """
[experiment]
name = "tiny"
n_futures = 3
seed = 5
threshold = 1.0
cost = "cost"

[[uncertainties]]
path = "shocks.outage.duration_days"
distribution = { kind = "uniform", low = 5, high = 25 }

[[policies]]
name = "none"
settings = { "responses.reserve.enabled" = false }

[[policies]]
name = "reserve"
settings = { "responses.reserve.reserve_days" = 20 }

[[outcomes]]
name = "shortfall"
kind = "shortfall_usd"

[[outcomes]]
name = "cost"
kind = "policy_cost"
"""


@pytest.fixture
def experiment_file(tmp_path):
    sc = dataclasses.replace(
        toy_scenario(40).replace(network=chain_network(cover=3.0, lead_refinery=2.0)),
        name="tiny chain").with_shocks(
        CapacityShock(id="outage", facility="CN.refinery", fraction_lost=0.9, start=5, end=15),
        StockpileRelease(id="reserve", region="US", commodity="metal", reserve=1.0, release_below_cover_days=2))
    path = save_scenario(sc, tmp_path / "tiny.toml")
    path.write_text(path.read_text() + EXTRA)
    return path


def test_cli_runs_a_tiny_experiment_file(experiment_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["experiment", str(experiment_file), "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "Robustness of each policy on 'shortfall'" in text and "reserve" in text
    assert {"experiments.csv", "robustness.csv", "pareto.png"} <= {p.name for p in out.iterdir()}
    table = pd.read_csv(out / "experiments.csv")
    assert len(table) == 2 * 3 and list(table.columns[:2]) == ["policy", "future"]


def test_cli_error_is_one_line_naming_file_and_field(experiment_file, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(experiment_file.read_text().replace("n_futures = 3", "n_futurs = 3"))
    assert main(["experiment", str(bad), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.toml, [experiment]: n_futurs is not a known key" in err[0]
    assert not (tmp_path / "o").exists()


def test_experiment_file_errors_name_the_entry():
    with pytest.raises(ScenarioFileError, match=r"x.toml, \[\[uncertainties\]\] entry 1: .*no shock has id"):
        loads_experiment('[scenario]\nbase = "baseline"\nhorizon_days = 10\n[[uncertainties]]\n'
                         'path = "shocks.none.start"\nchoices = [1, 2]\n[[outcomes]]\nname = "s"\n'
                         'kind = "shortfall_usd"\n', source="x.toml")


def test_shipped_trilateral_experiment_loads():
    exp = load_experiment("trilateral_policies")
    assert [s.name for s in exp.strategies] == ["no_joint_action", "joint_stockpile", "friendshoring", "both"]
    assert exp.primary == "critical_shortfall_usd" and exp.cost == "policy_cost"
    assert {"shocks.cn_controls.start", "shocks.cn_controls.duration_days", "shocks.cn_controls.leakage",
            "shocks.tw_disruption.enabled"} <= set(exp.uncertainty_paths)


def test_scenario_files_keep_uncertain_parameters():
    from supplychain.io.scenario import dumps_scenario, loads_scenario
    sc = quake_scenario(60).with_uncertainty("shocks.quake.duration_days", Triangular(5, 20, 40)) \
        .with_uncertainty("shocks.quake:row.enabled", choices=[True, False])
    assert loads_scenario(dumps_scenario(sc)) == sc
    with pytest.raises(UnknownIdError, match=r"\[\[uncertainties\]\] entry 1: .*no shock has id 'qauke'"):
        loads_scenario(dumps_scenario(sc).replace('path = "shocks.quake.duration_days"',
                                                  'path = "shocks.qauke.duration_days"'), source="s.toml")
