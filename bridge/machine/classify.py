"""
Pure classification of finished attempts: out-of-memory or not, and failure signatures.
"""

from __future__ import annotations

import hashlib
import re
import signal
from collections.abc import Iterable

from bridge.lazy_patterns import LazyPattern, lazy

__all__ = [
    "CUDA_ON_CPU",
    "GENERIC_FAILURE",
    "explain_failure",
    "failure_signature",
    "is_gpu_oom",
    "is_oom",
    "last_error_line",
]

_OOM = lazy(
    r"CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED"
    r"|out of memory|Out of memory: Killed process|oom-kill",
)
# What only a GPU's allocator says: a run that asked for no GPU can still use one (the ssh
# backend sets no CUDA_VISIBLE_DEVICES when it gives no slots), and its log is what tells.
_GPU_OOM = lazy(
    r"CUDA out of memory|torch\.(?:cuda\.)?OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED"
    r"|CUDA_ERROR_OUT_OF_MEMORY|cudaErrorMemoryAllocation|HIP out of memory",
)
_KILLED_BY_KERNEL = lazy(r"\bKilled\b|oom", re.IGNORECASE)
_NUMBERS = lazy(r"0x[0-9a-f]+|\d+")


def is_oom(exit_code: int | None, log_tail: str) -> bool:
    """
    True when an attempt died of memory: a CUDA/cuBLAS out-of-memory message, or exit 137
    (SIGKILL) with the kernel's OOM kill in the log.
    """
    if _OOM.search(log_tail):
        return True
    return exit_code == 137 and bool(_KILLED_BY_KERNEL.search(log_tail))


def is_gpu_oom(log_tail: str) -> bool:
    """
    True when the log says a GPU's memory ran out (CUDA, cuBLAS, HIP or torch's
    ``OutOfMemoryError``), whatever the run asked for; False for any other out-of-memory.
    """
    return bool(_GPU_OOM.search(log_tail))


def last_error_line(log_tail: str) -> str:
    """
    The last non-empty line of a log that looks like an error (or the last line at all).
    """
    lines = [line.strip() for line in log_tail.splitlines() if line.strip()]
    for line in reversed(lines):
        if re.search(r"error|exception|traceback|fail|fatal", line, re.IGNORECASE):
            return line[:300]
    return lines[-1][:300] if lines else ""


def killed_by(exit_code: int | None) -> str:
    """
    What a shell's exit code above 128 says: the signal that ended the command ("killed by
    SIGKILL (the kernel's OOM killer also sends this)"), or ``""`` for any other code.
    """
    if exit_code is None or exit_code <= 128:
        return ""
    try:
        name = signal.Signals(exit_code - 128).name
    except ValueError:
        return ""
    extra = " (the kernel's OOM killer also sends this)" if name == "SIGKILL" else ""
    return f"killed by {name}{extra}"


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


# What a failure reason says of a run that asked for no GPU, ran on CPU slots and whose log
# says CUDA ran out of memory (bridge/machine/outcomes.py): the script's mistake, not memory to
# wait for, so it is no out-of-memory failure and is not retried as one.
CUDA_ON_CPU = (
    "the script used CUDA, but the run asked for no GPU (gpus = 0) and ran on the CPU: make the "
    "script run on the CPU, or set gpus in bridge.toml to give the run a GPU"
)

GENERIC_FAILURE = "it failed"  # the meaning of a failure none of the patterns below recognise

