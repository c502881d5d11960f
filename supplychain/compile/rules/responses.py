"""Policy responses: stockpile releases, capacity investment, safety-stock changes.

A `StockpileRelease` becomes a
`StockpileSpec` that the engines run day by day. A
`CapacityInvestment` adds capacity before any
capacity loss applies (`supplychain.compile.schedules`). A
`SafetyStockChange` *sets* a buyer's cover: when
several are active on one buyer on one day, the one that started last
decides (on a tie, the larger cover); they never add up
(`safety_stock_targets`).

Implements docs/model.md §6.10 (stockpile-release), §6.11 (capacity-investment) and §6.12 (safety-stock-change).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._validation import check_known
from ...errors import ValidationError
from ...model import CapacityInvestment, SafetyStockChange, StockpileRelease
from ..schedules import ScheduleBuilder
from ..select import check_commodity, check_region, index, select_buyers, stock_usage

__all__ = ["StockpileSpec", "stockpile_release", "capacity_investment", "safety_stock_change",
           "safety_stock_targets"]


@dataclass(frozen=True, eq=False)
class StockpileSpec:
    """A reserve topping ``stocks`` up to ``cover_days`` of ``usage`` over ``[first, stop)``."""

    stocks: np.ndarray         # (n,) stock indices
    usage: np.ndarray          # (n,) baseline units/day drawn from each stock
    cover_days: float
    reserve: float
    max_per_day: float
    first: int
    stop: int


def stockpile_release(shock: StockpileRelease, builder: ScheduleBuilder) -> None:
    """Record the reserve; the engines release it into low stocks day by day."""
    buyers = select_buyers(builder, shock.region, shock.commodity, "StockpileRelease")
    stocks = builder.core["buyer_stock"][buyers]
    first, stop = builder.window(shock)
    usage = stock_usage(builder, stocks)
    # A reserve sized in days of cover holds that many days of the stocks' baseline usage (§6.10).
    reserve = shock.reserve if shock.days_of_cover is None else shock.days_of_cover * float(usage.sum())
    builder.extras.setdefault("stockpiles", []).append(StockpileSpec(
        stocks=stocks, usage=usage, cover_days=shock.release_below_cover_days,
        reserve=reserve, max_per_day=shock.max_release_per_day, first=first, stop=stop))


def safety_stock_change(shock: SafetyStockChange, builder: ScheduleBuilder) -> None:
    """Claim the buyers' cover over the window, unless a later-starting (or equal, larger) one holds it."""
    core = builder.core
    buyers = select_buyers(builder, shock.region, shock.commodity, "SafetyStockChange", shock.segment)
    first, stop = builder.window(shock)
    if stop <= first:
        return
    n_b = len(core["buyer_stock"])
    cover = builder.cache.setdefault("safety_cover", np.full((builder.n_days, n_b), np.nan))
    since = builder.cache.setdefault("safety_start", np.full((builder.n_days, n_b), -np.inf))
    start = builder.start_day(shock)
    rows = slice(first, stop)
    held_since, held_cover = since[rows][:, buyers], cover[rows][:, buyers]
    wins = (start > held_since) | ((start == held_since) & (held_cover < shock.cover_days))
    since[rows, buyers] = np.where(wins, start, held_since)
    cover[rows, buyers] = np.where(wins, shock.cover_days, held_cover)


def safety_stock_targets(builder: ScheduleBuilder) -> None:
    """Move order targets so on-hand cover becomes the claimed ``cover_days`` (pipeline target unchanged).

    The baseline pipeline of a buyer is its steady flow times expected lead
    days (the pre-filled goods in transit); the new order-up-to level (and
    reorder point) is ``cover_days * usage + pipeline``. A finishing step.
    """
    cover = builder.cache.get("safety_cover")
    if cover is None:
        return
    core = builder.core
    buyers = np.flatnonzero(~np.isnan(cover).all(axis=0))
    stocks = core["buyer_stock"][buyers]
    pipeline = np.asarray(core["initial_arrivals"].sum(axis=0) @ core["m_lane_to_buyer"]).ravel()[buyers]
    level = cover[:, buyers] * stock_usage(builder, stocks) + pipeline
    shift = np.where(np.isnan(level), 0.0, level - core["order_up_to"][buyers])
    builder.full("target_extra")[:, buyers] += shift


def capacity_investment(shock: CapacityInvestment, builder: ScheduleBuilder) -> None:
    """Add ``added_capacity`` to one facility from ``start + build_lag_days``, ramping over ``ramp_days``."""
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
            makers = sorted({str(r) for r in idx.facility_region[outputs == shock.commodity]})
            where = (f"facilities producing it are in {', '.join(makers)}" if makers
                     else "no region has one")
            raise ValidationError(
                f"region must have a facility producing {shock.commodity!r} to expand; got {shock.region!r} "
                f"for {kind} ({where}; to expand elsewhere, add a small facility and lanes to the network first).")
        fac = int(hits[np.argmax(core["capacity"][hits])])
    base = core["capacity"][fac]
    if not base > 1e-9 * shock.added_capacity:   # capacity is stored as a multiple of today's
        raise ValidationError(f"capacity_per_day must be > 0 to expand; got {base!r} for Facility "
                              f"'{ids[fac]}' in {kind}.")
    _, stop = builder.window(shock)
    t = np.arange(builder.n_days)
    online = builder.start_day(shock) + shock.build_lag_days
    ramp = np.clip((t - online + 1) / max(shock.ramp_days, 1.0), 0.0, 1.0) * (t >= online) * (t < stop)
    builder.add_capacity(fac, shock.added_capacity * ramp)
