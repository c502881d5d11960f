"""Results archives that are crafted or damaged: ScenarioFileError naming the file and the problem.

Every kind of archive the audit of issue 8 crafted (and more) is in ``tests/fuzz_cases.py`` and
runs in ``tests/test_fuzz.py``; these tests pin the messages and the memory bound.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from supplychain import load_baseline, simulate
from supplychain.errors import ScenarioFileError
from supplychain.results import load_results
from supplychain.results.archive import MAX_ARCHIVE_BYTES, read_archive

from .fuzz_cases import _members, _npz, archive_cases


@pytest.fixture(scope="module")
def valid(tmp_path_factory):
    res = simulate(load_baseline().with_horizon(15), engine="vector", n_runs=2, seed=5)
    return res.save(tmp_path_factory.mktemp("valid") / "valid.npz")


@pytest.fixture(scope="module")
def cases(valid):
    # Building every crafted archive takes seconds: once per module, not once per case.
    return {c.name: c for c in archive_cases(valid)}


def crafted(cases, tmp_path, name):
    case = cases[f"{name}.npz"]
    path = tmp_path / case.name
    path.write_bytes(case.data)
    return path


@pytest.mark.parametrize("name, message", [
    ("meta_list", r"metadata must be a JSON object; got \[1, 2, 3\]"),
    ("meta_number", r"metadata must be a JSON object; got 42"),
    ("no_coords", r"metadata lacks coords"),
    ("no_engine", r"metadata lacks engine"),
    ("no_seed", r"metadata lacks seed"),
    ("format_version_string", r"format_version must be a whole number >= 1; got '1'"),
    ("empty", r"not a \.npz archive"),
    ("npy_renamed", r"not a \.npz archive"),
    ("series_wrong_shape", (r"series 'production' has \d+ items along its last dimension; its axis "
                            r"'facility' has \d+ labels")),
    ("seed_string", r"seed must be a non-negative whole number or null; got '7'"),
    ("series_nan", r"series__production holds NaN or infinite values"),
    ("meta_nested_text", r"metadata is nested too deeply"),
    ("scenario_nested", r"\(embedded scenario\): arrays and tables are nested more than 32"),
    ("coords_region_wrong", r"coords region\['demand'\] name \['XX'\], unknown to the embedded scenario"),
    ("zip_bomb", (r"series__demand declares \(1000, 1000, 500\) float64 \(4,000,000,000 bytes\) but its "
                  r"zip entry holds")),
])
def test_crafted_archive_messages(cases, tmp_path, name, message):
    path = crafted(cases, tmp_path, name)
    with pytest.raises(ScenarioFileError, match=message) as info:
        load_results(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value) and len(str(info.value)) < 1000


def test_declared_sizes_are_bounded_before_anything_is_read(valid, cases, tmp_path):
    # The bound covers every member's declared size, so a tiny limit refuses even a valid file.
    with pytest.raises(ScenarioFileError, match=r"would take [\d,]+ bytes once decompressed; an archive may "
                                                r"hold at most"):
        read_archive(valid, max_bytes=10_000)
    assert MAX_ARCHIVE_BYTES == 8 * 2**30
    # A series whose header declares 8e15 bytes is refused from its header, without allocating it.
    path = crafted(cases, tmp_path, "lying_header")
    with pytest.raises(ScenarioFileError, match=r"series__flow declares \(1000000, 1000, 1000\)"):
        load_results(path)


def test_series_must_agree_on_runs_and_days(valid, tmp_path):
    members = _members(valid)
    members["series__flow"] = members["series__flow"][:1]
    path = tmp_path / "runs.npz"
    path.write_bytes(_npz(members))
    with pytest.raises(ScenarioFileError, match=r"series 'flow' has shape \(1, 15, \d+\); every series must be "
                                                r"\(runs, days, items\) with the same runs and days"):
        load_results(path)


def test_days_must_match_the_embedded_horizon(valid, tmp_path):
    members = _members(valid)
    for name in [k for k in members if k.startswith("series__")]:
        members[name] = members[name][:, :10]
    path = tmp_path / "days.npz"
    path.write_bytes(_npz(members))
    with pytest.raises(ScenarioFileError, match=r"the series cover 10 days; the embedded scenario has a "
                                                r"horizon of 15"):
        load_results(path)


def test_a_valid_archive_still_loads_exactly(valid):
    back = load_results(valid)
    meta = json.loads(str(_members(valid)["metadata"]))
    assert (back.engine, back.seed, back.n_runs, back.n_days) == ("vector", 5, 2, 15)
    assert list(back.arrays) == meta["variables"]
    assert all(arr.dtype == np.float64 for arr in back.arrays.values())


def test_archives_keep_whether_compiled_loops_ran(tmp_path):
    import dataclasses

    from supplychain import load_ensemble
    from supplychain.datasets.synthetic import synthetic_scenario
    res = simulate(load_baseline().with_horizon(5), engine="vector", seed=1)
    ens = simulate(synthetic_scenario(3, horizon_days=5, stochastic=True), engine="vector", n_runs=2, seed=1,
                   keep="summary")
    for loops in (True, False, None):
        saved = dataclasses.replace(res, compiled_loops=loops).save(tmp_path / f"r{loops}.npz")
        assert load_results(saved).compiled_loops is loops
        saved = dataclasses.replace(ens, compiled_loops=loops).save(tmp_path / f"e{loops}.npz")
        assert load_ensemble(saved).compiled_loops is loops


def test_archives_written_before_compiled_loops_was_kept_still_load(valid, tmp_path):
    from .fuzz_cases import _with_meta
    old = _with_meta(_members(valid), lambda meta: meta.pop("compiled_loops"))
    (tmp_path / "old.npz").write_bytes(_npz(old))
    back = load_results(tmp_path / "old.npz")
    assert back.compiled_loops is None and back.n_days == 15
    bad = _with_meta(_members(valid), lambda meta: meta.update(compiled_loops=1))
    (tmp_path / "bad.npz").write_bytes(_npz(bad))
    with pytest.raises(ScenarioFileError, match=r"compiled_loops must be true, false or null; got 1"):
        load_results(tmp_path / "bad.npz")
