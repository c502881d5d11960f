"""Policy experiments under deep uncertainty: designs, runs on common random numbers, robustness, discovery.

* `.design`: the shared sample of futures (``scipy.stats.qmc``) and
  policies built from levers;
* `.runner`: `run_experiment`, every policy on every future;
* `.robust`: per-policy statistics, regret, satisficing, paired intervals;
* `.prim`: scenario discovery with PRIM;
* `.sobol`: Sobol indices of an outcome over the uncertainties, with
  bootstrap confidence intervals.

The specification itself is model data: `supplychain.model.experiment`.
"""

from .design import future_sample, lever_strategies, unit_sample
from .prim import PrimBox, PrimResult, prim
from .robust import expected_worst, regret, robustness_table, satisficing
from .runner import ExperimentResults, run_experiment, run_futures
from .sobol import sobol_experiment

__all__ = ["run_experiment", "run_futures", "ExperimentResults", "future_sample", "lever_strategies",
           "unit_sample", "robustness_table", "regret", "satisficing", "expected_worst", "prim", "PrimResult",
           "PrimBox", "sobol_experiment"]
