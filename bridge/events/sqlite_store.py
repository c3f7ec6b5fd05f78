"""
:class:`SQLiteEventStore`: the event store in one SQLite file (``.bridge/events.db``), its
schema and append-only triggers, the witness file of the last durable row, and the checks an
open makes before the log is used.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any  # Any: SQLite rows

from bridge.errors import ConcurrencyError, IntegrityError, StoreError
from bridge.events import codec
from bridge.events.chain import (
    COLUMNS,
    GENESIS_HASH,
    Recorded,
    Row,
    StreamAppend,
    chain_rows,
    chain_streams,
    encode_all,
    encode_parts,
    first_bad,
    make_recorded,
    row_hash,
)
from bridge.events.clock import Clock, utc_now
from bridge.events.snapshots import SNAPSHOTS_DDL, SQLiteSnapshots, StoredSnapshot
from bridge.events.transaction import write_transaction
from bridge.events.types import Event

__all__ = ["SQLiteEventStore"]

_BATCH = 2000  # rows per read query: bounded memory, no read transaction held across batches

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _records(rows: Sequence[Row], held: Sequence[Event]) -> list[Recorded]:
    """
    The records an append stored: its rows, each with the event the log holds (``held``, as
    :func:`~bridge.events.chain.encode_all` decoded it back: a registered secret
    ``[redacted]``, a NUL U+FFFD), so a fold of these records never holds what the log does not.
    """
    if not rows:
        return []
    recorded_at = datetime.fromisoformat(rows[0][5])  # one time per append
    return [make_recorded(row, recorded_at, evt) for row, evt in zip(rows, held, strict=True)]


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


# The table as sqlite-utils created it (same text, so old and new logs read the same).
_SCHEMA_TABLE = (
    """CREATE TABLE "events" (
   "seq" INTEGER PRIMARY KEY,
   "stream" TEXT NOT NULL,
   "version" INTEGER NOT NULL,
   "type" TEXT NOT NULL,
   "schema_version" INTEGER NOT NULL,
   "recorded_at" TEXT NOT NULL,
   "causation" TEXT,
   "correlation" TEXT,
   "data" TEXT NOT NULL,
   "prev_hash" TEXT NOT NULL,
   "hash" TEXT NOT NULL
)""",
    """CREATE UNIQUE INDEX "idx_events_stream_version"
    ON "events" ("stream", "version")""",
)
_SCHEMA_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'bridge events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'bridge events are append-only: DELETE refused'); END""",
)
_TRIGGER_NAMES = frozenset({"events_no_update", "events_no_delete"})


def _trigger_text(sql: str) -> str:
    """A trigger's statement as SQLite keeps it, whitespace folded (it drops IF NOT EXISTS)."""
    return " ".join(sql.replace("IF NOT EXISTS ", "").split())


# What bridge's own triggers say: one with an append-only name and other text is not bridge's.
_TRIGGER_TEXTS = {ddl.split()[5]: _trigger_text(ddl) for ddl in _SCHEMA_TRIGGERS}
# Only constants are formatted into SQL; every value travels as a bound parameter.
_INSERT = f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)"  # noqa: S608
_SELECT_ALL = f"SELECT {COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT {_BATCH}"  # noqa: S608
_SELECT_STREAM = (
    f"SELECT {COLUMNS} FROM events WHERE seq > ? AND stream = ? "  # noqa: S608
    f"ORDER BY seq LIMIT {_BATCH}"
)


