"""Seeded fuzz cases: mutated copies of the shipped scenario files and crafted results archives.

Used by ``tests/test_fuzz.py`` (a small sample) and ``tools/fuzz.py`` (the full campaign). Every
case is a pure function of its seed, so a failure is reproduced by its seed alone.

A scenario case starts from one of ``supplychain/data/scenarios/*.toml`` and applies one to three
mutations: a value replaced by an extreme (0, negative, 1e9, 1e300, inf, nan, 2**70, a string, a
list, a table, a far date), a key deleted, an unknown key, an entry duplicated, a baseline network
item overridden with an extreme field, a shock of another kind added, a table swapped for a list,
or the text itself damaged (a header repeated, arrays nested 1,000 deep, a 200,000-character
value, truncation, stray bytes).

:func:`check_scenario` and :func:`check_archive` run a case and return its outcome: ``"error"``
(a clean error of ours) or ``"ok"`` (results that are finite, non-negative and conserve
material); anything else raises :class:`FuzzFailure` describing what went wrong.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io as stdio
import json
import math
import random
import shutil
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from supplychain.datasets.scenarios import SCENARIO_DIR

EXAMPLES = sorted(SCENARIO_DIR.glob("*.toml"))   # the scenarios shipped with the package

EXTREMES: list[Any] = [0, -1, -1e9, 1e9, 1e7, 1e300, -1e300, 1e308, 1e-300, math.inf, -math.inf, math.nan,
                       2**70, -2**70, 2**63, "x", "", "k" * 300, [], [1, "a"], {"a": 1}, {"kind": "fixed"},
                       True, dt.date(1, 1, 1), dt.date(9999, 12, 1), dt.date(9999, 12, 31), 0.5, 1.0,
                       {"kind": "lognormal", "mu": 1e-300, "sd": 1e300},
                       {"kind": "uniform", "low": 1e308, "high": 1e308},
                       {"kind": "normal", "mean": 1.0, "sd": 1e200}]

#: One valid shock of each kind on the baseline; mutations then push one field to an extreme.
SHOCK_TEMPLATES: list[dict[str, Any]] = [
    {"kind": "capacity_shock", "fraction_lost": 0.5, "region": "CN", "stage": "refinery", "start": 10,
     "end": 40, "destroy_inventory": 0.2, "recovery": "linear", "recovery_days": 20.0},
    {"kind": "logistics_shock", "origin_region": "CN", "lead_time_multiplier": 2.0, "start": 5, "end": 50},
    {"kind": "demand_shock", "region": "US", "commodity": "lithium_chem", "factor": 1.5, "start": 10},
    {"kind": "random_outage", "rate_per_year": 2.0, "duration": {"kind": "uniform", "low": 5.0, "high": 20.0},
     "stage": "refinery"},
    {"kind": "stockpile_release", "region": "US", "commodity": "lithium_chem", "reserve": 1000.0,
     "release_below_cover_days": 30.0, "max_release_per_day": 50.0, "start": 0},
    {"kind": "capacity_investment", "region": "US", "commodity": "lithium_chem", "added_capacity": 100.0,
     "build_lag_days": 10.0, "ramp_days": 5.0, "start": 0},
    {"kind": "safety_stock_change", "region": "KR", "commodity": "lithium_chem", "cover_days": 90.0, "start": 5},
    {"kind": "tariff", "importer": "US", "exporter": "CN", "commodity": "lithium_chem", "rate": 0.25,
     "switching_lag_days": 30, "start": 1},
    {"kind": "export_control", "exporter": "CN", "commodity": "lithium_chem", "mode": "licence",
     "approval_probability": 0.8, "processing_delay": {"kind": "uniform", "low": 10.0, "high": 30.0},
     "start": 10},
    {"kind": "export_control", "exporter": "CN", "commodity": "lithium_chem", "mode": "quota",
     "quota_per_period": 100.0, "period_days": 30, "start": 10},
]


#: The numeric extremes, drawn more often where a number was (the bounds are what is tested there).
NUMBERS: list[Any] = [x for x in EXTREMES if isinstance(x, (int, float)) and not isinstance(x, bool)]


def _extreme_for(old: Any, rng: random.Random) -> Any:
    """An extreme replacement for ``old``: mostly a numeric extreme where ``old`` is a number."""
    numeric = isinstance(old, (int, float)) and not isinstance(old, bool)
    pool = NUMBERS if numeric and rng.random() < 0.7 else EXTREMES
    return copy.deepcopy(rng.choice(pool))


class FuzzFailure(AssertionError):
    """A case ended in a traceback, a silent NaN, a negative stock or lost material."""


@dataclass(frozen=True)
class Case:
    """One fuzz case: a file name, its bytes and what was done to make it."""

    name: str
    data: bytes
    what: str


# Scenario mutations ----------------------------------------------------------------------------
def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every value in a TOML document (tables and arrays included, the root excluded)."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        out.append(path + (key,))
        out += _leaves(value, path + (key,))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _tables(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [()] + [p for p in _leaves(data) if isinstance(_get(data, p), dict)]


_BASE_CACHE: dict[str, Any] = {}


def _baseline_dict() -> dict[str, Any]:
    """The built-in baseline as plain data: network items to override in a file."""
    if not _BASE_CACHE:
        from supplychain.datasets.baseline import load_baseline
        from supplychain.io.scenario import scenario_to_dict
        _BASE_CACHE.update(scenario_to_dict(load_baseline()))
    return _BASE_CACHE


def _append(data: dict[str, Any], key: str, item: Any) -> None:
    """Append to the array ``data[key]`` (an earlier mutation may have made it something else)."""
    if isinstance(data.get(key), list):
        data[key].append(item)
    else:
        data[key] = [item]


def _set_value(data: dict[str, Any], rng: random.Random) -> str:
    paths = _leaves(data)
    path = rng.choice(paths)
    value = _extreme_for(_get(data, path), rng)
    _get(data, path[:-1])[path[-1]] = value
    return f"set {'.'.join(map(str, path))} = {value!r:.40}"


def _delete(data: dict[str, Any], rng: random.Random) -> str:
    paths = [p for p in _leaves(data) if isinstance(_get(data, p[:-1]), dict)]
    path = rng.choice(paths)
    del _get(data, path[:-1])[path[-1]]
    return f"delete {'.'.join(map(str, path))}"


def _unknown_key(data: dict[str, Any], rng: random.Random) -> str:
    path = rng.choice(_tables(data))
    _get(data, path)[rng.choice(["nmae", "x", "lead_tme", "start_dat", "kind2"])] = rng.choice(EXTREMES[:8])
    return f"unknown key in {'.'.join(map(str, path)) or 'root'}"


def _duplicate(data: dict[str, Any], rng: random.Random) -> str:
    arrays = [p for p in _leaves(data) if isinstance(_get(data, p), list) and _get(data, p)]
    if not arrays:
        return _set_value(data, rng)
    path = rng.choice(arrays)
    items = _get(data, path)
    items.append(copy.deepcopy(rng.choice(items)))
    return f"duplicate an entry of {'.'.join(map(str, path))}"


def _override_network(data: dict[str, Any], rng: random.Random) -> str:
    base = _baseline_dict()
    table = rng.choice(["regions", "commodities", "facilities", "lanes", "demands"])
    item = copy.deepcopy(rng.choice(base[table]))
    numeric = [k for k, v in item.items() if isinstance(v, (int, float, dict)) and not isinstance(v, bool)]
    field = rng.choice(numeric if numeric and rng.random() < 0.8 else sorted(item))
    item[field] = _extreme_for(item[field], rng)
    _append(data, table, item)
    return f"override a baseline {table} entry with {field} = {item[field]!r:.40}"


def _add_shock(data: dict[str, Any], rng: random.Random) -> str:
    shock = copy.deepcopy(rng.choice(SHOCK_TEMPLATES))
    field = rng.choice(sorted(shock))
    if field != "kind" or rng.random() < 0.3:
        shock[field] = _extreme_for(shock[field], rng)
    _append(data, "shocks", shock)
    return f"add a {shock.get('kind')!r:.30} shock with {field} = {shock[field]!r:.40}"


def _swap_container(data: dict[str, Any], rng: random.Random) -> str:
    paths = [p for p in _leaves(data) if isinstance(_get(data, p), (dict, list))] or [("scenario",)]
    path = rng.choice(paths)
    old = _get(data, path)
    _get(data, path[:-1])[path[-1]] = [old] if isinstance(old, dict) else ({"0": old} if rng.random() < 0.5 else 7)
    return f"swap the container at {'.'.join(map(str, path))}"


def _far_date(data: dict[str, Any], rng: random.Random) -> str:
    paths = [p for p in _leaves(data) if isinstance(_get(data, p), dt.date) or p[-1] in ("start", "end")]
    path = rng.choice(paths) if paths else ("scenario", "start_date")
    value = rng.choice([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1900, 1, 1), -10**9, 10**9, -1, 2**70])
    _get(data, path[:-1])[path[-1]] = value
    return f"set {'.'.join(map(str, path))} = {value!r}"


_DATA_OPS: list[Callable[[dict[str, Any], random.Random], str]] = [
    _set_value, _set_value, _set_value, _delete, _unknown_key, _duplicate, _override_network,
    _override_network, _add_shock, _add_shock, _add_shock, _swap_container, _far_date]


def _damage_text(text: str, rng: random.Random) -> tuple[str, str]:
    op = rng.randrange(6)
    if op == 0:
        return text + '\n[scenario]\nname = "again"\n', "repeat the [scenario] table"
    if op == 1:
        return text.replace("[scenario]\n", "[scenario]\nx = " + "[" * 1000 + "]" * 1000 + "\n", 1), \
            "arrays nested 1,000 deep"
    if op == 2:
        return text + '\n[[shocks]]\nkind = "' + "k" * 200_000 + '"\n', "a 200,000-character kind"
    if op == 3:
        cut = rng.randrange(len(text))
        return text[:cut], f"truncated at {cut}"
    if op == 4:
        at = rng.randrange(len(text))
        junk = rng.choice(["\x00", "]]", "= =", '"', "\ufffd", "[[", "{", "\\u"])
        return text[:at] + junk + text[at:], f"inserted {junk!r} at {at}"
    at = rng.randrange(len(text))
    return text[:at] + "\n" + text[at:], f"line break at {at}"


def scenario_case(seed: int) -> Case:
    """The mutated scenario file of fuzz case ``seed``."""
    rng = random.Random(seed)
    source = rng.choice(EXAMPLES)
    text = source.read_text(encoding="utf-8")
    if rng.random() < 0.15:
        text, what = _damage_text(text, rng)
        return Case(f"case{seed:05d}.toml", text.encode("utf-8"), f"{source.name}: {what}")
    data = tomllib.loads(text)
    whats = [rng.choice(_DATA_OPS)(data, rng) for _ in range(rng.choice((1, 1, 2, 3)))]
    try:
        out = tomli_w.dumps(data)
    except (TypeError, ValueError) as exc:  # e.g. a value TOML cannot hold: keep the case, as text
        out = text + f"\n# could not write the mutation: {exc}\n"
    return Case(f"case{seed:05d}.toml", out.encode("utf-8"), f"{source.name}: {'; '.join(whats)}")


# The audit's one-line reproducers (issue 8) ------------------------------------------------------
def issue_reproducers() -> list[Case]:
    """Each class of failure the audit of issue 8 reported, as a file on the baseline (run with 60 days)."""
    tariff = {"kind": "tariff", "importer": "US", "exporter": "CN", "commodity": "lithium_chem", "rate": 0.25,
              "start": 1}
    licence = {"kind": "export_control", "exporter": "CN", "commodity": "lithium_chem", "mode": "licence",
               "approval_probability": 0.9, "start": 5}
    outage = {"kind": "random_outage", "duration": {"kind": "uniform", "low": 5.0, "high": 20.0},
              "stage": "refinery"}
    lane = dict(_baseline_dict()["lanes"][0])

    def shock(**fields: Any) -> dict[str, Any]:
        return {"shocks": [fields]}

    def lane_with(lead_time: Any) -> dict[str, Any]:
        return {"lanes": [lane | {"lead_time": lead_time}]}

    docs: dict[str, dict[str, Any] | str] = {
        "nested_1000": "x = " + "[" * 1000 + "]" * 1000 + "\n",
        "lead_time_1e9": lane_with(1e9),
        "lead_time_1e7": lane_with(1e7),
        "lead_time_1e300": lane_with(1e300),
        "switching_lag_1e15": shock(**tariff, switching_lag_days=10**15),
        "switching_lag_2_70": shock(**tariff, switching_lag_days=2**70),
        "horizon_1e12": {"scenario": {"horizon_days": 10**12}},
        "processing_delay_1e9": shock(**licence, processing_delay=1e9),
        "processing_delay_2_70": shock(**licence, processing_delay=2**70),
        "processing_delay_lognormal": shock(**licence, processing_delay={"kind": "lognormal", "mu": 1e-300,
                                                                        "sd": 1e300}),
        "lead_time_multiplier_1e6": shock(kind="logistics_shock", origin_region="CN", lead_time_multiplier=1e6,
                                          start=5),
        "uniform_1e308": lane_with({"kind": "uniform", "low": 1e308, "high": 1e308}),
        "lognormal_sd_1e200": lane_with({"kind": "lognormal", "mu": 2.0, "sd": 1e200}),
        "outage_rate_1e300": shock(**outage, rate_per_year=1e300),
        "outage_rate_1e9": shock(**outage, rate_per_year=1e9),
        "start_date_9999": {"scenario": {"start_date": dt.date(9999, 12, 1)}},
        "base_list": {"scenario": {"base": ["baseline"]}},
        "demand_factor_1e308": shock(kind="demand_shock", region="US", commodity="lithium_chem", factor=1e308,
                                     start=5),
        "cover_days_1e308": shock(kind="safety_stock_change", region="KR", commodity="lithium_chem",
                                  cover_days=1e308, start=5),
        "front_load_days_1e308": shock(kind="export_control", exporter="CN", commodity="lithium_chem",
                                       announced=1, start=30, front_load_days=1e308),
        "reserve_1e308": shock(kind="stockpile_release", region="US", commodity="lithium_chem", reserve=1e308,
                               release_below_cover_days=30.0, start=0),
        "tariff_rate_100": shock(**(tariff | {"rate": 100.0})),
        "kind_200k": shock(kind="k" * 200_000),
        "unknown_commodity": shock(**(tariff | {"commodity": "nonexist"})),
    }
    cases = []
    for name, doc in docs.items():
        if isinstance(doc, str):
            text = '[scenario]\nbase = "baseline"\n' + doc
        else:
            head = {"base": "baseline"} | doc.get("scenario", {})
            text = tomli_w.dumps({**doc, "scenario": head})
        cases.append(Case(f"issue_{name}.toml", text.encode("utf-8"), f"issue 8 reproducer: {name}"))
    return cases


# Checks ----------------------------------------------------------------------------------------
@contextlib.contextmanager
def memory_cap(extra_bytes: int = 4 * 2**30) -> Iterator[None]:
    """Cap this process's address space at its current size plus ``extra_bytes`` (Linux; else no cap).

    A case whose arrays are sized by an unbounded number then fails fast with MemoryError instead
    of exhausting the machine (allocating is lazy, so an uncapped 23 GiB array gets the process
    killed only when it is filled).
    """
    try:
        import resource
        status = Path("/proc/self/status").read_text()
        size_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmSize:")))
    except (ImportError, OSError, StopIteration, ValueError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size_kb * 1024 + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _check_results(res: Any, where: str) -> None:
    from supplychain.metrics.balance import material_balance
    for name, arr in res.arrays.items():
        if not np.isfinite(arr).all():
            raise FuzzFailure(f"{where}: {name} has NaN or inf values")
        if (arr < -1e-6 * max(1.0, float(np.abs(arr).max()))).any():
            raise FuzzFailure(f"{where}: {name} is negative (min {float(arr.min()):.3g})")
    error = material_balance(res).max_relative_error
    if not error < 1e-6:
        raise FuzzFailure(f"{where}: material balance broken (relative error {error:.3g})")


def _ours(exc: BaseException) -> bool:
    from supplychain.errors import SupplyChainError
    return isinstance(exc, SupplyChainError)


def check_scenario(path: Path, *, engines: tuple[str, ...] = ("des", "vector"), n_runs: int | dict[str, int] = 2,
                   cli: bool = True, out: Path | None = None) -> str:
    """Run the CLI on each engine, then load and simulate on each engine; return "error" or "ok".

    ``n_runs`` is the runs of every engine, or a dict engine -> runs (the CLI runs as many). With
    ``out``, the CLI also writes its output folder there (plots included), which must then be
    complete, or absent after an error. A failure of the library says how the CLI ended.
    """
    runs = n_runs if isinstance(n_runs, dict) else dict.fromkeys(engines, n_runs)
    codes = [check_cli(path, out, engine=engine, runs=runs[engine]) for engine in engines] if cli else []
    try:
        return _check_library(path, engines, runs)
    except FuzzFailure as exc:
        if codes:
            raise FuzzFailure(f"{exc} (the CLI: exit {', '.join(map(str, codes))}, cleanly)") from exc
        raise


def _check_library(path: Path, engines: tuple[str, ...], n_runs: dict[str, int]) -> str:
    import warnings

    from supplychain.io.scenario import load_scenario
    from supplychain.run.simulate import simulate
    outcome = "ok"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            scenario = load_scenario(path).with_horizon(60)
        except Exception as exc:  # the check is on the exception's class
            if not _ours(exc):
                raise FuzzFailure(f"load_scenario: {type(exc).__name__}: {str(exc)[:200]}") from exc
            scenario, outcome = None, "error"
        for engine in engines if scenario is not None else ():
            try:
                res = simulate(scenario, engine=engine, n_runs=n_runs[engine], seed=1)
            except Exception as exc:  # the check is on the exception's class
                if not _ours(exc):
                    raise FuzzFailure(f"simulate({engine}): {type(exc).__name__}: {str(exc)[:200]}") from exc
                outcome = "error"
                break
            _check_results(res, f"simulate({engine})")
    return outcome


def check_cli(path: Path, out: Path | None = None, *, engine: str = "vector", runs: int = 2) -> int:
    """Run ``supplychain run FILE --horizon 60 --runs 2`` in-process: exit 0, or exit 2 with one error line."""
    from supplychain.cli.app import main
    if out is not None and out.exists():
        shutil.rmtree(out)
    err = stdio.StringIO()
    argv = ["run", str(path), "--horizon", "60", "--quiet", "--seed", "1", "--engine", engine, "--runs", str(runs)]
    argv += ["--out", str(out)] if out is not None else []
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(stdio.StringIO()):
        try:
            code = main(argv)
        except BaseException as exc:  # anything escaping main is a failure
            raise FuzzFailure(f"cli: {type(exc).__name__} escaped main: {str(exc)[:200]}") from exc
    lines = err.getvalue().splitlines()
    errors = [line for line in lines if not line.startswith("supplychain: warning: ")]
    if code == 0 and errors:
        raise FuzzFailure(f"cli: exit 0 with stderr {errors[:2]}")
    if code != 0 and (code != 2 or len(errors) != 1 or not errors[0].startswith("supplychain: error: ")
                      or len(errors[0]) > 1100):
        raise FuzzFailure(f"cli: exit {code} with stderr {[e[:200] for e in errors[:3]]}")
    if out is not None:
        written = sorted(p.name for p in out.iterdir()) if out.exists() else []
        expected = ["flows.png", "prices.png", "results.npz", "summary.csv", "timeseries.png"] if code == 0 else []
        if written != expected:
            raise FuzzFailure(f"cli: exit {code} left {written} in --out")
        leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]
        if leftovers:
            raise FuzzFailure(f"cli: temporary folders left: {leftovers}")
    return code


# Crafted archives ------------------------------------------------------------------------------
def _npz(members: dict[str, Any], compress: bool = True) -> bytes:
    buf = stdio.BytesIO()
    (np.savez_compressed if compress else np.savez)(buf, **members)
    return buf.getvalue()


def _members(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _meta(members: dict[str, Any]) -> dict[str, Any]:
    return json.loads(str(members["metadata"]))


def _with_meta(members: dict[str, Any], change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """``change`` edits the metadata in place, or returns a one-item list holding its replacement."""
    meta = _meta(members)
    new = change(meta)
    out = dict(members)
    out["metadata"] = np.array(json.dumps(new[0] if isinstance(new, list) else meta))
    return out


def _zip_bomb(members: dict[str, Any]) -> bytes:
    """A valid archive whose demand series declares 4 GB of zeros (deflate shrinks zeros ~1,000-fold)."""
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, value in members.items():
            if name != "series__demand":
                z.writestr(f"{name}.npy", _npy(value))
        header = stdio.BytesIO()
        np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                      "shape": (1000, 1000, 500)})
        with z.open("series__demand.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            member.write(bytes(2**24))  # 16 MiB written; the header declares 4 GB
    return buf.getvalue()


def _npy(arr: np.ndarray) -> bytes:
    buf = stdio.BytesIO()
    np.lib.format.write_array(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _lying_size(members: dict[str, Any]) -> bytes:
    """A series whose .npy header declares far more data than its zip entry holds."""
    raw = _npz(members)
    buf = stdio.BytesIO()
    with zipfile.ZipFile(stdio.BytesIO(raw)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "series__flow.npy":
                header = stdio.BytesIO()
                np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False,
                                                              "shape": (10**6, 10**3, 10**3)})
                data = header.getvalue() + data[len(header.getvalue()):]
            dst.writestr(info.filename, data)
    return buf.getvalue()


def archive_cases(valid: Path) -> list[Case]:
    """Crafted archives derived from the valid archive ``valid`` (at least 36 kinds)."""
    m = _members(valid)

    def drop(name: str) -> dict[str, Any]:
        return {k: v for k, v in m.items() if k != name}

    def meta_case(label: str, change: Callable[[dict[str, Any]], Any]) -> Case:
        return Case(f"{label}.npz", _npz(_with_meta(m, change)), f"metadata: {label}")

    def arr(name: str, value: Any, label: str) -> Case:
        return Case(f"{label}.npz", _npz(dict(m) | {name: value}), label)

    first_series = next(k for k in m if k.startswith("series__"))
    cases = [
        meta_case("meta_list", lambda d: [[1, 2, 3]]),
        meta_case("meta_number", lambda d: [42]),
        meta_case("meta_string", lambda d: ["hello"]),
        meta_case("meta_null", lambda d: [None]),
        meta_case("no_coords", lambda d: d.pop("coords")),
        meta_case("no_engine", lambda d: d.pop("engine")),
        meta_case("no_seed", lambda d: d.pop("seed")),
        meta_case("no_variables", lambda d: d.pop("variables")),
        meta_case("no_format", lambda d: d.pop("format")),
        meta_case("format_version_string", lambda d: d.__setitem__("format_version", "1")),
        meta_case("format_version_future", lambda d: d.__setitem__("format_version", 99)),
        meta_case("format_version_zero", lambda d: d.__setitem__("format_version", 0)),
        meta_case("seed_string", lambda d: d.__setitem__("seed", "7")),
        meta_case("seed_negative", lambda d: d.__setitem__("seed", -1)),
        meta_case("seed_float", lambda d: d.__setitem__("seed", 1.5)),
        meta_case("engine_unknown", lambda d: d.__setitem__("engine", "quantum")),
        meta_case("engine_list", lambda d: d.__setitem__("engine", ["des"])),
        meta_case("variables_dict", lambda d: d.__setitem__("variables", {"a": 1})),
        meta_case("variables_unknown", lambda d: d["variables"].append("nonsense")),
        meta_case("variables_missing_one", lambda d: d["variables"].pop(0)),  # production: always recorded
        meta_case("coords_list", lambda d: d.__setitem__("coords", [1, 2])),
        meta_case("coords_lane_short", lambda d: d["coords"]["lane"].pop()),
        meta_case("coords_numbers", lambda d: d["coords"].__setitem__("facility", list(range(
            len(d["coords"]["facility"]))))),
        meta_case("coords_region_wrong", lambda d: d["coords"]["region"]["demand"].__setitem__(0, "XX")),
        meta_case("coords_extra_axis", lambda d: d["coords"].__setitem__("extra", [])),
        Case("meta_nested_text.npz", _npz(dict(m) | {"metadata": np.array("[" * 100_000 + "]" * 100_000)}),
             "metadata text nested 100,000 deep"),
        Case("meta_not_json.npz", _npz(dict(m) | {"metadata": np.array("{not json")}), "metadata not JSON"),
        arr("metadata", np.arange(3.0), "metadata_numbers"),
        arr("scenario_toml", np.array("[scenario]\nx = " + "[" * 1000 + "]" * 1000), "scenario_nested"),
        arr("scenario_toml", np.array("not toml ]]"), "scenario_not_toml"),
        arr("scenario_toml", np.array('[scenario]\nbase = ["baseline"]'), "scenario_bad_base"),
        arr(first_series, m[first_series][:, :, :-1], "series_wrong_shape"),
        arr(first_series, m[first_series][:, :-1], "series_fewer_days"),
        arr(first_series, m[first_series].astype(np.int64), "series_int_dtype"),
        arr(first_series, m[first_series].astype("U3"), "series_text_dtype"),
        arr(first_series, np.full_like(m[first_series], np.nan), "series_nan"),
        arr(first_series, m[first_series][0], "series_2d"),
        arr("initial_inventory", m["initial_inventory"][:-1], "initial_inventory_short"),
        Case("no_series.npz", _npz(drop(first_series)), f"without {first_series}"),
        Case("no_metadata.npz", _npz(drop("metadata")), "without metadata"),
        Case("no_scenario.npz", _npz(drop("scenario_toml")), "without scenario_toml"),
        Case("empty.npz", b"", "an empty file"),
        Case("empty_zip.npz", _npz({}), "a zip with no members"),
        Case("npy_renamed.npz", _npy(np.arange(10.0)), "a .npy file renamed .npz"),
        Case("text.npz", b"hello, world\n", "a text file"),
        Case("truncated.npz", _npz(m)[: len(_npz(m)) // 2], "the first half of a valid archive"),
        Case("zip_bomb.npz", _zip_bomb(m), "declares 4 GB of zeros in a small file"),
        Case("lying_header.npz", _lying_size(m), "a header declaring 8e15 bytes"),
    ]
    assert len({c.name for c in cases}) == len(cases)
    return cases


def check_archive(path: Path) -> str:
    """Load a crafted archive: "error" for a clean ScenarioFileError, "ok" if it loads and works."""
    from supplychain.results import load_results
    try:
        res = load_results(path)
    except Exception as exc:  # the check is on the exception's class
        if not _ours(exc):
            raise FuzzFailure(f"load_results: {type(exc).__name__}: {str(exc)[:200]}") from exc
        if len(str(exc)) > 1000:
            raise FuzzFailure(f"load_results: message of {len(str(exc))} characters")
        return "error"
    # Loaded: it must then work as a Results does.
    res.summary()
    res.to_dataframe()
    _check_results(res, "loaded archive")
    return "ok"
