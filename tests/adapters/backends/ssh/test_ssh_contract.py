"""
The backend contract against the SSH backend, through a real loopback OpenSSH server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.machine.ports import Backend, JobHandle
from bridge.testing.backend_contract import BackendContract
from tests.adapters.backends.slurm.cluster import kill_tree
from tests.adapters.backends.ssh.sshd import SshServer, requires_sshd, wait_for
from tests.adapters.backends.ssh.test_ssh import make_backend, session_members

pytest_plugins = ["tests.adapters.backends.ssh.conftest_ssh"]
pytestmark = [pytest.mark.ssh, requires_sshd]


class TestSSHBackendContract(BackendContract):
    """Every contract property, with the job run detached on the (loopback) remote host."""

    @pytest.fixture(autouse=True)
    def _server(self, sshd: SshServer) -> None:
        self.server = sshd

    def make_backend(self, root: Path) -> Backend:
        return make_backend(root.parent, [self.server], root)

    def kill_hard(self, backend: Backend, handle: JobHandle) -> None:
        pid_file = Path(handle.locator["attempt_dir"]) / "pid"
        wait_for(pid_file.exists, 20, "the remote job's pid file")
        kill_tree(int(pid_file.read_text()))

    def assert_nothing_left(self, backend: Backend, handle: JobHandle) -> None:
        pid = (Path(handle.locator["attempt_dir"]) / "pid").read_text().strip()
        wait_for(lambda: not session_members(pid), 20, "no process of the attempt left")
