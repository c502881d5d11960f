"""Metrics: pure functions of results (service levels, shortfalls, material balance)."""

from .balance import Balance, material_balance
from .service import (
           Grouping,
           cumulative_shortfall,
           cycle_service_level,
           days_below_service,
           delivery_rate,
           fill_rate,
           group_labels,
           metric_frame,
)

__all__ = ["Grouping", "group_labels", "fill_rate", "delivery_rate", "cycle_service_level", "cumulative_shortfall", "days_below_service",
           "metric_frame", "Balance", "material_balance"]
