"""Random facility outages: breakdowns, fires, floods and earthquakes as data.

A `RandomOutage` is a shock whose effect is random: outages start at
the events of a Poisson process and last a random time. It only describes the
process; the engines draw the events from each run's own ``outage`` stream
(see `supplychain.engines.outages`), so every engine and every chunk
of runs sees the same outages for a given seed.

Implements docs/model.md §6.9 (random-outage).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..._validation import MAX_RATE_PER_YEAR, check_days, check_id, check_number, fail
from ..dists import Distribution, day_distribution
from .base import Shock

__all__ = ["RandomOutage", "DAYS_PER_YEAR"]

#: Days in the year that ``rate_per_year`` refers to (the model runs in whole days).
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RandomOutage(Shock):
    """Facilities that go down at random, alone or together (a common cause).

    See docs/model.md §6.9 (random-outage).

    Outages start at the events of a Poisson process with ``rate_per_year``
    events per year inside the shock's window ``[start, end)``, and each
    lasts a random ``duration`` in days. While down, a facility loses
    ``capacity_lost`` of its capacity; a day partly covered loses that
    fraction of a day. Overlapping outages of one facility add up, capped at
    all of its capacity. When an outage ends, its capacity comes back along a
    linear ramp of ``recovery_days`` (``docs/model.md`` §6.9).

    Parameters
    ----------
    rate_per_year : float
        Mean number of outages per year, per facility (``group=None``) or per
        group (one process hits every member at once).
    duration : Distribution or float
        Length of one outage in days (a number means a fixed length).
    facility : str, optional
        Id of the single facility affected.
    region, stage : str, optional
        Otherwise, every facility in ``region`` and/or of ``stage``
        (e.g. ``region="TW", stage="fab"``); a stage also selects the stages
        named after it (``"fab"``: ``"fab_new"``), as `CapacityShock` does.
    family : bool, optional
        As `CapacityShock`'s: True adds a facility's twins, False keeps a
        stage exact and a facility alone without a warning.
    capacity_lost : float
        Fraction of capacity lost while down, in ``(0, 1]``.
    group : str, optional
        Common cause. Without it each targeted facility has its own,
        independent process. With it, every ``RandomOutage`` of the scenario
        that names the same group shares one process (so they must share
        ``rate_per_year``): each event takes down all their facilities at
        once, e.g. an earthquake hitting every fab in a region. Each member
        draws one duration per event, shared by its facilities.
    start, end : int or datetime.date
        Window in which outages can start (``end=None``: the whole horizon).
    recovery_days : float, optional
        Days for the lost capacity to come back after each outage, linearly
        (a fixed ramp: it draws nothing, so runs with and without it see the
        same outages). ``None`` (the default): each facility's chain default,
        `RECOVERY_DAYS`.

    Notes
    -----
    Limits: ``rate_per_year`` in ``[0, 365]``; ``duration`` a distribution of
    days in ``[0, 3650]``; ``recovery_days`` in ``[0, 3650]``.

    Examples
    --------
    >>> from supplychain.model import Fixed, LogNormal
    >>> quake = RandomOutage(region="TW", stage="fab", rate_per_year=0.1,
    ...                      duration=LogNormal(30.0, 15.0), group="tw_quake")
    >>> quake.to_dict()["duration"]
    {'kind': 'lognormal', 'mu': 30.0, 'sd': 15.0}
    >>> RandomOutage(facility="KR.fab.memory_wafer", rate_per_year=2, duration=7).duration
    Fixed(value=7.0)
    >>> RandomOutage(rate_per_year=1.0, duration=Fixed(5.0))
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: facility must be a facility id, or region and/or stage given instead; missing (None) for RandomOutage.
    """

    rate_per_year: float
    duration: Distribution
    facility: str | None = None
    region: str | None = None
    stage: str | None = None
    capacity_lost: float = 1.0
    group: str | None = None
    recovery_days: float | None = None
    family: bool | None = None
    kind: ClassVar[str] = "random_outage"

    def __post_init__(self) -> None:
        Shock.__post_init__(self)
        k = "RandomOutage"
        if self.facility is None and self.region is None and self.stage is None:
            raise fail("facility", "a facility id, or region and/or stage given instead", None, k)
        if self.facility is not None and (self.region is not None or self.stage is not None):
            raise fail("facility", "None when region or stage selects the facilities", self.facility, k)
        for name in ("facility", "region", "stage", "group"):
            if getattr(self, name) is not None:
                check_id(getattr(self, name), name, k)
        object.__setattr__(self, "rate_per_year", check_number(self.rate_per_year, "rate_per_year", k, low=0.0,
                                                               high=MAX_RATE_PER_YEAR))
        object.__setattr__(self, "duration", day_distribution(self.duration, "duration", k))
        lost = check_number(self.capacity_lost, "capacity_lost", k, low=0.0, high=1.0, low_open=True)
        object.__setattr__(self, "capacity_lost", lost)
        if self.recovery_days is not None:
            object.__setattr__(self, "recovery_days", check_days(self.recovery_days, "recovery_days", k))
        if self.family is not None and not isinstance(self.family, bool):
            raise fail("family", "true, false or None", self.family, k)

    @property
    def target(self) -> str:
        """Readable description of the facilities affected, e.g. ``"TW fab"``."""
        if self.facility is not None:
            return self.facility
        return " ".join(p for p in (self.region, self.stage) if p is not None)
