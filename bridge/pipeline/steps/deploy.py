"""
The deploy steps: run the milestones through the dispatcher, record milestones and gate
decisions, paid backends' costs and orphans, collection, and ablation planning.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.errors import ConfigError, PlanError, ReviewError
from bridge.events import types as ev
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.ports import AblationRequest, PaidBackend
from bridge.machine.scheduler import sanity_milestones
from bridge.machine.stages import (
    COUNTED_RUN_STATES,
    SETTLED_RUN_STATES,
    TERMINAL_RUN_STATES,
    RunState,
)
from bridge.machine.triggers import StageTrigger
from bridge.pipeline import bootstrap
from bridge.pipeline.ablation_section import write_plan_section
from bridge.pipeline.dispatch import Dispatcher
from bridge.pipeline.recording import (
    approval_summary,
    plan_excerpt,
    proposed_run_events,
)
from bridge.pipeline.session import Session, Step
from bridge.pipeline.steps import code, collect, deploy_rescue, judging, row_status
from bridge.pipeline.steps.elsewhere import held_by_researcher
from bridge.plan.overview import counted
from bridge.plan.priority import Priority
from bridge.plan.project import load_project
from bridge.plan.runs import PROPOSED, SANITY_PROPOSAL
from bridge.projections.failure_words import TRACKER_ROW_NOW
from bridge.projections.text import language_of, succeeded_not_done, t

__all__ = [
    "collected",
    "deploy",
    "dispatcher",
    "milestone_progress",
    "paid_backend",
    "plan_ablations",
    "plan_approved_proposals",
    "proposals_waiting",
    "proposed_since_approval",
    "quote",
    "record_cost",
    "report_orphans",
    "request_approval_of_new",
    "run_phase",
]


def paid_backend(s: Session) -> PaidBackend | None:
    """
    The backend when it rents machines by the hour (Vast.ai), else None.
    """
    backend = s.backend
    return backend if isinstance(backend, PaidBackend) else None


def quote(s: Session, state: PipelineState) -> str:
    """
    The cost line of the approval summary for a paid backend (``""`` otherwise).
    """
    paid = paid_backend(s)
    if paid is None:
        return ""
    hours = sum(
        (r.spec.estimated_minutes or 0.0) / 60.0
        for r in state.runs.values()
        if r.state not in TERMINAL_RUN_STATES
    )
    quote = paid.estimate(hours)
    return f"\nestimated cost: ${quote.dollars:.2f} ({quote.offer}, ${quote.dph:.3f}/h)"


def record_cost(s: Session) -> None:
    """
    Record what each instance of a paid backend has cost so far, when it changed.
    """
    paid = paid_backend(s) if s.backend_or_none is not None else None
    if paid is None:
        return
    name = s.backend.name
    recorded = s.state().costs
    changed = [
        ev.CostRecorded(
            backend=name, instance=str(cost.instance_id), dollars=round(cost.dollars, 4)
        )
        for cost in paid.costs()
        if round(cost.dollars, 4) != round(recorded.get(f"{name}/{cost.instance_id}", -1.0), 4)
    ]
    if changed:
        s.append("bridge", changed)


def report_orphans(s: Session) -> None:
    """
    Record instances labelled for this project that no live run uses.
    """
    paid = paid_backend(s)
    if paid is None:
        return
    live = [r.current for r in s.state().runs.values() if r.current is not None]
    found = paid.orphans(
        handles=[a.handle for a in live if a.handle is not None],
        attempt_ids=[a.attempt_id for a in live],
    )
    if found:
        names = tuple(f"{o.instance_id} ({o.label}, {o.status}, ${o.dollars:.2f})" for o in found)
        s.append("bridge", [ev.OrphansReported(backend=s.backend.name, instances=names)])
        s.log.warning("orphans_found", instances=list(names))


def run_phase(s: Session, phase: str) -> str | None:
    """
    Run a phase to its end; return why a gate held it (or why nothing may launch: a run with
    no command), or None when it finished.
    """
    report_orphans(s)
    missing = code.no_command(s)
    if missing:
        # A run added after the code was checked (a tracker row written since the first
        # `bridge run`) would launch with no command and fail as a must-run (trial P3 on 009):
        # the configuration is what is missing, said before anything launches.
        return missing[0].message

    def idle() -> None:
        take_tracker_edit(s)
        # A run that ended since takes the labels the tracker gave it while it ran. The runs
        # of rows gone are ruled out at the phase's end: a row may be back at the next save.
        code.relabel_ended(s, live=True)
        s.refresh()

    try:
        finished = dispatcher(s).run_phase(phase, idle=idle)
    finally:
        record_cost(s)
    # The last runs of the phase ended after the last idle: theirs too; and the runs of rows
    # a tracker saved while they went on lacks are ruled out now.
    code.relabel_ended(s)
    if finished:
        return None
    held = [g for g in s.state().gates if not g.proceed]
    return f"the gate held the plan after {held[-1].milestone}: {held[-1].reason}"


def take_tracker_edit(s: Session) -> None:
    """
    While runs go on, whenever the tracker's file changed (one ``stat`` per idle turn): when
    the researcher edited the tracker (and nothing else), record it at once, as the next
    ``bridge run`` would, so a row set to SKIPPED is ruled out before it launches and the next
    refresh fills in their file as it is now (a note, a new section). A row it lacks is ruled
    out now only where its run never launched; one that ran, at the phase's end, if the row is
    still gone (a row cut and pasted back is no change: :func:`code.reload`'s ``live``). The
    refresh leaves an edit not yet taken alone (:meth:`ProjectionWriter.refresh`). An edit
    bridge cannot read is left for the next command, with a warning in the log; a change to the
    plan or ``bridge.toml`` is taken by the next command too (a half-saved file must not change
    runs while they go on).
    """
    tracker = s.project.sources.get("tracker")
    if tracker is None:
        return
    try:
        info = (s.root / tracker).stat()
    except OSError:
        return
    seen = (info.st_mtime_ns, info.st_size)
    if seen == s.tracker_seen:
        return
    s.tracker_seen = seen
    changed = code.changed_inputs(s)
    if tracker not in changed:
        return
    if changed != [tracker]:
        # Taken with the rest by the next command; until then the refreshes leave the
        # researcher's file as they saved it.
        s.log.warning(
            "tracker_edit_waits", file=tracker, with_it=[c for c in changed if c != tracker]
        )
        return
    try:
        project = load_project(
            s.root,
            overrides=s.options,
            proposed_before=code.proposed_before(s.state()),
            recorded_metrics=code.recorded_metrics(s.state()),
        )
    except (PlanError, ConfigError) as exc:
        s.log.warning("tracker_edit_not_taken", file=tracker, error=str(exc))
        return
    s.project = project
    code.reload(s, [tracker], live=True)


def milestone_progress(s: Session) -> bool:
    """
    Record finished milestones (and notify), and ask the gate once a milestone's must-run
    runs all succeeded. Returns False when the gate holds the plan.
    """
    state = s.state()
    decided = {g.milestone: g for g in state.gates}
    for milestone in state.milestone_ids:
        # Counts kept by the fold: this runs after every event, and must not scan every run.
        total = state.count_in(milestone, RunState)
        if not total:
            continue
        must_ok = state.count_in(milestone, SETTLED_RUN_STATES, must_only=True) == (
            state.count_in(milestone, COUNTED_RUN_STATES, must_only=True)
        )
        if s.gate is not None and must_ok:
            previous = decided.get(milestone)
            if previous is None or (not previous.proceed and milestone not in s.gates_asked):
                s.gates_asked.add(milestone)
                decision = s.gate.decide(milestone, milestone_summary(state.runs_in(milestone)))
                s.append(
                    "bridge",
                    [
                        ev.GateDecided(
                            milestone=milestone,
                            proceed=decision.proceed,
                            reason=decision.reason,
                        )
                    ],
                )
                if not decision.proceed:
                    return False
            elif not previous.proceed:
                return False
        if (
            milestone not in state.milestones_completed
            and state.count_in(milestone, TERMINAL_RUN_STATES) == total
        ):
            ok = state.count_in(milestone, SETTLED_RUN_STATES)
            s.append("bridge", [ev.MilestoneCompleted(milestone=milestone, succeeded=must_ok)])
            s.notify(
                "milestone",
                f"bridge: milestone {milestone} finished",
                f"{ok}/{total} runs succeeded",
            )
    return True


def dispatcher(s: Session) -> Dispatcher:
    """
    The dispatcher for this session: its metrics and milestone hooks write through ``s``.
    """

    return Dispatcher(
        s.root,
        s.backend,
        s.state,
        s.append,
        s.clock,
        s.policy(),
        read_metrics=lambda run: (collect.metrics_of(s.project, s.folder.state(), run),),
        on_progress=lambda: milestone_progress(s),
        keep_scratch=s.project.config.run.keep_scratch,
    )


def deploy(s: Session) -> Step:
    """
    Run the remaining milestones to the end, read any metrics still missing, and collect.

    A sanity run pending again here (a person retried it after sanity passed) runs first,
    through the sanity phase: the deploy phase never launches sanity runs.
    """
    state = s.state()
    held_outside = held_by_researcher(s, state)
    if held_outside is not None:
        # Marked RUNNING (or the plan stopped) since the sanity milestone passed.
        return s.block(held_outside)
    sanity = sanity_milestones(state) if s.policy().sanity_first else set()
    # Pending again, or still live when a `bridge run` that launched them was stopped: either
    # way they ran after the sanity milestone passed and are checked once they end.
    again = [
        r.run_id
        for state_ in (RunState.PENDING, RunState.SUBMITTED, RunState.RUNNING)
        for r in state.runs_in_state(state_)
        if r.spec.milestone in sanity
    ]
    # Imported here: the sanity steps import this module.
    from bridge.pipeline.steps.sanity import ended_unchecked, recheck

    # Or ended, with no check recorded since: a `bridge run` killed between their end and
    # their check (the next one found nothing pending and went on past them).
    again += [r for r in ended_unchecked(state, sanity) if r not in again]
    if again:
        held = run_phase(s, "sanity")
        if held is not None:
            return s.block(held)
        # Checked as the sanity step checks them: never deploy past a failed sanity run.
        failed = recheck(s, again)
        if failed is not None:
            return s.block(failed)
    held = run_phase(s, "deploy")
    if held is not None:
        return s.block(held)
    rescued = deploy_rescue.deployment_rescue(s)
    if rescued is not None:
        return rescued
    collect.ensure_metrics(s)
    state = s.state()
    must = [
        r
        for r in state.runs.values()
        if r.spec.priority is Priority.MUST and r.state in COUNTED_RUN_STATES
    ]
    text = _must_line(must)
    s.notify("finished", "bridge: runs finished", text)
    step = s.enter(StageTrigger.COLLECT, text, zh=_must_line(must, zh=True))
    judging.judge_criteria(s)  # before ablation planning, which reads the main result
    plan_ablations(s)
    return step


def _must_line(must: Sequence[RunView], *, zh: bool = False) -> str:
    """
    ``done/total must-run runs succeeded`` (``completed`` when some are not trusted or recorded
    no metric value), or, when the tracker says some were done before bridge, how many of
    each, and how many more the tracker says ended failed or invalid there: those are not done
    (a count that took them in would read as success). ``done`` is the summary's "Must-run
    completed" count (``must_done`` of :func:`~bridge.projections.outcome.evaluate`): runs that
    succeeded with numbers not trusted, or with no metric value, are not in it either, and are
    named after it as the summary names them.
    """
    failed = sum(1 for r in must if r.failed_before_bridge)
    before = sum(1 for r in must if r.state is RunState.DONE_BEFORE) - failed
    # Done, but with a negative result (014's R002 COMPLETE_FAIL_HARD_STOP, which stopped the
    # plan): "2 done before bridge" alone read as two that went as planned.
    negative = [r.run_id for r in must if r.negative_before_bridge]
    # Succeeded with a number not trusted (a NaN): not completed, as the summary's
    # "Must-run completed: 2/4 (1 succeeded with numbers not trusted: R005)" says; counted here
    # too, the stage line read "4/4 must-run runs completed" beside it (009). So with no
    # metric value recorded (h11E).
    untrusted = [
        r.run_id for r in must if r.state is RunState.SUCCEEDED and row_status.untrusted(r)
    ]
    no_number = [r.run_id for r in must if r.wrote_no_number and r.run_id not in untrusted]
    done = (
        sum(1 for r in must if r.state in SETTLED_RUN_STATES)
        - failed
        - len(untrusted)
        - len(no_number)
    )
    held = succeeded_not_done(untrusted, no_number, "zh" if zh else "en", most=6)
    if zh:
        if not before and not failed:
            if held:
                return f"{done}/{len(must)} 个必做运行完成（{'；'.join(held)}）"
            return f"{done}/{len(must)} 个必做运行成功"
        return (
            f"{done}/{len(must)} 个必做运行完成：{done - before} 个成功"
            + (f"，{before} 个在 bridge 之前已完成" if before else "")
            + (f"（其中 {'、'.join(negative)} 为负结果）" if negative else "")
            + "".join(f"；另有 {h}" for h in held)
            + (f"；另有 {failed} 个在 bridge 之前已失败或无效" if failed else "")
        )
    if not before and not failed:
        if held:
            return f"{done}/{len(must)} must-run runs completed ({'; '.join(held)})"
        return f"{done}/{len(must)} must-run runs succeeded"
    return (
        f"{done}/{len(must)} must-run runs completed: {done - before} succeeded"
        + (f", {before} done before bridge" if before else "")
        + (f" ({', '.join(negative)} with a negative result)" if negative else "")
        + "".join(f"; {h.split(' ', 1)[0]} more {h.split(' ', 1)[1]}" for h in held)
        + (f"; {failed} more ended failed or invalid before bridge" if failed else "")
    )


def collected(s: Session) -> Step:
    """
    At COLLECTED: runs added to the plan since are deployed; sanity runs whose numbers the
    latest sanity check (or a person's approval) has not seen, read again under new
    ``[metrics]`` settings, are checked again in the deployment, which holds the plan when
    they do not pass; the ablation planning is done if bridge was stopped before recording
    it; ablation runs proposed but not yet approved go to the approval checkpoint; otherwise
    there is nothing to do.
    """
    state = s.state()
    if unapproved := proposed_since_approval(state):
        # A plan edit proposed runs a person has not approved (017: a policy added to B3,
        # launched at once): asked for as the first proposed runs were, before any GPU time.
        return request_approval_of_new(s, unapproved)
    pending = [r for r in state.runs.values() if r.state is RunState.PENDING]
    if pending:  # runs added to the plan since, or to run again (a retry, a changed spec)
        return s.enter(StageTrigger.REDEPLOY, _redeploy_reason(pending))
    # Imported here: the sanity steps import this module.
    from bridge.pipeline.steps.sanity import ended_unchecked, since_check

    sanity = sanity_milestones(state) if s.policy().sanity_first else set()
    unseen = ended_unchecked(state, sanity)
    if unseen:
        # Nothing runs, yet the results would stand on numbers no check saw: a person's
        # approval past the sanity criterion went on covering them.
        return s.enter(
            StageTrigger.REDEPLOY,
            f"{since_check(state, unseen)} since the sanity check: checking them first",
            zh=f"健全性检查之后，{since_check(state, unseen, zh=True)}：先检查这些数值",
        )
    # A reviewer configured since (or numbers re-read since) judges what it has not seen; the
    # judging step asks once per block and set of numbers, and before the ablation planning,
    # which reads the main result. Once a run: it was asked twice here.
    judged = judging.judge_criteria(s)
    if state.ablations is None or _may_change(state.ablations):
        # bridge was stopped (killed) after entering COLLECTED and before the ablation planning
        # that follows it was recorded: do now what the collection would have done next. A
        # planning skipped for the main result is decided again: an edit that changes the
        # result without a run (main_milestone set, trial N3) changes it too.
        plan_ablations(s)
    state = s.state()
    waiting = proposals_waiting(state)
    if not waiting:
        action = f"{judged} criteria judged by the reviewer" if judged else "all runs collected"
        return Step(before=state.stage, after=state.stage, action=action)
    ids = ", ".join(p.run_id for p in waiting)
    s.append(
        "bridge",
        [
            ev.ApprovalRequested(
                summary=t("approval_new", language_of(state)).format(
                    n=len(waiting),
                    runs=counted(len(waiting), "new run"),
                    wait="waits" if len(waiting) == 1 else "wait",
                    ids=ids,
                )
                + "\n"
                + approval_summary(s.project, state)
                + quote(s, state)
            )
        ],
    )
    n = len(waiting)
    return s.enter(
        StageTrigger.REQUEST_APPROVAL,
        f"{n} proposed {'run needs' if n == 1 else 'runs need'} approval",
    )


def proposed_since_approval(state: PipelineState) -> list[str]:
    """
    The runs bridge proposed from the plan (no tracker run table or ``[[runs]]`` names them)
    that were planned after a person last approved deployment and have not launched: a plan
    edit's new block, system or seed (017's policy added to B3, 033's extra seed). The approval
    covered the runs it was asked for; these need their own, as the first proposed runs did.
    Empty before any approval (the first request names every proposed run) and for runs the
    tracker or ``[[runs]]`` names, which the researcher wrote and deploy as they always have.
    """
    if state.runs_when_approved == 0:
        return []
    order = state.plan_order
    return [
        r.run_id
        for r in state.runs.values()
        if r.spec.source in (PROPOSED, SANITY_PROPOSAL)
        and order[r.run_id] >= state.runs_when_approved
        and r.state is RunState.PENDING
        and not r.attempts
    ]


def request_approval_of_new(s: Session, unapproved: Sequence[str]) -> Step:
    """
    Stop at AWAITING_APPROVAL for the runs :func:`proposed_since_approval` names: the approval
    summary names them first, and the stage reason says why; ``bridge approve`` launches them.
    """
    state = s.state()
    language = language_of(state)
    ids = ", ".join(unapproved[:8]) + (", …" if len(unapproved) > 8 else "")
    s.append(
        "bridge",
        [
            ev.ApprovalRequested(
                summary=t("approval_proposed_since", language).format(
                    n=len(unapproved),
                    runs=counted(len(unapproved), "run"),
                    were="was" if len(unapproved) == 1 else "were",
                    ids=ids,
                )
                + "\n"
                + approval_summary(s.project, state)
                + quote(s, state)
            )
        ],
    )
    return s.enter(
        StageTrigger.REQUEST_APPROVAL,
        f"{len(unapproved)} {'run' if len(unapproved) == 1 else 'runs'} proposed from the plan "
        f"since the last approval {'needs' if len(unapproved) == 1 else 'need'} approval: {ids}",
        zh=f"上次批准后根据计划新提议的 {len(unapproved)} 个运行需要批准：{ids}",
    )


def _redeploy_reason(pending: Sequence[RunView]) -> str:
    """
    Why a collected plan is deployed again: the runs added to it since (a tracker row, a
    ``[[runs]]`` entry: nothing on their stream but their planning) and the runs to run again
    (retried, revived after bridge cancelled them, or whose settings changed), each said for
    what it is.
    """
    added = sum(1 for r in pending if not r.attempts and r.stream_version <= 1)
    again = len(pending) - added
    ids = ", ".join(r.run_id for r in pending[:8]) + (", …" if len(pending) > 8 else "")
    if all(not r.attempts and r.reason.startswith(TRACKER_ROW_NOW) for r in pending):
        # Rows a tracker edit put back (023's R020, PENDING_IMPLEMENTATION → TODO): they never
        # ran, so nothing runs "again".
        return f"{counted(len(pending), 'run')} back in the plan by a tracker edit: {ids}"
    if not again:
        return f"{counted(added, 'run')} added to the plan: {ids}"
    if not added:
        return f"{counted(again, 'run')} to run again: {ids}"
    return f"{counted(added, 'run')} added to the plan and {again} to run again: {ids}"


def _may_change(planned: ev.AblationsPlanned) -> bool:
    """
    Whether an earlier decision is decided again at a later collection: planning skipped for
    the main result or for no planner, which a retry or a bridge.toml edit may change (trial
    N1: "main result positive … ablation planning skipped (main result inconclusive)").
    """
    return planned.outcome == "skipped" and (
        planned.reason.startswith("main result ")
        or planned.reason == "no ablation planner configured"
    )


def plan_ablations(s: Session) -> None:
    """
    After a collection: ask the ablation planner when the main result is positive; record
    what happened either way (proposed runs, or why planning was skipped).
    """

    state = s.state()
    previous = state.ablations
    if previous is not None and not _may_change(previous):
        return  # planned once per plan: the proposals (or the planner's failure) are in the log
    # Imported here, at the collection: the results and their judge are not needed to launch.
    from bridge.projections import results
    from bridge.projections.outcome import evaluate

    planner = s.ablation_planner or bootstrap.make_ablation_planner(s.project)
    outcome = evaluate(state)
    name = planner.name if planner is not None else ""
    # The main result first: without a positive one nothing is planned whatever is configured,
    # and the summary's next step says so (008: results.json said "no ablation planner
    # configured" where the console said "main result inconclusive").
    if outcome.main_result.value != "positive":
        reason = f"main result {outcome.main_result.value}"
    elif planner is None:
        reason = "no ablation planner configured"
    else:
        reason = ""
    if reason:
        if previous is None or previous.reason != reason:
            s.append(
                "bridge", [ev.AblationsPlanned(planner=name, outcome="skipped", reason=reason)]
            )
        return
    assert planner is not None
    systems = sorted({r.spec.system for r in state.runs.values()} | set(s.project.config.systems))
    request = AblationRequest(
        project=s.root,
        plan_excerpt=plan_excerpt(s.project),
        results=results.render(state, "en"),
        systems=tuple(systems),
        taken_ids=tuple(state.runs),
    )
    try:
        proposals = planner.propose(request)
    except ReviewError as exc:
        s.append(
            "bridge",
            [
                ev.AblationsPlanned(
                    planner=name, outcome="skipped", reason=f"the planner failed: {exc}"
                )
            ],
        )
        return
    planned: list[ev.RunPlanned] = []
    problems: list[str] = []
    for proposal in proposals:
        if proposal.id in state.runs or any(p.run_id == proposal.id for p in planned):
            problems.append(f"{proposal.id}: the id is taken")
            continue
        event, problem = proposed_run_events(s.project, proposal, "ABLATIONS")
        if event is None:
            problems.append(problem)
            continue
        planned.append(event)
    outcome_word = "proposed" if planned else "skipped"
    reason = "; ".join(problems) if problems else ("" if planned else "the planner proposed none")
    s.append(
        "bridge",
        [
            ev.AblationsPlanned(
                planner=name,
                outcome=outcome_word,
                reason=reason,
                runs=tuple(p.run_id for p in planned),
                proposals=tuple(planned),
            )
        ],
    )


def proposals_waiting(state: PipelineState) -> list[ev.RunPlanned]:
    """
    Proposed ablation runs not yet approved (not yet planned in the log).
    """
    planned = state.ablations
    if planned is None:
        return []
    return [p for p in planned.proposals if p.run_id not in state.runs]


def plan_approved_proposals(s: Session) -> None:
    """
    On approval: record the waiting proposals as planned runs, so they launch from now on.
    """
    for proposal in proposals_waiting(s.state()):
        s.append(f"run:{proposal.run_id}", [proposal], 0)
    # The plan lists them too, in bridge's own section (left out when the plan is read).
    write_plan_section(s.root, s.project.sources.get("plan"), s.state())


def milestone_summary(runs: Sequence[RunView]) -> dict[str, str]:
    """
    What a gate is told about a finished milestone: counts and each run's state.
    """
    summary = {
        "runs": str(len(runs)),
        "succeeded": str(sum(1 for r in runs if r.state is RunState.SUCCEEDED)),
    }
    for run in runs:
        summary[run.run_id] = run.state.value
    return summary
