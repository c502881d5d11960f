"""Choice of engine and number of runs for the analytics drivers.

The drivers (stress test, scorecard, sensitivity) run many scenarios; they
use the vectorised engine with many runs when it is installed, else the
SimPy engine with a few, and a single run when nothing in the scenario is
random (every run would be identical).
"""

from __future__ import annotations

import importlib.util
from typing import Literal

from .._validation import check_choice, fail
from ..compile.compiler import compile_scenario
from ..model import Scenario

__all__ = ["vector_available", "is_deterministic", "pick_engine"]

#: Default runs per scenario when the caller gives none.
DEFAULT_RUNS = {"vector": 200, "des": 8}


def vector_available() -> bool:
    """True when the vectorised engine (``supplychain.engines.vector``) is installed."""
    return importlib.util.find_spec("supplychain.engines.vector") is not None


def is_deterministic(scenario: Scenario) -> bool:
    """True when nothing in ``scenario`` is random, so every run is the same.

    Random inputs are lead times, demand noise, outages and licence draws (compiled
    schedules) and uncertain parameters (``scenario.uncertainties``).
    """
    return not scenario.uncertainties and compile_scenario(scenario).is_deterministic


def pick_engine(deterministic: bool, n_runs: int | None,
                engine: Literal["des", "vector"] | None = None) -> tuple[Literal["des", "vector"], int]:
    """Engine and number of runs: ``n_runs`` if given, else 1 when ``deterministic``, else many.

    Examples
    --------
    >>> pick_engine(True, None, "des")     # deterministic: one run is enough
    ('des', 1)
    >>> pick_engine(False, None, "des")
    ('des', 8)
    """
    chosen: Literal["des", "vector"] = engine or ("vector" if vector_available() else "des")
    if chosen not in DEFAULT_RUNS:
        check_choice(engine, tuple(DEFAULT_RUNS), "engine", "analytics", also=" or None")
    if n_runs is not None:
        if isinstance(n_runs, bool) or not isinstance(n_runs, int) or n_runs < 1:
            raise fail("n_runs", "a positive integer or None", n_runs, "analytics")
        return chosen, n_runs
    return chosen, 1 if deterministic else DEFAULT_RUNS[chosen]
