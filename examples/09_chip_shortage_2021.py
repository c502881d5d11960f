"""The 2021 chip shortage: value added lost beyond the chain, and the auto industry's losses against published ones.

Covers: ``Results.value_added_loss`` (ARIO, model.md §8.3), ``gdp_at_risk``, ``chain_shortfall_usd``, ``plot_value_added_loss``,
``DemandShock(segment=...)`` (§6.8), turn-and-earn: ``Facility.allocation="recent"`` (§5.7), ``supplychain.datasets.chip_shortage_2021``

Scenario: inputs from sources, none fitted (each cited in ``supplychain/datasets/chip_shortage_2021.py``). 2020 first: mature
chips demanded are what fabs made (UMC's utilisation over 2019's 88.5 %), automakers' follow their output (Q2 -70 % US, IHS
Markit), the other buyers take the rest. 2021: +17 % over 2019 for every buyer (US Commerce RFI, 2022), fabs at full, none
added, 5 days of stock; the Texas storm, the Renesas fire, Malaysia's lockdown. Mature fabs and packagers serve by recent
purchases (turn-and-earn: carmakers, who cut orders in 2020, served last; TSMC, 28 Jan 2021); the printout gives steady-flow
and pro-rata rationing too. Off: automakers are short from April 2021, not December 2020, and lose 3x too few cars: users aim
at their lean 5 days, so orders never pile up as 2021's lead times did (tools/ex09_balance.py); users rebuilding their 2019
covers from 2021 (``restock``) bring the queue and January but overshoot (docs/model.md §8.3).
"""

import argparse
from pathlib import Path

import supplychain as sc
from supplychain.analytics import chain_shortfall_usd, gdp_at_risk
from supplychain.analytics.compare import format_usd
from supplychain.datasets.chip_shortage_2021 import (AFS_SPLIT, DEEPEST, DEMAND, LEAD_IN, MATURE, ONSET, PUBLISHED, UTILISATION_2019,
                                                     UTILISATION_2020, VEHICLES_2020, WORLD_VEHICLES_2019, automotive_timing,
                                                     demand_2020, shortage_2021, vehicles_lost)
from supplychain.impact import load_io_table
from supplychain.plotting import market_prices, plot_value_added_loss

SEED = 2021
CHIPS_PER_CAR = 812.0   # USD of semiconductors in an average light vehicle, 2022 (S&P Global Mobility, Apr 2023)


def simulate_pair(scenario: sc.Scenario) -> tuple[sc.Results, sc.Results]:
    """The scenario with and without its shocks."""
    return sc.simulate(scenario, engine="vector", seed=SEED), sc.simulate(scenario.without_shocks(), engine="vector", seed=SEED)


