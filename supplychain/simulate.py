"""The one entry point that runs a scenario on an engine."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ._validation import fail
from .engines._compile import compile_scenario
from .engines._random import run_seed_sequences
from .model.scenario import Scenario
from .results import Coords, Results

__all__ = ["simulate", "ENGINES"]

ENGINES = ("des", "vector")


def resolve_seed(seed: int | None, scenario: Scenario) -> int:
    """The root seed: the argument, else the scenario's, else fresh entropy (recorded)."""
    if seed is None:
        seed = scenario.seed
    if seed is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise fail("seed", "a non-negative integer or None", seed, "simulate")
    return int(seed)


def simulate(scenario: Scenario, *, engine: Literal["des", "vector"] = "des", n_runs: int = 1,
             seed: int | None = None) -> Results:
    """Run ``scenario`` on an engine and return its :class:`~supplychain.results.Results`.

    Parameters
    ----------
    scenario : Scenario
        What to simulate.
    engine : {"des", "vector"}
        ``"des"``: the SimPy discrete-event engine (the readable reference).
        ``"vector"``: the vectorised NumPy engine (fast Monte Carlo).
    n_runs : int
        Number of independent runs (replications).
    seed : int, optional
        Root seed; defaults to ``scenario.seed``, else fresh entropy that is
        recorded in the results so the run can be repeated.

    Returns
    -------
    Results

    Raises
    ------
    ValidationError
        If an argument is out of range.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> res = simulate(load_baseline().with_horizon(20), engine="des", seed=7)
    >>> res.engine, res.seed
    ('des', 7)
    """
    if not isinstance(scenario, Scenario):
        raise fail("scenario", "a Scenario", type(scenario).__name__, "simulate")
    if engine not in ENGINES:
        raise fail("engine", f"one of {ENGINES}", engine, "simulate")
    if isinstance(n_runs, bool) or not isinstance(n_runs, (int, np.integer)) or n_runs < 1:
        raise fail("n_runs", "a positive integer", n_runs, "simulate")
    root = resolve_seed(seed, scenario)
    compiled = compile_scenario(scenario)
    seqs = run_seed_sequences(root, int(n_runs))
    if engine == "des":
        from .engines.des import run_des
        arrays = run_des(compiled, seqs)
    else:
        from .engines.vector import run_vector
        arrays = run_vector(compiled, seqs)
    coords = Coords.from_scenario(scenario, compiled.stock_node, compiled.stock_commodity)
    return Results(engine=engine, seed=root, scenario=scenario, coords=coords, arrays=arrays,
                   initial_inventory=compiled.initial_stock.copy(),
                   initial_in_transit=compiled.initial_arrivals.sum(axis=0))
