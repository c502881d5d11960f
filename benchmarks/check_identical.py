"""Check that two source trees of this library give the same numbers: a speed-up must change none.

Runs a fixed set of cases (the deterministic and random-lead baselines, every
shipped scenario, a synthetic peer network; daily series and summaries; the
compiled loops on and off; chunked in-process and on the default worker
processes) once with each tree first on ``sys.path``, in fresh processes, and
compares every array: exact equality is expected, and any difference above
``--tolerance`` (relative, default 1e-12) fails, as do equal values whose bits
differ (a zero's sign).

Usage::

    git archive <commit> | tar -x -C /tmp/ref      # the reference tree, e.g. main
    python benchmarks/check_identical.py /tmp/ref  # against this tree
    python benchmarks/check_identical.py /tmp/ref --quick

Prints one line per case (arrays compared, largest absolute and relative
difference) and exits with status 1 if any case differs beyond the tolerance.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
THIS_TREE = os.path.dirname(HERE)

#: name -> (scenario, engine, keep, runs, chunk size or None for the default executor, compiled loops)
CASES: dict[str, tuple[str, str, str, int, int | None, str]] = {
    "baseline fixed leads, series": ("baseline", "vector", "series", 2, None, "auto"),
    "baseline fixed leads, summary": ("baseline", "vector", "summary", 3, 2, "on"),
    "baseline random leads, series, chunks of 4": ("baseline-random", "vector", "series", 6, 4, "on"),
    "baseline random leads, series, NumPy only": ("baseline-random", "vector", "series", 5, 3, "off"),
    "baseline random leads, summary, compiled loops": ("baseline-random", "vector", "summary", 30, 7, "on"),
    "baseline random leads, summary, NumPy only": ("baseline-random", "vector", "summary", 30, 11, "off"),
    "baseline random leads, summary, default executor": ("baseline-random", "vector", "summary", 400, None, "auto"),
    "quick-start gallium ban, summary, compiled loops": ("baseline-random-ban", "vector", "summary", 24, 9, "on"),
    "quick-start gallium ban, series, NumPy only": ("baseline-random-ban", "vector", "series", 3, None, "off"),
    "synthetic 100 facilities, summary": ("synthetic-100", "vector", "summary", 40, 16, "on"),
    "synthetic 100 facilities, series, NumPy only": ("synthetic-100", "vector", "series", 3, None, "off"),
    "baseline random leads, DES": ("baseline-random", "des", "series", 1, None, "auto"),
}
QUICK = ("baseline fixed leads, series", "baseline random leads, series, chunks of 4",
         "baseline random leads, summary, compiled loops", "baseline random leads, summary, NumPy only")
SHIPPED_RUNS = 3


def _scenario(name: str):  # type: ignore[no-untyped-def]
    from supplychain import load_baseline
    if name == "baseline":
        return load_baseline()
    if name == "baseline-random":
        return load_baseline(random_lead_times=True)
    if name == "baseline-random-ban":  # README's quick start: CN bans gallium exports from 2025-03-01
        from supplychain import ExportControl
        return load_baseline(random_lead_times=True).with_shocks(*(
            ExportControl(exporter="CN", commodity=k, mode="ban", start="2025-03-01") for k in ("gallium", "gallium_crude")))
    if name.startswith("synthetic-"):
        sys.path.insert(0, HERE)
        from synthetic import peer_scenario
        return peer_scenario(int(name.split("-")[1]))
    from supplychain import load_scenario
    from supplychain.datasets.scenarios import scenario_path
    return load_scenario(scenario_path(name.split(":", 1)[1]))


def _cases(quick: bool) -> dict[str, tuple[str, str, str, int, int | None, str]]:
    cases = {k: v for k, v in CASES.items() if not quick or k in QUICK}
    if not quick:
        from supplychain.datasets.scenarios import scenarios
        for name in sorted(scenarios()):
            cases[f"shipped {name}, series"] = (f"shipped:{name}", "vector", "series", SHIPPED_RUNS, 2, "auto")
            cases[f"shipped {name}, summary"] = (f"shipped:{name}", "vector", "summary", 12, 5, "on")
    return cases


def _arrays(out: object) -> dict[str, np.ndarray]:
    if isinstance(out, dict):
        return {k: np.asarray(v) for k, v in out.items()}
    arrays: dict[str, np.ndarray] = {}
    for f in dataclasses.fields(out):  # type: ignore[arg-type]
        value = getattr(out, f.name)
        if isinstance(value, dict):
            arrays.update({f"{f.name}.{k}": np.asarray(v) for k, v in value.items()})
        elif isinstance(value, np.ndarray):
            arrays[f.name] = value
    return arrays


def probe(case: str, path: str, quick: bool) -> None:
    """Run ``case`` with the tree first on the path (set by the caller) and save its arrays to ``path``."""
    scenario_name, engine, keep, runs, chunk, loops = _cases(quick)[case]
    os.environ["SUPPLYCHAIN_JIT"] = loops
    from supplychain.compile.compiler import compile_scenario
    from supplychain.engines.draws import run_seed_sequences
    from supplychain.run.chunks import run_ensemble
    c = compile_scenario(_scenario(scenario_name))
    out = run_ensemble(c, run_seed_sequences(7, runs), engine=engine, keep=keep, chunk_size=chunk)  # type: ignore[arg-type]
    np.savez(path, **_arrays(out))


def _run(tree: str, case: str, path: str, quick: bool) -> None:
    env = dict(os.environ, PYTHONPATH=tree)
    subprocess.run([sys.executable, __file__, "--probe", case, path] + (["--quick"] if quick else []),
                   env=env, check=True, cwd=tree)


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", help="the other source tree (e.g. an unpacked `git archive main`)")
    parser.add_argument("--tree", default=THIS_TREE, help="the tree checked (default: this one)")
    parser.add_argument("--tolerance", type=float, default=1e-12, help="largest relative difference allowed")
    parser.add_argument("--quick", action="store_true", help="four small cases only")
    parser.add_argument("--only", metavar="TEXT", help="only the cases whose name contains TEXT")
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], args.probe[1], args.quick)
        return
    if not args.reference:
        parser.error("the reference tree is required")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, args.tree)
        for case in _cases(args.quick):
            if args.only and args.only not in case:
                continue
            paths = [os.path.join(tmp, f"{i}.npz") for i in range(2)]
            _run(os.path.abspath(args.reference), case, paths[0], args.quick)
            _run(os.path.abspath(args.tree), case, paths[1], args.quick)
            ref, new = np.load(paths[0]), np.load(paths[1])
            worst_abs = worst_rel = 0.0
            problems = []
            if sorted(ref.files) != sorted(new.files):
                problems.append(f"arrays differ: {sorted(set(ref.files) ^ set(new.files))}")
            for name in sorted(set(ref.files) & set(new.files)):
                a, b = ref[name], new[name]
                if a.shape != b.shape:
                    problems.append(f"{name}: shape {a.shape} != {b.shape}")
                    continue
                if a.dtype.kind not in "fc":
                    if not np.array_equal(a, b):
                        problems.append(f"{name}: values differ")
                    continue
                if not np.array_equal(np.isnan(a), np.isnan(b)):
                    problems.append(f"{name}: NaNs differ")
                    continue
                with np.errstate(invalid="ignore"):
                    diff = np.abs(np.nan_to_num(a.astype(float) - b.astype(float), nan=0.0))
                scale = np.maximum(np.abs(np.nan_to_num(a.astype(float))), 1.0)
                worst_abs = max(worst_abs, float(diff.max(initial=0.0)))
                rel = float((diff / scale).max(initial=0.0))
                worst_rel = max(worst_rel, rel)
                if rel > args.tolerance:
                    problems.append(f"{name}: relative difference {rel:.3g}")
            # Equal values may still differ in their bits (a zero's sign, a NaN's payload): "identical" is to the bit.
            bits = [n for n in sorted(set(ref.files) & set(new.files))
                    if ref[n].shape == new[n].shape and ref[n].tobytes() != new[n].tobytes()]
            if worst_abs == 0.0 and not problems and bits:
                problems.append(f"equal values, different bits (signed zeros?): {', '.join(bits)}")
            status = "identical" if worst_abs == 0.0 and not problems else ("FAILED" if problems else "within tolerance")
            print(f"{case:58s} {len(ref.files):3d} arrays: max abs diff {worst_abs:.3g}, max rel diff "
                  f"{worst_rel:.3g}: {status}", flush=True)
            for p in problems:
                print(f"    {p}")
            failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
