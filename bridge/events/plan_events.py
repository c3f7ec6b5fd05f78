"""
The plan and the pipeline's stages: what was read, which stage the pipeline is in, approvals,
gates, milestones, and the files bridge wrote (all on the ``bridge`` stream).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from bridge.events.registry import event, finite
from bridge.events.run_spec_events import RunPlanned
from bridge.events.secrets import redact
from bridge.events.values import Finding
from bridge.value_methods import value_methods

__all__ = [
    "AblationsPlanned",
    "ApprovalRequested",
    "Approved",
    "BlockInfo",
    "ChecklistItemInfo",
    "ClaimInfo",
    "GateDecided",
    "MilestoneCompleted",
    "MilestoneInfo",
    "OutputWritten",
    "PipelineBlocked",
    "PlanLoaded",
    "StageEntered",
]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MilestoneInfo:
    """
    A milestone as recorded when the plan was loaded (plan order is the tuple order), with
    its decision gate as written (``""`` when the plan gives none, and in logs from before it
    was recorded).
    """

    id: str
    name: str = ""
    goal: str = ""
    sanity: bool = False
    blocks: tuple[str, ...] = ()
    gpu_hours: float | None = attrs.field(default=None, validator=finite)
    gate: str = ""  # the decision gate as the plan writes it; bridge quotes it, never checks it


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ClaimInfo:
    """
    A claim a block tests, as recorded when the plan was loaded: its id (``C1``) and its text
    from the claim map (``""`` where the map has no such claim); or, for a block that neither
    its Claim tested field nor the claim map ties to a claim id, ``id`` ``""`` and that field
    as written.
    """

    id: str
    text: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class BlockInfo:
    """
    An experiment block as recorded when the plan was loaded (``status_tag``: what its heading
    says of its state, ``COMPLETE`` or ``✅``, ``""`` when nothing; ``baseline`` and
    ``proposed``: the systems the block's ``Baseline:`` and ``Proposed:`` lines name, ``""``
    when it has none; ``failure_interpretation``: its Failure interpretation as written, ``""``
    when it has none, which a negative main result's next step points to only where written).
    """

    id: str
    title: str = ""
    priority: str = "must"
    systems: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    success_criterion: str = ""
    seed_count: int | None = None
    evaluation_type: str = "real_gt"
    status_tag: str = ""
    baseline: str = ""
    proposed: str = ""
    failure_interpretation: str = ""
    claims: tuple[ClaimInfo, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ChecklistItemInfo:
    """
    An item of the plan's final checklist as recorded when the plan was loaded: its words,
    whether the researcher ticked it, and where (the plan file, 1-based line). bridge shows it
    and never checks or ticks it.
    """

    text: str
    ticked: bool = False
    file: str = ""
    line: int = 0


@event("plan.loaded")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PlanLoaded:
    """
    The plan was read: where from (with its sha256), the options in force, milestones and blocks.

    ``tracker_text`` is the researcher's tracker as written (without any part bridge generated),
    the layout the tracker projection fills in; ``""`` when there is none. ``method`` is the
    plan's method thesis (and the proposal's method, shortened): the judge reads the proposed
    system's name from it. ``stop_rules`` are the plan's kill criteria or stop rules as written,
    quoted in the results (bridge checks none of them); ``exit_criteria`` its exit criteria,
    quoted as such (a log from before they were kept apart holds them among ``stop_rules``);
    ``checklist`` the items of its final checklist, ticked or not, shown and never checked
    (empty in a log from before it was recorded).
    ``options`` also carries, as text, what the judge needs of the plan and ``bridge.toml``
    beyond the options, each key only when set: ``metrics.units`` (``[metrics] units``),
    ``plan.same_seeds`` (the blocks whose plan asks for the same seeds) and
    ``plan.metric_names`` (the names the plan's own metrics sections list, one a line, which a
    criterion may name). ``tracker_results`` holds, by run id, the Result cell of each row of
    the tracker as bridge last wrote it (its note of that write, read with the tracker): what
    tells a value bridge put in that cell from one the researcher wrote there, in any form;
    empty when bridge had not written the tracker, or in a log from before it was recorded.
    ``run_gates`` holds, by run id, each run's own gate as the plan and tracker state it (runs
    with none left out): the results judge it against the run's values (recorded here, not with
    the run, so a gate edited after the run ran is the one judged).
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
    budget_gpu_hours: float | None = attrs.field(default=None, validator=finite)
    warnings: tuple[str, ...] = ()
    inputs: Mapping[str, str] = attrs.field(factory=dict)
    tracker_text: str = ""
    method: str = attrs.field(default="", converter=redact)
    stop_rules: tuple[str, ...] = ()
    exit_criteria: tuple[str, ...] = ()
    checklist: tuple[ChecklistItemInfo, ...] = ()
    tracker_results: Mapping[str, str] = attrs.field(factory=dict)
    run_gates: Mapping[str, str] = attrs.field(factory=dict)


@event("stage.entered")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class StageEntered:
    """
    The pipeline moved to ``stage`` (a :class:`bridge.Stage` value) by ``trigger`` (a
    ``bridge.machine.triggers.StageTrigger`` value; the fold refuses any other).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    stage: str
    trigger: str
    reason: str = attrs.field(default="", converter=redact)


@event("pipeline.blocked")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PipelineBlocked:
    """
    Why the pipeline cannot go on without a person (recorded just before entering BLOCKED).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    reason: str = attrs.field(converter=redact)
    findings: tuple[Finding, ...] = ()


@event("approval.requested")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ApprovalRequested:
    """
    The pipeline stopped for a person's approval (``auto_deploy`` off), with a summary.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    summary: str


@event("approval.granted")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Approved:
    """
    A person approved deployment.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    by: str = ""


@event("milestone.completed")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class MilestoneCompleted:
    """
    Every must-run run of ``milestone`` is terminal; ``succeeded`` tells whether all succeeded.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    milestone: str
    succeeded: bool = True


@event("ablations.planned")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
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
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GateDecided:
    """
    The milestone gate decided whether the plan may go past ``milestone``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    milestone: str
    proceed: bool
    reason: str = attrs.field(default="", converter=redact)


@event("output.written")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
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
