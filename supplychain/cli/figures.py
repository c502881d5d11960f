"""The plots ``run --out`` writes: deliveries and trade, prices, stock cover, and an ensemble's fans.

Each ``save_*`` function draws one PNG into a folder and returns the names it wrote;
`supplychain.cli.out_folder` calls them inside its all-or-nothing write.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import SimulationWarning

if TYPE_CHECKING:
    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["save_figures", "save_prices", "save_cover", "save_fans", "cover_commodities", "headline_commodities"]


def _grid(n_panels: int, ncols: int, size: tuple[float, float]) -> tuple[Any, list[Any]]:
    from matplotlib.figure import Figure
    ncols = min(ncols, max(1, n_panels))
    nrows = math.ceil(n_panels / ncols) or 1
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    return fig, list(fig.subplots(nrows, ncols, squeeze=False).flat)


def _hide_unused(axes: list[Any], n_used: int) -> None:
    for ax in axes[n_used:]:
        ax.set_visible(False)


def headline_commodities(results: Results, baseline: Results | None = None, n: int = 4) -> list[str]:
    """The ``n`` commodities most worth a flow plot.

    Against a baseline: the largest change in shortfall, then in cross-border trade (USD); alone:
    the largest shortfall, then the largest cross-border trade.
    """
    import numpy as np
    price = {c.id: c.price_usd for c in results.scenario.network.commodities}
    cross = np.array([a != b for a, b in (p.split(">") for p in results.coords.region["lane"])])

    def trade_of(res: Results) -> dict[str, float]:
        shipped = res.flow.sum(axis=1).mean(axis=0) * cross
        out: dict[str, float] = {}
        for commodity, value in zip(res.coords.commodity["lane"], shipped):
            out[commodity] = out.get(commodity, 0.0) + float(value) * price[commodity]
        return out

    short = results.summary().groupby("commodity")["shortfall_usd"].sum()
    trade = trade_of(results)
    if baseline is None:
        return sorted(trade, key=lambda c: (-short.get(c, 0.0), -trade[c], c))[:n]
    short = (short - baseline.summary().groupby("commodity")["shortfall_usd"].sum()).abs()
    base = trade_of(baseline)
    moved = {c: abs(trade[c] - base.get(c, 0.0)) for c in trade}
    ranked = sorted(moved, key=lambda c: (-short.get(c, 0.0), -moved[c], c))
    return [c for c in ranked if short.get(c, 0.0) > 0 or moved[c] > 0][:n] or ranked[:n]


def save_figures(results: Results, folder: Path, baseline: Results | None = None) -> list[str]:
    """``timeseries.png`` and ``flows.png``: against the baseline when there is one, else levels.

    With a baseline, ``timeseries.png`` shows the change in deliveries of the region-commodity
    groups the shock moved most (per day and cumulative, calendar dates, shock window shaded) and
    ``flows.png`` the change in trade of the headline commodities. Without one, deliveries against
    demand per region, and trade levels.
    """
    from ..plotting.change import most_changed, plot_change, plot_flow_delta
    from ..plotting.results import plot_flows, plot_timeseries, shade_shocks
    if baseline is not None:
        fig, axes = _grid(2, 2, (6.4, 4.0))
        # Both panels draw the same groups in the same colours (ranked by the daily change).
        ids = most_changed(results, baseline)
        colors = {ident: f"C{k % 10}" for k, ident in enumerate(ids)}
        plot_change(results, baseline, ids=ids or None, colors=colors, ax=axes[0])
        plot_change(results, baseline, ids=ids or None, colors=colors, cumulative=True, ax=axes[1])
        axes[1].set_title("cumulative change (the area lost)", fontsize="medium")
    else:
        regions = sorted(set(results.coords.region["demand"]))
        fig, axes = _grid(len(regions), 3, (5.0, 3.2))
        for ax, region in zip(axes, regions):
            plot_timeseries(results, "demand", region, ax=ax, by="region", usd=True, color="0.5",
                            linestyle="--", band=None)
            plot_timeseries(results, "delivered", region, ax=ax, by="region", usd=True, color="C0")
            shade_shocks(ax, results.scenario, results.n_days)
            ax.set_title(f"{region}: delivered vs demand", fontsize="medium")
            ax.set_ylabel("USD/day at reference prices")
            ax.set_ylim(bottom=0.0)  # a drop reads as a share of demand, not as a wiggle
        _hide_unused(axes, len(regions))
    fig.savefig(folder / "timeseries.png", dpi=110)
    commodities = headline_commodities(results, baseline)
    fig, axes = _grid(len(commodities), 2, (4.6, 4.0))
    for ax, commodity in zip(axes, commodities):
        if baseline is not None:
            plot_flow_delta(baseline, results, commodity, ax=ax)
        else:
            plot_flows(results, commodity, ax=ax)
    _hide_unused(axes, len(commodities))
    fig.savefig(folder / "flows.png", dpi=110)
    return ["timeseries.png", "flows.png", *save_prices(results, folder, baseline)]


def save_prices(results: Results, folder: Path, baseline: Results | None = None) -> list[str]:
    """``prices.png``: scarcity prices of the commodities whose prices moved most, and who pays."""
    from ..plotting.prices import moved_commodities, plot_prices, plot_who_pays
    # The largest move in value (chips rising 10 % cost buyers more than a small ore market doubling) and the
    # largest moves of the index, three panels in all.
    ranked = moved_commodities(results, 1, by="value") + moved_commodities(results, 3)
    commodities = list(dict.fromkeys(ranked))[:3] or headline_commodities(results, None, 1)
    fig, axes = _grid(len(commodities) + 1, 2, (5.2, 3.6))
    for ax, commodity in zip(axes, commodities):
        plot_prices(results, commodity, ax=ax)
    if results.scenario.price_feedback:
        with warnings.catch_warnings():  # the run's text already names the markets pinned at a bound
            warnings.simplefilter("ignore", SimulationWarning)
            plot_who_pays(results, baseline=baseline, ax=axes[len(commodities)])
    else:
        # As the console (format_price_notes): prices that acted on no quantity get no who-pays split.
        _fixed_prices_note(axes[len(commodities)])
    _hide_unused(axes, len(commodities) + 1)
    fig.savefig(folder / "prices.png", dpi=110)
    return ["prices.png"]


#: The who-pays panel's place in ``prices.png`` when price feedback is off.
FIXED_PRICES_NOTE = ("Price feedback off: every quantity is what fixed\nreference prices give. The scarcity "
                     "prices drawn\nare recorded but act on no quantity, so, as in\nthe console, who pays is "
                     "not drawn.\n\n"
                     "--price-feedback lets prices act on demand,\nsourcing and rationing and draws who pays here.")


def _fixed_prices_note(ax: Any) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, FIXED_PRICES_NOTE, ha="center", va="center", transform=ax.transAxes, fontsize="medium",
            bbox={"boxstyle": "round", "facecolor": "0.95", "edgecolor": "0.6"})
    ax.set_title("who pays: prices fixed", fontsize="medium")


def cover_commodities(results: Results, baseline: Results | None = None,
                      n: int | None = None) -> list[tuple[str, str | None]]:
    """The groups of buyers ``cover.png`` draws, ``(commodity, segment or None)``, one panel each: the groups
    of `supplychain.cli.cover_text.cover_groups`, the console's lines on stocks drawn, in their order (buyers
    whose stocks absorbed the shock, then buyers who ran short, most stock drawn first within each), at most
    ``n`` (default `supplychain.cli.cover_text.COVER_GROUPS`).

    Where no group qualifies (the console prints no such line), the panels go to the buyers the shock drew
    from whose supply chain a shock reaches, else to those it reaches (a panel then says no stock fell), in
    `supplychain.cli.cover_text.ranked_buyers`' order.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> cover_commodities(simulate(stop_scenario(stop_days=5)))
    [('ore', None)]
    """
    from ..plotting.results import supply_chain_of, touches
    from .cover_text import COVER_GROUPS, cover_groups, drawn_buyers, ranked_buyers
    n = COVER_GROUPS if n is None else n
    groups = [(c, s) for c, s, _ in cover_groups(results, baseline, n=n)]
    if groups:
        return groups
    ranked = ranked_buyers(results, baseline)
    # Buyers whose chain no shock reaches drew nothing for it (a gallium ban's fluorinated polyimide panel
    # said "no stock drawn"): the panels go to the buyers the scenario touches and drew from, then to those
    # it touches, the rest only if it touches none.
    scenario = results.scenario
    reached = [(c, s) for c, s in ranked if any(touches(shock, scenario.network, supply_chain_of(scenario.network, c))
                                                for shock in scenario.shocks)]
    drawn = drawn_buyers(results, baseline)
    return ([g for g in reached if g in drawn] or reached or ranked)[:n]


def save_cover(results: Results, folder: Path, baseline: Results | None = None) -> list[str]:
    """``cover.png``: days of cover of the buyers' stocks the console's lines on stocks drawn name, one panel each
    in their order (`cover_commodities`): the stocks those lines measure (``held_by="buyers"``)."""
    from ..plotting.cover import plot_cover, separate_trough_labels
    commodities = cover_commodities(results, baseline)
    if not commodities:
        return []
    fig, axes = _grid(len(commodities), 2, (6.4, 4.0))
    for ax, (commodity, segment) in zip(axes, commodities):
        plot_cover(results, commodity, held_by="buyers", baseline=baseline, segment=segment,
                   separate_labels=False, ax=ax)
    _hide_unused(axes, len(commodities))
    separate_trough_labels(*axes[:len(commodities)])   # every panel drawn: one layout places all the labels
    fig.savefig(folder / "cover.png", dpi=110)
    return ["cover.png"]


def save_fans(results: EnsembleResults, folder: Path, baseline: EnsembleResults | None) -> list[str]:
    """``fan.png``: the cumulative shortfall fan of every region with demand and of all, baseline beside."""
    from ..plotting.ensemble import plot_ensemble_fan
    groups = ["ALL", *(g for g in results.band_groups if g != "ALL")]
    fig, axes = _grid(len(groups), 3, (5.2, 3.4))
    for k, (ax, group) in enumerate(zip(axes, groups)):
        plot_ensemble_fan(results, baseline, group=group, ax=ax)
        ax.set_title("all regions" if group == "ALL" else group, fontsize="medium")
        ax.set_ylabel("cumulative shortfall" if k % 3 == 0 else "")
        if k:
            ax.get_legend().remove()
    _hide_unused(axes, len(groups))
    fig.suptitle(f"{results.scenario.name}: cumulative shortfall over {results.n_runs:,} runs (median, 5-95%)")
    fig.savefig(folder / "fan.png", dpi=110)
    fig, axes = _grid(len(groups), 3, (5.2, 3.4))
    for k, (ax, group) in enumerate(zip(axes, groups)):
        plot_ensemble_fan(results, baseline, series="price_index", group=group, ax=ax)
        ax.set_title("all regions" if group == "ALL" else group, fontsize="medium")
        ax.set_ylabel("price index" if k % 3 == 0 else "")
        if k:
            ax.get_legend().remove()
    _hide_unused(axes, len(groups))
    fig.suptitle(f"{results.scenario.name}: scarcity price of final demand over {results.n_runs:,} runs "
                 "(median, 5-95%)")
    fig.savefig(folder / "prices.png", dpi=110)
    return ["fan.png", "prices.png"]

