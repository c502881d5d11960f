"""The scarcity-price rule: one vectorised update per day, after arrivals.

Each market (a commodity in a region, `supplychain.compile.rules.prices`)
has a price index ``pi`` (1 = the reference price). Every day, just after
arrivals, the market's **gap** is a share of its normal daily flow: the
buyers' stock below normal beyond their buffer and the orders its suppliers
owe to buyers short beyond their buffer (up to that shortfall, and the bid weight's share of the rest), each spread over a year (``RESTOCKING_DAYS``), with the
buffer weight's share of a final buyer's draw of its buffer counted too, plus what its suppliers
are asked for above what they can make, the day's capacity or, if lower,
the rate their inputs support; a supplier's throughput it cannot keep up
counts as the loss over the days it is expected to last (its announced
restart, or its scheduled capacity's return; else a year) less its buyers'
cover, spread over the year too. The target is ``(1 - g) ** (-1 / eta)`` (``eta`` the supply
minus the demand elasticity) plus the input-cost pass-through
``sum_k share_k (pi_k duty_k - 1)`` of the previous day's input prices times the duty factor
of the sellers' input lanes (landed input cost), within the
floor and cap; the price closes ``1 / adjustment_days`` of its gap to the
target. The new prices then scale the day's final demand by
``(pi * kappa) ** demand_elasticity`` (``kappa`` the landed-cost factor of
the day's tariffs) and tilt each lane's target sourcing share by its
landed-cost ratio at the origin's price (on a lane under an export control in
force, the export offer: the higher of the origin's and the buyer's market
price), ``ratio ** -sigma``, followed at the rate ``1 / switching lag`` (the CES
of the tariff shares).

`apply` is the one call of the day loop; it returns the day's inputs
with demand and shares replaced. Prices move no goods.

Implements docs/model.md §5.9 (prices).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from ..compile.compiler import Compiled
from ..compile.rules.prices import (
    NEUTRAL_TOLERANCE,
    RESTOCKING_DAYS,
    SALES_DAYS,
    PriceSpec,
    control_bound,
    quota_bound,
)
from .day import DayInputs
from .dynamic import quota_used_up
from .sourcing import input_rate
from .sourcing import spec as sourcing_spec
from .sums import csr_times, sum_into

__all__ = ["PriceState", "apply", "initial_prices", "price_spec", "stock_prices"]

@dataclass(eq=False)
class PriceState:
    """Prices of ``R`` runs: ``index`` (R, M) per market, ``tilt`` (R, L) per lane, ``share`` (R, L) or None.

    ``share`` is the day's target share after the tilt (``None`` while every
    tilt is 1, so the scheduled share applies unchanged); ``tilted`` (L,)
    marks the lanes whose tilt differs from 1 in some run, ``off`` (M,) the
    markets whose price differs from 1 in some run; ``unmet`` (R, M) is each
    market's decaying account of final demand its consumer stocks could not
    serve (``None`` until some was not).
    """

    index: np.ndarray
    tilt: np.ndarray
    tilted: np.ndarray
    off: np.ndarray
    share: np.ndarray | None = None
    unmet: np.ndarray | None = None  # (R, M) account of final demand not served (None while nothing was)


def price_spec(c: Compiled) -> PriceSpec:
    """The compiled `PriceSpec` of ``c``."""
    spec: PriceSpec = c.schedules.extras["prices"]
    return spec


def initial_prices(c: Compiled, n_runs: int) -> PriceState:
    """Every price at its reference (index 1) and every tilt 1, runs-last in memory."""
    spec = price_spec(c)
    return PriceState(index=np.ones((n_runs, spec.n_markets), order="F"),
                      tilt=np.ones((n_runs, c.n_lanes), order="F"), tilted=np.zeros(c.n_lanes, dtype=bool),
                      off=np.zeros(spec.n_markets, dtype=bool))


def _unmet(c: Compiled, spec: PriceSpec, ps: PriceState, s, demand: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    """Age each market's account of unmet final demand one day and add the day's (docs/model.md §5.9, update).

    The day's unmet demand is the demand at the reference price (before demand
    destruction) that a consumer stock, just after arrivals and after its
    backlog, cannot serve; the account keeps ``1 - 1 / adjustment_days`` of
    what it held (the demand lost in the market's last price period presses
    on its price).
    """
    free = np.maximum(s.stock[:, c.demand_stock] - s.backlog, 0.0)
    lost = np.maximum(demand - free, 0.0)
    if ps.unmet is None:
        if not lost.any():
            return
        ps.unmet = np.zeros((lost.shape[0], spec.n_markets), order="F")
    ps.unmet = ps.unmet * spec.unmet_keep + sum_into(np.asfortranarray(lost), spec.demand_market, spec.n_markets,
                                                     spec.sum_demands)


def _update(c: Compiled, spec: PriceSpec, ps: PriceState, s,  # type: ignore[no-untyped-def]
            capacity: np.ndarray, loops: SimpleNamespace | None = None) -> np.ndarray:
    """Move every market's price one day towards its target (docs/model.md §5.9, update).

    Returns the markets whose price differs from 1 in some run after the update. ``loops``: the compiled
    loops of `.jit` (`._jit_prices`: the same bits), else NumPy.
    """
    normal = spec.normal_stock
    planned = _planned(c, spec, s)
    if planned is not None:
        # Buyers planning extra stock (front-loading, a safety-stock change) need it too, but for the part they hold
        # as licence applications awaiting a decision.
        normal = normal + planned[0]
    if loops is not None and np.ndim(normal) == 1:
        deficit = _deficit_loop(loops, c, spec, s, normal)
    else:
        held_m = sum_into(s.stock[:, c.buyer_stock], spec.buyer_market, spec.n_markets, spec.sum_buyers)
        deficit = normal - held_m
        if spec.buffers:
            deficit = _buffer_band(spec, deficit, held_m, normal)
    asked, can = s.throughput, capacity
    buyers = None  # each buyer's shortfall beyond its buffer and its cover, read once a day if needed
    owes = bool(s.owed.any())
    if owes:
        buyers = _buyer_short(c, spec, s, planned)
        owed = np.asfortranarray(_owed_short(c, s, buyers[0]))
        asked = asked + sum_into(owed, c.lane_origin, c.n_facilities, c.sum_by_origin) / RESTOCKING_DAYS
        # Suppliers serve what is asked up to what they can make today at the reference price: the day's
        # capacity or, if lower, the rate their inputs support, but not less than they have been shipping (the
        # input rate reads the depth of input buffers; inputs that keep arriving keep the throughput going).
        # Asked only their throughput, the input rate cannot bind, so it is read only when something is owed.
        can = np.minimum(capacity, np.maximum(input_rate(c, s), s.throughput))
    excess = np.maximum(asked - can, 0.0)
    rate = np.maximum(s.throughput - can, 0.0)
    if rate.any():
        # A rate shortfall is supply lost for as long as it lasts, less what the buyers' buffers cover: the
        # share of the restocking year it costs them, not its daily share of the flow (USGS model).
        cover = (buyers if buyers is not None else _buyer_short(c, spec, s, planned))[1]
        excess = excess - rate + _lasting_loss(c, spec, s, rate, capacity, cover) / RESTOCKING_DAYS
    unserved = sum_into(np.asfortranarray(excess), spec.seller_market, spec.n_markets, spec.sum_sellers)
    if ps.unmet is not None:
        # Final demand not served is supply lost as much as stock drawn (USGS: the share of a year's supply lost).
        deficit = deficit + ps.unmet
    gap = (deficit / RESTOCKING_DAYS + unserved) * spec.gap_scale
    off = np.abs(gap) > NEUTRAL_TOLERANCE
    lost = None
    if spec.counts_sales:
        lost = _lost_sales(c, spec, s, capacity, owes)
        off |= lost > NEUTRAL_TOLERANCE
    premium = None
    if spec.util_seller is not None:
        premium = _utilisation_premium(spec, s, capacity, loops)
        off |= premium != 1.0
    passed = None
    duty = None if spec.input_basket is None else _input_duty(c, spec, s.day)
    if spec.passes and duty is not None:
        # Inputs cost their market's price times the duty on the sellers' input lanes (landed cost).
        pt = spec.pass_through
        cols = pt.indices
        rows = np.repeat(np.arange(spec.n_markets), np.diff(pt.indptr))
        terms = pt.data * (ps.index[:, cols] * duty - 1.0)
        passed = sum_into(np.asfortranarray(terms), rows, spec.n_markets, spec.sum_entries)
        off |= passed != 0.0
    elif spec.passes and ps.off.any():
        # csr_times: SciPy's kernel behind ``@``, the same bits, without its dispatch (a call a day).
        passed = csr_times(spec.pass_through, (ps.index - 1.0).T).T
        off |= passed != 0.0
    live = np.flatnonzero(off.any(axis=0) | ps.off)
    if not len(live):
        return live  # every market at its reference price and in balance: nothing moves
    if loops is not None and loops.price_target is not None:
        target = _target_loop(loops, spec, gap, off, lost, premium, passed, live)
    elif loops is not None and getattr(loops, "price_target_powers", None) is not None:
        target = _target_powers_loop(loops, spec, gap, off, lost, premium, passed, live)
    else:
        target = _target(spec, gap, off, lost, premium, passed, live)
    index = ps.index[:, live]
    index += (target - index) / spec.adjustment_days[live]
    ps.index[:, live] = index
    ps.off[live] = (index != 1.0).any(axis=0)
    moved: np.ndarray = np.flatnonzero(ps.off)
    return moved


def _target(spec: PriceSpec, gap: np.ndarray, off: np.ndarray, lost: np.ndarray | None,
            premium: np.ndarray | None, passed: np.ndarray | None, live: np.ndarray) -> np.ndarray:
    """The target price of the ``live`` markets, (R, len(live)) (docs/model.md §5.9, update)."""
    g, k = gap[:, live], spec.exponent[live]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        scarcity = np.where(g < 1.0, np.maximum(1.0 - g, 0.0) ** (-1.0 / np.where(k > 0, k, 1.0)), np.inf)
    scarcity = np.where(spec.priced[live] & (np.abs(g) > NEUTRAL_TOLERANCE), scarcity, 1.0)
    if lost is not None:
        # Sellers asked for less than their normal output sell it along their short-run supply: the demand the
        # market faces falls by the lost sales, D = (1 - v) D0 pi^beta_d against S = (1 - g) D0 pi^beta_s.
        v = lost[:, live]
        with np.errstate(divide="ignore", invalid="ignore"):
            fall = np.maximum(1.0 - v, 0.0) ** (1.0 / np.where(k > 0, k, 1.0))
        fall = np.where(spec.priced[live] & (v > NEUTRAL_TOLERANCE), fall, 1.0)
        scarcity = np.where(np.isinf(scarcity), scarcity, scarcity * fall)
    if premium is not None:
        # Fabs running above their normal utilisation price their output along their short-run supply.
        scarcity = np.where(np.isinf(scarcity), scarcity, scarcity * premium[:, live])
    if passed is not None:
        scarcity = scarcity + passed[:, live]
    target = np.minimum(spec.cap[live], np.maximum(spec.floor[live], scarcity))
    out: np.ndarray = np.where(off[:, live], target, 1.0)
    return out


def _runs_first(x: np.ndarray) -> np.ndarray:
    """``x`` (R, n) seen as (n, R) with runs innermost (no copy when ``x`` is runs-last already)."""
    return np.asfortranarray(x).T


def _csr(m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """A CSR matrix's row pointers, column indices (both ``intp``) and values, for the compiled loops."""
    return (np.asarray(m.indptr, dtype=np.intp), np.asarray(m.indices, dtype=np.intp),
            np.asarray(m.data, dtype=np.float64))


