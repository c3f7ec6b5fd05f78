"""
An attempt's state read from its directory and ``/proc``, for an attempt this process is not
watching (adopted from an earlier bridge process, or one whose wrapper has exited).
"""

from __future__ import annotations

from pathlib import Path

from bridge.adapters.backends.local import procfs
from bridge.adapters.backends.local.attempt_files import (
    disk_full,
    finished_state,
    log_tail,
    read_ident,
)
from bridge.adapters.backends.local.spawn import wrapper_arguments
from bridge.machine.ports import JobState, JobStatus

__all__ = ["attempt_state"]


def attempt_state(attempt_dir: Path, *, known: tuple[int, str] | None = None) -> JobState:
    """
    Return the attempt's state from its directory and ``/proc``.

    ``exit_code`` decides a finished attempt (``timed_out`` and ``cancelled`` markers take
    precedence over the code). Without it, the attempt is RUNNING while its wrapper, or any
    process of its group, lives; a pid now held by another process or a zombie counts as
    gone, and gone without an exit code is LOST. A ``launch`` marker without a recorded pid is
    QUEUED while the attempt's wrapper process exists (it records its pid as it starts), and
    LOST at once when none does: the launcher stopped between the marker and the spawn, and
    no process will ever come (only the launcher could start one, and it is gone).
    ``known`` is the wrapper's (pid, start ticks) when the caller has them (the handle
    ``submit`` returned), used while the wrapper has not recorded its own.

    Raises:
        BackendError: ``exit_code`` holds something other than an integer.
    """
    tail = log_tail(attempt_dir)
    finished = finished_state(attempt_dir, tail)
    if finished is not None:
        return finished
    cancelled = (attempt_dir / "cancelled").exists()
    ident = read_ident(attempt_dir) or known
    if ident is None:
        if cancelled:
            return JobState(status=JobStatus.CANCELLED, detail="cancelled before it started")
        if procfs.started_with(wrapper_arguments(attempt_dir)):
            return JobState(status=JobStatus.QUEUED, detail="launching", log_tail=tail)
        # The wrapper may have recorded itself, run and ended between the two looks.
        if read_ident(attempt_dir) is not None or finished_state(attempt_dir, tail) is not None:
            return attempt_state(attempt_dir, known=known)
        return JobState(
            status=JobStatus.LOST,
            detail="the launch was claimed but no process was ever started "
            "(the launcher stopped in between)",
            log_tail=tail,
        )
    pid, start = ident
    if procfs.process_alive(pid, start):
        return JobState(status=JobStatus.RUNNING, log_tail=tail)
    if procfs.group_alive(pid, start):
        return JobState(
            status=JobStatus.RUNNING,
            detail=f"wrapper {pid} is gone without an exit code; its process group still runs",
            log_tail=tail,
        )
    # The wrapper may have written exit_code and exited between the two looks.
    finished = finished_state(attempt_dir, tail)
    if finished is not None:
        return finished
    if cancelled:
        return JobState(status=JobStatus.CANCELLED, detail="killed by cancel", log_tail=tail)
    return JobState(
        status=JobStatus.LOST,
        detail=f"process {pid} ended without recording an exit code "
        + (
            f"(the disk holding {attempt_dir} is full: the wrapper could not write it)"
            if disk_full(attempt_dir)
            else "(killed from outside, or the machine restarted)"
        ),
        log_tail=tail,
    )
