"""
Tests for the transition tables and the fold, including a hypothesis state machine.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from bridge.errors import TransitionError
from bridge.events.store import InMemoryEventStore, SQLiteEventStore
from bridge.events.types import (
    Event,
    OutputWritten,
    RunCancelled,
    RunEvent,
    RunFailed,
    RunFoundDone,
    RunKeptAsRan,
    RunLost,
    RunPlaced,
    RunPlanned,
    RunRetryScheduled,
    RunRuledOut,
    RunSpecChanged,
    RunStarted,
    RunStuck,
    RunSubmitted,
    RunSucceeded,
    RunTimedOut,
    SpecChange,
    StageEntered,
)  # fmt: skip
from bridge.events.values import JobHandle
from bridge.machine.fold import Folder, fold
from bridge.machine.guard import check_append
from bridge.machine.snapshot import decode_state, encode_state
from bridge.machine.stages import RunState, Stage
from bridge.machine.table import (
    RUN_TABLE,
    STAGE_TABLE,
    compiled_by_transitions,
    run_lookup,
    stage_lookup,
)
from bridge.machine.triggers import RunTrigger, StageTrigger, run_trigger
from bridge.projections import manifest
from bridge.projections.writer import ProjectionWriter
from tests.strategies import events


class TestTables:
    def test_stage_lookup_matches_the_table_edge_by_edge(self) -> None:
        """The compiled lookup has exactly the table's edges."""
        edges = {(src, trig): dest for trig, srcs, dest in STAGE_TABLE for src in srcs}
        assert stage_lookup == edges

    def test_run_lookup_matches_the_table_edge_by_edge(self) -> None:
        """The compiled lookup has exactly the run table's edges."""
        edges = {(src, trig): dest for trig, srcs, dest in RUN_TABLE for src in srcs}
        assert run_lookup == edges

    def test_every_stage_is_reachable(self) -> None:
        """Every stage is the destination of some transition, or the initial stage."""
        reachable = {dest for _, _, dest in STAGE_TABLE} | {Stage.PLANNED}
        assert reachable == set(Stage)

    def test_every_trigger_moves_something(self) -> None:
        """Each trigger of both enums has a row in its table: none is declared and never used."""
        assert {t for t, _, _ in STAGE_TABLE} == set(StageTrigger)
        assert {t for t, _, _ in RUN_TABLE} == set(RunTrigger)

    def test_the_lookups_are_what_transitions_compiles(self) -> None:
        """The fold's lookups, built from the rows, are what a transitions Machine makes legal."""
        assert compiled_by_transitions(Stage, StageTrigger, STAGE_TABLE) == stage_lookup
        assert compiled_by_transitions(RunState, RunTrigger, RUN_TABLE) == run_lookup

    def test_the_compiled_lookups_are_keyed_by_the_enums(self) -> None:
        """What transitions compiled is read back as enum members, not its own strings."""
        stages = compiled_by_transitions(Stage, StageTrigger, STAGE_TABLE)
        runs = compiled_by_transitions(RunState, RunTrigger, RUN_TABLE)
        assert all(type(t) is StageTrigger and type(s) is Stage for s, t in stages)
        assert all(type(t) is RunTrigger and type(s) is RunState for s, t in runs)
        assert all(type(d) is Stage for d in stages.values())
        assert all(type(d) is RunState for d in runs.values())

    def test_an_unknown_stage_trigger_in_the_log_is_refused_with_its_seq(self) -> None:
        """A StageEntered naming a trigger the table lacks fails the fold naming seq and name."""
        store = InMemoryEventStore()
        _record(store, "bridge", StageEntered(stage="IMPLEMENTED", trigger="implemented"))
        with pytest.raises(TransitionError, match=r"seq 1.*unknown stage trigger 'implemented'"):
            fold(store.read())


def _record(store: InMemoryEventStore, stream: str, *events: Any) -> None:
    store.append(stream, list(events), None)


