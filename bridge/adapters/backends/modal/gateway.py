"""
The thin seam between :class:`~bridge.adapters.backends.modal.ModalBackend` and the Modal SDK.

``ModalGateway`` is the handful of Modal operations the backend needs, in bridge's own value
types; ``SdkModalGateway`` implements it with the real ``modal`` 1.6.4 SDK and is the only code
that touches SDK objects or SDK exceptions. Tests run the backend against an in-memory gateway,
and run ``SdkModalGateway`` against a loopback gRPC server speaking Modal's protocol.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, Protocol  # Any: modal SDK objects

import attrs

from bridge.errors import BackendError, BackendUnavailable, JobNotFound

__all__ = [
    "CallOutcome",
    "DeployedFunction",
    "ImageReport",
    "ModalGateway",
    "ModalObjectMissing",
    "Outcome",
    "SdkModalGateway",
    "VolumeFile",
]


class ModalObjectMissing(BackendUnavailable):
    """
    A named Modal object (app function, Secret with its keys, Volume) does not exist.
    """


class Outcome(enum.Enum):
    """
    What ``FunctionCall.get(timeout=0)`` said, in words that do not depend on the SDK.
    """

    PENDING = "pending"  # builtin TimeoutError: no output yet
    RETURNED = "returned"  # the function returned ``value``
    FUNCTION_TIMEOUT = "function_timeout"  # modal.exception.FunctionTimeoutError
    TERMINATED = "terminated"  # modal.exception.RemoteError: cancelled or terminated
    EXPIRED = "expired"  # modal.exception.OutputExpiredError: the result is gone
    INPUT_LOST = "input_lost"  # modal.exception.InternalFailure: worker preempted or lost
    RAISED = "raised"  # any other exception, re-raised from the container


@attrs.frozen(kw_only=True)
class CallOutcome:
    """
    One poll of one function call.

    Attributes:
        outcome: the kind of answer.
        value: the function's return value when ``outcome`` is RETURNED.
        message: the exception's type and message otherwise.
    """

    outcome: Outcome
    value: Any = None
    message: str = ""


@attrs.frozen(kw_only=True)
class DeployedFunction:
    """
    What Modal says about a deployed function (from ``Function.info()``).

    Attributes:
        gpus: ranked GPU choices as (upper-cased type, count); empty for a CPU function.
        timeout_seconds: the function's timeout.
        volume_mounts: mount path → volume id.
        secret_ids: ids of the Secrets attached to it.
        image_id: the id of the image it was built from (``im-...``); empty when Modal names none.
    """

    gpus: tuple[tuple[str, int], ...]
    timeout_seconds: int
    volume_mounts: Mapping[str, str]
    secret_ids: tuple[str, ...]
    image_id: str = ""


@attrs.frozen(kw_only=True)
class ImageReport:
    """
    What a function's image holds, as the launcher's image-report function saw it from inside.

    Attributes:
        python: the Python version (``3.11.9``).
        packages: installed distributions, name → version.
    """

    python: str
    packages: Mapping[str, str]


@attrs.frozen(kw_only=True)
class VolumeFile:
    """
    One file on a Volume: its path relative to the Volume root and its size.
    """

    path: str
    size: int


class ModalGateway(Protocol):
    """
    The Modal operations ``ModalBackend`` uses. All methods block for bounded network calls.

    Every method raises :class:`BackendUnavailable` when Modal cannot be reached or refuses the
    credentials, and :class:`ModalObjectMissing` when a named object does not exist.
    """

    def lookup_function(self, app: str, function: str) -> DeployedFunction:
        """
        Return the deployed function's description; ``ModalObjectMissing`` when not deployed.
        """
        ...

    def spawn(self, app: str, function: str, run_spec: Mapping[str, Any]) -> str:
        """
        Start one call of the function with ``run_spec`` as its single argument; return the
        call id (``fc-...``). Not idempotent: Modal has no idempotency key.
        """
        ...

    def get(self, call_id: str) -> CallOutcome:
        """
        Poll the call without waiting. Raises ``JobNotFound`` for an unknown call id.
        """
        ...

    def cancel(self, call_id: str) -> None:
        """
        Ask Modal to cancel the call. Idempotent.
        """
        ...

    def secret_id(self, name: str, required_keys: Sequence[str]) -> str:
        """
        Return the Secret's id; ``ModalObjectMissing`` when absent or lacking a required key.
        """
        ...

    def report_image(self, app: str, function: str, timeout: float) -> ImageReport:
        """
        Call the launcher's image-report ``function`` once and return what it reports.
        ``ModalObjectMissing`` when it is not deployed; ``BackendUnavailable`` when it gives
        no answer within ``timeout`` seconds; ``BackendError`` when it fails or answers
        something else.
        """
        ...

    def volume_id(self, name: str) -> str:
        """
        Return the Volume's id; ``ModalObjectMissing`` when it does not exist.
        """
        ...

    def read_file(self, volume: str, path: str) -> bytes | None:
        """
        Return a file's bytes from the Volume's committed state, ``None`` when it does not exist.
        """
        ...

    def list_files(self, volume: str, path: str) -> Sequence[VolumeFile]:
        """
        Return every file below ``path`` on the Volume (recursively), empty when none.
        """
        ...

    def close(self) -> None:
        """
        Release what the gateway holds. Idempotent.
        """
        ...


class SdkModalGateway:
    """
    ``ModalGateway`` over the real ``modal`` SDK.

    Args:
        client: a ``modal.Client`` to use (the caller closes it); ``None`` lets the SDK build its
            process-wide client from Modal's own environment variables or profile.
        environment: the Modal environment name, ``None`` for the profile's default.
    """

    def __init__(self, *, client: Any = None, environment: str | None = None) -> None:
        import modal  # imported here so that bridge without the ``modal`` extra still imports

        self._modal = modal
        self._client = client
        self._environment = environment
        self._functions: dict[tuple[str, str], Any] = {}

    # The SDK raises these for transport, credentials and server failures, never for the
    # outcome of a user's function, so they become BackendUnavailable.
    def _unavailable(self, exc: BaseException, doing: str) -> BackendUnavailable:
        err = self._modal.exception
        if isinstance(exc, err.AuthError):
            return BackendUnavailable(
                f"Modal refused the credentials while {doing}: {exc} (set MODAL_TOKEN_ID and "
                "MODAL_TOKEN_SECRET, or run `modal token new`)"
            )
        return BackendUnavailable(f"Modal could not be reached while {doing}: {exc}")

    def _transport_errors(self) -> tuple[type[BaseException], ...]:
        err = self._modal.exception
        return (
            err.AuthError,
            err.ConnectionError,
            err.ServiceError,
            err.ClientClosed,
            err.UnimplementedError,
            err.PermissionDeniedError,
            err.InternalError,
            err.ResourceExhaustedError,
        )

    def _function(self, app: str, function: str) -> Any:
        key = (app, function)
        if key not in self._functions:
            handle = self._modal.Function.from_name(
                app, function, environment_name=self._environment, client=self._client
            )
            try:
                handle.hydrate()
            except self._modal.exception.NotFoundError as exc:
                env = f" in environment '{self._environment}'" if self._environment else ""
                raise ModalObjectMissing(
                    f"Modal function '{function}' of app '{app}' is not deployed{env}: {exc}"
                ) from None
            except self._transport_errors() as exc:
                raise self._unavailable(exc, f"looking up {app}/{function}") from None
            self._functions[key] = handle
        return self._functions[key]

    def lookup_function(self, app: str, function: str) -> DeployedFunction:
        """
        Hydrate ``Function.from_name`` and translate ``info()``.
        """
        self._functions.pop((app, function), None)  # preflight must see the deployment now
        handle = self._function(app, function)
        try:
            info = handle.info()
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"reading {app}/{function}") from None
        return DeployedFunction(
            gpus=tuple((str(kind).upper(), int(count)) for kind, count in info.gpus),
            timeout_seconds=int(info.timeout),
            volume_mounts={
                path: str(mount.volume_id)
                for path, mount in info.volumes.items()
                if mount.volume_id
            },
            secret_ids=tuple(str(s) for s in info.secrets),
            image_id=str(info.image_info.image_id or ""),
        )

    def report_image(self, app: str, function: str, timeout: float) -> ImageReport:
        """
        ``Function.spawn()`` then ``FunctionCall.get(timeout=...)``; the call is cancelled when
        it gives no answer in time.
        """
        handle = self._function(app, function)
        try:
            call = handle.spawn()
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"spawning {app}/{function}") from None
        try:
            value = call.get(timeout=timeout)
        # As in get(): the builtin TimeoutError is "no answer yet"; Modal's own are outcomes.
        except TimeoutError:
            self.cancel(str(call.object_id))
            raise BackendUnavailable(
                f"Modal function {app}/{function} gave no answer within {timeout:g} s"
            ) from None
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"calling {app}/{function}") from None
        except Exception as exc:  # the function failed, or its exception re-raised here
            raise BackendError(
                f"Modal function {app}/{function} failed: {_describe(exc)}"
            ) from None
        packages = value.get("packages") if isinstance(value, dict) else None
        python = value.get("python") if isinstance(value, dict) else None
        if not isinstance(packages, dict) or not isinstance(python, str):
            raise BackendError(
                f"Modal function {app}/{function} answered {type(value).__name__}, not the "
                "launcher's image report (redeploy the launcher from docs/backends/modal.md)"
            )
        return ImageReport(python=python, packages={str(k): str(v) for k, v in packages.items()})

    def spawn(self, app: str, function: str, run_spec: Mapping[str, Any]) -> str:
        """
        ``Function.spawn(dict(run_spec))``; returns ``FunctionCall.object_id``.
        """
        handle = self._function(app, function)
        try:
            call = handle.spawn(dict(run_spec))
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"spawning {app}/{function}") from None
        except self._modal.exception.Error as exc:
            raise BackendError(f"Modal refused to spawn {app}/{function}: {exc}") from None
        return str(call.object_id)

    def _call(self, call_id: str) -> Any:
        return self._modal.FunctionCall.from_id(call_id, client=self._client)

    def get(self, call_id: str) -> CallOutcome:
        """
        ``FunctionCall.from_id(call_id).get(timeout=0)``, classified.
        """
        err = self._modal.exception
        try:
            value = self._call(call_id).get(timeout=0)
        # The builtin TimeoutError means "no output yet"; modal's own TimeoutError family does
        # not subclass it, and its members are terminal, so the order of clauses matters.
        except err.FunctionTimeoutError as exc:
            return CallOutcome(outcome=Outcome.FUNCTION_TIMEOUT, message=_describe(exc))
        except err.OutputExpiredError as exc:
            return CallOutcome(outcome=Outcome.EXPIRED, message=_describe(exc))
        except err.InternalFailure as exc:
            # Modal's GENERIC_STATUS_INTERNAL_FAILURE: the input was lost with its worker
            # (preemption, a vanished container), not an outcome of the user's code.
            return CallOutcome(outcome=Outcome.INPUT_LOST, message=_describe(exc))
        except TimeoutError:
            return CallOutcome(outcome=Outcome.PENDING)
        except err.NotFoundError as exc:
            raise JobNotFound(f"Modal does not know function call {call_id}: {exc}") from None
        except err.RemoteError as exc:
            return CallOutcome(outcome=Outcome.TERMINATED, message=_describe(exc))
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"polling {call_id}") from None
        except Exception as exc:  # a remote exception re-raised locally, whatever its type
            return CallOutcome(outcome=Outcome.RAISED, message=_describe(exc))
        return CallOutcome(outcome=Outcome.RETURNED, value=value)

    def cancel(self, call_id: str) -> None:
        """
        ``FunctionCall.from_id(call_id).cancel()``.
        """
        try:
            self._call(call_id).cancel()
        except self._modal.exception.NotFoundError as exc:
            raise JobNotFound(f"Modal does not know function call {call_id}: {exc}") from None
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"cancelling {call_id}") from None

    def secret_id(self, name: str, required_keys: Sequence[str]) -> str:
        """
        ``Secret.from_name(name, required_keys=...).hydrate()``; the server checks the keys.
        """
        secret = self._modal.Secret.from_name(
            name,
            environment_name=self._environment,
            required_keys=list(required_keys),
            client=self._client,
        )
        try:
            secret.hydrate()
        except self._modal.exception.NotFoundError as exc:
            keys = f" with keys {', '.join(required_keys)}" if required_keys else ""
            raise ModalObjectMissing(f"Modal Secret '{name}'{keys} not found: {exc}") from None
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"looking up Secret '{name}'") from None
        return str(secret.object_id)

    def _volume(self, name: str) -> Any:
        volume = self._modal.Volume.from_name(
            name, environment_name=self._environment, client=self._client
        )
        try:
            volume.hydrate()
        except self._modal.exception.NotFoundError as exc:
            raise ModalObjectMissing(f"Modal Volume '{name}' not found: {exc}") from None
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"looking up Volume '{name}'") from None
        return volume

    def volume_id(self, name: str) -> str:
        """
        ``Volume.from_name(name).hydrate()`` (never created: bridge creates nothing on Modal).
        """
        return str(self._volume(name).object_id)

    def read_file(self, volume: str, path: str) -> bytes | None:
        """
        ``b"".join(Volume.read_file(path))``; ``None`` for a missing file.
        """
        handle = self._volume(volume)
        # Block downloads go over plain HTTP(S), whose failures surface as OSError.
        transport: tuple[type[BaseException], ...] = (*self._transport_errors(), OSError)
        try:
            return b"".join(handle.read_file(path))
        except (FileNotFoundError, self._modal.exception.NotFoundError):
            return None
        except transport as exc:
            raise self._unavailable(exc, f"reading {volume}:{path}") from None
        except self._modal.exception.Error as exc:
            raise BackendError(f"Modal could not read {volume}:{path}: {exc}") from None

    def list_files(self, volume: str, path: str) -> Sequence[VolumeFile]:
        """
        ``Volume.listdir(path, recursive=True)``, files only; empty for a missing path.
        """
        handle = self._volume(volume)
        from modal.types import FileEntryType

        file_type = FileEntryType.FILE
        try:
            entries = handle.listdir(path, recursive=True)
        except (FileNotFoundError, self._modal.exception.NotFoundError):
            return ()
        except self._transport_errors() as exc:
            raise self._unavailable(exc, f"listing {volume}:{path}") from None
        except self._modal.exception.Error as exc:
            raise BackendError(f"Modal could not list {volume}:{path}: {exc}") from None
        return tuple(
            VolumeFile(path=e.path.lstrip("/"), size=int(e.size))
            for e in entries
            if e.type == file_type
        )

    def close(self) -> None:
        """
        Forget cached handles; the client belongs to whoever made it.
        """
        self._functions.clear()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
