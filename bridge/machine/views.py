"""
The folded state's frozen views: what the fold returns and every reader sees.

:class:`PipelineState` is the whole pipeline as the log tells it, :class:`RunView` one run and
:class:`AttemptView` one launch of it. They are immutable values; :mod:`bridge.machine.fold`
builds them from the log and nothing else does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from bridge.events import types as ev
from bridge.events.measurements import NO_NUMBER_IN_FILE
from bridge.events.values import Finding, JobHandle, Slot
from bridge.lazy_patterns import lazy
from bridge.machine.stages import RunState, Stage
from bridge.value_methods import value_methods

__all__ = [
    "TASK_DONE",
    "TASK_NOT_RUN",
    "TASK_NOT_RUN_TAIL",
    "AttemptView",
    "PipelineState",
    "RunView",
    "findings_of",
]


# How the recorded reason of a tracker's implementation task opens (pipeline/recording.py
# writes it; RunView.is_task reads it): the task is no run, counted nowhere.
TASK_NOT_RUN = "an implementation task of the tracker"
# How that reason says the tracker marks the task done, and how it ends (RunView.task_done reads
# them): 011's R001 "Implement Stage B", DONE in its row.
TASK_DONE = ", done"
TASK_NOT_RUN_TAIL = (
    ", not an experiment run: not launched (a [[runs]] entry with its own command runs it)"
)


# The files a run writes its numbers to by name: metrics.json, results.csv, eval_metrics.jsonl.
_METRICS_FILE = lazy(r"(?:.*[_.-])?(?:metrics?|results?|scores?)(?:[_.-].*)?\.(?:jsonl?|csv)$")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class AttemptView:
    """
    One launch of a run: where, when, and how it ended (``state`` is the run state it led to).
    """

    attempt_id: str
    number: int
    backend: str
    slots: tuple[Slot, ...]
    argv: tuple[str, ...]
    output_dir: str
    submitted_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    handle: JobHandle | None = None
    state: RunState = RunState.SUBMITTED
    exit_code: int | None = None
    reason: str = ""
    overdue: bool = False
    waiting: str = ""  # why the backend's queue holds the attempt ("" when it does not)
    gpu_seconds: float = 0.0
    local_dir: str = ""
    metrics: ev.MetricsRecorded | None = None
    scratch_dir: str = ""  # the {scratch_dir} it was given, removed after collection
    gpu_memory_peak_mib: int | None = None  # the most GPU memory it was seen using
    gpu_memory_total_mib: int | None = None  # one GPU's memory where it ran
    gpu_memory_unmeasured: str = ""  # why GPU memory was not sampled
    inputs: tuple[ev.RunInput, ...] = ()  # lineage: {outputs_of:RUN} it read
    # The log position of its launch: a sanity check recorded before it did not see its numbers.
    submitted_seq: int = 0
    # The log position of its latest metrics record (0: none): one recorded after a sanity
    # check holds numbers that check did not see (read again under new [metrics] settings).
    metrics_seq: int = 0


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunView:
    """
    One run as the log tells it: its plan, its state, and every attempt.
    """

    spec: ev.RunPlanned
    state: RunState
    attempts: tuple[AttemptView, ...] = ()
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    reason: str = ""
    oom_failures: int = 0
    failures: int = 0
    stream_version: int = 0
    # The tracker's status as written, when it was done before bridge or ruled out there.
    found_status: str = ""
    # Every reason the run was given, oldest first: what its tracker Notes may have said on an
    # earlier render, so a note the researcher wrote after it is told apart from bridge's part.
    reasons: tuple[str, ...] = ()
    # Succeeded, with settings or code the inputs no longer give: what differs, old → new
    # (``run.kept_as_ran``); None when the inputs give what it ran with, or it runs again.
    kept: ev.RunKeptAsRan | None = None
    # Succeeded with another run's result, the same spec, not launched itself
    # (``run.result_carried``); None once it runs again.
    carried: ev.RunResultCarried | None = None
    # Succeeded, then marked out of scope in the researcher's tracker (``NOT RUN — <reason>``,
    # ``run.status_kept``): the word as written, which bridge wrote DONE back over. Only a
    # retry that names the run runs it again; "" once it is retried.
    ruled_out_after: str = ""

    @property
    def run_id(self) -> str:
        """
        The run's id.
        """
        return self.spec.run_id

    @property
    def directory(self) -> str:
        """
        The run's directory name (``.bridge/runs/<directory>``, the backends' run directories):
        the safe name recorded at planning when the id cannot name a directory, else the id.
        """
        return self.spec.directory or self.spec.run_id

    @property
    def current(self) -> AttemptView | None:
        """
        The latest attempt, or None before the first launch.
        """
        return self.attempts[-1] if self.attempts else None

    @property
    def ran_seed(self) -> int | str | None:
        """
        The seed the run is planned or ran at: its own (``spec.seed``), else, once launched, the
        ``[run] args`` default its command's ``{seed}`` got (012's R003 ran ``--seed 1103`` and
        results.json read ``"seed": null`` beside R005's own 1103). An integer where it reads as
        one, the text as written otherwise; None when it has neither, or never launched (a row
        done before bridge did not run at bridge's default).
        """
        if self.spec.seed is not None or not self.attempts:
            return self.spec.seed
        given = self.spec.params.get("seed")
        if given is None or not self._launched_with_seed(given):
            return None
        try:
            return int(given)
        except ValueError:
            return given

    def _launched_with_seed(self, seed: str) -> bool:
        """
        True when the latest attempt's command got ``seed`` for its ``{seed}``: a token of the
        command template holding it renders, at the same place of the launched argv, with the
        template's other words around ``seed``. A command with no ``{seed}`` (``--seed 7``
        written in it) did not run at ``[run] args``' seed, nor one launched before that seed
        was edited; neither is said to have.
        """
        attempt = self.attempts[-1]
        template = self.spec.command
        if len(template) != len(attempt.argv):
            return False
        held = [(t, a) for t, a in zip(template, attempt.argv, strict=True) if "{seed}" in t]
        return bool(held) and all(
            re.fullmatch(_seed_pattern(token, seed), arg, re.DOTALL) for token, arg in held
        )

    @property
    def gpu_seconds(self) -> float:
        """
        GPU-seconds used by all attempts (wall time × GPUs).
        """
        return sum(a.gpu_seconds for a in self.attempts)

    @property
    def metrics(self) -> ev.MetricsRecorded | None:
        """
        The metrics recorded for the latest attempt, or None (not finished, or not read yet).
        """
        return self.attempts[-1].metrics if self.attempts else None

    @property
    def numbers_asked(self) -> bool:
        """
        True when numbers are expected of the run: it names metrics or belongs to a block. A
        data-preparation step writing a config JSON is neither (034's first run), and is only
        named in its problems when it records none.
        """
        return bool(self.spec.metrics or self.spec.block)

    @property
    def wrote_no_number(self) -> bool:
        """
        True when the run succeeded and no number was recorded while a file of its outputs
        was there to give them: one that could not be read (cut off, a row longer than its
        header, a link out: 015's R008 read as DONE and exit 0; 011's R018, in no block and
        naming no metric, too: trial T5), or, when numbers were expected of it (it names
        metrics or belongs to a block), one that held none (a ``metrics.json`` of ``{}``; a
        data-preparation step's config JSON is no such file). For a must-run run the plan's
        evidence is missing, as for a failure. So is a run whose row names a metric and that
        recorded none at all (004's R302 exited 0 with no file, and counted done, trial T7),
        and so is a run bridge proposed from a block (a system × seed of it, whose numbers the
        block's criteria judge) even when the block names no metric (033's R017, from E5,
        wrote no file and counted completed, while 002's tracker run R011, naming one, did
        not: trial t10). A run the researcher wrote naming no metric that wrote no metrics file
        is not one (it may have none to give: a figure, a post-processing step); its output
        folder is named in its problems.
        """
        metrics = self.metrics
        if self.state is not RunState.SUCCEEDED or metrics is None or metrics.values:
            return False
        if self.spec.metrics or self._proposed:
            return True
        # Blocking: a broken or refused file, or NO_NUMBER_IN_FILE; a note (nothing matched, a
        # part left unread) is not one.
        blocking = [p for p in metrics.problems if p.blocking]
        # Broken whatever the run is for: a file named for metrics or results (a data step's
        # JSON Lines named .json, a dataset over the size limit, say nothing of its numbers).
        broken = any(
            p.message != NO_NUMBER_IN_FILE and _METRICS_FILE.match(p.source.rsplit("/", 1)[-1])
            for p in blocking
        )
        return broken or (self.numbers_asked and bool(blocking))

    @property
    def _proposed(self) -> bool:
        """
        True when bridge proposed the run from the plan's blocks (no tracker row or
        ``[[runs]]`` entry names it).
        """
        # Imported here: needed only for a run that recorded no number, and every command
        # imports this module.
        from bridge.plan.runs import PROPOSED

        return self.spec.source == PROPOSED

    @property
    def is_task(self) -> bool:
        """
        True when the run is a row of the tracker's implementation-task table (001's I1-I7,
        done or not): no experiment run, so it is in no milestone's table and no count.
        """
        return self.state is RunState.OUT_OF_SCOPE and self.reason.startswith(TASK_NOT_RUN)

    @property
    def task_done(self) -> bool:
        """
        True when the run is an implementation task (:attr:`is_task`) its tracker row marks done
        (011's R001 "Implement Stage B", DONE): every place that gives it a status word says
        DONE, as the row does, never SKIPPED.
        """
        return self.is_task and self.reason.endswith(TASK_DONE + TASK_NOT_RUN_TAIL)

    @property
    def blocked_in_tracker(self) -> bool:
        """
        True when the run is out of scope because its tracker row says it is blocked (038's
        ``BLOCKED-BY-HOST``, 027's ``BLOCKED_BY_M1.5``, 002's ``**BLOCKED**``): every place
        that names it says "blocked", never "out of scope" or SKIPPED
        (:func:`bridge.plan.recorded_status.tracker_says_blocked`). An implementation task is none.
        """
        if self.state is not RunState.OUT_OF_SCOPE or self.is_task:
            return False
        # Imported here, as for failed_before_bridge: only the few runs ruled out ask.
        from bridge.plan.recorded_status import tracker_says_blocked

        return tracker_says_blocked(self.found_status, self.reason)

    @property
    def by_person(self) -> bool:
        """
        True when the run is out of scope because it is work people do, still to be done (020's
        ``白天：人工`` rows, 032's "Human audit"): every place that lists it says so, never "out
        of scope" or SKIPPED (:func:`bridge.plan.recorded_status.done_by_person`). A row the
        tracker says is blocked is :attr:`blocked_in_tracker` instead.
        """
        if self.state is not RunState.OUT_OF_SCOPE or self.is_task or self.blocked_in_tracker:
            return False
        from bridge.plan.recorded_status import done_by_person

        return done_by_person(self.reason)

    @property
    def waits_outside(self) -> bool:
        """
        True when the run is held out of scope while it waits for a run bridge does not run
        (011's R020 waits for R017, human annotation), and runs once that one is done: every
        place that lists it says it waits, never "out of scope" or SKIPPED
        (:func:`bridge.plan.recorded_status.waits_outside`).
        """
        if self.state is not RunState.OUT_OF_SCOPE or self.is_task or self.blocked_in_tracker:
            return False
        from bridge.plan.recorded_status import waits_outside

        return not self.by_person and waits_outside(self.reason)

    @property
    def awaiting_code(self) -> bool:
        """
        True when the run is held out of scope because its tracker row says its code is not
        written yet (023's ``PENDING_IMPLEMENTATION`` rows of M2), and runs once the row says
        TODO: every place that lists it says it waits for its code, never "out of scope" or
        SKIPPED (:func:`bridge.plan.status_legend.is_held_for_code`).
        """
        if self.state is not RunState.OUT_OF_SCOPE or self.is_task or self.blocked_in_tracker:
            return False
        from bridge.plan.status_legend import is_held_for_code

        return not self.by_person and not self.waits_outside and is_held_for_code(self.reason)

    @property
    def held_for_code(self) -> bool:
        """
        True when the scheduler cancelled the run, never launched, because a must-run row of an
        earlier milestone waits for its code (023's R031-R043 behind R020): it runs once that
        row says TODO, so every place that counts or lists it says it is held, never "not ok",
        and the researcher's tracker keeps its "to run" word
        (:func:`bridge.machine.scheduler.held_for_code_by`).
        """
        if self.state is not RunState.CANCELLED or self.attempts:
            return False
        # Imported here: the scheduler imports this module.
        from bridge.machine.scheduler import held_for_code_by

        return held_for_code_by(self) is not None

    @property
    def failed_before_bridge(self) -> bool:
        """
        True when the tracker says the run was done before bridge and ended failed or invalid
        there (``FAIL``, 002's "**GATE FAILED**"): completed, but not succeeded, so it counts
        neither as done nor as a success anywhere.
        """
        if self.state is not RunState.DONE_BEFORE:
            return False
        # Imported here: the status vocabulary is only needed for the few runs done before
        # bridge, and every command imports this module.
        from bridge.plan.vocabulary import ended_failed

        return ended_failed(self.found_status)

    @property
    def negative_before_bridge(self) -> bool:
        """
        True when the tracker says the run was done before bridge and completed with a negative
        result (014's R002 ``COMPLETE_FAIL_HARD_STOP``, 038's ``FAIL-SPEEDUP``): done, and named
        so wherever it is counted done (the stage line, the summary, the next step, status).
        """
        if self.state is not RunState.DONE_BEFORE or self.failed_before_bridge:
            return False
        from bridge.plan.vocabulary import ended_negative  # as for failed_before_bridge

        return ended_negative(self.found_status)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PipelineState:
    """
    The whole pipeline as the log tells it.

    Attributes:
        stage: the current stage.
        plan: the latest ``PlanLoaded``, or None before the plan is loaded.
        runs: every planned run by id, in planning order.
        approved: a person approved deployment since the last approval request.
        runs_when_approved: how many runs were planned when a person last approved deployment
            (``Approved``; 0 before any): the runs whose :attr:`plan_order` is at or past it
            were planned since, so no approval covered them (a run a plan edit added to the
            runs bridge proposed, :func:`bridge.pipeline.steps.deploy.proposed_since_approval`).
        last_seq: the seq of the newest record folded (0 for an empty log).
        sanity_checked_seq: the seq of the latest ``SanityChecked`` (0 before any), or, when
            that is a person's approval at BLOCKED, of the check it approves: an attempt
            submitted after it (:attr:`AttemptView.submitted_seq`), or whose metrics were
            recorded after it (:attr:`AttemptView.metrics_seq`, read again under new
            ``[metrics]`` settings), has numbers no sanity check and no approval recorded so
            far has seen.
        sanity_approved_seq: :attr:`sanity_checked_seq` as of the latest ``SanityChecked``
            that leads with a person's approval past the sanity criterion (``bridge approve``,
            or a later check that found that approval covering the unmet blocks; 0 before
            any): the approval covers the numbers recorded up to it, whatever checks of other
            runs (a sanity run that failed) were recorded since.
        last_recorded_at: the time of the newest record folded.
        last_content_seq: the seq of the newest record that is not ``OutputWritten``.
        last_content_at: its time; projections are stamped with it, so recording that a file was
            written never changes what the file should contain.
        events: how many records were folded.
        milestone_ids: the plan's milestones in order, then any milestone only runs name.
        run_ids_by_state: the ids of the runs in each state, each tuple in planning order (a
            state no run is in may be absent). Kept up to date as records are applied, so the
            scheduler, which decides after every event, looks at the few pending and live runs
            instead of scanning every run.
        milestone_counts: per milestone, how many runs are in each state, keyed by (the run
            is must-run, its state).
        plan_order: each run's position in planning order.
        gpu_seconds_used: GPU-seconds used by every attempt of every run.
        judgments: reviewer judgments of criteria the rules could not check, in log order.
        outputs: the ``OutputWritten`` records a reader needs, in log order: every write that
            kept a timestamped copy (one manifest row each) and each file's latest write. An
            earlier write of a file that kept no copy is in the log only: no reader needs it,
            and a long run writes the same few files hundreds of thousands of times.
    """

    stage: Stage = Stage.PLANNED
    plan: ev.PlanLoaded | None = None
    runs: Mapping[str, RunView] = attrs.field(factory=dict)
    approved: bool = False
    runs_when_approved: int = 0
    implementations: tuple[ev.ImplementationRecorded, ...] = ()
    reviews: tuple[ev.CodeReviewed, ...] = ()
    rescues: tuple[ev.RescueDiagnosed, ...] = ()
    rentals: tuple[ev.InstanceRented, ...] = ()  # paid machines, with their cleanup commands
    sanity_checks: tuple[ev.SanityChecked, ...] = ()
    base_repo: ev.BaseRepoCloned | None = None
    blocked: ev.PipelineBlocked | None = None
    approval: ev.ApprovalRequested | None = None
    stage_history: tuple[tuple[int, ev.StageEntered], ...] = ()
    milestones_completed: tuple[str, ...] = ()
    budget_warnings: tuple[ev.BudgetWarned, ...] = ()
    costs: Mapping[str, float] = attrs.field(factory=dict)
    orphans: ev.OrphansReported | None = None
    gates: tuple[ev.GateDecided, ...] = ()
    judgments: tuple[ev.CriterionJudged, ...] = ()
    ablations: ev.AblationsPlanned | None = None
    outputs: tuple[ev.OutputWritten, ...] = ()
    milestone_ids: tuple[str, ...] = ()
    run_ids_by_state: Mapping[RunState, tuple[str, ...]] = attrs.field(factory=dict)
    milestone_counts: Mapping[str, Mapping[tuple[bool, RunState], int]] = attrs.field(factory=dict)
    plan_order: Mapping[str, int] = attrs.field(factory=dict)
    gpu_seconds_used: float = 0.0
    last_seq: int = 0
    sanity_checked_seq: int = 0
    sanity_approved_seq: int = 0
    last_recorded_at: datetime | None = None
    last_content_seq: int = 0
    last_content_at: datetime | None = None
    events: int = 0

    @property
    def dollars_spent(self) -> float:
        """
        The log's spend: the sum over paid instances of their latest reported totals
        (:attr:`costs`). Derived, not kept: totals that are each finite may sum past the
        largest float, and a kept infinity could not be written into a snapshot and read back.
        """
        return sum(self.costs.values())

    @property
    def gates_passed(self) -> frozenset[str]:
        """
        The milestones whose gate's latest decision let the plan go on.
        """
        latest = {gate.milestone: gate.proceed for gate in self.gates}
        return frozenset(m for m, proceed in latest.items() if proceed)

    @property
    def gpu_hours_used(self) -> float:
        """
        GPU-hours used by every attempt of every run.
        """
        return self.gpu_seconds_used / 3600.0

    def runs_in_state(self, *states: RunState) -> list[RunView]:
        """
        The runs in any of ``states``, in planning order.
        """
        if len(states) == 1:
            return [self.runs[i] for i in self.run_ids_by_state.get(states[0], ())]
        ids = [i for state in states for i in self.run_ids_by_state.get(state, ())]
        ids.sort(key=self.plan_order.__getitem__)
        return [self.runs[i] for i in ids]

    def count_in(
        self, milestone: str, states: Iterable[RunState], *, must_only: bool = False
    ) -> int:
        """
        How many runs of ``milestone`` (only its must-run runs with ``must_only``) are in any
        of ``states``.
        """
        counts = self.milestone_counts.get(milestone)
        if not counts:
            return 0
        return sum(
            counts.get((must, state), 0)
            for state in states
            for must in ((True,) if must_only else (True, False))
        )

    def runs_in(self, milestone: str) -> tuple[RunView, ...]:
        """
        The runs of ``milestone``, in planning order.
        """
        return tuple(run for run in self.runs.values() if run.spec.milestone == milestone)


def findings_of(state: PipelineState) -> tuple[Finding, ...]:
    """
    The findings of the latest implementation and review, for renderers.
    """
    found: list[Finding] = []
    if state.implementations:
        found.extend(state.implementations[-1].findings)
    if state.reviews:
        found.extend(state.reviews[-1].findings)
    return tuple(found)


# A placeholder of a command template, kept by a split: "--seed={seed}" → "--seed=", "{seed}".
_PLACEHOLDER = lazy(r"(\{[A-Za-z_][\w:.-]*\})")


def _seed_pattern(token: str, seed: str) -> str:
    """
    A pattern matching ``token`` (a command template's word) rendered with ``{seed}`` as
    ``seed`` and any other placeholder as anything.
    """
    parts = _PLACEHOLDER.split(token)
    return "".join(
        re.escape(seed) if part == "{seed}" else ".*" if part.startswith("{") else re.escape(part)
        for part in parts
    )
