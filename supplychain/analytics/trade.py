"""Trade-pattern metrics over results: landed cost, diversion, concentration, dependency.

Groups are importer-commodity pairs (``"KR:ore"``, labelled by
`trade_labels`) built from the lanes'
destination regions; sources are exporting regions, and domestic supply
counts as a source unless ``include_domestic=False``. Per-run metrics return
arrays shaped ``(n_runs, n_groups)`` like `supplychain.metrics`.
Tariffs come from the per-lane daily tariff schedule of the compiled
scenario: the landed price of a variety is ``p pi (1 + tau)``, plus freight
(``pi`` the scarcity price index of the exporter's market, docs/model.md §5.9), as
in the Armington model (Armington, 1969, *IMF Staff Papers* 16(1):159-178;
Jammes & Olarreaga, 2005, *Explaining SMART and GSIM*, World Bank).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import fail
from ..compile.compiler import compile_scenario
from ..metrics.incidence import paid_price_index
from ..metrics.pairing import checks_pair
from ..results.series import Results
from ._groups import lane_groups, paired, trade_labels, window

__all__ = ["trade_labels", "landed_cost", "peak_cost_increase", "trade_shares", "trade_diversion", "concentration",
           "dependency"]


def _lane_matrix(group: np.ndarray, n_groups: int) -> np.ndarray:
    m = np.zeros((group.size, n_groups))
    keep = group >= 0
    m[np.flatnonzero(keep), group[keep]] = 1.0
    return m


#: What `landed_cost` prices a lane's goods at: ``"market"``, the scarcity price the buyer pays, or
#: ``"reference"``, the reference price (the landed value `supplychain.analytics.compare` reports).
LANDED_PRICES = ("market", "reference")


def _unit_cost(results: Results, prices: str = "reference") -> np.ndarray:
    """Landed cost per unit and day on each lane, shape (T or 1, L), or (R, T, L) at market prices.

    ``price x (1 + tariff) + freight + extra``, the per-unit form of
    `supplychain.analytics.compare.lane_costs` (``extra`` is the cost of rerouting
    banned goods), read from the compiled schedules; ``price`` is the reference
    price ``p``, or at ``prices="market"`` the price paid, ``p x``
    `supplychain.metrics.incidence.paid_price_index` (the origin market's scarcity
    price index of the day, or the export offer on a lane under an export control).
    """
    if prices not in LANDED_PRICES:
        raise fail("prices", " or ".join(repr(p) for p in LANDED_PRICES), prices, "landed_cost")
    c = compile_scenario(results.scenario)
    extra = c.schedules.extras.get("extra_cost_usd")
    price = c.lane_price if prices == "reference" else c.lane_price * paid_price_index(results)
    cost = price * (1.0 + np.asarray(c.schedules.tariff, dtype=float)) + c.lane_freight
    return cost if extra is None else cost + extra


def landed_cost(results: Results, *, include_domestic: bool = True, prices: str = "market") -> np.ndarray:
    """Landed cost per unit shipped to each importer: what its buyers pay, ``price x (1 + tariff) + freight``.

    ``price`` is, by default (``prices="market"``), the price the buyer pays: the reference price times
    the scarcity price index of the lane's origin market on the day, or on a lane where an export control
    holds exports back (a ban, a licence that can deny, a filled quota) the export offer, the higher of the
    exporter's and the buyer's index (docs/model.md §8.2; `supplychain.metrics.incidence.paid_price_index`,
    the price `supplychain.metrics.who_pays` charges buyers). A shortage that raises the exporters' prices raises the landed cost, and a tariff adds its
    duty on top. ``prices="reference"`` keeps the price
    at its reference: the landed cost then moves only with tariffs, freight, rerouting and which
    lanes carry the flow (the per-unit form of the landed value that
    `supplychain.analytics.compare.compare` reports, ``import_cost_usd``).

    This is not the scarcity price index of `supplychain.plotting.plot_prices` or
    `supplychain.metrics`: that is the importer's own market's price (its producers' output and its
    buyers' stocks of the commodity), before duty, as a multiple of the reference; the landed cost is
    in USD per unit, duty included, at the *exporters'* prices, weighted by what each lane carried.
    See docs/user-guide.md, "Two prices". At market prices it inherits what the scenario's prices are known
    to get wrong: a shipped scenario that says so (``results.scenario.against_record``, printed by
    ``supplychain run`` and under `supplychain.cli.format_who_pays`) says it of this cost too, e.g.
    ``china_graphite_2023``, whose importers' graphite prices rise where the record's fell.

    Returns
    -------
    ndarray
        USD per unit, flow-weighted over the group's lanes, shape
        ``(n_runs, n_days, n_groups)``; ``nan`` on days with no shipment.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> res = simulate(toy_scenario(10), seed=0)
    >>> float(landed_cost(res)[0, 0, trade_labels(res).index("KR:ore")])   # 0.7 x 105 + 0.3 x 109
    106.2
    """
    groups, group, _ = lane_groups(results, include_domestic=include_domestic)
    m = _lane_matrix(group, len(groups))
    flow = results.flow
    num = (flow * _unit_cost(results, prices)) @ m
    den = flow @ m
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _steady_cost(results: Results, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Landed cost per group at baseline flows and no tariff: shape (n_groups,)."""
    c = compile_scenario(results.scenario)
    flow = np.array([c.steady.flow.get(l, 0.0) for l in c.lane_ids])
    m = _lane_matrix(group, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (flow * (c.lane_price + c.lane_freight)) @ m / (flow @ m)


@checks_pair
def peak_cost_increase(results: Results, *, baseline: Results | None = None, start: int | None = None,
                       end: int | None = None, include_domestic: bool = True, prices: str = "market"
                       ) -> np.ndarray:
    """Largest relative rise of the landed cost per unit over the window, per run and importer.

    The reference is the baseline's mean landed cost (paired by run) when a
    baseline is given, else the steady-state cost at baseline flows without
    tariffs, at reference prices. 0.25 means a day on which imports cost 25 % more per unit. The
    landed cost is `landed_cost`'s, at the price paid unless ``prices="reference"``.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> peak_cost_increase(simulate(toy_scenario(10), seed=0)).round(6)
    array([[0., 0., 0.]])
    """
    cost = landed_cost(results, include_domestic=include_domestic, prices=prices)
    t0, t1 = window(results, start, end)
    if baseline is not None:
        ref = np.nanmean(paired(cost, landed_cost(baseline, include_domestic=include_domestic, prices=prices)),
                         axis=1, keepdims=True)
    else:
        groups, group, _ = lane_groups(results, include_domestic=include_domestic)
        ref = _steady_cost(results, group, len(groups))[None, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = cost[:, t0:t1] / ref - 1.0
    all_nan = np.isnan(rel).all(axis=1)
    peak = np.nanmax(np.where(all_nan[:, None, :], 0.0, rel), axis=1)
    return np.where(all_nan, np.nan, peak)


def _volumes(results: Results, start: int | None, end: int | None, include_domestic: bool
             ) -> tuple[np.ndarray, list[str], list[str]]:
    """Shipped volume per run, importer-commodity group and exporter: (R, G, E)."""
    groups, group, exporter = lane_groups(results, include_domestic=include_domestic)
    exporters = sorted(set(exporter))
    t0, t1 = window(results, 0 if start is None else start, end)
    shipped = results.flow[:, t0:t1].sum(axis=1)
    vol = np.zeros((results.n_runs, len(groups), len(exporters)))
    for lane in np.flatnonzero(group >= 0):
        vol[:, group[lane], exporters.index(exporter[lane])] += shipped[:, lane]
    return vol, [f"{i}:{c}" for i, c in groups], exporters


def _shares(vol: np.ndarray) -> np.ndarray:
    total = vol.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, vol / np.where(total > 0, total, 1.0), np.nan)


def trade_shares(results: Results, *, start: int | None = None, end: int | None = None,
                 include_domestic: bool = True) -> pd.DataFrame:
    """Source shares per importer and commodity, by exporting region (long table, mean over runs).

    The window defaults to the whole horizon. Columns: ``importer, commodity,
    exporter, volume, share``.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> t = trade_shares(simulate(toy_scenario(10), seed=0))
    >>> t[t.importer == "KR"][["exporter", "share"]].round(2).to_dict("records")
    [{'exporter': 'CN', 'share': 0.7}, {'exporter': 'ROW', 'share': 0.3}]
    """
    vol, labels, exporters = _volumes(results, start, end, include_domestic)
    share = np.nanmean(_shares(vol), axis=0)
    rows = []
    for g, label in enumerate(labels):
        importer, commodity = label.split(":", 1)
        for e, exp in enumerate(exporters):
            if vol[:, g, e].any():
                rows.append((importer, commodity, exp, float(vol[:, g, e].mean()), float(share[g, e])))
    return pd.DataFrame(rows, columns=["importer", "commodity", "exporter", "volume", "share"])


@checks_pair
def trade_diversion(results: Results, *, baseline: Results, start: int | None = None,
                    end: int | None = None, include_domestic: bool = True) -> np.ndarray:
    """Share of each importer's supply that changed source: ``1/2 sum_e |s_e - s_e,base|``.

    0 means the same sourcing mix as the baseline, 1 a complete switch of
    suppliers: trade diversion is reallocation among partners (Viner, 1950,
    *The Customs Union Issue*). ``nan`` when either run shipped nothing to the group.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> base = simulate(toy_scenario(10), seed=0)
    >>> trade_diversion(base, baseline=base)
    array([[0., 0., 0.]])
    """
    vol, labels, exporters = _volumes(results, start, end, include_domestic)
    base_vol, base_labels, base_exp = _volumes(baseline, start, end, include_domestic)
    if base_labels != labels or base_exp != exporters:
        raise ValueError("baseline must be results of the same network as results.")
    div = 0.5 * np.abs(_shares(vol) - paired(_shares(vol), _shares(base_vol))).sum(axis=2)
    empty = (vol.sum(axis=2) == 0) | (paired(vol, base_vol).sum(axis=2) == 0)
    return np.where(empty, np.nan, div)


def concentration(results: Results, *, start: int | None = None, end: int | None = None,
                  include_domestic: bool = True) -> np.ndarray:
    """Herfindahl index ``sum_e s_e**2`` of each importer's sources, per run.

    1 means a single source; ``1/n`` means ``n`` equal sources.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> concentration(simulate(toy_scenario(10), seed=0)).round(2)    # KR: 0.7**2 + 0.3**2
    array([[1.  , 0.58, 1.  ]])
    """
    vol = _volumes(results, start, end, include_domestic)[0]
    # An importer with no supply in the window has nan shares, hence a nan index.
    return (_shares(vol) ** 2).sum(axis=2)


def dependency(results: Results, *, exporter: str, start: int | None = None, end: int | None = None,
               include_domestic: bool = True) -> np.ndarray:
    """Share of each importer's supply that comes from ``exporter``, per run.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain import simulate
    >>> dependency(simulate(toy_scenario(10), seed=0), exporter="CN").round(2)
    array([[0. , 0.7, 0. ]])
    """
    vol, _, exporters = _volumes(results, start, end, include_domestic)
    if exporter not in exporters:
        return np.zeros(vol.shape[:2])
    return np.nan_to_num(_shares(vol)[:, :, exporters.index(exporter)])
