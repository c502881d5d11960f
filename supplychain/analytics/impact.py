"""GDP at risk: value added lost beyond the chain, probability-weighted over a Monte Carlo ensemble.

Following the USGS critical-mineral disruption assessments (Nassar et al. 2024, USGS OFR
2024-1057; Nassar, Pineault et al. 2025, USGS OFR 2025-1047), GDP at risk of a disruption is
its probability times the expected loss of value added given that it happens. Here the expected
loss is the mean over the ensemble's equally likely runs of the value added lost
(docs/model.md §8.3), net of the paired unshocked runs when a baseline is given.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .._format import UsdFrame
from ..errors import SimulationWarning
from ..impact.run_rate import RISING_FLOOR_USD_PER_YEAR, RUN_RATE_DAYS, run_rate
from ..impact.table import SECTOR_NAMES, input_kind, load_io_table, sector_name, value_added_by_region
from ..metrics.pairing import checks_pair
from ..metrics.run_rate import daily_loss_by_region, loss_run_rate, run_rate_frame
from ..results import EnsembleResults, Results

if TYPE_CHECKING:
    from ..model.scenario import Scenario

__all__ = ["value_added_loss_totals", "value_added_loss_table", "gdp_at_risk", "chain_shortfall_usd",
           "chain_given_up_usd", "value_added_by_input",
           "SECTOR_NAMES", "sector_name", "steady_loss", "STEADY_COLUMNS", "PEAK_SHARE", "redesign_start",
           "policy_value_added"]

#: Columns of `steady_loss`.
STEADY_COLUMNS = ("horizon_loss_usd", "loss_usd", "run_rate_usd_per_year", "peak_run_rate_usd_per_year")

def value_added_loss_totals(results: Results | EnsembleResults, method: str = "ario") -> np.ndarray:
    """Per-run value added lost per region and industry, USD, ``(n_runs, regions, sectors)``.

    ``method`` applies to daily results; ensembles kept as summaries carry the ARIO totals.
    """
    if isinstance(results, EnsembleResults):
        if results.value_added_loss is None:
            raise ValueError("this ensemble archive predates value added lost; re-run the ensemble")
        return np.asarray(results.value_added_loss)
    return results.value_added_loss(method=method).total


def _net_of(baseline: Results | EnsembleResults | None, shocked: np.ndarray, base: np.ndarray | None) -> np.ndarray:
    """Per-run ``shocked`` minus the paired baseline's ``base``, run by run."""
    if baseline is None or base is None:
        return shocked
    if base.shape[0] != shocked.shape[0]:
        raise ValueError(f"baseline has {base.shape[0]} runs, results {shocked.shape[0]}: pair them on one seed")
    return shocked - base


