"""The shocks package: one explicit table of kinds, no import cycle, names importable where they were."""

from __future__ import annotations

import importlib

import pytest

import supplychain
import supplychain.model
from supplychain.model import shocks
from supplychain.model.shocks import (
    SHOCK_KINDS,
    Response,
    Shock,
    shock_from_dict,
    shock_kinds,
)

PUBLIC = ("Shock", "Tariff", "ExportControl", "CapacityShock", "LogisticsShock", "DemandShock", "RandomOutage",
          "StockpileRelease", "CapacityInvestment", "SafetyStockChange")


def test_the_table_of_kinds_lists_every_shock_class_once() -> None:
    assert shock_kinds() == SHOCK_KINDS and shock_kinds() is not SHOCK_KINDS
    assert sorted(SHOCK_KINDS) == ["capacity_investment", "capacity_shock", "demand_shock", "export_control",
                                   "logistics_shock", "random_outage", "safety_stock_change",
                                   "stockpile_release", "tariff"]
    assert all(cls.kind == kind and issubclass(cls, Shock) for kind, cls in SHOCK_KINDS.items())
    assert {k for k, cls in SHOCK_KINDS.items() if issubclass(cls, Response)} == {
        "capacity_investment", "safety_stock_change", "stockpile_release"}


def test_a_subclass_does_not_register_itself() -> None:
    from dataclasses import dataclass
    from typing import ClassVar

    @dataclass(frozen=True, slots=True, kw_only=True)
    class Custom(Shock):
        kind: ClassVar[str] = "custom"

    assert "custom" not in shock_kinds()
    with pytest.raises(supplychain.ValidationError, match="kind must be a known shock kind"):
        shock_from_dict({"kind": "custom"})
    with pytest.raises(supplychain.ValidationError, match="kind must be a known shock kind"):
        shock_from_dict({"kind": ["tariff"]})


@pytest.mark.parametrize("module", [supplychain, supplychain.model, shocks])
def test_public_names_stay_importable(module) -> None:
    for name in PUBLIC:
        assert getattr(module, name) is getattr(shocks, name)


@pytest.mark.parametrize("sub, names", [("base", ("Shock", "Response", "to_day")),
                                        ("trade", ("Tariff", "ExportControl")),
                                        ("disruptions", ("CapacityShock", "LogisticsShock", "DemandShock")),
                                        ("outages", ("RandomOutage",)),
                                        ("responses", ("StockpileRelease", "CapacityInvestment",
                                                       "SafetyStockChange"))])
def test_each_module_holds_its_kinds(sub: str, names: tuple[str, ...]) -> None:
    module = importlib.import_module(f"supplychain.model.shocks.{sub}")
    for name in names:
        assert getattr(module, name) is getattr(shocks, name)


def test_the_model_layer_has_no_import_cycle() -> None:
    grimp = pytest.importorskip("grimp")     # installed with import-linter
    graph = grimp.build_graph("supplychain", include_external_packages=False)
    for package in ("supplychain.model", "supplychain.model.shocks"):
        children = sorted(graph.find_children(package))
        for a in children:
            for b in children:
                if a != b and graph.chain_exists(importer=a, imported=b, as_packages=True):
                    assert not graph.chain_exists(importer=b, imported=a, as_packages=True), (a, b)
