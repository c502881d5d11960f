"""The argument parser of ``supplychain``: one-line usage errors, "did you mean", ``--version``.

`make_parser` builds it from a list of `Command` (each subcommand's name, help, argument set-up and
handler); `supplychain.cli.app` holds the list.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from .._version import __version__
from ..errors import SupplyChainError

__all__ = ["Command", "OneLineParser", "command_hint", "make_parser", "version_text"]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, argument set-up and handler."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line that points at ``--help``.

    argparse prints the whole usage block before the error; the CLI's promise is one line on stderr
    and a non-zero exit for any bad input. Subcommand parsers inherit the class.

    Abbreviated long options are refused (``allow_abbrev=False``): ``--eng`` for ``--engine``
    would silently change meaning the day another option starting ``--eng`` is added, so a
    script must spell options out, and a shortened one gets "did you mean".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    #: The options of this (sub)command (set by `make_parser`), for "did you mean" on a misspelt one.
    known_options: tuple[str, ...] = ()
    #: The subcommands' parsers by name (set on the top parser by `make_parser`).
    subcommands: dict[str, OneLineParser] = {}

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """As argparse, but an argument nobody recognised is reported by the subcommand it was given to.

        argparse leaves the subcommand's unrecognised arguments to the top parser, whose error would read
        ``supplychain: error:`` while a bad choice of the same command reads ``supplychain run: error:``.
        """
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            child = self.subcommands.get(str(getattr(parsed, "command", "")), self)
            child.error(child.unrecognized(extras))
        return parsed

    def unrecognized(self, extras: Sequence[str]) -> str:
        """What to say of the words nobody recognised: each unknown option once, its value with it.

        argparse lists every left-over word, so ``--eng des`` read "unrecognized arguments: --eng des",
        the value ``des`` unrecognised too. An unknown option's value is the words after it up to the
        next option; it is repeated in the suggestion when the close match takes a value.

        Examples
        --------
        >>> p = OneLineParser(prog="demo")
        >>> _ = p.add_argument("--engine"); _ = p.add_argument("--quiet", action="store_true")
        >>> p.known_options = ("--engine", "--quiet")
        >>> p.unrecognized(["--eng", "des"])
        'unrecognized option --eng; did you mean --engine des?'
        >>> p.unrecognized(["--quit"]), p.unrecognized(["--zzz", "1"]), p.unrecognized(["extra"])
        ('unrecognized option --quit; did you mean --quiet?', 'unrecognized option --zzz', 'unrecognized arguments: extra')
        """
        import re
        options: list[tuple[str, list[str]]] = []
        strays: list[str] = []
        for word in extras:
            if word.startswith("-") and len(word) > 1 and not re.match(r"^-\d", word):
                name, eq, value = word.partition("=")
                options.append((name, [value] if eq else []))
            elif options:
                options[-1][1].append(word)
            else:
                strays.append(word)
        if not options:
            return f"unrecognized arguments: {' '.join(strays)}"
        said = ", ".join(name for name, _ in options)
        message = f"unrecognized option{'s' if len(options) > 1 else ''} {said}"
        if strays:
            message += f" and arguments {' '.join(strays)}"
        for name, values in options:
            close = self._close_options(name)
            if not close:
                continue
            takes = getattr(self._option_string_actions.get(close[0]), "nargs", None) != 0
            shown = f"{close[0]} {' '.join(values)}" if len(close) == 1 and values and takes else " or ".join(close[:3])
            return f"{message}; did you mean {shown}?"
        return message

    def _close_options(self, given: str) -> list[str]:
        """This command's options that ``given`` starts (an abbreviation) or is a misspelling of."""
        import difflib
        starts = [option for option in self.known_options if option.startswith(given)]
        return starts or difflib.get_close_matches(given, self.known_options, n=1, cutoff=0.75)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}{self._suggestion(message)} "
                     f"(see '{self.prog} --help')\n")

    def _suggestion(self, message: str) -> str:
        """"; did you mean 'vector'?" for a misspelt choice, the command for a word that names a task or a
        scenario instead of a command (`command_hint`), '' otherwise."""
        import difflib
        import re
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            if message.startswith("argument COMMAND"):
                hint = command_hint(choice.group(1))
                if hint:
                    return f"; {hint}"
            options = re.findall(r"'([^']*)'", choice.group(2)) or [o.strip() for o in choice.group(2).split(",")]
            from ..run.simulate import ENGINE_WORDS
            meant = ENGINE_WORDS.get(choice.group(1).lower())
            close = [meant] if meant in options else difflib.get_close_matches(choice.group(1), options, n=2,
                                                                                cutoff=0.6)
            return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        # An unrecognised option's suggestion is part of its message (`unrecognized`).
        return ""


