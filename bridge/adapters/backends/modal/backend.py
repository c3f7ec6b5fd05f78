"""
The Modal backend: each attempt is one call of the user's deployed launcher function.

The launcher (``docs/backends/modal.md``) writes an attempt marker holding its call id to a Modal
Volume before it does anything else, runs the command, and keeps the log, exit code and outputs
on the Volume. This backend spawns calls, polls them with ``FunctionCall.get(timeout=0)``, finds
attempts again by their marker after a crash, and copies outputs back from the Volume.

bridge never deploys the launcher and never falls back to another backend: a missing or
mismatched deployment is a preflight error that names what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any  # Any: modal SDK objects

from bridge.adapters.backends.modal.config import ModalConfig
from bridge.adapters.backends.modal.gateway import (
    CallOutcome,
    DeployedFunction,
    ModalGateway,
    ModalObjectMissing,
    Outcome,
    SdkModalGateway,
)
from bridge.adapters.backends.modal.requirements import (
    DeclaredRequirement,
    read_requirements_file,
    unmet,
)
from bridge.errors import BackendError, BackendUnavailable, JobNotFound
from bridge.machine.ports import (
    Artifact,
    AttemptPlace,
    JobHandle,
    JobSpec,
    JobState,
    JobStatus,
    Slot,
)
from bridge.plan.safe_ids import is_safe_id

__all__ = ["ModalBackend", "attempt_marker_path", "image_report_function"]

_RUN_SPEC_VERSION = 1
_IMAGE_REPORT_TIMEOUT = 300.0  # seconds: a CPU container of the image starting and answering


def image_report_function(function: str) -> str:
    """
    Return the name of the launcher's image-report function for the entry ``function``.
    """
    return f"{function}_image_report"


def attempt_marker_path(attempt_id: str) -> str:
    """
    Return the marker's path relative to the Volume root (``attempts/<attempt_id>.json``).
    """
    return f"attempts/{attempt_id}.json"


def _attempt_dir(run_id: str, attempt_id: str) -> str:
    # The Volume's layout is the deployed launcher's (docs/backends/modal_launcher.py), which
    # places each attempt by the ids of its run spec: bridge reads it where the launcher writes,
    # and a new layout would need every deployed launcher redeployed.
    return f"runs/{run_id}/{attempt_id}"


def _check_id(kind: str, value: str) -> None:
    # Ids become Volume paths; anything else could escape the attempt directory.
    if not is_safe_id(value):
        raise BackendError(f"Modal backend: {kind} {value!r} is not a safe path component")


class ModalBackend:
    """
    ``Backend`` on Modal functions.

    Args:
        config: the ``[backends.modal]`` settings.
        project_root: the project directory (the launcher uploads it to ``/workspace``).
        gateway: the Modal seam; ``None`` for the real SDK.
        client: a ``modal.Client`` for the real SDK gateway; ``None`` lets the SDK build one from
            Modal's environment variables or profile. Ignored when ``gateway`` is given.
        sleep: how ``wait`` sleeps (injectable for embedders; defaults to ``time.sleep``).
    """

    name = "modal"

    def __init__(
        self,
        config: ModalConfig,
        project_root: Path,
        *,
        gateway: ModalGateway | None = None,
        client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.project_root = project_root
        self._gateway: ModalGateway = gateway or SdkModalGateway(
            client=client, environment=config.environment
        )
        self._sleep = sleep
        self._handles: dict[str, JobHandle] = {}
        self._cancelled: set[str] = set()  # call ids this process cancelled
        self._started: set[str] = set()  # call ids whose marker we have seen
        self._deployed_timeout: int | None = None
        self._image_checked = False  # the image report is asked for once per backend object

    # -- preflight ------------------------------------------------------------------------------

    def preflight(self) -> Sequence[Slot]:
        """
        Check the deployed function, its Secrets, Volume and image against the configuration.

        The image check runs when ``requirements`` or ``packages`` are configured, on the first
        preflight only: the launcher's ``<function>_image_report`` function (same image, no
        GPU) is called once and every declared requirement must be installed in a version it
        allows.

        Returns:
            ``slots`` slots ``Slot(host="modal", gpu=i)``; ``gpu`` is a concurrency index (each
            call gets its own container and GPUs).

        Raises:
            BackendUnavailable: Modal unreachable or credentials refused; the function is not
                deployed (naming app and function); the image report gave no answer in time;
                or each mismatch, named by its setting.
            BackendConfigError: the requirements file cannot be read or holds a line bridge
                cannot check (naming ``file:line``).
        """
        cfg = self.config
        try:
            deployed = self._gateway.lookup_function(cfg.app, cfg.function)
        except ModalObjectMissing as exc:
            raise BackendUnavailable(
                f"backends.modal: function '{cfg.function}' of app '{cfg.app}' is not deployed "
                f"({exc}). Deploy the launcher with `modal deploy` (docs/backends/modal.md); "
                "bridge never deploys it for you."
            ) from None
        problems: list[str] = []
        if cfg.gpu is not None and tuple(cfg.gpu) != tuple(deployed.gpus):
            problems.append(
                f"backends.modal.gpu: configured {_gpus(cfg.gpu)}, deployed {_gpus(deployed.gpus)}"
            )
        if cfg.timeout_seconds is not None and cfg.timeout_seconds != deployed.timeout_seconds:
            problems.append(
                f"backends.modal.timeout: configured {cfg.timeout_seconds} s, "
                f"deployed {deployed.timeout_seconds} s"
            )
        try:
            volume_id = self._gateway.volume_id(cfg.volume)
        except ModalObjectMissing as exc:
            problems.append(f"backends.modal.volume: {exc}")
        else:
            mounted = deployed.volume_mounts.get(cfg.mount_path)
            if mounted is None:
                where = ", ".join(sorted(deployed.volume_mounts)) or "nowhere"
                problems.append(
                    f"backends.modal.mount_path: the function mounts no volume at "
                    f"{cfg.mount_path} (it mounts volumes at: {where})"
                )
            elif mounted != volume_id:
                problems.append(
                    f"backends.modal.volume: the function mounts another volume ({mounted}) at "
                    f"{cfg.mount_path}, not '{cfg.volume}' ({volume_id})"
                )
        for index, secret in enumerate(cfg.secrets):
            try:
                secret_id = self._gateway.secret_id(secret.name, secret.required_keys)
            except ModalObjectMissing as exc:
                problems.append(f"backends.modal.secrets[{index}]: {exc}")
                continue
            if secret_id not in deployed.secret_ids:
                problems.append(
                    f"backends.modal.secrets[{index}]: the function was deployed without "
                    f"Secret '{secret.name}'"
                )
        problems.extend(self._image_problems(deployed))
        if problems:
            raise BackendUnavailable(
                f"Modal function {cfg.app}/{cfg.function} does not match bridge.toml:\n  - "
                + "\n  - ".join(problems)
            )
        self._deployed_timeout = deployed.timeout_seconds
        return tuple(Slot(host="modal", gpu=i) for i in range(cfg.slots))

    def _declared_requirements(self) -> tuple[DeclaredRequirement, ...]:
        cfg = self.config
        declared = tuple(
            DeclaredRequirement(text=text, where=f"backends.modal.packages[{index}]")
            for index, text in enumerate(cfg.packages)
        )
        if cfg.requirements is not None:
            path = self.project_root / cfg.requirements
            declared += read_requirements_file(path, cfg.requirements)
        return declared

    def _image_problems(self, deployed: DeployedFunction) -> list[str]:
        cfg = self.config
        declared = self._declared_requirements()
        if not declared or self._image_checked:
            return []
        if not deployed.image_id:
            return [
                f"backends.modal.requirements: Modal names no image for {cfg.app}/{cfg.function}"
            ]
        reporter_name = image_report_function(cfg.function)
        try:
            reporter = self._gateway.lookup_function(cfg.app, reporter_name)
        except ModalObjectMissing:
            return [
                f"backends.modal.requirements: the image cannot be checked: function "
                f"'{reporter_name}' of app '{cfg.app}' is not deployed (the launcher in "
                "docs/backends/modal.md defines it: redeploy the current launcher)"
            ]
        if reporter.image_id != deployed.image_id:
            return [
                f"backends.modal.requirements: '{reporter_name}' runs image "
                f"{reporter.image_id or '(none)'} but '{cfg.function}' runs {deployed.image_id}: "
                "redeploy the launcher so both are built from one image"
            ]
        try:
            report = self._gateway.report_image(cfg.app, reporter_name, _IMAGE_REPORT_TIMEOUT)
        except BackendUnavailable:
            raise
        except BackendError as exc:
            return [f"backends.modal.requirements: the image report failed: {exc}"]
        self._image_checked = True
        return [
            f"{line} (image {deployed.image_id}, Python {report.python or 'unknown'}; add it to "
            "the launcher's image and redeploy)"
            for line in unmet(declared, report.python, report.packages)
        ]

    # -- runs -------------------------------------------------------------------------------------

    def output_dir(self, place: AttemptPlace) -> str:
        """
        Return ``<mount_path>/runs/<run_id>/<attempt_id>/output``, as the function sees it:
        the launcher's layout on the Volume, by the place's ids (``place.path`` names the
        project's copy, which ``fetch_artifacts`` fills).
        """
        return f"{self.config.mount_path}/{_attempt_dir(place.run_id, place.attempt_id)}/output"

    def submit(self, spec: JobSpec) -> JobHandle:
        """
        Spawn one call with the run spec; idempotent on ``spec.attempt_id`` through the marker.

        Raises:
            BackendError: unsafe ids, or a run timeout longer than the deployed function's.
            BackendUnavailable: Modal unreachable.
        """
        _check_id("run id", spec.run_id)
        _check_id("attempt id", spec.attempt_id)
        if spec.attempt_id in self._handles:
            return self._handles[spec.attempt_id]
        deployed = self._deployed_timeout
        if (
            spec.timeout_seconds is not None
            and deployed is not None
            and spec.timeout_seconds > deployed
        ):
            raise BackendError(
                f"run {spec.run_id}: its timeout ({spec.timeout_seconds:g} s) is longer than the "
                f"deployed Modal function's ({deployed} s), which would stop it first; raise "
                "TIMEOUT_SECONDS in the launcher and redeploy, or lower the run's timeout"
            )
        earlier = self._find(spec.attempt_id)
        if earlier is not None:
            return earlier
        run_spec = {
            "version": _RUN_SPEC_VERSION,
            "run_id": spec.run_id,
            "attempt_id": spec.attempt_id,
            "argv": list(spec.argv),
            "env": dict(spec.env),
            "cwd": spec.cwd,
            "timeout_seconds": spec.timeout_seconds,
        }
        call_id = self._gateway.spawn(self.config.app, self.config.function, run_spec)
        handle = self._handle(spec.run_id, spec.attempt_id, call_id)
        self._handles[spec.attempt_id] = handle
        return handle

    def _handle(self, run_id: str, attempt_id: str, call_id: str) -> JobHandle:
        return JobHandle(
            backend=self.name,
            attempt_id=attempt_id,
            locator={
                "call_id": call_id,
                "run_id": run_id,
                "app": self.config.app,
                "function": self.config.function,
                "volume": self.config.volume,
            },
        )

    def poll(self, handle: JobHandle) -> JobState:
        """
        Classify ``FunctionCall.get(timeout=0)``.

        Pending is QUEUED until the launcher's marker appears, RUNNING after; the function's own
        timeout is TIMED_OUT; a terminated call is CANCELLED, whoever cancelled it (this
        process, another bridge, ``modal app stop``, the dashboard); a lost input (preempted
        or vanished worker) and an expired result are LOST; any other exception is FAILED with
        its message; a returned result is SUCCEEDED or FAILED by its exit code, TIMED_OUT when
        the run's own timeout stopped it.

        Raises:
            JobNotFound: Modal knows no such call, or the handle names none and the Volume has
                no marker for its attempt.
        """
        call_id = self._call_id(handle)
        outcome = self._gateway.get(call_id)
        if outcome.outcome is Outcome.RETURNED and isinstance(outcome.value, dict):
            original = outcome.value.get("duplicate_of")
            if isinstance(original, str) and original and original != call_id:
                # This call found another call already owning the attempt: follow that one.
                return self._classify(handle, original, self._gateway.get(original))
        return self._classify(handle, call_id, outcome)

    def _classify(self, handle: JobHandle, call_id: str, outcome: CallOutcome) -> JobState:
        kind = outcome.outcome
        if kind is Outcome.PENDING:
            if call_id in self._started or self._marker_call(handle.attempt_id) is not None:
                self._started.add(call_id)
                return JobState(status=JobStatus.RUNNING)
            return JobState(status=JobStatus.QUEUED, detail="waiting for a Modal container")
        if kind is Outcome.RETURNED:
            return _from_result(outcome.value)
        if kind is Outcome.TERMINATED:
            who = "" if call_id in self._cancelled else "cancelled outside this bridge process: "
            return JobState(status=JobStatus.CANCELLED, detail=who + outcome.message)
        tail = self._log_tail(handle)
        if kind is Outcome.FUNCTION_TIMEOUT:
            return JobState(status=JobStatus.TIMED_OUT, detail=outcome.message, log_tail=tail)
        if kind is Outcome.EXPIRED:
            return JobState(
                status=JobStatus.LOST,
                detail=f"Modal no longer holds the result of {call_id}: {outcome.message}",
                log_tail=tail,
            )
        if kind is Outcome.INPUT_LOST:
            return JobState(
                status=JobStatus.LOST,
                detail=f"Modal lost {call_id} with its worker: {outcome.message}",
                log_tail=tail,
            )
        return JobState(status=JobStatus.FAILED, detail=outcome.message, log_tail=tail)

    def _call_id(self, handle: JobHandle) -> str:
        if handle.backend != self.name:
            raise BackendError(f"not a Modal handle: {handle.backend} {handle.attempt_id}")
        if "call_id" in handle.locator:
            return handle.locator["call_id"]
        # A handle without a call id (an attempt recorded before its spawn returned): the
        # Volume's marker is the only place its call can be found.
        found = self._find(handle.attempt_id)
        if found is None:
            raise JobNotFound(
                f"Modal backend: no call for attempt {handle.attempt_id} (no marker "
                f"{attempt_marker_path(handle.attempt_id)} on Volume '{self.config.volume}')"
            )
        return found.locator["call_id"]

    def _marker_call(self, attempt_id: str) -> dict[str, str] | None:
        raw = self._gateway.read_file(self.config.volume, attempt_marker_path(attempt_id))
        if raw is None:
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise BackendError(
                f"attempt marker {attempt_marker_path(attempt_id)} on Volume "
                f"'{self.config.volume}' is not JSON"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("call_id"), str):
            raise BackendError(f"attempt marker for {attempt_id} has no call_id")
        return {str(k): str(v) for k, v in data.items()}

    def _log_tail(self, handle: JobHandle) -> str:
        run_id = handle.locator.get("run_id", "")
        if not is_safe_id(run_id):
            return ""
        path = f"{_attempt_dir(run_id, handle.attempt_id)}/log.txt"
        raw = self._gateway.read_file(self.config.volume, path)
        return "" if raw is None else raw[-8192:].decode("utf-8", errors="replace")

    def wait(self, handles: Sequence[JobHandle], timeout: float) -> None:
        """
        Sleep ``min(timeout, poll_interval_seconds)``: Modal has no cheap change notification.
        """
        self._sleep(max(0.0, min(timeout, self.config.poll_interval_seconds)))

    def cancel(self, handle: JobHandle) -> None:
        """
        ``FunctionCall.cancel``; idempotent, and a call that already ended keeps its outcome.
        """
        call_id = self._call_id(handle)
        self._cancelled.add(call_id)
        self._gateway.cancel(call_id)

    def fetch_artifacts(self, handle: JobHandle, dest: Path) -> Sequence[Artifact]:
        """
        Copy ``runs/<run_id>/<attempt_id>/`` from the Volume into ``dest``, same layout.

        Returns:
            Each file copied (``output/...``, ``log.txt``, ``exit_code``) with size and sha256.

        Raises:
            BackendError: a listed file could not be read back, or a path would leave ``dest``.
        """
        run_id = handle.locator.get("run_id", "")
        _check_id("run id", run_id)
        _check_id("attempt id", handle.attempt_id)
        prefix = _attempt_dir(run_id, handle.attempt_id)
        artifacts: list[Artifact] = []
        for entry in self._gateway.list_files(self.config.volume, prefix):
            relative = (
                PurePosixPath(entry.path).relative_to(prefix)
                if entry.path.startswith(prefix + "/")
                else None
            )
            if relative is None or ".." in relative.parts or relative.is_absolute():
                raise BackendError(f"Modal Volume listed {entry.path!r} outside {prefix}")
            data = self._gateway.read_file(self.config.volume, entry.path)
            if data is None:
                raise BackendError(
                    f"Modal Volume '{self.config.volume}' listed {entry.path} but it could not "
                    "be read back"
                )
            target = dest.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            artifacts.append(
                Artifact(
                    path=relative.as_posix(),
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            )
        return sorted(artifacts, key=lambda a: a.path)

    def find(self, place: AttemptPlace) -> JobHandle | None:
        """
        Read the attempt marker from the Volume; ``None`` when the launcher never started it.

        A call spawned but not yet started by Modal leaves no marker; if bridge crashed in that
        window the attempt may be launched again, and the launcher then defers to the first call.
        """
        return self._find(place.attempt_id)

    def _find(self, attempt_id: str) -> JobHandle | None:
        _check_id("attempt id", attempt_id)
        if attempt_id in self._handles:
            return self._handles[attempt_id]
        marker = self._marker_call(attempt_id)
        if marker is None:
            return None
        handle = self._handle(marker.get("run_id", ""), attempt_id, marker["call_id"])
        self._handles[attempt_id] = handle
        self._started.add(marker["call_id"])
        return handle

    def release(self) -> None:
        """
        Close the gateway (Modal calls keep running; nothing is held on Modal's side).
        """
        self._gateway.close()


def _gpus(gpus: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{kind}:{count}" for kind, count in gpus) or "no GPU"


def _from_result(value: Any) -> JobState:
    if not isinstance(value, dict) or "exit_code" not in value:
        return JobState(
            status=JobStatus.FAILED,
            detail=f"the Modal function returned {type(value).__name__}, not the launcher's result",
        )
    code = value.get("exit_code")
    tail = str(value.get("log_tail") or "")
    # The launcher samples its container's GPUs while the run goes (None: no nvidia-smi there,
    # or a launcher deployed before it sampled).
    raw_peak = value.get("gpu_memory_peak_mib")
    peak = raw_peak if isinstance(raw_peak, int) and not isinstance(raw_peak, bool) else None
    if value.get("timed_out"):
        return JobState(
            status=JobStatus.TIMED_OUT,
            exit_code=code if isinstance(code, int) and not isinstance(code, bool) else None,
            detail="the run's timeout stopped it",
            log_tail=tail,
            gpu_memory_peak_mib=peak,
        )
    if not isinstance(code, int) or isinstance(code, bool):
        return JobState(
            status=JobStatus.FAILED,
            detail=f"no exit code ({code!r})",
            log_tail=tail,
            gpu_memory_peak_mib=peak,
        )
    status = JobStatus.SUCCEEDED if code == 0 else JobStatus.FAILED
    detail = "" if code == 0 else f"exit code {code}"
    return JobState(
        status=status, exit_code=code, detail=detail, log_tail=tail, gpu_memory_peak_mib=peak
    )
