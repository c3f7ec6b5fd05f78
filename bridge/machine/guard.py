"""
The check made before anything is appended: would the log still fold?

The fold refuses an illegal transition when it reads the log; by then the event is stored for
good and the project can no longer be read. :func:`check_append` runs the same tables over the
events about to be appended, against the state they will follow, so an illegal event is refused
before it is written (a decision made on a state that changed meanwhile, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState
from bridge.machine.table import next_run_state, next_stage

__all__ = ["check_append", "run_trigger"]

_LIVE = frozenset({RunState.SUBMITTED, RunState.RUNNING})


def check_append(state: PipelineState, stream: str, events: Sequence[ev.Event]) -> None:
    """
    Raise when ``events`` appended to ``stream`` after ``state`` would be illegal.

    Raises:
        TransitionError: naming the run (or stage) and the transition that is not allowed, or
            an event that does not belong on a run stream.
    """
    if not stream.startswith("run:"):
        stage = state.stage
        for evt in events:
            if isinstance(evt, ev.StageEntered):
                stage = next_stage(stage, evt.trigger)
        return
    run_id = stream[4:]
    run = state.runs.get(run_id)
    current = run.state if run is not None else None
    for evt in events:
        if isinstance(evt, ev.RunPlanned):
            current = (
                RunState.PENDING if current is None else next_run_state(run_id, current, "replan")
            )
            continue
        if current is None:
            raise TransitionError(f"{type(evt).__name__} for run {run_id}, which is not planned")
        trigger = run_trigger(evt)
        if trigger is None:
            continue
        if isinstance(evt, ev.RunCancelled) and evt.attempt_id and current not in _LIVE:
            raise TransitionError(
                f"run {run_id} is {current.value}: its attempt {evt.attempt_id} cannot be cancelled"
            )
        current = next_run_state(run_id, current, trigger)


def run_trigger(evt: ev.Event) -> str | None:
    """
    The trigger of the run table (:mod:`bridge.machine.table`) that ``evt`` fires on its run.

    Returns:
        The trigger, or None for a run event that changes no state (a fetch, recorded metrics).

    Raises:
        TransitionError: ``evt`` is a pipeline event, which does not belong on a run stream.
    """
    match evt:
        case ev.RunPlanned():
            return "replan"
        case ev.RunSubmitted():
            return "submit"
        case ev.RunStarted():
            return "start"
        case ev.RunSucceeded():
            return "succeed"
        case ev.RunFailed():
            return "fail_oom" if evt.oom else "fail"
        case ev.RunTimedOut():
            return "time_out"
        case ev.RunLost():
            return "lose"
        case ev.RunCancelled():
            return "cancel"
        case ev.RunRetryScheduled():
            return "retry"
        case ev.RunSpecChanged():
            return "respec"
        case ev.RunStuck():
            return "give_up"
        case ev.RunOverdue():
            return "flag_overdue"
        case ev.RunQueueNoted():
            return "note_queue"
        case ev.RunFoundDone():
            return "find_done"
        case ev.RunRuledOut():
            return "rule_out"
        case ev.ArtifactsFetched() | ev.MetricsRecorded():
            return None
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
            raise TransitionError(f"{type(evt).__name__} does not belong on a run stream")
        case _:
            assert_never(evt)
