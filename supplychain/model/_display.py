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

__all__ = ["brief", "count_kinds", "html_table", "plural", "shocks_title"]

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


def _what(shock: Any) -> str:
    """Who does what to which commodity, without the dates: ``CN ban on gallium``."""
    kind = type(shock).__name__
    commodity = getattr(shock, "commodity", None)
    if kind == "ExportControl":
        verb = {"ban": "ban on", "licence": "licensing of", "quota": "quota on"}.get(shock.mode, f"{shock.mode} on")
        to = f" to {', '.join(shock.destinations)}" if shock.destinations else ""
        return f"{shock.exporter} {verb} {{c}}{to}"
    if kind == "Tariff":
        origin = "" if shock.exporter == "*" else f" from {shock.exporter}"
        return f"{shock.importer} {shock.rate:.0%} tariff on {{c}}{origin}"
    if kind == "CapacityShock":
        where = " ".join(x for x in (shock.facility, shock.region, shock.stage) if x) or "all facilities"
        return f"{where} capacity -{shock.fraction_lost:.0%}"
    if kind == "LogisticsShock":
        return _lanes_in_words(shock, commodity)
    if kind == "DemandShock":
        return f"{shock.region} demand for {{c}} x{shock.factor:g}"
    if kind == "StockpileRelease":
        return f"{shock.region} stockpile release of {{c}}"
    if kind == "RandomOutage":
        where = " ".join(x for x in (shock.facility, shock.region, shock.stage) if x) or "any facility"
        return f"random outages at {where}"
    who = getattr(shock, "region", None) or getattr(shock, "facility", None) or ""
    return f"{who} {kind}{' of {c}' if commodity else ''}".strip()


def shocks_title(shocks: Sequence[Any], start_date: dt.date, *, most: int = 2) -> str:
    """A title from the shocks: ``CN ban on gallium, gallium_crude from 2025-03-01, 184 days``.

    Shocks that differ only in their commodity are told once; beyond ``most`` phrases, ``+ N more``.
    Plots use it (`Scenario.title`) when the scenario's name was derived (``baseline + 1 shock``).

    Examples
    --------
    >>> import datetime as dt
    >>> from supplychain.model import ExportControl, StockpileRelease, Tariff
    >>> ban = [ExportControl(exporter="CN", commodity=c, start="2025-03-01", end="2025-08-28")
    ...        for c in ("gallium", "gallium_crude")]
    >>> shocks_title(ban, dt.date(2025, 1, 1))
    'CN ban on gallium, gallium_crude from 2025-03-01, 180 days'
    >>> aid = StockpileRelease(region="KR", commodity="gallium", reserve=10.0, release_below_cover_days=30, start=59)
    >>> shocks_title([Tariff(importer="US", exporter="CN", commodity="ndfeb_magnet", rate=0.25), aid],
    ...              dt.date(2025, 1, 1))
    'US 25% tariff on ndfeb_magnet from CN from 2025-01-01; KR stockpile release of gallium from 2025-03-01'
    """
    groups: dict[tuple[str, int, int | None], list[str]] = {}
    for s in shocks:
        start = s.start_day(start_date)
        end = None if s.end is None else s.span(start_date, 0)[1]   # the end's day (a method: no import)
        commodity = getattr(s, "commodity", None)
        groups.setdefault((_what(s), start, end), [])
        if commodity and commodity not in groups[(_what(s), start, end)]:
            groups[(_what(s), start, end)].append(commodity)
    phrases = []
    for (what, start, end), commodities in groups.items():
        when = f" from {(start_date + dt.timedelta(days=start)).isoformat()}"
        if end is not None:
            when += f", {end - start} day{'' if end - start == 1 else 's'}"
        phrases.append(what.replace("{c}", ", ".join(commodities) or "every commodity") + when)
    shown = phrases[:most]
    more = len(phrases) - len(shown)
    return "; ".join(shown) + (f" + {more} more" if more else "")



def _lanes_in_words(shock: Any, commodity: str | None) -> str:
    """A `LogisticsShock`'s lanes and what happens to them, in words, not the pattern ``*>*``.

    Examples
    --------
    >>> from supplychain.model import LogisticsShock
    >>> _lanes_in_words(LogisticsShock(through="TW", closed=True), None)
    'all lanes through TW closed'
    >>> _lanes_in_words(LogisticsShock(origin_region="CN", destination_region="US", lead_time_multiplier=1.3), "ore")
    'lanes of {c} from CN to US, lead times x1.3'
    >>> _lanes_in_words(LogisticsShock(destination_region="JP", closed=True), None)
    'lanes into JP closed'
    """
    where = "".join(f" {word} {region}" for word, region in (
        ("from", shock.origin_region), ("to" if shock.origin_region else "into", shock.destination_region),
        ("through", shock.through)) if region)
    lanes = ("lanes" if shock.origin_region or shock.destination_region else "all lanes") + (" of {c}" if commodity else "")
    how = " closed" if shock.closed else f", lead times x{shock.lead_time_multiplier:g}"
    return f"{lanes}{where}{how}"
