"""Sensitivity analysis: input perturbations, the Sobol and SRC estimators, warnings and tornado plots."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc

from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.sensitivity import (
    Parameter,
    one_at_a_time,
    sensitivity,
    sobol_indices,
    src_coefficients,
)
from supplychain.errors import SimulationWarning, ValidationError
from supplychain.model import DaysOfCover, ExportControl, Scenario, Tariff, Uniform
from supplychain.plotting.resilience import plot_tornado


def banned(horizon_days: int = 200) -> Scenario:
    """The toy network with a CN ore ban over days 10-160."""
    return toy_scenario(horizon_days).with_shocks(ExportControl(exporter="CN", commodity="ore", start=10, end=160))


def test_parameter_validation_messages() -> None:
    with pytest.raises(ValidationError, match=r"high must be > low \(1\); got 0.5 for Parameter 'cap'"):
        Parameter("cap", 1.0, 0.5, target="capacity")
    with pytest.raises(ValidationError, match="target must be one of"):
        Parameter("cap", 0.5, 1.5, target="capacities")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="low must be a multiplier >= 0"):
        Parameter("cap", -1.0, 1.5, target="capacity")


def test_parameters_scale_the_inputs_they_select() -> None:
    sc = toy_scenario()
    cap = Parameter("cap", 0.5, 1.5, target="capacity", ids=("ROW.mine",)).apply(sc, 0.5)
    assert cap.network.facility("ROW.mine").capacity_per_day == 3.0
    assert cap.network.facility("CN.mine").capacity_per_day == 12.0
    lanes = (dataclasses.replace(sc.network.lanes[0], lead_time=Uniform(4.0, 6.0)),) + sc.network.lanes[1:]
    uncertain = sc.replace(network=dataclasses.replace(sc.network, lanes=lanes))
    lead = Parameter("lead", 0.5, 2.0, target="lead_time").apply(uncertain, 2.0)
    assert lead.network.lanes[0].lead_time == Uniform(8.0, 12.0)
    assert lead.network.lanes[1].lead_time.mean == 20.0
    cover = Parameter("cover", 0.5, 2.0, target="stock_cover", ids=("KR.cells", "US.cells")).apply(sc, 2.0)
    assert cover.network.facility("KR.cells").default_cover_days == 20.0
    assert cover.network.demand("US.cells").policy == DaysOfCover(40.0)
    assert cover.network.demand("JP.cells").policy == DaysOfCover(20.0)
    elast = Parameter("sigma", 0.5, 2.0, target="elasticity", ids=("ore",)).apply(sc, 2.0)
    assert elast.network.commodity("ore").elasticity == 4.0


def test_approval_probability_is_set_on_licence_regimes_only() -> None:
    sc = toy_scenario().with_shocks(
        ExportControl(exporter="CN", commodity="ore", mode="licence", approval_probability=0.9, start=5),
        Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.1, start=5))
    out = Parameter("approval", 0.2, 0.8, target="approval_probability").apply(sc, 0.3)
    assert out.shocks[0].approval_probability == 0.3
    assert out.shocks[1] == sc.shocks[1]


def test_sobol_estimators_recover_the_indices_of_an_additive_model() -> None:
    # f = x1 + 2 x2 + 0 x3 on the unit cube: variances 1:4:0, so S1 = ST = (0.2, 0.8, 0)
    ab = qmc.Sobol(6, scramble=True, seed=0).random_base2(12)
    a, b = ab[:, :3], ab[:, 3:]
    f = lambda x: x[:, 0] + 2 * x[:, 1]
    fab = np.stack([f(np.where(np.arange(3) == i, b, a)) for i in range(3)])
    s1, st = sobol_indices(f(a), f(b), fab)
    np.testing.assert_allclose(s1, [0.2, 0.8, 0.0], atol=0.02)
    np.testing.assert_allclose(st, [0.2, 0.8, 0.0], atol=0.02)


def test_sobol_estimators_see_interactions_in_the_total_index() -> None:
    # f = x1 * x2 on [-1, 1]^2 is pure interaction: S1 = 0, ST = 1
    ab = qmc.Sobol(4, scramble=True, seed=1).random_base2(12) * 2 - 1
    a, b = ab[:, :2], ab[:, 2:]
    f = lambda x: x[:, 0] * x[:, 1]
    fab = np.stack([f(np.where(np.arange(2) == i, b, a)) for i in range(2)])
    s1, st = sobol_indices(f(a), f(b), fab)
    np.testing.assert_allclose(s1, [0.0, 0.0], atol=0.03)
    np.testing.assert_allclose(st, [1.0, 1.0], atol=0.03)


def test_src_of_a_linear_model_matches_the_standardized_slopes() -> None:
    x = qmc.LatinHypercube(2, seed=0).random(500)
    coef, r2 = src_coefficients(x, 3 * x[:, 0] - x[:, 1])
    expected = np.array([3.0, -1.0]) * x.std(axis=0) / (3 * x[:, 0] - x[:, 1]).std()
    np.testing.assert_allclose(coef, expected)
    assert r2 == pytest.approx(1.0)


def test_constant_metric_warns_that_indices_are_undefined() -> None:
    with pytest.warns(SimulationWarning, match="did not vary"):
        s1, _ = sobol_indices(np.ones(4), np.ones(4), np.ones((2, 4)))
    assert np.isnan(s1).all()


def test_sensitivity_ranks_the_input_that_drives_the_shortfall() -> None:
    params = [Parameter("ROW mine capacity", 0.5, 1.5, target="capacity", ids=("ROW.mine",)),
              Parameter("elasticity", 0.5, 2.0, target="elasticity")]
    with pytest.warns(SimulationWarning, match=r"from 12 samples .* not reliable \(want >= 20 samples"):
        df = sensitivity(banned(), params, method="src", n_samples=12, seed=1)
    assert df.index.tolist() == ["ROW mine capacity", "elasticity"]
    assert df.loc["ROW mine capacity", "SRC"] < -0.8
    assert df.attrs["n_evaluations"] == 12


def test_small_sobol_samples_warn_and_count_evaluations() -> None:
    params = [Parameter("ROW mine capacity", 0.5, 1.5, target="capacity", ids=("ROW.mine",))]
    with pytest.warns(SimulationWarning, match=r"N = 4 base samples are noisy"):
        df = sensitivity(banned(170), params, method="sobol", n_samples=3, seed=0)
    assert df.attrs["n_evaluations"] == 4 * (1 + 2)
    assert list(df.columns) == ["S1", "ST"]


def test_sensitivity_checks_its_arguments() -> None:
    params = [Parameter("cap", 0.5, 1.5, target="capacity")]
    with pytest.raises(ValidationError, match="method must be 'sobol' or 'src'"):
        sensitivity(banned(), params, method="morris")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="metric must be one of"):
        sensitivity(banned(), params, metric="shortfal")
    with pytest.raises(ValidationError, match="parameters must be a non-empty list"):
        sensitivity(banned(), [])


def test_one_at_a_time_and_tornado_plots() -> None:
    params = [Parameter("ROW mine capacity", 0.5, 1.5, target="capacity", ids=("ROW.mine",)),
              Parameter("lead time", 0.8, 1.2, target="lead_time")]
    table = one_at_a_time(banned(170), params, metric="loss_days")
    assert table.index[0] == "ROW mine capacity"
    assert (table["base"] == table["base"].iloc[0]).all()
    ax = plot_tornado(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["lead time", "ROW mine capacity"]
    sobol = pd.DataFrame({"S1": [0.7, 0.1], "ST": [0.8, 0.2]}, index=["a", "b"])
    assert plot_tornado(sobol).get_xlabel() == "Sobol index"
    with pytest.raises(ValidationError, match="table must be a one_at_a_time or sensitivity table"):
        plot_tornado(pd.DataFrame({"x": [1.0]}))
