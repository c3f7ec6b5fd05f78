"""
A stateful hypothesis test over the scheduler and the dispatcher together.

Random plans (milestones, GPU and CPU runs, must/nice, dependencies, retries) run on
:class:`bridge.testing.FakeBackend` with a :class:`bridge.testing.FixedClock`; attempts end in
random ways (success, failure, out of memory, lost, timed out, cancelled from outside) while
the dispatcher goes round. After every step the log must say that no more than
``max_parallel`` runs were live, no GPU was held twice, nothing launched before its
dependencies succeeded or before the milestones before it were done, and every attempt was
launched exactly once; at the end every phase has finished.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore
from bridge.events.values import Slot
from bridge.machine.fold import Folder, PipelineState
from bridge.machine.guard import check_append
from bridge.machine.ports import JobSpec
from bridge.machine.scheduler import LIVE, Policy, decide, phase_done
from bridge.machine.stages import TERMINAL_RUN_STATES, RunState
from bridge.pipeline.dispatch import Dispatcher
from bridge.testing import FakeBackend, FakeOutcome, FixedClock

SLOTS = (Slot(host="h0", gpu=0), Slot(host="h0", gpu=1), Slot(host="h1", gpu=0))
OOM_LOG = "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"

#: What an attempt does: ("ok", polls), ("fail", polls), ("oom", polls) or ("hang", None),
#: which runs until it is lost, cancelled from outside or reaches its timeout.
outcomes = st.one_of(
    st.tuples(st.sampled_from(["ok", "fail", "oom"]), st.integers(0, 2)),
    st.just(("hang", None)),
)


@st.composite
def plans(draw: st.DrawFn) -> list[ev.RunPlanned]:
    """
    A sanity milestone with one run, then one to three milestones of one to three runs each.
    """
    runs = [ev.RunPlanned(run_id="S0", milestone="M0", priority="must", timeout_minutes=1.0)]
    for m in range(1, draw(st.integers(1, 3)) + 1):
        ids: list[str] = []
        for k in range(draw(st.integers(1, 3))):
            run_id = f"R{m}{k}"
            depends = tuple(x for x in ids if draw(st.booleans())) if ids else ()
            runs.append(
                ev.RunPlanned(
                    run_id=run_id,
                    milestone=f"M{m}",
                    priority=draw(st.sampled_from(["must", "nice"])),
                    gpus=draw(st.integers(0, 2)),
                    timeout_minutes=1.0,
                    depends_on=depends,
                    max_retries=draw(st.integers(0, 1)),
                    oom_max_attempts=draw(st.integers(1, 3)),
                )
            )
            ids.append(run_id)
    return runs


class DispatchMachine(RuleBasedStateMachine):
    """
    The scheduler and dispatcher driven round by round against random attempt outcomes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="bridge-stateful-"))
        self.clock = FixedClock()
        self.store = InMemoryEventStore(clock=self.clock.now)
        self.folder = Folder()
        self.seen = 0
        self.outcomes: list[tuple[str, int | None]] = []
        self.drawn = 0
        self.phase = "sanity"
        self.stopped = False  # the sanity phase failed: the pipeline would block here
        self.backend = FakeBackend(self._script, slots=SLOTS, clock=self.clock)
        self.policy = Policy()
        self.dispatcher: Dispatcher | None = None

    # -- plumbing ---------------------------------------------------------------------------

    def _script(self, spec: JobSpec) -> FakeOutcome:
        kind, polls = self.outcomes[self.drawn % len(self.outcomes)]
        self.drawn += 1
        if kind == "ok":
            return FakeOutcome(polls=polls)
        if kind == "fail":
            return FakeOutcome(exit_code=1, log="ValueError: boom", polls=polls)
        if kind == "oom":
            return FakeOutcome(exit_code=1, log=OOM_LOG, polls=polls)
        return FakeOutcome(polls=None)

    def state(self) -> PipelineState:
        rows = list(self.store.read(after=self.seen))
        if rows:
            self.folder.apply_all(rows)
            self.seen = rows[-1].seq
        return self.folder.state()

    def append(self, stream: str, events: Sequence[Any], expected: int | None) -> None:
        check_append(self.state(), stream, events)
        self.store.append(stream, list(events), expected)

    # -- rules ------------------------------------------------------------------------------

    @initialize(
        plan=plans(),
        script=st.lists(outcomes, min_size=1, max_size=12),
        max_parallel=st.integers(1, 3),
    )
    def load(
        self, plan: list[ev.RunPlanned], script: list[tuple[str, int | None]], max_parallel: int
    ) -> None:
        self.outcomes = script
        self.policy = Policy(max_parallel=max_parallel, oom_backoff_seconds=1.0, lost_retries=1)
        for run in plan:
            self.append(f"run:{run.run_id}", [run], None)
        milestones = tuple(dict.fromkeys(r.milestone for r in plan))
        self.append(
            "bridge",
            [
                ev.PlanLoaded(
                    title="stateful",
                    plan_path="refine-logs/EXPERIMENT_PLAN.md",
                    plan_sha256="0" * 64,
                    milestones=tuple(
                        ev.MilestoneInfo(id=m, sanity=(m == "M0")) for m in milestones
                    ),
                )
            ],
            None,
        )
        self.dispatcher = Dispatcher(
            self.root, self.backend, self.state, self.append, self.clock.now, self.policy
        )
        self.dispatcher.reconcile()

    @precondition(lambda self: not self.stopped)
    @rule()
    def dispatch_round(self) -> None:
        """One round of the loop: poll every live attempt, then carry out what is decided."""
        assert self.dispatcher is not None
        self.dispatcher.poll_all()
        self.dispatcher.apply(
            decide(
                self.state(),
                self.dispatcher.slots(),
                self.clock.now(),
                self.policy,
                phase=self.phase,
            )
        )
        self._next_phase()

    @rule(seconds=st.sampled_from([0.5, 2.0, 61.0]))
    def time_passes(self, seconds: float) -> None:
        """The clock moves: backoffs expire, hung attempts reach their timeout."""
        self.clock.advance(seconds)

    @rule(data=st.data())
    def machine_lost(self, data: st.DataObject) -> None:
        """A running attempt's machine vanishes."""
        running = self.state().runs_in_state(RunState.RUNNING)
        if running:
            run = data.draw(st.sampled_from(running))
            assert run.current is not None
            self.backend.lose(run.current.attempt_id)

    @rule(data=st.data())
    def cancelled_outside(self, data: st.DataObject) -> None:
        """Someone stops a running attempt behind bridge's back."""
        running = self.state().runs_in_state(RunState.RUNNING)
        if running:
            run = data.draw(st.sampled_from(running))
            assert run.current is not None and run.current.handle is not None
            self.backend.cancel(run.current.handle)

    def _next_phase(self) -> None:
        state = self.state()
        if self.phase == "sanity" and phase_done(state, self.policy, "sanity"):
            if state.runs["S0"].state is RunState.SUCCEEDED:
                self.phase = "deploy"
            else:
                self.stopped = True

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def at_most_max_parallel_live(self) -> None:
        """Never more than max_parallel runs submitted or running."""
        if self.dispatcher is not None:
            assert len(self.state().runs_in_state(*LIVE)) <= self.policy.max_parallel

    @invariant()
    def no_gpu_held_twice(self) -> None:
        """A GPU slot holds one live run at a time."""
        held = [
            slot
            for run in self.state().runs_in_state(*LIVE)
            if run.current is not None
            for slot in run.current.slots
            if slot.gpu is not None
        ]
        assert len(held) == len(set(held)), held

    @invariant()
    def live_runs_waited_for_what_came_first(self) -> None:
        """A live run's dependencies succeeded, and so did every must-run of earlier milestones."""
        state = self.state()
        if state.plan is None:
            return
        order = [m.id for m in state.plan.milestones]
        for run in state.runs_in_state(*LIVE):
            for dep in run.spec.depends_on:
                assert state.runs[dep].state is RunState.SUCCEEDED, (run.run_id, dep)
            earlier = order[: order.index(run.spec.milestone)]
            for other in state.runs.values():
                if other.spec.milestone in earlier and other.spec.priority == "must":
                    assert other.state is RunState.SUCCEEDED, (run.run_id, other.run_id)

    @invariant()
    def every_attempt_launched_once(self) -> None:
        """Each attempt id reached the backend once, and only attempts the log records."""
        launched = [spec.attempt_id for spec in self.backend.launches]
        assert len(launched) == len(set(launched))
        recorded = {a.attempt_id for r in self.state().runs.values() for a in r.attempts}
        assert set(launched) <= recorded

    def teardown(self) -> None:
        """Every phase that started ends: run rounds, time passing, until nothing is left."""
        try:
            if self.dispatcher is None:
                return
            for _ in range(400):
                if self.stopped or (
                    self.phase == "deploy" and phase_done(self.state(), self.policy, "deploy")
                ):
                    break
                self.dispatch_round()
                self.clock.advance(61.0)
            state = self.state()
            if not self.stopped:
                unfinished = [
                    r.run_id for r in state.runs.values() if r.state not in TERMINAL_RUN_STATES
                ]
                assert not unfinished, f"runs never ended: {unfinished}"
            self.at_most_max_parallel_live()
            self.every_attempt_launched_once()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


DispatchMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestDispatchStateful = DispatchMachine.TestCase
