"""
Tests for loading the fold from snapshots: every snapshot that does not fit is skipped with a
note and the next older one tried; a store without snapshots folds from seq 1.
"""

from __future__ import annotations

import attrs

from bridge.events.store import InMemoryEventStore
from bridge.events.types import RunPlanned, RunSubmitted, StageEntered
from bridge.machine.fold import FOLD_VERSION, Folder, PipelineState, fold
from bridge.machine.snapshot import encode_state, state_format
from bridge.pipeline import snapshots
from tests.pipeline.forwarding import ForwardingStore


def _store() -> InMemoryEventStore:
    store = InMemoryEventStore()
    store.append("run:R1", [RunPlanned(run_id="R1")], 0)
    store.append("bridge", [StageEntered(stage="IMPLEMENTED", trigger="implement")], None)
    store.append("run:R2", [RunPlanned(run_id="R2")], 0)
    store.append("run:R1", [RunSubmitted(run_id="R1", attempt_id="a1", attempt=1, backend="x")], 1)
    return store


def _put(store: InMemoryEventStore, seq: int, state: PipelineState | None = None) -> None:
    """Store a snapshot at ``seq`` holding ``state`` (default: the fold up to ``seq``)."""
    if state is None:
        state = fold(r for r in store.read() if r.seq <= seq)
    store.put_snapshot(seq, FOLD_VERSION, state_format(), encode_state(state))


class TestLoad:
    def test_the_newest_snapshot_is_resumed(self) -> None:
        """With good snapshots, the newest is used and the result is the fold."""
        store = _store()
        _put(store, 2)
        _put(store, 3)
        loaded = snapshots.load(store)
        assert (loaded.snapshot_seq, loaded.notes) == (3, ())
        assert loaded.folder.state() == fold(store.read())

    def test_a_snapshot_the_later_events_do_not_fold_onto_is_skipped(self) -> None:
        """A snapshot (digest and all) whose run R1 was never planned cannot take R1's submit:
        it is skipped, said so, and the older one is used."""
        store = _store()
        _put(store, 1)
        edited = attrs.evolve(fold(r for r in store.read() if r.seq <= 3), runs={})
        _put(store, 3, edited)
        loaded = snapshots.load(store)
        assert loaded.snapshot_seq == 1
        assert (
            "the snapshot at seq 3 was not used: the records after it do not fold"
            in (loaded.notes[0])
        )
        assert "read from the snapshot at seq 1" in loaded.notes[-1]
        assert loaded.folder.state() == fold(store.read())

    def test_a_snapshot_of_another_seq_is_skipped_down_to_seq_one(self) -> None:
        """A state stored under another seq's key is skipped; with none left, the fold starts
        at seq 1 and says so."""
        store = _store()
        _put(store, 3, fold(r for r in store.read() if r.seq <= 2))
        loaded = snapshots.load(store)
        assert loaded.snapshot_seq == 0
        assert loaded.notes[0] == (
            "the snapshot at seq 3 was not used: it holds the state after seq 2"
        )
        assert "folded from seq 1" in loaded.notes[-1]
        assert loaded.folder.state() == fold(store.read())

    def test_verify_names_and_removes_what_disagrees(self) -> None:
        """check() finds the edited snapshot, names its seq, and leaves only the good ones."""
        store = _store()
        _put(store, 2)
        _put(store, 3, attrs.evolve(fold(r for r in store.read() if r.seq <= 3), approved=True))
        checked = snapshots.check(store)
        assert checked.bad == ((3, "it differs from the fold of the log in approved"),)
        assert checked.agreed == 1
        assert checked.state == fold(store.read())
        assert [s.seq for s in store.snapshots()] == [2]


class _PlainStore(ForwardingStore):
    """An event store without snapshots (an embedder's own), over the in-memory one."""


class TestStoreWithoutSnapshots:
    def test_it_is_folded_from_seq_one_and_never_written(self) -> None:
        """load folds from seq 1, take writes nothing, check folds too."""
        memory = _store()
        store = _PlainStore(memory)
        loaded = snapshots.load(store)
        assert (loaded.snapshot_seq, loaded.notes) == (0, ())
        assert loaded.folder.state() == fold(store.read())
        assert snapshots.take(store, Folder().apply_all(store.read())) == 0
        assert snapshots.check(store).state == fold(store.read())
        assert list(memory.snapshots()) == []