def main(horizon: int, out: str) -> None:
    print(f"2021 chip shortage, {horizon} days of 2021 after 2020 (model.md \u00a78.3, \u00a75.7): model against published")
    shocked, base = simulate_pair(shortage_2021(horizon))   # mature fabs and packagers serve by recent purchases
    rules = {r: sc.simulate(shortage_2021(horizon, allocation=r), engine="vector", seed=SEED) for r in ("auto", "pro_rata")}
    stocked = simulate_pair(shortage_2021(horizon, lean_chain=False))   # fabs and packagers at the baseline's stocks
    table = load_io_table()
    units, revenue, seg, loss = vehicles_lost(shocked, base, table, LEAD_IN)
    at_risk, short = gdp_at_risk(shocked, baseline=base), (chain_shortfall_usd(shocked) - chain_shortfall_usd(base)).mean()

    print("\nDemand for mature chips in 2020 over 2019, by quarter (fabs made their utilisation over 2019's 88.5 %, UMC):")
    print(f"  {'':22}" + "".join(f"{f'Q{q + 1}':>7}" for q in range(4)) + "   2021 (RFI)")
    for name, row in {"fab utilisation (UMC)": UTILISATION_2020, "all buyers": [u / UTILISATION_2019 for u in UTILISATION_2020],
                      "automakers (world)": VEHICLES_2020["*"], "other buyers": demand_2020(shocked.scenario.network)}.items():
        print(f"  {name:22}" + "".join(f"{x:7.2f}" for x in row) + ("" if name.startswith("fab") else f"{DEMAND:9.2f}"))

    print("\nValue added lost, 2020 and 2021 (ARIO, \u00a78.3):")
    print("\n".join(f"  {r:<4}{format_usd(x.loss_mean_usd):>8} ({x.gdp_at_risk_share:.2%} of GDP)" for r, x in at_risk.iterrows()))
    peak = market_prices(shocked, MATURE[0])[1].max()
    print(f"Loss given shortfall: ${at_risk.loc['ALL', 'loss_mean_usd'] / max(short, 1.0):.1f} of value added per $1 of chips "
          f"not delivered ({format_usd(short)}); mature-chip price peak {peak:.2f}x (over the reference, \u00a75.9)")

    print(f"\nMotor vehicles lost in 2021 (the readings differ by substitution, \u00a78.3): "
          f"C29 output {units.sum() / WORLD_VEHICLES_2019:.1%} below normal")
    print(f"{'':42}{'vehicles lost':>15}{'revenue lost':>16}")
    rows = {"model, recent purchases: C29": (units.sum(), revenue), "model, recent purchases: buyers' chips": (seg.sum(), None)}
    others = {f"model, {name}: C29 / buyers' chips": vehicles_lost(rules[r], base, table, LEAD_IN)
              for r, name in (("auto", "steady flow"), ("pro_rata", "pro rata"))}
    others["model, fabs, packagers at baseline stocks"] = vehicles_lost(*stocked, table, LEAD_IN)
    backlog = simulate_pair(shortage_2021(horizon, backlog_2020=True))   # Q4 2020's orders beyond output (lead times)
    others["model, Q4 2020 orders beyond output"] = vehicles_lost(*backlog, table, LEAD_IN)
    for k, kw in {"what-if: 2019 covers rebuilt": {}, "what-if: + carmakers wait 90 days": {"automotive_patience": 90}}.items():
        others[f"model, {k}"] = vehicles_lost(*simulate_pair(shortage_2021(horizon, restock=True, **kw)), table, LEAD_IN)
    rows.update({k: (f"{v[0].sum() / 1e6:.1f} / {v[2].sum() / 1e6:.1f}", v[1]) for k, v in others.items()})
    for name, (n, usd) in {**rows, **PUBLISHED}.items():
        print(f"{name:42}{n if isinstance(n, str) else f'{n / 1e6:.1f}':>13} M{format_usd(usd) if usd else 'n/a':>16}")
    net = shocked.scenario.network
    auto = [(i, {c.id: c.price_usd for c in net.commodities}[d.commodity]) for i, d in enumerate(net.demands)
            if d.segment == "automotive" and "chip" in d.commodity]
    gap = (shocked.demand - shocked.delivered) - (base.demand - base.delivered)
    cars_short = sum(p * float(gap[0, LEAD_IN:, i].sum()) for i, p in auto)
    carried = units.sum() / WORLD_VEHICLES_2019 * sum(365 * p * net.demands[i].rate_per_day for i, p in auto)  # in C29 lost
    print(f"Automakers' chips short in 2021 {format_usd(cars_short)}: ${revenue / max(cars_short, 1.0):.0f} of revenue lost per $1 short (\u00a78.3). "
          f"Per $1 of all the chips in the vehicles not built: model ${revenue / max(carried, 1.0):.0f}, AlixPartners' "
          f"$210bn / 7.7 M vehicles / ${CHIPS_PER_CAR:.0f} a car ${210e9 / 7.7e6 / CHIPS_PER_CAR:.0f}")

    quarters, first = automotive_timing(shocked, base)
    print("\nTiming: automakers' mature chips short, share of their demand: " + ", ".join(f"{q} {x:.1%}" for q, x in quarters.items()))
    print(f"  first month above 1 %: model {first} ({automotive_timing(*stocked)[1]} with fabs and packagers at the baseline's stocks, "
          f"{automotive_timing(*backlog)[1]} with Q4 2020's orders beyond output), published {ONSET} (VW China); fell most: {DEEPEST}")
    print(f"\n{'share by region':16}{'C29':>8}{'automotive buyers':>19}{'AutoForecast Solutions':>24} (Nov 2021, 11.3 M; NA, Asia by output)")
    for name, n in AFS_SPLIT.items():
        share = [sum(u[table.regions.index(r)] for r in name.split("+")) / max(u.sum(), 1.0) for u in (units, seg)]
        print(f"{name:16}{share[0]:8.0%}{share[1]:19.0%}{n / 11.261:24.0%}")
    (ax := plot_value_added_loss(loss)).set_title("2021 chip shortage: value added lost in 2021")
    Path(out).mkdir(parents=True, exist_ok=True)
    ax.figure.savefig(path := Path(out) / "09_chip_shortage_2021.png", dpi=90, bbox_inches="tight")
    print(f"saved {path.resolve()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--horizon", type=int, default=365, help="days of 2021 to simulate (after 2020)")
    parser.add_argument("--out", default=".", help="folder for the figure (default: the working folder)")
    main(**vars(parser.parse_args()))
