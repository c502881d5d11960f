"""China's gallium and germanium export licensing, 2023, against what was observed.

Covers:
- ``ExportControl(mode="licence")``: applications with a random delay, approved or denied whole
- front-loading between the announcement (3 Jul 2023) and the start (1 Aug 2023)
- paired runs, ``compare`` and the licence draws' spread over runs (baseline runs identical by design)

Scenario:
  MOFCOM/GACC Announcement 23/2023 put Ga and Ge exports under licence from 1 Aug 2023; licences took
  about 60 days (Reuters, citing Tradium, 2023). Each order for Chinese Ga/Ge (crude gallium too) waits
  45-75 days, then is approved with probability APPROVAL or denied (and re-ordered); orders from the US
  are all denied (China's customs recorded no Ga or Ge exports to the US in 2024: Project Blue, 2024).
"""

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import supplychain as sc
from supplychain.analytics.compare import compare, format_usd
from supplychain.model import ExportControl, Uniform
from supplychain.plotting import shade_shocks
from supplychain.run.simulate import identical_runs_expected

SEED = 2023
N_RUNS = 20
START = dt.date(2023, 6, 1)
HORIZON_DAYS = 462                      # exports are known through July 2024 (arrivals lag 35 days)
ANNOUNCED, EFFECTIVE = dt.date(2023, 7, 3), dt.date(2023, 8, 1)
APPROVAL = 0.5                          # assumption: half of the applied volume is approved
DELAY = Uniform(45.0, 75.0)             # days; ~60 days observed (Tradium/Reuters)
# China's exports vs the same month a year earlier (GACC data via Reuters, 2023); Ge Jul 2023 vs Jun 2023 (">2x").
OBSERVED = {"gallium": {"2023-08": 0.0, "2023-11": 1530 / 5611},
            "germanium": {"2023-07": 2.0, "2023-08": 0.0, "2023-11": 721 / 5488}}
CONTROLLED = {"gallium": ("gallium", "gallium_crude"), "germanium": ("germanium",)}
LATER = "Observed later: Ga exports hit a record 11.5 t in Jul 2024; Ge Jan-Sep 2024 was 51 % of Jan-Sep 2023"


def cleared_exports(res, commodities, lag=35):
    """Units leaving China (licence wait over) for other regions per month, one column per run."""
    out = np.where(np.arange(res.n_days) < res.n_days - lag, 0.0, np.nan)[None].repeat(res.n_runs, 0)
    for j, lane in enumerate(res.coords.lane):
        src, dst = res.coords.region["lane"][j].split(">")
        if res.coords.commodity["lane"][j] in commodities and src == "CN" != dst:
            k = int(np.ceil(res.scenario.network.lane(lane).lead_time.mean))  # arrivals lag <= `lag` days
            out[:, :res.n_days - lag] += res.arrivals[:, k:res.n_days - lag + k, j]
    return pd.DataFrame(out.T, pd.to_datetime(res.dates)).resample("MS").sum(min_count=28)  # NaN: not yet known


def main(horizon, out):
    base = sc.load_baseline(horizon_days=horizon, start_date=START)
    # One regime per destination group (crude gallium goes to refiners in Japan and the rest of the world only).
    regimes = ({"except_destinations": ("US",), "approval_probability": APPROVAL},
               {"destinations": ("US",), "approval_probability": 0.0})   # China customs; Project Blue, 8 Oct 2024
    shocks = [ExportControl(exporter="CN", commodity=c, mode="licence", processing_delay=DELAY, start=EFFECTIVE,
                            announced=ANNOUNCED, **regime)
              for family in CONTROLLED.values() for c in family
              for regime in (regimes[:1] if c == "gallium_crude" else regimes)]
    s = sc.simulate(base.with_shocks(*shocks, name="Ga/Ge licensing"), engine="vector", n_runs=N_RUNS, seed=SEED)
    with identical_runs_expected():  # nothing random without the licences: the runs only pair the shocked ones
        b = sc.simulate(base, engine="vector", n_runs=N_RUNS, seed=SEED)
    axes = (fig := Figure(figsize=(11, 4))).subplots(1, 2, sharey=True)
    for ax, commodity in zip(axes, ("gallium", "germanium")):
        base_mean = cleared_exports(b, CONTROLLED[commodity]).mean(axis=1)
        runs = cleared_exports(s, CONTROLLED[commodity]).div(base_mean, axis=0).dropna()
        ratio, (lo, hi) = runs.mean(axis=1), np.percentile(runs, [5, 95], axis=1)
        print(f"China {commodity} exports, model relative to baseline (mean, 5-95 % of {N_RUNS} runs' licence draws):")
        for month, value, low, high in zip(ratio.index, ratio, lo, hi):
            seen = OBSERVED[commodity].get(month.strftime("%Y-%m"))
            print(f"  {month:%Y-%m}  model {value:5.2f} ({low:4.2f}-{high:4.2f})"
                  + ("" if seen is None else f"   observed {seen:4.2f}"))
        ax.bar(ratio.index, ratio.values, width=20, label="model, month")
        seen = pd.Series(OBSERVED[commodity]).set_axis(pd.to_datetime(list(OBSERVED[commodity]))).reindex(ratio.index)
        ax.plot(seen.index, seen, "r*", ms=12, label="observed (months the model reports)")
        ax.axhline(1.0, color="0.2", linewidth=0.8, linestyle="--", label="baseline = 1")
        shade_shocks(ax, s.scenario).set_title(f"China {commodity} exports relative to the baseline")
        ax.legend(fontsize="small", loc="upper right")
    axes[0].set_ylabel("exports / baseline, same month")
    fig.autofmt_xdate()
    print(f"{LATER} (China customs; USGS MCS 2026).")
    table = compare(s, baseline=b)
    w = table[table.metric == "shortfall_usd"].sort_values("change").iloc[-1]   # chip buyers: a row per end use
    print(f"Largest shortfall change: {format_usd(w.change, sign=True)} ({f'{w.region} {w.commodity} {w.segment}'.strip()})")
    share = table[(table.metric == "import_share") & (table.partner == "CN")]
    for r in share[share.commodity.isin(CONTROLLED["gallium"])].itertuples():
        print(f"  {r.region} {r.commodity} import share from CN: {r.baseline:.2f} -> {r.shocked:.2f}")
    Path(out).mkdir(parents=True, exist_ok=True)
    fig.savefig(path := Path(out) / "01_gallium_germanium_licensing.png", dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the plot")
    main(**vars(parser.parse_args()))
