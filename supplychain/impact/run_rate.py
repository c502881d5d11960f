"""The rate at which a shock still loses value added when a run ends (docs/model.md §8.3, run rate).

A total over the horizon hides what lies beyond it: a shock still in force when the run ends keeps
costing at the rate of its last days, and a loss that only began near the end (stocks held it up for
most of the horizon) is cut short by wherever the horizon falls. The run rate is the mean daily loss
over the last ``days`` days, annualised; comparing it with the ``days`` before says whether the loss
was still rising. Pure NumPy on daily losses, the same for every engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RUN_RATE_DAYS", "RISING_TOLERANCE", "RISING_FLOOR_USD_PER_YEAR", "RunRate", "run_rate"]

#: Days over which the run rate is measured: a month, long enough to average out a day's lumpiness of
#: deliveries (the working stock of §8.3 is 5 days), short enough to show where the loss stands at the end.
RUN_RATE_DAYS = 30
#: Relative rise of the last window over the one before above which the loss counts as still rising.
RISING_TOLERANCE = 0.05
#: Smallest run rate (USD a year) that counts as a loss still rising: below it, floating-point noise.
RISING_FLOOR_USD_PER_YEAR = 1e6


@dataclass(frozen=True, eq=False)
class RunRate:
    """Run rates of value added lost per group (a region, or all), mean over runs.

    Attributes
    ----------
    total : ndarray (G,)
        Value added lost over the horizon, USD.
    rate : ndarray (G,)
        Mean daily loss over the last ``days`` days x 365, USD a year.
    previous : ndarray (G,)
        The same over the ``days`` days before them (NaN when the horizon is shorter than ``2 days``).
    last_share : ndarray (G,)
        Share of ``total`` lost in the last ``days`` days (NaN when ``total`` is 0).
    rising : ndarray of bool (G,)
        ``rate`` above ``previous`` by more than `RISING_TOLERANCE` of ``rate`` and above
        `RISING_FLOOR_USD_PER_YEAR`: the loss was still growing when the run ended.
    days : int
        The window.
    """

    total: np.ndarray
    rate: np.ndarray
    previous: np.ndarray
    last_share: np.ndarray
    rising: np.ndarray
    days: int


def run_rate(daily: np.ndarray, days: int = RUN_RATE_DAYS, total: np.ndarray | None = None) -> RunRate:
    """Run rates of daily losses ``daily`` (n_runs, n_days, G), net of any baseline, mean over runs.

    Parameters
    ----------
    daily : ndarray, shape (n_runs, n_days, n_groups)
        Value added lost each day per group (USD).
    days : int
        Window of the run rate (at most the horizon; the whole horizon when it is shorter).
    total : ndarray (G,), optional
        The loss over the whole horizon, mean over runs, when ``daily`` holds only its last days
        (per-run summaries keep 2 x `RUN_RATE_DAYS`); the sum of ``daily`` by default.

    Returns
    -------
    RunRate

    Examples
    --------
    A loss that starts on day 80 of 100 at 1 M USD a day, rising by 1 M USD a day:

    >>> loss = np.zeros((1, 100, 1)); loss[0, 80:, 0] = np.arange(1.0, 21.0) * 1e6
    >>> r = run_rate(loss, days=10)
    >>> float(r.total[0]) / 1e6, float(r.rate[0]) / 1e6, float(r.previous[0]) / 1e6, bool(r.rising[0])
    (210.0, 5657.5, 2007.5, True)
    >>> round(float(r.last_share[0]), 3)      # 155 of the 210 M USD lost in the last 10 days
    0.738
    """
    daily = np.asarray(daily, dtype=float)
    if daily.ndim != 3:
        raise ValueError(f"daily must be (n_runs, n_days, n_groups), got shape {daily.shape}")
    if int(days) != days or days < 1:
        raise ValueError(f"days must be a whole number of days >= 1, got {str(days)[:80]}")
    n_days = daily.shape[1]
    days = min(int(days), n_days) if n_days else int(days)
    mean = daily.mean(axis=0)                                   # (T, G)
    total = mean.sum(axis=0) if total is None else np.asarray(total, dtype=float)
    last = mean[n_days - days:].sum(axis=0) if n_days else np.zeros(daily.shape[2])
    rate = 365.0 * last / days
    if n_days >= 2 * days:
        previous = 365.0 * mean[n_days - 2 * days: n_days - days].sum(axis=0) / days
    else:
        previous = np.full(daily.shape[2], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(np.abs(total) > 0.5, last / np.where(total != 0, total, 1.0), np.nan)
    rising = (rate > RISING_FLOOR_USD_PER_YEAR) & ~(previous >= rate * (1.0 - RISING_TOLERANCE))
    return RunRate(total=total, rate=rate, previous=previous, last_share=share, rising=rising, days=days)
