"""
The backend port: where and how an attempt runs (:class:`Backend`, with :class:`AttemptPlace`,
:class:`JobSpec`, :class:`JobState` and :class:`JobStatus`), and the GPU probe that finds free
slots.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol, runtime_checkable

import attrs

from bridge.events.values import Artifact, JobHandle, Slot
from bridge.plan.safe_ids import SAFE_ID_RULE, is_safe_id
from bridge.value_methods import value_methods

__all__ = [
    "AttemptPlace",
    "Backend",
    "GpuInfo",
    "GpuProbe",
    "JobSpec",
    "JobState",
    "JobStatus",
]


class JobStatus(enum.Enum):
    """
    What a backend says about one attempt. Every adapter maps its vendor states into this.
    """

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"  # exit code 0 (outputs are checked by the pipeline, not the backend)
    FAILED = "failed"  # non-zero exit code, or the vendor reported an error
    TIMED_OUT = "timed_out"  # the backend's own timeout stopped it
    CANCELLED = "cancelled"  # stopped by cancel()
    LOST = "lost"  # no exit code and no live process: killed, host gone, instance vanished


def _safe_id(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not is_safe_id(value):
        raise ValueError(f"{attribute.name} {value!r} cannot name a directory: use {SAFE_ID_RULE}")


def _relative_path(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    # Normalised, relative and free of '..': joined to any root, it stays inside that root.
    path = PurePosixPath(value)
    if (
        not value
        or path.is_absolute()
        or str(path) != value
        or any(part in (".", "..") for part in path.parts)
        or any(c in value for c in "\x00\n\r")
    ):
        raise ValueError(
            f"{attribute.name} {value!r} is not a normalised relative POSIX path without '..'"
        )


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class AttemptPlace:
    """
    Which attempt, and where its files go: named by the pipeline's ``ProjectLayout``, never
    composed by a backend. A backend joins its own root (the project locally, ``remote_dir``
    over SSH, Slurm's shared directory) with ``path`` or ``scratch_path`` and nothing more.

    Attributes:
        run_id: the run's directory name: the plan's run id (``R001``), or the safe name
            derived from an id that cannot name a directory (``RunView.directory``).
        attempt_id: globally unique id of this attempt; the backend's idempotency key
            (it names the attempt directory, remote marker, instance label or call marker).
        path: the attempt's directory relative to the project root
            (``.bridge/runs/<run_id>/<attempt_id>``).
        scratch_path: where a backend that keeps scratch space inside the project puts the
            attempt's ``{scratch_dir}``, relative to the project root
            (``.bridge/scratch/<run_id>/<attempt_id>``).

    Raises:
        ValueError: an id that is not a safe id, or a path that is absolute, not normalised or
            holds ``..`` (a caller's bug: the layout never makes one).
    """

    run_id: str = attrs.field(validator=_safe_id)
    attempt_id: str = attrs.field(validator=_safe_id)
    path: str = attrs.field(validator=_relative_path)
    scratch_path: str = attrs.field(validator=_relative_path)


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class JobSpec:
    """
    Everything a backend needs to launch one attempt, in standardised resources.

    Attributes:
        place: which attempt, and the paths its files go to (``run_id`` and ``attempt_id``
            read through to it).
        argv: the command, already rendered; never passed through a shell unquoted.
        env: extra environment variables (the backend adds ``CUDA_VISIBLE_DEVICES``).
        slots: where to run; one slot per GPU asked for (all on one host).
        cwd: working directory relative to the project root (``""`` is the root itself).
        timeout_seconds: wall-clock limit, ``None`` for none.
        outputs: expected output globs, relative to the attempt's output directory.
    """

    place: AttemptPlace
    argv: tuple[str, ...]
    env: Mapping[str, str] = attrs.field(factory=dict)
    slots: tuple[Slot, ...] = ()
    cwd: str = ""
    timeout_seconds: float | None = None
    outputs: tuple[str, ...] = ()

    @property
    def run_id(self) -> str:
        """The run's directory name (``place.run_id``)."""
        return self.place.run_id

    @property
    def attempt_id(self) -> str:
        """The attempt's id, the backend's idempotency key (``place.attempt_id``)."""
        return self.place.attempt_id


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class JobState:
    """
    The answer to ``Backend.poll``.

    Attributes:
        status: the normalised status.
        exit_code: the process exit code when it is known.
        detail: a short human explanation (why lost, the vendor's error message).
        log_tail: the last few KiB of the attempt's stdout+stderr, used to classify OOM.
        waiting: why the backend's own queue holds a ``QUEUED`` attempt (a Slurm job pending
            for ``PartitionDown``), for people to see in ``bridge status``; ``""`` when the
            backend gives no reason worth recording.
        gpu_memory_peak_mib: the most GPU memory the attempt's processes were seen using
            (sampled while it ran), or None when the backend does not sample it.
        gpu_memory_total_mib: the memory of one GPU where it ran (the smallest, when the
            host's GPUs differ), or None when unknown.
        gpu_memory_unmeasured: why GPU memory was not (fully) sampled, e.g. "no nvidia-smi
            on gpu-07"; ``""`` when it was or when the backend gives no reason.
    """

    status: JobStatus
    exit_code: int | None = None
    detail: str = ""
    log_tail: str = ""
    waiting: str = ""
    gpu_memory_peak_mib: int | None = None
    gpu_memory_total_mib: int | None = None
    gpu_memory_unmeasured: str = ""


@runtime_checkable
class Backend(Protocol):
    """
    Where runs execute. Implemented by the local, SSH, Vast.ai and Modal adapters.

    Every method may raise :class:`bridge.errors.BackendError`; ``BackendUnavailable`` means the
    backend cannot be reached or is not configured, and is never answered by silently using
    another backend. Methods block only for bounded network or process calls.
    """

    name: str

    def preflight(self) -> Sequence[Slot]:
        """
        Check the backend is usable and return the slots it offers now (free GPUs, or CPU slots).

        Raises:
            BackendUnavailable: not configured, unreachable, or credentials refused.
        """
        ...

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return the absolute path, as the run itself sees it, of the attempt's output directory:
        ``output`` inside ``place.path`` joined to the backend's root.

        The pipeline renders ``{output_dir}`` in the command with this value; expected output
        globs are matched relative to it. Pure: no I/O.
        """
        ...

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Launch one attempt and return at once (the run continues detached).

        The attempt's files go to ``spec.place.path`` under the backend's root, nowhere else.
        Idempotent on ``spec.attempt_id``: a second submit of the same attempt returns the handle
        of the first launch and never launches twice.
        """
        ...

    def poll(self, handle: JobHandle) -> JobState:
        """
        Return the attempt's state now. A dropped connection is retried, never reported as a
        failure; ``LOST`` only when the process is verifiably gone without an exit code.
        """
        ...

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Block until one of ``handles`` may have changed state, or ``timeout`` seconds passed.

        Local processes wake this within a second of exiting; remote backends may simply
        sleep a bounded, backend-appropriate interval.
        """
        ...

    def cancel(self, handle: JobHandle) -> None:
        """
        Stop the attempt (TERM to its process group, KILL after a grace period) and mark it
        cancelled so the state is told apart from loss. Idempotent.
        """
        ...

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Copy the attempt's outputs and logs into ``dest`` (the local attempt directory).

        Raises ``BackendError`` when the copy fails after its retries; never drops silently.
        """
        ...

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Return the handle of the attempt launched earlier at ``place`` (by its marker there),
        or ``None`` when the backend has no trace of it. Used to reconcile after a crash.
        """
        ...

    def release(self) -> None:
        """
        Free what the backend holds (connections; instances when configured to). Idempotent.
        """
        ...


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class GpuInfo:
    """
    One GPU as ``nvidia-smi`` reports it.
    """

    index: int
    memory_used_mib: int
    memory_total_mib: int

    def is_free(self, threshold_mib: int = 500) -> bool:
        """
        Return True when less than ``threshold_mib`` of its memory is in use.
        """
        return self.memory_used_mib < threshold_mib


class GpuProbe(Protocol):
    """
    Reports the GPUs of a machine. An empty tuple means CPU only (no ``nvidia-smi``).
    """

    def probe(self) -> tuple[GpuInfo, ...]:
        """
        Return the GPUs now. Raises ``BackendError`` if ``nvidia-smi`` exists but fails.
        """
        ...
