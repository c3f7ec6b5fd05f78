"""
Moving files between the project and an SSH host: code up (rsync, or a git checkout of a pushed
commit), an attempt's outputs and logs back (rsync, or SFTP when rsync is missing).
"""

from __future__ import annotations

import math
import os
import shlex
import shutil
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import fabric

from bridge.adapters.backends.ssh.config import DEFAULT_EXCLUDES, HostConfig, SSHConfig
from bridge.adapters.digests import file_sha256
from bridge.errors import BackendError
from bridge.machine.ports import Artifact

__all__ = [
    "FETCHED",
    "collect_artifacts",
    "local_commit",
    "rsync_fetch",
    "rsync_push",
    "sftp_fetch",
    "ssh_command",
]

# What comes back from an attempt directory: the outputs, the logs and the exit code.
FETCHED = ("output", "stdout.log", "stderr.log", "exit_code")


def ssh_command(config: SSHConfig, host: HostConfig) -> list[str]:
    """
    Return the OpenSSH client argv rsync uses (``-e``), with the same key, port, SSH config and
    host-key policy as the fabric connection.
    """
    argv = [
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        f"ConnectTimeout={math.ceil(config.connect_timeout)}",
        "-o",
        "LogLevel=ERROR",
    ]
    if config.ssh_config:
        argv += ["-F", config.ssh_config]
    if host.port is not None:
        argv += ["-p", str(host.port)]
    if host.user:
        argv += ["-l", host.user]
    if host.key_file:
        argv += ["-i", host.key_file, "-o", "IdentitiesOnly=yes"]
    if config.strict_host_keys:
        argv += [
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            f"UserKnownHostsFile={config.known_hosts}",
        ]
    else:
        argv += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
    return argv


def _rsync(config: SSHConfig, host: HostConfig, args: list[str]) -> None:
    rsync = shutil.which("rsync")
    if rsync is None:
        raise BackendError("rsync is not installed on this machine (apt-get install rsync)")
    remote_shell = " ".join(shlex.quote(a) for a in ssh_command(config, host))
    # -s keeps remote paths away from the remote shell on rsync versions that still split them.
    argv = [rsync, "-a", "-s", "-e", remote_shell, *args]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=600, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise BackendError(f"rsync with ssh host {host.name} took longer than 600 s") from exc
    if done.returncode != 0:
        raise BackendError(
            f"rsync with ssh host {host.name} failed (exit {done.returncode}): "
            f"{done.stderr.strip()[-1000:]}"
        )


def rsync_push(config: SSHConfig, host: HostConfig, project_root: Path) -> None:
    """
    Copy the project to ``remote_dir`` on ``host``, leaving out data, checkpoints, ``.bridge/``,
    ``.git/`` and the configured ``exclude`` patterns. Nothing on the remote is deleted.

    Raises:
        BackendError: rsync is missing or failed.
    """
    excludes = [*DEFAULT_EXCLUDES, "/.git/", *config.exclude]
    args = [f"--exclude={pattern}" for pattern in excludes]
    # Create remote_dir in the same connection (rsync creates only the last path component).
    args.append(f"--rsync-path=mkdir -p -- {shlex.quote(config.remote_dir)} && rsync")
    args += [f"{project_root}/", f"{host.host}:{config.remote_dir}/"]
    _rsync(config, host, args)


def rsync_fetch(config: SSHConfig, host: HostConfig, attempt: str, dest: Path) -> None:
    """
    Copy an attempt's outputs, logs and exit code from ``host`` into ``dest``.

    Raises:
        BackendError: rsync is missing or failed.
    """
    dest.mkdir(parents=True, exist_ok=True)
    filters = ["--include=/output/***"]
    filters += [f"--include=/{name}" for name in FETCHED if name != "output"]
    filters.append("--exclude=*")
    # --no-links: a link the run left in output/ (or that a rented host planted) is not copied,
    # so nothing read here afterwards can lead outside the attempt directory.
    _rsync(config, host, ["--no-links", *filters, f"{host.host}:{attempt}/", f"{dest}/"])


