"""docs/scenarios.md documents the scenario file format: its example loads, and it names every table and key
the reader accepts (a field added to a model class without a line there fails here)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from supplychain.io import dumps_scenario, loads_scenario
from supplychain.io.scenario import _SCENARIO_KEYS, _TABLES, _TOP_KEYS
from supplychain.model import dists, policies
from supplychain.model.shocks import SHOCK_KINDS
from supplychain.model.uncertainty import Uncertainty

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "scenarios.md").read_text()


def _example() -> str:
    found = re.search(r"<!-- scenario-example -->\n```toml\n(.*?)```", DOC, re.S)
    assert found, "docs/scenarios.md lost its marked example"
    return found.group(1)


def _section(title: str) -> str:
    """The text of the section whose heading contains ``title``, up to the next heading of any level."""
    found = re.search(rf"^#+ [^\n]*{re.escape(title)}[^\n]*\n(.*?)(?=^#+ |\Z)", DOC, re.S | re.M)
    assert found, f"no section {title!r} in docs/scenarios.md"
    return found.group(1)


def _keys(text: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", text))


def test_the_example_loads_and_reads_back_the_same():
    scenario = loads_scenario(_example(), source="docs/scenarios.md")
    assert scenario.name == "Ore licensing" and len(scenario.network.lanes) == 4
    control, = scenario.shocks
    assert control.exporter == "CN" and control.mode == "licence"      # a region's name is read as its id
    assert len(scenario.responses) == 1 and len(scenario.uncertainties) == 1
    assert loads_scenario(dumps_scenario(scenario)) == scenario


@pytest.mark.parametrize("table", sorted(_TABLES))
def test_every_network_key_is_documented(table):
    fields = {f.name for f in dataclasses.fields(_TABLES[table])}
    missing = fields - _keys(_section(f"`[[{table}]]`"))
    assert not missing, f"[[{table}]] keys missing from docs/scenarios.md: {sorted(missing)}"


def test_every_top_level_table_and_scenario_key_is_documented():
    for top in _TOP_KEYS:
        assert f"[[{top}]]" in DOC or f"[{top}]" in DOC, top
    assert set(_SCENARIO_KEYS) <= _keys(_section("`[scenario]`"))
    assert {f.name for f in dataclasses.fields(Uncertainty)} <= _keys(_section("`[[uncertainties]]`"))


@pytest.mark.parametrize("kind", sorted(SHOCK_KINDS))
def test_every_shock_kind_and_its_keys_are_documented(kind):
    common = _keys(_section("`[[shocks]]`"))
    fields = {f.name for f in dataclasses.fields(SHOCK_KINDS[kind])}
    missing = fields - common - _keys(_section(f'`kind = "{kind}"`'))
    assert not missing, f"{kind} keys missing from docs/scenarios.md: {sorted(missing)}"


def test_every_policy_and_distribution_kind_is_documented():
    for module, section in ((policies, "Inventory policies"), (dists, "Distributions")):
        text = _section(section)
        classes = [c for c in vars(module).values() if isinstance(c, type) and getattr(c, "kind", None)
                   and dataclasses.is_dataclass(c)]
        assert classes
        for cls in classes:
            assert f'`"{cls.kind}"`' in text, cls.kind
            assert {f.name for f in dataclasses.fields(cls)} <= _keys(text), cls.kind


def test_the_page_is_linked_from_the_readme_the_docs_index_and_the_site_nav():
    assert "docs/scenarios.md" in (ROOT / "README.md").read_text()
    assert "(scenarios.md)" in (ROOT / "docs" / "index.md").read_text()
    assert "scenarios.md" in (ROOT / "mkdocs.yml").read_text()
