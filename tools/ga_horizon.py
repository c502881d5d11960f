"""Where the horizon cuts China's gallium ban: the chain's stocks stage by stage, and the loss beyond the year.

Prints (vector engine, seed 42, price feedback off; ``--feedback`` turns it on):

1. for a ban from day 0, each stage's stock outside China in days of its normal use and the day its
   output (or the buyers' deliveries) first falls below half (a tenth short for deliveries) of normal:
   the lag between the device fabs' fall and the buyers' shortfall (docs/assumptions.md, gallium ban);
2. for bans from day 0, 30 and 59: the US and world value added lost over the year, the run rate at
   its end and whether it was still rising (`supplychain.metrics.loss_run_rate`); with ``--steady``
   also `supplychain.analytics.impact.steady_loss` (a few minutes), and the same for a ban that ends
   on day 365 (the whole episode of a one-year ban).

Run: ``PYTHONPATH=$PWD python tools/ga_horizon.py [--steady] [--feedback]``.
"""

from __future__ import annotations

import argparse

import numpy as np

from supplychain import ExportControl, load_baseline, simulate
from supplychain.analytics.impact import steady_loss
from supplychain.metrics import loss_run_rate

SEED = 42
#: a complete gallium ban as China's controls list the items (MOFCOM and GAC Announcement No. 23 of 2023): the
#: metal of any purity and gallium arsenide and nitride in their wafer and epitaxial-wafer forms (compound devices
#: are not listed)
GALLIUM_ITEMS = ("gallium", "gallium_crude", "compound_wafer")


def _ban(scenario, start: int, end: int | None = None):  # type: ignore[no-untyped-def]
    return scenario.with_shocks(*(ExportControl(exporter="CN", commodity=k, mode="ban", start=start, end=end)
                                  for k in GALLIUM_ITEMS))


def stages(feedback: bool) -> None:
    sc = load_baseline().with_horizon(365).replace(price_feedback=feedback)
    res, base = simulate(_ban(sc, 0), engine="vector", seed=SEED), simulate(sc, engine="vector", seed=SEED)
    co = res.coords

    def series(r, var, axis, pred):  # type: ignore[no-untyped-def]
        idx = [i for i, lab in enumerate(co.labels(axis)) if pred(lab, co.region[axis][i], co.commodity[axis][i])]
        return r.arrays[var][0][:, idx].sum(axis=1)

    def falls(var, axis, pred, share=0.5):  # type: ignore[no-untyped-def]
        got, normal = series(res, var, axis, pred), series(base, var, axis, pred)[:30].mean()
        week = np.convolve(got, np.ones(7) / 7, "valid")   # entry t: the mean of days t .. t + 6, centred on t + 3
        below = np.flatnonzero(week < share * normal)
        return int(below[0]) + 3 if len(below) else None

    def days(var, axis, pred, rate):  # type: ignore[no-untyped-def]
        return series(base, var, axis, pred)[:30].mean() / rate

    out_cn = lambda r: r != "CN"                                                        # noqa: E731
    into = lambda r: not r.endswith(">CN")                                              # noqa: E731
    lane_rate = lambda c, where: base.arrays["flow"][0][:30, [                          # noqa: E731
        i for i, lab in enumerate(co.labels("lane")) if co.commodity["lane"][i] == c and where in lab
        and into(co.region["lane"][i])]].sum(axis=1).mean()
    crude, ga = lane_rate("gallium_crude", "refinery"), lane_rate("gallium", "wafer.")
    wafer = series(base, "production", "facility", lambda f, r, c: "wafer.compound" in f and out_cn(r))[:30].mean()
    fab = series(base, "production", "facility", lambda f, r, c: "fab.compound" in f and out_cn(r))[:30].mean()
    fab_all = series(base, "production", "facility", lambda f, r, c: "fab.compound" in f)[:30].mean()
    use = series(base, "demand", "demand", lambda d, r, c: c == "compound_chip")[:30].mean()
    rows = [
        ("refiners' crude gallium (outside China)",
         days("inventory", "stock", lambda s, r, c: c == "gallium_crude" and "refinery" in s and out_cn(r), crude),
         days("in_transit", "lane", lambda s, r, c: c == "gallium_crude" and into(r), crude),
         falls("production", "facility", lambda f, r, c: "refinery.gallium" in f and out_cn(r))),
        ("gallium at wafer makers (outside China)",
         days("inventory", "stock", lambda s, r, c: c == "gallium" and "wafer." in s and out_cn(r), ga),
         days("in_transit", "lane", lambda s, r, c: c == "gallium" and "wafer." in s and into(r), ga),
         falls("production", "facility", lambda f, r, c: "wafer.compound" in f and out_cn(r))),
        ("compound wafers: makers + device fabs",
         days("inventory", "stock", lambda s, r, c: c == "compound_wafer" and out_cn(r), wafer),
         days("in_transit", "lane", lambda s, r, c: c == "compound_wafer" and into(r), fab),
         falls("production", "facility", lambda f, r, c: "fab.compound" in f and out_cn(r))),
        ("compound devices: fabs + buyers (world)",
         days("inventory", "stock", lambda s, r, c: c == "compound_chip" and "fab." in s, fab_all)
         + days("inventory", "stock", lambda s, r, c: c == "compound_chip" and "demand" in s, use),
         days("in_transit", "lane", lambda s, r, c: c == "compound_chip", use),
         falls("delivered", "demand", lambda d, r, c: c == "compound_chip", 0.9)),
    ]
    print(f"China bans gallium and crude gallium from day 0 (price feedback {'on' if feedback else 'off'}):")
    print(f"{'stage':<42}{'stock (days)':>13}{'in transit':>12}{'output falls (day)':>20}")
    for name, held, moving, day in rows:
        print(f"{name:<42}{held:>13.0f}{moving:>12.0f}{str(day):>20}")


