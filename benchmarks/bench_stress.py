"""Speed of the LP stress test: time-to-survive and performance impact of every knockout.

Prints, measured in one run on this machine:

* the built-in baseline and the 1,000-facility synthetic network (the peer benchmark's:
  ``synthetic_network(1000, seed=1, stochastic=True)``, 1,215 knockouts of single facilities,
  region-stages and exporter-commodities): the wall time of ``stress_test(network, method="lp")``
  (default 90-day knockouts and TTR) and of the full LP that it used to solve for every knockout,
  with the ratio of the 1,000-facility time to the 60 s target on 2 cores;
* that the two give the same time-to-survive and performance impact for every knockout, to the
  solver's tolerance (relative 1e-6).

Usage: ``python benchmarks/bench_stress.py [--facilities N] [--no-check]``. The full LP on the
1,000-facility network takes 5-10 minutes (on both cores); ``--no-check`` skips it there (the
baseline is always checked). Wall times depend on the machine's load, so the load average is
printed with the CPU time (of this process and its workers): on 2 idle cores the wall time is
about half of it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np
import pandas as pd

from supplychain import load_baseline
from supplychain.analytics import build_lp, risk_exposure, stress_test
from supplychain.analytics.stress import DEFAULT_DURATION_DAYS, disruption_scenarios
from supplychain.datasets.synthetic import synthetic_network
from supplychain.model import Network

TARGET_S = 60.0


def mismatches(fast: pd.DataFrame, full: pd.DataFrame) -> int:
    """Knockouts whose TTS or PI differ between the two solvers (beyond a relative 1e-6)."""
    bad = np.zeros(len(fast), dtype=bool)
    for col in ("tts_days", "pi_usd"):
        a, b = fast[col].to_numpy(float), full.loc[fast.index, col].to_numpy(float)
        bad |= ~((np.isinf(a) & np.isinf(b)) | np.isclose(a, b, rtol=1e-6, atol=1e-6))
    return int(bad.sum())


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    mine, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def timed(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201 (a benchmark helper)
    """``fn(*args, **kwargs)``, its wall time and its CPU time (workers included) in seconds."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - wall, cpu_seconds() - cpu


def measure(name: str, network: Network, check: bool, full_processes: bool) -> tuple[float, float]:
    """Time the stress test's LPs on ``network``, compare with the full LP, print both; return the new times."""
    n_scen = len(disruption_scenarios(network))
    print(f"\n{name}: {len(network.facilities):,} facilities, {len(network.lanes):,} lanes, {n_scen:,} knockouts")
    fast, seconds, cpu = timed(stress_test, network, method="lp")
    finite = int(np.isfinite(fast["tts_days"]).sum())
    print(f"  now:    {seconds:8.2f} s wall, {cpu:7.1f} s CPU; per LP {fast['tts_ms'].mean():.1f} ms (TTS) and "
          f"{fast['pi_ms'].mean():.2f} ms (PI); {finite} knockouts with a finite TTS, "
          f"{int(fast['vulnerable'].sum())} vulnerable")
    if not check:
        print("  before: not measured (--no-check)")
        return seconds, cpu
    full, before, before_cpu = timed(lambda: risk_exposure(build_lp(network), dict(fast["facilities"]),
                                                           float(DEFAULT_DURATION_DAYS), solver="full",
                                                           processes=full_processes))
    where = "2 processes" if full_processes else "1 core"
    print(f"  before: {before:8.2f} s wall, {before_cpu:7.1f} s CPU on {where} (the full LP for every knockout): "
          f"{before / seconds:.1f} x the wall time now, {before_cpu / cpu:.1f} x the CPU time")
    bad = mismatches(fast, full)
    print(f"  same TTS and PI as the full LP: {len(fast) - bad:,} of {len(fast):,} knockouts"
          + ("" if bad == 0 else f"  <-- {bad} DIFFER"))
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=1000, help="size of the synthetic network (default 1000)")
    parser.add_argument("--no-check", action="store_true", help="skip the full LP on the synthetic network")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    measure("baseline", load_baseline().network, check=True, full_processes=False)
    big = synthetic_network(args.facilities, seed=1, stochastic=True)
    seconds, cpu = measure("synthetic", big, check=not args.no_check, full_processes=True)
    print(f"\n{args.facilities:,}-facility stress test: {seconds:.1f} s wall = {seconds / TARGET_S:.2f} x the "
          f"{TARGET_S:.0f} s target (below 1 meets it); {cpu:.1f} s of CPU, i.e. {cpu / 2:.1f} s on 2 idle cores "
          f"= {cpu / 2 / TARGET_S:.2f} x the target; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
