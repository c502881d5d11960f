"""Metrics: pure functions of results (service levels, shortfalls, material balance)."""

from .balance import Balance, material_balance
from .service import (
           Grouping,
           cumulative_shortfall,
           days_below_service,
           fill_rate,
           group_labels,
           metric_frame,
)

__all__ = ["Grouping", "group_labels", "fill_rate", "cumulative_shortfall", "days_below_service",
           "metric_frame", "Balance", "material_balance"]
