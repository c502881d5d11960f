"""Large daily series say what they cost before a user's next step runs out of memory."""

import importlib
import warnings

import pytest

import supplychain.results.series as series
from supplychain import SimulationWarning, ValidationError, simulate
from supplychain.analytics._toy import toy_scenario

simulate_module = importlib.import_module("supplychain.run.simulate")   # the package names the function so


def test_to_dataframe_refuses_a_table_larger_than_half_the_machine(monkeypatch):
    res = simulate(toy_scenario(10), seed=0)
    rows = sum(len(res.coords.labels(series.VARIABLE_AXES[v])) for v in res.variables) * 10
    monkeypatch.setattr(series, "_physical_memory", lambda: 2 * rows * series.FRAME_BYTES_PER_ROW - 2)
    with pytest.raises(ValidationError, match=f"would build {rows:,} rows.*to_dataframe\\('delivered'\\)"):
        res.to_dataframe()
    assert len(res.to_dataframe("delivered")) == 10 * len(res.coords.labels("demand"))   # one variable fits


def test_simulate_warns_when_the_series_it_holds_are_large(monkeypatch):
    res = simulate(toy_scenario(10), seed=0)
    held = sum(a.nbytes for a in res.arrays.values())
    monkeypatch.setattr(simulate_module, "SERIES_WARN_BYTES", held - 1)
    with pytest.warns(SimulationWarning, match="keep='summary'"):
        simulate(toy_scenario(10), seed=0)
    monkeypatch.setattr(simulate_module, "SERIES_WARN_BYTES", held)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate(toy_scenario(10), seed=0)
