"""Trade policy: tariffs (CES sourcing with a switching lag) and export controls.

Tariff
    Rates of the tariffs on a lane add up day by day. After every rule,
    `supplychain.compile.rules.sourcing.tariff_shares` turns them into sourcing shares by the calibrated
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
    assumptions (`supplychain.model.shocks.SWITCHING_LAG_DAYS`).
ExportControl
    ``ban``: the lanes close, or with a leakage route stay open for orders
    that a `LeakageSpec` caps at the route's capacity (units per
    day over all the lanes), later and dearer. ``licence``: a
    `LicenceSpec` (applications, processing delays, approval
    probabilities of a two-state regime) that
    `supplychain.engines.draws.draw_licences` draws per run and
    `supplychain.engines.licences` applies day by day.
    ``quota``: a `QuotaSpec` that the engines enforce day by day,
    with periods counted from the control's own start. Announced controls
    raise buyers' targets before they start (front-loading).

Implements docs/model.md §6.4 (tariff) and §6.5 (export-control).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._validation import fail
from ...model import ExportControl, Tariff
from ...model.dists import Distribution
from ...model.shocks import SWITCHING_LAG_DAYS, Shock
from ...model.shocks.trade import DAYS_PER_MONTH
from ..schedules import ScheduleBuilder, normalise_shares
from ..select import check_commodity, check_region, commodity_mask, index, traded_goods, warn_if_empty

__all__ = ["LeakageSpec", "LicenceSpec", "QuotaSpec", "restricts_quantity", "tariff", "origin_content", "export_control",
           "front_load"]


# Tariffs ------------------------------------------------------------------------------------------

def tariff(shock: Tariff, builder: ScheduleBuilder) -> None:
    """Add the tariff's rate to its lanes over its window; note its lag and demand elasticity.

    With a rule of origin (``origin_input``) each lane's rate is scaled by
    the taxed origin's share of its supplier's input (`origin_content`).
    """
    idx = index(builder)
    check_region(idx, shock.importer, "importer", "Tariff")
    check_region(idx, shock.exporter, "exporter", "Tariff")
    check_commodity(idx, shock.commodity, "commodity", "Tariff")
    foreign = idx.lane_from != idx.lane_to
    mask = (idx.lane_to == shock.importer) & foreign & commodity_mask(idx.lane_commodity, shock.commodity)
    if shock.origin_input is None:
        if shock.exporter != "*":
            mask &= idx.lane_from == shock.exporter
        rate = np.full(len(mask), shock.rate)
    else:
        # Every lane of the good into the importer is covered, at the taxed origin's content (which
        # may be 0: a network where no such good is of that origin).
        rate = shock.rate * origin_content(shock, builder)
    hint = traded_goods(idx, shock.exporter, shock.importer) if shock.exporter != "*" else ""
    if warn_if_empty(mask, shock, "lane", hint):
        return
    n_lanes = len(mask)
    first, stop = builder.window(shock)
    builder.full("tariff")[first:stop, mask] += rate[mask]
    if builder.start_day(shock) < 0 and first == 0 < stop:
        in_force = builder.cache.setdefault("tariff_in_force", np.zeros(n_lanes))
        in_force[mask] += rate[mask]
    chain = idx.commodities
    lags = [shock.switching_lag_days or SWITCHING_LAG_DAYS.get(chain[c].chain, SWITCHING_LAG_DAYS["default"])
            for c in idx.lane_commodity[mask]]
    lag = builder.cache.setdefault("tariff_lag", np.zeros(n_lanes, dtype=int))
    lag[mask] = np.maximum(lag[mask], lags)          # the slowest of several tariffs on a lane
    if shock.demand_elasticity > 0:
        demands = (idx.demand_region == shock.importer) & commodity_mask(idx.demand_commodity, shock.commodity)
        eps = builder.cache.setdefault("tariff_demand_elasticity", np.zeros(len(demands)))
        eps[demands] = np.maximum(eps[demands], shock.demand_elasticity)


def origin_content(shock: Tariff, builder: ScheduleBuilder) -> np.ndarray:
    """Share of each lane's goods that originate in the taxed region(s) under ``shock.origin_input``, (L,).

    For a lane from facility ``f``: the baseline shares (normalised) of the
    lanes into ``f``'s stock of ``origin_input`` whose origin facility lies
    in ``exporter`` (in any region but the importer for ``"*"``); 0 for a
    lane whose origin does not use ``origin_input``. Implements the rule of
    origin of docs/model.md §6.4.1.
    """
    idx = index(builder)
    net = builder.scenario.network
    check_commodity(idx, shock.origin_input, "origin_input", "Tariff")
    makers = [f for f in net.facilities if f.output == shock.commodity]
    if not any(shock.origin_input in dict(f.recipe) for f in makers):
        users = sorted({f.output for f in net.facilities if shock.origin_input in dict(f.recipe)})
        raise fail("origin_input", f"an input of the facilities making {shock.commodity!r} "
                   f"({shock.origin_input!r} is an input of {', '.join(map(repr, users)) or 'no facility'})", shock.origin_input, "Tariff")
    share = builder.arrays["share"][0]
    taxed = idx.lane_from == shock.exporter if shock.exporter != "*" else idx.lane_from != shock.importer
    origin_of = {l: i for i, l in enumerate(builder.core["facility_ids"])}
    content = np.zeros(len(net.facilities))
    for f in makers:
        into = [i for i, l in enumerate(net.lanes) if l.destination == f.id and l.commodity == shock.origin_input]
        total = share[into].sum() if into else 0.0
        if total > 0:
            content[origin_of[f.id]] = share[into][taxed[into]].sum() / total
    out: np.ndarray = content[builder.core["lane_origin"]]
    return out


# Export controls ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LicenceSpec:
    """A licence regime over days ``[first, stop)`` on ``lanes`` (docs/model.md §6.5.2).

    Each order on one of ``lanes`` is an application that waits ``delay``
    days, then is approved with the probability of the regime's state on
    the decision day: ``p_open`` in the open state, ``p_restrictive`` in
    the restrictive one. The state switches as a two-state Markov chain
    with mean sojourns ``mean_open_days`` and ``mean_restrictive_days``
    (``inf``: never leaves), starting in ``initial_state``. An approval
    covers ``validity_days`` of later orders on its lane (0: only its own
    volume).
    """

    lanes: np.ndarray          # (n,) lane indices
    first: int
    stop: int
    p_open: float
    delay: Distribution
    p_restrictive: float = 1.0
    mean_open_days: float = np.inf
    mean_restrictive_days: float = np.inf
    initial_state: str = "open"
    validity_days: float = 0.0

    @property
    def switches(self) -> bool:
        """Whether the regime's state path is random (drawn per run)."""
        return self.initial_state == "stationary" or (
            np.isfinite(self.mean_open_days) if self.initial_state == "open" else
            np.isfinite(self.mean_restrictive_days))

    @property
    def uncertain(self) -> bool:
        """Whether some application may be denied."""
        restrictive_reachable = self.initial_state != "open" or np.isfinite(self.mean_open_days)
        return self.p_open < 1.0 or (restrictive_reachable and self.p_restrictive < 1.0)


