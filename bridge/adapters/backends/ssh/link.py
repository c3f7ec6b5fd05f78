"""
Connections to the SSH hosts: opening them with the configured host-key policy, running one
script with a reconnect, and turning paramiko's exceptions into messages a person can act on.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import fabric
import invoke
import paramiko

from bridge.adapters.backends.ssh.config import HostConfig, SSHConfig
from bridge.adapters.backends.ssh.remote import bash
from bridge.errors import BackendConfigError

__all__ = ["Connector", "HostUnreachable", "Links", "default_connector"]

Connector = Callable[[HostConfig], fabric.Connection]

# What a dropped or half-open connection raises somewhere between paramiko and invoke.
_LINK_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    paramiko.SSHException,
    invoke.exceptions.ThreadException,
    invoke.exceptions.CommandTimedOut,
)


class HostUnreachable(Exception):
    """
    A host could not be reached (refused, timed out, dropped twice in a row).

    Internal: the backend turns it into ``BackendUnavailable`` or, after the grace period,
    into a ``LOST`` state.
    """

    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        self.reason = reason
        super().__init__(f"{host}: {reason}")


def default_connector(config: SSHConfig) -> Connector:
    """
    Return the connection factory used when none is injected.

    It loads the OpenSSH client config (``config.ssh_config`` alone when set, else the usual
    files) so aliases work, bounds connect, banner and authentication by ``connect_timeout``,
    and uses only ``key_file`` when one is configured (no agent, no default keys), so a wrong
    key fails instead of silently succeeding with another.
    """

    def connect(host: HostConfig) -> fabric.Connection:
        fab_config = (
            fabric.Config(runtime_ssh_path=config.ssh_config)
            if config.ssh_config
            else fabric.Config()
        )
        kwargs: dict[str, object] = {
            "banner_timeout": config.connect_timeout,
            "auth_timeout": config.connect_timeout,
        }
        if host.key_file:
            kwargs.update(key_filename=[host.key_file], look_for_keys=False, allow_agent=False)
        return fabric.Connection(
            host.host,
            user=host.user,
            port=host.port,
            config=fab_config,
            connect_timeout=config.connect_timeout,
            connect_kwargs=kwargs,
        )

    return connect


class Links:
    """
    One lazily opened connection per host, shared by the backend's calls.

    Args:
        config: the backend's settings (host keys, timeouts).
        connect: makes a not-yet-opened ``fabric.Connection`` for a host.
    """

    def __init__(self, config: SSHConfig, connect: Connector) -> None:
        self._config = config
        self._connect = connect
        self._open: dict[str, fabric.Connection] = {}
        self._lock = threading.RLock()
        self.down_since: dict[str, float] = {}

    def connection(self, host: HostConfig) -> fabric.Connection:
        """
        Return the host's open connection, opening it if needed.

        Raises:
            BackendUnavailable: the key or the host key was refused (configuration problems).
            HostUnreachable: the host did not answer (refused, timeout, no SSH banner).
        """
        with self._lock:
            conn = self._open.get(host.name)
            if conn is not None and conn.is_connected:
                return conn
            if conn is not None:
                conn.close()
            conn = self._connect(host)
            self._apply_host_key_policy(conn)
            try:
                conn.open()
            except paramiko.BadHostKeyException as exc:
                conn.close()
                raise BackendConfigError(
                    f"ssh host {host.name} ({host.address()}): its host key does not match the "
                    f"one in {self._config.known_hosts} (the server was reinstalled, or someone "
                    "is in the middle). Check the key and fix known_hosts; to skip the check, "
                    "set backends.ssh.strict_host_keys = false"
                ) from exc
            except paramiko.AuthenticationException as exc:
                conn.close()
                key = host.key_file or "the SSH config's IdentityFile, agent or default keys"
                raise BackendConfigError(
                    f"ssh host {host.name} ({host.address()}): the server refused the key "
                    f"{key}; check {host.setting('key_file')} and {host.setting('user')}"
                ) from exc
            except (OSError, EOFError, paramiko.SSHException) as exc:
                conn.close()
                message = str(exc)
                if "not found in known_hosts" in message:
                    raise BackendConfigError(
                        f"ssh host {host.name} ({host.address()}) is not in "
                        f"{self._config.known_hosts} (backends.ssh.known_hosts); add its key "
                        "(ssh-keyscan, or log in once with ssh), or set "
                        "backends.ssh.strict_host_keys = false to skip host key checks"
                    ) from exc
                raise HostUnreachable(host.name, self._describe(host, exc)) from exc
            self._open[host.name] = conn
            return conn

    def run(
        self,
        host: HostConfig,
        script: str,
        *,
        timeout: float | None = None,
        stdin: str | None = None,
    ) -> str:
        """
        Run ``script`` with bash on ``host`` and return its stdout.

        ``stdin``, when given, is the script's standard input (then closed): the way to hand it
        text that must appear neither in a command line on the host nor in a file there.

        A dropped connection (exit code -1, socket errors) is closed and the script is run once
        more on a fresh one; so scripts must be safe to run twice. A non-zero exit is returned
        like any other (the scripts report in their output).

        Raises:
            BackendUnavailable: a configuration problem (key, host key).
            HostUnreachable: the host cannot be reached, or dropped the connection twice.
        """
        limit = timeout if timeout is not None else self._config.connect_timeout * 3
        reason = ""
        for _ in range(2):
            with self._lock:
                conn = self.connection(host)
                try:
                    if stdin is None:
                        result = conn.run(
                            bash(script), warn=True, hide=True, in_stream=False, timeout=limit
                        )
                        exited, stdout = result.exited, str(result.stdout)
                    else:
                        exited, stdout = _run_with_input(conn, bash(script), stdin, limit)
                except _LINK_ERRORS as exc:
                    reason = f"connection dropped: {type(exc).__name__}: {exc}"
                    self.drop(host)
                    continue
                if exited == -1:
                    reason = "connection dropped while a command ran (exit code -1)"
                    self.drop(host)
                    continue
                self.down_since.pop(host.name, None)
                return stdout
        raise HostUnreachable(host.name, reason)

    def mark_down(self, host: HostConfig) -> float:
        """
        Record that ``host`` is unreachable now and return for how many seconds it has been.
        """
        now = time.monotonic()
        return now - self.down_since.setdefault(host.name, now)

    def drop(self, host: HostConfig) -> None:
        """
        Close the host's connection (and its cached SFTP session) so the next call reopens it.
        """
        with self._lock:
            conn = self._open.pop(host.name, None)
            if conn is not None:
                conn.close()

    def close(self) -> None:
        """
        Close every connection. Idempotent.
        """
        with self._lock:
            for conn in self._open.values():
                conn.close()
            self._open.clear()

    def _apply_host_key_policy(self, conn: fabric.Connection) -> None:
        # fabric defaults to AutoAddPolicy and never loads known_hosts: nothing is verified.
        client: paramiko.SSHClient = conn.client
        if self._config.strict_host_keys:
            known = Path(self._config.known_hosts)
            if known.is_file():
                client.load_host_keys(str(known))
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
        else:
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())

    def _describe(self, host: HostConfig, exc: BaseException) -> str:
        timeout = self._config.connect_timeout
        where = f"ssh host {host.name} ({host.address()})"
        if isinstance(exc, paramiko.ssh_exception.NoValidConnectionsError):
            return (
                f"{where}: connection refused; is sshd running there and is "
                f"{host.setting('port')} right?"
            )
        if isinstance(exc, socket.timeout | TimeoutError):
            return (
                f"{where}: no answer within {timeout:g} s (backends.ssh.connect_timeout); "
                "is the host up and the address right?"
            )
        # paramiko reports a silent listener as a banner error or, when its transport thread
        # loses the race, as "No existing session".
        if "banner" in str(exc) or "No existing session" in str(exc):
            return (
                f"{where}: something accepted the connection but sent no SSH banner "
                f"(no SSH handshake) within {timeout:g} s (backends.ssh.connect_timeout); is "
                f"{host.setting('port')} an SSH port?"
            )
        return f"{where}: {type(exc).__name__}: {exc}"


def _run_with_input(
    conn: fabric.Connection, command: str, text: str, timeout: float
) -> tuple[int, str]:
    """
    Run ``command`` on its own channel with ``text`` as its whole standard input, sent at once
    and then closed; return the exit code and stdout.

    Not ``conn.run(in_stream=...)``: invoke copies a stream that is not a terminal one byte at
    a time with a 10 ms pause after each (a 1.5 KB credential took 16 s to hand over).
    """
    channel = conn.create_session()
    # stderr is read alongside: left unread, a script writing more than the channel's window
    # to it would stall until the time limit.
    drain = threading.Thread(target=_drain_stderr, args=(channel,), daemon=True)
    try:
        channel.settimeout(timeout)
        channel.exec_command(command)
        drain.start()
        channel.sendall(text.encode("utf-8"))
        channel.shutdown_write()
        with channel.makefile("rb") as out:
            data = out.read()
        drain.join(timeout)
        return channel.recv_exit_status(), data.decode("utf-8", errors="replace")
    finally:
        channel.close()


def _drain_stderr(channel: paramiko.Channel) -> None:
    """Read a channel's stderr to its end and drop it (a dropped link ends it quietly)."""
    with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
        channel.makefile_stderr("rb").read()
