"""The standard answer of an experiment: a robustness table of the primary outcome and PRIM boxes of failures.

Used by the ``supplychain experiment`` command and the worked example, so
both print and write the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..compare import format_usd
from .prim import PrimBox, PrimResult, prim
from .robust import robustness_table

if TYPE_CHECKING:
    import pandas as pd

    from .runner import ExperimentResults

__all__ = ["ExperimentReport", "experiment_report", "format_robustness", "discover"]


def discover(results: ExperimentResults, policy: str, *, alpha: float = 0.05, threshold: float = 0.8,
             paste: bool = True) -> PrimResult | None:
    """PRIM over the uncertainties for the futures in which ``policy`` fails; None if it never fails.

    A failure is a future whose primary outcome misses the experiment's
    ``threshold`` (`Experiment.failed`).
    """
    exp = results.experiment
    k = results.outcome_names.index(str(exp.primary))
    y = exp.failed(results.values[results.policy_names.index(policy), :, k])
    if not y.any():
        return None
    return prim(results.futures, y, alpha=alpha, threshold=threshold, paste=paste)


@dataclass(frozen=True)
class ExperimentReport:
    """Robustness of every policy on the primary outcome, and where each fails."""

    robustness: pd.DataFrame
    prim: dict[str, PrimResult | None]
    boxes: dict[str, PrimBox | None]
    failure_share: dict[str, float]


def experiment_report(results: ExperimentResults) -> ExperimentReport:
    """Robustness table of the primary outcome (with the policy cost) and PRIM boxes of failures.

    Examples
    --------
    >>> from supplychain.analytics.experiments import run_experiment
    >>> from supplychain.analytics.experiments._demo import demo_experiment
    >>> import dataclasses
    >>> exp = dataclasses.replace(demo_experiment(n_futures=10), threshold=1.0)
    >>> rep = experiment_report(run_experiment(exp))
    >>> list(rep.robustness.index), rep.failure_share["reserve"] <= rep.failure_share["none"]
    (['none', 'reserve'], True)
    """
    exp = results.experiment
    primary = str(exp.primary)
    table = robustness_table(results, primary, threshold=exp.threshold, cost=exp.cost)
    prims: dict[str, PrimResult | None] = {}
    boxes: dict[str, PrimBox | None] = {}
    share: dict[str, float] = {}
    k = results.outcome_names.index(primary)
    for i, name in enumerate(results.policy_names):
        share[name] = float(np.mean(exp.failed(results.values[i, :, k]))) if exp.threshold is not None else np.nan
        prims[name] = discover(results, name) if exp.threshold is not None else None
        boxes[name] = prims[name].box() if prims[name] is not None else None  # type: ignore[union-attr]
    return ExperimentReport(robustness=table, prim=prims, boxes=boxes, failure_share=share)


def format_robustness(table: pd.DataFrame, *, usd: bool = True) -> str:
    """The robustness table as text, money in the one format (``$92.37M``) when ``usd``."""
    shown = table.copy()
    for col in shown.columns:
        if col in ("best_share", "satisficing"):
            shown[col] = [f"{v:.0%}" for v in shown[col]]
        elif usd or col == "cost_mean":
            shown[col] = [format_usd(float(v), sign=col.startswith("diff")) for v in shown[col]]
        else:
            shown[col] = [f"{v:,.4g}" for v in shown[col]]
    return shown.to_string()
