"""
The ports to the agents that write and read code and plans: implementers, code reviewers,
criterion reviewers and the ablation planner, with the requests and answers they exchange.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from bridge.events.values import Finding, Severity
from bridge.value_methods import value_methods

__all__ = [
    "AblationPlanner",
    "AblationRequest",
    "AnswersAtOnce",
    "CriterionJudgment",
    "CriterionRequest",
    "CriterionReviewer",
    "ImplementRequest",
    "Implementation",
    "Implementer",
    "ProposedRun",
    "Review",
    "ReviewRequest",
    "Reviewer",
]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ImplementRequest:
    """
    What the implementer is asked to do.

    Attributes:
        project: the project root.
        plan_excerpt: the parts of the plan the code must implement.
        method: the proposal's method text.
        commands: each run id with its rendered command, so missing scripts can be found.
        findings: blocking findings to fix (from review or rescue); empty on the first pass.
        setup_params: per block id, the hyperparameter names its setup text names.
    """

    project: Path
    plan_excerpt: str
    method: str
    commands: Mapping[str, tuple[str, ...]]
    findings: tuple[Finding, ...] = ()
    setup_params: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Implementation:
    """
    What the implementer did: the files it changed (path relative to the project → sha256)
    and the findings of its own checks.
    """

    changed_files: Mapping[str, str]
    findings: tuple[Finding, ...]
    summary: str = ""
    base_commit: str = ""


class Implementer(Protocol):
    """
    Makes sure every run has working code (existing scripts, or an external coding agent).
    """

    name: str

    def implement(self, request: ImplementRequest) -> Implementation:
        """
        Implement (or fix, when ``request.findings`` is not empty) and check the code.

        Raises ``ImplementError`` when the implementer itself cannot run.
        """
        ...

    @property
    def can_fix(self) -> bool:
        """
        True when this implementer can change code in answer to findings.
        """
        ...


@runtime_checkable
class AnswersAtOnce(Protocol):
    """
    An implementer or reviewer that can say its answer comes at once: it works on files here
    (no agent, no network, no clone). The session renders the projections before asking a
    port that may take minutes, so a person watching them sees the stage it works in; before
    one that answers at once it does not (the stage shows at the next rendering, before
    bridge waits on anything).
    """

    @property
    def answers_at_once(self) -> bool:
        """
        True when asking it takes no longer than reading the project's files.
        """
        ...


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ReviewRequest:
    """
    What the reviewer is asked to judge.

    ``purpose`` is ``"code_review"`` before GPU time is spent, ``"rescue"`` after repeated sanity
    failures (then ``failure`` holds command, backend, log excerpt and the failure signature).
    """

    purpose: str
    project: Path
    plan_excerpt: str
    method: str
    files: Mapping[str, str]  # path relative to project → file text (bounded in size)
    diff: str = ""
    failure: str = ""


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Review:
    """
    A reviewer's answer: findings split by severity, the raw text, and who produced it.

    ``local_only`` is True for the local checklist reviewer; its review is marked ``[local-only]``.
    ``unavailable`` says why a configured reviewer could not answer, when the local checklist
    answered in its place (``[reviewer] on_unavailable = "local-only"``).
    """

    reviewer: str
    findings: tuple[Finding, ...]
    text: str
    local_only: bool = False
    model: str = ""
    unavailable: str = ""

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """
        The BLOCKING findings.
        """
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)


class Reviewer(Protocol):
    """
    Gives a second opinion on the code (or a rescue diagnosis).
    """

    name: str

    def review(self, request: ReviewRequest) -> Review:
        """
        Review and return findings. Raises ``ReviewError`` when no review could be had.
        """
        ...


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class CriterionRequest:
    """
    A block whose success criterion the rules could not check, for a reviewer to judge.

    Attributes:
        block: the block id.
        plan_excerpt: the block as the plan recorded it (title, systems, metrics, criterion).
        criterion: the criterion's text.
        numbers: the block's aggregated numbers, one line each, with the runs they come from.
        rule_reason: why the rules gave no verdict.
        project: the project root (where an agent reviewer runs).
    """

    block: str
    plan_excerpt: str
    criterion: str
    numbers: str
    rule_reason: str
    project: Path = Path()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class CriterionJudgment:
    """
    A reviewer's verdict on one criterion: ``met``, ``not_met`` or ``inconclusive``, with its
    reasoning and who gave it.
    """

    verdict: str
    reasoning: str
    reviewer: str
    model: str = ""


@runtime_checkable
class CriterionReviewer(Protocol):
    """
    A reviewer that can also judge a success criterion the rules cannot check (a judgment, not
    a measurement; shown as ``judged_by: reviewer``).
    """

    name: str

    def judge_criterion(self, request: CriterionRequest) -> CriterionJudgment:
        """
        Judge the criterion on the numbers given. Raises ``ReviewError`` when no judgment could
        be had (unreachable, refused, or a reply with no verdict line).
        """
        ...


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ProposedRun:
    """
    One ablation run a planner proposes: a system of the plan (or a variant configured in
    ``[systems]``), a seed, and extra placeholder values for the command template.
    """

    id: str
    block: str
    system: str
    seed: int | None = None
    purpose: str = "ablation"
    args: Mapping[str, str] = attrs.field(factory=dict)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class AblationRequest:
    """
    What an ablation planner is shown: the plan, the results so far, the systems that can be
    run, and the run ids already taken.
    """

    project: Path
    plan_excerpt: str
    results: str
    systems: tuple[str, ...]
    taken_ids: tuple[str, ...]


class AblationPlanner(Protocol):
    """
    Proposes ablation runs once the main result is positive. Proposals are recorded as
    nice-to-have runs and launched only after a person approves them.
    """

    name: str

    def propose(self, request: AblationRequest) -> Sequence[ProposedRun]:
        """
        Return the runs to propose (possibly none). Raises ``ReviewError`` when it cannot.
        """
        ...
