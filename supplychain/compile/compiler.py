"""Compile a `Scenario` into dense, integer-indexed arrays.

Both engines run the same `Compiled` object, so that id-to-index maps,
policy levels, schedules and result axes are identical by construction.

Stocks
    Every facility holds one stock per recipe input and one of its output;
    every demand holds one consumer stock. Stocks are numbered facility by
    facility (inputs, then output), then demand by demand.
Buyers
    The stocks that order: facility input stocks and consumer stocks.
Policies
    Each buyer orders ``S - position`` when its position (on hand plus in
    transit) is at or below ``s``. Each facility produces up to its output
    target ``S_out`` when its output stock is at or below ``s_out``.

Implements docs/model.md §4 (compile): §4.4 (levels) and §4.5 (initial-state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from ..model.network import Network
from ..model.policies import BaseStock, DaysOfCover, MinMax, Policy
from ..model.scenario import Scenario
from .leadtime import lead_day_survival
from .rules import FINISHERS, RULES
from .schedules import Schedules, build_schedules
from .steady import SteadyState, steady_state

__all__ = ["Compiled", "compile_scenario", "STOCK_INPUT", "STOCK_OUTPUT", "STOCK_CONSUMER"]

STOCK_INPUT, STOCK_OUTPUT, STOCK_CONSUMER = 0, 1, 2


@dataclass(frozen=True, eq=False)
class Compiled:
    """A scenario as arrays. Integer indices exist only here and in the engines.

    Shapes use ``F`` facilities, ``L`` lanes, ``D`` demands, ``S`` stocks,
    ``B`` buyers, ``K`` the longest recipe and ``T`` days.
    """

    scenario: Scenario
    n_days: int
    facility_ids: tuple[str, ...]
    lane_ids: tuple[str, ...]
    demand_ids: tuple[str, ...]
    stock_node: tuple[str, ...]
    stock_commodity: tuple[str, ...]
    stock_kind: np.ndarray            # (S,) STOCK_* codes
    buyer_stock: np.ndarray           # (B,) stock index of each buyer
    # facilities
    capacity: np.ndarray              # (F,) units/day
    out_stock: np.ndarray             # (F,) stock index of the output
    prod_target: np.ndarray           # (F,) S_out
    prod_trigger: np.ndarray          # (F,) s_out
    recipe_stock: np.ndarray          # (F, K) input stock index, padded with S (a stock of +inf)
    recipe_ratio: np.ndarray          # (F, K) units per unit output, padded with 1
    cycle_time: np.ndarray            # (F,) whole days of work in progress (0: none)
    wip_facility: np.ndarray          # (Fw,) facilities with a cycle time > 0
    wip_slot0: np.ndarray             # (Fw,) first slot of each in the flat WIP ring
    wip_fill: np.ndarray              # (Fw,) steady starts per day: each slot's content at day 0
    initial_wip: np.ndarray           # (F,) work in progress at day 0 (cycle time x steady production)
    # buyers
    order_up_to: np.ndarray           # (B,) S
    reorder_point: np.ndarray         # (B,) s
    # lanes
    lane_origin: np.ndarray           # (L,) facility index
    lane_src_stock: np.ndarray        # (L,) output stock of the origin
    lane_dst_stock: np.ndarray        # (L,) buyer's stock index
    lane_buyer: np.ndarray            # (L,) buyer index
    lane_capacity: np.ndarray         # (L,) units/day
    lane_freight: np.ndarray          # (L,) USD/unit
    lane_price: np.ndarray            # (L,) USD/unit of the commodity carried
    lane_lead_mean: np.ndarray        # (L,) days
    lane_lead_random: np.ndarray      # (L,) bool: lead time is a non-degenerate distribution
    # demands
    demand_stock: np.ndarray          # (D,) consumer stock index
    demand_rate: np.ndarray           # (D,) units/day
    demand_backorder: np.ndarray      # (D,) bool
    demand_patience: np.ndarray       # (D,) int: days a backorder stays on order (0: until delivered; §5.5)
    demand_noisy: np.ndarray          # (D,) bool
    # state at day 0
    initial_stock: np.ndarray         # (S,)
    initial_arrivals: np.ndarray      # (W, L) pre-filled pipeline expected to land on days 0..W-1
    steady: SteadyState
    schedules: Schedules
    # sparse incidence matrices, so kernels never loop over lanes
    m_lane_to_stock: sparse.csr_matrix = field(repr=False)   # (L, S)
    m_lane_to_origin: sparse.csr_matrix = field(repr=False)  # (L, F)
    m_lane_to_buyer: sparse.csr_matrix = field(repr=False)   # (L, B)
    m_production: sparse.csr_matrix = field(repr=False)      # (F, S): +1 output, -ratio inputs

    @property
    def n_facilities(self) -> int:
        return len(self.facility_ids)

    @property
    def n_lanes(self) -> int:
        return len(self.lane_ids)

    @property
    def n_demands(self) -> int:
        return len(self.demand_ids)

    @property
    def n_stocks(self) -> int:
        return len(self.stock_node)

    @property
    def n_buyers(self) -> int:
        return len(self.buyer_stock)

    # Derived index structures of the daily rules, built on first use (cached on the instance).
    @cached_property
    def sum_by_buyer(self) -> sparse.csr_matrix:
        """(B, L) CSR transpose of ``m_lane_to_buyer``: sums lanes per buyer for many runs at once."""
        return self.m_lane_to_buyer.T.tocsr()

    @cached_property
    def sum_by_origin(self) -> sparse.csr_matrix:
        """(F, L) CSR transpose of ``m_lane_to_origin``: sums lanes per supplying facility."""
        return self.m_lane_to_origin.T.tocsr()

    @cached_property
    def production_pattern(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(facility, stock, units per unit produced) of every non-zero of ``m_production``."""
        m = self.m_production
        return np.repeat(np.arange(m.shape[0]), np.diff(m.indptr)), m.indices, m.data

    @cached_property
    def start_pattern(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`production_pattern` without the output of facilities with a cycle time.

        What such a facility starts consumes its inputs at once but joins its
        output stock only after the cycle time (through the work-in-progress ring).
        """
        facility, stock, units = self.production_pattern
        keep = ~((self.cycle_time[facility] > 0) & (stock == self.out_stock[facility]))
        return facility[keep], stock[keep], units[keep]

    @property
    def is_deterministic(self) -> bool:
        """True when no random input is drawn (then every run is identical)."""
        return not (self.lane_lead_random.any() or self.demand_noisy.any()
                    or self.schedules.needs_random)


def _levels(policy: Policy, usage: float, pipeline: float, *, output: bool) -> tuple[float, float, float]:
    """(s, S, initial on hand) for one stock.

    For an output stock, ``S`` is the level production restores *before* the
    day's shipments on the production position (on hand + work in progress),
    so that the end-of-day stock equals the days-of-cover target; its
    ``pipeline`` is one day of usage plus the steady work in progress. For a
    buyer, ``S`` is a target on position (on hand + in transit).
    """
    extra = pipeline
    if isinstance(policy, DaysOfCover):
        on_hand = policy.days * usage
        return on_hand + extra, on_hand + extra, on_hand
    if isinstance(policy, BaseStock):
        return policy.level, policy.level, max(policy.level - extra, 0.0)
    assert isinstance(policy, MinMax)
    return policy.reorder_point, policy.order_up_to, max(policy.order_up_to - extra, 0.0)


def _incidence(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int],
               values: np.ndarray | None = None) -> sparse.csr_matrix:
    data = np.ones(len(rows)) if values is None else values
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def compile_scenario(scenario: Scenario) -> Compiled:
    """Turn a scenario into the arrays both engines run.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> c = compile_scenario(load_baseline().with_horizon(10))
    >>> c.n_days, c.n_facilities > 0
    (10, True)
    """
    net: Network = scenario.network
    ss = steady_state(net)
    fac_index = {f.id: i for i, f in enumerate(net.facilities)}
    stock_node: list[str] = []
    stock_commodity: list[str] = []
    stock_kind: list[int] = []
    stock_index: dict[tuple[str, str], int] = {}

    def add_stock(node: str, commodity: str, kind: int) -> int:
        stock_index[(node, commodity)] = len(stock_node)
        stock_node.append(node)
        stock_commodity.append(commodity)
        stock_kind.append(kind)
        return stock_index[(node, commodity)]

    for f in net.facilities:
        for c in f.inputs:
            add_stock(f.id, c, STOCK_INPUT)
        add_stock(f.id, f.output, STOCK_OUTPUT)
    for d in net.demands:
        add_stock(d.id, d.commodity, STOCK_CONSUMER)
    n_s = len(stock_node)
    kinds = np.array(stock_kind, dtype=np.int8)
    buyer_stock = np.flatnonzero(kinds != STOCK_OUTPUT)
    buyer_of_stock = {int(s): b for b, s in enumerate(buyer_stock)}

    lanes = net.lanes
    lead_mean = np.array([l.lead_time.mean for l in lanes], dtype=float)
    # P(lead_days(X) > k): goods shipped before day 0 still due on day k (see .leadtime).
    survival = [lead_day_survival(l.lead_time) for l in lanes]
    flow = np.array([ss.flow.get(l.id, 0.0) for l in lanes], dtype=float)
    dst_stock = np.array([stock_index[(l.destination, l.commodity)] for l in lanes], dtype=np.intp)
    expected_days = np.array([p.sum() for p in survival], dtype=float)
    pipeline = np.bincount(dst_stock, weights=flow * expected_days, minlength=n_s)

    initial = np.zeros(n_s)
    order_s = np.zeros(len(buyer_stock))
    order_big_s = np.zeros(len(buyer_stock))
    n_f = len(net.facilities)
    prod_s, prod_big_s = np.zeros(n_f), np.zeros(n_f)
    cycle = np.array([f.cycle_time_days for f in net.facilities], dtype=np.intp)
    steady_prod = np.array([ss.production.get(f.id, 0.0) for f in net.facilities], dtype=float)
    initial_wip = cycle * steady_prod
    policies: dict[int, Policy] = {}
    explicit: dict[int, float] = {}
    for f in net.facilities:
        for c in f.stocks:
            policies[stock_index[(f.id, c)]] = f.policy_for(c)
        for c, v in f.initial_inventory:
            explicit[stock_index[(f.id, c)]] = v
    for d in net.demands:
        policies[stock_index[(d.id, d.commodity)]] = d.policy
        if d.initial_inventory is not None:
            explicit[stock_index[(d.id, d.commodity)]] = d.initial_inventory
    for s in range(n_s):
        key = (stock_node[s], stock_commodity[s])
        is_out = kinds[s] == STOCK_OUTPUT
        usage = ss.usage.get(key, 0.0)
        # An output stock's "pipeline": one day of usage (production restores it before shipping)
        # plus the steady work in progress (§4.4).
        gamma = usage + float(initial_wip[fac_index[stock_node[s]]]) if is_out else float(pipeline[s])
        lo, hi, start = _levels(policies[s], usage, gamma, output=is_out)
        initial[s] = explicit.get(s, start)
        if is_out:
            fi = fac_index[stock_node[s]]
            prod_s[fi], prod_big_s[fi] = lo, hi
        else:
            order_s[buyer_of_stock[s]], order_big_s[buyer_of_stock[s]] = lo, hi

    k_max = max([len(f.recipe) for f in net.facilities] + [1])
    rec_stock = np.full((n_f, k_max), n_s, dtype=np.intp)
    rec_ratio = np.ones((n_f, k_max))
    prod_rows, prod_cols, prod_vals = [], [], []
    for i, f in enumerate(net.facilities):
        for k, (c, ratio) in enumerate(f.recipe):
            rec_stock[i, k] = stock_index[(f.id, c)]
            rec_ratio[i, k] = ratio
            prod_rows.append(i); prod_cols.append(rec_stock[i, k]); prod_vals.append(-ratio)
        prod_rows.append(i); prod_cols.append(stock_index[(f.id, f.output)]); prod_vals.append(1.0)

    lane_origin = np.array([fac_index[l.origin] for l in lanes], dtype=np.intp)
    out_stock = np.array([stock_index[(f.id, f.output)] for f in net.facilities], dtype=np.intp)
    lane_buyer = np.array([buyer_of_stock[int(s)] for s in dst_stock], dtype=np.intp)
    n_l, n_b = len(lanes), len(buyer_stock)
    width = max([len(p) for p in survival] + [1])
    arrivals0 = np.zeros((width, n_l))
    for j in range(n_l):
        arrivals0[: len(survival[j]), j] = flow[j] * survival[j]
    prices = {c.id: c.price_usd for c in net.commodities}
    demands = net.demands

    compiled_core = dict(
        scenario=scenario,
        n_days=scenario.horizon_days,
        facility_ids=tuple(f.id for f in net.facilities),
        lane_ids=tuple(l.id for l in lanes),
        demand_ids=tuple(d.id for d in demands),
        stock_node=tuple(stock_node),
        stock_commodity=tuple(stock_commodity),
        stock_kind=kinds,
        buyer_stock=buyer_stock.astype(np.intp),
        capacity=np.array([f.capacity_per_day for f in net.facilities], dtype=float),
        out_stock=out_stock,
        prod_target=prod_big_s,
        prod_trigger=prod_s,
        recipe_stock=rec_stock,
        recipe_ratio=rec_ratio,
        cycle_time=cycle,
        wip_facility=np.flatnonzero(cycle > 0).astype(np.intp),
        wip_slot0=(np.cumsum(cycle[cycle > 0]) - cycle[cycle > 0]).astype(np.intp),
        wip_fill=steady_prod[cycle > 0],
        initial_wip=initial_wip,
        order_up_to=order_big_s,
        reorder_point=order_s,
        lane_origin=lane_origin,
        lane_src_stock=out_stock[lane_origin] if n_l else np.zeros(0, dtype=np.intp),
        lane_dst_stock=dst_stock,
        lane_buyer=lane_buyer,
        lane_capacity=np.array([l.capacity_per_day for l in lanes], dtype=float),
        lane_freight=np.array([l.freight_usd_per_unit for l in lanes], dtype=float),
        lane_price=np.array([prices[l.commodity] for l in lanes], dtype=float),
        lane_lead_mean=lead_mean,
        lane_lead_random=np.array([not l.lead_time.is_deterministic for l in lanes], dtype=bool),
        demand_stock=np.array([stock_index[(d.id, d.commodity)] for d in demands], dtype=np.intp),
        demand_rate=np.array([d.rate_per_day for d in demands], dtype=float),
        demand_backorder=np.array([d.unmet == "backorder" for d in demands], dtype=bool),
        demand_patience=np.array([getattr(d, "patience_days", None) or 0 for d in demands], dtype=np.intp),
        demand_noisy=np.array([d.noise is not None and not d.noise.is_deterministic for d in demands],
                              dtype=bool),
        initial_stock=initial,
        initial_arrivals=arrivals0,
        steady=ss,
        m_lane_to_stock=_incidence(np.arange(n_l), dst_stock, (n_l, n_s)),
        m_lane_to_origin=_incidence(np.arange(n_l), lane_origin, (n_l, n_f)),
        m_lane_to_buyer=_incidence(np.arange(n_l), lane_buyer, (n_l, n_b)),
        m_production=_incidence(np.array(prod_rows, dtype=np.intp), np.array(prod_cols, dtype=np.intp),
                                (n_f, n_s), np.array(prod_vals, dtype=float)),
    )
    shares = np.array([l.share for l in lanes], dtype=float)
    schedules = build_schedules(scenario, compiled_core, base_share=shares, rules=RULES, finishers=FINISHERS)
    if cycle.any():
        # Work in progress is a mechanism like stockpiles: its series ``wip`` is recorded only when present.
        schedules.extras["wip"] = True
    if any(f.scrap_recovery > 0.0 for f in scenario.network.facilities):
        # So is new scrap recovered (§5.4.3): its series ``recovered`` closes the material balance.
        schedules.extras["scrap"] = True
    compiled = Compiled(schedules=schedules, **compiled_core)  # type: ignore[arg-type]
    for value in vars(compiled).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return compiled