def _deficit_loop(loops: SimpleNamespace, c: Compiled, spec: PriceSpec, s,  # type: ignore[no-untyped-def]
                  normal: np.ndarray) -> np.ndarray:
    """The markets' stock deficit with the buffer band (`_buffer_band`) in one compiled loop, (R, M), the same bits."""
    n_runs = s.stock.shape[0]
    held = np.empty((spec.n_markets, n_runs))
    deficit = np.empty((spec.n_markets, n_runs))
    keep = np.ones(spec.n_markets) if spec.buffer_keep is None else np.asarray(spec.buffer_keep, dtype=np.float64)
    loops.stock_deficit(_runs_first(s.stock), np.asarray(c.buyer_stock, dtype=np.intp), *_csr(spec.sum_buyers),
                        np.asarray(spec.normal_stock, dtype=np.float64), np.asarray(normal, dtype=np.float64),
                        np.asarray(spec.buffer, dtype=np.float64), keep, bool(spec.buffers), held, deficit)
    return deficit.T


def _target_loop(loops: SimpleNamespace, spec: PriceSpec, gap: np.ndarray, off: np.ndarray,
                 lost: np.ndarray | None, premium: np.ndarray | None, passed: np.ndarray | None,
                 live: np.ndarray) -> np.ndarray:
    """`_target` in one compiled loop (`._jit_prices.price_target`), the same bits."""
    n_runs = gap.shape[0]
    out = np.empty((len(live), n_runs))
    none = np.zeros((1, 1))
    loops.price_target(_runs_first(gap), _runs_first(off), none if lost is None else _runs_first(lost),
                       none if premium is None else _runs_first(premium),
                       none if passed is None else _runs_first(passed), np.asarray(live, dtype=np.intp),
                       spec.exponent, spec.priced, spec.floor, spec.cap, lost is not None, premium is not None,
                       passed is not None, NEUTRAL_TOLERANCE, out)
    return out.T


