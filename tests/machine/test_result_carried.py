"""
``run.result_carried``: another run's succeeded attempt stands for a pending run (a row split
into seeds whose one run ran at one of them: 001's R002 at 42 → R002-s42). The fold gives the
run that attempt, its numbers under the run's own id and no GPU time of its own; the fold and
the append guard refuse one that names no succeeded attempt of another run; a snapshot of the
fold before the event existed is not read.
"""

from __future__ import annotations

from typing import Any

import pytest

from bridge.errors import TransitionError
from bridge.events.measurements import MetricValue
from bridge.events.store import InMemoryEventStore
from bridge.events.types import (
    MetricsRecorded,
    RunFailed,
    RunPlanned,
    RunResultCarried,
    RunRetryScheduled,
    RunStarted,
    RunSubmitted,
    RunSucceeded,
)
from bridge.events.values import JobHandle
from bridge.machine.fold import FOLD_VERSION, fold
from bridge.machine.guard import check_append
from bridge.machine.snapshot import encode_state, state_format
from bridge.machine.stages import RunState
from bridge.pipeline import snapshots


def _record(store: InMemoryEventStore, stream: str, *events: Any) -> None:
    store.append(stream, list(events), None)


def _ran(store: InMemoryEventStore, *, succeeded: bool = True) -> None:
    """R002 run once at seed 42 (succeeded with accuracy 0.6, or failed); R002-s42 planned."""
    _record(store, "run:R002", RunPlanned(run_id="R002", seed=42))
    _record(
        store,
        "run:R002",
        RunSubmitted(run_id="R002", attempt_id="R002-a1", attempt=1, backend="local"),
        RunStarted(
            run_id="R002",
            attempt_id="R002-a1",
            handle=JobHandle(backend="local", attempt_id="R002-a1"),
        ),
    )
    if succeeded:
        value = MetricValue(
            run_id="R002",
            attempt_id="R002-a1",
            name="accuracy",
            value=0.6,
            raw="0.6",
            source="m.json",
            sha256="0" * 64,
            rule="json:accuracy",
        )
        _record(
            store,
            "run:R002",
            RunSucceeded(run_id="R002", attempt_id="R002-a1", gpu_seconds=3600),
            MetricsRecorded(run_id="R002", attempt_id="R002-a1", values=(value,)),
        )
    else:
        _record(store, "run:R002", RunFailed(run_id="R002", attempt_id="R002-a1", exit_code=1))
    _record(store, "run:R002-s42", RunPlanned(run_id="R002-s42", seed=42))


_CARRY = RunResultCarried(
    run_id="R002-s42",
    from_run="R002",
    attempt_id="R002-a1",
    reason="R002's result at seed 42, same settings, not run again",
)


def test_the_run_takes_the_attempt_its_numbers_and_no_gpu_time() -> None:
    store = InMemoryEventStore()
    _ran(store)
    _record(store, "run:R002-s42", _CARRY)
    state = fold(store.read())
    run = state.runs["R002-s42"]
    assert run.state is RunState.SUCCEEDED
    assert run.carried == _CARRY and run.reason == _CARRY.reason
    (attempt,) = run.attempts
    assert attempt.attempt_id == "R002-a1" and attempt.gpu_seconds == 0.0
    assert run.metrics is not None and run.metrics.run_id == "R002-s42"
    assert [v.run_id for v in run.metrics.values] == ["R002-s42"]
    assert state.gpu_hours_used == pytest.approx(1.0)  # R002's hour, counted once
    assert state.runs["R002"].metrics is not None  # R002's own record is as it was
    assert state.runs["R002"].metrics.values[0].run_id == "R002"


def test_a_retry_runs_it_after_all() -> None:
    """`bridge retry --force R002-s42`: back to pending, no longer holding R002's result."""
    store = InMemoryEventStore()
    _ran(store)
    _record(store, "run:R002-s42", _CARRY)
    _record(store, "run:R002-s42", RunRetryScheduled(run_id="R002-s42", manual=True))
    run = fold(store.read()).runs["R002-s42"]
    assert run.state is RunState.PENDING and run.carried is None


