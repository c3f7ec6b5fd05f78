"""
A run whose id cannot name a directory runs end to end under its derived directory name, with
its id kept in the log, the tracker and the results.
"""

from __future__ import annotations

from pathlib import Path

from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.pipeline.conftest import Run, write_project


def test_unsafe_id_runs_under_its_directory(project: Path) -> None:
    """
    `M0 smoke (a)` (spaces and parentheses; the test job names a marker file by the id, so no
    slash) runs on the local backend in .bridge/runs/M0_smoke_a-<sha>/.
    """
    write_project(project, [Run(id="M0 smoke (a)", milestone="M0"), Run(id="R002", milestone="M1")])
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    run = state.runs["M0 smoke (a)"]
    assert run.state is RunState.SUCCEEDED
    assert run.spec.directory.startswith("M0_smoke_a-")
    attempt = run.current
    assert attempt is not None
    assert (project / ".bridge" / "runs" / run.spec.directory / attempt.attempt_id).is_dir()
    assert run.metrics is not None and run.metrics.values
    assert "| M0 smoke (a) |" in (project / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text()
