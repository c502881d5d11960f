"""What a policy changed: a shocked run set against its baseline, and the costs of trade.

:func:`compare` sets two :class:`~supplychain.results.Results` side by side,
per region and commodity. Run both with the same seed and number of runs:
run ``r`` of each then sees the same demand noise, lead times and outages
(common random numbers, see :mod:`supplychain.engines.draws`), so the
run-by-run difference is the policy's effect and its standard error is small.

:func:`lane_costs` and :func:`tariff_paid` value the flows: landed cost per
unit is ``price * (1 + tariff) + freight + extra`` where ``extra`` is the cost
of rerouting banned goods through third countries (``ExportControl`` leakage).
The tariff rates and extras come from the scenario's compiled schedules.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, cast

import numpy as np

from .._validation import fail
from ..compile.compiler import compile_scenario
from ..errors import SimulationWarning, ValidationError

if TYPE_CHECKING:
    import pandas as pd

    from ..results.series import Results

__all__ = ["compare", "lane_costs", "tariff_paid"]

_DEMAND_METRICS = ("demand", "delivered", "shortfall", "shortfall_usd", "fill_rate", "delivery_rate")
_TRADE_METRICS = ("imports", "import_cost_usd", "landed_cost_usd_per_unit", "tariff_paid_usd")


def lane_costs(results: Results) -> dict[str, np.ndarray]:
    """USD paid per run and lane over the horizon, split by component, each ``(n_runs, n_lanes)``.

    Keys: ``goods`` (reference price x flow), ``tariff`` (rate x price x flow),
    ``freight`` and ``extra`` (leakage rerouting), and ``landed``, their sum.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> costs = lane_costs(simulate(load_baseline().with_horizon(10), seed=0))
    >>> bool((costs["tariff"] == 0).all()), costs["landed"].shape[1] > 0
    (True, True)
    """
    c = compile_scenario(results.scenario)
    flow = results.flow                                          # (R, T, L)
    tau = np.broadcast_to(c.schedules.tariff, flow.shape[1:])    # (T, L)
    extra = c.schedules.extras.get("extra_cost_usd")
    out = {
        "goods": flow.sum(axis=1) * c.lane_price,
        "tariff": np.einsum("rtl,tl->rl", flow, tau) * c.lane_price,
        "freight": flow.sum(axis=1) * c.lane_freight,
        "extra": np.zeros_like(flow[:, 0]) if extra is None else np.einsum("rtl,tl->rl", flow, extra),
    }
    out["landed"] = out["goods"] + out["tariff"] + out["freight"] + out["extra"]
    return out


def tariff_paid(results: Results, *, importer: str | None = None, commodity: str | None = None) -> np.ndarray:
    """Tariff paid in USD per run: the sum over days and lanes of rate x reference price x flow.

    Parameters
    ----------
    results : Results
    importer, commodity : str, optional
        Only lanes into this region / carrying this commodity.

    Returns
    -------
    ndarray, shape (n_runs,)

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> tariff_paid(simulate(load_baseline().with_horizon(10), seed=0)).tolist()
    [0.0]
    """
    keep = np.ones(len(results.coords.lane), dtype=bool)
    if importer is not None:
        keep &= np.array([r.split(">")[1] == importer for r in results.coords.region["lane"]])
    if commodity is not None:
        keep &= np.array([c == commodity for c in results.coords.commodity["lane"]])
    paid: np.ndarray = lane_costs(results)["tariff"][:, keep].sum(axis=1)
    return paid


def _sum_groups(values: np.ndarray, keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], np.ndarray]:
    """Sum the last axis of ``values`` (R, n) into groups by ``keys``; each group -> (R,)."""
    out: dict[tuple[str, ...], np.ndarray] = {}
    for j, key in enumerate(keys):
        out[key] = out.get(key, 0.0) + values[:, j]
    return out


def _measures(results: Results) -> dict[tuple[str, str, str, str], np.ndarray]:
    """Every compared quantity per run: key (region, commodity, metric, partner) -> (R,)."""
    co = results.coords
    prices = {c.id: c.price_usd for c in results.scenario.network.commodities}
    out: dict[tuple[str, str, str, str], np.ndarray] = {}
    groups = list(zip(co.region["demand"], co.commodity["demand"]))
    demand = _sum_groups(results.demand.sum(axis=1), groups)
    delivered = _sum_groups(results.delivered.sum(axis=1), groups)
    on_day = _sum_groups(results.arrays["served_on_day"].sum(axis=1), groups)
    for (region, com), want in demand.items():
        got = delivered[(region, com)]
        short = np.maximum(want - got, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fill = np.where(want > 0, on_day[(region, com)] / np.where(want > 0, want, 1.0), 1.0)
            rate = np.where(want > 0, got / np.where(want > 0, want, 1.0), 1.0)
        for name, value in zip(_DEMAND_METRICS, (want, got, short, short * prices[com], fill, rate)):
            out[(region, com, name, "")] = value
    src, dst = zip(*(r.split(">") for r in co.region["lane"])) if co.lane else ((), ())
    foreign = [j for j in range(len(co.lane)) if src[j] != dst[j]]
    costs = lane_costs(results)
    flows = results.flow.sum(axis=1)
    keys = [(dst[j], co.commodity["lane"][j]) for j in foreign]
    imports = _sum_groups(flows[:, foreign], keys)
    cost = _sum_groups(costs["landed"][:, foreign], keys)
    tariff = _sum_groups(costs["tariff"][:, foreign], keys)
    by_partner = _sum_groups(flows[:, foreign], [k + (src[j],) for k, j in zip(keys, foreign)])
    every = list(range(len(co.lane)))
    supplied = _sum_groups(flows, [(dst[j], co.commodity["lane"][j]) for j in every])
    by_source = _sum_groups(flows, [(dst[j], co.commodity["lane"][j], src[j]) for j in every])
    for (region, com), units in imports.items():
        with np.errstate(invalid="ignore", divide="ignore"):
            unit_cost = np.where(units > 0, cost[(region, com)] / np.where(units > 0, units, 1.0), np.nan)
        for name, value in zip(_TRADE_METRICS, (units, cost[(region, com)], unit_cost, tariff[(region, com)])):
            out[(region, com, name, "")] = value
    for metric, parts, totals in (("import_share", by_partner, imports), ("source_share", by_source, supplied)):
        for (region, com, partner), units in parts.items():
            total = totals[(region, com)]
            with np.errstate(invalid="ignore", divide="ignore"):
                out[(region, com, metric, partner)] = np.where(total > 0, units / np.where(total > 0, total, 1.0),
                                                               np.nan)
    return out


def compare(baseline: Results, shocked: Results) -> pd.DataFrame:
    """Change per region and commodity from ``baseline`` to ``shocked`` (same network).

    Returns a long table with columns ``region, commodity, metric, partner,
    baseline, shocked, change, change_se``: the means over runs, their
    difference and, for paired runs (same seed and number of runs), the
    standard error of the run-by-run difference (``NaN`` with one run).

    Metrics per demand region: ``demand``, ``delivered``, ``shortfall``
    (units), ``shortfall_usd``, ``fill_rate`` (type 2: served from stock on
    the day of demand), ``delivery_rate`` (delivered, late included). Per importing region, over
    lanes from other regions: ``imports`` (units shipped), ``import_cost_usd``
    (landed: goods + tariff + freight + rerouting), ``landed_cost_usd_per_unit``,
    ``tariff_paid_usd``, and ``import_share`` per exporting ``partner`` (trade
    diversion is the change in these shares). ``source_share`` per ``partner``
    counts every lane, the region's own suppliers included (localisation).

    Raises
    ------
    ValidationError
        If the two results are not on the same network (lanes, demands).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> base = load_baseline().with_horizon(10)
    >>> t = compare(simulate(base, seed=3), simulate(base, seed=3))
    >>> float(t["change"].abs().max())
    0.0
    """
    import pandas as pd

    for axis in ("lane", "demand"):
        if baseline.coords.labels(axis) != shocked.coords.labels(axis):
            raise ValidationError(f"shocked must have the baseline's {axis}s; got a different network "
                                  f"for compare (compare runs of one network with and without shocks).")
    if baseline.n_days != shocked.n_days:
        raise fail("shocked.n_days", f"the baseline's horizon ({baseline.n_days})", shocked.n_days, "compare")
    paired = baseline.seed == shocked.seed and baseline.n_runs == shocked.n_runs
    if not paired:
        warnings.warn("compare: runs are not paired (different seed or number of runs); the change is a "
                      "difference of means and includes random noise", SimulationWarning, stacklevel=2)
    before, after = _measures(baseline), _measures(shocked)
    rows = []
    for key in before:
        b, a = before[key], after.get(key, np.full_like(before[key], np.nan))
        se = np.nan
        if paired and len(b) > 1:
            se = float(np.nanstd(a - b, ddof=1) / np.sqrt(len(b)))
        rows.append((*key, float(np.nanmean(b)) if not np.isnan(b).all() else np.nan,
                     float(np.nanmean(a)) if not np.isnan(a).all() else np.nan, se))
    table = pd.DataFrame(rows, columns=["region", "commodity", "metric", "partner", "baseline", "shocked",
                                        "change_se"])
    table.insert(6, "change", table["shocked"] - table["baseline"])
    return table.sort_values(["region", "commodity", "metric", "partner"], ignore_index=True)


def compare_to_unshocked(shocked: Results) -> pd.DataFrame:
    """:func:`compare` ``shocked`` with the same scenario run without its shocks (paired runs).

    The baseline drops the disruptions and responses but keeps the shocks in
    force on day 0 (:meth:`~supplychain.model.Scenario.without_shocks`): they
    are standing conditions, not part of the shock. The baseline run uses the same network, horizon, engine, number of runs
    and seed, so it is what ``supplychain run FILE --compare baseline`` shows.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> from supplychain.model import DemandShock
    >>> s = load_baseline().with_horizon(10).with_shocks(
    ...     DemandShock(region="US", commodity="logic_chip", factor=2.0))
    >>> t = compare_to_unshocked(simulate(s, seed=0))
    >>> float(t[(t.region == "US") & (t.commodity == "logic_chip") & (t.metric == "demand")]["change"].iloc[0]) > 0
    True
    """
    from ..run.simulate import simulate
    base = shocked.scenario.without_shocks(name=f"{shocked.scenario.name} without shocks")
    engine = cast(Literal["des", "vector"], shocked.engine)
    baseline = simulate(base, engine=engine, n_runs=shocked.n_runs, seed=shocked.seed)
    return compare(baseline, shocked)


#: Metrics shown by :func:`format_changes`, in this order.
HEADLINE_METRICS = ("shortfall_usd", "fill_rate", "tariff_paid_usd", "import_cost_usd", "import_share")


def format_changes(table: pd.DataFrame, *, per_metric: int = 8) -> str:
    """The largest changes of a :func:`compare` table, as plain text for a terminal.

    Shows, for each of :data:`HEADLINE_METRICS`, the ``per_metric`` rows with
    the largest absolute change (rows that did not change are left out).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["US"], "commodity": ["chip"], "metric": ["fill_rate"],
    ...                   "partner": [""], "baseline": [1.0], "shocked": [0.9], "change": [-0.1],
    ...                   "change_se": [float("nan")]})
    >>> print(format_changes(t))
    Change against the unshocked baseline (paired runs):
    metric          region     commodity              baseline     shocked      change
    fill_rate       US         chip                          1         0.9        -0.1
    """
    row = "{:15s} {:10s} {:18s} {:>12s} {:>11s} {:>11s}"
    lines = ["Change against the unshocked baseline (paired runs):",
             row.format("metric", "region", "commodity", "baseline", "shocked", "change")]
    for metric in HEADLINE_METRICS:
        part = table[(table["metric"] == metric) & (table["change"].abs() > 1e-9)]
        part = part.reindex(part["change"].abs().sort_values(ascending=False).index).head(per_metric)
        for r in part.itertuples():
            who = f"{r.region!s}<-{r.partner!s}" if r.partner else str(r.region)
            lines.append(row.format(metric, who, r.commodity, f"{r.baseline:,.4g}", f"{r.shocked:,.4g}",
                                    f"{r.change:+,.4g}").rstrip())
    if len(lines) == 2:
        lines.append("nothing changed")
    return "\n".join(lines)
