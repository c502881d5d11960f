"""Supply outside China under a Chinese gallium ban (USGS MCS 2026; JOGMEC 2021; MOFCOM/GACC 23/2023).

The baseline's ROW primary-gallium facility holds Russia's 10 t/yr plus the 100 t/yr of idle capacity
in Germany, Hungary, Kazakhstan, Korea and Ukraine, with a published restart delay of a year and a
ramp of another (docs/model.md §5.4.1). Under a long ban it must run at its steady output for the
delay, then ramp, and the compound-device shortfall of the second year must shrink against the same
network without the idle capacity.

Japan recycles the new scrap of its GaAs wafer and device makers (JOGMEC: 167 t used in 2021, 97 t
imported, 3 t of primary output, so about 67 t recycled): its compound fabs buy gallium net of that
loop and the rest by JOGMEC's import split.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import supplychain as sc
from supplychain import ExportControl
from supplychain.datasets.baseline import BASELINE_DIR, load_baseline
from supplychain.plotting.prices import market_prices

MINE = "ROW.mine.gallium_crude"
HORIZON = 730
YEAR = 365


def test_idle_gallium_capacity_outside_china_is_in_the_baseline_with_its_restart_delay():
    net = load_baseline().network
    mine = net.facility(MINE)
    assert mine.capacity_per_day * 365 == pytest.approx(110_000, rel=1e-4)   # Russia 10 t + idle 100 t
    assert mine.restart("minerals") == (365.0, 365.0)
    text = (BASELINE_DIR / "minerals.toml").read_text(encoding="utf-8")
    block = text[text.index(f'id = "{MINE}"'):].split("[[facility]]")[0]
    assert "footnote 6" in block and "USGS Mineral Commodity Summaries 2026" in block
    assert "restart_days = { value = 365.0" in block and "Pavlodar" in block


@pytest.fixture(scope="module")
def runs():
    base = load_baseline(horizon_days=HORIZON)
    without = dataclasses.replace(base.network, facilities=tuple(
        dataclasses.replace(f, capacity_per_day=10_000 / 365) if f.id == MINE else f
        for f in base.network.facilities))
    ban = [ExportControl(exporter="CN", commodity=c, mode="ban", start=0) for c in ("gallium", "gallium_crude")]
    out = {}
    for name, scen in (("idle", base), ("no idle", base.replace(network=without))):
        out[name] = (sc.simulate(scen, engine="vector", seed=1),
                     sc.simulate(scen.with_shocks(*ban), engine="vector", seed=1))
    return out


def _compound_short(res, days):
    net = res.scenario.network
    cols = [j for j, d in enumerate(net.demands) if d.commodity == "compound_chip"]
    return float(np.maximum(res.demand[0, days][:, cols] - res.delivered[0, days][:, cols], 0.0).sum())


def test_a_ban_restarts_idle_capacity_after_the_published_delay(runs):
    base, shocked = runs["idle"]
    j = shocked.coords.index("facility", MINE)
    steady = base.production[0, :, j].mean()
    made = shocked.production[0, :, j]
    # warm capacity only (Russia's steady output) for the restart delay, then a ramp to full capacity
    assert np.allclose(made[:YEAR], steady, rtol=1e-6)
    assert made[YEAR + 30] > steady + 10.0
    ramp = steady + (110_000 / 365 - steady) * np.clip((np.arange(HORIZON) - YEAR + 1) / YEAR, 0.0, 1.0)
    assert np.all(made <= ramp * (1 + 1e-9) + 1e-9)           # never faster than the published ramp
    assert made[-30:].min() > 3 * steady                       # the refiners' orders draw most of it


def test_restarted_capacity_shrinks_the_second_year_shortfall(runs):
    year1, year2 = slice(0, YEAR), slice(YEAR, HORIZON)
    with_idle = runs["idle"][1]
    without = runs["no idle"][1]
    # the restart comes too late for the first year (Russia's small spare waits with it) ...
    assert _compound_short(with_idle, year1) == pytest.approx(_compound_short(without, year1), rel=0.05)
    # ... and shrinks the second year's compound-device shortfall
    assert _compound_short(with_idle, year2) < 0.97 * _compound_short(without, year2)


def test_shipped_graphite_controls_cover_synthetic_graphite_and_flake():
    """MOFCOM/GACC Announcement 39/2023 licenses natural flake, spherical and synthetic graphite and their
    products: the shipped scenario controls flake, spherical graphite and both kinds of anode material,
    so Chinese synthetic-graphite anode exports fall once the licences bite."""
    scen = sc.load_example("china_graphite_2023")
    covered = {s.commodity for s in scen.shocks if isinstance(s, ExportControl) and s.exporter == "CN"}
    assert covered == {"graphite_ore", "graphite_spherical", "aam", "aam_synthetic"}
    base = sc.simulate(scen.replace(shocks=()), engine="vector", seed=3)
    hit = sc.simulate(scen, engine="vector", seed=3)
    net = scen.network
    lanes = [j for j, lane in enumerate(net.lanes)
             if lane.origin == "CN.material.aam_synthetic" and not lane.destination.startswith("CN.")]
    assert lanes
    after = slice(scen.shock_day + 60, scen.horizon_days)
    assert hit.flow[0, after][:, lanes].sum() < 0.9 * base.flow[0, after][:, lanes].sum()


JP_FAB = "JP.wafer.compound_wafer"


def test_japanese_fabs_buy_gallium_net_of_their_recycled_new_scrap():
    net = load_baseline().network
    gross = dict(net.facility("KR.wafer.compound_wafer").recipe)["gallium"]
    jp = dict(net.facility(JP_FAB).recipe)["gallium"]
    assert all(dict(f.recipe)["gallium"] == gross for f in net.facilities
               if f.output == "compound_wafer" and f.region in ("KR", "TW", "CN"))
    # JOGMEC 2021: 167 t used, 97 t imported, 3 t primary -> 67 t recycled, 40 % of Japan's use, and more
    # of its fabs' use (the magnet additive is not recycled): the fabs buy 40-60 % of their gross need
    assert 0.40 < jp / gross < 0.60
    # Japanese buyers buy the rest by JOGMEC's import split: China 55 of 100 t bought
    lanes = [lane for lane in net.lanes if lane.commodity == "gallium" and lane.destination == JP_FAB]
    share = {lane.origin.split(".")[0]: lane.share for lane in lanes}
    assert share == pytest.approx({"CN": 0.55, "ROW": 0.42, "JP": 0.03}, abs=1e-3)
    text = (BASELINE_DIR / "semiconductors.toml").read_text(encoding="utf-8")
    block = text[text.index(f'id = "{JP_FAB}"'):].split("[[facility]]")[0]
    assert "JOGMEC" in block and "new scrap" in block


def test_us_wafer_makers_buy_what_usgs_counts_as_us_metal_imports():
    """USGS reports US gallium use of 17,100-19,700 kg a year in 2021-24 against 8,890-11,400 kg of metal
    imports, no primary output and steady consumer stocks: 41.8 % of US use comes back from the new scrap
    reprocessed in New York (MCS 2026). US makers buy their gross need net of that loop, so what they buy
    is USGS's imports (58.2 % of use), not its consumption."""
    net = load_baseline().network
    us = net.facility("US.wafer.compound_wafer")
    gross = dict(net.facility("KR.wafer.compound_wafer").recipe)["gallium"]
    net_kg = us.capacity_per_day * 0.75 * dict(us.recipe)["gallium"] * 365      # baseline output x recipe
    gross_kg = us.capacity_per_day * 0.75 * gross * 365
    assert gross_kg == pytest.approx(19_000 * 0.99, rel=0.01)
    # with the 1 % other uses, US buyers take 2025's use at the 2021-24 ratio of metal imports to use
    assert net_kg + 190 == pytest.approx(19_000 * 42_690 / 73_300, rel=0.005)
    assert dict(net.facility("ROW.wafer.compound_wafer").recipe)["gallium"] / gross == pytest.approx(1 - 0.409,
                                                                                                    abs=1e-3)


