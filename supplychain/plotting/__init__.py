"""Plots: each takes ``ax=None``, returns the Axes and never calls ``plt.show()``."""

from .change import plot_change, plot_flow_delta
from .cover import plot_cover
from .ensemble import plot_ensemble_fan
from .impact import plot_value_added_loss
from .resilience import (
           plot_fan,
           plot_flow_change,
           plot_resilience_curve,
           plot_scorecard,
           plot_tornado,
)
from .prices import market_prices, plot_prices, plot_who_pays
from .results import flow_matrix, plot_flows, plot_timeseries, shade_shocks

__all__ = ["plot_timeseries", "plot_flows", "flow_matrix", "shade_shocks", "plot_change", "plot_flow_delta",
           "plot_fan", "plot_ensemble_fan", "plot_resilience_curve", "plot_flow_change", "plot_tornado",
           "plot_scorecard", "plot_value_added_loss", "market_prices", "plot_prices", "plot_who_pays", "plot_cover"]
