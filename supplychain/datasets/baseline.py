"""The built-in, cited baseline dataset: JP, KR, US, CN, TW and ROW in 2025.

The data live in readable TOML files under ``supplychain/data/baseline/``:
``regions.toml``, ``commodities.toml`` and one file per value chain
(``minerals.toml``, ``batteries.toml``, ``semiconductors.toml``). Every number
is written as ``{ value = ..., source = "..." }`` so that its origin (publication,
organisation, year, or the derivation/assumption behind it) sits next to it.
This module reads those files, refuses any number without a source, and builds
the `Scenario`.

Functions
---------
load_baseline
    The baseline scenario.
baseline_provenance, format_provenance
    One row per number with its unit and source, and a text table of them.
steady_state_production
    Baseline daily production of every facility implied by final demand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import tomllib
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import ScenarioFileError, ValidationError
from ..model import (
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
    Triangular,
)

__all__ = [
    "BASELINE_DIR",
    "BASELINE_FILES",
    "baseline_provenance",
    "format_provenance",
    "load_baseline",
    "steady_state_production",
    "with_random_lead_times",
]

#: Directory holding the built-in baseline data files.
BASELINE_DIR = Path(__file__).resolve().parent.parent / "data" / "baseline"
#: Files read, in order (regions and commodities first, so the chains can refer to them).
BASELINE_FILES = ("regions.toml", "commodities.toml", "minerals.toml", "batteries.toml", "semiconductors.toml",
                  "cycle_times.toml")

# Keys each kind of record may hold: plain (text) keys and sourced-number keys.
_TEXT_KEYS = {
    "region": {"id", "name"},
    "commodity": {"id", "name", "unit", "chain"},
    "facility": {"id", "region", "stage", "output", "scrap_input"},
    "demand": {"id", "region", "commodity", "segment"},
    "lane": {"origin", "destination", "commodity"},
    "cycle_time": {"stage", "output"},
}
_NUMBER_KEYS = {
    "region": set(),
    "commodity": {"price_usd", "elasticity", "input_cover_days", "output_cover_days"},
    "facility": {"capacity_per_day", "recipe", "restart_days", "restart_ramp_days", "scrap_recovery",
                 "scrap_days"},
    "demand": {"rate_per_day", "cover_days"},
    "lane": {"share", "lead_time_days", "freight_usd_per_unit"},
    "cycle_time": {"cycle_time_days"},
}
_REQUIRED = {
    "region": {"id"},
    "commodity": {"id", "unit", "chain", "price_usd", "elasticity", "input_cover_days", "output_cover_days"},
    "facility": {"id", "region", "stage", "output", "capacity_per_day"},
    "demand": {"id", "region", "commodity", "rate_per_day"},
    "lane": {"origin", "destination", "commodity", "share", "lead_time_days"},
    "cycle_time": {"stage", "output", "cycle_time_days"},
}
# Optional extra numbers allowed beside ``value`` in a sourced number (lead-time range).
_EXTRA_NUMBERS = {"low", "high"}


# ---------------------------------------------------------------------------------------------
# Reading and checking the files
# ---------------------------------------------------------------------------------------------

def _read_files(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Parse every baseline file; a missing or malformed file is a `ScenarioFileError`."""
    out: dict[str, dict[str, Any]] = {}
    for name in BASELINE_FILES:
        path = data_dir / name
        try:
            with path.open("rb") as fh:
                out[name] = tomllib.load(fh)
        except FileNotFoundError:
            raise ScenarioFileError(f"baseline data file {str(path)!r} is missing.") from None
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioFileError(f"baseline data file {str(path)!r} is not valid TOML: {exc}.") from None
    return out


def _item_id(kind: str, record: Mapping[str, Any]) -> str:
    """Readable id of a record: its ``id``, or ``origin>destination`` for a lane."""
    if kind == "lane":
        return f"{record.get('origin', '?')}>{record.get('destination', '?')}"
    if kind == "cycle_time":
        return f"{record.get('stage', '?')}:{record.get('output', '?')}"
    return str(record.get("id", "?"))


