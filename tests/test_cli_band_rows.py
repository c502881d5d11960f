"""The cover band's rows in ``run --format csv|json|markdown`` are filled one way: baseline, shocked, change."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from supplychain.analytics._cover_toy import segment_stop_scenario
from supplychain.cli.app import main
from supplychain.cli.cover_band_text import BAND_METRIC
from supplychain.io.scenario import save_scenario


@pytest.fixture(scope="module")
def seg_file(tmp_path_factory):
    """A mine stop that leaves two end-use buyers short (hand-computed in the toy's docstring)."""
    return save_scenario(segment_stop_scenario(), tmp_path_factory.mktemp("rows") / "seg.toml")


@pytest.fixture(scope="module")
def as_json(seg_file):
    import contextlib
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", str(seg_file), "--seed", "1", "--format", "json", "--quiet"]) == 0
    return json.loads(out.getvalue())


def test_every_band_row_has_both_runs_and_their_difference(as_json):
    rows = [r for r in as_json if r["case"]]
    assert rows and {r["metric"] for r in rows} == {BAND_METRIC + m for m in ("cover_days", "shortfall_usd",
                                                                                "chip_shortfall_usd")}
    for r in rows:
        assert isinstance(r["baseline"], float) and isinstance(r["shocked"], float), r
        assert r["change"] == pytest.approx(r["shocked"] - r["baseline"], abs=1e-6), r
    # The rows have the keys of the table's own rows: one shape for the whole list.
    assert len({tuple(r) for r in as_json}) == 1


def test_band_rows_hand_computed(as_json):
    # segment_stop_scenario at the cited covers of the built-in data: automotive 5-40 days (central 3 in the
    # toy), electronics 31-40 (central 6); 10 t/day at $100/t stop for 7 days, the unshocked runs short of nothing.
    rows = pd.DataFrame([r for r in as_json if r["case"]]).fillna({"segment": ""})
    short = rows[rows.metric == BAND_METRIC + "shortfall_usd"].set_index(["case", "segment"])
    assert (short["baseline"] == 0.0).all()
    assert short.loc[("central", "automotive"), "shocked"] == 4000.0      # (7 - 3) days x 10 t x $100
    assert short.loc[("central", "electronics"), "shocked"] == 1000.0     # (7 - 6) days
    assert short.loc[("low", ""), "shocked"] == short.loc[("low", "automotive"), "shocked"] + short.loc[
        ("low", "electronics"), "shocked"]
    held = rows[rows.metric == BAND_METRIC + "cover_days"]
    assert (held["baseline"] == held["shocked"]).all() and (held["change"] == 0.0).all()


def test_csv_and_markdown_carry_the_same_rows(seg_file, as_json, capsys):
    assert main(["run", str(seg_file), "--seed", "1", "--format", "csv", "--quiet"]) == 0
    got = pd.read_csv(io.StringIO(capsys.readouterr().out))
    band = got[got["case"].notna() & (got["case"] != "")]
    assert not band[["baseline", "shocked", "change"]].isna().any().any()
    assert len(band) == len([r for r in as_json if r["case"]])
    assert main(["run", str(seg_file), "--seed", "1", "--format", "markdown", "--quiet"]) == 0
    text = capsys.readouterr().out.splitlines()
    header = [cell.strip() for cell in text[0].strip("|").split("|")]
    rows = [dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")))) for line in text
            if BAND_METRIC in line]
    assert len(rows) == len(band) and all(r["baseline"] and r["shocked"] and r["change"] for r in rows)


def test_out_writes_each_runs_shortfall_beside_the_change(seg_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(seg_file), "--seed", "1", "--out", str(out), "--quiet"]) == 0
    band = pd.read_csv(out / "cover_band.csv", index_col="case")
    for column in ("shortfall_usd", "chip_shortfall_usd", "shortfall_usd:automotive", "shortfall_usd:electronics"):
        assert np.allclose(band[f"shocked_{column}"] - band[f"baseline_{column}"], band[column]), column
