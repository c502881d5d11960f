"""Compiled loops for the price update of `.prices`, each the same bits as the NumPy code it stands for.

The daily price update (`.prices._update`) makes some thirty NumPy passes
over (runs x markets) and (runs x facilities) arrays, most of them
temporaries, and three powers per element; on the baseline it was the
largest single cost of a run (benchmarks/README.md, tenth round). Three of
its steps are written here as one loop each, runs innermost (the engine's
runs-last memory, arrays seen transposed):

* `stock_deficit`: each market's buyers' stock, summed buyer by buyer in
  the incidence matrix's order from 0.0, its deficit against normal and
  the buffer band of `.prices._buffer_band`;
* `utilisation_premium`: `.prices._utilisation_premium`;
* `price_target`: the scarcity term, the lost-sales fall, the premium, the
  pass-through and the floor and cap of the live markets (the part of
  `.prices._update` between the gap and the move of the index, which stays
  in NumPy).

Each element gets the IEEE operations of the NumPy code, in its order: sums
from 0.0 adding ``1.0 * x`` as SciPy's ``csr_matvecs`` does, NumPy's
``maximum``/``minimum`` (``a`` where ``a > b`` (``a < b``) or ``a`` is NaN, else
``b``), ``np.clip`` as NumPy computes it (the maximum, then the minimum, a NaN
kept), and ``x ** y`` (the C library's ``pow``). NumPy calls that ``pow`` for
float64 arrays on most machines, but on CPUs with AVX-512 it dispatches to its
own vectorised power (SVML), whose last bit differs in about one value in
twenty; there (`numpy_power_is_c_pow` is False) the two loops with a power,
`utilisation_premium` and `price_target`, are not loaded: the engine keeps
NumPy's code for the premium, and for the target takes the powers from NumPy
(the very expressions of `.prices._target`, on the same arrays) and the rest
of its passes from one loop, `price_target_powers`. So the results are NumPy's
bits on every machine (checked by ``tests/test_jit_prices.py``). Nothing is fused or reordered (no
``fastmath``). The functions run as plain
Python too (the tests call both); `add_loops` compiles them when `.jit` loads
its loops.
"""

from __future__ import annotations

import functools
import math
from types import SimpleNamespace

import numpy as np

__all__ = ["add_loops", "numpy_power_is_c_pow", "stock_deficit", "utilisation_premium", "price_target",
           "price_target_powers"]


@functools.cache
def numpy_power_is_c_pow() -> bool:
    """Whether NumPy's float64 array power gives the C library's ``pow`` here, bit for bit.

    The compiled loops take ``x ** y`` as the C library's ``pow`` (as Python's
    `math.pow` does); NumPy's ``np.power`` on arrays does too, except where it
    dispatches to a vectorised power of its own (AVX-512 CPUs). Checked once per
    process on 4,096 fixed bases and exponents, each exponent alone and one
    exponent broadcast (the two ways `.prices` calls it).

    Examples
    --------
    >>> isinstance(numpy_power_is_c_pow(), bool)
    True
    """
    rng = np.random.default_rng(20261203)
    base, exponent = rng.uniform(0.01, 10.0, 4096), rng.uniform(-4.0, 4.0, 4096)
    each = np.array([math.pow(b, e) for b, e in zip(base.tolist(), exponent.tolist())])
    one = np.array([math.pow(b, 0.3) for b in base.tolist()])
    return bool(np.array_equal(np.power(base, exponent), each) and np.array_equal(np.power(base, 0.3), one))


def add_loops(loops: SimpleNamespace) -> None:
    """Compile `stock_deficit`, `utilisation_premium` and `price_target` with Numba and add them to ``loops``.

    The last two, which take powers, are ``None`` where NumPy's power is not the C
    library's (`numpy_power_is_c_pow`): the engine then computes the premium with NumPy, and the target with
    NumPy's powers and `price_target_powers` (``loops.price_target_powers``, ``None`` where ``price_target``
    is loaded).

    Raises
    ------
    ImportError
        If Numba is not installed.
    """
    import numba

    options = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
    r2 = numba.types.Array(numba.float64, 2, "A", readonly=True)   # a (n, R) input of any layout, or broadcast
    r1 = numba.types.Array(numba.float64, 1, "A", readonly=True)
    i1 = numba.types.Array(numba.intp, 1, "A", readonly=True)
    b1 = numba.types.Array(numba.boolean, 1, "A", readonly=True)
    b2 = numba.types.Array(numba.boolean, 2, "A", readonly=True)
    w2 = numba.float64[:, ::1]
    loops.stock_deficit = numba.njit([numba.void(r2, i1, i1, i1, r1, r1, r1, r1, r1, numba.boolean, w2, w2)],
                                     **options)(stock_deficit)
    loops.utilisation_premium = loops.price_target = loops.price_target_powers = None
    if not numpy_power_is_c_pow():
        loops.price_target_powers = numba.njit(
            [numba.void(r2, b2, r2, r2, r2, r2, r2, i1, b1, r1, r1, numba.boolean, numba.boolean, numba.boolean,
                        numba.float64, w2)], **options)(price_target_powers)
        return
    loops.utilisation_premium = numba.njit(
        [numba.void(r2, r2, i1, i1, i1, r1, r1, r1, i1, numba.float64, w2)], **options)(utilisation_premium)
    loops.price_target = numba.njit(
        [numba.void(r2, b2, r2, r2, r2, i1, r1, b1, r1, r1, numba.boolean, numba.boolean, numba.boolean,
                    numba.float64, w2)], **options)(price_target)


