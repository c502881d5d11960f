"""Mapping a function over items in chunks, on the same executors as ensembles, in item order.

The experiment runner uses this to evaluate many scenarios (one per policy
and future): each chunk of items is one task; results come back in item
order whatever the chunk size or executor, so they never depend on either.
Executors are those of `supplychain.simulate`: in-process, the local
process pool (`.pool`, stopped at once by Ctrl-C), any
`concurrent.futures.Executor`, or a ``dask.distributed`` client.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from typing import Any

from .._progress import progress_bar
from .chunks import _is_dask_client, _mp_context, drain_in_order
from .pool import local_pool

__all__ = ["map_chunks"]

_WORKERS = 2


def _apply(fn: Callable[..., Any], items: list[Any], args: tuple[Any, ...]) -> list[Any]:
    return [fn(item, *args) for item in items]


def map_chunks(fn: Callable[..., Any], items: Sequence[Any], *args: Any, chunk_size: int = 1,
               executor: Any = None, processes: bool = False, progress: bool = False,
               desc: str = "tasks", unit: str = "task") -> list[Any]:
    """``[fn(item, *args) for item in items]``, run in chunks of ``chunk_size`` items.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled for worker processes).
    items : sequence
        One call each.
    chunk_size : int
        Items per task.
    executor : Executor or dask Client, optional
        Where tasks run; default in-process, or two local worker processes
        when ``processes`` is true (and the machine has two cores).
    progress : bool
        A progress bar over items (in a notebook or on a terminal only).

    Examples
    --------
    >>> map_chunks(pow, [1, 2, 3], 2, chunk_size=2)
    [1, 4, 9]
    """
    n = len(items)
    bounds = [(lo, min(lo + chunk_size, n)) for lo in range(0, n, max(1, chunk_size))]
    out: list[Any] = []
    bar = progress_bar(n, desc=desc, unit=unit, enabled=progress)
    use_pool = executor is None and processes and (os.cpu_count() or 1) >= 2 and len(bounds) > 1
    try:
        if executor is None and not use_pool:
            for lo, hi in bounds:
                out.extend(_apply(fn, list(items[lo:hi]), args))
                bar.update(hi - lo)
            return out
        with ExitStack() as stack:
            if use_pool:
                submit = stack.enter_context(local_pool(_WORKERS, _mp_context()))
            elif _is_dask_client(executor):
                def submit(f: Callable[..., Any], *a: Any) -> Any:
                    return executor.submit(f, *a, pure=False, retries=2)
            else:
                submit = executor.submit
            drain_in_order(((submit(_apply, fn, list(items[lo:hi]), args), hi - lo) for lo, hi in bounds),
                           out.extend, bar)
        return out
    finally:
        bar.close()
