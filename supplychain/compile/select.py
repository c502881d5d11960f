"""Which lanes, buyers, demands and facilities a shock selects (ids checked against the network).

Shared by every schedule rule of `.rules`. A typo in an id is an error
naming close matches; a selection that is valid but empty warns (it is
likely a mistake, but a scenario may be reused on a smaller network).

Implements docs/model.md §6 (shocks): which items each shock selects.
"""

from __future__ import annotations

import dataclasses
import datetime
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_known, close_matches
from ..errors import SimulationWarning, ValidationError
from ..model.shocks import Shock
from .schedules import ScheduleBuilder

__all__ = ["Index", "index", "check_region", "check_commodity", "commodity_mask", "warn_if_empty", "brief",
           "traded_goods", "stage_family", "stage_targets", "twins", "shock_targets", "warn_twins",
           "TWIN_WARNING", "select_facilities", "select_demands", "select_buyers", "stock_usage"]


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
    demand_segment: np.ndarray            # (D,) end-use segment or None
    facility_region: np.ndarray           # (F,)
    facility_stage: np.ndarray            # (F,)


def index(builder: ScheduleBuilder) -> Index:
    """The `Index` of the builder's network (built once per builder)."""
    cached: Index | None = builder.cache.get("index")
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
        demand_segment=np.array([d.segment for d in net.demands], dtype=object),
        facility_region=np.array([f.region for f in net.facilities], dtype=object),
        facility_stage=np.array([f.stage for f in net.facilities], dtype=object),
    )
    builder.cache["index"] = idx
    return idx


def check_region(idx: Index, value: str | None, field: str, kind: str) -> None:
    """Fail (suggesting close matches) unless ``value`` is a region id, ``"*"`` or ``None``."""
    if value is not None and value != "*":
        check_known(value, idx.regions, field, kind)


def check_commodity(idx: Index, value: str | None, field: str, kind: str) -> None:
    """Fail (suggesting close matches) unless ``value`` is a commodity id, ``"*"`` or ``None``."""
    if value is not None and value != "*":
        check_known(value, idx.commodities, field, kind)


def commodity_mask(labels: np.ndarray, commodity: str | None) -> np.ndarray:
    """Which of ``labels`` carry ``commodity`` (every one for ``None`` or ``"*"``)."""
    return np.ones(len(labels), bool) if commodity in (None, "*") else labels == commodity


def warn_if_empty(mask: np.ndarray, shock: Shock, what: str, hint: str = "") -> bool:
    """Warn when a shock matches nothing (a typo-free but empty selection); True if empty.

    ``hint`` says what would match (e.g. the goods one region buys from another).
    """
    if mask.any():
        return False
    warnings.warn(f"{type(shock).__name__} matches no {what} in this network; it has no effect: "
                  f"{brief(shock)}{f'; {hint}' if hint else ''}", SimulationWarning, stacklevel=5)
    return True


def brief(shock: Shock) -> str:
    """``shock`` as its type and the fields that differ from their defaults (dates in ISO form)."""
    parts = []
    for field in dataclasses.fields(shock):
        value = getattr(shock, field.name)
        if field.default is not dataclasses.MISSING and value == field.default:
            continue
        shown = value.isoformat() if isinstance(value, datetime.date) else repr(value)
        parts.append(f"{field.name}={shown}")
    return f"{type(shock).__name__}({', '.join(parts)})"


def traded_goods(idx: Index, exporter: str, importer: str) -> str:
    """A hint naming the goods ``importer`` buys from ``exporter`` in the baseline (or that it buys none)."""
    lanes = (idx.lane_from == exporter) & (idx.lane_to == importer) & (idx.lane_flow > 0)
    goods = sorted({str(c) for c in idx.lane_commodity[lanes]})
    if not goods:
        return f"{importer} buys nothing from {exporter} in the baseline"
    return f"{importer} buys from {exporter}: {', '.join(goods)}"


def stage_family(stage: str, stages) -> set[str]:
    """The stages ``stage`` selects among ``stages``: itself and every stage named after it (``fab``: ``fab_new``).

    Examples
    --------
    >>> sorted(stage_family("fab", ["fab", "fab_new", "packaging", "mine"])), sorted(stage_family("fab_new", ["fab", "fab_new"]))
    (['fab', 'fab_new'], ['fab_new'])
    """
    return {str(s) for s in stages if s == stage or str(s).startswith(f"{stage}_")}


def _named_stages(shocks, kind: str, region: str) -> set[str]:
    """Stages that shocks of ``kind`` name themselves (by stage, without a facility) in ``region`` or everywhere."""
    return {str(s.stage) for s in shocks
            if type(s).__name__ == kind and getattr(s, "stage", None) is not None
            and getattr(s, "facility", None) is None and getattr(s, "region", None) in (None, region)}


