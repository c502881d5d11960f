"""Stock cover: how far buffers fell, what was left at the trough, and how long they took to rebuild.

What belongs here: pure functions of daily `Results` that measure the stocks
a shock drew, the loss a fill rate of 100 % hides. A buffer that absorbs a stop serves every order, so the
shortfall of `supplychain.metrics.service` is zero; what the shock cost is the stock drawn, the cover
left at the trough and the weeks spent rebuilding it. Definitions (docs/model.md §8.2, *stock cover*), per
run and group ``g`` of stocks ``s`` (each a facility input, a facility output or a consumer stock, §2),
over the days ``t = 0 .. T-1``:

* **normal stock** ``N_g = sum_s I0_s``: the stock held in the steady state at the start (``I^0``, §4.4,
  ``Results.initial_inventory``), and **normal daily use** ``u_g = sum_s u_s``, the steady daily draw of
  §4.1; their ratio is the **normal cover** in days;
* the group's **usable stock** ``X_g(t) = sum_s I_s(t)`` at the end of each day, where a final buyer's
  stock counts as 0 on a day its demand went short (a stockout, §8.2): what it still held then was of
  designs that cannot serve the ones that ran out (design-specific stocks, docs/model.md §5.6.6), so it
  had no cover for what it wanted. So a shortfall shows as a cover of 0 at the trough. Facility input
  stocks count whole (a facility short of one design shows only in its starts); the **trough day**
  ``t*`` is the first day of the minimum of ``X_g``;
* **stock drawn** ``(N_g - H_g(t_h))^+`` in units, and in USD at reference prices
  ``(sum_s p_s I0_s - sum_s p_s I_s(t_h))^+``, of the stock held ``H_g(t) = sum_s I_s(t)`` at its own
  lowest point ``t_h`` (the first day of its minimum): a short buyer's other designs are still on its
  shelves, not spent. Without a shortfall ``H_g = X_g`` and ``t_h = t*``;
* **share left** ``X_g(t*) / N_g`` and **cover at the trough** ``X_g(t*) / u_g`` days: the days of
  *normal* use the stock left would last, the days of inventory in which the baseline's chip stocks are
  published (US Department of Commerce, *Results from Semiconductor Supply Chain Request for
  Information*, 25 Jan 2022: users' median 40 days in 2019, under 5 in 2021), so a trough reads
  directly against them;
* **draw rate** ``(N_g - X_g(t*)) / (t* - t_a + 1)``, where ``t_a - 1`` is the last day before the trough
  on which the stock was at its normal level (``t_a = 0`` if none): the mean net fall per day while
  it was drawn; the **margin** ``X_g(t*) / rate`` days is how much longer the stock could have fallen at
  that rate before it ran out: the days of extra shock the trough cover would have absorbed, an
  extrapolation of the observed draw in the spirit of the time-to-survive of Simchi-Levi et al. (2015,
  *Interfaces* 45(5):375-390). It is the cover at the trough when nothing arrived at all, and longer
  when supply only slowed; infinite when nothing was drawn;
* **restocked day**: the first day ``t >= t*`` with ``X_g(t) >= restocked * N_g`` (95 % by default),
  NaN when not within the horizon; **days to restock** = restocked day − ``t*``: the time-to-recover
  of the stock (the recovery of Henry & Ramirez-Marquez, 2012, *Reliability Engineering & System
  Safety* 99:114-122, on the stock as the performance measure).

Groups that mix commodities (``by="region"``) add stocks at reference prices, so their series, cover and
shares are value-weighted, and their stock drawn is in USD only. Only daily results hold stocks: an
ensemble kept as summaries (``keep="summary"``) keeps none, and a series ensemble gives one value per run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from .._validation import check_known, check_probability, fail
from ..compile.steady import steady_state
from ..results.daily import require_daily
from ..results.series import Results
from .service import _prices

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["StockGrouping", "Holder", "COVER_MEASURES", "stock_groups", "usable_stock", "days_of_cover", "stock_cover",
           "stock_drawn",
           "trough_cover_days", "share_left_at_trough", "days_to_restock", "cover_margin_days", "upstream_stocks",
           "upstream_restock"]

StockGrouping = Literal["stock", "demand", "region", "commodity", "region_commodity"]
Holder = Literal["all", "buyers", "final_buyers", "producers"]
_GROUPINGS: tuple[str, ...] = get_args(StockGrouping)
_HOLDERS: tuple[str, ...] = get_args(Holder)

#: Columns of `stock_cover` after the run and group, in order.
COVER_MEASURES = ("unit", "normal_stock", "normal_use_per_day", "normal_cover_days", "trough_day", "trough_date",
                  "trough_stock", "stock_drawn", "stock_drawn_usd", "share_left", "trough_cover_days",
                  "draw_start_day", "draw_rate_per_day", "margin_days", "restocked_day", "days_to_restock")

#: Relative tolerance within which a stock counts as at its normal level, and a fall as no draw (rounding).
_AT_NORMAL = 1e-9


def _holder_of(results: Results) -> np.ndarray:
    """Who holds each stock: ``"final_buyers"`` (consumer stocks), ``"producers"`` (outputs) or ``"inputs"``."""
    net = results.scenario.network
    demands = {d.id for d in net.demands}
    output = {f.id: f.output for f in net.facilities}
    kinds = []
    for label, commodity in zip(results.coords.stock, results.coords.commodity["stock"]):
        node = label.rsplit(":", 1)[0]
        kinds.append("final_buyers" if node in demands else "producers" if output.get(node) == commodity
                     else "inputs")
    return np.array(kinds)


def stock_groups(results: Results, *, by: StockGrouping = "region_commodity",
                 held_by: Holder = "all") -> tuple[tuple[str, ...], np.ndarray]:
    """Group labels and the 0/1 matrix ``(n_stocks, n_groups)`` that sums stocks into groups.

    ``held_by`` keeps the stocks of one kind of holder: ``"buyers"`` the stocks that order (facility
    inputs and consumer stocks, docs/model.md §2), ``"final_buyers"`` consumer stocks of final demand,
    ``"producers"`` facility output stocks, ``"all"`` every stock. ``by="stock"`` keeps each stock
    (label ``node:commodity``), ``by="demand"`` each consumer stock, labelled by its demand.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> res = simulate(toy_scenario(5))
    >>> stock_groups(res, by="region_commodity", held_by="final_buyers")[0]
    ('JP:cell', 'US:cell')
    >>> stock_groups(res, by="demand")[0]
    ('US.cells', 'JP.cells')
    """
    check_known(by, _GROUPINGS, "by", "stock_cover")
    check_known(held_by, _HOLDERS, "held_by", "stock_cover")
    holder = _holder_of(results)
    keep = {"all": np.ones(len(holder), dtype=bool), "buyers": holder != "producers",
            "final_buyers": holder == "final_buyers", "producers": holder == "producers"}[held_by]
    if by == "demand":
        keep &= holder == "final_buyers"
    coords = results.coords
    regions, commodities = coords.region["stock"], coords.commodity["stock"]
    keys = {"stock": list(coords.stock), "demand": [s.rsplit(":", 1)[0] for s in coords.stock],
            "region": list(regions), "commodity": list(commodities),
            "region_commodity": [f"{r}:{c}" for r, c in zip(regions, commodities)]}[by]
    kept = [k for k, on in zip(keys, keep) if on]
    labels = tuple(dict.fromkeys(kept)) if by in ("stock", "demand") else tuple(sorted(set(kept)))
    matrix = np.zeros((len(keys), len(labels)))
    where = {label: j for j, label in enumerate(labels)}
    for i in np.flatnonzero(keep):
        matrix[i, where[keys[i]]] = 1.0
    return labels, matrix


def _normal_use(results: Results) -> np.ndarray:
    """Steady daily draw of each stock (docs/model.md §4.1), units per day."""
    usage = steady_state(results.scenario.network).usage
    return np.array([usage.get((label.rsplit(":", 1)[0], c), 0.0)
                     for label, c in zip(results.coords.stock, results.coords.commodity["stock"])])


def usable_stock(results: Results) -> np.ndarray:
    """The stock each holder could use at the end of each day, ``(n_runs, n_days, n_stocks)``.

    A final buyer's stock on a day its demand went short (a stockout, `supplychain.metrics.cycle_service_level`)
    counts as 0: what it still holds is of designs it cannot use for those that ran out (design-specific
    stocks, docs/model.md §5.6.6), so its cover for what it wants is none. Every other stock counts whole
    (a facility's input short of one design shows only in its starts, which are not recorded per design).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import locked_scenario
    >>> res = simulate(locked_scenario())
    >>> res.inventory[0, 14:18, -1].tolist(), usable_stock(res)[0, 14:18, -1].tolist()
    ([64.0, 60.0, 60.0, 60.0], [64.0, 60.0, 0.0, 0.0])
    """
    from ..engines.summary import stockouts

    stock = np.array(results.inventory, dtype=float)
    short = stockouts(results.delivered, results.arrays["unmet"])            # (R, T, D)
    demand_of = {d: j for j, d in enumerate(results.coords.demand)}
    for i, label in enumerate(results.coords.stock):
        j = demand_of.get(label.rsplit(":", 1)[0])
        if j is not None:
            stock[:, :, i] *= 1.0 - short[:, :, j]
    return stock


def _cover_arrays(results: Results, by: str, held_by: str, restocked: float) -> dict[str, np.ndarray]:
    """Every measure of the module docstring as ``(n_runs, n_groups)`` arrays."""
    restocked = check_probability(restocked, "restocked", "stock_cover")
    matrix = stock_groups(results, by=by, held_by=held_by)[1]  # type: ignore[arg-type]
    p = _prices(results, "stock")
    weight = p if by == "region" else np.ones_like(p)          # a region mixes units: add value
    stock = np.asarray(results.inventory, dtype=float)            # (R, T, S), what is held
    level = usable_stock(results) @ (matrix * weight[:, None])    # (R, T, G), what could be used
    held = stock @ (matrix * weight[:, None])
    normal = (results.initial_inventory * weight) @ matrix        # (G,)
    use = (_normal_use(results) * weight) @ matrix                # (G,)
    n_runs, n_days, n_groups = level.shape
    trough_day = level.argmin(axis=1)                             # (R, G), first minimum
    runs, groups = np.meshgrid(np.arange(n_runs), np.arange(n_groups), indexing="ij")
    trough = level[runs, trough_day, groups]
    days = np.arange(n_days)[None, :, None]
    at_normal = (level >= normal * (1.0 - _AT_NORMAL)) & (days < trough_day[:, None, :])
    draw_start = np.where(at_normal.any(axis=1), n_days - 1 - at_normal[:, ::-1].argmax(axis=1) + 1, 0)
    back = (level >= restocked * normal) & (days >= trough_day[:, None, :])
    restocked_day = np.where(back.any(axis=1), back.argmax(axis=1), np.nan)
    # A fall within rounding of the normal level (a steady state recomputed day by day) is no draw.
    tolerance = _AT_NORMAL * np.maximum(normal, 1.0)
    fell = np.where(normal - trough > tolerance, normal - trough, 0.0)
    # The stock drawn is of the stock held, at its own lowest point: a short buyer's other designs are
    # still on its shelves, not spent (equal to the usable trough's whenever no final buyer went short).
    held_day = held.argmin(axis=1)
    held_low = held[runs, held_day, groups]
    drawn = np.where(normal - held_low > tolerance, normal - held_low, 0.0)
    value = stock @ (matrix * p[:, None])                         # (R, T, G) in USD
    drawn_usd = np.where(drawn > 0, np.maximum((results.initial_inventory * p) @ matrix
                                               - value[runs, held_day, groups], 0.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(fell > 0, fell / (trough_day - draw_start + 1), 0.0)
        out = {
            "normal_stock": np.broadcast_to(normal, drawn.shape).copy(),
            "normal_use_per_day": np.broadcast_to(use, drawn.shape).copy(),
            "normal_cover_days": np.broadcast_to(np.where(use > 0, normal / use, np.nan), drawn.shape).copy(),
            "trough_day": trough_day.astype(float),
            "trough_stock": trough,
            "stock_drawn": drawn if by != "region" else np.full(drawn.shape, np.nan),
            "stock_drawn_usd": drawn_usd,
            "share_left": np.where(normal > 0, trough / normal, np.nan),
            "trough_cover_days": np.where(use > 0, trough / use, np.nan),
            "draw_start_day": np.where(fell > 0, draw_start, np.nan),
            "draw_rate_per_day": rate,
            "margin_days": np.where(fell > 0, trough / np.where(rate > 0, rate, 1.0), np.inf),
            "restocked_day": restocked_day,
            "days_to_restock": restocked_day - trough_day,
        }
    return out


def _frame(values: np.ndarray, results: Results, by: str, held_by: str) -> pd.DataFrame:
    import pandas as pd

    labels = stock_groups(results, by=by, held_by=held_by)[0]  # type: ignore[arg-type]
    return pd.DataFrame(values, index=pd.RangeIndex(values.shape[0], name="run"), columns=pd.Index(labels, name=by))


def _measure(results: Results, name: str, by: str, held_by: str, restocked: float = 0.95) -> pd.DataFrame:
    require_daily(results, name, "simulate(..., keep=\"series\") and the same function on its results")
    key = {"share_left_at_trough": "share_left", "cover_margin_days": "margin_days"}.get(name, name)
    return _frame(_cover_arrays(results, by, held_by, restocked)[key], results, by, held_by)


def stock_cover(results: Results, *, by: StockGrouping = "region_commodity", held_by: Holder = "all",
                restocked: float = 0.95) -> pd.DataFrame:
    """Stock drawn, cover at the trough, margin and time to restock per run and group of stocks.

    The measures are defined in the module docstring (`supplychain.metrics.cover`) and in
    docs/model.md §8.2. The cover (trough, share left, cover at the trough, margin, restocking) is of
    the stock the holders could use: a final buyer's stock counts as 0 on a day its demand went short,
    since what it held was of designs that cannot serve those that ran out (docs/model.md §5.6.6), so a
    shortfall shows as a cover of 0 at the trough; the stock drawn is of the stock held (`usable_stock`).

    Parameters
    ----------
    results : Results
        Daily results (their ``inventory``); a series ensemble gives one row per run and group.
    by : {"region_commodity", "commodity", "region", "stock", "demand"}
        How stocks are grouped (`stock_groups`); ``"region"`` adds commodities at reference prices.
    held_by : {"all", "buyers", "final_buyers", "producers"}
        Which stocks count (`stock_groups`).
    restocked : float
        Share of the normal stock in [0, 1] at which a stock counts as rebuilt.

    Returns
    -------
    DataFrame
        One row per run and group: ``run``, the group (column named after ``by``; with
        ``by="region_commodity"`` also its parts ``region`` and ``commodity``), then `COVER_MEASURES`: ``unit`` (the commodity's unit, ``"USD"`` for regions), ``normal_stock``,
        ``normal_use_per_day``, ``normal_cover_days``, ``trough_day`` and ``trough_date``,
        ``trough_stock``, ``stock_drawn`` (units; NaN for regions) and ``stock_drawn_usd``,
        ``share_left``, ``trough_cover_days``, ``draw_start_day``, ``draw_rate_per_day``,
        ``margin_days`` (``inf`` when nothing was drawn), ``restocked_day`` and ``days_to_restock``
        (NaN when not rebuilt within the horizon).

    Examples
    --------
    A consumer holding 10 days of ore loses its only supplier for 5 days (``docs/model.md`` §8.2):

    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> t = stock_cover(simulate(stop_scenario(stop_days=5)), by="demand")
    >>> t.loc[0, ["trough_day", "share_left", "trough_cover_days", "margin_days", "days_to_restock"]].astype(float).tolist()
    [10.0, 0.6, 6.0, 6.0, 4.0]
    >>> float(t["stock_drawn_usd"].iloc[0])     # 40 t at $100
    4000.0
    """
    import pandas as pd

    require_daily(results, "stock_cover", "simulate(..., keep=\"series\") and stock_cover on its results")
    arrays = _cover_arrays(results, by, held_by, restocked)
    labels = stock_groups(results, by=by, held_by=held_by)[0]
    n_runs, n_groups = arrays["trough_day"].shape
    units = {c.id: c.unit for c in results.scenario.network.commodities}
    unit_of = dict(zip(results.coords.stock, results.coords.commodity["stock"]))
    if by == "region":
        group_unit = ["USD"] * n_groups
    elif by in ("stock", "demand"):
        commodity_of = {label.rsplit(":", 1)[0] if by == "demand" else label: c for label, c in unit_of.items()}
        group_unit = [units[commodity_of[g]] for g in labels]
    else:
        group_unit = [units[g.split(":")[-1]] for g in labels]
    columns = {"run": np.repeat(np.arange(n_runs), n_groups), by: np.tile(np.array(labels, dtype=object), n_runs)}
    if by == "region_commodity":     # the label's parts, to select by either as with the other groupings
        parts = np.array([label.split(":", 1) for label in labels], dtype=object).reshape(-1, 2)
        columns |= {"region": np.tile(parts[:, 0], n_runs), "commodity": np.tile(parts[:, 1], n_runs)}
    table = pd.DataFrame({**columns, "unit": np.tile(np.array(group_unit, dtype=object), n_runs)})
    for name in COVER_MEASURES[1:]:
        if name == "trough_date":
            dates = np.array(results.dates, dtype="datetime64[D]")
            table[name] = dates[arrays["trough_day"].astype(int).reshape(-1)]
        else:
            table[name] = arrays[name].reshape(-1)
    return table


def stock_drawn(results: Results, *, usd: bool = False, by: StockGrouping = "region_commodity",
                held_by: Holder = "all") -> pd.DataFrame:
    """Stock drawn, ``(N - H(t_h))^+`` at the lowest stock held, per run and group, in units or USD at reference prices.

    Arguments as `stock_cover`. Regions mix units, so ``by="region"`` needs ``usd=True``.

    Returns
    -------
    DataFrame
        One row per run (index ``run``), one column per group.

    Raises
    ------
    ValidationError
        If ``by="region"`` and ``usd`` is False.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> res = simulate(stop_scenario(stop_days=5))
    >>> stock_drawn(res, by="demand").to_numpy().tolist(), stock_drawn(res, usd=True, by="region").to_numpy().tolist()
    ([[40.0]], [[1000.0, 4000.0]])
    """
    if by == "region" and not usd:
        raise fail("usd", "True when by='region' groups commodities of different units", usd, "stock_drawn")
    return _measure(results, "stock_drawn_usd" if usd else "stock_drawn", by, held_by)


def trough_cover_days(results: Results, *, by: StockGrouping = "region_commodity",
                      held_by: Holder = "all") -> pd.DataFrame:
    """Days of normal use the stock left at its trough would last, ``X(t*) / u``, per run and group.

    NaN for a group with no normal use. Arguments as `stock_cover`.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> trough_cover_days(simulate(stop_scenario(stop_days=5)), by="demand").to_numpy().tolist()
    [[6.0]]
    """
    return _measure(results, "trough_cover_days", by, held_by)


def share_left_at_trough(results: Results, *, by: StockGrouping = "region_commodity",
                         held_by: Holder = "all") -> pd.DataFrame:
    """Share of the normal stock left at the trough, ``X(t*) / N``, per run and group (NaN without one).

    Arguments as `stock_cover`.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> share_left_at_trough(simulate(stop_scenario(stop_days=8)), by="demand").to_numpy().tolist()
    [[0.3]]
    """
    return _measure(results, "share_left_at_trough", by, held_by)


def days_to_restock(results: Results, *, by: StockGrouping = "region_commodity", held_by: Holder = "all",
                    restocked: float = 0.95) -> pd.DataFrame:
    """Days from the trough until the stock is back to ``restocked`` of normal; NaN if not within the horizon.

    0 for a stock that never fell below ``restocked`` of normal. Arguments as `stock_cover`.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> res = simulate(stop_scenario(stop_days=5))
    >>> days_to_restock(res, by="demand").to_numpy().tolist(), days_to_restock(res, by="demand", restocked=0.7).to_numpy().tolist()
    ([[4.0]], [[1.0]])
    """
    return _measure(results, "days_to_restock", by, held_by, restocked)


def cover_margin_days(results: Results, *, by: StockGrouping = "region_commodity",
                      held_by: Holder = "all") -> pd.DataFrame:
    """Days of extra shock the trough stock would have absorbed at the rate it was drawn; ``inf`` if undrawn.

    ``X(t*) / rate`` with ``rate = (N - X(t*)) / (t* - t_a + 1)`` (module docstring). Arguments as
    `stock_cover`.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> cover_margin_days(simulate(stop_scenario(stop_days=5)), by="demand").to_numpy().tolist()
    [[6.0]]
    """
    return _measure(results, "cover_margin_days", by, held_by)


def days_of_cover(results: Results, *, by: StockGrouping = "region_commodity",
                  held_by: Holder = "all") -> pd.DataFrame:
    """Days of normal use the usable stock would last, ``X_g(t) / u_g``, for every run, day and group.

    The series whose minimum is `trough_cover_days`; NaN for a group with no normal use; 0 for a final
    buyer on a day its demand went short (`usable_stock`).
    Regions are valued at reference prices. Arguments as `stock_cover`.

    Returns
    -------
    DataFrame
        One row per run and date (index ``run, date``), one column per group.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import stop_scenario
    >>> cover = days_of_cover(simulate(stop_scenario(stop_days=5)), by="demand")
    >>> cover["US.ore"].to_numpy()[5:15].tolist()
    [10.0, 10.0, 9.0, 8.0, 7.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    """
    import pandas as pd

    require_daily(results, "days_of_cover", "simulate(..., keep=\"series\") and days_of_cover on its results")
    labels, matrix = stock_groups(results, by=by, held_by=held_by)
    weight = _prices(results, "stock") if by == "region" else np.ones(len(results.coords.stock))
    level = usable_stock(results) @ (matrix * weight[:, None])
    use = (_normal_use(results) * weight) @ matrix
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(use > 0, level / np.where(use > 0, use, 1.0), np.nan)
    n_runs, n_days, n_groups = cover.shape
    dates = np.array(results.dates, dtype="datetime64[ns]")
    index = pd.MultiIndex.from_product([np.arange(n_runs), dates], names=["run", "date"])
    return pd.DataFrame(cover.reshape(n_runs * n_days, n_groups), index=index, columns=pd.Index(labels, name=by))


def upstream_stocks(results: Results, commodity: str) -> tuple[str, ...]:
    """The stocks upstream of a commodity's buyers: its makers' output and input stocks and their suppliers' output.

    For a commodity ``c`` made by the facilities ``P`` (those whose output is ``c``) from the inputs ``K``
    (every commodity of their recipes): the stocks of ``c`` held by ``P`` (finished goods), the stocks of
    ``K`` held by ``P`` (for a chip packager, its die bank of wafers) and the output stocks of every facility
    making a commodity of ``K`` (the fabs' finished wafers). Goods in transit and work in progress are not
    stocks. docs/model.md §8.2 (*upstream stocks*).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import chain_stop_scenario
    >>> upstream_stocks(simulate(chain_stop_scenario(horizon_days=10)), "chip")
    ('CN.fab:wafer', 'CN.pkg:wafer', 'CN.pkg:chip')
    """
    net = results.scenario.network
    check_known(commodity, tuple(c.id for c in net.commodities), "commodity", "upstream_stocks")
    makers = [f for f in net.facilities if f.output == commodity]
    inputs = {k for f in makers for k, _ in f.recipe}
    wanted = ({(f.id, commodity) for f in makers} | {(f.id, k) for f in makers for k in inputs}
              | {(g.id, g.output) for g in net.facilities if g.output in inputs})
    return tuple(label for label in results.coords.stock if tuple(label.rsplit(":", 1)) in wanted)


def upstream_restock(results: Results, commodity: str, *, baseline: Results | None = None,
                     restocked: float = 0.95) -> pd.DataFrame:
    """How far the stocks upstream of a commodity's buyers fell below normal, and when they were back.

    Over the stocks of `upstream_stocks`, per run, the **upstream deficit** on day ``t`` is
    ``D(t) = sum_s p_s (I0_s - I_s(t))^+`` in USD at reference prices: only stocks below their normal
    level count, so goods piled up where they could not be shipped do not offset stocks drawn elsewhere.
    The stocks count as restocked on the first day, from the day of the largest deficit on, with
    ``D(t) <= (1 - restocked) x sum_s p_s I0_s``. With a daily ``baseline`` (the same scenario without its
    shocks), its deficit on the same day is taken off, ``(D(t) - D_base(t))^+`` (paired by run; the mean of
    its runs when their numbers differ): what the shock drew, not the baseline's own play.
    docs/model.md §8.2 (*upstream stocks*).

    Returns
    -------
    DataFrame
        One row per run: ``run``, ``normal_usd`` (the stocks' normal value), ``peak_deficit_usd`` and
        ``peak_day`` (the first day of the largest deficit), ``end_deficit_usd`` (on the last day) and
        ``restocked_day`` (NaN when not within the horizon; the peak day when the deficit never exceeded
        ``1 - restocked`` of normal).

    Examples
    --------
    A fab with one spare wafer a day stops for 20 days: its 200 wafers not made are drawn from its finished
    wafers (50), the packager's die bank (50) and chips (50 at $2), then 50 from the buyer's 100; after the
    stop the chain makes them back at one a day, the buyer's first (day 71), the stocks upstream last:

    >>> from supplychain import simulate
    >>> from supplychain.metrics._cover_toy import chain_stop_scenario
    >>> row = upstream_restock(simulate(chain_stop_scenario(stop_days=20, horizon_days=300)), "chip").iloc[0]
    >>> row[["normal_usd", "peak_deficit_usd", "peak_day", "restocked_day"]].astype(float).tolist()
    [200.0, 200.0, 20.0, 220.0]
    """
    import pandas as pd

    require_daily(results, "upstream_restock", "simulate(..., keep=\"series\") and upstream_restock on its results")
    restocked = check_probability(restocked, "restocked", "upstream_restock")
    chosen = set(upstream_stocks(results, commodity))
    mask = np.array([label in chosen for label in results.coords.stock])
    p = _prices(results, "stock")[mask]
    normal = results.initial_inventory[mask] * p                                  # (S,)
    held = np.asarray(results.inventory, dtype=float)[:, :, mask] * p             # (R, T, S)
    deficit = np.maximum(normal - held, 0.0).sum(axis=2)                         # (R, T)
    if baseline is not None:
        require_daily(baseline, "upstream_restock", "a daily baseline")
        base_held = np.asarray(baseline.inventory, dtype=float)[:, :, mask] * p
        base = np.maximum(normal - base_held, 0.0).sum(axis=2)
        if base.shape != deficit.shape:
            base = base.mean(axis=0, keepdims=True)
        deficit = np.maximum(deficit - base, 0.0)
    total = float(normal.sum())
    peak_day = deficit.argmax(axis=1)
    days = np.arange(deficit.shape[1])[None, :]
    back = (deficit <= (1.0 - restocked) * total * (1 + 1e-12)) & (days >= peak_day[:, None])
    restocked_day = np.where(back.any(axis=1), back.argmax(axis=1), np.nan)
    runs = np.arange(deficit.shape[0])
    return pd.DataFrame({"run": runs, "normal_usd": total, "peak_deficit_usd": deficit[runs, peak_day],
                         "peak_day": peak_day, "end_deficit_usd": deficit[:, -1], "restocked_day": restocked_day})
