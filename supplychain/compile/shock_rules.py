"""Rules that turn each built-in shock type into schedule edits (see :mod:`._schedules`).

Each rule checks the shock's ids against the network (close matches are
suggested), finds the lanes, facilities or demands it touches and edits the
daily arrays. State-dependent parts (quotas, random licence decisions) are
left as specs in ``builder.extras`` for :mod:`._dynamic` and
:mod:`._outages`. Tariffs are summed per lane and day first; one finalizer
then turns the summed rates into CES sourcing shares with a switching lag
(:func:`_tariff_shares`). Response rules live in :mod:`._response_rules`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_known
from ..errors import SimulationWarning, ValidationError
from ..model.shocks.disruptions import CapacityShock, DemandShock, LogisticsShock
from ..model.shocks import SWITCHING_LAG_DAYS, ExportControl, Shock, Tariff, to_day
from .dynamic import DestroySpec, LicenceSpec, QuotaSpec
from .schedules import ScheduleBuilder, _normalise_shares, register

__all__ = ["Index", "index"]


@dataclass(frozen=True, eq=False)
class Index:
    """Region and commodity labels of lanes, buyers, demands and facilities, for matching."""

    regions: tuple[str, ...]
    commodities: dict[str, Any]           # id -> Commodity
    lane_from: np.ndarray                 # (L,) origin region
    lane_to: np.ndarray                   # (L,) destination region
    lane_commodity: np.ndarray            # (L,)
    lane_flow: np.ndarray                 # (L,) baseline units/day
    buyer_region: np.ndarray              # (B,)
    buyer_commodity: np.ndarray           # (B,)
    demand_region: np.ndarray             # (D,)
    demand_commodity: np.ndarray          # (D,)
    facility_region: np.ndarray           # (F,)
    facility_stage: np.ndarray            # (F,)


def index(builder: ScheduleBuilder) -> Index:
    """The (cached) :class:`Index` of the builder's network."""
    cached: Index | None = getattr(builder, "_shock_index", None)
    if cached is not None:
        return cached
    net, core = builder.scenario.network, builder.core
    node_region = {f.id: f.region for f in net.facilities} | {d.id: d.region for d in net.demands}
    stock_region = np.array([node_region[n] for n in core["stock_node"]], dtype=object)
    stock_commodity = np.array(core["stock_commodity"], dtype=object)
    idx = Index(
        regions=tuple(r.id for r in net.regions),
        commodities={c.id: c for c in net.commodities},
        lane_from=np.array([node_region[l.origin] for l in net.lanes], dtype=object),
        lane_to=np.array([node_region[l.destination] for l in net.lanes], dtype=object),
        lane_commodity=np.array([l.commodity for l in net.lanes], dtype=object),
        lane_flow=np.array([core["steady"].flow.get(l.id, 0.0) for l in net.lanes], dtype=float),
        buyer_region=stock_region[core["buyer_stock"]],
        buyer_commodity=stock_commodity[core["buyer_stock"]],
        demand_region=np.array([d.region for d in net.demands], dtype=object),
        demand_commodity=np.array([d.commodity for d in net.demands], dtype=object),
        facility_region=np.array([f.region for f in net.facilities], dtype=object),
        facility_stage=np.array([f.stage for f in net.facilities], dtype=object),
    )
    builder._shock_index = idx  # type: ignore[attr-defined]
    return idx


def check_region(idx: Index, value: str | None, field: str, kind: str) -> None:
    if value is not None and value != "*":
        check_known(value, idx.regions, field, kind)


def check_commodity(idx: Index, value: str | None, field: str, kind: str) -> None:
    if value is not None and value != "*":
        check_known(value, idx.commodities, field, kind)


def commodity_mask(idx: Index, labels: np.ndarray, commodity: str | None) -> np.ndarray:
    return np.ones(len(labels), bool) if commodity in (None, "*") else labels == commodity