@checks_pair
def value_added_loss_table(results: Results | EnsembleResults,
                           baseline: Results | EnsembleResults | None = None, *,
                           method: str = "ario", by_input: bool = False, totals: bool = False) -> pd.DataFrame:
    """Value added lost beyond the chain per region and industry, mean over runs, net of a baseline.

    This is the table ``supplychain run`` prints (`supplychain.cli.format_value_added` prints it so, in the
    money format of every other table) and writes to ``value_added_loss.csv``: the
    losses of `Results.value_added_loss`
    (docs/model.md §8.3) summed over the horizon, minus those of the paired unshocked runs run
    by run, then averaged over runs.

    Parameters
    ----------
    results : Results or EnsembleResults
        Runs of the shocked scenario (an ensemble kept as ``"summary"`` works too).
    baseline : Results or EnsembleResults, optional
        Paired unshocked runs (same seed and number of runs), such as
        ``simulate(scenario.without_shocks(), seed=...)``; their losses (from noise alone) and
        shortfalls are subtracted run by run. Without it, the losses are gross.
    method : {"ario", "diim"}
        Propagation kernel for daily results.
    by_input : bool
        Also measure each kind of input's loss alone (`value_added_by_input`, two kernel passes per kind)
        into ``attrs["by_input"]`` when more than one kind has over 1 % of the shortfall (daily results only).
    totals : bool
        Also give a total row per region (sector and industry ``"ALL"``, after the region's industries)
        and one for the world (region ``"ALL"``, last). Off by default, so that summing the column adds
        each loss once; with totals, sum the rows whose ``sector`` is not ``"ALL"``, or read the totals.

    Returns
    -------
    DataFrame
        A `supplychain._format.UsdFrame`: printed or shown in a notebook, its money column reads ``$12.3bn``
        (`format_usd`); its values are floats in US dollars, to compute with, as ``to_csv`` writes them.
        One row per region and industry of `supplychain.impact.load_io_table`:
        ``region``, ``sector`` (the industry's code, ``C26``), ``industry`` (its name, as the console
        and the charts say it: ``electronics``; `sector_name`), ``value_added_loss_usd``.
        ``attrs["given_up_usd"]`` holds the mean value of chips, cells, magnets, germanium and gallium
        given up to prices (`chain_given_up_usd`, net of the baseline's; None when none can be, or for
        summaries). ``attrs["shortfall_usd"]`` holds the mean value of chips, cells, magnets, germanium
        and gallium not delivered (`chain_shortfall_usd`, net of
        the baseline), the denominator of the loss given shortfall, and ``attrs["shortfall_by_commodity"]``
        that shortfall by commodity (id to USD, largest first: which products it is, gallium as well as
        chips when the table's industries buy gallium); ``attrs["n_runs"]`` the runs
        averaged; ``attrs["net_of_baseline"]`` whether a baseline was subtracted; ``attrs["run_rate"]``,
        the frame of `supplychain.metrics.loss_run_rate` (the loss still being lost at the end of the
        horizon, by region), None for ensemble archives written before the run rate.

    Raises
    ------
    ValueError
        If ``baseline`` has a different number of runs.

    Examples
    --------
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=20)
    >>> surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0)  # more than stocks hold
    >>> shocked = sc.simulate(base.with_shocks(surge), engine="vector", seed=1)
    >>> unshocked = sc.simulate(base, engine="vector", seed=1)
    >>> table = value_added_loss_table(shocked, baseline=unshocked)
    >>> list(table.columns), table.attrs["n_runs"], table.attrs["net_of_baseline"]
    (['region', 'sector', 'industry', 'value_added_loss_usd'], 1, True)
    >>> table.loc[0, ["region", "sector", "industry"]].tolist()
    ['JP', 'C26', 'electronics']
    >>> bool(table["value_added_loss_usd"].sum() > 0), table.attrs["shortfall_usd"] > 0
    (True, True)
    >>> with_totals = value_added_loss_table(shocked, baseline=unshocked, totals=True)
    >>> world = with_totals.iloc[-1]
    >>> world[["region", "sector"]].tolist(), bool(np.isclose(world["value_added_loss_usd"],
    ...                                                       table["value_added_loss_usd"].sum()))
    (['ALL', 'ALL'], True)
    """
    daily = isinstance(results, Results) and not isinstance(baseline, EnsembleResults)
    if daily:  # one pass of the kernel gives both the totals and the run rate
        va = results.value_added_loss(method=method)          # type: ignore[union-attr]
        vb = None if baseline is None else baseline.value_added_loss(method=method)  # type: ignore[union-attr]
        loss = _net_of(baseline, va.total, None if vb is None else vb.total)
        if vb is not None and vb.daily.shape != va.daily.shape:
            raise ValueError(f"baseline has {vb.daily.shape[:2]} (runs, days), results {va.daily.shape[:2]}: "
                             "pair them on one seed and horizon")
        by_day = va.daily.sum(axis=3) - (0.0 if vb is None else vb.daily.sum(axis=3))
        by_day = np.concatenate([by_day, by_day.sum(axis=2, keepdims=True)], axis=2)
        run = run_rate_frame(by_day, by_day.sum(axis=1), (*va.regions, "ALL"), by_day.shape[1])
    else:
        loss = _net_of(baseline, value_added_loss_totals(results, method),
                       None if baseline is None else value_added_loss_totals(baseline, method))
        kept = getattr(results, "value_added_loss_recent", None) is not None and (
            baseline is None or getattr(baseline, "value_added_loss_recent", None) is not None)
        run = loss_run_rate(results, baseline) if kept and isinstance(baseline, (EnsembleResults, type(None))) \
            else None
    short = _net_of(baseline, chain_shortfall_usd(results),
                    None if baseline is None else chain_shortfall_usd(baseline))
    given = chain_given_up_usd(results)
    given_base = None if baseline is None else chain_given_up_usd(baseline)
    given_up = None if given is None and given_base is None else float(
        (0.0 if given is None else given.mean()) - (0.0 if given_base is None else given_base.mean()))
    by_commodity = _net_shortfall_by_commodity(results, baseline)
    table = load_io_table()
    n_s = len(table.sectors)
    sectors = np.tile(np.array(table.sectors, dtype=object), len(table.regions))
    frame = UsdFrame({"region": np.repeat(np.array(table.regions, dtype=object), n_s), "sector": sectors,
                          "industry": [sector_name(code) for code in sectors],
                          "value_added_loss_usd": loss.mean(axis=0).reshape(-1)})
    several = sum(usd > 0.01 * float(short.mean()) for usd in _by_kind(by_commodity).values()) > 1
    frame.attrs.update(shortfall_usd=float(short.mean()), given_up_usd=given_up, n_runs=int(loss.shape[0]),
                       shortfall_by_commodity=dict(sorted(by_commodity.items(), key=lambda kv: -kv[1])),
                       net_of_baseline=baseline is not None, run_rate=run,
                       by_input=value_added_by_input(results, baseline, method=method)  # type: ignore[arg-type]
                       if by_input and daily and several else None)
    return _with_totals(frame) if totals else frame


