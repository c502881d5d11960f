"""The default local process pool: a few workers that stop at once on Ctrl-C or an error, never hanging.

``concurrent.futures.ProcessPoolExecutor`` keeps helper threads that talk to
the workers through shared queues. When a Ctrl-C reaches the workers too (a
terminal sends SIGINT to the whole foreground group), a worker interrupted
while starting breaks the pool (``BrokenProcessPool`` instead of
``KeyboardInterrupt``); leaving its ``with`` block waits for every queued
chunk (the interrupt seems lost); and a worker killed while writing its
result leaves a helper thread reading half a message forever, which hangs
the interpreter's exit. So this pool has no helper thread and no shared
queue:

* each worker has its own pipe; the parent sends a task only to an idle
  worker and reads results in the calling thread (`LocalPool.wait`);
* workers ignore SIGINT: the parent alone decides. They start with SIGINT
  blocked and ignore it before unblocking it, so no interrupt can land in
  between;
* on any exception in the parent (Ctrl-C, a failed chunk) `LocalPool.kill`
  kills the workers and closes the pipes; the exception propagates
  unchanged. Workers are daemons, so they never outlive the parent's exit.

An argument wrapped in `Once` (the compiled scenario every chunk of an
ensemble takes) is pickled to a worker once: the worker keeps the last one it
got, and later tasks to that worker carry only its key. Pickling a compiled
baseline takes about 40 ms and unpickling 30 ms, paid per chunk (about a
hundred chunks for 10,000 runs) while the worker waited for its next task,
and each chunk then built its per-scenario caches (samplers, sourcing tables)
anew for a fresh copy.

Implements docs/model.md §7.2 (seeds): executors never change a run's draws.
"""

from __future__ import annotations

import multiprocessing
import signal
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

__all__ = ["LocalPool", "local_pool", "WorkerDied", "Once"]

#: Seconds a worker gets to exit after its last task before it is killed.
_GRACE_S = 2.0
_CAN_MASK = hasattr(signal, "pthread_sigmask")


class WorkerDied(RuntimeError):
    """A worker process ended without returning its task's result (killed, out of memory)."""


class Once:
    """An argument a `LocalPool` sends to each worker once: later tasks to that worker reuse its copy.

    Each worker keeps the last `Once` value it received (one), so a
    run of tasks that share one (an ensemble's chunks and their compiled
    scenario) pickles it once per worker. The value must not change while
    tasks use it (the worker's copy would not see the change).

    Examples
    --------
    >>> import multiprocessing
    >>> table = Once(list(range(1000)))
    >>> with local_pool(2, multiprocessing.get_context()) as submit:
    ...     tasks = [submit(sum, table) for _ in range(4)]
    ...     [t.result() for t in tasks]
    [499500, 499500, 499500, 499500]
    """

    _count = 0

    def __init__(self, value: Any) -> None:
        Once._count += 1
        self.key = Once._count
        self.value = value


class _Kept:
    """In a task sent to a worker: the `Once` value with this key, which the worker already holds."""

    def __init__(self, key: int) -> None:
        self.key = key


def _resolve(args: tuple[Any, ...], held: list[Any]) -> tuple[Any, ...]:
    """A worker's task arguments with `Once` and `_Kept` replaced by their values.

    ``held`` is ``[key, value]`` of the last `Once` received, updated here.
    """
    out = []
    for a in args:
        if isinstance(a, Once):
            held[:] = [a.key, a.value]
            a = a.value
        elif isinstance(a, _Kept):
            if held[0] != a.key:  # the parent's record of what this worker holds is wrong: a bug, never a guess
                raise RuntimeError(f"a worker was sent a value it does not hold (key {a.key}, holds {held[0]})")
            a = held[1]
        out.append(a)
    return tuple(out)


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, chained as its cause."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return self.text


