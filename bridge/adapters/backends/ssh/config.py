"""
The ``[backends.ssh]`` section of ``bridge.toml``, parsed and checked.

Every mistake becomes a :class:`bridge.errors.ConfigError` that names the setting by its dotted
name (``backends.ssh.hosts[0].key_file``) and, when the caller can tell, the file and line.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from bridge.errors import ConfigError

__all__ = ["DEFAULT_EXCLUDES", "HostConfig", "SSHConfig"]

SECTION = "backends.ssh"

# Anchored (leading "/") so a package that happens to contain a "data/" module is still synced.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    "/.bridge/",
    "/data/",
    "/datasets/",
    "/checkpoints/",
    "/wandb/",
    "/.venv/",
    "__pycache__/",
)

_TOP_KEYS = (
    "remote_dir",
    "setup",
    "code_sync",
    "exclude",
    "known_hosts",
    "strict_host_keys",
    "connect_timeout",
    "lost_grace_seconds",
    "cancel_grace_seconds",
    "ssh_config",
    "hosts",
)
_HOST_KEYS = ("name", "host", "port", "user", "key_file", "gpus", "max_parallel")


@attrs.frozen(kw_only=True)
class HostConfig:
    """
    One ``[[backends.ssh.hosts]]`` table.

    Attributes:
        name: the name slots and handles carry (``Slot.host``); ``host`` unless ``name`` is set.
        host: a host name, an address, or an alias from the SSH config file.
        port: the SSH port, ``None`` to take it from the SSH config (else 22).
        user: the login, ``None`` to take it from the SSH config (else the local user).
        key_file: the private key (a path, never the key itself), ``None`` for the SSH config's
            ``IdentityFile``, the agent, or the default keys.
        gpus: the GPU indices bridge may use, ``None`` to use every free GPU ``nvidia-smi`` shows.
        max_parallel: at most this many slots on the host (CPU hosts: the number of CPU slots).
        index: the table's position, used to name settings in messages.
    """

    name: str
    host: str
    port: int | None = None
    user: str | None = None
    key_file: str | None = None
    gpus: tuple[int, ...] | None = None
    max_parallel: int | None = None
    index: int = 0

    def setting(self, key: str) -> str:
        """
        Return the dotted name of one of this host's settings, for messages.
        """
        return f"{SECTION}.hosts[{self.index}].{key}"

    def address(self) -> str:
        """
        Return ``user@host:port`` with the parts that are set, for messages.
        """
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port is not None else ""
        return f"{user}{self.host}{port}"


@attrs.frozen(kw_only=True)
class SSHConfig:
    """
    The SSH backend's settings.

    Attributes:
        remote_dir: absolute directory on every host holding the synced code and ``.bridge/runs``.
        hosts: the hosts, at least one.
        setup: a shell line run before every remote command (conda or venv activation).
        code_sync: ``"rsync"`` (copy the project) or ``"git"`` (the remote checks out the commit).
        exclude: extra rsync exclude patterns, added to :data:`DEFAULT_EXCLUDES`.
        known_hosts: the known_hosts file host keys are checked against.
        strict_host_keys: reject unknown or changed host keys (``False`` is an explicit opt-out).
        connect_timeout: seconds allowed for TCP connect, the SSH banner and authentication.
        lost_grace_seconds: how long a host may be unreachable before its runs count as lost.
        cancel_grace_seconds: seconds between TERM and KILL on cancel and on timeout.
        ssh_config: the OpenSSH client config file for aliases, ``None`` for the usual files.
    """

    remote_dir: str
    hosts: tuple[HostConfig, ...]
    setup: str = ""
    code_sync: str = "rsync"
    exclude: tuple[str, ...] = ()
    known_hosts: str = "~/.ssh/known_hosts"
    strict_host_keys: bool = True
    connect_timeout: float = 10.0
    lost_grace_seconds: float = 300.0
    cancel_grace_seconds: float = 10.0
    ssh_config: str | None = None

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, object],
        *,
        file: str | None = None,
        line_of: Callable[[str], int | None] | None = None,
    ) -> SSHConfig:
        """
        Build the settings from the parsed ``[backends.ssh]`` table.

        Args:
            table: the table's contents as ``tomllib`` returns them.
            file: the configuration file, for messages.
            line_of: maps a dotted setting name to its 1-based line in ``file``, when known.

        Returns:
            The checked settings, with ``~`` expanded in local paths.

        Raises:
            ConfigError: a setting is missing, has the wrong type or value, or is unknown
                (the message suggests the closest valid key).
        """
        reader = _Reader(file=file, line_of=line_of)
        reader.check_keys(table, _TOP_KEYS, SECTION)
        remote_dir = reader.string(table, "remote_dir", SECTION, required=True)
        if not posixpath.isabs(remote_dir):
            raise reader.error(
                f"{SECTION}.remote_dir must be an absolute path on the remote hosts "
                f"(like /home/you/experiments), got {remote_dir!r}",
                f"{SECTION}.remote_dir",
            )
        code_sync = reader.string(table, "code_sync", SECTION) or "rsync"
        if code_sync not in ("rsync", "git"):
            raise reader.error(
                f'{SECTION}.code_sync must be "rsync" or "git", got {code_sync!r}',
                f"{SECTION}.code_sync",
            )
        raw_hosts = table.get("hosts")
        if not isinstance(raw_hosts, list) or not raw_hosts:
            raise reader.error(
                f"{SECTION}.hosts is missing: add at least one [[{SECTION}.hosts]] table "
                'with host = "..."',
                f"{SECTION}.hosts",
            )
        hosts = tuple(reader.host(entry, i) for i, entry in enumerate(raw_hosts))
        seen: dict[str, int] = {}
        for h in hosts:
            if h.name in seen:
                raise reader.error(
                    f"{h.setting('name')}: two hosts are named {h.name!r} "
                    f'(hosts[{seen[h.name]}] too); give each a distinct name = "..."',
                    h.setting("name"),
                )
            seen[h.name] = h.index
        ssh_config = reader.string(table, "ssh_config", SECTION) or None
        return cls(
            remote_dir=posixpath.normpath(remote_dir),
            hosts=hosts,
            setup=reader.string(table, "setup", SECTION),
            code_sync=code_sync,
            exclude=reader.strings(table, "exclude", SECTION),
            known_hosts=str(
                Path(
                    reader.string(table, "known_hosts", SECTION) or "~/.ssh/known_hosts"
                ).expanduser()
            ),
            strict_host_keys=reader.boolean(table, "strict_host_keys", SECTION, default=True),
            connect_timeout=reader.positive(table, "connect_timeout", SECTION, default=10.0),
            lost_grace_seconds=reader.positive(table, "lost_grace_seconds", SECTION, default=300.0),
            cancel_grace_seconds=reader.positive(
                table, "cancel_grace_seconds", SECTION, default=10.0
            ),
            ssh_config=str(Path(ssh_config).expanduser()) if ssh_config else None,
        )

    def host(self, name: str) -> HostConfig:
        """
        Return the host called ``name``.

        Raises:
            KeyError: no host has that name.
        """
        for h in self.hosts:
            if h.name == name:
                return h
        raise KeyError(name)


@attrs.frozen(kw_only=True)
class _Reader:
    """
    Typed access to TOML values that raises ``ConfigError`` naming the setting.
    """

    file: str | None
    line_of: Callable[[str], int | None] | None

    def error(self, message: str, setting: str) -> ConfigError:
        line = self.line_of(setting) if self.line_of is not None else None
        return ConfigError(message, setting=setting, file=self.file, line=line)

    def check_keys(self, table: Mapping[str, object], valid: Sequence[str], prefix: str) -> None:
        for key in table:
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.error(
                    f"unknown setting {prefix}.{key}{hint} (valid: {', '.join(valid)})",
                    f"{prefix}.{key}",
                )

    def string(
        self, table: Mapping[str, object], key: str, prefix: str, *, required: bool = False
    ) -> str:
        value = table.get(key)
        if value is None:
            if required:
                raise self.error(f"{prefix}.{key} is required", f"{prefix}.{key}")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.error(
                f"{prefix}.{key} must be a non-empty string, got {value!r}", f"{prefix}.{key}"
            )
        return value

    def strings(self, table: Mapping[str, object], key: str, prefix: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(
                f"{prefix}.{key} must be a list of strings, got {value!r}", f"{prefix}.{key}"
            )
        return tuple(value)

    def boolean(self, table: Mapping[str, object], key: str, prefix: str, *, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.error(
                f"{prefix}.{key} must be true or false, got {value!r}", f"{prefix}.{key}"
            )
        return value

    def positive(
        self, table: Mapping[str, object], key: str, prefix: str, *, default: float
    ) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.error(
                f"{prefix}.{key} must be a positive number of seconds, got {value!r}",
                f"{prefix}.{key}",
            )
        return float(value)

    def integer(
        self, table: Mapping[str, object], key: str, prefix: str, *, minimum: int
    ) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(
                f"{prefix}.{key} must be an integer >= {minimum}, got {value!r}",
                f"{prefix}.{key}",
            )
        return value

    def host(self, entry: object, index: int) -> HostConfig:
        prefix = f"{SECTION}.hosts[{index}]"
        if not isinstance(entry, Mapping):
            raise self.error(f"{prefix} must be a table, got {entry!r}", prefix)
        self.check_keys(entry, _HOST_KEYS, prefix)
        host = self.string(entry, "host", prefix, required=True)
        port = self.integer(entry, "port", prefix, minimum=1)
        if port is not None and port > 65535:
            raise self.error(f"{prefix}.port must be at most 65535, got {port}", f"{prefix}.port")
        key_file = self.string(entry, "key_file", prefix) or None
        if key_file is not None:
            key_path = Path(key_file).expanduser()
            if not key_path.is_file():
                raise self.error(
                    f"{prefix}.key_file: no such file {str(key_path)!r} "
                    "(it names the private key file, e.g. ~/.ssh/id_ed25519)",
                    f"{prefix}.key_file",
                )
            key_file = str(key_path)
        raw_gpus = entry.get("gpus")
        gpus: tuple[int, ...] | None = None
        if raw_gpus is not None:
            if not isinstance(raw_gpus, list) or not all(
                isinstance(g, int) and not isinstance(g, bool) and g >= 0 for g in raw_gpus
            ):
                raise self.error(
                    f"{prefix}.gpus must be a list of GPU indices like [0, 1], got {raw_gpus!r}",
                    f"{prefix}.gpus",
                )
            gpus = tuple(raw_gpus)
        return HostConfig(
            name=self.string(entry, "name", prefix) or host,
            host=host,
            port=port,
            user=self.string(entry, "user", prefix) or None,
            key_file=key_file,
            gpus=gpus,
            max_parallel=self.integer(entry, "max_parallel", prefix, minimum=1),
            index=index,
        )