@pytest.mark.parametrize(
    "carry",
    [
        _CARRY,
        RunResultCarried(run_id="R002-s42", from_run="R002", attempt_id="R002-a9"),
        RunResultCarried(run_id="R002-s42", from_run="R009", attempt_id="R002-a1"),
        RunResultCarried(run_id="R002-s42", from_run="R002-s42", attempt_id="R002-a1"),
    ],
)
def test_no_succeeded_attempt_of_another_run_is_refused(carry: RunResultCarried) -> None:
    """The attempt failed (first case), is not R002's, the run is not planned, or is the run
    itself, which never ran it: the guard refuses it before it is stored, and the fold names
    its seq."""
    store = InMemoryEventStore()
    _ran(store, succeeded=carry is not _CARRY)
    state = fold(store.read())
    with pytest.raises(TransitionError, match="no succeeded attempt of that run"):
        check_append(state, "run:R002-s42", [carry])
    _record(store, "run:R002-s42", carry)
    with pytest.raises(TransitionError, match="no succeeded attempt") as raised:
        fold(store.read())
    assert raised.value.seq == list(store.read())[-1].seq


def test_only_a_pending_run_takes_a_result() -> None:
    store = InMemoryEventStore()
    _ran(store)
    _record(store, "run:R002-s42", _CARRY)
    with pytest.raises(TransitionError, match="no transition 'carry'"):
        check_append(fold(store.read()), "run:R002-s42", [_CARRY])


def test_a_snapshot_of_the_fold_before_carried_results_is_not_read() -> None:
    """Fold version 5 reads run.result_carried (6: a run handed back its own attempt keeps its
    own view): a snapshot a version-4 bridge stored is not resumed (it would not be read either
    under the state's new shape), only replaced."""
    store = InMemoryEventStore()
    _ran(store)
    seq = list(store.read())[-1].seq
    state = fold(store.read())
    store.put_snapshot(seq, 4, state_format(), encode_state(state))
    _record(store, "run:R002-s42", _CARRY)
    loaded = snapshots.load(store)
    assert FOLD_VERSION == 6
    assert (loaded.snapshot_seq, loaded.notes) == (0, ())
    assert loaded.folder.state().runs["R002-s42"].carried == _CARRY
    store.put_snapshot(seq, FOLD_VERSION, state_format(), encode_state(state))
    assert snapshots.load(store).snapshot_seq == seq


def test_a_split_undone_gives_the_row_its_own_attempt_back() -> None:
    """Review r35 (item 2): R002 ran (an hour of GPU time), R002-s42 took its result, then the
    split was undone and R002 took R002-a1 back from R002-s42. Before, R002 held the 0-GPU copy
    under "R002-s42's result" and gpu_hours_used fell from 1.0 to 0.0 (the scheduler budgets
    from it)."""
    store = InMemoryEventStore()
    _ran(store)
    _record(store, "run:R002-s42", _CARRY)
    _record(store, "run:R002", RunRetryScheduled(run_id="R002", manual=True))
    back = RunResultCarried(
        run_id="R002", from_run="R002-s42", attempt_id="R002-a1", reason="its own result"
    )
    check_append(fold(store.read()), "run:R002", [back])
    _record(store, "run:R002", back)
    state = fold(store.read())
    assert state.gpu_hours_used == pytest.approx(1.0)
    run = state.runs["R002"]
    assert run.state is RunState.SUCCEEDED and run.carried is None
    assert [(a.attempt_id, a.gpu_seconds) for a in run.attempts] == [("R002-a1", 3600)]
    assert run.metrics is not None and [v.run_id for v in run.metrics.values] == ["R002"]
    assert run.reason == ""  # as its attempt ended, no other run's result
