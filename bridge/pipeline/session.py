"""
One pipeline session on one project: the log, the folded state, the projections and the ports.

``Session`` is the plumbing the stage steps (:mod:`bridge.steps`) share: appending events and
keeping the fold current, entering stages, blocking, notifying, refreshing the projection files,
and building the ports from ``bridge.toml`` on first use. It holds nothing the log does not say,
except caches (the fold, the built adapters) and the throttle of projection refreshes.
"""

from __future__ import annotations

import fcntl
import functools
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from bridge.errors import ConcurrencyError, LockedError, StoreError
from bridge.events import types as ev
from bridge.events.clock import Clock
from bridge.events.store import AppendsStreams, EventStore, KeepsAppended, StreamAppend
from bridge.events.values import Finding
from bridge.logs import get_logger
from bridge.machine.fold import Folder, PipelineState
from bridge.machine.guard import check_append
from bridge.machine.ports import (
    AblationPlanner,
    AnswersAtOnce,
    Backend,
    Gate,
    Implementer,
    ImplementRequest,
    Notifier,
    Reviewer,
    SelectiveNotifier,
)
from bridge.machine.scheduler import Policy
from bridge.machine.stage_machine import StageMachine
from bridge.machine.stages import NOT_BRIDGES_RUN_STATES, Stage
from bridge.machine.triggers import StageTrigger
from bridge.pipeline import bootstrap, snapshots
from bridge.pipeline.layout import ProjectLayout
from bridge.pipeline.recording import plan_excerpt, setup_params
from bridge.plan import LoadedProject, render_for_reading
from bridge.projections.finding_words import stage_reason_in_language
from bridge.projections.text import language_of

if TYPE_CHECKING:
    from bridge.pipeline.steps.row_status import StatusSaid
    from bridge.plan import RunSpec
    from bridge.projections.writer import ProjectionWriter
from bridge.value_methods import value_methods

__all__ = ["DEFERRED_DURABILITY", "REFRESH_EVERY", "Session", "Step"]

#: Events appended without waiting for the disk (``EventStore.append(durable=False)``): each
#: records something a restarted bridge learns again on its own — the plan's runs (re-planned
#: until the durable ``PlanLoaded``), a launch's confirmation (reconcile adopts the attempt), a
#: finished attempt's results and metrics (collected again from the backend's durable markers).
#: No irreversible act waits on them. They reach the disk with the next durable append (every
#: launch's ``RunSubmitted`` is one) or when the store closes; SIGKILL loses none of them.
DEFERRED_DURABILITY: frozenset[type[ev.Event]] = frozenset(
    {
        ev.RunPlanned,
        ev.RunFoundDone,
        ev.RunRuledOut,
        ev.RunStarted,
        ev.ArtifactsFetched,
        ev.RunSucceeded,
        ev.RunFailed,
        ev.RunTimedOut,
        ev.MetricsRecorded,
    }
)
REFRESH_EVERY = 10.0  # seconds between projection refreshes while runs go on (see Session.enter)
WAITING = frozenset({Stage.AWAITING_APPROVAL, Stage.BLOCKED})


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Step:
    """
    What one :meth:`bridge.Bridge.advance` did: the stage before and after, and a sentence.
    """

    before: Stage
    after: Stage
    action: str

    @property
    def waiting(self) -> bool:
        """
        True when the pipeline stopped for a person (approval, or blocked).
        """
        return self.after in WAITING


