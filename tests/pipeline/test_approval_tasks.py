"""
The approval summary of the real 001 plan (trial t12): its tracker's implementation tasks I1-I7
belong to no milestone and are no runs, and the summary ended with an empty line for them,
"(no milestone): 0 runs (CPU), ~0.00 GPU-h (no runs)".
"""

from __future__ import annotations

import sys
from pathlib import Path

from bridge import Bridge, Stage
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@needs_shared
def test_tasks_of_no_milestone_make_no_approval_line(tmp_path: Path) -> None:
    project = as_project("001", tmp_path / "p")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nauto_deploy = false\n\n[run]\n"
        f'command = ["{sys.executable}", "-c", "pass"]\n',
        encoding="utf-8",
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.AWAITING_APPROVAL
        state = bridge.status()
    finally:
        bridge.close()
    assert state.approval is not None
    summary = state.approval.summary
    assert any(r.is_task for r in state.runs.values())  # I1-I7 are read, as tasks
    assert "M0" in summary  # the plan's milestones are listed
    assert "0 runs" not in summary, summary
    assert "(no milestone)" not in summary, summary
