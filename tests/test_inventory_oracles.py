"""Textbook inventory control: the defect of issue 9 and analytic oracles reproduced by both engines.

Every expected value here is computed from a formula in the test (Zipkin 2000; Axsäter 2015), never
from the simulator. The model has one stage: a supplier with ample capacity and stock ships to one
consumer stock over a lane of fixed lead time ``x``; a textbook lead time ``L`` (an order placed at a
review arrives ``L`` periods later, before that period's demand) corresponds to ``x = L + 1`` here,
because the review happens at the end of the day, after demand (docs/model.md §5.6.4).
"""

from __future__ import annotations

import numpy as np
import pytest

import supplychain
from supplychain.errors import ValidationError
from supplychain.io import load_scenario, save_scenario
from supplychain.model import (
    BaseStock,
    Commodity,
    Demand,
    DemandShock,
    Facility,
    Lane,
    MinMax,
    NegativeBinomial,
    Network,
    Normal,
    Poisson,
    Region,
    Scenario,
)
from supplychain.run import simulate

ENGINES = ("vector", "des")


def single_stage(policy, *, rate: float = 10.0, lead: float = 1.0, noise=None,
                 unmet: str = "backorder", initial: float | None = None) -> Network:
    """One supplier (ample capacity and stock) -> one consumer stock with ``policy``."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 1e6, policies={"w": BaseStock(1e6)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=lead),),
        demands=(Demand("US.w", "US", "w", rate, noise=noise, policy=policy, unmet=unmet,
                        initial_inventory=initial),),
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_base_stock_clears_a_backlog_after_one_day_of_double_demand(engine):
    """Issue 9: the position subtracts own backorders, so one spike leaves no backlog forever."""
    spike = DemandShock(region="US", commodity="w", factor=2.0, start=5, end=6)
    scenario = Scenario(single_stage(BaseStock(10.0)), horizon_days=20).with_shocks(spike)
    res = simulate(scenario, engine=engine, seed=0)
    unmet = res.series("unmet", "US.w")[0]
    np.testing.assert_allclose(unmet[:5], 0.0)
    assert unmet[5] == pytest.approx(10.0)      # the spike cannot be served from stock
    np.testing.assert_allclose(unmet[6:], 0.0)  # the next day's arrival clears it
    np.testing.assert_allclose(res.series("delivered", "US.w")[0, 6], 20.0)


# --- count distributions -------------------------------------------------------------------------

@pytest.mark.parametrize("dist, variance", [(Poisson(7.0), 7.0), (NegativeBinomial(7.0, 2.0), 7.0 + 49.0 / 2.0)])
def test_count_distributions_draw_whole_numbers_with_their_mean_and_variance(dist, variance):
    x = dist.sample(np.random.default_rng(5), 200_000)
    assert (x == np.round(x)).all() and x.min() >= 0
    assert x.mean() == pytest.approx(dist.mean, abs=4 * np.sqrt(variance / len(x)))
    assert x.var() == pytest.approx(variance, rel=0.03)
    assert dist.minimum == 0 and dist.maximum == np.inf
    assert dist.quantile(0.5) == float(np.median(x))


def test_negative_binomial_from_numpy_n_p():
    nb = NegativeBinomial.from_n_p(3.0, 0.25)
    assert (nb.mean, nb.dispersion, nb.p) == pytest.approx((9.0, 3.0, 0.25))
    with pytest.raises(ValidationError):
        NegativeBinomial.from_n_p(3.0, 1.0)
    with pytest.raises(ValidationError):
        Poisson(0.0)


@pytest.mark.parametrize("noise", [Poisson(10.0), NegativeBinomial(10.0, 4.0)])
def test_count_demand_round_trips_through_toml_and_demands_the_count_itself(noise, tmp_path):
    scenario = Scenario(single_stage(BaseStock(40.0), noise=noise), horizon_days=30)
    save_scenario(scenario, tmp_path / "s.toml")
    assert load_scenario(tmp_path / "s.toml") == scenario
    assert supplychain.Poisson is Poisson and supplychain.NegativeBinomial is NegativeBinomial
    demand = simulate(scenario, engine="vector", seed=3).series("demand", "US.w")[0]
    assert (demand == np.round(demand)).all()  # rate 10 x N / 10: the count itself
