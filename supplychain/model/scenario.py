"""A scenario: a network, the shocks applied to it, a horizon and a calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .._validation import check_number, fail
from .network import Network
from .shocks import Shock

__all__ = ["Scenario"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything needed to run a simulation, as immutable data.

    Parameters
    ----------
    network : Network
        The supply network.
    shocks : tuple of Shock
        Shocks and responses, applied together.
    horizon_days : int
        Number of simulated days.
    start_date : datetime.date
        Calendar date of day 0, so that shocks can be given by date.
    seed : int, optional
        Default seed used when :func:`supplychain.simulate` gets none.
    name : str
        Label used in tables and plots.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> s = load_baseline().with_horizon(30)
    >>> s.horizon_days
    30
    """

    network: Network
    shocks: tuple[Shock, ...] = field(default=())
    horizon_days: int = 365
    start_date: dt.date = dt.date(2025, 1, 1)
    seed: int | None = None
    name: str = "scenario"

    def __post_init__(self) -> None:
        if not isinstance(self.network, Network):
            raise fail("network", "a Network", type(self.network).__name__, "Scenario", self.name)
        shocks = tuple(self.shocks)
        for s in shocks:
            if not isinstance(s, Shock):
                raise fail("shocks", "a list of Shock objects", s, "Scenario", self.name)
        object.__setattr__(self, "shocks", shocks)
        if isinstance(self.horizon_days, bool) or not isinstance(self.horizon_days, int):
            raise fail("horizon_days", "a whole number of days", self.horizon_days, "Scenario", self.name)
        check_number(self.horizon_days, "horizon_days", "Scenario", self.name, low=1)
        if isinstance(self.start_date, dt.datetime):
            object.__setattr__(self, "start_date", self.start_date.date())
        if not isinstance(self.start_date, dt.date):
            raise fail("start_date", "a date (YYYY-MM-DD)", self.start_date, "Scenario", self.name)
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0):
            raise fail("seed", "a non-negative integer or None", self.seed, "Scenario", self.name)

    def with_shocks(self, *shocks: Shock, name: str | None = None) -> Scenario:
        """A copy with ``shocks`` added to the existing ones."""
        return dataclasses.replace(self, shocks=self.shocks + tuple(shocks),
                                   name=self.name if name is None else name)

    def with_horizon(self, horizon_days: int) -> Scenario:
        """A copy with another horizon."""
        return dataclasses.replace(self, horizon_days=horizon_days)

    def replace(self, **changes: object) -> Scenario:
        """A copy with fields replaced (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def date_of(self, day: int) -> dt.date:
        """Calendar date of day index ``day``."""
        return self.start_date + dt.timedelta(days=int(day))
