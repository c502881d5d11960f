"""What ``supplychain run`` says about scarcity prices (docs/model.md §5.9): bounds reached, demand given up."""

from __future__ import annotations

import warnings

from .._format import format_usd
from ..errors import SimulationWarning
from ..metrics.incidence import who_pays
from ..metrics.price_bounds import format_prices_at_bounds, prices_at_bounds
from ..results import EnsembleResults, Results

__all__ = ["format_price_notes"]


def format_price_notes(results: Results | EnsembleResults) -> str:
    """Lines on prices for ``run``: markets pinned at a bound, and demand given up to prices ('' if nothing).

    Daily results only: a summary ensemble keeps no daily prices or demand.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_network
    >>> from supplychain.model import Scenario
    >>> format_price_notes(simulate(Scenario(toy_network(), horizon_days=20)))
    ''
    >>> print(format_price_notes(simulate(Scenario(toy_network(), horizon_days=20, price_feedback=True))))
    Demand given up to higher prices: $0 (at reference prices, mean over runs).
    """
    if not isinstance(results, Results):
        return ""
    lines = []
    pinned = format_prices_at_bounds(prices_at_bounds(results))
    if pinned:
        lines.append(pinned)
    if results.scenario.price_feedback:
        with warnings.catch_warnings():  # the pinned markets are already named above
            warnings.simplefilter("ignore", SimulationWarning)
            given_up = float(who_pays(results)["demand_destroyed_usd"].sum())
        lines.append(f"Demand given up to higher prices: {format_usd(given_up)} (at reference prices, "
                     "mean over runs).")
    return "\n".join(lines)
