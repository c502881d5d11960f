"""Sensitivity: which uncertain inputs drive a resilience metric.

Inputs are declared as `Parameter` objects (a range and what the
value acts on). Designs come from `scipy.stats.qmc`:

``"sobol"``
    Variance-based indices from a Saltelli design (``N (d + 2)``
    evaluations): first order by the Saltelli (2010) estimator, total order
    by Jansen (1999).
``"src"``
    Standardized regression coefficients on a Latin hypercube (``N``
    evaluations): cheap screening, trustworthy when the fit's ``R^2`` is high.

`one_at_a_time` gives the low/high swings behind a tornado chart. Each
evaluation simulates the perturbed scenario and its own unshocked baseline
with the same seed, and reduces the metric to its mean over runs.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import qmc

from .._validation import check_choice, check_id, check_number, fail
from ..errors import SimulationWarning
from ..model import Network, Scenario
from ..model.dists import Distribution
from ..model.policies import BaseStock, DaysOfCover, MinMax, Policy
from ..results.series import Results
from ..run.simulate import identical_runs_expected, simulate
from ._engine import is_deterministic, pick_engine
from .scorecard import METRICS, shock_window

__all__ = ["Parameter", "sensitivity", "one_at_a_time", "sobol_indices", "src_coefficients", "Metric"]

#: A metric: a name in `.scorecard.METRICS`, or a function of
#: (results, baseline, (shock start, shock end)) returning one value per run.
Metric = str | Callable[[Results, Results, tuple[int, int]], np.ndarray]
Target = Literal["capacity", "lead_time", "stock_cover", "elasticity", "approval_probability"]
_TARGETS = ("capacity", "lead_time", "stock_cover", "elasticity", "approval_probability")


@dataclass(frozen=True, slots=True)
class Parameter:
    """An uncertain input, sampled uniformly in ``[low, high]``.

    ``target`` says what the value acts on. For ``"capacity"`` (facility
    capacities), ``"lead_time"`` (lane lead-time distributions),
    ``"stock_cover"`` (inventory targets of facilities and demands) and
    ``"elasticity"`` (commodities' substitution elasticity) it is a
    multiplier; for ``"approval_probability"`` it replaces the approval rate
    of the scenario's licence-mode export controls. ``ids`` restricts it to
    some facilities, lanes, facilities-or-demands or commodities (``None``: all).

    Examples
    --------
    >>> Parameter("TW capacity", 0.8, 1.2, target="capacity", ids=("TW.fab",)).base
    1.0
    """

    name: str
    low: float
    high: float
    target: Target
    ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        check_id(self.name, "name", "Parameter")
        low = check_number(self.low, "low", "Parameter", self.name)
        high = check_number(self.high, "high", "Parameter", self.name)
        if high <= low:
            raise fail("high", f"> low ({low:g})", high, "Parameter", self.name)
        check_choice(self.target, _TARGETS, "target", "Parameter", self.name)
        if self.target != "approval_probability" and low < 0:
            raise fail("low", "a multiplier >= 0", low, "Parameter", self.name)
        if self.ids is not None:
            object.__setattr__(self, "ids", tuple(self.ids))

    @property
    def base(self) -> float:
        """The mid-point of the range, used when the other inputs vary."""
        return 0.5 * (self.low + self.high)

    def selects(self, ident: str) -> bool:
        """Whether the input acts on the item ``ident``."""
        return self.ids is None or ident in self.ids

    def apply(self, scenario: Scenario, value: float) -> Scenario:
        """``scenario`` with this input set to ``value``."""
        if self.target == "approval_probability":
            p = min(max(value, 0.0), 1.0)
            return scenario.replace(shocks=tuple(
                dataclasses.replace(s, approval_probability=p)  # type: ignore[call-arg]
                if getattr(s, "mode", None) == "licence" and self.selects(s.commodity)  # type: ignore[attr-defined]
                else s for s in scenario.shocks))
        return scenario.replace(network=_EDITS[self.target](scenario.network, value, self.selects))


def _edit_capacity(net: Network, k: float, pick: Callable[[str], bool]) -> Network:
    return dataclasses.replace(net, facilities=tuple(
        dataclasses.replace(f, capacity_per_day=f.capacity_per_day * k) if pick(f.id) else f
        for f in net.facilities))


def _edit_lead_time(net: Network, k: float, pick: Callable[[str], bool]) -> Network:
    return dataclasses.replace(net, lanes=tuple(
        dataclasses.replace(l, lead_time=_scale_dist(l.lead_time, k)) if pick(l.id) else l for l in net.lanes))


def _edit_cover(net: Network, k: float, pick: Callable[[str], bool]) -> Network:
    facilities = tuple(dataclasses.replace(f, default_cover_days=f.default_cover_days * k,
                                           policies={c: _scale_policy(p, k) for c, p in dict(f.policies).items()})
                       if pick(f.id) else f for f in net.facilities)
    demands = tuple(dataclasses.replace(d, policy=_scale_policy(d.policy, k)) if pick(d.id) else d
                    for d in net.demands)
    return dataclasses.replace(net, facilities=facilities, demands=demands)


def _edit_elasticity(net: Network, k: float, pick: Callable[[str], bool]) -> Network:
    return dataclasses.replace(net, commodities=tuple(
        dataclasses.replace(c, elasticity=c.elasticity * k) if pick(c.id) else c for c in net.commodities))


_EDITS: dict[str, Callable[[Network, float, Callable[[str], bool]], Network]] = {
    "capacity": _edit_capacity, "lead_time": _edit_lead_time, "stock_cover": _edit_cover,
    "elasticity": _edit_elasticity}


def _scale_dist(dist: Distribution, k: float) -> Distribution:
    """``dist`` scaled by ``k``: every location and scale field multiplied (weights kept)."""
    changes = {}
    for f in dataclasses.fields(dist):
        value = getattr(dist, f.name)
        if f.name != "weights":
            changes[f.name] = tuple(v * k for v in value) if isinstance(value, tuple) else value * k
    return dataclasses.replace(dist, **changes)


def _scale_policy(policy: Policy, k: float) -> Policy:
    if isinstance(policy, DaysOfCover):
        return DaysOfCover(policy.days * k)
    if isinstance(policy, BaseStock):
        return BaseStock(policy.level * k)
    if isinstance(policy, MinMax):
        return MinMax(policy.reorder_point * k, policy.order_up_to * k)
    return policy


class _Evaluator:
    """Metric of a scenario with parameters set: the mean over runs, against its own baseline."""

    def __init__(self, scenario: Scenario, parameters: Sequence[Parameter], metric: Metric,
                 n_runs: int | None, seed: int) -> None:
        if isinstance(metric, str):
            check_choice(metric, sorted(METRICS), "metric", "sensitivity", also=" or a function")
            metric = METRICS[metric]
        self.scenario, self.parameters, self.metric, self.seed = scenario, list(parameters), metric, seed
        self.engine, self.n_runs = pick_engine(is_deterministic(scenario), n_runs)
        self.span = shock_window(scenario, scenario.shocks)

    def __call__(self, values: np.ndarray) -> float:
        sc = self.scenario
        for p, v in zip(self.parameters, values):
            sc = p.apply(sc, float(v))
        res = simulate(sc, engine=self.engine, n_runs=self.n_runs, seed=self.seed)
        with identical_runs_expected():  # paired with random shocks: identical baseline runs are by design
            base = simulate(sc.without_shocks(), engine=self.engine, n_runs=self.n_runs, seed=self.seed)
        return float(np.mean(self.metric(res, base, self.span)))

    def many(self, design: np.ndarray, progress: bool) -> np.ndarray:
        from .._progress import iterate
        rows = iterate(design, desc="sensitivity", unit="eval", enabled=progress)
        return np.array([self(row) for row in rows])


def _scaled(unit: np.ndarray, parameters: Sequence[Parameter]) -> np.ndarray:
    lo = np.array([p.low for p in parameters])
    hi = np.array([p.high for p in parameters])
    return lo + unit * (hi - lo)


def sobol_indices(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order (Saltelli 2010) and total (Jansen 1999) Sobol indices from a Saltelli design.

    Parameters
    ----------
    fa, fb : ndarray, shape (N,)
        Model outputs on the two base matrices A and B.
    fab : ndarray, shape (d, N)
        Outputs on A with column ``i`` taken from B, for each input ``i``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.random((4096, 2)), rng.random((4096, 2))
    >>> f = lambda x: x[:, 0] + 2 * x[:, 1]          # variances 1:4, so S = (0.2, 0.8)
    >>> fab = np.stack([f(np.where(np.arange(2) == i, b, a)) for i in range(2)])
    >>> s1, st = sobol_indices(f(a), f(b), fab)
    >>> bool(np.allclose(s1, [0.2, 0.8], atol=0.1) and np.allclose(st, [0.2, 0.8], atol=0.05))
    True
    """
    var = np.var(np.concatenate([fa, fb]))
    if var == 0:
        warnings.warn("the metric did not vary over the sample; the indices are undefined.",
                      SimulationWarning, stacklevel=2)
        var = np.nan
    s1 = np.mean(fb * (fab - fa), axis=1) / var
    st = 0.5 * np.mean((fa - fab) ** 2, axis=1) / var
    return s1, st


def src_coefficients(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Standardized regression coefficients of ``y`` on the columns of ``x``, and the fit's R^2.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).random((200, 2))
    >>> coef, r2 = src_coefficients(x, 3 * x[:, 0] - x[:, 1])
    >>> np.round(coef, 1), round(r2, 6)
    (array([ 0.9, -0.3]), 1.0)
    """
    sy = y.std()
    if sy == 0:
        warnings.warn("the metric did not vary over the sample; the coefficients are undefined.",
                      SimulationWarning, stacklevel=2)
        sy = np.nan
    z = np.column_stack([np.ones(len(y)), (x - x.mean(axis=0)) / x.std(axis=0)])
    ys = (y - y.mean()) / sy
    coef, *_ = np.linalg.lstsq(z, ys, rcond=None)
    return coef[1:], float(1.0 - np.sum((ys - z @ coef) ** 2) / len(y))


def _sobol(ev: _Evaluator, n_samples: int, seed: int, progress: bool) -> pd.DataFrame:
    d = len(ev.parameters)
    ab = qmc.Sobol(2 * d, scramble=True, seed=seed).random_base2(max(1, math.ceil(math.log2(n_samples))))
    a, b = _scaled(ab[:, :d], ev.parameters), _scaled(ab[:, d:], ev.parameters)
    mixed = [np.where(np.arange(d) == i, b, a) for i in range(d)]
    f = ev.many(np.vstack([a, b, *mixed]), progress)
    n = a.shape[0]
    s1, st = sobol_indices(f[:n], f[n:2 * n], f[2 * n:].reshape(d, n))
    if n < 64:
        warnings.warn(f"Sobol indices from N = {n} base samples are noisy; use n_samples >= 64.",
                      SimulationWarning, stacklevel=3)
    df = pd.DataFrame({"S1": s1, "ST": st}, index=[p.name for p in ev.parameters])
    df.attrs["n_evaluations"] = int(f.size)
    return df.sort_values("ST", ascending=False)


def _src(ev: _Evaluator, n_samples: int, seed: int, progress: bool) -> pd.DataFrame:
    d = len(ev.parameters)
    x = _scaled(qmc.LatinHypercube(d, seed=seed).random(n_samples), ev.parameters)
    coef, r2 = src_coefficients(x, ev.many(x, progress))
    if n_samples < 10 * d or not r2 >= 0.7:
        warnings.warn(f"standardized regression coefficients from {n_samples} samples with R^2 = {r2:.2f} "
                      f"are not reliable (want >= {10 * d} samples and R^2 >= 0.7).", SimulationWarning,
                      stacklevel=3)
    df = pd.DataFrame({"SRC": coef, "abs_SRC": np.abs(coef)}, index=[p.name for p in ev.parameters])
    df.attrs.update(n_evaluations=int(n_samples), r2=r2)
    return df.sort_values("abs_SRC", ascending=False)


def sensitivity(scenario: Scenario, parameters: Sequence[Parameter], *, metric: Metric = "shortfall_usd",
                method: Literal["sobol", "src"] = "sobol", n_samples: int = 64, n_runs: int | None = None,
                seed: int = 0, progress: bool = False) -> pd.DataFrame:
    """Rank ``parameters`` by their influence on ``metric`` in ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        The shocked scenario; each evaluation also runs it without shocks as
        its baseline (same seed).
    parameters : list of Parameter
        The uncertain inputs.
    metric : str or callable
        A scorecard metric name (``"shortfall_usd"``, ``"tts_days"``, ...) or
        a function of (results, baseline, (shock start, shock end)) giving
        one value per run.
    method : {"sobol", "src"}
        Sobol indices (``N (d + 2)`` evaluations, ``N`` rounded up to a power
        of 2) or standardized regression coefficients (``N`` evaluations).
    n_samples : int
        ``N``.
    n_runs, seed : int
        Runs per evaluation and the seed shared by every evaluation.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    DataFrame
        One row per parameter, most influential first: ``S1, ST`` or
        ``SRC, abs_SRC``; ``attrs["n_evaluations"]`` (and ``attrs["r2"]``).

    Warns
    -----
    SimulationWarning
        When the sample is too small to trust or the metric does not vary.

    Examples
    --------
    >>> import warnings
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import ExportControl
    >>> sc = toy_scenario(170).with_shocks(ExportControl(exporter="CN", commodity="ore", start=10, end=160))
    >>> params = [Parameter("ROW mine capacity", 0.5, 1.5, target="capacity", ids=("ROW.mine",)),
    ...           Parameter("elasticity", 0.5, 2.0, target="elasticity")]
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")      # 8 samples are too few to trust, and it says so
    ...     df = sensitivity(sc, params, method="src", n_samples=8, seed=1)
    >>> df.index[0]
    'ROW mine capacity'
    """
    check_choice(method, ("sobol", "src"), "method", "sensitivity")
    if not parameters:
        raise fail("parameters", "a non-empty list of Parameter", parameters, "sensitivity")
    n = int(check_number(n_samples, "n_samples", "sensitivity", low=2))
    ev = _Evaluator(scenario, parameters, metric, n_runs, seed)
    return (_sobol if method == "sobol" else _src)(ev, n, seed, progress)


def one_at_a_time(scenario: Scenario, parameters: Sequence[Parameter], *, metric: Metric = "shortfall_usd",
                  n_runs: int | None = None, seed: int = 0) -> pd.DataFrame:
    """The metric with each parameter at its low and high end, the others at their mid-points.

    The table behind a tornado chart (`supplychain.plotting.resilience.plot_tornado`).

    Returns
    -------
    DataFrame
        Index: parameter; columns ``low, high, base, swing`` (``|high - low|``),
        largest swing first.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import ExportControl
    >>> sc = toy_scenario(200).with_shocks(ExportControl(exporter="CN", commodity="ore", start=10, end=160))
    >>> params = [Parameter("ROW mine capacity", 0.5, 1.5, target="capacity", ids=("ROW.mine",))]
    >>> one_at_a_time(sc, params)[["low", "high"]].round(-3)
                            low      high
    ROW mine capacity  635000.0  397000.0
    """
    ev = _Evaluator(scenario, parameters, metric, n_runs, seed)
    mid = np.array([p.base for p in parameters])
    base = ev(mid)
    rows = {}
    for i, p in enumerate(parameters):
        lo, hi = mid.copy(), mid.copy()
        lo[i], hi[i] = p.low, p.high
        rows[p.name] = {"low": ev(lo), "high": ev(hi), "base": base}
    df = pd.DataFrame.from_dict(rows, orient="index")
    df["swing"] = (df["high"] - df["low"]).abs()
    return df.sort_values("swing", ascending=False)
