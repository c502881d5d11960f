"""Run the gallery's examples and write their figures and docs/gallery/index.md.

Each example in ``GALLERY`` runs with its default horizon and writes its figure here; the page shows
the script's docstring, what it printed and the figure. Run: ``python docs/gallery/make_gallery.py``
(about a minute). The page and the figures are committed; tests/test_docs_site.py checks that every
figure the page shows exists and that the site builds.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent.parent / "examples"
GALLERY = ("06_graphite_ban_stockpile", "07_magnet_tariff", "08_critical_node_logic_chips", "10_custom_network")


def section(name: str) -> str:
    """One example's section: title, scenario, the command, its printed output and its figure."""
    script = EXAMPLES / f"{name}.py"
    doc = ast.get_docstring(ast.parse(script.read_text())) or name
    title, _, body = doc.partition("\n")
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(EXAMPLES.parent)}
    done = subprocess.run([sys.executable, str(script), "--out", str(HERE)], capture_output=True, text=True,
                          env=env, check=True)
    printed = "\n".join(line for line in done.stdout.splitlines() if not line.startswith("saved "))
    return (f"## {title}\n\n```text\n{body.strip()}\n```\n\n`python examples/{name}.py --out figures/` prints:\n\n"
            f"```text\n{printed}\n```\n\n![{title}]({name}.png)\n")


def main() -> None:
    parts = ["# Gallery\n",
             "Each script in `examples/` answers one question in at most 25 lines of the public API and "
             "writes its figure to the folder given by `--out` (a temporary folder by default). "
             "This page is written by `docs/gallery/make_gallery.py`.\n"]
    parts += [section(name) for name in GALLERY]
    (HERE / "index.md").write_text("\n".join(parts))


if __name__ == "__main__":
    main()
