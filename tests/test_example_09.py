"""The 2021 chip-shortage scenario (supplychain/datasets/chip_shortage_2021.py, run by
examples/09_chip_shortage_2021.py): what its set-up promises."""

from __future__ import annotations

import numpy as np
import pytest

import supplychain as sc
from supplychain.analytics import chain_shortfall_usd


@pytest.fixture(scope="module")
def example():
    """The shipped builder and its cited inputs."""
    from supplychain.datasets import chip_shortage_2021
    return chip_shortage_2021


@pytest.fixture(scope="module")
def runs(example):
    """2020 and 2021 with and without the Texas storm, the Renesas fire and Malaysia's lockdown, and without any shock."""
    out = {flag: sc.simulate(example.shortage_2021(365, disruptions=flag), engine="vector", seed=1) for flag in (True, False)}
    return {**out, "base": sc.simulate(example.shortage_2021(365).without_shocks(), engine="vector", seed=1)}


def test_2020_demand_follows_the_cited_quarters_and_2021_the_rfi(example, runs):
    # hand computation: each segment's daily demand over its baseline rate is the product of its shocks' factors
    net, o = runs[True].scenario.network, example.LEAD_IN
    rate = np.array([d.rate_per_day for d in net.demands])
    ratio = runs[True].demand[0] / rate
    k = {(d.region, d.commodity, d.segment): i for i, d in enumerate(net.demands)}
    q2, q3 = (example.QUARTERS[1] - example.QUARTERS[0]).days, (example.QUARTERS[2] - example.QUARTERS[0]).days
    assert (q2, q3, o) == (91, 182, 366)
    assert ratio[q2:q3, k["US", "mature_chip", "automotive"]] == pytest.approx(0.30, abs=1e-12)   # N. America Q2 -70 %
    assert ratio[q2:q3, k["ROW", "mature_idm_chip", "automotive"]] == pytest.approx(0.41, abs=1e-12)   # Europe -59 %
    assert ratio[q2:q3, k["JP", "mature_chip", "automotive"]] == pytest.approx(0.58, abs=1e-12)   # the world -42 %
    others = example.demand_2020(net)   # the buyers other than automakers: what fabs made beyond the automakers' chips
    for q, (a, b) in enumerate(zip(example.QUARTERS[:4], example.QUARTERS[1:])):
        first, last = (a - example.QUARTERS[0]).days, (b - example.QUARTERS[0]).days
        assert ratio[first:last, k["CN", "mature_chip", "electronics"]] == pytest.approx(others[q], abs=1e-12)
        assert ratio[first:last, k["KR", "mature_idm_chip", "industrial"]] == pytest.approx(others[q], abs=1e-12)
        # hand computation: the world's mature chips demanded over 2019's are the quarter's utilisation over 2019's mean
        chips = [i for i, d in enumerate(net.demands) if d.commodity in example.CHIPS]
        world = runs[True].demand[0, first:last][:, chips].sum(axis=1) / rate[chips].sum()
        assert world == pytest.approx(example.UTILISATION_2020[q] / 0.885, rel=1e-4)
    assert others[1] > others[0] > 1.0   # work from home and restocking took what automakers gave up in Q2 2020
    chips = [i for i, d in enumerate(net.demands) if d.commodity in example.CHIPS]
    assert ratio[o:, chips] == pytest.approx(1.17, abs=1e-12)   # 2021: the RFI's +17 % on every segment
    logic = [i for i, d in enumerate(net.demands) if d.commodity not in example.CHIPS]
    assert ratio[:, logic] == pytest.approx(1.0, abs=1e-12)


