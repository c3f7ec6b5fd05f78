"""
Tests for the SQLite and in-memory event stores (the shared contract, plus SQLite specifics).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bridge.errors import ConcurrencyError, IntegrityError, StoreError
from bridge.events.secrets import register_secret_values
from bridge.events.store import EventStore, InMemoryEventStore, SQLiteEventStore
from bridge.events.types import StageEntered
from bridge.testing.store_contract import AppendsStreamsContract, EventStoreContract


class TestInMemoryEventStore(EventStoreContract, AppendsStreamsContract):
    @pytest.fixture
    def store(self) -> EventStore:
        """A fresh in-memory store."""
        return InMemoryEventStore()


class TestSQLiteEventStore(EventStoreContract, AppendsStreamsContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[EventStore]:
        """A fresh SQLite store in a real file."""
        store = SQLiteEventStore(tmp_path / ".bridge" / "events.db")
        yield store
        store.close()

    def test_survives_reopening(self, tmp_path: Path) -> None:
        """Events appended are there when the file is opened again."""
        path = tmp_path / "events.db"
        first = SQLiteEventStore(path)
        first.append("bridge", [StageEntered(stage="PLANNED", trigger="x")], 0)
        first.close()
        second = SQLiteEventStore(path)
        try:
            assert [r.event.trigger for r in second.read()] == ["x"]
            assert second.verify() is None
        finally:
            second.close()

    def test_appended_is_what_reading_back_gives(self, tmp_path: Path) -> None:
        """
        appended() hands back the records of the last append, equal to reading them back
        (seq, hash, time, event); nothing after an append that was refused.
        """
        store = SQLiteEventStore(tmp_path / "events.db")
        try:
            assert list(store.appended()) == []
            first = StageEntered(stage="PLANNED", trigger="x")
            store.append("bridge", [first], 0)
            two = [
                StageEntered(stage="IMPLEMENTED", trigger="y"),
                StageEntered(stage="Z", trigger="z"),
            ]
            store.append("bridge", two, 1)
            assert list(store.appended()) == list(store.read(after=1))
            assert [r.seq for r in store.appended()] == [2, 3]
            with pytest.raises(ConcurrencyError):
                store.append("bridge", [first], 0)
            assert list(store.appended()) == []
        finally:
            store.close()

    def test_appended_holds_what_the_log_holds_where_encoding_changed_the_event(
        self, tmp_path: Path
    ) -> None:
        """
        Encoding replaces a NUL by U+FFFD and a registered secret by ``[redacted]``: appended()
        hands back the event the log holds, not the one given (a session folds these records,
        and its projections would otherwise show a secret the log never kept).
        """
        secret = "appended-secret-5a1f93c2"
        register_secret_values([secret])
        store = SQLiteEventStore(tmp_path / "events.db")
        try:
            store.append(
                "bridge",
                [
                    StageEntered(stage="PLANNED", trigger="a\x00b"),
                    StageEntered(stage="IMPLEMENTED", trigger=f"token {secret}"),
                    StageEntered(stage="Z", trigger="plain"),
                ],
                0,
            )
            assert [r.event.trigger for r in store.appended()] == [
                "a\ufffdb",
                "token [redacted]",
                "plain",
            ]
            assert list(store.appended()) == list(store.read())
        finally:
            store.close()

    def test_uses_wal_and_full_sync(self, tmp_path: Path) -> None:
        """The log is in WAL mode (durable commits are configured per connection)."""
        store = SQLiteEventStore(tmp_path / "events.db")
        store.close()
        conn = sqlite3.connect(tmp_path / "events.db")
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            conn.close()


class TestTamperProofing:
    def _log(self, tmp_path: Path) -> Path:
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path)
        store.append(
            "bridge", [StageEntered(stage="PLANNED", trigger=f"t{i}") for i in range(5)], 0
        )
        store.close()
        return path

    @pytest.mark.parametrize(
        "sql", ["UPDATE events SET data = '{}' WHERE seq = 2", "DELETE FROM events WHERE seq = 2"]
    )
    def test_update_and_delete_are_refused(self, tmp_path: Path, sql: str) -> None:
        """Raw sqlite3 cannot change or remove a stored event."""
        conn = sqlite3.connect(self._log(tmp_path))
        try:
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
        finally:
            conn.close()

    def test_edit_after_dropping_triggers_is_found(self, tmp_path: Path) -> None:
        """A row edited behind the triggers' back is named by verify()."""
        path = self._log(tmp_path)
        conn = sqlite3.connect(path)
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute(
            """UPDATE events SET data = '{"stage":"PLANNED","trigger":"forged"}' WHERE seq = 3"""
        )
        conn.commit()
        conn.close()
        with pytest.raises(IntegrityError, match="append-only trigger"):
            SQLiteEventStore(path)  # every command's open notices the missing trigger
        store = SQLiteEventStore(path, check=False)
        try:
            assert store.verify() == 3
        finally:
            store.close()

    def test_deleted_row_is_found(self, tmp_path: Path) -> None:
        """A row deleted behind the triggers' back breaks the chain at its seq."""
        path = self._log(tmp_path)
        conn = sqlite3.connect(path)
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("DELETE FROM events WHERE seq = 4")
        conn.commit()
        conn.close()
        with pytest.raises(IntegrityError, match="append-only trigger"):
            SQLiteEventStore(path)
        store = SQLiteEventStore(path, check=False)
        try:
            assert store.verify() == 4
        finally:
            store.close()


