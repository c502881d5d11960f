"""Errors met while loading and simulating a user's scenario, reported as one line naming it.

Loading a file names the file in every message it raises. Errors found later,
when the scenario is compiled or simulated (an unknown id in a shock, a value
out of range for the engine), do not know the file: `about_scenario`
puts it in front.

Besides `SupplyChainError`, it maps the exception
classes that an unchecked extreme *value* in the user's file produces inside
NumPy, `datetime` or the engines, and only these:

- ``ValueError`` and ``TypeError``: a value NumPy or the standard library
  refuses (a Poisson rate of 1e300, a date past year 9999);
- ``OverflowError``: a number too large to become an integer or a date;
- ``MemoryError``: arrays sized by an unbounded day count or rate;
- ``RecursionError``: data nested too deeply.

Each becomes `ScenarioFileError` whose message names
the scenario, the exception class and its (bounded) text, so the one line
still points at the cause. `check_results` refuses results that hold NaN
or infinite values or lose material, so that an extreme value the model
accepted cannot end in a silent wrong answer. Everything else (``KeyError``, ``IndexError``,
``AttributeError``, ``AssertionError``, ...) is a programming error and keeps
its traceback; so does any error outside the block (writing plots of results
already computed is inside it because their dates come from the file).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from .._validation import SHOWN_CHARS
from ..errors import ScenarioFileError, SupplyChainError

if TYPE_CHECKING:
    from ..results.ensemble import EnsembleResults
    from ..results.series import Results

__all__ = ["INPUT_ERRORS", "BALANCE_TOLERANCE", "about_scenario", "check_results"]

#: Largest material-balance residual accepted, relative to the largest flow (engines reach ~1e-12).
BALANCE_TOLERANCE = 1e-6

#: Exception classes that extreme values in a scenario file raise outside our own checks.
INPUT_ERRORS: tuple[type[BaseException], ...] = (ValueError, TypeError, OverflowError, MemoryError,
                                                 RecursionError)


def _bounded(text: str, limit: int = 3 * SHOWN_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


@contextlib.contextmanager
def about_scenario(name: str) -> Iterator[None]:
    """Errors raised in the block name the scenario ``name`` (a file path or built-in name).

    Examples
    --------
    >>> from supplychain.errors import ValidationError
    >>> with about_scenario("shock.toml"):
    ...     raise ValidationError("rate must be >= 0; got -1.0 for Tariff.")
    Traceback (most recent call last):
    ...
    supplychain.errors.ValidationError: shock.toml: rate must be >= 0; got -1.0 for Tariff.
    >>> with about_scenario("shock.toml"):
    ...     raise OverflowError("date value out of range")
    Traceback (most recent call last):
    ...
    supplychain.errors.ScenarioFileError: shock.toml: cannot simulate this scenario (OverflowError: date value out of range); a value in it is beyond what the model supports.
    """
    try:
        yield
    except SupplyChainError as exc:
        if str(exc).startswith(name) or repr(name) in str(exc):  # it names the scenario already
            raise
        raise _renamed(exc, f"{name}: {exc}") from exc
    except INPUT_ERRORS as exc:
        detail = _bounded(str(exc)) or "no detail"
        raise ScenarioFileError(f"{name}: cannot simulate this scenario ({type(exc).__name__}: {detail}); "
                                "a value in it is beyond what the model supports.") from exc


def _renamed(exc: SupplyChainError, message: str) -> SupplyChainError:
    """The same error class with ``message`` (falls back to ScenarioFileError for odd signatures)."""
    try:
        return type(exc)(message)
    except Exception:  # noqa: BLE001 - any constructor failure falls back to our generic class
        return ScenarioFileError(message)


def check_results(results: Results | EnsembleResults) -> None:
    """Raise `ScenarioFileError` if results hold NaN or inf or lose material.

    Daily results must also pass the material balance
    (`material_balance`) within `BALANCE_TOLERANCE`.

    Examples
    --------
    >>> from supplychain import load_baseline, simulate
    >>> check_results(simulate(load_baseline().with_horizon(5), seed=0))  # sound: nothing happens
    """
    arrays = getattr(results, "arrays", None)
    if arrays is None:  # an ensemble summary: per-run totals and bands
        arrays = {"demand": results.demand, "delivered": results.delivered,
                  "served_on_day": results.served_on_day, "stockout_days": results.stockout_days, **results.bands,
                  **{name: arr for name in ("lane_flow", "lane_tariff_units", "lane_extra_usd")
                     if (arr := getattr(results, name)) is not None}}
    bad = [name for name, arr in arrays.items() if not np.isfinite(arr).all()]
    if bad:
        raise ScenarioFileError(f"the results hold NaN or infinite values (in {', '.join(bad)}); a value in "
                                "the scenario is beyond what the model supports.")
    if getattr(results, "arrays", None) is not None:
        from ..metrics.balance import material_balance
        error = material_balance(results).max_relative_error  # type: ignore[arg-type]
        if not error <= BALANCE_TOLERANCE:
            raise ScenarioFileError(f"the results do not conserve material (relative error {error:.3g}); a value "
                                    "in the scenario is beyond what the model supports.")
