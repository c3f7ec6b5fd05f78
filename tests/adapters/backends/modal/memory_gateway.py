"""
An in-memory ``ModalGateway`` for the backend's own logic: a real implementation, not a mock.

Its Volume is a real directory, so the real launcher (``docs/backends/modal_launcher.py``) can
run an attempt into it exactly as it would inside a Modal container.
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from bridge.adapters.backends.modal.gateway import (
    CallOutcome,
    DeployedFunction,
    ImageReport,
    ModalObjectMissing,
    Outcome,
    VolumeFile,
)
from bridge.errors import BackendUnavailable, JobNotFound

REPO_ROOT = Path(__file__).resolve().parents[4]
LAUNCHER_PATH = REPO_ROOT / "docs" / "backends" / "modal_launcher.py"


def load_launcher() -> ModuleType:
    """Import the documented launcher module from its file."""
    spec = importlib.util.spec_from_file_location("bridge_modal_launcher", LAUNCHER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@attrs.define
class MemoryCall:
    """One spawned call and what polling it answers."""

    call_id: str
    run_spec: dict[str, Any]
    outcome: CallOutcome = attrs.Factory(lambda: CallOutcome(outcome=Outcome.PENDING))
    cancelled: bool = False


class MemoryModalGateway:
    """``ModalGateway`` over dictionaries and one directory per Volume."""

    def __init__(self, volume_root: Path) -> None:
        self.volume_root = volume_root
        self.functions: dict[tuple[str, str], DeployedFunction] = {}
        self.secrets: dict[str, tuple[str, set[str]]] = {}
        self.volumes: dict[str, str] = {}
        self.calls: dict[str, MemoryCall] = {}
        self.images: dict[tuple[str, str], ImageReport] = {}  # image-report function -> report
        self.reachable = True
        self.closed = False
        self._ids = itertools.count(1)

    def _check(self) -> None:
        if not self.reachable:
            raise BackendUnavailable("Modal could not be reached (memory gateway offline)")

    def volume_dir(self, name: str) -> Path:
        """The directory standing for Volume ``name``."""
        return self.volume_root / name

    def lookup_function(self, app: str, function: str) -> DeployedFunction:
        """Return the registered function."""
        self._check()
        try:
            return self.functions[(app, function)]
        except KeyError:
            raise ModalObjectMissing(f"no function {function} in app {app}") from None

    def spawn(self, app: str, function: str, run_spec: Mapping[str, Any]) -> str:
        """Record a pending call."""
        self.lookup_function(app, function)
        call_id = f"fc-{next(self._ids)}"
        self.calls[call_id] = MemoryCall(call_id=call_id, run_spec=dict(run_spec))
        return call_id

    def get(self, call_id: str) -> CallOutcome:
        """Answer the call's current outcome."""
        self._check()
        if call_id not in self.calls:
            raise JobNotFound(call_id)
        return self.calls[call_id].outcome

    def cancel(self, call_id: str) -> None:
        """Mark cancelled; a pending call becomes terminated, as on Modal."""
        self._check()
        call = self.calls[call_id]
        call.cancelled = True
        if call.outcome.outcome is Outcome.PENDING:
            call.outcome = CallOutcome(outcome=Outcome.TERMINATED, message="RemoteError: cancelled")

    def report_image(self, app: str, function: str, timeout: float) -> ImageReport:
        """Answer the registered report of the image-report function."""
        self.lookup_function(app, function)
        return self.images[(app, function)]

    def secret_id(self, name: str, required_keys: Sequence[str]) -> str:
        """Return the Secret id when it holds every required key."""
        self._check()
        found = self.secrets.get(name)
        missing = [k for k in required_keys if found is None or k not in found[1]]
        if found is None or missing:
            raise ModalObjectMissing(f"Secret '{name}' not found or missing {missing}")
        return found[0]

    def volume_id(self, name: str) -> str:
        """Return the Volume id."""
        self._check()
        if name not in self.volumes:
            raise ModalObjectMissing(f"Volume '{name}' not found")
        return self.volumes[name]

    def read_file(self, volume: str, path: str) -> bytes | None:
        """Read a file from the Volume's directory."""
        self.volume_id(volume)
        target = self.volume_dir(volume) / path
        return target.read_bytes() if target.is_file() else None

    def list_files(self, volume: str, path: str) -> Sequence[VolumeFile]:
        """List files below ``path``."""
        self.volume_id(volume)
        root = self.volume_dir(volume)
        base = root / path
        if not base.is_dir():
            return ()
        return tuple(
            VolumeFile(path=p.relative_to(root).as_posix(), size=p.stat().st_size)
            for p in sorted(base.rglob("*"))
            if p.is_file()
        )

    def close(self) -> None:
        """Remember that the backend released the gateway."""
        self.closed = True

    # -- driving the fake ------------------------------------------------------------------------

    def run_launcher(self, call_id: str, volume: str, workspace: Path) -> dict[str, Any]:
        """Run the call with the real launcher code, as its Modal container would."""
        launcher = load_launcher()
        result: dict[str, Any] = launcher.run_spec_attempt(
            self.calls[call_id].run_spec,
            volume_root=self.volume_dir(volume),
            call_id=call_id,
            commit=lambda: None,
            reload=lambda: None,
            workspace=workspace,
        )
        self.calls[call_id].outcome = CallOutcome(outcome=Outcome.RETURNED, value=result)
        return result
