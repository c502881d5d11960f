"""The most critical node for US logic chips: a stress test aimed at one demand.

Covers:
- ``stress_test(network, target="US:logic_chip")``: every facility, region-stage and
  exporter upstream of US logic-chip demand knocked out in turn, ranked by the US
  logic-chip shortfall each causes (simulated, beyond the baseline)
- a bar chart of the ten most critical knockouts

Scenario:
  Each knockout stops one node for half the horizon (180 days by default), then the
  network recovers for the other half. Fabs take 40 to 80 days from wafer start to
  output and buyers hold weeks of cover, so a short outage never reaches US buyers:
  the knockout must outlast the pipeline. Which single node would cost the United
  States the most logic chips, and how long does US supply survive its loss?
"""

import argparse
import tempfile

import matplotlib.pyplot as plt

import supplychain as sc
from supplychain.analytics.stress import stress_test

SEED = 2025


def main(horizon: int, out: str) -> None:
    network = sc.load_baseline().network
    ranked = stress_test(network, duration_days=horizon // 2, recovery_days=horizon - horizon // 2,
                         method="simulation", target="US:logic_chip", seed=SEED)
    top = ranked.head(10)
    for name, row in top.head(5).iterrows():
        print(f"{row['rank']:>2}. {name:<28} US logic-chip shortfall ${row.target_shortfall_usd / 1e9:5.2f}bn, "
              f"fill rate {row.target_fill_rate:.1%}, survives {row.target_tts_days:.0f} days")
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.barh(top.index[::-1], top["target_shortfall_usd"][::-1] / 1e9)
    ax.set_xlabel(f"US logic-chip shortfall beyond the baseline ($bn, {horizon} days)")
    ax.set_title(f"Knock out one node for {horizon // 2} days: what the US loses")
    fig.savefig(f"{out}/08_critical_node_logic_chips.png", dpi=90, bbox_inches="tight")
    print(f"saved {out}/08_critical_node_logic_chips.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=360, help="days to simulate per knockout")
    parser.add_argument("--out", default=None, help="folder for the figure (default: a new temporary folder)")
    args = parser.parse_args()
    main(args.horizon, args.out or tempfile.mkdtemp())   # made only when no folder is given