def warn_if_empty(mask: np.ndarray, shock: Shock, what: str) -> bool:
    """Warn when a shock matches nothing (a typo-free but empty selection); True if empty."""
    if mask.any():
        return False
    warnings.warn(f"{type(shock).__name__} matches no {what} in this network; it has no effect: {shock!r}",
                  SimulationWarning, stacklevel=4)
    return True


def front_load(builder: ScheduleBuilder, shock: Shock, lanes: np.ndarray, days: float) -> None:
    """Raise buyers' targets linearly from the announcement to ``days`` of baseline flow at start."""
    announced = shock.announcement(builder.scenario.start_date)
    first = to_day(shock.start, builder.scenario.start_date)
    if announced is None or days <= 0 or announced >= first or first <= 0:
        return
    buyers = builder.core["lane_buyer"]
    cap = np.bincount(buyers[lanes], weights=index(builder).lane_flow[lanes] * days,
                      minlength=len(builder.core["buyer_stock"]))
    t = np.arange(max(announced, 0), min(first, builder.n_days))
    ramp = (t - announced + 1) / (first - announced)
    builder.full("target_extra")[t] += ramp[:, None] * cap[None, :]


# Tariffs ------------------------------------------------------------------------------------------

@register(Tariff)
def _tariff(shock: Tariff, builder: ScheduleBuilder) -> None:
    idx = index(builder)
    check_region(idx, shock.importer, "importer", "Tariff")
    check_region(idx, shock.exporter, "exporter", "Tariff")
    check_commodity(idx, shock.commodity, "commodity", "Tariff")
    foreign = idx.lane_from != idx.lane_to
    mask = (idx.lane_to == shock.importer) & foreign & commodity_mask(idx, idx.lane_commodity, shock.commodity)
    if shock.exporter != "*":
        mask &= idx.lane_from == shock.exporter
    if warn_if_empty(mask, shock, "lane"):
        return
    first, stop = builder.window(shock)
    builder.full("tariff")[first:stop, mask] += shock.rate
    chain = idx.commodities
    lags = [shock.switching_lag_days or SWITCHING_LAG_DAYS.get(chain[c].chain, SWITCHING_LAG_DAYS["default"])
            for c in idx.lane_commodity[mask]]
    spec = builder.extras.setdefault("_tariff_lag", np.zeros(len(mask), dtype=int))
    spec[mask] = lags
    if shock.demand_elasticity > 0:
        demands = (idx.demand_region == shock.importer) & commodity_mask(idx, idx.demand_commodity,
                                                                         shock.commodity)
        eps = builder.extras.setdefault("_tariff_demand_elasticity", np.zeros(len(demands)))
        eps[demands] = shock.demand_elasticity
    builder.finalizers["tariff"] = _tariff_shares


