"""The historical scenarios ship with the package: listed, loaded and run by name, found by ``benchmark`` anywhere.

Also the change table that ``supplychain run`` prints for a scenario with shocks: only the demands
whose service changed, the baseline beside, and how many did not change.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import supplychain
from supplychain.analytics.compare import DEMANDS_SHOWN
from supplychain.analytics._toy import toy_scenario
from supplychain.analytics.compare import format_changes
from supplychain.analytics.scorecard import historical_shocks, standard_catalogue
from supplychain.cli.app import build_parser, main
from supplychain.datasets import SCENARIO_DIR, scenario_path, scenarios
from supplychain.datasets.scenarios import DESCRIPTIONS
from supplychain.errors import UnknownIdError
from supplychain.io import BASES

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["taiwan_blockade_magnets", "gallium_germanium_2023", "china_graphite_2023", "japan_korea_2019",
         "section301_2024", "equipment_controls_china"]


# The files -------------------------------------------------------------------------------------
def test_shipped_files_live_in_the_package_folder_and_are_package_data():
    assert SCENARIO_DIR == Path(supplychain.__file__).resolve().parent / "data" / "scenarios"
    files = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    assert files == sorted(NAMES) == sorted(scenarios()) == sorted(DESCRIPTIONS)
    assert not list((ROOT / "examples").glob("**/*.toml"))      # one copy, in the package
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for path in SCENARIO_DIR.glob("*.toml"):                     # the wheel's package-data pattern covers them
        relative = path.relative_to(SCENARIO_DIR.parents[1]).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns["supplychain"]), relative


def test_every_shipped_scenario_has_a_one_line_description_and_a_run_line():
    for name, description in scenarios().items():
        assert description and "\n" not in description and len(description) <= 140
        assert f"# Run:  supplychain run {name}\n" in scenario_path(name).read_text()


# By name ---------------------------------------------------------------------------------------
def test_load_example_by_name_is_the_file():
    by_name = supplychain.load_example("japan_korea_2019")
    assert by_name == supplychain.load_scenario(SCENARIO_DIR / "japan_korea_2019.toml")
    assert by_name.name == "Japan controls on Korea 2019" and by_name.shocks
    assert set(NAMES) <= set(BASES)                               # a file may start from one: base = "..."


def test_japan_korea_2019_gives_each_licensed_material_the_korean_response():
    # Korea's buyers raised their order targets for all three materials (Samsung: 90 days of Japanese
    # materials, TheElec, 19 Jul 2019); without it the licence wait sat in the display makers' position and
    # fluorinated polyimide was 30 % unfilled all year (docs/assumptions.md, export licences)
    scenario = supplychain.load_example("japan_korea_2019")
    licensed = {c.commodity for c in scenario.shocks if c.mode == "licence" and "KR" in c.destinations}
    response = {r.commodity: r for r in scenario.responses if r.region == "KR"}
    assert licensed == {"photoresist", "hf_high_purity", "fluorinated_polyimide"} == set(response)
    assert {r.cover_days for r in response.values()} == {90.0}
    assert all(r.start == c.start for r in response.values() for c in scenario.shocks)


@pytest.mark.parametrize("name", ["taiwan_blocade", "../baseline/regions", ""])
def test_an_unknown_name_lists_the_shipped_ones(name):
    with pytest.raises(UnknownIdError, match="shipped: taiwan_blockade_magnets, "):
        supplychain.load_example(name)


def test_cli_lists_the_shipped_scenarios(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name, description in scenarios().items():
        assert re.search(rf"^  {name}\s+{re.escape(description)}$", out, re.M), out


@pytest.fixture(scope="module")
def flagship_output():
    """What README's flagship command prints, in process: the whole year (run once for the two tests below)."""
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        assert main(["run", "taiwan_blockade_magnets", "--quiet"]) == 0
    return printed.getvalue()


