"""The run layer: engines stay below it, and its default process pool stops at once on Ctrl-C or an error."""

from __future__ import annotations

import ast
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import supplychain
from supplychain.run.pool import WorkerDied, local_pool

ENGINES_DIR = Path(supplychain.__file__).parent / "engines"
POSIX = sys.platform != "win32"


def test_engines_never_import_the_run_layer():
    for path in ENGINES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                name = ("." * node.level) + (node.module or "")
                assert not name.startswith(("..run", "supplychain.run")), (path.name, name)
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("supplychain.run") for a in node.names), path.name


# The pool itself ------------------------------------------------------------------------------------

def _fail(message: str) -> None:
    raise ValueError(message)


def _die() -> None:
    os._exit(3)


def test_pool_returns_results_and_raises_task_errors():
    ctx = multiprocessing.get_context()
    with local_pool(2, ctx) as submit:
        tasks = [submit(pow, 3, k) for k in range(5)]
        assert [t.result() for t in tasks] == [1, 3, 9, 27, 81]
    with pytest.raises(ValueError, match="bad chunk") as info, local_pool(2, ctx) as submit:
        submit(_fail, "bad chunk").result()
    assert "_fail" in str(info.value.__cause__)  # the worker's traceback is kept


def test_a_dead_worker_is_an_error_not_a_hang():
    with pytest.raises(WorkerDied, match="exit code 3"), local_pool(1, multiprocessing.get_context()) as submit:
        submit(_die).result()


def test_an_error_does_not_wait_for_running_chunks():
    start = time.perf_counter()
    with pytest.raises(ValueError), local_pool(2, multiprocessing.get_context()) as submit:
        slow = [submit(time.sleep, 60) for _ in range(4)]
        assert slow[0].cancel() is False and slow[3].cancel() is True  # running vs still queued
        raise ValueError("the caller gives up")
    assert time.perf_counter() - start < 20


# Ctrl-C on a pooled simulation, in a real process group ---------------------------------------------

SCRIPT = textwrap.dedent("""
    import sys
    from supplychain.run import chunks, simulate
    from supplychain.datasets.synthetic import synthetic_scenario
    chunks._PROCESS_THRESHOLD_S = 0.0   # always the default local process pool
    scenario = synthetic_scenario(100, seed=1, horizon_days=365)
    print("ready", flush=True)
    simulate(scenario, engine="vector", n_runs=20_000, seed=1, keep="summary", chunk_size=50)
    print("finished", flush=True)
""")
#: Seconds within which an interrupted run must have exited (the full run takes minutes).
EXIT_WITHIN_S = 15.0


@pytest.mark.skipif(not POSIX, reason="process groups and SIGINT are POSIX")
@pytest.mark.parametrize("delay", [0.0, 0.3, 1.5])
def test_ctrl_c_stops_a_pooled_run_promptly(delay, tmp_path):
    """SIGINT to the whole group, as a terminal's Ctrl-C: KeyboardInterrupt, no pool traceback, no hang."""
    script = tmp_path / "run.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(supplychain.__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        sent = time.perf_counter()
        out, err = proc.communicate(timeout=EXIT_WITHIN_S)
        waited = time.perf_counter() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert "finished" not in out
    assert proc.returncode != 0 and "KeyboardInterrupt" in err, err[-2000:]
    assert "BrokenProcessPool" not in err and "WorkerDied" not in err, err[-2000:]
    assert waited < EXIT_WITHIN_S
    # No worker outlives the interrupted parent.
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


ORPHAN_SCRIPT = textwrap.dedent("""
    import multiprocessing, time
    from supplychain.run.pool import local_pool
    with local_pool(2, multiprocessing.get_context("fork")) as submit:
        assert submit(pow, 2, 3).result() == 8
        print("ready", flush=True)
        time.sleep(60)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and process groups")
def test_idle_workers_exit_when_their_parent_is_killed(tmp_path):
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(Path(supplychain.__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)  # no clean-up at all in the parent
        proc.communicate(timeout=EXIT_WITHIN_S)  # returns once no worker holds the output pipes
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if proc.poll() is None:
            proc.communicate()


@pytest.mark.skipif(not POSIX, reason="SIGINT to oneself is POSIX")
def test_an_interrupt_while_the_loops_compile_is_raised_after_not_dropped():
    """Numba's ctypes callbacks swallow a KeyboardInterrupt raised inside them; it must arrive after the compile."""
    from supplychain.engines.jit import _interrupt_after

    reached_end = False
    with pytest.raises(KeyboardInterrupt):
        with _interrupt_after():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the signal is handled here, at the next bytecode: held, not raised
            reached_end = True
    assert reached_end
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
