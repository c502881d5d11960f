"""The documentation site builds in strict mode (broken links, anchors and API references fail), fast."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "docs" / "gallery"


def _build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(out)], capture_output=True, text=True, env=env, cwd=root, timeout=300,
                          check=False)


def test_site_builds_in_strict_mode(tmp_path):
    # No time limit here: speed is for benchmarks, and a shared machine makes a timed test flaky.
    done = _build(ROOT, tmp_path / "site")
    assert done.returncode == 0, done.stderr[-3000:]
    for page in ("index.html", "getting-started/index.html", "gallery/index.html", "model/index.html",
                 "assumptions/index.html", "can-and-cannot/index.html", "api/index.html"):
        assert (tmp_path / "site" / page).is_file(), page
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    assert "days_of_cover" in api and "to_xarray" in api     # generated from the docstrings


def test_a_broken_link_fails_the_build(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    shutil.copytree(ROOT / "supplychain", copy / "supplychain")
    page = copy / "docs" / "can-and-cannot.md"
    page.write_text(page.read_text() + "\nSee [the missing page](no-such-page.md).\n")
    done = _build(copy, tmp_path / "site")
    assert done.returncode != 0
    assert "no-such-page.md" in done.stderr


def test_gallery_shows_a_committed_figure_for_every_example():
    page = (GALLERY / "index.md").read_text()
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page)
    scripts = re.findall(r"`python examples/([\w]+)\.py", page)
    assert len(figures) >= 4 and len(scripts) == len(figures)
    for figure, script in zip(figures, scripts):
        assert (GALLERY / figure).is_file() and figure == f"{script}.png"
        assert (GALLERY / figure).stat().st_size < 150_000            # small PNGs in the repository
        assert (ROOT / "examples" / f"{script}.py").is_file()