def test_only_makers_without_a_loop_build_one_once_short():
    """Japan's, the US's and ROW's makers run a new-scrap loop in the baseline and have no cited room to recover
    more; Korea's, Taiwan's and China's build one as large as the measured loops (40.9 % of their use)."""
    net = load_baseline().network
    rule = {f.region: (f.scrap_input, f.scrap_recovery) for f in net.facilities if f.output == "compound_wafer"}
    assert rule == {"JP": (None, 0.0), "US": (None, 0.0), "ROW": (None, 0.0), "KR": ("gallium", 0.409),
                    "TW": ("gallium", 0.409), "CN": ("gallium", 0.409)}


def test_a_ban_raises_importers_gallium_prices_and_not_chinas():
    scen = load_baseline(horizon_days=150).replace(price_feedback=True)
    ban = [ExportControl(exporter="CN", commodity=c, mode="ban", start=0) for c in ("gallium", "gallium_crude")]
    res = sc.simulate(scen.with_shocks(*ban), engine="vector", seed=1)
    regions, index = market_prices(res, "gallium")
    late = index[0, 90:].mean(axis=0)
    by = dict(zip(regions, late))
    for r in ("JP", "KR", "TW", "US"):
        assert by[r] > 1.2, (r, by[r])
    assert by["CN"] <= 1.0 + 1e-9


