"""Input checks shared by the model classes.

Each helper raises :class:`~supplychain.errors.ValidationError` with a message
of the form ``"{field} must be {constraint}; got {value!r} for {kind} '{id}'."``
so that a user can find the bad value in a large scenario file.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import UnknownIdError, ValidationError


def _where(kind: str, ident: str) -> str:
    return f" for {kind} '{ident}'" if ident else f" for {kind}"


def fail(field: str, constraint: str, value: Any, kind: str, ident: str = "") -> ValidationError:
    """Build the standard validation error (the caller raises it)."""
    return ValidationError(f"{field} must be {constraint}; got {value!r}{_where(kind, ident)}.")


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
        raise fail(field, f"<= {high:g}", value, kind, ident)
    return x


def check_probability(value: Any, field: str, kind: str, ident: str = "") -> float:
    """Return ``value`` as a float in [0, 1]."""
    return check_number(value, field, kind, ident, low=0.0, high=1.0)


def check_id(value: Any, field: str, kind: str) -> str:
    """Check that an identifier is a non-empty string without surrounding spaces."""
    if not isinstance(value, str) or not value or value.strip() != value:
        raise fail(field, "a non-empty string without surrounding spaces", value, kind)
    return value


def close_matches(value: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` known ids that look like ``value`` (difflib ratio >= 0.5)."""
    known = list(known)
    hits = difflib.get_close_matches(value, known, n=n, cutoff=0.5)
    if not hits:
        low = value.lower()
        hits = [k for k in known if low in k.lower() or k.lower() in low][:n]
    return hits


def check_known(value: str, known: Iterable[str], field: str, kind: str, ident: str = "") -> str:
    """Raise :class:`UnknownIdError` listing close matches if ``value`` is unknown."""
    if not isinstance(known, (dict, set, frozenset, list, tuple)):
        known = list(known)
    if value in known:  # a dict or set answers in O(1): large networks check many ids
        return value
    hits = close_matches(value, known)
    hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
    raise UnknownIdError(f"{field} {value!r}{_where(kind, ident)} is not a known id.{hint}")


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
        out.append((key, check_number(number, f"{field}[{key!r}]", kind, ident,
                                      low=low, low_open=low_open)))
    return tuple(sorted(out))
