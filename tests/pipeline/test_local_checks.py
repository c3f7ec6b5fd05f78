"""
The local backend's checks of the runs against this machine (``bridge.pipeline.local_checks``),
on a real plan: what they name and count.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.pipeline import local_checks
from bridge.plan import load_project
from bridge.projections.error_words import error_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@needs_shared
def test_gpu_refusal_counts_runs_not_implementation_tasks(tmp_path: Path) -> None:
    """001 with `gpus = 1` on a machine without GPUs: the refusal said "… (21 runs)", counting
    the tracker's 7 implementation tasks (I1-I7) among its 14 runs; it names runs only."""
    project = as_project("001", tmp_path)
    (project / "bridge.toml").write_text('[run]\ncommand = "python3 -V"\ngpus = 1\n')
    loaded = load_project(project)
    assert sum(r.task for r in loaded.runs) == 7  # the tasks are there, and are no runs
    with pytest.raises(ConfigError) as caught:
        local_checks.check_gpus(loaded, lambda: 0)
    said = str(caught.value)
    assert "R001, R002, R003, R004, R005, R006, R007, R008, … (14 runs) ask for up to 1 GPU " in (
        said
    ), said
    assert "I1" not in said
    # Framed in Chinese for `-o language=zh`, the count of runs too (session 37).
    assert error_in_language(said, "zh").startswith(
        "bridge.toml:3：R001, R002, R003, R004, R005, R006, R007, R008, …（共 14 个运行）申请最多 "
        "1 个 GPU（gpus = 1），但本地后端没有 GPU 可分配：这台机器没有 GPU。"
    ), said


@needs_shared
class TestGpuRefusalLine:
    """Trial t16 on the real project 018: a `[systems."…"]` table (or a `[[runs]]` entry) asking
    for a GPU on a machine without one was refused at `bridge.toml:4`, `[run] gpus = 0`, not
    at the line that asks."""

    BASE = '[run]\ncommand = "python3 -V"\ngpus = 0\n'

    def _refusal(self, tmp_path: Path, extra: str, have: int = 0) -> ConfigError:
        import shutil

        from tests.conftest import SHARED

        project = tmp_path / "p018"
        shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
        (project / "bridge.toml").write_text(self.BASE + extra, encoding="utf-8")
        loaded = load_project(project)
        with pytest.raises(ConfigError) as caught:
            local_checks.check_gpus(loaded, lambda: have)
        return caught.value

    def test_a_systems_table_is_named_at_its_own_line(self, tmp_path: Path) -> None:
        error = self._refusal(tmp_path, '[systems."joint"]\ngpus = 1\n')
        assert error.setting == "systems.joint.gpus"
        assert error.line == 5, error
        assert "JPH-B2-JT-S0 asks for up to 1 GPU (gpus = 1)" in str(error), error
        assert "has none to give: this machine has no GPU" in str(error)

    def test_a_runs_entry_is_named_at_its_own_line(self, tmp_path: Path) -> None:
        extra = '[systems."joint"]\ngpus = 1\n[[runs]]\nid = "JPH-B2-FX-S0"\ngpus = 2\n'
        error = self._refusal(tmp_path, extra, have=1)
        assert error.setting == "runs[0].gpus"
        assert error.line == 8, error
        # One GPU here: "too few", not "none", and the run asking most is the one named.
        assert "JPH-B2-FX-S0 asks for up to 2 GPUs (gpus = 2) but the local backend has too " in (
            str(error)
        ), error
        assert "this machine has 1 GPU. " in str(error)
        assert error_in_language(str(error), "zh") == (
            "bridge.toml:8：JPH-B2-FX-S0 申请最多 2 个 GPU（gpus = 2），但本地后端的 GPU 不够分配："
            "这台机器有 1 个 GPU。CPU 运行请设 gpus = 0，或选择有 GPU 的后端（backend = ...）"
        )

    def test_run_gpus_stays_the_line_when_nothing_else_sets_it(self, tmp_path: Path) -> None:
        project_toml = '[run]\ncommand = "python3 -V"\ngpus = 1\n'
        self.BASE = project_toml
        error = self._refusal(tmp_path, "")
        assert error.setting == "run.gpus"
        assert error.line == 3


@needs_shared
class TestRowsThatNeverLaunch:
    """Trial t16 on the real project 018: JPH-B1-HO-S0..2 are tracker rows `passed` before
    bridge, which bridge never launches; a `[systems."Harness-only contextual bandit"]` table
    asking for a GPU (or naming a program this machine lacks) refused the whole project, exit 2,
    over them. The checks apply to the runs bridge may launch only."""

    BASE = (
        '[run]\ncommand = "python3 -V {seed}"\ngpus = 0\n'
        '[systems."Harness-only contextual bandit"]\n'
    )

    def _project(self, tmp_path: Path, extra: str, todo: str = "") -> Path:
        import shutil

        from tests.conftest import SHARED

        project = tmp_path / "p018"
        shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", project)
        (project / "bridge.toml").write_text(self.BASE + extra, encoding="utf-8")
        if todo:
            tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
            lines = tracker.read_text(encoding="utf-8").split("\n")
            at = next(i for i, line in enumerate(lines) if line.startswith(f"| {todo} |"))
            assert "| passed |" in lines[at], lines[at]
            lines[at] = lines[at].replace("| passed |", "| TODO |", 1)
            tracker.write_text("\n".join(lines), encoding="utf-8")
        return project

    def test_a_gpu_asked_only_by_rows_done_before_bridge_refuses_nothing(
        self, tmp_path: Path
    ) -> None:
        loaded = load_project(self._project(tmp_path, "gpus = 1\n"))
        asking = [r.id for r in loaded.runs if r.gpus > 0]
        assert asking == ["JPH-B1-HO-S0", "JPH-B1-HO-S1", "JPH-B1-HO-S2"], asking
        local_checks.check_gpus(loaded, lambda: 0)  # no ConfigError

    def test_a_program_named_only_by_rows_done_before_bridge_refuses_nothing(
        self, tmp_path: Path
    ) -> None:
        loaded = load_project(self._project(tmp_path, 'command = "no-such-program-h14 {seed}"\n'))
        local_checks.check_programs(loaded)  # no ConfigError

    def test_a_row_set_back_to_todo_is_checked_again_alone(self, tmp_path: Path) -> None:
        project = self._project(tmp_path, "gpus = 1\n", todo="JPH-B1-HO-S1")
        with pytest.raises(ConfigError) as caught:
            local_checks.check_gpus(load_project(project), lambda: 0)
        said = str(caught.value)
        asks = "bridge.toml:5: JPH-B1-HO-S1 asks for up to 1 GPU (gpus = 1)"
        assert said.startswith(asks), said
        assert "JPH-B1-HO-S0" not in said and "JPH-B1-HO-S2" not in said

    def test_bridge_plan_starts(self, tmp_path: Path) -> None:
        """End to end: `bridge plan` on the copy exits 0 where it said
        «bridge.toml:5: JPH-B1-HO-S0, JPH-B1-HO-S1, JPH-B1-HO-S2 ask for up to 1 GPU(s)»."""
        from tests.in_process import bridge_here

        project = self._project(tmp_path, "gpus = 1\n")
        shown = bridge_here("plan", "--project", str(project))
        assert shown.returncode == 0, shown.stdout + shown.stderr
        assert "ask for up to 1 GPU" not in shown.stderr