def test_the_shipped_2023_controls_cover_what_announcement_23_lists():
    """MOFCOM/GACC Announcement 23/2023 licenses gallium metal (elemental, of any purity), gallium compounds
    (GaN, GaAs and the others "including" their wafer and epitaxial-wafer forms) and germanium metal, GeO2 and
    GeCl4, not germanium-bearing concentrates nor compound devices: the shipped scenario controls refined and
    crude gallium, China's GaAs/GaN wafers and refined germanium, and no Chinese germanium concentrate is
    exported."""
    scen = sc.load_example("gallium_germanium_2023")
    covered = {s.commodity for s in scen.shocks if isinstance(s, ExportControl) and s.exporter == "CN"}
    assert covered == {"gallium", "gallium_crude", "compound_wafer", "germanium"}
    assert not [lane for lane in scen.network.lanes if lane.commodity == "germanium_conc"
                and lane.origin.startswith("CN.") and not lane.destination.startswith("CN.")]


def test_the_recycling_loop_stretches_japans_gallium_under_a_ban():
    """A ban on refined and crude gallium: fabs run on their own and upstream stocks, then on what little
    gallium is left outside China. New scrap returns in proportion to output, so each kilogram Japan's
    fabs still get makes 1/0.55 times the devices: they keep half their output for over 120 days (99
    days when Japan bought its gross need), while Korea's fabs, which recycle nothing in the model,
    fall below half well before."""
    scen = load_baseline(horizon_days=150)
    ban = [ExportControl(exporter="CN", commodity=c, mode="ban", start=0) for c in ("gallium", "gallium_crude")]
    base = sc.simulate(scen, engine="vector", seed=1)
    hit = sc.simulate(scen.with_shocks(*ban), engine="vector", seed=1)

    def half_life(region):
        j = hit.coords.index("facility", f"{region}.wafer.compound_wafer")
        below = hit.production[0, :, j] < 0.5 * base.production[0, :, j].mean()
        return int(np.argmax(below)) if below.any() else hit.n_days

    assert half_life("JP") > 120
    assert half_life("JP") > half_life("KR") + 30


def test_us_gallium_buyers_import_the_pre_control_share_from_china():
    """The unshocked baseline takes the US import share of 2019-22, before China's controls (USGS MCS 2024: 53 %).

    MCS 2026's 18 % averages 2021-24 and so includes the controlled years; a baseline that already holds
    the controls' effect understates what a Chinese ban cuts.
    """
    net = load_baseline().network
    into_us = [lane for lane in net.lanes if lane.commodity == "gallium" and lane.destination.startswith("US.")]
    shares = {lane.origin.split(".")[0]: lane.share.value if hasattr(lane.share, "value") else lane.share
              for lane in into_us if lane.destination == "US.wafer.compound_wafer"}
    assert shares["CN"] == pytest.approx(0.53)
    assert sum(shares.values()) == pytest.approx(1.0)
    text = (BASELINE_DIR / "semiconductors.toml").read_text(encoding="utf-8")
    assert "USGS Mineral Commodity Summaries 2024, Gallium, p. 74, import sources 2019-22" in text
