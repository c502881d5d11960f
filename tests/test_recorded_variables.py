"""One table of recorded variables: every recorded series, released and destroyed included, is reachable."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines import day as engine_day
from supplychain.engines.record import Recorder, recorded_variables
from supplychain.engines.variables import VARIABLES
from supplychain.errors import ScenarioFileError
from supplychain.model import CapacityShock, ExportControl, Scenario, StockpileRelease
from supplychain.results import VARIABLE_AXES, load_results
from supplychain.run import simulate

from .conftest import chain_network


@pytest.fixture(scope="module")
def shocked():
    scenario = Scenario(chain_network(), horizon_days=90).with_shocks(
        CapacityShock(facility="CN.mine", fraction_lost=0.6, destroy_inventory=0.5, start=20, end=30,
                      recovery_days=10),
        ExportControl(exporter="CN", commodity="metal", mode="ban", start=30),
        StockpileRelease(region="US", commodity="metal", reserve=80.0, release_below_cover_days=29))
    return simulate(scenario, engine="des", seed=1)


def test_released_and_destroyed_reach_series_and_dataframe(shocked):
    labels = shocked.coords.stock
    stock = labels[int(shocked.arrays["released"].sum(axis=(0, 1)).argmax())]
    lost = labels[int(shocked.arrays["destroyed"].sum(axis=(0, 1)).argmax())]
    assert shocked.series("released", stock).sum() > 0
    assert shocked.series("destroyed", lost).sum() > 0
    table = shocked.to_dataframe()
    assert {"released", "destroyed"} <= set(table["variable"])
    released = table[(table["variable"] == "released") & (table["id"] == stock)]
    np.testing.assert_array_equal(released["value"].to_numpy(), shocked.series("released", stock)[0])
    assert shocked.to_dataframe(["destroyed"])["value"].sum() == pytest.approx(shocked.destroyed.sum())


def test_unrecorded_mechanisms_read_as_zero():
    res = simulate(Scenario(chain_network(), horizon_days=10), engine="vector", seed=0)
    always = tuple(name for name, v in VARIABLES.items() if v.mechanism is None)
    assert "released" not in res.arrays and res.variables == always
    assert res.series("released", res.coords.stock[0]).shape == (1, 10)
    assert not res.destroyed.any() and res.destroyed.shape == res.inventory.shape
    assert set(res.to_dataframe()["variable"]) == set(res.variables)


def test_one_table_drives_recorder_results_and_plots():
    assert VARIABLE_AXES == {name: v.axis for name, v in VARIABLES.items()}
    assert not hasattr(engine_day, "VARIABLES") and not hasattr(engine_day, "OPTIONAL_VARIABLES")
    from supplychain.plotting import results as plots
    assert not hasattr(plots, "_RATES")
    c = compile_scenario(Scenario(chain_network(), horizon_days=5).with_shocks(
        StockpileRelease(region="US", commodity="metal", reserve=5.0, release_below_cover_days=1)))
    assert set(Recorder(c, 1).arrays) == set(recorded_variables(c)) == set(VARIABLES) - {"destroyed", "wip", "awaiting_licence", "recovered"}
    assert {v.kind for v in VARIABLES.values()} == {"rate", "level"}


def test_plot_of_released_is_labelled_per_day(shocked):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    from supplychain.plotting.results import plot_timeseries
    ax = plot_timeseries(shocked, "released")
    assert ax.get_ylabel().endswith("/day)")


def test_archive_with_a_misshapen_series_is_rejected(shocked, tmp_path):
    path = shocked.save(tmp_path / "res.npz")
    with np.load(path, allow_pickle=False) as archive:
        parts = dict(archive)
    parts["series__released"] = parts["series__released"][:, :, :1]
    bad = tmp_path / "bad.npz"
    np.savez(bad, **parts)
    with pytest.raises(ScenarioFileError, match="series 'released' has 1 items along its last dimension"):
        load_results(bad)
    assert load_results(path).released.sum() == pytest.approx(shocked.released.sum())
