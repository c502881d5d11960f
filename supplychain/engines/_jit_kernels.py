"""The loops of `.jit`, written in plain Python, and `compile_loops`, which compiles them with Numba.

Each function repeats, element by element, the IEEE operations of the NumPy
code it stands for, so both give the same bits: no ``fastmath`` (which would
allow reordering and fused multiply-adds), and every sum into an element is
made in the same order as in NumPy. `compile_loops` compiles each loop
for the array types the engine passes (explicit signatures) and caches the
machine code on disk (``cache=True``): the first call on a machine compiles
(seconds), later ones load it. Worker processes forked afterwards inherit it.
Indices are not bounds-checked once compiled: callers pass indices in range
by construction (landing days capped at the horizon, slots from the ring's
own table). This module imports without Numba; only `compile_loops`
needs it.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

__all__ = ["compile_loops", "landing_days", "ring_add", "ring_arrive", "ring_take", "ship_head", "ship_tail",
           "split_plain", "recipe_cover", "start_add", "position", "triangular", "triangular_days", "triangular_table", "table_days",
           "prefetch_write", "PREFETCH_RUNS", "UNIFORM_STEP", "UNIFORM_TOP"]

#: How many runs ahead the ring's scatter asks the CPU to fetch the slot it will add into
#: (`prefetch_write`). Each (lane, run) lands in its own slot, so the hardware cannot foresee the
#: address. Swept over 16, 32, 64 and 128 on the baseline, the 100- and the 1,000-facility peer networks
#: (benchmarks/README.md, eighth round): 32 was best on the 100-facility network, the others flat.
PREFETCH_RUNS = 32


def compile_loops() -> SimpleNamespace:
    """The loops compiled by Numba, as attributes ``ring_add``, ``ring_take``, ``ring_arrive``, ``ship_head``,
    ``ship_tail``, ``split_plain``, ``recipe_cover``, ``start_add``, ``position``, ``triangular``, ``triangular_days``,
    ``triangular_table``, ``table_days`` and ``landing_days``.

    Raises
    ------
    ImportError
        If Numba is not installed.
    """
    import numba

    _register_prefetch()
    options = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
    # Array types: any layout ("A": views and transposes pass as they are) unless noted; whole days are
    # uint8 or int16 (``vector._days_dtype``: horizons are at most 3,650 days), one version compiled for each.
    f2, f2c = numba.float64[:, :], numba.float64[:, ::1]
    f2r = numba.types.Array(numba.float64, 2, "A", readonly=True)  # e.g. a schedule row broadcast over days
    f1r = numba.types.Array(numba.float64, 1, "C", readonly=True)  # a row of the compiled (read-only) pipeline
    i1r = numba.types.Array(numba.intp, 1, "C", readonly=True)
    b1r = numba.types.Array(numba.boolean, 1, "C", readonly=True)
    f2cr = numba.types.Array(numba.float64, 2, "C", readonly=True)
    signatures = {name: [sig(days) for days in (numba.uint8[:, :], numba.int16[:, :])] for name, sig in {
        "ring_add": lambda days: numba.void(numba.float64[:, :, ::1], numba.intp[::1], days, f2),
        "landing_days": lambda days: numba.void(f2, f2r, f2r, numba.boolean, numba.float64, numba.float64, days),
        "landing_days_f": lambda days: numba.void(numba.float64[::1, :], f2r, f2r, numba.boolean, numba.float64,
                                                  numba.float64, days),
        "triangular_days": lambda days: numba.intp(f2c, numba.intp[::1], f1r, f1r, f1r, f1r, f1r, f2r, f2r,
                                                   numba.boolean, numba.float64, numba.float64, days),
        "table_days": lambda days: numba.void(f2c, numba.intp[::1], f1r, i1r, f2cr, b1r, days),
        "ship_tail": lambda days: numba.void(f2c, f2c, f2c, f2c, numba.intp[::1], f2c, numba.float64[:, :, ::1],
                                             numba.intp[::1], days),
    }.items()}
    signatures.update({
        "ring_take": numba.void(numba.float64[:, :, ::1], numba.intp, f1r, numba.float64[:, ::1]),
        "ring_arrive": numba.void(numba.float64[:, :, ::1], numba.intp, f1r, numba.intp[::1], numba.float64[:, ::1],
                                  numba.float64[:, ::1], numba.float64[:, ::1]),
        "triangular": numba.void(f2c, f2c, f2c, f2c, f2c, f2c, f2c),
        "ship_head": numba.void(f2c, f1r, f2c, numba.intp[::1], f2c, f2c, f2c),
    })
    # A day's share row, passed as a read-only view (it may be a read-only schedule row or a writable array).
    signatures["split_plain"] = numba.void(f2c, numba.intp[::1], numba.types.Array(numba.float64, 1, "A", readonly=True),
                                           f1r, f2c)
    i2 = numba.types.Array(numba.intp, 2, "C", readonly=True)
    signatures["triangular_table"] = numba.void(f1r, f1r, f1r, f1r, f1r, numba.float64, numba.float64,
                                                numba.float64[::1], numba.intp[::1], f2c, numba.boolean[::1])
    signatures["recipe_cover"] = numba.void(f2c, i2, f2cr, numba.intp, f2c)
    signatures["start_add"] = numba.void(f2c, f2, numba.intp[::1], numba.intp[::1], f1r)
    signatures["position"] = numba.void(f2c, numba.intp[::1], f2c, f2c, numba.intp[::1], numba.intp[::1],
                                        numba.intp[::1], f2, f2c)
    loops = {"position": position, "ring_add": ring_add, "ring_take": ring_take, "ring_arrive": ring_arrive, "triangular": triangular,
             "triangular_days": triangular_days, "triangular_table": triangular_table, "table_days": table_days,
             "landing_days": landing_days, "ship_head": ship_head, "ship_tail": ship_tail, "split_plain": split_plain,
             "recipe_cover": recipe_cover, "start_add": start_add}
    signatures["landing_days"] = signatures.pop("landing_days_f") + signatures["landing_days"]
    def typed(name: str) -> list:  # type: ignore[type-arg]
        sig = signatures[name]
        return sig if isinstance(sig, list) else [sig]
    return SimpleNamespace(**{name: numba.njit(typed(name), **options)(fn) for name, fn in loops.items()})


_prefetch_registered = False


def _register_prefetch() -> None:
    """Give `prefetch_write` its compiled meaning: LLVM's ``llvm.prefetch`` (a write, kept in cache).

    Typed and lowered in place (no function call, no reference counting), so
    the loops that call it keep their own machine code around it. A prefetch is
    a hint: it changes which lines are in cache, never a value, so the loops
    give the same bits with or without it.
    """
    global _prefetch_registered
    if _prefetch_registered:
        return
    from llvmlite import ir
    from numba import types
    from numba.core import cgutils
    from numba.extending import lower_builtin, type_callable

    @type_callable(prefetch_write)
    def _typer(context):  # type: ignore[no-untyped-def]
        def typer(buf, lane, slot, run):  # type: ignore[no-untyped-def]
            if isinstance(buf, types.Array) and buf.ndim == 3 and all(
                    isinstance(i, types.Integer) for i in (lane, slot, run)):
                return types.void
            return None
        return typer

    @lower_builtin(prefetch_write, types.Array, types.Integer, types.Integer, types.Integer)
    def _lower(context, builder, signature, args):  # type: ignore[no-untyped-def]
        array_type = signature.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        index = [context.cast(builder, v, t, types.intp) for v, t in zip(args[1:], signature.args[1:])]
        pointer = cgutils.get_item_pointer(context, builder, array_type, view, index, wraparound=False)
        byte = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        hint = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte, i32, i32, i32]), "llvm.prefetch.p0i8")
        # rw = 1 (write), locality = 3 (keep in every cache level), cache type = 1 (data).
        builder.call(hint, [builder.bitcast(pointer, byte), ir.Constant(i32, 1), ir.Constant(i32, 3),
                            ir.Constant(i32, 1)])
        return context.get_dummy_value()

    _prefetch_registered = True


def prefetch_write(buf: np.ndarray, lane: int, slot: int, run: int) -> None:
    """Hint that ``buf[lane, slot, run]`` is about to be added into: nothing in Python, a prefetch compiled.

    Compiled (`compile_loops`) it is the CPU's prefetch instruction for
    that element's cache line, so that miss overlaps with the work on the
    elements before it. It reads and writes no value.
    """


def ring_add(buf: np.ndarray, slots: np.ndarray, days: np.ndarray, shipped: np.ndarray) -> None:
    """``buf[l, slots[days[r, l]], r] += shipped[r, l]`` for every run ``r`` and lane ``l``.

    ``buf`` is the ring ``(L, W + 1, R)``; ``days`` (R, L) each shipment's days
    until landing; ``slots[d]`` the ring slot of landing ``d`` days after today.
    Each (lane, run) is added once, lane after lane: the writes stay within a
    lane's block of the ring.
    """
    n_runs, n_lanes = days.shape
    step = min(PREFETCH_RUNS, n_runs)
    for lane in range(n_lanes):
        for r in range(n_runs):
            ahead = r + step
            if ahead < n_runs:
                prefetch_write(buf, lane, slots[days[ahead, lane]], ahead)
            elif lane + 1 < n_lanes:
                prefetch_write(buf, lane + 1, slots[days[ahead - n_runs, lane + 1]], ahead - n_runs)
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
    """`ring_take`, and in the same pass ``transit -= out`` and ``by_buyer[buyer[l]] += out[l]``.

    ``transit`` (L, R) and ``out`` as in `ring_take`; ``by_buyer`` (B, R)
    starts at zero and receives each buyer's lanes in lane order: the sums of
    `.sums.sum_into` with an incidence matrix whose rows list their lanes
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


