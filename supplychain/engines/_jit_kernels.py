"""The loops of :mod:`.jit`, written in plain Python, and :func:`compile_loops`, which compiles them with Numba.

Each function repeats, element by element, the IEEE operations of the NumPy
code it stands for, so both give the same bits: no ``fastmath`` (which would
allow reordering and fused multiply-adds), and every sum into an element is
made in the same order as in NumPy. :func:`compile_loops` compiles each loop
for the array types the engine passes (explicit signatures) and caches the
machine code on disk (``cache=True``): the first call on a machine compiles
(seconds), later ones load it. Worker processes forked afterwards inherit it.
Indices are not bounds-checked once compiled: callers pass indices in range
by construction (landing days capped at the horizon, slots from the ring's
own table). This module imports without Numba; only :func:`compile_loops`
needs it.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

__all__ = ["compile_loops", "landing_days", "ring_add", "ring_arrive", "ring_take", "triangular"]


def compile_loops() -> SimpleNamespace:
    """The loops compiled by Numba, as attributes ``ring_add``, ``ring_take``, ``ring_arrive``, ``triangular`` and
    ``landing_days``.

    Raises
    ------
    ImportError
        If Numba is not installed.
    """
    import numba

    options = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
    # Array types: any layout ("A": views and transposes pass as they are) unless noted; whole days are
    # int16 (``vector._days_dtype``: horizons are at most 3,650 days).
    f2, f2c, days = numba.float64[:, :], numba.float64[:, ::1], numba.int16[:, :]
    f2r = numba.types.Array(numba.float64, 2, "A", readonly=True)  # e.g. a schedule row broadcast over days
    f1r = numba.types.Array(numba.float64, 1, "C", readonly=True)  # a row of the compiled (read-only) pipeline
    signatures = {
        "ring_add": numba.void(numba.float64[:, :, ::1], numba.intp[::1], days, f2),
        "ring_take": numba.void(numba.float64[:, :, ::1], numba.intp, f1r, numba.float64[:, ::1]),
        "ring_arrive": numba.void(numba.float64[:, :, ::1], numba.intp, f1r, numba.intp[::1], numba.float64[:, ::1],
                                  numba.float64[:, ::1], numba.float64[:, ::1]),
        "triangular": numba.void(f2c, f2c, f2c, f2c, f2c, f2c, f2c),
        "landing_days": numba.void(f2, f2r, f2r, numba.boolean, numba.float64, numba.float64, days),
    }
    loops = {"ring_add": ring_add, "ring_take": ring_take, "ring_arrive": ring_arrive, "triangular": triangular,
             "landing_days": landing_days}
    return SimpleNamespace(**{name: numba.njit([signatures[name]], **options)(fn) for name, fn in loops.items()})


def ring_add(buf: np.ndarray, slots: np.ndarray, days: np.ndarray, shipped: np.ndarray) -> None:
    """``buf[l, slots[days[r, l]], r] += shipped[r, l]`` for every run ``r`` and lane ``l``.

    ``buf`` is the ring ``(L, W + 1, R)``; ``days`` (R, L) each shipment's days
    until landing; ``slots[d]`` the ring slot of landing ``d`` days after today.
    Each (lane, run) is added once, lane after lane: the writes stay within a
    lane's block of the ring.
    """
    n_runs, n_lanes = days.shape
    for lane in range(n_lanes):
        for r in range(n_runs):
            buf[lane, slots[days[r, lane]], r] += shipped[r, lane]


def ring_take(buf: np.ndarray, slot: int, fill: np.ndarray, out: np.ndarray) -> None:
    """``out[l, r] = buf[l, slot, r]``, then ``buf[l, slot, r] = fill[l]``, in one pass over the slot.

    ``buf`` is the ring ``(L, W + 1, R)``; ``out`` ``(L, R)`` (a runs-last
    ``(R, L)`` array seen transposed); ``fill`` (L,) what the slot holds next.
    Copies only: the same bits as NumPy's copy and assignment.
    """
    n_lanes, _, n_runs = buf.shape
    for lane in range(n_lanes):
        value = fill[lane]
        for r in range(n_runs):
            out[lane, r] = buf[lane, slot, r]
            buf[lane, slot, r] = value


def ring_arrive(buf: np.ndarray, slot: int, fill: np.ndarray, buyer: np.ndarray, out: np.ndarray,
                transit: np.ndarray, by_buyer: np.ndarray) -> None:
    """:func:`ring_take`, and in the same pass ``transit -= out`` and ``by_buyer[buyer[l]] += out[l]``.

    ``transit`` (L, R) and ``out`` as in :func:`ring_take`; ``by_buyer`` (B, R)
    starts at zero and receives each buyer's lanes in lane order: the sums of
    :func:`.sums.sum_into` with an incidence matrix whose rows list their lanes
    in increasing order (each term times 1.0, added to 0.0 first), the same bits.
    """
    n_lanes, _, n_runs = buf.shape
    for lane in range(n_lanes):
        value = fill[lane]
        b = buyer[lane]
        for r in range(n_runs):
            x = buf[lane, slot, r]
            out[lane, r] = x
            buf[lane, slot, r] = value
            transit[lane, r] -= x
            by_buyer[b, r] += x


def triangular(u: np.ndarray, low: np.ndarray, high: np.ndarray, cut: np.ndarray, left: np.ndarray,
               right: np.ndarray, out: np.ndarray) -> None:
    """NumPy's triangular inverse CDF on uniforms ``u`` (k, T), per-item parameters (k, 1), into ``out``.

    ``low + sqrt(u left)`` where ``u <= cut``, else ``high - sqrt((1 - u) right)``
    (``left = (mode - low)(high - low)``, ``right = (high - mode)(high - low)``,
    ``cut = (mode - low) / (high - low)``), as :func:`.stacked._triangular`.
    """
    k, n = u.shape
    for i in range(k):
        lo, hi, c, le, ri = low[i, 0], high[i, 0], cut[i, 0], left[i, 0], right[i, 0]
        for j in range(n):
            v = u[i, j]
            rising = v <= c
            s = math.sqrt(v * le if rising else (1.0 - v) * ri)
            out[i, j] = lo + s if rising else hi - s


def landing_days(lead: np.ndarray, factor: np.ndarray, extra: np.ndarray, shocked: bool, tolerance: float,
                 horizon: float, out: np.ndarray) -> None:
    """Whole days until landing of lead times ``lead`` (T, L), capped at ``horizon``, into ``out`` (T, L).

    ``min(max(ceil(x - tolerance), 1), horizon)`` with ``x = lead * factor + extra``
    (a product, then a sum: two roundings, as in NumPy) when ``shocked``, else
    ``x = lead``; ``factor`` and ``extra`` broadcast to (T, L).
    """
    n_days, n_lanes = lead.shape
    for lane in range(n_lanes):
        for t in range(n_days):
            x = lead[t, lane]
            if shocked:
                x = x * factor[t, lane]
                x = x + extra[t, lane]
            x = math.ceil(x - tolerance)
            out[t, lane] = min(max(x, 1.0), horizon)
