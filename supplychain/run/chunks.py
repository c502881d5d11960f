"""Running an ensemble in chunks of runs: in-process, on local processes or on a cluster.

Runs are cut into contiguous chunks; each chunk is one task that returns
either its daily series (``keep="series"``) or a compact
`SummaryPart` (``keep="summary"``). Results are gathered
in chunk order, so they do not depend on chunk size, executor or the order
in which tasks finish: each run draws from its own seed sequence, and the
kernel treats runs independently.

Executors: ``None`` runs in-process for small ensembles and on a local
process pool with two workers for large ones (`.pool`: a Ctrl-C or an
error stops it at once); any `Executor` is used as given; a
``dask.distributed`` ``Client`` gets the compiled scenario scattered once
and each chunk submitted with retries (a task lost with its worker is
re-run by the scheduler).

Implements docs/model.md §7.2 (seeds): chunks never change a run's draws.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .._progress import progress_bar
from ..compile.compiler import Compiled
from ..engines import jit
from ..engines.summary import BAND_SERIES, LANE_TOTALS, TIMING_TOTALS, BandAccumulator, SummaryPart, band_groups
from .pool import LocalPool, Once, local_pool

__all__ = ["Keep", "EnsembleData", "run_ensemble", "default_chunk_size", "uses_processes", "ensemble_work",
           "used_compiled_loops", "SharedWorkers", "reuse_workers"]

Keep = Literal["series", "summary"]

#: Lanes x runs per chunk at which the vector kernel runs fastest per run: enough runs to spread the
#: per-day cost of each rule's NumPy calls, few enough to keep the day's arrays in cache. Measured
#: CPU ms per run (one process, compiled loops): the random-lead baseline (877 lanes) 22.1 / 19.3 /
#: 19.7 at 68 / 136 / 272 runs; the 1,000-facility peer network (5,400 lanes) 171 / 154 / 147 / 180
#: at 11 / 22 / 44 / 88 runs: best between about 120,000 and 240,000 lane-runs.
SPEED_ELEMENTS = 160_000
#: Most bytes one chunk's random draws and buffers should take.
CHUNK_BUDGET_BYTES = 256 * 2**20
#: Facility-days per second per core, to decide when worker processes pay off.
_RATE = {"vector": 3e6, "des": 2e5}
#: Estimated in-process seconds above which the default executor uses processes.
_PROCESS_THRESHOLD_S = 3.0
_WORKERS = 2


@dataclass(frozen=True, eq=False)
class EnsembleData:
    """What `run_ensemble` gathers for ``keep="summary"``."""

    demand: np.ndarray                 # (R, D)
    delivered: np.ndarray              # (R, D)
    served_on_day: np.ndarray          # (R, D)
    stockout_days: np.ndarray          # (R, D)
    lane_flow: np.ndarray              # (R, L)
    lane_tariff_units: np.ndarray      # (R, L)
    lane_extra_usd: np.ndarray         # (R, L)
    value_added_loss: np.ndarray       # (R, regions, sectors)
    value_added_loss_recent: np.ndarray  # (R, last days, regions)
    days_below: np.ndarray             # (R, thresholds, G) days from the shock (`TIMING_TOTALS`)
    days_to_recover: np.ndarray        # (R, thresholds, G)
    bands: dict[str, np.ndarray]       # name -> (Q, T, G)
    band_groups: tuple[str, ...]
    bands_exact: bool


def _bytes_per_run(c: Compiled, keep: Keep) -> int:
    """Rough memory one run takes inside a chunk (its draws, ring slots and records).

    With ``keep="summary"`` random lead times are held as whole days until
    landing, in the integers the vector engine uses for them
    (`supplychain.engines.vector.draw_batch`): one byte for the baseline year, two or four for
    longer horizons and lead times, instead of 8-byte floats.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> from supplychain.compile.compiler import compile_scenario
    >>> c = compile_scenario(load_baseline(random_lead_times=True))
    >>> (_bytes_per_run(c, "series") - _bytes_per_run(c, "summary")) > 0, _landing_day_bytes(c)
    (True, 1)
    """
    t, f, l, d = c.n_days, c.n_facilities, c.n_lanes, c.n_demands
    drawn = (d if c.demand_noisy.any() else 0) + ((f + 2 * l) if c.schedules.needs_random else 0)
    lead_bytes = 0
    if c.lane_lead_random.any():
        lead_bytes = t * l * (_landing_day_bytes(c) if keep == "summary" else 8)
    ring = (int(c.lane_lead_mean.max(initial=1.0) * 2) + c.initial_arrivals.shape[0]) * l
    recorded = t * (f + c.n_stocks + 3 * l + 4 * d) if keep == "series" else t * 16 + 3 * l
    return 8 * (t * drawn + ring + recorded) + lead_bytes


def _landing_day_bytes(c: Compiled) -> int:
    """Bytes of one whole landing day as the vector engine stores it for ``c`` (uint8, int16 or int32)."""
    from ..engines.vector import _days_dtype
    return int(np.dtype(_days_dtype(c)).itemsize)


def uses_processes(c: Compiled, n_runs: int, engine: str) -> bool:
    """Whether the default executor runs on local worker processes (large ensembles only)."""
    seconds = n_runs * c.n_days * max(c.n_facilities, 1) / _RATE[engine]
    return (os.cpu_count() or 1) >= 2 and n_runs >= 2 and seconds > _PROCESS_THRESHOLD_S


def default_chunk_size(c: Compiled, n_runs: int, engine: str, keep: Keep, *, n_workers: int = 1) -> int:
    """Runs per chunk: fast for the kernel, within memory, and enough chunks for every worker.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> c = compile_scenario(synthetic_scenario(100))
    >>> c.n_lanes, default_chunk_size(c, 10_000, "vector", "summary")
    (540, 296)
    """
    size = min(max(SPEED_ELEMENTS // max(c.n_lanes, 1), 8), 1024) if engine == "vector" else n_runs
    size = min(size, max(1, CHUNK_BUDGET_BYTES // _bytes_per_run(c, keep)))
    if n_workers > 1:
        # Every worker gets work, without making chunks so small that overheads dominate.
        size = min(size, math.ceil(n_runs / n_workers))
    return int(max(1, min(size, n_runs)))


def _run_chunk(c: Compiled, seqs: Sequence[np.random.SeedSequence], engine: str,
               keep: Keep, work: int | None = None) -> dict[str, np.ndarray] | SummaryPart:
    """One task: simulate a chunk of runs on ``engine`` and return its series or its summary part.

    ``work``: the whole ensemble's lane-run-days, which decides whether the
    vector engine loads its optional compiled loops (`supplychain.engines.jit`).
    """
    if engine == "des":
        from ..engines.des import run_des
        return run_des(c, seqs, keep=keep)
    from ..engines.vector import run_vector
    return run_vector(c, seqs, keep=keep, work=work)


class _Deferred:
    """A task run in-process when its result is asked for (so chunks are made one at a time)."""

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.fn, self.args = fn, args

    def result(self) -> Any:
        return self.fn(*self.args)

    def cancel(self) -> bool:
        return True


def _mp_context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux: workers start at once, with nothing to re-import, and scripts need no
    ``if __name__ == "__main__"`` guard. Elsewhere the platform default (macOS system
    libraries are not fork-safe; Windows has no fork)."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def drain_in_order(tasks: Iterable[tuple[Any, int]], take: Callable[[Any], Any], bar: Any) -> None:
    """Submit every ``(future, n)`` of ``tasks``, then pass each result to ``take`` in submission order.

    Each result is dropped once taken, and ``bar`` advances by its ``n``. On
    Ctrl-C or a failed task nothing queued still runs: every pending future is
    cancelled (a pool of our own is also killed by its context manager).
    """
    pending: deque[tuple[Any, int]] = deque()
    try:
        for task in tasks:
            pending.append(task)
        while pending:
            future, n = pending[0]
            take(future.result())
            pending.popleft()
            bar.update(n)
    except BaseException:
        for future, _ in pending:
            future.cancel()
        raise


def _bar(progress: bool, total: int, engine: str) -> Any:
    return progress_bar(total, desc=f"{engine} runs", unit="run", enabled=progress, leave=True)


def _is_dask_client(executor: object) -> bool:
    return hasattr(executor, "scatter") and hasattr(executor, "submit") and not isinstance(executor, Executor)


class SharedWorkers:
    """One local worker pool lent to every ensemble run inside `reuse_workers`.

    The pool starts when an ensemble first needs worker processes and is closed when the block
    ends. Starting workers costs system time (forking a large parent, then a page fault for
    every page the new processes touch), which a command running dozens of scenarios paid once
    per scenario. An error or an interrupt while an ensemble runs kills the pool, as
    `local_pool` does; the next ensemble starts a new one. Workers hold no state
    that changes results (each chunk carries its compiled scenario and seeds), so results are
    bit-identical with or without sharing.
    """

    def __init__(self) -> None:
        self.pool: LocalPool | None = None
        #: Pools started so far (1 when every ensemble of the block shared one).
        self.started = 0

    @contextmanager
    def borrow(self) -> Iterator[Callable[..., Any]]:
        """The shared pool's ``submit``, starting the pool if none is running."""
        if self.pool is None:
            self.pool = LocalPool(_WORKERS, _mp_context())
            self.started += 1
        try:
            yield self.pool.submit
        except BaseException:
            self.pool.kill()
            self.pool = None
            raise

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


