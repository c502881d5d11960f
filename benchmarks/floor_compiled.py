"""The minimal (s, S) kernel of ``bench_peers.py`` compiled with Numba: the next floor for issue 11's 10,000 runs.

``bench_peers.kernel_runs`` is the floor in NumPy: a day's array passes over
lanes x runs. This module runs the same model (recipes, capacity, production
trigger and target, final demand lost when not on hand, daily (s, S) orders on
inventory position split by share, pro-rata rationing by suppliers, lead times
rounded up to whole days into a ring of goods in transit; no order books,
prices, licences, summaries beyond the fill rate) as compiled loops, in two
loop orders:

* ``"runs-inner"``: the vector engine's order. Python steps through the days;
  one compiled call per day does the day's work over items x runs, runs
  innermost, with a ring ``(width, lanes, runs)`` shared by the chunk's runs.
* ``"runs-outer"``: a whole run at a time, every day of it in one compiled
  call, with its own ring ``(width, lanes)`` (0.6 MB on the baseline, near the
  core's 512 KB L2, where the chunk's ring is 63 MB).

Lead times are each lane's triangular distribution (low, mode, high), drawn by
inverting its CDF at uniforms from NumPy's generator (one ``Generator.random``
fill per run, as the engine draws them), so the draw is the engine's own kind
of work; demand noise, when a demand has it, is a normal from the same
uniforms' generator. The fill rate is printed so the two orders can be seen to
simulate the same thing (their random streams differ, so it agrees to a few
per mille, not to the bit).

``lookup=True`` (``--draw lookup`` or ``both``) turns a uniform into whole days
the way the engine now does for a lane without a lead-time shock: the count of
the lane's thresholds of uniforms below it (`supplychain.engines._jit_kernels.triangular_table`,
here with no tolerance and capped at the ring, as this kernel rounds), the
same days as the square root, so the fill rate is the same to the bit.

Usage: ``python benchmarks/floor_compiled.py [--runs 216] [--order both] [--draw both]`` (the
random-lead baseline; about a minute). `bench_ten_k.py` calls `floor_runs` for
its floor lines.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

RING = 128  # most slots of the ring of goods in transit (as bench_peers.RING); fewer when the longest lead is shorter

_compiled: dict = {}


def network_arrays(scenario) -> dict:  # type: ignore[no-untyped-def]
    """The flat arrays the compiled kernel reads, from ``scenario`` (compiled as the library compiles it)."""
    from synthetic import plain_network

    from supplychain.compile.compiler import compile_scenario
    c = compile_scenario(scenario)
    net = plain_network(scenario, c)
    low, mode, high = [], [], []
    for lane in scenario.network.lanes:
        d = lane.lead_time
        if hasattr(d, "mode"):
            low.append(d.low), mode.append(d.mode), high.append(d.high)
        else:  # a fixed (or other) lead time: its mean, every day
            m = float(d.mean) if hasattr(d, "mean") else float(d)
            low.append(m), mode.append(m), high.append(m)
    lo, mo, hi = (np.array(x, dtype=float) for x in (low, mode, high))
    lookup = _thresholds(lo, mo, hi, min(RING, int(math.ceil(hi.max())) + 1) - 1)
    n_b = len(net.buyer_ids)
    recipe = np.where(net.recipe_buyer >= 0, net.recipe_buyer, n_b).astype(np.intp)  # padding: a +inf stock
    transit0 = np.bincount(net.lane_buyer, weights=net.lane_initial_transit.sum(axis=0), minlength=n_b)
    width = min(RING, int(math.ceil(hi.max())) + 1)  # the engine's ring is as wide as the longest lead time
    pre = np.zeros((width, len(net.lane_origin)))
    k = min(width, len(net.lane_initial_transit))
    pre[:k] = net.lane_initial_transit[:k]
    return {
        "n_days": int(net.n_days), "capacity": net.capacity, "trigger": net.prod_trigger, "target": net.prod_target,
        "recipe": recipe, "ratio": net.recipe_ratio.astype(float), "out0": net.output_initial,
        "stock0": net.buyer_initial, "s_point": net.reorder_point, "s_up": net.order_up_to,
        "origin": net.lane_origin.astype(np.intp), "buyer": net.lane_buyer.astype(np.intp),
        "share": net.lane_share, "low": lo, "cut": np.where(hi > lo, (mo - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0),
        "left": (mo - lo) * (hi - lo), "right": (hi - mo) * (hi - lo), "high": hi, "ring0": pre, "transit0": transit0,
        "demand_buyer": net.demand_buyer.astype(np.intp), "rate": net.demand_rate, "sd": net.demand_sd,
        **lookup,
    }


def _thresholds(lo: np.ndarray, mo: np.ndarray, hi: np.ndarray, cap: int) -> dict:
    """Each lane's whole days (``ceil`` of the lead time, 1 to ``cap``) as thresholds of uniforms (the engine's table)."""
    from supplychain.engines import jit
    from supplychain.engines.stacked import ItemSampler
    from supplychain.model.dists import Fixed, Triangular
    kernels = jit.kernels_for(10**12)
    items = [Triangular(a, m, b) if b > a else Fixed(a) for a, m, b in zip(lo, mo, hi)]
    if kernels is None or not all(isinstance(d, Triangular) for d in items):
        return {"first": np.ones(len(lo)), "count": np.zeros(len(lo), dtype=np.intp), "th": np.zeros((len(lo), 1)),
                "table": False}
    first, count, th, ok = ItemSampler(items).day_table(kernels, 0.0, float(cap))
    return {"first": first, "count": count, "th": th, "table": bool(ok.all())}


def _day(t, a_cap, a_trig, a_target, recipe, ratio, s_point, s_up,  # type: ignore[no-untyped-def]
         origin, buyer, share, low, cut, left, right, high, demand_buyer, rate, sd, lookup, first, count, th, u, z,
         out, stock, transit, ring, q, requested, fill):
    """One day of every run (items x runs, runs innermost); returns (served, wanted) summed over runs."""
    n_runs = out.shape[1]
    n_l, n_f, n_b = len(origin), len(a_cap), stock.shape[0] - 1
    width = ring.shape[0]  # as wide as the longest whole lead time + 1, as the engine's ring
    slot = t % width
    for lane in range(n_l):
        b = buyer[lane]
        for r in range(n_runs):
            x = ring[slot, lane, r]
            stock[b, r] += x
            transit[b, r] -= x
            ring[slot, lane, r] = 0.0
    for f in range(n_f):
        for r in range(n_runs):
            can = np.inf
            for k in range(recipe.shape[1]):
                can = min(can, stock[recipe[f, k], r] / ratio[f, k])
            room = a_target[f] - out[f, r] if out[f, r] <= a_trig[f] else 0.0
            p = max(min(min(a_cap[f], can), room), 0.0)
            out[f, r] += p
            for k in range(recipe.shape[1]):
                if recipe[f, k] < n_b:
                    stock[recipe[f, k], r] -= p * ratio[f, k]
    served = wanted = 0.0
    for d in range(len(rate)):
        b = demand_buyer[d]
        for r in range(n_runs):
            dem = rate[d] * max(1.0 + sd[d] * z[d, r], 0.0)
            have = stock[b, r]
            s = min(have, dem)
            stock[b, r] = have - s
            served += s
            wanted += dem
    for b in range(n_b):
        for r in range(n_runs):
            pos = stock[b, r] + transit[b, r]
            q[b, r] = s_up[b] - pos if pos <= s_point[b] else 0.0
    requested[:] = 0.0
    for lane in range(n_l):
        for r in range(n_runs):
            requested[origin[lane], r] += q[buyer[lane], r] * share[lane]
    for f in range(n_f):
        for r in range(n_runs):
            fill[f, r] = out[f, r] / requested[f, r] if requested[f, r] > out[f, r] else 1.0
    for lane in range(n_l):
        f, b = origin[lane], buyer[lane]
        for r in range(n_runs):
            x = q[b, r] * share[lane] * fill[f, r]
            out[f, r] = max(out[f, r] - x, 0.0)
            transit[b, r] += x
            v = u[lane, r]  # the triangular inverse CDF, then whole days
            if lookup:  # the thresholds below v: the same days
                days = int(first[lane])
                for j in range(count[lane]):
                    days += 1 if v > th[lane, j] else 0
            else:
                # One square root of the branch's argument, both ends worked out and one kept, as the engine's
                # loop does (no mispredicted branch).
                rising = v <= cut[lane]
                root = math.sqrt(v * left[lane] if rising else (1.0 - v) * right[lane])
                up, down = low[lane] + root, high[lane] - root
                lead = up if rising else down
                days = min(max(int(math.ceil(lead)), 1), width - 1)
            ring[(t + days) % width, lane, r] += x
    for b in range(n_b):
        for r in range(n_runs):
            stock[b, r] = max(stock[b, r], 0.0)
    return served, wanted


def _run(n_days, a_cap, a_trig, a_target, recipe, ratio, s_point, s_up,  # type: ignore[no-untyped-def]
         origin, buyer, share, low, cut, left, right, high, demand_buyer, rate, sd, lookup, first, count, th, u, z,
         out, stock, transit, ring, q, requested, fill):
    """A whole run (items x 1 arrays), every day: `_day` on one run with its own ring; returns (served, wanted)."""
    served = wanted = 0.0
    for t in range(n_days):
        s, w = _day(t, a_cap, a_trig, a_target, recipe, ratio, s_point, s_up, origin, buyer, share, low, cut, left,
                    right, high, demand_buyer, rate, sd, lookup, first, count, th, u[t], z[t], out, stock, transit,
                    ring, q, requested, fill)
        served += s
        wanted += w
    return served, wanted


def _loops():  # type: ignore[no-untyped-def]
    if not _compiled:
        import numba
        opts = {"cache": True, "nogil": True, "error_model": "numpy", "boundscheck": False}
        day = numba.njit(**opts)(_day)
        g = dict(_run.__globals__)
        g["_day"] = day
        import types
        run = types.FunctionType(_run.__code__, g, "_run")
        _compiled.update(day=day, run=numba.njit(**opts)(run))
    return _compiled


def floor_runs(a: dict, n_runs: int, order: str, chunk: int = 108, seed: int = 1, lookup: bool = False) -> float:
    """Simulate ``n_runs`` runs of the network arrays ``a`` in loop ``order``; returns the fill rate.

    ``lookup``: whole days from the lanes' thresholds of uniforms instead of the square root (the same days).
    """
    lookup = lookup and a["table"]
    loops = _loops()
    rng = np.random.default_rng(seed)
    n_l, n_days, n_b, n_f, n_d = len(a["origin"]), a["n_days"], len(a["s_up"]), len(a["capacity"]), len(a["rate"])
    params = (a["capacity"], a["trigger"], a["target"], a["recipe"], a["ratio"], a["s_point"], a["s_up"], a["origin"],
              a["buyer"], a["share"], a["low"], a["cut"], a["left"], a["right"], a["high"], a["demand_buyer"],
              a["rate"], a["sd"], lookup, a["first"], a["count"], a["th"])
    served = wanted = 0.0
    if order == "runs-outer":
        u = np.empty((n_days, n_l, 1))
        z = np.zeros((n_days, n_d, 1))
        ring = np.empty((len(a["ring0"]), n_l, 1))
        q, requested, fill = np.empty((n_b, 1)), np.empty((n_f, 1)), np.empty((n_f, 1))
        for _ in range(n_runs):
            rng.random(out=u)
            if a["sd"].any():
                z[...] = rng.standard_normal(z.shape)
            ring[...] = a["ring0"][:, :, None]
            out, transit = a["out0"][:, None].copy(), a["transit0"][:, None].copy()
            stock = np.append(a["stock0"], np.inf)[:, None].copy()
            s, w = loops["run"](n_days, *params, u, z, out, stock, transit, ring, q, requested, fill)
            served += s
            wanted += w
        return served / wanted
    for start in range(0, n_runs, chunk):
        r = min(chunk, n_runs - start)
        ring = np.repeat(a["ring0"][:, :, None], r, axis=2)
        out, transit = np.repeat(a["out0"][:, None], r, axis=1), np.repeat(a["transit0"][:, None], r, axis=1)
        stock = np.repeat(np.append(a["stock0"], np.inf)[:, None], r, axis=1)
        q, requested, fill = np.empty((n_b, r)), np.empty((n_f, r)), np.empty((n_f, r))
        u = np.empty((n_l, r))
        z = np.zeros((n_d, r))
        for t in range(n_days):
            rng.random(out=u)
            if a["sd"].any():
                z[...] = rng.standard_normal(z.shape)
            s, w = loops["day"](t, *params, u, z, out, stock, transit, ring, q, requested, fill)
            served += s
            wanted += w
    return served / wanted


def measure(n_runs: int, orders: tuple[str, ...], draws: tuple[str, ...] = ("sqrt",)) -> dict:
    """CPU seconds a run of the random-lead baseline takes in each loop order and draw (after a warm-up), and fill
    rates; the draws of an order alternate, twice each, and the least time counts."""
    from supplychain import load_baseline
    a = network_arrays(load_baseline(random_lead_times=True))
    out: dict = {"lanes": len(a["origin"]), "days": a["n_days"], "runs": n_runs}
    for order in orders:
        floor_runs(a, 2, order, chunk=2)  # compile (or load from the cache) and touch memory
        for _ in range(2 if len(draws) > 1 else 1):
            for draw in draws:
                key = order if draw == "sqrt" else f"{order}, lookup"
                cpu = time.process_time()
                fill = floor_runs(a, n_runs, order, lookup=draw == "lookup")
                per = (time.process_time() - cpu) / n_runs
                if key not in out or per < out[key]["cpu_per_run"]:
                    out[key] = {"cpu_per_run": per, "fill_rate": fill}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=216, metavar="N", help="runs timed in each order (default 216)")
    parser.add_argument("--order", choices=("runs-inner", "runs-outer", "both"), default="both")
    parser.add_argument("--draw", choices=("sqrt", "lookup", "both"), default="both",
                        help="whole days through the square root, from the thresholds of uniforms, or both")
    args = parser.parse_args()
    orders = ("runs-inner", "runs-outer") if args.order == "both" else (args.order,)
    draws = ("sqrt", "lookup") if args.draw == "both" else (args.draw,)
    m = measure(args.runs, orders, draws)
    print(json.dumps(m))
    for order in [k for k in m if isinstance(m[k], dict)]:
        ms = 1000 * m[order]["cpu_per_run"]
        print(f"{order:>10}: {ms:6.2f} ms of CPU a run ({m['lanes']} lanes x {m['days']} days); 10,000 runs "
              f"{ms * 10:6.1f} s of CPU = {ms * 5:6.1f} s on 2 cores; fill rate {m[order]['fill_rate']:.4f}")


if __name__ == "__main__":
    main()
