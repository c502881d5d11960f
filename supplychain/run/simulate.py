"""The one entry point that runs a scenario on an engine.

Implements docs/model.md §7.2 (seeds) and §10 (conformance).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from .._validation import check_choice, fail
from ..compile.compiler import compile_scenario
from ..engines.draws import run_seed_sequences
from ..errors import SimulationWarning
from ..model.scenario import Scenario
from ..results.series import Coords, Results

if TYPE_CHECKING:
    from ..results.ensemble import EnsembleResults

__all__ = ["simulate", "ENGINES", "ENGINE_WORDS", "warn_identical_runs", "IDENTICAL_RUNS_MESSAGE", "FRESH_SEED_MESSAGE",
           "identical_runs_expected"]

ENGINES = ("des", "vector")
#: Other words users write for the engines (the libraries they are built on, what they are).
ENGINE_WORDS = {"simpy": "des", "event": "des", "discrete-event": "des", "discrete_event": "des",
                "numpy": "vector", "vectorised": "vector", "vectorized": "vector", "array": "vector"}


def resolve_seed(seed: int | None, scenario: Scenario) -> int:
    """The root seed: the argument, else the scenario's, else fresh entropy (recorded)."""
    if seed is None:
        seed = scenario.seed
    if seed is None:
        # Fresh OS entropy, folded to 63 bits so the recorded seed is short enough to retype.
        return int(np.random.SeedSequence().entropy) % (2**63)  # type: ignore[operator]
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise fail("seed", "a non-negative integer or None", seed, "simulate")
    return int(seed)


@overload
def simulate(scenario: Scenario, *, engine: Literal["des", "vector"] = ..., n_runs: int = ...,
             seed: int | None = ..., keep: Literal["series"] = ..., chunk_size: int | None = ...,
             executor: Any = ..., progress: bool = ...) -> Results: ...


@overload
def simulate(scenario: Scenario, *, engine: Literal["des", "vector"] = ..., n_runs: int = ...,
             seed: int | None = ..., keep: Literal["summary"], chunk_size: int | None = ...,
             executor: Any = ..., progress: bool = ...) -> EnsembleResults: ...


def simulate(scenario: Scenario, *, engine: Literal["des", "vector"] = "des", n_runs: int = 1,
             seed: int | None = None, keep: Literal["series", "summary"] = "series",
             chunk_size: int | None = None, executor: Any = None,
             progress: bool = False) -> Results | EnsembleResults:
    """Run ``scenario`` on an engine and return its `Results`.

    Parameters
    ----------
    scenario : Scenario
        What to simulate. Its ``uncertainties`` (parameters given as
        distributions) are drawn anew in each run from the run's own seed
        stream, so one seed gives every scenario the same draws
        (`supplychain.run.uncertain`).
    engine : {"des", "vector"}
        ``"des"``: the SimPy discrete-event engine (the readable reference).
        ``"vector"``: the vectorised NumPy engine (fast Monte Carlo).
    n_runs : int
        Number of independent runs (replications).
    seed : int, optional
        Root seed; defaults to ``scenario.seed``, else fresh entropy that is
        recorded in the results (``results.seed``) so the run can be repeated.
        A scenario with random parts run without any seed warns so
        (`FRESH_SEED_MESSAGE`): each such call draws other numbers.
    keep : {"series", "summary"}
        ``"series"``: every daily series (memory grows with runs x days x
        items; for few runs). ``"summary"``: per-run totals and daily
        percentile bands only, an `EnsembleResults`
        whose memory does not grow with the daily series (for many runs).
    chunk_size : int, optional
        Runs simulated together in one task (default: chosen for speed and
        memory). Results do not depend on it.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where chunks run. Default: in-process for small ensembles, two local
        worker processes for large ones. Results do not depend on it.
    progress : bool
        Show a progress bar over runs on stderr.

    Returns
    -------
    Results or EnsembleResults
        `Results` for ``keep="series"``.

    Raises
    ------
    ValidationError
        If an argument is out of range.

    Warns
    -----
    SimulationWarning
        If ``n_runs > 1`` but nothing in the scenario is random (no random
        lead times, demand noise, random outages, licence draws or uncertain
        parameters): every run is then identical (`warn_identical_runs`).
        If the scenario has random parts and no seed was given, neither here
        nor as ``scenario.seed`` (`FRESH_SEED_MESSAGE`): the numbers change
        from call to call, and ``results.seed`` is what repeats them.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), engine="des", seed=7)
    >>> res.engine, res.seed
    ('des', 7)
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> simulate(synthetic_scenario(10, horizon_days=30), engine="vector", n_runs=200, seed=7,
    ...          keep="summary").fill_rate.shape[0]
    200
    """
    if not isinstance(scenario, Scenario):
        raise fail("scenario", "a Scenario", type(scenario).__name__, "simulate")
    check_choice(engine, ENGINES, "engine", "simulate", meaning=ENGINE_WORDS)
    if isinstance(n_runs, bool) or not isinstance(n_runs, (int, np.integer)) or n_runs < 1:
        raise fail("n_runs", "a positive integer", n_runs, "simulate")
    _check_ensemble_args(keep, chunk_size, executor, progress)
    root = resolve_seed(seed, scenario)
    seqs = run_seed_sequences(root, int(n_runs))
    compiled_runs = order = None
    if scenario.uncertainties:
        from .uncertain import compile_runs, grouped_order
        compiled_runs = compile_runs(scenario, seqs)
        order = grouped_order(compiled_runs)
        seqs = [seqs[i] for i in order]
        compiled_runs = [compiled_runs[i] for i in order]
        compiled = compiled_runs[0]
    else:
        compiled = compile_scenario(scenario)
    if seed is None and scenario.seed is None and (not compiled.is_deterministic or compiled_runs is not None):
        # Fresh entropy is right for Monte Carlo (two calls are independent samples), but a figure that
        # changes on every rerun must not be a surprise: say it, and where the seed used is recorded.
        warnings.warn(FRESH_SEED_MESSAGE, SimulationWarning, stacklevel=2)
    if n_runs > 1 and compiled.is_deterministic and (compiled_runs is None
                                                     or all(c is compiled for c in compiled_runs)):
        warn_identical_runs(int(n_runs), stacklevel=2)
    from .chunks import run_ensemble, used_compiled_loops
    out = run_ensemble(compiled, seqs, engine=engine, keep=keep, chunk_size=chunk_size,
                       executor=executor, progress=progress, compiled_runs=compiled_runs)
    loops = used_compiled_loops(compiled, int(n_runs), engine, executor)
    if order is not None:
        out = _in_run_order(out, np.argsort(order))
    coords = Coords.from_scenario(scenario, compiled.stock_node, compiled.stock_commodity)
    if not isinstance(out, dict):
        from ..engines.summary import QUANTILES
        from ..results.ensemble import EnsembleResults
        return EnsembleResults(engine=engine, seed=root, scenario=scenario, coords=coords,
                               n_days=compiled.n_days, demand=out.demand, delivered=out.delivered,
                               served_on_day=out.served_on_day, stockout_days=out.stockout_days,
                               lane_flow=out.lane_flow, lane_tariff_units=out.lane_tariff_units,
                               lane_extra_usd=out.lane_extra_usd, value_added_loss=out.value_added_loss,
                               value_added_loss_recent=out.value_added_loss_recent,
                               days_below=out.days_below, days_to_recover=out.days_to_recover,
                               bands=out.bands, band_groups=out.band_groups, quantiles=QUANTILES,
                               bands_exact=out.bands_exact, compiled_loops=loops)
    arrays = out
    held = sum(a.nbytes for a in arrays.values())
    if held > SERIES_WARN_BYTES:
        from .._format import format_bytes
        warnings.warn(f"keep='series' holds every daily series of the {n_runs:,} runs: {format_bytes(held)} in "
                      "memory (to_dataframe() of all of it needs many times that); keep='summary' keeps each run's "
                      "measures and daily bands in a small part of it", SimulationWarning, stacklevel=2)
    return Results(engine=engine, seed=root, scenario=scenario, coords=coords, arrays=arrays,
                   initial_inventory=compiled.initial_stock.copy(),
                   initial_in_transit=compiled.initial_arrivals.sum(axis=0), compiled_loops=loops)


