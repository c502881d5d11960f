"""Recovering more new scrap when an input runs short: the input's use per unit of output falls.

A facility with a ``scrap_input`` ``c`` and a ``scrap_recovery`` ``σ > 0``
(`supplychain.model.Facility.scrap_recovery`) uses, per unit it starts on day
``t``, ``a_c φ(t)`` of ``c`` instead of its recipe's ``a_c``:

    φ(t) = 1 - σ min(1, max(0, (t - t0) / T)),

with ``t0`` the first day its starts were short of ``c`` (the input's cover at
``a_c φ`` below what it would start on capacity and need) and ``T`` its
``scrap_days``. Production waste of the input (a wafer maker's kerf, polishing
and reactor residues) is recycled into the input stock it came from, so
``a_c (1 - φ)`` per unit started returns to that stock the day it starts, and is
recorded as ``recovered``. Once started, the recovery stays to the end of the
run (the recycling lines are built). Before ``t0``, ``φ = 1`` and production
is the recipe's, bit for bit.

Only facilities with a scrap rule carry this state; a scenario without any
allocates nothing. Implements docs/model.md §5.4.3 (new scrap). The DES
implements the same rule separately (`supplychain.engines.des.scrap`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compile.compiler import Compiled

__all__ = ["ScrapState", "initial_scrap", "factor", "cover", "returned", "note_short", "SCRAP_TOLERANCE"]

#: Margin below what a facility would start, relative to its production target, by which its cover of the scrap
#: input must fall short to start the recovery (§5.4.3): a cover within rounding of the starts is not short.
SCRAP_TOLERANCE = 1e-9


@dataclass(eq=False)
class ScrapState:
    """The scrap rule of ``R`` runs for the ``n`` facilities that have one."""

    facilities: np.ndarray  # (n,) facility indices
    column: np.ndarray      # (n,) recipe column of the scrap input
    stocks: np.ndarray      # (n,) the scrap input's stock
    ratio: np.ndarray       # (n,) the recipe's use of the scrap input per unit of output
    recovery: np.ndarray    # (n,) scrap_recovery
    days: np.ndarray        # (n,) scrap_days
    target: np.ndarray      # (n,) production target: the scale of the trigger's tolerance
    first: np.ndarray       # (R, n) first day short of the scrap input; +inf before
    idle: bool = True       # no run has been short yet (``first`` is all +inf, so φ = 1)


def initial_scrap(c: Compiled, n_runs: int) -> ScrapState | None:
    """Scrap state at day 0, or ``None`` when no facility has a scrap rule.

    Examples
    --------
    >>> from supplychain.compile import compile_scenario
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> initial_scrap(compile_scenario(synthetic_scenario(6, horizon_days=10)), 2) is None
    True
    """
    net = c.scenario.network
    keep, column, stocks, ratio, recovery, days = [], [], [], [], [], []
    for f, fac in enumerate(net.facilities):
        if fac.scrap_input is None or fac.scrap_recovery <= 0.0:
            continue
        k = fac.inputs.index(fac.scrap_input)
        keep.append(f)
        column.append(k)
        stocks.append(int(c.recipe_stock[f, k]))
        ratio.append(float(c.recipe_ratio[f, k]))
        recovery.append(fac.scrap_recovery)
        days.append(fac.scrap_days)
    if not keep:
        return None
    idx = np.array(keep, dtype=np.intp)
    return ScrapState(facilities=idx, column=np.array(column, dtype=np.intp), stocks=np.array(stocks, dtype=np.intp),
                      ratio=np.array(ratio), recovery=np.array(recovery), days=np.array(days),
                      target=c.prod_target[idx], first=np.full((n_runs, len(keep)), np.inf))


def factor(ss: ScrapState, day: int) -> np.ndarray:
    """``φ`` of each run and facility on ``day``, (R, n): ``1 - σ min(1, max(0, (t - t0) / T))``."""
    # Never short: t0 = +inf, so (t - t0) / T = -inf and the max gives 0.
    return 1.0 - ss.recovery * np.minimum(1.0, np.maximum(0.0, (day - ss.first) / ss.days))


def cover(c: Compiled, ss: ScrapState, stock: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """The scarcest input's cover of each facility with a rule, (R, n), the scrap input's use at ``a φ``."""
    inputs = np.full(phi.shape, np.inf)
    for k in range(c.recipe_stock.shape[1]):
        s_k = c.recipe_stock[ss.facilities, k]
        a_k = np.broadcast_to(c.recipe_ratio[ss.facilities, k], phi.shape)
        a_k = np.where(ss.column == k, a_k * phi, a_k)
        inputs = np.minimum(inputs, stock[:, s_k] / a_k)
    return inputs


def scrap_cover(ss: ScrapState, stock: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """The scrap input's own cover at ``a φ``, (R, n)."""
    return stock[:, ss.stocks] / (ss.ratio * phi)


def returned(ss: ScrapState, started: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Scrap input returned to its stock today, (R, n): ``P a (1 - φ)`` of the starts ``P``."""
    return started * (ss.ratio * (1.0 - phi))


def note_short(ss: ScrapState, day: int, own_cover: np.ndarray, capacity: np.ndarray, need: np.ndarray) -> None:
    """Start the clock (``t0 = day``) of each run and facility whose cover falls short of its starts."""
    wanted = np.minimum(capacity, need)
    short = own_cover < wanted - SCRAP_TOLERANCE * ss.target
    if short.any():
        ss.first = np.where(np.isinf(ss.first) & short, float(day), ss.first)
        ss.idle = False
