"""Service and resilience metrics over `Results`.

Every metric is a pure function of results and, optionally, a baseline run
of the same network with the same seed (common random numbers, paired run
by run). Like `supplychain.metrics`, each returns an array shaped
``(n_runs, n_groups)`` whose columns are labelled by
`supplychain.metrics.group_labels` with the same ``by``;
`summarize` turns one into means with 95 % confidence intervals.
Time-to-survive and time-to-recover are the simulated counterparts of those
of Simchi-Levi, Schmidt & Wei, 2014, *Harvard Business Review* 92(1/2):96-101 and Simchi-Levi et al., 2015, *Interfaces* 45(5):375-390;
resilience loss and normalised resilience follow the resilience triangle of
Bruneau et al., 2003, *Earthquake Spectra* 19(4):733-752; expected shortfall
is the tail mean (CVaR) of the shortfall over runs (Rockafellar & Uryasev,
2000, *Journal of Risk* 2(3):21-41), estimated as in Acerbi & Tasche (2002,
*Journal of Banking & Finance* 26(7):1487-1503).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .._validation import check_number, fail
from ..errors import ValidationError
from ..metrics.pairing import checks_pair
from ..engines.summary import RECOVER_AT, SUSTAIN_DAYS
from ..metrics.service import Grouping, cumulative_shortfall
from ..results.ensemble import EnsembleResults
from ..results.series import Results
from ._groups import demand_weights, paired, shock_day_of, window

__all__ = ["mean_ci", "summarize", "cvar", "performance", "time_to_survive", "time_to_recover",
           "resilience_loss", "normalised_resilience", "excess_shortfall", "expected_shortfall"]


def mean_ci(values: np.ndarray | list[float], *, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided Student-t confidence interval ``(mean, lo, hi)`` over runs.

    Censored values (``inf``, e.g. a run that never recovered) make all three
    ``inf``: the mean is unbounded. A single run has no interval (``nan``).

    Examples
    --------
    >>> [round(v, 3) for v in mean_ci([1.0, 2.0, 3.0])]
    [2.0, -0.484, 4.484]
    >>> mean_ci([5.0])
    (5.0, nan, nan)
    """
    x = np.asarray(values, dtype=float).ravel()
    check_number(level, "level", "mean_ci", low=0.0, high=1.0, low_open=True)
    if x.size == 0:
        return math.nan, math.nan, math.nan
    if np.isinf(x).any():
        return math.inf, math.inf, math.inf
    mean = float(x.mean())
    if x.size == 1:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1)) * float(x.std(ddof=1)) / math.sqrt(x.size)
    return mean, mean - half, mean + half


def summarize(values: np.ndarray, labels: tuple[str, ...] | list[str] | None = None, *,
              level: float = 0.95) -> pd.DataFrame:
    """Mean, ``lo`` and ``hi`` over runs (axis 0) for each column of a per-run metric.

    Examples
    --------
    >>> import numpy as np
    >>> summarize(np.array([[1.0, 0.0], [3.0, 0.0]]), ["US", "JP"]).round(2)
        mean     lo     hi
    US   2.0 -10.71  14.71
    JP   0.0   0.00   0.00
    """
    arr = np.asarray(values, dtype=float)
    arr = arr[:, None] if arr.ndim == 1 else arr
    names = list(labels) if labels is not None else list(range(arr.shape[1]))
    rows = [mean_ci(arr[:, g], level=level) for g in range(arr.shape[1])]
    return pd.DataFrame(rows, index=names, columns=["mean", "lo", "hi"])


def cvar(values: np.ndarray, *, level: float = 0.95) -> np.ndarray:
    """Expected shortfall (CVaR) at ``level`` over runs (axis 0): the mean of the worst ``1 - level``.

    Uses the Acerbi-Tasche estimator, which weights the boundary run
    fractionally; with fewer than ``1 / (1 - level)`` runs it is the worst run.

    Examples
    --------
    >>> import numpy as np
    >>> float(cvar(np.arange(1.0, 21.0), level=0.9))      # (20 + 19) / 2
    19.5
    """
    check_number(level, "level", "cvar", low=0.0, high=1.0, low_open=False)
    xs = -np.sort(-np.asarray(values, dtype=float), axis=0)
    m = (1.0 - level) * xs.shape[0]
    if m <= 1.0:
        return xs[0]
    whole = math.floor(m)
    edge = xs[whole] if whole < xs.shape[0] else 0.0
    return (xs[:whole].sum(axis=0) + (m - whole) * edge) / m


