"""What a policy changed: a shocked run set against its baseline, and the costs of trade.

`compare` sets two `Results` side by side,
per region and commodity. Run both with the same seed and number of runs:
run ``r`` of each then sees the same demand noise, lead times and outages
(common random numbers, see `supplychain.engines.draws`), so the
run-by-run difference is the policy's effect and its standard error is small.

`lane_costs` and `tariff_paid` value the flows: landed cost per
unit is ``price * (1 + tariff) + freight + extra`` where ``extra`` is the cost
of rerouting banned goods through third countries (``ExportControl`` leakage).
The tariff rates and extras come from the scenario's compiled schedules.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from .._format import format_percent, format_points_between, format_relative, format_units, format_usd
from .._validation import fail
from ..compile.compiler import compile_scenario
from ..errors import SimulationWarning, ValidationError
from ..metrics.pairing import is_unshocked_version, warn_if_reversed
from ..metrics.responses import response_effects
from ..model._display import plural, shocks_title
from ..results.ensemble import EnsembleResults

if TYPE_CHECKING:
    import pandas as pd

    from ..model.scenario import Scenario
    from ..results.series import Coords, Results

__all__ = ["compare", "compare_to_unshocked", "is_unshocked_version", "paired_interval", "demand_changes",
           "format_changes", "format_usd", "format_percent", "lane_costs", "tariff_paid", "POOLED", "run_names"]

#: The ``segment`` of a demand row of ``compare(..., segments=False)`` whose region and commodity has buyers
#: per end-use segment (chip buyers): all of them pooled, as ``"ALL"`` labels the totals of
#: `EnsembleResults.shortfall_summary`. Every other row (demands without segments, trade) has segment ``""``
#: in both views, so a row that is the same in the two views reads the same.
POOLED = "ALL"

_DEMAND_METRICS = ("demand", "delivered", "shortfall", "shortfall_usd", "fill_rate", "delivery_rate")
_TRADE_METRICS = ("imports", "import_cost_usd", "landed_cost_usd_per_unit", "tariff_paid_usd")
#: The chain's stock of a commodity held in a region on the last day simulated, at reference prices: on hand
#: (plants' input and output stocks, buyers' stocks), in transit to the region, and in the region's plants' work
#: in progress. Daily results only (an ensemble summary keeps no stocks).
STOCK_END_METRIC = "stock_end_usd"


def lane_costs(results: Results | EnsembleResults) -> dict[str, np.ndarray]:
    """USD paid per run and lane over the horizon, split by component, each ``(n_runs, n_lanes)``.

    Keys: ``goods`` (reference price x flow), ``tariff`` (rate x price x flow),
    ``freight`` and ``extra`` (leakage rerouting), and ``landed``, their sum.
    An ensemble summary (``keep="summary"``) gives the same numbers from its
    per-run lane totals.

    Raises
    ------
    ValidationError
        If ``results`` is an ensemble summary without lane totals (an archive
        written before they were kept).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> costs = lane_costs(simulate(load_baseline().with_horizon(10), seed=0))
    >>> bool((costs["tariff"] == 0).all()), costs["landed"].shape[1] > 0
    (True, True)
    """
    with warnings.catch_warnings():
        # The scenario's warnings (a shock with no effect, one past the horizon) were given when it was simulated;
        # compiling it again to value its lanes would repeat each of them from here.
        warnings.simplefilter("ignore", SimulationWarning)
        c = compile_scenario(results.scenario)
    if isinstance(results, EnsembleResults):
        if results.lane_flow is None or results.lane_tariff_units is None or results.lane_extra_usd is None:
            raise ValidationError("this ensemble summary keeps no lane totals (it was saved by an older "
                                  "version); run it again to value its trade.")
        total, taxed, extra_usd = results.lane_flow, results.lane_tariff_units, results.lane_extra_usd
    else:
        flow = results.flow                                          # (R, T, L)
        tau = np.broadcast_to(c.schedules.tariff, flow.shape[1:])    # (T, L)
        extra = c.schedules.extras.get("extra_cost_usd")
        total, taxed = flow.sum(axis=1), np.einsum("rtl,tl->rl", flow, tau)
        extra_usd = np.zeros_like(flow[:, 0]) if extra is None else np.einsum("rtl,tl->rl", flow, extra)
    out = {
        "goods": total * c.lane_price,
        "tariff": taxed * c.lane_price,
        "freight": total * c.lane_freight,
        "extra": np.array(extra_usd, dtype=float),
    }
    out["landed"] = out["goods"] + out["tariff"] + out["freight"] + out["extra"]
    return out


def tariff_paid(results: Results | EnsembleResults, *, importer: str | None = None,
                commodity: str | None = None) -> np.ndarray:
    """Tariff paid in USD per run: the sum over days and lanes of rate x reference price x flow.

    Parameters
    ----------
    results : Results or EnsembleResults
        Daily results, or an ensemble summary (from its per-run lane totals).
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


