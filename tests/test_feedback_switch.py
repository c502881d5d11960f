"""Price feedback (docs/model.md §5.9) as scenarios, files and the command line set it, and both engines with it on.

It stays off by default: with it on, value added lost (docs/model.md §8.3) counts neither the output
chip users give up to the price nor the loss moved to final uses outside the impact table (example 09,
the README's gallium ban); docs/assumptions.md, "Why price feedback is off by default", gives the
measurements."""

from __future__ import annotations

import pytest

from supplychain import load_baseline, simulate
from supplychain.analytics._toy import single_source_network
from supplychain.datasets.scenarios import scenarios
from supplychain.io.scenario import dumps_scenario, load_example, load_scenario, loads_scenario, save_scenario
from supplychain.model import CapacityShock, Scenario

from .conftest import assert_engines_agree

# The only mine stops for good from day 5: the US buyer's stock runs down and its price rises.
BAN = CapacityShock(start=5, fraction_lost=1.0, facility="CN.mine")


def toy_ban(**changes: object) -> Scenario:
    return Scenario(single_source_network(stock=200.0), horizon_days=60, name="toy ban", shocks=(BAN,)).replace(**changes)


def test_scenarios_have_price_feedback_off_unless_told_otherwise():
    assert toy_ban().price_feedback is False
    assert load_baseline(horizon_days=10).price_feedback is False
    assert not any(load_example(name).price_feedback for name in scenarios())
    assert toy_ban(price_feedback=True).price_feedback is True


@pytest.mark.parametrize("feedback", [True, False])
def test_files_write_price_feedback_either_way_and_read_it_back(feedback, tmp_path):
    text = dumps_scenario(toy_ban(price_feedback=feedback))
    assert f"price_feedback = {str(feedback).lower()}" in text.split("[[regions]]")[0]
    assert loads_scenario(text).price_feedback is feedback
    assert load_scenario(save_scenario(toy_ban(price_feedback=feedback), tmp_path / "s.toml")) == toy_ban(
        price_feedback=feedback)


def test_a_file_that_does_not_say_gets_the_default():
    text = "\n".join(line for line in dumps_scenario(toy_ban()).splitlines() if not line.startswith("price_feedback"))
    assert "price_feedback" not in text and loads_scenario(text).price_feedback is False


def test_the_command_line_switch_overrides_the_scenario(tmp_path, capsys):
    from supplychain.cli.app import main
    off, on = save_scenario(toy_ban(), tmp_path / "off.toml"), save_scenario(toy_ban(price_feedback=True),
                                                                              tmp_path / "on.toml")
    runs = {}
    for label, argv in (("default", [str(off)]), ("switched on", [str(off), "--price-feedback"]),
                        ("file on", [str(on)]), ("switched off", [str(on), "--no-price-feedback"])):
        assert main(["run", *argv, "--quiet", "--engine", "vector", "--no-cover-band", "--seed", "1"]) == 0
        runs[label] = capsys.readouterr().out
    for label in ("switched on", "file on"):
        assert runs[label].splitlines()[0].endswith("60 days from 2025-01-01, price feedback: on")
        assert "Demand given up to higher prices" in runs[label]
    for label in ("default", "switched off"):
        # The default decides every number printed, so the header says it, and how to turn it on.
        assert runs[label].splitlines()[0].endswith("60 days from 2025-01-01, price feedback: off "
                                                    "(--price-feedback turns it on)")
        assert "Demand given up" not in runs[label]
    assert runs["default"] == runs["switched off"] and runs["switched on"] == runs["file on"]


def test_feedback_gives_up_demand_that_the_fixed_price_rule_keeps():
    # The US buyer's price rises once its stock runs down; with feedback its final demand falls by
    # price ** elasticity (demand destruction), so less is asked for than under fixed prices.
    on, off = simulate(toy_ban(price_feedback=True), engine="vector"), simulate(toy_ban(), engine="vector")
    price = on.values("price")
    assert (price > price[:, :1]).any()  # the price rose
    assert on.demand.sum() < off.demand.sum()


def test_the_engines_agree_with_price_feedback_on():
    s = toy_ban(price_feedback=True)
    assert_engines_agree(simulate(s, engine="des", seed=3), simulate(s, engine="vector", seed=3))
