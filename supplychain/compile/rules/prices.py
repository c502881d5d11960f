"""The scarcity-price markets of a scenario: which stocks and suppliers make up each market, and their parameters.

A market is a commodity in a region. `price_spec` (a finishing step)
stores a `PriceSpec` in ``Compiled.schedules.extras["prices"]``: the
market of every stock, the buyers' normal stock just after arrivals, the
suppliers' normal rate, each market's normal flow, the input-cost shares
that pass input prices into output prices (recipes times reference
prices), each market's parameters (by the chain of its commodity,
`supplychain.model.prices.PRICE_DEFAULTS`), each lane's origin market
and switching lag, and each demand's baseline basket for its landed-cost
factor under tariffs. The daily rule is `supplychain.engines.prices.apply`.

Implements docs/model.md §5.9 (prices): markets, normal levels and cost shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ...model import ExportControl
from ...model.prices import (
    CHIP_UTILISATION_2019,
    RESTOCKING_DAYS,
    SALES_DAYS,
    UTILISATION_STAGES,
    PriceParams,
    price_params,
    sheds_output,
)
from ...model.prices import sales_band as sales_band_of
from ...model.shocks import SWITCHING_LAG_DAYS
from ..schedules import ScheduleBuilder
from ..select import index
from .trade import _control_lanes, restricts_quantity

__all__ = ["NEUTRAL_TOLERANCE", "RESTOCKING_DAYS", "SALES_DAYS", "PriceSpec", "control_bound", "price_spec",
           "quota_bound"]

#: Distance from 0 within which a market's gap counts as 0 (the scarcity part of the target stays at 1).
NEUTRAL_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class PriceSpec:
    """Markets and parameters of the price rule (``M`` markets).

    ``labels`` are ``(commodity, region)`` in order of first appearance in the
    stock order. Sparse matrices sum runs-last or runs-first arrays per market.
    """

    labels: tuple[tuple[str, str], ...]
    feedback: bool               # prices act on demand and sourcing shares (Scenario.price_feedback)
    stock_market: np.ndarray     # (S,) market of each stock
    stock_price: np.ndarray      # (S,) reference price of each stock's commodity, USD/unit
    buyer_market: np.ndarray     # (B,) market of each buyer
    seller_market: np.ndarray    # (F,) market of each facility's output
    sum_buyers: sparse.csr_matrix   # (M, B) sums buyers per market (see engines.sums.sum_into)
    sum_sellers: sparse.csr_matrix  # (M, F) sums facilities per market
    normal_stock: np.ndarray     # (M,) sum of buyers' normal stock just after arrivals
    buffer: np.ndarray           # (M,) buffer share times normal stock: the draw below normal that is no gap
    buffers: bool                # some market has a buffer
    target_extra: np.ndarray | None  # (T or 1, M) stock buyers plan above normal (front-loading, safety stock)
    buyer_normal: np.ndarray     # (B,) each buyer's normal stock just after arrivals
    buyer_buffer: np.ndarray     # (B,) each buyer's buffer: buffer share times normal stock (final buyers: at most
    #                              their normal stock above the working days of their inflow)
    buyer_extra: np.ndarray | None  # (T or 1, B) stock each buyer plans above normal (None when none does)
    normal_rate: np.ndarray      # (M,) sum of suppliers' steady flow out
    normal_seller: np.ndarray    # (F,) each supplier's steady flow out
    lane_weight: np.ndarray      # (L,) lane's steady flow over its supplier's (0 for a supplier without flow)
    short_days: np.ndarray | None  # (T, F) days the scheduled capacity stays below the normal rate (0: not below)
    gap_scale: np.ndarray        # (M,) 1 / normal flow (buyers' steady inflow + sellers' steady outflow), 0 if none
    pass_through: sparse.csr_matrix  # (M, M) input-cost share of market m' in the output price of market m
    passes: bool                 # some market has an input-cost share
    sum_entries: sparse.csr_matrix  # (M, E) sums the cost-share entries of each output market
    input_basket: sparse.csr_matrix | None  # (E, L) steady flows of the lanes into each cost share's input stocks
    input_base_cost: np.ndarray | None      # (E,) the basket's landed cost at the tariffs in force at the start
    tariff_start: np.ndarray | None         # (L,) tariffs in force at the start (None without a tariff)
    demand_basket: sparse.csr_matrix | None  # (D, L) steady flow of each lane into the demand's stock (tariffs)
    demand_base_cost: np.ndarray | None      # (D,) the basket's landed cost at the tariffs in force at the start
    landed_price: np.ndarray     # (L,) reference price of each lane's commodity (Compiled.lane_price)
    landed_freight: np.ndarray   # (L,) freight per unit (Compiled.lane_freight)
    priced: np.ndarray           # (M,) bool: the clearing exponent is > 0 (else no scarcity part)
    exponent: np.ndarray         # (M,) supply minus demand elasticity (0: fixed price)
    adjustment_days: np.ndarray  # (M,)
    floor: np.ndarray            # (M,)
    cap: np.ndarray              # (M,)
    demand_elasticity: np.ndarray  # (D,) of each demand's commodity
    demand_market: np.ndarray      # (D,) market of each demand's consumer stock
    sum_demands: sparse.csr_matrix  # (M, D) sums demands per market (their unmet demand)
    unmet_keep: np.ndarray         # (M,) share of the unmet-demand account kept each day, 1 - 1 / adjustment_days
    lane_market: np.ndarray        # (L,) origin market of each lane
    lane_sigma: np.ndarray         # (L,) CES elasticity of the lane's commodity
    lane_step: np.ndarray          # (L,) 1 / switching lag of the lane commodity's chain
    sales_seller: np.ndarray       # (F,) bool: a seller with normal flow whose lost sales lower its market's price
    sales_band: np.ndarray         # (F,) sales a seller loses before it cuts its price: stock / year + spare capacity
    counts_sales: bool             # some seller's lost sales count
    quota_windows: tuple[tuple[int, int, np.ndarray], ...]  # (first, stop, lanes) of each export quota
    control_windows: tuple[tuple[int, int, np.ndarray], ...] = ()  # (first, stop, lanes) of each ban or denying
    #                                                                 licence regime (quotas: `quota_windows`)
    lane_dest_market: np.ndarray | None = None  # (L,) market of each lane's buyer (the destination's price)
    buffer_keep: np.ndarray | None = None  # (M,) 1 - buffer weight: share of a buffer draw (or glut) that is no gap
    lane_bid: np.ndarray | None = None  # (L,) bid weight of each lane's market: share of what is owed beyond the buyer's
    #                                     shortfall that counts (None when every lane's is 0)
    util_seller: np.ndarray | None = None  # (F,) bool: a fab whose utilisation prices its market (None: no such seller)
    util_ref: np.ndarray | None = None  # (M,) the market's normal utilisation, sum min(normal, capacity) / capacity
    util_exponent: np.ndarray | None = None  # (M,) exponent of the utilisation term (0: none)
    util_columns: np.ndarray | None = None  # (S,) the facilities with util_seller, in facility order
    util_markets: np.ndarray | None = None  # (K,) the markets with such a seller, in market order
    util_sum: sparse.csr_matrix | None = None  # (K, S) sums those sellers into their markets

    @property
    def n_markets(self) -> int:
        return len(self.labels)


def _buffer_keep(params: list[PriceParams], buyer_market: np.ndarray, buyer_buffer: np.ndarray,
                 buyers: np.ndarray, core: dict, n_m: int) -> np.ndarray:
    """Share of each market's buffer draw (or glut) that is no gap, (M,): ``1 - weight * final buyers' buffer share``.

    The buffer weight is measured on chip users' draws (docs/model.md §5.9), so it applies to the part of a
    market's buffer its final buyers (consumer stocks) hold; intermediate buyers' draws stay no scarcity.
    """
    weight = np.array([p.buffer_weight for p in params], dtype=float)
    final = np.isin(buyers, np.asarray(core["demand_stock"]))
    total = np.bincount(buyer_market, weights=buyer_buffer, minlength=n_m)
    held = np.bincount(buyer_market, weights=np.where(final, buyer_buffer, 0.0), minlength=n_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(total > 0, held / np.where(total > 0, total, 1.0), 0.0)
    keep: np.ndarray = np.where(weight > 0, 1.0 - weight * part, 1.0)
    return keep


def price_spec(builder: ScheduleBuilder) -> None:
    """Store the scenario's `PriceSpec` in ``builder.extras["prices"]`` (a finisher)."""
    core, idx = builder.core, index(builder)
    net = builder.scenario.network
    node_region = {f.id: f.region for f in net.facilities} | {d.id: d.region for d in net.demands}
    keys = [(c, node_region[n]) for n, c in zip(core["stock_node"], core["stock_commodity"])]
    labels: dict[tuple[str, str], int] = {}
    for key in keys:
        labels.setdefault(key, len(labels))
    n_m = len(labels)
    stock_market = np.array([labels[k] for k in keys], dtype=np.intp)
    buyers = np.asarray(core["buyer_stock"])
    n_b, n_f = len(buyers), len(core["capacity"])
    buyer_market = stock_market[buyers]
    seller_market = stock_market[np.asarray(core["out_stock"])]
    sum_buyers = sparse.csr_matrix((np.ones(n_b), (buyer_market, np.arange(n_b))), shape=(n_m, n_b))
    sum_sellers = sparse.csr_matrix((np.ones(n_f), (seller_market, np.arange(n_f))), shape=(n_m, n_f))
    lane_buyer = np.asarray(core["lane_buyer"])
    landing0 = np.asarray(core["initial_arrivals"])[0] if len(lane_buyer) else np.zeros(0)
    normal_buyer = np.asarray(core["initial_stock"])[buyers] + np.bincount(lane_buyer, weights=landing0,
                                                                            minlength=n_b)
    flow = np.array([core["steady"].flow.get(i, 0.0) for i in core["lane_ids"]], dtype=float)
    normal_seller = np.bincount(np.asarray(core["lane_origin"]), weights=flow, minlength=n_f)
    params = [price_params(idx.commodities[c].chain, c) for c, _ in labels]
    demand_commodity = [d.commodity for d in net.demands]
    lane_commodity = list(idx.lane_commodity)
    chains = [idx.commodities[c].chain for c in lane_commodity]
    lag = np.array([max(SWITCHING_LAG_DAYS.get(ch, SWITCHING_LAG_DAYS["default"]), 1) for ch in chains],
                   dtype=float)
    normal_stock = np.bincount(buyer_market, weights=normal_buyer, minlength=n_m)
    normal_rate = np.bincount(seller_market, weights=normal_seller, minlength=n_m)
    inflow = np.bincount(buyer_market[lane_buyer], weights=flow, minlength=n_m) if len(flow) else np.zeros(n_m)
    normal_flow = inflow + normal_rate
    exponent = np.array([p.exponent for p in params], dtype=float)
    with np.errstate(divide="ignore"):
        gap_scale = np.where(normal_flow > 0, 1.0 / normal_flow, 0.0)
    pass_through = _cost_shares(core, idx, stock_market, seller_market, normal_seller, n_m)
    basket, base_cost = _demand_basket(builder, core, flow)
    inputs, input_cost, tariff_start = _input_basket(builder, core, flow, stock_market, seller_market, normal_seller,
                                                     pass_through)
    extra = _planned_extra(builder, n_b)
    target_extra = None
    if extra.any():
        target_extra = np.zeros((extra.shape[0], n_m))
        for day in range(extra.shape[0]):
            target_extra[day] = np.bincount(buyer_market, weights=extra[day], minlength=n_m)
    buffer_share = np.array([p.buffer_share for p in params], dtype=float)
    adjustment = np.array([p.adjustment_days for p in params], dtype=float)
    demand_market = stock_market[np.asarray(core["demand_stock"], dtype=np.intp)]
    buffer = buffer_share * normal_stock
    buyer_buffer = buffer_share[buyer_market] * normal_buyer
    working = np.array([p.working_days for p in params], dtype=float)
    # Final buyers (consumer stocks) keep the working days of their commodity below their buffer.
    keeps = (working[buyer_market] > 0) & (buyer_buffer > 0) & np.isin(buyers, np.asarray(core["demand_stock"]))
    if keeps.any():
        buyer_inflow = np.bincount(lane_buyer, weights=flow, minlength=n_b) if len(flow) else np.zeros(n_b)
        above = np.maximum(normal_buyer - working[buyer_market] * buyer_inflow, 0.0)
        lower = keeps & (above < buyer_buffer)
        if lower.any():
            # A buyer's buffer is its stock above the working days of its inflow, at most the buffer share (the
            # markets of buyers whose buffer that lowers sum their buyers' buffers; the others keep share * stock).
            buyer_buffer = np.where(lower, above, buyer_buffer)
            kept = np.bincount(buyer_market, weights=buyer_buffer, minlength=n_m)
            buffer = np.where(np.bincount(buyer_market, weights=lower, minlength=n_m) > 0, kept, buffer)
    # Whether a seller cuts its price below normal output follows what it is (its stage), not its chain.
    cuts = np.array([not sheds_output(idx.commodities[f.output].chain, f.stage) for f in net.facilities], dtype=bool)
    sales_seller = cuts & (normal_seller > 0)
    # A seller first stocks what it cannot sell (its normal output stock over the restocking year) and idles its
    # spare capacity (model.prices.sales_band); it cuts its price only for sales lost beyond both.
    out_normal = np.asarray(core["initial_stock"], dtype=float)[np.asarray(core["out_stock"])]
    capacity = np.asarray(core["capacity"], dtype=float)
    sales_band = np.array([sales_band_of(normal_seller[f], capacity[f], out_normal[f]) if sales_seller[f] else 0.0
                           for f in range(n_f)], dtype=float)
    util_seller, util_ref, util_exponent = _utilisation(net, params, seller_market, normal_seller, capacity, n_m)
    quotas = builder.extras.get("quotas", [])
    builder.extras["prices"] = PriceSpec(
        labels=tuple(labels),
        feedback=bool(builder.scenario.price_feedback),
        stock_market=stock_market,
        stock_price=np.array([idx.commodities[c].price_usd for c in core["stock_commodity"]], dtype=float),
        buyer_market=buyer_market,
        seller_market=seller_market,
        sum_buyers=sum_buyers,
        sum_sellers=sum_sellers,
        normal_stock=normal_stock,
        buffer=buffer,
        buffers=bool((buffer > 0).any()),
        target_extra=target_extra,
        buyer_normal=normal_buyer,
        buyer_buffer=buyer_buffer,
        buyer_extra=extra.copy() if target_extra is not None else None,
        normal_rate=normal_rate,
        normal_seller=normal_seller,
        short_days=_short_days(builder, normal_seller),
        lane_weight=_lane_weight(flow, normal_seller, np.asarray(core["lane_origin"], dtype=np.intp)),
        gap_scale=gap_scale,
        pass_through=pass_through,
        passes=bool(pass_through.nnz),
        sum_entries=sparse.csr_matrix((np.ones(pass_through.nnz), (np.repeat(np.arange(n_m), np.diff(
            pass_through.indptr)), np.arange(pass_through.nnz))), shape=(n_m, pass_through.nnz)),
        input_basket=inputs,
        input_base_cost=input_cost,
        tariff_start=tariff_start,
        demand_basket=basket,
        demand_base_cost=base_cost,
        landed_price=np.asarray(core["lane_price"], dtype=float),
        landed_freight=np.asarray(core["lane_freight"], dtype=float),
        priced=exponent > 0,
        exponent=exponent,
        adjustment_days=adjustment,
        floor=np.array([p.floor for p in params], dtype=float),
        cap=np.array([p.cap for p in params], dtype=float),
        demand_elasticity=np.array([price_params(idx.commodities[c].chain, c).demand_elasticity
                                    for c in demand_commodity], dtype=float),
        demand_market=demand_market,
        sum_demands=sparse.csr_matrix((np.ones(len(demand_market)), (demand_market, np.arange(len(demand_market)))),
                                      shape=(n_m, len(demand_market))),
        unmet_keep=1.0 - 1.0 / adjustment,
        lane_market=seller_market[np.asarray(core["lane_origin"], dtype=np.intp)],
        lane_sigma=np.array([idx.commodities[c].elasticity for c in lane_commodity], dtype=float),
        lane_step=1.0 / lag,
        sales_seller=sales_seller,
        sales_band=sales_band,
        counts_sales=bool(sales_seller.any()),
        quota_windows=tuple((int(q.first), int(q.stop), np.asarray(q.lanes, dtype=np.intp)) for q in quotas),
        control_windows=_control_windows(builder),
        lane_dest_market=buyer_market[lane_buyer],
        buffer_keep=_buffer_keep(params, buyer_market, buyer_buffer, buyers, core, n_m),
        lane_bid=_lane_bid(params, buyer_market[lane_buyer]),
        util_seller=util_seller,
        util_ref=util_ref,
        util_exponent=util_exponent,
        **_utilisation_sums(util_seller, seller_market),
    )


