"""Sourcing: tariff shares (CES with a switching lag) and the buyers' sourcing parameters.

`tariff_shares` turns the summed tariff rates into the day's target
sourcing shares ``w_l(t)`` (``docs/model.md`` §6.4.3). `sourcing_spec`
collects what the daily rules need to combine those shares with lane
availability, in one place (`supplychain.engines.sourcing.split_orders`):
which lanes are incumbents (baseline share > 0), when a potential alternate
qualifies, each lane's patience, switching lag and lasting diversion, each
buyer's over-ordering (``panic``) and steady inflow, each supplier's
allocation rule, and the scheduled change of each lane's transport time.
Tariffs and disruptions therefore share one machinery: the CES schedule
gives the target shares, availability moves orders away from unavailable
lanes, and both move back over the same switching lags
(`supplychain.model.shocks.SWITCHING_LAG_DAYS`).

Implements docs/model.md §6.4.3 (tariff shares), §5.6.5 (patience), §5.6.6
(re-sourcing) and §5.7 (allocation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...model.shocks import SWITCHING_LAG_DAYS
from ...model.sourcing import (
    PATIENCE_DAYS,
    QUALIFICATION_DAYS,
    SECOND_SOURCE_SHARE,
    default_days,
    default_share,
)
from ..schedules import ScheduleBuilder, normalise_shares
from ..select import index
from .allocation import ALLOCATION_CODE, lane_values, recent_days, resolved_rules, value_ranks

__all__ = ["SourcingSpec", "tariff_shares", "sourcing_spec", "ALLOCATION_CODE"]

@dataclass(frozen=True, eq=False)
class SourcingSpec:
    """Per-lane and per-buyer sourcing parameters (``Compiled.schedules.extras["sourcing"]``).

    ``lead_shift`` is ``None`` when no shock changes any transport time;
    ``allocation`` is ``None`` when every supplier allocates by history (``"auto"`` resolved, §5.7);
    ``value_rank`` is ``None`` when no supplier allocates by value; ``recent_days`` is ``None`` when
    none allocates by ``"recent"``.
    """

    incumbent: np.ndarray        # (L,) bool: baseline share > 0 (qualified from the start)
    qualify_days: np.ndarray     # (L,) days from the buyer's first search to qualification (0: incumbent)
    patience: np.ndarray         # (L,) days of waiting accepted beyond transport
    lasting: np.ndarray          # (L,) fraction of a diversion that stays after the shock
    step: np.ndarray             # (L,) 1 / switching lag: daily return of a diverted share
    panic: np.ndarray            # (B,) over-ordering factor on the extra pipeline
    buyer_flow: np.ndarray       # (B,) steady inflow of each buyer, units/day
    lane_flow: np.ndarray        # (L,) steady daily flow of each lane: its history in allocation (§5.7)
    lead_shift: np.ndarray | None  # (T or 1, L) scheduled transport days minus the baseline mean
    allocation: np.ndarray | None  # (L,) ALLOCATION_CODE of the lane's supplier
    restart_in: np.ndarray | None = None  # (T, F) days to the end of a scheduled total loss (0: none)
    quote_share: np.ndarray | None = None  # (T, F) nameplate share a supplier quotes from (recovery ahead)
    outage_days: np.ndarray | None = None  # (F,) mean duration of the random outages hitting a facility
    lock: np.ndarray | None = None  # (L,) locked share 1 - second-source share (§5.6.6); None: no lane locked
    port_days: np.ndarray | None = None  # (L,) days from the buyer's first search to porting its designs
    value_rank: np.ndarray | None = None  # (L,) value tier of the lane among its supplier's lanes (0: highest)
    n_tiers: int = 1             # number of value tiers of the supplier with the most
    recent_days: np.ndarray | None = None  # (L,) mean age of the lane's record of recent shipments (inf: steady)


def _moving_average(x: np.ndarray, before: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` rows of ``x`` (rows before day 0 equal ``before``), shape of ``x``."""
    padded = np.concatenate([np.repeat(before[None, :], window, axis=0), x])
    csum = np.cumsum(padded, axis=0)
    out: np.ndarray = (csum[window:] - csum[:-window]) / window
    return out


