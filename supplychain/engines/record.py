"""Where an engine hands each day's values: the `Sink` protocol and the series `Recorder`.

Both engines call ``sink.put(t, **values)`` once per day with the variables
of `VARIABLES`. A `Recorder`
keeps every daily series; `SummarySink`
keeps only per-run summaries, so ``keep="summary"`` never holds
``(runs, days, items)`` series.

Implements docs/model.md §8.1 (recorded).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from ..compile.compiler import Compiled
from .variables import VARIABLES

__all__ = ["Sink", "Recorder", "recorded_variables"]


class Sink(Protocol):
    """Receives each day's values of ``R`` runs; arrays are reused, so a sink copies what it keeps.

    ``records`` says whether it wants the order books, quoted lead times and
    other values of `supplychain.engines.kernel.records` (an engine need
    not compute them otherwise).
    """

    records: bool

    def put(self, t: int, **values: np.ndarray) -> None: ...

    def row(self, r: int) -> Sink: ...

    def result(self) -> Any: ...


def recorded_variables(c: Compiled) -> tuple[str, ...]:
    """Names of the variables recorded for ``c``: every variable whose mechanism ``c`` has."""
    extras = c.schedules.extras
    return tuple(name for name, v in VARIABLES.items() if v.mechanism is None or extras.get(v.mechanism))


class Recorder:
    """Daily series of ``R`` runs, shape ``(R, T, n)`` per variable of `recorded_variables`.

    ``only`` restricts it to some variables (the others are not stored).

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> c = compile_scenario(synthetic_scenario(10, horizon_days=5))
    >>> rec = Recorder(c, 2)
    >>> rec.row(1).put(0, demand=np.ones(c.n_demands))
    >>> rec.result()["demand"][:, 0, 0].tolist()
    [0.0, 1.0]
    """

    records = True

    def __init__(self, c: Compiled, n_runs: int, only: tuple[str, ...] | None = None) -> None:
        sizes = {"facility": c.n_facilities, "stock": c.n_stocks, "lane": c.n_lanes, "demand": c.n_demands}
        self.arrays = {name: np.zeros((n_runs, c.n_days, sizes[VARIABLES[name].axis]))
                       for name in recorded_variables(c) if only is None or name in only}

    @classmethod
    def _of(cls, arrays: dict[str, np.ndarray]) -> Recorder:
        rec = cls.__new__(cls)
        rec.arrays = arrays
        return rec

    def put(self, t: int, **values: np.ndarray) -> None:
        """Store day ``t`` of the given variables (those it does not record are ignored)."""
        arrays = self.arrays
        for name, value in values.items():
            if name in arrays:
                arrays[name][:, t] = value

    def row(self, r: int) -> Recorder:
        """A recorder of run ``r`` alone that writes into this one (no copy)."""
        return Recorder._of({name: arr[r: r + 1] for name, arr in self.arrays.items()})

    def result(self) -> dict[str, np.ndarray]:
        """The recorded series, ``{name: (R, T, n)}``."""
        return self.arrays
