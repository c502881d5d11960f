"""A reused ``--out`` folder holds one run's files, not a mix of two (supplychain/cli/output.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from supplychain import simulate
from supplychain.cli.out_folder import RUN_FILES, planned_files
from supplychain.cli.output import write_folder
from supplychain.datasets.synthetic import synthetic_scenario


def test_files_an_earlier_run_left_are_removed_and_the_users_own_kept(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("results.npz", "fan.png", "bands.csv", "notes.txt"):
        (out / name).write_text("old")

    def write(tmp: Path) -> list[str]:
        (tmp / "results.npz").write_text("new")
        (tmp / "timeseries.png").write_text("new")
        return ["results.npz", "timeseries.png"]

    assert write_folder(out, write, replaces=RUN_FILES) == ["results.npz", "timeseries.png"]
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "results.npz", "timeseries.png"]
    assert (out / "results.npz").read_text() == "new" and (out / "notes.txt").read_text() == "old"


@pytest.mark.filterwarnings("ignore:nothing in this scenario is random")
def test_every_file_a_run_plans_is_one_a_later_run_may_replace():
    scenario = synthetic_scenario(5, horizon_days=20)
    one = simulate(scenario, seed=1)
    ens = simulate(scenario, engine="vector", n_runs=3, seed=1, keep="summary")
    for results in (one, ens):
        names = {name for name, _ in planned_files(results, compared=True, baseline=results, cover_band=True)}
        assert names <= set(RUN_FILES), names - set(RUN_FILES)
