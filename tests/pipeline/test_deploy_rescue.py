"""
Rescue after deployment failures (#20 gap 5): two runs of a deployed milestone failing the same
way get the sanity rescue's diagnosis; a fixing agent applies it and the runs run again, the
local checklist alone blocks with it. Real processes, a real executable fake coding agent.
"""

from __future__ import annotations

from pathlib import Path

from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.pipeline.conftest import Run, executions, write_project
from tests.pipeline.test_lifecycle import _agent, _break

RUNS = [
    Run(id="S1", milestone="M0", system="sanity"),
    Run(id="R1", milestone="M1", mode="broken"),
    Run(id="R2", milestone="M1", system="other", mode="broken"),
    Run(id="R3", milestone="M1"),
]


class TestDeploymentRescue:
    def test_same_failure_on_two_deployed_runs_is_diagnosed_fixed_and_rerun(
        self, tmp_path: Path, project: Path
    ) -> None:
        """R1 and R2 (two systems) fail alike after sanity passed → a diagnosis naming M1 →
        the agent applies it → both run again and succeed; R3 ran once."""
        write_project(project, RUNS, extra=_agent(tmp_path, "the run raised KeyError"))
        _break(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        [rescue] = state.rescues
        assert rescue.milestone == "M1" and sorted(rescue.runs) == ["R1", "R2"]
        assert "KeyError" in rescue.findings[0].message
        assert "BROKEN = False" in (project / "scripts" / "job.py").read_text()
        ran = executions(project)
        assert [len(ran[r]) for r in ("S1", "R1", "R2", "R3")] == [1, 2, 2, 1]
        assert {r.state for r in state.runs.values()} == {RunState.SUCCEEDED}
        visited = [evt.stage for _, evt in state.stage_history]
        assert visited.count("DEPLOYED") == 2 and "RESCUE" not in visited

    def test_without_a_fixer_the_milestone_blocks_with_the_diagnosis(self, project: Path) -> None:
        """No implementer able to fix: BLOCKED naming the milestone, the runs and the error."""
        write_project(project, RUNS)
        _break(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.blocked is not None
        reason = state.blocked.reason
        assert "milestone M1" in reason and "R1, R2" in reason and "KeyError" in reason, reason
        [rescue] = state.rescues
        assert rescue.milestone == "M1"
        review = (project / "refine-logs" / "EXPERIMENT_CODE_REVIEW.md").read_text()
        assert "M1: R1, R2" in review, review
        assert [len(executions(project)[r]) for r in ("R1", "R2")] == [1, 1]

    def test_one_failure_is_no_rescue(self, project: Path) -> None:
        """A single failed run is reported as before: collected, no diagnosis asked."""
        write_project(project, [*RUNS[:2], Run(id="R3", milestone="M1")])
        _break(project)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.rescues == () and state.runs["R1"].state is RunState.FAILED