def position(stock: np.ndarray, buyer_stock: np.ndarray, transit: np.ndarray, owed: np.ndarray, indptr: np.ndarray,
             lanes: np.ndarray, demand_buyer: np.ndarray, backlog: np.ndarray, out: np.ndarray) -> None:
    """Each buyer's inventory position before licences: ``stock + transit + owed - backorders``, into ``out`` (B, R).

    ``(stock[buyer_stock] + transit) + sum of owed over the buyer's lanes``
    (the sum from 0.0, its lanes ``lanes[indptr[b]:indptr[b + 1]]`` in
    increasing order, as `.sums.sum_into`), then less ``backlog[d]`` for
    each demand ``d`` at buyer ``demand_buyer[d]`` (distinct buyers), as
    `.kernel.place_orders` does it in NumPy, the same bits. Arrays are
    runs-last seen transposed: ``stock`` (S + 1, R), ``transit`` and ``out``
    (B, R), ``owed`` (L, R), ``backlog`` (D, R).
    """
    n_buyers, n_runs = out.shape
    total = np.empty(n_runs)
    for b in range(n_buyers):
        i = buyer_stock[b]
        for r in range(n_runs):
            out[b, r] = stock[i, r] + transit[b, r]
            total[r] = 0.0
        for k in range(indptr[b], indptr[b + 1]):
            lane = lanes[k]
            for r in range(n_runs):
                total[r] += owed[lane, r]
        for r in range(n_runs):
            out[b, r] += total[r]
    for d in range(len(demand_buyer)):
        b = demand_buyer[d]
        for r in range(n_runs):
            out[b, r] -= backlog[d, r]


