"""compare(), lane_costs() and tariff_paid(): hand-computed values."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from supplychain.analytics.compare import compare, lane_costs, tariff_paid
from supplychain.errors import SimulationWarning, ValidationError
from supplychain.model import ExportControl, Normal, Scenario, Tariff
from supplychain.run import simulate

from .conftest import chain_network
from .test_shocks import two_suppliers


def row(table, region, commodity, metric, partner=""):
    hit = table[(table.region == region) & (table.commodity == commodity) & (table.metric == metric)
                & (table.partner == partner)]
    assert len(hit) == 1, (region, commodity, metric, partner)
    return hit.iloc[0]


def test_tariff_paid_is_rate_times_value_of_taxed_flow():
    # One supplier, so the tariff moves no share: 5 t/day x 30 days x 1000 USD/t x 10 %.
    s = Scenario(chain_network(demand=5.0), horizon_days=80).with_shocks(
        Tariff(importer="US", commodity="metal", rate=0.1, start=20, end=50))
    res = simulate(s, engine="des", seed=0)
    assert tariff_paid(res) == pytest.approx([5.0 * 30 * 1000.0 * 0.1])
    assert tariff_paid(res, importer="CN").tolist() == [0.0]
    flow = res.series("flow", "CN.refinery>US.metal")[0]
    assert tariff_paid(res, commodity="metal")[0] == pytest.approx(0.1 * 1000.0 * flow[20:50].sum())


def test_lane_costs_add_up_to_landed_cost():
    s = Scenario(two_suppliers(freight=7.0), horizon_days=40).with_shocks(
        Tariff(importer="US", exporter="CN", commodity="metal", rate=0.5, start=5),
        ExportControl(exporter="KR", commodity="metal", leakage=0.5, leakage_extra_days=3,
                      leakage_extra_cost=0.2, start=30))
    res = simulate(s, engine="des", seed=0)
    costs = lane_costs(res)
    flow = res.flow[0]
    assert costs["freight"][0] == pytest.approx(7.0 * flow.sum(axis=0))
    assert costs["tariff"][0, 0] == pytest.approx(0.5 * 100.0 * flow[5:, 0].sum())
    assert costs["extra"][0, 1] == pytest.approx(0.2 * 100.0 * flow[30:, 1].sum())
    total = costs["goods"] + costs["tariff"] + costs["freight"] + costs["extra"]
    assert costs["landed"] == pytest.approx(total)


def test_compare_identical_runs_changes_nothing():
    s = Scenario(chain_network(), horizon_days=30)
    table = compare(simulate(s, seed=4), simulate(s, seed=4))
    assert (table["change"].fillna(0.0) == 0.0).all()
    assert set(table.columns) == {"region", "commodity", "segment", "metric", "partner", "baseline", "shocked",
                                  "change", "change_se", "change_lo", "change_hi"}


def test_compare_reports_shortfall_tariff_and_trade_diversion():
    base = Scenario(two_suppliers(sigma=4.0), horizon_days=150)
    shocked = base.with_shocks(Tariff(importer="US", exporter="CN", commodity="metal", rate=0.25, start=10))
    b, a = simulate(base, seed=1), simulate(shocked, seed=1)
    table = compare(b, a)
    w = 1.25 ** -4 / (1 + 1.25 ** -4)
    assert row(table, "US", "metal", "import_share", "CN").baseline == pytest.approx(0.5)
    cn = row(table, "US", "metal", "import_share", "CN")
    kr = row(table, "US", "metal", "import_share", "KR")
    assert w < cn.shocked < 0.5 and cn.change == pytest.approx(-kr.change)
    assert row(table, "US", "metal", "tariff_paid_usd").change == pytest.approx(tariff_paid(a)[0])
    assert row(table, "US", "metal", "landed_cost_usd_per_unit").change > 0
    assert row(table, "US", "metal", "fill_rate").change == pytest.approx(0.0)


def test_compare_ban_shortfall_and_paired_standard_error():
    noisy = chain_network()
    demand = noisy.demands[0]
    noisy = dataclasses.replace(noisy, demands=(dataclasses.replace(demand, noise=Normal(1.0, 0.2, low=0.0)),))
    base = Scenario(noisy, horizon_days=100)
    shocked = base.with_shocks(ExportControl(exporter="CN", commodity="metal", start=10))
    table = compare(simulate(base, seed=2, n_runs=8), simulate(shocked, seed=2, n_runs=8))
    short = row(table, "US", "metal", "shortfall")
    assert short.change > 100 and 0 < short.change_se < short.change / 10
    assert row(table, "US", "metal", "demand").change == pytest.approx(0.0)  # common random numbers


def test_compare_errors_and_warnings():
    s = Scenario(chain_network(), horizon_days=20)
    with pytest.warns(SimulationWarning, match="not paired"):
        compare(simulate(s, seed=1), simulate(s, seed=2))
    other = Scenario(two_suppliers(), horizon_days=20)
    with pytest.raises(ValidationError, match="shocked must have the baseline's lanes"):
        compare(simulate(s, seed=1), simulate(other, seed=1))
    with pytest.raises(ValidationError, match=r"shocked.n_days must be the baseline's horizon \(20\)"):
        compare(simulate(s, seed=1), simulate(s.with_horizon(10), seed=1))
    assert np.isnan(row(compare(simulate(s, seed=1), simulate(s, seed=1)), "US", "metal", "shortfall").change_se)


def test_source_share_counts_domestic_suppliers():
    # The chain's US buyer has one foreign supplier: import and source shares are both 100 % CN.
    s = Scenario(chain_network(), horizon_days=20)
    table = compare(simulate(s, seed=0), simulate(s, seed=0))
    assert row(table, "US", "metal", "source_share", "CN").baseline == pytest.approx(1.0)
    # CN's refinery buys ore from its own mine: a source share, not an import.
    assert row(table, "CN", "ore", "source_share", "CN").baseline == pytest.approx(1.0)
    assert not len(table[(table.region == "CN") & (table.metric == "import_share")])


def test_cli_run_compare_baseline(tmp_path, capsys):
    from supplychain.cli.app import main
    from supplychain.io.scenario import save_scenario
    path = save_scenario(Scenario(chain_network(), horizon_days=80, name="ban").with_shocks(
        ExportControl(exporter="CN", commodity="metal", start=10)), tmp_path / "ban.toml")
    assert main(["run", str(path), "--compare", "baseline", "--quiet", "--out", str(tmp_path / "out")]) == 0
    text = capsys.readouterr().out
    assert "Change against the unshocked baseline" in text
    assert re.search(r"^US\s+metal\s+\$0\s+\$\S+\s+\+\$", text, re.M), text   # the baseline beside the shocked
    saved = pd.read_csv(tmp_path / "out" / "compare.csv")
    assert row(saved.fillna({"partner": ""}), "US", "metal", "shortfall").change == pytest.approx(5.0 * 20)


def test_change_table_names_the_two_runs_unless_the_first_is_the_unshocked_second():
    from supplychain.analytics.compare import format_changes
    base = Scenario(chain_network(), horizon_days=80, name="baseline")
    ban = base.with_shocks(ExportControl(exporter="CN", commodity="metal", start=20), name="ban")
    longer = base.with_shocks(ExportControl(exporter="CN", commodity="metal", start=10),
                              name="long ban")
    plain, short, long_ = (simulate(s, engine="des", seed=1) for s in (base, ban, longer))
    against = format_changes(compare(plain, short))
    assert against.startswith("Change against the unshocked baseline (paired runs):")
    assert re.search(r"^region\s+commodity\s+shortfall: baseline\s+shocked\s+change\s+fill rate: baseline",
                     against, re.M)
    between = format_changes(compare(short, long_))
    assert between.startswith("Change from 'ban' to 'long ban' (paired runs):")
    assert "baseline" not in between and "shocked" not in between
    assert re.search(r"^region\s+commodity\s+shortfall: from\s+to\s+change\s+fill rate: from\s+to", between, re.M)
    assert re.search(r"^Total shortfall: \$\S+ in 'ban', \$\S+ in 'long ban' \(\+\$\S+\)\.$", between, re.M)
    # Reversed, the shocked run is not the unshocked version of the baseline.
    with pytest.warns(SimulationWarning, match=r"the second has fewer shocks than the first"):
        reversed_ = compare(short, plain)
    assert format_changes(reversed_).startswith("Change from 'ban' to 'baseline' (paired runs):")


def test_with_shocks_renames_a_scenario_still_called_baseline():
    base = Scenario(chain_network(), horizon_days=80, name="baseline")
    shocks = [ExportControl(exporter="CN", commodity="metal", start=10),
              Tariff(importer="US", commodity="metal", rate=0.1, start=20)]
    assert base.with_shocks(*shocks).name == "baseline + 2 shocks"
    assert base.with_shocks(shocks[0]).name == "baseline + 1 shock"
    assert base.with_shocks(*shocks, name="ban").name == "ban"
    assert base.with_shocks(*shocks).without_shocks(name="baseline") == base
    assert Scenario(chain_network(), horizon_days=80, name="mine").with_shocks(*shocks).name == "mine"
    # Responses are counted apart from the shocks, whichever method adds them.
    from supplychain.model import StockpileRelease
    aid = StockpileRelease(region="US", commodity="metal", reserve=10.0, release_below_cover_days=5)
    assert base.with_shocks(*shocks, aid).name == "baseline + 2 shocks + 1 response"
    assert base.with_shocks(*shocks).with_responses(aid).name == "baseline + 2 shocks + 1 response"
    assert base.with_responses(aid).name == "baseline + 1 response"


def test_the_header_promises_intervals_only_where_a_table_prints_them() -> None:
    # An ensemble where only a tariff moved: no demand changed, so the intervals are the tariff table's.
    import pandas as pd

    from supplychain.analytics.compare import format_changes
    rows = [("US", "chip", "shortfall_usd", "", 0.0, 0.0), ("US", "chip", "fill_rate", "", 1.0, 1.0),
            ("US", "magnet", "tariff_paid_usd", "", 0.0, 7.4e7), ("US", "magnet", "import_share", "CN", 0.9, 0.85)]
    t = pd.DataFrame(rows, columns=["region", "commodity", "metric", "partner", "baseline", "shocked"])
    t["change"] = t["shocked"] - t["baseline"]
    t["change_lo"], t["change_hi"] = t["change"] * 0.9, t["change"] * 1.1
    t.attrs.update(before="baseline", after="tariff", paired=True, unshocked=True)
    text = format_changes(t)
    assert text.splitlines()[0] == ("Change against the unshocked baseline (paired runs; means over runs, 95% intervals "
                                    "of the paired change):")
    tariff = text.splitlines()[text.splitlines().index("Tariff paid") + 2]
    assert "+$66.6M to +$81.4M" in tariff
    assert "-4.5 to -5.5 pp" in text
    # A single run (no intervals): neither the header nor the tables speak of them.
    single = format_changes(t.drop(columns=["change_lo", "change_hi"]))
    assert single.splitlines()[0] == "Change against the unshocked baseline (paired runs):"
    assert "95%" not in single


def test_import_shares_of_a_banned_exporter_are_given_over_the_ban_too():
    # CN is banned from day 10 to day 40 of 120; the US buys half from CN and half from KR. The whole run's share
    # mixes the ban with the rest; over the ban's days nothing is shipped from CN (share 0 against 0.5), and the
    # import-share table says so under its rows.
    from supplychain.analytics.compare import format_changes
    base = Scenario(two_suppliers(), horizon_days=120)
    shocked = base.with_shocks(ExportControl(exporter="CN", commodity="metal", start=10, end=40))
    b, a = simulate(base, seed=1), simulate(shocked, seed=1)
    table = compare(a, baseline=b)
    (during,) = table.attrs["controlled_shares"]
    assert (during["importer"], during["commodity"], during["exporter"]) == ("US", "metal", "CN")
    assert during["baseline"] == pytest.approx(0.5) and during["shocked"] == 0.0
    assert (during["start"], during["end"], during["ended"]) == ("2025-01-11", "2025-02-09", True)
    flow = a.series("flow", "CN.ref>US.metal")[0]
    total = flow.sum() + a.series("flow", "KR.ref>US.metal")[0].sum()
    assert row(table, "US", "metal", "import_share", "CN").shocked == pytest.approx(flow.sum() / total)
    text = format_changes(table)
    assert "over the whole run, 2025-01-01 to 2025-04-30, the months after an export control ended included" in text
    assert "US<-CN metal while CN's ban was in force (2025-01-11 to 2025-02-09): 50.0% -> 0.0%" in text
