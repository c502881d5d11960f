"""Policy-shock benchmark suite: a catalogue of standard shocks and the scorecard they produce.

A catalogue is a plain ``dict`` of name -> list of shocks, so users add
their own entries with ``catalogue["my shock"] = [Tariff(...)]``; a historical
scenario file becomes a `Replay`, run on its own calendar and horizon.
`standard_catalogue` builds the standard one for a network: every
single exporter of every critical mineral cutting supply, a Taiwan fab
outage, a Korean memory outage, a trans-Pacific shipping disruption and the
historical scenarios shipped in ``supplychain/data/scenarios/*.toml``. `scorecard`
runs each entry on the baseline with the same seed (common random numbers)
and tabulates the resilience metrics of `.resilience` (time-to-survive
and time-to-recover after Simchi-Levi, Schmidt & Wei, 2014, *Harvard
Business Review* 92(1/2); resilience loss after Bruneau et al., 2003,
*Earthquake Spectra* 19(4); expected shortfall after Rockafellar & Uryasev,
2000, *Journal of Risk* 2(3)) with 95 % confidence intervals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..datasets.scenarios import SCENARIO_DIR
from ..errors import SimulationWarning, SupplyChainError
from ..metrics.service import _prices
from ..model import (
    CapacityShock,
    ExportControl,
    LogisticsShock,
    Network,
    Scenario,
    Shock,
)
from ..model.shocks import RandomOutage, to_day
from ..results.series import Results
from ..run.simulate import identical_runs_expected, simulate
from ._engine import is_deterministic, pick_engine
from .resilience import (
    cvar,
    excess_shortfall,
    mean_ci,
    resilience_loss,
    time_to_recover,
    time_to_survive,
)
from .trade import concentration, peak_cost_increase, trade_diversion

__all__ = ["Catalogue", "Replay", "standard_catalogue", "historical_shocks", "scorecard", "scorecard_markdown",
           "shock_window", "METRICS", "BLOCK_RUNS"]



@dataclass(frozen=True)
class Replay:
    """A historical scenario's shocks with the calendar they happened on.

    The scorecard runs a replay on the baseline network from ``start_date`` for
    ``horizon_days`` (the file's own, whatever the baseline's), so every
    tranche lands on its real date; shocks dated before ``start_date`` are in
    force (standing conditions of the reference run, not part of the shock).
    Iterating a replay gives its shocks, like a plain catalogue entry.

    Examples
    --------
    >>> import datetime as dt
    >>> from supplychain.model import Tariff
    >>> r = Replay((Tariff(importer="US", exporter="CN", commodity="aam", rate=0.25, start=-30),),
    ...            start_date=dt.date(2024, 7, 1), horizon_days=400)
    >>> [s.start for s in r]
    [-30]
    """

    shocks: tuple[Shock, ...]
    start_date: dt.date
    horizon_days: int

    def __iter__(self) -> Iterator[Shock]:
        return iter(self.shocks)

    def __len__(self) -> int:
        return len(self.shocks)


#: Shock name -> the shocks applied together (a `Replay` carries its own calendar).
Catalogue = dict[str, "list[Shock] | Replay"]

#: Regions on the Asian side of the trans-Pacific lanes.
_PACIFIC_ASIA = ("CN", "JP", "KR", "TW")
#: Lead-time multiplier of the Pacific disruption: port closures and rerouting about double
#: transit times (an assumption of the catalogue, not a calibrated figure).
_PACIFIC_DELAY = 2.0


def _region_pairs(network: Network) -> list[tuple[str, str]]:
    """(origin region, destination region) of every cross-border lane, sorted."""
    region = {f.id: f.region for f in network.facilities} | {d.id: d.region for d in network.demands}
    return sorted({(region[l.origin], region[l.destination]) for l in network.lanes
                   if region[l.origin] != region[l.destination]})


def _exporters(network: Network, chain: str) -> list[tuple[str, str]]:
    """(exporting region, commodity) pairs with at least one cross-border lane, for ``chain``."""
    region = {f.id: f.region for f in network.facilities} | {d.id: d.region for d in network.demands}
    wanted = {c.id for c in network.commodities if c.chain == chain}
    return sorted({(region[l.origin], l.commodity) for l in network.lanes
                   if l.commodity in wanted and region[l.origin] != region[l.destination]})


def standard_catalogue(network: Network, *, start: int = 30, duration_days: int = 90,
                       scenario_dir: str | Path | None = SCENARIO_DIR) -> Catalogue:
    """The standard shocks for ``network``, all starting on day ``start`` for ``duration_days``.

    Entries (each skipped when the network has nothing it applies to):

    * ``"<region> cuts <commodity>"``: an export ban by each exporter of each
      commodity of the ``"minerals"`` chain;
    * ``"TW fab outage"``: every Taiwanese fab loses all capacity;
    * ``"KR memory outage"``: Korean facilities making memory lose all capacity;
    * ``"Pacific shipping disruption"``: lead times between the US and CN,
      JP, KR, TW double;
    * one entry per scenario file in ``scenario_dir`` (`historical_shocks`),
      on its own calendar (``start`` does not apply to them); by default the
      scenarios shipped with the package (``supplychain.datasets.SCENARIO_DIR``),
      ``None`` for none.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_network
    >>> list(standard_catalogue(toy_network(), scenario_dir=None))
    ['CN cuts ore', 'ROW cuts ore', 'Pacific shipping disruption']
    """
    end = start + int(duration_days)
    cat: Catalogue = {f"{r} cuts {c}": [ExportControl(exporter=r, commodity=c, mode="ban", start=start, end=end)]
                      for r, c in _exporters(network, "minerals")}
    # Every Taiwanese fab: the installed base and the capacity added in the year (stage "fab_new").
    fab_stages = sorted({f.stage for f in network.facilities if f.region == "TW" and f.stage in ("fab", "fab_new")})
    if fab_stages:
        cat["TW fab outage"] = [CapacityShock(region="TW", stage=stage, fraction_lost=1.0, start=start, end=end)
                                for stage in fab_stages]
    memory = [f.id for f in network.facilities if f.region == "KR" and "memory" in f.output]
    if memory:
        cat["KR memory outage"] = [CapacityShock(facility=f, fraction_lost=1.0, start=start, end=end)
                                   for f in memory]
    pacific = [p for p in _region_pairs(network)
               if "US" in p and set(p) & set(_PACIFIC_ASIA)]
    if pacific:
        cat["Pacific shipping disruption"] = [
            LogisticsShock(origin_region=o, destination_region=d, lead_time_multiplier=_PACIFIC_DELAY,
                           start=start, end=end) for o, d in pacific]
    if scenario_dir is not None:
        cat.update(historical_shocks(scenario_dir))
    return cat


def _as_days(shock: Shock, start_date: dt.date) -> Shock:
    """``shock`` with its dates turned into day numbers from ``start_date`` (negative: in force)."""
    changes: dict[str, int] = {}
    for name in ("start", "end", "announced"):
        value = getattr(shock, name)
        if value is not None:
            changes[name] = to_day(value, start_date, name, type(shock).__name__)
    return dataclasses.replace(shock, **changes)


def historical_shocks(scenario_dir: str | Path) -> Catalogue:
    """Shocks and responses of every ``*.toml`` scenario file in ``scenario_dir``, as `Replay` entries.

    Each file is replayed on its own calendar: from its ``start_date`` for its
    ``horizon_days``, with every date a day number counted from that start
    date. A shock that started before the file's start date gets a negative
    day: it is in force on day 0 (part of the baseline, never a new event), as
    in the file itself. Files that cannot be read are skipped with a
    `SimulationWarning`.

    Examples
    --------
    >>> historical_shocks("no/such/folder")
    {}
    >>> cat = historical_shocks(SCENARIO_DIR)
    >>> sorted(s.start for s in cat["Section 301 review 2024-2026"])[:6]   # 2018 tariffs in force, 2024-09-27
    [-2187, -2187, -2187, -2187, -2187, 88]
    """
    from ..io.scenario import load_scenario
    out: Catalogue = {}
    for path in sorted(Path(scenario_dir).glob("*.toml")):
        try:
            sc = load_scenario(path)
        except SupplyChainError as exc:
            warnings.warn(f"{path.name} skipped: {exc}", SimulationWarning, stacklevel=2)
            continue
        if not sc.all_shocks:
            continue
        out[sc.name if sc.name not in out else path.stem] = Replay(
            tuple(_as_days(s, sc.start_date) for s in sc.all_shocks), sc.start_date, sc.horizon_days)
    return out


#: Scorecard metrics: column -> per-run function of (results, baseline, (shock start, shock end)).
#: TTS, TTR and loss are measured from the shock day (`shock_window`) to the end of the horizon;
#: trade metrics cover the shock window.
#: Groups are reduced to the worst region or importer of each run.
METRICS: dict[str, Callable[[Results, Results, tuple[int, int]], np.ndarray]] = {
    "fill_rate": lambda r, b, w: _value_fill_rate(r),
    "shortfall_usd": lambda r, b, w: excess_shortfall(r, baseline=b).sum(axis=1),
    "tts_days": lambda r, b, w: time_to_survive(r, baseline=b, shock_day=w[0]).min(axis=1),
    "ttr_days": lambda r, b, w: time_to_recover(r, baseline=b, shock_day=w[0]).max(axis=1),
    "loss_days": lambda r, b, w: resilience_loss(r, baseline=b, start=w[0]).max(axis=1),
    "peak_cost_increase": lambda r, b, w: _nanmax(peak_cost_increase(r, baseline=b, start=w[0], end=w[1])),
    "diversion": lambda r, b, w: _nanmax(trade_diversion(r, baseline=b, start=w[0], end=w[1])),
    "hhi_change": lambda r, b, w: _nanmax(concentration(r, start=w[0], end=w[1])
                                          - concentration(b, start=w[0], end=w[1])),
}


def _nanmax(values: np.ndarray) -> np.ndarray:
    """Largest group value per run, ignoring groups without trade (``nan`` if none has any)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-nan rows are meant to give nan
        return np.nanmax(values, axis=1)


