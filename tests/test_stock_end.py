"""`compare`'s stock held in the chain on the last day (``stock_end_usd``), and `format_changes`' line on stock the
shock drew that the chain had not rebuilt when the run ended (docs/model.md §6.6, a stop of Taiwan's logic fabs)."""

from __future__ import annotations

import pytest

from supplychain import compare, simulate
from supplychain.analytics.compare import STOCK_END_METRIC, format_changes
from supplychain.metrics._cover_toy import stop_scenario


@pytest.fixture(scope="module")
def mid_stop():
    """The toy mine (10 t/day to the US, 1-day lane, US holds 100 t, the mine 10 t) stopped from day 5, run to day 8."""
    scenario = stop_scenario(stop_days=5, start=5, horizon_days=9)
    return simulate(scenario, seed=1), simulate(scenario.without_shocks(), seed=1)


def _stock_change(table, region):
    row = table[(table.metric == STOCK_END_METRIC) & (table.region == region)]
    return float(row["baseline"].iloc[0]), float(row["change"].iloc[0])


def test_stock_end_is_hand_computed_and_conserves_material(mid_stop):
    shocked, base = mid_stop
    table = compare(shocked, baseline=base)
    # Hand-computed, day 8 (the stop's fourth day), ore at $100/t: the US holds 80 t (nothing landed on days 7-8)
    # against 100 t, and nothing is in transit to it against the baseline's day of 10 t: -30 t. The mine's finished
    # ore, 10 t in the baseline, shipped on day 5: -10 t.
    assert _stock_change(table, "US") == (11_000.0, -3_000.0)
    assert _stock_change(table, "CN") == (1_000.0, -1_000.0)
    # Conservation: the chain's stock fell by what was not produced less what was not delivered.
    lost = float(base.values("production").sum() - shocked.values("production").sum())
    undelivered = float(base.values("delivered").sum() - shocked.values("delivered").sum())
    assert -(lost - undelivered) * 100.0 == pytest.approx(
        float(table[table.metric == STOCK_END_METRIC]["change"].sum()))


def test_format_changes_says_what_was_not_rebuilt(mid_stop):
    shocked, base = mid_stop
    text = format_changes(compare(shocked, baseline=base))
    assert "Not rebuilt when the run ended: $4.00k of stock below the baseline's in all regions (ore $4.00k, " \
           "33.3% of its stock)" in text
    assert text.splitlines()[-1] == "1 of 1 demands unchanged."


def test_a_rebuilt_stock_is_not_reported():
    # Run long enough (to day 39) the mine rebuilds every stock at twice the demand: nothing below the baseline's
    # (the restocking orders still in transit put the US a few tonnes above it), no line.
    scenario = stop_scenario(stop_days=5, start=5, horizon_days=40)
    table = compare(simulate(scenario, seed=1), baseline=simulate(scenario.without_shocks(), seed=1))
    assert float(table[table.metric == STOCK_END_METRIC]["change"].min()) >= 0.0
    assert "Not rebuilt" not in format_changes(table)
