"""File helpers of the io layer: TOML values on one line, atomic writes and checked text reads.

Nothing here knows a scenario: `.scenario` writes and reads scenario files with these,
and `supplychain.results.archive` writes archives with `atomic_write`.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import tomli_w

from ..errors import ScenarioFileError

__all__ = ["PathLike", "toml_value", "toml_key", "atomic_write", "read_text"]

PathLike = str | os.PathLike[str]

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: Any) -> str:
    """One value on one line; tables inline, so each entry reads as a block."""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    # tomli_w formats scalars exactly (floats via repr, inf, dates, escaped strings).
    return tomli_w.dumps({"v": value})[len("v = "):].rstrip("\n")


def toml_key(key: str) -> str:
    """A key bare when TOML allows it, quoted otherwise."""
    return key if BARE_KEY.fullmatch(key) else toml_value(key)


def atomic_write(path: PathLike, write: Callable[[IO[bytes]], object]) -> Path:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_text(path: PathLike, what: str) -> str:
    """The UTF-8 text of ``path``, or one `ScenarioFileError` line saying why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioFileError(f"{path}: no such {what} file.") from None
    except UnicodeDecodeError as exc:
        raise ScenarioFileError(f"{path}: {what} file must be UTF-8 text ({exc.reason}).") from None
    except OSError as exc:
        raise ScenarioFileError(f"{path}: cannot read {what} file ({exc.strerror}).") from None
