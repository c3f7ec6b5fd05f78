"""
Milestone bookkeeping, gates between milestones, and reopening a blocked pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bridge import Bridge, Stage
from bridge.machine.ports import GateDecision
from tests.pipeline.conftest import Run, executions, write_project

RUNS = [
    Run(id="S1", milestone="M0", system="sanity"),
    Run(id="R1", milestone="M1"),
    Run(id="R2", milestone="M2"),
]


class RecordingGate:
    """A real Gate: holds after the milestones it is told to, and remembers what it saw."""

    def __init__(self, hold: set[str]) -> None:
        self.hold = hold
        self.seen: list[tuple[str, dict[str, str]]] = []

    def decide(self, milestone: str, summary: Mapping[str, str]) -> GateDecision:
        self.seen.append((milestone, dict(summary)))
        if milestone in self.hold:
            return GateDecision(proceed=False, reason=f"{milestone} needs a look")
        return GateDecision(proceed=True)


class TestMilestones:
    def test_each_finished_milestone_is_recorded_once(self, project: Path) -> None:
        """Every milestone gets one MilestoneCompleted, in plan order."""
        write_project(project, RUNS)
        bridge = Bridge(project)
        try:
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.milestones_completed == ("M0", "M1", "M2")


class TestGate:
    def test_gate_that_lets_everything_through_sees_every_milestone(self, project: Path) -> None:
        """The gate is asked once per milestone, with the milestone's run states."""
        write_project(project, RUNS)
        gate = RecordingGate(hold=set())
        bridge = Bridge(project, gate=gate)
        try:
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert [m for m, _ in gate.seen] == ["M0", "M1", "M2"]
        assert gate.seen[1][1] == {"runs": "1", "succeeded": "1", "R1": "succeeded"}

    def test_gate_veto_holds_the_next_milestone_and_blocks(self, project: Path) -> None:
        """A held gate after M1 blocks the pipeline; M2 never starts."""
        write_project(project, RUNS)
        bridge = Bridge(project, gate=RecordingGate(hold={"M1"}))
        try:
            assert bridge.run() is Stage.BLOCKED
            state = bridge.status()
        finally:
            bridge.close()
        assert state.blocked is not None and "M1 needs a look" in state.blocked.reason
        assert sorted(executions(project)) == ["R1", "S1"]

    def test_approve_after_a_veto_asks_the_gate_again(self, project: Path) -> None:
        """After approve the gate is asked again; once it lets go M2 runs, and R1 never reruns."""
        write_project(project, RUNS)
        gate = RecordingGate(hold={"M1"})
        bridge = Bridge(project, gate=gate)
        try:
            assert bridge.run() is Stage.BLOCKED
            gate.hold.clear()
            assert bridge.approve().after is Stage.PLANNED
            assert bridge.run() is Stage.COLLECTED
        finally:
            bridge.close()
        assert {run: len(times) for run, times in executions(project).items()} == {
            "S1": 1,
            "R1": 1,
            "R2": 1,
        }
