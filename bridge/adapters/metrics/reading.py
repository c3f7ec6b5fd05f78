"""
Reading a run's output files as untrusted input: contained, regular, bounded.

A run writes what it likes into its attempt directory. Before bridge reads a byte of it, the
file must pass :func:`read_contained`:

- it resolves (links followed, a loop refused) to a path inside the attempt directory, so a
  run cannot make bridge read, hash and report a file elsewhere;
- it is a regular file: a FIFO, socket or device is refused from its type (``lstat`` of the
  resolved path, then ``open`` with ``O_NONBLOCK | O_NOFOLLOW``), so a FIFO cannot block bridge;
- it is no larger than :attr:`OutputLimits.max_file_bytes`.

A file that fails is not an exception for the caller to forget: :class:`OutputRefused` carries
the reason, and the extraction records it as a problem of that run.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import attrs

from bridge.value_methods import value_methods

__all__ = ["OutputLimits", "OutputRefused", "contained", "read_contained", "read_tail"]


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class OutputLimits:
    """
    How much bridge reads from one attempt (``[metrics]`` ``max_file_mb``, ``max_depth``,
    ``max_values``). The defaults are far above what a real project writes.

    Attributes:
        max_file_bytes: a metrics file larger than this is not read (a problem on the run).
        max_depth: JSON nested deeper than this is not parsed (a problem on the run).
        max_values: at most this many values, and this many histories, are recorded per
            attempt; the plan's metrics are kept first, and the rest is counted in a problem.
    """

    max_file_bytes: int = attrs.field(default=64 * 1024 * 1024, validator=attrs.validators.ge(1))
    max_depth: int = attrs.field(
        default=64, validator=[attrs.validators.ge(1), attrs.validators.le(500)]
    )
    max_values: int = attrs.field(default=2000, validator=attrs.validators.ge(1))


class OutputRefused(ValueError):
    """
    A run's output that bridge will not read; ``str()`` says which and why.
    """


def contained(path: Path, base: Path) -> Path:
    """
    Return ``path`` resolved, when it lies inside ``base`` (itself resolved by the caller).

    Raises:
        OutputRefused: a link loop, or a path that resolves outside ``base``.
    """
    try:
        real = path.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # RuntimeError: "Symlink loop" before Python 3.13
        raise OutputRefused(f"cannot be resolved (a link loop?): {exc}") from None
    if not real.is_relative_to(base):
        raise OutputRefused(f"is a link leading outside the attempt directory (to {real})")
    return real


def read_contained(path: Path, base: Path, limits: OutputLimits) -> bytes:
    """
    Read one output file under the rules of the module docstring.

    Args:
        path: the file as found under the attempt directory.
        base: the attempt directory, resolved.
        limits: the size limit to apply.

    Returns:
        The file's bytes (at most ``limits.max_file_bytes``).

    Raises:
        OutputRefused: outside ``base``, a link loop, not a regular file, too large, or the
            operating system refused to open it; the message says which.
    """
    real = contained(path, base)
    try:
        info = os.lstat(real)
    except OSError as exc:
        raise OutputRefused(f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"is not a regular file ({_kind(info.st_mode)}); not read")
    if info.st_size > limits.max_file_bytes:
        raise OutputRefused(_too_large(info.st_size, limits))
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise OutputRefused(f"cannot be opened: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        # The type is checked again on the open file: it may have been swapped since lstat.
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OutputRefused("is not a regular file; not read")
        data = handle.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise OutputRefused(_too_large(len(data), limits))
    return data


def read_tail(path: Path, size: int) -> str:
    """
    The last ``size`` bytes of a log a run could have tampered with, as text.

    The file is opened with ``O_NOFOLLOW | O_NONBLOCK`` and read only when it is a regular
    file: a log the run replaced by a link (to a key file, say) or by a FIFO is not read, and
    the text says so instead, so nothing outside the attempt reaches the log and nothing blocks.

    Returns:
        The tail (``""`` when the file does not exist), or a one-line note in brackets.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return ""
    except OSError as exc:  # ELOOP: the log is a link
        return f"[{path.name} not read: {exc.strerror}]\n"
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return f"[{path.name} not read: {_kind(info.st_mode)}]\n"
        handle.seek(max(0, info.st_size - size))
        return handle.read(size).decode("utf-8", errors="replace")


def _too_large(size: int, limits: OutputLimits) -> str:
    return (
        f"is {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
        "([metrics] max_file_mb); not read"
    )


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a plain file"
