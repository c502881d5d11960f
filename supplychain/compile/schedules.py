"""Daily schedules: what shocks do to capacities, lanes, demand and sourcing.

Shocks are turned into arrays indexed by day, once, before any engine runs, so
that engines only read numbers. An array whose first axis has length 1 is
constant over the horizon (this keeps big networks with no shock small).

`build_schedules` applies each shock with the rule that the table
passed to it (`supplychain.compile.rules.RULES`) gives for the shock's
type, then runs the finishing steps (sourcing shares from tariffs, safety
stock covers) and composes capacity.

Composition (the model specification, ``docs/model.md``): every list of
shocks applies at once, whatever its order. Additive terms are summed first,
then multiplicative factors applied, so capacity of facility ``f`` on day
``t`` is ``(cap_f + added_f(t)) * prod(1 - loss(t))`` (a disruption hits
capacity added by an investment too), demand and lead-time factors multiply,
tariff rates and extra days add, and "set" kinds (safety-stock cover) resolve
by a tie-break on the shocks, not their position. Lead time on day ``t`` is
``base * lead_factor + lead_extra``: the multiplier (a detour) scales transport
time, not waiting time such as licence processing. Shocks are applied in a
canonical order (by kind, then by their fields), so that even rounding does
not depend on the order of the list.

Implements docs/model.md §4.6 (schedules) and §6.2 (composition).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import SimulationWarning, SupplyChainError
from ..model.scenario import Scenario
from ..model.shocks import Shock, to_day

__all__ = ["Schedules", "ScheduleBuilder", "build_schedules", "describe_shock", "labelled_shocks", "DAILY_FIELDS", "Rule",
           "Finisher", "normalise_shares"]

#: name -> (axis the second dimension runs over, neutral value)
DAILY_FIELDS: dict[str, tuple[str, float]] = {
    "capacity_factor": ("facility", 1.0),   # multiplier on capacity (additions included)
    "demand_factor": ("demand", 1.0),       # multiplier on demand
    "lane_allow": ("lane", 1.0),            # fraction of ordered volume allowed to ship
    "lead_factor": ("lane", 1.0),           # multiplier on lead time
    "lead_extra": ("lane", 0.0),            # extra days added to lead time
    "tariff": ("lane", 0.0),                # ad-valorem tariff rate on the lane
    "share": ("lane", 1.0),                 # normalised sourcing share (set in build)
    "order_factor": ("buyer", 1.0),         # multiplier on orders
    "target_extra": ("buyer", 0.0),         # units added to order-up-to level and reorder point
}

#: Fields named when a shock is described in a message, in this order.
_KEY_FIELDS = ("facility", "stage", "region", "importer", "exporter", "origin_region", "destination_region",
               "through", "commodity", "mode", "rate", "factor", "fraction_lost", "group")


@dataclass(frozen=True, eq=False)
class Schedules:
    """Arrays of shape ``(T, n)`` or ``(1, n)`` (constant), one per field in `DAILY_FIELDS`.

    ``extras`` holds state that dynamic shock mechanisms need (quota sizes,
    stockpiles, licence parameters); engines that know a key use it.
    """

    capacity_factor: np.ndarray
    demand_factor: np.ndarray
    lane_allow: np.ndarray
    lead_factor: np.ndarray
    lead_extra: np.ndarray
    tariff: np.ndarray
    share: np.ndarray
    order_factor: np.ndarray
    target_extra: np.ndarray
    extras: dict[str, Any] = field(default_factory=dict)
    needs_random: bool = False

    def day(self, name: str, t: int) -> np.ndarray:
        """Row ``t`` of schedule ``name`` (row 0 when the schedule is constant)."""
        arr: np.ndarray = getattr(self, name)
        return arr[t] if arr.shape[0] > 1 else arr[0]


class ScheduleBuilder:
    """Mutable workspace in which shock rules write their effects.

    Rules scale or add to the arrays of `DAILY_FIELDS` (via
    `full`), add capacity with `add_capacity`, leave specs of
    state-dependent mechanisms in `extras` and working data for the
    finishing steps in `cache`.
    """

    def __init__(self, scenario: Scenario, core: Mapping[str, Any], sizes: Mapping[str, int]) -> None:
        self.scenario = scenario
        self.core = core
        self.n_days = scenario.horizon_days
        self.arrays: dict[str, np.ndarray] = {
            name: np.full((1, sizes[axis]), neutral) for name, (axis, neutral) in DAILY_FIELDS.items()}
        self.extras: dict[str, Any] = {}
        self.cache: dict[str, Any] = {}
        self.needs_random = False
        self._added: np.ndarray | None = None    # (T, F) units/day added by investments

    def full(self, name: str) -> np.ndarray:
        """The ``(T, n)`` array for ``name``, ready to edit in place."""
        arr = self.arrays[name]
        if arr.shape[0] == 1 and self.n_days > 1:
            arr = np.repeat(arr, self.n_days, axis=0)
            self.arrays[name] = arr
        return arr

    def start_day(self, shock: Shock) -> int:
        """Day index of the shock's start (negative when it started before day 0)."""
        return to_day(shock.start, self.scenario.start_date, "start", type(shock).__name__)

    def window(self, shock: Shock) -> tuple[int, int]:
        """Active days ``[first, stop)`` of ``shock`` within the horizon."""
        return shock.window(self.scenario.start_date, self.n_days)

    def add_capacity(self, facility: int, units: np.ndarray) -> None:
        """Add ``units`` (T,) units/day to the capacity of ``facility`` before any loss applies."""
        if self._added is None:
            self._added = np.zeros((self.n_days, len(self.core["capacity"])))
        self._added[:, facility] += units

    def build(self) -> Schedules:
        """Compose capacity (additions first, then losses) and freeze the arrays."""
        if self._added is not None:
            base = self.core["capacity"]
            grown = np.flatnonzero(self._added.any(axis=0))
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = 1.0 + self._added[:, grown] / base[grown]
            self.full("capacity_factor")[:, grown] *= scale
        return Schedules(**self.arrays, extras=self.extras, needs_random=self.needs_random)


