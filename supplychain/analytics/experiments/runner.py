"""Running an experiment: every policy on every future, on common random numbers, in chunks.

Each (policy, future) pair is one scenario, made by the one substitution
(`substitute`) of the policy's lever settings
and the future's values into the template, and run ``replications`` times.
Replication ``r`` of future ``f`` uses the seed sequence
``SeedSequence(seed, spawn_key=(f, r))`` under every policy, so policies are
compared on the same futures *and* the same outages, noise and licence
draws (common random numbers). The outcomes are computed where each run
happens (`.outcomes`); pairs are spread over the executors of
`supplychain.simulate` (`supplychain.run.tasks.map_chunks`), and
results never depend on chunk size or executor.

Implements docs/model.md §6.14 (experiments).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._validation import check_known, fail
from ...compile.compiler import compile_scenario
from ...errors import SimulationWarning
from ...model.experiment import Experiment, Outcome, PolicyCosts, Strategy
from ...model.substitution import substitute
from ...model.scenario import Scenario
from ...run.tasks import map_chunks
from ...run.uncertain import region_usage
from .design import future_sample, strategies_of, unit_sample
from .outcomes import check_outcomes, evaluate

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ExperimentResults", "run_experiment", "run_seeds"]

#: Distinct run warnings shown (the most frequent); the rest are counted in one line.
_MAX_WARNINGS = 3
#: Runs above which the default executor uses two local worker processes.
_PROCESS_RUNS = 16


def run_seeds(seed: int, future: int, replications: int) -> list[np.random.SeedSequence]:
    """Seed sequences of one future's replications: the same under every policy (common random numbers).

    Examples
    --------
    >>> [s.spawn_key for s in run_seeds(3, 7, 2)]
    [(7, 0), (7, 1)]
    """
    return [np.random.SeedSequence(seed, spawn_key=(future, r)) for r in range(replications)]


def _evaluate_item(item: tuple[Scenario, list[np.random.SeedSequence]], engine: str,
                   outcomes: tuple[Outcome, ...], costs: PolicyCosts) -> np.ndarray:
    """One (policy, future): compile, run its replications, return outcomes ``(replications, n_outcomes)``."""
    scenario, seqs = item
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SimulationWarning)
        c = compile_scenario(scenario)
        if engine == "des":
            from ...engines.des import run_des
            arrays = run_des(c, seqs, keep="series")
        else:
            from ...engines.vector import run_vector
            arrays = run_vector(c, seqs, keep="series")
    notes = tuple(str(w.message) for w in caught if issubclass(w.category, SimulationWarning))
    return evaluate(c, arrays, outcomes, costs), notes


@dataclass(frozen=True, eq=False)
class ExperimentResults:
    """What an experiment gives: every outcome of every policy in every future.

    Parameters
    ----------
    experiment : Experiment
        What was run.
    strategies : tuple of Strategy
        The policies, in the order of the first axis.
    futures : pandas.DataFrame
        One row per future, one column per uncertainty path (the values run).
    units : ndarray
        The design's unit numbers behind ``futures``, ``(n_futures, n_uncertainties)``.
    values : ndarray
        Outcomes averaged over replications, ``(n_policies, n_futures, n_outcomes)``.
    replicates : ndarray
        Every run's outcomes, ``(n_policies, n_futures, replications, n_outcomes)``.

    Examples
    --------
    >>> from supplychain.analytics.experiments._demo import demo_experiment
    >>> res = run_experiment(demo_experiment(n_futures=6))
    >>> res.values.shape, list(res.table().columns[:3])
    ((2, 6, 2), ['policy', 'future', 'shocks.quake.duration_days'])
    """

    experiment: Experiment
    strategies: tuple[Strategy, ...]
    futures: pd.DataFrame
    units: np.ndarray
    values: np.ndarray
    replicates: np.ndarray

    @property
    def policy_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.strategies)

    @property
    def outcome_names(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.experiment.outcomes)

    def outcome(self, name: str) -> pd.DataFrame:
        """One outcome as a labelled table: futures down, policies across."""
        import pandas as pd

        check_known(name, self.outcome_names, "outcome", "ExperimentResults")
        k = self.outcome_names.index(name)
        return pd.DataFrame(self.values[:, :, k].T, columns=pd.Index(self.policy_names, name="policy"),
                            index=pd.RangeIndex(self.values.shape[1], name="future"))

    def table(self) -> pd.DataFrame:
        """Tidy table, one row per experiment (policy x future): uncertainties, levers, outcomes."""
        import pandas as pd

        n_p, n_f, _ = self.values.shape
        lever_paths = list(dict.fromkeys(p for s in self.strategies for p, _ in s.settings))
        frame = pd.DataFrame({"policy": np.repeat(np.array(self.policy_names, dtype=object), n_f),
                              "future": np.tile(np.arange(n_f), n_p)})
        for path in self.futures.columns:
            frame[path] = np.tile(self.futures[path].to_numpy(), n_p)
        for path in lever_paths:
            frame[path] = np.repeat(np.array([s.as_dict().get(path) for s in self.strategies], dtype=object), n_f)
        for k, name in enumerate(self.outcome_names):
            frame[name] = self.values[:, :, k].reshape(-1)
        return frame

    def to_xarray(self) -> Any:
        """The outcomes as an ``xarray.Dataset`` over ``policy`` and ``future`` (needs xarray)."""
        try:
            import xarray as xr
        except ImportError:
            raise ImportError("to_xarray needs xarray (pip install xarray); table() and outcome() "
                              "give the same numbers as pandas objects.") from None
        coords: dict[str, Any] = {"policy": list(self.policy_names), "future": np.arange(self.values.shape[1])}
        data = {name: (("policy", "future"), self.values[:, :, k]) for k, name in enumerate(self.outcome_names)}
        ds = xr.Dataset(data, coords=coords)
        for path in self.futures.columns:
            ds = ds.assign_coords({path: ("future", self.futures[path].to_numpy())})
        return ds

    def __repr__(self) -> str:
        n_p, n_f, n_o = self.values.shape
        return (f"ExperimentResults({self.experiment.name!r}: {n_p} policies x {n_f} futures x "
                f"{self.replicates.shape[2]} replications, {n_o} outcomes)")


def _warn_once(notes: list[str]) -> None:
    """Each distinct warning of the runs once, with how many runs gave it (not once per run)."""
    counts: dict[str, int] = {}
    for note in notes:
        counts[note] = counts.get(note, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    for note, n in ranked[:_MAX_WARNINGS]:
        warnings.warn(f"{note} ({n} of the runs)" if n > 1 else note, SimulationWarning, stacklevel=3)
    if len(ranked) > _MAX_WARNINGS:
        rest = sum(n for _, n in ranked[_MAX_WARNINGS:])
        warnings.warn(f"... and {len(ranked) - _MAX_WARNINGS} other warnings from {rest} runs (values differ "
                      "between futures).", SimulationWarning, stacklevel=3)


def _items(experiment: Experiment, strategies: Sequence[Strategy], futures: pd.DataFrame,
           seed_rows: Sequence[int]) -> list[tuple[Scenario, list[np.random.SeedSequence]]]:
    template = experiment.scenario
    usage = region_usage(template.network)
    records = futures.to_dict("records")
    items = []
    for s in strategies:
        settings = s.as_dict()
        for f, values in enumerate(records):
            scenario = substitute(template, {**settings, **values}, usage=usage,
                                  name=f"{template.name} [{s.name}, future {f}]")
            items.append((scenario, run_seeds(experiment.seed, int(seed_rows[f]), experiment.replications)))
    return items


def run_futures(experiment: Experiment, units: np.ndarray, *, strategies: Sequence[Strategy] | None = None,
                seed_rows: Sequence[int] | None = None, executor: Any = None, chunk_size: int = 1,
                progress: bool = False) -> ExperimentResults:
    """Run policies on futures given as unit numbers ``(n_futures, n_uncertainties)`` (a design's points)."""
    strategies = tuple(strategies_of(experiment) if strategies is None else strategies)
    check_outcomes(experiment.scenario.network, experiment.outcomes)
    units = np.asarray(units, dtype=float)
    futures = future_sample(experiment, units)
    rows = np.arange(len(futures)) if seed_rows is None else np.asarray(seed_rows)
    items = _items(experiment, strategies, futures, rows)
    n_runs = len(items) * experiment.replications
    out = map_chunks(_evaluate_item, items, experiment.engine, experiment.outcomes, experiment.costs,
                     chunk_size=chunk_size, executor=executor, processes=n_runs >= _PROCESS_RUNS,
                     progress=progress, desc=f"{experiment.name}: policies x futures", unit="experiment")
    _warn_once([note for _, notes in out for note in notes])
    n_p, n_f = len(strategies), len(futures)
    reps = np.stack([values for values, _ in out]).reshape(n_p, n_f, experiment.replications, len(experiment.outcomes))
    return ExperimentResults(experiment=experiment, strategies=strategies, futures=futures, units=units,
                             values=reps.mean(axis=2), replicates=reps)


def run_experiment(experiment: Experiment, *, n_futures: int | None = None, executor: Any = None,
                   chunk_size: int = 1, progress: bool = False) -> ExperimentResults:
    """Run every policy of ``experiment`` on its shared sample of futures.

    Parameters
    ----------
    experiment : Experiment
        The specification (its ``n_futures``, ``design`` and ``seed`` choose
        the futures).
    n_futures : int, optional
        Override the experiment's number of futures.
    executor : Executor or dask Client, optional
        Where the (policy, future) pairs run; default in-process for a few,
        two local worker processes for more.
    chunk_size : int
        Pairs per task. Results do not depend on it or on the executor.
    progress : bool
        A progress bar over pairs on stderr.

    Returns
    -------
    ExperimentResults

    Raises
    ------
    ValidationError
        If a lever or uncertain value is out of its field's range (the
        message names the path), or an outcome selects nothing.

    Examples
    --------
    >>> from supplychain.analytics.experiments._demo import demo_experiment
    >>> a = run_experiment(demo_experiment(n_futures=5))
    >>> b = run_experiment(demo_experiment(n_futures=5), chunk_size=3)
    >>> a.table().equals(b.table())
    True
    """
    if n_futures is not None:
        if isinstance(n_futures, bool) or not isinstance(n_futures, int) or n_futures < 1:
            raise fail("n_futures", "a positive whole number", n_futures, "run_experiment")
        import dataclasses
        experiment = dataclasses.replace(experiment, n_futures=n_futures)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise fail("chunk_size", "a positive whole number", chunk_size, "run_experiment")
    units = unit_sample(experiment.n_futures, len(experiment.uncertainties), experiment.design,
                        seed=experiment.seed)
    return run_futures(experiment, units, executor=executor, chunk_size=chunk_size, progress=progress)
