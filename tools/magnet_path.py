"""The magnet path: how a Chinese NdFeB magnet control reaches value added, and China's 2025 licensing against it.

Prints, on the vector engine (seed 2025, price feedback off, the built-in year from 1 January 2025):

1. **the mapping** of a magnet shortfall onto industries, per region: the share ``w`` of each industry's output that
   needs magnets (after the content cap of docs/model.md §8.3), the use shares ``u``, the content ``theta`` (USD of
   magnets per USD of the output that needs them, so ``1 / theta`` is the output at stake per USD of magnets), the
   rationing ranks and the substitutable share;
2. **the chain** under each case: each group of magnet users (car parts, motors, devices: end uses with their
   own covers, tools/baseline/minerals.py) by region: its cover (days of use held), China's share of its supply, the
   first and last day it goes short, and the magnets not delivered (t and USD at the reference price);
3. **value added lost through magnets alone** (every other column's shortfall set to 0), by region and industry,
   and in all, for the flagship ``taiwan_blockade_magnets``, China's magnet ban alone for 90 and 180 days from
   1 March, and licensing regimes of the same lengths run as China's 2025 licensing (below);
4. **the April-June 2025 episode** (``--episode``): China's licensing of magnets from 4 April 2025 (MOFCOM
   Announcement No. 18 of 2025) until the US-China London framework of 11 June 2025, read two ways: as before, a
   quarter of the applications approved (CLEPA, 4 June 2025) after a fixed 45-day delay; and gradually, each
   application decided after a delay uniform between 0 and the 63 calendar days of the regulations' 45 working
   days, approving the share of decisions that gives CLEPA's quarter approved by 4 June (``REVIEW_2025``,
   ``APPROVAL_2025``). Set beside what was published: China's magnet exports by month against the same month of
   2024 (China's General Administration of Customs: April 2,626 t, -51 %; May 1,238 t, -74 %; June 3,188 t, -38 %;
   July 5,577 t, +5.7 %; via Reuters, 20 Jun, 20 Jul and 20 Aug 2025) and who stopped, when: Ford's Chicago
   Assembly Plant (Explorer) idled the week of 20 May (Ford CEO J. Farley, Bloomberg, 12 Jun 2025); Suzuki's
   Swift line from 26 May to 13 June (Suzuki Motor statement, 5 Jun 2025; Nikkei); several European supplier plants
   and lines shut by 4 June (CLEPA press release, 4 Jun 2025). In both readings China's magnet shipments abroad
   fly from 4 April to 13 August, as suppliers flew their licensed magnets (``air_freight_2025``; ``--sea`` adds
   the reading with approved magnets at sea, the one before).

The episode is traced (`episode_trace`): for each group of users that goes short, its days short (and how many after
the regime ended on 11 June), its fill on those days, the magnets not delivered, the value added lost through that
group's shortfall alone, per USD of magnets short, and the share of it lost after 11 June; and China's exports by
month to each end-use group.

With ``--cover DAYS`` (repeatable) the episode is rerun with every magnet user holding DAYS of use instead of the
baseline's covers by end use; with ``--car-parts-cover DAYS`` (repeatable) only the first tranche of car-parts makers
(``car_parts``, 14 days in the baseline; the 42- and 70-day tranches unchanged) holds DAYS.

With ``--seeds N`` the episode's value added lost through magnets is also given over seeds 2020 .. 2020 + N - 1, in all
and by region with each region's first day short (`episode_seeds_by_region`; each
application's delay and decision are drawn per lane and day, and each region's car-parts makers are one buyer with one
Chinese lane, so the episode rests on a few dozen draws per group), beside two readings over the same seeds: the
licensing split by destination with the US's ending on 6 June (temporary licences for suppliers of GM, Ford and
Stellantis, Reuters, 6 Jun 2025) and the rest of the world's on 7 June (MOFCOM's "green channel" for EU applications,
7 Jun 2025), against the same split ending on 11 June everywhere (`EARLY_ENDS_2025`); and China's magnet lanes abroad
shipping in at most ``--fast-days`` days (a what-if: the baseline's lanes are sea freight).

Run: ``PYTHONPATH=$PWD python tools/magnet_path.py [--episode] [--sea] [--cover DAYS ...] [--car-parts-cover DAYS ...]
[--seeds N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt

import numpy as np

from supplychain import ExportControl, LogisticsShock, SafetyStockChange, Uniform, load_example, simulate
from supplychain.impact.loss import InputMap, value_added_loss
from supplychain.impact.table import load_io_table
from tools.baseline.logistics import AIR_LT

SEED = 2025
MAGNET = "ndfeb_magnet"
YEAR0 = dt.date(2025, 1, 1)
#: How long MOFCOM took to decide an application: at most 45 working days from receipt, the limit of China's
#: dual-use export-control regulations (Regulations of the People's Republic of China on the Export Control of
#: Dual-Use Items, State Council, in force 1 December 2024) reported for the April 2025 magnet licences ("It's 45
#: days", Dexter Magnetic Technologies' CEO J. Stupfel, Reuters, 30 Jun 2025), 45 x 7 / 5 = 63 calendar days. No
#: distribution is published, and decisions came at different times: temporary licences for suppliers of GM, Ford and
#: Stellantis by early June (Reuters, 9 Jun 2025) while Dexter had 5 of its 180 applications since April granted
#: (Reuters, 30 Jun 2025). So each application's delay is uniform between 0 and the 63-day limit (the
#: distribution that assumes nothing else).
REVIEW_DAYS_2025 = 45 * 7 / 5
REVIEW_2025 = Uniform(0.0, REVIEW_DAYS_2025)
#: The CLEPA figure: "only about a quarter" of the hundreds of applications filed by European suppliers since early
#: April had been approved by 4 June 2025 (CLEPA press release, 4 June 2025); by 30 June the share was 60 % (CLEPA's
#: N. Poel, Reuters, 30 Jun 2025), after the London framework. A quarter approved *so far* mixes the decision with
#: the review's delay: of applications filed evenly from 4 April, a uniform 0-63-day review had decided
#: 61 / (2 x 63) = 48 % by 4 June, so the share of decisions that approve is 0.25 / 0.484.
CLEPA_APPROVED_SO_FAR = 0.25
_DECIDED_4_JUNE = 61 / (2 * REVIEW_DAYS_2025)
APPROVAL_2025 = round(CLEPA_APPROVED_SO_FAR / _DECIDED_4_JUNE, 3)
#: China's magnet exports in 2025 as a share of the same month of 2024 (China's General Administration of Customs,
#: HS 8505.11, via Reuters 20 Jun, 20 Jul, 20 Aug 2025): April -51 %, May -74 %, June -38 %, July +5.7 %
CUSTOMS_2025 = {4: 0.49, 5: 0.26, 6: 0.62, 7: 1.057}
#: who stopped, when (first day of the stop, region of the buyer)
STOPS_2025 = (("US", dt.date(2025, 5, 20), "Ford, Chicago Assembly (Explorer), one week (Ford CEO, Bloomberg, "
                                           "12 Jun 2025)"),
              ("JP", dt.date(2025, 5, 26), "Suzuki, Swift line, to 13 June (Suzuki statement, 5 Jun 2025)"),
              ("ROW", dt.date(2025, 6, 4), "European supplier plants and lines, by this date (CLEPA, 4 Jun 2025)"))


#: The last day of the 2025 regime in the model: the US-China London framework of 11 June 2025.
END_2025 = dt.date(2025, 6, 11)


#: When licensing eased for car-parts makers' suppliers, by region of the buyer: China granted temporary licences to
#: rare-earth suppliers of GM, Ford and Stellantis (Reuters, 6 Jun 2025) and MOFCOM offered a "green channel" to
#: fast-track eligible EU applications (MOFCOM statement, 7 Jun 2025). A what-if only: an `ExportControl`'s destinations are
#: regions, so an early end frees every user of the region, not only the car-parts makers.
EARLY_ENDS_2025 = {"US": dt.date(2025, 6, 6), "ROW": dt.date(2025, 6, 7)}


#: Approved magnets fly. Under the licensing each application took "a month or longer", "forcing bigger companies
#: like Schaeffler to air-freight the magnets to Europe and other markets instead of waiting the four to six weeks
#: for a container ship to arrive", at about five times the cost, "an option that excludes small and medium-sized
#: suppliers" (Schaeffler CEO M. Zink, "Europe's car makers sideswiped by US-China trade war", Politico Europe,
#: June 2025); after the London framework Ford's supply was "hand to mouth" (Ford's L. Drake, Reuters, June 2025).
#: So China's magnet shipments abroad sent from the regime's first day take the baseline's international air lead
#: time (``tools/baseline/logistics.py`` ``AIR_LT``, 6 days, the chips' lanes) in place of the sea lanes' 10 (Asia),
#: 25 (US) and 35 days (rest of the world): a `LogisticsShock` on shipments sent in its window (goods already at sea
#: keep their lead time, docs/model.md §6.7), to the last day an application filed under the regime can be decided,
#: 11 June + 63 days = 13 August (the regulations' 45 working days). Every user of a region flies (a
#: `LogisticsShock` selects lanes by region, not by buyer), while small suppliers did not: the loss errs low by their
#: share, which no source gives.
AIR_DAYS_2025 = AIR_LT["intl"][0]
AIR_FROM_2025 = dt.date(2025, 4, 4)
AIR_UNTIL_2025 = END_2025 + dt.timedelta(days=round(REVIEW_DAYS_2025))


def air_freight_2025(net) -> tuple[LogisticsShock, ...]:  # type: ignore[no-untyped-def]
    """China's magnet shipments to each other region flying from 4 April to 13 August 2025 (`AIR_DAYS_2025` days in
    place of each region's sea lead time; one shock per destination region, whose Chinese lanes share a lead time)."""
    sea: dict[str, set[float]] = {}
    for ln in net.lanes:
        if ln.commodity == MAGNET and ln.origin.startswith("CN.") and not ln.destination.startswith("CN."):
            sea.setdefault(net.demand(ln.destination).region, set()).add(ln.lead_time.mean)
    out = []
    for region, days in sorted(sea.items()):
        (mean,) = days
        if mean > AIR_DAYS_2025:
            out.append(LogisticsShock(origin_region="CN", destination_region=region, commodity=MAGNET,
                                      lead_time_multiplier=AIR_DAYS_2025 / mean, start=_day(AIR_FROM_2025),
                                      end=_day(AIR_UNTIL_2025)))
    return tuple(out)


