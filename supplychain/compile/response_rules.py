"""Schedule rules of the policy responses: stockpile releases, capacity investment, safety stocks.

Imported by :mod:`._shock_rules`, which registers every built-in rule.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_known
from ..errors import ValidationError
from ..model.shocks.responses import CapacityInvestment, SafetyStockChange, StockpileRelease
from ..model.shocks import to_day
from .dynamic import StockpileSpec
from .schedules import ScheduleBuilder, register
from .shock_rules import check_commodity, check_region, index

__all__: list[str] = []


def _buyers(builder: ScheduleBuilder, region: str, commodity: str, kind: str) -> np.ndarray:
    """Buyer indices (facility input stocks and consumer stocks) of ``commodity`` in ``region``."""
    idx = index(builder)
    check_region(idx, region, "region", kind)
    check_commodity(idx, commodity, "commodity", kind)
    mask = (idx.buyer_region == region) & (idx.buyer_commodity == commodity)
    if not mask.any():
        where = sorted(set(idx.buyer_region[idx.buyer_commodity == commodity]))
        raise ValidationError(f"region must hold a stock that buys {commodity!r}; got {region!r} for {kind} "
                              f"(buyers of {commodity!r} are in {where}).")
    return np.flatnonzero(mask)


def _usage(builder: ScheduleBuilder, stocks: np.ndarray) -> np.ndarray:
    """Baseline units per day drawn from each stock."""
    core = builder.core
    usage = core["steady"].usage
    return np.array([usage.get((core["stock_node"][s], core["stock_commodity"][s]), 0.0) for s in stocks])


@register(StockpileRelease)
def _stockpile(shock: StockpileRelease, builder: ScheduleBuilder) -> None:
    buyers = _buyers(builder, shock.region, shock.commodity, "StockpileRelease")
    stocks = builder.core["buyer_stock"][buyers]
    first, stop = builder.window(shock)
    builder.extras.setdefault("stockpiles", []).append(StockpileSpec(
        stocks=stocks, usage=_usage(builder, stocks), cover_days=shock.release_below_cover_days,
        reserve=shock.reserve, max_per_day=shock.max_release_per_day, first=first, stop=stop))


@register(SafetyStockChange)
def _safety_stock(shock: SafetyStockChange, builder: ScheduleBuilder) -> None:
    """Move order targets so on-hand cover becomes ``cover_days`` (pipeline target unchanged).

    The baseline pipeline of a buyer is its steady flow times lead days (the
    pre-filled goods in transit); the new order-up-to level is
    ``cover_days * usage + pipeline``.
    """
    core = builder.core
    buyers = _buyers(builder, shock.region, shock.commodity, "SafetyStockChange")
    stocks = core["buyer_stock"][buyers]
    pipeline = np.asarray(core["initial_arrivals"].sum(axis=0) @ core["m_lane_to_buyer"]).ravel()
    new_level = shock.cover_days * _usage(builder, stocks) + pipeline[buyers]
    first, stop = builder.window(shock)
    builder.full("target_extra")[first:stop, buyers] += new_level - core["order_up_to"][buyers]


@register(CapacityInvestment)
def _investment(shock: CapacityInvestment, builder: ScheduleBuilder) -> None:
    """Add capacity to an existing facility: ``capacity_factor += added * ramp / base capacity``."""
    core, idx, kind = builder.core, index(builder), "CapacityInvestment"
    check_region(idx, shock.region, "region", kind)
    ids = core["facility_ids"]
    if shock.facility is not None:
        check_known(shock.facility, ids, "facility", kind)
        fac = ids.index(shock.facility)
        if idx.facility_region[fac] != shock.region:
            raise ValidationError(f"facility must be in region {shock.region!r}; got {shock.facility!r} "
                                  f"(in {idx.facility_region[fac]!r}) for {kind}.")
    else:
        check_commodity(idx, shock.commodity, "commodity", kind)
        outputs = np.array([f.output for f in builder.scenario.network.facilities], dtype=object)
        hits = np.flatnonzero((idx.facility_region == shock.region) & (outputs == shock.commodity))
        if not len(hits):
            raise ValidationError(
                f"region must have a facility producing {shock.commodity!r} to expand; got {shock.region!r} "
                f"for {kind} (add a small facility and lanes to the network first).")
        fac = int(hits[np.argmax(core["capacity"][hits])])
    base = core["capacity"][fac]
    if not base > 1e-9 * shock.added_capacity:   # the addition is a multiple of today's capacity
        raise ValidationError(f"capacity_per_day must be > 0 to expand; got {base!r} for Facility "
                              f"'{ids[fac]}' in {kind}.")
    _, stop = builder.window(shock)
    t = np.arange(builder.n_days)
    online = to_day(shock.start, builder.scenario.start_date) + shock.build_lag_days
    ramp = np.clip((t - online + 1) / max(shock.ramp_days, 1.0), 0.0, 1.0) * (t >= online) * (t < stop)
    builder.full("capacity_factor")[:, fac] += shock.added_capacity / base * ramp
