"""Progress display for the command line: a tqdm bar over the phases of a command."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import TracebackType
from typing import Any


class PhaseBar:
    """A progress bar on stderr that advances through named phases.

    Use it as a context manager and call :meth:`step` when a phase starts; the
    bar is removed when the block ends, so it never mixes with the command's
    output. With ``enabled=False`` (``--quiet``) nothing is shown, and tqdm
    also stays silent when stderr is not a terminal.

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
        from tqdm import tqdm
        # disable=None lets tqdm switch itself off when stderr is not a TTY (pipes, CI logs).
        self._bar = tqdm(total=len(self.phases), file=sys.stderr, leave=False, unit="phase",
                         disable=None if self.enabled else True,
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
