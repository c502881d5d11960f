"""What ``supplychain run`` prints of an ensemble kept as per-run summaries: the shortfall's spread over the
runs, and when each region fell below 95 % service and recovered (docs/model.md §8.2, *When*).

Shares of runs carry the decimals the count of runs tells apart (`share_of_runs`), and counts come first
("in all 20 runs", "in 7 of 20 runs (35%)").
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from .._format import format_columns, format_usd

if TYPE_CHECKING:
    from ..model.scenario import Scenario
    from ..results.ensemble import EnsembleResults

__all__ = ["format_shortfall_distribution", "format_when", "share_of_runs", "random_inputs", "WHEN_THRESHOLD",
           "COLLAPSED_SPREAD"]

#: Runs whose total shortfall differs by less than this fraction of the mean are reported as one figure.
COLLAPSED_SPREAD = 0.01


def share_of_runs(k: int, n: int) -> str:
    """``k`` of ``n`` runs as a percentage, with the decimals the count can tell apart and no more.

    None up to 100 runs (1 run in 60 is 2 %, not 1.7 %), one up to 1,000, two above; none when the share
    is a whole per cent (10 of 200 runs: 5 %); more when a share that is neither none nor all would round
    to 0 % or 100 %.

    Examples
    --------
    >>> share_of_runs(20, 20), share_of_runs(1, 60), share_of_runs(10, 200), share_of_runs(997, 1000)
    ('100%', '2%', '5%', '99.7%')
    >>> share_of_runs(1999, 2000), share_of_runs(1, 3000), share_of_runs(0, 5)
    ('99.95%', '0.03%', '0%')
    """
    pct = 100.0 * k / n
    if (100 * k) % n == 0:
        return f"{pct:.0f}%"
    digits = 0 if n <= 100 else 1 if n <= 1000 else 2
    while f"{pct:.{digits}f}" in (f"{0:.{digits}f}", f"{100:.{digits}f}"):
        digits += 1
    return f"{pct:.{digits}f}%"


def _runs(k: int, n: int) -> str:
    """"all 20 runs", "the run", or "7 of 20 runs (35%)"."""
    if n == 1:
        return "the run"
    return f"all {n:,} runs" if k == n else f"{k:,} of {n:,} runs ({share_of_runs(k, n)})"


def random_inputs(scenario: Scenario) -> list[str]:
    """What is drawn anew in each run of ``scenario``: lead times, demand noise, outages, licences, parameters.

    Read from the compiled scenario (as `supplychain.analytics.is_deterministic` does); empty when every
    run is the same.

    Examples
    --------
    >>> from supplychain import load_baseline
    >>> random_inputs(load_baseline())
    []
    >>> random_inputs(load_baseline(random_lead_times=True))[0].startswith("lead times on ")
    True
    """
    from ..compile.compiler import compile_scenario
    from ..model.shocks import RandomOutage
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the scenario's own warnings were given when it ran
        compiled = compile_scenario(scenario)
    out = []
    lanes = compiled.lane_lead_random
    if lanes.any():
        out.append(f"lead times on {int(lanes.sum()):,} of {len(lanes):,} lanes (triangular over their "
                   "documented low-high range)" if all(l.lead_time.kind == "triangular" for l in scenario.network.lanes
                                                      if not l.lead_time.is_deterministic)
                   else f"lead times on {int(lanes.sum()):,} of {len(lanes):,} lanes")
    if compiled.demand_noisy.any():
        out.append(f"demand noise on {int(compiled.demand_noisy.sum()):,} of {len(compiled.demand_noisy):,} demands")
    n_out = sum(1 for s in scenario.shocks if isinstance(s, RandomOutage))
    if n_out:
        out.append(f"{n_out} random outage process{'es' if n_out != 1 else ''} (when, where and how long)")
    licences = [spec for spec in compiled.schedules.extras.get("licences", ())
                if spec.uncertain or spec.switches or not spec.delay.is_deterministic]
    if licences:
        out.append(f"licence decisions and processing delays of {len(licences)} export control"
                   f"{'s' if len(licences) != 1 else ''}")
    if scenario.uncertainties:
        paths = ", ".join(u.path for u in scenario.uncertainties[:3])
        more = f" and {len(scenario.uncertainties) - 3} more" if len(scenario.uncertainties) > 3 else ""
        out.append(f"{len(scenario.uncertainties)} uncertain parameter{'s' if len(scenario.uncertainties) != 1 else ''}"
                   f" ({paths}{more})")
    return out


def format_shortfall_distribution(results: EnsembleResults, top: int = 12) -> str:
    """The shortfall over runs of the demands that ran short in some run: chance, median and 5-95 %.

    The share of runs short has the decimals the count of runs tells apart (`share_of_runs`). The total
    closes the text: its mean and the range of 90 % of runs, or one figure when every run's total lies
    within `COLLAPSED_SPREAD` of the mean (a spread of under 1 % says little; the level is what the
    scenario's draws make it). A last line says what is random in the runs (`random_inputs`): the runs
    differ only by those draws, so the same scenario without them (fixed lead times, say) is another
    scenario, whose shortfall can be higher or lower than every run's (docs/model.md §7.4).

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.datasets.synthetic import synthetic_scenario
    >>> ens = simulate(synthetic_scenario(5, horizon_days=20), engine="vector", n_runs=60, seed=1, keep="summary")
    >>> print(format_shortfall_distribution(ens).splitlines()[0])
    Shortfall over 60 runs (USD at reference prices):
    """
    table = results.shortfall_summary()
    short = table[(table["p_shortfall"] > 0) & (table["region"] != "ALL")]
    short = short.sort_values(["shortfall_usd", "p_shortfall"], ascending=False, kind="stable")
    n = results.n_runs
    lines = [f"Shortfall over {n:,} run{'' if n == 1 else 's'} (USD at reference prices):"]
    if len(short):
        rows = [[str(r.region), str(r.commodity), str(r.segment), share_of_runs(round(r.p_shortfall * n), n),
                 format_usd(r.shortfall_usd), format_usd(r.shortfall_usd_p5), format_usd(r.shortfall_usd_p50),
                 format_usd(r.shortfall_usd_p95)]
                for r in short.head(top).itertuples()]
        lines += format_columns(["region", "commodity", "segment", "runs short", "mean", "5th pct", "median",
                                 "95th pct"], rows, 3)
        if len(short) > top:
            lines.append(f"... and {len(short) - top} more demands short in some run (shortfall.csv with --out).")
    total = table[table["region"] == "ALL"].iloc[0]
    hit = round(float(total["p_shortfall"]) * n)
    prices = {c.id: c.price_usd for c in results.scenario.network.commodities}
    per_run = results.shortfall @ np.array([prices[c] for c in results.coords.commodity["demand"]], dtype=float)
    mean, lo, hi = float(per_run.mean()), float(per_run.min()), float(per_run.max())
    if n == 1:
        lines.append(f"Total {format_usd(mean)} in the one run." if mean > 0 else "No shortfall in the one run.")
    elif hi <= 0:
        lines.append("No shortfall in any run.")
    elif hi - lo <= COLLAPSED_SPREAD * mean:
        spread = ("runs identical" if hi == lo else f"runs differ by < {COLLAPSED_SPREAD * 100:g}%: "
                  f"{(hi - lo) / mean * 100:.2g}% from least to greatest")
        lines.append(f"Any shortfall in {_runs(hit, n)}; total {format_usd(mean)} in every run ({spread}).")
    else:
        lines.append(f"Any shortfall in {'no run' if hit == 0 else _runs(hit, n)}; total "
                     f"{format_usd(total['shortfall_usd'])} on average, 90% of runs between "
                     f"{format_usd(total['shortfall_usd_p5'])} and {format_usd(total['shortfall_usd_p95'])}.")
    drawn = random_inputs(results.scenario)
    if not drawn:
        lines.append("Nothing in the scenario is random (lead times, demand noise, outages, licences, uncertain "
                     "parameters), so every run is the same; random_lead_times=True (--random-lead-times) draws "
                     "lead times.")
    else:
        fixed = "with fixed lead times" if drawn[0].startswith("lead times") else "without these draws"
        lines.append(f"Random in each run: {'; '.join(drawn)}. The runs differ only by these draws, so the range "
                     f"is theirs alone; the scenario {fixed} is another scenario, not one of these runs, and its "
                     "shortfall can lie outside the range, higher or lower (docs/model.md §7.4).")
    return "\n".join(lines)


#: Service level below which the ensemble console says when each group ran short (time_to_survive's default).
WHEN_THRESHOLD = 0.95


def format_when(results: EnsembleResults, threshold: float = WHEN_THRESHOLD) -> str:
    """When each group (regions with demand, then all) fell below ``threshold`` service over the runs, and recovered.

    One line per group that fell below in some run: in how many runs (a share with the decimals the count
    tells apart, `share_of_runs`), the day from the shock day with its date (the median and its 5-95 %
    range over those runs when they differ), then in how many of them it recovered (``time_to_recover``'s
    defaults) and the median day (docs/model.md §8.2, *When*); one line names the groups never below.
    Empty for an archive written before the timing was kept.

    Examples
    --------
    >>> from supplychain import simulate
    >>> from supplychain.analytics._toy import single_source_network
    >>> from supplychain.analytics.stress import knockout_scenario
    >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=15, horizon_days=60)
    >>> print(format_when(simulate(sc, engine="vector", seed=0, keep="summary")))
    When service fell below 95% (days from the shock day, 2025-01-01; recovered: back at 99% for 14 days):
      US   in the run, from day 11 (2025-01-12); recovered, by day 16 (2025-01-17)
      ALL  in the run, from day 11 (2025-01-12); recovered, by day 16 (2025-01-17)
    """
    import numpy as np

    from ..engines.summary import RECOVER_AT, SUSTAIN_DAYS
    if results.days_below is None:
        return ""
    below, back = results.timing("below", threshold), results.timing("recover", threshold)
    pct = f"{threshold * 100:g}%"
    shock = results.scenario.shock_day or 0
    lines = [f"When service fell below {pct} (days from the shock day, {results.scenario.date_of(shock)}; "
             f"recovered: back at {RECOVER_AT * 100:g}% for {SUSTAIN_DAYS} days):"]

    def day(values: np.ndarray, spread: bool) -> str:
        lo, mid, hi = (int(round(float(x))) for x in np.percentile(values, [5, 50, 95]))
        date = results.scenario.date_of(shock + mid)
        if lo == hi:
            return f"day {mid} ({date})"
        return f"day {mid} (median, {date}" + (f"; 5-95%: {lo}-{hi})" if spread else ")")

    never = []
    width = max(len(g) for g in results.band_groups)
    n = results.n_runs
    for g, group in enumerate(results.band_groups):
        hit = np.isfinite(below[:, g])
        if not hit.any():
            never.append(group)
            continue
        done = np.isfinite(back[hit, g])
        k, m = int(hit.sum()), int(done.sum())
        line = f"  {group:<{width}}  in {_runs(k, n)}, from {day(below[hit, g], True)}; "
        if m == 0:
            line += "not recovered by the end" + (" in any of them" if k > 1 else "")
        else:
            line += ("recovered" if k == 1 else "recovered in all of them" if m == k
                     else f"recovered in {m:,} of them ({share_of_runs(m, k)})")
            line += f", by {day(back[hit, g][done], False)}"
        lines.append(line)
    if never:
        lines.append(f"  Never below {pct} in any run: {', '.join(never)}.")
    return "\n".join(lines)