def _day(date: dt.date) -> int:
    return (date - YEAR0).days


def _date(day: int) -> str:
    return (YEAR0 + dt.timedelta(days=int(day))).isoformat()


def mapping(net, table) -> None:  # type: ignore[no-untyped-def]
    """Print the magnet columns' dependence, use, content, ranks and substitution by region."""
    im = InputMap.build(net, table)
    n_s = len(table.sectors)
    theta = table.content.get(MAGNET, np.zeros(n_s))
    rank = table.priority.get(MAGNET, np.zeros(n_s))
    share, days = table.substitution.get(MAGNET, (0.0, 0.0))
    print("Mapping of a magnet shortfall (docs/model.md §8.3): sectors " + " ".join(table.sectors[:4]))
    print(f"  content theta (USD of magnets per USD of dependent output): {np.round(theta[:4], 5)}; output at stake "
          f"per USD of magnets 1/theta: {np.round(1 / np.where(theta[:4] > 0, theta[:4], np.nan), 0)}")
    print(f"  rationing ranks (higher served first; all equal = pro rata): {rank[:4]}; substitutable {share:.0%} "
          f"over {days:.0f} days")
    for k, (region, commodity, segment) in enumerate(im.columns):
        if commodity == MAGNET:
            r = table.regions.index(region)
            blk = slice(r * n_s, r * n_s + 4)
            print(f"  {region + ' ' + (segment or ''):14} w {np.round(im.dependence[k, blk], 4)}  "
                  f"u {np.round(im.use[k, blk], 3)}")