@dataclass(frozen=True, eq=False)
class LeakageSpec:
    """A leakage route under a ban: at most ``capacity`` units/day on ``lanes`` over ``[first, stop)``.

    ``share`` is the route capacity over the lanes' baseline flow (at most
    1), the chance a buyer expects an order to get through.
    """

    lanes: np.ndarray
    first: int
    stop: int
    capacity: float
    share: float


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
    """Raise buyers' targets by ``days`` of the covered lanes' baseline flow from the announcement to the start.

    The whole extra from the announcement day: buyers want the stock shipped before the start, so they
    order it at once (docs/model.md §6.5.4).
    """
    announced = shock.announcement(builder.scenario.start_date)
    first = builder.start_day(shock)
    if announced is None or days <= 0 or announced >= first or first <= 0:
        return
    buyers = builder.core["lane_buyer"]
    cap = np.bincount(buyers[lanes], weights=index(builder).lane_flow[lanes] * days,
                      minlength=len(builder.core["buyer_stock"]))
    t = np.arange(max(announced, 0), min(first, builder.n_days))
    builder.full("target_extra")[t] += cap[None, :]
    # The price rule (§5.9) counts the front-loaded stock as planned until it has landed and been drawn.
    builder.cache.setdefault("front_loaded", []).append((first, float(days), cap, lanes))


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
        _ban(shock, builder, lanes, rows)
    elif shock.mode == "licence":
        _licence(shock, builder, lanes, first, stop)
    else:
        builder.extras.setdefault("quotas", []).append(QuotaSpec(
            lanes=lanes, first=first, stop=stop, amount=float(shock.quota_per_period),  # type: ignore[arg-type]
            period=shock.period_days, anchor=builder.start_day(shock)))


