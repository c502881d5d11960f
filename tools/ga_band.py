"""The first year of China's gallium ban as a band: the restart lag of idle capacity and leakage, at their ends.

The first year's loss of a complete Chinese gallium ban rests on two things no source pins: how soon the idle
primary capacity outside China restarts (docs/model.md §5.4.1; the baseline's 365 + 365 days, Eurasian Resources
Group's Pavlodar restart and Metlen's ramp, against the minerals chain's default 60 + 90 days) and how much of the
banned flow leaks through third countries (0 to a quarter, §6.5.1). For README's ban from 1 March 2025 and a ban from
day 0 (vector engine, seed 42, price feedback off, 365 days), prints the value added lost, world and US, bn USD, at
the four corners, and the band they span; then China's gallium exports in the baseline (refined and crude, t a year)
beside China's customs (94 t in 2022), a germanium-only ban from 1 March and the shipped ``gallium_germanium_2023``.

Published: USGS OFR 2024-1057 (Nassar et al. 2024): a complete restriction of China's gallium exports costs US GDP
3.1 bn USD (range 1.7-8.2), an annual equilibrium (its like is the settled rate, `tools/ga_flow.py`, not a first year).

Run: ``PYTHONPATH=$PWD python tools/ga_band.py [--quick]`` (``--quick``: README's ban only, no extras).
"""

from __future__ import annotations

import argparse

from supplychain import ExportControl, load_baseline, load_example, simulate
from supplychain.metrics import loss_run_rate
from supplychain.model.substitution import substitute

SEED = 42
#: the complete ban's items (MOFCOM and GAC Announcement No. 23 of 2023; as in `tools/ga_flow.py`)
GALLIUM_ITEMS = ("gallium", "gallium_crude", "compound_wafer")
#: restart delay and ramp of the idle primary capacity outside China, days: the minerals chain's default and the
#: baseline's (docs/model.md §5.4.1; GA_RESTART, GA_RAMP in tools/baseline/minerals.py)
RESTARTS = ((60, 90), (365, 365))
#: leakage through third countries, share of the banned lanes' flow (docs/model.md §6.5.1, O-19)
LEAKAGES = (0.0, 0.25)
STARTS = (("README's ban from 1 March 2025", "2025-03-01"), ("ban from day 0", 0))


def _restart(scenario, delay: int, ramp: int):  # type: ignore[no-untyped-def]
    return substitute(scenario, {"network.facilities.ROW.mine.gallium_crude.restart_days": delay,
                                 "network.facilities.ROW.mine.gallium_crude.restart_ramp_days": ramp})


def _ban(scenario, start, leakage: float):  # type: ignore[no-untyped-def]
    return scenario.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=start,
                                                leakage=leakage) for k in GALLIUM_ITEMS))


def _loss(shocked, base) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    rate = loss_run_rate(shocked, base) / 1e9
    return float(rate.loc["ALL", "loss_usd"]), float(rate.loc["US", "loss_usd"])


def china_exports_t(res) -> float:  # type: ignore[no-untyped-def]
    """China's gallium exports (refined and crude) over a run's days 30-120, t a year."""
    co = res.coords
    lanes = [i for i, lab in enumerate(co.labels("lane")) if co.commodity["lane"][i] in ("gallium", "gallium_crude")
             and lab.startswith("CN.") and not lab.split(">")[1].startswith("CN.")]
    return float(res.arrays["flow"][0][30:120, lanes].sum(axis=1).mean() * 365 / 1000)


def band(start) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """(case, world, US) value added lost in the first year at each corner, bn USD."""
    rows = []
    for delay, ramp in RESTARTS:
        sc = _restart(load_baseline().with_horizon(365), delay, ramp)
        base = simulate(sc, engine="vector", seed=SEED)
        for leak in LEAKAGES:
            world, us = _loss(simulate(_ban(sc, start, leak), engine="vector", seed=SEED), base)
            rows.append((f"restart {delay}+{ramp} d, leakage {leak:.0%}", world, us))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--quick", action="store_true", help="README's ban only")
    args = parser.parse_args()
    for label, start in STARTS[:1] if args.quick else STARTS:
        rows = band(start)
        print(f"\n{label}, first year (vector, seed {SEED}), value added lost, bn USD, world / US:")
        for case, world, us in rows:
            print(f"  {case:<32} {world:7.2f} / {us:5.2f}", flush=True)
        print(f"  band: world {min(r[1] for r in rows):.1f}-{max(r[1] for r in rows):.1f}, "
              f"US {min(r[2] for r in rows):.2f}-{max(r[2] for r in rows):.2f}")
    if args.quick:
        return
    sc = load_baseline().with_horizon(365)
    base = simulate(sc, engine="vector", seed=SEED)
    print(f"\nChina's gallium exports in the baseline (refined and crude): {china_exports_t(base):.0f} t a year; "
          "China customs, 2022: 94 t (via Reuters, 4 Jul 2023)")
    ge = sc.with_shocks(ExportControl(exporter="CN", commodity="germanium", mode="ban", start="2025-03-01"))
    world, us = _loss(simulate(ge, engine="vector", seed=SEED), base)
    print(f"Germanium-only ban from 1 March: world {world:.3f} / US {us:.3f} bn")
    shipped = load_example("gallium_germanium_2023")
    seed = shipped.seed if shipped.seed is not None else SEED
    sbase = simulate(shipped.replace(shocks=(), responses=()), engine="vector", seed=seed)
    world, us = _loss(simulate(shipped, engine="vector", seed=seed), sbase)
    print(f"gallium_germanium_2023 (seed {seed}): world {world:.3f} / US {us:.3f} bn")
    print("\nUSGS OFR 2024-1057: a complete restriction of China's gallium exports, US GDP -3.1 bn USD (1.7-8.2), "
          "an annual equilibrium")


if __name__ == "__main__":
    main()
