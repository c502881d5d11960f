"""`--cover-band` asked for by name says when it computes no band; by default nothing is said."""

from __future__ import annotations

from supplychain.cli.app import main
from supplychain.io.scenario import save_scenario
from supplychain.model import CapacityShock, Scenario

from .conftest import chain_network

NO_CHIPS = "Across cited chip buyers' covers: no band, the shock moved no chip buyer's shortfall or stock."


def _plain(tmp_path, shocked: bool = True):
    net = chain_network(cover=2.0)
    scenario = Scenario(net, horizon_days=30, name="plain")
    if shocked:
        scenario = scenario.with_shocks(CapacityShock(facility=net.facilities[0].id, fraction_lost=1.0, start=2, end=12))
    return save_scenario(scenario, tmp_path / "plain.toml")


def test_an_explicit_cover_band_on_a_chain_without_chip_buyers_says_there_is_none(tmp_path, capsys):
    path = _plain(tmp_path)
    assert main(["run", str(path), "--seed", "1", "--quiet", "--cover-band"]) == 0
    assert NO_CHIPS in capsys.readouterr().out
    assert main(["run", str(path), "--seed", "1", "--quiet"]) == 0   # the default: no line about a band
    assert "Across cited chip buyers' covers" not in capsys.readouterr().out


def test_an_explicit_cover_band_without_shocks_says_there_is_no_change_to_bound(tmp_path, capsys):
    path = _plain(tmp_path, shocked=False)
    assert main(["run", str(path), "--seed", "1", "--quiet", "--cover-band"]) == 0
    assert "no band, a scenario without shocks has no change to bound" in capsys.readouterr().out
