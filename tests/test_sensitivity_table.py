"""tools/assumptions_sensitivity.py: the sensitivity table of docs/assumptions.md (value added beside shortfall).

The table itself takes ~20 minutes (the coordinator runs it); these tests run one short scenario.
"""

from __future__ import annotations

import pytest

import supplychain as sc
from supplychain.analytics.impact import value_added_loss_table
from tools import assumptions_sensitivity as sens


def _surge() -> tuple[sc.Scenario, sc.Scenario]:
    """A 20-day baseline (seed 1) and the same with US logic-chip demand x10: more than stocks hold."""
    base = sc.load_baseline(horizon_days=20).replace(seed=1)
    return base, base.with_shocks(sc.DemandShock(region="US", commodity="logic_chip", factor=10.0))


def test_headline_value_added_is_the_total_supplychain_run_prints() -> None:
    base, shocked = _surge()
    got = sens.headline(shocked, runs=4, value_added=True)  # nothing random: one run whatever --runs says
    # `supplychain run` prints the sum of value_added_loss_table over regions and industries as its total
    table = value_added_loss_table(sc.simulate(shocked, engine="vector", seed=1),
                                   sc.simulate(base, engine="vector", seed=1))
    assert got.value_added_usd == pytest.approx(float(table["value_added_loss_usd"].sum()), rel=1e-9)
    assert got.shortfall_usd == pytest.approx(table.attrs["shortfall_usd"], rel=1e-9)
    assert got.value_added_usd > 0 and got.unshocked_shortfall_usd == 0.0
    # without value added the shortfall and fill rate are those of before
    plain = sens.headline(shocked, runs=1)
    assert plain.value_added_usd is None
    assert (plain.shortfall_usd, plain.worst_fill) == (got.shortfall_usd, got.worst_fill)


def test_no_shock_loses_no_value_added() -> None:
    base, _ = _surge()
    got = sens.headline(base, runs=1, value_added=True)
    assert (got.shortfall_usd, got.value_added_usd, got.worst_fill) == (0.0, 0.0, 1.0)


def test_value_added_columns_sit_beside_the_flagships_shortfall_only() -> None:
    head = sens.header(["flag", "ga"], {"flag"})
    assert head[5:] == ["flag: shortfall USD low / high", "flag: value added lost USD low / high",
                        "flag: worst fill low / high", "ga: shortfall USD low / high", "ga: worst fill low / high"]
    ref = sens.Headline(2.0e9, 0.9, "US x", 0.0, 100.0e9)
    cells = sens.scenario_cells(sens.Headline(2.0e9, 0.8, "", 0.0, 50.0e9),
                                sens.Headline(3.0e9, 0.95, "", 0.0, 250.0e9), ref)
    assert cells == ["2,000.0 M (+0%) / 3,000.0 M (+50%)", "50.0 bn (-50%) / 250.0 bn (+150%)", "0.800 / 0.950"]
    no_va = sens.Headline(2.0e9, 0.9, "US x", 0.0)
    assert len(sens.scenario_cells(no_va, no_va, no_va)) == 2


def test_options_name_groups_and_scenarios_that_exist(capsys: pytest.CaptureFixture[str]) -> None:
    assert sens.group_numbers("12, 44,3-4") == {3, 4, 12, 44}
    for bad in (["--only", "0"], ["--only", f"{len(sens.GROUPS) + 1}"], ["--value-added", "nope"]):
        with pytest.raises(SystemExit) as stop:
            sens.main([*bad, "--check"])
        assert stop.value.code == 2
    assert "nope: not among the scenarios run (taiwan_blockade_magnets, gallium_germanium_2023)" in \
        capsys.readouterr().err
