"""The daily rules both engines apply, as pure array functions.

Every array has a leading runs axis ``R`` (1 for the SimPy engine), so the
SimPy engine and the vector engine execute the same arithmetic and agree
exactly on deterministic scenarios. What differs between engines is how time
advances and how goods in transit are held (SimPy events versus a ring
buffer).

Order of events within day ``t`` (``docs/model.md`` §5.1; stock events, §5.3, run at the
start of `produce`):

1. **Arrivals**: shipments due by day ``t`` join the buyer's stock.
2. **Production**: work in progress due today joins the output stocks; then
   each facility whose production position (output stock plus work in
   progress) is at or below its trigger starts up to its target, limited by
   capacity and by the scarcest input (``min_k stock_k / ratio_k``); inputs
   are consumed by the recipe when production starts, and the output joins
   the stock after the facility's cycle time (at once without one).
3. **Demand**: consumer stocks serve any backlog, then the day's demand; what
   cannot be served is lost or backordered.
4. **Orders**: the part of each lane's backlog (owed by its supplier) that
   today's allowance does not let through is cancelled, and the part its
   supplier would not ship within the buyer's patience; then each buyer at or
   below its reorder point orders up to its order-up-to level (raised by the
   pipeline it plans for quoted lead times) on inventory position (on hand +
   in transit + owed on its lanes' backlogs - own backorders; a supplier in
   force majeure restarting beyond the buyer's cover horizon is out of reach:
   its backlog is no cover and it gets no new order), split across
   its lanes by sourcing share and availability (re-sourcing to qualified
   alternates, `.sourcing`), capped by lane capacity.
5. **Shipping**: each supplier ships from its output stock, by default first
   every lane's normal (steady) flow, then the rest of its backlog (older
   orders), then the rest of today's orders (or by its allocation rule:
   backlog first, pro rata, or incumbents first); within each class, when
   orders exceed stock every lane gets the same fraction (proportional
   rationing). Export quotas then cut the shipments of their lanes the same
   way. What is not shipped stays in the lane's backlog; the supplier's
   throughput (a moving average of its shipments) gives each lane's quoted
   lead time.

State-dependent shock mechanisms (quotas, stockpile releases, destroyed
stock; `.dynamic`) run inside these phases, so every engine that calls
the five rules once a day, in order, gets them. ``State.day`` counts the days
done: `ship` ends the day.

Implements docs/model.md §5 (day): §5.1 (order-of-events) to §5.8 (end-of-day).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..compile.compiler import Compiled
from ..compile.leadtime import lead_days
from . import dynamic as _dynamic
from . import prices as _prices
from . import restart as _restart
from . import scrap as _scrap
from . import sourcing as _sourcing
from . import licences as _licences
from . import designs as _designs
from .licences import LicenceState, initial_licences
from .sums import sum_into as _sum_into

__all__ = ["State", "initial_state", "arrive", "produce", "serve_demand", "place_orders", "ship", "ProduceLoops", "ShipLoops",
           "arrival_days", "records", "THROUGHPUT_DAYS", "quoted_lead_time"]

#: Mean age, in days, of the exponential moving average of a supplier's shipments that
#: serves as its throughput in the quoted lead time (docs/model.md §5.7).
THROUGHPUT_DAYS = 30.0

#: A production position at most this part of the production target above the trigger is at it
#: (docs/model.md §5.4): a MinMax output stock's position can land exactly on its trigger, where a
#: rounding residue of either sign would decide between starting up to the target and nothing.
TRIGGER_TOLERANCE = 1e-9


@dataclass(eq=False)
class State:
    """Mutable state of ``R`` runs (engine-private).

    ``stock`` has one extra last column fixed at +inf, the padding target of
    recipes shorter than the longest one.
    """

    stock: np.ndarray          # (R, S + 1)
    transit_lane: np.ndarray   # (R, L) shipped, not yet arrived
    transit_buyer: np.ndarray  # (R, B) the same, summed per buyer
    backlog: np.ndarray        # (R, D)
    day: int = 0               # index of the current day (advanced by ship)
    dyn: _dynamic.DynamicState | None = None
    wip_ring: np.ndarray | None = None  # (R, sum of cycle times): started, not yet output (see Compiled)
    wip: np.ndarray | None = None       # (R, F) work in progress per facility
    owed: np.ndarray | None = None      # (R, L) lane backlog: ordered, not yet shipped (an obligation)
    throughput: np.ndarray | None = None  # (R, F) moving average of each supplier's daily shipments
    normal_rate: np.ndarray | None = None  # (F,) each supplier's steady flow (its throughput on day 0)
    restart: _restart.RestartState | None = None  # idle capacity awaiting restart (§5.4.1), if any
    cold: _restart.ColdState | None = None  # lines that can stop and restart cold (§5.4.2), if any
    scrap: _scrap.ScrapState | None = None  # facilities that recover more new scrap when short (§5.4.3), if any
    recovered: np.ndarray | None = None     # (R, S) scrap input returned to each stock today (§5.4.3)
    licence_ok: np.ndarray | None = None  # (R, L) chance an order on the lane gets through (§6.5.1, §6.5.2)
    licence: LicenceState | None = None   # applications awaiting a licence decision (on order, not shipped)
    diverted: np.ndarray | None = None   # (R, L) fraction of each lane's target share sent elsewhere (§5.6.6)
    diverted_any: bool = False           # whether ``diverted`` has a non-zero entry (kept where it is written)
    seek_day: np.ndarray | None = None   # (R, B) first day each buyer sought alternates (inf: never)
    locked: np.ndarray | None = None     # (R, L) locked volume left unplaced the day before (§5.6.6)
    stalled: np.ndarray | None = None    # (R, n) work due but held in a stopped line (§5.4), per cycle-time facility
    capacity_today: np.ndarray | None = None  # (R, F) the day's capacity after shocks (quotes and spare capacity)
    share_applied: np.ndarray | None = None  # (R, L) applied share; None: that day's target share
    usable: np.ndarray | None = None     # (R, F) the day's capacity usable after the restart limit (§5.4.1)
    expected_wait: np.ndarray | None = None  # (R, L) smoothed quoted wait buyers plan with (§5.6.5)
    prices: _prices.PriceState | None = None  # scarcity prices per market and sourcing tilts (§5.9)
    material_ref: np.ndarray | None = None  # (S + 1,) steady material at the review (§5.7); 0: no limit
    recent: np.ndarray | None = None  # (R, L) each lane's record of recent shipments (allocation "recent", §5.7)
    design: np.ndarray | None = None  # (R, n) design-specific stock of each locked lane (§5.6.6)
    design_cap: np.ndarray | None = None  # (R, n) most each account holds (the rest of an arrival is free)
    design_share: np.ndarray | None = None  # (R, n) each account's locked share of its buyer's use today
    patience: PatienceState | None = None  # cumulative demand of backorders with a patience (§5.5), if any
    # The last input-supported rate, and what it was worked out from (sourcing.input_rate): not model state.
    input_memo: tuple[Any, ...] | None = None


@dataclass(eq=False)
class PatienceState:
    """Backorders with a patience (docs/model.md §5.5): each such demand's cumulative demand and its recent past.

    ``ring[t % L]`` holds the cumulative demand ``A(t)`` after day ``t``, ``L`` the longest patience, so
    ``A(t - P)`` is still there on day ``t`` (0 before day 0).
    """

    cols: np.ndarray   # (Dp,) demand indices with a patience
    lag: np.ndarray    # (Dp,) their patience P in days
    cum: np.ndarray    # (R, Dp) cumulative demand A(t)
    ring: np.ndarray   # (L, Dp, R) A at each of the last L days


def initial_patience(c: Compiled, n_runs: int) -> PatienceState | None:
    """The patience state of ``n_runs`` runs, ``None`` when no backorder expires."""
    cols = np.flatnonzero(c.demand_backorder & (c.demand_patience > 0))
    if not len(cols):
        return None
    lag = c.demand_patience[cols]
    return PatienceState(cols=cols, lag=lag, cum=np.zeros((n_runs, len(cols))),
                         ring=np.zeros((int(lag.max()), len(cols), n_runs)))


def expire(p: PatienceState, day: int, demand: np.ndarray, backlog: np.ndarray) -> np.ndarray:
    """The backlog ``(R, Dp)`` of demands with a patience after expiry: ``min(U, A(t) - A(t - P))`` (§5.5).

    Served oldest first, the units still owed are the latest ones, so at most the last ``P`` days' demand.
    """
    p.cum += demand[:, p.cols]
    width = p.ring.shape[0]
    old = p.ring[(day - p.lag) % width, np.arange(len(p.cols))].T   # A(t - P): slot not yet overwritten
    p.ring[day % width] = p.cum.T
    return np.minimum(backlog, p.cum - old)


def initial_state(c: Compiled, n_runs: int) -> State:
    """State at the start of day 0 (pipeline pre-filled with the steady flows)."""
    stock = np.empty((n_runs, c.n_stocks + 1))
    stock[:, :-1] = c.initial_stock
    stock[:, -1] = np.inf
    pipeline = c.initial_arrivals.sum(axis=0)
    transit_lane = np.repeat(pipeline[None, :], n_runs, axis=0)
    wip_ring = wip = stalled = None
    if len(c.wip_facility):
        wip_ring = np.repeat(np.repeat(c.wip_fill, c.cycle_time[c.wip_facility])[None, :], n_runs, axis=0)
        wip = np.repeat(c.initial_wip[None, :], n_runs, axis=0)
        stalled = np.zeros((n_runs, len(c.wip_facility)))
    steady_out = np.bincount(c.lane_origin, weights=[c.steady.flow.get(i, 0.0) for i in c.lane_ids],
                             minlength=c.n_facilities) if c.n_lanes else np.zeros(c.n_facilities)
    licence = initial_licences(c, n_runs)
    scrap = _scrap.initial_scrap(c, n_runs)
    sp = _sourcing.spec(c)
    ds = _designs.design_spec(c)
    design = design_cap = None
    if ds is not None:
        design, design_cap = _designs.initial_accounts(c, ds, n_runs)
    return State(design=design, design_cap=design_cap, stock=stock, transit_lane=transit_lane,
                 transit_buyer=np.asarray(transit_lane @ c.m_lane_to_buyer),
                 backlog=np.zeros((n_runs, c.n_demands)), dyn=_dynamic.initial_dynamic(c, n_runs),
                 wip_ring=wip_ring, wip=wip, stalled=stalled, owed=np.zeros((n_runs, c.n_lanes)),
                 throughput=np.repeat(steady_out[None, :], n_runs, axis=0), normal_rate=steady_out,
                 restart=_restart.initial_restart(c, n_runs), cold=_restart.initial_cold(c, n_runs),
                 scrap=scrap, recovered=None if scrap is None else np.zeros((n_runs, c.n_stocks)),
                 licence_ok=None if licence is None else np.ones((n_runs, c.n_lanes)), licence=licence,
                 diverted=np.zeros((n_runs, c.n_lanes)), seek_day=np.full((n_runs, c.n_buyers), np.inf),
                 expected_wait=np.zeros((n_runs, c.n_lanes)),
                 prices=_prices.initial_prices(c, n_runs), patience=initial_patience(c, n_runs),
                 material_ref=np.append(_sourcing.material_reference(c), 0.0),
                 recent=None if sp.recent_days is None else np.repeat(sp.lane_flow[None, :], n_runs, axis=0))


def arrive(c: Compiled, s: State, arrived: np.ndarray, by_buyer: np.ndarray | None = None) -> None:
    """Phase 1: add ``arrived`` (R, L) to buyers' stocks.

    ``by_buyer``: ``arrived`` already summed per buyer (as `.sums.sum_into`
    does) and already taken out of ``s.transit_lane`` by the caller (the vector
    engine does both as it empties the day's slot of goods in transit).
    """
    # Buyers and their stocks correspond one to one, so one sum serves both.
    if by_buyer is None:
        by_buyer = _sum_into(arrived, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
        s.transit_lane -= arrived
    s.stock[:, c.buyer_stock] += by_buyer
    s.transit_buyer -= by_buyer
    if s.design is not None:
        ds = _designs.design_spec(c)
        assert ds is not None and s.design_cap is not None
        _designs.credit(ds, s.design, s.design_cap, arrived)


def produce(c: Compiled, s: State, capacity: np.ndarray, fused: ProduceLoops | None = None,
            share: np.ndarray | None = None) -> np.ndarray:
    """Phase 2: complete work in progress, start production and consume inputs; returns starts (R, F).

    ``capacity`` is today's capacity, shape (F,) or (R, F); it limits what
    starts. Stock destroyed by a disaster and reserves released into low
    stocks are applied first. A facility with a cycle time ``k`` puts today's
    starts into work in progress, to join its output stock on day ``t + k``
    (``docs/model.md`` §5.4); without one they join it at once. Capacity above
    a facility's steady output is usable only once restarted (§5.4.1), and a
    line back from a long stop only along its cold restart (§5.4.2).

    ``fused``: loops for the inputs' cover and the starts' stock changes, the
    same bits (`ProduceLoops`), else NumPy. ``share``: the day's target shares (after prices), which
    set the design-specific stocks' parts of each buyer's use (§5.6.6); ``None``: the schedule's.
    """
    ds = _designs.design_spec(c) if s.design is not None else None
    if ds is not None:
        assert s.seek_day is not None
        if share is None:
            share = c.schedules.day("share", min(s.day, c.n_days - 1))
        s.design_share = _designs.shares(c, ds, share, s.seek_day, s.day)
    s.capacity_today = np.broadcast_to(capacity, (s.stock.shape[0], c.n_facilities))
    if s.cold is not None:
        capacity = _restart.cold_capacity(s.cold, s.day, capacity)
    if s.dyn is not None:
        before = None if ds is None or s.dyn.destroyed is None else s.stock[:, ds.stocks].copy()
        _dynamic.stock_events(c, s.stock, s.dyn, s.day, s.wip_ring, s.wip, s.stalled)
        if before is not None:
            assert ds is not None and s.design is not None
            _designs.scale_to(ds, s.design, before, s.stock[:, ds.stocks])
        if ds is not None and s.dyn.released is not None and s.dyn.released.any():
            # A reserve released into a buyer's stock is of its designs, by their parts of its use (§6.10).
            assert s.design is not None and s.design_cap is not None and s.design_share is not None
            _designs.credit_released(ds, s.design, s.design_cap, s.design_share, s.dyn.released)
    wipf = c.wip_facility
    if s.wip_ring is not None:
        assert s.wip is not None
        # Slot t % k of each facility holds what started on day t - k: it is due today.
        slots = c.wip_slot0 + s.day % c.cycle_time[wipf]
        done = _complete(c, s, s.wip_ring[:, slots], capacity)
        s.stock[:, c.out_stock[wipf]] += done
        s.wip[:, wipf] -= done
        position = s.stock[:, c.out_stock] + s.wip
    else:
        position = s.stock[:, c.out_stock]
    # The scarcest input's cover, one recipe column at a time: the same bits as the min over a gathered
    # (R, F, K) block, and about ten times faster on runs-last stocks. A padded entry (the +inf stock) is
    # +inf and leaves the minimum as it is, so later columns visit only the facilities with that many inputs.
    inputs = None if fused is None else fused.cover(s.stock)
    if inputs is None:
        inputs = s.stock[:, c.recipe_stock[:, 0]] / c.recipe_ratio[:, 0]
        for facilities, stocks, ratios in _recipe_columns(c):
            inputs[:, facilities] = np.minimum(inputs[:, facilities], s.stock[:, stocks] / ratios)
    phi = None
    if s.scrap is not None:
        # New scrap recovered (§5.4.3): the scrap input's use per unit started is a φ, its cover the stock over that
        # (φ = 1 exactly until some run is short, when the recipe's cover and consumption are already right).
        phi = _scrap.factor(s.scrap, s.day)
        if not s.scrap.idle:
            inputs[:, s.scrap.facilities] = _scrap.cover(c, s.scrap, s.stock, phi)
    need = np.where(position <= c.prod_trigger + TRIGGER_TOLERANCE * c.prod_target, c.prod_target - position, 0.0)
    if s.restart is not None:
        capacity = _restart.usable_capacity(s.restart, s.day, capacity, inputs, need)
    if s.scrap is not None:
        assert phi is not None
        f_scrap = s.scrap.facilities
        _scrap.note_short(s.scrap, s.day, _scrap.scrap_cover(s.scrap, s.stock, phi),
                          np.broadcast_to(capacity, need.shape)[:, f_scrap], need[:, f_scrap])
    s.usable = np.broadcast_to(capacity, (s.stock.shape[0], c.n_facilities))
    p = np.minimum(np.minimum(capacity, inputs), need)
    np.maximum(p, 0.0, out=p)
    if ds is not None and len(ds.facility):
        p = _design_starts(ds, s, p)
    # Each stock belongs to one facility, so this indexed update equals ``p @ c.m_production``
    # (less the output of facilities with a cycle time: their starts go to work in progress).
    if fused is None or not fused.start(s.stock, p):
        facility, stock, units = c.start_pattern
        s.stock[:, stock] += p[:, facility] * units
    if s.wip_ring is not None:
        assert s.wip is not None
        started = p[:, wipf]
        s.wip_ring[:, slots] = started
        s.wip[:, wipf] += started
    if s.scrap is not None and not s.scrap.idle:
        assert phi is not None and s.recovered is not None
        back = _scrap.returned(s.scrap, p[:, s.scrap.facilities], phi)
        s.stock[:, s.scrap.stocks] += back
        s.recovered[:, s.scrap.stocks] = back
    # Consuming exactly what is on hand can leave -1e-16; stocks are never negative.
    np.maximum(s.stock, 0.0, out=s.stock)
    return p


def _design_starts(ds: _designs.DesignSpec, s: State, p: np.ndarray) -> np.ndarray:
    """Starts cut to what the facilities' design-specific stocks allow, the accounts debited (§5.6.6).

    A facility whose stock of some design is short makes the products of that design only from what
    it holds of it; each other part of its output at most its share of the starts it wanted.
    """
    assert s.design is not None and s.design_share is not None
    m = len(ds.buyers)
    wanted = np.zeros((p.shape[0], m), order="F")  # runs-last, as the accounts (the compiled loops' layout)
    wanted[:, ds.input_group] = p[:, ds.facility] * ds.ratio
    can, take = _designs.usable(ds, s.design, s.design_share, s.stock[:, ds.stocks], wanted)
    # Each locked input allows can / ratio starts; a facility starts the least its inputs allow.
    allowed = p.copy()
    np.minimum.at(allowed, (slice(None), ds.facility), np.maximum(can[:, ds.input_group], 0.0) / ds.ratio)
    if not (allowed < p).any():
        _designs.debit(ds, s.design, take)
        return p
    # An input that allowed more than the facility starts gives up its designs in proportion.
    used = np.ones((p.shape[0], m), order="F")
    with np.errstate(divide="ignore", invalid="ignore"):
        part = allowed[:, ds.facility] * ds.ratio / can[:, ds.input_group]
    used[:, ds.input_group] = np.where(can[:, ds.input_group] > 0.0, np.minimum(part, 1.0), 1.0)
    _designs.debit(ds, s.design, take, used)
    return allowed


_RECIPE_COLUMNS: weakref.WeakKeyDictionary[Compiled, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = (
    weakref.WeakKeyDictionary())


def _recipe_columns(c: Compiled) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each recipe column after the first: the facilities with a real input in it, its stocks and ratios."""
    columns = _RECIPE_COLUMNS.get(c)
    if columns is None:
        columns = []
        for k in range(1, c.recipe_stock.shape[1]):
            facilities = np.flatnonzero(c.recipe_stock[:, k] < c.n_stocks)
            if len(facilities):
                columns.append((facilities, c.recipe_stock[facilities, k], c.recipe_ratio[facilities, k]))
        _RECIPE_COLUMNS[c] = columns
    return columns


def _complete(c: Compiled, s: State, due: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Work that completes today, (R, n) over the cycle-time facilities (docs/model.md §5.4).

    A line completes at most its capacity of the day: the work due first,
    then work stalled on earlier days. What it cannot complete stalls in the
    line (still work in progress). With nothing stalled and the capacity at
    least the work due, exactly the due work completes.
    """
    assert s.stalled is not None
    # The same capacity in every run: gather it once and let it broadcast (the same numbers).
    cap = capacity[c.wip_facility] if capacity.ndim == 1 else capacity[:, c.wip_facility]
    done = np.minimum(due, cap)
    s.stalled += due - done
    if s.stalled.any():
        release = np.minimum(s.stalled, np.maximum(cap - done, 0.0))
        s.stalled -= release
        done = done + release
    return done


def serve_demand(c: Compiled, s: State, demand: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Phase 3: serve ``demand`` (R, D) plus backlog; returns (delivered, unmet, served_on_day).

    The backlog is served first (first come, first served), so the part of
    today's demand served from stock today is ``(delivered - backlog)^+``.
    """
    wanted = demand + s.backlog
    have = s.stock[:, c.demand_stock]
    delivered = np.minimum(have, wanted)
    ds = _designs.design_spec(c) if s.design is not None else None
    if ds is not None and len(ds.demand):
        # Design-specific stocks (§5.6.6): each design's part of the demand only from its own stock.
        assert s.design is not None and s.design_share is not None
        ask = np.zeros((have.shape[0], len(ds.buyers)), order="F")
        ask[:, ds.demand_group] = wanted[:, ds.demand]
        can, take = _designs.usable(ds, s.design, s.design_share, s.stock[:, ds.stocks], ask)
        delivered[:, ds.demand] = np.minimum(delivered[:, ds.demand], np.maximum(can[:, ds.demand_group], 0.0))
        _designs.debit(ds, s.design, take)
    served_on_day = np.maximum(delivered - s.backlog, 0.0)
    s.stock[:, c.demand_stock] = have - delivered
    unmet = wanted - delivered
    backlog = np.where(c.demand_backorder, unmet, 0.0)
    if s.patience is not None:  # a backorder older than its patience is cancelled, oldest first (§5.5)
        backlog[:, s.patience.cols] = expire(s.patience, s.day, demand, backlog[:, s.patience.cols])
    s.backlog = backlog
    return delivered, unmet, served_on_day


def place_orders(c: Compiled, s: State, share: np.ndarray, allow: np.ndarray,
                 order_factor: np.ndarray, fused: _sourcing.OrderLoops | None = None) -> np.ndarray:
    """Phase 4: orders per lane (R, L), after lane capacity, availability and re-sourcing.

    First the part of each lane's backlog that today's allowance does not let
    through is cancelled (a ban or a closed lane cancels it all, so the buyer
    re-orders what it is no longer owed), then what a supplier would not ship
    within the buyer's patience (§5.6.5); a lane out of reach (§5.6.5) counts
    nothing owed and is unavailable for the day's orders. Targets move with the
    ``target_extra`` schedule (front-loading, safety-stock changes) and with
    the pipeline planned for the quoted lead time (§5.6.5); the order is split
    across lanes by `.sourcing.split_orders` (§5.6.6), with its ``fused`` loop if given.
    """
    assert s.owed is not None
    sp = _sourcing.spec(c)
    extra = c.schedules.day("target_extra", min(s.day, c.n_days - 1))
    if s.design is not None and s.design_share is not None:
        # What a lane delivered beyond its designs' share, and a ported lane's whole account, is free (§5.6.6).
        ds = _designs.design_spec(c)
        assert ds is not None
        s.design_cap = _designs.settle(ds, s.design, s.design_share, extra)
    if not _all_one(allow):  # x * 1.0 is x: a day that lets every lane through cancels nothing
        _sourcing.cancel_allowance(c, s, sp, allow)
    wait, late = _sourcing.cancel_late(c, s, sp, fused)
    # A supplier restarting too late for the buyer's horizon: its backlog is no cover and it gets no
    # new order (§5.6.5, reach).
    far = _sourcing.out_of_reach(c, s, sp, extra)
    owed = s.owed if far is None else np.where(far, 0.0, s.owed)
    if far is not None:
        late = far if late is None else late | far
    hold = _sourcing.locked_owed(c, s, sp, far)  # design lock-in: owed out of reach, from no one else
    # Inventory position: on hand + in transit + owed by suppliers' backlogs within reach + awaiting a
    # licence - own backorders (§5.6).
    position = None if fused is None else fused.position(s.stock, s.transit_buyer, owed, s.backlog)
    if position is None:
        position = s.stock[:, c.buyer_stock] + s.transit_buyer
        position += _sum_into(owed, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
        position[:, _demand_buyer(c)] -= s.backlog
    # Pending licence applications count in full, so the buyer does not pile them up; the part it
    # expects to be denied and the lanes where an order would wait for a licence (§6.5.2).
    doubt = licensed = None
    if s.licence is not None:
        position += _sum_into(s.licence.awaiting, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
        doubt, licensed = _licences.outlook(c, s)
    planned = _sourcing.planned_extra(c, s, sp, _sourcing.expect_wait(s, sp, wait), share, allow, late)
    # The order without the planned pipeline: what a queued supplier keeps beyond its room (§5.6.5).
    plain = None
    if planned is not None:
        plain = _order_up_to(c, position if doubt is None else position - doubt, extra, order_factor)
        extra = extra + planned
    q = _order_up_to(c, position, extra, order_factor)
    if doubt is None:
        return _sourcing.split_orders(c, s, sp, q, share, allow, late, None, licensed, plain, fused, hold)
    # The buyer orders as if only the approvals it expects were on order (as under a ban for the
    # rest), but files on a licensed lane no more than it would counting every application.
    expected = _order_up_to(c, position - doubt, extra, order_factor)
    return _sourcing.split_orders(c, s, sp, expected, share, allow, late, q, licensed, plain, fused, hold)


def _all_one(a: np.ndarray) -> bool:
    """Whether every entry of ``a`` is exactly 1.0 (so multiplying by it changes no finite number)."""
    return bool(a.min(initial=1.0) == 1.0 and a.max(initial=1.0) == 1.0)


def _order_up_to(c: Compiled, position: np.ndarray, extra: np.ndarray, order_factor: np.ndarray) -> np.ndarray:
    """Each buyer's order (R, B) at ``position`` with its levels shifted by ``extra`` (§5.6)."""
    # A position a rounding residue above the reorder point is at it, and a rounding residue of the
    # level less the position is no order (§5.6): the engines sum the position in different orders,
    # an (s, S) buyer's position can land exactly on s, and the applied share divides by the order (§5.6.6).
    tolerance = _sourcing.ORDER_TOLERANCE * _sourcing.spec(c).buyer_flow
    q = np.where(position <= c.reorder_point + extra + tolerance, c.order_up_to + extra - position, 0.0)
    np.maximum(q, 0.0, out=q)
    if not _all_one(order_factor):
        q *= order_factor
    q[q <= tolerance] = 0.0
    return q


def _demand_buyer(c: Compiled) -> np.ndarray:
    """Buyer index of each demand's consumer stock, (D,) (``buyer_stock`` is sorted)."""
    return np.searchsorted(c.buyer_stock, c.demand_stock)


def _ration(c: Compiled, wanted: np.ndarray, on_hand: np.ndarray) -> np.ndarray:
    """Proportional rationing of ``wanted`` (R, L) against each origin's ``on_hand`` (R, F)."""
    requested = _sum_into(wanted, c.lane_origin, c.n_facilities, c.sum_by_origin)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fill = np.where(requested > on_hand, on_hand / requested, 1.0)
    return wanted * fill[:, c.lane_origin]


def ship(c: Compiled, s: State, orders: np.ndarray, fused: ShipLoops | None = None) -> np.ndarray:
    """Phase 5: ship from suppliers' output stocks by their allocation rule; returns (R, L).

    Each supplier serves its service classes in turn, by its allocation rule
    (§5.7): ``history`` (the default) every lane up to its steady daily flow,
    then the rest of its backlog, then the rest of the day's orders;
    ``fcfs`` its lanes' backlog (older orders) before today's orders,
    ``pro_rata`` all in one class, ``incumbent`` its baseline customers'
    lanes before the others, ``recent`` as ``history`` up to each lane's
    record of recent shipments (``State.recent``, moved here); each class is rationed proportionally, a lane
    never shipping more than its capacity in a day. A supplier that owes
    nothing and holds stock for all the day's orders ships them. Quotas then
    cut the shipments; whatever is not shipped stays owed in the lane's backlog.

    ``fused``: loops that do some of these passes at once, the same bits
    (`ShipLoops`; the vector engine's compiled loops), else NumPy.
    """
    assert s.owed is not None and s.throughput is not None
    on_hand = s.stock[:, c.out_stock]
    sp = _sourcing.spec(c)
    if fused is not None and orders.flags.f_contiguous and s.owed.flags.f_contiguous:
        wanted, owed_sum, requested = fused.head(orders, s.owed)
    else:
        wanted = np.minimum(orders, c.lane_capacity)
        owed_sum = _sum_into(s.owed, c.lane_origin, c.n_facilities, c.sum_by_origin)
        requested = _sum_into(wanted, c.lane_origin, c.n_facilities, c.sum_by_origin)
    owes = owed_sum > 0.0
    fits = ~owes & (requested <= on_hand)
    # Shipping exactly what was asked, with no quota to cut it: the shipments' sums are the requests' (the same
    # sum of the same numbers).
    sent = None
    if fits.all():
        shipped = wanted
        if s.dyn is None or s.dyn.quota_left is None:
            sent = requested
    else:
        # With the engine's compiled loops, one loop over each supplier's own classes (the same bits).
        shipped = _sourcing.ship_by_class(c, sp, s.owed, orders, s.recent, on_hand, fits, wanted,
                                          getattr(fused, "kernels", None))
    if shipped is None:
        shipped = np.zeros_like(orders)
        left, room = on_hand, c.lane_capacity
        for asked in _sourcing.ship_classes(c, sp, s.owed, orders, s.recent):
            part = _ration(c, np.minimum(asked, room), left)
            left = np.maximum(left - _sum_into(part, c.lane_origin, c.n_facilities, c.sum_by_origin), 0.0)
            room = room - part
            shipped = shipped + part
        shipped = np.where(fits[:, c.lane_origin], wanted, shipped)
    if s.dyn is not None:
        _dynamic.apply_quotas(c, shipped, s.dyn, s.day)
    if sent is None:
        sent = _sum_into(shipped, c.lane_origin, c.n_facilities, c.sum_by_origin)
    s.stock[:, c.out_stock] = np.maximum(on_hand - sent, 0.0)
    s.throughput += (sent - s.throughput) / THROUGHPUT_DAYS
    if s.recent is not None:
        _sourcing.record_recent(sp, s.recent, shipped)
    tail = None
    if fused is not None and orders.flags.f_contiguous and shipped.flags.f_contiguous:
        tail = fused.tail(s, orders, shipped)
    if tail is None:
        s.owed += orders
        s.owed -= shipped
        np.maximum(s.owed, 0.0, out=s.owed)
        s.transit_lane += shipped
        tail = _sum_into(shipped, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
    s.transit_buyer += tail
    s.day += 1
    return shipped


class ProduceLoops:
    """Fused passes of `produce` (an interface), each the same bits as the NumPy code it replaces.

    `cover` returns the scarcest input's cover (R, F) of ``stock``, or
    ``None`` (then NumPy works it out); `start` adds each start's
    recipe (``stock[:, j] += p[:, f] * units`` over ``Compiled.start_pattern``)
    and says whether it did.
    """

    def cover(self, stock: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    def start(self, stock: np.ndarray, p: np.ndarray) -> bool:
        raise NotImplementedError


class ShipLoops:
    """Fused passes of `ship`, each giving the same bits as the NumPy passes it replaces (an interface).

    `head` returns ``np.minimum(orders, c.lane_capacity)`` and the sums
    per origin of ``owed`` and of that (as `.sums.sum_into`); `tail`
    does the day's ``owed += orders; owed -= shipped; owed = max(owed, 0)`` and
    ``transit_lane += shipped`` on ``s`` (and may do more work of its caller's
    with ``shipped``, such as putting it in transit) and returns ``shipped``
    summed per buyer, or ``None`` having done nothing (then `ship` does it).
    """

    def head(self, orders: np.ndarray, owed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        raise NotImplementedError

    def tail(self, s: State, orders: np.ndarray, shipped: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError


def quoted_lead_time(c: Compiled, s: State, lead_time: np.ndarray) -> np.ndarray:
    """Quoted lead time of each lane at the end of the day, (R, L) days (docs/model.md §5.7).

    The lane's transport lead time for today's shipments (``lead_time``)
    plus the days before its supplier ships a new order
    (`.sourcing.supplier_wait`), at most the horizon's length.
    """
    wait, _ = _sourcing.supplier_wait(c, s, s.day - 1)
    # A wait beyond the whole horizon (no restart in view) is recorded as the horizon: results are finite.
    return lead_time + np.minimum(wait, float(c.n_days))


def records(c: Compiled, s: State, lead_time: np.ndarray) -> dict[str, np.ndarray]:
    """Daily series of the order books (``backlog``, ``quoted_lead_time``), of sourcing (``share``,
    ``on_order``), of prices (``price``) and of the dynamic mechanisms (``released``, ``destroyed``, ``wip``,
    ``awaiting_licence``), if any.

    ``lead_time`` is the day's transport lead time per lane. Engines pass them to
    `supplychain.engines.record.Recorder.put` after `ship`.
    """
    assert s.owed is not None
    on_order = np.zeros((s.stock.shape[0], c.n_stocks))
    on_order[:, c.buyer_stock] = s.transit_buyer + _sum_into(s.owed, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
    if s.licence is not None:
        on_order[:, c.buyer_stock] += _sum_into(s.licence.awaiting, c.lane_buyer, c.n_buyers, c.sum_by_buyer)
    share = s.share_applied
    if share is None and s.prices is not None:
        share = s.prices.share
    if share is None:
        share = c.schedules.day("share", min(max(s.day - 1, 0), c.n_days - 1))
    out = {"backlog": s.owed, "quoted_lead_time": quoted_lead_time(c, s, lead_time), "share": share,
           "on_order": on_order, **_dynamic.records(s.dyn)}
    if s.prices is not None:
        out["price"] = _prices.stock_prices(c, s.prices)
    if s.wip is not None:
        out["wip"] = s.wip
    if s.licence is not None:
        out["awaiting_licence"] = s.licence.awaiting
    if s.recovered is not None:
        out["recovered"] = s.recovered
    return out


#: Whole days until a shipment with (continuous) lead time ``x`` is in stock:
#: `supplychain.compile.leadtime.lead_days`, the one rounding rule of the model.
arrival_days = lead_days
