"""Exceptions and warnings raised by supplychain.

Every error raised on bad input derives from `SupplyChainError`, so a
caller (the CLI in particular) can catch all of them in one place and print a
single line.
"""

from __future__ import annotations

__all__ = [
    "SupplyChainError",
    "ValidationError",
    "UnknownIdError",
    "ArgumentError",
    "ScenarioFileError",
    "SimulationWarning",
]


class SupplyChainError(Exception):
    """Base class of every error this library raises on purpose."""


class ValidationError(SupplyChainError, ValueError):
    """A model value is out of range or inconsistent.

    The message names the field, the value received and what was expected.
    """


class UnknownIdError(SupplyChainError, KeyError):
    """An identifier refers to nothing; the message lists close matches."""

    def __str__(self) -> str:
        # KeyError's default str() wraps the message in quotes; keep it plain.
        return str(self.args[0]) if self.args else ""


class ArgumentError(ValidationError, TypeError):
    """A model class was called with a keyword it does not take, too many positional arguments or a
    required field left out; the message names the field, the value given and the close matches.

    It is a `TypeError` too, as Python's own error for a bad call is, so code that catches that still does.
    """


class ScenarioFileError(SupplyChainError, ValueError):
    """A scenario or results file cannot be read: malformed or missing."""


class SimulationWarning(UserWarning):
    """Something in a run deserves attention but does not stop it."""