def test_2020_leaves_nothing_short_and_2021_keeps_fabs_flat_out(example, runs):
    # fabs able to deliver +13 % over 2019 make 2020's demand at UMC's utilisation, nothing short; on 2021's
    # +17 % chips are short without any disruption, the disruptions add to it, and every mature fab makes its whole
    # capacity left in 2021, but for the days on which 2020's starts below it fall due again: a line at full
    # utilisation never catches up on days it started less (docs/model.md §5.4), so they recur every cycle time
    o, net = example.LEAD_IN, runs[False].scenario.network
    short = {f: (runs[f].demand - runs[f].delivered)[0].sum(axis=1) for f in (True, False)}
    assert np.abs(short[False][:o]).max() < 1e-6 and np.abs(short[True][:o]).max() < 1e-6
    assert 0.0 < short[False][o:].sum() < short[True][o:].sum()
    fab = [f.output in example.WAFERS for f in net.facilities]   # foundry- and IDM-made
    left = 1.0 - round(1.0 - example.RUN * example.SUPPLY, 4)   # 2025 capacity x 0.75 (2019 output) x 1/0.885
    assert example.SUPPLY == pytest.approx(1.13, abs=1e-3) and left == pytest.approx(0.8474, abs=1e-12)
    # the scenario's network carries that capacity (its normal utilisation is 2019's, the fab prices' reference)
    base = {f.id: f.capacity_per_day for f in sc.load_baseline().network.facilities}
    capacity = np.array([f.capacity_per_day for f in net.facilities])[fab]
    np.testing.assert_allclose(capacity, left * np.array([base[f.id] for f in net.facilities])[fab], rtol=1e-12)
    made = runs[False].production[0][:, fab]
    assert np.all(made <= capacity * (1 + 1e-9)) and made[o:].sum() > 0.99 * 365 * capacity.sum()
    # the echoes of 2020's starts: no day of 2021 below the least utilisation of 2020
    assert (made[o:].sum(axis=1) / capacity.sum()).min() > min(example.UTILISATION_2020) - 0.01
    for q, (a, b) in enumerate(zip(example.QUARTERS[:4], example.QUARTERS[1:])):   # 2020 runs at UMC's reported utilisation
        first, last = (a - example.QUARTERS[0]).days, (b - example.QUARTERS[0]).days
        assert made[first:last].sum() / ((last - first) * capacity.sum()) == pytest.approx(example.UTILISATION_2020[q], abs=0.01)


def test_the_storm_and_the_fire_remove_the_hand_computed_fab_output(example, runs):
    net, o = runs[True].scenario.network, example.LEAD_IN
    ids = [f.id for f in net.facilities]
    lost = (runs[False].production - runs[True].production)[0]
    full = runs[False].production[0] >= runs[False].production[0].max(axis=0) * (1 - 1e-9)   # not a low-start echo day
    # the network's capacity is 2019's output over 2019's utilisation (2025's x 0.8474)
    cap = {i: net.facilities[ids.index(i)].capacity_per_day for r in ("US", "JP")
           for i in (f"{r}.fab.mature_wafer", f"{r}.fab.mature_idm_wafer")}
    # Texas: 30 % of both kinds of US fab from 15 Feb 2021 (day 45 of 2021) to 31 Mar (day 89, excluded), 44 days; on
    # the days the fab would make its whole capacity exactly 30 % of it is lost (on echo days of 2020's starts below
    # capacity, §5.4, less), nothing before; the starts it lost fall due again every cycle time at full utilisation, so the
    # year's loss is at least the storm's own (and no longer its 44 days exactly, as without the lead-in year)
    for fab in ("US.fab.mature_wafer", "US.fab.mature_idm_wafer"):
        k = ids.index(fab)
        assert lost[:, k].sum() > 0.95 * 0.3 * 44 * cap[fab] and np.abs(lost[:o + 45, k]).max() < 1e-9 * cap[fab]
        days = np.arange(o + 45, o + 89)[full[o + 45:o + 89, k]]
        assert len(days) >= 10 and np.all(lost[days, k] == pytest.approx(0.3 * cap[fab], rel=1e-9))
    # Renesas (an IDM): the N3 line's sales, 156 M USD a month (Renesas's CEO, 21 Mar 2021), at the IDM chips' 3,763 USD
    # a wafer-equivalent, 156e6 / (365 / 12) / 3763 = 1,362.9 wafers a day off Japan's IDM fab (its fraction rounded to
    # 4 decimals), from 19 Mar (day 77) to 17 Apr (day 106, excluded), 29 days, then back linearly over 68 days (to
    # 24 Jun), recovery starting on the end day: d / 68 of the loss is back on its d-th day (docs/model.md §6.6)
    idm = ids.index("JP.fab.mature_idm_wafer")
    x = round(156e6 / (365 / 12) / 3763.0 / cap["JP.fab.mature_idm_wafer"], 4)
    jp, ramp = x * cap["JP.fab.mature_idm_wafer"], sum(1.0 - k / 68 for k in range(1, 68))
    assert jp == pytest.approx(1362.9, rel=2e-3) and lost[:, idm].sum() > 0.95 * (29 + ramp) * jp
    days = np.arange(o + 77, o + 106)[full[o + 77:o + 106, idm]]
    assert len(days) >= 5 and np.all(lost[days, idm] == pytest.approx(jp, rel=1e-9))
    jf = lost[:, ids.index("JP.fab.mature_wafer")]   # Japan's foundry fab: not hit; it only idles when its buyers are short
    assert np.abs(jf[:o + 45]).max() < 1e-9 and np.abs(jf).sum() < 0.05 * (29 + ramp) * jp


