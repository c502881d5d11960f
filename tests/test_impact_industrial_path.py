"""Value added lost per USD of chips short in industry, region by region and sector by sector (docs/model.md §8.3,
tools/tw_va_trace.py ``factors``)."""

from __future__ import annotations

import pytest

from tools.impact.build import CONTENT

from .impact_paths import short_path


@pytest.fixture(scope="module")
def china_us_short():
    """China's and the US's industrial buyers get 70 % of their foundry-made mature chips on days 5-24."""
    return short_path("mature_chip", "industrial", lambda x: x.region in ("CN", "US"))


def test_the_split_adds_up_to_the_path(china_us_short):
    _, table, f = china_us_short
    b = f["by_node"]
    assert b["sectors"] == ("C27", "C28")
    assert b["short"].sum() == pytest.approx(f["short"], rel=1e-12)
    assert b["effective"].sum() == pytest.approx(f["effective"], rel=1e-12)
    assert b["stopped"].sum() == pytest.approx(f["stopped"], rel=1e-12)
    assert b["gross"].sum() == pytest.approx(f["gross"], rel=1e-12)
    assert b["va_region"].sum() == pytest.approx(f["va"], rel=1e-12)
    short = {r for r, s in zip(table.regions, b["short"]) if s > 0}
    assert short == {"CN", "US"}


def test_where_the_content_caps_the_dependence_a_usd_short_stops_one_over_the_content(china_us_short):
    _, table, f = china_us_short
    b = f["by_node"]
    theta = CONTENT[("mature_chip", "C28")][0]                 # 13.84 / 749 x 15.56 / 87.866, rounded: 0.00327
    assert b["use"] == pytest.approx([0.4, 0.6])                # the segment's chips go 0.4 : 0.6 to C27 and C28
    cn, us = table.regions.index("CN"), table.regions.index("US")
    per = {r: b["stopped"][r] / (b["use"] * b["effective"][r]) for r in (cn, us)}   # output stopped per USD of its chips
    # China: both sectors capped (w < 1), so each USD short stops 1 / theta of output, 306 USD
    assert b["dependence"][cn] == pytest.approx([0.57, 0.95], abs=0.01)
    assert per[cn] == pytest.approx([1 / theta, 1 / theta], rel=1e-9)
    # the US's C28 is capped; its C27 (160 bn a year) is smaller than its 0.4 of the chips can serve: w = 1, and a USD
    # short stops the sector's output over the chips it takes, less than 1 / theta
    assert b["dependence"][us] == pytest.approx([1.0, 0.62], abs=0.01)
    assert per[us][1] == pytest.approx(1 / theta, rel=1e-9)
    assert per[us][0] < 0.95 / theta
