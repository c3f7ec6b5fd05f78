"""
One handler per ``bridge`` command: find the project, call the library, render.

Thin by design: every behaviour lives in the library. Each handler imports what it needs when
it runs, so ``bridge --help`` loads none of it and ``bridge status`` loads no adapter. Errors
are raised as :class:`~bridge.errors.BridgeError`; :mod:`bridge.cli.main` turns them into one
line and an exit code.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bridge.cli.parser import Parsed
from bridge.errors import InputError, UnknownRunError
from bridge.pipeline.root import MARKERS, find_root

if TYPE_CHECKING:
    from rich.console import Console

    from bridge.adapters.backends.slurm.backend import SlurmBackend
    from bridge.machine.fold import PipelineState
    from bridge.machine.stages import Stage
    from bridge.pipeline.bridge import Bridge

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_WAITING", "HANDLERS", "resolve_run"]

EXIT_OK, EXIT_FAILURE, EXIT_WAITING = 0, 1, 3


# -- finding things ---------------------------------------------------------------------------


def project_root(args: Parsed) -> Path:
    """
    The project the command is about: ``--project`` (a folder, a folder inside a project, or a
    plan file) or the current folder, walking up to the nearest project root like git does.

    Raises:
        InputError: the path does not exist, or neither it nor any folder above is a project.
    """
    start = Path(args.project or ".")
    if not start.exists():
        raise InputError(f"--project {args.project}: no such file or directory")
    root = find_root(start)
    if root is None:
        where = f"--project {args.project}" if args.project else str(start.resolve())
        raise InputError(
            f"{where}: not a bridge project, nor is any folder above it (a project holds one "
            f"of {', '.join(MARKERS[1:3])} or .bridge/); pass --project, or start one with "
            "`bridge init`"
        )
    return root


def overrides(args: Parsed) -> dict[str, object]:
    """
    ``-o key=value`` pairs, checked against the options' names and types.

    Raises:
        ConfigError: a pair without ``=``, an unknown option, or a badly typed value.
    """
    from bridge.errors import ConfigError

    out: dict[str, object] = {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(
                f"-o {item!r}: expected key=value (e.g. -o max_parallel=2)", setting=item
            )
        out[key.strip()] = value.strip()
    if out:
        from bridge.plan.options import Options, apply_options

        apply_options(Options(), out, where="-o")
    return out


def resolve_run(given: str, known: Iterable[str]) -> str:
    """
    The run id ``given`` names: itself when it is one, else the single id equal to it ignoring
    case.

    Raises:
        UnknownRunError: no id matches, or more than one does ignoring case.
    """
    ids = list(known)
    if given in ids:
        return given
    matches = [run_id for run_id in ids if run_id.casefold() == given.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownRunError(f"run {given!r} matches {', '.join(matches)}: give the exact id")
    shown = ", ".join(ids[:12]) + (", …" if len(ids) > 12 else "")
    raise UnknownRunError(f"no run {given!r} in this project (runs: {shown or 'none yet'})")


def _bridge(args: Parsed, root: Path) -> Bridge:
    from bridge.cli import logfile
    from bridge.pipeline.bridge import Bridge

    made = Bridge(root, options=overrides(args))
    logfile.configure(root, verbose=args.verbose)
    return made


def _fold(root: Path) -> PipelineState:
    from bridge.pipeline import snapshots
    from bridge.pipeline.audit import open_store

    store = open_store(root)
    try:
        loaded = snapshots.load(store)
    finally:
        store.close()
    for note in loaded.notes:  # a snapshot skipped is said, on stderr: stdout stays the answer
        sys.stderr.write(f"note: {note}\n")
    return loaded.folder.state()


def _console() -> Console:
    from bridge.cli.console import make_console

    return make_console()


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


# -- commands ---------------------------------------------------------------------------------


def init(args: Parsed) -> int:
    """``bridge init [DIR]``: write the templates (never over existing files without --force)."""
    target = Path(args.dir or args.project or ".").resolve()
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
        _out(f"wrote {target / name}")
    _out("next: edit the plan, tracker and bridge.toml, then `bridge plan` and `bridge run`")
    return EXIT_OK


def plan(args: Parsed) -> int:
    """``bridge plan``: what bridge understood of the plan, as a table or JSON."""
    from rich.table import Table

    from bridge.cli.console import render_blocks, styled
    from bridge.plan import load_project, plan_json
    from bridge.plan.overview import estimate_milestone, overview

    loaded = load_project(project_root(args), overrides=overrides(args))
    if args.json:
        _out(json.dumps(plan_json(loaded), ensure_ascii=False, indent=2, sort_keys=False))
        return EXIT_OK
    console = _console()
    runs = list(loaded.runs)
    console.print(styled(loaded.plan.title or "(untitled plan)", "bold"))
    table = Table("milestone", "name", "sanity", "runs", "GPU-h")
    for m in loaded.milestones:
        mine = [r for r in runs if r.milestone == m.id]
        hours = estimate_milestone(m, mine).gpu_hours
        table.add_row(
            m.id,
            m.name,
            "yes" if m.sanity else "",
            str(len(mine)),
            f"~{hours:.2f}" if hours is not None else "?",
        )
    console.print(table)
    if loaded.plan.blocks:
        console.print(render_blocks(loaded))
    summary = overview(loaded)
    budget = loaded.plan.budget.gpu_hours
    console.print(
        f"{summary[0]}; runs from {runs[0].source if runs else 'nowhere'}; budget: "
        f"{f'{budget:g} GPU-h' if budget is not None else 'not stated'}"
    )
    console.print(summary[-1])
    first_id = loaded.milestones[0].id if loaded.milestones else ""
    first = [r for r in runs if r.milestone == first_id]
    if first:
        console.print("first to launch: " + ", ".join(f"{r.id} ({r.system})" for r in first[:6]))
    if loaded.needs_confirmation:
        console.print(
            styled("runs were proposed from the plan: check them before `bridge run`", "yellow")
        )
    for warning in loaded.warnings[:20]:
        console.print(
            styled("warning", "yellow", f" {warning.file}:{warning.line}: {warning.message}")
        )
    if len(loaded.warnings) > 20:
        console.print(f"… and {len(loaded.warnings) - 20} more warnings (bridge plan --json)")
    return EXIT_OK


def _exit_for(stage: Stage) -> int:
    from bridge.machine.stages import Stage

    if stage in (Stage.AWAITING_APPROVAL, Stage.BLOCKED):
        return EXIT_WAITING
    return EXIT_OK


def _explain_waiting(bridge: Bridge, console: Console) -> None:
    """
    What the pipeline waits for, before the summary's one "Next step" line says what to do.
    """
    from bridge.cli.console import styled
    from bridge.machine.stages import Stage

    state = bridge.status()
    if state.stage is Stage.AWAITING_APPROVAL and state.approval is not None:
        console.print(styled("waiting for approval", "yellow", " (auto_deploy is off):"))
        console.print(state.approval.summary)
    elif state.stage is Stage.BLOCKED and state.blocked is not None:
        console.print(styled("blocked:", "red", f" {state.blocked.reason}"))
        for finding in state.blocked.findings[:10]:
            where = f" ({finding.file}:{finding.line})" if finding.file else ""
            console.print(f"  - {finding.message}{where}")


def _inside(folder: Path, root: Path) -> bool:
    return folder == root or root in folder.parents


def run(args: Parsed) -> int:
    """``bridge run``: advance until done or waiting; a live view, or plain lines in a pipe."""
    from bridge.cli.console import styled
    from bridge.cli.watch import Watcher, kept_lines
    from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, RunState, Stage
    from bridge.pipeline.audit import db_path
    from bridge.plan.overview import overview
    from bridge.plan.priority import Priority
    from bridge.projections.text import language_of

    root = project_root(args)
    bridge = _bridge(args, root)
    console = _console()
    plain = args.plain or not console.is_terminal
    try:
        # The workflow's opening summary: what bridge understood before it starts.
        console.print(styled(bridge.project.plan.title or "(untitled plan)", "bold"))
        for line in overview(bridge.project):
            console.print(f"  {line}")
        with Watcher(db_path(root), console, plain=plain):
            stage = bridge.run()
        for line in kept_lines(bridge.kept_settings, language_of(bridge.status())):
            console.print(line)
        _explain_waiting(bridge, console)
        console.print(bridge.summary())
        if not _inside(Path.cwd().resolve(), root):
            console.print(f"project: {root}")
        failed = [
            r.run_id
            for r in bridge.status().runs.values()
            if r.spec.priority is Priority.MUST
            and r.state is not RunState.SUCCEEDED
            and r.state not in NOT_BRIDGES_RUN_STATES
        ]
    finally:
        bridge.close()
    if stage is Stage.COLLECTED and failed:
        # The pipeline finished, but not every must-run run did: a script driving bridge must
        # be able to tell (exit 1, runtime failure), the summary above says which and why.
        return EXIT_FAILURE
    return _exit_for(stage)


def advance(args: Parsed) -> int:
    """``bridge advance``: exactly one step."""
    bridge = _bridge(args, project_root(args))
    console = _console()
    try:
        step = bridge.advance()
        console.print(f"{step.before.value} → {step.after.value}: {step.action}")
        if step.waiting:
            from bridge.projections.summary import next_step_line

            _explain_waiting(bridge, console)
            console.print(next_step_line(bridge.status()))
    finally:
        bridge.close()
    return _exit_for(step.after)


def run_active(root: Path) -> bool:
    """
    Whether a ``bridge run`` (or another command holding the project lock) is active now.
    """
    folder = root / ".bridge"
    if not folder.is_dir():
        return False
    # The pipeline holds an exclusive lock on the .bridge folder itself (Session.locked). A
    # shared one cannot be had meanwhile; it is released at once, so a `bridge run` starting at
    # this very moment is refused only within those microseconds.
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)  # closing releases the shared lock
    return False


def exited_runs(root: Path, state: PipelineState) -> frozenset[str]:
    """
    Live runs whose attempt has written its exit code (the process ended) but that no
    ``bridge run`` has collected yet.
    """
    from bridge.machine.scheduler import LIVE

    found = set()
    for run_view in state.runs_in_state(*LIVE):
        attempt = run_view.current
        if attempt is None:
            continue
        folder = (
            Path(attempt.local_dir)
            if attempt.local_dir
            else root / ".bridge" / "runs" / run_view.run_id / attempt.attempt_id
        )
        if (folder / "exit_code").exists():
            found.add(run_view.run_id)
    return frozenset(found)


def status(args: Parsed) -> int:
    """``bridge status``: the stage and every run, from the log alone."""
    from bridge.cli.console import status_json, status_lines

    root = project_root(args)
    overrides(args)
    state = _fold(root)
    detached = not run_active(root)
    exited = exited_runs(root, state) if detached else frozenset()
    if args.json:
        _out(json.dumps(status_json(state, exited=exited), ensure_ascii=False, indent=2))
    else:
        width = shutil.get_terminal_size((80, 24)).columns
        for line in status_lines(state, exited=exited, detached=detached, width=width):
            _out(line)
    return EXIT_OK


def approve(args: Parsed) -> int:
    """``bridge approve``: go on at AWAITING_APPROVAL, or reopen after BLOCKED."""
    bridge = _bridge(args, project_root(args))
    try:
        step = bridge.approve()
    finally:
        bridge.close()
    _out(f"{step.action}: now {step.after.value}; continue with `bridge run`")
    return EXIT_OK


def cancel(args: Parsed) -> int:
    """``bridge cancel RUN``."""
    from bridge.machine.stages import RunState

    bridge = _bridge(args, project_root(args))
    try:
        run_id = resolve_run(args.run, bridge.status().runs)
        bridge.cancel(run_id)
        ended = bridge.status().runs[run_id]
    finally:
        bridge.close()
    if ended.state is RunState.CANCELLED:
        _out(f"cancelled {run_id}")
    else:  # it ended on its own while the cancel was on its way
        _out(f"{run_id} had already ended: {ended.state.value}")
    return EXIT_OK


def retry(args: Parsed) -> int:
    """``bridge retry [RUN…] [--failed] [--milestone M] [--force]``."""
    bridge = _bridge(args, project_root(args))
    try:
        known = bridge.status().runs
        run_ids = [resolve_run(run, known) for run in args.runs]
        scheduled = bridge.retry(
            *run_ids, failed=args.failed, milestone=args.milestone or "", force=args.force
        )
    finally:
        bridge.close()
    _out(f"will run again: {', '.join(scheduled.asked)}")
    if scheduled.revived:
        _out(f"and the runs cancelled because of them: {', '.join(scheduled.revived)}")
    _out("Next step: `bridge run`.")
    return EXIT_OK


def diagram(args: Parsed) -> int:
    """``bridge diagram``: Mermaid, with the current stage marked when there is a project log."""
    from bridge.pipeline.audit import db_path
    from bridge.projections.diagram import mermaid

    overrides(args)
    start = Path(args.project or ".")
    if not start.exists():
        raise InputError(f"--project {args.project}: no such file or directory")
    root = find_root(start)  # outside a project: the machine without a marked stage
    stage = _fold(root).stage if root is not None and db_path(root).exists() else None
    _out(mermaid(stage))
    return EXIT_OK


def log(args: Parsed) -> int:
    """``bridge log``: one line per event (``--json``: one object per line)."""
    from bridge.pipeline.audit import open_store, timeline

    root = project_root(args)
    overrides(args)
    run_id = resolve_run(args.run, _fold(root).runs) if args.run else None
    store = open_store(root)
    try:
        for row in timeline(store, run=run_id):
            if args.json:
                _out(json.dumps(row, ensure_ascii=False, sort_keys=True))
                continue
            data = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
            at = row["recorded_at"][:19].replace("T", " ")
            _out(f"{row['seq']:>6} {at} {row['stream']:<12} {row['type']:<22} {data}")
    finally:
        store.close()
    return EXIT_OK


def replay(args: Parsed) -> int:
    """``bridge replay --at SEQ --out DIR``: the projections as they were after SEQ."""
    from bridge.pipeline.audit import open_store
    from bridge.pipeline.audit import replay as replay_at

    root = project_root(args)
    overrides(args)
    store = open_store(root)
    try:
        last = store.head()
        if not 1 <= args.at <= last:
            raise InputError(f"--at {args.at}: the log's events are numbered 1 to {last}")
        paths = replay_at(store, args.at, Path(args.out).resolve())
    finally:
        store.close()
    for path in paths:
        _out(f"wrote {path}")
    return EXIT_OK


def rebuild(args: Parsed) -> int:
    """``bridge rebuild``: every projection file rewritten from the log."""
    from bridge.pipeline.audit import open_store
    from bridge.pipeline.audit import rebuild as rebuild_from

    root = project_root(args)
    overrides(args)
    store = open_store(root)
    try:
        state = rebuild_from(store, root)
    finally:
        store.close()
    _out(f"rebuilt projections from {state.events} events (seq {state.last_seq})")
    return EXIT_OK


def verify(args: Parsed) -> int:
    """``bridge verify``: the hash chain, and the files on disk against the log."""
    from bridge.cli.console import styled
    from bridge.pipeline.audit import open_store
    from bridge.pipeline.audit import verify as verify_log

    root = project_root(args)
    overrides(args)
    store = open_store(root, check=False)
    try:
        report = verify_log(store, root)
    finally:
        store.close()
    console = _console()
    for problem in report.problems:
        console.print(styled("damaged log:", "red", f" {problem}"))
    if report.triggers_restored:
        console.print("append-only triggers were missing; every row verified, so they are restored")
    if report.bad_seq is not None:
        console.print(styled(f"hash chain broken at seq {report.bad_seq}", "red"))
        return EXIT_FAILURE
    if report.problems:
        return EXIT_FAILURE
    for seq, why in report.bad_snapshots:
        console.print(
            styled(f"snapshot at seq {seq} disagrees with the log:", "red", f" {why}; "
                   "removed (the next snapshot is taken from the log)")
        )  # fmt: skip
    if report.snapshots_other_version:
        console.print(
            f"{report.snapshots_other_version} snapshot(s) taken by another fold version are not "
            "read (the next snapshot replaces them)"
        )
    for drift in report.drift:
        console.print(styled(f"{drift.kind}:", "red", f" {drift.path} {drift.detail}".rstrip()))
    if report.drift or report.bad_snapshots:
        return EXIT_FAILURE
    agreed = {0: "", 1: ", 1 snapshot agrees"}.get(
        report.snapshots_agreed, f", {report.snapshots_agreed} snapshots agree"
    )
    console.print(
        f"ok: {report.events} events, hash chain intact{agreed}, projections match the log"
    )
    return EXIT_OK


def gc(args: Parsed) -> int:
    """``bridge gc [--destroy]``: rented instances of this project that the log does not use."""
    from rich.table import Table

    from bridge.machine.ports import InstanceSweeper
    from bridge.machine.scheduler import LIVE

    bridge = _bridge(args, project_root(args))
    console = _console()
    try:
        backend = bridge.backend
        from bridge.adapters.backends.slurm.backend import SlurmBackend

        if isinstance(backend, SlurmBackend):
            return _gc_jobs(bridge, backend, args, console)
        if not isinstance(backend, InstanceSweeper):
            raise InputError(
                f"bridge gc looks for rented cloud instances; backend {backend.name!r} rents none"
            )
        live = [r.current for r in bridge.status().runs.values() if r.state in LIVE and r.current]
        orphans = backend.orphans(
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
            backend.destroy_instance(o.instance_id)
            console.print(f"destroyed instance {o.instance_id}")
        return EXIT_OK
    finally:
        bridge.close()


def _gc_jobs(bridge: Bridge, backend: SlurmBackend, args: Parsed, console: Console) -> int:
    """
    ``bridge gc`` on Slurm: this project's queued or running jobs whose attempt is not live in
    the log; ``--cancel`` scancels them.
    """
    from rich.table import Table

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


HANDLERS: dict[str, Callable[[Parsed], int]] = {
    "init": init,
    "plan": plan,
    "advance": advance,
    "run": run,
    "status": status,
    "approve": approve,
    "cancel": cancel,
    "retry": retry,
    "diagram": diagram,
    "log": log,
    "replay": replay,
    "gc": gc,
    "rebuild": rebuild,
    "verify": verify,
}
