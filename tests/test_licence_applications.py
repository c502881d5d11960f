"""Licences as applications, persistent licence regimes and leakage routes (docs/model.md §6.5.1-6.5.2).

Oracles are computed here by hand from the rules: the day an approved volume lands, the position a
buyer keeps while its applications are pending or denied, the days a validity period covers, the
approved share of application volume (a binomial proportion), the stationary distribution and the
mean sojourn of a two-state Markov chain, the capacity of a leakage route.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from supplychain import simulate
from supplychain.compile import compile_scenario
from supplychain.engines.draws import draw_run, run_seed_sequences
from supplychain.errors import ValidationError
from supplychain.metrics import material_balance
from supplychain.model import (
    BaseStock,
    Commodity,
    Demand,
    ExportControl,
    Facility,
    Fixed,
    Lane,
    Network,
    Region,
    Scenario,
    Uniform,
)
from supplychain.model.shocks.trade import DAYS_PER_MONTH

LEAD, START, LEVEL = 3.0, 5, 40.0


def star(n_buyers: int = 1, *, lead: float = LEAD, level: float | None = None) -> Network:
    """One CN refinery with ample capacity selling 1 t/day to each of ``n_buyers`` US demands."""
    policy = {} if level is None else {"policy": BaseStock(level)}
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("metal", "t", 100.0),),
        facilities=(Facility("CN.ref", "CN", "refinery", "metal", 10.0 * n_buyers),),
        lanes=tuple(Lane("CN.ref", f"US.d{i}", "metal", lead_time=lead) for i in range(n_buyers)),
        demands=tuple(Demand(f"US.d{i}", "US", "metal", 1.0, **policy) for i in range(n_buyers)),
    )


def licence(**kw: object) -> ExportControl:
    kw.setdefault("start", START)
    return ExportControl(exporter="CN", commodity="metal", mode="licence", **kw)  # type: ignore[arg-type]


def both(scenario: Scenario, **kw: object) -> tuple:
    return tuple(simulate(scenario, engine=e, seed=3, **kw) for e in ("des", "vector"))  # type: ignore[call-overload]


# Hand-computed oracles -------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["des", "vector"])
def test_fixed_delay_and_certain_approval_land_at_delay_plus_transport(engine: str) -> None:
    delay = 10
    s = Scenario(star(), horizon_days=40).with_shocks(licence(processing_delay=Fixed(delay)))
    r = simulate(s, engine=engine, seed=0)
    arrivals, flow, waiting = r.arrivals[0, :, 0], r.flow[0, :, 0], r.arrays["awaiting_licence"][0, :, 0]
    # Orders of days START..START+delay-1 wait; the first approved volume ships on START+delay ...
    assert flow[START:START + delay].sum() == 0.0
    assert flow[START + delay] == pytest.approx(1.0)
    # ... and lands `delay + transport` days after its application.
    first = START + delay + int(LEAD)
    assert arrivals[START + int(LEAD):first].sum() == 0.0
    assert arrivals[first] == pytest.approx(1.0)
    # The wait is on order, not in transit: delay days of orders await, nothing extra travels.
    assert waiting[START + delay - 1] == pytest.approx(delay)
    assert r.in_transit[0, START:, 0].max() == pytest.approx(LEAD)


def _filed(waiting: np.ndarray, delay: int) -> np.ndarray:
    """Volume filed each day from awaiting volume (applications of the last ``delay`` days)."""
    filed = np.zeros_like(waiting)
    for t in range(len(waiting)):
        prev = waiting[t - 1] if t else 0.0
        filed[t] = waiting[t] - prev + (filed[t - delay] if t >= delay else 0.0)
    return filed


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_denied_applications_never_ship_and_return_to_the_buyers_position(engine: str) -> None:
    delay = 7
    # An approval probability of exactly 0 is a ban the buyer knows of: it would not apply at all
    # (docs/model.md §5.6.6). A tiny one keeps the buyer applying while no application is approved.
    s = Scenario(star(level=LEVEL), horizon_days=60).with_shocks(
        licence(approval_probability=1e-12, processing_delay=Fixed(delay)))
    r = simulate(s, engine=engine, seed=0)
    assert r.flow[0, START:, 0].sum() == 0.0
    waiting = r.arrays["awaiting_licence"][0, :, 0]
    filed = _filed(waiting, delay)
    denied = np.concatenate([np.zeros(delay), filed[:-delay]])
    position = r.inventory[0, :, 1] + r.in_transit[0, :, 0] + r.arrays["backlog"][0, :, 0] + waiting
    # BaseStock: the position is back at the level after every review, less what was denied that
    # day (returned after the review: the buyer re-orders it the next day).
    assert position[START:] + denied[START:] == pytest.approx(LEVEL)
    assert denied[START + delay:].sum() > 0.0
    assert filed[START + delay + 1] >= denied[START + delay] - 1e-9


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_an_approval_valid_for_a_period_covers_later_orders(engine: str) -> None:
    delay, valid = 10, 20
    s = Scenario(star(), horizon_days=70).with_shocks(
        licence(processing_delay=Fixed(delay), licence_validity_days=valid))
    r = simulate(s, engine=engine, seed=0)
    waiting = r.arrays["awaiting_licence"][0, :, 0]
    # Applications of days START..START+delay are decided by START+2*delay; the last of them opens
    # the validity to START+2*delay+valid, so orders in between need no application ...
    assert waiting[START:START + 2 * delay].min() > 0.0
    assert waiting[START + 2 * delay:START + 2 * delay + valid].max() == 0.0
    # ... and they ship the day they are placed (on START+2*delay with the last decided application).
    assert r.flow[0, START + 2 * delay, 0] == pytest.approx(2.0)
    assert r.flow[0, START + 2 * delay + 1:START + 2 * delay + valid, 0] == pytest.approx(1.0)
    # When it lapses, orders become applications again.
    assert waiting[START + 2 * delay + valid] > 0.0
    per_application = simulate(Scenario(star(), horizon_days=70).with_shocks(
        licence(processing_delay=Fixed(delay))), engine=engine, seed=0)
    assert per_application.arrays["awaiting_licence"][0, START:, 0].min() > 0.0


# Statistics ------------------------------------------------------------------------------------

def test_approved_share_of_application_volume_is_p() -> None:
    p, delay, n_buyers, n_runs, horizon = 0.05, 5, 20, 40, 160
    s = Scenario(star(n_buyers), horizon_days=horizon).with_shocks(
        licence(approval_probability=p, processing_delay=Fixed(delay)))
    r = simulate(s, engine="vector", n_runs=n_runs, seed=7)
    waiting = r.arrays["awaiting_licence"]
    filed = np.stack([np.stack([_filed(waiting[i, :, j], delay) for j in range(n_buyers)], axis=1)
                      for i in range(n_runs)])
    decided = filed[:, START:horizon - delay]                         # applications decided in the horizon
    approved = r.flow[:, START + delay:horizon]                       # the supplier ships them whole, at once
    volume, yes = decided[decided > 1e-12], approved[decided > 1e-12]
    assert set(np.round(yes / volume, 9)) <= {0.0, 1.0}               # decided as a whole
    share = yes.sum() / volume.sum()
    # Standard error of a ratio estimator with independent decisions (volumes vary with re-orders).
    se = np.sqrt(np.sum(volume ** 2 * (yes / volume - share) ** 2)) / volume.sum()
    assert abs(share - p) < 3 * se
    assert se < 0.01


def test_regime_spends_its_stationary_share_restrictive_with_the_mean_sojourns() -> None:
    m_open, m_restr, horizon, n_runs = 2.0, 1.0, 3650, 60
    s = Scenario(star(), horizon_days=horizon).with_shocks(licence(
        approval_probability=1.0, restrictive_approval_probability=0.0, mean_open_months=m_open,
        mean_restrictive_months=m_restr, initial_state="stationary", start=0))
    c = compile_scenario(s)
    paths = np.stack([draw_run(c, seq).licence_p[:, 0] == 0.0 for seq in run_seed_sequences(5, n_runs)])
    share = paths.mean(axis=1)
    pi = m_restr / (m_open + m_restr)
    assert abs(share.mean() - pi) < 3 * share.std(ddof=1) / np.sqrt(n_runs)
    sojourns: dict[bool, list[int]] = {True: [], False: []}
    for path in paths:
        cuts = np.flatnonzero(np.diff(path)) + 1
        for lo, hi in itertools.pairwise(cuts):                           # complete sojourns only
            sojourns[bool(path[lo])].append(hi - lo)
    for state, months in ((True, m_restr), (False, m_open)):
        x = np.array(sojourns[state])
        assert abs(x.mean() - months * DAYS_PER_MONTH) < 3 * x.std(ddof=1) / np.sqrt(len(x))


def test_infinite_durations_are_deterministic_and_keep_one_state() -> None:
    s = Scenario(star(), horizon_days=30).with_shocks(licence(
        approval_probability=0.9, restrictive_approval_probability=0.2, initial_state="restrictive"))
    c = compile_scenario(s)
    one = draw_run(c, run_seed_sequences(1, 1)[0])
    assert one.licence_p is None
    # Every application is judged at the restrictive probability: the same uniforms as p = 0.2.
    plain = compile_scenario(Scenario(star(), horizon_days=30).with_shocks(licence(approval_probability=0.2)))
    np.testing.assert_array_equal(one.licence_approved, draw_run(plain, run_seed_sequences(1, 1)[0]).licence_approved)


def test_common_random_numbers_nest_decisions_and_share_delays() -> None:
    def draws(p: float):
        s = Scenario(star(4), horizon_days=60).with_shocks(
            licence(approval_probability=p, processing_delay=Uniform(5.0, 15.0)))
        return draw_run(compile_scenario(s), run_seed_sequences(2, 1)[0])
    low, high = draws(0.3), draws(0.6)
    np.testing.assert_array_equal(low.licence_delay, high.licence_delay)
    assert (low.licence_approved <= high.licence_approved).all()
    assert low.licence_approved.sum() < high.licence_approved.sum()


# Engines, chunks, balance ----------------------------------------------------------------------

def _mixed() -> Scenario:
    return Scenario(star(6, level=LEVEL), horizon_days=80).with_shocks(
        licence(approval_probability=0.6, restrictive_approval_probability=0.1, mean_open_months=0.5,
                mean_restrictive_months=0.3, processing_delay=Uniform(2.0, 12.0), licence_validity_days=4))


@pytest.mark.parametrize("scenario", [
    Scenario(star(3, level=LEVEL), horizon_days=50).with_shocks(
        licence(processing_delay=Fixed(6.0), licence_validity_days=5)),
    Scenario(star(3, level=LEVEL), horizon_days=50).with_shocks(
        ExportControl(exporter="CN", commodity="metal", leakage_capacity=1.5, leakage_extra_days=4, start=8)),
], ids=["validity", "leakage"])
def test_engines_agree_exactly_on_deterministic_scenarios(scenario: Scenario) -> None:
    assert compile_scenario(scenario).is_deterministic
    des, vec = both(scenario)
    for name in des.arrays:
        np.testing.assert_allclose(des.arrays[name], vec.arrays[name], rtol=1e-9, atol=1e-9, err_msg=name)


def test_random_regimes_agree_run_by_run_across_engines_and_chunk_sizes() -> None:
    s = _mixed()
    des, vec = both(s, n_runs=4)
    chunked = simulate(s, engine="vector", seed=3, n_runs=4, chunk_size=1)
    for name in ("flow", "arrivals", "awaiting_licence", "backlog", "inventory"):
        np.testing.assert_allclose(des.arrays[name], vec.arrays[name], rtol=1e-9, atol=1e-9, err_msg=name)
        np.testing.assert_array_equal(vec.arrays[name], chunked.arrays[name], err_msg=name)
    assert vec.arrays["awaiting_licence"].max() > 0 and vec.flow[:, START:].sum() > 0


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_material_is_conserved_with_applications_and_routes(engine: str) -> None:
    s = _mixed().with_shocks(ExportControl(exporter="CN", commodity="metal", leakage=0.3, start=40, end=60))
    r = simulate(s, engine=engine, seed=1, n_runs=3)
    assert material_balance(r).max_relative_error < 1e-9
    # Goods awaiting a licence are at the supplier: never in transit.
    assert r.arrays["awaiting_licence"].max() > 0


# Leakage routes --------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["des", "vector"])
def test_leakage_route_ships_at_most_its_capacity_pro_rata_and_later(engine: str) -> None:
    cap, extra, n = 1.5, 4.0, 3
    s = Scenario(star(n, level=LEVEL), horizon_days=50).with_shocks(
        ExportControl(exporter="CN", commodity="metal", leakage_capacity=cap, leakage_extra_days=extra, start=8))
    r = simulate(s, engine=engine, seed=0)
    route = r.flow[0, 8:]
    assert route.sum(axis=1).max() == pytest.approx(cap)              # the route is full every day
    assert route.sum(axis=1) == pytest.approx(cap)
    assert route == pytest.approx(cap / n)                            # identical buyers: equal pro-rata shares
    # Shipped on day 8, it lands transport + extra days later.
    assert r.arrivals[0, 8 + int(LEAD + extra)] == pytest.approx(cap / n)
    assert r.arrays["backlog"][0, 8:].sum(axis=1).max() <= cap + 1e-9


def test_old_leakage_fraction_is_a_route_of_that_share_of_baseline_flow() -> None:
    s = Scenario(star(4, level=LEVEL), horizon_days=40).with_shocks(
        ExportControl(exporter="CN", commodity="metal", leakage=0.25, start=5))
    (route,) = compile_scenario(s).schedules.extras["leakage"]
    assert route.capacity == pytest.approx(0.25 * 4.0) and route.share == pytest.approx(0.25)
    assert simulate(s).flow[0, 5:].sum(axis=1) == pytest.approx(1.0)


# Validation ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw, message", [
    ({"mode": "licence", "mean_open_months": 3.0}, r"restrictive_approval_probability must be a probability"),
    ({"mode": "licence", "restrictive_approval_probability": 0.1, "initial_state": "stationary",
      "mean_open_months": 3.0}, r"initial_state must be 'open' or 'restrictive' unless both"),
    ({"mode": "licence", "licence_validity_days": 0.5}, r"licence_validity_days must be >= 1"),
    ({"mode": "licence", "initial_state": "closed"}, r"initial_state must be one of"),
    ({"mode": "ban", "licence_validity_days": 30}, r"licence_validity_days must be None unless mode is 'licence'"),
    ({"mode": "licence", "leakage_capacity": 3.0}, r"leakage_capacity must be None unless mode is 'ban'"),
    ({"mode": "ban", "leakage": 0.2, "leakage_capacity": 3.0}, r"leakage_capacity must be None when leakage"),
    ({"mode": "licence", "restrictive_approval_probability": 0.1, "mean_open_months": 200.0},
     r"mean_open_months must be <="),
])
def test_bad_regime_parameters_name_the_field(kw: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ExportControl(exporter="CN", commodity="metal", **kw)


# The buyer's expectation (State.licence_ok) ------------------------------------------------------

def _final_state(s: Scenario):
    from supplychain.engines.record import Recorder
    from supplychain.engines.vector import draw_batch, simulate_runs
    c = compile_scenario(s)
    seqs = run_seed_sequences(0, 2)
    return simulate_runs(c, draw_batch(c, seqs), 2, Recorder(c, 2))


def test_licence_ok_is_the_current_approval_probability_one_while_valid_and_the_route_share() -> None:
    restrictive = licence(approval_probability=0.9, restrictive_approval_probability=0.2,
                          initial_state="restrictive", processing_delay=Fixed(3.0))
    assert _final_state(Scenario(star(2), horizon_days=30).with_shocks(restrictive)).licence_ok == pytest.approx(0.2)
    valid = licence(processing_delay=Fixed(3.0), licence_validity_days=100)
    assert _final_state(Scenario(star(2), horizon_days=30).with_shocks(valid)).licence_ok == pytest.approx(1.0)
    route = ExportControl(exporter="CN", commodity="metal", leakage_capacity=0.5, start=START)
    assert _final_state(Scenario(star(2), horizon_days=30).with_shocks(route)).licence_ok == pytest.approx(0.25)
    assert _final_state(Scenario(star(2), horizon_days=30)).licence_ok is None