class TestFold:
    def test_happy_path_of_one_run(self) -> None:
        """A run planned, submitted, started and succeeded folds to succeeded with one attempt."""
        store = InMemoryEventStore()
        handle = JobHandle(backend="local", attempt_id="R1-a1")
        _record(store, "run:R1", RunPlanned(run_id="R1", milestone="M0"))
        _record(
            store,
            "run:R1",
            RunSubmitted(run_id="R1", attempt_id="R1-a1", attempt=1, backend="local"),
        )
        _record(store, "run:R1", RunStarted(run_id="R1", attempt_id="R1-a1", handle=handle))
        _record(store, "run:R1", RunSucceeded(run_id="R1", attempt_id="R1-a1", gpu_seconds=7200))
        state = fold(store.read())
        run = state.runs["R1"]
        assert run.state is RunState.SUCCEEDED
        assert run.current is not None and run.current.handle == handle
        assert state.gpu_hours_used == pytest.approx(2.0)

    def test_a_succeeded_run_is_placed_again_without_a_transition(self) -> None:
        """`run.placed` changes where a run's numbers count, in any state, and nothing else."""
        store = InMemoryEventStore()
        handle = JobHandle(backend="local", attempt_id="R1-a1")
        _record(store, "run:R1", RunPlanned(run_id="R1", milestone="M1", command=("a",)))
        _record(
            store,
            "run:R1",
            RunSubmitted(run_id="R1", attempt_id="R1-a1", attempt=1, backend="local"),
            RunStarted(run_id="R1", attempt_id="R1-a1", handle=handle),
            RunSucceeded(run_id="R1", attempt_id="R1-a1"),
            RunPlaced(run_id="R1", block="B2", block_system="Ours", attribution="bridge.toml"),
        )
        run = fold(store.read()).runs["R1"]
        assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
        assert (run.spec.block, run.spec.block_system, run.spec.command) == ("B2", "Ours", ("a",))

    def test_a_succeeded_run_kept_as_it_ran_is_marked_until_unmarked_or_retried(self) -> None:
        """`run.kept_as_ran` marks a succeeded run's result as from earlier settings, with no
        transition; one with no changes, or a retry, takes the mark away; a run that has not
        succeeded keeps nothing, and the fold refuses the mark."""
        store = InMemoryEventStore()
        handle = JobHandle(backend="local", attempt_id="R1-a1")
        lr = SpecChange(field="params", old="lr=0.1", new="lr=0.2")
        _record(store, "run:R1", RunPlanned(run_id="R1", milestone="M1", command=("a",)))
        _record(
            store,
            "run:R1",
            RunSubmitted(run_id="R1", attempt_id="R1-a1", attempt=1, backend="local"),
            RunStarted(run_id="R1", attempt_id="R1-a1", handle=handle),
            RunSucceeded(run_id="R1", attempt_id="R1-a1"),
            RunKeptAsRan(run_id="R1", changes=(lr,), code={"train.py": "ab"}),
        )
        run = fold(store.read()).runs["R1"]
        assert run.state is RunState.SUCCEEDED and len(run.attempts) == 1
        assert run.kept is not None and run.kept.changes == (lr,)
        assert dict(run.kept.code) == {"train.py": "ab"}
        _record(store, "run:R1", RunKeptAsRan(run_id="R1"))
        assert fold(store.read()).runs["R1"].kept is None
        _record(store, "run:R1", RunKeptAsRan(run_id="R1", changes=(lr,)))
        _record(store, "run:R1", RunRetryScheduled(run_id="R1", reason="retry asked", manual=True))
        run = fold(store.read()).runs["R1"]
        assert run.state is RunState.PENDING and run.kept is None
        _record(store, "run:R1", RunKeptAsRan(run_id="R1", changes=(lr,)))
        with pytest.raises(TransitionError, match="R1 kept as it ran in state pending"):
            fold(store.read())

    def test_snapshot_does_not_change_as_records_follow(self) -> None:
        """A state taken earlier keeps its runs as they were when later records are applied."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1", milestone="M0"))
        folder = Folder()
        records = list(store.read())
        folder.apply_all(records)
        before = folder.state()
        _record(
            store,
            "run:R1",
            RunSubmitted(run_id="R1", attempt_id="R1-a1", attempt=1, backend="local"),
        )
        _record(store, "run:R2", RunPlanned(run_id="R2", milestone="M0"))
        folder.apply_all(store.read(after=before.last_seq))
        after = folder.state()
        assert list(before.runs) == ["R1"] and before.runs["R1"].state is RunState.PENDING
        assert list(after.runs) == ["R1", "R2"] and after.runs["R1"].state is RunState.SUBMITTED
        assert after == fold(store.read())

    def test_illegal_transition_names_its_seq(self) -> None:
        """A success before any submission is refused, naming the record's seq."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1"))
        _record(store, "run:R1", RunSucceeded(run_id="R1", attempt_id="x"))
        with pytest.raises(TransitionError, match="seq 2"):
            fold(store.read())

    def test_event_for_an_old_attempt_is_refused(self) -> None:
        """A late event naming a superseded attempt cannot change the current one."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1"))
        _record(store, "run:R1", RunSubmitted(run_id="R1", attempt_id="a1", attempt=1, backend="x"))
        _record(store, "run:R1", RunLost(run_id="R1", attempt_id="a1"))
        _record(store, "run:R1", RunRetryScheduled(run_id="R1"))
        _record(store, "run:R1", RunSubmitted(run_id="R1", attempt_id="a2", attempt=2, backend="x"))
        _record(store, "run:R1", RunSucceeded(run_id="R1", attempt_id="a1"))
        with pytest.raises(TransitionError, match=r"seq 6.*current attempt is a2"):
            fold(store.read())

    def test_stage_event_must_match_the_table(self) -> None:
        """A StageEntered whose stage disagrees with its trigger is refused."""
        store = InMemoryEventStore()
        _record(store, "bridge", StageEntered(stage="COLLECTED", trigger="implement"))
        with pytest.raises(TransitionError, match="seq 1"):
            fold(store.read())

    def test_an_event_on_the_wrong_kind_of_stream_is_refused(self) -> None:
        """A pipeline event on a run stream, or a run event on the bridge stream, is refused by
        name, never skipped."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1"))
        _record(store, "run:R1", StageEntered(stage="PLANNED", trigger="x"))
        with pytest.raises(TransitionError, match="StageEntered does not belong on a run stream"):
            fold(store.read())
        store = InMemoryEventStore()
        _record(store, "bridge", RunStuck(run_id="R1"))
        with pytest.raises(TransitionError, match="RunStuck does not belong on the bridge stream"):
            fold(store.read())

    def test_guard_refuses_what_the_fold_would(self) -> None:
        """check_append refuses a pipeline event bound for a run stream before it is written."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1"))
        with pytest.raises(TransitionError, match="StageEntered does not belong on a run stream"):
            check_append(fold(store.read()), "run:R1", [StageEntered(stage="PLANNED", trigger="x")])

    @settings(max_examples=200)
    @given(events)
    def test_every_run_event_fires_a_trigger_the_run_table_knows(self, evt: Event) -> None:
        """run_trigger gives each run event a trigger of the run table (None: no state change)
        and refuses every pipeline event."""
        if isinstance(evt, typing.get_args(RunEvent)):
            found = run_trigger(evt)
            assert found is None or found in {trigger for (_, trigger) in run_lookup}
        else:
            with pytest.raises(TransitionError, match="does not belong on a run stream"):
                run_trigger(evt)


_OUTCOMES = ("succeed", "fail", "oom", "time_out", "lose", "cancel")
_T0 = datetime(2026, 1, 1, tzinfo=UTC)


class TestCollectorPause:
    def test_collector_is_on_again_after_a_fold(self) -> None:
        """The fold pauses the cyclic garbage collector while it reads, and turns it back on,
        after an illegal transition too."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1"))
        assert gc.isenabled()
        seen: list[bool] = []

        def watched() -> typing.Iterator[Any]:
            for record in store.read():
                seen.append(gc.isenabled())
                yield record

        fold(watched())
        assert seen == [False]
        assert gc.isenabled()
        _record(store, "run:R1", RunSucceeded(run_id="R1", attempt_id="R1-a1"))
        with pytest.raises(TransitionError):
            fold(store.read())
        assert gc.isenabled()

    def test_collector_left_off_when_it_was_off(self) -> None:
        """A caller that turned the collector off finds it still off after a fold."""
        store = InMemoryEventStore()
        _record(store, "run:R1", RunPlanned(run_id="R1"))
        gc.disable()
        try:
            fold(store.read())
            assert not gc.isenabled()
        finally:
            gc.enable()


