"""How large the ``.npz`` archives of ``run --out`` will be, measured before they are written."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["archive_bytes", "archive_is_exact", "EXACT_ARRAY_BYTES"]

#: Arrays up to this many bytes are compressed whole to measure an archive; larger ones are sampled.
EXACT_ARRAY_BYTES = 4_000_000
#: Samples taken of a larger array, each this many bytes (well above deflate's 32 kB window).
_SAMPLES, _SAMPLE_BYTES = 8, 512_000
#: Deflate's window: a sample is compressed with the bytes before it in the array as its history.
_WINDOW_BYTES = 32_768
#: Bytes per archive member beyond its compressed data: the .npy header, its zip local and central
#: records (with zip64 extras), rounded up; and the archive's end records.
_MEMBER_BYTES, _END_BYTES = 400, 200


def _deflated(data: memoryview, history: memoryview | bytes = b"") -> int:
    """Bytes of ``data`` once deflated as ``np.savez_compressed`` does (zipfile's default level).

    ``history``: the bytes the stream held before ``data`` (at most deflate's window counts). In the
    archive a stretch of an array is compressed after the stretch before it, so its repeats of the
    day before are back-references, not literals: measured on its own, a stretch of a steady daily
    series costs up to twice what it costs in the file (the baseline year: 2.20 MB said, 1.92 MB
    written).
    """
    import zlib
    if len(history):
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15,
                                  zdict=bytes(history[-_WINDOW_BYTES:]))
    else:
        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return len(packer.compress(data)) + len(packer.flush())


def archive_bytes(results: Results | EnsembleResults) -> int:
    """Bytes of the ``.npz`` archive ``results.save`` writes, measured by compressing what it holds.

    Arrays up to `EXACT_ARRAY_BYTES` are deflated whole, as the archive does, so the figure is
    an upper bound (headers counted generously); a larger array is measured on `_SAMPLES` evenly
    spaced stretches, each compressed after the window of bytes before it as in the file, and
    scaled: an estimate (within 1 % of the baseline year's archive, shocked or not).
    `archive_is_exact` says which applies.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(30), seed=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = res.save(pathlib.Path(tmp) / "r.npz").stat().st_size
    >>> written <= archive_bytes(res) < 1.2 * written + 20_000
    True
    """
    import numpy as np
    total = _END_BYTES
    for name, array in _archive_members(results):
        data = memoryview(np.ascontiguousarray(array)).cast("B")
        total += _MEMBER_BYTES + 2 * len(name)
        if data.nbytes <= _exact_limit():
            total += _deflated(data)
            continue
        step = (data.nbytes - _SAMPLE_BYTES) // (_SAMPLES - 1)
        sampled = sum(_deflated(data[k * step: k * step + _SAMPLE_BYTES],
                                data[max(0, k * step - _WINDOW_BYTES): k * step]) for k in range(_SAMPLES))
        total += int(sampled * data.nbytes / (_SAMPLES * _SAMPLE_BYTES))
    return total


def archive_is_exact(results: Results | EnsembleResults) -> bool:
    """Whether `archive_bytes` compressed every member whole (an upper bound), not samples of some."""
    import numpy as np
    return all(np.asarray(a).nbytes <= _exact_limit() for _, a in _archive_members(results))


def _exact_limit() -> int:
    """Bytes up to which an array is compressed whole: `EXACT_ARRAY_BYTES`, or its samples' total."""
    return max(EXACT_ARRAY_BYTES, _SAMPLES * _SAMPLE_BYTES)


def _archive_members(results: Results | EnsembleResults) -> list[tuple[str, np.ndarray]]:
    """(name, array) of what the archive holds: every array, the metadata and the scenario as text."""
    import dataclasses
    import json

    import numpy as np

    from ..io.scenario import dumps_scenario
    from ..results.ensemble import EnsembleResults
    coords = {f.name: getattr(results.coords, f.name) for f in dataclasses.fields(results.coords)}
    # numpy stores text as UTF-32; the metadata is the labels plus a few short fields.
    text = [("metadata.npy", np.array(json.dumps({"coords": coords, "runs": results.n_runs}))),
            ("scenario_toml.npy", np.array(dumps_scenario(results.scenario)))]
    if isinstance(results, EnsembleResults):
        arrays = [*results._per_run(), *results.bands.values()]
        return [(f"member{k}.npy", a) for k, a in enumerate(arrays)] + text
    arrays = [*results.arrays.values(), results.initial_inventory, results.initial_in_transit]
    return [(f"member{k}.npy", a) for k, a in enumerate(arrays)] + text

