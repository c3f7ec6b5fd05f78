"""
Session fixtures for the SSH backend's tests: loopback OpenSSH servers.

Loaded as a plugin (``pytest_plugins = ["tests.adapters.backends.ssh.conftest_ssh"]``) by the
test modules that use them (so no ``conftest.py`` is shared with other backends' tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.backends.ssh.sshd import SSHD, SshServer


def _server(root: Path) -> Iterator[SshServer]:
    server = SshServer(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """One loopback sshd shared by the session's tests."""
    if SSHD is None:
        pytest.skip("OpenSSH server not installed (run scripts/ensure-sshd-deps.sh)")
    yield from _server(tmp_path_factory.mktemp("sshd-a"))


@pytest.fixture(scope="session")
def sshd_b(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """A second loopback sshd: a second "host"."""
    if SSHD is None:
        pytest.skip("OpenSSH server not installed (run scripts/ensure-sshd-deps.sh)")
    yield from _server(tmp_path_factory.mktemp("sshd-b"))


@pytest.fixture
def own_sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    """A loopback sshd for one test, free to be stopped and restarted."""
    if SSHD is None:
        pytest.skip("OpenSSH server not installed (run scripts/ensure-sshd-deps.sh)")
    yield from _server(tmp_path_factory.mktemp("sshd-own"))