def _powers(spec: PriceSpec, gap: np.ndarray, lost: np.ndarray | None,
            live: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The two powers of `_target`, (R, len(live)) each (``None`` without lost sales): its very expressions."""
    g, k = gap[:, live], spec.exponent[live]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        down = np.maximum(1.0 - g, 0.0) ** (-1.0 / np.where(k > 0, k, 1.0))
        up = None if lost is None else np.maximum(1.0 - lost[:, live], 0.0) ** (1.0 / np.where(k > 0, k, 1.0))
    return down, up


def _target_powers_loop(loops: SimpleNamespace, spec: PriceSpec, gap: np.ndarray, off: np.ndarray,
                        lost: np.ndarray | None, premium: np.ndarray | None, passed: np.ndarray | None,
                        live: np.ndarray) -> np.ndarray:
    """`_target` with NumPy's powers (`_powers`) and its other passes in one compiled loop
    (`._jit_prices.price_target_powers`), the same bits: where NumPy's power is not the C library's."""
    n_runs = gap.shape[0]
    out = np.empty((len(live), n_runs))
    none = np.zeros((1, 1))
    down, up = _powers(spec, gap, lost, live)
    loops.price_target_powers(_runs_first(gap), _runs_first(off), none if lost is None else _runs_first(lost),
                              none if premium is None else _runs_first(premium),
                              none if passed is None else _runs_first(passed), down.T,
                              none if up is None else up.T, np.asarray(live, dtype=np.intp),
                              spec.priced, spec.floor, spec.cap, lost is not None, premium is not None,
                              passed is not None, NEUTRAL_TOLERANCE, out)
    return out.T


def _buffer_band(spec: PriceSpec, deficit: np.ndarray, held: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The buyers' stock deficit less the part of their buffer draw (or glut) that is no gap (docs/model.md §5.9).

    Stock is held to be drawn: of the draw below normal up to the buffer only
    the buffer weight counts (buyers bid to restore what they drew). Stock held
    above what buyers plan to hold, up to the buffer, is a glut only by the same
    weight: it refills buffers drawn elsewhere (a band one way only would bias
    every market with fluctuating stocks below the reference).
    """
    keep = spec.buffer_keep if spec.buffer_keep is not None else 1.0
    out: np.ndarray = (deficit - keep * np.clip(spec.normal_stock - held, 0.0, spec.buffer)
                       + keep * np.clip(held - normal, 0.0, spec.buffer))
    return out


def _utilisation_premium(spec: PriceSpec, s, capacity: np.ndarray,  # type: ignore[no-untyped-def]
                         loops: SimpleNamespace | None = None) -> np.ndarray:
    """Each market's factor from its fabs' utilisation, (R, M) (docs/model.md §5.9, utilisation).

    The market's utilisation is its fabs' throughput (each at most its capacity today) over their capacity
    today; above the normal utilisation (by more than the neutral tolerance) the factor is
    ``(u / u_ref) ** nu``, else 1 (and 1 in a market whose fabs have no capacity today). ``loops``: the
    compiled loops (`._jit_prices.utilisation_premium`, the same bits) when loaded, else NumPy.
    """
    cols, markets = spec.util_columns, spec.util_markets
    if loops is not None and loops.utilisation_premium is not None:
        assert spec.util_sum is not None and spec.util_ref is not None and spec.util_exponent is not None
        n_runs = s.throughput.shape[0]
        out = np.ones((spec.n_markets, n_runs))
        cap_runs = np.broadcast_to(capacity, s.throughput.shape)
        loops.utilisation_premium(_runs_first(s.throughput), cap_runs.T if cap_runs.strides[0] == 0
                                  else _runs_first(cap_runs), np.asarray(cols, dtype=np.intp), *_csr(spec.util_sum),
                                  spec.util_ref, spec.util_exponent, np.asarray(markets, dtype=np.intp),
                                  NEUTRAL_TOLERANCE, out)
        premium: np.ndarray = out.T
        return premium
    thr = s.throughput[:, cols]
    cap = np.broadcast_to(capacity[..., cols], thr.shape)
    at = np.searchsorted(markets, spec.seller_market[cols])  # each seller's row among the markets
    used = sum_into(np.asfortranarray(np.minimum(thr, cap)), at, len(markets), spec.util_sum)
    room = sum_into(np.asfortranarray(cap), at, len(markets), spec.util_sum)
    ref = spec.util_ref[markets]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(room > 0, used / np.where(room > 0, room, 1.0) / ref, 1.0)
    out: np.ndarray = np.ones((thr.shape[0], spec.n_markets))
    out[:, markets] = np.where(ratio > 1.0 + NEUTRAL_TOLERANCE, ratio ** spec.util_exponent[markets], 1.0)
    return out


def _lost_sales(c: Compiled, spec: PriceSpec, s, capacity: np.ndarray,  # type: ignore[no-untyped-def]
                owes: bool = True) -> np.ndarray:
    """Each market's lost sales as a share of its normal flow, (R, M) (docs/model.md §5.9, lost sales).

    A seller's sales are its throughput plus what it owes over the throughput's
    mean age (not what it owes on lanes of an export quota in force: it ships
    only what the quota lets through); what falls short of its normal rate, up
    to what it can make today (``Z_f``) and beyond its normal output stock spread over the restocking year
    (which it stocks) and its spare capacity (which it idles), it is not asked for. Only sellers whose stage cuts its price below normal output count.
    ``owes``: whether any order is owed (`_update` has read it); when none is, the sums per seller are +0.0
    (zeros of either sign summed from 0.0), so they are not summed: the same bits.
    """
    if not owes:
        sales = s.throughput + 0.0
    else:
        owed = s.owed
        bound = quota_bound(spec, s.day, c.n_lanes)
        if bound is not None:
            owed = np.where(bound, 0.0, owed)
        sales = s.throughput + sum_into(np.asfortranarray(owed), c.lane_origin, c.n_facilities,
                                        c.sum_by_origin) / SALES_DAYS
    # Sales lost up to its normal output stock over the restocking year the seller stocks, and up to its spare
    # capacity it idles, not prices (the compiled band, model.prices.sales_band).
    sales = sales + spec.sales_band
    idle = np.where(spec.sales_seller, np.maximum(np.minimum(spec.normal_seller, capacity) - sales, 0.0), 0.0)
    if idle.any():
        # What it can make is its capacity or, if lower, the rate its inputs support (not less than its
        # throughput): a seller short of inputs whose buyers went elsewhere lost no sales it could make.
        can = np.minimum(capacity, np.maximum(input_rate(c, s), s.throughput))
        idle = np.where(spec.sales_seller, np.maximum(np.minimum(spec.normal_seller, can) - sales, 0.0), 0.0)
    out: np.ndarray = sum_into(np.asfortranarray(idle), spec.seller_market, spec.n_markets,
                               spec.sum_sellers) * spec.gap_scale
    return out


def _planned(c: Compiled, spec: PriceSpec, s) -> tuple[np.ndarray, np.ndarray] | None:  # type: ignore[no-untyped-def]
    """Stock the buyers plan above normal today and bid for, by market and by buyer (``None`` when none plans any).

    The compiled planned extra ``E_b(t)`` less what each buyer holds as
    licence applications awaiting a decision, up to the extra its ordering
    target plans today (docs/model.md §5.9, normal levels):
    ``E_b - min(A_b, (E^o_b)^+)``, by buyer ((B,), or (R, B) while some buyer
    waits) and summed by market ((M,) or (R, M)). The part of a raised order
    target its pending applications fill is the licence wait in its position,
    which no price brings forward; front-loaded stock counted after the
    control's start (its ordering target back to 0) keeps counting in full.
    Without pending applications the compiled schedule stands bit for bit.
    """
    if spec.target_extra is None:
        return None
    market = spec.target_extra[min(s.day, spec.target_extra.shape[0] - 1)]
    buyer = spec.buyer_extra[min(s.day, spec.buyer_extra.shape[0] - 1)]
    if s.licence is None or not s.licence.awaiting.any():
        return market, buyer
    ordering = np.maximum(c.schedules.day("target_extra", min(s.day, c.n_days - 1)), 0.0)
    waiting = np.minimum(sum_into(s.licence.awaiting, c.lane_buyer, c.n_buyers, c.sum_by_buyer), ordering)
    if not waiting.any():
        return market, buyer
    return (market - sum_into(np.asfortranarray(waiting), spec.buyer_market, spec.n_markets, spec.sum_buyers),
            buyer - waiting)


def _buyer_short(c: Compiled, spec: PriceSpec, s,  # type: ignore[no-untyped-def]
                 planned: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each buyer's shortfall beyond its buffer and the stock it can still draw before it is short, (R, B) each.

    The shortfall is ``delta_b`` of docs/model.md §5.9; the cover is 0 for a
    buyer short, else its stock less its normal stock and planned extra plus
    its buffer. ``planned``: `_planned` of the day (the planned extra it bids for).
    """
    held = s.stock[:, c.buyer_stock]
    normal = spec.buyer_normal
    want = normal if planned is None else normal + planned[1]
    short = np.maximum((want - held) - np.clip(normal - held, 0.0, spec.buyer_buffer), 0.0)
    cover = np.where(short > 0.0, 0.0, np.maximum(held - want + spec.buyer_buffer, 0.0))
    return short, cover


def _loss_days(c: Compiled, s, capacity: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Days each seller's rate shortfall is expected to last, (R, F) (docs/model.md §5.9, update).

    A seller without capacity today that announces its restart (the end of a
    scheduled total loss, or the mean duration of its random outages, §5.7)
    is short until then plus the days of full output its cold restart will
    withhold if its stop is by then long enough (§5.4.2; ``down`` counts the
    days before today). Otherwise a seller whose capacity today is below its
    normal rate on a schedule that gives it back is short until its scheduled
    capacity makes that rate again. Every other shortfall is open-ended: a
    restocking year.
    """
    days = np.full(s.throughput.shape, RESTOCKING_DAYS, order="F")
    down = ~(np.broadcast_to(capacity, days.shape) > 0.0)
    spec = price_spec(c)
    if not down.any() and spec.short_days is None:
        return days
    sp = sourcing_spec(c)
    t = min(s.day, c.n_days - 1)
    known = np.zeros(c.n_facilities) if sp.restart_in is None else sp.restart_in[t]
    drawn = np.zeros(c.n_facilities) if sp.outage_days is None else sp.outage_days
    announced = np.where(known > 0, known, drawn)
    wait = np.array(np.broadcast_to(announced, days.shape), order="F")
    if s.cold is not None:
        f = s.cold.facilities
        cold = s.cold.down + wait[:, f] >= s.cold.stop_days
        wait[:, f] = wait[:, f] + np.where(cold, s.cold.withheld[:, 0], 0.0)
    out: np.ndarray = np.where(down & (announced > 0), np.minimum(wait, RESTOCKING_DAYS), days)
    if spec.short_days is not None:
        # Below its normal rate on a schedule that gives it back: short until the schedule does.
        ahead = spec.short_days[t]
        scheduled = (ahead > 0) & (np.broadcast_to(capacity, days.shape) < spec.normal_seller) \
            & ~(down & (announced > 0))
        out = np.where(scheduled, np.minimum(ahead, RESTOCKING_DAYS), out)
    return out


def _lasting_loss(c: Compiled, spec: PriceSpec, s, rate: np.ndarray,  # type: ignore[no-untyped-def]
                  capacity: np.ndarray, cover: np.ndarray) -> np.ndarray:
    """Each seller's rate shortfall times the days it lasts, less its buyers' cover, (R, F) (§5.9, update).

    The loss is shared among the seller's lanes by their steady flows; each
    buyer's cover (the stock it can draw before it is short beyond its buffer)
    is shared among the losses on its lanes by their size. A seller without
    steady flow counts its loss in full.
    """
    loss = rate * _loss_days(c, s, capacity)
    lane_loss = np.asfortranarray(loss[:, c.lane_origin] * spec.lane_weight)
    total = sum_into(lane_loss, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(total > cover, 1.0 - cover / total, 0.0)
    net = sum_into(np.asfortranarray(lane_loss * part[:, c.lane_buyer]), c.lane_origin, c.n_facilities,
                   c.sum_by_origin)
    out: np.ndarray = np.where(spec.normal_seller > 0.0, net, loss)
    return out


def _input_duty(c: Compiled, spec: PriceSpec, day: int) -> np.ndarray:
    """Tariff factor of each input-cost share's baseline basket, (E,) or (R, E) (docs/model.md §5.9).

    ``1 + sum_l x_l p_l (tau_l(t) - tau0_l) / base``: exactly 1 while the
    lanes' tariffs are those in force at the start.
    """
    assert spec.input_basket is not None and spec.input_base_cost is not None and spec.tariff_start is not None
    tariff = c.schedules.day("tariff", min(day, c.n_days - 1))
    rise = spec.landed_price * (tariff - spec.tariff_start)
    now = np.asarray(spec.input_basket @ rise.T).T if np.ndim(rise) == 2 else spec.input_basket @ rise
    base = spec.input_base_cost
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(base > 0, 1.0 + now / np.where(base > 0, base, 1.0), 1.0)
    return out


def _owed_short(c: Compiled, s, short: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The orders owed on each lane that count as scarcity, (R, L) (docs/model.md §5.9, update).

    An order owed counts in full as far as its buyer holds less than its normal
    stock and planned extra beyond its buffer; beyond that (a buyer drawing its
    buffer, or back at normal cover, is owed a refill) only the bid weight of the
    lane's market counts: buyers facing a queue bid for their place in it. The buyer's
    shortfall (``short``, `_buyer_short`) is shared among the lanes that owe it by what each owes.
    """
    owed_b = sum_into(s.owed, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(owed_b > short, short / owed_b, 1.0)
    lane_part = part[:, c.lane_buyer]
    bid = price_spec(c).lane_bid
    if bid is not None:
        # Bidding ahead: of what is owed beyond the buyer's shortfall, the bid weight counts (buyers facing a
        # queue order ahead and bid for their place in it).
        lane_part = np.where(lane_part == 1.0, 1.0, lane_part + bid * (1.0 - lane_part))
    out: np.ndarray = np.where(lane_part == 1.0, s.owed, s.owed * lane_part)
    return out


def _tilt(c: Compiled, spec: PriceSpec, ps: PriceState, tariff: np.ndarray, moved_markets: np.ndarray,
          day: int, quota_full: np.ndarray | None = None) -> None:
    """Move each lane's sourcing tilt towards its landed-cost ratio ** -sigma (docs/model.md §5.9, sourcing).

    The price read is the origin market's, or on a lane where an export control
    holds exports back on ``day`` (B(t): a ban's or a denying licence regime's lanes, `control_bound`, and
    ``quota_full``, (R, L), the lanes of a quota used up in its period) the higher of the origin's and the
    buyer's market's (the export offer). Only lanes whose price read or tilt differs
    from 1 in some run can change; the others keep a tilt of exactly 1, so
    they are skipped.
    """
    moved = np.zeros(spec.n_markets, dtype=bool)
    moved[moved_markets] = True
    pick = moved[spec.lane_market] | ps.tilted
    bound = control_bound(spec, day, c.n_lanes)
    if quota_full is not None:
        bound = quota_full if bound is None else (quota_full | bound)
    if bound is not None:
        pick |= (bound if bound.ndim == 1 else bound.any(axis=0)) & moved[spec.lane_dest_market]
    lanes = np.flatnonzero(pick)
    if not len(lanes):
        return
    origin = ps.index[:, spec.lane_market[lanes]]
    held = None if bound is None else bound[..., lanes]
    if held is not None and held.any():
        # Where a control holds exports back, they are offered at the higher of the exporter's and the buyer's price.
        offer = np.maximum(origin, ps.index[:, spec.lane_dest_market[lanes]])
        origin = np.where(held, offer, origin)
    tau = np.broadcast_to(tariff, (c.n_lanes,))[lanes] if np.ndim(tariff) == 1 else tariff[:, lanes]
    price, freight = c.lane_price[lanes], c.lane_freight[lanes]
    at_reference = price * (1.0 + tau) + freight
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(at_reference > 0, (price * origin * (1.0 + tau) + freight) / at_reference, 1.0)
    target = ratio ** -spec.lane_sigma[lanes]
    tilt = ps.tilt[:, lanes]
    tilt += (target - tilt) * spec.lane_step[lanes]
    ps.tilt[:, lanes] = tilt
    ps.tilted[lanes] = (tilt != 1.0).any(axis=0)


def _tilted_share(c: Compiled, ps: PriceState, share: np.ndarray) -> np.ndarray | None:
    """The day's target share times the tilt, normalised per buyer; ``None`` while every tilt is 1.

    Only the lanes of buyers with a tilted lane are renormalised, and in each
    run a buyer all of whose tilts are 1 keeps its scheduled share bit for bit
    (so a run's numbers do not depend on the other runs of its chunk).
    """
    if not ps.tilted.any():
        return None
    tilted_buyer = np.zeros(c.n_buyers, dtype=bool)
    tilted_buyer[c.lane_buyer[ps.tilted]] = True
    lanes = np.flatnonzero(tilted_buyer[c.lane_buyer])
    out = np.array(np.broadcast_to(share, ps.tilt.shape), order="F")
    # Per-buyer sums through the sparse incidence matrix, in lane order as the SimPy engine adds them:
    # a dense (lanes x buyers) product cost O(lanes x buyers) a day, and with random lead times every
    # lane tilts a little, which made a run with price feedback about 7 times as slow.
    weighted = out * ps.tilt
    total = sum_into(weighted, c.lane_buyer, c.n_buyers, c.sum_by_buyer)[:, c.lane_buyer[lanes]]
    changed = (ps.tilt != 1.0).astype(float)
    moved = sum_into(changed, c.lane_buyer, c.n_buyers, c.sum_by_buyer)[:, c.lane_buyer[lanes]] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out[:, lanes] = np.where(moved & (total > 0), weighted[:, lanes] / total, out[:, lanes])
    return out


def apply(c: Compiled, s, inp: DayInputs,  # type: ignore[no-untyped-def]
          loops: SimpleNamespace | None = None) -> DayInputs:
    """Phase 1a of the day: update prices from ``s`` (a kernel ``State``) and return the day's inputs.

    Call it after arrivals and `day_inputs`,
    before production. With ``Scenario.price_feedback``, the returned inputs
    have final demand scaled by ``(pi * kappa) ** demand_elasticity``, with
    ``pi`` the price of the consumer stock's market and ``kappa`` its landed-cost
    factor under the day's tariffs, and the target sourcing shares tilted by
    the origins' prices; ``s.prices`` holds the new state. ``inp`` is returned
    unchanged without feedback or while nothing differs from the reference. ``loops``: the vector
    engine's compiled loops of `.jit` (some steps of the update in one loop each, the same bits), else NumPy.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.engines.kernel import arrive, initial_state
    >>> from supplychain.engines.day import day_inputs, stack_draws
    >>> from supplychain.engines.draws import draw_run, run_seed_sequences
    >>> c = compile_scenario(toy_scenario(5))
    >>> s = initial_state(c, 1)
    >>> arrive(c, s, c.initial_arrivals[:1].copy())   # day 0's landings, then prices
    >>> inp = day_inputs(c, stack_draws([draw_run(c, run_seed_sequences(0, 1)[0])]), 0)
    >>> apply(c, s, inp) is inp, s.prices.index.shape == (1, price_spec(c).n_markets)
    (True, True)
    """
    spec = price_spec(c)
    ps: PriceState = s.prices
    _unmet(c, spec, ps, s, np.broadcast_to(inp.demand, (ps.index.shape[0], len(spec.demand_market))))
    moved = _update(c, spec, ps, s, inp.capacity, loops)
    if not spec.feedback or (not len(moved) and not ps.tilted.any() and spec.demand_basket is None):
        ps.share = None
        return inp  # every price at its reference, every tilt 1 and no tariff: the day's inputs stand
    tariff = c.schedules.day("tariff", min(s.day, c.n_days - 1))
    _tilt(c, spec, ps, tariff, moved, s.day, quota_used_up(c, getattr(s, "dyn", None), s.day))
    ps.share = _tilted_share(c, ps, inp.share)
    changes: dict[str, np.ndarray] = {}
    if ps.share is not None:
        changes["share"] = ps.share
    at_demand = ps.index[:, spec.demand_market]
    if spec.demand_basket is not None:
        at_demand = at_demand * _landed_factor(spec, tariff)
    if (at_demand != 1.0).any():
        changes["demand"] = inp.demand * np.where(at_demand == 1.0, 1.0, at_demand ** spec.demand_elasticity)
    return dataclasses.replace(inp, **changes) if changes else inp


def _landed_factor(spec: PriceSpec, tariff: np.ndarray) -> np.ndarray:
    """Each demand's basket at the day's tariffs over its cost at the start, (D,) or (R, D) (1 if no basket)."""
    assert spec.demand_basket is not None and spec.demand_base_cost is not None
    c = spec.landed_price * (1.0 + tariff) + spec.landed_freight
    now = np.asarray(spec.demand_basket @ c.T).T if np.ndim(c) == 2 else spec.demand_basket @ c
    base = spec.demand_base_cost
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = np.where(base > 0, now / np.where(base > 0, base, 1.0), 1.0)
    return out


def stock_prices(c: Compiled, ps: PriceState) -> np.ndarray:
    """The price in USD per unit of every stock's market, (R, S): the recorded ``price``."""
    spec = price_spec(c)
    out: np.ndarray = ps.index[:, spec.stock_market] * spec.stock_price
    return out
