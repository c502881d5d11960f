"""10,000 runs of the baseline year with random lead times, metrics only: time, memory and linearity.

The target of issue 11: ``simulate(load_baseline(random_lead_times=True),
engine="vector", n_runs=10_000, keep="summary")`` (the metrics-only path: per-run
totals and daily percentile bands, no daily series) in under 30 s and 2 GB on
2 cores, with a cost linear in runs, facilities and horizon.

Each case runs in a fresh process with the default executor (two local worker
processes for an ensemble this size), so its peak memory is its own. Printed
per case: wall time, CPU time (the driver and its workers, user + system) and
peak resident memory (``ru_maxrss`` of the driver plus twice that of the
largest worker, since two run at once). Then, from the same run of this
script, the ratios that show linearity:

* runs: 10,000 against 2,500 runs of the baseline year (linear: 4);
* horizon: 365 against 182 days, 10,000 runs (linear: 365 / 182 = 2.01);
* facilities: the synthetic random-lead network of 300 against 100 facilities
  (:func:`synthetic.peer_scenario`), 500 runs each (linear: their ratio of
  lanes, the unit every rule passes over).

* shocked: README's quick-start ensemble (CN bans gallium and crude gallium
  exports from 2025-03-01 on the random-lead baseline, ``--shocked N`` runs,
  200 by default) against the same number of unshocked runs: runs per CPU
  second of each and their ratio. Once a buyer diverts, every day takes the
  re-sourcing path of :func:`supplychain.engines.sourcing.split_orders` and the
  patience tests, so a shocked run costs more than an unshocked one.

* floor (``--floor``, on by default; ``--no-floor`` skips it): what any engine
  here must pay for the same work, timed in one fresh process and scaled to
  the main case's runs (CPU seconds, halved for 2 cores): NumPy's generator
  alone making the uniforms of 365 x lanes lead times a run; the engine's own
  draw of those lead times as whole landing days (uniforms, the triangular
  transform and the rounding: `ItemSampler.landing_days`); and the minimal
  (s, S) kernel of ``bench_peers.py`` (recipes, capacity, orders split by
  share, pro-rata rationing, log-normal lead times into a ring; no order
  books, prices, summaries) on the baseline's own network flattened
  (:func:`synthetic.plain_network`, the lanes' triangular spreads as log-normal
  sds); with Numba, that kernel compiled (``floor_compiled.py``, runs innermost,
  the lanes' own triangular lead times drawn in the loop), once through the
  square root and once looking whole days up in the lanes' thresholds of
  uniforms (as the engine does for lanes without a lead-time shock). Against
  the target: what is left for everything else.

Ratios are given on CPU time, which other work on a shared machine disturbs
less than wall time (both are printed). ``--runs N`` scales every case
(N, N / 4 and N / 20 runs) for a quicker check.

Usage: ``python benchmarks/bench_ten_k.py [--runs 10000] [--skip-linearity] [--no-floor | --floor-only]``
(about 5 minutes of CPU on 2 cores with the defaults). With Numba installed
(``supplychain[fast]``) the vector engine uses its compiled loops
(:mod:`supplychain.engines.jit`; each case says so); ``SUPPLYCHAIN_JIT=off``
measures the NumPy code alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TARGET_SECONDS, TARGET_BYTES = 30.0, 2 * 2**30


def probe(case: str, n_runs: int, days: int) -> None:
    """Run one case in this (fresh) process and print its figures as JSON."""
    from supplychain import load_baseline, simulate
    from supplychain.engines import jit
    if case == "baseline":
        scenario = load_baseline(random_lead_times=True)
    elif case == "ban":
        scenario = quick_start_ban()
    else:
        from synthetic import peer_scenario
        scenario = peer_scenario(int(case))
    if days != scenario.horizon_days:
        scenario = scenario.with_horizon(days)
    start, cpu = time.perf_counter(), os.times()
    res = simulate(scenario, engine="vector", n_runs=n_runs, seed=1, keep="summary")
    seconds = time.perf_counter() - start
    end = os.times()
    # Workers have exited (and been waited for) when simulate returns, so their CPU time is in the children's.
    cpu_seconds = sum(end[i] - cpu[i] for i in range(4))
    kib = 1024  # ru_maxrss is in KiB on Linux
    print(json.dumps({
        "seconds": seconds, "cpu": cpu_seconds,
        "driver_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib,
        "worker_peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib,
        "facilities": len(scenario.network.facilities), "lanes": len(scenario.network.lanes),
        "days": scenario.horizon_days, "runs": n_runs, "fill_rate": float(res.fill_rate.mean()),
        "exact_bands": bool(res.bands_exact), "compiled_loops": jit.loaded()}))


def probe_floor(n_runs: int, sample: int) -> None:
    """Time the floor's three parts in this (fresh) process on ``sample`` runs; print them, scaled to ``n_runs``, as JSON."""
    import dataclasses

    import numpy as np
    from bench_peers import kernel_runs
    from synthetic import plain_network

    from supplychain import load_baseline
    from supplychain.compile.compiler import compile_scenario
    from supplychain.engines import jit
    from supplychain.engines.draws import run_seed_sequences
    from supplychain.engines.vector import _keep, draw_batch
    scenario = load_baseline(random_lead_times=True)
    c = compile_scenario(scenario)
    kernels = jit.kernels_for(10**12)
    seqs = run_seed_sequences(1, sample)
    # Warm-up, as the engine's later chunks: the loops loaded, the chunk's block of days touched and kept for reuse.
    _keep("days", draw_batch(c, seqs, arrival_days=True, kernels=kernels).arrival_days.base)
    per = {}
    gen = np.random.default_rng(1)
    u = np.empty((c.n_lanes, c.n_days))
    cpu = time.process_time()
    for _ in range(sample):
        gen.random(out=u)
    per["uniforms"] = time.process_time() - cpu
    cpu = time.process_time()
    draw_batch(c, seqs, arrival_days=True, kernels=kernels)
    per["draw"] = time.process_time() - cpu
    # The minimal kernel on the baseline's graph, its lanes' spread of lead times as log-normal sds (the kernel
    # draws every lane-run-day either way).
    def spread(d) -> float:  # type: ignore[no-untyped-def]
        if hasattr(d, "mode"):  # triangular: sqrt((a^2 + b^2 + c^2 - ab - ac - bc) / 18)
            a, b, m = d.low, d.high, d.mode
            return float(np.sqrt((a * a + b * b + m * m - a * b - a * m - b * m) / 18.0))
        return float(getattr(d, "sd", 0.0))
    sd = np.array([spread(lane.lead_time) for lane in scenario.network.lanes])
    net = dataclasses.replace(plain_network(scenario, c), lane_lead_sd=sd)
    kernel_runs(net, 8, 0, chunk=8)  # warm-up
    cpu = time.process_time()
    kernel_runs(net, sample, 1)
    per["kernel"] = time.process_time() - cpu
    if kernels is not None:
        # The same minimal kernel compiled (floor_compiled.py): the day's loops over lanes x runs, runs innermost.
        from floor_compiled import floor_runs, network_arrays
        arrays = network_arrays(scenario)
        floor_runs(arrays, 2, "runs-inner", chunk=2)  # compile or load, touch memory
        cpu = time.process_time()
        floor_runs(arrays, sample, "runs-inner")
        per["compiled_kernel"] = time.process_time() - cpu
        # The same with whole days looked up in the lanes' thresholds of uniforms (the engine's table).
        cpu = time.process_time()
        floor_runs(arrays, sample, "runs-inner", lookup=True)
        per["compiled_lookup"] = time.process_time() - cpu
    print(json.dumps({"lanes": c.n_lanes, "days": c.n_days, "sample": sample, "runs": n_runs,
                      "compiled_loops": kernels is not None,
                      **{k: v * n_runs / sample for k, v in per.items()}}))