def _utilisation_sums(util_seller: np.ndarray | None, seller_market: np.ndarray) -> dict:
    """The columns, markets and summing matrix of the sellers whose utilisation prices their market."""
    if util_seller is None:
        return {}
    cols = np.flatnonzero(util_seller)
    markets, at = np.unique(seller_market[cols], return_inverse=True)
    return {"util_columns": cols, "util_markets": markets,
            "util_sum": sparse.csr_matrix((np.ones(len(cols)), (at, np.arange(len(cols)))),
                                          shape=(len(markets), len(cols)))}


def _utilisation(net, params: list[PriceParams], seller_market: np.ndarray,  # type: ignore[no-untyped-def]
                 normal_seller: np.ndarray, capacity: np.ndarray,
                 n_m: int) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """The fabs whose utilisation prices their market, each market's normal utilisation and exponent.

    A seller counts when its stage is in `UTILISATION_STAGES`, it has a normal flow and capacity, and its
    market's exponent is > 0 (docs/model.md §5.9, utilisation); ``(None, None, None)`` when none does.
    """
    exponent = np.array([p.utilisation_exponent for p in params], dtype=float)
    stage = np.array([f.stage in UTILISATION_STAGES for f in net.facilities], dtype=bool)
    seller = stage & (normal_seller > 0) & (capacity > 0) & (exponent[seller_market] > 0)
    if not seller.any():
        return None, None, None
    used = np.bincount(seller_market, weights=np.where(seller, np.minimum(normal_seller, capacity), 0.0), minlength=n_m)
    room = np.bincount(seller_market, weights=np.where(seller, capacity, 0.0), minlength=n_m)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = np.where(room > 0, used / np.where(room > 0, room, 1.0), 0.0)
    # Fabs priced at the reference while running as full as 2019's (the calibration's starting point): a
    # network whose normal leaves fabs idler does not lift prices between its normal and 2019's utilisation.
    ref = np.where(ref > 0, np.maximum(ref, CHIP_UTILISATION_2019), 0.0)
    return seller, ref, np.where(ref > 0, exponent, 0.0)