def _demand_measures(scenario: Scenario, coords: Coords, demand: np.ndarray, delivered: np.ndarray,
                     on_day: np.ndarray, segments: bool = False) -> dict[tuple[str, ...], np.ndarray]:
    """Per-run service of each demand group from per-run totals ``(R, D)``: key -> (R,).

    Keys are ``(region, commodity, segment, metric, partner)``: with ``segments`` a group per end-use
    segment (``""`` for a demand without one), else one per region and commodity, segment `POOLED`
    where some of its demands carry a segment and ``""`` where none does.
    """
    from ..results.labelled import demand_segments
    prices = {c.id: c.price_usd for c in scenario.network.commodities}
    labels = demand_segments(scenario, coords)
    if not segments:
        split = {(r, c) for r, c, seg in zip(coords.region["demand"], coords.commodity["demand"], labels) if seg}
        labels = tuple(POOLED if (r, c) in split else ""
                       for r, c in zip(coords.region["demand"], coords.commodity["demand"]))
    groups = list(zip(coords.region["demand"], coords.commodity["demand"], labels))
    wanted, got_all, served = (_sum_groups(x, groups) for x in (demand, delivered, on_day))
    out: dict[tuple[str, ...], np.ndarray] = {}
    for (region, com, seg), want in wanted.items():
        got = got_all[(region, com, seg)]
        short = np.maximum(want - got, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fill = np.where(want > 0, served[(region, com, seg)] / np.where(want > 0, want, 1.0), 1.0)
            rate = np.where(want > 0, got / np.where(want > 0, want, 1.0), 1.0)
        for name, value in zip(_DEMAND_METRICS, (want, got, short, short * prices[com], fill, rate)):
            out[(region, com, seg, name, "")] = value
    return out


def _measures(results: Results | EnsembleResults, segments: bool = False) -> dict[tuple[str, ...], np.ndarray]:
    """Every compared quantity per run: key (region, commodity, segment, metric, partner) -> (R,).

    With ``segments``, demand groups per end-use segment; without, one per region and commodity,
    segment `POOLED` where its buyers are split by segment. Trade metrics (per importing region) have
    segment ``""`` in both.

    Daily results and ensemble summaries give the same numbers: an ensemble keeps per-run totals of
    demand and deliveries per demand and of flows (and their tariff and rerouting costs) per lane.
    An ensemble summary loaded from an archive without lane totals has the demand metrics only.
    """
    co = results.coords
    if isinstance(results, EnsembleResults):
        out = _demand_measures(results.scenario, co, results.demand, results.delivered, results.served_on_day,
                               segments)
        if results.lane_flow is None:
            return out
        flows = results.lane_flow
    else:
        out = _demand_measures(results.scenario, co, results.demand.sum(axis=1), results.delivered.sum(axis=1),
                               results.arrays["served_on_day"].sum(axis=1), segments)
        flows = results.flow.sum(axis=1)
    src, dst = zip(*(r.split(">") for r in co.region["lane"])) if co.lane else ((), ())
    foreign = [j for j in range(len(co.lane)) if src[j] != dst[j]]
    costs = lane_costs(results)
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
    if not isinstance(results, EnsembleResults):
        out.update(_end_stock(results))
    # Trade is per importing region, not per buyer segment.
    return {key if len(key) == 5 else (*key[:2], "", *key[2:]): value for key, value in out.items()}


def _end_stock(results: Results) -> dict[tuple[str, ...], np.ndarray]:
    """`STOCK_END_METRIC` per run: key (region, commodity, metric, "") -> (R,), USD at reference prices."""
    co = results.coords
    price = {c.id: c.price_usd for c in results.scenario.network.commodities}
    out: dict[tuple[str, ...], np.ndarray] = {}
    parts = [(results.arrays["inventory"][:, -1, :], co.region["stock"], co.commodity["stock"])]
    for name, axis in (("in_transit", "lane"), ("wip", "facility")):   # wip: recorded only with cycle times
        if name in results.arrays:
            regions = [r.split(">")[1] for r in co.region["lane"]] if axis == "lane" else co.region[axis]
            parts.append((results.arrays[name][:, -1, :], regions, co.commodity[axis]))
    for values, regions, commodities in parts:
        if not len(commodities):
            continue
        usd = values * np.array([price[c] for c in commodities])
        for (region, com), total in _sum_groups(usd, list(zip(regions, commodities))).items():
            key = (region, com, STOCK_END_METRIC, "")
            out[key] = out[key] + total if key in out else total
    return out


def paired_interval(baseline: np.ndarray, shocked: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Standard error and ``level`` interval of the mean run-by-run change ``shocked - baseline``.

    Run ``i`` of both arrays must share its random draws (same seed and number of runs): the
    interval is then the Student-t interval of the mean of the ``n`` paired differences,
    ``mean(d) -/+ t(n-1) sd(d) / sqrt(n)``. Pairs with a NaN on either side are left out;
    fewer than two pairs give NaN.

    Examples
    --------
    >>> se, lo, hi = paired_interval(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]))
    >>> round(se, 4), round(lo, 3), round(hi, 3)
    (0.5774, -0.484, 4.484)
    """
    from scipy import stats

    d = np.asarray(shocked, dtype=float) - np.asarray(baseline, dtype=float)
    d = d[~np.isnan(d)]
    if len(d) < 2:
        return math.nan, math.nan, math.nan
    se = float(np.std(d, ddof=1) / math.sqrt(len(d)))
    half = float(stats.t.ppf(0.5 + level / 2, len(d) - 1)) * se
    mean = float(d.mean())
    return se, mean - half, mean + half


def _fewer_shocks(second: Any, first: Any) -> bool:
    """Whether ``second`` looks like the baseline of ``first``: its unshocked version, or fewer shocks and responses.

    ``compare(a, b)`` positional is before then after; a reversed call ``compare(shocked, base)`` gives a
    second scenario with fewer shocks than the first (the unshocked baseline has none beyond its standing
    conditions), which a deliberate before-then-after comparison of two shocked scenarios rarely does.

    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock
    >>> base = toy_scenario(20)
    >>> one = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9))
    >>> _fewer_shocks(base, one), _fewer_shocks(one, base), _fewer_shocks(one, one)
    (True, False, False)
    """
    try:
        return is_unshocked_version(second, first) or len(second.all_shocks) < len(first.all_shocks)
    except AttributeError:  # not a Scenario: nothing known
        return False


def run_names(first: Any, second: Any) -> tuple[str, str]:
    """How to name two runs' scenarios so a reader tells them apart: their names, quoted; when the names
    are equal (two variants of one file or one unnamed scenario), each with its shocks and responses
    counted, else with its shocks in words, else "first" and "second".

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import CapacityShock, StockpileRelease
    >>> base = toy_scenario(20)
    >>> stop = base.with_shocks(CapacityShock(fraction_lost=1.0, facility="KR.cells", start=2, end=9))
    >>> pile = StockpileRelease(region="US", commodity="cell", reserve=10.0, release_below_cover_days=5)
    >>> run_names(stop, stop.with_shocks(pile))
    ("'toy' (1 shock, no response)", "'toy' (1 shock + 1 response)")
    >>> run_names(base, stop)
    ("'toy' (no shock, no response)", "'toy' (1 shock, no response)")
    >>> run_names(stop.replace(name="a"), stop)
    ("'a'", "'toy'")
    """
    a, b = getattr(first, "scenario", first), getattr(second, "scenario", second)
    if a.name != b.name:
        return repr(a.name), repr(b.name)

    def counted(s: Any) -> str:
        shocks = plural(len(s.shocks), "shock") if s.shocks else "no shock"
        return shocks + (f" + {plural(len(s.responses), 'response')}" if s.responses else ", no response")

    for tell in (counted, lambda s: shocks_title(s.all_shocks, s.start_date) if s.all_shocks else "no shocks"):
        if tell(a) != tell(b):
            return f"{a.name!r} ({tell(a)})", f"{b.name!r} ({tell(b)})"
    return f"{a.name!r} (first)", f"{b.name!r} (second)"


def _compare_args(first: Any, second: Any, baseline: Any, shocked: Any) -> tuple[Any, Any]:
    """(baseline, shocked) from the two call forms of `compare`; a TypeError naming them otherwise.

    Examples
    --------
    >>> _compare_args("b", "s", None, None), _compare_args("s", None, "b", None), _compare_args(None, None, "b", "s")
    (('b', 's'), ('b', 's'), ('b', 's'))
    >>> _compare_args("b", None, None, "s")
    ('b', 's')
    """
    given = [x for x in (first, second) if x is not None]
    if len(given) == 2 and baseline is None and shocked is None and first is not None:
        # compare(shocked, base) without the keyword is an easy slip between the two forms: it reads
        # as "from shocked to base" and reverses every change, so it is said, not silently done.
        scenarios = [getattr(x, "scenario", None) for x in (first, second)]
        if None not in scenarios and _fewer_shocks(scenarios[1], scenarios[0]):
            names = run_names(*scenarios)
            warnings.warn(f"compare(first, second) of {names[0]} then {names[1]}: two positional arguments are "
                          "before then after, and "
                          "the second has fewer shocks than the first, so this is likely the change from the "
                          "shocked runs back to their baseline (every change reversed); for what the shock changed "
                          "call compare(shocked, baseline=base), the form every other measure takes. If this "
                          "order is meant, name both: compare(baseline=first, shocked=second)",
                          SimulationWarning, stacklevel=3)
        elif None not in scenarios:
            # Two runs with as many shocks (policy variants, or a shock against another) give no sign of
            # which is meant as the baseline: the positional form is said, and the keyword form offered.
            names = run_names(*scenarios)
            warnings.warn(f"compare(first, second) reads before then after: {names[0]} as the baseline, "
                          f"{names[1]} as the shocked runs. Every other measure takes the shocked runs "
                          "first and the baseline by keyword, so this order is easy to reverse: call "
                          "compare(second, baseline=first), or name both, compare(baseline=first, shocked=second) "
                          "(the same table)", SimulationWarning, stacklevel=3)
        return first, second
    pair: tuple[Any, Any] | None = None
    if len(given) == 1 and first is not None:
        if baseline is not None and shocked is None:
            pair = baseline, first
        elif shocked is not None and baseline is None:
            pair = first, shocked
    elif not given and baseline is not None and shocked is not None:
        pair = baseline, shocked
    if pair is not None:
        # The keyword forms name each run, yet compare(base, baseline=shocked) is still an easy slip.
        warn_if_reversed(pair[1], pair[0], "compare", stacklevel=4)
        return pair
    raise TypeError("compare takes compare(baseline, shocked) or compare(shocked, baseline=base): the shocked "
                    "runs and the baseline, each once")


def compare(first: Results | EnsembleResults | None = None, second: Results | EnsembleResults | None = None, /, *,
            baseline: Results | EnsembleResults | None = None,
            shocked: Results | EnsembleResults | None = None, segments: bool = True) -> pd.DataFrame:
    """Change per region and commodity from ``baseline`` to ``shocked`` (same network).

    Call it ``compare(shocked, baseline=base)``, the shocked runs first and the baseline by keyword,
    as every other measure and plot takes them (``plot_change(shocked, baseline=base)``,
    ``who_pays(shocked, baseline=base)``, ``time_to_recover(shocked, baseline=base)``); both keywords
    work too. Two positional arguments still work and are always before then after,
    ``compare(baseline, shocked)`` (the older order, kept for existing code), but the form is easy to
    reverse, and no rule can tell a reversed pair from a meant one (two policy variants have as many
    shocks), so every positional call warns (`SimulationWarning`) and offers the keyword form; the
    warning says the call is likely reversed when the second scenario has fewer shocks and responses
    than the first (its unshocked baseline, `Scenario.without_shocks`, or any scenario with fewer).
    Two runs whose scenarios share a name (two variants of one file) are told apart by their shocks and
    responses counted (`run_names`), in the warning and in `format_changes`' title; and what each
    response of either run did (`supplychain.metrics.response_effects`: a reserve released, or not and
    why) is kept in ``attrs["responses"]`` and printed by `format_changes`.

    Returns a long table with columns ``region, commodity, segment, metric, partner,
    baseline, shocked, change, change_se, change_lo, change_hi``: the means
    over runs, their difference and, for paired runs (same seed and number of
    runs: run ``i`` of both shares its random draws), the standard error of the
    run-by-run difference and its 95 % interval (`paired_interval`;
    ``NaN`` with one run or unpaired runs).

    Metrics per demand region: ``demand``, ``delivered``, ``shortfall``
    (units), ``shortfall_usd``, ``fill_rate`` (type 2: served from stock on
    the day of demand), ``delivery_rate`` (delivered, late included). Per importing region, over
    lanes from other regions: ``imports`` (units shipped), ``import_cost_usd``
    (the landed value of the imports received: goods + tariff + freight +
    rerouting; it falls when fewer goods arrive, which is a loss, not a
    saving, and tables title it so: `IMPORTS_RECEIVED_TITLE`), ``landed_cost_usd_per_unit``,
    ``tariff_paid_usd``, and ``import_share`` per exporting ``partner`` (trade
    diversion is the change in these shares). ``source_share`` per ``partner``
    counts every lane, the region's own suppliers included (localisation).
    Per region and commodity, from daily results only, ``stock_end_usd``: the
    chain's stock on the last day (on hand at plants and buyers, in transit to
    the region and in its plants' work in progress) at reference prices; its
    fall is stock the shock drew and the chain had not rebuilt when the run
    ended, which no shortfall counts (docs/model.md §8.2, stock held on the
    last day).
    Memory-light ensembles (`EnsembleResults`,
    ``keep="summary"``) keep per-run totals per demand and per lane, so they
    give the same rows as daily results of the same seed (an ensemble loaded
    from an archive that predates lane totals has the demand metrics only).

    The demand metrics are per region, commodity and end-use segment (chip
    buyers: automotive, industrial, electronics; magnet users: car_parts in three
    stock tranches, motors, devices; each holding its own stock, docs/model.md §5.5): the ``segment`` column, empty for demands without a
    segment and for the trade metrics, as in ``Results.summary()`` and the
    ``compare.csv`` of ``supplychain run --out``. Sum a metric over the segments
    for a region's whole demand (shortfalls add up; rates do not), or pass
    ``segments=False`` for the pooled view: one row per region and commodity,
    segment `POOLED` (``"ALL"``, as the totals of ``shortfall_summary()``) where
    the region's buyers of that commodity are split by segment and ``""``
    elsewhere, as in the split view. The rows that differ between the views are
    the ``"ALL"`` rows, so ``pd.concat([split, pooled[pooled.segment == "ALL"]])``
    is one table with no row twice: each segment's rows, then their totals.

    Raises
    ------
    ValidationError
        If the two results are not on the same network (lanes, demands).

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> base = load_baseline().with_horizon(10)
    >>> t = compare(simulate(base, seed=3), baseline=simulate(base, seed=3))
    >>> float(t["change"].abs().max())
    0.0
    >>> before, after = simulate(base, seed=3), simulate(base.with_horizon(10), seed=3)
    >>> compare(after, baseline=before).equals(compare(baseline=before, shocked=after))
    True
    >>> t = compare(after, baseline=before)
    >>> t[(t.region == "US") & (t.commodity == "logic_chip") & (t.metric == "fill_rate")]["segment"].tolist()
    ['automotive', 'electronics', 'industrial']
    >>> pooled = compare(after, baseline=before, segments=False)
    >>> sorted(set(pooled["segment"])), list(pooled.columns) == list(t.columns)
    (['', 'ALL'], True)
    >>> sorted(set(pooled[pooled.segment == "ALL"]["commodity"]))
    ['logic_chip', 'mature_chip', 'mature_idm_chip', 'memory_chip', 'ndfeb_magnet']
    """
    import pandas as pd

    baseline, shocked = _compare_args(first, second, baseline, shocked)

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
    before, after = _measures(baseline, segments), _measures(shocked, segments)
    rows = []
    identical = paired and baseline.n_runs > 1
    for key, b in before.items():
        if key not in after:  # a trade metric that an ensemble summary does not keep
            continue
        a = after[key]
        identical = identical and _constant(b) and _constant(a)
        se, lo, hi = paired_interval(b, a) if paired else (math.nan, math.nan, math.nan)
        rows.append((*key, float(np.nanmean(b)) if not np.isnan(b).all() else np.nan,
                     float(np.nanmean(a)) if not np.isnan(a).all() else np.nan, se, lo, hi))
    labels = ["region", "commodity", "segment", "metric", "partner"]
    table = pd.DataFrame(rows, columns=[*labels, "baseline", "shocked", "change_se", "change_lo", "change_hi"])
    table.insert(len(labels) + 2, "change", table["shocked"] - table["baseline"])
    table = table.sort_values(labels, ignore_index=True)
    labels_ = run_names(baseline.scenario, shocked.scenario)
    table.attrs.update(before=baseline.scenario.name, after=shocked.scenario.name, paired=paired,
                       before_label=labels_[0], after_label=labels_[1],
                       unshocked=is_unshocked_version(baseline.scenario, shocked.scenario),
                       period=(str(shocked.scenario.start_date), str(shocked.scenario.date_of(shocked.n_days - 1))),
                       controlled_shares=_controlled_shares(baseline, shocked), n_runs=int(shocked.n_runs),
                       identical_runs=bool(identical),
                       series_only=isinstance(baseline, EnsembleResults) or isinstance(shocked, EnsembleResults),
                       per_wafer_tools=per_wafer_tools(shocked.scenario),
                       responses=_responses_done(baseline, shocked))
    return table


def _responses_done(baseline: Results | EnsembleResults, shocked: Results | EnsembleResults) -> list[dict[str, Any]]:
    """What each response of either run did (`response_effects`), tagged with its run; daily results only.

    A response both scenarios hold alike is told once, for the shocked runs (tag ``"both"``). For a
    ``keep="summary"`` ensemble, one row per response with no numbers (its stocks are not kept).
    """
    out: list[dict[str, Any]] = []
    ours = set(map(repr, shocked.scenario.responses))
    theirs = set(map(repr, baseline.scenario.responses))
    for tag, results, other in (("shocked", shocked, theirs), ("baseline", baseline, ours)):
        if not results.scenario.responses or (tag == "baseline" and theirs <= ours):
            continue
        if isinstance(results, EnsembleResults):
            out += [dict(run=tag, response=r.id or type(r).__name__, kind=r.kind, effect=None)
                    for r in results.scenario.responses]
            continue
        rows = response_effects(results).to_dict("records")
        # one row per response, in order, unless one could not be measured: then no row claims "both"
        matched = len(rows) == len(results.scenario.responses)
        for i, row in enumerate(rows):
            alike = matched and repr(results.scenario.responses[i]) in other
            row["run"] = "both" if tag == "shocked" and alike else tag
            out.append(row)
    return out


def _constant(values: np.ndarray) -> bool:
    """Whether every run has the same value (NaNs, a measure a run lacks, are left out)."""
    kept = np.asarray(values, dtype=float)
    kept = kept[~np.isnan(kept)]
    return bool(kept.size == 0 or kept.min() == kept.max())


def per_wafer_tools(scenario: Scenario) -> list[str]:
    """Tools (outputs of stage ``equipment``) that no shock of ``scenario`` names: their imports follow the output
    of the new fab capacity that buys them per wafer (docs/model.md §12), not a decision the shock caused.

    Examples
    --------
    >>> import supplychain as sc
    >>> per_wafer_tools(sc.load_baseline(horizon_days=10))
    ['deposition_tool', 'etch_tool', 'inspection_tool', 'litho_tool']
    >>> per_wafer_tools(sc.load_baseline(horizon_days=10).with_shocks(
    ...     sc.ExportControl(exporter="JP", commodity="litho_tool", mode="ban", start=1)))
    ['deposition_tool', 'etch_tool', 'inspection_tool']
    """
    named = {getattr(s, "commodity", None) for s in scenario.shocks}
    return sorted({f.output for f in scenario.network.facilities if f.stage == "equipment"} - named)


def _controlled_shares(baseline: Results | EnsembleResults,
                       shocked: Results | EnsembleResults) -> list[dict[str, Any]]:
    """Import shares of a controlled exporter over the days its export control was in force.

    ``import_share`` sums a whole run, so it mixes the control's window with what
    follows it: buyers that return to an exporter once its ban ends can raise its
    share of the year although they bought nothing from it during the ban. For each
    `ExportControl` of the shocked scenario with some days in the horizon, and each
    importing region with imports of its commodity, the exporter's share of what
    was shipped to that region from abroad over the control's days ``[first, stop)``
    in both runs (means over runs; ``nan`` where nothing was shipped): one dict per
    (importer, commodity, exporter) with the window's dates, the mode, and
    ``baseline`` and ``shocked``. Empty for ensemble summaries (no daily flows).
    """
    from ..model.shocks import ExportControl

    if isinstance(baseline, EnsembleResults) or isinstance(shocked, EnsembleResults):
        return []
    co, scen = shocked.coords, shocked.scenario
    if not co.lane:
        return []
    src, dst = zip(*(r.split(">") for r in co.region["lane"]))
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for shock in scen.shocks:
        if not isinstance(shock, ExportControl):
            continue
        first, stop = shock.window(scen.start_date, shocked.n_days)
        if stop <= first:
            continue
        lanes = [j for j in range(len(co.lane)) if co.commodity["lane"][j] == shock.commodity and src[j] != dst[j]]
        for importer in sorted({dst[j] for j in lanes if dst[j] != shock.exporter}):
            key = (importer, shock.commodity, shock.exporter)
            if key in seen:
                continue
            into = [j for j in lanes if dst[j] == importer]
            frm = [j for j in into if src[j] == shock.exporter]
            if not frm:
                continue
            seen.add(key)
            shares = []
            for res in (baseline, shocked):
                flows = res.flow[:, first:stop]
                total, part = flows[:, :, into].sum(axis=(1, 2)), flows[:, :, frm].sum(axis=(1, 2))
                with np.errstate(invalid="ignore", divide="ignore"):
                    share = np.where(total > 0, part / np.where(total > 0, total, 1.0), np.nan)
                shares.append(float(np.nanmean(share)) if not np.isnan(share).all() else math.nan)
            out.append({"importer": importer, "commodity": shock.commodity, "exporter": shock.exporter,
                        "mode": shock.mode, "start": str(scen.date_of(first)), "end": str(scen.date_of(stop - 1)),
                        "ended": stop < shocked.n_days, "baseline": shares[0], "shocked": shares[1]})
    return out


def compare_to_unshocked(shocked: Results | EnsembleResults, *, segments: bool = True) -> pd.DataFrame:
    """`compare` ``shocked`` with the same scenario run without its shocks (paired runs).

    The baseline drops the disruptions and responses but keeps the shocks in
    force on day 0 (`Scenario.without_shocks`): they
    are standing conditions, not part of the shock. The baseline run uses the same network, horizon, engine, number of runs
    and seed, so it is what ``supplychain run NAME_OR_FILE`` shows for a scenario with shocks.
    ``segments`` as in `compare` (chip buyers per end-use segment by default).

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
    keep: Literal["series", "summary"] = "summary" if isinstance(shocked, EnsembleResults) else "series"
    from ..run.simulate import identical_runs_expected
    # Identical baseline runs are expected when only the shocks are random (licence draws,
    # outages): the baseline is run as many times as the shocked scenario to pair them.
    with identical_runs_expected():
        baseline = simulate(base, engine=engine, n_runs=shocked.n_runs, seed=shocked.seed, keep=keep)
    table = compare(shocked, baseline=baseline, segments=segments)
    table.attrs["unshocked"] = True
    return table


