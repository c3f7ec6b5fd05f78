"""
The ports: the Protocols through which the pipeline talks to the outside world.

``machine`` defines them; ``bridge/adapters/`` implements them. All value types crossing a port
are frozen attrs classes owned by bridge, so they can be stored in events through the codec.
Adapters translate vendor exceptions into :mod:`bridge.errors` at their edge.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import attrs

from bridge.events import types as ev
from bridge.events.values import Artifact, Finding, JobHandle, Severity, Slot

__all__ = [
    "AblationPlanner",
    "AblationRequest",
    "Artifact",
    "Backend",
    "CostQuote",
    "CriterionJudgment",
    "CriterionRequest",
    "CriterionReviewer",
    "Finding",
    "Gate",
    "GateDecision",
    "GpuInfo",
    "GpuProbe",
    "IdleReleaser",
    "ImplementRequest",
    "Implementation",
    "Implementer",
    "InstanceSpend",
    "InstanceSweeper",
    "JobHandle",
    "JobSpec",
    "JobState",
    "JobStatus",
    "Notifier",
    "OrphanInstance",
    "PaidBackend",
    "ProposedRun",
    "RentalReporter",
    "Review",
    "ReviewRequest",
    "Reviewer",
    "ScratchSpace",
    "SelectiveNotifier",
    "Severity",
    "Slot",
]


# --------------------------------------------------------------------------------------------
# Backends
# --------------------------------------------------------------------------------------------


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


@attrs.frozen(kw_only=True)
class JobSpec:
    """
    Everything a backend needs to launch one attempt, in standardised resources.

    Attributes:
        run_id: the run's directory name: the plan's run id (``R001``), or the safe name
            derived from an id that cannot name a directory (``RunView.directory``).
        attempt_id: globally unique id of this attempt; the backend's idempotency key
            (it names the attempt directory, remote marker, instance label or call marker).
        argv: the command, already rendered; never passed through a shell unquoted.
        env: extra environment variables (the backend adds ``CUDA_VISIBLE_DEVICES``).
        slots: where to run; one slot per GPU asked for (all on one host).
        cwd: working directory relative to the project root (``""`` is the root itself).
        timeout_seconds: wall-clock limit, ``None`` for none.
        outputs: expected output globs, relative to the attempt's output directory.
    """

    run_id: str
    attempt_id: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = attrs.field(factory=dict)
    slots: tuple[Slot, ...] = ()
    cwd: str = ""
    timeout_seconds: float | None = None
    outputs: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
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
    """

    status: JobStatus
    exit_code: int | None = None
    detail: str = ""
    log_tail: str = ""
    waiting: str = ""
    gpu_memory_peak_mib: int | None = None


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

    def output_dir(self, run_id: str, attempt_id: str) -> str:
        """
        Return the absolute path, as the run itself sees it, of the attempt's output directory.

        The pipeline renders ``{output_dir}`` in the command with this value; expected output
        globs are matched relative to it. Pure: no I/O.
        """
        ...

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Launch one attempt and return at once (the run continues detached).

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

    def find(self, attempt_id: str) -> JobHandle | None:
        """
        Return the handle of an attempt launched earlier (by its marker), or ``None`` when the
        backend has no trace of it. Used to reconcile after a crash.
        """
        ...

    def release(self) -> None:
        """
        Free what the backend holds (connections; instances when configured to). Idempotent.
        """
        ...


class CostQuote(Protocol):
    """
    A paid backend's quote for some hours of work.
    """

    @property
    def dollars(self) -> float:
        """The quoted total."""
        ...

    @property
    def dph(self) -> float:
        """Dollars per hour of one machine."""
        ...

    @property
    def offer(self) -> str:
        """What would be rented, for people: ``"offer 123 (2x RTX_4090)"``."""
        ...


class InstanceSpend(Protocol):
    """
    What one rented machine has cost so far.
    """

    @property
    def instance_id(self) -> int:
        """The provider's id of the machine."""
        ...

    @property
    def dollars(self) -> float:
        """Dollars accumulated so far."""
        ...


class OrphanInstance(Protocol):
    """
    A machine labelled for this project that no live attempt in the log uses.
    """

    @property
    def instance_id(self) -> int:
        """The provider's id of the machine."""
        ...

    @property
    def label(self) -> str:
        """Its label (which names the project and the attempt it was rented for)."""
        ...

    @property
    def status(self) -> str:
        """The provider's status word (``running``, ``exited``, ...)."""
        ...

    @property
    def dph(self) -> float:
        """Dollars per hour."""
        ...

    @property
    def hours(self) -> float:
        """Hours since it started."""
        ...

    @property
    def dollars(self) -> float:
        """Dollars accumulated so far."""
        ...