def _with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a total row after each region's industries and a world total last (sector ``"ALL"``)."""
    import pandas as pd

    parts = []
    for region, rows in frame.groupby("region", sort=False):
        total = {"region": region, "sector": "ALL", "industry": "all industries",
                 "value_added_loss_usd": float(rows["value_added_loss_usd"].sum())}
        parts += [rows, pd.DataFrame([total])]
    parts.append(pd.DataFrame([{"region": "ALL", "sector": "ALL", "industry": "all industries",
                                "value_added_loss_usd": float(frame["value_added_loss_usd"].sum())}]))
    out = UsdFrame(pd.concat(parts, ignore_index=True))
    out.attrs.update(frame.attrs)
    return out


def value_added_by_input(results: Results, baseline: Results | None = None, *,
                         method: str = "ario") -> dict[str, tuple[float, float]]:
    """Value added lost through each kind of input alone, with that kind's shortfall: mean over runs, USD.

    Each kind's loss (chips, cells, magnets, gallium, germanium: `supplychain.impact.table.input_kind`) is
    `Results.value_added_loss` with every demand of another kind delivered in full and none of it given up
    to prices: what that input's shortfall costs on its own, net of ``baseline`` computed the same way.
    A sector keeps ``1 - max`` of its inputs' shortfalls (docs/model.md §8.3), so paths overlap and the
    kinds' losses need not add up to the total. A mix's loss given shortfall blends kinds hundreds of
    times apart (a USD of magnets stops a motor, a USD of advanced logic part of a phone); this says which.

    Parameters
    ----------
    results, baseline : Results
        Daily series of the shocked and (optionally) the paired unshocked runs.
    method : {"ario", "diim"}
        Propagation kernel.

    Returns
    -------
    dict
        Kind -> (value added lost through it alone, its shortfall net of the baseline), for the kinds
        with a shortfall, largest shortfall first.

    Examples
    --------
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=30)
    >>> surge = [sc.DemandShock(region="JP", commodity=c, factor=10.0) for c in ("mature_chip", "ndfeb_magnet")]
    >>> shocked = sc.simulate(base.with_shocks(*surge), engine="vector", seed=1)
    >>> parts = value_added_by_input(shocked, sc.simulate(base, engine="vector", seed=1))
    >>> sorted(parts), all(loss > 0 and short > 0 for loss, short in parts.values())
    (['chips', 'magnets'], True)
    """
    kinds = _by_kind(_net_shortfall_by_commodity(results, baseline))
    out: dict[str, tuple[float, float]] = {}
    for kind, short in sorted(kinds.items(), key=lambda kv: -kv[1]):
        if short > 0:
            loss = _loss_alone(results, kind, method) - (0.0 if baseline is None else
                                                          _loss_alone(baseline, kind, method))
            out[kind] = (loss, short)
    return out


def _net_shortfall_by_commodity(results: Results | EnsembleResults,
                                baseline: Results | EnsembleResults | None) -> dict[str, float]:
    """`_chain_shortfall_by_commodity` of ``results`` less that of ``baseline`` (when given), USD."""
    by_commodity = _chain_shortfall_by_commodity(results)
    if baseline is not None:
        for c, usd in _chain_shortfall_by_commodity(baseline).items():
            by_commodity[c] = by_commodity.get(c, 0.0) - usd
    return by_commodity


def _by_kind(by_commodity: dict[str, float]) -> dict[str, float]:
    """A shortfall by commodity summed by kind of input (`supplychain.impact.table.input_kind`)."""
    kinds: dict[str, float] = {}
    for c, usd in by_commodity.items():
        kinds[input_kind(c)] = kinds.get(input_kind(c), 0.0) + usd
    return kinds


def _loss_alone(results: Results, kind: str, method: str) -> float:
    """Mean total value added lost with every demand not of ``kind`` delivered in full and none given up."""
    from ..impact.given_up import given_up_series
    from ..impact.loss import value_added_loss

    other = np.array([input_kind(d.commodity) != kind for d in results.scenario.network.demands])
    demand = np.asarray(results.demand, dtype=float)
    delivered = np.where(other, demand, np.asarray(results.delivered, dtype=float))
    given = given_up_series(results.scenario, results.demand, results.arrays.get("price"))
    loss = value_added_loss(demand, delivered, results.scenario.network, method=method,  # type: ignore[arg-type]
                            given_up=None if given is None else np.where(other, 0.0, given),
                            scenario=results.scenario)
    return float(loss.total.sum(axis=(1, 2)).mean())