def split_plain(q: np.ndarray, buyer: np.ndarray, share: np.ndarray, capacity: np.ndarray, out: np.ndarray) -> None:
    """``out = np.minimum(q[:, buyer] * share, capacity)`` in one pass: each buyer's order split by share, capped.

    ``q`` (B, R) and ``out`` (L, R) are runs-last arrays seen transposed;
    ``buyer``, ``share`` and ``capacity`` (L,). One product, then NumPy's
    minimum (``a`` where ``a < b`` or ``a`` is NaN, else ``b``), the same bits.
    """
    n_lanes, n_runs = out.shape
    for lane in range(n_lanes):
        b = buyer[lane]
        w = share[lane]
        cap = capacity[lane]
        for r in range(n_runs):
            a = q[b, r] * w
            out[lane, r] = a if (a < cap or a != a) else cap


def recipe_cover(stock: np.ndarray, recipe: np.ndarray, ratio: np.ndarray, pad: int, out: np.ndarray) -> None:
    """Each facility's scarcest input's cover, ``min_k stock[recipe[f, k]] / ratio[f, k]``, into ``out`` (F, R).

    ``stock`` (S + 1, R) and ``out`` are runs-last arrays seen transposed;
    ``recipe`` and ``ratio`` (F, K), entries equal to ``pad`` (the +inf stock)
    past the first column skipped: what `.kernel.produce` does column by
    column, each quotient rounded once and NumPy's minimum (``a`` where ``a < b``
    or ``a`` is NaN, else ``b``) taken in column order, the same bits.
    """
    n_facilities, n_columns = recipe.shape
    n_runs = out.shape[1]
    for f in range(n_facilities):
        first, q = recipe[f, 0], ratio[f, 0]
        for r in range(n_runs):
            out[f, r] = stock[first, r] / q
        for k in range(1, n_columns):
            i = recipe[f, k]
            if i == pad:
                continue
            q = ratio[f, k]
            for r in range(n_runs):
                a = out[f, r]
                b = stock[i, r] / q
                out[f, r] = a if (a < b or a != a) else b


