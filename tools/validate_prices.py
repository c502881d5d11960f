"""Validation of the scarcity prices and the who-pays accounting against published outcomes.

Run:  python -m tools.validate_prices

Prints seven tables:

1. Tariff pass-through of the 2018 US tariffs: the GSIM split (Francois & Hall
   2003) with the published elasticities against the published finding of
   complete pass-through to duty-inclusive import prices (Amiti, Redding &
   Weinstein 2019, JEP 33(4); Fajgelbaum, Goldberg, Kennedy & Khandelwal 2020,
   QJE 135(1), who estimate horizontal foreign export supply and an import
   demand elasticity across varieties of about 2.5), and the model's own
   first-year incidence of a 25 % US tariff on Chinese cells (the fall in the
   Chinese cell price). 1b: a 25 % US tariff on Chinese anode material raises
   the US cell price by about its cost share times the duty (input-cost
   pass-through, Miller & Blair 2009, §2.6).
2. The direction of the price response to every shock type on the baseline, in
   the importing (affected) region and in the exporting (supplying) one: a
   mine or refinery cut off from buyers abroad cuts its price (its lost sales
   beyond its normal output stock over a year and its idle capacity,
   docs/model.md §5.9), so an exporter with idle capacity keeps it ("not up":
   China's germanium and gallium under their 2023 licensing, whose domestic
   prices did not fall beyond gallium's first month), a maker
   of chips, cells or magnets sheds output at the reference price (horizontal
   supply below normal output, Fajgelbaum et al. 2020).
3. China's 2023 gallium licensing (the shipped scenario ``gallium_germanium_2023``)
   against the published prices outside China: +15 % in the week after the
   announcement (Fastmarkets via Bloomberg, 7 Jul 2023), +41 % by 9 Aug 2023
   ($400/kg against $283/kg; Fastmarkets via Bloomberg), about double by late
   March 2024 ($575/kg in Rotterdam; RFI, 12 Apr 2024); Chinese prices were
   expected to fall as the controls kept supply at home (Shanghai Metals
   Market via Bloomberg, 14 Jul 2023). China's own gallium, germanium and
   germanium-concentrate prices against SMM's domestic prices: gallium -9 %
   in August 2023 and +31 % by 19 Apr 2024, germanium ingot +1 % and +2.1 %
   against July 2023 (Reuters, 20 Sep 2023 and 20 Apr 2024).
4. A year without China's gallium and germanium exports against the USGS
   partial-equilibrium model (Nassar et al. 2024, USGS OFR 2024-1057: gallium
   above +150 %, germanium +26 %).
5. The 2021 foundry shortage (example 09's scenario, not tuned to it): TSMC
   raised contract prices by up to 20 % in August 2021. 5b. The chip buffer
   weight, calibrated on 2021 (chip users drew 35 of their 40 days while
   contract prices rose about 20 %), checked against another episode: the
   21 Sep 1999 Chi-Chi earthquake stopped Taiwan's DRAM fabs (about 12-15 %
   of world DRAM) for about two weeks, "4 % of global supply lost over the
   next two months"; the 64 Mb DRAM spot price rose from 14.60 USD (17 Sep)
   to 17 USD (23 Sep, +16 %; Dow Jones Newswires, 23 Sep 1999) and about 19 USD
   by 24 Sep (+30 %), and the 30-day average paid by large users from 6.83 USD
   (to 17 Sep) to 11.06 USD (to 26 Nov, +62 %, ICIS-LOR via Nikkei BP, 6 Oct
   and 15 Dec 1999), in a market already short before the quake (+16 % in the
   month before it: 5.90 USD to 13 Aug). 5c. The fabs' utilisation term,
   calibrated on 2021 (UMC's 2019 utilisation of 88.5 % to full while TSMC's
   mature-node prices rose 20 %), checked against TSMC's advanced nodes (+10 %
   in the same notice) and the 2022-23 fall (UMC's utilisation from 100 % to
   70 % in Q1 2023 with its ASP "firm", 66 % in Q4 2023, an ASP about 5 % lower
   guided at 61-63 % for Q1 2024: UMC results, 26 Apr 2023 and 31 Jan 2024).
6. The flagship scenario: markets at a bound, the buyers' extra cost (every
   lane, and final buyers only) against the value of final demand not
   delivered, and the scarcity rents by region, gross and net of inputs.
7. Every Taiwanese fab out for 30, 90 and 180 days (price feedback on): the
   chips not delivered, Taiwan's logic-wafer price, the buyers' logic-chip
   prices and the final buyers' extra cost. Spot prices of some chips rose
   5-10 times in 2021-22 while contract prices rose 10-20 % (TSMC, Aug 2021):
   a months-long loss of most logic supply should lift buyers' prices by
   multiples, a 30-day stop that leaves nothing short should not.
8. A safety-stock build under a licence wait: Japan's 2019 licensing of
   resist, HF and fluorinated polyimide to Korea (the shipped scenario
   ``japan_korea_2019``, Korean buyers' targets raised to 90 days), Korea's
   price peaks and the days at the cap. No Korean price series of the three
   is published; Korean output was not hit (Newsis, 9 Jul 2020) and nothing
   is short in the run, so a price held at the 5x cap for months, as when the
   applications that fill the raised target counted as stock still wanted
   (docs/model.md §5.9, planned stock and licence waits), is not the record.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import pathlib
import warnings

import numpy as np

from supplychain import load_baseline, load_example, simulate
from supplychain.compile import compile_scenario
from supplychain.compile.steady import steady_state
from supplychain.metrics import gsim_incidence, prices_at_bounds, who_pays
from supplychain.model import (
    CapacityInvestment,
    CapacityShock,
    DemandShock,
    ExportControl,
    Fixed,
    LogisticsShock,
    RandomOutage,
    SafetyStockChange,
    StockpileRelease,
    Tariff,
)
from supplychain.plotting.prices import market_prices

SEED = 7


def index(res, commodity: str, region: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    regions, values = market_prices(res, commodity)
    return values[:, :, regions.index(region)].mean(axis=0)


def pass_through() -> None:
    print("1. Tariff pass-through to duty-inclusive import prices (2018 US tariffs)")
    print(f"   {'export supply E_x':>18} {'import demand E_m':>18} {'pass-through':>13}")
    for e_x in (math.inf, 100.0, 10.0, 2.5):
        share = gsim_incidence(-2.5, e_x)[0]
        print(f"   {e_x:>18} {-2.5:>18} {share:>13.3f}")
    print("   published: complete pass-through (ARW 2019; Fajgelbaum et al. 2020: horizontal export supply)")
    base = load_baseline().with_horizon(365).replace(price_feedback=True)
    sc = base.with_shocks(Tariff(importer="US", commodity="li_ion_cell", exporter="CN", rate=0.25, start=30))
    res = simulate(sc, engine="vector", seed=SEED)
    cn = index(res, "li_ion_cell", "CN")[30:]
    us = index(res, "li_ion_cell", "US")[30:]
    absorbed = (1.0 - cn.mean()) / 0.25
    print(f"   model, 25 % US tariff on CN cells, first year: CN cell price {cn.mean():.3f} on average "
          f"(min {cn.min():.3f}); exporter absorbs {absorbed:.1%} of the tariff, pass-through {1 - absorbed:.1%}; "
          f"US cell price {us.mean():.3f}")
    table = who_pays(res)
    print("   who pays (USD, first year, by region):")
    print(table.round(0).to_string().replace("\n", "\n   ").join(["   ", ""]))


def input_tariff() -> None:
    print("1b. A duty on an input passes into the output price by cost share (Miller & Blair 2009, §2.6)")
    base = load_baseline().with_horizon(365)
    anode = ("aam", "aam_synthetic")
    sc = base.with_shocks(*(Tariff(importer="US", commodity=k, exporter="CN", rate=0.25, start=30) for k in anode))
    res = simulate(sc, engine="vector", seed=SEED)
    spec = compile_scenario(sc).schedules.extras["prices"]
    cell = spec.labels.index(("li_ion_cell", "US"))
    pt = spec.pass_through.tocsr()
    expected, share = 0.0, 0.0
    for e in range(pt.indptr[cell], pt.indptr[cell + 1]):
        commodity, _ = spec.labels[pt.indices[e]]
        if commodity in anode:
            lanes = spec.input_basket[e].indices
            flow = spec.input_basket[e].data
            cn = np.array([lane.startswith("CN.") for lane in np.asarray(res.coords.lane)[lanes]])
            landed = flow * spec.landed_price[lanes]
            # The duty factor's rise: 25 % on the CN part of the input lanes' landed cost at the start.
            expected += pt.data[e] * 0.25 * landed[cn].sum() / spec.input_base_cost[e]
            share += pt.data[e]
    us = index(res, "li_ion_cell", "US")
    print(f"   25 % US tariff on CN anode material (aam, aam_synthetic) from day 30: anode cost share of US cells "
          f"{share:.3f}; expected rise cost share x CN landed share x 25 % = {expected:+.2%}")
    print(f"   model: US cell price {us[120:].mean() - 1:+.2%} (mean of days 120-365), {us.max() - 1:+.2%} at most  "
          f"{'ok' if abs(us[120:].mean() - 1 - expected) <= 0.25 * expected else 'WRONG'}")


#: Every shock type of ``supplychain.model.shocks`` with the market where its importing (or affected) region's
#: price is read, the exporter's (or supplying region's) market, and the expected signs (+1 up, -1 down, 0
#: within 1 % of the reference). A mine or refinery cut off from buyers abroad first idles the capacity it
#: already left idle, then cuts its price by the sales it loses beyond that; China's gallium refiners run far
#: below their capacity (Argus, 22 Jan 2021: 300-320 t made against about 650 t/yr), so under China's own
#: controls its price is expected not to rise ("not up") rather than to fall (China's domestic price fell 9 %
#: in August 2023 and stood 8 % above its 1 August level by 18 October, Reuters/SMM; the model misses the first
#: month's dip). "Not up", not "down", is also what the record says of an exporter's own price under its own
#: control: China's germanium ingot price rose 1 % in August 2023 and stood 2.1 % above its July 2023 level on
#: 19 April 2024, its gallium 31 % above (SMM via Reuters, 20 Sep 2023 and 20 Apr 2024), then germanium 38 %
#: above by mid-2024 on state stockpiling, "defying expectations that more supply left in the domestic market
#: would keep local prices under pressure" (SMM via Reuters, 2024; Project Blue, 8 Oct 2024). The model's China
#: holds its price while its sellers idle capacity; it has no stockpiling or speculative buying, so it cannot
#: give the later rises (docs/model.md §5.9, an exporter's own price). A maker of manufactured goods (magnets included) sheds output at the reference; sales lost
#: within a seller's normal output stock over the restocking year (a small share of its sales) go into stock
#: (docs/model.md §5.9, lost sales).
NOT_UP = -2  # expected: not above the reference by more than 0.1 % (a tariff's ex-duty index; input costs falling)


def direction_cases() -> list[tuple[str, object, str, str, int, str, int]]:
    ban = ExportControl(exporter="CN", commodity="gallium", mode="ban", start=20)
    return [
        ("export ban (mineral)", ban, "gallium", "JP", +1, "CN", NOT_UP),
        ("export licensing (mineral)", ExportControl(exporter="CN", commodity="gallium", mode="licence", start=20),
         "gallium", "JP", +1, "CN", NOT_UP),
        ("export licensing (germanium)", ExportControl(exporter="CN", commodity="germanium", mode="licence",
                                                       start=20), "germanium", "JP", +1, "CN", NOT_UP),
        ("export quota (mineral)", ExportControl(exporter="CN", commodity="gallium", mode="quota", start=20,
                                                 quota_per_period=2.0e3, period_days=30),
         "gallium", "JP", +1, "CN", NOT_UP),
        ("tariff (mineral, small)", Tariff(importer="US", commodity="gallium", exporter="CN", rate=0.25,
                                                 start=20), "gallium", "US", 0, "CN", NOT_UP),
        ("tariff (magnets, made)", Tariff(importer="US", commodity="ndfeb_magnet", exporter="CN", rate=0.25, start=20),
         "ndfeb_magnet", "US", NOT_UP, "CN", NOT_UP),
        ("tariff (manufactured cells)", Tariff(importer="US", commodity="li_ion_cell", exporter="CN", rate=0.25,
                                               start=20), "li_ion_cell", "US", 0, "CN", 0),
        ("input tariff: output price", Tariff(importer="US", commodity="aam_synthetic", exporter="CN", rate=0.25,
                                              start=20), "li_ion_cell", "US", +1, "CN", 0),
        ("facility outage (capacity)", CapacityShock(start=20, end=200, fraction_lost=0.5,
                                                     facility="CN.refinery.gallium"), "gallium", "JP", +1, "CN", +1),
        ("fab outage (capacity)", CapacityShock(start=20, end=110, fraction_lost=0.5, region="TW", stage="fab"),
         "logic_wafer", "TW", +1, "TW", +1),
        ("random outages", RandomOutage(start=20, rate_per_year=12.0, region="TW", stage="fab",
                                        duration=Fixed(30.0), capacity_lost=0.8), "logic_chip", "US", +1, "TW", +1),
        ("demand rise", DemandShock(start=20, region="US", commodity="li_ion_cell", factor=1.3),
         "li_ion_cell", "US", +1, "CN", 0),
        ("demand fall (manufactured)", DemandShock(start=20, region="US", commodity="li_ion_cell", factor=0.7),
         "li_ion_cell", "US", -1, "CN", NOT_UP),
        ("demand fall (magnets, made)", DemandShock(start=20, region="JP", commodity="ndfeb_magnet", factor=0.5),
         "ndfeb_magnet", "JP", -1, "CN", NOT_UP),
        ("demand fall (mineral)", DemandShock(start=20, region="JP", commodity="germanium", factor=0.5),
         "germanium", "JP", -1, "CN", NOT_UP),
        ("longer routes (logistics)", LogisticsShock(start=20, end=120, origin_region="CN", destination_region="JP",
                                                     lead_time_multiplier=3.0), "graphite_spherical", "JP", +1,
         "CN", NOT_UP),
        ("stockpile release", StockpileRelease(start=20, region="JP", commodity="gallium", days_of_cover=180,
                                               release_below_cover_days=120), "gallium", "JP", -1, "CN", NOT_UP),
        ("safety stock raised", SafetyStockChange(start=20, region="KR", commodity="cam", cover_days=90.0),
         "cam", "KR", +1, "CN", 0),
    ]


#: Smallest move that counts as up or down (a rounding-size drift is no direction).
MOVED = 0.005


def _direction(x: np.ndarray, sign: int) -> tuple[float, bool]:
    """The extreme of a path after the shock and whether it moved the expected way by more than ``MOVED``
    (0: stayed within 1 %)."""
    if sign == 0:
        extreme = float(x[np.argmax(np.abs(x - 1.0))])
        return extreme, abs(extreme - 1.0) <= 0.01
    if sign == NOT_UP:
        extreme = float(x[np.argmax(np.abs(x - 1.0))])
        return extreme, float(x.max()) <= 1.001
    extreme = float(x.max() if sign > 0 else x.min())
    return extreme, (extreme > 1.0 + MOVED) if sign > 0 else (extreme < 1.0 - MOVED)


def directions(horizon: int = 240) -> list[tuple[str, bool]]:
    print("2. Direction of the price response to every shock type (extreme over the days after the shock)")
    base = load_baseline().with_horizon(horizon).replace(price_feedback=True)
    mark = {+1: "up", -1: "down", 0: "flat", NOT_UP: "not up"}
    print(f"   {'shock':<28} {'market':<28} {'model':>7} {'expected':>8}   {'exporter / supplier':<24} {'model':>7} "
          f"{'expected':>8}")
    out = []
    for label, shock, commodity, importer, sign_i, exporter, sign_e in direction_cases():
        res = simulate(base.with_shocks(shock), engine="vector", seed=SEED)
        a, ok_a = _direction(index(res, commodity, importer)[20:], sign_i)
        b, ok_b = _direction(index(res, commodity, exporter)[20:], sign_e)
        print(f"   {label:<28} {commodity + '/' + importer:<28} {a:7.3f} {mark[sign_i]:>8}   "
              f"{commodity + '/' + exporter:<24} {b:7.3f} {mark[sign_e]:>8}  {'ok' if ok_a and ok_b else 'WRONG'}")
        out.append((label, ok_a and ok_b))
    # A response compared with the same ban without it, in the market it serves.
    ban = ExportControl(exporter="CN", commodity="gallium", mode="ban", start=20)
    inv = CapacityInvestment(start=20, region="JP", commodity="gallium", added_capacity=5.0e3)
    # Days 20-80: before the ban drives both to the cap.
    a = index(simulate(base.with_shocks(ban), engine="vector", seed=SEED), "gallium", "JP")[20:80]
    b = index(simulate(base.with_shocks(ban, inv), engine="vector", seed=SEED), "gallium", "JP")[20:80]
    print(f"   {'capacity investment':<28} gallium/JP, days 20-80 of a CN ban: mean {a.mean():.3f} without, "
          f"{b.mean():.3f} with  {'ok' if b.mean() < a.mean() else 'WRONG'}")
    out.append(("capacity investment", bool(b.mean() < a.mean())))
    return out


def _paths(res, commodity: str, regions: tuple[str, ...]) -> str:  # type: ignore[no-untyped-def]
    """Peak (or trough for CN), day 180 and day 364 (the last of a year) of each region's index."""
    parts = []
    for r in regions:
        x = index(res, commodity, r)
        ext = x.min() if r == "CN" else x.max()
        day180, day364 = (f"{x[t]:.2f}" if t < len(x) else "n/a" for t in (180, 364))
        parts.append(f"{r} {'trough' if r == 'CN' else 'peak'} {ext:.2f} d180 {day180} d364 {day364}")
    return "; ".join(parts)