def stock_deficit(stock: np.ndarray, buyer_stock: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
                  data: np.ndarray, normal_stock: np.ndarray, normal: np.ndarray, buffer: np.ndarray,
                  keep: np.ndarray, band: bool, held: np.ndarray, deficit: np.ndarray) -> None:
    """Each market's buyers' stock ``held`` and its deficit, with the buffer band if ``band`` (M, R) each.

    ``stock`` (S, R) the stocks; ``buyer_stock`` (B,) each buyer's stock; the
    CSR arrays (``indptr``, ``indices``, ``data``) of ``PriceSpec.sum_buyers``
    (M, B). ``held[m] = sum_j data[j] * stock[buyer_stock[indices[j]]]`` from 0.0
    in the matrix's order, ``deficit = normal - held`` and, with the band,
    ``(deficit - keep * clip(normal_stock - held, 0, buffer)) + keep * clip(held - normal, 0, buffer)``
    (``keep`` all 1.0 when the spec has none: ``1.0 * x`` is ``x``).
    """
    n_markets, n_runs = held.shape
    for m in range(n_markets):
        for r in range(n_runs):
            held[m, r] = 0.0
        for j in range(indptr[m], indptr[m + 1]):
            a, row = data[j], buyer_stock[indices[j]]
            for r in range(n_runs):
                held[m, r] += a * stock[row, r]
        ns, nm, cap, k = normal_stock[m], normal[m], buffer[m], keep[m]
        for r in range(n_runs):
            h = held[m, r]
            d = nm - h
            if band:
                # np.clip(x, 0, cap): NumPy's maximum with 0, then its minimum with cap (a NaN kept).
                x = ns - h
                x = x if (x > 0.0 or x != x) else 0.0
                below = x if (x < cap or x != x) else cap
                x = h - nm
                x = x if (x > 0.0 or x != x) else 0.0
                above = x if (x < cap or x != x) else cap
                d = (d - k * below) + k * above
            deficit[m, r] = d


def utilisation_premium(throughput: np.ndarray, capacity: np.ndarray, columns: np.ndarray, indptr: np.ndarray,
                        indices: np.ndarray, data: np.ndarray, ref: np.ndarray, exponent: np.ndarray,
                        markets: np.ndarray, tolerance: float, out: np.ndarray) -> None:
    """`.prices._utilisation_premium` into ``out`` (M, R), which holds 1.0 on entry.

    ``throughput`` and ``capacity`` (F, R) (capacity may be a row broadcast
    over runs); ``columns`` (S,) the utilisation sellers; the CSR arrays of
    ``PriceSpec.util_sum`` (K, S); ``ref`` and ``exponent`` (M,); ``markets``
    (K,) the markets of those sellers. Per market ``k``: ``used`` and ``room``,
    the sums of ``min(throughput, capacity)`` and of ``capacity`` over its sellers
    from 0.0; ``ratio = used / room / ref`` where ``room > 0``, else 1; the factor
    ``ratio ** exponent`` where ``ratio > 1 + tolerance``, else 1.
    """
    n_runs = out.shape[1]
    used = np.empty(n_runs)
    room = np.empty(n_runs)
    for k in range(len(markets)):
        m = markets[k]
        for r in range(n_runs):
            used[r] = 0.0
            room[r] = 0.0
        for j in range(indptr[k], indptr[k + 1]):
            a, f = data[j], columns[indices[j]]
            for r in range(n_runs):
                c = capacity[f, r]
                t = throughput[f, r]
                used[r] += a * (t if (t < c or t != t) else c)
                room[r] += a * c
        rf, e = ref[m], exponent[m]
        for r in range(n_runs):
            ratio = used[r] / room[r] / rf if room[r] > 0 else 1.0
            out[m, r] = ratio ** e if ratio > 1.0 + tolerance else 1.0


