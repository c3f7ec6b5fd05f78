"""
A store that passes the event store port through to another: the base of the tests' stores that
change one thing about a real store (crash at an append, another writer in between, no
snapshots), so each states only what it changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bridge.events.store import EventStore, Recorded
from bridge.events.types import Event


class ForwardingStore:
    """
    The :class:`~bridge.events.store.EventStore` port, every call passed to ``inner`` as it is.
    It offers nothing beyond the port (no snapshots, no ``appended``): a subclass adds what its
    test needs.
    """

    def __init__(self, inner: EventStore) -> None:
        self.inner = inner

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
        return self.inner.append(
            stream, events, expected_version, causation=causation, correlation=correlation,
            durable=durable,
        )  # fmt: skip

    def read(self, stream: str | None = None, after: int = 0) -> Iterator[Recorded]:
        return self.inner.read(stream, after)

    def head(self) -> int:
        return self.inner.head()

    def stream_version(self, stream: str) -> int:
        return self.inner.stream_version(stream)

    def verify(self) -> int | None:
        return self.inner.verify()

    def close(self) -> None:
        self.inner.close()
