"""The model: pure, validated, immutable data (no engine, no RNG, no results).

Implements docs/model.md §2 (network), §5.6 (ordering), §6 (shocks) and §7.1 (distributions).
"""

from .dists import (
                    Distribution,
                    Empirical,
                    Fixed,
                    LogNormal,
                    NegativeBinomial,
                    Normal,
                    Poisson,
                    Triangular,
                    Uniform,
                    distribution_from_dict,
)
from .network import Commodity, Demand, Facility, Lane, Network, Region
from .policies import BaseStock, DaysOfCover, MinMax, Policy, policy_from_dict
from .scenario import Scenario
from .shocks import (
    CapacityInvestment,
    CapacityShock,
    DemandShock,
    ExportControl,
    LogisticsShock,
    RandomOutage,
    Response,
    SafetyStockChange,
    Shock,
    StockpileRelease,
    Tariff,
    shock_from_dict,
    shock_kinds,
    to_day,
)

__all__ = [
    "Distribution", "Fixed", "Uniform", "Triangular", "Normal", "LogNormal", "Empirical",
    "Poisson", "NegativeBinomial",
    "distribution_from_dict", "Region", "Commodity", "Facility", "Lane", "Demand", "Network",
    "Policy", "BaseStock", "MinMax", "DaysOfCover", "policy_from_dict", "Scenario", "Shock", "Response", "to_day",
    "RandomOutage",
    "Tariff", "ExportControl", "CapacityShock", "LogisticsShock", "DemandShock", "StockpileRelease",
    "CapacityInvestment", "SafetyStockChange", "shock_from_dict", "shock_kinds",
]
