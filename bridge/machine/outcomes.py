"""
What one poll's answer means for the log: the pure mapping from a backend's status to run events.

The dispatcher (:mod:`bridge.pipeline.dispatch`) does the I/O: it polls, copies a finished
attempt's results back, lists what came back, appends and cleans up. :func:`poll_outcome`
decides which events record what it saw, from the attempt's view, the backend's answer, the
copy's outcome and the clock, so every outcome can be checked in a table without a backend.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from datetime import datetime
from typing import assert_never

import attrs

from bridge.events import types as ev
from bridge.events.values import Artifact
from bridge.machine.classify import (
    CUDA_ON_CPU,
    is_gpu_oom,
    is_oom,
    killed_by,
    last_error_line,
)
from bridge.machine.ports import JobState, JobStatus
from bridge.machine.views import AttemptView, RunView
from bridge.value_methods import value_methods

__all__ = [
    "FETCH_TRIES",
    "FetchFailed",
    "Fetched",
    "PollOutcome",
    "fetches_results",
    "missing_outputs",
    "poll_outcome",
]

#: Polls that try to copy a finished attempt's results back before it is recorded as failed.
FETCH_TRIES = 3
#: An attempt running longer than this many times its estimate is flagged overdue.
OVERDUE_FACTOR = 2


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Fetched:
    """
    The finished attempt's results were copied into its local attempt directory.

    Attributes:
        local_dir: the local attempt directory, relative to the project root.
        artifacts: what was copied (path, size, sha256).
        outputs: the files under the attempt's ``output`` directory, relative to it. Listed
            only when they are checked: the attempt exited 0 and the run expects outputs.
    """

    local_dir: str
    artifacts: tuple[Artifact, ...] = ()
    outputs: tuple[str, ...] = ()


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class FetchFailed:
    """
    Copying the finished attempt's results back failed on this poll.

    Attributes:
        error: what the backend said.
        tries: how many polls have failed to copy them, this one included.
    """

    error: str
    tries: int


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class PollOutcome:
    """
    The events one poll of a live attempt records, and what the dispatcher does next.

    Attributes:
        events: to append to the run's stream in one go; empty when nothing changed (still
            running as noted, or a failed copy that the next poll tries again).
        results_recorded: the attempt ended and its results are recorded, so its scratch
            directory may go. False after a copy that failed for good (the results are still
            on the backend) and while the attempt is live.
    """

    events: tuple[ev.RunEvent, ...] = ()
    results_recorded: bool = False

    @property
    def succeeded(self) -> bool:
        """
        True when these events end the attempt as a success (its metrics are read next).
        """
        return bool(self.events) and isinstance(self.events[-1], ev.RunSucceeded)


def fetches_results(status: JobStatus) -> bool:
    """
    True when an attempt that ended with ``status`` has results to copy back before the events
    are decided (it ran to an exit or a timeout; a cancelled or lost one has none to trust).
    """
    match status:
        case JobStatus.SUCCEEDED | JobStatus.FAILED | JobStatus.TIMED_OUT:
            return True
        case JobStatus.QUEUED | JobStatus.RUNNING | JobStatus.CANCELLED | JobStatus.LOST:
            return False
        case _:
            assert_never(status)


def missing_outputs(patterns: Sequence[str], present: Sequence[str]) -> list[str]:
    """
    The expected output globs (``outputs =`` in the run's config) that match none of the files
    ``present`` (relative to the attempt's ``output`` directory), in the config's order.
    """
    return [
        pattern for pattern in patterns if not any(fnmatch.fnmatch(f, pattern) for f in present)
    ]


def poll_outcome(
    run: RunView,
    status: JobState,
    now: datetime,
    fetch: Fetched | FetchFailed | None = None,
    *,
    fetch_tries: int = FETCH_TRIES,
) -> PollOutcome:
    """
    The events that record ``status``, the backend's answer about the run's current attempt.

    A live attempt records a change in why the backend's queue holds it and, once, that it runs
    past twice its estimate. An ended one records how it ended, with the GPU time it held
    (``gpu_seconds`` from its start, or its submission when the start was never seen, to
    ``now``): after its results were copied back (``fetch``) when :func:`fetches_results`, and
    as a failure once ``fetch_tries`` polls in a row could not copy them.

    Args:
        run: the run as the log has it; its current attempt is the one polled.
        status: the backend's answer.
        now: the clock's reading at this poll.
        fetch: the outcome of copying the results back; required exactly when
            ``fetches_results(status.status)``.
        fetch_tries: polls that may fail to copy before the attempt fails.

    Raises:
        ValueError: the run has no launched attempt, or ``fetch`` is missing (or given) against
            the contract above.
    """
    attempt = run.current
    if attempt is None or attempt.handle is None:
        raise ValueError(f"run {run.run_id} has no launched attempt to poll")
    if (fetch is not None) != fetches_results(status.status):
        raise ValueError(
            f"{status.status.value}: results are "
            + ("copied back" if fetch is None else "not copied back")
            + " for this status"
        )
    rid, aid = run.run_id, attempt.attempt_id
    started = attempt.started_at or attempt.submitted_at
    gpu_seconds = max((now - started).total_seconds(), 0.0) * max(run.spec.gpus, 0)
    match status.status:
        case JobStatus.QUEUED | JobStatus.RUNNING:
            return PollOutcome(events=_live_events(run, attempt, status, now))
        case JobStatus.SUCCEEDED | JobStatus.FAILED | JobStatus.TIMED_OUT:
            assert fetch is not None
            match fetch:
                case FetchFailed():
                    if fetch.tries < fetch_tries:
                        return PollOutcome()
                    failed = ev.RunFailed(
                        run_id=rid,
                        attempt_id=aid,
                        exit_code=status.exit_code,
                        reason=f"results could not be copied back: {fetch.error}",
                        gpu_seconds=gpu_seconds,
                    )
                    return PollOutcome(events=(failed,))
                case Fetched():
                    fetched = ev.ArtifactsFetched(
                        run_id=rid,
                        attempt_id=aid,
                        local_dir=fetch.local_dir,
                        artifacts=fetch.artifacts,
                    )
                    ended = _ended(run, attempt, status, fetch, gpu_seconds)
                    return PollOutcome(events=(fetched, ended), results_recorded=True)
                case _:
                    assert_never(fetch)
        case JobStatus.CANCELLED:
            cancelled = ev.RunCancelled(
                run_id=rid,
                attempt_id=aid,
                reason=status.detail or "cancelled",
                gpu_seconds=gpu_seconds,
            )
            return PollOutcome(events=(cancelled,), results_recorded=True)
        case JobStatus.LOST:
            lost = ev.RunLost(
                run_id=rid,
                attempt_id=aid,
                reason=status.detail or "process gone without an exit code",
                gpu_seconds=gpu_seconds,
            )
            return PollOutcome(events=(lost,), results_recorded=True)
        case _:
            assert_never(status.status)


def _live_events(
    run: RunView, attempt: AttemptView, status: JobState, now: datetime
) -> tuple[ev.RunEvent, ...]:
    events: list[ev.RunEvent] = []
    rid, aid = run.run_id, attempt.attempt_id
    # Shown in `bridge status`: why the backend's own queue holds the run, when that changed.
    waiting = status.waiting if status.status is JobStatus.QUEUED else ""
    if waiting != attempt.waiting:
        events.append(ev.RunQueueNoted(run_id=rid, attempt_id=aid, waiting=waiting))
    est = run.spec.estimated_minutes
    elapsed = (now - (attempt.started_at or attempt.submitted_at)).total_seconds() / 60.0
    if est and not attempt.overdue and elapsed > OVERDUE_FACTOR * est:
        events.append(
            ev.RunOverdue(
                run_id=rid,
                attempt_id=aid,
                estimated_minutes=est,
                elapsed_minutes=round(elapsed, 3),
            )
        )
    return tuple(events)


def _cuda_on_cpu(run: RunView, attempt: AttemptView, log_tail: str) -> bool:
    """
    Whether an attempt's log says a GPU's memory ran out while the attempt had no GPU: its run
    asked for none and it ran on CPU slots (the local backend's ``local#0:cpu``, whose
    ``CUDA_VISIBLE_DEVICES`` is empty; an SSH host without GPUs). A run that asked for none
    but was given no slots may still use a GPU (an SSH host with GPUs sets no
    ``CUDA_VISIBLE_DEVICES`` then; Modal's deployed function has its own): its log's CUDA
    out of memory is a GPU's, as before.
    """
    return (
        not run.spec.gpus
        and bool(attempt.slots)
        and all(slot.gpu is None for slot in attempt.slots)
        and is_gpu_oom(log_tail)
    )


def _ended(
    run: RunView, attempt: AttemptView, status: JobState, fetch: Fetched, gpu_seconds: float
) -> ev.RunEvent:
    """
    How an attempt whose results came back ended: success (every expected output present),
    failure (out of memory or not, with the log's last error line) or timeout.
    """
    rid, aid = run.run_id, attempt.attempt_id
    peak = status.gpu_memory_peak_mib
    if status.status is JobStatus.TIMED_OUT:
        return ev.RunTimedOut(
            run_id=rid,
            attempt_id=aid,
            timeout_minutes=run.spec.timeout_minutes,
            gpu_seconds=gpu_seconds,
        )
    if status.status is JobStatus.SUCCEEDED:
        missing = missing_outputs(run.spec.outputs, fetch.outputs)
        if not missing:
            return ev.RunSucceeded(
                run_id=rid,
                attempt_id=aid,
                exit_code=0,
                gpu_seconds=gpu_seconds,
                gpu_memory_peak_mib=peak,
                gpu_memory_total_mib=status.gpu_memory_total_mib,
                gpu_memory_unmeasured=status.gpu_memory_unmeasured,
            )
        return ev.RunFailed(
            run_id=rid,
            attempt_id=aid,
            exit_code=status.exit_code,
            reason=f"exit 0 but expected outputs missing: {', '.join(missing)}",
            gpu_seconds=gpu_seconds,
            gpu_memory_peak_mib=peak,
            gpu_memory_total_mib=status.gpu_memory_total_mib,
            gpu_memory_unmeasured=status.gpu_memory_unmeasured,
        )
    line = last_error_line(status.log_tail)
    if _cuda_on_cpu(run, attempt, status.log_tail):
        # The script's own mistake: waiting for GPU memory, as an OOM is retried, cannot help a
        # run that has no GPU (023's R012, gpus = 0 on local CPU slots, printed "CUDA out of
        # memory" and was retried twice 60 s apart as "显存不足", trial t11).
        return ev.RunFailed(
            run_id=rid,
            attempt_id=aid,
            exit_code=status.exit_code,
            reason=(
                f"exit {status.exit_code}: {CUDA_ON_CPU}; its log's last line: "
                f"{line or status.detail}"
            )[:500],
            log_tail=status.log_tail[-2000:],
            gpu_seconds=gpu_seconds,
            gpu_memory_peak_mib=peak,
            gpu_memory_total_mib=status.gpu_memory_total_mib,
            gpu_memory_unmeasured=status.gpu_memory_unmeasured,
        )
    oom = is_oom(status.exit_code, status.log_tail)
    killed = "" if oom else killed_by(status.exit_code)
    # A signal ended it: that is the why; the log's last line is only what it was doing then
    # (006's R009 read "exit 137: starting stratified analysis", trial T1).
    said = f"{killed}; its log's last line: {line}" if killed and line else killed
    # "GPU memory" where the log says a GPU's allocator ran out (a run that asked for none
    # can still use one), or for a run that asked for a GPU; otherwise the host's memory (025's
    # CPU run read "显存不足", GPU memory, in Chinese), as is the kernel's OOM kill (137).
    gpu = is_gpu_oom(status.log_tail) or (bool(run.spec.gpus) and status.exit_code != 137)
    memory = "GPU memory" if gpu else "memory"
    reason = (f"out of {memory}: " if oom else f"exit {status.exit_code}: ") + (
        said or line or status.detail
    )
    return ev.RunFailed(
        run_id=rid,
        attempt_id=aid,
        exit_code=status.exit_code,
        reason=reason[:500],
        oom=oom,
        log_tail=status.log_tail[-2000:],
        gpu_seconds=gpu_seconds,
        gpu_memory_peak_mib=peak,
        gpu_memory_total_mib=status.gpu_memory_total_mib,
        gpu_memory_unmeasured=status.gpu_memory_unmeasured,
    )
