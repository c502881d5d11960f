"""Value added lost per USD of chips short in cars, factor by factor (docs/model.md §8.3, tools/tw_va_trace.py)."""

from __future__ import annotations

import pytest

from .impact_paths import DAYS, short_path


@pytest.fixture(scope="module")
def japan_short():
    """Japan's carmakers get 70 % of their foundry-made mature chips on days 5-24; every other demand in full."""
    return short_path("mature_chip", "automotive", lambda x: x.region == "JP")


def test_a_usd_of_the_class_short_stops_one_over_its_content_of_car_output(japan_short):
    net, table, f = japan_short
    price = {c.id: c.price_usd for c in net.commodities}
    chips = 365 * sum(price[x.commodity] * x.rate_per_day for x in net.demands
                      if x.segment == "automotive" and x.region == "JP")
    foundry = 365 * price["mature_chip"] * sum(
        x.rate_per_day for x in net.demands if (x.commodity, x.segment, x.region) == ("mature_chip", "automotive", "JP"))
    c29 = table.output[table.regions.index("JP"), table.sectors.index("C29")]
    # regions' automotive chips follow their C29 output, so Japan's content is the world's
    assert f["content_all"] == pytest.approx(chips / c29, rel=1e-5)
    assert f["content"] == pytest.approx(foundry / c29, rel=1e-5)
    assert f["dependence"] == 1.0                   # every car needs each class: no content caps C29
    # 20 days at 30 % short, seen over the 5-day working stock (the share builds up and runs down over 5 days),
    # less the substitution term, 0.1 x (days since the first short day) / 180
    window = [0.3 * len(set(range(t - 4, t + 1)) & set(range(5, 25))) / 5 for t in range(DAYS)]
    left = sum(max(s - 0.1 * (t - 4) / 180, 0.0) for t, s in enumerate(window) if t >= 5)
    assert sum(window) == pytest.approx(0.3 * 20)
    assert f["short"] == pytest.approx(0.3 * 20 * foundry / 365, rel=1e-9)
    assert f["effective"] == pytest.approx(left * foundry / 365, rel=1e-9)
    assert f["stopped"] / f["effective"] == pytest.approx(1 / f["content"], rel=1e-5)


def test_the_kernel_loses_japan_s_stopped_car_output_once(japan_short):
    _, table, f = japan_short
    # C29 buys parts from C29 (0.35 of its output): the capacity factor already stops them, the orders not
    # placed for them stop nothing more at home (a day's lag apart); abroad the parts makers lose Japan's orders
    assert f["gross_region"][table.regions.index("JP")] / f["stopped"] == pytest.approx(1.0, abs=0.005)
    assert f["gross"] > f["stopped"]
    # value added lost along the whole chain, every region: a USD per USD of C29 output net of the parts C29
    # sells to itself (0.35, every origin), which the gross output lost counts twice
    assert f["own_parts"] == pytest.approx(0.35)
    assert f["va"] / f["gross"] == pytest.approx(1 - f["own_parts"], abs=0.005)
