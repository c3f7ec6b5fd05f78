"""
Parsing of the [backends.ssh] table and the pure remote-script helpers (no sshd needed).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bridge.adapters.backends.ssh.backend import SSHBackend
from bridge.adapters.backends.ssh.config import HostConfig, SSHConfig
from bridge.adapters.backends.ssh.remote import (
    check_name,
    job_script,
    parse_gpus,
    parse_status,
)
from bridge.errors import BackendError, ConfigError
from bridge.machine.ports import GpuInfo
from bridge.pipeline.layout import ProjectLayout


@pytest.fixture
def key(tmp_path: Path) -> Path:
    """A file standing in for a private key."""
    path = tmp_path / "id_test"
    path.write_text("not really a key")
    return path


def table(key: Path, **extra: object) -> dict[str, object]:
    """A valid [backends.ssh] table with one host."""
    base: dict[str, object] = {
        "remote_dir": "/srv/exp",
        "hosts": [{"host": "gpu1.lab", "user": "me", "key_file": str(key), "gpus": [0, 1]}],
    }
    base.update(extra)
    return base


class TestSSHConfig:
    def test_valid_table_with_defaults(self, key: Path) -> None:
        """A minimal table parses, with the documented defaults."""
        config = SSHConfig.from_table(table(key))
        assert config.remote_dir == "/srv/exp"
        assert config.code_sync == "rsync"
        assert config.strict_host_keys is True
        assert config.known_hosts == str(Path("~/.ssh/known_hosts").expanduser())
        assert config.connect_timeout == 10.0
        assert config.lost_grace_seconds == 300.0
        assert config.hosts == (
            HostConfig(name="gpu1.lab", host="gpu1.lab", user="me", key_file=str(key), gpus=(0, 1)),
        )

    def test_alias_host_needs_nothing_else(self) -> None:
        """A host that is an ~/.ssh/config alias may omit port, user and key_file."""
        config = SSHConfig.from_table({"remote_dir": "/x", "hosts": [{"host": "my-gpu-box"}]})
        assert config.hosts[0].port is None
        assert config.hosts[0].user is None
        assert config.hosts[0].key_file is None

    @pytest.mark.parametrize(
        ("change", "setting", "words"),
        [
            ({"remote_dir": None}, "backends.ssh.remote_dir", "required"),
            ({"remote_dir": "exp"}, "backends.ssh.remote_dir", "absolute"),
            ({"code_sync": "scp"}, "backends.ssh.code_sync", "is not one of: rsync, git"),
            ({"hosts": []}, "backends.ssh.hosts", "at least one"),
            ({"strict_host_keys": "no"}, "backends.ssh.strict_host_keys", "true or false"),
            ({"connect_timeout": 0}, "backends.ssh.connect_timeout", "positive"),
            ({"exclude": "data"}, "backends.ssh.exclude", "list of strings"),
            ({"remote_dri": "/x"}, "backends.ssh.remote_dri", "did you mean 'remote_dir'"),
        ],
    )
    def test_bad_top_level_settings_name_the_setting(
        self, key: Path, change: dict[str, object], setting: str, words: str
    ) -> None:
        """Each wrong or missing setting raises ConfigError naming it."""
        raw = table(key, **change)
        raw = {k: v for k, v in raw.items() if v is not None}
        with pytest.raises(ConfigError) as info:
            SSHConfig.from_table(raw)
        assert info.value.setting == setting
        assert words in str(info.value)

    @pytest.mark.parametrize(
        ("host", "setting", "words"),
        [
            ({"port": 22}, "backends.ssh.hosts[0].host", "required"),
            ({"host": "h", "port": 70000}, "backends.ssh.hosts[0].port", "65535"),
            ({"host": "h", "port": "22"}, "backends.ssh.hosts[0].port", "integer"),
            (
                {"host": "h", "key_file": "/no/such/key"},
                "backends.ssh.hosts[0].key_file",
                "no such",
            ),
            ({"host": "h", "gpus": "0,1"}, "backends.ssh.hosts[0].gpus", "GPU indices"),
            ({"host": "h", "max_parallel": 0}, "backends.ssh.hosts[0].max_parallel", ">= 1"),
            ({"host": "h", "keyfile": "x"}, "backends.ssh.hosts[0].keyfile", "'key_file'"),
        ],
    )
    def test_bad_host_settings_name_the_setting(
        self, host: dict[str, object], setting: str, words: str
    ) -> None:
        """A wrong host entry raises ConfigError naming hosts[i].<key>."""
        with pytest.raises(ConfigError) as info:
            SSHConfig.from_table({"remote_dir": "/x", "hosts": [host]})
        assert info.value.setting == setting
        assert words in str(info.value)

    def test_duplicate_names_are_rejected(self) -> None:
        """Two hosts with the same name must be told apart with name = ..."""
        hosts = [{"host": "127.0.0.1", "port": 2201}, {"host": "127.0.0.1", "port": 2202}]
        with pytest.raises(ConfigError, match="distinct name") as info:
            SSHConfig.from_table({"remote_dir": "/x", "hosts": hosts})
        assert info.value.setting == "backends.ssh.hosts[1].name"

    def test_file_and_line_are_reported(self, key: Path) -> None:
        """The error carries file:line from line_of when the caller knows it."""
        lines = {"backends.ssh.code_sync": 7}
        with pytest.raises(ConfigError) as info:
            SSHConfig.from_table(table(key, code_sync="ftp"), file="bridge.toml", line_of=lines.get)
        assert str(info.value).startswith("bridge.toml:7: ")


class TestRemoteScripts:
    def test_parse_gpus(self) -> None:
        """nvidia-smi CSV rows become GpuInfo values; garbage is an error."""
        assert parse_gpus("0, 10, 81920\n1, 30000, 81920\n") == (
            GpuInfo(index=0, memory_used_mib=10, memory_total_mib=81920),
            GpuInfo(index=1, memory_used_mib=30000, memory_total_mib=81920),
        )
        with pytest.raises(BackendError, match="nvidia-smi"):
            parse_gpus("No devices were found\n")

    @pytest.mark.parametrize(
        "bad", ["", ".", "..", "a/b", "a\nb", "a\0b", "A 1;$", "-rf", "R1\n", "x" * 129]
    )
    def test_names_that_cannot_be_directories(self, bad: str) -> None:
        """Ids that break the one safe-id rule (a slash, NUL, newline, space, shell character,
        dot-names, a leading '-', over 128 characters) cannot name the attempt directory."""
        with pytest.raises(BackendError, match="cannot name a remote directory: use 1-128"):
            check_name(bad, "attempt id")

    def test_attempt_dir_layout(self, tmp_path: Path) -> None:
        """The attempt directory is <remote_dir> joined with the path the pipeline gives: for the
        layout's place <remote_dir>/.bridge/runs/<run>/<attempt>, byte for byte where versions
        before places launched it (so an upgrade finds their attempts)."""
        config = SSHConfig.from_table({"remote_dir": "/srv/x", "hosts": [{"host": "my-gpu-box"}]})
        backend = SSHBackend(config, tmp_path)
        place = ProjectLayout.place("R1", "R1-a2")
        assert backend.attempt_dir(place) == "/srv/x/.bridge/runs/R1/R1-a2"
        assert backend.output_dir(place) == "/srv/x/.bridge/runs/R1/R1-a2/output"

    def test_bad_env_name_is_refused(self) -> None:
        """An environment variable name that is not an identifier never reaches the shell."""
        with pytest.raises(BackendError, match="environment variable name"):
            job_script(
                attempt="/a",
                workdir="/w",
                setup="",
                argv=("true",),
                env={"X;rm -rf /": "1"},
                timeout_seconds=None,
                kill_grace_seconds=1,
            )

    def test_job_script_is_valid_bash(self) -> None:
        """The generated job script parses with bash -n, with setup and a timeout."""
        script = job_script(
            attempt="/a b/'c'",
            workdir="/w$(x)",
            setup="source venv/bin/activate",
            argv=("python3", "-c", "print('$HOME')"),
            env={"K": "v'\"`x`"},
            timeout_seconds=2.5,
            kill_grace_seconds=3,
        )
        subprocess.run(["bash", "-n"], input=script, text=True, check=True)

    def test_parse_status(self) -> None:
        """The status script's answer is read field by field, with the log tail after it."""
        text = (
            "present=1\nalive=0\npid=42\nexit_code=3\ntimed_out=1\nage=9\n"
            "@@bridge-log-tail@@\nboom\n"
        )
        status = parse_status(text)
        assert (status.present, status.alive, status.pid, status.exit_code) == (
            True,
            False,
            "42",
            3,
        )
        assert status.timed_out and not status.cancelled
        assert status.log_tail == "boom\n"
        with pytest.raises(BackendError):
            parse_status("bash: command not found\n")
