"""Usage errors of the ``supplychain`` command: one line naming the subcommand, exit 2, no traceback."""

from __future__ import annotations

import pytest

from supplychain.cli.app import build_parser, main


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize("argv, command, says", [
    (["run", "baseline", "--engnie", "vector"], "run", "unrecognized option --engnie; did you mean --engine vector?"),
    (["run", "baseline", "--engine", "vectr"], "run", "invalid choice: 'vectr'"),
    (["run", "baseline", "--runs", "0"], "run", "argument --runs: must be >= 1; got 0"),
    (["run"], "run", "the following arguments are required: scenario"),
    (["run", "baseline", "extra"], "run", "unrecognized arguments: extra"),
    (["stress-test", "baseline", "--zzz"], "stress-test", "unrecognized option --zzz"),
    (["benchmark", "--zzz"], "benchmark", "unrecognized option --zzz"),
    (["experiment", "--zzz"], "experiment", "the following arguments are required: file"),
    (["scenarios", "--zzz"], "scenarios", "unrecognized option --zzz"),
    (["data", "--format", "csv"], "data", "unrecognized option --format"),
])
def test_every_usage_error_names_its_subcommand(argv, command, says, capsys):
    # An unknown option used to be reported by the top parser ("supplychain: error:") while a bad choice of
    # the same command read "supplychain run: error:": one prefix per command now, whatever the mistake.
    line = usage_error(argv, capsys)
    assert line.startswith(f"supplychain {command}: error: "), line
    assert says in line
    assert line.endswith(f"(see 'supplychain {command} --help')")


def test_an_error_before_any_command_is_the_top_commands(capsys):
    line = usage_error(["bogus"], capsys)
    assert line.startswith("supplychain: error: argument COMMAND: invalid choice: 'bogus'")
    assert line.endswith("(see 'supplychain --help')")
    assert usage_error([], capsys).startswith("supplychain: error: the following arguments are required: COMMAND")


def test_a_misspelt_option_is_matched_against_its_own_commands_options(capsys):
    # --duration is an option of stress-test, not of run: run does not suggest it.
    assert "did you mean" not in usage_error(["run", "baseline", "--duratoin", "5"], capsys)
    assert "did you mean --duration 5?" in usage_error(["stress-test", "baseline", "--duratoin", "5"], capsys)


@pytest.mark.parametrize("order", [["--cover-band", "--no-cover-band"], ["--no-cover-band", "--cover-band"]])
def test_cover_band_and_no_cover_band_together_are_refused(order, capsys):
    line = usage_error(["run", "baseline", *order], capsys)
    first, second = order
    assert line == (f"supplychain run: error: argument {second}: not allowed with argument {first} "
                    "(see 'supplychain run --help')")


@pytest.mark.parametrize("flags, value", [([], None), (["--cover-band"], True), (["--no-cover-band"], False),
                                          (["--no-cover-band", "--no-cover-band"], False)])
def test_cover_band_flags_parse_to_on_by_default(flags, value):
    args = build_parser().parse_args(["run", "baseline", *flags])
    assert args.cover_band is value   # None: not given, so on (the run treats only False as off)


def test_options_that_clash_in_a_handler_name_the_subcommand(capsys):
    line = usage_error(["stress-test", "baseline", "--target", "US:metal", "--method", "lp"], capsys)
    assert line.startswith("supplychain stress-test: error: --method lp cannot rank by --target 'US:metal'")
    assert line.endswith("(see 'supplychain stress-test --help')")


def test_errors_in_the_input_keep_the_plain_prefix(tmp_path, capsys):
    # A missing file is not a usage error: it names the file, under the one prefix of input errors.
    line = usage_error(["run", str(tmp_path / "nope.toml")], capsys)
    assert line == f"supplychain: error: {tmp_path / 'nope.toml'}: no such scenario file."


def test_a_bad_stress_test_target_is_refused_before_any_knockout_is_timed(tmp_path, capsys, monkeypatch):
    # The estimate simulates a knockout of the network (minutes on the baseline) before the ranking: a
    # target that names no demand must fail first, not after that wait.
    from supplychain.analytics._toy import toy_network
    from supplychain.cli import analytics_commands
    from supplychain.io.scenario import save_scenario
    from supplychain.model import Scenario

    def timed(*args, **kwargs):
        raise AssertionError("a knockout was timed before the target was checked")

    monkeypatch.setattr(analytics_commands, "stress_estimate", timed)
    path = save_scenario(Scenario(toy_network(), horizon_days=30, name="toy"), tmp_path / "toy.toml")
    assert main(["stress-test", str(path), "--target", "DE:cell", "--method", "simulation"]) != 0
    err = capsys.readouterr().err
    assert "DE:cell" in err and "Traceback" not in err
