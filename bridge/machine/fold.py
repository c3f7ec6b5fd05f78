"""
The fold: from the event log to the pipeline's state.

State is always the fold of the log; nothing else is authoritative. :func:`fold` is pure and
deterministic: the same records give the same state. :class:`Folder` does the same work one record
at a time, so the pipeline can keep its state current without re-reading the log, and
``fold(all) == Folder-applied-incrementally`` is a tested invariant.

Every transition is checked against the tables in :mod:`bridge.machine.table`; an illegal one
raises :class:`~bridge.errors.TransitionError` naming the record's ``seq``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.events.store import Recorded
from bridge.events.values import Finding, JobHandle, Slot
from bridge.machine.stages import RunState, Stage
from bridge.machine.table import next_run_state, next_stage

__all__ = ["AttemptView", "Folder", "PipelineState", "RunView", "fold"]


@attrs.frozen(kw_only=True)
class AttemptView:
    """
    One launch of a run: where, when, and how it ended (``state`` is the run state it led to).
    """

    attempt_id: str
    number: int
    backend: str
    slots: tuple[Slot, ...]
    argv: tuple[str, ...]
    output_dir: str
    submitted_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    handle: JobHandle | None = None
    state: RunState = RunState.SUBMITTED
    exit_code: int | None = None
    reason: str = ""
    overdue: bool = False
    gpu_seconds: float = 0.0
    local_dir: str = ""


@attrs.frozen(kw_only=True)
class RunView:
    """
    One run as the log tells it: its plan, its state, and every attempt.
    """

    spec: ev.RunPlanned
    state: RunState
    attempts: tuple[AttemptView, ...] = ()
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    reason: str = ""
    oom_failures: int = 0
    failures: int = 0
    stream_version: int = 0

    @property
    def run_id(self) -> str:
        """
        The run's id.
        """
        return self.spec.run_id

    @property
    def current(self) -> AttemptView | None:
        """
        The latest attempt, or None before the first launch.
        """
        return self.attempts[-1] if self.attempts else None

    @property
    def gpu_seconds(self) -> float:
        """
        GPU-seconds used by all attempts (wall time × GPUs).
        """
        return sum(a.gpu_seconds for a in self.attempts)


@attrs.frozen(kw_only=True)
class PipelineState:
    """
    The whole pipeline as the log tells it.

    Attributes:
        stage: the current stage.
        plan: the latest ``PlanLoaded``, or None before the plan is loaded.
        runs: every planned run by id, in planning order.
        approved: a person approved deployment since the last approval request.
        last_seq: the seq of the newest record folded (0 for an empty log).
        last_recorded_at: the time of the newest record folded.
        last_content_seq: the seq of the newest record that is not ``OutputWritten``.
        last_content_at: its time; projections are stamped with it, so recording that a file was
            written never changes what the file should contain.
        events: how many records were folded.
    """

    stage: Stage = Stage.PLANNED
    plan: ev.PlanLoaded | None = None
    runs: Mapping[str, RunView] = attrs.field(factory=dict)
    approved: bool = False
    implementations: tuple[ev.ImplementationRecorded, ...] = ()
    reviews: tuple[ev.CodeReviewed, ...] = ()
    rescues: tuple[ev.RescueDiagnosed, ...] = ()
    sanity_checks: tuple[ev.SanityChecked, ...] = ()
    base_repo: ev.BaseRepoCloned | None = None
    blocked: ev.PipelineBlocked | None = None
    approval: ev.ApprovalRequested | None = None
    stage_history: tuple[tuple[int, ev.StageEntered], ...] = ()
    milestones_completed: tuple[str, ...] = ()
    budget_warnings: tuple[ev.BudgetWarned, ...] = ()
    outputs: tuple[ev.OutputWritten, ...] = ()
    last_seq: int = 0
    last_recorded_at: datetime | None = None
    last_content_seq: int = 0
    last_content_at: datetime | None = None
    events: int = 0

    @property
    def gpu_hours_used(self) -> float:
        """
        GPU-hours used by every attempt of every run.
        """
        return sum(run.gpu_seconds for run in self.runs.values()) / 3600.0

    def runs_in(self, milestone: str) -> tuple[RunView, ...]:
        """
        The runs of ``milestone``, in planning order.
        """
        return tuple(run for run in self.runs.values() if run.spec.milestone == milestone)


@attrs.define
class _Run:
    spec: ev.RunPlanned
    state: RunState = RunState.PENDING
    attempts: list[AttemptView] = attrs.Factory(list)
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    reason: str = ""
    oom_failures: int = 0
    failures: int = 0
    version: int = 0

    def view(self) -> RunView:
        return RunView(
            spec=self.spec,
            state=self.state,
            attempts=tuple(self.attempts),
            not_before=self.not_before,
            avoid_slots=self.avoid_slots,
            reason=self.reason,
            oom_failures=self.oom_failures,
            failures=self.failures,
            stream_version=self.version,
        )


_FINISH_TRIGGERS: dict[type[Any], str] = {
    ev.RunSucceeded: "succeed",
    ev.RunTimedOut: "time_out",
    ev.RunLost: "lose",
}


class Folder:
    """
    Applies records one by one; :meth:`state` returns the immutable state so far.
    """

    def __init__(self) -> None:
        self._stage = Stage.PLANNED
        self._runs: dict[str, _Run] = {}
        self._fields: dict[str, Any] = {}
        self._lists: dict[str, list[Any]] = {
            "implementations": [],
            "reviews": [],
            "rescues": [],
            "sanity_checks": [],
            "stage_history": [],
            "milestones_completed": [],
            "budget_warnings": [],
            "outputs": [],
        }
        self._approved = False
        self._last_seq = 0
        self._last_at: datetime | None = None
        self._content_seq = 0
        self._content_at: datetime | None = None
        self._count = 0
        self._snapshot: PipelineState | None = None

    def apply_all(self, records: Iterable[Recorded]) -> Folder:
        """
        Apply every record in order; returns self.
        """
        for record in records:
            self.apply(record)
        return self

    def apply(self, record: Recorded) -> None:
        """
        Apply one record.

        Raises:
            TransitionError: the record's event is not legal in the state so far.
        """
        if record.seq <= self._last_seq:
            raise TransitionError(
                f"records out of order: {record.seq} after {self._last_seq}", seq=record.seq
            )
        self._snapshot = None
        evt = record.event
        seq = record.seq
        if record.stream.startswith("run:"):
            self._apply_run(evt, record, seq)
            self._runs[record.stream[4:]].version = record.version
        else:
            self._apply_pipeline(evt, seq)
        self._last_seq = seq
        self._last_at = record.recorded_at
        if not isinstance(evt, ev.OutputWritten):
            self._content_seq = seq
            self._content_at = record.recorded_at
        self._count += 1

    # -- pipeline stream ------------------------------------------------------------------

    def _apply_pipeline(self, evt: Any, seq: int) -> None:
        lists = self._lists
        if isinstance(evt, ev.StageEntered):
            target = Stage(evt.stage)
            dest = next_stage(self._stage, evt.trigger, seq=seq)
            if dest is not target:
                raise TransitionError(
                    f"{evt.trigger!r} from {self._stage.value} leads to {dest.value}, "
                    f"but the log says {target.value}",
                    seq=seq,
                )
            if evt.trigger == "request_approval":
                self._approved = False
            if evt.trigger == "reopen":
                self._fields["blocked"] = None
            self._stage = dest
            lists["stage_history"].append((seq, evt))
        elif isinstance(evt, ev.PlanLoaded):
            self._fields["plan"] = evt
        elif isinstance(evt, ev.Approved):
            if self._stage is not Stage.AWAITING_APPROVAL:
                raise TransitionError("approval recorded while nothing awaited it", seq=seq)
            self._approved = True
        elif isinstance(evt, ev.ApprovalRequested):
            self._fields["approval"] = evt
        elif isinstance(evt, ev.ImplementationRecorded):
            lists["implementations"].append(evt)
        elif isinstance(evt, ev.CodeReviewed):
            lists["reviews"].append(evt)
        elif isinstance(evt, ev.RescueDiagnosed):
            lists["rescues"].append(evt)
        elif isinstance(evt, ev.SanityChecked):
            lists["sanity_checks"].append(evt)
        elif isinstance(evt, ev.BaseRepoCloned):
            self._fields["base_repo"] = evt
        elif isinstance(evt, ev.PipelineBlocked):
            self._fields["blocked"] = evt
        elif isinstance(evt, ev.MilestoneCompleted):
            lists["milestones_completed"].append(evt.milestone)
        elif isinstance(evt, ev.BudgetWarned):
            lists["budget_warnings"].append(evt)
        elif isinstance(evt, ev.OutputWritten):
            lists["outputs"].append(evt)
        else:
            raise TransitionError(
                f"{type(evt).__name__} does not belong on the bridge stream", seq=seq
            )

    # -- run streams ----------------------------------------------------------------------

    def _apply_run(self, evt: Any, record: Recorded, seq: int) -> None:
        run_id = record.stream[4:]
        if isinstance(evt, ev.RunPlanned):
            if evt.run_id != run_id:
                raise TransitionError(
                    f"RunPlanned for {evt.run_id} on stream {record.stream}", seq=seq
                )
            existing = self._runs.get(run_id)
            if existing is None:
                self._runs[run_id] = _Run(spec=evt)
            else:
                existing.state = next_run_state(run_id, existing.state, "replan", seq=seq)
                existing.spec = evt
            return
        run = self._runs.get(run_id)
        if run is None:
            raise TransitionError(f"{type(evt).__name__} for unplanned run {run_id}", seq=seq)
        if getattr(evt, "run_id", run_id) != run_id:
            raise TransitionError(f"event for {evt.run_id} on stream {record.stream}", seq=seq)
        at = record.recorded_at
        if isinstance(evt, ev.RunSubmitted):
            run.state = next_run_state(run_id, run.state, "submit", seq=seq)
            run.attempts.append(
                AttemptView(
                    attempt_id=evt.attempt_id,
                    number=evt.attempt,
                    backend=evt.backend,
                    slots=evt.slots,
                    argv=evt.argv,
                    output_dir=evt.output_dir,
                    submitted_at=at,
                )
            )
            run.not_before = None
            return
        if isinstance(evt, ev.RunRetryScheduled):
            run.state = next_run_state(run_id, run.state, "retry", seq=seq)
            run.not_before = evt.not_before
            run.avoid_slots = evt.avoid_slots
            run.reason = evt.reason
            return
        if isinstance(evt, ev.RunStuck):
            run.state = next_run_state(run_id, run.state, "give_up", seq=seq)
            run.reason = evt.reason
            return
        if isinstance(evt, ev.RunCancelled) and not evt.attempt_id:
            run.state = next_run_state(run_id, run.state, "cancel", seq=seq)
            run.reason = evt.reason
            return
        attempt_id = evt.attempt_id
        current = run.attempts[-1] if run.attempts else None
        if current is None or current.attempt_id != attempt_id:
            raise TransitionError(
                f"{type(evt).__name__} names attempt {attempt_id} of run {run_id}, "
                f"whose current attempt is {current.attempt_id if current else 'none'}",
                seq=seq,
            )
        if isinstance(evt, ev.RunStarted):
            run.state = next_run_state(run_id, run.state, "start", seq=seq)
            run.attempts[-1] = attrs.evolve(
                current, handle=evt.handle, started_at=at, state=run.state
            )
        elif isinstance(evt, ev.RunOverdue):
            run.state = next_run_state(run_id, run.state, "flag_overdue", seq=seq)
            run.attempts[-1] = attrs.evolve(current, overdue=True)
        elif isinstance(evt, ev.ArtifactsFetched):
            run.attempts[-1] = attrs.evolve(current, local_dir=evt.local_dir)
        else:
            if isinstance(evt, ev.RunFailed):
                trigger = "fail_oom" if evt.oom else "fail"
                exit_code, reason = evt.exit_code, evt.reason
                if evt.oom:
                    run.oom_failures += 1
                else:
                    run.failures += 1
            elif isinstance(evt, ev.RunSucceeded):
                trigger, exit_code, reason = "succeed", evt.exit_code, ""
            elif isinstance(evt, ev.RunCancelled):
                trigger, exit_code, reason = "cancel", None, evt.reason
            elif type(evt) in _FINISH_TRIGGERS:
                trigger, exit_code = _FINISH_TRIGGERS[type(evt)], None
                reason = getattr(evt, "reason", "") or trigger.replace("_", " ")
            else:
                raise TransitionError(
                    f"{type(evt).__name__} does not belong on a run stream", seq=seq
                )
            run.state = next_run_state(run_id, run.state, trigger, seq=seq)
            run.reason = reason
            run.attempts[-1] = attrs.evolve(
                current,
                state=run.state,
                finished_at=at,
                exit_code=exit_code,
                reason=reason,
                gpu_seconds=evt.gpu_seconds,
            )

    # -- snapshot -------------------------------------------------------------------------

    def state(self) -> PipelineState:
        """
        Return the immutable state after every record applied so far.
        """
        if self._snapshot is None:
            lists = self._lists
            self._snapshot = PipelineState(
                stage=self._stage,
                plan=self._fields.get("plan"),
                runs={run_id: run.view() for run_id, run in self._runs.items()},
                approved=self._approved,
                implementations=tuple(lists["implementations"]),
                reviews=tuple(lists["reviews"]),
                rescues=tuple(lists["rescues"]),
                sanity_checks=tuple(lists["sanity_checks"]),
                base_repo=self._fields.get("base_repo"),
                blocked=self._fields.get("blocked"),
                approval=self._fields.get("approval"),
                stage_history=tuple(lists["stage_history"]),
                milestones_completed=tuple(lists["milestones_completed"]),
                budget_warnings=tuple(lists["budget_warnings"]),
                outputs=tuple(lists["outputs"]),
                last_seq=self._last_seq,
                last_recorded_at=self._last_at,
                last_content_seq=self._content_seq,
                last_content_at=self._content_at,
                events=self._count,
            )
        return self._snapshot


def fold(records: Iterable[Recorded]) -> PipelineState:
    """
    Fold records (in ``seq`` order) into the pipeline state. Pure and deterministic.

    Raises:
        TransitionError: an illegal transition, naming its ``seq``.
    """
    return Folder().apply_all(records).state()


def findings_of(state: PipelineState) -> tuple[Finding, ...]:
    """
    The findings of the latest implementation and review, for renderers.
    """
    found: list[Finding] = []
    if state.implementations:
        found.extend(state.implementations[-1].findings)
    if state.reviews:
        found.extend(state.reviews[-1].findings)
    return tuple(found)