def gallium() -> None:
    print("3. China's gallium licensing, 2023 (shipped scenario gallium_germanium_2023)")
    res = simulate(load_example("gallium_germanium_2023").replace(price_feedback=True), engine="vector", seed=SEED)
    start = res.scenario.start_date
    marks = [("7 Jul 2023 (+4 days from announcement)", dt.date(2023, 7, 7), "+15 %"),
             ("9 Aug 2023 (+8 days of controls)", dt.date(2023, 8, 9), "+41 %"),
             ("1 Oct 2023", dt.date(2023, 10, 1), "n/a"),
             ("1 Dec 2023", dt.date(2023, 12, 1), "n/a"),
             ("late Mar 2024", dt.date(2024, 3, 25), "about x2 (+100 %)")]
    regions = ("JP", "KR", "US", "CN")
    print(f"   {'date':<40}" + "".join(f"{r:>8}" for r in regions) + "   published outside China")
    for label, day, published in marks:
        t = (day - start).days
        if 0 <= t < res.n_days:
            row = "".join(f"{index(res, 'gallium', r)[t]:>8.2f}" for r in regions)
            print(f"   {label:<40}{row}   {published}")
    print(f"   paths from the start: {_paths(res, 'gallium', ('CN', 'JP', 'KR', 'US'))}")
    lanes = [(j, *res.coords.region["lane"][j].split(">")) for j in range(len(res.coords.lane))
             if res.coords.commodity["lane"][j] == "gallium"]
    shares = []
    for region in ("US", "JP"):
        into = [j for j, _, dst in lanes if dst == region]
        cn = [j for j, src, dst in lanes if dst == region and src == "CN"]
        first, last = (res.arrivals[:, days][:, :, cn].sum() / res.arrivals[:, days][:, :, into].sum()
                       for days in (slice(0, 60), slice(res.n_days - 120, res.n_days)))
        shares.append(f"{region} {first:.2f} -> {last:.2f}")
    print(f"   share of gallium arrivals from CN, first 60 days -> last 120: {'; '.join(shares)} (buyers should "
          "not move towards a controlled exporter because its home price fell, docs/model.md §5.9 sourcing)")
    print("   published: China's domestic price expected to fall as the controls kept supply at home (SMM via "
          "Bloomberg, 14 Jul 2023); Rotterdam +114 % by 15 Dec 2023 (Fastmarkets)")
    # China's own prices under its own licensing (docs/model.md §5.9, an exporter's own price).
    own = []
    for commodity in ("gallium", "gallium_crude", "germanium", "germanium_conc"):
        x = index(res, commodity, "CN")
        low = int(np.argmin(x))
        own.append(f"{commodity} low {x[low]:.3f} on {start + dt.timedelta(days=low)}, max {x.max():.3f}, "
                   f"last {x[-1]:.3f}")
    print(f"   China's own prices: {'; '.join(own)}")
    print("   published China: gallium -9 % in Aug 2023, +31 % on 19 Apr 2024 against Jul 2023; germanium ingot +1 % in "
          "Aug 2023, +2.1 % on 19 Apr 2024 (SMM via Reuters, 20 Sep 2023, 20 Apr 2024), +38 % by mid-2024 on state "
          "stockpiling (SMM via Reuters; Project Blue, 8 Oct 2024)")


