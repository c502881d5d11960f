"""supplychain: simulate critical-mineral, battery and semiconductor flows under policy shocks.

Examples
--------
>>> import supplychain as sc
>>> res = sc.simulate(sc.load_baseline().with_horizon(10), seed=0)
>>> bool(res.summary()["fill_rate"].min() > 0.99)
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import ScenarioFileError, SimulationWarning, SupplyChainError, UnknownIdError, ValidationError
from .model import (BaseStock, Commodity, DaysOfCover, Demand, Distribution, Empirical, Facility, Fixed,
                    Lane, LogNormal, MinMax, Network, Normal, Region, Scenario, Shock, Triangular, Uniform)
from .results import Results
from .simulate import simulate

try:
    __version__ = version("supplychain")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"


def load_baseline(**kwargs):  # type: ignore[no-untyped-def]
    """The built-in JP/KR/US/CN/TW/ROW baseline scenario (see :func:`supplychain.datasets.load_baseline`)."""
    from .datasets import load_baseline as _load
    return _load(**kwargs)


__all__ = [
    "__version__", "simulate", "load_baseline", "Results", "Scenario", "Network", "Region", "Commodity",
    "Facility", "Lane", "Demand", "Shock", "Distribution", "Fixed", "Uniform", "Triangular", "Normal",
    "LogNormal", "Empirical", "BaseStock", "MinMax", "DaysOfCover", "SupplyChainError", "ValidationError",
    "UnknownIdError", "ScenarioFileError", "SimulationWarning",
]