def gdp_at_risk(results: Results | EnsembleResults, probability: float = 1.0, *,
                baseline: Results | EnsembleResults | None = None, method: str = "ario") -> pd.DataFrame:
    """GDP at risk by region: ``probability`` x mean value added lost over runs, with its spread.

    Parameters
    ----------
    results : Results or EnsembleResults
        Runs of the shocked scenario (an ensemble kept as ``"summary"`` works too).
    probability : float
        Probability that the disruption happens in the period the scenario covers (1: given
        that it happens).
    baseline : Results or EnsembleResults, optional
        Paired unshocked runs (same seed and runs); their losses (from noise alone) are subtracted
        run by run.
    method : {"ario", "diim"}
        Propagation kernel for daily results.

    Returns
    -------
    DataFrame
        A `supplychain._format.UsdFrame` (money columns printed as ``$12.3bn``, their values floats in USD).
        One row per region and ``"ALL"``: ``gdp_at_risk_usd`` (probability-weighted),
        ``loss_mean_usd``, ``loss_p5_usd``, ``loss_p50_usd``, ``loss_p95_usd`` (given the
        disruption, over runs), ``gdp_usd`` and ``gdp_at_risk_share``.

    Examples
    --------
    >>> import supplychain as sc
    >>> res = sc.simulate(sc.load_baseline(horizon_days=20), engine="vector", seed=1)
    >>> float(gdp_at_risk(res, probability=0.1).loc["ALL", "gdp_at_risk_usd"])
    0.0
    """
    if not 0.0 <= float(probability) <= 1.0:
        raise ValueError(f"probability must lie in [0, 1], got {str(probability)[:80]}")
    loss = _net_of(baseline, value_added_loss_totals(results, method).sum(axis=2),          # (runs, R)
                   None if baseline is None else value_added_loss_totals(baseline, method).sum(axis=2))
    table = load_io_table()
    gdp = value_added_by_region(table)
    loss = np.concatenate([loss, loss.sum(axis=1, keepdims=True)], axis=1)
    gdp = np.append(gdp, gdp.sum())
    mean = loss.mean(axis=0)
    p5, p50, p95 = np.percentile(loss, [5, 50, 95], axis=0)
    frame = UsdFrame({
        "gdp_at_risk_usd": float(probability) * mean, "loss_mean_usd": mean, "loss_p5_usd": p5,
        "loss_p50_usd": p50, "loss_p95_usd": p95, "gdp_usd": gdp,
        "gdp_at_risk_share": float(probability) * mean / gdp,
    }, index=pd.Index([*table.regions, "ALL"], name="region"))
    return frame


def _chain_demand_prices(results: Results | EnsembleResults) -> np.ndarray:
    """Each demand's reference price where the input-output table's industries buy it, else 0, (D,)."""
    table = load_io_table()
    network = results.scenario.network
    price = {c.id: c.price_usd for c in network.commodities}
    return np.array([price[d.commodity] if d.commodity in table.dependence and d.region in table.regions
                     else 0.0 for d in network.demands])


def chain_shortfall_usd(results: Results | EnsembleResults) -> np.ndarray:
    """Per-run value of the chain's products that users did not receive: chips, cells, magnets, Ge and Ga, USD.

    Only the commodities the input-output table's industries buy (its ``dependence``), in its
    regions, count, at the commodities' reference prices (``Commodity.price_usd``). It is the
    denominator of the loss given shortfall: value added lost per USD of inputs not delivered.

    Parameters
    ----------
    results : Results or EnsembleResults
        Runs of a scenario (an ensemble kept as ``"summary"`` works too).

    Returns
    -------
    ndarray
        One value per run, USD (subtract a paired baseline's for the shortfall a shock causes).

    Examples
    --------
    >>> import supplychain as sc
    >>> res = sc.simulate(sc.load_baseline(horizon_days=20), engine="vector", seed=1)
    >>> chain_shortfall_usd(res).shape, float(chain_shortfall_usd(res)[0]) >= 0.0
    ((1,), True)
    """
    weight = _chain_demand_prices(results)
    if isinstance(results, EnsembleResults):
        short = np.asarray(results.shortfall, dtype=float)
    else:
        short = np.maximum(np.asarray(results.demand, float) - np.asarray(results.delivered, float), 0.0).sum(axis=1)
    return short @ weight


def _chain_shortfall_by_commodity(results: Results | EnsembleResults) -> dict[str, float]:
    """`chain_shortfall_usd` by commodity id, mean over runs, USD (only commodities it counts)."""
    weight = _chain_demand_prices(results)
    if isinstance(results, EnsembleResults):
        short = np.asarray(results.shortfall, dtype=float)
    else:
        short = np.maximum(np.asarray(results.demand, float) - np.asarray(results.delivered, float), 0.0).sum(axis=1)
    usd = short.mean(axis=0) * weight
    out: dict[str, float] = {}
    for d, value in zip(results.scenario.network.demands, usd):
        if value:
            out[d.commodity] = out.get(d.commodity, 0.0) + float(value)
    return out


def chain_given_up_usd(results: Results | EnsembleResults) -> np.ndarray | None:
    """Per-run value of the chain's products that users gave up to higher prices and tariffs, USD.

    The demand given up of docs/model.md §8.3 (*Demand given up to prices*), which value added lost
    counts as not delivered, over the demands `chain_shortfall_usd` counts, at reference prices.
    ``None`` when nothing can have been given up (no price feedback, no tariff with a demand
    elasticity) and for an ensemble kept as ``"summary"``, which keeps no daily demand to rebuild it
    from.

    Examples
    --------
    >>> import supplychain as sc
    >>> res = sc.simulate(sc.load_baseline(horizon_days=20), engine="vector", seed=1)
    >>> chain_given_up_usd(res) is None    # feedback off, no tariff with a demand response
    True
    """
    from ..impact.given_up import given_up_series

    if isinstance(results, EnsembleResults):
        return None
    given = given_up_series(results.scenario, results.demand, results.arrays.get("price"))
    if given is None:
        return None
    weight = _chain_demand_prices(results)
    out: np.ndarray = given.sum(axis=1) @ weight
    return out


