"""Progress display: tqdm bars shown in notebooks and on terminals only, never in log files.

Every progress bar of the package comes from here. A bar is shown only when
asked for (``progress=True``, not ``--quiet``) *and* the output is interactive:
a Jupyter kernel (``tqdm.auto`` draws a notebook widget there when ipywidgets
is installed, else text) or a standard error that is a terminal. When stderr
is redirected to a file or a pipe (a log, CI), nothing is drawn, so no
carriage-return debris ends up in logs. tqdm is a core dependency: it is
small, pure Python without dependencies of its own, and draws in both
places.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

__all__ = ["interactive", "in_notebook", "progress_bar", "iterate", "PhaseBar"]

T = TypeVar("T")


def in_notebook() -> bool:
    """True inside a Jupyter (IPython kernel) session."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except AttributeError:
        return False
    return shell is not None and hasattr(shell, "kernel")


def interactive() -> bool:
    """True when a progress bar is useful: in a notebook, or when stderr is a terminal.

    Examples
    --------
    >>> import io, sys, contextlib
    >>> with contextlib.redirect_stderr(io.StringIO()):   # like a log file
    ...     interactive()
    False
    """
    if in_notebook():
        return True
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):   # stderr replaced by an object without isatty, or closed
        return False


class _NoBar:
    """Stands in for a tqdm bar when nothing is shown (tqdm would still start its monitor thread)."""

    n = 0

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_description_str(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


def progress_bar(total: int, *, desc: str, unit: str, enabled: bool = True, leave: bool = False,
                 **kwargs: Any) -> Any:
    """A ``tqdm.auto`` bar over ``total`` steps, or a silent stand-in when not shown.

    Shown only when ``enabled`` and :func:`interactive`; the stand-in has the
    same ``update``, ``close`` and context-manager methods.

    Examples
    --------
    >>> with progress_bar(3, desc="runs", unit="run", enabled=False) as bar:
    ...     bar.update(3)
    >>> type(bar).__name__
    '_NoBar'
    """
    if not (enabled and interactive()):
        return _NoBar()
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit=unit, leave=leave, file=sys.stderr, **kwargs)


def iterate(items: Iterable[T], *, total: int | None = None, desc: str, unit: str,
            enabled: bool = True) -> Iterator[T]:
    """Iterate over ``items``, advancing a :func:`progress_bar` (when shown) after each.

    Examples
    --------
    >>> list(iterate([1, 2, 3], desc="items", unit="item", enabled=False))
    [1, 2, 3]
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress_bar(total or 0, desc=desc, unit=unit, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.update(1)


class PhaseBar:
    """A progress bar that advances through named phases.

    Use it as a context manager and call :meth:`step` when a phase starts; the
    bar is removed when the block ends, so it never mixes with the command's
    output. With ``enabled=False`` (``--quiet``) nothing is shown, nor when
    the output is not interactive (:func:`interactive`).

    Examples
    --------
    >>> with PhaseBar(["load", "simulate"], enabled=False) as bar:
    ...     bar.step("load")
    ...     bar.step("simulate")
    >>> bar.done
    2
    """

    def __init__(self, phases: Sequence[str], *, enabled: bool = True) -> None:
        self.phases = list(phases)
        self.enabled = enabled
        self.done = 0
        self._bar: Any = None

    def __enter__(self) -> PhaseBar:
        self._bar = progress_bar(len(self.phases), desc="", unit="phase", enabled=self.enabled,
                                 bar_format="{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}]")
        return self

    def step(self, phase: str) -> None:
        """Mark the previous phase finished and show ``phase`` as running."""
        if self._bar is None:
            raise RuntimeError("PhaseBar.step() called outside its with-block")
        if self.done:
            self._bar.update(1)
        self.done += 1
        self._bar.set_description_str(phase)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None and self.done:
            self._bar.update(1)
        self._bar.close()
        self._bar = None