def stage_targets(facilities, shocks, stage: str | None, region: str | None, kind: str,
                  family: bool | None = None) -> np.ndarray:
    """Which of ``facilities`` a shock of ``kind`` with ``stage`` and/or ``region`` selects (docs/model.md §6.6).

    A stage selects its family (`stage_family`) unless ``family`` is False: ``stage="fab"`` stops a region's
    installed fabs and the capacity added in the year (stage ``fab_new``), which the built-in network keeps
    apart only to route the year's tools. A stage of the family that another shock of the same kind in the
    scenario names itself (by stage, in the facility's region or everywhere) is left to that shock, so a
    scenario that lists ``fab`` and ``fab_new`` applies each loss once.
    """
    mask = np.array([region in (None, f.region) for f in facilities], dtype=bool)
    if stage is None:
        return mask
    if family is False:
        return mask & np.array([f.stage == stage for f in facilities], dtype=bool)
    members = stage_family(stage, {f.stage for f in facilities})
    named = {r: _named_stages(shocks, kind, r) for r in {f.region for f in facilities}}
    return mask & np.array([f.stage == stage or (f.stage in members and f.stage not in named[f.region])
                            for f in facilities], dtype=bool)


def twins(facilities, facility: str) -> list:
    """The facilities of ``facility``'s region and output whose stage is of its stage's family, itself excluded
    (``KR.fab.memory_wafer``: ``KR.fab_new.memory_wafer``)."""
    this = next((f for f in facilities if f.id == facility), None)
    if this is None:   # an unknown id: its own shock's check names it
        return []
    family = stage_family(this.stage, {f.stage for f in facilities}) - {this.stage}
    return [f for f in facilities if f.region == this.region and f.output == this.output and f.stage in family]


def shock_targets(facilities, shocks, shock, kind: str) -> np.ndarray:
    """Which of ``facilities`` a `CapacityShock` or `RandomOutage` selects (ids assumed checked).

    One ``facility``: that facility, and its `twins` when the shock's ``family`` is True. Otherwise
    `stage_targets`.
    """
    facility, family = getattr(shock, "facility", None), getattr(shock, "family", None)
    if facility is not None:
        chosen = {facility} | ({f.id for f in twins(facilities, facility)} if family else set())
        return np.array([f.id in chosen for f in facilities], dtype=bool)
    return stage_targets(facilities, shocks, shock.stage, shock.region, kind, family)


#: The start of `warn_twins`'s message, for a filter where one facility is knocked out on purpose (`stress_test`).
TWIN_WARNING = r"\w+\(facility='[^']+'\) leaves '"


def warn_twins(facilities, shocks, shock, kind: str, stacklevel: int = 5) -> None:
    """Warn when a shock on one facility, ``family`` not given, leaves its `twins` running that no other shock of
    ``kind`` reaches. A facility id selects that facility alone (a plant fire is a share of one line)."""
    if getattr(shock, "family", None) is not None or getattr(shock, "facility", None) is None:
        return
    ids = [f.id for f in facilities]
    reached = np.zeros(len(ids), bool)
    for other in shocks:
        if other is not shock and type(other).__name__ == kind:
            reached |= shock_targets(facilities, shocks, other, kind)
    left = [f.id for f in twins(facilities, shock.facility) if not reached[ids.index(f.id)]]
    if left:
        names = ", ".join(repr(i) for i in left)
        region = next(f.region for f in facilities if f.id == shock.facility)
        warnings.warn(f"{kind}(facility={shock.facility!r}) leaves {names} running (the same output in {region}: "
                      f"the capacity added in the year); family=True stops it too, family=False says the facility "
                      f"alone is meant (docs/model.md §6.6).", SimulationWarning, stacklevel=stacklevel)


def select_facilities(builder: ScheduleBuilder, shock, kind: str) -> np.ndarray:
    """Indices of the facilities a `CapacityShock` selects: one facility (and its twins with ``family=True``), or
    every facility of a stage (and its family, `stage_targets`) and/or region (ids checked)."""
    idx = index(builder)
    net = builder.scenario.network
    if shock.facility is not None:
        check_known(shock.facility, builder.core["facility_ids"], "facility", kind)
        warn_twins(net.facilities, builder.scenario.shocks, shock, kind, stacklevel=6)
    else:
        check_region(idx, shock.region, "region", kind)
        if shock.stage is not None:
            check_known(shock.stage, sorted(set(idx.facility_stage)), "stage", kind)
    mask = shock_targets(net.facilities, builder.scenario.shocks, shock, kind)
    if not mask.any():
        raise ValidationError(f"stage and region must select at least one facility; got stage={shock.stage!r}, "
                              f"region={shock.region!r} for {kind}.")
    return np.flatnonzero(mask)


