"""
040 given blocks and a tracker, run, then edited as a researcher does (trial s43 h43D): a row
that succeeded set `NOT RUN — …` made `bridge plan` warn that "no planned run stands for
no_edges" while listing R2 for it (bridge keeps a succeeded run's result, so R2 still counts),
and a row removed after it ran was still counted in the summary's "Runs: 4 of 4 deployed"
beside a plan of 3 runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import needs_shared
from tests.in_process import bridge_here
from tests.plan.corpus import as_project

pytestmark = needs_shared

_BLOCKS = """
## Experiment Block B1: Edge information

- Compared systems: exact, no_edges
- Metrics: accuracy
- Success criterion: exact accuracy > no_edges accuracy
- Priority: MUST-RUN

## Experiment Block B2: Mass

- Compared systems: exact, unit_mass
- Metrics: accuracy
- Success criterion: exact accuracy > unit_mass accuracy
- Priority: MUST-RUN
"""

_TRACKER = """# Tracker

| Run ID | Block | System | Purpose | Priority | Status | Notes |
|---|---|---|---|---|---|---|
| R1 | B1 | exact | edges | MUST | TODO | |
| R2 | B1 | no_edges | edges | MUST | TODO | |
| R3 | B2 | exact | mass | MUST | TODO | |
| R4 | B2 | unit_mass | mass | MUST | TODO | |
"""

_JOB = (
    "import json, os, sys\nos.makedirs(sys.argv[2], exist_ok=True)\n"
    "value = {'R1': 0.9, 'R2': 0.8, 'R3': 0.9, 'R4': 0.7}[sys.argv[1]]\n"
    "json.dump({'accuracy': value}, open(os.path.join(sys.argv[2], 'metrics.json'), 'w'))\n"
)


def test_a_succeeded_run_set_not_run_and_a_row_removed_are_said_as_they_count(
    tmp_path: Path,
) -> None:
    project = as_project("040", tmp_path / "040")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text(encoding="utf-8") + _BLOCKS, encoding="utf-8")
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(_TRACKER, encoding="utf-8")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n',
        encoding="utf-8",
    )
    assert bridge_here("run", "--plain", "--project", str(project)).returncode == 0

    lines = tracker.read_text(encoding="utf-8").split("\n")
    tracker.write_text(
        "\n".join(
            line.replace("| DONE |", "| NOT RUN — not needed |")
            if line.startswith("| R2 |")
            else line
            for line in lines
        ),
        encoding="utf-8",
    )
    said = bridge_here("plan", "--project", str(project)).stdout
    assert "no planned run stands for no_edges" not in said, said
    assert (
        "runs:      exact: R1; no_edges: R2 (its Status 'NOT RUN — not needed' came after it "
        "succeeded: its result is kept; delete its row to leave it out)"
    ) in said, said

    lines = tracker.read_text(encoding="utf-8").split("\n")
    tracker.write_text(
        "\n".join(line for line in lines if not line.startswith("| R4 |")), encoding="utf-8"
    )
    said = bridge_here("run", "--plain", "--project", str(project)).stdout
    assert "Runs: 3 of 3 deployed on " in said, said
    assert "(1 more ran and is set aside since, not counted: R4); " in said, said