#: A change of the run rate under this share of its peak counts as settled (`steady_loss`): a loss that has
#: ended leaves noise around 0, which no relative tolerance on the rate itself would ever accept.
PEAK_SHARE = 0.01


def _rolling_rate(daily: np.ndarray, days: int) -> np.ndarray:
    """Every ``days``-day mean of the runs' mean daily loss x 365, (T - days + 1, G)."""
    mean = daily.mean(axis=0)
    width = min(int(days), mean.shape[0])
    window = np.cumsum(np.vstack([np.zeros((1, mean.shape[1])), mean]), axis=0)
    return (window[width:] - window[:-width]) * 365.0 / width


def steady_loss(scenario: Scenario, *, baseline: Scenario | None = None, engine: Literal["des", "vector"] = "vector",
                n_runs: int = 1, seed: int = 0, days: int = RUN_RATE_DAYS, step_days: int = 180,
                tolerance: float = 0.05, max_days: int = 1825, method: str = "ario") -> pd.DataFrame:
    """Run a shock until its loss of value added settles: the loss it keeps causing once stocks have run down.

    A horizon that ends while stocks still hold a shock up, or just after they ran out, cuts its loss
    short (docs/model.md §8.3, run rate). This runs ``scenario`` and its unshocked ``baseline`` on the
    same seed, then again with the horizon ``step_days`` longer, until each region's run rate (the mean
    daily loss of the last ``days`` days x 365) differs from the run rate ``step_days`` earlier by at most
    ``tolerance`` of the larger, or by at most 1 % of the peak run rate (`PEAK_SHARE`: the noise left around a
    loss that has ended), or both are under 1 M USD a year. Shocks without an end stay in force
    over the added days; shocks that end let the loss fall back, so the settled rate is then about 0 and
    ``loss_usd`` is the whole episode's loss, its tail after the original horizon included.

    Parameters
    ----------
    scenario : Scenario
        The shocked scenario; its horizon is the first one tried.
    baseline : Scenario, optional
        The unshocked scenario, ``scenario.without_shocks()`` by default; run with the same horizons.
    engine, n_runs, seed
        As for `supplychain.simulate` (the vector engine by default: its runs are cheap).
    days : int
        Window of the run rate.
    step_days : int
        Days added to the horizon at each step, and the lag over which the rate must hold still.
    tolerance : float
        Largest relative change of the run rate over ``step_days`` that counts as settled.
    max_days : int
        Longest horizon tried; if the loss has not settled by then, a `SimulationWarning` says so
        and the last run's figures are returned (``attrs["settled"]`` False).
    method : {"ario", "diim"}
        Propagation kernel.

    Returns
    -------
    DataFrame
        A `supplychain._format.UsdFrame` (printed as ``$12.3bn``, its values floats in USD), indexed by region,
        then ``"ALL"`` (means over runs, net of the baseline, USD):
        ``horizon_loss_usd`` (over the scenario's own horizon: what a run of it reports),
        ``loss_usd`` (over the settled horizon), ``run_rate_usd_per_year`` (the settled run rate: what a
        shock still in force keeps costing a year) and ``peak_run_rate_usd_per_year`` (the largest
        ``days``-day mean x 365 on the way). ``attrs``: ``horizon_days`` (the settled horizon),
        ``settled``, ``days``, ``step_days``, ``tolerance``.

    Examples
    --------
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=60)
    >>> surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=30, end=45)
    >>> steady = steady_loss(base.with_shocks(surge), seed=1, step_days=60, max_days=180)
    >>> steady.attrs["settled"], steady.attrs["horizon_days"] > 60
    (True, True)
    >>> us = steady.loc["US"]   # a shock over by day 45: after it, overproduction makes up a little of the loss
    >>> bool(0 < us["loss_usd"] <= us["horizon_loss_usd"]), bool(us["loss_usd"] > 0.99 * us["horizon_loss_usd"])
    (True, True)
    """
    from ..run.simulate import simulate

    if int(step_days) != step_days or step_days < 1 or int(days) != days or days < 1:
        raise ValueError(f"days and step_days must be whole numbers of days >= 1, got days={days}, "
                         f"step_days={step_days}")
    if not 0.0 < float(tolerance) < 1.0:
        raise ValueError(f"tolerance must lie in (0, 1), got {str(tolerance)[:80]}")
    if int(max_days) < scenario.horizon_days:
        raise ValueError(f"max_days ({max_days}) is shorter than the scenario's horizon ({scenario.horizon_days})")
    unshocked = scenario.without_shocks() if baseline is None else baseline
    horizon, first = scenario.horizon_days, None
    while True:
        shocked = simulate(scenario.with_horizon(horizon), engine=engine, n_runs=n_runs, seed=seed)
        paired = simulate(unshocked.with_horizon(horizon), engine=engine, n_runs=n_runs, seed=seed)
        daily, _, labels = daily_loss_by_region(shocked, paired, method=method)
        if first is None:
            first = daily.mean(axis=0).sum(axis=0)
        end = run_rate(daily, days).rate
        peak = _rolling_rate(daily, days).max(axis=0)
        settled = False
        if horizon - step_days >= days:
            back = run_rate(daily[:, :horizon - step_days], days).rate
            # Relative to the larger rate, or to the peak when both are near 0 (noise around a loss that ended).
            scale = np.maximum(np.maximum(np.abs(end), np.abs(back)), PEAK_SHARE * np.abs(peak) / tolerance)
            settled = bool(((np.abs(end - back) <= tolerance * scale) | (scale < RISING_FLOOR_USD_PER_YEAR)).all())
        if settled or horizon + step_days > max_days:
            break
        horizon += int(step_days)
    if not settled:
        warnings.warn(f"the loss of value added had not settled by day {horizon} (max_days={max_days}): its run "
                      "rate still moved by more than the tolerance; the figures are those of the last run",
                      SimulationWarning, stacklevel=2)
    frame = UsdFrame({"horizon_loss_usd": first, "loss_usd": daily.mean(axis=0).sum(axis=0),
                          "run_rate_usd_per_year": end, "peak_run_rate_usd_per_year": peak},
                         index=pd.Index(labels, name="region"))
    frame.attrs.update(horizon_days=int(horizon), settled=settled, days=int(days), step_days=int(step_days),
                       tolerance=float(tolerance))
    return frame


