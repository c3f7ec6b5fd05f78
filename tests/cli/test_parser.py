"""
The command line parsed through the named command's parser alone gives what the whole parser
gives: the same values, and for help and errors the same output and exit code.
"""

from __future__ import annotations

from typing import Any

import pytest

from bridge.cli import parser
from bridge.cli.parser import Parsed, parse

VALID = [
    ["status"],
    ["status", "--json", "--project", "p"],
    ["--project", "p", "status"],
    ["--project", "status", "status"],
    ["--project=p", "-v", "status", "--debug"],
    ["-o", "a=1", "status", "-o", "b=2", "--option", "c=3"],
    ["-oa=1", "run", "--plain"],
    ["init", "somewhere", "--force"],
    ["retry", "R1", "R2", "--failed", "--milestone", "M1", "--force"],
    ["replay", "--at", "7", "--out", "d"],
    ["cancel", "r3"],
    ["log", "--run", "R1", "--json"],
    ["gc", "--destroy", "--yes"],
    ["verify"],
    ["status", "--proj", "p"],  # an option's prefix, as argparse allows
]

REFUSED_OR_HELP = [
    [],
    ["--help"],
    ["status", "--help"],
    ["status", "-h"],
    ["status", "--bogus"],
    ["status", "extra"],
    ["stat"],
    ["--project", "status"],
    ["cancel"],
    ["replay", "--at", "x", "--out", "d"],
    ["status", "--project"],
    ["--", "status"],
    ["-o"],
]


def _whole(argv: list[str]) -> Parsed:
    return parser._merged(parser._build().parse_args(argv, namespace=Parsed()))


def _outcome(fn: Any, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[Any, ...]:
    with pytest.raises(SystemExit) as ended:
        fn(argv)
    out, err = capsys.readouterr()
    return ended.value.code, out, err


@pytest.mark.parametrize("argv", VALID, ids=" ".join)
def test_a_valid_line_parses_as_the_whole_parser_parses_it(argv: list[str]) -> None:
    """The one-command parser gives every value the whole parser gives."""
    assert parser._command_named(argv) is not None  # the short path is the one taken
    assert vars(parse(argv)) == vars(_whole(argv))


@pytest.mark.parametrize("argv", REFUSED_OR_HELP, ids=" ".join)
def test_help_and_errors_are_the_whole_parsers(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Help and every refusal print what the whole parser prints (usage lists every command)."""
    assert _outcome(parse, argv, capsys) == _outcome(_whole, argv, capsys)


def test_only_the_named_command_is_built() -> None:
    """`bridge status` builds the status parser alone; a line naming no command builds all."""
    assert parser._command_named(["--project", "p", "-o", "k=v", "status"]) == "status"
    assert parser._command_named(["--debug", "stat"]) is None
    assert parser._command_named(["--help"]) is None
    sub = parser._build("status")._subparsers
    assert sub is not None
    (action,) = sub._group_actions
    assert list(action.choices or {}) == ["status"]


def test_every_option_of_every_command_says_what_it_does() -> None:
    """`bridge <command> --help` describes each option and argument (trial T3: `bridge replay
    --help` listed `--at SEQ` and `--out DIR` with nothing beside them)."""
    import argparse

    whole = parser._build()
    commands = next(a for a in whole._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(parser.COMMANDS)
    undescribed = [
        f"{name}: {'/'.join(action.option_strings) or action.dest}"
        for name, command in [("bridge", whole), *commands.choices.items()]
        for action in command._actions
        if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()
    ]
    assert undescribed == []
