"""Final demand given up to a price rise, read back from the recorded demand and prices (docs/model.md §8.3).

With price feedback a final demand is its demand at the reference price times its price response,
``D = D0 * Psi * F``: ``Psi = (pi * Theta) ** beta`` the demand destruction of docs/model.md §5.9 (``pi`` the
consumer stock's market price index, ``Theta`` the landed duty factor of its basket) and ``F`` the response to
tariffs of §6.4.4 (``Tariff.demand_elasticity``). The users of the impact table's inputs hold them in
near-fixed proportions, so the demand given up, ``G = D * (1 / (Psi * F) - 1)`` where that is positive, is
output they do not make, but for what they thrift: the impact layer counts it in the shortfall
(`supplychain.impact.loss.Shortfalls`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..compile.compiler import Compiled

__all__ = ["PriceResponse"]


class PriceResponse:
    """Each final demand's response to prices and tariffs in a compiled scenario, to recover what it gave up.

    Parameters
    ----------
    c : Compiled
        The compiled scenario whose runs recorded the demand and prices.

    Attributes
    ----------
    active : bool
        Whether any demand can give anything up: the scenario has price feedback, or a tariff with
        ``demand_elasticity`` > 0. When not, `given_up` is ``None`` and the impact layer is unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> import supplychain as sc
    >>> from supplychain.compile import compile_scenario
    >>> scenario = sc.load_baseline(horizon_days=5)
    >>> PriceResponse(compile_scenario(scenario)).active
    False
    >>> pr = PriceResponse(compile_scenario(scenario.replace(price_feedback=True)))
    >>> d = pr.demand_stock[0]
    >>> price = np.tile(pr.stock_price, (1, 1)); price[0, d] *= 2.0     # the first demand's price doubles
    >>> given = pr.given_up(0, np.ones((1, len(pr.demand_stock))), price)
    >>> bool(np.isclose(given[0, 0], 2.0 ** -pr.elasticity[0] - 1.0)), float(given[0, 1:].max())
    (True, 0.0)
    """

    def __init__(self, c: Compiled) -> None:
        spec = c.schedules.extras.get("prices")
        self.feedback = bool(spec is not None and spec.feedback)
        self.tariff_factor = c.schedules.extras.get("tariff_demand")     # (T or 1, D) or None
        self.active = self.feedback or self.tariff_factor is not None
        self.demand_stock = np.asarray(c.demand_stock, dtype=np.intp)
        self.spec = spec
        self.stock_price = None if spec is None else np.asarray(spec.stock_price, dtype=float)
        self.elasticity = None if spec is None else np.asarray(spec.demand_elasticity, dtype=float)
        self.tariff = np.asarray(c.schedules.tariff, dtype=float)

    def factor(self, t: int, price: np.ndarray | None) -> np.ndarray | float:
        """The day's price response ``Psi * F`` of each demand, (R, D), from ``price`` per stock (R, S) in USD.

        1 where neither acts; ``price`` is the recorded ``price`` of day ``t`` (the prices that scaled its demand).
        """
        out: np.ndarray | float = 1.0
        if self.feedback and price is not None:
            spec = self.spec
            ref = self.stock_price[self.demand_stock]
            index = np.asarray(price, dtype=float)[..., self.demand_stock] / ref
            if spec.demand_basket is not None:     # the buyer's price is landed (docs/model.md §5.9)
                tau = self.tariff[min(t, self.tariff.shape[0] - 1)]
                cost = spec.landed_price * (1.0 + tau) + spec.landed_freight
                base = spec.demand_base_cost
                with np.errstate(divide="ignore", invalid="ignore"):
                    index = index * np.where(base > 0, (spec.demand_basket @ cost) / np.where(base > 0, base, 1.0),
                                             1.0)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                out = np.where(index == 1.0, 1.0, index ** self.elasticity)
        if self.tariff_factor is not None:
            out = out * self.tariff_factor[min(t, self.tariff_factor.shape[0] - 1)]
        return out

    def given_up(self, t: int, demand: np.ndarray, price: np.ndarray | None) -> np.ndarray | None:
        """Demand given up on day ``t`` (R, D), ``D (1 / (Psi F) - 1)`` where positive; ``None`` when inactive.

        A response above 1 (prices below the reference) gives nothing up; a non-finite or non-positive one
        (not reached within the price bounds) counts as 1.
        """
        if not self.active:
            return None
        factor = np.asarray(self.factor(t, price), dtype=float)
        ok = np.isfinite(factor) & (factor > 0.0) & (factor < 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out: np.ndarray = np.where(ok, np.asarray(demand, dtype=float) * (1.0 / np.where(ok, factor, 1.0) - 1.0),
                                       0.0)
        return np.broadcast_to(out, np.broadcast_shapes(np.shape(demand), out.shape)).copy() \
            if out.shape != np.shape(demand) else out


def given_up_series(scenario: object, demand: np.ndarray, price: np.ndarray | None) -> np.ndarray | None:
    """Demand given up to prices and tariffs each day, (R, T, D), from recorded ``demand`` and ``price``.

    ``None`` when the scenario neither has price feedback nor a tariff with ``demand_elasticity`` > 0
    (nothing was given up), so the impact layer reads the recorded series alone.

    Examples
    --------
    >>> import supplychain as sc
    >>> res = sc.simulate(sc.load_baseline(horizon_days=5), engine="vector", seed=1)
    >>> given_up_series(res.scenario, res.demand, res.arrays["price"]) is None
    True
    """
    from ..model.shocks.trade import Tariff

    if not getattr(scenario, "price_feedback", False) and not any(
            isinstance(s, Tariff) and s.demand_elasticity > 0 for s in getattr(scenario, "shocks", ())):
        return None
    import warnings

    from ..compile.compiler import compile_scenario
    from ..errors import SimulationWarning

    with warnings.catch_warnings():   # the run that recorded these series has said what its compile step had to
        warnings.simplefilter("ignore", SimulationWarning)
        response = PriceResponse(compile_scenario(scenario))  # type: ignore[arg-type]
    demand = np.asarray(demand, dtype=float)
    out = np.zeros(demand.shape)
    for t in range(demand.shape[1]):
        given = response.given_up(t, demand[:, t], None if price is None else price[:, t])
        if given is not None:
            out[:, t] = given
    return out
