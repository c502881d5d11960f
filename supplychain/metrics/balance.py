"""Material balance: check that every unit is accounted for.

For each stock over a run::

    final = initial + arrivals + produced - consumed - shipped - delivered + released - destroyed + recovered

where a facility's output stock counts its work in progress with it
(``produced`` is what started, ``consumed`` the recipe's inputs of it, ``recovered`` the new scrap
returned to an input stock, docs/model.md §5.4.3; what is still in progress at the end, less
what was in progress at the start, has not reached the stock);
and for each lane::

    final in transit = initial in transit + shipped - arrived

Both residuals are zero to rounding in every engine and under every shock.

Implements docs/model.md §9 (balance).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import compile_scenario
from ..results.series import Results

__all__ = ["Balance", "material_balance"]


@dataclass(frozen=True, eq=False)
class Balance:
    """Residuals of the stock and lane balances, shape ``(n_runs, n_items)``."""

    stock_residual: np.ndarray
    lane_residual: np.ndarray
    scale: float

    @property
    def max_relative_error(self) -> float:
        """Largest residual relative to the largest quantity involved."""
        worst = max(np.abs(self.stock_residual).max(initial=0.0), np.abs(self.lane_residual).max(initial=0.0))
        return float(worst / max(self.scale, 1.0))


def material_balance(results: Results) -> Balance:
    """Stock-by-stock and lane-by-lane balance residuals of ``results``.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), seed=0)
    >>> material_balance(res).max_relative_error < 1e-9
    True
    """
    c = compile_scenario(results.scenario)
    arrivals = np.asarray(results.arrivals.sum(axis=1) @ c.m_lane_to_stock)
    made = np.asarray(results.production.sum(axis=1) @ c.m_production)
    shipped = np.zeros_like(arrivals)
    shipped[:, c.out_stock] = np.asarray(results.flow.sum(axis=1) @ c.m_lane_to_origin)
    delivered = np.zeros_like(arrivals)
    np.add.at(delivered, (slice(None), c.demand_stock), results.delivered.sum(axis=1))
    released = np.zeros_like(arrivals)
    if "released" in results.arrays:
        released = results.arrays["released"].sum(axis=1)
    if "destroyed" in results.arrays:   # stock lost to a disaster (CapacityShock.destroy_inventory)
        released = released - results.arrays["destroyed"].sum(axis=1)
    if "recovered" in results.arrays:   # new scrap returned into the input stock it came from (§5.4.3)
        released = released + results.arrays["recovered"].sum(axis=1)
    if "wip" in results.arrays:   # work in progress: started (in ``production``) but not yet output
        made[:, c.out_stock] -= results.arrays["wip"][:, -1] - c.initial_wip
    final = results.inventory[:, -1]
    stock_residual = results.initial_inventory + arrivals + made - shipped - delivered + released - final
    lane_residual = (results.initial_in_transit + results.flow.sum(axis=1) - results.arrivals.sum(axis=1)
                     - results.in_transit[:, -1])
    scale = float(max(np.abs(results.initial_inventory).max(initial=0.0), c.initial_wip.max(initial=0.0),
                      results.flow.sum(axis=1).max(initial=0.0), results.production.sum(axis=1).max(initial=0.0)))
    return Balance(stock_residual=stock_residual, lane_residual=lane_residual, scale=scale)