def _writes(plan: list[tuple[int, bool]]) -> list[OutputWritten]:
    # Writes of three files, each with its own content; those with a copy name a new version.
    return [
        OutputWritten(
            path=f"f{path}.md",
            sha256=f"{n:064x}",
            copy=f"f{path}_{n}.md" if copy else "",
            stage="planned",
        )
        for n, (path, copy) in enumerate(plan)
    ]


class TestOutputsKept:
    """
    The state keeps every write that kept a copy and each file's latest write, not every write:
    what each reader of the writes gets from it is what it got from all of them.
    """

    writes = st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=30)

    @settings(max_examples=80, deadline=None)
    @given(plan=writes)
    def test_readers_see_what_every_write_shows(self, plan: list[tuple[int, bool]]) -> None:
        written = _writes(plan)
        store = InMemoryEventStore(clock=lambda: _T0)
        for out in written:
            store.append("bridge", [out], None)
        kept = fold(store.read()).outputs
        assert manifest.render(kept) == manifest.render(written)
        assert {o.path: o for o in kept} == {o.path: o for o in written}  # each latest write
        assert [o for o in kept if o.copy] == [o for o in written if o.copy]
        latest = {o.path: o for o in written}.values()
        assert len(kept) == sum(1 for o in written if o.copy) + sum(1 for o in latest if not o.copy)
        assert list(kept) == [o for o in written if o in kept]  # in log order

    @settings(max_examples=40, deadline=None)
    @given(plan=writes)
    def test_resumed_and_incremental_folds_keep_the_same(
        self, plan: list[tuple[int, bool]]
    ) -> None:
        store = InMemoryEventStore(clock=lambda: _T0)
        for out in _writes(plan):
            store.append("bridge", [out], None)
        records = list(store.read())
        whole = fold(records)
        step = Folder()
        for cut, record in enumerate(records):
            head = Folder().apply_all(records[:cut]).state()
            resumed = Folder.resume(decode_state(encode_state(head)))
            assert resumed.apply_all(records[cut:]).state() == whole
            step.apply(record)
            step.state()  # a snapshot between records must not change what follows
        assert step.state() == whole

    def test_a_long_run_of_rewrites_keeps_one(self) -> None:
        store = InMemoryEventStore(clock=lambda: _T0)
        store.append("bridge", _writes([(0, False)] * 1000 + [(1, True), (0, False)]), None)
        assert [(o.path, o.copy) for o in fold(store.read()).outputs] == [
            ("f1.md", "f1_1000.md"),
            ("f0.md", ""),
        ]


