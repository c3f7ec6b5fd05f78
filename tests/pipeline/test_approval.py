"""
The approval checkpoint (``auto_deploy = false``): what a person is shown before GPU time.
"""

from __future__ import annotations

from pathlib import Path

from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from tests.pipeline.conftest import Run, write_project

RUNS = [
    Run(id="S1", milestone="M0", system="sanity"),
    Run(id="R1", milestone="M1"),
    Run(id="R2", milestone="M1"),
]


def _approval(project: Path) -> str:
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.AWAITING_APPROVAL
        approval = bridge.status().approval
    finally:
        bridge.close()
    assert approval is not None
    return approval.summary


class TestApprovalSummary:
    def test_plan_cost_column_is_used_when_runs_carry_no_estimate(self, project: Path) -> None:
        """Runs without estimates take the milestone's GPU-hours from the plan's Cost column,
        say so, show what each run asks for, and flag a total above the plan's budget."""
        write_project(project, RUNS, bridge="auto_deploy = false\ncode_review = false")
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(plan.read_text().replace("| ok | 1 | none |", "| ok | 3 GPU-h | none |"))
        summary = _approval(project)
        assert "M1 Main: 2 runs (CPU), ~3.00 GPU-h (from the plan's Cost column (3 GPU-h))" in (
            summary
        )
        assert "estimated total: ~6.00 GPU-h of 1 budgeted" in summary
        assert "⚠ the estimate is above the plan's budget of 1 GPU-h by 5.00 GPU-h" in summary

    def test_run_estimates_win_and_unknowns_are_named(self, project: Path) -> None:
        """Runs with estimates give the hours from estimated_minutes × gpus; a milestone with
        neither estimates nor a Cost is 'unknown' and left out of the total, by name."""
        write_project(
            project,
            RUNS,
            bridge="auto_deploy = false\ncode_review = false",
            extra='[systems."main"]\nestimated_minutes = 30\n',
            budget="10",
        )
        summary = _approval(project)
        assert "M1 Main: 2 runs (CPU), ~0.00 GPU-h (from the runs' estimates)" in summary
        assert "M0 (sanity) Sanity: 1 run (CPU), GPU-h unknown" in summary
        assert "estimated total: ~0.00 GPU-h (without M0) of 10 budgeted" in summary
        assert "⚠" not in summary
