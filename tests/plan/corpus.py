"""
Where the shared corpus of real plans lives, and a helper to lay one out as a project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO_ROOT, SHARED

__all__ = ["PLANS", "REPO_ROOT", "SHARED", "as_project", "corpus", "plan_dirs"]

PLANS = SHARED / "corpus" / "plans"


def plan_dirs() -> list[Path]:
    """
    Every corpus plan folder, sorted.
    """
    return sorted(p for p in PLANS.iterdir() if p.is_dir()) if PLANS.is_dir() else []


def corpus(name: str) -> Path:
    """
    The corpus folder whose name starts with ``name`` (e.g. ``009``).
    """
    matches = [p for p in plan_dirs() if p.name.startswith(name)]
    assert len(matches) == 1, f"corpus folder {name} not found under {PLANS}"
    return matches[0]


def as_project(name: str, root: Path) -> Path:
    """
    Copy a corpus plan folder into ``root/refine-logs`` (the layout bridge discovers).
    """
    target = root / "refine-logs"
    target.mkdir(parents=True, exist_ok=True)
    for path in corpus(name).iterdir():
        shutil.copy(path, target / path.name)
    return root
