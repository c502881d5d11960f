"""Short text and HTML summaries of model objects, for terminals and notebooks.

A scenario of the shipped baseline holds hundreds of lanes; the dataclass
``repr`` of every field ran to 145,000 characters. These helpers describe an
object in a line or a small table instead (shared by ``Network``,
``Scenario`` and the results types).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["brief", "count_kinds", "html_table", "plural"]

_MAX_VALUE = 60


def plural(n: int, word: str) -> str:
    """``"1 lane"``, ``"2 lanes"``.

    Examples
    --------
    >>> plural(1, "lane"), plural(3, "facility")
    ('1 lane', '3 facilities')
    """
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def brief(item: Any) -> str:
    """A one-line description of a dataclass: its class and the fields that differ from their defaults.

    Values longer than 60 characters are cut with ``...``.

    Examples
    --------
    >>> from supplychain.model import Tariff
    >>> brief(Tariff(importer="US", exporter="CN", commodity="ndfeb_magnet", rate=1.0))
    "Tariff(importer='US', commodity='ndfeb_magnet', rate=1.0, exporter='CN')"
    """
    fields = dataclasses.fields(item)
    # A subclass's own fields (who, what, how much) first, inherited ones (start, end) after.
    inherited = {f.name for base in type(item).__mro__[1:] if dataclasses.is_dataclass(base)
                 for f in dataclasses.fields(base)}
    parts = []
    for f in sorted(fields, key=lambda f: f.name in inherited):
        value = getattr(item, f.name)
        if f.default is not dataclasses.MISSING and _same(value, f.default):
            continue
        if f.default_factory is not dataclasses.MISSING and _same(value, f.default_factory()):
            continue
        text = repr(value.isoformat()) if isinstance(value, dt.date) else repr(value)
        parts.append(f"{f.name}={text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE - 3] + '...'}")
    return f"{type(item).__name__}({', '.join(parts)})"


def _same(value: Any, default: Any) -> bool:
    try:
        return bool(value == default)
    except (TypeError, ValueError):
        return False


def count_kinds(items: Iterable[Any]) -> str:
    """``"2 ExportControl, 1 Tariff"``: how many items of each class, most frequent first."""
    counts = Counter(type(i).__name__ for i in items)
    return ", ".join(f"{n} {name}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def html_table(title: str, rows: Sequence[tuple[str, Any]], *, footer: str = "") -> str:
    """A small two-column HTML table (field, value) under a bold title, every text escaped.

    Examples
    --------
    >>> html_table("Network", [("regions", "CN, US")]).startswith("<div")
    True
    """
    body = "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
                   f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>" for k, v in rows)
    return (f"<div><strong>{html.escape(title)}</strong><table>{body}</table>"
            f"{footer}</div>")
