"""Speed and memory of the vectorised engine against the SimPy engine, in scenario-facility-days/s.

One scenario-facility-day is one facility simulated for one day in one run,
so a rate is ``n_runs * n_days * n_facilities / seconds``. Prints, from one
run on this machine (ratios are between figures measured in this run):

* the baseline year at 1, 100, 1,000 and 10,000 runs on the vector engine,
  in-process (one core) and with the default executor (two local processes
  for large ensembles), against the SimPy engine at 1 and 20 runs
  (targets: >= 100 x SimPy and >= 5 million facility-days/s at 1,000 runs);
* the same with random lead times (``load_baseline(random_lead_times=True)``,
  the Monte Carlo use case), where the SimPy engine has an event per shipment;
* 10,000 runs of the baseline year with random lead times, metrics only
  (``keep="summary"``), in a fresh process with the default executor (two
  local worker processes): wall time, CPU time and peak memory (targets of
  issue 11: < 30 s, < 2 GB on 2 cores); ``--ten-k`` runs only this
  (``bench_ten_k.py`` also checks that the cost is linear);
* scaling with the number of facilities (synthetic networks of 100 to 5,000
  facilities), with the horizon and with the chunk size.

Usage: ``python benchmarks/bench_vector.py [--quick] [--repeat N]``. Timings
are the best of N repeats because this 2-core machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from concurrent.futures import Executor, Future
from typing import Any

from supplychain import load_baseline, simulate
from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.model import Scenario

SPEEDUP_TARGET = 100.0
RATE_TARGET = 5e6


class Inline(Executor):
    """Runs each task at once in this process: the one-core reference."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def best_seconds(scenario: Scenario, *, engine: str, n_runs: int, repeat: int, **kwargs: Any) -> float:
    """Best wall time of ``repeat`` simulations, keeping summaries only."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        simulate(scenario, engine=engine, n_runs=n_runs, seed=1, keep="summary", **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def rate(scenario: Scenario, n_runs: int, seconds: float) -> float:
    return n_runs * scenario.horizon_days * len(scenario.network.facilities) / seconds


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, nproc {os.cpu_count()}, Python {platform.python_version()}"


def engines_on_baseline(baseline: Scenario, runs: list[int], repeat: int) -> None:
    print(f"\nbaseline year ({len(baseline.network.facilities)} facilities, {len(baseline.network.lanes)} lanes),"
          " keep='summary'; rates in million facility-days/s")
    des_rates = []
    for n in (1, 20):
        s = best_seconds(baseline, engine="des", n_runs=n, repeat=repeat if n == 1 else 1, executor=Inline())
        des_rates.append(rate(baseline, n, s))
        print(f"  des     {n:>6} runs, 1 core : {s:8.2f} s  {des_rates[-1] / 1e6:7.3f}")
    des = max(des_rates)
    print(f"  des per-run rate used below: {des / 1e6:.3f} M/s")
    for n in runs:
        reps = repeat if n <= 1000 else 1
        one = best_seconds(baseline, engine="vector", n_runs=n, repeat=reps, executor=Inline())
        default = best_seconds(baseline, engine="vector", n_runs=n, repeat=reps)
        r1, rd = rate(baseline, n, one), rate(baseline, n, default)
        print(f"  vector  {n:>6} runs, 1 core : {one:8.2f} s  {r1 / 1e6:7.3f}  = {r1 / des:6.1f} x des")
        print(f"  vector  {n:>6} runs, default: {default:8.2f} s  {rd / 1e6:7.3f}  = {rd / des:6.1f} x des")
        if n == 1000:
            print(f"  -> at 1,000 runs: {rd / des:.0f} x des (target {SPEEDUP_TARGET:.0f}), "
                  f"{rd / 1e6:.2f} M facility-days/s (target {RATE_TARGET / 1e6:.0f})")


def random_leads(repeat: int) -> None:
    scenario = load_baseline(random_lead_times=True)
    print("\nbaseline year with random (triangular) lead times, keep='summary' (M facility-days/s)")
    des_s = best_seconds(scenario, engine="des", n_runs=2, repeat=1, executor=Inline())
    des = rate(scenario, 2, des_s)
    print(f"  des          2 runs, 1 core : {des_s:8.2f} s  {des / 1e6:7.3f}")
    for n in (100, 1000):
        s = best_seconds(scenario, engine="vector", n_runs=n, repeat=repeat)
        r = rate(scenario, n, s)
        print(f"  vector  {n:>6} runs, default: {s:8.2f} s  {r / 1e6:7.3f}  = {r / des:6.1f} x des")


def ten_thousand_runs() -> None:
    """The 10,000-run target of :mod:`bench_ten_k` (its main case only; run that script for linearity)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_ten_k import run_case
    print("\n10,000 runs of the baseline year with random lead times, keep='summary' (bench_ten_k.py)")
    run_case("baseline", 10_000, 365)


def facility_scaling(sizes: list[int], repeat: int) -> None:
    print("\nsynthetic networks, 90 days, 64 runs, 1 core (M facility-days/s)")
    for n in sizes:
        scenario = synthetic_scenario(n, seed=1, horizon_days=90)
        s = best_seconds(scenario, engine="vector", n_runs=64, repeat=repeat if n <= 1000 else 1, executor=Inline())
        print(f"  {n:>5} facilities, {len(scenario.network.lanes):>6} lanes: {s:7.2f} s  "
              f"{rate(scenario, 64, s) / 1e6:6.2f}")


def horizon_and_chunks(baseline: Scenario, repeat: int) -> None:
    print("\nhorizon scaling, baseline, 256 runs, 1 core (time relative to 90 days; linear = 2, 4, 8)")
    base = best_seconds(baseline.with_horizon(90), engine="vector", n_runs=256, repeat=repeat, executor=Inline())
    for days in (180, 360, 720):
        s = best_seconds(baseline.with_horizon(days), engine="vector", n_runs=256, repeat=repeat, executor=Inline())
        print(f"  {days:>4} days: {s / base:.2f}")
    print("\nchunk size, baseline year, 512 runs, 1 core (M facility-days/s)")
    for size in (16, 64, 128, 256, 512):
        s = best_seconds(baseline, engine="vector", n_runs=512, repeat=repeat, executor=Inline(), chunk_size=size)
        print(f"  chunk {size:>4}: {rate(baseline, 512, s) / 1e6:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="smaller ensembles and networks")
    parser.add_argument("--ten-k", action="store_true", help="only the 10,000-run check")
    args = parser.parse_args()
    if args.ten_k:
        print(f"machine: {machine()}")
        ten_thousand_runs()
        return
    print(f"machine: {machine()}")
    baseline = load_baseline()
    engines_on_baseline(baseline, [1, 100, 1000] if args.quick else [1, 100, 1000, 10_000], args.repeat)
    random_leads(args.repeat)
    if not args.quick:
        ten_thousand_runs()
    facility_scaling([100, 500, 1000] if args.quick else [100, 500, 1000, 2000, 5000], args.repeat)
    horizon_and_chunks(baseline, args.repeat)


if __name__ == "__main__":
    main()
