"""Cited regional shares of chip capacity in the baseline (tools/baseline/semiconductors.py)."""

from __future__ import annotations

import pytest

from supplychain.datasets.baseline import baseline_provenance, load_baseline, steady_state_production


def test_taiwan_memory_share_is_yole_wafer_starts_by_fab_location():
    # Yole Group at FMS 2025: DRAM and NAND wafer starts 2024 by fab location, KR 45, CN 24, JP 16, TW 10,
    # Singapore 4 (ROW), US 2 per cent; scaled to sum to 1, Taiwan = 10/101 of memory wafers.
    network = load_baseline().network
    production = steady_state_production(network)
    made = {}
    for f in network.facilities:
        if f.output == "memory_wafer":
            made[f.region] = made.get(f.region, 0.0) + production[f.id]
    shares = {r: v / sum(made.values()) for r, v in made.items()}
    assert shares["TW"] == pytest.approx(10 / 101, abs=5e-4)
    assert shares["KR"] == pytest.approx(45 / 101, abs=5e-4)
    text = next(r["source"] for r in baseline_provenance()
                if r["item"] == "TW.fab.memory_wafer" and r["field"] == "capacity_per_day")
    assert "Yole" in text and "wafer starts 2024" in text