def price_target(gap: np.ndarray, off: np.ndarray, lost: np.ndarray, premium: np.ndarray, passed: np.ndarray,
                 live: np.ndarray, exponent: np.ndarray, priced: np.ndarray, floor: np.ndarray, cap: np.ndarray,
                 has_lost: bool, has_premium: bool, has_passed: bool, tolerance: float, out: np.ndarray) -> None:
    """The target price of each live market, ``out`` (len(live), R), as `.prices._update` computes it.

    ``gap``, ``off``, ``lost``, ``premium``, ``passed`` (M, R) (the last three
    read only when their flag is set); ``live`` the markets to price. Per
    element: with ``e = k if k > 0 else 1`` (``k`` the exponent), the scarcity
    ``max(1 - g, 0) ** (-1 / e)`` where ``g < 1``, else infinite; 1 unless the
    market is priced and ``|g| > tolerance``; times the lost-sales fall
    ``max(1 - v, 0) ** (1 / e)`` (1 unless priced and ``v > tolerance``) and the
    premium while finite; plus the pass-through; then ``min(cap, max(floor, .))``,
    and 1 where the market is not ``off`` in that run.
    """
    inf = np.inf
    n_runs = out.shape[1]
    for i in range(len(live)):
        m = live[i]
        k = exponent[m]
        e = k if k > 0 else 1.0
        down, up = -1.0 / e, 1.0 / e
        p, lo, hi = priced[m], floor[m], cap[m]
        for r in range(n_runs):
            # Each power is taken only where NumPy's np.where keeps it (the same value; x * 1.0 is x).
            if not off[m, r]:
                out[i, r] = 1.0
                continue
            g = gap[m, r]
            x = 1.0
            if p and abs(g) > tolerance:
                x = inf
                if g < 1.0:
                    x = 1.0 - g
                    x = (x if (x > 0.0 or x != x) else 0.0) ** down
            if has_lost and not np.isinf(x):
                v = lost[m, r]
                if p and v > tolerance:
                    fall = 1.0 - v
                    x = x * (fall if (fall > 0.0 or fall != fall) else 0.0) ** up
            if has_premium and not np.isinf(x):
                x = x * premium[m, r]
            if has_passed:
                x = x + passed[m, r]
            x = lo if (lo > x or lo != lo) else x  # np.maximum(floor, x)
            x = hi if (hi < x or hi != hi) else x  # np.minimum(cap, that)
            out[i, r] = x


def price_target_powers(gap: np.ndarray, off: np.ndarray, lost: np.ndarray, premium: np.ndarray, passed: np.ndarray,
                        down: np.ndarray, up: np.ndarray, live: np.ndarray, priced: np.ndarray, floor: np.ndarray,
                        cap: np.ndarray, has_lost: bool, has_premium: bool, has_passed: bool, tolerance: float,
                        out: np.ndarray) -> None:
    """`price_target` with its powers given: ``down`` and ``up`` (len(live), R) are NumPy's.

    ``down[i, r]`` is ``max(1 - g, 0) ** (-1 / e)`` and ``up[i, r]`` (read only with
    ``has_lost``) ``max(1 - v, 0) ** (1 / e)`` for market ``live[i]``, as
    `.prices._target` computes them (NumPy's power, whichever it is on this
    CPU); every other step is `price_target`'s, in its order, so the result is
    `.prices._target`'s to the bit. Other arrays as in `price_target`.
    """
    inf = np.inf
    n_runs = out.shape[1]
    for i in range(len(live)):
        m = live[i]
        p, lo, hi = priced[m], floor[m], cap[m]
        for r in range(n_runs):
            if not off[m, r]:
                out[i, r] = 1.0
                continue
            g = gap[m, r]
            x = 1.0
            if p and abs(g) > tolerance:
                x = down[i, r] if g < 1.0 else inf
            if has_lost and not np.isinf(x):
                if p and lost[m, r] > tolerance:
                    x = x * up[i, r]
            if has_premium and not np.isinf(x):
                x = x * premium[m, r]
            if has_passed:
                x = x + passed[m, r]
            x = lo if (lo > x or lo != lo) else x  # np.maximum(floor, x)
            x = hi if (hi < x or hi != hi) else x  # np.minimum(cap, that)
            out[i, r] = x
