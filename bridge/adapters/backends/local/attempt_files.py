"""
The files of one attempt directory (see :mod:`bridge.adapters.backends.local.backend` for the
layout): safe names, atomic writes, and reading back what the wrapper recorded.

Everything here reads or writes one attempt directory and nothing else; the process side
(``/proc``) is :mod:`~bridge.adapters.backends.local.procfs`.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

from bridge.adapters.metrics.reading import read_tail
from bridge.errors import BackendError
from bridge.machine.ports import JobState, JobStatus
from bridge.plan.safe_ids import SAFE_ID_RULE, is_safe_id

__all__ = [
    "describe_exit",
    "disk_full",
    "finished_state",
    "log_tail",
    "read_ident",
    "read_int",
    "validate_id",
    "write_atomic",
]

_TAIL_BYTES = 4096


def read_int(path: Path) -> int | None:
    """
    Return the integer ``path`` holds, or ``None`` when it is missing or holds anything else.
    """
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def validate_id(kind: str, value: str) -> str:
    """
    Check that ``value`` can name a directory without escaping its parent.

    Args:
        kind: what the value is (``"run id"``, ``"attempt id"``), for the message.
        value: the id.

    Returns:
        ``value`` unchanged.

    Raises:
        BackendError: the id is empty, too long, or holds anything but letters, digits,
            ``.``, ``_`` and ``-`` (or does not start with a letter or digit).
    """
    if not is_safe_id(value):
        raise BackendError(f"{kind} {value!r} cannot name an attempt directory: use {SAFE_ID_RULE}")
    return value


def write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """
    Write ``text`` to ``path`` via a temporary file and a rename (readers see all or nothing).

    Args:
        path: the file.
        text: its content.
        durable: fsync before the rename, so the file also survives a machine crash. Records
            that only matter while the attempt's processes live (the argv, the pid) skip it: a
            bridge process that crashes leaves them in the page cache, and a machine crash ends
            the attempt anyway (it then reads as lost either way).
    """
    tmp = path.with_name(f"{path.name}.tmp.{os.getpid()}.{threading.get_ident()}")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    tmp.replace(path)


def disk_full(path: Path) -> bool:
    """
    True when the file system holding ``path`` has no block left for an ordinary user.
    """
    try:
        return os.statvfs(path).f_bavail == 0
    except OSError:
        return False


def describe_exit(code: int) -> str:
    """
    Explain an exit code for people: a code above 128 names the signal that killed the command.
    """
    if code > 128:
        try:
            name = signal.Signals(code - 128).name
        except ValueError:
            return f"exit code {code}"
        extra = " (the kernel's OOM killer also sends this)" if name == "SIGKILL" else ""
        return f"exit code {code}: killed by {name}{extra}"
    return f"exit code {code}"


def read_ident(attempt_dir: Path) -> tuple[int, str] | None:
    """
    Return the recorded (pid, start ticks) of the wrapper, or ``None`` before it is known.
    """
    try:
        pid = int((attempt_dir / "pid").read_text(encoding="ascii").strip())
        start = (attempt_dir / "pid.start").read_text(encoding="ascii").strip()
    except (FileNotFoundError, ValueError):
        return None
    return pid, start


def finished_state(attempt_dir: Path, tail: str) -> JobState | None:
    """
    Return the final state when ``exit_code`` exists, else ``None``; the ``timed_out`` and
    ``cancelled`` markers take precedence over the code.

    Raises:
        BackendError: ``exit_code`` holds something other than an integer.
    """
    try:
        text = (attempt_dir / "exit_code").read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    try:
        code = int(text)
    except ValueError as exc:
        raise BackendError(f"{attempt_dir / 'exit_code'} holds {text!r}, not a code") from exc
    if (attempt_dir / "timed_out").exists():
        status, detail = JobStatus.TIMED_OUT, "stopped at its timeout"
    elif (attempt_dir / "cancelled").exists():
        status, detail = JobStatus.CANCELLED, "stopped by cancel"
    elif code == 0:
        status, detail = JobStatus.SUCCEEDED, ""
    else:
        status, detail = JobStatus.FAILED, describe_exit(code)
    return JobState(status=status, exit_code=code, detail=detail, log_tail=tail)


def log_tail(attempt_dir: Path) -> str:
    """
    Return the last few KiB of stdout followed by the last few KiB of stderr; a log the run
    replaced by a link or a FIFO is not read (:func:`read_tail`).
    """
    out = read_tail(attempt_dir / "stdout.log", _TAIL_BYTES)
    err = read_tail(attempt_dir / "stderr.log", _TAIL_BYTES)
    return out + ("\n" if out and not out.endswith("\n") else "") + err
