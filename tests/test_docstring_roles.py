"""Docstrings are Markdown: the API page (mkdocstrings) shows a Sphinx role such as :func:`x` as raw text."""

from __future__ import annotations

from pathlib import Path

from tools.markdown_roles import ROLE, convert

ROOT = Path(__file__).resolve().parents[1]


def test_no_sphinx_role_is_left_in_the_package():
    left = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in sorted((ROOT / "supplychain").rglob("*.py"))
            for match in ROLE.finditer(path.read_text(encoding="utf-8"))]
    assert not left, f"Sphinx roles (python -m tools.markdown_roles rewrites them): {left[:10]}"


def test_the_rewrite_shows_what_sphinx_would_and_is_idempotent():
    text = (":func:`~supplychain.analytics.compare.compare`, :mod:`supplychain.engines.draws`, "
            ":meth:`~supplychain.model.Scenario.without_shocks`, :data:`~supplychain.cli.cover_text.DRAWN_SHARE`, "
            ":meth:`Results.summary <supplychain.results.Results.summary>`, :py:class:`pandas.DataFrame`")
    once = convert(text)
    assert once == ("`compare`, `supplychain.engines.draws`, `Scenario.without_shocks`, `DRAWN_SHARE`, "
                    "`Results.summary`, `pandas.DataFrame`")
    assert convert(once) == once
