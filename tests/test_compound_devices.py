"""Compound semiconductors in two stages: wafers where gallium is consumed, devices where the device fabs are.

Gallium goes into GaAs/GaN substrates and epiwafers (Sumitomo Electric, Freiberger, AXT; LED epi in the LED chip
plant), so the wafer stage sits where gallium is consumed (Roskill: Japan 41 %, China 35 %; USGS: the US about
5 %). The devices are made elsewhere: US firms held 52 % of the merchant GaAs device market (Strategy Analytics),
WIN (Taiwan) is the largest GaAs foundry, China has 54 % of LED-chip capacity (LEDinside). tools/baseline
/semiconductors.py, build_compound.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from supplychain.datasets.baseline import BASELINE_DIR, load_baseline


@pytest.fixture(scope="module")
def net():
    return load_baseline().network


def _by_region(net, output):
    return {f.region: f for f in net.facilities if f.output == output}


def cap_share_of(net, output, region):
    cap = {f.region: f.capacity_per_day for f in net.facilities if f.output == output}
    return cap[region] / sum(cap.values())


def test_gallium_is_used_at_the_wafer_stage_by_the_cited_consumption_split(net):
    wafers = _by_region(net, "compound_wafer")
    fabs = _by_region(net, "compound_chip")
    assert set(wafers) == set(fabs) == {"JP", "KR", "US", "CN", "TW", "ROW"}
    for f in fabs.values():
        assert set(dict(f.recipe)) == {"compound_wafer"}, f.id  # device fabs take no gallium directly
    for f in wafers.values():
        assert set(dict(f.recipe)) == {"gallium"}, f.id
    cap = {r: f.capacity_per_day for r, f in wafers.items()}
    total = sum(cap.values())
    assert cap["JP"] / total == pytest.approx(0.41, abs=0.005)  # Roskill 2020
    assert cap["CN"] / total == pytest.approx(0.35, abs=0.005)
    assert cap["US"] / total < 0.07  # USGS: 19 t of ~374 t


def test_devices_are_made_where_the_device_fabs_are(net):
    fabs = _by_region(net, "compound_chip")
    cap = {r: f.capacity_per_day for r, f in fabs.items()}
    total = sum(cap.values())
    share = {r: c / total for r, c in cap.items()}
    # GaAs (8.0 of 23.5 bn USD) 52 % US, RF GaN (1.3 bn) 50 % US, plus US LED chips: about a fifth to a third
    assert 0.20 < share["US"] < 0.35, share
    assert share["US"] > 4 * cap_share_of(net, "compound_wafer", "US")  # devices, not gallium use
    # LEDs (14.2 bn USD) 54 % in China: China is the largest device maker
    assert max(share, key=share.get) == "CN"
    # WIN alone is 0.86 bn USD of 23.5: Taiwan at least that
    assert share["TW"] > 0.86 / 23.514


def test_wafer_trade_balances_and_led_wafers_stay_home(net):
    """Every device fab buys all its wafers (shares sum to 1); a region's wafer makers supply at least its own
    LED chip plants (LED epi and chip processing in one plant), so China's fabs buy mostly Chinese wafers."""
    shares = defaultdict(dict)
    for lane in net.lanes:
        if lane.commodity == "compound_wafer":
            shares[lane.destination][lane.origin.split(".")[0]] = lane.share
    assert set(shares) == {f.id for f in net.facilities if f.output == "compound_chip"}
    for dest, s in shares.items():
        assert sum(s.values()) == pytest.approx(1.0, abs=1e-3), dest
        assert s.get(dest.split(".")[0], 0.0) > 0.2, (dest, s)
    assert shares["CN.fab.compound_chip"]["CN"] > 0.8
    # the US device fabs buy most of their wafers abroad (USGS: US imports of GaAs wafers ~120-200 M USD/yr)
    assert shares["US.fab.compound_chip"]["US"] < 0.5
    # the baseline is balanced: world wafer output = world device output (one unit of wafers per 1,000 USD)
    prod = {f.id: f.capacity_per_day for f in net.facilities if f.output in ("compound_wafer", "compound_chip")}
    w = sum(v for k, v in prod.items() if k.endswith("compound_wafer"))
    d = sum(v for k, v in prod.items() if k.endswith("compound_chip"))
    assert w == pytest.approx(d, rel=1e-3)


def test_the_shipped_data_cites_the_device_shares():
    text = (BASELINE_DIR / "semiconductors.toml").read_text(encoding="utf-8")
    block = text[text.index('id = "US.fab.compound_chip"'):].split("[[facility]]")[0]
    for cite in ("Strategy Analytics", "WIN Semiconductors", "LEDinside"):
        assert cite in block, cite