def losses(feedback: bool, steady: bool) -> None:
    sc = load_baseline().with_horizon(365).replace(price_feedback=feedback)
    base = simulate(sc, engine="vector", seed=SEED)
    print("\nValue added lost, bn USD (US / world): one year, run rate at its end (30 days x 365)"
          + (", settled run rate and loss to the settled horizon (steady_loss)" if steady else ""))
    cases: list[tuple[str, int, int | None]] = [(f"ban from day {d}", d, None) for d in (0, 30, 59)]
    cases += [("ban from day 0 to 365", 0, 365)] if steady else []
    for label, start, end in cases:
        shocked = _ban(sc, start, end)
        rate = loss_run_rate(simulate(shocked, engine="vector", seed=SEED), base)
        us, world = rate.loc["US"], rate.loc["ALL"]
        line = (f"{label:<24} one year {us['loss_usd'] / 1e9:6.2f} / {world['loss_usd'] / 1e9:6.1f}   run rate "
                f"{us['run_rate_usd_per_year'] / 1e9:6.1f} / {world['run_rate_usd_per_year'] / 1e9:6.1f}"
                f"{' (rising)' if us['rising'] else ''}")
        if steady:
            s = steady_loss(shocked, seed=SEED)
            line += (f"   settled {s.loc['US', 'run_rate_usd_per_year'] / 1e9:5.2f} / "
                     f"{s.loc['ALL', 'run_rate_usd_per_year'] / 1e9:5.1f} a year, lost "
                     f"{s.loc['US', 'loss_usd'] / 1e9:5.2f} / {s.loc['ALL', 'loss_usd'] / 1e9:5.1f} by day "
                     f"{s.attrs['horizon_days']}, peak {s.loc['US', 'peak_run_rate_usd_per_year'] / 1e9:5.1f} a year")
        print(line, flush=True)
    print("USGS OFR 2024-1057 (Nassar et al. 2024, abstract): US GDP -3.1 bn USD (1.7-8.2) for a complete "
          "restriction of China's net gallium exports")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--steady", action="store_true", help="also run each ban until its loss settles")
    parser.add_argument("--feedback", action="store_true", help="price feedback on")
    args = parser.parse_args()
    stages(args.feedback)
    losses(args.feedback, args.steady)


if __name__ == "__main__":
    main()
