"""
Tests for the fold's handling of attempts that have already ended.
"""

from __future__ import annotations

import pytest

from bridge.errors import TransitionError
from bridge.events.store import InMemoryEventStore
from bridge.events.types import (
    ArtifactsFetched,
    RunCancelled,
    RunFailed,
    RunPlanned,
    RunRetryScheduled,
    RunSubmitted,
)
from bridge.machine.fold import fold
from bridge.machine.stages import RunState


def _failed_then_pending() -> InMemoryEventStore:
    store = InMemoryEventStore()
    store.append("run:R1", [
        RunPlanned(run_id="R1"),
        RunSubmitted(run_id="R1", attempt_id="a1", attempt=1, backend="x"),
        RunFailed(run_id="R1", attempt_id="a1", exit_code=1),
        RunRetryScheduled(run_id="R1"),
    ], 0)  # fmt: skip
    return store


class TestFolder:
    def test_cancel_naming_an_ended_attempt_is_refused(self) -> None:
        """A cancel naming an attempt that already failed is illegal, naming its seq."""
        store = _failed_then_pending()
        store.append("run:R1", [RunCancelled(run_id="R1", attempt_id="a1")], 4)
        with pytest.raises(TransitionError, match=r"seq 5.*which is pending"):
            fold(store.read())

    def test_cancel_of_a_pending_run_without_attempt_is_legal(self) -> None:
        """Cancelling the pending run itself (no attempt named) still works."""
        store = _failed_then_pending()
        store.append("run:R1", [RunCancelled(run_id="R1", reason="enough")], 4)
        run = fold(store.read()).runs["R1"]
        assert run.state is RunState.CANCELLED
        assert run.attempts[-1].state is RunState.FAILED

    def test_fetching_artifacts_of_an_ended_attempt_is_legal(self) -> None:
        """Artifacts of a failed attempt may still be fetched; the view records where."""
        store = _failed_then_pending()
        store.append("run:R1", [ArtifactsFetched(run_id="R1", attempt_id="a1", local_dir="d")], 4)
        assert fold(store.read()).runs["R1"].attempts[-1].local_dir == "d"


def test_an_attempt_that_ended_is_not_shown_as_queued() -> None:
    """A job held in the backend's queue that ends before a poll sees it leave the queue is
    not 'queued' any more: ending clears the queue note."""
    from bridge.events.types import RunQueueNoted, RunStarted, RunSucceeded
    from bridge.events.values import JobHandle

    store = InMemoryEventStore()
    handle = JobHandle(backend="x", attempt_id="a1", locator={})
    store.append("run:R1", [
        RunPlanned(run_id="R1"),
        RunSubmitted(run_id="R1", attempt_id="a1", attempt=1, backend="x"),
        RunStarted(run_id="R1", attempt_id="a1", handle=handle),
        RunQueueNoted(run_id="R1", attempt_id="a1", waiting="Slurm pending: PartitionDown"),
    ], 0)  # fmt: skip
    assert fold(store.read()).runs["R1"].attempts[-1].waiting.endswith("PartitionDown")
    store.append("run:R1", [RunSucceeded(run_id="R1", attempt_id="a1", exit_code=0)], 4)
    assert fold(store.read()).runs["R1"].attempts[-1].waiting == ""
