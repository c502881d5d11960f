"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers:
- ``Results.value_added_loss`` (ARIO, model.md §8.3), ``gdp_at_risk``, ``chain_shortfall_usd``, ``plot_value_added_loss``,
  ``DemandShock(segment=...)`` (§6.8), turn-and-earn: ``Facility.allocation="recent"`` (§5.7)

Scenario:
  Inputs from sources, none fitted. 2020 first: the mature chips demanded in each quarter are what fabs made, UMC's utilisation
  (93, 98, 97, 99 %) over 2019's 88.5 %; automakers' follow their quarterly output (Q2 -70 % US, -59 % Europe, IHS Markit), the
  other buyers take the rest (+14 to +28 %: work from home and restocking, UMC's reports). 2021: +17 % over 2019 for every buyer
  (US Commerce RFI, 2022); fabs at full (+13 %), none added; 5 days at packagers, fabs, users x own cover/40 (RFI: 40 in 2019,
  <5 in 2021). Texas storm (15 Feb, 6 wk, 30 % of US); Renesas fire (IDM, 19 Mar-17 Apr, full 24 Jun); Malaysia (Jun-Sep, 30 %
  of ROW's back end).

Allocation: mature fabs and packagers serve by recent purchases (turn-and-earn, Cachon and Lariviere, Management Science, 1999).
  Foundries "fully utilized with demand from every sector" put carmakers, who had cut orders in 2020, behind customers with
  standing orders (TSMC statement, 28 Jan 2021; EE Times, 28 Jan 2021). Pro rata on orders is not what they did; it favours
  the buyers whose orders run furthest beyond their use (the rationing game, Lee, Padmanabhan and Whang, Management Science,
  1997): here the electronics buyers, who keep 5 days against automakers' 1.75, get 99 % of their 2021 chips and automakers
  86 %. The printout gives all three rules.

What remains off: the shortage reaches automakers in May 2021, not December 2020. Utilisation at 99 % bounds 2020's demand from
  below; the orders fabs could not fill in Q4 2020 (lead times stretching) are in no cited figure, so 2021 starts with full
  stocks that the +3.5 % gap and the storm take four months to empty. How many vehicles are lost turns on those stocks: the
  RFI measured users', the 5 days at fabs and packagers are an assumption (at the baseline's 25 and 14 days: 1.7 M, from July).
  Regions lose in proportion to their automakers' chips (the US's share moves little with any input): the split by region
  follows the baseline's buyers, not local events.
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
# World vehicles 2019: OICA production statistics
MATURE = ("mature_chip", "mature_wafer", "mature_idm_chip", "mature_idm_wafer")   # foundry- and IDM-made: 2021 hit both
CHIPS, WAFERS, LEAN_DAYS, RUN = MATURE[::2], MATURE[1::2], 5.0, 0.75   # 2025 baseline fabs run at ~75 %
DEMAND, UTILISATION_2019 = 1.17, 0.885   # 2021 over 2019: RFI demand; UMC's mean utilisation in 2019
SUPPLY = round(1.0 / UTILISATION_2019, 4)   # mature fabs at 100 % over 2019's output
QUARTERS, LEAD_IN = [dt.date(2020, m, 1) for m in (1, 4, 7, 10)] + [YEAR0 := dt.date(2021, 1, 1)], 366   # 2020 first
# Light vehicles made in each quarter of 2020 / same quarter of 2019 (IHS Markit data in Magna International's quarterly reports,
# 7 May, 7 Aug, 6 Nov 2020, 19 Feb 2021): North America for US, Europe for ROW, China for CN (Q3 not given: the world's), the world ("*")
VEHICLES_2020 = {"US": (0.87, 0.30, 1.00, 1.03), "CN": (0.56, 1.03, 0.96, 1.10), "ROW": (0.81, 0.41, 0.95, 1.03), "*": (0.73, 0.58, 0.96, 1.04)}
# Foundry utilisation, UMC's quarterly results: 2019 83, 88, 91, 92 % (mean 88.5 %); 2020 93, 98, 97, 99 % (27 Apr, 29 Jul,
# 29 Oct 2020, 27 Jan 2021). With no capacity added (module docstring) the mature chips made in each quarter of 2020 are
# its utilisation over 2019's mean times 2019's; the buyers other than automakers take what the automakers did not
UTILISATION_2020 = (0.93, 0.98, 0.97, 0.99)
# Published outcomes, 2021. AutoForecast Solutions' 11.26 M by region (Automotive News, 12 Nov 2021) put on the model's regions
# by 2021 output (OICA production statistics 2021): the US made 9.17 M of the 13.43 M made in the US, Canada and Mexico, Japan, Korea and
# Taiwan 11.57 M of the 20.65 M Asia-Oceania made outside China (an assumption: losses in proportion to output within each)
US_OF_NA, JKT_OF_ASIA = 9.17 / 13.43, 11.57 / 20.65
AFS_SPLIT = {"US": 3.40 * US_OF_NA, "CN": 2.15, "JP+KR+TW": 1.95 * JKT_OF_ASIA}
AFS_SPLIT["ROW"] = 11.261 - sum(AFS_SPLIT.values())   # Europe 3.32, S. America 0.375, M. East-Africa 0.071 and the rest of the two
# First car lines stopped for want of chips in December 2020 and January 2021 (Volkswagen lost some 50,000 cars in China in
# December, Bloomberg, 20 Jan 2021, and cut Q1 output in China, N. America and Europe, statement of 18 Dec 2020; Ford idled
# Louisville the week of 11 Jan, Reuters, 8 Jan 2021); output fell most in Q3 2021 (Toyota cut September's by 40 %, announced
# 19 Aug 2021; US auto output in Sep 2021 at 71 % of 2019's, Goldman Sachs, 26 Oct 2021)
ONSET, DEEPEST = "Dec 2020", "Q3 2021"


