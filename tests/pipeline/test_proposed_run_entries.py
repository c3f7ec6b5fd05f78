"""
A `[[runs]]` entry for a run bridge proposed from the plan, on 034's plan (trial t7): it fixes
the run's command without moving the run out of its block and milestone, and the runs bridge
cancelled because the run failed come back with it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bridge import Bridge, Stage
from bridge.machine.stages import RunState
from tests.conftest import needs_shared
from tests.pipeline.conftest import JOB, executions
from tests.plan.corpus import as_project

_STOPPED = [f"R{n:03d}" for n in range(6, 13)]


def _config(mode: str) -> str:
    command = ", ".join(
        f'"{t}"'
        for t in (sys.executable, "scripts/job.py", "--run", "{run_id}", "--mode", "{mode}")
    )
    return (
        "[bridge]\nmax_parallel = 2\ncode_review = false\n\n"
        f'[run]\ncommand = [{command}, "--out", "{{output_dir}}"]\n'
        'outputs = ["metrics.json"]\nargs = { mode = "ok" }\n\n'
        f'[[runs]]\nid = "R005"\nargs = {{ mode = "{mode}" }}\n'
    )


def _run(project: Path) -> Bridge:
    bridge = Bridge(project)
    if bridge.run() is Stage.AWAITING_APPROVAL:  # runs proposed from the plan: confirmed once
        bridge.approve()
        bridge.run()
    return bridge


@needs_shared
def test_a_fixed_failed_run_brings_back_the_runs_its_milestone_stopped(tmp_path: Path) -> None:
    """034: R005 (milestone "Ablations complete", block A3) crashed and bridge cancelled R006-
    R012 ("milestone Ablations complete must-run R005 ended failed"). A `[[runs]]` entry fixing
    R005 ran it again but left the seven cancelled until `bridge retry --failed`: the
    milestone's name has a space, and the cause was not read from their reason. They come back
    on `bridge run`, as with a run they wait for (027's `depends_on`)."""
    project = as_project("034", tmp_path / "p")
    (project / "scripts").mkdir()
    (project / "scripts" / "job.py").write_text(JOB)
    config = project / "bridge.toml"
    config.write_text(_config("fail"))
    bridge = _run(project)
    try:
        state = bridge.status()
    finally:
        bridge.close()
    assert state.runs["R005"].state is RunState.FAILED
    assert (state.runs["R005"].spec.milestone, state.runs["R005"].spec.block) == (
        "Ablations complete",
        "A3",
    )
    for run_id in _STOPPED:
        assert state.runs[run_id].state is RunState.CANCELLED, run_id
        assert "milestone Ablations complete must-run R005 ended failed" in (
            state.runs[run_id].reason
        )

    config.write_text(_config("ok"))
    bridge = _run(project)
    try:
        state = bridge.status()
    finally:
        bridge.close()
    assert {r: state.runs[r].state for r in ["R005", *_STOPPED]} == dict.fromkeys(
        ["R005", *_STOPPED], RunState.SUCCEEDED
    )
    ran = executions(project)
    assert [len(ran[r]) for r in _STOPPED] == [1] * len(_STOPPED)
    assert len(ran["R005"]) == 2
