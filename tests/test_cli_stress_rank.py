"""stress-test's ranking: by the simulated shortfall whenever the simulation runs; the LP alone says why it can say $0."""

from __future__ import annotations


import pandas as pd
import pytest

from supplychain.analytics import stress
from supplychain.analytics._toy import toy_network, toy_scenario
from supplychain.analytics.stress import LP_ONLY_NOTE, stress_test
from supplychain.cli.analytics_commands import stress_text
from supplychain.cli.app import main
from supplychain.errors import ValidationError
from supplychain.io import save_scenario


@pytest.fixture
def disagreeing(monkeypatch):
    """A network of three knockouts on which the LP and the simulation disagree, as on the built-in one: the LP
    re-routes 'fab' optimally and scores it $0 (its stocks outlast the knockout), the simulation loses most there."""
    names = ["mine", "fab", "plant"]
    lp = pd.DataFrame({"tts_days": [40.0, 124.0, 80.0], "ttr_days": [90.0] * 3, "pi_usd": [6e9, 0.0, 1e8],
                       "rei": [1.0, 0.0, 1e8 / 6e9], "vulnerable": [True, False, True], "exposure_days": [50.0, 0, 10],
                       "tts_ms": [1.0] * 3, "pi_ms": [1.0] * 3}, index=names)
    sim = pd.DataFrame({"tts_sim_days": [48.0, 57.0, 75.0], "ttr_sim_days": [60.0] * 3,
                        "shortfall_sim_usd": [7.6e9, 8.1e9, 2e8], "cvar95_shortfall_usd": [7.6e9, 8.1e9, 2e8],
                        "sim_ms": [1.0] * 3}, index=pd.Index(names, name="scenario"))
    sim.attrs["n_runs"] = 1
    monkeypatch.setattr(stress, "disruption_scenarios", lambda network: pd.DataFrame(
        {"kind": ["facility"] * 3, "facilities": [(n,) for n in names], "aliases": [""] * 3}, index=names))
    monkeypatch.setattr(stress, "build_lp", lambda network: None)
    monkeypatch.setattr(stress, "risk_exposure", lambda lp_, facilities, ttr, progress=False: lp.loc[list(facilities)])
    monkeypatch.setattr(stress, "_simulated", lambda *a, **k: sim.copy())
    return names


def test_both_methods_rank_by_the_simulated_shortfall_by_default(disagreeing):
    table = stress_test(toy_network(), method="both")
    assert table.index.tolist() == ["fab", "mine", "plant"] and table["rank"].tolist() == [1, 2, 3]
    assert table.attrs["rank_by"] == "simulation"


def test_rank_by_lp_keeps_the_lps_order_and_lp_alone_is_unchanged(disagreeing):
    assert stress_test(toy_network(), method="both", rank_by="lp").index.tolist() == ["mine", "plant", "fab"]
    lp_only = stress_test(toy_network(), method="lp")
    assert lp_only.index.tolist() == ["mine", "plant", "fab"] and lp_only.attrs["rank_by"] == "lp"
    assert lp_only["rank"].tolist() == [1, 2, 3]   # fab scores $0 in the LP: tied after the ranked ones


@pytest.mark.parametrize("method, rank_by", [("lp", "simulation"), ("simulation", "lp")])
def test_a_ranking_needs_the_method_that_computes_it(method, rank_by):
    with pytest.raises(ValidationError, match=r"rank_by must be .* \(a ranking needs the method that computes it\)"):
        stress_test(toy_network(), method=method, rank_by=rank_by)


def test_the_table_says_what_ranks_it_and_the_lp_alone_says_why_it_can_say_zero(disagreeing):
    text = stress_text(stress_test(toy_network(), method="both"), 10, 90)
    assert text.splitlines()[1].split()[:2] == ["fab", "1"]
    assert "ranked by simulated shortfall (--rank-by lp: by the LP's REI, then TTS)" in text
    assert "LP only" not in text
    by_lp = stress_text(stress_test(toy_network(), method="both", rank_by="lp"), 2, 90)
    assert "Ranked by the LP (REI, then TTS); by simulated shortfall the worst below the top 2 is fab" in by_lp
    lp_only = stress_text(stress_test(toy_network(), method="lp"), 10, 90).splitlines()
    note = [line for line in lp_only if line.startswith("LP only (--method lp): ")]
    assert note == [f"LP only (--method lp): {LP_ONLY_NOTE}; --method both (the default) ranks by the simulated "
                    "shortfall, the LP's columns beside."]
    assert lp_only.index(note[0]) == len(lp_only) - 3      # the last line above the blank line and the legend


def test_cli_rank_by_and_its_clashes(tmp_path, capsys):
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--method", "lp", "--duration", "60", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "LP only (--method lp): " in out
    for argv, says in [(["--method", "lp", "--rank-by", "simulation"], "--rank-by simulation needs the simulation "
                        "columns, which --method lp does not compute"),
                       (["--method", "simulation", "--rank-by", "lp"], "--rank-by lp needs the lp columns"),
                       (["--target", "US:cell", "--rank-by", "lp"], "--rank-by lp and --target 'US:cell' together")]:
        assert main(["stress-test", str(path), *argv, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("supplychain stress-test: error: ") and says in err and len(err.splitlines()) == 1
    assert main(["stress-test", str(path), "--duration", "60", "--rank-by", "lp", "--quiet"]) == 0
    assert "ranked by the LP's REI, then TTS (--rank-by lp)" in capsys.readouterr().out


def test_the_yes_no_column_follows_the_method_that_ranks_the_rows(disagreeing):
    # 'fab': the LP's TTS is 124 days (> TTR 90: "no"), the simulation runs short on day 57 and loses most.
    table = stress_test(toy_network(), method="both")
    text = stress_text(table, 10, 90)
    head, fab = text.splitlines()[:2]
    assert "TTS sim<TTR" in head and "TTS<TTR (LP)" not in head
    at = head.index("TTS sim<TTR")
    assert fab.startswith("fab") and fab[at:at + len("TTS sim<TTR")].strip() == "yes"
    assert "TTS sim<TTR: by the simulated TTS (the method that ranks the rows)" in text
    lp = stress_text(stress_test(toy_network(), method="both", rank_by="lp"), 10, 90)
    assert "TTS<TTR (LP)" in lp.splitlines()[0] and "TTS<TTR (LP): by the LP's TTS days" in lp


def test_the_simulated_stress_test_says_up_front_how_long_it_will_take(tmp_path, capsys):
    # The built-in test ran 8 min 54 s with nothing said before the progress lines.
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--duration", "20", "--method", "simulation"]) == 0
    first = capsys.readouterr().err.splitlines()[0]
    n = len(stress.disruption_scenarios(toy_network()))
    assert first.startswith("About ") and f" for {n} knockouts, each simulated 1 time over 40 days (" in first
    assert main(["stress-test", str(path), "--duration", "20", "--method", "simulation", "--quiet"]) == 0
    assert "knockouts, each simulated" not in capsys.readouterr().err
