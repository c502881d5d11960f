"""Reading and writing scenarios (TOML) and results (``.npz``).

What belongs here: conversion between model objects and plain data
(`scenario_to_dict`, `scenario_from_dict`), the TOML file format
(`save_scenario`, `load_scenario`) Results archives are written by
`supplychain.results.archive`. Nothing here simulates.

A scenario file has a ``[scenario]`` table (``name``, ``horizon_days``,
``start_date``, optional ``seed``, ``shock_day``, ``price_feedback`` (false
when absent), ``against_record`` (what the record says the scenario gets
wrong; not inherited from ``base``) and ``base``) followed by arrays of
tables: ``[[regions]]``, ``[[commodities]]``, ``[[facilities]]``,
``[[lanes]]``, ``[[demands]]`` and ``[[shocks]]``. Keys are the fields of the
model classes. ``base = "baseline"`` starts from the built-in baseline: the
file then only adds shocks, changes the horizon or replaces/adds network items
by id. Every error names the file, the table entry, the field and the value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .._validation import SHOWN_CHARS, close_matches, parse_date, shown
from ..datasets.scenarios import scenario_path
from ..datasets.scenarios import scenarios as shipped_scenarios
from ..errors import ScenarioFileError, SupplyChainError, ValidationError
from ..model.dists import Fixed
from ..model.network import Commodity, Demand, Facility, Lane, Network, Region
from ..model.scenario import Scenario
from ..model.shocks.references import check_references, with_region_ids
from ..model.uncertainty import Uncertainty
from .files import PathLike, atomic_write, read_text, toml_key, toml_value

__all__ = ["scenario_to_dict", "scenario_from_dict", "dumps_scenario", "loads_scenario",
           "save_scenario", "load_scenario", "load_example", "BASES"]


#: Network tables in file order, with the model class each entry builds.
_TABLES: dict[str, type] = {"regions": Region, "commodities": Commodity, "facilities": Facility,
                            "lanes": Lane, "demands": Demand}
_SCENARIO_KEYS = ("name", "horizon_days", "start_date", "seed", "base", "shock_day", "price_feedback",
                  "against_record")
_TOP_KEYS = ("scenario", *_TABLES, "shocks", "uncertainties")
_MAPPING_FIELDS = ("recipe", "initial_inventory", "policies")  # Facility fields stored as pairs

#: Deepest nesting of arrays and tables a scenario file may use. A real file needs about 5
#: (file > [[shocks]] > entry > distribution table > values); 1,000 nested arrays would
#: otherwise exhaust Python's recursion limit in the parser or the model.
MAX_NESTING = 32

#: Exceptions that a model class or a parser may raise on a value of the wrong type or size and
#: that are turned into `ScenarioFileError` naming the place in the file: the wrong TOML
#: type (TypeError, AttributeError, KeyError), an out-of-range number (ValueError, OverflowError),
#: data sized by an unbounded number (MemoryError) and nesting too deep (RecursionError).
FOREIGN_ERRORS: tuple[type[BaseException], ...] = (
    TypeError, ValueError, AttributeError, KeyError, OverflowError, MemoryError, RecursionError)


def _baseline() -> Scenario:
    from ..datasets.baseline import load_baseline
    return load_baseline()


def _shipped(name: str) -> Callable[[], Scenario]:
    return lambda: load_example(name)


#: Named scenarios a file may start from with ``base = "..."`` and that the CLI runs by name: the
#: cited baseline and every scenario shipped in ``supplychain/data/scenarios/``.
BASES: dict[str, Callable[[], Scenario]] = {"baseline": _baseline}
BASES.update({name: _shipped(name) for name in shipped_scenarios()})


# Model -> plain data ---------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """TOML-ready plain data: no None, no tuples, no NumPy scalars; Fixed as a bare number."""
    if isinstance(value, Fixed):
        return value.value
    if hasattr(value, "to_dict"):
        return _plain(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _item_dict(item: Any) -> dict[str, Any]:
    out = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if isinstance(item, Facility) and f.name in _MAPPING_FIELDS:
            value = dict(value)
        if value is not None:
            out[f.name] = _plain(value)
    return out


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain-data form of a scenario: the content of a scenario file.

    Every field is written out (defaults included), so the file means the same
    thing even if a later version changes a default.

    Examples
    --------
    >>> from supplychain.model import Commodity, Demand, Facility, Lane, Network, Region, Scenario
    >>> net = Network((Region("CN"), Region("US")), (Commodity("ore", "t", 100.0),),
    ...               (Facility("CN.mine", "CN", "mine", "ore", 10.0),),
    ...               (Lane("CN.mine", "US.ore", "ore", lead_time=20),),
    ...               (Demand("US.ore", "US", "ore", 5.0),))
    >>> data = scenario_to_dict(Scenario(net, horizon_days=30, name="toy"))
    >>> data["scenario"]
    {'name': 'toy', 'horizon_days': 30, 'start_date': datetime.date(2025, 1, 1), 'price_feedback': False}
    >>> data["lanes"][0]["lead_time"], data["lanes"][0]["capacity_per_day"]
    (20.0, inf)
    """
    head: dict[str, Any] = {"name": scenario.name, "horizon_days": scenario.horizon_days,
                            "start_date": scenario.start_date}
    if scenario.seed is not None:
        head["seed"] = scenario.seed
    if scenario.shock_day_given:
        head["shock_day"] = scenario.shock_day
    # Written either way: a file read by a version with another default means the same.
    head["price_feedback"] = scenario.price_feedback
    if scenario.against_record:
        head["against_record"] = scenario.against_record
    net = scenario.network
    out: dict[str, Any] = {"scenario": head}
    for key in _TABLES:
        out[key] = [_item_dict(item) for item in getattr(net, key)]
    # Responses share the [[shocks]] table; Scenario routes them back to its responses on load.
    out["shocks"] = [_plain(s.to_dict()) for s in scenario.all_shocks]
    # Parameters drawn anew in each run (docs/model.md §6.13); omitted when there are none.
    out["uncertainties"] = [_plain(u.to_dict()) for u in scenario.uncertainties]
    return out


