"""Every example saves its figure without being told where: a default folder, said when written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _out_default(script: Path) -> object:
    """The ``default=`` of the script's ``--out`` argument (a constant), or a KeyError if it has none."""
    for node in ast.walk(ast.parse(script.read_text())):
        if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_argument" and node.args
                and isinstance(node.args[0], ast.Constant) and node.args[0].value == "--out"):
            return next(ast.literal_eval(k.value) for k in node.keywords if k.arg == "default")
    raise KeyError(f"{script.name} has no --out")


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("[0-9]*.py")), ids=lambda p: p.stem)
def test_without_out_an_example_still_saves_its_figure(script):
    default = _out_default(script)
    text = script.read_text()
    # A folder by default (the working folder, as examples 01-05), or a temporary one made when none is given.
    assert default == "." or (default is None and "args.out or tempfile.mkdtemp()" in text), default
    assert 'print(f"saved ' in text


def test_example_09_says_where_it_wrote():
    text = (EXAMPLES / "09_chip_shortage_2021.py").read_text()
    assert _out_default(EXAMPLES / "09_chip_shortage_2021.py") == "."
    assert 'print(f"saved {path.resolve()}")' in text and "figure not written" not in text
