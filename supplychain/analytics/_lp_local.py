"""Solve a knockout's risk LP on the part of the network it touches, with a proof that the answer is the full LP's.

A knockout changes only the bounds ``u_j = 0`` of the disrupted nodes. Every
other variable starts at a feasible point of the undisrupted LP written as
rates, ``x = t * rate`` (the steady state of the network, or the LP's own
base solution). Because every right-hand side ``b`` is a stock (``b >= 0``),
``t * rate`` stays feasible for every ``t`` up to the base point's ``t0``.

The *restricted* LP frees a set ``R`` of variables and keeps the others at
``t * rate``: rows that touch ``R`` keep their ``R`` coefficients and fold the
fixed rest into the coefficient of ``t``; rows that touch none are satisfied
and dropped. Its optimum is feasible for the full LP. It is also optimal for
the full LP when the restricted duals ``y`` price every fixed variable
correctly, the LP optimality (KKT) conditions: the reduced cost
``d_j = c_j - a_j^T y`` is 0 for a fixed variable strictly inside its bounds,
``>= 0`` at its lower bound and ``<= 0`` at its upper bound (rows that were
dropped have ``y = 0``; the column of ``t`` then has the same reduced cost in
both LPs). If a fixed variable fails the test it joins ``R`` and the
restricted LP is solved again; at worst ``R`` is every variable and the
restricted LP is the full one, so the answer is always the full LP's, to the
solver's tolerance.

``R`` starts with every variable of the nodes downstream of the knockout (the
only ones whose supply it can reduce) and the lanes into them; the duals then
pull in just the suppliers and competitors that a reallocation needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from ..errors import SupplyChainError

__all__ = ["LocalLP", "local_solve"]

#: Reduced costs within this of their sign (relative to the largest cost) count as optimal: HiGHS's own
#: dual feasibility tolerance is 1e-7.
_DUAL_TOL = 1e-7

#: A region with more than this fraction of the variables grows into the full LP at once: solving it
#: costs about as much, and it needs no further round.
_FULL_FRACTION = 0.5

#: Restricted LPs with more free variables than this go to HiGHS's interior-point method (with crossover, so
#: duals are a vertex's): on the full 7,000-variable LP of a 1,000-facility network it takes about half the
#: time of the dual simplex, which wins on small ones.
_IPM_FROM = 3000


@dataclass(frozen=True, eq=False)
class LocalLP:
    """One LP ``min c x`` s.t. ``A x <= b``, ``lo <= x <= hi`` (the last variable is ``t``) and its base point.

    ``rate`` is a feasible point of the undisrupted LP per unit of ``t``
    (``rate[-1] == 1``), feasible for every ``t <= t0``. When ``maximise_t``
    (the objective is ``-t``), ``t0`` must be the undisrupted optimum, which
    no knockout can exceed; otherwise ``t`` is fixed at most at ``t0``.
    Node ``j`` owns the variables ``node_vars[j]`` (its ``u``, its lanes out
    and its loss) and ships to the nodes ``children[j]``.
    """

    a_csr: sparse.csr_matrix
    a_csc: sparse.csc_matrix
    b: np.ndarray
    cost: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    rate: np.ndarray
    t0: float
    maximise_t: bool
    node_vars: tuple[np.ndarray, ...]
    children: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class LocalResult:
    """Optimum of the full LP, found with ``n_free`` free variables in ``n_solves`` restricted LPs."""

    objective: float
    t: float
    n_free: int
    n_solves: int


def local_solve(lp: LocalLP, knocked: list[int]) -> LocalResult:
    """Optimum of ``lp`` with the nodes ``knocked`` producing nothing (``u_j = 0``), solved on what they touch.

    Parameters
    ----------
    lp : LocalLP
        The LP and its base point.
    knocked : list of int
        Node indices (``u_j`` is variable ``j``).

    Returns
    -------
    LocalResult
        The optimal objective and ``t`` of the full LP.
    """
    n = lp.cost.size
    t_col = n - 1
    t_hi = min(lp.hi[t_col], lp.t0)
    if not knocked:                 # the base point is the undisrupted optimum
        return LocalResult(objective=float(lp.cost @ lp.rate) * t_hi, t=t_hi, n_free=0, n_solves=0)
    hi = lp.hi.copy()
    hi[knocked] = 0.0
    free = np.zeros(n, dtype=bool)
    if lp.maximise_t:
        # t can always fall to 0, so the knocked-out nodes alone are a feasible start
        free[_neighbours(lp, np.concatenate([lp.node_vars[j] for j in knocked]))] = True
    else:
        # t is fixed: free everything downstream, which can always absorb the loss, and the lanes into it
        free[np.concatenate([lp.node_vars[j] for j in downstream_nodes(lp.children, knocked)])] = True
        free[_neighbours(lp, np.flatnonzero(free))] = True
    free[t_col] = False
    tol = _DUAL_TOL * max(1.0, float(np.abs(lp.cost).max()))
    solves = 0
    while True:
        solves += 1
        cols = np.flatnonzero(free)
        rows = _rows_of(lp.a_csc, cols)
        sub = lp.a_csr[rows]
        fixed_rate = np.where(free, 0.0, lp.rate)          # keeps rate[t] = 1: t's own column
        a = _restrict(sub, free, cols, sub @ fixed_rate)
        c = np.append(lp.cost[cols], lp.cost @ fixed_rate)
        bounds = np.column_stack([np.append(lp.lo[cols], lp.lo[t_col]), np.append(hi[cols], t_hi)])
        res = linprog(c, A_ub=a, b_ub=lp.b[rows], bounds=bounds,
                      method="highs-ipm" if cols.size > _IPM_FROM else "highs-ds")
        if res.status != 0:
            raise SupplyChainError(f"the restricted risk LP did not solve: {res.message}")
        t = float(res.x[-1])
        if lp.maximise_t and t >= t_hi * (1 - 1e-12):
            break                   # no knockout survives longer than the undisrupted network (t0)
        d = lp.cost - sub.T @ np.asarray(res.ineqlin.marginals)
        out = np.unique(sub.indices)
        out = out[~free[out] & (out != t_col)]
        d, rate, pinned = d[out], lp.rate[out], hi[out] <= lp.lo[out]
        # a fixed variable moves with t unless its rate is 0 (then it sits at its lower bound, 0)
        ok = pinned | (np.abs(d) <= tol) | ((rate == 0.0) & (d >= -tol))
        if ok.all():
            break
        # the failing variables and their neighbours: the region grows about as fast as a reallocation spreads
        free[_neighbours(lp, out[~ok])] = True
        if free.sum() > _FULL_FRACTION * n:
            free[:] = True          # as large as the full LP: solve that, in one go
        free[t_col] = False
    return LocalResult(objective=float(res.fun), t=t, n_free=int(free.sum()), n_solves=solves)


def downstream_nodes(children: tuple[np.ndarray, ...], start: list[int]) -> list[int]:
    """``start`` and every node reachable from it along lanes."""
    seen = set(start)
    todo = list(start)
    while todo:
        for k in children[todo.pop()].tolist():
            if k not in seen:
                seen.add(k)
                todo.append(k)
    return sorted(seen)


def _restrict(sub: sparse.csr_matrix, free: np.ndarray, cols: np.ndarray, t_coef: np.ndarray) -> sparse.csr_matrix:
    """``[sub[:, cols], t_coef]``: the free columns of the rows ``sub``, renumbered, and the column of ``t``."""
    where = np.full(free.size, -1, dtype=np.int64)
    where[cols] = np.arange(cols.size)
    row = np.repeat(np.arange(sub.shape[0]), np.diff(sub.indptr))
    col = where[sub.indices]
    keep = col >= 0
    data = np.concatenate([sub.data[keep], t_coef])
    n_rows = sub.shape[0]
    ij = (np.concatenate([row[keep], np.arange(n_rows)]), np.concatenate([col[keep], np.full(n_rows, cols.size)]))
    return sparse.csr_matrix((data, ij), shape=(n_rows, cols.size + 1))


def _neighbours(lp: LocalLP, cols: np.ndarray) -> np.ndarray:
    """``cols`` and every variable that shares a row with one of them."""
    return np.union1d(cols, lp.a_csr[_rows_of(lp.a_csc, cols)].indices)


def _rows_of(a_csc: sparse.csc_matrix, cols: np.ndarray) -> np.ndarray:
    """Rows with a nonzero in any of ``cols``."""
    return np.unique(a_csc[:, cols].indices)
