"""The 2021 chip shortage as a historical scenario: 2020's cited demand, then 2021's, with its disruptions.

Inputs from sources, none fitted. 2020 first: the mature chips demanded in each quarter are what fabs made,
UMC's utilisation (93, 98, 97, 99 %) over 2019's 88.5 %; automakers' follow their quarterly output (Q2 -70 %
US, -59 % Europe, IHS Markit), the other buyers take the rest (+14 to +28 %: work from home and restocking,
UMC's reports). 2021: +17 % over 2019 for every buyer (US Department of Commerce, Results from the Semiconductor
Supply Chain Request for Information, 25 Jan 2022: the RFI); fabs at full (+13 %), none added; 5 days at packagers,
fabs, users x own cover/40 (RFI: a median of 40 days in 2019, under 5 in 2021). Texas storm (15 Feb, 6 weeks,
30 % of US mature fabs); Renesas Naka fire (an IDM, 19 Mar-17 Apr, full output by 24 Jun; the line's 156 M USD a
month of sales, Renesas); Malaysia's
lockdown (Jun-Sep, 30 % of ROW's back end).

Allocation: mature fabs and packagers serve by recent purchases (turn-and-earn, Cachon and Lariviere,
Management Science, 1999; docs/model.md §5.7). Foundries "fully utilized with demand from every sector" put
carmakers, who had cut orders in 2020, behind customers with standing orders (TSMC statement, 28 Jan 2021;
EE Times, 28 Jan 2021). Pro rata on orders is not what they did; it favours the buyers whose orders run
furthest beyond their use (the rationing game, Lee, Padmanabhan and Whang, Management Science, 1997).

What remains off: the shortage reaches automakers in May 2021, not December 2020. Utilisation at 99 % bounds
2020's demand from below, so 2021 starts with the packagers' stocks full, and the +3.5 % gap and the storm take
until May to empty them (``tools/ex09_onset.py``). The orders fabs could not fill in Q4 2020 are measured only
as orders: lead times rose from 12.5 to 13.9 weeks by the fall of 2020 (`LEAD_TIMES`), 9.8 days of the flow by
Little's law (`BACKLOG_DAYS`); ``backlog_2020=True`` takes them all as use, which brings the onset to December
and overshoots the published losses; the share that was use is in no cited figure. How many
vehicles are lost turns on those stocks: the RFI measured users', the 5 days at fabs and packagers are an
assumption (``lean_chain=False`` keeps the baseline's 25 and 14 days). Regions lose in proportion to their
automakers' chips: the split by region follows the baseline's buyers, not local events.

Why too few cars are lost: the model's 2021 is short of use by about as much as 2021 was (mature-node use 3.4 %
beyond capacity; shipments grew +16-20 % over 2019, SIA, IC Insights, SEMI), but its users aim at the lean 5 days
they hold, so the orders owed never pass 4.4 days of use (a lead time of 13.1 weeks against Susquehanna's 21.7-25.8
in Sep-Dec 2021; ``tools/ex09_balance.py``). ``restock=True`` has every user aim at its 2019 cover again from 2021:
the queue comes (23 days) with the January onset, but the cars lost overshoot (docs/model.md §8.3, "2021's balance").

`vehicles_lost` and `automotive_timing` read a run of the scenario the way the published
outcomes (`PUBLISHED`, `AFS_SPLIT`, `ONSET`, `DEEPEST`) are stated.

Examples
--------
>>> scenario = shortage_2021(horizon=30)
>>> scenario.name, scenario.horizon_days, str(scenario.start_date)
('2021 chip shortage', 396, '2020-01-01')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from ..model import CapacityShock, DaysOfCover, DemandShock, Network, SafetyStockChange, Scenario
from .baseline import load_baseline

if TYPE_CHECKING:
    from ..impact.loss import ValueAddedLoss
    from ..impact.table import IOTable
    from ..results.series import Results

__all__ = ["shortage_2021", "lean_start", "demand_2020", "vehicles_lost", "automotive_timing",
           "MATURE", "CHIPS", "WAFERS", "LEAN_DAYS", "RUN", "DEMAND", "UTILISATION_2019", "SUPPLY", "QUARTERS",
           "YEAR0", "LEAD_IN", "VEHICLES_2020", "UTILISATION_2020", "WORLD_VEHICLES_2019", "PUBLISHED",
           "AFS_SPLIT", "ONSET", "DEEPEST", "LEAD_TIMES", "BACKLOG_DAYS", "NAKA_SALES_USD_MONTH", "naka_fraction"]

#: Foundry- and IDM-made mature chips and their wafers: 2021 hit both.
MATURE = ("mature_chip", "mature_wafer", "mature_idm_chip", "mature_idm_wafer")
CHIPS, WAFERS = MATURE[::2], MATURE[1::2]
#: Days of mature chips held in 2021 (US Commerce RFI, 2022: users' median under 5 days, against 40 in 2019).
LEAN_DAYS = 5.0
#: The 2025 baseline's mature fabs run at about 75 % of capacity (the baseline's fab utilisation).
RUN = 0.75
#: 2021 demand for chips over 2019's: median demand up to 17 % above 2019's (US Commerce RFI, 25 Jan 2022).
DEMAND = 1.17
#: UMC's mean foundry utilisation in 2019: 83, 88, 91, 92 % by quarter (UMC quarterly results, 2019).
UTILISATION_2019 = 0.885
#: Mature fabs at 100 % over 2019's output (no capacity added in 2020-21).
SUPPLY = round(1.0 / UTILISATION_2019, 4)
#: The first days of the quarters of 2020, then of 2021 (`YEAR0`).
QUARTERS = [dt.date(2020, m, 1) for m in (1, 4, 7, 10)] + [dt.date(2021, 1, 1)]
YEAR0 = QUARTERS[-1]
#: Days of 2020 simulated before 2021.
LEAD_IN = 366
#: Light vehicles made in each quarter of 2020 over the same quarter of 2019 (IHS Markit data in Magna
#: International's quarterly reports, 7 May, 7 Aug, 6 Nov 2020, 19 Feb 2021): North America for US, Europe for
#: ROW, China for CN (Q3 not given: the world's), the world ("*") for the others.
VEHICLES_2020 = {"US": (0.87, 0.30, 1.00, 1.03), "CN": (0.56, 1.03, 0.96, 1.10), "ROW": (0.81, 0.41, 0.95, 1.03),
                 "*": (0.73, 0.58, 0.96, 1.04)}
#: Foundry utilisation in 2020 by quarter, UMC's quarterly results (27 Apr, 29 Jul, 29 Oct 2020, 27 Jan 2021).
#: With no capacity added the mature chips made in each quarter of 2020 are its utilisation over 2019's mean
#: times 2019's; the buyers other than automakers take what the automakers did not.
UTILISATION_2020 = (0.93, 0.98, 0.97, 0.99)
#: World motor vehicles made in 2019 (OICA production statistics, 2019).
WORLD_VEHICLES_2019 = 91.8e6
#: Published vehicles lost to the shortage in 2021 and revenue lost (AlixPartners' forecast, Sep 2021;
#: AutoForecast Solutions' count, Jan 2022); ``None`` where not given.
PUBLISHED = {"AlixPartners (Sep 2021)": (7.7e6, 210e9), "AutoForecast Solutions (Jan 2022)": (10.2e6, None)}
# AutoForecast Solutions' 11.26 M by region (Automotive News, 12 Nov 2021) put on the model's regions by 2021
# output (OICA production statistics 2021): the US made 9.17 M of the 13.43 M made in the US, Canada and Mexico;
# Japan, Korea and Taiwan 11.57 M of the 20.65 M Asia-Oceania made outside China (an assumption: losses in
# proportion to output within each)
US_OF_NA, JKT_OF_ASIA = 9.17 / 13.43, 11.57 / 20.65
#: AutoForecast Solutions' vehicles lost in 2021 by model region, millions (see the comment above).
AFS_SPLIT = {"US": 3.40 * US_OF_NA, "CN": 2.15, "JP+KR+TW": 1.95 * JKT_OF_ASIA}
AFS_SPLIT["ROW"] = 11.261 - sum(AFS_SPLIT.values())   # Europe 3.32, S. America 0.375, M. East-Africa 0.071 and the rest
# First car lines stopped for want of chips in December 2020 and January 2021 (Volkswagen lost some 50,000 cars in
# China in December, Bloomberg, 20 Jan 2021, and cut Q1 output in China, N. America and Europe, statement of
# 18 Dec 2020; Ford idled Louisville the week of 11 Jan, Reuters, 8 Jan 2021); output fell most in Q3 2021 (Toyota
# cut September's by 40 %, announced 19 Aug 2021; US auto output in Sep 2021 at 71 % of 2019's, Goldman Sachs,
# 26 Oct 2021)
ONSET, DEEPEST = "Dec 2020", "Q3 2021"
#: Average chip lead time, weeks: before the pandemic (10 to 15 weeks, SemiMedia, 20 Jan 2023, reporting Susquehanna
#: Financial Group: the midpoint, 12.5) and in the fall of 2020 (13.9, Susquehanna's report of 5 Apr 2022, The Register,
#: 14 Apr 2022).
LEAD_TIMES = (12.5, 13.9)
#: Orders outstanding beyond normal at the end of 2020 by Little's law, in days of the flow: the lead time's rise,
#: (13.9 - 12.5) x 7 = 9.8 days (lead times rose further from the fall of 2020 on, The Register, 14 Apr 2022; the
#: pre-pandemic range, 10 to 15 weeks, gives 0 to 27 days).
BACKLOG_DAYS = round((LEAD_TIMES[1] - LEAD_TIMES[0]) * 7, 2)
#: The Renesas Naka N3 line's sales, USD a month: the revenue its stop costs, about 17 bn yen a month (CEO Hidetoshi
#: Shibata, press conference of 21 Mar 2021; 156 M USD in Reuters, 22 Mar 2021; "about 160 M USD", Wall Street Journal,
#: 22 Mar 2021). The fire takes that output, at the IDM chips' reference price, off Japan's IDM fab (`naka_fraction`).
NAKA_SALES_USD_MONTH = 156e6


def naka_fraction(net: Network, kept: float = 1.0) -> float:
    """The share of ``JP.fab.mature_idm_wafer``'s capacity the Renesas Naka fire takes: the line's sales.

    `NAKA_SALES_USD_MONTH` over 365/12 days, in wafer-equivalents of ``mature_idm_chip`` at its reference price, over
    the fab's capacity times ``kept`` (the share of it the 2021 network keeps, `shortage_2021`).

    Parameters
    ----------
    net : Network
        The baseline's network.
    kept : float
        The factor `shortage_2021` applies to every mature fab's capacity.

    Returns
    -------
    float

    Examples
    --------
    >>> import supplychain as sc
    >>> net = sc.load_baseline().network
    >>> x = naka_fraction(net)
    >>> wafers = x * net.facility("JP.fab.mature_idm_wafer").capacity_per_day
    >>> round(wafers * 3763.0 * 365 / 12 / 1e6)   # the line's 156 M USD a month, at the reference price
    156
    """
    price = next(c.price_usd for c in net.commodities if c.id == "mature_idm_chip")
    wafers = NAKA_SALES_USD_MONTH / (365.0 / 12.0) / price
    return round(wafers / (kept * net.facility("JP.fab.mature_idm_wafer").capacity_per_day), 4)


def lean_start(net: Network, days: float = LEAN_DAYS, allocation: str = "recent", chain: bool = True) -> Network:
    """``net`` holding ``days`` of mature chips, mature fabs and packagers rationing by ``allocation``.

    Users hold their 2019 cover x ``days``/40 (the RFI's median fell from 40 days to under 5); if ``chain``,
    packagers and mature fabs hold ``days`` of their inputs and outputs too (an assumption: the RFI measured
    users; the prices read this normal stock), else the baseline's (25 days at fabs, 14 at packagers).

    Parameters
    ----------
    net : Network
        The network, usually the baseline's.
    days : float
        Days of cover on the 2021 scale.
    allocation : str
        ``Facility.allocation`` of mature fabs and packagers (docs/model.md §5.7).
    chain : bool
        Whether fabs and packagers lean too.

    Returns
    -------
    Network

    Examples
    --------
    >>> import supplychain as sc
    >>> net = lean_start(sc.load_baseline().network)
    >>> net.facility("TW.fab.mature_wafer").allocation
    'recent'
    """
    demands = [dataclasses.replace(d, initial_inventory=(k := days * d.policy.days / 40.0) * d.rate_per_day,
                                   policy=DaysOfCover(k)) if d.commodity in MATURE else d for d in net.demands]
    facilities = [dataclasses.replace(f, initial_inventory={**dict(f.initial_inventory), **{
        k: days * RUN * f.capacity_per_day * dict(f.recipe).get(k, 1.0) for k, _ in f.policies if k in MATURE and chain}},
        policies={k: DaysOfCover(days) if k in MATURE and chain else p for k, p in f.policies}, allocation=allocation)
        if f.output in MATURE else f for f in net.facilities]
    return dataclasses.replace(net, demands=tuple(demands), facilities=tuple(facilities))


def demand_2020(net: Network, backlog: bool = False) -> list[float]:
    """Each quarter of 2020: the factor on the mature-chip demand of buyers other than automakers.

    The world's mature chips demanded are what the fabs made (`UTILISATION_2020` over
    `UTILISATION_2019`); automakers' follow their output (`VEHICLES_2020`), the industrial and
    electronics buyers' the rest (work from home, restocking: UMC's reports). With ``backlog``, the
    industrial and electronics buyers also order in Q4 what the fabs could not make: `BACKLOG_DAYS` of
    Q4's output over its 92 days (the orders that lengthened lead times, Little's law).

    Parameters
    ----------
    net : Network
        The network whose mature-chip demands are split.
    backlog : bool
        Whether Q4 2020's orders beyond output (`BACKLOG_DAYS`) are demanded.

    Returns
    -------
    list of float
        One factor per quarter of 2020.

    Examples
    --------
    >>> import supplychain as sc
    >>> [x > 1.0 for x in demand_2020(sc.load_baseline().network)]
    [True, True, True, True]
    """
    rates = [(d.rate_per_day, d.segment, d.region) for d in net.demands if d.commodity in CHIPS]
    auto = [(x, VEHICLES_2020.get(r, VEHICLES_2020["*"])) for x, g, r in rates if g == "automotive"]
    total, others = sum(x for x, _, _ in rates), sum(x for x, g, _ in rates if g != "automotive")
    extra = [0.0, 0.0, 0.0, BACKLOG_DAYS / (QUARTERS[4] - QUARTERS[3]).days if backlog else 0.0]
    return [round((u / UTILISATION_2019 * total * (1 + e) - sum(x * v[q] for x, v in auto)) / others, 4)
            for q, (u, e) in enumerate(zip(UTILISATION_2020, extra))]


def shortage_2021(horizon: int = 365, disruptions: bool = True, allocation: str = "recent", lead_in: bool = True,
                  lean_chain: bool = True, backlog_2020: bool = False, restock: bool = False,
                  automotive_patience: float | None = None) -> Scenario:
    """The 2021 chip shortage on the baseline: ``horizon`` days of 2021, after 2020 if ``lead_in``.

    2021's demand is +17 % on every mature-chip buyer; every mature fab's capacity in the network is 2019's output
    over UMC's 2019 utilisation (none added), so its normal utilisation, the reference of its price
    (docs/model.md §5.9, utilisation), is 2019's. With ``disruptions``: the Texas storm (30 % of both US mature fabs, 15 Feb-31 Mar),
    the Renesas fire (the N3 line's sales, `naka_fraction`: 5.1 % of Japan's IDM fab, 19 Mar-17 Apr, back over 68 days) and
    Malaysia's lockdown (30 % of ROW's mature packaging, 1 Jun-30 Sep, back over 30 days). With ``lead_in``, 2020
    first, by quarter (`demand_2020`). Stocks are lean (`lean_start`).

    Parameters
    ----------
    horizon : int
        Days of 2021 simulated.
    disruptions : bool
        Whether the storm, the fire and the lockdown happen.
    allocation : str
        How mature fabs and packagers ration (docs/model.md §5.7): "recent" (turn-and-earn), "auto", "pro_rata".
    lead_in : bool
        Whether 2020 (`LEAD_IN` days) runs first.
    lean_chain : bool
        Whether fabs and packagers hold `LEAN_DAYS` too (users always do).
    backlog_2020 : bool
        Whether the industrial and electronics buyers order in Q4 2020 the orders beyond output that chip
        lead times measure (`BACKLOG_DAYS`, `demand_2020`); with ``lead_in`` only.
    restock : bool
        Whether from 1 January 2021 every mature-chip user aims at its 2019 cover again (the baseline's
        segment covers, the RFI's 40-day median) while holding the lean stock (docs/model.md §8.3, "2021's balance"):
        it orders the difference on top of its use (a `SafetyStockChange` per region, class and segment).
    automotive_patience : float, optional
        If given, every automotive chip buyer keeps its unmet demand on order for that many days
        (``Demand.unmet="backorder"``, ``patience_days``, docs/model.md §5.5); ``None``: lost sales, as shipped.

    Returns
    -------
    Scenario

    Examples
    --------
    >>> s = shortage_2021(horizon=90, lead_in=False)
    >>> str(s.start_date), s.horizon_days, s.name
    ('2021-01-01', 90, '2021 chip shortage')
    """
    start = QUARTERS[0] if lead_in else YEAR0
    base = load_baseline(horizon_days=horizon + LEAD_IN * lead_in, start_date=start)
    regions = [r.id for r in base.network.regions]
    kept = 1.0 - round(1 - RUN * SUPPLY, 4)   # the share of every mature fab's capacity the 2021 network keeps (below)
    shocks = [DemandShock(region=r, commodity=c, factor=DEMAND, start=YEAR0) for r in regions for c in CHIPS]
    # Texas storm: 30 % of US mature fabs from 15 Feb 2021, 6 weeks; Renesas Naka fire (19 Mar, restart 17 Apr, full
    # output by 24 Jun): the N3 line's sales (`naka_fraction`), on Japan's IDM fab; Malaysia's lockdown, Jun-Sep: 30 % of ROW's back end
    # (the back end includes the IDMs' plants that package the chips they have made at foundries, ".idm_backend")
    # (a foundry-chip packager is split into one part per region of the fab behind its wafers: every part is hit)
    named = (*(f"ROW.packaging.{c}" for c in CHIPS), "ROW.packaging.mature_chip.idm_backend")
    plants = [p for n in named for p in (f.id for f in base.network.facilities)
              if p == n or (p.startswith(n + ".") and p[len(n) + 1:] in regions)]
    hits = [(f"US.fab.{w}", 0.3, 0, (2, 15), (3, 31)) for w in WAFERS] + [(p, 0.3, 30, (6, 1), (9, 30)) for p in plants] + [
            ("JP.fab.mature_idm_wafer", naka_fraction(base.network, kept), 68, (3, 19), (4, 17))]
    # Each hit is a share of the installed lines that were hit: the year's new capacity (stage fab_new) runs on
    # (family=False says so, docs/model.md §6.6).
    shocks += [CapacityShock(facility=f, fraction_lost=x, recovery_days=r, start=dt.date(2021, *a),
                             end=dt.date(2021, *b), family=False) for f, x, r, a, b in hits] if disruptions else []
    if lead_in:   # 2020: automakers' chips follow their output, the other buyers take what the fabs made beyond them
        shocks += [DemandShock(region=r, commodity=c, factor=x, segment=g, start=QUARTERS[q], end=QUARTERS[q + 1])
                   for q, others in enumerate(demand_2020(base.network, backlog_2020)) for r in regions for c in CHIPS
                   for g, x in [("automotive", VEHICLES_2020.get(r, VEHICLES_2020["*"])[q]), ("industrial", others),
                                ("electronics", others)]]
    if restock:   # from 2021 every mature-chip user aims at its 2019 cover again, holding the lean stock (RFI)
        shocks += [SafetyStockChange(region=d.region, commodity=d.commodity, segment=d.segment, start=YEAR0,
                                     cover_days=d.policy.days) for d in base.network.demands if d.commodity in CHIPS]
    net = lean_start(base.network, allocation=allocation, chain=lean_chain)
    if automotive_patience is not None:
        net = dataclasses.replace(net, demands=tuple(
            dataclasses.replace(d, unmet="backorder", patience_days=automotive_patience)
            if d.segment == "automotive" and "chip" in d.commodity else d for d in net.demands))
    # Every mature fab, any stage, has 2019's output over 2019's utilisation (none added): the 2021 network's
    # capacity, so that its normal utilisation is 2019's, the reference of its fab prices (docs/model.md §5.9).
    net = dataclasses.replace(net, facilities=tuple(dataclasses.replace(f, capacity_per_day=f.capacity_per_day * kept)
                                                    if f.output in WAFERS else f for f in net.facilities))
    return base.replace(network=net, name="2021 chip shortage").with_shocks(*shocks)


def vehicles_lost(shocked: Results, base: Results, table: IOTable,
                  first: int = 0) -> tuple[np.ndarray, float, np.ndarray, ValueAddedLoss]:
    """Motor vehicles lost from day ``first``, read two ways, and the revenue and value added lost.

    The C29 (motor vehicles) output lost in each region over the world's C29 output, times
    `WORLD_VEHICLES_2019`; and each region's vehicles times its automotive buyers' extra mature-chip
    shortfall over their demand (every car needs its chips). The two differ by substitution (docs/model.md §8.3).

    Parameters
    ----------
    shocked, base : Results
        Runs of the scenario with and without its shocks.
    table : IOTable
        The input-output table of the value added lost.
    first : int
        The first day read (`LEAD_IN` for 2021 alone).

    Returns
    -------
    units : numpy.ndarray
        Vehicles lost by region of ``table``, read in C29.
    revenue : float
        C29 output lost, net of the parts C29 buys from C29, USD.
    by_chips : numpy.ndarray
        Vehicles lost by region, read in the automotive buyers' chips.
    loss : ValueAddedLoss
        The value added lost from day ``first``.

    Examples
    --------
    >>> import supplychain as sc
    >>> from supplychain.impact import load_io_table
    >>> s = shortage_2021(horizon=20, disruptions=False, lead_in=False)
    >>> runs = [sc.simulate(x, engine="vector", seed=0) for x in (s, s.without_shocks())]
    >>> units, revenue, by_chips, loss = vehicles_lost(*runs, load_io_table())
    >>> units.shape == by_chips.shape == (6,)
    True
    """
    v = shocked.value_added_loss()
    loss, j, n_s = dataclasses.replace(v, daily=v.daily[:, first:]), table.sectors.index("C29"), len(table.sectors)
    gross, c29 = loss.total.mean(axis=0)[:, j] / table.value_added.reshape(-1, n_s)[:, j], table.output[:, j]   # C29 output lost
    inside = table.a.reshape(len(table.regions), n_s, -1, n_s)[:, j, :, j].sum(axis=0).mean()
    gap = sum(x * (r.demand - r.delivered)[:, first:].sum(axis=(0, 1)) for x, r in ((1, shocked), (-1, base)))
    share = [gap[k].sum() / shocked.demand[:, first:, k].sum() for k in ([i for i, d in enumerate(shocked.scenario.network.demands)
             if d.commodity in CHIPS and (d.segment, d.region) == ("automotive", r)] for r in table.regions)]
    return gross / c29.sum() * WORLD_VEHICLES_2019, gross.sum() * (1 - inside), c29 / c29.sum() * WORLD_VEHICLES_2019 * share, loss


def automotive_timing(shocked: Results, base: Results) -> tuple[dict[str, float], str]:
    """The automotive buyers' extra mature-chip shortfall over their demand, by quarter from Q4 2020.

    Parameters
    ----------
    shocked, base : Results
        Runs of `shortage_2021` with and without its shocks.

    Returns
    -------
    quarters : dict of str to float
        The share short in each quarter (Q4 2020 on) that the run reaches.
    first : str
        The first month with more than 1 % short ("May 2021"), or "none".

    Examples
    --------
    >>> import supplychain as sc
    >>> s = shortage_2021(horizon=20, disruptions=False, lead_in=False)
    >>> runs = [sc.simulate(x, engine="vector", seed=0) for x in (s, s.without_shocks())]
    >>> quarters, first = automotive_timing(*runs)
    >>> f"{quarters['Q1 2021']:.0%}", first   # 2021 starts with full stocks
    ('0%', 'none')
    """
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
    first = next((f"{dt.date(y, m, 1):%b %Y}" for y, m in months
                  if share(lambda x, y=y, m=m: (x.year, x.month) == (y, m)) > 0.01), "none")
    return quarters, first