def _work(conn: Connection, parent_end: Connection) -> None:
    """A worker: ignore SIGINT, then run ``(fn, args)`` tasks until told to stop (``None``) or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _CAN_MASK:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    # A forked worker holds a copy of the parent's end of its pipe; closing it lets recv() see
    # EOF once the parent has gone, however the parent ended.
    parent_end.close()
    held: list[Any] = [None, None]
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the parent has gone
            return
        if task is None:
            return
        fn, args = task
        try:
            reply: tuple[Any, ...] = (True, fn(*_resolve(args, held)))
        except Exception as exc:  # noqa: BLE001 - any error of the task goes back to the parent, which raises it
            reply = (False, exc, traceback.format_exc())
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - the result or the error could not be pickled
            conn.send((False, WorkerDied(f"a worker could not send its result back: {exc!r}"[:300]), ""))


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread (processes started now inherit the mask); a pending one fires after."""
    if not _CAN_MASK:
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Task:
    """A submitted call; `result` runs the pool until this task is done."""

    def __init__(self, pool: LocalPool, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.pool, self.fn, self.args = pool, fn, args
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None

    def result(self) -> Any:
        self.pool.wait(self)
        if self.error is not None:
            raise self.error
        return self.value

    def cancel(self) -> bool:
        """Drop the task if it has not been sent to a worker yet."""
        return self.pool.cancel(self)


class _Worker:
    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.conn, self.child = context.Pipe()
        self.process = context.Process(target=_work, args=(self.child, self.conn), daemon=True)
        self.task: _Task | None = None
        #: Key of the last `Once` value sent to this worker (which it holds).
        self.holds: int | None = None

    def send(self, task: _Task) -> None:
        """Send ``task``, with a `Once` argument this worker already holds replaced by its key."""
        args, holds = [], self.holds
        for a in task.args:
            if isinstance(a, Once):
                if a.key == holds:
                    a = _Kept(a.key)
                else:
                    holds = a.key
            args.append(a)
        self.conn.send((task.fn, tuple(args)))
        self.task, self.holds = task, holds

    def start(self) -> None:
        self.process.start()
        self.child.close()

    @property
    def started(self) -> bool:
        return self.process.pid is not None


class LocalPool:
    """``n_workers`` local processes running submitted calls; results are read in the caller's thread.

    Examples
    --------
    >>> import multiprocessing
    >>> with local_pool(2, multiprocessing.get_context()) as submit:
    ...     tasks = [submit(pow, 2, k) for k in range(4)]
    ...     [t.result() for t in tasks]
    [1, 2, 4, 8]
    """

    def __init__(self, n_workers: int, context: multiprocessing.context.BaseContext) -> None:
        self.queue: deque[_Task] = deque()
        self.workers: list[_Worker] = []
        try:
            with _sigint_blocked():
                for _ in range(n_workers):
                    # Known before it starts, so that an interrupt at any point still kills it.
                    self.workers.append(_Worker(context))
                    self.workers[-1].start()
        except BaseException:  # a Ctrl-C while the workers start
            self.kill()
            raise

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> _Task:
        """Queue ``fn(*args)``; it starts as soon as a worker is idle."""
        task = _Task(self, fn, args)
        self.queue.append(task)
        self._dispatch()
        return task

    def cancel(self, task: _Task) -> bool:
        if task in self.queue:
            self.queue.remove(task)
            return True
        return task.done

    def _dispatch(self) -> None:
        for worker in self.workers:
            if worker.task is None and self.queue:
                worker.send(self.queue.popleft())

    def wait(self, task: _Task) -> None:
        """Run tasks (keeping every worker busy) until ``task`` is done."""
        while not task.done:
            self._dispatch()
            busy = [w for w in self.workers if w.task is not None]
            if not busy:
                raise WorkerDied("the task was cancelled or never sent to a worker")
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn in ready:
                    self._receive(worker)
                elif worker.process.sentinel in ready:
                    raise _died(worker)

    def _receive(self, worker: _Worker) -> None:
        try:
            reply = worker.conn.recv()
        except EOFError:
            raise _died(worker) from None
        task, worker.task = worker.task, None
        assert task is not None
        task.done = True
        if reply[0]:
            task.value = reply[1]
            # The next task goes out now, not after the caller has used this result (an ensemble copies each
            # chunk's summaries into its own arrays, tens of ms): the worker would wait meanwhile.
            self._dispatch()
        else:
            task.error = reply[1]
            if reply[2]:
                task.error.__cause__ = _RemoteTraceback(reply[2])

    def close(self) -> None:
        """Stop idle workers (they finish nothing more), waiting briefly; then kill what is left."""
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(_GRACE_S)
        self.kill()

    def kill(self) -> None:
        """Kill every worker now and close the pipes, waiting on nothing they do."""
        for worker in self.workers:
            if worker.started and worker.process.is_alive():
                worker.process.kill()
        for worker in self.workers:
            if worker.started:
                worker.process.join(_GRACE_S)
            worker.conn.close()
            worker.child.close()
        self.queue.clear()


def _died(worker: _Worker) -> WorkerDied:
    worker.process.join(_GRACE_S)  # reap it, to report how it ended
    return WorkerDied(f"a worker process ended (exit code {worker.process.exitcode}) while running a task")


@contextmanager
def local_pool(n_workers: int, context: multiprocessing.context.BaseContext
               ) -> Iterator[Callable[..., _Task]]:
    """A ``submit(fn, *args)`` on a new `LocalPool`; closed normally, or killed on any exception."""
    pool = LocalPool(n_workers, context)
    try:
        yield pool.submit
    except BaseException:
        pool.kill()
        raise
    pool.close()
