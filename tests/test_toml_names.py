"""Scenario files take region names as `supplychain data` does, suggest close ones, list fields, give lines."""

from __future__ import annotations

import pytest

from supplychain.errors import UnknownIdError, ValidationError
from supplychain.io.scenario import loads_scenario

HEAD = '[scenario]\nbase = "baseline"\nname = "t"\nhorizon_days = 30\n\n[[shocks]]\n'


def test_a_region_name_stands_for_its_id_in_a_scenario_file():
    for name in ("China", "china", "cn"):
        text = HEAD + f'kind = "export_control"\nexporter = "{name}"\ncommodity = "gallium"\nmode = "ban"\nstart = 5\n'
        assert loads_scenario(text).shocks[-1].exporter == "CN"
    text = HEAD + 'kind = "tariff"\nimporter = "United States"\nexporter = "China"\ncommodity = "gallium"\nrate = 0.5\n'
    shock = loads_scenario(text).shocks[-1]
    assert (shock.importer, shock.exporter) == ("US", "CN")


def test_a_misspelt_region_name_is_refused_with_a_suggestion_and_its_line():
    text = HEAD + 'kind = "export_control"\nexporter = "Chna"\ncommodity = "gallium"\nmode = "ban"\nstart = 5\n'
    with pytest.raises(UnknownIdError, match=r"entry 1, line 8: exporter 'Chna' .* Did you mean 'CN'\?"):
        loads_scenario(text, source="x.toml")
    with pytest.raises(UnknownIdError, match=r"exporter 'PRC' .* Did you mean 'CN'\?"):
        loads_scenario(text.replace("Chna", "PRC"))


def test_an_unknown_field_lists_the_fields_close_ones_first():
    text = HEAD + 'kind = "capacity_shock"\nregion = "TW"\nstage = "fab"\nloss = 0.5\nstart = 5\n'
    with pytest.raises(ValidationError, match=r"line 10: field 'loss' is not a parameter of CapacityShock\. "
                                              r"Its fields: kind, .*fraction_lost"):
        loads_scenario(text)
    text = HEAD + 'kind = "capacity_shock"\nregion = "TW"\nstage = "fab"\nfraction_lots = 0.5\n'
    with pytest.raises(ValidationError, match=r"Did you mean 'fraction_lost'.*\? Its fields: kind, fraction_lost, "):
        loads_scenario(text)


def test_a_quoted_date_in_another_form_names_its_line():
    text = HEAD + 'kind = "export_control"\nexporter = "CN"\ncommodity = "gallium"\nmode = "ban"\nstart = "03/01/2025"\n'
    with pytest.raises(ValidationError, match=r"x\.toml, \[\[shocks\]\] entry 1, line 11: start must be"):
        loads_scenario(text, source="x.toml")
