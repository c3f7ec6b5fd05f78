"""
The fold: from the event log to the pipeline's state.

State is always the fold of the log; nothing else is authoritative. :func:`fold` is pure and
deterministic: the same records give the same state. :class:`Folder` does the same work one record
at a time, so the pipeline can keep its state current without re-reading the log, and
``fold(all) == Folder-applied-incrementally`` is a tested invariant.

Every transition is checked against the tables in :mod:`bridge.machine.table`; an illegal one
raises :class:`~bridge.errors.TransitionError` naming the record's ``seq``. This module holds the
loop, the pipeline stream and the snapshot; the run streams are in
:mod:`bridge.machine.run_stream`, the run indexes in :mod:`bridge.machine.run_index` and the
frozen views it returns in :mod:`bridge.machine.views` (re-exported here).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TypedDict, assert_never  # Any: see Folder._lists

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.events.store import Recorded
from bridge.machine.live_run import LiveRun
from bridge.machine.run_index import RunIndex
from bridge.machine.run_stream import apply_run_event
from bridge.machine.stages import Stage
from bridge.machine.table import next_stage
from bridge.machine.triggers import StageTrigger, stage_trigger
from bridge.machine.views import AttemptView, PipelineState, RunView, findings_of

__all__ = [
    "FOLD_VERSION",
    "AttemptView",
    "Folder",
    "PipelineState",
    "RunView",
    "findings_of",
    "fold",
]

#: The meaning of the fold. Bump it whenever the same records would fold to a different state
#: (a new rule, a field filled differently): snapshots taken by another version are not read,
#: only replaced (:mod:`bridge.machine.snapshot`; changes of the state's shape are caught there
#: without a bump).
# 2: the state keeps each file's latest write, not every write; 3: runs keep every reason given;
# 4: an approval at BLOCKED keeps sanity_checked_seq at the check it approves, and attempts
# keep their metrics record's seq; 5: a run another run's result stands for succeeds with it
# (run.result_carried); 6: a run handed back the attempt it ran itself (a split undone) keeps
# its own view, GPU time and numbers, instead of a copy with none (review r35)
FOLD_VERSION = 6


class _Fields(TypedDict, total=False):
    """The pipeline's latest-wins fields, present once set (a plain dict at run time)."""

    plan: ev.PlanLoaded
    approval: ev.ApprovalRequested
    base_repo: ev.BaseRepoCloned
    blocked: ev.PipelineBlocked | None
    ablations: ev.AblationsPlanned
    orphans: ev.OrphansReported
    costs: dict[str, float]


