"""Small API polish of results: one variable as a string; clear errors for summary ensembles."""

from __future__ import annotations

import pytest

import supplychain as sc
from supplychain.analytics._toy import toy_scenario


@pytest.fixture(scope="module")
def toy():
    return sc.simulate(toy_scenario(10), seed=0)


def test_one_variable_as_a_string_is_one_variable(toy):
    one = toy.to_dataframe("price")
    assert one.equals(toy.to_dataframe(["price"]))
    assert set(one["variable"]) == {"price"} and len(one) == 10 * len(toy.coords.stock)
    with pytest.raises(sc.UnknownIdError, match="'prize'"):
        toy.to_dataframe("prize")
    pytest.importorskip("xarray")
    assert list(toy.to_xarray("inventory").data_vars) == ["inventory"]
