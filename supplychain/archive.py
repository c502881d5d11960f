"""Results archives: one ``.npz`` file holding a run's series, metadata and scenario.

:meth:`Results.save` writes one; :func:`load_results` (also importable from
:mod:`supplychain.io`) reads it back exactly.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import ScenarioFileError
from .io import PathLike, _atomic_write, dumps_scenario, loads_scenario

if TYPE_CHECKING:
    from .results import Results

__all__ = ["save_results", "load_results"]

_RESULTS_FORMAT = "supplychain.results"
_RESULTS_VERSION = 1
_ARRAY_PREFIX = "series__"


def save_results(results: Results, path: PathLike) -> Path:
    """Write results to one ``.npz`` archive, atomically; see :meth:`Results.save`.

    The archive holds every daily series, the initial state, JSON metadata
    (engine, seed, axis labels, versions) and the scenario as TOML text, so
    :func:`load_results` needs nothing else.
    """
    from . import __version__
    coords = results.coords
    meta = {
        "format": _RESULTS_FORMAT, "format_version": _RESULTS_VERSION, "supplychain_version": __version__,
        "engine": results.engine, "seed": results.seed, "variables": list(results.arrays),
        "coords": {f.name: getattr(coords, f.name) for f in dataclasses.fields(coords)},
    }
    payload: dict[str, Any] = {f"{_ARRAY_PREFIX}{name}": arr for name, arr in results.arrays.items()}
    payload |= {"initial_inventory": results.initial_inventory,
                "initial_in_transit": results.initial_in_transit,
                "metadata": np.array(json.dumps(meta)),
                "scenario_toml": np.array(dumps_scenario(results.scenario))}
    return _atomic_write(path, lambda handle: np.savez_compressed(handle, **payload))


def _restore_coords(raw: Mapping[str, Any]) -> Any:
    from .results import Coords
    # JSON turned the label tuples into lists; Coords holds tuples (and dicts of tuples).
    kwargs: dict[str, Any] = {
        name: {axis: tuple(v) for axis, v in value.items()} if isinstance(value, dict) else tuple(value)
        for name, value in raw.items()}
    return Coords(**kwargs)


def load_results(path: PathLike) -> Results:
    """Read results written by :meth:`Results.save`, exactly as they were.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` archive.

    Returns
    -------
    Results

    Raises
    ------
    ScenarioFileError
        If the file is missing or is not a supplychain results archive.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import numpy as np
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(10), seed=3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     back = load_results(res.save(pathlib.Path(tmp) / "run.npz"))
    >>> back.seed, bool(np.array_equal(back.delivered, res.delivered)), back.scenario == res.scenario
    (3, True, True)
    """
    from .results import Results
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(str(archive["metadata"]))
            if meta.get("format") != _RESULTS_FORMAT:
                raise ValueError("metadata does not name the supplychain results format")
            if meta.get("format_version", 0) > _RESULTS_VERSION:
                raise ValueError(f"format version {meta['format_version']} is newer than this "
                                 f"library reads ({_RESULTS_VERSION}); upgrade supplychain")
            arrays = {name: archive[f"{_ARRAY_PREFIX}{name}"] for name in meta["variables"]}
            initial = archive["initial_inventory"], archive["initial_in_transit"]
            toml_text = str(archive["scenario_toml"])
    except FileNotFoundError:
        raise ScenarioFileError(f"{path}: no such results file.") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ScenarioFileError(f"{path}: not a supplychain results file ({exc}).") from None
    scenario = loads_scenario(toml_text, source=f"{path} (embedded scenario)")
    return Results(engine=meta["engine"], seed=meta["seed"], scenario=scenario,
                   coords=_restore_coords(meta["coords"]), arrays=arrays,
                   initial_inventory=initial[0], initial_in_transit=initial[1])
