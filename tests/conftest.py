"""Small hand-built networks shared by the tests."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from supplychain.model import (
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Lane,
    Network,
    Region,
    Scenario,
)


def chain_network(*, mine_capacity: float = 20.0, refinery_capacity: float = 10.0, demand: float = 5.0,
                  lead_mine: float = 3.0, lead_refinery: float = 20.0, cover: float = 30.0,
                  refinery_output_cover: float | None = None) -> Network:
    """CN mine -> CN refinery (2 t ore per t metal) -> US consumers.

    Steady state: the refinery makes ``demand`` t/day and the mine ``2 * demand``.
    """
    policies = {} if refinery_output_cover is None else {"metal": DaysOfCover(refinery_output_cover)}
    return Network(
        regions=(Region("CN", "China"), Region("US", "United States")),
        commodities=(Commodity("ore", "t", 100.0), Commodity("metal", "t", 1000.0)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", mine_capacity, default_cover_days=cover),
            Facility("CN.refinery", "CN", "refinery", "metal", refinery_capacity, recipe={"ore": 2.0},
                     policies=policies, default_cover_days=cover),
        ),
        lanes=(
            Lane("CN.mine", "CN.refinery", "ore", lead_time=lead_mine),
            Lane("CN.refinery", "US.metal", "metal", lead_time=lead_refinery),
        ),
        demands=(Demand("US.metal", "US", "metal", demand, policy=DaysOfCover(cover)),),
    )


def diamond_network() -> Network:
    """Two mines in two regions supply one refinery that serves two regions' demand."""
    return Network(
        regions=(Region("CN"), Region("ROW"), Region("JP"), Region("KR")),
        commodities=(Commodity("ore", "t", 10.0), Commodity("metal", "t", 100.0)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", 30.0),
            Facility("ROW.mine", "ROW", "mine", "ore", 30.0),
            Facility("JP.refinery", "JP", "refinery", "metal", 20.0, recipe={"ore": 1.5}),
        ),
        lanes=(
            Lane("CN.mine", "JP.refinery", "ore", lead_time=4, share=0.7),
            Lane("ROW.mine", "JP.refinery", "ore", lead_time=12, share=0.3),
            Lane("JP.refinery", "JP.metal", "metal", lead_time=1),
            Lane("JP.refinery", "KR.metal", "metal", lead_time=2),
        ),
        demands=(Demand("JP.metal", "JP", "metal", 6.0), Demand("KR.metal", "KR", "metal", 4.0)),
    )


@pytest.fixture
def chain() -> Scenario:
    return Scenario(chain_network(), horizon_days=90, name="chain")


@pytest.fixture
def diamond() -> Scenario:
    return Scenario(diamond_network(), horizon_days=90, name="diamond")


@pytest.fixture(scope="session")
def baseline_year_des():
    """The built-in baseline's year on the SimPy engine, one run, seed 0: read by the steady-state test
    (tests/test_baseline_data.py) and the engines' agreement on it (tests/test_engine_agreement.py)."""
    from supplychain import load_baseline, simulate
    return simulate(load_baseline(horizon_days=365), engine="des", n_runs=1, seed=0)


def assert_engines_agree(a, b, *, rtol: float = 1e-9, atol: float = 1e-9) -> None:
    """Every recorded array of two results agrees to the engines' contract (default 1e-9: the two
    sum a buyer's lanes in different orders)."""
    assert set(a.arrays) == set(b.arrays)
    for name in a.arrays:
        np.testing.assert_allclose(a.arrays[name], b.arrays[name], rtol=rtol, atol=atol, err_msg=name)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: The example scripts' horizon in the suite: long enough for every example's first shock to start.
EXAMPLE_HORIZON_DAYS = 120
#: Where a test reads an example's printed answer, the horizon it needs (tests/test_gallery_examples.py);
#: the stress test of 08 knocks out every node, each for half the horizon: 30 days show the same path.
EXAMPLE_HORIZONS = {"06_graphite_ban_stockpile": 150, "10_custom_network": 200, "08_critical_node_logic_chips": 60}
#: Ensemble sizes for the suite: the examples' own quick checks use 100 runs or 12 futures; every
#: figure the suite reads from these is zero at 120 days, and 20 runs (4 futures) take the same code path.
EXAMPLE_ARGS = {"taiwan_earthquake_uncertain": ["--runs", "20"], "d_ensemble_save_and_compare": ["--runs", "20"],
                "trilateral_policies": ["--futures", "4"]}


@dataclass(frozen=True)
class ExampleRun:
    """One example script run as ``__main__``: its exit code, what it printed and its output folder."""

    returncode: int
    stdout: str
    stderr: str
    out: Path
    cpu_seconds: float = 0.0


