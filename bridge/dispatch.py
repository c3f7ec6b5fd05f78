"""
Carrying the scheduler's decisions out: launching, watching and finishing runs on a backend.

Launches follow intent → act → confirm: ``RunSubmitted`` (with the attempt id) is appended first,
then the backend launches with that id as its idempotency key, then ``RunStarted`` is appended.
After a crash, :meth:`Dispatcher.reconcile` asks the backend about every submitted or running
attempt: a live one is adopted, a finished one collected, a missing one launched exactly once.
Waiting is the backend's ``wait``, which wakes within a second of a local process exiting.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog

from bridge.errors import BackendError, ConcurrencyError
from bridge.events import types as ev
from bridge.machine.classify import is_oom, last_error_line
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.ports import Backend, JobHandle, JobSpec, JobState, JobStatus, Slot
from bridge.machine.scheduler import (
    LIVE,
    Cancel,
    GiveUp,
    Launch,
    Policy,
    Retry,
    WarnBudget,
    decide,
    phase_done,
)
from bridge.machine.stages import RunState
from bridge.plan import render_argv

__all__ = ["Dispatcher", "attempt_id_for"]

log = structlog.get_logger("bridge.dispatch")
Append = Callable[[str, Sequence[Any], int | None], None]
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def attempt_id_for(run_id: str, number: int) -> str:
    """
    The attempt id of a run's ``number``-th attempt: safe as a file and directory name.
    """
    return f"{_SAFE.sub('_', run_id).strip('._') or 'run'}-a{number}"


class Dispatcher:
    """
    Runs one phase (sanity or deploy) of the plan on a backend until every run in it is terminal.

    Args:
        project: the project root (local attempt directories live under ``.bridge/runs``).
        backend: where runs execute.
        state: returns the current folded state.
        append: appends events to a stream at an expected version (None: any).
        now: the clock.
        policy: the scheduling settings.
        on_finished: called with each run id whose attempt finished successfully (metrics).
    """

    def __init__(
        self,
        project: Path,
        backend: Backend,
        state: Callable[[], PipelineState],
        append: Append,
        now: Callable[[], datetime],
        policy: Policy,
        on_finished: Callable[[str], None] = lambda _run: None,
    ) -> None:
        self.project = project
        self.backend = backend
        self.state = state
        self.append = append
        self.now = now
        self.policy = policy
        self.on_finished = on_finished
        self._slots: tuple[Slot, ...] | None = None

    # -- the loop -----------------------------------------------------------------------------

    def run_phase(self, phase: str, *, idle: Callable[[], None] = lambda: None) -> None:
        """
        Launch, watch and finish the phase's runs until all are terminal.
        """
        self.reconcile()
        while True:
            self.poll_all()
            launched = self.apply(
                decide(self.state(), self.slots(), self.now(), self.policy, phase=phase)
            )
            state = self.state()
            if phase_done(state, self.policy, phase):
                return
            live = [r for r in state.runs.values() if r.state in LIVE]
            if not live and not launched and not self._waiting_for_backoff(state):
                self._cancel_unlaunchable(state, phase)
                continue
            idle()
            handles = [r.current.handle for r in live if r.current and r.current.handle]
            self.backend.wait(handles, timeout=self._wait_timeout(state))

    def slots(self) -> tuple[Slot, ...]:
        """
        The backend's slots, probed once per dispatcher (plus any held by live runs).
        """
        if self._slots is None:
            self._slots = tuple(self.backend.preflight())
        return self._slots

    def _waiting_for_backoff(self, state: PipelineState) -> bool:
        now = self.now()
        return any(
            r.state is RunState.PENDING and r.not_before is not None and r.not_before > now
            for r in state.runs.values()
        )

    def _wait_timeout(self, state: PipelineState) -> float:
        now = self.now()
        soonest = 5.0
        for run in state.runs.values():
            if run.state is RunState.PENDING and run.not_before is not None:
                soonest = min(soonest, max((run.not_before - now).total_seconds(), 0.05))
        return soonest

    def _cancel_unlaunchable(self, state: PipelineState, phase: str) -> None:
        offered = self.slots()
        gpus = sum(1 for s in offered if s.gpu is not None)
        for run in state.runs.values():
            if run.state is RunState.PENDING:
                reason = (
                    f"not run: needs {run.spec.gpus} GPU(s) on one host; the backend offers {gpus}"
                    if run.spec.gpus
                    else "not run: nothing it waits for can finish"
                )
                self._append_run(run, [ev.RunCancelled(run_id=run.run_id, reason=reason)])

    # -- decisions ----------------------------------------------------------------------------

    def apply(self, decisions: Sequence[Any]) -> int:
        """
        Carry decisions out in order; return how many runs were launched.
        """
        launched = 0
        for decision in decisions:
            state = self.state()
            if isinstance(decision, WarnBudget):
                self.append(
                    "bridge",
                    [
                        ev.BudgetWarned(
                            threshold=decision.threshold,
                            used_gpu_hours=decision.used,
                            planned_gpu_hours=decision.planned,
                        )
                    ],
                    None,
                )
                continue
            run = state.runs[decision.run_id]
            if isinstance(decision, Retry):
                self._append_run(
                    run,
                    [
                        ev.RunRetryScheduled(
                            run_id=run.run_id,
                            reason=decision.reason,
                            not_before=decision.not_before,
                            avoid_slots=decision.avoid_slots,
                        )
                    ],
                )
            elif isinstance(decision, GiveUp):
                self._append_run(run, [ev.RunStuck(run_id=run.run_id, reason=decision.reason)])
            elif isinstance(decision, Cancel):
                self._append_run(run, [ev.RunCancelled(run_id=run.run_id, reason=decision.reason)])
            elif isinstance(decision, Launch) and self.launch(run, decision.slots):
                launched += 1
        return launched

    def _append_run(self, run: RunView, events: Sequence[Any]) -> None:
        expected = self._version(run)
        self.append(f"run:{run.run_id}", events, expected)

    @staticmethod
    def _version(run: RunView) -> int:
        # The run stream's version: one RunPlanned per plan load, plus every later event.
        return run.stream_version

    def launch(self, run: RunView, slots: tuple[Slot, ...]) -> bool:
        """
        Intent → act → confirm for the run's next attempt. False when another process won.
        """
        number = len(run.attempts) + 1
        attempt_id = attempt_id_for(run.run_id, number)
        output_dir = self.backend.output_dir(run.run_id, attempt_id)
        gpu = ",".join(str(s.gpu) for s in slots if s.gpu is not None)
        argv = render_argv(
            run.spec.command, {**run.spec.params, "output_dir": output_dir, "gpu": gpu}
        )
        try:
            self._append_run(
                run,
                [
                    ev.RunSubmitted(
                        run_id=run.run_id,
                        attempt_id=attempt_id,
                        attempt=number,
                        backend=self.backend.name,
                        slots=slots,
                        argv=argv,
                        output_dir=output_dir,
                    )
                ],
            )
        except ConcurrencyError:
            log.info("launch_lost_race", run_id=run.run_id, attempt_id=attempt_id)
            return False
        self._act(self.state().runs[run.run_id])
        return True

    def _spec(self, run: RunView) -> JobSpec:
        attempt = run.current
        assert attempt is not None
        timeout = run.spec.timeout_minutes * 60.0 if run.spec.timeout_minutes else None
        return JobSpec(
            run_id=run.run_id,
            attempt_id=attempt.attempt_id,
            argv=attempt.argv,
            env=dict(run.spec.env),
            slots=attempt.slots,
            cwd=run.spec.cwd,
            timeout_seconds=timeout,
            outputs=run.spec.outputs,
        )

    def _act(self, run: RunView, *, adopted: JobHandle | None = None) -> None:
        attempt = run.current
        assert attempt is not None
        try:
            handle = adopted or self.backend.submit(self._spec(run))
        except BackendError as exc:
            self._append_run(
                run,
                [
                    ev.RunFailed(
                        run_id=run.run_id,
                        attempt_id=attempt.attempt_id,
                        reason=f"launch failed: {exc}",
                    )
                ],
            )
            return
        self._append_run(
            run,
            [
                ev.RunStarted(
                    run_id=run.run_id,
                    attempt_id=attempt.attempt_id,
                    handle=handle,
                    adopted=adopted is not None,
                )
            ],
        )

    # -- reconciliation and polling -----------------------------------------------------------

    def reconcile(self) -> None:
        """
        Ask the backend about every submitted or running attempt (after a crash or restart).
        """
        for run in list(self.state().runs.values()):
            attempt = run.current
            if attempt is None or run.state not in LIVE:
                continue
            found = self.backend.find(attempt.attempt_id)
            if run.state is RunState.SUBMITTED:
                # Crashed between intent and confirm: adopt what was launched, or launch it now
                # (submit is idempotent on the attempt id, so this can never launch twice).
                self._act(run, adopted=found)
            elif found is None:
                self._append_run(
                    run,
                    [
                        ev.RunLost(
                            run_id=run.run_id,
                            attempt_id=attempt.attempt_id,
                            reason=f"{self.backend.name} has no trace of {attempt.attempt_id}",
                        )
                    ],
                )

    def poll_all(self) -> None:
        """
        Poll every live attempt once and record what finished; flag overdue runs.
        """
        now = self.now()
        for run in list(self.state().runs.values()):
            attempt = run.current
            if run.state is not RunState.RUNNING or attempt is None or attempt.handle is None:
                continue
            status = self.backend.poll(attempt.handle)
            if status.status in (JobStatus.RUNNING, JobStatus.QUEUED):
                est = run.spec.estimated_minutes
                started = attempt.started_at or attempt.submitted_at
                elapsed = (now - started).total_seconds() / 60.0
                if est and not attempt.overdue and elapsed > 2 * est:
                    self._append_run(
                        run,
                        [
                            ev.RunOverdue(
                                run_id=run.run_id,
                                attempt_id=attempt.attempt_id,
                                estimated_minutes=est,
                                elapsed_minutes=round(elapsed, 3),
                            )
                        ],
                    )
                continue
            self._finish(run, status, now)

    def _finish(self, run: RunView, status: JobState, now: datetime) -> None:
        attempt = run.current
        assert attempt is not None and attempt.handle is not None
        started = attempt.started_at or attempt.submitted_at
        gpu_seconds = max((now - started).total_seconds(), 0.0) * max(run.spec.gpus, 0)
        rid, aid = run.run_id, attempt.attempt_id
        local_dir = self.project / ".bridge" / "runs" / run.run_id / attempt.attempt_id
        events: list[Any] = []
        if status.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.TIMED_OUT):
            try:
                artifacts = tuple(self.backend.fetch_artifacts(attempt.handle, local_dir))
            except BackendError as exc:
                self._append_run(
                    run,
                    [
                        ev.RunFailed(
                            run_id=rid,
                            attempt_id=aid,
                            exit_code=status.exit_code,
                            reason=f"results could not be copied back: {exc}",
                            gpu_seconds=gpu_seconds,
                        )
                    ],
                )
                return
            events.append(
                ev.ArtifactsFetched(
                    run_id=rid,
                    attempt_id=aid,
                    local_dir=str(local_dir.relative_to(self.project)),
                    artifacts=artifacts,
                )
            )
        if status.status is JobStatus.SUCCEEDED:
            missing = _missing_outputs(run.spec.outputs, local_dir / "output")
            if missing:
                events.append(
                    ev.RunFailed(
                        run_id=rid,
                        attempt_id=aid,
                        exit_code=status.exit_code,
                        reason=f"exit 0 but expected outputs missing: {', '.join(missing)}",
                        gpu_seconds=gpu_seconds,
                    )
                )
            else:
                events.append(
                    ev.RunSucceeded(
                        run_id=rid, attempt_id=aid, exit_code=0, gpu_seconds=gpu_seconds
                    )
                )
        elif status.status is JobStatus.FAILED:
            oom = is_oom(status.exit_code, status.log_tail)
            reason = ("out of memory: " if oom else f"exit {status.exit_code}: ") + (
                last_error_line(status.log_tail) or status.detail
            )
            events.append(
                ev.RunFailed(
                    run_id=rid,
                    attempt_id=aid,
                    exit_code=status.exit_code,
                    reason=reason[:500],
                    oom=oom,
                    log_tail=status.log_tail[-2000:],
                    gpu_seconds=gpu_seconds,
                )
            )
        elif status.status is JobStatus.TIMED_OUT:
            events.append(
                ev.RunTimedOut(
                    run_id=rid,
                    attempt_id=aid,
                    timeout_minutes=run.spec.timeout_minutes,
                    gpu_seconds=gpu_seconds,
                )
            )
        elif status.status is JobStatus.CANCELLED:
            events.append(
                ev.RunCancelled(
                    run_id=rid,
                    attempt_id=aid,
                    reason=status.detail or "cancelled",
                    gpu_seconds=gpu_seconds,
                )
            )
        else:
            events.append(
                ev.RunLost(
                    run_id=rid,
                    attempt_id=aid,
                    reason=status.detail or "process gone without an exit code",
                    gpu_seconds=gpu_seconds,
                )
            )
        self._append_run(run, events)
        if isinstance(events[-1], ev.RunSucceeded):
            self.on_finished(run.run_id)


def _missing_outputs(patterns: Sequence[str], output_dir: Path) -> list[str]:
    if not patterns:
        return []
    present = (
        [str(p.relative_to(output_dir)) for p in output_dir.rglob("*") if p.is_file()]
        if output_dir.is_dir()
        else []
    )
    return [
        pattern for pattern in patterns if not any(fnmatch.fnmatch(f, pattern) for f in present)
    ]
