"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers:
- ``Results.value_added_loss``: chip shortfalls mapped to the industries that use them and propagated
  through an input-output table with an ARIO-type kernel (docs/model.md §8.3); ``gdp_at_risk``;
  ``plot_value_added_loss`` (losses by region and industry)

Scenario:
  Each assumption stated, none fitted to the published losses. 2021 mature-chip demand 17 % above the
  steady state (world chip sales +26.2 %, 440.4 -> 555.9 bn USD, SIA/WSTS Feb 2022, less ~8 points of
  price rises); sales measure what was delivered, and SIA reports record output ("production ramped up to
  unprecedented levels"), so mature fabs can deliver those 17 % more and no more (the 2025 baseline runs
  them at ~75 %: capacity cut to 0.75 x 1.17 of it); users, packagers and fabs start 2021 with 5 days of
  chips and wafers and keep 5 days (US Commerce RFI results, 25 Jan 2022: median inventory of users down
  from 40 days in 2019 to under 5 days in 2021), instead of the 2025 baseline's weeks; the Texas
  storm (Austin fabs from 15 Feb for ~6 weeks, 30 % of US mature capacity), the Renesas Naka fire
  (19 Mar, 10 % of Japan's, back by July) and Malaysia's lockdown (Jun-Sep, 30 % of the rest of the
  world's back end): shares are our estimates. The motor-vehicle industry's lost output is set beside
  AlixPartners (23 Sep 2021: 7.7 M vehicles, 210 bn USD) and AutoForecast Solutions (Jan 2022: 10.2 M).
"""

import argparse
import dataclasses
import datetime as dt
import tempfile

import supplychain as sc
from supplychain import CapacityShock, DemandShock, SafetyStockChange
from supplychain.analytics import gdp_at_risk
from supplychain.cli.impact_text import chain_shortfall_usd
from supplychain.impact import load_io_table
from supplychain.plotting import plot_value_added_loss

SEED = 2021
REGIONS = ("JP", "KR", "US", "CN", "TW", "ROW")
WORLD_VEHICLES_2019 = 91.8e6   # world motor-vehicle production 2019 (OICA production statistics)
PUBLISHED = {"AlixPartners (Sep 2021)": (7.7e6, 210e9), "AutoForecast Solutions (Jan 2022)": (10.2e6, None)}


LEAN_DAYS = 5.0          # chip and wafer stocks at the start of 2021, days of use (US Commerce RFI, Jan 2022)
MATURE = ("mature_chip", "mature_wafer")
UTILISATION = 0.75       # the 2025 baseline's mature fabs and packagers run at about 75 % of capacity
DELIVERED_GROWTH = 1.17  # 2021 chip sales in volume over 2020 (SIA/WSTS Feb 2022: +26.2 % in value less ~8 of prices)
HEADROOM_CUT = round(1.0 - UTILISATION * DELIVERED_GROWTH, 4)   # mature fabs can deliver what was sold, no more


def lean_start(network: sc.Network, days: float = LEAN_DAYS) -> sc.Network:
    """The network with mature chips and wafers held at ``days`` of use everywhere on 1 Jan 2021.

    The baseline starts at its 2025 steady state, with weeks of chips at users and wafers at fabs
    and packagers; in January 2021 these had been drawn down by the rebound of the second half of
    2020, so users, packagers and fabs start with ``days`` of their daily use.
    """
    demands = [dataclasses.replace(d, initial_inventory=days * d.rate_per_day)
               if d.commodity in MATURE else d for d in network.demands]
    facilities = []
    for f in network.facilities:
        if f.output in MATURE:
            run = UTILISATION * f.capacity_per_day
            use = {f.output: run, **{k: a * run for k, a in f.recipe}}
            stock = {k: days * use[k] for k, _ in f.policies if k in MATURE}
            f = dataclasses.replace(f, initial_inventory={**dict(f.initial_inventory), **stock})
        facilities.append(f)
    return dataclasses.replace(network, demands=tuple(demands), facilities=tuple(facilities))


def shortage_2021(horizon: int = 365) -> sc.Scenario:
    """The 2021 shortage on the built-in baseline (the assumptions of the module docstring)."""
    day0 = dt.date(2021, 1, 1)
    shocks = [DemandShock(region=r, commodity="mature_chip", factor=1.17, start=day0) for r in REGIONS]
    shocks += [CapacityShock(facility=f"{r}.{s}.mature_wafer", fraction_lost=HEADROOM_CUT, recovery_days=0,
                             start=day0) for r in REGIONS for s in ("fab", "fab_new")]
    shocks += [SafetyStockChange(region=r, commodity=c, cover_days=5.0, start=day0)
               for r in REGIONS for c in ("mature_chip", "mature_wafer")]
    shocks += [CapacityShock(facility="US.fab.mature_wafer", fraction_lost=0.3, recovery_days=0,
                             start=dt.date(2021, 2, 15), end=dt.date(2021, 3, 31)),
               CapacityShock(facility="JP.fab.mature_wafer", fraction_lost=0.1, recovery_days=90,
                             start=dt.date(2021, 3, 19), end=dt.date(2021, 4, 9)),
               CapacityShock(facility="ROW.packaging.mature_chip", fraction_lost=0.3, recovery_days=30,
                             start=dt.date(2021, 6, 1), end=dt.date(2021, 9, 30))]
    base = sc.load_baseline(horizon_days=horizon, start_date=day0)
    base = base.replace(network=lean_start(base.network))
    return base.with_shocks(*shocks).replace(name="2021 chip shortage (approximation)")


def auto_losses(loss, table):
    """Vehicles and assemblers' revenue lost: C29 output lost, net of parts sold within C29."""
    j, n_s = table.sectors.index("C29"), len(table.sectors)
    gross = (loss.total.mean(axis=0)[:, j] / table.value_added.reshape(-1, n_s)[:, j]).sum()
    share = gross / table.output[:, j].sum()
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    return share * WORLD_VEHICLES_2019, gross * (1.0 - inside), share


def main(horizon: int, out: str) -> None:
    scenario = shortage_2021(horizon)
    shocked = sc.simulate(scenario, engine="vector", seed=SEED)
    base = sc.simulate(scenario.without_shocks(), engine="vector", seed=SEED)
    loss, table = shocked.value_added_loss(), load_io_table()
    chips = shocked.summary().query("commodity == 'mature_chip'")
    print(f"Mature-chip shortfall: {chips.shortfall_usd.sum() / 1e9:,.1f} bn USD "
          f"({chips.shortfall.sum() / chips.demand.sum():.1%} of demand) over {horizon} days")
    at_risk = gdp_at_risk(shocked, baseline=base)
    for region, row in at_risk.iterrows():
        print(f"  value added lost {region:<4}{row.loss_mean_usd / 1e9:8.1f} bn USD "
              f"({row.gdp_at_risk_share:.2%} of GDP)")
    short = chain_shortfall_usd(shocked) - chain_shortfall_usd(base)
    print(f"Loss given shortfall: {at_risk.loc['ALL', 'loss_mean_usd'] / short.mean():.1f} USD of value added "
          f"per USD of chips, cells and magnets not delivered ({short.mean() / 1e9:.1f} bn USD)")
    units, revenue, share = auto_losses(loss, table)
    print(f"\nMotor vehicles (C29), {horizon} days: output {share:.1%} below normal")
    print(f"{'':34}{'vehicles lost':>15}{'revenue lost':>16}")
    print(f"{'model':34}{units / 1e6:13.1f} M{revenue / 1e9:12.0f} bn USD")
    for name, (n, usd) in PUBLISHED.items():
        print(f"{name:34}{n / 1e6:13.1f} M" + (f"{usd / 1e9:12.0f} bn USD" if usd else f"{'n/a':>19}"))
    ax = plot_value_added_loss(loss)
    ax.set_title("2021 chip shortage (approximation): value added lost")
    ax.figure.savefig(f"{out}/09_chip_shortage_2021.png", dpi=90, bbox_inches="tight")
    print(f"saved {out}/09_chip_shortage_2021.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days to simulate")
    parser.add_argument("--out", default=tempfile.mkdtemp(), help="folder for the figure")
    main(**vars(parser.parse_args()))