def select_demands(builder: ScheduleBuilder, region: str, commodity: str, kind: str,
                   segment: str | None = None) -> np.ndarray:
    """Demand indices of ``commodity`` in ``region``, of one end-use ``segment`` if given (an error names
    where that commodity has demand, or the segments it has there)."""
    idx = index(builder)
    check_region(idx, region, "region", kind)
    check_commodity(idx, commodity, "commodity", kind)
    mask = (idx.demand_region == region) & commodity_mask(idx.demand_commodity, commodity)
    if not mask.any():
        where = _where(idx.demand_region, idx.demand_commodity, commodity)
        if not where:
            bought = " (facilities buy it as an input)" if (idx.buyer_commodity == commodity).any() else ""
            raise ValidationError(f"commodity must have final demand in some region; got {commodity!r} for {kind}: "
                                  f"no region has final demand for it{bought}"
                                  f"{_other(idx.demand_commodity, commodity, 'final demand exists for')}.")
        raise ValidationError(f"region must have final demand for {commodity!r}; got {region!r} for {kind} "
                              f"(demand for {commodity!r} exists in {where}).")
    if segment is not None:
        here = sorted({str(g) for g in idx.demand_segment[mask] if g is not None})
        check_known(segment, sorted({str(g) for g in idx.demand_segment if g is not None}), "segment", kind)
        mask &= idx.demand_segment == segment
        if not mask.any():
            raise ValidationError(f"segment must be one of the segments of {commodity!r} demand in {region!r}; got "
                                  f"{segment!r} for {kind} (segments there: {', '.join(map(repr, here)) or 'none'}).")
    return np.flatnonzero(mask)


def select_buyers(builder: ScheduleBuilder, region: str, commodity: str, kind: str,
                  segment: str | None = None) -> np.ndarray:
    """Buyer indices (facility input stocks and consumer stocks) of ``commodity`` in ``region``; with ``segment``,
    only the consumer stocks of that end-use segment's demands (an error names the segments there)."""
    idx = index(builder)
    check_region(idx, region, "region", kind)
    check_commodity(idx, commodity, "commodity", kind)
    mask = (idx.buyer_region == region) & (idx.buyer_commodity == commodity)
    if not mask.any():
        where = _where(idx.buyer_region, idx.buyer_commodity, commodity)
        if not where:
            raise ValidationError(f"commodity must be bought by a stock in some region; got {commodity!r} for "
                                  f"{kind}: no facility or consumer buys it"
                                  f"{_other(idx.buyer_commodity, commodity, 'stocks buy')}.")
        raise ValidationError(f"region must hold a stock that buys {commodity!r}; got {region!r} for {kind} "
                              f"(buyers of {commodity!r} are in {where}).")
    if segment is not None:
        demands = select_demands(builder, region, commodity, kind, segment)
        net, core = builder.scenario.network, builder.core
        nodes = {net.demands[int(i)].id for i in demands}
        mask &= np.array([core["stock_node"][s] in nodes for s in core["buyer_stock"]], dtype=bool)
    return np.flatnonzero(mask)


def _where(regions: np.ndarray, commodities: np.ndarray, commodity: str) -> str:
    """The regions (comma-separated, sorted) of the items that carry ``commodity``; "" if none."""
    return ", ".join(sorted({str(r) for r in regions[commodities == commodity]}))


def _other(commodities: np.ndarray, commodity: str, what: str) -> str:
    """A hint naming the commodities that ``what`` applies to: those that look like ``commodity``, else all.

    Examples
    --------
    >>> _other(np.array(["logic_chip", "memory_chip", "li_ion_cell"]), "logic_wafer", "final demand exists for")
    "; did you mean 'logic_chip'?"
    >>> _other(np.array(["li_ion_cell", "logic_chip"]), "litho_tool", "final demand exists for")
    "; final demand exists for 'li_ion_cell', 'logic_chip'"
    >>> _other(np.array([], dtype=object), "litho_tool", "stocks buy")
    ''
    """
    having = sorted({str(c) for c in commodities})
    hits = close_matches(commodity, having)
    if hits:
        return f"; did you mean {', '.join(repr(h) for h in hits)}?"
    return f"; {what} {', '.join(repr(h) for h in having)}" if having else ""


def stock_usage(builder: ScheduleBuilder, stocks: np.ndarray) -> np.ndarray:
    """Baseline units per day drawn from each of ``stocks``."""
    core = builder.core
    usage = core["steady"].usage
    return np.array([usage.get((core["stock_node"][s], core["stock_commodity"][s]), 0.0) for s in stocks])