def redesign_start(results: Results) -> pd.DataFrame:
    """Each input column's first day short of deliveries and the day its redesign clock starts, per run.

    Redesign and thrifting replace a growing share of an input from the first day its users' supply is short
    of deliveries over their working stock or, if earlier, the first day an export control in force is
    upstream of the column (docs/model.md §8.3, *Substitution and thrifting*; `supplychain.impact.threat`).
    A policy that postpones the first short day (a stockpile, a safety stock) postpones the redesign of a
    column no control reaches. A column is a region's supply of one input the input-output table maps to
    industries (and an end-use segment where the table has one); days count from the horizon's first day,
    -1 when it never comes.

    Returns
    -------
    DataFrame
        ``run, region, commodity, segment, first_short_day, control_day, start_day, date`` (``date``, the
        start day's, NaT when redesign never starts).

    Examples
    --------
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=20)
    >>> surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=5)
    >>> starts = redesign_start(sc.simulate(base.with_shocks(surge), engine="vector", seed=1))
    >>> short = starts[starts.first_short_day >= 0]
    >>> sorted(set(short.region)), sorted(set(short.commodity)), int(short.first_short_day.min()) >= 5
    (['US'], ['logic_chip'], True)
    """
    if not isinstance(results, Results):
        raise TypeError("redesign_start needs daily series (Results): an ensemble kept as summaries has no days; "
                        "re-run with keep='series'")
    from ..impact.loss import InputMap, Shortfalls

    table = load_io_table()
    imap = InputMap.build(results.scenario.network, table)
    demand, delivered = np.asarray(results.demand, dtype=float), np.asarray(results.delivered, dtype=float)
    from ..impact.threat import control_days

    first = _first_short(imap, demand, delivered, table.working_stock_days)
    n_runs, k = first.shape
    control = control_days(results.scenario, imap)
    control = np.where(control < results.n_days, control, -1).astype(np.int64)
    control = np.broadcast_to(control, first.shape)
    start = np.where((control >= 0) & ((first < 0) | (control < first)), control, first)
    dates = pd.to_datetime(pd.Series(results.dates))
    return pd.DataFrame({
        "run": np.repeat(np.arange(n_runs), k),
        "region": [c[0] for c in imap.columns] * n_runs,
        "commodity": [c[1] for c in imap.columns] * n_runs,
        "segment": [c[2] or "" for c in imap.columns] * n_runs,
        "first_short_day": first.reshape(-1),
        "control_day": control.reshape(-1),
        "start_day": start.reshape(-1),
        "date": [dates.iloc[d] if d >= 0 else pd.NaT for d in start.reshape(-1)],
    })


def _first_short(imap: object, demand: np.ndarray, delivered: np.ndarray, window: int) -> np.ndarray:
    """First day (R, K) each column is short of deliveries over the working-stock window; -1 if never.

    The same measure that starts the kernel's substitution clock (`supplychain.impact.loss.Shortfalls`).
    """
    from ..impact.loss import Shortfalls

    n_runs, n_days, _ = delivered.shape
    short = Shortfalls(imap, n_runs, window)   # type: ignore[arg-type]
    first = np.full((n_runs, len(imap.columns)), -1, dtype=np.int64)   # type: ignore[attr-defined]
    for t in range(n_days):
        short.short(demand[:, t], delivered[:, t])
        first = np.where((first < 0) & (short.undelivered > 0), t, first)
    return first


