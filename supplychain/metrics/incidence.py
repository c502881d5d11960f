"""Who pays: tariff incidence, buyers' extra cost, scarcity rents and the value of what was not delivered.

Pure functions of `Results` (docs/model.md §8.2, #derived):

* `gsim_incidence`: the split of a small ad-valorem tariff between the
  importer and the exporter from the import-demand and export-supply
  elasticities, the partial-equilibrium formula of GSIM (Francois, J. & Hall,
  H. K. (2003), *Global Simulation Analysis of Industry-Level Trade Policy*,
  version 3.0, World Bank/WITS): the importer's price rises by
  ``E_x / (E_x - E_m)`` of the tariff and the exporter's falls by
  ``-E_m / (E_x - E_m)`` of it. The own-price import demand elasticity of one
  source with import share ``theta`` is ``theta E_m - (1 - theta) sigma``
  (composite demand elasticity ``E_m``, substitution elasticity ``sigma``;
  Francois & Hall 2003, eq. 6; Jammes, O. & Olarreaga, M. (2005),
  *Explaining SMART and GSIM*, World Bank).
* `who_pays`: per region, in USD over the horizon (mean over runs):
  ``final_buyer_cost_increase_usd`` (what final buyers, the consumer stocks
  of final demand, pay on what they received above the reference price and
  the tariffs in force at the start), ``intermediate_buyer_cost_increase_usd``
  (the same for modelled producers buying inputs: a cost that passes into
  their output's price, so it is not to be added to the final buyers'),
  ``buyer_cost_increase_usd`` (the two summed over every lane, kept for
  compatibility: it counts an input's rise again in what is made from it),
  ``tariff_paid_usd``
  (rate times reference price times units shipped, docs/model.md §6.4.2: the
  figure of `supplychain.analytics.compare.tariff_paid`) split into
  ``tariff_paid_by_importer_usd`` and
  ``tariff_paid_by_exporter_usd``, ``scarcity_rent_usd`` of producing regions
  (price change times quantity sold, negative when prices fall; gross: it
  includes input-cost rises passed on), ``scarcity_rent_net_of_inputs_usd``
  (that less the producing region's facilities' landed input-cost rises,
  duties included; summed over regions and added to the tariffs collected it
  equals the final buyers' cost increase),
  ``deliveries_lost_usd`` (value at the reference price of final demand never
  delivered) and ``demand_destroyed_usd`` (final demand given up because the
  landed price, market price times the tariff factor of docs/model.md §5.9,
  rose, at the reference price; negative where it fell; 0 without
  ``Scenario.price_feedback``). A fall in spending because goods were not
  delivered is never netted against costs: it is reported as value not
  delivered. The producers' side: ``sales_lost_usd`` (what a region's
  producers shipped below their steady flow, docs/model.md §4.1, at reference
  prices, over the horizon; negative when they sold more),
  ``sales_lost_net_of_inputs_usd`` (that less the inputs its producers did not
  buy; summed over regions it is the final buyers' purchases lost),
  ``producer_stock_drawn_usd`` (the fall, at reference prices, of its
  producers' stocks from the start (or the baseline's) to the last day: inputs
  and output on hand, inputs in transit to them, work in progress),
  ``output_lost_net_of_inputs_used_usd`` (the two summed: output lost net of
  the inputs it would have used, production times the unit margin at
  reference prices, so inputs not bought because a plant drew its stocks are
  not a saving) and ``producer_margin_change_usd`` (net rents less that: what
  a region's producers gained or, negative, lost, at the chain's own margins).
  A region whose output stops earns a rent on what it still sells and loses
  far more on what it does not: the rent alone would make it the winner.
  Buyers pay each lane's origin market price, or, on a lane and day where an
  export control holds exports back (`binding_controls`: a ban, a licence
  that can deny, a quota filled), the export offer: the exporter earns the
  difference as its licence rent. A licence every applicant gets only delays
  and earns none. ``exporter_rent_lost_usd`` (positive) is the part of the producing
  region's rent lost by selling below the reference price, price fall times
  quantity sold: a mineral exporter whose buyers abroad are cut off by a ban,
  licensing or a tariff cuts its price (docs/model.md §5.9, lost sales), so
  its ``scarcity_rent_usd`` is its rises' gains less this loss.

Export supply is horizontal by default (``export_supply_elasticity=inf``): the
foreign export supply curves faced by the United States in 2018 were
estimated to be horizontal, so the tariffs passed through completely to
duty-inclusive import prices (Fajgelbaum, P., Goldberg, P., Kennedy, P. &
Khandelwal, A. (2020), "The return to protectionism", *QJE* 135(1): 1-55;
Amiti, M., Redding, S. & Weinstein, D. (2019), "The impact of the 2018
tariffs on prices and welfare", *JEP* 33(4): 187-210).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from .._validation import fail
from ..compile.compiler import STOCK_CONSUMER, compile_scenario
from ..compile.rules.trade import restricts_quantity
from ..compile.select import commodity_mask
from ..errors import SimulationWarning
from ..model.prices import price_params
from ..model.shocks.trade import ExportControl
from ..results.daily import require_daily
from ..results.series import Results
from .pairing import warn_if_reversed
from .price_bounds import PINNED_DAYS, format_prices_at_bounds, prices_at_bounds

__all__ = [
    "WHO_PAYS_MEASURES",
    "paid_price_index",
    "gsim_incidence",
    "landed_cost_increase_usd",
    "own_price_import_elasticity",
    "binding_controls",
    "restricts_quantity",
    "who_pays",
    "export_supply_note",
]


def export_supply_note(export_supply_elasticity: float | dict[str, float] = math.inf, *, short: bool = False) -> str:
    """The line under every who-pays table and plot: how the tariff was split between importer and exporter.

    With the default, horizontal export supply, the exporter's part is 0 by assumption, not by result:
    the line says so and why (the evidence on the 2018 US tariffs), so that a reader does not take
    "tariff (exporter) $0" for a finding. ``short`` gives the plot's one-line form.

    Examples
    --------
    >>> print(export_supply_note(short=True))
    importers bear the whole tariff by assumption: export supply horizontal
    (2018 US tariffs: Amiti et al. 2019, Fajgelbaum et al. 2020)
    >>> print(export_supply_note({"ndfeb_magnet": 2.0}))  # doctest: +ELLIPSIS
    Tariff split between importer and exporter by GSIM with export supply elasticities ndfeb_magnet 2 (others inf) ...
    """
    if isinstance(export_supply_elasticity, dict):
        given = ", ".join(f"{k} {v:g}" for k, v in sorted(export_supply_elasticity.items()))
        finite = f"export supply elasticities {given} (others inf)"
    elif math.isinf(export_supply_elasticity):
        if short:
            return ("importers bear the whole tariff by assumption: export supply horizontal\n"
                    "(2018 US tariffs: Amiti et al. 2019, Fajgelbaum et al. 2020)")
        return ("Tariff (exporter) is $0 by assumption, not by result: export supply is horizontal "
                "(export_supply_elasticity=inf), so importers bear the whole duty, as the 2018 US tariffs passed "
                "through almost completely to duty-inclusive import prices (Amiti, Redding & Weinstein 2019, JEP "
                "33(4): 187-210; Fajgelbaum, Goldberg, Kennedy & Khandelwal 2020, QJE 135(1): 1-55, who estimate "
                "horizontal foreign export supply); give who_pays(..., export_supply_elasticity=E) for a finite "
                "split (GSIM).")
    else:
        finite = f"export supply elasticity {export_supply_elasticity:g}"
    if short:
        return f"tariff split by GSIM, {finite}"
    return (f"Tariff split between importer and exporter by GSIM with {finite} (Francois & Hall 2003); the "
            "2018 US tariffs passed through almost completely to import prices (Amiti, Redding & Weinstein 2019; "
            "Fajgelbaum et al. 2020), which the default, inf, assumes.")

#: What a summary ensemble offers instead of `who_pays`, which needs daily flows and prices.
WHO_PAYS_INSTEAD = 'e.band("price_index", region) for the price bands and e.summary() for the shortfalls'

#: Measures of `who_pays`, in waterfall order.
WHO_PAYS_MEASURES = ("buyer_cost_increase_usd", "tariff_paid_usd", "tariff_paid_by_importer_usd",
                     "tariff_paid_by_exporter_usd", "scarcity_rent_usd", "deliveries_lost_usd",
                     "demand_destroyed_usd", "final_buyer_cost_increase_usd",
                     "intermediate_buyer_cost_increase_usd", "scarcity_rent_net_of_inputs_usd",
                     "sales_lost_usd", "sales_lost_net_of_inputs_usd", "producer_stock_drawn_usd",
                     "output_lost_net_of_inputs_used_usd", "producer_margin_change_usd", "exporter_rent_lost_usd")


def gsim_incidence(import_demand_elasticity: float, export_supply_elasticity: float) -> tuple[float, float]:
    """Shares of a small tariff borne by the importer and by the exporter (GSIM, Francois & Hall 2003).

    Parameters
    ----------
    import_demand_elasticity : float
        Own-price elasticity of import demand for the source, ``E_m <= 0``.
    export_supply_elasticity : float
        Elasticity of the source's export supply, ``E_x >= 0`` (``inf``:
        horizontal supply).

    Returns
    -------
    (float, float)
        ``(E_x / (E_x - E_m), -E_m / (E_x - E_m))``; the first is the
        pass-through of the tariff to the duty-inclusive import price.

    Examples
    --------
    >>> gsim_incidence(-2.0, 2.0)
    (0.5, 0.5)
    >>> gsim_incidence(-2.53, math.inf)
    (1.0, 0.0)
    >>> gsim_incidence(-3.0, 1.0)
    (0.25, 0.75)
    """
    e_m, e_x = float(import_demand_elasticity), float(export_supply_elasticity)
    if not (e_m <= 0 and not math.isnan(e_m)):
        raise fail("import_demand_elasticity", "<= 0", import_demand_elasticity, "gsim_incidence")
    if not (e_x >= 0 and not math.isnan(e_x)):
        raise fail("export_supply_elasticity", ">= 0 (inf allowed)", export_supply_elasticity, "gsim_incidence")
    if e_x == 0 and e_m == 0:
        raise fail("import_demand_elasticity", "< 0 when export_supply_elasticity is 0", e_m, "gsim_incidence")
    if math.isinf(e_x) and math.isinf(e_m):
        raise fail("import_demand_elasticity", "finite when export_supply_elasticity is inf", e_m, "gsim_incidence")
    if math.isinf(e_x):
        return 1.0, 0.0
    if math.isinf(e_m):
        return 0.0, 1.0
    return e_x / (e_x - e_m), -e_m / (e_x - e_m)


def own_price_import_elasticity(share: float, composite_elasticity: float, substitution: float) -> float:
    """Own-price import demand elasticity of one source: ``theta E_m - (1 - theta) sigma`` (GSIM).

    Examples
    --------
    >>> own_price_import_elasticity(1.0, -0.5, 2.0)     # the only source: the composite elasticity
    -0.5
    >>> round(own_price_import_elasticity(0.2, -0.5, 2.53), 3)
    -2.124
    """
    return share * composite_elasticity - (1.0 - share) * substitution


def paid_price_index(results: Results) -> np.ndarray:
    """The scarcity price index a lane's buyer pays on each day, ``(n_runs, n_days, n_lanes)``.

    The origin market's index (docs/model.md §5.9), except on a lane and day where an export control holds
    exports back (`binding_controls`: a ban's leakage route, a licence regime that can deny, a quota filled in
    its period), where it is the **export offer**, the higher of the exporter's and the buyer's market index:
    the goods that still leave are sold at the price abroad, and the difference is the rent of the exporting
    region's licence holders (§8.2, who pays). A licence every application gets only delays exports: buyers
    pay the origin's index and the exporter earns no licence rent (`restricts_quantity`). The engines' sourcing
    tilt reads the offer on the same set B(t) (§5.9, sourcing), a quota's lanes there from the day after its
    period's quota is used up (what an engine knows on the day), here over the whole period it fills; this is
    the price paid, a measure. Times
    the lane's reference price it is the price paid per unit before duty and freight: what `who_pays` charges
    buyers and credits exporters, and what `supplychain.analytics.landed_cost` lands. 1 where no price was
    recorded.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import ExportControl
    >>> sc = toy_scenario(40).with_shocks(ExportControl(exporter="CN", commodity="ore", mode="licence",
    ...                                                   approval_probability=0.5, start=5))
    >>> r = simulate(sc, engine="vector", seed=0)
    >>> r.coords.lane[0], r.coords.stock[0], r.coords.stock[2]
    ('CN.mine>KR.cells', 'CN.mine:ore', 'KR.cells:ore')
    >>> origin, buyer = r.values("price")[0, -1, [0, 2]] / 100.0     # ore's reference price is 100
    >>> bool(buyer > origin), bool(paid_price_index(r)[0, -1, 0] == buyer)
    (True, True)
    """
    c = compile_scenario(results.scenario)
    price = results.arrays.get("price")
    if price is None:
        return np.ones((results.n_runs, results.n_days, c.n_lanes))
    spec = c.schedules.extras["prices"]
    ref = np.asarray(spec.stock_price, dtype=float)
    index = price / np.where(ref > 0, ref, 1.0)                 # (R, T, S)
    paid: np.ndarray = index[:, :, c.lane_src_stock]
    buyer = index[:, :, np.asarray(c.buyer_stock, dtype=np.intp)[c.lane_buyer]]
    binds = binding_controls(results)                           # (R, T, L) bool
    return np.where(binds, np.maximum(paid, buyer), paid)


def _control_lane_mask(results: Results, shock: ExportControl) -> np.ndarray:
    """(L,) bool: the lanes ``shock`` covers, as the compiler selects them (its exporter's lanes abroad)."""
    pairs = [r.split(">", 1) for r in results.coords.region["lane"]]
    src = np.array([a for a, _ in pairs])
    dst = np.array([b for _, b in pairs])
    mask = (src == shock.exporter) & (dst != shock.exporter)
    mask &= commodity_mask(np.asarray(results.coords.commodity["lane"]), shock.commodity)
    if shock.destinations is not None:
        mask &= np.isin(dst, shock.destinations)
    if shock.except_destinations is not None:
        mask &= ~np.isin(dst, shock.except_destinations)
    return mask


def binding_controls(results: Results) -> np.ndarray:
    """(R, T, L) bool: the lane is under an export control that holds exports back on the day.

    The days of a ban, and of a licence regime that can deny (`restricts_quantity`), in force; for a quota, the
    days of each of its periods in which the covered lanes shipped the whole quota (within 1e-9 of it, per run):
    a quota that is not filled holds nothing back (the engines' tilt, which cannot know on a period's first days
    whether it will fill, reads the offer from the day after the quota is used up: docs/model.md §5.9, the set
    B(t)). On these lanes and days buyers pay the export offer, the
    higher of the exporter's and their own market's index, and the exporter earns the difference as the rent of
    the licence or quota (docs/model.md §8.2, who pays); elsewhere they pay the origin market's index.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> sc = toy_scenario(40)
    >>> delay = sc.with_shocks(ExportControl(exporter="CN", commodity="ore", mode="licence", start=5))
    >>> bool(binding_controls(simulate(delay, engine="vector", seed=0)).any())     # every application approved
    False
    >>> deny = sc.with_shocks(ExportControl(exporter="CN", commodity="ore", mode="licence",
    ...                                     approval_probability=0.5, start=5))
    >>> b = binding_controls(simulate(deny, engine="vector", seed=0))
    >>> bool(b[0, 4, 0]), bool(b[0, 5:, 0].all()), bool(b[0, :, 1].any())            # from day 5, CN's lane only
    (False, True, False)
    """
    n_runs, n_days = results.n_runs, results.n_days
    out = np.zeros((n_runs, n_days, len(results.coords.lane)), dtype=bool)
    start_date = results.scenario.start_date
    for shock in (*results.scenario.shocks, *results.scenario.responses):
        if not isinstance(shock, ExportControl):
            continue
        first, stop = shock.window(start_date, n_days)
        lanes = np.flatnonzero(_control_lane_mask(results, shock))
        if stop <= first or not len(lanes):
            continue
        if shock.mode != "quota":
            if restricts_quantity(shock):
                out[:, first:stop, lanes] = True
            continue
        shipped = results.flow[:, :, lanes].sum(axis=2)         # (R, T)
        quota = float(shock.quota_per_period)  # type: ignore[arg-type]
        anchor, period = shock.start_day(start_date), int(shock.period_days)
        k = (first - anchor) // period
        while anchor + k * period < stop:
            a, b = max(anchor + k * period, first), min(anchor + (k + 1) * period, stop)
            filled = shipped[:, a:b].sum(axis=1) >= quota * (1.0 - 1e-9) - 1e-9   # (R,)
            out[np.ix_(np.flatnonzero(filled), np.arange(a, b), lanes)] = True
            k += 1
    return out


def _lane_terms(results: Results, export_supply_elasticity: float | dict[str, float]):  # type: ignore[no-untyped-def]
    """Per-lane, per-run USD totals: tariff paid, importer/exporter parts, buyer cost increase, rents."""
    c = compile_scenario(results.scenario)
    net = results.scenario.network
    commodities = {k.id: k for k in net.commodities}
    flow = results.flow                                         # (R, T, L)
    n_days = flow.shape[1]
    days = np.minimum(np.arange(n_days), c.schedules.tariff.shape[0] - 1)
    tau = np.asarray(c.schedules.tariff, dtype=float)[days]     # (T, L)
    base = compile_scenario(results.scenario.without_shocks())
    tau0 = np.asarray(base.schedules.tariff, dtype=float)[0]    # (L,) tariffs in force at the start
    origin_index = paid_price_index(results)                    # (R, T, L): origin's, or the export offer
    p = c.lane_price
    tariff = (flow * tau * p).sum(axis=1)                       # (R, L) on the reference price, §6.4.2
    cost_increase = (flow * p * (origin_index * (1.0 + tau) - (1.0 + tau0))).sum(axis=1)
    rent = (flow * p * (origin_index - 1.0)).sum(axis=1)
    rent_lost = (flow * p * np.maximum(1.0 - origin_index, 0.0)).sum(axis=1)
    shares = np.asarray(c.schedules.share[0], dtype=float)
    importer_share = np.ones(c.n_lanes)
    lane_commodity = results.coords.commodity["lane"]
    for l in range(c.n_lanes):
        k = commodities[lane_commodity[l]]
        e_x = (export_supply_elasticity.get(k.id, math.inf) if isinstance(export_supply_elasticity, dict)
               else export_supply_elasticity)
        e_own = own_price_import_elasticity(float(shares[l]), price_params(k.chain, k.id).demand_elasticity,
                                           k.elasticity)
        importer_share[l] = gsim_incidence(min(e_own, 0.0), e_x)[0] if (e_own < 0 or e_x > 0) else 1.0
    return (tariff, tariff * importer_share, tariff * (1.0 - importer_share), cost_increase, rent, rent_lost,
            _final_lanes(c))


def _final_lanes(c) -> np.ndarray:  # type: ignore[no-untyped-def]
    """(L,) bool: the lane delivers to a consumer stock of final demand (else to a producer's input stock)."""
    final_stock = np.zeros(c.n_stocks, dtype=bool)
    final_stock[np.asarray(c.demand_stock, dtype=np.intp)] = True
    out: np.ndarray = final_stock[np.asarray(c.buyer_stock, dtype=np.intp)[c.lane_buyer]]
    return out


def _demand_terms(results: Results) -> tuple[np.ndarray, np.ndarray]:
    """Per-demand, per-run USD: value never delivered, and demand given up because prices rose."""
    c = compile_scenario(results.scenario)
    spec = c.schedules.extras["prices"]
    ref = spec.stock_price[c.demand_stock]
    demand, delivered = results.demand, results.delivered
    lost = np.maximum(demand.sum(axis=1) - delivered.sum(axis=1), 0.0) * ref
    if not results.scenario.price_feedback:  # prices did not act on demand: nothing was given up to them
        return lost, np.zeros_like(lost)
    index = results.values("price")[:, :, c.demand_stock] / ref
    if spec.demand_basket is not None:
        # The buyer's price is landed: the day's tariffs on its baseline basket (docs/model.md §5.9).
        n_days = index.shape[1]
        days = np.minimum(np.arange(n_days), c.schedules.tariff.shape[0] - 1)
        tau = np.asarray(c.schedules.tariff, dtype=float)[days]
        landed = np.asarray(spec.demand_basket @ (spec.landed_price * (1.0 + tau) + spec.landed_freight).T).T
        base = spec.demand_base_cost
        index = index * np.where(base > 0, landed / np.where(base > 0, base, 1.0), 1.0)
    destroyed = (demand * (index ** -spec.demand_elasticity - 1.0)).sum(axis=1) * ref
    return lost, destroyed


def who_pays(results: Results, *, baseline: Results | None = None,
             export_supply_elasticity: float | dict[str, float] = math.inf) -> pd.DataFrame:
    """Who pays for a shock, by region: USD over the horizon, mean over runs.

    By default the importer pays every tariff: export supply is taken as horizontal
    (``export_supply_elasticity=inf``), so ``tariff_paid_by_exporter_usd`` is 0 by assumption, not a
    finding. That is the evidence for the 2018 US tariffs (near-complete pass-through to duty-inclusive
    import prices: Amiti, Redding & Weinstein 2019, *JEP* 33(4); Fajgelbaum et al. 2020, *QJE* 135(1));
    give a finite ``export_supply_elasticity`` for a GSIM split. The table's ``attrs`` keep the value,
    and `supplychain.cli.format_who_pays` and `supplychain.plotting.plot_who_pays` print it
    (`export_supply_note`).

    Parameters
    ----------
    results : Results
        Daily results (their ``flow``, ``price``, ``demand`` and ``delivered``).
    baseline : Results, optional
        The unshocked runs, as for the other measures (paired: same seed and
        number of runs). Every measure is then the results' less the
        baseline's: ``tariff_paid_usd`` is the change in tariff paid (rate x
        reference price x units shipped, docs/model.md §6.4.2), the figure
        `supplychain.analytics.compare.compare` reports, rather than the
        gross duty over the horizon, and a baseline's own shortfalls and
        sales below the steady flow are not charged to the shock.
    export_supply_elasticity : float or dict of str to float
        ``E_x`` of every exporter (or per commodity id; missing ones are
        ``inf``) for the GSIM split of tariffs (`gsim_incidence`).

    Returns
    -------
    DataFrame
        Index: regions (sorted). Columns: `WHO_PAYS_MEASURES`. Tariffs
        and the importer's part are booked to the importing region, the
        exporter's part and scarcity rents to the exporting (producing)
        region, buyer cost to the buying region, lost and destroyed demand to
        the demand's region. What the economy pays is the final buyers' cost
        (``final_buyer_cost_increase_usd``); the intermediate buyers' cost is
        passed on in their output's price, so ``buyer_cost_increase_usd``
        (every lane) counts a rise once per stage it passes. The regions'
        ``scarcity_rent_net_of_inputs_usd`` plus the duty added
        (``buyer_cost_increase_usd - scarcity_rent_usd``, summed: the rates
        above those in force at the start, on what was shipped, at the prices
        paid) equal the final buyers' cost. The duty added is not
        ``tariff_paid_usd``, which is the whole duty (or, against a
        ``baseline``, its change, which also counts the duty no longer paid on
        trade that moved away from the taxed lanes). ``output_lost_net_of_inputs_used_usd``, summed over
        regions, is the final buyers' purchases lost plus the producers' stocks drawn; a region's is the fall
        in its production times the unit margin at reference prices. ``attrs``: ``export_supply_elasticity``,
        ``price_feedback`` (False: the prices acted on no quantity, and `supplychain.cli.format_who_pays` says
        so) and ``against_record`` (the scenario's known misfit to the record, printed under the table).

    Warns
    -----
    SimulationWarning
        When a market's price index sat at its cap or floor for more than
        `PINNED_DAYS` days
        (`prices_at_bounds`): the price-derived
        measures are then bounds of a saturated reduced form, not estimates.

    Examples
    --------
    >>> import numpy as np
    >>> import supplychain as sc
    >>> from supplychain.analytics.compare import tariff_paid
    >>> base = sc.load_baseline(horizon_days=30)
    >>> duty = sc.Tariff(importer="US", exporter="CN", commodity="ndfeb_magnet", rate=0.25, start=10)
    >>> shocked = sc.simulate(base.with_shocks(duty), engine="vector", seed=1)
    >>> unshocked = sc.simulate(base, engine="vector", seed=1)
    >>> t = who_pays(shocked)
    >>> bool(t.loc["US", "tariff_paid_usd"] > 0), float(t.loc["CN", "tariff_paid_by_exporter_usd"])
    (True, 0.0)

    Against the unshocked runs, the tariff columns are the change in tariff paid, as in ``compare``:

    >>> change = who_pays(shocked, baseline=unshocked)["tariff_paid_usd"].sum()
    >>> bool(np.isclose(change, (tariff_paid(shocked) - tariff_paid(unshocked)).mean()))
    True
    """
    return who_pays_for("who_pays", results, baseline, export_supply_elasticity)


def who_pays_for(call: str, results: Results, baseline: Results | None = None,
                 export_supply_elasticity: float | dict[str, float] = math.inf) -> pd.DataFrame:
    """`who_pays` for the public function ``call``, which its errors and warnings name.

    ``call`` is the function the user called (``plot_who_pays`` draws this table), called directly
    by it: the warnings point at the user's line, two frames up.
    """
    require_daily(results, call, WHO_PAYS_INSTEAD)
    if baseline is not None:
        _check_baseline(results, baseline, call)
        warn_if_reversed(results, baseline, call, stacklevel=4)
    pinned = format_prices_at_bounds(prices_at_bounds(results), min_days=PINNED_DAYS)
    if pinned:
        warnings.warn(f"{call}: {pinned}", SimulationWarning, stacklevel=3)
    tariff, importer_part, exporter_part, cost, rent, rent_lost, final = _lane_terms(results,
                                                                                   export_supply_elasticity)
    sales_lost = _sales_lost(results)
    lost, destroyed = _demand_terms(results)
    pairs = [r.split(">", 1) for r in results.coords.region["lane"]]
    exporter = [a for a, _ in pairs]
    importer = [b for _, b in pairs]
    regions = sorted({r.id for r in results.scenario.network.regions})
    table = pd.DataFrame(0.0, index=pd.Index(regions, name="region"), columns=list(WHO_PAYS_MEASURES))

    def book(measure: str, values: np.ndarray, where: list[str]) -> None:
        sums = pd.Series(values.mean(axis=0), index=where).groupby(level=0).sum()
        table.loc[sums.index, measure] += sums.to_numpy()

    book("buyer_cost_increase_usd", cost, importer)
    book("tariff_paid_usd", tariff, importer)
    book("tariff_paid_by_importer_usd", importer_part, importer)
    book("tariff_paid_by_exporter_usd", exporter_part, exporter)
    book("scarcity_rent_usd", rent, exporter)
    # Sellers whose buyers abroad are cut off sell below the reference (docs/model.md §5.9, lost sales): the
    # exporter's lost rent, counted apart so a negative net rent is not read as a buyers' gain.
    book("exporter_rent_lost_usd", rent_lost, exporter)
    book("final_buyer_cost_increase_usd", np.where(final, cost, 0.0), importer)
    book("intermediate_buyer_cost_increase_usd", np.where(final, 0.0, cost), importer)
    # A producer's rent net of what its region's producers paid more for their inputs, at the origin price:
    # over all regions the intermediate rents cancel and what is left is the final buyers' price premium.
    # Duties on inputs are part of the landed input cost, which output prices pass on by cost share
    # (docs/model.md §5.9): the net rent takes off the whole landed-cost rise, so net rents plus tariffs
    # sum to the final cost.
    book("scarcity_rent_net_of_inputs_usd", rent, exporter)
    book("scarcity_rent_net_of_inputs_usd", -np.where(final, 0.0, cost), importer)
    demand_region = list(results.coords.region["demand"])
    book("deliveries_lost_usd", lost, demand_region)
    book("demand_destroyed_usd", destroyed, demand_region)
    # Producers' sales lost, net of the inputs they did not buy, as the rents are net of input-price rises:
    # over all regions the intermediate sales cancel and what is left is the final buyers' purchases lost.
    book("sales_lost_usd", sales_lost, exporter)
    book("sales_lost_net_of_inputs_usd", sales_lost, exporter)
    book("sales_lost_net_of_inputs_usd", -np.where(final, 0.0, sales_lost), importer)
    # Inputs bought are not inputs used: a producer that draws its stocks buys less without saving anything
    # (issue 12). Its stocks' fall, at reference prices, turns the sales net of inputs bought into its output net
    # of the inputs it used (docs/model.md §8.2, who pays; the national accounts' output and intermediate
    # consumption, System of National Accounts 2008, ch. 6).
    for values, where in _stock_drawn(results):
        book("producer_stock_drawn_usd", values, where)
    table["output_lost_net_of_inputs_used_usd"] = (table["sales_lost_net_of_inputs_usd"]
                                                   + table["producer_stock_drawn_usd"])
    table["producer_margin_change_usd"] = (table["scarcity_rent_net_of_inputs_usd"]
                                           - table["output_lost_net_of_inputs_used_usd"])
    if baseline is not None:
        with warnings.catch_warnings():  # the baseline's own pinned prices are not this shock's
            warnings.simplefilter("ignore", SimulationWarning)
            table -= who_pays_for(call, baseline, None, export_supply_elasticity)
    table.attrs["export_supply_elasticity"] = export_supply_elasticity  # the note under tables and plots says it
    # With price feedback off the prices acted on no quantity: the money columns value what happened at prices
    # nobody reacted to. `supplychain.cli.format_who_pays` says so, and a scenario's known misfit to the record.
    table.attrs["price_feedback"] = bool(results.scenario.price_feedback)
    table.attrs["against_record"] = results.scenario.against_record
    return table


def _check_baseline(results: Results, baseline: Results, call: str) -> None:
    """Refuse a baseline that cannot be subtracted from ``results``: summaries, other regions or run counts."""
    require_daily(baseline, call, WHO_PAYS_INSTEAD)
    if baseline.n_runs != results.n_runs:
        raise fail("baseline", f"the same number of runs as results ({results.n_runs}, paired)", baseline.n_runs,
                   call)
    regions = sorted({r.id for r in results.scenario.network.regions})
    if sorted({r.id for r in baseline.scenario.network.regions}) != regions:
        raise fail("baseline", f"results on the same regions ({', '.join(regions)})", baseline.scenario.name,
                   call)


def _sales_lost(results: Results) -> np.ndarray:
    """Per-run, per-lane USD at reference prices: the lane's steady flow over the horizon less what it carried."""
    c = compile_scenario(results.scenario.without_shocks())
    steady = np.array([c.steady.flow.get(lane, 0.0) for lane in c.lane_ids])
    flow = results.flow                                         # (R, T, L)
    out: np.ndarray = (steady * flow.shape[1] - flow.sum(axis=1)) * c.lane_price
    return out


def _stock_drawn(results: Results) -> list[tuple[np.ndarray, list[str]]]:
    """Per-run USD at reference prices by which producers' stocks fell from the start to the last day.

    ``(values (R, n), regions)`` pairs, booked to the producers' region: the plants' input and output stocks on
    hand, their work in progress (at the output's price) and the inputs in transit to them (bought when shipped,
    as `_sales_lost` counts them). Consumer stocks of final demand are the final buyers', not the producers'.
    Negative where the stocks rose.
    """
    c = compile_scenario(results.scenario)
    co = results.coords
    price = {k.id: k.price_usd for k in results.scenario.network.commodities}
    producers = np.asarray(c.stock_kind) != STOCK_CONSUMER
    stock_price = np.array([price[k] for k in co.commodity["stock"]])
    on_hand = (results.initial_inventory[None, :] - results.arrays["inventory"][:, -1, :]) * stock_price
    out = [(on_hand[:, producers], [r for r, keep in zip(co.region["stock"], producers) if keep])]
    to_plants = ~np.isin(np.asarray(c.lane_dst_stock), np.asarray(c.demand_stock))
    transit = (results.initial_in_transit[None, :] - results.arrays["in_transit"][:, -1, :]) * c.lane_price
    out.append((transit[:, to_plants], [r.split(">", 1)[1] for r, keep in zip(co.region["lane"], to_plants) if keep]))
    if "wip" in results.arrays:
        wip_price = np.array([price[k] for k in co.commodity["facility"]])
        wip = (np.asarray(c.initial_wip, dtype=float)[None, :] - results.arrays["wip"][:, -1, :]) * wip_price
        out.append((wip, list(co.region["facility"])))
    return out


def landed_cost_increase_usd(results: Results, *, importer: str) -> float:
    """Extra landed cost paid by buyers in ``importer`` over the horizon (mean over runs), in USD.

    The ``buyer_cost_increase_usd`` of `who_pays` for one region: units
    received times (price paid x (1 + tariff) minus reference price x (1 +
    tariffs in force at the start)); the price paid is the origin's, or the
    export offer where a control holds exports back (`paid_price_index`).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import toy_scenario
    >>> landed_cost_increase_usd(simulate(toy_scenario(20)), importer="KR")
    0.0
    """
    require_daily(results, "landed_cost_increase_usd", WHO_PAYS_INSTEAD)
    return float(who_pays(results).loc[importer, "buyer_cost_increase_usd"])
