"""Machine-readable CLI output, the size message before writing, and plain messages for all-zero rankings."""

from __future__ import annotations

import io as stdio
import json
import re

import numpy as np
import pandas as pd
import pytest

from supplychain._format import format_bytes, format_percent, format_units, format_usd
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.compare import compare, format_changes
from supplychain.cli.analytics_commands import scorecard_text
from supplychain.cli.app import main
from supplychain.io.scenario import save_scenario
from supplychain.model import ExportControl, Scenario
from supplychain.results import load_ensemble
from supplychain.run import simulate

from .conftest import chain_network

BAN = ExportControl(exporter="CN", commodity="metal", start=5, end=25)


@pytest.fixture
def shock_file(tmp_path):
    """The chain with a 20-day ban on its only supplier: a visible shortfall."""
    scenario = Scenario(chain_network(cover=5.0), horizon_days=40, name="banned chain").with_shocks(BAN)
    return save_scenario(scenario, tmp_path / "ban.toml")


def parse(text: str, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(stdio.StringIO(text), keep_default_na=False, na_values=[""])
    if fmt == "json":
        return pd.DataFrame(json.loads(text))
    lines = text.splitlines()
    assert set(lines[1]) == {"|", "-"}
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in [lines[0], *lines[2:]]]
    return pd.read_csv(stdio.StringIO("\n".join(",".join(row) for row in cells)), keep_default_na=False,
                       na_values=[""])


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_run_formats_parse_back_to_the_numbers_of_compare(shock_file, fmt, capsys):
    assert main(["run", str(shock_file), "--seed", "3", "--format", fmt, "--quiet"]) == 0
    got = parse(capsys.readouterr().out, fmt)
    from supplychain.io.scenario import load_scenario
    scenario = load_scenario(shock_file)
    # Tables for other programs split demands by end-use segment (empty here: none has one).
    want = compare(simulate(scenario.without_shocks(), seed=3), simulate(scenario, seed=3), segments=True)
    # One more column, always: the cover band's case (empty here: no chip buyers, no band rows).
    assert list(got.columns) == [*want.columns, "case"] and len(got) == len(want)
    assert got["case"].isna().all() or (got["case"].fillna("") == "").all()
    assert list(got.columns[:3]) == ["region", "commodity", "segment"]
    got["partner"] = got["partner"].fillna("").astype(str)
    # Numbers print to 12 significant figures and a change within rounding of its values as 0
    # (supplychain/cli/formats.py), so they parse back within 1e-11 of the values' size.
    scale = np.maximum(want["baseline"].abs(), want["shocked"].abs()).to_numpy()
    for col in ("baseline", "shocked", "change"):
        gap = np.abs(got[col].astype(float).to_numpy() - want[col].to_numpy())
        assert np.all(gap <= 1e-11 * scale), col
    unchanged = (want["change"].abs() <= 1e-12 * scale).to_numpy()
    assert np.all(got["change"].astype(float).to_numpy()[unchanged] == 0.0)
    short = got[(got.metric == "shortfall_usd")].iloc[0]
    assert float(short.change) > 0


def test_run_without_a_shock_prints_the_summary_in_csv(tmp_path, capsys):
    path = save_scenario(Scenario(chain_network(refinery_capacity=3.0, cover=2.0, lead_refinery=2.0), horizon_days=30,
                                  name="short"),
                         tmp_path / "s.toml")
    assert main(["run", str(path), "--seed", "1", "--format", "csv", "--quiet"]) == 0
    table = pd.read_csv(stdio.StringIO(capsys.readouterr().out))
    assert list(table.columns[:4]) == ["region", "commodity", "segment", "unit"] and table["fill_rate"].iloc[0] < 1


def test_stress_test_json_parses_back_and_keeps_infinities(tmp_path, capsys):
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--method", "lp", "--duration", "60", "--format", "json", "--quiet"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["knockout"] == "KR.cells" and rows[0]["rank"] == 1 and rows[0]["pi_usd"] > 0
    assert all(isinstance(r["tts_days"], float) or r["tts_days"] == "inf" for r in rows)


def test_stress_test_says_when_every_row_is_zero(tmp_path, capsys):
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--method", "lp", "--duration", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("No knockout of 2 days costs any demand anything")
    assert "Try a longer --duration" in out and "TTS days" not in out


