"""What each kind of shock does to the schedules: ONE explicit table, one module per family.

`RULES` maps each shock class to the function that applies it to a
`ScheduleBuilder`; `FINISHERS`
are the steps that run, in this order, after every rule (they need the sum
of all shocks: sourcing shares from the summed tariffs, the winning safety
stock cover). A new kind of shock gets a function in the module of its
family and one line here.

=======================  =====================================================
``trade``                Tariff, ExportControl (ban, leakage, licence, quota,
                         front-loading)
``disruptions``          CapacityShock, LogisticsShock, DemandShock
``outages``              RandomOutage
``responses``            StockpileRelease, CapacityInvestment, SafetyStockChange
``sourcing``             finishers: tariff shares (CES, switching lag) and
                         the buyers' sourcing parameters
``prices``               finisher: the scarcity-price markets (§5.9)
=======================  =====================================================

Implements docs/model.md §6 (shocks) and §6.2 (composition).
"""

from __future__ import annotations

from ...model import (
    CapacityInvestment,
    CapacityShock,
    DemandShock,
    ExportControl,
    LogisticsShock,
    RandomOutage,
    SafetyStockChange,
    Shock,
    StockpileRelease,
    Tariff,
)
from ..schedules import Finisher, Rule
from . import disruptions, outages, prices, responses, sourcing, trade

__all__ = ["RULES", "FINISHERS"]

RULES: dict[type[Shock], Rule] = {
    Tariff: trade.tariff,
    ExportControl: trade.export_control,
    CapacityShock: disruptions.capacity_shock,
    LogisticsShock: disruptions.logistics_shock,
    DemandShock: disruptions.demand_shock,
    RandomOutage: outages.random_outage,
    StockpileRelease: responses.stockpile_release,
    CapacityInvestment: responses.capacity_investment,
    SafetyStockChange: responses.safety_stock_change,
}

FINISHERS: tuple[Finisher, ...] = (sourcing.tariff_shares, responses.safety_stock_targets, sourcing.sourcing_spec,
                                   prices.price_spec)
