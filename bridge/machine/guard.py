"""
The check made before anything is appended: would the log still fold?

The fold refuses an illegal transition when it reads the log; by then the event is stored for
good and the project can no longer be read. :func:`check_append` runs the same tables over the
events about to be appended, against the state they will follow, so an illegal event is refused
before it is written (a decision made on a state that changed meanwhile, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState
from bridge.machine.table import next_run_state, next_stage

__all__ = ["check_append"]

_LIVE = frozenset({RunState.SUBMITTED, RunState.RUNNING})
_TRIGGERS: dict[type[Any], str] = {
    ev.RunSubmitted: "submit",
    ev.RunStarted: "start",
    ev.RunSucceeded: "succeed",
    ev.RunTimedOut: "time_out",
    ev.RunLost: "lose",
    ev.RunCancelled: "cancel",
    ev.RunRetryScheduled: "retry",
    ev.RunSpecChanged: "respec",
    ev.RunStuck: "give_up",
    ev.RunOverdue: "flag_overdue",
    ev.RunQueueNoted: "note_queue",
    ev.RunFoundDone: "find_done",
    ev.RunRuledOut: "rule_out",
}


def check_append(state: PipelineState, stream: str, events: Sequence[Any]) -> None:
    """
    Raise when ``events`` appended to ``stream`` after ``state`` would be illegal.

    Raises:
        TransitionError: naming the run (or stage) and the transition that is not allowed.
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
        if isinstance(evt, ev.RunFailed):
            trigger = "fail_oom" if evt.oom else "fail"
        else:
            found = _TRIGGERS.get(type(evt))
            if found is None:  # ArtifactsFetched, MetricsRecorded: no transition
                continue
            trigger = found
        if trigger == "cancel" and evt.attempt_id and current not in _LIVE:
            raise TransitionError(
                f"run {run_id} is {current.value}: its attempt {evt.attempt_id} cannot be cancelled"
            )
        current = next_run_state(run_id, current, trigger)
