"""Tests of the built-in baseline data files and their loader (supplychain.datasets)."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tomllib
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from supplychain.datasets.baseline import (
    BASELINE_DIR,
    BASELINE_FILES,
    baseline_provenance,
    format_provenance,
    load_baseline,
    steady_state_production,
)
from supplychain.errors import ScenarioFileError, ValidationError
from supplychain.model import Fixed, Triangular

REGIONS = {"JP", "KR", "US", "CN", "TW", "ROW"}
#: mineral -> (mined commodity, refined commodity)
MINERALS = {
    "lithium": ("lithium_ore", "lithium_chem"),
    "cobalt": ("cobalt_ore", "cobalt_refined"),
    "nickel": ("nickel_ore", "nickel_refined"),
    "graphite": ("graphite_ore", "graphite_spherical"),
    "manganese": ("manganese_ore", "manganese_sulphate"),
    "rare_earths": ("rare_earth_ore", "ndpr_oxide"),
    "gallium": ("gallium_crude", "gallium"),
    "germanium": ("germanium_conc", "germanium"),
}
CHIPS = ("memory_chip", "logic_chip", "mature_chip", "mature_idm_chip")
AIR = {"memory_wafer", "logic_wafer", "mature_wafer", "mature_idm_wafer", "memory_chip", "logic_chip", "mature_chip",
       "mature_idm_chip", "compound_chip", "compound_wafer",
       "photoresist"}


@pytest.fixture(scope="module")
def network():
    return load_baseline().network


@pytest.fixture(scope="module")
def production(network):
    return steady_state_production(network)


def _share_of_output(network, production, output: str, region: str) -> float:
    """Region's share of world steady-state primary output of a commodity (scrap recycling left out).

    ``aam`` counts both kinds of anode material, natural and synthetic (``aam_synthetic``).
    """
    outputs = {output, f"{output}_synthetic"} if output == "aam" else {output}
    rows = [(f.region, production[f.id]) for f in network.facilities if f.output in outputs and f.stage != "recycling"]
    total = sum(p for _, p in rows)
    return sum(p for r, p in rows if r == region) / total


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "baseline"
    shutil.copytree(BASELINE_DIR, target)
    return target


# --- every number has a source ---------------------------------------------------------------------

def _walk_numbers(node, parent=None, key=None):
    """Yield (key, number, parent table) for every number in a parsed TOML tree (independent of the loader)."""
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        yield key, node, parent
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _walk_numbers(v, node, k)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_numbers(v, parent, key)


@pytest.mark.parametrize("name", BASELINE_FILES)
def test_every_number_in_the_files_has_a_non_empty_source(name):
    with (BASELINE_DIR / name).open("rb") as fh:
        data = tomllib.load(fh)
    for key, number, parent in _walk_numbers(data):
        assert key in ("value", "low", "high"), f"{name}: bare number {key} = {number}"
        assert isinstance(parent.get("source"), str) and parent["source"].strip(), \
            f"{name}: {key} = {number} has no source"
        assert math.isfinite(number)


def test_provenance_has_one_row_per_value_with_unit_and_source():
    rows = baseline_provenance()
    n_values = 0
    for name in BASELINE_FILES:
        with (BASELINE_DIR / name).open("rb") as fh:
            n_values += sum(1 for _ in _walk_numbers(tomllib.load(fh)))
    assert len(rows) == n_values  # one row per number, lead-time ranges included
    for row in rows:
        assert set(row) == {"file", "item", "field", "value", "unit", "source"}
        assert row["source"] and row["unit"] and "?" not in row["unit"], row
    fields = {(r["item"], r["field"]) for r in rows}
    assert ("CN.refinery.gallium", "capacity_per_day") in fields
    assert ("JP.material.cam", "recipe.lithium_chem") in fields
    assert ("lithium_chem", "price_usd") in fields
    assert ("CN.cell_plant.li_ion_cell>US.demand.li_ion_cell", "lead_time_days.high") in fields


def test_format_provenance_is_a_readable_table():
    rows = baseline_provenance()
    text = format_provenance(rows)
    lines = text.splitlines()
    assert lines[0].split() == ["file", "item", "field", "value", "unit", "source"]
    assert len(lines) == len(rows) + 2
    assert any("CN.refinery.gallium" in line and "capacity_per_day" in line for line in lines)
    short = format_provenance(rows[:3], max_source=20)
    assert all(len(line.split("  ")[-1].strip()) <= 20 for line in short.splitlines()[1:4])
    assert all(line.endswith("...") for line in short.splitlines()[1:4])


def test_sources_name_organisations_or_derivations():
    """A source is a citation (organisation/year), a derivation or a marked assumption."""
    markers = ("USGS", "IEA", "CSET", "SEMI", "SIA", "WSTS", "TrendForce", "TECHCET", "Wood Mackenzie", "KITA",
               "derived", "assumption", "definition", "stoichiometry", "Benchmark", "CRU", "SNE", "GTAP",
               "US Department of Commerce", "METI", "MOTIE", "Kyodo", "Yonhap", "Nikkei", "Flexport",
               "European Commission", "Comtrade", "Argus", "JOGMEC", "SMM", "Adamas", "Vale")
    for row in baseline_provenance():
        assert any(m in row["source"] for m in markers), row


# --- errors -------------------------------------------------------------------------------------------

_BAD_FACILITY = """
[[facility]]
id = "CN.mine.test_ore"
region = "CN"
stage = "mine"
output = "lithium_ore"
capacity_per_day = {capacity}
"""


@pytest.mark.parametrize("capacity", ["{ value = 1.0 }", '{ value = 1.0, source = "  " }', "1.0"])
def test_value_without_source_is_a_validation_error(tmp_path, capacity):
    data = _copy_data(tmp_path)
    with (data / "minerals.toml").open("a", encoding="utf-8") as fh:
        fh.write(_BAD_FACILITY.format(capacity=capacity))
    with pytest.raises(ValidationError, match=r"minerals\.toml.*CN\.mine\.test_ore.*capacity_per_day.*source"):
        load_baseline(data_dir=data)
    with pytest.raises(ValidationError, match="CN.mine.test_ore"):
        baseline_provenance(data_dir=data)


def test_missing_recipe_source_names_the_field(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "batteries.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("lithium_chem = { value = ")
    end = text.index("\n", start)
    path.write_text(text[:start] + "lithium_chem = { value = 0.41 }" + text[end:], encoding="utf-8")
    with pytest.raises(ValidationError, match=r"recipe\.lithium_chem"):
        load_baseline(data_dir=data)


def test_missing_or_malformed_file_is_a_scenario_file_error(tmp_path):
    data = _copy_data(tmp_path)
    (data / "semiconductors.toml").unlink()
    with pytest.raises(ScenarioFileError, match="semiconductors.toml"):
        load_baseline(data_dir=data)
    (data / "semiconductors.toml").write_text("[[lane]\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match="not valid TOML"):
        load_baseline(data_dir=data)


def test_unknown_key_is_a_validation_error(tmp_path):
    data = _copy_data(tmp_path)
    with (data / "regions.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[region]]\nid = "XX"\ncolour = "red"\n')
    with pytest.raises(ValidationError, match="unknown keys.*colour"):
        load_baseline(data_dir=data)


# --- structure ----------------------------------------------------------------------------------------

def test_baseline_builds_with_the_requested_calendar():
    s = load_baseline(horizon_days=90, start_date=dt.date(2025, 7, 1))
    assert s.name == "baseline" and s.shocks == ()
    assert s.horizon_days == 90 and s.start_date == dt.date(2025, 7, 1)
    assert load_baseline().network is s.network  # parsed once, immutable


def test_size_is_within_the_target_range(network):
    # 258 since the foundry-chip and IDM-chip packagers are split by the region of the fab behind their wafers
    # (tools/baseline/packagers.py: 22 packagers -> 106 parts)
    assert 60 <= len(network.facilities) <= 260
    assert len(network.lanes) >= len(network.facilities)


def test_six_regions_exist(network):
    assert {r.id for r in network.regions} == REGIONS


def test_every_region_has_final_demand_for_cells_and_chips(network):
    have = {(d.region, d.commodity) for d in network.demands if d.rate_per_day > 0}
    for region in REGIONS:
        assert (region, "li_ion_cell") in have, region
        for chip in CHIPS:
            assert (region, chip) in have, (region, chip)


@pytest.mark.parametrize("mineral", sorted(MINERALS))
def test_each_mineral_is_mined_and_refined(network, production, mineral):
    ore, refined = MINERALS[mineral]
    mines = [f for f in network.facilities if f.stage == "mine" and f.output == ore]
    refineries = [f for f in network.facilities if f.stage == "refinery" and f.output == refined]
    assert mines and refineries
    assert all(ore in dict(f.recipe) for f in refineries)
    assert all(production[f.id] > 0 for f in mines + refineries)


def test_ids_follow_the_naming_convention(network):
    for f in network.facilities:
        # A second plant of one stage and output in a region (an IDM's back-end plant packaging the chips it
        # has made at foundries) carries a suffix naming what sets it apart; a foundry-chip packager's part
        # that packages one fab region's designs (tools/baseline/packagers.py) the fab's region.
        base = f"{f.region}.{f.stage}.{f.output}"
        assert f.id in {base, f"{base}.idm_backend"} or (
            f.stage == "packaging" and f.id.rsplit(".", 1)[0] in {base, f"{base}.idm_backend"}
            and f.id.rsplit(".", 1)[1] in REGIONS), f.id
    for d in network.demands:
        assert d.id == f"{d.region}.demand.{d.commodity}" + (f".{d.segment}" if d.segment else "")
    for c in network.commodities:
        assert c.id.replace("_", "").isalnum() and c.id == c.id.lower()
        assert c.chain in ("minerals", "batteries", "semiconductors")


def test_every_stock_used_has_a_supplier_and_every_output_a_buyer(network):
    supplied = {(l.destination, l.commodity) for l in network.lanes}
    for f in network.facilities:
        for c in f.inputs:
            assert (f.id, c) in supplied, (f.id, c)
    for d in network.demands:
        assert (d.id, d.commodity) in supplied, d.id
    sold = {l.origin for l in network.lanes}
    assert all(f.id in sold for f in network.facilities)


def test_reference_values_are_in_plausible_ranges(network):
    for c in network.commodities:
        assert c.price_usd > 0
        assert 0.3 <= c.elasticity <= 5.0, c.id
    for l in network.lanes:
        assert 0 <= l.share <= 1.0  # 0: a potential alternate (tools/baseline/alternates.py)
        assert 1.0 <= l.lead_time.mean <= 50.0
        assert l.freight_usd_per_unit >= 0
    for d in network.demands:
        if d.commodity in CHIPS:
            # US Commerce RFI: 40 days of chips held in 2019; automotive buyers one two-week order cycle
            assert d.policy.days == (14.0 if d.segment == "automotive" else 40.0)


def test_lead_times_follow_the_calibration(network):
    region = {n.id: n.region for n in network.facilities + network.demands}
    asia = {"CN", "JP", "KR", "TW"}
    for l in network.lanes:
        o, d = region[l.origin], region[l.destination]
        lt = l.lead_time.mean
        if o == d:
            assert lt <= 5
        elif l.commodity in AIR:
            assert 5 <= lt <= 7, l.id  # air freight ~5-7 days door-to-door
        elif o in asia and d in asia:
            assert 7 <= lt <= 12, l.id  # intra-Asia sea 7-12 days
        elif {o, d} <= asia | {"US"}:
            assert 20 <= lt <= 30, l.id  # China->US 20-30 days


def test_random_lead_times_are_triangular_over_the_documented_range():
    fixed = load_baseline().network
    rand = load_baseline(random_lead_times=True).network
    assert all(isinstance(l.lead_time, Fixed) for l in fixed.lanes)
    tri = [l for l in rand.lanes if isinstance(l.lead_time, Triangular)]
    assert len(tri) == len(rand.lanes)
    for l in tri:
        assert l.lead_time.low <= l.lead_time.mode <= l.lead_time.high


# --- steady state ---------------------------------------------------------------------------------------

def test_capacity_exceeds_steady_state_production(network, production):
    for f in network.facilities:
        assert production[f.id] > 0, f"{f.id} is idle"
        assert f.capacity_per_day >= production[f.id] * 1.04, \
            f"{f.id}: capacity {f.capacity_per_day:g} < steady production {production[f.id]:g} (+4% headroom)"


def test_steady_state_production_matches_a_hand_calculation(network, production):
    """Cells: world production equals world demand; a mine makes what its buyers draw."""
    cells = sum(p for fid, p in production.items() if fid.endswith(".li_ion_cell"))
    demand = sum(d.rate_per_day for d in network.demands if d.commodity == "li_ion_cell")
    assert cells == pytest.approx(demand, rel=1e-9)
    flows = defaultdict(float)
    for d in network.demands:
        for l in network.lanes:
            if l.destination == d.id:
                total = sum(x.share for x in network.lanes if x.destination == d.id)
                flows[l.origin] += d.rate_per_day * l.share / total
    # A packaging plant sells only to final demand, so its production is its demand-side flow.
    for f in network.facilities:
        if f.stage == "packaging":
            assert production[f.id] == pytest.approx(flows[f.id], rel=1e-9)


def test_engine_steady_state_agrees_when_available(network, production):
    steady = pytest.importorskip("supplychain.compile.steady")
    ss = steady.steady_state(network)
    for fid, p in production.items():
        assert ss.production[fid] == pytest.approx(p, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("ore, world_t_per_year", [
    ("lithium_ore", 290_000), ("cobalt_ore", 310_000), ("nickel_ore", 3_900_000), ("graphite_ore", 1_800_000),
    ("manganese_ore", 20_000_000), ("rare_earth_ore", 390_000), ("gallium_crude", 900_000),
])
def test_mines_run_at_usgs_world_production(network, production, ore, world_t_per_year):
    """USGS Mineral Commodity Summaries 2026, 2025e world mine production."""
    made = sum(production[f.id] for f in network.facilities if f.output == ore) * 365
    assert made == pytest.approx(world_t_per_year, rel=1e-3)


@pytest.mark.parametrize("output, region, share", [
    ("lithium_chem", "CN", 0.70), ("cobalt_refined", "CN", 0.75), ("nickel_refined", "CN", 0.28),
    ("graphite_spherical", "CN", 0.95), ("manganese_sulphate", "CN", 0.95), ("ndpr_oxide", "CN", 0.85),
    ("ndfeb_magnet", "CN", 0.90), ("cam", "CN", 0.87), ("aam", "CN", 0.915), ("li_ion_cell", "CN", 0.75),
    ("logic_wafer", "TW", 0.69), ("photoresist", "JP", 0.90), ("wafer_300mm", "JP", 0.56),
    # memory: wafer starts by fab location 2024 (Yole Group, FMS 2025), 45 and 10 of 101 %; packaged near the fab
    ("memory_chip", "KR", 0.446), ("memory_chip", "US", 0.0), ("memory_wafer", "TW", 0.099),
    ("memory_wafer", "US", 0.020),
    # mature_chip: OSAT capacity for the fabless firms' chips and IDM back-end capacity for the chips IDMs have
    # made at foundries (SEMI/TechSearch sites x CSET capacity), weighted by the two outputs
    ("mature_chip", "CN", 0.290), ("gallium_crude", "CN", 0.99),
    # mature-node foundry capacity 2023 (TrendForce, 19 Oct 2023); Taiwan's non-memory fabs are all foundries
    ("mature_wafer", "TW", 0.49), ("mature_wafer", "CN", 0.29), ("mature_idm_wafer", "TW", 0.0),
])
def test_steady_state_reproduces_cited_production_shares(network, production, output, region, share):
    assert _share_of_output(network, production, output, region) == pytest.approx(share, abs=0.005)


def test_cell_demand_shares_follow_iea(network):
    rate = {d.region: d.rate_per_day for d in network.demands if d.commodity == "li_ion_cell"}
    total = sum(rate.values())
    assert rate["CN"] / total == pytest.approx(0.59)
    assert rate["US"] / total == pytest.approx(0.13)
    assert total * 365 == pytest.approx(1187 / 0.85, rel=1e-4)


def test_baseline_simulation_stays_in_steady_state(baseline_year_des):
    """No shock: every demand is served and no stock drifts over a year (the DES, seed 0: tests/conftest.py)."""
    res = baseline_year_des
    assert res.scenario == load_baseline(horizon_days=365) and res.engine == "des"
    summary = res.summary()
    assert len(summary) == len({(d.region, d.commodity, d.segment) for d in res.scenario.network.demands})
    low = summary[summary["fill_rate"] < 0.99]
    assert low.empty, low.to_string()
    initial = np.asarray(res.initial_inventory, dtype=float)
    final = np.asarray(res.inventory[0, -1], dtype=float)
    drift = np.abs(final - initial) / np.maximum(np.abs(initial), 1e-9)
    labels = res.coords.labels("stock")
    worst = int(np.argmax(drift))
    assert drift.max() <= 0.01, f"{labels[worst]}: {initial[worst]:g} -> {final[worst]:g}"


def test_memory_is_packaged_near_its_fab_and_nothing_is_left_over(network, production):
    """Per-class packaging: most Korean memory wafers are packaged in Korea; fabs make what packaging uses."""
    total = defaultdict(float)
    for lane in network.lanes:
        total[lane.destination] += lane.share
    need = {f.id: production[f.id] * dict(f.recipe).get("memory_wafer", 0.0) for f in network.facilities}
    kr = [(lane.destination, need[lane.destination] * lane.share / total[lane.destination])
          for lane in network.lanes if lane.origin == "KR.fab.memory_wafer"]
    assert sum(v for d, v in kr if d.startswith("KR.")) / sum(v for _, v in kr) > 0.85
    for seg in ("memory", "logic", "mature", "mature_idm"):
        made = sum(production[f.id] for f in network.facilities if f.output == f"{seg}_wafer")
        used = sum(production[f.id] * dict(f.recipe)[f"{seg}_wafer"] for f in network.facilities
                   if f"{seg}_wafer" in dict(f.recipe))
        assert made == pytest.approx(used, rel=1e-9)
        assert not any(f.output == "logic_wafer" and f.region == "US" for f in network.facilities)


@pytest.mark.parametrize("region, natural", [("CN", 1 - 0.844), ("KR", 44 / 62), ("JP", 0.17), ("ROW", 0.17)])
def test_anode_output_splits_into_natural_and_synthetic_graphite(network, production, region, natural):
    """Natural-graphite anode plants use spherical graphite; synthetic ones use none; the split is the cited mix."""
    plants = {f.output: f for f in network.facilities if f.output in ("aam", "aam_synthetic") and f.region == region}
    assert set(plants) == {"aam", "aam_synthetic"}
    assert dict(plants["aam"].recipe) == {"graphite_spherical": 1.0}
    assert dict(plants["aam_synthetic"].recipe) == {}
    made = {k: production[f.id] for k, f in plants.items()}
    assert made["aam"] / sum(made.values()) == pytest.approx(natural, abs=0.002)


def test_cells_keep_their_anode_blend_and_buy_each_kind_from_its_own_plants(network):
    """A cell's natural/synthetic anode blend is its recipe (a new anode material takes about two years to
    qualify), summing to the anode mass per GWh; lanes of each kind carry only that kind, shares summing to 1."""
    cells = [f for f in network.facilities if f.output == "li_ion_cell"]
    assert cells
    for cell in cells:
        recipe = dict(cell.recipe)
        assert "aam" in recipe and "aam_synthetic" in recipe
        assert recipe["aam"] + recipe["aam_synthetic"] == pytest.approx(1119e3 / 1152, rel=1e-3)   # t per GWh
        for kind in ("aam", "aam_synthetic"):
            lanes = [lane for lane in network.lanes if lane.destination == cell.id and lane.commodity == kind]
            assert all(network.facility(lane.origin).output == kind for lane in lanes)
            assert sum(lane.share for lane in lanes) == pytest.approx(1.0, abs=2e-3)
    kr = dict(network.facility("KR.cell_plant.li_ion_cell").recipe)
    assert 0.3 < kr["aam"] / (kr["aam"] + kr["aam_synthetic"]) < 0.6      # Korean and Chinese natural anode


def test_korea_sells_the_us_synthetic_anode_only_at_its_cited_import_share(network, production):
    """Korea's 14 % of US anode imports (USGS MCS 2026) is POSCO's artificial-graphite anode from Pohang to Ultium
    Cells (POSCO Newsroom, Dec 2022): no Korean natural-graphite anode goes to US cells."""
    cell = network.facility("US.cell_plant.li_ion_cell")
    recipe = dict(cell.recipe)
    kr = {lane.commodity: lane.share * recipe[lane.commodity] for lane in network.lanes
          if lane.destination == cell.id and lane.origin.startswith("KR.") and lane.share > 0
          and lane.commodity in ("aam", "aam_synthetic")}
    assert set(kr) == {"aam_synthetic"}
    assert kr["aam_synthetic"] / (recipe["aam"] + recipe["aam_synthetic"]) == pytest.approx(0.14, abs=1e-3)


def test_korea_hf_use_counts_japan_as_a_share_of_imports(network, production):
    """Korea's HF use = Japan's 36,000 t/yr / 44.6 % of imports / imports' two-thirds of use."""
    use = sum(production[f.id] * dict(f.recipe)["hf_high_purity"] * 365 for f in network.facilities
              if f.region == "KR" and "hf_high_purity" in dict(f.recipe))
    assert use == pytest.approx(36_000 / 0.446 / (2 / 3), rel=0.01)
