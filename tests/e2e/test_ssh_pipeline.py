"""
A plan run to COLLECTED on the SSH backend (a real loopback OpenSSH server), through the CLI.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import bridge
from bridge.cli import main
from tests.adapters.backends.ssh.sshd import SshServer, wait_for
from tests.e2e.tiny import write_project

pytest_plugins = ["tests.adapters.backends.ssh.conftest_ssh"]
REPO = Path(__file__).resolve().parents[2]
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
        from tests.adapters.backends.ssh.sshd import keygen

        keygen(other)
        table = _ssh_table(tmp_path, sshd, key_file=str(other))
        project = write_project(tmp_path / "p", toml_extra='backend = "ssh"', backend_table=table)
        assert main(["run", "--plain", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "key_file" in err and "Traceback" not in err

    def test_unreachable_host_at_start_is_exit_2_naming_the_backend(
        self, tmp_path: Path, sshd: SshServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Nothing listens on the host's port: a configuration problem at start (exit 2, the
        [backends.ssh] section named), not a runtime failure; nothing launched."""
        from tests.adapters.backends.ssh.sshd import free_port

        table = _ssh_table(tmp_path, sshd, port=free_port())
        project = write_project(tmp_path / "p", toml_extra='backend = "ssh"', backend_table=table)
        assert main(["run", "--plain", "--project", str(project)]) == 2
        err = capsys.readouterr().err
        assert "the ssh backend cannot be used" in err and "connection refused" in err
        assert "[backends.ssh]" in err and "Traceback" not in err
        assert not list(project.glob(".bridge/runs/*/*"))


_DRIVER = "import sys, bridge; b = bridge.Bridge(sys.argv[1]); b.run(); b.close()"


class TestSSHCrash:
    def test_bridge_killed_mid_run_adopts_the_remote_run(
        self, tmp_path: Path, sshd: SshServer, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """SIGKILL bridge while a remote run goes on; the next `bridge run` adopts it, once."""
        project = write_project(
            tmp_path / "p",
            toml_extra='backend = "ssh"',
            backend_table=_ssh_table(tmp_path, sshd),
            sleep=1.5,
        )
        db = project / ".bridge" / "events.db"
        driver = subprocess.Popen([sys.executable, "-c", _DRIVER, str(project)], cwd=REPO)
        try:
            wait_for(lambda: _has_event(db, "run:R002", "run.started"), 60, "R002 to start")
        finally:
            driver.kill()
            driver.wait(timeout=30)
        assert main(["run", "--plain", "--project", str(project)]) == 0, capsys.readouterr()
        markers = sorted(p.name for p in (tmp_path / "remote" / "markers").iterdir())
        assert len(markers) == 3, markers  # every run executed exactly once
        again = bridge.Bridge(project)
        try:
            state = again.status()
        finally:
            again.close()
        assert all(len(run.attempts) == 1 for run in state.runs.values())


def _has_event(db: Path, stream: str, kind: str) -> bool:
    if not db.exists():
        return False
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT 1 FROM events WHERE stream = ? AND type = ?", (stream, kind)
        ).fetchone()
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
    return row is not None
