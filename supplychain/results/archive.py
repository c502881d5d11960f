"""Results archives: one ``.npz`` file holding a run's series, metadata and scenario.

`Results.save` writes one; `supplychain.load_results` (also importable from
`supplychain.results` and the top-level package) reads it back exactly.

An archive is a zip file of ``.npy`` members: ``metadata`` (JSON text), ``scenario_toml``
(the scenario as TOML text), ``initial_inventory``, ``initial_in_transit`` and one
``series__<variable>`` per recorded variable. `read_archive` trusts none of it: before
reading a member it checks the size the zip entry declares and the dtype and shape its ``.npy``
header declares against what the metadata implies, so a crafted file cannot make it allocate
more than those imply, nor more than `MAX_ARCHIVE_BYTES` in all (a compressed file of
zeros expands about 1,000-fold); then it checks every metadata field, every array against the
axis labels, and the labels against the embedded scenario. Any problem raises
`ScenarioFileError` naming the file and the problem.
"""

from __future__ import annotations

import dataclasses
import json
import math
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import numpy as np

from .._validation import shown
from ..engines.summary import RECOVER_AT, SUSTAIN_DAYS, TIMING_THRESHOLDS, TIMING_TOTALS
from ..errors import ScenarioFileError, SupplyChainError
from ..io.files import PathLike, atomic_write
from ..io.scenario import dumps_scenario, loads_scenario
from ..model.scenario import Scenario

if TYPE_CHECKING:
    from .ensemble import EnsembleResults
    from .series import Results

__all__ = ["save_results", "read_archive", "RawArchive", "save_ensemble", "read_ensemble_archive", "RawEnsemble",
           "MAX_ARCHIVE_BYTES", "MAX_TEXT_BYTES"]

#: Most bytes the members of one archive may declare, in all, once decompressed (8 GiB).
MAX_ARCHIVE_BYTES = 8 * 2**30
#: Most bytes the metadata or the embedded scenario may declare (each stored as UTF-32 text).
MAX_TEXT_BYTES = 256 * 2**20

_RESULTS_FORMAT = "supplychain.results"
_RESULTS_VERSION = 1
_ARRAY_PREFIX = "series__"
_ENSEMBLE_FORMAT = "supplychain.ensemble"
_ENSEMBLE_VERSION = 1
#: Per-run totals of an ensemble summary, each ``(n_runs, n_demands)``.
_TOTALS = ("demand", "delivered", "served_on_day", "stockout_days")
_TOTAL_PREFIX = "totals__"
#: Per-run totals per lane of an ensemble summary, each ``(n_runs, n_lanes)`` (absent in older archives).
_LANE_TOTALS = ("lane_flow", "lane_tariff_units", "lane_extra_usd")
_LANE_PREFIX = "lanes__"
_BAND_PREFIX = "band__"
_T = TypeVar("_T")


def save_results(results: Results, path: PathLike) -> Path:
    """Write results to one ``.npz`` archive, atomically; see `Results.save`.

    The archive holds every daily series, the initial state, JSON metadata
    (engine, seed, axis labels, versions, whether compiled loops ran) and the
    scenario as TOML text, so
    `supplychain.load_results` needs nothing else.
    """
    from .._version import __version__
    coords = results.coords
    meta = {
        "format": _RESULTS_FORMAT, "format_version": _RESULTS_VERSION, "supplychain_version": __version__,
        "engine": results.engine, "seed": results.seed, "variables": list(results.arrays),
        "coords": {f.name: getattr(coords, f.name) for f in dataclasses.fields(coords)},
        "compiled_loops": results.compiled_loops,
    }
    payload: dict[str, Any] = {f"{_ARRAY_PREFIX}{name}": arr for name, arr in results.arrays.items()}
    payload |= {"initial_inventory": results.initial_inventory,
                "initial_in_transit": results.initial_in_transit,
                "metadata": np.array(json.dumps(meta)),
                "scenario_toml": np.array(dumps_scenario(results.scenario))}
    return atomic_write(path, lambda handle: np.savez_compressed(handle, **payload))


#: Engines an archive may name (the ``engine`` argument of `supplychain.simulate`).
_ENGINES = ("des", "vector")
#: Item axes of `Coords` and its per-item label tables.
_AXES = ("facility", "lane", "demand", "stock")
_LABELS = ("region", "commodity")
_META_KEYS = ("format", "format_version", "supplychain_version", "engine", "seed", "variables", "coords")


