"""Output folders written all or nothing, and interrupts that leave nothing behind.

Every file a command writes goes first into a temporary folder next to the
target (``.NAME.XXXX.tmp``); only when all of them are written are they moved
into place, with SIGINT and SIGTERM held back for those few renames. An error,
Ctrl-C or SIGTERM before that removes the temporary folder (and any parent
folders this command created), so the target is either untouched or complete.
SIGTERM is turned into `Terminated` by `sigterm_raises`, so the
same clean-up runs for it as for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from ..errors import SupplyChainError

__all__ = ["Terminated", "sigterm_raises", "check_out_dir", "write_folder"]

#: Signals held back while finished files are moved into the target folder.
_HELD = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception so that ``finally`` clean-up runs as for Ctrl-C.

    It derives from `KeyboardInterrupt` so that code which stops worker
    processes on Ctrl-C does the same on SIGTERM.
    """


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` in this process (main thread only).

    Worker processes forked inside the block inherit the handler; in them it
    restores the default action and re-sends the signal, so a pool can still
    stop its workers with SIGTERM. Outside the main thread it does nothing
    (only the main thread may set signal handlers).

    Examples
    --------
    >>> import os, signal
    >>> try:
    ...     with sigterm_raises():
    ...         os.kill(os.getpid(), signal.SIGTERM)  # raises here, in this process
    ... except Terminated:
    ...     print("cleaned up")
    cleaned up
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    owner = os.getpid()

    def handler(signum: int, frame: object) -> None:
        if os.getpid() != owner:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block ends, then act on the first one that came.

    The handlers are swapped rather than the signals masked: a process-directed signal goes to
    any thread that does not mask it (NumPy's BLAS threads included), so a mask on the main
    thread alone would not hold it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def record(signum: int, frame: object) -> None:
        pending.append(signum)

    previous = {signum: signal.signal(signum, record) for signum in _HELD}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if pending:
            handler = previous[pending[0]]
            if callable(handler):
                handler(pending[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(pending[0])


def check_out_dir(out: Path) -> None:
    """Refuse an ``--out`` path that can never be a folder, before any work is done.

    Raises
    ------
    SupplyChainError
        If ``out`` is an existing file, or one of its parents is a file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (pathlib.Path(tmp) / "afile").write_text("x")
    ...     check_out_dir(pathlib.Path(tmp) / "afile" / "sub")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    supplychain.errors.SupplyChainError: --out .../afile/sub: .../afile is a file, not a folder.
    """
    for path in (out, *out.parents):
        if path.exists():
            if not path.is_dir():
                which = "it" if path == out else str(path)
                raise SupplyChainError(f"--out {out}: {which} is a file, not a folder.")
            if path == out and not os.access(path, os.W_OK | os.X_OK):
                raise SupplyChainError(f"--out {out}: the folder is not writable.")
            return


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, deepest first."""
    created = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        created.append(path)
    folder.mkdir(parents=True, exist_ok=True)
    return created


def write_folder(out: Path, write: Callable[[Path], list[str]], *,
                 replaces: Collection[str] = ()) -> list[str]:
    """Run ``write(tmp)`` into a temporary folder next to ``out``, then move its files into ``out``.

    ``write`` returns the names of the files it wrote. If ``out`` does not
    exist, the temporary folder is renamed to it (one atomic step); if it
    exists, each file replaces its namesake, the files named in ``replaces``
    that this call did not write are removed (what an earlier run of the same
    command left, which would otherwise sit beside the new files as if one
    run had written them all), and every other file in ``out`` is kept.

    Returns
    -------
    list of str
        The names written.

    Raises
    ------
    SupplyChainError
        If ``out`` or one of its parents is a file (checked before writing).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> def write(folder):
    ...     _ = (folder / "a.csv").write_text("x")
    ...     raise OSError("disk full")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp) / "new" / "out"
    ...     try:
    ...         write_folder(out, write)
    ...     except OSError:
    ...         pass
    ...     sorted(p.name for p in pathlib.Path(tmp).iterdir())  # nothing half-written, no parent left
    []
    """
    check_out_dir(out)
    created = _make_parents(out.parent)
    tmp = None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        names = write(tmp)
        with _signals_held():
            if out.is_dir():
                for name in names:
                    os.replace(tmp / name, out / name)
                for name in set(replaces) - set(names):
                    with contextlib.suppress(FileNotFoundError):
                        (out / name).unlink()
            else:
                tmp.chmod(0o755)  # mkdtemp makes a private folder; the results folder is not
                os.replace(tmp, out)
                tmp = None
            created = []
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        for path in created:
            with contextlib.suppress(OSError):
                path.rmdir()  # only if still empty
    return names
