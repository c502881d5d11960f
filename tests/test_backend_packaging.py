"""Where chips are assembled, tested and packaged (tools/baseline/semiconductors.py, the back end).

Fabless firms' mature-node chips go to outsourced (OSAT) houses; integrated device makers (IDMs) test and
package in their own plants, half of them in South-East Asia (SEMI/TechSearch, Q4 2021). Each location's
back-end capacity (CSET/ETO, 2022) is split between its OSAT and IDM sites by their number.
"""

from __future__ import annotations

import pytest

from supplychain.datasets.baseline import load_baseline, steady_state_production
from tools.baseline import semiconductors as semi
from tools.baseline.sources import ATP_CAPACITY, ATP_SITES, ATP_SITES_TOTAL

REGIONS = ("JP", "KR", "US", "CN", "TW", "ROW")


@pytest.fixture(scope="module")
def network():
    return load_baseline().network


@pytest.fixture(scope="module")
def production(network):
    return steady_state_production(network)


def test_site_counts_add_up_to_the_published_totals():
    sites = semi._backend_sites()
    assert sum(sites["OSAT"].values()) == pytest.approx(ATP_SITES_TOTAL["OSAT"])   # 373
    assert sum(sites["IDM"].values()) == pytest.approx(ATP_SITES_TOTAL["IDM"])     # 111
    for loc, n in ATP_SITES.items():
        assert sites["OSAT"][loc] + sites["IDM"][loc] == pytest.approx(n), loc
    # published splits: China 111 OSAT of 134, Taiwan 107 of 111, South-East Asia 50 IDM of 95
    assert (sites["IDM"]["CN"], sites["IDM"]["TW"], sites["OSAT"]["SEA"]) == (23, 4, 45)


def test_osat_and_idm_capacity_together_rebuild_each_locations_capacity():
    # Hand computation: the two owners' capacities at a location sum to its CSET share; so weighting the two
    # class shares by their world capacities gives back the location's share of world capacity.
    sites = semi._backend_sites()
    cap = {o: {loc: ATP_CAPACITY["US" if loc == "AM" else loc] * sites[o][loc] / ATP_SITES[loc] for loc in ATP_SITES}
           for o in ("OSAT", "IDM")}
    w = {o: sum(cap[o].values()) for o in cap}
    osat, _ = semi._backend_share("OSAT")
    idm, _ = semi._backend_share("IDM")
    world = sum(ATP_CAPACITY.values())   # 99: the CSET shares sum to 99
    rebuilt = {r: (osat[r] * w["OSAT"] + idm[r] * w["IDM"]) / world for r in REGIONS}
    expect = {"CN": 30, "TW": 28, "KR": 9, "JP": 6, "US": 3, "ROW": 20 + 3}
    for r in REGIONS:
        assert rebuilt[r] == pytest.approx(expect[r] / world, rel=1e-12), r
    # China's IDM share by hand: 23 of 134 sites x 30 % over the IDM capacity
    assert idm["CN"] == pytest.approx(23 / 134 * 30 / w["IDM"], rel=1e-12)


def _packaged_share(network, production, pick):
    made = {r: 0.0 for r in REGIONS}
    for f in network.facilities:
        if pick(f):
            made[f.region] += production[f.id]
    total = sum(made.values())
    return {r: v / total for r, v in made.items()}


def _idm(f):
    """An IDM's back end: its own fabs' chips, or the chips it has made at foundries (``.idm_backend``)."""
    return f.output == "mature_idm_chip" or ".idm_backend" in f.id


def test_idm_chips_are_packaged_mostly_in_south_east_asia_and_china_not_taiwan(network, production):
    for pick in (_idm, lambda f: f.output == "mature_idm_chip", lambda f: ".idm_backend" in f.id):
        share = _packaged_share(network, production, pick)
        assert share["ROW"] > 0.5 and share["CN"] > 0.2      # 50 + 23 of 111 IDM sites (SEMI/TechSearch)
        assert share["TW"] < 0.06                             # 4 of Taiwan's 111 sites are IDMs'
    fabless = _packaged_share(network, production, lambda f: f.output == "mature_chip" and not _idm(f))
    assert fabless["TW"] > 0.3 and fabless["CN"] > 0.3        # the OSAT houses: ASE, SPIL, JCET, Tongfu, Huatian


def test_idm_wafers_no_longer_flow_to_taiwan_packaging(network, production):
    by_id = {f.id: f for f in network.facilities}
    to = {r: 0.0 for r in REGIONS}
    for lane in network.lanes:
        if lane.commodity == "mature_idm_wafer":
            dest = by_id[lane.destination]
            to[dest.region] += production[dest.id] * dict(dest.recipe)["mature_idm_wafer"] * lane.share
    assert to["TW"] / sum(to.values()) < 0.06                 # was 28 % with the all-owner CSET split


def test_south_east_asias_packaged_chips_reach_every_region(network):
    # Malaysia's back end serves every region's device makers (MSIA: 20 % of its chip exports go to the US):
    # no home bias, so ROW's IDM packagers ship to the US about the US's share of use.
    rate = {d.id: d.rate_per_day for d in network.demands if d.commodity == "mature_idm_chip"}
    flow = {r: 0.0 for r in REGIONS}
    for lane in network.lanes:
        # (the packager is split by the region of the fab behind its wafers: every part)
        if lane.commodity == "mature_idm_chip" and lane.origin.startswith("ROW.packaging.mature_idm_chip."):
            total = sum(x.share for x in network.lanes if x.destination == lane.destination)
            flow[lane.destination.split(".")[0]] += rate[lane.destination] * lane.share / total
    out = sum(flow.values())
    assert flow["ROW"] / out < 0.45                            # ROW's own users take well under half
    assert flow["US"] / out > 0.10 and flow["CN"] / out > 0.30


def test_packaging_capacity_cites_the_site_and_capacity_sources():
    from tools.baseline.build import build
    draft = build()
    for i, f in draft.facilities.items():
        if f["stage"] == "packaging" and f["output"] in ("mature_chip", "mature_idm_chip"):
            src = f["capacity_per_day"].source
            assert "SEMI and TechSearch" in src and "CSET/ETO" in src, i