def _lane_bid(params: list[PriceParams], lane_market: np.ndarray) -> np.ndarray | None:
    """The bid weight of each lane's market (its buyer's; the commodity's chain decides), ``None`` when all are 0.

    Buyers facing a queue order ahead and bid for their place in it (docs/model.md §5.9, bidding ahead).
    """
    weight = np.array([p.bid_weight for p in params], dtype=float)
    if not len(lane_market) or not (weight[lane_market] > 0).any():
        return None
    out: np.ndarray = weight[lane_market]
    return out


def _control_windows(builder: ScheduleBuilder) -> tuple[tuple[int, int, np.ndarray], ...]:
    """``(first, stop, lanes)`` of every ban and licence regime that can deny (`restricts_quantity`) in the horizon.

    A buyer's sourcing tilt reads the price of an export offer on these lanes while the control is in force,
    not the exporter's home price; a licence every application gets holds nothing back and is read at the
    exporter's price, and a quota's lanes are read at the offer once its period's quota is used up, which the
    engines track (docs/model.md §5.9, the set B(t) of controls that bind).
    """
    out = []
    for shock in (*builder.scenario.shocks, *builder.scenario.responses):
        if isinstance(shock, ExportControl) and shock.mode != "quota" and restricts_quantity(shock):
            first, stop = builder.window(shock)
            lanes = np.flatnonzero(_control_lanes(shock, builder))
            if stop > first and len(lanes):
                out.append((int(first), int(stop), lanes.astype(np.intp)))
    # In an order that does not depend on the order of the shocks (only the union in force on a day is read).
    return tuple(sorted(out, key=lambda w: (w[0], w[1], w[2].tolist())))


