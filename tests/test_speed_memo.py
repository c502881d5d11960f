"""The input-supported rate is worked out once per stock and goods in transit (sourcing.input_rate's memo)."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.datasets.synthetic import synthetic_scenario
from supplychain.engines import sourcing
from supplychain.engines.vector import _initial_state


@pytest.fixture(scope="module")
def compiled():  # type: ignore[no-untyped-def]
    return compile_scenario(synthetic_scenario(10, horizon_days=20))


def test_same_state_same_answer_computed_once(compiled) -> None:  # type: ignore[no-untyped-def]
    s = _initial_state(compiled, 3)
    first = sourcing.input_rate(compiled, s)
    assert sourcing.input_rate(compiled, s) is first
    assert not first.flags.writeable  # a caller cannot change what the next one gets
    np.testing.assert_array_equal(first, sourcing._input_rate(compiled, s))


def test_changed_stock_or_transit_recomputed(compiled) -> None:  # type: ignore[no-untyped-def]
    s = _initial_state(compiled, 3)
    first = sourcing.input_rate(compiled, s).copy()
    f = int(np.flatnonzero(np.isfinite(first[0]))[0])
    stock = int(compiled.recipe_stock[f, 0])
    s.stock[:, stock] *= 0.5  # in place: the memo must see it
    s.transit_lane[:] = 0.0
    second = sourcing.input_rate(compiled, s)
    np.testing.assert_array_equal(second, sourcing._input_rate(compiled, s))
    assert second[0, f] < first[0, f]


def test_a_zero_sign_counts_as_a_change(compiled) -> None:  # type: ignore[no-untyped-def]
    s = _initial_state(compiled, 2)
    s.transit_lane[:] = 0.0
    first = sourcing.input_rate(compiled, s)
    s.transit_lane[:] = -0.0  # equal values, other bits: worked out again
    assert sourcing.input_rate(compiled, s) is not first
