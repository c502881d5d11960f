"""docs/model.md, the model specification, covers every shock, response, policy and distribution.

The specification is the contract both engines implement; a new shock kind or
policy without a section of its own there fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from supplychain.model import Distribution, Policy
from supplychain.model.shocks import shock_kinds

SPEC = Path(__file__).resolve().parents[1] / "docs" / "model.md"


@pytest.fixture(scope="module")
def text() -> str:
    return SPEC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"#{2,6} ", line)]


def _subclass_names(base: type) -> set[str]:
    out: set[str] = set()
    stack = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        if not cls.__name__.startswith("_"):  # private bases (shared code) are not kinds users name
            out.add(cls.__name__)
        stack.extend(cls.__subclasses__())
    return out


def _has_section(headings: list[str], name: str) -> bool:
    return any(re.search(rf"`{re.escape(name)}\b", h) for h in headings)


@pytest.mark.parametrize("kind", sorted(shock_kinds()))
def test_every_shock_kind_has_a_section(kind: str, headings: list[str]) -> None:
    name = shock_kinds()[kind].__name__
    assert _has_section(headings, name), f"docs/model.md has no section heading naming `{name}` ({kind!r})"


def test_every_policy_class_has_a_section(headings: list[str]) -> None:
    names = _subclass_names(Policy)
    assert names >= {"BaseStock", "MinMax", "DaysOfCover"}
    missing = sorted(n for n in names if not _has_section(headings, n))
    assert not missing, f"docs/model.md has no section heading naming these policies: {missing}"


def test_every_distribution_is_specified(text: str) -> None:
    missing = sorted(n for n in _subclass_names(Distribution) if f"`{n}(" not in text)
    assert not missing, f"docs/model.md does not specify these distributions: {missing}"


def test_section_numbers_are_unique(headings: list[str]) -> None:
    numbers = [m.group(1) for h in headings if (m := re.match(r"#+ (\d+(?:\.\d+)*)\.? ", h))]
    assert numbers, "sections must be numbered"
    assert len(numbers) == len(set(numbers)), f"duplicate section numbers: {numbers}"


def test_internal_links_resolve(text: str) -> None:
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    links = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert not links - anchors, f"links to missing anchors: {sorted(links - anchors)}"
    assert len(re.findall(r'<a id="', text)) == len(anchors), "anchors must be unique"


def test_no_control_characters(text: str) -> None:
    # A LaTeX macro written in a non-raw Python string (\b, \t, \f) leaves a
    # control character where the backslash was; the spec would render wrongly.
    bad = [(i + 1, line) for i, line in enumerate(text.splitlines()) if re.search(r"[\x00-\x09\x0b-\x1f]", line)]
    assert not bad, f"control characters on spec lines {[n for n, _ in bad]}"
