"""China's gallium controls as written: GaAs/GaN wafers with the metal (MOFCOM and GAC Announcement No. 23 of 2023).

The announcement lists gallium arsenide and nitride in their wafer and epitaxial-wafer forms; the baseline's
``compound_wafer`` is China's potential export of them (AXT's Beijing Tongmei, an alternate with no baseline
flow), and every complete gallium ban the tools run covers it.
"""

from __future__ import annotations

import numpy as np

import supplychain as sc
from supplychain import ExportControl
from supplychain.compile import compile_scenario

FABS_ABROAD = {f"{r}.fab.compound_chip" for r in ("JP", "KR", "US", "TW", "ROW")}


def _china_wafer_lanes(net):  # type: ignore[no-untyped-def]
    return [lane for lane in net.lanes if lane.origin == "CN.wafer.compound_wafer"
            and not lane.destination.startswith("CN.")]


def test_chinas_compound_wafers_are_a_potential_alternate_for_every_device_fab_abroad() -> None:
    lanes = _china_wafer_lanes(sc.load_baseline().network)
    assert {lane.destination for lane in lanes} == FABS_ABROAD
    assert all(lane.share == 0.0 for lane in lanes)          # AXT's ~17 M USD a year: too small to trade


def test_a_ban_as_written_closes_the_wafer_route_and_a_metal_ban_leaves_it_open() -> None:
    base = sc.load_baseline(horizon_days=30)
    metal = [ExportControl(exporter="CN", commodity=k, mode="ban", start=0) for k in ("gallium", "gallium_crude")]
    wafers = ExportControl(exporter="CN", commodity="compound_wafer", mode="ban", start=0)
    for shocks, open_ in ((metal, True), ((*metal, wafers), False)):
        c = compile_scenario(base.with_shocks(*shocks))
        ids = list(c.lane_ids)
        idx = [ids.index(f"{lane.origin}>{lane.destination}") for lane in _china_wafer_lanes(base.network)]
        allow = np.asarray(c.schedules.lane_allow)[..., idx]
        assert (np.all(allow == 1.0) if open_ else np.all(allow == 0.0)), shocks


def test_every_complete_gallium_ban_of_the_tools_covers_the_wafers() -> None:
    from tools import ga_flow, ga_ge_bans, ga_horizon, ga_wafer
    for tool in (ga_flow, ga_ge_bans, ga_horizon, ga_wafer):
        assert "compound_wafer" in tool.GALLIUM_ITEMS, tool.__name__
    assert set(ga_ge_bans.CASES["Ga only"]) == set(ga_flow.GALLIUM_ITEMS)
