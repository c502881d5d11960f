"""When each region runs short, per run, in ensemble summaries (keep="summary"; docs/model.md §8.2, When)."""

from __future__ import annotations

import numpy as np
import pytest

from supplychain import io, simulate
from supplychain.analytics._toy import single_source_network, toy_scenario
from supplychain.analytics.resilience import time_to_recover, time_to_survive
from supplychain.cli.app import main
from supplychain.cli.run_command import format_when
from supplychain.engines.summary import RECOVER_AT, SUSTAIN_DAYS, TIMING_THRESHOLDS
from supplychain.errors import ValidationError
from supplychain.model import CapacityShock, RandomOutage, Scenario, Uniform
from supplychain.results.ensemble import load_ensemble


def stop(start: int, days: int, fraction: float = 1.0, horizon: int = 60) -> Scenario:
    """The only mine of `single_source_network` (stock 100 t, demand 10 t/day, one day in transit) stops.

    It comes back at once (no ramp) when the stop ends.
    """
    shock = CapacityShock(facility="CN.mine", fraction_lost=fraction, start=start, end=start + days, recovery_days=0)
    return Scenario(single_source_network(), horizon_days=horizon, name="stop", shocks=(shock,))


@pytest.fixture(scope="module")
def random_pair():
    """A capacity cut from day 10 and random outages of the main mine: runs go short (or not) on different days."""
    scenario = toy_scenario(150).with_shocks(
        CapacityShock(facility="KR.cells", fraction_lost=0.4, start=10, end=35),
        RandomOutage(facility="CN.mine", rate_per_year=20.0, duration=Uniform(5.0, 30.0), end=70))
    ens = simulate(scenario, engine="vector", n_runs=12, seed=3, keep="summary")
    series = simulate(scenario, engine="vector", n_runs=12, seed=3)
    return scenario, ens, series


def test_a_stop_gives_the_hand_computed_days():
    # From the shock day (5) the stock (100 t) and the day in transit (10 t) cover 11 days of 10 t: service is 0
    # from day 5 + 11, below every threshold at once. The mine restarts on day 20; its first goods land on day 21
    # (one-day lane; 20 t/day of capacity, no ramp) and serve the day's 10 t: service 1 from day 21 on, held to the
    # horizon, so the time to recover is 21 - 5 = 16 days.
    ens = simulate(stop(5, 15), engine="vector", seed=0, keep="summary")
    assert ens.band_groups == ("US", "ALL")
    assert ens.days_below.tolist() == [[[11.0, 11.0]] * len(TIMING_THRESHOLDS)]
    assert ens.days_to_recover.tolist() == [[[16.0, 16.0]] * len(TIMING_THRESHOLDS)]
    assert time_to_survive(ens).tolist() == [[11.0]] and time_to_recover(ens, fail_below=0.5).tolist() == [[16.0]]


def test_a_partial_cut_crosses_the_higher_thresholds_only():
    # 70 % of the mine lost for good: once the stock is gone the US gets 6 of its 10 t a day, 0.6 service,
    # below 0.99 ... 0.80 but never below 0.50; it never recovers (inf), and a run never below scores 0.
    ens = simulate(stop(5, 200, fraction=0.7, horizon=80), engine="vector", seed=0, keep="summary")
    below = dict(zip(TIMING_THRESHOLDS, ens.days_below[0, :, 0]))
    assert np.isfinite([below[t] for t in (0.99, 0.95, 0.90, 0.80)]).all() and below[0.50] == np.inf
    recover = dict(zip(TIMING_THRESHOLDS, ens.days_to_recover[0, :, 0]))
    assert recover[0.80] == np.inf and recover[0.50] == 0.0
    series = simulate(stop(5, 200, fraction=0.7, horizon=80), engine="vector", seed=0)
    for t in TIMING_THRESHOLDS:
        assert time_to_survive(ens, threshold=t).tolist() == time_to_survive(series, threshold=t).tolist()


def test_summary_timing_equals_the_series_measures_run_by_run(random_pair):
    _, ens, series = random_pair
    for t in TIMING_THRESHOLDS:
        got = time_to_survive(ens, threshold=t)
        assert np.array_equal(got, time_to_survive(series, threshold=t)), t
        if t < RECOVER_AT:
            assert np.array_equal(time_to_recover(ens, fail_below=t), time_to_recover(series, fail_below=t)), t
    below = time_to_survive(ens)
    # The oracle is not vacuous: some runs go short, some do not, on different days, and some recover.
    assert np.isinf(below).any() and len(set(below[np.isfinite(below)].tolist())) > 3
    assert (np.isfinite(time_to_recover(ens)) & (time_to_recover(ens) > 0)).any()


