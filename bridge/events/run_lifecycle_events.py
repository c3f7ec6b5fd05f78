"""
A run's attempts from submission to their end: submitted, started, artifacts fetched, the
terminal outcomes, retries, and the notes a live attempt gathers (each on its
``run:<RUN_ID>`` stream).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from bridge.events.registry import event, finite
from bridge.events.run_spec_events import RunInput
from bridge.events.secrets import redact
from bridge.events.values import Artifact, JobHandle, Slot
from bridge.value_methods import value_methods

__all__ = [
    "ArtifactsFetched",
    "RunCancelled",
    "RunFailed",
    "RunLost",
    "RunOverdue",
    "RunQueueNoted",
    "RunRetryScheduled",
    "RunStarted",
    "RunStuck",
    "RunSubmitted",
    "RunSucceeded",
    "RunTimedOut",
]


@event("run.submitted")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunSubmitted:
    """
    Intent: attempt ``attempt`` of the run is about to be launched under ``attempt_id``.

    ``scratch_dir`` is the ``{scratch_dir}`` it was given ("" when its command uses none);
    ``inputs`` the other runs' outputs its command reads through ``{outputs_of:RUN}``, each with
    the digest ``bridge verify`` re-checks.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    attempt: int
    backend: str
    slots: tuple[Slot, ...] = ()
    argv: tuple[str, ...] = ()
    output_dir: str = ""
    scratch_dir: str = ""
    inputs: tuple[RunInput, ...] = ()


@event("run.started")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunStarted:
    """
    Confirmation: the backend launched the attempt; ``handle`` finds it again after a restart.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    handle: JobHandle
    adopted: bool = False


@event("run.artifacts_fetched")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class ArtifactsFetched:
    """
    The attempt's outputs and logs are in the local attempt directory (path, size, sha256).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    local_dir: str
    artifacts: tuple[Artifact, ...] = ()


@event("run.succeeded")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunSucceeded:
    """
    The attempt exited 0 and every expected output is present.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    exit_code: int = 0
    gpu_seconds: float = attrs.field(default=0.0, validator=finite)
    gpu_memory_peak_mib: int | None = None  # sampled while it ran; None: not sampled
    gpu_memory_total_mib: int | None = None  # one GPU's memory where it ran; None: unknown
    gpu_memory_unmeasured: str = ""  # why GPU memory was not sampled ("no nvidia-smi on h")


@event("run.failed")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunFailed:
    """
    The attempt failed; ``oom`` marks an out-of-memory failure (state ``failed_oom``).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    exit_code: int | None = None
    reason: str = attrs.field(default="", converter=redact)
    oom: bool = False
    log_tail: str = attrs.field(default="", converter=redact)
    gpu_seconds: float = attrs.field(default=0.0, validator=finite)
    gpu_memory_peak_mib: int | None = None  # sampled while it ran; None: not sampled
    gpu_memory_total_mib: int | None = None  # one GPU's memory where it ran; None: unknown
    gpu_memory_unmeasured: str = ""  # why GPU memory was not sampled ("no nvidia-smi on h")


@event("run.timed_out")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunTimedOut:
    """
    The attempt ran past its timeout and was stopped.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    timeout_minutes: float | None = attrs.field(default=None, validator=finite)
    gpu_seconds: float = attrs.field(default=0.0, validator=finite)


@event("run.lost")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunLost:
    """
    The attempt vanished: no exit code and no live process (host gone, killed, instance lost).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    reason: str = attrs.field(default="", converter=redact)
    gpu_seconds: float = attrs.field(default=0.0, validator=finite)


@event("run.cancelled")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunCancelled:
    """
    The run was cancelled by a person (``attempt_id`` is empty when it had not been launched).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str = ""
    reason: str = attrs.field(default="", converter=redact)
    gpu_seconds: float = attrs.field(default=0.0, validator=finite)


@event("run.retry_scheduled")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunRetryScheduled:
    """
    The run goes back to pending; it may launch again at ``not_before``, avoiding ``avoid_gpus``.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    reason: str = attrs.field(default="", converter=redact)
    not_before: datetime | None = None
    avoid_slots: tuple[Slot, ...] = ()
    manual: bool = False


@event("run.stuck")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunStuck:
    """
    The run ran out of OOM retries; a person must look at it.
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    reason: str = attrs.field(default="", converter=redact)


@event("run.overdue")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunOverdue:
    """
    The attempt has run past twice its estimated time (a flag; the run goes on).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    estimated_minutes: float = attrs.field(validator=finite)
    elapsed_minutes: float = attrs.field(validator=finite)


@event("run.queue_noted")
@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunQueueNoted:
    """
    The backend's queue holds the attempt, and why (``waiting``: a Slurm job pending for
    ``PartitionDown``), or, with ``waiting`` empty, no longer holds it. Recorded when the reason
    changes; the run stays running in bridge's sense (it was handed over).
    """

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int]

    run_id: str
    attempt_id: str
    waiting: str = attrs.field(default="", converter=redact)