def chain(res, base, net, label: str) -> None:  # type: ignore[no-untyped-def]
    """Print each region's magnet users' cover, China's share, days short and magnets not delivered."""
    price = next(c.price_usd for c in net.commodities if c.id == MAGNET)
    lanes = [ln for ln in net.lanes if ln.commodity == MAGNET]
    print(f"\n{label}: magnet users by region")
    for j, d in enumerate(net.demands):
        if d.commodity != MAGNET:
            continue
        cn = sum(ln.share for ln in lanes if ln.destination == d.id and ln.origin.startswith("CN."))
        short = (np.maximum(res.demand[0][:, j] - res.delivered[0][:, j], 0)
                 - np.maximum(base.demand[0][:, j] - base.delivered[0][:, j], 0))
        days = np.flatnonzero(short > 1e-6 * d.rate_per_day)
        when = f"short {_date(days[0])} .. {_date(days[-1])} ({len(days)} days)" if len(days) else "never short"
        cover = getattr(d.policy, "days", getattr(d, "cover_days", float("nan")))
        print(f"  {d.region + ' ' + (d.segment or ''):16} cover {cover:4.0f} d, China {cn:4.0%} of supply; {when}; "
              "not delivered "
              f"{short.sum():7,.0f} t = {short.sum() * price / 1e6:6.1f} M USD ({short.sum() / d.rate_per_day:5.1f} "
              "days of use)")


