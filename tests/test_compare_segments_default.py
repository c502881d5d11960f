"""``compare`` lists chip buyers per end-use segment by default, as ``summary()`` and ``compare.csv`` do."""

from __future__ import annotations

import pytest

from supplychain.analytics._cover_toy import segment_stop_scenario
from supplychain.analytics.compare import compare, compare_to_unshocked, demand_changes, format_changes
from supplychain.run import simulate


@pytest.fixture(scope="module")
def pair():
    scenario = segment_stop_scenario()
    return simulate(scenario, seed=1), simulate(scenario.without_shocks(), seed=1)


def test_the_default_splits_the_buyers_and_segments_false_pools_them(pair):
    shocked, base = pair
    split, pooled = compare(shocked, baseline=base), compare(shocked, baseline=base, segments=False)
    assert list(split.columns[:5]) == ["region", "commodity", "segment", "metric", "partner"]
    assert list(pooled.columns) == list(split.columns)
    demand_rows = pooled.metric.isin(["demand", "delivered", "shortfall", "shortfall_usd", "fill_rate",
                                      "delivery_rate"])
    assert pooled[demand_rows]["segment"].eq("ALL").all()        # both buyers carry a segment: pooled as ALL
    assert pooled[~demand_rows]["segment"].eq("").all()          # trade is per importing region in both views
    short = split[split.metric == "shortfall_usd"].set_index("segment")["change"]
    # Hand-computed (segment_stop_scenario): automotive holds 3 days of a 7-day gap, electronics 6, at 10 t/day, $100/t.
    assert short.to_dict() == {"automotive": 4000.0, "electronics": 1000.0}
    assert pooled[pooled.metric == "shortfall_usd"]["change"].tolist() == [5000.0]
    assert compare(base, shocked).equals(split)            # both call forms, the same default


def test_the_printed_table_names_each_segment(pair):
    shocked, base = pair
    text = format_changes(compare(shocked, baseline=base))
    assert "segment" in text.splitlines()[3]
    assert "US      ore        automotive" in text and "0 of 2 demands unchanged." in text
    pooled = format_changes(compare(shocked, baseline=base, segments=False))
    assert "segment" not in pooled and "0 of 1 demands unchanged." in pooled
    assert list(demand_changes(compare(shocked, baseline=base))["segment"]) == ["automotive", "electronics"]


def test_compare_to_unshocked_takes_the_same_default(pair):
    shocked, _ = pair
    assert "segment" in compare_to_unshocked(shocked).columns
    pooled = compare_to_unshocked(shocked, segments=False)
    assert pooled[pooled.metric == "shortfall_usd"]["segment"].tolist() == ["ALL"]


def test_the_pooled_and_the_split_views_stack_into_one_table(pair):
    import pandas as pd
    shocked, base = pair
    split, pooled = compare(shocked, baseline=base), compare(shocked, baseline=base, segments=False)
    keys = ["region", "commodity", "segment", "metric", "partner"]
    # The rows the two views share (trade here) are the same rows, under the same segment "".
    same = pooled[pooled.segment != "ALL"].reset_index(drop=True)
    pd.testing.assert_frame_equal(same, split[split.segment == ""].reset_index(drop=True))
    both = pd.concat([split, pooled[pooled.segment == "ALL"]], ignore_index=True)
    assert not both.duplicated(keys).any()   # no row reads twice
    assert both.equals(pd.concat([split, pooled], ignore_index=True).drop_duplicates(ignore_index=True))
    # Each pooled shortfall is the sum of its segments' (hand-computed: 4000 + 1000).
    short = both[both.metric == "shortfall_usd"].groupby(both.segment == "ALL")["change"].sum()
    assert short.to_dict() == {False: 5000.0, True: 5000.0}
