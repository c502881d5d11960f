"""This library's engines against a peer library and a minimal NumPy kernel, on the same synthetic networks.

Contenders, all run in this one process, interleaved (every contender once per
network, then again) and repeated; each figure is the best of the repeats:

* **vector**: ``simulate(scenario, engine="vector", n_runs=R, keep="summary")``
  with every chunk in this process (one core), ``R`` = ``--runs`` (1,000);
* **des**: the event-driven SimPy engine, ``simulate(scenario, engine="des")``, one run;
* **SupplyNetPy** (``pip install supplynetpy``, or this project's ``[peers]``
  extra), a SimPy-based supply-chain library, one run; skipped with a message
  when it is not installed;
* **kernel**: a minimal NumPy (s, S) kernel written below (:func:`kernel_runs`),
  ``R`` runs at once in chunks, as a ceiling for what array code can do on
  this work.

The networks are :func:`synthetic.peer_scenario` with 10, 100 and 1,000
facilities: five tiers (mines, refineries, materials, components, assembly),
up to two inputs per recipe and three suppliers per input, final demand per
region and final good with normal noise (mean 1, sd 0.1, truncated at 0), log-normal
lead times (sd 25 % of the mean; 1-3 days within a region, 5-39 between), 365 days.
Throughput is in *facility-days per second*: runs x days x facilities / seconds
(the same facility count for every contender, whatever nodes it adds).

Each contender's wall time and CPU time (of this process, where all of them run)
are recorded. Printed ratios, each against the project's performance target
for it (the speed the engines are meant to reach on this work; "met" or "not
met"), on wall time and, in brackets, on CPU time, which other work sharing
the machine disturbs less:

* des / SupplyNetPy on the 100-facility network (target >= 3: the SimPy engine
  at least three times a comparable SimPy-based library);
* vector at ``R`` runs / kernel at ``R`` runs, on 100 and 1,000 facilities
  (target >= 0.5: the full model at least half the speed of the bare kernel);
* vector per run / des per run (target >= 100: Monte Carlo on the vector
  engine at least 100 times faster per run than the SimPy engine).

A ratio is printed with as many digits as it takes to show on which side of
its target it lies (0.4996 prints as 0.4996, not 0.50).

Where the contenders' semantics differ
--------------------------------------
They run the same graph with the same parameters, but not the same model:

* **This library (both engines)** implements docs/model.md: daily periods;
  facilities produce up to capacity when the output stock is at or below its
  trigger, consuming every input of the recipe; buyers review daily on
  inventory position and split each (s, S) order across suppliers by sourcing
  share; suppliers keep order books (unfilled orders stay owed and ship first,
  with cancellation by patience), ration shortages pro rata, quote lead times
  from throughput; unserved final demand is lost. Continuous lead times round up
  to whole days. The SimPy engine schedules each shipment as an event.
* **SupplyNetPy 0.5** has no multi-tier manufacturing: a manufacturer's inputs
  must come from raw-material suppliers. So mines are raw-material suppliers
  (mining ``capacity`` units a day up to their target stock), refineries are
  manufacturers with the network's recipes (one-day production batches of at
  most ``capacity`` units; raw materials are ordered when production is planned,
  from the first supplier that can take the order, not split by share; they start with
  no raw material), and every later tier is an inventory node that passes goods
  through unchanged (no recipe: its input lanes, all of them, bring "its
  product"). Each final demand gets a retailer node (the library's consumer
  stock) with one customer order a day. Orders go to one supplier each, chosen
  at random with probabilities equal to the sourcing shares (SelectProbabilistic),
  instead of being split; unfilled orders wait at the supplier (backorders); lead
  times are continuous (no rounding to days) and drawn per shipment. Reviews are
  periodic, once a day ((s, S) with ``period=1``), as here.
* **The minimal kernel** keeps only (s, S) buyers with a daily review, recipes
  and capacity, proportional rationing of suppliers' output and log-normal lead
  times rounded up to whole days (at most 127): no order books (unfilled orders are
  lost and re-ordered), no quoted lead times, no shocks, no policies beyond (s, S),
  no per-day outputs beyond what the next day needs. It is the floor of
  bookkeeping any array engine pays for this network, not a model.

So throughput compares the cost of simulating the same network for the same
horizon, not identical numbers. The library's engines also check inputs and
keep summaries (per-run totals, daily service levels for the bands).

Usage: ``python benchmarks/bench_peers.py [--runs 1000] [--repeat 2] [--sizes 10 100 1000] [--no-peer]``
(about 10 minutes with the defaults on 2 cores; ``--quick`` is 100 runs, one repeat).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from synthetic import SIZES, PlainNetwork, peer_scenario, plain_network

from supplychain import simulate
from supplychain.model import Scenario
from supplychain.run.simulate import ENGINES

DES = "simpy" if "simpy" in ENGINES else "des"
RING = 128  # slots of the minimal kernel's ring of goods in transit (longest lead time + 1)


class Inline(Executor):
    """Runs each chunk at once in this process: one core."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


