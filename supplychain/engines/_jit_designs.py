"""Compiled loops for the design-specific stocks of `.designs`, each the same bits as the NumPy code it stands for.

The accounts of design-locked lanes (docs/model.md §5.6.6) are (runs x
accounts) arrays, 554 accounts of 88 buyers on the baseline; `.designs`
updates them with a dozen NumPy passes a call, most of them gathers of a
buyer's value to its accounts and sums of its accounts per buyer (a bincount
over fresh flat indices on these C-ordered arrays). On the random-lead
baseline they took about a quarter of a run (benchmarks/lane_day_costs.py).
Each function here is one pass over the accounts, the per-buyer sums in
small scratch arrays:

* `credit`: an arrival's locked part into its lane's account, up to the cap;
* `usable`: what each buyer can use of what it wants, and the accounts' parts of it;
* `debit`: the accounts' parts taken out, each buyer's scaled if asked;
* `settle`: each account capped at its share of the buyer's target;
* `shares`: each account's locked share of its buyer's use until ported.

Each element gets the IEEE operations of the NumPy code, in its order: sums
per buyer from 0.0 in account order (as `.sums.sum_into`'s bincount and
SciPy's ``csr_matvecs`` both add them), NumPy's ``maximum``/``minimum`` (``a``
where ``a > b`` (``a < b``) or ``a`` is NaN, else ``b``), ``np.where`` as a
select. Nothing is fused or reordered (no ``fastmath``). The functions run as
plain Python too (``tests/test_jit_designs.py`` calls both on values with
NaNs and signed zeros); `add_loops` compiles them when `.jit` loads its loops.
Arrays are (R, n) or (R, m) of any layout; indices (n,) or (m,). The loops run over the accounts, runs
innermost: the accounts are kept runs-last, as the engine keeps its lanes' arrays (`.designs.initial_accounts`),
and each loop is compiled twice: for runs-last (Fortran-ordered) 2-D arrays, whose runs the compiled code
knows contiguous and takes several at a time (SIMD), and for any layout (a mix, or C order), the same
operations on each element either way (benchmarks/README.md, fifteenth round).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

__all__ = ["add_loops", "credit", "usable", "debit", "settle", "shares"]


def add_loops(loops: SimpleNamespace) -> None:
    """Compile `credit`, `usable`, `debit`, `settle` and `shares` with Numba and add them to ``loops``
    (as ``design_credit`` and so on).

    Raises
    ------
    ImportError
        If Numba is not installed.
    """
    import numba

    options = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
    r2 = numba.types.Array(numba.float64, 2, "A", readonly=True)
    r1 = numba.types.Array(numba.float64, 1, "A", readonly=True)
    i1 = numba.types.Array(numba.intp, 1, "A", readonly=True)
    w2 = numba.types.Array(numba.float64, 2, "A")
    # Each loop also for runs-last (Fortran-ordered) 2-D arrays, the layout the engine keeps its accounts in: the
    # compiled code then knows the runs are contiguous and works on several at once (SIMD), the same operations on
    # each element. Any other layout takes the general version ("A"); Numba picks the exact layout when it has it.
    f2 = numba.types.Array(numba.float64, 2, "F", readonly=True)
    v2 = numba.types.Array(numba.float64, 2, "F")
    loops.design_credit = numba.njit([numba.void(v2, f2, f2, i1, r1), numba.void(w2, r2, r2, i1, r1)],
                                     **options)(credit)
    loops.design_usable = numba.njit([numba.void(f2, f2, f2, i1, f2, i1, numba.intp, v2, v2),
                                      numba.void(r2, r2, r2, i1, r2, i1, numba.intp, w2, w2)], **options)(usable)
    loops.design_debit = numba.njit([numba.void(v2, f2, i1, f2, numba.boolean),
                                     numba.void(w2, r2, i1, r2, numba.boolean)], **options)(debit)
    loops.design_settle = numba.njit([numba.void(v2, f2, r1, i1, r1, v2), numba.void(w2, r2, r1, i1, r1, w2)],
                                     **options)(settle)
    loops.design_shares = numba.njit([numba.void(r2, i1, f2, i1, r1, r1, numba.float64, v2),
                                      numba.void(r2, i1, r2, i1, r1, r1, numba.float64, w2)], **options)(shares)


def credit(accounts: np.ndarray, cap: np.ndarray, arrived: np.ndarray, lanes: np.ndarray, lock: np.ndarray) -> None:
    """``accounts = np.minimum(accounts + arrived[:, lanes] * lock, cap)`` in one pass (R, n); ``arrived`` (R, L)."""
    n_runs, n = accounts.shape
    for i in range(n):
        lane, k = lanes[i], lock[i]
        for r in range(n_runs):
            a = accounts[r, i] + arrived[r, lane] * k
            b = cap[r, i]
            accounts[r, i] = a if (a < b or a != a) else b


def usable(accounts: np.ndarray, cl: np.ndarray, stock: np.ndarray, stock_index: np.ndarray, wanted: np.ndarray,
           group: np.ndarray, n_buyers: int, can: np.ndarray, take: np.ndarray) -> None:
    """`.designs.usable` into ``can`` (R, m) and ``take`` (R, n): one pass over the accounts, one over the buyers.

    ``stock`` (R, S + 1) the engine's stocks, buyer ``j``'s at column ``stock_index[j]``; ``wanted`` (R, m);
    ``group`` (n,) each account's buyer among the m.
    """
    n_runs, n = accounts.shape
    held = np.zeros((n_buyers, n_runs))
    short = np.zeros((n_buyers, n_runs))
    locked = np.zeros((n_buyers, n_runs))
    for i in range(n):
        g = group[i]
        for r in range(n_runs):
            a = accounts[r, i]
            c = cl[r, i]
            need = c * wanted[r, g]
            held[g, r] += a
            d = need - a
            short[g, r] += d if (d > 0.0 or d != d) else 0.0
            locked[g, r] += c
            take[r, i] = a if (a < need or a != a) else need
    for j in range(n_buyers):
        k = stock_index[j]
        for r in range(n_runs):
            w = wanted[r, j]
            free = stock[r, k] - held[j, r]
            free = free if (free > 0.0 or free != free) else 0.0
            x = (1.0 - locked[j, r]) * w
            x = x - free
            x = x if (x > 0.0 or x != x) else 0.0
            can[r, j] = w - (short[j, r] + x)


def debit(accounts: np.ndarray, take: np.ndarray, group: np.ndarray, scale: np.ndarray, scaled: bool) -> None:
    """``accounts = np.maximum(accounts - take * scale[:, group], 0.0)`` (the product only if ``scaled``), (R, n)."""
    n_runs, n = accounts.shape
    for i in range(n):
        g = group[i]
        for r in range(n_runs):
            x = take[r, i]
            if scaled:
                x = x * scale[r, g]
            a = accounts[r, i] - x
            accounts[r, i] = a if (a > 0.0 or a != a) else 0.0


def settle(accounts: np.ndarray, cl: np.ndarray, room: np.ndarray, group: np.ndarray, pipeline: np.ndarray,
           cap: np.ndarray) -> None:
    """``cap = cl * room[group] + np.where(cl > 0, pipeline, 0)``, then ``accounts = np.minimum(accounts, cap)``.

    ``room`` (m,) each buyer's ``I^0 + F^ + E^+``.
    """
    n_runs, n = accounts.shape
    for i in range(n):
        space, pipe = room[group[i]], pipeline[i]
        for r in range(n_runs):
            c = cl[r, i]
            x = c * space
            x = x + (pipe if c > 0.0 else 0.0)
            cap[r, i] = x
            a = accounts[r, i]
            accounts[r, i] = a if (a < x or a != a) else x


def shares(share: np.ndarray, lanes: np.ndarray, seek_day: np.ndarray, lane_buyer: np.ndarray, port: np.ndarray,
           lock: np.ndarray, day: float, out: np.ndarray) -> None:
    """``np.where(day < seek_day[:, lane_buyer] + port, share[:, lanes] * lock, 0.0)`` into ``out`` (R, n).

    ``share`` (R, L), or (1, L) broadcast over the runs.
    """
    n_runs, n = out.shape
    one = share.shape[0] == 1
    for i in range(n):
        lane, b, wait, k = lanes[i], lane_buyer[i], port[i], lock[i]
        for r in range(n_runs):
            due = seek_day[r, b] + wait
            out[r, i] = share[0 if one else r, lane] * k if day < due else 0.0
