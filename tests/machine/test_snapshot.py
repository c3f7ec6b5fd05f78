"""
Tests for the fold's snapshots: the state round-trips exactly through its bytes, and a fold
resumed from a snapshot plus the records after it equals the fold from seq 1 (hypothesis, over
random logs and snapshot points).
"""

from __future__ import annotations

import typing
from datetime import UTC, datetime
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from bridge.events.store import InMemoryEventStore
from bridge.events.types import (
    EVENT_TYPES,
    Approved,
    CostRecorded,
    MetricsRecorded,
    PipelineEvent,
    RunPlanned,
    RunStarted,
    RunSubmitted,
    RunSucceeded,
    StageEntered,
)  # fmt: skip
from bridge.events.values import JobHandle
from bridge.machine.fold import AttemptView, Folder, PipelineState, RunView, fold
from bridge.machine.snapshot import (
    SnapshotDecodeError,
    decode_state,
    encode_state,
    shape_classes,
    state_format,
)  # fmt: skip
from bridge.machine.stages import RunState
from bridge.pipeline import snapshots
from tests.machine.test_fold import LogMachine
from tests.strategies import builds, for_type, keys, text

_SPECIAL = {"runs", "run_ids_by_state", "milestone_counts", "stage_history"}
_HINTS = typing.get_type_hints(PipelineState)

run_views = builds(RunView)
states = st.builds(
    PipelineState,
    **{f.name: for_type(_HINTS[f.name]) for f in attrs.fields(PipelineState)
       if f.name not in _SPECIAL},
    runs=st.dictionaries(keys, run_views, max_size=3),
    run_ids_by_state=st.dictionaries(
        st.sampled_from(RunState), st.lists(text, max_size=3).map(tuple), max_size=3
    ),
    milestone_counts=st.dictionaries(
        keys,
        st.dictionaries(st.tuples(st.booleans(), st.sampled_from(RunState)), st.integers(1, 99)),
        max_size=3,
    ),
    stage_history=st.lists(
        st.tuples(st.integers(1, 10**9), builds(StageEntered)), max_size=3
    ).map(tuple),
)  # fmt: skip


class TestStateCodec:
    @settings(max_examples=60, deadline=None)
    @given(states)
    def test_every_state_round_trips_exactly(self, state: PipelineState) -> None:
        """
        decode(encode(state)) == state, with the runs in the same order, through generated
        decoders (a large snapshot) and without them (a small one, the default here).
        """
        data = encode_state(state)
        for back in (decode_state(data), decode_state(data, generated=True)):
            assert back == state
            assert list(back.runs) == list(state.runs)
            assert list(back.costs) == list(state.costs)  # dollars_spent sums them in this order

    @pytest.mark.parametrize(
        "data",
        [
            b"",
            b"\x80\x81 not json",
            b"[]",
            b'{"stage": "PLANNED"}',
            b"null",
        ],
    )
    def test_bytes_that_are_not_a_state_do_not_decode(self, data: bytes) -> None:
        """Anything but a state this code wrote is refused with one error class."""
        with pytest.raises(SnapshotDecodeError):
            decode_state(data)

    def test_a_field_too_many_or_too_few_does_not_decode(self) -> None:
        """A state of another shape is refused, never filled in with defaults."""
        raw = orjson.loads(encode_state(PipelineState()))
        with pytest.raises(SnapshotDecodeError, match="extra"):
            decode_state(orjson.dumps({**raw, "extra": 1}))
        del raw["outputs"]
        with pytest.raises(SnapshotDecodeError, match="outputs"):
            decode_state(orjson.dumps(raw))

    @pytest.mark.parametrize("generated", [False, True])
    def test_a_wrong_value_does_not_decode(self, generated: bool) -> None:
        """A value of the wrong type inside the state is refused, with or without generated code."""
        raw = orjson.loads(encode_state(PipelineState()))
        raw["run_ids_by_state"] = [["NO-SUCH-STATE", []]]
        with pytest.raises(SnapshotDecodeError, match="NO-SUCH-STATE"):
            decode_state(orjson.dumps(raw), generated=generated)
        raw = orjson.loads(encode_state(PipelineState()))
        raw["stage_history"] = [[1, {"stage": "PLANNED", "nonsense": 1}]]  # an event's fields
        with pytest.raises(SnapshotDecodeError, match="nonsense"):
            decode_state(orjson.dumps(raw), generated=generated)

    def test_the_format_names_the_shapes(self) -> None:
        """The fingerprint is stable within a process and is a short hex string."""
        assert state_format() == state_format()
        assert len(state_format()) == 16
        int(state_format(), 16)

    def test_the_format_covers_every_class_a_state_can_hold(self) -> None:
        """Every attrs class reachable from PipelineState's fields is in the fingerprint (a
        class in a module SHAPE_MODULES misses could change shape unnoticed)."""
        reachable: set[type] = set()

        def walk(tp: Any) -> None:
            if isinstance(tp, type) and attrs.has(tp):
                if tp in reachable:
                    return
                reachable.add(tp)
                hints = typing.get_type_hints(tp)
                for field in attrs.fields(tp):
                    walk(hints[field.name])
            for arg in typing.get_args(tp):
                walk(arg)

        walk(PipelineState)
        missing = sorted(
            f"{c.__module__}.{c.__qualname__}" for c in reachable - set(shape_classes())
        )
        assert missing == [], "add their modules to bridge.machine.snapshot.SHAPE_MODULES"