def start_add(stock: np.ndarray, started: np.ndarray, facility: np.ndarray, index: np.ndarray,
              units: np.ndarray) -> None:
    """``stock[index[j]] += started[facility[j]] * units[j]`` for every entry ``j`` (distinct stocks), all runs.

    ``stock`` (S + 1, R) and ``started`` (F, R) are runs-last arrays seen
    transposed. One product and one sum per element, as NumPy's indexed update
    with distinct indices, the same bits.
    """
    n_runs = stock.shape[1]
    for j in range(len(index)):
        f, i, u = facility[j], index[j], units[j]
        for r in range(n_runs):
            stock[i, r] += started[f, r] * u


def ship_head(orders: np.ndarray, capacity: np.ndarray, owed: np.ndarray, origin: np.ndarray, wanted: np.ndarray,
              owed_sum: np.ndarray, wanted_sum: np.ndarray) -> None:
    """``wanted = np.minimum(orders, capacity)`` and each origin's sums of ``owed`` and ``wanted``, in one pass.

    Arrays are runs-last seen transposed: ``orders``, ``owed``, ``wanted`` (L, R);
    ``capacity`` (L,) each lane's capacity; ``origin`` (L,) each lane's supplier;
    ``owed_sum`` and ``wanted_sum`` (F, R) start at zero and receive each
    origin's lanes in lane order: the sums of `.sums.sum_into` with an
    incidence matrix whose rows list their lanes in increasing order (each
    term times 1.0, added to 0.0 first), the same bits. The minimum is
    NumPy's: ``a`` where ``a < b`` or ``a`` is NaN, else ``b`` (so ``b`` between equal
    zeros of either sign).
    """
    n_lanes, n_runs = orders.shape
    for lane in range(n_lanes):
        cap = capacity[lane]
        f = origin[lane]
        for r in range(n_runs):
            a = orders[lane, r]
            w = a if (a < cap or a != a) else cap
            wanted[lane, r] = w
            wanted_sum[f, r] += w
            owed_sum[f, r] += owed[lane, r]


def ship_tail(owed: np.ndarray, orders: np.ndarray, shipped: np.ndarray, transit: np.ndarray, buyer: np.ndarray,
              by_buyer: np.ndarray, buf: np.ndarray, slots: np.ndarray, days: np.ndarray) -> None:
    """The end of the day's shipping, in one pass over the lanes: the backlog, goods in transit and the ring.

    For every lane ``l`` and run ``r``: ``owed = max((owed + orders) - shipped, 0)``
    (NumPy's maximum: ``a`` where ``a > 0`` or ``a`` is NaN, else 0.0, also for -0.0),
    ``transit += shipped``, ``by_buyer[buyer[l]] += shipped`` (from zero, lanes
    in increasing order: the sums of `.sums.sum_into`) and
    `ring_add`'s ``buf[l, slots[days[r, l]], r] += shipped``. Arrays are
    runs-last seen transposed ((L, R), ``by_buyer`` (B, R)); ``days`` (R, L).
    Each element gets the same IEEE operations, in the same order, as the
    NumPy passes it replaces (each array is touched by one of them only).
    """
    n_lanes, n_runs = shipped.shape
    step = min(PREFETCH_RUNS, n_runs)
    for lane in range(n_lanes):
        b = buyer[lane]
        for r in range(n_runs):
            ahead = r + step
            if ahead < n_runs:
                prefetch_write(buf, lane, slots[days[ahead, lane]], ahead)
            elif lane + 1 < n_lanes:
                prefetch_write(buf, lane + 1, slots[days[ahead - n_runs, lane + 1]], ahead - n_runs)
            x = shipped[lane, r]
            o = owed[lane, r] + orders[lane, r]
            o = o - x
            owed[lane, r] = o if (o > 0.0 or o != o) else 0.0
            transit[lane, r] += x
            by_buyer[b, r] += x
            buf[lane, slots[days[r, lane]], r] += x


