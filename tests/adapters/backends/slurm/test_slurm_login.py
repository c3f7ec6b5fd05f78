"""
The Slurm backend submitting through a login node over SSH (``backends.slurm.host``): a
loopback OpenSSH server whose sessions see the real single-node cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.adapters.backends.slurm.backend import SlurmBackend
from bridge.adapters.backends.slurm.config import SlurmConfig
from bridge.errors import BackendConfigError
from bridge.machine.ports import JobSpec, JobStatus
from bridge.pipeline.layout import ProjectLayout
from bridge.testing.backend_contract import PROGRAM, settle
from tests.adapters.backends.slurm.cluster import SlurmCluster
from tests.adapters.backends.ssh.sshd import SSHD, SshServer

pytest_plugins = ["tests.adapters.backends.slurm.conftest_slurm"]


@pytest.fixture
def login(slurm: SlurmCluster, tmp_path: Path) -> Iterator[SshServer]:
    """A loopback sshd standing in for the login node (its sessions get SLURM_CONF)."""
    if SSHD is None:
        pytest.skip("OpenSSH server not installed (run scripts/ensure-sshd-deps.sh)")
    server = SshServer(tmp_path / "sshd")
    with server.config.open("a") as config:
        config.write(f"SetEnv SLURM_CONF={slurm.conf}\n")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _config(login: SshServer, tmp_path: Path, **extra: object) -> SlurmConfig:
    ssh_config = tmp_path / "ssh_config"
    ssh_config.touch()
    return SlurmConfig.from_table(
        {
            "host": "127.0.0.1",
            "port": login.port,
            "user": login.user,
            "key_file": str(login.client_key),
            "known_hosts": str(login.known_hosts),
            "ssh_config": str(ssh_config),
            "remote_dir": str(tmp_path / "scratch" / "project"),
            "poll_seconds": 0.2,
            **extra,
        }
    )


class TestThroughALoginNode:
    def test_job_runs_and_results_come_back(self, login: SshServer, tmp_path: Path) -> None:
        """Code is copied to remote_dir, the job runs there, its outputs come back by rsync,
        and a restarted backend finds the job through the login node."""
        project = tmp_path / "project"
        project.mkdir()
        (project / "train.py").write_text(
            "import pathlib, sys; pathlib.Path(sys.argv[1], 'm.json').write_text('{\"a\": 1}')"
        )
        backend = SlurmBackend(_config(login, tmp_path), project)
        assert len(backend.preflight()) == 8
        out = backend.output_dir(ProjectLayout.place("R001", "R001-a1"))
        assert out.startswith(str(tmp_path / "scratch" / "project"))
        handle = backend.submit(
            JobSpec(place=ProjectLayout.place("R001", "R001-a1"), argv=("python3", "train.py", out))
        )
        assert (tmp_path / "scratch" / "project" / "train.py").is_file()
        assert settle(backend, handle, timeout=30).status is JobStatus.SUCCEEDED
        dest = tmp_path / "local"
        artifacts = backend.fetch_artifacts(handle, dest)
        assert "output/m.json" in {a.path for a in artifacts}
        assert (dest / "output" / "m.json").read_text() == '{"a": 1}'
        again = SlurmBackend(_config(login, tmp_path), project)
        assert again.find(ProjectLayout.place("R001", "R001-a1")) == handle
        backend.release()
        again.release()

    def test_handed_over_variable_reaches_the_job_through_the_login_node(
        self, login: SshServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``${NAME}`` is bridge's NAME in the job (it used to be refused at launch); it goes
        to sbatch's environment over the session's standard input, into no file there."""
        value = "tok-0a1b2c3d4e5f 'quoted' $HOME" + "y" * 6000
        monkeypatch.setenv("BRIDGE_TEST_HANDED", value)
        project = tmp_path / "project"
        project.mkdir()
        (project / "env.py").write_text(
            "import os, pathlib, sys; "
            "pathlib.Path(sys.argv[1], 'env.txt').write_text(os.environ.get('TOKEN', '-'))"
        )
        backend = SlurmBackend(_config(login, tmp_path), project)
        place = ProjectLayout.place("R001", "R001-a1")
        out = backend.output_dir(place)
        handle = backend.submit(
            JobSpec(
                place=place, argv=("python3", "env.py", out), env={"TOKEN": "${BRIDGE_TEST_HANDED}"}
            )
        )
        assert settle(backend, handle, timeout=30).status is JobStatus.SUCCEEDED
        assert (Path(out) / "env.txt").read_text() == value
        holding = [
            p.name for p in (tmp_path / "scratch").rglob("*")
            if p.is_file() and "tok-0a1b2c3d4e5f" in p.read_text(errors="replace")
        ]  # fmt: skip
        assert holding == ["env.txt"]
        backend.release()

    def test_unknown_partition_through_the_login_node(
        self, login: SshServer, tmp_path: Path
    ) -> None:
        """Preflight over SSH names the setting and the login node."""
        backend = SlurmBackend(_config(login, tmp_path, partition="gpuz"), tmp_path)
        with pytest.raises(BackendConfigError) as caught:
            backend.preflight()
        assert "backends.slurm.partition" in str(caught.value)
        assert "login node" in str(caught.value)
        backend.release()

    def test_cancel_through_the_login_node(self, login: SshServer, tmp_path: Path) -> None:
        """Cancel runs scancel on the login node; the job is CANCELLED."""
        project = tmp_path / "project"
        project.mkdir()
        backend = SlurmBackend(_config(login, tmp_path), project)
        handle = backend.submit(
            JobSpec(
                place=ProjectLayout.place("R001", "R001-a1"),
                argv=("python3", "-c", PROGRAM, '{"forever": true}'),
            )
        )
        backend.cancel(handle)
        assert settle(backend, handle, timeout=30).status is JobStatus.CANCELLED
        backend.release()
