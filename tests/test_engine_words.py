"""Other words for the engines ("numpy", "simpy") suggest the engine they mean, in Python and on the command line."""

import pytest

from supplychain import ValidationError, load_baseline, simulate
from supplychain.cli import main


@pytest.mark.parametrize(("word", "meant"), [("numpy", "vector"), ("SimPy", "des"), ("Vector", "vector")])
def test_simulate_suggests_the_engine_a_word_means(word, meant):
    with pytest.raises(ValidationError, match=f"did you mean '{meant}'"):
        simulate(load_baseline(horizon_days=5), engine=word)


def test_the_cli_suggests_the_engine_a_word_means(capsys):
    assert main(["run", "taiwan_blockade_magnets", "--engine", "numpy"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "did you mean 'vector'" in err[0]
