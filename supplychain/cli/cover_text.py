"""What ``supplychain run`` says about buyers' stocks drawn, and which ``cover.png`` draws (docs/model.md §8.2, stock cover)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from .._format import format_percent, format_usd
from ..metrics.cover import stock_cover, upstream_restock
from ..results import EnsembleResults, Results

__all__ = ["format_cover_notes", "format_upstream_notes", "touches_chip_buyers", "DRAWN_SHARE", "ranked_buyers",
           "headline_buyer", "cover_groups", "COVER_GROUPS"]

#: A buyers' stock counts as drawn when its trough is below this share of normal (and, against a
#: baseline, this much below the baseline's trough): smaller dips are the day-to-day play of a base stock.
DRAWN_SHARE = 0.9

#: How many groups of buyers the console's lines on stocks drawn name and ``cover.png`` draws (its 2 x 2 panels).
COVER_GROUPS = 4

_HEADER = ("Buyers' stocks drawn (supplychain.metrics.stock_cover; days of cover = stock / normal daily use; "
           "with --out, cover.png draws these groups in this order):")


def format_cover_notes(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None = None, *,
                       top: int = COVER_GROUPS) -> str:
    """One line per group of buyers of `cover_groups` (at most ``top``), in its order: the groups
    ``cover.png`` draws, in the order of its panels.

    For a commodity (or end-use segment) no final demand ran short of: the region whose buyers' stock
    fell lowest, the share of normal stock and the days of cover left at the trough and its date, the
    margin (days of extra shock the trough would have absorbed at the rate the stock fell), the stock
    drawn in all regions, and when it was back to 95 % of normal (or that it was not by the end of the
    horizon). For one that ran short (in the shortfall table too): where and when its buyers' usable stock
    first gave out, the stock drawn and the restocking. Where the buyers were restocked, the stocks upstream
    of them (`supplychain.metrics.upstream_stocks`) follow when they were back later, or how far below normal
    they still were at the end (the mine's one day of ore below refills the day after its buyer's stock).
    Figures of several runs are means over runs. ''
    when no group qualifies; a summary ensemble keeps no daily stocks, so for one the text says so.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> print(format_cover_notes(simulate(stop_scenario(stop_days=5))))
    Buyers' stocks drawn (supplychain.metrics.stock_cover; days of cover = stock / normal daily use; with --out, cover.png draws these groups in this order):
    No final demand for ore went short, but buyers' stocks fell to 60.0% of normal in US (6.0 of 10 days of cover) on 2025-01-11, 6 days from running out at the rate they fell; $4.00k drawn in all regions; restocked by 2025-01-15; the stocks upstream of them (its makers' ore) by 2025-01-16.
    >>> print(format_cover_notes(simulate(stop_scenario(stop_days=12))).splitlines()[1])   # 10 days of cover, 12 stopped
    ore ran short (in the shortfall table): buyers' usable stock gave out in US on 2025-01-17; $10.0k drawn in all regions; restocked by 2025-01-28; the stocks upstream of them (its makers' ore) by 2025-01-30.
    """
    if isinstance(results, EnsembleResults):
        return ("Buyers' stocks drawn (stock_cover): not known from per-run summaries, which keep no daily stocks "
                "(--keep series keeps them).")
    lines = [(_short_line if short else _line)(results, _name(commodity, segment), rows,
                                               upstream=_upstream_clause(results, baseline, commodity, rows))
             for commodity, segment, short, rows in _qualifying(results, baseline, top)]
    return "\n".join([_HEADER, *lines]) if lines else ""


def format_upstream_notes(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None = None, *,
                          top: int = COVER_GROUPS) -> str:
    """One line per commodity whose buyers' stocks `format_cover_notes` has no line on, but whose stocks upstream
    (`supplychain.metrics.upstream_stocks`) the shock drew below `DRAWN_SHARE` of normal (net of the baseline's):
    a stop the makers' stocks absorbed, which no shortfall and no buyers' stock shows, and which the scarcity
    prices read (docs/model.md §6.6, *spare fab capacity*). At most ``top`` lines, most drawn (USD) first;
    '' when none qualifies or without daily results.

    Examples
    --------
    A fab stop of 10 days drawn from the fab's finished wafers and the packager's die bank alone (100 wafers at
    $1, half of the $200 upstream), made back at the fab's one spare wafer a day:

    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import chain_stop_scenario
    >>> scenario = chain_stop_scenario(stop_days=10, horizon_days=200)
    >>> print(format_upstream_notes(simulate(scenario), simulate(scenario.without_shocks())))
    No buyer of chip drew its stock, but the stocks upstream of them (its makers' chip and wafer, and their suppliers' wafer) fell to 50.0% of normal ($100 below) on 2025-01-16; back to 95% by 2025-04-20.
    """
    if not isinstance(results, Results):
        return ""
    base = baseline if isinstance(baseline, Results) else None
    # Only commodities whose buyers drew nothing (net of the baseline) and none of whose demands went short.
    short = np.maximum(results.demand - results.delivered, 0.0).sum(axis=(0, 1))
    asked = results.demand.sum(axis=(0, 1))
    commodity_of = np.array(results.coords.commodity["demand"])
    moved = {c for c, _ in drawn_buyers(results, baseline)} | {
        c for c in set(commodity_of) if short[commodity_of == c].sum() > 1e-9 * max(asked[commodity_of == c].sum(), 1.0)}
    finals = sorted({d.commodity for d in results.scenario.network.demands} - moved)
    rows = []
    for commodity in finals:
        table = upstream_restock(results, commodity, baseline=base)
        normal, peak = float(table["normal_usd"].iloc[0]), float(table["peak_deficit_usd"].mean())
        if normal > 0.0 and peak > (1.0 - DRAWN_SHARE) * normal:
            rows.append((peak, commodity, table))
    lines, date = [], lambda day: results.scenario.date_of(round(day)).isoformat()
    for peak, commodity, table in sorted(rows, key=lambda row: (-row[0], row[1]))[:top]:
        normal, back = float(table["normal_usd"].iloc[0]), table["restocked_day"].to_numpy()
        after = (f"back to 95% by {date(float(back.max()))}" if not np.isnan(back).any() else
                 f"still {format_usd(float(table['end_deficit_usd'].mean()))} below normal on "
                 f"{date(results.n_days - 1)}")
        runs = f" (means over {results.n_runs} runs)" if results.n_runs > 1 else ""
        lines.append(f"No buyer of {commodity} drew its stock, but the stocks upstream of them "
                     f"({_upstream_what(results, commodity)}) fell to {format_percent(1.0 - peak / normal)} of normal "
                     f"({format_usd(peak)} below) on {date(float(table['peak_day'].max()))}; {after}{runs}.")
    return "\n".join(lines)


def cover_groups(results: Results, baseline: Results | EnsembleResults | None = None, *,
                 n: int = COVER_GROUPS) -> list[tuple[str, str | None, bool]]:
    """The groups of buyers whose stocks the console's lines name and ``cover.png`` draws, in one order:
    ``(commodity, segment or None, ran short)``, at most ``n``.

    First the groups no final demand ran short of whose lowest stock fell below `DRAWN_SHARE` of normal
    (and below the baseline's trough by ``1 - DRAWN_SHARE`` when a baseline is given): the buffers that
    absorbed the shock, which no shortfall table shows; then the groups that ran short and whose stock the
    shock drew (more than $1 above the baseline's). Within each, `ranked_buyers`' order: most stock drawn
    (USD) first. Where some group ran short, at most ``n - 1`` of the first kind come, so that the buyers who
    ran short and drew most are always among them. `format_cover_notes` prints one line per group and
    `supplychain.cli.figures.cover_commodities` gives ``cover.png`` one panel per group, from this list.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._cover_toy import segment_stop_scenario
    >>> scenario = segment_stop_scenario()
    >>> cover_groups(simulate(scenario), simulate(scenario.without_shocks()))   # both ran short, electronics drew more
    [('ore', 'electronics', True), ('ore', 'automotive', True)]
    """
    return [(commodity, segment, short) for commodity, segment, short, _ in _qualifying(results, baseline, n)]


def _name(commodity: str, segment: str | None) -> str:
    return f"{commodity} ({segment} buyers)" if segment else commodity


def ranked_buyers(results: Results, baseline: Results | EnsembleResults | None = None) -> list[tuple[str, str | None]]:
    """Every group of buyers, ``(commodity, segment or None)``, the one the shock drew most stock from first.

    A group is the buyers of a final-demand commodity (facility inputs and consumer stocks, `stock_cover`'s
    ``held_by="buyers"``), or of one end-use segment of it where its demands carry segments
    (docs/model.md §5.5: automotive buyers can run short while electronics buyers only draw their stocks).
    They are ranked by the stock drawn in USD at reference prices, summed over regions (means over runs),
    less the baseline's when one is given; ties by the lowest share of normal stock left, then by name.
    The first is *the headline buyer* (`headline_buyer`). `cover_groups` keeps this order within its two
    classes (buyers whose stocks absorbed the shock, then buyers who ran short), and ``supplychain run``'s
    lines on stocks drawn and the panels of ``cover.png`` both follow `cover_groups`.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._cover_toy import segment_stop_scenario
    >>> scenario = segment_stop_scenario()
    >>> ranked_buyers(simulate(scenario), simulate(scenario.without_shocks()))
    [('ore', 'electronics'), ('ore', 'automotive')]
    """
    return _ranked(*_drawn_by_group(_mean_cover(results), _base_cover(baseline), _demand_groups(results)))


def _ranked(drawn: pd.Series, left: pd.Series) -> list[tuple[str, str | None]]:
    order = sorted(drawn.index, key=lambda g: (-float(drawn[g]), float(left[g]), g))
    return [(commodity, segment or None) for commodity, segment in (str(g).split("|") for g in order)]


def drawn_buyers(results: Results, baseline: Results | EnsembleResults | None = None) -> set[tuple[str, str | None]]:
    """The groups of `ranked_buyers` whose stock the shock drew (USD drawn above the baseline's, more than $1)."""
    drawn, _ = _drawn_by_group(_mean_cover(results), _base_cover(baseline), _demand_groups(results))
    return _drawn_set(drawn)


def _drawn_set(drawn: pd.Series) -> set[tuple[str, str | None]]:
    return {(c, seg or None) for c, seg in (str(g).split("|") for g in drawn.index[drawn > 1.0])}


def _base_cover(baseline: Results | EnsembleResults | None) -> pd.DataFrame | None:
    """A daily baseline's `_mean_cover` (None without one, or for a summary ensemble, which keeps no stocks)."""
    return _mean_cover(baseline) if isinstance(baseline, Results) else None


def _drawn_by_group(table: pd.DataFrame, base: pd.DataFrame | None, groups: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """USD of stock drawn per group (net of a daily baseline's) and the lowest share of normal stock left, from
    `_mean_cover` tables of the runs and of their baseline."""
    # Buyers of a commodity with final demand: a plant short of its input shows as its product's shortfall.
    table = table[table["group"].isin(set(groups))]
    drawn = table.groupby("group")["stock_drawn_usd"].sum()
    if base is not None:
        drawn = drawn - base.groupby("group")["stock_drawn_usd"].sum().reindex(drawn.index).fillna(0.0)
    return drawn, table.groupby("group")["share_left"].min()


def headline_buyer(results: Results, baseline: Results | EnsembleResults | None = None) -> tuple[str, str | None] | None:
    """The buyers the shock drew most stock from, ``(commodity, segment or None)``: `ranked_buyers`' first (None: no stock).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> headline_buyer(simulate(stop_scenario(stop_days=5)))
    ('ore', None)
    """
    ranked = ranked_buyers(results, baseline)
    return ranked[0] if ranked else None


def _qualifying(results: Results, baseline: Results | EnsembleResults | None, n: int
                ) -> list[tuple[str, str | None, bool, pd.DataFrame]]:
    """(commodity, segment, ran short, its buyers' cover rows averaged over runs) for each group of `cover_groups`."""
    groups = _demand_groups(results)
    short = np.maximum(results.demand - results.delivered, 0.0).sum(axis=(0, 1))
    asked = results.demand.sum(axis=(0, 1))
    table, base = _mean_cover(results), _base_cover(baseline)
    usd, left = _drawn_by_group(table, base, groups)
    drawn = _drawn_set(usd)
    absorbed, ran_short = [], []
    for commodity, segment in _ranked(usd, left):
        group = f"{commodity}|{segment or ''}"
        mine = groups == group
        rows = table[table["group"] == group]
        if rows.empty:
            continue
        if short[mine].sum() > 1e-9 * max(asked[mine].sum(), 1.0):
            if (commodity, segment) in drawn:
                ran_short.append((commodity, segment, True, rows))
            continue
        if not rows["share_left"].min() < DRAWN_SHARE:
            continue
        worst = rows["share_left"].idxmin()
        if base is not None and worst in base.index and \
                not rows.loc[worst, "share_left"] < base.loc[worst, "share_left"] - (1.0 - DRAWN_SHARE):
            continue
        absorbed.append((commodity, segment, False, rows))
    return (absorbed[:n - 1] + ran_short if ran_short and n > 1 else absorbed + ran_short)[:n]


def _demand_groups(results: Results | EnsembleResults) -> np.ndarray:
    """Each demand's group, ``commodity|segment`` (``commodity|`` without a segment), in the order of the demands."""
    segment_of = {d.id: d.segment or "" for d in results.scenario.network.demands}
    return np.array([f"{c}|{segment_of.get(d, '')}" for d, c in
                     zip(results.coords.demand, results.coords.commodity["demand"])])


def _mean_cover(results: Results) -> pd.DataFrame:
    """Buyers' cover by region and group, means over runs (restocked: the last run).

    Indexed by ``region:commodity``, or by demand id for a segment's buyers (their own stocks, not the
    region's pooled ones); columns ``region`` and ``group`` (``commodity|segment``) added.
    """
    segmented = {d.id: d for d in results.scenario.network.demands if d.segment}
    parts = []
    for by in ("region_commodity", "demand") if segmented else ("region_commodity",):
        table = stock_cover(results, by=by, held_by="buyers")
        groups = table.groupby(by, sort=True)
        mean = groups.mean(numeric_only=True).drop(columns="run")
        # Restocked only when every run was: the last run's day, NaN if any run was not rebuilt in time.
        mean["restocked_day"] = groups["restocked_day"].agg(lambda days: days.max() if days.notna().all() else np.nan)
        if by == "demand":
            mean = mean[mean.index.isin(list(segmented))]
            mean["region"] = [segmented[d].region for d in mean.index]
            mean["group"] = [f"{segmented[d].commodity}|{segmented[d].segment}" for d in mean.index]
        else:
            split = [label.split(":", 1) for label in mean.index]
            taken = {d.commodity for d in segmented.values()}
            mean["region"] = [r for r, _ in split]
            mean["group"] = [f"{c}|" for _, c in split]
            mean = mean[[c not in taken for _, c in split]]
        parts.append(mean)
    mean = pd.concat(parts) if len(parts) > 1 else parts[0]
    return mean[mean["normal_stock"] > 0]


def _upstream_clause(results: Results, baseline: Results | EnsembleResults | None, commodity: str,
                     rows: pd.DataFrame) -> str:
    """What follows "restocked by <date>" when the stocks upstream of the buyers were back later or not at all.

    The stocks upstream (`supplychain.metrics.upstream_stocks`: the makers' finished goods and inputs, their
    suppliers' finished goods) cover the buyers first and are refilled after them, from spare capacity; a
    buyers' stock back to normal says nothing of them (docs/model.md §8.2, *upstream stocks*). '' when the
    buyers were not restocked, or the upstream stocks were back by the same day.
    """
    restocked = rows["restocked_day"].to_numpy()
    if np.isnan(restocked).any() or not isinstance(results, Results):
        return ""
    table = upstream_restock(results, commodity, baseline=baseline if isinstance(baseline, Results) else None)
    normal = float(table["normal_usd"].iloc[0])
    if normal <= 0.0:
        return ""
    buyers_back = float(np.nanmax(restocked))
    date = lambda day: results.scenario.date_of(round(day)).isoformat()
    what = _upstream_what(results, commodity)
    back = table["restocked_day"].to_numpy()
    if np.isnan(back).any():
        end = float(table["end_deficit_usd"].mean())
        return (f", but not the stocks upstream of them ({what}): still {format_usd(end)} short of their normal "
                f"{format_usd(normal)} on {date(results.n_days - 1)} (a deficit of {format_percent(end / normal)} of "
                f"normal), drawn to serve the buyers and not yet made back"
                + _net_end_clause(results, baseline, commodity))
    if float(back.max()) > buyers_back:
        return f"; the stocks upstream of them ({what}) by {date(float(back.max()))}"
    return ""


def _net_end_clause(results: Results, baseline: Results | EnsembleResults | None, commodity: str) -> str:
    """How an upstream gap on the last day relates to the change table's stock held on the last day.

    The upstream deficit (`supplychain.metrics.upstream_restock`) counts only the stocks upstream of the
    buyers that are below their normal level; the change table's ``stock_end_usd`` (and its "Not rebuilt"
    line) nets every stock of the same commodities, in every region, buyers', in transit and in plants' work
    included, rises against falls. The clause gives the second for the commodities of the first, so that the
    two figures side by side read as two measures of one gap: neither contains the other. '' without a
    daily baseline.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import chain_stop_scenario
    >>> scenario = chain_stop_scenario(stop_days=20, horizon_days=60)
    >>> print(_net_end_clause(simulate(scenario), simulate(scenario.without_shocks()), "chip"))
     (counting only stocks below their normal level; netted as the change table's stock on the last day is, every stock of chip and wafer, buyers', in transit and in work included: $231 below the baseline's)
    """
    if not isinstance(baseline, Results):
        return ""
    from ..analytics.compare import _end_stock
    makers = [f for f in results.scenario.network.facilities if f.output == commodity]
    commodities = {commodity} | {k for f in makers for k, _ in f.recipe}
    after, before = _end_stock(results), _end_stock(baseline)
    net = sum(float(np.mean(after[key]) - np.mean(before[key])) for key in after
              if key[1] in commodities and key in before)
    return (f" (counting only stocks below their normal level; netted as the change table's stock on the last day "
            f"is, every stock of {_and(sorted(commodities, key=lambda c: c != commodity))}, buyers', in transit and "
            f"in work included: {format_usd(abs(net))} {'below' if net < 0 else 'above'} the baseline's)")


def _upstream_what(results: Results, commodity: str) -> str:
    """The stocks upstream of a commodity's buyers in words: its makers' output and inputs, their suppliers' output."""
    makers = [f for f in results.scenario.network.facilities if f.output == commodity]
    inputs = sorted({k for f in makers for k, _ in f.recipe})
    return (f"its makers' {_and([commodity, *inputs])}, and their suppliers' {_and(inputs)}"
            if inputs else f"its makers' {commodity}")


def _and(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _floor1(days: float) -> str:
    """Days with one decimal, rounded down like the share beside them (14.3 % of 40 days is 5.7, not 5.8)."""
    return f"{math.floor(days * 10 + 1e-9) / 10:.1f}"


def _where_and_after(results: Results, row: pd.Series,
                     rows: pd.DataFrame) -> tuple[str, Callable[[float], str], str, str]:
    """The region of ``row``, a day-to-date formatter, the restocking clause of ``rows`` and the runs' note."""
    region = row["region"] if "region" in row.index else str(row.name).split(":", 1)[0]
    date = lambda day: results.scenario.date_of(round(day)).isoformat()
    restocked = rows["restocked_day"].to_numpy()
    back = (f"restocked by {date(np.nanmax(restocked))}" if not np.isnan(restocked).any()
            else f"not restocked by {date(results.n_days - 1)}")
    runs = f" (means over {results.n_runs} runs)" if results.n_runs > 1 else ""
    return region, date, back, runs


def _line(results: Results, commodity: str, rows: pd.DataFrame, *, upstream: str = "") -> str:
    worst = rows.loc[rows["share_left"].idxmin()]
    region, date, back, runs = _where_and_after(results, worst, rows)
    back += upstream
    margin = worst["margin_days"]
    drawn = f"{format_usd(float(rows['stock_drawn_usd'].sum()))} drawn in all regions; {back}{runs}."
    if worst["share_left"] <= 0.0:
        # Stocks at zero fed someone's own use (an input of a plant), not final demand: say they ran out.
        return (f"No final demand for {commodity} went short, but the input stocks of plants using it ran out in "
                f"{region} (normal cover {worst['normal_cover_days']:.0f} days) on {date(worst['trough_day'])}: "
                "their production went short; "
                + drawn)
    if round(worst["trough_day"]) >= results.n_days - 1:
        # The lowest point is the last day simulated: the fall had not ended, so it is no trough.
        return (f"No final demand for {commodity} went short within the run, but buyers' stocks were still falling "
                f"when it ended: {format_percent(worst['share_left'])} of normal in {region} "
                f"({_floor1(worst['trough_cover_days'])} of {worst['normal_cover_days']:.0f} days of cover) on "
                f"{date(worst['trough_day'])}, {margin:.0f} days from running out at the rate they fell (a longer "
                "--horizon shows how low they go); " + drawn)
    return (f"No final demand for {commodity} went short, but buyers' stocks fell to "
            f"{format_percent(worst['share_left'])} of normal in {region} ({_floor1(worst['trough_cover_days'])} of "
            f"{worst['normal_cover_days']:.0f} days of cover) on {date(worst['trough_day'])}, {margin:.0f} days "
            "from running out at the rate they fell; " + drawn)


def _short_line(results: Results, name: str, rows: pd.DataFrame, *, upstream: str = "") -> str:
    """The line of a group that ran short: where and when its buyers' usable stock first gave out (a short day
    counts as no usable stock, `supplychain.metrics.usable_stock`), the stock drawn and the restocking
    (``upstream``: what `_upstream_clause` adds to it)."""
    empty = rows[rows["share_left"] <= rows["share_left"].min()]
    first = empty.loc[empty["trough_day"].idxmin()]
    region, date, back, runs = _where_and_after(results, first, rows)
    back += upstream
    low = ("usable stock gave out" if first["share_left"] <= 0.0
           else f"stocks fell to {format_percent(first['share_left'])} of normal")
    return (f"{name} ran short (in the shortfall table): buyers' {low} in {region} on {date(first['trough_day'])}; "
            f"{format_usd(float(rows['stock_drawn_usd'].sum()))} drawn in all regions; {back}{runs}.")


def touches_chip_buyers(results: Results | EnsembleResults, baseline: Results | EnsembleResults) -> bool:
    """Whether the shock moved the end-use chip buyers (docs/model.md §5.5): a chip buyer's shortfall changed by
    $1 or more, or a chip buyer's stock fell below `DRAWN_SHARE` of normal (daily results only).

    Chip buyers are the semiconductor chain's segmented demands
    (`supplychain.analytics.cover_band.chip_buyers`): magnet users carry a segment too, but the band varies
    only the chip buyers' cited covers, so a shock that moves only magnet users has no band.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._cover_toy import segment_stop_scenario
    >>> scenario = segment_stop_scenario()
    >>> touches_chip_buyers(simulate(scenario), simulate(scenario.without_shocks()))
    True
    """
    from ..analytics.cover_band import chip_buyers
    from ..metrics.service import cumulative_shortfall
    segmented = sorted(chip_buyers(results.scenario.network))
    if not segmented:
        return False
    short = (cumulative_shortfall(results, usd=True, by="demand").mean(axis=0)
             - cumulative_shortfall(baseline, usd=True, by="demand").mean(axis=0))
    if float(np.abs(short[segmented]).max()) >= 1.0:
        return True
    if isinstance(results, EnsembleResults):
        return False
    table = stock_cover(results, by="demand", held_by="buyers")
    return bool((table[table["demand"].isin(segmented)]["share_left"] < DRAWN_SHARE).any())
