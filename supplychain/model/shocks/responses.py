"""Policy responses: strategic stockpiles, new capacity, higher safety stocks.

Responses share the shocks' time window and scenario-file form and compose
with the disruptions they answer, but a scenario keeps them apart
(``Scenario.responses``) and they never set the shock day. See
`supplychain.compile.rules.responses` for what each does to the arrays.

Implements docs/model.md §6.10 (stockpile-release), §6.11 (capacity-investment) and §6.12 (safety-stock-change).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import ClassVar

from ..._validation import MAX_QUANTITY, check_id, check_magnitude, check_number, fail, shown
from ...errors import SimulationWarning, ValidationError
from .base import Response, Shock, days

__all__ = ["CapacityInvestment", "SafetyStockChange", "StockpileRelease", "PLAUSIBLE_COVER_DAYS"]

#: Cover (days of baseline usage) above which stockpiles and safety stocks warn: three years, far above
#: the reserves governments hold (oil: 90 days of net imports, Agreement on an International Energy
#: Program, 1974, art. 2; Japan's rare-metal stockpile: 60 days of consumption, JOGMEC, 2023).
PLAUSIBLE_COVER_DAYS = 1095


@dataclass(frozen=True, slots=True, kw_only=True)
class StockpileRelease(Response):
    """A strategic reserve released into a region's stocks of one commodity.

    See docs/model.md §6.10 (stockpile-release).

    From ``start`` (to ``end``, exclusive: the first day without releases),
    on each day on which a buying stock of ``commodity`` in ``region`` (a
    facility's input stock or a consumer stock) holds less than
    ``release_below_cover_days`` of its baseline usage, the reserve tops it
    up to that cover, at most
    ``max_release_per_day`` units a day over all those stocks (shared in
    proportion to their gaps) and at most ``reserve`` units in total. What is
    released is recorded as the ``released`` inflow of each stock, so the
    material balance still closes.

    Size the reserve either in units (``reserve``) or in days of cover
    (``days_of_cover``): the reserve is then ``days_of_cover`` times the
    baseline daily usage of those same stocks (their steady-state draw,
    docs/model.md §4.1), converted when the scenario is compiled. Exactly
    one of the two is given.

    Choosing ``release_below_cover_days``: compare it with the stocks' normal
    cover (``normal_cover_days`` of `supplychain.metrics.stock_cover` on a
    baseline run). Below it, the buyers' own stock is drawn first and the
    reserve only keeps it from running out: the release starts once the stock
    has fallen to that cover, then holds it there while the reserve lasts. At
    or above it, the reserve tops the stock up from the first day it dips and
    the buyers order less. For a finite reserve the threshold decides mostly
    *when* it is spent, not how much: a small one keeps it for later, close to
    the day the stock would run out. Korea's compound-wafer makers hold 65 days
    of gallium; with ``release_below_cover_days=30`` and a 60-day reserve,
    China's ban from 1 March draws their stock to 30 days by 18 April; the
    reserve holds it there to 18 June, and the fabs run to 18 July instead of
    18 May (vector, seed 1; docs/scenarios.md, ``stockpile_release``).

    Users' redesign starts on their first day short or, if earlier, on the
    first day an export control upstream of them is in force (docs/model.md
    §8.3): a response that postpones a shortage no control reaches (a
    capacity stop, a closed lane) also postpones their redesign. Measure what
    a stockpile does to value added with
    `supplychain.analytics.impact.policy_value_added`.

    Limits: ``reserve`` in ``[0, 1e12]`` units; ``days_of_cover``,
    ``release_below_cover_days`` in ``[0, 3650]`` (above 1,095 days, three
    years, a `SimulationWarning`: larger than any
    strategic reserve held); ``max_release_per_day`` in ``(0, 1e12]`` or
    ``inf``.

    Examples
    --------
    >>> StockpileRelease(region="JP", commodity="ndfeb_magnet", reserve=5000.0,
    ...                  release_below_cover_days=20, max_release_per_day=200.0).reserve
    5000.0
    >>> StockpileRelease(region="KR", commodity="graphite_spherical", days_of_cover=90,
    ...                  release_below_cover_days=30).days_of_cover
    90.0
    >>> ga = StockpileRelease(region="KR", commodity="gallium", days_of_cover=60,
    ...                       release_below_cover_days=30, start="2025-03-01")   # buyers normally hold 65
    >>> ga.release_below_cover_days, ga.days_of_cover
    (30.0, 60.0)
    """

    region: str
    commodity: str
    reserve: float | None = None
    release_below_cover_days: float
    max_release_per_day: float = math.inf
    days_of_cover: float | None = None
    kind: ClassVar[str] = "stockpile_release"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "StockpileRelease"
        check_id(self.region, "region", k)
        check_id(self.commodity, "commodity", k)
        if self.reserve is not None and self.days_of_cover is not None:
            raise ValidationError(f"reserve and days_of_cover were both given ({shown(self.reserve)} and "
                                  f"{shown(self.days_of_cover)}) for {k}: give one, not both (reserve in units, or "
                                  "days_of_cover of the region's usage).")
        if self.reserve is None and self.days_of_cover is None:
            raise fail("reserve or days_of_cover", "given (exactly one of them)", None, k)
        if self.reserve is not None:
            object.__setattr__(self, "reserve", check_magnitude(self.reserve, "reserve", k, high=MAX_QUANTITY))
        else:
            object.__setattr__(self, "days_of_cover", days(self.days_of_cover, "days_of_cover", k))
        object.__setattr__(self, "release_below_cover_days", days(
            self.release_below_cover_days, "release_below_cover_days", k))
        for name in ("days_of_cover", "release_below_cover_days"):
            value = getattr(self, name)
            if value is not None and value > PLAUSIBLE_COVER_DAYS:
                warnings.warn(f"StockpileRelease {self.region} {self.commodity}: {name}={value:g} is more than "
                              f"{PLAUSIBLE_COVER_DAYS} days (three years) of baseline usage; strategic reserves "
                              "hold months, not years.", SimulationWarning, stacklevel=3)
        per_day = check_number(self.max_release_per_day, "max_release_per_day", k, low=0.0, low_open=True,
                               allow_inf=True)
        if per_day != math.inf:
            check_magnitude(per_day, "max_release_per_day", k, high=MAX_QUANTITY)
        object.__setattr__(self, "max_release_per_day", per_day)


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityInvestment(Response):
    """New capacity (friend-shoring) added to an existing facility in ``region``.

    See docs/model.md §6.11 (capacity-investment).

    The facility is ``facility``, or else the largest facility in ``region``
    producing ``commodity``. Capacity grows by ``added_capacity`` units a day,
    starting ``build_lag_days`` after ``start`` and ramping linearly over
    ``ramp_days``. Shocks cannot add facilities or lanes: to model a plant in
    a region that has none, add it to the network with a small capacity and
    expand it here (a documented simplification).

    Limits: ``added_capacity`` in ``(0, 1e12]`` units a day;
    ``build_lag_days`` and ``ramp_days`` in ``[0, 3650]``.

    Examples
    --------
    >>> CapacityInvestment(region="US", commodity="aam", added_capacity=50.0,
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
        if self.facility is not None and self.commodity is not None:
            raise ValidationError(f"facility and commodity were both given ({shown(self.facility)} and "
                                  f"{shown(self.commodity)}) for {k}: give one, not both.")
        if self.facility is None and self.commodity is None:
            raise fail("facility or commodity", "given (exactly one of them)", None, k)
        for name in ("facility", "commodity"):
            if getattr(self, name) is not None:
                check_id(getattr(self, name), name, k)
        object.__setattr__(self, "added_capacity", check_magnitude(self.added_capacity, "added_capacity", k,
                                                                   low_open=True, high=MAX_QUANTITY))
        for name in ("build_lag_days", "ramp_days"):
            object.__setattr__(self, name, days(getattr(self, name), name, k))


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyStockChange(Response):
    """Buyers of ``commodity`` in ``region`` hold ``cover_days`` of baseline usage from ``start``.

    See docs/model.md §6.12 (safety-stock-change).

    Each matching buyer's order-up-to level (and reorder point) moves by
    ``(cover_days - current cover) * baseline usage``; the buyer then orders
    the difference at once (a stock build) or stops ordering until it has
    drawn the stock down. Buyers are facility input stocks and consumer
    stocks; the change is a schedule on their targets, so it applies to every
    policy kind.

    With ``segment``, only the consumer stocks of the demands of that end-use
    segment (``Demand.segment``, docs/model.md §5.5) move: each segment holds
    its own stock, and a segment no demand of the region and commodity has is
    an error naming the segments there.

    Limits: ``cover_days`` in ``[0, 3650]`` (above 1,095 days, three years,
    a `SimulationWarning`).

    Examples
    --------
    >>> SafetyStockChange(region="JP", commodity="gallium", cover_days=90, start=30).cover_days
    90.0
    >>> SafetyStockChange(region="US", commodity="mature_chip", cover_days=40, segment="industrial", start=0).segment
    'industrial'
    """

    region: str
    commodity: str
    cover_days: float
    segment: str | None = None
    kind: ClassVar[str] = "safety_stock_change"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        check_id(self.region, "region", "SafetyStockChange")
        check_id(self.commodity, "commodity", "SafetyStockChange")
        if self.segment is not None:
            check_id(self.segment, "segment", "SafetyStockChange")
        object.__setattr__(self, "cover_days", days(self.cover_days, "cover_days", "SafetyStockChange"))
        if self.cover_days > PLAUSIBLE_COVER_DAYS:
            warnings.warn(f"SafetyStockChange {self.region} {self.commodity}: cover_days={self.cover_days:g} is "
                          f"more than {PLAUSIBLE_COVER_DAYS} days (three years) of baseline usage.",
                          SimulationWarning, stacklevel=3)