# Plain data -> model ---------------------------------------------------------------------------
def _where(source: str | None, table: str, index: int | None = None) -> str:
    place = table if index is None else f"{table} entry {index + 1}"
    return place if source is None else f"{source}, {place}"


def _foreign_message(exc: BaseException) -> str:
    """One bounded line for an error that is not ours (its text may quote a whole bad value)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, KeyError):
        text = f"missing or wrong key {text}"
    elif isinstance(exc, MemoryError):
        text = "a value is too large (out of memory while building the model)"
    elif isinstance(exc, RecursionError):
        text = "a value is nested too deeply"
    limit = 3 * SHOWN_CHARS
    return text if len(text) <= limit else text[:limit] + "..."


def _located(exc: BaseException, where: str) -> SupplyChainError:
    """The same kind of error with its location in front (ScenarioFileError for foreign errors)."""
    if isinstance(exc, SupplyChainError):
        return type(exc)(f"{where}: {exc}")
    return ScenarioFileError(f"{where}: {_foreign_message(exc)}")


def _bare(text: str) -> str:
    """A key as written in the file, cut like any shown value."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def _check_keys(data: Any, allowed: tuple[str, ...], required: tuple[str, ...], where: str,
                what: str) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise ScenarioFileError(f"{where}: entry must be a table of key = value pairs; got {shown(data)}.")
    ident = f" for {what} {shown(data['id'])}" if isinstance(data.get("id"), str) else f" for {what}"
    for key in data:
        if key not in allowed:
            hits = close_matches(str(key)[:200], allowed)
            hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
            raise ScenarioFileError(f"{where}: {_bare(str(key))} is not a known key{ident}; known keys are "
                                    f"{', '.join(allowed)}.{hint}")
    for key in required:
        if key not in data:
            raise ScenarioFileError(f"{where}: {key} must be given; got nothing{ident}.")
    return dict(data)


def _build(cls: type, data: Any, where: str) -> Any:
    fields = dataclasses.fields(cls)
    allowed = tuple(f.name for f in fields)
    required = tuple(f.name for f in fields if f.default is dataclasses.MISSING
                     and f.default_factory is dataclasses.MISSING)
    kwargs = _check_keys(data, allowed, required, where, cls.__name__)
    for f in fields:
        if f.default_factory is dict and not isinstance(kwargs.get(f.name, {}), Mapping):
            raise ScenarioFileError(f"{where}: {f.name} must be a table such as {{ key = value }}; "
                                    f"got {shown(kwargs[f.name])} for {cls.__name__} "
                                    f"{shown(kwargs.get('id', '?'))}.")
    try:
        return cls(**kwargs)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        # Values of the wrong TOML type (a number where a table belongs) surface as TypeError.
        raise _located(exc, where) from None