def _fill_ratio(results: Results, by: Grouping) -> np.ndarray:
    w = demand_weights(results, by)
    num = results.delivered @ w
    den = results.demand @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        # A day with no demand is a day of full service.
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), 1.0)


@checks_pair
def performance(results: Results, *, baseline: Results | None = None, by: Grouping = "region") -> np.ndarray:
    """Performance series P(t): delivered / demand (by value) relative to the baseline.

    ``P(t) = sum_d p_d delivered_d(t) / sum_d p_d demand_d(t)`` over the group's final demands ``d`` on day
    ``t``, ``p_d`` the reference price (1 on a day without demand); with ``baseline``, divided by the
    baseline's P(t) of the same run and day (1 where the baseline's is 0).

    Parameters
    ----------
    results : Results
        Shocked runs.
    baseline : Results, optional
        Unshocked runs of the same network and seed; without it the baseline
        performance is taken as 1 (full service).
    by : {"demand", "region", "commodity", "region_commodity"}
        Grouping of demands (`supplychain.metrics.group_labels`);
        groups mixing commodities add them by value.

    Returns
    -------
    ndarray
        Shape ``(n_runs, n_days, n_groups)``; 1 is baseline service.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> performance(simulate(toy_scenario(30), seed=0), by="region").shape
    (1, 30, 2)
    """
    p = _fill_ratio(results, by)
    if baseline is None:
        return p
    base = paired(p, _fill_ratio(baseline, by))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(base > 0, p / np.where(base > 0, base, 1.0), 1.0)


def _first(mask: np.ndarray, start: int) -> np.ndarray:
    """First day index ``>= start`` where ``mask`` (R, T, G) holds, else ``inf``; shape (R, G)."""
    sub = mask[:, start:]
    return np.where(sub.any(axis=1), start + sub.argmax(axis=1), np.inf)


def _threshold(value: float, name: str) -> float:
    return check_number(value, name, "resilience metric", low=0.0, high=1.0)


def _start(results: Results, shock_day: int | None) -> int:
    return shock_day_of(results) if shock_day is None else window(results, shock_day, None)[0]


def _ensemble_timing(ens: EnsembleResults, measure: str, threshold: float, baseline: object, by: str,
                     shock_day: int | None, call: str) -> np.ndarray:
    """``ens.timing(measure, threshold)`` for the regions (``ALL`` left out), after checking what a summary allows.

    An ensemble summary recorded its timing as its runs went, for the service level itself (no baseline),
    per region, from the scenario's shock day (docs/model.md §8.2, *When*).
    """
    if baseline is not None:
        raise ValidationError(f"{call} of an ensemble summary (keep='summary') uses the service level itself as "
                              "P(t), recorded as the runs went: pass no baseline (keep='series' runs take one).")
    if by != "region":
        raise fail("by", "'region' for an ensemble summary (keep='summary')", by, call)
    own = 0 if ens.scenario.shock_day is None else int(ens.scenario.shock_day)
    if shock_day is not None and shock_day != own:
        raise fail("shock_day", f"None or the scenario's shock day ({own}) for an ensemble summary, whose "
                   "timing was recorded from it", shock_day, call)
    return ens.timing(measure, threshold)[:, :-1]


