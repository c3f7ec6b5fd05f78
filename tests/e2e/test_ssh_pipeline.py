"""
A plan run to COLLECTED on the SSH backend (a real loopback OpenSSH server), through the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.cli import main
from tests.adapters.backends.sshd import SshServer
from tests.e2e.tiny import write_project

pytest_plugins = ["tests.adapters.conftest_ssh"]
pytestmark = pytest.mark.ssh


def _ssh_table(tmp_path: Path, server: SshServer, **host: object) -> dict[str, object]:
    known = tmp_path / "known_hosts"
    known.write_text(server.known_hosts.read_text())
    config = tmp_path / "ssh_config"
    config.touch()
    return {
        "remote_dir": str(tmp_path / "remote"),
        "known_hosts": str(known),
        "ssh_config": str(config),
        "connect_timeout": 3,
        "hosts": [{**server.host_table(name="lab"), **host}],
    }


class TestSSHPipeline:
    def test_plan_reaches_collected_with_results_copied_back(
        self, tmp_path: Path, sshd: SshServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Three runs on the SSH backend finish, and their outputs are back on this side."""
        project = write_project(
            tmp_path / "p", toml_extra='backend = "ssh"', backend_table=_ssh_table(tmp_path, sshd)
        )
        assert main(["run", "--plain", "--project", str(project)]) == 0, capsys.readouterr()
        fetched = sorted(project.glob(".bridge/runs/*/*/output/metrics.json"))
        assert len(fetched) == 3
        assert (tmp_path / "remote" / ".bridge" / "runs" / "R002").is_dir()
        tracker = (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
        assert tracker.count("| DONE |") == 3
        assert "lab:cpu" in tracker
        assert main(["verify", "--project", str(project)]) == 0

    def test_wrong_key_is_exit_2_naming_the_setting(
        self, tmp_path: Path, sshd: SshServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A key the server does not accept: exit 2, the key_file setting named, no traceback."""
        other = tmp_path / "other_key"
        from tests.adapters.backends.sshd import keygen

        keygen(other)
        table = _ssh_table(tmp_path, sshd, key_file=str(other))
        project = write_project(tmp_path / "p", toml_extra='backend = "ssh"', backend_table=table)
        assert main(["run", "--plain", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "key_file" in err and "Traceback" not in err
