"""Speed of the SimPy discrete-event engine, in simulated facility-days per second.

Prints, from one run on this machine:

* the rate on the built-in baseline over one year (target: >= 150,000 facility-days/s;
  a comparable SimPy-based supply-chain library manages about 45,000 here), with fixed lead
  times and with random ones (then every shipment is its own event);
* the rate on synthetic networks of 10, 100 and 1,000 facilities;
* how run time grows with the horizon (total time and marginal cost per simulated day).

Usage: ``python benchmarks/bench_des.py [--repeat N]``. Timings are the best of N repeats
because this 2-core machine is noisy; the figures are ratios measured in one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from supplychain import load_baseline, simulate
from supplychain.datasets.synthetic import synthetic_network
from supplychain.model import Scenario

TARGET = 150_000.0
REFERENCE_LIBRARY = 45_000.0


def best_time(scenario: Scenario, repeat: int) -> float:
    """Best wall time of ``repeat`` DES runs (after one warm-up run)."""
    simulate(scenario.with_horizon(min(10, scenario.horizon_days)), engine="des", seed=0)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        simulate(scenario, engine="des", seed=0)
        times.append(time.perf_counter() - start)
    return min(times)


def rate(scenario: Scenario, repeat: int) -> tuple[float, float]:
    """(seconds, facility-days per second) of one DES run."""
    seconds = best_time(scenario, repeat)
    return seconds, len(scenario.network.facilities) * scenario.horizon_days / seconds


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")

    baseline = load_baseline(horizon_days=365)
    seconds, fds = rate(baseline, args.repeat)
    print(f"\nbaseline ({len(baseline.network.facilities)} facilities, {len(baseline.network.lanes)} lanes, 365 days)")
    print(f"  {seconds:.3f} s per run, {fds:,.0f} facility-days/s = {fds / TARGET:.2f} x target, "
          f"{fds / REFERENCE_LIBRARY:.1f} x the reference SimPy library")

    noisy = load_baseline(horizon_days=365, random_lead_times=True)
    seconds, fds = rate(noisy, 1)
    print(f"  random lead times: {seconds:.3f} s per run, {fds:,.0f} facility-days/s "
          f"(one SimPy event per shipment)")

    print("\nsynthetic networks (365 days)")
    for n in (10, 100, 1000):
        net = synthetic_network(n, seed=1)
        s, f = rate(Scenario(net, horizon_days=365), args.repeat if n < 1000 else 1)
        print(f"  {n:>5} facilities, {len(net.lanes):>5} lanes: {s:7.3f} s, {f:,.0f} facility-days/s")

    print("\nhorizon scaling on the baseline (a fixed compile cost plus a cost per day: linear if the")
    print("marginal cost per day stays flat)")
    previous = (90, best_time(baseline.with_horizon(90), args.repeat))
    print(f"  {previous[0]:>4} days: {previous[1]:.3f} s")
    for days in (180, 360, 720):
        t = best_time(baseline.with_horizon(days), args.repeat)
        marginal = (t - previous[1]) / (days - previous[0]) * 1e3
        print(f"  {days:>4} days: {t:.3f} s, {marginal:.3f} ms per extra day")
        previous = (days, t)

if __name__ == "__main__":
    main()