def _moving_average(x: np.ndarray, before: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` rows of ``x`` (rows before day 0 equal ``before``), shape of ``x``."""
    padded = np.concatenate([np.repeat(before[None, :], window, axis=0), x])
    csum = np.cumsum(padded, axis=0)
    out: np.ndarray = (csum[window:] - csum[:-window]) / window
    return out


def _tariff_shares(builder: ScheduleBuilder) -> None:
    """Turn summed tariff rates into CES sourcing shares, moved linearly over the switching lag.

    Target share of lane j for its buyer: ``s0_j * (c_j / c0_j) ** -sigma``,
    normalised per buyer, with landed cost ``c = price * (1 + tariff) + freight``
    and ``c0`` its value on day 0 (calibrated CES: the network's shares are
    taken as observed under the tariffs in force on day 0, so those tariffs
    count in costs but move no share; formulas.md section 4). The share used
    on day t is the mean target over the last ``lag`` days, so a tariff change
    moves shares linearly from old to new over ``lag`` days.
    """
    core, idx = builder.core, index(builder)
    lag_lane = builder.extras.pop("_tariff_lag")
    eps = builder.extras.pop("_tariff_demand_elasticity", None)
    tau = builder.arrays["tariff"]
    buyers, n_b = core["lane_buyer"], len(core["buyer_stock"])
    c0 = core["lane_price"] * (1 + tau[0]) + core["lane_freight"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(c0 > 0, (core["lane_price"] * (1 + tau) + core["lane_freight"]) / c0, 1.0)
    sigma = np.array([idx.commodities[c].elasticity for c in idx.lane_commodity])
    base = builder.arrays["share"]
    base_norm = _normalise_shares(base[:1], buyers, n_b)[0]
    target = _normalise_shares(base * ratio ** -sigma, buyers, n_b)
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
    landed-cost ratio to baseline (its geometric mean when ``sigma = 1``).
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
    builder.full("demand_factor")[:, hit] *= price[:, demand_buyer[hit]] ** -eps[hit]


# Export controls ----------------------------------------------------------------------------------

def _control_lanes(shock: ExportControl, builder: ScheduleBuilder) -> np.ndarray:
    idx = index(builder)
    mask: np.ndarray
    check_region(idx, shock.exporter, "exporter", "ExportControl")
    check_commodity(idx, shock.commodity, "commodity", "ExportControl")
    for name in ("destinations", "except_destinations"):
        for region in getattr(shock, name) or ():
            check_region(idx, region, name, "ExportControl")
    mask = (idx.lane_from == shock.exporter) & (idx.lane_to != shock.exporter)
    mask &= commodity_mask(idx, idx.lane_commodity, shock.commodity)
    if shock.destinations is not None:
        mask &= np.isin(idx.lane_to, shock.destinations)
    if shock.except_destinations is not None:
        mask &= ~np.isin(idx.lane_to, shock.except_destinations)
    return mask


@register(ExportControl)
def _export_control(shock: ExportControl, builder: ScheduleBuilder) -> None:
    mask = _control_lanes(shock, builder)
    if warn_if_empty(mask, shock, "lane"):
        return
    lanes = np.flatnonzero(mask)
    front_load(builder, shock, lanes, shock.front_load_days)
    first, stop = builder.window(shock)
    if stop <= first:
        return
    rows = slice(first, stop)
    if shock.mode == "ban":
        builder.full("lane_allow")[rows, lanes] *= shock.leakage
        if shock.leakage > 0:
            builder.full("lead_extra")[rows, lanes] += shock.leakage_extra_days
            extra = builder.extras.setdefault("extra_cost_usd", np.zeros((builder.n_days, len(mask))))
            extra[rows, lanes] += shock.leakage_extra_cost * builder.core["lane_price"][lanes]
    elif shock.mode == "licence":
        delay = shock.processing_delay
        if delay.is_deterministic:
            builder.full("lead_extra")[rows, lanes] += delay.mean
        if shock.approval_probability < 1 or not delay.is_deterministic:
            builder.extras.setdefault("licences", []).append(LicenceSpec(
                lanes=lanes, first=first, stop=stop, approval_probability=shock.approval_probability,
                delay=None if delay.is_deterministic else delay))
            builder.needs_random = True
    else:
        builder.extras.setdefault("quotas", []).append(QuotaSpec(
            lanes=lanes, first=first, stop=stop, amount=float(shock.quota_per_period),  # type: ignore[arg-type]
            period=shock.period_days))


# Disruptions --------------------------------------------------------------------------------------

def select_facilities(builder: ScheduleBuilder, facility: str | None, stage: str | None,
                      region: str | None, kind: str) -> np.ndarray:
    """Indices of one facility, or of every facility of a stage and/or region (ids checked)."""
    idx = index(builder)
    if facility is not None:
        check_known(facility, builder.core["facility_ids"], "facility", kind)
        return np.array([builder.core["facility_ids"].index(facility)])
    check_region(idx, region, "region", kind)
    if stage is not None:
        check_known(stage, sorted(set(idx.facility_stage)), "stage", kind)
    mask = np.ones(len(idx.facility_region), bool)
    if region is not None:
        mask &= idx.facility_region == region
    if stage is not None:
        mask &= idx.facility_stage == stage
    if not mask.any():
        raise ValidationError(f"stage and region must select at least one facility; got stage={stage!r}, "
                              f"region={region!r} for {kind}.")
    return np.flatnonzero(mask)


def loss_profile(shock: CapacityShock, builder: ScheduleBuilder) -> np.ndarray:
    """Fraction of capacity lost on each day, shape (T,)."""
    t = np.arange(builder.n_days)
    start = to_day(shock.start, builder.scenario.start_date)
    loss = np.where(t >= start, shock.fraction_lost, 0.0)
    if shock.end is not None:
        d = t - to_day(shock.end, builder.scenario.start_date) + 1   # day of recovery, from 1
        if shock.recovery_days <= 0:
            back = np.ones_like(d, dtype=float)
        elif shock.recovery == "linear":
            back = np.clip(d / shock.recovery_days, 0.0, 1.0)
        else:
            back = 1.0 - np.exp(-np.maximum(d, 0) / shock.recovery_days)
        loss = np.where(d >= 1, shock.fraction_lost * (1.0 - back), loss)
    return loss


@register(CapacityShock)
def _capacity_shock(shock: CapacityShock, builder: ScheduleBuilder) -> None:
    facs = select_facilities(builder, shock.facility, shock.stage, shock.region, "CapacityShock")
    builder.window(shock)  # validates end after start on the calendar
    builder.full("capacity_factor")[:, facs] *= (1.0 - loss_profile(shock, builder))[:, None]
    day = to_day(shock.start, builder.scenario.start_date)
    if shock.destroy_inventory > 0 and 0 <= day < builder.n_days:
        ids = {builder.core["facility_ids"][f] for f in facs}
        stocks = np.array([s for s, n in enumerate(builder.core["stock_node"]) if n in ids])
        builder.extras.setdefault("destroy", []).append(
            DestroySpec(stocks=stocks, day=day, fraction=shock.destroy_inventory))


@register(LogisticsShock)
def _logistics(shock: LogisticsShock, builder: ScheduleBuilder) -> None:
    idx = index(builder)
    for name in ("origin_region", "destination_region", "through"):
        check_region(idx, getattr(shock, name), name, "LogisticsShock")
    check_commodity(idx, shock.commodity, "commodity", "LogisticsShock")
    mask = commodity_mask(idx, idx.lane_commodity, shock.commodity)
    if shock.origin_region is not None:
        mask &= idx.lane_from == shock.origin_region
    if shock.destination_region is not None:
        mask &= idx.lane_to == shock.destination_region
    if shock.through is not None:
        mask &= ((idx.lane_from == shock.through) | (idx.lane_to == shock.through)) & (idx.lane_from != idx.lane_to)
    if warn_if_empty(mask, shock, "lane"):
        return
    first, stop = builder.window(shock)
    if shock.closed:
        builder.full("lane_allow")[first:stop, mask] = 0.0
    else:
        builder.full("lead_factor")[first:stop, mask] *= shock.lead_time_multiplier


def select_demands(builder: ScheduleBuilder, region: str, commodity: str, kind: str) -> np.ndarray:
    """Demand indices of ``commodity`` in ``region`` (an error names where that commodity has demand)."""
    idx = index(builder)
    check_region(idx, region, "region", kind)
    check_commodity(idx, commodity, "commodity", kind)
    mask = (idx.demand_region == region) & commodity_mask(idx, idx.demand_commodity, commodity)
    if not mask.any():
        where = sorted(set(idx.demand_region[idx.demand_commodity == commodity]))
        raise ValidationError(f"region must have final demand for {commodity!r}; got {region!r} for {kind} "
                              f"(demand for {commodity!r} exists in {where}).")
    return np.flatnonzero(mask)


@register(DemandShock)
def _demand_shock(shock: DemandShock, builder: ScheduleBuilder) -> None:
    demands = select_demands(builder, shock.region, shock.commodity, "DemandShock")
    first, stop = builder.window(shock)
    builder.full("demand_factor")[first:stop, demands] *= shock.factor


from . import response_rules  # noqa: F401  (registers the response rules)
