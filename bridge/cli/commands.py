"""
The ``bridge`` command: parse arguments, call the library, render with rich.

Thin by design: every behaviour lives in the library. Exit codes: 0 done, 1 runtime failure,
2 bad input or configuration, 3 stopped waiting (AWAITING_APPROVAL or BLOCKED). Errors are one
clear message, never a traceback, unless ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import structlog
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bridge.errors import BridgeError, ConfigError, InputError, LockedError, UnknownRunError
from bridge.events.secrets import redact
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState, Stage
from bridge.pipeline import Bridge, audit
from bridge.plan.priority import Priority

if TYPE_CHECKING:
    from bridge.adapters.backends.slurm.backend import SlurmBackend

__all__ = ["main"]

EXIT_OK, EXIT_FAILURE, EXIT_INPUT, EXIT_WAITING = 0, 1, 2, 3

Handler = Callable[[argparse.Namespace, Console], int]
# Log files opened by this invocation; main() closes them and resets structlog, so calling
# main() in-process (tests, embedding) leaves nothing behind.
_OPEN_LOGS: list[TextIO] = []


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


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in getattr(args, "option", None) or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"-o {item!r}: expected key=value (e.g. -o max_parallel=2)", setting=item
            )
        out[key.strip()] = value.strip()
    return out


def _configure_logging(project: Path, verbose: bool) -> None:
    """
    Structured logs as JSON lines in ``.bridge/bridge.log``; ``-v`` mirrors them on stderr.
    """
    (project / ".bridge").mkdir(parents=True, exist_ok=True)
    handle = (project / ".bridge" / "bridge.log").open("a", encoding="utf-8")
    _OPEN_LOGS.append(handle)
    processors: list[structlog.typing.Processor] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.JSONRenderer(sort_keys=True),
    ]

    class _Tee:
        def msg(self, message: str) -> None:
            message = redact(message)  # bridge's credentials never reach a log line
            handle.write(message + "\n")
            handle.flush()
            if verbose:
                sys.stderr.write(message + "\n")

        log = debug = info = warning = warn = error = critical = exception = msg

    structlog.configure(
        processors=processors, logger_factory=lambda *_: _Tee(), cache_logger_on_first_use=False
    )


def _bridge(args: argparse.Namespace) -> Bridge:

    project = _project(args)
    _configure_logging(project, getattr(args, "verbose", False))
    return Bridge(project, options=_overrides(args))


def _cmd_init(args: argparse.Namespace, console: Console) -> int:
    target = Path(args.dir or args.project).resolve()
    templates = Path(__file__).parents[1] / "templates"
    files = {
        "refine-logs/EXPERIMENT_PLAN.md": templates / "EXPERIMENT_PLAN.md",
        "refine-logs/EXPERIMENT_TRACKER.md": templates / "EXPERIMENT_TRACKER.md",
        "bridge.toml": templates / "bridge.toml",
    }
    existing = [name for name in files if (target / name).exists()]
    if existing and not args.force:
        raise InputError(
            f"{target}: {', '.join(existing)} already exist (use --force to overwrite)"
        )
    for name, source in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        console.print(f"wrote {target / name}")
    console.print(
        "next: edit the plan, tracker and bridge.toml, then `bridge plan` and `bridge run`"
    )
    return EXIT_OK


def _cmd_plan(args: argparse.Namespace, console: Console) -> int:
    from bridge.plan import load_project, plan_json

    loaded = load_project(_project(args), overrides=_overrides(args))
    doc = plan_json(loaded)
    if args.json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
        return EXIT_OK
    runs = list(loaded.runs)
    must = sum(1 for r in runs if r.priority is Priority.MUST)
    console.print(f"[bold]{escape(loaded.plan.title or '(untitled plan)')}[/bold]")
    table = Table("milestone", "name", "sanity", "runs", "GPU-h")
    for m in loaded.milestones:
        mine = [r for r in runs if r.milestone == m.id]
        hours = sum(r.gpus * (r.estimated_minutes or 0) / 60 for r in mine)
        table.add_row(
            m.id,
            m.name,
            "yes" if m.sanity else "",
            str(len(mine)),
            f"{m.gpu_hours:g}" if m.gpu_hours is not None else f"~{hours:.2f}",
        )
    console.print(table)
    if loaded.plan.blocks:
        from bridge.cli.console import render_blocks

        console.print(render_blocks(loaded))
    budget = loaded.plan.budget.gpu_hours
    console.print(
        f"runs: {len(runs)} ({must} must-run, {len(runs) - must} nice-to-have) from "
        f"{runs[0].source if runs else 'nowhere'}; budget: "
        f"{f'{budget:g} GPU-h' if budget is not None else 'not stated'}"
    )
    first = [
        r for r in runs if r.milestone == (loaded.milestones[0].id if loaded.milestones else "")
    ]
    if first:
        console.print("first to launch: " + ", ".join(f"{r.id} ({r.system})" for r in first[:6]))
    if loaded.needs_confirmation:
        console.print(
            "[yellow]runs were proposed from the plan: check them before `bridge run`[/yellow]"
        )
    for warning in loaded.warnings[:20]:
        console.print(
            "[yellow]warning[/yellow] "
            + escape(f"{warning.file}:{warning.line}: {warning.message}"),
            markup=True,
        )
    if len(loaded.warnings) > 20:
        console.print(f"… and {len(loaded.warnings) - 20} more warnings (bridge plan --json)")
    return EXIT_OK


def _exit_for(stage: Stage) -> int:
    if stage in (Stage.AWAITING_APPROVAL, Stage.BLOCKED):
        return EXIT_WAITING
    return EXIT_OK


def _explain_waiting(bridge: Bridge, console: Console) -> None:
    """
    What the pipeline waits for, before the summary's one "Next step" line says what to do.
    """
    state = bridge.status()
    if state.stage is Stage.AWAITING_APPROVAL and state.approval is not None:
        console.print("[yellow]waiting for approval[/yellow] (auto_deploy is off):")
        console.print(state.approval.summary, markup=False)
    elif state.stage is Stage.BLOCKED and state.blocked is not None:
        console.print(f"[red]blocked:[/red] {escape(state.blocked.reason)}", markup=True)
        for finding in state.blocked.findings[:10]:
            where = f" ({finding.file}:{finding.line})" if finding.file else ""
            console.print(f"  - {finding.message}{where}", markup=False)


def _cmd_run(args: argparse.Namespace, console: Console) -> int:
    from bridge.cli.console import Watcher

    bridge = _bridge(args)
    plain = args.plain or not console.is_terminal
    try:
        with Watcher(audit.db_path(_project(args)), console, plain=plain):
            stage = bridge.run()
        _explain_waiting(bridge, console)
        _handoff(bridge, console)
        failed = [
            run.run_id
            for run in bridge.status().runs.values()
            if run.spec.priority is Priority.MUST
            and run.state is not RunState.SUCCEEDED
            and run.state not in NOT_BRIDGES_RUN_STATES
        ]
    finally:
        bridge.close()
    if stage is Stage.COLLECTED and failed:
        # The pipeline finished, but not every must-run run did: a script driving bridge must
        # be able to tell (exit 1, runtime failure), the summary above says which and why.
        return EXIT_FAILURE
    return _exit_for(stage)


def _handoff(bridge: Bridge, console: Console) -> None:
    console.print(bridge.summary(), markup=False)


def _cmd_advance(args: argparse.Namespace, console: Console) -> int:
    bridge = _bridge(args)
    try:
        step = bridge.advance()
        console.print(f"{step.before.value} → {step.after.value}: {step.action}", markup=False)
        if step.waiting:
            from bridge.projections.summary import next_step_line

            _explain_waiting(bridge, console)
            console.print(next_step_line(bridge.status()), markup=False)
    finally:
        bridge.close()
    return _exit_for(step.after)


def _cmd_status(args: argparse.Namespace, console: Console) -> int:
    from bridge.cli.console import render_status, status_json
    from bridge.machine.fold import fold

    store = audit.open_store(_project(args))
    try:
        state = fold(store.read())
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(status_json(state), ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(render_status(state))
    return EXIT_OK


def _cmd_approve(args: argparse.Namespace, console: Console) -> int:
    bridge = _bridge(args)
    try:
        step = bridge.approve()
    finally:
        bridge.close()
    console.print(f"{step.action}: now {step.after.value}; continue with `bridge run`")
    return EXIT_OK


def _cmd_cancel(args: argparse.Namespace, console: Console) -> int:
    bridge = _bridge(args)
    try:
        bridge.cancel(args.run)
        run = bridge.status().runs[args.run]
    finally:
        bridge.close()
    if run.state is RunState.CANCELLED:
        console.print(f"cancelled {args.run}")
    else:  # it ended on its own while the cancel was on its way
        console.print(f"{args.run} had already ended: {run.state.value}")
    return EXIT_OK


def _cmd_retry(args: argparse.Namespace, console: Console) -> int:
    bridge = _bridge(args)
    try:
        scheduled = bridge.retry(
            *args.runs, failed=args.failed, milestone=args.milestone or "", force=args.force
        )
    finally:
        bridge.close()
    console.print(f"will run again: {', '.join(scheduled.asked)}", markup=False)
    if scheduled.revived:
        console.print(
            f"and the runs cancelled because of them: {', '.join(scheduled.revived)}",
            markup=False,
        )
    console.print("Next step: `bridge run`.", markup=False)
    return EXIT_OK


def _cmd_diagram(args: argparse.Namespace, console: Console) -> int:
    from bridge.machine.fold import fold
    from bridge.projections.diagram import mermaid

    stage = None
    if audit.db_path(_project(args)).exists():
        store = audit.open_store(_project(args))
        try:
            stage = fold(store.read()).stage
        finally:
            store.close()
    sys.stdout.write(mermaid(stage) + "\n")
    return EXIT_OK


def _cmd_log(args: argparse.Namespace, console: Console) -> int:
    store = audit.open_store(_project(args))
    try:
        if args.run and store.stream_version(f"run:{args.run}") == 0:
            raise UnknownRunError(f"--run {args.run}: the log has no run {args.run!r}")
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
    store = audit.open_store(project, check=False)
    try:
        report = audit.verify(store, project)
    finally:
        store.close()
    for problem in report.problems:
        console.print(f"[red]damaged log:[/red] {escape(problem)}")
    if report.triggers_restored:
        console.print("append-only triggers were missing; every row verified, so they are restored")
    if report.bad_seq is not None:
        console.print(f"[red]hash chain broken at seq {report.bad_seq}[/red]")
        return EXIT_FAILURE
    if report.problems:
        return EXIT_FAILURE
    for drift in report.drift:
        console.print(f"[red]{drift.kind}:[/red] {escape(f'{drift.path} {drift.detail}')}".rstrip())
    if report.drift:
        return EXIT_FAILURE
    console.print(f"ok: {report.events} events, hash chain intact, projections match the log")
    return EXIT_OK


def _cmd_gc(args: argparse.Namespace, console: Console) -> int:
    from bridge.machine.scheduler import LIVE

    bridge = _bridge(args)
    try:
        backend = bridge.backend
        from bridge.adapters.backends.slurm.backend import SlurmBackend

        if isinstance(backend, SlurmBackend):
            return _gc_jobs(bridge, backend, args, console)
        find = getattr(backend, "orphans", None)
        destroy = getattr(backend, "destroy_instance", None)
        if find is None or destroy is None:
            raise InputError(
                f"bridge gc looks for rented cloud instances; backend {backend.name!r} rents none"
            )
        live = [r.current for r in bridge.status().runs.values() if r.state in LIVE and r.current]
        orphans = find(
            handles=[a.handle for a in live if a.handle is not None],
            attempt_ids=[a.attempt_id for a in live],
        )
        if not orphans:
            console.print("no orphaned instances: every instance of this project is in use")
            return EXIT_OK
        table = Table("instance", "status", "$/h", "hours", "$ so far", "label")
        for o in orphans:
            table.add_row(
                str(o.instance_id),
                o.status,
                f"{o.dph:g}",
                f"{o.hours:.2f}",
                f"{o.dollars:.2f}",
                o.label,
            )
        console.print(table)
        if not args.destroy:
            console.print("destroy them with `bridge gc --destroy`")
            return EXIT_OK
        if not args.yes:
            if not sys.stdin.isatty():
                raise InputError(
                    "bridge gc --destroy asks for confirmation: run it in a terminal, or add --yes"
                )
            answer = input(f"destroy {len(orphans)} instance(s)? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                console.print("nothing destroyed")
                return EXIT_OK
        for o in orphans:
            destroy(o.instance_id)
            console.print(f"destroyed instance {o.instance_id}")
        return EXIT_OK
    finally:
        bridge.close()


def _gc_jobs(
    bridge: Bridge, backend: SlurmBackend, args: argparse.Namespace, console: Console
) -> int:
    """
    ``bridge gc`` on Slurm: this project's queued or running jobs whose attempt is not live in
    the log; ``--cancel`` scancels them.
    """
    from bridge.machine.scheduler import LIVE

    runs = bridge.status().runs.values()
    live = [r.current.attempt_id for r in runs if r.state in LIVE and r.current]
    orphans = backend.orphans(live_attempt_ids=live)
    if not orphans:
        console.print("no stray jobs: every queued or running job of this project is in use")
        return EXIT_OK
    table = Table("job", "state", "attempt", "name")
    for job in orphans:
        table.add_row(job.job_id, job.state, job.attempt_id, job.name)
    console.print(table)
    if not args.cancel:
        console.print("cancel them with `bridge gc --cancel`")
        return EXIT_OK
    for job in orphans:
        backend.cancel_job(job.job_id)
        console.print(f"cancelled job {job.job_id}")
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
            name,
            help=help_,
            description=help_,
            epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        cmd.add_argument("--project", default=".", help="project directory (default: .)")
        # SUPPRESS: `bridge --debug CMD` and `bridge CMD --debug` both work; the subcommand's
        # default must not overwrite the top-level flag.
        cmd.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
        )
        cmd.add_argument(
            "-o",
            "--option",
            action="append",
            metavar="KEY=VALUE",
            help="override an option (e.g. -o max_parallel=2); repeatable",
        )
        cmd.add_argument(
            "-v", "--verbose", action="store_true", help="mirror the JSON log on stderr"
        )
        handlers[name] = handler
        return cmd

    init = command(
        "init",
        "write a commented template plan, tracker and bridge.toml",
        "bridge init my-project",
        _cmd_init,
    )
    init.add_argument("dir", nargs="?", help="where to write them (default: --project)")
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    plan = command(
        "plan", "show what bridge understood of the plan", "bridge plan --json", _cmd_plan
    )
    plan.add_argument("--json", action="store_true", help="the machine-readable summary")
    command("advance", "take exactly one pipeline step", "bridge advance", _cmd_advance)
    run = command(
        "run", "advance until done or waiting for a person", "bridge run --plain", _cmd_run
    )
    run.add_argument("--plain", action="store_true", help="plain lines instead of a live view")
    status = command(
        "status", "show the pipeline and every run", "bridge status --json", _cmd_status
    )
    status.add_argument("--json", action="store_true", help="machine-readable status")
    command(
        "approve",
        "approve deployment at the checkpoint, or reopen a blocked pipeline after a fix",
        "bridge approve",
        _cmd_approve,
    )
    cancel = command(
        "cancel", "cancel a run (kills its process group)", "bridge cancel R003", _cmd_cancel
    )
    cancel.add_argument("run", metavar="RUN")
    retry = command(
        "retry",
        "run runs again with the current inputs (and the runs cancelled because of them)",
        "bridge retry R003 R004 | bridge retry --failed | bridge retry --milestone M2",
        _cmd_retry,
    )
    retry.add_argument("runs", metavar="RUN", nargs="*", help="the runs to run again")
    retry.add_argument(
        "--failed", action="store_true", help="every run that ended without succeeding"
    )
    retry.add_argument("--milestone", metavar="M", help="the runs of this milestone that ended")
    retry.add_argument(
        "--force", action="store_true", help="succeeded runs too (they keep their spec otherwise)"
    )
    command(
        "diagram", "print the pipeline state machine as Mermaid", "bridge diagram", _cmd_diagram
    )

    log = command("log", "show the event log as a timeline", "bridge log --run R001", _cmd_log)
    log.add_argument("--json", action="store_true", help="one JSON object per line")
    log.add_argument("--run", help="only this run's events")

    replay = command(
        "replay",
        "write the projections as they were after event SEQ",
        "bridge replay --at 42 --out /tmp/at42",
        _cmd_replay,
    )
    replay.add_argument("--at", type=int, required=True, metavar="SEQ")
    replay.add_argument("--out", required=True, metavar="DIR")

    gc = command(
        "gc",
        "list rented instances (Vast) or Slurm jobs of this project the log does not use",
        "bridge gc --destroy",
        _cmd_gc,
    )
    gc.add_argument("--destroy", action="store_true", help="destroy the instances listed")
    gc.add_argument("--cancel", action="store_true", help="scancel the Slurm jobs listed")
    gc.add_argument("--yes", action="store_true", help="do not ask before destroying")
    command("rebuild", "rewrite every projection file from the log", "bridge rebuild", _cmd_rebuild)
    command(
        "verify",
        "check the hash chain and that files on disk match the log",
        "bridge verify",
        _cmd_verify,
    )
    return parser, handlers


class _Stop:
    """
    SIGTERM ends bridge the way Ctrl-C does (KeyboardInterrupt, caught in :func:`main`): the
    current append rolls back or completes, files are written whole, the lock goes with the
    process, and detached runs go on. Remembers which signal came, for the exit code.
    """

    def __init__(self) -> None:
        self.signum = int(signal.SIGINT)
        self._previous: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return  # handlers can only be set from the main thread (an embedder's worker)
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._raise)

    def _raise(self, signum: int, frame: object) -> None:
        self.signum = signum
        raise KeyboardInterrupt

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    def hold(self) -> None:
        for signum in self._previous:
            signal.signal(signum, signal.SIG_IGN)

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``bridge`` command and return its exit code.
    """
    stop = _Stop()
    parser, handlers = _parser()
    args = parser.parse_args(argv)
    console = Console(stderr=False, highlight=False, soft_wrap=True)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return handlers[args.command](args, console)
    except InputError as exc:
        if args.debug:
            raise
        errors.print(f"bridge: error: {redact(str(exc))}", markup=False)
        return EXIT_INPUT
    except LockedError as exc:
        if args.debug:
            raise
        errors.print(f"bridge: {exc}", markup=False)
        return EXIT_FAILURE
    except BridgeError as exc:
        if args.debug:
            raise
        errors.print(f"bridge: {type(exc).__name__}: {redact(str(exc))}", markup=False)
        return EXIT_FAILURE
    except OSError as exc:
        # A path the user named that cannot be written or read (--out on a file, a read-only
        # folder): one line naming it, not a traceback.
        if args.debug:
            raise
        errors.print(f"bridge: error: {exc}", markup=False)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        stop.hold()  # a second Ctrl-C must not break the clean-up into a traceback
        errors.print(
            f"bridge: interrupted ({stop.name}); runs already launched keep running and the "
            "next `bridge run` adopts them",
            markup=False,
        )
        return 128 + stop.signum
    finally:
        stop.restore()
        while _OPEN_LOGS:
            _OPEN_LOGS.pop().close()
        structlog.reset_defaults()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
