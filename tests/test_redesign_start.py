"""Redesign starts on a column's first short day or on the first day an export control upstream is in force.

docs/model.md §8.3, *Substitution and thrifting*: the clock of ``sigma min(1, a / T)`` starts at the earlier of
the two; `supplychain.impact.threat.control_days` finds the control days from the scenario's baseline lanes.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import sparse

import supplychain as sc
from supplychain.analytics.impact import policy_value_added, redesign_start
from supplychain.impact.kernel import ArioParameters
from supplychain.impact.loss import InputMap, Shortfalls
from supplychain.impact.table import IOTable
from supplychain.impact.threat import control_days


def _toy(substitution=(0.2, 4.0)):
    table = IOTable(regions=("A",), sectors=("X", "Y", "Z"), output=np.ones((1, 3)), a=np.zeros((3, 3)),
                    value_added=np.ones(3), dependence={"c": np.array([[1.0, 0.5, 1.0]])},
                    params=ArioParameters(np.full(3, 30.0)), use={"c": np.array([0.5, 0.3, 0.2])},
                    priority={"c": np.ones(3)}, substitution={"c": substitution})
    net = SimpleNamespace(demands=[SimpleNamespace(region="A", commodity="c")])
    return InputMap.build(net, table)


DELIVERED = [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0]     # share of demand delivered, days 0-7: short on days 4-6


def _capacity(controls):
    short = Shortfalls(_toy(), n_runs=1, controls=controls)
    return [short.capacity(np.array([[1.0]]), np.array([[y]]))[0, 0] for y in DELIVERED], short


@pytest.mark.parametrize("controls, ages, expected", [
    # No control: the clock starts on day 4, s_eff = 0.5 - 0.2 a / 4 with a = 1, 2, 3; X (dependence 1) keeps 1 - s_eff.
    (None, [0, 0, 0, 0, 1, 2, 3, 4], [1.0, 1.0, 1.0, 1.0, 0.55, 0.6, 0.65, 1.0]),
    # A control from day 2: a = 3, 4, 5 on the short days, so 0.5 - 0.15 and then 0.5 - 0.2 (the ramp is full).
    ([2.0], [0, 0, 1, 2, 3, 4, 5, 6], [1.0, 1.0, 1.0, 1.0, 0.65, 0.7, 0.7, 1.0]),
    # A control from day 6, after the first short day: the shortfall's clock is the earlier one.
    ([6.0], [0, 0, 0, 0, 1, 2, 3, 4], [1.0, 1.0, 1.0, 1.0, 0.55, 0.6, 0.65, 1.0]),
    # A control in force before day 0 reaches the kernel as day 0 (control_days clips it): a = t + 1.
    ([0.0], [1, 2, 3, 4, 5, 6, 7, 8], [1.0, 1.0, 1.0, 1.0, 0.7, 0.7, 0.7, 1.0]),
])
def test_the_clock_starts_at_the_earlier_of_the_control_and_the_first_short_day(controls, ages, expected):
    short = Shortfalls(_toy(), n_runs=1, controls=controls)
    got, seen = [], []
    for y in DELIVERED:
        got.append(short.capacity(np.array([[1.0]]), np.array([[y]]))[0, 0])
        seen.append(int(short.age[0, 0]))
    assert seen == ages
    assert np.allclose(got, expected)


def test_a_run_fed_through_its_row_keeps_the_control_day():
    both = Shortfalls(_toy(), n_runs=2, controls=[2.0])
    for y in DELIVERED[:5]:
        one = both.row(1).capacity(np.array([[1.0]]), np.array([[y]]))
    assert one[0, 0] == pytest.approx(0.65) and both.age[:, 0].tolist() == [0.0, 3.0]


def _scenario(*shocks, horizon=100):
    """Ore (CN, ROW) -> metal (KR) -> chips (JP, CN) -> demands in US, CN and JP; ``share 0`` lanes are alternates."""
    f = lambda i, r, out: SimpleNamespace(id=i, region=r, output=out)          # noqa: E731
    lane = lambda o, d, c, s=1.0: SimpleNamespace(origin=o, destination=d, commodity=c, share=s)   # noqa: E731
    net = SimpleNamespace(
        facilities=[f("ore_cn", "CN", "ore"), f("ore_row", "ROW", "ore"), f("metal_kr", "KR", "metal"),
                    f("chip_jp", "JP", "chip"), f("chip_cn", "CN", "chip")],
        demands=[SimpleNamespace(id=i, region=r, commodity="chip") for i, r in
                 (("d_us", "US"), ("d_cn", "CN"), ("d_jp", "JP"))],
        lanes=[lane("ore_cn", "metal_kr", "ore"), lane("ore_row", "metal_kr", "ore", 0.0),
               lane("metal_kr", "chip_jp", "metal"), lane("chip_jp", "d_us", "chip", 0.5),
               lane("chip_cn", "d_us", "chip", 0.5), lane("chip_cn", "d_cn", "chip"),
               lane("chip_jp", "d_cn", "chip", 0.0), lane("chip_cn", "d_jp", "chip")])
    scen = SimpleNamespace(network=net, shocks=shocks, start_date=dt.date(2025, 1, 1), horizon_days=horizon)
    imap = SimpleNamespace(columns=(("US", "chip", None), ("CN", "chip", None), ("JP", "chip", None)),
                           summing=sparse.csr_matrix(np.eye(3)))
    return scen, imap


@pytest.mark.parametrize("shocks, expected", [
    # China's ore to Korea feeds Japan's chips, half the US's supply: the US from day 10. China's own buyers take
    # China's chips (Japan's lane to them is an alternate), Japan's buyers take China's chips: neither.
    ([sc.ExportControl(exporter="CN", commodity="ore", start=10)], [10, None, None]),
    # Chips to Japan only, from day 30 and a quota: only Japan; the US keeps day 10 (the earlier control).
    ([sc.ExportControl(exporter="CN", commodity="ore", start=10),
      sc.ExportControl(exporter="CN", commodity="chip", mode="quota", quota_per_period=1.0, destinations=("JP",),
                       start=30)], [10, None, 30]),
    # Every good China exports, Korea exempt: the ore lane is Korea's, so only Japan's and the US's chips from China.
    ([sc.ExportControl(exporter="CN", commodity="*", except_destinations=("KR",), start=5)], [5, None, 5]),
    # In force before day 0 (from day 0), ended before day 0 (nothing), after the horizon (nothing), a capacity
    # stop of China's ore (nothing: users restore or wait, they do not redesign before they are short).
    ([sc.ExportControl(exporter="CN", commodity="ore", start=-40)], [0, None, None]),
    ([sc.ExportControl(exporter="CN", commodity="ore", start=-40, end=-1)], [None, None, None]),
    ([sc.ExportControl(exporter="CN", commodity="ore", start=120)], [None, None, None]),
    ([sc.CapacityShock(region="CN", stage="ore", fraction_lost=1.0, start=3)], [None, None, None]),
])
def test_control_days_follow_the_baseline_lanes_downstream_of_the_controlled_ones(shocks, expected):
    scen, imap = _scenario(*shocks)
    days = control_days(scen, imap)  # type: ignore[arg-type]
    assert days.tolist() == [np.inf if e is None else float(e) for e in expected]


@pytest.fixture(scope="module")
def reserve_runs():
    """Taiwan bans mature-node chips to the US from day 5 (unshocked, ban, ban and a US reserve)."""
    base = sc.load_baseline(horizon_days=40)
    ban = sc.ExportControl(exporter="TW", commodity="mature_chip", destinations=("US",), start=5)
    reserve = sc.StockpileRelease(region="US", commodity="mature_chip", days_of_cover=40, release_below_cover_days=30,
                                  start=5)
    return [sc.simulate(s, engine="vector", seed=1)
            for s in (base, base.with_shocks(ban), base.with_shocks(ban, reserve))]


def test_a_reserve_under_a_control_postpones_the_shortfall_not_the_redesign(reserve_runs):
    _, ban, reserve = reserve_runs
    a, b = (redesign_start(r).set_index(["run", "region", "commodity", "segment"]) for r in (ban, reserve))
    us = [k for k in a.index if k[1] == "US" and k[2] == "mature_chip" and a.first_short_day[k] >= 0]
    assert us, "the ban leaves some US mature-node buyers short"
    # The reserve keeps the automotive buyers supplied to the horizon (short from day 25 without it).
    assert any(b.first_short_day[k] < 0 or b.first_short_day[k] > a.first_short_day[k] for k in us)
    for k in us:                                  # the control's day starts redesign in both runs
        assert a.start_day[k] == b.start_day[k] == a.control_day[k] == 5
    table = policy_value_added(reserve, without=ban, baseline=reserve_runs[0])
    assert not any((table.attrs["postponed"].region == "US") & (table.attrs["postponed"].commodity == "mature_chip"))