#: Trade metrics shown by `format_changes` (besides every demand whose service changed), in order.
HEADLINE_METRICS = ("tariff_paid_usd", "import_cost_usd", "import_share")

#: How tables title ``import_cost_usd``: the landed value of the goods that arrived, so that a fall caused by
#: lost deliveries reads as the loss it is, never as a saving; at reference prices (no scarcity price: what
#: buyers paid per unit is `supplychain.analytics.landed_cost`).
IMPORTS_RECEIVED_TITLE = ("Imports received, landed at reference prices with duty (from other regions; a fall means "
                          "fewer goods arrived, not a saving; a rise under a tariff is mostly the duty, not more goods)")

#: A demand counts as changed when its shortfall moves by at least this many USD, and a trade row when its
#: money moves by at least this much: smaller differences are sums of millions of daily values adding up in
#: another order (bits of rounding), not a change anyone could act on ...
UNCHANGED_USD = 1.0
#: ... or its fill or delivery rate (or an import share) by at least this much (0.05 percentage points: what
#: 1 decimal shows), or its quantity demanded by at least this fraction (a demand shock changes demand).
UNCHANGED_RATE = 5e-4

#: What `format_changes` says when it left out differences below the tolerances.
TOLERANCE_NOTE = ("Differences under $1, and under 0.05 pp of a rate or share, count as unchanged (sums of "
                  "daily values in another order, not changes).")


