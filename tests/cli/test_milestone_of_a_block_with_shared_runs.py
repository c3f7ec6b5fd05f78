"""
A run-order table whose milestone names a block with no runs of its own, judged on other
blocks' runs of its systems: 040 given blocks B1-B3 (B3 compares B1's systems) and the table
M0 B1, M1 B2, M2 B3 said "M2 (B3 has no runs)" in `bridge plan`, `bridge status` and the
results, beside B3's runs line "from other blocks: exact: R1 (B1), …" (trial s43 h43D).
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

## Experiment Block B2: Mass

- Compared systems: exact, unit_mass
- Metrics: accuracy
- Success criterion: exact accuracy > unit_mass accuracy

## Experiment Block B3: Edge robustness

- Compared systems: exact, no_edges
- Metrics: accuracy
- Success criterion: exact accuracy > 0.5

## Run Order and Milestones

| Milestone | Goal | Runs |
|---|---|---|
| M0 | Sanity | B1 |
| M1 | Main | B2 |
| M2 | Robustness | B3 |
"""

_JOB = (
    "import json, os, sys\nos.makedirs(sys.argv[2], exist_ok=True)\n"
    "json.dump({'accuracy': 0.8}, open(os.path.join(sys.argv[2], 'metrics.json'), 'w'))\n"
)


def _entry(run_id: str, system: str, block: str) -> str:
    return f'[[runs]]\nid = "{run_id}"\nsystem = "{system}"\nblock = "{block}"\n\n'


def test_a_milestone_of_a_block_judged_on_shared_runs_says_so(tmp_path: Path) -> None:
    project = as_project("040", tmp_path / "040")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(plan.read_text(encoding="utf-8") + _BLOCKS, encoding="utf-8")
    (project / "job.py").write_text(_JOB, encoding="utf-8")
    (project / "bridge.toml").write_text(
        "[bridge]\ncode_review = false\n\n"
        f'[run]\ncommand = ["{sys.executable}", "job.py", "{{run_id}}", "{{output_dir}}"]\n\n'
        + _entry("R1", "exact", "B1")
        + _entry("R2", "no_edges", "B1")
        + _entry("R3", "exact", "B2")
        + _entry("R4", "unit_mass", "B2"),
        encoding="utf-8",
    )
    said = "B3 has no runs of its own (its systems' runs are other blocks': R1, R2, R3)"
    planned = bridge_here("plan", "--project", str(project))
    assert planned.returncode == 0, planned.stderr
    assert f"M2 ({said})" in planned.stdout, planned.stdout
    assert "B3 has no runs)" not in planned.stdout
    bridge_here("run", "--plain", "--project", str(project))
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert f"No runs in this milestone: {said}." in results
    status = bridge_here("status", "--project", str(project), columns=200).stdout
    assert said in " ".join(status.split()), status