@runtime_checkable
class PaidBackend(Protocol):
    """
    A backend that rents machines by the hour (Vast.ai): it can quote, count and find leftovers.

    The pipeline uses it when the backend offers it: the quote goes into the approval summary,
    the dollars spent into the log (``CostRecorded``), and instances left behind by earlier
    sessions are reported (``OrphansReported``).
    """

    def estimate(self, hours: float) -> CostQuote:
        """
        Quote ``hours`` of work.
        """
        ...

    def spent(self) -> float:
        """
        Dollars accumulated so far by every instance this backend used.
        """
        ...

    def costs(self) -> Sequence[InstanceSpend]:
        """
        Per instance used: what it has cost so far.
        """
        ...

    def orphans(
        self, *, handles: Iterable[JobHandle] = (), attempt_ids: Iterable[str] = ()
    ) -> Sequence[OrphanInstance]:
        """
        Instances labelled for this project that none of ``handles``/``attempt_ids`` uses.
        """
        ...


@runtime_checkable
class InstanceSweeper(Protocol):
    """
    A backend whose leftover rented machines ``bridge gc`` can list and destroy.
    """

    def orphans(
        self, *, handles: Iterable[JobHandle] = (), attempt_ids: Iterable[str] = ()
    ) -> Sequence[OrphanInstance]:
        """
        Instances labelled for this project that none of ``handles``/``attempt_ids`` uses.
        """
        ...

    def destroy_instance(self, instance_id: int) -> None:
        """
        Destroy one of this project's instances; refuse (``BackendError``) one it did not rent.
        """
        ...


@runtime_checkable
class IdleReleaser(Protocol):
    """
    A backend that can give back machines no queued run needs before the whole plan ends.
    """

    def release_idle(self) -> None:
        """
        Free what no live attempt uses (each freed only once everything on it was copied back).
        Idempotent; never raises for a machine it keeps.
        """
        ...


@runtime_checkable
class RentalReporter(Protocol):
    """
    A backend that rents machines (Vast.ai) and reports each one, with the command that stops
    its billing, before it launches anything on it.
    """

    def on_rented(self, hook: Callable[[ev.InstanceRented], None]) -> None:
        """
        Call ``hook`` with every machine rented or found again from now on, before the attempt
        it serves is launched there (an error from ``hook`` stops that launch).
        """
        ...


@runtime_checkable
class ScratchSpace(Protocol):
    """
    A backend that gives each attempt a fresh scratch directory outside the project's checkout
    (``{scratch_dir}`` in a command); a backend without it refuses such commands at start.
    """

    def scratch_dir(self, run_id: str, attempt_id: str) -> str:
        """
        Create the attempt's empty scratch directory and return its absolute path as the run
        sees it. Idempotent on ``attempt_id`` (a relaunch after a crash gets the same one).
        """
        ...

    def remove_scratch(self, run_id: str, attempt_id: str) -> None:
        """
        Delete the attempt's scratch directory and all in it; nothing when it is already gone.
        """
        ...


@attrs.frozen(kw_only=True)
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


# --------------------------------------------------------------------------------------------
# Implementers and reviewers
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ImplementRequest:
    """
    What the implementer is asked to do.

    Attributes:
        project: the project root.
        plan_excerpt: the parts of the plan the code must implement.
        method: the proposal's method text.
        commands: each run id with its rendered command, so missing scripts can be found.
        findings: blocking findings to fix (from review or rescue); empty on the first pass.
        setup_params: per block id, the hyperparameter names its setup text names.
    """

    project: Path
    plan_excerpt: str
    method: str
    commands: Mapping[str, tuple[str, ...]]
    findings: tuple[Finding, ...] = ()
    setup_params: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Implementation:
    """
    What the implementer did: the files it changed (path relative to the project → sha256)
    and the findings of its own checks.
    """

    changed_files: Mapping[str, str]
    findings: tuple[Finding, ...]
    summary: str = ""
    base_commit: str = ""


class Implementer(Protocol):
    """
    Makes sure every run has working code (existing scripts, or an external coding agent).
    """

    name: str

    def implement(self, request: ImplementRequest) -> Implementation:
        """
        Implement (or fix, when ``request.findings`` is not empty) and check the code.

        Raises ``ImplementError`` when the implementer itself cannot run.
        """
        ...

    @property
    def can_fix(self) -> bool:
        """
        True when this implementer can change code in answer to findings.
        """
        ...


