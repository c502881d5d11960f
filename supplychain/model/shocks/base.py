"""The base of every shock: a time window, an optional announcement, and helpers for subclasses.

A shock is immutable data: when it starts and ends (a day number counted from
the scenario's start date, or a calendar date), an optional announcement date,
and what it does. Engines never read shocks directly; the compile step turns
them into daily schedules (see `supplychain.compile.schedules`).

A shock that starts before the scenario's start date (a negative day) is *in
force*: a standing condition from day 0 that is part of the baseline, never a
new event (`Shock.in_force`). Responses (`Response`) are the
policy answers to disruptions; a scenario keeps them apart from disruptions
so that adding one never moves the shock day.

Implements docs/model.md §6.1 (shock-windows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from ..._validation import check_day_number, check_days, check_id, fail, parse_date
from .._checked import Checked

__all__ = ["DayOrDate", "Response", "Shock", "to_day"]

DayOrDate = int | dt.date


def to_day(value: DayOrDate, start_date: dt.date, field: str = "start", kind: str = "Shock") -> int:
    """Convert a day number or calendar date into a day index from ``start_date``.

    The result is not clipped: a date before ``start_date`` gives a negative
    day (a shock already in force on day 0).

    Examples
    --------
    >>> import datetime as dt
    >>> to_day(dt.date(2023, 8, 1), dt.date(2023, 1, 1))
    212
    >>> to_day(dt.date(2018, 7, 6), dt.date(2024, 7, 1))
    -2187
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
class Shock(Checked):
    """Base class: a time window ``[start, end)`` and an optional announcement.

    See docs/model.md §6.1 (shock-windows).

    ``end`` is exclusive: the shock acts on the days ``start <= day < end``,
    so ``end`` is the first day without it (a 45-day shock from 1 March ends
    on 15 April), and ``end=None`` means it lasts to the end of the horizon.
    Every shock and response reads its window so. Subclasses
    set a ``kind`` class variable, the name used in scenario files (the table
    of kinds is `supplychain.model.shocks.SHOCK_KINDS`).

    ``id`` is an optional name that experiments and uncertain parameters use
    to address the shock (``"shocks.cn_gallium_ban.end"``, see
    `supplychain.model.paths`); it changes nothing in a simulation.

    Limits: ``start``, ``end`` and ``announced`` are dates from 1900-01-01
    to 2200-12-31, or whole day numbers within 109,937 days of day 0; ``id``
    a non-empty name without spaces or dots.

    Examples
    --------
    A shock from 1 March to 15 April 2025 acts on days 59 to 103 of a year
    from 1 January, 45 days; day 104 (15 April) is the first without it:

    >>> import datetime as dt
    >>> Shock(start="2025-03-01", end="2025-04-15").window(dt.date(2025, 1, 1), 365)
    (59, 104)
    """

    start: DayOrDate = 0
    end: DayOrDate | None = None
    announced: DayOrDate | None = None
    id: str | None = None
    kind: ClassVar[str] = ""
    #: True for policy responses (stockpiles, investment, safety stocks), False for disruptions.
    is_response: ClassVar[bool] = False

    def __post_init__(self) -> None:
        name = type(self).__name__
        if self.id is not None:
            check_id(self.id, "id", name)
            if "." in self.id:
                raise fail("id", "a name without dots (dots separate the parts of a parameter path)",
                           self.id, name)
        for when in ("start", "end", "announced"):
            value = getattr(self, when)
            if isinstance(value, str):
                # ISO dates typed as text ("2025-03-01") are stored as dates, so files round-trip.
                value = parse_date(value, when, name, expected="a whole day number or a date")
            elif isinstance(value, dt.datetime):
                value = value.date()
            if value is not None or when == "start":
                value = check_day_number(value, when, name)
            object.__setattr__(self, when, value)
        if self.end is not None and type(self.start) is type(self.end) and self.end <= self.start:  # type: ignore[operator]
            raise fail("end", f"after start ({self.start})", self.end, name)
        if (self.announced is not None and type(self.start) is type(self.announced)
                and self.announced > self.start):  # type: ignore[operator]
            raise fail("announced", f"on or before start ({self.start})", self.announced, name)

    def start_day(self, start_date: dt.date) -> int:
        """Day index of the start from ``start_date``, not clipped (negative: in force on day 0).

        Examples
        --------
        >>> import datetime as dt
        >>> Shock(start=dt.date(2018, 7, 6)).start_day(dt.date(2024, 7, 1))
        -2187
        """
        return to_day(self.start, start_date, "start", type(self).__name__)

    def in_force(self, start_date: dt.date) -> bool:
        """True when the shock started before ``start_date``: a standing condition, not a new event.

        Examples
        --------
        >>> import datetime as dt
        >>> Shock(start=dt.date(2018, 7, 6)).in_force(dt.date(2024, 7, 1))
        True
        >>> Shock(start=0).in_force(dt.date(2024, 7, 1))
        False
        """
        return self.start_day(start_date) < 0

    def announcement(self, start_date: dt.date) -> int | None:
        """Day index of the announcement (not clipped), or ``None`` when there is none."""
        if self.announced is None:
            return None
        return to_day(self.announced, start_date, "announced", type(self).__name__)

    def span(self, start_date: dt.date, n_days: int) -> tuple[int, int]:
        """The active days ``[first, stop)`` from ``start_date``, not clipped (``stop = n_days`` if open-ended).

        ``first < 0`` for a shock in force on day 0; ``first >= n_days`` for
        one that starts after the horizon.

        Examples
        --------
        >>> import datetime as dt
        >>> Shock(start=-20, end=10).span(dt.date(2025, 1, 1), 5)
        (-20, 10)
        """
        first = self.start_day(start_date)
        stop = n_days if self.end is None else to_day(self.end, start_date, "end", type(self).__name__)
        if self.end is not None and stop <= first:
            raise fail("end", f"after start ({self.start})", self.end, type(self).__name__)
        return first, stop

    def window(self, start_date: dt.date, n_days: int) -> tuple[int, int]:
        """The active days ``[first, stop)`` clipped to ``[0, n_days]`` (empty when outside).

        Use `span` for the unclipped days and `in_force` to tell a
        standing condition from a new event.

        Examples
        --------
        >>> import datetime as dt
        >>> Shock(start=dt.date(2025, 1, 11)).window(dt.date(2025, 1, 1), 5)
        (5, 5)
        """
        first, stop = self.span(start_date, n_days)
        return max(0, min(first, n_days)), max(0, min(stop, n_days))

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for scenario files (``None`` fields omitted)."""
        out: dict[str, Any] = {"kind": self.kind}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
            elif hasattr(value, "to_dict"):
                value = value.to_dict()
            out[f.name] = value
        return out


@dataclass(frozen=True, slots=True)
class Response(Shock):
    """Base class of policy responses: they answer disruptions and never set the shock day.

    A `Scenario` keeps responses in its
    ``responses`` field, apart from the disruptions in ``shocks``.
    """

    is_response: ClassVar[bool] = True


# Helpers for subclasses ---------------------------------------------------------------------------

def ids_or_none(value: Any, field_name: str, kind: str) -> tuple[str, ...] | None:
    """``None`` or a non-empty tuple of ids (a single string is accepted as one id)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, dict):
        raise fail(field_name, "a list of region ids or None", value, kind)
    out = tuple(check_id(v, field_name, kind) for v in value)
    if not out:
        raise fail(field_name, "a non-empty list of region ids or None", value, kind)
    return out


def days(value: Any, field_name: str, kind: str, **bounds: Any) -> float:
    """A day count in ``[0, 3650]`` (see `supplychain._validation.check_days`)."""
    return check_days(value, field_name, kind, **bounds)


def set_field(obj: object, name: str, value: Any) -> None:
    """Set a field of a frozen shock during validation."""
    object.__setattr__(obj, name, value)


def opt_id(obj: object, name: str, kind: str) -> None:
    """Check an optional id field."""
    value = getattr(obj, name)
    if value is not None:
        check_id(value, name, kind)


def date_or_day(value: Any, field_name: str, kind: str) -> Any:
    """An ISO date string as a date; anything else unchanged (checked by the shock)."""
    if isinstance(value, str):
        return parse_date(value, field_name, kind, expected="a whole day number or a date")
    return value
