"""Cited regional shares of chip capacity in the baseline (tools/baseline/semiconductors.py)."""

from __future__ import annotations

import pytest

from supplychain.datasets.baseline import baseline_provenance, load_baseline, steady_state_production


def test_taiwan_memory_share_is_micron_taiwan_dram():
    # Micron 22.2% of DRAM (TrendForce, 3Q24) x more than 60% of it in Taiwan (Micron, 2016-17) x DRAM 4.5 of
    # 8.2 million wafers/month of memory capacity (SEMI, Jan 2025) = 7.31%, a lower bound.
    network = load_baseline().network
    production = steady_state_production(network)
    made = {}
    for f in network.facilities:
        if f.output == "memory_wafer":
            made[f.region] = made.get(f.region, 0.0) + production[f.id]
    assert made["TW"] / sum(made.values()) == pytest.approx(0.222 * 0.60 * 4.5 / 8.2, abs=5e-4)
    text = next(r["source"] for r in baseline_provenance()
                if r["item"] == "TW.fab.memory_wafer" and r["field"] == "capacity_per_day")
    assert "Micron" in text and "lower bound" in text