@attrs.frozen(kw_only=True)
class ReviewRequest:
    """
    What the reviewer is asked to judge.

    ``purpose`` is ``"code_review"`` before GPU time is spent, ``"rescue"`` after repeated sanity
    failures (then ``failure`` holds command, backend, log excerpt and the failure signature).
    """

    purpose: str
    project: Path
    plan_excerpt: str
    method: str
    files: Mapping[str, str]  # path relative to project → file text (bounded in size)
    diff: str = ""
    failure: str = ""


@attrs.frozen(kw_only=True)
class Review:
    """
    A reviewer's answer: findings split by severity, the raw text, and who produced it.

    ``local_only`` is True for the local checklist reviewer; its review is marked ``[local-only]``.
    ``unavailable`` says why a configured reviewer could not answer, when the local checklist
    answered in its place (``[reviewer] on_unavailable = "local-only"``).
    """

    reviewer: str
    findings: tuple[Finding, ...]
    text: str
    local_only: bool = False
    model: str = ""
    unavailable: str = ""

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """
        The BLOCKING findings.
        """
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)


class Reviewer(Protocol):
    """
    Gives a second opinion on the code (or a rescue diagnosis).
    """

    name: str

    def review(self, request: ReviewRequest) -> Review:
        """
        Review and return findings. Raises ``ReviewError`` when no review could be had.
        """
        ...


@attrs.frozen(kw_only=True)
class CriterionRequest:
    """
    A block whose success criterion the rules could not check, for a reviewer to judge.

    Attributes:
        block: the block id.
        plan_excerpt: the block as the plan recorded it (title, systems, metrics, criterion).
        criterion: the criterion's text.
        numbers: the block's aggregated numbers, one line each, with the runs they come from.
        rule_reason: why the rules gave no verdict.
        project: the project root (where an agent reviewer runs).
    """

    block: str
    plan_excerpt: str
    criterion: str
    numbers: str
    rule_reason: str
    project: Path = Path()


@attrs.frozen(kw_only=True)
class CriterionJudgment:
    """
    A reviewer's verdict on one criterion: ``met``, ``not_met`` or ``inconclusive``, with its
    reasoning and who gave it.
    """

    verdict: str
    reasoning: str
    reviewer: str
    model: str = ""


@runtime_checkable
class CriterionReviewer(Protocol):
    """
    A reviewer that can also judge a success criterion the rules cannot check (a judgment, not
    a measurement; shown as ``judged_by: reviewer``).
    """

    name: str

    def judge_criterion(self, request: CriterionRequest) -> CriterionJudgment:
        """
        Judge the criterion on the numbers given. Raises ``ReviewError`` when no judgment could
        be had (unreachable, refused, or a reply with no verdict line).
        """
        ...


# --------------------------------------------------------------------------------------------
# Ablation planning
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ProposedRun:
    """
    One ablation run a planner proposes: a system of the plan (or a variant configured in
    ``[systems]``), a seed, and extra placeholder values for the command template.
    """

    id: str
    block: str
    system: str
    seed: int | None = None
    purpose: str = "ablation"
    args: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class AblationRequest:
    """
    What an ablation planner is shown: the plan, the results so far, the systems that can be
    run, and the run ids already taken.
    """

    project: Path
    plan_excerpt: str
    results: str
    systems: tuple[str, ...]
    taken_ids: tuple[str, ...]


class AblationPlanner(Protocol):
    """
    Proposes ablation runs once the main result is positive. Proposals are recorded as
    nice-to-have runs and launched only after a person approves them.
    """

    name: str

    def propose(self, request: AblationRequest) -> Sequence[ProposedRun]:
        """
        Return the runs to propose (possibly none). Raises ``ReviewError`` when it cannot.
        """
        ...


# --------------------------------------------------------------------------------------------
# Gates and notifications
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class GateDecision:
    """
    A milestone gate's answer: proceed, or hold with a reason.
    """

    proceed: bool
    reason: str = ""


class Gate(Protocol):
    """
    Decides whether the next milestone may start once the current one finished.
    """

    def decide(self, milestone: str, summary: Mapping[str, str]) -> GateDecision:
        """
        Return whether the pipeline may start the milestone after ``milestone``.
        """
        ...


class Notifier(Protocol):
    """
    Tells people about milestones, failures and the end of a run. Must never raise.
    """

    def notify(self, title: str, text: str) -> None:
        """
        Send a notification; failures are logged, never raised.
        """
        ...


@runtime_checkable
class SelectiveNotifier(Notifier, Protocol):
    """
    A notifier that chooses which kinds of event it is told about (``[notify] events``).
    """

    def wants(self, event: str) -> bool:
        """
        Return whether notifications of kind ``event`` (``milestone``, ``failed``, ``blocked``,
        ...) should be sent.
        """
        ...
