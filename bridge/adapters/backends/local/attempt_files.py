"""
The files of one attempt directory (see :mod:`bridge.adapters.backends.local.backend` for the
layout): safe names, atomic writes, and reading back what the wrapper recorded.

Everything here reads or writes one attempt directory and nothing else; the process side
(``/proc``) is :mod:`~bridge.adapters.backends.local.procfs`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from bridge.adapters.metrics.reading import read_tail
from bridge.errors import BackendError
from bridge.machine.classify import killed_by
from bridge.machine.ports import JobState, JobStatus
from bridge.plan.safe_ids import SAFE_ID_RULE, is_safe_id

__all__ = [
    "describe_exit",
    "disk_full",
    "finished_state",
    "log_tail",
    "read_ident",
    "read_int",
    "read_record",
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


def read_record(path: Path) -> str | None:
    """
    Return the one-line record the wrapper wrote to ``path``, without its newline; ``None``
    while there is none whole: missing, empty, or cut off before its closing newline. The
    wrapper writes its records in place, so a reader may see one half written, and a wrapper
    killed in the middle of a write leaves it so (the record was never made).
    """
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    if not text.endswith(b"\n"):
        return None
    return text[:-1].decode("ascii", errors="replace").strip()


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
    # os-level calls rather than a Path and a text file object: this runs three times per
    # launch, and the objects cost more than the four system calls.
    tmp = f"{path}.tmp.{os.getpid()}.{threading.get_ident()}"
    data = memoryview(text.encode("utf-8"))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        while data:
            data = data[os.write(fd, data) :]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)  # noqa: PTH105 (see above: no Path objects here)


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
    killed = killed_by(code)
    return f"exit code {code}: {killed}" if killed else f"exit code {code}"


def read_ident(attempt_dir: Path) -> tuple[int, str] | None:
    """
    Return the recorded (pid, start ticks) of the wrapper, or ``None`` before both are whole
    (:func:`read_record`).
    """
    pid = read_record(attempt_dir / "pid")
    start = read_record(attempt_dir / "pid.start")
    if pid is None or start is None or not pid.isdigit():
        return None
    return int(pid), start


def finished_state(attempt_dir: Path, tail: str) -> JobState | None:
    """
    Return the final state once ``exit_code`` is whole (:func:`read_record`), else ``None``;
    the ``timed_out`` and ``cancelled`` markers take precedence over the code.

    Raises:
        BackendError: ``exit_code`` holds a whole line that is not an integer.
    """
    text = read_record(attempt_dir / "exit_code")
    if text is None:
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
