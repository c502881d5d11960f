"""Results archives: one ``.npz`` file holding a run's series, metadata and scenario.

:meth:`Results.save` writes one; :func:`supplychain.load_results` (also importable from
:mod:`supplychain.results` and the top-level package) reads it back exactly.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ScenarioFileError
from ..io.scenario import PathLike, _atomic_write, dumps_scenario

if TYPE_CHECKING:
    from .series import Results

__all__ = ["save_results", "read_archive", "RawArchive"]

_RESULTS_FORMAT = "supplychain.results"
_RESULTS_VERSION = 1
_ARRAY_PREFIX = "series__"


def save_results(results: Results, path: PathLike) -> Path:
    """Write results to one ``.npz`` archive, atomically; see :meth:`Results.save`.

    The archive holds every daily series, the initial state, JSON metadata
    (engine, seed, axis labels, versions) and the scenario as TOML text, so
    :func:`supplychain.load_results` needs nothing else.
    """
    from .._version import __version__
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


@dataclass(frozen=True)
class RawArchive:
    """The parts of a results archive, checked but not yet turned into :class:`Results`."""

    engine: str
    seed: Any
    coords: dict[str, Any]
    arrays: dict[str, np.ndarray]
    initial_inventory: np.ndarray
    initial_in_transit: np.ndarray
    scenario_toml: str


def read_archive(path: PathLike) -> RawArchive:
    """Read and check the parts of an archive written by :func:`save_results`.

    Raises
    ------
    ScenarioFileError
        If the file is missing or is not a supplychain results archive.
    """
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
    return RawArchive(engine=meta["engine"], seed=meta["seed"], coords=meta["coords"], arrays=arrays,
                      initial_inventory=initial[0], initial_in_transit=initial[1], scenario_toml=toml_text)