#: How `format_changes` titles `STOCK_END_METRIC`.
#: What `format_changes` prints where the stock table would be, for ensemble summaries (``keep="summary"``),
#: which keep no stocks: ``stock_end_usd`` is a measure of daily results only.
STOCK_END_SERIES_ONLY = ("Stock held in the chain on the last day (stock_end_usd): not known from per-run summaries, "
                         "which keep no stocks; it needs keep='series' (--keep series on the command line).")

STOCK_END_TITLE = ("Stock held in the chain on the last day (plants', buyers' and in transit, at reference prices; "
                   "a fall is stock the shock drew that the chain had not rebuilt when the run ended)")

#: `format_changes` says a commodity's stock was not rebuilt when its net fall over all regions on the last day is
#: at least this share of the baseline's stock of it (smaller gaps are the day-to-day play of base stocks).
NOT_REBUILT_SHARE = 0.01


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]], n_left: int) -> list[str]:
    widths = [max(len(v) for v in col) for col in zip(headers, *rows)]
    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i < n_left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(headers)] + [line(r) for r in rows]


def demand_changes(table: pd.DataFrame) -> pd.DataFrame:
    """One row per demand (region, commodity) of a `compare` table: shortfall and service, before and after.

    When the table has a ``segment`` column (``compare``'s default) a demand is a region,
    commodity and end-use segment, and the result has that column after ``commodity``.

    Columns ``region, commodity, shortfall_usd_baseline, shortfall_usd_shocked,
    shortfall_usd_change, fill_rate_baseline, fill_rate_shocked, fill_rate_change,
    delivery_rate_change, changed, demand_baseline, demand_shocked, demand_changed`` (then
    ``shortfall_usd_change_lo`` and ``_hi``, the paired 95 % interval, when the table has them);
    ``changed`` (its service changed) is False when the shortfall moved by less than
    `UNCHANGED_USD` and both rates by less than `UNCHANGED_RATE`; ``demand_changed``
    is True when the quantity demanded moved by at least `UNCHANGED_RATE` of its baseline
    (a demand shock; ``demand_*`` are NaN and False when the table has no ``demand`` rows).
    Sorted by the largest change in shortfall first.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["US"] * 3, "commodity": ["chip"] * 3,
    ...                   "metric": ["shortfall_usd", "fill_rate", "delivery_rate"], "partner": [""] * 3,
    ...                   "baseline": [0.0, 1.0, 1.0], "shocked": [5e6, 0.9, 0.95]})
    >>> t["change"] = t["shocked"] - t["baseline"]
    >>> d = demand_changes(t)
    >>> d[["region", "shortfall_usd_change", "changed"]].to_dict("records")
    [{'region': 'US', 'shortfall_usd_change': 5000000.0, 'changed': True}]
    """
    import pandas as pd
    part = table[table["metric"].isin(("shortfall_usd", "fill_rate", "delivery_rate", "demand"))]
    values = [c for c in ("baseline", "shocked", "change", "change_lo", "change_hi") if c in part]
    keys = ["region", "commodity", *(["segment"] if "segment" in table else [])]
    if "segment" in part:  # a table read back from CSV has NaN where a demand has no segment
        part = part.assign(segment=part["segment"].fillna(""))
    wide = part.set_index([*keys, "metric"])[values].unstack("metric")
    wide.columns = [f"{metric}_{what}" for what, metric in wide.columns]
    wide = wide.reset_index()
    for col in ("delivery_rate_change",):
        if col not in wide:
            wide[col] = 0.0
    for col in ("demand_baseline", "demand_shocked", "demand_change"):
        if col not in wide:
            wide[col] = float("nan")
    changed = ((wide["shortfall_usd_change"].abs() >= UNCHANGED_USD)
               | (wide["fill_rate_change"].abs() >= UNCHANGED_RATE)
               | (wide["delivery_rate_change"].abs() >= UNCHANGED_RATE))
    wide["changed"] = changed.to_numpy(dtype=bool)
    moved = wide["demand_change"].abs() >= UNCHANGED_RATE * wide["demand_baseline"].abs()
    wide["demand_changed"] = (moved & (wide["demand_change"].abs() > 0)).to_numpy(dtype=bool)
    order = wide.assign(_s=-wide["shortfall_usd_change"].abs(), _f=-wide["fill_rate_change"].abs())
    order = order.sort_values(["_s", "_f", *keys]).drop(columns=["_s", "_f"])
    cols = [*keys, "shortfall_usd_baseline", "shortfall_usd_shocked", "shortfall_usd_change",
            "fill_rate_baseline", "fill_rate_shocked", "fill_rate_change", "delivery_rate_change", "changed",
            "demand_baseline", "demand_shocked", "demand_changed"]
    cols += [c for c in ("shortfall_usd_change_lo", "shortfall_usd_change_hi") if c in order]
    return pd.DataFrame(order[cols]).reset_index(drop=True)


