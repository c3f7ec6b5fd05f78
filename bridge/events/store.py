"""
The event store: an append-only, hash-chained log of events in streams.

``SQLiteEventStore`` (the default, one file ``.bridge/events.db``) and ``InMemoryEventStore``
are both real implementations and pass one contract test suite
(:mod:`bridge.testing.store_contract`).

Each stored row — a :class:`Recorded` — carries a global ``seq``, its ``stream`` and per-stream
``version``, the event's type tag, schema version and canonical JSON ``data``, ``recorded_at``,
optional ``causation``/``correlation`` ids, and the hash chain: ``prev_hash`` is the previous row's
``hash`` (64 zeros for the first) and ``hash = sha256(canonical JSON of [prev_hash, seq, stream,
version, type, schema_version, recorded_at, causation, correlation, data])``. Editing any column
of any row breaks the chain at that row, which :meth:`EventStore.verify` reports.

This module holds the :class:`EventStore` protocol and gathers the public names; the chain and
the append path both stores share are in :mod:`bridge.events.chain`, the stores in
:mod:`bridge.events.sqlite_store` and :mod:`bridge.events.memory_store`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from bridge.events.chain import GENESIS_HASH, Recorded, StreamAppend, chain_hash
from bridge.events.memory_store import InMemoryEventStore
from bridge.events.sqlite_store import SQLiteEventStore
from bridge.events.types import Event

__all__ = [
    "GENESIS_HASH",
    "AppendsStreams",
    "EventStore",
    "InMemoryEventStore",
    "KeepsAppended",
    "Recorded",
    "SQLiteEventStore",
    "StreamAppend",
    "chain_hash",
]


class EventStore(Protocol):
    """
    An append-only log of events in streams, with optimistic concurrency per stream.
    """

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
        Append ``events`` to ``stream`` in one transaction and return the stream's new version.

        ``expected_version`` is the version the caller last saw (0 for a new stream); ``None``
        appends whatever the version is. All events are stored, or none.

        With ``durable`` (the default) the events are on stable storage when this returns. With
        ``durable=False`` they are committed — visible to every reader, and kept if the process
        is killed — but reach stable storage with the next durable append or :meth:`close`: a
        machine crash before then can lose them, and only them, as a suffix of the log (never
        a gap). For events a restarted bridge can learn again (a run's start or results, from
        the backend) and that no irreversible act waits on.

        Raises:
            ConcurrencyError: the stream is not at ``expected_version``.
            SecretError: an event carries a secret value (nothing is stored).
        """
        ...

    def read(self, stream: str | None = None, after: int = 0) -> Iterator[Recorded]:
        """
        Yield stored events with ``seq > after`` in ``seq`` order, all streams or one.

        A generator reading in bounded batches: memory stays constant however long the log.
        A stored row whose int or bool field holds JSON of another kind (written before those
        fields were checked) is read as stored, as then
        (:func:`bridge.events.codec.decode_as_stored`).

        Raises:
            IntegrityError: a row does not decode (unknown type, bad data).
        """
        ...

    def head(self) -> int:
        """
        Return the highest ``seq`` stored (0 when empty).
        """
        ...

    def stream_version(self, stream: str) -> int:
        """
        Return the current version of ``stream`` (0 when it has no events).
        """
        ...

    def verify(self) -> int | None:
        """
        Recompute the hash chain; return the first bad ``seq``, or ``None`` when all is well.
        """
        ...

    def close(self) -> None:
        """
        Put every append made with ``durable=False`` on stable storage, then release the
        store's resources. Idempotent.

        Raises:
            StoreError: the log could not be put on stable storage (the resources are released).
        """
        ...


@runtime_checkable
class KeepsAppended(Protocol):
    """
    An event store that hands back the records its own last append stored, so the caller can
    fold them without reading them back (and decoding them) from the log.
    """

    def appended(self) -> Sequence[Recorded]:
        """
        Return the records the last append on this object stored, in ``seq`` order, each with
        its event as the log holds it (what reading it back decodes: where encoding redacted a
        secret or replaced a NUL, not the object given): empty before the first append.
        """
        ...


@runtime_checkable
class AppendsStreams(Protocol):
    """
    An event store that appends to several streams in one transaction: a plan's hundreds of
    new run streams are one commit rather than one each (both stores here do).
    """

    def append_streams(self, appends: Sequence[StreamAppend], *, durable: bool = True) -> None:
        """
        Append each part's events to its stream, the parts in order, as one append: every
        stream's version is checked against its part's expected version, all events are stored
        or none, every row is stamped with one time, and ``durable`` means what it means for
        :meth:`EventStore.append`. A store that also keeps what it appended
        (:class:`KeepsAppended`) hands back every row of the parts.

        Raises:
            ConcurrencyError: a stream is not at its part's expected version.
            SecretError: an event carries a secret value (nothing is stored).
        """
        ...