def control_bound(spec: PriceSpec, day: int, n_lanes: int) -> np.ndarray | None:
    """Lanes of a ban or a denying licence regime in force on ``day``, (L,) bool; ``None`` when there is none.

    Export offers on them are priced at the higher of the exporter's and the buyer's market price
    (docs/model.md §5.9, sourcing; a quota's lanes join once its period's quota is used up, per run).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> spec = SimpleNamespace(control_windows=((5, 10, np.array([1])),))
    >>> control_bound(spec, 10, 3) is None, control_bound(spec, 9, 3).tolist()
    (True, [False, True, False])
    """
    return _bound(spec.control_windows, day, n_lanes)


def _bound(windows: tuple[tuple[int, int, np.ndarray], ...], day: int, n_lanes: int) -> np.ndarray | None:
    bound = None
    for first, stop, lanes in windows:
        if first <= day < stop:
            if bound is None:
                bound = np.zeros(n_lanes, dtype=bool)
            bound[lanes] = True
    return bound


def quota_bound(spec: PriceSpec, day: int, n_lanes: int) -> np.ndarray | None:
    """Lanes of an export quota in force on ``day``, (L,) bool; ``None`` when there is none.

    What a seller owes on them is not sales it can make: it ships only what the
    quota lets through (docs/model.md §5.9, lost sales).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> spec = SimpleNamespace(quota_windows=((5, 10, np.array([1])),))
    >>> quota_bound(spec, 4, 3) is None, quota_bound(spec, 5, 3).tolist()
    (True, [False, True, False])
    """
    return _bound(spec.quota_windows, day, n_lanes)