def va_through_magnets(res, base, net, table) -> tuple[np.ndarray, float]:  # type: ignore[no-untyped-def]
    """Value added lost through magnets alone (regions x sectors, USD) and in all (USD), against ``base``."""
    com = np.array([d.commodity for d in net.demands])
    delivered = res.delivered.copy()
    delivered[:, :, com != MAGNET] = res.demand[:, :, com != MAGNET]
    unshocked = base.value_added_loss(table=table).daily[0]
    only = value_added_loss(res.demand, delivered, net, table=table, scenario=res.scenario).daily[0] - unshocked
    full = res.value_added_loss(table=table).daily[0] - unshocked
    return only.sum(axis=0), float(full.sum())


def cases(base_sc):  # type: ignore[no-untyped-def]
    """(label, scenario): the flagship, and magnet bans and licensing regimes of 90 and 180 days from 1 March."""
    out = [("flagship taiwan_blockade_magnets", load_example("taiwan_blockade_magnets"))]
    start = _day(dt.date(2025, 3, 1))
    for n in (90, 180):
        out.append((f"magnet ban {n} d", base_sc.with_shocks(
            ExportControl(exporter="CN", commodity=MAGNET, mode="ban", start=start, end=start + n - 1))))
        air = tuple(dataclasses.replace(a, start=start, end=start + n - 1 + round(REVIEW_DAYS_2025))
                    for a in air_freight_2025(base_sc.network))
        licence = ExportControl(exporter="CN", commodity=MAGNET, mode="licence", start=start, end=start + n - 1,
                                approval_probability=APPROVAL_2025, processing_delay=REVIEW_2025)
        out.append((f"magnet licensing {n} d, {APPROVAL_2025:.0%} approved, approved magnets flown",
                    base_sc.with_shocks(licence, *air)))
    return out


def control_2025(gradual: bool = True) -> ExportControl:
    """China's magnet licensing of 4 April - 11 June 2025: gradual (a uniform 0-63-day review, approvals derived
    from CLEPA's quarter so far) or, with ``gradual=False``, the earlier reading (a quarter approved after a fixed
    45-day delay, the default of docs/assumptions.md)."""
    window = dict(exporter="CN", commodity=MAGNET, mode="licence", start=_day(dt.date(2025, 4, 4)),
                  end=_day(dt.date(2025, 6, 11)))
    if gradual:
        return ExportControl(**window, approval_probability=APPROVAL_2025, processing_delay=REVIEW_2025)
    return ExportControl(**window, approval_probability=CLEPA_APPROVED_SO_FAR)


def controls_2025_split(ends: dict[str, dt.date]) -> tuple[ExportControl, ...]:
    """`control_2025` split by destination: one regime per region in ``ends`` ending on its date, one for the rest."""
    c = control_2025()
    return ((dataclasses.replace(c, except_destinations=tuple(ends)),)
            + tuple(dataclasses.replace(c, destinations=(r,), end=_day(e)) for r, e in ends.items()))


def with_fast_lanes(base_sc, days: float):  # type: ignore[no-untyped-def]
    """``base_sc`` with China's magnet lanes abroad shipping in at most ``days`` (a what-if, not a cited lead time)."""
    from supplychain import Fixed
    net = base_sc.network
    lanes = tuple(dataclasses.replace(ln, lead_time=Fixed(float(days)))
                  if ln.commodity == MAGNET and ln.origin.startswith("CN.") and not ln.destination.startswith("CN.")
                  and ln.lead_time.mean > days else ln for ln in net.lanes)
    return base_sc.replace(network=dataclasses.replace(net, lanes=lanes))