def tariff_shares(builder: ScheduleBuilder) -> None:
    """Turn summed tariff rates into CES sourcing shares moved linearly over the switching lag.

    Formula in docs/model.md §6.4.3 (and `.trade`). Runs after every rule (a
    finishing step); does nothing when the scenario has no tariff.
    """
    lag_lane = builder.cache.get("tariff_lag")
    if lag_lane is None:
        return
    core, idx = builder.core, index(builder)
    eps = builder.cache.get("tariff_demand_elasticity")
    tau = builder.arrays["tariff"]
    buyers, n_b = core["lane_buyer"], len(core["buyer_stock"])
    price, freight = core["lane_price"], core["lane_freight"]
    c0 = price * (1 + builder.cache.get("tariff_in_force", 0.0)) + freight
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c0 > 0, (price * (1 + tau) + freight) / c0, 1.0)
    sigma = np.array([idx.commodities[c].elasticity for c in idx.lane_commodity])
    base = builder.arrays["share"]
    base_norm = normalise_shares(base[:1], buyers, n_b)[0]
    target = normalise_shares(base * ratio ** -sigma, buyers, n_b)
    lag_buyer = np.zeros(n_b, dtype=int)
    np.maximum.at(lag_buyer, buyers, lag_lane)
    share = builder.full("share")
    for lag in np.unique(lag_buyer[lag_buyer > 0]):
        lanes = np.flatnonzero(lag_buyer[buyers] == lag)
        share[:, lanes] = _moving_average(target[:, lanes], base_norm[lanes], int(lag))
    if eps is not None and eps.any():
        _demand_response(builder, ratio, sigma, base_norm, eps)


def _demand_response(builder: ScheduleBuilder, ratio: np.ndarray, sigma: np.ndarray,
                     s0: np.ndarray, eps: np.ndarray) -> None:
    """Scale final demand by ``P ** -eps``, ``P`` the buyer's CES landed-price index (baseline 1).

    ``P = (sum_j s0_j r_j ** (1 - sigma)) ** (1 / (1 - sigma))`` with ``r`` the
    landed-cost ratio to baseline (its geometric mean when ``sigma = 1``): the
    CES unit-cost function dual to the Armington aggregate (Armington 1969).
    """
    core = builder.core
    n_b = len(core["buyer_stock"])
    sig_b = np.zeros(n_b)
    sig_b[core["lane_buyer"]] = sigma          # a buyer's lanes all carry one commodity
    one_b = np.isclose(sig_b, 1.0)
    one_l = one_b[core["lane_buyer"]]
    term = np.where(one_l, s0 * np.log(ratio), s0 * ratio ** (1.0 - np.where(one_l, 0.0, sigma)))
    summed = np.asarray(term @ core["m_lane_to_buyer"])                       # (T, B)
    power = 1.0 / np.where(one_b, 1.0, 1.0 - sig_b)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        price = np.where(one_b, np.exp(summed), summed ** power)
    price = np.where(np.isfinite(price) & (price > 0), price, 1.0)
    demand_buyer = np.searchsorted(core["buyer_stock"], core["demand_stock"])
    hit = np.flatnonzero(eps > 0)
    factor = price[:, demand_buyer[hit]] ** -eps[hit]
    builder.full("demand_factor")[:, hit] *= factor
    # Kept apart as well: demand given up to a tariff is output its users do not make (docs/model.md §8.3).
    given = np.ones((factor.shape[0], len(eps)))
    given[:, hit] = factor
    builder.extras["tariff_demand"] = given




def _chain_lag(chain: str) -> int:
    return SWITCHING_LAG_DAYS.get(chain, SWITCHING_LAG_DAYS["default"])


