"""Arguments shared by every command of the CLI: whole numbers and scenario names or files."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from .._validation import close_matches
from ..errors import UnknownIdError
from ..model.scenario import Scenario

__all__ = ["whole_number", "resolve_scenario"]


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type accepting whole numbers in ``[low, high]``, with a one-line message otherwise.

    Examples
    --------
    >>> whole_number(1)("3")
    3
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be >= {low}; got {value}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"must be <= {high}; got {value}")
        return value
    return parse


def resolve_scenario(name_or_path: str) -> Scenario:
    """A built-in scenario by name (``"baseline"`` or a shipped one, see ``supplychain scenarios``) or a file by path.

    Examples
    --------
    >>> resolve_scenario("japan_korea_2019").name
    'Japan controls on Korea 2019'
    """
    from ..io.scenario import BASES, load_scenario
    if name_or_path in BASES:
        return BASES[name_or_path]()
    path = Path(name_or_path)
    if not path.exists() and not path.suffix and os.sep not in name_or_path:
        hits = close_matches(name_or_path, BASES)
        hint = f" Did you mean {', '.join(repr(h) for h in hits)}?" if hits else ""
        raise UnknownIdError(f"scenario {name_or_path!r} is neither a file nor a built-in scenario "
                             f"({', '.join(BASES)}).{hint}")
    return load_scenario(path)