def with_car_parts_cover(base_sc, days: float):  # type: ignore[no-untyped-def]
    """``base_sc`` with every region's first tranche of car-parts makers (``car_parts``, 14 days in the baseline)
    holding ``days`` of magnet use (the other tranches and users unchanged)."""
    net = base_sc.network
    demands = tuple(dataclasses.replace(d, policy=dataclasses.replace(d.policy, days=float(days)))
                    if d.commodity == MAGNET and d.segment == "car_parts" else d for d in net.demands)
    return base_sc.replace(network=dataclasses.replace(net, demands=demands))


def episode_measures(base_sc, base, cover: float | None = None,  # type: ignore[no-untyped-def]
                     gradual: bool = True, car_parts_cover: float | None = None, air: bool = True) -> dict:
    """China's 2025 magnet licensing in the model: exports by month and each region's days short.

    Returns ``{"exports": {month: share of the unshocked run's exports}, "exports_by_group": {segment: {month:
    share}}, "short": {(region, segment): (first day, last day, days of use not delivered) or None}, "results":
    (shocked, unshocked)}``. With ``cover``, every region's magnet users hold that many days of use from day 0 (a
    `SafetyStockChange` in both runs, so their stocks have settled long before April), instead of the baseline's
    covers by end use; with ``car_parts_cover`` only the first car-parts tranche does (`with_car_parts_cover`, both
    runs).
    ``gradual`` picks the reading of the licensing (`control_2025`); ``air`` flies China's magnet shipments abroad
    from 4 April to 13 August (`air_freight_2025`; ``False``: they sail, the reading before).
    """
    if car_parts_cover is not None:
        base_sc = with_car_parts_cover(base_sc, car_parts_cover)
        base = simulate(base_sc, engine="vector", seed=SEED)
    if cover is not None:
        regions = sorted({d.region for d in base_sc.network.demands if d.commodity == MAGNET})
        base_sc = base_sc.with_responses(*(SafetyStockChange(region=r, commodity=MAGNET, cover_days=cover)
                                           for r in regions))
        base = simulate(base_sc, engine="vector", seed=SEED)
    net = base_sc.network
    res = simulate(base_sc.with_shocks(control_2025(gradual), *(air_freight_2025(net) if air else ())),
                   engine="vector", seed=SEED)
    out = [i for i, ln in enumerate(net.lanes) if ln.commodity == MAGNET and ln.origin.startswith("CN.")
           and not ln.destination.startswith("CN.")]
    flow, flow0 = res.arrays["flow"][0][:, out].sum(axis=1), base.arrays["flow"][0][:, out].sum(axis=1)
    exports = {}
    for month in CUSTOMS_2025:
        a, b = _day(dt.date(2025, month, 1)), _day(dt.date(2025, month + 1, 1))
        exports[month] = float(flow[a:b].sum() / flow0[a:b].sum())
    by_group: dict = {}
    segment = {i: net.demand(net.lanes[i].destination).segment for i in out}
    for g in sorted(set(segment.values()), key=str):
        lanes = [i for i in out if segment[i] == g]
        f, f0 = res.arrays["flow"][0][:, lanes].sum(axis=1), base.arrays["flow"][0][:, lanes].sum(axis=1)
        by_group[g] = {}
        for month in CUSTOMS_2025:
            a, b = _day(dt.date(2025, month, 1)), _day(dt.date(2025, month + 1, 1))
            by_group[g][month] = float(f[a:b].sum() / f0[a:b].sum())
    short: dict = {}
    for _, d, gap, days in _magnet_gaps(res, base):
        short[(d.region, d.segment)] = ((int(days[0]), int(days[-1]), float(gap.sum() / d.rate_per_day))
                                        if len(days) else None)
    return {"exports": exports, "exports_by_group": by_group, "short": short, "results": (res, base)}


def _magnet_gaps(res, base):  # type: ignore[no-untyped-def]
    """Each magnet user's column, demand, daily shortfall net of ``base`` and the days it is short."""
    for j, d in enumerate(res.scenario.network.demands):
        if d.commodity != MAGNET:
            continue
        gap = (np.maximum(res.demand[0][:, j] - res.delivered[0][:, j], 0)
               - np.maximum(base.demand[0][:, j] - base.delivered[0][:, j], 0))
        yield j, d, gap, np.flatnonzero(gap > 1e-6 * d.rate_per_day)


