"""
The ``bridge`` command's argument parser: every command, its options and its example.

Building the parser imports nothing but argparse, so ``bridge --help`` answers at once. The
options every command shares (``--project``, ``-o``, ``-v``, ``--debug``) are accepted before
or after the command name: ``bridge --project P status`` and ``bridge status --project P`` mean
the same, and ``-o`` given in both places adds up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["COMMANDS", "EXIT_INPUT", "Parsed", "parse"]

EXIT_INPUT = 2

# name -> (help, example). The handler of each is bridge.cli.handlers.HANDLERS[name].
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "write a commented template plan, tracker and bridge.toml (only bridge.toml beside an "
        "existing plan)",
        "bridge init my-project",
    ),
    "plan": ("show what bridge understood of the plan", "bridge plan --json"),
    "advance": ("take exactly one pipeline step", "bridge advance"),
    "run": ("advance until done or waiting for a person", "bridge run --plain"),
    "status": ("show the pipeline and every run", "bridge status --json"),
    "approve": (
        "approve deployment at the checkpoint, or reopen a blocked pipeline after a fix",
        "bridge approve",
    ),
    "cancel": ("cancel a run (kills its process group)", "bridge cancel R003"),
    "retry": (
        "run runs again with the current inputs (and the runs cancelled because of them)",
        "bridge retry R003 R004 | bridge retry --failed | bridge retry --milestone M2 | "
        "bridge retry --changed",
    ),
    "diagram": ("print the pipeline state machine as Mermaid", "bridge diagram"),
    "log": ("show the event log, one line per event", "bridge log --run R001"),
    "replay": (
        "write the projections as they were after event SEQ",
        "bridge replay --at 42 --out /tmp/at42",
    ),
    "gc": (
        "list rented instances (Vast) or Slurm jobs of this project the log does not use",
        "bridge gc --destroy",
    ),
    "rebuild": ("rewrite every projection file from the log", "bridge rebuild"),
    "verify": ("check the hash chain and that files on disk match the log", "bridge verify"),
}


class Parsed(argparse.Namespace):
    """
    The parsed command line: ``command``, the shared options merged from both positions, and
    the command's own options as attributes.
    """

    command: str
    project: str | None
    option: list[str]
    verbose: bool
    debug: bool


class _Parser(argparse.ArgumentParser):
    """
    argparse that exits 2 with one line (argparse's own convention) and the usage.
    """

    def error(self, message: str) -> NoReturn:
        from bridge.projections.visible import visible  # the message quotes the command line

        self.print_usage(sys.stderr)
        sys.stderr.write(f"bridge: error: {visible(message)}\n")
        raise SystemExit(EXIT_INPUT)


class _Version(argparse.Action):
    """
    ``--version``: read from the installed distribution only when asked.
    """

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print bridge's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("bridge")
        except PackageNotFoundError:  # a checkout on PYTHONPATH, never installed
            number = "unknown (not installed)"
        sys.stdout.write(f"bridge {number}\n")
        raise SystemExit(0)


def _shared(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # The top-level and the command's copies write to different names (argparse would let the
    # command's defaults overwrite what came before it); parse() merges them.
    suffix = "_top" if top else ""
    parser.add_argument(
        "--project",
        dest=f"project{suffix}",
        default=None,
        metavar="PATH",
        help="the project folder, a folder inside it, or its plan file "
        "(default: found from the current folder upwards)",
    )
    parser.add_argument(
        "-o",
        "--option",
        dest=f"option{suffix}",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="override an option (e.g. -o max_parallel=2); repeatable",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        dest=f"verbose{suffix}",
        action="store_true",
        help="mirror the JSON log on stderr",
    )
    parser.add_argument(
        "--debug", dest=f"debug{suffix}", action="store_true", help="show tracebacks on errors"
    )


def _build(only: str | None = None) -> argparse.ArgumentParser:
    # Every command's parser, or with ``only`` that command's alone (see parse).
    parser = (_Parser if only is None else _PartialParser)(
        prog="bridge",
        description="Carry an ARIS experiment plan to finished, audited results.",
        epilog="Example: bridge run --project path/to/project",
    )
    parser.add_argument("--version", action=_Version)
    _shared(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=type(parser))
    for name, (help_, example) in COMMANDS.items():
        if only is not None and name != only:
            continue
        cmd = sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _shared(cmd, top=False)
        _own_options(name, cmd)
    return parser


def _own_options(name: str, cmd: argparse.ArgumentParser) -> None:
    match name:
        case "init":
            cmd.add_argument(
                "dir", nargs="?", help="where to write them (default: --project, else .)"
            )
            cmd.add_argument(
                "--force",
                action="store_true",
                help="replace an existing bridge.toml (kept as bridge.toml.before-init); a plan "
                "or tracker is never written over",
            )
        case "plan":
            cmd.add_argument("--json", action="store_true", help="the machine-readable summary")
        case "run":
            cmd.add_argument(
                "--plain", action="store_true", help="plain lines instead of a live view"
            )
        case "status":
            cmd.add_argument(
                "--json", action="store_true", help="machine-readable status, notes in full"
            )
        case "cancel":
            cmd.add_argument("run", metavar="RUN", help="the run id (any case)")
        case "retry":
            cmd.add_argument(
                "runs", metavar="RUN", nargs="*", help="the runs to run again (ids in any case)"
            )
            cmd.add_argument(
                "--failed", action="store_true", help="every run that ended without succeeding"
            )
            cmd.add_argument(
                "--milestone",
                metavar="M",
                action="append",
                help="the runs of this milestone that ended (give it again for more milestones)",
            )
            cmd.add_argument(
                "--force",
                action="store_true",
                help="succeeded runs too (they keep their spec otherwise)",
            )
            cmd.add_argument(
                "--changed",
                action="store_true",
                help="every succeeded run whose settings changed since it ran (bridge run "
                "names them)",
            )
        case "log":
            cmd.add_argument("--json", action="store_true", help="one JSON object per line")
            cmd.add_argument("--run", help="only this run's events (any case)")
        case "replay":
            cmd.add_argument(
                "--at",
                type=int,
                required=True,
                metavar="SEQ",
                help="the event to stop after: its number in the log (`bridge log` shows them)",
            )
            cmd.add_argument(
                "--out",
                required=True,
                metavar="DIR",
                help="the folder to write the past files into (not the project itself)",
            )
        case "gc":
            cmd.add_argument("--destroy", action="store_true", help="destroy the instances")
            cmd.add_argument("--cancel", action="store_true", help="scancel the Slurm jobs")
            cmd.add_argument("--yes", action="store_true", help="do not ask before destroying")
        case _:
            pass  # the shared options only


class _Retry(Exception):
    """The one-command parser met help or an error: the whole parser answers it (see parse)."""


class _PartialParser(_Parser):
    """
    The parser of one command (``_build(only=...)``), which never prints: help and errors (whose
    usage lines list every command) are left to the whole parser.
    """

    def error(self, message: str) -> NoReturn:
        raise _Retry

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        raise _Retry


def _command_named(argv: Sequence[str]) -> str | None:
    # The first word that is not an option or a top-level option's value, if it names a command.
    values_follow = {"--project", "-o", "--option"}
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in values_follow:
            skip = True
        elif word == "--" or not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def parse(argv: Sequence[str] | None) -> Parsed:
    """
    Parse a command line (``sys.argv[1:]`` when None); bad usage exits 2 with one line.
    """
    # Building every command's parser is most of parsing (about 8 ms of the 150 of a `bridge
    # status`), so the named command's alone is tried first. It parses exactly as the whole one
    # does (the same top-level options, the same command parser); anything it does not accept
    # cleanly (help, any error, a word it did not expect) is parsed again by the whole parser,
    # which prints what it always printed.
    words = sys.argv[1:] if argv is None else list(argv)
    only = _command_named(words)
    if only is not None:
        try:
            return _merged(_build(only).parse_args(words, namespace=Parsed()))
        except _Retry:
            pass
    return _merged(_build().parse_args(words, namespace=Parsed()))


def _merged(args: Parsed) -> Parsed:
    merged = vars(args)
    top_project = merged.pop("project_top")
    if args.project is None:
        args.project = top_project
    args.option = [*(merged.pop("option_top") or []), *(args.option or [])]
    args.verbose = bool(args.verbose or merged.pop("verbose_top"))
    args.debug = bool(args.debug or merged.pop("debug_top"))
    return args
