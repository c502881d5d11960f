"""Shocks and responses applied to a network over time.

A shock is immutable data: when it starts and ends (a day number counted from
the scenario's start date, or a calendar date), an optional announcement date,
and what it does. Engines never read shocks directly; the compile step turns
them into daily schedules (see :mod:`supplychain.engines._schedules`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from .._validation import fail

__all__ = ["Shock", "DayOrDate", "to_day"]

DayOrDate = int | dt.date


def to_day(value: DayOrDate, start_date: dt.date, field: str = "start", kind: str = "Shock") -> int:
    """Convert a day number or calendar date into a day index from ``start_date``.

    Examples
    --------
    >>> import datetime as dt
    >>> to_day(dt.date(2023, 8, 1), dt.date(2023, 1, 1))
    212
    >>> to_day(10, dt.date(2023, 1, 1))
    10
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value - start_date).days
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(field, "a whole day number or a date (YYYY-MM-DD)", value, kind)
    return value


@dataclass(frozen=True, slots=True)
class Shock:
    """Base class: a time window ``[start, end)`` and an optional announcement.

    ``end=None`` means the shock lasts to the end of the horizon.
    """

    start: DayOrDate = 0
    end: DayOrDate | None = None
    announced: DayOrDate | None = None
    kind: ClassVar[str] = ""

    def __post_init__(self) -> None:
        name = type(self).__name__
        to_day(self.start, dt.date(2000, 1, 1), "start", name)
        if self.end is not None:
            to_day(self.end, dt.date(2000, 1, 1), "end", name)
            if type(self.start) is type(self.end) and self.end <= self.start:  # type: ignore[operator]
                raise fail("end", f"after start ({self.start})", self.end, name)
        if self.announced is not None:
            to_day(self.announced, dt.date(2000, 1, 1), "announced", name)

    def window(self, start_date: dt.date, n_days: int) -> tuple[int, int]:
        """The active days ``[first, stop)`` clipped to ``[0, n_days]``."""
        first = to_day(self.start, start_date, "start", type(self).__name__)
        stop = n_days if self.end is None else to_day(self.end, start_date, "end", type(self).__name__)
        if stop <= first:
            raise fail("end", f"after start ({self.start})", self.end, type(self).__name__)
        return max(0, min(first, n_days)), max(0, min(stop, n_days))

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for scenario files (``None`` fields omitted)."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
            elif hasattr(value, "to_dict"):
                value = value.to_dict()
            out[name] = value
        return out
