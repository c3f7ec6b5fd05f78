"""
:class:`InMemoryEventStore`: the event store in a Python list, a real implementation for tests
and embedders that passes the same contract suite as the SQLite store.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from bridge.events.chain import (
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
)
from bridge.events.clock import Clock, utc_now
from bridge.events.snapshots import InMemorySnapshots, StoredSnapshot
from bridge.events.types import Event

__all__ = ["InMemoryEventStore"]


class InMemoryEventStore:
    """
    The event store in a Python list: a real implementation for tests and embedders.
    """

    def __init__(self, *, clock: Clock = utc_now) -> None:
        self._rows: list[Recorded] = []
        self._versions: dict[str, int] = {}
        self._clock = clock
        self._snapshots = InMemorySnapshots()

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
        See :meth:`EventStore.append` (``durable`` changes nothing in memory).
        """
        encoded, held = encode_all(events)  # refuses secrets before anything is stored
        last = self._rows[-1] if self._rows else None
        rows = chain_rows(
            stream,
            encoded,
            version=self._versions.get(stream, 0),
            expected_version=expected_version,
            head=(last.seq, last.hash) if last else (0, GENESIS_HASH),
            clock=self._clock,
            causation=causation,
            correlation=correlation,
        )
        self._keep(rows, held)
        return rows[-1][2] if rows else self._versions.get(stream, 0)

    def append_streams(self, appends: Sequence[StreamAppend], *, durable: bool = True) -> None:
        """
        See :meth:`~bridge.events.store.AppendsStreams.append_streams` (``durable`` changes
        nothing in memory).
        """
        prepared, held = encode_parts(appends)  # refuses secrets before anything is stored
        last = self._rows[-1] if self._rows else None
        rows = chain_streams(
            prepared,
            version_of=lambda stream: self._versions.get(stream, 0),
            head=(last.seq, last.hash) if last else (0, GENESIS_HASH),
            clock=self._clock,
        )
        self._keep(rows, held)

    def _keep(self, rows: Sequence[Row], held: Sequence[Event]) -> None:
        # What the log holds (``held``: encoding redacts registered secrets and replaces NULs).
        # All rows are built before any is kept, so an append is whole or absent, as in SQLite.
        recorded = [
            make_recorded(row, datetime.fromisoformat(row[5]), evt)
            for row, evt in zip(rows, held, strict=True)
        ]
        self._rows.extend(recorded)
        for row in rows:
            self._versions[row[1]] = row[2]

    def read(self, stream: str | None = None, after: int = 0) -> Iterator[Recorded]:
        """
        See :meth:`EventStore.read`.
        """
        for row in self._rows[after:]:
            if stream is None or row.stream == stream:
                yield row

    def head(self) -> int:
        """
        See :meth:`EventStore.head`.
        """
        return len(self._rows)

    def stream_version(self, stream: str) -> int:
        """
        See :meth:`EventStore.stream_version`.
        """
        return self._versions.get(stream, 0)

    def verify(self) -> int | None:
        """
        See :meth:`EventStore.verify`.
        """
        return first_bad(
            (r.seq, r.stream, r.version, r.type, r.schema_version, r.recorded_at.isoformat(),
             r.causation, r.correlation, r.data, r.prev_hash, r.hash)
            for r in self._rows
        )  # fmt: skip

    def put_snapshot(self, seq: int, fold_version: int, state_format: str, data: bytes) -> None:
        """
        See :meth:`bridge.events.snapshots.SnapshotStore.put_snapshot`.
        """
        log_hash = self._rows[seq - 1].hash if 0 < seq <= len(self._rows) else None
        self._snapshots.put(seq, log_hash, fold_version, state_format, data)

    def snapshots(self) -> Iterator[StoredSnapshot]:
        """
        See :meth:`bridge.events.snapshots.SnapshotStore.snapshots`.
        """
        return self._snapshots.rows({r.seq: r.hash for r in self._rows})

    def discard_snapshots(self, seq: int) -> None:
        """
        See :meth:`bridge.events.snapshots.SnapshotStore.discard_snapshots`.
        """
        self._snapshots.discard(seq)

    def close(self) -> None:
        """
        See :meth:`EventStore.close`.
        """
