"""
Snapshots of the folded state, kept beside the log so reading a long log starts near its end.

A snapshot is bytes (the fold's state, encoded by :mod:`bridge.machine.snapshot`) keyed by the
``seq`` of the last event folded into it, the log's chain ``hash`` at that seq, the ``fold_version``
and ``state_format`` of the code that took it, and a ``digest`` of all of those. The store keeps
them in a table of their own (``snapshots``, beside ``events``); nothing in ``events`` is ever
changed for them, and a log without the table gains it, empty, when opened.

A snapshot is a cache, never a source: a reader uses one only when it still fits the log and the
code (:meth:`StoredSnapshot.problem`), and ``bridge verify`` folds the whole log and compares
every stored snapshot with the fold at its seq, so an edited snapshot cannot hide an edited event.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import attrs
import orjson

from bridge.errors import StoreError
from bridge.events.transaction import write_transaction
from bridge.value_methods import value_methods

__all__ = [
    "KEEP",
    "SNAPSHOTS_DDL",
    "InMemorySnapshots",
    "SQLiteSnapshots",
    "SnapshotStore",
    "StoredSnapshot",
    "snapshot_digest",
]

#: How many snapshots of the current fold version a store keeps (the newest): one to use, and
#: older ones to fall back on if the newest turns out unusable.
KEEP = 3

SNAPSHOTS_DDL = """CREATE TABLE IF NOT EXISTS snapshots (
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    fold_version INTEGER NOT NULL,
    state_format TEXT NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (seq, fold_version, state_format)
)"""


def snapshot_digest(seq: int, hash: str, fold_version: int, state_format: str, data: bytes) -> str:
    """
    The sha256 binding a snapshot's bytes to its key: a snapshot whose bytes or key were edited
    without recomputing it is found by every reader, not only by ``bridge verify``.
    """
    head = orjson.dumps([seq, hash, fold_version, state_format])
    return hashlib.sha256(head + b"\n" + data).hexdigest()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class StoredSnapshot:
    """
    One stored snapshot, with ``log_hash``: the log's hash at ``seq`` now (None when the log has
    no such seq).
    """

    seq: int
    hash: str
    fold_version: int
    state_format: str
    digest: str
    data: bytes
    log_hash: str | None

    def fits(self, fold_version: int, state_format: str) -> bool:
        """
        True when the snapshot was taken by code that folds as this one does.
        """
        return self.fold_version == fold_version and self.state_format == state_format

    def problem(self) -> str | None:
        """
        Why the snapshot does not match the log or its own digest, or None when it does (whether
        it fits the running code is :meth:`fits`; whether it decodes is the decoder's business).
        """
        if self.log_hash is None:
            return f"the log has no seq {self.seq}"
        if self.log_hash != self.hash:
            return f"it was taken at a log whose hash at seq {self.seq} differs from this log's"
        digest = snapshot_digest(
            self.seq, self.hash, self.fold_version, self.state_format, self.data
        )
        if digest != self.digest:
            return "its content does not match its digest (it was changed after it was taken)"
        return None


@runtime_checkable
class SnapshotStore(Protocol):
    """
    The snapshots of an event store (both :mod:`bridge.events.store` stores have them).
    """

    def put_snapshot(self, seq: int, fold_version: int, state_format: str, data: bytes) -> None:
        """
        Store a snapshot of the state after ``seq``, keyed by the log's hash there. Snapshots of
        other fold versions or formats are dropped, and of this one only the newest :data:`KEEP`
        are kept.

        Raises:
            StoreError: the log has no ``seq``, or the database refused the write.
        """
        ...

    def snapshots(self) -> Iterator[StoredSnapshot]:
        """
        Yield every stored snapshot, newest (highest ``seq``) first.
        """
        ...

    def discard_snapshots(self, seq: int) -> None:
        """
        Remove the snapshots at ``seq`` (``bridge verify`` does, for one that disagrees with
        the log). Never touches an event.

        Raises:
            StoreError: the database refused the write.
        """
        ...


class InMemorySnapshots:
    """
    Snapshots in a dict, for :class:`~bridge.events.store.InMemoryEventStore`.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[int, int, str], StoredSnapshot] = {}

    def put(
        self, seq: int, log_hash: str | None, fold_version: int, state_format: str, data: bytes
    ) -> None:
        """
        See :meth:`SnapshotStore.put_snapshot`; ``log_hash`` is the log's hash at ``seq``.
        """
        if log_hash is None:
            raise StoreError(f"no snapshot at seq {seq}: the log has no such seq")
        digest = snapshot_digest(seq, log_hash, fold_version, state_format, data)
        self._rows[(seq, fold_version, state_format)] = StoredSnapshot(
            seq=seq, hash=log_hash, fold_version=fold_version, state_format=state_format,
            digest=digest, data=data, log_hash=log_hash,
        )  # fmt: skip
        mine = sorted(
            (key for key in self._rows if key[1:] == (fold_version, state_format)), reverse=True
        )
        for key in [k for k in self._rows if k[1:] != (fold_version, state_format)] + mine[KEEP:]:
            del self._rows[key]

    def discard(self, seq: int) -> None:
        """
        See :meth:`SnapshotStore.discard_snapshots`.
        """
        for key in [k for k in self._rows if k[0] == seq]:
            del self._rows[key]

    def rows(self, log_hash_at: dict[int, str]) -> Iterator[StoredSnapshot]:
        """
        See :meth:`SnapshotStore.snapshots`; ``log_hash_at`` maps seqs to the log's hashes.
        """
        for key in sorted(self._rows, reverse=True):
            row = self._rows[key]
            yield attrs.evolve(row, log_hash=log_hash_at.get(row.seq))


