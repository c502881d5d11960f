"""What a lane-day of the vector engine costs, and where: nanoseconds per lane-run-day by stage.

One chunk of the engine's default size (``SPEED_ELEMENTS`` lane-runs: 111 runs
of the random-lead baseline's 1,433 lanes), keep="summary" as the 10,000-run
ensemble runs it, with the compiled loops when Numba is installed. Each stage
of the day (`.vector.simulate_runs`: the ring's arrivals, prices, production,
demand, orders, licences, shipping with the ring's scatter, the summary's
sink) and of the draw (`.vector.draw_batch`) is timed by wrapping the module
function the engine calls (the process's CPU time before and after each
call: ~1 us, 365 calls a stage); the design-specific stocks' functions
(`.designs`) are timed inside the stages that call them and shown apart. CPU
time, not wall time, so that other work on a shared machine disturbs it less;
each stage's figure is its least over ``--repeat`` chunks.

Usage: ``python benchmarks/lane_day_costs.py [--runs 111] [--repeat 3] [--data-dir DIR]`` (``DIR``: baseline
files written by ``python -m tools.baseline DIR``, to compare a generator change before it ships).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from functools import wraps

import numpy as np

from supplychain import load_baseline
from supplychain.compile.compiler import compile_scenario
from supplychain.engines import designs, kernel, licences, prices, vector
from supplychain.engines.draws import run_seed_sequences
from supplychain.engines.summary import SummarySink

TIMES: dict[str, float] = defaultdict(float)


def _wrap(module, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
    fn = getattr(module, name)

    @wraps(fn)
    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[label] += time.process_time() - t
    setattr(module, name, timed)


def instrument() -> None:
    """Wrap the engine's stages and the design accounts' functions (their time also counts in their stage)."""
    for name, label in (("arrive", "arrive"), ("produce", "produce"), ("serve_demand", "serve demand"),
                        ("place_orders", "place orders"), ("ship", "ship + ring scatter")):
        _wrap(kernel, name, label)
    _wrap(vector._Ring, "take_arriving", "ring take (arrivals)")
    _wrap(vector._Ring, "put", "ring put (non-fused)")
    _wrap(prices, "apply", "prices + day inputs")
    _wrap(licences, "apply", "licences")
    _wrap(SummarySink, "put", "summary sink")
    _wrap(vector, "draw_batch", "draw (all inputs)")
    _wrap(vector, "draw_landing_days", "draw: landing days")
    for name in ("shares", "credit", "usable", "debit", "settle", "scale_to"):
        _wrap(designs, name, "designs." + name)


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=111)
    parser.add_argument("--repeat", type=int, default=3, help="timed chunks (the best total is shown)")
    parser.add_argument("--data-dir", default=None, help="baseline data files to time (default: the shipped ones)")
    args = parser.parse_args()
    c = compile_scenario(load_baseline(random_lead_times=True, data_dir=args.data_dir))
    instrument()
    seqs = run_seed_sequences(1, args.runs)
    vector.run_vector(c, seqs[:8], keep="summary", work=10**12)  # compile/load loops, warm caches
    best: dict[str, float] = {}
    best_total = best_wall = np.inf
    for _ in range(args.repeat):
        TIMES.clear()
        t0, cpu0 = time.perf_counter(), time.process_time()
        vector.run_vector(c, seqs, keep="summary", work=10**12)
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_total = min(best_total, time.process_time() - cpu0)
        for k, v in TIMES.items():
            best[k] = min(best.get(k, np.inf), v)
    unit = c.n_lanes * args.runs * c.n_days
    print(f"{args.runs} runs x {c.n_days} days x {c.n_lanes} lanes = {unit / 1e6:.1f} M lane-run-days; "
          f"chunk {best_total:.2f} s CPU ({best_wall:.2f} s wall) = {best_total / args.runs * 1e3:.1f} ms CPU a run, "
          f"{best_total / unit * 1e9:.2f} ns CPU a lane-run-day (least of {args.repeat})")
    counted = sum(v for k, v in best.items() if not k.startswith(("designs.", "draw: ")))
    rows = sorted(best.items(), key=lambda kv: -kv[1])
    for k, v in rows:
        print(f"  {k:>26}: {v:6.3f} s  {v / unit * 1e9:6.2f} ns/lane-run-day  {v / best_total:5.1%}")
    print(f"  {'rest (loop, sinks, checks)':>26}: {best_total - counted:6.3f} s  "
          f"{(best_total - counted) / unit * 1e9:6.2f} ns/lane-run-day  {(best_total - counted) / best_total:5.1%}")


if __name__ == "__main__":
    main()