def _planned_extra(builder: ScheduleBuilder, n_b: int) -> np.ndarray:
    """Stock each buyer plans to hold above normal, (T or 1, B): the ``target_extra`` schedule, plus front-loaded stock
    from a control's start until it has landed and been drawn.

    Buyers front-load ``F`` days of the controlled lanes' flow ``X_b`` to draw it once the control starts (§6.5.4);
    what they ordered by the start lands over the lanes' lead days ``ell_b`` (their pipeline over their flow). The
    price counts ``X_b min(1, 1 - (t - t_s - ell_b) / F)^+`` as planned from the start ``t_s``, although the ordering
    target falls back to 0 on that day (docs/model.md §5.9, normal levels).
    """
    extra = np.asarray(builder.arrays["target_extra"], dtype=float)  # (T or 1, B), set by every rule by now
    loads = builder.cache.get("front_loaded") or []
    if not loads:
        return extra
    out = np.array(np.broadcast_to(extra, (builder.n_days, n_b)))
    buyers = np.asarray(builder.core["lane_buyer"])
    pipeline = np.asarray(builder.core["initial_arrivals"]).sum(axis=0)
    flow = index(builder).lane_flow
    for first, days, cap, lanes in loads:
        held = np.bincount(buyers[lanes], weights=pipeline[lanes], minlength=n_b)
        rate = np.bincount(buyers[lanes], weights=flow[lanes], minlength=n_b)
        with np.errstate(divide="ignore", invalid="ignore"):
            lead = np.where(rate > 0, held / np.where(rate > 0, rate, 1.0), 0.0)
        t = np.arange(first, builder.n_days)[:, None]
        share = np.clip(1.0 - (t - first - lead[None, :]) / days, 0.0, 1.0)
        out[first:] += share * cap[None, :]
    return out


