"""
The attempt wrapper: runs one attempt's command and records how it ended, on disk.

Run as a file, never imported by the running job::

    python3 -I -S _wrapper.py ATTEMPT_DIR [--timeout SECONDS] [--grace SECONDS] [-- ARGV...]

It must be started as the leader of a new session (``start_new_session=True`` or ``setsid``),
with stdout/stderr already pointing at the attempt's log files. It:

1. records its own pid and start time (``pid``, ``pid.start``),
2. runs the argv given after ``--`` (or, without ``--``, the list in ``ATTEMPT_DIR/argv.json``),
   never through a shell, in the wrapper's process group, with the environment and working
   directory it was given,
3. waits; on ``--timeout`` it writes the ``timed_out`` marker, sends SIGTERM to the group,
   and SIGKILL after ``--grace`` seconds,
4. writes the exit code to ``exit_code`` atomically (temporary file, fsync, rename):
   the child's status, 128+N when signal N killed it, 127 when the command does not exist,
   126 when it cannot be executed.

So the attempt's outcome never depends on the process that launched it staying alive. The
wrapper ignores SIGTERM/SIGINT/SIGHUP sent to its group (the command gets them and dies; the
wrapper then records the exit code). This file uses only the standard library and Python 3.8
syntax so it can be copied to a remote host and run with that host's ``python3``.

It starts once per attempt and its start-up delays the command, so it imports only ``os``,
``signal``, ``sys`` and ``time`` (``json`` only for ``argv.json``): no ``subprocess`` or
``pathlib``, which would double its start-up time.
"""

# Plain os.path on purpose: importing pathlib would add to every attempt's start-up.
# ruff: noqa: PTH105, PTH110, PTH118, PTH123

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType

_NOT_FOUND = 127
_NOT_EXECUTABLE = 126
# Signals the command gets back at their default action: the wrapper catches the first three,
# and Python ignores SIGPIPE and SIGXFSZ (as subprocess's restore_signals does).
_DEFAULT_SIGNALS = (
    signal.SIGTERM,
    signal.SIGINT,
    signal.SIGHUP,
    signal.SIGPIPE,
    signal.SIGXFSZ,
)


def _write_atomic(path: str, text: str, durable: bool = True) -> None:
    """
    Write ``text`` to ``path`` so that readers see either nothing or the whole text; with
    ``durable``, fsync first so it also survives a machine crash (the pid need not: a machine
    crash ends the attempt, and the exit code is what must not be lost).
    """
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(tmp, path)


def _start_ticks(pid: int) -> str:
    """
    Return the start time of ``pid`` in clock ticks (field 22 of /proc/<pid>/stat), or "".
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return ""
    return text[text.rfind(")") + 2 :].split()[19]


def _say(message: str) -> None:
    """
    Write one line to the attempt's stderr log, marked as the wrapper's.
    """
    sys.stderr.write(f"[bridge wrapper] {message}\n")
    sys.stderr.flush()


def _ignore(signum: int, frame: FrameType | None) -> None:
    """
    Keep the wrapper alive when its group is signalled: it must outlive the command to record
    the exit code. A Python handler (unlike SIG_IGN) is reset to the default on exec, so the
    command itself still receives these signals normally.
    """


def _exit_status(status: int) -> int:
    """
    Map a ``waitpid`` status to the shell convention: the exit code, or 128+N for signal N.
    """
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _wait(pid: int, timeout: float | None) -> int | None:
    """
    Wait for ``pid`` and return its ``waitpid`` status, or None when ``timeout`` passed first.

    Without a timeout this blocks in ``waitpid``; with one it polls, sleeping at most 50 ms
    between looks (as ``subprocess`` does).
    """
    if timeout is None:
        return os.waitpid(pid, 0)[1]
    deadline = time.monotonic() + timeout
    delay = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        delay = min(delay * 2, remaining, 0.05)
        time.sleep(delay)


def _parse(args: list[str]) -> tuple[str, float | None, float, list[str] | None]:
    """
    Parse ``ATTEMPT_DIR [--timeout S] [--grace S] [-- ARGV...]``.
    """
    if not args:
        raise SystemExit(
            "usage: _wrapper.py ATTEMPT_DIR [--timeout SECONDS] [--grace SECONDS] [-- ARGV...]"
        )
    attempt_dir, timeout, grace = args[0], None, 5.0
    argv = None
    rest = args[1:]
    while rest:
        if rest[0] == "--":
            argv = rest[1:]
            break
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--timeout":
            timeout = float(value)
        elif flag == "--grace":
            grace = float(value)
        else:
            raise SystemExit(f"unknown option {flag}")
    return attempt_dir, timeout, grace, argv


def _read_argv(attempt_dir: str) -> list[str]:
    """
    Read the command from ``argv.json`` (when it was not given after ``--``).
    """
    import json

    with open(os.path.join(attempt_dir, "argv.json"), encoding="utf-8") as handle:
        argv: list[str] = json.load(handle)
    return argv


def main(args: list[str]) -> int:
    """
    Run the attempt in ``args[0]`` and record its exit code; return the wrapper's own status.
    """
    attempt_dir, timeout, grace, argv = _parse(args)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _ignore)
    pid = os.getpid()
    _write_atomic(os.path.join(attempt_dir, "pid.start"), _start_ticks(pid) + "\n", False)
    _write_atomic(os.path.join(attempt_dir, "pid"), f"{pid}\n", False)
    exit_path = os.path.join(attempt_dir, "exit_code")

    if os.path.exists(os.path.join(attempt_dir, "cancelled")):
        # cancel() came between the launch and now: honour it rather than start the command.
        _say("cancelled before the command started")
        _write_atomic(exit_path, f"{128 + signal.SIGTERM}\n")
        return 0
    if argv is None:
        argv = _read_argv(attempt_dir)
    try:
        # posix_spawn reports a program that cannot be run as an error here, like subprocess.
        child = os.posix_spawnp(
            argv[0],
            argv,
            os.environ,
            file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)],
            setsigdef=_DEFAULT_SIGNALS,
        )
    except FileNotFoundError as exc:
        _say(f"cannot start {argv[0]!r}: {exc.strerror or exc}")
        _write_atomic(exit_path, f"{_NOT_FOUND}\n")
        return 0
    except OSError as exc:
        _say(f"cannot execute {argv[0]!r}: {exc.strerror or exc}")
        _write_atomic(exit_path, f"{_NOT_EXECUTABLE}\n")
        return 0

    status = _wait(child, timeout)
    if status is None:
        assert timeout is not None  # only a wait with a timeout ends without a status
        _write_atomic(os.path.join(attempt_dir, "timed_out"), f"{timeout}\n")
        _say(f"timed out after {timeout:g} s: sending SIGTERM to the process group")
        os.killpg(0, signal.SIGTERM)
        status = _wait(child, grace)
        if status is None:
            _say(f"still running {grace:g} s after SIGTERM: sending SIGKILL")
            # SIGKILL reaches the wrapper too, so the exit code (that of a killed process) is
            # recorded first.
            _write_atomic(exit_path, f"{128 + signal.SIGKILL}\n")
            os.killpg(0, signal.SIGKILL)
            return 0  # not reached
    _write_atomic(exit_path, f"{_exit_status(status)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