def lean_start(net: sc.Network, days: float = LEAN_DAYS, allocation: str = "recent", chain: bool = True) -> sc.Network:
    """``net`` holding ``days`` of mature chips at users (cover x days/40) and, if ``chain``, at packagers and fabs (outputs too;
    else the baseline's), mature fabs and packagers rationing by ``allocation``."""
    demands = [dataclasses.replace(d, initial_inventory=(k := days * d.policy.days / 40.0) * d.rate_per_day, policy=sc.DaysOfCover(k))
               if d.commodity in MATURE else d for d in net.demands]   # each user segment's 2019 cover x 5/40 (RFI median)
    facilities = [dataclasses.replace(f, initial_inventory={**dict(f.initial_inventory), **{
        k: days * RUN * f.capacity_per_day * dict(f.recipe).get(k, 1.0) for k, _ in f.policies if k in MATURE and chain}},
        policies={k: sc.DaysOfCover(days) if k in MATURE and chain else p for k, p in f.policies}, allocation=allocation)
        if f.output in MATURE else f for f in net.facilities]   # the RFI measured users: the chain's 5 days are an assumption
    # (outputs too: the prices read this normal stock); chain=False keeps the 2025 baseline's, 25 days at fabs and 14 at packagers
    return dataclasses.replace(net, demands=tuple(demands), facilities=tuple(facilities))


def demand_2020(net: sc.Network) -> list[float]:
    """Each quarter of 2020: the factor on the mature-chip demand of buyers other than automakers.

    The world's mature chips demanded are what the fabs made (UMC's utilisation over 2019's); automakers' follow their
    output (``VEHICLES_2020``), the industrial and electronics buyers' the rest (work from home, restocking: UMC's reports).
    """
    rates = [(d.rate_per_day, d.segment, d.region) for d in net.demands if d.commodity in CHIPS]
    auto = [(x, VEHICLES_2020.get(r, VEHICLES_2020["*"])) for x, g, r in rates if g == "automotive"]
    total, others = sum(x for x, _, _ in rates), sum(x for x, g, _ in rates if g != "automotive")
    return [round((u / UTILISATION_2019 * total - sum(x * v[q] for x, v in auto)) / others, 4) for q, u in enumerate(UTILISATION_2020)]


