"""Mapping a function over items in chunks, on the same executors as ensembles, in item order.

The experiment runner uses this to evaluate many scenarios (one per policy
and future): each chunk of items is one task; results come back in item
order whatever the chunk size or executor, so they never depend on either.
Executors are those of :func:`supplychain.simulate`: in-process, the local
process pool (:mod:`.pool`, stopped at once by Ctrl-C), any
:class:`concurrent.futures.Executor`, or a ``dask.distributed`` client.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from .chunks import _is_dask_client, _mp_context
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
        A tqdm bar over items on stderr.

    Examples
    --------
    >>> map_chunks(pow, [1, 2, 3], 2, chunk_size=2)
    [1, 4, 9]
    """
    n = len(items)
    bounds = [(lo, min(lo + chunk_size, n)) for lo in range(0, n, max(1, chunk_size))]
    out: list[Any] = []
    from tqdm import tqdm
    bar = tqdm(total=n, file=sys.stderr, unit=unit, desc=desc, disable=not progress, leave=False)
    use_pool = executor is None and processes and (os.cpu_count() or 1) >= 2 and len(bounds) > 1
    try:
        if executor is None and not use_pool:
            for lo, hi in bounds:
                out.extend(_apply(fn, list(items[lo:hi]), args))
                bar.update(hi - lo)
            return out
        if use_pool:
            with local_pool(_WORKERS, _mp_context()) as submit:
                return _gather(submit, fn, items, args, bounds, bar)
        if _is_dask_client(executor):
            def submit(f: Callable[..., Any], *a: Any) -> Any:
                return executor.submit(f, *a, pure=False, retries=2)
            return _gather(submit, fn, items, args, bounds, bar)
        return _gather(executor.submit, fn, items, args, bounds, bar)
    finally:
        bar.close()


def _gather(submit: Callable[..., Any], fn: Callable[..., Any], items: Sequence[Any], args: tuple[Any, ...],
            bounds: list[tuple[int, int]], bar: Any) -> list[Any]:
    pending: deque[tuple[Any, int]] = deque()
    out: list[Any] = []
    try:
        for lo, hi in bounds:
            pending.append((submit(_apply, fn, list(items[lo:hi]), args), hi - lo))
        while pending:
            future, k = pending[0]
            out.extend(future.result())
            pending.popleft()
            bar.update(k)
    except BaseException:
        for future, _ in pending:
            future.cancel()
        raise
    return out
