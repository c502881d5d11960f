"""Peak memory of ``simulate`` on the baseline year: ``keep="summary"`` against ``keep="series"``.

Each case runs in a fresh process and reports two figures:

* ``traced``: the peak of memory allocated by Python and NumPy while
  ``simulate`` runs (``tracemalloc``), i.e. what the simulation itself holds;
* ``rss``: the process's peak resident memory (``ru_maxrss``) minus what it
  held after importing the library and loading the scenario.

With ``keep="summary"`` neither engine should hold daily series ``(runs, days,
items)``: its peak should stay far below ``keep="series"`` and grow only
slowly with the number of runs. The printed ratios (summary / series) and the
bytes per run come from one run on this machine.

Usage: ``python benchmarks/bench_memory.py [--runs N] [--vector-runs M]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

CASE = textwrap.dedent("""
    import json, resource, sys, tracemalloc
    from concurrent.futures import Executor, Future
    from supplychain import load_baseline, simulate

    class Inline(Executor):  # every chunk in this process, so its peak is what one process holds
        def submit(self, fn, /, *args, **kwargs):
            future = Future()
            future.set_result(fn(*args, **kwargs))
            return future

    engine, keep, n_runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # The SimPy engine's default is one chunk of every run (run inline here, not on worker processes);
    # the vector engine's, chunks of ~128 runs run in-process one at a time (below the size at which
    # the default executor would use worker processes).
    executor, chunk_size = (Inline(), n_runs) if engine == "des" else (None, None)
    scenario = load_baseline()
    simulate(scenario.with_horizon(5), engine=engine, seed=0)  # warm up imports and caches
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    simulate(scenario, engine=engine, n_runs=n_runs, seed=1, keep=keep, executor=executor, chunk_size=chunk_size)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"traced": traced, "rss": (after - before) * 1024}))
""")


def measure(engine: str, keep: str, n_runs: int) -> dict[str, float]:
    """Run one case in a fresh process (chunks run inline, so one process holds everything)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", CASE, engine, keep, str(n_runs)], capture_output=True,
                         text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def mib(n: float) -> str:
    return f"{n / 2**20:9.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of the SimPy engine (default 40)")
    parser.add_argument("--vector-runs", type=int, default=200, help="runs of the vector engine (default 200)")
    args = parser.parse_args()
    print(f"baseline year (365 days); Python {sys.version.split()[0]}")
    for engine, n_runs in (("des", args.runs), ("vector", args.vector_runs)):
        series = measure(engine, "series", n_runs)
        summary = measure(engine, "summary", n_runs)
        print(f"\n{engine}, {n_runs} runs")
        for name in ("traced", "rss"):
            ratio = summary[name] / series[name] if series[name] else float("nan")
            print(f"  {name:6s}: series {mib(series[name])} ({series[name] / n_runs / 2**20:6.2f} MiB/run), "
                  f"summary {mib(summary[name])} ({summary[name] / n_runs / 2**20:6.3f} MiB/run), "
                  f"summary/series = {ratio:.3f}")


if __name__ == "__main__":
    main()