def sftp_fetch(conn: fabric.Connection, attempt: str, dest: Path) -> None:
    """
    Copy the same files as :func:`rsync_fetch` over SFTP (for hosts without rsync): regular
    files only, links and special files left on the host.

    Raises:
        OSError: the SFTP session failed (the caller retries and reports).
    """
    sftp = conn.sftp()
    sftp.stat(attempt)  # a vanished attempt directory is a failure, not an empty result
    dest.mkdir(parents=True, exist_ok=True)
    for name in FETCHED:
        remote = f"{attempt}/{name}"
        try:
            attrs = sftp.lstat(remote)
        except FileNotFoundError:
            continue
        mode = attrs.st_mode or 0
        if stat.S_ISDIR(mode):
            _sftp_tree(sftp, remote, dest / name)
        elif stat.S_ISREG(mode):
            sftp.get(remote, str(dest / name))


class _Entry(Protocol):
    """A directory entry as paramiko's ``SFTPAttributes`` gives it (paramiko is untyped)."""

    @property
    def filename(self) -> str: ...
    @property
    def st_mode(self) -> int | None: ...


class _SFTP(Protocol):
    """The two calls of paramiko's ``SFTPClient`` that the tree copy makes."""

    def listdir_attr(self, path: str) -> Sequence[_Entry]: ...
    def get(self, remotepath: str, localpath: str) -> object: ...


def _sftp_tree(sftp: _SFTP, remote: str, local: Path) -> None:
    """
    Copy the regular files under ``remote``; like rsync ``--no-links``, links (which could lead
    anywhere on the host) and FIFOs or devices (which could block the read) are not copied.
    """
    local.mkdir(parents=True, exist_ok=True)
    for entry in sftp.listdir_attr(remote):
        path = f"{remote}/{entry.filename}"
        mode = entry.st_mode or 0  # readdir's attributes are the entry's own (lstat)
        if stat.S_ISDIR(mode):
            _sftp_tree(sftp, path, local / entry.filename)
        elif stat.S_ISREG(mode):
            sftp.get(path, str(local / entry.filename))


def collect_artifacts(dest: Path) -> tuple[Artifact, ...]:
    """
    Return the fetched files under ``dest`` with size and sha256, sorted by path.
    """
    found: list[Artifact] = []
    for name in FETCHED:
        top = dest / name
        files = sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]
        for path in files:
            if not path.is_file():
                continue
            found.append(
                Artifact(
                    path=path.relative_to(dest).as_posix(),
                    size=path.stat().st_size,
                    sha256=file_sha256(path),
                )
            )
    return tuple(sorted(found, key=lambda a: a.path))


def local_commit(project_root: Path) -> str:
    """
    Return the commit checked out in ``project_root`` for ``code_sync = "git"``.

    Raises:
        BackendError: not a git repository, or tracked files have uncommitted changes (the
            remote would run other code than the researcher sees).
    """

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(project_root), *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
        if done.returncode != 0:
            raise BackendError(
                f'code_sync = "git": git {" ".join(args)} failed in {project_root}: '
                f"{done.stderr.strip()}"
            )
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    if git("status", "--porcelain", "--untracked-files=no"):
        raise BackendError(
            f'code_sync = "git": {project_root} has uncommitted changes; commit and push them '
            '(the remote checks out the pushed commit), or use code_sync = "rsync"'
        )
    return commit


def git_checkout_script(remote_dir: str, commit: str) -> str:
    """
    Return the remote script that fetches and checks out ``commit`` in ``remote_dir``; it
    prints ``ok`` on success, else the reason.
    """
    r = shlex.quote(remote_dir)
    c = shlex.quote(commit)
    return (
        f"cd -- {r} 2>/dev/null || {{ echo 'remote_dir does not exist'; exit 0; }}\n"
        "git rev-parse --git-dir >/dev/null 2>&1 || "
        "{ echo 'remote_dir is not a git clone of the project'; exit 0; }\n"
        'out=$(git fetch --quiet 2>&1) || { echo "git fetch failed: $out"; exit 0; }\n'
        f"out=$(git checkout --quiet --detach {c} 2>&1) || "
        f'{{ echo "commit {commit} is not on the remote (push it first): $out"; exit 0; }}\n'
        "echo ok\n"
    )
