"""Value added a shock is still losing when the run ends: the run rate (docs/model.md §8.3).

The total over the horizon depends on where the horizon cuts a shock that stocks hold up for months:
China's gallium ban from day 0 costs the US nothing for 290 days, then about 27 bn USD a year. The
run rate (the mean daily loss over the last days, annualised) and whether it was still rising say
what the total leaves out; `supplychain.analytics.impact.steady_loss` runs a shock until it settles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..impact.run_rate import RUN_RATE_DAYS, run_rate
from ..results import EnsembleResults, Results

__all__ = ["loss_run_rate", "daily_loss_by_region", "RUN_RATE_COLUMNS"]

#: Columns of `loss_run_rate`.
RUN_RATE_COLUMNS = ("loss_usd", "run_rate_usd_per_year", "previous_run_rate_usd_per_year", "last_days_share",
                    "rising")


def daily_loss_by_region(results: Results, baseline: Results | None = None, *,
                         method: str = "ario") -> tuple[np.ndarray, tuple[str, ...]]:
    """Value added lost per run, day and region, then all regions, net of ``baseline`` run by run.

    Returns the array ``(n_runs, n_days, n_regions + 1)`` and its labels (the table's regions, ``"ALL"``).
    """
    if isinstance(results, EnsembleResults) or isinstance(baseline, EnsembleResults):
        raise ValueError("the run rate needs the daily loss, which per-run summaries (keep='summary') do not "
                         "keep: simulate with keep='series', or use supplychain.analytics.impact.steady_loss")
    loss = results.value_added_loss(method=method)
    daily = loss.daily.sum(axis=3)
    if baseline is not None:
        base = baseline.value_added_loss(method=method).daily.sum(axis=3)
        if base.shape != daily.shape:
            raise ValueError(f"baseline has shape {base.shape} (runs, days, regions), results {daily.shape}: "
                             "pair them on one seed and horizon")
        daily = daily - base
    daily = np.concatenate([daily, daily.sum(axis=2, keepdims=True)], axis=2)
    return daily, (*loss.regions, "ALL")


def loss_run_rate(results: Results, baseline: Results | None = None, *, days: int = RUN_RATE_DAYS,
                  method: str = "ario") -> pd.DataFrame:
    """Value added lost over the horizon and the rate at which it was still being lost at the end, by region.

    Parameters
    ----------
    results : Results
        Daily results of the shocked scenario.
    baseline : Results, optional
        Paired unshocked runs (same seed, runs and horizon); their losses are subtracted day by day.
    days : int
        Window of the run rate, 30 by default (`supplychain.impact.run_rate.RUN_RATE_DAYS`).
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
        For per-run summaries (they keep no daily loss) or an unpaired baseline.

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
    daily, labels = daily_loss_by_region(results, baseline, method=method)
    rate = run_rate(daily, days)
    frame = pd.DataFrame({"loss_usd": rate.total, "run_rate_usd_per_year": rate.rate,
                          "previous_run_rate_usd_per_year": rate.previous, "last_days_share": rate.last_share,
                          "rising": rate.rising}, index=pd.Index(labels, name="region"))
    frame.attrs.update(days=rate.days, horizon_days=int(daily.shape[1]))
    return frame