class LogMachine(RuleBasedStateMachine):
    """
    Random command sequences against a real SQLite log, folded incrementally and from scratch.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="bridge-stateful-"))
        self.tick = 0
        self.store = SQLiteEventStore(self.dir / "events.db", clock=self._clock)
        self.folder = Folder()
        self.writer = ProjectionWriter(self.dir / "live")
        self.attempts: dict[str, int] = {}

    def _clock(self) -> datetime:
        self.tick += 1
        return _T0 + timedelta(seconds=self.tick)

    def _append(self, stream: str, evt: Any) -> None:
        self.store.append(stream, [evt], None)
        for rec in self.store.read(after=self.folder.state().last_seq):
            self.folder.apply(rec)
        written = self.writer.refresh(self.folder.state())
        if written:
            self.store.append("bridge", written, None)
            for rec in self.store.read(after=self.folder.state().last_seq):
                self.folder.apply(rec)

    def _illegal(self, stream: str, evt: Any) -> None:
        state = self.folder.state()
        probe = InMemoryEventStore()
        probe.append(stream, [evt], None)
        (rec,) = probe.read()
        fake = attrs.evolve(rec, seq=state.last_seq + 1)
        with pytest.raises(TransitionError):
            Folder().apply_all([*self.store.read(), fake])

    @property
    def runs(self) -> list[str]:
        return sorted(self.folder.state().runs)

    @rule(n=st.integers(1, 30), milestone=st.integers(0, 3), must=st.booleans())
    def plan(self, n: int, milestone: int, must: bool) -> None:
        run_id = f"R{n:03d}"
        state = self.folder.state()
        if run_id in state.runs and state.runs[run_id].state is not RunState.PENDING:
            self._illegal(f"run:{run_id}", RunPlanned(run_id=run_id))
            return
        # A replan may move a pending run to another milestone or priority.
        self._append(
            f"run:{run_id}",
            RunPlanned(
                run_id=run_id,
                milestone=f"M{milestone}",
                priority="must" if must else "nice",
                seed=n,
            ),
        )

    @precondition(lambda self: bool(self.runs))
    @rule(data=st.data())
    def submit(self, data: st.DataObject) -> None:
        run_id = data.draw(st.sampled_from(self.runs))
        run = self.folder.state().runs[run_id]
        number = self.attempts.get(run_id, 0) + 1
        evt = RunSubmitted(
            run_id=run_id, attempt_id=f"{run_id}-a{number}", attempt=number, backend="x"
        )
        if run.state is RunState.PENDING:
            self.attempts[run_id] = number
            self._append(f"run:{run_id}", evt)
        else:
            self._illegal(f"run:{run_id}", evt)

    @precondition(lambda self: bool(self.runs))
    @rule(data=st.data())
    def start(self, data: st.DataObject) -> None:
        run_id = data.draw(st.sampled_from(self.runs))
        run = self.folder.state().runs[run_id]
        attempt = run.current.attempt_id if run.current else "none"
        evt = RunStarted(
            run_id=run_id, attempt_id=attempt, handle=JobHandle(backend="x", attempt_id=attempt)
        )
        if run.state is RunState.SUBMITTED:
            self._append(f"run:{run_id}", evt)
        else:
            self._illegal(f"run:{run_id}", evt)

    @precondition(lambda self: bool(self.runs))
    @rule(data=st.data(), outcome=st.sampled_from(_OUTCOMES))
    def finish(self, data: st.DataObject, outcome: str) -> None:
        run_id = data.draw(st.sampled_from(self.runs))
        run = self.folder.state().runs[run_id]
        attempt = run.current.attempt_id if run.current else "none"
        used = self.tick / 7  # GPU time that is not a round number
        evt = {
            "succeed": RunSucceeded(run_id=run_id, attempt_id=attempt, gpu_seconds=used),
            "fail": RunFailed(run_id=run_id, attempt_id=attempt, exit_code=1, gpu_seconds=used),
            "oom": RunFailed(run_id=run_id, attempt_id=attempt, exit_code=1, oom=True),
            "time_out": RunTimedOut(run_id=run_id, attempt_id=attempt, gpu_seconds=used),
            "lose": RunLost(run_id=run_id, attempt_id=attempt),
            "cancel": RunCancelled(run_id=run_id, attempt_id=attempt),
        }[outcome]
        if run.state in (RunState.SUBMITTED, RunState.RUNNING) and run.current:
            self._append(f"run:{run_id}", evt)
        else:
            self._illegal(f"run:{run_id}", evt)

    @precondition(lambda self: bool(self.runs))
    @rule(data=st.data(), give_up=st.booleans())
    def retry_or_give_up(self, data: st.DataObject, give_up: bool) -> None:
        run_id = data.draw(st.sampled_from(self.runs))
        run = self.folder.state().runs[run_id]
        trigger = RunTrigger.GIVE_UP if give_up else RunTrigger.RETRY
        evt: Any = RunStuck(run_id=run_id) if give_up else RunRetryScheduled(run_id=run_id)
        if (run.state, trigger) in run_lookup:
            self._append(f"run:{run_id}", evt)
        else:
            self._illegal(f"run:{run_id}", evt)

    @rule(trigger=st.sampled_from(StageTrigger))
    def stage(self, trigger: StageTrigger) -> None:
        current = self.folder.state().stage
        dest = stage_lookup.get((current, trigger))
        entered = StageEntered(stage=(dest or Stage.COLLECTED).value, trigger=trigger.value)
        if dest is None:
            self._illegal("bridge", entered)
        else:
            self._append("bridge", entered)

    @invariant()
    def fold_from_store_equals_incremental(self) -> None:
        assert fold(self.store.read()) == self.folder.state()

    @invariant()
    def indexes_agree_with_the_runs(self) -> None:
        """The fold's run indexes say what a scan of every run says."""
        state = self.folder.state()
        runs = list(state.runs.values())
        by_state: dict[RunState, tuple[str, ...]] = {}
        counts: dict[str, dict[tuple[bool, RunState], int]] = {}
        for run in runs:
            by_state[run.state] = (*by_state.get(run.state, ()), run.run_id)
            tally = counts.setdefault(run.spec.milestone, {})
            key = (run.spec.priority == "must", run.state)
            tally[key] = tally.get(key, 0) + 1
        assert state.run_ids_by_state == by_state
        assert state.milestone_counts == counts
        assert list(state.plan_order) == list(state.runs)
        assert state.milestone_ids == tuple(dict.fromkeys(r.spec.milestone for r in runs))
        assert state.gpu_seconds_used == pytest.approx(sum(r.gpu_seconds for r in runs))
        for milestone, tally in counts.items():
            must = sum(v for (m, _), v in tally.items() if m)
            assert state.count_in(milestone, list(RunState), must_only=True) == must
        live = state.runs_in_state(RunState.SUBMITTED, RunState.RUNNING)
        assert live == [r for r in runs if r.state in (RunState.SUBMITTED, RunState.RUNNING)]

    @invariant()
    def versions_are_contiguous(self) -> None:
        seen: dict[str, int] = {}
        for rec in self.store.read():
            assert rec.version == seen.get(rec.stream, 0) + 1
            seen[rec.stream] = rec.version

    def teardown(self) -> None:
        try:
            rebuilt = self.dir / "rebuilt"
            state = fold(self.store.read())
            ProjectionWriter(rebuilt).write_to(state, rebuilt)
            live = (
                {
                    p.relative_to(self.dir / "live"): p.read_bytes()
                    for p in (self.dir / "live").rglob("*.md")
                    # The projections: not the versions, nor bridge's own notes in .bridge/
                    # (its last write of the tracker, to tell an edit from it).
                    if "_20" not in p.name and ".bridge" not in p.parts
                }
                if (self.dir / "live").exists()
                else {}
            )
            again = {p.relative_to(rebuilt): p.read_bytes() for p in rebuilt.rglob("*.md")}
            if live:
                assert live == again
            assert self.store.verify() is None
        finally:
            self.store.close()
            shutil.rmtree(self.dir, ignore_errors=True)