def _short_days(builder: ScheduleBuilder, normal_seller: np.ndarray) -> np.ndarray | None:
    """Days from each day until a facility's scheduled capacity again makes its normal rate, (T, F).

    0 on days its scheduled capacity (nameplate times the compiled capacity
    factor, shocks and investments) is at least its steady flow out; ``inf``
    when it stays below to the horizon. ``None`` when no facility is ever below.
    """
    factor = np.asarray(builder.arrays["capacity_factor"], dtype=float)
    scheduled = np.asarray(builder.core["capacity"], dtype=float) * factor
    below = (scheduled < normal_seller * (1.0 - NEUTRAL_TOLERANCE)) & (normal_seller > 0)
    if not below.any():
        return None
    out = np.zeros((builder.n_days, below.shape[1]))
    below = np.broadcast_to(below, out.shape)
    for f in np.flatnonzero(below.any(axis=0)):
        back = np.inf
        for t in range(out.shape[0] - 1, -1, -1):
            if below[t, f]:
                out[t, f] = back - t
            else:
                back = t
    return out


def _lane_weight(flow: np.ndarray, normal_seller: np.ndarray, origin: np.ndarray) -> np.ndarray:
    """Each lane's share of its supplier's steady flow out, (L,); 0 on lanes of a supplier without flow."""
    if not len(flow):
        return np.zeros(0)
    total = normal_seller[origin]
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(total > 0, flow / np.where(total > 0, total, 1.0), 0.0)
    return out


