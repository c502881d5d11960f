"""Stop a run that meets a non-finite number, naming the quantity.

A NaN or an infinity in a lead time, a demand or a capacity does not fail
loudly in array arithmetic: it turns stocks into NaN, compares false, and
the engines would carry on and disagree. So each engine checks, once per
chunk of runs (never per element per day):

* the compiled inputs, and their products with each day's schedule
  (`check_inputs`), before the first day;
* each block of random draws (`check_draws`), as drawn;
* the state at the end of the horizon (`check_state`): a NaN or an
  infinity that arithmetic made on the way (e.g. ``inf - inf``) persists in
  stocks, goods in transit or backlog.

Each raises `SupplyChainError` naming the
quantity, the item, the run and the day.

Implements docs/model.md §7.1 (distributions) and §9 (balance): no non-finite number is simulated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..compile.compiler import Compiled
from ..errors import SupplyChainError
from .day import DrawBatch
from .kernel import State

__all__ = ["check_inputs", "check_draws", "check_state"]

#: Draw field -> (what it is, compiled labels attribute).
_DRAWS = {
    "demand_noise": ("demand noise factor", "demand_ids"),
    "lead_time": ("random lead time", "lane_ids"),
    "outage": ("outage capacity factor", "facility_ids"),
    "licence_approved": ("licence decision", "lane_ids"),
    "licence_delay": ("licence processing delay", "lane_ids"),
    "licence_p": ("licence approval probability", "lane_ids"),
}


def _run_number(seqs: Sequence[np.random.SeedSequence] | None, r: int) -> int:
    """The run's number in the whole simulation (its spawn key), else its index in the chunk."""
    if seqs is not None and r < len(seqs) and seqs[r].spawn_key:
        return int(seqs[r].spawn_key[-1])
    return r


def _fail(quantity: str, item: str, value: float, context: str) -> SupplyChainError:
    return SupplyChainError(
        f"{quantity} of {item!r} is {value!r}{context}: the engine stops rather than simulate with a "
        "non-finite number (expected a finite value; check the scenario's distributions and the "
        "shocks' magnitudes).")


def _check(quantity: str, labels: Sequence[str], values: np.ndarray, context: str, *,
           item_axis: int = -1, seqs: Sequence[np.random.SeedSequence] | None = None,
           allow_inf: bool = False) -> None:
    """Raise `_fail` for the first non-finite entry of ``values`` (NaN only if ``allow_inf``).

    ``context`` may use ``{day}`` (the first axis, for ``(T, n)`` and
    ``(R, T, n)`` arrays: the second) and ``{run}`` (the first axis).
    """
    where = _first_bad(np.where(values == np.inf, 0.0, values) if allow_inf else values)
    if where is None:
        return
    day = where[1] if values.ndim == 3 else where[0]
    run = _run_number(seqs, where[0])
    raise _fail(quantity, labels[where[item_axis]], float(values[where]), context.format(day=day, run=run))


def _first_bad(values: np.ndarray) -> tuple[int, ...] | None:
    bad = ~np.isfinite(values)
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])


def check_inputs(c: Compiled) -> None:
    """Check the compiled inputs and each day's capacity, demand, lead time and order target.

    Raises
    ------
    SupplyChainError
        Naming the first non-finite quantity, its item and day.

    Examples
    --------
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> from supplychain.compile.compiler import compile_scenario
    >>> check_inputs(compile_scenario(synthetic_scenario(10, horizon_days=5)))
    """
    sch = c.schedules
    daily = {
        "capacity": (c.capacity * sch.capacity_factor, c.facility_ids),
        "demand": (c.demand_rate * sch.demand_factor, c.demand_ids),
        "lead time": (c.lane_lead_mean * sch.lead_factor + sch.lead_extra, c.lane_ids),
        "sourcing share": (sch.share * sch.lane_allow, c.lane_ids),
        "order-up-to level": ((c.order_up_to + sch.target_extra) * sch.order_factor, _buyers(c)),
        "reorder point": (c.reorder_point + sch.target_extra, _buyers(c)),
        "tariff": (sch.tariff, c.lane_ids),
    }
    for quantity, (values, labels) in daily.items():
        _check(quantity, labels, values, " on day {day}" if values.shape[0] > 1 else " on every day")
    _check("lane capacity", c.lane_ids, c.lane_capacity, "", allow_inf=True)  # inf: no limit
    fixed = {
        "production target": (c.prod_target, c.facility_ids),
        "production trigger": (c.prod_trigger, c.facility_ids),
        "initial stock": (c.initial_stock, _stocks(c)),
        "initial goods in transit": (c.initial_arrivals, c.lane_ids),
    }
    for quantity, (values, labels) in fixed.items():
        _check(quantity, labels, values, "")
    _check("recipe ratio", c.facility_ids, c.recipe_ratio, "", item_axis=0)


def check_draws(c: Compiled, draws: DrawBatch, seqs: Sequence[np.random.SeedSequence] | None = None) -> None:
    """Check a block of random draws, arrays ``(R, T, n)``.

    Raises
    ------
    SupplyChainError
        Naming the first non-finite draw: what it is, its item, run and day.
    """
    for name, (quantity, attr) in _DRAWS.items():
        values = getattr(draws, name)
        if values is None:
            continue
        _check(quantity, getattr(c, attr), values, " in run {run} on day {day}", seqs=seqs)


def check_state(c: Compiled, state: State, seqs: Sequence[np.random.SeedSequence] | None = None) -> None:
    """Check stocks, goods in transit, backlog and work in progress of ``R`` runs (at the end of the horizon).

    Raises
    ------
    SupplyChainError
        Naming the first non-finite stock, lane or demand and its run.
    """
    parts = {
        "stock": (state.stock[:, :-1], _stocks(c)),  # the last column is the +inf padding stock
        "goods in transit": (state.transit_lane, c.lane_ids),
        "backlog": (state.backlog, c.demand_ids),
    }
    if state.wip is not None:
        parts["work in progress"] = (state.wip, c.facility_ids)
    context = f" in run {{run}} by the end of day {c.n_days - 1} (a value overflowed during the run)"
    for quantity, (values, labels) in parts.items():
        _check(quantity, labels, values, context, seqs=seqs)


def _stocks(c: Compiled) -> tuple[str, ...]:
    return tuple(f"{n}:{k}" for n, k in zip(c.stock_node, c.stock_commodity))


def _buyers(c: Compiled) -> tuple[str, ...]:
    stocks = _stocks(c)
    return tuple(stocks[i] for i in c.buyer_stock)