def test_the_vehicles_by_region_add_up_and_every_car_making_region_loses(example, runs):
    # Motor vehicles lost in 2021 by region sum to the world's (C29 output lost over 2021 / world C29 output x 2019
    # vehicles; revenue net of the parts C29 buys from C29); every region that makes cars loses some; the automotive
    # buyers' reading is their 2021 shortfall share x the vehicles made in each region
    from supplychain.impact import load_io_table
    table, o = load_io_table(), example.LEAD_IN
    units, revenue, seg, loss = example.vehicles_lost(runs[True], runs["base"], table, o)
    j = table.sectors.index("C29")
    gross = (runs[True].value_added_loss().daily[0, o:, :, j].sum(axis=0)
             / table.value_added.reshape(len(table.regions), -1)[:, j]).sum()
    assert units.sum() == pytest.approx(gross / table.output[:, j].sum() * example.WORLD_VEHICLES_2019, rel=1e-12)
    assert revenue == pytest.approx(gross * (1.0 - 0.35), rel=1e-12)
    assert all(units[table.regions.index(r)] > 0.02 * units.sum() for r in ("JP", "US", "CN", "ROW"))
    net = runs[True].scenario.network
    us = [i for i, d in enumerate(net.demands) if d.commodity in example.CHIPS and (d.region, d.segment) == ("US", "automotive")]
    gap = ((runs[True].demand - runs[True].delivered) - (runs["base"].demand - runs["base"].delivered))[0, o:, us].sum()
    c29 = table.output[:, j]
    assert seg[table.regions.index("US")] == pytest.approx(
        c29[table.regions.index("US")] / c29.sum() * example.WORLD_VEHICLES_2019 * gap / runs[True].demand[0, o:, us].sum(), rel=1e-12)
    assert units.sum() < seg.sum()   # substitution (§8.3) saves part of the cars short of chips


def test_the_mature_chip_price_rises_where_chips_are_short(example, runs):
    from supplychain.plotting import market_prices
    regions, index = market_prices(runs[True], "mature_chip")
    assert index[0, 0].tolist() == [1.0] * len(regions)   # the reference on the first day
    assert index[0, :, regions.index("ROW")].max() > 1.0 and index[0, :, regions.index("ROW")].argmax() > 366
    assert index[0, 366:].min() > 0.999


@pytest.mark.parametrize("chip", ["mature_chip", "mature_idm_chip"])
def test_2020_raises_chip_prices_with_the_fabs_utilisation(example, runs, chip):
    # Nothing is short in 2020, but the fabs run at UMC's 93-99 % against 2019's 88.5 %, their normal utilisation:
    # the utilisation term (docs/model.md §5.9) lifts the wafer prices and, by cost share, the chips' in every region
    # (the US automakers' glut of Q2 2020, a few days of the market's flow over the restocking year, no longer
    # shows as a dip below the reference)
    from supplychain.plotting import market_prices
    regions, index = market_prices(runs[True], chip)
    _, wafer = market_prices(runs[True], chip.replace("chip", "wafer"))
    o, res = example.LEAD_IN, runs[True]
    assert np.abs((res.demand - res.delivered)[0, :o]).max() < 1e-6
    assert index[0, :o].min() > 1.0 - 1e-4
    # (a market whose fabs stay below 2019's 88.5 %, the term's reference, keeps its price: Taiwan's few IDM fabs)
    assert (index[0, o - 1] > 1.02).sum() >= len(regions) - 1 and np.median(index[0, o - 1]) > 1.05
    assert np.median(wafer[0, o - 1]) > 1.05   # a region without such fabs has no utilisation to read


