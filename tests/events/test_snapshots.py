"""
Tests for the snapshots table of both event stores: keys, pruning, the checks a reader makes,
and an old log gaining the table without any event changing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.errors import StoreError
from bridge.events.snapshots import KEEP, SnapshotStore, snapshot_digest
from bridge.events.store import InMemoryEventStore, SQLiteEventStore
from bridge.events.types import StageEntered


def _events(n: int) -> list[StageEntered]:
    return [StageEntered(stage="PLANNED", trigger=f"t{i}") for i in range(n)]


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SnapshotStore]:
    """Each store that keeps snapshots, holding ten events."""
    made = (
        InMemoryEventStore()
        if request.param == "memory"
        else SQLiteEventStore(tmp_path / ".bridge" / "events.db")
    )
    made.append("bridge", _events(10), 0)
    yield made
    made.close()


class TestSnapshotTable:
    def test_a_snapshot_is_keyed_by_the_logs_hash_at_its_seq(self, store: SnapshotStore) -> None:
        """put_snapshot records the log's hash at seq and a digest over key and bytes."""
        store.put_snapshot(4, 1, "fmt", b"{}")
        (snap,) = store.snapshots()
        assert isinstance(store, InMemoryEventStore | SQLiteEventStore)
        hash_at_4 = next(r.hash for r in store.read() if r.seq == 4)
        assert (snap.seq, snap.hash, snap.log_hash, snap.data) == (4, hash_at_4, hash_at_4, b"{}")
        assert snap.digest == snapshot_digest(4, hash_at_4, 1, "fmt", b"{}")
        assert snap.problem() is None
        assert snap.fits(1, "fmt")
        assert not snap.fits(2, "fmt")
        assert not snap.fits(1, "other")

    def test_newest_first_and_only_the_newest_few_kept(self, store: SnapshotStore) -> None:
        """Of one version only the newest KEEP stay; another version's are dropped on write."""
        store.put_snapshot(1, 0, "old", b"{}")
        for seq in range(2, 9):
            store.put_snapshot(seq, 1, "fmt", b"{}")
        assert [s.seq for s in store.snapshots()] == list(range(8, 8 - KEEP, -1))
        assert {(s.fold_version, s.state_format) for s in store.snapshots()} == {(1, "fmt")}

    def test_a_seq_the_log_does_not_hold_is_refused(self, store: SnapshotStore) -> None:
        """There is no snapshot of a state the log never reached."""
        with pytest.raises(StoreError, match="no such seq"):
            store.put_snapshot(11, 1, "fmt", b"{}")
        assert list(store.snapshots()) == []

    def test_discard_removes_the_snapshots_at_a_seq(self, store: SnapshotStore) -> None:
        """discard_snapshots removes what bridge verify found wrong, nothing else."""
        store.put_snapshot(3, 1, "fmt", b"{}")
        store.put_snapshot(5, 1, "fmt", b"{}")
        store.discard_snapshots(5)
        assert [s.seq for s in store.snapshots()] == [3]


class TestSQLiteSnapshots:
    def _open(self, tmp_path: Path) -> SQLiteEventStore:
        store = SQLiteEventStore(tmp_path / "events.db")
        store.append("bridge", _events(5), 0)
        return store

    def test_an_edited_snapshot_is_named_by_its_problem(self, tmp_path: Path) -> None:
        """Edited bytes fail the digest; an edited hash or a shorter log fail the key."""
        store = self._open(tmp_path)
        try:
            store.put_snapshot(2, 1, "fmt", b'{"a": 1}')
            store.put_snapshot(3, 1, "fmt", b'{"a": 1}')
            store.put_snapshot(4, 1, "fmt", b'{"a": 1}')
        finally:
            store.close()
        conn = sqlite3.connect(tmp_path / "events.db")
        conn.execute("UPDATE snapshots SET data = X'7B7D' WHERE seq = 2")
        conn.execute("UPDATE snapshots SET hash = ? WHERE seq = 3", ("0" * 64,))
        conn.execute("UPDATE snapshots SET seq = 9 WHERE seq = 4")
        conn.commit()
        conn.close()
        store = SQLiteEventStore(tmp_path / "events.db")
        try:
            found = {s.seq: s.problem() for s in store.snapshots()}
        finally:
            store.close()
        assert found[2] is not None and "digest" in found[2]
        assert found[3] is not None and "differs from this log's" in found[3]
        assert found[9] == "the log has no seq 9"

    def test_an_old_log_gains_the_table_and_keeps_every_event(self, tmp_path: Path) -> None:
        """A log written before snapshots opens; the table appears, no event row changes."""
        store = self._open(tmp_path)
        store.close()
        conn = sqlite3.connect(tmp_path / "events.db")
        conn.execute("DROP TABLE snapshots")  # as a log written by an earlier bridge
        conn.commit()
        before = conn.execute("SELECT * FROM events ORDER BY seq").fetchall()
        conn.close()
        store = SQLiteEventStore(tmp_path / "events.db")
        try:
            assert list(store.snapshots()) == []
            store.put_snapshot(5, 1, "fmt", b"{}")
            assert store.verify() is None
        finally:
            store.close()
        conn = sqlite3.connect(tmp_path / "events.db")
        try:
            assert conn.execute("SELECT * FROM events ORDER BY seq").fetchall() == before
        finally:
            conn.close()

    def test_a_snapshot_write_leaves_the_appends_durability_as_it_was(self, tmp_path: Path) -> None:
        """Snapshots commit without waiting for the disk, then put back the level the last
        append set: FULL after a durable append, NORMAL after one that was not."""
        store = self._open(tmp_path)
        levels = []
        try:
            for durable in (True, False):
                store.append("bridge", _events(1), None, durable=durable)
                store.put_snapshot(store.head(), 1, "fmt", b"{}")
                levels.append(store._conn.execute("PRAGMA synchronous").fetchone()[0])
        finally:
            store.close()
        assert levels == [2, 1]  # FULL, NORMAL

    def test_a_snapshot_write_refused_part_way_stores_none_of_it(self, tmp_path: Path) -> None:
        """
        A write whose prune SQLite refuses (a trigger added to the file) after its row went in:
        the new row goes with the rollback, the old snapshots stay, the durability level is put
        back, and once the trigger is gone the same write is stored.
        """
        store = self._open(tmp_path)
        try:
            store.put_snapshot(2, 0, "old", b"{}")
            conn = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
            conn.execute(
                "CREATE TRIGGER refuse_prune BEFORE DELETE ON snapshots "
                "BEGIN SELECT RAISE(ABORT, 'prune refused'); END"
            )
            with pytest.raises(StoreError, match="could not store a snapshot: prune refused"):
                store.put_snapshot(4, 1, "fmt", b"{}")
            assert conn.execute("SELECT seq, state_format FROM snapshots").fetchall() == [
                (2, "old")
            ]
            assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            conn.execute("DROP TRIGGER refuse_prune")
            conn.close()
            assert [(s.seq, s.state_format) for s in store.snapshots()] == [(2, "old")]
            store.put_snapshot(4, 1, "fmt", b"{}")
            assert [(s.seq, s.state_format) for s in store.snapshots()] == [(4, "fmt")]
            assert store.verify() is None
        finally:
            store.close()