def shortage_2021(horizon: int = 365, disruptions: bool = True, allocation: str = "recent", lead_in: bool = True,
                  lean_chain: bool = True) -> sc.Scenario:
    """The shortage over ``horizon`` days of 2021, after 2020 if ``lead_in``; fabs and packagers lean if ``lean_chain`` (docstring)."""
    base = sc.load_baseline(horizon_days=horizon + LEAD_IN * lead_in, start_date=(start := QUARTERS[0] if lead_in else YEAR0))
    regions, jp = [r.id for r in base.network.regions], [base.network.facility(f"JP.fab.{w}").capacity_per_day for w in WAFERS]
    shocks = [sc.DemandShock(region=r, commodity=c, factor=DEMAND, start=YEAR0) for r in regions for c in CHIPS]
    shocks += [sc.CapacityShock(facility=f.id, fraction_lost=round(1 - RUN * SUPPLY, 4), recovery_days=0, start=start)
               for f in base.network.facilities if f.output in WAFERS]   # every mature fab, any stage: none added
    hits = [(f"US.fab.{w}", 0.3, 0, (2, 15), (3, 31)) for w in WAFERS] + [(f"ROW.packaging.{c}", 0.3, 30, (6, 1), (9, 30))
            for c in CHIPS] + [("JP.fab.mature_idm_wafer", round(0.1 * sum(jp) / jp[1], 4), 68, (3, 19), (4, 17))]
    shocks += [sc.CapacityShock(facility=f, fraction_lost=x, recovery_days=r, start=dt.date(2021, *a),
                                end=dt.date(2021, *b)) for f, x, r, a, b in hits] if disruptions else []
    if lead_in:   # 2020: automakers' chips follow their output, the other buyers take what the fabs made beyond them
        shocks += [sc.DemandShock(region=r, commodity=c, factor=x, segment=g, start=QUARTERS[q], end=QUARTERS[q + 1])
                   for q, others in enumerate(demand_2020(base.network)) for r in regions for c in CHIPS
                   for g, x in [("automotive", VEHICLES_2020.get(r, VEHICLES_2020["*"])[q]), ("industrial", others), ("electronics", others)]]
    return base.replace(network=lean_start(base.network, allocation=allocation, chain=lean_chain), name="2021 chip shortage").with_shocks(*shocks)


def vehicles_lost(shocked, base, table, first: int = 0):
    """From day ``first``: vehicles lost by region read in C29 and by the automotive buyers' chips, revenue, value added lost."""
    loss, j, n_s = dataclasses.replace(v := shocked.value_added_loss(), daily=v.daily[:, first:]), table.sectors.index("C29"), len(table.sectors)
    gross, c29 = loss.total.mean(axis=0)[:, j] / table.value_added.reshape(-1, n_s)[:, j], table.output[:, j]   # C29 output lost
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    gap = sum(x * (r.demand - r.delivered)[:, first:].sum(axis=(0, 1)) for x, r in ((1, shocked), (-1, base)))
    share = [gap[k].sum() / shocked.demand[:, first:, k].sum() for k in ([i for i, d in enumerate(shocked.scenario.network.demands)
             if d.commodity in CHIPS and (d.segment, d.region) == ("automotive", r)] for r in table.regions)]   # every car needs its chips
    return gross / c29.sum() * WORLD_VEHICLES_2019, gross.sum() * (1 - inside), c29 / c29.sum() * WORLD_VEHICLES_2019 * share, loss


