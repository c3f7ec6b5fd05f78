"""
Tests for the pure poll → events mapping (``poll_outcome``): one row per outcome a backend can
report, over runs folded from a real in-memory log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from bridge.events import types as ev
from bridge.events.store import InMemoryEventStore
from bridge.events.values import JobHandle
from bridge.machine.fold import RunView, fold
from bridge.machine.outcomes import (
    FETCH_TRIES,
    Fetched,
    FetchFailed,
    PollOutcome,
    fetches_results,
    missing_outputs,
    poll_outcome,
)
from bridge.machine.ports import JobState, JobStatus

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = T0 + timedelta(minutes=90)  # the attempt started at T0: 90 minutes of 2 GPUs
GPU_SECONDS = 90 * 60 * 2.0
AID = "R1-a1"
FETCHED = Fetched(local_dir=".bridge/runs/R1/R1-a1")


class Clock:
    """
    A clock the test moves by hand, so the log's timestamps are known.
    """

    def __init__(self) -> None:
        self.at = T0

    def __call__(self) -> datetime:
        return self.at


def running(*later: ev.RunEvent, **spec: Any) -> RunView:
    """
    Run R1 (2 GPUs, estimate 60 min, timeout 120 min unless ``spec`` says otherwise) submitted
    and started at T0, then ``later`` events, folded from a real log.
    """
    clock = Clock()
    store = InMemoryEventStore(clock=clock)
    fields: dict[str, Any] = {"gpus": 2, "estimated_minutes": 60.0, "timeout_minutes": 120.0}
    store.append("run:R1", [ev.RunPlanned(run_id="R1", **(fields | spec))], None)
    store.append(
        "run:R1",
        [
            ev.RunSubmitted(run_id="R1", attempt_id=AID, attempt=1, backend="fake"),
            ev.RunStarted(
                run_id="R1", attempt_id=AID, handle=JobHandle(backend="fake", attempt_id=AID)
            ),
        ],
        None,
    )
    if later:
        clock.at = T0 + timedelta(minutes=1)
        store.append("run:R1", list(later), None)
    return fold(store.read()).runs["R1"]


def artifacts_fetched() -> ev.ArtifactsFetched:
    return ev.ArtifactsFetched(run_id="R1", attempt_id=AID, local_dir=FETCHED.local_dir)


OOM_LOG = "step 10\nRuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n"
HOST_OOM_LOG = "step 10\nRuntimeError: out of memory (malloc of 8 GiB)\n"
TRACEBACK = "Traceback (most recent call last):\n  File 'train.py'\nValueError: bad lr\n"

# (name, run's spec changes, backend's answer, copy's outcome, expected outcome)
ROWS: list[tuple[str, dict[str, Any], JobState, Fetched | FetchFailed | None, PollOutcome]] = [
    (
        "ok",
        {},
        JobState(status=JobStatus.SUCCEEDED, exit_code=0, gpu_memory_peak_mib=4096),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunSucceeded(
                    run_id="R1",
                    attempt_id=AID,
                    gpu_seconds=GPU_SECONDS,
                    gpu_memory_peak_mib=4096,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "ok, every expected output present",
        {"outputs": ("metrics.json", "ckpt/*.pt")},
        JobState(status=JobStatus.SUCCEEDED, exit_code=0),
        attrs.evolve(FETCHED, outputs=("metrics.json", "ckpt/last.pt")),
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunSucceeded(run_id="R1", attempt_id=AID, gpu_seconds=GPU_SECONDS),
            ),
            results_recorded=True,
        ),
    ),
    (
        "exit 0 but an expected output missing",
        {"outputs": ("metrics.json", "ckpt/*.pt")},
        JobState(status=JobStatus.SUCCEEDED, exit_code=0),
        attrs.evolve(FETCHED, outputs=("metrics.json",)),
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=0,
                    reason="exit 0 but expected outputs missing: ckpt/*.pt",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "failed with an exit code",
        {},
        JobState(status=JobStatus.FAILED, exit_code=1, log_tail=TRACEBACK),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=1,
                    reason="exit 1: ValueError: bad lr",
                    log_tail=TRACEBACK,
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "failed with no error line in the log: the backend's detail",
        {},
        JobState(status=JobStatus.FAILED, exit_code=2, detail="vendor: container error"),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=2,
                    reason="exit 2: vendor: container error",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "CUDA out of memory",
        {},
        JobState(status=JobStatus.FAILED, exit_code=1, log_tail=OOM_LOG),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=1,
                    reason="out of GPU memory: RuntimeError: CUDA out of memory. "
                    "Tried to allocate 2.00 GiB",
                    oom=True,
                    log_tail=OOM_LOG,
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        # 025 (trial t6): a run that asked for no GPU read "显存不足" (GPU memory) in Chinese.
        "out of memory with no GPU asked",
        {"gpus": 0},
        JobState(status=JobStatus.FAILED, exit_code=1, log_tail=HOST_OOM_LOG),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=1,
                    reason="out of memory: RuntimeError: out of memory (malloc of 8 GiB)",
                    oom=True,
                    log_tail=HOST_OOM_LOG,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        # Review r33: a run that asked for no GPU can use one all the same (the ssh backend sets
        # no CUDA_VISIBLE_DEVICES without slots); CUDA's own message says whose memory it was.
        "CUDA out of memory with no GPU asked",
        {"gpus": 0},
        JobState(status=JobStatus.FAILED, exit_code=1, log_tail=OOM_LOG),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=1,
                    reason="out of GPU memory: RuntimeError: CUDA out of memory. "
                    "Tried to allocate 2.00 GiB",
                    oom=True,
                    log_tail=OOM_LOG,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "killed by the kernel's OOM killer (exit 137)",
        {},
        JobState(status=JobStatus.FAILED, exit_code=137, log_tail="Killed\n"),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=137,
                    reason="out of memory: Killed",
                    oom=True,
                    log_tail="Killed\n",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        # 006's R009 (trial T1): a signal, not its last progress line, is why it ended.
        "killed by a signal while it printed progress",
        {},
        JobState(status=JobStatus.FAILED, exit_code=137, log_tail="starting stratified analysis\n"),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=137,
                    reason="exit 137: killed by SIGKILL (the kernel's OOM killer also sends "
                    "this); its log's last line: starting stratified analysis",
                    log_tail="starting stratified analysis\n",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "timed out",
        {},
        JobState(status=JobStatus.TIMED_OUT, exit_code=None),
        FETCHED,
        PollOutcome(
            events=(
                artifacts_fetched(),
                ev.RunTimedOut(
                    run_id="R1",
                    attempt_id=AID,
                    timeout_minutes=120.0,
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "cancelled from outside (scancel by an admin)",
        {},
        JobState(status=JobStatus.CANCELLED, detail="slurm: CANCELLED by 1001"),
        None,
        PollOutcome(
            events=(
                ev.RunCancelled(
                    run_id="R1",
                    attempt_id=AID,
                    reason="slurm: CANCELLED by 1001",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "cancelled, no reason given",
        {},
        JobState(status=JobStatus.CANCELLED),
        None,
        PollOutcome(
            events=(
                ev.RunCancelled(
                    run_id="R1", attempt_id=AID, reason="cancelled", gpu_seconds=GPU_SECONDS
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "preempted / node failure: lost with the backend's reason",
        {},
        JobState(status=JobStatus.LOST, detail="slurm: NODE_FAIL"),
        None,
        PollOutcome(
            events=(
                ev.RunLost(
                    run_id="R1",
                    attempt_id=AID,
                    reason="slurm: NODE_FAIL",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "lost, no reason given",
        {},
        JobState(status=JobStatus.LOST),
        None,
        PollOutcome(
            events=(
                ev.RunLost(
                    run_id="R1",
                    attempt_id=AID,
                    reason="process gone without an exit code",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
            results_recorded=True,
        ),
    ),
    (
        "CPU run: no GPU time",
        {"gpus": 0},
        JobState(status=JobStatus.LOST),
        None,
        PollOutcome(
            events=(
                ev.RunLost(run_id="R1", attempt_id=AID, reason="process gone without an exit code"),
            ),
            results_recorded=True,
        ),
    ),
    (
        "results not copied back, tries left: nothing yet, the next poll tries again",
        {},
        JobState(status=JobStatus.SUCCEEDED, exit_code=0),
        FetchFailed(error="rsync: connection reset", tries=FETCH_TRIES - 1),
        PollOutcome(),
    ),
    (
        "results not copied back on the last try: failed, scratch kept",
        {},
        JobState(status=JobStatus.SUCCEEDED, exit_code=0),
        FetchFailed(error="rsync: connection reset", tries=FETCH_TRIES),
        PollOutcome(
            events=(
                ev.RunFailed(
                    run_id="R1",
                    attempt_id=AID,
                    exit_code=0,
                    reason="results could not be copied back: rsync: connection reset",
                    gpu_seconds=GPU_SECONDS,
                ),
            ),
        ),
    ),
    (
        "queued by the backend, with why",
        {"estimated_minutes": None},
        JobState(status=JobStatus.QUEUED, waiting="PartitionDown"),
        None,
        PollOutcome(
            events=(ev.RunQueueNoted(run_id="R1", attempt_id=AID, waiting="PartitionDown"),)
        ),
    ),
    (
        "queued without a reason: nothing to note",
        {"estimated_minutes": None},
        JobState(status=JobStatus.QUEUED),
        None,
        PollOutcome(),
    ),
    (
        "running past twice its estimate: flagged overdue",
        {"estimated_minutes": 40.0},
        JobState(status=JobStatus.RUNNING),
        None,
        PollOutcome(
            events=(
                ev.RunOverdue(
                    run_id="R1", attempt_id=AID, estimated_minutes=40.0, elapsed_minutes=90.0
                ),
            )
        ),
    ),
    (
        "running within twice its estimate",
        {"estimated_minutes": 45.0},
        JobState(status=JobStatus.RUNNING),
        None,
        PollOutcome(),
    ),
]


@pytest.mark.parametrize(
    ("spec", "status", "fetch", "expected"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_each_outcome_records_its_events(
    spec: dict[str, Any],
    status: JobState,
    fetch: Fetched | FetchFailed | None,
    expected: PollOutcome,
) -> None:
    """Each answer a backend gives about a running attempt records exactly these events."""
    assert poll_outcome(running(**spec), status, NOW, fetch) == expected


class TestLiveNotes:
    def test_a_queue_reason_that_cleared_is_noted_once(self) -> None:
        """An attempt noted as held by the queue and now running records the hold cleared."""
        noted = ev.RunQueueNoted(run_id="R1", attempt_id=AID, waiting="Priority")
        run = running(noted, estimated_minutes=None)
        outcome = poll_outcome(run, JobState(status=JobStatus.RUNNING), NOW)
        assert outcome.events == (ev.RunQueueNoted(run_id="R1", attempt_id=AID, waiting=""),)

    def test_the_same_queue_reason_is_not_noted_again(self) -> None:
        """A hold already noted with the same reason records nothing."""
        noted = ev.RunQueueNoted(run_id="R1", attempt_id=AID, waiting="Priority")
        run = running(noted, estimated_minutes=None)
        status = JobState(status=JobStatus.QUEUED, waiting="Priority")
        assert poll_outcome(run, status, NOW) == PollOutcome()

    def test_an_overdue_attempt_is_flagged_once(self) -> None:
        """An attempt already flagged overdue is not flagged again on later polls."""
        flagged = ev.RunOverdue(
            run_id="R1", attempt_id=AID, estimated_minutes=10.0, elapsed_minutes=21.0
        )
        run = running(flagged, estimated_minutes=10.0)
        assert poll_outcome(run, JobState(status=JobStatus.RUNNING), NOW) == PollOutcome()

    def test_a_queue_change_and_overdue_are_recorded_together(self) -> None:
        """One poll can record both a new queue reason and the overdue flag, in one append."""
        run = running(estimated_minutes=10.0)
        status = JobState(status=JobStatus.QUEUED, waiting="Resources")
        assert [type(e) for e in poll_outcome(run, status, NOW).events] == [
            ev.RunQueueNoted,
            ev.RunOverdue,
        ]


class TestContract:
    def test_only_a_success_counts_as_succeeded(self) -> None:
        """``succeeded`` is true for a success and false for every other ending or none."""
        outcomes = {row[0]: poll_outcome(running(**row[1]), row[2], NOW, row[3]) for row in ROWS}
        assert [name for name, o in outcomes.items() if o.succeeded] == [
            "ok",
            "ok, every expected output present",
        ]

    @pytest.mark.parametrize("status", list(JobStatus))
    def test_a_copy_outcome_is_required_exactly_when_results_are_copied(
        self, status: JobStatus
    ) -> None:
        """Passing a copy outcome for a status that copies none (or none for one that does)
        is refused, not ignored."""
        wrong = None if fetches_results(status) else FETCHED
        with pytest.raises(ValueError, match=status.value):
            poll_outcome(running(), JobState(status=status), NOW, wrong)

    def test_a_run_never_launched_cannot_be_polled(self) -> None:
        """A pending run has no attempt to poll: refused with the run named."""
        store = InMemoryEventStore()
        store.append("run:R9", [ev.RunPlanned(run_id="R9")], None)
        run = fold(store.read()).runs["R9"]
        with pytest.raises(ValueError, match="run R9 has no launched attempt"):
            poll_outcome(run, JobState(status=JobStatus.LOST), NOW)

    def test_missing_outputs_keeps_the_configs_order(self) -> None:
        """Unmatched globs are listed in the order the config gives them."""
        assert missing_outputs(("b.txt", "*.json", "a.txt"), ("x.json",)) == ["b.txt", "a.txt"]
