"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers:
- ``Results.value_added_loss`` (ARIO, model.md §8.3), ``gdp_at_risk``, ``chain_shortfall_usd``, ``plot_value_added_loss``

Scenario:
  Inputs from sources, none fitted. Mature chips (foundry- and IDM-made): demand +17 % over 2019 (US Commerce RFI, 2022); fabs at full
  (+13 %, UMC), none added; 5 days at packagers, fabs, users x own cover/40 (RFI: 40 in 2019, <5 in 2021). Texas storm (15 Feb, 6 wk,
  30 % of US); Renesas fire (IDM, 19 Mar-17 Apr, full 24 Jun, 10 % of JP); Malaysia (Jun-Sep, 30 % of ROW's back end).
"""

import argparse
import dataclasses
import datetime as dt

import supplychain as sc
from supplychain.analytics import chain_shortfall_usd, gdp_at_risk
from supplychain.analytics.compare import format_usd
from supplychain.impact import load_io_table
from supplychain.plotting import market_prices, plot_value_added_loss

SEED = 2021
WORLD_VEHICLES_2019 = 91.8e6   # world motor-vehicle production 2019 (OICA production statistics)
PUBLISHED = {"AlixPartners (Sep 2021)": (7.7e6, 210e9), "AutoForecast Solutions (Jan 2022)": (10.2e6, None)}
# AutoForecast Solutions' 11.26 M for 2021 (Automotive News, 12 Nov 2021); N. America and rest of Asia include ROW's part
AFS_REGIONS = {("US",): ("North America", 3.40e6), ("CN",): ("China", 2.15e6), ("JP", "KR", "TW"): ("rest of Asia", 1.95e6),
               ("ROW",): ("Europe, S. America, M. East, Africa", 3.32e6 + 0.375e6 + 0.071e6)}
MATURE = ("mature_chip", "mature_wafer", "mature_idm_chip", "mature_idm_wafer")   # foundry- and IDM-made: 2021 hit both
CHIPS, WAFERS, LEAN_DAYS, RUN = MATURE[::2], MATURE[1::2], 5.0, 0.75   # 2025 baseline fabs run at ~75 %
DEMAND, SUPPLY = 1.17, round(1.0 / 0.885, 4)   # 2021 over 2019: RFI demand; fabs from UMC's 88.5 % of 2019 to 100 %


def lean_start(net: sc.Network, days: float = LEAN_DAYS, allocation: str = "auto") -> sc.Network:
    """``net`` holding ``days`` of mature chips at packagers, fabs, users (their cover x days/40), rationing by ``allocation``."""
    lean = sc.DaysOfCover(days)   # the normal stock the prices read too (a cover change on top would count twice)
    demands = [dataclasses.replace(d, initial_inventory=(k := days * d.policy.days / 40.0) * d.rate_per_day, policy=sc.DaysOfCover(k))
               if d.commodity in MATURE else d for d in net.demands]   # each user segment's 2019 cover x 5/40 (RFI median)
    facilities = [dataclasses.replace(f, initial_inventory={**dict(f.initial_inventory), **{
        k: days * RUN * f.capacity_per_day * dict(f.recipe).get(k, 1.0) for k, _ in f.policies if k in MATURE}},
        policies={k: lean if k in MATURE and k != f.output else p for k, p in f.policies}, allocation=allocation)
        if f.output in MATURE else f for f in net.facilities]
    return dataclasses.replace(net, demands=tuple(demands), facilities=tuple(facilities))


def shortage_2021(horizon: int = 365, disruptions: bool = True, allocation: str = "auto") -> sc.Scenario:
    """The 2021 shortage on the built-in baseline (module docstring); without the three disruptions if not asked."""
    day0, base = dt.date(2021, 1, 1), sc.load_baseline(horizon_days=horizon, start_date=dt.date(2021, 1, 1))
    shocks = [sc.DemandShock(region=r.id, commodity=c, factor=DEMAND, start=day0) for r in base.network.regions for c in CHIPS]
    shocks += [sc.CapacityShock(facility=f.id, fraction_lost=round(1 - RUN * SUPPLY, 4), recovery_days=0, start=day0)
               for f in base.network.facilities if f.output in WAFERS]   # every mature fab, any stage
    jp = [base.network.facility(f"JP.fab.{w}").capacity_per_day for w in WAFERS]   # Texas storm, Renesas fire, Malaysia:
    hits = [(f"US.fab.{w}", 0.3, 0, (2, 15), (3, 31)) for w in WAFERS] + [(f"ROW.packaging.{c}", 0.3, 30, (6, 1), (9, 30))
            for c in CHIPS] + [("JP.fab.mature_idm_wafer", round(0.1 * sum(jp) / jp[1], 4), 68, (3, 19), (4, 17))]
    shocks += [sc.CapacityShock(facility=f, fraction_lost=x, recovery_days=r, start=dt.date(2021, *a),
                                end=dt.date(2021, *b)) for f, x, r, a, b in hits] if disruptions else []
    return base.replace(network=lean_start(base.network, allocation=allocation), name="2021 chip shortage").with_shocks(*shocks)


def auto_losses(loss, table):
    """Vehicles lost by region and assemblers' revenue lost (net of the parts C29 sells within C29)."""
    j, n_s = table.sectors.index("C29"), len(table.sectors)
    gross = loss.total.mean(axis=0)[:, j] / table.value_added.reshape(-1, n_s)[:, j]   # C29 output lost by region
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    return gross / table.output[:, j].sum() * WORLD_VEHICLES_2019, gross.sum() * (1.0 - inside)


def main(horizon: int, out: str | None) -> None:
    scenario, table = shortage_2021(horizon), load_io_table()
    shocked, base = (sc.simulate(s, engine="vector", seed=SEED) for s in (scenario, scenario.without_shocks()))
    loss, at_risk, peak = shocked.value_added_loss(), gdp_at_risk(shocked, baseline=base), market_prices(shocked, MATURE[0])[1].max()
    short = (chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean()   # peak: over the reference (§5.9, not fed back)
    print("\n".join(f"  value added lost {r:<4}{format_usd(x.loss_mean_usd):>8} ({x.gdp_at_risk_share:.2%} of GDP)" for r, x in at_risk.iterrows()))
    print(f"Loss given shortfall: ${at_risk.loc['ALL', 'loss_mean_usd'] / short:.1f} of value added per $1 of chips "
          f"not delivered ({format_usd(short)} over {horizon} days); mature-chip price peak {peak:.2f}x")
    gap = sum(x * (r.demand - r.delivered).sum(axis=(0, 1)) for x, r in ((1, shocked), (-1, base)))   # every car needs its chips:
    auto = [[k for k, d in enumerate(scenario.network.demands) if d.commodity in CHIPS and (d.segment, d.region) == ("automotive", r)]
            for r in table.regions]   # vehicles lost = the automotive buyers' shortfall share x vehicles made in the region
    c29, (units, revenue), dem = table.output[:, table.sectors.index("C29")], auto_losses(loss, table), shocked.demand.sum(axis=(0, 1))
    seg = c29 / c29.sum() * WORLD_VEHICLES_2019 * [gap[k].sum() / dem[k].sum() for k in auto]
    print(f"\nMotor vehicles, {horizon} days: C29 output {units.sum() / WORLD_VEHICLES_2019:.1%} below normal\n{'':34}{'vehicles lost':>15}{'revenue lost':>16}")
    model = {"model: C29 in the impact layer": (units.sum(), revenue), "model: automotive buyers' chips": (seg.sum(), None)}
    for name, (n, usd) in {**model, **PUBLISHED}.items():
        print(f"{name:34}{n / 1e6:13.1f} M{format_usd(usd) if usd else 'n/a':>16}")
    print(f"\n{'share by region':16}{'C29':>8}{'automotive buyers':>19}   AutoForecast Solutions (Nov 2021, 11.3 M)")
    for regions, (name, n) in AFS_REGIONS.items():
        share = [sum(u[table.regions.index(r)] for r in regions) / max(u.sum(), 1.0) for u in (units, seg)]
        print(f"{'+'.join(regions):16}{share[0]:8.0%}{share[1]:19.0%}   {n / 11.261e6:4.0%} {name}")
    print("\nThe readings differ by substitution (10 % of a short chip's use within 180 days, §8.3); automakers are not served last")
    if out is None:
        return print("figure not written: --out DIR saves it")
    plot_value_added_loss(loss).set_title("2021 chip shortage (approximation): value added lost").figure.savefig(
        f"{out}/09_chip_shortage_2021.png", dpi=90, bbox_inches="tight")
    print(f"saved {out}/09_chip_shortage_2021.png")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days to simulate")
    parser.add_argument("--out", default=None, help="folder for the figure (default: no figure)")
    main(**vars(parser.parse_args()))