_INSERT = (
    "INSERT OR REPLACE INTO snapshots (seq, hash, fold_version, state_format, digest, data) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_PRUNE = (
    "DELETE FROM snapshots WHERE NOT (fold_version = ? AND state_format = ?) OR seq < ("
    "SELECT MIN(seq) FROM (SELECT seq FROM snapshots WHERE fold_version = ? AND state_format = ? "
    "ORDER BY seq DESC LIMIT ?))"
)
_SELECT_KEYS = (
    "SELECT s.seq, s.hash, s.fold_version, s.state_format, s.digest, e.hash "
    "FROM snapshots s LEFT JOIN events e ON e.seq = s.seq ORDER BY s.seq DESC"
)
_SELECT_DATA = "SELECT data FROM snapshots WHERE seq = ? AND fold_version = ? AND state_format = ?"


class SQLiteSnapshots:
    """
    The ``snapshots`` table of :class:`~bridge.events.store.SQLiteEventStore`'s database.

    Args:
        conn: the store's connection (autocommit; transactions are explicit).
        path: the database file, for messages.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self._path = path

    def put(self, seq: int, fold_version: int, state_format: str, data: bytes) -> None:
        """
        See :meth:`SnapshotStore.put_snapshot`.
        """
        conn = self._conn
        # A snapshot is a cache: losing the newest one in a power cut costs a longer fold, so
        # its commit does not wait for the disk (synchronous=NORMAL; WAL keeps the file whole,
        # and its frames are recovered in order, so a snapshot never outlives its events). The
        # level the store's appends set is put back after.
        level = int(conn.execute("PRAGMA synchronous").fetchone()[0])
        conn.execute("PRAGMA synchronous=NORMAL")
        try:
            with write_transaction(conn):
                found = conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
                if found is None:
                    raise StoreError(
                        f"{self._path}: no snapshot at seq {seq}: the log has no such seq"
                    )
                log_hash = found[0]
                digest = snapshot_digest(seq, log_hash, fold_version, state_format, data)
                conn.execute(_INSERT, (seq, log_hash, fold_version, state_format, digest, data))
                conn.execute(_PRUNE, (fold_version, state_format, fold_version, state_format, KEEP))
        except sqlite3.DatabaseError as exc:  # rolled back by write_transaction
            raise StoreError(f"{self._path}: could not store a snapshot: {exc}") from exc
        finally:
            conn.execute(f"PRAGMA synchronous={level}")

    def discard(self, seq: int) -> None:
        """
        See :meth:`SnapshotStore.discard_snapshots`.
        """
        try:
            self._conn.execute("DELETE FROM snapshots WHERE seq = ?", (seq,))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self._path}: could not remove a snapshot: {exc}") from exc

    def rows(self) -> Iterator[StoredSnapshot]:
        """
        See :meth:`SnapshotStore.snapshots`. The keys are read first and each snapshot's bytes
        only when it is reached: a reader that stops at the first usable snapshot reads one.
        """
        try:
            keys = self._conn.execute(_SELECT_KEYS).fetchall()
            for seq, hash_, version, fmt, digest, log_hash in keys:
                found = self._conn.execute(_SELECT_DATA, (seq, version, fmt)).fetchone()
                if found is None:  # pruned by another process meanwhile
                    continue
                data = found[0]
                yield StoredSnapshot(
                    seq=seq, hash=hash_, fold_version=version, state_format=fmt, digest=digest,
                    data=data if isinstance(data, bytes) else str(data).encode("utf-8", "replace"),
                    log_hash=log_hash,
                )  # fmt: skip
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self._path}: could not read the snapshots ({exc})") from exc
