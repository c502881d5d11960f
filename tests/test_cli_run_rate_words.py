"""The run-rate lines say what keeps costing at the end: a shock still in force, or the shortages a shock
that had ended left behind (a 90-day magnet ban ended on 2 May still cost in late May)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from supplychain.analytics._toy import toy_scenario
from supplychain.cli.impact_text import format_run_rate, shocks_ended
from supplychain.model import CapacityShock, ExportControl, StockpileRelease


def _rate(rising: bool) -> pd.DataFrame:
    # The 90-day ban's figures at a 150-day horizon: $93.2bn lost, 41.9 % of it in the last 30 days.
    total = 93.2e9
    rate = pd.DataFrame({"loss_usd": [40e9, total], "run_rate_usd_per_year": [210e9, 365 * 0.419 * total / 30],
                         "previous_run_rate_usd_per_year": [150e9, 300e9], "last_days_share": [0.4, 0.419],
                         "rising": [rising, False]}, index=pd.Index(["ROW", "ALL"], name="region"))
    rate.attrs.update(days=30, horizon_days=150)
    return rate


def test_shocks_ended_is_the_last_end_within_the_horizon():
    ban = ExportControl(exporter="CN", commodity="ore", mode="ban", start=dt.date(2025, 2, 1), end=dt.date(2025, 5, 2))
    scenario = toy_scenario(150).with_shocks(ban)
    assert shocks_ended(scenario) == dt.date(2025, 5, 2)
    # A response does not count; a standing condition from before day 0 is in the baseline too.
    release = StockpileRelease(region="US", commodity="ore", reserve=10.0, max_release_per_day=1.0,
                               release_below_cover_days=5.0, start=0)
    standing = CapacityShock(region="CN", fraction_lost=0.1, start=-10)
    assert shocks_ended(scenario.with_shocks(release, standing)) == dt.date(2025, 5, 2)
    assert shocks_ended(toy_scenario(100).with_shocks(ban)) is None           # in force on the last day
    assert shocks_ended(scenario.with_shocks(CapacityShock(region="CN", fraction_lost=0.5, start=3))) is None
    assert shocks_ended(toy_scenario(150)) is None


def test_after_the_shock_ended_the_lines_name_the_shortages_it_left_not_a_shock_in_force():
    lines = format_run_rate(_rate(rising=True), ended=dt.date(2025, 5, 2))
    assert lines[0].startswith("Run rate at the end: $475bn a year (mean daily loss of the last 30 days x 365; "
                               "ROW $210bn); 41.9% of the total")
    assert "the shocks had ended on 2025-05-02, but the shortages they left" in lines[1]
    assert "still rising in ROW" in lines[1] and "still in force" not in lines[1]
    in_force = format_run_rate(_rate(rising=True))
    assert "a shock still in force keeps costing" in in_force[1]
