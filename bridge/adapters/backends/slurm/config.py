"""
The ``[backends.slurm]`` section of ``bridge.toml``, parsed and checked.

Every mistake becomes a :class:`bridge.errors.ConfigError` naming the setting by its dotted name
(``backends.slurm.sbatch_args``) and, when the caller can tell, the file and line. With ``host``
set, the SSH settings (``port``, ``user``, ``key_file``, ``known_hosts``, ...) mean what they mean
in ``[backends.ssh]``, and :meth:`SlurmConfig.ssh` hands them to the SSH backend's code.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from bridge.adapters.backends.ssh.config import HostConfig, SSHConfig, _Reader
from bridge.errors import ConfigError

__all__ = ["SlurmConfig"]

SECTION = "backends.slurm"

_SSH_KEYS = (
    "host",
    "port",
    "user",
    "key_file",
    "known_hosts",
    "strict_host_keys",
    "connect_timeout",
    "ssh_config",
    "exclude",
)
_KEYS = (
    "partition",
    "account",
    "qos",
    "sbatch_args",
    "modules",
    "setup",
    "remote_dir",
    "gpu_flag",
    "gpus",
    "cpus_per_task",
    "mem",
    "poll_seconds",
    *_SSH_KEYS,
)


@attrs.frozen(kw_only=True)
class SlurmConfig:
    """
    The Slurm backend's settings.

    Attributes:
        partition: ``--partition`` (``""``: the cluster's default partition).
        account: ``--account`` (``""``: none).
        qos: ``--qos`` (``""``: none).
        sbatch_args: extra ``sbatch`` arguments, each one argument (never split by a shell).
        modules: environment modules loaded in the job (``module load NAME``) before ``setup``.
        setup: shell lines run in the job before the command (``source .venv/bin/activate``).
        remote_dir: the project's directory on the cluster's shared filesystem, where
            ``.bridge/runs`` lives; ``""`` means the project itself (bridge runs on the login
            node). Required with ``host``.
        gpu_flag: ``"gres"`` (``--gres=gpu:N``) or ``"gpus"`` (``--gpus=N``).
        gpus: how many GPUs bridge's queued jobs may ask for at once, in all.
        cpus_per_task: ``--cpus-per-task`` for every job, ``None`` for the cluster's default.
        mem: ``--mem`` for every job (``"16G"``), ``""`` for the cluster's default.
        poll_seconds: the interval between two ``squeue`` calls (one call covers every job).
        host: a login node to submit through over SSH; ``None`` runs ``sbatch`` here.
        ssh: the SSH settings for ``host`` (``None`` without ``host``).
    """

    partition: str = ""
    account: str = ""
    qos: str = ""
    sbatch_args: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    setup: tuple[str, ...] = ()
    remote_dir: str = ""
    gpu_flag: str = "gres"
    gpus: int = 8
    cpus_per_task: int | None = None
    mem: str = ""
    poll_seconds: float = 10.0
    ssh: SSHConfig | None = None

    @property
    def host(self) -> HostConfig | None:
        """
        The login node, when jobs are submitted over SSH.
        """
        return self.ssh.hosts[0] if self.ssh is not None else None

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, object],
        *,
        file: str | None = None,
        line_of: Callable[[str], int | None] | None = None,
    ) -> SlurmConfig:
        """
        Build the settings from the parsed ``[backends.slurm]`` table.

        Raises:
            ConfigError: a setting is missing, has the wrong type or value, or is unknown.
        """
        reader = _Reader(file=file, line_of=line_of)
        reader.check_keys(table, _KEYS, SECTION)
        remote_dir = reader.string(table, "remote_dir", SECTION)
        host = reader.string(table, "host", SECTION)
        if remote_dir and not posixpath.isabs(remote_dir):
            raise reader.error(
                f"{SECTION}.remote_dir must be an absolute path on the cluster's shared "
                f"filesystem (like /scratch/you/project), got {remote_dir!r}",
                f"{SECTION}.remote_dir",
            )
        if host and not remote_dir:
            raise reader.error(
                f"{SECTION}.remote_dir is required with {SECTION}.host: the project's directory "
                "on the cluster's shared filesystem (like /scratch/you/project)",
                f"{SECTION}.remote_dir",
            )
        if not host:
            for key in _SSH_KEYS:
                if key in table:
                    raise reader.error(
                        f"{SECTION}.{key} is an SSH setting for {SECTION}.host, which is not "
                        "set (without host, sbatch runs on this machine)",
                        f"{SECTION}.{key}",
                    )
        gpu_flag = reader.string(table, "gpu_flag", SECTION) or "gres"
        if gpu_flag not in ("gres", "gpus"):
            raise reader.error(
                f'{SECTION}.gpu_flag must be "gres" (--gres=gpu:N) or "gpus" (--gpus=N), '
                f"got {gpu_flag!r}",
                f"{SECTION}.gpu_flag",
            )
        raw_setup = table.get("setup", [])
        setup = (
            (raw_setup,) if isinstance(raw_setup, str) else reader.strings(table, "setup", SECTION)
        )
        gpus = reader.integer(table, "gpus", SECTION, minimum=0)
        ssh = None
        if host:
            ssh_table = {k: table[k] for k in _SSH_KEYS if k in table and k != "host"}
            host_table = {
                k: ssh_table.pop(k) for k in ("port", "user", "key_file") if k in ssh_table
            }
            ssh = _ssh_config(
                {**ssh_table, "remote_dir": remote_dir, "hosts": [{"host": host, **host_table}]},
                file=file,
                line_of=line_of,
            )
        return cls(
            partition=reader.string(table, "partition", SECTION),
            account=reader.string(table, "account", SECTION),
            qos=reader.string(table, "qos", SECTION),
            sbatch_args=reader.strings(table, "sbatch_args", SECTION),
            modules=reader.strings(table, "modules", SECTION),
            setup=setup,
            remote_dir=posixpath.normpath(remote_dir) if remote_dir else "",
            gpu_flag=gpu_flag,
            gpus=8 if gpus is None else gpus,
            cpus_per_task=reader.integer(table, "cpus_per_task", SECTION, minimum=1),
            mem=reader.string(table, "mem", SECTION),
            poll_seconds=reader.positive(table, "poll_seconds", SECTION, default=10.0),
            ssh=ssh,
        )

    def directory(self, project_root: Path) -> str:
        """
        Return the directory runs live under on the cluster: ``remote_dir`` or the project.
        """
        return self.remote_dir or str(Path(project_root).resolve())


def _ssh_config(
    table: Mapping[str, object],
    *,
    file: str | None,
    line_of: Callable[[str], int | None] | None,
) -> SSHConfig:
    """
    Parse the login node's SSH settings with the SSH backend's reader; its messages name the
    settings as they are written here (``backends.slurm.key_file``), not as ``[backends.ssh]``.
    """

    def here(name: str) -> str:
        return name.replace("backends.ssh.hosts[0].", f"{SECTION}.").replace(
            "backends.ssh.", f"{SECTION}."
        )

    def line(name: str) -> int | None:
        return line_of(here(name)) if line_of is not None else None

    try:
        return SSHConfig.from_table(table, file=file, line_of=line)
    except ConfigError as exc:
        setting = here(exc.setting) if exc.setting else None
        raise ConfigError(
            here(exc.message), setting=setting, file=exc.file, line=exc.line
        ) from None
