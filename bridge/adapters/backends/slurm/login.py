"""
The login-node shell: the Slurm backend's scripts run over SSH with the SSH backend's links
(host-key policy, reconnects, messages). Imported only when ``backends.slurm.host`` is set, so
fabric is needed only then (``pip install "bridge[slurm]"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bridge.adapters.backends.ssh import remote
from bridge.adapters.backends.ssh.config import HostConfig, SSHConfig
from bridge.adapters.backends.ssh.link import HostUnreachable, Links, default_connector
from bridge.adapters.backends.ssh.transfer import collect_artifacts, rsync_fetch, rsync_push
from bridge.errors import BackendUnavailable
from bridge.machine.ports import Artifact

__all__ = ["LoginShell"]


class LoginShell:
    """
    Runs scripts with bash on the login node, and moves files to and from it with rsync.
    """

    def __init__(self, config: SSHConfig) -> None:
        self.config = config
        self.host: HostConfig = config.hosts[0]
        self.where = f"login node {self.host.address()}"
        self._links = Links(config, default_connector(config))

    def run(
        self, script: str, *, timeout: float = 60.0, env: Mapping[str, str] | None = None
    ) -> str:
        """
        Run ``script`` with bash on the login node and return its stdout.

        ``env`` (a run's handed-over variables, for ``sbatch`` to pass to the job) travels on
        the script's standard input as ``export`` lines run before the script: never in a
        command line or a file on the login node.

        Raises:
            BackendUnavailable: the login node cannot be reached or refused us.
            BackendError: a name in ``env`` is not a variable name.
        """
        stdin = None
        if env:
            stdin = remote.handed_exports(env)
            script = 'bridge_handed=$(cat) || exit 1\neval "$bridge_handed" || exit 1\n' + script
        try:
            return self._links.run(self.host, script, timeout=timeout, stdin=stdin)
        except HostUnreachable as exc:
            raise BackendUnavailable(exc.reason) from exc

    def push(self, project_root: Path) -> None:
        """
        Copy the project to ``remote_dir`` on the shared filesystem (rsync, the SSH backend's
        excludes).
        """
        rsync_push(self.config, self.host, project_root)

    def fetch(self, attempt: str, dest: Path) -> tuple[Artifact, ...]:
        """
        Copy the attempt's outputs and logs into ``dest`` and describe the outputs.
        """
        rsync_fetch(self.config, self.host, attempt, dest)
        return collect_artifacts(dest)

    def close(self) -> None:
        """
        Close the connection. Idempotent.
        """
        self._links.close()
