"""China's gallium controls as written (the metal and its compounds, wafers included) against a ban of the metal.

MOFCOM and GAC Announcement No. 23 of 2023 (3 Jul 2023, in force 1 Aug 2023) lists, besides gallium metal, gallium
nitride, oxide, phosphide and arsenide "including but not limited to polycrystalline, single crystal, wafer,
epitaxial wafer" forms, indium gallium arsenide, gallium selenide and gallium antimonide: the baseline's
``compound_wafer`` (GaAs/GaN substrates and epiwafers) is controlled with the metal; compound devices are not.
A ban of the metal alone lets the device fabs abroad qualify China's compound wafers (AXT's Beijing Tongmei,
a potential alternate in the baseline) and buy the gallium inside them.

For each case (vector engine, seed 42, price feedback off), a ban of the metal (gallium, gallium_crude) and the
controls as written (the same plus compound_wafer) side by side: value added lost, world and US, bn USD, and the
run rate (the last 30 days x 365) at the end of the horizon:

1. README's ban from 1 March 2025, 365 days;
2. a ban from day 0, 365 days, and the same over 1,085 days (the horizon at which
   `supplychain.analytics.impact.steady_loss` finds the loss settled): the settled rate; with the compound wafers
   China ships to device fabs abroad at the end (units a day and the gallium inside them, t a year);
3. the shipped ``gallium_germanium_2023`` on its seed, with and without its compound-wafer licences.

Published: USGS OFR 2024-1057 (Nassar et al. 2024): a complete restriction of China's gallium exports costs US GDP
3.1 bn USD (range 1.7-8.2), an annual equilibrium.

Run: ``PYTHONPATH=$PWD python tools/ga_wafer.py``.
"""

from __future__ import annotations

from supplychain import ExportControl, load_baseline, load_example, simulate
from supplychain.metrics import loss_run_rate

SEED = 42
METAL = ("gallium", "gallium_crude")
#: a complete gallium ban as China's controls list the items (MOFCOM and GAC Announcement No. 23 of 2023): the
#: metal of any purity and gallium arsenide and nitride in their wafer and epitaxial-wafer forms (compound devices
#: are not listed)
GALLIUM_ITEMS = ("gallium", "gallium_crude", "compound_wafer")


def _ban(scenario, commodities, start):  # type: ignore[no-untyped-def]
    return scenario.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=start)
                                  for k in commodities))


def _va(shocked, base) -> str:  # type: ignore[no-untyped-def]
    rate = loss_run_rate(shocked, base) / 1e9
    world, us = rate.loc["ALL"], rate.loc["US"]
    return (f"world {world['loss_usd']:6.2f} / US {us['loss_usd']:5.2f} bn; run rate at the end world "
            f"{world['run_rate_usd_per_year']:6.1f} / US {us['run_rate_usd_per_year']:5.2f} bn a year")


def china_wafer_exports(res) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """China's compound-wafer exports over a run's last 30 days: units a day and their gallium, t a year."""
    co = res.coords
    lanes = [i for i, lab in enumerate(co.labels("lane")) if co.commodity["lane"][i] == "compound_wafer"
             and lab.startswith("CN.") and not lab.split(">")[1].startswith("CN.")]
    units = float(res.arrays["flow"][0][-30:, lanes].sum(axis=1).mean()) if lanes else 0.0
    kg = dict(load_baseline().network.facility("CN.wafer.compound_wafer").recipe)["gallium"]
    return units, units * kg * 365 / 1000


def main() -> None:
    for label, start, days in (("README's ban from 1 March 2025, 365 days", "2025-03-01", 365),
                               ("ban from day 0, 365 days", 0, 365),
                               ("ban from day 0, 1,085 days (settled rate at the end)", 0, 1085)):
        sc = load_baseline().with_horizon(days)
        base = simulate(sc, engine="vector", seed=SEED)
        print(f"\n{label}:")
        for name, coms in (("metal only", METAL), ("as written", GALLIUM_ITEMS)):
            res = simulate(_ban(sc, coms, start), engine="vector", seed=SEED)
            units, t_ga = china_wafer_exports(res)
            print(f"  {name:<11} {_va(res, base)}; China's compound-wafer exports at the end {units:,.0f} units/day "
                  f"({t_ga:.1f} t Ga/yr)", flush=True)
    shipped = load_example("gallium_germanium_2023")
    seed = shipped.seed if shipped.seed is not None else SEED
    base = simulate(shipped.replace(shocks=(), responses=()), engine="vector", seed=seed)
    metal = shipped.replace(shocks=tuple(s for s in shipped.shocks if getattr(s, "commodity", "") != "compound_wafer"))
    print(f"\ngallium_germanium_2023 (seed {seed}, {shipped.horizon_days} days):")
    for name, scenario in (("without its compound-wafer licences", metal), ("as shipped", shipped)):
        res = simulate(scenario, engine="vector", seed=seed)
        units, t_ga = china_wafer_exports(res)
        print(f"  {name:<36} {_va(res, base)}; China's compound-wafer exports at the end {units:,.0f} units/day",
              flush=True)
    print("\nUSGS OFR 2024-1057: a complete restriction of China's gallium exports, US GDP -3.1 bn USD (1.7-8.2)")


if __name__ == "__main__":
    main()
