"""The SimPy engine on its own: independence from the vector engine's rules, material balance, events."""

from __future__ import annotations

import ast
import pathlib

import pytest

from supplychain.metrics.balance import material_balance
from supplychain.model import ExportControl, RandomOutage, Uniform
from supplychain.run import simulate

from .test_engine_agreement import MECHANISMS, noisy_chain

DES_DIR = pathlib.Path(__file__).resolve().parents[1] / "supplychain" / "engines" / "des"
#: The vector engine's rule modules (docs/model.md §10): the SimPy engine imports none of them.
RULES = {"kernel", "sourcing", "licences", "restart", "scrap", "outages", "dynamic", "day", "prices", "vector", "stacked"}


def test_the_simpy_engine_imports_none_of_the_vector_rules():
    """What the import-linter contract enforces, checked by the suite too (direct imports of engines.*)."""
    found = set()
    for path in DES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                found.add(node.module.split(".")[0])
            if isinstance(node, ast.ImportFrom) and node.level == 3 and node.module \
                    and node.module.startswith("engines."):
                found.add(node.module.split(".")[1])
    assert found and not found & RULES, found & RULES


@pytest.mark.parametrize("name", sorted(MECHANISMS))
def test_material_balance_closes_in_each_mechanism(name):
    res = simulate(MECHANISMS[name], engine="des")
    assert material_balance(res).max_relative_error < 1e-9


def test_material_balance_closes_with_random_inputs_and_licences():
    scenario = noisy_chain(120).with_shocks(
        ExportControl(exporter="CN", commodity="metal", mode="licence", approval_probability=0.6,
                      processing_delay=Uniform(2, 9), start=20),
        RandomOutage(facility="CN.mine", rate_per_year=6.0, duration=5.0))
    res = simulate(scenario, engine="des", n_runs=3, seed=5)
    assert res.arrays["awaiting_licence"].max() > 0
    assert material_balance(res).max_relative_error < 1e-9


def test_goods_due_after_the_horizon_stay_in_transit():
    """A shipment landing on or after the last day never lands: it is counted in transit at the end."""
    scenario = MECHANISMS["quota"]
    res = simulate(scenario, engine="des")
    lead = 20  # the refinery lane's lead time (chain_network)
    shipped_late = res.flow[0, -lead:, 1].sum()
    assert shipped_late > 0
    assert res.in_transit[0, -1, 1] >= shipped_late - 1e-9


def test_a_run_keeping_some_variables_records_the_same_values():
    """A run that keeps only some recorded variables (a summary's) computes those alone, value for value."""
    from supplychain.compile.compiler import compile_scenario
    from supplychain.engines.des.layout import Layout
    from supplychain.engines.des.run import Run
    from supplychain.engines.draws import draw_run, run_seed_sequences

    outage = RandomOutage(facility="CN.mine", rate_per_year=12.0, duration=5.0)
    c = compile_scenario(noisy_chain(40).with_shocks(outage))
    layout, seq = Layout(c), run_seed_sequences(3, 1)[0]
    full = Run(c, layout, draw_run(c, seq)).run()
    kept = ("flow", "unmet", "quoted_lead_time", "on_order")
    some = Run(c, layout, draw_run(c, seq), only=kept).run()
    assert set(some) == set(kept) and len(full) > len(kept)
    for name in kept:
        assert some[name].tobytes() == full[name].tobytes(), name
