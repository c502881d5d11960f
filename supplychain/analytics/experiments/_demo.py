"""A small experiment on the toy network, for doctests and quick tests (seconds to run)."""

from __future__ import annotations

from ...model import CapacityShock, StockpileRelease, Uniform
from ...model.experiment import Experiment, Outcome, Strategy
from ...model.uncertainty import Uncertainty
from .._toy import toy_scenario

__all__ = ["demo_experiment"]


def demo_experiment(n_futures: int = 8, *, seed: int = 0) -> Experiment:
    """China's ore mines lose most of their capacity for an uncertain time; Korea may hold a reserve."""
    sc = toy_scenario(150).with_shocks(
        CapacityShock(id="quake", region="CN", fraction_lost=0.8, start=20, end=50),
        StockpileRelease(id="reserve", region="KR", commodity="ore", reserve=1.0, release_below_cover_days=10))
    return Experiment(
        sc, name="demo", n_futures=n_futures, seed=seed,
        uncertainties=(Uncertainty("shocks.quake.duration_days", Uniform(5, 90)),
                       Uncertainty("shocks.quake.fraction_lost", Uniform(0.3, 1.0))),
        outcomes=(Outcome("shortfall", "shortfall_usd"), Outcome("cost", "policy_cost")),
        strategies=(Strategy("none", {"responses.reserve.enabled": False}),
                    Strategy("reserve", {"responses.reserve.reserve_days": 30})))
