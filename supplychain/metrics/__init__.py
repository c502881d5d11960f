"""Metrics: pure functions of results (service levels, shortfalls, stock cover, material balance)."""

from .balance import Balance, material_balance
from .cover import (
           COVER_MEASURES,
           cover_margin_days,
           days_of_cover,
           days_to_restock,
           share_left_at_trough,
           stock_cover,
           stock_drawn,
           stock_groups,
           trough_cover_days,
           upstream_restock,
           upstream_stocks,
)
from .incidence import WHO_PAYS_MEASURES, gsim_incidence, landed_cost_increase_usd, own_price_import_elasticity, who_pays
from .price_bounds import prices_at_bounds
from .responses import RESPONSE_EFFECT_COLUMNS, response_effects
from .run_rate import RUN_RATE_COLUMNS, daily_loss_by_region, loss_run_rate
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
           "metric_frame", "Balance", "material_balance", "stock_cover", "stock_drawn", "trough_cover_days",
           "share_left_at_trough", "days_to_restock", "cover_margin_days", "days_of_cover", "stock_groups", "COVER_MEASURES",
           "upstream_stocks", "upstream_restock", "gsim_incidence", "own_price_import_elasticity", "who_pays",
           "WHO_PAYS_MEASURES", "landed_cost_increase_usd", "prices_at_bounds",
           "loss_run_rate", "daily_loss_by_region", "RUN_RATE_COLUMNS", "response_effects",
           "RESPONSE_EFFECT_COLUMNS"]
