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


class ScenarioFileError(SupplyChainError, ValueError):
    """A scenario or results file cannot be read: malformed or missing."""


class SimulationWarning(UserWarning):
    """Something in a run deserves attention but does not stop it."""