#: How many demands whose service changed `format_changes` lists, largest changes first (the rest are summed in
#: one line): a year-long blockade changes some 70, more than a screen.
DEMANDS_SHOWN = 25


def format_changes(table: pd.DataFrame, *, per_metric: int = 8, demands_shown: int | None = DEMANDS_SHOWN) -> str:
    """What a shock changed, from a `compare` table, as plain text for a terminal.

    First every demand whose shortfall or service changed (rows that did not
    change are left out, and counted at the end), the baseline beside the
    shocked value; then, for each trade metric of `HEADLINE_METRICS`,
    the ``per_metric`` rows with the largest change. Money is in one format
    (`format_usd`), shares in percent and changes of shares in
    percentage points.

    The title and column labels follow the two runs' scenario names, which
    `compare` keeps in ``table.attrs``: "Change against the unshocked
    baseline" (columns baseline, shocked) when the first run is the second
    without its shocks (as in `compare_to_unshocked`), otherwise
    "Change from 'A' to 'B'" (columns from, to).

    A `compare` table lists chip demands per end-use segment (its
    ``segment`` column; the column is left out of the text when no demand has
    a segment), so the rows and the count of unchanged demands match
    ``summary.csv``; ``compare(..., segments=False)`` gives one row per region
    and commodity (segment `POOLED` or ``""``, not printed).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["US", "US", "KR", "KR"], "commodity": ["chip", "chip", "cell", "cell"],
    ...                   "metric": ["shortfall_usd", "fill_rate"] * 2, "partner": [""] * 4,
    ...                   "baseline": [0.0, 1.0, 0.0, 1.0], "shocked": [9.2e7, 0.9, 0.0, 1.0]})
    >>> t["change"] = t["shocked"] - t["baseline"]
    >>> t.attrs.update(before="baseline", after="ban", paired=True, unshocked=True)
    >>> print(format_changes(t))
    Change against the unshocked baseline (paired runs):
    <BLANKLINE>
    Demands whose service changed (shortfall at reference prices; fill rate: served from stock on the day)
    region  commodity  shortfall: baseline  shocked   change  fill rate: baseline  shocked    change
    US      chip                        $0   $92.0M  +$92.0M               100.0%    90.0%  -10.0 pp
    Total shortfall: $0 baseline, $92.0M shocked (+$92.0M).
    <BLANKLINE>
    1 of 2 demands unchanged.
    >>> t.attrs.update(before="ban", after="ban + stockpile", unshocked=False)
    >>> print(format_changes(t).splitlines()[0])
    Change from 'ban' to 'ban + stockpile' (paired runs):
    """
    identical = bool(table.attrs.get("identical_runs", False))
    # Runs that are all the same have no spread: each change is one value, printed once, not "x to x".
    intervals = "change_lo" in table and bool(table["change_lo"].notna().any()) and not identical
    shown_any = False   # the header promises intervals only if a table below prints one
    paired = "paired runs" if table.attrs.get("paired", True) else "unpaired runs"
    first, second = table.attrs.get("before"), table.attrs.get("after")
    if table.attrs.get("unshocked", False):
        title, was, now = "Change against the unshocked baseline", "baseline", "shocked"
    elif first is None or second is None:
        title, was, now = "Change from baseline to shocked", "baseline", "shocked"
    else:
        named = table.attrs.get("before_label"), table.attrs.get("after_label")
        alike = None in named or str(named[0]).endswith(" (first)")   # one scenario's runs: nothing to tell apart
        title = (f"Change from {named[0]} to {named[1]}" if not alike
                 else f"Change between two runs of '{first}'" if first == second
                 else f"Change from '{first}' to '{second}'")
        was, now = "from", "to"
    lines = [f"{title} ({paired}):", ""]
    demands = demand_changes(table)
    # A network without end-use segments prints as before: no column that would be empty on every row.
    by_segment = "segment" in demands and bool((~demands["segment"].isin(("", POOLED))).any())
    moved = demands[demands["changed"]]
    n_moved = len(moved)
    if demands_shown is not None and n_moved > demands_shown:
        moved = moved.iloc[:demands_shown]      # the largest changes: demand_changes orders by |change|
    if len(moved):
        lines.append("Demands whose service changed (shortfall at reference prices; fill rate: served from "
                     "stock on the day)" + (f", largest {len(moved)} of {n_moved}" if n_moved > len(moved) else ""))
        rows = [[str(r.region), str(r.commodity), *([str(r.segment)] if by_segment else []),
                 format_usd(r.shortfall_usd_baseline),
                 format_usd(r.shortfall_usd_shocked), format_usd(r.shortfall_usd_change, sign=True),
                 format_percent(r.fill_rate_baseline), format_percent(r.fill_rate_shocked),
                 format_points_between(r.fill_rate_baseline, r.fill_rate_shocked)] for r in moved.itertuples()]
        left = ["region", "commodity", *(["segment"] if by_segment else [])]
        headers = [*left, f"shortfall: {was}", now, "change", f"fill rate: {was}", now, "change"]
        if intervals and "shortfall_usd_change_lo" in moved and moved["shortfall_usd_change_lo"].notna().any():
            at = len(left) + 3
            headers.insert(at, "95% interval")
            shown_any = True
            for row, lo, hi in zip(rows, moved["shortfall_usd_change_lo"], moved["shortfall_usd_change_hi"]):
                row.insert(at, "n/a" if lo != lo else _usd_span(lo, hi))
        lines += _columns(headers, rows, n_left=len(left))
        if n_moved > len(moved):
            rest = demands[demands["changed"]].iloc[len(moved):]
            lines.append(f"... and {n_moved - len(moved)} more, {format_usd(float(rest['shortfall_usd_change'].sum()), sign=True)} "
                         "of shortfall in all (every row: --all, --format csv, or the compare table in Python)")
        before, after = demands["shortfall_usd_baseline"].sum(), demands["shortfall_usd_shocked"].sum()
        totals = (f"{format_usd(before)} baseline, {format_usd(after)} shocked" if was == "baseline" else
                  f"{format_usd(before)} in {table.attrs.get('before_label') or repr(first)}, "
                  f"{format_usd(after)} in {table.attrs.get('after_label') or repr(second)}")
        lines += [f"Total shortfall: {totals} ({format_usd(after - before, sign=True)}).", ""]
    lines += _demand_shocked(demands, was, now)
    titles = {"tariff_paid_usd": "Tariff paid", "import_cost_usd": IMPORTS_RECEIVED_TITLE,
              "import_share": "Import shares (trade diversion)"}
    for metric in HEADLINE_METRICS:
        part = table[(table["metric"] == metric) & (table["change"].abs() > 1e-9)]
        if metric == "import_share":
            part = part[part["change"].abs() >= UNCHANGED_RATE]
        elif metric.endswith("_usd"):
            part = part[part["change"].abs() >= UNCHANGED_USD]
        if not len(part):
            continue
        shown = part.reindex(part["change"].abs().sort_values(ascending=False).index).head(per_metric)
        more = f", largest {per_metric} of {len(part)}" if len(part) > per_metric else ""
        period = table.attrs.get("period")
        if metric == "import_share" and period:
            after = any(d["ended"] for d in table.attrs.get("controlled_shares", ()))
            lines.append(f"{titles[metric]}{more}: each exporter's share of what was shipped to the importer from "
                         f"abroad over the whole run, {period[0]} to {period[1]}"
                         + (", the months after an export control ended included" if after else ""))
        else:
            lines.append(f"{titles[metric]}{more}")
        spread = intervals and "change_lo" in shown and bool(shown["change_lo"].notna().any())
        if metric == "import_share":
            rows = [[f"{r.region!s}<-{r.partner!s}", str(r.commodity), format_percent(r.baseline, floor=False),
                     format_percent(r.shocked, floor=False),
                     format_points_between(r.baseline, r.shocked, floor=False)] for r in shown.itertuples()]
            headers = ["importer<-exporter", "commodity", was, now, "change"]
            # About the change as printed (the shares' rounded difference), so a sure change reads as its own interval.
            printed = {r.Index: (round(r.shocked * 1e3) - round(r.baseline * 1e3)) / 10 for r in shown.itertuples()}
            span = lambda lo, hi, r: _points_span(  # noqa: E731
                printed[r.Index] + round((lo - r.change) * 1e3) / 10, printed[r.Index] + round((hi - r.change) * 1e3) / 10,
                lo == hi)
        else:
            rows = [[str(r.region), str(r.commodity), format_usd(r.baseline), format_usd(r.shocked),
                     format_usd(r.change, sign=True), format_relative(r.change, r.baseline)] for r in shown.itertuples()]
            headers = ["region", "commodity", was, now, "change", "change %"]
            span = lambda lo, hi, r: _usd_span(lo, hi)  # noqa: E731
        if spread:
            headers.insert(5, "95% interval")
            shown_any = True
            for row, r in zip(rows, shown.itertuples()):
                row.insert(5, "n/a" if r.change_lo != r.change_lo else span(r.change_lo, r.change_hi, r))
        lines += _columns(headers, rows, 2)
        if metric == "import_share":
            lines += _controlled_share_notes(table, shown)
        elif metric == "import_cost_usd":
            lines += _tool_note(table, shown)
        elif metric == "tariff_paid_usd":
            lines += _no_standing_tariffs(table)
        lines.append("")
    lines += _stock_end_lines(table, was, now, per_metric)
    same = ~demands["changed"] & ~demands["demand_changed"]
    n_same = int(same.sum())
    count = (f"{n_same} of {len(demands)} demands unchanged." if not same.all() or len(lines) > 2
             else f"Nothing changed: {n_same} of {len(demands)} demands unchanged.")
    if _below_tolerance(table, demands):
        lines.append(TOLERANCE_NOTE)
    lines += _response_lines(table, table.attrs.get("before_label") or (first and repr(first)),
                             table.attrs.get("after_label") or (second and repr(second)))
    lines.append(count)
    if shown_any:
        lines[0] = f"{title} ({paired}; means over runs, 95% intervals of the paired change):"
    elif identical:
        n = table.attrs.get("n_runs")
        lines[0] = (f"{title} ({paired}; the {n} runs are identical, as nothing in the scenario is random: each "
                    "change is one value, with no interval):")
    return "\n".join(lines)


