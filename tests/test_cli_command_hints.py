"""A word that names a task or a scenario, typed where a command goes, gets the command to type instead."""

from __future__ import annotations

import pytest

from supplychain.cli.app import main


def _error(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("supplychain: error: ")
    return err


@pytest.mark.parametrize("word, hint", [
    ("compare", "'supplychain run SCENARIO' compares a scenario with its unshocked baseline"),
    ("taiwan_blockade_magnets", "to run a scenario: 'supplychain run taiwan_blockade_magnets'"),
    ("my_scenario.toml", "to run a scenario: 'supplychain run my_scenario.toml'"),
    ("plot", "'supplychain run SCENARIO --out DIR' writes the plots"),
])
def test_a_task_or_a_scenario_as_the_command_says_what_to_type(word, hint, capsys):
    assert hint in _error([word], capsys)


def test_a_misspelt_command_still_gets_the_close_match(capsys):
    err = _error(["rn"], capsys)
    assert "did you mean 'run'?" in err and "to run a scenario" not in err


def test_the_stress_test_help_names_shipped_scenarios(capsys):
    assert main(["stress-test", "--help"]) == 0
    assert "a shipped scenario by name" in " ".join(capsys.readouterr().out.split())