def _table(data: Mapping[str, Any], key: str, source: str | None) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise ScenarioFileError(f"{_where(source, key)}: {key} must be an array of tables "
                                f"([[{key}]] entries); got {shown(items)}.")
    return items


def _shock_from_dict(data: Any, where: str) -> Any:
    from ..model import shocks as shock_module
    build = getattr(shock_module, "shock_from_dict", None)
    if build is None:
        raise ScenarioFileError(f"{where}: shocks cannot be read by this version of supplychain "
                                "(supplychain.model.shocks.shock_from_dict is missing).")
    try:
        return build(dict(data) if isinstance(data, Mapping) else data)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        raise _located(exc, where) from None


def _region_ids(shock: Any, names: Mapping[str, str | None], where: str) -> Any:
    """``shock`` with each region written as a name (``"China"``) given as its id, as ``supplychain data`` takes.

    Names are resolved by `supplychain.model.shocks.references.with_region_ids`, the one alias table of
    files and Python (`Scenario` resolves the same names); what it does not know is left for
    `check_references` to refuse with close matches.
    """
    try:
        return with_region_ids(shock, names)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        raise _located(exc, where) from None


def _merge(base: tuple[Any, ...], extra: list[Any], where: str) -> tuple[Any, ...]:
    """Base items with file items replacing those of the same id, new ones appended."""
    by_id = {item.id: item for item in base}
    seen: set[str] = set()
    for item in extra:
        if item.id in seen:
            raise ValidationError(f"{where}: id must be unique; got {shown(item.id)} twice.")
        seen.add(item.id)
        by_id[item.id] = item
    return tuple(by_id.values())


def _head(data: Mapping[str, Any], source: str | None) -> dict[str, Any]:
    where = _where(source, "[scenario]")
    head = _check_keys(data.get("scenario", {}), _SCENARIO_KEYS, (), where, "Scenario")
    if isinstance(head.get("start_date"), str):
        # Accept a quoted ISO date too: a common slip when writing TOML by hand.
        try:
            head["start_date"] = parse_date(head["start_date"], "start_date", "")
        except ValidationError as exc:  # the one date parser's message, placed in the file
            raise ScenarioFileError(f"{where}: {str(exc).removesuffix('.')}.") from None
    return head


def _base_scenario(name: Any, where: str) -> Scenario:
    if not isinstance(name, str):
        raise ScenarioFileError(f"{where}: base must be the name of a built-in scenario "
                                f"({', '.join(map(repr, BASES))}); got {shown(name)}.")
    if name not in BASES:
        from .._validation import check_known
        try:
            check_known(name, BASES, "base", "Scenario")
        except SupplyChainError as exc:
            raise _located(exc, where) from None
    return BASES[name]()


