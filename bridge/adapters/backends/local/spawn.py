"""
Starting an attempt's wrapper (``wrapper.sh``) detached, in its own session, with its own
environment: the one place the local backend creates processes.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Mapping, Sequence
from pathlib import Path

from bridge.plan.handed_over import split_env

__all__ = [
    "SYNC_AFTER_SECONDS",
    "WRAPPER_PATH",
    "environment",
    "spawn_wrapper",
    "wrapper_arguments",
]

#: The attempt wrapper, a POSIX shell script run by ``/bin/sh``.
WRAPPER_PATH = Path(__file__).with_name("wrapper.sh")
_SHELL = "/bin/sh"
_LOG_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_APPEND
_CATCHABLE_SIGNALS = frozenset(signal.valid_signals()) - {signal.SIGKILL, signal.SIGSTOP}
#: A command that ran this many seconds or more has its exit code fsynced by the wrapper: a
#: machine crash just after it ended then cannot lose it. A shorter run, which a crash would
#: only make run again, does not pay for the fsync (a helper process and, on a disk, about
#: 8 ms on the slot before the next run can start).
SYNC_AFTER_SECONDS = 10


def environment(extra: Mapping[str, str], withheld: frozenset[str]) -> dict[str, str]:
    """
    The attempt's environment: bridge's own, less ``withheld``, plus the run's ``extra``.
    A value written ``${NAME}`` is bridge's ``NAME`` (unset: empty; ``bridge run`` refuses that
    before any launch), so a credential can be handed to a run without writing it into
    ``bridge.toml`` or the log.
    """
    literal, handed = split_env(extra, os.environ)
    return {**{k: v for k, v in os.environ.items() if k not in withheld}, **literal, **handed}


def wrapper_arguments(attempt_dir: Path) -> tuple[str, str]:
    """
    The first arguments ``/bin/sh`` is given for the attempt in ``attempt_dir``: the wrapper
    script and the attempt directory, which together name the attempt's wrapper process.
    """
    return str(WRAPPER_PATH), str(attempt_dir)


def spawn_wrapper(
    attempt_dir: Path,
    cwd: Path,
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    timeout_seconds: float | None,
    kill_grace_seconds: float,
) -> int:
    """
    Start ``wrapper.sh`` for one attempt as the leader of a new session and return its pid.

    Standard input is ``/dev/null``; standard output and error append to the attempt
    directory's ``stdout.log`` and ``stderr.log``. The argv reaches the wrapper as arguments,
    never as shell text.

    Raises:
        OSError: the wrapper could not be started.
    """
    # A POSIX shell script, not Python: it starts in about 1 ms, so a run's command starts
    # as soon as its slot is given.
    timeout = "" if timeout_seconds is None else repr(float(timeout_seconds))
    command = [
        _SHELL,
        *wrapper_arguments(attempt_dir),
        str(cwd),
        timeout,
        repr(float(kill_grace_seconds)),
        str(SYNC_AFTER_SECONDS),
        *argv,
    ]
    # posix_spawn rather than subprocess: it resets every signal to its default action
    # (a shell cannot undo a signal ignored before it started, as under nohup), and it
    # starts the new session itself. The wrapper enters the working directory.
    return os.posix_spawn(
        _SHELL,
        command,
        env,
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, str(attempt_dir / "stdout.log"), _LOG_FLAGS, 0o644),
            (os.POSIX_SPAWN_OPEN, 2, str(attempt_dir / "stderr.log"), _LOG_FLAGS, 0o644),
        ],
        setsid=True,
        setsigdef=_CATCHABLE_SIGNALS,
    )
