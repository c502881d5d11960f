"""Small things the CLI prints: each warning once, shares as percentages (review findings, item 4)."""

from __future__ import annotations

import re

from supplychain import io
from supplychain.cli.app import main
from supplychain.model import Scenario

from .conftest import chain_network


def test_a_shock_past_the_horizon_warns_once(tmp_path, capsys, monkeypatch):
    # `run` compiles the scenario for the shocked run, its baseline and the comparison; the warning
    # about a shock that starts after the horizon is printed once, not once per compilation.
    monkeypatch.setitem(io.BASES, "baseline", lambda: Scenario(chain_network(), horizon_days=40, name="baseline"))
    path = tmp_path / "late.toml"
    path.write_text('[scenario]\nbase = "baseline"\n\n[[shocks]]\nkind = "demand_shock"\nregion = "US"\n'
                    'commodity = "metal"\nfactor = 2.0\nstart = 10\n\n[[shocks]]\nkind = "tariff"\n'
                    'importer = "US"\nexporter = "CN"\ncommodity = "metal"\nrate = 0.1\nstart = 500\n')
    assert main(["run", str(path), "--horizon", "30", "--quiet"]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if line.startswith("supplychain: warning:")]
    late = [line for line in warned if "on or after the end of the 30-day horizon" in line]
    assert len(late) == 1, warned


def test_data_check_prints_shares_as_percentages(capsys):
    assert main(["data", "--check"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("China's share of world lithium mining"))
    assert re.search(r"\s\d+\.\d%\s+\d+\.\d%\s+±\d+\.\d pp\s+pass", line), line
    # A quantity keeps its unit: no percentage.
    use = next(x for x in out.splitlines() if x.startswith("US cobalt consumption, t Co/yr"))
    assert "%" not in use.split("±")[0]