def scenario_from_dict(data: Mapping[str, Any], *, source: str | None = None, name: str | None = None) -> Scenario:
    """Build a scenario from its plain-data form (see `scenario_to_dict`).

    Parameters
    ----------
    data : mapping
        Keys ``scenario``, ``regions``, ``commodities``, ``facilities``,
        ``lanes``, ``demands`` and ``shocks``, as in a scenario file.
    source : str, optional
        Where the data came from (a file name), put in front of error messages.
    name : str, optional
        The scenario's name when ``[scenario]`` gives none (`load_scenario` passes the file's stem, so
        ``my_ban.toml`` runs as ``'my_ban'``). Without either, a scenario built on ``base`` is named
        after it, with the file's shocks counted on a base named ``"baseline"`` (``"baseline + 2 shocks"``,
        which plots title by the shocks in words, `Scenario.title`), and a network of the file's own is
        ``"scenario"``.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioFileError
        If a table or key is missing, misspelt or of the wrong shape.
    ValidationError, UnknownIdError
        If a value is out of range or an id refers to nothing.

    Examples
    --------
    >>> scen = scenario_from_dict({
    ...     "scenario": {"name": "toy", "horizon_days": 10},
    ...     "regions": [{"id": "CN"}, {"id": "US"}],
    ...     "commodities": [{"id": "ore", "unit": "t", "price_usd": 100.0}],
    ...     "facilities": [{"id": "CN.mine", "region": "CN", "stage": "mine", "output": "ore",
    ...                     "capacity_per_day": 10.0}],
    ...     "lanes": [{"origin": "CN.mine", "destination": "US.ore", "commodity": "ore",
    ...                "lead_time": {"kind": "uniform", "low": 15, "high": 25}}],
    ...     "demands": [{"id": "US.ore", "region": "US", "commodity": "ore", "rate_per_day": 5.0}],
    ... })
    >>> scen.network.lane("CN.mine>US.ore").lead_time
    Uniform(low=15.0, high=25.0)
    >>> scenario_from_dict({"regions": [{"id": "CN", "nmae": "China"}]},
    ...                    source="toy.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    supplychain.errors.ScenarioFileError: toy.toml, [[regions]] entry 1: nmae is not a known key ... 'name'?
    """
    if not isinstance(data, Mapping):
        raise ScenarioFileError(f"{source or 'scenario'}: must be a table; got {shown(data)}.")
    _check_nesting(data, source or "scenario")
    _check_keys(data, _TOP_KEYS, (), source or "scenario", "scenario file")
    head = _head(data, source)
    items = {key: [_build(cls, entry, _where(source, f"[[{key}]]", i))
                   for i, entry in enumerate(_table(data, key, source))]
             for key, cls in _TABLES.items()}
    file_shocks = [_shock_from_dict(entry, _where(source, "[[shocks]]", i))
                   for i, entry in enumerate(_table(data, "shocks", source))]
    shocks = list(file_shocks)
    origins: dict[Any, str] = {}
    base_name = head.pop("base", None)
    where = source or "scenario"
    if base_name is not None:
        base = _base_scenario(base_name, _where(source, "[scenario]"))
        parts = {key: _merge(getattr(base.network, key), items[key], _where(source, f"[[{key}]]"))
                 for key in _TABLES}
        shocks = list(base.all_shocks) + file_shocks
        origins.update(base.shock_origins)
        from ..model.scenario import _derived_name
        head = {"name": name or _derived_name(base.name, None, tuple(file_shocks)), "horizon_days": base.horizon_days,
                "start_date": base.start_date, "seed": base.seed,
                "price_feedback": base.price_feedback} | head
    elif not items["facilities"] and not items["demands"]:
        raise ScenarioFileError(f"{where}: the scenario defines no network; add [[regions]], "
                                "[[commodities]], [[facilities]], [[lanes]] and [[demands]] tables, "
                                "or start from the baseline with base = \"baseline\" in [scenario].")
    else:
        parts = {key: tuple(value) for key, value in items.items()}
        if name is not None:
            head = {"name": name} | head
    try:
        network = Network(**parts)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        raise _located(exc, where) from None
    # An unknown id in a shock of this file is named by its [[shocks]] entry, as every other error in
    # that table is (Scenario would number it among the base's shocks and the responses instead).
    names = {r.id: getattr(r, "name", None) for r in network.regions}
    file_shocks = [_region_ids(shock, names, _where(source, "[[shocks]]", i)) for i, shock in enumerate(file_shocks)]
    shocks = shocks[:len(shocks) - len(file_shocks)] + file_shocks
    for i, shock in enumerate(file_shocks):
        check_references(shock, network, _where(source, "[[shocks]]", i))
    # Errors found when compiling name the same entries (an equal shock written twice: the first).
    written: dict[Any, str] = {}
    for i, shock in enumerate(file_shocks):
        written.setdefault(shock, _where(source, "[[shocks]]", i))
    origins.update(written)
    try:
        scenario = Scenario(network, shocks=tuple(shocks), shock_origins=tuple(origins.items()), **head)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        raise _located(exc, _where(source, "[scenario]")) from None
    uncertain = []
    for i, entry in enumerate(_table(data, "uncertainties", source)):
        try:
            uncertain.append(Uncertainty.from_dict(entry))
            scenario = scenario.replace(uncertainties=tuple(uncertain))
        except (SupplyChainError, *FOREIGN_ERRORS) as exc:
            raise _located(exc, _where(source, "[[uncertainties]]", i)) from None
    return scenario


