"""
The event types: every fact bridge records, in the past tense.

Each event is a frozen, keyword-only attrs class registered with :func:`event` under a stable type
tag (``"run.submitted"``) and a schema version. The tag, never the Python path, is what the log
stores, so classes can be renamed and moved freely. Floats are checked finite at construction, so
no event can carry NaN or Infinity into the log.

Streams: ``bridge`` holds the pipeline's events; ``run:<RUN_ID>`` holds one run's events.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar, TypeAlias, TypeVar  # Any: attrs.Attribute, class registry

import attrs

from bridge.events.measurements import HistorySummary, MetricValue, QualityFlag, UnreadOutput
from bridge.events.secrets import redact
from bridge.events.values import Artifact, Finding, JobHandle, Slot
from bridge.plan.priority import Priority, as_priority

__all__ = [
    "EVENT_TYPES",
    "AblationsPlanned",
    "ApprovalRequested",
    "Approved",
    "ArtifactsFetched",
    "BaseRepoCloned",
    "BlockInfo",
    "BudgetWarned",
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
    "RunInput",
    "RunLost",
    "RunOverdue",
    "RunPlanned",
    "RunQueueNoted",
    "RunRetryScheduled",
    "RunSpecChanged",
    "RunStarted",
    "RunStuck",
    "RunSubmitted",
    "RunSucceeded",
    "RunTimedOut",
    "SanityChecked",
    "SpecChange",
    "StageEntered",
    "event",
]

E = TypeVar("E")

#: type tag → (schema version, class). Filled by :func:`event`.
EVENT_TYPES: dict[str, tuple[int, type[Any]]] = {}


def event(tag: str, version: int = 1) -> Callable[[type[E]], type[E]]:
    """
    Register an event class under ``tag`` at schema ``version``.

    Raises:
        ValueError: when the tag is registered twice.
    """

    def register(cls: type[E]) -> type[E]:
        if tag in EVENT_TYPES:
            raise ValueError(f"event type {tag!r} registered twice")
        cls.TYPE = tag  # type: ignore[attr-defined]
        cls.SCHEMA_VERSION = version  # type: ignore[attr-defined]
        EVENT_TYPES[tag] = (version, cls)
        return cls

    return register


def _finite(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        raise ValueError(f"{attribute.name} must be finite, got {value!r}")


# --------------------------------------------------------------------------------------------
# Value types carried inside events
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MilestoneInfo:
    """
    A milestone as recorded when the plan was loaded (plan order is the tuple order).
    """

    id: str
    name: str = ""
    goal: str = ""
    sanity: bool = False
    blocks: tuple[str, ...] = ()
    gpu_hours: float | None = attrs.field(default=None, validator=_finite)


@attrs.frozen(kw_only=True)
class BlockInfo:
    """
    An experiment block as recorded when the plan was loaded.
    """

    id: str
    title: str = ""
    priority: str = "must"
    systems: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    success_criterion: str = ""
    seed_count: int | None = None
    evaluation_type: str = "real_gt"


# --------------------------------------------------------------------------------------------
# Pipeline stream
# --------------------------------------------------------------------------------------------


@event("plan.loaded")
@attrs.frozen(kw_only=True)
class PlanLoaded:
    """
    The plan was read: where from (with its sha256), the options in force, milestones and blocks.

    ``tracker_text`` is the researcher's tracker as written (without any part bridge generated),
    the layout the tracker projection fills in; ``""`` when there is none. ``method`` is the
    plan's method thesis (and the proposal's method, shortened): the judge reads the proposed
    system's name from it.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    title: str
    plan_path: str
    plan_sha256: str
    language: str = "en"
    sources: Mapping[str, str] = attrs.field(factory=dict)
    options: Mapping[str, str] = attrs.field(factory=dict)
    milestones: tuple[MilestoneInfo, ...] = ()
    blocks: tuple[BlockInfo, ...] = ()
    budget_gpu_hours: float | None = attrs.field(default=None, validator=_finite)
    warnings: tuple[str, ...] = ()
    inputs: Mapping[str, str] = attrs.field(factory=dict)
    tracker_text: str = ""
    method: str = attrs.field(default="", converter=redact)


