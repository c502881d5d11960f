"""A misspelt command-line option gets one line with the close match (supplychain.cli.app._OneLineParser)."""

from __future__ import annotations

from supplychain.cli.app import main


def test_a_misspelt_option_names_the_close_match(capsys):
    assert main(["run", "baseline", "--engnie", "vector"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["supplychain: error: unrecognized arguments: --engnie vector; did you mean --engine? "
                   "(see 'supplychain --help')"]


def test_an_option_like_none_gets_no_guess(capsys):
    assert main(["run", "baseline", "--zzz", "1"]) == 2
    assert "did you mean" not in capsys.readouterr().err
