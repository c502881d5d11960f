"""Chipmaking equipment: tools are consumed by the capacity a region adds, so a tool ban on China cuts
China's new capacity, not its installed fabs and no other region's (shipped what-if scenario)."""

from __future__ import annotations

import pytest

import supplychain as sc
from supplychain.datasets import scenario_path
from supplychain.datasets.baseline import steady_state_production
from supplychain.metrics.balance import material_balance

TOOLS = ("litho_tool", "deposition_tool", "etch_tool", "inspection_tool")


@pytest.fixture(scope="module")
def runs():
    shocked = sc.load_scenario(scenario_path("equipment_controls_china"))
    base = shocked.replace(shocks=())
    return base, sc.simulate(base, engine="vector", seed=1), sc.simulate(shocked, engine="vector", seed=1)


def _output(res, fid: str) -> float:
    return float(res.production[:, :, res.coords.index("facility", fid)].sum())


def test_only_new_capacity_uses_tools_and_tool_makers_follow_cset_shares():
    net = sc.load_baseline().network
    prod = steady_state_production(net)
    users = {f.stage for f in net.facilities for c in dict(f.recipe) if c in TOOLS}
    assert users == {"fab_new"}
    litho = {f.region: prod[f.id] for f in net.facilities if f.output == "litho_tool"}
    # CSET/ETO 2025: the Netherlands (with AT, DE, SE in ROW) 84.1 %, Japan 15.0 % of lithography tools
    assert litho["ROW"] / sum(litho.values()) == pytest.approx(84.1 / 99.1, abs=1e-3)
    # China's new capacity is 14 % of its silicon-wafer output (SEMI World Fab Forecast, Jun 2024)
    cn = {f.stage: prod[f.id] for f in net.facilities if f.region == "CN" and f.output == "mature_wafer"}
    assert cn["fab_new"] / (cn["fab"] + cn["fab_new"]) == pytest.approx(0.14, abs=1e-3)


def test_tool_ban_cuts_chinese_new_capacity_only(runs):
    base, r0, r1 = runs
    fabs = [f.id for f in base.network.facilities if f.stage in ("fab", "fab_new") and f.output != "compound_chip"]
    for fid in fabs:
        lost = 1 - _output(r1, fid) / _output(r0, fid)
        if fid.startswith("CN.fab_new."):
            # banned from day 90; the 90-day tool pipeline runs dry about day 180: about half a year lost
            assert 0.25 < lost < 0.6, (fid, lost)
        else:
            # No other fab loses output; buyers that re-source from China's new capacity (docs/model.md
            # §5.6.6), which quotes only what its tools support (§5.7), may raise other fabs' output a little.
            assert -0.02 < lost < 1e-9, (fid, lost)
    assert material_balance(r1).max_relative_error < 1e-6
