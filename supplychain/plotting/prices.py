"""Price paths of the scarcity-price markets and the who-pays waterfall.

`market_prices` reads the ``price`` series of daily results per market
(a commodity in a region, docs/model.md §5.9); `plot_prices` draws each
region's price index of one commodity over calendar dates, the median over
runs with a percentile band when there are several runs; `plot_who_pays`
draws what final buyers paid (`supplychain.metrics.who_pays`) as a waterfall
of where it went (`final_buyer_steps`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._validation import check_choice, check_known, fail
from ..errors import UnknownIdError
from ..metrics.incidence import WHO_PAYS_INSTEAD, export_supply_note, who_pays_for
from ..results.daily import require_daily
from .results import _date_axis, _new_axes, shade_shocks, usd_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results.series import Results

__all__ = ["final_buyer_steps", "market_prices", "moved_commodities", "plot_prices", "plot_who_pays"]


#: What a summary ensemble offers instead of daily prices.
_PRICE_INSTEAD = 'e.band("price_index", region) or plot_ensemble_fan(e, series="price_index", group=region)'


def market_prices(results: Results, commodity: str) -> tuple[tuple[str, ...], np.ndarray]:
    """Regions with a market for ``commodity`` and their price index, ``(runs, days, regions)``.

    The index is the price over the reference price (1 = unchanged); stocks of
    one market carry the same price, so each market's first stock is read.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> regions, index = market_prices(simulate(toy_scenario(10)), "ore")
    >>> regions, index.shape, float(index.max())
    (('CN', 'KR', 'ROW'), (1, 10, 3), 1.0)
    """
    require_daily(results, "market_prices", _PRICE_INSTEAD)
    return _market_prices(results, commodity, "market_prices")


def _market_prices(results: Results, commodity: str, caller: str) -> tuple[tuple[str, ...], np.ndarray]:
    """`market_prices` with errors naming ``caller``, the public function the user called."""
    coords = results.coords
    check_known(commodity, sorted(set(coords.commodity["stock"])), "commodity", caller)
    first: dict[str, int] = {}
    for i, (region, k) in enumerate(zip(coords.region["stock"], coords.commodity["stock"])):
        if k == commodity:
            first.setdefault(region, i)
    regions = tuple(sorted(first))
    reference = {c.id: c.price_usd for c in results.scenario.network.commodities}[commodity]
    values = results.values("price")[:, :, [first[r] for r in regions]]
    return regions, values / reference if reference > 0 else np.ones_like(values)


def moved_commodities(results: Results, n: int = 4, *, by: str = "index") -> list[str]:
    """The ``n`` commodities whose prices moved most.

    Parameters
    ----------
    results : Results
        Daily results with prices.
    n : int
        How many commodities, at most.
    by : {"index", "value"}
        ``"index"``: furthest from the reference in log terms (a small market that doubles ranks
        first). ``"value"``: the value that moved, each market's index-days away from the
        reference times what its buyers receive a day at reference prices, summed over the
        commodity's markets, so a 10 % rise of chips outranks a doubling of an ore that few buy.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> moved_commodities(simulate(toy_scenario(10)))
    []
    """
    require_daily(results, "moved_commodities", _PRICE_INSTEAD)
    check_choice(by, ("index", "value"), "by", "moved_commodities")
    coords = results.coords
    price = results.values("price")
    reference = {c.id: c.price_usd for c in results.scenario.network.commodities}
    ref = np.array([reference[k] for k in coords.commodity["stock"]])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ref > 0, price / np.where(ref > 0, ref, 1.0), 1.0)
    best: dict[str, float] = {}
    if by == "index":
        move = np.abs(np.log(ratio)).max(axis=(0, 1))
        for k, m in zip(coords.commodity["stock"], move):
            best[k] = max(best.get(k, 0.0), float(m))
    else:
        # Value moved: each market's days away from its reference, times what its buyers receive a day at
        # reference prices (arrivals on the lanes into its region), summed over the commodity's markets.
        received: dict[tuple[str, str], float] = {}
        for k, lane_regions, x in zip(coords.commodity["lane"], coords.region["lane"],
                                      results.values("arrivals").mean(axis=(0, 1))):
            key = (k, lane_regions.split(">")[-1])
            received[key] = received.get(key, 0.0) + float(x) * reference[k]
        days_away = np.abs(ratio - 1.0).sum(axis=1).mean(axis=0)
        seen: set[tuple[str, str]] = set()
        for k, region, m in zip(coords.commodity["stock"], coords.region["stock"], days_away):
            if (k, region) not in seen:
                seen.add((k, region))
                best[k] = best.get(k, 0.0) + float(m) * received.get((k, region), 0.0)
    ranked = sorted((k for k, m in best.items() if m > 1e-9), key=lambda k: (-best[k], k))
    return ranked[:n]


def plot_prices(results: Results, commodity: str, regions: str | Sequence[str] | None = None, *,
                band: tuple[float, float] = (5, 95), ax: Axes | None = None) -> Axes:
    """Scarcity price index of one commodity in each region's market over calendar dates (median and a band).

    The index is the price of the region's market (its producers' output and its buyers' stocks of the
    commodity) as a multiple of the reference price, before any duty (docs/model.md §5.9). It is not what
    the region's importers pay per unit landed: that is `supplychain.analytics.landed_cost`, at the
    *exporters'* market prices plus duty and freight, weighted by what each lane carried (docs/user-guide.md,
    "Two prices"). A tariff raises the landed cost by its duty and barely moves the index; a shortage
    raises the index of the short market, and the landed cost by the exporters' prices.

    The shock windows shaded are those of the shocks that touch the commodity's supply chain (the
    commodity or its inputs, `supplychain.plotting.results.shock_windows`), as on ``cover.png``.

    Parameters
    ----------
    results : Results
        Daily results of one or more runs.
    commodity : str
        The commodity.
    regions : str or sequence of str, optional
        Markets to draw (default: every region with a market for it).
    band : (float, float)
        Percentiles over runs of the shaded band, low then high, each in [0, 100] (drawn when
        there are several runs).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import ExportControl
    >>> sc = toy_scenario(60).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="ban", start=10))
    >>> ax = plot_prices(simulate(sc), "ore")
    >>> [line.get_label() for line in ax.get_lines()][:3], ax.get_ylabel()
    (['CN', 'KR', 'ROW'], 'scarcity price index before duty (1 = reference price)')
    """
    require_daily(results, "plot_prices", _PRICE_INSTEAD)
    band = _check_band(band)
    names, index = _market_prices(results, commodity, "plot_prices")
    wanted = names if regions is None else ((regions,) if isinstance(regions, str) else tuple(regions))
    _check_markets(results, commodity, wanted, names)
    ax = _new_axes(ax)
    dates = np.array(results.dates, dtype="datetime64[D]")
    for k, region in enumerate(wanted):
        series = index[:, :, names.index(region)]
        color = f"C{k % 10}"
        ax.plot(dates, np.median(series, axis=0), color=color, label=region)
        if series.shape[0] > 1:
            lo, hi = np.percentile(series, band, axis=0)
            ax.fill_between(dates, lo, hi, color=color, alpha=0.2, linewidth=0)
    ax.axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
    # Only the shocks that reach this commodity or its inputs, as cover.png's panels: a magnet ban's
    # window on a chip's prices reads as the cause of a move it did not make.
    shade_shocks(ax, results.scenario, results.n_days, commodity=commodity)
    ax.set_ylabel("scarcity price index before duty (1 = reference price)")
    ax.set_xlabel("date")
    _date_axis(ax)
    runs = f", median and {band[0]:g}-{band[1]:g}% of {results.n_runs} runs" if results.n_runs > 1 else ""
    ax.set_title(f"{commodity}: scarcity price of each region's market{runs}", fontsize="medium")
    ax.legend(fontsize="small", loc="upper left")
    return ax


def _check_markets(results: Results, commodity: str, wanted: Sequence[str], names: Sequence[str]) -> None:
    """Raise `UnknownIdError` for a region in ``wanted`` without a market for ``commodity`` in ``names``.

    A region of the network with no plant making the commodity and no buyer holding it has no market (no price):
    the message says so and lists the markets there are, rather than calling the region unknown.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> _check_markets(simulate(toy_scenario(5)), "ore", ["US"], ["CN", "KR", "ROW"])
    Traceback (most recent call last):
    ...
    supplychain.errors.UnknownIdError: region 'US' has no market for ore (no plant makes it and no buyer holds it there), so plot_prices has no price to draw; the markets for ore are CN, KR, ROW.
    """
    regions = {r.id for r in results.scenario.network.regions}
    for region in wanted:
        if isinstance(region, str) and region in regions and region not in names:
            raise UnknownIdError(f"region {region!r} has no market for {commodity} (no plant makes it and no buyer "
                                 f"holds it there), so plot_prices has no price to draw; the markets for {commodity} "
                                 f"are {', '.join(names)}.")
        check_known(region, names, "region", "plot_prices")


def _check_band(band: object) -> tuple[float, float]:
    """``band`` as (low, high) percentiles, ``0 <= low < high <= 100``; else a ValidationError naming it."""
    try:
        low, high = (float(b) for b in band)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise fail("band", "two percentiles (low, high), e.g. (5, 95)", band, "plot_prices") from None
    if not (0.0 <= low < high <= 100.0):
        raise fail("band", "(low, high) percentiles with 0 <= low < high <= 100, e.g. (5, 95)", band,
                   "plot_prices")
    return low, high


def final_buyer_steps(who: pd.DataFrame) -> tuple[list[tuple[str, float]], float]:
    """Where the final buyers' extra cost went: each region's producers' rent net of inputs, and tariffs.

    Every lane's extra cost (``buyer_cost_increase_usd``) is the exporter's
    price rise on it (its part of ``scarcity_rent_usd``) plus the added duty;
    the final buyers' lanes are what is left of every lane after the
    intermediate ones, whose cost producers paid on inputs. So a region's
    producers keep ``scarcity_rent_usd - intermediate_buyer_cost_increase_usd``
    (their output's price rise less what their inputs and the duties on them
    cost more; the inputs' rise reappears in the seller's rent), customs
    collect ``buyer_cost_increase_usd - scarcity_rent_usd`` summed over
    regions, and the two add up to ``final_buyer_cost_increase_usd`` summed,
    with or without tariffs. Without tariffs a region's part is its
    ``scarcity_rent_net_of_inputs_usd``.

    Parameters
    ----------
    who : DataFrame
        The table of `supplychain.metrics.who_pays`.

    Returns
    -------
    (list of (str, float), float)
        ``(region, USD)`` for each region whose part is at least half a
        dollar, largest first, then ``("tariffs", USD)`` if that is; and the
        tariffs collected (added duty), which may be below half a dollar.

    Examples
    --------
    >>> import pandas as pd
    >>> who = pd.DataFrame({"buyer_cost_increase_usd": [0.0, 9.0, 5.0], "scarcity_rent_usd": [6.0, 4.0, 0.0],
    ...                     "intermediate_buyer_cost_increase_usd": [0.0, 7.0, 0.0]}, index=["CN", "KR", "US"])
    >>> final_buyer_steps(who)
    ([('CN', 6.0), ('KR', -3.0), ('tariffs', 4.0)], 4.0)
    """
    margin = who["scarcity_rent_usd"] - who["intermediate_buyer_cost_increase_usd"]
    tariffs = float((who["buyer_cost_increase_usd"] - who["scarcity_rent_usd"]).sum())
    kept = margin[margin.abs() >= 0.5].sort_values(ascending=False)
    steps = [(str(r), float(v)) for r, v in kept.items()]
    if abs(tariffs) >= 0.5:
        steps.append(("tariffs", tariffs))
    return steps, tariffs


def plot_who_pays(results: Results, *, baseline: Results | None = None,
                  export_supply_elasticity: float | dict[str, float] = math.inf, ax: Axes | None = None) -> Axes:
    """Waterfall of what final buyers paid for a shock, and went without, over the horizon, USD.

    The first bars split the final buyers' extra cost
    (``final_buyer_cost_increase_usd`` of `supplychain.metrics.who_pays`,
    summed over regions) into where it went (`final_buyer_steps`):
    each producing region's scarcity rents net of what its producers' inputs
    and the duties on them cost more, and the duty customs collected on top;
    a grey bar closes at that cost. Producers' extra input costs are passed
    along the chain inside it, so they are not added again (the every-lane
    ``buyer_cost_increase_usd`` sums to no buyer's cost and is not drawn).
    Then the value of final demand not delivered and of demand given up
    because prices rose are added, demand added where landed prices fell
    (regions whose ``demand_destroyed_usd`` is negative) is subtracted, and
    the last bar is the final buyers' total. The tariff bar's label gives
    the importers' share of the tariff under the GSIM split
    (`supplychain.metrics.gsim_incidence`, ``export_supply_elasticity``
    as there). With ``baseline`` (the unshocked runs) every bar is the change
    against it, as ``who_pays(results, baseline=baseline)``. A bar's colour is what it means to the
    party it names, as the legend says: green a gain (a producing region's rents, the duty customs
    collect, demand added for final buyers), red a loss (final buyers' value not delivered and demand
    given up, rents that fell). When a duty moved, a footnote under the bars' labels says how the tariff is
    split (`supplychain.metrics.incidence.export_supply_note`). Producers' rents are often a small
    fraction of the value not delivered: when the largest is below `RENTS_PANEL_SHARE` of the
    waterfall's height, an inset panel draws them again at a scale of their own (`_rents_panel`). Several runs are
    averaged (the y label says over how many).
    Without ``ax``, the new figure uses constrained layout, so a plain
    ``fig.savefig`` keeps every label inside the image.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import Tariff
    >>> sc = toy_scenario(60).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25))
    >>> ax = plot_who_pays(simulate(sc))
    >>> [t.get_text() for t in ax.get_xticklabels()][-5:]
    ['paid by final buyers', 'value not delivered', 'demand given up to higher prices', 'demand added by lower prices', "final buyers' total"]
    """
    require_daily(results, "plot_who_pays", WHO_PAYS_INSTEAD)
    who = who_pays_for("plot_who_pays", results, baseline, export_supply_elasticity)
    steps, _ = final_buyer_steps(who)
    paid = float(who["tariff_paid_usd"].sum())
    importers = float(who["tariff_paid_by_importer_usd"].sum()) / paid if paid > 0 else 1.0
    named = {"tariffs": f"tariffs collected ({importers:.0%} borne by importers, GSIM)"}
    # A region whose landed price fell gained demand: a gain of its own, not a negative loss.
    by_region = who.loc[:, "demand_destroyed_usd"]
    if ax is None:  # room for the slanted labels and the two-line title inside the saved figure
        import matplotlib.pyplot as plt
        ax = plt.figure(figsize=(8, 5.5), layout="constrained").subplots()
    level = 0.0
    labels = []
    # Colour is what the bar means to the party it names: green a gain, red a loss. Producers' rents and the
    # duty collected are gains to producers and customs when they rise; the value not delivered and the demand
    # given up are losses to final buyers, demand added by lower prices a gain to them.
    gain, loss = "C2", "C3"

    def bar(label: str, step: float, *, to_buyers: bool) -> None:
        nonlocal level
        gained = step < 0 if to_buyers else step >= 0
        ax.bar(len(labels), step, bottom=level, color=gain if gained else loss, width=0.7)
        level += step
        labels.append(label)

    def total(label: str) -> None:
        ax.bar(len(labels), level, color="0.35", width=0.7)
        labels.append(label)

    for name, value in steps:
        bar(named.get(name, f"{name} rents net of inputs"), value, to_buyers=False)
    total("paid by final buyers")
    bar("value not delivered", float(who["deliveries_lost_usd"].sum()), to_buyers=True)
    bar("demand given up to higher prices", float(by_region[by_region > 0].sum()), to_buyers=True)
    bar("demand added by lower prices", float(by_region[by_region < 0].sum()), to_buyers=True)
    total("final buyers' total")
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color=gain, label="gain to the party named"),
                       Patch(color=loss, label="loss to the party named"),
                       Patch(color="0.35", label="final buyers' cost, running total")],
              loc="upper left", fontsize="x-small", frameon=False)
    # Only the zero line is an edge the axis keeps to: a step of 0 drawn at the top (a bar's bottom is
    # its sticky edge) pinned the axis there, and the bars above ran into the frame.
    for patch in ax.patches:
        patch.sticky_edges.y[:] = [0.0]
    ax.relim()
    ax.autoscale_view()
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize="small")
    usd_axis(ax)
    ax.set_ylabel("USD over the horizon" + (f" (mean of {results.n_runs} runs)" if results.n_runs > 1 else ""))
    rents = [(name, value) for name, value in steps if name != "tariffs"]
    _rents_panel(ax, rents, gain, loss)
    # Two lines: the scenario's (long names ran past a grid cell's edge), then what the plot is. A tariff's
    # split is an assumption (by default importers bear it all): said wherever a duty moved, in a footnote
    # under the bars' labels (the x axis has no label of its own), not in the title.
    ax.set_title(f"{results.scenario.title}\nwho gets what final buyers pay", fontsize="medium")
    notes = [export_supply_note(export_supply_elasticity, short=True)] if abs(paid) >= 0.5 else []
    if not results.scenario.price_feedback:   # as format_who_pays says under the table
        notes.append(FEEDBACK_OFF_FOOTNOTE)
    if notes:
        ax.set_xlabel("\n".join(notes), fontsize="x-small", loc="left")
    return ax


#: `plot_who_pays`'s footnote when prices acted on no quantity (the default): the bars value what happened at the
#: computed prices, and no buyer gave anything up to them.
FEEDBACK_OFF_FOOTNOTE = ("Price feedback off: these prices moved no quantity (demand, sourcing and rationing ran as "
                         "at reference prices).")


#: `plot_who_pays` draws producers' rents again in a panel of their own when the largest is below this share of
#: the waterfall's height: at the waterfall's scale (the value not delivered is often 10-100 times the rents)
#: the rent bars were a few pixels high.
RENTS_PANEL_SHARE = 0.1


def _rents_panel(ax: Axes, rents: list[tuple[str, float]], gain: str, loss: str) -> Axes | None:
    """An inset panel, upper left of ``ax``, of each region's rents net of inputs at a scale of their own.

    A panel rather than a second y axis on the waterfall: the waterfall's bars stack on one another, so a
    bar drawn on another scale would stand at a level of the first scale's running total and read as part
    of it. The inset repeats the rent bars (the same colours) from zero, with its own money ticks
    (`usd_axis`), and only when the largest rent is below `RENTS_PANEL_SHARE` of the waterfall's height.
    Returns the inset, or ``None`` when the rents read at the waterfall's scale (or there are none).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plt.figure().subplots()
    >>> _ = ax.bar([0, 1, 2], [1e6, 2e6, 5e9])
    >>> inset = _rents_panel(ax, [("KR", 1e6), ("JP", -2e6)], "C2", "C3")
    >>> [t.get_text() for t in inset.get_xticklabels()], [float(p.get_height()) for p in inset.patches]
    (['KR', 'JP'], [1000000.0, -2000000.0])
    >>> _rents_panel(ax, [("KR", 1e9)], "C2", "C3") is None
    True
    """
    if not rents:
        return None
    low, high = ax.get_ylim()
    biggest = max(abs(v) for _, v in rents)
    if biggest <= 0 or biggest >= RENTS_PANEL_SHARE * (high - low):
        return None
    # Over the rent bars (the first, at x = 0, 1, ...), under the legend: the waterfall's running level is low
    # there, since the largest rent is a tenth of the height; at least a fifth of the width, to be read.
    left, right = ax.get_xlim()
    x0 = max((-0.4 - left) / (right - left), 0.08)
    x1 = max((len(rents) - 0.6 - left) / (right - left), x0 + 0.22)
    inset = ax.inset_axes((x0, 0.3, x1 - x0, 0.3))
    inset.bar(range(len(rents)), [v for _, v in rents], color=[gain if v >= 0 else loss for _, v in rents],
              width=0.7)
    inset.axhline(0.0, color="0.5", linewidth=0.6)
    inset.set_xticks(range(len(rents)), labels=[name for name, _ in rents], fontsize="x-small")
    inset.tick_params(axis="y", labelsize="x-small")
    usd_axis(inset)
    inset.set_title("rents net of inputs, own scale", fontsize="x-small")
    return inset
