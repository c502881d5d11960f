"""One name per industry in every table, line and chart of value added lost; errors in the project's words."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from supplychain import ExportControl, load_scenario, simulate
from supplychain.analytics import value_added_loss_table
from supplychain.analytics.impact import SECTOR_NAMES as ANALYTICS_NAMES
from supplychain.analytics.impact import sector_name as analytics_sector_name
from supplychain.cli.app import main
from supplychain.errors import ValidationError
from supplychain.impact.table import SECTOR_NAMES, load_io_table, sector_name

SURGE = ('[scenario]\nbase = "baseline"\nname = "surge"\nhorizon_days = 20\n\n[[shocks]]\nkind = "demand_shock"\n'
         'region = "US"\ncommodity = "logic_chip"\nfactor = 10.0\n')


def test_one_mapping_names_every_industry_of_the_shipped_table():
    assert ANALYTICS_NAMES is SECTOR_NAMES and analytics_sector_name is sector_name   # the old import still works
    assert set(load_io_table().sectors) == set(SECTOR_NAMES)


def test_the_csv_the_console_and_the_repr_say_the_same_industry(tmp_path, capsys):
    path = tmp_path / "surge.toml"
    path.write_text(SURGE)
    assert main(["run", str(path), "--engine", "vector", "--seed", "1", "--quiet", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    csv = pd.read_csv(tmp_path / "o" / "value_added_loss.csv")
    assert list(csv.columns) == ["region", "sector", "industry", "value_added_loss_usd"]
    assert all(csv["industry"] == csv["sector"].map(SECTOR_NAMES))
    # The console's "largest user" names the industry as the CSV's industry column does.
    largest = re.findall(r"\s(electronics|electrical equipment|machinery|motor vehicles) \$", out)
    assert largest and set(largest) <= set(csv["industry"])
    scenario = load_scenario(path)
    shocked = simulate(scenario, engine="vector", seed=1)
    table = value_added_loss_table(shocked, baseline=simulate(scenario.without_shocks(), engine="vector", seed=1))
    pd.testing.assert_frame_equal(table.reset_index(drop=True), csv, check_exact=False, rtol=1e-9)
    frame = shocked.value_added_loss().to_dataframe()
    assert list(frame.columns) == ["run", "region", "sector", "industry", "value_added_loss_usd"]
    users = table[table["sector"] != "OTH"].groupby(["sector", "industry"])["value_added_loss_usd"].sum()
    sector, industry = users.idxmax()
    assert f"largest user {industry} ({sector})" in repr(shocked.value_added_loss())


def test_a_missing_quota_names_the_field_what_it_is_and_how_to_write_it(tmp_path, capsys):
    with pytest.raises(ValidationError) as caught:
        ExportControl(exporter="CN", commodity="gallium", mode="quota")
    message = str(caught.value)
    assert message.startswith("quota_per_period must be given when mode is 'quota': the most units that may leave")
    assert "quota_per_period = 500.0" in message and message.endswith("; missing (None) for ExportControl.")
    assert "got None" not in message
    path = tmp_path / "quota.toml"
    path.write_text('[scenario]\nbase = "baseline"\nhorizon_days = 30\n\n[[shocks]]\nkind = "export_control"\n'
                    'exporter = "CN"\ncommodity = "gallium"\nmode = "quota"\n')
    assert main(["run", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("supplychain: error: ") and "[[shocks]] entry 1: quota_per_period must be given" in err
    with pytest.raises(ValidationError, match=r"quota_per_period must be None unless mode is 'quota' \(leave it out\); "
                                              r"got 5 for ExportControl"):
        ExportControl(exporter="CN", commodity="gallium", quota_per_period=5)