TestLogMachine = LogMachine.TestCase
TestLogMachine.settings = __import__("hypothesis").settings(
    max_examples=40, stateful_step_count=25, deadline=None
)


def test_gpu_time_past_what_a_float_holds_still_folds() -> None:
    """A backend's report is untrusted: two runs of 1.7e308 GPU-seconds each (a broken or
    hostile reading) raised OverflowError in every fold, so the log could not be read at all.
    Each run counts for at most 1e250 ns; an ordinary run counts exactly."""
    store = InMemoryEventStore()
    for run_id, seconds in (("R1", 1.7e308), ("R2", 1.7e308), ("R3", 2.5)):
        attempt = f"{run_id}-a1"
        store.append(f"run:{run_id}", [RunPlanned(run_id=run_id)], 0)
        store.append(
            f"run:{run_id}",
            [
                RunSubmitted(run_id=run_id, attempt_id=attempt, attempt=1, backend="x"),
                RunStarted(
                    run_id=run_id, attempt_id=attempt, handle=JobHandle(backend="x", attempt_id="h")
                ),
                RunSucceeded(run_id=run_id, attempt_id=attempt, gpu_seconds=seconds),
            ],
            1,
        )
    state = fold(list(store.read()))
    assert state.gpu_seconds_used == (2 * 10**250 + 2_500_000_000) / 1e9
    assert state.runs["R3"].gpu_seconds == 2.5


