"""An invalid date in a scenario file names the file, the table entry, the field and the form a date takes."""

from __future__ import annotations

import pytest

from supplychain.cli.app import main
from supplychain.errors import ScenarioFileError
from supplychain.io.scenario import load_scenario, loads_scenario

SHOCK = '[scenario]\nbase = "baseline"\nhorizon_days = 30\n\n[[shocks]]\nkind = "tariff"\nimporter = "US"\n' \
        'exporter = "CN"\ncommodity = "gallium"\nrate = 0.5\n'


@pytest.mark.parametrize("value, why", [("2025-02-30", " (February 2025 has 28 days)"),
                                        ("2025-13-01", " (there are 12 months, not 13)"),
                                        ("2025/03/01", ""), ("2025-3-1", "")])
def test_start_date_names_the_field_and_the_form(tmp_path, value, why):
    path = tmp_path / "bad.toml"
    path.write_text(f'[scenario]\nbase = "baseline"\nstart_date = {value}\n')
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario(path)
    assert str(caught.value) == (f"{path}, [scenario], line 3: start_date must be a date (YYYY-MM-DD, a day that "
                                 f"exists, e.g. 2025-03-01); got {value}{why}.")


def test_a_shocks_date_names_its_entry(tmp_path):
    text = SHOCK + 'start = 2025-03-01\n\n' + SHOCK.split("\n\n", 1)[1] + 'start = 2025-04-31\n'
    with pytest.raises(ScenarioFileError, match=r"^s\.toml, \[\[shocks\]\] entry 2, line 19: start must be a whole day "
                                                r"number or a date \(YYYY-MM-DD.*got 2025-04-31 \(April 2025 has 30 days\)\.$"):
        loads_scenario(text, source="s.toml")
    with pytest.raises(ScenarioFileError, match=r"entry 1, line 12: end must be .*; got 2025-03-01T25:00"):
        loads_scenario(SHOCK + "start = 2025-02-01\nend = 2025-03-01T25:00:00\n", source="s.toml")


def test_other_syntax_errors_keep_the_parsers_position():
    with pytest.raises(ScenarioFileError, match=r"invalid TOML: .*line 2, column"):
        loads_scenario('[scenario]\nname = 3 4\n', source="s.toml")


def test_the_cli_prints_one_line_naming_the_field(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(SHOCK + "start = 2025-02-29\n")
    assert main(["run", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"supplychain: error: {path}, [[shocks]] entry 1, line 11: start must be a whole day number or a "
                   "date (YYYY-MM-DD, a day that exists, e.g. 2025-03-01); got 2025-02-29 (February 2025 has 28 "
                   "days)."]


def test_a_quoted_start_date_says_why_in_the_same_words(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nbase = "baseline"\nstart_date = "2024-02-30"\n')
    with pytest.raises(ScenarioFileError) as caught:
        load_scenario(path)
    assert str(caught.value) == (f"{path}, [scenario]: start_date must be a date (YYYY-MM-DD, a day that exists, "
                                 "e.g. 2025-03-01); got '2024-02-30' (February 2024 has 29 days).")


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13-01", "2025-04-00", "2025-06-31"])
def test_no_date_message_ends_in_pythons_words(value):
    with pytest.raises(ScenarioFileError) as caught:
        loads_scenario(f'[scenario]\nbase = "baseline"\nstart_date = {value}\n', source="s.toml")
    assert "out of range" not in str(caught.value) and "must be in" not in str(caught.value)
