"""
The daemons test fixtures start (the Slurm cluster's munged, slurmctld and slurmd; loopback
sshd) must not outlive pytest, however it ends.

- A normal end: each fixture's teardown stops its daemons.
- SIGTERM (``timeout``, a CI runner cancelling the job): ``tests/conftest.py`` turns it into
  KeyboardInterrupt, and pytest runs the same teardowns before it exits.
- A pytest killed outright (SIGKILL, the OOM killer) runs nothing. For that, a fixture also
  registers its daemons here: the reaper, a small process in a session of its own (so signals
  sent to pytest's process group do not reach it), reads requests on a pipe only pytest holds.
  When the pipe ends without a goodbye (pytest is gone), it calls the cleanup of each daemon
  still registered, newest first, and exits; a fixture that stopped its daemons unregisters
  them, and a pytest that ends normally says goodbye, so nothing is stopped twice.

A cleanup is named ``"module:function"`` with one JSON argument, so the reaper imports and calls
the same code the fixture's teardown does.

    python -m tests.reaper      # the reaper process itself (started by :func:`reaper`)
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

__all__ = ["Reaper", "reaper"]

REPO_ROOT = Path(__file__).resolve().parents[1]


class Reaper:
    """The pytest side: start the reaper, register and unregister cleanups, say goodbye."""

    def __init__(self) -> None:
        # os.pipe() is not inherited by exec'd children: pytest alone holds the write end.
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reaper"],
            stdin=read,
            # Never the pipe a caller reads pytest's output from: that would stay open.
            stdout=subprocess.DEVNULL,
            cwd=REPO_ROOT,
            env=dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)},
            start_new_session=True,
        )
        os.close(read)
        self._pipe: IO[str] = os.fdopen(write, "w", encoding="utf-8")

    def _send(self, message: dict[str, object]) -> None:
        self._pipe.write(json.dumps(message) + "\n")
        self._pipe.flush()

    def register(self, key: str, cleanup: str, argument: object) -> None:
        """
        If pytest dies before :meth:`unregister` (``key``), call ``cleanup`` (``module:function``)
        with ``argument`` (JSON) from the reaper.
        """
        self._send({"add": key, "cleanup": cleanup, "argument": argument})

    def unregister(self, key: str) -> None:
        """The daemons under ``key`` were stopped by their fixture: nothing left to do."""
        self._send({"drop": key})

    def goodbye(self) -> None:
        """pytest is ending normally: the reaper exits without cleaning anything."""
        with contextlib.suppress(OSError, ValueError):
            self._send({"goodbye": True})
            self._pipe.close()
        self.proc.wait(timeout=30)


_REAPER: list[Reaper] = []


def reaper() -> Reaper:
    """The session's reaper, started on first use (``goodbye`` is said at the session's end)."""
    if not _REAPER:
        _REAPER.append(Reaper())
    return _REAPER[0]


def say_goodbye() -> None:
    """End the session's reaper, if one was started, without any cleanup (a normal end)."""
    while _REAPER:
        _REAPER.pop().goodbye()


def _serve() -> int:
    registered: dict[str, tuple[str, object]] = {}
    for line in sys.stdin:
        message = json.loads(line)
        if "goodbye" in message:
            return 0
        if "drop" in message:
            registered.pop(message["drop"], None)
        else:
            registered[message["add"]] = (message["cleanup"], message["argument"])
    # The pipe ended without a goodbye: pytest is gone.
    for key, (cleanup, argument) in reversed(list(registered.items())):
        module, function = cleanup.split(":")
        try:
            getattr(importlib.import_module(module), function)(argument)
        except Exception as error:
            print(f"reaper: cleanup of {key} failed: {error!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