def automotive_timing(shocked, base) -> tuple[dict[str, float], str]:
    """The automotive buyers' mature-chip shortfall, as a share of their demand, by quarter from Q4 2020; the first month above 1 %."""
    net, day0 = shocked.scenario.network, shocked.scenario.start_date
    k = [i for i, d in enumerate(net.demands) if d.commodity in CHIPS and d.segment == "automotive"]
    gap = ((shocked.demand - shocked.delivered) - (base.demand - base.delivered))[0][:, k].sum(axis=1)
    dem = shocked.demand[0][:, k].sum(axis=1)
    days = [day0 + dt.timedelta(days=i) for i in range(len(dem))]

    def share(pick) -> float:
        sel = [i for i, x in enumerate(days) if pick(x)]
        return float(gap[sel].sum() / dem[sel].sum()) if sel else float("nan")
    quarters = {f"Q{(m - 1) // 3 + 1} {y}": share(lambda x, y=y, m=m: x.year == y and (x.month - 1) // 3 == (m - 1) // 3)
                for y, m in [(2020, 10)] + [(2021, m) for m in (1, 4, 7, 10)] if dt.date(y, m, 1) < days[-1]}
    months = sorted({(x.year, x.month) for x in days})
    first = next((f"{dt.date(y, m, 1):%b %Y}" for y, m in months if share(lambda x, y=y, m=m: (x.year, x.month) == (y, m)) > 0.01), "none")
    return quarters, first


def main(horizon: int, out: str | None) -> None:
    print(f"2021 chip shortage, {horizon} days of 2021 after 2020 (model.md \u00a78.3, \u00a75.7): model against published")
    run = {rule: sc.simulate(shortage_2021(horizon, allocation=rule), engine="vector", seed=SEED) for rule in ("recent", "auto", "pro_rata")}
    shocked, base = run["recent"], sc.simulate(shortage_2021(horizon).without_shocks(), engine="vector", seed=SEED)
    stocked = [sc.simulate(s, engine="vector", seed=SEED) for s in (shortage_2021(horizon, lean_chain=False),) for s in (s, s.without_shocks())]
    (units, revenue, seg, loss), peak = vehicles_lost(shocked, base, table := load_io_table(), LEAD_IN), market_prices(shocked, MATURE[0])[1].max()
    at_risk, short = gdp_at_risk(shocked, baseline=base), (chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean()
    print("\nDemand for mature chips in 2020 over 2019, by quarter (fabs made their utilisation over 2019's 88.5 %, UMC):")
    print(f"  {'':22}" + "".join(f"{f'Q{q + 1}':>7}" for q in range(4)) + "   2021 (RFI)")
    for name, row in {"fab utilisation (UMC)": UTILISATION_2020, "all buyers": [u / UTILISATION_2019 for u in UTILISATION_2020],
                      "automakers (world)": VEHICLES_2020["*"], "other buyers": demand_2020(shocked.scenario.network)}.items():
        print(f"  {name:22}" + "".join(f"{x:7.2f}" for x in row) + ("" if name.startswith("fab") else f"{DEMAND:9.2f}"))
    print("\nValue added lost, 2020 and 2021 (ARIO, \u00a78.3):")
    print("\n".join(f"  {r:<4}{format_usd(x.loss_mean_usd):>8} ({x.gdp_at_risk_share:.2%} of GDP)" for r, x in at_risk.iterrows()))
    print(f"Loss given shortfall: ${at_risk.loc['ALL', 'loss_mean_usd'] / max(short, 1.0):.1f} of value added per $1 of chips not delivered "
          f"({format_usd(short)}); mature-chip price peak {peak:.2f}x (over the reference, \u00a75.9)")
    print(f"\nMotor vehicles lost in 2021 (the readings differ by substitution, \u00a78.3): C29 output {units.sum() / WORLD_VEHICLES_2019:.1%} below normal")
    print(f"{'':42}{'vehicles lost':>15}{'revenue lost':>16}")
    rows = {f"model, {name}: C29 / buyers' chips": vehicles_lost(run[r], base, table, LEAD_IN) for r, name in (("auto", "steady flow"), ("pro_rata", "pro rata"))}
    rows["model, fabs, packagers at baseline stocks"] = vehicles_lost(*stocked, table, LEAD_IN)
    for name, (n, usd) in {"model, recent purchases: C29": (units.sum(), revenue), "model, recent purchases: buyers' chips": (seg.sum(), None),
                           **{k: (f"{v[0].sum() / 1e6:.1f} / {v[2].sum() / 1e6:.1f}", v[1]) for k, v in rows.items()}, **PUBLISHED}.items():
        print(f"{name:42}{n if isinstance(n, str) else f'{n / 1e6:.1f}':>13} M{format_usd(usd) if usd else 'n/a':>16}")
    quarters, first = automotive_timing(shocked, base)
    print(f"\nTiming: automakers' mature chips short, share of their demand: " + ", ".join(f"{q} {x:.1%}" for q, x in quarters.items()))
    print(f"  first month above 1 %: model {first} ({automotive_timing(*stocked)[1]} with fabs and packagers at the baseline's stocks), "
          f"published {ONSET} (first lines idled: VW China); output fell most: published {DEEPEST}")
    print(f"\n{'share by region':16}{'C29':>8}{'automotive buyers':>19}{'AutoForecast Solutions':>24} (Nov 2021, 11.3 M; N. America, rest of Asia by output)")
    for name, n in AFS_SPLIT.items():
        share = [sum(u[table.regions.index(r)] for r in name.split("+")) / max(u.sum(), 1.0) for u in (units, seg)]
        print(f"{name:16}{share[0]:8.0%}{share[1]:19.0%}{n / 11.261:24.0%}")
    _ = plot_value_added_loss(loss).set_title("2021 chip shortage: value added lost in 2021").figure.savefig(f"{out}/09_chip_shortage_2021.png", dpi=90, bbox_inches="tight") if out else None
    print(f"saved {out}/09_chip_shortage_2021.png" if out else "figure not written: --out DIR saves it")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days of 2021 to simulate (after 2020)")
    parser.add_argument("--out", default=None, help="folder for the figure (default: no figure)")
    main(**vars(parser.parse_args()))
