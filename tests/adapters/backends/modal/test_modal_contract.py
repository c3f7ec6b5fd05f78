"""
The backend contract against the Modal backend: the real modal 1.6.4 SDK against the loopback
Modal server, whose function runs each call for real through the documented launcher, in a
container process on this machine (``fake_modal_server.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import modal
import pytest

from bridge.adapters.backends.modal.backend import ModalBackend
from bridge.adapters.backends.modal.config import ModalConfig
from bridge.machine.ports import Backend, JobHandle, JobStatus
from bridge.testing.backend_contract import BackendContract, settle
from tests.adapters.backends.modal.fake_modal_server import FakeModalServer, serve_fake_modal
from tests.adapters.backends.modal.memory_gateway import LAUNCHER_PATH
from tests.adapters.backends.ssh.sshd import wait_for
from tests.adapters.backends.ssh.test_ssh import session_members


class TestModalBackendContract(BackendContract):
    """Every contract property, each attempt one real call of the deployed launcher."""

    paths_elsewhere = (
        "the deployed launcher keeps each attempt at runs/<run_id>/<attempt_id> of its Volume, "
        "by the run spec's ids; the place's path names only the project's copy"
    )

    @pytest.fixture(autouse=True)
    def _modal(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        # The Volume is mounted at a directory of this machine, so the output directory the
        # backend names is the one the run writes to, as inside a container.
        self.mount = tmp_path / "mnt"
        with serve_fake_modal(tmp_path / "modal") as server:
            volume_id = server.state.add_volume("runs-vol")
            server.state.deploy(
                "bridge-runs",
                "run_attempt",
                timeout_secs=600,
                volume_mounts={str(self.mount): volume_id},
                launcher=LAUNCHER_PATH,
                workspace=tmp_path,
            )
            monkeypatch.setenv("MODAL_SERVER_URL", server.url)
            self.server: FakeModalServer = server
            self.client: Any = modal.Client.from_credentials("ak-test", "as-test")
            try:
                yield
            finally:
                self.client.close()

    def make_backend(self, root: Path) -> Backend:
        config = ModalConfig(
            app="bridge-runs",
            function="run_attempt",
            volume="runs-vol",
            mount_path=str(self.mount),
            poll_interval_seconds=0.02,
        )
        return ModalBackend(config, root, client=self.client)

    def _container(self, handle: JobHandle) -> int:
        pid = self.server.state.calls[handle.locator["call_id"]].pid
        assert pid is not None
        return pid

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        self.server.state.kill_container(handle.locator["call_id"])

    def assert_nothing_left(self, backend: Backend, handle: JobHandle) -> None:
        pid = str(self._container(handle))
        wait_for(lambda: not session_members(pid), 20, "no process of the container left")

    # -- what Modal adds to the contract ----------------------------------------------------------

    def test_function_timeout_is_timed_out(self, backend: Backend) -> None:
        """A call stopped by the deployed function's own timeout (FunctionTimeoutError) is
        TIMED_OUT, and its container is gone."""
        self.server.state.functions[("bridge-runs", "run_attempt")].timeout_secs = 1
        handle = self.launch(backend, self.job(backend, "A1", forever=True))
        state = settle(backend, handle)
        assert state.status is JobStatus.TIMED_OUT, state
        assert "FunctionTimeoutError" in state.detail
        self.assert_nothing_left(backend, handle)