#: The pools lent by the `reuse_workers` blocks now open (innermost last).
_SHARED: list[SharedWorkers] = []


@contextmanager
def reuse_workers() -> Iterator[SharedWorkers]:
    """Within the block, every ensemble that runs on local worker processes shares one pool.

    `simulate` without an ``executor`` starts two worker processes for a
    large ensemble and stops them when it returns; a loop over many scenarios (a scorecard, a
    stress test, a policy experiment) would start them anew for each. Inside this block they
    are started once, when first needed, and stopped when the block ends. Results do not
    depend on it (docs/model.md §7.2).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> with reuse_workers() as shared:
    ...     a = simulate(load_baseline().with_horizon(5), engine="vector", seed=0)
    >>> shared.started  # a small ensemble runs in-process: no pool was needed
    0
    """
    shared = SharedWorkers()
    _SHARED.append(shared)
    try:
        yield shared
    finally:
        _SHARED.remove(shared)
        shared.close()


def _once_each(submit: Callable[..., Any]) -> Callable[..., Any]:
    """``submit(fn, compiled, *args)`` on a local pool, each compiled scenario sent to a worker once (`.pool.Once`)."""
    sent: dict[int, Once] = {}

    def send(fn: Callable[..., Any], compiled: Compiled, *args: Any) -> Any:
        if id(compiled) not in sent:  # the Once holds the scenario, so its id is not reused meanwhile
            sent[id(compiled)] = Once(compiled)
        return submit(fn, sent[id(compiled)], *args)
    return send


