"""Value added a shock is still losing when the run ends: the run rate (docs/model.md §8.3).

The total over the horizon depends on where the horizon cuts a shock that stocks hold up for months:
China's gallium ban from day 0 costs the US nothing for about 240 days, then 23 bn USD a year on day 365. The
run rate (the mean daily loss over the last days, annualised) and whether it was still rising say
what the total leaves out; `supplychain.analytics.impact.steady_loss` runs a shock until it settles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..impact.run_rate import RUN_RATE_DAYS, run_rate
from ..impact.table import load_io_table
from ..results import EnsembleResults, Results
from .pairing import checks_pair

__all__ = ["loss_run_rate", "daily_loss_by_region", "run_rate_frame", "RUN_RATE_COLUMNS"]

#: Columns of `loss_run_rate`.
RUN_RATE_COLUMNS = ("loss_usd", "run_rate_usd_per_year", "previous_run_rate_usd_per_year", "last_days_share",
                    "rising")


@checks_pair
def daily_loss_by_region(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None = None, *,
                         method: str = "ario") -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Value added lost per run, day and region, then all regions, net of ``baseline`` run by run.

    Returns the daily array ``(n_runs, days, n_regions + 1)``, the totals over the horizon
    ``(n_runs, n_regions + 1)`` and the labels (the table's regions, ``"ALL"``). For daily results
    the days are the whole horizon; per-run summaries keep the last 2 x `RUN_RATE_DAYS` days only.
    """
    summaries = isinstance(results, EnsembleResults)
    if baseline is not None and isinstance(baseline, EnsembleResults) != summaries:
        raise ValueError("results and baseline must both be daily results or both per-run summaries")
    if summaries:
        def parts(res: EnsembleResults) -> tuple[np.ndarray, np.ndarray]:
            if res.value_added_loss is None or res.value_added_loss_recent is None:
                raise ValueError("this ensemble keeps no daily loss of its last days (an archive written before "
                                 "the run rate); re-run it, or simulate with keep='series'")
            return np.asarray(res.value_added_loss_recent), np.asarray(res.value_added_loss).sum(axis=2)
        daily, total = parts(results)  # type: ignore[arg-type]
        labels: tuple[str, ...] = load_io_table().regions
        if baseline is not None:
            base_daily, base_total = parts(baseline)  # type: ignore[arg-type]
            if base_daily.shape != daily.shape:
                raise ValueError(f"baseline has shape {base_daily.shape} (runs, days, regions), results "
                                 f"{daily.shape}: pair them on one seed and horizon")
            daily, total = daily - base_daily, total - base_total
    else:
        loss = results.value_added_loss(method=method)
        daily, labels = loss.daily.sum(axis=3), loss.regions
        if baseline is not None:
            base = baseline.value_added_loss(method=method).daily.sum(axis=3)  # type: ignore[union-attr]
            if base.shape != daily.shape:
                raise ValueError(f"baseline has shape {base.shape} (runs, days, regions), results {daily.shape}: "
                                 "pair them on one seed and horizon")
            daily = daily - base
        total = daily.sum(axis=1)
    daily = np.concatenate([daily, daily.sum(axis=2, keepdims=True)], axis=2)
    total = np.concatenate([total, total.sum(axis=1, keepdims=True)], axis=1)
    return daily, total, (*labels, "ALL")


def run_rate_frame(daily: np.ndarray, total: np.ndarray, labels: tuple[str, ...], horizon_days: int,
                   days: int = RUN_RATE_DAYS) -> pd.DataFrame:
    """The frame of `loss_run_rate` from `daily_loss_by_region`'s parts."""
    rate = run_rate(daily, days, total=total.mean(axis=0))
    frame = pd.DataFrame({"loss_usd": rate.total, "run_rate_usd_per_year": rate.rate,
                          "previous_run_rate_usd_per_year": rate.previous, "last_days_share": rate.last_share,
                          "rising": rate.rising}, index=pd.Index(labels, name="region"))
    frame.attrs.update(days=rate.days, horizon_days=int(horizon_days))
    return frame


@checks_pair
def loss_run_rate(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None = None, *,
                  days: int = RUN_RATE_DAYS,
                  method: str = "ario") -> pd.DataFrame:
    """Value added lost over the horizon and the rate at which it was still being lost at the end, by region.

    Parameters
    ----------
    results : Results or EnsembleResults
        Runs of the shocked scenario: daily results, or per-run summaries (which keep the daily loss
        of the horizon's last 60 days).
    baseline : Results or EnsembleResults, optional
        Paired unshocked runs (same seed, runs and horizon, the same kind); their losses are
        subtracted day by day.
    days : int
        Window of the run rate, 30 by default (`supplychain.impact.run_rate.RUN_RATE_DAYS`, also the
        most per-run summaries allow).
    method : {"ario", "diim"}
        Propagation kernel.

    Returns
    -------
    DataFrame
        Indexed by region, then ``"ALL"``: ``loss_usd`` (over the horizon, mean over runs),
        ``run_rate_usd_per_year`` (mean daily loss over the last ``days`` days x 365),
        ``previous_run_rate_usd_per_year`` (the ``days`` before), ``last_days_share`` (share of the
        loss lost in the last ``days`` days) and ``rising`` (the loss was still growing when the run
        ended: the total understates a shock still in force). ``attrs["days"]`` holds the window,
        ``attrs["horizon_days"]`` the horizon.

    Raises
    ------
    ValueError
        For an unpaired baseline, an ensemble archive written before the run rate, or a window
        longer than per-run summaries keep.

    Examples
    --------
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=60)
    >>> surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=30)
    >>> shocked = sc.simulate(base.with_shocks(surge), engine="vector", seed=1)
    >>> rate = loss_run_rate(shocked, sc.simulate(base, engine="vector", seed=1), days=15)
    >>> bool(rate.loc["US", "rising"]), bool(rate.loc["US", "run_rate_usd_per_year"] > rate.loc["US", "loss_usd"])
    (True, True)
    """
    if isinstance(results, EnsembleResults) and days > RUN_RATE_DAYS:
        raise ValueError(f"per-run summaries keep the last {2 * RUN_RATE_DAYS} days: days must be at most "
                         f"{RUN_RATE_DAYS}, got {days}")
    daily, total, labels = daily_loss_by_region(results, baseline, method=method)
    return run_rate_frame(daily, total, labels, results.n_days, days)
