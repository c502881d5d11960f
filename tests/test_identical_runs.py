"""Ensembles of identical runs are flagged; ``--random-lead-times`` makes a baseline scenario random (issue 13)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from supplychain import load_baseline
from supplychain.analytics._engine import is_deterministic
from supplychain.cli.app import main
from supplychain.datasets import with_random_lead_times
from supplychain.errors import SimulationWarning, ValidationError
from supplychain.io.scenario import save_scenario
from supplychain.model import Fixed, Normal, Scenario, Triangular, Uniform
from supplychain.run import simulate

from .conftest import chain_network

MESSAGE = ("nothing in this scenario is random; the 3 runs are identical: use n_runs=1, or "
           "random_lead_times=True / noise / RandomOutage")


def identical_run_warnings(scenario: Scenario, **kw) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        simulate(scenario, **kw)
    return [w for w in caught if "runs are identical" in str(w.message)]


@pytest.mark.parametrize("keep", ["series", "summary"])
@pytest.mark.parametrize("engine", ["des", "vector"])
def test_several_runs_of_a_deterministic_scenario_warn_once(engine, keep):
    hits = identical_run_warnings(Scenario(chain_network(), horizon_days=10), engine=engine, n_runs=3, seed=0,
                                  keep=keep)
    assert len(hits) == 1
    assert hits[0].category is SimulationWarning and str(hits[0].message) == MESSAGE
    assert hits[0].filename == __file__  # points at the caller of simulate, not inside the library


def test_one_run_or_anything_random_does_not_warn():
    chain = chain_network()
    assert not identical_run_warnings(Scenario(chain, horizon_days=10), n_runs=1, seed=0)
    lanes = (dataclasses.replace(chain.lanes[0], lead_time=Triangular(2.0, 3.0, 5.0)), chain.lanes[1])
    random_lead = Scenario(dataclasses.replace(chain, lanes=lanes), horizon_days=10)
    noisy = Scenario(dataclasses.replace(chain, demands=(dataclasses.replace(
        chain.demands[0], noise=Normal(1.0, 0.2, low=0.0)),)), horizon_days=10)
    for scenario in (random_lead, noisy):
        assert not is_deterministic(scenario)
        assert not identical_run_warnings(scenario, engine="vector", n_runs=3, seed=0)


def test_uncertain_parameters_are_random_unless_every_run_draws_the_same_value():
    base = Scenario(chain_network(), horizon_days=10)
    uncertain = base.with_uncertainty("network.facilities.CN.refinery.capacity_per_day", Uniform(8.0, 12.0))
    assert not is_deterministic(uncertain)
    assert not identical_run_warnings(uncertain, engine="vector", n_runs=3, seed=0)
    fixed = base.with_uncertainty("network.facilities.CN.refinery.capacity_per_day", Fixed(10.0))
    assert len(identical_run_warnings(fixed, engine="vector", n_runs=3, seed=0)) == 1


def test_random_lead_times_of_a_shipped_scenario_keep_its_shocks_and_make_it_random():
    from supplychain.cli.arguments import resolve_scenario
    shipped = resolve_scenario("taiwan_blockade_magnets")
    assert is_deterministic(shipped)
    random = with_random_lead_times(shipped)
    assert not is_deterministic(random)
    assert (random.shocks, random.responses, random.name, random.horizon_days) == (
        shipped.shocks, shipped.responses, shipped.name, shipped.horizon_days)
    assert random.network.lanes == load_baseline(random_lead_times=True).network.lanes
    assert dataclasses.replace(random.network, lanes=shipped.network.lanes) == shipped.network


def test_random_lead_times_keep_a_lead_time_the_scenario_changed():
    base = load_baseline(horizon_days=20)
    first = base.network.lanes[0]
    changed = dataclasses.replace(first, lead_time=Fixed(99.0))
    edited = base.replace(network=dataclasses.replace(base.network, lanes=(changed, *base.network.lanes[1:])))
    random = with_random_lead_times(edited)
    assert random.network.lanes[0].lead_time == Fixed(99.0)
    assert random.network.lanes[1:] == load_baseline(random_lead_times=True).network.lanes[1:]


def test_random_lead_times_refuse_a_network_that_is_not_the_baseline():
    with pytest.raises(ValidationError, match=r"scenario 'chain' is not on the baseline network: 2 lane\(s\) "
                                              r"not in the baseline \(CN.mine>CN.refinery, CN.refinery>US.metal\)"):
        with_random_lead_times(Scenario(chain_network(), horizon_days=10, name="chain"))
    base = load_baseline(horizon_days=10)
    fewer = base.replace(network=dataclasses.replace(base.network, lanes=base.network.lanes[1:]))
    with pytest.raises(ValidationError, match=r"1 baseline lane\(s\) missing"):
        with_random_lead_times(fewer)


# CLI ---------------------------------------------------------------------------------------------
def test_cli_run_of_identical_runs_warns_once_naming_the_switch(capsys):
    pytest.importorskip("supplychain.engines.vector")
    argv = ["run", "baseline", "--engine", "vector", "--runs", "3", "--horizon", "10", "--seed", "1", "--quiet"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert err.count("runs are identical") == 1, err
    assert ("supplychain: warning: nothing in this scenario is random; the 3 runs are identical: use --runs 1, "
            "or --random-lead-times") in err


def test_cli_random_lead_times_runs_differ_and_do_not_warn(tmp_path, capsys):
    pytest.importorskip("supplychain.engines.vector")
    argv = ["run", "baseline", "--engine", "vector", "--runs", "3", "--horizon", "30", "--seed", "1", "--quiet",
            "--random-lead-times", "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    assert "runs are identical" not in capsys.readouterr().err
    from supplychain import load_results
    res = load_results(tmp_path / "out" / "results.npz")
    assert not is_deterministic(res.scenario)
    arrivals = res.arrays["arrivals"]
    assert not np.array_equal(arrivals[0], arrivals[1])  # each run draws its own lead times


def test_cli_random_lead_times_on_another_network_is_one_clear_error(tmp_path, capsys):
    path = save_scenario(Scenario(chain_network(), horizon_days=10, name="chain"), tmp_path / "chain.toml")
    assert main(["run", str(path), "--random-lead-times", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("supplychain: error: ")
    assert "not on the baseline network" in err


def test_compare_to_unshocked_does_not_flag_its_paired_baseline():
    # Only the shock is random (an outage drawn per run): the unshocked baseline's runs are identical by design.
    from supplychain.analytics.compare import compare_to_unshocked
    from supplychain.model import RandomOutage
    s = Scenario(chain_network(), horizon_days=30).with_shocks(
        RandomOutage(facility="CN.refinery", rate_per_year=20.0, duration=5.0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shocked = simulate(s, engine="vector", n_runs=3, seed=1)
        table = compare_to_unshocked(shocked)
    assert not [w for w in caught if "runs are identical" in str(w.message)]
    assert len(table) > 0
