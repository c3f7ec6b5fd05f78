"""
``Bridge``: the pipeline. Read the log, fold it, ask the machine what is next, call a port,
append the events, refresh the projections.

``Bridge`` is the public face: it holds a :class:`~bridge.session.Session` (the log, the fold,
the ports) and hands each stage to its step in :mod:`bridge.steps`. It holds no state of its own
beyond the fold of the log: a second ``Bridge`` on the same project (or the same one after a
crash) carries on where the log says. It never prints; it logs structured events through
structlog (silent until the embedding program configures it), and the command line renders.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from bridge.errors import ConcurrencyError, InputError, IntegrityError, UnknownRunError
from bridge.events import types as ev
from bridge.events.clock import Clock, utc_now
from bridge.events.store import EventStore, SQLiteEventStore
from bridge.machine.fold import PipelineState, RunView
from bridge.machine.ports import AblationPlanner, Backend, Gate, Implementer, Notifier, Reviewer
from bridge.machine.stages import TERMINAL_RUN_STATES, RunState, Stage
from bridge.machine.triggers import StageTrigger
from bridge.pipeline import audit, bootstrap, lineage, retries, snapshots
from bridge.pipeline.credentials import register_credentials
from bridge.pipeline.layout import ProjectLayout
from bridge.pipeline.root import project_root
from bridge.pipeline.session import Session, Step
from bridge.pipeline.steps import code, deploy, sanity
from bridge.pipeline.steps.row_status import StatusSaid
from bridge.plan import Plan, load_project, require_runs
from bridge.projections.text import language_of

__all__ = ["Bridge", "Step"]

WAITING = frozenset({Stage.AWAITING_APPROVAL, Stage.BLOCKED})
DONE = frozenset({Stage.COLLECTED})
_CANCEL_TRIES = 5  # lost races with a running `bridge run` before cancel gives up


def _project_root(target: str | Path | Plan) -> Path:
    if isinstance(target, Plan):
        plan_file = Path(target.plan_file) if target.plan_file else None
        if plan_file is None or not plan_file.is_absolute():
            raise InputError("pass project= with a Plan whose file path is relative or unknown")
        return (
            plan_file.parent.parent if plan_file.parent.name == "refine-logs" else plan_file.parent
        )
    return project_root(target)


def _open_store(root: Path, events_db: Path, clock: Clock) -> SQLiteEventStore:
    """
    Open (or start) the project's log, refusing an empty one that replaced a log bridge wrote
    from (:func:`audit.check_not_lost`).
    """
    store = SQLiteEventStore(events_db, clock=clock)
    try:
        audit.check_not_lost(root, store)
    except IntegrityError:
        store.close()
        raise
    return store


class Bridge:
    """
    The pipeline for one project.

    Args:
        plan_or_project: the project directory (or a folder inside it: the root is found by
            walking up), a plan file inside it, or a loaded ``Plan``.
        project: the project directory when it cannot be told from the first argument.
        store: the event store (default: ``<project>/.bridge/events.db``).
        backend, implementer, reviewer, gate, notifier: ports; built from ``bridge.toml`` when None.
        ablation_planner: proposes ablations after a positive main result (``[ablations]``
            when None; without either, ablation planning is recorded as skipped).
        clock: returns the current aware UTC time (default: the system clock).
        options: option overrides (``{"max_parallel": 2}``), above every other source.

    Raises:
        InputError: the plan or configuration is wrong (``PlanError``, ``ConfigError``). The
            configured adapters' sections are checked before the first step (``advance``,
            ``run``), so a mistake there stops the pipeline before any work is done.
    """

    def __init__(
        self,
        plan_or_project: str | Path | Plan,
        *,
        project: str | Path | None = None,
        store: EventStore | None = None,
        backend: Backend | None = None,
        implementer: Implementer | None = None,
        reviewer: Reviewer | None = None,
        gate: Gate | None = None,
        notifier: Notifier | None = None,
        ablation_planner: AblationPlanner | None = None,
        clock: Clock | None = None,
        options: Mapping[str, object] | None = None,
    ) -> None:
        self.root = Path(project).resolve() if project else _project_root(plan_or_project)
        clock = clock or utc_now
        events_db = ProjectLayout(self.root).events_db
        opened = store is None and events_db.exists()
        if opened:
            store = _open_store(self.root, events_db, clock)
        try:
            # The log's fold before the plan is read: the runs it proposed from the plan keep
            # their ids (a block given seeds renumbered every later run: 015, trial t8).
            loaded = snapshots.load(store) if store is not None else None
            state = loaded.folder.state() if loaded is not None else None
            self.project = load_project(
                self.root,
                overrides=dict(options or {}),
                proposed_before=code.proposed_before(state) if state is not None else (),
                recorded_metrics=code.recorded_metrics(state) if state is not None else (),
            )
            if notifier is None:
                # Before a log is made: a wrong [notify] (its URL pasted where its variable's
                # name goes) leaves a project bridge cannot start as it was found.
                notifier = bootstrap.make_notifier(self.project)
        except BaseException:
            if opened and store is not None:
                store.close()
            raise
        # Before anything is recorded: the values of bridge's credential variables are
        # redacted from every event, log line and file bridge writes from here on.
        register_credentials(self.project)
        # What bootstrap checks before the first step (not here: `bridge cancel` must work
        # even when, say, the reviewer's key is missing from this shell).
        self._unchecked = {
            "backend": backend is None,
            "implementer": implementer is None,
            "reviewer": reviewer is None,
            "ablations": ablation_planner is None,
        }
        if store is None:
            # Nothing to run and no log yet: refused before .bridge/ is made, so a project
            # bridge cannot start is left as it was found.
            require_runs(self.project)
            store = _open_store(self.root, events_db, clock)
        self._session = Session(
            self.root,
            self.project,
            store,
            clock,
            backend=backend,
            implementer=implementer,
            reviewer=reviewer,
            gate=gate,
            notifier=notifier,
            ablation_planner=ablation_planner,
            options=options,
            loaded=loaded,
        )

    # -- reading ----------------------------------------------------------------------------

    def status(self) -> PipelineState:
        """
        The pipeline's state as the log tells it now.
        """
        return self._session.state()

    def summary(self) -> str:
        """
        The handoff summary ``bridge run`` ends with (see :func:`handoff_summary`).
        """
        from bridge.projections.summary import handoff_summary  # renders results: imported late

        return handoff_summary(self.status(), self.commands_now())

    def commands_now(self) -> dict[str, tuple[str, ...]]:
        """
        Each run's command template as the loaded inputs give it now (bridge.toml's ``[run]``,
        ``[systems]`` and ``[[runs]]``), which a retry runs with: a row the tracker says failed
        before bridge keeps the spec it was planned with until it runs (trial t16 on 018).
        """
        return {r.id: r.command for r in self._session.project.runs}

    def trackers_held(self) -> list[str]:
        """
        The tracker bridge writes whole (the project has none) when it holds the researcher's
        edit, which bridge leaves in place and so no longer updates the file
        (:meth:`~bridge.projections.writer.ProjectionWriter.held_by_edit`); ``[]`` otherwise.
        """
        return self._session.writer.held_by_edit(self._session.state())

    def kept_for_status(self) -> Mapping[str, tuple[str, ...]]:
        """
        The copies of the researcher's tracker kept by this bridge's writes only because of a
        Status they wrote on rows bridge ran, which bridge writes its own over (and says so
        apart: :attr:`kept_settings`): each copy's path (relative to the project) → those rows'
        run ids. Everything else of their edit is in the tracker.
        """
        return dict(self._session.writer.kept_for_status)

    @property
    def kept_settings(self) -> Mapping[str, tuple[ev.SpecChange | StatusSaid, ...]]:
        """
        Succeeded runs whose settings (those their numbers depend on: not a time limit,
        priority, milestone, waits or metric names) or code the inputs change, as the log says
        now (each run's ``RunKeptAsRan``), with each changed field: they keep what they ran with;
        ``retry(..., force=True)`` runs one again with the new settings. Standing: they are
        named as long as it holds, not only by the command that found the edit. A tracker
        Status the researcher set on a run bridge ran, found during this object's life, is one
        more entry, last (a :data:`StatusSaid`).
        """
        kept: dict[str, tuple[ev.SpecChange | StatusSaid, ...]] = {
            run.run_id: run.kept.changes
            for run in self._session.state().runs.values()
            if run.kept is not None
        }
        for run_id, said in self._session.status_said.items():
            kept[run_id] = (*kept.get(run_id, ()), said)
        return kept

    @property
    def backend(self) -> Backend:
        """
        The backend (built from ``bridge.toml`` on first use).
        """
        return self._session.backend

    # -- moving on --------------------------------------------------------------------------

    def advance(self) -> Step:
        """
        Take exactly one stage transition (running the runs it needs) and return it; then keep a
        timestamped version of every projection whose content changed since its last version.

        Raises:
            LockedError: another bridge process is working on this project.
        """
        s = self._session
        with s.locked():
            step = self._advance()
            s.refresh(force=True, version=True)
            return step

    def run(self, until: Stage | None = None) -> Stage:
        """
        Advance until COLLECTED, a waiting stage (AWAITING_APPROVAL, BLOCKED) or ``until``.

        Raises:
            LockedError: another bridge process is working on this project.
        """
        s = self._session
        with s.locked():
            while True:
                step = self._advance()
                stage = step.after
                # Stop when done, waiting for a person, asked to, or when a step changed nothing
                # (except at COLLECTED with proposed runs, whose next step asks for approval).
                proposals_waiting = (
                    stage is Stage.COLLECTED
                    and step.before is not stage
                    and bool(deploy.proposals_waiting(s.state()))
                )
                if step.before is Stage.COLLECTED and stage is Stage.DEPLOYED:
                    continue  # runs were added to the plan: deploy them
                if not proposals_waiting and (
                    stage in DONE
                    or stage in WAITING
                    or stage is until
                    or (step.before is step.after and stage is not Stage.DEPLOYED)
                ):
                    s.refresh(force=True, version=True)
                    return stage

    def check(self) -> None:
        """
        The checks made at start, once per ``Bridge`` (:meth:`advance` and :meth:`run` make them
        first): runs can be derived, and every configured section and, for the local backend,
        this machine are right (:func:`bootstrap.validate`). Connects nowhere; call it before
        showing anything, so a project that cannot start shows only why.

        Raises:
            ConfigError: naming the setting, file and line.
            PlanError: no run can be derived from the project.
        """
        if self._unchecked:
            require_runs(self.project)
            bootstrap.validate(self.project, **self._unchecked)
            self._unchecked = {}

    def _advance(self) -> Step:
        self.check()
        s = self._session
        state = s.state()
        if state.plan is None:
            code.load(s)
            state = s.state()
        else:
            changed, _ = _take_changed_inputs(s)
            state = s.state()
            # An option given on the command line (`-o compact=true`) is recorded, but is no
            # answer to a block: only an edited file reopens it.
            edited = any(not c.startswith(code.OPTIONS_CHANGED) for c in changed)
            if edited and state.stage is Stage.BLOCKED:
                # A changed input is the researcher's answer to the block: check again.
                s.gates_asked.clear()
                return s.enter(StageTrigger.REOPEN, f"inputs changed ({', '.join(changed[:5])})")
        # Before any launch: a run reading the outputs of one bridge never ran cannot start.
        lineage.check_inputs_recorded(state, self.project.runs)
        steps: dict[Stage, Callable[[Session], Step]] = {
            Stage.PLANNED: code.implement,
            Stage.IMPLEMENTED: code.review,
            Stage.REVIEWED: sanity.sanity,
            Stage.SANITY_FAILED: sanity.after_sanity_failure,
            Stage.RESCUE: sanity.rescue,
            Stage.SANITY_OK: sanity.deploy_after_sanity,
            Stage.DEPLOYED: deploy.deploy,
            Stage.COLLECTED: deploy.collected,
        }
        step = steps.get(state.stage)
        if step is None:
            return Step(
                before=state.stage, after=state.stage, action=f"waiting at {state.stage.value}"
            )
        return step(s)

    # -- a person's commands ----------------------------------------------------------------

    def approve(self, by: str = "") -> Step:
        """
        A person says "go on": approve deployment at AWAITING_APPROVAL, or, at BLOCKED (after
        fixing what blocked it), reopen the pipeline so the code is checked and reviewed again
        and the runs that did not finish go on.

        Raises:
            InputError: nothing is waiting for a person.
        """
        s = self._session
        with s.locked():
            # An edit made since the last `bridge run` (a note in the tracker) is recorded
            # first: the projections written next are filled in from it, never from the older
            # layout (which would move the edit out to NAME.edited.md).
            _take_changed_inputs(s)
            state = s.state()
            if state.stage is Stage.BLOCKED:
                s.gates_asked.clear()
                blocked = state.blocked.reason if state.blocked is not None else ""
                if blocked.startswith(ev.CRITERION_HELD):
                    # The person saw the sanity criterion fail and says go on: recorded, so the
                    # next sanity check lets the later milestones run.
                    who = by or os.environ.get("USER", "")
                    detail = f"{ev.CRITERION_APPROVED}" + (f" ({who})" if who else "")
                    s.append("bridge", [ev.SanityChecked(passed=True, detail=detail)])
                return s.enter(StageTrigger.REOPEN, "reopened by a person after a block")
            if state.stage is not Stage.AWAITING_APPROVAL:
                # In the plan's language, as the approval itself (021).
                raise InputError(
                    f"没有需要批准的：流水线处于 {state.stage.value}"
                    if language_of(state) == "zh"
                    else f"nothing to approve: the pipeline is at {state.stage.value}"
                )
            deploy.plan_approved_proposals(s)
            s.append("bridge", [ev.Approved(by=by or os.environ.get("USER", ""))])
            return s.enter(StageTrigger.APPROVE, "approved by a person")

    def cancel(self, run_id: str) -> None:
        """
        Cancel a run: kill its process group if live, or keep it from launching. Works while
        another process runs the pipeline (it does not take the project lock).

        Raises:
            UnknownRunError: the plan has no such run.
            InputError: the run already ended.
        """
        s = self._session
        state = s.state()
        run = _run(state, run_id)
        if run.state in TERMINAL_RUN_STATES:
            # In the plan's language, as the cancel itself ("已取消 R008", 021).
            raise InputError(
                f"运行 {run_id} 已结束（{run.state.value}）；没有可取消的"
                if language_of(state) == "zh"
                else f"run {run_id} already ended ({run.state.value}); nothing to cancel"
            )
        # A running `bridge run` may record the run's end (or its launch) at the same moment:
        # on a lost race read the log again and go on from what it says now.
        for _ in range(_CANCEL_TRIES):
            run = _run(s.state(), run_id)
            if run.state in TERMINAL_RUN_STATES:
                break
            attempt = run.current
            event = ev.RunCancelled(run_id=run_id, reason="cancelled by a person")
            if run.state in (RunState.SUBMITTED, RunState.RUNNING) and attempt is not None:
                place = ProjectLayout.place(run.directory, attempt.attempt_id)
                handle = attempt.handle or s.backend.find(place)
                if handle is not None:
                    s.backend.cancel(handle)
                event = attrs.evolve(event, attempt_id=attempt.attempt_id)
            try:
                s.append(f"run:{run_id}", [event], run.stream_version)
            except ConcurrencyError:
                continue
            break
        else:
            raise ConcurrencyError(f"run {run_id} kept changing while it was being cancelled")
        s.refresh(force=True)

    def retry(
        self,
        *run_ids: str,
        failed: bool = False,
        milestone: str | Sequence[str] = "",
        force: bool = False,
        changed: bool = False,
    ) -> retries.Retried:
        """
        Run runs again on the next :meth:`run`: the ones named, every run that ended without
        succeeding (``failed``), or those of ``milestone`` (one id, or several); a succeeded
        run only with ``force``, or with ``changed``: every succeeded run whose settings its
        numbers depend on the inputs now change (:attr:`kept_settings`, less its code edits).
        The runs bridge cancelled because of them come back too, and each takes the spec the
        inputs give now (``RunSpecChanged`` when it differs).

        Returns:
            The runs asked for, the runs revived with them, and the other runs the next
            :meth:`run` starts again (an edit recorded here sent them back), with why.

        Raises:
            UnknownRunError: the plan has no such run or milestone.
            InputError: nothing to retry, or a named run cannot be retried (live, or
                succeeded without ``force``).
        """
        s = self._session
        with s.locked():
            # As in approve: edits since the last `bridge run` are recorded first. A run the
            # edit itself sends back (its settings changed) is retried already.
            before = s.state()
            edits, again = _take_changed_inputs(s)
            state = s.state()
            # A run whose retry is already scheduled (an earlier `bridge retry`, an edit) is
            # asked for already: "has not run yet" of it was false (trial T2, 039's R001).
            scheduled_before = {
                r for r in run_ids if r in state.runs and _retry_scheduled(state.runs[r])
            }
            already = tuple(r for r in run_ids if r in again or r in scheduled_before)
            run_ids = tuple(r for r in run_ids if r not in already)
            try:
                retried = self._retry_chosen(
                    before, again, already, run_ids, failed, milestone, force, changed
                )
            finally:
                # The edit is the researcher's answer to a block, whatever the retry itself
                # took: the edit was recorded here, so `bridge run` would find nothing changed
                # and stay blocked (trial T2: `retry --failed` after fixing bridge.toml).
                edited = any(not c.startswith(code.OPTIONS_CHANGED) for c in edits)
                if s.state().stage is Stage.BLOCKED and edited:
                    s.gates_asked.clear()
                    s.enter(StageTrigger.REOPEN, f"inputs changed ({', '.join(edits[:5])})")
                s.refresh(force=True)
            if retried.all and s.state().stage is Stage.BLOCKED:
                s.gates_asked.clear()
                s.enter(StageTrigger.REOPEN, f"retrying {', '.join(retried.asked[:8])}")
                s.refresh(force=True)
            return retries.also_again(s, retried)

    def _retry_chosen(
        self,
        before: PipelineState,
        again: tuple[str, ...],
        already: tuple[str, ...],
        run_ids: tuple[str, ...],
        failed: bool,
        milestone: str | Sequence[str],
        force: bool,
        changed: bool,
    ) -> retries.Retried:
        """
        :meth:`retry` past the recording of the edits: the runs it schedules (``already``: asked
        for by the edit or an earlier retry), and a COLLECTED pipeline sent back to deploying.
        """
        s = self._session
        state = s.state()
        if already and not (run_ids or failed or milestone or changed):
            return retries.Retried(asked=already)
        chosen = []
        # The commands the inputs give now, which the retried runs take (code.respec below).
        commands = self.commands_now()
        params = {r.id: r.params for r in s.project.runs}
        left: list[str] = []  # kept as they ran, but out of scope since (retries.left_out)
        if changed:
            # The settings the inputs give now, and every run marked kept as it ran (an edit
            # of its code too, recorded by the reload before this): the runs `bridge run`
            # and the results name, no more, no fewer.
            kept = [
                *code.kept_changes(s),
                *(r.run_id for r in state.runs.values() if r.kept is not None and r.kept.changes),
            ]
            # Not those the tracker took out of scope after they succeeded: said below.
            left = retries.ruled_out_by_kind(state, run_ids, changed=kept)
            kept = [r for r in kept if r not in left]
            if left and not (kept or run_ids or failed or milestone):
                raise InputError(
                    f"bridge retry --changed：{retries.left_out(state, left)}"
                    if language_of(state) == "zh"
                    else f"bridge retry --changed: {retries.left_out(state, left)}"
                )
            if kept:
                chosen = retries.select(
                    state,
                    list(dict.fromkeys(kept)),
                    force=True,
                    commands=commands,
                    params=params,
                )
            elif not (run_ids or failed or milestone):
                raise InputError(
                    "bridge retry --changed：没有已成功运行的设置或代码与其运行时不同（只看影响"
                    "数值的那些；时间限制、优先级、里程碑、等待关系或指标名不改变数值）"
                    if language_of(state) == "zh"
                    else "bridge retry --changed: no succeeded run's settings or code differ "
                    "from what it ran with, of those its numbers depend on (a time limit, "
                    "priority, milestone, waits or metric names change no number)"
                )
        # With --failed or --milestone, the failed runs the edit sent back are among those
        # asked for: "nothing to retry" after the fix the next step advised was false
        # (trial N2, 005's R014).
        sent_back, revived = retries.sent_back(
            before, state, again, failed=failed, milestone=milestone
        )
        if run_ids or failed or milestone or not changed:
            try:
                chosen += retries.select(
                    state,
                    run_ids,
                    failed=failed,
                    milestone=milestone,
                    force=force,
                    commands=commands,
                    params=params,
                )
            except InputError:
                if run_ids or not (sent_back or already) or chosen:
                    raise
                return retries.Retried(
                    asked=tuple(dict.fromkeys([*already, *sent_back])), revived=revived
                )
        chosen = [r for r in state.runs if r in set(chosen)]
        scheduled = retries.schedule(s, chosen, "retry asked by a person")
        left_out = retries.ruled_out_by_kind(
            state,
            run_ids,
            failed=failed,
            milestone=milestone,
            force=force,
            changed=left,
        )
        scheduled = attrs.evolve(scheduled, left_out=tuple(left_out))
        if sent_back or already:
            asked = tuple(dict.fromkeys([*already, *sent_back, *scheduled.asked]))
            scheduled = attrs.evolve(
                scheduled,
                asked=asked,
                revived=tuple(
                    r for r in dict.fromkeys([*revived, *scheduled.revived]) if r not in asked
                ),
            )
        code.respec(s, "retried with the current inputs", set(scheduled.all))
        if state.stage is Stage.COLLECTED:
            s.enter(StageTrigger.REDEPLOY, f"retrying {', '.join(chosen[:8])}")
        return scheduled

    def close(self) -> None:
        """
        Record what a paid backend spent, release the backend, close the store.
        """
        s = self._session
        if s.backend_or_none is not None:
            deploy.record_cost(s)
            s.backend_or_none.release()
        s.store.close()


def _take_changed_inputs(s: Session) -> tuple[list[str], tuple[str, ...]]:
    """
    Record the plan again when its inputs changed since it was last recorded (a person's edit
    of the plan, tracker or ``bridge.toml``, :func:`code.reload`): the inputs that changed, and
    the runs that sent back to run again. Nothing before the plan was first recorded.
    """
    if s.state().plan is None:
        return [], ()
    changed = code.changed_inputs(s)
    if changed:
        return changed, code.reload(s, changed)
    # A run that ended since the inputs were recorded takes the labels they gave it while it
    # ran (a live run takes none); then, as for inputs read by a bridge that places runs
    # differently (an upgrade), where their numbers count follows, as after an edit.
    code.relabel_ended(s)
    code.place(s, "the inputs, read again, place it differently")
    return changed, ()


def _retry_scheduled(run: RunView) -> bool:
    """
    True when the run is waiting to run again: it ran before and its retry is scheduled.
    """
    return run.state is RunState.PENDING and bool(run.attempts)


def _run(state: PipelineState, run_id: str) -> RunView:
    run = state.runs.get(run_id)
    if run is None:
        known = ", ".join(list(state.runs)[:8])
        raise UnknownRunError(f"no run {run_id!r} in this plan (runs: {known}…)")
    return run