@checks_pair
def time_to_survive(results: Results | EnsembleResults, *, baseline: Results | None = None,
                    by: Grouping = "region", threshold: float = 0.95, shock_day: int | None = None) -> np.ndarray:
    """Simulated time-to-survive: days from the shock until P(t) first falls below ``threshold``.

    The simulation counterpart of the TTS of Simchi-Levi, Schmidt & Wei, 2014, *Harvard Business Review* 92(1/2):96-101:
    ``t_fail - t_shock`` with ``t_fail`` the first day from the shock with
    ``P < threshold``. ``inf`` means P never fell below the threshold within
    the horizon.

    P(t) is the day's service level by value (`performance`): what the
    group's final demands received on day ``t`` over what they asked for,
    each demand weighted by its reference price, ``P(t) = sum_d p_d
    delivered_d(t) / sum_d p_d demand_d(t)`` (1 on a day without demand).
    With ``baseline`` it is divided by the baseline's P(t) of the same run
    and day, so 1 is the unshocked service and a dip the baseline also has
    does not count; without it the threshold applies to the service level
    itself. ``shock_day`` defaults to the scenario's shock day
    (`Scenario.shock_day`: the first new disruption,
    never a response, a random outage or a shock in force on day 0; day 0
    when there is none).

    An `EnsembleResults` (``keep="summary"``) kept each run's first day below
    `supplychain.engines.summary.TIMING_THRESHOLDS` per region as it ran (docs/model.md §8.2, *When*): it
    answers for ``by="region"``, without a baseline (P is the service level itself, as for `Results`
    without one) and from the scenario's shock day, for those thresholds only.

    Returns
    -------
    ndarray
        Days, shape ``(n_runs, n_groups)``: the groups in the order of
        `supplychain.metrics.group_labels` ``(results, by=by)``, so
        ``summarize(days, group_labels(results, by=by))`` is a labelled table.

    Raises
    ------
    ValidationError
        For an ensemble summary asked for another threshold, grouping, shock day, or given a baseline.

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.analytics.stress import knockout_scenario
    >>> from supplychain import simulate
    >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=30, horizon_days=40)
    >>> res = simulate(sc, seed=0)
    >>> time_to_survive(res, by="demand")
    array([[11.]])
    >>> time_to_survive(simulate(sc, engine="vector", seed=0, keep="summary")).tolist()   # an ensemble summary
    [[11.0]]
    >>> from supplychain.metrics import group_labels
    >>> summarize(time_to_survive(res, by="demand"), group_labels(res, by="demand"))["mean"].to_dict()
    {'US.ore': 11.0}
    """
    if isinstance(results, EnsembleResults):
        return _ensemble_timing(results, "below", threshold, baseline, by, shock_day, "time_to_survive")
    t0 = _start(results, shock_day)
    below = performance(results, baseline=baseline, by=by) < _threshold(threshold, "threshold")
    return _first(below, t0) - t0


def _sustained(ok: np.ndarray, days: int) -> np.ndarray:
    """True at ``t`` when ``ok`` (R, T, G) holds on every day of ``[t, t + days)`` inside the horizon."""
    n_t = ok.shape[1]
    cs = np.concatenate([np.zeros_like(ok[:, :1], dtype=int), np.cumsum(ok, axis=1, dtype=int)], axis=1)
    out = np.zeros(ok.shape, dtype=bool)
    if days <= n_t:
        out[:, : n_t - days + 1] = (cs[:, days:] - cs[:, : n_t - days + 1]) == days
    return out


@checks_pair
def time_to_recover(results: Results | EnsembleResults, *, baseline: Results | None = None,
                    by: Grouping = "region", fail_below: float = 0.95, recover_at: float = RECOVER_AT,
                    sustain_days: int = SUSTAIN_DAYS, shock_day: int | None = None) -> np.ndarray:
    """Simulated time-to-recover ``TTR_sim = t_rec - t_shock`` (after Simchi-Levi et al., 2014, 2015).

    P(t) as in `time_to_survive`: the day's service level by value (delivered
    over demanded, demands weighted by reference price), relative to the
    baseline's when ``baseline`` is given (`performance`).
    ``t_fail`` is the first day from the shock with ``P < fail_below``;
    ``t_rec`` the first later day with ``P >= recover_at`` that stays there
    for ``sustain_days`` (hysteresis: ``recover_at > fail_below``). A group
    that never failed scores 0; one that did not recover for a full window
    within the horizon scores ``inf``.

    An `EnsembleResults` (``keep="summary"``) kept it per run and region as it ran (docs/model.md §8.2,
    *When*), for ``fail_below`` in `supplychain.engines.summary.TIMING_THRESHOLDS` and the default
    ``recover_at`` and ``sustain_days``, without a baseline (P is the service level itself) and from the
    scenario's shock day; it answers for ``by="region"``.

    Returns
    -------
    ndarray
        Days, shape ``(n_runs, n_groups)``: the groups in the order of
        `supplychain.metrics.group_labels` ``(results, by=by)``, so
        ``summarize(days, group_labels(results, by=by))`` is a labelled table.

    Raises
    ------
    ValidationError
        If ``recover_at <= fail_below`` or ``sustain_days`` is not a positive whole number; for an ensemble
        summary, if asked for a threshold, ``recover_at``, ``sustain_days``, grouping or shock day it did not keep,
        or given a baseline.

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.analytics.stress import knockout_scenario
    >>> from supplychain import simulate
    >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=15, horizon_days=60)
    >>> time_to_recover(simulate(sc, seed=0), by="demand", sustain_days=7)
    array([[16.]])
    """
    p_fail = _threshold(fail_below, "fail_below")
    p_rec = _threshold(recover_at, "recover_at")
    if p_rec <= p_fail:
        raise ValidationError(f"recover_at must be > fail_below ({p_fail:g}) for hysteresis; got {p_rec!r}.")
    if isinstance(sustain_days, bool) or not isinstance(sustain_days, int) or sustain_days < 1:
        raise fail("sustain_days", "a positive whole number of days", sustain_days, "time_to_recover")
    if isinstance(results, EnsembleResults):
        if p_rec != RECOVER_AT or sustain_days != SUSTAIN_DAYS:
            raise ValidationError(f"an ensemble summary (keep='summary') kept the time to recover for recover_at="
                                  f"{RECOVER_AT:g} held sustain_days={SUSTAIN_DAYS} only; got recover_at={p_rec:g}, "
                                  f"sustain_days={sustain_days} (keep='series' gives any)")
        return _ensemble_timing(results, "recover", p_fail, baseline, by, shock_day, "time_to_recover")
    p = performance(results, baseline=baseline, by=by)
    t0 = _start(results, shock_day)
    t_fail = _first(p < p_fail, t0)
    days = np.arange(p.shape[1])[None, :, None]
    after = days > np.where(np.isfinite(t_fail), t_fail, -1.0)[:, None, :]
    t_rec = _first(_sustained(p >= p_rec, sustain_days) & after, t0)
    return np.where(np.isfinite(t_fail), t_rec - t0, 0.0)