def episode_trace(res, base, table) -> list[dict]:  # type: ignore[no-untyped-def]
    """Where the episode's value added lost through magnets comes from: one row per group of users that goes short.

    Each row: ``region``, ``segment``, ``first`` and ``last`` day short, ``days`` short and ``days_after`` the regime
    ended (`END_2025`), ``fill`` (delivered / demand over its days short), ``short_t`` and ``short_usd`` (magnets not
    delivered, net of ``base``, at the reference price), ``va`` (value added lost, USD, through this group's
    shortfall alone: every other column delivered in full), ``va_per_usd`` and ``va_after`` (the share of ``va`` lost
    on days after `END_2025`), ``va_by_region`` (USD lost in each region of the table), ``va_by_sector`` (USD lost in
    each sector, every region), ``va_during`` (USD lost on the regime's days, to `END_2025`) and ``output_per_usd``
    (the dependent output per USD of the group's magnets, `_output_per_usd`), so that
    ``va_per_usd / output_per_usd`` is the value added lost along the chain per USD of the group's output not made.
    """
    net = res.scenario.network
    price = next(c.price_usd for c in net.commodities if c.id == MAGNET)
    end = _day(END_2025)
    unshocked = base.value_added_loss(table=table).daily[0]
    im = InputMap.build(net, table)
    rows = []
    for j, d, gap, days in _magnet_gaps(res, base):
        if not len(days):
            continue
        delivered = res.demand.copy()
        delivered[:, :, j] = res.delivered[:, :, j]
        daily = value_added_loss(res.demand, delivered, net, table=table, scenario=res.scenario).daily[0] - unshocked
        va = daily.sum(axis=(1, 2))
        usd = float(gap.sum() * price)
        rows.append(dict(region=d.region, segment=d.segment, first=int(days[0]), last=int(days[-1]),
                         days=len(days), days_after=int(np.sum(days > end)),
                         fill=float(1 - gap[days].sum() / res.demand[0][days, j].sum()), short_t=float(gap.sum()),
                         short_usd=usd, va=float(va.sum()), va_per_usd=float(va.sum() / usd),
                         va_after=float(va[end + 1:].sum() / va.sum()),
                         va_by_region=dict(zip(table.regions, daily.sum(axis=(0, 2)).tolist())),
                         va_by_sector=dict(zip(table.sectors, daily.sum(axis=(0, 1)).tolist())),
                         va_during=float(va[:end + 1].sum()), output_per_usd=_output_per_usd(im, table, net, d)))
    return rows


def _output_per_usd(im, table, net, d) -> float:  # type: ignore[no-untyped-def]
    """Output that needs the magnets of demand ``d``'s column per USD of them a year: the column's dependent output
    (its dependence times gross output, every node) over its users' magnets at the reference price (``1 / theta``
    where the content cap binds, less where the region's users hold more magnets than its output needs)."""
    segment = "car_parts" if d.segment and d.segment.startswith("car_parts") else d.segment   # tranches pool
    k = im.columns.index((d.region, MAGNET, segment))
    price = next(c.price_usd for c in net.commodities if c.id == MAGNET)
    rate = sum(x.rate_per_day for x in net.demands if x.commodity == MAGNET and x.region == d.region
               and ("car_parts" if (x.segment or "").startswith("car_parts") else x.segment) == segment)
    return float(im.dependence[k] @ table.output.ravel() / (365 * price * rate))


