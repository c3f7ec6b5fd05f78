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
from typing import NoReturn

__all__ = ["COMMANDS", "EXIT_INPUT", "Parsed", "parse"]

EXIT_INPUT = 2

# name -> (help, example). The handler of each is bridge.cli.handlers.HANDLERS[name].
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("write a commented template plan, tracker and bridge.toml", "bridge init my-project"),
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
        "bridge retry R003 R004 | bridge retry --failed | bridge retry --milestone M2",
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
        self.print_usage(sys.stderr)
        sys.stderr.write(f"bridge: error: {message}\n")
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


def _build() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bridge",
        description="Carry an ARIS experiment plan to finished, audited results.",
        epilog="Example: bridge run --project path/to/project",
    )
    parser.add_argument("--version", action=_Version)
    _shared(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands: dict[str, argparse.ArgumentParser] = {}
    for name, (help_, example) in COMMANDS.items():
        cmd = sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _shared(cmd, top=False)
        commands[name] = cmd

    commands["init"].add_argument(
        "dir", nargs="?", help="where to write them (default: --project, else .)"
    )
    commands["init"].add_argument("--force", action="store_true", help="overwrite existing files")
    commands["plan"].add_argument(
        "--json", action="store_true", help="the machine-readable summary"
    )
    commands["run"].add_argument(
        "--plain", action="store_true", help="plain lines instead of a live view"
    )
    commands["status"].add_argument(
        "--json", action="store_true", help="machine-readable status, notes in full"
    )
    commands["cancel"].add_argument("run", metavar="RUN", help="the run id (any case)")
    commands["retry"].add_argument(
        "runs", metavar="RUN", nargs="*", help="the runs to run again (ids in any case)"
    )
    commands["retry"].add_argument(
        "--failed", action="store_true", help="every run that ended without succeeding"
    )
    commands["retry"].add_argument(
        "--milestone", metavar="M", help="the runs of this milestone that ended"
    )
    commands["retry"].add_argument(
        "--force", action="store_true", help="succeeded runs too (they keep their spec otherwise)"
    )
    commands["log"].add_argument("--json", action="store_true", help="one JSON object per line")
    commands["log"].add_argument("--run", help="only this run's events (any case)")
    commands["replay"].add_argument("--at", type=int, required=True, metavar="SEQ")
    commands["replay"].add_argument("--out", required=True, metavar="DIR")
    commands["gc"].add_argument("--destroy", action="store_true", help="destroy the instances")
    commands["gc"].add_argument("--cancel", action="store_true", help="scancel the Slurm jobs")
    commands["gc"].add_argument("--yes", action="store_true", help="do not ask before destroying")
    return parser


def parse(argv: Sequence[str] | None) -> Parsed:
    """
    Parse a command line (``sys.argv[1:]`` when None); bad usage exits 2 with one line.
    """
    args = _build().parse_args(argv, namespace=Parsed())
    merged = vars(args)
    top_project = merged.pop("project_top")
    if args.project is None:
        args.project = top_project
    args.option = [*(merged.pop("option_top") or []), *(args.option or [])]
    args.verbose = bool(args.verbose or merged.pop("verbose_top"))
    args.debug = bool(args.debug or merged.pop("debug_top"))
    return args