def test_benchmark_table_says_when_no_shock_causes_a_shortfall():
    card = pd.DataFrame({"fill_rate": [1.0, 1.0], "shortfall_usd": [0.0, 0.0], "diversion": [0.3, 0.1]},
                        index=["CN cuts ore", "ROW cuts ore"])
    text = scorecard_text(card, 30)
    assert text.splitlines()[-1].startswith("No shock in the catalogue causes a shortfall")
    assert [line.split("  ")[0] for line in text.splitlines()[1:3]] == ["CN cuts ore", "ROW cuts ore"]


def test_large_ensemble_says_what_it_writes_and_how_large_before_writing(shock_file, tmp_path, capsys):
    out_dir = tmp_path / "many"
    assert main(["run", str(shock_file), "--engine", "vector", "--runs", "60", "--compare", "--seed", "2",
                 "--out", str(out_dir)]) == 0
    out, err = capsys.readouterr()
    assert "Kept per-run totals and daily percentile bands, not daily series (more than 3 runs" in out
    # Nothing in this scenario is random: the 60 runs are identical, so each change prints once, no interval.
    assert "the 60 runs are identical" in out and "95% interval" not in out and "Shortfall over 60 runs" in out
    said = re.search(r"Writing to \S+: results\.npz \(ensemble summary: per-run totals and daily percentile "
                     r"bands, at most ([\d.,]+ [kMG]?B)\), baseline\.npz \(the baseline's, at most ([\d.,]+ [kMG]?B)\)",
                     err)
    assert said, err
    assert err.index("Writing to") < err.index("Wrote ")
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["bands.csv", "baseline.npz", "compare.csv", "fan.png", "prices.png", "results.npz",
                     "shortfall.csv", "summary.csv"]
    ens = load_ensemble(out_dir / "results.npz")
    assert ens.n_runs == 60 and load_ensemble(out_dir / "baseline.npz").seed == ens.seed
    bound = float(said.group(1).split()[0].replace(",", "")) * {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[
        said.group(1).split()[1]]
    assert (out_dir / "results.npz").stat().st_size <= bound * 1.005   # the bound, to its three figures
    compare_csv = pd.read_csv(out_dir / "compare.csv")
    assert {"change_lo", "change_hi"} <= set(compare_csv.columns)


def test_keep_series_is_honoured_for_many_runs(shock_file, tmp_path, capsys):
    out_dir = tmp_path / "series"
    assert main(["run", str(shock_file), "--engine", "vector", "--runs", "51", "--keep", "series", "--seed", "2",
                 "--out", str(out_dir), "--quiet"]) == 0
    assert "Kept per-run totals" not in capsys.readouterr().out
    assert "timeseries.png" in {p.name for p in out_dir.iterdir()}


def test_one_number_format_in_python_and_on_the_command_line(shock_file, capsys):
    assert main(["run", str(shock_file), "--seed", "3", "--quiet"]) == 0
    printed = capsys.readouterr().out
    from supplychain.io.scenario import load_scenario
    scenario = load_scenario(shock_file)
    text = format_changes(compare(simulate(scenario.without_shocks(), seed=3), simulate(scenario, seed=3)))
    assert text in printed   # the CLI prints exactly what the Python function formats
    assert re.search(r"\$\d+(\.\d+)?[kM]?\b", text) and not re.search(r"\d\.\d{2}%", text)
    assert (format_usd(92_370_000), format_percent(0.9178), format_units(12_345.6), format_bytes(2.5e6)) == (
        "$92.4M", "91.7%", "12,346", "2.50 MB")


def test_format_summary_is_public_and_the_cli_prints_the_same_text(capsys):
    import supplychain as sc
    from supplychain.cli.app import main
    res = sc.simulate(sc.load_baseline().with_horizon(10), seed=0)
    text = sc.format_summary(res)
    assert "e+0" not in text and "e-0" not in text
    assert re.search(r"^US\s+logic_chip\s+automotive\s+\S+\s+[\d,.]+\s+[\d,.]+\s+\d+\.\d%", text, re.M), text
    assert main(["run", "baseline", "--horizon", "10", "--seed", "0", "--quiet"]) == 0
    # The command line's header adds that price feedback is off, and how to turn it on (its default).
    from supplychain.cli.run_command import FEEDBACK_OFF
    head, rest = text.split("\n", 1)
    assert capsys.readouterr().out.startswith(head + FEEDBACK_OFF + "\n" + rest)
    from supplychain.cli import format_summary as cli_format_summary
    assert cli_format_summary is sc.format_summary


def _stress_lines(capsys, *argv):
    assert main(["stress-test", *argv, "--quiet"]) == 0
    captured = capsys.readouterr()
    return captured.out.splitlines(), captured.err


def test_stress_test_footer_explains_exactly_the_columns_shown(tmp_path, capsys):
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    lines, _ = _stress_lines(capsys, str(path), "--method", "lp", "--duration", "60", "--out", str(tmp_path / "o"))
    headers = re.split(r"\s{2,}", lines[0])
    footer = lines[-1]
    assert headers[0] == pd.read_csv(tmp_path / "o" / "stress_test.csv").columns[0] == "knockout"
    for header in headers[2:]:
        assert f"{header}:" in footer
    for absent in ("TTS sim", "shortfall (sim)", "worst 5%", "target"):
        assert absent not in footer
    # CN.mine's stocks run low but outlast the knockout: it loses nothing, so it ties at no shortfall and is
    # listed under its own heading without a rank; the third knockout moves nothing at all and is counted.
    assert lines[1].split()[:2] == ["KR.cells", "1"]
    assert lines[2] == ("No shortfall in a 60-day knockout, but a finite time-to-survive: demand would run short "
                        "in a longer one (tied, not ranked; shortest time-to-survive first):")
    assert lines[3].split()[:2] == ["CN.mine", "-"] and lines[3].split()[-3] == "$0"
    assert lines[4] == ("1 more knockout does not move any demand at all in a 60-day knockout: no shortfall and no "
                        "finite time-to-survive (demand never ran low): not ranked.")


def test_stress_test_with_an_unmoved_target_ranks_nothing_and_names_the_cli_option(tmp_path, capsys):
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    lines, err = _stress_lines(capsys, str(path), "--method", "simulation", "--target", "US:cell", "--duration", "2")
    assert "try a longer --duration" in err and "duration_days" not in err
    assert lines[0].startswith("No knockout of 2 days moves what 'US:cell' receives")
    assert not any(re.match(r"\S+\s+1\s", line) for line in lines)


def test_stress_test_target_table_ranks_only_knockouts_that_move_it(tmp_path, capsys):
    path = save_scenario(toy_scenario(30), tmp_path / "toy.toml")
    lines, _ = _stress_lines(capsys, str(path), "--method", "simulation", "--target", "US:cell", "--duration", "60")
    assert lines[1].split()[:2] == ["KR.cells", "1"]
    assert lines[2] == ("2 more knockouts do not move 'US:cell' at all in a 60-day knockout: no shortfall and no "
                        "finite time-to-survive (demand never ran low): not ranked.")
    headers = re.split(r"\s{2,}", lines[0])
    assert [h for h in headers[2:] if f"{h}:" not in lines[-1]] == []


@pytest.mark.parametrize("target, message", [
    ("US", "target 'US' for stress_test names a region, not a demand: give 'region:commodity', one of 'US:cell'."),
    ("Japan", "target 'Japan' for stress_test names a region, not a demand: give 'region:commodity', one of "
              "'JP:cell'."),
    ("United States:cell", "target 'United States:cell' for stress_test is not a known id. Did you mean 'US:cell'?"),
    ("KR", "target 'KR' for stress_test is not a known id. Known: JP.cells, JP:cell, US.cells, US:cell. A target "
           "is 'region:commodity' (e.g. 'US:cell') or a demand id."),
])
def test_a_stress_target_naming_a_region_or_a_country_is_told_what_to_write(target, message):
    from supplychain.analytics._toy import toy_network
    from supplychain.analytics.stress import stress_test
    from supplychain.errors import UnknownIdError
    with pytest.raises(UnknownIdError) as err:  # raised before anything is simulated
        stress_test(toy_network(), method="simulation", target=target)
    assert str(err.value) == message
