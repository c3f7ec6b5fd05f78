"""
The approval checkpoint (``auto_deploy = false``): what a person is shown before GPU time.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bridge.cli.main import main
from bridge.machine.stages import Stage
from bridge.pipeline import Bridge
from tests.conftest import needs_shared
from tests.pipeline.conftest import Run, write_project
from tests.plan.corpus import as_project

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
    def test_plan_cost_column_is_used_when_runs_carry_no_estimate(
        self, project: Path, fake_gpus: Callable[[int], None]
    ) -> None:
        """GPU runs without estimates take the milestone's GPU-hours from the plan's Cost
        column, say so, show what each run asks for, and a total above the budget is flagged;
        a milestone of CPU runs costs no GPU-hours whatever its Cost column says."""
        fake_gpus(2)
        write_project(
            project,
            RUNS,
            bridge="auto_deploy = false\ncode_review = false",
            extra='[systems."main"]\ngpus = 1\n',
        )
        plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
        plan.write_text(plan.read_text().replace("| ok | 1 | none |", "| ok | 3 GPU-h | none |"))
        summary = _approval(project)
        assert (
            "M1 Main: 2 runs (1 GPU each), ~3.00 GPU-h (from the plan's Cost column (3 GPU-h))"
            in summary
        )
        assert "M0 (sanity) Sanity: 1 run (CPU), ~0.00 GPU-h (CPU runs only)" in summary
        assert "estimated total: ~3.00 GPU-h of 1 budgeted" in summary
        assert "⚠ the estimate is above the plan's budget of 1 GPU-h by 2.00 GPU-h" in summary

    def test_run_estimates_win_and_unknowns_are_named(
        self, project: Path, fake_gpus: Callable[[int], None]
    ) -> None:
        """Runs with estimates give the hours from estimated_minutes × gpus; GPU runs with
        neither estimates nor GPU-hours in the Cost column are 'unknown', left out of the
        total by name."""
        fake_gpus(2)
        write_project(
            project,
            RUNS,
            bridge="auto_deploy = false\ncode_review = false",
            extra='[systems."main"]\ngpus = 1\nestimated_minutes = 30\n'
            '[systems."sanity"]\ngpus = 1\n',
            budget="10",
        )
        summary = _approval(project)
        assert "M1 Main: 2 runs (1 GPU each), ~1.00 GPU-h (from the runs' estimates)" in summary
        assert (
            "M0 (sanity) Sanity: 1 run (1 GPU each), GPU-h unknown (no run estimate, and the "
            "plan's Cost (1) is not GPU-hours)" in summary
        )
        assert "estimated total: ~1.00 GPU-h (without M0) of 10 budgeted" in summary
        assert "⚠" not in summary

    def test_runs_of_no_milestone_are_on_the_summary(self, project: Path) -> None:
        """034's R013 (of a block no milestone runs) was left out: 13 runs proposed, 12 on the
        lines a person approves. Runs of no milestone have a line of their own."""
        write_project(
            project,
            [*RUNS, Run(id="Z1", milestone="")],
            bridge="auto_deploy = false\ncode_review = false",
        )
        summary = _approval(project)
        assert "(no milestone): 1 run (CPU), ~0.00 GPU-h (CPU runs only)" in summary


@needs_shared
def test_009_a_zero_budget_and_milestones_with_none_to_launch_are_said(
    tmp_path: Path, fake_gpus: Callable[[int], None], capsys: pytest.CaptureFixture[str]
) -> None:
    """009 states «Total estimated GPU-hours: 0»: its approval said "estimated total: ~1.00
    GPU-h", neither the budget nor the ⚠ above it, where `bridge plan` says "of 0 budgeted".
    Its M0 (R001, done before bridge) and M3 (R004, a row a person runs) read "1 run (CPU),
    ~0.00 GPU-h (CPU runs only)", as if bridge would launch them (trial h40B F11)."""
    fake_gpus(1)
    project = as_project("009", tmp_path / "p009")
    (project / "job.py").write_text("", encoding="utf-8")
    command = json.dumps([sys.executable, "job.py", "{output_dir}"])
    (project / "bridge.toml").write_text(
        "[bridge]\nauto_deploy = false\ncode_review = false\n"
        f"[run]\ncommand = {command}\ngpus = 0\n"
        '[systems."signal diagnostics"]\ngpus = 1\nestimated_minutes = 30\n'
        '[systems."signal heuristic vs oracle"]\ngpus = 1\nestimated_minutes = 30\n',
        encoding="utf-8",
    )
    summary = _approval(project)
    none = "none to launch: the tracker marks its 1 run done or ruled out"
    assert f"M0 (sanity) Rebuild local data artifacts: 1 run (CPU), ~0.00 GPU-h ({none})" in summary
    assert f"M3 Template-macro prototype: 1 run (CPU), ~0.00 GPU-h ({none})" in summary
    assert "M2 Signal report: 1 run (1 GPU each), ~0.50 GPU-h (from the runs' estimates)" in summary
    assert "estimated total: ~1.00 GPU-h of 0 budgeted" in summary
    assert "⚠ the estimate is above the plan's budget of 0 GPU-h by 1.00 GPU-h" in summary
    # R004 set to NOT RUN before `bridge approve`: the approval recorded it, and says it as
    # `bridge run` would have (trial h40B F3).
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    tracker.write_text(text.replace("| NICE | READY |", "| NICE | NOT RUN — no API |"), "utf-8")
    assert main(["approve", "--project", str(project)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "R004 replanned: the tracker's row now says status 'NOT RUN — no API'",
        "R004 out of scope, not run: NOT RUN — no API — template_macro placement is implemented; "
        "API run is user-only.",
    ]