class SQLiteEventStore:
    """
    The event store in one SQLite file (WAL, ``synchronous=FULL``: a returned append is durable).

    Several processes may append to one file; writers serialise on SQLite's write lock and
    ``UNIQUE(stream, version)`` turns a lost race into :class:`ConcurrencyError`.

    Args:
        path: the database file (``.bridge/events.db``); its folder is created.
        clock: where ``recorded_at`` comes from.
        busy_timeout: seconds to wait for another writer's lock.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Clock = utc_now,
        busy_timeout: float = 30.0,
        check: bool = True,
    ):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.witness = self.path.with_name(self.path.name + ".head")
        self._witness_fd: int | None = None
        self._clock = clock
        self._full_sync = True  # the connection's synchronous setting: FULL (True) or NORMAL
        self._unsynced: tuple[int, str] | None = None  # the newest head not yet fsynced
        self._appended: list[Recorded] = []  # the records of the last append (appended())
        self._as_stored: dict[int, str] = {}  # seq -> note, rows read as stored (read_as_stored)
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE), never implicit.
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, timeout=busy_timeout, check_same_thread=False
        )
        self._snapshots = SQLiteSnapshots(self._conn, str(self.path))
        try:
            self._open_schema(busy_timeout)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: cannot open the event log: {exc}") from exc
        if check:
            problems = self.problems()
            if problems:
                self._conn.close()
                raise IntegrityError(
                    f"{self.path}: {problems[0]}; nothing was done — run `bridge verify` to "
                    "inspect the log",
                    seq=self.head_seq_of(problems[0]),
                )

    def _open_schema(self, busy_timeout: float) -> None:
        # Switching a brand-new file to WAL takes an exclusive lock that SQLite's busy handler
        # does not wait for: two processes opening a new log at once would get "database is
        # locked". The loser retries (bounded by busy_timeout) and then meets the project lock.
        deadline = time.monotonic() + busy_timeout
        delay = 0.005
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=FULL")
                self._create_schema()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                time.sleep(delay)
                delay = min(delay * 2, 0.1)

    def _tables(self) -> set[str]:
        found = self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
            "('events', 'snapshots')"
        ).fetchall()
        return {row[0] for row in found}

    def _create_schema(self) -> None:
        tables = self._tables()
        if "snapshots" not in tables:
            # A log written before snapshots gains the (empty) table; no event row is touched.
            self._conn.execute(SNAPSHOTS_DDL)
        if "events" in tables:
            return  # the common case: an existing log
        with write_transaction(self._conn):
            if "events" not in self._tables():  # another process may have won the race
                for ddl in (*_SCHEMA_TABLE, *_SCHEMA_TRIGGERS):
                    self._conn.execute(ddl)

    def append(
        self,
        stream: str,
        events: Sequence[Event],
        expected_version: int | None,
        *,
        causation: str | None = None,
        correlation: str | None = None,
        durable: bool = True,
    ) -> int:
        """
        See :meth:`EventStore.append`. A durable append commits with ``synchronous=FULL`` (the
        WAL is fsynced at the commit, taking every earlier commit with it); one that is not
        commits with ``synchronous=NORMAL`` (no fsync: the commit is in the WAL, in the OS's
        cache). The witness moves only at durable points, so it never runs ahead of what a
        machine crash keeps.
        """
        encoded, held = encode_all(events)  # refuses secrets before anything is stored

        def build(head: tuple[int, str]) -> list[Row]:
            return chain_rows(
                stream,
                encoded,
                version=self._version(stream),
                expected_version=expected_version,
                head=head,
                clock=self._clock,
                causation=causation,
                correlation=correlation,
            )

        rows = self._store(build, held, durable=durable, what=f"stream {stream!r}")
        return rows[-1][2] if rows else self._version(stream)

    def append_streams(self, appends: Sequence[StreamAppend], *, durable: bool = True) -> None:
        """
        See :meth:`~bridge.events.store.AppendsStreams.append_streams`: one transaction, one
        commit (one fsync when ``durable``), as :meth:`append` makes for one stream.
        """
        prepared, held = encode_parts(appends)  # refuses secrets before anything is stored

        def build(head: tuple[int, str]) -> list[Row]:
            return chain_streams(prepared, version_of=self._version, head=head, clock=self._clock)

        streams = ", ".join(dict.fromkeys(repr(part.stream) for part in appends))
        self._store(build, held, durable=durable, what=f"one of the streams {streams}")

    def _store(
        self,
        build: Callable[[tuple[int, str]], list[Row]],
        held: list[Event],
        *,
        durable: bool,
        what: str,
    ) -> list[Row]:
        """
        Insert the rows ``build`` chains onto the log's head, in one transaction, committed
        with ``synchronous=FULL`` when ``durable`` (the WAL is fsynced at the commit, taking
        every earlier commit with it), else ``synchronous=NORMAL`` (no fsync: the commit is in
        the WAL, in the OS's cache). The witness moves only at durable points, so it never
        runs ahead of what a machine crash keeps. Returns the rows stored. ``what`` names the
        stream(s) in a :class:`ConcurrencyError`.

        Raises:
            ConcurrencyError: a stream moved past its expected version (``build`` raised it, or
                another writer took a (stream, version) meanwhile); nothing is stored.
            StoreError: the log refused the rows or could not be written.
        """
        self._appended = []
        conn = self._conn
        if durable is not self._full_sync:
            conn.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=NORMAL")
            self._full_sync = durable
        try:
            with write_transaction(conn):
                last = conn.execute(
                    "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                rows = build((last[0], last[1]) if last else (0, GENESIS_HASH))
                conn.executemany(_INSERT, rows)
            self._appended = _records(rows, held)
            if rows:
                head = (rows[-1][0], rows[-1][10])
            else:
                head = (last[0], last[1]) if last else (0, GENESIS_HASH)
            if durable:
                self._unsynced = None
                self._note_head(*head)
            else:
                self._unsynced = head
        except sqlite3.IntegrityError as exc:  # rolled back by write_transaction
            if "events.stream, events.version" not in str(exc):
                # Not (stream, version) taken by another writer ("UNIQUE constraint failed:
                # events.stream, events.version"): a constraint the file holds that bridge did
                # not put there (a trigger, a CHECK, another index) refused a row.
                raise StoreError(
                    f"{self.path}: the event log refused the append: {exc}; nothing of it was "
                    "stored — run `bridge verify` to inspect the log"
                ) from exc
            raise ConcurrencyError(f"{what} was appended to concurrently: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: could not append to the event log: {exc}") from exc
        return rows

    def appended(self) -> Sequence[Recorded]:
        """
        See :class:`~bridge.events.store.KeepsAppended`.
        """
        return self._appended

    # -- the log defends itself ------------------------------------------------------------

    def _note_head(self, seq: int, digest: str) -> None:
        # The witness: the newest seq and hash this log is known to have held, kept beside it
        # (written after the commit, so it never runs ahead of the log). A log found shorter
        # than its witness lost rows (a deleted -wal file, a truncated or replaced file). One
        # fixed-width pwrite on a descriptor kept open: a rename per append would cost more
        # than the append (file systems flush a file renamed over another).
        try:
            if self._witness_fd is None:
                self._witness_fd = os.open(self.witness, os.O_WRONLY | os.O_CREAT, 0o644)
            os.pwrite(self._witness_fd, f"{seq:020d} {digest}\n".encode("ascii"), 0)
        except OSError:
            pass  # a witness behind the log is harmless: only one ahead of it is a finding

    def _read_witness(self) -> tuple[int, str] | None:
        try:
            seq, digest = self.witness.read_text(encoding="ascii").split()
            return int(seq), digest
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    @staticmethod
    def head_seq_of(problem: str) -> int | None:
        """
        The seq a problem sentence of :meth:`problems` names (``seq N``), if any.
        """
        found = re.search(r"\bseq (\d+)", problem)
        return int(found.group(1)) if found else None

    def problems(self) -> list[str]:
        """
        The cheap checks every command makes when it opens the log; an empty list when all is
        well. Never raises for a damaged log: what is wrong is the answer.

        Checked: both append-only triggers exist; the last row chains onto the one before it
        (seq, ``prev_hash`` and ``hash``); the log still holds the newest row its witness file
        (``events.db.head``) says it held, with the same hash.
        """
        found: list[str] = []
        # The witness is read before the rows: another process writes it after its commit, so
        # rows read after it include the ones it names (read the other way round, an append
        # landing in between would look like lost rows).
        witness = self._read_witness()
        try:
            texts = self._trigger_texts()
            names = set(texts)
            missing = sorted(_TRIGGER_NAMES - names)
            foreign = _foreign_triggers(texts)
            if missing or foreign:
                # Here, not at the top: only a damaged log needs the words.
                from bridge.plan.overview import counted

                if missing:
                    found.append(
                        f"{counted(len(missing), 'append-only trigger')} ({', '.join(missing)}) "
                        f"{'is' if len(missing) == 1 else 'are'} gone, so rows may have been "
                        "changed or deleted"
                    )
                if foreign:
                    found.append(
                        f"the events table has {counted(len(foreign), 'trigger')} bridge did not "
                        f"create ({', '.join(foreign)}), which could drop or alter what bridge "
                        "appends"
                    )
            last = self._conn.execute(
                f"SELECT {COLUMNS} FROM events ORDER BY seq DESC LIMIT 2"  # noqa: S608
            ).fetchall()
            head = last[0][0] if last else 0
            if last:
                row = last[0]
                prev = last[1][10] if len(last) > 1 else GENESIS_HASH
                prev_seq = last[1][0] if len(last) > 1 else 0
                if row[0] != prev_seq + 1 or row[9] != prev or row_hash(prev, row) != row[10]:
                    found.append(f"the hash chain is broken at its last row, seq {row[0]}")
            if witness is not None:
                seq, digest = witness
                if head < seq:
                    found.append(
                        f"the log ends at seq {head} but held seq {seq} before: rows are lost "
                        "(a deleted events.db-wal, or a truncated or replaced events.db)"
                    )
                else:
                    held = self._conn.execute(
                        "SELECT hash FROM events WHERE seq = ?", (seq,)
                    ).fetchone()
                    if held is None or held[0] != digest:
                        found.append(f"seq {seq} is not the row this log held: history rewritten")
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            found.append(f"the last rows cannot be read ({exc})")
        return found

    def restore_triggers(self) -> tuple[str, ...]:
        """
        Recreate the append-only triggers and drop every other trigger on the events table
        (``bridge verify`` does, once the chain verified); return the dropped triggers' names.
        """
        foreign = tuple(_foreign_triggers(self._trigger_texts()))
        for name in foreign:
            quoted = '"' + name.replace('"', '""') + '"'
            self._conn.execute(f"DROP TRIGGER IF EXISTS {quoted}")
        for ddl in _SCHEMA_TRIGGERS:
            self._conn.execute(ddl)
        return foreign

    def _trigger_texts(self) -> dict[str, str]:
        """Every trigger on the events table: name → its statement as SQLite keeps it."""
        return {
            str(name): str(sql or "")
            for name, sql in self._conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
            )
        }

    def _version(self, stream: str) -> int:
        row = self._conn.execute(
            "SELECT MAX(version) FROM events WHERE stream = ?", (stream,)
        ).fetchone()
        return int(row[0] or 0)

    def _raw(self, stream: str | None, after: int) -> Iterator[tuple[Any, ...]]:
        query = _SELECT_ALL if stream is None else _SELECT_STREAM
        while True:
            params: tuple[Any, ...] = (after, stream) if stream is not None else (after,)
            batch = self._conn.execute(query, params).fetchall()
            yield from batch
            if len(batch) < _BATCH:
                return
            after = batch[-1][0]

    def read(self, stream: str | None = None, after: int = 0) -> Iterator[Recorded]:
        """
        See :meth:`EventStore.read`.
        """
        # Every row read is checked against its own hash (a value edited in place), and a read
        # of the whole log from a seq also against the row before it (a row deleted, or edited
        # and re-hashed): 1–2 µs a row. Rows a snapshot stands for are not read; `bridge
        # verify` checks those, and each snapshot against the fold at its seq.
        decode = codec.decode
        make = make_recorded
        query = _SELECT_ALL if stream is None else _SELECT_STREAM
        execute = self._conn.execute
        last_at = ""
        recorded_at = _EPOCH
        chained = stream is None
        prev = self._hash_at(after) if chained else ""
        expected = after + 1
        while True:
            params: tuple[Any, ...] = (after, stream) if stream is not None else (after,)
            try:
                batch = execute(query, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise StoreError(
                    f"{self.path}: could not read the event log ({exc}); run `bridge verify`"
                ) from exc
            for row in batch:
                if chained:
                    if row[0] != expected or row[9] != prev:
                        raise IntegrityError(
                            f"{self.path}: the hash chain is broken at seq {expected}: a row "
                            "was deleted or changed — run `bridge verify` to inspect the log",
                            seq=expected,
                        )
                    prev = row[10]
                    expected += 1
                if row_hash(row[9], row) != row[10]:
                    raise IntegrityError(
                        f"{self.path}: seq {row[0]} was changed after it was written (it no "
                        "longer matches its hash) — run `bridge verify` to inspect the log",
                        seq=row[0],
                    )
                try:
                    evt = decode(row[3], row[4], row[8])
                except IntegrityError as exc:  # good rows never come here: no cost to them
                    evt = self._decode_as_stored(row, exc)
                if row[5] != last_at:  # a batch append shares one time: parse it once
                    try:
                        recorded_at = datetime.fromisoformat(row[5])
                    except (TypeError, ValueError):
                        raise IntegrityError(
                            f"seq {row[0]}: recorded_at {row[5]!r} is not a time; run "
                            "`bridge verify`",
                            seq=row[0],
                        ) from None
                    last_at = row[5]
                yield make(row, recorded_at, evt)
            if len(batch) < _BATCH:
                return
            after = batch[-1][0]

    def _hash_at(self, seq: int) -> str:
        """The stored hash of row ``seq`` (the genesis hash for 0), for a read after it."""
        if seq <= 0:
            return GENESIS_HASH
        row = self._conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise IntegrityError(
                f"{self.path}: the hash chain is broken at seq {seq}: the row is missing — run "
                "`bridge verify` to inspect the log",
                seq=seq,
            )
        return str(row[0])

    def _decode_as_stored(self, row: tuple[Any, ...], refused: IntegrityError) -> Event:
        # A row an older bridge wrote with an int or bool field holding another kind of JSON
        # reads as it read then (codec.decode_as_stored); anything else stops the read.
        try:
            evt, note = codec.decode_as_stored(row[3], row[4], row[8], refused)
        except IntegrityError as exc:
            raise IntegrityError(f"seq {row[0]}: {exc}", seq=row[0]) from exc
        self._as_stored[row[0]] = note
        return evt

    def read_as_stored(self) -> tuple[tuple[int, str], ...]:
        """
        The rows this store's reads met whose int or bool fields hold JSON of another kind (a
        log written before those fields were checked), each read as stored: ``(seq, note)`` in
        seq order. ``bridge verify`` reports them as notes; appends still refuse such values.
        """
        return tuple(sorted(self._as_stored.items()))

    def head(self) -> int:
        """
        See :meth:`EventStore.head`.
        """
        row = self._conn.execute("SELECT MAX(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def stream_version(self, stream: str) -> int:
        """
        See :meth:`EventStore.stream_version`.
        """
        return self._version(stream)

    def verify(self) -> int | None:
        """
        See :meth:`EventStore.verify`.
        """
        # Text that is not UTF-8 is read with surrogate escapes, so it hashes as wrong (a bad
        # seq) instead of stopping the read.
        self._conn.text_factory = _lenient_text
        try:
            return first_bad(
                (seq, stream, version, tag, schema, at, cause, corr, data, prev, digest)
                for seq, stream, version, tag, schema, at, cause, corr, data, prev, digest in (
                    self._raw(None, 0)
                )
            )
        finally:
            self._conn.text_factory = str

    def put_snapshot(self, seq: int, fold_version: int, state_format: str, data: bytes) -> None:
        """
        See :meth:`bridge.events.snapshots.SnapshotStore.put_snapshot`.
        """
        self._snapshots.put(seq, fold_version, state_format, data)

    def snapshots(self) -> Iterator[StoredSnapshot]:
        """
        See :meth:`bridge.events.snapshots.SnapshotStore.snapshots`.
        """
        return self._snapshots.rows()

    def discard_snapshots(self, seq: int) -> None:
        """
        See :meth:`bridge.events.snapshots.SnapshotStore.discard_snapshots`.
        """
        self._snapshots.discard(seq)

    def close(self) -> None:
        """
        See :meth:`EventStore.close`.
        """
        try:
            self._sync()
        finally:
            if self._witness_fd is not None:
                os.close(self._witness_fd)
                self._witness_fd = None
            self._conn.close()

    def _sync(self) -> None:
        """
        Put the appends made with ``durable=False`` on stable storage (an fsync of the WAL,
        which holds them), then note them in the witness.
        """
        if self._unsynced is None:
            return
        try:
            fd = os.open(f"{self.path}-wal", os.O_RDONLY)
        except FileNotFoundError:
            fd = None  # checkpointed and removed: SQLite synced the database file first
        if fd is not None:
            try:
                os.fsync(fd)
            except OSError as exc:
                raise StoreError(f"{self.path}: could not sync the log to disk: {exc}") from exc
            finally:
                os.close(fd)
        self._note_head(*self._unsynced)
        self._unsynced = None


def _foreign_triggers(texts: Mapping[str, str]) -> list[str]:
    """
    The events table's triggers that are not bridge's, by name: an unknown name, or one of
    bridge's names with other text (``events_no_update`` made to swallow inserts).
    """
    return sorted(
        name for name, sql in texts.items() if _TRIGGER_TEXTS.get(name) != _trigger_text(sql)
    )
