"""Before/after timing of two source trees in interleaved pairs: a speed-up measured on a shared machine.

Runs the same work (by default 1,000 runs of the baseline year with random lead
times, ``keep="summary"``, in one process with the default chunks) alternately
with each tree first on ``sys.path``, each time in a fresh process, ``--pairs``
times, the order within a pair alternating (A B, B A, A B, ...). Each process
runs one warm-up chunk first (loading the compiled loops, first-touch memory),
then times the work. Prints every measurement (CPU time of the process, wall
time, ms of CPU per run) and, per pair, the ratio of the reference's CPU time
to this tree's, then the median ratio: load that changes during the run moves
both members of a pair alike, so the ratios are steadier than the times.

Usage::

    git archive <commit> | tar -x -C /tmp/ref      # the reference tree
    python benchmarks/bench_pairs.py /tmp/ref                 # 1,000 runs, 3 pairs
    python benchmarks/bench_pairs.py /tmp/ref --runs 300 --pairs 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
THIS_TREE = os.path.dirname(HERE)


def probe(n_runs: int, scenario: str) -> None:
    """Time ``n_runs`` runs in this process (after a warm-up chunk) and print the figures as JSON."""
    from supplychain import load_baseline
    from supplychain.compile.compiler import compile_scenario
    from supplychain.engines import jit
    from supplychain.engines.draws import run_seed_sequences
    from supplychain.engines.vector import release_buffers, run_vector
    from supplychain.run.chunks import default_chunk_size, ensemble_work
    if scenario == "baseline":
        s = load_baseline(random_lead_times=True)
    else:
        sys.path.insert(0, HERE)
        from synthetic import peer_scenario
        s = peer_scenario(int(scenario))
    c = compile_scenario(s)
    size = default_chunk_size(c, n_runs, "vector", "summary")
    work = ensemble_work(c, n_runs)
    seqs = run_seed_sequences(1, n_runs + size)
    run_vector(c, seqs[n_runs:], keep="summary", work=work)  # warm-up: loops loaded, buffers touched
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(0, n_runs, size):
        run_vector(c, seqs[i:i + size], keep="summary", work=work)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    release_buffers()
    print(json.dumps({"cpu": cpu, "wall": wall, "chunk": size, "compiled_loops": jit.loaded()}))


def _measure(tree: str, n_runs: int, scenario: str) -> dict:
    env = dict(os.environ, PYTHONPATH=tree)
    out = subprocess.run([sys.executable, __file__, "--probe", str(n_runs), scenario], env=env, cwd=tree,
                         capture_output=True, text=True, check=True)
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", help="the tree before (e.g. an unpacked `git archive main`)")
    parser.add_argument("--tree", default=THIS_TREE, help="the tree after (default: this one)")
    parser.add_argument("--runs", type=int, default=1000, help="runs timed per measurement")
    parser.add_argument("--pairs", type=int, default=3, help="before/after pairs")
    parser.add_argument("--scenario", default="baseline",
                        help="'baseline' (random lead times) or a peer network's size, e.g. 100")
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(int(args.probe[0]), args.probe[1])
        return
    if not args.reference:
        parser.error("the reference tree is required")
    trees = {"before": os.path.abspath(args.reference), "after": os.path.abspath(args.tree)}
    print(f"{args.runs} runs of {args.scenario} per measurement, {args.pairs} pairs; load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    ratios = []
    for p in range(args.pairs):
        order = ("before", "after") if p % 2 == 0 else ("after", "before")
        got = {}
        for name in order:
            m = got[name] = _measure(trees[name], args.runs, args.scenario)
            print(f"pair {p + 1} {name:6s}: CPU {m['cpu']:7.2f} s, wall {m['wall']:7.2f} s, "
                  f"{1e3 * m['cpu'] / args.runs:6.2f} ms CPU a run (chunks of {m['chunk']}, compiled loops "
                  f"{m['compiled_loops']}), load {os.getloadavg()[0]:.1f}", flush=True)
        ratios.append((got["before"]["cpu"] / got["after"]["cpu"], got["before"]["wall"] / got["after"]["wall"]))
        print(f"pair {p + 1} before / after: CPU {ratios[-1][0]:.3f}, wall {ratios[-1][1]:.3f}", flush=True)
    print(f"median before / after: CPU {statistics.median(r[0] for r in ratios):.3f}, "
          f"wall {statistics.median(r[1] for r in ratios):.3f}")


if __name__ == "__main__":
    main()
