"""
The triggers of the two transition tables, and the one table from events to triggers.

:class:`StageTrigger` names each move of the pipeline (:data:`bridge.machine.table.STAGE_TABLE`),
:class:`RunTrigger` each move of a run (:data:`~bridge.machine.table.RUN_TABLE`). Both are
``StrEnum``: a ``StageEntered`` event stores the value, and a member hashes and compares as its
string, so lookups keyed by triggers cost what string keys cost.

:func:`run_trigger` is the only place that says which trigger a run event fires; the fold
(:mod:`bridge.machine.run_stream`) and the append guard (:mod:`bridge.machine.guard`) both ask it,
and it ends in ``assert_never``, so a new event class fails ``mypy --strict`` until it is mapped.
"""

from __future__ import annotations

import enum
from typing import assert_never

from bridge.errors import TransitionError
from bridge.events import types as ev

__all__ = ["RunTrigger", "StageTrigger", "run_trigger", "stage_trigger"]


class StageTrigger(enum.StrEnum):
    """
    What moves the pipeline from one stage to the next (recorded in ``StageEntered.trigger``).
    """

    IMPLEMENT = "implement"
    REVIEW = "review"
    REQUEST_APPROVAL = "request_approval"
    APPROVE = "approve"
    PASS_SANITY = "pass_sanity"  # noqa: S105 (a trigger's name, not a password)
    FAIL_SANITY = "fail_sanity"
    RETRY_SANITY = "retry_sanity"
    RESCUE = "rescue"
    DEPLOY = "deploy"
    COLLECT = "collect"
    REDEPLOY = "redeploy"
    BLOCK = "block"
    REOPEN = "reopen"


class RunTrigger(enum.StrEnum):
    """
    What moves one run from one state to the next (fired by a run event, see :func:`run_trigger`).
    """

    REPLAN = "replan"
    RESPEC = "respec"
    SUBMIT = "submit"
    START = "start"
    SUCCEED = "succeed"
    FAIL = "fail"
    FAIL_OOM = "fail_oom"
    TIME_OUT = "time_out"
    LOSE = "lose"
    CANCEL = "cancel"
    FIND_DONE = "find_done"
    RULE_OUT = "rule_out"
    CARRY = "carry"
    RETRY = "retry"
    GIVE_UP = "give_up"
    FLAG_OVERDUE = "flag_overdue"
    NOTE_QUEUE = "note_queue"


_STAGE_TRIGGERS: dict[str, StageTrigger] = {t.value: t for t in StageTrigger}


def stage_trigger(evt: ev.StageEntered, *, seq: int | None = None) -> StageTrigger:
    """
    The trigger a ``StageEntered`` event records.

    Raises:
        TransitionError: the log names a trigger the stage table does not have (naming ``seq``
            when given).
    """
    trigger = _STAGE_TRIGGERS.get(evt.trigger)
    if trigger is None:
        raise TransitionError(f"unknown stage trigger {evt.trigger!r}", seq=seq)
    return trigger


def run_trigger(evt: ev.Event) -> RunTrigger | None:
    """
    The trigger of the run table that ``evt`` fires on its run.

    Returns:
        The trigger, or None for a run event that changes no state (a fetch, recorded metrics).

    Raises:
        TransitionError: ``evt`` is a pipeline event, which does not belong on a run stream.
    """
    # The most frequent events of a long log first: each case is one isinstance test.
    match evt:
        case (
            ev.ArtifactsFetched()
            | ev.MetricsRecorded()
            | ev.RunPlaced()
            | ev.RunKeptAsRan()
            | ev.RunStatusKept()
        ):
            return None
        case ev.RunOverdue():
            return RunTrigger.FLAG_OVERDUE
        case ev.RunQueueNoted():
            return RunTrigger.NOTE_QUEUE
        case ev.RunSubmitted():
            return RunTrigger.SUBMIT
        case ev.RunStarted():
            return RunTrigger.START
        case ev.RunSucceeded():
            return RunTrigger.SUCCEED
        case ev.RunFailed():
            return RunTrigger.FAIL_OOM if evt.oom else RunTrigger.FAIL
        case ev.RunPlanned():
            return RunTrigger.REPLAN
        case ev.RunTimedOut():
            return RunTrigger.TIME_OUT
        case ev.RunLost():
            return RunTrigger.LOSE
        case ev.RunCancelled():
            return RunTrigger.CANCEL
        case ev.RunRetryScheduled():
            return RunTrigger.RETRY
        case ev.RunSpecChanged():
            return RunTrigger.RESPEC
        case ev.RunStuck():
            return RunTrigger.GIVE_UP
        case ev.RunFoundDone():
            return RunTrigger.FIND_DONE
        case ev.RunRuledOut():
            return RunTrigger.RULE_OUT
        case ev.RunResultCarried():
            return RunTrigger.CARRY
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