#: Daily series above this many bytes make `simulate` say so and name ``keep="summary"``.
SERIES_WARN_BYTES = 2_000_000_000

#: What `simulate` says when a scenario with random parts gets no seed (the same text each time, so it shows once
#: per calling line).
FRESH_SEED_MESSAGE = ("no seed given for a scenario with random parts (random lead times, noise, outages, licence "
                      "draws or uncertain parameters): the seed was drawn from fresh entropy, so another call gives "
                      "other numbers; it is recorded as results.seed; pass simulate(..., seed=N), or set "
                      "Scenario.seed (seed = N under [scenario] in a scenario file), to repeat a run")

IDENTICAL_RUNS_MESSAGE = ("nothing in this scenario is random; the {n} runs are identical: use n_runs=1, or "
                          "random_lead_times=True / noise / RandomOutage")


def warn_identical_runs(n_runs: int, *, stacklevel: int = 2) -> None:
    """Warn that the ``n_runs`` runs of an ensemble are identical (nothing in its scenario is random).

    ``stacklevel`` counts from the caller of this function (2: its caller's caller).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_identical_runs(500)
    >>> str(caught[0].message)[:60]
    'nothing in this scenario is random; the 500 runs are identic'
    """
    warnings.warn(IDENTICAL_RUNS_MESSAGE.format(n=n_runs), SimulationWarning, stacklevel=stacklevel + 1)


@contextlib.contextmanager
def identical_runs_expected() -> Iterator[None]:
    """Within this block, `simulate` does not warn of identical runs.

    For a baseline run as many times as a random scenario it is paired with
    (common random numbers): its runs are identical by design.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error")
    ...     with identical_runs_expected():
    ...         simulate(load_baseline().with_horizon(5), engine="vector", n_runs=2, seed=0).n_runs
    2
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="nothing in this scenario is random", category=SimulationWarning)
        yield


def _in_run_order(out: Any, inverse: np.ndarray) -> Any:
    """Put the per-run arrays of grouped runs back in run order (bands over runs need no reordering)."""
    if isinstance(out, dict):
        return {name: arr[inverse] for name, arr in out.items()}
    import dataclasses
    return dataclasses.replace(out, **{name: getattr(out, name)[inverse]
                                       for name in ("demand", "delivered", "served_on_day", "stockout_days",
                                                    "lane_flow", "lane_tariff_units", "lane_extra_usd",
                                                    "value_added_loss", "value_added_loss_recent",
                                                    "days_below", "days_to_recover")})


def _check_ensemble_args(keep: object, chunk_size: object, executor: object, progress: object) -> None:
    """Validate the arguments that choose how an ensemble is run and kept."""
    check_choice(keep, ("series", "summary"), "keep", "simulate")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer))
                                   or chunk_size < 1):
        raise fail("chunk_size", "a positive integer or None", chunk_size, "simulate")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise fail("executor", "a concurrent.futures.Executor, a dask.distributed Client or None",
                   executor, "simulate")
    if not isinstance(progress, bool):
        raise fail("progress", "True or False", progress, "simulate")