def _ban(shock: ExportControl, builder: ScheduleBuilder, lanes: np.ndarray, rows: slice) -> None:
    """Close the lanes, or keep them open behind a leakage route of limited capacity."""
    baseline = float(index(builder).lane_flow[lanes].sum())
    capacity = shock.leakage * baseline if shock.leakage_capacity is None else shock.leakage_capacity
    if capacity <= 0:
        builder.full("lane_allow")[rows, lanes] *= 0.0
        return
    builder.full("lead_extra")[rows, lanes] += shock.leakage_extra_days
    n_lanes = len(builder.core["lane_price"])
    extra = builder.extras.setdefault("extra_cost_usd", np.zeros((builder.n_days, n_lanes)))
    extra[rows, lanes] += shock.leakage_extra_cost * builder.core["lane_price"][lanes]
    share = min(1.0, capacity / baseline) if baseline > 0 else 1.0
    builder.extras.setdefault("leakage", []).append(LeakageSpec(
        lanes=lanes, first=rows.start, stop=rows.stop, capacity=float(capacity), share=share))


def _licence(shock: ExportControl, builder: ScheduleBuilder, lanes: np.ndarray, first: int, stop: int) -> None:
    """Leave the regime to the engines (applications are state, decisions are drawn per run)."""
    def days_of(months: float | None) -> float:
        return np.inf if months is None else months * DAYS_PER_MONTH
    p_restrictive = shock.restrictive_approval_probability
    spec = LicenceSpec(
        lanes=lanes, first=first, stop=stop, p_open=shock.approval_probability, delay=shock.processing_delay,
        p_restrictive=1.0 if p_restrictive is None else p_restrictive,
        mean_open_days=days_of(shock.mean_open_months), mean_restrictive_days=days_of(shock.mean_restrictive_months),
        initial_state=shock.initial_state, validity_days=shock.licence_validity_days or 0.0)
    builder.extras.setdefault("licences", []).append(spec)
    if spec.uncertain or spec.switches or not spec.delay.is_deterministic:
        builder.needs_random = True


def restricts_quantity(shock: ExportControl) -> bool:
    """Whether an export control can hold exports below what is applied for, so that its licences earn a rent.

    A ban (only a capped leakage route leaves) and a quota can; a licence regime only when some application can
    be denied: ``approval_probability < 1``, or a restrictive state that denies. A licence every application gets,
    after any wait, is an automatic licence (WTO Agreement on Import Licensing Procedures, Art. 2.1: "approval of
    the application is granted in all cases"): it delays exports, a cost of time that nobody collects (Hummels &
    Schaur 2013), and holds none back, so it earns no licence rent (docs/model.md §5.9, the set B(t) of controls that
    bind). Whether a quota binds is a matter of its period's shipments (§5.9).

    Examples
    --------
    >>> restricts_quantity(ExportControl(exporter="CN", commodity="aam", mode="licence"))
    False
    >>> restricts_quantity(ExportControl(exporter="CN", commodity="aam", mode="licence", approval_probability=0.7))
    True
    >>> restricts_quantity(ExportControl(exporter="CN", commodity="aam", mode="licence", mean_open_months=6.0,
    ...                                  restrictive_approval_probability=0.2))
    True
    >>> restricts_quantity(ExportControl(exporter="CN", commodity="aam"))             # a ban
    True
    """
    if shock.mode != "licence":
        return True
    restrictive = shock.mean_open_months is not None or shock.initial_state != "open"
    return shock.approval_probability < 1.0 or (restrictive and (shock.restrictive_approval_probability or 0.0) < 1.0)