# The minimal (s, S) kernel ---------------------------------------------------------------------

def _lognormal_params(mean: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s2 = np.log1p((sd / mean) ** 2)
    return np.log(mean) - 0.5 * s2, np.sqrt(s2)


def kernel_runs(net: PlainNetwork, n_runs: int, seed: int, chunk: int = 128) -> float:
    """Simulate ``n_runs`` runs of ``net`` with the minimal kernel; returns the mean fill rate."""
    rng = np.random.default_rng(seed)
    filled = wanted = 0.0
    for start in range(0, n_runs, chunk):
        f, w = _kernel_chunk(net, min(chunk, n_runs - start), rng)
        filled += f
        wanted += w
    return filled / wanted


def _kernel_chunk(net: PlainNetwork, r: int, rng: np.random.Generator) -> tuple[float, float]:
    from scipy import sparse
    n_f, n_b, n_l = len(net.capacity), len(net.buyer_ids), len(net.lane_origin)
    by_buyer = sparse.csr_matrix((np.ones(n_l), (net.lane_buyer, np.arange(n_l))), shape=(n_b, n_l))
    by_origin = sparse.csr_matrix((np.ones(n_l), (net.lane_origin, np.arange(n_l))), shape=(n_f, n_l))
    # Arrays are (items, runs): each item's runs are contiguous.
    out = np.repeat(net.output_initial[:, None], r, axis=1)
    stock = np.repeat(net.buyer_initial[:, None], r, axis=1)
    ring = np.zeros((RING, n_l, r))
    pre = net.lane_initial_transit[:RING]
    ring[: len(pre)] = pre[:, :, None]
    transit = np.repeat((by_buyer @ net.lane_initial_transit.sum(axis=0))[:, None], r, axis=1)
    has_recipe = net.recipe_buyer >= 0
    recipe = np.where(has_recipe, net.recipe_buyer, n_b)  # padding reads a row of +inf
    cap, trig, target = net.capacity[:, None], net.prod_trigger[:, None], net.prod_target[:, None]
    s_pt, s_up = net.reorder_point[:, None], net.order_up_to[:, None]
    share = net.lane_share[:, None]
    m, s = _lognormal_params(net.lane_lead_mean, np.maximum(net.lane_lead_sd, 1e-300))
    random_lead = net.lane_lead_sd > 0
    m, s = m[:, None], np.where(random_lead, s, 0.0)[:, None]
    rate, sd = net.demand_rate[:, None], net.demand_sd[:, None]
    flat = (np.arange(n_l)[:, None] * r + np.arange(r)[None, :])  # offset of (lane, run) in a slot
    padded = np.vstack([stock, np.full((1, r), np.inf)])
    filled = wanted = 0.0
    for t in range(net.n_days):
        slot = ring[t % RING]
        landed = by_buyer @ slot
        padded[:n_b] += landed
        transit -= landed
        slot[:] = 0.0
        # Production: up to capacity and target, limited by the scarcest input.
        can = (padded[recipe] / net.recipe_ratio[:, :, None]).min(axis=1)
        p = np.minimum(np.minimum(cap, can), np.where(out <= trig, target - out, 0.0))
        np.maximum(p, 0.0, out=p)
        out += p
        for k in range(recipe.shape[1]):
            rows = has_recipe[:, k]
            padded[recipe[rows, k]] -= p[rows] * net.recipe_ratio[rows, k, None]
        # Final demand, lost when not on hand.
        demand = rate * np.maximum(1.0 + sd * rng.standard_normal((len(rate), r)), 0.0)
        have = padded[net.demand_buyer]
        served = np.minimum(have, demand)
        padded[net.demand_buyer] = have - served
        filled += float(served.sum())
        wanted += float(demand.sum())
        # (s, S) orders on inventory position, split by share; suppliers ration pro rata.
        position = padded[:n_b] + transit
        q = np.where(position <= s_pt, s_up - position, 0.0)
        orders = q[net.lane_buyer] * share
        requested = by_origin @ orders
        with np.errstate(divide="ignore", invalid="ignore"):
            fill = np.where(requested > out, out / requested, 1.0)
        shipped = orders * fill[net.lane_origin]
        out -= by_origin @ shipped
        np.maximum(out, 0.0, out=out)
        transit += by_buyer @ shipped
        # Log-normal lead times, whole days, into the ring.
        days = np.ceil(np.exp(m + s * rng.standard_normal((n_l, r)))).astype(np.intp)
        np.clip(days, 1, RING - 1, out=days)
        ring.reshape(-1)[((t + days) % RING) * (n_l * r) + flat] += shipped
        np.maximum(padded, 0.0, out=padded)
        padded[n_b] = np.inf
    return filled, wanted


# SupplyNetPy ----------------------------------------------------------------------------------

def supplynetpy_network(net: PlainNetwork, seed: int) -> tuple[Any, Any] | None:
    """The closest SupplyNetPy network to ``net`` (see the module docstring), or None if not installed."""
    try:
        import SupplyNetPy.Components as scm
    except ImportError:
        return None
    import logging
    scm.set_seed(seed)
    rng = np.random.default_rng(seed)
    env_nodes, links, demands = [], [], []
    n_f = len(net.capacity)
    fac = [f"F{i}" for i in range(n_f)]
    # Which facility owns each buyer stock (input stocks) and which buyers are consumer stocks.
    owner = {int(b): i for i, row in enumerate(net.recipe_buyer) for b in row if b >= 0}
    raw: dict[int, Any] = {}   # mine facility -> its RawMaterial (one per commodity, shared by its mines)
    commodity = [fid.split("/")[1] for fid in net.buyer_ids]
    mine_output: dict[int, str] = {}
    lanes_into = {i: [] for i in range(n_f)}
    for lane, b in enumerate(net.lane_buyer):
        if int(b) in owner:
            lanes_into[owner[int(b)]].append(lane)
            mine_output[int(net.lane_origin[lane])] = commodity[int(b)]
    materials: dict[str, Any] = {}
    is_mine = ~(net.recipe_buyer >= 0).any(axis=1)
    for i in range(n_f):
        if not is_mine[i]:
            continue
        good = mine_output.get(i, f"raw{i}")
        if good not in materials:
            materials[good] = scm.RawMaterial(ID=f"R_{good}", name=good, extraction_quantity=float(net.capacity[i]),
                                              extraction_time=1, mining_cost=0.1, cost=1.0)
        raw[i] = materials[good]
        env_nodes.append({"ID": fac[i], "name": fac[i], "node_type": "supplier",
                          "capacity": max(float(net.prod_target[i]), 1.0),
                          "initial_level": float(net.output_initial[i]), "inventory_holding_cost": 0.01,
                          "raw_material": raw[i]})
    for i in range(n_f):
        if is_mine[i]:
            continue
        target, trigger = max(float(net.prod_target[i]), 1.0), float(net.prod_trigger[i])
        inputs = [int(b) for b in net.recipe_buyer[i] if b >= 0]
        upstream_is_mine = all(is_mine[int(net.lane_origin[lane])] for lane in lanes_into[i])
        if upstream_is_mine and lanes_into[i]:
            ratio = dict(zip([commodity[b] for b in inputs], net.recipe_ratio[i][: len(inputs)]))
            product = scm.Product(ID=f"P{i}", name=f"P{i}", manufacturing_cost=1.0, manufacturing_time=1,
                                  sell_price=2.0, batch_size=max(1, math.ceil(net.capacity[i])),
                                  raw_materials=[(materials[g], float(q)) for g, q in ratio.items() if g in materials])
            env_nodes.append({"ID": fac[i], "name": fac[i], "node_type": "manufacturer", "capacity": 2 * target,
                              "initial_level": float(net.output_initial[i]), "inventory_holding_cost": 0.01,
                              "product_sell_price": 2.0, "replenishment_policy": scm.SSReplenishment,
                              "policy_param": {"s": min(trigger, target), "S": target, "period": 1},
                              "product": product})
        else:
            b = inputs[0]
            s_up = max(float(net.order_up_to[b]), 1.0)
            env_nodes.append(_inventory_node(scm, fac[i], float(net.output_initial[i]) + float(net.buyer_initial[b]),
                                             min(float(net.reorder_point[b]), s_up), s_up, lanes_into[i], net, fac))
    for lane in range(len(net.lane_origin)):
        b = int(net.lane_buyer[lane])
        sink = fac[owner[b]] if b in owner else f"M{b}"
        mean, sd = float(net.lane_lead_mean[lane]), float(net.lane_lead_sd[lane])
        if sd > 0:
            mu, sigma = (float(v) for v in _lognormal_params(np.array(mean), np.array(sd)))
            lead: Callable[[], float] = (lambda mu=mu, sigma=sigma: float(rng.lognormal(mu, sigma)))
        else:
            lead = (lambda mean=mean: mean)
        links.append({"ID": f"L{lane}", "source": fac[int(net.lane_origin[lane])], "sink": sink, "cost": 1.0,
                      "lead_time": lead})
    for j, b in enumerate(net.demand_buyer):
        b = int(b)
        s_up = max(float(net.order_up_to[b]), 1.0)
        market = [lane for lane in range(len(net.lane_buyer)) if int(net.lane_buyer[lane]) == b]
        env_nodes.append(_inventory_node(scm, f"M{b}", float(net.buyer_initial[b]), min(float(net.reorder_point[b]),
                                         s_up), s_up, market, net, fac, node_type="retailer"))
        rate, sd = float(net.demand_rate[j]), float(net.demand_sd[j])
        demands.append({"ID": f"D{j}", "name": f"D{j}", "order_arrival_model": lambda: 1,
                        "order_quantity_model": (
                            lambda rate=rate, sd=sd: rate * max(0.0, 1.0 + sd * rng.standard_normal())),
                        "demand_node": f"M{b}"})
    logging.disable(logging.CRITICAL)
    return scm, scm.create_sc_net(nodes=env_nodes, links=links, demands=demands)


def _inventory_node(scm: Any, node_id: str, initial: float, s: float, s_up: float, lanes: list[int],
                    net: PlainNetwork, fac: list[str], node_type: str = "distributor") -> dict[str, Any]:
    probs: dict[str, float] = {}
    for lane in lanes:
        origin = fac[int(net.lane_origin[lane])]
        probs[origin] = probs.get(origin, 0.0) + float(net.lane_share[lane])
    total = sum(probs.values()) or 1.0
    node: dict[str, Any] = {"ID": node_id, "name": node_id, "node_type": node_type, "capacity": 2 * s_up + initial,
                            "initial_level": initial, "inventory_holding_cost": 0.01,
                            "replenishment_policy": scm.SSReplenishment,
                            "policy_param": {"s": s, "S": s_up, "period": 1},
                            "product_sell_price": 2.0, "product_buy_price": 1.0}
    if len(probs) > 1:
        node["supplier_selection_policy"] = scm.SelectProbabilistic
        node["supplier_selection_param"] = {"probabilities": {k: v / total for k, v in probs.items()}}
    return node


def run_supplynetpy(net: PlainNetwork, seed: int) -> tuple[float, float] | None:
    """Wall and CPU seconds to build and simulate the SupplyNetPy network over the horizon (None if not installed)."""
    import warnings
    start, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = supplynetpy_network(net, seed)
        if built is None:
            return None
        scm, sc = built
        scm.simulate_sc_net(sc, sim_time=net.n_days, logging=False)
    return time.perf_counter() - start, time.process_time() - cpu


# Timing ---------------------------------------------------------------------------------------

def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn()`` (CPU: this process, where every contender runs)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, nproc {os.cpu_count()}, Python {platform.python_version()}, NumPy {np.__version__}"


def versus_target(ratio: float, target: float, decimals: int) -> str:
    """``ratio`` against ``target``, with enough decimals that the printed value agrees with the verdict.

    >>> versus_target(0.4996, 0.5, 2)
    '0.4996 (target >= 0.5: not met)'
    >>> versus_target(0.62, 0.5, 2)
    '0.62 (target >= 0.5: met)'
    >>> versus_target(99.7, 100, 0)
    '99.7 (target >= 100: not met)'
    """
    met = ratio >= target
    text = f"{ratio:.{decimals}f}"
    while math.isfinite(ratio) and (float(text) >= target) != met and decimals < 12:
        decimals += 1
        text = f"{ratio:.{decimals}f}"
    return f"{text} (target >= {target:g}: {'met' if met else 'not met'})"


def main() -> None:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs of the vector engine and the kernel")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--quick", action="store_true", help="100 runs, one repeat")
    parser.add_argument("--no-peer", action="store_true",
                        help="leave SupplyNetPy out (its 1,000-facility run takes several minutes)")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.repeat = 100, 1
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    try:
        if args.no_peer:
            raise ImportError
        import SupplyNetPy
        peer = f"SupplyNetPy {getattr(SupplyNetPy, '__version__', '')}".strip()
    except ImportError:
        peer = None
        print("SupplyNetPy left out (--no-peer)" if args.no_peer else
              "SupplyNetPy is not installed (pip install supplynetpy, or pip install -e '.[peers]'): skipped")
    scenarios: dict[int, Scenario] = {n: peer_scenario(n) for n in args.sizes}
    plains = {n: plain_network(s) for n, s in scenarios.items()}
    # Warm-up: imports and caches of every contender.
    small = peer_scenario(10, horizon_days=20)
    simulate(small, engine="vector", n_runs=2, seed=0, keep="summary", executor=Inline())
    simulate(small, engine=DES, seed=0)
    kernel_runs(plain_network(small), 2, 0)
    # The vector engine's optional compiled loops (Numba, supplychain[fast]) load once per process, for
    # ensembles of this size: load them in the warm-up too, as the SimPy engine's imports are.
    try:
        from supplychain.engines import jit
    except ImportError:  # a version of the library without them
        jit = None
    if jit is not None and jit.kernels_for(args.runs * 365 * len(scenarios[max(args.sizes)].network.lanes)):
        print("vector engine: compiled loops (Numba) in use; SUPPLYCHAIN_JIT=off measures the NumPy code alone")
    else:
        print("vector engine: NumPy code alone (Numba not installed, SUPPLYCHAIN_JIT=off, or small work)")
    best: dict[tuple[str, int], float] = {}
    best_cpu: dict[tuple[str, int], float] = {}

    def record(name: str, n: int, seconds: tuple[float, float] | None) -> None:
        if seconds is not None:
            wall, cpu = seconds
            best[(name, n)] = min(best.get((name, n), math.inf), wall)
            best_cpu[(name, n)] = min(best_cpu.get((name, n), math.inf), cpu)
            runs = args.runs if name in ("vector", "kernel") else 1
            print(f"    {name:<12} {n:>5} facilities: {wall:8.2f} s, {runs * 365 * n / wall:>12,.0f} "
                  f"facility-days/s (CPU {cpu:8.2f} s, {runs * 365 * n / cpu:>12,.0f})", flush=True)

    for rep in range(args.repeat):
        print(f"  repeat {rep + 1}", flush=True)
        for n in args.sizes:
            sc, plain = scenarios[n], plains[n]
            record("vector", n, timed(lambda sc=sc, rep=rep: simulate(
                sc, engine="vector", n_runs=args.runs, seed=rep, keep="summary", executor=Inline())))
            record("kernel", n, timed(lambda plain=plain, rep=rep: kernel_runs(plain, args.runs, rep)))
            record("des", n, timed(lambda sc=sc, rep=rep: simulate(sc, engine=DES, seed=rep)))
            if peer:
                record("SupplyNetPy", n, run_supplynetpy(plain, rep))

    def rate(name: str, n: int, times: dict[tuple[str, int], float] = best) -> float:
        runs = args.runs if name in ("vector", "kernel") else 1
        return runs * 365 * n / times[(name, n)] if (name, n) in times else math.nan

    print(f"\nthroughput, facility-days/s (best of {args.repeat}; vector and kernel: {args.runs} runs, one process;"
          f" load average now {os.getloadavg()[0]:.1f})")
    names = ["vector", "kernel", "des"] + (["SupplyNetPy"] if peer else [])
    for label, times in (("wall time", best), ("CPU time", best_cpu)):
        print(f"  {label}")
        print(f"  {'facilities':>10} {'lanes':>6} " + " ".join(f"{name:>12}" for name in names))
        for n in args.sizes:
            cells = " ".join(f"{rate(name, n, times):>12,.0f}" for name in names)
            print(f"  {n:>10} {len(scenarios[n].network.lanes):>6} {cells}")
    # CPU time is what a contender costs when other work shares the machine; wall time what it takes.
    print("\nratios against the performance targets: wall time (CPU time)")

    def both(a: str, b: str, n: int, target: float, decimals: int) -> str:
        wall = rate(a, n) / rate(b, n)
        cpu = rate(a, n, best_cpu) / rate(b, n, best_cpu)
        return f"{versus_target(wall, target, decimals)} ({versus_target(cpu, target, decimals)})"

    if peer and 100 in args.sizes:
        print(f"  des / SupplyNetPy, 100 facilities: {both('des', 'SupplyNetPy', 100, 3, 2)}")
    for n in (100, 1000):
        if n in args.sizes:
            print(f"  vector / kernel at {args.runs} runs, {n} facilities: {both('vector', 'kernel', n, 0.5, 2)}")
    for n in args.sizes:
        print(f"  vector per run / des per run, {n} facilities: {both('vector', 'des', n, 100, 0)}")


if __name__ == "__main__":
    main()
