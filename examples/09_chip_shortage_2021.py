"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers:
- ``Results.value_added_loss`` (ARIO, model.md §8.3), ``gdp_at_risk``, ``chain_shortfall_usd``, ``plot_value_added_loss``,
  ``DemandShock(segment=...)`` (§6.8), turn-and-earn: ``Facility.allocation="recent"`` (§5.7)

Scenario:
  Inputs from sources, none fitted. 2020 first: automakers' chip demand moves with their quarterly output (Q2 -70 % US, -59 % Europe),
  electronics' +6.8 % (WSTS); mature fabs and packagers serve by recent purchases. 2021: mature-chip demand +17 % over 2019 (US Commerce RFI,
  2022); fabs at full (+13 %, UMC), none added; 5 days at packagers, fabs, users x own cover/40 (RFI: 40 in 2019, <5 in 2021). Texas storm
  (15 Feb, 6 wk, 30 % of US); Renesas fire (IDM, 19 Mar-17 Apr, full 24 Jun); Malaysia (Jun-Sep, 30 % of ROW's back end).
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
WORLD_VEHICLES_2019, PUBLISHED = 91.8e6, {"AlixPartners (Sep 2021)": (7.7e6, 210e9), "AutoForecast Solutions (Jan 2022)": (10.2e6, None)}
AFS_REGIONS = {("US",): ("North America", 3.40e6), ("CN",): ("China", 2.15e6), ("JP", "KR", "TW"): ("rest of Asia", 1.95e6),   # AutoForecast
               ("ROW",): ("Europe, S. America, M. East, Africa", 3.32e6 + 0.375e6 + 0.071e6)}   # Solutions' 11.26 M for 2021
# (Automotive News, 12 Nov 2021); N. America and rest of Asia include ROW's part. World vehicles 2019: OICA production statistics
MATURE = ("mature_chip", "mature_wafer", "mature_idm_chip", "mature_idm_wafer")   # foundry- and IDM-made: 2021 hit both
CHIPS, WAFERS, LEAN_DAYS, RUN = MATURE[::2], MATURE[1::2], 5.0, 0.75   # 2025 baseline fabs run at ~75 %
DEMAND, SUPPLY = 1.17, round(1.0 / 0.885, 4)   # 2021 over 2019: RFI demand; fabs from UMC's 88.5 % of 2019 to 100 %
QUARTERS, LEAD_IN = [dt.date(2020, m, 1) for m in (1, 4, 7, 10)] + [YEAR0 := dt.date(2021, 1, 1)], 366   # 2020 first
# Light vehicles made in each quarter of 2020 / same quarter of 2019 (IHS Markit data in Magna International's quarterly reports,
# 7 May, 7 Aug, 6 Nov 2020, 19 Feb 2021): North America for US, Europe for ROW, China for CN (Q3 not given: the world's), the world ("*")
VEHICLES_2020 = {"US": (0.87, 0.30, 1.00, 1.03), "CN": (0.56, 1.03, 0.96, 1.10), "ROW": (0.81, 0.41, 0.95, 1.03), "*": (0.73, 0.58, 0.96, 1.04)}
ELECTRONICS_2020 = 1.068   # world semiconductor sales 2020 over 2019 (WSTS, "Q2 2021 market figures", Aug 2021: +6.8 %)


def lean_start(net: sc.Network, days: float = LEAN_DAYS, allocation: str = "recent") -> sc.Network:
    """``net`` holding ``days`` of mature chips at packagers, fabs (outputs too), users (cover x days/40), rationing by ``allocation``."""
    demands = [dataclasses.replace(d, initial_inventory=(k := days * d.policy.days / 40.0) * d.rate_per_day, policy=sc.DaysOfCover(k))
               if d.commodity in MATURE else d for d in net.demands]   # each user segment's 2019 cover x 5/40 (RFI median)
    facilities = [dataclasses.replace(f, initial_inventory={**dict(f.initial_inventory), **{
        k: days * RUN * f.capacity_per_day * dict(f.recipe).get(k, 1.0) for k, _ in f.policies if k in MATURE}},
        policies={k: sc.DaysOfCover(days) if k in MATURE else p for k, p in f.policies}, allocation=allocation) if f.output in MATURE else f
        for f in net.facilities]   # outputs too (else 2020's idle fabs refill their die banks); the prices read this normal stock
    return dataclasses.replace(net, demands=tuple(demands), facilities=tuple(facilities))


def shortage_2021(horizon: int = 365, disruptions: bool = True, allocation: str = "recent", lead_in: bool = True) -> sc.Scenario:
    """The shortage over ``horizon`` days of 2021, after 2020 if ``lead_in`` (module docstring)."""
    base = sc.load_baseline(horizon_days=horizon + LEAD_IN * lead_in, start_date=(start := QUARTERS[0] if lead_in else YEAR0))
    regions, jp = [r.id for r in base.network.regions], [base.network.facility(f"JP.fab.{w}").capacity_per_day for w in WAFERS]
    shocks = [sc.DemandShock(region=r, commodity=c, factor=DEMAND, start=YEAR0) for r in regions for c in CHIPS]
    shocks += [sc.CapacityShock(facility=f.id, fraction_lost=round(1 - RUN * SUPPLY, 4), recovery_days=0, start=start)
               for f in base.network.facilities if f.output in WAFERS]   # every mature fab, any stage: none added
    hits = [(f"US.fab.{w}", 0.3, 0, (2, 15), (3, 31)) for w in WAFERS] + [(f"ROW.packaging.{c}", 0.3, 30, (6, 1), (9, 30))
            for c in CHIPS] + [("JP.fab.mature_idm_wafer", round(0.1 * sum(jp) / jp[1], 4), 68, (3, 19), (4, 17))]
    shocks += [sc.CapacityShock(facility=f, fraction_lost=x, recovery_days=r, start=dt.date(2021, *a),
                                end=dt.date(2021, *b)) for f, x, r, a, b in hits] if disruptions else []
    shocks += [sc.DemandShock(region=r, commodity=c, factor=x, segment=g, start=QUARTERS[q], end=QUARTERS[q + n])   # 2020
               for r in regions for c in CHIPS for g, q, n, x in [("electronics", 0, 4, ELECTRONICS_2020)] + [
                   ("automotive", q, 1, VEHICLES_2020.get(r, VEHICLES_2020["*"])[q]) for q in range(4)]] if lead_in else []
    return base.replace(network=lean_start(base.network, allocation=allocation), name="2021 chip shortage").with_shocks(*shocks)


def vehicles_lost(shocked, base, table, first: int = 0):
    """From day ``first``: vehicles lost by region read in C29 and by the automotive buyers' chips, revenue, value added lost."""
    loss, j, n_s = dataclasses.replace(v := shocked.value_added_loss(), daily=v.daily[:, first:]), table.sectors.index("C29"), len(table.sectors)
    gross, c29 = loss.total.mean(axis=0)[:, j] / table.value_added.reshape(-1, n_s)[:, j], table.output[:, j]   # C29 output lost
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    gap = sum(x * (r.demand - r.delivered)[:, first:].sum(axis=(0, 1)) for x, r in ((1, shocked), (-1, base)))
    share = [gap[k].sum() / shocked.demand[:, first:, k].sum() for k in ([i for i, d in enumerate(shocked.scenario.network.demands)
             if d.commodity in CHIPS and (d.segment, d.region) == ("automotive", r)] for r in table.regions)]   # every car needs its chips
    return gross / c29.sum() * WORLD_VEHICLES_2019, gross.sum() * (1 - inside), c29 / c29.sum() * WORLD_VEHICLES_2019 * share, loss


def main(horizon: int, out: str | None) -> None:
    shocked, base = (sc.simulate(s, engine="vector", seed=SEED) for s in (shortage_2021(horizon), shortage_2021(horizon).without_shocks()))
    (units, revenue, seg, loss), peak = vehicles_lost(shocked, base, table := load_io_table(), LEAD_IN), market_prices(shocked, MATURE[0])[1].max()
    at_risk, short = gdp_at_risk(shocked, baseline=base), (chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean()
    print("\n".join(f"  value added lost {r:<4}{format_usd(x.loss_mean_usd):>8} ({x.gdp_at_risk_share:.2%} of GDP)" for r, x in at_risk.iterrows()))
    print(f"Loss given shortfall: ${at_risk.loc['ALL', 'loss_mean_usd'] / max(short, 1.0):.1f} of value added per $1 of chips not delivered "
          f"({format_usd(short)}, 2020 and {horizon} days of 2021); mature-chip price peak {peak:.2f}x (over the reference, §5.9)")
    print(f"\nMotor vehicles, {horizon} days of 2021 (the readings differ by substitution, §8.3): C29 output {units.sum() / WORLD_VEHICLES_2019:.1%} below normal\n{'':34}{'vehicles lost':>15}{'revenue lost':>16}")
    for name, (n, usd) in {"model: C29 in the impact layer": (units.sum(), revenue), "model: automotive buyers' chips": (seg.sum(), None), **PUBLISHED}.items():
        print(f"{name:34}{n / 1e6:13.1f} M{format_usd(usd) if usd else 'n/a':>16}")
    print(f"\n{'share by region':16}{'C29':>8}{'automotive buyers':>19}   AutoForecast Solutions (Nov 2021, 11.3 M)")
    for regions, (name, n) in AFS_REGIONS.items():
        share = [sum(u[table.regions.index(r)] for r in regions) / max(u.sum(), 1.0) for u in (units, seg)]
        print(f"{'+'.join(regions):16}{share[0]:8.0%}{share[1]:19.0%}   {n / 11.261e6:4.0%} {name}")
    _ = plot_value_added_loss(loss).set_title("2021 chip shortage: value added lost in 2021").figure.savefig(f"{out}/09_chip_shortage_2021.png", dpi=90, bbox_inches="tight") if out else None
    print(f"saved {out}/09_chip_shortage_2021.png" if out else "figure not written: --out DIR saves it")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days of 2021 to simulate (after 2020)")
    parser.add_argument("--out", default=None, help="folder for the figure (default: no figure)")
    main(**vars(parser.parse_args()))
