"""The console summary and summary.csv call the share of days without a stockout by one name, and say what it is."""

from __future__ import annotations

import pandas as pd

from supplychain import load_baseline, simulate
from supplychain.cli.app import main
from supplychain.results.text import format_summary


def test_the_console_column_is_the_csv_column_and_its_legend_says_what_it_is():
    res = simulate(load_baseline().with_horizon(5), seed=0)
    lines = format_summary(res).splitlines()
    assert "cycle service level" in lines[2] and "days in stock" not in format_summary(res)
    legend = next(line for line in lines if line.startswith("fill rate:"))
    assert ("cycle service level (cycle_service_level in summary.csv): share of days without a stockout" in legend)
    assert "cycle_service_level" in res.summary().columns


def test_run_out_writes_the_name_the_console_prints(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "baseline", "--horizon", "5", "--seed", "0", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    written = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert "cycle_service_level" in written.columns and "cycle service level" in printed
