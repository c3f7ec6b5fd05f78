"""
Carrying the scheduler's decisions out: launching, watching and finishing runs on a backend.

Launches follow intent → act → confirm: ``RunSubmitted`` (with the attempt id) is appended first,
then the backend launches with that id as its idempotency key, then ``RunStarted`` is appended.
After a crash, :meth:`Dispatcher.reconcile` asks the backend about every submitted or running
attempt: a live one is adopted, a finished one collected, a missing one launched exactly once.
Waiting is the backend's ``wait``, which wakes within a second of a local process exiting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import assert_never

from bridge.errors import BackendConfigError, BackendError, BackendUnavailable, ConcurrencyError
from bridge.events import types as ev
from bridge.logs import get_logger
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.outcomes import Fetched, FetchFailed, fetches_results, poll_outcome
from bridge.machine.ports import (
    AttemptPlace,
    Backend,
    IdleReleaser,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    RentalReporter,
    ScratchSpace,
    Slot,
)
from bridge.machine.scheduler import (
    LIVE,
    Cancel,
    Decision,
    GiveUp,
    Launch,
    Policy,
    Retry,
    WarnBudget,
    decide,
    in_phase,
    phase_done,
    sanity_milestones,
    sanity_probe,
)
from bridge.machine.stages import RunState
from bridge.pipeline.layout import ProjectLayout
from bridge.pipeline.lineage import LineageError, resolve_inputs
from bridge.plan import placeholders, render_argv
from bridge.plan.overview import counted
from bridge.plan.safe_ids import SAFE_ID_MAX

__all__ = ["IDLE_TURN_SECONDS", "Dispatcher", "attempt_id_for", "wait_seconds"]

log = get_logger("bridge.dispatch")
Append = Callable[[str, Sequence[ev.Event], int | None], None]
# The longest the loop waits in one go while runs go on or a retry delay runs: the backend's
# wait ends sooner when a live attempt ends, and each wait is preceded by ``idle`` (tracker
# edits are taken at least this often).
IDLE_TURN_SECONDS = 5.0


# What each decision needs the run to still be in when it is carried out.
# The states a run must still be in for a decision about it to be carried out.
_LAUNCHABLE = frozenset({RunState.PENDING})  # a launch or a cancel
_RETRYABLE = frozenset({RunState.FAILED_OOM, RunState.FAILED, RunState.LOST})
_GIVE_UP_FROM = frozenset({RunState.FAILED_OOM})


def _gpus_per_host(slots: Sequence[Slot]) -> int:
    counts: dict[str, int] = {}
    for slot in slots:
        if slot.gpu is not None:
            counts[slot.host] = counts.get(slot.host, 0) + 1
    return max(counts.values(), default=0)


def wait_seconds(state: PipelineState, now: datetime) -> float:
    """
    How long a dispatcher round that changed nothing may wait: until the soonest ``not_before``
    still ahead of a pending run, at most ``IDLE_TURN_SECONDS``. A ``not_before`` already passed
    is no reason to wake early: that run waits for something else (a free slot, a dependency),
    and waking for it at once would poll the backend in a tight loop (it woke every 50 ms).
    """
    soonest = IDLE_TURN_SECONDS
    for run in state.runs_in_state(RunState.PENDING):
        if run.not_before is not None and run.not_before > now:
            soonest = min(soonest, (run.not_before - now).total_seconds())
    return soonest


def attempt_id_for(directory: str, number: int) -> str:
    """
    The attempt id of the ``number``-th attempt of the run whose directory is ``directory``
    (``RunView.directory``: the id, or the safe name the plan gave an id that cannot name one).
    Directories are unique per run, so two runs never share an attempt id (``M1 a`` and
    ``M1_a`` once both made ``M1_a-a1``, and a backend finds a job by its attempt id).
    """
    suffix = f"-a{number}"
    if len(directory) + len(suffix) > SAFE_ID_MAX:  # keep it a safe id, and still unique
        digest = hashlib.sha256(directory.encode("utf-8")).hexdigest()[:8]
        directory = f"{directory[: SAFE_ID_MAX - len(suffix) - 9]}-{digest}"
    return f"{directory}{suffix}"


class Dispatcher:
    """
    Runs one phase (sanity or deploy) of the plan on a backend until every run in it is terminal.

    Args:
        project: the project root (local attempt directories live under ``.bridge/runs``).
        backend: where runs execute.
        state: returns the current folded state.
        append: appends events to a stream at an expected version (None: any).
        now: the clock.
        policy: the scheduling settings.
        read_metrics: given a run whose current attempt succeeded, its results copied back,
            returns the events recording its metrics (``MetricsRecorded``), appended with the
            events that end the attempt: one append, so the log never holds a success
            without its metrics (a crash in between left one, read again by
            ``collect.ensure_metrics``).
        on_progress: called after each round of polling and launching (milestone bookkeeping,
            gates); returning False ends the phase early (a gate held the plan).
        keep_scratch: keep each attempt's ``{scratch_dir}`` after collection (``[run]
            keep_scratch``); by default it is removed once the attempt's results are recorded.
    """

    def __init__(
        self,
        project: Path,
        backend: Backend,
        state: Callable[[], PipelineState],
        append: Append,
        now: Callable[[], datetime],
        policy: Policy,
        read_metrics: Callable[[RunView], Sequence[ev.RunEvent]] = lambda _run: (),
        on_progress: Callable[[], bool] = lambda: True,
        keep_scratch: bool = False,
    ) -> None:
        self.project = project
        self.backend = backend
        self.state = state
        self.append = append
        self.now = now
        self.policy = policy
        self.read_metrics = read_metrics
        self.on_progress = on_progress
        self.keep_scratch = keep_scratch
        self._slots: tuple[Slot, ...] | None = None
        self._max_gpus = 0  # the most GPUs seen on one host: more can never be had
        self._fetch_failures: dict[str, int] = {}
        self._probed = False
        self.reprobe_seconds = 30.0
        if isinstance(backend, RentalReporter):
            backend.on_rented(self._record_rental)

    def _record_rental(self, rented: ev.InstanceRented) -> None:
        """
        Log a machine a paid backend rented, with its cleanup command, before anything runs on
        it (once per machine and attempt: an adopted one is not logged twice).
        """
        if any(
            r.instance_id == rented.instance_id and r.attempt_id == rented.attempt_id
            for r in self.state().rentals
        ):
            return
        self.append("bridge", [rented], None)

    # -- the loop -----------------------------------------------------------------------------

    def run_phase(self, phase: str, *, idle: Callable[[], None] = lambda: None) -> bool:
        """
        Launch, watch and finish the phase's runs until all are terminal.

        Each round polls the live attempts, then decides and carries the decisions out. A round
        that changed a run (launched, retried, gave up or cancelled one) is followed at once by
        another, without polling: what it changed may let more happen now (a retried run
        launches at once, a run stuck cancels the milestones after it, a launch that failed is
        retried when ``max_retries`` allows), and the phase ends only after a round that changed
        nothing. Only such a round waits: for a live attempt to end, or until the soonest
        ``not_before``
        of a pending run (a retry delay the scheduler chose on purpose: an out-of-memory or
        launch backoff), never longer than ``IDLE_TURN_SECONDS`` at a time. ``idle`` (taking
        the researcher's tracker edits) is called after every round that changed something
        and before every such wait.

        Returns:
            True when the phase finished; False when ``on_progress`` ended it early.
        """
        self.reconcile()
        again = False  # decide again at once, without polling: the last round changed a run
        while True:
            if not again:
                self.poll_all()
            again = False
            if not self.on_progress():
                return False
            progressed = self.apply(
                decide(self.state(), self.slots(), self.now(), self.policy, phase=phase)
            )
            state = self.state()
            if isinstance(self.backend, IdleReleaser) and not self._pending(state, "deploy"):
                # Nothing left to launch in the plan: machines whose runs are all done and
                # copied back stop billing now, not when the last run ends.
                self.backend.release_idle()
            if progressed:
                # Before the phase may end, too: a launch that failed left its run failed,
                # which counts as ended until the next round decides its retry.
                idle()
                again = True
                continue
            if phase_done(state, self.policy, phase):
                return self.on_progress()
            live = state.runs_in_state(*LIVE)
            if not live and not self._waiting_for_backoff(state):
                if self._busy_gpus_may_free(state, phase):
                    self.backend.wait([], timeout=self.reprobe_seconds)
                    continue
                self._cancel_unlaunchable(state, phase)
                continue
            idle()
            handles = [r.current.handle for r in live if r.current and r.current.handle]
            self.backend.wait(handles, timeout=self._wait_timeout(state))

    def slots(self) -> tuple[Slot, ...]:
        """
        The slots runs can use: what the backend offered when probed, plus every slot a live run
        was seen holding (a GPU busy with our own adopted run at start-up is ours again once it
        ends), each slot once.
        """
        if self._slots is None:
            self._slots = tuple(self._preflight())
            self._max_gpus = max(self._max_gpus, _gpus_per_host(self._slots))
        held = [
            slot
            for run in self.state().runs_in_state(*LIVE)
            if run.current is not None
            for slot in run.current.slots
        ]
        new = [slot for slot in dict.fromkeys(held) if slot not in self._slots]
        if new:
            self._slots = (*self._slots, *new)
            self._max_gpus = max(self._max_gpus, _gpus_per_host(self._slots))
        return self._slots

    def _preflight(self) -> Sequence[Slot]:
        """
        Probe the backend. The first probe of a session is the start: a backend that cannot be
        reached or authenticated then is a configuration problem (exit 2, the same message
        shape for every backend), not a runtime failure; later probes raise as they are.
        """
        first = not self._probed
        self._probed = True
        try:
            return self.backend.preflight()
        except BackendConfigError:
            raise
        except BackendUnavailable as exc:
            if not first:
                raise
            name = self.backend.name
            raise BackendConfigError(
                f"the {name} backend cannot be used: {exc} (check [backends.{name}] and that "
                "the machines or service it names can be reached from here)",
                setting=f"backends.{name}",
            ) from exc

    def _busy_gpus_may_free(self, state: PipelineState, phase: str) -> bool:
        """
        True when pending GPU runs wait for GPUs that exist but were busy (another user's jobs
        on a shared server): probe again and wait, rather than give the runs up.
        """
        wanting = [r for r in self._pending(state, phase) if r.spec.gpus > 0]
        if not wanting:
            return False
        self._slots = None  # probe again: some GPUs may have freed up
        offered = self.slots()
        if not offered:
            # A backend with GPUs offers only the free ones: nothing at all means every GPU
            # is busy (someone else's jobs). Wait and probe again rather than give up.
            log.warning("waiting_for_free_gpus", runs=[r.run_id for r in wanting])
            return True
        free = _gpus_per_host(offered)
        # Wait only for runs that fit on the machine but not in what is free now; a run that
        # fits in what is free waits for something else (a dependency) and is not helped.
        return any(free < r.spec.gpus <= self._max_gpus for r in wanting)

    def _pending(self, state: PipelineState, phase: str) -> list[RunView]:
        sanity = sanity_milestones(state) if self.policy.sanity_first else set()
        probe = sanity_probe(state) if self.policy.sanity_first and phase == "sanity" else None
        return [
            r for r in state.runs_in_state(RunState.PENDING) if in_phase(r, sanity, phase, probe)
        ]

    def _waiting_for_backoff(self, state: PipelineState) -> bool:
        now = self.now()
        return any(
            r.not_before is not None and r.not_before > now
            for r in state.runs_in_state(RunState.PENDING)
        )

    def _wait_timeout(self, state: PipelineState) -> float:
        return wait_seconds(state, self.now())

    def _cancel_unlaunchable(self, state: PipelineState, phase: str) -> None:
        """
        Nothing is live, nothing launched, nothing waits for a backoff: the phase's pending runs
        can never start. Cancel them with the reason, so the phase ends and the results say why.
        """
        budget = state.plan.budget_gpu_hours if state.plan else None
        for run in self._pending(state, phase):
            cost = run.spec.gpus * (run.spec.estimated_minutes or 0.0) / 60.0
            if self.policy.budget_enforce and budget is not None and cost > 0:
                reason = (
                    f"not run: {cost:.2f} more GPU-hours would pass the budget of {budget:g} "
                    '(budget = "enforce")'
                )
            elif run.spec.gpus > self._max_gpus:
                reason = (
                    f"not run: needs {counted(run.spec.gpus, 'GPU')} on one host; the backend has "
                    f"at most {self._max_gpus}"
                )
            else:
                reason = "not run: a run it depends on, or its milestone, cannot go on"
            self._append_run(run, [ev.RunCancelled(run_id=run.run_id, reason=reason)])

    # -- decisions ----------------------------------------------------------------------------

    def apply(self, decisions: Sequence[Decision]) -> int:
        """
        Carry decisions out in order; return how many changed a run (launch, retry, give up,
        cancel). A decision whose run changed since it was made (``bridge cancel`` from another
        process, say) is dropped: the next round decides again from the log.
        """
        progressed = 0
        for decision in decisions:
            match decision:
                case WarnBudget():
                    warned = ev.BudgetWarned(
                        threshold=decision.threshold,
                        used_gpu_hours=decision.used,
                        planned_gpu_hours=decision.planned,
                    )
                    self.append("bridge", [warned], None)
                case Launch():
                    run = self._still(decision.run_id, _LAUNCHABLE)
                    if run is not None and self.launch(run, decision.slots):
                        progressed += 1
                case Retry():
                    run = self._still(decision.run_id, _RETRYABLE)
                    if run is not None:
                        if run.state is RunState.LOST:
                            self._forget(run)
                        retried = ev.RunRetryScheduled(
                            run_id=run.run_id,
                            reason=decision.reason,
                            not_before=decision.not_before,
                            avoid_slots=decision.avoid_slots,
                        )
                        progressed += self._append_run(run, [retried])
                case GiveUp():
                    run = self._still(decision.run_id, _GIVE_UP_FROM)
                    if run is not None:
                        stuck = ev.RunStuck(run_id=run.run_id, reason=decision.reason)
                        progressed += self._append_run(run, [stuck])
                case Cancel():
                    run = self._still(decision.run_id, _LAUNCHABLE)
                    if run is not None:
                        cancelled = ev.RunCancelled(run_id=run.run_id, reason=decision.reason)
                        progressed += self._append_run(run, [cancelled])
                case _:
                    assert_never(decision)
        return progressed

    def _still(self, run_id: str, states: frozenset[RunState]) -> RunView | None:
        """
        The run as the log has it now, when it is still in one of ``states`` (as when the
        decision was made); None, logged, when it has moved on.
        """
        run = self.state().runs[run_id]
        if run.state not in states:
            log.info("decision_dropped", run_id=run_id, state=run.state.value)
            return None
        return run

    def _forget(self, run: RunView) -> None:
        """
        Before relaunching a lost run, stop its old attempt in case the host comes back with it
        still running (best effort: the host may still be gone).
        """
        attempt = run.current
        if attempt is None or attempt.handle is None:
            return
        try:
            self.backend.cancel(attempt.handle)
        except BackendError as exc:
            log.info("lost_attempt_not_cancelled", run_id=run.run_id, reason=str(exc))

    def _append_run(self, run: RunView, events: Sequence[ev.RunEvent]) -> bool:
        """
        Append to the run's stream at the version ``run`` was read at; False on a lost race.

        Another process (``bridge cancel``, ``bridge retry``) may have written to the stream
        since: then nothing is appended and the loop decides again from the fresh log.
        """
        try:
            self.append(f"run:{run.run_id}", events, self._version(run))
        except ConcurrencyError:
            log.info(
                "run_stream_changed",
                run_id=run.run_id,
                events=[type(e).__name__ for e in events],
            )
            return False
        return True

    @staticmethod
    def _version(run: RunView) -> int:
        # The run stream's version: one RunPlanned per plan load, plus every later event.
        return run.stream_version

    def launch(self, run: RunView, slots: tuple[Slot, ...]) -> bool:
        """
        Intent → act → confirm for the run's next attempt. False when another process won.
        """
        number = len(run.attempts) + 1
        attempt_id = attempt_id_for(run.directory, number)
        place = ProjectLayout.place(run.directory, attempt_id)
        output_dir = self.backend.output_dir(place)
        gpu = ",".join(str(s.gpu) for s in slots if s.gpu is not None)
        try:
            inputs, lineage = resolve_inputs(self.state(), run, self.project)
            scratch = self._scratch(run, place)
        except (LineageError, BackendError) as exc:
            return self._append_run(
                run, [ev.RunCancelled(run_id=run.run_id, reason=f"not run: {exc}")]
            )
        values = {
            **run.spec.params,
            **inputs,
            "output_dir": output_dir,
            "gpu": gpu,
            "attempt_id": attempt_id,
            "scratch_dir": scratch,
        }
        intent = ev.RunSubmitted(
            run_id=run.run_id,
            attempt_id=attempt_id,
            attempt=number,
            backend=self.backend.name,
            slots=slots,
            argv=render_argv(run.spec.command, values),
            output_dir=output_dir,
            scratch_dir=scratch,
            inputs=lineage,
        )
        if not self._append_run(run, [intent]):
            log.info("launch_lost_race", run_id=run.run_id, attempt_id=attempt_id)
            return False
        self._act(self.state().runs[run.run_id])
        return True

    def _scratch(self, run: RunView, place: AttemptPlace) -> str:
        """
        The attempt's fresh scratch directory when its command uses ``{scratch_dir}``, else "".

        Raises:
            BackendError: the backend gives no scratch space (refused at start too), or the
                directory cannot be made.
        """
        if not any("scratch_dir" in placeholders(token) for token in run.spec.command):
            return ""
        if not isinstance(self.backend, ScratchSpace):
            raise BackendError(f"the {self.backend.name} backend gives no {{scratch_dir}}")
        return self.backend.scratch_dir(place)

    def _drop_scratch(self, run: RunView) -> None:
        """
        Remove the finished attempt's scratch directory unless ``keep_scratch``; a failure to
        remove it is logged, never fatal (the results are already recorded).
        """
        attempt = run.current
        if (
            self.keep_scratch
            or attempt is None
            or not attempt.scratch_dir
            or not isinstance(self.backend, ScratchSpace)
        ):
            return
        try:
            self.backend.remove_scratch(ProjectLayout.place(run.directory, attempt.attempt_id))
        except BackendError as exc:
            log.warning("scratch_not_removed", run_id=run.run_id, error=str(exc))

    def _spec(self, run: RunView) -> JobSpec:
        attempt = run.current
        assert attempt is not None
        timeout = run.spec.timeout_minutes * 60.0 if run.spec.timeout_minutes else None
        return JobSpec(
            place=ProjectLayout.place(run.directory, attempt.attempt_id),
            argv=attempt.argv,
            env=dict(run.spec.env),
            slots=attempt.slots,
            cwd=run.spec.cwd,
            timeout_seconds=timeout,
            outputs=run.spec.outputs,
        )

    def _act(self, run: RunView, *, adopted: JobHandle | None = None) -> None:
        attempt = run.current
        assert attempt is not None
        try:
            handle = adopted or self.backend.submit(self._spec(run))
        except BackendError as exc:
            self._append_run(
                run,
                [
                    ev.RunFailed(
                        run_id=run.run_id,
                        attempt_id=attempt.attempt_id,
                        reason=f"launch failed: {exc}",
                    )
                ],
            )
            return
        confirmed = self._append_run(
            run,
            [
                ev.RunStarted(
                    run_id=run.run_id,
                    attempt_id=attempt.attempt_id,
                    handle=handle,
                    adopted=adopted is not None,
                )
            ],
        )
        if not confirmed:
            # Someone cancelled the attempt between intent and confirm: what was launched
            # belongs to nobody now, so stop it rather than leave an orphan spending GPU time.
            log.info("launch_cancelled_meanwhile", run_id=run.run_id, attempt=attempt.attempt_id)
            self.backend.cancel(handle)
            return

    # -- reconciliation and polling -----------------------------------------------------------

    def reconcile(self) -> None:
        """
        Ask the backend about every submitted or running attempt (after a crash or restart).
        """
        for run in list(self.state().runs.values()):
            attempt = run.current
            if attempt is None or run.state not in LIVE:
                continue
            found = self.backend.find(ProjectLayout.place(run.directory, attempt.attempt_id))
            if run.state is RunState.SUBMITTED:
                # Crashed between intent and confirm: adopt what was launched, or launch it now
                # (submit is idempotent on the attempt id, so this can never launch twice).
                # A launch claimed whose process never started is lost, not adopted: the log
                # must not say it started.
                lost = self._never_started(found)
                if lost is None:
                    self._act(run, adopted=found)
                else:
                    self._append_run(
                        run,
                        [ev.RunLost(run_id=run.run_id, attempt_id=attempt.attempt_id, reason=lost)],
                    )
            elif found is None:
                self._append_run(
                    run,
                    [
                        ev.RunLost(
                            run_id=run.run_id,
                            attempt_id=attempt.attempt_id,
                            reason=f"{self.backend.name} has no trace of {attempt.attempt_id}",
                        )
                    ],
                )

    def _never_started(self, found: JobHandle | None) -> str | None:
        """
        The backend's word for an attempt found claimed whose process never started (its
        poll says LOST before bridge recorded a start), or ``None``: nothing found (launch it
        now), or a process to adopt. A poll that fails leaves the attempt to be adopted, and
        the polls after adoption to tell.
        """
        if found is None:
            return None
        try:
            state = self.backend.poll(found)
        except BackendError as exc:
            log.warning("adoption_poll_failed", attempt_id=found.attempt_id, error=str(exc))
            return None
        return (state.detail or "lost") if state.status is JobStatus.LOST else None

    def poll_all(self) -> None:
        """
        Poll every live attempt once and record what it says (:func:`poll_outcome`): a change
        in the backend's queue, an overdue run, or how a finished attempt ended, its results
        copied back first and, for a success, its metrics read (``read_metrics``): one append.
        """
        now = self.now()
        for run in self.state().runs_in_state(RunState.RUNNING):
            attempt = run.current
            if attempt is None or attempt.handle is None:
                continue
            status = self.backend.poll(attempt.handle)
            fetch = self._fetch(run, status) if fetches_results(status.status) else None
            outcome = poll_outcome(run, status, now, fetch)
            events = outcome.events
            if outcome.succeeded:
                events = (*events, *self.read_metrics(run))
            if not events or not self._append_run(run, events):
                continue
            if outcome.results_recorded:
                self._drop_scratch(run)

    def _fetch(self, run: RunView, status: JobState) -> Fetched | FetchFailed:
        """
        Copy the finished attempt's results into its local attempt directory, and list its
        outputs when they are checked (exit 0 and the run expects some). A failed copy is
        counted per attempt: the run stays running and the next poll tries again.
        """
        attempt = run.current
        assert attempt is not None and attempt.handle is not None
        local_dir = ProjectLayout(self.project).attempt_dir(run.directory, attempt.attempt_id)
        try:
            artifacts = tuple(self.backend.fetch_artifacts(attempt.handle, local_dir))
        except BackendError as exc:
            # The run's results are on the backend: try again on the next polls before giving
            # the GPU time up as failed.
            tries = self._fetch_failures.get(attempt.attempt_id, 0) + 1
            self._fetch_failures[attempt.attempt_id] = tries
            log.warning(
                "fetch_failed",
                run_id=run.run_id,
                attempt_id=attempt.attempt_id,
                tries=tries,
                error=str(exc),
            )
            return FetchFailed(error=str(exc), tries=tries)
        checked = status.status is JobStatus.SUCCEEDED and run.spec.outputs
        return Fetched(
            local_dir=str(local_dir.relative_to(self.project)),
            artifacts=artifacts,
            outputs=_files_under(local_dir / "output") if checked else (),
        )


def _files_under(directory: Path) -> tuple[str, ...]:
    """
    Every file under ``directory``, relative to it; none when it does not exist.
    """
    if not directory.is_dir():
        return ()
    # A link leading out of the folder is no output of the run (collect_outputs leaves it out).
    real = directory.resolve()
    return tuple(
        str(p.relative_to(directory))
        for p in directory.rglob("*")
        if p.is_file() and p.resolve().is_relative_to(real)
    )