def test_timing_is_bit_identical_across_chunks_and_engines(random_pair):
    scenario, ens, _ = random_pair
    for other in (simulate(scenario, engine="vector", n_runs=12, seed=3, keep="summary", chunk_size=5),
                  simulate(scenario, engine="des", n_runs=12, seed=3, keep="summary")):
        assert np.array_equal(other.days_below, ens.days_below)
        assert np.array_equal(other.days_to_recover, ens.days_to_recover)


def test_what_a_summary_did_not_keep_is_refused_by_name(random_pair):
    _, ens, series = random_pair
    with pytest.raises(ValidationError, match=r"0\.99, 0\.95, 0\.9, 0\.8, 0\.5 only; got threshold=0\.97"):
        time_to_survive(ens, threshold=0.97)
    with pytest.raises(ValidationError, match="pass no baseline"):
        time_to_survive(ens, baseline=series)
    with pytest.raises(ValidationError, match="'region' for an ensemble summary"):
        time_to_survive(ens, by="demand")
    with pytest.raises(ValidationError, match="shock day"):
        time_to_recover(ens, shock_day=3)
    with pytest.raises(ValidationError, match=f"recover_at={RECOVER_AT:g} held sustain_days={SUSTAIN_DAYS} only"):
        time_to_recover(ens, sustain_days=7)
    with pytest.raises(ValidationError, match="recover_at must be > fail_below"):
        time_to_recover(ens, fail_below=0.99)


def test_archives_carry_the_timing_and_older_ones_say_it_is_missing(random_pair, tmp_path):
    import dataclasses
    _, ens, _ = random_pair
    back = load_ensemble(ens.save(tmp_path / "new.npz"))
    assert np.array_equal(back.days_below, ens.days_below) and np.array_equal(back.days_to_recover,
                                                                              ens.days_to_recover)
    old = load_ensemble(dataclasses.replace(ens, days_below=None, days_to_recover=None).save(tmp_path / "old.npz"))
    assert old.days_below is None and np.array_equal(old.delivered, ens.delivered)
    with pytest.raises(ValidationError, match="predates the timing"):
        time_to_survive(old)


def test_the_console_says_when_each_region_ran_short(random_pair, tmp_path, capsys):
    _, ens, _ = random_pair
    text = format_when(ens)
    lines = text.splitlines()
    below = ens.timing("below", 0.95)
    n = ens.n_runs
    for g, group in enumerate(ens.band_groups):
        hit = np.isfinite(below[:, g])
        line = next(x for x in lines if x.split()[0] == group)
        k = int(hit.sum())
        # Counts of runs, and a share with the decimals 12 runs tell apart: none.
        runs = f"all {n} runs" if k == n else f"{k} of {n} runs ({100 * k / n:.0f}%)"
        lo, mid, hi = (int(round(float(x))) for x in np.percentile(below[hit, g], [5, 50, 95]))
        date = ens.scenario.date_of((ens.scenario.shock_day or 0) + mid)
        said = f"day {mid} ({date})" if lo == hi else f"day {mid} (median, {date}; 5-95%: {lo}-{hi})"
        assert f"  in {runs}, from {said}; " in line, line
        assert "." not in line.split("(")[0], line        # no decimal in the share of a dozen runs
    path = io.save_scenario(stop(5, 15), tmp_path / "stop.toml")
    assert main(["run", str(path), "--quiet", "--engine", "vector", "--runs", "3", "--keep", "summary"]) == 0
    out = capsys.readouterr().out
    assert "When service fell below 95% (days from the shock day" in out
    # Hand count (test_a_stop_gives_the_hand_computed_days): below from day 11 after the shock on day 5, back from
    # day 16, in every run; dates 2025-01-01 + 5 + 11 and + 16.
    assert ("  US   in all 3 runs, from day 11 (2025-01-17); recovered in all of them, by day 16 (2025-01-22)\n"
            in out)
    # The --all hint ends the change table, before the spread and the timing, not inside the timing block.
    assert out.index("The full summary of every region and commodity: --all.") < out.index("Shortfall over 3 runs")


def test_the_share_of_runs_has_the_decimals_the_count_tells_apart():
    from supplychain.cli.run_command import share_of_runs
    assert [share_of_runs(k, 20) for k in (0, 1, 7, 20)] == ["0%", "5%", "35%", "100%"]
    assert share_of_runs(1, 60) == "2%" and share_of_runs(59, 60) == "98%"          # not 1.7 %, not 98.3 %
    assert share_of_runs(997, 1000) == "99.7%" and share_of_runs(500, 1000) == "50%"
    assert share_of_runs(9999, 10000) == "99.99%" and share_of_runs(1, 10000) == "0.01%"   # never 100 % or 0 %


def test_xarray_labels_the_timing(random_pair):
    pytest.importorskip("xarray")
    _, ens, _ = random_pair
    ds = ens.to_xarray()
    assert ds["days_below"].dims == ("run", "threshold", "group")
    assert np.array_equal(ds["days_below"].sel(threshold=0.95, group="US").values, ens.timing("below", 0.95)[:, 1])
