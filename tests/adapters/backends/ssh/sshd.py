"""
A real OpenSSH server on 127.0.0.1 for the SSH backend's tests (notes/backends.md §1.4).

``SshServer`` generates its host and client keys, writes a minimal ``sshd_config``, starts
``sshd -D`` on a free loopback port, waits for the port with a bound, and stops by its own pid.
It can also drop live connections (kill the per-connection children of the listener) and
restart on the same port, to inject failures. The fixtures are in
``tests/adapters/backends/ssh/conftest_ssh.py`` (a plugin named in ``pytest_plugins`` by the test
modules that need them).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.reaper import reaper

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)

requires_sshd = pytest.mark.skipif(
    SSHD is None or shutil.which("ssh-keygen") is None,
    reason="OpenSSH server not installed (run scripts/ensure-sshd-deps.sh)",
)


def stop_left(listener: tuple[int, str]) -> None:
    """
    Stop the sshd a killed pytest left running (called by the reaper, ``tests/reaper.py``):
    its connections, then the listener ``(pid, config path)``, when that pid is still the sshd
    started with that config.
    """
    pid, config = listener
    try:
        # sshd rewrites its command line ("sshd: /usr/sbin/sshd -D -e -f CONFIG [listener] ..."):
        # look for the config's path anywhere in it.
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return
    if config.encode() not in argv:
        return
    children = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    for member in [*map(int, children), pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)


def free_port() -> int:
    """Return a loopback TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path) -> Path:
    """Generate an unencrypted ed25519 key pair at ``path`` and return the private key path."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bridge-test", "-f", str(path)],
        check=True,
    )
    return path


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class SshServer:
    """A loopback sshd with its own keys, in directory ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        root.chmod(0o700)
        self.port = free_port()
        self.user = getpass.getuser()
        self.host_key = keygen(root / "host_key")
        self.client_key = keygen(root / "client_key")
        shutil.copy(root / "client_key.pub", root / "authorized_keys")
        self.known_hosts = root / "known_hosts"
        host_pub = (root / "host_key.pub").read_text().split()
        self.known_hosts.write_text(f"[127.0.0.1]:{self.port} {host_pub[0]} {host_pub[1]}\n")
        self.config = root / "sshd_config"
        self.config.write_text(
            "\n".join(
                [
                    "ListenAddress 127.0.0.1",
                    f"Port {self.port}",
                    f"HostKey {self.host_key}",
                    f"PidFile {root / 'sshd.pid'}",
                    f"AuthorizedKeysFile {root / 'authorized_keys'}",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "StrictModes no",
                    "MaxStartups 100",
                    "MaxSessions 100",
                    "Subsystem sftp internal-sftp",
                    "",
                ]
            )
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start sshd and wait (bounded) until the port accepts connections."""
        assert SSHD is not None
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(exist_ok=True)
        check = subprocess.run(
            [SSHD, "-t", "-f", str(self.config)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            # Say why: a bare exit status 255 hid "Privilege separation user sshd does not
            # exist" on a CI image (scripts/ensure-sshd-user.sh creates the account).
            raise AssertionError(f"sshd -t refused the test config: {check.stderr.strip()}")
        with (self.root / "sshd.log").open("ab") as log:
            self.proc = subprocess.Popen(
                [SSHD, "-D", "-e", "-f", str(self.config)], stdout=log, stderr=log
            )
        # Were pytest killed outright, the reaper stops this sshd (tests/reaper.py).
        reaper().register(
            f"sshd:{self.root}",
            "tests.adapters.backends.ssh.sshd:stop_left",
            [self.proc.pid, str(self.config)],
        )

        def listening() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"sshd exited: {(self.root / 'sshd.log').read_text()}")
            with socket.socket() as s:
                s.settimeout(0.2)
                return s.connect_ex(("127.0.0.1", self.port)) == 0

        wait_for(listening, 10, f"sshd on port {self.port}")

    def connection_pids(self) -> list[int]:
        """Return the pids of the per-connection sshd children of the listener."""
        if self.proc is None:
            return []
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True, check=False
        )
        return [int(p) for p in out.stdout.split()]

    def drop_connections(self) -> int:
        """Kill every live connection (not the listener) and return how many there were."""
        pids = self.connection_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(pids)

    def stop(self) -> None:
        """Drop every connection and stop the listener (by its own pid)."""
        if self.proc is None:
            return
        self.drop_connections()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc = None
        reaper().unregister(f"sshd:{self.root}")

    def restart(self) -> None:
        """Start again on the same port with the same keys."""
        self.stop()
        self.start()

    def host_table(self, **extra: object) -> dict[str, object]:
        """Return a ``[[backends.ssh.hosts]]`` table for this server."""
        return {
            "host": "127.0.0.1",
            "port": self.port,
            "user": self.user,
            "key_file": str(self.client_key),
            **extra,
        }
