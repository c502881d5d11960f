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


def test_a_spread_too_narrow_for_three_digits_is_said_as_a_share_and_none_as_none():
    between = _between()
    assert between(9.09e9, 9.15e9, 9.24e9) == "$9.09bn to $9.24bn"
    # 5.9003e9 - 5.9e9 = 300,000 USD: half of it is 0.0025 % of the middle, 5.9001e9.
    assert between(5.9e9, 5.9001e9, 5.9003e9) == "$5.90bn +/- 0.0025%"
    assert between(2.19e9, 2.19e9, 2.19e9 + 0.5) == "$2.19bn in every run"   # under a dollar apart: float noise