def policy_value_added(policy: Results, *, without: Results, baseline: Results) -> pd.DataFrame:
    """Value added lost with and without a policy response, by region, and the same without redesign.

    A response (a `StockpileRelease`, a `SafetyStockChange`) that cuts the shortfall can still raise the value
    added lost: redesign and thrifting start on each input column's first day short, or on the first day an
    export control upstream of it is in force if earlier (docs/model.md §8.3), so a response that postpones the
    first short day of a column no control reaches (one short because of a capacity stop, a closed lane or a
    demand surge), while the shock outlasts it, meets the same later shortfall with less redesign done. This
    table separates the two: ``change_usd`` is the policy's change in value added lost,
    ``change_no_redesign_usd`` the change measured with the table's substitution switched off (its share 0),
    the effect of the deliveries alone; their difference is the redesign postponed. ``attrs["postponed"]``
    lists the columns whose redesign start the policy moved later (mean over runs, days),
    ``attrs["own_usd"]`` the part of each region's ``policy_usd`` that its own demands' shortfalls cause
    (the value added lost with every other region's demands delivered; the rest comes from other regions'
    shortfalls through the input-output links, which no response in the region itself changes),
    ``attrs["responses"]`` what each response of ``policy`` that ``without`` lacks did
    (`supplychain.metrics.response_effects`: a reserve released, capacity added and used), and
    ``attrs["note"]`` says it in words.

    Parameters
    ----------
    policy, without : Results
        Paired runs (same seed and runs) of the shocked scenario with and without the response.
    baseline : Results
        Paired runs of the unshocked scenario; losses are net of it.

    Raises
    ------
    TypeError
        If a run is an ensemble kept as summaries (the first short days need daily series).
    ValueError
        If the runs are not paired.

    Returns
    -------
    DataFrame
        A `supplychain._format.UsdFrame`, one row per region and ``ALL``: ``without_usd``, ``policy_usd``,
        ``change_usd``, ``change_no_redesign_usd`` (means over runs, USD, floats to compute with).

    Examples
    --------
    >>> import supplychain as sc
    >>> base = sc.load_baseline(horizon_days=30)
    >>> surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=5)
    >>> help_ = sc.StockpileRelease(region="US", commodity="logic_chip", days_of_cover=30,
    ...                             release_below_cover_days=10, start=5)
    >>> runs = [sc.simulate(s, engine="vector", seed=1)
    ...         for s in (base, base.with_shocks(surge), base.with_shocks(surge, help_))]
    >>> t = policy_value_added(runs[2], without=runs[1], baseline=runs[0])
    >>> list(t.columns), t.region.tolist()[-1]
    (['region', 'without_usd', 'policy_usd', 'change_usd', 'change_no_redesign_usd'], 'ALL')
    >>> bool(t.change_usd.iloc[-1] < 0)       # the release helps
    True
    """
    import dataclasses

    for name, runs in (("policy", policy), ("without", without), ("baseline", baseline)):
        if not isinstance(runs, Results):
            raise TypeError(f"policy_value_added needs daily series (Results) for {name}: re-run with keep='series'")
    shapes = {(r.n_runs, r.n_days, r.seed) for r in (policy, without, baseline)}
    if len(shapes) > 1:
        raise ValueError("policy_value_added needs paired runs (one seed, number of runs and horizon); got "
                         + ", ".join(f"{n}: {r.n_runs} runs x {r.n_days} days, seed {r.seed}"
                                     for n, r in (("policy", policy), ("without", without), ("baseline", baseline))))
    table = load_io_table()
    still = dataclasses.replace(table, substitution={c: (0.0, days) for c, (_, days) in table.substitution.items()})

    def by_region(runs: Results, tab: object) -> np.ndarray:
        return runs.value_added_loss(table=tab).total.sum(axis=2)   # type: ignore[arg-type]

    lost, flat = {}, {}
    for name, runs in (("policy", policy), ("without", without), ("baseline", baseline)):
        lost[name], flat[name] = by_region(runs, table), by_region(runs, still)
    net = {k: (lost[k] - lost["baseline"]).mean(axis=0) for k in ("policy", "without")}
    net_flat = {k: (flat[k] - flat["baseline"]).mean(axis=0) for k in ("policy", "without")}
    regions = [*table.regions, "ALL"]
    add = lambda v: np.append(v, v.sum())   # noqa: E731
    frame = UsdFrame({"region": regions, "without_usd": add(net["without"]), "policy_usd": add(net["policy"]),
                      "change_usd": add(net["policy"] - net["without"]),
                      "change_no_redesign_usd": add(net_flat["policy"] - net_flat["without"])})
    a, b = redesign_start(without), redesign_start(policy)
    keys = ["region", "commodity", "segment"]
    moved = a.merge(b, on=["run", *keys], suffixes=("_without", "_policy"))
    moved = moved[(moved.start_day_without >= 0)
                  & ((moved.start_day_policy > moved.start_day_without) | (moved.start_day_policy < 0))]
    postponed = moved.assign(days=np.where(moved.start_day_policy < 0, policy.n_days,
                                           moved.start_day_policy) - moved.start_day_without)
    postponed = postponed.groupby(keys, as_index=False)["days"].mean().sort_values("days", ascending=False)
    own = _own_loss(policy, table) - _own_loss(baseline, table)
    own_usd = pd.Series(own.mean(axis=0), index=list(table.regions))
    where = sorted({r.region for r in policy.scenario.responses
                    if r not in without.scenario.responses and getattr(r, "region", None) in own_usd.index})
    from ..metrics.responses import response_effects

    effects = response_effects(policy)
    mine = [r not in without.scenario.responses for r in policy.scenario.responses]
    effects = effects[mine].reset_index(drop=True) if len(effects) == len(mine) else effects
    note = _policy_note(frame, postponed, own_usd, where)
    if len(effects):
        note += " What the response did: " + "; ".join(
            f"{r.region} {r.commodity} {r.kind.replace('_', ' ')} {r.effect}" for r in effects.itertuples()) + "."
    frame.attrs.update(postponed=postponed.reset_index(drop=True), own_usd=own_usd, responses=effects, note=note)
    return frame


