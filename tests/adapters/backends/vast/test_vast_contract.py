"""
The backend contract against the Vast.ai backend: the real vastai SDK against the loopback REST
fake, whose rented instance's SSH endpoint is the loopback OpenSSH server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.adapters.backends.vast.backend import VastBackend
from bridge.adapters.backends.vast.config import VastConfig
from bridge.machine.ports import Backend, JobHandle
from bridge.testing.backend_contract import BackendContract
from tests.adapters.backends.slurm.cluster import kill_tree
from tests.adapters.backends.ssh.sshd import SshServer, requires_sshd, wait_for
from tests.adapters.backends.ssh.test_ssh import session_members
from tests.adapters.backends.vast.fake_vast import KEY, FakeVast
from tests.adapters.backends.vast.test_vast import KEY_ENV, Sleeps, table

pytest_plugins = ["tests.adapters.backends.ssh.conftest_ssh"]
pytestmark = [requires_sshd, pytest.mark.timeout(180)]


class TestVastBackendContract(BackendContract):
    """Every contract property, on an instance rented from the fake and reached over SSH."""

    @pytest.fixture(autouse=True)
    def _vast(self, sshd: SshServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        monkeypatch.setenv(KEY_ENV, KEY)
        self.server = sshd
        self.fake = FakeVast().start()
        try:
            yield
        finally:
            self.fake.stop()

    def make_backend(self, root: Path) -> Backend:
        config = VastConfig.from_table(table(self.fake, root.parent, self.server))
        return VastBackend(config, root, sleep=Sleeps())

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        pid_file = Path(handle.locator["attempt_dir"]) / "pid"
        wait_for(pid_file.exists, 20, "the remote job's pid file")
        kill_tree(int(pid_file.read_text()))

    def assert_nothing_left(self, backend: Backend, handle: JobHandle) -> None:
        pid = (Path(handle.locator["attempt_dir"]) / "pid").read_text().strip()
        wait_for(lambda: not session_members(pid), 20, "no process of the attempt left")