class Session:
    """
    The log-side plumbing of one project's pipeline.

    Args:
        root: the project root.
        project: the loaded plan and configuration.
        store: the event store.
        clock: returns the current aware UTC time.
        backend, implementer, reviewer, gate, notifier, ablation_planner: the ports; the first
            three are built from ``bridge.toml`` on first use when None.
        options: the option overrides ``project`` was loaded with.
        loaded: the log's fold when the caller has read it already (:func:`snapshots.load`;
            `Bridge` does, before the plan: its proposed runs keep their ids).
    """

    def __init__(
        self,
        root: Path,
        project: LoadedProject,
        store: EventStore,
        clock: Clock,
        *,
        backend: Backend | None,
        implementer: Implementer | None,
        reviewer: Reviewer | None,
        gate: Gate | None,
        notifier: Notifier | None,
        ablation_planner: AblationPlanner | None,
        options: Mapping[str, object] | None = None,
        loaded: snapshots.Loaded | None = None,
    ) -> None:
        self.root = root
        self.project = project
        # The option overrides the project was loaded with (`-o`, ``Bridge(options=…)``): a
        # reload while runs go on (a researcher's tracker edit) loads it with them again.
        self.options: Mapping[str, object] = dict(options or {})
        # The tracker's (mtime_ns, size) when take_tracker_edit last looked: it reads and
        # hashes the inputs only when the file changed since.
        self.tracker_seen: tuple[int, int] | None = None
        self.store = store
        # Checked once: a runtime Protocol check costs more than the fold of a record.
        self._keeps_appended = store if isinstance(store, KeepsAppended) else None
        self.clock = clock
        self.gate = gate
        self.ablation_planner = ablation_planner
        self.notifier = notifier
        self.gates_asked: set[str] = set()
        # Runs bridge ran whose tracker Status the researcher set in this command, by run id,
        # where bridge does not take the word (steps/row_status.py): `bridge run` says so
        # instead of leaving the edit without an answer.
        self.status_said: dict[str, StatusSaid] = {}
        # Runs whose labels code.relabel_ended found as the inputs give them, with the two
        # specs it compared (the plan's, the log's): a later idle turn of the dispatcher skips a
        # run whose two are the very same objects, a lookup instead of comparing every label
        # of every succeeded run at every turn (quadratic in a 1,000-run phase).
        self.labels_agreed: dict[str, tuple[RunSpec, ev.RunPlanned]] = {}
        self.log = get_logger("bridge.pipeline").bind(project=str(root))
        loaded = loaded if loaded is not None else snapshots.load(store)
        self.folder: Folder = loaded.folder
        self._snapshot_seq = loaded.snapshot_seq
        for note in loaded.notes:
            self.log.warning("snapshot_skipped", note=note)
        if not self._snapshot_seq and self.folder.state().last_seq >= snapshots.EVERY:
            self.snapshot()  # none fits this bridge (a new fold version, an old log): rebuild
        self._backend = backend
        self._implementer = implementer
        self._reviewer = reviewer
        # The periodic refresh (REFRESH_EVERY) is counted from the start, not from 0: it is for
        # runs that go on, and a new plan's first append would otherwise render every
        # projection before its first run is launched. What this process has not rendered yet
        # shows at the first refresh due instead: before bridge waits on anything (the
        # dispatcher's idle turn, a port that may take minutes) or hands the project back.
        self._last_refresh = time.monotonic()
        # A stage was entered since the projections were rendered (by this process: none yet).
        self._stage_unshown = True

    @functools.cached_property
    def writer(self) -> ProjectionWriter:
        """
        The projection writer, built at the first refresh: it imports every renderer (the
        results, the criteria's judge and its patterns), which a new plan's first launch does
        not wait for (docs/performance.md, "Dispatch").
        """
        from bridge.projections.writer import ProjectionWriter

        return ProjectionWriter(self.root)

    # -- the log ----------------------------------------------------------------------------

    def state(self) -> PipelineState:
        """
        The folded state, caught up with everything in the log (other processes' events too).
        """
        self.catch_up()
        return self.folder.state()

    def catch_up(self) -> None:
        """
        Fold the records appended since the last look.
        """
        for record in self.store.read(after=self.folder.state().last_seq):
            self.folder.apply(record)

    def _fold_appended(self) -> None:
        """
        Fold what this session just appended: the records the store hands back
        (:class:`KeepsAppended`) when they follow the fold directly, without reading and
        decoding them again; else (another process appended in between, or a store that keeps
        nothing) everything new, read from the log.
        """
        if self._keeps_appended is not None:
            records = self._keeps_appended.appended()
            if records and records[0].seq == self.folder.state().last_seq + 1:
                for record in records:
                    self.folder.apply(record)
                return
        self.catch_up()

    def append(self, stream: str, events: Sequence[ev.Event], expected: int | None = None) -> None:
        """
        Append events (at ``expected`` version when given), fold them, refresh when due.

        Raises:
            TransitionError: the events would not fold after the log as it is now; nothing is
                written (an illegal event in the log would make the project unreadable).
            ConcurrencyError: the stream moved past ``expected`` meanwhile.
        """
        self.catch_up()
        _check(self.folder.state(), stream, events, expected)
        durable = not all(type(e) in DEFERRED_DURABILITY for e in events)
        self.store.append(stream, list(events), expected, durable=durable)
        self._appended()

    def append_streams(self, appends: Sequence[StreamAppend]) -> None:
        """
        Append to several streams, each named once, as :meth:`append` does to one: in one
        transaction where the store can (:class:`AppendsStreams`: all stored or none, one
        commit), else stream by stream in order. Each part is checked against the log as it is
        before them all, which is the log each part meets when no two parts share a stream.

        Raises:
            ValueError: a stream is named twice.
            TransitionError: a part would not fold after the log as it is now; nothing is
                written.
            ConcurrencyError: a stream moved past its part's expected version meanwhile.
        """
        streams = [part.stream for part in appends]
        if len(set(streams)) != len(streams):
            raise ValueError(f"a stream is named twice in one append: {streams}")
        if not isinstance(self.store, AppendsStreams):
            for part in appends:
                self.append(part.stream, part.events, part.expected_version)
            return
        self.catch_up()
        state = self.folder.state()
        for part in appends:
            _check(state, part.stream, part.events, part.expected_version)
        durable = not all(type(e) in DEFERRED_DURABILITY for p in appends for e in p.events)
        self.store.append_streams(appends, durable=durable)
        self._appended()

    def _appended(self) -> None:
        """
        After an append: fold it, and take a snapshot or refresh the projections when due.
        """
        self._fold_appended()
        if self.folder.state().last_seq - self._snapshot_seq >= snapshots.EVERY:
            self.snapshot()
        if time.monotonic() - self._last_refresh >= REFRESH_EVERY:
            self.refresh()

    def snapshot(self) -> None:
        """
        Store a snapshot of the fold (at stage boundaries and every
        :data:`~bridge.pipeline.snapshots.EVERY` records), so the next command reads the log
        from here. A snapshot that cannot be written is logged and the pipeline goes on: it is
        a cache, and the log holds everything it would.
        """
        try:
            self._snapshot_seq = snapshots.take(self.store, self.folder) or self._snapshot_seq
        except StoreError as exc:
            self.log.warning("snapshot_not_written", error=str(exc))

    def refresh(self, *, force: bool = False, version: bool = False) -> None:
        """
        Rewrite the projections whose content changed, and record what was written: with
        ``force``, or when a stage was entered since the last refresh (:meth:`enter`), or
        ``REFRESH_EVERY`` seconds after the last. With ``version`` (where bridge hands the
        project back: the end of ``run`` and of each ``advance``) a timestamped copy is kept of
        each file whose content changed since its last version.
        """
        now = time.monotonic()
        if not force and not self._stage_unshown and now - self._last_refresh < REFRESH_EVERY:
            return
        state = self.folder.state()
        if state.plan is None:
            # Mid-load (PlanLoaded comes last): a tracker rendered now would hold only some of
            # the runs and replace the researcher's tracker with it.
            return
        self._last_refresh = now
        self._stage_unshown = False
        written = self.writer.refresh(state, version=version)
        if written:
            self.store.append("bridge", written, None)
            self._fold_appended()
            tracker = self.project.sources.get("tracker")
            if tracker is not None and any(w.path == tracker for w in written):
                # Bridge's own write is no edit to look for (deploy.take_tracker_edit): the file
                # as bridge wrote it, not a stat of the path now, which could already see the
                # researcher's save that landed just after and hide it.
                self.tracker_seen = self.writer.written_stat.get(tracker)

    def enter(self, trigger: StageTrigger, reason: str, *, zh: str = "") -> Step:
        """
        Move the pipeline by ``trigger`` and return the move as a step.

        ``reason`` is recorded, or, when the projections are Chinese (:func:`language_of`),
        ``zh`` (the same reason in Chinese, where the caller has one) or the reason through
        :func:`stage_reason_in_language`: `bridge run` prints it in a line whose fixed words
        are in the plan's language.

        The move is fired on the stage machine (:class:`StageMachine`), which refuses a move the
        table lacks and records ``StageEntered`` (through :meth:`append` and its guard) before
        the stage changes.

        The projections show the new stage from the next :meth:`refresh`, which comes before
        bridge waits on anything (the dispatcher's idle turn, an agent asked through
        :attr:`implementer` or :attr:`reviewer`) and when the project lock is released: stages
        passed straight through (implemented, reviewed, sanity passed, deployed) are rendered
        once, not once each.

        Raises:
            TransitionError: the table has no such move from the current stage.
        """
        state = self.state()
        before = state.stage
        if language_of(state) == "zh":
            reason = zh or stage_reason_in_language(reason, "zh")
        after = self._stages.fire(before, trigger, reason)
        self._stage_unshown = True
        self.snapshot()
        self.log.info("stage_entered", stage=after.value, trigger=trigger.value, reason=reason)
        return Step(before=before, after=after, action=reason)

    @functools.cached_property
    def _stages(self) -> StageMachine:
        # Built on the first stage change: a command that changes none never pays for it.
        return StageMachine(self._record_stage)

    def _record_stage(self, _from: Stage, trigger: StageTrigger, to: Stage, reason: str) -> None:
        self.append(
            "bridge", [ev.StageEntered(stage=to.value, trigger=trigger.value, reason=reason)]
        )

    def block(self, reason: str, findings: Sequence[Finding] = ()) -> Step:
        """
        Record why the pipeline cannot go on, tell people, and enter BLOCKED.
        """
        self.append("bridge", [ev.PipelineBlocked(reason=reason, findings=tuple(findings))])
        self.notify("blocked", "bridge: blocked", reason)
        return self.enter(StageTrigger.BLOCK, reason)

    def notify(self, event: str, title: str, text: str) -> None:
        """
        Send a notification of kind ``event`` when a notifier is configured and wants it.
        """
        if self.notifier is None:
            return
        if isinstance(self.notifier, SelectiveNotifier) and not self.notifier.wants(event):
            return
        self.notifier.notify(title, text)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """
        Hold the project lock (``.bridge/lock``) for the block.

        Raises:
            LockedError: another bridge process holds it.
        """
        lock_path = ProjectLayout(self.root).lock
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        # The lock is held on the .bridge folder itself: deleting the `lock` file (which only
        # names the holder) cannot let a second process in.
        folder = os.open(lock_path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            with lock_path.open("a+") as handle:
                try:
                    fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise LockedError(
                        f"another bridge process ({holder}) is working on {self.root}; "
                        "wait for it or stop it first"
                    ) from exc
                handle.seek(0)
                handle.truncate()
                handle.write(f"pid {os.getpid()}")
                handle.flush()
                try:
                    yield
                    if self._stage_unshown:
                        self.refresh()  # the project is handed back: show the stage it is at
                finally:
                    fcntl.flock(folder, fcntl.LOCK_UN)
        finally:
            os.close(folder)

    # -- the ports --------------------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        """
        The backend (built from ``bridge.toml`` on first use).
        """
        if self._backend is None:
            self._backend = bootstrap.make_backend(self.project)
        return self._backend

    @property
    def backend_or_none(self) -> Backend | None:
        """
        The backend if it was built already (closing must not build one).
        """
        return self._backend

    @property
    def implementer(self) -> Implementer:
        """
        The implementer (built from ``bridge.toml`` on first use). A stage entered since the
        projections were last rendered is rendered first (an agent may take minutes), unless
        it answers at once (:class:`~bridge.machine.ports.AnswersAtOnce`).
        """
        if self._implementer is None:
            self._implementer = bootstrap.make_implementer(self.project)
        self._before_asking(self._implementer)
        return self._implementer

    @property
    def reviewer(self) -> Reviewer:
        """
        The reviewer (built from ``bridge.toml`` on first use). A stage entered since the
        projections were last rendered is rendered first (an agent may take minutes), unless
        it answers at once (:class:`~bridge.machine.ports.AnswersAtOnce`).
        """
        reviewer = self.reviewer_unasked
        self._before_asking(reviewer)
        return reviewer

    @property
    def reviewer_unasked(self) -> Reviewer:
        """
        The reviewer (built on first use) for a caller that may not ask it anything: the stage
        is not rendered first, so the caller calls :meth:`show_stage` once it knows it asks.
        """
        if self._reviewer is None:
            self._reviewer = bootstrap.make_reviewer(
                self.project, self.commands(), self.setup_params()
            )
        return self._reviewer

    def _before_asking(self, port: object) -> None:
        # A port that answers at once (the default implementer and the local checklist): the
        # stage shows at the next rendering, before bridge waits on anything. For a new plan
        # that is after the first runs are launched, not before.
        if not (isinstance(port, AnswersAtOnce) and port.answers_at_once):
            self.show_stage()

    def show_stage(self) -> None:
        """
        Render the projections when a stage was entered since they were last rendered: before
        asking a port that may take minutes (an agent), so a person watching the files sees
        the stage it works in.
        """
        if self._stage_unshown:
            self.refresh()

    # -- what the ports are asked -----------------------------------------------------------

    def commands(self) -> dict[str, tuple[str, ...]]:
        """
        Each run's command rendered for reading (``{output_dir}`` shown as ``OUT``).
        """
        out: dict[str, tuple[str, ...]] = {}
        for run in self.folder.state().runs.values():
            # Not a row the tracker says was done before bridge or is out of scope: bridge does
            # not launch it, its spec is not replanned, and a typo fixed since in bridge.toml
            # blocked on it for good (029's nine done rows, trial T3).
            if run.spec.command and run.state not in NOT_BRIDGES_RUN_STATES:
                out[run.run_id] = render_for_reading(run.spec.command, run.spec.params)
        return out

    def setup_params(self) -> dict[str, tuple[str, ...]]:
        """
        Per block, the hyperparameter names its setup text names.
        """
        return setup_params(self.project)

    def request(self, findings: Sequence[Finding] = ()) -> ImplementRequest:
        """
        What the implementer is asked: the plan, the method, the commands, findings to fix.
        """
        return ImplementRequest(
            project=self.root,
            plan_excerpt=plan_excerpt(self.project),
            method=self.project.plan.method,
            commands=self.commands(),
            findings=tuple(findings),
            setup_params=self.setup_params(),
        )

    def policy(self) -> Policy:
        """
        The scheduling settings from the options and ``[run]``.
        """
        return Policy(
            max_parallel=self.project.options.max_parallel,
            sanity_first=self.project.options.sanity_first,
            budget_enforce=self.project.options.budget == "enforce",
            oom_backoff_seconds=self.project.config.run.oom_backoff_seconds,
            launch_backoff_seconds=self.project.config.run.launch_backoff_seconds,
            gated=self.gate is not None,
        )


def _check(
    state: PipelineState, stream: str, events: Sequence[ev.Event], expected: int | None
) -> None:
    """
    Raise unless ``events`` may be appended to ``stream`` at version ``expected`` after
    ``state``: a run stream another writer moved (:class:`ConcurrencyError`: the caller decides
    again), or an illegal transition (:func:`check_append`).
    """
    if expected is not None and stream.startswith("run:"):
        run = state.runs.get(stream[4:])
        version = run.stream_version if run is not None else 0
        if version != expected:  # someone else wrote first: the caller decides again
            raise ConcurrencyError(
                f"stream {stream!r} is at version {version}, expected {expected}"
            )
    check_append(state, stream, events)
