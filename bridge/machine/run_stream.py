"""
The run streams of the fold: the handler of every event a ``run:<id>`` stream may hold, each
updating a :class:`~bridge.machine.live_run.LiveRun` in place. Every transition is checked
against :mod:`bridge.machine.table`; an illegal one raises :class:`~bridge.errors.TransitionError`
naming the record's ``seq``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeAlias, assert_never

import attrs

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.events.store import Recorded
from bridge.machine.live_run import LiveAttempt, LiveRun
from bridge.machine.stages import RunState
from bridge.machine.table import RELABEL_FIELDS, RELABEL_PARAMS, next_run_state, run_lookup
from bridge.machine.triggers import RunTrigger, run_trigger
from bridge.machine.views import AttemptView

__all__ = ["apply_run_event", "carried_attempt", "ran_by"]


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


def apply_run_event(
    runs: dict[str, LiveRun],
    changed: dict[str, LiveRun],
    evt: ev.Event,
    record: Recorded,
    seq: int,
    stream: str,
) -> None:
    """
    Apply one record of the stream ``run:<id>`` to ``runs`` (adding the run on ``RunPlanned``)
    and note the run in ``changed``.

    Raises:
        TransitionError: the event does not belong on a run stream, names another run or an
            attempt that is not current, or its transition is not in the run table.
    """
    run_id = stream[4:]
    run = runs.get(run_id)
    # The two events a long run repeats most skip the match below: an exact type test is
    # about half the cost of a class pattern, and the fold replays millions of records.
    if type(evt) is ev.ArtifactsFetched:
        if run is None or evt.run_id != run_id:
            run = _own(run, run_id, evt, seq)  # raises
        _artifacts_fetched(run, run_id, evt, record)
    elif type(evt) is ev.RunOverdue:
        if run is None or evt.run_id != run_id:
            run = _own(run, run_id, evt, seq)  # raises
        _overdue(run, run_id, evt, record)
    else:
        run = _apply_other(runs, evt, run, run_id, record, seq, stream)
    run.cached = None
    run.version = record.version
    changed[run_id] = run


def _apply_other(
    runs: dict[str, LiveRun],
    evt: ev.Event,
    run: LiveRun | None,
    run_id: str,
    record: Recorded,
    seq: int,
    stream: str,
) -> LiveRun:
    # One case per event class, the most frequent first; assert_never makes a new event
    # class a type error here until it is handled.
    match evt:
        case ev.RunQueueNoted():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _queue_noted(run, run_id, evt, record)
        case ev.RunSubmitted():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _submitted(run, run_id, evt, record)
        case ev.RunStarted():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _started(run, run_id, evt, record)
        case ev.RunSucceeded() | ev.RunFailed() | ev.RunTimedOut() | ev.RunLost():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _finished(run, run_id, evt, record)
        case ev.MetricsRecorded():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _metrics_recorded(run, run_id, evt, record)
        case ev.RunPlanned():
            if evt.run_id != run_id:
                raise TransitionError(f"RunPlanned for {evt.run_id} on stream {stream}", seq=seq)
            if run is None:
                run = runs[run_id] = LiveRun(spec=evt, index=len(runs))
            else:
                run.state = next_run_state(run_id, run.state, _trigger(evt), seq=seq)
                run.spec = evt
        case ev.RunRetryScheduled():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _retry_scheduled(run, run_id, evt, record)
        case ev.RunSpecChanged():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _spec_changed(run, run_id, evt, record)
        case ev.RunPlaced():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _placed(run, evt)
        case ev.RunKeptAsRan():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _kept_as_ran(run, run_id, evt, record)
        case ev.RunStatusKept():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _status_kept(run, run_id, evt, record)
        case ev.RunStuck():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _stuck(run, run_id, evt, record)
        case ev.RunCancelled():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _cancelled(run, run_id, evt, record)
        case ev.RunFoundDone():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _found_done(run, run_id, evt, record)
        case ev.RunRuledOut():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _ruled_out(run, run_id, evt, record)
        case ev.RunResultCarried():
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            _result_carried(runs, run, run_id, evt, record)
        case ev.ArtifactsFetched() | ev.RunOverdue():
            # Taken by _apply_run's fast path; here so that the match stays exhaustive.
            if run is None or evt.run_id != run_id:
                run = _own(run, run_id, evt, seq)  # raises
            if isinstance(evt, ev.ArtifactsFetched):
                _artifacts_fetched(run, run_id, evt, record)
            else:
                _overdue(run, run_id, evt, record)
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
            raise TransitionError(f"{type(evt).__name__} does not belong on a run stream", seq=seq)
        case _:
            assert_never(evt)
    return run


def _trigger(evt: ev.RunEvent) -> RunTrigger:
    # The trigger from the one event → trigger table; every event with a handler that changes
    # state fires one (only a fetch and recorded metrics fire none, and change no state).
    trigger = run_trigger(evt)
    assert trigger is not None, type(evt).__name__
    return trigger


def _own(run: LiveRun | None, run_id: str, evt: ev.RunEvent, seq: int) -> LiveRun:
    # The stream's run must be planned, and the event must name it (the callers test both
    # inline, so the call is only made to raise).
    if run is None:
        raise TransitionError(f"{type(evt).__name__} for unplanned run {run_id}", seq=seq)
    if evt.run_id != run_id:
        raise TransitionError(f"event for {evt.run_id} on stream run:{run_id}", seq=seq)
    return run


def _submitted(run: LiveRun, run_id: str, evt: ev.RunSubmitted, record: Recorded) -> None:
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    if run.latest is not None:
        run.done.append(run.latest.view())
    run.latest = LiveAttempt(
        attempt_id=evt.attempt_id,
        number=evt.attempt,
        backend=evt.backend,
        slots=evt.slots,
        argv=evt.argv,
        output_dir=evt.output_dir,
        submitted_at=record.recorded_at,
        scratch_dir=evt.scratch_dir,
        inputs=evt.inputs,
        submitted_seq=record.seq,
    )
    run.not_before = None


def _retry_scheduled(
    run: LiveRun, run_id: str, evt: ev.RunRetryScheduled, record: Recorded
) -> None:
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    run.not_before = evt.not_before
    run.avoid_slots = evt.avoid_slots
    run.give_reason(evt.reason)
    # Its next attempt runs with the inputs as they are: no result is kept from earlier ones,
    # nor another run's.
    run.kept = None
    run.carried = None
    run.ruled_out_after = ""


def _found_done(run: LiveRun, run_id: str, evt: ev.RunFoundDone, record: Recorded) -> None:
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    run.found_status = evt.status
    run.give_reason(f"{evt.status} — {evt.evidence}" if evt.evidence else evt.status)


def _result_carried(
    runs: dict[str, LiveRun], run: LiveRun, run_id: str, evt: ev.RunResultCarried, record: Recorded
) -> None:
    # From itself: a run set aside and put back in the plan takes back the attempt it ran
    # (025's A3-s1, its row split again into the seeds it had: it ran again).
    source = run if evt.from_run == run_id else runs.get(evt.from_run)
    attempt = carried_attempt(source, evt.attempt_id) if source is not None else None
    if attempt is None:
        raise TransitionError(
            f"run {run_id} takes the result of attempt {evt.attempt_id} of {evt.from_run}, "
            "which is no succeeded attempt of that run",
            seq=record.seq,
        )
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    own = _own_attempt(run, evt.attempt_id) if ran_by(runs, evt) == run_id else None
    if own is not None:
        # A split undone hands the row's run back the attempt it ran itself (R002 → R002-s0
        # → R002): its own view stands, its GPU time (the budget counts it) and its numbers,
        # and it holds no other run's result. Before, it took the copy: 0 GPU-h, "R002-s0's
        # result" (review r35).
        if run.latest is not None and run.latest.attempt_id != evt.attempt_id:
            run.done.remove(own)
            run.done.append(run.latest.view())
            run.latest = LiveAttempt.from_view(own)
        run.carried = None
        run.give_reason(own.reason)  # as when its attempt ended
        return
    if run.latest is not None and run.latest.attempt_id != evt.attempt_id:
        # Listed once: the copy replaces one it held before (a row split again).
        run.done.append(run.latest.view())
    # The attempt that ran, as it ran (its outputs, metrics and their files), but no GPU time:
    # this run used none, and the source run counts what the attempt used. Its numbers are
    # this run's now: each value names this run, as the aggregates and verdicts key them.
    metrics = attempt.metrics
    if metrics is not None:
        metrics = attrs.evolve(
            metrics,
            run_id=run_id,
            values=tuple(attrs.evolve(v, run_id=run_id) for v in metrics.values),
        )
    run.latest = LiveAttempt.from_view(attrs.evolve(attempt, gpu_seconds=0.0, metrics=metrics))
    run.carried = evt
    run.give_reason(evt.reason)


def _own_attempt(run: LiveRun, attempt_id: str) -> AttemptView | None:
    # The run's view of its attempt ``attempt_id``, its latest or an earlier one.
    latest = run.latest
    if latest is not None and latest.attempt_id == attempt_id:
        return latest.view()
    return next((a for a in run.done if a.attempt_id == attempt_id), None)


class _Carrying(Protocol):
    """A run as the fold (``LiveRun``) or a view (``RunView``) holds it: whose result it took."""

    @property
    def carried(self) -> ev.RunResultCarried | None: ...


def ran_by(runs: Mapping[str, _Carrying], evt: ev.RunResultCarried) -> str:
    """
    The run that ran the attempt ``evt`` carries: ``evt.from_run``, or, where that run holds
    the attempt as another run's result, that run (and so on). R002-s0 holding R002-a1 hands it
    on to R002 (a split undone): R002 ran it.
    """
    current, seen = evt.from_run, {evt.run_id}
    while (
        current not in seen
        and (holder := runs.get(current)) is not None
        and (took := holder.carried) is not None
        and took.attempt_id == evt.attempt_id
    ):
        seen.add(current)
        current = took.from_run
    return current


def carried_attempt(source: LiveRun, attempt_id: str) -> AttemptView | None:
    """
    ``source``'s attempt ``attempt_id`` when it succeeded (the one a ``RunResultCarried`` may
    name), as a view; None otherwise.
    """
    latest = source.latest
    found = (
        latest.view()
        if latest is not None and latest.attempt_id == attempt_id
        else next((a for a in source.done if a.attempt_id == attempt_id), None)
    )
    return found if found is not None and found.state is RunState.SUCCEEDED else None


def _ruled_out(run: LiveRun, run_id: str, evt: ev.RunRuledOut, record: Recorded) -> None:
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    # The Status as written says whether the row is blocked (RunView.blocked_in_tracker); its
    # reason may say more that reads otherwise (002's "BLOCKED — … gate failed").
    run.found_status = evt.status
    run.give_reason(evt.reason)


def _spec_changed(run: LiveRun, run_id: str, evt: ev.RunSpecChanged, record: Recorded) -> None:
    was = run.state
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    if evt.spec.run_id != run_id:
        raise TransitionError(f"spec for {evt.spec.run_id} on run {run_id}", seq=record.seq)
    if was in _LABELS_ONLY and (changed := _beyond_labels(run.spec, evt.spec)):
        # What a succeeded run ran stands: only its labels may follow new inputs. A row done
        # before bridge or out of scope takes its other settings back at pending.
        raise TransitionError(
            f"run {run_id} in state {was.value}: its spec may change only in its labels, "
            f"not {changed}",
            seq=record.seq,
        )
    run.spec = evt.spec


# The states in which a run's spec may change only in its labels (RESPEC there, table.py).
_LABELS_ONLY = frozenset({RunState.SUCCEEDED, RunState.DONE_BEFORE, RunState.OUT_OF_SCOPE})


def _beyond_labels(old: ev.RunPlanned, new: ev.RunPlanned) -> str:
    """
    The first field (or ``params.KEY``) in which ``new`` differs from ``old`` other than the
    labels a succeeded run may take (:data:`RELABEL_FIELDS`, :data:`RELABEL_PARAMS`); ``""``.
    """
    for field in attrs.fields(type(old)):
        name: str = field.name
        if name not in (*RELABEL_FIELDS, "params") and getattr(old, name) != getattr(new, name):
            return name
    for key in old.params.keys() | new.params.keys():
        if key not in RELABEL_PARAMS and old.params.get(key) != new.params.get(key):
            return f"params.{key}"
    return ""


def _placed(run: LiveRun, evt: ev.RunPlaced) -> None:
    # Where the run's numbers count, in any state: no transition.
    run.spec = attrs.evolve(
        run.spec,
        block=evt.block,
        block_system=evt.block_system,
        attribution=evt.attribution,
        aliases=evt.aliases,
    )


def _kept_as_ran(run: LiveRun, run_id: str, evt: ev.RunKeptAsRan, record: Recorded) -> None:
    # A mark on the result a succeeded run kept, no transition: only a succeeded run keeps one.
    if run.state is not RunState.SUCCEEDED:
        raise TransitionError(
            f"run {run_id} kept as it ran in state {run.state.value}", seq=record.seq
        )
    run.kept = evt if evt.changes else None


def _status_kept(run: LiveRun, run_id: str, evt: ev.RunStatusKept, record: Recorded) -> None:
    # The researcher's out-of-scope word on a run that had succeeded, no transition: the run
    # keeps its result, and only a retry that names it runs it again.
    if run.state is not RunState.SUCCEEDED:
        raise TransitionError(
            f"run {run_id}'s status {evt.status!r} kept in state {run.state.value}",
            seq=record.seq,
        )
    run.ruled_out_after = evt.status


def _stuck(run: LiveRun, run_id: str, evt: ev.RunStuck, record: Recorded) -> None:
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    run.give_reason(evt.reason)


def _cancelled(run: LiveRun, run_id: str, evt: ev.RunCancelled, record: Recorded) -> None:
    if evt.attempt_id:
        _finished(run, run_id, evt, record)
        return
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    run.give_reason(evt.reason)


def _live(run: LiveRun, run_id: str, evt: _AttemptEvent, seq: int) -> None:
    # Every attempt event but a fetch or metrics speaks of a live attempt; one that names an
    # attempt which already ended (a late cancel, a second finish) would rewrite history.
    if run.state is not RunState.SUBMITTED and run.state is not RunState.RUNNING:
        raise TransitionError(
            f"{type(evt).__name__} for attempt {evt.attempt_id} of run {run_id}, "
            f"which is {run.state.value}",
            seq=seq,
        )


def _current(run: LiveRun, run_id: str, evt: _AttemptEvent, seq: int) -> LiveAttempt:
    current = run.latest
    if current is None or current.attempt_id != evt.attempt_id:
        raise TransitionError(
            f"{type(evt).__name__} names attempt {evt.attempt_id} of run {run_id}, "
            f"whose current attempt is {current.attempt_id if current else 'none'}",
            seq=seq,
        )
    return current


def _started(run: LiveRun, run_id: str, evt: ev.RunStarted, record: Recorded) -> None:
    _live(run, run_id, evt, record.seq)
    current = _current(run, run_id, evt, record.seq)
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    current.handle = evt.handle
    current.started_at = record.recorded_at
    current.state = run.state


def _overdue(run: LiveRun, run_id: str, evt: ev.RunOverdue, record: Recorded) -> None:
    # The two events a long run repeats most, with the checks inlined (the slow calls
    # only run to raise).
    if run.state is not RunState.RUNNING:
        _live(run, run_id, evt, record.seq)
    current = run.latest
    if current is None or current.attempt_id != evt.attempt_id:
        current = _current(run, run_id, evt, record.seq)
    state = run_lookup.get((run.state, _trigger(evt)))
    run.state = (
        state if state is not None
        else next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    )  # fmt: skip
    current.overdue = True


def _queue_noted(run: LiveRun, run_id: str, evt: ev.RunQueueNoted, record: Recorded) -> None:
    _live(run, run_id, evt, record.seq)
    current = _current(run, run_id, evt, record.seq)
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=record.seq)
    current.waiting = evt.waiting


def _artifacts_fetched(
    run: LiveRun, run_id: str, evt: ev.ArtifactsFetched, record: Recorded
) -> None:
    current = run.latest
    if current is None or current.attempt_id != evt.attempt_id:
        current = _current(run, run_id, evt, record.seq)
    current.local_dir = evt.local_dir


def _metrics_recorded(run: LiveRun, run_id: str, evt: ev.MetricsRecorded, record: Recorded) -> None:
    current = _current(run, run_id, evt, record.seq)
    if current.finished_at is None:
        raise TransitionError(
            f"metrics recorded for attempt {evt.attempt_id} of run {run_id} before it ended",
            seq=record.seq,
        )
    current.metrics = evt
    current.metrics_seq = record.seq


def _finished(run: LiveRun, run_id: str, evt: _FinishEvent, record: Recorded) -> None:
    seq = record.seq
    _live(run, run_id, evt, seq)
    current = _current(run, run_id, evt, seq)
    exit_code: int | None = None
    match evt:
        case ev.RunFailed():
            exit_code, reason = evt.exit_code, evt.reason
            current.gpu_memory_peak_mib = evt.gpu_memory_peak_mib
            current.gpu_memory_total_mib = evt.gpu_memory_total_mib
            current.gpu_memory_unmeasured = evt.gpu_memory_unmeasured
            if evt.oom:
                run.oom_failures += 1
            else:
                run.failures += 1
        case ev.RunSucceeded():
            exit_code, reason = evt.exit_code, ""
            current.gpu_memory_peak_mib = evt.gpu_memory_peak_mib
            current.gpu_memory_total_mib = evt.gpu_memory_total_mib
            current.gpu_memory_unmeasured = evt.gpu_memory_unmeasured
        case ev.RunCancelled():
            reason = evt.reason
        case ev.RunTimedOut():
            reason = "time out"
        case ev.RunLost():
            reason = evt.reason or "lose"
        case _:
            assert_never(evt)
    run.state = next_run_state(run_id, run.state, _trigger(evt), seq=seq)
    run.give_reason(reason)
    current.state = run.state
    current.finished_at = record.recorded_at
    current.exit_code = exit_code
    # An attempt that ended is no longer held in any queue, whether or not a poll saw it
    # leave the queue first (a short job can go from pending to done between two polls).
    current.waiting = ""
    current.reason = reason
    current.gpu_seconds = evt.gpu_seconds
