"""The CLI package splits its work into modules with one job each; the entry point only lists and dispatches."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import supplychain.cli as cli
from supplychain.cli import app

CLI = Path(cli.__file__).parent


def test_every_public_name_of_the_entry_point_still_imports():
    for name in app.__all__:
        assert getattr(app, name) is not None, name
    for name in cli.__all__:
        assert getattr(cli, name) is not None, name


def test_the_entry_point_holds_no_command_of_its_own():
    tree = ast.parse((CLI / "app.py").read_text())
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert functions <= {"build_parser", "main", "_one_line", "_silence_stdout", "_warning_printer"}
    assert len((CLI / "app.py").read_text().splitlines()) < 250


def test_each_command_is_handled_in_a_module_named_for_it():
    where = {command.name: inspect.getmodule(command.handler).__name__.rsplit(".", 1)[1] for command in app.COMMANDS}
    assert where == {"run": "run_command", "scenarios": "listing_commands", "data": "listing_commands",
                     "stress-test": "analytics_commands", "benchmark": "analytics_commands",
                     "experiment": "experiment_command"}
    for command in app.COMMANDS:   # each handler's set-up beside it
        assert inspect.getmodule(command.configure) is inspect.getmodule(command.handler)


def test_no_module_of_the_package_grows_past_a_screenful_of_jobs():
    sizes = {path.name: len(path.read_text().splitlines()) for path in CLI.glob("*.py")}
    assert max(sizes.values()) < 500, sizes