def _usd_span(lo: float, hi: float) -> str:
    """A 95 % interval of a change in USD; one value when it has no width (the change is the same in every run)."""
    return _span(format_usd(lo, sign=True), format_usd(hi, sign=True), lo == hi)


def _points_span(lo: float, hi: float, same: bool) -> str:
    """A 95 % interval of a change of shares, in points; one value when the change is the same in every run."""
    return _span(f"{lo:+.1f} pp", f"{hi:+.1f} pp", same).replace(" pp to ", " to ")


def _span(lo: str, hi: str, same: bool) -> str:
    """``lo to hi``; one value when the interval has no width, or none at the digits printed."""
    if same:
        return f"{lo} in every run"
    return f"{lo} (to the digits shown)" if lo == hi else f"{lo} to {hi}"


#: Under a tariff table whose baseline paid no duty: where the standing tariffs are (docs/scenarios.md).
NO_STANDING_TARIFFS = ("The baseline pays no duty: a network carries no standing tariffs, only shocks do (the US "
                       "Section 301 duties in force since 2018 are in a run only when added as shocks, as the shipped "
                       "section301_2024 does; a 2025 scenario can add its shocks, docs/scenarios.md), so every duty "
                       "above is the scenario's.")


def _no_standing_tariffs(table: pd.DataFrame) -> list[str]:
    """`NO_STANDING_TARIFFS` when the baseline of a tariff table paid nothing, else nothing.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"metric": ["tariff_paid_usd"], "baseline": [0.0], "change": [5e6]})
    >>> _no_standing_tariffs(t) == [NO_STANDING_TARIFFS], _no_standing_tariffs(t.assign(baseline=1e6))
    (True, [])
    """
    paid = table.loc[table["metric"] == "tariff_paid_usd", "baseline"]
    return [NO_STANDING_TARIFFS] if len(paid) and float(paid.abs().sum()) == 0.0 else []


