"""The loss given shortfall names what its divisor counts: gallium when gallium went short, not "chips"."""

from __future__ import annotations

import math

import supplychain as sc
from supplychain.analytics import value_added_loss_table
from supplychain.cli.impact_text import format_value_added


def test_the_divisor_is_broken_down_by_product_and_the_line_names_them():
    base = sc.load_baseline(horizon_days=20)
    surge = sc.DemandShock(region="US", commodity="logic_chip", factor=10.0)
    shocked = sc.simulate(base.with_shocks(surge), engine="vector", seed=1)
    table = value_added_loss_table(shocked, baseline=sc.simulate(base, engine="vector", seed=1))
    parts = table.attrs["shortfall_by_commodity"]
    assert math.isclose(sum(parts.values()), table.attrs["shortfall_usd"], rel_tol=1e-9)
    assert next(iter(parts)) == "logic_chip"
    text = format_value_added(table)
    line = next(x for x in text.splitlines() if x.startswith("Loss given shortfall"))
    assert "logic_chip" in line and "chips, cells and magnets not delivered" not in line
