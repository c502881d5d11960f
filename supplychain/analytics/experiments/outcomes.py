"""Outcomes of one run, computed where the run happens (so only a few numbers travel back).

Each function takes the compiled scenario and the run's daily series
``{name: (R, T, n)}`` and returns one value per run. Definitions are those of
`Outcome`.

Implements docs/model.md §6.14 (experiments).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...compile.compiler import Compiled
from ...errors import ValidationError
from ...model.experiment import Outcome, PolicyCosts
from ...model.network import Network
from ...model.shocks import CapacityInvestment, SafetyStockChange, StockpileRelease

__all__ = ["evaluate", "policy_cost", "check_outcomes"]


def _demand_mask(net: Network, o: Outcome) -> np.ndarray:
    return np.array([(o.regions is None or d.region in o.regions)
                     and (o.commodities is None or d.commodity in o.commodities) for d in net.demands])


def _demand_prices(net: Network) -> np.ndarray:
    price = {c.id: c.price_usd for c in net.commodities}
    return np.array([price[d.commodity] for d in net.demands], dtype=float)


def check_outcomes(network: Network, outcomes: Sequence[Outcome]) -> None:
    """Check that each outcome selects something and that unit outcomes do not add different units.

    Raises
    ------
    ValidationError
        Naming the outcome and what is wrong.
    """
    units = {c.id: c.unit for c in network.commodities}
    regions = {r.id for r in network.regions}
    for o in outcomes:
        for r in o.regions or ():
            if r not in regions:
                raise ValidationError(f"Outcome {o.name!r}: region {r!r} is not in the network "
                                      f"(regions: {', '.join(sorted(regions))}).")
        for c in o.commodities or ():
            if c not in units:
                raise ValidationError(f"Outcome {o.name!r}: commodity {c!r} is not in the network.")
        if o.kind in ("shortfall_usd", "shortfall_units", "time_to_recover") and not _demand_mask(network, o).any():
            raise ValidationError(f"Outcome {o.name!r}: no final demand matches regions={o.regions}, "
                                  f"commodities={o.commodities}.")
        if o.kind == "shortfall_units":
            chosen = {units[d.commodity] for d, m in zip(network.demands, _demand_mask(network, o)) if m}
            if len(chosen) > 1:
                raise ValidationError(f"Outcome {o.name!r}: shortfall_units adds different units "
                                      f"({', '.join(sorted(chosen))}); choose one commodity or use shortfall_usd.")


def _shortfall(c: Compiled, arrays: dict[str, np.ndarray], o: Outcome, usd: bool) -> np.ndarray:
    net = c.scenario.network
    gap = np.maximum(arrays["demand"].sum(axis=1) - arrays["delivered"].sum(axis=1), 0.0)   # (R, D)
    weight = _demand_mask(net, o) * (_demand_prices(net) if usd else 1.0)
    return np.asarray(gap @ weight)


def _time_to_recover(c: Compiled, arrays: dict[str, np.ndarray], o: Outcome) -> np.ndarray:
    net = c.scenario.network
    weight = _demand_mask(net, o) * _demand_prices(net)
    demand = arrays["demand"] @ weight                       # (R, T)
    delivered = arrays["delivered"] @ weight
    with np.errstate(invalid="ignore", divide="ignore"):
        service = np.where(demand > 0, delivered / np.where(demand > 0, demand, 1.0), 1.0)
    start = c.scenario.shock_day or 0
    below = service[:, start:] < o.threshold - 1e-12
    any_below = below.any(axis=1)
    last = below.shape[1] - 1 - np.argmax(below[:, ::-1], axis=1)
    return np.where(any_below, last + 1.0, 0.0)


def _lane_regions(net: Network) -> tuple[list[str], list[str]]:
    region = {f.id: f.region for f in net.facilities} | {d.id: d.region for d in net.demands}
    return [region[lane.origin] for lane in net.lanes], [region[lane.destination] for lane in net.lanes]


def _landed_cost_increase(c: Compiled, arrays: dict[str, np.ndarray], o: Outcome) -> np.ndarray:
    """Landed cost per dollar of goods on the selected import lanes, against the unshocked steady state, minus 1.

    Landed cost is ``price (1 + tariff) + freight + extra`` per unit; dividing
    by the goods' value at reference prices makes commodities of different
    units comparable, and counts both tariffs or rerouting premiums and
    shifts of sourcing to lanes with dearer freight.
    """
    net = c.scenario.network
    origin, dest = _lane_regions(net)
    mask = np.array([a != b and (o.regions is None or b in o.regions)
                     and (o.commodities is None or lane.commodity in o.commodities)
                     for a, b, lane in zip(origin, dest, net.lanes)], dtype=float)
    cost = c.lane_price * (1.0 + np.asarray(c.schedules.tariff, dtype=float)) + c.lane_freight
    extra = c.schedules.extras.get("extra_cost_usd")
    if extra is not None:
        cost = cost + extra
    flow = arrays["flow"] * mask                              # (R, T, L)
    paid = (flow * cost).sum(axis=(1, 2))
    value = (flow * c.lane_price).sum(axis=(1, 2))
    steady = np.array([c.steady.flow.get(lane, 0.0) for lane in c.lane_ids]) * mask
    base_ratio = float(steady @ (c.lane_price + c.lane_freight)) / max(float(steady @ c.lane_price), 1e-300)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(value > 0, paid / np.where(value > 0, value, 1.0) / base_ratio - 1.0, 0.0)


def policy_cost(c: Compiled, costs: PolicyCosts) -> float:
    """Cost in USD of the scenario's responses over its horizon (see `PolicyCosts`).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> from supplychain.model import StockpileRelease
    >>> sc = toy_scenario(365).with_responses(StockpileRelease(region="KR", commodity="ore", reserve=1000.0,
    ...                                                        release_below_cover_days=5))
    >>> policy_cost(compile_scenario(sc), PolicyCosts(holding_rate=0.1))   # 1000 t x $100 x 10 %
    10000.0
    """
    net = c.scenario.network
    price = {com.id: com.price_usd for com in net.commodities}
    years = c.n_days / 365.0
    region_of = {f.id: f.region for f in net.facilities} | {d.id: d.region for d in net.demands}
    total = 0.0
    for r in c.scenario.responses:
        if isinstance(r, StockpileRelease):
            total += r.reserve * price[r.commodity] * costs.holding_rate * years
        elif isinstance(r, CapacityInvestment):
            commodity = r.commodity if r.commodity is not None else net.facility(r.facility).output  # type: ignore[arg-type]
            capex = r.added_capacity * 365.0 * price[commodity] * costs.capital_intensity
            total += capex * costs.capital_recovery_factor * years
        elif isinstance(r, SafetyStockChange):
            usage = sum(rate for (node, com), rate in c.steady.usage.items()
                        if com == r.commodity and region_of.get(node) == r.region)
            total += r.cover_days * usage * price[r.commodity] * costs.holding_rate * years
    return float(total)


def evaluate(c: Compiled, arrays: dict[str, np.ndarray], outcomes: Sequence[Outcome],
             costs: PolicyCosts) -> np.ndarray:
    """Every outcome of every run, shape ``(n_runs, n_outcomes)``."""
    n_runs = arrays["demand"].shape[0]
    out = np.empty((n_runs, len(outcomes)))
    for k, o in enumerate(outcomes):
        if o.kind == "shortfall_usd":
            out[:, k] = _shortfall(c, arrays, o, usd=True)
        elif o.kind == "shortfall_units":
            out[:, k] = _shortfall(c, arrays, o, usd=False)
        elif o.kind == "time_to_recover":
            out[:, k] = _time_to_recover(c, arrays, o)
        elif o.kind == "landed_cost_increase":
            out[:, k] = _landed_cost_increase(c, arrays, o)
        else:
            out[:, k] = policy_cost(c, costs)
    return out