@dataclass(frozen=True)
class RawArchive:
    """The parts of a results archive, checked but not yet turned into `Results`."""

    engine: str
    seed: int | None
    coords: dict[str, Any]
    arrays: dict[str, np.ndarray]
    initial_inventory: np.ndarray
    initial_in_transit: np.ndarray
    scenario_toml: str
    scenario: Scenario
    compiled_loops: bool | None = None


class _Bad(Exception):
    """A problem with the archive's content; read_archive adds the file name."""


def read_archive(path: PathLike, variable_axes: Mapping[str, str] | None = None, *,
                 optional: frozenset[str] = frozenset(), max_bytes: int = MAX_ARCHIVE_BYTES) -> RawArchive:
    """Read and check the parts of an archive written by `save_results`.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` file.
    variable_axes : mapping of str to str, optional
        The variables an archive must hold, each with the axis (``"facility"``,
        ``"lane"``, ``"demand"`` or ``"stock"``) that labels its last dimension;
        `supplychain.load_results` passes
        `VARIABLE_AXES`. Without it, the archive's own
        list of variables is used and each series' last dimension must match one axis.
    optional : frozenset of str
        Variables of ``variable_axes`` that an archive may leave out (series recorded only when
        the scenario has their mechanism, such as ``released``).
    max_bytes : int
        Most bytes all members may declare once decompressed.

    Returns
    -------
    RawArchive
        The checked parts, the embedded scenario parsed.

    Raises
    ------
    ScenarioFileError
        If the file is missing or is not a well-formed supplychain results archive.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     raw = read_archive(res.save(pathlib.Path(tmp) / "run.npz"))
    ...     _ = (pathlib.Path(tmp) / "fake.npz").write_bytes(b"PK")
    ...     read_archive(pathlib.Path(tmp) / "fake.npz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    supplychain.errors.ScenarioFileError: .../fake.npz: not a supplychain results file (not a .npz archive: ...).
    >>> raw.engine, raw.seed, raw.arrays["demand"].shape[:2]
    ('des', 3, (1, 10))
    """
    return _open(path, "results", lambda archive: _read(archive, path, variable_axes, optional, max_bytes))


def _open(path: PathLike, kind: str, read: Callable[[zipfile.ZipFile], _T]) -> _T:
    """Run ``read`` on the archive at ``path``; any failure becomes one ScenarioFileError naming the file."""
    try:
        with zipfile.ZipFile(path) as archive:
            return read(archive)
    except FileNotFoundError:
        raise ScenarioFileError(f"{path}: no such results file.") from None
    except IsADirectoryError:
        raise ScenarioFileError(f"{path}: is a folder, not a results file.") from None
    except SupplyChainError:
        raise
    except _Bad as exc:
        raise ScenarioFileError(f"{path}: not a supplychain {kind} file: {exc}") from None
    except zipfile.BadZipFile as exc:
        raise ScenarioFileError(f"{path}: not a supplychain {kind} file (not a .npz archive: {exc}).") from None
    except (OSError, EOFError, ValueError, KeyError, RecursionError, zipfile.LargeZipFile,
            NotImplementedError) as exc:  # unreadable or corrupt member (bad CRC, truncated, odd compression)
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ScenarioFileError(f"{path}: not a supplychain {kind} file ({text}).") from None


