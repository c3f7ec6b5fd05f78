"""
Where a project's root is: the folder holding its plan, ``bridge.toml`` or ``.bridge/`` log.

Like git, a command run in a subfolder finds the project by walking up. A plan file stands for
its project (``refine-logs/EXPERIMENT_PLAN.md`` → the folder above ``refine-logs``). This module
imports nothing heavy: the command line asks it before deciding what else to load.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["MARKERS", "find_root", "project_root"]

# One of these makes a folder a project root. The input files are the ones
# ``bridge.plan.project.discover`` looks for (a test checks that the two lists agree).
MARKERS = (
    ".bridge/events.db",
    "bridge.toml",
    "refine-logs/EXPERIMENT_PLAN.md",
    "refine-logs/EXPERIMENT_TRACKER.md",
    "refine-logs/FINAL_PROPOSAL.md",
    "idea-stage/IDEA_CANDIDATES.md",
    "IDEA_CANDIDATES.md",
    "idea-stage/IDEA_REPORT.md",
    "IDEA_REPORT.md",
)


def _is_root(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in MARKERS)


def find_root(start: str | Path) -> Path | None:
    """
    The nearest folder at or above ``start`` that is a project root, or None when there is none.

    ``start`` may be a plan file: its project is the folder above ``refine-logs`` (or the file's
    own folder for a plan kept elsewhere).
    """
    path = Path(start).resolve()
    if path.is_file():
        return path.parent.parent if path.parent.name == "refine-logs" else path.parent
    for folder in (path, *path.parents):
        if _is_root(folder):
            return folder
    return None


def project_root(start: str | Path) -> Path:
    """
    :func:`find_root`, or ``start`` itself when nothing at or above it is a project (loading
    it then says which inputs were looked for).
    """
    return find_root(start) or Path(start).resolve()
