"""
A test-only entry point: ``Bridge(root).run()`` over an event store that SIGKILLs the process
at one append boundary, so crash tests can stop bridge exactly between two events.

    python -m tests.pipeline.crashing ROOT WHEN:TYPE:STREAM[:N]

``WHEN`` is ``before`` (the append is not made) or ``after`` (it is committed); ``TYPE`` an event
type tag (``run.succeeded``); ``STREAM`` the stream (``run:R1``, ``bridge``) or ``*``; ``N`` the
matching append to stop at (default 1). Exits with ``PASSED`` (5), running nothing, when a point
on a run stream is already in the log. The crash is injected through the store port bridge
already takes (``Bridge(store=...)``): production code has no crash hook.

    python -m tests.pipeline.crashing --serve

does the same for many points (a test that kills bridge at every boundary in turn): it imports
bridge once, then forks one child per request, so each point costs bridge's work and not
Python's start. Each child is still its own process, SIGKILLed at its point, and starts from
the imported modules only (the server never runs bridge itself). :class:`Crasher` drives it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from bridge.events import codec
from bridge.events.store import Recorded, SQLiteEventStore, StreamAppend
from bridge.events.types import Event
from bridge.pipeline import Bridge
from tests.pipeline.forwarding import ForwardingStore


class CrashingStore(ForwardingStore):
    """
    A real SQLite store that kills its process at one chosen append boundary.
    """

    inner: SQLiteEventStore

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

    def append_streams(self, appends: Sequence[StreamAppend], *, durable: bool = True) -> None:
        # The real store's one-transaction append (a plan's runs and PlanLoaded), one boundary.
        hit = any(self._matches(part.stream, part.events) for part in appends)
        if hit:
            self.remaining -= 1
        if hit and self.remaining == 0 and self.when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        self.inner.append_streams(appends, durable=durable)
        if hit and self.remaining == 0:
            os.kill(os.getpid(), signal.SIGKILL)

    def appended(self) -> Sequence[Recorded]:
        return self.inner.appended()


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


#: How long one child may take before SIGALRM ends it (what ``subprocess.run(timeout=)`` was).
CHILD_SECONDS = 120


def serve() -> int:
    """
    Answer requests on stdin, one JSON line each (``{"root": ..., "spec": ...}``), with one JSON
    line on stdout: the child's ``returncode`` as :mod:`subprocess` gives it (negative for a
    signal) and the end of its output (``stderr``). Each request runs :func:`main` in a child
    forked from this process, which holds only imported modules (no thread, no bridge state).
    """
    assert threading.active_count() == 1, "forking is only safe without other threads"
    for line in sys.stdin:
        request = json.loads(line)
        with tempfile.TemporaryFile() as output:
            pid = os.fork()
            if pid == 0:  # the child: its own process from here on, never returns
                _child(request["root"], request["spec"], output.fileno())
            _, status = os.waitpid(pid, 0)
            output.seek(0)
            said = output.read().decode("utf-8", "replace")
        answer = {"returncode": os.waitstatus_to_exitcode(status), "stderr": said[-4000:]}
        print(json.dumps(answer), flush=True)
    return 0


def _child(root: str, spec: str, output: int) -> None:
    """Run ``main(root, spec)`` in a forked child with its output in ``output``; exit with it."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        signal.alarm(CHILD_SECONDS)
        code = main(root, spec)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class Crasher:
    """
    A ``--serve`` process for one test module: :meth:`crash` runs bridge in a fresh child
    until the store kills it at a point, as ``python -m tests.pipeline.crashing`` would.

    Args:
        repo_root: the checkout under test (the server's cwd and ``PYTHONPATH``).
    """

    def __init__(self, repo_root: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.pipeline.crashing", "--serve"],
            env=dict(os.environ) | {"PYTHONPATH": str(repo_root)},
            cwd=repo_root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def crash(self, root: Path, spec: str) -> tuple[int, str]:
        """Run bridge on ``root`` until ``spec``; its return code and the end of its output."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"root": str(root), "spec": spec}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the crash server ended (exit {self.proc.wait()})"
        answer = json.loads(line)
        return int(answer["returncode"]), str(answer["stderr"])

    def close(self) -> None:
        """End the server (its stdin closed, it exits once the current child is done)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=CHILD_SECONDS)
        self.proc.stdout.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        sys.exit(serve())
    sys.exit(main(sys.argv[1], sys.argv[2]))
