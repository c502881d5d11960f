"""Sobol indices of one outcome of one policy over the uncertainties, with bootstrap confidence intervals.

A Saltelli design (Saltelli et al., 2010, *Computer Physics Communications*
181: 259-270): two independent matrices ``A`` and ``B`` of ``n`` futures each
(the two halves of a scrambled Sobol sequence in ``2d`` dimensions) and, for
each uncertainty ``i``, ``A`` with column ``i`` taken from ``B``. First-order
indices use Saltelli (2010), total indices Jansen (1999)
(`supplychain.analytics.sensitivity.sobol_indices`). Row ``j`` of every
matrix runs on the same seeds (common random numbers), so random outages
and noise do not leak into the differences. Confidence intervals are
percentile bootstrap intervals over the ``n`` rows (Archer, Saltelli &
Sobol, 1997, *J. Statistical Computation and Simulation* 58: 99-120).
SALib offers the same estimators; this keeps the core free of it.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._validation import check_known, fail
from ...errors import SimulationWarning
from ...model.experiment import Experiment
from ..sensitivity import sobol_indices
from .design import design_seed, strategies_of, unit_sample
from .runner import run_futures

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["sobol_experiment", "bootstrap_sobol"]


def bootstrap_sobol(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray, *, n_bootstrap: int = 500,
                    level: float = 0.95, seed: int = 0) -> dict[str, np.ndarray]:
    """Sobol indices and percentile-bootstrap intervals from a Saltelli design's outputs.

    Returns ``{"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"}``, each of shape ``(d,)``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.random((2048, 2)), rng.random((2048, 2))
    >>> f = lambda x: x[:, 0] + 2 * x[:, 1]          # S = (0.2, 0.8)
    >>> fab = np.stack([f(np.where(np.arange(2) == i, b, a)) for i in range(2)])
    >>> out = bootstrap_sobol(f(a), f(b), fab, n_bootstrap=200)
    >>> bool((out["ST_low"] <= [0.2, 0.8]).all() and ([0.2, 0.8] <= out["ST_high"]).all())
    True
    """
    s1, st = sobol_indices(fa, fb, fab)
    rng = np.random.default_rng(seed)
    n = fa.shape[0]
    boot1, boott = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SimulationWarning)
        for _ in range(n_bootstrap):
            idx = rng.integers(0, n, n)
            b1, bt = sobol_indices(fa[idx], fb[idx], fab[:, idx])
            boot1.append(b1)
            boott.append(bt)
    q = [50 * (1 - level), 50 * (1 + level)]
    lo1, hi1 = np.nanpercentile(np.array(boot1), q, axis=0)
    lot, hit = np.nanpercentile(np.array(boott), q, axis=0)
    return {"S1": s1, "S1_low": lo1, "S1_high": hi1, "ST": st, "ST_low": lot, "ST_high": hit}


def sobol_experiment(experiment: Experiment, outcome: str, *, policy: str | None = None, n: int = 64,
                     n_bootstrap: int = 500, level: float = 0.95, executor: Any = None,
                     progress: bool = False) -> pd.DataFrame:
    """Sobol indices of ``outcome`` under ``policy`` over the experiment's uncertainties.

    Runs ``n (d + 2)`` futures (``d`` uncertainties) for the one policy.

    Returns
    -------
    pandas.DataFrame
        One row per uncertainty: ``S1, S1_low, S1_high, ST, ST_low, ST_high``.

    Examples
    --------
    >>> from supplychain.analytics.experiments._demo import demo_experiment
    >>> t = sobol_experiment(demo_experiment(), "shortfall", policy="none", n=3, n_bootstrap=50)
    >>> list(t.columns)
    ['S1', 'S1_low', 'S1_high', 'ST', 'ST_low', 'ST_high']
    """
    import pandas as pd

    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise fail("n", "a whole number >= 2", n, "sobol_experiment")
    strategies = strategies_of(experiment)
    names = [s.name for s in strategies]
    chosen = strategies[0] if policy is None else strategies[names.index(
        check_known(policy, names, "policy", "sobol_experiment"))]
    check_known(outcome, [o.name for o in experiment.outcomes], "outcome", "sobol_experiment")
    d = len(experiment.uncertainties)
    both = unit_sample(n, 2 * d, "sobol", seed=experiment.seed, salt=2)
    a, b = both[:, :d], both[:, d:]
    units = np.concatenate([a, b] + [np.where(np.arange(d) == i, b, a) for i in range(d)])
    rows = np.tile(np.arange(n), d + 2)
    res = run_futures(experiment, units, strategies=[chosen], seed_rows=rows, executor=executor, progress=progress)
    y = res.values[0, :, res.outcome_names.index(outcome)]
    fa, fb, fab = y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)
    seed = int(design_seed(experiment.seed, 3).integers(2**31))
    out = bootstrap_sobol(fa, fb, fab, n_bootstrap=n_bootstrap, level=level, seed=seed)
    return pd.DataFrame(out, index=pd.Index(experiment.uncertainty_paths, name="uncertainty"))
