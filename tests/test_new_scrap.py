"""New scrap recovered when an input runs short, docs/model.md §5.4.3: hand-computed oracles and both engines.

A mine makes 12 ore a day for a fab that needs 2 ore a chip and ships chips to a consumer demanding 10 a day:
the fab needs 20 ore a day and gets 12, so it runs short of ore within its stock's cover. With a scrap rule
(recovery 0.5 over 30 days) its ore per chip falls from 2 to 1 once short: the 12 ore then carry 12 chips, more
than the 10 demanded. Without it the fab makes 12 / 2 = 6 chips a day.
"""

from __future__ import annotations

import numpy as np
import pytest

from supplychain.errors import ValidationError
from supplychain.metrics.balance import material_balance
from supplychain.model import Commodity, DaysOfCover, Demand, Facility, Fixed, Lane, Network, Region, Scenario
from supplychain.run import simulate

from .conftest import assert_engines_agree

RATE = 10.0
ORE = 2.0         # ore per chip, the recipe's
MINE = 12.0       # ore a day
RECOVERY = 0.5
DAYS = 30.0
HORIZON = 300


def scenario(recovery: float = RECOVERY, days: float = DAYS, horizon: int = HORIZON) -> Scenario:
    net = Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("ore", "t", 1.0), Commodity("chip", "u", 5.0)),
        facilities=(
            Facility("CN.mine", "CN", "mine", "ore", MINE, policies={"ore": DaysOfCover(0.0)}),
            Facility("CN.fab", "CN", "fab", "chip", 20.0, recipe={"ore": ORE},
                     scrap_input="ore" if recovery else None, scrap_recovery=recovery, scrap_days=days,
                     policies={"chip": DaysOfCover(10.0), "ore": DaysOfCover(10.0)}),
        ),
        lanes=(Lane("CN.mine", "CN.fab", "ore", lead_time=Fixed(1.0)),
               Lane("CN.fab", "US.chip", "chip", lead_time=Fixed(1.0))),
        demands=(Demand("US.chip", "US", "chip", RATE, policy=DaysOfCover(5.0)),),
    )
    return Scenario(net, horizon_days=horizon)


def _first_short(res) -> int:  # type: ignore[no-untyped-def]
    """t0: the day before the first recovery (φ(t0) = 1, so nothing returns on t0 itself)."""
    back = res.arrays["recovered"][0, :, res.coords.labels("stock").index("CN.fab:ore")]
    return int(np.flatnonzero(back > 0)[0]) - 1


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_the_fab_short_of_ore_ends_making_what_its_ore_carries_at_the_recovered_use(engine):
    """Settled: 12 ore a day at 2 x (1 - 0.5) = 1 ore a chip carry 12 chips: the 10 demanded are made."""
    with_rule = simulate(scenario(), engine=engine, seed=0)
    without = simulate(scenario(recovery=0.0), engine=engine, seed=0)
    fab = 1
    assert with_rule.production[0, -30:, fab].mean() == pytest.approx(RATE, rel=1e-6)
    assert without.production[0, -30:, fab].mean() == pytest.approx(MINE / ORE, rel=1e-6)
    assert with_rule.delivered[0, -30:, 0].mean() == pytest.approx(RATE, rel=1e-6)
    assert material_balance(with_rule).max_relative_error < 1e-9


@pytest.mark.parametrize("engine", ["vector", "des"])
def test_recovered_ore_is_the_starts_times_the_recipe_times_the_ramp(engine):
    """recovered(t) = P(t) a σ min(1, (t - t0) / T) from t0, the first day short; nothing before."""
    res = simulate(scenario(), engine=engine, seed=0)
    t0 = _first_short(res)
    assert 0 < t0 < HORIZON - DAYS
    back = res.arrays["recovered"][0, :, res.coords.labels("stock").index("CN.fab:ore")]
    made = res.production[0, :, 1]
    t = np.arange(HORIZON)
    expected = made * ORE * RECOVERY * np.minimum(1.0, np.maximum(0.0, (t - t0) / DAYS))
    np.testing.assert_allclose(back, expected, rtol=1e-12, atol=1e-12)


def test_before_the_first_day_short_the_rule_changes_nothing():
    with_rule = simulate(scenario(), engine="vector", seed=0)
    without = simulate(scenario(recovery=0.0), engine="vector", seed=0)
    t0 = _first_short(with_rule)
    for name in ("production", "inventory", "flow", "delivered"):
        np.testing.assert_array_equal(with_rule.arrays[name][:, : t0 + 1], without.arrays[name][:, : t0 + 1])
    assert "recovered" not in without.arrays


def test_the_engines_agree_with_the_scrap_rule():
    s = scenario(days=7.0, horizon=120)
    assert_engines_agree(simulate(s, engine="vector", seed=0), simulate(s, engine="des", seed=0))


def test_a_bad_scrap_rule_names_the_field():
    with pytest.raises(ValidationError, match="scrap_recovery"):
        Facility("f", "CN", "fab", "chip", 1.0, recipe={"ore": 1.0}, scrap_input="ore", scrap_recovery=1.5)
    with pytest.raises(ValidationError, match="scrap_input"):
        Facility("f", "CN", "fab", "chip", 1.0, recipe={"ore": 1.0}, scrap_recovery=0.5)
    with pytest.raises(ValidationError, match="scrap_days"):
        Facility("f", "CN", "fab", "chip", 1.0, recipe={"ore": 1.0}, scrap_input="ore", scrap_recovery=0.5,
                 scrap_days=0.0)
