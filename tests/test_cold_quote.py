"""Quotes, reach and spare capacity of a line restarting cold, docs/model.md §5.7, §5.6.5, §5.6.6.

A mine ships ore to two fabs, CN and KR (capacity 20/day each, steady output 5, restart delay 5 days
and ramp 7, ``semiconductors`` chain: a stop of 7 days or more restarts cold, §5.4.2), which ship
chips, half each, to a consumer demanding 10/day. KR's fab stops on days 5-14 (10 days): its capacity
is back on day 15 = b, its cold factor is ``clip((t - 15 - 5 + 1) / 7, 0, 1)`` (0 on days 15-19, 1/7
on day 20, 1 from day 26). CN's fab is lost for good from day 16, its stock destroyed (a supplier with
stock beyond what it owes would ship it first, §5.6.5), so the consumer diverts CN's half.

The days of full output the cold restart withholds from its n-th day back on, by hand:
``W(n) = sum_{k >= n} (1 - clip((k - 4) / 7, 0, 1))``: five whole days (k = 0..4) then
6/7 + 5/7 + ... + 1/7 = 3, so W(0) = 8, W(5) = 3, W(6) = 15/7, ..., W(10) = 1/7, W(11) = 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.model import (
    CapacityShock,
    Commodity,
    DaysOfCover,
    Demand,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
)
from supplychain.run import simulate

BACK = 15
W = [8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 15 / 7, 10 / 7, 6 / 7, 3 / 7, 1 / 7, 0.0]
CN, KR = 2, 3  # lanes CN.fab>US.chip, KR.fab>US.chip


def _fab(fid: str, region: str) -> Facility:
    return Facility(fid, region, "fab", "chip", 20.0, recipe={"ore": 2.0}, initial_inventory={"ore": 1600.0},
                    restart_days=5.0, restart_ramp_days=7.0,
                    policies={"chip": DaysOfCover(10.0), "ore": DaysOfCover(0.0)})


def scenario(cover: float) -> Scenario:
    net = Network(
        regions=(Region("CN"), Region("KR"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("chip", "u", 5.0, chain="semiconductors")),
        facilities=(Facility("CN.mine", "CN", "mine", "ore", 40.0, policies={"ore": DaysOfCover(0.0)}),
                    _fab("CN.fab", "CN"), _fab("KR.fab", "KR")),
        lanes=(Lane("CN.mine", "CN.fab", "ore", lead_time=Fixed(1.0)),
               Lane("CN.mine", "KR.fab", "ore", lead_time=Fixed(1.0)),
               Lane("CN.fab", "US.chip", "chip", lead_time=Fixed(1.0)),
               Lane("KR.fab", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", 10.0, policy=DaysOfCover(cover)),),
    )
    shocks = (CapacityShock(facility="KR.fab", fraction_lost=1.0, start=5, end=BACK, recovery_days=0),
              CapacityShock(facility="CN.fab", fraction_lost=1.0, start=16, recovery_days=0, destroy_inventory=1.0))
    return Scenario(net, horizon_days=40).with_shocks(*shocks)


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_cold_line_quotes_its_withheld_output_then_its_normal_rate(engine):
    """Down on days 5-14: 15 - t days to its restart plus W(0) = 8 (the stop is 10 >= 7 days long by
    then); back: W(t - 15), then what it owes at its normal rate 5/day, plus the 1-day transport."""
    res = simulate(scenario(20.0), engine=engine, seed=0)
    quote, owed = res.arrays["quoted_lead_time"][0, :, KR], res.arrays["backlog"][0, :, KR]
    np.testing.assert_allclose(owed[:BACK], 0.0, atol=1e-12)
    days = np.arange(5, BACK)
    np.testing.assert_allclose(quote[5:BACK], 1.0 + (BACK - days) + W[0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(quote[BACK:BACK + 11], 1.0 + np.array(W[:11]) + owed[BACK:BACK + 11] / 5.0,
                               rtol=0, atol=1e-9)
    assert owed[BACK:BACK + 11].min() > 0  # the buyer keeps ordering from it: 8 days < 90 of patience


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_capacity_still_cold_is_not_spare(engine):
    """CN's half has nowhere to go while KR is in its cold delay (days 16-19) and on its first ramp
    day (20: 20/7 < its throughput): KR's applied share stays 1/2, the diverted half is not placed.
    On day 21 KR takes exactly its spare capacity ``2/7 * 20 - h(20)``, its throughput h the 30-day
    moving average of its shipments from 5/day (§5.7), recomputed here from the recorded flows."""
    res = simulate(scenario(20.0), engine=engine, seed=0)
    share, flow, owed = (res.arrays[k][0] for k in ("share", "flow", "backlog"))
    np.testing.assert_allclose(share[16:21, KR], 0.5, rtol=0, atol=1e-12)
    np.testing.assert_allclose(share[16:, CN], 0.0, atol=1e-12)
    h = 5.0
    for t in range(21):
        h += (flow[t, KR] - h) / 30.0
    spare = 2.0 / 7.0 * 20.0 - h
    order = owed[21, KR] - owed[20, KR] + flow[21, KR]  # not late: nothing cancelled
    q = order / share[21, KR]
    assert 0 < spare < 0.5 * q
    assert order - 0.5 * q == pytest.approx(spare, abs=1e-9)


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_a_cold_line_is_out_of_reach_until_its_withheld_output_lands_within_the_horizon(engine):
    """With 5 days of cover the consumer's horizon is 5 + 1 = 6 days. KR, out of stock when it comes
    back, is out of reach while W(t - 15) + 1 > 6 (days 15-17) and in reach from day 18 (W(3) = 5)."""
    res = simulate(scenario(5.0), engine=engine, seed=0)
    share = res.arrays["share"][0]
    np.testing.assert_allclose(share[15:18, KR], 0.0, atol=1e-12)
    assert share[18, KR] > 0.5


def test_engines_agree_exactly_on_cold_quotes():
    from tests.test_engine_agreement import assert_same_series
    for cover in (20.0, 5.0):
        s = scenario(cover)
        assert_same_series(simulate(s, engine="des", seed=0), simulate(s, engine="vector", seed=0))
