"""
The ``[backends.vast]`` section of ``bridge.toml``, parsed and checked.

Every mistake becomes a :class:`bridge.errors.ConfigError` naming the setting by its dotted name
(``backends.vast.max_dph``) and, when the caller can tell, the file and line. The SSH settings
(``ssh_key_file``, ``remote_dir``, ``setup``, ``code_sync``, ...) are handed to the SSH backend,
which does the work on each rented instance.
"""

from __future__ import annotations

import attrs

from bridge.adapters.backends.ssh.config import RemoteProject
from bridge.plan import setting_rules as read
from bridge.plan.setting_fields import Invalid, setting
from bridge.plan.settings import Section, SettingsTable

__all__ = ["VastConfig"]

SECTION = "backends.vast"


def _dollars(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise Invalid("must be a positive number of dollars", value)
    if not value <= read.LARGEST_NUMBER:
        raise Invalid(f"must be a finite number, at most {read.LARGEST_NUMBER}", value)
    return float(value)


def _url(value: object) -> str | None:
    if not isinstance(value, str):
        raise Invalid("must be a string", value)
    return value.rstrip("/") or None


def _login(value: object) -> str:
    return read.text_or_none(value) or "root"


_DOLLARS = setting(read=_dollars)
_SECONDS = setting(read=read.positive_seconds)


@attrs.frozen(kw_only=True)
class VastConfig(RemoteProject, Section):
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
        remote_dir: as in ``[backends.ssh]``, on the instance (``/root/bridge``).
        strict_host_keys: as in ``[backends.ssh]``, off by default (every rented instance has
            a new host key).
        setup, code_sync, exclude, known_hosts, connect_timeout, lost_grace_seconds,
            cancel_grace_seconds, ssh_config: as in ``[backends.ssh]``
            (:class:`~bridge.adapters.backends.ssh.config.RemoteProject`).
    """

    SECTION = SECTION

    # Secret: a key pasted here by mistake must not be quoted back.
    api_key_env: str = attrs.field(
        default="VAST_API_KEY",
        metadata=setting(read=read.blank_means("VAST_API_KEY"), secret=True),
    )
    server_url: str | None = attrs.field(default=None, metadata=setting(read=_url))
    instance_id: int | None = attrs.field(default=None, metadata=setting(read=read.whole(1)))
    query: str = ""
    order: str = attrs.field(
        default="dph_total", metadata=setting(read=read.blank_means("dph_total"))
    )
    max_dph: float | None = attrs.field(default=None, metadata=_DOLLARS)
    image: str = ""
    disk_gb: float = attrs.field(default=20.0, metadata=setting(read=read.positive))
    onstart: str = ""
    instances: int = attrs.field(default=1, metadata=setting(read=read.whole(1)))
    auto_destroy: bool = False
    max_total_cost: float | None = attrs.field(default=None, metadata=_DOLLARS)
    start_timeout_seconds: float = attrs.field(default=900.0, metadata=_SECONDS)
    ssh_ready_seconds: float = attrs.field(default=300.0, metadata=_SECONDS)
    status_interval_seconds: float = attrs.field(
        default=30.0, metadata=setting(read=read.non_negative_number)
    )
    ssh_key_file: str | None = attrs.field(
        default=None,
        metadata=setting(
            read=read.existing_file(
                "it names the private key whose public key is registered with Vast"
            )
        ),
    )
    ssh_user: str = attrs.field(default="root", metadata=setting(read=_login))
    remote_dir: str = attrs.field(
        default="/root/bridge",
        metadata=setting(
            read=read.blank_means(
                "/root/bridge", read.absolute_path("on the instance (like /root/bridge)")
            )
        ),
    )
    strict_host_keys: bool = False

    def checked(self, reader: SettingsTable) -> VastConfig:
        """
        Refuse neither or both of ``instance_id`` and ``query``, a query the vastai SDK cannot
        parse, ``query`` without ``image``, and more than one instance with ``instance_id``.
        """
        config = self
        query = config.query.strip()
        if (config.instance_id is None) == (not query):
            reader.fail(
                "query" if query else "instance_id",
                f"{SECTION}: set exactly one of instance_id (an instance you already rent) and "
                'query (offers to rent, e.g. query = "gpu_ram>=24 num_gpus=1 reliability>0.95")',
            )
        if query:
            _check_query(reader, query)
        if query and not config.image:
            reader.fail(
                "image",
                f'{SECTION}.image is required with query (e.g. image = "pytorch/pytorch:latest")',
            )
        if config.instance_id is not None and config.instances != 1:
            reader.fail(
                "instances",
                f"{SECTION}.instances must be 1 with instance_id (one instance is reused)",
            )
        return attrs.evolve(config, query=query)


def _check_query(reader: SettingsTable, query: str) -> None:
    # The SDK's own parser, offline: a typo is a configuration error now, not a failed search
    # after the approval checkpoint.
    from vastai.api.query import offers_alias, offers_fields, offers_mult, parse_query

    try:
        parse_query(query, {}, offers_fields, offers_alias, offers_mult)
    except (ValueError, KeyError, IndexError) as exc:
        raise reader.error(
            "query", f"{SECTION}.query {query!r} is not a vastai offer query: {exc}"
        ) from None