def test_a_succeeded_run_takes_new_labels_but_never_a_new_command() -> None:
    """A succeeded run may be relabelled (its system, milestone, priority and the params naming
    them), which leaves it succeeded; a spec changing what it ran (its command, another param)
    is refused by the fold, so no later bug can rewrite what a succeeded run ran (review)."""
    planned = RunPlanned(
        run_id="R1", system="A", command=("python", "train.py"), params={"lr": "1"}
    )
    attempt = "R1-a1"
    lifecycle = [
        RunSubmitted(run_id="R1", attempt_id=attempt, attempt=1, backend="x"),
        RunStarted(run_id="R1", attempt_id=attempt, handle=JobHandle(backend="x", attempt_id="h")),
        RunSucceeded(run_id="R1", attempt_id=attempt),
    ]
    relabelled = attrs.evolve(planned, system="B", params={"lr": "1", "system": "B"})
    store = InMemoryEventStore()
    store.append("run:R1", [planned, *lifecycle, RunSpecChanged(run_id="R1", spec=relabelled)], 0)
    run = fold(list(store.read())).runs["R1"]
    assert run.state is RunState.SUCCEEDED and run.spec.system == "B"
    for changed, field in (
        (attrs.evolve(planned, command=("python", "other.py")), "command"),
        (attrs.evolve(planned, params={"lr": "2"}), "params.lr"),
    ):
        bad = InMemoryEventStore()
        bad.append("run:R1", [planned, *lifecycle, RunSpecChanged(run_id="R1", spec=changed)], 0)
        with pytest.raises(TransitionError, match=f"only in its labels, not {field}"):
            fold(list(bad.read()))


