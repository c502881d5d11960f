"""Stress test: the LP and the simulation agree where the LP's assumptions hold."""

from __future__ import annotations

import numpy as np
import pytest

import supplychain.model
from supplychain.analytics import (
    disruption_scenarios,
    knockout_scenario,
    stress_test,
    time_to_survive,
)
from supplychain.analytics._toy import single_source_network, toy_network
from supplychain.analytics.lp import build_lp, risk_exposure
from supplychain.analytics.stress import no_shortfall
from supplychain.datasets.synthetic import synthetic_network
from supplychain.errors import SimulationWarning, ValidationError
from supplychain.model import Commodity, Demand, Facility, Lane, Network, Region
from supplychain.run import simulate


@pytest.mark.parametrize(("stock", "rate"), [(100.0, 10.0), (105.0, 10.0), (37.0, 4.0), (250.0, 7.0)])
def test_lp_and_simulation_agree_on_time_to_survive(stock: float, rate: float) -> None:
    # one source, a one-day lane, no other buffer: TTS = s / d with s = stock + one day in transit
    net = single_source_network(stock=stock, rate_per_day=rate)
    row = stress_test(net, duration_days=120, method="both", seed=0).loc["CN.mine"]
    assert row["tts_days"] == pytest.approx((stock + rate) / rate)
    assert abs(row["tts_sim_days"] - row["tts_days"]) < 1.0


def test_simulated_time_to_survive_of_a_knockout_is_stock_over_demand() -> None:
    sc = knockout_scenario(single_source_network(stock=100.0, rate_per_day=10.0), ["CN.mine"],
                           duration_days=30, horizon_days=40)
    assert time_to_survive(simulate(sc, engine="des", seed=0), by="demand").tolist() == [[11.0]]


def test_stress_test_ranks_by_rei_and_reports_both_methods() -> None:
    df = stress_test(toy_network(), duration_days=60, method="both")
    lost = ~no_shortfall(df)  # knockouts that lose nothing tie after the ranked ones
    assert df["rank"].tolist() == list(range(1, int(lost.sum()) + 1)) + [int(lost.sum()) + 1] * int((~lost).sum())
    assert df.index[0] == "KR.cells"
    assert df.loc["KR.cells", "rei"] == 1.0 and df.loc["KR.cells", "rei_sim"] == 1.0
    assert bool(df.loc["KR.cells", "vulnerable"])
    assert df.loc["KR.cells", "tts_days"] == pytest.approx(39.6)
    # with lead times the simulation fails sooner than the LP's optimal reallocation
    assert df.loc["KR.cells", "tts_sim_days"] <= df.loc["KR.cells", "tts_days"]
    assert {"pi_usd", "exposure_days", "shortfall_sim_usd", "cvar95_shortfall_usd"} <= set(df.columns)


def test_stress_test_by_simulation_only_ranks_by_shortfall() -> None:
    df = stress_test(toy_network(), duration_days=60, method="simulation")
    assert "rei" not in df.columns
    assert df["shortfall_sim_usd"].is_monotonic_decreasing


def test_stress_test_checks_its_arguments() -> None:
    with pytest.raises(ValidationError, match=r"method must be one of 'both', 'lp', 'simulation' \(did you mean 'lp'\?\); got 'ilp'"):
        stress_test(toy_network(), method="ilp")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="duration_days must be >= 1"):
        stress_test(toy_network(), duration_days=0)


def test_disruption_scenarios_cover_facilities_region_stages_and_exporters_once() -> None:
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("sand", "t", 1.0)),
        facilities=(Facility("CN.ore1", "CN", "mine", "ore", 5.0), Facility("CN.ore2", "CN", "mine", "ore", 5.0),
                    Facility("CN.sand", "CN", "mine", "sand", 5.0)),
        lanes=(Lane("CN.ore1", "US.ore", "ore"), Lane("CN.ore2", "US.ore", "ore"), Lane("CN.sand", "US.sand", "sand")),
        demands=(Demand("US.ore", "US", "ore", 4.0), Demand("US.sand", "US", "sand", 1.0)),
    )
    df = disruption_scenarios(net)
    assert df.index.tolist() == ["CN.ore1", "CN.ore2", "CN.sand", "CN/mine", "CN>ore"]
    assert df.loc["CN/mine", "facilities"] == ("CN.ore1", "CN.ore2", "CN.sand")
    assert df.loc["CN>ore", "kind"] == "exporter_commodity"
    assert df.loc["CN.sand", "aliases"] == "CN>sand"


def test_knockout_scenario_lasts_the_given_days() -> None:
    sc = knockout_scenario(toy_network(), ["CN.mine", "ROW.mine"], start=5, duration_days=10, horizon_days=30)
    assert [(s.facility, s.start, s.end, s.fraction_lost) for s in sc.shocks] == [
        ("CN.mine", 5, 15, 1.0), ("ROW.mine", 5, 15, 1.0)]
    res = simulate(sc, seed=0)
    assert res.production[0, 5:15, :2].sum() == 0.0 and res.production[0, 15:, :2].sum() > 0


def test_knockout_falls_back_to_zero_capacity_without_capacity_shocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(supplychain.model, "CapacityShock")
    with pytest.warns(SimulationWarning, match="CapacityShock is not available; the knockout lasts the whole"):
        sc = knockout_scenario(toy_network(), ["CN.mine"], duration_days=10, horizon_days=30)
    assert sc.horizon_days == 10 and sc.shocks == ()
    assert sc.network.facility("CN.mine").capacity_per_day == 0.0


def test_stress_test_rejects_fail_below_of_one_naming_it() -> None:
    # It used to fail inside time_to_recover, naming recover_at, a parameter the user never passed.
    with pytest.raises(ValidationError) as err:
        stress_test(toy_network(), method="simulation", fail_below=1.0)
    assert str(err.value) == ("fail_below must be < 1 (a demand recovers halfway between fail_below and 1); "
                              "got 1.0 for stress_test.")
    assert "recover_at" not in str(err.value)


@pytest.mark.parametrize(("target", "ttr", "recovery"), [(None, None, None), ("KR:assembly0", 45.0, 10),
                                                          ("US.assembly0", None, 0)])
def test_stress_test_lp_columns_equal_the_full_lp(target: str | None, ttr: float | None,
                                                  recovery: int | None) -> None:
    # The stress test solves each knockout on the part of the network it touches; the full LP is the oracle.
    net = synthetic_network(25, seed=5, cover_days=5.0)
    method = "lp" if target is None else "both"
    df = stress_test(net, duration_days=30, ttr_days=ttr, method=method, target=target, recovery_days=recovery,
                     n_runs=1)
    full = risk_exposure(build_lp(net), dict(df["facilities"]), 30.0 if ttr is None else ttr, solver="full")
    for col in ("tts_days", "pi_usd", "exposure_days"):
        a, b = df[col].to_numpy(float), full.loc[df.index, col].to_numpy(float)
        assert ((np.isinf(a) & np.isinf(b)) | np.isclose(a, b, rtol=1e-6, atol=1e-6)).all(), col
    assert np.isfinite(df["tts_days"]).any()
    if target is not None:    # only knockouts upstream of the target are tried
        assert len(df) < len(disruption_scenarios(net))
