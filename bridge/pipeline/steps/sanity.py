"""
The sanity steps: run the sanity milestone first, retry or fix it, and ask for a rescue
diagnosis when it fails the same way twice. Never deploy past a failed sanity milestone.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

from bridge.adapters.metrics.reading import read_tail
from bridge.errors import ReviewError
from bridge.events import types as ev
from bridge.events.values import Finding, Severity
from bridge.lazy_patterns import lazy
from bridge.machine.classify import GENERIC_FAILURE, explain_failure, failure_signature
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.ports import ReviewRequest
from bridge.machine.scheduler import sanity_milestones, sanity_probe
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, TERMINAL_RUN_STATES, RunState
from bridge.machine.triggers import StageTrigger
from bridge.machine.verdicts import VerdictKind
from bridge.pipeline import retries
from bridge.pipeline.gpu_bounds import GpuBounds, over_bound, unmeasured
from bridge.pipeline.recording import approval_summary
from bridge.pipeline.session import Session, Step
from bridge.pipeline.steps import code, collect, deploy
from bridge.pipeline.steps.elsewhere import held_by_researcher
from bridge.plan.overview import counted
from bridge.plan.priority import Priority
from bridge.plan.project import passed_over_m0
from bridge.plan.runs import PROPOSED, SANITY_PROPOSAL
from bridge.plan.status_legend import is_held_for_code
from bridge.projections.text import language_of, t

if TYPE_CHECKING:
    from bridge.projections.outcome_types import BlockResult

__all__ = [
    "AUTO_DEPLOY_OFF",
    "after_sanity_failure",
    "deploy_after_sanity",
    "ended_unchecked",
    "failure_findings",
    "lead_of",
    "log_tail",
    "recheck",
    "rescue",
    "rescue_request",
    "sanity",
    "since_check",
]


# The stage reason when approval is asked because deployment waits for a person.
AUTO_DEPLOY_OFF = "auto_deploy is off: waiting for `bridge approve`"
MAX_SANITY_FAILURES = 3  # failed sanity checks before a rescue is asked for, whatever the signature
MAX_RESCUES = 2  # rescue rounds before a person is asked


def sanity(s: Session) -> Step:
    """
    Run the sanity milestone first (after the approval checkpoint when ``auto_deploy`` is
    off); pass only when every sanity run succeeded and its metrics were read and trusted.
    """
    state = s.state()
    options = s.project.options
    limit = GpuBounds.of(s.project.config.run)
    if not options.auto_deploy and not state.approved:
        summary = approval_summary(s.project, state) + deploy.quote(s, state)
        s.append("bridge", [ev.ApprovalRequested(summary=summary)])
        return s.enter(StageTrigger.REQUEST_APPROVAL, AUTO_DEPLOY_OFF)
    held = held_by_researcher(s, state)
    if held is not None:
        return s.block(held)
    sanity = sanity_milestones(state)
    # No sanity milestone: one run of the first milestone, alone, is the check (034 launched
    # all 13 runs at once). The same run at every step: the probe is the plan's, not a state's.
    probe = sanity_probe(state)
    # Runs the tracker says were done before bridge or are out of scope are not bridge's to check.
    runs = _checked(state, sanity, probe)
    proposed = [r.run_id for r in runs if r.spec.source == SANITY_PROPOSAL]
    # Runs bridge worked out from the plan (no tracker run table, no [[runs]]) are its guess:
    # a person confirms them before any GPU time is spent (017: nine launched unasked), with
    # or without a sanity milestone first.
    guessed = [r.run_id for r in state.runs.values() if r.spec.source == PROPOSED]
    if state.approved and (unapproved := deploy.proposed_since_approval(state)):
        # Approved, then a plan edit proposed more (the approval stands after a block is
        # reopened): those wait for their own approval, as at COLLECTED.
        return deploy.request_approval_of_new(s, unapproved)
    if (proposed or guessed) and not state.approved:
        language = language_of(state)
        asked: list[str] = []
        if guessed:
            shown = ", ".join(guessed[:8]) + (", …" if len(guessed) > 8 else "")
            asked.append(t("approval_proposed", language).format(n=len(guessed), ids=shown))
        if proposed:
            asked.append(t("approval_proposed_sanity", language).format(ids=", ".join(proposed)))
        summary = (
            "\n".join(asked) + "\n" + approval_summary(s.project, state) + deploy.quote(s, state)
        )
        s.append("bridge", [ev.ApprovalRequested(summary=summary)])
        return s.enter(
            StageTrigger.REQUEST_APPROVAL,
            f"{counted(len(guessed), 'run')} proposed from the plan "
            f"{'needs' if len(guessed) == 1 else 'need'} approval"
            if guessed
            else f"the proposed sanity run {proposed[0]} needs approval",
            zh=f"{len(guessed)} 个根据计划提议的运行需要批准"
            if guessed
            else f"提议的健全性运行 {proposed[0]} 需要批准",
        )
    if not options.sanity_first:
        why = "sanity skipped by configuration (sanity_first = false)"
        s.append("bridge", [ev.SanityChecked(passed=True, skipped=True, detail=why)])
        return s.enter(StageTrigger.PASS_SANITY, why)
    failed_before = _failed_before_bridge(state, sanity)
    if failed_before:
        # The researcher's own sanity run failed (a "GATE FAILED" row): the later milestones
        # are what that gate holds back, whatever bridge could check itself.
        said = "; ".join(f"{r.run_id} ({r.found_status})" for r in failed_before)
        ids = " ".join(r.run_id for r in failed_before)
        reason = (
            f"the tracker says {counted(len(failed_before), 'sanity run')} failed before bridge: "
            f"{said}. Set the row back to "
            f"TODO once fixed (or `bridge retry {ids}`), or mark it DONE if that "
            "failure is settled"
        )
        s.append("bridge", [ev.SanityChecked(passed=False, detail=reason[:2000])])
        return s.block(reason)
    waiting = _waiting_for_code(state, sanity)
    if waiting:
        # A must-run sanity row whose code is not written yet: what the sanity milestone is to
        # check cannot run, so nothing after it may (the scheduler holds later milestones of
        # one phase; the deploy phase would not see a sanity row).
        ids = ", ".join(r.run_id for r in waiting)
        reason = (
            f"the tracker says {counted(len(waiting), 'must-run sanity run')} "
            f"{'waits' if len(waiting) == 1 else 'wait'} for code: {ids}. Set each "
            "row to TODO once its code is written (or NOT RUN — <reason> if the sanity "
            "milestone is to go on without it)"
        )
        s.append("bridge", [ev.SanityChecked(passed=False, detail=reason[:2000])])
        return s.block(reason)
    if not runs:
        why = _nothing_to_check(s, state, sanity)
        s.append("bridge", [ev.SanityChecked(passed=True, detail=why)])
        zh = _nothing_to_check(s, state, sanity, zh=True)
        return s.enter(
            StageTrigger.PASS_SANITY, f"{why}; nothing to check first", zh=f"{zh}；无需先检查"
        )
    # What to re-run is decided from the log only after every recorded success has had its
    # metrics read: a crash between a run's success and the reading of its metrics must not
    # make it look failed (and run it again).
    collect.ensure_metrics(s)
    state = s.state()
    runs = _checked(state, sanity, probe)
    again = []
    for run in runs:  # a second sanity pass re-runs what did not pass before
        if run.state in TERMINAL_RUN_STATES and _sanity_problem(run, limit, probe):
            s.append(
                f"run:{run.run_id}",
                [ev.RunRetryScheduled(run_id=run.run_id, reason="sanity runs again", manual=True)],
                run.stream_version,
            )
            again.append(run.run_id)
    if again:
        # With the settings as they are now: a run that exited 0 without readable metrics is
        # "succeeded" and kept its spec when bridge.toml was fixed, so it ran again as before.
        code.respec(s, "sanity runs again with the current inputs", set(again))
    held = deploy.run_phase(s, "sanity")
    if held is not None:
        return s.block(held)
    collect.ensure_metrics(s)
    state = s.state()
    runs = _checked(state, sanity, probe)
    failed = [r for r in runs if _sanity_problem(r, limit, probe)]
    if not failed:
        unmet, unjudged = _sanity_criteria(state, sanity)
        held = _criterion_held(s, state, unmet, runs)
        if held is not None:
            return s.block(held)
        notes, notes_zh = _pass_notes(runs, limit, probe, unmet, unjudged)
        passed = f"{counted(len(runs), 'sanity run')} passed" + (f"; {notes}" if notes else "")
        if probe is not None:
            passed = f"{_probed(s, state, probe)} passed" + (f"; {notes}" if notes else "")
        if unmet:
            passed = notes  # the approval leads, so the next check finds it
        s.append("bridge", [ev.SanityChecked(passed=True, detail=passed[:2000])])
        s.notify(
            "milestone",
            "bridge: sanity runs passed, criterion not judged"
            if unjudged and not unmet
            else "bridge: sanity passed",
            passed,
        )
        said = "sanity milestone passed" + (f"; {notes}" if notes else "")
        if unjudged and not unmet:
            # Not "passed" plainly: the runs passed and the criterion was never judged, so it
            # held nothing (006's B5 «composite skill > 0», no run standing for S3 composite,
            # deployed M2 and M3 on R002's skill −0.05 behind "sanity milestone passed").
            said = f"{_UNJUDGED_LEAD}: {notes}; {_UNJUDGED_TAIL}"
        notes = notes_zh
        zh = "健全性里程碑通过" + (f"；{notes}" if notes else "")
        if unjudged and not unmet:
            zh = f"{_UNJUDGED_LEAD_ZH}：{_in_chinese(notes)}；{_UNJUDGED_TAIL_ZH}"
        if probe is not None:
            said = passed
            zh = f"{_probed(s, state, probe, zh=True)}已通过" + (f"；{notes}" if notes else "")
        return s.enter(StageTrigger.PASS_SANITY, said, zh=zh)
    failures = [
        (r.spec.system, r.current.exit_code if r.current else None, log_tail(s.root, r))
        for r in failed
    ]
    signature = failure_signature(failures)
    detail = "; ".join(f"{r.run_id}: {_sanity_problem(r, limit, probe)}" for r in failed)[:2000]
    s.append("bridge", [ev.SanityChecked(passed=False, signature=signature, detail=detail)])
    s.notify("failure", "bridge: sanity failed", detail)
    return s.enter(StageTrigger.FAIL_SANITY, f"sanity failed: {_cut(detail)}")


def recheck(s: Session, again: Sequence[str]) -> str | None:
    """
    Check the sanity runs ``again`` that a person ran again after the sanity milestone passed
    (``bridge retry --force R001`` at COLLECTED), once they ended, as the sanity step checks
    them the first time: a run that did not pass, or the sanity milestone's own criterion not
    met (unless a person approved going past it), is recorded as a failed check and returned
    as the reason to hold the plan; ``None`` when they pass. 029's R001 re-run with
    ``ml_ok: false`` was judged not met in its block while the results said "Sanity: passed"
    and the later milestones went on. So are those whose numbers were read again under new
    ``[metrics]`` settings without a run (:class:`Unseen`): the reasons say which happened.
    """
    collect.ensure_metrics(s)
    state = s.state()
    limit = GpuBounds.of(s.project.config.run)
    probe = sanity_probe(state)
    runs = [state.runs[r] for r in again if r in state.runs]
    if any(r.state not in TERMINAL_RUN_STATES for r in runs):
        return None
    failed = [r for r in runs if _sanity_problem(r, limit, probe)]
    if failed:
        detail = "; ".join(f"{r.run_id}: {_sanity_problem(r, limit, probe)}" for r in failed)
        ids = " ".join(r.run_id for r in failed)
        # One that exited 0 with numbers not to be trusted is a succeeded run: a plain retry
        # refuses it.
        force = "--force " if any(r.state is RunState.SUCCEEDED for r in failed) else ""
        kinds = {_unseen(state, r.run_id) or Unseen.RAN_AGAIN for r in failed}
        how = " or ".join(kind.value for kind in Unseen if kind in kinds)
        if len(failed) == 1:
            how = how.replace(" their ", " its ")  # "1 sanity run had its numbers read again"
        reason = (
            f"{detail}. {counted(len(failed), 'sanity run')} {how} after the sanity milestone "
            "passed and did "
            f"not pass: fix the cause and `bridge retry {force}{ids}`"
        )
        s.append("bridge", [ev.SanityChecked(passed=False, detail=reason[:2000])])
        s.notify("failure", "bridge: sanity failed", reason)
        return reason
    unmet, unjudged = _sanity_criteria(state, sanity_milestones(state))
    held = _criterion_held(s, state, unmet, runs)
    if held is not None:
        return held
    # Recorded, as the first check is: the results read the latest check (new numbers that
    # meet the criterion pass; the results went on saying a person approved going past it),
    # and a `bridge run` killed before this line checks these runs again (deploy.deploy).
    notes, _ = _pass_notes(runs, limit, probe, unmet, unjudged)
    ran = since_check(state, [r.run_id for r in runs])
    passed = notes if unmet else f"{ran} and passed" + (f"; {notes}" if notes else "")
    s.append("bridge", [ev.SanityChecked(passed=True, detail=passed[:2000])])
    return None


def _pass_notes(
    runs: Sequence[RunView],
    limit: GpuBounds,
    probe: str | None,
    unmet: Sequence[BlockResult],
    unjudged: Sequence[BlockResult],
) -> tuple[str, str]:
    """
    What a passed sanity check says beside "passed", as recorded and for the stage's Chinese
    reason (the same notes, a numberless run said in Chinese): a GPU memory peak nobody read
    (the runs not measured), a sanity run that names no metric and recorded no number, a
    criterion of the sanity milestone bridge could not judge, and, leading, the blocks
    ``unmet`` a person approved going past (the next check finds the approval by that lead).
    """
    numberless = [r.run_id for r in runs if r.run_id != probe and _gives_no_number(r, probe)]
    unmeasured_runs = [n for n in (unmeasured(r, limit) for r in runs) if n]
    unjudged_blocks = [
        f"{r.block.id}'s {ev.CRITERION_UNJUDGED} ({_cut(_open(r.verdict.reason), 700)})"
        for r in unjudged
    ]
    approved = ""
    if unmet:
        approved = f"{ev.CRITERION_APPROVED} ({', '.join(r.block.id for r in unmet)} not met)"

    def said(unnumbered: str) -> str:
        return "; ".join(
            n
            for n in (approved, *unmeasured_runs, unnumbered * bool(numberless), *unjudged_blocks)
            if n
        )

    return (
        said(f"{', '.join(numberless)} names no metric and recorded no number"),
        said(f"{'、'.join(numberless)} 未指明指标，也未记录数值"),
    )


def _criterion_held(
    s: Session, state: PipelineState, unmet: Sequence[BlockResult], runs: Sequence[RunView]
) -> str | None:
    """
    The sanity milestone's own criterion not met (``unmet``: its blocks judged not met) and no
    person's approval to go past it: recorded as a failed check, the failing clauses only, with
    the command that runs ``runs`` again; the reason to hold the plan, or ``None``.

    An approval (the latest check that leads with ``CRITERION_APPROVED``,
    :attr:`PipelineState.sanity_approved_seq`) covers the numbers the person saw, also after
    checks of other runs (033: E2's R032 failed and ran again; E1's approved -3 stands): a
    block whose own runs ran again since that approval (``bridge retry --force``) is judged
    on new numbers, and held when they do not meet it either, the reason saying which runs
    and that the approval was for the earlier numbers. So is one whose numbers were read
    again under new ``[metrics]`` settings when the block is judged on them otherwise than in
    the check the person approved; judged the same (006's B5 still «skill: S3 composite -0.05»
    after an alias for B8's rmse), the approval stands.
    """
    approved = state.sanity_approved_seq > 0
    held = [r for r in unmet if _unseen_by_approval(state, r)] if approved else list(unmet)
    if not held:
        return None
    judged = {i for result in held for i in result.run_ids}
    ids = " ".join(r.run_id for r in runs if r.run_id in judged) or " ".join(sorted(judged))
    said = "; ".join(_judged(r) for r in held)
    if approved:
        since = state.sanity_approved_seq
        again = sorted({i for r in held for i in _own_runs(r) if _newer(state, i, since=since)})
        changed = _changed_numbers(s, state, again, " ".join(r.verdict.reason for r in held))
        # Named: the runs whose numbers changed, not every run read again (006 named R001-R004
        # for R002's skill); all of them when only the reading changed (an alias).
        read = [i for i in again if _unseen(state, i, since=since) is Unseen.READ_AGAIN]
        if any(i in changed for i in read):
            again = [i for i in again if i in changed or i not in read]
        said += (
            f". {since_check(state, again, since=since)} after a person approved going past "
            "the criterion: "
            "the earlier approval was for the earlier numbers"
        ) + (f" ({'; '.join(f'{i} {changed[i]}' for i in again if i in changed)})" * bool(changed))
    reason = (
        # The runs succeeded (only the criterion failed): a plain retry refuses them (trial O1
        # was told `bridge retry R001 …` and got "R001 succeeded").
        f"{ev.CRITERION_HELD}: {said}. Fix the cause and `bridge retry --force {ids}`, or "
        "`bridge approve` to go on with the later milestones anyway"
    )
    s.append("bridge", [ev.SanityChecked(passed=False, detail=reason[:2000])])
    s.notify("failure", "bridge: sanity criterion not met", reason)
    return reason


def _changed_numbers(
    s: Session, state: PipelineState, run_ids: Sequence[str], judged: str
) -> dict[str, str]:
    """
    Per run of ``run_ids`` read again under new ``[metrics]`` settings since the latest
    approval, how its numbers changed from the reading it saw ("skill -0.05 → -0.08"), those the
    ``judged`` verdicts name first (at most three); runs whose numbers did not change are left
    out. The reading the check saw is a superseded record, so it is read from the run's stream.
    """
    changed: dict[str, str] = {}
    for run_id in run_ids:
        run = state.runs.get(run_id)
        attempt = run.current if run is not None else None
        if attempt is None or attempt.metrics is None:
            continue
        if _unseen(state, run_id, since=state.sanity_approved_seq) is not Unseen.READ_AGAIN:
            continue
        seen: ev.MetricsRecorded | None = None
        for record in s.store.read(stream=f"run:{run_id}"):
            if record.seq > state.sanity_approved_seq:
                break
            evt = record.event
            if isinstance(evt, ev.MetricsRecorded) and evt.attempt_id == attempt.attempt_id:
                seen = evt
        before = {v.name: v.raw for v in seen.values} if seen is not None else {}
        after = {v.name: v.raw for v in attempt.metrics.values}
        names = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
        names.sort(key=lambda n: n not in judged)  # stable: the judged ones first
        said = [f"{n} {before.get(n, '(none)')} → {after.get(n, '(none)')}" for n in names[:3]]
        if said:
            changed[run_id] = ", ".join(said) + (", …" if len(names) > 3 else "")
    return changed


def _judged(result: BlockResult) -> str:
    """How a held check says a block's verdict: its id and the clauses not met, one line."""
    return f"{result.block.id}: {_failing_clauses(result.verdict.reason)}".replace("\n", " ")


def _approved_check(state: PipelineState) -> str:
    """
    The blocks as judged in the check a person's approval went past (the held check before
    the latest run of approvals, ``CRITERION_HELD`` then its ``_judged`` blocks joined by
    "; "), or ``""`` when the checks before those approvals are not that (nothing known to
    compare). Checks after the latest approval are not the one it approved, and a check that
    failed a sanity run (033's R032 between two approvals) judged no criterion: both are
    passed over.
    """
    seen_approval = False
    for check in reversed(state.sanity_checks):
        if check.passed and check.detail.startswith(ev.CRITERION_APPROVED):
            seen_approval = True
            continue
        held = not check.passed and check.detail.startswith(ev.CRITERION_HELD)
        if not seen_approval or (not check.passed and not held):
            continue
        if held:
            return check.detail.removeprefix(ev.CRITERION_HELD).removeprefix(":")
        return ""
    return ""


def _unseen_by_approval(state: PipelineState, result: BlockResult) -> bool:
    """
    True when the unmet block ``result`` is judged on numbers the latest approval did not
    cover: one of its own runs ran again since that approval, or had its numbers read
    again and the block's verdict now reads otherwise than in the check the person approved.
    A reading that gives the criterion the same numbers (an alias for another block's metric,
    trial t6 on 006) changes nothing the person saw: asking again would only repeat it.
    """
    kinds = {_unseen(state, i, since=state.sanity_approved_seq) for i in _own_runs(result)}
    if Unseen.RAN_AGAIN in kinds:
        return True
    if Unseen.READ_AGAIN not in kinds:
        return False
    blocks = {b.id for b in state.plan.blocks} if state.plan is not None else set()
    entries = _held_entries(_approved_check(state), blocks | {result.block.id})
    return _judged(result) not in entries


# How a held check's detail goes on after its blocks (_criterion_held): the line asking for a
# retry, before it what ran or was read again since an approval, when the check says so.
_HELD_TAIL = ". Fix the cause and `bridge retry --force "
_SINCE_APPROVAL = " after a person approved going past the criterion"


def _held_entries(detail: str, block_ids: set[str]) -> frozenset[str]:
    """
    The blocks' entries (each ``_judged``: "B5: …") in ``detail``, a held check's detail after
    its lead's ":", each whole: a block's reason may hold "; " or ". " itself (006's «sanity 0.9
    (n=1); 0.9 > 0.95»), so entries are split only at a "; " followed by one of ``block_ids``
    and ": ". An entry that is only the start of one recorded («-0.0» of «-0.05», fewer clauses)
    is not among them. The detail is cut at 2,000 characters: when its tail is gone, the last
    entry may be cut and is left out, so a block there reads as changed.
    """
    end = detail.rfind(_HELD_TAIL)
    if end < 0:
        body, whole = detail, False
    else:
        body, whole = detail[:end], True
        since = body.rfind(_SINCE_APPROVAL)
        if since >= 0:
            # "…; B5: …. S1 ran again after a person approved…": the blocks end at the ". "
            # before what happened since (which says no ". " itself).
            body = body[: body.rfind(". ", 0, since)]
    ids = "|".join(re.escape(i) for i in sorted(block_ids, key=len, reverse=True))
    entries = re.split(rf"; (?=(?:{ids}): )", body.strip()) if ids else [body.strip()]
    return frozenset(entries if whole else entries[:-1])


def _own_runs(result: BlockResult) -> set[str]:
    """The runs a block's verdict was judged on that are its own (not shared in)."""
    return set(result.run_ids) - set(result.shared)


class Unseen(enum.Enum):
    """
    Why a run's numbers are ones no sanity check (and no approval) recorded so far has seen;
    the value is how a reason says it of the run.
    """

    RAN_AGAIN = "ran again"  # launched after the check (`bridge retry --force S1`)
    # Read again from the same outputs after the check: only a change of the [metrics]
    # settings records a second reading of an attempt (code.reread_metrics). Any new reading
    # is checked again, equal values or not: its quality flags or problems may differ. A
    # person's approval past the criterion stands when the block is judged the same
    # (_unseen_by_approval): the person saw the judgement, and it did not change.
    READ_AGAIN = "had their numbers read again under new [metrics] settings"


def _unseen(state: PipelineState, run_id: str, *, since: int | None = None) -> Unseen | None:
    """
    Why ``run_id``'s numbers are newer than the latest sanity check (the check a person's
    approval covers, :attr:`PipelineState.sanity_checked_seq`), or than the record at seq
    ``since`` when given (the latest approval, :attr:`PipelineState.sanity_approved_seq`), or
    ``None`` when it saw them.
    """
    seen = state.sanity_checked_seq if since is None else since
    run = state.runs.get(run_id)
    attempt = run.current if run is not None else None
    if attempt is None:
        return None
    if attempt.submitted_seq > seen:
        return Unseen.RAN_AGAIN
    if attempt.metrics_seq > seen:
        return Unseen.READ_AGAIN
    return None


def _newer(state: PipelineState, run_id: str, *, since: int | None = None) -> bool:
    """
    True when ``run_id``'s numbers are ones no check (and no approval) recorded so far has
    seen: its latest attempt was launched, or its metrics read again, after the latest check
    (after the record at seq ``since`` when given).
    """
    return _unseen(state, run_id, since=since) is not None


def since_check(
    state: PipelineState, run_ids: Sequence[str], *, zh: bool = False, since: int | None = None
) -> str:
    """
    What happened to ``run_ids`` since the latest sanity check (since the record at seq
    ``since`` when given: the latest approval), for a reason: "S1 ran again", "S1's numbers
    were read again under new [metrics] settings", or both joined by "and" (a run whose
    numbers the check saw is said to have run again: its caller ran it); in Chinese with
    ``zh``.
    """
    groups: dict[Unseen, list[str]] = {}
    for run_id in run_ids:
        groups.setdefault(_unseen(state, run_id, since=since) or Unseen.RAN_AGAIN, []).append(
            run_id
        )
    said = [_said(kind, groups[kind], zh=zh) for kind in Unseen if kind in groups]
    return "；".join(said) if zh else " and ".join(said)


def _said(kind: Unseen, run_ids: Sequence[str], *, zh: bool) -> str:
    ids = ("、" if zh else ", ").join(run_ids)
    match kind:
        case Unseen.RAN_AGAIN:
            return f"{ids} 再次运行" if zh else f"{ids} ran again"
        case Unseen.READ_AGAIN:
            if zh:
                return f"{ids} 的数值在新的 [metrics] 设置下重新读取"
            whose = f"{ids}'s numbers" if len(run_ids) == 1 else f"the numbers of {ids}"
            return f"{whose} were read again under new [metrics] settings"
        case _:
            assert_never(kind)


def ended_unchecked(state: PipelineState, sanity: set[str]) -> list[str]:
    """
    The runs of the ``sanity`` milestones that ended after the latest sanity check, which has
    not seen them: run again after the sanity milestone passed (``bridge retry --force R001``)
    and ended, with bridge stopped (killed) before their check was recorded, or whose numbers
    were read again under new ``[metrics]`` settings since (no run). Runs the tracker
    now says were done before bridge or are out of scope are not bridge's to check, nor is a
    run a person cancelled (``bridge cancel``): a person's cancel stands, and checked as a
    sanity run that did not pass it would hold the plan.
    """
    return [
        r.run_id
        for r in state.runs.values()
        if r.spec.milestone in sanity
        and r.state in TERMINAL_RUN_STATES - NOT_BRIDGES_RUN_STATES
        and not _person_cancelled(r)
        and _newer(state, r.run_id)
    ]


def _person_cancelled(run: RunView) -> bool:
    """Whether the run was cancelled and not by bridge: the log tells them apart by reason."""
    return run.state is RunState.CANCELLED and not retries.bridge_cancelled(run)


# How the stage reads when the sanity runs passed and a sanity block's own criterion could not
# be judged: never plainly "passed" (the later milestones go on without the check).
_UNJUDGED_LEAD = (
    "sanity runs passed, but the sanity milestone's own criterion was NOT judged, so it held "
    "nothing back"
)
_UNJUDGED_TAIL = (
    "the later milestones go on without it: set what the reason says (an alias in bridge.toml, "
    "a metric or system named in the criterion, or a [reviewer] for a criterion the rules "
    "cannot check) and the results judge it on the runs' numbers"
)
_UNJUDGED_LEAD_ZH = "健全性运行通过，但健全性里程碑自身的成功标准未被判定，因此没有拦住任何东西"
_UNJUDGED_TAIL_ZH = (
    "之后的里程碑在没有这项检查的情况下继续：请按原因所述设置（bridge.toml 中的别名、在成功标准中"
    "写明指标或系统，或为规则无法检验的标准配置 [reviewer]），结果会按运行的数值判定它"
)


def _in_chinese(notes: str) -> str:
    """The stage's notes with bridge's fixed phrases in Chinese (the plan's clauses as written)."""
    # Here, not at the top: the reasons' table loads with the judge, after the first launch.
    from bridge.projections.reasons import in_language

    said = re.sub(
        rf"(\S+)'s {re.escape(ev.CRITERION_UNJUDGED)} \(", r"\1 的成功标准未被判定（", notes
    )
    return in_language(said, "zh")


# An open clause of a compound verdict's reason whose rule could run but found nothing to
# judge on ("[2] open: «composite skill > 0» — no results for system S3 composite; …"): what a
# person can fix, so said before those no rule can check.
_NOT_CHECKABLE = " — not machine-checkable: "


def _open(reason: str) -> str:
    """
    A compound verdict's reason with its open clauses only, those a setting can make
    judgeable first: 006's B5 said «Each sub-formula contains …» (not machine-checkable) first,
    and the cut stage reason never reached «composite skill > 0» and the alias that judges it.
    Any other reason is returned as it is; the results keep every clause.
    """
    lead, sep, rest = reason.partition(". [")
    if not sep:
        return reason
    parts = [p for p in f"[{rest}".split(" | ") if _CLAUSE_OPEN.match(p)]
    if not parts:
        return reason
    parts.sort(key=lambda p: _NOT_CHECKABLE in p)
    return f"{lead}. {' | '.join(parts)}"


_CLAUSE_OPEN = lazy(r"\[\d+\] open: ")


# A clause of a compound verdict's reason: "[4] not met: «ml_ok = 1» — ml_ok: 0 (n=1); …".
_CLAUSE_NOT_MET = lazy(r"\[\d+\] not met: ")


def _failing_clauses(reason: str) -> str:
    """
    A compound verdict's reason with only its clauses not met, after its lead ("clause 4 of 6
    not met. [4] not met: «ml_ok = 1» — …"): 029's sanity block stated six clauses, and the
    one that failed sat in the middle of some 1,500 characters, said three times over (the
    blocked line, the stage, the next step). Any other reason is returned as it is; the
    results keep every clause.
    """
    lead, sep, rest = reason.partition(". [")
    if not sep:
        return reason
    failing = [p for p in f"[{rest}".split(" | ") if _CLAUSE_NOT_MET.match(p)]
    return f"{lead}. {' | '.join(failing)}" if failing else reason


def _checked(state: PipelineState, sanity: set[str], probe: str | None) -> list[RunView]:
    """
    The runs the sanity step checks: the sanity milestones' runs, or the ``probe`` when the
    plan names no sanity milestone, less those the tracker says were done before bridge or
    are out of scope (not bridge's to check).
    """
    return [
        r
        for r in state.runs.values()
        if (r.spec.milestone in sanity or r.run_id == probe)
        and r.state not in NOT_BRIDGES_RUN_STATES
    ]


def _probed(s: Session, state: PipelineState, probe: str, *, zh: bool = False) -> str:
    """What the check was when the plan names no sanity milestone, for the log and the stage."""
    milestone = state.runs[probe].spec.milestone
    none = _no_sanity_milestone(s, zh=zh)
    if zh:
        where = f"（{milestone} 的运行）" if milestone else ""
        return f"{none}：{probe}{where}先单独运行作为健全性检查，"
    where = f" (of {milestone})" if milestone else ""
    return f"{none}: {probe}{where} ran alone first as the sanity check and"


def _no_sanity_milestone(s: Session, *, zh: bool = False) -> str:
    """
    Why no milestone is the sanity check, as ``bridge plan`` said it: the plan's M0 is none
    because it says it has no experiment and has no runs (014's M0 "Review candidate authority
    | no experiment"), because it prepares data (011's "Data Pipeline"), or because
    ``main_milestone`` names it; else the plan names none. 014's
    stage said "no sanity milestone in the plan" beside the plan's M0 and the warning that
    explained why M0 was no sanity milestone.
    """
    match passed_over_m0(s.project):
        case ("main", _):
            if zh:
                return "M0 由 main_milestone 指定为主要结果，因此没有健全性里程碑"
            return (
                "M0 is the main result (main_milestone = 'M0'), so no milestone is the sanity check"
            )
        case ("no_runs", said):
            # In the words of `bridge plan`'s warning (bridge.plan.project).
            if zh:
                return f"里程碑 M0 写明“{said}”且没有运行，因此不是健全性里程碑"
            return f"milestone M0 says {said!r} and has no runs, so it is no sanity milestone"
        case ("data", said):
            if zh:
                return f"里程碑 M0 写明“{said}”：它准备数据，不是健全性里程碑"
            return f"milestone M0 says {said!r}: it prepares data and is no sanity milestone"
        case None:
            pass
        case unreachable:
            assert_never(unreachable)
    return "计划中没有健全性里程碑" if zh else "no sanity milestone in the plan"


def _cut(text: str, most: int = 200) -> str:
    """
    ``text`` kept to about ``most`` characters for a one-line stage reason, cut where a clause
    ends (`` | ``, ``; ``) rather than inside a quoted criterion (006's "«composite skill )"),
    and marked as cut; the whole text stays in the log's ``SanityChecked`` detail.
    """
    if len(text) <= most:
        return text
    head = text[:most]
    at = max(head.rfind(" | "), head.rfind("; "))
    if at < most // 2:
        at = head.rfind(" ")
    kept = head[: at if at > 0 else most]
    if kept.count("«") > kept.count("»"):
        kept = kept[: kept.rfind("«")]  # never half a quoted criterion
    return f"{kept.rstrip(' |;—-')} …"


def deploy_after_sanity(s: Session) -> Step:
    """
    SANITY_OK → DEPLOYED. The reason says "sanity passed" only when bridge ran sanity runs and
    they passed, not when sanity was skipped or its runs were done before bridge.
    """
    state = s.state()
    checks = state.sanity_checks
    milestones = sanity_milestones(state)
    ran = (
        bool(checks)
        and not checks[-1].skipped
        and bool(_checked(state, milestones, sanity_probe(state)))
    )
    if ran and checks[-1].detail.startswith(ev.CRITERION_APPROVED):
        return s.enter(
            StageTrigger.DEPLOY,
            "sanity runs passed, their criterion not met (a person approved going on); "
            "deploying the plan",
            zh="健全性运行通过，其标准未满足（经人工批准继续）；开始部署计划",
        )
    if ran and ev.CRITERION_UNJUDGED in checks[-1].detail:
        return s.enter(
            StageTrigger.DEPLOY,
            "sanity runs passed, their criterion not judged; deploying the plan",
            zh="健全性运行通过，其标准未被判定；开始部署计划",
        )
    if ran:
        return s.enter(
            StageTrigger.DEPLOY,
            "sanity passed; deploying the plan",
            zh="健全性检查通过；开始部署计划",
        )
    return s.enter(StageTrigger.DEPLOY, "deploying the plan", zh="开始部署计划")


def _sanity_criteria(
    state: PipelineState, sanity: set[str]
) -> tuple[list[BlockResult], list[BlockResult]]:
    """
    The blocks judged on the sanity runs alone (the plan's sanity block: "composite skill > 0"
    on M0's runs) whose criterion is not met, and those the rules could not judge. A sanity
    milestone that passed its runs but not its own criterion is no pass: the later milestones
    are what that check holds back.
    """
    # Here, not at the top: the judge and the criteria's parser load after the sanity runs
    # launched, not before the first launch (tests/test_imports.py).
    from bridge.projections.outcome import evaluate

    sanity_runs = {r.run_id for r in state.runs.values() if r.spec.milestone in sanity}
    ran = {r for r in sanity_runs if state.runs[r].state not in NOT_BRIDGES_RUN_STATES}
    unmet: list[BlockResult] = []
    unjudged: list[BlockResult] = []
    for result in evaluate(state).blocks:
        # Its own runs all sanity runs (runs of its other systems may be shared in from
        # later milestones, not run yet: the criterion may then be judged on what it has),
        # one of them run by bridge. Those the tracker says were done before bridge are its
        # runs too: 020's B0 has 21 of them beside R007j, and its criterion, never looked
        # at, read "Sanity: passed".
        own = set(result.run_ids) - set(result.shared)
        if not own & ran or not own <= sanity_runs:
            continue
        match result.verdict.verdict:
            case VerdictKind.NOT_MET:
                unmet.append(result)
            case VerdictKind.INCONCLUSIVE if result.block.success_criterion.strip():
                unjudged.append(result)
            case VerdictKind.MET | VerdictKind.INCONCLUSIVE:
                pass
            case unreachable:
                assert_never(unreachable)
    return unmet, unjudged


def _failed_before_bridge(state: PipelineState, sanity: set[str]) -> list[RunView]:
    """
    The sanity runs the tracker says were done before bridge and failed there: the run failed
    or its output was invalid, or it recorded a failed gate ("GATE FAILED", a run that is done
    by PARSE-RULES but whose outcome is the gate holding).
    """
    return [r for r in state.runs.values() if r.spec.milestone in sanity and r.failed_before_bridge]


def _waiting_for_code(state: PipelineState, sanity: set[str]) -> list[RunView]:
    """The must-run sanity runs held because the tracker says their code is not written yet."""
    return [
        r
        for r in state.runs_in_state(RunState.OUT_OF_SCOPE)
        if r.spec.milestone in sanity
        and r.spec.priority is Priority.MUST
        and is_held_for_code(r.reason)
    ]


def _nothing_to_check(
    s: Session, state: PipelineState, sanity: set[str], *, zh: bool = False
) -> str:
    """
    Why the sanity step has no run of bridge's to check: no sanity milestone (and why, when
    the plan has an M0: :func:`_no_sanity_milestone`), one without runs, or one whose runs the
    tracker says were done before bridge or are out of scope (named, so the plan's "M0
    (sanity)" and this line do not contradict each other).
    """
    if not sanity:
        return _no_sanity_milestone(s, zh=zh)
    named = ", ".join(sorted(sanity))
    theirs = [r for r in state.runs.values() if r.spec.milestone in sanity]
    if not theirs:
        return (
            f"健全性里程碑 {named} 没有运行" if zh else f"the sanity milestone {named} has no runs"
        )
    done = ", ".join(r.run_id for r in theirs if r.state is RunState.DONE_BEFORE)
    out = ", ".join(r.run_id for r in theirs if r.state is RunState.OUT_OF_SCOPE)
    if zh:
        said = [f"{done} 在 bridge 之前已完成"] * bool(done) + [f"{out} 不在范围内"] * bool(out)
        return f"健全性里程碑 {named}：追踪表记录 " + "；".join(said)
    said = [f"{done} done before bridge"] * bool(done) + [f"{out} out of scope"] * bool(out)
    return f"sanity milestone {named}: the tracker says " + "; ".join(said)


def after_sanity_failure(s: Session) -> Step:
    """
    After a failed sanity milestone: retry once, let an implementer that can fix try, and ask
    for a rescue diagnosis when the same failure comes twice (or failures keep coming) — never
    more than a bounded number of rounds before a person is asked.
    """
    state = s.state()
    failures, rescues = _since_reopen(state)
    checks = [c for c in state.sanity_checks if not c.passed][-failures:]
    last = checks[-1]
    repeats = sum(1 for c in checks if c.signature == last.signature)
    limit = GpuBounds.of(s.project.config.run)
    findings = failure_findings(_failed_sanity_runs(state, limit), limit, sanity_probe(state))
    lead = lead_of(findings) or last.detail[:300]
    if rescues >= MAX_RESCUES:
        return s.block(f"sanity still fails after {rescues} rescue rounds: {lead}", findings)
    if repeats >= 2 or len(checks) >= MAX_SANITY_FAILURES:
        why = "the same sanity failure twice" if repeats >= 2 else f"{len(checks)} sanity failures"
        if s.project.options.rescue_on_failure:
            return s.enter(StageTrigger.RESCUE, f"{why}: asking for a diagnosis")
        return s.block(f"{why}: {lead}", findings)
    if s.implementer.can_fix:
        finding = Finding(severity=Severity.BLOCKING, message=f"sanity failed: {last.detail}")
        return code.implement(s, [finding])
    return s.enter(StageTrigger.RETRY_SANITY, "sanity failed once; running it again")


def _since_reopen(state: PipelineState) -> tuple[int, int]:
    """
    The sanity failures and rescue rounds since the pipeline was last reopened (after a fix,
    the researcher's next try gets the same rounds as the first), at least one failure.
    """
    triggers = [evt.trigger for _, evt in state.stage_history]
    start = max((i for i, t in enumerate(triggers) if t == StageTrigger.REOPEN), default=-1) + 1
    recent = triggers[start:]
    return max(recent.count(StageTrigger.FAIL_SANITY), 1), recent.count(StageTrigger.RESCUE)


def _sanity_problem(run: RunView, gpu: GpuBounds | None = None, probe: str | None = None) -> str:
    """
    Why a sanity run does not pass, or ``""`` when it does: it must succeed (exit 0, outputs
    present), its sampled GPU memory peak must stay within ``gpu`` (:mod:`gpu_bounds`), its
    metrics must have been read, and none of them may be untrustworthy. The ``probe`` of a plan
    naming no sanity milestone (bridge's choice, not the plan's) may give no number when none
    is asked of it: it names no metric, is in no block and wrote no metrics file (a data
    preparation step).
    """
    if run.state is not RunState.SUCCEEDED:
        return run.reason or run.state.value
    too_much = over_bound(run, gpu) if gpu is not None else ""
    if too_much:
        return too_much
    metrics = run.metrics
    if _gives_no_number(run, probe):
        return ""
    if metrics is None or not metrics.values:
        return "no metric could be read from its outputs"
    # An unreadable output file is a broken run; W&B being unreachable is not (files are kept),
    # nor is a note on a readable file (a table the rules leave to a query, values over the cap).
    unread = [p for p in metrics.problems if p.blocking and not p.source.startswith("wandb:")]
    if unread:
        return f"unreadable output {unread[0].source}: {unread[0].message}"
    flagged = [q for q in metrics.quality if q.blocking]
    if flagged:
        return f"{flagged[0].metric}: {flagged[0].message}"
    return _said_failed(run)


# A Metrics cell item that is the run's own verdict, shaped as a yes/no: 002's R001
# "pass/fail", "ok", "passed?", "是否通过". A bare "success" or "Pass" is not one: in robotics
# it is usually a success rate (020's R026-R045, 011's "Pass ≥50%"), and a smoke run may record 0.
_VERDICT_CELL = lazy(
    r"\W*(?:(?:pass(?:ed)?|ok)\s*/\s*fail(?:ed|ure)?|succe(?:ss|ssful|eded)\s*/\s*fail(?:ed|ure)?"
    r"|ok|(?:pass(?:ed)?|success(?:ful)?|succeeded)\s*[?？]"
    r"|(?:通过|成功)\s*/\s*失败|是否(?:通过|成功))\W*",
    re.IGNORECASE,
)
# The recorded metrics that carry such a verdict (the last part of a dotted name).
_VERDICT_NAMES = frozenset({"pass", "passed", "ok", "success", "successful", "succeeded"})


def _said_failed(run: RunView) -> str:
    """
    Why a sanity run failed by its own verdict, or ``""``: its row names a pass/fail metric
    (:data:`_VERDICT_CELL`, shaped as a yes/no, so its number is a verdict) and the run
    recorded one (``pass``, ``ok``, ``success``, …) as 0 or false. 002's R001 wrote
    ``pass: 0`` under a row naming ``pass/fail``, and the sanity milestone passed (it
    succeeded, and its numbers were read): the gate's own answer was no.
    """
    named = [m for m in run.spec.metrics if _VERDICT_CELL.fullmatch(m)]
    metrics = run.metrics
    if not named or metrics is None:
        return ""
    for value in metrics.values:
        verdict = value.name.rsplit(".", 1)[-1].casefold() in _VERDICT_NAMES
        if verdict and value.value == 0:
            return f"recorded {value.name} = {value.raw}: the row's {named[0]} says it failed"
    return ""


def _gives_no_number(run: RunView, probe: str | None) -> bool:
    """
    True when a sanity run may pass without a number: it recorded none and no output it wrote
    was unreadable, and none is asked of it. Of the ``probe``: it names no metric and is in no
    block. Of a run of the sanity milestone: it names no metric (006's M0 draws a figure and
    checks a LaTeX rendering beside computing a skill; "no metric could be read" failed the
    sanity check on the figure). A run that names a metric and writes none still fails.
    """
    metrics = run.metrics
    if metrics is not None and (metrics.values or any(p.blocking for p in metrics.problems)):
        return False
    if run.run_id == probe:
        return not run.numbers_asked
    return not run.spec.metrics


def rescue(s: Session) -> Step:
    """
    Ask the reviewer for a diagnosis of the repeated sanity failure; apply the concrete fixes
    through an implementer that can fix, or block with the diagnosis.
    """
    state = s.state()
    last = [c for c in state.sanity_checks if not c.passed][-1]
    limit = GpuBounds.of(s.project.config.run)
    failed = _failed_sanity_runs(state, limit)
    request = rescue_request(s, failed, last.signature)
    try:
        review = s.reviewer.review(request)
    except ReviewError as exc:
        return s.block(f"rescue diagnosis failed: {exc}")
    s.append(
        "bridge",
        [ev.RescueDiagnosed(reviewer=review.reviewer, findings=review.findings, text=review.text)],
    )
    blocking = [f for f in review.findings if f.severity is Severity.BLOCKING]
    fixes = blocking or list(review.findings)
    if s.implementer.can_fix and fixes:
        return code.implement(s, fixes)
    # The actual failure and its fix lead; the diagnosis adds only what it found blocking (its
    # full text is in the review file).
    findings = [*failure_findings(failed, limit, sanity_probe(state)), *blocking]
    lead = lead_of(findings) or review.text[:400]
    return s.block(f"sanity fails repeatedly: {lead}", findings)


def rescue_request(s: Session, failed: Sequence[RunView], signature: str) -> ReviewRequest:
    """
    What a rescue diagnosis is asked, for sanity and deployment alike: the plan, the method, the
    code the commands run, and per failed run its command, exit code and log tail.
    """
    failure = "\n\n".join(
        f"run {r.run_id} ({r.spec.system}) on {s.backend.name}\ncommand: "
        f"{' '.join(r.current.argv) if r.current else ''}\nexit: "
        f"{r.current.exit_code if r.current else None}\nlog:\n{log_tail(s.root, r)}"
        for r in failed
    )
    return ReviewRequest(
        purpose="rescue",
        project=s.root,
        plan_excerpt=s.request().plan_excerpt,
        method=s.request().method,
        files=code.review_files(s),
        failure=f"signature {signature}\n{failure}",
    )


def _failed_sanity_runs(state: PipelineState, limit: GpuBounds | None) -> list[RunView]:
    probe = sanity_probe(state)
    checked = _checked(state, sanity_milestones(state), probe)
    return [r for r in checked if _sanity_problem(r, limit, probe)]


# A run bridge cancelled because a run it waits for failed (bridge/machine/scheduler.py).
_WAITED_FOR = lazy(r"^not run: (?:dependency|milestone \S+ must-run) (\S+)")


def failure_findings(
    runs: Sequence[RunView], limit: GpuBounds | None = None, probe: str | None = None
) -> list[Finding]:
    """
    One blocking finding per distinct failure of ``runs``: the runs, what the failure means
    (exit code, missing file or output, the log's last error line) and its fix. ``probe``: the
    first-run check's run, judged as the sanity check judged it (without it, a probe that gave
    no number read as passing here, and the block said "A1: ." with no reason, trial T7).
    """
    groups: dict[str, list[str]] = {}
    for run in runs:
        groups.setdefault(_sanity_problem(run, limit, probe), []).append(run.run_id)
    findings = []
    for why, ids in groups.items():
        waited = _WAITED_FOR.search(why)
        if waited is not None:
            # Cancelled, never run (011's R008 "not run: dependency R007 failed"): it has no
            # log and no error of its own; it runs again with the run it waits for.
            findings.append(
                Finding(
                    severity=Severity.BLOCKING,
                    message=f"{', '.join(ids)}: {why[:300]}. Fix: none of its own; it runs "
                    f"again with {waited.group(1)}",
                    check="run.failed",
                )
            )
            continue
        meaning, fix = explain_failure(why)
        detail = re.sub(r"^exit \d+: ", "", why)[:300]
        # An unrecognised failure is told by its own words (the exit code, the last error line).
        what = f"{why[:300]}" if meaning == GENERIC_FAILURE else f"{meaning} — {detail}"
        findings.append(
            Finding(
                severity=Severity.BLOCKING,
                message=f"{', '.join(ids)}: {what}. Fix: {fix}",
                check="run.failed",
            )
        )
    return findings


def lead_of(findings: Sequence[Finding]) -> str:
    """
    The first finding's opening (the runs and what the failure means), for the block's reason.
    """
    return findings[0].message.partition(" — ")[0].partition(". Fix: ")[0] if findings else ""


def log_tail(root: Path, run: RunView) -> str:
    """
    The last few KiB of the run's latest attempt's stdout and stderr, as copied back.
    """
    attempt = run.current
    if attempt is None:
        return ""
    # Where the attempt's files are: another run's folder for a result it carried.
    base = collect.attempt_folder(root, run, attempt)
    text = ""
    for name in ("stdout.log", "stderr.log"):
        text += read_tail(base / name, 4000)  # never through a link, never a FIFO
    return text
