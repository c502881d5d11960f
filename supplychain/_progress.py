"""Progress display: tqdm bars shown in notebooks and on terminals only, never in log files.

Every progress bar of the package comes from here. A bar is shown only when
asked for (``progress=True``, not ``--quiet``) *and* the output is interactive:
a Jupyter kernel (``tqdm.auto`` draws a notebook widget there when ipywidgets
is installed, else text) or a standard error that is a terminal. When stderr
is redirected to a file or a pipe (a log, CI), nothing is drawn, so no
carriage-return debris ends up in logs. tqdm is a core dependency: it is
small, pure Python without dependencies of its own, and draws in both
places.

A command line run into a log still needs to show that it advances: inside
`step_lines` (the ``supplychain`` command opens it), when no bar can be
drawn, `iterate` and `PhaseBar` print one plain line per finished
step instead (``benchmark: 3/42 shocks done: CN cuts gallium [12 s]``), with no
carriage return. The per-run bars of `progress_bar` stay silent there:
a step is the unit a reader of a log follows.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar

__all__ = ["interactive", "in_notebook", "progress_bar", "iterate", "PhaseBar", "step_lines"]

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

    Shown only when ``enabled`` and `interactive`; the stand-in has the
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


#: Open `step_lines` blocks (a count, so that nested blocks end cleanly).
_LINES = [0]


@contextmanager
def step_lines() -> Iterator[None]:
    """Within the block, steps print one line each on stderr when no bar can be drawn.

    `iterate` and `PhaseBar` then say each finished step on a line of its own
    when stderr is a file or a pipe (`interactive` is false); on a terminal or in a
    notebook they draw their bar as always. Python callers outside the block see nothing in
    their logs.

    Examples
    --------
    >>> import io, contextlib
    >>> log = io.StringIO()
    >>> with contextlib.redirect_stderr(log), step_lines():
    ...     for _ in iterate(["a", "b"], desc="demo", unit="step", label=str):
    ...         pass
    >>> [line.split(" [")[0] for line in log.getvalue().splitlines()]
    ['demo: 1/2 steps done: a', 'demo: 2/2 steps done: b']
    """
    _LINES[0] += 1
    try:
        yield
    finally:
        _LINES[0] -= 1


def _lines_wanted(enabled: bool) -> bool:
    return enabled and _LINES[0] > 0 and not interactive()


def _say(text: str, started: float) -> None:
    print(f"{text} [{time.monotonic() - started:.0f} s]", file=sys.stderr, flush=True)


def iterate(items: Iterable[T], *, total: int | None = None, desc: str, unit: str,
            enabled: bool = True, label: Callable[[T], str] | None = None) -> Iterator[T]:
    """Iterate over ``items``, advancing a `progress_bar` (when shown) after each.

    Inside `step_lines`, with no bar, each finished item prints a line instead, naming
    it by ``label(item)`` if given.

    Examples
    --------
    >>> list(iterate([1, 2, 3], desc="items", unit="item", enabled=False))
    [1, 2, 3]
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    if _lines_wanted(enabled):
        started = time.monotonic()
        for k, item in enumerate(items, start=1):
            name = label(item) if label is not None else None
            yield item
            of = f"/{total}" if total else ""
            _say(f"{desc}: {k}{of} {unit}s done" + (f": {name}" if name else ""), started)
        return
    with progress_bar(total or 0, desc=desc, unit=unit, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.update(1)


class PhaseBar:
    """A progress bar that advances through named phases.

    Use it as a context manager and call `step` when a phase starts; the
    bar is removed when the block ends, so it never mixes with the command's
    output. With ``enabled=False`` (``--quiet``) nothing is shown, nor when
    the output is not interactive (`interactive`).

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
        self._lines = False
        self._started = 0.0
        self._phase = ""

    def __enter__(self) -> PhaseBar:
        self._lines = _lines_wanted(self.enabled)
        self._started = time.monotonic()
        self._phase = ""
        self._bar = progress_bar(len(self.phases), desc="", unit="phase", enabled=self.enabled,
                                 bar_format="{desc} {bar} {n_fmt}/{total_fmt} [{elapsed}]")
        return self

    def _finished(self) -> None:
        self._bar.update(1)
        if self._lines:
            _say(f"done: {self._phase}", self._started)  # no count: a command may skip phases it listed

    def step(self, phase: str) -> None:
        """Mark the previous phase finished and show ``phase`` as running."""
        if self._bar is None:
            raise RuntimeError("PhaseBar.step() called outside its with-block")
        if self.done:
            self._finished()
        self.done += 1
        self._phase = phase
        self._bar.set_description_str(phase)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None and self.done:
            self._finished()
        self._bar.close()
        self._bar = None
