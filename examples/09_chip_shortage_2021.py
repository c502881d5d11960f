"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers:
- ``Results.value_added_loss`` (ARIO, model.md §8.3), ``gdp_at_risk``, ``chain_shortfall_usd``, ``plot_value_added_loss``

Scenario:
  None fitted to the published losses. Mature-chip demand +17 % over 2019 (US Commerce, semiconductor RFI, Jan 2022), all
  delivered (assumed: the RFI says supply lagged, gives no volume); 5 days of chips and wafers at users, packagers and fabs
  (RFI: users' median 40 in 2019, under 5 in 2021). Texas storm (15 Feb, ~6 weeks, 30 % of US mature capacity); Renesas
  fire (N3 stopped 19 Mar-17 Apr, full 24 Jun: Renesas, 2021; 10 % of Japan's); Malaysia (Jun-Sep, 30 % of ROW's back end).
"""

import argparse
import dataclasses
import datetime as dt

import supplychain as sc
from supplychain.analytics import chain_shortfall_usd, gdp_at_risk
from supplychain.analytics.compare import format_usd
from supplychain.impact import load_io_table
from supplychain.plotting import plot_value_added_loss

SEED = 2021
REGIONS = ("JP", "KR", "US", "CN", "TW", "ROW")
WORLD_VEHICLES_2019 = 91.8e6   # world motor-vehicle production 2019 (OICA production statistics)
PUBLISHED = {"AlixPartners (Sep 2021)": (7.7e6, 210e9), "AutoForecast Solutions (Jan 2022)": (10.2e6, None)}
MATURE, IDM = ("mature_chip", "mature_wafer"), ("mature_idm_chip", "mature_idm_wafer")   # foundry-, IDM-made: 2021 hit both
LEAN_DAYS, RUN = 5.0, 0.75   # 2025 baseline fabs run at ~75 %


def lean_start(net: sc.Network, days: float = LEAN_DAYS) -> sc.Network:
    """``net`` holding and aiming at ``days`` of use of mature chips and wafers at users, packagers and fabs (2021)."""
    lean = sc.DaysOfCover(days)   # the normal stock the prices read too (a cover change on top would count twice)
    demands = [dataclasses.replace(d, initial_inventory=days * d.rate_per_day, policy=lean) if d.commodity in MATURE + IDM else d
               for d in net.demands]
    facilities = [dataclasses.replace(f, initial_inventory={**dict(f.initial_inventory), **{
        k: days * RUN * f.capacity_per_day * dict(f.recipe).get(k, 1.0) for k, _ in f.policies if k in MATURE + IDM}},
        policies={k: lean if k in MATURE + IDM and k != f.output else p for k, p in f.policies}) if f.output in MATURE + IDM else f for f in net.facilities]
    return dataclasses.replace(net, demands=tuple(demands), facilities=tuple(facilities))


def shortage_2021(horizon: int = 365, disruptions: bool = True) -> sc.Scenario:
    """The 2021 shortage on the built-in baseline (module docstring); without the three disruptions if not asked."""
    day0 = dt.date(2021, 1, 1)
    shocks = [sc.DemandShock(region=r, commodity=c, factor=1.17, start=day0) for r in REGIONS for c in (MATURE[0], IDM[0])]
    shocks += [sc.CapacityShock(facility=f"{r}.{s}.{w}", fraction_lost=round(1 - RUN * 1.17, 4), recovery_days=0,
                                start=day0) for r in REGIONS for s in ("fab", "fab_new") for w in (MATURE[1], IDM[1]) if r != "TW" or w == MATURE[1]]
    hits = [("US.fab.mature_wafer", 0.3, 0, (2, 15), (3, 31)), ("JP.fab.mature_wafer", 0.1, 68, (3, 19), (4, 17)),
            ("ROW.packaging.mature_chip", 0.3, 30, (6, 1), (9, 30))]   # Texas storm, Renesas fire, Malaysia's lockdown
    shocks += [sc.CapacityShock(facility=f.replace("mature_", k), fraction_lost=x, recovery_days=r, start=dt.date(2021, *a),
                             end=dt.date(2021, *b)) for f, x, r, a, b in hits for k in ("mature_", "mature_idm_")] if disruptions else []
    base = sc.load_baseline(horizon_days=horizon, start_date=day0)
    return base.replace(network=lean_start(base.network), name="2021 chip shortage").with_shocks(*shocks)


def auto_losses(res, loss, table):
    """Vehicles lost by region, assemblers' revenue lost (net of parts sold within C29), cars' mature chips a year."""
    j, n_s, net = table.sectors.index("C29"), len(table.sectors), res.scenario.network
    gross = loss.total.mean(axis=0)[:, j] / table.value_added.reshape(-1, n_s)[:, j]   # C29 output lost by region
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    chips = 365.0 * res.demand[..., [d.commodity == MATURE[0] for d in net.demands]].sum(axis=-1).mean()
    cars = chips * net.commodity(MATURE[0]).price_usd * table.use[MATURE[0]][j]   # USD at reference prices
    return gross / table.output[:, j].sum() * WORLD_VEHICLES_2019, gross.sum() * (1.0 - inside), cars


def main(horizon: int, out: str | None) -> None:
    scenario, calm = shortage_2021(horizon), shortage_2021(horizon, disruptions=False)   # calm: nothing is short
    shocked, base, calm = (sc.simulate(s, engine="vector", seed=SEED) for s in (scenario, scenario.without_shocks(), calm))
    loss, table = shocked.value_added_loss(), load_io_table()
    short, at_risk = (chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean(), gdp_at_risk(shocked, baseline=base)
    for region, row in at_risk.iterrows():
        print(f"  value added lost {region:<4}{format_usd(row.loss_mean_usd):>8} ({row.gdp_at_risk_share:.2%} of GDP)")
    fab = [f.output == "mature_wafer" for f in scenario.network.facilities]   # wafers not made: capacity lost, idling
    stopped = (calm.production - shocked.production)[..., fab].sum() * scenario.network.commodity(MATURE[0]).price_usd
    print(f"Loss given shortfall: ${at_risk.loc['ALL', 'loss_mean_usd'] / short:.1f} of value added per $1 of chips "
          f"not delivered ({format_usd(short)} over {horizon} days),\n{short / stopped:.1f} times the wafers the "
          f"disruptions stopped ({format_usd(stopped)}; why: docs/assumptions.md, '2021 chip shortage')")
    units, revenue, cars = auto_losses(shocked, loss, table)
    print(f"\nMotor vehicles (C29), {horizon} days: output {units.sum() / WORLD_VEHICLES_2019:.1%} below normal\n"
          f"{'':34}{'vehicles lost':>15}{'revenue lost':>16}")
    for name, (n, usd) in {"model": (units.sum(), revenue), **PUBLISHED}.items():
        print(f"{name:34}{n / 1e6:13.1f} M{format_usd(usd) if usd else 'n/a':>16}")
    print("model by region: " + ", ".join(f"{r} {n / 1e6:.2f} M" for r, n in zip(table.regions, units)))
    ceiling = stopped / cars * WORLD_VEHICLES_2019   # vehicles, had every wafer stopped been a car's chip
    need = "-".join(format_usd(n / WORLD_VEHICLES_2019 * cars) for n, _ in PUBLISHED.values())
    print(f"\nWhy below: had every wafer the disruptions stopped been a car's chip, {ceiling / 1e6:.1f} M vehicles would "
          f"be lost;\nthe published losses need {need} of cars' {format_usd(cars)} a year of mature chips missing: the "
          f"rest is\ndemand beyond what fabs delivered (left out here), double ordering and single-sourced parts.")
    if out is None:
        return print("figure not written: --out DIR saves it")
    (ax := plot_value_added_loss(loss)).set_title("2021 chip shortage (approximation): value added lost")
    ax.figure.savefig(f"{out}/09_chip_shortage_2021.png", dpi=90, bbox_inches="tight")
    print(f"saved {out}/09_chip_shortage_2021.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days to simulate")
    parser.add_argument("--out", default=None, help="folder for the figure (default: no figure)")
    main(**vars(parser.parse_args()))