def test_cli_runs_a_shipped_scenario_by_name_and_prints_only_what_changed(flagship_output):
    out = flagship_output
    lines = out.splitlines()
    assert lines[0].startswith("Scenario 'Taiwan blockade + magnet ban': des engine, 1 run, seed 2025, 365 days")
    assert "fill rate: demand served from stock" not in out          # no full summary without --all
    start = lines.index(next(l for l in lines if l.startswith("Demands whose service changed")))
    shown, changed = map(int, re.search(r"largest (\d+) of (\d+)$", lines[start]).groups())
    assert shown == DEMANDS_SHOWN < changed                            # the largest changes, the rest summed
    header, rows = lines[start + 1], lines[start + 2:lines.index("", start)]
    assert header.split()[:5] == ["region", "commodity", "segment", "shortfall:", "baseline"]
    rest = [r for r in rows if r.startswith("... and ")]
    rows = [r for r in rows if not r.startswith(("Total shortfall", "... and "))]
    assert len(rows) == shown and len(rest) == 1 and rest[0].startswith(f"... and {changed - shown} more, +$")
    at = header.index("segment")                                       # left-aligned: the column starts here
    named = {(r.split()[0], r.split()[1], r[at:].split(" ", 1)[0]) for r in rows}
    # chip buyers are listed per end-use segment, as in summary.csv: no pooled chip row
    assert ("ROW", "logic_chip", "automotive") in named and ("ROW", "logic_chip", "") not in named
    # magnet users too, per end use (tools/baseline/minerals.py)
    assert ("ROW", "ndfeb_magnet", "motors") in named and ("ROW", "ndfeb_magnet", "") not in named
    for row in rows:                                                   # only rows that changed
        cells = row.split()
        assert cells[-4] != "+$0" or cells[-2:] != ["+0.00", "pp"], row
    unchanged, total = map(int, re.search(r"^(\d+) of (\d+) demands unchanged\.$", out, re.M).groups())
    demands = supplychain.load_baseline().network.demands   # counted as summary.csv counts them: one per segment
    assert unchanged + changed == total == len({(d.region, d.commodity, d.segment) for d in demands}) == len(demands)


def test_cli_run_all_prints_the_full_summary_too(capsys):
    # The full summary is the engines' common text: the vector engine prints it at a fraction of the DES's time.
    assert main(["run", "taiwan_blockade_magnets", "--horizon", "70", "--all", "--quiet", "--engine", "vector"]) == 0
    out = capsys.readouterr().out
    assert "fill rate: demand served from stock" in out and "Change against the unshocked baseline" in out


