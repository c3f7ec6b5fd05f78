"""
The runs bridge proposes from a plan keep their ids once the log has them: 015's tracker has no
run table, so its ten runs are proposed (R001-R010), and seeds given to a block in the middle
(B6) are new runs, not a renumbering of every later one (trial t8).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bridge.cli import main
from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

# Every run succeeds with one number: what ran is read back from the log, not from its output.
_JOB = """\
import json, pathlib, sys
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"peak_T": 80.0}))
"""

# B6 as the corpus plan writes it, and the line the trial user added after its criterion.
_B6_CRITERION = (
    "- **Success criterion (predeclared)**: median gap ≤ 3% at 16×4; warm-start scaling curve "
    "does not blow up\n"
)


def _run(project: Path, stage: Stage = Stage.COLLECTED) -> dict[str, tuple[str, int | None]]:
    """Run ``project`` with ``_JOB`` (approving the proposed runs); each run's block and seed."""
    bridge = Bridge(project)
    try:
        if bridge.run() is Stage.AWAITING_APPROVAL:
            bridge.approve()
        assert bridge.run() is stage
        runs = bridge.status().runs
        assert all(r.state is RunState.SUCCEEDED for r in runs.values()), {
            r.run_id: r.state for r in runs.values()
        }
        return {r.run_id: (r.spec.block, r.spec.seed) for r in runs.values()}
    finally:
        bridge.close()


@needs_shared
def test_015_seeds_given_to_b6_are_new_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """015: after a full run, `- **Seeds**: 0, 1, 2` added to B6 (plan:78) made R007 (which ran
    as B5) and R008 (B7) "B6's seeds 1 and 2", R009 (B8) became B5's run and R010 (B9) B7's,
    so B5 was judged on B8's numbers. Now R001-R010 stay the runs they ran as, R006 is B6's
    seed 0 (it ran unseeded: kept as it ran), and seeds 1 and 2 are new runs that launch;
    `bridge plan` shows the same ids (it listed B6's runs as R006, R007, R008)."""
    project = as_project("015", tmp_path / "p")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\nmax_parallel = 2\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{seed}}", "{{output_dir}}"]\n'
        'args = { seed = "0" }\n',
        encoding="utf-8",
    )
    before = _run(project)
    assert sorted(before) == [f"R{n:03d}" for n in range(1, 11)]
    assert before["R007"] == ("B5", None)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    assert text.count(_B6_CRITERION) == 1
    plan.write_text(
        text.replace(_B6_CRITERION, _B6_CRITERION + "- **Seeds**: 0, 1, 2\n"), encoding="utf-8"
    )
    after = _run(project)
    assert {run_id: after[run_id] for run_id in before} == before
    assert {run_id: after[run_id] for run_id in after if run_id not in before} == {
        "R011": ("B6", 1),
        "R012": ("B6", 2),
    }
    capsys.readouterr()
    assert main(["plan", "--project", str(project)]) == 0
    shown = capsys.readouterr().out
    assert "B6: ILP optimality gap (rigor)" in shown
    b6 = shown[shown.index("B6: ILP optimality gap (rigor)") :]
    assert "runs:      R006, R011, R012\n" in b6[: b6.index("\nB7")]
