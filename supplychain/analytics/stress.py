"""Stress test: knock out each facility, region-stage and exporter-commodity in turn, and rank them.

Two methods run side by side:

``"lp"``
    The TTS and TTR LPs of `.lp` (Simchi-Levi et al., 2015, *Interfaces* 45(5):375-390), built once and solved per
    scenario by changing bounds only; they give TTS, the performance impact
    PI over the time-to-recover and the Risk Exposure Index ``REI = PI / max PI``.
    The LP assumes an optimal, instantaneous reallocation of stock.
``"simulation"``
    Each knockout simulated as a capacity shock (with the engines' own
    ordering rules, rationing and lead times), measuring the simulated
    time-to-survive and the shortfall beyond the baseline
    (`.resilience`).
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from .._progress import iterate
from .._validation import check_choice, check_known, check_number, close_matches, fail, shown
from ..errors import SimulationWarning, UnknownIdError
from ..model import Network, Scenario
from ..results.series import Results
from ..run.simulate import simulate
from ._engine import is_deterministic, pick_engine
from .lp import build_lp, risk_exposure
from .resilience import cvar, excess_shortfall, time_to_recover, time_to_survive

__all__ = ["DEFAULT_DURATION_DAYS", "LP_ONLY_NOTE", "disruption_scenarios", "knockout_scenario", "stress_test",
           "target_demands", "upstream_facilities", "no_shortfall", "LOSS_COLUMNS"]

#: Default knockout length of `stress_test` and ``supplychain stress-test``: a quarter, longer
#: than most stocks' cover, so nodes rank apart (a 30-day knockout costs nothing in the baseline).
DEFAULT_DURATION_DAYS = 90

Method = Literal["both", "lp", "simulation"]
RankBy = Literal["simulation", "lp"]

#: Why the LP alone can score $0 where the simulation finds a loss (``stress-test --method lp`` prints it). On the
#: built-in network a 90-day knockout of all Taiwan's fabs scores $0 in the LP (time-to-survive 124 days) and
#: loses $8.1bn in the simulation; of its packagers, $0 (115 days) against $22.3bn.
LP_ONLY_NOTE = ("the LP re-routes every stock and all spare capacity at once and optimally, with no lead times, "
                "ordering rules or design lock-in, so a node whose stocks would outlast the knockout under that "
                "re-routing scores $0 even where the simulation loses much")


def disruption_scenarios(network: Network) -> pd.DataFrame:
    """Every single facility, region-stage and exporter-commodity, as sets of facilities.

    A set already listed under an earlier name is not repeated; its other
    names go to the ``aliases`` column.

    Returns
    -------
    DataFrame
        Index: scenario name. Columns ``kind`` (``"facility"``,
        ``"region_stage"``, ``"exporter_commodity"``), ``facilities`` (tuple
        of ids) and ``aliases``.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_network
    >>> disruption_scenarios(toy_network())[["kind", "aliases"]]
                  kind                 aliases
    CN.mine   facility         CN/mine, CN>ore
    ROW.mine  facility       ROW/mine, ROW>ore
    KR.cells  facility  KR/cell_plant, KR>cell
    """
    candidates: list[tuple[str, str, tuple[str, ...]]] = [("facility", f.id, (f.id,)) for f in network.facilities]
    stages = sorted({(f.region, f.stage) for f in network.facilities})
    candidates += [("region_stage", f"{r}/{s}", tuple(f.id for f in network.facilities
                                                      if (f.region, f.stage) == (r, s))) for r, s in stages]
    region_of = {f.id: f.region for f in network.facilities} | {d.id: d.region for d in network.demands}
    exports = sorted({(region_of[l.origin], l.commodity) for l in network.lanes
                      if region_of[l.origin] != region_of[l.destination]})
    candidates += [("exporter_commodity", f"{r}>{c}", tuple(f.id for f in network.facilities
                                                            if (f.region, f.output) == (r, c))) for r, c in exports]
    first: dict[frozenset[str], tuple[str, str, tuple[str, ...]]] = {}
    aliases: dict[frozenset[str], list[str]] = {}
    for kind, name, facilities in candidates:
        key = frozenset(facilities)
        if key in first:
            aliases[key].append(name)
        else:
            first[key], aliases[key] = (name, kind, facilities), []
    rows = [(name, kind, facilities, ", ".join(aliases[key])) for key, (name, kind, facilities) in first.items()]
    df = pd.DataFrame(rows, columns=["scenario", "kind", "facilities", "aliases"]).set_index("scenario")
    df.index.name = None
    return df


def knockout_scenario(network: Network, facilities: Iterable[str], *, duration_days: int, start: int = 0,
                      horizon_days: int | None = None, name: str = "knockout") -> Scenario:
    """A scenario in which ``facilities`` produce nothing over ``[start, start + duration_days)``.

    One ``CapacityShock(fraction_lost=1.0, recovery_days=0)`` per facility: back in full at the end. Without that shock
    type (an older install), the facilities' capacity is set to 0 in the
    network instead; the knockout then lasts the whole horizon, which is cut
    at the end of the knockout (a `SimulationWarning` says so).

    Examples
    --------
    >>> from supplychain.analytics._toy import single_source_network
    >>> sc = knockout_scenario(single_source_network(), ["CN.mine"], duration_days=10, horizon_days=30)
    >>> sc.horizon_days, len(sc.shocks)
    (30, 1)
    """
    facilities = list(facilities)
    end = start + int(duration_days)
    horizon = end if horizon_days is None else int(horizon_days)
    base = Scenario(network, horizon_days=horizon, name=name)
    try:
        from ..model import CapacityShock
    except ImportError:
        warnings.warn("CapacityShock is not available; the knockout lasts the whole horizon "
                      f"({min(horizon, end)} days) and recovery is not simulated.", SimulationWarning, stacklevel=2)
        edited = tuple(dataclasses.replace(f, capacity_per_day=0.0) if f.id in facilities else f
                       for f in network.facilities)
        return dataclasses.replace(base, network=dataclasses.replace(network, facilities=edited),
                                   horizon_days=min(horizon, end))
    # Fully back at ``end`` (no recovery ramp), as the LP's time-to-recover assumes, so the two
    # methods knock out the same thing; each node alone, on purpose (family=False: its twin is not missed).
    return base.with_shocks(*(CapacityShock(facility=f, fraction_lost=1.0, start=start, end=end, recovery_days=0,
                                            family=False) for f in facilities))


def target_demands(network: Network, target: str) -> tuple[str, ...]:
    """The demand ids that ``target`` names: ``"region:commodity"`` (e.g. ``"US:logic_chip"``) or a demand id.

    Raises
    ------
    UnknownIdError
        If ``target`` names neither, listing close matches.

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_network
    >>> target_demands(toy_network(), "US:cell")
    ('US.cells',)
    """
    groups: dict[str, list[str]] = {}
    for d in network.demands:
        groups.setdefault(f"{d.region}:{d.commodity}", []).append(d.id)
        groups.setdefault(d.id, []).append(d.id)
    regions = sorted({d.region for d in network.demands})
    if target not in groups and isinstance(target, str) and ":" not in target:
        # A region alone ("KR", "Korea") is a common first try: list that region's demands.
        region = target if target in regions else next(iter(close_matches(target, regions)), None)
        if region is not None and (target in regions or not close_matches(target, groups)):
            options = ", ".join(repr(k) for k in sorted(groups) if k.startswith(f"{region}:"))
            raise UnknownIdError(f"target {shown(target)} for stress_test names a region, not a demand: give "
                                 f"'region:commodity', one of {options}.")
    elif target not in groups and isinstance(target, str):
        # A country's name before the colon ("Korea:logic_chip") means its region id.
        name, _, commodity = target.partition(":")
        meant = [f"{r}:{commodity}" for r in close_matches(name, regions, n=1) if f"{r}:{commodity}" in groups]
        if meant and name not in regions:
            raise UnknownIdError(f"target {shown(target)} for stress_test is not a known id. Did you mean {meant[0]!r}?")
    try:
        check_known(target, groups, "target", "stress_test")
    except UnknownIdError as exc:
        if "Did you mean" in str(exc):
            raise
        raise UnknownIdError(f"{exc} A target is 'region:commodity' (e.g. {next(iter(groups))!r}) or a demand "
                             "id.") from None
    return tuple(groups[target])


def upstream_facilities(network: Network, demands: Iterable[str]) -> set[str]:
    """Every facility with a path of lanes to one of ``demands`` (their suppliers, their suppliers' suppliers...)."""
    into: dict[str, list[str]] = {}
    for lane in network.lanes:
        into.setdefault(lane.destination, []).append(lane.origin)
    seen: set[str] = set()
    todo = list(demands)
    while todo:
        for origin in into.get(todo.pop(), []):
            if origin not in seen:
                seen.add(origin)
                todo.append(origin)
    return seen


def _simulated(network: Network, table: pd.DataFrame, *, duration_days: int, horizon: int, fail_below: float,
               n_runs: int | None, seed: int, progress: bool,
               target: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Simulated TTS, TTR and excess shortfall for every knockout (same seed as the baseline)."""
    # A knockout adds nothing random: the baseline decides.
    engine, runs = pick_engine(is_deterministic(Scenario(network, horizon_days=horizon)), n_runs)
    base = simulate(Scenario(network, horizon_days=horizon, name="baseline"), engine=engine, n_runs=runs, seed=seed)
    rows = []
    items = iterate(table["facilities"].items(), total=len(table), desc="stress test", unit="scenario",
                    enabled=progress, label=lambda item: str(item[0]))
    for name, facilities in items:
        t0 = time.perf_counter()
        scenario = knockout_scenario(network, facilities, duration_days=duration_days, horizon_days=horizon,
                                     name=str(name))
        res = simulate(scenario, engine=engine, n_runs=runs, seed=seed)
        ms = 1e3 * (time.perf_counter() - t0)
        metrics = _sim_metrics(res, base, fail_below)
        if target is not None:
            metrics |= _target_metrics(res, base, target, fail_below)
        rows.append({"scenario": name, **metrics, "sim_ms": ms})
    out = pd.DataFrame(rows).set_index("scenario")
    out.attrs["n_runs"] = runs
    return out


def _sim_metrics(res: Results, base: Results, fail_below: float) -> dict[str, float]:
    tts = time_to_survive(res, baseline=base, by="demand", threshold=fail_below, shock_day=0).min(axis=1)
    ttr = time_to_recover(res, baseline=base, by="demand", fail_below=fail_below,
                          recover_at=min(1.0, fail_below + 0.5 * (1 - fail_below) + 1e-9), shock_day=0,
                          sustain_days=7).max(axis=1)
    loss = excess_shortfall(res, baseline=base, by="demand").sum(axis=1)
    return {"tts_sim_days": float(np.mean(tts)), "ttr_sim_days": float(np.mean(ttr)),
            "shortfall_sim_usd": float(loss.mean()), "cvar95_shortfall_usd": float(cvar(loss, level=0.95))}


def _target_metrics(res: Results, base: Results, target: tuple[str, ...], fail_below: float) -> dict[str, float]:
    """Shortfall beyond the baseline, fill rate and time-to-survive of the ``target`` demands (means over runs)."""
    cols = [res.coords.demand.index(d) for d in target]
    price = np.array([res.scenario.network.commodity(res.coords.commodity["demand"][k]).price_usd for k in cols])
    gap = (res.demand - res.delivered)[:, :, cols].sum(axis=1) - (base.demand - base.delivered)[:, :, cols].sum(axis=1)
    demand = res.demand[:, :, cols].sum(axis=(1, 2))
    served = res.arrays["served_on_day"][:, :, cols].sum(axis=(1, 2))
    tts = time_to_survive(res, baseline=base, by="demand", threshold=fail_below, shock_day=0)[:, cols].min(axis=1)
    return {"target_shortfall": float(np.maximum(gap.sum(axis=1), 0.0).mean()),
            "target_shortfall_usd": float(np.maximum(gap @ price, 0.0).mean()),
            "target_fill_rate": float(np.mean(np.where(demand > 0, served / np.where(demand > 0, demand, 1), 1.0))),
            "target_tts_days": float(np.mean(tts))}


def stress_test(network: Network, *, duration_days: int = DEFAULT_DURATION_DAYS, ttr_days: float | None = None,
                method: Method = "both", n_runs: int | None = None, seed: int = 0, fail_below: float = 0.99,
                recovery_days: int | None = None, progress: bool = False,
                target: str | None = None, rank_by: RankBy | None = None) -> pd.DataFrame:
    """Knock out each facility, region-stage and exporter-commodity in turn and rank them.

    Parameters
    ----------
    network : Network
        The network to stress (e.g. ``load_baseline().network``).
    duration_days : int
        How long each knockout lasts (default 90 days: a quarter, longer than most stocks'
        cover, so that nodes rank apart).
    ttr_days : float, optional
        Time-to-recover given to the LP (default ``duration_days``).
    method : {"both", "lp", "simulation"}
        Which method(s) to run.
    n_runs : int, optional
        Runs per simulated scenario (default: see `._engine.pick_engine`).
    seed : int
        Root seed shared by every scenario and the baseline (common random numbers).
    fail_below : float
        Performance (relative to baseline) below which a demand counts as
        failed, in ``(0, 1)``.
    recovery_days : int, optional
        Days simulated after the knockout ends (default ``duration_days``).
    progress : bool
        Show a tqdm progress bar over the LP and the simulated scenarios.
    target : str, optional
        Rank knockouts by their effect on one demand instead of the whole
        network: ``"region:commodity"`` (``"US:logic_chip"``, every demand of
        that commodity in that region) or a demand id. Only knockouts of
        facilities upstream of the target (with a path of lanes to it) are
        tried: no other can reduce its supply. Needs the simulation
        (``method="simulation"`` or ``"both"``); the ranking is by the
        target's simulated shortfall beyond the baseline (USD), then its
        time-to-survive. An unknown target is an error listing close
        matches; when no knockout reduces the target (its stocks outlast
        ``duration_days``), a `SimulationWarning` says so.
    rank_by : {"simulation", "lp"}, optional
        What ranks the knockouts without a ``target`` (None with one): ``"simulation"``, the simulated
        shortfall beyond the baseline (the loss under the model's ordering, lead times and design
        lock-in), or ``"lp"``, REI then TTS (the LP's optimal, instantaneous re-routing, which can score
        $0 where the simulation loses much: `LP_ONLY_NOTE`). Default: ``"simulation"`` whenever the
        simulation runs (``method`` ``"both"`` or ``"simulation"``), else ``"lp"``.

    Returns
    -------
    DataFrame
        One row per scenario, ranked worst first (``rank`` 1): by simulated shortfall when
        the simulation runs, else by REI, then TTS (``rank_by``). Knockouts that lose
        nothing (every money column below half a dollar, `no_shortfall`)
        tie: they come last, all with the next rank, in order of their
        time-to-survive (shortest first), then of the catalogue. LP columns:
        ``tts_days, ttr_days, pi_usd, rei, vulnerable, exposure_days,
        tts_ms, pi_ms``; simulation columns: ``tts_sim_days`` (first day any
        demand falls below ``fail_below``), ``ttr_sim_days`` (back above
        halfway between ``fail_below`` and 1 for 7 days), ``shortfall_sim_usd``
        (beyond the baseline), ``cvar95_shortfall_usd``, ``rei_sim``
        (shortfall / largest shortfall) and ``sim_ms``; means over runs, whose
        number is ``table.attrs["n_runs"]``.
        With a ``target``: ``target_shortfall`` (units), ``target_shortfall_usd``
        (beyond the baseline), ``target_fill_rate`` (type 2) and
        ``target_tts_days`` (first day the target falls below
        ``fail_below`` of its baseline, ``inf`` if never). ``attrs["rank_by"]`` says what ranked the rows
        (``"simulation"``, ``"lp"`` or ``"target"``).

    Examples
    --------
    >>> from supplychain.analytics._toy import toy_network
    >>> df = stress_test(toy_network(), duration_days=60, method="lp")
    >>> df.index[0], bool(df.loc["KR.cells", "vulnerable"]), float(df["rei"].max())
    ('KR.cells', True, 1.0)
    >>> stress_test(toy_network(), duration_days=60, method="simulation",
    ...             target="US:cell")[["rank", "target_shortfall", "target_tts_days"]].round(1)
              rank  target_shortfall  target_tts_days
    KR.cells     1             180.0             44.0
    CN.mine      2               0.0              inf
    ROW.mine     2               0.0              inf
    """
    check_choice(method, ("both", "lp", "simulation"), "method", "stress_test")
    if target is not None and rank_by is not None:
        raise fail("rank_by", "None with a target (a target ranks by its own simulated shortfall)", rank_by,
                   "stress_test")
    if rank_by is None:
        rank_by = "lp" if method == "lp" else "simulation"
    check_choice(rank_by, ("simulation", "lp"), "rank_by", "stress_test")
    if (rank_by, method) in (("simulation", "lp"), ("lp", "simulation")):
        raise fail("rank_by", f"{method!r} or None with method={method!r} (a ranking needs the method that "
                   "computes it)", rank_by, "stress_test")
    duration = int(check_number(duration_days, "duration_days", "stress_test", low=1))
    ttr = duration if ttr_days is None else check_number(ttr_days, "ttr_days", "stress_test", low=0.0)
    fail_below = check_number(fail_below, "fail_below", "stress_test", low=0.0, low_open=True)
    if fail_below >= 1.0:
        # The simulated time-to-recover needs room above fail_below: recovery is halfway to 1.
        raise fail("fail_below", "< 1 (a demand recovers halfway between fail_below and 1)", fail_below,
                   "stress_test")
    table = disruption_scenarios(network)
    demands = None
    if target is not None:
        demands = target_demands(network, target)
        if method == "lp":
            raise fail("method", "'simulation' or 'both' with a target (the LP scores the whole network)",
                       method, "stress_test")
        upstream = upstream_facilities(network, demands)
        table = table[[bool(upstream.intersection(f)) for f in table["facilities"]]]
    if method in ("both", "lp"):
        lp = build_lp(network)
        table = table.join(risk_exposure(lp, dict(table["facilities"]), ttr, progress=progress))
    if method in ("both", "simulation"):
        horizon = duration + (duration if recovery_days is None else int(recovery_days))
        sim = _simulated(network, table, duration_days=duration, horizon=horizon, fail_below=fail_below,
                         n_runs=n_runs, seed=seed, progress=progress, target=demands)
        worst = sim["shortfall_sim_usd"].max()
        sim.insert(4, "rei_sim", sim["shortfall_sim_usd"].clip(lower=0.0) / worst if worst > 0 else 0.0)
        table = table.join(sim)
        runs = sim.attrs["n_runs"]
    if target is not None:
        keys, ascending = ["target_shortfall_usd", "target_tts_days"], [False, True]
        if not (table["target_shortfall_usd"] > 0).any():
            warnings.warn(f"stress_test: no knockout of {duration} days reduces what {target!r} receives "
                          "(its stocks and other suppliers cover it); try a longer duration_days.",
                          SimulationWarning, stacklevel=2)
    else:
        keys = ["rei", "tts_days"] if rank_by == "lp" else ["shortfall_sim_usd"]
        ascending = [False, True][: len(keys)]
    # Knockouts that lose nothing tie: they come last, all with the next rank, and are not ranked among
    # themselves (their order, shortest time-to-survive first, is only for reading).
    tied = no_shortfall(table)
    table = table.assign(_tied=tied).sort_values(["_tied", *keys], ascending=[True, *ascending], kind="stable")
    n_ranked = int((~tied).sum())
    table = table.drop(columns="_tied")
    table.insert(0, "rank", np.where(np.arange(len(table)) < n_ranked, np.arange(1, len(table) + 1), n_ranked + 1))
    if method in ("both", "simulation"):
        table.attrs["n_runs"] = runs  # simulated runs per knockout: the worst 5% means something only over several
    table.attrs["rank_by"] = "target" if target is not None else rank_by
    return table


#: Money columns of a `stress_test` table: a knockout whose every one is below half a dollar (what
#: prints as $0) loses nothing.
LOSS_COLUMNS = ("pi_usd", "shortfall_sim_usd", "cvar95_shortfall_usd")


def no_shortfall(table: pd.DataFrame) -> pd.Series:
    """Rows of a `stress_test` table whose knockout loses nothing (the ranking metric is $0).

    With a target column the ranking is by ``target_shortfall_usd`` alone; otherwise by every money
    column present (`LOSS_COLUMNS`). Less than half a dollar prints as $0, so it counts as nothing.

    Examples
    --------
    >>> t = pd.DataFrame({"pi_usd": [5.0, 0.2, 0.0], "shortfall_sim_usd": [0.0, 0.0, 3.0]}, index=list("abc"))
    >>> no_shortfall(t).tolist()
    [False, True, False]
    """
    money = (["target_shortfall_usd"] if "target_shortfall_usd" in table
             else [c for c in LOSS_COLUMNS if c in table])
    none = pd.Series(True, index=table.index)
    for c in money:
        none &= table[c].fillna(0.0).abs() < 0.5
    return none
