"""Run every script in examples/ and write its figure and docs/gallery/index.md.

Each example runs with its default horizon in a temporary folder (some also write archives or
tables there); its one figure is copied here as ``<script>.png``. The page shows the script's
docstring, the command, what it printed and the figure. Two examples take minutes at their default
size and run smaller here, through their own options (see ``SMALLER``). Run:
``python docs/gallery/make_gallery.py`` (about ten minutes on two busy cores). The page and the
figures are committed; tests/test_docs_site.py checks that every figure the page shows exists, is
small and that the site builds.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent.parent / "examples"
# Options for examples that are slow at their default size, and why the page says so.
SMALLER = {
    "taiwan_earthquake_uncertain": (["--runs", "500"], "500 runs instead of the default 2,000"),
    "trilateral_policies": (["--futures", "40"], "40 futures instead of the experiment file's 200"),
}


def section(name: str) -> str:
    """One example's section: title, scenario, the command, its printed output and its figure."""
    script = EXAMPLES / f"{name}.py"
    doc = ast.get_docstring(ast.parse(script.read_text())) or name
    title, _, body = doc.partition("\n")
    options, note = SMALLER.get(name, ([], ""))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(EXAMPLES.parent)}
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, str(script), "--out", out, *options], capture_output=True,
                              text=True, env=env, cwd=out, check=False)
        seconds = time.perf_counter() - t0
        if done.returncode:
            raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
        figures = sorted(Path(out).glob("*.png"))
        if len(figures) != 1:
            raise SystemExit(f"{name} wrote {len(figures)} figures to --out; the gallery shows exactly one")
        shutil.copy(figures[0], HERE / f"{name}.png")
    printed = "\n".join(line for line in done.stdout.splitlines() if not line.startswith("saved "))
    command = " ".join(["python", f"examples/{name}.py", *options, "--out", "figures/"])
    size = f" ({note})" if note else ""
    print(f"{name}: {seconds:.0f} s", file=sys.stderr)
    return (f"## {title}\n\n```text\n{body.strip()}\n```\n\n`{command}` prints{size}:\n\n"
            f"```text\n{printed}\n```\n\n![{title}]({name}.png)\n")


def main() -> None:
    names = sorted(path.stem for path in EXAMPLES.glob("*.py"))
    for stale in HERE.glob("*.png"):
        stale.unlink()
    parts = ["# Gallery\n",
             "Every script in `examples/` answers one question with the public API and writes its figure "
             "to the folder given by `--out`. The historical cases (01-05) set their shocks from the "
             "record and print what was observed beside what the model gives. "
             "This page is written by `docs/gallery/make_gallery.py`.\n"]
    parts += [section(name) for name in names]
    (HERE / "index.md").write_text("\n".join(parts))


if __name__ == "__main__":
    main()