def _records(files: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(file, kind, record)`` for every record, checking the top-level layout."""
    for file, content in files.items():
        for kind, records in content.items():
            if kind not in _TEXT_KEYS:
                raise ValidationError(f"{file}: top-level table must be one of {sorted(_TEXT_KEYS)}; "
                                      f"got {kind!r}.")
            if not isinstance(records, list):
                raise ValidationError(f"{file}: {kind!r} must be an array of tables ([[{kind}]]); "
                                      f"got {type(records).__name__}.")
            for record in records:
                yield file, kind, record


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _sourced_numbers(file: str, kind: str, record: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(field, {value, source, ...})`` for every number in a record.

    Raises
    ------
    ValidationError
        If a number has no non-empty ``source`` beside it, or appears bare.
    """
    item = _item_id(kind, record)

    def bad(field: str, problem: str) -> ValidationError:
        return ValidationError(f"{file}: {kind} '{item}': field {field!r} {problem}; every number in the "
                               "baseline data needs a source, written as { value = ..., source = \"...\" }.")

    def walk(prefix: str, node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        if _is_number(node):
            raise bad(prefix, f"is a bare number ({node!r}) with no source")
        if isinstance(node, list):
            for i, sub in enumerate(node):
                yield from walk(f"{prefix}[{i}]", sub)
            return
        if not isinstance(node, Mapping):
            return
        if "value" in node:
            source = node.get("source")
            if not isinstance(source, str) or not source.strip():
                raise bad(prefix, f"has value {node['value']!r} but no source")
            if not _is_number(node["value"]):
                raise bad(prefix, f"must hold a number in 'value'; got {node['value']!r}")
            for key, extra in node.items():
                if key in ("value", "source"):
                    continue
                if key not in _EXTRA_NUMBERS or not _is_number(extra):
                    raise bad(f"{prefix}.{key}", f"is not allowed beside value/source (allowed: "
                                                 f"{sorted(_EXTRA_NUMBERS)}, numbers)")
            yield prefix, dict(node)
            return
        for key, sub in node.items():
            yield from walk(f"{prefix}.{key}" if prefix else str(key), sub)

    for key, sub in record.items():
        if key in _TEXT_KEYS[kind]:
            if _is_number(sub):
                raise bad(key, f"is a bare number ({sub!r}) with no source")
            continue
        yield from walk(key, sub)


def _check_keys(file: str, kind: str, record: Mapping[str, Any]) -> None:
    item = _item_id(kind, record)
    missing = _REQUIRED[kind] - set(record)
    if missing:
        raise ValidationError(f"{file}: {kind} '{item}' is missing {sorted(missing)}.")
    unknown = set(record) - _TEXT_KEYS[kind] - _NUMBER_KEYS[kind]
    if unknown:
        raise ValidationError(f"{file}: {kind} '{item}' has unknown keys {sorted(unknown)}; allowed: "
                              f"{sorted(_TEXT_KEYS[kind] | _NUMBER_KEYS[kind])}.")


def _checked(data_dir: Path) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Read all files and check layout, keys and sources; records grouped by kind."""
    grouped: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for file, kind, record in _records(_read_files(data_dir)):
        _check_keys(file, kind, record)
        for _ in _sourced_numbers(file, kind, record):
            pass
        grouped[kind].append((file, record))
    return grouped


# ---------------------------------------------------------------------------------------------
# Building the scenario
# ---------------------------------------------------------------------------------------------

def _v(entry: Mapping[str, Any]) -> float:
    return float(entry["value"])


def _lead_time(entry: Mapping[str, Any], random_lead_times: bool) -> Fixed | Triangular:
    """The documented central lead time, fixed, or a triangular draw over the documented range with it as the mode.

    The central value is the mode, not the mean: on the baseline's 2,089 lanes with a range the triangular's mean
    is 0.97-1.11 times it (median 1.00), so random lead times are not a mean-preserving spread of the fixed ones
    on the few lanes whose range is lopsided.
    """
    mean = _v(entry)
    low, high = entry.get("low"), entry.get("high")
    if random_lead_times and low is not None and high is not None and float(high) > float(low):
        return Triangular(float(low), mean, float(high))
    return Fixed(mean)


@functools.lru_cache(maxsize=8)
def _network(data_dir: str, random_lead_times: bool) -> Network:
    """Build (and cache: a Network is immutable) the baseline network from ``data_dir``."""
    grouped = _checked(Path(data_dir))
    regions = [Region(r["id"], r.get("name", "")) for _, r in grouped["region"]]
    commodities, cover_in, cover_out = [], {}, {}
    for _, c in grouped["commodity"]:
        commodities.append(Commodity(c["id"], unit=c["unit"], price_usd=_v(c["price_usd"]),
                                     name=c.get("name", ""), elasticity=_v(c["elasticity"]), chain=c["chain"]))
        cover_in[c["id"]] = _v(c["input_cover_days"])
        cover_out[c["id"]] = _v(c["output_cover_days"])

    def cover(table: dict[str, float], commodity: str, file: str, item: str) -> DaysOfCover:
        if commodity not in table:
            raise ValidationError(f"{file}: '{item}' uses commodity {commodity!r}, which commodities.toml "
                                  "does not define.")
        return DaysOfCover(table[commodity])

    # Cycle times by (stage, output), from cycle_times.toml; each must match some facility.
    cycle: dict[tuple[str, str], int] = {}
    for file, ct in grouped["cycle_time"]:
        key = (ct["stage"], ct["output"])
        if key in cycle:
            raise ValidationError(f"{file}: cycle time of stage {key[0]!r} making {key[1]!r} is given twice.")
        cycle[key] = round(_v(ct["cycle_time_days"]))  # whole days (§5.4)
    unused = set(cycle) - {(f["stage"], f["output"]) for _, f in grouped["facility"]}
    if unused:
        raise ValidationError(f"cycle_times.toml: no facility of stage and output {sorted(unused)}.")

    facilities = []
    for file, f in grouped["facility"]:
        recipe = {c: _v(e) for c, e in f.get("recipe", {}).items()}
        # Inputs are held at the buyer-side cover of each commodity, output at the producer-side cover.
        policies = {c: cover(cover_in, c, file, f["id"]) for c in recipe}
        policies[f["output"]] = cover(cover_out, f["output"], file, f["id"])
        facilities.append(Facility(f["id"], region=f["region"], stage=f["stage"], output=f["output"],
                                   capacity_per_day=_v(f["capacity_per_day"]), recipe=recipe,
                                   policies=policies, cycle_time_days=cycle.get((f["stage"], f["output"]), 0),
                                   restart_days=_v(f["restart_days"]) if "restart_days" in f else None,
                                   restart_ramp_days=_v(f["restart_ramp_days"]) if "restart_ramp_days" in f
                                   else None,
                                   scrap_input=f.get("scrap_input"),
                                   **{k: _v(f[k]) for k in ("scrap_recovery", "scrap_days") if k in f}))
    # A demand holds the buyer-side cover of its commodity unless it gives its own (an end-use segment, §5.5).
    demands = [Demand(d["id"], region=d["region"], commodity=d["commodity"], rate_per_day=_v(d["rate_per_day"]),
                      policy=DaysOfCover(_v(d["cover_days"])) if "cover_days" in d
                      else cover(cover_in, d["commodity"], file, d["id"]), segment=d.get("segment"))
               for file, d in grouped["demand"]]
    lanes = [Lane(l["origin"], l["destination"], l["commodity"],
                  lead_time=_lead_time(l["lead_time_days"], random_lead_times), share=_v(l["share"]),
                  freight_usd_per_unit=_v(l["freight_usd_per_unit"]) if "freight_usd_per_unit" in l else 0.0)
             for _, l in grouped["lane"]]
    return Network(regions=tuple(regions), commodities=tuple(commodities), facilities=tuple(facilities),
                   lanes=tuple(lanes), demands=tuple(demands))


def load_baseline(*, horizon_days: int = 365, start_date: dt.date = dt.date(2025, 1, 1),
                  random_lead_times: bool = False, data_dir: str | Path | None = None) -> Scenario:
    """The built-in baseline: critical minerals, batteries and chips among six regions.

    Six regions (JP, KR, US, CN, TW, ROW) and three value chains sharing
    minerals: mining and refining of lithium, cobalt, nickel, graphite,
    manganese, rare earths, gallium and germanium; cathode/anode materials,
    Li-ion cells and NdFeB magnets; silicon wafers, photoresist and HF, memory,
    advanced-logic and mature-node fabs, and packaging. Flows, capacities,
    shares, lead times, stocks and prices come from the cited data files; with
    no shock the network is in steady state.

    Parameters
    ----------
    horizon_days : int
        Number of simulated days.
    start_date : datetime.date
        Calendar date of day 0.
    random_lead_times : bool
        If True, each lane's lead time is triangular over its documented
        low/mode/high range instead of fixed at the mean.
    data_dir : str or Path, optional
        Read the data files from another directory (same layout); defaults to
        the built-in `BASELINE_DIR`.

    Returns
    -------
    Scenario
        Named ``"baseline"``, with no shocks.

    Raises
    ------
    ValidationError
        If a number in the data files has no source, or a value is invalid.
    ScenarioFileError
        If a data file is missing or is not valid TOML.

    Examples
    --------
    >>> s = load_baseline(horizon_days=30)
    >>> s.horizon_days, s.name
    (30, 'baseline')
    >>> sorted(r.id for r in s.network.regions)
    ['CN', 'JP', 'KR', 'ROW', 'TW', 'US']
    >>> s.network.facility("CN.refinery.gallium").stage
    'refinery'
    """
    path = Path(data_dir) if data_dir is not None else BASELINE_DIR
    network = _network(str(path.resolve()), bool(random_lead_times))
    return Scenario(network, horizon_days=horizon_days, start_date=start_date, name="baseline")


def with_random_lead_times(scenario: Scenario) -> Scenario:
    """``scenario`` with the baseline's random lead times on its lanes, as ``load_baseline(random_lead_times=True)``.

    For a scenario built on the built-in baseline network (the baseline itself,
    a shipped scenario or a scenario file with ``base = "baseline"``): each lane
    whose lead time is still the baseline's fixed mean becomes triangular over
    its documented low/mode/high range. A lane whose lead time the scenario
    changed keeps it; shocks, responses and uncertainties are kept.

    Parameters
    ----------
    scenario : Scenario
        A scenario on the baseline network (same lanes, by ``origin>destination``).

    Returns
    -------
    Scenario

    Raises
    ------
    ValidationError
        If the scenario's lanes are not the baseline's.

    Examples
    --------
    >>> s = with_random_lead_times(load_baseline(horizon_days=30))
    >>> s.network == load_baseline(horizon_days=30, random_lead_times=True).network
    True
    """
    fixed = _network(str(BASELINE_DIR.resolve()), False)
    drawn = {lane.id: lane.lead_time for lane in _network(str(BASELINE_DIR.resolve()), True).lanes}
    mean = {lane.id: lane.lead_time for lane in fixed.lanes}
    ids = [lane.id for lane in scenario.network.lanes]
    extra, missing = sorted(set(ids) - set(mean)), sorted(set(mean) - set(ids))
    if extra or missing:
        parts = []
        if extra:
            parts.append(f"{len(extra)} lane(s) not in the baseline ({', '.join(extra[:3])}"
                         f"{', ...' if len(extra) > 3 else ''})")
        if missing:
            parts.append(f"{len(missing)} baseline lane(s) missing ({', '.join(missing[:3])}"
                         f"{', ...' if len(missing) > 3 else ''})")
        raise ValidationError(f"random lead times come from the baseline's lead-time ranges, but scenario "
                              f"{scenario.name!r} is not on the baseline network: {'; '.join(parts)}. Give its "
                              "lanes distributions of their own (lead_time = Triangular(low, mode, high)).")
    lanes = tuple(dataclasses.replace(lane, lead_time=drawn[lane.id]) if lane.lead_time == mean[lane.id]
                  else lane for lane in scenario.network.lanes)
    return scenario.replace(network=dataclasses.replace(scenario.network, lanes=lanes))


# ---------------------------------------------------------------------------------------------
# Provenance
# ---------------------------------------------------------------------------------------------

def _unit(kind: str, field: str, record: Mapping[str, Any], units: Mapping[str, str]) -> str:
    """Unit of a sourced number, from the commodity units."""
    base = field.split(".")[0]
    if kind == "commodity":
        return {"price_usd": f"USD/{record.get('unit', '?')}", "elasticity": "sigma"}.get(base, "days")
    if kind == "facility":
        out = units.get(record.get("output", ""), "?")
        if base == "capacity_per_day":
            return f"{out}/day"
        if base == "recipe":
            return f"{units.get(field.split('.', 1)[-1], '?')} per {out}"
        if base in ("restart_days", "restart_ramp_days", "scrap_days"):
            return "days"
        if base == "scrap_recovery":
            return "fraction"
    if kind == "demand":
        return "days" if base == "cover_days" else f"{units.get(record.get('commodity', ''), '?')}/day"
    if kind == "cycle_time":
        return "days"
    if kind == "lane":
        return {"share": "fraction", "lead_time_days": "days",
                "freight_usd_per_unit": f"USD/{units.get(record.get('commodity', ''), '?')}"}.get(base, "?")
    return "?"


def baseline_provenance(*, data_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """One row per number in the baseline data files, with its unit and source.

    Parameters
    ----------
    data_dir : str or Path, optional
        Directory of the data files; defaults to the built-in baseline.

    Returns
    -------
    list of dict
        Keys ``file``, ``item`` (record id; ``origin>destination`` for a lane),
        ``field`` (e.g. ``capacity_per_day`` or ``recipe.lithium_chem``),
        ``value``, ``unit`` and ``source``. A lead time's documented range
        appears as extra rows ``lead_time_days.low`` and ``lead_time_days.high``.

    Raises
    ------
    ValidationError
        If a number has no source.

    Examples
    --------
    >>> rows = baseline_provenance()
    >>> row = next(r for r in rows if r["item"] == "CN.mine.lithium_ore")
    >>> row["field"], row["unit"]
    ('capacity_per_day', 't Li/day')
    >>> all(r["source"] for r in rows)
    True
    """
    path = Path(data_dir) if data_dir is not None else BASELINE_DIR
    files = _read_files(path)
    units = {c["id"]: c.get("unit", "?") for c in files.get("commodities.toml", {}).get("commodity", [])}
    rows: list[dict[str, Any]] = []
    for file, kind, record in _records(files):
        for field, entry in _sourced_numbers(file, kind, record):
            # A lead-time range (low/high) shares the source of its mean.
            for key in ("value", *sorted(_EXTRA_NUMBERS & set(entry))):
                name = field if key == "value" else f"{field}.{key}"
                rows.append({"file": file, "item": _item_id(kind, record), "field": name,
                             "value": float(entry[key]), "unit": _unit(kind, field, record, units),
                             "source": entry["source"].strip()})
    return rows


def format_provenance(rows: list[dict[str, Any]], *, max_source: int | None = None) -> str:
    """A readable text table of provenance rows (see `baseline_provenance`).

    Parameters
    ----------
    rows : list of dict
        Rows with keys ``file``, ``item``, ``field``, ``value``, ``unit``, ``source``.
    max_source : int, optional
        Cut sources longer than this many characters (with "..."); default: full text.

    Returns
    -------
    str
        One line per number under a header, columns aligned, sources last.

    Examples
    --------
    >>> rows = [{"file": "minerals.toml", "item": "CN.mine.lithium_ore", "field": "capacity_per_day",
    ...          "value": 199.8, "unit": "t Li/day", "source": "USGS MCS 2026"}]
    >>> print(format_provenance(rows))
    file           item                 field             value     unit      source
    minerals.toml  CN.mine.lithium_ore  capacity_per_day  199.8     t Li/day  USGS MCS 2026
    1 numbers, each with its source.
    """
    header = ("file", "item", "field", "value", "unit", "source")

    def value_text(x: Any) -> str:
        return f"{x:.6g}" if isinstance(x, (int, float)) and math.isfinite(x) else str(x)

    def source_text(s: str) -> str:
        s = " ".join(str(s).split())
        return s if max_source is None or len(s) <= max_source else s[:max(max_source - 3, 0)] + "..."

    table = [header] + [(str(r["file"]), str(r["item"]), str(r["field"]), value_text(r["value"]),
                         str(r["unit"]), source_text(r["source"])) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    # Values are short; keep them in a column at least as wide as "value" plus room to breathe.
    widths[3] = max(widths[3], 8)
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths)) + "  " + row[-1] for row in table]
    lines.append(f"{len(rows)} numbers, each with its source.")
    return "\n".join(line.rstrip() for line in lines)


# ---------------------------------------------------------------------------------------------
# Steady state
# ---------------------------------------------------------------------------------------------

def steady_state_production(network: Network) -> dict[str, float]:
    """Baseline daily production of every facility implied by final demand.

    Demand is propagated upstream: a buyer's daily use of a commodity (a
    demand's rate, or a facility's production times its recipe) is split over
    its incoming lanes by normalised share, and a facility produces the sum of
    the flows on its outgoing lanes. Facilities nobody buys from produce 0.

    Parameters
    ----------
    network : Network

    Returns
    -------
    dict of str to float
        Facility id -> units of output per day.

    Examples
    --------
    >>> prod = steady_state_production(load_baseline().network)
    >>> all(prod[f.id] <= f.capacity_per_day for f in load_baseline().network.facilities)
    True
    """
    incoming: dict[tuple[str, str], list[Lane]] = defaultdict(list)
    outgoing: dict[str, list[Lane]] = defaultdict(list)
    for lane in network.lanes:
        incoming[(lane.destination, lane.commodity)].append(lane)
        outgoing[lane.origin].append(lane)
    flow: dict[str, float] = {}

    def split(node: str, commodity: str, rate: float) -> None:
        lanes = incoming.get((node, commodity), [])
        total = sum(l.share for l in lanes)
        for lane in lanes:
            flow[lane.id] = rate * (lane.share / total if total > 0 else 1.0 / len(lanes))

    for d in network.demands:
        split(d.id, d.commodity, d.rate_per_day)
    # Visit a facility only once all its buyers are done (Kahn's algorithm on the lane graph).
    facilities = {f.id: f for f in network.facilities}
    pending = {fid: len({l.destination for l in outgoing.get(fid, []) if l.destination in facilities})
               for fid in facilities}
    suppliers_of: dict[str, set[str]] = defaultdict(set)
    for lane in network.lanes:
        if lane.destination in facilities:
            suppliers_of[lane.destination].add(lane.origin)
    ready = [fid for fid, n in pending.items() if n == 0]
    production: dict[str, float] = {}
    while ready:
        fid = ready.pop()
        f = facilities[fid]
        production[fid] = sum(flow.get(l.id, 0.0) for l in outgoing.get(fid, []))
        for commodity, ratio in dict(f.recipe).items():
            split(fid, commodity, production[fid] * ratio)
        for supplier in suppliers_of[fid]:
            pending[supplier] -= 1
            if pending[supplier] == 0:
                ready.append(supplier)
    return production
