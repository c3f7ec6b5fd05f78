"""
The ``[backends.vast]`` section of ``bridge.toml``, parsed and checked.

Every mistake becomes a :class:`bridge.errors.ConfigError` naming the setting by its dotted name
(``backends.vast.max_dph``) and, when the caller can tell, the file and line. The SSH settings
(``ssh_key_file``, ``remote_dir``, ``setup``, ``code_sync``, ...) are handed to the SSH backend,
which does the work on each rented instance.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from bridge.adapters.backends.ssh.config import _Reader

__all__ = ["VastConfig"]

SECTION = "backends.vast"

_KEYS = (
    "api_key_env",
    "server_url",
    "instance_id",
    "query",
    "order",
    "max_dph",
    "image",
    "disk_gb",
    "onstart",
    "instances",
    "auto_destroy",
    "max_total_cost",
    "start_timeout_seconds",
    "ssh_ready_seconds",
    "status_interval_seconds",
    # Handed to the SSH backend.
    "ssh_key_file",
    "ssh_user",
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
)


@attrs.frozen(kw_only=True)
class VastConfig:
    """
    The Vast.ai backend's settings.

    Attributes:
        api_key_env: the environment variable holding the API key (the key itself is never
            stored); when unset, the vastai key file (``~/.config/vastai/vast_api_key``) is used.
        server_url: the Vast API, ``None`` for the SDK's own (``https://console.vast.ai``).
        instance_id: an existing instance to run on (never destroyed by bridge), or ``None``.
        query: the vastai offer query (``gpu_ram>=24 num_gpus=1 reliability>0.95``).
        order: how offers are sorted; the first is rented.
        max_dph: the most dollars per hour an offer may cost, ``None`` for no limit.
        image: the Docker image of a rented instance.
        disk_gb: its disk in GB.
        onstart: a shell line the instance runs when it starts.
        instances: how many instances at most (each serves as many runs as it has GPUs).
        auto_destroy: destroy instances bridge rented once every artifact is copied back.
        max_total_cost: no new instance is rented once this many dollars are spent.
        start_timeout_seconds: how long an instance may take to reach ``running``.
        ssh_ready_seconds: how long its SSH server may take to accept us after that.
        status_interval_seconds: how often the API is asked whether an instance still exists.
        ssh_key_file: the private key whose public half is registered with Vast.
        ssh_user: the login on the instance (``root`` on Vast images).
        remote_dir, setup, code_sync, exclude, known_hosts, strict_host_keys, connect_timeout,
            lost_grace_seconds, cancel_grace_seconds, ssh_config: as in ``[backends.ssh]``.
    """

    api_key_env: str = "VAST_API_KEY"
    server_url: str | None = None
    instance_id: int | None = None
    query: str = ""
    order: str = "dph_total"
    max_dph: float | None = None
    image: str = ""
    disk_gb: float = 20.0
    onstart: str = ""
    instances: int = 1
    auto_destroy: bool = False
    max_total_cost: float | None = None
    start_timeout_seconds: float = 900.0
    ssh_ready_seconds: float = 300.0
    status_interval_seconds: float = 30.0
    ssh_key_file: str | None = None
    ssh_user: str = "root"
    remote_dir: str = "/root/bridge"
    setup: str = ""
    code_sync: str = "rsync"
    exclude: tuple[str, ...] = ()
    known_hosts: str = "~/.ssh/known_hosts"
    strict_host_keys: bool = False
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
    ) -> VastConfig:
        """
        Build the settings from the parsed ``[backends.vast]`` table.

        Args:
            table: the table's contents as ``tomllib`` returns them.
            file: the configuration file, for messages.
            line_of: maps a dotted setting name to its 1-based line in ``file``, when known.

        Returns:
            The checked settings.

        Raises:
            ConfigError: a setting is unknown, has the wrong type or value, neither or both of
                ``instance_id`` and ``query`` are set, ``image`` is missing for ``query``, or
                the query does not parse.
        """
        r = _Reader(file=file, line_of=line_of)
        r.check_keys(table, _KEYS, SECTION)
        instance_id = r.integer(table, "instance_id", SECTION, minimum=1)
        query = r.string(table, "query", SECTION).strip()
        if (instance_id is None) == (not query):
            raise r.error(
                f"{SECTION}: set exactly one of instance_id (an instance you already rent) and "
                'query (offers to rent, e.g. query = "gpu_ram>=24 num_gpus=1 reliability>0.95")',
                f"{SECTION}.query" if query else f"{SECTION}.instance_id",
            )
        if query:
            _check_query(r, query)
        image = r.string(table, "image", SECTION)
        if query and not image:
            raise r.error(
                f'{SECTION}.image is required with query (e.g. image = "pytorch/pytorch:latest")',
                f"{SECTION}.image",
            )
        instances = r.integer(table, "instances", SECTION, minimum=1) or 1
        if instance_id is not None and instances != 1:
            raise r.error(
                f"{SECTION}.instances must be 1 with instance_id (one instance is reused)",
                f"{SECTION}.instances",
            )
        remote_dir = r.string(table, "remote_dir", SECTION) or "/root/bridge"
        if not posixpath.isabs(remote_dir):
            raise r.error(
                f"{SECTION}.remote_dir must be an absolute path on the instance, got "
                f"{remote_dir!r}",
                f"{SECTION}.remote_dir",
            )
        code_sync = r.string(table, "code_sync", SECTION) or "rsync"
        if code_sync not in ("rsync", "git"):
            raise r.error(
                f'{SECTION}.code_sync must be "rsync" or "git", got {code_sync!r}',
                f"{SECTION}.code_sync",
            )
        key_file = r.string(table, "ssh_key_file", SECTION) or None
        if key_file is not None:
            key_path = Path(key_file).expanduser()
            if not key_path.is_file():
                raise r.error(
                    f"{SECTION}.ssh_key_file: no such file {str(key_path)!r} (it names the "
                    "private key whose public key is registered with Vast)",
                    f"{SECTION}.ssh_key_file",
                )
            key_file = str(key_path)
        ssh_config = r.string(table, "ssh_config", SECTION) or None
        server_url = r.string(table, "server_url", SECTION).rstrip("/") or None
        return cls(
            api_key_env=r.string(table, "api_key_env", SECTION) or "VAST_API_KEY",
            server_url=server_url,
            instance_id=instance_id,
            query=query,
            order=r.string(table, "order", SECTION) or "dph_total",
            max_dph=_dollars(r, table, "max_dph"),
            image=image,
            disk_gb=r.positive(table, "disk_gb", SECTION, default=20.0),
            onstart=r.string(table, "onstart", SECTION),
            instances=instances,
            auto_destroy=r.boolean(table, "auto_destroy", SECTION, default=False),
            max_total_cost=_dollars(r, table, "max_total_cost"),
            start_timeout_seconds=r.positive(table, "start_timeout_seconds", SECTION, default=900),
            ssh_ready_seconds=r.positive(table, "ssh_ready_seconds", SECTION, default=300),
            status_interval_seconds=_non_negative(r, table, "status_interval_seconds", 30.0),
            ssh_key_file=key_file,
            ssh_user=r.string(table, "ssh_user", SECTION) or "root",
            remote_dir=posixpath.normpath(remote_dir),
            setup=r.string(table, "setup", SECTION),
            code_sync=code_sync,
            exclude=r.strings(table, "exclude", SECTION),
            known_hosts=str(
                Path(r.string(table, "known_hosts", SECTION) or "~/.ssh/known_hosts").expanduser()
            ),
            strict_host_keys=r.boolean(table, "strict_host_keys", SECTION, default=False),
            connect_timeout=r.positive(table, "connect_timeout", SECTION, default=10.0),
            lost_grace_seconds=r.positive(table, "lost_grace_seconds", SECTION, default=300.0),
            cancel_grace_seconds=r.positive(table, "cancel_grace_seconds", SECTION, default=10.0),
            ssh_config=str(Path(ssh_config).expanduser()) if ssh_config else None,
        )


def _check_query(r: _Reader, query: str) -> None:
    # The SDK's own parser, offline: a typo is a configuration error now, not a failed search
    # after the approval checkpoint.
    from vastai.api.query import offers_alias, offers_fields, offers_mult, parse_query

    try:
        parse_query(query, {}, offers_fields, offers_alias, offers_mult)
    except (ValueError, KeyError, IndexError) as exc:
        raise r.error(
            f"{SECTION}.query {query!r} is not a vastai offer query: {exc}", f"{SECTION}.query"
        ) from None


def _dollars(r: _Reader, table: Mapping[str, object], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise r.error(
            f"{SECTION}.{key} must be a positive number of dollars, got {value!r}",
            f"{SECTION}.{key}",
        )
    return float(value)


def _non_negative(r: _Reader, table: Mapping[str, object], key: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise r.error(
            f"{SECTION}.{key} must be a number of seconds >= 0, got {value!r}", f"{SECTION}.{key}"
        )
    return float(value)
