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


def test_ids_that_differ_only_in_unsafe_characters_get_their_own_attempts(project: Path) -> None:
    """
    `M1 a` and `M1_a` make the same safe text: each run's attempt id comes from its own
    directory, so the two attempts never share an id (a backend finds a job by attempt id after
    a restart, and must never find the other run's).
    """
    write_project(
        project,
        [
            Run(id="M0 smoke", milestone="M0"),
            Run(id="M1 a", milestone="M1"),
            Run(id="M1_a", milestone="M1"),
        ],
    )
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
        state = bridge.status()
    finally:
        bridge.close()
    ids = {}
    for run_id in ("M1 a", "M1_a"):
        attempt = state.runs[run_id].current
        assert attempt is not None and state.runs[run_id].state is RunState.SUCCEEDED
        ids[run_id] = attempt.attempt_id
    assert ids["M1_a"] == "M1_a-a1"
    assert ids["M1 a"].startswith("M1_a-") and ids["M1 a"] != ids["M1_a"]