def episode(base_sc, base, table, cover: float | None = None,  # type: ignore[no-untyped-def]
            gradual: bool = True, car_parts_cover: float | None = None, air: bool = True) -> None:
    """Print China's 2025 magnet licensing in the model beside China's customs and the published stops."""
    m = episode_measures(base_sc, base, cover, gradual, car_parts_cover, air)
    res, base = m["results"]
    how = (f"a uniform 0-{REVIEW_DAYS_2025:.0f}-day review, {APPROVAL_2025:.0%} of decisions approve" if gradual
           else f"a fixed 45-day review, {CLEPA_APPROVED_SO_FAR:.0%} of decisions approve")
    print(f"\nThe April-June 2025 episode: licensing from 2025-04-04 to 2025-06-11, {how} (vector engine, seed "
          f"2025); approved magnets {'flown' if air else 'at sea'}; magnet users' cover "
          f"{'as shipped' if cover is None else f'{cover:g} days from day 0'}"
          + ("" if car_parts_cover is None else f", first car-parts tranche {car_parts_cover:g} days"))
    print("  China's magnet exports, share of normal: month   model (vs unshocked)   customs (vs same month 2024)")
    for month, published in CUSTOMS_2025.items():
        print(f"    2025-{month:02d}   {m['exports'][month]:6.0%}   {published:6.0%}")
    print("  who stopped, when: model (first day each group of the region's magnet users goes short) beside the "
          "published stop")
    for g, months in m["exports_by_group"].items():
        print(f"    to {g or 'pooled'} users: " + ", ".join(f"2025-{k:02d} {v:.0%}" for k, v in months.items()))
    published = {region for region, _, _ in STOPS_2025}
    for region, date, what in STOPS_2025:
        print(f"    {region:4} published {date.isoformat()} (day {_day(date) - _day(dt.date(2025, 4, 4))} of the "
              f"licensing): {what}")
        for (r, segment), got in m["short"].items():
            if r == region:
                model = (f"{_date(got[0])} (day {got[0] - _day(dt.date(2025, 4, 4))}) .. {_date(got[1])}, "
                         f"{got[2]:.1f} days of use not delivered" if got else "never short")
                print(f"         model {segment or 'pooled':12} {model}")
    for (r, segment), got in m["short"].items():
        if r not in published and got:
            print(f"    {r:4} (no stop published) model {segment or 'pooled':12} {_date(got[0])} (day "
                  f"{got[0] - _day(dt.date(2025, 4, 4))}) .. {_date(got[1])}, {got[2]:.1f} days of use not delivered")
    only, full = va_through_magnets(res, base, res.scenario.network, table)
    print(f"  value added lost through magnets {only.sum() / 1e9:.2f} bn USD (all paths {full / 1e9:.2f} bn); "
          f"traced by the group short (that group's shortfall alone; regime ended {END_2025.isoformat()}):")
    for row in episode_trace(res, base, table):
        print(f"    {row['region'] + ' ' + (row['segment'] or 'pooled'):16} short {row['days']} days "
              f"({row['days_after']} after the regime), fill {row['fill']:.0%} on them; {row['short_t']:,.0f} t = "
              f"{row['short_usd'] / 1e6:.1f} M USD not delivered; value added {row['va'] / 1e9:.2f} bn USD "
              f"({row['va_per_usd']:,.0f} per USD short = {row['output_per_usd']:,.0f} USD of output at stake x "
              f"{row['va_per_usd'] / row['output_per_usd']:.2f} of value added per USD of output not made; "
              f"{row['va_after']:.0%} after the regime; {row['va_by_region'][row['region']] / row['va']:.0%} in "
              f"{row['region']}, {row['va_by_sector']['C29'] / row['va']:.0%} in C29)")


def episode_seeds(base_sc, base, table, seeds, shocks=None,  # type: ignore[no-untyped-def]
                  air: bool = True) -> dict[int, float]:
    """The episode's value added lost through magnets (USD) for each seed, against the unshocked run ``base``
    (``shocks``: the licensing, `control_2025` by default; ``air``: with `air_freight_2025`)."""
    shocked = base_sc.with_shocks(*(shocks or (control_2025(),)),
                                  *(air_freight_2025(base_sc.network) if air else ()))
    return {s: float(va_through_magnets(simulate(shocked, engine="vector", seed=s), base, base_sc.network,
                                        table)[0].sum()) for s in seeds}


