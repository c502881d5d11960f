"""Backorders with a patience (docs/model.md §5.5): demand not delivered within ``patience_days`` is cancelled.

Oracles: a lane banned for ten days with the buyer's stock empty; whatever waited longer than the patience
is lost, the rest is delivered when the lane reopens, oldest first, in both engines.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain import ExportControl
from supplychain.errors import ValidationError
from supplychain.model import BaseStock, Commodity, Demand, Facility, Lane, Network, Region, Scenario
from supplychain.run import simulate

from .conftest import chain_network

ENGINES = ("des", "vector")


def starved(patience: int | None, unmet: str = "backorder") -> Scenario:
    """10 units a day from an empty stock whose only lane is banned on days 1-10 (nothing lands on days 2-11)."""
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 1e6, policies={"w": BaseStock(1e6)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=1.0),),
        demands=(Demand("US.w", "US", "w", 10.0, policy=BaseStock(10.0), unmet=unmet, initial_inventory=0.0,
                        patience_days=patience),),
    )
    ban = ExportControl(exporter="CN", commodity="w", mode="ban", start=1, end=11)
    return Scenario(net, horizon_days=20).with_shocks(ban)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("patience, lost", [(1, 90.0), (3, 70.0), (7, 30.0), (10, 0.0), (None, 0.0)])
def test_demand_older_than_the_patience_is_lost_the_rest_delivered(engine, patience, lost):
    """Days 2-11 go unserved (100 units); day 12's arrival serves the last ``P`` days' orders and day 12's own.

    Hand-computed: the orders of days 2..11-P wait more than P days, so 10 (10 - P) units are lost.
    """
    res = simulate(starved(patience), engine=engine, seed=0)
    demand, delivered = res.series("demand", "US.w")[0], res.series("delivered", "US.w")[0]
    np.testing.assert_allclose(delivered[2:12], 0.0)
    assert delivered[12] == pytest.approx(10.0 + 10.0 * min(patience or 10, 10))
    assert (demand - delivered).sum() == pytest.approx(lost)
    unmet = res.series("unmet", "US.w")[0]
    # U(t) = D(t) + beta(t-1) with beta(t-1) = min(U(t-1), 10 P): the backlog stops growing at the patience.
    assert unmet[2:12].max() == pytest.approx(10.0 + 10.0 * min(patience or 9, 9))


@pytest.mark.parametrize("engine", ENGINES)
def test_lost_sales_lose_every_unserved_day(engine):
    res = simulate(starved(None, unmet="lost"), engine=engine, seed=0)
    assert (res.series("demand", "US.w")[0] - res.series("delivered", "US.w")[0]).sum() == pytest.approx(100.0)


def test_steady_shortage_keeps_the_last_patience_days_on_order():
    """Refinery 3 a day against demand 5: under a patience P the backlog settles at exactly 5 P (both engines)."""
    net = chain_network(refinery_capacity=3.0, cover=6.0, lead_refinery=7.5)
    net = dataclasses.replace(net, demands=(Demand("US.metal", "US", "metal", 5.0, policy=BaseStock(60.0),
                                                   unmet="backorder", patience_days=4),))
    for engine in ENGINES:
        res = simulate(Scenario(net, horizon_days=150), engine=engine, seed=0)
        u, d, y = (res.series(v, "US.metal")[0] for v in ("unmet", "demand", "delivered"))
        backlog_before = u[1:] - d[1:] + y[1:]              # beta(t-1) = U(t) - D(t) + Y(t)
        np.testing.assert_allclose(backlog_before[-30:], 20.0)
        assert 0 < y[-30:].mean() < 5.0


def test_patience_is_checked():
    assert Demand("US.w", "US", "w", 1.0, unmet="backorder").patience_days is None
    with pytest.raises(ValidationError, match="patience_days applies only"):
        Demand("US.w", "US", "w", 1.0, patience_days=30)
    with pytest.raises(ValidationError, match="whole number"):
        Demand("US.w", "US", "w", 1.0, unmet="backorder", patience_days=2.5)
    with pytest.raises(ValidationError, match="patience_days"):
        Demand("US.w", "US", "w", 1.0, unmet="backorder", patience_days=0)
