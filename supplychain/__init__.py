"""supplychain: simulate critical-mineral, battery and semiconductor flows under policy shocks.

Examples
--------
>>> import supplychain as sc
>>> res = sc.simulate(sc.load_baseline().with_horizon(10), seed=0)
>>> bool(res.summary()["fill_rate"].min() > 0.99)
True
"""

from __future__ import annotations

from ._version import __version__
from .analytics.compare import compare
from .datasets.baseline import load_baseline
from .errors import (
                    ArgumentError,
                    ScenarioFileError,
                    SimulationWarning,
                    SupplyChainError,
                    UnknownIdError,
                    ValidationError,
)
from .io.scenario import load_example, load_scenario, save_scenario
from .model import (
                    BaseStock,
                    CapacityInvestment,
                    CapacityShock,
                    Commodity,
                    DaysOfCover,
                    Demand,
                    DemandShock,
                    Distribution,
                    Empirical,
                    ExportControl,
                    Facility,
                    Fixed,
                    Lane,
                    LogisticsShock,
                    LogNormal,
                    MinMax,
                    NegativeBinomial,
                    Network,
                    Normal,
                    Poisson,
                    RandomOutage,
                    Region,
                    SafetyStockChange,
                    Scenario,
                    Shock,
                    StockpileRelease,
                    Tariff,
                    Triangular,
                    Uniform,
)
from .results.ensemble import EnsembleResults, load_ensemble
from .results.series import Results, load_results
from .results.text import format_summary
from .run.simulate import simulate

__all__ = [
    "__version__", "simulate", "compare", "load_baseline", "load_scenario", "load_example", "save_scenario",
    "load_results", "load_ensemble", "format_summary",
    "Results", "EnsembleResults", "Scenario", "Network", "Region", "Commodity", "Facility", "Lane", "Demand",
    "Distribution", "Fixed", "Uniform", "Triangular", "Normal", "LogNormal", "Empirical",
    "Poisson", "NegativeBinomial",
    "BaseStock", "MinMax", "DaysOfCover",
    "Shock", "Tariff", "ExportControl", "CapacityShock", "LogisticsShock", "DemandShock", "RandomOutage",
    "StockpileRelease", "CapacityInvestment", "SafetyStockChange",
    "SupplyChainError", "ValidationError", "UnknownIdError", "ArgumentError", "ScenarioFileError", "SimulationWarning",
]
