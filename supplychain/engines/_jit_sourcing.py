"""A compiled loop for `.sourcing.split_orders` on a day some lane is diverted, the same bits as NumPy.

Once any buyer diverts (a ban, a closed lane, a late supplier), every later
day of the run takes the long path of `.sourcing.split_orders`: some
forty NumPy passes over (runs x lanes) arrays, most of them temporaries, and
gathers of per-buyer and per-supplier values onto lanes. `split_diverted`
does the same arithmetic in a few loops over lanes and runs (runs innermost,
the engine's runs-last memory), with per-buyer sums added lane by lane in
increasing lane order from 0.0: the sums of `.sums.sum_into` when each
buyer's lanes are listed in increasing order (checked by
`lane_order_sums`). Every element gets the IEEE operations of the NumPy
code, in its order (a product, then a quotient, never fused; NumPy's
``minimum``/``maximum``: ``a`` where ``a < b`` (``a > b``) or ``a`` is NaN, else
``b``), so the results are identical to the bit.

It covers the days without licence rules in play (no ``filed`` orders, no
lane waiting for a licence decision); those stay in NumPy. The loop is written
in plain Python here (it runs as such in tests) and compiled by
`add_loops`, which `.jit` calls when it loads its loops; without
Numba NumPy does everything.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from scipy import sparse

__all__ = ["add_loops", "split_diverted", "lane_order_sums", "class_ahead", "ship_tiers"]

#: `.sourcing.CLASS_TOLERANCE` (not imported: `.sourcing` imports this module).
CLASS_TOLERANCE = 1e-9


def add_loops(loops: SimpleNamespace) -> None:
    """Compile `split_diverted`, `class_ahead` and `ship_tiers` with Numba and add them to ``loops`` by name.

    Raises
    ------
    ImportError
        If Numba is not installed.
    """
    import numba

    options = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}
    # Lane parameters are read-only views of any layout; (lanes or buyers, runs) arrays are runs-last, C-contiguous
    # seen transposed (read-only for inputs), so that the compiler knows their inner stride.
    f1 = numba.types.Array(numba.float64, 1, "A", readonly=True)
    b1 = numba.types.Array(numba.boolean, 1, "A", readonly=True)
    i1 = numba.types.Array(numba.intp, 1, "A", readonly=True)
    f2 = numba.types.Array(numba.float64, 2, "C", readonly=True)
    b2 = numba.types.Array(numba.boolean, 2, "C", readonly=True)
    w2 = numba.float64[:, ::1]
    row = numba.types.Array(numba.float64, 2, "A", readonly=True)  # the day's shares: often a lane row broadcast
    # over runs (stride 0), passed as it is
    signature = numba.boolean(f2, row, f2, w2, f1, f1, i1, i1, numba.intp, numba.boolean, w2, f1, numba.boolean,
                              f1, f1, b1, f1, w2, numba.float64, f2, f1, numba.boolean, b2, f2, w2, w2,
                              numba.boolean, f2)
    loops.split_diverted = numba.njit([signature], **options)(split_diverted)
    # The day's history of each lane: its steady flow broadcast over runs (stride 0), or its recent record.
    ahead = numba.void(f2, row, i1, b1, b1, b1, i1, i1, i1, w2)
    loops.class_ahead = numba.njit([ahead], **options)(class_ahead)
    tiers = numba.void(f2, f2, f2, i1, f1, i1, i1, i1, f2, b2, f2, w2)
    loops.ship_tiers = numba.njit([tiers], **options)(ship_tiers)


def lane_order_sums(m: sparse.csr_matrix, index: np.ndarray, n: int) -> bool:
    """Whether the incidence matrix ``m`` (n, L) sums each group's lanes in increasing lane order, each times 1.0.

    Then adding lane after lane into a per-group total gives the bits of
    `.sums.sum_into` (both its sparse product and its ``bincount``).

    Examples
    --------
    >>> index = np.array([1, 0, 1])
    >>> m = sparse.csr_matrix((np.ones(3), (index, np.arange(3))), shape=(2, 3))
    >>> lane_order_sums(m, index, 2)
    True
    """
    return bool(m.has_sorted_indices and (m.data == 1.0).all()
                and np.array_equal(np.diff(m.indptr), np.bincount(index, minlength=n))
                and np.array_equal(m.indices, np.argsort(index, kind="stable")))


def split_diverted(q: np.ndarray, share: np.ndarray, h: np.ndarray, diverted: np.ndarray, step: np.ndarray,
                   lasting: np.ndarray, buyer: np.ndarray, origin: np.ndarray, n_buyers: int, held: bool,
                   locked: np.ndarray, buyer_flow: np.ndarray, has_lock: bool, lock: np.ndarray,
                   port_days: np.ndarray, incumbent: np.ndarray, qualify_days: np.ndarray, seek_day: np.ndarray,
                   t: float, spare_f: np.ndarray, capacity: np.ndarray, has_owes: bool, owes: np.ndarray,
                   plain: np.ndarray, placed: np.ndarray, applied: np.ndarray, has_hold: bool,
                   hold: np.ndarray) -> bool:
    """The long path of `.sourcing.split_orders` (no filed orders, no lane waiting for a licence).

    Arrays are runs-last (seen transposed): ``q``, ``plain``, ``seek_day`` (B, R);
    ``share``, ``h`` (availability), ``diverted``, ``locked``, ``owes``, ``placed``,
    ``applied`` (L, R); ``spare_f`` (F, R) each supplier's spare capacity.
    Lane parameters (L,): ``step``, ``lasting``, ``buyer``, ``origin``,
    ``lock``, ``port_days``, ``incumbent``, ``qualify_days``, ``capacity``;
    ``buyer_flow`` (B,). ``held``: locked volume is carried (``locked`` has a
    non-zero entry); ``has_lock``: the scenario has design lock-in (``locked``
    is then rewritten); ``has_owes``: ``owes`` marks lanes at a queued supplier
    and ``plain`` is the order without the planned pipeline; ``has_hold``: ``hold`` (L, R)
    is the locked part of what lanes out of reach owe (`.sourcing.locked_owed`), held
    out with the carry (``held`` is then true). Writes
    ``diverted``, ``seek_day``, ``locked``, the orders ``placed`` and the
    applied shares ``applied``; returns whether any lane is diverted.
    """
    n_lanes, n_runs = diverted.shape
    shape = (n_lanes, n_runs)
    by_buyer = (n_buyers, n_runs)
    # The held-out locked volume (design lock-in): the free order and the scale of what is carried.
    free_q = np.empty(by_buyer)
    scale = np.empty(by_buyer)
    if held:
        zb = np.zeros(by_buyer)
        for lane in range(n_lanes):
            b = buyer[lane]
            if has_hold:
                for r in range(n_runs):
                    zb[b, r] += locked[lane, r] + hold[lane, r]
            else:
                for r in range(n_runs):
                    zb[b, r] += locked[lane, r]
        for b in range(n_buyers):
            flow = buyer_flow[b]
            for r in range(n_runs):
                x, z = q[b, r], zb[b, r]
                least = z if (z < x or z != z) else x
                a = x - least
                a = a if (a > 0.0 or a != a) else 0.0
                c = x if (x < flow or x != x) else flow
                fq = a if (a > c or a != a) else c
                free_q[b, r] = fq
                held_q = x - fq
                scale[b, r] = held_q / z if z > held_q else 1.0
    else:
        for b in range(n_buyers):
            for r in range(n_runs):
                free_q[b, r] = q[b, r]
    keep = np.empty(shape)
    free_l = np.empty(shape)
    diverted_b = np.zeros(by_buyer)
    seeking = np.zeros(by_buyer, dtype=np.bool_)
    any_diverted = False
    for lane in range(n_lanes):
        b = buyer[lane]
        st, last, inc = step[lane], lasting[lane], incumbent[lane]
        for r in range(n_runs):
            p = diverted[lane, r]
            a = 1.0 - h[lane, r]
            c = p - st
            m = a if (a > c or a != a) else c
            c = p if (p < last or p != p) else last
            m = m if (m > c or m != m) else c
            m = m if (m > 0.0 or m != m) else 0.0
            diverted[lane, r] = m
            if m != 0.0:
                any_diverted = True
            base = free_q[b, r] * share[lane, r]
            k = base * (1.0 - m)
            keep[lane, r] = k
            x = base - k
            free_l[lane, r] = x
            if not has_lock:
                diverted_b[b, r] += x
            if inc and m > 0.0:
                seeking[b, r] = True
    for b in range(n_buyers):
        for r in range(n_runs):
            if seeking[b, r]:
                d = seek_day[b, r]
                seek_day[b, r] = d if (d < t or d != d) else t
    # Design lock-in: only the portable part is offered to alternates; then each lane's weight as one.
    locked_l = np.empty(shape) if has_lock else np.empty((0, 0))
    portable = np.empty(shape) if has_lock else np.empty((0, 0))
    weight = np.empty(shape)
    open_l = np.empty(shape, dtype=np.bool_)
    total_b = np.zeros(by_buyer)
    for lane in range(n_lanes):
        b, f = buyer[lane], origin[lane]
        inc, qual = incumbent[lane], qualify_days[lane]
        for r in range(n_runs):
            d = seek_day[b, r]
            if has_lock:
                ported = t >= d + port_days[lane]
                share_p = 1.0 if ported else 1.0 - lock[lane]
                x = free_l[lane, r]
                y = x * (1.0 - share_p)
                x = x * share_p
                if held:
                    carry = locked[lane, r] * scale[b, r]
                    x = x + (carry if ported else 0.0)
                    y = y + (0.0 if ported else carry)
                free_l[lane, r] = x
                locked_l[lane, r] = y
                portable[lane, r] = share_p
                diverted_b[b, r] += x
            qualified = inc or (t >= d + qual)
            ok = qualified and h[lane, r] >= 1.0 and diverted[lane, r] <= 0.0
            open_l[lane, r] = ok
            w = spare_f[f, r] if ok else 0.0
            weight[lane, r] = w
            total_b[b, r] += w
    alt = np.empty(shape)
    alt_b = np.zeros(by_buyer)
    for lane in range(n_lanes):
        b, f, cap = buyer[lane], origin[lane], capacity[lane]
        for r in range(n_runs):
            total = total_b[b, r]
            a = diverted_b[b, r] * weight[lane, r] / total if total > 0.0 else 0.0
            s = spare_f[f, r]
            a = a if (a < s or a != a) else s
            room = cap - keep[lane, r]
            room = room if (room > 0.0 or room != room) else 0.0
            a = a if (a < room or a != a) else room
            alt[lane, r] = a
            alt_b[b, r] += a
    rest_b = np.empty(by_buyer)
    for b in range(n_buyers):
        for r in range(n_runs):
            x = diverted_b[b, r] - alt_b[b, r]
            rest_b[b, r] = x if (x > 0.0 or x != x) else 0.0
    # What alternates cannot take goes back to lanes that take orders again, in proportion to what each diverts.
    back_w = np.empty(shape)
    back_b = np.zeros(by_buyer)
    for lane in range(n_lanes):
        b = buyer[lane]
        for r in range(n_runs):
            a = h[lane, r]
            w = free_l[lane, r] if (a >= 1.0 or (a > 0.0 and total_b[b, r] <= 0.0)) else 0.0
            back_w[lane, r] = w
            back_b[b, r] += w
    over = np.empty(shape) if has_owes else np.empty((0, 0))
    routed_b = np.zeros(by_buyer, dtype=np.bool_)
    any_over = False
    for lane in range(n_lanes):
        b, cap = buyer[lane], capacity[lane]
        for r in range(n_runs):
            total = back_b[b, r]
            back = rest_b[b, r] * back_w[lane, r] / total if total > 0.0 else 0.0
            a = h[lane, r]
            if has_lock:
                mine = a > 0.0
                y = locked_l[lane, r]
                back = back + (y if mine else 0.0)
                locked[lane, r] = 0.0 if mine else y
            k, x = keep[lane, r], alt[lane, r]
            p = k + x + back
            qb = q[b, r]
            moved = (x + back) / qb if qb > 0.0 else 0.0
            w = share[lane, r]
            if held:
                applied[lane, r] = (k / qb if qb > 0.0 else w * (1.0 - diverted[lane, r])) + moved
            else:
                applied[lane, r] = w * (1.0 - diverted[lane, r]) + moved
            p = p if (p < cap or p != p) else cap
            placed[lane, r] = p
            if has_owes:
                ratio = plain[b, r] / qb if qb > 0.0 else 1.0
                o = p * (1.0 - ratio) if (a >= 1.0 and owes[lane, r]) else 0.0
                over[lane, r] = o
                if o != 0.0:
                    any_over = True
                if o > 0.0:
                    routed_b[b, r] = True
    if not any_over:
        return any_diverted
    # At a queued supplier a lane places only its part of the plain order; the planned part goes to
    # alternates with spare capacity left that owe no queue. Under design lock-in a lane that owes no
    # queue, of a buyer that routed some, keeps off the locked part of its share of the planned part
    # (``over`` then holds what each lane keeps off).
    overflow_b = np.zeros(by_buyer)
    total2_b = np.zeros(by_buyer)
    weight2 = np.empty(shape)
    for lane in range(n_lanes):
        b, f = buyer[lane], origin[lane]
        for r in range(n_runs):
            o = over[lane, r]
            overflow_b[b, r] += o * portable[lane, r] if has_lock else o
            if has_lock and not owes[lane, r]:
                if routed_b[b, r]:
                    qb = q[b, r]
                    ratio = plain[b, r] / qb if qb > 0.0 else 1.0
                    o = placed[lane, r] * (1.0 - ratio) * (1.0 - portable[lane, r])
                else:
                    o = 0.0
                over[lane, r] = o
            placed[lane, r] = placed[lane, r] - o
            left = spare_f[f, r] - alt[lane, r]
            left = left if (left > 0.0 or left != left) else 0.0
            w = left if (open_l[lane, r] and not owes[lane, r]) else 0.0
            weight2[lane, r] = w
            total2_b[b, r] += w
    for lane in range(n_lanes):
        b, f, cap = buyer[lane], origin[lane], capacity[lane]
        for r in range(n_runs):
            total = total2_b[b, r]
            a = overflow_b[b, r] * weight2[lane, r] / total if total > 0.0 else 0.0
            left = spare_f[f, r] - alt[lane, r]
            left = left if (left > 0.0 or left != left) else 0.0
            a = a if (a < left or a != a) else left
            p = placed[lane, r]
            room = cap - p
            room = room if (room > 0.0 or room != room) else 0.0
            a = a if (a < room or a != a) else room
            qb = q[b, r]
            applied[lane, r] = applied[lane, r] + ((a - over[lane, r]) / qb if qb > 0.0 else 0.0)
            placed[lane, r] = p + a
    return any_diverted


def class_ahead(owed: np.ndarray, flow: np.ndarray, rank: np.ndarray, by_history: np.ndarray, incumbent: np.ndarray,
                incumbent_rule: np.ndarray, indptr: np.ndarray, lanes: np.ndarray, tiers: np.ndarray,
                out: np.ndarray) -> None:
    """What each lane's supplier owes in the classes it serves before or with a new order on it (`.sourcing._ahead`).

    Arrays are runs-last (seen transposed): ``owed``, ``flow`` (each lane's
    history, often its steady flow broadcast over runs) and ``out`` (L, R).
    Lane parameters (L,): ``rank`` (value tier, 0 the highest; 0 for every
    lane of a supplier not allocating by value), ``by_history`` (the
    supplier's rule is history, recent or value), ``incumbent`` (baseline
    share > 0), ``incumbent_rule`` (the supplier's rule is ``"incumbent"``).
    ``indptr``, ``lanes``: each supplier's lanes in increasing lane order (the
    CSR rows of ``Compiled.sum_by_origin``); ``tiers`` (F,) each supplier's
    number of value tiers.

    For a lane of tier ``t``: what its supplier owes on lanes of tiers ``<= t``;
    within its history (``owed < flow * (1 - CLASS_TOLERANCE)``; among incumbents under ``"incumbent"``)
    what it owes on tiers ``< t`` and on tier ``t`` up to each lane's history.
    Each sum adds the supplier's contributing lanes in lane order from 0.0,
    the bits of `.sums.sum_into` over every lane with the others' zeros.
    """
    n_runs = owed.shape[1]
    everything = np.empty(n_runs)
    first = np.empty(n_runs)
    for f in range(len(tiers)):
        lo, hi = indptr[f], indptr[f + 1]
        for t in range(tiers[f]):
            for r in range(n_runs):
                everything[r] = 0.0
                first[r] = 0.0
            for j in range(lo, hi):
                k = lanes[j]
                rk = rank[k]
                history = by_history[k]
                for r in range(n_runs):
                    o = owed[k, r]
                    if rk <= t:
                        everything[r] += o
                    if history:
                        if rk < t:
                            first[r] += o
                        elif rk == t:
                            h = flow[k, r]
                            first[r] += o if (o < h or o != o) else h
                    elif incumbent[k]:
                        first[r] += o
            for j in range(lo, hi):
                k = lanes[j]
                if rank[k] != t:
                    continue
                history = by_history[k]
                mine = incumbent_rule[k] and incumbent[k]
                for r in range(n_runs):
                    within = owed[k, r] < flow[k, r] * (1.0 - CLASS_TOLERANCE) if history else mine
                    out[k, r] = first[r] if within else everything[r]


def ship_tiers(first: np.ndarray, second: np.ndarray, third: np.ndarray, rank: np.ndarray, capacity: np.ndarray,
               indptr: np.ndarray, lanes: np.ndarray, tiers: np.ndarray, on_hand: np.ndarray, fits: np.ndarray,
               wanted: np.ndarray, shipped: np.ndarray) -> None:
    """`.kernel.ship`'s service classes: each supplier serves each value tier's three classes in turn (§5.7).

    Arrays are runs-last (seen transposed): ``first``, ``second``, ``third``
    (what each lane asks in its tier's three classes, `.sourcing.ship_classes`
    before the split by tier), ``wanted`` and ``shipped`` (L, R);
    ``on_hand`` and ``fits`` (F, R) each supplier's stock and whether it
    owes nothing and holds every order (then its lanes ship ``wanted``).
    Lane parameters (L,): ``rank``, ``capacity``; ``indptr``, ``lanes``,
    ``tiers`` as in `class_ahead`. Within a class each lane asks at most
    its room (capacity less what it shipped), the requests are rationed
    proportionally against what is left, and what is left falls by the sum
    shipped, at least 0: NumPy's passes over every lane, where the lanes of
    other tiers ask +0.0 and add nothing, done on the tier's lanes only.
    """
    n_runs = first.shape[1]
    requested = np.empty(n_runs)
    fill = np.empty(n_runs)
    sent = np.empty(n_runs)
    left = np.empty(n_runs)
    width = 0
    for f in range(len(tiers)):
        width = max(width, indptr[f + 1] - indptr[f])
    room = np.empty((width, n_runs))
    asked = np.empty((width, n_runs))
    for f in range(len(tiers)):
        lo, hi = indptr[f], indptr[f + 1]
        short = False
        for r in range(n_runs):
            if not fits[f, r]:
                short = True
        if short:
            for r in range(n_runs):
                left[r] = on_hand[f, r]
            for j in range(lo, hi):
                k = lanes[j]
                cap = capacity[k]
                for r in range(n_runs):
                    room[j - lo, r] = cap
                    shipped[k, r] = 0.0
            for t in range(tiers[f]):
                for c in range(3):
                    cls = first if c == 0 else (second if c == 1 else third)
                    for r in range(n_runs):
                        requested[r] = 0.0
                    for j in range(lo, hi):
                        k = lanes[j]
                        if rank[k] != t:
                            continue
                        for r in range(n_runs):
                            a, b = cls[k, r], room[j - lo, r]
                            x = a if (a < b or a != a) else b
                            asked[j - lo, r] = x
                            requested[r] += x
                    for r in range(n_runs):
                        q, have = requested[r], left[r]
                        fill[r] = have / q if q > have else 1.0
                        sent[r] = 0.0
                    for j in range(lo, hi):
                        k = lanes[j]
                        if rank[k] != t:
                            continue
                        for r in range(n_runs):
                            p = asked[j - lo, r] * fill[r]
                            sent[r] += p
                            room[j - lo, r] = room[j - lo, r] - p
                            shipped[k, r] = shipped[k, r] + p
                    for r in range(n_runs):
                        x = left[r] - sent[r]
                        left[r] = x if (x > 0.0 or x != x) else 0.0
        for j in range(lo, hi):
            k = lanes[j]
            for r in range(n_runs):
                if fits[f, r]:
                    shipped[k, r] = wanted[k, r]
