"""Arguments shared by every command of the CLI: whole numbers and scenario names or files."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from .._validation import close_matches
from ..errors import ScenarioFileError, UnknownIdError, ValidationError
from ..model.scenario import Scenario

__all__ = ["whole_number", "resolve_scenario", "missing_file_hint", "UsageError"]


class UsageError(ValidationError):
    """Options that parse one by one but not together, found by a command's handler.

    ``supplychain`` prints it as argparse prints its own usage errors, naming the subcommand:
    ``supplychain stress-test: error: <message> (see 'supplychain stress-test --help')``, exit 2.
    """


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
    if not path.exists():
        hint = missing_file_hint(path)
        if hint:
            raise ScenarioFileError(f"{path}: no such scenario file. {hint}")
    return load_scenario(path)


#: Folders below the working directory searched for a scenario file given by a wrong path, and at most how many
#: entries are looked at (a search must not crawl a home directory).
_SEARCH_DEPTH = 3
_SEARCH_ENTRIES = 5_000


def missing_file_hint(path: Path) -> str:
    """What to type instead of a scenario file that does not exist ('' if nothing better is known).

    A shipped scenario named with ``.toml`` (``taiwan_blockade_magnets.toml``) is run by its name
    alone; a file of that name elsewhere (the shipped folder, or up to three folders below the
    working directory) is given by its path.

    Examples
    --------
    >>> missing_file_hint(Path("japan_korea_2019.toml"))
    "'japan_korea_2019' is a shipped scenario: run it by name, without .toml ('supplychain run japan_korea_2019')."
    >>> missing_file_hint(Path("no_such_file_anywhere.toml"))
    ''
    """
    from ..io.scenario import BASES
    if path.suffix == ".toml" and path.stem in BASES:
        return (f"{path.stem!r} is a shipped scenario: run it by name, without .toml "
                f"('supplychain run {path.stem}').")
    found = _find_file(path.name)
    if found is not None:
        return f"A file of that name is at {str(found)!r}: give that path."
    return ""


def _find_file(name: str) -> Path | None:
    """The nearest file called ``name`` below the working directory (hidden folders skipped), or None."""
    seen = 0
    level = [Path(".")]
    for _ in range(_SEARCH_DEPTH + 1):
        deeper = []
        for folder in level:
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                seen += 1
                if seen > _SEARCH_ENTRIES:
                    return None
                if entry.name.startswith("."):
                    continue
                if entry.name == name and entry.is_file():
                    return entry
                if entry.is_dir() and not entry.is_symlink():
                    deeper.append(entry)
        level = deeper
    return None
