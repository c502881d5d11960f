"""Robust comparison of policies over a shared set of futures.

For an outcome ``x[p, f]`` of policy ``p`` in future ``f`` (less is better
unless the outcome's ``sense`` is ``"max"``):

* **regret** ``x[p, f] - min_q x[q, f]``: how much worse ``p`` did than the
  best policy *in that future* (Savage, 1951, *JASA* 46(253)); the maximum
  over futures is the minimax-regret criterion;
* **satisficing**: the share of futures in which ``x[p, f]`` meets a
  threshold (Simon, 1956; the domain criterion of Starr, 1963);
* **expected worst**: the mean of the worst ``tail`` share of futures
  (expected shortfall, or CVaR, of the outcome; Rockafellar & Uryasev, 2000);
* **paired differences** against a reference policy on the same futures
  (common random numbers), with a Student-t interval on the per-future
  differences.

Implements docs/model.md §6.14 (experiments).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from ..._validation import check_known, check_probability, fail

if TYPE_CHECKING:
    import pandas as pd

    from .runner import ExperimentResults

__all__ = ["regret", "satisficing", "expected_worst", "paired_interval", "robustness_table"]


def _matrix(values: np.ndarray) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise fail("values", "a (policies, futures) array", x.shape, "robustness")
    return x


def regret(values: np.ndarray, *, sense: str = "min") -> np.ndarray:
    """Regret of each policy in each future, ``(n_policies, n_futures)``, never negative.

    Examples
    --------
    >>> regret([[1.0, 5.0], [2.0, 3.0]]).tolist()
    [[0.0, 2.0], [1.0, 0.0]]
    >>> regret([[1.0, 5.0], [2.0, 3.0]], sense="max").tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    x = _matrix(values)
    if sense == "min":
        return x - x.min(axis=0)
    if sense == "max":
        return x.max(axis=0) - x
    raise fail("sense", "'min' or 'max'", sense, "regret")


def satisficing(values: np.ndarray, threshold: float, *, sense: str = "min") -> np.ndarray:
    """Share of futures in which each policy meets ``threshold`` (``<=`` for min, ``>=`` for max).

    Examples
    --------
    >>> satisficing([[1.0, 5.0, 2.0], [2.0, 3.0, 9.0]], 3.0).tolist()
    [0.6666666666666666, 0.6666666666666666]
    """
    x = _matrix(values)
    ok = x <= threshold if sense == "min" else x >= threshold
    return np.asarray(ok.mean(axis=1))


def expected_worst(values: np.ndarray, *, tail: float = 0.05, sense: str = "min") -> np.ndarray:
    """Mean of each policy's worst ``ceil(tail x n_futures)`` futures (expected shortfall of the outcome).

    Examples
    --------
    >>> expected_worst([[1.0, 2.0, 3.0, 10.0]], tail=0.5).tolist()
    [6.5]
    """
    x = _matrix(values)
    check_probability(tail, "tail", "expected_worst")
    k = max(1, math.ceil(tail * x.shape[1] - 1e-9))
    ordered = np.sort(x, axis=1)
    worst = ordered[:, -k:] if sense == "min" else ordered[:, :k]
    return np.asarray(worst.mean(axis=1))


def paired_interval(a: np.ndarray, b: np.ndarray, *, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``a - b`` over paired futures and its Student-t interval ``(mean, low, high)``.

    Examples
    --------
    >>> paired_interval([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])  # doctest: +ELLIPSIS
    (3.0, 0.5158...
    """
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    mean = float(d.mean())
    if d.size < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + level / 2, d.size - 1) * d.std(ddof=1) / math.sqrt(d.size))
    return mean, mean - half, mean + half


def robustness_table(results: ExperimentResults, outcome: str, *, threshold: float | None = None,
                     reference: str | None = None, percentiles: Sequence[float] = (5, 50, 95),
                     tail: float = 0.05, level: float = 0.95, cost: str | None = None) -> pd.DataFrame:
    """One row per policy: mean, percentiles, expected worst, regret, satisficing and a paired interval.

    Parameters
    ----------
    results : ExperimentResults
        From `run_experiment`.
    outcome : str
        The outcome compared.
    threshold : float, optional
        Satisficing threshold (column ``satisficing``: share of futures at
        or below it, or at or above for ``sense="max"``).
    reference : str, optional
        Policy the others are compared with on the same futures (default:
        the first): ``diff_mean`` and its ``level`` interval ``diff_low``,
        ``diff_high`` (policy minus reference).
    percentiles : sequence of float
        Columns ``p5``, ``p50``, ...
    tail : float
        Share of worst futures averaged in ``worst_mean`` (5 %: expected
        shortfall of the worst 5 %).
    cost : str, optional
        An outcome added as ``cost_mean`` (the policy's own cost), for the
        Pareto view.

    Examples
    --------
    >>> from supplychain.analytics.experiments import run_experiment
    >>> from supplychain.analytics.experiments._demo import demo_experiment
    >>> res = run_experiment(demo_experiment(n_futures=6))
    >>> t = robustness_table(res, "shortfall", threshold=0.0, cost="cost")
    >>> list(t.index), "max_regret" in t.columns
    (['none', 'reserve'], True)
    """
    import pandas as pd

    o = results.experiment.outcome(outcome)
    x = results.values[:, :, results.outcome_names.index(outcome)]
    names = results.policy_names
    ref = names[0] if reference is None else check_known(reference, names, "reference", "robustness_table")
    r = regret(x, sense=o.sense)
    table = pd.DataFrame(index=pd.Index(names, name="policy"))
    table["mean"] = x.mean(axis=1)
    for q in percentiles:
        table[f"p{q:g}"] = np.percentile(x, q, axis=1)
    table[f"worst{100 * tail:g}%_mean"] = expected_worst(x, tail=tail, sense=o.sense)
    table["mean_regret"] = r.mean(axis=1)
    table["max_regret"] = r.max(axis=1)
    table["best_share"] = (r <= 1e-12 * np.maximum(1.0, np.abs(x))).mean(axis=1)
    if threshold is not None:
        table["satisficing"] = satisficing(x, threshold, sense=o.sense)
    diffs = [paired_interval(x[i], x[names.index(ref)], level=level) for i in range(len(names))]
    table[f"diff_vs_{ref}"] = [d[0] for d in diffs]
    table["diff_low"] = [d[1] for d in diffs]
    table["diff_high"] = [d[2] for d in diffs]
    if cost is not None:
        table["cost_mean"] = results.values[:, :, results.outcome_names.index(cost)].mean(axis=1)
    return table
