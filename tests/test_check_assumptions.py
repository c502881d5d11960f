"""tools/check_assumptions.py: every claim names one figure of docs/assumptions.md and a measure that exists.

The measures themselves (minutes of runs) are not run here: ``python tools/check_assumptions.py`` does that.
"""

import re

import pytest

from tools import check_assumptions as ca


@pytest.fixture(scope="module")
def doc_text() -> str:
    return re.sub(r"\s+", " ", ca.DOC.read_text(encoding="utf-8"))


def test_every_claim_names_one_figure_of_the_doc(doc_text):
    missing = {c.key: ca.doc_figure(doc_text, c)[1] for c in ca.CLAIMS if ca.doc_figure(doc_text, c)[1] != 1}
    assert not missing, f"patterns that do not match exactly once (key: matches): {missing}"


def test_claim_keys_are_unique_and_measures_exist():
    keys = [c.key for c in ca.CLAIMS]
    assert len(keys) == len(set(keys))
    assert {c.measure for c in ca.CLAIMS} <= set(ca.MEASURES)


def test_the_doc_keeps_no_placeholder(doc_text):
    assert not re.search(r"\b(STEADY|SENSITIVITY|TW_SS)_\w+", doc_text)


@pytest.mark.parametrize("written, model, ok, shown", [
    ("39.6", 39.599e9 * 1e-9, True, "39.6"),      # rounds as the doc rounds
    ("39.6", 39.649, True, "39.6"),
    ("39.6", 39.651, False, "39.7"),
    ("1,143", 1142.96, True, "1,143"),            # thousands separators
    ("0.00", -1e-12, True, "-0.00"),
    ("May 2021", "May 2021", True, "May 2021"),   # a month is compared as written
    ("May 2021", "Jul 2021", False, "Jul 2021"),
])
def test_agrees_compares_at_the_doc_precision(written, model, ok, shown):
    assert ca.agrees(written, model, 0.0) == (ok, shown)


def test_tolerance_widens_the_match():
    assert ca.agrees("10.0", 10.4, 0.05)[0] and not ca.agrees("10.0", 10.6, 0.05)[0]


def test_list_runs_nothing_and_reports_unmatched(capsys, monkeypatch, tmp_path):
    doc = tmp_path / "assumptions.md"
    doc.write_text("The flagship (`taiwan_blockade_magnets`) loses $1.21bn of chips\n", encoding="utf-8")
    monkeypatch.setattr(ca, "DOC", doc)
    assert ca.main(["--list", "--only", "flagship:"]) == 1   # the other flagship figures are not in this doc
    out = capsys.readouterr().out
    assert "flagship:shortfall" in out and "1.21" in out and "DOC?" in out
