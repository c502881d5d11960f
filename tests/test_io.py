"""Scenario TOML files and results archives: exact round trips and located error messages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tomllib

import numpy as np
import pytest

from supplychain.errors import ScenarioFileError, UnknownIdError, ValidationError
from supplychain.io import scenario as io
from supplychain.io.files import atomic_write
from supplychain.io.scenario import (
    dumps_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from supplychain.model import (
    BaseStock,
    Empirical,
    LogNormal,
    MinMax,
    Normal,
    Scenario,
    Triangular,
    Uniform,
)
from supplychain.results import load_results
from supplychain.run import simulate

from .conftest import chain_network, diamond_network


def rich_scenario() -> Scenario:
    """The diamond with every kind of value a file must carry: policies, distributions, inf, None."""
    net = diamond_network()
    mine_cn, mine_row, refinery = net.facilities
    refinery = dataclasses.replace(refinery, policies={"ore": MinMax(10.0, 60.0), "metal": BaseStock(80.0)},
                                   initial_inventory={"metal": 3.25}, default_cover_days=12.5)
    lanes = (dataclasses.replace(net.lanes[0], lead_time=Uniform(3.0, 5.0), capacity_per_day=25.0),
             dataclasses.replace(net.lanes[1], lead_time=Empirical((10.0, 12.0), (1.0, 2.0)),
                                 freight_usd_per_unit=0.1 + 0.2),
             dataclasses.replace(net.lanes[2], lead_time=Triangular(0.5, 1.0, 2.0)),
             dataclasses.replace(net.lanes[3], lead_time=LogNormal(2.0, 0.5)))
    demands = (dataclasses.replace(net.demands[0], noise=Normal(1.0, 0.2, low=0.0), unmet="backorder",
                                   initial_inventory=40.0),
               net.demands[1])
    net = dataclasses.replace(net, facilities=(mine_cn, mine_row, refinery), lanes=lanes, demands=demands)
    return Scenario(net, horizon_days=30, start_date=dt.date(2024, 3, 1), seed=11, name='rich "diamond"')


# Round trips -----------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda: Scenario(chain_network(), horizon_days=20), rich_scenario])
def test_save_load_round_trip_is_exact(tmp_path, make):
    scenario = make()
    path = save_scenario(scenario, tmp_path / "s.toml")
    back = load_scenario(path)
    assert back == scenario
    assert scenario_to_dict(back) == scenario_to_dict(scenario)
    assert dumps_scenario(back) == dumps_scenario(scenario)


def test_round_trip_simulates_identically(tmp_path):
    scenario = rich_scenario()
    back = load_scenario(save_scenario(scenario, tmp_path / "s.toml"))
    a, b = simulate(scenario, n_runs=3, seed=5), simulate(back, n_runs=3, seed=5)
    for name, arr in a.arrays.items():
        np.testing.assert_array_equal(arr, b.arrays[name], err_msg=name)


def test_file_uses_inline_tables_inf_and_bare_numbers():
    text = dumps_scenario(rich_scenario())
    assert "[scenario]\nname = 'rich \"diamond\"'" in text or '[scenario]\nname = "rich \\"diamond\\""' in text
    assert "start_date = 2024-03-01" in text
    assert 'policies = { metal = { kind = "base_stock", level = 80.0 }, ore = { kind = "min_max"' in text
    assert "capacity_per_day = inf" in text
    assert "lead_time = 1.0" not in text and "lead_time = 12.0" not in text
    assert "lead_time = 4.0" not in text  # replaced by a Uniform
    assert 'lead_time = { kind = "uniform", low = 3.0, high = 5.0 }' in text
    assert "freight_usd_per_unit = 0.30000000000000004" in text  # repr: floats survive exactly
    assert tomllib.loads(text)["demands"][1].get("noise") is None  # None is left out, not written


def test_scenario_dict_round_trip_and_plain_types():
    data = scenario_to_dict(rich_scenario())
    assert data["scenario"] == {"name": 'rich "diamond"', "horizon_days": 30,
                                "start_date": dt.date(2024, 3, 1), "seed": 11, "price_feedback": False}
    assert data["lanes"][0]["capacity_per_day"] == 25.0 and math.isinf(data["lanes"][2]["capacity_per_day"])
    assert data["facilities"][2]["recipe"] == {"ore": 1.5}
    assert data["shocks"] == []
    assert scenario_from_dict(data) == rich_scenario()


def test_shocks_round_trip(tmp_path):
    from supplychain.model import shock_from_dict
    shocks = (shock_from_dict({"kind": "demand_shock", "region": "JP", "commodity": "metal", "factor": 1.5,
                               "start": dt.date(2024, 3, 5), "end": 20}),
              shock_from_dict({"kind": "capacity_shock", "facility": "CN.mine", "fraction_lost": 0.5,
                               "start": 3, "end": 10, "recovery_days": 5.0}))
    scenario = rich_scenario().with_shocks(*shocks)
    back = load_scenario(save_scenario(scenario, tmp_path / "s.toml"))
    assert back == scenario and back.shocks == shocks
    a, b = simulate(scenario, n_runs=2, seed=1), simulate(back, n_runs=2, seed=1)
    np.testing.assert_array_equal(a.delivered, b.delivered)
    np.testing.assert_array_equal(a.production, b.production)


def test_quoted_start_date_is_accepted():
    text = dumps_scenario(Scenario(chain_network(), horizon_days=5)).replace(
        "start_date = 2025-01-01", 'start_date = "2025-02-01"')
    assert loads_scenario(text).start_date == dt.date(2025, 2, 1)


# base = "baseline" -------------------------------------------------------------------------------
@pytest.fixture
def fake_baseline(monkeypatch):
    base = Scenario(chain_network(), horizon_days=365, seed=3, name="base")
    monkeypatch.setitem(io.BASES, "baseline", lambda: base)
    return base


def test_base_file_only_changes_what_it_says(fake_baseline):
    text = ('[scenario]\nbase = "baseline"\nname = "short"\nhorizon_days = 30\n\n'
            '[[demands]]\nid = "US.metal"\nregion = "US"\ncommodity = "metal"\nrate_per_day = 7.0\n')
    scen = loads_scenario(text)
    assert (scen.name, scen.horizon_days, scen.seed, scen.start_date) == ("short", 30, 3, fake_baseline.start_date)
    assert scen.network.demand("US.metal").rate_per_day == 7.0
    assert scen.network.facilities == fake_baseline.network.facilities
    assert scen.network.lanes == fake_baseline.network.lanes


def test_base_file_adds_shocks(fake_baseline):
    text = ('[scenario]\nbase = "baseline"\n\n[[shocks]]\nkind = "capacity_shock"\n'
            'facility = "CN.refinery"\nfraction_lost = 1.0\nstart = 10\nend = 20\n')
    scen = loads_scenario(text)
    assert scen.horizon_days == 365 and len(scen.shocks) == 1
    assert scen.shocks[0].to_dict()["facility"] == "CN.refinery"


def test_base_file_rejects_duplicate_ids(fake_baseline):
    entry = '[[regions]]\nid = "JP"\n'
    with pytest.raises(ValidationError, match=r"^x\.toml, \[\[regions\]\]: id must be unique; got 'JP' twice\.$"):
        loads_scenario('[scenario]\nbase = "baseline"\n\n' + entry + entry, source="x.toml")


def test_unknown_base_suggests_close_match():
    with pytest.raises(UnknownIdError, match=r"^x\.toml, \[scenario\]: base 'baselin' .* Did you mean 'baseline'\?"):
        loads_scenario('[scenario]\nbase = "baselin"\n', source="x.toml")


def test_real_baseline_base_file(tmp_path):
    pytest.importorskip("supplychain.datasets")
    path = tmp_path / "short.toml"
    path.write_text('[scenario]\nbase = "baseline"\nhorizon_days = 20\n')
    scen = load_scenario(path)
    assert scen.horizon_days == 20
    assert load_scenario(save_scenario(scen, tmp_path / "full.toml")) == scen


# Errors name the file, the entry, the field and the value ---------------------------------------
def write_variant(tmp_path, old, new, *, extra=""):
    text = dumps_scenario(Scenario(chain_network(), horizon_days=20))
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1) + extra)
    return path


def test_malformed_toml(tmp_path):
    path = write_variant(tmp_path, "horizon_days = 20", "horizon_days = ")
    with pytest.raises(ScenarioFileError, match=r"bad\.toml: invalid TOML: Invalid value \(at line 5"):
        load_scenario(path)


def test_missing_field(tmp_path):
    path = write_variant(tmp_path, "rate_per_day = 5.0\n", "")
    with pytest.raises(ScenarioFileError, match=r"bad\.toml, \[\[demands\]\] entry 1: rate_per_day must be "
                                                r"given; got nothing for Demand 'US\.metal'\."):
        load_scenario(path)


def test_misspelt_key_suggests_the_field(tmp_path):
    path = write_variant(tmp_path, "capacity_per_day = 20.0", "capacity_per_dya = 20.0")
    with pytest.raises(ScenarioFileError, match=r"entry 1, line \d+: capacity_per_dya is not a known key for Facility "
                                                r"'CN\.mine'.*Did you mean 'capacity_per_day'\?"):
        load_scenario(path)


def test_misspelt_table_suggests_the_table(tmp_path):
    path = write_variant(tmp_path, "[[lanes]]", "[[lane]]")
    with pytest.raises(ScenarioFileError, match=r"bad\.toml: lane is not a known key.*Did you mean 'lanes'\?"):
        load_scenario(path)


def test_negative_rate(tmp_path):
    path = write_variant(tmp_path, "rate_per_day = 5.0", "rate_per_day = -5.0")
    with pytest.raises(ValidationError, match=r"^.*bad\.toml, \[\[demands\]\] entry 1, line \d+: rate_per_day must be "
                                              r">= 0; got -5\.0 for Demand 'US\.metal'\.$"):
        load_scenario(path)


@pytest.mark.parametrize("old, new, message", [
    ('region = "US"', 'region = "USA"', r"region 'USA' for Demand 'US\.metal' is not a known id\. "
                                        r"Did you mean 'US'\?"),
    ('destination = "US.metal"', 'destination = "US.metals"',
     r"destination 'US\.metals' for Lane 'CN\.refinery>US\.metals' is not a known id\. Did you mean 'US\.metal'\?"),
    ('recipe = { ore = 2.0 }', 'recipe = { oar = 2.0 }', r"stock 'ore'|commodity 'oar'"),
])
def test_unknown_ids_name_the_file_and_suggest(tmp_path, old, new, message):
    path = write_variant(tmp_path, old, new)
    with pytest.raises(UnknownIdError, match=rf"bad\.toml.*({message})"):
        load_scenario(path)


def test_end_before_start(tmp_path):
    extra = ('\n[[shocks]]\nkind = "demand_shock"\nregion = "US"\ncommodity = "metal"\nfactor = 2.0\n'
             'start = 10\nend = 5\n')
    path = write_variant(tmp_path, "horizon_days = 20", "horizon_days = 20", extra=extra)
    with pytest.raises(ValidationError, match=r"bad\.toml, \[\[shocks\]\] entry 1, line \d+: end must be after start "
                                              r"\(10\); got 5 for DemandShock\."):
        load_scenario(path)


def test_bad_horizon_is_located_in_the_scenario_table(tmp_path):
    path = write_variant(tmp_path, "horizon_days = 20", "horizon_days = 20.5")
    with pytest.raises(ValidationError, match=r"bad\.toml, \[scenario\]: horizon_days must be a whole number"):
        load_scenario(path)


def test_bad_distribution_names_the_lane_entry(tmp_path):
    path = write_variant(tmp_path, "lead_time = 3.0", 'lead_time = { kind = "uniform", low = 3, high = 2 }')
    with pytest.raises(ValidationError, match=r"\[\[lanes\]\] entry 1: high must be >= 3; got 2"):
        load_scenario(path)


def test_wrong_type_for_a_table_field(tmp_path):
    path = write_variant(tmp_path, "recipe = { ore = 2.0 }", "recipe = 2.0")
    with pytest.raises(ScenarioFileError, match=r"bad\.toml, \[\[facilities\]\] entry 2, line \d+: recipe must be a table "
                                                r"such as \{ key = value \}; got 2\.0 for Facility 'CN\.refinery'\."):
        load_scenario(path)


def test_table_that_is_not_an_array(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('regions = "CN"\n')
    with pytest.raises(ScenarioFileError, match=r"bad\.toml, regions: regions must be an array of tables"):
        load_scenario(path)


def test_file_without_network_explains_base(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[scenario]\nhorizon_days = 10\n")
    with pytest.raises(ScenarioFileError, match=r"defines no network.*base = \"baseline\""):
        load_scenario(path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(ScenarioFileError, match=r"nope\.toml: no such scenario file\."):
        load_scenario(tmp_path / "nope.toml")
    (tmp_path / "latin1.toml").write_bytes(b'name = "\xe9"\n')
    with pytest.raises(ScenarioFileError, match=r"latin1\.toml: scenario file must be UTF-8"):
        load_scenario(tmp_path / "latin1.toml")
    with pytest.raises(ScenarioFileError, match=r"cannot read scenario file"):
        load_scenario(tmp_path)


def test_dict_errors_without_a_source():
    with pytest.raises(ScenarioFileError, match=r"^\[\[regions\]\] entry 2: entry must be a table"):
        scenario_from_dict({"regions": [{"id": "CN"}, "US"]})


# Atomic writes ---------------------------------------------------------------------------------
def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "s.toml"
    save_scenario(Scenario(chain_network(), horizon_days=20), path)
    before = path.read_bytes()

    def explode(handle):
        handle.write(b"half a file")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, explode)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.toml"]


# Results archives ------------------------------------------------------------------------------
def test_results_round_trip_exactly(tmp_path):
    res = simulate(rich_scenario(), n_runs=3, seed=9)
    path = res.save(tmp_path / "res.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["res.npz"]
    back = load_results(path)
    assert (back.engine, back.seed, back.n_runs, back.n_days) == (res.engine, res.seed, 3, 30)
    assert back.scenario == res.scenario
    assert dataclasses.asdict(back.coords) == dataclasses.asdict(res.coords)
    assert set(back.arrays) == set(res.arrays)
    for name, arr in res.arrays.items():
        assert back.arrays[name].dtype == arr.dtype
        np.testing.assert_array_equal(back.arrays[name], arr, err_msg=name)
        assert not back.arrays[name].flags.writeable
    np.testing.assert_array_equal(back.initial_inventory, res.initial_inventory)
    np.testing.assert_array_equal(back.initial_in_transit, res.initial_in_transit)
    assert back.summary().equals(res.summary())


def test_results_with_huge_entropy_seed(tmp_path):
    res = simulate(Scenario(chain_network(), horizon_days=5), seed=None)
    assert load_results(res.save(tmp_path / "r.npz")).seed == res.seed


def test_load_results_rejects_other_files(tmp_path):
    with pytest.raises(ScenarioFileError, match=r"nope\.npz: no such results file\."):
        load_results(tmp_path / "nope.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ScenarioFileError, match=r"text\.npz: not a supplychain results file"):
        load_results(tmp_path / "text.npz")
    np.savez(tmp_path / "other.npz", x=np.arange(3))
    with pytest.raises(ScenarioFileError, match=r"other\.npz: not a supplychain results file"):
        load_results(tmp_path / "other.npz")


# Hostile scenario files (issue 8, fuzzing findings) -----------------------------------------------
BASE_HEAD = '[scenario]\nbase = "baseline"\n'


def test_deeply_nested_toml_is_one_clear_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text(BASE_HEAD + "x = " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(ScenarioFileError, match=r"deep\.toml: arrays and tables are nested more than 32"):
        load_scenario(path)
    # Shallow enough for the parser, still too deep for a scenario: refused before the model sees it.
    with pytest.raises(ScenarioFileError, match=r"nested more than 32 levels"):
        loads_scenario(BASE_HEAD + "x = " + "[" * 40 + "]" * 40 + "\n", source="d.toml")


def test_base_that_is_not_a_string(tmp_path):
    path = tmp_path / "b.toml"
    path.write_text('[scenario]\nbase = ["baseline"]\n')
    with pytest.raises(ScenarioFileError, match=r"b\.toml, \[scenario\]: base must be the name of a built-in "
                                                r"scenario \('baseline', 'taiwan_blockade_magnets', .*'equipment_controls_china'\); "
                                                r"got \['baseline'\]\."):
        load_scenario(path)


def test_error_lines_show_at_most_80_characters_of_a_value(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text(BASE_HEAD + '[[shocks]]\nkind = "' + "k" * 200_000 + '"\n')
    with pytest.raises(ValidationError) as info:
        load_scenario(path)
    message = str(info.value)
    assert len(message) < 600 and "'" + "k" * 79 + "..." in message and "k" * 81 not in message
    long_key = "z" * 5000
    with pytest.raises(ScenarioFileError) as info:
        loads_scenario(f'[scenario]\n{long_key} = 1\n', source="key.toml")
    assert len(str(info.value)) < 600 and "z" * 80 + "..." in str(info.value)
    assert "z" * 81 not in str(info.value)


@pytest.mark.parametrize("exc", [OverflowError("int too large"), MemoryError(), RecursionError(),
                                 ValueError("bad"), AttributeError("no attr")])
def test_foreign_errors_while_building_become_located_file_errors(exc, monkeypatch):
    from supplychain.model import shocks

    def explode(data):
        raise exc
    monkeypatch.setattr(shocks, "shock_from_dict", explode)
    with pytest.raises(ScenarioFileError, match=r"^f\.toml, \[\[shocks\]\] entry 1: .+"):
        loads_scenario(BASE_HEAD + '[[shocks]]\nkind = "tariff"\n', source="f.toml")


def test_integer_too_long_for_python_is_a_file_error():
    with pytest.raises(ScenarioFileError, match=r"n\.toml: invalid TOML: .*digits"):
        loads_scenario("[scenario]\nhorizon_days = " + "9" * 5000 + "\n", source="n.toml")


def test_an_unknown_id_in_a_shock_is_named_by_its_entry_in_the_file(monkeypatch):
    # One form for every error in [[shocks]], numbered as in the file: the base's own shock and a
    # response before it do not shift the number.
    from supplychain.model import DemandShock
    base = Scenario(chain_network(), (DemandShock(region="US", commodity="metal", factor=2.0),), horizon_days=30)
    monkeypatch.setitem(io.BASES, "baseline", lambda: base)
    text = (BASE_HEAD + '[[shocks]]\nkind = "safety_stock_change"\nregion = "US"\ncommodity = "metal"\n'
            'cover_days = 40.0\n'
            + '\n[[shocks]]\nkind = "tariff"\nimporter = "USA"\nexporter = "CN"\ncommodity = "metal"\nrate = 0.1\n')
    with pytest.raises(UnknownIdError, match=r"^f\.toml, \[\[shocks\]\] entry 2, line \d+: importer 'USA' for Tariff is not a "
                                             r"known id\. Did you mean 'US'\?$"):
        loads_scenario(text, source="f.toml")


def test_an_error_found_when_compiling_names_the_shock_by_its_entry_in_the_file(monkeypatch):
    # The same words and number as an error found while loading: two responses and the base's own shock
    # put the wrong shock third in the file but second among the scenario's disruptions.
    from supplychain.compile.compiler import compile_scenario
    from supplychain.model import DemandShock
    base = Scenario(chain_network(), (DemandShock(region="US", commodity="metal", factor=2.0),), horizon_days=30)
    monkeypatch.setitem(io.BASES, "baseline", lambda: base)
    cover = '[[shocks]]\nkind = "safety_stock_change"\nregion = "US"\ncommodity = "metal"\ncover_days = {}\n\n'
    text = (BASE_HEAD + cover.format(40.0) + cover.format(50.0)
            + '[[shocks]]\nkind = "demand_shock"\nregion = "CN"\ncommodity = "metal"\nfactor = 2.0\n')
    scenario = loads_scenario(text, source="f.toml")
    with pytest.raises(ValidationError, match=r"^f\.toml, \[\[shocks\]\] entry 3: region must have final demand "
                                              r"for 'metal'; got 'CN' for DemandShock \(demand for 'metal' exists in US\)\.$"):
        compile_scenario(scenario)
    # Without a file the entry has no source; a shock added later is named by its place in the scenario.
    with pytest.raises(ValidationError, match=r"^\[\[shocks\]\] entry 3: region must"):
        compile_scenario(loads_scenario(text))
    wrong = DemandShock(region="CN", commodity="metal", factor=3.0)
    with pytest.raises(ValidationError, match=r"^shocks entry 2: region must"):
        compile_scenario(scenario.without_shocks(keep_in_force=False).with_shocks(*base.shocks, wrong))
    # The origins change neither results nor equality: a saved and reloaded file equals the scenario.
    assert scenario == dataclasses.replace(scenario, shock_origins=())
    assert scenario.shock_origins[-1][1] == "f.toml, [[shocks]] entry 3"
