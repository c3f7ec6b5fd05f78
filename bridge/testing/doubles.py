"""
Public test doubles for code that embeds bridge, in the spirit of ``structlog.testing``.

- :class:`FakeBackend`: a real, in-memory implementation of the
  :class:`bridge.machine.ports.Backend` Protocol. Nothing runs; each launched attempt's outcome
  comes from a script function ``JobSpec -> FakeOutcome``. It passes the same contract suite as
  the local backend (except the cases that need real processes).
- :class:`FakeOutcome`: what a scripted attempt does (exit code, outputs, log, how long it runs).
- :class:`FixedClock`: a clock whose ``now()`` only moves when told to.

Example::

    from bridge.testing import FakeBackend, FakeOutcome

    backend = FakeBackend(lambda spec: FakeOutcome(exit_code=1 if "--bad" in spec.argv else 0))
    handle = backend.submit(spec)
    backend.poll(handle).status   # SUCCEEDED on the first poll (polls=0)
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs

from bridge.errors import BackendError, JobNotFound
from bridge.events.clock import Clock, utc_now
from bridge.machine.ports import (
    Artifact,
    AttemptPlace,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    Slot,
)

__all__ = ["FakeBackend", "FakeOutcome", "FixedClock"]

_FAKE_SLOTS = tuple(Slot(host=f"fake#{k}") for k in range(4))


class FixedClock:
    """
    A clock that stands still until it is set or advanced.

    An instance is a :data:`~bridge.events.clock.Clock` (calling it returns ``now()``), so the
    same one can be given to the event store, the pipeline and :class:`FakeBackend`.

    Args:
        start: the first time ``now()`` returns; must be timezone-aware. Default
            2026-01-01 00:00:00 UTC.

    Raises:
        ValueError: ``start`` is a naive datetime.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = datetime(2026, 1, 1, tzinfo=UTC)
        if start is not None:
            self.set(start)

    def now(self) -> datetime:
        """
        Return the clock's current time (aware, UTC).
        """
        return self._now

    def __call__(self) -> datetime:
        """
        Return :meth:`now`: the clock is itself a :data:`~bridge.events.clock.Clock`.
        """
        return self._now

    def set(self, when: datetime) -> None:
        """
        Move the clock to ``when`` (aware; converted to UTC).

        Raises:
            ValueError: ``when`` is naive.
        """
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError(f"FixedClock needs an aware datetime, got naive {when.isoformat()}")
        self._now = when.astimezone(UTC)

    def advance(self, seconds: float) -> datetime:
        """
        Move the clock forward by ``seconds`` (may be fractional) and return the new time.
        """
        self._now += timedelta(seconds=seconds)
        return self._now


@attrs.frozen(kw_only=True)
class FakeOutcome:
    """
    What a scripted attempt does once launched.

    Attributes:
        exit_code: the exit code it ends with (0: SUCCEEDED, else FAILED).
        outputs: files it writes, path relative to its output directory → content; handed to
            ``fetch_artifacts`` once the attempt ended.
        log: its stdout+stderr text, returned as ``log_tail`` (use it to script OOM messages).
        polls: how many polls answer RUNNING before the attempt ends; ``0`` ends it on the
            first poll; ``None`` keeps it running until cancelled, lost or timed out.
    """

    exit_code: int = 0
    outputs: Mapping[str, str | bytes] = attrs.field(factory=dict)
    log: str = ""
    polls: int | None = 0


@attrs.define
class _Attempt:
    """
    The fake's record of one launched attempt.
    """

    spec: JobSpec
    outcome: FakeOutcome
    started: datetime
    polls_seen: int = 0
    final: JobState | None = None


def _succeeded(_spec: JobSpec) -> FakeOutcome:
    """
    The default script: every attempt succeeds on its first poll and writes nothing.
    """
    return FakeOutcome()


