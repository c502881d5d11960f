"""Baselines a reader can see: the cover plot's dashed lines on top, the fan's baseline band unlike the shock window."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from supplychain import simulate  # noqa: E402
from supplychain.analytics._toy import toy_scenario  # noqa: E402
from supplychain.model import CapacityShock  # noqa: E402
from supplychain.plotting import plot_cover  # noqa: E402
from supplychain.plotting.cover import BASELINE_GID  # noqa: E402
from supplychain.plotting.ensemble import plot_ensemble_fan  # noqa: E402

SHOCK = CapacityShock(region="KR", fraction_lost=1.0, start=10, end=25, recovery_days=0)


def test_cover_baselines_are_drawn_above_every_region_line() -> None:
    base = toy_scenario(60)
    shocked = simulate(base.with_shocks(SHOCK), engine="vector", seed=1)
    ax = plot_cover(shocked, "cell", baseline=simulate(base, engine="vector", seed=1))
    dashed = [line for line in ax.get_lines() if line.get_gid() == BASELINE_GID]
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-" and line.get_gid() is None
             and len(line.get_xdata()) == 60]
    assert len(dashed) == len(solid) == 2                    # US and JP, shocked and baseline
    assert all(line.get_linestyle() == "--" for line in dashed)
    # Before the shock a baseline equals its shocked line: drawn below, it would be hidden.
    assert min(d.get_zorder() for d in dashed) > max(s.get_zorder() for s in solid)
    assert max(d.get_linewidth() for d in dashed) < min(s.get_linewidth() for s in solid)
    for d, s in zip(dashed, solid):
        assert np.allclose(np.asarray(d.get_ydata())[:10], np.asarray(s.get_ydata())[:10])


@pytest.mark.filterwarnings("ignore:nothing in this scenario is random")
def test_fan_baseline_band_and_shock_window_differ_in_the_legend() -> None:
    base = toy_scenario(60)
    kw = dict(engine="vector", n_runs=8, seed=1, keep="summary")
    ax = plot_ensemble_fan(simulate(base.with_shocks(SHOCK), **kw), simulate(base, **kw))
    handles, names = ax.get_legend_handles_labels()
    colour = {name: tuple(np.atleast_2d(h.get_facecolor())[0]) if hasattr(h, "get_facecolor") else to_rgba(h.get_color())
              for h, name in zip(handles, names)}
    assert {"baseline 5-95%", "shock window"} <= set(colour)
    assert colour["baseline 5-95%"][:3] != colour["shock window"][:3]