def _own_loss(runs: Results, table: object) -> np.ndarray:
    """Value added lost in each region from its own demands' shortfalls alone, (R, regions), USD.

    One input-output run per region with every other region's demands delivered in full (and none of their
    demand given up): the loss that region's own shortfalls cause there, its industries' purchases from other
    regions included. What the region loses beyond it comes from other regions' shortfalls.
    """
    from ..impact.given_up import given_up_series
    from ..impact.loss import value_added_loss

    regions = list(table.regions)   # type: ignore[attr-defined]
    demand_region = np.array([d.region for d in runs.scenario.network.demands])
    given = given_up_series(runs.scenario, runs.demand, runs.arrays.get("price"))
    out = np.zeros((runs.n_runs, len(regions)))
    for k, region in enumerate(regions):
        others = demand_region != region
        if not (runs.delivered[:, :, ~others] < runs.demand[:, :, ~others]).any() and (
                given is None or not given[:, :, ~others].any()):
            continue   # nothing of its own short: nothing of its own lost
        got = runs.delivered.copy()
        got[:, :, others] = np.maximum(got[:, :, others], runs.demand[:, :, others])
        part = None
        if given is not None:
            part = given.copy()
            part[:, :, others] = 0.0
        loss = value_added_loss(runs.demand, got, runs.scenario.network, table=table,  # type: ignore[arg-type]
                                given_up=part, scenario=runs.scenario)
        out[:, k] = loss.total.sum(axis=2)[:, k]
    return out


def _policy_note(frame: pd.DataFrame, postponed: pd.DataFrame, own_usd: pd.Series | None = None,
                 where: list[str] | None = None) -> str:
    """The sentences `policy_value_added` puts in ``attrs["note"]``.

    ``own_usd``: each region's value added lost from its own shortfalls (``attrs["own_usd"]``); ``where``: the
    regions of the policy's responses, whose loss from other regions' shortfalls the note names.
    """
    from .._format import format_usd

    total = frame.iloc[-1]
    change, still = float(total.change_usd), float(total.change_no_redesign_usd)
    text = f"The response changes value added lost by {format_usd(change, sign=True)}"
    if not len(postponed):
        text += "; it postpones no input's redesign (its first short day, or an export control upstream)."
        if still < 0 and abs(change) < 0.1 * abs(still):
            text += (f" Without redesign and thrifting the deliveries it adds would save {format_usd(-still)}: "
                     "the shortfalls it removes are ones that redesign and thrifting already cover (they start "
                     "on an input's first short day, or on the first day an export control upstream of it is in "
                     "force, and replace up to a tenth of its use; docs/model.md §8.3), so with them those "
                     "shortfalls cost almost no value added.")
    else:
        cols = ", ".join(f"{r.commodity}{f' ({r.segment})' if r.segment else ''} in {r.region} by {r.days:.0f} days"
                         for r in postponed.head(4).itertuples())
        more = f" and {len(postponed) - 4} more" if len(postponed) > 4 else ""
        text += (f" ({format_usd(still, sign=True)} without redesign and thrifting: the deliveries' own effect). It "
                 f"postpones the first short day of {cols}{more}, and redesign starts on that day, no export "
                 "control being upstream of them (docs/model.md §8.3)")
        text += (": the shortfall it only postpones meets less redesign, so more value added is lost."
                 if change > 0 > still else ".")
    for region in where or ():
        if own_usd is None or region not in set(frame.region):
            continue
        lost = float(frame.loc[frame.region == region, "policy_usd"].iloc[0])
        mine = float(own_usd.get(region, 0.0))
        if lost <= 0 or lost - mine < 0.5 * lost:
            continue
        text += (f" {region} still loses {format_usd(lost)} of value added with the response: "
                 + ("all of it" if mine < 0.005 * lost else f"{format_usd(lost - mine)} of it")
                 + f" through its industries' sales to and purchases from the regions that are short (input-output "
                 f"links), not from {region}'s own shortfalls, so no response in {region} alone changes it.")
    return text