class FakeBackend:
    """
    An in-memory backend whose attempts follow a script; deterministic with a :class:`FixedClock`.

    Args:
        script: called exactly once per launched attempt (never for a repeated submit) with its
            spec; returns what the attempt does. Default: succeed at once, write nothing.
        slots: what ``preflight`` offers; default four CPU slots ``fake#0`` … ``fake#3``.
        clock: measures ``timeout_seconds``; default the real clock.
        name: the backend name put in handles.

    Attributes:
        launches: every spec launched, in order (a repeated submit adds nothing).
        wait_calls: how many times ``wait`` was called.
    """

    def __init__(
        self,
        script: Callable[[JobSpec], FakeOutcome] = _succeeded,
        *,
        slots: Sequence[Slot] = _FAKE_SLOTS,
        clock: Clock | None = None,
        name: str = "fake",
    ) -> None:
        self.name = name
        self.launches: list[JobSpec] = []
        self.wait_calls = 0
        self.released = False
        self._script = script
        self._slots = tuple(slots)
        self._clock: Clock = clock if clock is not None else utc_now
        self._attempts: dict[str, _Attempt] = {}
        self._lock = threading.Lock()

    def preflight(self) -> Sequence[Slot]:
        """
        Return the configured slots.
        """
        return self._slots

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return ``/fake/<place.path>/output``; the fake writes nothing there.
        """
        return f"/fake/{place.path}/output"

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Record the launch and ask the script for its outcome; idempotent on the attempt id.
        """
        with self._lock:
            if spec.attempt_id not in self._attempts:
                self._attempts[spec.attempt_id] = _Attempt(
                    spec=spec, outcome=self._script(spec), started=self._clock()
                )
                self.launches.append(spec)
        return self._handle(spec.attempt_id)

    def poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state, moving a scripted attempt one poll closer to its end.

        Raises:
            JobNotFound: the handle names no attempt of this fake.
        """
        with self._lock:
            attempt = self._get(handle)
            if attempt.final is not None:
                return attempt.final
            timeout = attempt.spec.timeout_seconds
            elapsed = (self._clock() - attempt.started).total_seconds()
            outcome = attempt.outcome
            if timeout is not None and elapsed >= timeout:
                attempt.final = JobState(
                    status=JobStatus.TIMED_OUT,
                    detail="stopped at its timeout",
                    log_tail=outcome.log,
                )
            elif outcome.polls is None or attempt.polls_seen < outcome.polls:
                attempt.polls_seen += 1
                return JobState(status=JobStatus.RUNNING, log_tail=outcome.log)
            else:
                ok = outcome.exit_code == 0
                attempt.final = JobState(
                    status=JobStatus.SUCCEEDED if ok else JobStatus.FAILED,
                    exit_code=outcome.exit_code,
                    detail="" if ok else f"exit code {outcome.exit_code}",
                    log_tail=outcome.log,
                )
            return attempt.final

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Return at once: a fake attempt only changes when polled (or when its clock moves).
        """
        self.wait_calls += 1

    def cancel(self, handle: JobHandle) -> None:
        """
        Mark a running attempt CANCELLED; an ended one stays as it is. Idempotent.

        Raises:
            JobNotFound: the handle names no attempt of this fake.
        """
        with self._lock:
            attempt = self._get(handle)
            if attempt.final is None:
                attempt.final = JobState(status=JobStatus.CANCELLED, detail="stopped by cancel")

    def lose(self, attempt_id: str) -> None:
        """
        Make a running attempt LOST, as if its machine vanished (a test hook; not in the port).

        Raises:
            JobNotFound: no such attempt.
        """
        with self._lock:
            attempt = self._get(self._handle(attempt_id))
            if attempt.final is None:
                attempt.final = JobState(status=JobStatus.LOST, detail="lost (FakeBackend.lose)")

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Write an ended attempt's scripted outputs under ``dest/output/`` and return them.

        A running attempt has produced nothing yet: the answer is empty.

        Raises:
            JobNotFound: the handle names no attempt of this fake.
            BackendError: an output path leaves the output directory.
        """
        with self._lock:
            attempt = self._get(handle)
            outputs = dict(attempt.outcome.outputs) if attempt.final is not None else {}
        base = (Path(dest) / "output").resolve()
        artifacts: list[Artifact] = []
        for name in sorted(outputs):
            target = (base / name).resolve()
            if not target.is_relative_to(base):
                raise BackendError(f"scripted output {name!r} leaves the output directory")
            content = outputs[name]
            data = content.encode() if isinstance(content, str) else content
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            artifacts.append(
                Artifact(
                    path=target.relative_to(Path(dest).resolve()).as_posix(),
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            )
        return artifacts

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Return the handle of the attempt this object launched at ``place``, or ``None``.
        """
        with self._lock:
            attempt = self._attempts.get(place.attempt_id)
            found = attempt is not None and attempt.spec.place.path == place.path
            return self._handle(place.attempt_id) if found else None

    def release(self) -> None:
        """
        Note that the backend was released. Idempotent.
        """
        self.released = True

    def _handle(self, attempt_id: str) -> JobHandle:
        """
        Build the handle of an attempt.
        """
        return JobHandle(backend=self.name, attempt_id=attempt_id, locator={"fake": "1"})

    def _get(self, handle: JobHandle) -> _Attempt:
        """
        Return the record a handle names.
        """
        attempt = self._attempts.get(handle.attempt_id)
        if handle.backend != self.name or attempt is None:
            raise JobNotFound(f"{self.name} backend has no attempt {handle.attempt_id}")
        return attempt
