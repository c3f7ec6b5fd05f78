"""
Inputs bridge refuses with a clear message rather than working around.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError, PlanError
from bridge.plan import load_project

TRACKER = """# Experiment Tracker

| Run ID | Milestone | Purpose | System / Variant | Split | Metrics | Priority | Status | Notes |
|---|---|---|---|---|---|---|---|---|
| {run_id} | M0 | sanity | Method | test | accuracy | MUST | TODO | seed 0 |
"""


class TestRefusals:
    def test_a_folder_where_the_plan_should_be(self, tmp_path: Path) -> None:
        """A folder named EXPERIMENT_PLAN.md is reported, not skipped for the tracker."""
        (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").mkdir(parents=True)
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        with pytest.raises(PlanError, match=r"EXPERIMENT_PLAN\.md exists but is not a file"):
            load_project(tmp_path)

    def test_a_folder_named_bridge_toml(self, tmp_path: Path) -> None:
        """A folder named bridge.toml is a configuration error, not "no configuration"."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(TRACKER.format(run_id="R1"))
        (tmp_path / "bridge.toml").mkdir()
        with pytest.raises(ConfigError, match=r"bridge\.toml exists but is not a file"):
            load_project(tmp_path)

    @pytest.mark.parametrize("run_id", ["R001 (smoke)", "../R1", "R1;rm"])
    def test_run_ids_that_cannot_name_a_directory(self, tmp_path: Path, run_id: str) -> None:
        """A run id with spaces, slashes or shell syntax is refused at its file and line."""
        (tmp_path / "refine-logs").mkdir()
        (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
            TRACKER.format(run_id=run_id)
        )
        with pytest.raises(PlanError, match="cannot name a run directory") as info:
            load_project(tmp_path)
        assert info.value.line == 5