def _cost_shares(core: dict, idx, stock_market: np.ndarray, seller_market: np.ndarray,  # type: ignore[no-untyped-def]
                 normal_seller: np.ndarray, n_m: int) -> sparse.csr_matrix:
    """Input-cost shares at reference prices, (M, M): row m sums ``a_fk p_k / p_c`` over the inputs k of
    the facilities f selling in m, weighted by their steady flow out; a row summing above 1 is scaled to 1.
    """
    price = {c: k.price_usd for c, k in idx.commodities.items()}
    commodity = core["stock_commodity"]
    rec_stock, rec_ratio = np.asarray(core["recipe_stock"]), np.asarray(core["recipe_ratio"])
    n_s = len(commodity)
    weight = np.bincount(seller_market, weights=normal_seller, minlength=n_m)
    rows, cols, vals = [], [], []
    for f, m in enumerate(seller_market):
        out_price = price[commodity[int(core["out_stock"][f])]]
        if weight[m] <= 0 or out_price <= 0 or normal_seller[f] <= 0:
            continue
        for s, a in zip(rec_stock[f], rec_ratio[f]):
            if s >= n_s:
                continue  # padding of a recipe shorter than the longest
            rows.append(m)
            cols.append(int(stock_market[s]))
            vals.append(normal_seller[f] / weight[m] * a * price[commodity[s]] / out_price)
    shares = sparse.csr_matrix((vals, (rows, cols)), shape=(n_m, n_m))
    shares.sum_duplicates()
    total = np.asarray(shares.sum(axis=1)).ravel()
    scale = np.where(total > 1.0, 1.0 / np.where(total > 0, total, 1.0), 1.0)
    out: sparse.csr_matrix = sparse.csr_matrix(sparse.diags(scale) @ shares)
    out.eliminate_zeros()
    return out