def _read(archive: zipfile.ZipFile, path: PathLike, variable_axes: Mapping[str, str] | None,
          optional: frozenset[str], max_bytes: int) -> RawArchive:
    budget = _Budget(archive, max_bytes)
    meta = _metadata(budget.text("metadata"))
    coords = _coords(meta["coords"])
    sizes = {axis: len(coords[axis]) for axis in _AXES}
    axes = _variable_axes(meta["variables"], variable_axes, optional)
    # Check every header against the others before reading any array.
    headers = {name: budget.header(f"{_ARRAY_PREFIX}{name}") for name in axes}
    shapes = {name: shape for name, (shape, _) in headers.items()}
    first = next(iter(shapes.values()))
    for name, shape in shapes.items():
        if len(shape) != 3 or shape[:2] != first[:2] or min(shape[:2], default=0) < 1:
            raise _Bad(f"series {name!r} has shape {shape}; every series must be (runs, days, items) "
                       f"with the same runs and days, at least 1 each (first series: {first}).")
        want = sizes[axes[name]] if axes[name] else None
        if want is None and shape[2] not in sizes.values():
            raise _Bad(f"series {name!r} has {shape[2]} items, which matches no axis of the coords.")
        if want is not None and shape[2] != want:
            raise _Bad(f"series {name!r} has {shape[2]} items along its last dimension; its axis "
                       f"{axes[name]!r} has {want} labels.")
    for name, (_, dtype) in headers.items():
        _float_dtype(dtype, f"series {name!r}")
    initial = {"initial_inventory": sizes["stock"], "initial_in_transit": sizes["lane"]}
    for member, n in initial.items():
        shape, dtype = budget.header(member)
        if shape != (n,):
            raise _Bad(f"{member} has shape {shape}; expected ({n},) from the coords.")
        _float_dtype(dtype, member)
    text = budget.text("scenario_toml")
    try:
        scenario = loads_scenario(text, source=f"{path} (embedded scenario)")
    except SupplyChainError as exc:  # a bad embedded scenario is a bad results file
        raise ScenarioFileError(str(exc)) from None
    _match_scenario(coords, scenario, first[1])
    arrays = {name: budget.array(f"{_ARRAY_PREFIX}{name}") for name in axes}
    inventory, in_transit = (budget.array(member) for member in initial)
    return RawArchive(engine=meta["engine"], seed=meta["seed"], coords=coords, arrays=arrays,
                      initial_inventory=inventory, initial_in_transit=in_transit, scenario_toml=text,
                      scenario=scenario, compiled_loops=meta["compiled_loops"])


class _Budget:
    """Reads members of an archive, refusing any whose declared size breaks the bounds."""

    def __init__(self, archive: zipfile.ZipFile, max_bytes: int) -> None:
        self.archive = archive
        self.left = max_bytes
        self.headers: dict[str, tuple[tuple[int, ...], np.dtype[Any], bool, int]] = {}

    def _info(self, member: str) -> zipfile.ZipInfo:
        try:
            return self.archive.getinfo(f"{member}.npy")
        except KeyError:
            raise _Bad(f"it has no {member!r} member.") from None

    def _header(self, member: str) -> tuple[tuple[int, ...], np.dtype[Any], bool, int]:
        if member in self.headers:
            return self.headers[member]
        info = self._info(member)
        with self.archive.open(info) as handle:
            shape, fortran, dtype, offset = _npy_header(handle, member)
        if dtype.hasobject:
            raise _Bad(f"{member} holds Python objects; a results file holds numbers and text only.")
        nbytes = math.prod(shape) * dtype.itemsize
        if info.file_size != offset + nbytes:
            raise _Bad(f"{member} declares {shape} {dtype} ({nbytes:,} bytes) but its zip entry "
                       f"holds {info.file_size - offset:,} bytes.")
        if nbytes > self.left:
            raise _Bad(f"{member} would take {nbytes:,} bytes once decompressed; an archive may hold "
                       f"at most {MAX_ARCHIVE_BYTES:,} in all.")
        self.left -= nbytes
        self.headers[member] = (shape, dtype, fortran, offset)
        return self.headers[member]

    def header(self, member: str) -> tuple[tuple[int, ...], np.dtype[Any]]:
        shape, dtype, _, _ = self._header(member)
        return shape, dtype

    def array(self, member: str, *, infinite: bool = False) -> np.ndarray:
        """The member's array as float64, checked finite (``infinite=True``: ``inf`` allowed, ``NaN`` never)."""
        shape, dtype, _, _ = self._header(member)
        with self.archive.open(f"{member}.npy") as handle:
            arr = np.lib.format.read_array(handle, allow_pickle=False)
        if arr.shape != shape or arr.dtype != dtype:  # pragma: no cover - the header was read twice
            raise _Bad(f"{member} changed between two reads.")
        arr = arr.astype(np.float64, copy=False)
        if not (np.isfinite(arr) | (infinite & (arr == np.inf))).all():
            raise _Bad(f"{member} holds NaN or infinite values; results are finite.")
        return arr

    def text(self, member: str) -> str:
        shape, dtype, _, _ = self._header(member)
        if shape != () or dtype.kind != "U":
            raise _Bad(f"{member} must be one text value; got an array of shape {shape} and dtype {dtype}.")
        if dtype.itemsize > MAX_TEXT_BYTES:
            raise _Bad(f"{member} declares {dtype.itemsize:,} bytes of text; at most {MAX_TEXT_BYTES:,}.")
        with self.archive.open(f"{member}.npy") as handle:
            return str(np.lib.format.read_array(handle, allow_pickle=False))


