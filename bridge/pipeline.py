"""
``Bridge``: the pipeline. Read the log, fold it, ask the machine what is next, call a port,
append the events, refresh the projections.

``Bridge`` holds no state of its own beyond the fold of the log: a second ``Bridge`` on the same
project (or the same one after a crash) carries on where the log says. It never prints; it logs
structured events through structlog, and the command line renders.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import structlog

from bridge import bootstrap
from bridge.dispatch import Dispatcher
from bridge.errors import (
    ImplementError,
    InputError,
    LockedError,
    ReviewError,
    UnknownRunError,
)
from bridge.events import types as ev
from bridge.events.store import EventStore, SQLiteEventStore, utc_now
from bridge.events.values import Finding, Severity
from bridge.machine.classify import failure_signature
from bridge.machine.fold import Folder, PipelineState
from bridge.machine.ports import (
    Backend,
    Gate,
    Implementer,
    ImplementRequest,
    Notifier,
    Reviewer,
    ReviewRequest,
)
from bridge.machine.scheduler import Policy, sanity_milestones
from bridge.machine.stages import TERMINAL_RUN_STATES, RunState, Stage
from bridge.machine.table import next_stage
from bridge.plan import LoadedProject, Plan, load_project, render_argv
from bridge.projections.summary import handoff_summary
from bridge.projections.writer import ProjectionWriter

__all__ = ["Bridge", "Step"]

log = structlog.get_logger("bridge.pipeline")
WAITING = frozenset({Stage.AWAITING_APPROVAL, Stage.BLOCKED})
DONE = frozenset({Stage.COLLECTED})
_REFRESH_EVERY = 10.0  # seconds between projection refreshes while runs go on (and at every stage)


@attrs.frozen(kw_only=True)
class Step:
    """
    What one :meth:`Bridge.advance` did: the stage before and after, and a sentence.
    """

    before: Stage
    after: Stage
    action: str

    @property
    def waiting(self) -> bool:
        """
        True when the pipeline stopped for a person (approval, or blocked).
        """
        return self.after in WAITING


def _project_root(target: str | Path | Plan) -> Path:
    if isinstance(target, Plan):
        plan_file = Path(target.plan_file) if target.plan_file else None
        if plan_file is None or not plan_file.is_absolute():
            raise InputError("pass project= with a Plan whose file path is relative or unknown")
        return (
            plan_file.parent.parent if plan_file.parent.name == "refine-logs" else plan_file.parent
        )
    path = Path(target).resolve()
    if path.is_file():
        return path.parent.parent if path.parent.name == "refine-logs" else path.parent
    return path


class Bridge:
    """
    The pipeline for one project.

    Args:
        plan_or_project: the project directory, a plan file inside it, or a loaded ``Plan``.
        project: the project directory when it cannot be told from the first argument.
        store: the event store (default: ``<project>/.bridge/events.db``).
        backend, implementer, reviewer, gate, notifier: ports; built from ``bridge.toml`` when None.
        clock: returns the current aware UTC time (default: the system clock).
        options: option overrides (``{"max_parallel": 2}``), above every other source.

    Raises:
        InputError: the plan or configuration is wrong (``PlanError``, ``ConfigError``).
    """

    def __init__(
        self,
        plan_or_project: str | Path | Plan,
        *,
        project: str | Path | None = None,
        store: EventStore | None = None,
        backend: Backend | None = None,
        implementer: Implementer | None = None,
        reviewer: Reviewer | None = None,
        gate: Gate | None = None,
        notifier: Notifier | None = None,
        clock: Callable[[], datetime] | None = None,
        options: Mapping[str, object] | None = None,
    ) -> None:
        self.root = (
            Path(project).resolve() if project is not None else _project_root(plan_or_project)
        )
        self.project: LoadedProject = load_project(self.root, overrides=dict(options or {}))
        self._clock = clock or utc_now
        self._store = store or SQLiteEventStore(
            self.root / ".bridge" / "events.db", clock=self._clock
        )
        self._backend = backend
        self._implementer = implementer
        self._reviewer = reviewer
        self._gate = gate
        self._notifier = notifier if notifier is not None else bootstrap.make_notifier(self.project)
        self._folder = Folder().apply_all(self._store.read())
        self._writer = ProjectionWriter(self.root)
        self._last_refresh = 0.0
        self._log = log.bind(project=str(self.root))

    # -- public API -------------------------------------------------------------------------

    def status(self) -> PipelineState:
        """
        The pipeline's state as the log tells it now.
        """
        self._catch_up()
        return self._folder.state()

    def summary(self) -> str:
        """
        The handoff summary ``bridge run`` ends with (see :func:`handoff_summary`).
        """
        return handoff_summary(self.status())

    def advance(self) -> Step:
        """
        Take exactly one stage transition (running the runs it needs) and return it.

        Raises:
            LockedError: another bridge process is working on this project.
        """
        with self._locked():
            return self._advance()

    def run(self, until: Stage | None = None) -> Stage:
        """
        Advance until COLLECTED, a waiting stage (AWAITING_APPROVAL, BLOCKED) or ``until``.
        """
        with self._locked():
            while True:
                step = self._advance()
                stage = step.after
                if (
                    stage in DONE
                    or stage in WAITING
                    or stage is until
                    or (step.before is step.after and stage is not Stage.DEPLOYED)
                ):
                    self._refresh(force=True)
                    return stage

    def approve(self, by: str = "") -> Step:
        """
        Approve deployment at the AWAITING_APPROVAL checkpoint.

        Raises:
            InputError: nothing is waiting for approval.
        """
        with self._locked():
            state = self.status()
            if state.stage is not Stage.AWAITING_APPROVAL:
                raise InputError(f"nothing to approve: the pipeline is at {state.stage.value}")
            self._append("bridge", [ev.Approved(by=by or os.environ.get("USER", ""))])
            return self._enter("approve", "approved by a person")

    def cancel(self, run_id: str) -> None:
        """
        Cancel a run: kill its process group if live, or keep it from launching.

        Raises:
            UnknownRunError: the plan has no such run.
            InputError: the run already ended.
        """
        state = self.status()
        run = self._run(state, run_id)
        if run.state in TERMINAL_RUN_STATES:
            raise InputError(f"run {run_id} already ended ({run.state.value}); nothing to cancel")
        attempt = run.current
        if run.state in (RunState.SUBMITTED, RunState.RUNNING) and attempt is not None:
            handle = attempt.handle or self.backend.find(attempt.attempt_id)
            if handle is not None:
                self.backend.cancel(handle)
            self._append(
                f"run:{run_id}",
                [
                    ev.RunCancelled(
                        run_id=run_id, attempt_id=attempt.attempt_id, reason="cancelled by a person"
                    )
                ],
                run.stream_version,
            )
        else:
            self._append(
                f"run:{run_id}",
                [ev.RunCancelled(run_id=run_id, reason="cancelled by a person")],
                run.stream_version,
            )
        self._refresh(force=True)

    def retry(self, run_id: str) -> None:
        """
        Put a failed, stuck, lost, timed-out or cancelled run back to pending.

        Raises:
            UnknownRunError: the plan has no such run.
            InputError: the run is not in a state that can be retried.
        """
        state = self.status()
        run = self._run(state, run_id)
        retryable = {
            RunState.FAILED,
            RunState.STUCK,
            RunState.LOST,
            RunState.CANCELLED,
            RunState.TIMED_OUT,
            RunState.FAILED_OOM,
        }
        if run.state not in retryable:
            raise InputError(
                f"run {run_id} is {run.state.value}; only failed, stuck, lost, "
                "timed-out or cancelled runs can be retried"
            )
        self._append(
            f"run:{run_id}",
            [ev.RunRetryScheduled(run_id=run_id, reason="retry asked by a person", manual=True)],
            run.stream_version,
        )
        if state.stage is Stage.COLLECTED:
            self._enter("redeploy", f"retrying {run_id}")
        self._refresh(force=True)

    @property
    def backend(self) -> Backend:
        """
        The backend (built from ``bridge.toml`` on first use).
        """
        if self._backend is None:
            self._backend = bootstrap.make_backend(self.project)
        return self._backend

    def close(self) -> None:
        """
        Release the backend and the store.
        """
        if self._backend is not None:
            self._backend.release()
        self._store.close()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        lock_path = self.root / ".bridge" / "lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise LockedError(
                    f"another bridge process ({holder}) is working on {self.root}; "
                    "wait for it or stop it first"
                ) from exc
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _catch_up(self) -> None:
        for record in self._store.read(after=self._folder.state().last_seq):
            self._folder.apply(record)

    def _append(self, stream: str, events: Sequence[Any], expected: int | None = None) -> None:
        self._store.append(stream, list(events), expected)
        self._catch_up()
        self._refresh()

    def _refresh(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_refresh < _REFRESH_EVERY:
            return
        self._last_refresh = now
        state = self._folder.state()
        written = self._writer.refresh(state)
        if written:
            self._store.append("bridge", written, None)
            self._catch_up()

    def _enter(self, trigger: str, reason: str) -> Step:
        before = self.status().stage
        after = next_stage(before, trigger)
        self._append("bridge", [ev.StageEntered(stage=after.value, trigger=trigger, reason=reason)])
        self._refresh(force=True)
        self._log.info("stage_entered", stage=after.value, trigger=trigger, reason=reason)
        return Step(before=before, after=after, action=reason)

    def _run(self, state: PipelineState, run_id: str) -> Any:
        run = state.runs.get(run_id)
        if run is None:
            raise UnknownRunError(
                f"no run {run_id!r} in this plan (runs: {', '.join(list(state.runs)[:8])}…)"
            )
        return run

    def _notify(self, event: str, title: str, text: str) -> None:
        if self._notifier is None:
            return
        wants = getattr(self._notifier, "wants", None)
        if wants is not None and not wants(event):
            return
        self._notifier.notify(title, text)

    # -- the stages -------------------------------------------------------------------------

    def _advance(self) -> Step:
        self._catch_up()
        state = self._folder.state()
        if state.plan is None:
            self._load()
            state = self._folder.state()
        handler = {
            Stage.PLANNED: self._implement,
            Stage.IMPLEMENTED: self._review,
            Stage.REVIEWED: self._sanity,
            Stage.SANITY_FAILED: self._after_sanity_failure,
            Stage.RESCUE: self._rescue,
            Stage.SANITY_OK: lambda: self._enter("deploy", "sanity passed; deploying the plan"),
            Stage.DEPLOYED: self._deploy,
        }.get(state.stage)
        if handler is None:
            return Step(
                before=state.stage, after=state.stage, action=f"waiting at {state.stage.value}"
            )
        return handler()

    def _load(self) -> None:
        from bridge.pipeline_events import plan_events

        for stream, events in plan_events(self.project):
            self._append(stream, events)

    def _commands(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for run in self._folder.state().runs.values():
            if run.spec.command:
                out[run.run_id] = render_argv(
                    run.spec.command, {**run.spec.params, "output_dir": "OUT", "gpu": ""}
                )
        return out

    def _setup_params(self) -> dict[str, tuple[str, ...]]:
        from bridge.pipeline_events import setup_params

        return setup_params(self.project)

    def _request(self, findings: Sequence[Finding] = ()) -> ImplementRequest:
        from bridge.pipeline_events import plan_excerpt

        return ImplementRequest(
            project=self.root,
            plan_excerpt=plan_excerpt(self.project),
            method=self.project.plan.method,
            commands=self._commands(),
            findings=tuple(findings),
            setup_params=self._setup_params(),
        )

    @property
    def implementer(self) -> Implementer:
        """
        The implementer (built from ``bridge.toml`` on first use).
        """
        if self._implementer is None:
            self._implementer = bootstrap.make_implementer(self.project)
        return self._implementer

    @property
    def reviewer(self) -> Reviewer:
        """
        The reviewer (built from ``bridge.toml`` on first use).
        """
        if self._reviewer is None:
            self._reviewer = bootstrap.make_reviewer(
                self.project, self._commands(), self._setup_params()
            )
        return self._reviewer

    def _block(self, reason: str, findings: Sequence[Finding] = ()) -> Step:
        self._append("bridge", [ev.PipelineBlocked(reason=reason, findings=tuple(findings))])
        self._notify("blocked", "bridge: blocked", reason)
        return self._enter("block", reason)

    def _implement(self, findings: Sequence[Finding] = (), *, trigger: str = "implement") -> Step:
        state = self._folder.state()
        try:
            result = self.implementer.implement(self._request(findings))
        except ImplementError as exc:
            return self._block(f"implementation failed: {exc}")
        if result.base_commit and state.base_repo is None:
            self._append(
                "bridge",
                [
                    ev.BaseRepoCloned(
                        url=self.project.options.base_repo,
                        path="base_repo",
                        commit=result.base_commit,
                    )
                ],
            )
        self._append(
            "bridge",
            [
                ev.ImplementationRecorded(
                    implementer=self.implementer.name,
                    changed_files=dict(result.changed_files),
                    findings=tuple(result.findings),
                    summary=result.summary,
                    round=len(state.implementations) + 1,
                )
            ],
        )
        blocking = [f for f in result.findings if f.severity is Severity.BLOCKING]
        if blocking:
            return self._block(
                f"{len(blocking)} blocking finding(s): {blocking[0].message}", blocking
            )
        return self._enter(trigger, result.summary or "every run has code")

    def _review_once(self, round_: int) -> tuple[Finding, ...] | Step:
        if not self.project.options.code_review:
            self._append(
                "bridge",
                [
                    ev.CodeReviewed(
                        reviewer="none",
                        skipped=True,
                        round=round_,
                        text="code review is off (code_review = false)",
                    )
                ],
            )
            return ()
        files = _code_files(self.root, self._commands())
        request = ReviewRequest(
            purpose="code_review",
            project=self.root,
            plan_excerpt=self._request().plan_excerpt,
            method=self._request().method,
            files=files,
        )
        try:
            review = self.reviewer.review(request)
        except ReviewError as exc:
            return self._block(f"code review failed: {exc}")
        self._append(
            "bridge",
            [
                ev.CodeReviewed(
                    reviewer=review.reviewer,
                    findings=review.findings,
                    text=review.text,
                    local_only=review.local_only,
                    model=review.model,
                    round=round_,
                )
            ],
        )
        return review.blocking

    def _review(self) -> Step:
        rounds = len(self._folder.state().reviews)
        blocking = self._review_once(rounds + 1)
        if isinstance(blocking, Step):
            return blocking
        if blocking and self.implementer.can_fix:
            try:
                fix = self.implementer.implement(self._request(blocking))
            except ImplementError as exc:
                return self._block(f"fixing review findings failed: {exc}")
            self._append(
                "bridge",
                [
                    ev.ImplementationRecorded(
                        implementer=self.implementer.name,
                        changed_files=dict(fix.changed_files),
                        findings=tuple(fix.findings),
                        summary=fix.summary,
                        round=len(self._folder.state().implementations) + 1,
                    )
                ],
            )
            blocking = self._review_once(rounds + 2)
            if isinstance(blocking, Step):
                return blocking
        if blocking:
            return self._block(
                f"code review found {len(blocking)} blocking issue(s): {blocking[0].message}",
                blocking,
            )
        return self._enter(
            "review", "code reviewed" if self.project.options.code_review else "code review off"
        )

    def _policy(self) -> Policy:
        return Policy(
            max_parallel=self.project.options.max_parallel,
            sanity_first=self.project.options.sanity_first,
            budget_enforce=self.project.options.budget == "enforce",
        )

    def _dispatcher(self) -> Dispatcher:
        from bridge.pipeline_events import collect_metrics

        def finished(run_id: str) -> None:
            events = collect_metrics(self.project, self._folder.state(), run_id)
            if events:
                run = self._folder.state().runs[run_id]
                self._append(f"run:{run_id}", events, run.stream_version)

        return Dispatcher(
            self.root,
            self.backend,
            self.status,
            self._append_expected,
            self._clock,
            self._policy(),
            on_finished=finished,
        )

    def _append_expected(self, stream: str, events: Sequence[Any], expected: int | None) -> None:
        self._append(stream, events, expected)

    def _sanity(self) -> Step:
        state = self._folder.state()
        options = self.project.options
        if not options.auto_deploy and not state.approved:
            from bridge.pipeline_events import approval_summary

            summary = approval_summary(self.project, state)
            self._append("bridge", [ev.ApprovalRequested(summary=summary)])
            return self._enter(
                "request_approval", "auto_deploy is off: waiting for `bridge approve`"
            )
        sanity = sanity_milestones(state) if options.sanity_first else set()
        runs = [r for r in state.runs.values() if r.spec.milestone in sanity]
        if not runs:
            self._append(
                "bridge", [ev.SanityChecked(passed=True, detail="no sanity milestone in the plan")]
            )
            return self._enter("pass_sanity", "no sanity milestone; nothing to check first")
        for run in runs:  # a second sanity pass re-runs what failed before
            if run.state in TERMINAL_RUN_STATES and run.state is not RunState.SUCCEEDED:
                self._append(
                    f"run:{run.run_id}",
                    [
                        ev.RunRetryScheduled(
                            run_id=run.run_id, reason="sanity runs again", manual=True
                        )
                    ],
                    run.stream_version,
                )
        self._dispatcher().run_phase("sanity")
        state = self._folder.state()
        runs = [r for r in state.runs.values() if r.spec.milestone in sanity]
        failed = [r for r in runs if r.state is not RunState.SUCCEEDED]
        if not failed:
            self._append(
                "bridge",
                [ev.SanityChecked(passed=True, detail=f"{len(runs)} sanity run(s) passed")],
            )
            self._notify("milestone", "bridge: sanity passed", f"{len(runs)} sanity run(s) passed")
            return self._enter("pass_sanity", "sanity milestone passed")
        failures = [
            (r.spec.system, r.current.exit_code if r.current else None, _log_tail(self.root, r))
            for r in failed
        ]
        signature = failure_signature(failures)
        detail = "; ".join(f"{r.run_id}: {r.reason}" for r in failed)[:2000]
        self._append("bridge", [ev.SanityChecked(passed=False, signature=signature, detail=detail)])
        self._notify("failure", "bridge: sanity failed", detail)
        return self._enter("fail_sanity", f"sanity failed: {detail[:200]}")

    def _after_sanity_failure(self) -> Step:
        state = self._folder.state()
        checks = [c for c in state.sanity_checks if not c.passed]
        last = checks[-1]
        repeats = sum(1 for c in checks if c.signature == last.signature)
        if repeats >= 2:
            if self.project.options.rescue_on_failure:
                return self._enter(
                    "rescue", "the same sanity failure twice: asking for a diagnosis"
                )
            return self._block(f"sanity failed twice the same way: {last.detail[:300]}")
        if self.implementer.can_fix:
            finding = Finding(severity=Severity.BLOCKING, message=f"sanity failed: {last.detail}")
            return self._implement([finding])
        return self._enter("retry_sanity", "sanity failed once; running it again")

    def _rescue(self) -> Step:
        state = self._folder.state()
        last = [c for c in state.sanity_checks if not c.passed][-1]
        failed = [
            r
            for r in state.runs.values()
            if r.spec.milestone in sanity_milestones(state) and r.state is not RunState.SUCCEEDED
        ]
        failure = "\n\n".join(
            f"run {r.run_id} ({r.spec.system}) on {self.backend.name}\ncommand: "
            f"{' '.join(r.current.argv) if r.current else ''}\nexit: "
            f"{r.current.exit_code if r.current else None}\nlog:\n{_log_tail(self.root, r)}"
            for r in failed
        )
        request = ReviewRequest(
            purpose="rescue",
            project=self.root,
            plan_excerpt=self._request().plan_excerpt,
            method=self._request().method,
            files=_code_files(self.root, self._commands()),
            failure=f"signature {last.signature}\n{failure}",
        )
        try:
            review = self.reviewer.review(request)
        except ReviewError as exc:
            return self._block(f"rescue diagnosis failed: {exc}")
        self._append(
            "bridge",
            [
                ev.RescueDiagnosed(
                    reviewer=review.reviewer, findings=review.findings, text=review.text
                )
            ],
        )
        fixes = [f for f in review.findings if f.severity is Severity.BLOCKING] or list(
            review.findings
        )
        if self.implementer.can_fix and fixes:
            return self._implement(fixes)
        return self._block(
            f"sanity fails repeatedly; diagnosis: {review.text[:400]}", review.findings
        )

    def _deploy(self) -> Step:
        self._dispatcher().run_phase("deploy", idle=self._refresh)
        state = self._folder.state()
        must = [r for r in state.runs.values() if r.spec.priority == "must"]
        done = sum(1 for r in must if r.state is RunState.SUCCEEDED)
        text = f"{done}/{len(must)} must-run runs succeeded"
        self._notify("finished", "bridge: runs finished", text)
        return self._enter("collect", text)


def _log_tail(root: Path, run: Any) -> str:
    attempt = run.current
    if attempt is None:
        return ""
    base = root / ".bridge" / "runs" / run.run_id / attempt.attempt_id
    text = ""
    for name in ("stdout.log", "stderr.log"):
        try:
            text += (base / name).read_text(errors="replace")[-4000:]
        except OSError:
            continue
    return text


def _code_files(
    root: Path, commands: Mapping[str, Sequence[str]], limit: int = 200_000
) -> dict[str, str]:
    files: dict[str, str] = {}
    total = 0
    for argv in commands.values():
        for token in argv:
            if token.endswith(".py") and (root / token).is_file() and token not in files:
                text = (root / token).read_text(errors="replace")
                total += len(text)
                if total > limit:
                    return files
                files[token] = text
                for sibling in sorted((root / token).parent.glob("*.py")):
                    rel = str(sibling.relative_to(root))
                    if rel not in files and total + sibling.stat().st_size < limit:
                        files[rel] = sibling.read_text(errors="replace")
                        total += len(files[rel])
    return files
