"""
The check made before anything is appended: would the log still fold?

The fold refuses an illegal transition when it reads the log; by then the event is stored for
good and the project can no longer be read. :func:`check_append` runs the same tables over the
events about to be appended, against the state they will follow, so an illegal event is refused
before it is written (a decision made on a state that changed meanwhile, say).
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.errors import TransitionError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState
from bridge.machine.stages import RunState
from bridge.machine.table import next_run_state, next_stage
from bridge.machine.triggers import run_trigger, stage_trigger

__all__ = ["check_append"]

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
                stage = next_stage(stage, stage_trigger(evt))
        return
    run_id = stream[4:]
    run = state.runs.get(run_id)
    current = run.state if run is not None else None
    for evt in events:
        if current is None:
            # The first RunPlanned creates the run; a later one re-plans it (a trigger).
            if isinstance(evt, ev.RunPlanned):
                current = RunState.PENDING
                continue
            raise TransitionError(f"{type(evt).__name__} for run {run_id}, which is not planned")
        trigger = run_trigger(evt)
        if trigger is None:
            continue
        if isinstance(evt, ev.RunCancelled) and evt.attempt_id and current not in _LIVE:
            raise TransitionError(
                f"run {run_id} is {current.value}: its attempt {evt.attempt_id} cannot be cancelled"
            )
        if isinstance(evt, ev.RunResultCarried):
            _check_carried(state, run_id, evt)
        current = next_run_state(run_id, current, trigger)


def _check_carried(state: PipelineState, run_id: str, evt: ev.RunResultCarried) -> None:
    """
    Raise unless ``evt`` names a succeeded attempt of ``evt.from_run`` (another run, or the
    run itself taking its own back: the fold's rule, checked before the event is stored).
    """
    source = state.runs.get(evt.from_run)
    if source is None or not any(
        a.attempt_id == evt.attempt_id and a.state is RunState.SUCCEEDED for a in source.attempts
    ):
        raise TransitionError(
            f"run {run_id} takes the result of attempt {evt.attempt_id} of {evt.from_run}, "
            "which is no succeeded attempt of that run"
        )
