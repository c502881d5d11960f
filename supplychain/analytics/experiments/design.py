"""Designs: the shared sample of futures, and policies built from the levers.

Futures are points of the unit cube from ``scipy.stats.qmc`` (a Latin
hypercube, McKay, Beckman & Conover, 1979, *Technometrics* 21(2); or a
scrambled Sobol sequence, Owen, 1998) or plain random numbers, mapped to
values through each uncertainty's quantile function
(`Uncertainty.values`). Policies from levers are a
full-factorial grid of their options, or a Latin-hypercube or Sobol sample
of their ranges.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import qmc

from ..._validation import check_choice, fail
from ...model.experiment import DESIGNS, Experiment, Lever, Strategy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["unit_sample", "future_sample", "lever_strategies", "strategies_of", "design_seed"]

#: Child index of the experiment's root seed that feeds the designs (runs use children 0, 1, ...).
_DESIGN_STREAM = 1 << 21


def design_seed(seed: int, salt: int = 0) -> np.random.Generator:
    """The generator of an experiment's designs, independent of its runs' streams."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DESIGN_STREAM, salt)))


def unit_sample(n: int, d: int, design: str = "lhs", *, seed: int = 0, salt: int = 0) -> np.ndarray:
    """``n`` points of the unit cube ``[0, 1)^d``.

    Examples
    --------
    >>> x = unit_sample(8, 2, "lhs", seed=1)
    >>> x.shape, sorted((x[:, 0] * 8).astype(int).tolist()) == list(range(8))
    ((8, 2), True)
    """
    check_choice(design, DESIGNS, "design", "experiment")
    rng = design_seed(seed, salt)
    if design == "lhs":
        return np.asarray(qmc.LatinHypercube(d=d, seed=rng).random(n))
    if design == "sobol":
        with warnings.catch_warnings():  # scipy warns when n is not a power of 2 (balance is lost, not validity)
            warnings.simplefilter("ignore", UserWarning)
            return np.asarray(qmc.Sobol(d=d, scramble=True, seed=rng).random(n))
    return rng.random((n, d))


def future_sample(experiment: Experiment, units: np.ndarray | None = None) -> pd.DataFrame:
    """The futures: one row per future, one column per uncertainty path (values, not unit numbers)."""
    import pandas as pd

    if units is None:
        units = unit_sample(experiment.n_futures, len(experiment.uncertainties), experiment.design,
                            seed=experiment.seed)
    return pd.DataFrame({u.path: u.values(units[:, k]) for k, u in enumerate(experiment.uncertainties)})


def lever_strategies(levers: Sequence[Lever], *, design: str = "factorial", n: int | None = None,
                     seed: int = 0) -> tuple[Strategy, ...]:
    """Policies from levers: every combination of options (``"factorial"``) or ``n`` points of a design.

    Examples
    --------
    >>> levers = [Lever("responses.s.reserve_days", values=(0, 90)),
    ...           Lever("responses.p.build_lag_days", values=(365, 730))]
    >>> [s.name for s in lever_strategies(levers)]
    ['policy_0', 'policy_1', 'policy_2', 'policy_3']
    >>> lever_strategies(levers)[1].as_dict()
    {'responses.s.reserve_days': 0, 'responses.p.build_lag_days': 730}
    """
    if not levers:
        return (Strategy("no_levers"),)
    if design == "factorial":
        grid = list(itertools.product(*(lever.options() for lever in levers)))
    else:
        if n is None or n < 1:
            raise fail("n", "a positive number of policies for a sampled lever design", n, "lever_strategies")
        units = unit_sample(n, len(levers), design, seed=seed, salt=1)
        grid = [tuple(lever.value(u) for lever, u in zip(levers, row)) for row in units]
    return tuple(Strategy(f"policy_{i}", dict(zip((lever.path for lever in levers), values)))
                 for i, values in enumerate(grid))


def strategies_of(experiment: Experiment) -> tuple[Strategy, ...]:
    """The experiment's policies: its named strategies, else a full-factorial design over its levers."""
    return experiment.strategies or lever_strategies(experiment.levers, seed=experiment.seed)
