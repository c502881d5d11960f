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

from .compare import compare
from .datasets import load_baseline
from .ensemble import EnsembleResults
from .errors import ScenarioFileError, SimulationWarning, SupplyChainError, UnknownIdError, ValidationError
from .io import load_results, load_scenario, save_scenario
from .model import (BaseStock, CapacityInvestment, CapacityShock, Commodity, DaysOfCover, Demand,
                    DemandShock, Distribution, Empirical, ExportControl, Facility, Fixed, Lane, LogisticsShock,
                    LogNormal, MinMax, Network, Normal, RandomOutage, Region, SafetyStockChange, Scenario, Shock,
                    StockpileRelease, Tariff, Triangular, Uniform)
from .results import Results
from .simulate import simulate

try:
    __version__ = version("supplychain")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"


__all__ = [
    "__version__", "simulate", "compare", "load_baseline", "load_scenario", "save_scenario", "load_results",
    "Results", "EnsembleResults", "Scenario", "Network", "Region", "Commodity", "Facility", "Lane", "Demand",
    "Distribution", "Fixed", "Uniform", "Triangular", "Normal", "LogNormal", "Empirical",
    "BaseStock", "MinMax", "DaysOfCover",
    "Shock", "Tariff", "ExportControl", "CapacityShock", "LogisticsShock", "DemandShock", "RandomOutage",
    "StockpileRelease", "CapacityInvestment", "SafetyStockChange",
    "SupplyChainError", "ValidationError", "UnknownIdError", "ScenarioFileError", "SimulationWarning",
]
