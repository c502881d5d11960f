"""A scenario's known misfit to the record travels with it and is printed under the run's header."""

from __future__ import annotations

import pytest

from supplychain import load_baseline
from supplychain.errors import ValidationError
from supplychain.io import dumps_scenario, load_example, load_scenario, loads_scenario


def test_round_trip_and_equality() -> None:
    s = load_baseline().with_horizon(5).replace(against_record="Prices fell (Source, 2024).")
    back = loads_scenario(dumps_scenario(s))
    assert back.against_record == "Prices fell (Source, 2024)."
    # A caveat changes no result, so it takes no part in equality.
    assert back == s.replace(against_record="")


def test_not_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="against_record"):
        load_baseline().replace(against_record=3)


def test_shipped_graphite_says_it_and_a_derived_file_does_not(tmp_path) -> None:
    shipped = load_example("china_graphite_2023")
    assert "O-24" in shipped.against_record and "Fastmarkets" in shipped.against_record
    own = tmp_path / "own.toml"
    own.write_text('[scenario]\nbase = "baseline"\nname = "own"\nhorizon_days = 10\n')
    assert load_scenario(own).against_record == ""


def test_cli_prints_it_second(tmp_path, capsys) -> None:
    from supplychain.cli import main
    f = tmp_path / "s.toml"
    f.write_text('[scenario]\nbase = "baseline"\nname = "s"\nhorizon_days = 3\nseed = 1\n'
                 'against_record = "Exports recovered (Customs, 2024)."\n'
                 '[[shocks]]\nkind = "capacity_shock"\nregion = "CN"\nstage = "mine"\nfraction_lost = 0.5\n'
                 'start = 1\nend = 2\n')
    assert main(["run", str(f), "--engine", "vector"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Scenario 's'"))
    # the shocks in words come first, then the caveat, before any number
    assert lines[head + 1] == "Shocks: CN mine capacity -50% from 2025-01-02, 1 day"
    assert lines[head + 2] == "Against the record: Exports recovered (Customs, 2024)."
