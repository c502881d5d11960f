"""Model classes called with a keyword they do not take say which field, the value and what was meant."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil

import pytest

import supplychain.model as model
from supplychain import ExportControl, Region, ValidationError
from supplychain.errors import ArgumentError
from supplychain.model._checked import Checked


def _model_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(model.__path__, "supplychain.model."):
        for _, obj in inspect.getmembers(importlib.import_module(info.name), inspect.isclass):
            if dataclasses.is_dataclass(obj) and obj.__module__.startswith("supplychain.model"):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return sorted(found.values(), key=lambda c: c.__name__)


def test_an_unknown_keyword_names_the_field_the_value_and_the_close_match():
    with pytest.raises(ArgumentError) as caught:
        ExportControl(exporter="CN", commodity="gallium", mode="ban", strat=5)
    text = str(caught.value)
    assert text.startswith("field 'strat' is not a parameter of ExportControl (given 5). Did you mean 'start'? ")
    # Every field listed, the close match first, then the class's own fields before the inherited ones.
    listed = text.split("Its fields: ", 1)[1].rstrip(".").split(", ")
    assert sorted(listed) == sorted(f.name for f in dataclasses.fields(ExportControl))
    assert listed[:3] == ["start", "exporter", "commodity"] and listed[-3:] == ["end", "announced", "id"]
    # The project's error (one except clause catches every bad input) and still the TypeError Python raises.
    assert isinstance(caught.value, ValidationError) and isinstance(caught.value, TypeError)


@pytest.mark.parametrize("cls", _model_classes(), ids=lambda c: c.__name__)
def test_every_model_class_checks_its_keywords(cls):
    assert issubclass(cls, Checked)
    with pytest.raises(ArgumentError, match=rf"^field 'not_a_field' is not a parameter of {cls.__name__} "
                                            r"\(given 1\)\. .*Its fields: "):
        cls(not_a_field=1)


def test_positional_arguments_and_missing_fields_say_how_to_call():
    # A shock's fields are keyword-only: three positional arguments filled start, end and announced.
    with pytest.raises(ArgumentError, match=r"^exporter, commodity must be given for ExportControl \(by name: "
                                            r"ExportControl\(exporter=\.\.\., commodity=\.\.\.\); the 3 positional "
                                            r"arguments were taken as start, end, announced\)"):
        ExportControl("CN", "gallium", "ban")
    with pytest.raises(ArgumentError, match=r"^Region takes at most 2 positional arguments \(id, name\), the rest "
                                            r"by name: Region\(id=\.\.\.\); got 3 positional arguments"):
        Region("JP", "Japan", "Asia")
    with pytest.raises(ArgumentError, match=r"^commodity must be given for ExportControl; got only \['exporter'\]"):
        ExportControl(exporter="CN")


def test_frozen_slots_pickling_copying_and_signatures_are_unchanged():
    ban = ExportControl(exporter="CN", commodity="gallium", mode="ban", start="2025-03-01")
    assert pickle.loads(pickle.dumps(ban)) == ban and copy.deepcopy(ban) == ban
    assert dataclasses.replace(ban, mode="licence").mode == "licence"
    with pytest.raises(ArgumentError, match="Did you mean 'mode'"):
        dataclasses.replace(ban, mdoe="licence")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ban.mode = "quota"  # type: ignore[misc]
    assert not hasattr(ban, "__dict__") and not hasattr(Region(id="JP"), "__dict__")
    # help() and notebooks still show the fields, not the base's (*args, **kwargs).
    assert "exporter" in inspect.signature(ExportControl).parameters


def test_a_scenario_files_unknown_key_keeps_its_message():
    from supplychain.model import shock_from_dict
    with pytest.raises(ArgumentError, match=r"^field 'strat' is not a parameter of ExportControl\. Did you mean "
                                            r"'start'\? Its fields: kind, start, end, announced, id, exporter"):
        shock_from_dict({"kind": "export_control", "exporter": "CN", "commodity": "gallium", "strat": 5})