@event("stage.entered")
@attrs.frozen(kw_only=True)
class StageEntered:
    """
    The pipeline moved to ``stage`` (a :class:`bridge.Stage` value) by ``trigger``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    stage: str
    trigger: str
    reason: str = attrs.field(default="", converter=redact)


@event("pipeline.blocked")
@attrs.frozen(kw_only=True)
class PipelineBlocked:
    """
    Why the pipeline cannot go on without a person (recorded just before entering BLOCKED).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    reason: str = attrs.field(converter=redact)
    findings: tuple[Finding, ...] = ()


@event("base_repo.cloned")
@attrs.frozen(kw_only=True)
class BaseRepoCloned:
    """
    ``base_repo`` was cloned into the project at ``commit``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    url: str
    path: str
    commit: str


@event("implementation.recorded")
@attrs.frozen(kw_only=True)
class ImplementationRecorded:
    """
    The implementer ran: files it changed (path → sha256) and the findings of its checks.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    implementer: str
    changed_files: Mapping[str, str] = attrs.field(factory=dict)
    findings: tuple[Finding, ...] = ()
    summary: str = ""
    round: int = 1


@event("code.reviewed")
@attrs.frozen(kw_only=True)
class CodeReviewed:
    """
    A reviewer judged the code (``round`` 1 is the first review, 2 the re-review after a fix).
    ``unavailable`` is why the configured reviewer could not answer when the local checklist
    stood in for it (then ``local_only`` is True).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    reviewer: str
    findings: tuple[Finding, ...] = ()
    text: str = attrs.field(default="", converter=redact)
    local_only: bool = False
    model: str = ""
    round: int = 1
    skipped: bool = False
    unavailable: str = attrs.field(default="", converter=redact)


@event("approval.requested")
@attrs.frozen(kw_only=True)
class ApprovalRequested:
    """
    The pipeline stopped for a person's approval (``auto_deploy`` off), with a summary.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    summary: str


@event("approval.granted")
@attrs.frozen(kw_only=True)
class Approved:
    """
    A person approved deployment.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    by: str = ""


@event("sanity.checked")
@attrs.frozen(kw_only=True)
class SanityChecked:
    """
    The sanity milestone finished: passed, or failed with a failure ``signature``; or it was
    ``skipped`` by configuration (``sanity_first = false``: then ``passed`` is True only in the
    sense that nothing holds deployment back).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    passed: bool
    signature: str = ""
    detail: str = attrs.field(default="", converter=redact)
    skipped: bool = False


