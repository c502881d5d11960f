"""tools/ga_band.py: the corners of the gallium ban's first-year band are the cases they name (docs/model.md §8.3)."""

from __future__ import annotations

import supplychain as sc
from supplychain.model import ExportControl
from supplychain.run import simulate
from tools.ga_band import GALLIUM_ITEMS, LEAKAGES, RESTARTS, _ban, _restart, china_exports_t


def test_each_corner_sets_the_restart_of_the_idle_plants_and_the_leakage() -> None:
    base = sc.load_baseline(horizon_days=30)
    for delay, ramp in RESTARTS:
        fac = _restart(base, delay, ramp).network.facility("ROW.mine.gallium_crude")
        assert (fac.restart_days, fac.restart_ramp_days) == (delay, ramp)
    for leak in LEAKAGES:
        shocks = _ban(base, 0, leak).shocks
        assert {s.commodity for s in shocks} == set(GALLIUM_ITEMS)
        assert all(isinstance(s, ExportControl) and s.exporter == "CN" and s.leakage == leak for s in shocks)
    assert RESTARTS[-1] == (365, 365)     # the shipped restart (GA_RESTART, GA_RAMP) is the band's top
    assert (base.network.facility("ROW.mine.gallium_crude").restart_days,
            base.network.facility("ROW.mine.gallium_crude").restart_ramp_days) == (365.0, 365.0)


def test_china_exports_count_only_its_gallium_lanes_abroad() -> None:
    res = simulate(sc.load_baseline(horizon_days=120), engine="vector", seed=0)
    exported = china_exports_t(res)
    assert 150.0 < exported < 250.0      # the baseline's 172 t a year (docs/model.md O-19), not China's 890 t