def sourcing_spec(builder: ScheduleBuilder) -> None:
    """Store the `SourcingSpec` of the scenario in ``builder.extras["sourcing"]`` (a finisher).

    Runs after every rule, so ``lead_shift`` includes every logistics shock and
    fixed licence delay.
    """
    core, idx = builder.core, index(builder)
    net = builder.scenario.network
    lanes = net.lanes
    n_b = len(core["buyer_stock"])
    chains = [idx.commodities[l.commodity].chain for l in lanes]
    incumbent = np.array([l.share > 0 for l in lanes], dtype=bool)
    qualify = np.array([0.0 if inc else (l.qualification_days if l.qualification_days is not None
                                         else default_days(QUALIFICATION_DAYS, l.commodity, ch))
                        for l, inc, ch in zip(lanes, incumbent, chains)], dtype=float)
    patience = np.array([l.patience_days if l.patience_days is not None
                         else default_days(PATIENCE_DAYS, l.commodity, ch) for l, ch in zip(lanes, chains)],
                        dtype=float)
    lasting = np.array([l.lasting_diversion for l in lanes], dtype=float)
    # Design lock-in (§5.6.6): the part of a lane's diverted volume not second-sourced waits for the
    # lane's qualification time, its porting time (incumbents included).
    second = np.array([l.second_source_share if l.second_source_share is not None
                       else default_share(SECOND_SOURCE_SHARE, l.commodity, ch) for l, ch in zip(lanes, chains)],
                      dtype=float)
    lock = port = None
    if (second < 1.0).any():
        lock = 1.0 - second
        port = np.array([l.qualification_days if l.qualification_days is not None
                         else default_days(QUALIFICATION_DAYS, l.commodity, ch) for l, ch in zip(lanes, chains)],
                        dtype=float)
    step = 1.0 / np.array([max(_chain_lag(ch), 1) for ch in chains], dtype=float)
    # Buyer b's stock is a facility input or a demand's consumer stock; its panic comes from its owner.
    panic_of = {f.id: f.panic for f in net.facilities} | {d.id: d.panic for d in net.demands}
    panic = np.zeros(n_b)
    stock_node = core["stock_node"]
    for b, s in enumerate(core["buyer_stock"]):
        panic[b] = panic_of[stock_node[int(s)]]
    flow = np.array([core["steady"].flow.get(i, 0.0) for i in core["lane_ids"]], dtype=float)
    buyer_flow = np.bincount(core["lane_buyer"], weights=flow, minlength=n_b) if len(lanes) else np.zeros(n_b)
    factor, extra = builder.arrays["lead_factor"], builder.arrays["lead_extra"]
    lead_shift = None
    if (factor != 1.0).any() or (extra != 0.0).any():
        lead_shift = core["lane_lead_mean"] * (factor - 1.0) + extra
    codes = resolved_rules(net, builder.scenario.price_feedback)
    allocation = codes[core["lane_origin"]] if codes.any() else None
    value_rank, n_tiers = None, 1
    if allocation is not None and (allocation == ALLOCATION_CODE["value"]).any():
        value_rank = value_ranks(lane_values(net), core["lane_origin"], allocation == ALLOCATION_CODE["value"])
        n_tiers = int(value_rank.max()) + 1 if value_rank.size else 1
    builder.extras["sourcing"] = SourcingSpec(
        incumbent=incumbent, qualify_days=qualify, patience=patience, lasting=lasting, step=step,
        panic=panic, buyer_flow=buyer_flow, lead_shift=lead_shift, allocation=allocation, lane_flow=flow,
        restart_in=_restart_in(builder), outage_days=_outage_days(builder), quote_share=_quote_share(builder),
        lock=lock, port_days=port, value_rank=value_rank, n_tiers=n_tiers,
        recent_days=recent_days(net, codes, core["lane_origin"]))


def _quote_share(builder: ScheduleBuilder) -> np.ndarray | None:
    """Share of its nameplate capacity each supplier quotes from, (T, F); None without a capacity shock.

    ``max(min(1, capacity_factor[t : t + H_f + 1]))`` with ``H_f`` the longest
    recovery ramp of the capacity shocks on the facility (0 for a facility no
    capacity shock hits): a supplier recovering from a loss quotes from the
    capacity its scheduled ramp gives back, not from the day's. Days past the
    horizon are not looked at.
    """
    window: dict[int, float] = builder.extras.get("recovery_window", {})
    factor = builder.arrays["capacity_factor"]
    if not window or not (factor < 1.0).any():
        return None
    capped = np.minimum(factor, 1.0)
    out = np.zeros_like(capped)
    for f, rec in window.items():
        col = capped[:, f].copy()
        for k in range(1, int(np.ceil(rec)) + 1):
            np.maximum(col[:-k], capped[k:, f], out=col[:-k])
        out[:, f] = col
    return out


def _restart_in(builder: ScheduleBuilder) -> np.ndarray | None:
    """Days from each day to the end of the total capacity loss it lies in, (T, F); None without one.

    Windows of ``CapacityShock(fraction_lost=1)`` on one facility that overlap or
    touch merge into one: the facility restarts at the end of their union
    (``inf`` for a shock without an end). 0 on days with some capacity left.
    """
    windows = builder.extras.get("full_loss")
    if not windows:
        return None
    n_days, n_fac = builder.n_days, len(builder.core["facility_ids"])
    out = np.zeros((n_days, n_fac))
    for f in range(n_fac):
        spans = sorted((float(a), float(b)) for facs, a, b in windows if f in facs)
        merged: list[list[float]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        for a, b in merged:
            lo, hi = int(max(a, 0)), int(min(b, n_days))
            if lo < hi:
                out[lo:hi, f] = b - np.arange(lo, hi)
    return out


def _outage_days(builder: ScheduleBuilder) -> np.ndarray | None:
    """Mean duration of the random outages of each facility (the longest if several), (F,); None without."""
    specs = builder.extras.get("outages")
    if not specs:
        return None
    out = np.zeros(len(builder.core["facility_ids"]))
    for spec in specs:
        out[spec.facilities] = np.maximum(out[spec.facilities], spec.duration.mean)
    return out
