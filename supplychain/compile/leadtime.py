"""Whole days in transit: the one rounding rule, and its distribution for random lead times.

A shipment sent on day ``t`` with a (continuous) lead time of ``x`` days is in
the buyer's stock from the daily review of day ``t + lead_days(x)``, where

    lead_days(x) = max(1, ceil(x - 1e-9))

(goods become usable at the first review at or after their arrival and never
on the day they are shipped; the ``1e-9`` absorbs rounding error, so that
``0.1 * 3 * 10`` days (3.0000000000000004) is 3 days, not 4). The compile step and both engines
use `lead_days` and nothing else.

For a random lead time ``X`` the steady pipeline of a lane carrying ``f``
units a day holds ``f * E[lead_days(X)]`` units, and the goods pre-filled at
day 0 that land on day ``k`` are ``f * P(lead_days(X) > k)``: with the
shipments made from day 0 on, arrivals then equal ``f`` on every day in
expectation (`lead_day_survival`).

Implements docs/model.md §4.2 (lead-days) and §4.3 (pipeline).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from ..model.dists import (
    Distribution,
    Empirical,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
)

__all__ = ["LEAD_DAYS_TOLERANCE", "lead_days", "lead_day_survival", "expected_lead_days"]

#: Days by which a lead time may exceed a whole number and still count as that number.
LEAD_DAYS_TOLERANCE = 1e-9

#: Probability mass of a lead time beyond the pre-filled pipeline that may be ignored.
_TAIL = 1e-12

#: Longest pre-filled pipeline, in days (lead times are at most 10 years).
_MAX_DAYS = 3650


def lead_days(x: float | np.ndarray) -> np.ndarray:
    """Whole days until goods shipped with lead time ``x`` days are in stock (at least 1).

    Examples
    --------
    >>> lead_days(np.array([0.0, 1.0, 1.0 + 1e-12, 1.2, 0.1 * 3 * 10])).tolist()
    [1, 1, 1, 2, 3]
    """
    return np.maximum(1, np.ceil(np.asarray(x, dtype=float) - LEAD_DAYS_TOLERANCE)).astype(np.intp)


def _triangular_cdf(low: float, mode: float, high: float) -> Callable[[np.ndarray], np.ndarray]:
    """CDF of the triangular distribution on ``[low, high]`` with peak at ``mode``."""
    def cdf(x: np.ndarray) -> np.ndarray:
        x = np.clip(np.asarray(x, dtype=float), low, high)
        with np.errstate(divide="ignore", invalid="ignore"):
            rising = (x - low) ** 2 / ((high - low) * (mode - low))
            falling = 1.0 - (high - x) ** 2 / ((high - low) * (high - mode))
        return np.where(x < mode, rising, np.where(x >= high, 1.0, falling))
    return cdf


def _cdf(dist: Distribution) -> tuple[Callable[[np.ndarray], np.ndarray], float]:
    """(CDF of a random ``dist``, a value above which at most ``_TAIL`` of its mass lies)."""
    if isinstance(dist, Uniform):
        low, high = dist.low, dist.high
        return (lambda x: np.clip((np.asarray(x) - low) / (high - low), 0.0, 1.0)), high
    if isinstance(dist, Triangular):
        return _triangular_cdf(dist.low, dist.mode, dist.high), dist.high
    if isinstance(dist, Normal):
        lo, hi = stats.norm.cdf((dist.low - dist.mu) / dist.sd), stats.norm.cdf((dist.high - dist.mu) / dist.sd)

        def normal_cdf(x: np.ndarray) -> np.ndarray:
            z = stats.norm.cdf((np.minimum(x, dist.high) - dist.mu) / dist.sd)
            return np.asarray(np.clip((z - lo) / (hi - lo), 0.0, 1.0))
        top = min(dist.high, dist.mu + dist.sd * float(stats.norm.isf(_TAIL)))
        return normal_cdf, top
    if isinstance(dist, LogNormal):
        m, s = dist._log_params()
        law = stats.lognorm(s, scale=math.exp(m))
        return law.cdf, float(law.isf(_TAIL))
    if isinstance(dist, Empirical):
        values = np.asarray(dist.values, dtype=float)
        p = dist._p()
        weights = np.full(len(values), 1.0 / len(values)) if p is None else p
        return (lambda x: (values[None, :] <= np.asarray(x)[:, None]) @ weights), float(values.max())
    # A distribution defined elsewhere: its empirical law from a fixed-seed sample.
    sample = np.sort(dist.sample(np.random.default_rng(0), 1 << 16))
    return (lambda x: np.searchsorted(sample, x, side="right") / len(sample)), float(sample[-1])


@functools.lru_cache(maxsize=4096)
def _survival(dist: Distribution) -> np.ndarray:
    """`lead_day_survival`, cached: distributions are immutable and compiled again per scenario."""
    if dist.is_deterministic:
        return np.ones(int(lead_days(dist.mean)))
    cdf, top = _cdf(dist)
    width = int(min(max(lead_days(top), 1), _MAX_DAYS))
    k = np.arange(1, width + 1, dtype=float)
    # lead_days(x) <= k  <=>  x <= k + tolerance, for whole k >= 1.
    survival = np.concatenate([[1.0], 1.0 - np.asarray(cdf(k + LEAD_DAYS_TOLERANCE), dtype=float)])
    survival = np.clip(survival, 0.0, 1.0)
    keep = np.flatnonzero(survival > _TAIL)
    out = survival[: keep[-1] + 1]
    out.flags.writeable = False
    return out


def lead_day_survival(dist: Distribution) -> np.ndarray:
    """``P(lead_days(X) > k)`` for ``k = 0, 1, ...`` while it is not negligible (``X ~ dist``).

    The first value is always 1; the sum is ``E[lead_days(X)]``.

    Examples
    --------
    >>> from supplychain.model import Fixed
    >>> lead_day_survival(Fixed(3.0)).tolist()
    [1.0, 1.0, 1.0]
    >>> np.round(lead_day_survival(Uniform(1.0, 3.0)), 6).tolist()
    [1.0, 1.0, 0.5]
    """
    try:
        return _survival(dist)
    except TypeError:           # an unhashable distribution defined elsewhere
        return _survival.__wrapped__(dist)


def expected_lead_days(dist: Distribution) -> float:
    """``E[lead_days(X)]`` for ``X ~ dist``: the days of flow a lane's steady pipeline holds.

    Examples
    --------
    >>> from supplychain.model import Fixed
    >>> expected_lead_days(Fixed(2.5)), round(expected_lead_days(Uniform(1.0, 3.0)), 6)
    (3.0, 2.5)
    """
    return float(lead_day_survival(dist).sum())
