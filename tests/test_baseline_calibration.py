"""Calibration checks: published figures the baseline must reproduce as outputs (steady state), each cited.

The table is the package's (``supplychain/data/calibration.toml``, computed by
:func:`supplychain.datasets.calibration.calibration_table`), the same one ``supplychain data --check``
prints: one test per row, plus checks that the table can fail and that the chip and gallium answers
follow from demand placed where goods are used.
"""

from __future__ import annotations

import dataclasses

import pytest

import supplychain as sc
from supplychain import ExportControl
from supplychain.datasets.baseline import load_baseline
from supplychain.datasets.calibration import calibration_table

SILICON_CHIPS = ("memory_chip", "logic_chip", "mature_chip", "mature_idm_chip")


@pytest.fixture(scope="module")
def network():
    return load_baseline().network


ROWS = calibration_table()


@pytest.mark.parametrize("row", ROWS, ids=[r.figure for r in ROWS])
def test_baseline_reproduces_published_figure(row):
    """One row of the shipped calibration table (supplychain/data/calibration.toml)."""
    assert row.passed, f"{row.figure}: model {row.model:,.4g}, published {row.published:,.4g} ({row.source})"


def test_calibration_covers_the_published_figures_the_issue_names():
    figures = " | ".join(r.figure for r in ROWS)
    for m in ("cobalt", "nickel", "manganese", "natural graphite", "gallium", "germanium"):
        assert f"US net import reliance, {m}" in figures, m
    for what in ("mining", "refined", "Korea's", "Japan's", "cell capacity", "chip use"):
        assert what in figures, what


def test_a_miscalibrated_network_fails_its_checks(network):
    """The checks can fail: cut US cobalt demand, or drop US scrap supply, and the US cobalt rows fail."""
    less = tuple(dataclasses.replace(d, rate_per_day=d.rate_per_day / 4) if d.id == "US.demand.cobalt_refined"
                 else d for d in network.demands)
    rows = {r.figure: r for r in calibration_table(dataclasses.replace(network, demands=less))}
    assert not rows["US cobalt consumption, t Co/yr"].passed
    assert rows["US net import reliance, cobalt"].passed       # scrap supply scales with demand
    no_scrap = tuple(l for l in network.lanes if l.origin != "US.recycling.cobalt_refined")
    rows = {r.figure: r for r in calibration_table(dataclasses.replace(network, lanes=no_scrap))}
    assert rows["US net import reliance, cobalt"].model == pytest.approx(1.0)
    assert not rows["US net import reliance, cobalt"].passed
    assert rows["US net import reliance, nickel"].passed


@pytest.mark.parametrize("chip", SILICON_CHIPS + ("compound_chip",))
def test_china_is_the_largest_chip_user_and_the_us_is_not(network, chip):
    """Demand where devices are assembled: China (with Hong Kong) first, the US well below it.

    ROW is an aggregate (Europe, South-East Asia, India, Mexico, ...) and may exceed China.
    """
    rate = {d.region: d.rate_per_day for d in network.demands if d.commodity == chip and d.region != "ROW"}
    assert max(rate, key=rate.get) == "CN"
    assert rate["US"] < 0.5 * rate["CN"]


def test_one_year_chinese_gallium_ban_hits_compound_devices_not_silicon_chips():
    """A 1-year ban on Chinese gallium (refined and crude) leaves GaAs/GaN devices short, silicon chips whole."""
    base = load_baseline(horizon_days=365)
    ban = [ExportControl(exporter="CN", commodity=c, mode="ban", start=0) for c in ("gallium", "gallium_crude")]
    r0 = sc.simulate(base, engine="vector", seed=1)
    r1 = sc.simulate(base.with_shocks(*ban), engine="vector", seed=1)
    t = sc.compare(r0, r1)
    usd = t[t.metric == "shortfall_usd"].groupby("commodity")["change"].sum()
    silicon = float(sum(usd.get(c, 0.0) for c in SILICON_CHIPS))
    compound = float(usd.get("compound_chip", 0.0))
    assert abs(silicon) < 1.0, f"silicon chips short by {silicon:,.0f} USD under a gallium ban"
    # compound devices: ~4.8 bn USD of a 23.5 bn USD/yr market (China's own fabs at full capacity: docs/assumptions.md)
    assert 1e9 < compound < 23.5e9, compound
    assert compound > 0.9 * float(usd[usd > 0].sum())  # the loss is in devices, not in gallium itself
