"""docs/user-guide.md's glossary stays in step with the baseline: every commodity, stage and unit, as the data says."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from supplychain import load_baseline

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user-guide.md"


def _tables() -> list[list[list[str]]]:
    """The glossary section's markdown tables, each a list of rows of cells (header and rule dropped)."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Glossary: commodity ids, stages and units", 1)[1].split("\n## ", 1)[0]
    tables: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in section.splitlines() + [""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            tables.append(rows[2:])
            rows = []
    return tables


def _ids(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


@pytest.fixture(scope="module")
def network():
    return load_baseline().network


def test_every_commodity_once_with_the_data_s_unit_and_name(network) -> None:
    commodities, _, _ = _tables()
    shown = {_ids(row[1])[0]: (_ids(row[2])[0], row[3]) for row in commodities}
    assert len(shown) == len(commodities)                       # no id twice
    assert shown == {c.id: (c.unit, c.name) for c in network.commodities}


def test_every_stage_with_what_it_makes(network) -> None:
    _, stages, _ = _tables()
    made = collections.defaultdict(set)
    for f in network.facilities:
        made[f.stage].add(f.output)
    # The outputs close each row, after the colon.
    shown = {_ids(row[0])[0]: set(_ids(row[1].rsplit(": ", 1)[1])) for row in stages}
    assert shown == dict(made)


def test_every_unit_explained(network) -> None:
    _, _, units = _tables()
    shown = [u for row in units for u in _ids(row[0])]
    assert sorted(shown) == sorted({c.unit for c in network.commodities})