def version_text() -> str:
    """What ``--version`` prints: the version, and whether the vector engine can run compiled loops here.

    Someone timing runs needs to know whether Numba is there and when it is used
    (`supplychain.engines.jit`); finding it does not import it, so this costs nothing.

    Examples
    --------
    >>> print(version_text().splitlines()[1])  # doctest: +ELLIPSIS
    compiled loops (...
    """
    import importlib.metadata
    import importlib.util

    from ..engines import jit
    try:
        mode = jit.mode()
    except SupplyChainError as exc:
        return f"supplychain {__version__}\ncompiled loops (Numba): {exc}"
    if importlib.util.find_spec("numba") is None:
        loops = ("compiled loops (Numba): not installed, the vector engine runs NumPy alone "
                 '(pip install "supplychain[fast]" adds them: the same results, faster)')
    else:
        numba = f"compiled loops (Numba {importlib.metadata.version('numba')})"
        loops = {"off": f"{numba}: off ({jit.ENV}=off), the vector engine runs NumPy alone",
                 "on": f"{numba}: on for every vector-engine run ({jit.ENV}=on)",
                 "auto": f"{numba}: used by the vector engine for ensembles of about 150 baseline-year runs "
                         f"and more ({jit.ENV}=on|off overrides)"}[mode]
    return f"supplychain {__version__}\n{loops}"


class _Version(argparse.Action):
    """``--version``: `version_text` as it is (argparse's own action would re-wrap its lines)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def make_parser(commands: Sequence[Command]) -> argparse.ArgumentParser:
    """The argument parser with a subcommand for each of ``commands``, in their order."""
    parser = OneLineParser(
        prog="supplychain",
        description="Simulate critical-mineral, battery and semiconductor flows among JP, KR, US, CN, "
                    "TW and ROW under tariffs, export controls and disruptions.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version and whether compiled loops (Numba) are used, and exit")
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument("--quiet", action="store_true", help="no progress bar or status messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in commands:
        child = sub.add_parser(command.name, help=command.help, description=command.help, parents=[common])
        command.configure(child)
        child.set_defaults(handler=command.handler)
        child.known_options = tuple(sorted({option for action in child._actions for option in action.option_strings
                                            if option.startswith("--")}))
    parser.subcommands = dict(sub.choices)
    parser.known_options = tuple(sorted({option for choice in sub.choices.values() for option in choice.known_options}))
    return parser


#: Words a new user types as a command for what ``run`` does (the README speaks of comparing, compare.csv
#: and plots), with what to type instead.
_TASK_WORDS = {
    "compare": "'supplychain run SCENARIO' compares a scenario with its unshocked baseline (--out DIR also "
               "writes compare.csv)",
    "simulate": "'supplychain run SCENARIO' simulates a scenario",
    "plot": "'supplychain run SCENARIO --out DIR' writes the plots",
    "plots": "'supplychain run SCENARIO --out DIR' writes the plots",
    "list": "'supplychain scenarios' lists the shipped scenarios",
}


def command_hint(word: str) -> str:
    """What to type instead of a command that does not exist, when the word names a task or a scenario.

    A shipped scenario's name or a scenario file given as the command (``supplychain
    taiwan_blockade_magnets``) is run with ``supplychain run``; ``compare``, ``simulate`` and ``plot``
    are what ``run`` does. '' for any other word (the caller then suggests close command names).

    Examples
    --------
    >>> command_hint("compare")
    "'supplychain run SCENARIO' compares a scenario with its unshocked baseline (--out DIR also writes compare.csv)"
    >>> command_hint("taiwan_blockade_magnets")
    "to run a scenario: 'supplychain run taiwan_blockade_magnets'"
    >>> command_hint("rn")
    ''
    """
    if word.lower() in _TASK_WORDS:
        return _TASK_WORDS[word.lower()]
    from ..datasets.scenarios import scenarios
    if word == "baseline" or word in scenarios() or word.endswith(".toml"):
        return f"to run a scenario: 'supplychain run {word}'"
    return ""
