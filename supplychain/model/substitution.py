"""The one substitution: a new scenario with parameters (named by paths) set to values.

Every experiment, every uncertain parameter of an ensemble and every lever
goes through `substitute`; paths and derived fields are described in
`supplychain.model.paths`.

Implements docs/model.md §6.13 (parameter-paths).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .paths import (_DAY_FIELDS, _WINDOW_ORDER, ParameterPath, Usage, _day, _find_shocks, _network_item,
                    changed_shock, check_path, is_member, typed_value)
from .scenario import Scenario
from .shocks.base import Shock

__all__ = ["substitute", "applied_values"]


def substitute(scenario: Scenario, values: Mapping[str, Any], *, usage: Usage | None = None,
               name: str | None = None) -> Scenario:
    """A new scenario with each path in ``values`` set to its value (the scenario itself is unchanged).

    Parameters
    ----------
    scenario : Scenario
        The template; shocks and responses are addressed by their ``id``.
    values : mapping of str to value
        ``{path: value}``. Paths also set on the scenario's own
        ``uncertainties`` are fixed by this and dropped from them.
    usage : callable, optional
        ``usage(region, commodity) -> units/day``; needed for ``reserve_days``.
    name : str, optional
        Name of the new scenario (default: unchanged).

    Raises
    ------
    ValidationError, UnknownIdError
        If a path names nothing, or a value is out of the field's range (the
        shock's own check, naming the field).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock
    >>> sc = toy_scenario(200).with_shocks(CapacityShock(id="quake", region="CN", fraction_lost=0.5,
    ...                                                  start=10, end=40, announced=5))
    >>> new = substitute(sc, {"shocks.quake.start": 30.4, "shocks.quake.fraction_lost": 0.9})
    >>> q = new.shocks[0]
    >>> (q.start, q.end, q.announced, q.fraction_lost), sc.shocks[0].start
    ((30, 60, 25, 0.9), 10)
    >>> substitute(sc, {"shocks.quake.duration_days": 100}).shocks[0].end
    110
    >>> substitute(sc, {"shocks.quake.enabled": False}).shocks
    ()
    """
    paths = {key: check_path(key, shocks=scenario.shocks, responses=scenario.responses,
                             network=scenario.network) for key in values}
    per_shock: dict[tuple[str, str], dict[str, Any]] = {}
    per_item: dict[tuple[str, str], dict[str, Any]] = {}
    where: dict[tuple[str, str], dict[str, ParameterPath]] = {}
    for key, p in sorted(paths.items(), key=lambda kv: _WINDOW_ORDER.get(kv[1].field, 0)):
        target = per_shock if p.section in ("shocks", "responses") else per_item
        target.setdefault((p.section, p.ident), {})[p.field] = values[key]
        where.setdefault((p.section, p.ident), {})[p.field] = p
    changes: dict[str, Any] = {}
    # Groups before their members (a shorter id first), so a member's own value wins.
    targets = sorted(per_shock, key=lambda key: len(key[1]))
    for section in ("shocks", "responses"):
        edited: list[Shock | None] = []
        for s in getattr(scenario, section):
            merged: dict[str, Any] = {}
            located: dict[str, ParameterPath] = {}
            for key in targets:
                if key[0] == section and is_member(s.id, key[1]):
                    merged.update(per_shock[key])
                    located.update(where[key])
            edited.append(changed_shock(s, merged, scenario.start_date, usage, located) if merged else s)
        changes[section] = tuple(s for s in edited if s is not None)
    if per_item:
        net = scenario.network
        tables: dict[str, tuple[Any, ...]] = {}
        for (table, ident), fields in per_item.items():
            items = tables.get(table, getattr(net, table))
            by_name = {f.name: f for f in dataclasses.fields(items[0])}
            tables[table] = tuple(dataclasses.replace(item, **{k: typed_value(v, by_name[k]) for k, v in fields.items()})
                                  if item.id == ident else item for item in items)
        changes["network"] = dataclasses.replace(net, **tables)
    fixed = {str(p) for p in paths.values()}
    changes["uncertainties"] = tuple(u for u in scenario.uncertainties if u.path not in fixed)
    if name is not None:
        changes["name"] = name
    return scenario.replace(**changes)


def applied_values(scenario: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as `substitute` puts them into ``scenario``: whole days for days, typed numbers for typed fields.

    Two sets of values that are equal after this give the same scenario (each
    conversion is the one `substitute` makes, and making it twice changes
    nothing): an ensemble compiles and runs each distinct set once
    (`supplychain.run.uncertain.compile_runs`), and reports the values as the runs
    used them (`supplychain.results.ensemble.EnsembleResults.parameters`).
    Day fields (``start``, ``end``, ``announced``, ``duration_days``) are rounded
    to the nearest whole day (half to even); int fields too; values of other
    fields are unchanged unless every shock the path names types them alike.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock
    >>> sc = toy_scenario(200).with_shocks(CapacityShock(id="quake", region="CN", fraction_lost=0.5,
    ...                                                  start=10, end=40))
    >>> applied_values(sc, {"shocks.quake.duration_days": 33.7, "shocks.quake.fraction_lost": 0.25})
    {'shocks.quake.duration_days': 34, 'shocks.quake.fraction_lost': 0.25}
    >>> applied_values(sc, {"shocks.quake.start": 28.5})  # half to even, as Python's round
    {'shocks.quake.start': 28}
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        p = check_path(key, shocks=scenario.shocks, responses=scenario.responses, network=scenario.network)
        out[key] = _applied(scenario, p, value)
    return out


def _applied(scenario: Scenario, p: ParameterPath, value: Any) -> Any:
    if p.section not in ("shocks", "responses"):
        item = _network_item(scenario.network, p)
        return typed_value(value, {f.name: f for f in dataclasses.fields(item)}[p.field])
    if p.field in _DAY_FIELDS:
        return _day(value, p)
    if p.field in ("enabled", "reserve_days"):
        return value
    typed = {repr(typed_value(value, {f.name: f for f in dataclasses.fields(s)}[p.field]))
             for s in _find_shocks(getattr(scenario, p.section), p)}
    if len(typed) == 1:
        shock = _find_shocks(getattr(scenario, p.section), p)[0]
        return typed_value(value, {f.name: f for f in dataclasses.fields(shock)}[p.field])
    return value
