"""The cover band runs only when the semiconductor chain's segmented buyers move, not when only another
chain's segmented buyers (magnet users' groups) do; the segment line lists only the segments that moved."""

from __future__ import annotations

import dataclasses

import pytest

from supplychain import simulate
from supplychain.analytics._cover_toy import segment_stop_scenario
from supplychain.analytics.cover_band import chip_buyers
from supplychain.cli.app import main
from supplychain.cli.cover_text import touches_chip_buyers
from supplychain.cli.segment_text import format_segment_shortfall
from supplychain.io.scenario import save_scenario
from supplychain.model import CapacityShock, Commodity, Demand, Facility, Fixed, Lane, Scenario
from supplychain.model.policies import DaysOfCover

NO_CHIPS = "Across cited chip buyers' covers: no band, the shock moved no chip buyer's shortfall or stock."


def _two_chains() -> Scenario:
    """`segment_stop_scenario`'s ore buyers (a minerals chain, segments automotive and electronics) beside a
    US fab's industrial chip buyer (10 units/day, 5 days of cover) that the ore mine's stop does not reach."""
    scenario = segment_stop_scenario()
    net = scenario.network
    fab = Facility("US.fab", "US", "fab", "chip", 40.0, policies={"chip": DaysOfCover(1.0)},
                   restart_days=0.0, restart_ramp_days=0.0)
    net = dataclasses.replace(
        net, commodities=(*net.commodities, Commodity("chip", "unit", 10.0, chain="semiconductors")),
        facilities=(*net.facilities, fab),
        lanes=(*net.lanes, Lane("US.fab", "US.chip.industrial", "chip", lead_time=Fixed(1.0))),
        demands=(*net.demands, Demand("US.chip.industrial", "US", "chip", 10.0, policy=DaysOfCover(5.0),
                                      segment="industrial")))
    return scenario.replace(network=net)


@pytest.fixture(scope="module")
def two_chains() -> Scenario:
    return _two_chains()


def test_only_the_semiconductor_chains_segmented_buyers_are_chip_buyers(two_chains):
    assert chip_buyers(two_chains.network) == {"US.chip.industrial"}


def test_a_shock_to_the_other_chains_segments_moves_no_chip_buyer(two_chains):
    shocked, base = simulate(two_chains), simulate(two_chains.without_shocks())
    assert not touches_chip_buyers(shocked, base)
    stop = CapacityShock(facility="US.fab", fraction_lost=1.0, start=5, end=13, recovery_days=0)
    chips_hit = two_chains.replace(shocks=(stop,))
    assert touches_chip_buyers(simulate(chips_hit), simulate(chips_hit.without_shocks()))


def test_the_segment_line_lists_the_segments_that_moved_then_counts_the_rest(two_chains):
    line = format_segment_shortfall(simulate(two_chains), simulate(two_chains.without_shocks()))
    # By hand (segment_stop_scenario): automotive 10 t x 4 days x $100, electronics 10 t x 1 day x $100.
    assert line == ("Shortfall by end-use segment of buyers (each segment holds its own stock; change, USD): "
                    "automotive +$4.00k (ore +$4.00k); electronics +$1.00k (ore +$1.00k) (1 unchanged).")


def test_run_computes_no_band_when_only_the_other_chain_moved(two_chains, tmp_path, capsys):
    path = save_scenario(two_chains, tmp_path / "two.toml")
    assert main(["run", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Across cited chip buyers' covers" not in out and "(1 unchanged)" in out
    assert main(["run", str(path), "--quiet", "--cover-band"]) == 0
    assert NO_CHIPS in capsys.readouterr().out
