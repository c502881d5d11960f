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


def test_a_run_out_where_nothing_changed_prints_no_plotting_warning(tmp_path, capsys):
    # Shocks after a short horizon change nothing: the change plot has no lines, and says so without a legend.
    from supplychain.io.scenario import save_scenario
    from supplychain.model import CapacityShock, Scenario

    from .conftest import chain_network
    net = chain_network(cover=2.0)
    late = CapacityShock(facility=net.facilities[0].id, fraction_lost=1.0, start=30, end=40)
    path = save_scenario(Scenario(net, horizon_days=20, name="late").with_shocks(late), tmp_path / "late.toml")
    assert main(["run", str(path), "--seed", "1", "--quiet", "--out", str(tmp_path / "out")]) == 0
    assert "legend" not in capsys.readouterr().err