def shock_window(scenario: Scenario, shocks: Sequence[Shock]) -> tuple[int, int]:
    """Days ``[shock day, last end)`` of the new disruptions among ``shocks``, within the horizon.

    Only disruptions that start inside the horizon count: responses, random
    outages and shocks in force on day 0 do not. The window starts on the
    scenario's shock day when it has one; it is the whole horizon when no
    shock counts.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> from supplychain.model import ExportControl, Tariff
    >>> shocks = [Tariff(importer="KR", exporter="CN", commodity="ore", rate=0.1, start=-100),
    ...           ExportControl(exporter="CN", commodity="ore", start=40, end=90)]
    >>> sc = toy_scenario(200).with_shocks(*shocks)
    >>> shock_window(sc, shocks)
    (40, 90)
    """
    n_days = scenario.horizon_days
    spans = [s.window(scenario.start_date, n_days) for s in shocks
             if not s.is_response and not isinstance(s, RandomOutage)
             and 0 <= s.start_day(scenario.start_date) < n_days]
    if not spans:
        return (0 if scenario.shock_day is None else int(scenario.shock_day)), n_days
    first = min(a for a, _ in spans) if scenario.shock_day is None else int(scenario.shock_day)
    return first, max(first + 1, max(b for _, b in spans))


def _value_fill_rate(results: Results) -> np.ndarray:
    """Type-2 fill rate of all demand together (served from stock on the day), valued at reference prices, per run."""
    price = _prices(results)
    asked = results.demand.sum(axis=1) @ price
    served = results.arrays["served_on_day"].sum(axis=1) @ price
    return np.where(asked > 0, served / np.where(asked > 0, asked, 1.0), 1.0)


