"""Restarting idle capacity: capacity above a facility's steady output is usable only after a delay.

A facility's steady output (its baseline production) runs on warm lines. Capacity above it (idle
tools, a mothballed line, capacity added by an investment) becomes usable ``restart_days`` after the
facility is first asked for more than it can make on its warm lines, then ramps in linearly over
``restart_ramp_days`` (`supplychain.model.Facility.restart_days`; chain defaults
`supplychain.model.network.RESTART_DAYS`). Once restarted it stays warm to the end of the run.

Only facilities with a restart delay or ramp and capacity above their steady output on some day
carry this state; a scenario without any allocates nothing and `usable_capacity` is skipped.

A line stopped for long enough restarts cold (`cold_capacity`): after a stop of at least
`supplychain.model.network.COLD_STOP_DAYS` days, the capacity that comes back is held back by
the same delay and ramp, counted from the first day with capacity again. Only facilities that can
stop (a scheduled capacity of zero or a random outage) carry that state.

Implements docs/model.md §5.4.1 (restart) and §5.4.2 (cold restart).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import Compiled
from ..model.network import COLD_STOP_DAYS

__all__ = ["RestartState", "initial_restart", "usable_capacity", "warm_fraction", "RESTART_TOLERANCE",
           "ColdState", "initial_cold", "cold_capacity", "cold_fraction", "cold_withheld", "withheld_table"]

#: Margin above the warm capacity, relative to the production target, that asks for a restart (§5.4.1).
RESTART_TOLERANCE = 1e-9


@dataclass(eq=False)
class RestartState:
    """Restart state of ``R`` runs for the ``n`` facilities that can have idle capacity."""

    facilities: np.ndarray  # (n,) facility indices
    steady: np.ndarray      # (n,) steady production (units/day): the warm capacity
    delay: np.ndarray       # (n,) restart_days
    ramp: np.ndarray        # (n,) max(restart_ramp_days, 1)
    asked: np.ndarray       # (R, n) day the restart was first needed; +inf before
    target: np.ndarray      # (n,) production target: the scale of the restart trigger's tolerance
    every: bool = False     # ``facilities`` is every facility, in order (no gather needed)
    idle: bool = True       # no run has asked for a restart yet (``asked`` is all +inf)


def initial_restart(c: Compiled, n_runs: int) -> RestartState | None:
    """Restart state at day 0, or ``None`` when no facility ever has idle capacity to restart.

    Examples
    --------
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> initial_restart(compile_scenario(synthetic_scenario(6, horizon_days=10)), 2) is None
    True
    """
    net = c.scenario.network
    chains = {k.id: k.chain for k in net.commodities}
    params = np.array([f.restart(chains.get(f.output, "")) for f in net.facilities]).reshape(-1, 2)
    steady = np.array([c.steady.production.get(i, 0.0) for i in c.facility_ids])
    top = (c.capacity * c.schedules.capacity_factor).max(axis=0) if c.n_facilities else np.zeros(0)
    keep = np.flatnonzero(((params[:, 0] > 0) | (params[:, 1] > 0)) & (top > steady * (1 + 1e-12)))
    if not len(keep):
        return None
    return RestartState(facilities=keep, steady=steady[keep], delay=params[keep, 0],
                        ramp=np.maximum(params[keep, 1], 1.0), asked=np.full((n_runs, len(keep)), np.inf),
                        target=c.prod_target[keep], every=len(keep) == c.n_facilities)


def warm_fraction(rs: RestartState, day: int) -> np.ndarray:
    """Share of the idle capacity usable on ``day``, (R, n): ``clip((t - a - delay + 1) / ramp, 0, 1)``."""
    # A facility never asked has asked = +inf, so h = -inf and clips to 0.
    return np.clip((day - rs.asked - rs.delay + 1.0) / rs.ramp, 0.0, 1.0)


def usable_capacity(rs: RestartState, day: int, capacity: np.ndarray, inputs: np.ndarray,
                    need: np.ndarray) -> np.ndarray:
    """Today's capacity (R, F) with idle capacity limited to its warm part; notes new restarts.

    ``capacity`` (F,) or (R, F) is today's capacity after shocks and outages;
    ``inputs`` and ``need`` (R, F) are what the inputs allow and what the
    facility wants to start. A facility whose start would exceed its warm
    capacity asks for a restart today (the day is kept in ``rs.asked``), so a
    restart with no delay and no ramp frees its capacity the same day.
    """
    if rs.idle and np.ndim(capacity) == 1:
        quiet = _usable_idle(rs, day, capacity, inputs, need)
        if quiet is not None:
            return quiet
    full = np.empty_like(need)  # the layout of the engine's arrays (runs-last in the vector engine)
    full[...] = capacity
    x = full[:, rs.facilities]
    above = np.maximum(x - rs.steady, 0.0)
    warm = x - (1.0 - warm_fraction(rs, day)) * above
    want = np.minimum(np.minimum(x, inputs[:, rs.facilities]), need[:, rs.facilities])
    # Above the warm capacity by more than rounding: the start is the production target minus a
    # stock, so the tolerance scales with the target (§5.4.1).
    new = (want > warm + RESTART_TOLERANCE * rs.target) & np.isinf(rs.asked)
    if new.any():
        rs.asked[new] = day
        rs.idle = False
        warm = x - (1.0 - warm_fraction(rs, day)) * above
    full[:, rs.facilities] = warm
    return full


def _usable_idle(rs: RestartState, day: int, capacity: np.ndarray, inputs: np.ndarray,
                 need: np.ndarray) -> np.ndarray | None:
    """`usable_capacity` while no run has asked for a restart and capacity is the same in every run.

    Then every run's warm fraction is 0 (``asked`` is +inf), so the warm capacity
    ``x - (1 - 0) * above`` is ``x - above`` bit for bit, the same in every
    run: it is worked out once, on ``(n,)``, and the capacity returned as
    ``(F,)``. Returns ``None`` (nothing changed) when a run asks for a restart
    today: the caller takes the general path, which records it.
    """
    x = capacity[rs.facilities]
    warm = x - np.maximum(x - rs.steady, 0.0)
    if rs.every:
        want = np.minimum(np.minimum(x, inputs), need)
    else:
        want = np.minimum(np.minimum(x, inputs[:, rs.facilities]), need[:, rs.facilities])
    if (want > warm + RESTART_TOLERANCE * rs.target).any():
        return None
    out = np.array(capacity, dtype=float)
    out[rs.facilities] = warm
    return out


@dataclass(eq=False)
class ColdState:
    """Cold-restart state of ``R`` runs for the ``n`` facilities that can stop (§5.4.2)."""

    facilities: np.ndarray  # (n,) facility indices
    stop_days: np.ndarray   # (n,) shortest stop that makes the line cold
    delay: np.ndarray       # (n,) restart_days
    ramp: np.ndarray        # (n,) max(restart_ramp_days, 1)
    down: np.ndarray        # (R, n) days in a row without capacity, up to yesterday
    back: np.ndarray        # (R, n) first day with capacity after the last cold stop; -inf: none
    withheld: np.ndarray    # (n, J + 1) days of full output withheld from the j-th day back on (§5.7)


def initial_cold(c: Compiled, n_runs: int) -> ColdState | None:
    """Cold-restart state at day 0, or ``None`` when no facility can restart cold.

    A facility can when its chain has a cold-stop length, it has a restart delay or
    ramp and nameplate capacity, and its capacity can reach zero: a scheduled
    factor of zero on some day, or a random outage on it (outages add up).

    Examples
    --------
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> initial_cold(compile_scenario(synthetic_scenario(6, horizon_days=10)), 2) is None
    True
    """
    net = c.scenario.network
    chains = {k.id: k.chain for k in net.commodities}
    chain = [chains.get(f.output, "") for f in net.facilities]
    params = np.array([f.restart(ch) for f, ch in zip(net.facilities, chain)]).reshape(-1, 2)
    stop = np.array([COLD_STOP_DAYS.get(ch, np.inf) for ch in chain])
    can_stop = np.zeros(c.n_facilities, dtype=bool)
    if c.n_facilities:
        can_stop |= (c.schedules.capacity_factor <= 0.0).any(axis=0)
    for spec in c.schedules.extras.get("outages", []):
        can_stop[spec.facilities] = True
    keep = np.flatnonzero(np.isfinite(stop) & ((params[:, 0] > 0) | (params[:, 1] > 0))
                          & (c.capacity > 0) & can_stop)
    if not len(keep):
        return None
    n = len(keep)
    delay, ramp = params[keep, 0], np.maximum(params[keep, 1], 1.0)
    return ColdState(facilities=keep, stop_days=stop[keep], delay=delay, ramp=ramp,
                     down=np.zeros((n_runs, n)), back=np.full((n_runs, n), -np.inf),
                     withheld=withheld_table(delay, ramp))


def withheld_table(delay: np.ndarray, ramp: np.ndarray) -> np.ndarray:
    """Days of full output a cold restart withholds from its ``j``-th day back on, (n, J + 1) (§5.7).

    ``W[i, j] = sum_{k >= j} (1 - clip((k - delay + 1) / ramp, 0, 1))``; the
    last column is 0 (the ramp is over by day ``J``).

    Examples
    --------
    >>> withheld_table(np.array([5.0]), np.array([7.0]))[0, [0, 5, 11]].tolist()
    [8.0, 3.0, 0.0]
    """
    last = int(np.ceil(np.max(delay + ramp - 1.0))) if len(delay) else 0
    k = np.arange(max(last, 0) + 1, dtype=float)
    short = 1.0 - np.clip((k[None, :] - delay[:, None] + 1.0) / ramp[:, None], 0.0, 1.0)
    # Summed from the far end, one term at a time, as the SimPy engine sums them.
    out: np.ndarray = np.cumsum(short[:, ::-1], axis=1)[:, ::-1]
    return out


def cold_fraction(cs: ColdState, day: int) -> np.ndarray:
    """Share of its capacity a line restarting cold may use on ``day``, (R, n); 1 if never stopped cold.

    Read after the day's production (``back`` already notes a line back today).
    """
    return np.clip((day - cs.back - cs.delay + 1.0) / cs.ramp, 0.0, 1.0)


def cold_withheld(cs: ColdState, day: int) -> np.ndarray:
    """Days of full output a line's cold restart still withholds from ``day`` on, (R, n) (§5.7).

    ``W[day - back]`` for a line back from a cold stop, 0 for one never
    stopped cold or whose ramp is over. Read after the day's production.
    """
    back = np.isfinite(cs.back)
    j = np.where(back, day - np.where(back, cs.back, 0.0), 0.0).astype(np.int64)
    j = np.minimum(j, cs.withheld.shape[1] - 1)
    out: np.ndarray = np.where(back, np.take_along_axis(cs.withheld, j.T, axis=1).T, 0.0)
    return out


def cold_capacity(cs: ColdState, day: int, capacity: np.ndarray) -> np.ndarray:
    """Today's capacity (R, F) of lines restarting cold held back by their ramp; notes stops and restarts.

    ``capacity`` (F,) or (R, F) is today's capacity after shocks and outages. A
    line with capacity today after at least ``stop_days`` days without any is
    back from a cold stop: its capacity is scaled by
    ``clip((t - back - delay + 1) / ramp, 0, 1)`` from that day ``back``.
    """
    capacity = np.asarray(capacity)
    full = np.empty((cs.down.shape[0], capacity.shape[-1]), order="F")  # runs-last, as the engine's arrays
    full[...] = capacity
    x = full[:, cs.facilities]
    stopped = x <= 0.0
    cs.back[...] = np.where(~stopped & (cs.down >= cs.stop_days), day, cs.back)
    cs.down[...] = np.where(stopped, cs.down + 1.0, 0.0)
    # A line never stopped cold has back = -inf: the fraction clips to 1.
    full[:, cs.facilities] = x * np.clip((day - cs.back - cs.delay + 1.0) / cs.ramp, 0.0, 1.0)
    return full