_RACER = """
import sys, time
from bridge.errors import ConcurrencyError
from bridge.events.store import SQLiteEventStore
from bridge.events.types import StageEntered
store = SQLiteEventStore(sys.argv[1])
go = __import__("pathlib").Path(sys.argv[2])
deadline = time.monotonic() + 20
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit(9)
    time.sleep(0.001)
try:
    store.append("bridge", [StageEntered(stage="PLANNED", trigger=sys.argv[3])], 1)
    print("appended")
except ConcurrencyError:
    print("conflict")
"""


class TestConcurrentProcesses:
    def test_one_of_two_processes_wins(self, tmp_path: Path, repo_root: Path) -> None:
        """Two OS processes appending at the same expected version: one wins, one conflicts."""
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path)
        store.append("bridge", [StageEntered(stage="PLANNED", trigger="first")], 0)
        go = tmp_path / "go"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _RACER, str(path), str(go), name],
                stdout=subprocess.PIPE,
                text=True,
                cwd=repo_root,
            )
            for name in ("a", "b")
        ]
        go.touch()  # release both at once
        outputs = sorted(p.communicate(timeout=60)[0].strip() for p in procs)
        assert outputs == ["appended", "conflict"]
        rows = list(store.read())
        assert [r.version for r in rows] == [1, 2]
        assert rows[1].event.trigger in {"a", "b"}
        assert store.verify() is None
        store.close()


class TestStoreErrors:
    def test_a_file_that_is_not_a_log_is_a_clear_error(self, tmp_path: Path) -> None:
        """Opening a non-database file raises StoreError naming it, not sqlite3's error."""
        from bridge.errors import StoreError

        path = tmp_path / "events.db"
        path.write_bytes(b"this is not sqlite" * 100)
        with pytest.raises(StoreError, match="cannot open the event log"):
            SQLiteEventStore(path)

    def test_locked_log_is_a_clear_error_and_nothing_is_written(self, tmp_path: Path) -> None:
        """A writer holding the lock past the busy timeout gives StoreError, not a traceback."""
        from bridge.errors import StoreError

        path = tmp_path / "events.db"
        store = SQLiteEventStore(path, busy_timeout=0.05)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="could not append"):
                store.append("bridge", [StageEntered(stage="PLANNED", trigger="x")], 0)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.head() == 0
        store.close()