def _npy_header(handle: IO[bytes], member: str) -> tuple[tuple[int, ...], bool, np.dtype[Any], int]:
    """Shape, Fortran order, dtype and data offset declared by a ``.npy`` header."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, fortran, dtype = fmt.read_array_header_2_0(handle)
        else:
            raise _Bad(f"{member} uses .npy format version {version}; expected 1.0 or 2.0.")
    except (ValueError, EOFError, SyntaxError) as exc:
        raise _Bad(f"{member} is not a valid .npy array ({' '.join(str(exc).split())[:200]}).") from None
    if any(not isinstance(n, int) or n < 0 for n in shape):
        raise _Bad(f"{member} declares the shape {shape}.")
    return tuple(shape), bool(fortran), np.dtype(dtype), handle.tell()


def _float_dtype(dtype: np.dtype[Any], what: str) -> None:
    if dtype.kind != "f":
        raise _Bad(f"{what} has dtype {dtype}; expected floating-point numbers.")


def _metadata(text: str, fmt: str = _RESULTS_FORMAT, keys: tuple[str, ...] = _META_KEYS,
              newest: int = _RESULTS_VERSION) -> dict[str, Any]:
    try:
        meta = json.loads(text)
    except RecursionError:
        raise _Bad("metadata is nested too deeply.") from None
    except ValueError as exc:
        raise _Bad(f"metadata is not JSON ({exc}).") from None
    if not isinstance(meta, dict):
        raise _Bad(f"metadata must be a JSON object; got {shown(meta)}.")
    if meta.get("format") != fmt:
        other = {_RESULTS_FORMAT: "supplychain.load_results", _ENSEMBLE_FORMAT: "supplychain.load_ensemble"}
        hint = (f" It is {'a daily results' if meta.get('format') == _RESULTS_FORMAT else 'an ensemble summary'} "
                f"archive: read it with {other[meta['format']]}.") if meta.get("format") in other else ""
        raise _Bad(f"metadata does not name the {fmt} format; got format {shown(meta.get('format'))}.{hint}")
    missing = [key for key in keys if key not in meta]
    if missing:
        raise _Bad(f"metadata lacks {', '.join(missing)}.")
    version = meta["format_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _Bad(f"format_version must be a whole number >= 1; got {shown(version)}.")
    if version > newest:
        raise _Bad(f"format version {version} is newer than this library reads ({newest}); "
                   "upgrade supplychain.")
    if not isinstance(meta["supplychain_version"], str):
        raise _Bad(f"supplychain_version must be text; got {shown(meta['supplychain_version'])}.")
    if not isinstance(meta["engine"], str) or meta["engine"] not in _ENGINES:
        raise _Bad(f"engine must be one of {', '.join(map(repr, _ENGINES))}; got {shown(meta['engine'])}.")
    seed = meta["seed"]
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise _Bad(f"seed must be a non-negative whole number or null; got {shown(seed)}.")
    # Archives written before the field was kept do not say whether compiled loops ran.
    meta.setdefault("compiled_loops", None)
    if meta["compiled_loops"] is not None and not isinstance(meta["compiled_loops"], bool):
        raise _Bad(f"compiled_loops must be true, false or null; got {shown(meta['compiled_loops'])}.")
    return meta


def _labels(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"coords {what} must be a list of strings; got {shown(value)}.")
    return tuple(value)


def _coords(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != set(_AXES + _LABELS):
        keys = sorted(value) if isinstance(value, dict) else value
        raise _Bad(f"coords must be an object with the keys {', '.join(_AXES + _LABELS)}; got "
                   f"{shown(keys)}.")
    coords: dict[str, Any] = {axis: _labels(value[axis], axis) for axis in _AXES}
    for table in _LABELS:
        per_axis = value[table]
        if not isinstance(per_axis, dict) or not set(per_axis) <= set(_AXES):
            raise _Bad(f"coords {table} must map some of {', '.join(_AXES)} to label lists; "
                       f"got {shown(per_axis)}.")
        coords[table] = {axis: _labels(labels, f"{table}[{axis!r}]") for axis, labels in per_axis.items()}
        for axis, labels in coords[table].items():
            if len(labels) != len(coords[axis]):
                raise _Bad(f"coords {table}[{axis!r}] has {len(labels)} labels for "
                           f"{len(coords[axis])} {axis} items.")
    return coords


def _variable_axes(listed: Any, expected: Mapping[str, str] | None,
                   optional: frozenset[str]) -> dict[str, str | None]:
    if (not isinstance(listed, list) or not listed or not all(isinstance(v, str) for v in listed)
            or len(set(listed)) != len(listed)):
        raise _Bad(f"variables must be a non-empty list of distinct names; got {shown(listed)}.")
    if expected is None:
        return dict.fromkeys(listed)
    unknown = [v for v in listed if v not in expected]
    missing = [v for v in expected if v not in listed and v not in optional]
    if unknown or missing:
        parts = ([f"unknown variables {shown(unknown)}"] if unknown else []) + (
            [f"missing variables {shown(missing)}"] if missing else [])
        raise _Bad(f"{'; '.join(parts)} (expected {', '.join(expected)}).")
    return {name: expected[name] for name in listed}


def _match_scenario(coords: Mapping[str, Any], scenario: Scenario, n_days: int) -> None:
    """The labels and the number of days must be those of the embedded scenario."""
    net = scenario.network
    for axis, items in (("facility", net.facilities), ("lane", net.lanes), ("demand", net.demands)):
        if coords[axis] != tuple(item.id for item in items):
            raise _Bad(f"coords {axis} do not match the {axis} ids of the embedded scenario.")
    nodes = {item.id for item in net.facilities + net.demands}
    known = {"region": {r.id for r in net.regions}, "commodity": {c.id for c in net.commodities}}
    for label in coords["stock"]:
        node, _, commodity = label.rpartition(":")
        if node not in nodes or commodity not in known["commodity"]:
            raise _Bad(f"stock label {shown(label)} names no node and commodity of the embedded scenario.")
    for table in _LABELS:
        for axis, labels in coords[table].items():
            names = {part for label in labels for part in label.split(">")} if (table, axis) == (
                "region", "lane") else set(labels)
            if not names <= known[table]:
                raise _Bad(f"coords {table}[{axis!r}] name {shown(sorted(names - known[table]))}, "
                           "unknown to the embedded scenario.")
    if n_days != scenario.horizon_days:
        raise _Bad(f"the series cover {n_days} days; the embedded scenario has a horizon of "
                   f"{scenario.horizon_days}.")


# Ensemble summaries ---------------------------------------------------------------------------
_ENSEMBLE_META_KEYS = ("format", "format_version", "supplychain_version", "engine", "seed", "n_runs", "n_days",
                       "coords", "band_series", "band_groups", "quantiles", "bands_exact")
#: Member holding per-run value added lost ``(n_runs, regions, sectors)`` (optional: older archives lack it).
_IMPACT_MEMBER = "impact__value_added_loss"
#: Member holding the daily loss of the last days per run and region (optional: older archives lack it).
_RECENT_MEMBER = "impact__value_added_loss_recent"
#: Prefix of the members holding per-run timing ``(n_runs, thresholds, groups)`` (optional: older archives lack
#: them); the metadata's ``timing`` names the thresholds, ``recover_at`` and ``sustain_days`` they were kept for.
_TIMING_PREFIX = "timing__"
#: Largest rounding excess allowed where a total is bounded by another (delivered <= demand ...).
_SLACK = 1e-6


def save_ensemble(results: EnsembleResults, path: PathLike) -> Path:
    """Write an ensemble summary to one ``.npz`` archive, atomically; see `EnsembleResults.save`.

    Members: ``metadata`` (JSON: format ``supplychain.ensemble``, engine, seed,
    runs, days, axis labels, band series, groups and percentiles, whether compiled
    loops ran), ``scenario_toml``,
    one ``totals__<name>`` per per-run total ``(n_runs, n_demands)``, one
    ``lanes__<name>`` per per-run lane total ``(n_runs, n_lanes)`` (when kept) and one
    ``band__<series>`` per percentile band ``(n_quantiles, n_days, n_groups)``, and one ``timing__<name>``
    per per-run timing ``(n_runs, thresholds, n_groups)`` (``days_below``, ``days_to_recover``; the metadata's
    ``timing`` names the thresholds).
    """
    from .._version import __version__
    coords = results.coords
    meta = {
        "format": _ENSEMBLE_FORMAT, "format_version": _ENSEMBLE_VERSION, "supplychain_version": __version__,
        "engine": results.engine, "seed": results.seed, "n_runs": results.n_runs, "n_days": results.n_days,
        "coords": {f.name: getattr(coords, f.name) for f in dataclasses.fields(coords)},
        "band_series": list(results.bands), "band_groups": list(results.band_groups),
        "quantiles": [float(q) for q in results.quantiles], "bands_exact": bool(results.bands_exact),
        "compiled_loops": results.compiled_loops,
    }
    payload: dict[str, Any] = {f"{_TOTAL_PREFIX}{name}": getattr(results, name) for name in _TOTALS}
    payload |= {f"{_LANE_PREFIX}{name}": getattr(results, name) for name in _LANE_TOTALS
                if getattr(results, name) is not None}
    payload |= {f"{_BAND_PREFIX}{name}": arr for name, arr in results.bands.items()}
    if results.value_added_loss is not None:
        payload[_IMPACT_MEMBER] = results.value_added_loss
    if results.value_added_loss_recent is not None:
        payload[_RECENT_MEMBER] = results.value_added_loss_recent
    if results.days_below is not None and results.days_to_recover is not None:
        meta["timing"] = _timing_meta()
        payload |= {f"{_TIMING_PREFIX}{name}": getattr(results, name) for name in TIMING_TOTALS}
    payload |= {"metadata": np.array(json.dumps(meta)), "scenario_toml": np.array(dumps_scenario(results.scenario))}
    return atomic_write(path, lambda handle: np.savez_compressed(handle, **payload))


@dataclass(frozen=True)
class RawEnsemble:
    """The parts of an ensemble archive, checked but not yet turned into `EnsembleResults`."""

    engine: str
    seed: int | None
    coords: dict[str, Any]
    n_days: int
    totals: dict[str, np.ndarray]
    lanes: dict[str, np.ndarray]
    bands: dict[str, np.ndarray]
    band_groups: tuple[str, ...]
    quantiles: tuple[float, ...]
    bands_exact: bool
    scenario: Scenario
    value_added_loss: np.ndarray | None = None
    compiled_loops: bool | None = None
    value_added_loss_recent: np.ndarray | None = None
    timing: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)


def _timing_meta() -> dict[str, Any]:
    """What the timing members were kept for (docs/model.md §8.2, *When*)."""
    return {"thresholds": list(TIMING_THRESHOLDS), "recover_at": RECOVER_AT, "sustain_days": SUSTAIN_DAYS}


def read_ensemble_archive(path: PathLike, band_series: tuple[str, ...], *,
                          max_bytes: int = MAX_ARCHIVE_BYTES) -> RawEnsemble:
    """Read and check the parts of an archive written by `save_ensemble`.

    As `read_archive`, nothing is trusted: member sizes and ``.npy``
    headers are checked against the metadata before any array is read, then
    every metadata field, the labels against the embedded scenario, the band
    groups against the scenario's regions with demand, and the values: finite,
    totals non-negative with delivered and served within demand, stockout days
    whole numbers within the horizon, service levels within [0, 1], shortfalls
    non-negative and each band's percentiles in increasing order.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` file.
    band_series : tuple of str
        The band series an archive must hold
        (`supplychain.engines.summary.BAND_SERIES`).
    max_bytes : int
        Most bytes all members may declare once decompressed.

    Raises
    ------
    ScenarioFileError
        If the file is missing or is not a well-formed ensemble archive.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=30, seed=1, keep="summary")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     raw = read_ensemble_archive(ens.save(pathlib.Path(tmp) / "ens.npz"), tuple(ens.bands))
    >>> raw.totals["demand"].shape[0], raw.n_days, raw.quantiles[2]
    (30, 20, 50.0)
    """
    return _open(path, "ensemble", lambda archive: _read_ensemble(archive, path, band_series, max_bytes))


def _whole(value: Any, what: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _Bad(f"{what} must be a whole number >= {low}; got {shown(value)}.")
    return value


#: Band series an ensemble archive may lack (written before they were kept); readers fill them in.
OPTIONAL_BANDS = ("price_index",)


def _ensemble_meta(meta: dict[str, Any], band_series: tuple[str, ...]) -> tuple[int, int, tuple[float, ...]]:
    n_runs, n_days = _whole(meta["n_runs"], "n_runs", 1), _whole(meta["n_days"], "n_days", 1)
    older = [name for name in band_series if name not in OPTIONAL_BANDS]
    if meta["band_series"] not in (list(band_series), older):
        raise _Bad(f"band_series must be {list(band_series)}; got {shown(meta['band_series'])}.")
    quantiles = meta["quantiles"]
    if (not isinstance(quantiles, list) or not quantiles
            or not all(isinstance(q, (int, float)) and not isinstance(q, bool) and 0 <= q <= 100 for q in quantiles)
            or any(b <= a for a, b in zip(quantiles, quantiles[1:]))):
        raise _Bad(f"quantiles must be increasing percentiles in [0, 100]; got {shown(quantiles)}.")
    if not isinstance(meta["bands_exact"], bool):
        raise _Bad(f"bands_exact must be true or false; got {shown(meta['bands_exact'])}.")
    _labels(meta["band_groups"], "band_groups")
    return n_runs, n_days, tuple(float(q) for q in quantiles)


def _read_ensemble(archive: zipfile.ZipFile, path: PathLike, band_series: tuple[str, ...],
                   max_bytes: int) -> RawEnsemble:
    budget = _Budget(archive, max_bytes)
    meta = _metadata(budget.text("metadata"), _ENSEMBLE_FORMAT, _ENSEMBLE_META_KEYS, _ENSEMBLE_VERSION)
    n_runs, n_days, quantiles = _ensemble_meta(meta, band_series)
    band_series = tuple(meta["band_series"])
    coords = _coords(meta["coords"])
    groups = tuple(meta["band_groups"])
    want = {f"{_TOTAL_PREFIX}{name}": (n_runs, len(coords["demand"])) for name in _TOTALS}
    names = set(archive.namelist())
    lane_names = [name for name in _LANE_TOTALS if f"{_LANE_PREFIX}{name}.npy" in names]
    if lane_names and len(lane_names) != len(_LANE_TOTALS):
        missing = sorted(set(_LANE_TOTALS) - set(lane_names))
        raise _Bad(f"it holds some lane totals but not {', '.join(missing)} (all or none).")
    want |= {f"{_LANE_PREFIX}{name}": (n_runs, len(coords["lane"])) for name in lane_names}
    want |= {f"{_BAND_PREFIX}{name}": (len(quantiles), n_days, len(groups)) for name in band_series}
    impact = f"{_IMPACT_MEMBER}.npy" in names
    if impact:
        got, _ = budget.header(_IMPACT_MEMBER)
        want[_IMPACT_MEMBER] = (n_runs, *got[1:]) if len(got) == 3 else (n_runs, 0, 0)
    recent_kept = impact and f"{_RECENT_MEMBER}.npy" in names
    if recent_kept:
        got, _ = budget.header(_RECENT_MEMBER)
        regions = want[_IMPACT_MEMBER][1]
        days = got[1] if len(got) == 3 and got[1] <= min(n_days, 366) else -1
        want[_RECENT_MEMBER] = (n_runs, days, regions)
    timing_members = [name for name in TIMING_TOTALS if f"{_TIMING_PREFIX}{name}.npy" in names]
    if timing_members:
        if len(timing_members) != len(TIMING_TOTALS):
            raise _Bad(f"it holds some timing members but not all of {', '.join(TIMING_TOTALS)}.")
        if meta.get("timing") != _timing_meta():
            raise _Bad(f"its timing was kept for {shown(meta.get('timing'))}; this library reads "
                       f"{shown(_timing_meta())}.")
        want |= {f"{_TIMING_PREFIX}{name}": (n_runs, len(TIMING_THRESHOLDS), len(groups)) for name in TIMING_TOTALS}
    for member, shape in want.items():  # every header before any array
        got, dtype = budget.header(member)
        if got != shape:
            raise _Bad(f"{member} has shape {got}; expected {shape} from the metadata and coords.")
        _float_dtype(dtype, member)
    text = budget.text("scenario_toml")
    try:
        scenario = loads_scenario(text, source=f"{path} (embedded scenario)")
    except SupplyChainError as exc:
        raise ScenarioFileError(str(exc)) from None
    _match_scenario(coords, scenario, n_days)
    regions = tuple(sorted({d.region for d in scenario.network.demands})) + ("ALL",)
    if groups != regions:
        raise _Bad(f"band_groups must be the regions with demand, then 'ALL' ({', '.join(regions)}); "
                   f"got {shown(list(groups))}.")
    totals = {name: budget.array(f"{_TOTAL_PREFIX}{name}") for name in _TOTALS}
    lanes = {name: budget.array(f"{_LANE_PREFIX}{name}") for name in lane_names}
    bands = {name: budget.array(f"{_BAND_PREFIX}{name}") for name in band_series}
    _check_totals(totals, n_days)
    if lanes and (lanes["lane_flow"] < 0).any():
        raise _Bad("lanes 'lane_flow' holds negative values; units shipped are >= 0.")
    _check_bands(bands)
    value_added_loss = budget.array(_IMPACT_MEMBER) if impact else None
    if value_added_loss is not None and not np.isfinite(value_added_loss).all():
        raise _Bad(f"{_IMPACT_MEMBER} holds non-finite values.")
    recent = budget.array(_RECENT_MEMBER) if recent_kept else None
    if recent is not None and not np.isfinite(recent).all():
        raise _Bad(f"{_RECENT_MEMBER} holds non-finite values.")
    timing = {name: budget.array(f"{_TIMING_PREFIX}{name}", infinite=True) for name in timing_members}
    for name, arr in timing.items():
        if (arr < 0).any() or (np.isfinite(arr) & (arr >= n_days)).any():
            raise _Bad(f"{_TIMING_PREFIX}{name} holds values that are not days in [0, {n_days}) or inf.")
    return RawEnsemble(engine=meta["engine"], seed=meta["seed"], coords=coords, n_days=n_days, totals=totals,
                       lanes=lanes, bands=bands, band_groups=groups, quantiles=quantiles,
                       bands_exact=meta["bands_exact"],
                       scenario=scenario, value_added_loss=value_added_loss,
                       compiled_loops=meta["compiled_loops"], value_added_loss_recent=recent, timing=timing)


def _check_totals(totals: Mapping[str, np.ndarray], n_days: int) -> None:
    for name, arr in totals.items():
        if (arr < 0).any():
            raise _Bad(f"totals {name!r} hold negative values; totals are >= 0.")
    demand = totals["demand"]
    for name in ("delivered", "served_on_day"):
        if (totals[name] > demand * (1 + _SLACK) + _SLACK).any():
            raise _Bad(f"totals {name!r} exceed the demand of their run and demand item.")
    days = totals["stockout_days"]
    if (days > n_days).any() or (days != np.round(days)).any():
        raise _Bad(f"totals 'stockout_days' must be whole numbers of days within the horizon ({n_days}).")


def _check_bands(bands: Mapping[str, np.ndarray]) -> None:
    level = bands.get("service_level")
    if level is not None and ((level < -_SLACK) | (level > 1 + _SLACK)).any():
        raise _Bad("band 'service_level' holds values outside [0, 1].")
    short = bands.get("shortfall_usd")
    if short is not None and (short < 0).any():
        raise _Bad("band 'shortfall_usd' holds negative values.")
    price = bands.get("price_index")
    if price is not None and (price <= 0).any():
        raise _Bad("band 'price_index' holds values <= 0; prices are positive.")
    for name, arr in bands.items():
        if (np.diff(arr, axis=0) < -_SLACK * np.maximum(1.0, np.abs(arr[1:]))).any():
            raise _Bad(f"band {name!r} has percentiles out of order (a lower percentile above a higher one).")
