"""
The event types: every fact bridge records, in the past tense.

Each event is a frozen, keyword-only attrs class registered with :func:`event` under a stable type
tag (``"run.submitted"``) and a schema version. The tag, never the Python path, is what the log
stores, so classes can be renamed and moved freely. Floats are checked finite at construction, so
no event can carry NaN or Infinity into the log.

Streams: ``bridge`` holds the pipeline's events; ``run:<RUN_ID>`` holds one run's events.

The classes live in one module per family (``plan_events``, ``code_events``, ``cost_events``,
``run_spec_events``, ``run_lifecycle_events``, ``result_events``; the registry in
``registry``); this module gathers them, and the closed unions, under one name.
"""

from __future__ import annotations

from typing import TypeAlias

from bridge.events.code_events import (
    CRITERION_APPROVED,
    CRITERION_HELD,
    CRITERION_UNJUDGED,
    BaseRepoCloned,
    CodeReviewed,
    ImplementationRecorded,
    RescueDiagnosed,
    SanityChecked,
)
from bridge.events.cost_events import (
    BudgetWarned,
    CostRecorded,
    InstanceRented,
    OrphansReported,
)
from bridge.events.plan_events import (
    AblationsPlanned,
    ApprovalRequested,
    Approved,
    BlockInfo,
    ChecklistItemInfo,
    ClaimInfo,
    GateDecided,
    MilestoneCompleted,
    MilestoneInfo,
    OutputWritten,
    PipelineBlocked,
    PlanLoaded,
    StageEntered,
)
from bridge.events.registry import EVENT_TYPES, event
from bridge.events.result_events import (
    CriterionJudged,
    MetricsRecorded,
)
from bridge.events.run_lifecycle_events import (
    ArtifactsFetched,
    RunCancelled,
    RunFailed,
    RunLost,
    RunOverdue,
    RunQueueNoted,
    RunRetryScheduled,
    RunStarted,
    RunStuck,
    RunSubmitted,
    RunSucceeded,
    RunTimedOut,
)
from bridge.events.run_spec_events import (
    RunFoundDone,
    RunInput,
    RunKeptAsRan,
    RunPlaced,
    RunPlanned,
    RunResultCarried,
    RunRuledOut,
    RunSpecChanged,
    RunStatusKept,
    SpecChange,
)

__all__ = [
    "CRITERION_APPROVED",
    "CRITERION_HELD",
    "CRITERION_UNJUDGED",
    "EVENT_TYPES",
    "AblationsPlanned",
    "ApprovalRequested",
    "Approved",
    "ArtifactsFetched",
    "BaseRepoCloned",
    "BlockInfo",
    "BudgetWarned",
    "ChecklistItemInfo",
    "ClaimInfo",
    "CodeReviewed",
    "CostRecorded",
    "CriterionJudged",
    "Event",
    "GateDecided",
    "ImplementationRecorded",
    "InstanceRented",
    "MetricsRecorded",
    "MilestoneCompleted",
    "MilestoneInfo",
    "OrphansReported",
    "OutputWritten",
    "PipelineBlocked",
    "PipelineEvent",
    "PlanLoaded",
    "RescueDiagnosed",
    "RunCancelled",
    "RunEvent",
    "RunFailed",
    "RunFoundDone",
    "RunInput",
    "RunKeptAsRan",
    "RunLost",
    "RunOverdue",
    "RunPlaced",
    "RunPlanned",
    "RunQueueNoted",
    "RunResultCarried",
    "RunRetryScheduled",
    "RunRuledOut",
    "RunSpecChanged",
    "RunStarted",
    "RunStatusKept",
    "RunStuck",
    "RunSubmitted",
    "RunSucceeded",
    "RunTimedOut",
    "SanityChecked",
    "SpecChange",
    "StageEntered",
    "event",
]

#: Every event of the ``bridge`` stream.
PipelineEvent: TypeAlias = (
    PlanLoaded
    | StageEntered
    | PipelineBlocked
    | BaseRepoCloned
    | ImplementationRecorded
    | CodeReviewed
    | ApprovalRequested
    | Approved
    | SanityChecked
    | RescueDiagnosed
    | InstanceRented
    | MilestoneCompleted
    | AblationsPlanned
    | GateDecided
    | CriterionJudged
    | BudgetWarned
    | CostRecorded
    | OrphansReported
    | OutputWritten
)

#: Every event of a ``run:<RUN_ID>`` stream (each has a ``run_id``).
RunEvent: TypeAlias = (
    RunPlanned
    | RunFoundDone
    | RunRuledOut
    | RunSpecChanged
    | RunPlaced
    | RunKeptAsRan
    | RunStatusKept
    | RunResultCarried
    | RunSubmitted
    | RunStarted
    | ArtifactsFetched
    | RunSucceeded
    | RunFailed
    | RunTimedOut
    | RunLost
    | RunCancelled
    | RunRetryScheduled
    | RunStuck
    | RunOverdue
    | RunQueueNoted
    | MetricsRecorded
)

#: Every registered event: a new event class joins one of the unions above (a test checks that
#: the unions hold exactly the registered classes), and then every ``match`` over events that
#: ends in ``assert_never`` fails ``mypy --strict`` until it handles the new class.
Event: TypeAlias = PipelineEvent | RunEvent
