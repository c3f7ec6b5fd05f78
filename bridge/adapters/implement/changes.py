"""
Which files an agent changed, with their sha256: a snapshot before the agent runs, one after.

In a git work tree the snapshot is ``HEAD`` plus the hash of every path ``git status`` reports
(untracked files included); after the run, a path changed when it is dirty now but was not,
when its hash moved, or when a commit the agent made touched it (``git diff --name-only``
from the old ``HEAD``). Outside git every file is hashed, skipping ``.git``, ``.bridge``,
``__pycache__`` and virtual environments. A deleted file is reported with the hash ``""``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import attrs

from bridge.adapters.digests import file_sha256
from bridge.errors import ImplementError

__all__ = ["Snapshot", "changed_files", "sha256_file", "take_snapshot"]

_SKIP_DIRS = frozenset({".git", ".bridge", "__pycache__", ".venv", "venv", "node_modules"})
_GIT_TIMEOUT = 120.0


def sha256_file(path: Path) -> str:
    """
    Return the hex sha256 of a file's bytes, or ``""`` when it does not exist.
    """
    return file_sha256(path) if path.is_file() else ""


@attrs.frozen(kw_only=True)
class Snapshot:
    """
    The state of a project before an agent ran.

    Attributes:
        head: the git ``HEAD`` commit, or ``""`` outside git (or before the first commit).
        hashes: path relative to the project → sha256 (dirty paths in git, all files outside).
        in_git: True when the project is inside a git work tree.
    """

    head: str
    hashes: Mapping[str, str]
    in_git: bool


def _git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ImplementError(f"git {args[0]} failed in {project}: {err}") from err


def _in_git(project: Path) -> bool:
    try:
        probe = _git(project, "rev-parse", "--is-inside-work-tree")
    except ImplementError:
        return False
    return probe.returncode == 0 and probe.stdout.strip() == "true"


def _dirty_paths(project: Path) -> set[str]:
    status = _git(project, "status", "--porcelain=v1", "-z", "--untracked-files=all", ".")
    if status.returncode != 0:
        raise ImplementError(f"git status failed in {project}: {status.stderr.strip()}")
    paths: set[str] = set()
    entries = status.stdout.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        paths.add(path)
        if "R" in code or "C" in code:
            paths.add(entries[i])  # the rename's source follows as its own field
            i += 1
    # git prints paths relative to the top of the work tree; make them relative to the project.
    prefix = _git(project, "rev-parse", "--show-prefix").stdout.strip()
    return {p[len(prefix) :] if prefix and p.startswith(prefix) else p for p in paths}


def _all_files(project: Path) -> dict[str, str]:
    hashes: dict[str, str] = {}
    stack = [project]
    while stack:
        directory = stack.pop()
        for entry in directory.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                if entry.name not in _SKIP_DIRS:
                    stack.append(entry)
            elif entry.is_file():
                hashes[entry.relative_to(project).as_posix()] = sha256_file(entry)
    return hashes


def take_snapshot(project: Path) -> Snapshot:
    """
    Record the project's state before an agent runs.

    Raises:
        ImplementError: git is present but ``git status`` fails.
    """
    if _in_git(project):
        head = _git(project, "rev-parse", "HEAD")
        dirty = _dirty_paths(project)
        return Snapshot(
            head=head.stdout.strip() if head.returncode == 0 else "",
            hashes={p: sha256_file(project / p) for p in sorted(dirty)},
            in_git=True,
        )
    return Snapshot(head="", hashes=_all_files(project), in_git=False)


def changed_files(project: Path, before: Snapshot) -> dict[str, str]:
    """
    Return the files changed since ``before``: path relative to the project → sha256 now.

    Raises:
        ImplementError: git is present but ``git status`` fails.
    """
    if not before.in_git:
        after = _all_files(project)
        paths = set(after) | set(before.hashes)
        return {
            p: after.get(p, "")
            for p in sorted(paths)
            if after.get(p, "") != before.hashes.get(p, "")
        }
    candidates = _dirty_paths(project) | set(before.hashes)
    head = _git(project, "rev-parse", "HEAD")
    if before.head and head.returncode == 0 and head.stdout.strip() != before.head:
        diff = _git(project, "diff", "--name-only", "--relative", before.head, "HEAD", "--", ".")
        candidates |= {line for line in diff.stdout.splitlines() if line}
    changed: dict[str, str] = {}
    for path in sorted(candidates):
        now = sha256_file(project / path)
        if path not in before.hashes or before.hashes[path] != now:
            changed[path] = now
    return changed
