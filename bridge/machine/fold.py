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
from typing import Any, TypeAlias, assert_never  # Any: see Folder._fields

import attrs

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.events.store import Recorded
from bridge.events.values import Finding, JobHandle, Slot
from bridge.machine.stages import RunState, Stage
from bridge.machine.table import next_run_state, next_stage, run_lookup
from bridge.plan.priority import Priority

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
    waiting: str = ""  # why the backend's queue holds the attempt ("" when it does not)
    gpu_seconds: float = 0.0
    local_dir: str = ""
    metrics: ev.MetricsRecorded | None = None
    scratch_dir: str = ""  # the {scratch_dir} it was given, removed after collection
    gpu_memory_peak_mib: int | None = None  # the most GPU memory it was seen using
    inputs: tuple[ev.RunInput, ...] = ()  # lineage: {outputs_of:RUN} it read


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
    found_status: str = ""  # the tracker's status as written, when it was done before bridge

    @property
    def run_id(self) -> str:
        """
        The run's id.
        """
        return self.spec.run_id

    @property
    def directory(self) -> str:
        """
        The run's directory name (``.bridge/runs/<directory>``, the backends' run directories):
        the safe name recorded at planning when the id cannot name a directory, else the id.
        """
        return self.spec.directory or self.spec.run_id

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

    @property
    def metrics(self) -> ev.MetricsRecorded | None:
        """
        The metrics recorded for the latest attempt, or None (not finished, or not read yet).
        """
        return self.attempts[-1].metrics if self.attempts else None


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
        milestone_ids: the plan's milestones in order, then any milestone only runs name.
        run_ids_by_state: the ids of the runs in each state, each tuple in planning order (a
            state no run is in may be absent). Kept up to date as records are applied, so the
            scheduler, which decides after every event, looks at the few pending and live runs
            instead of scanning every run.
        milestone_counts: per milestone, how many runs are in each state, keyed by (the run
            is must-run, its state).
        plan_order: each run's position in planning order.
        gpu_seconds_used: GPU-seconds used by every attempt of every run.
        judgments: reviewer judgments of criteria the rules could not check, in log order.
    """

    stage: Stage = Stage.PLANNED
    plan: ev.PlanLoaded | None = None
    runs: Mapping[str, RunView] = attrs.field(factory=dict)
    approved: bool = False
    implementations: tuple[ev.ImplementationRecorded, ...] = ()
    reviews: tuple[ev.CodeReviewed, ...] = ()
    rescues: tuple[ev.RescueDiagnosed, ...] = ()
    rentals: tuple[ev.InstanceRented, ...] = ()  # paid machines, with their cleanup commands
    sanity_checks: tuple[ev.SanityChecked, ...] = ()
    base_repo: ev.BaseRepoCloned | None = None
    blocked: ev.PipelineBlocked | None = None
    approval: ev.ApprovalRequested | None = None
    stage_history: tuple[tuple[int, ev.StageEntered], ...] = ()
    milestones_completed: tuple[str, ...] = ()
    budget_warnings: tuple[ev.BudgetWarned, ...] = ()
    dollars_spent: float = 0.0
    costs: Mapping[str, float] = attrs.field(factory=dict)
    orphans: ev.OrphansReported | None = None
    gates: tuple[ev.GateDecided, ...] = ()
    judgments: tuple[ev.CriterionJudged, ...] = ()
    ablations: ev.AblationsPlanned | None = None
    outputs: tuple[ev.OutputWritten, ...] = ()
    milestone_ids: tuple[str, ...] = ()
    run_ids_by_state: Mapping[RunState, tuple[str, ...]] = attrs.field(factory=dict)
    milestone_counts: Mapping[str, Mapping[tuple[bool, RunState], int]] = attrs.field(factory=dict)
    plan_order: Mapping[str, int] = attrs.field(factory=dict)
    gpu_seconds_used: float = 0.0
    last_seq: int = 0
    last_recorded_at: datetime | None = None
    last_content_seq: int = 0
    last_content_at: datetime | None = None
    events: int = 0

    @property
    def gates_passed(self) -> frozenset[str]:
        """
        The milestones whose gate's latest decision let the plan go on.
        """
        latest = {gate.milestone: gate.proceed for gate in self.gates}
        return frozenset(m for m, proceed in latest.items() if proceed)

    @property
    def gpu_hours_used(self) -> float:
        """
        GPU-hours used by every attempt of every run.
        """
        return self.gpu_seconds_used / 3600.0

    def runs_in_state(self, *states: RunState) -> list[RunView]:
        """
        The runs in any of ``states``, in planning order.
        """
        if len(states) == 1:
            return [self.runs[i] for i in self.run_ids_by_state.get(states[0], ())]
        ids = [i for state in states for i in self.run_ids_by_state.get(state, ())]
        ids.sort(key=self.plan_order.__getitem__)
        return [self.runs[i] for i in ids]

    def count_in(
        self, milestone: str, states: Iterable[RunState], *, must_only: bool = False
    ) -> int:
        """
        How many runs of ``milestone`` (only its must-run runs with ``must_only``) are in any
        of ``states``.
        """
        counts = self.milestone_counts.get(milestone)
        if not counts:
            return 0
        return sum(
            counts.get((must, state), 0)
            for state in states
            for must in ((True,) if must_only else (True, False))
        )

    def runs_in(self, milestone: str) -> tuple[RunView, ...]:
        """
        The runs of ``milestone``, in planning order.
        """
        return tuple(run for run in self.runs.values() if run.spec.milestone == milestone)


@attrs.define(slots=True)
class _Attempt:
    # The latest attempt of a run, mutable while the fold runs: updating it in place instead of
    # attrs.evolve-ing a frozen view per event is most of the fold's speed (bench/event_store.py).
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
    waiting: str = ""  # why the backend's queue holds the attempt ("" when it does not)
    gpu_seconds: float = 0.0
    local_dir: str = ""
    metrics: ev.MetricsRecorded | None = None
    scratch_dir: str = ""  # the {scratch_dir} it was given, removed after collection
    inputs: tuple[ev.RunInput, ...] = ()  # lineage: {outputs_of:RUN} it read
    gpu_memory_peak_mib: int | None = None

    def view(self) -> AttemptView:
        return AttemptView(
            attempt_id=self.attempt_id,
            number=self.number,
            backend=self.backend,
            slots=self.slots,
            argv=self.argv,
            output_dir=self.output_dir,
            submitted_at=self.submitted_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            handle=self.handle,
            state=self.state,
            exit_code=self.exit_code,
            reason=self.reason,
            overdue=self.overdue,
            waiting=self.waiting,
            gpu_seconds=self.gpu_seconds,
            local_dir=self.local_dir,
            metrics=self.metrics,
            scratch_dir=self.scratch_dir,
            gpu_memory_peak_mib=self.gpu_memory_peak_mib,
            inputs=self.inputs,
        )


@attrs.define(slots=True)
class _Run:
    spec: ev.RunPlanned
    index: int  # position in planning order
    state: RunState = RunState.PENDING
    done: list[AttemptView] = attrs.Factory(list)  # every attempt before the latest, as views
    latest: _Attempt | None = None
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    reason: str = ""
    oom_failures: int = 0
    failures: int = 0
    version: int = 0
    found_status: str = ""
    cached: RunView | None = None  # the view, until the next event of this run

    def view(self) -> RunView:
        if self.cached is None:
            latest = self.latest
            self.cached = RunView(
                spec=self.spec,
                state=self.state,
                attempts=(*self.done, latest.view()) if latest else tuple(self.done),
                not_before=self.not_before,
                avoid_slots=self.avoid_slots,
                reason=self.reason,
                oom_failures=self.oom_failures,
                failures=self.failures,
                stream_version=self.version,
                found_status=self.found_status,
            )
        return self.cached


#: The events that speak of one attempt of a run.
_AttemptEvent: TypeAlias = (
    ev.RunStarted
    | ev.RunOverdue
    | ev.RunQueueNoted
    | ev.ArtifactsFetched
    | ev.MetricsRecorded
    | ev.RunSucceeded
    | ev.RunFailed
    | ev.RunTimedOut
    | ev.RunLost
    | ev.RunCancelled
)
#: The events that end an attempt.
_FinishEvent: TypeAlias = (
    ev.RunSucceeded | ev.RunFailed | ev.RunTimedOut | ev.RunLost | ev.RunCancelled
)


class Folder:
    """
    Applies records one by one; :meth:`state` returns the immutable state so far.
    """

    def __init__(self) -> None:
        self._stage = Stage.PLANNED
        self._runs: dict[str, _Run] = {}
        # Any: each pipeline field or list holds its own event class (PipelineState types them).
        self._fields: dict[str, Any] = {}
        self._lists: dict[str, list[Any]] = {
            "implementations": [],
            "reviews": [],
            "rescues": [],
            "rentals": [],
            "sanity_checks": [],
            "stage_history": [],
            "milestones_completed": [],
            "budget_warnings": [],
            "gates": [],
            "judgments": [],
            "outputs": [],
        }
        self._approved = False
        self._last_seq = 0
        self._last_at: datetime | None = None
        self._content_seq = 0
        self._content_at: datetime | None = None
        self._count = 0
        self._snapshot: PipelineState | None = None
        # Each run's frozen view as of the last snapshot, and the runs changed since: a snapshot
        # rebuilds only those, so taking one after each event costs O(changed), not O(runs).
        self._views: dict[str, RunView] = {}
        self._dirty: dict[str, _Run] = {}
        # The last snapshot's tuples of the pipeline lists, reused while a list is unchanged.
        self._tuples: dict[str, tuple[Any, ...]] = {}
        # Indexes of the runs, brought up to date from the changed runs at each snapshot: run
        # ids per state (dicts kept in planning order), per milestone counts by (must, state),
        # and GPU time in whole nanoseconds (integers, so the total does not depend on how
        # the records were grouped into snapshots).
        self._buckets: dict[RunState, dict[str, None]] = {}
        self._bucket_tuples: dict[RunState, tuple[str, ...]] = {}
        self._counts: dict[str, dict[tuple[bool, RunState], int]] = {}
        self._count_views: dict[str, Mapping[tuple[bool, RunState], int]] = {}
        self._gpu_ns = 0
        self._order: dict[str, int] = {}
        self._milestone_ids: tuple[str, ...] = ()
        self._milestones_plan: ev.PlanLoaded | None = None

    def apply_all(self, records: Iterable[Recorded]) -> Folder:
        """
        Apply every record in order; returns self.

        Raises:
            TransitionError: a record's event is not legal in the state so far (the records
                before it stay applied, as with :meth:`apply`).
        """
        # apply() inlined, with the counters in locals written back once (also on error): the
        # fold replays millions of records and per-record attribute writes add up.
        apply_run = self._apply_run
        apply_pipeline = self._apply_pipeline
        output_written = ev.OutputWritten
        last_seq, last_at = self._last_seq, self._last_at
        content_seq, content_at = self._content_seq, self._content_at
        count = self._count
        self._snapshot = None
        try:
            for record in records:
                seq = record.seq
                if seq <= last_seq:
                    raise TransitionError(f"records out of order: {seq} after {last_seq}", seq=seq)
                evt = record.event
                stream = record.stream
                if stream.startswith("run:"):
                    apply_run(evt, record, seq, stream)
                else:
                    apply_pipeline(evt, seq)
                last_seq = seq
                last_at = record.recorded_at
                if type(evt) is not output_written:
                    content_seq = seq
                    content_at = last_at
                count += 1
        finally:
            self._last_seq, self._last_at = last_seq, last_at
            self._content_seq, self._content_at = content_seq, content_at
            self._count = count
        return self

    def apply(self, record: Recorded) -> None:
        """
        Apply one record.

        Raises:
            TransitionError: the record's event is not legal in the state so far.
        """
        self.apply_all((record,))

    # -- pipeline stream ------------------------------------------------------------------

    def _apply_pipeline(self, evt: ev.Event, seq: int) -> None:
        # One case per event class, the most frequent first (a match tries its cases in order);
        # assert_never makes a new event class a type error here until it is handled.
        lists = self._lists
        fields = self._fields
        match evt:
            case ev.OutputWritten():
                lists["outputs"].append(evt)
            case ev.StageEntered():
                self._stage_entered(evt, seq)
            case ev.ImplementationRecorded():
                lists["implementations"].append(evt)
                if evt.changed_files:
                    # A person approved other code: changed code needs approving again.
                    self._approved = False
            case ev.CodeReviewed():
                lists["reviews"].append(evt)
            case ev.RescueDiagnosed():
                lists["rescues"].append(evt)
            case ev.InstanceRented():
                lists["rentals"].append(evt)
            case ev.SanityChecked():
                lists["sanity_checks"].append(evt)
            case ev.BudgetWarned():
                lists["budget_warnings"].append(evt)
            case ev.GateDecided():
                lists["gates"].append(evt)
            case ev.CriterionJudged():
                lists["judgments"].append(evt)
            case ev.MilestoneCompleted():
                lists["milestones_completed"].append(evt.milestone)
            case ev.PlanLoaded():
                fields["plan"] = evt
            case ev.ApprovalRequested():
                fields["approval"] = evt
            case ev.BaseRepoCloned():
                fields["base_repo"] = evt
            case ev.PipelineBlocked():
                fields["blocked"] = evt
            case ev.AblationsPlanned():
                fields["ablations"] = evt
            case ev.OrphansReported():
                fields["orphans"] = evt
            case ev.Approved():
                if self._stage is not Stage.AWAITING_APPROVAL:
                    raise TransitionError("approval recorded while nothing awaited it", seq=seq)
                self._approved = True
            case ev.CostRecorded():
                costs = fields.setdefault("costs", {})
                costs[f"{evt.backend}/{evt.instance}"] = evt.dollars
            case (
                ev.RunPlanned()
                | ev.RunFoundDone()
                | ev.RunRuledOut()
                | ev.RunSpecChanged()
                | ev.RunSubmitted()
                | ev.RunStarted()
                | ev.ArtifactsFetched()
                | ev.RunSucceeded()
                | ev.RunFailed()
                | ev.RunTimedOut()
                | ev.RunLost()
                | ev.RunCancelled()
                | ev.RunRetryScheduled()
                | ev.RunStuck()
                | ev.RunOverdue()
                | ev.RunQueueNoted()
                | ev.MetricsRecorded()
            ):
                raise TransitionError(
                    f"{type(evt).__name__} does not belong on the bridge stream", seq=seq
                )
            case _:
                assert_never(evt)

    def _stage_entered(self, evt: ev.StageEntered, seq: int) -> None:
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
        self._lists["stage_history"].append((seq, evt))

    # -- run streams ----------------------------------------------------------------------

    def _apply_run(self, evt: ev.Event, record: Recorded, seq: int, stream: str) -> None:
        run_id = stream[4:]
        run = self._runs.get(run_id)
        # The two events a long run repeats most skip the match below: an exact type test is
        # about half the cost of a class pattern, and the fold replays millions of records.
        if type(evt) is ev.ArtifactsFetched:
            if run is None or evt.run_id != run_id:
                run = self._own(run, run_id, evt, seq)  # raises
            self._artifacts_fetched(run, run_id, evt, record)
        elif type(evt) is ev.RunOverdue:
            if run is None or evt.run_id != run_id:
                run = self._own(run, run_id, evt, seq)  # raises
            self._overdue(run, run_id, evt, record)
        else:
            run = self._apply_other(evt, run, run_id, record, seq, stream)
        run.cached = None
        run.version = record.version
        self._dirty[run_id] = run

    def _apply_other(
        self, evt: ev.Event, run: _Run | None, run_id: str, record: Recorded, seq: int, stream: str
    ) -> _Run:
        # One case per event class, the most frequent first; assert_never makes a new event
        # class a type error here until it is handled.
        match evt:
            case ev.RunQueueNoted():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._queue_noted(run, run_id, evt, record)
            case ev.RunSubmitted():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._submitted(run, run_id, evt, record)
            case ev.RunStarted():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._started(run, run_id, evt, record)
            case ev.RunSucceeded() | ev.RunFailed() | ev.RunTimedOut() | ev.RunLost():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._finished(run, run_id, evt, record)
            case ev.MetricsRecorded():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._metrics_recorded(run, run_id, evt, record)
            case ev.RunPlanned():
                if evt.run_id != run_id:
                    raise TransitionError(
                        f"RunPlanned for {evt.run_id} on stream {stream}", seq=seq
                    )
                if run is None:
                    run = self._runs[run_id] = _Run(spec=evt, index=len(self._runs))
                else:
                    run.state = next_run_state(run_id, run.state, "replan", seq=seq)
                    run.spec = evt
            case ev.RunRetryScheduled():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._retry_scheduled(run, run_id, evt, record)
            case ev.RunSpecChanged():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._spec_changed(run, run_id, evt, record)
            case ev.RunStuck():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._stuck(run, run_id, evt, record)
            case ev.RunCancelled():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._cancelled(run, run_id, evt, record)
            case ev.RunFoundDone():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._found_done(run, run_id, evt, record)
            case ev.RunRuledOut():
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                self._ruled_out(run, run_id, evt, record)
            case ev.ArtifactsFetched() | ev.RunOverdue():
                # Taken by _apply_run's fast path; here so that the match stays exhaustive.
                if run is None or evt.run_id != run_id:
                    run = self._own(run, run_id, evt, seq)  # raises
                if isinstance(evt, ev.ArtifactsFetched):
                    self._artifacts_fetched(run, run_id, evt, record)
                else:
                    self._overdue(run, run_id, evt, record)
            case (
                ev.PlanLoaded()
                | ev.StageEntered()
                | ev.PipelineBlocked()
                | ev.BaseRepoCloned()
                | ev.ImplementationRecorded()
                | ev.CodeReviewed()
                | ev.ApprovalRequested()
                | ev.Approved()
                | ev.SanityChecked()
                | ev.RescueDiagnosed()
                | ev.InstanceRented()
                | ev.MilestoneCompleted()
                | ev.AblationsPlanned()
                | ev.GateDecided()
                | ev.CriterionJudged()
                | ev.BudgetWarned()
                | ev.CostRecorded()
                | ev.OrphansReported()
                | ev.OutputWritten()
            ):
                raise TransitionError(
                    f"{type(evt).__name__} does not belong on a run stream", seq=seq
                )
            case _:
                assert_never(evt)
        return run

    @staticmethod
    def _own(run: _Run | None, run_id: str, evt: ev.RunEvent, seq: int) -> _Run:
        # The stream's run must be planned, and the event must name it (the callers test both
        # inline, so the call is only made to raise).
        if run is None:
            raise TransitionError(f"{type(evt).__name__} for unplanned run {run_id}", seq=seq)
        if evt.run_id != run_id:
            raise TransitionError(f"event for {evt.run_id} on stream run:{run_id}", seq=seq)
        return run

    def _submitted(self, run: _Run, run_id: str, evt: ev.RunSubmitted, record: Recorded) -> None:
        run.state = next_run_state(run_id, run.state, "submit", seq=record.seq)
        if run.latest is not None:
            run.done.append(run.latest.view())
        run.latest = _Attempt(
            attempt_id=evt.attempt_id,
            number=evt.attempt,
            backend=evt.backend,
            slots=evt.slots,
            argv=evt.argv,
            output_dir=evt.output_dir,
            submitted_at=record.recorded_at,
            scratch_dir=evt.scratch_dir,
            inputs=evt.inputs,
        )
        run.not_before = None

    def _retry_scheduled(
        self, run: _Run, run_id: str, evt: ev.RunRetryScheduled, record: Recorded
    ) -> None:
        run.state = next_run_state(run_id, run.state, "retry", seq=record.seq)
        run.not_before = evt.not_before
        run.avoid_slots = evt.avoid_slots
        run.reason = evt.reason

    def _found_done(self, run: _Run, run_id: str, evt: ev.RunFoundDone, record: Recorded) -> None:
        run.state = next_run_state(run_id, run.state, "find_done", seq=record.seq)
        run.found_status = evt.status
        run.reason = f"{evt.status} — {evt.evidence}" if evt.evidence else evt.status

    def _ruled_out(self, run: _Run, run_id: str, evt: ev.RunRuledOut, record: Recorded) -> None:
        run.state = next_run_state(run_id, run.state, "rule_out", seq=record.seq)
        run.reason = evt.reason

    def _spec_changed(
        self, run: _Run, run_id: str, evt: ev.RunSpecChanged, record: Recorded
    ) -> None:
        run.state = next_run_state(run_id, run.state, "respec", seq=record.seq)
        if evt.spec.run_id != run_id:
            raise TransitionError(f"spec for {evt.spec.run_id} on run {run_id}", seq=record.seq)
        run.spec = evt.spec

    def _stuck(self, run: _Run, run_id: str, evt: ev.RunStuck, record: Recorded) -> None:
        run.state = next_run_state(run_id, run.state, "give_up", seq=record.seq)
        run.reason = evt.reason

    def _cancelled(self, run: _Run, run_id: str, evt: ev.RunCancelled, record: Recorded) -> None:
        if evt.attempt_id:
            self._finished(run, run_id, evt, record)
            return
        run.state = next_run_state(run_id, run.state, "cancel", seq=record.seq)
        run.reason = evt.reason

    def _live(self, run: _Run, run_id: str, evt: _AttemptEvent, seq: int) -> None:
        # Every attempt event but a fetch or metrics speaks of a live attempt; one that names an
        # attempt which already ended (a late cancel, a second finish) would rewrite history.
        if run.state is not RunState.SUBMITTED and run.state is not RunState.RUNNING:
            raise TransitionError(
                f"{type(evt).__name__} for attempt {evt.attempt_id} of run {run_id}, "
                f"which is {run.state.value}",
                seq=seq,
            )

    def _current(self, run: _Run, run_id: str, evt: _AttemptEvent, seq: int) -> _Attempt:
        current = run.latest
        if current is None or current.attempt_id != evt.attempt_id:
            raise TransitionError(
                f"{type(evt).__name__} names attempt {evt.attempt_id} of run {run_id}, "
                f"whose current attempt is {current.attempt_id if current else 'none'}",
                seq=seq,
            )
        return current

    def _started(self, run: _Run, run_id: str, evt: ev.RunStarted, record: Recorded) -> None:
        self._live(run, run_id, evt, record.seq)
        current = self._current(run, run_id, evt, record.seq)
        run.state = next_run_state(run_id, run.state, "start", seq=record.seq)
        current.handle = evt.handle
        current.started_at = record.recorded_at
        current.state = run.state

    def _overdue(self, run: _Run, run_id: str, evt: ev.RunOverdue, record: Recorded) -> None:
        # The two events a long run repeats most, with the checks inlined (the slow calls
        # only run to raise).
        if run.state is not RunState.RUNNING:
            self._live(run, run_id, evt, record.seq)
        current = run.latest
        if current is None or current.attempt_id != evt.attempt_id:
            current = self._current(run, run_id, evt, record.seq)
        state = run_lookup.get((run.state, "flag_overdue"))
        run.state = (
            state if state is not None
            else next_run_state(run_id, run.state, "flag_overdue", seq=record.seq)
        )  # fmt: skip
        current.overdue = True

    def _queue_noted(self, run: _Run, run_id: str, evt: ev.RunQueueNoted, record: Recorded) -> None:
        self._live(run, run_id, evt, record.seq)
        current = self._current(run, run_id, evt, record.seq)
        run.state = next_run_state(run_id, run.state, "note_queue", seq=record.seq)
        current.waiting = evt.waiting

    def _artifacts_fetched(
        self, run: _Run, run_id: str, evt: ev.ArtifactsFetched, record: Recorded
    ) -> None:
        current = run.latest
        if current is None or current.attempt_id != evt.attempt_id:
            current = self._current(run, run_id, evt, record.seq)
        current.local_dir = evt.local_dir

    def _metrics_recorded(
        self, run: _Run, run_id: str, evt: ev.MetricsRecorded, record: Recorded
    ) -> None:
        current = self._current(run, run_id, evt, record.seq)
        if current.finished_at is None:
            raise TransitionError(
                f"metrics recorded for attempt {evt.attempt_id} of run {run_id} before it ended",
                seq=record.seq,
            )
        current.metrics = evt

    def _finished(self, run: _Run, run_id: str, evt: _FinishEvent, record: Recorded) -> None:
        seq = record.seq
        self._live(run, run_id, evt, seq)
        current = self._current(run, run_id, evt, seq)
        exit_code: int | None = None
        match evt:
            case ev.RunFailed():
                trigger = "fail_oom" if evt.oom else "fail"
                exit_code, reason = evt.exit_code, evt.reason
                current.gpu_memory_peak_mib = evt.gpu_memory_peak_mib
                if evt.oom:
                    run.oom_failures += 1
                else:
                    run.failures += 1
            case ev.RunSucceeded():
                trigger, exit_code, reason = "succeed", evt.exit_code, ""
                current.gpu_memory_peak_mib = evt.gpu_memory_peak_mib
            case ev.RunCancelled():
                trigger, reason = "cancel", evt.reason
            case ev.RunTimedOut():
                trigger, reason = "time_out", "time out"
            case ev.RunLost():
                trigger = "lose"
                reason = evt.reason or "lose"
            case _:
                assert_never(evt)
        run.state = next_run_state(run_id, run.state, trigger, seq=seq)
        run.reason = reason
        current.state = run.state
        current.finished_at = record.recorded_at
        current.exit_code = exit_code
        # An attempt that ended is no longer held in any queue, whether or not a poll saw it
        # leave the queue first (a short job can go from pending to done between two polls).
        current.waiting = ""
        current.reason = reason
        current.gpu_seconds = evt.gpu_seconds

    # -- snapshot -------------------------------------------------------------------------

    def state(self) -> PipelineState:
        """
        Return the immutable state after every record applied so far.
        """
        if self._snapshot is None:
            views = self._views
            stale = self._reindex(views) if self._dirty else False
            plan = self._fields.get("plan")
            if stale or plan is not self._milestones_plan:
                self._milestones_plan = plan
                self._milestone_ids = self._milestones()
            tuples = self._tuples
            for name, items in self._lists.items():
                # The lists only ever grow, so an equal length means an unchanged list.
                old = tuples.get(name)
                if old is None or len(old) != len(items):
                    tuples[name] = tuple(items)
            self._snapshot = PipelineState(
                stage=self._stage,
                plan=self._fields.get("plan"),
                # A copy (in C): the snapshot must not change as later records are applied.
                runs=dict(views),
                approved=self._approved,
                implementations=tuples["implementations"],
                reviews=tuples["reviews"],
                rescues=tuples["rescues"],
                rentals=tuples["rentals"],
                sanity_checks=tuples["sanity_checks"],
                base_repo=self._fields.get("base_repo"),
                dollars_spent=sum(self._fields.get("costs", {}).values()),
                costs=dict(self._fields.get("costs", {})),
                orphans=self._fields.get("orphans"),
                ablations=self._fields.get("ablations"),
                blocked=self._fields.get("blocked"),
                approval=self._fields.get("approval"),
                stage_history=tuples["stage_history"],
                milestones_completed=tuples["milestones_completed"],
                budget_warnings=tuples["budget_warnings"],
                gates=tuples["gates"],
                judgments=tuples["judgments"],
                outputs=tuples["outputs"],
                milestone_ids=self._milestone_ids,
                run_ids_by_state=dict(self._bucket_tuples),
                milestone_counts=dict(self._count_views),
                plan_order=self._order,
                gpu_seconds_used=self._gpu_ns / 1e9,
                last_seq=self._last_seq,
                last_recorded_at=self._last_at,
                last_content_seq=self._content_seq,
                last_content_at=self._content_at,
                events=self._count,
            )
        return self._snapshot

    def _reindex(self, views: dict[str, RunView]) -> bool:
        """
        Bring the run views and indexes up to date with the runs changed since the last
        snapshot: O(changed runs), plus O(runs in a state) for each state whose set changed.
        Returns True when the milestones the runs name may have changed.
        """
        buckets, counts = self._buckets, self._counts
        moved: set[RunState] = set()
        unsorted: set[RunState] = set()
        recounted: set[str] = set()
        planned: dict[str, int] = {}
        new_runs = False
        for run_id, run in self._dirty.items():
            old = views.get(run_id)
            new = views[run_id] = run.view()
            if old is None:
                new_runs = True
                planned[run_id] = run.index
            elif old.state is new.state and old.spec is new.spec:
                self._gpu_ns += _ns(new) - _ns(old)
                continue
            if old is None or old.state is not new.state:
                if old is not None:
                    del buckets[old.state][run_id]
                    moved.add(old.state)
                bucket = buckets.setdefault(new.state, {})
                if bucket and self._runs[next(reversed(bucket))].index > run.index:
                    unsorted.add(new.state)
                bucket[run_id] = None
                moved.add(new.state)
            if old is not None:
                key = (old.spec.priority is Priority.MUST, old.state)
                counts[old.spec.milestone][key] -= 1
                recounted.add(old.spec.milestone)
                self._gpu_ns -= _ns(old)
                if old.spec.milestone != new.spec.milestone:
                    new_runs = True  # the milestone list may change
            key = (new.spec.priority is Priority.MUST, new.state)
            tally = counts.setdefault(new.spec.milestone, {})
            tally[key] = tally.get(key, 0) + 1
            recounted.add(new.spec.milestone)
            self._gpu_ns += _ns(new)
        self._dirty.clear()
        if planned:
            # A new dict, not an update: earlier snapshots hold the old one.
            self._order = {**self._order, **planned}
        runs = self._runs
        for state in moved:
            bucket = buckets[state]
            if state in unsorted:
                bucket = dict.fromkeys(sorted(bucket, key=lambda i: runs[i].index))
                buckets[state] = bucket
            # Empty entries are dropped, so the indexes do not depend on the states runs
            # passed through between snapshots (fold(all) equals the incremental fold).
            if bucket:
                self._bucket_tuples[state] = tuple(bucket)
            else:
                self._bucket_tuples.pop(state, None)
        for milestone in recounted:
            view = {k: v for k, v in counts[milestone].items() if v}
            if view:
                self._count_views[milestone] = view
            else:
                self._count_views.pop(milestone, None)
        return new_runs

    def _milestones(self) -> tuple[str, ...]:
        plan = self._fields.get("plan")
        order = dict.fromkeys(m.id for m in plan.milestones) if plan is not None else {}
        for run in self._views.values():
            order.setdefault(run.spec.milestone, None)
        return tuple(order)


def _ns(run: RunView) -> int:
    """A run's GPU time in whole nanoseconds (exact to add and subtract)."""
    return round(run.gpu_seconds * 1e9) if run.attempts else 0


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