# (pattern in the failure, what it means, the fix), first match wins: the reason a run failed
# carries the exit code and the log's last error line, which is enough to tell these apart.
_MEANINGS: tuple[tuple[re.Pattern[str] | LazyPattern, str, str], ...] = (
    (
        lazy(re.escape(CUDA_ON_CPU.split(":")[0])),
        "the script used CUDA (a GPU) on a run that asked for no GPU",
        "make the script run on the CPU, or set `gpus` in bridge.toml's `[run]` (or the "
        "system's table) so that the run is given a GPU",
    ),
    (
        lazy(r"expected outputs missing"),
        "it exited 0 but did not write its expected outputs",
        "make the script write them under the folder given as {output_dir}, or correct "
        "`outputs` in bridge.toml",
    ),
    (
        lazy(r"^exit 127\b|program not found|command not found|: not found"),
        "command not found (exit 127)",
        "correct the program in the command (`[run] command`, or the system's `command`, in "
        "bridge.toml), or install it on the backend's PATH",
    ),
    (
        lazy(r"^exit 126\b|Permission denied"),
        "the program cannot be executed (exit 126)",
        "make it executable (chmod +x) or call it through its interpreter in the command",
    ),
    (
        lazy(r"can't open file|No such file or directory|FileNotFoundError"),
        "a file it needs does not exist",
        "create the file, or correct its path in the command or the script",
    ),
    (
        lazy(r"ModuleNotFoundError|ImportError"),
        "a Python module could not be imported",
        "install it in the environment the command runs in, or correct the import",
    ),
    (
        lazy(r"unrecognized arguments|invalid choice|the following arguments are required"),
        "the script refused its arguments (exit 2)",
        "make the command (`[run] command`) and its arguments (`[run] args`, the systems' "
        "`args`) match the script's options",
    ),
    (
        lazy(r"^out of (?:GPU )?memory"),
        "out of memory",
        "lower the batch size or memory use, or give the run more GPUs or memory",
    ),
    (
        lazy(r"^GPU memory peaked at"),
        "its GPU memory peak is above the bound sanity checks",
        "lower the batch size or model size, or give the run more GPUs; if the framework "
        "reserves GPU memory up front (TensorFlow, JAX), set `[run] max_gpu_memory_gb` (or "
        "`gpu_memory_margin_gb = 0`) in bridge.toml",
    ),
    (
        lazy(r"^exit 137\b"),
        "killed (exit 137: SIGKILL, often the out-of-memory killer)",
        "lower the memory use, or give the run more memory",
    ),
    (
        lazy(r"^timed out|timed_out"),
        "it ran past its timeout",
        "raise `timeout_minutes` in bridge.toml, or make the run shorter",
    ),
    (
        # A sanity run's training-quality finding (bridge/machine/quality.py): it exited 0,
        # so "correct the error its log shows" sent the reader to a log with no error (034).
        lazy(
            r" is (?:NaN|nan|inf|-inf|Infinity|-Infinity|non-finite) at step "
            r"| = (?:NaN|nan|inf|-inf|Infinity|-Infinity) in "
            r"| rose from \S+ to \S+ over the last \d+ points"
        ),
        "a number it recorded cannot be trusted (not finite, or a loss that diverged)",
        "find why the training broke (learning rate, data, a division by zero) in its log and "
        "the file and step the finding names",
    ),
    (
        lazy(r"no metric could be read|unreadable output"),
        "its metrics could not be read",
        "write the metrics to a file `[metrics] files` names (JSON or CSV), or correct "
        "`[metrics]` in bridge.toml",
    ),
    (
        # A sanity run whose own pass/fail metric says no (bridge/pipeline/steps/sanity.py).
        lazy(r"recorded \S+ = \S+: the row's .+ says it failed"),
        "its own check failed",
        "fix what the check tests (its log says what), then `bridge retry` the run",
    ),
)


def explain_failure(reason: str) -> tuple[str, str]:
    """
    What a run's failure ``reason`` (as recorded: ``exit 127: …``, ``exit 0 but expected outputs
    missing: …``) means, and the fix to make before the next ``bridge run``.

    Returns:
        ``(meaning, fix)``; an unrecognised failure reads as "it failed" with the fix "correct
        the error in the log".
    """
    for pattern, meaning, fix in _MEANINGS:
        if pattern.search(reason):
            return meaning, fix
    return GENERIC_FAILURE, "correct the error its log shows (the last error line is quoted)"
