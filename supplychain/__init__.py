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

from .datasets import load_baseline
from .errors import ScenarioFileError, SimulationWarning, SupplyChainError, UnknownIdError, ValidationError
from .model import (BaseStock, Commodity, DaysOfCover, Demand, Distribution, Empirical, Facility, Fixed,
                    Lane, LogNormal, MinMax, Network, Normal, Region, Scenario, Shock, Triangular, Uniform)
from .model import (CapacityInvestment, CapacityShock, DemandShock, ExportControl, LogisticsShock,
                    SafetyStockChange, StockpileRelease, Tariff)
from .compare import compare
from .io import load_results, load_scenario, save_scenario
from .results import Results
from .simulate import simulate

try:
    __version__ = version("supplychain")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"


__all__ = [
    "__version__", "simulate", "load_baseline", "load_scenario", "save_scenario", "load_results",
    "Results", "Scenario", "Network", "Region", "Commodity", "Facility", "Lane", "Demand", "Shock", "Distribution", "Fixed", "Uniform", "Triangular", "Normal",
    "LogNormal", "Empirical", "BaseStock", "MinMax", "DaysOfCover", "SupplyChainError", "ValidationError",
    "UnknownIdError", "ScenarioFileError", "SimulationWarning",
    "Tariff", "ExportControl", "CapacityShock", "LogisticsShock", "DemandShock", "StockpileRelease",
    "CapacityInvestment", "SafetyStockChange", "compare",
]
