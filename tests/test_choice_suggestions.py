"""Unknown values of enumerated fields list the choices and the close matches (supplychain._validation.check_choice)."""

import pytest

from supplychain._validation import check_choice
from supplychain.errors import ValidationError
from supplychain.model import CapacityShock, ExportControl


def test_a_spelling_slip_in_an_export_control_mode_suggests_the_choice():
    with pytest.raises(ValidationError, match=r"mode must be one of 'ban', 'licence', 'quota' "
                                              r"\(did you mean 'licence'\?\); got 'license' for ExportControl"):
        ExportControl(exporter="CN", commodity="gallium", mode="license")


def test_other_enumerated_fields_suggest_too():
    with pytest.raises(ValidationError, match=r"did you mean 'exponential'\?"):
        CapacityShock(region="TW", stage="fab", fraction_lost=1.0, recovery="exponentail")
    with pytest.raises(ValidationError, match=r"did you mean 'restrictive'\?"):
        ExportControl(exporter="CN", commodity="gallium", mode="licence", initial_state="restricted")


def test_no_suggestion_without_a_close_match_and_non_strings_are_refused():
    with pytest.raises(ValidationError, match=r"^method must be 'sobol' or 'src'; got 'fast' for sensitivity\.$"):
        check_choice("fast", ("sobol", "src"), "method", "sensitivity")
    with pytest.raises(ValidationError, match=r"got \['ban'\]"):
        check_choice(["ban"], ("ban", "quota"), "mode", "ExportControl")
    assert check_choice("quota", ("ban", "quota"), "mode", "ExportControl") == "quota"
