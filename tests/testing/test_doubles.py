"""
Tests of the public test doubles in bridge.testing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bridge.events.store import InMemoryEventStore
from bridge.events.types import StageEntered
from bridge.machine.ports import Backend, JobHandle, JobSpec, JobStatus
from bridge.pipeline.layout import ProjectLayout
from bridge.testing import FakeBackend, FakeOutcome, FixedClock
from bridge.testing.backend_contract import BackendContract, fake_script


class TestFakeBackendContract(BackendContract):
    """The fake passes the backend contract (minus the process-restart case)."""

    persistent = False

    def make_backend(self, root: Path) -> Backend:
        return FakeBackend(fake_script)

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        assert isinstance(backend, FakeBackend)
        backend.lose(handle.attempt_id)


def _spec(attempt_id: str = "A1", **kwargs: object) -> JobSpec:
    return JobSpec(place=ProjectLayout.place("R001", attempt_id), argv=("train",), **kwargs)  # type: ignore[arg-type]


class TestFakeBackend:
    """Scripting behaviour of FakeBackend beyond the contract."""

    def test_polls_before_end(self) -> None:
        """An outcome with polls=2 answers RUNNING twice, then its final state."""
        backend = FakeBackend(
            lambda spec: FakeOutcome(exit_code=1, polls=2, log="CUDA out of memory")
        )
        handle = backend.submit(_spec())
        seen = [backend.poll(handle).status for _ in range(3)]
        assert seen == [JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.FAILED]
        assert "CUDA out of memory" in backend.poll(handle).log_tail

    def test_script_called_once_per_attempt(self) -> None:
        """The script runs once per launched attempt, and launches records each spec once."""
        calls: list[str] = []

        def script(spec: JobSpec) -> FakeOutcome:
            calls.append(spec.attempt_id)
            return FakeOutcome()

        backend = FakeBackend(script)
        backend.submit(_spec("A1"))
        backend.submit(_spec("A1"))
        backend.submit(_spec("A2"))
        assert calls == ["A1", "A2"]
        assert [s.attempt_id for s in backend.launches] == ["A1", "A2"]

    def test_timeout_follows_the_clock(self) -> None:
        """With a FixedClock, a held attempt times out exactly when the clock passes its limit."""
        clock = FixedClock()
        backend = FakeBackend(lambda spec: FakeOutcome(polls=None), clock=clock)
        handle = backend.submit(_spec(timeout_seconds=60))
        clock.advance(59.9)
        assert backend.poll(handle).status is JobStatus.RUNNING
        clock.advance(0.1)
        assert backend.poll(handle).status is JobStatus.TIMED_OUT

    def test_outputs_cannot_escape(self, tmp_path: Path) -> None:
        """A scripted output path leaving the output directory is refused on fetch."""
        backend = FakeBackend(lambda spec: FakeOutcome(outputs={"../evil": "x"}))
        handle = backend.submit(_spec())
        backend.poll(handle)
        with pytest.raises(Exception, match="leaves the output directory"):
            backend.fetch_artifacts(handle, tmp_path)

    def test_release_is_idempotent(self) -> None:
        """release() may be called twice."""
        backend = FakeBackend()
        backend.release()
        backend.release()
        assert backend.released


class TestFixedClock:
    """FixedClock stands still until moved."""

    def test_now_is_settable_and_advances(self) -> None:
        """now() returns the set time and advance() moves it by fractional seconds."""
        clock = FixedClock(datetime(2025, 5, 1, 12, tzinfo=UTC))
        assert clock.now() == clock.now() == datetime(2025, 5, 1, 12, tzinfo=UTC)
        clock.advance(1.5)
        assert clock.now() == datetime(2025, 5, 1, 12, tzinfo=UTC) + timedelta(seconds=1.5)

    def test_converts_to_utc(self) -> None:
        """An aware time in another zone is stored as the same instant in UTC."""
        clock = FixedClock(datetime(2025, 5, 1, 20, tzinfo=timezone(timedelta(hours=8))))
        assert clock.now().tzinfo is UTC
        assert clock.now().hour == 12

    def test_naive_is_refused(self) -> None:
        """A naive datetime is refused with ValueError."""
        with pytest.raises(ValueError, match="aware"):
            FixedClock(datetime(2025, 5, 1))

    def test_one_clock_drives_the_store_and_the_fake_backend(self) -> None:
        """A FixedClock is a Clock: the same instance stamps the store's records and measures
        the fake backend's timeouts, and calling it gives now()."""
        clock = FixedClock(datetime(2025, 5, 1, 12, tzinfo=UTC))
        store = InMemoryEventStore(clock=clock)
        store.append("bridge", [StageEntered(stage="PLANNED", trigger="load")], None)
        clock.advance(60)
        assert clock() == clock.now()
        assert [r.recorded_at for r in store.read()] == [datetime(2025, 5, 1, 12, tzinfo=UTC)]
        backend = FakeBackend(lambda spec: FakeOutcome(polls=None), clock=clock)
        handle = backend.submit(_spec(timeout_seconds=30))
        clock.advance(31)
        assert backend.poll(handle).status is JobStatus.TIMED_OUT
