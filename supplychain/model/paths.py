"""Parameter paths: one name for any shock, response or network parameter, and the one substitution.

A path names one parameter of a scenario:

``shocks.<id>.<field>``, ``responses.<id>.<field>``
    a field of the disruption or response whose ``id`` is ``<id>``;
``network.<table>.<id>.<field>``
    a field of a region, commodity, facility, lane or demand (``<table>`` is
    ``regions``, ``commodities``, ``facilities``, ``lanes`` or ``demands``).

Several shocks may share an id, and an id ``group:member`` also belongs to
the group ``group``: a path naming a group sets the field in each of its
shocks (the start of every control in a package, the size of a joint
stockpile of three countries), and a path naming a member sets it in that
one only (applied after the group's).

Besides the dataclass fields, shocks and responses have four derived fields:

``start``
    moves the whole window: ``end`` and ``announced`` move by the same number
    of days, so the duration and the warning time stay as they were;
``duration_days``
    sets ``end = start + duration_days`` (applied after ``start``);
``enabled``
    false removes the shock or response from the scenario;
``reserve_days``
    (`StockpileRelease` only) sets ``reserve`` to
    that many days of the region's baseline usage of the commodity, which the
    caller supplies (``usage``; the experiment runner computes it from the
    steady state).

`supplychain.model.substitution.substitute` is the one place a value is put into a scenario: every
experiment, every uncertain parameter of an ensemble and every lever goes
through it. It returns a new, validated scenario; day values are rounded to
whole days.

Implements docs/model.md §6.13 (parameter-paths).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._validation import close_matches, fail
from ..errors import UnknownIdError, ValidationError
from ._checked import Checked
from .network import Network
from .shocks import StockpileRelease
from .shocks.base import Shock, to_day


__all__ = ["ParameterPath", "parse_path", "check_path", "changed_shock", "typed_value", "is_member",
           "DERIVED_FIELDS", "NETWORK_TABLES", "Usage"]

#: Fields every shock and response has besides its dataclass fields (see the module docstring).
DERIVED_FIELDS = ("start", "duration_days", "enabled", "reserve_days")
#: Network tables a path may address.
NETWORK_TABLES = ("regions", "commodities", "facilities", "lanes", "demands")
_DAY_FIELDS = ("start", "end", "announced", "duration_days")
#: Order in which the fields of one shock are applied: plain fields, then the window.
_WINDOW_ORDER = {"start": 1, "duration_days": 2}

#: Baseline daily usage of a commodity in a region: ``usage(region, commodity) -> units/day``.
Usage = Callable[[str, str], float]


@dataclass(frozen=True, slots=True)
class ParameterPath(Checked):
    """A parsed path: ``section`` (``shocks``, ``responses`` or a network table), ``ident`` and ``field``.

    Examples
    --------
    >>> parse_path("shocks.cn_gallium_ban.duration_days")
    ParameterPath(section='shocks', ident='cn_gallium_ban', field='duration_days')
    >>> parse_path("network.lanes.CN.mine>US.ore.capacity_per_day").ident
    'CN.mine>US.ore'
    """

    section: str
    ident: str
    field: str

    def __str__(self) -> str:
        prefix = self.section if self.section in ("shocks", "responses") else f"network.{self.section}"
        return f"{prefix}.{self.ident}.{self.field}"


def parse_path(path: Any) -> ParameterPath:
    """Split a path into its section, id and field (ids of network items may contain dots).

    Raises
    ------
    ValidationError
        If the path does not start with ``shocks.``, ``responses.`` or
        ``network.<table>.`` or lacks an id or a field.

    Examples
    --------
    >>> parse_path("shock.x.end")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: path must be 'shocks.<id>.<field>', 'responses.<id>.<field>' or 'network.<table>.<id>.<field>' (did you mean 'shocks'?); got 'shock.x.end' for parameter path.
    """
    expected = ("'shocks.<id>.<field>', 'responses.<id>.<field>' or 'network.<table>.<id>.<field>'")
    if not isinstance(path, str) or path.count(".") < 2:
        raise fail("path", expected, path, "parameter path")
    head, rest = path.split(".", 1)
    if head == "network":
        table, rest = rest.split(".", 1)
        if table not in NETWORK_TABLES or "." not in rest:
            hits = close_matches(table, NETWORK_TABLES)
            hint = f" (tables: {', '.join(NETWORK_TABLES)})" if not hits else f" (did you mean {hits[0]!r}?)"
            raise fail("path", expected + hint, path, "parameter path")
        head = table
    elif head not in ("shocks", "responses"):
        hits = close_matches(head, ("shocks", "responses", "network"))
        hint = f" (did you mean {hits[0]!r}?)" if hits else ""
        raise fail("path", expected + hint, path, "parameter path")
    ident, field = rest.rsplit(".", 1)
    if not ident or not field:
        raise fail("path", expected, path, "parameter path")
    return ParameterPath(head, ident, field)


def _shock_fields(shock: Shock) -> list[str]:
    return [f.name for f in dataclasses.fields(shock) if f.name != "id"] + [
        d for d in DERIVED_FIELDS if d != "reserve_days" or isinstance(shock, StockpileRelease)]


def is_member(shock_id: str | None, ident: str) -> bool:
    """True when ``shock_id`` is ``ident`` or a member ``ident:...`` of the group ``ident``."""
    return shock_id is not None and (shock_id == ident or shock_id.startswith(ident + ":"))


def _find_shocks(shocks: tuple[Shock, ...], p: ParameterPath) -> list[Shock]:
    ids = list(dict.fromkeys(name for s in shocks if s.id is not None
                             for name in (s.id.split(":")[0], s.id)))
    found = [s for s in shocks if is_member(s.id, p.ident)]
    if found:
        return found
    hits = close_matches(p.ident, ids)
    hint = f"did you mean {', '.join(map(repr, hits))}?" if hits else (
        f"known: {', '.join(map(repr, ids[:8]))}" if ids else "none has an id: give the shock id=...")
    raise UnknownIdError(f"{p}: no {p.section[:-1]} has id {p.ident!r} ({hint}).")


def _network_item(network: Network, p: ParameterPath) -> Any:
    items = getattr(network, p.section)
    ids = [item.id for item in items]
    if p.ident not in ids:
        hits = close_matches(p.ident, ids)
        hint = f" (did you mean {', '.join(map(repr, hits))}?)" if hits else ""
        raise UnknownIdError(f"{p}: no item of network.{p.section} has id {p.ident!r}{hint}.")
    return items[ids.index(p.ident)]


def _check_field(p: ParameterPath, known: list[str], kind: str) -> None:
    if p.field not in known:
        hits = close_matches(p.field, known)
        hint = f"did you mean {', '.join(map(repr, hits))}?" if hits else f"one of {', '.join(known)}"
        raise ValidationError(f"{p}: {p.field!r} is not a parameter of {kind} ({hint}).")


def check_path(path: str | ParameterPath, *, shocks: tuple[Shock, ...], responses: tuple[Shock, ...],
               network: Network) -> ParameterPath:
    """Parse ``path`` and check that it names an existing parameter (close matches are suggested).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock
    >>> sc = toy_scenario(50).with_shocks(CapacityShock(id="quake", region="CN", fraction_lost=0.5,
    ...                                                 start=10, end=20))
    >>> str(check_path("shocks.quake.fraction_lost", shocks=sc.shocks, responses=sc.responses,
    ...                network=sc.network))
    'shocks.quake.fraction_lost'
    >>> check_path("shocks.quake.fraction_lots", shocks=sc.shocks, responses=sc.responses,
    ...            network=sc.network)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: shocks.quake.fraction_lots: 'fraction_lots' is not a parameter of CapacityShock (did you mean 'fraction_lost', ...?).
    """
    p = path if isinstance(path, ParameterPath) else parse_path(path)
    if p.section in ("shocks", "responses"):
        for shock in _find_shocks(shocks if p.section == "shocks" else responses, p):
            _check_field(p, _shock_fields(shock), type(shock).__name__)
    else:
        item = _network_item(network, p)
        _check_field(p, [f.name for f in dataclasses.fields(item) if f.name != "id"], type(item).__name__)
    return p


def _day(value: Any, p: ParameterPath) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise fail(str(p), "a finite number of days", value, "substitute")
    return int(round(float(value)))


def typed_value(value: Any, field: dataclasses.Field[Any]) -> Any:
    """Whole days for int-typed fields; numbers as float otherwise; other values unchanged."""
    kind = str(field.type)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "int" in kind and "float" not in kind and math.isfinite(float(value)):
            return int(round(float(value)))
        return float(value) if "float" in kind or "Distribution" in kind else value
    return value


def changed_shock(shock: Shock, changes: dict[str, Any], start_date: Any, usage: Usage | None,
                   paths: dict[str, ParameterPath]) -> Shock | None:
    """``shock`` with ``changes`` applied (plain fields, then start, then duration); None if disabled."""
    if "enabled" in changes:
        enabled = changes.pop("enabled")
        if not isinstance(enabled, (bool, int, float)) or isinstance(enabled, float) and math.isnan(enabled):
            raise fail(str(paths["enabled"]), "true or false", enabled, "substitute")
        if not enabled:
            return None
    plain: dict[str, Any] = {}
    by_name = {f.name: f for f in dataclasses.fields(shock)}
    for name, value in changes.items():
        if name in _WINDOW_ORDER:
            continue
        if name == "reserve_days":
            if usage is None:
                raise ValidationError(f"{paths[name]}: reserve_days needs the baseline usage; substitute "
                                      "through an experiment or pass usage=.")
            days = float(value)
            if not math.isfinite(days) or days < 0:
                raise fail(str(paths[name]), "a number of days >= 0", value, "substitute")
            plain["reserve"] = days * usage(shock.region, shock.commodity)  # type: ignore[attr-defined]
        elif name in ("end", "announced"):
            plain[name] = _day(value, paths[name])
        else:
            plain[name] = typed_value(value, by_name[name])
    first = shock.start_day(start_date)
    if "start" in changes:
        new = _day(changes["start"], paths["start"])
        shift = new - first
        plain["start"] = new
        for when in ("end", "announced"):
            old = plain.get(when, getattr(shock, when))
            if old is not None:
                plain[when] = to_day(old, start_date, when, type(shock).__name__) + shift
        first = new
    if "duration_days" in changes:
        duration = _day(changes["duration_days"], paths["duration_days"])
        if duration < 1:
            raise fail(str(paths["duration_days"]), "a whole number of days >= 1", changes["duration_days"],
                       "substitute")
        plain["start"], plain["end"] = first, first + duration
    return dataclasses.replace(shock, **plain) if plain else shock