@contextmanager
def _submitter(executor: Any, c: Compiled, use_processes: bool) -> Iterator[Callable[..., Any]]:
    """A ``submit(fn, compiled, *args)`` for the chosen executor, shut down afterwards if ours."""
    if executor is None and not use_processes:
        yield lambda fn, *args: _Deferred(fn, args)
    elif executor is None and _SHARED:
        with _SHARED[-1].borrow() as submit:
            yield _once_each(submit)
    elif executor is None:
        with local_pool(_WORKERS, _mp_context()) as submit:
            yield _once_each(submit)
    elif _is_dask_client(executor):
        remote = executor.scatter(c, broadcast=True)
        yield lambda fn, _c, *args: executor.submit(fn, remote, *args, pure=False, retries=2)
    else:
        yield executor.submit


def run_ensemble(c: Compiled, seqs: Sequence[np.random.SeedSequence], *, engine: str, keep: Keep,
                 chunk_size: int | None = None, executor: Any = None, progress: bool = False,
                 compiled_runs: Sequence[Compiled] | None = None) -> dict[str, np.ndarray] | EnsembleData:
    """Run one replication per seed sequence, chunk by chunk, and gather the results.

    Parameters
    ----------
    c : Compiled
        The compiled scenario.
    seqs : sequence of SeedSequence
        One per run (see `run_seed_sequences`).
    engine : {"vector", "des"}
        Kernel that runs each chunk.
    keep : {"series", "summary"}
        Daily series ``(R, T, n)`` per variable, or an `EnsembleData`.
    chunk_size : int, optional
        Runs per task (default: `default_chunk_size`).
    executor : Executor or dask Client, optional
        Where chunks run (default: in-process, or two local processes when large).
    progress : bool
        Show a progress bar over runs (in a notebook or on a terminal only: `supplychain._progress`).
    compiled_runs : sequence of Compiled, optional
        One compiled scenario per run (runs with uncertain parameters, see
        `.uncertain`), all of ``c``'s shape; a chunk never mixes two.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.engines.draws import run_seed_sequences
    >>> c = compile_scenario(synthetic_scenario(10, horizon_days=15))
    >>> out = run_ensemble(c, run_seed_sequences(0, 5), engine="vector", keep="series", chunk_size=2)
    >>> out["flow"].shape[:2]
    (5, 15)
    """
    n_runs = len(seqs)
    use_processes = executor is None and uses_processes(c, n_runs, engine)
    workers = _WORKERS if use_processes else 1 if executor is None else (os.cpu_count() or _WORKERS)
    size = chunk_size or default_chunk_size(c, n_runs, engine, keep, n_workers=workers)
    if chunk_size is None and compiled_runs is None and workers > 1:
        bounds = _even_bounds(n_runs, size, workers)
    else:
        bounds = _bounds(n_runs, size, compiled_runs)
    gather = _SeriesGather(n_runs) if keep == "series" else _SummaryGather(c, n_runs)
    work = ensemble_work(c, n_runs)
    if engine == "vector" and not _is_dask_client(executor):
        # Load the optional compiled loops here if the ensemble is large enough: forked workers inherit them.
        jit.kernels_for(work)
    with _submitter(executor, c, use_processes) as submit, _bar(progress, n_runs, engine) as bar:
        def submitted() -> Iterator[tuple[Any, int]]:
            for lo, hi in bounds:
                if compiled_runs is None or compiled_runs[lo] is c:
                    task = submit(_run_chunk, c, list(seqs[lo:hi]), engine, keep, work)
                elif _is_dask_client(executor):
                    task = executor.submit(_run_chunk, compiled_runs[lo], list(seqs[lo:hi]), engine, keep, work,
                                           pure=False, retries=2)
                else:
                    task = submit(_run_chunk, compiled_runs[lo], list(seqs[lo:hi]), engine, keep, work)
                yield task, hi - lo
        drain_in_order(submitted(), gather.add, bar)
    if engine == "vector":
        from ..engines.vector import release_buffers
        release_buffers()  # the arrays in-process chunks kept for each other
    return gather.result()