def triangular(u: np.ndarray, low: np.ndarray, high: np.ndarray, cut: np.ndarray, left: np.ndarray,
               right: np.ndarray, out: np.ndarray) -> None:
    """NumPy's triangular inverse CDF on uniforms ``u`` (k, T), per-item parameters (k, 1), into ``out``.

    ``low + sqrt(u left)`` where ``u <= cut``, else ``high - sqrt((1 - u) right)``
    (``left = (mode - low)(high - low)``, ``right = (high - mode)(high - low)``,
    ``cut = (mode - low) / (high - low)``), as `.stacked._triangular`.
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


#: NumPy's ``Generator.random`` gives ``m * UNIFORM_STEP`` for a whole ``m`` from 0 to `UNIFORM_TOP`
#: (the top 53 bits of a 64-bit output): every uniform a lead time is drawn from is on this grid.
UNIFORM_STEP = 2.0 ** -53
UNIFORM_TOP = 2 ** 53 - 1


def triangular_table(low: np.ndarray, high: np.ndarray, cut: np.ndarray, left: np.ndarray, right: np.ndarray,
                     tolerance: float, horizon: float, first: np.ndarray, count: np.ndarray, thresholds: np.ndarray,
                     ok: np.ndarray) -> None:
    """Each item's whole landing days as a table of uniforms: the day of `triangular_days` without a shock is
    ``first[i]`` plus the number of ``thresholds[i, :count[i]]`` below the uniform ``u``, the same day.

    ``day(u)`` (the lead time of `triangular` at ``u``, then `landing_days`' rounding: ``ceil(x - tolerance)``
    between 1 and ``horizon``) is evaluated here by the very operations `triangular_days` performs. On each
    branch it never falls as ``u`` grows (every operation is monotone and IEEE rounding keeps that), so
    where it does not fall across the branches' cut either (checked: ``day`` at the last uniform of the grid
    at or below ``cut`` is at most the day at the next) the days are a step function of ``u``. Threshold
    ``j`` is the largest uniform of NumPy's grid (`UNIFORM_STEP`) whose day is at most ``first + j``, found
    by bisection over the grid; ``u`` lands on a later day exactly when it is above it. ``ok[i]`` is
    ``False`` (no table: the item's days are worked out through the square root) when a parameter is not
    finite or negative where it must not be, the day falls at the cut, or the item has more days than
    ``thresholds`` has columns. Parameters (k,); ``first`` (k,); ``count`` (k,); ``thresholds`` (k, W).
    """
    n_items, width = thresholds.shape
    for i in range(n_items):
        lo, hi, c, le, ri = low[i], high[i], cut[i], left[i], right[i]
        ok[i] = False
        count[i] = 0
        first[i] = 1.0
        if not (lo - lo == 0.0 and hi - hi == 0.0 and c - c == 0.0 and le - le == 0.0 and ri - ri == 0.0
                and le >= 0.0 and ri >= 0.0):
            continue
        # day(m): the day of uniform m * UNIFORM_STEP, as triangular_days computes it without a shock.
        days = np.empty(2)
        for end in range(2):
            v = 0.0 if end == 0 else UNIFORM_TOP * UNIFORM_STEP
            rising = v <= c
            s = math.sqrt(v * le if rising else (1.0 - v) * ri)
            x = lo + s if rising else hi - s
            days[end] = min(max(math.ceil(x - tolerance), 1.0), horizon)
        n = int(days[1] - days[0])
        if n > width:
            continue
        # The last grid point at or below the cut and the next: the day must not fall between them.
        if c < 1.0:
            m = min(max(int(math.floor(c / UNIFORM_STEP)), 0), UNIFORM_TOP - 1)
            pair = np.empty(2)
            for k in range(2):
                v = (m + k) * UNIFORM_STEP
                rising = v <= c
                s = math.sqrt(v * le if rising else (1.0 - v) * ri)
                x = lo + s if rising else hi - s
                pair[k] = min(max(math.ceil(x - tolerance), 1.0), horizon)
            if pair[1] < pair[0]:
                continue
        for j in range(n):
            target = days[0] + j
            a, b = 0, UNIFORM_TOP  # day(a) <= target < day(b)
            while b - a > 1:
                mid = (a + b) // 2
                v = mid * UNIFORM_STEP
                rising = v <= c
                s = math.sqrt(v * le if rising else (1.0 - v) * ri)
                x = lo + s if rising else hi - s
                if min(max(math.ceil(x - tolerance), 1.0), horizon) <= target:
                    a = mid
                else:
                    b = mid
            thresholds[i, j] = a * UNIFORM_STEP
        first[i] = days[0]
        count[i] = n
        ok[i] = True


def table_days(u: np.ndarray, lanes: np.ndarray, first: np.ndarray, count: np.ndarray, thresholds: np.ndarray,
               table: np.ndarray, out: np.ndarray) -> None:
    """Whole landing days of uniforms ``u`` (k, T) from the items' tables (`triangular_table`) into ``out`` (T, L).

    For each item ``i`` with ``table[i]`` (lane ``lanes[i]``, no lead-time shock on it): ``first[i]`` plus the
    number of ``thresholds[i, :count[i]]`` below ``u[i, t]``, the day `triangular_days` gives, a few comparisons
    a value (on SIMD lanes) in place of a square root and a rounding. Other items' columns are left as they are.
    """
    n_items, n_days = u.shape
    row = np.empty((n_items, n_days), dtype=out.dtype)
    days = np.empty(n_days)
    for i in range(n_items):
        if not table[i]:
            continue
        d = first[i]
        for t in range(n_days):
            days[t] = d
        for j in range(count[i]):
            th = thresholds[i, j]
            for t in range(n_days):
                days[t] += 1.0 if u[i, t] > th else 0.0
        for t in range(n_days):
            row[i, t] = days[t]
    for t in range(n_days):
        for i in range(n_items):
            if table[i]:
                out[t, lanes[i]] = row[i, t]


def triangular_days(u: np.ndarray, lanes: np.ndarray, low: np.ndarray, high: np.ndarray, cut: np.ndarray,
                    left: np.ndarray, right: np.ndarray, factor: np.ndarray, extra: np.ndarray, shocked: bool,
                    tolerance: float, horizon: float, out: np.ndarray) -> int:
    """Uniforms ``u`` (k, T) to triangular lead times to whole landing days, one pass, no lead-time array.

    For item ``i`` (lane ``lanes[i]``) and day ``t``: the lead time of
    `triangular` (``low + sqrt(u left)`` where ``u <= cut``, else
    ``high - sqrt((1 - u) right)``; both are worked out and one is kept, so no
    branch is mispredicted), then `landing_days` into ``out[t, lanes[i]]``. The
    same IEEE operations, in the same order, as `.stacked.ItemSampler` with
    `triangular`, then `landing_days`: the same bits. Parameters (k,);
    ``factor`` and ``extra`` (T, L); ``out`` (T, L).

    Returns the number of lead times that were not finite (their days are
    then meaningless: the caller redraws the run the slow way to name them).
    """
    n_items, n_days = u.shape
    bad = 0
    # Each item's days first into a contiguous row (this loop runs on SIMD lanes), then into ``out``'s columns a
    # day at a time (a strided write per value costs about twice the arithmetic).
    row = np.empty((n_items, n_days), dtype=out.dtype)
    for i in range(n_items):
        lane = lanes[i]
        lo, hi, c, le, ri = low[i], high[i], cut[i], left[i], right[i]
        for t in range(n_days):
            v = u[i, t]
            rising = v <= c
            a = v * le
            b = (1.0 - v) * ri
            s = math.sqrt(a if rising else b)
            up = lo + s
            down = hi - s
            x = up if rising else down
            bad += not (x - x == 0.0)
            if shocked:
                x = x * factor[t, lane]
                x = x + extra[t, lane]
            x = math.ceil(x - tolerance)
            row[i, t] = min(max(x, 1.0), horizon)
    for t in range(n_days):
        for i in range(n_items):
            out[t, lanes[i]] = row[i, t]
    return bad
