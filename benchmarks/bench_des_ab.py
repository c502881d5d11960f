"""CPU time of one SimPy-engine run in two source trees, interleaved: is a change to the DES faster?

Times `run_des` alone (the scenario compiled once, outside the timing) on the built-in baseline,
deterministic and with random lead times, for each tree in its own fresh process, alternating
the trees round after round so that both see the same load on this shared 2-core machine. CPU
time of the process (``time.process_time``), not wall time: other work on the machine inflates
wall time far more than CPU time. Prints each round and the median of the rounds' best-of-N.

Usage::

    git archive main | tar -x -C /tmp/ref            # the reference tree
    python benchmarks/bench_des_ab.py /tmp/ref        # against this tree
    python benchmarks/bench_des_ab.py /tmp/ref --days 365 --rounds 5 --repeat 2

Check that the results are the same with ``benchmarks/check_identical.py`` first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
THIS_TREE = os.path.dirname(HERE)


def probe(days: int, repeat: int) -> None:
    """Print ``det rnd``: the best CPU seconds of ``repeat`` runs each (after a warm-up run)."""
    import time

    from supplychain import load_baseline
    from supplychain.compile.compiler import compile_scenario
    from supplychain.engines.des import run_des
    from supplychain.engines.draws import run_seed_sequences

    best = []
    for random_leads in (False, True):
        c = compile_scenario(load_baseline(horizon_days=days, random_lead_times=random_leads))
        seqs = run_seed_sequences(0, 1)
        run_des(c, seqs)
        times = []
        for _ in range(repeat):
            start = time.process_time()
            run_des(c, seqs)
            times.append(time.process_time() - start)
        best.append(min(times))
    print(*best)


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", help="the other source tree (e.g. an unpacked `git archive main`)")
    parser.add_argument("--tree", default=THIS_TREE, help="the tree measured against it (default: this one)")
    parser.add_argument("--days", type=int, default=120, help="horizon of the baseline runs")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two trees")
    parser.add_argument("--repeat", type=int, default=2, help="runs per tree and round (the best counts)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.days, args.repeat)
        return
    if not args.reference:
        parser.error("the reference tree is required")
    trees = {"reference": os.path.abspath(args.reference), "this tree": os.path.abspath(args.tree)}
    seen: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name, tree in trees.items():
            out = subprocess.run([sys.executable, __file__, "--probe", "--days", str(args.days), "--repeat",
                                  str(args.repeat)], env=dict(os.environ, PYTHONPATH=tree), cwd=tree,
                                 check=True, capture_output=True, text=True).stdout.split()
            det, rnd = float(out[0]), float(out[1])
            seen[name].append((det, rnd))
            print(f"round {r + 1} {name:>9}: deterministic {det * 1e3:6.0f} ms, random lead times {rnd * 1e3:6.0f} ms",
                  flush=True)
    med = {name: [statistics.median(x[i] for x in runs) for i in range(2)] for name, runs in seen.items()}
    print(f"\nbaseline, {args.days} days, median of {args.rounds} rounds (ms CPU per run):")
    for i, kind in enumerate(("deterministic", "random lead times")):
        ref, new = med["reference"][i], med["this tree"][i]
        print(f"  {kind:>17}: {ref * 1e3:6.0f} -> {new * 1e3:6.0f}  ({new / ref:.2f} x)")


if __name__ == "__main__":
    main()