def test_cli_run_baseline_prints_the_summary_and_says_there_is_no_shock(capsys):
    assert main(["run", "baseline", "--horizon", "5", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Scenario 'baseline'") and "Total shortfall: $0" in out
    assert "Change against" not in out and "No shock in this scenario" in out


# The change table ------------------------------------------------------------------------------
def _table(rows):
    t = pd.DataFrame(rows, columns=["region", "commodity", "metric", "partner", "baseline", "shocked"])
    return t.assign(change=t["shocked"] - t["baseline"])


def test_change_table_shows_changed_demands_only_and_counts_the_rest():
    t = _table([
        ("KR", "cell", "shortfall_usd", "", 0.0, 2.5e9), ("KR", "cell", "fill_rate", "", 1.0, 0.75),
        ("US", "chip", "shortfall_usd", "", 1e6, 1e6 + 0.1), ("US", "chip", "fill_rate", "", 0.9, 0.9),  # noise
        ("JP", "ore", "shortfall_usd", "", 0.0, 0.0), ("JP", "ore", "fill_rate", "", 1.0, 1.0),
        ("KR", "cell", "import_cost_usd", "", 4e9, 3e9),
        ("KR", "cell", "import_share", "CN", 0.8, 0.6), ("KR", "cell", "import_share", "JP", 0.2, 0.4),
    ])
    text = format_changes(t)
    assert re.search(r"^KR\s+cell\s+\$0\s+\$2\.50bn\s+\+\$2\.50bn\s+100\.0%\s+75\.0%\s+-25\.0 pp$", text, re.M)
    assert not re.search(r"^(US|JP)\s", text, re.M)
    assert "Total shortfall: $1.00M baseline, $2.50bn shocked (+$2.50bn)." in text
    assert re.search(r"^KR\s+cell\s+\$4\.00bn\s+\$3\.00bn\s+-\$1\.00bn\s+-25\.0%$", text, re.M)
    assert re.search(r"^KR<-JP\s+cell\s+20\.0%\s+40\.0%\s+\+20\.0 pp$", text, re.M)
    assert text.endswith("2 of 3 demands unchanged.")


def test_change_table_lists_chip_buyers_by_segment_and_counts_them_so():
    t = pd.DataFrame([
        ("US", "chip", "automotive", "shortfall_usd", "", 0.0, 3e8), ("US", "chip", "automotive", "fill_rate", "", 1.0, 0.9),
        ("US", "chip", "electronics", "shortfall_usd", "", 0.0, 0.0), ("US", "chip", "electronics", "fill_rate", "", 1.0, 1.0),
        ("KR", "cell", "", "shortfall_usd", "", 0.0, 1e6), ("KR", "cell", "", "fill_rate", "", 1.0, 0.99),
        ("KR", "cell", "", "import_cost_usd", "", 4e9, 3e9),
    ], columns=["region", "commodity", "segment", "metric", "partner", "baseline", "shocked"])
    t = t.assign(change=t["shocked"] - t["baseline"])
    text = format_changes(t)
    assert re.search(r"^region\s+commodity\s+segment\s+shortfall: baseline", text, re.M)
    # the automotive buyers' whole loss, not diluted by the unhurt electronics buyers: 90.0 %, not 95.0 %
    assert re.search(r"^US\s+chip\s+automotive\s+\$0\s+\$300M\s+\+\$300M\s+100\.0%\s+90\.0%\s+-10\.0 pp$", text, re.M)
    assert re.search(r"^KR\s+cell\s+\$0\s+\$1\.00M\s+\+\$1\.00M\s+100\.0%\s+99\.0%\s+-1\.0 pp$", text, re.M)
    assert "Total shortfall: $0 baseline, $301M shocked (+$301M)." in text
    assert text.endswith("1 of 3 demands unchanged.")
    # a table read back from compare.csv has NaN for "no segment": the same text
    assert format_changes(t.assign(segment=t["segment"].replace("", float("nan")))) == text
    # a network without end-use segments prints no segment column
    plain = format_changes(t[t["segment"] != "electronics"].assign(segment=""))
    assert re.search(r"^region\s+commodity\s+shortfall: baseline", plain, re.M)


def test_change_table_says_when_nothing_changed():
    t = _table([("US", "chip", "shortfall_usd", "", 0.0, 0.0), ("US", "chip", "fill_rate", "", 1.0, 1.0)])
    assert format_changes(t).endswith("Nothing changed: 1 of 1 demands unchanged.")


# benchmark -------------------------------------------------------------------------------------
def test_benchmark_default_finds_the_shipped_scenarios_from_another_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["benchmark"])
    assert args.scenarios == SCENARIO_DIR
    replays = historical_shocks(args.scenarios)
    assert sorted(replays) == ["China graphite licensing 2023", "Ga/Ge export licensing 2023",
                               "Japan controls on Korea 2019", "Section 301 review 2024-2026",
                               "Taiwan blockade + magnet ban", "US/JP/NL chipmaking-equipment ban on China"]
    catalogue = standard_catalogue(supplychain.load_baseline().network)   # the library's default too
    assert set(replays) <= set(catalogue)


def test_benchmark_warns_about_a_scenario_folder_that_does_not_exist(tmp_path, capsys):
    path = supplychain.save_scenario(toy_scenario(60), tmp_path / "toy.toml")
    assert main(["benchmark", str(path), "--scenarios", str(tmp_path / "none"), "--quiet"]) == 0
    assert "supplychain: warning: --scenarios" in capsys.readouterr().err


def test_readme_shows_what_the_flagship_command_prints(flagship_output):
    readme = (ROOT / "README.md").read_text()
    assert "pip install . && supplychain run taiwan_blockade_magnets\n" in readme
    shown = readme.split("This is what the flagship command prints")[1].split("```text\n")[1].split("```")[0]
    printed = flagship_output.splitlines()
    for line in shown.splitlines():
        assert line == "..." or line in printed, line


def test_user_guide_quotes_what_the_flagship_command_prints(flagship_output):
    """docs/user-guide.md quotes the flagship's price line and names its magnet segments: tied to the CLI, as
    README's flagship block is, so that the guide cannot go stale again."""
    guide = " ".join((ROOT / "docs" / "user-guide.md").read_text().split())
    quoted = guide.split("The flagship, without feedback: `", 1)[1].split("`", 1)[0]
    price = next(line for line in flagship_output.splitlines() if line.startswith("Prices (scarcity price index"))
    for part in quoted.split("..."):
        assert part.strip(" ,;") in price, (part, price)
    segments = flagship_output.split("Shortfall by end-use segment of buyers")[1].splitlines()[0]
    for name in re.findall(r"; (\w+) \+\$\S+ \(ndfeb_magnet", "; " + segments.split(": ", 1)[1]):
        assert re.search(rf"\b{name}\b", guide), name
