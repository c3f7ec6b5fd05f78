"""
The attempt wrapper: runs one attempt's command and records how it ended, on disk.

Run as a file, never imported by the running job::

    python3 -I -S _wrapper.py ATTEMPT_DIR [--timeout SECONDS] [--grace SECONDS]

It must be started as the leader of a new session (``start_new_session=True`` or ``setsid``),
with stdout/stderr already pointing at the attempt's log files. It:

1. records its own pid and start time (``pid``, ``pid.start``),
2. runs the argv list in ``ATTEMPT_DIR/argv.json`` (never through a shell) in the wrapper's
   process group, with the environment and working directory it was given,
3. waits; on ``--timeout`` it writes the ``timed_out`` marker, sends SIGTERM to the group,
   and SIGKILL after ``--grace`` seconds,
4. writes the exit code to ``exit_code`` atomically (temporary file, fsync, rename):
   the child's status, 128+N when signal N killed it, 127 when the command does not exist,
   126 when it cannot be executed.

So the attempt's outcome never depends on the process that launched it staying alive. The
wrapper ignores SIGTERM/SIGINT/SIGHUP sent to its group (the command gets them and dies; the
wrapper then records the exit code). This file uses only the standard library and Python 3.8
syntax so the SSH backend can copy it to a remote host and run it with that host's ``python3``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

_NOT_FOUND = 127
_NOT_EXECUTABLE = 126


def _write_atomic(path: Path, text: str, durable: bool = True) -> None:
    """
    Write ``text`` to ``path`` so that readers see either nothing or the whole text; with
    ``durable``, fsync first so it also survives a machine crash (the pid need not: a machine
    crash ends the attempt, and the exit code is what must not be lost).
    """
    tmp = path.with_name(f"{path.name}.tmp.{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    tmp.replace(path)


def _start_ticks(pid: int) -> str:
    """
    Return the start time of ``pid`` in clock ticks (field 22 of /proc/<pid>/stat), or "".
    """
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
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


def _exit_status(returncode: int) -> int:
    """
    Map ``Popen.returncode`` (negative for a signal) to the shell convention 128+signal.
    """
    return 128 - returncode if returncode < 0 else returncode


def _parse(args: list[str]) -> tuple[Path, float | None, float]:
    """
    Parse ``ATTEMPT_DIR [--timeout S] [--grace S]``.
    """
    if not args:
        raise SystemExit("usage: _wrapper.py ATTEMPT_DIR [--timeout SECONDS] [--grace SECONDS]")
    attempt_dir, timeout, grace = Path(args[0]), None, 5.0
    rest = args[1:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--timeout":
            timeout = float(value)
        elif flag == "--grace":
            grace = float(value)
        else:
            raise SystemExit(f"unknown option {flag}")
    return attempt_dir, timeout, grace


def main(args: list[str]) -> int:
    """
    Run the attempt in ``args[0]`` and record its exit code; return the wrapper's own status.
    """
    attempt_dir, timeout, grace = _parse(args)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _ignore)
    pid = os.getpid()
    _write_atomic(attempt_dir / "pid.start", _start_ticks(pid) + "\n", durable=False)
    _write_atomic(attempt_dir / "pid", f"{pid}\n", durable=False)
    exit_path = attempt_dir / "exit_code"

    if (attempt_dir / "cancelled").exists():
        # cancel() came between the launch and now: honour it rather than start the command.
        _say("cancelled before the command started")
        _write_atomic(exit_path, f"{128 + signal.SIGTERM}\n")
        return 0
    argv = json.loads((attempt_dir / "argv.json").read_text(encoding="utf-8"))
    try:
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        _say(f"cannot start {argv[0]!r}: {exc.strerror or exc}")
        _write_atomic(exit_path, f"{_NOT_FOUND}\n")
        return 0
    except OSError as exc:
        _say(f"cannot execute {argv[0]!r}: {exc.strerror or exc}")
        _write_atomic(exit_path, f"{_NOT_EXECUTABLE}\n")
        return 0

    try:
        returncode = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _write_atomic(attempt_dir / "timed_out", f"{timeout}\n")
        _say(f"timed out after {timeout:g} s: sending SIGTERM to the process group")
        os.killpg(0, signal.SIGTERM)
        try:
            returncode = child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _say(f"still running {grace:g} s after SIGTERM: sending SIGKILL")
            # SIGKILL reaches the wrapper too, so the exit code (that of a killed process) is
            # recorded first.
            _write_atomic(exit_path, f"{128 + signal.SIGKILL}\n")
            os.killpg(0, signal.SIGKILL)
            return 0  # not reached
    _write_atomic(exit_path, f"{_exit_status(returncode)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