@pytest.mark.parametrize(
    ("mark", "state"),
    [
        (RunFoundDone(run_id="R1", status="DONE"), RunState.DONE_BEFORE),
        (RunRuledOut(run_id="R1", status="SKIPPED"), RunState.OUT_OF_SCOPE),
    ],
)
def test_a_row_bridge_did_not_run_takes_new_labels_only(mark: RunEvent, state: RunState) -> None:
    """A row done before bridge or out of scope takes the labels its row gives now (009's
    R002 kept its old system, review): it stays as marked; any other change waits until it is
    back to pending, and the fold refuses it before."""
    planned = RunPlanned(run_id="R1", system="A", command=("python", "t.py"), params={"lr": "1"})
    relabelled = attrs.evolve(planned, system="B", params={"lr": "1", "system": "B"})
    store = InMemoryEventStore()
    store.append("run:R1", [planned, mark, RunSpecChanged(run_id="R1", spec=relabelled)], 0)
    run = fold(list(store.read())).runs["R1"]
    assert run.state is state and run.spec.system == "B"
    bad = InMemoryEventStore()
    changed = attrs.evolve(planned, params={"lr": "2"})
    bad.append("run:R1", [planned, mark, RunSpecChanged(run_id="R1", spec=changed)], 0)
    with pytest.raises(TransitionError, match=r"only in its labels, not params\.lr"):
        fold(list(bad.read()))