@event("rescue.diagnosed")
@attrs.frozen(kw_only=True)
class RescueDiagnosed:
    """
    The reviewer diagnosed a repeated failure: of the sanity milestone (``milestone`` empty), or
    of runs of the deployed ``milestone`` failing the same way (``signature``, ``runs``).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    reviewer: str
    findings: tuple[Finding, ...] = ()
    text: str = attrs.field(default="", converter=redact)
    milestone: str = ""
    signature: str = ""
    runs: tuple[str, ...] = ()


@event("backend.instance_rented")
@attrs.frozen(kw_only=True)
class InstanceRented:
    """
    A paid backend rented (or found again) a machine for ``attempt_id``, recorded before
    anything is launched on it: ``cleanup`` is the exact command that stops its billing,
    ``mounts`` what it holds beyond its image (the project's code copy, its disk, volumes).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    backend: str
    instance_id: str
    attempt_id: str
    cleanup: str
    label: str = ""
    image: str = ""
    mounts: tuple[str, ...] = ()


@event("milestone.completed")
@attrs.frozen(kw_only=True)
class MilestoneCompleted:
    """
    Every must-run run of ``milestone`` is terminal; ``succeeded`` tells whether all succeeded.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    milestone: str
    succeeded: bool = True


@event("ablations.planned")
@attrs.frozen(kw_only=True)
class AblationsPlanned:
    """
    Ablation planning after a main result: ``outcome`` is ``proposed`` (``runs`` wait for a
    person's approval; ``proposals`` hold their full plans, recorded as ``RunPlanned`` only when
    approved, so nothing can launch them before) or ``skipped`` (with the ``reason``).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    planner: str
    outcome: str
    reason: str = attrs.field(default="", converter=redact)
    runs: tuple[str, ...] = ()
    proposals: tuple[RunPlanned, ...] = ()


@event("gate.decided")
@attrs.frozen(kw_only=True)
class GateDecided:
    """
    The milestone gate decided whether the plan may go past ``milestone``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    milestone: str
    proceed: bool
    reason: str = attrs.field(default="", converter=redact)


@event("criterion.judged")
@attrs.frozen(kw_only=True)
class CriterionJudged:
    """
    A reviewer judged a block's success criterion that the rules could not check: ``verdict``
    (``met``, ``not_met`` or ``inconclusive``), its ``reasoning``, and who answered
    (``reviewer``, ``model``). ``inputs_sha256`` is the digest of what it was shown (the
    criterion and the aggregated numbers); once the numbers change, the judgment no longer
    applies. A reviewer's judgment never replaces a rule's ``met`` or ``not_met``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    block: str
    verdict: str
    reasoning: str = attrs.field(default="", converter=redact)
    reviewer: str = ""
    model: str = ""
    inputs_sha256: str = ""


@event("budget.warned")
@attrs.frozen(kw_only=True)
class BudgetWarned:
    """
    GPU-hours used crossed ``threshold`` (0.8 or 1.0) of the planned budget.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    threshold: float = attrs.field(validator=_finite)
    used_gpu_hours: float = attrs.field(validator=_finite)
    planned_gpu_hours: float = attrs.field(validator=_finite)


@event("cost.recorded")
@attrs.frozen(kw_only=True)
class CostRecorded:
    """
    A paid backend reported what one rented machine has cost so far (a running total for that
    ``instance``, not an increment). The log's spend is the sum over instances of their latest
    totals, so sessions that each saw only some instances never lose each other's costs.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    backend: str
    dollars: float = attrs.field(validator=_finite)
    instance: str = ""
    detail: str = attrs.field(default="", converter=redact)


@event("orphans.reported")
@attrs.frozen(kw_only=True)
class OrphansReported:
    """
    Rented machines labelled for this project that no live run uses (``bridge gc`` frees them).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    backend: str
    instances: tuple[str, ...] = ()


@event("output.written")
@attrs.frozen(kw_only=True)
class OutputWritten:
    """
    A projection file was written: fixed ``path``, its sha256, and the timestamped copy kept as
    a version (``copy`` is ``""`` when only the fixed file was rewritten).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    path: str
    copy: str
    sha256: str
    timestamp: str = ""
    skill: str = "bridge"
    stage: str = ""
    description: str = ""


# --------------------------------------------------------------------------------------------
# Run streams
# --------------------------------------------------------------------------------------------


@event("run.planned")
@attrs.frozen(kw_only=True)
class RunPlanned:
    """
    A run of the plan, with everything needed to launch it (the command template and values).

    ``block_system`` is the block's compared system the run stands for, as the plan writes it;
    ``attribution`` says how the block was chosen, or, when ``block`` is empty, why no block
    could be (bridge/plan/attribution.py). ``directory`` is the safe name of the run's
    directory when its id cannot name one (``""``: the id itself).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    milestone: str = ""
    block: str = ""
    system: str = ""
    seed: int | None = None
    priority: Priority = attrs.field(default=Priority.MUST, converter=as_priority)
    purpose: str = ""
    split: str = ""
    metrics: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    params: Mapping[str, str] = attrs.field(factory=dict)
    outputs: tuple[str, ...] = ()
    estimated_minutes: float | None = attrs.field(default=None, validator=_finite)
    gpus: int = 0
    timeout_minutes: float | None = attrs.field(default=None, validator=_finite)
    env: Mapping[str, str] = attrs.field(factory=dict)
    cwd: str = ""
    depends_on: tuple[str, ...] = ()
    max_retries: int = 0
    oom_max_attempts: int = 3
    source: str = ""
    notes: str = ""
    block_system: str = ""
    attribution: str = ""
    directory: str = ""


@event("run.found_done")
@attrs.frozen(kw_only=True)
class RunFoundDone:
    """
    The researcher's tracker says this run was done before bridge (DONE, COMPLETED, passed, ✓):
    it is not launched and counts as done; ``evidence`` is the row's Notes as written, ``status``
    its Status cell. ``bridge retry --force`` runs it after all.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    status: str = ""
    evidence: str = ""
    file: str = ""
    line: int = 0


@event("run.ruled_out")
@attrs.frozen(kw_only=True)
class RunRuledOut:
    """
    The researcher's tracker marks this run out of scope (CANCELLED, SKIPPED, MOOT, BLOCKED, NOT
    RUN — reason): it is not launched, does not count against must-run totals, and is listed
    with ``reason`` (the Status cell, and the Notes when they say more).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    status: str = ""
    reason: str = ""
    file: str = ""
    line: int = 0


@attrs.frozen(kw_only=True)
class SpecChange:
    """
    One field of a run's spec that changed: its name and the old and new values as text.
    """

    field: str
    old: str = attrs.field(converter=redact)
    new: str = attrs.field(converter=redact)


@event("run.spec_changed")
@attrs.frozen(kw_only=True)
class RunSpecChanged:
    """
    The inputs changed and a run that has not succeeded takes the new spec (``spec``) for its
    next attempt; ``changes`` lists each field old → new and ``inputs`` the digests of the inputs
    it was built from. Recorded before the attempt it applies to is launched, so the log shows
    which attempt ran with which settings.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    spec: RunPlanned
    changes: tuple[SpecChange, ...] = ()
    inputs: Mapping[str, str] = attrs.field(factory=dict)
    reason: str = ""


@attrs.frozen(kw_only=True)
class RunInput:
    """
    Lineage: a run's command read another run's outputs through ``{outputs_of:RUN}``.

    ``path`` is the directory the placeholder rendered to; ``local_dir`` the project-relative
    copy bridge collected, whose ``digest`` (sha256 over every file's relative path and sha256,
    in path order) ``bridge verify`` recomputes.
    """

    run_id: str
    attempt_id: str
    path: str
    local_dir: str
    digest: str


@event("run.submitted")
@attrs.frozen(kw_only=True)
class RunSubmitted:
    """
    Intent: attempt ``attempt`` of the run is about to be launched under ``attempt_id``.

    ``scratch_dir`` is the ``{scratch_dir}`` it was given ("" when its command uses none);
    ``inputs`` the other runs' outputs its command reads through ``{outputs_of:RUN}``, each with
    the digest ``bridge verify`` re-checks.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    attempt: int
    backend: str
    slots: tuple[Slot, ...] = ()
    argv: tuple[str, ...] = ()
    output_dir: str = ""
    scratch_dir: str = ""
    inputs: tuple[RunInput, ...] = ()


@event("run.started")
@attrs.frozen(kw_only=True)
class RunStarted:
    """
    Confirmation: the backend launched the attempt; ``handle`` finds it again after a restart.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    handle: JobHandle
    adopted: bool = False


@event("run.artifacts_fetched")
@attrs.frozen(kw_only=True)
class ArtifactsFetched:
    """
    The attempt's outputs and logs are in the local attempt directory (path, size, sha256).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    local_dir: str
    artifacts: tuple[Artifact, ...] = ()


@event("run.succeeded")
@attrs.frozen(kw_only=True)
class RunSucceeded:
    """
    The attempt exited 0 and every expected output is present.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    exit_code: int = 0
    gpu_seconds: float = attrs.field(default=0.0, validator=_finite)
    gpu_memory_peak_mib: int | None = None  # sampled while it ran; None: not sampled


@event("run.failed")
@attrs.frozen(kw_only=True)
class RunFailed:
    """
    The attempt failed; ``oom`` marks an out-of-memory failure (state ``failed_oom``).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    exit_code: int | None = None
    reason: str = attrs.field(default="", converter=redact)
    oom: bool = False
    log_tail: str = attrs.field(default="", converter=redact)
    gpu_seconds: float = attrs.field(default=0.0, validator=_finite)
    gpu_memory_peak_mib: int | None = None  # sampled while it ran; None: not sampled


@event("run.timed_out")
@attrs.frozen(kw_only=True)
class RunTimedOut:
    """
    The attempt ran past its timeout and was stopped.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    timeout_minutes: float | None = attrs.field(default=None, validator=_finite)
    gpu_seconds: float = attrs.field(default=0.0, validator=_finite)


@event("run.lost")
@attrs.frozen(kw_only=True)
class RunLost:
    """
    The attempt vanished: no exit code and no live process (host gone, killed, instance lost).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    reason: str = attrs.field(default="", converter=redact)
    gpu_seconds: float = attrs.field(default=0.0, validator=_finite)


@event("run.cancelled")
@attrs.frozen(kw_only=True)
class RunCancelled:
    """
    The run was cancelled by a person (``attempt_id`` is empty when it had not been launched).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str = ""
    reason: str = attrs.field(default="", converter=redact)
    gpu_seconds: float = attrs.field(default=0.0, validator=_finite)


@event("run.retry_scheduled")
@attrs.frozen(kw_only=True)
class RunRetryScheduled:
    """
    The run goes back to pending; it may launch again at ``not_before``, avoiding ``avoid_gpus``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    reason: str = attrs.field(default="", converter=redact)
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    manual: bool = False


@event("run.stuck")
@attrs.frozen(kw_only=True)
class RunStuck:
    """
    The run ran out of OOM retries; a person must look at it.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    reason: str = attrs.field(default="", converter=redact)


@event("run.overdue")
@attrs.frozen(kw_only=True)
class RunOverdue:
    """
    The attempt has run past twice its estimated time (a flag; the run goes on).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    estimated_minutes: float = attrs.field(validator=_finite)
    elapsed_minutes: float = attrs.field(validator=_finite)


@event("run.queue_noted")
@attrs.frozen(kw_only=True)
class RunQueueNoted:
    """
    The backend's queue holds the attempt, and why (``waiting``: a Slurm job pending for
    ``PartitionDown``), or, with ``waiting`` empty, no longer holds it. Recorded when the reason
    changes; the run stays running in bridge's sense (it was handed over).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    waiting: str = attrs.field(default="", converter=redact)


@event("run.metrics_recorded")
@attrs.frozen(kw_only=True)
class MetricsRecorded:
    """
    The metrics read from a finished attempt's outputs, each with its file, sha256 and rule.

    Recorded after ``RunSucceeded``. Histories are kept as bounded summaries (the full series is
    in the file the summary names). ``key_metric`` is the extracted name shown as the run's key
    metric (``""`` when none matched); ``aliases`` and ``lower_is_better`` are the ``[metrics]``
    settings the values were read and will be judged with, so the results are a function of the
    log alone.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    values: tuple[MetricValue, ...] = ()
    histories: tuple[HistorySummary, ...] = ()
    quality: tuple[QualityFlag, ...] = ()
    problems: tuple[UnreadOutput, ...] = ()
    key_metric: str = ""
    aliases: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    lower_is_better: Mapping[str, bool] = attrs.field(factory=dict)


# --------------------------------------------------------------------------------------------
# The closed unions
# --------------------------------------------------------------------------------------------

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