_KILLED_AFTER_DEFERRED = """
import os, signal, sys
from bridge.events.store import SQLiteEventStore
from bridge.events.types import StageEntered
store = SQLiteEventStore(sys.argv[1])
store.append("bridge", [StageEntered(stage="PLANNED", trigger="durable")], 0)
for k in range(3):
    store.append("bridge", [StageEntered(stage="PLANNED", trigger=f"deferred{k}")], None,
                 durable=False)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _witness_seq(path: Path) -> int:
    return int(path.with_name(path.name + ".head").read_text().split()[0])


class TestDeferredDurability:
    def test_deferred_appends_survive_sigkill_and_the_witness_stays_at_the_durable_head(
        self, tmp_path: Path, repo_root: Path
    ) -> None:
        """
        Appends made with durable=False are committed: a SIGKILLed writer loses none of them,
        and the witness (which must never run ahead of what a machine crash keeps) names the
        last durable append, so the log opens without a finding.
        """
        path = tmp_path / "events.db"
        done = subprocess.run(
            [sys.executable, "-c", _KILLED_AFTER_DEFERRED, str(path)], cwd=repo_root, timeout=60
        )
        assert done.returncode == -9
        assert _witness_seq(path) == 1
        store = SQLiteEventStore(path)
        try:
            assert [r.event.trigger for r in store.read()] == [
                "durable", "deferred0", "deferred1", "deferred2"
            ]  # fmt: skip
            assert store.problems() == []
            assert store.verify() is None
        finally:
            store.close()

    def test_close_puts_deferred_appends_on_disk_and_moves_the_witness(
        self, tmp_path: Path
    ) -> None:
        """Closing the store syncs what was deferred; only then does the witness name it."""
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path)
        store.append("bridge", [StageEntered(stage="PLANNED", trigger="a")], 0)
        store.append("bridge", [StageEntered(stage="PLANNED", trigger="b")], 1, durable=False)
        reader = SQLiteEventStore(path)
        try:
            assert [r.event.trigger for r in reader.read()] == ["a", "b"]  # visible at once
        finally:
            reader.close()
        assert _witness_seq(path) == 1
        store.close()
        assert _witness_seq(path) == 2

    def test_a_durable_append_takes_the_deferred_ones_with_it(self, tmp_path: Path) -> None:
        """The WAL is synced whole, so the witness moves past deferred appends at once."""
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path)
        try:
            store.append("bridge", [StageEntered(stage="PLANNED", trigger="a")], 0, durable=False)
            store.append("bridge", [StageEntered(stage="PLANNED", trigger="b")], 1, durable=False)
            assert not path.with_name("events.db.head").exists()
            store.append("bridge", [StageEntered(stage="PLANNED", trigger="c")], 2)
            assert _witness_seq(path) == 3
        finally:
            store.close()


class _StoppingClock:
    """
    The stores' clock, which raises ``stop`` once it is set. An append reads it inside its
    transaction (after the stream's version and the log's head), so a stop there is a stop part
    way through the append, as Ctrl-C or SIGTERM may land.
    """

    def __init__(self) -> None:
        self.stop: BaseException | None = None

    def __call__(self) -> datetime:
        if self.stop is not None:
            raise self.stop
        return datetime.now(UTC)


@pytest.fixture(params=["memory", "sqlite"])
def stopping(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[EventStore, _StoppingClock]]:
    """Each store, holding one event, with a clock the test can make raise."""
    clock = _StoppingClock()
    store: EventStore = (
        InMemoryEventStore(clock=clock)
        if request.param == "memory"
        else SQLiteEventStore(tmp_path / "events.db", clock=clock, busy_timeout=0.05)
    )
    store.append("bridge", [StageEntered(stage="PLANNED", trigger="kept")], 0)
    yield store, clock
    store.close()


def _triggers(store: EventStore) -> list[str]:
    return [r.event.trigger for r in store.read() if isinstance(r.event, StageEntered)]


class TestFailedBatch:
    @pytest.mark.parametrize("stop", [KeyboardInterrupt(), SystemExit(1), RuntimeError("boom")])
    def test_a_stop_inside_an_append_stores_none_of_it_and_the_store_goes_on(
        self, stopping: tuple[EventStore, _StoppingClock], stop: BaseException
    ) -> None:
        """
        The exception comes out unchanged, nothing of the batch is in the log, and the next
        append (a SQLite transaction left open would refuse its BEGIN) is stored after the
        events that were there.
        """
        store, clock = stopping
        clock.stop = stop
        with pytest.raises(type(stop)):
            store.append(
                "bridge", [StageEntered(stage="PLANNED", trigger=f"lost{i}") for i in range(3)], 1
            )
        assert store.head() == 1 and store.stream_version("bridge") == 1
        clock.stop = None
        assert store.append("bridge", [StageEntered(stage="PLANNED", trigger="next")], 1) == 2
        assert _triggers(store) == ["kept", "next"]
        assert store.verify() is None

    def test_an_interrupted_append_lets_go_of_the_write_lock(self, tmp_path: Path) -> None:
        """Another process's store can append at once after Ctrl-C stopped an append."""
        clock = _StoppingClock()
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path, clock=clock)
        other = SQLiteEventStore(path, busy_timeout=0.05)
        try:
            clock.stop = KeyboardInterrupt()
            with pytest.raises(KeyboardInterrupt):
                store.append("bridge", [StageEntered(stage="PLANNED", trigger="lost")], 0)
            assert other.append("bridge", [StageEntered(stage="PLANNED", trigger="other")], 0) == 1
            assert _triggers(store) == ["other"]
        finally:
            other.close()
            store.close()

    def test_a_batch_the_database_refuses_part_way_stores_none_of_it(self, tmp_path: Path) -> None:
        """
        Five events whose third row SQLite refuses (a trigger added to the file): the two rows
        inserted before it go with the rollback, and once the trigger is gone the same batch
        is stored whole.
        """
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path)
        try:
            store.append("bridge", [StageEntered(stage="PLANNED", trigger="kept")], 0)
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute(
                "CREATE TRIGGER refuse_third BEFORE INSERT ON events WHEN NEW.version = 4 "
                "BEGIN SELECT RAISE(ABORT, 'third row refused'); END"
            )
            batch = [StageEntered(stage="PLANNED", trigger=f"b{i}") for i in range(5)]
            # A constraint other than (stream, version) is not a lost race: it is named as
            # the log refusing the append, and nothing of the batch is left behind.
            with pytest.raises(StoreError, match="refused the append: third row refused"):
                store.append("bridge", batch, 1)
            assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1
            conn.execute("DROP TRIGGER refuse_third")
            conn.close()
            assert _triggers(store) == ["kept"]
            assert store.append("bridge", batch, 1) == 6
            assert _triggers(store) == ["kept", "b0", "b1", "b2", "b3", "b4"]
            assert store.verify() is None and store.problems() == []
        finally:
            store.close()