def _tool_note(table: pd.DataFrame, shown: pd.DataFrame) -> list[str]:
    """A line under the imports received when they show tools that no shock names: why tools moved.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"region": ["KR"], "commodity": ["litho_tool"], "change": [3.7e8]})
    >>> t.attrs["per_wafer_tools"] = ["litho_tool"]
    >>> print(_tool_note(t, t)[0].split(": ")[0])
    KR litho_tool
    >>> "(a rise: the new capacity ran harder" in _tool_note(t, t)[0]
    True
    """
    tools = set(table.attrs.get("per_wafer_tools", ()))
    moved = shown[shown["commodity"].isin(tools)]
    if not len(moved):
        return []
    by_region: dict[str, list[str]] = {}
    for r, c in zip(moved["region"], moved["commodity"]):
        by_region.setdefault(str(r), []).append(str(c))
    named = "; ".join(f"{r} {', '.join(cs)}" for r, cs in by_region.items())
    rise = (" (a rise: the new capacity ran harder, making up for output lost elsewhere)"
            if (moved["change"] > 0).all() else "")
    return [f"{named}: tools are bought per wafer made by the year's new fab capacity (stage fab_new; the model "
            f"has no capital stock, docs/model.md §12), so these rows move with those fabs' output and their tool "
            f"deliveries{rise}, not with a decision to invest."]


