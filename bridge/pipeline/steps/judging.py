"""
At collection: a configured reviewer judges the criteria the rules could not check.

Only blocks whose rule verdict is ``inconclusive`` because the criterion (or a clause of it) is
not machine-checkable, and whose runs all succeeded, are sent; each is sent once for the same
numbers (``CriterionJudged.inputs_sha256``). A rule's ``met`` or ``not_met`` is never sent and
never replaced. Without a reviewer that can judge criteria (the local checklist cannot), nothing
is sent and such blocks stay ``inconclusive`` with the reason.
"""

from __future__ import annotations

from bridge.errors import ReviewError
from bridge.events import types as ev
from bridge.events.types import BlockInfo
from bridge.machine.ports import CriterionJudgment, CriterionRequest, CriterionReviewer
from bridge.pipeline.session import Session

__all__ = ["judge_criteria"]


def _excerpt(block: BlockInfo) -> str:
    lines = [f"Title: {block.title}" if block.title else ""]
    if block.systems:
        lines.append("Compared systems: " + "; ".join(block.systems))
    if block.metrics:
        lines.append("Metrics: " + "; ".join(block.metrics))
    if block.seed_count:
        lines.append(f"Seeds: {block.seed_count}")
    lines.append(f"Evaluation type: {block.evaluation_type}")
    return "\n".join(line for line in lines if line)


def judge_criteria(s: Session) -> int:
    """
    Ask the reviewer about every reviewable block not yet judged on its current numbers, and
    record each answer as ``CriterionJudged`` (a failed request is recorded as an
    ``inconclusive`` judgment that says why).

    Returns:
        How many blocks were sent.
    """
    # Not rendered before asking unless something is asked: at the end of a `bridge run` the
    # projections are rendered (and versioned) right after this, and a rendering here would
    # only be written again.
    reviewer = s.reviewer_unasked
    if not isinstance(reviewer, CriterionReviewer):
        return 0
    # Imported here, once a reviewer can judge: the judge and its patterns are not needed to
    # launch the runs.
    from bridge.machine.judge import numbers_text
    from bridge.projections.outcome import evaluate

    state = s.state()
    done = {(j.block, j.inputs_sha256) for j in state.judgments}
    sent = 0
    for result in evaluate(state).blocks:
        if not result.reviewable or (result.block.id, result.inputs_sha256) in done:
            continue
        request = CriterionRequest(
            block=result.block.id,
            plan_excerpt=_excerpt(result.block),
            criterion=result.block.success_criterion,
            numbers=numbers_text(result.aggregates)
            + "".join(
                f"\nsanity run of the block, not pooled into the numbers above: {note}"
                for note in result.sanity_numbers
            ),
            rule_reason=result.verdict.reason,
            project=s.root,
        )
        s.show_stage()  # an agent may take minutes: the files show the stage meanwhile
        try:
            judgment = reviewer.judge_criterion(request)
        except ReviewError as err:
            judgment = CriterionJudgment(
                verdict="inconclusive",
                reasoning=f"the reviewer gave no judgment: {err}",
                reviewer=reviewer.name,
            )
        s.append(
            "bridge",
            [
                ev.CriterionJudged(
                    block=result.block.id,
                    verdict=judgment.verdict,
                    reasoning=judgment.reasoning,
                    reviewer=judgment.reviewer,
                    model=judgment.model,
                    inputs_sha256=result.inputs_sha256,
                )
            ],
        )
        sent += 1
    return sent
