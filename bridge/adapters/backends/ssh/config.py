"""
The ``[backends.ssh]`` section of ``bridge.toml``, and the SSH settings the Vast and Slurm
sections share with it.

The attrs classes are the schema the one settings reader (:mod:`bridge.plan.settings`)
structures the table onto: :class:`SSHLink` (how to connect to any host), :class:`Login` (one
host and how to log in), :class:`RemoteProject` (where the project lives on the remote side and
how it gets there). Every mistake becomes a :class:`bridge.errors.ConfigError` that names the
setting by its dotted name (``backends.ssh.hosts[0].key_file``) and, when the caller can tell,
the file and line.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from bridge.plan import setting_rules as read
from bridge.plan.setting_fields import Invalid, setting
from bridge.plan.settings import Section, SettingsTable

__all__ = ["DEFAULT_EXCLUDES", "HostConfig", "Login", "RemoteProject", "SSHConfig", "SSHLink"]

SECTION = "backends.ssh"

# Anchored (leading "/") so a package that happens to contain a "data/" module is still synced.
_REMOTE_DIR = setting(read=read.absolute_path("on the remote machine (like /home/you/experiments)"))

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "/.bridge/",
    "/data/",
    "/datasets/",
    "/checkpoints/",
    "/wandb/",
    "/.venv/",
    "__pycache__/",
)

_SECONDS = setting(read=read.positive_seconds)


def _gpu_indices(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(g, int) and not isinstance(g, bool) and g >= 0 for g in value
    ):
        raise Invalid("must be a list of GPU indices like [0, 1]", value)
    return tuple(value)


@attrs.frozen(kw_only=True)
class SSHLink:
    """
    How bridge connects to any host over SSH (``[backends.ssh]``, ``[backends.vast]``, and
    ``[backends.slurm]`` with ``host``).

    Attributes:
        known_hosts: the known_hosts file host keys are checked against.
        strict_host_keys: reject unknown or changed host keys (``False`` is an explicit opt-out).
        connect_timeout: seconds allowed for TCP connect, the SSH banner and authentication.
        ssh_config: the OpenSSH client config file for aliases, ``None`` for the usual files.
        exclude: extra rsync exclude patterns, added to :data:`DEFAULT_EXCLUDES`.
    """

    known_hosts: str = attrs.field(
        default=str(Path("~/.ssh/known_hosts").expanduser()),
        metadata=setting(read=read.local_path("~/.ssh/known_hosts")),
    )
    strict_host_keys: bool = True
    connect_timeout: float = attrs.field(default=10.0, metadata=_SECONDS)
    ssh_config: str | None = attrs.field(default=None, metadata=setting(read=read.local_path(None)))
    exclude: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=read.string_list))


# Not slotted: [backends.slurm] mixes it in beside SSHLink, and two slotted bases cannot share
# a subclass.
@attrs.frozen(kw_only=True, slots=False)
class Login:
    """
    One host and how to log in to it.

    Attributes:
        host: a host name, an address, or an alias from the SSH config file.
        port: the SSH port, ``None`` to take it from the SSH config (else 22).
        user: the login, ``None`` to take it from the SSH config (else the local user).
        key_file: the private key (a path, never the key itself), ``None`` for the SSH config's
            ``IdentityFile``, the agent, or the default keys.
    """

    host: str = attrs.field(metadata=setting(read=read.required_text))
    port: int | None = attrs.field(default=None, metadata=setting(read=read.whole(1, 65535)))
    user: str | None = attrs.field(default=None, metadata=setting(read=read.text_or_none))
    key_file: str | None = attrs.field(
        default=None,
        metadata=setting(
            read=read.existing_file("it names the private key file, e.g. ~/.ssh/id_ed25519")
        ),
    )


@attrs.frozen(kw_only=True)
class RemoteProject(SSHLink):
    """
    Where the project lives on the remote side and how it gets and stays there.

    Attributes:
        remote_dir: absolute directory holding the synced code and ``.bridge/runs``.
        setup: a shell line run before every remote command (conda or venv activation).
        code_sync: ``"rsync"`` (copy the project) or ``"git"`` (the remote checks out the commit).
        lost_grace_seconds: how long a host may be unreachable before its runs count as lost.
        cancel_grace_seconds: seconds between TERM and KILL on cancel and on timeout.
    """

    remote_dir: str = attrs.field(metadata=_REMOTE_DIR)
    setup: str = ""
    code_sync: str = attrs.field(
        default="rsync",
        metadata=setting(read=read.blank_means("rsync", read.one_of("rsync", "git"))),
    )
    lost_grace_seconds: float = attrs.field(default=300.0, metadata=_SECONDS)
    cancel_grace_seconds: float = attrs.field(default=10.0, metadata=_SECONDS)


@attrs.frozen(kw_only=True)
class HostConfig(Login):
    """
    One ``[[backends.ssh.hosts]]`` table: a :class:`Login` and what bridge may use there.

    Attributes:
        name: the name slots and handles carry (``Slot.host``); ``host`` unless ``name`` is set.
        gpus: the GPU indices bridge may use, ``None`` to use every free GPU ``nvidia-smi`` shows.
        max_parallel: at most this many slots on the host (CPU hosts: the number of CPU slots).
        index: the table's position, used to name settings in messages.
    """

    name: str = ""
    gpus: tuple[int, ...] | None = attrs.field(default=None, metadata=setting(read=_gpu_indices))
    max_parallel: int | None = attrs.field(default=None, metadata=setting(read=read.whole(1)))
    index: int = attrs.field(default=0, metadata=setting(internal=True))

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
class SSHConfig(RemoteProject, Section):
    """
    The SSH backend's settings: a :class:`RemoteProject` on one or more hosts.

    Attributes:
        hosts: the hosts, at least one.
    """

    SECTION = SECTION

    hosts: tuple[HostConfig, ...] = ()

    def checked(self, reader: SettingsTable) -> SSHConfig:
        """
        Name each host (``host`` unless ``name`` is set) and number it; refuse a section
        without hosts and two hosts of one name.
        """
        config = self
        if not config.hosts:
            reader.fail(
                "hosts",
                f"{SECTION}.hosts is missing: add at least one [[{SECTION}.hosts]] table "
                'with host = "..."',
            )
        hosts = tuple(
            attrs.evolve(h, name=h.name or h.host, index=i) for i, h in enumerate(config.hosts)
        )
        seen: dict[str, int] = {}
        for h in hosts:
            if h.name in seen:
                reader.fail(
                    f"hosts[{h.index}].name",
                    f"{h.setting('name')}: two hosts are named {h.name!r} "
                    f'(hosts[{seen[h.name]}] too); give each a distinct name = "..."',
                )
            seen[h.name] = h.index
        return attrs.evolve(config, hosts=hosts)

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
