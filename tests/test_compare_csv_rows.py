"""compare.csv (and run --format csv|json) holds no row that is empty in both runs."""

from __future__ import annotations

import math

import pandas as pd

from supplychain.cli.run_command import change_rows


def _table():
    nan = math.nan
    # An importer that imports none of a commodity in either run has no landed cost per unit and no import
    # shares (Japan's compound wafers from China's alternate maker, a lane of share 0, on the baseline network).
    return pd.DataFrame({"region": ["JP", "JP", "JP", "US"], "commodity": ["compound_wafer"] * 3 + ["gallium"],
                         "segment": [""] * 4, "metric": ["landed_cost_usd_per_unit", "import_share", "imports",
                                                         "landed_cost_usd_per_unit"],
                         "partner": ["", "CN", "", ""], "baseline": [nan, nan, 0.0, 700.0],
                         "shocked": [nan, nan, 0.0, nan], "change": [nan, nan, 0.0, nan]})


def test_rows_with_no_value_in_either_run_are_left_out():
    rows = change_rows(_table())
    assert rows[["region", "metric"]].values.tolist() == [["JP", "imports"], ["US", "landed_cost_usd_per_unit"]]
    assert not (rows["baseline"].isna() & rows["shocked"].isna()).any()
    assert list(rows.columns)[-1] == "case"


def test_the_cover_band_rows_follow_the_kept_rows():
    band = pd.DataFrame({"cover_days:automotive": [5.0], "shortfall_usd": [3e9], "shortfall_usd:automotive": [2e9],
                         "baseline_shortfall_usd": [1e8], "shocked_shortfall_usd": [3.1e9],
                         "baseline_shortfall_usd:automotive": [0.0], "shocked_shortfall_usd:automotive": [2e9]},
                        index=pd.Index(["low"], name="case"))
    rows = change_rows(_table(), band)
    assert (rows["case"] == "").sum() == 2 and (rows["case"] == "low").sum() > 0
