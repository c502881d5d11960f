"""Every table that lists demands names their end-use segment (chip buyers), empty for the other demands.

Chip buyers are split into automotive, industrial and electronics demands of the same region and commodity
(``Demand.segment``): without a ``segment`` column their rows could not be told apart, or were summed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import supplychain as sc
from supplychain.analytics.compare import compare
from supplychain.cli.app import main
from supplychain.model import LogisticsShock

SEGMENTS = ["automotive", "electronics", "industrial"]
#: the magnet users' end-use groups (tools/baseline/minerals.py)
MAGNET_GROUPS = ["car_parts", "car_parts_10w", "car_parts_6w", "devices", "motors"]


@pytest.fixture(scope="module")
def pair():
    """Ten days of the baseline with Taiwan's lanes closed from day 2, and the same days without (vector engine)."""
    base = sc.load_baseline(horizon_days=10)
    shocked = base.with_shocks(LogisticsShock(through="TW", closed=True, start=2))
    return (sc.simulate(shocked, engine="vector", seed=3), sc.simulate(base, engine="vector", seed=3))


def test_summary_has_a_row_per_segment_and_a_blank_segment_elsewhere(pair):
    shocked, _ = pair
    table = shocked.summary()
    assert list(table.columns[:4]) == ["region", "commodity", "segment", "unit"]
    chips = table[(table.region == "US") & (table.commodity == "logic_chip")]
    assert chips["segment"].tolist() == SEGMENTS
    assert table[table.commodity == "gallium"]["segment"].eq("").all()
    # One row per demand of the baseline: region, commodity and segment name it.
    assert len(table) == len(shocked.scenario.network.demands)
    assert not table.duplicated(["region", "commodity", "segment"]).any()
    # The segments' rows add up to what the region's buyers were asked for.
    us = [d for d in shocked.scenario.network.demands if d.region == "US" and d.commodity == "logic_chip"]
    asked = sum(shocked.series("demand", d.id).sum() for d in us)
    assert chips["demand"].sum() == pytest.approx(asked)


def test_to_dataframe_labels_demands_by_segment(pair):
    shocked, _ = pair
    frame = shocked.to_dataframe(["delivered", "inventory"])
    demand_rows = frame[frame.variable == "delivered"]
    by_id = demand_rows.drop_duplicates("id").set_index("id")["segment"]
    assert by_id["US.demand.logic_chip.automotive"] == "automotive"
    assert by_id[[i for i in by_id.index if ".gallium" in i][0]] == ""
    assert frame[frame.variable == "inventory"]["segment"].eq("").all()   # stocks are not demands


def test_compare_by_segment_splits_the_demand_rows_only(pair):
    shocked, base = pair
    whole, split = compare(shocked, baseline=base, segments=False), compare(shocked, baseline=base)
    assert list(split.columns[:5]) == ["region", "commodity", "segment", "metric", "partner"]
    # The pooled view: one row per region and commodity, "ALL" only where the buyers are split by segment.
    pooled = whole[whole.segment == "ALL"]
    assert set(pooled["commodity"]) == {"logic_chip", "mature_chip", "mature_idm_chip", "memory_chip", "ndfeb_magnet"}
    assert set(pooled["metric"]) == {"demand", "delivered", "shortfall", "shortfall_usd", "fill_rate",
                                     "delivery_rate"}
    rest = whole[whole.segment != "ALL"].reset_index(drop=True)
    assert rest["segment"].eq("").all()
    pd.testing.assert_frame_equal(rest, split[split.segment == ""].reset_index(drop=True))   # same rows, same label
    stacked = pd.concat([split, pooled], ignore_index=True)
    assert not stacked.duplicated(["region", "commodity", "segment", "metric", "partner"]).any()
    gallium = stacked[(stacked.region == "US") & (stacked.commodity == "gallium") & (stacked.metric == "demand")]
    assert gallium["segment"].tolist() == [""]   # a demand without segments appears once in the stack
    rows = split[(split.region == "US") & (split.commodity == "logic_chip") & (split.metric == "shortfall_usd")]
    assert rows["segment"].tolist() == SEGMENTS
    total = whole[(whole.region == "US") & (whole.commodity == "logic_chip") & (whole.metric == "shortfall_usd")]
    assert rows["shocked"].sum() == pytest.approx(float(total["shocked"].iloc[0]))
    trade = split[split.metric.isin(["imports", "import_share", "tariff_paid_usd"])]
    assert len(trade) and trade["segment"].eq("").all()   # trade is per importing region
    assert len(split[~split.metric.isin(["demand", "delivered", "shortfall", "shortfall_usd", "fill_rate",
                                         "delivery_rate"])]) == len(whole[~whole.metric.isin(
                                             ["demand", "delivered", "shortfall", "shortfall_usd", "fill_rate",
                                              "delivery_rate"])])


def test_ensemble_tables_name_the_segment():
    scenario = sc.load_baseline(horizon_days=8, random_lead_times=True)
    ens = sc.simulate(scenario, engine="vector", n_runs=4, seed=2, keep="summary")
    short = ens.shortfall_summary()
    assert list(short.columns[:4]) == ["region", "commodity", "segment", "unit"]
    assert short.iloc[-1][["region", "commodity", "segment"]].tolist() == ["ALL", "ALL", "ALL"]
    assert short[(short.region == "KR") & (short.commodity == "memory_chip")]["segment"].tolist() == SEGMENTS
    assert ens.summary()["segment"].isin(["", *SEGMENTS, *MAGNET_GROUPS]).all()


def test_xarray_carries_a_demand_segment_coordinate(pair):
    pytest.importorskip("xarray")
    shocked, _ = pair
    ds = shocked.to_xarray("delivered")
    auto = ds["delivered"].where(ds["demand_segment"] == "automotive", drop=True)
    assert set(auto["demand_commodity"].values) == {"logic_chip", "mature_chip", "mature_idm_chip", "memory_chip"}


def test_run_out_and_format_csv_name_the_segment(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["run", "taiwan_blockade_magnets", "--engine", "vector", "--horizon", "10", "--seed", "1", "--quiet"]
    assert main([*argv, "--out", str(out)]) == 0
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    changes = pd.read_csv(out / "compare.csv", keep_default_na=False)
    for table in (summary, changes):
        assert table.columns[2] == "segment"
        assert set(table["segment"]) == {"", *SEGMENTS, *MAGNET_GROUPS}
    capsys.readouterr()
    assert main([*argv, "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].startswith("region,commodity,segment,metric,partner,")
    assert ",logic_chip,automotive,shortfall_usd," in printed
    # A measure undefined in both runs (a landed cost on a lane that never ships) is written as an empty cell.
    change = pd.to_numeric(changes["change"].replace("", np.nan))
    assert np.isfinite(change.dropna()).all() and change.notna().sum() > 0.9 * len(change)
