"""
A test-only entry point: ``Bridge(root).run()`` over an event store that SIGKILLs the process
at one append boundary, so crash tests can stop bridge exactly between two events.

    python -m tests.pipeline.crashing ROOT WHEN:TYPE:STREAM[:N]

``WHEN`` is ``before`` (the append is not made) or ``after`` (it is committed); ``TYPE`` an event
type tag (``run.succeeded``); ``STREAM`` the stream (``run:R1``, ``bridge``) or ``*``; ``N`` the
matching append to stop at (default 1). Exits with ``PASSED`` (5), running nothing, when a point
on a run stream is already in the log. The crash is injected through the store port bridge
already takes (``Bridge(store=...)``): production code has no crash hook.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bridge.events import codec
from bridge.events.store import SQLiteEventStore
from bridge.events.types import Event
from bridge.pipeline import Bridge
from tests.pipeline.forwarding import ForwardingStore


class CrashingStore(ForwardingStore):
    """
    A real SQLite store that kills its process at one chosen append boundary.
    """

    def __init__(self, inner: SQLiteEventStore, spec: str) -> None:
        when, tag, stream, *rest = spec.split(":")
        if stream == "run" and rest:  # "run:R1" split in two
            stream, rest = f"run:{rest[0]}", rest[1:]
        assert when in ("before", "after"), spec
        super().__init__(inner)
        self.when = when
        self.tag = tag
        self.stream = stream
        self.remaining = int(rest[0]) if rest else 1

    def _matches(self, stream: str, events: Sequence[Event]) -> bool:
        if self.stream not in ("*", stream):
            return False
        return any(codec.type_of(evt) == self.tag for evt in events)

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
        hit = self._matches(stream, events)
        if hit:
            self.remaining -= 1
        if hit and self.remaining == 0 and self.when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        version = super().append(
            stream,
            events,
            expected_version,
            causation=causation,
            correlation=correlation,
            durable=durable,
        )
        if hit and self.remaining == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        return version


#: Exit status when a run-stream point was passed already (an earlier append batch held it).
PASSED = 5


def main(root: str, spec: str) -> int:
    store = CrashingStore(SQLiteEventStore(Path(root) / ".bridge" / "events.db"), spec)
    if store.stream.startswith("run:") and any(
        r.type == store.tag for r in store.inner.read(store.stream)
    ):
        store.close()
        return PASSED
    bridge = Bridge(root, store=store)
    try:
        print(bridge.run().value)
    finally:
        bridge.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