Rule = Callable[[Any, ScheduleBuilder], None]
Finisher = Callable[[ScheduleBuilder], None]


def describe_shock(shock: Shock) -> str:
    """The shock's class and identifying fields, e.g. ``Tariff(importer='US', commodity='gallium')``.

    Examples
    --------
    >>> from supplychain.model import Tariff
    >>> describe_shock(Tariff(importer="US", exporter="CN", commodity="gallium", rate=0.25))
    "Tariff(importer='US', exporter='CN', commodity='gallium', rate=0.25)"
    """
    parts = [f"{name}={getattr(shock, name)!r}" for name in _KEY_FIELDS
             if getattr(shock, name, None) is not None]
    return f"{type(shock).__name__}({', '.join(parts)})"


def _canonical_key(shock: Shock) -> tuple[str, str]:
    return type(shock).__name__, json.dumps(shock.to_dict(), sort_keys=True, default=str)


def labelled_shocks(scenario: Scenario) -> list[tuple[tuple[int, int], str, Shock]]:
    """Every shock and response with its place in the scenario and its label, in canonical order.

    The label is where the shock was written (`Scenario.shock_origins`, e.g. a file's
    ``[[shocks]]`` entry), else its place in ``shocks`` or ``responses``. The order is the one the
    compiled extras (``stockpiles``, ``licences``, ...) are built in, so a reader can match them to their shocks.
    """
    origins = dict(scenario.shock_origins)
    out = [((0, i), origins.get(s, f"shocks entry {i + 1}"), s) for i, s in enumerate(scenario.shocks)]
    out += [((1, i), origins.get(s, f"responses entry {i + 1}"), s) for i, s in enumerate(scenario.responses)]
    return sorted(out, key=lambda item: _canonical_key(item[2]))


def _warn_if_late(shock: Shock, builder: ScheduleBuilder) -> None:
    """Warn, naming the shock, when it starts on or after the last simulated day."""
    first = builder.start_day(shock)
    if first < builder.n_days:
        return
    try:
        when = f" ({builder.scenario.start_date + dt.timedelta(days=first)})"
    except OverflowError:
        when = ""
    announced = shock.announcement(builder.scenario.start_date)
    effect = (f"only its announcement on day {announced} falls inside"
              if announced is not None and announced < builder.n_days else "it has no effect")
    warnings.warn(f"{describe_shock(shock)} starts on day {first}{when}, on or after the end of the "
                  f"{builder.n_days}-day horizon; {effect}.", SimulationWarning, stacklevel=4)


def normalise_shares(share: np.ndarray, lane_buyer: np.ndarray, n_buyers: int) -> np.ndarray:
    """Shares ``(T, L)`` divided by their buyer's total on each day (equal shares when that is 0).

    Examples
    --------
    >>> normalise_shares(np.array([[2.0, 6.0, 0.0]]), np.array([0, 0, 1]), 2).tolist()
    [[0.25, 0.75, 1.0]]
    """
    totals = np.zeros((share.shape[0], n_buyers))
    for t in range(share.shape[0]):
        totals[t] = np.bincount(lane_buyer, weights=share[t], minlength=n_buyers)
    denom = totals[:, lane_buyer]
    counts = np.bincount(lane_buyer, minlength=n_buyers)[lane_buyer]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, share / np.where(denom > 0, denom, 1.0), 1.0 / np.maximum(counts, 1))
    return out


def build_schedules(scenario: Scenario, core: Mapping[str, Any], *, base_share: np.ndarray,
                    rules: Mapping[type, Rule], finishers: Sequence[Finisher] = ()) -> Schedules:
    """Apply every shock of ``scenario`` with ``rules``, then ``finishers``, and return the schedules.

    The result does not depend on the order of the scenario's shocks.
    """
    sizes = {"facility": len(core["facility_ids"]), "demand": len(core["demand_ids"]),
             "lane": len(core["lane_ids"]), "buyer": len(core["buyer_stock"])}
    builder = ScheduleBuilder(scenario, core, sizes)
    builder.arrays["share"] = base_share[None, :].astype(float).copy()
    errors: list[tuple[tuple[int, int], str, SupplyChainError]] = []
    for place, label, shock in labelled_shocks(scenario):
        rule = rules.get(type(shock))
        if rule is None:
            raise TypeError(f"no schedule rule is registered for shock type {type(shock).__name__}")
        _warn_if_late(shock, builder)
        try:
            rule(shock, builder)
        except SupplyChainError as exc:
            errors.append((place, label, exc))
    if errors:
        # Report the first wrong entry of the scenario (numbered from 1, like [[shocks]] entries).
        _, label, exc = min(errors, key=lambda item: item[0])
        raise type(exc)(f"{label}: {exc}") from None
    for finish in finishers:
        finish(builder)
    builder.arrays["share"] = normalise_shares(builder.arrays["share"], core["lane_buyer"], sizes["buyer"])
    return builder.build()