@checks_pair
def resilience_loss(results: Results, *, baseline: Results | None = None, by: Grouping = "region",
                    start: int | None = None, end: int | None = None) -> np.ndarray:
    """Area between baseline and shocked performance, ``L = sum_t (P_base - P_shock)+``, in days.

    With P relative to the baseline (``P_base = 1``) this is the Bruneau loss
    ``R_L`` as days of full performance lost (multiply by 100 for
    percent-days), Bruneau et al., 2003, *Earthquake Spectra* 19(4):733-752. The window ``[start, end)``
    defaults to the scenario's shock day until the end of the horizon.

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.analytics.stress import knockout_scenario
    >>> from supplychain import simulate
    >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=15, horizon_days=60)
    >>> resilience_loss(simulate(sc, seed=0), by="demand")
    array([[5.]])
    """
    t0, t1 = window(results, start, end)
    p = performance(results, baseline=baseline, by=by)
    return np.clip(1.0 - p[:, t0:t1], 0.0, None).sum(axis=1)


@checks_pair
def normalised_resilience(results: Results, *, baseline: Results | None = None, by: Grouping = "region",
                          start: int | None = None, end: int | None = None) -> np.ndarray:
    """Bruneau normalised resilience ``R = sum_t Q(t) / (t1 - t0)`` with ``Q = min(P, 1)``.

    ``Q`` is capped at full performance so that catching up a backlog after
    the shock does not offset the loss (Bruneau et al., 2003, *Earthquake Spectra* 19(4):733-752); 1 means
    no loss at all. The window defaults to the scenario's shock day until
    the end of the horizon.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> normalised_resilience(simulate(toy_scenario(20), seed=0))
    array([[1., 1.]])
    """
    t0, t1 = window(results, start, end)
    p = performance(results, baseline=baseline, by=by)
    return np.clip(p[:, t0:t1], 0.0, 1.0).mean(axis=1)


@checks_pair
def excess_shortfall(results: Results, *, baseline: Results | None = None, by: Grouping = "region",
                     usd: bool = True) -> np.ndarray:
    """Demand not served over the horizon, beyond the baseline's own shortfall (paired by run).

    `supplychain.metrics.cumulative_shortfall` minus the baseline's,
    in USD (``usd=True``) or in units (groups of one commodity only).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> excess_shortfall(simulate(toy_scenario(20), seed=0))
    array([[0., 0.]])
    """
    gap = cumulative_shortfall(results, usd=usd, by=by).to_numpy()
    if baseline is None:
        return gap
    base = paired(gap, cumulative_shortfall(baseline, usd=usd, by=by).to_numpy())
    # Equal up to float rounding (sums of millions of USD) means no shortfall caused by the shock.
    return np.where(np.isclose(gap, base, rtol=1e-12, atol=1e-6), 0.0, gap - base)


@checks_pair
def expected_shortfall(results: Results, *, baseline: Results | None = None, by: Grouping = "region",
                       level: float = 0.95, usd: bool = True) -> np.ndarray:
    """CVaR at ``level`` of `excess_shortfall` over runs: one value per group.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> expected_shortfall(simulate(toy_scenario(20), seed=0))
    array([0., 0.])
    """
    return cvar(excess_shortfall(results, baseline=baseline, by=by, usd=usd), level=level)
