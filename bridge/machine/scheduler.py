"""
The scheduler: a pure function from the folded state, free resources and the time to decisions.

``decide`` never does I/O and never looks at the wall clock; the pipeline gives it ``now`` and
carries its decisions out (appending events, calling the backend). Rules:

- runs go milestone by milestone in plan order; the next milestone starts once every must-run
  run of the current one has *succeeded* (nice-to-have runs never hold it back; an overdue run
  does not either); a must-run run that ended any other way, that the tracker says ended
  failed before bridge, or that waits for its code to be written, stops the milestones after
  it, and their runs are cancelled with the reason, so nothing waits forever and nothing starts
  on top of a failure or ahead of the milestone it follows (they come back when that row is
  retried or its code is written);
- ``depends_on`` runs wait for their dependencies to succeed, and are cancelled when one cannot
  (a dependency the tracker says failed before bridge cannot, until it is retried);
- at most ``max_parallel`` runs are live at once, and a GPU slot holds one run at a time;
- an out-of-memory failure is retried after exponential backoff on another free GPU when one
  exists, up to ``oom_max_attempts`` attempts, then the run is stuck; other failures are retried
  ``max_retries`` times (default 0), lost runs once more than that; a retry after a launch that
  failed (the backend refused or could not start it: nothing ran) waits
  ``launch_backoff_seconds``, doubling per launch failure in a row (at most
  ``LAUNCH_BACKOFF_GROWTH`` times), so a backend that keeps refusing is not asked again at
  once; any other retry may launch at once;
- with a ``Gate`` configured, the next milestone also waits for the gate's recorded decision;
- with ``budget = "enforce"`` nothing launches that would take GPU-hours past the plan's budget.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from bridge.events.values import Slot
from bridge.lazy_patterns import lazy
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.sanity_probe import probe_of
from bridge.machine.stages import (
    COUNTED_RUN_STATES,
    NOT_BRIDGES_RUN_STATES,
    SETTLED_RUN_STATES,
    TERMINAL_RUN_STATES,
    RunState,
)
from bridge.plan.milestones import says_data_preparation
from bridge.plan.priority import Priority
from bridge.plan.run_fields import SANITY_CHECK
from bridge.plan.status_legend import is_held_for_code
from bridge.value_methods import value_methods

__all__ = [
    "LAUNCH_BACKOFF_GROWTH",
    "Cancel",
    "Decision",
    "GiveUp",
    "Launch",
    "Policy",
    "Retry",
    "WarnBudget",
    "decide",
    "held_by_failed_before",
    "held_for_code_by",
    "holder_waiting_for_code",
    "in_phase",
    "milestone_order",
    "sanity_milestones",
    "sanity_probe",
]

LIVE = frozenset({RunState.SUBMITTED, RunState.RUNNING})
_MAY_RETRY = frozenset({RunState.FAILED_OOM, RunState.FAILED, RunState.LOST})
_FINISHED_BADLY = TERMINAL_RUN_STATES - SETTLED_RUN_STATES - NOT_BRIDGES_RUN_STATES
# The states to look closer at for a must-run run that stops its milestone: done before bridge
# is one when the tracker says it ended failed (``RunView.failed_before_bridge``).
_FINISHED_BADLY_OR_BEFORE = _FINISHED_BADLY | {RunState.DONE_BEFORE}
# How a cancel reason says a must-run row ended that the tracker says failed before bridge.
FAILED_BEFORE = "failed before bridge"
# How a cancel reason says a must-run row is held until its code is written (023's
# PENDING_IMPLEMENTATION rows of M2, while M3-M5 ran ahead of them).
WAITS_FOR_CODE = "waits for its code"
# The most a launch retry's wait grows: launch_backoff_seconds doubles per launch failure in a
# row up to this factor (5 s to 320 s by default), however many retries are allowed.
LAUNCH_BACKOFF_GROWTH = 64
_HELD_FOR_CODE_BY = lazy(r"not run: milestone .+? must-run (\S+) " + WAITS_FOR_CODE)


def held_by_failed_before(run: RunView) -> bool:
    """
    Whether this scheduler cancelled the run because a must-run row the tracker says failed
    before bridge stops its milestone ("not run: milestone M1 must-run R005 ended failed before
    bridge"): run again alone, it is cancelled again; it comes back with that row's retry.
    """
    return (
        run.state is RunState.CANCELLED
        and run.reason.startswith("not run: ")
        and f"ended {FAILED_BEFORE}" in run.reason
    )


def held_for_code_by(run: RunView) -> str | None:
    """
    The must-run row whose code is not written yet that stops this cancelled run's milestone
    ("not run: milestone M2 must-run R020 waits for its code"), or None: the run comes back
    when that row's Status says it can run.
    """
    if run.state is not RunState.CANCELLED:
        return None
    return holder_waiting_for_code(run.reason)


def holder_waiting_for_code(reason: str) -> str | None:
    """
    The must-run row a cancel ``reason`` of this scheduler says waits for its code ("not run:
    milestone M2 must-run R020 waits for its code" → R020), or None for any other reason: the
    run it cancelled is held until that row can run, not cancelled for good.
    """
    found = _HELD_FOR_CODE_BY.fullmatch(reason)
    return found.group(1) if found is not None else None


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Policy:
    """
    The scheduling settings (from the options and ``[run]``).

    ``oom_backoff_seconds`` is the wait before the first out-of-memory retry (doubling after);
    ``launch_backoff_seconds`` the wait before retrying a launch that failed (doubling per
    launch failure in a row, up to ``LAUNCH_BACKOFF_GROWTH`` times).
    """

    max_parallel: int = 4
    sanity_first: bool = True
    budget_enforce: bool = False
    oom_backoff_seconds: float = 30.0
    launch_backoff_seconds: float = 5.0
    lost_retries: int = 1
    gated: bool = False  # a Gate decides between milestones: wait for its recorded decision


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Launch:
    """
    Launch the run's next attempt on ``slots``.
    """

    run_id: str
    slots: tuple[Slot, ...]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Retry:
    """
    Put the run back to pending, not before ``not_before``, avoiding ``avoid_slots``.
    """

    run_id: str
    reason: str
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GiveUp:
    """
    The run ran out of OOM retries: mark it stuck.
    """

    run_id: str
    reason: str


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Cancel:
    """
    The run can never start (a dependency or an earlier milestone failed): cancel it.
    """

    run_id: str
    reason: str


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class WarnBudget:
    """
    GPU-hours used crossed ``threshold`` of the budget.
    """

    threshold: float
    used: float
    planned: float


Decision = Launch | Retry | GiveUp | Cancel | WarnBudget


def milestone_order(state: PipelineState) -> list[str]:
    """
    Milestone ids in plan order, then any milestone only the runs name, in order of appearance.
    """
    return list(state.milestone_ids)


def sanity_milestones(state: PipelineState) -> set[str]:
    """
    The ids of the plan's sanity milestones.
    """
    return {m.id for m in state.plan.milestones if m.sanity} if state.plan else set()


def sanity_probe(state: PipelineState) -> str | None:
    """
    When the plan names no sanity milestone, the run the sanity phase runs alone and checks
    before the rest launch (:mod:`bridge.machine.sanity_probe`); None when it names one (its
    runs are the check) or there is no run to check. It belongs to the deploy phase as well:
    a retry of it after the check passed runs with the rest.
    """
    if sanity_milestones(state):
        return None
    return probe_of(
        (
            (r.run_id, r.spec.milestone, r.spec.priority, r.numbers_asked)
            for r in state.runs.values()
            if r.state not in NOT_BRIDGES_RUN_STATES and not r.spec.depends_on
        ),
        state.milestone_ids,
        # The plan's own sanity check goes first (011's R012 "Sanity: overfit on 100 items").
        {r.run_id for r in state.runs.values() if r.spec.attribution.startswith(SANITY_CHECK)},
        # 011's M0 "Data Pipeline" is no start of the pipeline to check: R012 of M1 is.
        {m.id for m in state.plan.milestones if says_data_preparation(m)} if state.plan else (),
    )


def _is_overdue(run: RunView) -> bool:
    return run.current is not None and run.current.overdue and run.state in LIVE


def _retry_decision(run: RunView, policy: Policy, now: datetime) -> Decision | None:
    spec = run.spec
    attempt = run.current
    if run.state is RunState.FAILED_OOM:
        # "GPU memory" for a run that asked for a GPU, or whose failure says a GPU's memory ran
        # out (outcomes.py reads that from its log); otherwise the host's memory (025's CPU run
        # read "显存不足 3 次", GPU memory, in Chinese).
        gpu = bool(spec.gpus) or run.reason.startswith("out of GPU memory")
        memory = "GPU memory" if gpu else "memory"
        if len(run.attempts) >= spec.oom_max_attempts:
            return GiveUp(
                run_id=run.run_id,
                reason=f"out of {memory} {run.oom_failures} times ({len(run.attempts)} attempts)",
            )
        delay = policy.oom_backoff_seconds * (2 ** max(run.oom_failures - 1, 0))
        # Avoid every GPU this run ran out of memory on, not only the last one: a retry that
        # bounces back to the first GPU would likely fail the same way.
        avoid = dict.fromkeys(
            slot
            for a in run.attempts
            if a.state is RunState.FAILED_OOM or a is attempt
            for slot in a.slots
        )
        # "on another GPU" only for a run that asked for one: a CPU run's OOM is the host's
        # memory (trial t6's R004 on local CPU slots was told it would move GPU).
        # ("out of memory … on another GPU" says the GPU already.)
        where = " on another GPU" if spec.gpus else ""
        said = "memory" if spec.gpus else memory
        return Retry(
            run_id=run.run_id,
            reason=f"out of {said}; retry {run.oom_failures} after {delay:g}s{where}",
            not_before=now + timedelta(seconds=delay),
            avoid_slots=tuple(avoid),
        )
    if run.state is RunState.FAILED and run.failures <= spec.max_retries:
        refused = _launch_failures_in_a_row(run)
        if refused:
            # Nothing ran: the backend refused the launch or could not start it (a host down,
            # a full queue). Asking again at once would likely fail the same way, and a
            # backend that keeps refusing must not be asked in a tight loop.
            growth = min(2 ** (refused - 1), LAUNCH_BACKOFF_GROWTH)
            delay = policy.launch_backoff_seconds * growth
            retry = f"retry {run.failures} of {spec.max_retries}"
            return Retry(
                run_id=run.run_id,
                reason=f"launch failed; {retry} after {delay:g}s",
                not_before=now + timedelta(seconds=delay),
            )
        # The run ran and failed: the plan's retry rule asks for another attempt, now.
        return Retry(
            run_id=run.run_id, reason=f"failed; retry {run.failures} of {spec.max_retries}"
        )
    if run.state is RunState.LOST:
        losses = sum(1 for a in run.attempts if a.state is RunState.LOST)
        if losses <= spec.max_retries + policy.lost_retries:
            return Retry(run_id=run.run_id, reason=f"lost ({run.reason}); relaunching")
    return None


def _launch_failures_in_a_row(run: RunView) -> int:
    """
    How many of the run's latest attempts in a row failed to launch: failed with no start
    recorded (the dispatcher records a refused or failed submit as ``launch failed: …``).
    """
    count = 0
    for attempt in reversed(run.attempts):
        if attempt.state is not RunState.FAILED or attempt.started_at is not None:
            break
        count += 1
    return count


def _pick_slots(run: RunView, free: Counter[Slot]) -> tuple[Slot, ...] | None:
    """
    Choose slots for the run from ``free`` (a multiset), or None when it cannot start now.
    """
    wanted = run.spec.gpus
    avoid = set(run.avoid_slots)
    if wanted <= 0:
        cpu = [slot for slot in free if slot.gpu is None and free[slot] > 0]
        if cpu:
            return (sorted(cpu, key=Slot.label)[0],)
        if any(slot.gpu is None for slot in free):
            return None  # CPU slots exist but all are busy
        return ()  # the backend has no notion of CPU slots: max_parallel alone limits
    by_host: dict[str, list[Slot]] = {}
    for slot in sorted(free, key=lambda s: (s.host, s.gpu if s.gpu is not None else -1)):
        if slot.gpu is not None and free[slot] > 0:
            by_host.setdefault(slot.host, []).append(slot)
    # Prefer a host where enough GPUs are free without the ones to avoid (OOM retries).
    for allow_avoided in (False, True):
        for slots in by_host.values():
            usable = [s for s in slots if allow_avoided or s not in avoid]
            if len(usable) >= wanted:
                return tuple(usable[:wanted])
    return None


def decide(
    state: PipelineState,
    free_slots: Sequence[Slot],
    now: datetime,
    policy: Policy,
    *,
    phase: str = "deploy",
) -> list[Decision]:
    """
    Decide what to do now.

    Args:
        state: the folded log.
        free_slots: the slots the backend offers now (live runs' slots are subtracted here).
        now: the current time (from the pipeline's clock).
        policy: the scheduling settings.
        phase: ``"sanity"`` schedules only the sanity milestone's runs; ``"deploy"`` the rest.

    Returns:
        Decisions in the order to carry them out.
    """
    decisions: list[Decision] = []
    runs = state.runs
    sanity = sanity_milestones(state) if policy.sanity_first else set()
    probe = sanity_probe(state) if policy.sanity_first and phase == "sanity" else None

    # The fold keeps the runs of each state and per-milestone counts up to date, so a round
    # looks at the pending, live and failed runs only, never at every run of the plan (the
    # dispatcher decides after every event). Each list keeps planning order.
    may_retry = state.runs_in_state(*_MAY_RETRY)
    live_runs = state.runs_in_state(*LIVE)
    pending = state.runs_in_state(RunState.PENDING)

    # Retries and give-ups first: they change what is pending.
    for run in may_retry:
        retry = _retry_decision(run, policy, now)
        if retry is not None:
            decisions.append(retry)
    retried = {d.run_id for d in decisions if isinstance(d, Retry)}

    def finished_badly(run: RunView) -> bool:
        # A row the tracker says ended failed before bridge (005's R005 ``FAIL``) stops what
        # waits on it as a failure under bridge does, until it is retried.
        return run.state in _FINISHED_BADLY or run.failed_before_bridge

    overdue_must: Counter[str] = Counter(
        r.spec.milestone for r in live_runs if r.spec.priority is Priority.MUST and _is_overdue(r)
    )
    in_phase = [m for m in state.milestone_ids if (m in sanity) == (phase == "sanity")]
    if probe is not None:
        in_phase = [runs[probe].spec.milestone]  # its run alone, below
    # Walk milestones in order: the first one whose must-run runs are not all settled
    # (succeeded, or overdue and so not holding the plan back) is open.
    open_milestones: list[str] = []
    blocked_by: str | None = None
    # The runs that ended badly or before bridge, by milestone: taken once, from the fold's
    # lists by state, only when a milestone has any (looking through every run of each such
    # milestone made a wake-up 3-5x slower on 018, whose milestones hold rows done before).
    ended: dict[str, list[RunView]] | None = None
    for milestone in in_phase:
        open_milestones.append(milestone)
        if state.count_in(milestone, _FINISHED_BADLY_OR_BEFORE, must_only=True):
            if ended is None:
                ended = {}
                for run in state.runs_in_state(*_FINISHED_BADLY_OR_BEFORE):
                    ended.setdefault(run.spec.milestone, []).append(run)
            bad = [
                r
                for r in ended.get(milestone, ())
                if r.spec.priority is Priority.MUST
                and finished_badly(r)
                and r.run_id not in retried
            ]
            if bad:
                how = FAILED_BEFORE if bad[0].failed_before_bridge else bad[0].state.value
                blocked_by = f"milestone {milestone} must-run {bad[0].run_id} ended {how}"
                break
        if state.count_in(milestone, (RunState.OUT_OF_SCOPE,), must_only=True):
            # A must-run row whose code is not written yet: the milestones after it wait for it
            # as for one that failed (they would otherwise run ahead of it).
            waits = next(
                (
                    r
                    for r in state.runs_in_state(RunState.OUT_OF_SCOPE)
                    if r.spec.milestone == milestone
                    and r.spec.priority is Priority.MUST
                    and is_held_for_code(r.reason)
                ),
                None,
            )
            if waits is not None:
                blocked_by = f"milestone {milestone} must-run {waits.run_id} {WAITS_FOR_CODE}"
                break
        must = state.count_in(milestone, COUNTED_RUN_STATES, must_only=True)
        settled = state.count_in(milestone, SETTLED_RUN_STATES, must_only=True)
        if settled + overdue_must[milestone] < must:
            break
        if policy.gated and milestone not in state.gates_passed:
            break  # the gate has not (or not yet) let the plan past this milestone
    if blocked_by is not None:
        # Runs of no milestone (034's R013, of a block no milestone names) come after the
        # milestones only for want of a place in their order, not because they wait for them:
        # a failed milestone does not stop them, and they run now.
        later = [m for m in in_phase[len(open_milestones) :] if m]
        if "" in in_phase and "" not in open_milestones:
            open_milestones.append("")
        for run in pending:
            if run.spec.milestone in later:
                decisions.append(Cancel(run_id=run.run_id, reason=f"not run: {blocked_by}"))

    # Free resources: what the backend offers minus what live runs hold.
    free: Counter[Slot] = Counter(free_slots)
    live = len(live_runs)
    for run in live_runs:
        for slot in run.current.slots if run.current else ():
            if free[slot] > 0:
                free[slot] -= 1

    budget = state.plan.budget_gpu_hours if state.plan else None
    used = state.gpu_hours_used if budget is not None else 0.0
    committed = used + sum(
        r.spec.gpus * (r.spec.estimated_minutes or 0.0) / 60.0 for r in live_runs
    )
    if budget:
        warned = {w.threshold for w in state.budget_warnings}
        for threshold in (0.8, 1.0):
            if used >= threshold * budget and threshold not in warned:
                decisions.append(WarnBudget(threshold=threshold, used=used, planned=budget))

    cancelled = {d.run_id for d in decisions if isinstance(d, Cancel)}
    for run in pending:
        if live >= policy.max_parallel:
            break
        if run.run_id in cancelled:
            continue
        if run.spec.milestone not in open_milestones:
            continue
        if probe is not None and run.run_id != probe:
            continue
        if run.not_before is not None and run.not_before > now:
            continue
        deps = [runs.get(dep) for dep in run.spec.depends_on]
        missing = [d for d, r in zip(run.spec.depends_on, deps, strict=True) if r is None]
        # A dependency cancelled in this round is as good as failed: the chain R007 → R008 →
        # R009 is cancelled at once, not one link per dispatcher wake-up (011: 5 s apart).
        failed = [
            r.run_id for r in deps if r is not None and (finished_badly(r) or r.run_id in cancelled)
        ]
        ruled_out = [r.run_id for r in deps if r is not None and r.state is RunState.OUT_OF_SCOPE]
        if missing or failed or ruled_out:
            if missing:
                why = f"unknown dependency {missing[0]}"
            elif failed:
                # A dependency bridge or a person cancelled never ran: "R027 failed" sent the
                # reader to a run with no error of its own (011's R028 behind R027 behind R025).
                first = runs[failed[0]]
                gone = first.state is RunState.CANCELLED or first.run_id in cancelled
                why = f"dependency {first.run_id} {'was cancelled' if gone else 'failed'}"
            else:
                why = f"dependency {ruled_out[0]} is out of scope in the tracker"
            decisions.append(Cancel(run_id=run.run_id, reason=f"not run: {why}"))
            cancelled.add(run.run_id)
            continue
        if not all(r is not None and r.state in SETTLED_RUN_STATES for r in deps):
            continue
        cost = run.spec.gpus * (run.spec.estimated_minutes or 0.0) / 60.0
        if policy.budget_enforce and budget is not None and committed + cost > budget:
            continue
        slots = _pick_slots(run, free)
        if slots is None:
            continue
        for slot in slots:
            free[slot] -= 1
        committed += cost
        live += 1
        decisions.append(Launch(run_id=run.run_id, slots=slots))
    return decisions


def in_phase(run: RunView, sanity: set[str], phase: str, probe: str | None = None) -> bool:
    """
    True when ``run`` belongs to ``phase``: the sanity milestones' runs, or the ``probe`` the
    sanity phase checks when there are none (:func:`sanity_probe`), to ``"sanity"``; the
    others' runs to ``"deploy"`` (``sanity`` is the set of sanity milestone ids in force). The
    probe is a run of its milestone, in the deploy phase too.
    """
    if phase == "sanity":
        return run.spec.milestone in sanity or run.run_id == probe
    return run.spec.milestone not in sanity


def phase_done(state: PipelineState, policy: Policy, phase: str) -> bool:
    """
    True when every run of the phase is terminal (nothing live, nothing left to launch).
    """
    sanity = sanity_milestones(state) if policy.sanity_first else set()
    probe = sanity_probe(state) if policy.sanity_first and phase == "sanity" else None
    unfinished = [s for s in state.run_ids_by_state if s not in TERMINAL_RUN_STATES]
    return not any(
        in_phase(state.runs[run_id], sanity, phase, probe)
        for run_state in unfinished
        for run_id in state.run_ids_by_state[run_state]
    )
