"""One definition of tariff paid in run --all: who_pays(baseline=...) gives the change table's figure."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from supplychain import simulate
from supplychain._format import format_usd
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.compare import compare, tariff_paid
from supplychain.errors import ValidationError
from supplychain.metrics import who_pays
from supplychain.model import Tariff


def _tariffed(days: int = 90):
    return toy_scenario(days).with_shocks(Tariff(importer="KR", commodity="ore", exporter="CN", rate=0.25,
                                                 start=10)).replace(price_feedback=True)


@pytest.fixture(scope="module")
def runs():
    sc = _tariffed()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return simulate(sc, engine="vector", seed=2), simulate(sc.without_shocks(), engine="vector", seed=2)


def test_who_pays_against_the_baseline_gives_the_change_in_tariff_paid(runs):
    shocked, base = runs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        change, gross = who_pays(shocked, baseline=base), who_pays(shocked)
    by_compare = (tariff_paid(shocked) - tariff_paid(base)).mean()
    assert change["tariff_paid_usd"].sum() == pytest.approx(by_compare, rel=1e-12)
    assert gross["tariff_paid_usd"].sum() == pytest.approx(tariff_paid(shocked).mean(), rel=1e-12)
    table = compare(shocked, baseline=base)
    rows = table[table["metric"] == "tariff_paid_usd"]
    assert rows["change"].sum() == pytest.approx(by_compare, rel=1e-9)
    # Each measure is the shocked runs' less the baseline's: the baseline against itself is all zeros.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.abs(who_pays(base, baseline=base).to_numpy()).max() == 0.0


def test_who_pays_refuses_a_baseline_of_other_runs(runs):
    shocked, _ = runs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        two = simulate(_tariffed().without_shocks(), engine="vector", n_runs=2, seed=2)
    with pytest.raises(ValidationError, match=r"baseline must be the same number of runs as results \(1, paired\)"):
        who_pays(shocked, baseline=two)


def test_run_all_prints_one_tariff_figure_and_says_which(tmp_path, capsys):
    from supplychain.cli.app import main
    from supplychain.io.scenario import save_scenario
    path = save_scenario(_tariffed(), tmp_path / "t.toml")
    assert main(["run", str(path), "--engine", "vector", "--seed", "2", "--all", "--quiet"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Tariff paid (rate x reference price x units shipped"))
    said = re.search(r": (\+\$[\d.]+[kMbn]*) against the unshocked baseline, as in the change table", line)
    assert said, line
    shocked, base = (simulate(s, engine="vector", seed=2) for s in (_tariffed(), _tariffed().without_shocks()))
    change = float((tariff_paid(shocked) - tariff_paid(base)).mean())
    assert said.group(1) == format_usd(change, sign=True)
    assert "against the unshocked baseline; tariffs: the change in tariff paid" in out
    # The table's importer and exporter parts add up to the same change (the "all" row).
    block = out[out.index("Who pays, by region"):]
    assert re.search(r"^all .*" + re.escape(format_usd(change, sign=True)), block, re.M)


def test_compare_positional_slip_is_said_not_silent():
    """compare(shocked, base) without the keyword is "from shocked to base": it warns that every change is reversed."""
    import warnings

    from supplychain import CapacityShock, load_baseline, simulate
    from supplychain.analytics.compare import compare
    from supplychain.errors import SimulationWarning

    scen = load_baseline().with_horizon(60)
    shocked = simulate(scen.with_shocks(CapacityShock(region="TW", stage="packaging", fraction_lost=1.0, start=0,
                                                      end=40)), engine="vector", seed=1)
    base = simulate(shocked.scenario.without_shocks(), engine="vector", seed=1)
    right = compare(shocked, baseline=base)
    with pytest.warns(SimulationWarning, match=r"reads before then after: .* call compare\(second, baseline=first\)"):
        assert compare(base, shocked)["change"].equals(right["change"])      # before then after: said, kept
    with warnings.catch_warnings():
        warnings.simplefilter("error", SimulationWarning)
        assert compare(baseline=base, shocked=shocked)["change"].equals(right["change"])   # both named: silent
    with pytest.warns(SimulationWarning, match=r"every change reversed\); for what the shock changed call"):
        slip = compare(shocked, base)
    assert slip["change"].equals(-right["change"])
    assert right[right["metric"] == "shortfall_usd"]["change"].sum() > 0