def _resumed(records: list[Any], cut: int) -> PipelineState:
    """The fold resumed from a snapshot after ``cut`` records, then the rest applied."""
    head = Folder().apply_all(records[:cut]).state()
    folder = Folder.resume(decode_state(encode_state(head)))
    return folder.apply_all(records[cut:]).state()


_PIPELINE = set(typing.get_args(PipelineEvent))
pipeline_events = st.one_of(
    *(builds(cls) for _, (_, cls) in sorted(EVENT_TYPES.items())
      if cls in _PIPELINE and cls not in (StageEntered, Approved))
)  # fmt: skip
_T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _lifecycle(run_id: str, gpu_seconds: float) -> list[Any]:
    attempt = f"{run_id}-a1"
    return [
        RunSubmitted(run_id=run_id, attempt_id=attempt, attempt=1, backend="x"),
        RunStarted(run_id=run_id, attempt_id=attempt, handle=JobHandle(backend="x",
                                                                       attempt_id=attempt)),
        RunSucceeded(run_id=run_id, attempt_id=attempt, gpu_seconds=gpu_seconds),
        MetricsRecorded(run_id=run_id, attempt_id=attempt),
    ]  # fmt: skip


class TestResume:
    @settings(max_examples=60, deadline=None)
    @given(
        before=st.lists(pipeline_events, max_size=6),
        after=st.lists(pipeline_events, max_size=6),
        gpu=st.floats(0, 1e6, allow_nan=False),
    )
    def test_snapshot_plus_tail_is_the_fold_at_every_point(
        self, before: list[Any], after: list[Any], gpu: float
    ) -> None:
        """For every seq k: resume(snapshot after k) + records after k == fold of all."""
        store = InMemoryEventStore(clock=lambda: _T0)
        if before:
            store.append("bridge", before, None)
        store.append("run:R1", [RunPlanned(run_id="R1", milestone="M1", priority="must")], 0)
        store.append("run:R2", [RunPlanned(run_id="R2", milestone="M2")], 0)
        store.append("run:R1", _lifecycle("R1", gpu), 1)
        if after:
            store.append("bridge", after, None)
        store.append("run:R2", _lifecycle("R2", gpu / 3), 1)
        records = list(store.read())
        whole = fold(records)
        for cut in range(len(records) + 1):
            assert _resumed(records, cut) == whole, f"snapshot after {cut} records"

    def test_costs_summing_past_the_largest_float_resume_as_folded(self) -> None:
        """Two instances' totals, each finite, sum to infinity (found by the test above): the
        spend is derived from the totals, not kept, so the snapshot holds finite numbers only,
        reads back, and gives the fold's infinite spend."""
        store = InMemoryEventStore(clock=lambda: _T0)
        store.append(
            "bridge",
            [
                CostRecorded(backend="vast", dollars=8.988465674311579e307, instance="0"),
                CostRecorded(backend="vast", dollars=8.98846567431158e307, instance="1"),
            ],
            None,
        )
        records = list(store.read())
        whole = fold(records)
        assert whole.dollars_spent == float("inf")
        resumed = _resumed(records, len(records))
        assert resumed == whole
        assert resumed.dollars_spent == float("inf")

    def test_a_resumed_fold_returns_the_snapshot_until_it_moves(self) -> None:
        """Resuming costs no rebuild: state() is the decoded state itself."""
        state = decode_state(encode_state(PipelineState(last_seq=3, events=3)))
        assert Folder.resume(state).state() is state

    def test_views_keep_every_attempt(self) -> None:
        """A run with earlier attempts resumes with all of them, the latest still live."""
        store = InMemoryEventStore(clock=lambda: _T0)
        store.append("run:R1", [RunPlanned(run_id="R1")], 0)
        store.append("run:R1", _lifecycle("R1", 2.0)[:2], 1)
        records = list(store.read())
        state = _resumed(records, len(records))
        (run,) = state.runs.values()
        assert isinstance(run.current, AttemptView)
        assert run.state is RunState.RUNNING


class SnapshotMachine(LogMachine):
    """
    LogMachine's random logs, with snapshots taken at random points: a fold resumed from one and
    fed the records after it, step by step, stays equal to the fold from seq 1.
    """

    def __init__(self) -> None:
        super().__init__()
        self.resumed: Folder | None = None
        self.snapshot: tuple[int, bytes] | None = None

    @rule()
    def take_snapshot(self) -> None:
        state = self.folder.state()
        self.snapshot = (state.last_seq, encode_state(state))
        self.resumed = Folder.resume(decode_state(self.snapshot[1]))
        snapshots.take(self.store, self.folder)  # into the real SQLite log, as a session does

    @invariant()
    def loading_and_verifying_agree_with_the_fold(self) -> None:
        whole = fold(self.store.read())
        loaded = snapshots.load(self.store)
        assert loaded.folder.state() == whole
        assert loaded.notes == ()
        checked = snapshots.check(self.store)
        assert checked.state == whole
        assert checked.bad == ()

    @invariant()
    def resumed_fold_equals_the_fold(self) -> None:
        if self.resumed is None or self.snapshot is None:
            return
        # The resumed fold, fed incrementally as a session's is...
        self.resumed.apply_all(self.store.read(after=self.resumed.state().last_seq))
        whole = fold(self.store.read())
        assert self.resumed.state() == whole
        # ...and a fresh one from the same snapshot, fed the whole tail at once.
        seq, data = self.snapshot
        fresh = Folder.resume(decode_state(data)).apply_all(self.store.read(after=seq))
        assert fresh.state() == whole


TestSnapshotMachine = SnapshotMachine.TestCase
TestSnapshotMachine.settings = settings(max_examples=15, stateful_step_count=20, deadline=None)
