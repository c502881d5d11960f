"""examples/d prints a spread over runs in as many digits as it takes to tell its ends apart."""

from __future__ import annotations

import importlib.util
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "d_ensemble_save_and_compare.py"


def _between():
    spec = importlib.util.spec_from_file_location("example_d", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.between


def test_a_spread_too_narrow_for_three_digits_is_said_in_full_and_as_a_share():
    between = _between()
    assert between(9.09e9, 9.15e9, 9.24e9) == "90% of runs between $9.09bn and $9.24bn"
    narrow = between(5.9e9, 5.9001e9, 5.9003e9)
    assert narrow.startswith("90% of runs within 0.0051% of $5.90bn (5,900,000,000 to 5,900,300,000 USD")
