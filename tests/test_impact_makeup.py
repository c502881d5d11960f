"""Make-up of lost dependent output (docs/model.md §8.3, ARIO step 2b): hand-computed oracles."""

import dataclasses

import numpy as np
import pytest

import supplychain as sc
from supplychain.impact import Ario, ArioParameters
from supplychain.impact.loss import value_added_loss


def _one_node(days, stop, room_from, room, patience=180, makeup_max=0.25):
    """One node (no intermediate inputs, 10 USD a day, all of it dependent): output per day."""
    params = ArioParameters(np.array([30.0]), patience=patience, makeup_max=makeup_max)
    k = Ario(np.zeros((1, 1)), np.array([10.0]), np.array([0]), params, n_runs=1, dependent=np.array([1.0]))
    out = []
    for t in range(days):
        cap = np.array([[0.0 if t in stop else 1.0]])
        out.append(float(k.step(cap, np.array([[room if t >= room_from else 0.0]]))[0, 0]))
    return np.array(out), k


def test_ten_days_lost_made_up_at_twenty_percent_in_fifty_days():
    # 10 days x 10 USD lost; inputs back at 120 % of demand from day 15 allow 2 USD a day more: 50 days.
    out, k = _one_node(80, range(5, 15), 15, 0.2)
    assert out[5:15].sum() == 0.0
    assert np.allclose(out[15:65], 12.0) and np.allclose(out[65:], 10.0)
    assert out.sum() == pytest.approx(80 * 10.0)          # every lost day made up
    assert k.backlog.sum() == pytest.approx(0.0)


def test_makeup_bounded_by_overtime_share():
    # Room 0.2 but at most 0.14 above normal (Toyota 2011): 1.4 a day, 100 / 1.4 -> 71 days and 0.6 on the 72nd.
    out, _ = _one_node(120, range(5, 15), 15, 0.2, makeup_max=0.14)
    extra = out[15:] - 10.0
    assert np.allclose(extra[:71], 1.4) and extra[71] == pytest.approx(0.6) and np.allclose(extra[72:], 0.0)


def test_orders_older_than_patience_are_lost():
    # Patience 30: the order lost on day u waits until day u + 30. At 2 a day, orders 5..9 are made up by day 39;
    # from day 40 each day makes up 2 of the order that expires that day (10..14): 60 of the 100 lost.
    out, k = _one_node(80, range(5, 15), 15, 0.2, patience=30)
    assert (out[15:] - 10.0).sum() == pytest.approx(60.0)
    assert np.allclose(out[15:45], 12.0) and np.allclose(out[45:], 10.0)
    assert k.backlog.sum() == pytest.approx(0.0)


def test_nothing_made_up_without_inputs_above_demand_or_while_short():
    out, _ = _one_node(60, range(5, 15), 15, 0.0)          # inputs back at 100 %: the loss stays
    assert out.sum() == pytest.approx(60 * 10.0 - 100.0)
    out, _ = _one_node(60, range(5, 40), 15, 0.5)          # room while still short: nothing until day 40
    assert np.allclose(out[15:40], 0.0) and out[40] == pytest.approx(12.5)


def test_lost_sales_unchanged_and_backorders_made_up():
    # Japan's automotive mature-node buyers get nothing for 20 days. Lost sales: nothing comes back, and the
    # kernel keeps no backlog. Backordered: the chips come late, 25 % above demand, and the lost cars are made up.
    net = sc.load_baseline(horizon_days=5).network
    cols = [i for i, d in enumerate(net.demands)
            if d.region == "JP" and d.commodity.startswith("mature_chip") and d.segment == "automotive"]
    assert cols
    days = 150
    d = np.ones((1, days, len(net.demands)))
    y = d.copy()
    y[:, 10:30, cols] = 0.0
    lost = value_added_loss(d, y, net).total.sum()
    back = dataclasses.replace(net, demands=tuple(dataclasses.replace(x, unmet="backorder") if i in cols else x
                                                    for i, x in enumerate(net.demands)))
    assert value_added_loss(d, y, back).total.sum() == lost    # backorders never delivered late: same loss
    late = y.copy()
    late[:, 30:110, cols] = 1.25                             # 20 days' chips over 80 days
    made = value_added_loss(d, late, back).total.sum()
    window = value_added_loss(d, late, net).total.sum()      # lost sales: late chips fill the window's gaps only
    assert 0.97 * lost < window < lost
    assert 0.0 < made < window


def test_summary_accumulator_equals_daily_with_makeup():
    # keep="summary" feeds the same kernel day by day (and run by run through `row`): the same totals, bit for bit.
    from supplychain.impact.loss import LossAccumulator
    net = sc.load_baseline(horizon_days=5).network
    cols = [i for i, d in enumerate(net.demands) if d.region == "US" and d.commodity == "ndfeb_magnet"]
    back = dataclasses.replace(net, demands=tuple(dataclasses.replace(x, unmet="backorder") if i in cols else x
                                                    for i, x in enumerate(net.demands)))
    days = 90
    d = np.ones((2, days, len(net.demands)))
    y = d.copy()
    y[0, 5:20, cols] = 0.0
    y[0, 20:50, cols] = 1.5
    y[1, 10:15, cols] = 0.2
    daily = value_added_loss(d, y, back).total
    acc = LossAccumulator(back, 2)
    for t in range(days):
        acc.put(d[:, t], y[:, t])
    assert np.array_equal(acc.total, daily)
    one = LossAccumulator(back, 2)
    for t in range(days):
        one.row(1).put(d[1:, t], y[1:, t])
    assert np.array_equal(one.total[1], daily[1])
    assert daily[0].sum() < value_added_loss(d[:1], y[:1], net).total.sum()   # made up only when backordered


def test_backordered_magnet_ban_summary_equals_series():
    # A 21-day magnet ban with magnet users' orders kept: the summary sink's make-up equals the daily series'.
    from supplychain import ExportControl
    base = sc.load_baseline(horizon_days=80)
    ban = ExportControl(exporter="CN", commodity="ndfeb_magnet", mode="ban", start=5, end=25)
    net = base.network
    back = base.replace(network=dataclasses.replace(net, demands=tuple(
        dataclasses.replace(d, unmet="backorder") if d.commodity == "ndfeb_magnet" else d for d in net.demands)))
    res = sc.simulate(back.with_shocks(ban), engine="vector", seed=3)
    ens = sc.simulate(back.with_shocks(ban), engine="vector", seed=3, n_runs=1, keep="summary")
    assert np.array_equal(np.asarray(ens.value_added_loss)[0], res.value_added_loss().total[0])
    assert res.value_added_loss().total.sum() > 0
