"""
GPU probing through ``nvidia-smi``: which GPUs a machine has and which of them are free.

:class:`NvidiaSmiProbe` implements :class:`bridge.machine.ports.GpuProbe`. It runs::

    nvidia-smi --query-gpu=index,memory.used,memory.total --format=csv,noheader,nounits

and parses the answer with :func:`parse_nvidia_smi`, a pure function that the SSH backend reuses
on the text it reads from a remote host. :func:`free_slots` turns the GPUs into scheduling slots:
a GPU is free when less than a threshold of its memory (default 500 MiB) is in use.

A machine without ``nvidia-smi`` is CPU only (the probe answers ``()``); an ``nvidia-smi`` that
exists but fails, or prints something unreadable, is a :class:`bridge.errors.BackendError`,
never a silent "no GPUs".
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from bridge.errors import BackendError
from bridge.machine.ports import GpuInfo, Slot
from bridge.value_methods import value_methods

__all__ = [
    "APPS_QUERY_ARGS",
    "QUERY_ARGS",
    "CommandResult",
    "GpuProcessProbe",
    "NvidiaSmiProbe",
    "Runner",
    "free_slots",
    "parse_compute_apps",
    "parse_nvidia_smi",
]

#: The arguments after the executable; kept in one place so remote probes ask the same question.
QUERY_ARGS: tuple[str, ...] = (
    "--query-gpu=index,memory.used,memory.total",
    "--format=csv,noheader,nounits",
)

#: Exit status shells use for "command not found"; a runner reporting it means no nvidia-smi.
_NOT_FOUND = 127


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class CommandResult:
    """
    What a :data:`Runner` reports about one finished command.

    Attributes:
        returncode: the exit status (127: the command was not found).
        stdout: standard output, decoded as text.
        stderr: standard error, decoded as text.
    """

    returncode: int
    stdout: str
    stderr: str = ""


#: Runs an argv with a timeout in seconds and reports the result. The seam that lets the SSH
#: backend probe a remote host and tests probe a fake; raise ``BackendError`` on transport failure.
Runner = Callable[[Sequence[str], float], CommandResult]


def _run_locally(argv: Sequence[str], timeout: float) -> CommandResult:
    """
    Run ``argv`` here, without a shell, and report its result.
    """
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        return CommandResult(returncode=_NOT_FOUND, stdout="", stderr=f"{argv[0]}: not found")
    except subprocess.TimeoutExpired as exc:
        raise BackendError(f"{argv[0]} did not answer within {timeout:g} s") from exc
    except OSError as exc:
        raise BackendError(f"cannot run {argv[0]}: {exc}") from exc
    return CommandResult(returncode=done.returncode, stdout=done.stdout, stderr=done.stderr)


def parse_nvidia_smi(text: str) -> tuple[GpuInfo, ...]:
    """
    Parse the CSV that ``nvidia-smi --query-gpu=index,memory.used,memory.total
    --format=csv,noheader,nounits`` prints.

    Empty lines are ignored; an empty text means no GPUs. The result is sorted by index.

    Args:
        text: the command's standard output.

    Returns:
        One :class:`GpuInfo` per GPU line.

    Raises:
        BackendError: a line does not have three integer fields (``[N/A]``, a blank field,
            a unit suffix), a value is negative, or an index repeats. The message names the
            line number and quotes the line.
    """
    gpus: dict[int, GpuInfo] = {}
    names = ("index", "memory.used", "memory.total")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        fields = [field.strip() for field in line.split(",")]
        if len(fields) != len(names):
            raise BackendError(
                f"nvidia-smi output line {number}: expected {len(names)} comma-separated "
                f"fields (index, memory.used, memory.total), got {len(fields)}: {line!r}"
            )
        values: list[int] = []
        for name, field in zip(names, fields, strict=True):
            if not field.isdigit():
                shown = field if field else "<blank>"
                raise BackendError(
                    f"nvidia-smi output line {number}: {name} is {shown!r}, not a whole "
                    f"number of MiB or an index: {line!r}"
                )
            values.append(int(field))
        index, used, total = values
        if index in gpus:
            raise BackendError(f"nvidia-smi output line {number}: GPU index {index} repeats")
        gpus[index] = GpuInfo(index=index, memory_used_mib=used, memory_total_mib=total)
    return tuple(gpus[i] for i in sorted(gpus))


def free_slots(gpus: Sequence[GpuInfo], host: str, threshold_mib: int = 500) -> tuple[Slot, ...]:
    """
    Return one slot per free GPU, in index order.

    Args:
        gpus: the GPUs of ``host``, as a probe reported them.
        host: the host name to put in each slot (``"local"`` for this machine).
        threshold_mib: a GPU is free when less than this many MiB are in use.

    Returns:
        ``Slot(host=host, gpu=index)`` for each free GPU; empty when none is free.
    """
    return tuple(
        Slot(host=host, gpu=gpu.index)
        for gpu in sorted(gpus, key=lambda g: g.index)
        if gpu.is_free(threshold_mib)
    )


@runtime_checkable
class GpuProcessProbe(Protocol):
    """
    A GPU probe that can also say how much GPU memory each process uses.
    """

    def process_memory(self) -> dict[int, int]:
        """
        pid → MiB of GPU memory in use now.
        """
        ...


APPS_QUERY_ARGS = ("--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits")


def parse_compute_apps(text: str) -> dict[int, int]:
    """
    Parse ``nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits``:
    pid → MiB used (summed over GPUs when a process uses several).

    Raises:
        BackendError: a line that is not two whole numbers (the message quotes it).
    """
    used: dict[int, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) != 2 or not all(f.isdigit() for f in fields):
            raise BackendError(
                f"nvidia-smi compute-apps line {number}: expected pid, used_memory: {line!r}"
            )
        pid, mib = int(fields[0]), int(fields[1])
        used[pid] = used.get(pid, 0) + mib
    return used


class NvidiaSmiProbe:
    """
    A :class:`bridge.machine.ports.GpuProbe` that asks ``nvidia-smi``.

    Args:
        executable: the command to run; a bare name is looked up on ``PATH`` at each probe, so
            a GPU driver installed later (or a fake put on ``PATH`` by a test) is seen.
        runner: runs the command and reports a :class:`CommandResult`; the default runs it on
            this machine without a shell. A result with exit status 127 means "not installed".
        timeout: seconds to wait for ``nvidia-smi`` before raising ``BackendError``.
    """

    def __init__(
        self,
        executable: str = "nvidia-smi",
        runner: Runner | None = None,
        timeout: float = 10,
    ) -> None:
        self.executable = executable
        self.timeout = timeout
        self._runner = runner

    def probe(self) -> tuple[GpuInfo, ...]:
        """
        Return the GPUs now; ``()`` when ``nvidia-smi`` is not installed (CPU only).

        Raises:
            BackendError: ``nvidia-smi`` exists but fails, times out, or prints unreadable text.
        """
        if self._runner is None:
            found = shutil.which(self.executable)
            if found is None:
                return ()
            result = _run_locally([found, *QUERY_ARGS], self.timeout)
        else:
            result = self._runner([self.executable, *QUERY_ARGS], self.timeout)
        if result.returncode == _NOT_FOUND:
            return ()
        if result.returncode != 0:
            said = (result.stderr.strip() or result.stdout.strip() or "no output")[-500:]
            raise BackendError(
                f"{self.executable} failed with exit status {result.returncode}: {said}"
            )
        return parse_nvidia_smi(result.stdout)

    def process_memory(self) -> dict[int, int]:
        """
        The GPU memory each process uses now (pid → MiB); empty without ``nvidia-smi``.

        Raises:
            BackendError: ``nvidia-smi`` exists but fails or prints unreadable text.
        """
        if self._runner is None:
            found = shutil.which(self.executable)
            if found is None:
                return {}
            result = _run_locally([found, *APPS_QUERY_ARGS], self.timeout)
        else:
            result = self._runner([self.executable, *APPS_QUERY_ARGS], self.timeout)
        if result.returncode == _NOT_FOUND:
            return {}
        if result.returncode != 0:
            said = (result.stderr.strip() or result.stdout.strip() or "no output")[-500:]
            raise BackendError(
                f"{self.executable} failed with exit status {result.returncode}: {said}"
            )
        return parse_compute_apps(result.stdout)
