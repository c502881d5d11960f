"""Rewrite Sphinx roles in the package's docstrings as Markdown code spans.

The API page is built by mkdocstrings, which reads docstrings as Markdown: a Sphinx role such as
``:func:`~supplychain.analytics.compare.compare``` shows there as raw text. The docstrings name
objects in backticks instead, as the role would have displayed them (a leading ``~`` keeps the last
part of the path, ``text <target>`` keeps the text):

    :func:`~supplychain.analytics.compare.compare`   ->  `compare`
    :mod:`supplychain.engines.draws`                 ->  `supplychain.engines.draws`
    :class:`Results <supplychain.results.Results>`   ->  `Results`
    :meth:`~supplychain.model.Scenario.without_shocks` ->  `Scenario.without_shocks`

Run ``python -m tools.markdown_roles`` to rewrite every ``.py`` file under ``supplychain/`` (or the
files given); ``--check`` lists the roles left and exits 1 if there are any. The rewrite is
idempotent, so a file merged with roles in it is fixed by running it again.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: A Sphinx role with a target in backticks (``:py:func:`` spelt out too).
ROLE = re.compile(r":(?:py:)?(func|class|meth|mod|data|attr|exc|obj|const|type):`([^`]+)`")


def _shown(role: str, target: str) -> str:
    """What Sphinx would display for a role's target; a method or attribute keeps its class."""
    explicit = re.fullmatch(r"(.+?)\s*<[^>]+>", target, flags=re.S)
    if explicit:
        return " ".join(explicit.group(1).split())
    if not target.startswith("~"):
        return target.lstrip("!")
    parts = target[1:].split(".")
    # Sphinx shows ``~a.Scenario.without_shocks`` as "without_shocks()"; in plain text the class says whose.
    keep = 2 if role in ("meth", "attr") and len(parts) > 1 and parts[-2][:1].isupper() else 1
    return ".".join(parts[-keep:])


def convert(text: str) -> str:
    """``text`` with every Sphinx role as a Markdown code span.

    Examples
    --------
    >>> convert("See :func:`~supplychain.analytics.compare.compare` and :mod:`supplychain.engines.draws`.")
    'See `compare` and `supplychain.engines.draws`.'
    >>> convert(":class:`Results <supplychain.results.Results>`, :meth:`~supplychain.model.Scenario.without_shocks`")
    '`Results`, `Scenario.without_shocks`'
    """
    return ROLE.sub(lambda m: f"`{_shown(m.group(1), m.group(2))}`", text)


def files(paths: list[str]) -> list[Path]:
    """The ``.py`` files named, or every one under ``supplychain/``."""
    if paths:
        return [Path(p) for p in paths]
    return sorted((ROOT / "supplychain").rglob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="files to rewrite (default: every .py under supplychain/)")
    parser.add_argument("--check", action="store_true", help="list the roles left; exit 1 if any")
    args = parser.parse_args(argv)
    left = 0
    for path in files(args.paths):
        text = path.read_text(encoding="utf-8")
        if args.check:
            for match in ROLE.finditer(text):
                left += 1
                print(f"{path}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}")
            continue
        new = convert(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {path}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
