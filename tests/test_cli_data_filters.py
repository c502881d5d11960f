"""supplychain data: a summary by default, filters that pick rows, unknown values with close matches, --all."""

from __future__ import annotations

import re

import pytest

from supplychain.cli.app import main
from supplychain.datasets.baseline import baseline_provenance


@pytest.fixture(scope="module")
def rows():
    return baseline_provenance()


def _out(capsys, *argv):
    assert main(["data", *argv]) == 0
    return capsys.readouterr().out


def test_data_alone_is_a_summary_that_says_how_to_pick_rows(rows, capsys):
    out = _out(capsys, )
    lines = out.splitlines()
    assert len(lines) < 20                                          # not thousands of rows
    assert lines[0].startswith(f"The built-in baseline holds {len(rows):,} numbers, each with its source")
    total = next(line for line in lines if line.startswith("all files")).split()
    assert int(total[2].replace(",", "")) == len(rows)
    assert sum(int(n.replace(",", "")) for n in total[3:]) == len(rows)   # cited + derived + assumption
    assert "Regions: JP (Japan)" in out and "--all prints all" in out and "--commodity gallium" in out


def test_all_prints_every_row(rows, capsys):
    assert len(_out(capsys, "--all").splitlines()) == len(rows) + 2      # header and count line


def test_filters_pick_rows_by_region_commodity_stage_and_field(rows, capsys):
    lines = _out(capsys, "--commodity", "gallium", "--field", "capacity_per_day").splitlines()
    assert [line.split()[1] for line in lines[1:-1]] == ["JP.refinery.gallium", "CN.refinery.gallium",
                                                         "ROW.refinery.gallium"]
    assert lines[-1] == f"3 of the {len(rows):,} numbers (--commodity gallium --field capacity_per_day), each with its source."
    # A region's name stands for its id; a lane counts for both its ends; values in a list are alternatives.
    body = _out(capsys, "--region", "Taiwan", "--stage", "fab,packaging", "--field", "share").splitlines()[1:-1]
    items = [line.split()[1] for line in body]
    assert items and all(">" in item for item in items)
    assert all("TW." in item and any(f".{s}." in item for s in ("fab", "packaging")) for item in items)
    # A recipe's input counts as the commodity (the compound-wafer makers' gallium per device), as does its output
    # (the gallium refiners' crude per kg).
    recipe = _out(capsys, "--commodity", "gallium", "--field", "recipe").splitlines()[1:-1]
    assert {line.split()[2] for line in recipe} == {"recipe.gallium", "recipe.gallium_crude"}
    assert sum(line.split()[1].endswith(".wafer.compound_wafer") for line in recipe) == 6


def test_search_looks_in_items_fields_and_sources_case_aside(rows, capsys):
    out = _out(capsys, "--search", "chip explorer", "--region", "US")
    count = int(re.search(r"^([\d,]+) of the", out.splitlines()[-1]).group(1).replace(",", ""))
    assert 0 < count < len(rows) and "--search 'chip explorer'" in out


def test_nothing_matching_says_so_in_one_line(capsys):
    out = _out(capsys, "--region", "CN", "--stage", "demand", "--commodity", "lithium_ore")
    assert out.startswith("No number of the built-in baseline matches --region CN --commodity lithium_ore --stage "
                          "demand") and len(out.splitlines()) == 1


@pytest.mark.parametrize("argv, says", [
    (["--region", "Chna"], "--region 'Chna' is not in the built-in baseline; did you mean CN?"),
    (["--commodity", "galium"], "--commodity 'galium' is not in the built-in baseline; did you mean gallium"),
    (["--stage", "fabs"], "--stage 'fabs' is not in the built-in baseline; did you mean fab"),
    (["--field", "capacity"], "--field 'capacity' is not in the built-in baseline; did you mean capacity_per_day"),
    (["--check", "--region", "CN"], "--check prints the calibration table whole; leave out --region"),
])
def test_unknown_values_name_the_option_and_close_matches(argv, says, capsys):
    assert main(["data", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("supplychain data: error: ") and says in err and len(err.splitlines()) == 1
