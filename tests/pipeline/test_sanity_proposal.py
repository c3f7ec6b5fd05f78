"""
A plan whose sanity milestone names no run: bridge proposes one and asks first; with
``sanity_first = false`` the results say sanity was skipped, never that it passed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bridge.machine.stages import RunState, Stage
from bridge.pipeline import Bridge
from bridge.plan import load_project

PLAN = """\
# Experiment Plan — Proposed sanity

**Problem**: Does a proposed sanity run go first?
**Method Thesis**: Small.

## Experiment Blocks

### Block B1: Main comparison
- **Claim tested**: ours beats base.
- **Compared systems**: ours vs base
- **Metrics**: accuracy.
- **Setup details**: seeds 0, 1.
- **Success criterion**: ours accuracy > base accuracy.
- **Priority**: MUST-RUN.

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost | Risk |
|-----------|------|------|---------------|------|------|
| M0 | Sanity | smoke test of the pipeline | passes | 0.1 GPU-h | low |
| M1 | Main | B1 | ours wins | 1 GPU-h | low |
"""

SCRIPT = (
    "import json, pathlib, sys; out = pathlib.Path(sys.argv[1]); "
    "acc = 0.9 if sys.argv[2] == 'ours' else 0.7; "
    "(out / 'metrics.json').write_text(json.dumps({'accuracy': acc})); "
    "open('executed.txt', 'a').write(sys.argv[3] + '\\n')"
)


def _project(root: Path, bridge: str = "") -> Path:
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(PLAN)
    argv = [sys.executable, "-c", SCRIPT, "{output_dir}", "{system}", "{run_id}"]
    quoted = ", ".join('"' + a.replace("\\", "\\\\").replace('"', '\\"') + '"' for a in argv)
    (root / "bridge.toml").write_text(
        f"[bridge]\ncode_review = false\n{bridge}\n[run]\ncommand = [{quoted}]\n"
        'outputs = ["metrics.json"]\n'
    )
    return root


class TestProposedSanityRun:
    def test_proposed_sanity_run_waits_for_approval_then_runs_first(self, tmp_path: Path) -> None:
        """M0 names no run: S001 (the first run of B1) is proposed with a warning, nothing runs
        before `approve`, then S001 runs before the main block's runs."""
        root = _project(tmp_path / "p")
        loaded = load_project(root)
        sanity = [r for r in loaded.runs if r.milestone == "M0"]
        assert [(r.id, r.system, r.seed) for r in sanity] == [("S001", "ours", 0)]
        assert any("bridge proposes S001" in w.message for w in loaded.warnings)
        bridge = Bridge(root)
        try:
            assert bridge.run() is Stage.AWAITING_APPROVAL
            approval = bridge.status().approval
            assert approval is not None and "bridge proposes S001" in approval.summary
            assert not (root / "executed.txt").exists()
            bridge.approve()
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        executed = (root / "executed.txt").read_text().split()
        assert executed[0] == "S001" and sorted(executed[1:]) == ["R001", "R002", "R003", "R004"]
        assert state.runs["S001"].state is RunState.SUCCEEDED
        assert state.sanity_checks[-1].passed and not state.sanity_checks[-1].skipped

    def test_sanity_first_off_is_skipped_not_passed(self, tmp_path: Path) -> None:
        """sanity_first = false: the log and the results say sanity was skipped by
        configuration; nothing claims it passed. The runs, proposed from the plan, still wait
        for a person first."""
        root = _project(tmp_path / "p", bridge="sanity_first = false\n")
        bridge = Bridge(root)
        try:
            assert bridge.run() is Stage.AWAITING_APPROVAL
            assert not (root / "executed.txt").exists()
            bridge.approve()
            assert bridge.run() is Stage.COLLECTED
            state = bridge.status()
        finally:
            bridge.close()
        check = state.sanity_checks[-1]
        assert check.skipped and "skipped by configuration" in check.detail
        results = (root / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "Sanity: skipped by configuration (sanity_first = false)" in results
        assert "Sanity: passed" not in results
