"""Experiment files: a scenario file plus the experiment's tables, in TOML.

An experiment file is a scenario file (``[scenario]``, network tables,
``[[shocks]]``; shocks and responses the experiment addresses carry an
``id``) with these additions::

    [experiment]                 # n_futures, replications, design, seed, engine, name,
    n_futures = 200              # primary, threshold, cost (see supplychain.model.experiment.Experiment)
    [[uncertainties]]            # path and distribution = {kind = ...}, or path and choices = [...]
    [[levers]]                   # path and values = [...], or path, low and high
    [[policies]]                 # name and settings = {"<path>" = value, ...}
    [[outcomes]]                 # name, kind, regions, commodities, threshold, sense
    [costs]                      # holding_rate, capital_intensity, discount_rate, asset_life_years

Every error names the file, the table entry and the field.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._validation import close_matches, shown
from ..errors import ScenarioFileError, SupplyChainError
from ..model.experiment import Experiment, Lever, Outcome, PolicyCosts, Strategy
from ..model.paths import check_path
from ..model.uncertainty import Uncertainty
from .files import PathLike, read_text
from .scenario import FOREIGN_ERRORS, scenario_from_dict

__all__ = ["load_experiment", "loads_experiment", "experiment_from_dict", "EXPERIMENT_DIR", "shipped_experiments",
           "experiment_path"]

#: Experiment files shipped with the package (run by name: ``supplychain experiment trilateral_policies``).
EXPERIMENT_DIR = Path(__file__).resolve().parent.parent / "data" / "experiments"
_EXPERIMENT_TABLES = ("experiment", "uncertainties", "levers", "policies", "outcomes", "costs")
_HEAD_KEYS = ("n_futures", "replications", "design", "seed", "engine", "name", "primary", "threshold", "cost")


def shipped_experiments() -> list[str]:
    """Names of the experiment files shipped with the package.

    Examples
    --------
    >>> "trilateral_policies" in shipped_experiments()
    True
    """
    return [p.stem for p in sorted(EXPERIMENT_DIR.glob("*.toml"))]


def experiment_path(name_or_path: str | PathLike) -> Path:
    """A shipped experiment by name, or the path itself."""
    text = str(name_or_path)
    if "/" not in text and "\\" not in text and not text.endswith(".toml") and (EXPERIMENT_DIR / f"{text}.toml").is_file():
        return EXPERIMENT_DIR / f"{text}.toml"
    return Path(name_or_path)


def _where(source: str, table: str, index: int | None = None) -> str:
    return f"{source}, {table}" if index is None else f"{source}, [[{table}]] entry {index + 1}"


def _located(exc: BaseException, where: str) -> ScenarioFileError:
    text = " ".join(str(exc).split()) if isinstance(exc, SupplyChainError) else f"{type(exc).__name__}: {exc}"
    return ScenarioFileError(f"{where}: {text}")


def _entries(data: Mapping[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ScenarioFileError(f"{source}: [[{key}]] must be an array of tables; got {shown(value)}.")
    return value


def _keys(entry: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in entry:
        if key not in allowed:
            hits = close_matches(key, allowed)
            hint = f" (did you mean {hits[0]!r}?)" if hits else f" (allowed: {', '.join(allowed)})"
            raise ScenarioFileError(f"{where}: {key} is not a known key{hint}.")


def _build(fn: Any, entry: Mapping[str, Any], where: str) -> Any:
    try:
        return fn(entry)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        raise _located(exc, where) from None


def experiment_from_dict(data: Mapping[str, Any], *, source: str = "experiment") -> Experiment:
    """Build an `Experiment` from the plain data of an experiment file.

    Examples
    --------
    >>> exp = experiment_from_dict({
    ...     "scenario": {"base": "baseline", "horizon_days": 60},
    ...     "shocks": [{"kind": "export_control", "id": "ban", "exporter": "CN", "commodity": "gallium",
    ...                 "start": 10}],
    ...     "experiment": {"n_futures": 4},
    ...     "uncertainties": [{"path": "shocks.ban.duration_days",
    ...                        "distribution": {"kind": "uniform", "low": 10, "high": 40}}],
    ...     "outcomes": [{"name": "short", "kind": "shortfall_usd"}]})
    >>> exp.n_futures, exp.uncertainty_paths
    (4, ('shocks.ban.duration_days',))
    >>> experiment_from_dict({"experiment": {"n_futurs": 4}}, source="x.toml")
    Traceback (most recent call last):
    ...
    supplychain.errors.ScenarioFileError: x.toml, [experiment]: n_futurs is not a known key (did you mean 'n_futures'?).
    """
    if not isinstance(data, Mapping):
        raise ScenarioFileError(f"{source}: must be a table; got {shown(data)}.")
    head = data.get("experiment", {})
    if not isinstance(head, dict):
        raise ScenarioFileError(f"{source}: [experiment] must be a table; got {shown(head)}.")
    _keys(head, _HEAD_KEYS, _where(source, "[experiment]"))
    costs_data = data.get("costs", {})
    if not isinstance(costs_data, dict):
        raise ScenarioFileError(f"{source}: [costs] must be a table; got {shown(costs_data)}.")
    _keys(costs_data, tuple(f.name for f in dataclasses.fields(PolicyCosts)), _where(source, "[costs]"))
    scenario = scenario_from_dict({k: v for k, v in data.items() if k not in _EXPERIMENT_TABLES}, source=source)

    def entries(key: str, allowed: tuple[str, ...], fn: Any) -> tuple[Any, ...]:
        out = []
        for i, entry in enumerate(_entries(data, key, source)):
            where = _where(source, key, i)
            _keys(entry, allowed, where)
            out.append(_build(fn, entry, where))
        return tuple(out)

    def checked(item: Any, paths: list[str]) -> Any:
        for path in paths:
            check_path(path, shocks=scenario.shocks, responses=scenario.responses, network=scenario.network)
        return item

    uncertainties = entries("uncertainties", ("path", "distribution", "choices"),
                            lambda e: checked(Uncertainty.from_dict(e), [e["path"]]))
    levers = entries("levers", ("path", "values", "low", "high"), lambda e: checked(Lever(
        e["path"], None if "values" not in e else tuple(e["values"]), e.get("low"), e.get("high")), [e["path"]]))
    policies = entries("policies", ("name", "settings"), lambda e: checked(
        Strategy(e["name"], e.get("settings", {})), list(e.get("settings", {}))))
    outcomes = entries("outcomes", tuple(f.name for f in dataclasses.fields(Outcome)), lambda e: Outcome(**e))
    costs = _build(lambda e: PolicyCosts(**e), costs_data, _where(source, "[costs]"))
    try:
        return Experiment(scenario, uncertainties=uncertainties, levers=levers, strategies=policies,
                          outcomes=outcomes, costs=costs, **head)
    except (SupplyChainError, *FOREIGN_ERRORS) as exc:
        raise _located(exc, _where(source, "[experiment]")) from None


def loads_experiment(text: str, *, source: str = "experiment") -> Experiment:
    """Parse experiment TOML text (see `load_experiment`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(f"{source}: invalid TOML: {exc}") from None
    except (RecursionError, ValueError, MemoryError) as exc:
        raise ScenarioFileError(f"{source}: invalid TOML: {type(exc).__name__}") from None
    return experiment_from_dict(data, source=source)


def load_experiment(path: str | PathLike) -> Experiment:
    """Read an experiment TOML file, or a shipped one by name.

    Raises
    ------
    ScenarioFileError
        If the file is missing, not valid TOML, or a table, key or value is
        wrong (the message names the file, the entry and the field).

    Examples
    --------
    >>> exp = load_experiment("trilateral_policies")
    >>> [s.name for s in exp.strategies]
    ['no_joint_action', 'joint_stockpile', 'friendshoring', 'both']
    """
    p = experiment_path(path)
    return loads_experiment(read_text(p, "experiment"), source=str(p))