def test_turn_and_earn_after_2020_serves_automakers_last(example, runs):
    # mature fabs and packagers allocate by recent purchases (docs/model.md §5.7) and nothing else does. Automakers
    # cut their chip orders in spring 2020, electronics makers raised theirs: under turn-and-earn the automotive
    # buyers' share of 2021's shortfall is larger than under allocation by the steady flow, electronics' smaller; the
    # 2020 cut is what moves it (without the lead-in year the rule moves the automotive reading by less)
    o = example.LEAD_IN
    nets = {rule: example.shortage_2021(30, allocation=rule).network for rule in ("auto", "recent")}
    ruled = {f.id: f.allocation for f in nets["recent"].facilities}
    mature = {f.id for f in nets["auto"].facilities if f.output in example.MATURE}
    assert len(mature) >= 10 and all(ruled[i] == "recent" for i in mature)
    assert all(f.allocation == "auto" for f in nets["auto"].facilities)
    assert all(ruled[f.id] == f.allocation for f in nets["auto"].facilities if f.id not in mature)

    def shares(result, first):
        net, gap = result.scenario.network, (result.demand - result.delivered)[0, first:].sum(axis=0)
        dem = result.demand[0, first:].sum(axis=0)
        pick = {g: [i for i, d in enumerate(net.demands) if d.commodity in example.CHIPS and d.segment == g]
                for g in ("automotive", "electronics")}
        return {g: gap[k].sum() / dem[k].sum() for g, k in pick.items()}
    history = sc.simulate(example.shortage_2021(365, allocation="auto"), engine="vector", seed=1)
    recent, old = shares(runs[True], o), shares(history, o)
    # Electronics buyers run short too where one packager's designs run out (design-specific stocks, docs/model.md
    # §5.6.6): 6.1 % against 3.8 % of the period's demand, where pooled stocks gave them under half the automotive share.
    assert recent["automotive"] > 1.1 * old["automotive"] and recent["automotive"] > 1.5 * recent["electronics"]
    assert recent["automotive"] / old["automotive"] > recent["electronics"] / old["electronics"]
    flat = {rule: shares(sc.simulate(example.shortage_2021(365, allocation=rule, lead_in=False), engine="vector", seed=1), 0)
            for rule in ("auto", "recent")}
    assert recent["automotive"] / old["automotive"] > flat["recent"]["automotive"] / flat["auto"]["automotive"]


def test_the_published_split_is_put_on_the_model_regions_by_output(example):
    # AutoForecast Solutions' 11.26 M: N. America's 3.40 M shared by 2021 output (the US 9.17 of 13.43 M), rest of Asia's
    # 1.95 M likewise (Japan, Korea, Taiwan 11.57 of 20.65 M), China's 2.15 M whole; ROW takes the rest
    split = example.AFS_SPLIT
    assert split["US"] == pytest.approx(3.40 * 9.17 / 13.43) and split["JP+KR+TW"] == pytest.approx(1.95 * 11.57 / 20.65)
    assert sum(split.values()) == pytest.approx(11.261) and split["CN"] == 2.15


def test_without_a_lean_chain_fabs_and_packagers_keep_the_baseline_stocks(example):
    lean, kept = (example.shortage_2021(30, lean_chain=flag).network for flag in (True, False))
    base = sc.load_baseline(horizon_days=30 + example.LEAD_IN, start_date=example.QUARTERS[0]).network
    mature = [i for i, f in enumerate(base.facilities) if f.output in example.MATURE]
    for i in mature:
        assert (kept.facilities[i].initial_inventory, kept.facilities[i].policies) == (base.facilities[i].initial_inventory, base.facilities[i].policies)
        assert kept.facilities[i].allocation == "recent" and dict(lean.facilities[i].policies)[base.facilities[i].output] == sc.DaysOfCover(5.0)
    assert [d.policy for d in kept.demands] == [d.policy for d in lean.demands]   # users lean either way (the RFI's measurement)


