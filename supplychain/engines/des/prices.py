"""Scarcity prices: each market's price moves towards the clearing price of its excess demand.

Phase 1a of the day (after arrivals, before stock events), when the compiled
scenario carries markets (``Compiled.schedules.extras["prices"]``): every
market (a commodity in a region) compares what its buyers hold with normal
(the cover ``a``) and what its sellers are asked for with what they offer at
the reference price (the load ``q``); the price index moves
``1 / adjustment days`` of the way to ``clip((q / a) ** (1 / eta), floor, cap)``.
The new prices scale the day's final demand by ``pi ** demand elasticity`` and
tilt each lane's target sourcing share by its landed cost at the origin's
price (the CES of tariff shares), followed at the rate ``1 / switching lag``.
Prices move no goods.

Implements docs/model.md §5.9 (prices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import Run

__all__ = ["Prices", "NEUTRAL_TOLERANCE", "BACKLOG_DAYS"]

#: Relative distance of the excess-demand ratio from 1 within which the target price is 1.
NEUTRAL_TOLERANCE = 1e-9
#: Days over which what a supplier owes counts as extra demand (the throughput's mean age, §5.7).
BACKLOG_DAYS = 30.0


class Prices:
    """Price index per market and sourcing tilt per lane of one run (docs/model.md §5.9)."""

    def __init__(self, spec: Any, n_lanes: int) -> None:
        self.spec = spec
        self.feedback = bool(spec.feedback)  # prices act on demand and shares (Scenario.price_feedback)
        self.normal_stock = spec.normal_stock.tolist()
        self.target_extra = None if spec.target_extra is None else spec.target_extra.tolist()
        n = len(spec.labels)
        self.index = [1.0] * n
        self.tilt = [1.0] * n_lanes
        self.buyer_market = spec.buyer_market.tolist()
        self.seller_market = spec.seller_market.tolist()
        self.normal_seller = spec.normal_seller.tolist()
        self.cover_scale, self.cover_offset = spec.cover_scale.tolist(), spec.cover_offset.tolist()
        self.seller_offset = spec.seller_offset.tolist()
        self.priced, self.exponent = spec.priced.tolist(), spec.exponent.tolist()
        self.adjustment, self.floor, self.cap = (spec.adjustment_days.tolist(), spec.floor.tolist(),
                                                 spec.cap.tolist())
        self.demand_elasticity, self.demand_market = spec.demand_elasticity.tolist(), spec.demand_market.tolist()
        self.lane_market, self.lane_sigma = spec.lane_market.tolist(), spec.lane_sigma.tolist()
        self.lane_step = spec.lane_step.tolist()
        self.stock_market, self.stock_price = spec.stock_market.tolist(), spec.stock_price.tolist()

    def update(self, run: Run, t: int, tariff: list[float]) -> None:
        """Move every market's price one day towards its target, then (with feedback) every lane's tilt."""
        lay, n = run.layout, len(self.index)
        extra = None if self.target_extra is None else self.target_extra[min(t, len(self.target_extra) - 1)]
        held = [0.0] * n
        for b, m in enumerate(self.buyer_market):
            held[m] += run.stock[lay.buyer_stock[b]]
        asked_m, offered_m = list(self.seller_offset), list(self.seller_offset)
        for f, m in enumerate(self.seller_market):
            asked = run.throughput[f] + sum([run.owed[l] for l in lay.out_lanes[f]]) / BACKLOG_DAYS
            asked_m[m] += asked
            offered_m[m] += min(max(self.normal_seller[f], asked), run.capacity_today[f])
        for m in range(n):
            if not self.priced[m]:
                continue
            if extra is None:
                cover = held[m] * self.cover_scale[m] + self.cover_offset[m]
            else:
                # Stock buyers plan above normal (front-loading, safety stock) is needed too.
                normal = self.normal_stock[m] + extra[m]
                cover = held[m] / normal if normal > 0 else 1.0
            load = asked_m[m] / offered_m[m] if offered_m[m] > 0 else (float("inf") if asked_m[m] > 0 else 1.0)
            excess = load / cover if cover > 0 else float("inf")
            if abs(excess - 1.0) <= NEUTRAL_TOLERANCE:
                target = 1.0
            else:
                try:
                    target = min(self.cap[m], max(self.floor[m], excess ** (1.0 / self.exponent[m])))
                except OverflowError:
                    target = self.cap[m]
            self.index[m] += (target - self.index[m]) / self.adjustment[m]
        if not self.feedback:
            return
        price, freight = run.c.lane_price.tolist(), run.c.lane_freight.tolist()
        for l, m in enumerate(self.lane_market):
            origin, rho = self.index[m], self.tilt[l]
            if origin == 1.0 and rho == 1.0:
                continue  # landed cost at the reference price: no tilt to follow
            at_reference = price[l] * (1.0 + tariff[l]) + freight[l]
            ratio = (price[l] * origin * (1.0 + tariff[l]) + freight[l]) / at_reference if at_reference > 0 else 1.0
            self.tilt[l] = rho + (ratio ** -self.lane_sigma[l] - rho) * self.lane_step[l]

    def demand(self, demand: list[float]) -> list[float]:
        """The day's final demand after demand destruction, ``D pi ** beta_d`` (exactly ``D`` at ``pi = 1``)."""
        out = list(demand)
        for d, m in enumerate(self.demand_market):
            pi = self.index[m]
            if pi != 1.0:
                out[d] = demand[d] * pi ** self.demand_elasticity[d]
        return out

    def share(self, run: Run, share: list[float]) -> list[float]:
        """Target shares tilted by the origins' prices, normalised per buyer (exact where every tilt is 1)."""
        tilt = self.tilt
        out = list(share)
        for lanes in run.layout.buyer_lanes:
            if all(tilt[l] == 1.0 for l in lanes):
                continue
            total = sum([share[l] * tilt[l] for l in lanes])
            if total > 0:
                for l in lanes:
                    out[l] = share[l] * tilt[l] / total
        return out

    def stock_prices(self) -> list[float]:
        """The recorded ``price``: each stock's market price in USD per unit."""
        return [self.index[m] * p for m, p in zip(self.stock_market, self.stock_price)]
