"""
Collecting an attempt's ``output/`` on this machine as artifacts: resolved paths only, regular
files only. The local backend uses it, and the Slurm backend where the cluster's file system is
shared with this machine.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Sequence
from pathlib import Path

from bridge.adapters.digests import file_sha256
from bridge.errors import BackendError
from bridge.logs import get_logger
from bridge.machine.ports import Artifact

__all__ = ["collect_outputs"]

_log = get_logger(__name__)


def collect_outputs(
    attempt_dir: Path,
    dest: Path,
    attempt_id: str,
    *,
    logs: Sequence[str] = ("stdout.log", "stderr.log"),
) -> Sequence[Artifact]:
    """
    Return the attempt's outputs as artifacts, copying them (and the files named in ``logs``,
    those that exist) when ``dest`` is not the attempt directory itself.

    Outputs are untrusted: paths are resolved, never taken lexically. ``output/`` itself
    replaced by a link that leads out of the attempt directory is refused; a file inside it
    linked to somewhere outside is left out (logged), so no file elsewhere is hashed, copied or
    recorded. Entries
    that are not regular files (a FIFO, a socket, a device) are not opened, so none can
    block the collection; they are left out of the list and logged.

    Returns:
        One :class:`Artifact` per regular file under ``output/``, its path relative to
        ``dest`` (``output/...``), sorted by path.

    Raises:
        BackendError: ``output/`` is a symbolic link leading outside, or copying failed.
    """
    source = attempt_dir / "output"
    artifacts: list[Artifact] = []
    try:
        # Each path resolved once (a resolve is a syscall per component, once per run): the
        # attempt directory, and the destination only when it is not that same path.
        real_attempt = attempt_dir.resolve()
        dest = Path(dest)
        if dest != attempt_dir:
            dest = dest.resolve()
        copy = dest != attempt_dir and dest != real_attempt
        real_source = source.resolve()
        if source.is_symlink() or not real_source.is_relative_to(real_attempt):
            raise BackendError(
                f"output {source} is a link leading outside the attempt directory "
                f"(to {real_source}); its files are not hashed or recorded"
            )
        files = sorted(p for p in source.rglob("*") if not p.is_dir()) if source.exists() else []
        for path in files:
            real = path.resolve()
            if not real.is_relative_to(real_source):
                # Not hashed, copied or recorded, and the run is not failed for it: a link to a
                # checkpoint or a dataset elsewhere is common in a run's outputs. An output the
                # run must write (`outputs`) that is such a link reads as missing.
                _log.warning("output_link_outside", path=str(path), attempt_id=attempt_id)
                continue
            if not stat.S_ISREG(real.lstat().st_mode):
                _log.warning("output_not_a_file", path=str(path), attempt_id=attempt_id)
                continue
            relative = Path("output") / path.relative_to(source)
            if copy:
                (dest / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(real, dest / relative)
            artifacts.append(
                Artifact(
                    path=relative.as_posix(), size=real.stat().st_size, sha256=file_sha256(real)
                )
            )
        if copy:
            dest.mkdir(parents=True, exist_ok=True)
            for log_name in logs:
                if (attempt_dir / log_name).exists():
                    shutil.copyfile(attempt_dir / log_name, dest / log_name)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop (Python < 3.13)
        raise BackendError(f"cannot collect outputs of {attempt_id}: {exc}") from exc
    return artifacts