def floor(n_runs: int, sample: int, engine_cpu: float | None) -> None:
    """Print the floor (see the module's text) for ``n_runs`` runs, measured on ``sample`` runs in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--probe-floor", str(n_runs), str(sample)],
                         capture_output=True, text=True, check=True)
    m: dict = json.loads(out.stdout.strip().splitlines()[-1])
    target_cpu = 2 * TARGET_SECONDS
    print(f"\nfloor: {n_runs:,} runs x {m['days']} days x {m['lanes']:,} lanes, CPU time in one process (measured on "
          f"{m['sample']} runs and scaled; 2 cores halve it; target {TARGET_SECONDS:.0f} s on 2 cores = "
          f"{target_cpu:.0f} s of CPU):")
    rows = (("NumPy's generator alone: the uniforms", m["uniforms"]),
            ("the engine's draw: lead times to whole landing days" + ("" if m["compiled_loops"] else " (NumPy)"),
             m["draw"]),
            ("minimal (s, S) kernel (bench_peers.py) on the baseline's lanes", m["kernel"]))
    if "compiled_kernel" in m:
        rows = (*rows, ("the same kernel compiled (floor_compiled.py), triangular lead times",
                        m["compiled_kernel"]))
    if "compiled_lookup" in m:
        rows = (*rows, ("the compiled kernel, whole days from thresholds of uniforms", m["compiled_lookup"]))
    for name, cpu in rows:
        print(f"  {name:>66}: {cpu:7.1f} s CPU = {cpu / 2:6.1f} s on 2 cores ({cpu / target_cpu:5.0%} of the target)")
    print(f"  {'left for everything else after the draw (target - draw)':>66}: {target_cpu - m['draw']:7.1f} s CPU")
    if engine_cpu is not None:
        print(f"  {'this engine, measured above':>66}: {engine_cpu:7.1f} s CPU = {engine_cpu / 2:6.1f} s on 2 cores "
              f"({engine_cpu / m['kernel']:.2f} x the minimal kernel)")


def quick_start_ban():  # type: ignore[no-untyped-def]
    """README's quick start: the random-lead baseline with CN's gallium export ban from 2025-03-01."""
    from supplychain import ExportControl, load_baseline
    ban = [ExportControl(exporter="CN", commodity=k, mode="ban", start="2025-03-01") for k in ("gallium", "gallium_crude")]
    return load_baseline(random_lead_times=True).with_shocks(*ban)


def run_case(case: str, n_runs: int, days: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--probe", case, str(n_runs), str(days)],
                         capture_output=True, text=True, check=True)
    m: dict = json.loads(out.stdout.strip().splitlines()[-1])
    # Two workers run at once: count the largest worker twice.
    m["peak"] = m["driver_peak"] + 2 * m["worker_peak"]
    print(f"  {case:>8} {m['facilities']:>5} facilities {m['lanes']:>5} lanes {m['days']:>4} days "
          f"{m['runs']:>6} runs: wall {m['seconds']:7.1f} s, CPU {m['cpu']:7.1f} s, peak "
          f"{m['peak'] / 2**20:6.0f} MiB (driver {m['driver_peak'] / 2**20:.0f} + 2 x worker "
          f"{m['worker_peak'] / 2**20:.0f}){', compiled loops' if m.get('compiled_loops') else ''}", flush=True)
    return m


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000, metavar="N",
                        help="runs of the main case (default 10,000, the target's); the linearity cases use "
                             "N / 4 runs (runs), N runs of 182 days (horizon) and N / 20 runs of the 100- and "
                             "300-facility networks (facilities); the verdicts against the target are printed "
                             "only for 10,000")
    parser.add_argument("--skip-linearity", action="store_true", help="only the main case")
    parser.add_argument("--shocked", type=int, default=200, metavar="N",
                        help="runs of the shocked comparison (README's quick-start ban against the unshocked "
                             "baseline; default 200; 0 skips it)")
    parser.add_argument("--shocked-only", action="store_true", help="only the shocked comparison")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor (the draw alone and the minimal kernel)")
    parser.add_argument("--floor-only", action="store_true", help="only the floor")
    parser.add_argument("--floor-sample", type=int, default=216, metavar="N",
                        help="runs the floor is measured on, then scaled (default 216)")
    parser.add_argument("--probe", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--probe-floor", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], int(args.probe[1]), int(args.probe[2]))
        return
    if args.probe_floor:
        probe_floor(int(args.probe_floor[0]), int(args.probe_floor[1]))
        return
    print(f"machine: {platform.processor() or platform.machine()}, nproc {os.cpu_count()}, Python "
          f"{platform.python_version()}; load average at start {os.getloadavg()[0]:.1f}")
    n = args.runs
    print("cases (each in a fresh process, default executor):")
    if args.shocked_only:
        shocked(args.shocked)
        return
    if args.floor_only:
        floor(n, args.floor_sample, None)
        return
    full = run_case("baseline", n, 365)
    def verdict(met: bool) -> str:
        return ("met" if met else "not met") if n == 10_000 else "for 10,000 runs"
    print(f"\n{n:,} runs x the baseline year with random lead times, keep='summary':")
    print(f"  wall {full['seconds']:.1f} s (target < {TARGET_SECONDS:.0f} s: {verdict(full['seconds'] < TARGET_SECONDS)}); "
          f"CPU {full['cpu']:.1f} s = {full['cpu'] / 2:.1f} s on 2 busy cores; "
          f"peak {full['peak'] / 2**20:.0f} MiB (target < {TARGET_BYTES / 2**20:.0f} MiB: "
          f"{verdict(full['peak'] < TARGET_BYTES)})")
    if not args.no_floor:
        floor(n, args.floor_sample, full["cpu"])
    if args.shocked:
        shocked(args.shocked)
    if args.skip_linearity:
        return
    quarter = run_case("baseline", n // 4, 365)
    half = run_case("baseline", n, 182)
    small = run_case("100", max(n // 20, 2), 365)
    large = run_case("300", max(n // 20, 2), 365)
    print("\nlinearity, CPU time (wall time) ratios; linear = the ratio of the work:")
    print(f"  runs {n:,} / {n // 4:,}: {full['cpu'] / quarter['cpu']:.2f} ({full['seconds'] / quarter['seconds']:.2f});"
          f" linear {n / (n // 4):.2f}")
    print(f"  horizon 365 / 182 days: {full['cpu'] / half['cpu']:.2f} ({full['seconds'] / half['seconds']:.2f});"
          f" linear {365 / 182:.2f}")
    print(f"  facilities 300 / 100 ({large['lanes']} / {small['lanes']} lanes): {large['cpu'] / small['cpu']:.2f} "
          f"({large['seconds'] / small['seconds']:.2f}); linear in lanes {large['lanes'] / small['lanes']:.2f}, "
          f"in facilities {large['facilities'] / small['facilities']:.2f}")


def shocked(n_runs: int) -> None:
    """Print runs per CPU second of the quick-start ban and of the unshocked baseline, and their ratio."""
    plain = run_case("baseline", n_runs, 365)
    ban = run_case("ban", n_runs, 365)
    print(f"\nshocked ensemble, {n_runs:,} runs, keep='summary' (runs per CPU second; per wall second):")
    for name, m in (("unshocked baseline", plain), ("quick-start gallium ban", ban)):
        print(f"  {name:>24}: {n_runs / m['cpu']:6.2f} runs/s ({n_runs / m['seconds']:6.2f})")
    print(f"  shocked / unshocked CPU per run: {ban['cpu'] / plain['cpu']:.2f} "
          f"(wall {ban['seconds'] / plain['seconds']:.2f})")


if __name__ == "__main__":
    main()
