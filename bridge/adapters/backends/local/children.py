"""
The wrappers this process launched: reaper threads (one per running child, reused for the next
launch once its child exits), a condition that wakes waiters the moment one exits, and
signalling a whole process group.
"""

from __future__ import annotations

import errno
import os
import queue
import signal
import threading
import time

from bridge.adapters.backends.local import procfs
from bridge.errors import BackendError

__all__ = ["Children", "signal_group"]

_GROUP_RECHECK_SECONDS = 0.05


def signal_group(pgid: int, signum: signal.Signals) -> None:
    """
    Send ``signum`` to process group ``pgid``; a group that is already gone is fine.

    Raises:
        BackendError: not allowed to signal the group, or another error of ``killpg``.
    """
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass
    except PermissionError as exc:
        raise BackendError(f"not allowed to signal process group {pgid}: {exc}") from exc
    except OSError as exc:  # pragma: no cover - other errnos do not occur for killpg
        if exc.errno != errno.ESRCH:
            raise BackendError(f"cannot signal process group {pgid}: {exc}") from exc


class Children:
    """
    The attempt wrappers started by this process, each reaped by a daemon thread.

    Every exit bumps a generation counter under one condition, so a waiter that read the
    generation before looking at its attempts cannot miss an exit that happens in between. A
    reaper whose child exited waits for the next child to reap (a thread start per launch
    cost more CPU than the rest of the launch's bookkeeping); :meth:`forget_ended` ends the
    idle ones.
    """

    def __init__(self) -> None:
        self._pids: dict[str, int] = {}  # attempt id -> wrapper pid
        # Attempt ids of children whose wrapper the reaper thread has seen exit. Until then a
        # child of ours is known to be running without reading /proc (a zombie cannot exist
        # before the reaper's waitpid returns, and another waitpid would race it).
        self._exited: set[str] = set()
        self._changed = threading.Condition()
        self._generation = 0
        # Children handed to an idle reaper; None tells one to end.
        self._jobs: queue.SimpleQueue[tuple[str, int] | None] = queue.SimpleQueue()
        self._idle = 0  # reapers waiting on _jobs (under _changed)

    def watch(self, attempt_id: str, pid: int) -> None:
        """
        Reap our child ``pid`` in a daemon thread (an idle one, else a new one) and wake
        waiters the moment it exits.
        """
        self._pids[attempt_id] = pid
        with self._changed:
            idle = self._idle > 0
            if idle:
                self._idle -= 1
        if idle:
            self._jobs.put((attempt_id, pid))
            return
        thread = threading.Thread(
            target=self._reap, args=(attempt_id, pid), name="bridge-reaper", daemon=True
        )
        thread.start()

    def _reap(self, attempt_id: str, pid: int) -> None:
        while True:
            os.waitpid(pid, 0)
            with self._changed:
                self._exited.add(attempt_id)
                self._generation += 1
                self._idle += 1
                self._changed.notify_all()
            job = self._jobs.get()
            if job is None:
                return
            attempt_id, pid = job

    def launched(self, attempt_id: str) -> bool:
        """
        True when ``attempt_id`` was launched by this object (its exit will wake waiters).
        """
        return attempt_id in self._pids

    def running(self, attempt_id: str) -> bool:
        """
        True when ``attempt_id`` was launched by this object and its wrapper has not exited:
        the wrapper outlives the command, so the attempt is certainly still running.
        """
        return attempt_id in self._pids and attempt_id not in self._exited

    def generation(self) -> int:
        """
        Return the number of exits seen so far (compare with :meth:`wait_for_exit`).
        """
        with self._changed:
            return self._generation

    def wait_for_exit(self, seen: int, timeout: float) -> bool:
        """
        Wait up to ``timeout`` seconds for an exit after generation ``seen``; True when one came.
        """
        with self._changed:
            if self._generation == seen:
                self._changed.wait(timeout)
            return self._generation != seen

    def await_group_end(self, pgid: int, start: str, seconds: float) -> bool:
        """
        Wait up to ``seconds`` for the group to have no live member; True when it has none.
        """
        deadline = time.monotonic() + seconds
        while procfs.group_alive(pgid, start):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            # Our own wrapper's exit notifies the condition; grandchildren are rechecked often.
            with self._changed:
                self._changed.wait(min(remaining, _GROUP_RECHECK_SECONDS))
        return True

    def forget_ended(self) -> None:
        """
        End the reaper threads that wait for a child (those reaping one carry on).
        """
        with self._changed:
            idle, self._idle = self._idle, 0
        for _ in range(idle):
            self._jobs.put(None)
