"""
Where the shared corpus of real plans lives, a helper to lay one out as a project, and one to
run such a copy to its results with a small fake job.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT, SHARED

__all__ = ["PLANS", "REPO_ROOT", "SHARED", "as_project", "corpus", "plan_dirs", "run_to_results"]

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


def run_to_results(
    project: Path, job: str, args: str = '"{run_id}", "{output_dir}"', config: str = ""
) -> str:
    """
    Write ``job`` as ``project``'s ``job.py`` and a bridge.toml running it for every run with
    ``args`` (TOML strings, bridge's placeholders), no code review, four at a time, and
    ``config`` after (its first lines still in the ``[run]`` table); run bridge to the end,
    approving once the runs it proposes from the plan.
    Returns EXPERIMENT_RESULTS.md.
    """
    from bridge import Bridge, Stage

    (project / "job.py").write_text(job, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 4\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", {args}]\n\n{config}',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        stage = bridge.run()
        if stage is Stage.AWAITING_APPROVAL:
            bridge.approve()
            stage = bridge.run()
        assert stage is Stage.COLLECTED, stage
    finally:
        bridge.close()
    return (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