def gallium_year_ban() -> None:
    print("4. A year without China's gallium and germanium exports (USGS OFR 2024-1057: Ga > +150 %, Ge +26 %)")
    base = load_baseline().with_horizon(365)
    bans = [ExportControl(exporter="CN", commodity=k, mode="ban", start=0)
            for k in ("gallium", "gallium_crude", "germanium")]
    res = simulate(base.with_shocks(*bans), engine="vector", seed=SEED)
    regions = ("US", "JP", "KR", "ROW", "CN")
    for commodity, published in (("gallium", "> +150 %"), ("germanium", "+26 %")):
        row = "".join(f"  {r} mean {index(res, commodity, r).mean():.2f} max {index(res, commodity, r).max():.2f}"
                      for r in regions)
        print(f"   {commodity:<10}{row}   published {published}")
    # Which measure the published figures are: the USGS model clears one world market; Fastmarkets' Rotterdam
    # price is the market outside China. The year means weighted by each region's normal use give both.
    steady = steady_state(base.network).flow
    for commodity in ("gallium", "germanium"):
        use: dict[str, float] = {}
        for lane in base.network.lanes:
            if lane.commodity == commodity:
                region = lane.destination.split(".")[0]
                use[region] = use.get(region, 0.0) + steady.get(lane.id, 0.0)
        means = {r: float(index(res, commodity, r).mean()) for r in use}
        world = sum(use[r] * means[r] for r in use) / sum(use.values())
        outside = sum(use[r] * means[r] for r in use if r != "CN") / sum(use[r] for r in use if r != "CN")
        print(f"   {commodity:<10} year mean weighted by normal use: world {world:.2f}, outside China {outside:.2f}")
    print("   published outside China under licensing alone: germanium about 1,000 USD/kg early 2023, 2,600 in Oct "
          "2024 (Project Blue, 8 Oct 2024), nearly 5,000 in Sep 2025 (Fastmarkets)")
    print("   4b. China's gallium ban alone (refined and crude, from day 0), price feedback on, seed 42:")
    from supplychain.analytics import gdp_at_risk
    sc = load_baseline().with_horizon(365).replace(price_feedback=True)
    ga = sc.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=0)
                          for k in ("gallium", "gallium_crude")))
    shocked, paired = simulate(ga, engine="vector", seed=42), simulate(sc, engine="vector", seed=42)
    print(f"   {_paths(shocked, 'gallium', ('CN', 'JP', 'KR', 'US', 'ROW'))}")
    us = float(gdp_at_risk(shocked, baseline=paired).loc["US", "loss_mean_usd"]) / 1e9
    print(f"   US value added lost {us:.2f} bn USD (USGS OFR 2024-1057: 3.1 bn, range 1.7-8.2)")


