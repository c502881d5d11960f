"""The baseline data files are exactly what the builder (``python -m tools.baseline``) writes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from supplychain.datasets import BASELINE_DIR, BASELINE_FILES

ROOT = Path(__file__).resolve().parents[1]
if not (ROOT / "tools" / "baseline").is_dir():  # pragma: no cover - e.g. testing an installed wheel
    pytest.skip("tools/baseline is not in this checkout", allow_module_level=True)
sys.path.insert(0, str(ROOT))

from tools.baseline import build, write  # noqa: E402
from tools.baseline.write import render  # noqa: E402


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("baseline")
    write(out)
    return out


@pytest.mark.parametrize("name", BASELINE_FILES)
def test_builder_regenerates_the_shipped_file_byte_for_byte(rebuilt, name):
    assert (rebuilt / name).read_bytes() == (BASELINE_DIR / name).read_bytes(), \
        f"{name} differs from `python -m tools.baseline` output: rebuild the data files"


def test_builder_writes_exactly_the_shipped_files(rebuilt):
    assert sorted(p.name for p in rebuilt.iterdir()) == sorted(BASELINE_FILES)


def test_builder_is_repeatable_without_module_state():
    """Two builds in one process give the same text (nothing accumulates in module globals)."""
    assert render(build()) == render(build())


_PRIVATE_NOTES = re.compile(r"calibration|formulas\.md|shared/|our notes", re.IGNORECASE)


@pytest.mark.parametrize("name", BASELINE_FILES)
def test_shipped_data_cites_no_private_notes(name):
    text = (BASELINE_DIR / name).read_text(encoding="utf-8")
    hits = [line for line in text.splitlines() if _PRIVATE_NOTES.search(line)]
    assert not hits, f"{name} cites files that are not shipped: {hits[:3]}"


def test_every_assumption_in_the_data_is_in_a_sensitivity_group():
    """tools/assumptions_sensitivity.py classifies every "assumption" value (docs/assumptions.md lists them)."""
    from tools.assumptions_sensitivity import main
    assert main(["--check"]) == 0