def ensemble_work(c: Compiled, n_runs: int) -> int:
    """Lane-run-days of an ensemble, which decide whether the vector engine loads its compiled loops."""
    return n_runs * c.n_days * c.n_lanes


def used_compiled_loops(c: Compiled, n_runs: int, engine: str, executor: Any = None) -> bool | None:
    """Whether `run_ensemble` ran the vector engine's bookkeeping as compiled loops (`..engines.jit`).

    Asked after the run, in the process that ran it: the loops stay loaded once loaded, so the answer
    is the one every chunk got. ``False`` for the SimPy engine; ``None`` on a dask cluster, whose
    workers decide for themselves.
    """
    if engine != "vector":
        return False
    if _is_dask_client(executor):
        return None
    from ..engines.vector import compiled_loops_for
    return compiled_loops_for(c, ensemble_work(c, n_runs)) is not None


def _even_bounds(n_runs: int, size: int, n_workers: int) -> list[tuple[int, int]]:
    """Contiguous chunks of at most ``size`` runs, as many as a multiple of ``n_workers``, of near-equal sizes.

    Chunks of ``size`` runs and a short last one leave a worker idle at the end
    for up to a whole chunk (a tenth of the time of 1,000 baseline runs on two
    workers); near-equal chunks, a multiple of the workers in number, end
    together. Chunks never change a run's numbers (docs/model.md §7.2).

    Examples
    --------
    >>> _even_bounds(10, 4, 2)
    [(0, 3), (3, 6), (6, 8), (8, 10)]
    """
    n_chunks = -(-n_runs // max(size, 1))
    n_chunks = min(-(-n_chunks // n_workers) * n_workers, n_runs)
    base, extra = divmod(n_runs, max(n_chunks, 1))
    bounds, lo = [], 0
    for i in range(n_chunks):
        hi = lo + base + (i < extra)
        bounds.append((lo, hi))
        lo = hi
    return bounds


def _bounds(n_runs: int, size: int, compiled_runs: Sequence[Compiled] | None) -> list[tuple[int, int]]:
    """Contiguous chunks of at most ``size`` runs, each within a stretch of runs sharing one compiled scenario."""
    if compiled_runs is None:
        return [(lo, min(lo + size, n_runs)) for lo in range(0, n_runs, size)]
    bounds: list[tuple[int, int]] = []
    lo = 0
    while lo < n_runs:
        hi = lo + 1
        while hi < n_runs and hi - lo < size and compiled_runs[hi] is compiled_runs[lo]:
            hi += 1
        bounds.append((lo, hi))
        lo = hi
    return bounds


class _SeriesGather:
    """Copies each chunk's series into the ensemble's arrays as it arrives (never holding both whole)."""

    def __init__(self, n_runs: int) -> None:
        self.n_runs = n_runs
        self.filled = 0
        self.arrays: dict[str, np.ndarray] = {}

    def add(self, part: dict[str, np.ndarray]) -> None:
        n = next(iter(part.values())).shape[0]
        if n == self.n_runs:  # one chunk holds every run: keep it as it is
            self.arrays = part
        else:
            if not self.arrays:
                self.arrays = {name: np.empty((self.n_runs,) + arr.shape[1:]) for name, arr in part.items()}
            for name, arr in part.items():
                self.arrays[name][self.filled: self.filled + n] = arr
        self.filled += n

    def result(self) -> dict[str, np.ndarray]:
        return self.arrays


class _SummaryGather:
    """Copies each chunk's per-run totals into the ensemble's arrays as it arrives.

    The arrays are made at the first part, for every run, so the ensemble never
    holds its totals twice (a list of parts and their concatenation: 210 MB of
    lane totals for 10,000 baseline runs) and fills them in run order.
    """

    def __init__(self, c: Compiled, n_runs: int) -> None:
        self.groups, _ = band_groups(c)
        self.bands = BandAccumulator(n_runs, c.n_days, len(BAND_SERIES) * len(self.groups))
        self.n_runs = n_runs
        self.filled = 0
        self.totals: dict[str, np.ndarray] = {}

    def add(self, part: SummaryPart) -> None:
        n = part.demand.shape[0]
        for name in _TOTALS:
            value = getattr(part, name)
            if name not in self.totals:
                self.totals[name] = np.empty((self.n_runs,) + value.shape[1:], dtype=value.dtype)
            self.totals[name][self.filled: self.filled + n] = value
        self.filled += n
        self.bands.add(part.daily)

    def result(self) -> EnsembleData:
        bands, exact = self.bands.result()
        n_groups = len(self.groups)
        return EnsembleData(**self.totals,
                            bands={name: bands[:, :, i * n_groups: (i + 1) * n_groups]
                                   for i, name in enumerate(BAND_SERIES)},
                            band_groups=self.groups, bands_exact=exact)


#: The per-run totals of a `SummaryPart` that `EnsembleData` gathers, in run order.
_TOTALS = ("demand", "delivered", "served_on_day", "stockout_days", *LANE_TOTALS, "value_added_loss",
           "value_added_loss_recent", *TIMING_TOTALS)
