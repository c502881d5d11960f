"""Input checks shared by the model classes.

Each helper raises `ValidationError` with a message
of the form ``"{field} must be {constraint}; got {value} for {kind} '{id}'."``
so that a user can find the bad value in a large scenario file. Values are
shown by `shown`: at most `SHOWN_CHARS` characters of their repr,
so that a huge or deeply nested bad value cannot flood the terminal.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import ArgumentError, UnknownIdError, ValidationError

#: Characters of a bad value's repr shown in an error message (then "...").
SHOWN_CHARS = 80

# reprlib bounds the work as well as the text: a 200,000-character string or a list nested
# 1,000 deep is summarised without building (or recursing through) its full repr first.
_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 2 * SHOWN_CHARS
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 12


def shown(value: Any) -> str:
    """The repr of ``value`` for an error message: at most `SHOWN_CHARS` characters, then ``...``.

    Examples
    --------
    >>> shown(-1.0), shown("tarif")
    ('-1.0', "'tarif'")
    >>> text = shown("k" * 200_000)
    >>> len(text), text[-4:]
    (83, 'k...')
    >>> shown(dt.date(2024, 11, 1))
    '2024-11-01'
    """
    try:
        # A long string is cut at its start (reprlib would cut it in the middle); a date is shown as a user
        # writes it in a scenario file, not as Python's repr.
        if isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = repr(value[:SHOWN_CHARS + 1]) if isinstance(value, str) else _REPR.repr(value)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the error being reported
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def _ident(ident: str) -> str:
    """An item id inside a message: an id is user data too, so it is bounded the same way."""
    return ident if len(ident) <= SHOWN_CHARS else ident[:SHOWN_CHARS] + "..."


def _where(kind: str, ident: str) -> str:
    return f" for {kind} '{_ident(ident)}'" if ident else f" for {kind}"


def fail(field: str, constraint: str, value: Any, kind: str, ident: str = "") -> ValidationError:
    """Build the standard validation error (the caller raises it).

    Examples
    --------
    >>> print(fail("rate", ">= 0", -1.0, "Tariff", "t1"))
    rate must be >= 0; got -1.0 for Tariff 't1'.

    A value of None is a field left out (a scenario file cannot write None), and is said so:

    >>> print(fail("quota_per_period", "given when mode is 'quota'", None, "ExportControl"))
    quota_per_period must be given when mode is 'quota'; missing (None) for ExportControl.
    """
    got = "missing (None)" if value is None else f"got {shown(value)}"
    return ValidationError(f"{field} must be {constraint}; {got}{_where(kind, ident)}.")


def check_number(value: Any, field: str, kind: str, ident: str = "", *,
                 low: float | None = None, high: float | None = None,
                 low_open: bool = False, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking type, finiteness and range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise fail(field, "a number", value, kind, ident)
    x = float(value)
    if math.isnan(x) or (math.isinf(x) and not allow_inf):
        raise fail(field, "a finite number", value, kind, ident)
    if low is not None and (x < low or (low_open and x == low)):
        op = ">" if low_open else ">="
        raise fail(field, f"{op} {low:g}", value, kind, ident)
    if high is not None and x > high:
        # A share given in percent (50 for 0.5) is the likely slip: say how to write it.
        percent = f" (a fraction: {x / 100:g} means {x:g} %)" if high == 1.0 and 2 <= x <= 100 else ""
        raise fail(field, f"<= {high:g}{percent}", value, kind, ident)
    return x


def check_probability(value: Any, field: str, kind: str, ident: str = "") -> float:
    """Return ``value`` as a float in [0, 1]."""
    return check_number(value, field, kind, ident, low=0.0, high=1.0)


def check_id(value: Any, field: str, kind: str) -> str:
    """Check that an identifier is a non-empty string without surrounding spaces."""
    if not isinstance(value, str) or not value or value.strip() != value:
        raise fail(field, "a non-empty string without surrounding spaces", value, kind)
    return value


#: Common names of the shipped regions, lower case without dots, and the id each means.
COUNTRY_NAMES = {
    **dict.fromkeys(["korea", "south korea", "republic of korea", "rok", "kor"], "KR"),
    **dict.fromkeys(["taiwan", "chinese taipei", "taipei", "twn"], "TW"),
    **dict.fromkeys(["usa", "united states", "united states of america", "america", "the us"], "US"),
    **dict.fromkeys(["china", "prc", "mainland china", "people's republic of china", "chn"], "CN"),
    **dict.fromkeys(["japan", "jpn"], "JP"),
    **dict.fromkeys(["rest of world", "rest of the world", "world", "row"], "ROW"),
}


def region_id(value: str, regions: Mapping[str, str | None]) -> str | None:
    """The region id ``value`` stands for among ``regions`` (id to name), or None: the one resolver of names.

    An id, an id in any case or a region's own name (``Region.name``) in any case (``China``, ``south
    korea``) stands for the id; the scenario files and ``supplychain data --region`` accept the same
    names through it. Other names (``USA``, ``Korea``) are not guessed at: `close_matches` offers the
    id they mean.

    Examples
    --------
    >>> regions = {"CN": "China", "KR": "South Korea", "ROW": "Rest of world"}
    >>> [region_id(v, regions) for v in ("CN", "cn", "china", "South  Korea", "rest of world", "Korea", "Chna")]
    ['CN', 'CN', 'CN', 'KR', 'ROW', None, None]
    """
    if not isinstance(value, str):
        return None
    if value in regions:
        return value
    low = " ".join(value.replace(".", "").lower().split())
    for ident, name in regions.items():
        if low == ident.lower() or (name and low == " ".join(name.replace(".", "").lower().split())):
            return ident
    return None


def close_matches(value: str, known: Iterable[str], n: int = 3, *, cutoff: float = 0.5) -> list[str]:
    """Up to ``n`` known ids that look like ``value`` (difflib ratio >= 0.5), or the id a country name means.

    Examples
    --------
    >>> close_matches("South Korea", ["JP", "KR", "US"]), close_matches("U.S.A.", ["US", "CN"])
    (['KR'], ['US'])
    >>> close_matches("Chna", ["JP", "CN", "US"]), close_matches("Taiwna", ["TW", "CN"])
    (['CN'], ['TW'])
    """
    known = list(known)
    named = COUNTRY_NAMES.get(" ".join(value.replace(".", "").lower().split()))
    if named is not None and named in known:
        return [named]
    hits = difflib.get_close_matches(value, known, n=n, cutoff=cutoff)
    if not hits:  # a misspelt country name ("Chna") means the id of the name it nearly is
        spelt = difflib.get_close_matches(" ".join(value.replace(".", "").lower().split()), COUNTRY_NAMES, n=1,
                                          cutoff=0.75)
        hits = [COUNTRY_NAMES[spelt[0]]] if spelt and COUNTRY_NAMES[spelt[0]] in known else []
    if not hits:
        low = value.lower()
        hits = [k for k in known if low in k.lower() or k.lower() in low][:n]
    return hits


def _named(value: str, known: dict[str, Any]) -> list[str]:
    """Ids in ``known`` whose object's ``name`` holds ``value`` as a word (case aside; 3 letters or more).

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> _named("graphite", {"aam": N(name="Anode active material, natural graphite"), "ore": N(name="Ore")})
    ['aam']
    """
    word = value.strip().lower()
    if len(word) < 3:
        return []
    return [k for k, obj in known.items()
            if isinstance(getattr(obj, "name", None), str) and re.search(rf"\b{re.escape(word)}\b", obj.name.lower())]


#: An unknown id with no close match lists the known ids when there are at most this many.
_LIST_AT_MOST = 40


def check_known(value: str, known: Iterable[str], field: str, kind: str, ident: str = "") -> str:
    """Raise `UnknownIdError` listing close matches if ``value`` is unknown."""
    if not isinstance(value, str):  # a list or table where an id belongs (unhashable, unprintable)
        raise fail(field, "an id (a string)", value, kind, ident)
    if not isinstance(known, (dict, set, frozenset, list, tuple)):
        known = list(known)
    if value in known:  # a dict or set answers in O(1): large networks check many ids
        return value
    hits = close_matches(value, known)
    if isinstance(known, dict):  # ids of things with names: one whose name says the word ("graphite" -> "aam")
        hits += [k for k in _named(value, known) if k not in hits][:max(0, 5 - len(hits))]
    if hits:
        hint = f" Did you mean {', '.join(repr(h) for h in hits)}?"
    elif 0 < len(known) <= _LIST_AT_MOST:  # a short list (regions, commodities) helps more than nothing
        hint = f" Known: {', '.join(sorted(map(str, known)))}."
    else:
        hint = ""
    raise UnknownIdError(f"{field} {shown(value)}{_where(kind, ident)} is not a known id.{hint}")


#: `unknown_field` without a value (a scenario file's message names the line instead).
_NO_VALUE: Any = object()


def unknown_field(key: str, allowed: Iterable[str], kind: str, *, value: Any = _NO_VALUE,
                  first: Iterable[str] = ()) -> ArgumentError:
    """The error for a field ``key`` that ``kind`` does not take (the caller raises it): the one message of a
    model class called with an unknown keyword and of a scenario file's unknown key.

    It names the field, the value given (when ``value`` is passed), the close matches (`close_matches`) and
    then every field, close matches first: a field named by meaning ("loss" for "fraction_lost") is close
    to none. ``first`` lists fields to show before the others (a file's ``kind``).

    Examples
    --------
    >>> print(unknown_field("strat", ["exporter", "start", "end"], "ExportControl", value=5))
    field 'strat' is not a parameter of ExportControl (given 5). Did you mean 'start'? Its fields: start, exporter, end.
    >>> print(unknown_field("loss", ["fraction_lost"], "CapacityShock", first=["kind"]))
    field 'loss' is not a parameter of CapacityShock. Its fields: kind, fraction_lost.
    """
    allowed = list(allowed)
    hits = close_matches(key, allowed) if isinstance(key, str) else []
    hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
    given = "" if value is _NO_VALUE else f" (given {shown(value)})"
    fields = ", ".join([*first, *hits, *(f for f in allowed if f not in hits)])
    return ArgumentError(f"field {shown(key)} is not a parameter of {kind}{given}.{hint} Its fields: {fields}.")


def check_choice(value: Any, choices: Iterable[str], field: str, kind: str, ident: str = "", *,
                 also: str = "", meaning: Mapping[str, str] | None = None) -> Any:
    """Return ``value`` if it is one of ``choices``; else raise a `ValidationError` naming them and the close matches.

    The one check of every enumerated field (a mode, a method, an engine): the message lists the
    choices in their order (``'a' or 'b'`` for two) and, for a string, the close matches (`close_matches`), so a
    spelling slip such as ``"license"`` for ``"licence"`` says what was meant. ``also`` adds to the
    list what else is allowed (``" or None"``). ``meaning`` maps other words for a choice (lower case) to it,
    so ``"numpy"`` for an engine suggests ``"vector"``.

    Examples
    --------
    >>> check_choice("ban", ("ban", "licence", "quota"), "mode", "ExportControl")
    'ban'
    >>> check_choice("license", ("ban", "licence", "quota"), "mode", "ExportControl")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: mode must be one of 'ban', 'licence', 'quota' (did you mean 'licence'?); got 'license' for ExportControl.
    >>> check_choice(3, ("sobol", "src"), "method", "sensitivity")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: method must be 'sobol' or 'src'; got 3 for sensitivity.
    """
    options = tuple(choices)
    if isinstance(value, str) and value in options:
        return value
    # Choices are short words: a stricter cutoff than for ids keeps 'fast' from suggesting 'full'.
    hits = close_matches(value, options, cutoff=_CHOICE_CUTOFF) if isinstance(value, str) else []
    if isinstance(value, str) and meaning and meaning.get(value.strip().lower()) in options:
        hits = [meaning[value.strip().lower()]]
    hint = f" (did you mean {', '.join(map(repr, hits))}?)" if hits else ""
    listed = (" or ".join(map(repr, options)) if len(options) == 2 and not also
              else f"one of {', '.join(map(repr, options))}{also}")
    raise fail(field, listed + hint, value, kind, ident)


#: difflib ratio from which `check_choice` suggests a choice ('license' -> 'licence' is 0.86).
_CHOICE_CUTOFF = 0.6


def frozen_mapping(value: Any, field: str, kind: str, ident: str = "", *,
                   low: float = 0.0, low_open: bool = False) -> tuple[tuple[str, float], ...]:
    """Normalise a mapping of id -> number into a sorted tuple of pairs (hashable, immutable)."""
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        value = dict(value)
    if not isinstance(value, Mapping):
        raise fail(field, "a mapping of id to number", value, kind, ident)
    out = []
    for key, number in value.items():
        check_id(key, f"{field} key", kind)
        out.append((key, check_number(number, f"{field}[{shown(key)}]", kind, ident,
                                      low=low, low_open=low_open)))
    return tuple(sorted(out))


# Input limits ------------------------------------------------------------------------------------
# Bounds on day counts, magnitudes, rates and dates, so that no input can size an array beyond what a
# scenario can legitimately need, overflow a sampler or overflow date arithmetic over the horizon.

#: Largest day count (lead times, lags, delays, durations, horizons): 10 years.
MAX_DAYS = 3650.0
#: Largest dimensionless factor (demand factors, distribution parameters) unless stated.
MAX_MAGNITUDE = 1e6
#: Largest quantity in units or USD (capacities, rates, reserves, quotas, inventories, prices): large enough
#: for kilograms of a bulk mineral or USD per GWh, small enough that sums over runs and days stay finite.
MAX_QUANTITY = 1e12
#: Largest rate of random events per year (one a day on average).
MAX_RATE_PER_YEAR = 365.0
#: Earliest and latest calendar dates (scenario start dates and shock dates).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)
#: Largest distance in days of a shock's day number from day 0 (the span of the date range).
MAX_DAY_NUMBER = (MAX_DATE - MIN_DATE).days


def check_days(value: Any, field: str, kind: str, ident: str = "", *, low: float = 0.0,
               low_open: bool = False, whole: bool = False, high: float = MAX_DAYS) -> float:
    """Return a day count as a float in ``[low, high]`` (``high`` defaults to `MAX_DAYS`).

    Examples
    --------
    >>> check_days(45, "processing_delay", "ExportControl")
    45.0
    >>> check_days(1e9, "lead_time", "Lane", "CN.mine>US.ore")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: lead_time must be <= 3650 days (10 years); got 1000000000.0 for Lane 'CN.mine>US.ore'.
    """
    x = check_number(value, field, kind, ident, low=low, low_open=low_open)
    if x > high:
        years = f" ({high / 365:g} years)" if high == MAX_DAYS else ""
        raise fail(field, f"<= {high:g} days{years}", value, kind, ident)
    if whole and x != int(x):
        raise fail(field, f"a whole number of days >= {low:g}", value, kind, ident)
    return x


def check_magnitude(value: Any, field: str, kind: str, ident: str = "", *, low: float | None = 0.0,
                    low_open: bool = False, high: float = MAX_MAGNITUDE) -> float:
    """Return a finite number in ``[low, high]`` (``high`` defaults to `MAX_MAGNITUDE`).

    Use ``high=MAX_QUANTITY`` for quantities in units or USD.

    Examples
    --------
    >>> check_magnitude(1e308, "factor", "DemandShock")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: factor must be <= 1e+06; got 1e+308 for DemandShock.
    """
    return check_number(value, field, kind, ident, low=low, low_open=low_open, high=high)


#: The form of a date given as text, in scenario files and in Python alike.
DATE_FORM = "YYYY-MM-DD, a day that exists, e.g. 2025-03-01"


def not_in_calendar(value: str) -> str:
    """Why ``value``, in the form YYYY-MM-DD, is not a day of the calendar, in plain words; '' if it is one.

    Python's own reason ("day is out of range for month") names neither the month nor its length.

    Examples
    --------
    >>> not_in_calendar("2025-02-30"), not_in_calendar("2024-02-30"), not_in_calendar("2025-13-01")
    ('February 2025 has 28 days', 'February 2024 has 29 days', 'there are 12 months, not 13')
    >>> not_in_calendar("2025-04-00"), not_in_calendar("2025-03-01"), not_in_calendar("2025/03/01")
    ('days are numbered from 1', '', '')
    """
    import calendar
    parts = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value[:10])
    if parts is None:
        return ""
    year, month, day = (int(p) for p in parts.groups())
    if not 1 <= year <= 9999:
        return f"years run from 1 to 9999, not {year}"
    if not 1 <= month <= 12:
        return f"there are 12 months, not {month}"
    if day < 1:
        return "days are numbered from 1"
    length = calendar.monthrange(year, month)[1]
    if day > length:
        return f"{calendar.month_name[month]} {year} has {length} days"
    try:
        dt.date(year, month, day)
    except ValueError:   # beyond what the checks above know: say nothing rather than Python's words
        return "not a day of the calendar"
    return ""


def parse_date(value: str, field: str, kind: str, ident: str = "", *, expected: str = "a date") -> dt.date:
    """The date that the text ``value`` (YYYY-MM-DD) names; the one error, with its reason, otherwise.

    The one parser of dates given as text, for Python's shocks and scenarios and for scenario files,
    so that both say why a date is not one (``February 2025 has 28 days``).

    Examples
    --------
    >>> parse_date("2025-03-01", "start", "ExportControl")
    datetime.date(2025, 3, 1)
    >>> parse_date("2025-02-30", "start", "ExportControl", expected="a whole day number or a date")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: start must be a whole day number or a date (YYYY-MM-DD, a day that exists, e.g. 2025-03-01); got '2025-02-30' (February 2025 has 28 days) for ExportControl.
    """
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        why = not_in_calendar(value)
        raise ValidationError(f"{field} must be {expected} ({DATE_FORM}); got {shown(value)}"
                              f"{f' ({why})' if why else ''}{_where(kind, ident) if kind else ''}.") from None


def check_date(value: Any, field: str, kind: str, ident: str = "") -> dt.date:
    """Return a date within ``[MIN_DATE, MAX_DATE]`` (a datetime is cut to its date).

    Examples
    --------
    >>> check_date(dt.date(9999, 12, 1), "start_date", "Scenario")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: start_date must be a date from 1900-01-01 to 2200-12-31; got 9999-12-01 for Scenario.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date) or not MIN_DATE <= value <= MAX_DATE:
        raise fail(field, f"a date from {MIN_DATE} to {MAX_DATE}", value, kind, ident)
    return value


def check_day_number(value: Any, field: str, kind: str, ident: str = "") -> Any:
    """Check a shock's day number or date: a date in range, or a whole day within ``MAX_DAY_NUMBER`` of day 0.

    Examples
    --------
    >>> check_day_number(-2187, "start", "Tariff")
    -2187
    >>> check_day_number(2**70, "start", "Tariff")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: start must be a whole day number within 109937 days of day 0, or a date (YYYY-MM-DD); got 1180591620717411303424 for Tariff.
    """
    if isinstance(value, dt.date):
        return check_date(value, field, kind, ident)
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_DAY_NUMBER:
        raise fail(field, f"a whole day number within {MAX_DAY_NUMBER} days of day 0, or a date (YYYY-MM-DD)",
                   value, kind, ident)
    return value