def _per_run(res: Results, base: Results, span: tuple[int, int]) -> dict[str, np.ndarray]:
    """Each metric of `METRICS`, per run of ``res`` (the daily series are then no longer needed)."""
    out = {}
    for name, metric in METRICS.items():
        value = metric(res, base, span)
        # Rounding noise (1e-15 of a landed cost) would otherwise read as a change.
        out[name] = np.where(np.abs(value) < 1e-9, 0.0, value)
    return out


def _row(per_run: dict[str, np.ndarray], level: float) -> dict[str, float]:
    row: dict[str, float] = {}
    for name, values in per_run.items():
        row[name], row[f"{name}_lo"], row[f"{name}_hi"] = mean_ci(values, level=level)
        if name == "shortfall_usd":
            row["cvar95_shortfall_usd"] = float(cvar(values, level=0.95))
    return row


#: Runs of one entry simulated together: the daily series of a block are reduced to per-run metrics
#: before the next block, so memory stays that of a block (about 25 MB a run of the built-in baseline
#: year, for the entry and its reference each) whatever the runs.
BLOCK_RUNS = 20


def _blocks(n_runs: int, seed: int) -> list[tuple[int, int]]:
    """(runs, seed) of each block of an entry's ``n_runs`` runs: one block with ``seed`` itself up to
    `BLOCK_RUNS` runs, else blocks of `BLOCK_RUNS` runs whose seeds are drawn from ``seed``
    (the same for every entry and the baseline: common random numbers, block by block).

    Examples
    --------
    >>> _blocks(6, 3)
    [(6, 3)]
    >>> [runs for runs, _ in _blocks(45, 3)]
    [20, 20, 5]
    """
    if n_runs <= BLOCK_RUNS:
        return [(n_runs, seed)]
    seeds = np.random.SeedSequence(seed).generate_state(-(-n_runs // BLOCK_RUNS), dtype=np.uint64) >> np.uint64(1)
    return [(min(BLOCK_RUNS, n_runs - k * BLOCK_RUNS), int(s)) for k, s in enumerate(seeds)]


def _estimate(entries: Mapping[str, tuple[Scenario, Scenario, bool]], base_sc: Scenario, base: Results, runs: int,
              base_det: bool, engine: str, seed: int, base_seconds: float) -> tuple[float, str]:
    """Seconds the scorecard will take, from a short timed probe, and what was timed.

    A deterministic entry costs about the baseline's run (timed) per day of its horizon, twice when it
    needs its own reference run; each random entry is timed on a probe of a few of its runs (their cost
    differs by entry: licence draws are dearer than lead times), scaled to its runs. The metrics are
    timed once on the baseline and added per run. Rough: the machine's load changes as it runs.
    """
    import time
    start = time.perf_counter()
    _per_run(base, base, (0, base.n_days))
    metric_day = (time.perf_counter() - start) / max(base.n_days * base.n_runs, 1)
    run_day = base_seconds / max(base_sc.horizon_days * base.n_runs, 1)
    total, probed = 0.0, 0
    for sc, reference, det in entries.values():
        n = 1 if base_det and det else runs
        per_run = sc.horizon_days * run_day
        calls = 0.0
        if n > 1:
            # One run, then a few: the difference is the cost of a run, the rest the cost of a call
            # (compiling, setting up), paid once per block.
            seconds = []
            for probe in (1, min(_PROBE_RUNS, n)):
                start = time.perf_counter()
                with warnings.catch_warnings(), identical_runs_expected():
                    warnings.simplefilter("ignore", SimulationWarning)
                    simulate(sc, engine=engine, n_runs=probe, seed=seed)   # daily series, as the blocks keep
                seconds.append(time.perf_counter() - start)
            probe = min(_PROBE_RUNS, n)
            per_run = (seconds[1] - seconds[0]) / max(probe - 1, 1)
            if per_run <= 0:                         # timing noise on a loaded machine
                per_run = seconds[1] / probe
            calls = len(_blocks(n, seed)) * max(seconds[0] - per_run, 0.0)
            probed += 1
        # An entry with its own reference (shocks in force from day 0) runs it too, as often.
        total += (calls + n * per_run) * (1 if reference is base_sc else 2) + n * sc.horizon_days * metric_day
    what = "the baseline run" + (f" and 1 then {_PROBE_RUNS} runs of each of the {probed} random entries"
                                 if probed else "")
    return total, what


#: Runs of each random entry timed to estimate the scorecard's duration.
_PROBE_RUNS = 3


def scorecard(catalogue: Mapping[str, Iterable[Shock]], *, baseline: Scenario, n_runs: int | None = None,
              seed: int = 0, horizon_days: int | None = None, level: float = 0.95,
              progress: bool = False, on_estimate: Callable[[float, str], None] | None = None) -> pd.DataFrame:
    """Run every catalogue entry on ``baseline`` with one seed and tabulate the resilience metrics.

    Parameters
    ----------
    catalogue : mapping of str to list of Shock or Replay
        E.g. `standard_catalogue` plus the user's own entries. A
        `Replay` runs from its own start date for its own horizon.
    baseline : Scenario
        The unshocked scenario (its own shocks, if any, stay in every run).
        An entry with shocks in force on day 0 (started before the start
        date) is measured against the baseline with those shocks in force,
        run with the same seed: they are standing conditions, not part of
        the shock.
    n_runs : int, optional
        Runs per entry (default: one for an entry in which nothing is random,
        else many; see `._engine.pick_engine`).
    seed : int
        Root seed shared by the baseline and every entry (common random numbers).
        Entries of more than `BLOCK_RUNS` runs run in blocks of that
        many, each block's seed drawn from ``seed`` (`_blocks`), the
        same for the baseline and every entry; only the per-run metrics of a
        block are kept, not its daily series.
    horizon_days : int, optional
        Simulated days (default: the baseline's horizon); replays keep their own.
    level : float
        Confidence level of the intervals.
    progress : bool
        Show a tqdm progress bar on stderr.
    on_estimate : callable, optional
        With ``progress``, called once before the entries run with the
        estimated seconds and what was timed for it (the baseline's run and,
        when an entry is random, a probe of a few of its runs).

    Returns
    -------
    DataFrame
        One row per entry; for each metric in `METRICS` the mean over runs
        and ``<metric>_lo`` / ``<metric>_hi``, plus ``cvar95_shortfall_usd``;
        ``card.attrs["n_runs"]`` maps each entry to its number of runs.
        Entries whose shocks do not fit the network are dropped with a
        `SimulationWarning`.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_scenario
    >>> base = toy_scenario(250)
    >>> catalogue = standard_catalogue(base.network, duration_days=150, scenario_dir=None)
    >>> card = scorecard(catalogue, baseline=base)
    >>> card[["fill_rate", "tts_days", "ttr_days", "diversion"]].round(3)
                                 fill_rate  tts_days  ttr_days  diversion
    CN cuts ore                      0.794      67.0     169.0      0.700
    ROW cuts ore                     1.000       inf       0.0      0.300
    Pacific shipping disruption      1.000       inf       0.0      0.003
    """
    import time

    from .._progress import iterate, progress_bar
    base_sc = baseline if horizon_days is None else baseline.with_horizon(int(horizon_days))
    engine, runs = pick_engine(False, n_runs)
    # A deterministic baseline needs one run, paired with every run of a random entry (the
    # random numbers it would share are never drawn); a random one needs the same runs as every entry,
    # block by block (a block's runs share its seed with the entry's block).
    base_fixed = is_deterministic(base_sc)
    # A deterministic entry on a deterministic baseline is one run whatever n_runs asks: its runs would be
    # identical (n_runs is for the random entries).
    base_det = base_fixed
    start = time.perf_counter()
    # A random baseline keeps every block (it is paired with each entry's); a deterministic one is one run.
    bases: dict[int, Results] = {}

    def base_block(n: int, block_seed: int) -> Results:
        if base_fixed:
            n, block_seed = 1, seed
        if block_seed not in bases:
            with identical_runs_expected():  # paired with random entries: identical baseline runs are by design
                bases[block_seed] = simulate(base_sc, engine=engine, n_runs=n, seed=block_seed)
        return bases[block_seed]

    first = base_block(runs, _blocks(runs, seed)[0][1])
    base_seconds = time.perf_counter() - start
    entries = _entries(catalogue, base_sc)
    if progress and on_estimate is not None:
        seconds, what = _estimate(entries, base_sc, first, runs, base_det, engine, seed, base_seconds)
        on_estimate(seconds, what)
    rows: dict[str, dict[str, float]] = {}
    runs_of: dict[str, int] = {}
    for name, (scenario, reference, det) in iterate(entries.items(), desc="scorecard",
                                                    unit="shock", enabled=progress, label=lambda kv: kv[0]):
        n = 1 if base_det and det else runs
        span = shock_window(scenario, tuple(catalogue[name]))
        parts = []
        # An entry of many runs takes minutes: a bar of its runs under the bar of shocks.
        with progress_bar(n, desc=f"  {name}", unit="run", enabled=progress and n > BLOCK_RUNS) as bar:
            for block_runs, block_seed in _blocks(n, seed):
                res = simulate(scenario, engine=engine, n_runs=block_runs, seed=block_seed)
                with identical_runs_expected():
                    ref = (base_block(block_runs, block_seed) if reference is base_sc
                           else simulate(reference, engine=engine, n_runs=block_runs, seed=block_seed))
                parts.append(_per_run(res, ref, span))
                del res, ref   # only the per-run metrics are kept
                bar.update(block_runs)
        rows[name] = _row({m: np.concatenate([p[m] for p in parts]) for m in METRICS}, level)
        runs_of[name] = n
    card = pd.DataFrame.from_dict(rows, orient="index")
    card.attrs["n_runs"] = runs_of  # runs per entry: a worst 5% and an interval mean something only over several
    return card


def _entries(catalogue: Mapping[str, Iterable[Shock]],
             base: Scenario) -> dict[str, tuple[Scenario, Scenario, bool]]:
    """Each entry that fits the network: its scenario, its reference run's scenario, and whether it is
    deterministic. The reference is ``base`` itself unless the entry has its own calendar or shocks in force."""
    out: dict[str, tuple[Scenario, Scenario, bool]] = {}
    for name, shocks in catalogue.items():
        try:
            own = (base if not isinstance(shocks, Replay)
                   else base.replace(start_date=shocks.start_date, horizon_days=shocks.horizon_days))
            standing = [s for s in shocks if s.in_force(own.start_date)]
            reference = own.with_shocks(*standing, name=f"{name} in force") if standing else own
            scenario = own.with_shocks(*shocks, name=name)
            out[name] = scenario, reference, is_deterministic(scenario)
        except (SupplyChainError, TypeError) as exc:
            warnings.warn(f"shock {name!r} skipped: {exc}", SimulationWarning, stacklevel=3)
    return out


def scorecard_markdown(card: pd.DataFrame, *, digits: int = 3) -> str:
    """The scorecard as a Markdown table, each metric as ``mean [lo, hi]``.

    Examples
    --------
    >>> import pandas as pd
    >>> card = pd.DataFrame({"tts_days": [12.0], "tts_days_lo": [10.0], "tts_days_hi": [14.0]}, index=["x"])
    >>> print(scorecard_markdown(card))
    | shock | tts_days |
    |---|---|
    | x | 12 [10, 14] |
    """
    metrics = [c for c in card.columns if not c.endswith(("_lo", "_hi"))]

    def cell(row: pd.Series, m: str) -> str:
        text = f"{row[m]:.{digits}g}"
        lo, hi = row.get(f"{m}_lo", np.nan), row.get(f"{m}_hi", np.nan)
        if np.isfinite(lo) and np.isfinite(hi) and lo != hi:
            text += f" [{lo:.{digits}g}, {hi:.{digits}g}]"
        return text
    lines = ["| shock | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(row, m) for m in metrics) + " |" for name, row in card.iterrows()]
    return "\n".join(lines)
