"""
The sanity steps: run the sanity milestone first, retry or fix it, and ask for a rescue
diagnosis when it fails the same way twice. Never deploy past a failed sanity milestone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridge.errors import ReviewError
from bridge.events import types as ev
from bridge.events.values import Finding, Severity
from bridge.machine.classify import failure_signature
from bridge.machine.ports import ReviewRequest
from bridge.machine.scheduler import sanity_milestones
from bridge.machine.stages import TERMINAL_RUN_STATES, RunState
from bridge.pipeline_events import approval_summary
from bridge.session import Session, Step
from bridge.steps import code, deploy

__all__ = ["after_sanity_failure", "log_tail", "rescue", "sanity"]


def sanity(s: Session) -> Step:
    state = s.state()
    options = s.project.options
    if not options.auto_deploy and not state.approved:
        summary = approval_summary(s.project, state) + deploy.quote(s, state)
        s.append("bridge", [ev.ApprovalRequested(summary=summary)])
        return s.enter("request_approval", "auto_deploy is off: waiting for `bridge approve`")
    sanity = sanity_milestones(state) if options.sanity_first else set()
    runs = [r for r in state.runs.values() if r.spec.milestone in sanity]
    if not runs:
        s.append(
            "bridge", [ev.SanityChecked(passed=True, detail="no sanity milestone in the plan")]
        )
        return s.enter("pass_sanity", "no sanity milestone; nothing to check first")
    for run in runs:  # a second sanity pass re-runs what failed before
        if run.state in TERMINAL_RUN_STATES and run.state is not RunState.SUCCEEDED:
            s.append(
                f"run:{run.run_id}",
                [ev.RunRetryScheduled(run_id=run.run_id, reason="sanity runs again", manual=True)],
                run.stream_version,
            )
    held = deploy.run_phase(s, "sanity")
    if held is not None:
        return s.block(held)
    state = s.state()
    runs = [r for r in state.runs.values() if r.spec.milestone in sanity]
    failed = [r for r in runs if r.state is not RunState.SUCCEEDED]
    if not failed:
        s.append(
            "bridge",
            [ev.SanityChecked(passed=True, detail=f"{len(runs)} sanity run(s) passed")],
        )
        s.notify("milestone", "bridge: sanity passed", f"{len(runs)} sanity run(s) passed")
        return s.enter("pass_sanity", "sanity milestone passed")
    failures = [
        (r.spec.system, r.current.exit_code if r.current else None, log_tail(s.root, r))
        for r in failed
    ]
    signature = failure_signature(failures)
    detail = "; ".join(f"{r.run_id}: {r.reason}" for r in failed)[:2000]
    s.append("bridge", [ev.SanityChecked(passed=False, signature=signature, detail=detail)])
    s.notify("failure", "bridge: sanity failed", detail)
    return s.enter("fail_sanity", f"sanity failed: {detail[:200]}")


def after_sanity_failure(s: Session) -> Step:
    state = s.state()
    checks = [c for c in state.sanity_checks if not c.passed]
    last = checks[-1]
    repeats = sum(1 for c in checks if c.signature == last.signature)
    if repeats >= 2:
        if s.project.options.rescue_on_failure:
            return s.enter("rescue", "the same sanity failure twice: asking for a diagnosis")
        return s.block(f"sanity failed twice the same way: {last.detail[:300]}")
    if s.implementer.can_fix:
        finding = Finding(severity=Severity.BLOCKING, message=f"sanity failed: {last.detail}")
        return code.implement(s, [finding])
    return s.enter("retry_sanity", "sanity failed once; running it again")


def rescue(s: Session) -> Step:
    state = s.state()
    last = [c for c in state.sanity_checks if not c.passed][-1]
    failed = [
        r
        for r in state.runs.values()
        if r.spec.milestone in sanity_milestones(state) and r.state is not RunState.SUCCEEDED
    ]
    failure = "\n\n".join(
        f"run {r.run_id} ({r.spec.system}) on {s.backend.name}\ncommand: "
        f"{' '.join(r.current.argv) if r.current else ''}\nexit: "
        f"{r.current.exit_code if r.current else None}\nlog:\n{log_tail(s.root, r)}"
        for r in failed
    )
    request = ReviewRequest(
        purpose="rescue",
        project=s.root,
        plan_excerpt=s.request().plan_excerpt,
        method=s.request().method,
        files=code.code_files(s.root, s.commands()),
        failure=f"signature {last.signature}\n{failure}",
    )
    try:
        review = s.reviewer.review(request)
    except ReviewError as exc:
        return s.block(f"rescue diagnosis failed: {exc}")
    s.append(
        "bridge",
        [ev.RescueDiagnosed(reviewer=review.reviewer, findings=review.findings, text=review.text)],
    )
    fixes = [f for f in review.findings if f.severity is Severity.BLOCKING] or list(review.findings)
    if s.implementer.can_fix and fixes:
        return code.implement(s, fixes)
    return s.block(f"sanity fails repeatedly; diagnosis: {review.text[:400]}", review.findings)


def log_tail(root: Path, run: Any) -> str:
    attempt = run.current
    if attempt is None:
        return ""
    base = root / ".bridge" / "runs" / run.run_id / attempt.attempt_id
    text = ""
    for name in ("stdout.log", "stderr.log"):
        try:
            text += (base / name).read_text(errors="replace")[-4000:]
        except OSError:
            continue
    return text
