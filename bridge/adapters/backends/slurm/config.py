"""
The ``[backends.slurm]`` section of ``bridge.toml``, parsed and checked.

Every mistake becomes a :class:`bridge.errors.ConfigError` naming the setting by its dotted name
(``backends.slurm.sbatch_args``) and, when the caller can tell, the file and line. With ``host``
set, the SSH settings (``port``, ``user``, ``key_file``, ``known_hosts``, ...) mean what they mean
in ``[backends.ssh]``, and ``SlurmConfig.ssh`` hands them to the SSH backend's code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from bridge.adapters.backends.ssh.config import HostConfig, Login, SSHConfig, SSHLink
from bridge.plan import setting_rules as read
from bridge.plan.setting_fields import keys_of, setting
from bridge.plan.settings import Section, SettingsTable

__all__ = ["SlurmConfig"]

_LIST = setting(read=read.string_list)

SECTION = "backends.slurm"

_ON_CLUSTER = read.absolute_path("on the cluster's shared filesystem (like /scratch/you/project)")


def _fields(config: SlurmConfig, part: type) -> dict[str, Any]:  # Any: the part's field types
    return {f.name: getattr(config, f.name) for f in attrs.fields(part)}


def _cluster_dir(value: object) -> str:
    return "" if value == "" else _ON_CLUSTER(value)


@attrs.frozen(kw_only=True)
class SlurmConfig(SSHLink, Login, Section):
    """
    The Slurm backend's settings.

    Attributes:
        partition: ``--partition`` (``""``: the cluster's default partition).
        account: ``--account`` (``""``: none).
        qos: ``--qos`` (``""``: none).
        sbatch_args: extra ``sbatch`` arguments, each one argument (never split by a shell).
        modules: environment modules loaded in the job (``module load NAME``) before ``setup``.
        setup: shell lines run in the job before the command (``source .venv/bin/activate``).
        remote_dir: the project's directory on the cluster's shared filesystem, which holds
            the attempts' directories as the local project does; ``""`` means the project
            itself (bridge runs on the login node). Required with ``host``.
        gpu_flag: ``"gres"`` (``--gres=gpu:N``) or ``"gpus"`` (``--gpus=N``).
        gpus: how many GPUs bridge's queued jobs may ask for at once, in all.
        cpus_per_task: ``--cpus-per-task`` for every job, ``None`` for the cluster's default.
        mem: ``--mem`` for every job (``"16G"``), ``""`` for the cluster's default.
        poll_seconds: the interval between two ``squeue`` calls (one call covers every job).
        host: a login node to submit through over SSH; ``""`` runs ``sbatch`` here. With it,
            ``port``, ``user``, ``key_file`` (:class:`Login`) and ``known_hosts``,
            ``strict_host_keys``, ``connect_timeout``, ``ssh_config``, ``exclude``
            (:class:`SSHLink`) mean what they mean in ``[backends.ssh]``.
        ssh: the SSH settings for ``host`` (``None`` without ``host``).
    """

    SECTION = SECTION

    partition: str = ""
    account: str = ""
    qos: str = ""
    sbatch_args: tuple[str, ...] = attrs.field(default=(), metadata=_LIST)
    modules: tuple[str, ...] = attrs.field(default=(), metadata=_LIST)
    setup: tuple[str, ...] = attrs.field(default=(), metadata=setting(read=read.strings))
    remote_dir: str = attrs.field(default="", metadata=setting(read=_cluster_dir))
    gpu_flag: str = attrs.field(
        default="gres",
        metadata=setting(
            read=read.blank_means(
                "gres", read.one_of("gres", "gpus", say="gres: --gres=gpu:N, gpus: --gpus=N")
            )
        ),
    )
    gpus: int = attrs.field(default=8, metadata=setting(read=read.whole(0)))
    cpus_per_task: int | None = attrs.field(default=None, metadata=setting(read=read.whole(1)))
    mem: str = ""
    poll_seconds: float = attrs.field(default=10.0, metadata=setting(read=read.positive_seconds))
    host: str = ""
    ssh: SSHConfig | None = attrs.field(default=None, metadata=setting(internal=True))

    def checked(self, reader: SettingsTable) -> SlurmConfig:
        """
        Without ``host``, refuse every SSH setting; with it, require ``remote_dir`` and build
        the login node's SSH settings.
        """
        config = self
        if not config.host:
            for key in (*keys_of(Login), *keys_of(SSHLink)):
                if key in reader.table:
                    reader.fail(
                        key,
                        f"{SECTION}.{key} is an SSH setting for {SECTION}.host, which is not "
                        "set (without host, sbatch runs on this machine)",
                    )
            return config
        if not config.remote_dir:
            reader.fail(
                "remote_dir",
                f"{SECTION}.remote_dir is required with {SECTION}.host: the project's directory "
                "on the cluster's shared filesystem (like /scratch/you/project)",
            )
        # The login node is this section's Login and SSHLink fields, handed over as they are.
        login = HostConfig(name=config.host, **_fields(config, Login))
        ssh = SSHConfig(remote_dir=config.remote_dir, hosts=(login,), **_fields(config, SSHLink))
        return attrs.evolve(config, ssh=ssh)

    def directory(self, project_root: Path) -> str:
        """
        Return the directory runs live under on the cluster: ``remote_dir`` or the project.
        """
        return self.remote_dir or str(Path(project_root).resolve())
