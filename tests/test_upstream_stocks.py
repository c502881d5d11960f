"""The stocks upstream of a commodity's buyers (supplychain.metrics.upstream_restock, docs/model.md §8.2): a fab
stop drawn from the fab's, the packager's and the buyer's stocks, made back at the fab's one spare wafer a day."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain import simulate
from supplychain.cli.cover_text import format_cover_notes
from supplychain.metrics import stock_cover
from supplychain.metrics.cover import upstream_restock, upstream_stocks
from supplychain.metrics._cover_toy import chain_stop_scenario


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_the_chain_refills_after_the_buyer_at_the_spare_capacity(engine: str) -> None:
    """Stop of 20 days at 10 wafers a day: 200 wafers not made. They come out of the fab's 50 finished wafers,
    the packager's 50 wafers and 50 chips (at $2: $200 upstream in all, all of it drawn) and 50 of the buyer's
    100 chips. From day 25 the fab makes 11 a day against a use of 10: stocks and goods in transit hold
    270 - 200 + (t - 24) units on day t until the chain is whole, the buyer refilled first (back to 95 on
    day 71), the upstream stocks last (within 5 % of their $200 on day 220)."""
    res = simulate(chain_stop_scenario(stop_days=20, horizon_days=300), engine=engine)
    assert upstream_stocks(res, "chip") == ("CN.fab:wafer", "CN.pkg:wafer", "CN.pkg:chip")
    row = upstream_restock(res, "chip").iloc[0]
    assert row[["normal_usd", "peak_deficit_usd", "peak_day", "restocked_day"]].astype(float).tolist() == [
        200.0, 200.0, 20.0, 220.0]
    assert stock_cover(res, by="demand")["restocked_day"].iloc[0] == 71.0
    held = res.inventory[0].sum(axis=1) + res.in_transit[0].sum(axis=1)
    np.testing.assert_allclose(held[28:200:20], 270 - 200 + np.arange(28, 200, 20) - 24, atol=1e-6)
    # Cut at day 149: the chain is still 224 - 149 = 75 units short (wafers at $1: the chips are back), and the
    # buyer's and the lanes' slight excess over normal (2 units) is not counted against it.
    short = upstream_restock(simulate(chain_stop_scenario(stop_days=20, horizon_days=150), engine=engine), "chip")
    assert np.isnan(short["restocked_day"].iloc[0]) and 75.0 <= short["end_deficit_usd"].iloc[0] <= 78.0


def test_a_baseline_takes_its_own_deficit_off() -> None:
    res = simulate(chain_stop_scenario(stop_days=20, horizon_days=60))
    same = upstream_restock(res, "chip", baseline=res).iloc[0]
    assert same[["peak_deficit_usd", "end_deficit_usd"]].tolist() == [0.0, 0.0]


def test_the_cover_line_says_when_the_stocks_upstream_are_back_or_that_they_are_not() -> None:
    scenario = chain_stop_scenario(stop_days=20, horizon_days=300)
    line = format_cover_notes(simulate(scenario), simulate(scenario.without_shocks())).splitlines()[1]
    assert line.endswith("restocked by 2025-03-13; the stocks upstream of them (its makers' chip and wafer, and their "
                         "suppliers' wafer) by 2025-08-09.")
    cut = chain_stop_scenario(stop_days=20, horizon_days=150)
    line = format_cover_notes(simulate(cut), simulate(cut.without_shocks())).splitlines()[1]
    assert "restocked by 2025-03-13, but not the stocks upstream of them (its makers' chip and wafer, and their " \
           "suppliers' wafer): still $76.9 short of their normal $200 on 2025-05-30 (a deficit of 38.4% of normal)" in line


def test_a_stop_only_the_makers_stocks_absorbed_gets_a_line_of_its_own(tmp_path, capsys) -> None:
    """Stopped 10 days, the fab's 50 finished wafers and the packager's 50 take the whole loss: no buyer's
    stock moves, so no line on buyers' stocks, but `supplychain run` says the stocks upstream fell to half
    their $200 and when they were back. With 20 days the buyer draws too: its line carries the upstream."""
    import supplychain
    from supplychain.cli.app import main
    from supplychain.cli.cover_text import format_upstream_notes

    scenario = chain_stop_scenario(stop_days=10, horizon_days=200)
    shocked, base = simulate(scenario), simulate(scenario.without_shocks())
    assert format_cover_notes(shocked, base) == ""
    line = ("No buyer of chip drew its stock, but the stocks upstream of them (its makers' chip and wafer, and their "
            "suppliers' wafer) fell to 50.0% of normal ($100 below) on 2025-01-16; back to 95% by 2025-04-20.")
    assert format_upstream_notes(shocked, base) == line
    path = supplychain.save_scenario(scenario, tmp_path / "fab_stop.toml")
    assert main(["run", str(path), "--quiet"]) == 0
    assert line in capsys.readouterr().out.splitlines()
    longer = chain_stop_scenario(stop_days=20, horizon_days=200)
    assert format_upstream_notes(simulate(longer), simulate(longer.without_shocks())) == ""
