"""
Runs bridge proposed from the plan are held to what the tracker's runs are held to: a must-run
one that records no number is evidence missing, and one added after a person approved the
proposed runs waits for their approval too (017's tracker has no run table: its nine runs are
proposed; trial t10).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# Every run writes one number, except those named in no_file.txt: they exit 0 and write nothing.
_JOB = """\
import json, pathlib, sys
run, out = sys.argv[1], pathlib.Path(sys.argv[2])
if run in pathlib.Path("no_file.txt").read_text().split():
    sys.exit(0)
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"latency": 20.0}))
"""


def _project(root: Path, no_file: str = "") -> Path:
    """017 laid out as a project, its runs driven by ``_JOB``."""
    project = as_project("017", root)
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "no_file.txt").write_text(no_file, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 2\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n',
        encoding="utf-8",
    )
    return project


@needs_shared
def test_017_a_proposed_run_that_wrote_no_file_is_evidence_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """033's R017 (proposed from E5, whose block names no metric) exited 0 and wrote no file:
    `Must-run completed: 25/25`, exit 0, only a note under the problems; 002's tracker run R011
    in the same case read "must-run runs recorded no metric value: R011", exit 1. A proposed
    run now reads as the tracker's does: 017's R008 (B4, naming no metric) here."""
    project = _project(tmp_path / "p", no_file="R008")
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.AWAITING_APPROVAL
        bridge.approve()
        assert bridge.run() is Stage.COLLECTED
        assert bridge.status().runs["R008"].state is RunState.SUCCEEDED
        summary = bridge.summary()
    finally:
        bridge.close()
    assert "must-run runs recorded no metric value: R008" in summary, summary
    # Not completed either (h11E: "Must-run completed: 9/9" beside that reason).
    assert "Must-run completed: 8/9 (1 succeeded with no metric value: R008)" in summary, summary
    data = json.loads((project / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    assert data["summary"]["must_run"]["no_metric_value"] == ["R008"]
    assert data["summary"]["must_run"]["completed"] == 8
    assert data["summary"]["ready_for_review_loop"] is False
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "run `bridge retry --force R008` and `bridge run` once it is changed" in results, results
    assert "- **Must-run completed:** 8/9 (1 succeeded with no metric value: R008)" in results
    capsys.readouterr()
    assert main(["retry", "--force", "R001", "--project", str(project)]) == 0
    assert main(["run", "--project", str(project)]) == 1
    stage = "stage COLLECTED: 8/9 must-run runs completed (1 succeeded with no metric value: R008)"
    assert stage in capsys.readouterr().out


@needs_shared
def test_017_a_run_a_plan_edit_proposes_after_approval_waits_for_approval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """017 (trial t10): the first `bridge run` stopped for `bridge approve`; after a policy was
    added to B3 (EXPERIMENT_PLAN.md:40) the next one printed `stage DEPLOYED: 1 run(s) added to
    the plan: R010` and launched it unasked. It now stops at AWAITING_APPROVAL naming R010, and
    `bridge approve` launches it; the runs approved before are not asked about again."""
    project = _project(tmp_path / "p")
    # 3: waiting for a person.
    assert main(["run", "--project", str(project)]) == 3
    assert "9 runs proposed from the plan need approval" in capsys.readouterr().out
    assert main(["approve", "--project", str(project)]) == 0
    assert main(["run", "--project", str(project)]) == 0
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    assert text.count("  - static attention-to-PIM\n") == 1
    plan.write_text(
        text.replace(
            "  - static attention-to-PIM\n", "  - static attention-to-PIM\n  - static FFN-to-PIM\n"
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 3
    out = capsys.readouterr().out
    assert "1 run proposed from the plan since the last approval needs approval: R010" in out, out
    bridge = Bridge(project)
    try:
        state = bridge.status()
        assert state.stage is Stage.AWAITING_APPROVAL
        assert state.approval is not None
        assert state.approval.summary.startswith(
            "1 run was proposed from the plan since the last approval (R010)"
        ), state.approval.summary
        r010 = state.runs["R010"]
        assert (r010.spec.block_system, r010.state, r010.attempts) == (
            "static FFN-to-PIM",
            RunState.PENDING,
            (),
        )
        bridge.approve()
        assert bridge.run() is Stage.COLLECTED
        runs = bridge.status().runs
    finally:
        bridge.close()
    assert runs["R010"].state is RunState.SUCCEEDED
    # Each run ran once: approving R010 ran nothing approved before again.
    assert {r.run_id: len(r.attempts) for r in runs.values()} == {
        f"R{n:03d}": 1 for n in range(1, 11)
    }