class ExampleBatch:
    """Every ``examples/*.py`` with ``--horizon`` and ``--out`` (its own folder, also its working folder), all
    in one fresh process (tests/example_runner.py: one interpreter start and one import for all), started at
    once and read when a test first asks."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.outs, self.runs = folder, _example_outs(folder), None
        jobs = []
        for stem, out in self.outs.items():
            out.mkdir()
            horizon = EXAMPLE_HORIZONS.get(stem, EXAMPLE_HORIZON_DAYS)
            jobs.append([str(EXAMPLES / f"{stem}.py"), str(out),
                         ["--horizon", str(horizon), "--out", str(out), *EXAMPLE_ARGS.get(stem, [])]])
        (folder / "jobs.json").write_text(json.dumps(jobs))
        self.log = open(folder / "runner.log", "w")  # noqa: SIM115 (closed when the process ends)
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("example_runner.py")),
                                      str(folder / "report.json"), str(folder / "jobs.json")],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=folder,
                                     env={**os.environ, "MPLBACKEND": "Agg"})

    def result(self) -> dict[str, ExampleRun]:
        """Each example's run, by file stem (waits for the process)."""
        if self.runs is None:
            code = self.proc.wait(timeout=1800)
            self.log.close()
            assert code == 0, (self.folder / "runner.log").read_text()
            self.runs = _read_report(self.folder, self.outs)
        return self.runs

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def finish(self) -> None:
        """Wait for the process: another xdist worker may still read its report."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=1800)
        self.stop()


class SharedExampleBatch:
    """The batch that another xdist worker of this test run started: its report, when the runner has written
    it (tests/example_runner.py writes ``report.json`` whole, or ``runner.failed``)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.outs, self.runs = folder, _example_outs(folder), None

    def result(self) -> dict[str, ExampleRun]:
        deadline = time.monotonic() + 1800
        while self.runs is None:
            assert not (self.folder / "runner.failed").exists(), (self.folder / "runner.log").read_text()
            if (self.folder / "report.json").exists():
                self.runs = _read_report(self.folder, self.outs)
            else:
                assert time.monotonic() < deadline, "the examples' process wrote no report in 30 minutes"
                time.sleep(0.5)
        return self.runs

    def stop(self) -> None:
        """Nothing to stop: the worker that started the process waits for it."""

    finish = stop


def _example_outs(folder: Path) -> dict[str, Path]:
    return {script.stem: folder / script.stem for script in sorted(EXAMPLES.glob("*.py"))}


def _read_report(folder: Path, outs: dict[str, Path]) -> dict[str, ExampleRun]:
    report = json.loads((folder / "report.json").read_text())
    return {Path(k).stem: ExampleRun(out=outs[Path(k).stem], **v) for k, v in report.items()}


_EXAMPLE_BATCH = pytest.StashKey["ExampleBatch | SharedExampleBatch"]()


def _start_example_batch(config: pytest.Config) -> ExampleBatch | SharedExampleBatch:
    """One process for the whole test run: under pytest-xdist the first worker to claim the run's shared
    folder starts it and the others read its report (every worker collects every test, so each would
    otherwise run every example again on the same two cores)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return ExampleBatch(Path(tempfile.mkdtemp(prefix="supplychain-examples-")))
    # The run's shared temporary root (pytest keeps the last three and removes older ones).
    folder = config._tmp_path_factory.getbasetemp().parent / "examples"
    try:
        folder.mkdir()
    except FileExistsError:
        return SharedExampleBatch(folder)
    return ExampleBatch(folder)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the examples' process as soon as the session knows a test will read it: on two cores it runs
    beside the tests collected before tests/test_examples.py instead of after them."""
    if session.config.option.collectonly:
        return
    if any("run_example" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[_EXAMPLE_BATCH] = _start_example_batch(session.config)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    batch = session.config.stash.get(_EXAMPLE_BATCH, None)
    if batch is None:
        return
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        batch.stop()
        shutil.rmtree(batch.folder, ignore_errors=True)
    elif exitstatus == pytest.ExitCode.INTERRUPTED:
        batch.stop()
    else:
        batch.finish()


@pytest.fixture(scope="session")
def run_example(request, tmp_path_factory) -> Callable[[str], ExampleRun]:
    """An example's run (:class:`ExampleBatch`, started when the session began); the tests that read an
    example's output share that run."""
    batch = request.config.stash.get(_EXAMPLE_BATCH, None)
    if batch is None:   # not started by the session (e.g. the fixture requested indirectly)
        batch = ExampleBatch(tmp_path_factory.mktemp("examples"))
        request.addfinalizer(batch.stop)
    return lambda stem: batch.result()[stem]
