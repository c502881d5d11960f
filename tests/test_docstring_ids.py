"""Every id a docstring example gives a shock exists in the built-in baseline, so an example copied into a
session runs (session 20's reviewers: ``Tariff(commodity="graphite")``, ``CapacityShock(facility="TW.fab.logic")``).

Checked: the shock classes' docstrings (``supplychain.model.shocks``, what a user copies to build a scenario) and
every docstring in the package that loads the baseline. Toy networks' ids (``CN.mine``, ``ore``) live in other
docstrings, which build their own network.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import supplychain
from supplychain import load_baseline

PACKAGE = Path(supplychain.__file__).parent
KEYS = r"facility|commodity|stage|region|exporter|importer|origin_region|destination_region|through"
QUOTED = re.compile(rf'\b({KEYS})["\']?\s*[=:]\s*["\']([^"\']+)["\']')   # key="id" and "key": "id"
#: Deliberate mistakes an example shows being caught (a misspelt id and its suggestion).
TYPOS = {("commodity", "cel")}


def docstrings():
    """(path, name, docstring) of every module, class and function docstring of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                text = ast.get_docstring(node)
                if text:
                    yield path, getattr(node, "name", "<module>"), text


def test_every_id_in_a_shock_or_baseline_example_exists():
    net = load_baseline(horizon_days=10).network
    regions = {r.id for r in net.regions} | {r.name for r in net.regions if r.name}
    known = {"facility": {f.id for f in net.facilities}, "commodity": {c.id for c in net.commodities},
             "stage": {f.stage for f in net.facilities}}
    checked, wrong = 0, []
    for path, name, text in docstrings():
        if "shocks" not in path.parts and "load_baseline(" not in text:
            continue
        for key, value in QUOTED.findall(text):
            checked += 1
            if value != "*" and (key, value) not in TYPOS and value not in known.get(key, regions):
                wrong.append(f"{path.relative_to(PACKAGE)}:{name}: {key}={value!r}")
    assert checked > 50
    assert not wrong, wrong
