"""What ``supplychain run`` says first about scarcity prices (docs/model.md §5.9): the largest peaks a shock
caused, as multiples of the reference price with their day, and whether the prices fed back into demand,
sourcing and rationing in the run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..compile import compile_scenario
from ..model import Scenario
from ..results import EnsembleResults, Results

__all__ = ["PRICE_MOVED", "PEAK_TOLERANCE", "price_peaks", "format_price_peaks", "feedback_line"]

#: A market's scarcity price counts as moved when its index left the unshocked baseline's (without a
#: baseline: its reference price, 1) by more than this share on some day.
PRICE_MOVED = 0.05


def price_peaks(results: Results, baseline: Results | None = None) -> pd.DataFrame:
    """Each market's scarcity price index at its highest and lowest (mean over runs), and how far it moved.

    The index is the market's price over its reference price (docs/model.md §5.9: 1 at the reference),
    averaged over runs day by day. ``moved_up`` and ``moved_down`` are the largest rise and fall of that
    daily index against the unshocked ``baseline``'s on the same day (without one: against 1), so a
    price that a standing condition keeps high in both runs is not read as the shock's.

    Returns
    -------
    DataFrame
        One row per market (commodity, region), in the network's market order: ``commodity``,
        ``region``, ``peak`` and ``peak_day`` (the highest index and the first day within
        `PEAK_TOLERANCE` of it), ``trough`` and ``trough_day`` (the same for the lowest),
        ``baseline_peak`` (the baseline's highest, 1 without one), ``moved_up`` and ``moved_down``
        (both >= 0).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.model import CapacityShock, Scenario
    >>> stop = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")   # the only mine, for good
    >>> t = price_peaks(simulate(Scenario(single_source_network(stock=2000.0), horizon_days=200, shocks=(stop,))))
    >>> row = t.sort_values("peak").iloc[-1]
    >>> row["commodity"], row["region"], round(float(row["peak"]), 2), float(row["moved_up"]) == float(row["peak"]) - 1
    ('ore', 'US', 5.0, True)
    """
    def index(res: Results) -> np.ndarray:
        spec = compile_scenario(res.scenario).schedules.extras["prices"]
        first = np.array([np.flatnonzero(spec.stock_market == m)[0] for m in range(spec.n_markets)], dtype=np.intp)
        price = np.asarray(res.values("price"), dtype=float)[:, :, first]               # (R, T, M)
        return (price / spec.stock_price[first]).mean(axis=0)                              # (T, M)

    spec = compile_scenario(results.scenario).schedules.extras["prices"]
    shocked = index(results)
    base = index(baseline) if baseline is not None else None
    if base is None or base.shape != shocked.shape:
        base = np.ones_like(shocked)
    gap = shocked - base
    return pd.DataFrame({
        "commodity": [c for c, _ in spec.labels], "region": [r for _, r in spec.labels],
        "peak": shocked.max(axis=0), "peak_day": _first_at(shocked, high=True),
        "trough": shocked.min(axis=0), "trough_day": _first_at(shocked, high=False),
        "baseline_peak": base.max(axis=0),
        "moved_up": np.maximum(gap.max(axis=0), 0.0), "moved_down": np.maximum(-gap.min(axis=0), 0.0)})


#: Within this of its highest (lowest) index a market counts as at its peak (trough): the day the console
#: gives is the first such day, to the two decimals it prints, not the last day of a slow approach to a cap.
PEAK_TOLERANCE = 0.005


def _first_at(index: np.ndarray, *, high: bool) -> np.ndarray:
    """Per column of ``index`` (T, M), the first day within `PEAK_TOLERANCE` of its highest (``high``) or lowest.

    Examples
    --------
    >>> _first_at(np.array([[1.0, 1.0], [4.997, 0.8], [5.0, 0.9]]), high=True).tolist()
    [1, 0]
    """
    if high:
        return np.argmax(index >= index.max(axis=0) - PEAK_TOLERANCE, axis=0)
    return np.argmax(index <= index.min(axis=0) + PEAK_TOLERANCE, axis=0)


def _largest_shortfall(results: Results | EnsembleResults, baseline: Results | EnsembleResults | None) -> str | None:
    """The commodity whose final demand ran shortest in USD against ``baseline`` (None if none ran short)."""
    prices = {c.id: c.price_usd for c in results.scenario.network.commodities}
    def by_commodity(res: Results | EnsembleResults) -> pd.Series:
        gap = np.asarray(res.demand, dtype=float) - np.asarray(res.delivered, dtype=float)
        gap = gap.reshape(gap.shape[0], -1, gap.shape[-1]).sum(axis=1).mean(axis=0)   # (D,): runs, days
        names = [d.commodity for d in res.scenario.network.demands]
        return pd.Series(gap * np.array([prices[c] for c in names]), index=names).groupby(level=0).sum()
    short = by_commodity(results)
    if baseline is not None:
        short = short.sub(by_commodity(baseline), fill_value=0.0)
    short = short[short >= 0.5]
    return None if short.empty else str(short.idxmax())


def _multiple(x: float) -> str:
    return f"{x:.2f}x"


def format_price_peaks(table: pd.DataFrame, scenario: Scenario, *, n_runs: int = 1, top: int = 3,
                       largest_short: str | None = None, against_baseline: bool = True) -> list[str]:
    """The lines ``run`` prints on prices by default: the largest peaks, and whether prices fed back.

    From a `price_peaks` table: the ``top`` commodities whose price rose most (each at its highest market:
    the multiple of its reference price and the day; how many of its other markets rose more than
    `PRICE_MOVED` and how high), then ``largest_short`` (the commodity shortest in USD) when it is not
    among them, the count of markets that rose or fell more than `PRICE_MOVED` and the largest fall. A
    second line says whether the prices fed back into demand, sourcing and rationing in this run (a
    minister's first question is the price; the answer differs with and without feedback). No market
    moved: one line saying so, with the largest rise, when ``against_baseline`` (the moves are against the
    unshocked baseline's prices: a shock that moved no price), else nothing; nothing for an empty table.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> t = pd.DataFrame({"commodity": ["magnet", "magnet", "ore", "chip"], "region": ["US", "JP", "CN", "US"],
    ...                   "peak": [2.77, 1.73, 1.0, 1.07], "peak_day": [239, 238, 0, 169],
    ...                   "trough": [1.0, 1.0, 0.91, 1.0], "trough_day": [0, 0, 94, 0],
    ...                   "baseline_peak": [1.0] * 4, "moved_up": [1.77, 0.73, 0.0, 0.07],
    ...                   "moved_down": [0.0, 0.0, 0.09, 0.0]})
    >>> for line in format_price_peaks(t, toy_scenario(365), top=1, largest_short="chip"):
    ...     print(line)
    Prices (scarcity price index, 1 = the reference price, docs/model.md §5.9): magnet rose most, to 2.77x its reference price in US on 2025-08-28 (1 more region above 1.05x, up to 1.73x); chip, the largest shortfall, peaked at 1.07x in US on 2025-06-19. 3 of 4 markets (commodity x region) rose more than 5%, 1 fell more than 5% (lowest ore 0.91x in CN on 2025-04-05).
    Computed, not fed back: with price feedback off these prices changed no quantity in this run (demand, sourcing and rationing ran as at reference prices); --price-feedback feeds them back.
    >>> print(format_price_peaks(t.assign(moved_up=0.01, moved_down=0.0), toy_scenario(365))[0])
    Prices (scarcity price index, 1 = the reference price, docs/model.md §5.9): none moved more than 5% from the unshocked baseline's (the largest rise: magnet 2.77x in US on 2025-08-28).
    >>> format_price_peaks(t.assign(moved_up=0.01, moved_down=0.0), toy_scenario(365), against_baseline=False)
    []
    """
    if table.empty:
        return []
    pct = f"{PRICE_MOVED * 100:g}%"
    head = "Prices (scarcity price index, 1 = the reference price, docs/model.md §5.9"
    head += ", mean over runs): " if n_runs > 1 else "): "
    up = table[table["moved_up"] > PRICE_MOVED]
    down = table[table["moved_down"] > PRICE_MOVED]
    def when(day: int) -> str:
        return f"on {scenario.date_of(int(day))}"
    def base(row: pd.Series) -> str:
        return f", baseline {_multiple(row['baseline_peak'])}" if abs(row["baseline_peak"] - 1.0) >= 0.005 else ""
    if up.empty and down.empty:
        if not against_baseline:   # nothing to compare: a run without a shock says nothing of prices
            return []
        line = head + f"none moved more than {pct}" + (" from the unshocked baseline's" if against_baseline else "")
        r = table.loc[table["moved_up"].idxmax()]
        if r["moved_up"] >= 0.005:
            line += (f" (the largest rise: {r['commodity']} {_multiple(r['peak'])} in {r['region']} "
                     f"{when(r['peak_day'])}{base(r)})")
        return [line + "."]
    parts = []
    shown: list[str] = []
    ranked = up.sort_values(["peak", "moved_up"], ascending=False, kind="stable")
    for commodity, markets in ranked.groupby("commodity", sort=False):
        if len(shown) == top:
            break
        r, others = markets.iloc[0], markets.iloc[1:]
        text = (f"{commodity} rose most, to {_multiple(r['peak'])} its reference price" if not shown
                else f"{commodity} {_multiple(r['peak'])}") + f" in {r['region']} {when(r['peak_day'])}{base(r)}"
        if len(others):
            text += (f" ({len(others)} more region{'s' if len(others) > 1 else ''} above "
                     f"{_multiple(1 + PRICE_MOVED)}, up to {_multiple(others['peak'].max())})")
        parts.append(text)
        shown.append(str(commodity))
    said = parts[0] + (", then " + ", ".join(parts[1:]) if len(parts) > 1 else "") if parts else ""
    line = head + (said or f"no market rose more than {pct}")
    if parts and largest_short is not None and largest_short not in shown:
        own = table[table["commodity"] == largest_short]
        if len(own):
            r = own.loc[own["peak"].idxmax()]
            line += (f"; {largest_short}, the largest shortfall, peaked at {_multiple(r['peak'])} in {r['region']} "
                     f"{when(r['peak_day'])}{base(r)}")
    if parts:
        line += f". {len(up)} of {len(table)} markets (commodity x region) rose more than {pct}"
    if len(down):
        r = down.loc[down["trough"].idxmin()]
        line += (f"{', ' if parts else '; '}{len(down)} fell more than {pct} (lowest {r['commodity']} "
                 f"{_multiple(r['trough'])} in {r['region']} {when(r['trough_day'])})")
    return [line + ".", feedback_line(scenario.price_feedback)]


def feedback_line(on: bool) -> str:
    """Whether the scarcity prices acted on quantities in this run, in words (docs/model.md §5.9).

    Examples
    --------
    >>> print(feedback_line(True))
    Fed back: these prices cut final demand and moved sourcing and rationing in this run (docs/model.md §5.9); the lines below say what buyers paid and who gained.
    """
    if on:
        return ("Fed back: these prices cut final demand and moved sourcing and rationing in this run "
                "(docs/model.md §5.9); the lines below say what buyers paid and who gained.")
    return ("Computed, not fed back: with price feedback off these prices changed no quantity in this run (demand, "
            "sourcing and rationing ran as at reference prices); --price-feedback feeds them back.")


def _band_peaks_line(results: EnsembleResults, baseline: EnsembleResults | None = None) -> list[str]:
    """The peaks an ensemble of per-run summaries can give: each region's final-demand price index, median band.

    Per-run summaries keep no price per commodity, only the index of each region's final demands weighted by
    the value of their baseline demand (`EnsembleResults.bands`, ``price_index``), which chips dominate: the
    line says so, so that a calm index is not read as calm prices. Up to three regions whose median moved
    more than `PRICE_MOVED` from the baseline's (without one: from 1), highest first; with a baseline and
    none moved, the highest; nothing without a baseline and nothing moved.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.model import CapacityShock, Scenario
    >>> stop = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")   # the only mine, for good
    >>> net = single_source_network(stock=2000.0)
    >>> ens = simulate(Scenario(net, horizon_days=200, shocks=(stop,)), engine="vector", keep="summary")
    >>> print(_band_peaks_line(ens)[0])
    Prices of each region's final demands (scarcity price index weighted by the value of the demand, 1 = reference prices, median over runs; docs/model.md §5.9): highest US 5.00x on 2025-07-05; by commodity, not kept in per-run summaries (--keep series keeps them).
    """
    q = results.quantiles.index(50) if 50 in results.quantiles else len(results.quantiles) // 2
    mid = results.bands["price_index"][q]                                                  # (T, G)
    ref = np.ones_like(mid)
    if baseline is not None and baseline.bands["price_index"].shape == results.bands["price_index"].shape:
        ref = baseline.bands["price_index"][q]
    regions = [(g, name) for g, name in enumerate(results.band_groups) if name != "ALL"]
    if not regions:
        return []
    first = _first_at(mid, high=True)
    peaks = sorted(((float(mid[:, g].max()), int(first[g]), name,
                     float(np.abs(mid[:, g] - ref[:, g]).max()) > PRICE_MOVED) for g, name in regions),
                   key=lambda m: -m[0])
    moved = [m for m in peaks if m[3]]
    head = ("Prices of each region's final demands (scarcity price index weighted by the value of the demand, "
            "1 = reference prices, median over runs; docs/model.md §5.9): ")
    tail = "; by commodity, not kept in per-run summaries (--keep series keeps them)."
    if not moved:
        if baseline is None:
            return []
        peak, day, name, _ = peaks[0]
        return [head + f"none moved more than {PRICE_MOVED * 100:g}% from the unshocked baseline's (highest {name} "
                f"{_multiple(peak)} on {results.scenario.date_of(day)}); one commodity's price can move far more "
                "inside an index that chips dominate, but per-run summaries keep none by commodity (--keep series "
                "keeps them)."]
    parts = [f"{name} {_multiple(peak)} on {results.scenario.date_of(day)}" for peak, day, name, _ in moved[:3]]
    more = f" and {len(moved) - 3} more" if len(moved) > 3 else ""
    return [head + f"highest {', '.join(parts)}{more}{tail}", feedback_line(results.scenario.price_feedback)]
