"""A misspelt command-line option gets one line with the close match (supplychain.cli.parser.OneLineParser)."""

from __future__ import annotations

from supplychain.cli.app import main


def test_a_misspelt_option_names_the_close_match(capsys):
    assert main(["run", "baseline", "--engnie", "vector"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["supplychain run: error: unrecognized option --engnie; did you mean --engine vector? "
                   "(see 'supplychain run --help')"]


def test_an_option_like_none_gets_no_guess(capsys):
    assert main(["run", "baseline", "--zzz", "1"]) == 2
    assert "did you mean" not in capsys.readouterr().err


def test_an_abbreviated_option_is_refused_not_guessed(capsys):
    # argparse would take --eng for --engine; a later --engine-threads would then change what it means.
    assert main(["run", "baseline", "--eng", "vector", "--horizon", "5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["supplychain run: error: unrecognized option --eng; did you mean --engine vector? "
                   "(see 'supplychain run --help')"]


def test_an_unknown_options_value_is_not_reported_as_unrecognized_too(capsys):
    # "--eng des" once read "unrecognized arguments: --eng des": the value named as a second mistake.
    for argv in (["run", "baseline", "--eng", "des"], ["run", "baseline", "--eng=des"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == ["supplychain run: error: unrecognized option --eng; did you mean --engine des? "
                       "(see 'supplychain run --help')"]
    assert main(["run", "baseline", "--quit", "--zzz", "3"]) == 2        # a flag takes no value: none suggested
    err = capsys.readouterr().err
    assert "unrecognized options --quit, --zzz; did you mean --quiet? " in err and "3" not in err
    assert main(["run", "baseline", "extra"]) == 2                      # a stray word is still named
    assert "unrecognized arguments: extra" in capsys.readouterr().err


def test_a_prefix_of_several_options_names_them(capsys):
    assert main(["run", "baseline", "--r", "5"]) == 2
    assert "did you mean --random-lead-times or --runs?" in capsys.readouterr().err


def test_every_parser_of_the_command_refuses_abbreviations():
    from supplychain.cli.app import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.choices)  # the subcommands
    assert parser.allow_abbrev is False
    assert all(child.allow_abbrev is False for child in subparsers.choices.values())


def test_every_script_parser_refuses_abbreviations():
    """Examples, tools and benchmarks are scripts too: each ArgumentParser says allow_abbrev=False."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    missing = []
    for path in sorted(p for folder in ("examples", "tools", "benchmarks", "docs", "supplychain")
                       for p in (root / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            if (isinstance(node, ast.Call) and getattr(name, "attr", getattr(name, "id", "")) == "ArgumentParser"
                    and not any(k.arg == "allow_abbrev" and getattr(k.value, "value", None) is False
                                for k in node.keywords)):
                missing.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not missing, f"ArgumentParser without allow_abbrev=False: {missing}"


def test_a_misspelt_choice_names_the_close_one(capsys):
    assert main(["run", "baseline", "--engine", "vectr"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'vectr' (choose from 'des', 'vector'); did you mean 'vector'?" in err


def test_a_choice_like_none_gets_no_guess(capsys):
    assert main(["run", "baseline", "--engine", "xyz"]) == 2
    assert "did you mean" not in capsys.readouterr().err


def test_every_script_help_survives_argparse_formatting():
    """argparse %-formats each help string: a lone '%' (an f-string's ':.1%' included) crashes --help."""
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    lone = re.compile(r"%(?!\()")  # after removing the escaped "%%"
    bad = []
    for path in sorted(p for folder in ("examples", "tools", "benchmarks", "docs", "supplychain")
                       for p in (root / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument"):
                continue
            for k in node.keywords:
                if k.arg != "help":
                    continue
                parts = k.value.values if isinstance(k.value, ast.JoinedStr) else [k.value]
                for part in parts:
                    text = part.value if isinstance(part, ast.Constant) else ""
                    spec = ast.unparse(part.format_spec) if isinstance(part, ast.FormattedValue) and part.format_spec else ""
                    if (isinstance(text, str) and lone.search(text.replace("%%", ""))) or "%" in spec:
                        bad.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not bad, f"help strings with a lone '%' (write '%%'): {bad}"
