"""Run example scripts one after another in this one process, each as ``__main__`` with its own argv.

``python tests/example_runner.py REPORT.json JOBS.json``: JOBS is a list of ``[script, out, argv]``; each
script runs with ``sys.argv = [script, *argv]`` and ``out`` as the working folder, its stdout and stderr
captured apart; warnings are printed to its stderr every time they are raised (``always``), as a
process of its own would print them the first time. REPORT gets, per script, the exit code (0, the code
of ``SystemExit``, or 1 with the traceback on stderr), stdout, stderr and the CPU seconds it took.
One interpreter start and one import of the library serve every example (tests/conftest.py,
``run_example``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys
import time
import traceback
import warnings


def run_one(script: str, out: str, argv: list[str]) -> dict[str, object]:
    """Run ``script`` as ``__main__`` in ``out``; its exit code and what it printed."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code, began = 0, time.process_time()
    old_argv, old_cwd = sys.argv, os.getcwd()
    sys.argv = [script, *argv]
    os.chdir(out)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), warnings.catch_warnings():
            warnings.simplefilter("always")
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if not isinstance(exc.code, int) and exc.code is not None:
                    print(exc.code, file=sys.stderr)
            except BaseException:  # the report carries it: the next example still runs
                code = 1
                traceback.print_exc(file=sys.stderr)
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
        import matplotlib.pyplot as plt
        plt.close("all")
    return {"returncode": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue(),
            "cpu_seconds": time.process_time() - began}


def main(report: str, jobs: str) -> None:
    # Written whole (a temporary file renamed), so a reader in another process never sees half a report;
    # ``runner.failed`` beside it tells such a reader to stop waiting.
    try:
        done = {script: run_one(script, out, argv) for script, out, argv in json.loads(open(jobs).read())}
        with open(report + ".part", "w") as f:
            json.dump(done, f)
        os.replace(report + ".part", report)
    except BaseException:
        open(os.path.join(os.path.dirname(report), "runner.failed"), "w").close()
        raise


if __name__ == "__main__":
    main(*sys.argv[1:])
