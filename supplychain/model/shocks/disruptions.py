"""Physical disruptions: lost capacity, slower or closed transport, demand swings.

Like every shock these are immutable data; the compile step turns them into
daily schedules (`supplychain.compile.rules.disruptions`). Ids (regions,
facilities, commodities) are checked against the network at compile time.

Implements docs/model.md §6.6 (capacity-shock), §6.7 (logistics-shock) and §6.8 (demand-shock).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from ..._validation import check_choice, check_id, check_magnitude, check_number, fail
from .base import Shock, days, opt_id

__all__ = ["CapacityShock", "DemandShock", "LogisticsShock", "MAX_LEAD_TIME_MULTIPLIER", "RECOVERY_DAYS",
           "recovery_days_for"]

#: Days for capacity lost to an outage to come back once the outage ends (a linear ramp), by value
#: chain, when a CapacityShock or RandomOutage does not give ``recovery_days`` (docs/model.md §6.6).
#: Semiconductors (derived): after the 1999 Chi-Chi earthquake TSMC's wafer output was at 20 % of
#: normal on day 5, when full power was back, and 90 % on day 8 (Cleanrooms, "Recovering from the
#: Taiwan Earthquake", 1 Nov 1999), about 4 days from nothing to full; after the 16 Mar 2022 Fukushima
#: earthquake Renesas Naka restarted wafer input step by step, reached 50 % on 23 Mar and close to
#: full on 26 Mar (Renesas, "UPDATE 3 - Impact of the March 16 Earthquake", 23 Mar 2022), about 7
#: days: the longer, 7 days. Batteries (14 days) and minerals (30 days: kilns, leaching and
#: solvent-extraction circuits restart slower than a fab) are ASSUMPTIONS (docs/assumptions.md).
#: Unknown chains use ``"default"``: capacity comes back at once.
RECOVERY_DAYS: dict[str, float] = {"minerals": 30.0, "batteries": 14.0, "semiconductors": 7.0, "default": 0.0}


def recovery_days_for(given: float | None, chain: str) -> float:
    """``given``, or the chain's default from `RECOVERY_DAYS` when it is ``None``.

    Examples
    --------
    >>> recovery_days_for(None, "semiconductors"), recovery_days_for(3.0, "minerals"), recovery_days_for(None, "x")
    (7.0, 3.0, 0.0)
    """
    if given is not None:
        return given
    return RECOVERY_DAYS.get(chain, RECOVERY_DAYS["default"])


#: Largest lead-time multiplier of a LogisticsShock (a 35-day lane becomes at most 3,500 days).
MAX_LEAD_TIME_MULTIPLIER = 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityShock(Shock):
    """Loss of production capacity at one facility, a stage in a region, or a region.

    See docs/model.md §6.6 (capacity-shock).

    Capacity drops by ``fraction_lost`` over ``[start, end)``. From ``end``
    it recovers over ``recovery_days``: ``"linear"`` is fully back after
    ``recovery_days``; ``"exponential"`` gets back ``1 - exp(-d / recovery_days)``
    of the loss after ``d`` days (``recovery_days`` is the e-folding time).
    ``recovery_days=None`` (the default) takes each facility's chain default
    from `RECOVERY_DAYS` (7 days for semiconductors); 0 recovers at once.
    With ``end=None`` the loss lasts to the end of the horizon.
    ``destroy_inventory`` is the fraction of the selected facilities' stocks
    (inputs and output) and work in progress destroyed on the first day
    (recorded as ``destroyed``; scrapped work in progress on the output stock).

    Parameters
    ----------
    facility : str, optional
        One facility id, that facility alone: ``"KR.fab.memory_wafer"`` leaves
        ``"KR.fab_new.memory_wafer"`` (the capacity added in the year) running,
        and a `SimulationWarning` says so unless another shock reaches it or
        ``family`` is given. Otherwise select by ``stage`` and/or ``region``.
    stage, region : str, optional
        Every facility of that stage and/or in that region. A stage selects
        its family, itself and the stages named after it: ``"fab"`` stops the
        installed fabs and the year's new capacity (``"fab_new"``), except a
        family stage that another shock of the scenario names itself
        (docs/model.md §6.6).
    family : bool, optional
        True: a ``facility`` also stops its twins (same region and output, a
        stage of its stage's family). False: a ``stage`` selects itself alone
        (the installed fabs without ``fab_new``), a ``facility`` alone without
        a warning (a share of one line, as the Naka fire of 2021). None (the
        default): a stage's family, a facility alone with a warning.
    fraction_lost : float
        Share of capacity lost, in ``(0, 1]``.

    Notes
    -----
    Limits: ``recovery_days`` in ``[0, 3650]``.

    Examples
    --------
    >>> CapacityShock(facility="TW.fab.logic_wafer", fraction_lost=1.0, start=10, end=40,
    ...               recovery_days=30).recovery
    'linear'
    >>> CapacityShock(fraction_lost=0.5)
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: facility, stage or region must be given; missing (None) for CapacityShock.
    """

    fraction_lost: float
    facility: str | None = None
    stage: str | None = None
    region: str | None = None
    destroy_inventory: float = 0.0
    recovery: Literal["linear", "exponential"] = "linear"
    recovery_days: float | None = None
    family: bool | None = None
    kind: ClassVar[str] = "capacity_shock"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "CapacityShock"
        for name in ("facility", "stage", "region"):
            opt_id(self, name, k)
        if self.facility is None and self.stage is None and self.region is None:
            raise fail("facility, stage or region", "given", None, k)
        if self.facility is not None and (self.stage is not None or self.region is not None):
            raise fail("stage and region", "None when facility is given", (self.stage, self.region), k)
        object.__setattr__(self, "fraction_lost", check_number(
            self.fraction_lost, "fraction_lost", k, low=0.0, low_open=True, high=1.0))
        object.__setattr__(self, "destroy_inventory", check_number(
            self.destroy_inventory, "destroy_inventory", k, low=0.0, high=1.0))
        check_choice(self.recovery, ("linear", "exponential"), "recovery", k)
        if self.recovery_days is not None:
            object.__setattr__(self, "recovery_days", days(self.recovery_days, "recovery_days", k))
        if self.family is not None and not isinstance(self.family, bool):
            raise fail("family", "true, false or None", self.family, k)


@dataclass(frozen=True, slots=True, kw_only=True)
class LogisticsShock(Shock):
    """Slower or closed transport on the lanes matching every filter given.

    See docs/model.md §6.7 (logistics-shock).

    Shipments that leave on the days ``start <= day < end`` are slowed or
    stopped; ``end`` is exclusive, the first day on which lanes are normal
    again (``LogisticsShock(..., start=0, end=60)`` closes days 0-59).

    Parameters
    ----------
    origin_region, destination_region : str, optional
        Region of the lane's origin facility / destination buyer.
    commodity : str, optional
        Commodity carried.
    through : str, optional
        A chokepoint region: every international lane to or from it (a
        blockade of Taiwan closes all of Taiwan's trade lanes, not its
        domestic ones).
    lead_time_multiplier : float
        Multiplier on lead time (e.g. 1.3 for a detour via the Cape).
    closed : bool
        Nothing ships on the matching lanes.

    Notes
    -----
    Limits: ``lead_time_multiplier`` in ``(0, 100]``.

    Examples
    --------
    >>> LogisticsShock(through="TW", closed=True, start=0, end=60).closed
    True
    """

    origin_region: str | None = None
    destination_region: str | None = None
    commodity: str | None = None
    through: str | None = None
    lead_time_multiplier: float = 1.0
    closed: bool = False
    kind: ClassVar[str] = "logistics_shock"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "LogisticsShock"
        for name in ("origin_region", "destination_region", "commodity", "through"):
            opt_id(self, name, k)
        object.__setattr__(self, "lead_time_multiplier", check_number(
            self.lead_time_multiplier, "lead_time_multiplier", k, low=0.0, low_open=True,
            high=MAX_LEAD_TIME_MULTIPLIER))
        if not isinstance(self.closed, bool):
            raise fail("closed", "true or false", self.closed, k)
        if not self.closed and self.lead_time_multiplier == 1.0:
            raise fail("lead_time_multiplier", "different from 1 unless closed is true",
                       self.lead_time_multiplier, k)


@dataclass(frozen=True, slots=True, kw_only=True)
class DemandShock(Shock):
    """Final demand for ``commodity`` in ``region`` multiplied by ``factor``.

    See docs/model.md §6.8 (demand-shock).

    Demand is multiplied on the days ``start <= day < end`` (``end``
    exclusive, the first day back at the baseline rate).

    Parameters
    ----------
    region, commodity : str
        Where and what: every final demand of ``commodity`` in ``region``.
    factor : float
        Multiplier on those demands' rates over the window.
    segment : str, optional
        Only the demands of this end-use segment (``Demand.segment``, docs/model.md
        §5.5, e.g. ``"automotive"``); ``None`` (the default) multiplies every
        segment's demand. A segment that no demand of the region and commodity
        has is an error naming the segments there.

    Notes
    -----
    Limits: ``factor`` in ``[0, 1e6]``.

    Examples
    --------
    >>> DemandShock(region="US", commodity="logic_chip", factor=1.17).factor
    1.17
    >>> DemandShock(region="US", commodity="mature_chip", factor=0.3, segment="automotive").segment
    'automotive'
    """

    region: str
    commodity: str
    factor: float
    segment: str | None = None
    kind: ClassVar[str] = "demand_shock"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        check_id(self.region, "region", "DemandShock")
        check_id(self.commodity, "commodity", "DemandShock")
        object.__setattr__(self, "factor", check_magnitude(self.factor, "factor", "DemandShock"))
        if self.segment is not None:
            check_id(self.segment, "segment", "DemandShock")
