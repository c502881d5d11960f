"""``supplychain run``'s cover band: its own progress step, ``cover_band.csv`` with ``--out``, and its rows in
``--format csv|json`` (supplychain.cli.cover_band_text.cover_band_rows)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from supplychain.analytics._cover_toy import segment_stop_scenario
from supplychain.analytics.cover_band import cited_covers, cover_band
from supplychain.cli.app import main
from supplychain.cli.cover_band_text import BAND_METRIC
from supplychain.io.scenario import save_scenario


@pytest.fixture(scope="module")
def seg_file(tmp_path_factory):
    """A mine stop that leaves two end-use buyers short (hand-computed in the toy's docstring)."""
    return save_scenario(segment_stop_scenario(), tmp_path_factory.mktemp("band") / "seg.toml")


@pytest.fixture(scope="module")
def band():
    """The band the CLI computes: the toy's segments at the cited ends of the built-in data, seed 1."""
    cited = cited_covers()
    return cover_band(segment_stop_scenario(), {g: (cited[g][0], cited[g][2]) for g in ("automotive", "electronics")},
                      seed=1)


def test_the_band_is_a_progress_step_of_its_own(seg_file, capsys):
    assert main(["run", str(seg_file), "--seed", "1"]) == 0
    steps = [line.split(" [")[0] for line in capsys.readouterr().err.splitlines() if line.startswith("done: ")]
    assert steps[-2:] == ["done: comparing", "done: cover band"]
    assert main(["run", str(seg_file), "--seed", "1", "--no-cover-band"]) == 0
    steps = [line.split(" [")[0] for line in capsys.readouterr().err.splitlines() if line.startswith("done: ")]
    assert steps[-1] == "done: comparing" and "done: cover band" not in steps


def test_out_writes_the_band_as_cover_band_csv(seg_file, band, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(seg_file), "--seed", "1", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "cover_band.csv" in err.split("Writing to", 1)[1].splitlines()[0]   # announced before writing
    written = pd.read_csv(out / "cover_band.csv", index_col="case")
    assert list(written.index) == ["low", "central", "high"]
    pd.testing.assert_frame_equal(written, band, check_dtype=False, check_names=False)
    # Hand-computed (segment_stop_scenario): 10 t/day x (7 days without ore - days held) x $100 per buyer.
    assert written["shortfall_usd:automotive"].tolist() == [2000.0, 4000.0, 0.0]      # 5, 3, 40 days held
    assert written["shortfall_usd:electronics"].tolist() == [0.0, 1000.0, 0.0]       # 31, 6, 40 days held


def test_no_cover_band_writes_no_band(seg_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(seg_file), "--seed", "1", "--out", str(out), "--no-cover-band", "--quiet"]) == 0
    assert not (out / "cover_band.csv").exists() and (out / "compare.csv").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_machine_formats_carry_the_band_rows_after_the_change_table(seg_file, band, fmt, capsys):
    assert main(["run", str(seg_file), "--seed", "1", "--format", fmt, "--quiet"]) == 0
    text = capsys.readouterr().out
    got = (pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""]) if fmt == "csv"
           else pd.DataFrame(json.loads(text)))
    got["case"] = got["case"].fillna("").astype(str)
    own, rows = got[got["case"] == ""], got[got["case"] != ""]
    assert len(own) and len(rows) and rows.index.min() > own.index.max()          # the band comes after
    assert not own["metric"].str.startswith(BAND_METRIC).any()
    assert rows["metric"].str.startswith(BAND_METRIC).all() and (rows["region"] == "ALL").all()
    # Summing the run's own shortfall rows is not changed by the band: its metrics have names of their own.
    assert got[got.metric == "shortfall_usd"]["change"].sum() == pytest.approx(5000.0)
    for case in ("low", "central", "high"):
        mine = rows[rows["case"] == case].fillna({"segment": ""})
        total = mine[(mine.metric == BAND_METRIC + "shortfall_usd") & (mine.segment == "")]["change"]
        assert total.tolist() == [band.loc[case, "shortfall_usd"]]
        for segment in ("automotive", "electronics"):
            held = mine[(mine.metric == BAND_METRIC + "cover_days") & (mine.segment == segment)].iloc[0]
            assert held["baseline"] == held["shocked"] == band.loc[case, f"cover_days:{segment}"]
            assert held["change"] == 0.0
            short = mine[(mine.metric == BAND_METRIC + "shortfall_usd") & (mine.segment == segment)]["change"]
            assert short.tolist() == [band.loc[case, f"shortfall_usd:{segment}"]]
    assert np.isnan(rows["change_lo"].astype(float)).all()       # one run per case: no interval


def test_a_run_without_chip_buyers_prints_no_band_rows(tmp_path, capsys):
    from supplychain.model import CapacityShock, Scenario

    from .conftest import chain_network
    net = chain_network(cover=2.0)
    stop = CapacityShock(facility=net.facilities[0].id, fraction_lost=1.0, start=2, end=12)
    path = save_scenario(Scenario(net, horizon_days=30, name="plain").with_shocks(stop), tmp_path / "plain.toml")
    assert main(["run", str(path), "--seed", "1", "--format", "csv", "--quiet"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    # The columns do not depend on whether a band was computed: `case` is there, empty on every row.
    assert table.columns[-1] == "case" and table["case"].isna().all()
    assert not table["metric"].str.startswith("cover_band:").any()