def foundry_2021() -> None:
    print("5. 2021 foundry (example 09's scenario; TSMC contract prices up to +20 % in Aug 2021)")
    path = pathlib.Path(__file__).resolve().parents[1] / "examples" / "09_chip_shortage_2021.py"
    spec = importlib.util.spec_from_file_location("ex09", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = simulate(mod.shortage_2021(), engine="vector", seed=SEED)
    for commodity in ("mature_wafer", "mature_chip", "logic_wafer", "logic_chip"):
        regions, values = market_prices(res, commodity)
        row = "".join(f"  {r} max {values[:, :, i].mean(axis=0).max():.3f}" for i, r in enumerate(regions))
        print(f"   {commodity:<13}{row}")
    # The foundries' quoted lead time over its day-0 value: 2021's lead times stretched by 64.4 days (Susquehanna).
    lanes = [j for j in range(len(res.coords.lane)) if res.coords.commodity["lane"][j] == "mature_wafer"
             and res.coords.region["lane"][j].startswith("TW>")]
    quoted = res.arrays["quoted_lead_time"][:, :, lanes].mean(axis=0)
    print(f"   Taiwan's mature-wafer quoted lead time at most {(quoted - quoted[0]).max():.1f} days above normal "
          "(2021: +64.4 days, Susquehanna)")


def _chi_chi_network(days_of_stock: float):  # type: ignore[no-untyped-def]
    """World DRAM in 1999 as one buyer market fed by Taiwan (13.5 %) and the rest, both at full capacity."""
    from supplychain.model import Commodity, DaysOfCover, Demand, Facility, Lane, Network, Region
    tw, rest = 13.5, 86.5  # Taiwan's share of world DRAM output, %: 12 % (ZDNet, 21 Sep 1999) to 15 % (Dow Jones)
    return Network(
        regions=(Region("TW"), Region("KR"), Region("US")),
        commodities=(Commodity("dram", "unit", 10.0, chain="semiconductors"),),
        facilities=(Facility("TW.fab", "TW", "fab", "dram", tw, policies={"dram": DaysOfCover(0.0)}),
                    Facility("KR.fab", "KR", "fab", "dram", rest, policies={"dram": DaysOfCover(0.0)})),
        lanes=(Lane("TW.fab", "US.dram", "dram", lead_time=Fixed(1.0), share=tw / 100.0),
               Lane("KR.fab", "US.dram", "dram", lead_time=Fixed(1.0), share=rest / 100.0)),
        demands=(Demand("US.dram", "US", "dram", 100.0, initial_inventory=100.0 * days_of_stock,
                        policy=DaysOfCover(days_of_stock)),),
    )


def chi_chi_1999() -> None:
    from supplychain.model import Scenario
    from supplychain.model.prices import CHIP_BID_WEIGHT, CHIP_BUFFER_WEIGHT
    print(f"5b. Chip buffer weight {CHIP_BUFFER_WEIGHT:.3f} (2021: a 35-day draw targets +20 %) and bid weight "
          f"{CHIP_BID_WEIGHT:.3f} (2021: a 64.4-day queue targets +20 %) against the 1999 "
          "Chi-Chi quake (Taiwan's DRAM fabs, 13.5 % of world output, stopped 14 days)")
    cases = ((40.0, "buyers holding 40 days (2019 median)"), (5.0, "lean buyers, 5 days (1999: 'no inventory')"))
    for days, who in cases:
        sc = Scenario(_chi_chi_network(days), horizon_days=120, name="Chi-Chi 1999",
                      shocks=(CapacityShock(facility="TW.fab", fraction_lost=1.0, start=0, end=14, recovery_days=0),))
        res = simulate(sc, engine="vector", seed=SEED)
        us, tw = index(res, "dram", "US"), index(res, "dram", "TW")
        print(f"   {who:<44} world DRAM price day 7 {us[7]:.3f}, day 60 {us[60]:.3f}, peak {us.max():.3f}; "
              f"Taiwan's sellers' market peak {tw.max():.3f}")
    print("   published: spot +16 % in 2 days, +30 % in 3; large users' 30-day average +62 % in two months "
          "(rising 16 % a month before)")


def utilisation_2021_2023() -> None:
    from supplychain.model import Commodity, DaysOfCover, Demand, Facility, Lane, Network, Region, Scenario
    from supplychain.model.prices import CHIP_UTILISATION_2019, CHIP_UTILISATION_EXPONENT, utilisation_premium
    print(f"5c. Fab utilisation exponent {CHIP_UTILISATION_EXPONENT:.2f} (2021: UMC's 2019 utilisation "
          f"{CHIP_UTILISATION_2019:.1%} to full targets +20 %)")
    advanced = utilisation_premium(1.0, 0.95, CHIP_UTILISATION_EXPONENT)
    print(f"   advanced nodes (fabs normally at 95 %) at full: {advanced:.3f}; published +10 % (TSMC, Aug 2021)  "
          f"{'ok' if 1.0 < advanced < 1.2 else 'WRONG'}")
    # One foundry at 2019's utilisation sells to one buyer: demand to full for a year, then to UMC's 2023 utilisation.
    rate = 100.0 * CHIP_UTILISATION_2019
    net = Network(regions=(Region("TW"), Region("US")),
                  commodities=(Commodity("wafer", "unit", 10.0, chain="semiconductors"),),
                  facilities=(Facility("TW.fab", "TW", "fab", "wafer", 100.0, policies={"wafer": DaysOfCover(2.0)}),),
                  lanes=(Lane("TW.fab", "US.wafer", "wafer", lead_time=Fixed(1.0)),),
                  demands=(Demand("US.wafer", "US", "wafer", rate, initial_inventory=40 * rate,
                                  policy=DaysOfCover(40.0)),))
    full, slump = 100.0 / rate, 70.0 / rate
    sc = Scenario(net, horizon_days=730, name="foundry 2021-23",
                  shocks=(DemandShock(region="US", commodity="wafer", factor=full, start=0, end=365),
                          DemandShock(region="US", commodity="wafer", factor=slump, start=365)))
    tw = index(simulate(sc, engine="vector", seed=SEED), "wafer", "TW")
    path = ", ".join(f"day {d} {tw[d]:.3f}" for d in (90, 180, 364, 455, 545, 729))
    falls = tw[364] > tw[455] >= 1.0
    print(f"   a foundry at 88.5 % run full for a year, then at 70 %: {path}  {'ok' if falls else 'WRONG'}")
    print("   published: UMC at 70 % (Q1 2023) 'ASP stayed firm', 66 % (Q4 2023) 2023 ASP up mid-single digits on "
          "mix, 61-63 % guided for Q1 2024 with ASP about -5 % (UMC, 26 Apr 2023, 31 Jan 2024): the term gives back "
          "the rise faster (docs/model.md O-17)")


def flagship() -> None:
    print("6. Flagship (taiwan_blockade_magnets): markets at a bound, buyer cost against the chain shortfall")
    sc = load_example("taiwan_blockade_magnets")
    res = simulate(sc, engine="vector", seed=2025)
    pinned = prices_at_bounds(res)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = who_pays(res)
    cost, lost = table["buyer_cost_increase_usd"].sum(), table["deliveries_lost_usd"].sum()
    final = table["final_buyer_cost_increase_usd"].sum()
    print(f"   markets at a bound for more than 5 days: {int((pinned['days_at_bound'] > 5).sum())} (was 25)")
    print(f"   buyer cost increase, every lane {cost / 1e9:.1f} bn USD (counts a rise once per stage), final buyers "
          f"{final / 1e9:.1f} bn USD; value of final demand not delivered {lost / 1e6:.0f} M USD")
    rents = table[["scarcity_rent_usd", "scarcity_rent_net_of_inputs_usd", "exporter_rent_lost_usd"]] / 1e9
    print("   scarcity rents, bn USD (gross; net of the region's producers' input price rises; of the gross, lost by "
          "selling below the reference):")
    for region, row in rents.iterrows():
        print(f"     {region:<4} {row.scarcity_rent_usd:>7.2f} {row.scarcity_rent_net_of_inputs_usd:>7.2f} "
              f"{row.exporter_rent_lost_usd:>7.2f}")


def tw_fab_outage() -> None:
    print("7. Every Taiwanese fab out (from day 30, 730 days, price feedback): buyers' logic-chip prices")
    from supplychain.analytics import chain_shortfall_usd
    tools_dir = pathlib.Path(__file__).resolve().parent
    spec = importlib.util.spec_from_file_location("tw_fab_outage", tools_dir / "tw_fab_outage.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    warnings.filterwarnings("ignore", message="CapacityShock with stage=")
    base = load_baseline().with_horizon(730).replace(price_feedback=True)
    ref = simulate(base, engine="vector", seed=SEED)
    ref_short = float(chain_shortfall_usd(ref)[0])
    for days in (30, 90, 180):
        res = simulate(mod.outage(base, days), engine="vector", seed=SEED)
        short = (float(chain_shortfall_usd(res)[0]) - ref_short) / 1e9
        regions, values = market_prices(res, "logic_chip")
        peaks = " ".join(f"{r} {values[0, :, i].max():.2f}" for i, r in enumerate(regions))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            final = who_pays(res)["final_buyer_cost_increase_usd"].sum() / 1e9
        print(f"   {days:>3} days: chain shortfall {short:5.1f} bn USD, TW logic wafer peak "
              f"{index(res, 'logic_wafer', 'TW').max():.2f}, logic chip peaks {peaks}; final buyers {final:.1f} bn USD")


def japan_korea_2019() -> None:
    print("8. A safety-stock build under a licence wait (shipped scenario japan_korea_2019, not fed back)")
    res = simulate(load_example("japan_korea_2019"), engine="vector", seed=2019)
    bounds = prices_at_bounds(res)
    for commodity in ("fluorinated_polyimide", "photoresist", "hf_high_purity"):
        x = index(res, commodity, "KR")
        at = bounds[(bounds["commodity"] == commodity) & (bounds["region"] == "KR") & (bounds["bound"] == "cap")]
        days = float(at["days_at_bound"].sum())
        print(f"   {commodity:<22} KR peak {x.max():.2f} on {res.dates[int(x.argmax())]}, last day {x[-1]:.2f}, "
              f"days at the cap {days:.0f}")
    print("   published: no Korean price series; Korean output not hit (Newsis, 9 Jul 2020)")


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(allow_abbrev=False,
                            description=__doc__.split("\n\n")[0] + " Runs every section (about half a minute).",
                            formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    pass_through()
    input_tariff()
    directions()
    gallium()
    gallium_year_ban()
    foundry_2021()
    chi_chi_1999()
    utilisation_2021_2023()
    flagship()
    tw_fab_outage()
    japan_korea_2019()