def episode_seeds_by_region(base_sc, base, table, seeds) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    """The episode as shipped (`control_2025` with `air_freight_2025`) for each seed: ``{"va": {region: value added lost
    through magnets, USD}, "first": {region: first day any of its magnet users goes short, or None}}``."""
    shocked = base_sc.with_shocks(control_2025(), *air_freight_2025(base_sc.network))
    out = {}
    for s in seeds:
        res = simulate(shocked, engine="vector", seed=s)
        only, _ = va_through_magnets(res, base, base_sc.network, table)
        first: dict = {}
        for _, d, _, days in _magnet_gaps(res, base):
            if len(days) and (first.get(d.region) is None or days[0] < first[d.region]):
                first[d.region] = int(days[0])
            first.setdefault(d.region, None)
        out[s] = {"va": {r: float(only[i].sum()) for i, r in enumerate(table.regions)}, "first": first}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--episode", action="store_true", help="only the April-June 2025 episode")
    parser.add_argument("--cover", type=float, action="append", default=[],
                        help="also the episode with magnet users holding this many days of use (repeatable)")
    parser.add_argument("--car-parts-cover", type=float, action="append", default=[],
                        help="also the episode with car-parts makers holding this many days of use (repeatable)")
    parser.add_argument("--fast-days", type=float, action="append", default=[],
                        help="also the episode with China's magnet lanes abroad shipping in at most this many days")
    parser.add_argument("--sea", action="store_true",
                        help="also the episode with approved magnets at sea (the reading before the air freight)")
    parser.add_argument("--seeds", type=int, default=0,
                        help="also the episode's value added lost through magnets over this many seeds from 2020")
    args = parser.parse_args()
    table = load_io_table()
    base_sc = load_example("taiwan_blockade_magnets").replace(shocks=())
    net = base_sc.network
    base = simulate(base_sc, engine="vector", seed=SEED)
    if not args.episode:
        mapping(net, table)
        for label, sc in cases(base_sc):
            res = simulate(sc, engine="vector", seed=SEED)
            chain(res, base, net, label)
            only, full = va_through_magnets(res, base, net, table)
            print(f"  value added lost through magnets {only.sum() / 1e9:.2f} bn USD (all paths {full / 1e9:.2f} bn); "
                  "by region and industry, bn USD:")
            for r, region in enumerate(table.regions):
                print(f"    {region:4} " + "  ".join(f"{s} {v / 1e9:6.2f}" for s, v in zip(table.sectors, only[r])))
    episode(base_sc, base, table, gradual=False)
    if args.sea:
        episode(base_sc, base, table, air=False)
    episode(base_sc, base, table)
    for days in args.cover:
        episode(base_sc, base, table, cover=days)
    for days in args.car_parts_cover:
        episode(base_sc, base, table, car_parts_cover=days)
    for days in args.fast_days:
        fast = with_fast_lanes(base_sc, days)
        print(f"\nChina's magnet lanes abroad shipping in at most {days:g} days (what-if):", end="")
        episode(fast, simulate(fast, engine="vector", seed=SEED), table)
    if args.seeds:
        seeds = range(2020, 2020 + args.seeds)
        late = {r: END_2025 for r in EARLY_ENDS_2025}
        detail = episode_seeds_by_region(base_sc, base, table, seeds)
        regions = sorted({r for v in detail.values() for r in v["first"]})
        print(f"\nThe episode over {args.seeds} seeds, as shipped, by region: value added lost through magnets, mean "
              "(min .. max) bn USD; first day short (day of the licensing), min .. max, and seeds never short:")
        for r in regions:
            va = [v["va"][r] / 1e9 for v in detail.values()]
            days = [v["first"][r] - _day(dt.date(2025, 4, 4)) for v in detail.values() if v["first"][r] is not None]
            never = sum(v["first"][r] is None for v in detail.values())
            print(f"    {r:4} {np.mean(va):5.2f} ({min(va):.2f} .. {max(va):.2f}); first short "
                  + (f"day {min(days)} .. {max(days)}" if days else "never") + f", never short in {never} seeds")
        for label, shocks, air in (("as shipped", None, True), ("approved magnets at sea", None, False),
                                   ("split by destination, all ending 11 June", controls_2025_split(late), True),
                                   ("US ending 6 June, ROW 7 June", controls_2025_split(EARLY_ENDS_2025), True)):
            va = episode_seeds(base_sc, base, table, seeds, shocks, air)
            print(f"\nThe episode over {args.seeds} seeds, {label}: value added lost through magnets, bn USD: "
                  + ", ".join(f"{s} {v / 1e9:.1f}" for s, v in va.items())
                  + f"; mean {np.mean(list(va.values())) / 1e9:.1f}, {min(va.values()) / 1e9:.1f} .. "
                  f"{max(va.values()) / 1e9:.1f}")


if __name__ == "__main__":
    main()
