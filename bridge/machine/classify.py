"""
Pure classification of finished attempts: out-of-memory or not, and failure signatures.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

__all__ = ["failure_signature", "is_oom", "last_error_line"]

_OOM = re.compile(
    r"CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED"
    r"|out of memory|Out of memory: Killed process|oom-kill",
)
_KILLED_BY_KERNEL = re.compile(r"\bKilled\b|oom", re.IGNORECASE)
_NUMBERS = re.compile(r"0x[0-9a-f]+|\d+")


def is_oom(exit_code: int | None, log_tail: str) -> bool:
    """
    True when an attempt died of memory: a CUDA/cuBLAS out-of-memory message, or exit 137
    (SIGKILL) with the kernel's OOM kill in the log.
    """
    if _OOM.search(log_tail):
        return True
    return exit_code == 137 and bool(_KILLED_BY_KERNEL.search(log_tail))


def last_error_line(log_tail: str) -> str:
    """
    The last non-empty line of a log that looks like an error (or the last line at all).
    """
    lines = [line.strip() for line in log_tail.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.search(r"error|exception|traceback|fail|fatal", line, re.IGNORECASE):
            return line[:300]
    return lines[-1][:300] if lines else ""


def failure_signature(failures: Iterable[tuple[str, int | None, str]]) -> str:
    """
    A short stable id of a set of failures ``(system, exit_code, log_tail)``: the same bug gives
    the same signature even when pids, line numbers and timings differ.
    """
    parts = sorted(
        f"{system}|{code}|{_NUMBERS.sub('N', last_error_line(tail))}"
        for system, code, tail in failures
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
