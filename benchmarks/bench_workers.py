"""How long the default executor's worker processes wait for work: are both cores used?

Runs ``simulate(load_baseline(random_lead_times=True), engine="vector",
n_runs=N, keep="summary")`` on the default executor (two local worker
processes for an ensemble this size) with the pool's worker loop
(:func:`supplychain.run.pool._work`) replaced by a timed copy, and prints per
worker the seconds spent running tasks and waiting between them (for the next
task, and at the end for the other worker to finish), with the ensemble's wall
time and the driver's CPU time. Waiting is time a core could have worked.

Usage: ``python benchmarks/bench_workers.py [--runs 1000]``; run it with another
tree first on ``PYTHONPATH`` to compare (the copy fits both protocols: with or
without :class:`supplychain.run.pool.Once`).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    args = parser.parse_args()
    import supplychain.run.pool as pool
    from supplychain import load_baseline, simulate
    log = tempfile.mkdtemp(prefix="bench_workers_")
    resolve = getattr(pool, "_resolve", None)

    def timed_work(conn, parent_end) -> None:  # type: ignore[no-untyped-def]
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        parent_end.close()
        held: list = [None, None]
        idle = busy = 0.0
        started = False
        last = time.perf_counter()
        while True:
            try:
                task = conn.recv()
            except EOFError:
                break
            now = time.perf_counter()
            if started:
                idle += now - last
            started = True
            if task is None:
                break
            fn, task_args = task
            if resolve is not None:
                task_args = resolve(task_args, held)
            reply = (True, fn(*task_args))
            busy += time.perf_counter() - now
            conn.send(reply)
            last = time.perf_counter()
        with open(os.path.join(log, str(os.getpid())), "w") as f:
            json.dump({"idle": idle, "busy": busy}, f)

    pool._work = timed_work  # forked workers run the timed copy
    scenario = load_baseline(random_lead_times=True)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    simulate(scenario, engine="vector", n_runs=args.runs, seed=1, keep="summary")
    wall = time.perf_counter() - start
    time.sleep(3)  # the workers write their figures as they exit
    rows = [json.load(open(os.path.join(log, name))) for name in sorted(os.listdir(log))]
    idle = sum(r["idle"] for r in rows)
    print(f"{args.runs} runs: wall {wall:.1f} s, driver CPU {time.process_time():.1f} s, load {load:.1f} at the start")
    for i, r in enumerate(rows):
        print(f"  worker {i + 1}: running tasks {r['busy']:.1f} s, waiting between them {r['idle']:.2f} s")
    print(f"  waiting: {idle:.2f} s of {len(rows)} x {wall:.1f} s ({100 * idle / (len(rows) * wall):.1f} %)")


if __name__ == "__main__":
    main()