class Folder:
    """
    Applies records one by one; :meth:`state` returns the immutable state so far.
    """

    def __init__(self) -> None:
        self._stage = Stage.PLANNED
        self._runs: dict[str, LiveRun] = {}
        self._fields: _Fields = {}
        # Any: each list holds its own event class (PipelineState types them); the lists are
        # iterated by name in state(), which a TypedDict's differently typed values do not allow.
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
        }
        # The writes a reader needs (PipelineState.outputs), in log order: each write that kept
        # a timestamped copy under its own number, and each file's latest write under its path,
        # moved to the end when the file is written again (a dict keeps insertion order).
        self._outputs: dict[int | str, ev.OutputWritten] = {}
        self._copies = 0  # how many writes kept a copy: the next one's number
        self._outputs_tuple: tuple[ev.OutputWritten, ...] | None = ()
        self._approved = False
        # How many runs were planned when a person last approved (Approved): the runs planned
        # since, at a plan position at or past it, are runs no person approved.
        self._runs_when_approved = 0
        self._sanity_checked_seq = 0
        self._sanity_approved_seq = 0
        self._last_seq = 0
        self._last_at: datetime | None = None
        self._content_seq = 0
        self._content_at: datetime | None = None
        self._count = 0
        self._snapshot: PipelineState | None = None
        # The runs changed since the last snapshot: a snapshot rebuilds only their views and
        # index entries, so taking one after each event costs O(changed), not O(runs).
        self._dirty: dict[str, LiveRun] = {}
        self._index = RunIndex()
        # The last snapshot's tuples of the pipeline lists, reused while a list is unchanged.
        self._tuples: dict[str, tuple[Any, ...]] = {}
        self._milestone_ids: tuple[str, ...] = ()
        self._milestones_plan: ev.PlanLoaded | None = None

    @classmethod
    def resume(cls, state: PipelineState) -> Folder:
        """
        A Folder holding ``state``, as if it had applied the records up to ``state.last_seq``
        itself: applying the records after that gives what applying every record from the start
        gives (a fold resumed from a snapshot; a tested invariant).
        """
        folder = cls()
        folder._stage = state.stage
        order = state.plan_order
        for run_id in sorted(state.runs, key=order.__getitem__):
            folder._runs[run_id] = LiveRun.from_view(state.runs[run_id], order[run_id])
        folder._index = RunIndex.restore(
            state.runs, state.run_ids_by_state, state.milestone_counts, order
        )
        fields = folder._fields
        if state.plan is not None:
            fields["plan"] = state.plan
        if state.base_repo is not None:
            fields["base_repo"] = state.base_repo
        if state.orphans is not None:
            fields["orphans"] = state.orphans
        if state.ablations is not None:
            fields["ablations"] = state.ablations
        if state.blocked is not None:
            fields["blocked"] = state.blocked
        if state.approval is not None:
            fields["approval"] = state.approval
        if state.costs:
            folder._fields["costs"] = dict(state.costs)
        for name in folder._lists:
            folder._tuples[name] = getattr(state, name)
            folder._lists[name] = list(folder._tuples[name])
        for out in state.outputs:  # already compact: keeping them again changes nothing
            folder._output_written(out)
        folder._outputs_tuple = state.outputs
        folder._approved = state.approved
        folder._runs_when_approved = state.runs_when_approved
        folder._sanity_checked_seq = state.sanity_checked_seq
        folder._sanity_approved_seq = state.sanity_approved_seq
        folder._last_seq, folder._last_at = state.last_seq, state.last_recorded_at
        folder._content_seq, folder._content_at = state.last_content_seq, state.last_content_at
        folder._count = state.events
        folder._milestone_ids, folder._milestones_plan = state.milestone_ids, state.plan
        folder._snapshot = state
        return folder

    def apply_all(self, records: Iterable[Recorded]) -> Folder:
        """
        Apply every record in order; returns self.

        Raises:
            TransitionError: a record's event is not legal in the state so far (the records
                before it stay applied, as with :meth:`apply`).
        """
        self._snapshot = None
        with _collector_paused():
            self._apply_all(records)
        return self

    def _apply_all(self, records: Iterable[Recorded]) -> None:
        # apply() inlined, with the counters in locals written back once (also on error): the
        # fold replays millions of records and per-record attribute writes add up.
        runs, changed = self._runs, self._dirty
        apply_pipeline = self._apply_pipeline
        output_written = ev.OutputWritten
        last_seq, last_at = self._last_seq, self._last_at
        content_seq, content_at = self._content_seq, self._content_at
        count = self._count
        try:
            for record in records:
                seq = record.seq
                if seq <= last_seq:
                    raise TransitionError(f"records out of order: {seq} after {last_seq}", seq=seq)
                evt = record.event
                stream = record.stream
                if stream.startswith("run:"):
                    apply_run_event(runs, changed, evt, record, seq, stream)
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
                self._output_written(evt)
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
                # Recorded at BLOCKED, it is a person's approval of the check that held the plan
                # (`bridge approve`): it covers the numbers that check saw, not those recorded
                # since (the approval reads changed [metrics] settings first, and the person
                # never saw what they give).
                if self._stage is not Stage.BLOCKED:
                    self._sanity_checked_seq = seq
                # The approval, or a later check that found it standing, leads with these
                # words: it stays the person's word on the numbers seen so far when a check of
                # other runs follows (033: R032 failed, then the plan held E1's approved -3).
                if evt.passed and evt.detail.startswith(ev.CRITERION_APPROVED):
                    self._sanity_approved_seq = self._sanity_checked_seq
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
                self._runs_when_approved = len(self._runs)
            case ev.CostRecorded():
                costs = fields.setdefault("costs", {})
                costs[f"{evt.backend}/{evt.instance}"] = evt.dollars
            case (
                ev.RunPlanned()
                | ev.RunFoundDone()
                | ev.RunRuledOut()
                | ev.RunSpecChanged()
                | ev.RunPlaced()
                | ev.RunKeptAsRan()
                | ev.RunStatusKept()
                | ev.RunResultCarried()
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

    def _output_written(self, evt: ev.OutputWritten) -> None:
        # Every reader of the writes (bridge.projections.writer, .manifest) needs only each
        # file's latest write and every write that kept a copy (one manifest row per version):
        # an earlier write of a file that kept no copy is superseded for all of them, and a long
        # run writes the same few files hundreds of thousands of times.
        outputs = self._outputs
        outputs.pop(evt.path, None)
        if evt.copy:
            outputs[self._copies] = evt  # never superseded: a version is a file on disk
            self._copies += 1
        else:
            outputs[evt.path] = evt
        self._outputs_tuple = None

    def _stage_entered(self, evt: ev.StageEntered, seq: int) -> None:
        target = Stage(evt.stage)
        trigger = stage_trigger(evt, seq=seq)
        dest = next_stage(self._stage, trigger, seq=seq)
        if dest is not target:
            raise TransitionError(
                f"'{trigger}' from {self._stage.value} leads to {dest.value}, "
                f"but the log says {target.value}",
                seq=seq,
            )
        if trigger is StageTrigger.REQUEST_APPROVAL:
            self._approved = False
        if trigger is StageTrigger.REOPEN:
            self._fields["blocked"] = None
        self._stage = dest
        self._lists["stage_history"].append((seq, evt))

    # -- snapshot -------------------------------------------------------------------------

    def state(self) -> PipelineState:
        """
        Return the immutable state after every record applied so far.
        """
        if self._snapshot is None:
            index = self._index
            stale = False
            if self._dirty:
                stale = index.update(self._dirty, self._runs)
                self._dirty.clear()
            plan = self._fields.get("plan")
            if plan is not self._milestones_plan or (stale and index.milestone_moved):
                self._milestones_plan = plan
                self._milestone_ids = self._milestones()
            elif stale:
                # Only runs planned: they come after every run in planning order, so their
                # milestones follow those named already, as _milestones would list them. Walking
                # every run instead made a plan's load quadratic (1,000 RunPlanned appends, each
                # followed by a state: a million steps).
                named = dict.fromkeys(self._milestone_ids)
                for run_id in index.planned_last:
                    named.setdefault(index.views[run_id].spec.milestone, None)
                self._milestone_ids = tuple(named)
            tuples = self._tuples
            for name, items in self._lists.items():
                # The lists only ever grow, so an equal length means an unchanged list.
                old = tuples.get(name)
                if old is None or len(old) != len(items):
                    tuples[name] = tuple(items)
            outputs = self._outputs_tuple
            if outputs is None:
                outputs = self._outputs_tuple = tuple(self._outputs.values())
            self._snapshot = PipelineState(
                stage=self._stage,
                plan=self._fields.get("plan"),
                # A copy (in C): the snapshot must not change as later records are applied.
                runs=dict(index.views),
                approved=self._approved,
                runs_when_approved=self._runs_when_approved,
                implementations=tuples["implementations"],
                reviews=tuples["reviews"],
                rescues=tuples["rescues"],
                rentals=tuples["rentals"],
                sanity_checks=tuples["sanity_checks"],
                base_repo=self._fields.get("base_repo"),
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
                outputs=outputs,
                milestone_ids=self._milestone_ids,
                run_ids_by_state=dict(index.by_state),
                milestone_counts=dict(index.counts),
                plan_order=index.order,
                gpu_seconds_used=index.gpu_ns / 1e9,
                last_seq=self._last_seq,
                sanity_checked_seq=self._sanity_checked_seq,
                sanity_approved_seq=self._sanity_approved_seq,
                last_recorded_at=self._last_at,
                last_content_seq=self._content_seq,
                last_content_at=self._content_at,
                events=self._count,
            )
        return self._snapshot

    def _milestones(self) -> tuple[str, ...]:
        plan = self._fields.get("plan")
        order = dict.fromkeys(m.id for m in plan.milestones) if plan is not None else {}
        for run in self._index.views.values():
            order.setdefault(run.spec.milestone, None)
        return tuple(order)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """
    Pause the cyclic garbage collector for the block (unless it is already off).

    A replay keeps millions of objects, none in a reference cycle, and every object kept makes
    each collection longer: with the collector on, collections cost about as much as decoding
    and find nothing. Reference counting still frees all garbage while it is paused.
    """
    collecting = gc.isenabled()
    if collecting:
        gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def fold(records: Iterable[Recorded]) -> PipelineState:
    """
    Fold records (in ``seq`` order) into the pipeline state. Pure and deterministic.

    Raises:
        TransitionError: an illegal transition, naming its ``seq``.
    """
    with _collector_paused():  # for the snapshot too: it builds a view of every run
        return Folder().apply_all(records).state()
