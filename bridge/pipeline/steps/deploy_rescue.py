"""
Rescue after deployment failures: when two runs of a deployed milestone fail the same way, the
reviewer is asked for a diagnosis with the sanity rescue's inputs; an implementer able to fix
applies it and the failed runs run again, else the pipeline blocks with the diagnosis.
"""

from __future__ import annotations

from pathlib import Path

from bridge.errors import ReviewError
from bridge.events import types as ev
from bridge.events.values import Severity
from bridge.machine.classify import failure_signature
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.scheduler import sanity_milestones
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import retries
from bridge.pipeline.session import Session, Step
from bridge.pipeline.steps import code, sanity

__all__ = ["MAX_DEPLOY_RESCUES", "deployment_rescue", "repeated_failure"]

MAX_DEPLOY_RESCUES = 2  # rescue rounds per milestone before a person is asked, as for sanity

# A run that ended this way failed on its own (cancelled runs were stopped because of others).
_FAILED = (RunState.FAILED, RunState.TIMED_OUT, RunState.STUCK, RunState.LOST)


def repeated_failure(
    state: PipelineState, root: Path, skip: set[str]
) -> tuple[str, str, list[RunView]]:
    """
    The first deployed milestone (not in ``skip``, in plan order) where two or more runs failed
    with the same signature: ``(milestone, signature, runs)``, or ``("", "", [])`` when none.

    The signature is :func:`failure_signature` of one run without its system, so the same bug
    hitting two systems counts as the same failure.
    """
    for milestone in state.milestone_ids:
        if milestone in skip:
            continue
        groups: dict[str, list[RunView]] = {}
        for run in state.runs.values():
            if run.spec.milestone != milestone or run.state not in _FAILED:
                continue
            attempt = run.current
            exit_code = attempt.exit_code if attempt is not None else None
            signature = failure_signature([("", exit_code, sanity.log_tail(root, run))])
            groups.setdefault(signature, []).append(run)
        for signature, runs in groups.items():
            if len(runs) >= 2:
                return milestone, signature, runs
    return "", "", []


def deployment_rescue(s: Session) -> Step | None:
    """
    After the deploy phase: rescue the first milestone whose runs failed the same way twice.

    Returns:
        None when there is nothing to rescue (or ``rescue_on_failure`` is off); else the step
        taken: the fix applied (IMPLEMENTED, the failed runs scheduled again) or BLOCKED with
        the diagnosis, or BLOCKED once the milestone used its rescue rounds.
    """
    if not s.project.options.rescue_on_failure:
        return None
    state = s.state()
    skip = sanity_milestones(state) if s.project.options.sanity_first else set()
    milestone, signature, failed = repeated_failure(state, s.root, skip)
    if not failed:
        return None
    ids = [r.run_id for r in failed]
    findings = sanity.failure_findings(failed)
    lead = sanity.lead_of(findings) or failed[0].reason[:300]
    rounds = sum(1 for r in state.rescues if r.milestone == milestone)
    if rounds >= MAX_DEPLOY_RESCUES:
        return s.block(
            f"{_of(milestone)} still fails after {rounds} rescue rounds: {lead}", findings
        )
    try:
        review = s.reviewer.review(sanity.rescue_request(s, failed, signature))
    except ReviewError as exc:
        return s.block(f"rescue diagnosis for {_of(milestone)} failed: {exc}", findings)
    s.append(
        "bridge",
        [
            ev.RescueDiagnosed(
                reviewer=review.reviewer,
                findings=review.findings,
                text=review.text,
                milestone=milestone,
                signature=signature,
                runs=tuple(ids),
            )
        ],
    )
    blocking = [f for f in review.findings if f.severity is Severity.BLOCKING]
    fixes = blocking or list(review.findings)
    if s.implementer.can_fix and fixes:
        step = code.implement(s, fixes)
        if step.after is Stage.IMPLEMENTED:
            reason = (
                f"rescued: {len(ids)} runs of {milestone} failed the same way"
                if milestone
                else f"rescued: {len(ids)} runs failed the same way"
            )
            scheduled = retries.schedule(s, ids, reason)
            code.respec(s, "rescued with the fixed code", set(scheduled.all))
        return step
    # The lead opens with the runs when its finding names them all; said once (027's
    # "R-C4-s3407, R-C4-s3408, R-C4-s3409 failed the same way: R-C4-s3407, …: exit 1").
    said = lead.removeprefix(f"{', '.join(ids)}: ")
    return s.block(
        f"{_of(milestone)}: {', '.join(ids)} failed the same way: {said}"
        if milestone
        else f"{', '.join(ids)} failed the same way: {said}",
        [*findings, *blocking],
    )


def _of(milestone: str) -> str:
    """``milestone M3``; for the runs of a plan with no milestones (025), ``the runs``."""
    return f"milestone {milestone}" if milestone else "the runs"
