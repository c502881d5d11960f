"""Input limits (DECISIONS 11) and draws that cannot be infinite (DECISIONS 10).

Each case is one of the fuzzing findings of issue 8: an input that used to size
an array beyond memory, overflow a sampler or date arithmetic, or give a silent
NaN. Every one is now rejected on construction with an error naming the field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings

import numpy as np
import pytest
from scipy import stats

from supplychain.analytics._toy import toy_network, toy_scenario
from supplychain.errors import SimulationWarning, SupplyChainError, ValidationError
from supplychain.io.scenario import load_scenario
from supplychain.model import (
    CapacityInvestment,
    CapacityShock,
    DaysOfCover,
    DemandShock,
    ExportControl,
    Facility,
    Fixed,
    Lane,
    LogisticsShock,
    LogNormal,
    Normal,
    RandomOutage,
    SafetyStockChange,
    Scenario,
    StockpileRelease,
    Tariff,
    Triangular,
    Uniform,
)


def test_tariff_rate_is_a_fraction() -> None:
    with pytest.raises(ValidationError, match=r"rate must be <= 10 \(rate is a fraction: 0.25 means 25 %\); "
                                              r"got 100 for Tariff"):
        Tariff(importer="US", exporter="CN", commodity="ore", rate=100)
    with pytest.warns(SimulationWarning, match=r"rate 3 means 300 % \(rate is a fraction"):
        Tariff(importer="US", exporter="CN", commodity="ore", rate=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Tariff(importer="US", exporter="CN", commodity="ore", rate=2.5).rate == 2.5


LANE = {"origin": "CN.mine", "destination": "KR.cells", "commodity": "ore"}
EC = {"exporter": "CN", "commodity": "ore"}

#: (builder, field named in the error): each reproduces a fuzzing finding.
BAD_INPUTS = [
    (lambda: Lane(**LANE, lead_time=1e9), "lead_time"),
    (lambda: Lane(**LANE, lead_time=1e7), "lead_time"),
    (lambda: Lane(**LANE, lead_time=1e300), "lead_time"),
    (lambda: Lane(**LANE, lead_time=Uniform(1e308, 1e308)), "low"),
    (lambda: Lane(**LANE, lead_time=LogNormal(20.0, 1e200)), "sd"),
    (lambda: Lane(**LANE, lead_time=LogNormal(3000.0, 3000.0)), "lead_time"),   # the tail reaches ~70,000 days
    (lambda: Lane(**LANE, lead_time=Normal(20.0, 5.0, low=0.0, high=5000.0)), "lead_time"),
    (lambda: Lane(**LANE, capacity_per_day=1e300), "capacity_per_day"),
    (lambda: Tariff(importer="US", exporter="CN", commodity="ore", rate=0.1, switching_lag_days=1e15),
     "switching_lag_days"),
    (lambda: Tariff(importer="US", exporter="CN", commodity="ore", rate=0.1, switching_lag_days=2**70),
     "switching_lag_days"),
    (lambda: Scenario(toy_network(), horizon_days=10**12), "horizon_days"),
    (lambda: Scenario(toy_network(), horizon_days=3651), "horizon_days"),
    (lambda: Scenario(toy_network(), start_date=dt.date(9999, 12, 1)), "start_date"),
    (lambda: ExportControl(**EC, mode="licence", processing_delay=1e9), "processing_delay"),
    (lambda: ExportControl(**EC, mode="licence", processing_delay=2**70), "processing_delay"),
    (lambda: ExportControl(**EC, mode="licence",
                           processing_delay={"kind": "lognormal", "mu": 1e-300, "sd": 1e300}), "sd"),
    (lambda: ExportControl(**EC, front_load_days=1e308), "front_load_days"),
    (lambda: ExportControl(**EC, mode="quota", quota_per_period=1e300), "quota_per_period"),
    (lambda: ExportControl(**EC, period_days=10**9), "period_days"),
    (lambda: ExportControl(**EC, start=2**70), "start"),
    (lambda: ExportControl(**EC, start=dt.date(9999, 1, 1)), "start"),
    (lambda: LogisticsShock(through="TW", lead_time_multiplier=1e6), "lead_time_multiplier"),
    (lambda: RandomOutage(stage="mine", rate_per_year=1e300, duration=5.0), "rate_per_year"),
    (lambda: RandomOutage(stage="mine", rate_per_year=1e9, duration=5.0), "rate_per_year"),
    (lambda: RandomOutage(stage="mine", rate_per_year=1.0, duration=1e9), "duration"),
    (lambda: DemandShock(region="US", commodity="cell", factor=1e308), "factor"),
    (lambda: SafetyStockChange(region="US", commodity="cell", cover_days=1e308), "cover_days"),
    (lambda: StockpileRelease(region="US", commodity="cell", reserve=1e308, release_below_cover_days=5),
     "reserve"),
    (lambda: StockpileRelease(region="US", commodity="cell", reserve=5.0, release_below_cover_days=1e9),
     "release_below_cover_days"),
    (lambda: CapacityShock(facility="CN.mine", fraction_lost=0.5, recovery_days=1e9), "recovery_days"),
    (lambda: CapacityInvestment(region="US", commodity="cell", added_capacity=1e300), "added_capacity"),
    (lambda: CapacityInvestment(region="US", commodity="cell", added_capacity=1.0, build_lag_days=1e6),
     "build_lag_days"),
    (lambda: Facility("X", "CN", "mine", "ore", 1e300), "capacity_per_day"),
    (lambda: Facility("X", "CN", "mine", "ore", 1.0, default_cover_days=1e9), "default_cover_days"),
    (lambda: DaysOfCover(1e308), "days"),
]


@pytest.mark.parametrize("build, field", BAD_INPUTS, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD_INPUTS)])
def test_out_of_range_inputs_are_rejected_naming_the_field(build, field) -> None:
    with pytest.raises(ValidationError) as err:
        build()
    assert str(err.value).startswith(f"{field} must be")


def test_values_at_the_limits_are_accepted() -> None:
    assert Lane(**LANE, lead_time=3650).lead_time == Fixed(3650.0)
    assert Scenario(toy_network(), horizon_days=3650, start_date=dt.date(2200, 12, 31)).horizon_days == 3650
    assert Lane(**LANE, lead_time=LogNormal(30.0, 15.0)).lead_time.mean == 30.0
    assert RandomOutage(stage="mine", rate_per_year=365, duration=LogNormal(30.0, 15.0)).rate_per_year == 365
    assert ExportControl(**EC, start=dt.date(1900, 1, 1)).start == dt.date(1900, 1, 1)


def test_a_scenario_file_with_a_huge_lead_time_is_rejected(tmp_path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text('[scenario]\nbase = "baseline"\n\n[[shocks]]\nkind = "tariff"\nimporter = "US"\n'
                    'exporter = "CN"\ncommodity = "gallium"\nrate = 0.1\nswitching_lag_days = 1e15\n')
    with pytest.raises(SupplyChainError, match="switching_lag_days must be <= 3650 days"):
        load_scenario(path)


def test_truncated_normal_deep_in_its_tail_draws_finite_values() -> None:
    rng = np.random.default_rng(8)
    for dist in (Normal(0.0, 1.0, low=40.0), Normal(0.0, 1.0, high=-40.0), Normal(0.0, 1.0, low=40.0, high=41.0),
                 Normal(5.0, 1e-3, low=6.0), Normal(0.0, 1.0, low=-1e6, high=-38.0)):
        x = dist.sample(rng, 100_000)
        assert np.isfinite(x).all() and (x >= dist.low).all() and (x <= dist.high).all()
        assert x.mean() == pytest.approx(dist.mean, abs=5 * x.std() / np.sqrt(x.size) + 1e-12)
        assert np.isfinite(dist.mean) and np.isfinite(dist.quantile(0.5))
    assert Normal(0.0, 1.0, low=40.0).mean == pytest.approx(40.024968847210886, rel=1e-12)
    assert Normal(0.0, 1.0, high=-40.0).mean == pytest.approx(-40.024968847210886, rel=1e-12)


@pytest.mark.parametrize("low, high", [(-1.0, 2.0), (0.0, np.inf), (-np.inf, 0.5), (1.5, 3.0), (-3.0, -2.5)])
def test_truncated_normal_matches_its_moments(low: float, high: float) -> None:
    dist = Normal(1.0, 2.0, low=1.0 + 2.0 * low, high=1.0 + 2.0 * high)
    x = dist.sample(np.random.default_rng(1), 400_000)
    ref = stats.truncnorm(low, high, loc=1.0, scale=2.0)
    se = np.sqrt(ref.var() / x.size)
    assert abs(x.mean() - ref.mean()) < 5 * se
    assert x.var() == pytest.approx(ref.var(), rel=0.01)
    assert dist.mean == pytest.approx(ref.mean(), rel=1e-12)
    for q in (0.01, 0.5, 0.99):
        assert dist.quantile(q) == pytest.approx(ref.ppf(q), rel=1e-9)


def test_quantiles_of_every_distribution() -> None:
    assert Uniform(2.0, 4.0).quantile(0.25) == 2.5
    assert Triangular(0.0, 0.0, 1.0).quantile(0.75) == pytest.approx(stats.triang(0.0).ppf(0.75))
    assert Triangular(0.0, 3.0, 6.0).quantile(0.5) == pytest.approx(3.0)
    ln = LogNormal(20.0, 5.0)
    m, s = ln._log_params()
    assert ln.quantile(0.9) == pytest.approx(stats.lognorm(s, scale=np.exp(m)).ppf(0.9))
    # A tiny mean with a large sd needs log-space parameters (sd / mu would overflow when squared).
    assert np.isfinite(LogNormal(1e-300, 1e6)._log_params()).all()


def test_a_copy_with_a_bad_value_is_rejected_too() -> None:
    sc = toy_scenario(30)
    with pytest.raises(ValidationError, match="horizon_days must be <= 3650 days"):
        dataclasses.replace(sc, horizon_days=5000)
