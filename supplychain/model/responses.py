"""Policy responses: strategic stockpiles, new capacity, higher safety stocks.

Responses are shocks too (same time window, same scenario-file form); they
compose with the disruptions they answer. See
:mod:`supplychain.compile.response_rules` for what each does to the arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from .._validation import check_id, check_number, fail
from .shocks import Shock

__all__ = ["CapacityInvestment", "SafetyStockChange", "StockpileRelease"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StockpileRelease(Shock):
    """A strategic reserve released into a region's stocks of one commodity.

    From ``start`` (to ``end``), on each day on which a buying stock of
    ``commodity`` in ``region`` (a facility's input stock or a consumer
    stock) holds less than ``release_below_cover_days`` of its baseline
    usage, the reserve tops it up to that cover, at most
    ``max_release_per_day`` units a day over all those stocks (shared in
    proportion to their gaps) and at most ``reserve`` units in total. What is
    released is recorded as the ``released`` inflow of each stock, so the
    material balance still closes.

    Examples
    --------
    >>> StockpileRelease(region="JP", commodity="ndfeb_magnet", reserve=5000.0,
    ...                  release_below_cover_days=20, max_release_per_day=200.0).reserve
    5000.0
    """

    region: str
    commodity: str
    reserve: float
    release_below_cover_days: float
    max_release_per_day: float = math.inf
    kind: ClassVar[str] = "stockpile_release"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "StockpileRelease"
        check_id(self.region, "region", k)
        check_id(self.commodity, "commodity", k)
        object.__setattr__(self, "reserve", check_number(self.reserve, "reserve", k, low=0.0))
        object.__setattr__(self, "release_below_cover_days", check_number(
            self.release_below_cover_days, "release_below_cover_days", k, low=0.0))
        object.__setattr__(self, "max_release_per_day", check_number(
            self.max_release_per_day, "max_release_per_day", k, low=0.0, low_open=True, allow_inf=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityInvestment(Shock):
    """New capacity (friend-shoring) added to an existing facility in ``region``.

    The facility is ``facility``, or else the largest facility in ``region``
    producing ``commodity``. Capacity grows by ``added_capacity`` units a day,
    starting ``build_lag_days`` after ``start`` and ramping linearly over
    ``ramp_days``. Shocks cannot add facilities or lanes: to model a plant in
    a region that has none, add it to the network with a small capacity and
    expand it here (a documented simplification).

    Examples
    --------
    >>> CapacityInvestment(region="US", commodity="graphite_anode", added_capacity=50.0,
    ...                    build_lag_days=365, ramp_days=180).ramp_days
    180.0
    """

    region: str
    added_capacity: float
    facility: str | None = None
    commodity: str | None = None
    build_lag_days: float = 0.0
    ramp_days: float = 0.0
    kind: ClassVar[str] = "capacity_investment"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "CapacityInvestment"
        check_id(self.region, "region", k)
        if (self.facility is None) == (self.commodity is None):
            raise fail("facility or commodity", "given (exactly one of them)",
                       (self.facility, self.commodity), k)
        for name in ("facility", "commodity"):
            if getattr(self, name) is not None:
                check_id(getattr(self, name), name, k)
        object.__setattr__(self, "added_capacity", check_number(self.added_capacity, "added_capacity", k,
                                                                low=0.0, low_open=True))
        for name in ("build_lag_days", "ramp_days"):
            object.__setattr__(self, name, check_number(getattr(self, name), name, k, low=0.0))


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyStockChange(Shock):
    """Buyers of ``commodity`` in ``region`` hold ``cover_days`` of baseline usage from ``start``.

    Each matching buyer's order-up-to level (and reorder point) moves by
    ``(cover_days - current cover) * baseline usage``; the buyer then orders
    the difference at once (a stock build) or stops ordering until it has
    drawn the stock down. Buyers are facility input stocks and consumer
    stocks; the change is a schedule on their targets, so it applies to every
    policy kind.

    Examples
    --------
    >>> SafetyStockChange(region="JP", commodity="gallium", cover_days=90, start=30).cover_days
    90.0
    """

    region: str
    commodity: str
    cover_days: float
    kind: ClassVar[str] = "safety_stock_change"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        check_id(self.region, "region", "SafetyStockChange")
        check_id(self.commodity, "commodity", "SafetyStockChange")
        object.__setattr__(self, "cover_days", check_number(self.cover_days, "cover_days", "SafetyStockChange",
                                                            low=0.0))
