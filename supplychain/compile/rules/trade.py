"""Trade policy: tariffs (CES sourcing with a switching lag) and export controls.

Tariff
    Rates of the tariffs on a lane add up day by day. After every rule,
    :func:`supplychain.compile.rules.sourcing.tariff_shares` turns them into sourcing shares by the calibrated
    CES (Armington) rule (Armington 1969, IMF Staff Papers 16(1); as in
    GTAP, Hertel (ed.) 1997, ch. 2): landed cost ``c_l(t) = p_l (1 +
    tau_l(t)) + freight_l`` and target share

        w*_l(t) = w0_l (c_l(t) / c0_l) ** -sigma / sum over the buyer's lanes k of w0_k (c_k(t) / c0_k) ** -sigma

    with ``w0`` the network's shares and ``c0_l`` the landed cost under the
    tariffs in force at day 0 (those that started before day 0: the shares
    are taken as observed under them, so they are charged but move
    nothing). The share applied on day ``t`` is the mean target over the
    last ``lag`` days, so a tariff that starts on day ``s`` (day 0 included)
    moves shares linearly from the old to the new target over days ``s`` to
    ``s + lag - 1``. The switching lags by value chain are modelling
    assumptions (:data:`supplychain.model.shocks.SWITCHING_LAG_DAYS`).
ExportControl
    ``ban``: the lanes ship the ``leakage`` fraction of orders, later and
    dearer. ``licence``: a fixed processing delay is extra lead time; random
    approvals or delays are left as a :class:`LicenceSpec` that
    :func:`supplychain.engines.draws.draw_licences` draws per run.
    ``quota``: a :class:`QuotaSpec` that the engines enforce day by day,
    with periods counted from the control's own start. Announced controls
    raise buyers' targets before they start (front-loading).

Implements docs/model.md §6.4 (tariff) and §6.5 (export-control).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...model import ExportControl, Tariff
from ...model.dists import Distribution
from ...model.shocks import SWITCHING_LAG_DAYS, Shock
from ..schedules import ScheduleBuilder
from ..select import check_commodity, check_region, commodity_mask, index, warn_if_empty

__all__ = ["LicenceSpec", "QuotaSpec", "tariff", "export_control", "front_load"]


# Tariffs ------------------------------------------------------------------------------------------

def tariff(shock: Tariff, builder: ScheduleBuilder) -> None:
    """Add the tariff's rate to its lanes over its window; note its lag and demand elasticity."""
    idx = index(builder)
    check_region(idx, shock.importer, "importer", "Tariff")
    check_region(idx, shock.exporter, "exporter", "Tariff")
    check_commodity(idx, shock.commodity, "commodity", "Tariff")
    foreign = idx.lane_from != idx.lane_to
    mask = (idx.lane_to == shock.importer) & foreign & commodity_mask(idx.lane_commodity, shock.commodity)
    if shock.exporter != "*":
        mask &= idx.lane_from == shock.exporter
    if warn_if_empty(mask, shock, "lane"):
        return
    n_lanes = len(mask)
    first, stop = builder.window(shock)
    builder.full("tariff")[first:stop, mask] += shock.rate
    if builder.start_day(shock) < 0 and first == 0 < stop:
        in_force = builder.cache.setdefault("tariff_in_force", np.zeros(n_lanes))
        in_force[mask] += shock.rate
    chain = idx.commodities
    lags = [shock.switching_lag_days or SWITCHING_LAG_DAYS.get(chain[c].chain, SWITCHING_LAG_DAYS["default"])
            for c in idx.lane_commodity[mask]]
    lag = builder.cache.setdefault("tariff_lag", np.zeros(n_lanes, dtype=int))
    lag[mask] = np.maximum(lag[mask], lags)          # the slowest of several tariffs on a lane
    if shock.demand_elasticity > 0:
        demands = (idx.demand_region == shock.importer) & commodity_mask(idx.demand_commodity, shock.commodity)
        eps = builder.cache.setdefault("tariff_demand_elasticity", np.zeros(len(demands)))
        eps[demands] = np.maximum(eps[demands], shock.demand_elasticity)


# Export controls ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LicenceSpec:
    """A licence regime whose decisions or delays are random (drawn per run).

    Over days ``[first, stop)`` an order on one of ``lanes`` is approved when
    that lane-day's uniform draw is below ``approval_probability``; an
    approved shipment waits a ``delay`` draw (``None``: the fixed delay is
    already in the ``lead_extra`` schedule).
    """

    lanes: np.ndarray          # (n,) lane indices
    first: int
    stop: int
    approval_probability: float
    delay: Distribution | None


@dataclass(frozen=True, eq=False)
class QuotaSpec:
    """``amount`` units per ``period`` days shared by ``lanes`` over ``[first, stop)``.

    Periods start on day ``anchor + k * period`` (``anchor`` is the
    control's start, negative for a quota in force before day 0).
    """

    lanes: np.ndarray
    first: int
    stop: int
    amount: float
    period: int
    anchor: int


def front_load(builder: ScheduleBuilder, shock: Shock, lanes: np.ndarray, days: float) -> None:
    """Raise buyers' targets linearly from the announcement to ``days`` of baseline flow at start."""
    announced = shock.announcement(builder.scenario.start_date)
    first = builder.start_day(shock)
    if announced is None or days <= 0 or announced >= first or first <= 0:
        return
    buyers = builder.core["lane_buyer"]
    cap = np.bincount(buyers[lanes], weights=index(builder).lane_flow[lanes] * days,
                      minlength=len(builder.core["buyer_stock"]))
    t = np.arange(max(announced, 0), min(first, builder.n_days))
    ramp = (t - announced + 1) / (first - announced)
    builder.full("target_extra")[t] += ramp[:, None] * cap[None, :]


def _control_lanes(shock: ExportControl, builder: ScheduleBuilder) -> np.ndarray:
    idx = index(builder)
    mask: np.ndarray
    check_region(idx, shock.exporter, "exporter", "ExportControl")
    check_commodity(idx, shock.commodity, "commodity", "ExportControl")
    for name in ("destinations", "except_destinations"):
        for region in getattr(shock, name) or ():
            check_region(idx, region, name, "ExportControl")
    mask = (idx.lane_from == shock.exporter) & (idx.lane_to != shock.exporter)
    mask &= commodity_mask(idx.lane_commodity, shock.commodity)
    if shock.destinations is not None:
        mask &= np.isin(idx.lane_to, shock.destinations)
    if shock.except_destinations is not None:
        mask &= ~np.isin(idx.lane_to, shock.except_destinations)
    return mask


def export_control(shock: ExportControl, builder: ScheduleBuilder) -> None:
    """Apply a ban (with leakage), a licence regime or a quota to the controlled lanes."""
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
            period=shock.period_days, anchor=builder.start_day(shock)))
