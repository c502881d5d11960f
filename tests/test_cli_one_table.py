"""``run --out``'s ``compare.csv`` and ``run --format csv|json`` are one table in one precision."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from supplychain.analytics._cover_toy import segment_stop_scenario
from supplychain.cli.app import main
from supplychain.io.scenario import save_scenario
from supplychain.model import ExportControl, Scenario

from .conftest import chain_network


@pytest.fixture(scope="module", params=["ban", "segments"])
def scenario_file(request, tmp_path_factory):
    """A ban on the chain's only supplier (no segments, no band), and a stop with two end-use buyers (a band)."""
    if request.param == "ban":
        scenario = Scenario(chain_network(cover=5.0), horizon_days=40, name="banned chain").with_shocks(
            ExportControl(exporter="CN", commodity="metal", start=5, end=25))
    else:
        scenario = segment_stop_scenario()
    return save_scenario(scenario, tmp_path_factory.mktemp("one") / f"{request.param}.toml")


def _printed(capsys, path, fmt: str, *more: str) -> str:
    assert main(["run", str(path), "--seed", "1", "--format", fmt, "--quiet", *more]) == 0
    return capsys.readouterr().out


def test_compare_csv_is_the_printed_csv_byte_for_byte(scenario_file, tmp_path, capsys):
    out = tmp_path / "out"
    printed = _printed(capsys, scenario_file, "csv", "--out", str(out))
    written = (out / "compare.csv").read_text(encoding="utf-8")
    assert written.rstrip("\n") == printed.rstrip("\n")
    assert written.splitlines()[0].endswith(",case")       # the column json has, the file has too


def test_json_carries_the_columns_and_numbers_of_compare_csv(scenario_file, tmp_path, capsys):
    out = tmp_path / "out"
    as_json = pd.DataFrame(json.loads(_printed(capsys, scenario_file, "json", "--out", str(out))))
    numbers = ("baseline", "shocked", "change", "change_se", "change_lo", "change_hi")
    written = pd.read_csv(out / "compare.csv", keep_default_na=False, na_values={c: [""] for c in numbers})
    assert list(as_json.columns) == list(written.columns)
    assert len(as_json) == len(written)
    for col in written.columns:
        if col in numbers:
            # The same digits: the JSON number and the CSV field parse to the same double.
            got = as_json[col].astype(float).to_numpy()
            np.testing.assert_array_equal(got, written[col].to_numpy(), err_msg=col)
        else:
            assert as_json[col].fillna("").tolist() == written[col].astype(str).tolist(), col


def test_no_number_in_compare_csv_has_more_than_12_significant_figures(scenario_file, tmp_path, capsys):
    out = tmp_path / "out"
    _printed(capsys, scenario_file, "csv", "--out", str(out))
    table = pd.read_csv(out / "compare.csv", dtype=str, keep_default_na=False)
    for col in ("baseline", "shocked", "change", "change_se", "change_lo", "change_hi"):
        for text in table[col]:
            if text in ("", "inf", "-inf", "nan"):
                continue
            digits = text.lower().split("e")[0].replace("-", "").replace(".", "").strip("0")
            assert len(digits) <= 12, (col, text)
