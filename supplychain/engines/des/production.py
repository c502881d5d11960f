"""A facility's production: completing work in progress, restarting idle capacity, starting work.

One function, `produce`, is what a facility does in phase 3 of each day
(docs/model.md §5.4): its line completes the work due today (and work stalled
on earlier days) within the day's capacity, then, if its production position
is at or below its trigger, it starts up to its target, limited by its usable
capacity and its scarcest input.

A line back from a stop of at least its chain's cold-stop length restarts cold: the capacity that
comes back is held back by its restart delay and ramp (docs/model.md §5.4.2).

Implements docs/model.md §5.4 (production), §5.4.1 (restart), §5.4.2 (cold restart) and §5.4.3 (new scrap,
with `.scrap`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .run import Run

__all__ = ["produce", "RESTART_TOLERANCE"]

#: Margin above the warm capacity, relative to the production target, that asks for a restart (§5.4.1).
RESTART_TOLERANCE = 1e-9
#: A production position at most this part of the target above the trigger is at it (§5.4): a MinMax
#: output stock's position can land exactly on its trigger, where a rounding residue would decide.
TRIGGER_TOLERANCE = 1e-9


def produce(run: Run, f: int, t: int, capacity: float) -> float:
    """Facility ``f`` on day ``t`` with ``capacity`` (after shocks and outages); returns what it starts."""
    lay, stock = run.layout, run.stock
    cold = lay.cold[f]
    if cold is not None:
        capacity = _cold(run, f, t, capacity, cold)
    out = lay.out_stock[f]
    k = lay.cycle[f]
    if k:
        # The line completes the work due today first, then work stalled on earlier days.
        due = run.wip[f].popleft()
        done = min(due, capacity)
        stalled = run.stalled[f] + (due - done)
        if stalled:
            release = min(stalled, max(capacity - done, 0.0))
            stalled -= release
            done += release
        run.stalled[f] = stalled
        stock[out] += done
        run.wip_total[f] -= done
        position = stock[out] + run.wip_total[f]
    else:
        position = stock[out]
    scrap = run.scrap if run.scrap is not None and f in run.scrap.rules else None
    # New scrap recovered (§5.4.3): the scrap input's use per unit started is a φ, its cover the stock over that.
    phi = 1.0 if scrap is None else scrap.factor(f, t)
    scrap_stock = -1 if scrap is None else scrap.rules[f][0]
    inputs = min([stock[s] / (a * phi if s == scrap_stock else a) for s, a in lay.recipe[f]], default=float("inf"))
    need = lay.target[f] - position if position <= lay.trigger[f] + TRIGGER_TOLERANCE * lay.target[f] else 0.0
    restart = lay.restart[f]
    if restart is not None:
        capacity = _usable(run, f, t, capacity, min(capacity, inputs, need), restart,
                           RESTART_TOLERANCE * lay.target[f])
    if scrap is not None:
        scrap.note_short(f, t, stock, phi, capacity, need)
    run.usable[f] = capacity  # what the supplier can quote from and spare (§5.6.5, §5.7)
    started = max(min(capacity, inputs, need), 0.0)
    if run.designs is not None:
        started = run.designs.starts(run, f, started)  # design-specific input stocks (§5.6.6)
    for s, a in lay.recipe[f]:
        if s == scrap_stock:
            # The scrap recovered goes back into the stock it came from, recorded as ``recovered``.
            assert scrap is not None
            back = started * (a * (1.0 - phi))
            scrap.recovered[s] = back
            stock[s] = max(stock[s] - started * a + back, 0.0)
        else:
            stock[s] = max(stock[s] - started * a, 0.0)  # consuming all on hand can leave -1e-16
    if k:
        run.wip[f].append(started)  # due on day t + k
        run.wip_total[f] += started
    else:
        stock[out] += started
    stock[out] = max(stock[out], 0.0)
    return started


def _usable(run: Run, f: int, t: int, capacity: float, wanted: float,
            restart: tuple[float, float, float], margin: float) -> float:
    """Capacity usable today: idle capacity above the steady output only once restarted and ramped."""
    steady, delay, ramp = restart
    idle = max(capacity - steady, 0.0)
    usable = capacity - (1.0 - _warm(run.asked[f], t, delay, ramp)) * idle
    if wanted > usable + margin and run.asked[f] == float("inf"):
        run.asked[f] = t  # the restart day: the delay and ramp run from here
        usable = capacity - (1.0 - _warm(t, t, delay, ramp)) * idle
    return usable


def _warm(asked: float, t: int, delay: float, ramp: float) -> float:
    """Share of the idle capacity restarted by day ``t``: ``clip((t - a - delay + 1) / ramp, 0, 1)``."""
    return min(1.0, max((t - asked - delay + 1.0) / ramp, 0.0))


def _cold(run: Run, f: int, t: int, capacity: float, cold: tuple[float, float, float]) -> float:
    """Today's capacity of a line restarting cold: ``clip((t - back - delay + 1) / ramp, 0, 1)`` of it."""
    stop, delay, ramp = cold
    if capacity <= 0.0:
        run.down[f] += 1.0
        return capacity
    if run.down[f] >= stop:
        run.back[f] = t  # back from a cold stop: the delay and ramp run from here
    run.down[f] = 0.0
    return capacity * min(1.0, max((t - run.back[f] - delay + 1.0) / ramp, 0.0))
