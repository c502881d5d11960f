"""The answer across chip buyers' cited days of cover (supplychain/analytics/cover_band.py, the run line)."""

from __future__ import annotations

import pytest

from supplychain import load_baseline, simulate
from supplychain.analytics._cover_toy import segment_stop_scenario
from supplychain.analytics.cover_band import cited_covers, cover_band, with_segment_covers
from supplychain.cli.app import main
from supplychain.errors import ValidationError
from supplychain.io.scenario import save_scenario


def _hand(days: float, stop_days: int = 8) -> float:
    """USD short for a 10 t/day buyer holding ``days`` when nothing lands for ``stop_days - 1`` days, at $100/t."""
    return 10.0 * max(0.0, stop_days - 1 - days) * 100.0


@pytest.mark.parametrize("stop_days", [6, 8, 12])
def test_band_is_the_hand_computed_shortfall_at_each_end(stop_days):
    scenario = segment_stop_scenario(stop_days=stop_days)
    band = cover_band(scenario, {"automotive": (1.0, 9.0), "electronics": (2.0, 10.0)})
    assert list(band.index) == ["low", "central", "high"]
    for case, auto, elec in (("low", 1.0, 2.0), ("central", 3.0, 6.0), ("high", 9.0, 10.0)):
        row = band.loc[case]
        assert (row["cover_days:automotive"], row["cover_days:electronics"]) == (auto, elec)
        assert row["shortfall_usd:automotive"] == pytest.approx(_hand(auto, stop_days), abs=1e-6)
        assert row["shortfall_usd:electronics"] == pytest.approx(_hand(elec, stop_days), abs=1e-6)
        assert row["shortfall_usd"] == pytest.approx(_hand(auto, stop_days) + _hand(elec, stop_days), abs=1e-6)
        assert row["chip_shortfall_usd"] == row["shortfall_usd"]   # every demand of the toy is a segment's
    assert band.attrs == {"engine": "vector", "seed": 0, "deterministic": True}


def test_segments_left_out_keep_their_days_and_central_can_be_reused():
    scenario = segment_stop_scenario()
    shocked, base = simulate(scenario, engine="des"), simulate(scenario.without_shocks(), engine="des")
    band = cover_band(scenario, {"automotive": (0.0, 6.0)}, results=shocked, baseline=base)
    assert band["cover_days:electronics"].tolist() == [6.0, 6.0, 6.0]
    assert band["shortfall_usd:automotive"].tolist() == [_hand(0.0), _hand(3.0), _hand(6.0)]
    assert band.loc["central"].equals(cover_band(scenario, {"automotive": (0.0, 6.0)}).loc["central"])


def test_with_segment_covers_restarts_buyers_at_their_new_target():
    net = with_segment_covers(segment_stop_scenario(), {"electronics": 12.0}).network
    assert [(d.segment, d.policy.days, d.initial_inventory) for d in net.demands] == [
        ("automotive", 3.0, None), ("electronics", 12.0, None)]


def test_bad_covers_name_the_field_value_and_what_was_expected():
    scenario = segment_stop_scenario()
    with pytest.raises(ValidationError, match=r"covers must be a segment of the scenario's demands "
                                              r"\(automotive, electronics\).*'industrail'"):
        cover_band(scenario, {"industrail": (5.0, 40.0)})
    with pytest.raises(ValidationError, match=r"low <= high"):
        cover_band(scenario, {"automotive": (9.0, 2.0)})
    with pytest.raises(ValidationError, match=r"3650"):
        cover_band(scenario, {"automotive": (1.0, 1e6)})
    with pytest.raises(ValidationError, match="no demand with an end-use segment"):
        from supplychain.analytics._toy import toy_scenario
        cover_band(toy_scenario(10))


def test_cited_covers_are_the_shipped_ranges_with_the_central_inside():
    covers = cited_covers()
    chips = {g: c for g, c in covers.items() if g in ("automotive", "electronics", "industrial")}
    assert chips == {"automotive": (5.0, 14.0, 40.0), "electronics": (31.0, 40.0, 40.0),
                     "industrial": (5.0, 40.0, 40.0)}
    # magnet users' groups (tools/baseline/minerals.py) carry no range: the band leaves them at their cover
    assert {g: c for g, c in covers.items() if g not in chips} == {
        "car_parts": (14.0, 14.0, 14.0), "car_parts_6w": (42.0, 42.0, 42.0), "car_parts_10w": (70.0, 70.0, 70.0),
        "devices": (60.0, 60.0, 60.0), "motors": (60.0, 60.0, 60.0)}
    central = {d.segment: d.policy.days for d in load_baseline().network.demands if d.segment}
    assert {g: c[1] for g, c in covers.items()} == central
    from supplychain.datasets.baseline import baseline_provenance
    chip_buyers = {d.id for d in load_baseline().network.demands if d.segment in chips}
    sources = {r["source"] for r in baseline_provenance()
               if r["field"].startswith("cover_days") and r["item"] in chip_buyers}
    assert all("Request for Information" in s for s in sources) and any("Reuters" in s for s in sources)


def test_run_prints_the_band_under_the_segment_line(tmp_path, capsys):
    path = tmp_path / "two_buyers.toml"
    save_scenario(segment_stop_scenario(), path)
    assert main(["run", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    seg = next(i for i, line in enumerate(lines) if line.startswith("Shortfall by end-use segment"))
    band = next(i for i, line in enumerate(lines) if line.startswith("Across cited chip buyers' covers"))
    assert band == seg + 1
    # cited ranges: automotive 5-40 days (central 3 in the toy), electronics 31-40 (central 6)
    assert lines[band].startswith("Across cited chip buyers' covers (automotive 5-40 days, central 3; electronics "
                                  "31-40, central 6;")
    # low ends: 10 t x (7 - 5) x $100 = $2.00k; central $4.00k + $1.00k; high ends: nothing short
    assert lines[band].endswith(": chip buyers short $0-$5.00k (central $5.00k), total shortfall $0-$5.00k (central $5.00k).")
    assert main(["run", str(path), "--quiet", "--no-cover-band"]) == 0
    assert "Across cited" not in capsys.readouterr().out


def test_run_says_the_band_needs_a_deterministic_scenario(tmp_path, capsys):
    import dataclasses

    from supplychain.model import Triangular
    scenario = segment_stop_scenario()
    lanes = tuple(dataclasses.replace(lane, lead_time=Triangular(1.0, 1.0, 2.0)) for lane in scenario.network.lanes)
    random = scenario.replace(network=dataclasses.replace(scenario.network, lanes=lanes))
    path = tmp_path / "random.toml"
    save_scenario(random, path)
    assert main(["run", str(path), "--quiet", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "Across cited chip buyers' covers: no band, this scenario is random" in out