def test_the_timing_reads_the_automakers_shortfall_by_quarter_and_month(example, runs):
    # hand computation: Q2 2021 is days 90-180 of 2021 (1 Apr to 30 Jun), the automotive buyers' extra shortfall over
    # their demand; Q4 2020 and Q1 2021 are not short (2021 starts with the chain's stocks full)
    quarters, first = example.automotive_timing(runs[True], runs["base"])
    net, o = runs[True].scenario.network, example.LEAD_IN
    k = [i for i, d in enumerate(net.demands) if d.commodity in example.CHIPS and d.segment == "automotive"]
    gap = ((runs[True].demand - runs[True].delivered) - (runs["base"].demand - runs["base"].delivered))[0][:, k].sum(axis=1)
    dem = runs[True].demand[0][:, k].sum(axis=1)
    assert quarters["Q2 2021"] == pytest.approx(gap[o + 90:o + 181].sum() / dem[o + 90:o + 181].sum(), rel=1e-12)
    assert list(quarters) == ["Q4 2020", "Q1 2021", "Q2 2021", "Q3 2021", "Q4 2021"]
    assert quarters["Q4 2020"] < 0.01 and quarters["Q1 2021"] < 0.01 < quarters["Q2 2021"] < quarters["Q3 2021"]
    months = [(d, gap[o + a:o + b].sum() / dem[o + a:o + b].sum()) for d, a, b in (("Apr 2021", 90, 120), ("May 2021", 120, 151))]
    assert first == next(d for d, x in months if x > 0.01)


def test_q4_2020_orders_beyond_output_are_the_lead_times_rise_by_littles_law(example):
    # hand computation: (13.9 - 12.5) weeks x 7 = 9.8 days of Q4's output, ordered over Q4's 92 days by the buyers
    # other than automakers; the other quarters and the automakers' demand are unchanged
    net = sc.load_baseline().network
    assert example.BACKLOG_DAYS == pytest.approx(9.8, abs=1e-12)
    plain, ordered = example.demand_2020(net), example.demand_2020(net, backlog=True)
    assert ordered[:3] == plain[:3]
    rates = [(d.rate_per_day, d.segment) for d in net.demands if d.commodity in example.CHIPS]
    total, others = sum(x for x, _ in rates), sum(x for x, g in rates if g != "automotive")
    q4_output = example.UTILISATION_2020[3] / example.UTILISATION_2019 * total   # what the fabs made a day, 2019 = 1
    extra = (ordered[3] - plain[3]) * others * 92   # orders beyond output over Q4, in 2019 days of chips
    assert extra == pytest.approx(9.8 * q4_output, rel=1e-3)   # demand_2020 rounds its factors to 4 decimals
    assert example.shortage_2021(30, backlog_2020=True).shocks != example.shortage_2021(30).shocks


def test_restocking_moves_each_users_target_to_its_2019_cover_from_2021(example):
    # hand computation: from 1 Jan 2021 (day 366) each mature-chip user's order-up-to level rises by its 2019 cover
    # (the baseline's, 14 days automotive, 40 the others) minus the lean target (5 x cover / 40), times its use
    from supplychain.compile.compiler import compile_scenario
    base = {d.id: d for d in sc.load_baseline().network.demands}
    s = example.shortage_2021(1, disruptions=False, restock=True)   # the 2020 lead-in and 2021's first day
    c = compile_scenario(s)
    o = example.LEAD_IN
    assert c.n_days == o + 1 and c.schedules.target_extra[:o].max() == 0.0
    stocks = [c.stock_node[b] for b in c.buyer_stock]
    checked = 0
    for d in s.network.demands:
        extra = c.schedules.target_extra[o, stocks.index(d.id)]
        if d.commodity in example.CHIPS:
            cover = base[d.id].policy.days
            assert d.policy.days == pytest.approx(5.0 * cover / 40.0)
            assert extra == pytest.approx((cover - d.policy.days) * d.rate_per_day, rel=1e-9)
            checked += 1
        else:
            assert extra == 0.0   # logic and memory users and every facility keep their targets
    assert checked == 3 * 2 * 6
    kept = example.shortage_2021(30, lead_in=False, automotive_patience=90).network.demands
    assert {(d.unmet, d.patience_days) for d in kept if d.segment == "automotive"} == {("backorder", 90.0)}
    assert {d.unmet for d in kept if d.segment != "automotive"} == {"lost"}