def _input_basket(builder: ScheduleBuilder, core: dict, flow: np.ndarray,  # type: ignore[type-arg]
                  stock_market: np.ndarray, seller_market: np.ndarray, normal_seller: np.ndarray,
                  shares: sparse.csr_matrix) -> tuple[sparse.csr_matrix | None, np.ndarray | None, np.ndarray | None]:
    """For each input-cost share (in the order of ``shares.data``), the steady flows of the lanes that feed it.

    Entry ``e`` = (output market m, input market m') collects the lanes into the
    input stocks in m' of the facilities selling in m (those with a steady flow
    out), weighted by their steady flow; its landed cost at the tariffs in
    force at the start is the base of the tariff factor of docs/model.md §5.9.
    ``(None, None, None)`` without a tariff in the scenario or without cost shares.
    """
    if builder.cache.get("tariff_lag") is None or not len(flow) or not shares.nnz:
        return None, None, None
    entry = {}
    rows_of = np.repeat(np.arange(shares.shape[0]), np.diff(shares.indptr))
    for e, (m, k) in enumerate(zip(rows_of, shares.indices)):
        entry[(int(m), int(k))] = e
    rec_stock = np.asarray(core["recipe_stock"])
    n_s = len(core["stock_commodity"])
    stock_entry: dict[int, int] = {}
    for f, m in enumerate(seller_market):
        if normal_seller[f] <= 0:
            continue
        for st in rec_stock[f]:
            if st < n_s and (int(m), int(stock_market[st])) in entry:
                stock_entry[int(st)] = entry[(int(m), int(stock_market[st]))]
    buyer_stock = np.asarray(core["buyer_stock"])
    lane_stock = buyer_stock[np.asarray(core["lane_buyer"])]
    rows, cols, vals = [], [], []
    for lane, st in enumerate(lane_stock):
        e = stock_entry.get(int(st))
        if e is not None and flow[lane] > 0:
            rows.append(e); cols.append(lane); vals.append(float(flow[lane]))
    basket = sparse.csr_matrix((vals, (rows, cols)), shape=(shares.nnz, len(flow)))
    price, freight = np.asarray(core["lane_price"]), np.asarray(core["lane_freight"])
    start = np.broadcast_to(np.asarray(builder.cache.get("tariff_in_force", 0.0), dtype=float), flow.shape).copy()
    return basket, np.asarray(basket @ (price * (1.0 + start) + freight), dtype=float), start


def _demand_basket(builder: ScheduleBuilder, core: dict,  # type: ignore[type-arg]
                   flow: np.ndarray) -> tuple[sparse.csr_matrix | None, np.ndarray | None]:
    """Each demand's baseline basket (steady flows of the lanes into its stock) and its cost at the start.

    ``(None, None)`` when the scenario has no tariff: the landed-cost factor is then 1.
    """
    if builder.cache.get("tariff_lag") is None or not len(flow):
        return None, None
    buyer_of_stock = {int(s): b for b, s in enumerate(core["buyer_stock"])}
    demand_buyer = np.array([buyer_of_stock[int(s)] for s in core["demand_stock"]], dtype=np.intp)
    lane_buyer = np.asarray(core["lane_buyer"])
    rows, cols, vals = [], [], []
    for d, b in enumerate(demand_buyer):
        for lane in np.flatnonzero(lane_buyer == b):
            if flow[lane] > 0:
                rows.append(d); cols.append(int(lane)); vals.append(float(flow[lane]))
    basket = sparse.csr_matrix((vals, (rows, cols)), shape=(len(demand_buyer), len(flow)))
    price, freight = np.asarray(core["lane_price"]), np.asarray(core["lane_freight"])
    c0 = price * (1.0 + builder.cache.get("tariff_in_force", 0.0)) + freight
    return basket, np.asarray(basket @ c0, dtype=float)
