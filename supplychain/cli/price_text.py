"""What ``supplychain run`` says about scarcity prices (docs/model.md §5.9): bounds reached, demand given up."""

from __future__ import annotations

import warnings

import numpy as np

from .._format import format_usd
from ..errors import SimulationWarning
from ..metrics.incidence import who_pays
from ..metrics.price_bounds import format_prices_at_bounds, prices_at_bounds
from ..results import EnsembleResults, Results

__all__ = ["format_price_notes"]


def format_price_notes(results: Results | EnsembleResults) -> str:
    """Lines on prices for ``run``: markets pinned at a bound, and demand given up to prices ('' if nothing).

    Both figures come from :func:`~supplychain.metrics.prices_at_bounds` and
    :func:`~supplychain.metrics.who_pays`, which read daily prices. A summary
    ensemble keeps none, so for one the same lines say that they are not
    known and how to get them: when price feedback is on, or when the
    ensemble's price-index bands show that prices moved (all at 1: no market
    left its reference price, so none reached a bound).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_network
    >>> from supplychain.model import Scenario
    >>> format_price_notes(simulate(Scenario(toy_network(), horizon_days=20)))
    ''
    >>> on = Scenario(toy_network(), horizon_days=20, price_feedback=True)
    >>> print(format_price_notes(simulate(on)))
    Demand given up to higher prices: $0 (at reference prices, mean over runs).
    >>> print(format_price_notes(simulate(on, engine="vector", keep="summary")))
    Prices pinned at a bound and demand given up to higher prices: not known from per-run summaries, which keep no daily prices (--keep series keeps them).
    """
    if isinstance(results, EnsembleResults):
        return _summary_note(results)
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


def _summary_note(results: EnsembleResults) -> str:
    """What a summary ensemble can say of the two price lines: that they need daily prices ('' if no price moved)."""
    feedback = results.scenario.price_feedback
    if not feedback and bool(np.all(results.bands["price_index"] == 1.0)):
        return ""
    what = "Prices pinned at a bound" + (" and demand given up to higher prices" if feedback else "")
    return f"{what}: not known from per-run summaries, which keep no daily prices (--keep series keeps them)."
