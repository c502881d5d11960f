"""Textbook inventory control: the defect of issue 9 and analytic oracles reproduced by both engines.

Every expected value here is computed from a formula in the test (Zipkin 2000; Axsäter 2015), never
from the simulator. The model has one stage: a supplier with ample capacity and stock ships to one
consumer stock over a lane of fixed lead time ``x``; a textbook lead time ``L`` (an order placed at a
review arrives ``L`` periods later, before that period's demand) corresponds to ``x = L + 1`` here,
because the review happens at the end of the day, after demand (docs/model.md §5.6.4).
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
from scipy import stats

import supplychain
from supplychain.errors import ValidationError
from supplychain.io import load_scenario, save_scenario
from supplychain.model import (
    BaseStock,
    Commodity,
    Demand,
    DemandShock,
    Facility,
    Lane,
    MinMax,
    NegativeBinomial,
    Network,
    Normal,
    Poisson,
    Region,
    Scenario,
)
from supplychain.results import load_results
from supplychain.run import simulate

ENGINES = ("vector", "des")


def single_stage(policy, *, rate: float = 10.0, lead: float = 1.0, noise=None,
                 unmet: str = "backorder", initial: float | None = None) -> Network:
    """One supplier (ample capacity and stock) -> one consumer stock with ``policy``."""
    return Network(
        regions=(Region("CN"), Region("US")),
        commodities=(Commodity("w", "unit", 1.0),),
        facilities=(Facility("CN.plant", "CN", "plant", "w", 1e6, policies={"w": BaseStock(1e6)}),),
        lanes=(Lane("CN.plant", "US.w", "w", lead_time=lead),),
        demands=(Demand("US.w", "US", "w", rate, noise=noise, policy=policy, unmet=unmet,
                        initial_inventory=initial),),
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_base_stock_clears_a_backlog_after_one_day_of_double_demand(engine):
    """Issue 9: the position subtracts own backorders, so one spike leaves no backlog forever."""
    spike = DemandShock(region="US", commodity="w", factor=2.0, start=5, end=6)
    scenario = Scenario(single_stage(BaseStock(10.0)), horizon_days=20).with_shocks(spike)
    res = simulate(scenario, engine=engine, seed=0)
    unmet = res.series("unmet", "US.w")[0]
    np.testing.assert_allclose(unmet[:5], 0.0)
    assert unmet[5] == pytest.approx(10.0)      # the spike cannot be served from stock
    np.testing.assert_allclose(unmet[6:], 0.0)  # the next day's arrival clears it
    np.testing.assert_allclose(res.series("delivered", "US.w")[0, 6], 20.0)


# --- count distributions -------------------------------------------------------------------------

@pytest.mark.parametrize("dist, variance", [(Poisson(7.0), 7.0), (NegativeBinomial(7.0, 2.0), 7.0 + 49.0 / 2.0)])
def test_count_distributions_draw_whole_numbers_with_their_mean_and_variance(dist, variance):
    x = dist.sample(np.random.default_rng(5), 200_000)
    assert (x == np.round(x)).all() and x.min() >= 0
    assert x.mean() == pytest.approx(dist.mean, abs=4 * np.sqrt(variance / len(x)))
    assert x.var() == pytest.approx(variance, rel=0.03)
    assert dist.minimum == 0 and dist.maximum == np.inf
    assert dist.quantile(0.5) == float(np.median(x))


def test_negative_binomial_from_numpy_n_p():
    nb = NegativeBinomial.from_n_p(3.0, 0.25)
    assert (nb.mean, nb.dispersion, nb.p) == pytest.approx((9.0, 3.0, 0.25))
    with pytest.raises(ValidationError):
        NegativeBinomial.from_n_p(3.0, 1.0)
    with pytest.raises(ValidationError):
        Poisson(0.0)


@pytest.mark.parametrize("noise", [Poisson(10.0), NegativeBinomial(10.0, 4.0)])
def test_count_demand_round_trips_through_toml_and_demands_the_count_itself(noise, tmp_path):
    scenario = Scenario(single_stage(BaseStock(40.0), noise=noise), horizon_days=30)
    save_scenario(scenario, tmp_path / "s.toml")
    assert load_scenario(tmp_path / "s.toml") == scenario
    assert supplychain.Poisson is Poisson and supplychain.NegativeBinomial is NegativeBinomial
    demand = simulate(scenario, engine="vector", seed=3).series("demand", "US.w")[0]
    assert (demand == np.round(demand)).all()  # rate 10 x N / 10: the count itself


# --- analytic oracles ------------------------------------------------------------------------------
#
# Each measure is estimated per run (after a warm-up) and compared with the formula within 3 standard
# errors of the mean over runs (runs are independent; days within a run are not, so runs are the
# samples). The vector engine runs many short-ish runs, the SimPy engine fewer long ones.

RUNS = {"vector": (400, 400), "des": (30, 700)}  # engine -> (runs, days)
WARM = 30
STOCK = "US.w:w"
ORACLE_LOG: list[str] = []  # what each oracle found; printed with pytest -s


def per_run(scenario: Scenario, engine: str, seed: int = 11) -> dict[str, np.ndarray]:
    """Per-run means after the warm-up: on hand and backorders at the end of the day, fill, CSL, etc."""
    runs, days = RUNS[engine]
    res = simulate(scenario.with_horizon(days), engine=engine, n_runs=runs, seed=seed)
    w = slice(WARM, None)
    demand = res.series("demand", "US.w")[:, w]
    unmet = res.series("unmet", "US.w")[:, w]
    delivered = res.series("delivered", "US.w")[:, w]
    return {
        "on_hand": res.series("inventory", STOCK)[:, w].mean(axis=1),
        "backorders": unmet.mean(axis=1),
        "lost": unmet.mean(axis=1),
        "fill": res.series("served_on_day", "US.w")[:, w].sum(axis=1) / demand.sum(axis=1),
        "csl": 1.0 - (unmet > 1e-9 * (delivered + unmet)).mean(axis=1),
        "order_days": (res.series("flow", "CN.plant>US.w")[:, w] > 0).mean(axis=1),
    }


def check(name: str, theory: float, samples: np.ndarray, engine: str) -> None:
    """The mean of ``samples`` is within 3 standard errors of ``theory``."""
    mean, se = float(samples.mean()), float(samples.std(ddof=1) / np.sqrt(len(samples)))
    ORACLE_LOG.append(f"{name:<40} {engine:<6} theory {theory:10.4f}  sim {mean:10.4f} ± {se:.4f} (SE)")
    assert abs(mean - theory) <= 3 * se + 1e-12, f"{name}: theory {theory}, {engine} {mean} ± {se}"


def poisson_partial(s: int, mean: float) -> tuple[float, float]:
    """E[(s - X)^+] and E[(X - s)^+] for X ~ Poisson(mean), by summing the pmf."""
    k = np.arange(max(s, 0) + 1)
    below = float(((s - k) * stats.poisson.pmf(k, mean)).sum()) if s >= 0 else 0.0
    return below, below - (s - mean)


def normal_partial(s: float, mean: float, sd: float) -> tuple[float, float]:
    """E[(s - X)^+] and E[(X - s)^+] for X ~ Normal(mean, sd): sd G(z) and sd L(z), z = (s - mean) / sd."""
    if sd == 0.0:
        return max(s - mean, 0.0), max(mean - s, 0.0)
    z = (s - mean) / sd
    loss = sd * (stats.norm.pdf(z) - z * stats.norm.sf(z))   # standard normal loss function L(z)
    return loss + (s - mean), loss


@pytest.mark.parametrize("engine", ENGINES)
def test_newsvendor_critical_fractile(engine):
    """One period, lost sales: each day starts with S on hand (lead time 1 = textbook 0, order = sales).

    With underage cost cu and overage cost co the optimal S is the critical fractile
    F^-1(cu / (cu + co)); at S* the in-stock probability is cu / (cu + co). Expected lost sales
    sd L(z), leftover S - mu + sd L(z), and the cost co E[leftover] + cu E[lost] is lowest at S*.
    """
    mu, sd, cu, co = 100.0, 20.0, 3.0, 1.0
    ratio = cu / (cu + co)
    best = mu + sd * stats.norm.ppf(ratio)
    costs = {}
    for level in (best - 10.0, best, best + 10.0):
        net = single_stage(BaseStock(level), rate=mu, noise=Normal(1.0, sd / mu, low=0.0), unmet="lost")
        got = per_run(Scenario(net, horizon_days=10), engine)
        leftover, lost = normal_partial(level, mu, sd)
        cost = co * got["on_hand"] + cu * got["lost"]
        costs[level] = cost
        check(f"newsvendor S={level:.1f} lost sales/day", lost, got["lost"], engine)
        check(f"newsvendor S={level:.1f} leftover/day", leftover, got["on_hand"], engine)
        check(f"newsvendor S={level:.1f} cost/day", co * leftover + cu * lost, cost, engine)
        if level == best:
            check("newsvendor S* in-stock probability", ratio, got["csl"], engine)
            check("newsvendor S* fill rate", 1.0 - lost / mu, got["fill"], engine)
    # Common random numbers: the paired costs rank S* first.
    assert costs[best].mean() < min(costs[best - 10.0].mean(), costs[best + 10.0].mean())


@pytest.mark.parametrize("engine", ENGINES)
def test_base_stock_with_poisson_demand(engine):
    """Zipkin (2000, §6.2) / Axsäter (2015, §5.3): periodic review, backorders, lead time L = 2.

    At the end of a day the net stock is S - X, X ~ Poisson(mu (L + 1)) (lane lead time L + 1, §5.6.4):
    E[on hand] = E[(S - X)^+], E[backorders] = E[(X - S)^+], P(no stockout) = P(X <= S), and
    fill = (E[(S - Y)^+] - E[(S - X)^+]) / mu with Y ~ Poisson(mu L), the net stock before the day's demand.
    """
    mu, lead, level = 5, 2, 18
    net = single_stage(BaseStock(float(level)), rate=float(mu), noise=Poisson(float(mu)), lead=lead + 1.0)
    got = per_run(Scenario(net, horizon_days=10), engine)
    on_hand, backorders = poisson_partial(level, mu * (lead + 1))
    before, _ = poisson_partial(level, mu * lead)
    check("base-stock Poisson E[on hand]", on_hand, got["on_hand"], engine)
    check("base-stock Poisson E[backorders]", backorders, got["backorders"], engine)
    check("base-stock Poisson fill rate", (before - on_hand) / mu, got["fill"], engine)
    check("base-stock Poisson P(no stockout)", stats.poisson.cdf(level, mu * (lead + 1)), got["csl"], engine)
    h, b = 1.0, 9.0
    check("base-stock Poisson cost h=1 b=9", h * on_hand + b * backorders,
          h * got["on_hand"] + b * got["backorders"], engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_base_stock_with_normal_demand(engine):
    """The same with normal demand N(100, 20^2) a day and L = 3: X ~ N(400, 40^2), Y ~ N(300, 20^2 * 3)."""
    mu, sd, lead, level = 100.0, 20.0, 3, 430.0
    net = single_stage(BaseStock(level), rate=mu, noise=Normal(1.0, sd / mu, low=0.0), lead=lead + 1.0)
    got = per_run(Scenario(net, horizon_days=10), engine)
    x_mean, x_sd = mu * (lead + 1), sd * np.sqrt(lead + 1)
    on_hand, backorders = normal_partial(level, x_mean, x_sd)
    before, _ = normal_partial(level, mu * lead, sd * np.sqrt(lead))
    check("base-stock normal E[on hand]", on_hand, got["on_hand"], engine)
    check("base-stock normal E[backorders]", backorders, got["backorders"], engine)
    check("base-stock normal fill rate", (before - on_hand) / mu, got["fill"], engine)
    check("base-stock normal P(no stockout)", stats.norm.cdf((level - x_mean) / x_sd), got["csl"], engine)


def s_big_s_chain(s: int, big_s: int, mu: float) -> np.ndarray:
    """Stationary distribution of the position after ordering, on s+1..S, under Poisson(mu) daily demand.

    From y the position falls to y - D; at or below s it is raised to S (Scarf 1960; Zipkin 2000, §6.7).
    """
    states = np.arange(s + 1, big_s + 1)
    p = np.zeros((len(states), len(states)))
    for i, y in enumerate(states):
        for j, z in enumerate(states):
            p[i, j] = stats.poisson.pmf(y - z, mu) if z <= y else 0.0
        p[i, -1] += stats.poisson.sf(y - s - 1, mu)   # D >= y - s: reorder up to S
    values, vectors = np.linalg.eig(p.T)
    pi = np.real(vectors[:, np.argmin(np.abs(values - 1.0))])
    return pi / pi.sum()


@pytest.mark.parametrize("engine", ENGINES)
def test_s_big_s_policy_by_an_exact_markov_chain(engine):
    """(s, S) = (6, 20), Poisson(4) a day, L = 2: the position after ordering y is independent of
    the next L + 1 days' demand, so the end-of-day net stock is y - X with y ~ pi, X ~ Poisson(4 (L + 1))."""
    mu, s, big_s, lead = 4, 6, 20, 2
    pi = s_big_s_chain(s, big_s, mu)
    states = np.arange(s + 1, big_s + 1)
    on_hand = sum(p * poisson_partial(int(y), mu * (lead + 1))[0] for p, y in zip(pi, states))
    backorders = sum(p * poisson_partial(int(y), mu * (lead + 1))[1] for p, y in zip(pi, states))
    before = sum(p * poisson_partial(int(y), mu * lead)[0] for p, y in zip(pi, states))
    in_stock = sum(p * stats.poisson.cdf(y, mu * (lead + 1)) for p, y in zip(pi, states))
    reorder = sum(p * stats.poisson.sf(y - s - 1, mu) for p, y in zip(pi, states))  # P(y - D <= s)
    net = single_stage(MinMax(float(s), float(big_s)), rate=float(mu), noise=Poisson(float(mu)),
                       lead=lead + 1.0)
    got = per_run(Scenario(net, horizon_days=10), engine)
    check("(s,S) E[on hand]", on_hand, got["on_hand"], engine)
    check("(s,S) E[backorders]", backorders, got["backorders"], engine)
    check("(s,S) fill rate", (before - on_hand) / mu, got["fill"], engine)
    check("(s,S) P(no stockout)", in_stock, got["csl"], engine)
    check("(s,S) share of days with an order", reorder, got["order_days"], engine)


@pytest.mark.parametrize("unmet", ["lost", "backorder"])
def test_archives_without_served_on_day_still_load_with_the_series_rebuilt(unmet, tmp_path):
    """Archives written before ``served_on_day`` was recorded rebuild it exactly from delivered and unmet."""
    net = single_stage(BaseStock(22.0), noise=Poisson(10.0), lead=2.0, unmet=unmet)
    res = simulate(Scenario(net, horizon_days=200), engine="vector", n_runs=3, seed=4)
    assert res.arrays["served_on_day"].sum() < res.delivered.sum() or unmet == "lost"
    path = res.save(tmp_path / "new.npz")
    old = tmp_path / "old.npz"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(old, "w") as dst:
        for item in src.infolist():
            if item.filename == "series__served_on_day.npy":
                continue
            data = src.read(item.filename)
            if item.filename == "metadata.npy":
                meta = json.loads(str(np.load(io.BytesIO(data))))
                meta["variables"].remove("served_on_day")
                buffer = io.BytesIO()
                np.save(buffer, np.array(json.dumps(meta)))
                data = buffer.getvalue()
            dst.writestr(item, data)
    back = load_results(old)
    np.testing.assert_array_equal(back.arrays["served_on_day"], res.arrays["served_on_day"])
