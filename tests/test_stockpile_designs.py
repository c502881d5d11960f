"""A strategic reserve of design-locked goods (chips) serves the buyers' designs (docs/model.md §6.10, §5.6.6),
and `policy_value_added` separates a response's effect on value added from the redesign it postpones (§8.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import supplychain as sc
from supplychain.analytics.impact import _first_short, policy_value_added, redesign_start, value_added_loss_table
from supplychain.impact import load_io_table
from supplychain.impact.loss import InputMap

from .conftest import assert_engines_agree

SURGE = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0, start=5)
RESERVE = sc.StockpileRelease(region="US", commodity="logic_chip", days_of_cover=60, release_below_cover_days=40,
                              start=5)
ELECTRONICS = "US.demand.logic_chip.electronics"


@pytest.fixture(scope="module")
def base() -> sc.Scenario:
    return sc.load_baseline(horizon_days=40)


@pytest.fixture(scope="module")
def runs(base):
    """Paired vector runs: unshocked, a tenfold surge of US logic-chip demand, the surge with a US reserve."""
    return [sc.simulate(s, engine="vector", seed=1)
            for s in (base, base.with_shocks(SURGE), base.with_shocks(SURGE, RESERVE))]


def test_reserve_serves_locked_designs(runs):
    # Buyers of logic chips hold 80 % of their designs qualified at one foundry only (second-source share 0.2).
    # Released units were free stock only, so the buyers (their position full) ordered less and were served 20 %
    # of their demand with 60,000 chips in stock; released units are now of their designs by their parts of use.
    _, surge, reserve = runs
    i = reserve.coords.demand.index(ELECTRONICS)
    stock = reserve.series("inventory", f"{ELECTRONICS}:logic_chip")[0]
    days = np.arange(5, 15)
    assert (stock[days] > reserve.demand[0, days, i]).all()       # the reserve keeps the stock above a day's demand
    np.testing.assert_allclose(reserve.delivered[0, days, i], reserve.demand[0, days, i], rtol=1e-12)
    assert reserve.series("released", f"{ELECTRONICS}:logic_chip")[0].sum() > 0
    assert reserve.delivered[0, :, i].sum() > 1.2 * surge.delivered[0, :, i].sum()


def test_engines_agree_on_a_reserve_of_locked_designs(base):
    scenario = base.with_horizon(25).with_shocks(SURGE, RESERVE)
    assert_engines_agree(sc.simulate(scenario, engine="des", seed=1), sc.simulate(scenario, engine="vector", seed=1))


def test_first_short_day_by_hand(base):
    # The day each column's redesign clock starts: the first day its working-stock window is short of deliveries.
    net = base.network
    table = load_io_table()
    imap = InputMap.build(net, table)
    demand = np.ones((1, 12, len(net.demands)))
    delivered = demand.copy()
    jp = [d for d, dem in enumerate(net.demands) if dem.region == "JP" and dem.commodity == "mature_chip"]
    kr = [d for d, dem in enumerate(net.demands) if dem.region == "KR" and dem.commodity == "mature_chip"]
    delivered[0, 4, jp] = 0.5                      # half of one day: the 5-day window is short from day 4 on
    delivered[0, 2, kr] = 1.0 - 1e-12              # rounding, below the tolerance: never short
    first = _first_short(imap, demand, delivered, table.working_stock_days)[0]
    for k, (region, commodity, _) in enumerate(imap.columns):
        want = 4 if (region, commodity) == ("JP", "mature_chip") else -1
        assert first[k] == want, (region, commodity)


def test_policy_value_added_splits_the_change(runs):
    unshocked, surge, reserve = runs
    table = policy_value_added(reserve, without=surge, baseline=unshocked)
    regions = table[table.region != "ALL"]
    total = table[table.region == "ALL"].iloc[0]
    for column in ("without_usd", "policy_usd", "change_usd", "change_no_redesign_usd"):
        assert total[column] == pytest.approx(regions[column].sum(), rel=1e-12)
    np.testing.assert_allclose(table.change_usd, table.policy_usd - table.without_usd, rtol=1e-12)
    # The policy's loss by region is the run console's table (another path through the kernel).
    console = value_added_loss_table(reserve, baseline=unshocked).groupby("region")["value_added_loss_usd"].sum()
    for row in regions.itertuples():
        assert row.policy_usd == pytest.approx(console[row.region], rel=1e-9)
    assert total.change_usd < 0                    # the reserve now helps
    postponed = table.attrs["postponed"]
    assert set(postponed.region) == {"US"} and set(postponed.commodity) == {"logic_chip"}
    starts = {n: redesign_start(r).set_index(["region", "commodity", "segment"]).start_day
              for n, r in (("without", surge), ("policy", reserve))}
    for row in postponed.itertuples():
        key = (row.region, row.commodity, row.segment)
        assert row.days == starts["policy"][key] - starts["without"][key] > 0
    assert "postpones the first short day of logic_chip (automotive) in US" in table.attrs["note"]


def test_policy_value_added_of_no_change(runs):
    unshocked, surge, _ = runs
    table = policy_value_added(surge, without=surge, baseline=unshocked)
    assert not table.change_usd.any() and not table.change_no_redesign_usd.any()
    note = ("The response changes value added lost by $0; it postpones no input's redesign (its first short day, or "
            "an export control upstream).")
    assert table.attrs["note"] == note


def test_policy_value_added_needs_paired_runs(base, runs):
    unshocked, surge, reserve = runs
    other = sc.simulate(base.with_shocks(SURGE), engine="vector", seed=2)
    with pytest.raises(ValueError, match="paired runs"):
        policy_value_added(reserve, without=other, baseline=unshocked)


def test_policy_value_added_splits_each_region_loss_by_whose_shortfall_it_is(runs):
    # Only US demands are short under the US surge: every US dollar of loss is the US's own shortfall (the same
    # input-output run), and the other regions' losses come wholly from it through trade (own part 0).
    unshocked, surge, reserve = runs
    table = policy_value_added(reserve, without=surge, baseline=unshocked)
    own = table.attrs["own_usd"]
    lost = table.set_index("region").policy_usd
    assert own["US"] == pytest.approx(lost["US"], rel=1e-9) and lost["US"] > 0
    others = [r for r in own.index if r != "US"]
    assert (own[others] == 0.0).all() and (lost[others] > 0).any()
    assert "through its industries' sales to and purchases from" not in table.attrs["note"]   # the US's is its own


def test_policy_note_says_when_a_region_loses_through_others_shortfalls():
    # Korea's reserve under a gallium ban (docs/model.md §8.3): Korea's 451 k is all other regions' shortfalls, and
    # the deliveries the reserve adds are covered by redesign (-9.18 USD as shipped, -1.44 M without it).
    from supplychain._format import UsdFrame
    from supplychain.analytics.impact import _policy_note

    frame = UsdFrame({"region": ["KR", "JP", "ALL"], "without_usd": [451e3, 60.6e6, 61.05e6],
                      "policy_usd": [451e3, 60.6e6, 61.05e6], "change_usd": [-9.18, -1.89e3, -1.9e3],
                      "change_no_redesign_usd": [-1.44e6, -5.82e3, -1.45e6]})
    empty = pd.DataFrame(columns=["region", "commodity", "segment", "days"])
    note = _policy_note(frame, empty, pd.Series({"KR": 0.0, "JP": 60.0e6}), ["KR"])
    assert "Without redesign and thrifting the deliveries it adds would save $1.45M" in note
    assert note.endswith("KR still loses $451k of value added with the response: all of it through its industries' "
                         "sales to and purchases from the regions that are short (input-output links), not from KR's "
                         "own shortfalls, so no response in KR alone changes it.")
    half = _policy_note(frame, empty, pd.Series({"KR": 200e3, "JP": 60.0e6}), ["KR"])
    assert "KR still loses $451k of value added with the response: $251k of it through" in half
