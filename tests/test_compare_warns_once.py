"""A scenario's warnings are given once, when it is simulated, not again when compare values its lanes."""

from __future__ import annotations

import warnings

import supplychain as sc
from supplychain.model import Tariff


def test_a_shock_with_no_effect_is_said_once_through_simulate_and_compare():
    base = sc.load_baseline(horizon_days=20)
    # No US lane carries Chinese memory wafers (example 03 once printed this warning four times).
    scenario = base.with_shocks(Tariff(importer="US", exporter="CN", commodity="memory_wafer", rate=0.25))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shocked = sc.simulate(scenario, engine="vector", seed=0)
        sc.compare(shocked, baseline=sc.simulate(base, engine="vector", seed=0))
    assert len([w for w in caught if "matches no lane" in str(w.message)]) == 1
