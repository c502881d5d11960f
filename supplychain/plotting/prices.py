"""Price paths of the scarcity-price markets and the who-pays waterfall.

:func:`market_prices` reads the ``price`` series of daily results per market
(a commodity in a region, docs/model.md §5.9); :func:`plot_prices` draws each
region's price index of one commodity over calendar dates, the median over
runs with a percentile band when there are several runs; :func:`plot_who_pays`
draws the accounting of :func:`supplychain.metrics.who_pays` as a waterfall.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .._validation import check_known, fail
from ..metrics.incidence import WHO_PAYS_INSTEAD, who_pays
from ..results.daily import require_daily
from .results import _date_axis, _new_axes, shade_shocks, usd_axis

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results.series import Results

__all__ = ["market_prices", "moved_commodities", "plot_prices", "plot_who_pays"]


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
    """:func:`market_prices` with errors naming ``caller``, the public function the user called."""
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


def moved_commodities(results: Results, n: int = 4) -> list[str]:
    """The ``n`` commodities whose price index moved furthest from 1 in any market, run or day.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> moved_commodities(simulate(toy_scenario(10)))
    []
    """
    require_daily(results, "moved_commodities", _PRICE_INSTEAD)
    coords = results.coords
    price = results.values("price")
    reference = {c.id: c.price_usd for c in results.scenario.network.commodities}
    ref = np.array([reference[k] for k in coords.commodity["stock"]])
    with np.errstate(divide="ignore", invalid="ignore"):
        move = np.abs(np.log(np.where(ref > 0, price / np.where(ref > 0, ref, 1.0), 1.0))).max(axis=(0, 1))
    best: dict[str, float] = {}
    for k, m in zip(coords.commodity["stock"], move):
        best[k] = max(best.get(k, 0.0), float(m))
    ranked = sorted((k for k, m in best.items() if m > 1e-9), key=lambda k: (-best[k], k))
    return ranked[:n]


def plot_prices(results: Results, commodity: str, regions: str | Sequence[str] | None = None, *,
                band: tuple[float, float] = (5, 95), ax: Axes | None = None) -> Axes:
    """Price index of one commodity per region over calendar dates (median over runs and a band).

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
    (['CN', 'KR', 'ROW'], 'price index (1 = reference price)')
    """
    require_daily(results, "plot_prices", _PRICE_INSTEAD)
    band = _check_band(band)
    names, index = _market_prices(results, commodity, "plot_prices")
    wanted = names if regions is None else ((regions,) if isinstance(regions, str) else tuple(regions))
    for region in wanted:
        check_known(region, names, "region", "plot_prices")
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
    shade_shocks(ax, results.scenario, results.n_days)
    ax.set_ylabel("price index (1 = reference price)")
    ax.set_xlabel("date")
    _date_axis(ax)
    runs = f", median and {band[0]:g}-{band[1]:g}% of {results.n_runs} runs" if results.n_runs > 1 else ""
    ax.set_title(f"{commodity}: scarcity price by region{runs}", fontsize="medium")
    ax.legend(fontsize="small", loc="upper left")
    return ax


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


#: Waterfall steps of :func:`plot_who_pays`: (label, measure, sign).
_STEPS = (("tariff borne by importers", "tariff_paid_by_importer_usd", 1.0),
          ("tariff borne by exporters", "tariff_paid_by_exporter_usd", 1.0),
          ("scarcity premium paid by buyers", "premium", 1.0),
          ("value not delivered", "deliveries_lost_usd", 1.0),
          ("demand given up to higher prices", "demand_given_up", 1.0),
          ("demand added by lower prices", "demand_added", -1.0),
          ("scarcity rents to producers", "scarcity_rent_usd", -1.0))


def plot_who_pays(results: Results, *, export_supply_elasticity: float | dict[str, float] = math.inf,
                  ax: Axes | None = None) -> Axes:
    """Waterfall of who pays for a shock over the horizon, all regions (mean over runs), in USD.

    Bars add the tariff borne by importers and by exporters (GSIM split,
    :func:`supplychain.metrics.gsim_incidence`), the scarcity premium buyers
    paid (their cost increase less the tariff), the value of final demand not
    delivered and of demand given up because prices rose; demand added where
    landed prices fell (regions whose ``demand_destroyed_usd`` is negative) and
    producers' scarcity rents are subtracted (a gain to buyers, and a transfer
    to sellers, not a cost to the economy); the last bar is the net.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import Tariff
    >>> sc = toy_scenario(60).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25))
    >>> ax = plot_who_pays(simulate(sc))
    >>> len(ax.patches), ax.get_xticklabels()[-1].get_text()
    (8, 'net cost')
    """
    require_daily(results, "plot_who_pays", WHO_PAYS_INSTEAD)
    who = who_pays(results, export_supply_elasticity=export_supply_elasticity)
    table = who.sum(axis=0)
    values = {name: float(table[name]) for name in table.index}
    values["premium"] = values["buyer_cost_increase_usd"] - values["tariff_paid_usd"]
    # A region whose landed price fell gained demand: a gain of its own, not a negative loss.
    by_region = who.loc[:, "demand_destroyed_usd"]
    values["demand_given_up"] = float(by_region[by_region > 0].sum())
    values["demand_added"] = -float(by_region[by_region < 0].sum())
    ax = _new_axes(ax)
    level = 0.0
    labels = []
    for k, (label, measure, sign) in enumerate(_STEPS):
        step = sign * values[measure]
        ax.bar(k, step, bottom=level, color="C3" if step >= 0 else "C2", width=0.7)
        level += step
        labels.append(label)
    ax.bar(len(_STEPS), level, color="0.35", width=0.7)
    labels.append("net cost")
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize="small")
    usd_axis(ax)
    ax.set_ylabel("USD over the horizon (mean of runs)")
    ax.set_title(f"{results.scenario.name}: who pays", fontsize="medium")
    return ax
