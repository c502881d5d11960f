"""README's Python runs as written: its code blocks (on a short horizon) and every call it names in running text."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import supplychain as sc

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)
#: A call in running text: `name(...)`, `sc.name(...)`, `supplychain.module.name(...)` or `results.method(...)`.
CALLS = sorted(set(re.findall(r"`((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\(", README)))
#: The objects README's text calls methods of, by the names it gives them.
OBJECTS = {"results": sc.Results, "ens": sc.EnsembleResults, "base": sc.Scenario}


def test_readme_has_python_to_check():
    assert BLOCKS and {"sc.compare", "supplychain.metrics.who_pays"} <= set(CALLS)


@pytest.mark.parametrize("name", CALLS)
def test_every_call_in_readmes_text_can_be_imported_as_written(name):
    head, *rest = name.split(".")
    if head in OBJECTS:
        assert hasattr(OBJECTS[head], rest[0]), name
        return
    if head in ("sc", "supplychain"):
        target, parts = sc, rest
        while parts and not hasattr(target, parts[0]):   # a submodule not imported by the package
            target = importlib.import_module(f"{target.__name__}.{parts[0]}")
            parts = parts[1:]
        for part in parts:
            target = getattr(target, part)
        assert callable(target), name
    else:   # a bare name is what `import supplychain as sc` offers at the top
        assert head in sc.__all__, f"{name}( in README is not supplychain.{name}: write its module"


@pytest.mark.parametrize("block", range(len(BLOCKS)))
def test_readmes_code_blocks_run(block, monkeypatch, capsys):
    """Each block as written, on 5 days and at most 2 runs (the text's own horizon and runs cost minutes)."""
    load, simulate = sc.load_baseline, sc.simulate

    def short_baseline(*args, **kwargs):
        return load(*args, **{**kwargs, "horizon_days": min(kwargs.get("horizon_days", 5), 5)})

    def few_runs(*args, **kwargs):
        return simulate(*args, **{**kwargs, "n_runs": min(kwargs.get("n_runs", 1), 2)})

    monkeypatch.setattr(sc, "load_baseline", short_baseline)
    monkeypatch.setattr(sc, "simulate", few_runs)
    exec(compile(BLOCKS[block], f"README.md python block {block + 1}", "exec"), {})
    assert capsys.readouterr().out.strip()
