"""
A system of a plan with no run table renamed after its proposed runs ran (review r33): the run
takes the new name, as a tracker row's does, instead of a new run launching beside the old one,
which stayed counted under a name the plan no longer has.
"""

from __future__ import annotations

from pathlib import Path

from bridge import Bridge
from bridge.cli import main
from tests.e2e.tiny import PLAN, write_project


def test_a_renamed_proposed_system_is_relabelled_not_run_again(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    (project / "refine-logs" / "EXPERIMENT_TRACKER.md").unlink()  # runs proposed from the plan
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text().replace(
            'args = { model = "method" }', 'args = { model = "method", seed = "0" }'
        )
    )
    for command in ("run", "approve", "run"):
        main([command, "--project", str(project)])
    bridge = Bridge(project)
    try:
        before = {r.run_id: len(r.attempts) for r in bridge.status().runs.values()}
    finally:
        bridge.close()
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        PLAN.replace("  - Method\n", "  - Our method\n").replace(
            "Method accuracy", "Our method accuracy"
        )
    )
    assert main(["run", "--project", str(project)]) == 0
    bridge = Bridge(project)
    try:
        runs = bridge.status().runs
    finally:
        bridge.close()
    # No new run, none run again; the run of Method is the run of Our method.
    assert {r.run_id: len(r.attempts) for r in runs.values()} == before
    renamed = [r for r in runs.values() if r.spec.system == "Our method"]
    assert len(renamed) == 1 and renamed[0].spec.block == "B1", runs
    assert not [r for r in runs.values() if r.spec.system == "Method"]
    results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
    assert "| Method |" not in results, results
