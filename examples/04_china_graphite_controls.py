"""China's graphite export controls from 1 December 2023 and Korean and Japanese anode makers.

Covers:
- ``ExportControl(mode="licence")`` announced six weeks ahead, with front-loading
- a sweep over the approval probability, run on the vector engine
- ``compare``: output change (a gain where other makers take over China's sales), shortfall, sourcing

Scenario:
  MOFCOM announced on 20 Oct 2023 that from 1 Dec 2023 natural flake graphite
  and its products (spherical graphite) and high-purity synthetic graphite and
  its products would need export licences, which took about 45 days
  (MOFCOM/GACC Announcement 39/2023, items 1-2; Reuters, citing Tradium, 2023):
  flake, spherical graphite and both kinds of Chinese anode material
  (natural and synthetic). A cell's natural/synthetic blend is fixed by its
  qualified design (a new anode material takes about two years to qualify). Korea
  buys all of its spherical graphite from China and Japan about 90 %. Buyers
  hold 60 days of graphite and front-load up to FRONT_LOAD_DAYS more before the
  start. How much anode material (AAM) do Korea and Japan lose as fewer
  applications are approved?
"""

import argparse
import datetime as dt
from pathlib import Path

import matplotlib

import supplychain as sc
from supplychain.analytics.compare import compare, format_usd
from supplychain.model import ExportControl, Fixed
from supplychain.plotting import plot_timeseries, shade_shocks
from supplychain.run.simulate import identical_runs_expected

matplotlib.use("Agg")
import matplotlib.pyplot as plt

SEED = 20231201
N_RUNS = 10
START = dt.date(2023, 10, 1)
HORIZON_DAYS = 274                       # to the end of June 2024
ANNOUNCED, EFFECTIVE = dt.date(2023, 10, 20), dt.date(2023, 12, 1)
DELAY = Fixed(45.0)                      # days (Reuters, citing Tradium, 2023)
FRONT_LOAD_DAYS = 30.0                   # extra cover bought before the start (assumption; Fastmarkets 2023: 1-3 months)
APPROVALS = (0.7, 0.2, 0.05, 0.0)        # share of applications approved (swept; 0 = ban)
#: commodities Announcement 39/2023 puts under licence: natural flake, spherical graphite, anode material
CONTROLLED = ("graphite_ore", "graphite_spherical", "aam", "aam_synthetic")
#: natural- and synthetic-graphite anode plants
AAM = ("KR.material.aam", "KR.material.aam_synthetic", "JP.material.aam", "JP.material.aam_synthetic")


def main(horizon, out):
    base = sc.load_baseline(horizon_days=horizon, start_date=START)
    with identical_runs_expected():  # nothing random without the licences: the runs only pair the shocked ones
        b = sc.simulate(base, engine="vector", n_runs=N_RUNS, seed=SEED)
    fig, ax = plt.subplots(figsize=(9, 4))
    for p in APPROVALS:
        controls = [ExportControl(exporter="CN", commodity=c, mode="licence", approval_probability=p,
                                  processing_delay=DELAY, start=EFFECTIVE, announced=ANNOUNCED,
                                  front_load_days=FRONT_LOAD_DAYS) for c in CONTROLLED]
        res = sc.simulate(base.with_shocks(*controls, name=f"approval {p:.0%}"), engine="vector",
                          n_runs=N_RUNS, seed=SEED)
        print(f"Approval probability {p:.0%} (output against the baseline; + is a gain, - a loss):")
        for fid in AAM:
            j = res.coords.index("facility", fid)
            change = res.production[:, :, j].sum(axis=1) / b.production[:, :, j].sum(axis=1) - 1  # + is a gain
            print(f"  {fid}: anode output {change.mean():+6.1%} (runs {change.min():+.1%} to {change.max():+.1%})")
        kr = [res.coords.index("facility", f) for f in AAM if f.startswith("KR.")]
        change = res.production[:, :, kr].sum(axis=(1, 2)) / b.production[:, :, kr].sum(axis=(1, 2)) - 1
        print(f"  KR anode output (natural + synthetic) {change.mean():+6.1%}")
        table = compare(res, baseline=b)
        for region in ("KR", "JP"):
            share = table[(table.region == region) & (table.commodity == "graphite_spherical")
                          & (table.metric == "import_share") & (table.partner == "CN")].iloc[0]
            print(f"  {region} spherical graphite bought from China: {share.baseline:.1%} -> {share.shocked:.1%}")
        cells = table[(table.commodity == "li_ion_cell") & (table.metric == "shortfall_usd")]["change"].sum()
        print(f"  Li-ion cell shortfall, all regions: {format_usd(cells, sign=True)}")
        plot_timeseries(res, "production", "KR.material.aam", ax=ax, band=None)
        ax.lines[-1].set_label(f"KR anode output, approval {p:.0%}")
    flows = [j for j, r in enumerate(b.coords.region["lane"])
             if r.startswith("CN>") and not r.endswith(">CN") and b.coords.commodity["lane"][j] == "graphite_spherical"]
    days = (ANNOUNCED - START).days, (EFFECTIVE - START).days
    if days[1] <= horizon:
        ratio = res.flow[:, days[0]:days[1], flows].sum() / b.flow[:, days[0]:days[1], flows].sum()
        print(f"Front-loading: China's spherical-graphite shipments between announcement and start were "
              f"{ratio:.2f}x the baseline (observed: Japanese buyers 'prepared inventory', Fastmarkets).")
    plot_timeseries(b, "production", "KR.material.aam", ax=ax, band=None, color="k", linestyle="--")
    ax.lines[-1].set_label("KR anode output, baseline")
    shade_shocks(ax, res.scenario).legend(fontsize="small", loc="lower left")
    ax.set_title(f"Korean anode-material output under China's graphite licensing (mean of {N_RUNS} runs)")
    Path(out).mkdir(parents=True, exist_ok=True)
    path = Path(out) / "04_china_graphite_controls.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=HORIZON_DAYS, help="days to simulate")
    parser.add_argument("--out", default=".", help="folder for the plot")
    main(**vars(parser.parse_args()))