def _check_nesting(data: Any, where: str) -> None:
    """Reject data nested deeper than `MAX_NESTING` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ScenarioFileError(f"{where}: arrays and tables are nested more than {MAX_NESTING} "
                                    "levels deep; a scenario file needs far fewer.")
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def dumps_scenario(scenario: Scenario) -> str:
    """The scenario as TOML text (what `save_scenario` writes).

    Examples
    --------
    >>> from supplychain.model import Commodity, Network, Region, Scenario
    >>> net = Network((Region("CN"),), (Commodity("ore", "t", 100.0),), (), (), ())
    >>> print(dumps_scenario(Scenario(net, horizon_days=30, name="empty")))
    # supplychain scenario file: read it with supplychain.io.load_scenario().
    <BLANKLINE>
    [scenario]
    name = "empty"
    horizon_days = 30
    start_date = 2025-01-01
    price_feedback = false
    <BLANKLINE>
    [[regions]]
    id = "CN"
    name = "CN"
    <BLANKLINE>
    [[commodities]]
    id = "ore"
    unit = "t"
    price_usd = 100.0
    name = "ore"
    elasticity = 1.0
    chain = ""
    <BLANKLINE>
    """
    data = scenario_to_dict(scenario)
    lines = ["# supplychain scenario file: read it with supplychain.io.load_scenario().", "",
             "[scenario]"]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in data["scenario"].items()]
    for key in (*_TABLES, "shocks", "uncertainties"):
        for entry in data[key]:
            lines += ["", f"[[{key}]]"]
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def loads_scenario(text: str, *, source: str | None = None, name: str | None = None) -> Scenario:
    r"""Parse scenario TOML text (see `load_scenario`); ``name`` as in `scenario_from_dict`.

    Examples
    --------
    >>> loads_scenario("[scenario]\nhorizon_days = ", source="bad.toml")
    Traceback (most recent call last):
    ...
    supplychain.errors.ScenarioFileError: bad.toml: invalid TOML: Invalid value (at end of document)
    """
    where = source or "scenario"
    if not isinstance(text, str):
        raise ScenarioFileError(f"{where}: scenario text must be a string; got {shown(text)}.")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from .toml_errors import date_message
        message = date_message(text, str(exc), source)   # an impossible date: name its field, not a column
        raise ScenarioFileError(message or f"{where}: invalid TOML: {_foreign_message(exc)}") from None
    except RecursionError:  # the parser recurses once per nested array or inline table
        raise ScenarioFileError(f"{where}: arrays and tables are nested more than {MAX_NESTING} "
                                "levels deep; a scenario file needs far fewer.") from None
    except (ValueError, MemoryError) as exc:  # e.g. an integer of 10,000 digits
        raise ScenarioFileError(f"{where}: invalid TOML: {_foreign_message(exc)}") from None
    try:
        return scenario_from_dict(data, source=source, name=name)
    except SupplyChainError as exc:  # an entry's field found wrong after parsing: its line too, as TOML's
        from .toml_errors import with_line
        message = with_line(text, str(exc))
        if message == str(exc):
            raise
        raise type(exc)(message) from None


def save_scenario(scenario: Scenario, path: PathLike) -> Path:
    """Write ``scenario`` to a TOML file (atomically) and return its path.

    ``load_scenario(save_scenario(s, p)) == s`` holds exactly.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from supplychain import load_baseline
    >>> scen = load_baseline().with_horizon(30)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = save_scenario(scen, pathlib.Path(tmp) / "baseline.toml")
    ...     load_scenario(path) == scen
    True
    """
    text = dumps_scenario(scenario)
    return atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def load_scenario(path: PathLike) -> Scenario:
    r"""Read a scenario TOML file.

    Parameters
    ----------
    path : str or path-like
        The ``.toml`` file.

    Returns
    -------
    Scenario
        Named by ``name`` under ``[scenario]``, else by the file's stem (``my_ban.toml``: ``'my_ban'``).

    Raises
    ------
    ScenarioFileError
        If the file is missing, is not valid TOML, or has a missing or unknown key.
    ValidationError, UnknownIdError
        If a value is out of range or an id refers to nothing (the message
        names the file, entry, field and value).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "shock.toml"
    ...     _ = path.write_text('[scenario]\nbase = "baseline"\nhorizon_days = 30\n')
    ...     scen = load_scenario(path)
    >>> scen.horizon_days, scen.name
    (30, 'shock')
    """
    return loads_scenario(read_text(path, "scenario"), source=str(path), name=Path(path).stem)


def load_example(name: str) -> Scenario:
    """A scenario shipped with the package, by name (see `supplychain.datasets.scenarios`).

    Parameters
    ----------
    name : str
        The file name without ``.toml``, e.g. ``"taiwan_blockade_magnets"``.

    Raises
    ------
    UnknownIdError
        If no shipped scenario has this name (the message lists them).

    Examples
    --------
    >>> s = load_example("taiwan_blockade_magnets")
    >>> s.name, s.horizon_days, len(s.shocks) > 0
    ('Taiwan blockade + magnet ban', 365, True)
    """
    return load_scenario(scenario_path(name))
