"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers:
- ``Results.value_added_loss``: shortfalls of chips mapped to the industries that use them and
  propagated through an input-output table with an ARIO-type kernel (docs/model.md §8.3)
- ``gdp_at_risk``: value added lost by region against the paired unshocked baseline
- ``plot_value_added_loss``: losses by region and industry

Scenario:
  ``examples/chip_shortage_2021.toml``: a 17 % surge in mature-chip demand against fabs at full
  utilisation, users and packagers holding ~5 days of chips (US Commerce RFI, 2022), the Texas
  storm, the Renesas Naka fire and Malaysia's lockdown. The motor-vehicle industry's lost output
  is set beside AlixPartners' estimate (23 Sep 2021: 7.7 M vehicles, 210 bn USD of revenue in 2021)
  and AutoForecast Solutions' count (Jan 2022: 10.2 M vehicles cut from 2021 plans).
"""

import argparse
import tempfile
from pathlib import Path

import supplychain as sc
from supplychain.analytics import gdp_at_risk
from supplychain.impact import load_io_table
from supplychain.io.scenario import load_scenario
from supplychain.plotting import plot_value_added_loss

SEED = 2021
#: World motor-vehicle production 2019, the last year before the pandemic (OICA production statistics).
WORLD_VEHICLES_2019 = 91.8e6
PUBLISHED = {"AlixPartners (Sep 2021)": (7.7e6, 210e9), "AutoForecast Solutions (Jan 2022)": (10.2e6, None)}


def auto_losses(loss, table):
    """Vehicles and assemblers' revenue lost: C29 output lost, net of parts sold within C29."""
    j = table.sectors.index("C29")
    n_s = len(table.sectors)
    v = table.value_added.reshape(-1, n_s)[:, j]
    gross = (loss.total.mean(axis=0)[:, j] / v).sum()               # C29 gross output lost, USD
    share = gross / table.output[:, j].sum()
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    return share * WORLD_VEHICLES_2019, gross * (1.0 - inside), share


def main(horizon: int, out: str) -> None:
    scenario = load_scenario(Path(__file__).with_name("chip_shortage_2021.toml")).with_horizon(horizon)
    shocked = sc.simulate(scenario, engine="vector", seed=SEED)
    base = sc.simulate(scenario.without_shocks(), engine="vector", seed=SEED)
    table = load_io_table()
    loss = shocked.value_added_loss()
    chips = shocked.summary().query("commodity == 'mature_chip'")
    print(f"Mature-chip shortfall: {chips.shortfall_usd.sum() / 1e9:,.1f} bn USD "
          f"({chips.shortfall.sum() / chips.demand.sum():.1%} of demand) over {horizon} days")
    risk = gdp_at_risk(shocked, baseline=base)
    for region, row in risk.iterrows():
        print(f"  value added lost {region:<4}{row.loss_mean_usd / 1e9:8.1f} bn USD "
              f"({row.gdp_at_risk_share:.2%} of GDP)")
    units, revenue, share = auto_losses(loss, table)
    print(f"\nMotor vehicles (C29), {horizon} days: output {share:.1%} below normal")
    print(f"{'':34}{'vehicles lost':>15}{'revenue lost':>16}")
    print(f"{'model':34}{units / 1e6:13.1f} M{revenue / 1e9:12.0f} bn USD")
    for name, (n, usd) in PUBLISHED.items():
        shown = f"{usd / 1e9:12.0f} bn USD" if usd else f"{'n/a':>19}"
        print(f"{name:34}{n / 1e6:13.1f} M{shown}")
    ax = plot_value_added_loss(loss)
    ax.set_title("2021 chip shortage (approximation): value added lost")
    ax.figure.savefig(f"{out}/09_chip_shortage_2021.png", dpi=90, bbox_inches="tight")
    print(f"saved {out}/09_chip_shortage_2021.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days to simulate")
    parser.add_argument("--out", default=tempfile.mkdtemp(), help="folder for the figure")
    main(**vars(parser.parse_args()))
