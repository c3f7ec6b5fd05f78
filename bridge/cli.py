"""
The ``bridge`` command: parse arguments, call the library, render with rich.

Thin by design: every behaviour lives in the library. Exit codes: 0 done, 1 runtime failure,
2 bad input or configuration, 3 stopped waiting (AWAITING_APPROVAL or BLOCKED). Errors are one
clear message, never a traceback, unless ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bridge import audit
from bridge.errors import BridgeError, InputError

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_INPUT, EXIT_WAITING = 0, 1, 2, 3

Handler = Callable[[argparse.Namespace, Console], int]


class _Parser(argparse.ArgumentParser):
    """
    argparse that exits 2 with one line (argparse's own convention) and an example.
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"bridge: error: {message}\n")
        raise SystemExit(EXIT_INPUT)


def _project(args: argparse.Namespace) -> Path:
    project = Path(args.project).resolve()
    if not project.is_dir():
        raise InputError(f"--project {args.project}: no such directory")
    return project


def _cmd_log(args: argparse.Namespace, console: Console) -> int:
    store = audit.open_store(_project(args))
    try:
        rows = list(audit.timeline(store, run=args.run))
    finally:
        store.close()
    if args.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        return EXIT_OK
    table = Table(title="bridge event log", show_lines=False)
    for column in ("seq", "time (UTC)", "stream", "type", "data"):
        table.add_column(column, overflow="fold")
    for row in rows:
        data = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
        table.add_row(
            str(row["seq"]), row["recorded_at"][:19], row["stream"], row["type"], data[:160]
        )
    console.print(table)
    return EXIT_OK


def _cmd_replay(args: argparse.Namespace, console: Console) -> int:
    store = audit.open_store(_project(args))
    try:
        paths = audit.replay(store, args.at, Path(args.out).resolve())
    finally:
        store.close()
    for path in paths:
        console.print(f"wrote {path}")
    return EXIT_OK


def _cmd_rebuild(args: argparse.Namespace, console: Console) -> int:
    project = _project(args)
    store = audit.open_store(project)
    try:
        state = audit.rebuild(store, project)
    finally:
        store.close()
    console.print(f"rebuilt projections from {state.events} events (seq {state.last_seq})")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace, console: Console) -> int:
    project = _project(args)
    store = audit.open_store(project)
    try:
        report = audit.verify(store, project)
    finally:
        store.close()
    if report.bad_seq is not None:
        console.print(f"[red]hash chain broken at seq {report.bad_seq}[/red]")
        return EXIT_FAILURE
    for drift in report.drift:
        console.print(f"[red]{drift.kind}:[/red] {drift.path} {drift.detail}".rstrip())
    if report.drift:
        return EXIT_FAILURE
    console.print(f"ok: {report.events} events, hash chain intact, projections match the log")
    return EXIT_OK


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = _Parser(
        prog="bridge",
        description="Carry an ARIS experiment plan to finished, audited results.",
        epilog="Example: bridge run --project path/to/project",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    handlers: dict[str, Handler] = {}

    def command(name: str, help_: str, example: str, handler: Handler) -> argparse.ArgumentParser:
        cmd = sub.add_parser(
            name, help=help_, description=help_, epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        cmd.add_argument("--project", default=".", help="project directory (default: .)")
        cmd.add_argument("--debug", action="store_true", help="show tracebacks on errors")
        handlers[name] = handler
        return cmd

    log = command("log", "show the event log as a timeline", "bridge log --run R001", _cmd_log)
    log.add_argument("--json", action="store_true", help="one JSON object per line")
    log.add_argument("--run", help="only this run's events")

    replay = command(
        "replay", "write the projections as they were after event SEQ",
        "bridge replay --at 42 --out /tmp/at42", _cmd_replay,
    )  # fmt: skip
    replay.add_argument("--at", type=int, required=True, metavar="SEQ")
    replay.add_argument("--out", required=True, metavar="DIR")

    command("rebuild", "rewrite every projection file from the log", "bridge rebuild", _cmd_rebuild)
    command(
        "verify", "check the hash chain and that files on disk match the log", "bridge verify",
        _cmd_verify,
    )  # fmt: skip
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``bridge`` command and return its exit code.
    """
    parser, handlers = _parser()
    args = parser.parse_args(argv)
    console = Console(stderr=False, highlight=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return handlers[args.command](args, console)
    except InputError as exc:
        if args.debug:
            raise
        errors.print(f"bridge: error: {exc}", markup=False)
        return EXIT_INPUT
    except BridgeError as exc:
        if args.debug:
            raise
        errors.print(f"bridge: {type(exc).__name__}: {exc}", markup=False)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        errors.print("bridge: interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
