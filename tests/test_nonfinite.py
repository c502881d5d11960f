"""An engine that meets a NaN or an infinity stops with an error naming the quantity, never continues."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from supplychain.compile.compiler import compile_scenario
from supplychain.engines import des, kernel, vector
from supplychain.engines.draws import draw_run, run_seed_sequences
from supplychain.errors import SupplyChainError
from supplychain.model import Scenario, Triangular
from supplychain.run import simulate

from .conftest import chain_network

ENGINES = {"des": des.run_des, "vector": vector.run_vector}


def random_lead_scenario() -> Scenario:
    net = chain_network()
    lanes = tuple(dataclasses.replace(l, lead_time=Triangular(2.0, 3.0, 5.0)) if l.commodity == "ore" else l
                  for l in net.lanes)
    return Scenario(dataclasses.replace(net, lanes=lanes), horizon_days=30)


@pytest.mark.parametrize("engine", ["des", "vector"])
def test_a_non_finite_draw_is_an_error_naming_it(engine, monkeypatch):
    def poisoned(c, seq, *kernels):   # the vector engine passes its compiled loops once Numba is loaded
        draws = draw_run(c, seq, *kernels)
        if seq.spawn_key[-1] != 2:
            return draws
        lead = draws.lead_time.copy()
        lead[7, 0] = np.inf  # run 2, day 7, the ore lane
        return dataclasses.replace(draws, lead_time=lead)

    monkeypatch.setattr(des if engine == "des" else vector, "draw_run", poisoned)
    with pytest.raises(SupplyChainError, match=r"random lead time of 'CN\.mine>CN\.refinery' is inf in run 2 on day 7"):
        simulate(random_lead_scenario(), engine=engine, n_runs=3, seed=1, chunk_size=3)


@pytest.mark.parametrize("engine", ["des", "vector"])
@pytest.mark.parametrize("keep", ["series", "summary"])
def test_a_non_finite_input_is_an_error_naming_it(engine, keep):
    c = compile_scenario(Scenario(chain_network(), horizon_days=20))
    bad = dataclasses.replace(c, demand_rate=np.array([np.nan]))
    with pytest.raises(SupplyChainError, match=r"demand of 'US\.metal' is nan on every day"):
        ENGINES[engine](bad, run_seed_sequences(0, 2), keep=keep)


def test_a_des_state_gone_non_finite_is_an_error_naming_it(monkeypatch):
    # The SimPy engine has its own rules (engines/des); overflow its run 1's consumer stock on day 5.
    from supplychain.engines.des.run import Run
    c = compile_scenario(Scenario(chain_network(), horizon_days=20))
    serve = Run._serve
    seen = {"runs": 0}

    def overflowing(self, demand):
        out = serve(self, demand)
        day = int(self.env.now)
        if day == 5 and seen["runs"] == 1:
            self.stock[c.demand_stock[0]] = np.nan
        seen["runs"] += day == 19
        return out

    monkeypatch.setattr(Run, "_serve", overflowing)
    with pytest.raises(SupplyChainError, match=r"stock of 'US\.metal:metal' is nan in run 1 by the end of day 19"):
        des.run_des(c, run_seed_sequences(0, 2))


@pytest.mark.parametrize("engine", ["vector"])
def test_a_state_gone_non_finite_is_an_error_naming_it(engine, monkeypatch):
    # Arithmetic on finite inputs can still overflow (inf - inf is nan); simulate that in run 1's stock.
    c = compile_scenario(Scenario(chain_network(), horizon_days=20))
    serve = kernel.serve_demand
    seen = {"runs": 0}

    def overflowing(c, s, demand):
        out = serve(c, s, demand)
        if s.day == 5 and (s.stock.shape[0] > 1 or seen["runs"] == 1):
            s.stock[-1, c.demand_stock[0]] = np.nan
        seen["runs"] += s.day == 19
        return out

    monkeypatch.setattr(kernel, "serve_demand", overflowing)
    with pytest.raises(SupplyChainError, match=r"stock of 'US\.metal:metal' is nan in run 1 by the end of day 19"):
        ENGINES[engine](c, run_seed_sequences(0, 2))


def test_finite_runs_are_unchanged_by_the_checks():
    res = simulate(random_lead_scenario(), engine="vector", n_runs=4, seed=3)
    assert np.isfinite(res.inventory).all() and res.delivered.sum() > 0