def _controlled_share_notes(table: pd.DataFrame, shown: pd.DataFrame) -> list[str]:
    """A line under the import shares for each row shown whose exporter controlled that commodity.

    The row's shares are over the whole run; the line gives them over the days the control was in force
    (`_controlled_shares`), so a share that rose over the year under a ban reads as what it is.
    """
    during = {(d["importer"], d["commodity"], d["exporter"]): d for d in table.attrs.get("controlled_shares", ())}
    notes = []
    for r in shown.itertuples():
        d = during.get((str(r.region), str(r.commodity), str(r.partner)))
        if d is None or d["shocked"] != d["shocked"]:
            continue
        kind = {"ban": "ban", "licence": "licensing", "quota": "quota"}.get(d["mode"], "export control")
        text = (f"{r.region}<-{r.partner} {r.commodity} while {r.partner}'s {kind} was in force ({d['start']} to "
                f"{d['end']}): {format_percent(d['baseline'], floor=False)} -> "
                f"{format_percent(d['shocked'], floor=False)}")
        if r.change > 0 and d["shocked"] < d["baseline"] and d["ended"]:
            text += ("; the whole run's share rose because buyers turned back to it after the control ended "
                     "(catching up on what they could not buy)")
        notes.append(text + ".")
    return notes


def _stock_end_lines(table: pd.DataFrame, was: str, now: str, per_metric: int) -> list[str]:
    """The rows of `STOCK_END_METRIC` that changed most, and a line naming the stock not rebuilt, if any.

    A table of ensemble summaries has no such rows: one line says so (`STOCK_END_SERIES_ONLY`).
    """
    if table.attrs.get("series_only") and not (table["metric"] == STOCK_END_METRIC).any():
        return [STOCK_END_SERIES_ONLY, ""]
    part = table[(table["metric"] == STOCK_END_METRIC) & (table["change"].abs() >= UNCHANGED_USD)]
    if not len(part):
        return []
    shown = part.reindex(part["change"].abs().sort_values(ascending=False).index).head(per_metric)
    more = f", largest {per_metric} of {len(part)}" if len(part) > per_metric else ""
    rows = [[str(r.region), str(r.commodity), format_usd(r.baseline), format_usd(r.shocked),
             format_usd(r.change, sign=True), format_relative(r.change, r.baseline)] for r in shown.itertuples()]
    lines = [f"{STOCK_END_TITLE}{more}", *_columns(["region", "commodity", was, now, "change", "change %"], rows, 2)]
    every = table[table["metric"] == STOCK_END_METRIC].groupby("commodity")[["baseline", "change"]].sum()
    gone = every[every["change"] <= -NOT_REBUILT_SHARE * every["baseline"]].sort_values("change")
    gone = gone[gone["change"] <= -UNCHANGED_USD]
    if len(gone):
        named = "; ".join(f"{com} {format_usd(-float(r.change))}, "
                          f"{format_relative(-float(r.change), float(r.baseline)).lstrip('+')} of its stock"
                          for com, r in gone.head(4).iterrows())
        named += f" and {len(gone) - 4} more" if len(gone) > 4 else ""
        than = "the baseline's" if was == "baseline" else "the first run's"
        lines.append(f"Not rebuilt when the run ended: {format_usd(-float(gone['change'].sum()))} of stock below "
                     f"{than} in all regions ({named}). The shortfall counts none of it: it is a "
                     "shortage carried past the horizon (until spare capacity rebuilds the stock or its buyers "
                     "go short later) or, for a shock still in force on the last day, the chain's lower level "
                     "under it; a longer horizon shows which (docs/model.md §8.2, stock held on the last day).")
    return [*lines, ""]


def _response_lines(table: pd.DataFrame, first: str | None, second: str | None) -> list[str]:
    """What each policy response did (``table.attrs["responses"]``, from `compare`), a line each.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame()
    >>> t.attrs["responses"] = [dict(run="shocked", kind="stockpile_release", region="US", commodity="cam",
    ...                              effect="released nothing of 12,745 t: ...")]
    >>> _response_lines(t, "'a'", "'b'")
    ["What the responses did (docs/model.md §6.10-§6.12): in 'b', US cam stockpile release: released nothing of 12,745 t: ...", '']
    """
    rows = table.attrs.get("responses") or []
    if not rows:
        return []
    whose = {"shocked": f"in {second}" if second else "in the shocked runs",
             "baseline": f"in {first}" if first else "in the baseline",
             "both": "in both runs"}
    lines = []
    for r in rows:
        what = " ".join(x for x in (r.get("region"), r.get("commodity"), str(r.get("kind", "")).replace("_", " "))
                        if x)
        effect = r.get("effect") or "not measured: a keep='summary' ensemble keeps no stocks (keep='series' does)"
        lines.append(f"{whose.get(r.get('run'), '')}, {what}: {effect}")
    head = "What the responses did (docs/model.md §6.10-§6.12): "
    if len(lines) == 1:
        return [head + lines[0], ""]
    return [head.rstrip(": ") + ":", *(f"- {line}" for line in lines), ""]


def _demand_shocked(demands: pd.DataFrame, was: str, now: str) -> list[str]:
    """Lines listing the demands whose quantity demanded changed (a demand shock), if any."""
    shocked = demands[demands["demand_changed"]]
    if not len(shocked):
        return []
    split = "segment" in demands and bool((~demands["segment"].isin(("", POOLED))).any())
    left = ["region", "commodity", *(["segment"] if split else [])]
    rows = [[*(str(getattr(r, c)) for c in left), format_units(r.demand_baseline), format_units(r.demand_shocked),
             format_relative(r.demand_shocked - r.demand_baseline, r.demand_baseline),
             "changed (above)" if r.changed else "unchanged"] for r in shocked.itertuples()]
    return (["Demands whose quantity changed (a demand shock, or buyers giving up demand at higher prices; "
             "units of each commodity over the horizon)"]
            + _columns([*left, f"demand: {was}", now, "change %", "service"], rows, len(left)) + [""])


def _below_tolerance(table: pd.DataFrame, demands: pd.DataFrame) -> bool:
    """Whether some demand or money row moved, but by less than the tolerances (so it is shown as unchanged)."""
    quiet = ~demands["changed"]
    service = ((demands["shortfall_usd_change"].abs() > 0) | (demands["fill_rate_change"].abs() > 0)
               | (demands["delivery_rate_change"].abs() > 0)) & quiet
    money = table[table["metric"].isin(("tariff_paid_usd", "import_cost_usd"))]["change"].abs()
    return bool(service.any() or ((money > 0) & (money < UNCHANGED_USD)).any())
